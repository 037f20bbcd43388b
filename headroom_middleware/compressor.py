"""The public entry point: :class:`ImageCompressor` and :func:`compress_images`.

Importing this module is cheap (no pydantic, asyncio, Pillow or numpy): they load on first use.

Example::

    from headroom_middleware import ImageCompressor

    with ImageCompressor() as compressor:
        out = compressor.compress(messages, model="anthropic/claude-sonnet-4-5")
        print(compressor.last_result.technique, f"{compressor.last_savings:.0f}% saved")
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import Pipeline
    from .protocols import OcrEngine, Router, SharedCache
    from .types import CompressionConfig, CompressionReport, CompressionResult, Technique


class ImageCompressor:
    """Compresses the images of LLM requests for a target model.

    Thread-safe: one instance can serve many threads and event loops; its content-hash cache
    is shared. ``last_result`` / ``last_savings`` describe the most recent call of this
    instance (convenient in scripts; under concurrency use the returned report instead).

    The engines are injectable (any object with the methods of the Protocols in
    :mod:`headroom_middleware.protocols`):

    - ``router``: decides the technique per image; default the shipped ONNX model (the
      rule-based router without onnxruntime), per ``config.router``;
    - ``ocr``: reads text for ``transcode`` and query-driven crops; default a RapidOCR engine
      owned by this compressor (started on first use, stopped by :meth:`close`), or none when
      RapidOCR is not installed;
    - ``shared_cache``: outputs shared by workers and replicas; default Redis when
      ``config.shared_cache_url`` is set, else none.

    Engines passed in belong to the caller: :meth:`close` leaves them running.

    Example::

        compressor = ImageCompressor(CompressionConfig(confidence_threshold=0.7))
        report = compressor.compress_with_report(messages, model="gpt-4o")
        for r in report.results:
            print(r.index, r.technique.value, r.original_tokens, "->", r.compressed_tokens)
    """

    def __init__(
        self,
        config: CompressionConfig | None = None,
        *,
        router: Router | None = None,
        ocr: OcrEngine | None = None,
        shared_cache: SharedCache | None = None,
    ) -> None:
        from .pipeline import Pipeline

        if config is None:
            from .types import CompressionConfig

            config = CompressionConfig()
        self.config = config
        self._owned_ocr = ocr is None
        if ocr is None:
            ocr = _default_ocr()
        if shared_cache is None and config.shared_cache_url:
            shared_cache = _default_shared_cache(config)
        self._ocr = ocr
        self._pipeline: Pipeline = Pipeline(config, router=router, ocr=ocr, shared_cache=shared_cache)
        self._last: CompressionReport | None = None

    # -- synchronous -------------------------------------------------------------------------
    def compress_with_report(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        timeout_s: float | None = None,
    ) -> CompressionReport:
        """Compress every image of ``messages`` for the target; returns the new messages and
        one :class:`CompressionResult` per image. The input is never mutated.

        Raises :class:`~headroom_middleware.errors.ConfigError` for an unknown target or
        technique or an argument of the wrong type; any problem with an image only leaves that image unchanged. With
        ``timeout_s``, the work stops at the deadline (checked between images and stages) and
        :class:`~headroom_middleware.errors.CompressionTimeoutError` is raised: send the
        original messages then.

        Example::

            report = compressor.compress_with_report(messages, model="gpt-4o", timeout_s=5)
        """
        _check_messages(messages)
        force = _technique(force_technique)
        if not _has_image_blocks()(messages, max_depth=self.config.max_nesting_depth):
            # nothing to do: no target resolution either, so unknown models pass text through
            report = _text_only_report(messages, provider, model)
        else:
            from .targets import resolve_target

            deadline = None if timeout_s is None else time.monotonic() + timeout_s
            target = resolve_target(provider=provider, model=model)
            report = self._pipeline.run(messages, target, force=force, deadline=deadline)
        self._last = report  # one reference store: atomic, no lock needed
        return report

    def compress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        timeout_s: float | None = None,
    ) -> list[Any]:
        """Like :meth:`compress_with_report` but returns only the new message list."""
        return self.compress_with_report(messages, provider, model, force_technique=force_technique,
                                         timeout_s=timeout_s).messages

    # -- asynchronous ------------------------------------------------------------------------
    async def acompress_with_report(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        timeout_s: float | None = None,
    ) -> CompressionReport:
        """Async form: decoding, routing and OCR run in a worker thread, off the event loop.

        A request without images returns without leaving the loop.
        """
        _check_messages(messages)
        if not _has_image_blocks()(messages, max_depth=self.config.max_nesting_depth):
            return self.compress_with_report(messages, provider, model, force_technique=force_technique)
        import asyncio

        return await asyncio.to_thread(
            self.compress_with_report, messages, provider, model, force_technique=force_technique,
            timeout_s=timeout_s,
        )

    async def acompress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
        timeout_s: float | None = None,
    ) -> list[Any]:
        report = await self.acompress_with_report(messages, provider, model, force_technique=force_technique,
                                                  timeout_s=timeout_s)
        return report.messages

    # -- seed-compatible conveniences ---------------------------------------------------------
    @property
    def last_report(self) -> CompressionReport | None:
        return self._last

    @property
    def last_result(self) -> CompressionResult | None:
        """The first image's result of the last call (the seed API had one result per call)."""
        report = self._last
        return report.results[0] if report and report.results else None

    @property
    def last_savings(self) -> float:
        """Percent of image tokens saved by the last call."""
        report = self._last
        return report.savings_percent if report else 0.0

    def close(self) -> None:
        """Drop cached results and stop the OCR engine this compressor created (engines passed in
        are left to their owner). The router is shared by the process and stays loaded."""
        self._pipeline.clear_cache()
        if self._owned_ocr and self._ocr is not None:
            self._ocr.close()

    def __enter__(self) -> ImageCompressor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _technique(value: Technique | str | None) -> Technique | None:
    if value is None:
        return None
    from .types import Technique

    return Technique.parse(value)


# The text-only path (most requests) runs in a few µs, and an ``import`` statement inside a function costs
# ~0.7 µs on every call even once the module is loaded: these two imports happen once, on first use
# (importing them with this module would cost the ~20 ms this module's import avoids).
@functools.cache
def _has_image_blocks() -> Callable[..., bool]:
    from .formats.walk import has_image_blocks

    return has_image_blocks


@functools.cache
def _report_type() -> type[CompressionReport]:
    from .types import CompressionReport

    return CompressionReport


def _text_only_report(messages: Sequence[Any], provider: str | None, model: str | None) -> CompressionReport:
    # Validated construction: pydantic-core does it faster than model_construct's Python loop.
    return _report_type()(messages=list(messages), provider=provider or "", model=model or "")


def _default_ocr() -> OcrEngine | None:
    from .ocr import RapidOcrEngine, ocr_available

    return RapidOcrEngine() if ocr_available() else None


def _default_shared_cache(config: CompressionConfig) -> SharedCache:
    from ._version import __version__
    from .shared_cache import RedisCache, SignedCache

    assert config.shared_cache_url  # the caller checks
    # The version in the prefix: another release may decide or encode differently.
    redis = RedisCache(config.shared_cache_url, prefix=f"headroom:{__version__}:",
                       deadline_s=config.shared_cache_deadline_s)
    return SignedCache(redis, _shared_secret(config))


def _shared_secret(config: CompressionConfig) -> bytes:
    import os

    from .errors import ConfigError
    from .shared_cache import SECRET_ENV

    secret = config.shared_cache_secret.get_secret_value() if config.shared_cache_secret else ""
    secret = secret or os.environ.get(SECRET_ENV, "")
    if not secret:
        raise ConfigError(
            "shared_cache_url needs a secret to authenticate entries: set shared_cache_secret or "
            f"{SECRET_ENV} (the same value on every worker)"
        )
    # surrogatepass: any Python string hashes, as the pipeline's keys do
    return secret.encode("utf-8", "surrogatepass")


def has_images(messages: Sequence[Any]) -> bool:
    """Whether ``messages`` hold any image block this library handles (cheap: no decoding).

    Example::

        if has_images(request["messages"]):
            request["messages"] = compressor.compress(request["messages"], model=request["model"])
    """
    _check_messages(messages)
    return _has_image_blocks()(messages)


def _check_messages(messages: object) -> None:
    """A message list (or tuple) is required: a string or a dict would be walked character by
    character or key by key and come back as a different shape."""
    if not isinstance(messages, (list, tuple)):
        from .errors import ConfigError

        raise ConfigError(f"messages must be a list of message dicts, not {type(messages).__name__}")


def compress_images(
    messages: Sequence[Any],
    provider: str | None = None,
    model: str | None = None,
    *,
    config: CompressionConfig | None = None,
    force_technique: Technique | str | None = None,
) -> list[Any]:
    """One-call helper: compress the images of ``messages`` for the target model.

    Uses the process-wide default compressor (so its cache is reused) unless ``config`` is given.

    Example::

        messages = compress_images(messages, model="anthropic/claude-sonnet-4-5")
    """
    if config is None:
        return default_compressor().compress(messages, provider, model, force_technique=force_technique)
    with ImageCompressor(config) as compressor:
        return compressor.compress(messages, provider, model, force_technique=force_technique)


_DEFAULT: ImageCompressor | None = None
_DEFAULT_LOCK = threading.Lock()


def default_compressor() -> ImageCompressor:
    """The process-wide compressor with default settings, shared by :func:`compress_images` and the
    adapters built without a compressor of their own (one cache, one OCR engine).

    Example::

        default_compressor().compress(messages, model="gpt-4o")
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = ImageCompressor()
    return _DEFAULT
