"""Deciding one image: route (or follow a forced technique / the history policy), try the candidate
techniques in order, keep the first whose output verifies as a real saving, else keep the image."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import imaging
from ..types import CompressionResult, Technique
from .crop import apply_crop
from .full_low import apply_full_low
from .output import Output, with_result
from .preserve import apply_preserve
from .transcode import apply_transcode
from .work import Work

if TYPE_CHECKING:
    from ..router import RouterDecision

# A fallback technique the router gave less than this probability is not tried.
MIN_FALLBACK_PROBABILITY = 0.15

APPLY: dict[Technique, Callable[[Work], Output | None]] = {
    Technique.PRESERVE: apply_preserve,
    Technique.FULL_LOW: apply_full_low,
    Technique.CROP: apply_crop,
    Technique.TRANSCODE: apply_transcode,
}


def route(work: Work, force: Technique | None, get_router: Any) -> tuple[list[tuple[Technique, float]], str]:
    """Techniques ranked by probability, and the name of what ranked them."""
    config, slot = work.config, work.slot
    if force is not None:
        return [(force, 1.0)], "forced"
    if slot.answered and config.history_policy == "full_low":
        return [(Technique.FULL_LOW, 1.0)], "history"
    router = get_router(config.router)
    thumb = imaging.make_thumbnail(work.small(), 256)
    decision: RouterDecision = router.decide(thumb, slot.query, original_size=work.info.size)
    return decision.ranked(), decision.router


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


def process(work: Work, force: Technique | None, get_router: Any) -> Output:
    """The output for one image: the first candidate technique that verifies, else the image kept."""
    config, slot = work.config, work.slot
    if slot.answered and config.history_policy == "keep" and force is None:
        ranked: list[tuple[Technique, float]] = [(Technique.PRESERVE, 1.0)]
        router_name = "history"
    else:
        ranked, router_name = route(work, force, get_router)
    routed, confidence = ranked[0]
    candidates: list[Technique] = []
    if router_name not in ("forced", "history") and confidence < config.confidence_threshold:
        work.notes.append(f"confidence {confidence:.2f} < {config.confidence_threshold:.2f}: preserved")
    else:
        for tech, p in ranked:
            if tech == Technique.PRESERVE:
                break
            if p < MIN_FALLBACK_PROBABILITY and tech != routed:
                break
            if tech == Technique.CROP and not config.enable_crop:
                work.notes.append("crop disabled")
                continue
            if tech == Technique.TRANSCODE and not config.enable_transcode:
                work.notes.append("transcode disabled")
                continue
            candidates.append(tech)
    candidates.append(Technique.PRESERVE)
    for tech in candidates:
        out = APPLY[tech](work)
        if out is None:
            continue
        problem = verify(work, out)
        if problem:
            work.notes.append(problem)
            continue
        reason = "; ".join([*work.notes, out.result.reason]) if work.notes else out.result.reason
        out = with_result(out, routed_technique=routed, confidence=confidence, router=router_name, reason=reason)
        return replace(out, transient=work.transient)
    keep = CompressionResult(
        index=slot.index, location=slot.location, technique=Technique.PRESERVE, routed_technique=routed,
        confidence=confidence, router=router_name, original_tokens=work.original_tokens,
        compressed_tokens=work.original_tokens, estimated=work.estimated,
        reason="; ".join(work.notes) or "kept as is", original_size=work.info.size,
        compressed_size=work.info.size, original_bytes=len(work.raw), compressed_bytes=len(work.raw),
    )
    return Output("keep", result=keep, transient=work.transient)
