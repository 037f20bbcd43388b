"""Train the router: query model + image-aware model + per-technique thresholds, exported as one ONNX graph.

Run from the repository root (``make train``)::

    .venv/bin/python -m models.evidence --ocr    # OCR the training images once (cached in .cache/)
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

Validation: *a new writer on new images*, as production and the dev set are. Every real question
sits in one cell (its writer, the fold of its image group: all framings of one source together, a
hash of the group id, so adding data never moves an existing group). The query model and the MLP
are cross-fitted: a question's out-of-fold prediction comes from models trained on the OTHER
writers' questions about the OTHER folds' images. Thresholds are calibrated on these out-of-fold
predictions; the numbers in the card hold one writer out at a time (thresholds from the other
writers' out-of-fold rows, scored on that writer's). The shipped model is then trained on all real
questions.

Calibration replays the pipeline's own checks (:mod:`models.evidence`): a crop counts only where the
localiser is confident and the crop is cheaper, and is right only when it holds the hand-drawn answer
region; a transcode only where OCR passes its checks; each at the tokens it would really cost. It
uses the questions the crop localiser was not tuned on (``localiser_untuned``), so the gate's
precision is not flattered. Labels written again blind (``BLIND_LABEL_FILES``) replace the
originals of their questions.

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
FOLDS = 5
"""Image-group folds of the cross-fit (each writer x fold cell is predicted by models that saw neither)."""
GRID = (*(round(0.30 + 0.05 * i, 3) for i in range(13)), 0.925, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999)
MIN_WRITER_ROWS = 50
"""A writer's held-out questions count as their own calibration constraint from this many on."""
NEVER = 1.01
"""A threshold no probability reaches: the technique is never used."""
INPUT_NAME = "features"
PREVIOUS_THRESHOLDS = np.array([1.0, 0.98, 0.97, 0.90])
"""The v6 model's thresholds (full_low, crop, transcode): calibrated without the pipeline's checks."""
BLIND_LABEL_FILES = (DATA / "real" / "agreement" / "labels_blind.jsonl",
                     DATA / "real" / "agreement" / "labels_disputed.jsonl")
"""Labels written again from scratch by labellers who saw only the image, the question and the label rules
(never the original label); they replace the original label of their question in training (see the data
README)."""
ROUTER_SELECTED_RELABELS = frozenset({"labels_disputed.jsonl"})
"""Relabels whose questions were chosen by the router's own disagreements. They train, but thresholds are
calibrated and scored on the original labels of those questions: relabelling only where the router
disagreed moves labels towards the router, so calibrating on them underestimates the unsafe rate (the v7
release did exactly that: 1.7 % unsafe held out, 3.1 % on the dev set)."""


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters, chosen by the leave-one-writer-out cross-fit (never on the dev set)."""

    c_query: float = 4.0
    """Inverse L2 strength of the per-technique query regressions."""
    synthetic_share: float = SYNTHETIC_SHARE
    """Total weight of the synthetic queries relative to the real training questions."""
    hidden: int = 16
    alphas: tuple[float, ...] = (10.0, 30.0, 100.0)
    """L2 strengths tried for the MLP; the one with the lowest cross-fitted log-loss is kept."""


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


def fold_of(group: str) -> int:
    """The cross-fit fold (0..FOLDS-1) of an image group (hash-based: stable as data grows)."""
    return bucket("fold:" + group) % FOLDS


def load_real(folders: list[Path], question_files: list[Path], *, relabel: bool = True,
              ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Questions joined with their image's manifest row; images by id. ``relabel``: a question written again
    blind (:func:`blind_labels`) takes that label, its original is kept as ``original_label``."""
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
                         "writer": str(q.get("writer") or "?"), "fold": fold_of(group_of(img))})
    if relabel:
        blind = blind_labels()
        rows = [{**r, "label": blind[r["id"]]["label"], "acceptable": list(blind[r["id"]].get("acceptable") or []),
                 "original_label": r["label"], "original_acceptable": list(r.get("acceptable") or []),
                 "relabel_file": blind[r["id"]]["file"]} if r["id"] in blind else r for r in rows]
    rows.sort(key=lambda r: r["id"])
    return rows, manifest


def blind_labels() -> dict[str, dict[str, Any]]:
    """The from-scratch blind labels of :data:`BLIND_LABEL_FILES` by question id (the first file that has one)."""
    out: dict[str, dict[str, Any]] = {}
    for path in BLIND_LABEL_FILES:
        if path.exists():
            for b in read_jsonl(path):
                if b.get("label") in LABELS:
                    out.setdefault(b["id"], {**b, "file": path.name})
    return out


def targets(label: str, acceptable: list[str] | None) -> np.ndarray:
    """Which techniques are right for a pair: the label and the acceptable ones (0/1 per LABELS)."""
    ok = {label, *(acceptable or [])}
    return np.array([1.0 if t in ok else 0.0 for t in LABELS], dtype=np.float64)


def training_files(real_dirs: list[Path], question_files: list[Path]) -> list[Path]:
    """Every file whose content the model depends on (the images enter through the manifest's sha256)."""
    files = [DATA / "queries.jsonl", *question_files, *BLIND_LABEL_FILES]
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


def cells(writers: np.ndarray, folds: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) masks of the cross-fit: test = one writer's questions on one fold's images,
    train = the other writers' questions on the other folds' images (neither the writer nor the
    images are seen)."""
    out = []
    for w in sorted(set(writers.tolist())):
        for k in range(FOLDS):
            te = (writers == w) & (folds == k)
            tr = (writers != w) & (folds != k)
            if te.any() and tr.any():
                out.append((tr, te))
    return out


def fit_query_on(x: Any, y: np.ndarray, mask: np.ndarray, synth: tuple[Any, np.ndarray], s: Settings,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The query model on the real rows in ``mask`` plus the synthetic queries at their share."""
    from scipy import sparse

    sx, sy = synth
    n = int(mask.sum())
    sw = np.full(sy.shape[0], s.synthetic_share * n / max(1, sy.shape[0]))
    xx = sparse.vstack([x[mask], sx]).tocsr()
    return fit_query_model(xx, np.vstack([y[mask], sy]), np.concatenate([np.ones(n), sw]), s)


def crossfit_logits(x: Any, y: np.ndarray, writers: np.ndarray, folds: np.ndarray,
                    synth: tuple[Any, np.ndarray], s: Settings, log: Any = print) -> np.ndarray:
    """Query logits of every real row from a query model that saw neither its writer nor its images."""
    out = np.zeros((x.shape[0], len(LABELS)))
    for i, (tr, te) in enumerate(cells(writers, folds)):
        out[te] = query_logits(x[te], fit_query_on(x, y, tr, synth, s))
        log(f"  query model cross-fit {i + 1}: train {int(tr.sum())}, predict {int(te.sum())}")
    return out


def crossfit_mlp(z: np.ndarray, y: np.ndarray, writers: np.ndarray, folds: np.ndarray, s: Settings,
                 alpha: float) -> np.ndarray:
    """p_right of every real row from an MLP that saw neither its writer nor its images.

    ``z`` holds cross-fitted query logits; the logits of the training rows were produced by query
    models that saw the test cell, a mild leak accepted so that the query model is fitted once per
    cell, not once per cell and inner fold."""
    out = np.zeros((z.shape[0], len(LABELS)))
    for tr, te in cells(writers, folds):
        out[te] = mlp_predict(fit_mlp(z[tr], y[tr], s, alpha), z[te])
    return out


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Mean binary log-loss over the three downgrades (preserve is always right)."""
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(q) + (1 - y) * np.log(1 - q))[:, 1:].mean())


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


def gated_targets(y: np.ndarray, costs: np.ndarray, rows: list[dict[str, Any]],
                  evidence: dict[str, dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """``(y, costs)`` as the pipeline's checks make them (:mod:`models.evidence`): a crop or transcode the
    pipeline would refuse costs infinity (never sent), the others cost what would be sent, and a crop
    is right only when it holds at least ``models.evaluate.COVERAGE`` of the hand-drawn answer region (a crop
    allowed by the label but without a drawn region keeps the label's verdict)."""
    from models.evaluate import COVERAGE

    y2, c2 = y.copy(), costs.copy()
    for i, r in enumerate(rows):
        ev = evidence[r["id"]]
        c2[i, 0] = ev["full_tokens"]
        c2[i, 2] = np.inf if ev["crop_tokens"] is None else ev["crop_tokens"]
        c2[i, 3] = np.inf if ev["transcode_tokens"] is None else ev["transcode_tokens"]
        if y2[i, 2] > 0 and ev["crop_coverage"] is not None:
            y2[i, 2] = float(ev["crop_coverage"] >= COVERAGE)
    return y2, c2


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


def grid_outcomes(p: np.ndarray, y: np.ndarray, costs: np.ndarray, grid: tuple[float, ...],
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(accuracy, unsafe rate, -tokens) of :func:`choose` for every threshold triple of ``grid``,
    as arrays indexed [full_low, crop, transcode]; the same numbers as :func:`_policy_outcome`.

    Vectorised over the transcode threshold: for fixed full_low and crop thresholds the cheaper of
    those two that clears is the base choice; transcode replaces it where it clears and is strictly
    cheaper (``argmin`` keeps the lower index on ties)."""
    n, g = len(p), np.asarray(grid)
    rows = np.arange(n)
    clear = [p[:, j][None, :] >= g[:, None] for j in range(4)]  # (G, N) per technique
    cost_t = costs[:, 3]
    shape = (len(g),) * 3
    acc, uns, sav = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for ia in range(len(g)):
        for ib in range(len(g)):
            c_fl = np.where(clear[1][ia] & np.isfinite(costs[:, 1]), costs[:, 1], np.inf)
            c_cr = np.where(clear[2][ib] & np.isfinite(costs[:, 2]), costs[:, 2], np.inf)
            base = np.where(c_cr < c_fl, 2, 1)
            base_cost = np.minimum(c_fl, c_cr)
            base = np.where(np.isfinite(base_cost), base, 0)
            take_t = clear[3] & np.isfinite(cost_t)[None, :] & (cost_t < base_cost)[None, :]  # (G, N)
            right_base = y[rows, base] > 0
            right = np.where(take_t, (y[:, 3] > 0)[None, :], right_base[None, :])
            chosen_down = take_t | (base != 0)[None, :]
            acc[ia, ib] = right.mean(axis=1)
            uns[ia, ib] = (~right & chosen_down).mean(axis=1)
            sent = np.where(take_t, cost_t[None, :], costs[rows, base][None, :])
            sav[ia, ib] = -sent.sum(axis=1)
    return acc, uns, sav


def calibrate(p: np.ndarray, y: np.ndarray, costs: np.ndarray, *, gated: bool = False) -> np.ndarray:
    """Per-technique thresholds: highest accuracy of the policy with unsafe downgrades within
    UNSAFE_BUDGET (ties: more saving), searched over the whole grid.

    ``gated``: ``costs`` and ``y`` already hold what the pipeline's checks do (:func:`gated_targets`: an
    infinite cost where the localiser or OCR refuses, a crop right only when its box holds the
    answer), so each setting is scored once, as it would run. Otherwise each setting is scored twice,
    as the pipeline may behave: with crops, and with every crop refused (a localiser unsure of its
    region), where the next safe technique is sent instead; the unsafe rate must hold in both, and
    accuracy and saving are their mean. ``p`` should be out-of-fold predictions for new writers on
    new images (:func:`crossfit_mlp`): what production looks like.
    """
    grid = (*GRID, NEVER)
    acc1, uns1, sav1 = grid_outcomes(p, y, costs, grid)
    if gated:
        acc2, uns2, sav2 = acc1, uns1, sav1
    else:
        no_crop = costs.copy()
        no_crop[:, 2] = np.inf
        acc2, uns2, sav2 = grid_outcomes(p, y, no_crop, grid)
    ok = (uns1 <= UNSAFE_BUDGET) & (uns2 <= UNSAFE_BUDGET)
    best = np.array([1.0, NEVER, NEVER, NEVER])  # always-preserve: feasible by definition
    best_score = (-1.0, -math.inf)
    for ia, ib, ic in zip(*np.nonzero(ok), strict=True):  # C order: the same tie-break as a nested loop
        score = ((acc1[ia, ib, ic] + acc2[ia, ib, ic]) / 2, (sav1[ia, ib, ic] + sav2[ia, ib, ic]) / 2)
        if score > best_score:
            best, best_score = np.array([1.0, grid[ia], grid[ib], grid[ic]]), score
    return best


def leave_writer_out(p: np.ndarray, y: np.ndarray, costs: np.ndarray, writers: np.ndarray, labels: list[str],
                     sizes: list[tuple[int, int]], fixed: np.ndarray | None = None, *,
                     gated: bool = False, ungated_calibration: tuple[np.ndarray, np.ndarray] | None = None,
                     ) -> dict[str, Any]:
    """Each writer held out: thresholds calibrated on the other writers' out-of-fold rows (or the
    ``fixed`` ones), scored on this writer's; ``pooled``: all rows, each decided by thresholds not
    calibrated on its writer. ``ungated_calibration``: ``(y, costs)`` to calibrate on without the
    pipeline's checks (as v6 did), while scoring on ``y`` / ``costs``."""
    out: dict[str, Any] = {}
    chosen = np.zeros(len(p), dtype=int)
    for w in sorted(set(writers.tolist())):
        m, rest = writers == w, writers != w
        if fixed is not None:
            th = fixed
        elif ungated_calibration is not None:
            th = calibrate(p[rest], ungated_calibration[0][rest], ungated_calibration[1][rest])
        else:
            th = calibrate(p[rest], y[rest], costs[rest], gated=gated)
        idx = np.flatnonzero(m)
        chosen[idx] = choose(p[idx], th, costs[idx])
        out[w] = {**metrics(chosen[idx], y[idx], [labels[i] for i in idx], [sizes[i] for i in idx], costs[idx]),
                  "thresholds": {LABELS[j]: float(th[j]) for j in DOWNGRADES}}
    out["pooled"] = metrics(chosen, y, labels, sizes, costs)
    return out


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
def prepare(real_dirs: list[Path], question_files: list[Path], log: Any = print, *,
            relabel: bool = True) -> dict[str, Any]:
    """Real rows, their feature blocks, targets and estimated costs, what the pipeline's checks would
    do with them (:mod:`models.evidence`); the synthetic queries."""
    from models.evidence import gate_evidence, localiser_untuned

    rows, manifest = load_real(real_dirs, question_files, relabel=relabel)
    if not rows:
        raise SystemExit("no real training questions found (models/data/real/questions*.jsonl)")
    synth = [q for q in read_jsonl(DATA / "queries.jsonl") if q.get("label") in LABELS]
    log(f"real questions: {len(rows)} on {len({r['image'] for r in rows})} images; synthetic queries: {len(synth)}")
    t0 = time.process_time()
    img_feats = image_matrix(manifest, [r["image"] for r in rows])
    log(f"image features: {len(img_feats)} images, {time.process_time() - t0:.1f} s CPU")
    xq = query_matrix([r.get("query") or "" for r in rows])
    img = np.stack([img_feats[r["image"]] for r in rows])
    sizes = [(int(manifest[r["image"]]["width"]), int(manifest[r["image"]]["height"])) for r in rows]
    y = np.stack([targets(r["label"], r.get("acceptable")) for r in rows])
    # Calibration and held-out scores: the original label where the relabel was chosen by the router.
    y_cal = np.stack([targets(r["original_label"], r["original_acceptable"])
                      if r.get("relabel_file") in ROUTER_SELECTED_RELABELS else y[i] for i, r in enumerate(rows)])
    costs = estimated_costs(img, sizes)
    t0 = time.process_time()
    y_gated, costs_gated = gated_targets(y_cal, costs, rows, gate_evidence(rows))
    log(f"pipeline checks replayed: {time.process_time() - t0:.1f} s CPU; a confident crop for "
        f"{np.isfinite(costs_gated[:, 2]).mean():.0%} of the questions, a transcode passing its checks for "
        f"{np.isfinite(costs_gated[:, 3]).mean():.0%}")
    return {
        "rows": rows, "xq": xq, "img": img, "flags": xq[:, :N_QUERY_FLAGS].toarray(), "sizes": sizes, "y": y,
        "y_cal": y_cal,
        "writers": np.array([r["writer"] for r in rows]), "folds": np.array([r["fold"] for r in rows]),
        "labels": [r["label"] for r in rows], "costs": costs, "y_gated": y_gated, "costs_gated": costs_gated,
        "cal_labels": [r["original_label"] if r.get("relabel_file") in ROUTER_SELECTED_RELABELS else r["label"]
                       for r in rows],
        "untuned": np.array([localiser_untuned(r["group"], r["writer"]) for r in rows]),
        "synth": (query_matrix([q["query"] for q in synth]), np.stack([targets(q["label"], None) for q in synth])),
    }


def run(real_dirs: list[Path], question_files: list[Path], s: Settings, log: Any = print, *,
        relabel: bool = True) -> dict[str, Any]:
    d = prepare(real_dirs, question_files, log, relabel=relabel)
    rows, y, writers, folds, labels, sizes = (d[k] for k in ("rows", "y", "writers", "folds", "labels", "sizes"))
    log("cells (writer x image-group fold): " + ", ".join(
        f"{w} {int((writers == w).sum())}" for w in sorted(set(writers.tolist()))))
    logits = crossfit_logits(d["xq"], y, writers, folds, d["synth"], s, log)
    z = stage2_inputs(logits, d["flags"], d["img"])
    # The MLP's L2 strength: lowest cross-fitted log-loss (a proper score, steadier than accuracy
    # at a threshold).
    best: tuple[float, float, np.ndarray] | None = None
    losses = {}
    for alpha in s.alphas:
        p_a = crossfit_mlp(z, y, writers, folds, s, alpha)
        losses[str(alpha)] = loss = log_loss(p_a, y)
        log(f"  MLP alpha {alpha:g}: cross-fitted log-loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, alpha, p_a)
    assert best is not None
    _, alpha, p = best
    # Thresholds and their scores: decisions as the pipeline makes them (its crop and transcode checks
    # replayed), on the questions the crop localiser's rules were not written from.
    u = d["untuned"]
    yg, cg, wu = d["y_gated"][u], d["costs_gated"][u], writers[u]
    lab_u = [x for x, k in zip(d["cal_labels"], u, strict=True) if k]
    size_u = [x for x, k in zip(sizes, u, strict=True) if k]
    log(f"calibration rows (crop localiser not tuned on them): {int(u.sum())} of {len(rows)}")
    thresholds = calibrate(p[u], yg, cg, gated=True)
    log("thresholds (P(right) >= ...): " + ", ".join(f"{LABELS[j]} {thresholds[j]:.3f}" for j in DOWNGRADES))
    # Shipped model: every real question; stage 2 on the cross-fitted logits (what a new writer's
    # query looks like to a query model that never saw it).
    all_rows = np.ones(len(rows), dtype=bool)
    qmodel = fit_query_on(d["xq"], y, all_rows, d["synth"], s)
    mlp = fit_mlp(z, y, s, alpha)
    pq = 1.0 / (1.0 + np.exp(-logits))
    result = {
        "rows": rows, "qmodel": qmodel, "mlp": mlp, "thresholds": thresholds,
        "metrics": {
            "leave_writer_out": leave_writer_out(p[u], yg, cg, wu, lab_u, size_u, gated=True),
            "leave_writer_out_query_only": leave_writer_out(pq[u], yg, cg, wu, lab_u, size_u, gated=True),
            "leave_writer_out_previous_thresholds": leave_writer_out(p[u], yg, cg, wu, lab_u, size_u,
                                                                     PREVIOUS_THRESHOLDS),
            "leave_writer_out_ungated_calibration": leave_writer_out(
                p[u], yg, cg, wu, lab_u, size_u, ungated_calibration=(d["y_cal"][u], d["costs"][u])),
            "crossfit_shipped_thresholds": metrics(choose(p[u], thresholds, cg), yg, lab_u, size_u, cg),
            "model_search": {"alpha": alpha, "log_loss": losses},
        },
        "counts": {"real": len(rows), "images": len({r["image"] for r in rows}), "calibration": int(u.sum()),
                   "relabelled_blind": sum("original_label" in r for r in rows),
                   "synthetic": int(d["synth"][1].shape[0]),
                   "writers": dict(Counter(writers.tolist())), "folds": FOLDS,
                   "labels": dict(Counter(labels))},
    }
    for k in ("leave_writer_out", "leave_writer_out_previous_thresholds", "leave_writer_out_ungated_calibration",
              "leave_writer_out_query_only"):
        for w, m in result["metrics"][k].items():
            log(f"{k:>27} {w:>8}: n={m['n']} accuracy {m['accuracy']:.3f} unsafe {m['unsafe_rate']:.3f} "
                f"saving~{m['saving_estimate']:.3f}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the router (see the module docstring).")
    parser.add_argument("--real", type=Path, nargs="*", default=[DATA / "real"],
                        help="real-image folders (manifest.jsonl, images/, questions*.jsonl)")
    parser.add_argument("--questions", type=Path, nargs="*", default=[], help="extra question files")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--metrics-out", type=Path, help="also write the metrics JSON here")
    parser.add_argument("--original-labels", action="store_true",
                        help="ignore the blind relabels (models/data/real/agreement): the writers' labels only")
    args = parser.parse_args(argv)
    s = Settings()
    r = run(args.real, args.questions, s, relabel=not args.original_labels)
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
        "synthetic_share": s.synthetic_share, "feature_layout": feature_layout(), "counts": r["counts"],
        "metrics": r["metrics"], "model_bytes": len(model),
    }
    (OUT / "router.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
