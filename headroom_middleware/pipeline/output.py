"""What is written for one image: the output record, its shared-cache form, and the block rebuild."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from ..formats.base import Block
from ..formats.walk import ImageSlot
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


def load_output(data: bytes) -> Output | None:
    """The output stored by another worker, or None when the entry is unreadable (then compress again)."""
    try:
        doc = json.loads(data)
        if doc["kind"] not in OUTPUT_KINDS:
            raise ValueError("unknown output kind")
        return Output(kind=doc["kind"], b64=doc["b64"], media_type=doc["media_type"], detail=doc["detail"],
                      text=doc["text"], result=CompressionResult.model_validate(doc["result"]))
    except Exception as exc:
        logger.warning("headroom: unreadable shared-cache entry ignored (%s)", exc.__class__.__name__)
        return None


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
