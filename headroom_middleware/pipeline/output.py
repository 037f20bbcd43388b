"""What is written for one image: the output record, its shared-cache form, and the block rebuild."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from .. import imaging
from ..formats.base import Block
from ..formats.walk import OCR_PREFIX, ImageSlot
from ..targets import Target
from ..types import CompressionResult, Technique

logger = logging.getLogger("headroom_middleware")

OUTPUT_KINDS = frozenset({"keep", "image", "detail", "image+detail", "text"})


@dataclass(frozen=True)
class Output:
    """What to write for one image (cached per content hash + target + query + config)."""

    kind: str  # one of OUTPUT_KINDS
    b64: str | None = None
    media_type: str | None = None
    detail: str | None = None
    text: str | None = None
    result: CompressionResult = field(default_factory=lambda: CompressionResult(index=0, technique=Technique.PRESERVE))
    # Shaped by a failure that may not recur (OCR timeout, an exception): cached in this process, whose
    # LRU is bounded, but not shared with the fleet for a day.
    transient: bool = False


def with_result(out: Output, **update: Any) -> Output:
    """``out`` with some fields of its result replaced."""
    return replace(out, result=out.result.model_copy(update=update))


def dump_output(out: Output) -> bytes:
    """Serialise an output for the shared cache (sorted keys: the same output, the same bytes)."""
    doc = {
        "kind": out.kind, "b64": out.b64, "media_type": out.media_type, "detail": out.detail, "text": out.text,
        "result": out.result.model_dump(mode="json"),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_output(data: bytes) -> Output:
    """The output stored by another worker; ValueError (or KeyError/TypeError) when it is not coherent."""
    doc = json.loads(data)
    out = Output(kind=doc["kind"], b64=doc["b64"], media_type=doc["media_type"], detail=doc["detail"],
                 text=doc["text"], result=CompressionResult.model_validate(doc["result"]))
    check_output(out)
    return out


# Which techniques may produce which kind of output (anything else in a shared entry is rejected).
_KIND_TECHNIQUES = {
    "keep": frozenset(Technique),
    "image": frozenset({Technique.PRESERVE, Technique.CROP, Technique.FULL_LOW}),
    "detail": frozenset({Technique.FULL_LOW}),
    "image+detail": frozenset({Technique.FULL_LOW}),
    "text": frozenset({Technique.TRANSCODE}),
}
assert set(_KIND_TECHNIQUES) == OUTPUT_KINDS


def check_output(out: Output) -> None:
    """Defence in depth for shared entries (they are also HMAC-authenticated): the kind matches the
    technique, text is OCR text, and an image is a decodable image this library encoded."""
    technique = out.result.technique
    if technique not in _KIND_TECHNIQUES.get(out.kind, frozenset()):
        raise ValueError(f"kind {out.kind!r} does not match technique {technique.value}")
    if out.kind == "keep":
        if out.result.changed or out.b64 is not None or out.text is not None:
            raise ValueError("a kept image with replacement content")
        return
    if out.kind == "text":
        if not isinstance(out.text, str) or not out.text.startswith(OCR_PREFIX) or out.b64 is not None:
            raise ValueError("text output that is not OCR text")
        return
    if out.kind in ("detail", "image+detail") and out.detail != "low":
        raise ValueError("unexpected detail value")
    if out.kind in ("image", "image+detail"):
        if not isinstance(out.b64, str):
            raise ValueError("image output without data")
        info = imaging.probe(imaging.decode_base64(out.b64))
        if not info.marked or imaging.media_type_for(info.format) != out.media_type:
            raise ValueError("image not encoded by headroom-middleware")
        if out.result.compressed_size is not None and info.size != tuple(out.result.compressed_size):
            raise ValueError("image size does not match its result")


def write_block(slot: ImageSlot, out: Output, target: Target) -> Block | None:
    """The block to send instead of ``slot.block``, or None to keep it as it is."""
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
        new = fmt.with_detail(new, out.detail, target.family) or new
    return new


def passthrough(slot: ImageSlot, target: Target, reason: str, tokens: int | None = None,
                size: tuple[int, int] | None = None, nbytes: int | None = None) -> CompressionResult:
    """The result of an image sent unchanged without being routed."""
    return CompressionResult(
        index=slot.index, location=slot.location, technique=Technique.PRESERVE, router="none",
        original_tokens=tokens, compressed_tokens=tokens, estimated=target.estimated, reason=reason,
        original_size=size, compressed_size=size, original_bytes=nbytes, compressed_bytes=nbytes,
    )
