"""Character error rate of OCR transcode on the reference set (tests/data/ocr_ref).

Real documents (pages rendered from HTML documentation that Debian packages ship), terminal
windows and photographed printouts, each with a hand-checked reference text in reading order.
Prints the CER per document and the mean (target <= 3 %), and the OCR CPU time per document.

    .venv/bin/python benchmarks/ocr_reference.py
    .venv/bin/python benchmarks/ocr_reference.py sqlite_about flask_cli   # some documents
    .venv/bin/python benchmarks/ocr_reference.py --float   # the original float models, not the int8 ones
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # first: its ocr_reference module, not this script

from _util import row  # noqa: E402  (this script's folder is on sys.path)
from ocr_reference import doc_cer, reference_set  # noqa: E402
from PIL import Image  # noqa: E402

from headroom_middleware import ocr  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", help="documents to run (default: all)")
    ap.add_argument("--float", action="store_true", help="read with the original float models (quantised=False)")
    args = ap.parse_args()
    if not ocr.ocr_available():
        raise SystemExit("rapidocr is not installed: pip install 'headroom-middleware[ocr]'")
    docs = [d for d in reference_set() if not args.names or d.name in args.names]
    engine = ocr.RapidOcrEngine(quantised=False) if args.float else ocr.default_engine()
    rates = []
    print(f"{'document':28} {'size':>10} {'lines':>6} {'CER':>7} {'wall s':>7}")
    for d in docs:
        img = Image.open(d.image)
        img.load()
        t0 = time.perf_counter()
        res = engine.read(img, timeout_s=600)
        wall = time.perf_counter() - t0
        rate = doc_cer(d.text, res.text)
        rates.append(rate)
        print(f"{d.name:28} {img.width:>4}x{img.height:<5} {len(res.lines):6d} {rate:7.2%} {wall:7.2f}", flush=True)
    if rates:
        mean = statistics.fmean(rates)
        verdict = "ok" if mean <= 0.03 else "MISSED"
        print(f"mean CER over {len(rates)} documents: {mean:.2%} (target <= 3 %: {verdict}); "
              f"median {statistics.median(rates):.2%}, worst {max(rates):.2%}")
        print(f"int8 models: {', '.join(getattr(engine._process, 'int8', ())) or 'none'}")
        if not args.names and not args.float:  # the whole set: the number `make bench` reports
            row(f"OCR transcode character error rate, {len(rates)} real pages / terminals / photographed "
                "printouts (tests/data/ocr_ref)",
                f"mean {mean:.2%} (median {statistics.median(rates):.2%}, worst {max(rates):.2%})",
                "target mean <= 3 %", mean <= 0.03, baseline="no transcode: the image is sent as is (0 % saved)")


if __name__ == "__main__":
    main()
