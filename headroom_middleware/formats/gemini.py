"""Google Gemini parts: ``{"inlineData": {"mimeType", "data"}}`` (or snake_case
``inline_data``/``mime_type``), ``fileData`` (not fetched), and a per-part
``mediaResolution: {"level": "MEDIA_RESOLUTION_LOW"}`` (Gemini 3)."""

from __future__ import annotations

from .base import Block, ImageRef


class GeminiImage:
    name = "gemini"

    def match(self, block: Block) -> bool:
        for key in ("inlineData", "inline_data"):
            inner = block.get(key)
            if isinstance(inner, dict):
                mt = inner.get("mimeType") or inner.get("mime_type") or ""
                return str(mt).startswith("image/")
        for key in ("fileData", "file_data"):
            inner = block.get(key)
            if isinstance(inner, dict):
                mt = inner.get("mimeType") or inner.get("mime_type") or ""
                return str(mt).startswith("image/")
        return False

    @staticmethod
    def _level(block: Block) -> str | None:
        mr = block.get("mediaResolution") or block.get("media_resolution")
        if isinstance(mr, dict):
            level = mr.get("level")
            return str(level) if level else None
        return str(mr) if isinstance(mr, str) else None

    def read(self, block: Block) -> ImageRef:
        level = self._level(block)
        for key in ("inlineData", "inline_data"):
            inner = block.get(key)
            if isinstance(inner, dict) and isinstance(inner.get("data"), str):
                mt = inner.get("mimeType") or inner.get("mime_type")
                return ImageRef("base64", media_type=mt, data=inner["data"], detail=level)
        return ImageRef("file", detail=level)

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        key = "inlineData" if "inlineData" in block else "inline_data"
        inner = dict(block[key])
        inner["data"] = b64
        inner["mimeType" if "mimeType" in inner or key == "inlineData" else "mime_type"] = media_type
        return {**block, key: inner}

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        snake = "inline_data" in block or "file_data" in block
        key = "media_resolution" if snake else "mediaResolution"
        new = {k: v for k, v in block.items() if k not in ("mediaResolution", "media_resolution")}
        new[key] = {"level": f"MEDIA_RESOLUTION_{detail.upper()}"}
        return new

    def text_block(self, block: Block, text: str) -> Block:
        return {"text": text}


FORMAT = GeminiImage()
