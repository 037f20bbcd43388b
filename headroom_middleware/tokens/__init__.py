"""Exact per-provider, per-model token accounting (pure arithmetic, no Pillow).

Example::

    from headroom_middleware.tokens import count_image_tokens
    count_image_tokens(1024, 1024, provider="openai", model="gpt-4o", detail="high")   # 765
"""

from __future__ import annotations

from .images import ImageTokenCount, TokenModel, image_tokens
from .registry import lookup, normalise_model_name

__all__ = ["ImageTokenCount", "TokenModel", "count_image_tokens", "image_tokens", "lookup",
           "normalise_model_name"]


def count_image_tokens(
    width: int,
    height: int,
    *,
    provider: str | None = None,
    model: str,
    detail: str | None = None,
) -> int | None:
    """Image tokens billed by ``model`` for a ``width`` × ``height`` image.

    ``provider`` may be omitted when ``model`` is a LiteLLM-style string
    (``anthropic/claude-sonnet-4-5``, ``gemini/gemini-3-pro``, ``gpt-4o``). ``detail`` is the
    OpenAI detail level or the Gemini 3 media resolution. Returns ``None`` when the provider
    rejects the image (e.g. more than 30,000 patches on GPT-5.6 ``original``).

    Example::

        count_image_tokens(1920, 1080, model="anthropic/claude-sonnet-4-5")   # 1560
    """
    from ..targets import resolve_target

    target = resolve_target(provider=provider, model=model)
    return image_tokens(target.token_model, width, height, detail).tokens
