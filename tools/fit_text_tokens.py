"""Fit the text-token estimator of ``headroom_middleware/tokens/text.py`` against o200k_base.

Reads ``tests/data/token_calibration.txt`` (paragraphs separated by blank lines), uses every
non-empty line and every paragraph as a sample, and fits non-negative coefficients per
feature by weighted least squares (weights 1/exact, i.e. relative error). Prints the
coefficient table to paste into ``_COEF`` and the leave-one-paragraph-out relative error.

Needs tiktoken with a local o200k vocabulary, numpy and scipy (dev extras)::

    .venv/bin/python tools/fit_text_tokens.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from headroom_middleware.tokens import text as tt  # noqa: E402


def samples() -> tuple[list[str], list[int]]:
    """Paragraph texts and, for each line sample, the index of its paragraph."""
    raw = (ROOT / "tests" / "data" / "token_calibration.txt").read_text(encoding="utf-8")
    paras = [p.strip("\n") for p in raw.split("\n\n") if p.strip()]
    texts: list[str] = []
    group: list[int] = []
    for i, p in enumerate(paras):
        texts.append(p)
        group.append(i)
        for line in p.splitlines():
            if line.strip() and line != p:
                texts.append(line)
                group.append(i)
    return texts, group


def design(texts: list[str]) -> np.ndarray:
    return np.array([[tt.text_features(t)[k] for k in tt.FEATURES] for t in texts], dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    w = 1.0 / np.maximum(y, 1.0)
    coef, _ = nnls(x * w[:, None], y * w)
    return coef


def main() -> None:
    enc = tt._encoding("o200k_base")
    if enc is None:
        raise SystemExit("o200k_base vocabulary not available locally")
    texts, group = samples()
    y = np.array([len(enc.encode(t, disallowed_special=())) for t in texts], dtype=float)
    x = design(texts)
    coef = fit(x, y)
    print("_COEF = {")
    for k, c in zip(tt.FEATURES, coef, strict=True):
        print(f'    "{k}": {c:.3f},')
    print("}")

    # Leave one paragraph out: refit without it, evaluate on the paragraph itself.
    g = np.array(group)
    errs = []
    for i in sorted(set(group)):
        train = g != i
        c = fit(x[train], y[train])
        idx = next(j for j, gi in enumerate(group) if gi == i)  # the paragraph sample
        est = max(1.0, round(float(x[idx] @ c)))
        errs.append(abs(est - y[idx]) / y[idx])
    errs.sort()
    p90 = errs[int(0.9 * (len(errs) - 1))]
    print(f"paragraphs={len(errs)} LOO relative error: median={statistics.median(errs):.3f} "
          f"p90={p90:.3f} max={errs[-1]:.3f}")
    # Whole-file error with the full fit.
    full = "\n\n".join(texts[group.index(i)] for i in sorted(set(group)))
    exact = len(enc.encode(full, disallowed_special=()))
    est_full = float(design([full])[0] @ coef)
    print(f"whole file: exact={exact} estimate={est_full:.0f} ({100 * (est_full / exact - 1):+.1f}%)")


if __name__ == "__main__":
    main()
