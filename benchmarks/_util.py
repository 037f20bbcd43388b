"""Timing helpers shared by the benchmarks (percentiles over repeated runs)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def row(name: str, value: str, target: str = "", ok: bool | None = None) -> str:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    return f"{name:<58} {value:>22}   {target}{mark}"
