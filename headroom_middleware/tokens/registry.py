"""Which token model applies to which provider model name.

Constants as of 2026-11-25 from the provider docs (explained, with sources, in ``docs/image-tokens.md``):
OpenAI tile/patch tables from the late-2026 "Images and vision" guide (OAI-LATE26), with the
deprecated patch models' 1,536-patch budgets from the mid-2026 guide (OAI-MID26); Anthropic
tiers from the 2026 vision page (ANT-26); Gemini budgets from the media-resolution page.

A name not in the tables gets its provider family's default and ``estimated=True``.

Example::

    from headroom_middleware.tokens.registry import lookup
    spec, estimated = lookup("openai", "gpt-4o-2024-08-06")   # TileModel(85, 170), False
"""

from __future__ import annotations

import re
from fractions import Fraction

from .images import (
    ANTHROPIC_HIGH_RES,
    ANTHROPIC_STANDARD,
    UNBOUNDED_EDGE,
    Gemini2Model,
    Gemini3Model,
    PatchModel,
    TileModel,
    TokenModel,
)

# --- OpenAI tile models (OAI-LATE26; gpt-4.5 and computer-use-preview from OAI-MID26) -------
_GPT4O = TileModel(85, 170)
_TILE: dict[str, TileModel] = {
    "gpt-4o": _GPT4O,
    "chatgpt-4o-latest": _GPT4O,
    "gpt-4.1": _GPT4O,
    "gpt-4.5-preview": _GPT4O,
    "gpt-4-turbo": _GPT4O,
    "gpt-4o-mini": TileModel(2833, 5667),
    "gpt-5": TileModel(70, 140),
    "gpt-5-chat-latest": TileModel(70, 140),
    "gpt-5.1": TileModel(70, 140),
    "o1": TileModel(75, 150),
    "o1-pro": TileModel(75, 150),
    "o3": TileModel(75, 150),
    "computer-use-preview": TileModel(65, 129),
}

# --- OpenAI patch models (OAI-LATE26; deprecated ones from OAI-MID26) ----------------------
_M12 = Fraction("1.2")
_GPT56 = PatchModel(_M12, {"low": (512, None), "high": (2048, 2500), "original": (UNBOUNDED_EDGE, None)},
                    auto="original")
_GPT55 = PatchModel(_M12, {"low": (512, None), "high": (2048, 2500), "original": (6000, 10_000)},
                    auto="original")
# gpt-5.4 "low" has a 6,144-patch budget: it can cost more than "high" (docs/image-tokens.md).
_GPT54 = PatchModel(_M12, {"low": (2048, 6144), "high": (2048, 2500), "original": (6000, 10_000)})
_GPT52 = PatchModel(_M12, {"low": (2048, 6144), "high": (2048, 6144)})


def _legacy(mult: str) -> PatchModel:
    # Deprecated patch models: 1,536-patch budget; "low" is undocumented and was measured
    # to make no difference, so it is treated like "high".
    return PatchModel(Fraction(mult), {"low": (2048, 1536), "high": (2048, 1536)})


_PATCH: dict[str, PatchModel] = {
    "gpt-5.6-sol": _GPT56,
    "gpt-5.6-terra": _GPT56,
    "gpt-5.6-luna": _GPT56,
    "gpt-5.6": _GPT56,
    "gpt-5.5": _GPT55,
    "gpt-5.4": _GPT54,
    "gpt-5.4-mini": _GPT54,
    "gpt-5.4-nano": _GPT54,
    "gpt-5.2": _GPT52,
    "gpt-4.1-mini": PatchModel(Fraction("1.62"), {"low": (2048, 6144), "high": (2048, 6144)}),
    "gpt-4.1-mini@1536": _legacy("1.62"),
    "gpt-4.1-nano": _legacy("2.46"),
    "o4-mini": _legacy("1.72"),
    "gpt-5-mini": _legacy("1.2"),
    "gpt-5-nano": _legacy("1.5"),
}

# --- Anthropic high-resolution tier: "Claude 4.7 and later" (ANT-26) -----------------------
_ANTHROPIC_HIGH_RES_NAMES = {
    "claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-5", "claude-fable-5", "claude-mythos-5",
}

_GEMINI3 = Gemini3Model()
_GEMINI2 = Gemini2Model()

_DATE_SUFFIX = re.compile(r"([-@](\d{4}-\d{2}-\d{2}|\d{8}))$")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$")
_CLAUDE_VERSION = re.compile(r"claude-(?:[a-z]+-)?(\d+)(?:[-.](\d+))?")


def normalise_model_name(model: str) -> str:
    """Strip routing prefixes, Bedrock vendor/version parts and date snapshots.

    ``bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0`` → ``claude-sonnet-4-5``.
    """
    name = model.strip().lower()
    name = name.rsplit("/", 1)[-1]
    # Bedrock: optional region prefix, vendor prefix, version suffix
    name = re.sub(r"^(us|eu|apac|global|jp|au)\.", "", name)
    name = re.sub(r"^(anthropic|amazon|meta|mistral|google)\.", "", name)
    name = _BEDROCK_VERSION.sub("", name)
    if "@1536" not in name:
        name = _DATE_SUFFIX.sub("", name)
    return name


def _anthropic_tier(name: str) -> tuple[TokenModel, bool]:
    """Tier of a Claude model name and whether that is an estimate."""
    if name in _ANTHROPIC_HIGH_RES_NAMES:
        return ANTHROPIC_HIGH_RES, False
    # Older naming puts the family last (claude-3-5-sonnet); newer puts it first.
    m = _CLAUDE_VERSION.match(name)
    if not m:
        return ANTHROPIC_STANDARD, True
    version = (int(m.group(1)), int(m.group(2) or 0))
    if version >= (4, 7):
        # "Claude 4.7 and later" are high-resolution, but this name is not in a published list.
        return ANTHROPIC_HIGH_RES, True
    return ANTHROPIC_STANDARD, False


def lookup(provider: str, model: str) -> tuple[TokenModel, bool]:
    """The token model for ``model`` on ``provider`` and whether it is an estimate.

    ``provider`` is one of ``openai``, ``anthropic``, ``gemini`` (see ``targets``).
    """
    name = normalise_model_name(model)
    if provider == "openai":
        if name in _TILE:
            return _TILE[name], False
        if name in _PATCH:
            return _PATCH[name], False
        # Unknown OpenAI names: nearest family by prefix, flagged as an estimate.
        for prefix in sorted({*_TILE, *_PATCH}, key=len, reverse=True):
            if name.startswith(prefix):
                return (_TILE.get(prefix) or _PATCH[prefix]), True
        if re.match(r"gpt-(5\.[3-9]|[6-9])", name):
            return _GPT54, True
        return _GPT4O, True
    if provider == "anthropic":
        if name == "claude-legacy-formula":
            raise ValueError("the pre-2026 w*h/750 Claude formula is obsolete; not used for estimates")
        return _anthropic_tier(name)
    if provider == "gemini":
        if re.match(r"gemini-(3|4)", name):
            return _GEMINI3, False
        if re.match(r"gemini-2\.0", name):
            return _GEMINI2, False
        # Gemini 1.5 / 2.5: tiling rule undocumented (docs/image-tokens.md, open questions): 2.0 rule as estimate.
        return _GEMINI2, True
    raise ValueError(f"unknown provider {provider!r}")
