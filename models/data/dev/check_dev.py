"""Validate the evaluation-only dev set (manifest.jsonl, questions.jsonl, images/) and print its make-up.

Run from the repository root:  python models/data/dev/check_dev.py
Exits non-zero on the first kind of error found (every offending line is listed). Needs only Pillow.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image

DEV = Path(__file__).resolve().parent
KINDS = {
    "document",
    "receipt",
    "code_screenshot",
    "ui_screenshot",
    "table",
    "chart",
    "diagram",
    "photo",
    "photo_text",
    "mixed",
}
LABELS = {"preserve", "full_low", "crop", "transcode"}
# Copyleft / share-alike licences must never enter the set (see README.md).
FORBIDDEN_LICENCE_PARTS = ("GPL", "SA", "ShareAlike")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check_manifest(rows: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    ids = [r["id"] for r in rows]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        errors.append("manifest ids are not sorted and unique")
    sources = set()
    for r in rows:
        path = DEV / r["file"]
        if r["kind"] not in KINDS:
            errors.append(f"{r['id']}: unknown kind {r['kind']!r}")
        if not r["source"].startswith("github:") or r["source"].split(":")[1][0].lower() < "n":
            errors.append(f"{r['id']}: source must be a GitHub repository whose owner starts with n-z or a digit")
        if any(part in r["licence"] for part in FORBIDDEN_LICENCE_PARTS):
            errors.append(f"{r['id']}: forbidden licence {r['licence']!r}")
        if not path.is_file():
            errors.append(f"{r['id']}: missing file {r['file']}")
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != r["sha256"]:
            errors.append(f"{r['id']}: sha256 mismatch")
        with Image.open(path) as im:
            if im.size != (r["width"], r["height"]):
                errors.append(f"{r['id']}: size {im.size} != manifest {(r['width'], r['height'])}")
        sources.add(r["source"])
    if len(sources) != len(rows):
        errors.append("two manifest rows share one source file")
    return errors


def check_questions(rows: list[dict[str, Any]], images: dict[str, dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    previous = ""
    for n, q in enumerate(rows, 1):
        where = q.get("id", f"line {n}")
        # increasing, not contiguous: removed rows leave gaps and ids never move
        if not re.fullmatch(r"dq\d{5}", str(q["id"])) or q["id"] <= previous:
            errors.append(f"{where}: ids must look like dq00001 and increase line by line")
        previous = str(q["id"])
        if q["writer"] != "devset":
            errors.append(f"{where}: writer must be 'devset'")
        if q["image"] not in images:
            errors.append(f"{where}: unknown image {q['image']}")
            continue
        if q["label"] not in LABELS or not set(q["acceptable"]) <= LABELS or q["label"] in q["acceptable"]:
            errors.append(f"{where}: bad label/acceptable {q['label']!r} {q['acceptable']!r}")
        needs_region = q["label"] == "crop" or "crop" in q["acceptable"]
        region = q["region"]
        if needs_region != (region is not None):
            errors.append(f"{where}: region must be given exactly when crop is the label or acceptable")
        if region is not None:
            x0, y0, x1, y1 = region
            m = images[q["image"]]
            if not (0 <= x0 < x1 <= m["width"] and 0 <= y0 < y1 <= m["height"]):
                errors.append(f"{where}: region {region} outside {m['width']}x{m['height']}")
        if not isinstance(q["lang"], str) or len(q["lang"]) != 2 or (q["query"] == "" and q["lang"] != "en"):
            errors.append(f"{where}: lang must be ISO 639-1 ('en' for an empty query)")
    return errors


def summary(questions: list[dict[str, Any]], images: dict[str, dict[str, Any]]) -> str:
    n = len(questions)
    langs = Counter(q["lang"] for q in questions if q["query"])
    non_en = sum(c for lang, c in langs.items() if lang != "en")
    per_image = Counter(q["image"] for q in questions)
    lines = [
        f"images {len(images)}  questions {n}  per image {min(per_image.values())}-{max(per_image.values())}",
        f"kinds {dict(Counter(m['kind'] for m in images.values()).most_common())}",
        f"labels {dict(Counter(q['label'] for q in questions).most_common())}",
        f"empty queries {sum(q['query'] == '' for q in questions)} ({sum(q['query'] == '' for q in questions) / n:.1%})",
        f"non-English {non_en} ({non_en / n:.1%}) in {len(langs) - ('en' in langs)} languages: {dict(langs.most_common())}",
        f"size on disk {sum((DEV / m['file']).stat().st_size for m in images.values()) / 2**20:.1f} MiB",
    ]
    return "\n".join(lines)


def main() -> int:
    manifest = _read_jsonl(DEV / "manifest.jsonl")
    questions = _read_jsonl(DEV / "questions.jsonl")
    images = {m["id"]: m for m in manifest}
    errors = check_manifest(manifest) + check_questions(questions, images)
    unused = set(images) - {q["image"] for q in questions}
    errors += [f"{i}: image has no question" for i in sorted(unused)]
    for e in errors:
        print("ERROR", e)
    print(summary(questions, images))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
