"""``full_low``: the whole image in the target's cheapest form (``detail: "low"`` and/or a small resize)."""

from __future__ import annotations

from .. import imaging
from ..tokens.images import Gemini3Model
from ..types import Technique
from .output import Output
from .work import Work, encode_image, partial_result


def apply_full_low(work: Work) -> Output | None:
    """The cheapest form, or None when the image is already in it."""
    target, slot = work.target, work.slot
    w, h = work.info.size
    tm = target.token_model
    edge = 768 if isinstance(tm, Gemini3Model) else target.full_low_edge
    nw, nh = imaging.fit_inside(w, h, edge)
    detail_ok = target.uses_detail and target.low_detail_is_cheapest and slot.format.with_detail(
        slot.block, "low", target.family) is not None
    new_detail = "low" if detail_ok else None
    tokens = work.tokens_for(nw, nh, new_detail)
    resized = (nw, nh) != (w, h)
    if not resized and not detail_ok:
        work.notes.append("full_low: already at the cheapest size")
        return None
    b64 = mt = None
    if resized:
        b64, mt = encode_image(work, imaging.resize(work.small(), (nw, nh)))
    kind = "image+detail" if resized and detail_ok else ("image" if resized else "detail")
    why = []
    if resized:
        why.append(f"resized to {nw}x{nh}")
    if detail_ok:
        why.append("detail=low")
    return Output(kind, b64=b64, media_type=mt, detail=new_detail,
                  result=partial_result(work, Technique.FULL_LOW, tokens, (nw, nh), ", ".join(why), b64=b64))
