"""Query features of the router: a few lexical flags plus hashed character and word n-grams.

Hashed character 1-4-grams over the lowercased, NFKC-normalised query make languages without
spaces (Chinese, Japanese) work like English; hashed word unigrams and bigrams catch phrases
("how many", "top right") in spaced languages. Each block is presence (0/1), L2-normalised.

Example::

    from headroom_middleware.router.query_features import query_features, QUERY_FLAGS
    flags, grams = query_features("这张图是什么？")
    assert len(flags) == len(QUERY_FLAGS) and grams
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache

from .keywords import is_cjk, keyword_counts, normalize_query

__all__ = [
    "NGRAM_RANGE",
    "N_BUCKETS",
    "N_HASHED",
    "N_QUERY_FLAGS",
    "N_WORD_BUCKETS",
    "QUERY_FLAGS",
    "normalize_query",
    "query_features",
    "query_newlines",
]

QUERY_FLAGS: tuple[str, ...] = (
    "q_empty",
    "q_len",  # log1p(characters) / 6
    "q_question",  # ends with / contains a question mark (any script)
    "q_digits",  # contains a digit
    "q_quote",  # contains a quotation mark: often "what does <X> say"
    "q_cjk",  # share of CJK / kana / hangul characters
    "q_questions",  # number of question marks (capped at 3) / 3: several questions -> more detail
    "q_lines",  # number of line breaks (capped at 3) / 3: lists, pasted context, agent prompts
    "q_trivial",  # no real question: empty, only punctuation/emoji, or one or two short words
    "kw_preserve",  # counting, exact small details, comparisons: needs full resolution
    "kw_crop",  # a named region or element: top right, legend, header, button ...
    "kw_transcode",  # the text is what matters: summarise, transcribe, translate, extract ...
    "kw_full_low",  # the gist: what is this, describe, what kind of ...
    "kw_multi",  # "also", "oh and", ...: several questions asked at once
)

N_BUCKETS = 16384
"""Hashed character n-gram buckets (2**14; version 1 had 2**12, whose collisions cost ~1 point of
out-of-fold accuracy; 2**15 + 2**14 was no better than 2**14 + 2**13)."""
NGRAM_RANGE = (1, 4)
N_WORD_BUCKETS = 8192
"""Hashed word unigram + bigram buckets (2**13)."""

N_QUERY_FLAGS = len(QUERY_FLAGS)
N_HASHED = N_BUCKETS + N_WORD_BUCKETS

_QUESTION = ("?", "？", "¿", "؟")  # Latin, fullwidth (CJK), Spanish opening, Arabic
_WORD_RE = re.compile(r"\w+")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@lru_cache(maxsize=1024)
def _query_part(q: str) -> tuple[tuple[float, ...], tuple[tuple[int, float], ...]]:
    """Flags and sparse hashed buckets of one normalised query (cached: a request repeats it).

    Bucket indices are relative to the start of the hashed block (char n-grams, then words).
    """
    hits = keyword_counts(q)
    n_cjk = len(_CJK_RE.findall(q))
    flags = (
        1.0 if not q else 0.0,
        math.log1p(len(q)) / 6.0,
        1.0 if any(c in q for c in _QUESTION) else 0.0,
        1.0 if any(c.isdigit() for c in q) else 0.0,
        1.0 if any(c in q for c in "\"'“”„«»「」『』") else 0.0,
        n_cjk / len(q) if q else 0.0,
        min(q.count("?") + q.count("？") + q.count("؟"), 3) / 3.0,
        min(query_newlines(q), 3) / 3.0,
        1.0 if _is_trivial(q, hits) else 0.0,
        min(hits["preserve"], 3) / 3.0,
        min(hits["crop"], 3) / 3.0,
        min(hits["transcode"], 3) / 3.0,
        min(hits["full_low"], 3) / 3.0,
        min(hits["multi"], 3) / 3.0,
    )
    sparse = _hashed_chars(q) + _hashed_words(q)
    return flags, sparse


def _is_trivial(q: str, hits: dict[str, int]) -> bool:
    # "", "?", "👀", "see attached", "look": nothing says what will be asked, so the safe choice
    # depends on the image (the data labels a photo full_low, any text-bearing image preserve).
    if any(hits[k] for k in ("preserve", "crop", "transcode", "full_low")):
        return False
    words = _WORD_RE.findall(q)
    return not words or (len(words) <= 2 and len(q) <= 16 and not is_cjk(q)) or (is_cjk(q) and len(q) <= 4)


def query_newlines(q: str) -> int:
    """Line breaks survive normalisation as " \u2028 "; count them before collapsing."""
    return q.count("\u2028")


def _l2(counts: dict[int, int], offset: int) -> tuple[tuple[int, float], ...]:
    # Presence, not counts (a repeated n-gram is not more evidence: +0.5 points out-of-fold over
    # counts), L2-normalised so long and short queries get comparable magnitudes.
    weight = 1.0 / math.sqrt(len(counts)) if counts else 0.0
    return tuple(sorted((offset + b, weight) for b in counts))


def _hashed_chars(q: str) -> tuple[tuple[int, float], ...]:
    counts: dict[int, int] = {}
    if not q:
        return ()
    padded = f" {q.replace(chr(0x2028), ' ')} "  # word-boundary n-grams carry much of the signal
    lo, hi = NGRAM_RANGE
    # crc32 of (n, gram): stable across processes and Python versions, unlike the salted hash().
    for n in range(lo, hi + 1):
        salt = n.to_bytes(1, "little")
        for i in range(len(padded) - n + 1):
            b = zlib.crc32(salt + padded[i : i + n].encode("utf-8", "surrogatepass")) & (N_BUCKETS - 1)
            counts[b] = counts.get(b, 0) + 1
    return _l2(counts, 0)


def _hashed_words(q: str) -> tuple[tuple[int, float], ...]:
    words = _WORD_RE.findall(q)
    if not words:
        return ()
    counts: dict[int, int] = {}
    prev = "<s>"
    for w in words:
        for gram in (w, f"{prev} {w}"):
            b = zlib.crc32(b"w" + gram.encode("utf-8", "surrogatepass")) & (N_WORD_BUCKETS - 1)
            counts[b] = counts.get(b, 0) + 1
        prev = w
    return _l2(counts, N_BUCKETS)


def query_features(query: str | None) -> tuple[tuple[float, ...], tuple[tuple[int, float], ...]]:
    """``(flags, sparse_ngrams)`` of a query: QUERY_FLAGS values and (bucket, weight) pairs.

    Example::

        flags, grams = query_features("这张图是什么？")
        assert len(flags) == len(QUERY_FLAGS) and grams
    """
    return _query_part(normalize_query(query))
