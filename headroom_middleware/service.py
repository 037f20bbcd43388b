"""The host-neutral request service: everything a host adapter needs around the compressor.

Adapters (LiteLLM, LangChain) translate their host's request into messages and a target, call
:meth:`CompressionService.compress` / :meth:`~CompressionService.acompress`, and translate the
:class:`Outcome` back. Everything else lives here, once:

- **Limits.** ``max_concurrency`` requests compress at once per service (sync and async callers
  alike, on the service's own worker threads), and each request is bounded by ``timeout_s``,
  queueing included. Past it the request goes out unchanged *and the work stops*: the pipeline
  checks the deadline between images and stages, so a timed-out request does not keep a core
  busy, and a worker slot is only free again when its work has really stopped.
- **One error policy.** A target the developer named and the core does not know raises
  :class:`~headroom_middleware.errors.ConfigError` (a mistake to fix); a target read off the host
  (a LiteLLM deployment, an agent's chat model) that the core does not know sends the request
  unchanged, logged once and remembered (bounded); any other failure sends the request
  unchanged and logs the error class and a bounded message, never image bytes or OCR text.
- **Bookkeeping.** :meth:`CompressionReport.summary` feeds LiteLLM metadata, ``x-headroom-*``
  headers and LangChain events alike; records by call id are kept in a bounded LRU.
- **Settings from the environment.** :meth:`CompressionService.from_env` reads
  ``HEADROOM_DISABLE``, ``HEADROOM_TIMEOUT_S``, ``HEADROOM_MAX_CONCURRENCY`` and, through
  :meth:`CompressionConfig.from_env`, one ``HEADROOM_<FIELD>`` per config field.

Example::

    from headroom_middleware.service import CompressionService

    service = CompressionService(timeout_s=5.0, max_concurrency=2)
    outcome = service.compress(messages, model="anthropic/claude-sonnet-4-5", call_id="req-1")
    send(outcome.messages if outcome.changed else messages)
    print(service.record_for("req-1"))   # {"headroom_status": "compressed", ...}
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._env import env_bool, env_number
from .errors import CompressionTimeoutError, ConfigError, safe_message

if TYPE_CHECKING:
    from .compressor import ImageCompressor
    from .types import CompressionConfig, CompressionReport, Technique

__all__ = ["DEFAULT_MAX_CONCURRENCY", "CompressionService", "Outcome", "Status", "safe_message"]

logger = logging.getLogger("headroom_middleware")

# Requests compressed at once: about half the cores, so the host's event loop keeps a core (and the
# GIL) for request handling; measured in benchmarks/litellm_proxy.py.
DEFAULT_MAX_CONCURRENCY = max(1, min(4, (os.cpu_count() or 2) // 2))

Status = Literal["compressed", "unchanged", "skipped", "unsupported", "timeout", "error"]
"""``compressed``/``unchanged``: the core ran (images changed or not); ``skipped``: nothing to do
(disabled, no image); ``unsupported``: the core does not know the target; ``timeout``/``error``:
the request goes out unchanged."""

@dataclass(frozen=True)
class Outcome:
    """What happened to one request.

    ``report`` is the core's report when it ran to completion (``None`` otherwise);
    ``messages`` the messages to send (the input list itself unless images changed).

    Example::

        outcome = service.compress(messages, model="gpt-4o")
        if outcome.changed:
            messages = outcome.messages
    """

    status: Status
    messages: Sequence[Any]
    report: CompressionReport | None = None

    @property
    def changed(self) -> bool:
        return self.status == "compressed"

    @property
    def saw_images(self) -> bool:
        """Whether the core ran on at least one image (then there is a summary to publish)."""
        return self.report is not None and bool(self.report.results)

    def record(self) -> dict[str, Any] | None:
        """The ``headroom_*`` record of this request (LiteLLM metadata keys), or None when there is
        nothing to report (no image seen, disabled, unsupported target)."""
        if self.status in ("timeout", "error"):
            return {"headroom_status": "error", "headroom_images": 0}
        if not self.saw_images:
            return None
        assert self.report is not None
        return self.report.summary(self.status).as_metadata()


class CompressionService:
    """Limits, error policy and bookkeeping around an :class:`~headroom_middleware.ImageCompressor`.

    Args:
        config: settings for the compressor created on first use (exclusive with ``compressor``).
        compressor: share an existing compressor (and its caches).
        enabled: ``False`` turns every call into a pass-through (status ``skipped``).
        timeout_s: longest a request waits for compression, queueing included (``None``: no bound).
        max_concurrency: requests compressed at once; ``None``: no limit (work runs in the calling
            thread for sync callers, in a thread per call for async ones).
        max_tracked_requests: records kept by call id (bounded LRU).
        max_unsupported_targets: unknown targets remembered (bounded).

    Thread-safe; one service can serve many threads and event loops.

    Example::

        service = CompressionService.from_env()          # HEADROOM_* variables
        outcome = await service.acompress(messages, model=deployment_model, call_id=call_id)
    """

    def __init__(
        self,
        config: CompressionConfig | None = None,
        *,
        compressor: ImageCompressor | None = None,
        enabled: bool = True,
        timeout_s: float | None = 30.0,
        max_concurrency: int | None = DEFAULT_MAX_CONCURRENCY,
        max_tracked_requests: int = 4096,
        max_unsupported_targets: int = 256,
    ) -> None:
        if compressor is not None and config is not None and compressor.config is not config:
            raise ConfigError("pass either compressor= or config=, not both")
        self._config = compressor.config if compressor is not None else config
        self._compressor = compressor
        self._owns_compressor = compressor is None  # created here on first use, so closed here
        self.enabled = enabled
        self.timeout_s = timeout_s if timeout_s is not None and timeout_s > 0 else None
        self.max_concurrency = max_concurrency if max_concurrency and max_concurrency > 0 else None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._records: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._max_records = max(1, max_tracked_requests)
        self._unsupported: OrderedDict[tuple[str | None, str | None], None] = OrderedDict()
        self._max_unsupported = max(1, max_unsupported_targets)
        _LIVE.add(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> CompressionService:
        """A service configured from ``HEADROOM_*`` variables.

        ``HEADROOM_DISABLE=1`` disables it; ``HEADROOM_TIMEOUT_S`` bounds each request (``0``:
        no bound); ``HEADROOM_MAX_CONCURRENCY`` limits requests compressed at once (``0``: no
        limit); every other ``HEADROOM_<FIELD>`` sets a :class:`CompressionConfig` field. Raises
        :class:`ConfigError` naming the variable when a value is invalid.

        Example::

            service = CompressionService.from_env({"HEADROOM_TIMEOUT_S": "5", "HEADROOM_ROUTER": "rules"})
        """
        from .types import CompressionConfig

        env = os.environ if environ is None else environ
        disabled = env_bool("HEADROOM_DISABLE", env.get("HEADROOM_DISABLE", ""))
        timeout = env_number(env, "HEADROOM_TIMEOUT_S", float, 30.0)
        max_concurrency = env_number(env, "HEADROOM_MAX_CONCURRENCY", int, DEFAULT_MAX_CONCURRENCY)
        return cls(CompressionConfig.from_env(env), enabled=not disabled,
                   timeout_s=timeout if timeout and timeout > 0 else None,
                   max_concurrency=max_concurrency, **kwargs)

    # -- the compressor -----------------------------------------------------------------------
    @property
    def config(self) -> CompressionConfig:
        """The compression settings (the compressor's, once there is one)."""
        if self._config is None:
            from .types import CompressionConfig

            self._config = CompressionConfig()
        return self._config

    @property
    def compressor(self) -> ImageCompressor:
        """The compressor, created on first use (so building a service, e.g. at proxy start, is cheap)."""
        if self._compressor is None:
            with self._lock:
                if self._compressor is None:
                    from .compressor import ImageCompressor

                    self._compressor = ImageCompressor(self.config)
        return self._compressor

    # -- requests -----------------------------------------------------------------------------
    def compress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force: Technique | None = None,
        call_id: str | None = None,
        target_from_host: bool = False,
    ) -> Outcome:
        """Compress one request within the limits; never raises except for a developer mistake.

        ``target_from_host``: the target was read off the host (a deployment, a chat model), so an
        unknown one is remembered and skipped instead of raising :class:`ConfigError`.

        Example::

            outcome = service.compress(messages, "anthropic", "claude-sonnet-4-5")
        """
        skip = self._skip(messages, provider, model)
        if skip is not None:
            return skip
        deadline = self._deadline()
        try:
            if self.max_concurrency is None:
                report = self._run(messages, provider, model, force, deadline)
            else:
                future = self._submit(messages, provider, model, force, deadline)
                try:
                    report = future.result(timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
                except FutureTimeoutError:
                    future.cancel()  # not started yet: never runs; started: stops at the deadline
                    raise CompressionTimeoutError(f"compression took longer than {self.timeout_s:g} s") from None
        except Exception as exc:
            return self._failed(exc, messages, provider, model, call_id, target_from_host)
        return self._done(report, messages, call_id)

    async def acompress(
        self,
        messages: Sequence[Any],
        provider: str | None = None,
        model: str | None = None,
        *,
        force: Technique | None = None,
        call_id: str | None = None,
        target_from_host: bool = False,
    ) -> Outcome:
        """Async :meth:`compress`: the work runs on a worker thread, off the event loop.

        A request without images returns without leaving the loop.

        Example::

            outcome = await service.acompress(messages, model="gpt-4o", call_id=call_id)
        """
        skip = self._skip(messages, provider, model)
        if skip is not None:
            return skip
        deadline = self._deadline()
        try:
            work: Awaitable[CompressionReport]
            if self.max_concurrency is None:
                work = asyncio.to_thread(self._run, messages, provider, model, force, deadline)
            else:
                work = asyncio.wrap_future(self._submit(messages, provider, model, force, deadline))
            try:
                report = await (work if deadline is None else asyncio.wait_for(work, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise CompressionTimeoutError(f"compression took longer than {self.timeout_s:g} s") from None
        except Exception as exc:
            return self._failed(exc, messages, provider, model, call_id, target_from_host)
        return self._done(report, messages, call_id)

    # -- records ------------------------------------------------------------------------------
    def remember(self, call_id: str | None, record: Mapping[str, Any]) -> None:
        """Keep ``record`` for ``call_id`` (bounded LRU; the oldest is dropped)."""
        if not call_id:
            return
        with self._lock:
            self._records[call_id] = dict(record)
            self._records.move_to_end(call_id)
            while len(self._records) > self._max_records:
                self._records.popitem(last=False)

    def record_for(self, call_id: str) -> dict[str, Any] | None:
        """The ``headroom_*`` record of a call (a copy), or None.

        Example::

            service.record_for(call_id)   # {"headroom_status": "compressed", "headroom_saved_tokens": 1294, ...}
        """
        with self._lock:
            record = self._records.get(call_id)
        return dict(record) if record is not None else None

    def close(self) -> None:
        """Stop the worker threads (work in progress stops at its deadline) and close the compressor
        if this service created it. Idempotent."""
        with self._lock:
            pool, self._pool = self._pool, None
            compressor = self._compressor if self._owns_compressor else None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if compressor is not None:
            compressor.close()

    # -- internals ----------------------------------------------------------------------------
    def _skip(self, messages: Sequence[Any], provider: str | None, model: str | None) -> Outcome | None:
        if not self.enabled:
            return Outcome("skipped", messages)
        from .formats.walk import has_image_blocks

        if not has_image_blocks(messages):
            return Outcome("skipped", messages)  # text only: no thread hop, no copy
        if (provider, model) in self._unsupported:
            return Outcome("unsupported", messages)
        return None

    def _deadline(self) -> float | None:
        return None if self.timeout_s is None else time.monotonic() + self.timeout_s

    def _run(self, messages: Sequence[Any], provider: str | None, model: str | None, force: Technique | None,
             deadline: float | None) -> CompressionReport:
        timeout = None
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0:  # waited in the queue past the deadline: do not start
                raise CompressionTimeoutError("deadline passed before compression started")
        return self.compressor.compress_with_report(messages, provider, model, force_technique=force,
                                                    timeout_s=timeout)

    def _submit(self, messages: Sequence[Any], provider: str | None, model: str | None, force: Technique | None,
                deadline: float | None) -> Future[CompressionReport]:
        pool = self._pool
        if pool is None:
            with self._lock:
                if self._pool is None:
                    assert self.max_concurrency is not None
                    self._pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="headroom")
                pool = self._pool
        return pool.submit(self._run, messages, provider, model, force, deadline)

    def _done(self, report: CompressionReport, messages: Sequence[Any], call_id: str | None) -> Outcome:
        outcome = Outcome("compressed" if report.changed else "unchanged",
                          report.messages if report.changed else messages, report)
        record = outcome.record()
        if record is not None:
            self.remember(call_id, record)
        return outcome

    def _failed(self, exc: Exception, messages: Sequence[Any], provider: str | None, model: str | None,
                call_id: str | None, target_from_host: bool) -> Outcome:
        if isinstance(exc, ConfigError):
            if not target_from_host:
                raise exc  # the developer named a target or option the core does not know: say so
            # A target the core does not know (e.g. "ollama/llava"): remember it, say it once.
            with self._lock:
                first = (provider, model) not in self._unsupported
                self._unsupported[(provider, model)] = None
                while len(self._unsupported) > self._max_unsupported:
                    self._unsupported.popitem(last=False)
            if first:
                logger.info("headroom: not compressing for %s (its images are sent unchanged): %s",
                            model or provider, safe_message(exc))
            return Outcome("unsupported", messages)
        status: Status = "timeout" if isinstance(exc, CompressionTimeoutError) else "error"
        logger.warning("headroom: request %s sent unchanged after %s: %s", call_id or "-",
                       exc.__class__.__name__, safe_message(exc))
        logger.debug("headroom: compression failure details", exc_info=exc)
        outcome = Outcome(status, messages)
        record = outcome.record()
        if record is not None:
            self.remember(call_id, record)
        return outcome


# A forked child (gunicorn --preload, multiprocessing "fork") inherits the pool object but not its
# threads: work submitted there would never run. Each live service starts a fresh pool on first use.
_LIVE: weakref.WeakSet[CompressionService] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for service in list(_LIVE):
        service._lock = threading.Lock()
        service._pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

_SHARED: CompressionService | None = None
_SHARED_LOCK = threading.Lock()


def shared_service() -> CompressionService:
    """The process-wide service around the default compressor (the one behind
    :func:`~headroom_middleware.compress_images`): adapters built without their own compressor
    share its caches and its concurrency limit.

    Example::

        outcome = shared_service().compress(messages, model="gpt-4o")
    """
    global _SHARED
    if _SHARED is None:
        with _SHARED_LOCK:
            if _SHARED is None:
                from .compressor import default_compressor

                _SHARED = CompressionService(compressor=default_compressor())
    return _SHARED
