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


def test_image_group_folds_are_stable_and_balanced() -> None:
    sys.path.insert(0, str(ROOT))
    from models.train import FOLDS, bucket, fold_of

    groups = [f"group-{i}" for i in range(4000)]
    counts = [0] * FOLDS
    for g in groups:
        counts[fold_of(g)] += 1
    assert max(counts) - min(counts) < 0.2 * len(groups) / FOLDS
    # sha1-based, so the same in every process and Python version (unlike hash())
    assert bucket("split:r0001") == 851 and fold_of("r0001") == bucket("fold:r0001") % FOLDS


def test_cross_fit_cells_never_share_a_writer_or_a_fold() -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from models.train import cells

    rng = np.random.default_rng(0)
    writers = rng.choice(np.array(["a", "b", "c"]), 300)
    folds = rng.integers(0, 5, 300)
    seen = np.zeros(300, dtype=int)
    for tr, te in cells(writers, folds):
        assert not (tr & te).any()
        assert set(writers[tr].tolist()).isdisjoint(writers[te].tolist())
        assert set(folds[tr].tolist()).isdisjoint(folds[te].tolist())
        seen += te
    assert (seen == 1).all()  # every row is predicted exactly once


def test_vectorised_calibration_grid_matches_the_policy() -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from models.train import GRID, NEVER, _policy_outcome, grid_outcomes

    rng = np.random.default_rng(1)
    n = 400
    p = rng.random((n, 4))
    y = (rng.random((n, 4)) < 0.5).astype(float)
    y[:, 0] = 1.0
    costs = np.stack([rng.uniform(300, 2000, n), np.full(n, 85.0), rng.uniform(60, 700, n),
                      rng.uniform(20, 900, n)], axis=1)
    costs[::7, 2] = np.inf  # crop refused on some rows
    costs[::5, 3] = 85.0  # ties with full_low: the lower index wins, as in argmin
    grid = (*GRID[::3], NEVER)
    acc, uns, sav = grid_outcomes(p, y, costs, grid)
    for ia, a in enumerate(grid):
        for ib, b in enumerate(grid):
            for ic, c in enumerate(grid):
                want = _policy_outcome(p, y, costs, np.array([1.0, a, b, c]))
                got = (acc[ia, ib, ic], uns[ia, ib, ic], sav[ia, ib, ic])
                assert np.allclose(want, got), (a, b, c, want, got)


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


def test_real_thumbnails_have_licences() -> None:
    rows = _read_jsonl(DATA / "images" / "manifest_real.jsonl")
    assert len(rows) >= 100
    for r in rows:
        assert str(r["id"]).startswith("real_")
        licence = str(r["licence"]).lower()
        assert licence and "gpl" not in licence and "share-alike" not in licence and "by-sa" not in licence, r
        with Image.open(DATA / "images" / str(r["file"])) as im:
            assert max(im.size) <= 256


def _source_root(source: str) -> str:
    """The package or repository a file came from: 'debian:pkg', 'pypi:pkg', 'github:owner/repo'."""
    head = source.split(" ")[0].split("@")[0].lower()
    if head.startswith("github:"):
        return "/".join(head.split("/")[:2])
    if ":" in head:
        return head
    return "pypi:" + head  # older manifests: "scikit-image 0.26.0 (PyPI wheel): path"


REAL = DATA / "real"
DEV = DATA / "dev"


@pytest.mark.skipif(not (REAL / "manifest.jsonl").exists() or not (DEV / "manifest.jsonl").exists(),
                    reason="real training set or dev set not in this checkout")
def test_dev_and_training_images_share_no_file_and_no_source() -> None:
    dev = _read_jsonl(DEV / "manifest.jsonl")
    train = _read_jsonl(REAL / "manifest.jsonl") + _read_jsonl(DATA / "images" / "manifest_real.jsonl")
    dev_sha = {str(r["sha256"]) for r in dev}
    assert len(dev) >= 60 and len(_read_jsonl(REAL / "manifest.jsonl")) >= 100
    assert not dev_sha & {str(r["sha256"]) for r in train if "sha256" in r}
    # by content too: the stored files themselves, not only what the manifests claim
    import hashlib

    assert not dev_sha & {hashlib.sha256((REAL / str(r["file"])).read_bytes()).hexdigest()
                          for r in _read_jsonl(REAL / "manifest.jsonl")}
    dev_roots = {_source_root(str(r["source"])) for r in dev}
    train_roots = {_source_root(str(r["source"])) for r in train}
    assert not dev_roots & train_roots, dev_roots & train_roots
    # questions are about images of their own set only
    dev_ids = {r["id"] for r in dev}
    for path in sorted(REAL.glob("questions*.jsonl")):
        assert not {q["image"] for q in _read_jsonl(path)} & dev_ids


def test_gated_targets_replay_the_pipeline_checks() -> None:
    """A crop or transcode the pipeline would refuse is never a candidate; a crop that misses the answer
    region is wrong even when the label allows crop; without a drawn region the label decides."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from models.train import choose, gated_targets

    rows = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    y = np.array([[1.0, 0, 1, 1], [1.0, 0, 1, 0], [1.0, 0, 1, 0]])
    costs = np.array([[765.0, 85, 255, 40], [765.0, 85, 255, 40], [765.0, 85, 255, 40]])
    evidence = {
        "a": {"full_tokens": 1105, "crop_tokens": None, "crop_coverage": None, "transcode_tokens": 300},
        "b": {"full_tokens": 765, "crop_tokens": 425, "crop_coverage": 0.5, "transcode_tokens": None},
        "c": {"full_tokens": 765, "crop_tokens": 255, "crop_coverage": None, "transcode_tokens": None},
    }
    y2, c2 = gated_targets(y, costs, rows, evidence)
    assert c2[0].tolist() == [1105, 85, np.inf, 300] and y2[0].tolist() == y[0].tolist()
    assert c2[1, 3] == np.inf and y2[1, 2] == 0.0  # the box holds half the region: a wrong crop
    assert y2[2, 2] == 1.0  # no drawn region: the label's verdict stands
    assert (y == np.array([[1.0, 0, 1, 1], [1.0, 0, 1, 0], [1.0, 0, 1, 0]])).all()  # inputs untouched
    p = np.array([[0.0, 0.0, 0.99, 0.0]] * 3)
    assert choose(p, np.array([1.0, 0.9, 0.9, 0.9]), c2).tolist() == [0, 2, 2]


def test_gated_calibration_does_not_count_refused_crops() -> None:
    """Crops the localiser refuses cannot be unsafe, so they do not hold the crop threshold up; the ungated
    calibration (every crop refused as a second scenario) stays as before."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from models.train import calibrate

    n = 400
    p = np.zeros((n, 4))
    p[:, 2] = 0.99
    y = np.zeros((n, 4))
    y[:, 0] = 1.0
    y[:200, 2] = 1.0  # half the rows: crop is right
    costs = np.tile([765.0, 85.0, 255.0, np.inf], (n, 1))
    costs[200:, 2] = np.inf  # ... and the localiser refuses exactly the others
    th = calibrate(p, y, costs, gated=True)
    assert th[2] <= 0.99  # every crop sent is right
    ungated = costs.copy()
    ungated[:, 2] = 255.0  # without the checks, half the crops would be unsafe
    assert calibrate(p, y, ungated)[2] > 0.99  # no crop clears it


def test_blind_relabels_replace_the_writers_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT))
    import models.train as train

    (tmp_path / "manifest.jsonl").write_text(json.dumps(
        {"id": "r1", "file": "images/r1.png", "kind": "photo", "width": 10, "height": 10, "group": "g"}) + "\n")
    (tmp_path / "questions_x.jsonl").write_text("".join(json.dumps(q) + "\n" for q in (
        {"id": "q1", "image": "r1", "query": "what is it", "label": "preserve", "writer": "w"},
        {"id": "q2", "image": "r1", "query": "read it", "label": "transcode", "acceptable": ["crop"], "writer": "w"},
    )))
    blind = tmp_path / "blind.jsonl"
    blind.write_text(json.dumps({"id": "q1", "label": "full_low", "acceptable": ["preserve"], "sure": True}) + "\n"
                     + json.dumps({"id": "q9", "label": "crop", "acceptable": []}) + "\n")
    monkeypatch.setattr(train, "BLIND_LABEL_FILES", (blind, tmp_path / "absent.jsonl"))
    rows, _ = train.load_real([tmp_path], [])
    by_id = {r["id"]: r for r in rows}
    assert by_id["q1"]["label"] == "full_low" and by_id["q1"]["acceptable"] == ["preserve"]
    assert by_id["q1"]["original_label"] == "preserve"
    assert by_id["q2"]["label"] == "transcode" and "original_label" not in by_id["q2"]
    rows, _ = train.load_real([tmp_path], [], relabel=False)
    assert {r["id"]: r["label"] for r in rows} == {"q1": "preserve", "q2": "transcode"}


def test_blind_relabel_files_are_valid() -> None:
    questions = {}
    for f in sorted((DATA / "real").glob("questions*.jsonl")):
        for q in _read_jsonl(f):
            questions[q["id"]] = q
    for name in ("labels_blind.jsonl", "labels_disputed.jsonl"):
        rows = _read_jsonl(DATA / "real" / "agreement" / name)
        assert len({r["id"] for r in rows}) == len(rows) >= 200
        for r in rows:
            assert r["id"] in questions and r["label"] in LABELS, r
            assert set(r.get("acceptable") or []) <= LABELS - {r["label"]}, r


def test_localiser_tuning_split_matches_the_crop_benchmark() -> None:
    sys.path.insert(0, str(ROOT))
    from models.evidence import crop_half, localiser_untuned

    halves = {crop_half(f"g{i}") for i in range(50)}
    assert halves == {"tune", "report"}
    tuned = next(f"g{i}" for i in range(50) if crop_half(f"g{i}") == "tune")
    assert not localiser_untuned(tuned, "trainq") and localiser_untuned(tuned, "trainq4")


def test_disputed_relabel_counts() -> None:
    sys.path.insert(0, str(ROOT))
    from models.agreement import disputed_relabel

    originals = {"a": {"label": "preserve"}, "b": {"label": "transcode"}, "c": {"label": "crop"}}
    relabels = [
        {"id": "a", "label": "full_low", "acceptable": ["preserve"], "set": "disputed", "router_picks": ["full_low"]},
        {"id": "b", "label": "crop", "acceptable": [], "set": "disputed", "router_picks": ["full_low"], "sure": True},
        {"id": "c", "label": "crop", "acceptable": [], "set": "control", "router_picks": []},
    ]
    got = disputed_relabel(relabels, originals)
    assert got["disputed"] == {"n": 2, "same_label": 0, "original_right_by_blind": 1, "router_pick_right_by_blind": 1,
                               "sure": 1, "changes": {"preserve>full_low": 1, "transcode>crop": 1}}
    assert got["control"]["same_label"] == 1 and got["control"]["router_pick_right_by_blind"] == 0
