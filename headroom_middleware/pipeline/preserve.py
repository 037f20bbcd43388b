"""``preserve``: keep full detail; remove only waste (blank margins, pixels the provider discards,
and a few-percent shrink when it drops a tile/patch row)."""

from __future__ import annotations

from .. import imaging
from ..types import Technique
from .output import Output
from .work import Work, encode_image, partial_result, provider_size

# Largest shrink accepted as "free" when snapping to tile/patch boundaries on preserve.
MAX_SNAP_SHRINK = 0.06
# Preserve re-encodes only for a real gain: a resampled PNG often grows 2-3x (a 1920x1080 screenshot
# went from 161 KB to 446 KB for Anthropic to save 3 % of tokens), so below this token saving the
# original bytes are sent unless they break the provider's byte limit.
MIN_TOKEN_SAVING = 0.10


def snap_to_boundaries(work: Work, w: int, h: int) -> tuple[int, int]:
    """Shrink by at most a few percent when that drops a tile/patch row or column."""
    unit = work.target.patch_unit
    base = work.tokens_for(w, h)
    if unit is None or base is None:
        return w, h
    best = (w, h)
    # For tile models the count is taken on the provider-resized size: snap that one.
    candidates = set()
    for side in (w, h):
        cells = -(-side // unit)
        if cells > 1:
            candidates.add(((cells - 1) * unit) / side)
    for s in sorted(candidates, reverse=True):
        if s < 1 - MAX_SNAP_SHRINK:
            continue
        nw, nh = max(1, int(w * s)), max(1, int(h * s))
        t = work.tokens_for(nw, nh)
        if t is not None and t < base:
            best = (nw, nh)
            break
    return best


def apply_preserve(work: Work) -> Output | None:
    """The image without waste, or None when there is none to remove."""
    w, h = work.info.size
    box: tuple[int, int, int, int] | None = None
    try:
        from ..crop import content_bbox

        bbox = content_bbox(work.small())
        if bbox is not None:
            sw, sh = work.small().size
            sx, sy = w / sw, h / sh
            cand = (int(bbox[0] * sx), int(bbox[1] * sy), min(w, -(-int(bbox[2] * sx) // 1)),
                    min(h, int(bbox[3] * sy + 0.999)))
            cw, ch = cand[2] - cand[0], cand[3] - cand[1]
            t_now, t_crop = work.tokens_for(w, h), work.tokens_for(cw, ch)
            if cw > 0 and ch > 0 and t_now is not None and t_crop is not None and t_crop < t_now:
                box = cand
                w, h = cw, ch
    except ImportError:
        pass
    pw, ph = provider_size(work, w, h)
    sw_, sh_ = snap_to_boundaries(work, pw, ph)
    new_tokens = work.tokens_for(sw_, sh_)
    orig = work.original_tokens
    pixels_drop = (work.info.width * work.info.height) / max(1, sw_ * sh_)
    limit = work.byte_limit
    # The original cannot be sent as it is: any accepted form beats it.
    must_change = work.rejected or (limit is not None and len(work.raw) > limit)
    saving = (orig - new_tokens) / orig if orig and new_tokens is not None else 0.0
    if not must_change and saving < MIN_TOKEN_SAVING and pixels_drop < 2.0:
        if saving > 0:
            work.notes.append(f"preserve: re-encoding would save only {100 * saving:.0f}% of tokens: original kept")
        return None
    if box is not None:
        img = imaging.crop(work.full(), box)
    else:  # a decode already made, else JPEG draft decoding straight to the needed scale
        img = work.decoded_at_least((sw_, sh_)) or work.load((sw_, sh_))
    img = imaging.resize(img, (sw_, sh_))
    b64, mt = encode_image(work, img)
    if not must_change and saving < MIN_TOKEN_SAVING and len(b64) * 3 // 4 >= len(work.raw):
        # Downscaled (the provider would discard those pixels anyway) but not smaller: no gain.
        work.notes.append("preserve: re-encoded image is not smaller: original kept")
        return None
    reasons = []
    if box is not None:
        reasons.append("blank margins trimmed")
    if (pw, ph) != (w, h):
        reasons.append("downscaled to the model's effective resolution")
    if (sw_, sh_) != (pw, ph):
        reasons.append("snapped to tile/patch boundaries")
    return Output("image", b64=b64, media_type=mt, result=partial_result(
        work, Technique.PRESERVE, new_tokens, (sw_, sh_), "; ".join(reasons), crop_box=box, b64=b64))
