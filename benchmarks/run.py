"""Run every benchmark entry point, write ``benchmarks/results.json``, fail on a missed target.

    python benchmarks/run.py            # all entry points (what `make bench` runs)
    python benchmarks/run.py core ocr   # some of them (results.json only; the README table needs all)
    python benchmarks/run.py --readme   # only rewrite the README performance table from results.json
    python benchmarks/run.py --busy 2   # the same with 2 CPU-bound processes beside it (`make bench-busy`):
                                        # results_busy.json and the README's busy-machine table

Each entry point prints its rows and records them through ``_util.row`` (see there). A row with a
target must say what it is measured against: a *floor* (a lower bound measured in the same run
doing strictly less work) or a *baseline* (what a user would run instead). The runner exits 1 when
a target is missed, when a benchmark crashes, or when a row with a target names neither.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _util import PeriodicSampler  # noqa: E402

README = ROOT / "README.md"
RESULTS = HERE / "results.json"
RESULTS_BUSY = HERE / "results_busy.json"
# Entry points, in the order they run; helper modules (``_*.py``) and tools are not benchmarks.
ENTRY_POINTS = ("core", "router", "ocr", "ocr_reference", "crop", "crop_real", "litellm_proxy", "load")
#: Arguments an entry point runs with (crop_real: OCR the held-out halves' images where not cached yet,
#: ~15 min the first time after an OCR change, seconds after; report the report and new halves).
ARGS: dict[str, list[str]] = {"crop_real": ["--ocr", "--half", "held-out"]}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
BUSY_START, BUSY_END = "<!-- bench-busy:start -->", "<!-- bench-busy:end -->"
#: What a CPU-bound neighbour runs: pure-interpreter spinning, no I/O, no memory growth.
_BURNER = "while True:\n    pass"


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": platform.platform(terse=True),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


class LoadSampler(PeriodicSampler):
    """The 1-minute load average, sampled every few seconds while benchmarks run: on a shared machine
    it says how much of the timing was other people's work."""

    def __init__(self, every_s: float = 5.0) -> None:
        super().__init__(every_s)
        self.samples: list[tuple[float, float]] = []  # (perf_counter, load)

    def sample(self) -> None:
        self.samples.append((time.perf_counter(), os.getloadavg()[0]))

    def between(self, t0: float, t1: float) -> dict[str, float]:
        got = [load for t, load in self.samples if t0 <= t <= t1] or [os.getloadavg()[0]]
        return {"min": min(got), "mean": round(sum(got) / len(got), 2), "max": max(got)}


class Burners:
    """``n`` CPU-bound processes at normal priority for the length of a run: a machine that is busy
    with someone else's work, as a user's often is. Always stopped, also on errors."""

    def __init__(self, n: int, settle_s: float = 60.0) -> None:
        self.n = n
        self.settle_s = settle_s
        self._procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Burners:
        self._procs = [subprocess.Popen([sys.executable, "-c", _BURNER]) for _ in range(self.n)]
        # The contention is there at once, but the 1-minute load average the tables show lags it:
        # give it up to a minute to reach most of the burners' share before the first benchmark.
        deadline = time.monotonic() + self.settle_s
        while self.n and time.monotonic() < deadline and os.getloadavg()[0] < 0.6 * self.n:
            time.sleep(1)
        return self

    def __exit__(self, *exc: object) -> None:
        for p in self._procs:
            p.kill()
        for p in self._procs:
            p.wait()


def run(names: list[str], busy: int = 0) -> int:
    machine = _machine()
    if busy:
        machine["busy_processes"] = busy
    results_path = RESULTS_BUSY if busy else RESULTS
    rows: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    failures: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Burners(busy), LoadSampler() as loads:
        for name in names:
            script = HERE / f"{name}.py"
            if not script.exists():
                print(f"== {name}: not present, skipped")
                continue
            out = Path(tmp) / f"{name}.jsonl"
            print(f"== {script.relative_to(ROOT)}", flush=True)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, str(script), *ARGS.get(name, [])], cwd=ROOT,
                                  env={**os.environ, "HEADROOM_BENCH_OUT": str(out),
                                       "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
            t1 = time.perf_counter()
            if proc.returncode != 0:
                failures.append(f"{name}: exited with {proc.returncode}")
            got = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
            load = loads.between(t0, t1)
            for r in got:
                r["command"] = " ".join(["python", f"benchmarks/{name}.py", *ARGS.get(name, [])])
                r["load"] = load["mean"]
            rows.extend(got)
            runs.append({"benchmark": name, "seconds": round(t1 - t0, 1), "exit": proc.returncode, "load": load})
            print(f"   ({t1 - t0:.0f} s, {len(got)} rows, 1-min load average {load['mean']:.1f})", flush=True)
        machine["load_1min"] = loads.between(start, time.perf_counter())
    failures += problems(rows)
    machine["seconds"] = round(time.perf_counter() - start)
    machine["exit_status"] = 1 if failures else 0
    results_path.write_text(json.dumps({"machine": machine, "runs": runs, "problems": failures, "rows": rows},
                                       indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {results_path.relative_to(ROOT)} ({len(rows)} rows) in {machine['seconds'] / 60:.1f} min")
    for f in failures:
        print(f"  {f}")
    print("all targets met" if not failures else f"{len(failures)} problem(s)")
    return machine["exit_status"]


def problems(rows: list[dict[str, Any]]) -> list[str]:
    """Missed targets, and rows with a target that name neither a floor nor a baseline."""
    out = []
    for r in rows:
        if r["ok"] is False:
            out.append(f"MISSED: {r['name']} = {r['value']} ({r['target']})")
        if r["ok"] is not None and not (r.get("floor") or r.get("baseline")):
            out.append(f"no floor or baseline named: {r['name']}")
    return out


def readme_table(results: dict[str, Any]) -> str:
    """The README performance table: every row with a target or a floor/baseline, and the machine."""
    m = results["machine"]
    load = m.get("load_1min") or {}
    busy = m.get("busy_processes", 0)
    command = f"`make bench-busy` (`benchmarks/run.py --busy {busy}`)" if busy else "`make bench`"
    lines = [f"Measured {m['date']} on {m['cores']} cores × {m['cpu']}, Python {m['python']}"
             + (f", with {busy} CPU-bound processes running beside the benchmarks" if busy else "")
             + (f"; 1-min load average during the run {load['mean']:.1f} (min {load['min']:.1f}, max "
                f"{load['max']:.1f})" if load else "")
             + (f". {command} took {m['seconds'] / 60:.0f} min and exited {m['exit_status']}"
                if "seconds" in m else "") + ".", "",
             "| what | measured | against | target | met | load | command |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results["rows"]:
        if r["ok"] is None and not (r.get("floor") or r.get("baseline")):
            continue
        against = (f"floor: {r['floor']}" if r.get("floor") else
                   f"baseline: {r['baseline']}" if r.get("baseline") else "—")
        met = "—" if r["ok"] is None else "yes" if r["ok"] else "**no**"
        cells = [r["name"], r["value"], against, r["target"] or "—", met,
                 f"{r['load']:.1f}" if r.get("load") is not None else "—", f"`{r['command']}`"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def write_readme(busy: bool = False) -> None:
    """Rewrite one README table (the quiet or the busy run's) between its markers from its results."""
    start, end = (BUSY_START, BUSY_END) if busy else (START, END)
    results = json.loads((RESULTS_BUSY if busy else RESULTS).read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} … {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{readme_table(results)}\n{end}{tail}", encoding="utf-8")
    print(f"rewrote the {'busy-machine ' if busy else ''}performance table in {README.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"entry points to run (default: {', '.join(ENTRY_POINTS)})")
    parser.add_argument("--readme", action="store_true", help="only regenerate the README table(s)")
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="run N CPU-bound processes beside the benchmarks (results_busy.json, busy table)")
    args = parser.parse_args()
    if args.busy < 0:
        parser.error("--busy takes a number of processes >= 0")
    if args.readme:
        write_readme()
        if RESULTS_BUSY.exists():
            write_readme(busy=True)
        return 0
    unknown = [n for n in args.names if n not in ENTRY_POINTS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ENTRY_POINTS)}")
    code = run(args.names or list(ENTRY_POINTS), busy=args.busy)
    if not args.names or set(args.names) == set(ENTRY_POINTS):  # a partial run must not shrink the table
        write_readme(busy=args.busy > 0)
    return code


if __name__ == "__main__":
    sys.exit(main())
