"""``crop``: send only the region the query is about (found from the query, with OCR when needed), grown
to the target's tile/patch grid; a routed crop only when the localiser is confident of its region."""

from __future__ import annotations

from .. import imaging
from ..errors import OcrError
from ..types import Technique
from .output import Output
from .work import Work, analysis_image, encode_image, ocr_once, partial_result, provider_size

# Without OCR only position words guide the crop; below this confidence OCR is tried as well.
SURE_WITHOUT_OCR = 0.7


def apply_crop(work: Work) -> Output | None:
    """The region the query names, or None when no region matches (or, routed, its localisation is unsure)."""
    from ..crop import select_crop_region
    from ..crop.geometry import fit_crop

    img, factor = analysis_image(work)
    min_conf = work.config.crop_min_confidence
    region = select_crop_region(img, work.slot.query, ocr=None)
    first = getattr(region, "confidence", None)
    if work.ocr is not None and (first is None or first < max(min_conf, SURE_WITHOUT_OCR)):
        # Position words alone are a weak guide: the text on the image can name the block.
        try:
            region = select_crop_region(img, work.slot.query, ocr=ocr_once(work, img)) or region
        except OcrError as exc:
            work.transient = True
            work.notes.append(f"crop: OCR unavailable ({exc.__class__.__name__})")
    if region is None:
        work.notes.append("crop: no region matches the query")
        return None
    # When the router chose the crop, the localiser must be sure of its region: a box that misses part of
    # the answer is an unsafe downgrade; a localiser that does not rate its regions is not trusted. A forced
    # crop is the caller's decision.
    confidence: float | None = getattr(region, "confidence", None)
    shown = "unrated" if confidence is None else f"{confidence:.2f}"
    if work.routed and (confidence is None or confidence < min_conf):
        work.notes.append(f"crop: region confidence {shown} < {min_conf:.2f}")
        return None
    w, h = work.info.size
    x0, y0, x1, y1 = region.box
    box = (max(0, int(x0 * factor)), max(0, int(y0 * factor)), min(w, round(x1 * factor)), min(h, round(y1 * factor)))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        work.notes.append("crop: region too small")
        return None

    def cost(cw: int, ch: int) -> int:
        t = work.tokens_for(*provider_size(work, cw, ch))
        return t if t is not None else 2**31

    # A strip of a tall page can cost more than the page (the provider shrinks the page, not the strip):
    # shrink the crop, at most to the scale the whole image is billed at, until it costs less. Then the
    # context up to the next tile/patch boundary costs nothing and forgives a slightly tight box.
    full_w = provider_size(work, w, h)[0]
    fitted = fit_crop(box, (w, h), cost, cost(w, h), min(1.0, full_w / w))
    if fitted is None:
        work.notes.append("crop: the region costs as many tokens as the whole image")
        return None
    box, size = fitted
    pw, ph = provider_size(work, *size)
    tokens = work.tokens_for(pw, ph)
    crop_img = imaging.resize(imaging.crop(work.full(), box), (pw, ph))
    b64, mt = encode_image(work, crop_img)
    return Output("image", b64=b64, media_type=mt, result=partial_result(
        work, Technique.CROP, tokens, (pw, ph), f"cropped to {region.reason}, confidence {shown}",
        crop_box=box, b64=b64))
