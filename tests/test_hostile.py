"""Hostile inputs never hurt the host: each case runs in a child process with a memory cap.

The cases (``hostile_cases.py``) are the ways a tiny request could OOM or stall a worker
(thin strips, an 80 MP flat PNG, a 100k-page TIFF, 1000 nested tool results, a 5 MB question,
1 MB model names) plus the classics that already held (truncated and odd base64, 16-bit, CMYK,
palette+alpha, animated, EXIF orientations with crops, wrong mime, remote URLs of every scheme,
junk structures, lone surrogates). ``hostile_child.py`` checks each: nothing raises (except the
typed argument errors expected), nothing mutated, non-image content byte-identical,
deterministic, idempotent, nothing fetched; here the measured peak memory and CPU time of each
case are held to the bounds below.

The bounds are the README's "Guarantees"; they are generous next to typical use (a few MB, a few
hundred ms) so a busy CI machine does not flake, and far below the failures they guard against
(22 GB, 286 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile_cases import CASES

#: Address space a child may add after warming up its engines (RLIMIT_AS).
ADDRESS_SPACE_MB = 2048
#: Resident memory one case may add at its peak.
PEAK_RSS_MB = 400
#: CPU time (all threads) one case may use for its first, uncached compression.
CPU_S = 10.0
#: Wall-clock limit for a whole child (many cases, three compressions each, engines loaded).
CHILD_TIMEOUT_S = 600

_HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, Any]]:
    """Run every group of cases in its own child, two children at a time."""
    pytest.importorskip("rapidocr")
    groups: dict[str, list[str]] = {}
    for case in CASES:
        groups.setdefault(case.group, []).append(case.name)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    procs = {
        group: subprocess.Popen(
            [sys.executable, str(_HERE / "hostile_child.py"), str(ADDRESS_SPACE_MB), *names],
            cwd=_HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for group, names in groups.items()
    }
    found: dict[str, dict[str, Any]] = {}
    for group, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            err = f"child timed out after {CHILD_TIMEOUT_S} s\n{err}"
        for line in out.splitlines():
            if line.startswith("{"):
                row = json.loads(line)
                found[row["name"]] = row
        for name in groups[group]:
            found.setdefault(name, {"name": name, "problems": [f"child exited {proc.returncode}: {err[-2000:]}"]})
    return found


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile_case(name: str, outcomes: dict[str, dict[str, Any]]) -> None:
    row = outcomes[name]
    assert row["problems"] == []
    assert row["peak_rss_mb"] <= PEAK_RSS_MB, row
    assert row["cpu_s"] <= CPU_S, row


def test_the_memory_cap_is_real() -> None:
    """The child's RLIMIT_AS turns a runaway allocation into MemoryError (a guard against a silent no-op)."""
    code = (
        "import resource, sys\n"
        "cap = 512 * 1024 * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (cap, cap))\n"
        "try:\n"
        "    b = bytearray(1024 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('capped')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "capped"
