"""OpenAI Responses API: ``{"type": "input_image", "image_url": "data:…", "detail": "auto"}``
(or ``file_id``)."""

from __future__ import annotations

from .base import Block, ImageRef, data_url, ref_from_url


class OpenAIResponsesImage:
    name = "openai_responses"

    def match(self, block: Block) -> bool:
        return block.get("type") == "input_image"

    def read(self, block: Block) -> ImageRef:
        url = block.get("image_url")
        detail = block.get("detail")
        if isinstance(url, str):
            return ref_from_url(url, detail)
        return ImageRef("file", detail=detail)

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        new = {**block, "image_url": data_url(media_type, b64)}
        new.pop("file_id", None)
        return new

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        return {**block, "detail": detail}

    def text_block(self, block: Block, text: str) -> Block:
        return {"type": "input_text", "text": text}


FORMAT = OpenAIResponsesImage()
