"""Bedrock Converse: ``{"image": {"format": "png", "source": {"bytes": …}}}``.

boto3 callers pass raw ``bytes``; JSON callers (LiteLLM, HTTP) pass base64 text. The output
keeps whichever the caller used.
"""

from __future__ import annotations

from .base import Block, ImageRef

_FORMATS = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
            "webp": "image/webp"}


class BedrockImage:
    name = "bedrock"

    def match(self, block: Block) -> bool:
        img = block.get("image")
        return isinstance(img, dict) and isinstance(img.get("source"), dict)

    def read(self, block: Block) -> ImageRef:
        img = block["image"]
        mt = _FORMATS.get(str(img.get("format", "")).lower())
        payload = img["source"].get("bytes")
        if isinstance(payload, (bytes, bytearray)):
            return ImageRef("bytes", media_type=mt, raw=bytes(payload))
        if isinstance(payload, str):
            return ImageRef("base64", media_type=mt, data=payload)
        return ImageRef("file")  # s3Location and friends: not fetched

    def with_image(self, block: Block, b64: str, media_type: str) -> Block:
        img = block["image"]
        fmt = media_type.split("/", 1)[1]
        old = img["source"].get("bytes")
        if isinstance(old, (bytes, bytearray)):
            import base64

            payload: object = base64.b64decode(b64)
        else:
            payload = b64
        return {**block, "image": {**img, "format": fmt, "source": {**img["source"], "bytes": payload}}}

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        return None

    def text_block(self, block: Block, text: str) -> Block:
        return {"text": text}


FORMAT = BedrockImage()
