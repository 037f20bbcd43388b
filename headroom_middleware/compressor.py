"""The public entry point: :class:`ImageCompressor` and :func:`compress_images`.

Example::

    from headroom_middleware import ImageCompressor

    with ImageCompressor() as compressor:
        out = compressor.compress(messages, model="anthropic/claude-sonnet-4-5")
        print(compressor.last_result.technique, f"{compressor.last_savings:.0f}% saved")
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from .errors import ConfigError
from .formats.walk import has_image_blocks
from .targets import resolve_target
from .types import CompressionConfig, CompressionReport, CompressionResult, Technique


def _router_getter(choice: str) -> Any:
    from .router import get_router

    return get_router(choice)


class ImageCompressor:
    """Compresses the images of LLM requests for a target model.

    Thread-safe: one instance can serve many threads and event loops; its content-hash cache
    is shared. ``last_result`` / ``last_savings`` describe the most recent call of this
    instance (convenient in scripts; under concurrency use the returned report instead).

    Example::

        compressor = ImageCompressor(CompressionConfig(confidence_threshold=0.7))
        report = compressor.compress_with_report(messages, model="gpt-4o")
        for r in report.results:
            print(r.index, r.technique.value, r.original_tokens, "->", r.compressed_tokens)
    """

    def __init__(self, config: CompressionConfig | None = None) -> None:
        from .pipeline import Pipeline

        self.config = config or CompressionConfig()
        self._pipeline = Pipeline(self.config, _router_getter)
        self._lock = threading.Lock()
        self._last: CompressionReport | None = None

    # -- synchronous -------------------------------------------------------------------------
    def compress_with_report(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
    ) -> CompressionReport:
        """Compress every image of ``messages`` for the target; returns the new messages and
        one :class:`CompressionResult` per image. The input is never mutated.

        Raises :class:`~headroom_middleware.errors.ConfigError` for an unknown target or an argument
        of the wrong type; any problem with an image only leaves that image unchanged.
        """
        _check_messages(messages)
        force = Technique.parse(force_technique) if force_technique is not None else None
        if not has_image_blocks(messages, max_depth=self.config.max_nesting_depth):
            # nothing to do: no target resolution either, so unknown models pass text through
            report = CompressionReport(messages=list(messages), provider=provider or "", model=model or "")
            with self._lock:
                self._last = report
            return report
        target = resolve_target(provider=provider, model=model)
        report = self._pipeline.run(messages, target, force=force)
        with self._lock:
            self._last = report
        return report

    def compress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
    ) -> list[Any]:
        """Like :meth:`compress_with_report` but returns only the new message list."""
        return self.compress_with_report(messages, provider, model, force_technique=force_technique).messages

    # -- asynchronous ------------------------------------------------------------------------
    async def acompress_with_report(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
    ) -> CompressionReport:
        """Async form: decoding, routing and OCR run in a worker thread, off the event loop.

        A request without images returns without leaving the loop.
        """
        _check_messages(messages)
        if not has_image_blocks(messages, max_depth=self.config.max_nesting_depth):
            return self.compress_with_report(messages, provider, model, force_technique=force_technique)
        return await asyncio.to_thread(
            self.compress_with_report, messages, provider, model, force_technique=force_technique
        )

    async def acompress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force_technique: Technique | str | None = None,
    ) -> list[Any]:
        report = await self.acompress_with_report(messages, provider, model, force_technique=force_technique)
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
        """Drop cached results. Shared engines (router, OCR) stay loaded for other instances."""
        self._pipeline.clear_cache()

    def __enter__(self) -> ImageCompressor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def has_images(messages: Sequence[Any]) -> bool:
    """Whether ``messages`` hold any image block this library handles (cheap: no decoding).

    Example::

        if has_images(request["messages"]):
            request["messages"] = compressor.compress(request["messages"], model=request["model"])
    """
    _check_messages(messages)
    return has_image_blocks(messages)


def _check_messages(messages: object) -> None:
    """A message list (or tuple) is required: a string or a dict would be walked character by
    character or key by key and come back as a different shape."""
    if not isinstance(messages, (list, tuple)):
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

    Uses a shared default compressor (so its cache is reused) unless ``config`` is given.

    Example::

        messages = compress_images(messages, model="anthropic/claude-sonnet-4-5")
    """
    compressor = ImageCompressor(config) if config is not None else _default()
    return compressor.compress(messages, provider, model, force_technique=force_technique)


_DEFAULT: ImageCompressor | None = None
_DEFAULT_LOCK = threading.Lock()


def _default() -> ImageCompressor:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ImageCompressor()
        return _DEFAULT
