"""Validate an evaluation-only set (``dev`` or ``dev2``: manifest.jsonl, questions*.jsonl, images/) and
print its make-up.

Run from the repository root:  python models/data/check_eval_set.py dev2
Exits non-zero when any error is found (every offending line is listed). Besides the schema it checks
that no image comes from a repository that the training data or another evaluation set uses. Needs
only Pillow.
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

DATA = Path(__file__).resolve().parent
#: Per set: question id pattern, writers, and the first letter range of source repository owners
#: (the first set split GitHub by owner name; the second uses any owner no other set uses).
SETS: dict[str, dict[str, Any]] = {
    "dev": {"ids": r"dq\d{5}", "writers": {"devset"}, "owners": "nz"},
    "dev2": {"ids": r"e[ab]\d{5}", "writers": {"dev2a", "dev2b"}, "owners": "az"},
}
sys.path.insert(0, str(DATA.parents[1]))  # run as a script from anywhere: the repository's packages
from models.data.real.common import KINDS  # noqa: E402  (the image kinds of every set)

LABELS = {"preserve", "full_low", "crop", "transcode"}
# Copyleft / share-alike licences must never enter the set (see README.md).
FORBIDDEN_LICENCE_PARTS = ("GPL", "SA", "ShareAlike")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def repository(source: str) -> str:
    """``owner/name`` of a ``github:owner/name@commit:path`` source, lowercased ("" for other sources)."""
    return source.split(":")[1].split("@")[0].lower() if source.startswith("github:") else ""


def _rows_elsewhere(name: str) -> list[dict[str, Any]]:
    """Manifest rows of the training data and of the other evaluation sets."""
    out: list[dict[str, Any]] = []
    for folder in ["real", *(s for s in SETS if s != name)]:
        manifest = DATA / folder / "manifest.jsonl"
        if manifest.is_file():
            out += _read_jsonl(manifest)
    return out


def repositories_elsewhere(name: str) -> set[str]:
    """GitHub repositories the training data and the other evaluation sets take images from."""
    return {repository(r["source"]) for r in _rows_elsewhere(name)} - {""}


def files_elsewhere(name: str) -> set[str]:
    """sha256 of every image of the training data and the other evaluation sets: one file can ship in two
    repositories (a test image copied between OCR projects), which the repository check cannot see."""
    return {str(r["sha256"]) for r in _rows_elsewhere(name) if r.get("sha256")}


def check_manifest(rows: list[dict[str, Any]], name: str) -> list[str]:
    errors: list[str] = []
    ids = [r["id"] for r in rows]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        errors.append("manifest ids are not sorted and unique")
    lo, hi = SETS[name]["owners"]
    taken = repositories_elsewhere(name)
    taken_files = files_elsewhere(name)
    sources = set()
    for r in rows:
        path = DATA / name / r["file"]
        if r["kind"] not in KINDS:
            errors.append(f"{r['id']}: unknown kind {r['kind']!r}")
        repo = repository(r["source"])
        if not repo or not (lo <= repo[0] <= hi or repo[0].isdigit()):
            errors.append(f"{r['id']}: source must be a GitHub repository whose owner starts with {lo}-{hi} or a digit")
        elif repo in taken:
            errors.append(f"{r['id']}: {repo} is already a source of the training data or another evaluation set")
        if any(part in r["licence"] for part in FORBIDDEN_LICENCE_PARTS):
            errors.append(f"{r['id']}: forbidden licence {r['licence']!r}")
        if not path.is_file():
            errors.append(f"{r['id']}: missing file {r['file']}")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != r["sha256"]:
            errors.append(f"{r['id']}: sha256 mismatch")
        if digest in taken_files:
            errors.append(f"{r['id']}: the same file is in the training data or another evaluation set")
        with Image.open(path) as im:
            if im.size != (r["width"], r["height"]):
                errors.append(f"{r['id']}: size {im.size} != manifest {(r['width'], r['height'])}")
        sources.add(r["source"])
    if len(sources) != len(rows):
        errors.append("two manifest rows share one source file")
    return errors


def check_questions(rows: list[dict[str, Any]], images: dict[str, dict[str, Any]], name: str) -> list[str]:
    errors: list[str] = []
    previous = ""
    rules = SETS[name]
    for n, q in enumerate(rows, 1):
        where = q.get("id", f"line {n}")
        # increasing, not contiguous: removed rows leave gaps and ids never move
        if not re.fullmatch(rules["ids"], str(q["id"])) or q["id"] <= previous:
            errors.append(f"{where}: ids must match {rules['ids']} and increase line by line")
        previous = str(q["id"])
        if q["writer"] not in rules["writers"]:
            errors.append(f"{where}: writer must be one of {sorted(rules['writers'])}")
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


def summary(questions: list[dict[str, Any]], images: dict[str, dict[str, Any]], name: str) -> str:
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
        f"size on disk {sum((DATA / name / m['file']).stat().st_size for m in images.values()) / 2**20:.1f} MiB",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    name = args[0] if args else "dev"
    if name not in SETS:
        print(f"unknown set {name!r}: one of {sorted(SETS)}")
        return 2
    manifest = _read_jsonl(DATA / name / "manifest.jsonl")
    images = {m["id"]: m for m in manifest}
    errors = check_manifest(manifest, name)
    questions: list[dict[str, Any]] = []
    for path in sorted((DATA / name).glob("questions*.jsonl")):
        rows = _read_jsonl(path)
        errors += check_questions(rows, images, name)
        questions += rows
    if len({q["id"] for q in questions}) != len(questions):
        errors.append("question ids repeat across files")
    unused = set(images) - {q["image"] for q in questions}
    errors += [f"{i}: image has no question" for i in sorted(unused)]
    for e in errors:
        print("ERROR", e)
    print(summary(questions, images, name))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
