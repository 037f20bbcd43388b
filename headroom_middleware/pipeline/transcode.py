"""``transcode``: replace the image by its OCR text when that is cheaper and the OCR is confident."""

from __future__ import annotations

from ..errors import OcrError
from ..types import Technique
from .output import Output
from .work import Work, ocr_once, partial_result

MIN_OCR_COVERAGE = 0.6
"""A routed transcode needs OCR lines over at least this share of the image's text-like regions
(``router.image_features.ocr_coverage``): text that OCR missed would be lost."""

CHARS_PER_TOKEN_BOUND = 6
"""OCR of a long page may stop once its text holds this many characters per token of the image: English
prose runs ~4 characters per token, CJK 1-2, so by then the text nearly always costs more than the image.
The prefix's exact token count decides; when it does not, the rest of the page is read."""


def apply_transcode(work: Work) -> Output | None:
    """A text block with the image's text, or None when OCR is missing, unsure or not cheaper."""
    from ..tokens.text import count_text_tokens

    if work.ocr is None:
        work.notes.append("transcode: no OCR engine installed (pip install 'headroom-middleware[ocr]')")
        return None
    img = work.full()
    budget = None if work.original_tokens is None else CHARS_PER_TOKEN_BOUND * work.original_tokens
    try:
        res = ocr_once(work, img, max_chars=budget)
        if not res.complete:
            # A tall page stopped early: if the text read so far already costs as much as the whole
            # image, the rest cannot make the transcode a saving; otherwise read the rest.
            head = count_text_tokens(_as_text(work, res.text), work.target.family, work.target.model)
            if work.original_tokens is not None and head.tokens >= work.original_tokens:
                work.notes.append(f"transcode: text ({head.tokens}+ tokens, page read in part) costs more "
                                  "than the image")
                return None
            res = ocr_once(work, img)
    except OcrError as exc:
        work.transient = True
        work.notes.append(f"transcode: {exc.__class__.__name__}")
        return None
    if not res.text.strip():
        work.notes.append("transcode: no text found")
        return None
    if res.mean_confidence < work.config.ocr_min_confidence:
        work.notes.append(f"transcode: OCR confidence {res.mean_confidence:.2f} < {work.config.ocr_min_confidence:.2f}")
        return None
    if work.routed:
        from ..router.image_features import ocr_coverage

        coverage = ocr_coverage(img, [line.box for line in res.lines])
        if coverage < MIN_OCR_COVERAGE:
            work.notes.append(f"transcode: OCR read {coverage:.0%} of the text regions < {MIN_OCR_COVERAGE:.0%}")
            return None
    text = _as_text(work, res.text)
    count = count_text_tokens(text, work.target.family, work.target.model)
    if work.original_tokens is not None and count.tokens >= work.original_tokens:
        work.notes.append(f"transcode: text ({count.tokens} tokens) costs more than the image")
        return None
    result = partial_result(work, Technique.TRANSCODE, count.tokens, None,
                            f"OCR text, confidence {res.mean_confidence:.2f}", estimated=count.estimated)
    return Output("text", text=text, result=result)


def _as_text(work: Work, ocr_text: str) -> str:
    """What replaces the image: its OCR text under a line naming the image's size."""
    w, h = work.info.size
    return f"[OCR from image {w}x{h}]\n{ocr_text}"
