"""OCR transcode against hand-checked text of real documents (tests/data/ocr_ref).

The full set (``benchmarks/ocr_reference.py``) takes minutes on a small CPU; this test reads
a few documents that exercise the layout cases (sidebar panes, code blocks, a terminal
listing, a line-numbered code listing, a page with a boxed side panel) and checks the set's
bookkeeping.
"""

from __future__ import annotations

import pytest
from ocr_reference import REF_DIR, doc_cer, normalise, reference_set
from PIL import Image

from headroom_middleware import ocr

LAYOUT_CASES = {  # document -> CER bound (measured value + margin)
    "flask_quickstart": 0.03,
    "requests_index": 0.03,
    "sqlite_limits": 0.02,
    "xterm_ls": 0.03,
    "xterm_code_numbered": 0.05,
    "django_index": 0.05,
}


def test_reference_set_is_complete_and_sourced() -> None:
    docs = reference_set()
    assert len(docs) >= 25
    sources = (REF_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for d in docs:
        assert f"`{d.image.name}`" in sources, d.name
        assert len(normalise(d.text)) > 100, d.name
    assert sum(p.stat().st_size for p in REF_DIR.iterdir()) < 15_000_000


def test_normalise_ignores_separators_and_bullets() -> None:
    assert normalise("• Qty | 4\n\n  ► Total") == "Qty 4 Total"
    assert doc_cer("Qty 4", "Qty | 4") == 0.0
    assert doc_cer("Item Qty Bread 2", "| Item | Qty |\n| --- | :---: |\n| Bread | 2 |") == 0.0


@pytest.mark.skipif(not ocr.ocr_available(), reason="rapidocr not installed")
@pytest.mark.parametrize("name", sorted(LAYOUT_CASES))
def test_layout_cases_read_in_order(name: str) -> None:
    doc = next(d for d in reference_set() if d.name == name)
    res = ocr.run_ocr(Image.open(doc.image), cache_key=f"test-ocr-ref:{name}", timeout_s=600)
    assert doc_cer(doc.text, res.text) <= LAYOUT_CASES[name]
