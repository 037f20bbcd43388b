"""OpenAI Chat Completions: ``{"type": "image_url", "image_url": {"url", "detail"}}``.

The URL is a ``data:`` URL (base64) or a remote URL; ``image_url`` may also be a bare string.
"""

from __future__ import annotations

from typing import Any

from .base import Block, ImageRef, data_url, ref_from_url


class OpenAIChatImage:
    name = "openai_chat"

    def match(self, block: Block) -> bool:
        return block.get("type") == "image_url" and "image_url" in block

    @staticmethod
    def _inner(block: Block) -> dict[str, Any]:
        iu = block.get("image_url")
        return iu if isinstance(iu, dict) else {"url": iu}

    def read(self, block: Block) -> ImageRef:
        inner = self._inner(block)
        url = inner.get("url")
        detail = inner.get("detail")
        if isinstance(url, str):
            return ref_from_url(url, detail)
        return ImageRef("url", url=None, detail=detail)

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        url = data_url(media_type, b64)
        if isinstance(block.get("image_url"), str):  # keep the caller's shape
            return {**block, "image_url": url}
        return {**block, "image_url": {**self._inner(block), "url": url}}

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        if isinstance(block.get("image_url"), str):
            return None  # a bare string has nowhere to put detail; the image is resized instead
        return {**block, "image_url": {**self._inner(block), "detail": detail}}

    def text_block(self, block: Block, text: str) -> Block:
        return {"type": "text", "text": text}


FORMAT = OpenAIChatImage()
