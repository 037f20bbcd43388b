"""The real training images (models/data/real/): manifest, files, licences and the questions written on them."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

REAL = Path(__file__).resolve().parent.parent / "models" / "data" / "real"
MANIFEST = REAL / "manifest.jsonl"

KINDS = {"document", "receipt", "code_screenshot", "ui_screenshot", "table", "chart", "diagram", "photo",
         "photo_text", "mixed"}
LABELS = {"preserve", "full_low", "crop", "transcode"}
FIELDS = {"id", "file", "kind", "width", "height", "source", "licence", "attribution", "made", "group", "sha256"}
# Copyleft / share-alike licences must never enter the training set.
FORBIDDEN_LICENCE = re.compile(r"\b(A|L)?GPL\b|GNU General|share[- ]?alike|CC-BY-SA|\bBY-SA\b|-SA-|CC-BY-NC|\bNC\b",
                               re.IGNORECASE)
# Training sources: Debian or PyPI packages, or GitHub repositories whose owner starts with a-m
# (the dev set uses owners n-z and digits only, so the two sets cannot share a source).
SOURCE = re.compile(r"^(debian:\S+ \S+ .+|pypi:\S+ \S+ .+|github:[A-Za-m][\w.-]*/[\w.-]+@[0-9a-f]{40}:.+)$")


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, Any]]:
    return _rows(MANIFEST)


def test_enough_real_images_in_a_realistic_mix(manifest: list[dict[str, Any]]) -> None:
    assert len(manifest) >= 600
    kinds = {r["kind"] for r in manifest}
    assert {"document", "ui_screenshot", "code_screenshot", "chart", "diagram", "table", "photo", "receipt"} <= kinds


def test_manifest_rows_are_complete_sorted_and_unique(manifest: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in manifest]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    for r in manifest:
        assert set(r) == FIELDS, r["id"]
        assert re.fullmatch(r"r\d{4}", r["id"])
        assert r["file"] in {f"images/{r['id']}.png", f"images/{r['id']}.jpg"}
        assert r["kind"] in KINDS
        assert r["attribution"].strip() and r["made"].strip() and r["group"].strip()


def test_files_match_manifest_size_and_sha256(manifest: list[dict[str, Any]]) -> None:
    listed = {r["file"].split("/")[-1] for r in manifest}
    on_disk = {p.name for p in (REAL / "images").iterdir()}
    assert on_disk == listed, "images/ holds exactly the files of the manifest"
    total = 0
    for r in manifest:
        path = REAL / r["file"]
        data = path.read_bytes()
        total += len(data)
        assert hashlib.sha256(data).hexdigest() == r["sha256"], r["id"]
        with Image.open(path) as im:
            assert im.size == (r["width"], r["height"]), r["id"]
            assert im.format == ("JPEG" if path.suffix == ".jpg" else "PNG")
    # 82 MiB with the two GitHub sections (as shipped, long side <= 2400 px): room for one more section.
    assert total <= 96 * 1024 * 1024, f"{total / 2**20:.1f} MiB: keep the training images lean"


def test_licences_are_permissive_and_sources_allowed(manifest: list[dict[str, Any]]) -> None:
    for r in manifest:
        assert not FORBIDDEN_LICENCE.search(r["licence"]), (r["id"], r["licence"])
        assert SOURCE.match(r["source"]), (r["id"], r["source"])


def test_forbidden_licence_pattern_catches_copyleft() -> None:
    for bad in ("GPL-2.0+", "LGPL-3.0", "CC-BY-SA-4.0", "AGPL-3.0", "CC BY-SA 3.0", "CC-BY-NC-4.0"):
        assert FORBIDDEN_LICENCE.search(bad), bad
    for good in ("PSF-2.0", "BSD-3-Clause", "CC-BY-4.0", "CC0-1.0", "MIT", "public-domain", "HPND", "PostgreSQL"):
        assert not FORBIDDEN_LICENCE.search(good), good


def _question_files() -> list[Path]:
    return sorted(REAL.glob("questions*.jsonl"))


@pytest.mark.parametrize("path", _question_files(), ids=lambda p: p.name)
def test_questions_follow_the_schema(path: Path, manifest: list[dict[str, Any]]) -> None:
    sizes = {r["id"]: (r["width"], r["height"]) for r in manifest}
    rows = _rows(path)
    assert rows, path.name
    ids = [q["id"] for q in rows]
    assert len(ids) == len(set(ids))
    for q in rows:
        assert set(q) == {"id", "image", "query", "lang", "label", "acceptable", "region", "writer", "note"}, q["id"]
        assert q["image"] in sizes, q["id"]
        assert q["label"] in LABELS and set(q["acceptable"]) <= LABELS - {q["label"]}, q["id"]
        assert re.fullmatch(r"[a-z]{2}", q["lang"]), q["id"]
        assert isinstance(q["query"], str) and isinstance(q["writer"], str) and q["writer"]
        if q["query"] == "":
            assert q["lang"] == "en", q["id"]
        needs_box = "crop" in {q["label"], *q["acceptable"]}
        if needs_box:
            x0, y0, x1, y1 = q["region"]
            w, h = sizes[q["image"]]
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, (q["id"], q["region"], (w, h))
        else:
            assert q["region"] is None, q["id"]


def test_question_ids_are_unique_across_writers() -> None:
    seen: set[str] = set()
    for path in _question_files():
        for q in _rows(path):
            assert q["id"] not in seen, q["id"]
            seen.add(q["id"])
