"""Router training data: generators reproduce the committed files, splits are stable, licences recorded,
and the shipped model was trained on exactly the committed data."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "models" / "data"
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


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def make_queries() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_queries", DATA / "make_queries.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_queries"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_queries_jsonl_is_what_the_generator_writes(make_queries: ModuleType) -> None:
    # seeds + seed batches -> queries.jsonl is deterministic and committed as generated
    assert make_queries.render(make_queries.build()) == (DATA / "queries.jsonl").read_text(encoding="utf-8")


def test_seed_files_parse_and_reject_bad_headers(make_queries: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "# comment\n[receipt crop]\nwhat's the total at the bottom\n\n"
        "[photo full_low]\nde| Was ist das? || fr| C'est quoi ?\n",
        encoding="utf-8",
    )
    cells = make_queries.load_seed_files(tmp_path)
    assert cells == {
        ("receipt", "crop"): "what's the total at the bottom",
        ("photo", "full_low"): "de| Was ist das? || fr| C'est quoi ?",
    }
    (tmp_path / "b.txt").write_text("[receipt cropped]\nx\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="bad header"):
        make_queries.load_seed_files(tmp_path)
    (tmp_path / "b.txt").write_text("no header first\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="before the first"):
        make_queries.load_seed_files(tmp_path)


def test_committed_seed_batches_are_valid(make_queries: ModuleType) -> None:
    cells = make_queries.load_seed_files()
    assert cells, "models/data/seeds/*.txt missing"
    for (kind, label), block in cells.items():
        assert kind in KINDS and label in LABELS
        for line in block.split("\n"):
            assert line.strip() and not line.startswith("[")


def test_group_split_is_stable_and_about_one_in_five() -> None:
    from headroom_middleware.router.train import group_bucket, is_test_group

    groups = sorted({str(q["group"]) for q in _read_jsonl(DATA / "queries.jsonl")})
    share = sum(is_test_group(g) for g in groups) / len(groups)
    assert 0.17 < share < 0.23
    # fold 0 of the 5-fold cross-validation is the test split
    assert all(is_test_group(g) == (group_bucket(g) // 200 == 0) for g in groups)
    # sha1-based, so the same in every process and Python version (unlike hash())
    assert group_bucket("receipt.crop.1a2b3c4d") == 592


@pytest.mark.parametrize("name", ["blind_eval.jsonl", "blind_eval_2.jsonl"])
def test_blind_set_is_valid_and_separate(name: str) -> None:
    rows = _read_jsonl(DATA / "blind" / name)
    assert len(rows) >= 400
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["query"] for r in rows}) == len(rows)
    for r in rows:
        assert r["image_kind"] in KINDS and r["label"] in LABELS, r
        assert isinstance(r["lang"], str) and len(r["lang"]) == 2
    assert len({r["lang"] for r in rows}) >= 8
    train_ids = {q["id"] for q in _read_jsonl(DATA / "queries.jsonl")}
    assert not train_ids & {r["id"] for r in rows}


def test_real_images_have_licences_and_split_by_source() -> None:
    rows = _read_jsonl(DATA / "images" / "manifest_real.jsonl")
    assert len(rows) >= 100
    for r in rows:
        assert str(r["id"]).startswith("real_")
        licence = str(r["licence"]).lower()
        assert licence and "gpl" not in licence and "share-alike" not in licence and "by-sa" not in licence, r
        with Image.open(DATA / "images" / str(r["file"])) as im:
            assert max(im.size) <= 256
    from headroom_middleware.router.train import _load_images

    by_source: dict[str, set[bool]] = {}
    for im in _load_images(DATA):
        if im.id.startswith("real_"):
            by_source.setdefault(im.id.rsplit("_", 1)[0], set()).add(im.test)
    # every variant of a real photo is on the same side of the image split
    assert all(len(sides) == 1 for sides in by_source.values())
    assert any(True in sides for sides in by_source.values()) and any(False in sides for sides in by_source.values())


def test_shipped_model_was_trained_on_the_committed_data() -> None:
    from headroom_middleware.router.train import data_hash

    meta = json.loads((ROOT / "models" / "router.json").read_text(encoding="utf-8"))
    assert meta["data_sha256"] == data_hash(DATA)


def test_calibration_folds_hold_out_whole_writers() -> None:
    import numpy as np

    from headroom_middleware.router.train import calibration_folds

    queries = _read_jsonl(DATA / "queries.jsonl")
    folds = calibration_folds(queries, np.arange(len(queries)))
    writers = {str(q["writer"]) for q in queries}
    assert {"core"} < writers  # the seed batches are attributed to their files
    assert len(set(folds.tolist())) == len(writers) + 1  # one fold per batch writer, core in two halves
    for w in writers - {"core"}:
        assert len({int(f) for f, q in zip(folds, queries, strict=True) if q["writer"] == w}) == 1
