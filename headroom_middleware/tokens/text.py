"""Text token counts for OCR transcodes (pure Python, import-cheap, no network).

A transcode is worth it only when the text costs fewer tokens than the image, so the count
must be real: ``len(text) / 4`` is off by 2-6x on non-English or number-heavy text.

- OpenAI models: exact counts with ``tiktoken`` (o200k_base / cl100k_base) when tiktoken is
  installed *and* the vocabulary file is already on disk (tiktoken's cache folder, or the
  copy bundled inside an installed ``litellm`` package, which is located without importing
  litellm). The file is read directly and checked against tiktoken's published sha256; this
  module never lets tiktoken fetch anything and never changes environment variables.
- Everything else (Anthropic, Gemini, OpenAI without a local vocabulary): a linear estimator
  over character-class counts, fitted against o200k_base on a multilingual calibration set
  (``tests/data/token_calibration.txt``, fit by ``tools/fit_text_tokens.py``), flagged
  ``estimated=True``. Measured against o200k on that set (83 paragraphs of 20-60 tokens in
  English, invoices/receipts/code/URLs, 20 other languages in 10 scripts), leave-one-paragraph
  -out relative error: median 8.7 %, 90th percentile 26 %, worst 42 % (one sentence of long
  rare English words; short Arabic, Hebrew, Ukrainian, Thai paragraphs); on the whole
  2,934-token file the estimate is within 1 %.
  Per-paragraph errors are word-frequency noise and largely cancel on longer texts.
  Anthropic and Gemini publish no offline tokenizer; for them the estimate carries a
  :data:`NON_OPENAI_MARGIN` safety factor (over-counting text only makes a transcode look
  less attractive, never reports savings that did not happen).

Example::

    >>> from headroom_middleware.tokens.text import count_text_tokens
    >>> c = count_text_tokens("Total due: 290.40 GBP", "anthropic", "claude-sonnet-4-5")
    >>> c.estimated, c.tokens > 0
    (True, True)
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import math
import os
import re
import tempfile
import threading
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ESTIMATOR_ERROR",
    "NON_OPENAI_MARGIN",
    "TextTokenCount",
    "count_text_tokens",
    "estimate_tokens",
    "text_features",
]


@dataclass(frozen=True)
class TextTokenCount:
    """Tokens of a text for one model; ``estimated`` when not from the model's own tokenizer."""

    tokens: int
    estimated: bool


# --------------------------------------------------------------------------------------------
# Calibrated estimator
# --------------------------------------------------------------------------------------------

# Character classes, each a run pattern. Words are counted as runs because BPE vocabularies
# spend roughly one token per common word plus extra tokens per long or rare word: a model
# "tokens = a*words + b*letters" per script fits far better than a flat chars-per-token rate.
_RUNS: dict[str, re.Pattern[str]] = {
    "ascii_word": re.compile(r"[A-Za-z]+"),
    "upper_word": re.compile(r"\b[A-Z]{2,}\b"),
    "digit_run": re.compile(r"[0-9]+"),
    # o200k never merges a space into a following number or into CJK text: extra token.
    "space_digit": re.compile(r"\s[0-9]"),
    "punct_run": re.compile(r"[!-/:-@\[-`{-~]+"),
    "newline_run": re.compile(r"\s*\n\s*"),
    "space_run": re.compile(r"[ \t]{2,}"),
    # Latin words with at least one non-ASCII letter (accents, ß, ø, Vietnamese).
    "latin_ext_word": re.compile(
        r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]*[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
        r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]*"
    ),
    "cyrillic_word": re.compile(r"[\u0400-\u04ff]+"),
    "greek_word": re.compile(r"[\u0370-\u03ff]+"),
    "rtl_word": re.compile(r"[\u0590-\u06ff\u0750-\u077f]+"),
    "indic_thai_word": re.compile(r"[\u0900-\u0dff\u0e00-\u0e7f]+"),
}
_CHARS: dict[str, re.Pattern[str]] = {
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
}
_OTHER = re.compile(
    r"[^\x00-\x7f\u00c0-\u024f\u1e00-\u1eff\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0750-\u077f"
    r"\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\s]"
)

#: Feature names in the order of :data:`_COEF`.
FEATURES: tuple[str, ...] = (
    "ascii_word",
    "ascii_letter",
    "upper_word",
    "digit_group",
    "space_digit",
    "punct_run",
    "punct_char",
    "newline_run",
    "space_run",
    "latin_ext_word",
    "latin_ext_letter",
    "cyrillic_word",
    "cyrillic_letter",
    "greek_letter",
    "rtl_letter",
    "indic_thai_letter",
    "han",
    "kana",
    "hangul",
    "other",
)


def text_features(text: str) -> dict[str, float]:
    """Character-class counts the estimator uses (exposed for calibration and tests)."""
    f: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    for m in _RUNS["ascii_word"].finditer(text):
        f["ascii_word"] += 1
        f["ascii_letter"] += len(m.group())
    f["upper_word"] = float(len(_RUNS["upper_word"].findall(text)))
    # o200k splits digit runs into groups of at most three.
    f["digit_group"] = float(sum(math.ceil(len(r) / 3) for r in _RUNS["digit_run"].findall(text)))
    for r in _RUNS["punct_run"].findall(text):
        f["punct_run"] += 1
        f["punct_char"] += len(r)
    f["space_digit"] = float(len(_RUNS["space_digit"].findall(text)))
    f["newline_run"] = float(len(_RUNS["newline_run"].findall(text)))
    f["space_run"] = float(len(_RUNS["space_run"].findall(text)))
    for m in _RUNS["latin_ext_word"].finditer(text):
        w = m.group()
        f["latin_ext_word"] += 1
        f["latin_ext_letter"] += len(w)
        # These letters were already counted as ASCII words; move them to the accented class.
        ascii_parts = _RUNS["ascii_word"].findall(w)
        f["ascii_word"] -= len(ascii_parts)
        f["ascii_letter"] -= sum(len(p) for p in ascii_parts)
    for r in _RUNS["cyrillic_word"].findall(text):
        f["cyrillic_word"] += 1
        f["cyrillic_letter"] += len(r)
    f["greek_letter"] = float(sum(len(r) for r in _RUNS["greek_word"].findall(text)))
    f["rtl_letter"] = float(sum(len(r) for r in _RUNS["rtl_word"].findall(text)))
    f["indic_thai_letter"] = float(sum(len(r) for r in _RUNS["indic_thai_word"].findall(text)))
    for name, pat in _CHARS.items():
        f[name] = float(len(pat.findall(text)))
    f["other"] = float(len(_OTHER.findall(text)))
    return f


# Fitted by tools/fit_text_tokens.py against tiktoken o200k_base on
# tests/data/token_calibration.txt (weighted non-negative least squares, one sample per line).
_COEF: dict[str, float] = {
    "ascii_word": 0.688,
    "ascii_letter": 0.073,
    "upper_word": 0.394,
    "digit_group": 1.156,
    "space_digit": 1.317,
    "punct_run": 0.693,
    "punct_char": 0.069,
    "newline_run": 0.888,
    "space_run": 0.682,
    "latin_ext_word": 0.275,
    "latin_ext_letter": 0.254,
    "cyrillic_word": 0.996,
    "cyrillic_letter": 0.119,
    "greek_letter": 0.356,
    "rtl_letter": 0.330,
    "indic_thai_letter": 0.324,
    "han": 0.717,
    "kana": 0.592,
    "hangul": 0.679,
    "other": 1.374,
}
_INTERCEPT = 0.0

#: Relative error of :func:`estimate_tokens` against o200k_base on the calibration set
#: (median / 90th percentile of |estimate - exact| / exact per paragraph, leave-one-out).
ESTIMATOR_ERROR: dict[str, float] = {"median": 0.087, "p90": 0.257, "max": 0.421}

#: Safety factor on estimates for providers without an offline tokenizer (Anthropic, Gemini).
#: Not a measurement: their vocabularies are unpublished and tend to need more tokens than
#: o200k for the same text, and over-counting only makes a transcode less likely.
NON_OPENAI_MARGIN = 1.15


def estimate_tokens(text: str) -> int:
    """o200k-calibrated token estimate from character-class counts (no tokenizer needed).

    Example::

        >>> from headroom_middleware.tokens.text import estimate_tokens
        >>> estimate_tokens("") == 0
        True
    """
    if not text:
        return 0
    f = text_features(text)
    est = _INTERCEPT + sum(_COEF[k] * v for k, v in f.items())
    return max(1, round(est))


# --------------------------------------------------------------------------------------------
# tiktoken with a vocabulary already on disk
# --------------------------------------------------------------------------------------------

_ENC_LOCK = threading.Lock()
_ENCODINGS: dict[str, Any] = {}  # name -> tiktoken.Encoding, or None when unavailable


def _vocab_dirs() -> list[Path]:
    """Folders that may hold tiktoken vocabulary files, named by sha1 of their URL."""
    dirs: list[Path] = []
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        v = os.environ.get(var)
        if v:
            dirs.append(Path(v))
    dirs.append(Path(tempfile.gettempdir()) / "data-gym-cache")
    try:
        # find_spec on a top-level name locates the package without importing it.
        spec = importlib.util.find_spec("litellm")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            dirs.append(Path(loc) / "litellm_core_utils" / "tokenizers")
    return dirs


def _local_bpe_loader(dirs: list[Path]) -> Any:
    """A drop-in for tiktoken's ``load_tiktoken_bpe`` that only reads verified local files."""

    def load(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        name = hashlib.sha1(url.encode()).hexdigest()
        for d in dirs:
            path = d / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if expected_hash and hashlib.sha256(data).hexdigest() != expected_hash:
                continue  # a stale or corrupt copy: never use it, never re-fetch it
            ranks: dict[bytes, int] = {}
            for line in data.splitlines():
                if line:
                    tok, rank = line.split()
                    ranks[base64.b64decode(tok)] = int(rank)
            return ranks
        raise FileNotFoundError(f"no local tiktoken vocabulary for {url.rsplit('/', 1)[-1]}")

    return load


def _encoding(name: str) -> Any:
    """A tiktoken Encoding built only from local files, or None (cached, thread-safe)."""
    if name in _ENCODINGS:
        return _ENCODINGS[name]
    with _ENC_LOCK:
        if name in _ENCODINGS:
            return _ENCODINGS[name]
        enc = None
        try:
            import tiktoken
            from tiktoken_ext import openai_public

            ctor = getattr(openai_public, name)
            # Run tiktoken's own constructor (regex, special tokens) with its file loader
            # swapped for a local-only one via a private globals dict: no global state is
            # patched, and no code path can reach the network.
            glb = dict(ctor.__globals__)
            glb["load_tiktoken_bpe"] = _local_bpe_loader(_vocab_dirs())
            local_ctor = types.FunctionType(ctor.__code__, glb, ctor.__name__, ctor.__defaults__)
            enc = tiktoken.Encoding(**local_ctor())
        except Exception:  # no tiktoken, no local file, or an incompatible tiktoken version
            enc = None
        _ENCODINGS[name] = enc
        return enc


def _openai_encoding_name(model: str) -> tuple[str, bool]:
    """(encoding name, known model) for an OpenAI model id."""
    m = model.lower().rsplit("/", 1)[-1]
    if m.startswith(("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "ft:gpt-4o")):
        return "o200k_base", True
    if m.startswith(("gpt-4", "gpt-3.5", "gpt-35", "ft:gpt-4", "ft:gpt-3.5")):
        return "cl100k_base", True
    # Unknown OpenAI model: current models all use o200k; flag the count as estimated.
    return "o200k_base", False


def count_text_tokens(text: str, provider: str, model: str) -> TextTokenCount:
    """Tokens ``text`` costs as input for ``model`` of ``provider`` (``openai``,
    ``anthropic``, ``gemini``; other names get the estimator).

    Example::

        >>> from headroom_middleware.tokens.text import count_text_tokens
        >>> count_text_tokens("", "openai", "gpt-4o")
        TextTokenCount(tokens=0, estimated=False)
    """
    if not text:
        return TextTokenCount(0, False)
    if provider.lower() == "openai":
        name, known = _openai_encoding_name(model)
        enc = _encoding(name)
        if enc is not None:
            # disallowed_special=(): OCR text may contain "<|endoftext|>" literally; count it
            # as plain text rather than raising.
            return TextTokenCount(len(enc.encode(text, disallowed_special=())), not known)
        return TextTokenCount(estimate_tokens(text), True)
    return TextTokenCount(max(1, math.ceil(estimate_tokens(text) * NON_OPENAI_MARGIN)), True)
