"""Train the router: query model + image-aware model + per-technique thresholds, exported as one ONNX graph.

Run from the repository root (``make train``)::

    .venv/bin/python -m models.train             # writes headroom_middleware/models/router.{onnx,json}
    .venv/bin/python -m models.train --no-write  # metrics only

Data (see ``models/data/README.md``):

- **real** (the majority): images in ``models/data/real/`` with questions written while looking at
  each image (``questions*.jsonl``; label plus ``acceptable`` techniques);
- **synthetic** (a minority by weight): ``models/data/queries.jsonl``, queries written per image
  *kind*. They only teach the query model (their thumbnails are synthetic and are not used).

Model, in two stages that export to one ONNX graph:

1. *query model*: for each technique t a logistic regression on the query features (flags and
   hashed n-grams) predicting "t is right" (t is the label or acceptable);
2. *image-aware model*: a small MLP over [the four query logits, the query flags, the image
   features] predicting the same four "t is right" probabilities. It is trained on out-of-fold query
   logits (grouped by image), so it learns how much to trust the query given the image.

Decision (the pipeline applies it, see ``headroom_middleware/pipeline``): risk(t) = 1 - P(t is
right); a technique is *safe* when its risk is at most its own threshold; the cheapest safe
technique that applies and verifies is sent, else preserve. The thresholds are chosen on held-out
real data (images never used for training) so that unsafe downgrades stay under
:data:`UNSAFE_BUDGET` while accuracy is highest.

Splits: every image group (all framings of one source photo or document) is on one side; a hash of
the group id decides, so adding data never moves an existing group. Held-out groups are split
again into *calibration* (thresholds) and *test* (the numbers in the card).

Deterministic: fixed seeds, single-threaded BLAS, sorted inputs; a rerun writes the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Single-threaded BLAS: reproducible sums and no contention with the rest of the machine.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np

from headroom_middleware import imaging
from headroom_middleware.router.features import (
    FEATURE_VERSION,
    N_FEATURES,
    N_QUERY_FLAGS,
    QUERY_START,
    feature_layout,
    image_features,
    query_features,
)
from headroom_middleware.router.image_features import ANALYSIS_SIDE, openai_tiles

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "models" / "data"
OUT = ROOT / "headroom_middleware" / "models"
CACHE = ROOT / ".cache" / "router-image-features.json"
SEED = 20261207
LABELS = ("preserve", "full_low", "crop", "transcode")
DOWNGRADES = (1, 2, 3)  # full_low, crop, transcode: the techniques that can be unsafe
UNSAFE_BUDGET = 0.015
"""Worst-case unsafe-downgrade rate allowed on the calibration split (target 2 %: margin for new writers)."""
SYNTHETIC_SHARE = 0.35
"""Total weight of the synthetic queries relative to the real ones in the query model (a minority)."""
HELD_OUT = 0.3
"""Share of image groups never trained on (half calibration, half test)."""
HOLDOUT_WRITERS = frozenset({"trainq2"})
"""Writers whose questions are never trained on: thresholds are calibrated on a writer the model never saw."""
GRID = (*(round(0.30 + 0.05 * i, 3) for i in range(13)), 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999)
MIN_WRITER_ROWS = 50
"""A writer's held-out questions count as their own calibration constraint from this many on."""
NEVER = 1.01
"""A threshold no probability reaches: the technique is never used."""
INPUT_NAME = "features"


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters (chosen on the calibration split, never on the dev set)."""

    c_query: float = 4.0
    hidden: int = 16
    alphas: tuple[float, ...] = (10.0, 30.0, 100.0)
    """L2 strengths tried for the MLP; the one with the best calibration-split accuracy is kept."""
    folds: int = 5


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def group_of(img: dict[str, Any]) -> str:
    """The image group: framings of one source share it (``group`` in the manifest, else the source)."""
    return str(img.get("group") or img.get("source") or img["id"])


def bucket(key: str) -> int:
    """0..999 from sha1 of a key: the stable coordinate of every split here."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 1000


def split_of(group: str) -> str:
    """``train`` / ``cal`` / ``test`` for an image group (hash-based: stable as data grows)."""
    b = bucket("split:" + group)
    if b < 1000 * (1 - HELD_OUT):
        return "train"
    return "cal" if b % 2 == 0 else "test"


def row_split(group: str, writer: str) -> str:
    """The split of one question: its image group's, except that a held-out writer never trains.

    A held-out writer's questions on training images are left out (``unused``): they would test
    the writer but not the images.
    """
    side = split_of(group)
    if writer in HOLDOUT_WRITERS and side == "train":
        return "unused"
    return side


def load_real(folders: list[Path], question_files: list[Path]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Questions joined with their image's manifest row; images by id."""
    manifest: dict[str, dict[str, Any]] = {}
    for folder in folders:
        path = folder / "manifest.jsonl"
        if path.exists():
            for row in read_jsonl(path):
                manifest[row["id"]] = {**row, "path": str(folder / row["file"])}
    files = list(question_files)
    for folder in folders:
        files.extend(sorted(folder.glob("questions*.jsonl")))
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    for f in sorted(set(files)):
        for q in read_jsonl(f):
            if q["id"] in seen or q.get("image") not in manifest or q.get("label") not in LABELS:
                continue
            seen.add(q["id"])
            img = manifest[q["image"]]
            rows.append({**q, "kind": img.get("kind", "?"), "group": group_of(img),
                         "split": row_split(group_of(img), str(q.get("writer", "")))})
    rows.sort(key=lambda r: r["id"])
    return rows, manifest


def targets(label: str, acceptable: list[str] | None) -> np.ndarray:
    """Which techniques are right for a pair: the label and the acceptable ones (0/1 per LABELS)."""
    ok = {label, *(acceptable or [])}
    return np.array([1.0 if t in ok else 0.0 for t in LABELS], dtype=np.float64)


def training_files(real_dirs: list[Path], question_files: list[Path]) -> list[Path]:
    """Every file whose content the model depends on (the images enter through the manifest's sha256)."""
    files = [DATA / "queries.jsonl", *question_files]
    for folder in real_dirs:
        files.extend(sorted(folder.glob("questions*.jsonl")))
        files.append(folder / "manifest.jsonl")
    return [f for f in files if f.exists()]


def data_hash(paths: list[Path]) -> str:
    """sha256 over the training files' names and bytes (recorded in router.json)."""
    h = hashlib.sha256()
    for p in sorted(paths, key=lambda p: (p.name, str(p))):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------------------------
def router_view(path: str) -> tuple[Any, tuple[int, int]]:
    """The image as the pipeline shows it to the router (same decode and downscale), and its size."""
    raw = Path(path).read_bytes()
    info = imaging.probe(raw)
    small = imaging.load(raw, info, target_size=imaging.fit_inside(info.width, info.height, 768))
    return imaging.make_thumbnail(small, ANALYSIS_SIDE), info.size


def image_matrix(manifest: dict[str, dict[str, Any]], ids: list[str]) -> dict[str, np.ndarray]:
    """Image features per image id, cached by file hash in ``.cache/`` (decoding 600 photos is slow)."""
    cache: dict[str, list[float]] = {}
    if CACHE.exists():
        cache = json.loads(CACHE.read_text())
    out: dict[str, np.ndarray] = {}
    dirty = False
    for img_id in sorted(set(ids)):
        m = manifest[img_id]
        key = f"{FEATURE_VERSION}:{m.get('sha256') or hashlib.sha256(Path(m['path']).read_bytes()).hexdigest()}"
        if key not in cache:
            view, size = router_view(m["path"])
            cache[key] = [float(x) for x in image_features(view, size)]
            dirty = True
        out[img_id] = np.asarray(cache[key], dtype=np.float32)
    if dirty:
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(json.dumps(cache, sort_keys=True))
    return out


def query_matrix(queries: list[str]) -> Any:
    """Sparse CSR (N, N_QUERY_FLAGS + N_HASHED): the query part of the feature vector."""
    from scipy import sparse

    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    for q in queries:
        flags, grams = query_features(q)
        for j, v in enumerate(flags):
            if v:
                cols.append(j)
                data.append(v)
        for b, v in grams:
            cols.append(N_QUERY_FLAGS + b)
            data.append(v)
        ptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(cols), np.asarray(ptr)),
                             shape=(len(queries), N_FEATURES - QUERY_START))


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------
def fit_query_model(x: Any, y: np.ndarray, w: np.ndarray, s: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Per-technique logistic regressions; returns (coef (D, 4), intercept (4,))."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((x.shape[1], len(LABELS)))
    bias = np.zeros(len(LABELS))
    for j in range(len(LABELS)):
        clf = LogisticRegression(C=s.c_query, max_iter=2000, solver="liblinear", random_state=SEED)
        clf.fit(x, y[:, j], sample_weight=w)
        coef[:, j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return coef, bias


def query_logits(x: Any, model: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return np.asarray(x @ model[0]) + model[1]


def stage2_inputs(logits: np.ndarray, flags: np.ndarray, image: np.ndarray) -> np.ndarray:
    return np.hstack([logits, image, flags]).astype(np.float64)


def fit_mlp(z: np.ndarray, y: np.ndarray, s: Settings, alpha: float) -> dict[str, np.ndarray]:
    """Standardise + one hidden ReLU layer + sigmoid outputs (multi-label); numpy weights."""
    from sklearn.neural_network import MLPClassifier

    mean = z.mean(axis=0)
    scale = z.std(axis=0)
    scale[scale < 1e-6] = 1.0
    # L-BFGS: full-batch and deterministic, and quick on a few thousand rows.
    clf = MLPClassifier(hidden_layer_sizes=(s.hidden,), activation="relu", alpha=alpha, solver="lbfgs",
                        max_iter=800, random_state=SEED, tol=1e-6)
    clf.fit((z - mean) / scale, y.astype(int))
    return {"mean": mean, "scale": scale, "w1": clf.coefs_[0], "b1": clf.intercepts_[0],
            "w2": clf.coefs_[1], "b2": clf.intercepts_[1]}


def mlp_predict(m: dict[str, np.ndarray], z: np.ndarray) -> np.ndarray:
    h = np.maximum(0.0, ((z - m["mean"]) / m["scale"]) @ m["w1"] + m["b1"])
    return 1.0 / (1.0 + np.exp(-(h @ m["w2"] + m["b2"])))


def oof_logits(x: Any, y: np.ndarray, w: np.ndarray, groups: list[str], real: np.ndarray, synth_x: Any,
               synth_y: np.ndarray, synth_w: np.ndarray, s: Settings) -> np.ndarray:
    """Query logits of each real row from a query model that never saw that row's image group."""
    from scipy import sparse

    fold = np.array([bucket("fold:" + g) % s.folds for g in groups])
    out = np.zeros((x.shape[0], len(LABELS)))
    for k in range(s.folds):
        tr, te = fold != k, fold == k
        if not te.any():
            continue
        xx = sparse.vstack([x[tr], synth_x]).tocsr()
        model = fit_query_model(xx, np.vstack([y[tr], synth_y]), np.concatenate([w[tr], synth_w]), s)
        out[te] = query_logits(x[te], model)
    return out


# --------------------------------------------------------------------------------------------
# Decision policy (what the pipeline does) and its metrics
# --------------------------------------------------------------------------------------------
def tokens_full(size: tuple[int, int]) -> float:
    return 85.0 + 170.0 * openai_tiles(*size)


def estimated_costs(image: np.ndarray, sizes: list[tuple[int, int]]) -> np.ndarray:
    """Rough token cost per technique for ordering candidates: full_low 85, crop ~1/3 of the image,
    transcode from the image features' OCR length estimate."""
    from headroom_middleware.router.image_features import IMAGE_FEATURES

    ix = IMAGE_FEATURES.index("log_text_tokens")
    out = np.zeros((len(sizes), len(LABELS)))
    for i, size in enumerate(sizes):
        full = tokens_full(size)
        text = 2.0 ** (float(image[i, ix]) * 12.0) - 1.0
        out[i] = (full, 85.0, max(255.0, full / 3.0), max(20.0, text))
    return out


def choose(p: np.ndarray, thresholds: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """Index of the technique sent per row: the cheapest one whose P(right) clears its threshold."""
    ok = (p >= thresholds[None, :]) & np.isfinite(costs)
    ok[:, 0] = False  # preserve is the fallback, not a candidate
    masked = np.where(ok, costs, np.inf)
    best = masked.argmin(axis=1)
    return np.where(np.isfinite(masked.min(axis=1)), best, 0)


def metrics(chosen: np.ndarray, y: np.ndarray, labels: list[str], sizes: list[tuple[int, int]],
            costs: np.ndarray) -> dict[str, Any]:
    """Accuracy, unsafe rate and estimated saving of a decision vector (labels as in ROUTING-LABELS)."""
    n = len(chosen)
    right = y[np.arange(n), chosen] > 0
    unsafe = (~right) & (chosen != 0)
    full = np.array([tokens_full(s) for s in sizes])
    sent = costs[np.arange(n), chosen]
    by_label = {}
    for lab in LABELS:
        m = np.array([lab == x for x in labels])
        if m.any():
            by_label[lab] = {"n": int(m.sum()), "accuracy": float(right[m].mean()), "unsafe": float(unsafe[m].mean())}
    cm = np.zeros((4, 4), dtype=int)
    for lab, c in zip(labels, chosen, strict=True):
        cm[LABELS.index(lab), c] += 1
    return {"n": n, "accuracy": float(right.mean()) if n else math.nan,
            "unsafe_rate": float(unsafe.mean()) if n else math.nan,
            "saving_estimate": float(1 - sent.sum() / full.sum()) if n else math.nan,
            "by_label": by_label, "confusion_matrix": cm.tolist()}


def _policy_outcome(p: np.ndarray, y: np.ndarray, costs: np.ndarray, th: np.ndarray) -> tuple[float, float, float]:
    """(accuracy, unsafe rate, -tokens) of the policy on rows with known labels."""
    n = len(p)
    c = choose(p, th, costs)
    right = y[np.arange(n), c] > 0
    return float(right.mean()), float(((~right) & (c != 0)).mean()), float(-costs[np.arange(n), c].sum())


def _unsafe(p: np.ndarray, y: np.ndarray, costs: np.ndarray, no_crop: np.ndarray, th: np.ndarray) -> float:
    return max(_policy_outcome(p, y, costs, th)[1], _policy_outcome(p, y, no_crop, th)[1])


def calibrate(p: np.ndarray, y: np.ndarray, costs: np.ndarray,
              writers: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, float]]:
    """Per-technique thresholds: highest accuracy of the policy with unsafe downgrades within
    UNSAFE_BUDGET (ties: more saving), searched over the whole grid.

    Each setting is scored twice, as the pipeline may behave: with crops, and with every crop
    refused (a localiser unsure of its region), where the next safe technique is sent instead. The
    unsafe rate must hold in both; accuracy and saving are their mean. With ``writers``, it must
    also hold for each writer's questions separately (writers label borders differently, and a new
    writer is what production looks like).
    """
    parts = [np.ones(len(p), dtype=bool)]
    if writers is not None:
        parts += [writers == w for w in sorted(set(writers.tolist())) if (writers == w).sum() >= MIN_WRITER_ROWS]
    grid = (*GRID, NEVER)
    no_crop = costs.copy()
    no_crop[:, 2] = np.inf
    best = np.array([1.0, NEVER, NEVER, NEVER])  # always-preserve: feasible by definition
    best_score = (-1.0, -math.inf)
    for a in grid:
        for b in grid:
            for c in grid:
                th = np.array([1.0, a, b, c])
                acc1, uns1, sav1 = _policy_outcome(p, y, costs, th)
                acc2, uns2, sav2 = _policy_outcome(p, y, no_crop, th)
                if max(uns1, uns2) > UNSAFE_BUDGET or any(_unsafe(p[m], y[m], costs[m], no_crop[m], th) > UNSAFE_BUDGET
                                                          for m in parts[1:]):
                    continue
                score = ((acc1 + acc2) / 2, (sav1 + sav2) / 2)
                if score > best_score:
                    best, best_score = th, score
    return best, {"accuracy": best_score[0]}


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
def export_onnx(query: tuple[np.ndarray, np.ndarray], mlp: dict[str, np.ndarray], thresholds: np.ndarray,
                meta: dict[str, str]) -> bytes:
    """One graph: features -> query logits -> MLP -> ``p_right`` (N, 4) and normalised ``probabilities``."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    f32 = np.float32
    inits = [
        numpy_helper.from_array(np.array([QUERY_START], dtype=np.int64), "q_start"),
        numpy_helper.from_array(np.array([N_FEATURES], dtype=np.int64), "q_end"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "i_start"),
        numpy_helper.from_array(np.array([QUERY_START + N_QUERY_FLAGS], dtype=np.int64), "i_end"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(query[0].astype(f32), "wq"),
        numpy_helper.from_array(query[1].astype(f32), "bq"),
        numpy_helper.from_array(mlp["mean"].astype(f32), "z_mean"),
        numpy_helper.from_array((1.0 / mlp["scale"]).astype(f32), "z_inv_scale"),
        numpy_helper.from_array(mlp["w1"].astype(f32), "w1"),
        numpy_helper.from_array(mlp["b1"].astype(f32), "b1"),
        numpy_helper.from_array(mlp["w2"].astype(f32), "w2"),
        numpy_helper.from_array(mlp["b2"].astype(f32), "b2"),
    ]
    nodes = [
        helper.make_node("Slice", [INPUT_NAME, "q_start", "q_end", "axis1"], ["xq"]),
        helper.make_node("MatMul", ["xq", "wq"], ["ql0"]),
        helper.make_node("Add", ["ql0", "bq"], ["ql"]),
        helper.make_node("Slice", [INPUT_NAME, "i_start", "i_end", "axis1"], ["xi"]),
        # stage-2 input order: [query logits | image features | query flags] (= features[:, :i_end])
        helper.make_node("Concat", ["ql", "xi"], ["z0"], axis=1),
        helper.make_node("Sub", ["z0", "z_mean"], ["z1"]),
        helper.make_node("Mul", ["z1", "z_inv_scale"], ["z"]),
        helper.make_node("MatMul", ["z", "w1"], ["h0"]),
        helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["h"]),
        helper.make_node("MatMul", ["h", "w2"], ["o0"]),
        helper.make_node("Add", ["o0", "b2"], ["o"]),
        helper.make_node("Sigmoid", ["o"], ["p_right"]),
        helper.make_node("ReduceSum", ["p_right", "axis1"], ["p_sum"], keepdims=1),
        helper.make_node("Div", ["p_right", "p_sum"], ["probabilities"]),
    ]
    graph = helper.make_graph(
        nodes, "headroom_router",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, [None, N_FEATURES])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 4]),
         helper.make_tensor_value_info("p_right", TensorProto.FLOAT, [None, 4])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="models.train")
    model.ir_version = 8
    model.doc_string = "headroom-middleware router: features -> P(technique is right), label order in metadata"
    meta = {**meta, "thresholds": ",".join(f"{t:.3f}" for t in thresholds)}
    for k, v in sorted(meta.items()):
        p = model.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------
def run(real_dirs: list[Path], question_files: list[Path], s: Settings, log: Any = print) -> dict[str, Any]:
    rows, manifest = load_real(real_dirs, question_files)
    if not rows:
        raise SystemExit("no real training questions found (models/data/real/questions*.jsonl)")
    synth = [q for q in read_jsonl(DATA / "queries.jsonl") if q.get("label") in LABELS]
    log(f"real questions: {len(rows)} on {len({r['image'] for r in rows})} images; synthetic queries: {len(synth)}")
    log("real splits: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(r['split'] for r in rows).items())))

    t0 = time.process_time()
    img_feats = image_matrix(manifest, [r["image"] for r in rows])
    log(f"image features: {len(img_feats)} images, {time.process_time() - t0:.1f} s CPU")
    xq = query_matrix([r.get("query") or "" for r in rows])
    y = np.stack([targets(r["label"], r.get("acceptable")) for r in rows])
    img = np.stack([img_feats[r["image"]] for r in rows])
    flags = xq[:, :N_QUERY_FLAGS].toarray()
    sizes = [(int(manifest[r["image"]]["width"]), int(manifest[r["image"]]["height"])) for r in rows]
    split = np.array([r["split"] for r in rows])
    tr, cal, te = split == "train", split == "cal", split == "test"

    sx = query_matrix([q["query"] for q in synth])
    sy = np.stack([targets(q["label"], None) for q in synth])
    w_real = np.ones(int(tr.sum()))
    sw = np.full(len(synth), SYNTHETIC_SHARE * tr.sum() / max(1, len(synth)))

    groups = [r["group"] for r in rows]
    tr_idx = np.flatnonzero(tr)
    oof = np.zeros((len(rows), 4))
    oof[tr_idx] = oof_logits(xq[tr_idx], y[tr_idx], w_real, [groups[i] for i in tr_idx], tr_idx, sx, sy, sw, s)
    from scipy import sparse

    qmodel = fit_query_model(sparse.vstack([xq[tr_idx], sx]).tocsr(), np.vstack([y[tr_idx], sy]),
                             np.concatenate([w_real, sw]), s)
    logits = query_logits(xq, qmodel)
    logits[tr_idx] = oof[tr_idx]  # stage 2 learns from logits on unseen groups, like at run time
    z = stage2_inputs(logits, flags, img)
    costs = estimated_costs(img, sizes)
    # The MLP's L2 strength: lowest log-loss on the calibration split (a proper score, steadier than
    # thresholded accuracy on a few hundred rows).
    best: tuple[float, Any] | None = None
    for alpha in s.alphas:
        mlp_a = fit_mlp(z[tr_idx], y[tr_idx], s, alpha)
        p_a = mlp_predict(mlp_a, z)
        q = np.clip(p_a[cal], 1e-6, 1 - 1e-6)
        loss = float(-(y[cal] * np.log(q) + (1 - y[cal]) * np.log(1 - q))[:, 1:].mean())
        log(f"  MLP alpha {alpha:g}: calibration log-loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, (alpha, mlp_a, p_a))
    assert best is not None
    alpha, mlp, p = best[1]
    labels = [r["label"] for r in rows]
    held = cal | te
    # Thresholds: shipped ones from both held-out halves; the held-out numbers cross-calibrate
    # (thresholds from one half, scored on the other), so no number is scored on its own thresholds.
    writers = np.array([str(r.get("writer", "?")) for r in rows])
    thresholds, _ = calibrate(p[held], y[held], costs[held], writers[held])
    th_cal, _ = calibrate(p[cal], y[cal], costs[cal], writers[cal])
    th_te, _ = calibrate(p[te], y[te], costs[te], writers[te])
    cal_info = {"alpha": alpha, "log_loss": best[0],
                "thresholds_from_cal": [float(t) for t in th_cal], "thresholds_from_test": [float(t) for t in th_te]}
    log("thresholds (P(right) >= ...): " + ", ".join(f"{LABELS[j]} {thresholds[j]:.3f}" for j in DOWNGRADES))

    def block(mask: np.ndarray, th: np.ndarray = thresholds, probs: np.ndarray = p) -> dict[str, Any]:
        idx = np.flatnonzero(mask)
        c = choose(probs[idx], th, costs[idx])
        return metrics(c, y[idx], [labels[i] for i in idx], [sizes[i] for i in idx], costs[idx])

    # Query-only comparison: the same policy on the query model's sigmoid alone.
    pq = 1.0 / (1.0 + np.exp(-logits))
    th_q, _ = calibrate(pq[cal], y[cal], costs[cal], writers[cal])
    result = {
        "rows": rows, "qmodel": qmodel, "mlp": mlp, "thresholds": thresholds,
        "metrics": {"train": block(tr), "test": block(te, th_cal), "calibration": block(cal, th_te),
                    "held_out_shipped_thresholds": block(held),
                    "test_query_only": block(te, th_q, pq), "calibration_search": cal_info},
        "counts": {"real": len(rows), "images": len({r["image"] for r in rows}), "synthetic": len(synth),
                   "splits": dict(Counter(r["split"] for r in rows)),
                   "writers": dict(Counter(r.get("writer", "?") for r in rows)),
                   "labels": dict(Counter(labels))},
    }
    for k in ("test", "calibration", "test_query_only", "held_out_shipped_thresholds"):
        m = result["metrics"][k]
        log(f"{k:>16}: n={m['n']} accuracy {m['accuracy']:.3f} unsafe {m['unsafe_rate']:.3f} "
            f"saving~{m['saving_estimate']:.3f}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the router (see the module docstring).")
    parser.add_argument("--real", type=Path, nargs="*", default=[DATA / "real"],
                        help="real-image folders (manifest.jsonl, images/, questions*.jsonl)")
    parser.add_argument("--questions", type=Path, nargs="*", default=[], help="extra question files")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--metrics-out", type=Path, help="also write the metrics JSON here")
    args = parser.parse_args(argv)
    s = Settings()
    r = run(args.real, args.questions, s)
    meta = {"feature_version": FEATURE_VERSION, "labels": ",".join(LABELS), "output": "p_right",
            "data_sha256": data_hash(training_files(args.real, args.questions))}
    model = export_onnx(r["qmodel"], r["mlp"], r["thresholds"], meta)
    print(f"model: {len(model) / 1e6:.2f} MB, sha256 {hashlib.sha256(model).hexdigest()[:16]}")
    if args.metrics_out:
        args.metrics_out.write_text(json.dumps(r["metrics"], indent=1, sort_keys=True))
    if args.no_write:
        return 0
    OUT.mkdir(exist_ok=True)
    (OUT / "router.onnx").write_bytes(model)
    card = {
        **meta, "labels": list(LABELS), "n_features": N_FEATURES,
        "thresholds": {LABELS[j]: round(float(r["thresholds"][j]), 3) for j in DOWNGRADES},
        "settings": asdict(s), "seed": SEED, "unsafe_budget": UNSAFE_BUDGET,
        "synthetic_share": SYNTHETIC_SHARE, "feature_layout": feature_layout(), "counts": r["counts"],
        "metrics": r["metrics"], "model_bytes": len(model),
    }
    (OUT / "router.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
