"""Deciding one image: route (or follow a forced technique / the history policy), apply the cheapest
technique that is safe and verifies as a real saving, else keep the image.

Safe means: the router's risk that the technique loses what the question needs (``1 - P(right)``)
is within that technique's ceiling, calibrated per technique on held-out real data and shipped with
the model (``CompressionConfig.confidence_threshold`` replaces all of them with one floor on
P(right)). A safe crop is still dropped when the localiser is not confident of its region, a safe
transcode when OCR is unsure or misses text that is in the image (see ``crop.py`` / ``transcode.py``
in this package). Two conventions of the label rules override the router: a question about the
image's own quality (sharpness, noise, print quality) keeps it whole, and a photograph sent with no
question at all goes ``full_low`` (unless the caller set ``confidence_threshold``, which then governs
every downgrade). ``full_low`` has a fixed small price, so it is tried first; when crop and
transcode are both safe, both are built and the one with fewer tokens is sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import imaging
from ..errors import ImageTooLargeError
from ..types import CompressionResult, Technique
from .crop import apply_crop
from .full_low import apply_full_low
from .output import Output, with_result
from .preserve import apply_preserve
from .transcode import apply_transcode
from .work import Work, provider_size

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..protocols import Router
    from ..router import RouterDecision

RouterSource = Callable[[], "Router"]
"""Gives the router when one is needed (the default one is loaded on first use)."""


APPLY: dict[Technique, Callable[[Work], Output | None]] = {
    Technique.PRESERVE: apply_preserve,
    Technique.FULL_LOW: apply_full_low,
    Technique.CROP: apply_crop,
    Technique.TRANSCODE: apply_transcode,
}


def route(work: Work, router: RouterSource) -> tuple[RouterDecision, Image]:
    """The router's decision for this image and the query of its turn, and the view it was shown."""
    from ..router import ROUTER_THUMBNAIL

    view = imaging.make_thumbnail(work.small(), ROUTER_THUMBNAIL)
    work.check_deadline()
    decision: RouterDecision = router().decide(view, work.slot.query, original_size=work.info.size)
    return decision, view


def _unasked_photo(work: Work, view: Image) -> bool:
    """A photograph sent with no question: the label rules send it ``full_low`` (its gist)."""
    from ..router.image_features import image_features, looks_like_photo
    from ..router.keywords import asks_nothing

    # The features are computed again only here (~2 ms, and only for images without a question).
    return asks_nothing(work.slot.query) and looks_like_photo(image_features(view, work.info.size))


def safe_downgrades(work: Work, decision: RouterDecision, view: Image) -> list[Technique]:
    """The downgrades the decision allows under this config, cheapest-first order of trying."""
    from ..router.keywords import asks_about_quality

    config = work.config
    if asks_about_quality(work.slot.query):
        # The label rules settle it: judging sharpness, noise or print quality needs the pixels.
        work.notes.append("a question about image quality: preserved")
        return []
    floor = config.confidence_threshold
    safe = decision.safe_techniques(None if floor is None else 1.0 - floor)
    if floor is None and Technique.FULL_LOW not in safe and _unasked_photo(work, view):
        # The model sees no question and little in the image to go on; the rules settle it too.
        work.notes.append("a photograph with no question: full_low")
        safe = [Technique.FULL_LOW, *safe]
    if not safe:
        risks = ", ".join(f"{t.value} {decision.risk(t):.2f}" for t in Technique if t is not Technique.PRESERVE)
        work.notes.append(f"no technique safe enough (risk {risks}): preserved")
    return [tech for tech in safe if _enabled(work, tech)]


def verify(work: Work, out: Output) -> str | None:
    """Why ``out`` must not be sent, or None when it is a real saving."""
    orig, new = work.original_tokens, out.result.compressed_tokens
    if out.result.technique == Technique.PRESERVE:
        if orig is not None and new is not None and new > orig:
            return "preserve would cost more"
        return None
    if orig is None and work.rejected and new is not None:
        return None  # the provider would reject the original: any accepted form is a win
    if orig is None or new is None:
        return None if out.kind in ("detail",) else "token count unknown"
    if new >= orig:
        return f"{out.result.technique.value} would not save tokens ({new} >= {orig})"
    if 100.0 * (orig - new) / orig < work.config.min_savings_percent:
        return f"{out.result.technique.value} saves under {work.config.min_savings_percent:g}%"
    return None


def _attempt(work: Work, tech: Technique) -> Output | None:
    work.check_deadline()
    try:
        out = APPLY[tech](work)
    except ImageTooLargeError:
        # a technique that needs the full-resolution pixels of an image over the decode budget
        work.notes.append(f"{tech.value}: image over max_decode_pixels")
        return None
    if out is None:
        return None
    problem = verify(work, out)
    if problem:
        work.notes.append(problem)
        return None
    return out


def _finish(work: Work, out: Output, routed: Technique, confidence: float, router_name: str) -> Output:
    reason = "; ".join([*work.notes, out.result.reason]) if work.notes else out.result.reason
    out = with_result(out, routed_technique=routed, confidence=confidence, router=router_name, reason=reason)
    return replace(out, transient=work.transient)


def _enabled(work: Work, tech: Technique) -> bool:
    if tech == Technique.CROP and not work.config.enable_crop:
        work.notes.append("crop disabled")
        return False
    if tech == Technique.TRANSCODE and not work.config.enable_transcode:
        work.notes.append("transcode disabled")
        return False
    return True


def process(work: Work, force: Technique | None, router: RouterSource) -> Output:
    """The output for one image: the cheapest safe technique that verifies, else the image kept."""
    config, slot = work.config, work.slot
    if force is not None or (slot.answered and config.history_policy != "route"):
        if force is not None:
            routed, router_name = force, "forced"
        else:
            routed = Technique.FULL_LOW if config.history_policy == "full_low" else Technique.PRESERVE
            router_name = "history"
        confidence = 1.0
        for tech in dict.fromkeys((routed, Technique.PRESERVE)):
            if tech is not Technique.PRESERVE and not _enabled(work, tech):
                continue
            out = _attempt(work, tech)
            if out is not None:
                return _finish(work, out, routed, confidence, router_name)
    else:
        work.output_hint = provider_size(work, *work.info.size)  # preserve's size, the fallback: one decode
        decision, view = route(work, router)
        work.routed = True
        safe = safe_downgrades(work, decision, view)
        # What the router asks for: the cheapest safe technique (full_low, else crop/transcode), else preserve.
        routed = safe[0] if safe else Technique.PRESERVE
        confidence = 1.0 - decision.risk(routed) if routed is not Technique.PRESERVE else (
            decision.p_right or decision.probabilities)[Technique.PRESERVE]
        router_name = decision.router
        if Technique.FULL_LOW in safe:
            out = _attempt(work, Technique.FULL_LOW)
            if out is not None:
                return _finish(work, out, routed, confidence, router_name)
        built = [out for tech in (Technique.CROP, Technique.TRANSCODE) if tech in safe
                 for out in [_attempt(work, tech)] if out is not None]
        if built:
            # Fewest tokens wins; a tie goes to the crop (built first): it keeps the pixels.
            best = min(built, key=lambda o: o.result.compressed_tokens if o.result.compressed_tokens is not None
                       else float("inf"))
            return _finish(work, best, routed, confidence, router_name)
        out = _attempt(work, Technique.PRESERVE)
        if out is not None:
            return _finish(work, out, routed, confidence, router_name)
    keep = CompressionResult(
        index=slot.index, location=slot.location, technique=Technique.PRESERVE, routed_technique=routed,
        confidence=confidence, router=router_name, original_tokens=work.original_tokens,
        compressed_tokens=work.original_tokens, estimated=work.estimated,
        reason="; ".join(work.notes) or "kept as is", original_size=work.info.size,
        compressed_size=work.info.size, original_bytes=len(work.raw), compressed_bytes=len(work.raw),
    )
    return Output("keep", result=keep, transient=work.transient)
