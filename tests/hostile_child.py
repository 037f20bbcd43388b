"""Run hostile cases inside a capped child process; print one JSON line per case.

    python hostile_child.py <extra address space MB> <case name> [<case name> ...]

The engines are warmed up first (router, OCR), then the address space is capped
(``RLIMIT_AS`` = current size + the given MB) so an allocation beyond it fails inside the child
instead of swapping or OOM-killing the host. For every case, the peak resident memory it added is
measured by resetting the kernel's high-water mark (``/proc/self/clear_refs``) before it runs.

Each case is checked for: the expected outcome (no exception, or the expected HeadroomError),
input not mutated, content other than image blocks byte-identical, determinism (a fresh
compressor gives the same bytes), idempotence (compressing the output changes nothing), no
network or file access for remote images (audit hook), and no MemoryError swallowed by fail-open.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

_SEEN: list[str] = []
# The only file paths a request can name; opening them would be fetching a "remote" image.
_FORBIDDEN_PATHS = ("/tmp/headroom-hostile-never-read.png", "\\\\server")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request", "http.client.connect"):
        _SEEN.append(event)
    elif event == "open" and args and isinstance(args[0], str) and args[0].startswith(_FORBIDDEN_PATHS):
        _SEEN.append(f"open {args[0]}")


def _status(field: str) -> int:
    """A /proc/self/status value in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
        return True
    except OSError:
        return False


def _masked(messages: Any, paths: list[tuple[Any, ...]]) -> Any:
    """``messages`` with the blocks at ``paths`` replaced by a placeholder (a deep copy)."""
    out = copy.deepcopy(messages)
    for path in paths:
        node = out[path[0]]
        for key in path[1:-1]:
            node = node[key]
        node[path[-1]] = "<image>"
    return out


@contextlib.contextmanager
def _harness() -> Iterator[None]:
    """The checks' own deep copies and comparisons of 1000-level requests need a deeper stack; the
    library calls themselves always run at the interpreter's default limit."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _results(report: Any) -> list[dict[str, Any]]:
    return [r.model_dump(exclude={"duration_ms"}) for r in report.results]


def run_case(name: str) -> dict[str, Any]:
    from hostile_cases import BY_NAME

    from headroom_middleware import CompressionConfig, ImageCompressor
    from headroom_middleware.errors import HeadroomError
    from headroom_middleware.formats.walk import find_image_slots

    case = BY_NAME[name]
    try:
        messages, kwargs = case.build()
    except Exception as exc:  # a broken generator must fail its case, not the other cases of the child
        return {"name": name, "problems": [f"case could not be built: {exc!r}"]}
    with _harness():
        before = copy.deepcopy(messages)
        twin = copy.deepcopy(messages)
    config = CompressionConfig(**{"ocr_timeout_s": 120.0, **case.config})
    problems: list[str] = []
    _SEEN.clear()
    rss0 = _status("VmRSS")
    peak_ok = _reset_peak()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    try:
        first = ImageCompressor(config).compress_with_report(messages, **kwargs)
    except HeadroomError as exc:
        if case.expect_error != exc.__class__.__name__:
            problems.append(f"raised {exc.__class__.__name__}: {exc}")
        first = None
    except BaseException as exc:
        problems.append(f"raised {exc.__class__.__name__}: {str(exc)[:200]}")
        first = None
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    peak = (_status("VmHWM") - rss0) if peak_ok else -1
    if first is None and case.expect_error is None and not problems:
        problems.append("no report")
    if first is not None and case.expect_error is not None:
        problems.append(f"expected {case.expect_error}, got a report")
    with _harness():
        if messages != before:
            problems.append("input mutated")
    if first is not None:
        paths = [s.path for s in find_image_slots(before, max_depth=config.max_nesting_depth)]
        with _harness():
            if _masked(first.messages, paths) != _masked(before, paths):
                problems.append("content other than image blocks changed")
        if len(first.results) != len(paths):
            problems.append(f"{len(first.results)} results for {len(paths)} image blocks")
        for r in first.results:
            if "MemoryError" in r.reason:
                problems.append(f"{r.location}: {r.reason}")
            if case.technique and r.technique.value != case.technique:
                problems.append(f"{r.location}: {r.technique.value}, not {case.technique} ({r.reason})")
            if case.reason and case.reason not in r.reason:
                problems.append(f"{r.location}: reason {r.reason!r} lacks {case.reason!r}")
            if r.crop_box is not None and r.original_size is not None:
                x0, y0, x1, y1 = r.crop_box
                w, h = r.original_size
                if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
                    problems.append(f"{r.location}: crop box {r.crop_box} outside {w}x{h}")
        again_compressor = ImageCompressor(config)
        second = again_compressor.compress_with_report(twin, **kwargs)
        third = again_compressor.compress_with_report(first.messages, **kwargs)
        with _harness():
            if second.messages != first.messages or _results(second) != _results(first):
                problems.append("not deterministic")
            if third.messages != first.messages:
                problems.append("not idempotent")
    if _SEEN:
        problems.append(f"fetch attempted: {sorted(set(_SEEN))}")
    return {"name": name, "problems": problems, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "peak_rss_mb": peak, "techniques": sorted({r.technique.value for r in first.results}) if first else []}


def _warm_up() -> None:
    """Load the router and OCR engines (their one-off memory is not a case's)."""
    from images import data_url, photo, text_page

    from headroom_middleware import CompressionConfig, ImageCompressor

    c = ImageCompressor(CompressionConfig(ocr_timeout_s=120.0))
    for img, question in ((photo(640, 480), "What is this?"), (text_page(900, 600), "Transcribe the text.")):
        msgs = [{"role": "user", "content": [{"type": "text", "text": question},
                                             {"type": "image_url", "image_url": {"url": data_url(img)}}]}]
        c.compress(msgs, model="gpt-4o")


def main() -> None:
    extra_mb, names = int(sys.argv[1]), sys.argv[2:]
    _warm_up()
    cap = (_status("VmSize") + extra_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    sys.addaudithook(_audit)
    for name in names:
        print(json.dumps(run_case(name)), flush=True)
    # The outcome is printed; skip interpreter teardown (native engines' exit is tested elsewhere).
    os._exit(0)


if __name__ == "__main__":
    main()
