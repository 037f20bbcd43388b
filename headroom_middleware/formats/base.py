"""What every wire-format module provides: recognise an image block, read it, rebuild it.

Each format module exposes one :class:`BlockFormat`; ``walk.py`` is the only place that
walks message lists and dispatches blocks to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

Block = dict[str, Any]


@dataclass(frozen=True)
class ImageRef:
    """Where an image block's pixels are.

    ``kind`` is ``"base64"`` (``data`` holds the base64 text), ``"bytes"`` (``raw`` holds raw
    bytes, as boto3 passes Bedrock images), ``"url"`` (a remote URL, not fetched) or
    ``"file"`` (a provider file id, not fetched). ``detail`` is the OpenAI detail or the
    Gemini media-resolution level set on the block, if any.
    """

    kind: Literal["base64", "bytes", "url", "file"]
    media_type: str | None = None
    data: str | None = None
    raw: bytes | None = None
    url: str | None = None
    detail: str | None = None


class BlockFormat(Protocol):
    """One wire format's image block."""

    name: str

    def match(self, block: Block) -> bool: ...

    def read(self, block: Block) -> ImageRef: ...

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        """A new block with these pixels; every other field kept."""
        ...

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        """A new block with this detail level for a target of model ``family`` ("openai",
        "anthropic", "gemini"), or None when the format cannot carry one to that target."""
        ...

    def text_block(self, block: Block, text: str) -> Block:
        """A text block of this format to stand in for ``block`` (keeps cache_control)."""
        ...


def ref_from_url(url: str, detail: str | None = None) -> ImageRef:
    """An ImageRef for a ``data:`` URL (base64) or a remote URL (not fetched)."""
    from ..imaging import parse_data_url

    parsed = parse_data_url(url)
    if parsed:
        return ImageRef("base64", media_type=parsed[0], data=parsed[1], detail=detail)
    return ImageRef("url", url=url, detail=detail)


def data_url(media_type: str, b64: str) -> str:
    return f"data:{media_type};base64,{b64}"


def keep_cache_control(old: Block, new: Block) -> Block:
    """Carry Anthropic-style prompt-cache breakpoints over to a replacement block."""
    if "cache_control" in old:
        new["cache_control"] = old["cache_control"]
    return new
