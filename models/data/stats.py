"""Print counts for models/data: queries per label / kind / language / source, and images per kind.

    python models/data/stats.py            # plain text
    python models/data/stats.py --markdown # tables for README.md
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ("preserve", "full_low", "transcode", "crop")


def table(title: str, counter: Counter, total: int, md: bool) -> str:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    if md:
        out = [f"| {title} | n | % |", "| --- | ---: | ---: |"]
        out += [f"| {k} | {v} | {100 * v / total:.1f} |" for k, v in rows]
    else:
        out = [f"{title}:"] + [f"  {k:<18} {v:>5}  {100 * v / total:5.1f}%" for k, v in rows]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--markdown", action="store_true")
    md = ap.parse_args().markdown
    q = [json.loads(line) for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    n = len(q)
    print(f"queries: {n}, groups: {len({r['group'] for r in q})}, "
          f"non-English: {sum(r['lang'] != 'en' for r in q)} ({100 * sum(r['lang'] != 'en' for r in q) / n:.1f}%), "
          f"languages: {len({r['lang'] for r in q})}\n")
    print(table("label", Counter(r["label"] for r in q), n, md))
    print(table("image_kind", Counter(r["image_kind"] for r in q), n, md))
    print(table("lang", Counter(r["lang"] for r in q), n, md))
    print(table("source", Counter(r["source"] for r in q), n, md))
    kinds = sorted({r["image_kind"] for r in q})
    cross = Counter((r["image_kind"], r["label"]) for r in q)
    if md:
        print("| kind | " + " | ".join(LABELS) + " |\n| --- |" + " ---: |" * len(LABELS))
        for k in kinds:
            print(f"| {k} | " + " | ".join(str(cross[(k, lab)]) for lab in LABELS) + " |")
    else:
        print("kind x label:\n  " + " " * 16 + "".join(f"{lab:>10}" for lab in LABELS))
        for k in kinds:
            print(f"  {k:<16}" + "".join(f"{cross[(k, lab)]:>10}" for lab in LABELS))
    man = HERE / "images" / "manifest.jsonl"
    if man.exists():
        im = [json.loads(line) for line in man.read_text(encoding="utf-8").splitlines()]
        size = sum((HERE / "images" / r["file"]).stat().st_size for r in im)
        print(f"\nimages: {len(im)}, {size / 1e6:.1f} MB on disk")
        print(table("images per kind", Counter(r["kind"] for r in im), len(im), md))


if __name__ == "__main__":
    main()
