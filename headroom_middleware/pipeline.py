"""The compression pipeline: find → probe → account → route → policy → apply → verify → rebuild.

Each image is decided on its own, with the query of its own turn. Every step that can fail
is contained per image: the image is then sent unchanged and ``reason`` says why (fail open).

Example::

    from headroom_middleware.pipeline import compress_request
    report = compress_request(messages, resolve_target(model="gpt-4o"), CompressionConfig())
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import imaging
from .cache import LRUCache
from .errors import HeadroomError, OcrError
from .formats.base import Block
from .formats.walk import ImageSlot, find_image_slots, replace_blocks
from .shared_cache import RedisCache, SharedCache
from .targets import Target
from .tokens.images import (
    AnthropicModel,
    Gemini3Model,
    PatchModel,
    TileModel,
    anthropic_size,
    image_tokens,
    openai_patch_size,
    openai_tile_size,
)
from .types import CompressionConfig, CompressionReport, CompressionResult, Technique

if TYPE_CHECKING:
    from PIL.Image import Image

    from .router import RouterDecision

logger = logging.getLogger("headroom_middleware")

# A fallback technique the router gave less than this probability is not tried.
_MIN_FALLBACK_PROBABILITY = 0.15
# Largest shrink accepted as "free" when snapping to tile/patch boundaries on preserve.
_MAX_SNAP_SHRINK = 0.06
# Crop / routing work happens on a copy this large at most; boxes are scaled back.
_ANALYSIS_EDGE = 1600


@dataclass(frozen=True)
class _Output:
    """What to write for one image (cached per content hash + target + query + config)."""

    kind: str  # "keep", "image", "detail", "image+detail", "text"
    b64: str | None = None
    media_type: str | None = None
    detail: str | None = None
    text: str | None = None
    result: CompressionResult = field(default_factory=lambda: CompressionResult(index=0, technique=Technique.PRESERVE))
    # Shaped by a failure that may not recur (OCR timeout, an exception): cached in this process, whose
    # LRU is bounded, but not shared with the fleet for a day.
    transient: bool = False


def _dump_output(out: _Output) -> bytes:
    """Serialise an output for the shared cache (sorted keys: the same output, the same bytes)."""
    doc = {
        "kind": out.kind, "b64": out.b64, "media_type": out.media_type, "detail": out.detail, "text": out.text,
        "result": out.result.model_dump(mode="json"),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _load_output(data: bytes) -> _Output | None:
    """The output stored by another worker, or None when the entry is unreadable (then compress again)."""
    try:
        doc = json.loads(data)
        if doc["kind"] not in _OUTPUT_KINDS:
            raise ValueError("unknown output kind")
        return _Output(kind=doc["kind"], b64=doc["b64"], media_type=doc["media_type"], detail=doc["detail"],
                       text=doc["text"], result=CompressionResult.model_validate(doc["result"]))
    except Exception as exc:
        logger.warning("headroom: unreadable shared-cache entry ignored (%s)", exc.__class__.__name__)
        return None


_OUTPUT_KINDS = frozenset({"keep", "image", "detail", "image+detail", "text"})


@dataclass
class _Work:
    """Per-image state while deciding (decoded lazily)."""

    slot: ImageSlot
    target: Target
    config: CompressionConfig
    raw: bytes
    info: imaging.ImageInfo
    detail: str | None
    original_tokens: int | None
    estimated: bool = False
    rejected: bool = False  # the provider would refuse the image as it is
    _small: Image | None = None
    _full: Image | None = None
    _ocr: Any = None
    notes: list[str] = field(default_factory=list)
    transient: bool = False  # an OCR/engine failure shaped the decision (see _Output.transient)

    def small(self) -> Image:
        """Decoded at ≥ 768 px on the long side (JPEG draft decoding), for routing and full_low."""
        if self._small is None:
            if self._full is not None:
                self._small = self._full
            else:
                size = imaging.fit_inside(self.info.width, self.info.height, 768)
                self._small = imaging.load(self.raw, self.info, target_size=size)
        return self._small

    def full(self) -> Image:
        if self._full is None:
            self._full = imaging.load(self.raw, self.info)
        return self._full

    def tokens_for(self, w: int, h: int, detail: str | None = None) -> int | None:
        return image_tokens(self.target.token_model, w, h, detail if detail is not None else self.detail).tokens


def _block_detail(slot: ImageSlot, target: Target) -> str | None:
    if target.uses_detail:
        return slot.ref.detail
    return None


def _encode_image(work: _Work, img: Image) -> tuple[str, str]:
    fmt = work.info.output_format
    data = imaging.encode(img, fmt, quality=work.config.jpeg_quality)
    limit = work.target.max_image_bytes
    if limit is not None and len(data) > limit and fmt == "PNG" and "A" not in img.mode:
        # A PNG photo over the provider's byte limit: JPEG keeps the pixels and fits.
        fmt = "JPEG"
        data = imaging.encode(img, fmt, quality=work.config.jpeg_quality)
    scale_img = img
    while limit is not None and len(data) > limit and min(scale_img.size) > 64:
        w, h = scale_img.size
        scale_img = imaging.resize(scale_img, (max(1, w * 4 // 5), max(1, h * 4 // 5)))
        data = imaging.encode(scale_img, fmt, quality=work.config.jpeg_quality)
    return imaging.encode_base64(data), imaging.media_type_for(fmt)


# --------------------------------------------------------------------------------------------
# Techniques. Each returns an _Output, or None when it cannot be applied (a note says why).
# --------------------------------------------------------------------------------------------
def _provider_size(work: _Work, w: int, h: int) -> tuple[int, int]:
    """The size the provider itself would resize this image to (pixels beyond are discarded)."""
    tm = work.target.token_model
    if isinstance(tm, AnthropicModel):
        return anthropic_size(w, h, tm.max_edge, tm.max_tokens)
    if isinstance(tm, TileModel):
        if work.detail == "low":
            return w, h
        return openai_tile_size(w, h)
    if isinstance(tm, PatchModel):
        edge, budget = tm.level(work.detail)
        rw, rh, _ = openai_patch_size(w, h, edge, budget)
        return rw, rh
    return w, h  # Gemini: the internal size is not documented


def _snap_to_boundaries(work: _Work, w: int, h: int) -> tuple[int, int]:
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
        if s < 1 - _MAX_SNAP_SHRINK:
            continue
        nw, nh = max(1, int(w * s)), max(1, int(h * s))
        t = work.tokens_for(nw, nh)
        if t is not None and t < base:
            best = (nw, nh)
            break
    return best


def _apply_preserve(work: _Work) -> _Output | None:
    """Keep full detail; remove only waste: blank margins, pixels the provider discards,
    and a few-percent shrink when it drops a tile/patch row."""
    w, h = work.info.size
    box: tuple[int, int, int, int] | None = None
    try:
        from .crop import content_bbox

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
    pw, ph = _provider_size(work, w, h)
    sw_, sh_ = _snap_to_boundaries(work, pw, ph)
    new_tokens = work.tokens_for(sw_, sh_)
    orig = work.original_tokens
    pixels_drop = (work.info.width * work.info.height) / max(1, sw_ * sh_)
    tokens_drop = orig is not None and new_tokens is not None and new_tokens < orig
    if not tokens_drop and pixels_drop < 2.0 and box is None:
        return None
    if box is not None:
        img = imaging.crop(work.full(), box)
    elif work._full is not None:
        img = work._full
    else:  # JPEG draft decoding straight to the needed scale: several times faster
        img = imaging.load(work.raw, work.info, target_size=(sw_, sh_))
    img = imaging.resize(img, (sw_, sh_))
    b64, mt = _encode_image(work, img)
    reasons = []
    if box is not None:
        reasons.append("blank margins trimmed")
    if (pw, ph) != (w, h):
        reasons.append("downscaled to the model's effective resolution")
    if (sw_, sh_) != (pw, ph):
        reasons.append("snapped to tile/patch boundaries")
    return _Output("image", b64=b64, media_type=mt, result=_partial(
        work, Technique.PRESERVE, new_tokens, (sw_, sh_), "; ".join(reasons), crop_box=box, b64=b64))


def _apply_full_low(work: _Work) -> _Output | None:
    target, slot = work.target, work.slot
    w, h = work.info.size
    tm = target.token_model
    edge = 768 if isinstance(tm, Gemini3Model) else target.full_low_edge
    nw, nh = imaging.fit_inside(w, h, edge)
    detail_ok = target.uses_detail and target.low_detail_is_cheapest and slot.format.with_detail(
        slot.block, "low") is not None
    new_detail = "low" if detail_ok else None
    tokens = work.tokens_for(nw, nh, new_detail)
    resized = (nw, nh) != (w, h)
    if not resized and not detail_ok:
        work.notes.append("full_low: already at the cheapest size")
        return None
    b64 = mt = None
    if resized:
        b64, mt = _encode_image(work, imaging.resize(work.small(), (nw, nh)))
    kind = "image+detail" if resized and detail_ok else ("image" if resized else "detail")
    why = []
    if resized:
        why.append(f"resized to {nw}x{nh}")
    if detail_ok:
        why.append("detail=low")
    return _Output(kind, b64=b64, media_type=mt, detail=new_detail,
                   result=_partial(work, Technique.FULL_LOW, tokens, (nw, nh), ", ".join(why), b64=b64))


def _analysis_image(work: _Work) -> tuple[Image, float]:
    """An image ≤ _ANALYSIS_EDGE px for crop/OCR, and the factor back to displayed pixels."""
    w, h = work.info.size
    if max(w, h) <= _ANALYSIS_EDGE:
        return work.full(), 1.0
    size = imaging.fit_inside(w, h, _ANALYSIS_EDGE)
    src = work.small() if max(work.small().size) >= _ANALYSIS_EDGE else work.full()
    return imaging.resize(src, size), w / size[0]


def _ocr(work: _Work, img: Image) -> Any:
    if work._ocr is None:
        from .ocr import run_ocr

        key = hashlib.sha256(work.raw).hexdigest() + f":{img.size[0]}x{img.size[1]}"
        work._ocr = run_ocr(img, cache_key=key, timeout_s=work.config.ocr_timeout_s)
    return work._ocr


def _apply_crop(work: _Work) -> _Output | None:
    from .crop import select_crop_region

    img, factor = _analysis_image(work)
    region = select_crop_region(img, work.slot.query, ocr=None)
    if region is None:
        try:
            from .ocr import ocr_available

            if ocr_available():
                region = select_crop_region(img, work.slot.query, ocr=_ocr(work, img))
        except OcrError as exc:
            work.transient = True
            work.notes.append(f"crop: OCR unavailable ({exc.__class__.__name__})")
    if region is None:
        work.notes.append("crop: no region matches the query")
        return None
    w, h = work.info.size
    x0, y0, x1, y1 = region.box
    box = (max(0, int(x0 * factor)), max(0, int(y0 * factor)), min(w, round(x1 * factor)), min(h, round(y1 * factor)))
    cw, ch = box[2] - box[0], box[3] - box[1]
    if cw < 8 or ch < 8:
        work.notes.append("crop: region too small")
        return None
    pw, ph = _provider_size(work, cw, ch)
    tokens = work.tokens_for(pw, ph)
    crop_img = imaging.resize(imaging.crop(work.full(), box), (pw, ph))
    b64, mt = _encode_image(work, crop_img)
    return _Output("image", b64=b64, media_type=mt, result=_partial(
        work, Technique.CROP, tokens, (pw, ph), f"cropped to {region.reason}", crop_box=box, b64=b64))


def _apply_transcode(work: _Work) -> _Output | None:
    from .ocr import ocr_available
    from .tokens.text import count_text_tokens

    if not ocr_available():
        work.notes.append("transcode: no OCR engine installed (pip install 'headroom-middleware[ocr]')")
        return None
    img, _ = _analysis_image(work)
    try:
        res = _ocr(work, img)
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
    w, h = work.info.size
    text = f"[OCR from image {w}x{h}]\n{res.text}"
    count = count_text_tokens(text, work.target.family, work.target.model)
    if work.original_tokens is not None and count.tokens >= work.original_tokens:
        work.notes.append(f"transcode: text ({count.tokens} tokens) costs more than the image")
        return None
    result = _partial(work, Technique.TRANSCODE, count.tokens, None,
                      f"OCR text, confidence {res.mean_confidence:.2f}", estimated=count.estimated)
    return _Output("text", text=text, result=result)


_APPLY = {
    Technique.PRESERVE: _apply_preserve,
    Technique.FULL_LOW: _apply_full_low,
    Technique.CROP: _apply_crop,
    Technique.TRANSCODE: _apply_transcode,
}


def _partial(work: _Work, technique: Technique, tokens: int | None, size: tuple[int, int] | None, reason: str,
             *, crop_box: tuple[int, int, int, int] | None = None, estimated: bool = False,
             b64: str | None = None) -> CompressionResult:
    return CompressionResult(
        index=work.slot.index, location=work.slot.location, technique=technique,
        original_tokens=work.original_tokens, compressed_tokens=tokens,
        estimated=work.estimated or estimated, reason=reason,
        original_size=work.info.size, compressed_size=size, original_bytes=len(work.raw),
        compressed_bytes=(len(b64) * 3 // 4) if b64 else None, crop_box=crop_box, changed=True,
    )


# --------------------------------------------------------------------------------------------
# Deciding one image
# --------------------------------------------------------------------------------------------
def _decide(work: _Work, force: Technique | None, get_router: Any) -> tuple[list[tuple[Technique, float]], str]:
    config, slot = work.config, work.slot
    if force is not None:
        return [(force, 1.0)], "forced"
    if slot.answered and config.history_policy == "full_low":
        return [(Technique.FULL_LOW, 1.0)], "history"
    router = get_router(config.router)
    thumb = imaging.make_thumbnail(work.small(), 256)
    decision: RouterDecision = router.decide(thumb, slot.query, original_size=work.info.size)
    return decision.ranked(), decision.router


def _verify(work: _Work, out: _Output) -> str | None:
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


def _process(work: _Work, force: Technique | None, get_router: Any) -> _Output:
    config, slot = work.config, work.slot
    if slot.answered and config.history_policy == "keep" and force is None:
        ranked: list[tuple[Technique, float]] = [(Technique.PRESERVE, 1.0)]
        router_name = "history"
    else:
        ranked, router_name = _decide(work, force, get_router)
    routed, confidence = ranked[0]
    candidates: list[Technique] = []
    if router_name not in ("forced", "history") and confidence < config.confidence_threshold:
        work.notes.append(f"confidence {confidence:.2f} < {config.confidence_threshold:.2f}: preserved")
    else:
        for tech, p in ranked:
            if tech == Technique.PRESERVE:
                break
            if p < _MIN_FALLBACK_PROBABILITY and tech != routed:
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
        out = _APPLY[tech](work)
        if out is None:
            continue
        problem = _verify(work, out)
        if problem:
            work.notes.append(problem)
            continue
        reason = "; ".join([*work.notes, out.result.reason]) if work.notes else out.result.reason
        out = _with(out, routed_technique=routed, confidence=confidence, router=router_name, reason=reason)
        return replace(out, transient=work.transient)
    keep = CompressionResult(
        index=slot.index, location=slot.location, technique=Technique.PRESERVE, routed_technique=routed,
        confidence=confidence, router=router_name, original_tokens=work.original_tokens,
        compressed_tokens=work.original_tokens, estimated=work.estimated,
        reason="; ".join(work.notes) or "kept as is", original_size=work.info.size,
        compressed_size=work.info.size, original_bytes=len(work.raw), compressed_bytes=len(work.raw),
    )
    return _Output("keep", result=keep, transient=work.transient)


def _with(out: _Output, **update: Any) -> _Output:
    return replace(out, result=out.result.model_copy(update=update))


def _write(slot: ImageSlot, out: _Output) -> Block | None:
    fmt, block = slot.format, slot.block
    if out.kind == "keep":
        return None
    if out.kind == "text":
        assert out.text is not None
        return fmt.text_block(block, out.text)
    new = block
    if out.kind in ("image", "image+detail"):
        assert out.b64 is not None and out.media_type is not None
        new = fmt.with_image(new, out.b64, out.media_type)
    if out.kind in ("detail", "image+detail"):
        assert out.detail is not None
        new = fmt.with_detail(new, out.detail) or new
    return new


def _passthrough(slot: ImageSlot, target: Target, reason: str, tokens: int | None = None,
                 size: tuple[int, int] | None = None, nbytes: int | None = None) -> CompressionResult:
    return CompressionResult(
        index=slot.index, location=slot.location, technique=Technique.PRESERVE, router="none",
        original_tokens=tokens, compressed_tokens=tokens, estimated=target.estimated, reason=reason,
        original_size=size, compressed_size=size, original_bytes=nbytes, compressed_bytes=nbytes,
    )


class Pipeline:
    """Stateless apart from its cache; safe to share between threads."""

    def __init__(self, config: CompressionConfig, get_router: Any) -> None:
        self.config = config
        self._get_router = get_router
        self._cache: LRUCache[str, _Output] = LRUCache(config.cache_size)
        self._config_key = hashlib.sha256(config.cache_key().encode()).hexdigest()[:16]
        self._shared: SharedCache | None = None
        if config.shared_cache_url:
            from . import __version__

            # The version in the prefix: another release may decide or encode differently.
            self._shared = RedisCache(
                config.shared_cache_url, prefix=f"headroom:{__version__}:", ttl_s=config.shared_cache_ttl_s
            )

    def run(self, messages: Sequence[Any], target: Target, *, force: Technique | None = None) -> CompressionReport:
        t0 = time.perf_counter()
        force = force or self.config.force_technique
        slots = find_image_slots(messages)
        if not slots:
            return CompressionReport(messages=list(messages), provider=target.family, model=target.model)
        results: list[CompressionResult] = []
        replacements: dict[Any, Block] = {}
        for slot in slots:
            t1 = time.perf_counter()
            try:
                new_block, result = self._one(slot, target, force)
            except Exception as exc:  # fail open: never let one image break the request
                logger.warning("headroom: image %d (%s) left unchanged after %s: %s", slot.index, slot.location,
                               exc.__class__.__name__, _safe_message(exc))
                new_block, result = None, _passthrough(slot, target, f"error: {exc.__class__.__name__}")
            if new_block is not None:
                replacements[slot.path] = new_block
            results.append(result.model_copy(update={"duration_ms": (time.perf_counter() - t1) * 1000}))
        out = replace_blocks(messages, replacements) if replacements else list(messages)
        return CompressionReport(messages=out, results=tuple(results), provider=target.family, model=target.model,
                                 duration_ms=(time.perf_counter() - t0) * 1000)

    def _one(self, slot: ImageSlot, target: Target, force: Technique | None) -> tuple[Block | None, CompressionResult]:
        ref, config = slot.ref, self.config
        if ref.kind in ("url", "file"):
            return None, _passthrough(slot, target, "remote image or file id: not fetched")
        if ref.kind == "bytes":
            assert ref.raw is not None
            raw = ref.raw
        else:
            assert ref.data is not None
            if len(ref.data) * 3 // 4 > config.max_image_bytes:
                return None, _passthrough(slot, target, "image over max_image_bytes: passed through")
            try:
                raw = imaging.decode_base64(ref.data)
            except HeadroomError as exc:
                return None, _passthrough(slot, target, f"invalid image: {exc}")
        if len(raw) > config.max_image_bytes:
            return None, _passthrough(slot, target, "image over max_image_bytes: passed through", nbytes=len(raw))
        detail = _block_detail(slot, target)
        # Looked up before probing: a repeated image (agent loops resend every screenshot) costs
        # one hash, not a header parse.
        key = "|".join([
            hashlib.sha256(raw).hexdigest(), target.key, str(detail), slot.format.name, self._config_key,
            str(force), str(slot.answered), hashlib.sha256(slot.query.encode()).hexdigest()[:16],
        ])
        cached = self._cache.get(key)
        if cached is None:
            shared_key = hashlib.sha256(key.encode()).hexdigest() if self._shared is not None else ""
            cached = self._shared_get(shared_key)
            if cached is None:
                cached = self._decide_and_apply(slot, target, force, raw, detail)
                if self._shared is not None and not cached.transient:
                    self._shared.set(shared_key, _dump_output(cached))
            self._cache.put(key, cached)
        result = cached.result.model_copy(update={"index": slot.index, "location": slot.location})
        return _write(slot, cached), result

    def _shared_get(self, shared_key: str) -> _Output | None:
        if self._shared is None:
            return None
        data = self._shared.get(shared_key)
        return _load_output(data) if data is not None else None

    def _decide_and_apply(self, slot: ImageSlot, target: Target, force: Technique | None, raw: bytes,
                          detail: str | None) -> _Output:
        try:
            info = imaging.probe(raw, max_pixels=self.config.max_image_pixels)
        except HeadroomError as exc:
            return _Output("keep", result=_passthrough(slot, target, f"invalid image: {exc}", nbytes=len(raw)))
        count = image_tokens(target.token_model, info.width, info.height, detail)
        if info.marked:
            return _Output("keep", result=_passthrough(slot, target, "already compressed by headroom", count.tokens,
                                                       info.size, len(raw)))
        work = _Work(slot, target, self.config, raw, info, detail, count.tokens, target.estimated or count.estimated,
                     count.rejected)
        try:
            return _process(work, force, self._get_router)
        except Exception as exc:  # fail open, but keep the accounting of the image as it is sent
            logger.warning("headroom: image %d (%s) left unchanged after %s: %s", slot.index, slot.location,
                           exc.__class__.__name__, _safe_message(exc))
            return _Output("keep", result=_passthrough(slot, target, f"error: {exc.__class__.__name__}",
                                                       count.tokens, info.size, len(raw)), transient=True)


def _safe_message(exc: BaseException) -> str:
    """Exception text for logs, bounded so no payload can leak through a long message."""
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"
