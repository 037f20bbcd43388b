"""The host side of the OCR engine process (see ``_child.py`` for the child and protocol).

Why a process and not a thread: onnxruntime runs C++ threads. When the interpreter exits
while a thread of ours is still inside an abandoned (timed-out) run, C++ teardown aborts the
whole host with "terminate called without an active exception" (exit status 134). In a
child process an abandoned run can finish, be waited for, or be killed, and the host only
ever blocks in a pipe read. The child also keeps the engine's memory out of the host.

One :class:`EngineProcess` serves one caller thread at a time (the OCR worker thread).
"""

from __future__ import annotations

import json
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OcrError, OcrUnavailableError

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["EngineProcess"]

logger = logging.getLogger(__name__)

_LEN = struct.Struct("<I")
_CHILD = Path(__file__).with_name("_child.py")
#: Runs the child by path without the current directory on sys.path (a file named like a
#: module there must not shadow numpy or onnxruntime), so the package is not imported.
_BOOT = (
    "import runpy, sys; "
    "sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
    "sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)
#: Responses are JSON of line polygons and text: a page has a few hundred lines.
_MAX_RESPONSE = 64 * 1024 * 1024
#: Why int8 models were not used, already logged: an engine restarted after a timeout meets
#: the same cause again, and one warning per process says it all.
_noted: set[str] = set()
_noted_lock = threading.Lock()


def _log_notes(notes: Any) -> None:
    """Log each reason an int8 model was not used, once per process."""
    if not isinstance(notes, list):
        return
    for note in notes:
        with _noted_lock:
            if note in _noted:
                continue
            _noted.add(note)
        logger.warning("OCR engine: %s; reading with the original model (slower)", note)


class EngineProcess:
    """A running OCR engine process; call it with an RGB image to get raw detections.

    ``settings`` go to the child as JSON (backend, model paths, threads, detector side).
    The constructor starts the child and waits for its models to load.
    """

    def __init__(self, settings: dict[str, Any], *, start_timeout_s: float = 120.0) -> None:
        executable = sys.executable
        if not executable:
            raise OcrUnavailableError("OCR needs a Python executable to start its engine process")
        env = dict(os.environ)
        # The child must find the same rapidocr/onnxruntime as this interpreter would.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        env.setdefault("OMP_NUM_THREADS", str(settings.get("threads", 1)))
        t0 = time.perf_counter()
        try:
            self._proc = subprocess.Popen(
                [executable, "-c", _BOOT, str(_CHILD), json.dumps(settings)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                bufsize=0,
                close_fds=True,
                # Its own session: a Ctrl-C meant for the host does not hit the engine midway.
                start_new_session=True,
            )
        except OSError as exc:
            raise OcrUnavailableError(f"OCR engine process could not start ({type(exc).__name__})") from exc
        self._lock = threading.Lock()
        self._closed = False
        self._busy = False
        try:
            ready = self._receive(deadline=time.monotonic() + start_timeout_s)
        except OcrError as exc:
            self.close(grace_s=0.0)
            raise OcrUnavailableError(f"OCR engine failed to load ({exc})") from exc
        if not ready.get("ok"):
            self.close()
            raise OcrUnavailableError(f"OCR engine failed to load: {ready.get('error', 'unknown error')}")
        _log_notes(ready.get("notes"))
        #: Tasks ("det", "rec") running the int8 models shipped with this package.
        self.int8: tuple[str, ...] = tuple(str(t) for t in ready.get("int8") or ())
        logger.info("OCR engine process %d (%s%s) ready in %.0f ms", self._proc.pid, ready.get("engine"),
                    f", int8 {'/'.join(self.int8)}" if self.int8 else "", 1000 * (time.perf_counter() - t0))

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return not self._closed and self._proc.poll() is None

    def __call__(self, image: Image.Image) -> Sequence[tuple[Any, ...]]:
        """Raw detections ``(polygon, text, score, words)`` for an RGB image."""
        if image.mode != "RGB":
            raise ValueError("EngineProcess needs an RGB image")
        w, h = image.size
        head = json.dumps({"w": w, "h": h}).encode()
        with self._lock:
            if self._closed:
                raise OcrError("OCR engine process closed")
            self._busy = True
        try:
            try:
                self._write(_LEN.pack(len(head)) + head)
                self._write(image.tobytes())
            except OSError as exc:
                raise OcrError("OCR engine process ended") from exc
            resp = self._receive(deadline=None)
        except OcrError:
            self.close(grace_s=0.0)
            raise
        finally:
            with self._lock:
                self._busy = False
                closed = self._closed
            if closed:
                self._close_pipes()
        if not resp.get("ok"):
            raise OcrError(f"OCR engine failed: {resp.get('error', 'unknown error')}")
        return [tuple(d) for d in resp.get("dets", [])]

    def close(self, grace_s: float = 0.5) -> None:
        """End the child: a clean exit if it is idle, killed if it is still busy.

        Safe from any thread and more than once. A caller blocked in ``__call__`` then gets
        :class:`OcrError` (end of output) at once instead of waiting for the run to finish.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            busy = self._busy
        proc = self._proc
        if busy:
            # The pipes belong to the caller inside __call__ until it returns (closing a
            # descriptor another thread is using could hand its number to a new file).
            proc.kill()
        else:
            self._close_pipes()  # an idle child reads end of input and exits by itself
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:
            proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
            logger.warning("OCR engine process %d did not exit after SIGKILL", proc.pid)

    def _close_pipes(self) -> None:
        for f in (self._proc.stdin, self._proc.stdout):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass

    # -- pipe I/O on raw file descriptors (no buffered-file locks shared with close()) --

    def _write(self, data: bytes) -> None:
        if self._closed or self._proc.stdin is None:
            raise BrokenPipeError("engine process closed")
        fd = self._proc.stdin.fileno()
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]

    def _read_exact(self, n: int, deadline: float | None) -> bytes:
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        buf = bytearray()
        while len(buf) < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise OcrUnavailableError("OCR engine process did not start in time")
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
            if not chunk:
                rc = self._proc.poll()
                raise OcrError(f"OCR engine process ended (exit status {rc})")
            buf += chunk
        return bytes(buf)

    def _receive(self, deadline: float | None) -> dict[str, Any]:
        (n,) = _LEN.unpack(self._read_exact(_LEN.size, deadline))
        if n > _MAX_RESPONSE:
            raise OcrError("OCR engine process sent an oversized response")
        msg = json.loads(self._read_exact(n, deadline))
        if not isinstance(msg, dict):
            raise OcrError("OCR engine process sent a malformed response")
        return msg
