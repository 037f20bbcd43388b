"""OCR, cache and crop-selection timings on a rendered 1200x800 invoice page.

Targets (DESIGN §9, 2-core CPU): warm OCR of the page <= 1.5 s, cached repeat <= 1 ms.
A floor is measured in the same run -- PNG decode + grayscale conversion of the same page,
the least any image pipeline does -- and every number is also printed as a ratio to it, so
results from different machines can be compared.

    .venv/bin/python benchmarks/ocr.py            # 5 warm OCR runs
    .venv/bin/python benchmarks/ocr.py --runs 10
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ocr_docs import cer, invoice  # noqa: E402
from PIL import Image  # noqa: E402

from headroom_middleware import ocr  # noqa: E402
from headroom_middleware.crop import content_bbox, select_crop_region  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not ocr.ocr_available():
        raise SystemExit("rapidocr is not installed: pip install 'headroom-middleware[ocr]'")

    doc = invoice()
    buf = io.BytesIO()
    doc.image.save(buf, format="PNG")
    png = buf.getvalue()

    def floor() -> None:
        with Image.open(io.BytesIO(png)) as im:
            im.convert("L").load()

    floor_s = statistics.median(timed(floor, 50))

    t0 = time.perf_counter()
    first = ocr.run_ocr(doc.image, timeout_s=120)  # includes loading the models
    cold_s = time.perf_counter() - t0
    cpu0 = time.process_time()
    warm = timed(lambda: ocr.run_ocr(doc.image, timeout_s=120), args.runs)
    warm_cpu_s = (time.process_time() - cpu0) / args.runs
    warm_s = statistics.median(warm)

    res = ocr.run_ocr(doc.image, cache_key="bench", timeout_s=120)
    cached = timed(lambda: ocr.run_ocr(doc.image, cache_key="bench"), 1000)
    cached_s = statistics.median(cached)
    cached_max = max(cached)

    queries = ["What's the total?", "What is the invoice number?", "Was steht oben rechts?",
               "右下角写了什么", "what does the footer say"]
    crop_ocr = timed(lambda: [select_crop_region(doc.image, q, ocr=res) for q in queries], 20)
    crop_ocr_s = statistics.median(crop_ocr) / len(queries)
    crop_plain = timed(lambda: [select_crop_region(doc.image, q) for q in queries[2:]], 20)
    crop_plain_s = statistics.median(crop_plain) / len(queries[2:])
    bbox_s = statistics.median(timed(lambda: content_bbox(doc.image), 50))

    expected = ["INVOICE", "Invoice number: INV-2024-0042", "Total", "1820.40 EUR"]
    found = sum(1 for e in expected if e in first.text)

    rows = [
        ("floor: PNG decode + grayscale", floor_s, ""),
        ("OCR cold (first call, loads models)", cold_s, ""),
        (f"OCR warm (median of {args.runs})", warm_s, "target <= 1.5 s"),
        (f"OCR warm (best of {args.runs})", min(warm), "closest to an idle machine"),
        ("OCR warm CPU time, all threads (mean)", warm_cpu_s, "wall time on an idle box ~ CPU/threads"),
        ("OCR cached repeat (median of 1000)", cached_s, f"target <= 1 ms; max {cached_max * 1e3:.3f} ms"),
        ("crop selection with OCR (per query)", crop_ocr_s, ""),
        ("crop selection spatial only (per query)", crop_plain_s, ""),
        ("content_bbox 1200x800", bbox_s, ""),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cpus {os.cpu_count()}, load average (1 min) {load:.2f} -- other work on the box inflates wall times")
    print(f"page {doc.image.width}x{doc.image.height}, {len(first.lines)} OCR lines, "
          f"confidence {first.mean_confidence:.3f}, expected strings found {found}/{len(expected)}")
    print(f"{'measure':44} {'ms':>10} {'x floor':>9}  note")
    for name, secs, note in rows:
        print(f"{name:44} {secs * 1e3:10.4f} {secs / floor_s:9.1f}  {note}")
    ok_warm = warm_s <= 1.5
    ok_cache = cached_s <= 0.001
    print(f"warm OCR {'OK' if ok_warm else 'SLOW'}; cached repeat {'OK' if ok_cache else 'SLOW'}")

    # CER on the sizes page (12-34 px) as a quick accuracy check in the same run.
    from ocr_docs import sizes_page

    sp = sizes_page()
    got = [" ".join(s.split()) for s in ocr.run_ocr(sp.image).text.splitlines() if s.strip()]
    print(f"CER sizes page (12-34 px): {cer(chr(10).join(sp.lines), chr(10).join(got)):.4f}")


if __name__ == "__main__":
    main()
