"""The OCR engine callers use: time-bounded, cached, and safe for the host process.

:class:`RapidOcrEngine` runs RapidOCR in a child process (:mod:`.process`) fed by one worker
thread of this process. The worker thread only ever waits on a pipe, so:

- a caller's ``timeout_s`` returns control promptly; the run goes on in the child and its
  result is cached when it lands, so the next call with the same ``cache_key`` gets it;
- ``close()`` and interpreter exit end the child (cleanly if idle, killed if busy): an
  abandoned run can never abort the host at exit;
- a crashed or killed child is restarted on the next call.

The module-level :func:`run_ocr` uses one shared default engine, created on first use.
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import TYPE_CHECKING

from ..cache import LRUCache
from ..errors import OcrError, OcrTimeoutError, OcrUnavailableError
from .engine import Engine, engine_settings, read_image
from .geometry import plan, prepare
from .result import OcrResult

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["CACHE_SIZE", "DEFAULT_TIMEOUT_S", "RapidOcrEngine", "arun_ocr", "clear_ocr_cache",
           "default_engine", "ocr_available", "run_ocr"]

logger = logging.getLogger(__name__)

#: Entries kept by the result cache (each holds only text and boxes, a few KB).
CACHE_SIZE = 256
#: A guard, not the expected case: a warm A4 page takes ~1 s of CPU.
DEFAULT_TIMEOUT_S = 15.0
#: Long side (px) the detector sees per tile; recognition reads lines at full resolution.
#: Detection needs far fewer pixels than recognition: at 960 it still finds the 12 px text
#: of an A4 page at 150 dpi, at a quarter of the cost of full resolution.
DEFAULT_DET_SIDE = 960

#: Abandoned (timed-out) keyed runs still finish, to cache their result, while fewer than
#: this many jobs wait; beyond, a timed-out run that has not started is dropped.
_MAX_BACKLOG = 8

_INSTALL_HINT = "OCR needs rapidocr: pip install 'headroom-middleware[ocr]'"

_Job = tuple[Future[OcrResult], Callable[[], OcrResult]]


class _Worker:
    """One daemon thread that runs engine calls in order (the engine takes one at a time)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], OcrResult]) -> Future[OcrResult]:
        fut: Future[OcrResult] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="headroom-ocr", daemon=True)
                self._thread.start()
            self._jobs.put((fut, fn))
        return fut

    def backlog(self) -> int:
        """Jobs queued and not yet started."""
        return self._jobs.qsize()

    def stop(self, timeout_s: float) -> None:
        """Ask the thread to end after its current job and wait up to ``timeout_s``."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._jobs.put(None)
            thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fut, fn = job
            if not fut.set_running_or_notify_cancel():
                continue  # every caller gave up before the job started
            try:
                fut.set_result(fn())
            except BaseException as exc:  # delivered to the waiting caller
                fut.set_exception(exc)


_live: weakref.WeakSet[RapidOcrEngine] = weakref.WeakSet()


class RapidOcrEngine:
    """OCR with RapidOCR's bundled PP-OCR models, in a child process, with a result cache.

    ``threads`` is onnxruntime's intra-op thread count (default 1: a second thread cut wall
    time by ~30 % but cost ~25 % more CPU, measured on 2 cores; runs are serialised, so the
    other cores stay free for the host); ``det_side``
    the long side the text detector works at; ``engine`` replaces the child process with an
    in-process callable (tests, other engines); ``quantised`` (default True) reads with the
    int8 models shipped with this package where they were derived from exactly the installed
    models (about twice as fast on the recogniser, measured in ``tools/quantise_ocr.py``;
    False: always the originals). Thread-safe; use one per process (the
    default one behind :func:`run_ocr` is usually all you need) and :meth:`close` it when
    done (interpreter exit closes it too).

    Example::

        from headroom_middleware.ocr import RapidOcrEngine

        engine = RapidOcrEngine()
        try:
            res = engine.read(img, cache_key=sha256_hex, timeout_s=10)
            print(res.text)
        finally:
            engine.close()
    """

    def __init__(
        self,
        *,
        threads: int | None = None,
        det_side: int = DEFAULT_DET_SIDE,
        default_timeout_s: float = DEFAULT_TIMEOUT_S,
        cache_size: int = CACHE_SIZE,
        engine: Engine | None = None,
        quantised: bool = True,
    ) -> None:
        self.threads = threads if threads is not None else 1
        self.quantised = quantised
        self.det_side = det_side
        self.default_timeout_s = default_timeout_s
        self._injected = engine
        self._cache: LRUCache[str, OcrResult] = LRUCache(cache_size)
        self._reset_state()
        _live.add(self)

    def _reset_state(self) -> None:
        self._worker = _Worker()
        self._inflight: dict[str, Future[OcrResult]] = {}
        self._inflight_lock = threading.RLock()  # re-entered when a done callback runs at once
        self._engine_lock = threading.Lock()
        self._process: Engine | None = None
        self._failed: str | None = None
        self._closed = False

    # -- public API ---------------------------------------------------------------------

    def available(self) -> bool:
        """True when an engine is installed and did not fail to load (imports nothing)."""
        if self._injected is not None:
            return True
        if self._failed is not None:
            return False
        return engine_settings(self.threads, self.det_side, quantised=self.quantised) is not None

    def read(self, image: Image.Image, *, cache_key: str | None = None, timeout_s: float | None = None,
             max_chars: int | None = None) -> OcrResult:
        """OCR ``image``: text in reading order, confidence, line boxes in ``image``'s pixels.

        ``cache_key`` (e.g. the sha256 of the image bytes) enables the result cache: a repeat
        returns the same object at once, and concurrent calls with one key share one run.
        ``max_chars``: a page read in several tiles (tall or large) stops after the tile at which
        its lines hold more characters than this; the result is then not ``complete``. For a
        caller that only needs to know whether the text is short (a transcode that must cost
        less than the image), it bounds the work on long pages. A complete result already
        cached is returned whatever ``max_chars`` says.
        Runs are serialised (the engine uses the cores itself), so time queued behind other
        images counts against ``timeout_s`` (None: ``default_timeout_s``); the first call
        also pays the model load (~1-2 s).

        Raises :class:`OcrUnavailableError` when no engine is installed,
        :class:`OcrTimeoutError` when the result is not ready in time (the run continues and
        its result is cached for the next call with the same key), :class:`OcrError` on
        engine failure.

        Example::

            res = engine.read(img, cache_key=hashlib.sha256(data).hexdigest())
            if res.mean_confidence >= 0.8:
                send_text(res.text)
        """
        if cache_key is not None:
            hit = self._cache.get(cache_key)
            if hit is not None:
                return hit
        if self._closed:
            raise OcrUnavailableError("OCR engine is closed")
        if not self.available():
            raise OcrUnavailableError(self._failed or _INSTALL_HINT)
        timeout = self.default_timeout_s if timeout_s is None else timeout_s
        p = plan(image)
        if not p.tiles:  # no line of text fits this shape: nothing to run
            return OcrResult(text="", mean_confidence=0.0, lines=(), duration_ms=0.0)
        if len(p.tiles) == 1:
            max_chars = None  # one tile is read whole anyway
        full_key = cache_key
        if cache_key is not None and max_chars is not None:
            # A prefix is cached apart from the page: it must never answer a call for all of it.
            cache_key = f"{cache_key}\0upto{int(max_chars)}"
            hit = self._cache.get(cache_key)
            if hit is not None:
                return hit
        # Converted and sized here, in the caller's thread: the worker then holds its own
        # bounded copy (it may still run after a timeout returned control to the caller).
        t0 = time.perf_counter()
        own = prepare(image, p.scaled)
        prep_ms = 1000 * (time.perf_counter() - t0)

        def job() -> OcrResult:
            res = read_image(self._get_engine(), own, p, max_chars)
            if prep_ms >= 1.0:
                res = dataclasses.replace(res, duration_ms=res.duration_ms + prep_ms)
            if cache_key is not None:
                self._cache.put(cache_key, res)
                if res.complete and full_key is not None and full_key != cache_key:
                    self._cache.put(full_key, res)  # short enough to finish: it is the whole page
            return res

        if cache_key is None:
            fut = self._worker.submit(job)
        else:
            with self._inflight_lock:
                shared = self._inflight.get(cache_key)
                if shared is None:
                    shared = self._worker.submit(job)
                    self._inflight[cache_key] = shared
                    shared.add_done_callback(self._forget(cache_key))
                fut = shared
        try:
            return fut.result(timeout=max(0.0, timeout))
        except (FutureTimeoutError, CancelledError) as exc:
            if cache_key is None or self._worker.backlog() > _MAX_BACKLOG:
                # A late result is kept only where it can be used again (a keyed run) and
                # while the queue is short: under overload, runs nobody waits for are dropped
                # if they have not started.
                fut.cancel()
            raise OcrTimeoutError(f"OCR did not finish within {timeout:g} s") from exc
        except OcrError:
            raise
        except Exception as exc:
            raise OcrError(f"OCR engine failed: {type(exc).__name__}") from exc

    async def aread(
        self, image: Image.Image, *, cache_key: str | None = None, timeout_s: float | None = None,
        max_chars: int | None = None,
    ) -> OcrResult:
        """:meth:`read` without blocking the event loop (the wait runs in a thread).

        Example::

            res = await engine.aread(img, cache_key=key)
        """
        if cache_key is not None:
            hit = self._cache.get(cache_key)
            if hit is not None:
                return hit
        return await asyncio.to_thread(self.read, image, cache_key=cache_key, timeout_s=timeout_s,
                                       max_chars=max_chars)

    def clear_cache(self) -> None:
        """Drop every cached result."""
        self._cache.clear()

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop the engine process and the worker thread; later calls raise
        :class:`OcrUnavailableError` (cached results are still returned). Idempotent.

        A run in progress is killed: its callers get :class:`OcrError`.
        """
        self._closed = True
        with self._engine_lock:
            proc, self._process = self._process, None
        close = getattr(proc, "close", None)
        if callable(close):
            close()
        self._worker.stop(timeout_s)

    # -- internals ----------------------------------------------------------------------

    def _get_engine(self) -> Engine:
        """The engine, started on first use (runs on the worker thread, inside the time bound)."""
        if self._injected is not None:
            return self._injected
        with self._engine_lock:
            proc = self._process
            alive = getattr(proc, "alive", None)
            if proc is not None and (not callable(alive) or alive()):
                return proc
            if self._closed:
                raise OcrUnavailableError("OCR engine is closed")
            settings = engine_settings(self.threads, self.det_side, quantised=self.quantised)
            if settings is None:
                raise OcrUnavailableError(_INSTALL_HINT)
            from .process import EngineProcess

            try:
                self._process = EngineProcess(settings)
            except OcrUnavailableError as exc:
                # A broken install fails the same way every time: remember it instead of
                # paying the start again on every request.
                self._failed = str(exc)
                logger.warning("OCR engine unavailable: %s", exc)
                raise
            return self._process

    def _forget(self, key: str) -> Callable[[Future[OcrResult]], None]:
        def done(fut: Future[OcrResult]) -> None:
            with self._inflight_lock:
                if self._inflight.get(key) is fut:
                    del self._inflight[key]

        return done


# --------------------------------------------------------------------------------------------
# Process lifecycle: exit and fork
# --------------------------------------------------------------------------------------------


@atexit.register
def _close_all() -> None:
    # atexit runs before the interpreter tears down; the engine processes end here and the
    # worker threads, waiting on their pipes, see end of output and return.
    for eng in list(_live):
        try:
            eng.close(timeout_s=1.0)
        except Exception:  # never let shutdown of one engine stop the others
            logger.debug("OCR engine close at exit failed", exc_info=True)


def _after_fork_in_child() -> None:
    # A forked child (gunicorn --preload, multiprocessing "fork") has no worker thread and
    # must not drive its parent's engine process: start afresh, keep cached results.
    for eng in list(_live):
        eng._reset_state()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# --------------------------------------------------------------------------------------------
# The shared default engine behind the module-level functions
# --------------------------------------------------------------------------------------------

_default: RapidOcrEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> RapidOcrEngine:
    """The process-wide engine used by :func:`run_ocr` (created on first use, cheap).

    Example::

        >>> from headroom_middleware.ocr import default_engine
        >>> default_engine() is default_engine()
        True
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = RapidOcrEngine()
    return _default


def ocr_available() -> bool:
    """True when an OCR engine and its bundled models are installed (cheap; imports nothing).

    Example::

        >>> from headroom_middleware.ocr import ocr_available
        >>> isinstance(ocr_available(), bool)
        True
    """
    return default_engine().available()


def clear_ocr_cache() -> None:
    """Drop every cached OCR result of the default engine (tests, memory pressure).

    Example::

        >>> from headroom_middleware.ocr import clear_ocr_cache
        >>> clear_ocr_cache()
    """
    default_engine().clear_cache()


def run_ocr(image: Image.Image, *, cache_key: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> OcrResult:
    """OCR ``image`` with the default engine: see :meth:`RapidOcrEngine.read`.

    Example::

        res = run_ocr(img, cache_key=hashlib.sha256(data).hexdigest(), timeout_s=10)
        if res.mean_confidence >= 0.8:
            send_text(res.text)
    """
    return default_engine().read(image, cache_key=cache_key, timeout_s=timeout_s)


async def arun_ocr(
    image: Image.Image, *, cache_key: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S
) -> OcrResult:
    """:func:`run_ocr` without blocking the event loop.

    Example::

        res = await arun_ocr(img, cache_key=key)
    """
    return await default_engine().aread(image, cache_key=cache_key, timeout_s=timeout_s)
