"""Timing helpers shared by the benchmarks (percentiles over repeated runs) and the rows they report.

Every ``row()`` is printed and also recorded; when ``HEADROOM_BENCH_OUT`` names a file (set by
``benchmarks/run.py``), the rows are appended to it as JSON lines at exit, so the runner can write
``benchmarks/results.json``, fail on a missed target and regenerate the README table.
"""

from __future__ import annotations

import atexit
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_S = TypeVar("_S", bound="PeriodicSampler")

_ROWS: list[dict[str, Any]] = []


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def measure_interleaved(fns: dict[str, Callable[[], object]], *, repeat: int,
                        warmup: int = 3) -> dict[str, tuple[list[float], list[float]]]:
    """(wall, CPU) seconds of ``repeat`` calls of each function, called in turn (a, b, a, b, ...) so
    that load from other processes on a shared machine hits each of them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            out[name][0].append(time.perf_counter() - t0)
            out[name][1].append(time.process_time() - c0)
    return out


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process, all threads (Linux /proc): unlike wall time, other
    work on a shared machine barely changes it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def row(name: str, value: str, target: str = "", ok: bool | None = None, *,
        floor: str | None = None, baseline: str | None = None) -> str:
    """One result line. ``floor``: what the same run measured doing strictly less work (a lower bound);
    ``baseline``: the alternative a user would run instead. A row with a target names one of them."""
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    _ROWS.append({"benchmark": Path(sys.argv[0]).name, "name": name.strip(), "value": value, "target": target,
                  "ok": ok, "floor": floor, "baseline": baseline})
    against = f"   [floor: {floor}]" if floor else (f"   [baseline: {baseline}]" if baseline else "")
    return f"{name:<58} {value:>22}   {target}{mark}{against}"


@atexit.register
def _dump_rows() -> None:
    out = os.environ.get("HEADROOM_BENCH_OUT")
    if out and _ROWS:
        with open(out, "a", encoding="utf-8") as fh:
            for r in _ROWS:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


class PeriodicSampler:
    """Calls :meth:`sample` at once and then every ``every_s`` seconds on a daemon thread, from
    ``with`` entry to exit (load average, a process's memory, ...)."""

    def __init__(self, every_s: float) -> None:
        self._every = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self._every):
                return

    def __enter__(self: _S) -> _S:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

