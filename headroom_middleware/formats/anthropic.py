"""Anthropic Messages: ``{"type": "image", "source": {"type": "base64", "media_type", "data"}}``
(also ``url`` and ``file`` sources; also found inside ``tool_result`` content)."""

from __future__ import annotations

from .base import Block, ImageRef, keep_cache_control


class AnthropicImage:
    name = "anthropic"

    def match(self, block: Block) -> bool:
        return block.get("type") == "image" and isinstance(block.get("source"), dict)

    def read(self, block: Block) -> ImageRef:
        src = block["source"]
        kind = src.get("type")
        if kind == "base64" and isinstance(src.get("data"), str):
            return ImageRef("base64", media_type=src.get("media_type"), data=src["data"])
        if kind == "url":
            return ImageRef("url", url=src.get("url"))
        return ImageRef("file")

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        src = {k: v for k, v in block["source"].items() if k not in ("url", "file_id")}
        return {**block, "source": {**src, "type": "base64", "media_type": media_type, "data": b64}}

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        return None  # Claude has no detail levels: only pixels count

    def text_block(self, block: Block, text: str) -> Block:
        return keep_cache_control(block, {"type": "text", "text": text})


FORMAT = AnthropicImage()
