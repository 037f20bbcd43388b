"""Exact image-token arithmetic per provider and model family.

Pure integer arithmetic, no Pillow. The algorithms and every constant are explained, with the
open questions, in ``docs/image-tokens.md``; they follow the provider pages:

- OpenAI "Images and vision" guide, late-2026 version
  (https://developers.openai.com/api/docs/guides/images-vision) and the image cost calculator
  (https://developers.openai.com/api/docs/guides/image-cost-calculator);
- Anthropic vision docs (https://platform.claude.com/docs/en/build-with-claude/vision) and
  "How Claude resizes and pads images" (…/vision-coordinates), 2026;
- Google Gemini token docs (https://ai.google.dev/gemini-api/docs/tokens) and media
  resolution (https://ai.google.dev/gemini-api/docs/media-resolution), 2025–2026.

Example::

    from headroom_middleware.tokens.images import TileModel, image_tokens
    image_tokens(TileModel(85, 170), 1024, 1024, "high").tokens   # 765
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from math import isqrt


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class ImageTokenCount:
    """Billable tokens of one image, and the size the provider processes it at.

    ``tokens`` is ``None`` when the provider rejects the image (``rejected`` is then set).
    """

    tokens: int | None
    processed_size: tuple[int, int]
    rejected: bool = False
    estimated: bool = False


# ---------------------------------------------------------------------------------------------
# OpenAI tile models (gpt-4o, gpt-4.1, gpt-5, o-series): 512-px tiles after a 2048 fit and a
# 768 short-side shrink, never enlarging (OpenAI vision guide, late 2026; docs/image-tokens.md).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TileModel:
    base_tokens: int
    tile_tokens: int
    # detail levels whose count is the fixed base (only "low" for tile models)
    low_levels: frozenset[str] = frozenset({"low"})

    kind = "openai-tile"


def openai_tile_size(w: int, h: int, box: int = 2048, short: int = 768) -> tuple[int, int]:
    longest = max(w, h)
    if longest > box:
        w, h = max(1, w * box // longest), max(1, h * box // longest)
    m = min(w, h)
    if m > short:
        w, h = max(1, w * short // m), max(1, h * short // m)
    return w, h


def _tile_tokens(spec: TileModel, w: int, h: int, detail: str) -> ImageTokenCount:
    if detail in spec.low_levels:
        return ImageTokenCount(spec.base_tokens, (512, 512))
    # "high", "auto" and anything else: same sizing as high (OAI-LATE26).
    rw, rh = openai_tile_size(w, h)
    tiles = ceil_div(rw, 512) * ceil_div(rh, 512)
    return ImageTokenCount(spec.base_tokens + spec.tile_tokens * tiles, (rw, rh))


# ---------------------------------------------------------------------------------------------
# OpenAI patch models (32-px patches, optional patch budget, multiplier); docs/image-tokens.md.
# ---------------------------------------------------------------------------------------------
PATCH_REJECT_LIMIT = 30_000  # patches after processing; over this the API rejects (OAI-LATE26)
UNBOUNDED_EDGE = 65_535

# (max_edge, patch budget or None)
PatchLevel = tuple[int, int | None]


@dataclass(frozen=True)
class PatchModel:
    multiplier: Fraction
    levels: dict[str, PatchLevel] = field(hash=False)
    auto: str = "high"  # the level that "auto" / an omitted detail maps to

    kind = "openai-patch"

    def level(self, detail: str | None) -> PatchLevel:
        d = detail or "auto"
        if d == "auto":
            d = self.auto
        if d not in self.levels:
            # e.g. "original" on a model without it: the API treats it like high at best.
            d = "high" if "high" in self.levels else self.auto
        return self.levels[d]


def openai_patch_size(w: int, h: int, max_edge: int, budget: int | None) -> tuple[int, int, int]:
    """(width, height, patches) after the pixel fit and the budget shrink, before the multiplier.

    The budget shrink uses exact integer maths: floor(w*s/32) == isqrt(floor(budget*w/h)),
    so exact boundaries (2048² at 2,500 → 50 patches a side) never lose a row to float error.
    """
    longest = max(w, h)
    if longest > max_edge:
        w, h = max(1, w * max_edge // longest), max(1, h * max_edge // longest)
    patches = ceil_div(w, 32) * ceil_div(h, 32)
    if budget is None or patches <= budget:
        return w, h, patches
    fw = isqrt(budget * w // h)
    fh = isqrt(budget * h // w)
    if fw * h <= fh * w:  # the width binds
        nw, nh = 32 * fw, (32 * fw * h) // w
    else:
        nw, nh = (32 * fh * w) // h, 32 * fh
    nw, nh = max(1, nw), max(1, nh)
    return nw, nh, min(ceil_div(nw, 32) * ceil_div(nh, 32), budget)


def _patch_tokens(spec: PatchModel, w: int, h: int, detail: str | None) -> ImageTokenCount:
    max_edge, budget = spec.level(detail)
    rw, rh, patches = openai_patch_size(w, h, max_edge, budget)
    if patches > PATCH_REJECT_LIMIT:
        return ImageTokenCount(None, (rw, rh), rejected=True)
    return ImageTokenCount(math.ceil(patches * spec.multiplier), (rw, rh))


# ---------------------------------------------------------------------------------------------
# Anthropic: 28-px patches, standard / high-resolution tiers (Claude vision docs, 2026; docs/image-tokens.md).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnthropicModel:
    max_edge: int
    max_tokens: int
    max_side_px: int = 8000  # larger images are rejected (ANT-26)

    kind = "anthropic"


ANTHROPIC_STANDARD = AnthropicModel(1568, 1568)
ANTHROPIC_HIGH_RES = AnthropicModel(2576, 4784)


def anthropic_patch_tokens(w: int, h: int) -> int:
    return ceil_div(w, 28) * ceil_div(h, 28)


def anthropic_size(w: int, h: int, max_edge: int, max_tokens: int) -> tuple[int, int]:
    """The size Claude resizes an image to: Anthropic's published binary search on the long
    edge, short side = round(long / aspect) with ties to even (Python's round), minimum 1."""

    def fits(a: int, b: int) -> bool:
        return (
            ceil_div(a, 28) * 28 <= max_edge
            and ceil_div(b, 28) * 28 <= max_edge
            and anthropic_patch_tokens(a, b) <= max_tokens
        )

    if fits(w, h):
        return w, h
    if h > w:
        rh, rw = anthropic_size(h, w, max_edge, max_tokens)
        return rw, rh
    aspect = w / h
    lo, hi = 1, w
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if fits(mid, max(round(mid / aspect), 1)):
            lo = mid
        else:
            hi = mid
    return lo, max(round(lo / aspect), 1)


def _anthropic_tokens(spec: AnthropicModel, w: int, h: int) -> ImageTokenCount:
    if max(w, h) > spec.max_side_px:
        return ImageTokenCount(None, (w, h), rejected=True)
    rw, rh = anthropic_size(w, h, spec.max_edge, spec.max_tokens)
    return ImageTokenCount(anthropic_patch_tokens(rw, rh), (rw, rh))


# ---------------------------------------------------------------------------------------------
# Google Gemini (token counting and media resolution docs; docs/image-tokens.md).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gemini2Model:
    """Gemini 2.x: 258 tokens when both sides ≤ 384, else 258 per 768-px tile (literal reading
    of the docs; the exact crop/scale rule is undocumented, so counts are flagged estimated
    for sizes above 384 px)."""

    kind = "gemini-2"


@dataclass(frozen=True)
class Gemini3Model:
    """Gemini 3+: a fixed budget per media_resolution level, independent of image size."""

    budgets: dict[str, int] = field(
        default_factory=lambda: {"low": 280, "medium": 560, "high": 1120, "ultra_high": 2240},
        hash=False,
    )
    default_level: str = "high"  # MEDIA_RESOLUTION_UNSPECIFIED = HIGH for images

    kind = "gemini-3"


def _gemini2_tokens(w: int, h: int) -> ImageTokenCount:
    if w <= 384 and h <= 384:
        return ImageTokenCount(258, (w, h))
    return ImageTokenCount(258 * ceil_div(w, 768) * ceil_div(h, 768), (w, h), estimated=True)


def normalise_gemini_level(detail: str | None) -> str | None:
    """'MEDIA_RESOLUTION_LOW' / 'low' / 'LOW' → 'low'; unknown or unspecified → None."""
    if not detail:
        return None
    d = detail.lower().removeprefix("media_resolution_")
    return d if d in ("low", "medium", "high", "ultra_high") else None


def _gemini3_tokens(spec: Gemini3Model, w: int, h: int, detail: str | None) -> ImageTokenCount:
    level = normalise_gemini_level(detail) or spec.default_level
    return ImageTokenCount(spec.budgets[level], (w, h))


TokenModel = TileModel | PatchModel | AnthropicModel | Gemini2Model | Gemini3Model


def image_tokens(spec: TokenModel, width: int, height: int, detail: str | None = None) -> ImageTokenCount:
    """Tokens billed for a ``width`` × ``height`` image under ``spec`` at ``detail``.

    ``detail`` is OpenAI's ``detail`` for OpenAI models and the media-resolution level for
    Gemini 3; Anthropic and Gemini 2 ignore it.

    Example::

        image_tokens(ANTHROPIC_STANDARD, 1920, 1080).tokens   # 1560 (resized to 1456×819)
    """
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    if isinstance(spec, TileModel):
        return _tile_tokens(spec, width, height, detail or "auto")
    if isinstance(spec, PatchModel):
        return _patch_tokens(spec, width, height, detail)
    if isinstance(spec, AnthropicModel):
        return _anthropic_tokens(spec, width, height)
    if isinstance(spec, Gemini2Model):
        return _gemini2_tokens(width, height)
    return _gemini3_tokens(spec, width, height, detail)
