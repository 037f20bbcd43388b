"""The OCR engine process: never hurts the host (exit after a timeout, close, memory on thin strips).

Each case runs in a fresh interpreter, as a host application would, with the real engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from headroom_middleware import ocr

pytestmark = pytest.mark.skipif(not ocr.ocr_available(), reason="rapidocr not installed")

ROOT = Path(__file__).resolve().parents[1]
INVOICE = ROOT / "headroom_middleware" / "samples" / "invoice.png"

# Load the models with a tiny image, then abandon a page-sized run after 50 ms and exit while
# the engine is busy with it. Before the engine had its own process this aborted the host
# ("terminate called without an active exception", exit status 134).
_TIMEOUT_THEN_EXIT = f"""
import sys
from PIL import Image, ImageDraw
from headroom_middleware.errors import OcrTimeoutError
from headroom_middleware.ocr import default_engine, run_ocr
small = Image.new("RGB", (200, 40), "white")
ImageDraw.Draw(small).text((5, 10), "warm up", fill="black")
run_ocr(small, timeout_s=120)
try:
    run_ocr(Image.open({str(INVOICE)!r}), cache_key="page", timeout_s=0.05)
    sys.exit(3)  # the page cannot be read in 50 ms: the timeout must fire
except OcrTimeoutError:
    pass
print(default_engine()._process.pid, flush=True)
"""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0): it has exited and only waits to be reaped.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_exit_after_timed_out_ocr_never_aborts() -> None:
    runs, parallel = 20, 4
    codes: list[int] = []
    pids: list[int] = []
    for start in range(0, runs, parallel):
        procs = [
            subprocess.Popen([sys.executable, "-c", _TIMEOUT_THEN_EXIT], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
            for _ in range(min(parallel, runs - start))
        ]
        for p in procs:
            out, err = p.communicate(timeout=300)
            codes.append(p.returncode)
            assert p.returncode == 0, err[-2000:]
            pids.append(int(out.split()[-1]))
    assert codes == [0] * runs
    # No engine process outlives its host.
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in pids)


_CLOSE_WHILE_BUSY = f"""
import threading, time
from PIL import Image
from headroom_middleware.errors import OcrError, OcrUnavailableError
from headroom_middleware.ocr import RapidOcrEngine
eng = RapidOcrEngine()
page = Image.open({str(INVOICE)!r})
eng.read(Image.new("RGB", (64, 64), "white"), timeout_s=120)  # loads the models
pid = eng._process.pid
errors = []
def read():
    try:
        eng.read(page, timeout_s=120)
    except OcrError as exc:
        errors.append(type(exc).__name__)
t = threading.Thread(target=read)
t.start()
time.sleep(0.3)
t0 = time.perf_counter()
eng.close()
t.join(10)
print(pid, "closed_in=%.2f" % (time.perf_counter() - t0), "alive=%s" % t.is_alive(), errors)
try:
    eng.read(page)
except OcrUnavailableError:
    print("closed engine refuses")
"""


def test_close_while_busy_kills_the_run_and_returns_promptly() -> None:
    out = subprocess.run([sys.executable, "-c", _CLOSE_WHILE_BUSY], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    first, second = out.stdout.strip().splitlines()
    pid, closed_in, alive, errors = first.split(maxsplit=3)
    assert float(closed_in.split("=")[1]) < 3.0
    assert alive == "alive=False"
    assert errors == "['OcrError']"
    assert second == "closed engine refuses"
    assert _gone(int(pid))


# Thin strips used to be upscaled by the detector to its minimum side: a 140-byte 3x1600
# PNG peaked at 4+ GB, a 1x20000 PNG was OOM-killed at 22 GB.
_STRIPS = """
import os, sys
from PIL import Image, ImageDraw
from headroom_middleware.ocr import default_engine, run_ocr
def peak_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
strips = [Image.new("L", (3, 1600), 255), Image.new("L", (1, 20000), 255),
          Image.new("L", (20000, 1), 255), Image.new("RGB", (20000, 12), "white"),
          Image.new("RGB", (24, 30000), "white")]
line = Image.new("RGB", (6000, 24), "white")
ImageDraw.Draw(line).text((10, 6), "a long thin strip of text " * 8, fill="black")
strips.append(line)
for im in strips:
    run_ocr(im, timeout_s=120)
proc = default_engine()._process
engine_mb = peak_mb(proc.pid) if proc is not None else 0
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
host_mb = peak_mb(os.getpid())
print(host_mb, engine_mb)
"""


def test_thin_strips_stay_within_memory_bounds() -> None:
    out = subprocess.run([sys.executable, "-c", _STRIPS], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    host_mb, engine_mb = map(int, out.stdout.split())
    assert host_mb < 400, host_mb
    assert engine_mb < 1200, engine_mb
