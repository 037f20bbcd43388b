"""Exact per-provider, per-model token accounting (pure arithmetic, no Pillow).

This package knows token models, not targets: resolving ``provider``/``model`` strings lives in
:mod:`headroom_middleware.targets`, which builds on it (``headroom_middleware.count_image_tokens``).

Example::

    from headroom_middleware.tokens import image_tokens, lookup
    model, _estimated = lookup("openai", "gpt-4o")
    image_tokens(model, 1024, 1024, "high").tokens   # 765
"""

from __future__ import annotations

from .images import ImageTokenCount, TokenModel, image_tokens
from .registry import lookup, normalise_model_name

__all__ = ["ImageTokenCount", "TokenModel", "image_tokens", "lookup", "normalise_model_name"]
