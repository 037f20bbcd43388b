"""`make bench`'s runner: rows recorded by benchmarks, missed targets fail, the README table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench_run  # noqa: E402  (benchmarks/ is not a package)


def test_rows_are_recorded_and_judged(tmp_path: Path) -> None:
    script = tmp_path / "b.py"
    script.write_text(
        f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "from _util import row\n"
        "print(row('fast thing', '1 ms', 'target < 2 ms', True, floor='doing nothing (0.5 ms)'))\n"
        "print(row('slow thing', '9 ms', 'target < 2 ms', False, baseline='the other tool (20 ms)'))\n"
        "print(row('unlabelled', '3 ms', 'target < 5 ms', True))\n"
        "print(row('info only', '42'))\n"
        "print(row('no target', '7 ms', floor='a copy (1 ms)'))\n")
    out = tmp_path / "rows.jsonl"
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True,
                   env={**os.environ, "HEADROOM_BENCH_OUT": str(out)})
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["name"] for r in rows] == ["fast thing", "slow thing", "unlabelled", "info only", "no target"]
    found = bench_run.problems(rows)
    assert any(p.startswith("MISSED: slow thing") for p in found)
    assert "no floor or baseline named: unlabelled" in found and len(found) == 2
    for r in rows:
        r["command"] = "python benchmarks/b.py"
        r["load"] = 3.25
    machine = {"date": "d", "cores": 2, "cpu": "cpu", "python": "3.11", "seconds": 600, "exit_status": 1,
               "load_1min": {"min": 1.0, "mean": 3.0, "max": 9.5}}
    table = bench_run.readme_table({"machine": machine, "rows": rows})
    assert "load average during the run 3.0 (min 1.0, max 9.5)" in table and "took 10 min and exited 1" in table
    assert "| fast thing | 1 ms | floor: doing nothing (0.5 ms) | target < 2 ms | yes | 3.2 |" in table
    assert "| slow thing | 9 ms | baseline: the other tool (20 ms) | target < 2 ms | **no** |" in table
    assert "| no target | 7 ms | floor: a copy (1 ms) | — | — |" in table  # a floor without a target is shown
    assert "info only" not in table
    busy = bench_run.readme_table({"machine": {**machine, "busy_processes": 2}, "rows": rows})
    assert "with 2 CPU-bound processes running beside the benchmarks" in busy
    assert "`make bench-busy` (`benchmarks/run.py --busy 2`) took 10 min" in busy


def test_burners_run_and_are_always_stopped() -> None:
    with bench_run.Burners(2, settle_s=0) as burners:
        procs = list(burners._procs)
        assert len(procs) == 2 and all(p.poll() is None for p in procs)
    assert all(p.poll() is not None for p in procs)
    with bench_run.Burners(0) as none:
        assert none._procs == []


def test_load_sampler_summarises_the_window() -> None:
    sampler = bench_run.LoadSampler()
    sampler.samples = [(1.0, 2.0), (2.0, 4.0), (3.0, 9.0)]
    assert sampler.between(0.5, 2.5) == {"min": 2.0, "mean": 3.0, "max": 4.0}


def test_only_entry_points_are_run() -> None:
    helpers = {p.stem for p in (ROOT / "benchmarks").glob("_*.py")}
    assert not helpers & set(bench_run.ENTRY_POINTS)
    assert "run" not in bench_run.ENTRY_POINTS
