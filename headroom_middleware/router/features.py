"""The router's feature vector: image features, query flags and hashed query n-grams.

The vector layout is fixed by :data:`FEATURE_VERSION`; the shipped ONNX model records the version
it was trained with and the ONNX router refuses a model whose version differs (a silent layout
mismatch would give confident nonsense). Bump the version whenever any feature changes.

Layout (``FEATURE_NAMES`` lists every column)::

    [ image features (image_features.IMAGE_FEATURES) | query flags (query_features.QUERY_FLAGS)
      | char n-gram buckets (N_BUCKETS) | word uni/bigram buckets (N_WORD_BUCKETS) ]

The keyword tables live in :mod:`.keywords`, the query part in :mod:`.query_features`, the image
part in :mod:`.image_features`; this module only assembles them.

Example::

    from PIL import Image
    from headroom_middleware.router.features import build_features, N_FEATURES
    view = Image.new("RGB", (512, 362), "white")
    vec = build_features(view, "summarise this document", original_size=(1754, 1240))
    assert vec.shape == (N_FEATURES,)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .image_features import ANALYSIS_SIDE, IMAGE_FEATURES, N_IMAGE, image_features
from .keywords import keyword_hits, normalize_query
from .query_features import (
    N_BUCKETS,
    N_HASHED,
    N_QUERY_FLAGS,
    N_WORD_BUCKETS,
    NGRAM_RANGE,
    QUERY_FLAGS,
    query_features,
)

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

__all__ = [
    "ANALYSIS_SIDE", "FEATURE_NAMES", "FEATURE_VERSION", "IMAGE_FEATURES", "N_BUCKETS", "N_FEATURES", "N_HASHED",
    "N_IMAGE", "N_QUERY_FLAGS", "N_WORD_BUCKETS", "QUERY_FLAGS", "QUERY_START", "build_features",
    "feature_layout", "image_features", "keyword_hits", "normalize_query", "query_features",
]

FEATURE_VERSION = "hr-router-features-5"
"""Identifies the feature layout and meaning; stored in the model metadata and in ``router.json``.
5: the keyword flags also know pl, uk, tr, sv, id, vi, ar and hi (same columns, other values)."""

QUERY_START = N_IMAGE
"""Column where the query part (flags, then hashed n-grams) starts."""
N_FEATURES = N_IMAGE + N_QUERY_FLAGS + N_HASHED
FEATURE_NAMES: tuple[str, ...] = (
    *IMAGE_FEATURES,
    *QUERY_FLAGS,
    *(f"ng_{i}" for i in range(N_BUCKETS)),
    *(f"wd_{i}" for i in range(N_WORD_BUCKETS)),
)


def build_features(view: Image, query: str | None, original_size: tuple[int, int] | None = None) -> np.ndarray:
    """The full dense feature vector (float32, shape ``(N_FEATURES,)``) of one decision.

    ``view`` is the image at most :data:`ANALYSIS_SIDE` px on its long side (larger is downscaled).

    Example::

        vec = build_features(view, "how many screws are on the table?", (4032, 3024))
    """
    import numpy as np

    vec = np.zeros(N_FEATURES, dtype=np.float32)
    vec[:N_IMAGE] = image_features(view, original_size)
    flags, sparse = query_features(query)
    vec[N_IMAGE : N_IMAGE + N_QUERY_FLAGS] = flags
    if sparse:
        start = N_IMAGE + N_QUERY_FLAGS
        idx = np.fromiter((start + b for b, _ in sparse), dtype=np.int64, count=len(sparse))
        vals = np.fromiter((v for _, v in sparse), dtype=np.float32, count=len(sparse))
        vec[idx] = vals
    return vec


def feature_layout() -> dict[str, Any]:
    """The layout description stored next to the model (``router.json``).

    Example::

        layout = feature_layout()
        assert layout["n_features"] == N_FEATURES
    """
    return {
        "feature_version": FEATURE_VERSION,
        "n_features": N_FEATURES,
        "analysis_side": ANALYSIS_SIDE,
        "image_features": list(IMAGE_FEATURES),
        "query_flags": list(QUERY_FLAGS),
        "ngram_buckets": N_BUCKETS,
        "ngram_range": list(NGRAM_RANGE),
        "word_buckets": N_WORD_BUCKETS,
        "hash": "chars: crc32(bytes([n]) + utf8(gram)) & (N_BUCKETS-1) over ' ' + NFKC-lowercased query + ' '; "
        "words: crc32(b'w' + utf8(word or 'prev word')) & (N_WORD_BUCKETS-1); presence (0/1), L2-normalised per block",
    }
