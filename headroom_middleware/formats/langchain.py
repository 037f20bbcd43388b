"""LangChain content blocks inside ``{"role", "content"}`` dicts (no LangChain import).

- v1 standard blocks: ``{"type": "image", "base64": …, "mime_type": …}`` or ``"url"``/``"file_id"``;
- legacy data blocks: ``{"type": "image", "source_type": "base64", "data": …, "mime_type": …}``.

OpenAI-style ``image_url`` blocks in LangChain messages are handled by ``openai_chat``.
"""

from __future__ import annotations

from .base import Block, ImageRef, ref_from_url


class LangChainImage:
    name = "langchain"

    def match(self, block: Block) -> bool:
        return block.get("type") == "image" and not isinstance(block.get("source"), dict)

    def read(self, block: Block) -> ImageRef:
        detail = None
        extras = block.get("extras")
        if isinstance(extras, dict) and isinstance(extras.get("detail"), str):
            detail = extras["detail"]
        mt = block.get("mime_type")
        if block.get("source_type") == "base64" and isinstance(block.get("data"), str):
            return ImageRef("base64", media_type=mt, data=block["data"], detail=detail)
        if isinstance(block.get("base64"), str):
            return ImageRef("base64", media_type=mt, data=block["base64"], detail=detail)
        url = block.get("url")
        if isinstance(url, str):
            return ref_from_url(url, detail)
        return ImageRef("file", detail=detail)

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        if block.get("source_type") in ("base64", "url"):
            new = {k: v for k, v in block.items() if k != "url"}
            return {**new, "source_type": "base64", "data": b64, "mime_type": media_type}
        new = {k: v for k, v in block.items() if k not in ("url", "file_id")}
        return {**new, "base64": b64, "mime_type": media_type}

    def with_detail(self, block: Block, detail: str) -> Block | None:
        return None  # how a detail reaches the provider is the adapter's business

    def text_block(self, block: Block, text: str) -> Block:
        return {"type": "text", "text": text}


FORMAT = LangChainImage()
