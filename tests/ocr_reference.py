"""The OCR reference set: real documents, UIs and terminals with hand-checked text (tests/data/ocr_ref).

Each ``NAME.png`` has ``NAME.txt``, its text in human reading order, checked by eye against the
image (OCR output corrected by hand); ``SOURCES.md`` gives each file's origin and licence.
The character error rate ignores what a reader would not count as text: table separators
(``|``), list bullets and disclosure triangles; whitespace and line breaks count as one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ocr_docs import cer

REF_DIR = Path(__file__).resolve().parent / "data" / "ocr_ref"
_IGNORED = re.compile(r"[|•·◦。►▼■]")
#: A Markdown table's header separator (``| --- | --- |``): structure, not text.
_MD_SEPARATOR = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$", re.MULTILINE)


@dataclass(frozen=True)
class RefDoc:
    name: str
    image: Path
    text: str


def reference_set() -> list[RefDoc]:
    """Every image of the set that has a reference text, by name (PNG screenshots; JPEG
    photographs, kept in the bytes they were made in)."""
    images = sorted([*REF_DIR.glob("*.png"), *REF_DIR.glob("*.jpg")], key=lambda p: p.stem)
    return [RefDoc(p.stem, p, p.with_suffix(".txt").read_text(encoding="utf-8"))
            for p in images if p.with_suffix(".txt").exists()]


def normalise(text: str) -> str:
    return " ".join(_IGNORED.sub(" ", _MD_SEPARATOR.sub(" ", text)).split())


def doc_cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference`` after :func:`normalise`."""
    return cer(normalise(reference), normalise(hypothesis))
