"""Crop localisation on the real-image reference set (tests/data/crop_ref): how often the crop covers the
asked-for region, what it saves, how often no crop is made.

A question counts as covered when the crop box holds ≥ 90 % of the hand-checked region. The crop runs as the
pipeline runs it: on the analysis-size image (≤ 1600 px), with the OCR lines of that image, and for a target's
token grid. OCR lines come from ``tests/data/crop_ref/ocr_lines.json`` (made by the bundled engine with
``--refresh-ocr``) so the numbers do not depend on OCR timing.

    python benchmarks/crop.py                 # report
    python benchmarks/crop.py --refresh-ocr   # re-run OCR on the images first (slow: ~1 min per image here)
    python benchmarks/crop.py -v              # one line per question
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import row as bench_row
from crop_ref import REF_DIR, evaluate, load_questions, refresh_ocr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--refresh-ocr", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--model", default="anthropic/claude-sonnet-4-5")
    args = ap.parse_args()
    if args.refresh_ocr:
        refresh_ocr()
    questions = load_questions()
    report = evaluate(questions, model=args.model)
    if args.verbose:
        for row in report.rows:
            print(f"{row.status:8s} cov={row.coverage:4.2f} conf={row.confidence:4.2f} save={row.saving:5.1%} "
                  f"{row.kind:8s} {row.image:28s} {row.question[:70]}")
    print(f"crop reference set: {len(questions)} questions on {len({q.image for q in questions})} real images "
          f"({REF_DIR.relative_to(REF_DIR.parents[2])}), target {args.model}")
    print(report.summary())
    covered = report.rate("covered")
    bench_row(f"crop covers >= 90 % of the asked-for region ({args.model})", f"{covered:.0%} of {len(questions)}",
        "target >= 70 %", covered >= 0.70, baseline="no crop: the whole image is sent (0 % saved)")


if __name__ == "__main__":
    main()
