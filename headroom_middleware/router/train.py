"""Rebuild the router model from ``models/data`` (deterministic; about 3.5 minutes on 2 cores).

    python -m headroom_middleware.router.train            # writes models/router.onnx, router.json, README.md
    python -m headroom_middleware.router.train --no-write # metrics only

Steps:

1. Read ``models/data/queries.jsonl`` and ``models/data/images/manifest.jsonl``.
2. Split **by group** (the seed idea of a query and all its paraphrases/translations) into
   train / test with ``GroupShuffleSplit`` (fixed seed), and split the images of
   every kind into train / test images too, so test pairs combine unseen phrasings with unseen
   images.
3. Pair every query with several images of its ``image_kind`` (chosen by a seeded generator),
   build :func:`features.build_features` vectors (image features once per image, query features
   once per query).
4. Train a multinomial logistic regression (balanced classes; preserve-labelled examples weigh
   more, because predicting anything else for them is an unsafe downgrade).
5. With out-of-fold predictions over the training groups (GroupKFold), pick a temperature and a
   *preserve bias* (added to the preserve logit) so that, at the pipeline's default confidence
   threshold (0.55), the unsafe-downgrade rate stays <= the target (pooled and in every fold)
   with the largest saving.
   Baking both into the model keeps the default threshold honest.
6. Retrain on all training queries with the chosen settings, report held-out test metrics once, export
   ONNX (``zipmap=False``: a plain ``probabilities`` tensor) with metadata, ``router.json`` and the
   model card ``models/README.md``.

Example::

    from headroom_middleware.router.train import main
    main(["--no-write"])
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Fixed BLAS threads: same sums in the same order on every run (determinism), and the machine's
# 2 cores are shared.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from .features import (  # noqa: E402
    FEATURE_VERSION,
    IMAGE_FEATURES,
    N_BUCKETS,
    N_FEATURES,
    N_IMAGE,
    N_QUERY_FLAGS,
    N_WORD_BUCKETS,
    QUERY_FLAGS,
    feature_layout,
    image_features,
    query_features,
)
from .onnx_router import INPUT_NAME, LABELS, OUTPUT_NAME  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "models" / "data"
# Independent evaluation sets: (key, file relative to the data directory, title, provenance).
BLIND_SETS = (
    (
        "blind",
        Path("blind") / "blind_eval.jsonl",
        "Blind set 1 (queries from another writer)",
        "written for evaluation only by a separate writer (a helper agent that was given the label guidelines of "
        "`data/README.md` and nothing else: not the training queries, the keyword lists, the model or its "
        "errors). Its first scores (classifier 84.0 %, then 85.2 % after seed batches 7-9 that were already "
        "commissioned; 2.2 % unsafe at the threshold) led to one change: calibration folds by writer. So it is "
        "no longer blind for the calibration; set 2 below is.",
    ),
    (
        "blind_2",
        Path("blind") / "blind_eval_2.jsonl",
        "Blind set 2 (a third writer, scored once)",
        "written for evaluation only by a third writer with the same brief (guidelines only), after the last "
        "change to the data, features, model and calibration; this model is the first and only one scored on it.",
    ),
)
OUT = ROOT / "models"
SEED = 20261125
THRESHOLD = 0.55  # CompressionConfig.confidence_threshold default
UNSAFE_TARGET = 0.015  # chosen on validation; leaves margin for the 2 % budget on test
# Calibrations within this much of the best validation saving count as equal; among them the most
# accurate wins (saving differences this small are within the noise of one validation run).
SAVING_SLACK = 0.02
LABEL_INDEX = {t.value: i for i, t in enumerate(LABELS)}
P_IDX = LABEL_INDEX["preserve"]

# answers(label): techniques that still answer (docs/CONTRACTS.md)
ANSWERS: dict[str, set[str]] = {
    "preserve": {"preserve"},
    "crop": {"crop", "preserve"},
    "full_low": {"full_low", "preserve"},
    "transcode": {"transcode", "preserve"},
}


@dataclass
class Settings:
    """Hyper-parameters (chosen on out-of-fold validation over the training groups).

    Example::

        r = run(DATA, Settings(C=0.5))
    """

    C: float = 2.0
    preserve_weight: float = 1.5
    images_per_query_train: int = 5
    images_per_query_eval: int = 2
    test_size: float = 0.2


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _manifest(data_dir: Path) -> list[dict[str, Any]]:
    """Synthetic thumbnails (manifest.jsonl) plus real, permissively licensed ones (manifest_real.jsonl)."""
    rows = _read_jsonl(data_dir / "images" / "manifest.jsonl")
    real = data_dir / "images" / "manifest_real.jsonl"
    return rows + (_read_jsonl(real) if real.exists() else [])


def data_hash(data_dir: Path) -> str:
    """sha256 over queries.jsonl, the manifest and every thumbnail (sorted by path).

    Example::

        print(data_hash(DATA)[:16])   # recorded in models/router.json as data_sha256
    """
    h = hashlib.sha256()
    files = [data_dir / "queries.jsonl", data_dir / "images" / "manifest.jsonl"]
    extra = [data_dir / "images" / "manifest_real.jsonl", *(data_dir / rel for _, rel, _, _ in BLIND_SETS)]
    files += [f for f in extra if f.exists()]
    manifest = _manifest(data_dir)
    files += [data_dir / "images" / m["file"] for m in sorted(manifest, key=lambda m: m["file"])]
    for f in files:
        h.update(str(f.relative_to(data_dir)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


@dataclass
class ImageRow:
    """One training thumbnail: its features, original size and whether it is a test image."""

    id: str
    kind: str
    size: tuple[int, int]
    feats: np.ndarray
    test: bool


def _load_images(data_dir: Path) -> list[ImageRow]:
    """Image features of every manifest thumbnail; ~20 % of each kind held out for test."""
    from PIL import Image

    rows = []
    for m in _manifest(data_dir):
        with Image.open(data_dir / "images" / m["file"]) as im:
            thumb = im.convert("RGB")
        size = (int(m["original_width"]), int(m["original_height"]))
        # crc32 of the id: a stable, content-independent 1-in-5 choice per image. Variants of one real
        # photo ("real_<name>_<variant>") share the source's choice, or a crop of a training photo
        # would be a test image.
        key = m["id"].rsplit("_", 1)[0] if m["id"].startswith("real_") else m["id"]
        test = zlib.crc32(key.encode()) % 5 == 0
        rows.append(ImageRow(m["id"], m["kind"], size, image_features(thumb, size), test))
    return rows


def _pairs(
    queries: list[dict[str, Any]], q_idx: np.ndarray, images: list[ImageRow], per_query: int, test: bool, seed: int
) -> list[tuple[int, int]]:
    by_kind: dict[str, list[int]] = {}
    for i, im in enumerate(images):
        if im.test == test:
            by_kind.setdefault(im.kind, []).append(i)
    rng = np.random.default_rng(seed)
    out = []
    for qi in q_idx:
        pool = by_kind.get(queries[qi]["image_kind"], [])
        if not pool:
            continue
        k = min(per_query, len(pool))
        for ii in rng.choice(len(pool), size=k, replace=False):
            out.append((int(qi), pool[int(ii)]))
    return out


def _build_matrix(
    pairs: list[tuple[int, int]], queries: list[dict[str, Any]], images: list[ImageRow]
) -> tuple[Any, np.ndarray]:
    """Sparse CSR feature matrix (same columns as build_features) and label indices."""
    import scipy.sparse as sp

    n = len(pairs)
    dense = np.zeros((n, N_IMAGE + N_QUERY_FLAGS), dtype=np.float32)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    qcache: dict[int, tuple[tuple[float, ...], np.ndarray, np.ndarray]] = {}
    y = np.zeros(n, dtype=np.int64)
    for r, (qi, ii) in enumerate(pairs):
        if qi not in qcache:
            flags, sparse = query_features(queries[qi]["query"])
            qcache[qi] = (
                flags,
                np.array([N_IMAGE + N_QUERY_FLAGS + b for b, _ in sparse], dtype=np.int64),
                np.array([v for _, v in sparse], dtype=np.float32),
            )
        flags, c, v = qcache[qi]
        dense[r, :N_IMAGE] = images[ii].feats
        dense[r, N_IMAGE:] = flags
        rows.append(np.full(len(c), r, dtype=np.int64))
        cols.append(c)
        vals.append(v)
        y[r] = LABEL_INDEX[queries[qi]["label"]]
    d = sp.csr_matrix(dense)
    d.resize((n, N_FEATURES))
    g = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, N_FEATURES), dtype=np.float32
    )
    return (d + g).tocsr(), y


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------
def _fit_scaler(x: Any) -> tuple[np.ndarray, np.ndarray]:
    """Mean/scale per column: image features standardised, query flags and n-grams untouched
    (n-grams are already L2-normalised; scaling rare ones up would make them dominate)."""
    mean = np.zeros(N_FEATURES, dtype=np.float64)
    scale = np.ones(N_FEATURES, dtype=np.float64)
    dense = x[:, :N_IMAGE].toarray().astype(np.float64)
    mean[:N_IMAGE] = dense.mean(axis=0)
    std = dense.std(axis=0)
    scale[:N_IMAGE] = np.where(std > 1e-6, std, 1.0)
    return mean, scale


def _apply_scaler(x: Any, mean: np.ndarray, scale: np.ndarray) -> Any:
    import scipy.sparse as sp

    x = x.tocsc(copy=True)
    dense = (x[:, :N_IMAGE].toarray() - mean[:N_IMAGE]) / scale[:N_IMAGE]
    rest = x[:, N_IMAGE:]
    return sp.hstack([sp.csc_matrix(dense.astype(np.float32)), rest], format="csr")


def _train_model(x: Any, y: np.ndarray, s: Settings) -> Any:
    """Multinomial logistic regression with balanced classes, preserve up-weighted.

    On out-of-fold validation a one-hidden-layer MLP (64/128 units) was no better (80-81 % vs
    81-82 % accuracy, lower savings at the same unsafe rate) and 15x larger, so the linear model ships.
    """
    from sklearn.linear_model import LogisticRegression

    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    weights = {
        c: (len(y) / len(LABELS) / max(counts[c], 1.0)) * (s.preserve_weight if c == P_IDX else 1.0)
        for c in range(len(LABELS))
    }
    clf = LogisticRegression(C=s.C, max_iter=3000, class_weight=weights, tol=1e-6)
    clf.fit(x, y)
    return clf


def _calibrated(probs: np.ndarray, temperature: float, bias: float) -> np.ndarray:
    logits = np.log(np.clip(probs, 1e-12, None)) / temperature
    logits[:, P_IDX] += bias
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def _outcome_tables(y: np.ndarray, sizes: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per pair and technique: does it answer (bool), and its token saving share (float)."""
    labels = [t.value for t in LABELS]
    ok = np.array([[labels[j] in ANSWERS[labels[a]] for j in range(len(labels))] for a in y])
    saving = np.zeros((len(y), len(labels)))
    cache: dict[tuple[int, int], list[float]] = {}
    for i, size in enumerate(sizes):
        if size not in cache:
            c = token_costs(size)
            cache[size] = [1.0 - c[t] / c["preserve"] for t in labels]
        saving[i] = cache[size]
    return ok, saving


def choose_calibration(
    probs: np.ndarray, y: np.ndarray, sizes: list[tuple[int, int]], folds: np.ndarray | None = None
) -> tuple[float, float, dict[str, Any]]:
    """(temperature, preserve bias) for the shipped model, from out-of-fold predictions.

    A softer output (temperature > 1) moves doubtful decisions under the threshold, where the
    pipeline preserves; the bias tilts the argmax towards preserve. Among the settings whose
    unsafe-downgrade rate at THRESHOLD is <= UNSAFE_TARGET — pooled and, when ``folds`` (the
    GroupKFold fold of every row) is given, in every fold too — take those within SAVING_SLACK of the
    best saving and of them the one with the highest accuracy (a pure temperature keeps the
    argmax, a bias costs accuracy for little extra safety). Falls back to the safest setting.
    The per-fold condition guards against the selection noise of one pooled estimate: a
    setting chosen on half of the out-of-fold rows reached 2.5 % unsafe on the other half.

    Example::

        temperature, bias, metrics = choose_calibration(oof_probs, oof_y, oof_sizes, oof_folds)
    """
    ok, saving = _outcome_tables(y, sizes)
    rows = np.arange(len(y))
    logits0 = np.log(np.clip(probs, 1e-12, None))
    feasible: list[tuple[float, float, float, float]] = []  # (saving, accuracy, T, bias)
    safest: tuple[float, float, float] | None = None  # (unsafe, T, bias)
    for temperature in (1.0, 1.5, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.5, 5.0):
        for bias in np.arange(0.0, 4.01, 0.125):
            logits = logits0 / temperature
            logits[:, P_IDX] += bias
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            pred = np.where(p.max(axis=1) >= THRESHOLD, p.argmax(axis=1), P_IDX)
            good = ok[rows, pred]
            unsafe = 1.0 - float(good.mean())
            if folds is not None:
                unsafe = max([unsafe] + [1.0 - float(good[folds == f].mean()) for f in np.unique(folds)])
            if safest is None or unsafe < safest[0]:
                safest = (unsafe, temperature, float(bias))
            if unsafe <= UNSAFE_TARGET:
                sv = float(np.where(good, saving[rows, pred], 0.0).mean())
                feasible.append((sv, float((p.argmax(axis=1) == y).mean()), temperature, float(bias)))
                break  # a larger bias only loses savings and accuracy
    if feasible:
        best_saving = max(f[0] for f in feasible)
        _, _, temperature, bias = max((f for f in feasible if f[0] >= best_saving - SAVING_SLACK), key=lambda f: f[1])
    else:
        assert safest is not None
        _, temperature, bias = safest
    return temperature, bias, evaluate(_calibrated(probs, temperature, bias), y, sizes, THRESHOLD)


def _calibrate(clf: Any, temperature: float, bias: float) -> None:
    """Bake temperature and preserve bias into the model's logits (logits / T, + bias on preserve)."""
    clf.coef_ = clf.coef_ / temperature
    b = clf.intercept_ / temperature
    b[P_IDX] += bias
    clf.intercept_ = b


# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------
def token_costs(size: tuple[int, int]) -> dict[str, float]:
    """Estimated Claude (standard resolution) tokens per technique for an original ``size``.

    preserve: the image as sent; full_low: long edge 512 px (the pipeline's full_low edge);
    crop: a region of a quarter of the area; transcode: ~350 text tokens of OCR (a rough page
    estimate; receipts are shorter and dense pages longer).

    Example::

        token_costs((4032, 3024))["full_low"]   # tokens of the 512 px version
    """
    from ..imaging import fit_inside
    from ..tokens.images import ANTHROPIC_STANDARD, image_tokens

    w, h = size
    full = image_tokens(ANTHROPIC_STANDARD, w, h).tokens or 1
    lw, lh = fit_inside(w, h, 512)
    low = image_tokens(ANTHROPIC_STANDARD, lw, lh).tokens or full
    cw, ch = max(1, w // 2), max(1, h // 2)
    crop = image_tokens(ANTHROPIC_STANDARD, cw, ch).tokens or full
    return {
        "preserve": float(full),
        "full_low": float(min(low, full)),
        "crop": float(min(crop, full)),
        "transcode": float(min(350, full)),
    }


def evaluate(
    probs: np.ndarray, y: np.ndarray, sizes: list[tuple[int, int]], threshold: float
) -> dict[str, Any]:
    """Accuracy, confusion matrix, unsafe-downgrade rates (raw and after the threshold), savings.

    ``probs`` is (N, 4) in LABELS order, ``y`` the label indices, ``sizes`` the original sizes.

    Example::

        m = evaluate(probs, y, sizes, THRESHOLD)
        print(m["accuracy"], m["unsafe_downgrade_rate_after_threshold"])
    """
    labels = [t.value for t in LABELS]
    pred = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    pred_t = np.where(conf >= threshold, pred, P_IDX)
    n = len(y)
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for a, b in zip(y, pred, strict=True):
        cm[a, b] += 1

    def unsafe(p: np.ndarray) -> float:
        bad = sum(1 for a, b in zip(y, p, strict=True) if labels[b] not in ANSWERS[labels[a]])
        return bad / n if n else 0.0

    saved = []
    oracle = []
    costs: dict[tuple[int, int], dict[str, float]] = {}
    for a, b, size in zip(y, pred_t, sizes, strict=True):
        c = costs.get(size) or costs.setdefault(size, token_costs(size))
        # An unsafe downgrade saves tokens but loses the answer: count it as no saving.
        tech = labels[b] if labels[b] in ANSWERS[labels[a]] else "preserve"
        saved.append(1.0 - c[tech] / c["preserve"])
        oracle.append(1.0 - c[labels[a]] / c["preserve"])
    return {
        "n": int(n),
        "accuracy": float((pred == y).mean()) if n else 0.0,
        "accuracy_after_threshold": float((pred_t == y).mean()) if n else 0.0,
        "unsafe_downgrade_rate": unsafe(pred),
        "unsafe_downgrade_rate_after_threshold": unsafe(pred_t),
        "preserved_by_threshold": float(((conf < threshold) & (pred != P_IDX)).mean()) if n else 0.0,
        "mean_token_saving": float(np.mean(saved)) if n else 0.0,
        "oracle_token_saving": float(np.mean(oracle)) if n else 0.0,
        "confusion_matrix": cm.tolist(),
        "labels": labels,
    }


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------
def _export_onnx(clf: Any, mean: np.ndarray, scale: np.ndarray, meta: dict[str, str]) -> bytes:
    """Scaler + classifier as one ONNX graph: input ``features`` (N, N_FEATURES), output ``probabilities``."""
    import onnx
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler()
    scaler.fit(np.zeros((2, N_FEATURES)))
    scaler.mean_ = mean
    scaler.scale_ = scale
    scaler.var_ = scale**2
    pipe = Pipeline([("scale", scaler), ("clf", clf)])
    model = convert_sklearn(
        pipe,
        initial_types=[(INPUT_NAME, FloatTensorType([None, N_FEATURES]))],
        options={id(clf): {"zipmap": False}},
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    names = [o.name for o in model.graph.output]
    if OUTPUT_NAME not in names:
        raise RuntimeError(f"unexpected ONNX outputs {names}")
    # Keep only the probability output: the label output is an argmax the router does itself.
    for o in list(model.graph.output):
        if o.name != OUTPUT_NAME:
            model.graph.output.remove(o)
    del model.metadata_props[:]
    for k, v in meta.items():
        p = model.metadata_props.add()
        p.key, p.value = k, v
    model.graph.name = "headroom_router"  # skl2onnx picks a random uuid; keep the bytes reproducible
    model.producer_name = "headroom_middleware.router.train"
    model.doc_string = "headroom-middleware router: features -> P(preserve, full_low, crop, transcode)"
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


_COLD_CODE = """
import sys, time
import headroom_middleware.types  # the pipeline has its types and Pillow loaded when it first routes
from PIL import Image
im = Image.new("RGB", (256, 144))
t = time.perf_counter()
from headroom_middleware.router.onnx_router import OnnxRouter
with open(sys.argv[1], "rb") as fh:
    OnnxRouter(fh.read()).decide(im, "what is this?", (1920, 1080))
print((time.perf_counter() - t) * 1e3)
"""


def _cold_load_ms(model: bytes, runs: int = 3) -> float:
    """Median time of the first router use in a fresh process (imports + session + first decision)."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".onnx", delete=False) as fh:
        fh.write(model)
        path = fh.name
    try:
        times = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", _COLD_CODE, path], capture_output=True, text=True, cwd=ROOT, check=False
            )
            if out.returncode == 0:
                times.append(float(out.stdout.strip().splitlines()[-1]))
        return statistics.median(times) if times else float("nan")
    finally:
        os.unlink(path)


def _measure_latency(model: bytes, images: list[ImageRow], data_dir: Path, queries: list[str]) -> dict[str, float]:
    """Decision latency (thumbnail features + query features + inference) and cold load."""
    from PIL import Image

    from .onnx_router import OnnxRouter

    router = OnnxRouter(model)
    router.load()
    manifest = {m["id"]: m for m in _manifest(data_dir)}
    thumbs = []
    for im in images[:: max(1, len(images) // 40)]:
        with Image.open(data_dir / "images" / manifest[im.id]["file"]) as f:
            thumbs.append((f.convert("RGB"), im.size))
    times = []
    for i in range(600):
        t, size = thumbs[i % len(thumbs)]
        q = queries[(i * 7) % len(queries)] + f" #{i}"  # unique text: no query-cache hits
        t0 = time.perf_counter()
        router.decide(t, q, size)
        times.append(time.perf_counter() - t0)
    times = times[50:]
    times.sort()
    cold = _cold_load_ms(model)
    return {
        "p50_ms": 1e3 * times[len(times) // 2],
        "p99_ms": 1e3 * times[int(len(times) * 0.99)],
        "cold_load_ms": cold,
    }


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------
def group_bucket(group: str) -> int:
    """0..999 from sha1 of a query group id: the stable coordinate every split of this module uses."""
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % 1000


def is_test_group(group: str, size: float = 0.2) -> bool:
    """Held-out test membership of a query group, by sha1 of the group id.

    A hash (not a shuffled split) keeps every existing group on its side when seed batches are added,
    so a new batch never moves an idea the model was tested on into training or back.

    Example::

        is_test_group("receipt.crop.1a2b3c4d")   # stable across data versions
    """
    return group_bucket(group) < round(size * 1000)


def calibration_folds(queries: list[dict[str, Any]], idx: np.ndarray) -> np.ndarray:
    """Fold of each training query for the calibration: one per seed writer, the core seeds in two halves.

    Each batch in ``data/seeds/`` was written by a different writer. Holding a whole writer out is what
    the router meets in production — phrasing from people whose habits it has never read — and is
    harsher than holding out random ideas: the unsafe rate the calibration must keep in *every* fold
    then covers a change of writer. The core seeds (``make_queries.py``) are split by group hash.

    Example::

        folds = calibration_folds(queries, np.arange(len(queries)))   # 0..n_writers+1
    """
    writers = sorted({str(queries[i].get("writer", "core")) for i in idx} - {"core"})
    out = [
        len(writers) + group_bucket(queries[i]["group"]) % 2
        if queries[i].get("writer", "core") == "core"
        else writers.index(str(queries[i]["writer"]))
        for i in idx
    ]
    return np.array(out, dtype=np.int64)


def _split(queries: list[dict[str, Any]], idx: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray]:
    test = np.array([is_test_group(queries[i]["group"], size) for i in idx], dtype=bool)
    return idx[~test], idx[test]


def _rules_probs(pairs: list[tuple[int, int]], queries: list[dict[str, Any]], images: list[ImageRow]) -> np.ndarray:
    """The rule-based fallback's probabilities on the same pairs, for comparison."""
    from .rules import decide_from_features

    return np.array(
        [
            [decide_from_features(images[ii].feats.tolist(), queries[qi]["query"]).probabilities[t] for t in LABELS]
            for qi, ii in pairs
        ]
    )


def _probs(clf: Any, x: Any) -> np.ndarray:
    return np.asarray(clf.predict_proba(x), dtype=np.float64)


def run(data_dir: Path, s: Settings, *, blind: bool = True, cv: bool = True, log: Any = print) -> dict[str, Any]:
    """Train and evaluate; returns the model, metrics and everything needed for export.

    Example::

        r = run(DATA, Settings())
        print(r["test"]["accuracy"], r["temperature"], r["bias"])
    """
    t_start = time.perf_counter()
    queries = _read_jsonl(data_dir / "queries.jsonl")
    images = _load_images(data_dir)
    log(f"{len(queries)} queries, {len(images)} images ({sum(i.test for i in images)} held out)")
    all_idx = np.arange(len(queries))
    trval_idx, test_idx = _split(queries, all_idx, s.test_size)
    g_test = {queries[i]["group"] for i in test_idx}
    assert not g_test & {queries[i]["group"] for i in trval_idx}, "group leak between train and test"

    # 1) out-of-fold probabilities over the training queries, one fold per seed writer (each fold's
    #    groups, and for a batch its whole writer, are unseen by the model that scores them) -> choose
    #    temperature and preserve bias on them.
    oof_probs, oof_y, oof_sizes, oof_folds = [], [], [], []
    fold_of = calibration_folds(queries, trval_idx)
    for fold in np.unique(fold_of):
        a, b = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        p_tr = _pairs(queries, trval_idx[a], images, s.images_per_query_train, False, SEED + int(fold))
        p_va = _pairs(queries, trval_idx[b], images, s.images_per_query_eval, True, SEED + 10 + int(fold))
        x_tr, y_tr = _build_matrix(p_tr, queries, images)
        x_va, y_va = _build_matrix(p_va, queries, images)
        mean, scale = _fit_scaler(x_tr)
        clf = _train_model(_apply_scaler(x_tr, mean, scale), y_tr, s)
        oof_probs.append(_probs(clf, _apply_scaler(x_va, mean, scale)))
        oof_y.append(y_va)
        oof_sizes += [images[ii].size for _, ii in p_va]
        oof_folds.append(np.full(len(p_va), fold))
        log(f"  fold {fold}: {len(p_tr)} train pairs, {len(p_va)} validation pairs")
    probs_va, y_va = np.concatenate(oof_probs), np.concatenate(oof_y)
    raw_val = evaluate(probs_va, y_va, oof_sizes, THRESHOLD)
    temperature, bias, val_metrics = choose_calibration(probs_va, y_va, oof_sizes, np.concatenate(oof_folds))
    log(
        f"  validation (out-of-fold): acc {raw_val['accuracy']:.3f}, unsafe {raw_val['unsafe_downgrade_rate']:.2%} "
        f"-> {raw_val['unsafe_downgrade_rate_after_threshold']:.2%}; calibrated T={temperature} bias={bias}: "
        f"acc {val_metrics['accuracy']:.3f}, unsafe -> {val_metrics['unsafe_downgrade_rate_after_threshold']:.2%}, "
        f"saving {val_metrics['mean_token_saving']:.3f}"
    )

    # 2) refit on train + validation with the chosen settings; evaluate once on test
    p_all = _pairs(queries, trval_idx, images, s.images_per_query_train, False, SEED)
    p_te = _pairs(queries, test_idx, images, s.images_per_query_eval, True, SEED + 3)
    x_all, y_all = _build_matrix(p_all, queries, images)
    x_te, y_te = _build_matrix(p_te, queries, images)
    mean, scale = _fit_scaler(x_all)
    clf = _train_model(_apply_scaler(x_all, mean, scale), y_all, s)
    xs_te = _apply_scaler(x_te, mean, scale)
    sizes_te = [images[ii].size for _, ii in p_te]
    uncalibrated = evaluate(_probs(clf, xs_te), y_te, sizes_te, THRESHOLD)
    _calibrate(clf, temperature, bias)
    probs_te = _probs(clf, xs_te)
    test = evaluate(probs_te, y_te, sizes_te, THRESHOLD)
    # per-language and per-kind accuracy/unsafe on test (after threshold)
    by: dict[str, dict[str, dict[str, float]]] = {"lang": {}, "image_kind": {}, "source": {}}
    pred_t = np.where(probs_te.max(axis=1) >= THRESHOLD, probs_te.argmax(axis=1), P_IDX)
    labels = [t.value for t in LABELS]
    for key in by:
        vals = np.array([queries[qi][key] for qi, _ in p_te])
        for v in sorted(set(vals)):
            sel = vals == v
            unsafe = np.mean(
                [labels[b] not in ANSWERS[labels[a]] for a, b in zip(y_te[sel], pred_t[sel], strict=True)]
            )
            by[key][str(v)] = {
                "n": int(sel.sum()),
                "accuracy": float((probs_te[sel].argmax(axis=1) == y_te[sel]).mean()),
                "unsafe_after_threshold": float(unsafe),
            }
    blind_m: dict[str, dict[str, Any]] = {}
    for key, rel, _, _ in BLIND_SETS if blind else ():
        m_b = _blind_eval(data_dir / rel, images, clf, mean, scale, s, bias, queries)
        if m_b is not None:
            blind_m[key] = m_b
    # the rule-based router on the same test pairs, for comparison
    rules = evaluate(_rules_probs(p_te, queries, images), y_te, sizes_te, THRESHOLD)
    log(
        f"test before calibration: acc {uncalibrated['accuracy']:.3f}, unsafe "
        f"{uncalibrated['unsafe_downgrade_rate']:.3%} -> {uncalibrated['unsafe_downgrade_rate_after_threshold']:.3%}"
    )
    log(
        f"test: acc {test['accuracy']:.3f}, unsafe {test['unsafe_downgrade_rate']:.3%} -> "
        f"{test['unsafe_downgrade_rate_after_threshold']:.3%} after threshold, saving "
        f"{test['mean_token_saving']:.3f} (oracle {test['oracle_token_saving']:.3f}); rules acc "
        f"{rules['accuracy']:.3f} unsafe {rules['unsafe_downgrade_rate_after_threshold']:.3%}"
    )
    cv_m = _outer_cv(queries, images, s, temperature, bias) if cv else None
    if cv_m is not None:
        log(
            f"5-fold group CV: acc {cv_m['accuracy_before_calibration']:.3f} before calibration (folds "
            + " ".join(f"{f['accuracy_before_calibration']:.3f}" for f in cv_m["folds"])
            + f"), {cv_m['accuracy']:.3f} after (folds "
            + " ".join(f"{f['accuracy']:.3f}" for f in cv_m["folds"])
            + f"), unsafe after threshold {cv_m['unsafe_downgrade_rate_after_threshold']:.3%}, "
            f"saving {cv_m['mean_token_saving']:.3f}"
        )
    for key, bm in blind_m.items():
        log(
            f"{key}: acc {bm['accuracy_before_calibration']:.3f} before calibration, {bm['accuracy']:.3f} "
            f"after, unsafe {bm['unsafe_downgrade_rate']:.3%} -> "
            f"{bm['unsafe_downgrade_rate_after_threshold']:.3%} after threshold, saving "
            f"{bm['mean_token_saving']:.3f} (oracle {bm['oracle_token_saving']:.3f}); rules acc "
            f"{bm['rules']['accuracy']:.3f} unsafe {bm['rules']['unsafe_downgrade_rate_after_threshold']:.3%}"
        )
    return {
        "clf": clf,
        "mean": mean,
        "scale": scale,
        "bias": bias,
        "temperature": temperature,
        "test": test,
        "test_uncalibrated": uncalibrated,
        "val": val_metrics,
        "val_uncalibrated": raw_val,
        "rules": rules,
        "blind": blind_m,
        "cv": cv_m,
        "by": by,
        "queries": queries,
        "images": images,
        "counts": {
            "queries": len(queries),
            "groups": len({q["group"] for q in queries}),
            "train_queries": len(trval_idx),
            "test_queries": len(test_idx),
            "test_groups": len(g_test),
            "train_pairs": len(p_all),
            "test_pairs": len(p_te),
            "images": len(images),
            "real_images": sum(i.id.startswith("real_") for i in images),
            "test_images": sum(i.test for i in images),
        },
        "train_seconds": time.perf_counter() - t_start,
    }


SWEEP = (0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def _threshold_sweep(probs: np.ndarray, y: np.ndarray, sizes: list[tuple[int, int]]) -> dict[str, dict[str, float]]:
    """Unsafe-downgrade rate and saving at other confidence thresholds (information for hosts; the default
    threshold is not chosen from this)."""
    out = {}
    for thr in SWEEP:
        m = evaluate(probs, y, sizes, thr)
        out[str(thr)] = {
            "unsafe_after_threshold": m["unsafe_downgrade_rate_after_threshold"],
            "saving": m["mean_token_saving"],
        }
    return out


def _norm_query(q: str) -> str:
    return " ".join(q.lower().split()).strip("?.!？。！ ")


def _outer_cv(
    queries: list[dict[str, Any]], images: list[ImageRow], s: Settings, temperature: float, bias: float
) -> dict[str, Any]:
    """Group-wise 5-fold cross-validation over ALL queries (fold k = group buckets [200k, 200k+200)).

    One test split is a small sample of ideas (a lucky or unlucky draw moves accuracy by points); here
    every group is held out exactly once, by a model trained the same way on the other four fifths
    (same settings, the shipped temperature/bias). Fold 0 is the test split above.
    """
    folds = np.array([group_bucket(q["group"]) // 200 for q in queries])
    pooled_p, pooled_y, pooled_sizes, per_fold = [], [], [], []
    for k in range(5):
        tr, te = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        p_tr = _pairs(queries, tr, images, s.images_per_query_train, False, SEED + 20 + k)
        p_te = _pairs(queries, te, images, s.images_per_query_eval, True, SEED + 30 + k)
        x_tr, y_tr = _build_matrix(p_tr, queries, images)
        x_te, y_te = _build_matrix(p_te, queries, images)
        mean, scale = _fit_scaler(x_tr)
        clf = _train_model(_apply_scaler(x_tr, mean, scale), y_tr, s)
        raw = _probs(clf, _apply_scaler(x_te, mean, scale))
        sizes = [images[ii].size for _, ii in p_te]
        m = evaluate(_calibrated(raw, temperature, bias), y_te, sizes, THRESHOLD)
        keep = ("n", "accuracy", "unsafe_downgrade_rate_after_threshold", "mean_token_saving")
        fold_m = {key: m[key] for key in keep}
        fold_m["accuracy_before_calibration"] = float((raw.argmax(1) == y_te).mean())
        per_fold.append(fold_m)
        pooled_p.append(raw)
        pooled_y.append(y_te)
        pooled_sizes += sizes
    raw_all, y_all = np.concatenate(pooled_p), np.concatenate(pooled_y)
    pooled = evaluate(_calibrated(raw_all, temperature, bias), y_all, pooled_sizes, THRESHOLD)
    pooled["accuracy_before_calibration"] = float((raw_all.argmax(1) == y_all).mean())
    pooled["by_threshold"] = _threshold_sweep(_calibrated(raw_all, temperature, bias), y_all, pooled_sizes)
    pooled["folds"] = per_fold
    return pooled


def _blind_eval(
    path: Path,
    images: list[ImageRow],
    clf: Any,
    mean: np.ndarray,
    scale: np.ndarray,
    s: Settings,
    bias: float,
    train_queries: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """Score the shipped (calibrated) model once on the independent blind queries, paired with test images.

    Nothing is chosen on these numbers; they estimate accuracy on phrasing from another writer.
    """
    if not path.exists():
        return None
    queries = _read_jsonl(path)
    pairs = _pairs(queries, np.arange(len(queries)), images, s.images_per_query_eval, True, SEED + 7)
    x, y = _build_matrix(pairs, queries, images)
    probs = _probs(clf, _apply_scaler(x, mean, scale))
    sizes = [images[ii].size for _, ii in pairs]
    out = evaluate(probs, y, sizes, THRESHOLD)
    # the classifier's own argmax: undo the preserve bias (the temperature does not move the argmax)
    logits = np.log(np.clip(probs, 1e-12, None))
    logits[:, P_IDX] -= bias
    out["accuracy_before_calibration"] = float((logits.argmax(axis=1) == y).mean())
    # Short common prompts ("?", "see attached", "legend?") also occur in the training data; report the
    # pairs whose query is not there (same kind, normalised text) separately.
    seen = {(q["image_kind"], _norm_query(q["query"])) for q in train_queries}
    novel = np.array([(queries[qi]["image_kind"], _norm_query(queries[qi]["query"])) not in seen for qi, _ in pairs])
    nov = evaluate(probs[novel], y[novel], [sz for sz, n in zip(sizes, novel, strict=True) if n], THRESHOLD)
    out["novel"] = {
        "queries": len({qi for (qi, _), n in zip(pairs, novel, strict=True) if n}),
        "n": nov["n"],
        "accuracy_before_calibration": float((logits[novel].argmax(axis=1) == y[novel]).mean()),
        "unsafe_downgrade_rate_after_threshold": nov["unsafe_downgrade_rate_after_threshold"],
        "mean_token_saving": nov["mean_token_saving"],
    }
    out["rules"] = evaluate(_rules_probs(pairs, queries, images), y, sizes, THRESHOLD)
    out["by_threshold"] = _threshold_sweep(probs, y, sizes)
    out["queries"] = len(queries)
    out["languages"] = len({q["lang"] for q in queries})
    out["non_english"] = float(np.mean([q["lang"] != "en" for q in queries]))
    return out


def _fmt_cm(cm: list[list[int]], labels: list[str]) -> str:
    head = "| label \\ predicted | " + " | ".join(labels) + " |\n| --- |" + " ---: |" * len(labels) + "\n"
    rows = (f"| **{a}** | " + " | ".join(str(v) for v in row) + " |\n" for a, row in zip(labels, cm, strict=True))
    return head + "".join(rows)


_METRIC_ROWS = (
    ("accuracy (argmax = label)", "accuracy"),
    ("unsafe-downgrade rate, raw argmax", "unsafe_downgrade_rate"),
    (f"unsafe-downgrade rate, after threshold {THRESHOLD}", "unsafe_downgrade_rate_after_threshold"),
    ("accuracy after threshold (below it → preserve)", "accuracy_after_threshold"),
    ("downgrades sent to preserve by the threshold", "preserved_by_threshold"),
    ("mean image-token saving (Claude estimate)", "mean_token_saving"),
)


def _sweep_table(blind: dict[str, dict[str, float]], cv: dict[str, dict[str, float]] | None, pct: Any) -> str:
    rows = "".join(
        f"| {thr} | {pct(cv[thr]['unsafe_after_threshold']) if cv else ''} | {pct(cv[thr]['saving']) if cv else ''} "
        f"| {pct(blind[thr]['unsafe_after_threshold'])} | {pct(blind[thr]['saving'])} |\n"
        for thr in blind
    )
    return f"""Other confidence thresholds (`CompressionConfig.confidence_threshold`; the default {THRESHOLD} was not
chosen from this table — it is here for hosts that want a different trade-off):

| threshold | unsafe, 5-fold CV | saving, 5-fold CV | unsafe, blind | saving, blind |
| ---: | ---: | ---: | ---: | ---: |
{rows}
"""


def _blind_section(key: str, b: dict[str, Any], cv: dict[str, Any] | None, pct: Any) -> str:
    _, rel, title, provenance = next(spec for spec in BLIND_SETS if spec[0] == key)
    rows = f"| accuracy of the classifier (argmax before calibration) | {pct(b['accuracy_before_calibration'])} | |\n"
    rows += "".join(f"| {name} | {pct(b[key])} | {pct(b['rules'][key])} |\n" for name, key in _METRIC_ROWS)
    nv = b["novel"]
    sweep = _sweep_table(b["by_threshold"], cv["by_threshold"] if cv else None, pct)
    novel = (
        f"{b['queries'] - nv['queries']} blind queries also occur in the training data (same kind and text after "
        f"lowercasing: short common prompts such as \"?\", \"see attached\", \"legend?\"); on the other "
        f"{nv['queries']} ({nv['n']} pairs) the classifier's accuracy is {pct(nv['accuracy_before_calibration'])}, "
        f"unsafe downgrades after the threshold {pct(nv['unsafe_downgrade_rate_after_threshold'])}, saving "
        f"{pct(nv['mean_token_saving'])}.\n"
    )
    return f"""## {title}

[`data/{rel.as_posix()}`](data/{rel.as_posix()}): {b['queries']} queries {provenance} {pct(b['non_english'])}
non-English in {b['languages'] - 1} languages besides English. Each is paired with {b['n'] // max(b['queries'], 1)}
test images of its kind ({b['n']} pairs). A blind set is the better estimate of accuracy on phrasing the model
has never seen: the test split above shares the writers, the paraphrase rules and the conventions of the
training data.

| metric | shipped model | rule-based fallback |
| --- | ---: | ---: |
{rows}| saving if every label were predicted exactly | {pct(b['oracle_token_saving'])} | |

{novel}
Confusion matrix (rows = label, columns = argmax prediction):

{_fmt_cm(b['confusion_matrix'], b['labels'])}
{sweep}"""


def _write_card(path: Path, r: dict[str, Any], meta: dict[str, Any], lat: dict[str, float], size: int) -> None:
    """The model card (models/README.md), regenerated from the metrics of this run."""
    t, u, rules, c, s = r["test"], r["test_uncalibrated"], r["rules"], r["counts"], meta["settings"]
    pct = lambda v: f"{100 * v:.1f} %"  # noqa: E731
    by_lang = "".join(
        f"| {k} | {v['n']} | {pct(v['accuracy'])} | {pct(v['unsafe_after_threshold'])} |\n"
        for k, v in sorted(r["by"]["lang"].items(), key=lambda kv: -kv[1]["n"])
    )
    by_kind = "".join(
        f"| {k} | {v['n']} | {pct(v['accuracy'])} | {pct(v['unsafe_after_threshold'])} |\n"
        for k, v in sorted(r["by"]["image_kind"].items())
    )
    metric_rows = "".join(
        f"| {name} | " + " | ".join(pct(m[key]) for m in (t, u, rules)) + " |\n" for name, key in _METRIC_ROWS
    )
    blind_section = "".join(_blind_section(k, b, r["cv"], pct) for k, b in r["blind"].items())
    cv = r["cv"]
    blind_acc = " and ".join(pct(b["accuracy_before_calibration"]) for b in r["blind"].values()) or "(not scored)"
    cv_folds = " / ".join(pct(f["accuracy_before_calibration"]) for f in cv["folds"])
    cv_section = f"""**Five-fold group cross-validation** (every group held out once: fold k = group-hash buckets
[200k, 200k+200), fold 0 is the test split above; each fold's model trained like the shipped one on the
other four fifths, with the shipped calibration; pooled over {cv['n']} pairs):

| | before calibration | shipped calibration |
| --- | ---: | ---: |
| accuracy (argmax = label) | {pct(cv['accuracy_before_calibration'])} (folds {cv_folds}) | {pct(cv['accuracy'])} |
| unsafe-downgrade rate after threshold {THRESHOLD} | | {pct(cv['unsafe_downgrade_rate_after_threshold'])} |
| mean image-token saving | | {pct(cv['mean_token_saving'])} |

"""
    model_desc = (
        f"scaler + multinomial logistic regression (L2, C={s['C']}, balanced classes, preserve weight "
        f"×{s['preserve_weight']}), scikit-learn {meta['sklearn']} → ONNX via skl2onnx {meta['skl2onnx']}"
    )
    val_unsafe = pct(r["val"]["unsafe_downgrade_rate_after_threshold"])
    val_saving = pct(r["val"]["mean_token_saving"])
    text = f"""# Router model card (`router.onnx`)

Generated by `python -m headroom_middleware.router.train` — do not edit by hand; rerun the trainer.
Training is deterministic (fixed seeds, one BLAS thread): with the same data and library versions a
rerun reproduces `router.onnx` byte for byte (only the measured latencies in this card change).

| | |
| --- | --- |
| model | {model_desc} |
| input | `{INPUT_NAME}`: float32 (N, {N_FEATURES}) from `router/features.py`, version `{FEATURE_VERSION}` |
| output | `{OUTPUT_NAME}`: float32 (N, 4) in the order {", ".join(meta['labels'])} |
| size | {size / 1e6:.2f} MB |
| confidence threshold | {THRESHOLD} (below it the pipeline preserves) |
| calibration | logits / {r['temperature']}, +{r['bias']:.2f} on preserve (see below) |
| training data | `models/data/` (sha256 `{meta['data_sha256'][:16]}…`) |
| training time | {r['train_seconds']:.0f} s on {meta['machine']} |

## Data and licences

Queries are written for this project (Apache-2.0): hand-written multilingual query seeds (in
`make_queries.py` and the batches in `data/seeds/`), rule-based paraphrases and compositions. Images:
synthetic thumbnails rendered at realistic sizes, plus {c['real_images']} thumbnails of real photographs and
scans (public domain, CC0, CC-BY, BSD; per-image licence and attribution in `images/manifest_real.jsonl`) —
see [`data/README.md`](data/README.md) for the generators, label guidelines and licences.
{c['queries']} queries in {c['groups']} groups, {c['images']} thumbnails.

**Split.** Queries are split **by group** (a seed idea with all its paraphrases and translations) by a
hash of the group id (`is_test_group`: 1 in 5 groups, so adding a seed batch never moves an existing
idea across the split): {c['train_queries']} train+validation queries, {c['test_queries']} test
queries ({c['test_groups']} groups never seen in training). Images are split too ({c['test_images']} test
thumbnails, a fixed 1-in-5 choice by crc32 of the id), so every test pair combines an unseen phrasing with an
unseen image. Each training query is paired with {s['images_per_query_train']} training images of its kind
({c['train_pairs']} pairs); each test query with {s['images_per_query_eval']} test images ({c['test_pairs']} pairs).
Hyper-parameters, the keyword lists and the calibration were chosen on group-wise out-of-fold predictions
over the training queries, and the scored model is the shipped one. The test queries were never read, but
the test numbers were printed by each of the handful of development runs, so they are not perfectly blind.

## Features

* **Image** ({N_IMAGE}, from the ≤ 256 px thumbnail + original size): {", ".join(IMAGE_FEATURES)}.
* **Query flags** ({N_QUERY_FLAGS}): {", ".join(QUERY_FLAGS)} — the `kw_*` flags count hits of the
  multilingual keyword lists the rule router uses (en, de, fr, es, pt, it, nl, ru, zh, ja, ko).
* **Character 1–4-grams** of the NFKC-lowercased query hashed with crc32 into {N_BUCKETS} buckets, and
  **word unigrams + bigrams** into {N_WORD_BUCKETS} buckets (presence 0/1, each block L2-normalised); the character
  n-grams carry languages without spaces.

## Held-out test results

| metric | shipped model | same model before calibration | rule-based fallback |
| --- | ---: | ---: | ---: |
{metric_rows}| saving if every label were predicted exactly | {pct(t['oracle_token_saving'])} | | |

*Calibration* = logits / T={r['temperature']} and +{r['bias']:.2f} on preserve, chosen on out-of-fold
predictions over the training groups with **one fold per seed writer** (`calibration_folds`: each seed
batch in `data/seeds/` held out whole, the core seeds in two halves; there: accuracy
{pct(r['val_uncalibrated']['accuracy'])}, unsafe after threshold {val_unsafe}, saving {val_saving}): among the
settings that keep the unsafe rate at the default threshold ≤ {pct(UNSAFE_TARGET)} both pooled and in every fold,
those within {100 * SAVING_SLACK:.0f} points of the best saving count as equal and the most accurate one is
taken (a pure temperature keeps the argmax; a preserve bias trades accuracy for safety).

How this rule came about (each step was taken with earlier held-out numbers in view, so none of the
numbers above is perfectly blind except the second blind set): the saving slack was set after an earlier run picked a
biased setting with 2 points less accuracy for 1 point more saving; the per-fold condition was added in
feature version 2 after its test unsafe rate came out at 2.1 % with a pooled-only condition; folds by
writer replaced random group folds after the first blind set (a new writer) showed 2.2 % unsafe at the
threshold against 0.8 % in random-group cross-validation — a change of writer is the shift that matters
in production. With random group folds the same model got T=3.75 (test unsafe 0.6 %, saving 17.9 %).

{cv_section}**Development history (feature version 3, this model).** Compared on 4-fold GroupKFold out-of-fold
predictions over the training groups of the grown data (argmax accuracy before calibration; the
calibration folds by writer came last, see above):

* *Data, first round*: 1,038 new hand-written seed ideas in `data/seeds/` (599 English written for variety
  of phrasing, domains and label borders; 439 in 15 languages, written natively), 155 thumbnails of 29
  real photographs/scans, and a split by group hash instead of a shuffled split. Out-of-fold accuracy fell
  from 84.3 % to 82.7 %: the new seeds are harder and more varied than the old paraphrase-heavy data;
  the learning curve on the old data was flat (50 % of the groups: 83.1 %, 75 %: 83.3 %, 100 %: 84.3 %).
* *Kept*: n-gram **presence** instead of counts (82.7 → 83.2 %) and C 1 → 2 (83.3 %). 5-fold group CV
  of that model: 84.5 %; blind set: 84.0 % (scored once, nothing chosen on it).
* *Label review*: are the errors label noise or model errors? The 369 training-group seeds the
  out-of-fold model got confidently wrong, mixed with 100 it got right, were labelled again by a second
  annotator (a helper agent with the guidelines only, blind to label and model). It kept the original
  label on 91 % of the disputed seeds and 96 % of the controls, and sided with the model (sure) on 8,
  of which 6 were relabelled (`data/relabel.tsv`; two "title and axis labels" questions stay transcode,
  which OCR text answers). So the labels are consistent with the guidelines and the remaining errors
  are the model's: a linear model over n-grams does not understand a question, it matches phrasings.
* *Data, second round*: 451 seeds on the label borders (`batch7_borders.txt`, 80 of them non-English),
  then 420 in the style of production traffic (agent loops, extraction pipelines, support, consumer chat;
  `batch8_production.txt`) and 330 more written natively in 15 languages (`batch9_multi.txt`). With
  batch 7 and the relabels: out-of-fold 83.4 %, 5-fold group CV 84.9 %; with all three (this model):
  out-of-fold 83.3 %, CV 84.4 % — the new prompts are harder, so CV numbers across data versions are not
  comparable — and blind 84.0 % → 85.3 % (all three batches were commissioned before either number
  was seen; nothing was removed afterwards).
* *Not better*: LinearSVC (84.7 % at C=0.1 on the old data, no probabilities), ridge (82.5 %), SGD
  modified-Huber (82.6 %), an MLP with 32 hidden units on the grown data (82.3 % vs 83.0 %), re-weighting
  the feature blocks (×0.5–2: ±0.6), character 2–5-grams (= 1–4), image features × "no question" flags
  (worse, also on the no-question rows), and even the **true image kind** as features (one-hot, or ×
  every query feature: 84.5 % vs 84.4 % on the old data) — the query already implies the kind, so better
  image features cannot raise accuracy much on this data; the query text is the bottleneck.

**Development history (feature version 2).** Everything below was compared on the same 4-fold
GroupKFold out-of-fold predictions over the training groups (accuracy of the argmax; version 1 there:
83.5 %, test 81.6 % with 1.8 % unsafe after the threshold):

* *Kept*: more hash buckets — character n-grams 4096 → 16384 and words 2048 → 8192 (84.3 %); 32768 +
  16384 or 65536 + 16384 buckets gave the same 84.3 %, so the smaller size ships. The stricter
  per-fold calibration costs savings: version 1 sent 33.6 % of the test pairs to preserve through the
  threshold and saved 26.2 %; compare the table above.
* *Not better*: a two-stage model with an image-kind classifier (logistic regression on the image
  features, 82 % kind accuracy on test thumbnails; photo vs photo_text is the main confusion) whose
  out-of-fold kind probabilities multiply every query feature (10 × the query block, one weight set per
  kind): 83.1–83.4 % with version-1 buckets, 84.2 % with version-2 buckets, 4–10× slower to train;
  C 0.5–4 and preserve weight 1.0–2.0 (within ±0.3 points); character 1–5- or 2–5-grams (84.3 %, 84.6 %,
  within the noise of one split); per-class logit biases chosen on half of the out-of-fold rows (less
  safe than a global temperature + preserve bias on the other half).
* The test split was scored by the runs that built each candidate for this card (two runs for version
  2), so the test numbers are not perfectly blind.

An *unsafe downgrade* is a prediction outside `answers(label)` (docs/CONTRACTS.md). The token saving is
an estimate for Claude at standard resolution: full_low = 512 px long edge, crop = a quarter of the
area, transcode = 350 text tokens; unsafe downgrades are counted as no saving.

Confusion matrix of the shipped model (rows = label, columns = argmax prediction, before the threshold):

{_fmt_cm(t['confusion_matrix'], t['labels'])}
The same before calibration:

{_fmt_cm(u['confusion_matrix'], u['labels'])}
Per language (test pairs; accuracy of the argmax, unsafe after threshold):

| lang | pairs | accuracy | unsafe |
| --- | ---: | ---: | ---: |
{by_lang}
Per image kind:

| kind | pairs | accuracy | unsafe |
| --- | ---: | ---: | ---: |
{by_kind}
{blind_section}## Latency and footprint

Measured by the trainer on {meta['machine']} (onnxruntime {meta['onnxruntime']}, 1 intra-op thread):

| | |
| --- | --- |
| decision p50 (image features + query features + inference) | {lat['p50_ms']:.2f} ms |
| decision p99 | {lat['p99_ms']:.2f} ms |
| cold load (imports, session, metadata check, 1st decision; subprocess) | {lat['cold_load_ms']:.0f} ms |
| model file | {size / 1e6:.2f} MB |

`benchmarks/router.py` measures the same in one run next to the thumbnail floor (the thumbnail the
pipeline makes before routing); the machine is shared, so p99 varies between runs.

## Reproduce

```bash
.venv/bin/python -m headroom_middleware.router.train        # this card, router.onnx, router.json (~2 min)
.venv/bin/python -m headroom_middleware.router.train --no-write   # metrics only
.venv/bin/python benchmarks/router.py                         # latency, cold load, size
.venv/bin/python -m pytest tests/test_router.py               # contract, determinism, clear cases
```

## Known weaknesses

* **Accuracy**: the classifier's argmax is right on {pct(u['accuracy'])} of the test pairs, but the test split
  is one draw of ideas; over all five group folds it is {pct(cv['accuracy_before_calibration'])}, and on the
  blind queries {blind_acc}. Most errors are between neighbouring labels whose border
  is a judgement call (crop vs preserve for "the sign", transcode vs crop for "the total", full_low vs
  preserve for "is there a stamp"). The shipped probabilities are deliberately soft and tilted to
  preserve (T={r['temperature']}, +{r['bias']:.2f}): {pct(t['preserved_by_threshold'])} of the test pairs fall back
  to preserve, which keeps unsafe downgrades at {pct(t['unsafe_downgrade_rate_after_threshold'])} but gives up
  savings ({pct(t['mean_token_saving'])} realised vs {pct(t['oracle_token_saving'])} possible), and the shipped
  argmax is right less often ({pct(t['accuracy'])}) than the classifier's. A host that accepts more risk can
  lower `CompressionConfig.confidence_threshold`.
* Images are mostly synthetic: rendered documents/screenshots and stylised photos, plus
  {c['real_images']} thumbnails from 29 real photographs/scans (no real screenshots, charts or receipts with a
  usable licence were found). Dense real-world UIs and phone photos of documents may land elsewhere in
  feature space; the threshold and the pipeline's verification (OCR confidence, token checks) are the
  safety net, not the model.
* Queries are written per image *kind*, not per image: the model learns "this kind of question on this
  kind of image", and cannot know whether the region a question names is actually there. A text task
  on a photo without text ("summarise this" + holiday photo) has few training pairs: the linear model
  then tends to follow the query (transcode), and only the OCR confidence check in the pipeline catches it.
* The model is linear: image features and the query add up; it has no real image × query interaction
  (a one-hidden-layer MLP, word × image-family features and image-kind-probability × query features were
  tried and were not better out-of-fold; presumably most queries already imply their image kind).
* The image features see a 256 px thumbnail: they tell page-like from photo-like, not what a photo shows.
  In this model they barely move a decision: on real photos (chelsea, coffee, dogs, china) and on a real
  book scan (huckfinn) the same query gets the same answer — "What is this?" → full_low at 0.45–0.49
  (under the threshold, so preserved: a missed saving on the most common photo question), an empty prompt
  → preserve at 0.49–0.51 (the no-question label is preserve for 9 of the 10 kinds), "Summarise this" →
  transcode at 0.61–0.64 even on a photo (the pipeline's OCR-confidence check then keeps the image).
  Kind-conditioned features for generic prompts are the obvious next step.
* Languages with few seeds (es, pt, zh, hi, ar, tr, vi, it, nl, pl) are covered mostly through character
  n-grams and the keyword lists; expect lower accuracy there (see the per-language table; small samples).
* The keyword lists were written from the label guidelines and revised after looking at out-of-fold
  validation errors (never at test queries); they still encode the labelling conventions of this data.
* The training thumbnails were made with LANCZOS; the pipeline uses reduce + bilinear. On the shipped
  sample images the decisions were the same either way, with small shifts in sharpness features.
* Token savings are estimates (Claude standard resolution, fixed 350 tokens for OCR text), not
  measurements of real requests.
"""
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring).

    Example::

        main(["--no-write"])   # train, print metrics, write nothing
    """
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-write", action="store_true", help="train and report, write nothing")
    ap.add_argument(
        "--blind", action="store_true", help="with --no-write: score the blind set too (always scored when writing)"
    )
    ap.add_argument("--cv", action="store_true", help="with --no-write: 5-fold group CV too (always run when writing)")
    ap.add_argument("--C", type=float, default=Settings.C, help="inverse L2 strength")
    ap.add_argument("--preserve-weight", type=float, default=Settings.preserve_weight)
    args = ap.parse_args(argv)
    s = Settings(C=args.C, preserve_weight=args.preserve_weight)
    r = run(args.data, s, blind=args.blind or not args.no_write, cv=args.cv or not args.no_write)
    t = r["test"]
    print(_fmt_cm(t["confusion_matrix"], t["labels"]))
    if args.no_write:
        return 0

    import onnxruntime
    import skl2onnx
    import sklearn

    labels = [t.value for t in LABELS]
    dhash = data_hash(args.data)
    meta_onnx = {
        "feature_version": FEATURE_VERSION,
        "labels": ",".join(labels),
        "n_features": str(N_FEATURES),
        "threshold": str(THRESHOLD),
        "data_sha256": dhash,
    }
    model = _export_onnx(r["clf"], r["mean"], r["scale"], meta_onnx)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "router.onnx").write_bytes(model)
    lat = _measure_latency(model, r["images"], args.data, [q["query"] for q in r["queries"]][:500])
    print(f"latency p50 {lat['p50_ms']:.2f} ms p99 {lat['p99_ms']:.2f} ms cold {lat['cold_load_ms']:.0f} ms")
    meta: dict[str, Any] = {
        "feature_version": FEATURE_VERSION,
        "labels": labels,
        "n_features": N_FEATURES,
        "threshold": THRESHOLD,
        "preserve_bias": r["bias"],
        "temperature": r["temperature"],
        "data_sha256": dhash,
        "seed": SEED,
        "settings": dict(vars(s)),
        "feature_layout": feature_layout(),
        "metrics": {
            "test": dict(t),
            "test_uncalibrated": r["test_uncalibrated"],
            "validation_out_of_fold": r["val"],
            "validation_out_of_fold_uncalibrated": r["val_uncalibrated"],
            "rules_test": r["rules"],
            "blind": r["blind"],
            "cross_validation": r["cv"],
            "by": r["by"],
            "latency": lat,
            "model_bytes": len(model),
        },
        "counts": r["counts"],
        "sklearn": sklearn.__version__,
        "skl2onnx": skl2onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}",
    }
    (args.out / "router.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _write_card(args.out / "README.md", r, meta, lat, len(model))
    print(f"wrote {args.out / 'router.onnx'} ({len(model) / 1e6:.2f} MB), router.json, README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

