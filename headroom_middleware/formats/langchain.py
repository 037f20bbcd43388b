"""LangChain content blocks inside ``{"role", "content"}`` dicts (no LangChain import).

- v1 standard blocks: ``{"type": "image", "base64": …, "mime_type": …}`` or ``"url"``/``"file_id"``;
- legacy data blocks: ``{"type": "image", "source_type": "base64", "data": …, "mime_type": …}``.

OpenAI-style ``image_url`` blocks in LangChain messages are handled by ``openai_chat``.

A LangChain block has no ``detail`` field that reaches OpenAI: langchain-openai rewrites it to
``{"type": "image_url", "image_url": {"url": …}}`` and drops every other key
(``langchain_core.messages.block_translators.openai.convert_to_openai_image_block``). So for an
OpenAI target, :meth:`LangChainImage.with_detail` emits that native ``image_url`` block itself,
with the detail, which langchain-openai passes through untouched.
"""

from __future__ import annotations

from typing import Any

from .base import Block, ImageRef, data_url, ref_from_url


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

    def with_detail(self, block: Block, detail: str, family: str) -> Block | None:
        if family != "openai":
            return None  # other providers' LangChain integrations have no per-image detail
        native = openai_image_url_block(block)
        if native is None:
            return None
        native["image_url"]["detail"] = detail
        return native

    def text_block(self, block: Block, text: str) -> Block:
        return {"type": "text", "text": text}


def openai_image_url_block(block: Block) -> dict[str, Any] | None:
    """The ``image_url`` block langchain-openai would send for a LangChain image block, or None for
    a block it cannot express that way (file ids).

    Example::

        openai_image_url_block({"type": "image", "base64": "iVBOR...", "mime_type": "image/png"})
        # {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR..."}}
    """
    ref = FORMAT.read(block)
    if ref.kind == "base64" and isinstance(ref.media_type, str) and ref.data is not None:
        url = data_url(ref.media_type, ref.data)
    elif ref.kind == "url" and ref.url is not None:
        url = ref.url
    else:
        return None
    inner: dict[str, Any] = {"url": url}
    detail = block.get("detail", ref.detail)
    if isinstance(detail, str):
        inner["detail"] = detail
    native: dict[str, Any] = {"type": "image_url", "image_url": inner}
    # langchain-openai carries an OpenAI prompt-cache breakpoint (on the block, else in extras)
    # over to the block it sends; so does this.
    extras = block.get("extras")
    if "prompt_cache_breakpoint" in block:
        native["prompt_cache_breakpoint"] = block["prompt_cache_breakpoint"]
    elif isinstance(extras, dict) and "prompt_cache_breakpoint" in extras:
        native["prompt_cache_breakpoint"] = extras["prompt_cache_breakpoint"]
    return native


FORMAT = LangChainImage()
