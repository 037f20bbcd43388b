"""``crop``: send only the region the query is about (found from the query, with OCR when needed)."""

from __future__ import annotations

from .. import imaging
from ..errors import OcrError
from ..types import Technique
from .output import Output
from .work import Work, analysis_image, encode_image, ocr_once, partial_result, provider_size

MIN_REGION_CONFIDENCE = 0.5
"""A routed crop needs at least this localiser confidence (``CropRegion.confidence``, 0..1)."""


def apply_crop(work: Work) -> Output | None:
    """The region the query names, or None when no region matches."""
    from ..crop import select_crop_region

    img, factor = analysis_image(work)
    region = select_crop_region(img, work.slot.query, ocr=None)
    if region is None and work.ocr is not None:
        try:
            region = select_crop_region(img, work.slot.query, ocr=ocr_once(work, img))
        except OcrError as exc:
            work.transient = True
            work.notes.append(f"crop: OCR unavailable ({exc.__class__.__name__})")
    if region is None:
        work.notes.append("crop: no region matches the query")
        return None
    # When the router chose the crop, the localiser must be sure of its region: a box that misses
    # part of the answer is an unsafe downgrade. A localiser that does not rate its regions
    # (no ``CropRegion.confidence``) is not trusted for routed crops.
    confidence = getattr(region, "confidence", None)
    if work.routed and (confidence is None or confidence < MIN_REGION_CONFIDENCE):
        shown = "unrated" if confidence is None else f"{confidence:.2f}"
        work.notes.append(f"crop: region confidence {shown} < {MIN_REGION_CONFIDENCE:.2f}")
        return None
    w, h = work.info.size
    x0, y0, x1, y1 = region.box
    box = (max(0, int(x0 * factor)), max(0, int(y0 * factor)), min(w, round(x1 * factor)), min(h, round(y1 * factor)))
    cw, ch = box[2] - box[0], box[3] - box[1]
    if cw < 8 or ch < 8:
        work.notes.append("crop: region too small")
        return None
    pw, ph = provider_size(work, cw, ch)
    tokens = work.tokens_for(pw, ph)
    crop_img = imaging.resize(imaging.crop(work.full(), box), (pw, ph))
    b64, mt = encode_image(work, crop_img)
    return Output("image", b64=b64, media_type=mt, result=partial_result(
        work, Technique.CROP, tokens, (pw, ph), f"cropped to {region.reason}", crop_box=box, b64=b64))
