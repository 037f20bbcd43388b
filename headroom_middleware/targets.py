"""Resolve a target ("provider/model" or provider + model) to what the pipeline needs.

The *target* decides how a technique is applied, whatever the wire format of the block: an
OpenAI-format ``image_url`` sent through LiteLLM to ``anthropic/claude-…`` is resized, not
given ``detail: "low"`` (which Anthropic ignores).

Example::

    from headroom_middleware.targets import resolve_target
    t = resolve_target(model="bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    t.family, t.model, t.max_image_bytes   # ('anthropic', 'claude-sonnet-4-5', 5242880)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .errors import ConfigError
from .tokens.images import (
    AnthropicModel,
    Gemini2Model,
    Gemini3Model,
    PatchModel,
    TileModel,
    TokenModel,
    image_tokens,
)
from .tokens.registry import lookup, normalise_model_name

Family = Literal["openai", "anthropic", "gemini"]

_PROVIDER_ALIASES: dict[str, str] = {
    "openai": "openai",
    "azure": "openai",
    "azure_ai": "openai",
    "azure_openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "claude": "anthropic",
    "gemini": "gemini",
    "google": "gemini",
    "vertex_ai": "vertex_ai",
    "vertex_ai_beta": "vertex_ai",
    "bedrock": "bedrock",
    "bedrock_converse": "bedrock",
    "amazon_bedrock": "bedrock",
    # LangSmith ``ls_provider`` names used by LangChain chat models
    "google_genai": "gemini",
    "google_vertexai": "vertex_ai",
    "vertexai": "vertex_ai",
}
"""Every provider name and alias (LiteLLM prefixes, LangSmith ``ls_provider`` values) to its route."""


def provider_route(name: str) -> str | None:
    """The route (``openai``, ``anthropic``, ``gemini``, ``vertex_ai``, ``bedrock``) of a provider name
    or alias, or None when the name is unknown.

    Example::

        provider_route("azure_openai"), provider_route("google_genai")   # ("openai", "gemini")
    """
    return _PROVIDER_ALIASES.get(name.strip().lower())

MB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    """A resolved target model."""

    family: Family
    route: str  # "openai", "anthropic", "gemini", "vertex_ai", "bedrock": where limits differ
    model: str  # normalised model name
    raw_model: str
    token_model: TokenModel
    estimated: bool

    @property
    def key(self) -> str:
        return f"{self.route}:{self.model}"

    @property
    def max_image_bytes(self) -> int | None:
        """Per-image encoded byte limit the target enforces (docs/image-tokens.md, "Limits"); for Anthropic
        the pipeline uses ``CompressionConfig.anthropic_max_image_bytes`` (default the same 5 MB)."""
        if self.family == "anthropic":
            # 5 MB on Bedrock / Vertex; the direct API allows 10 MB of base64 (≈ 7.5 MB raw),
            # we stay at 5 MB raw there too, which is under both.
            return 5 * MB
        if self.family == "gemini":
            return 20 * MB  # inline request limit (2025 docs); larger go through the Files API
        return None

    @property
    def uses_detail(self) -> bool:
        """OpenAI models take ``detail``; Gemini 3 takes it too through LiteLLM (→ media_resolution)."""
        return self.family == "openai" or isinstance(self.token_model, Gemini3Model)

    @property
    def low_detail_is_cheapest(self) -> bool:
        """Whether ``detail: "low"`` is the cheapest form (tile models, GPT-5.5/5.6, Gemini 3)."""
        tm = self.token_model
        if isinstance(tm, (TileModel, Gemini3Model)):
            return True
        if isinstance(tm, PatchModel):
            edge, budget = tm.level("low")
            return budget is None and edge <= 512
        return False

    @property
    def full_low_edge(self) -> int:
        """Long edge (px) that ``full_low`` resizes to when pixels must change.

        Anthropic: 512 px ≈ 19×14 patches (266 tokens for 4:3) against up to 1,568.
        OpenAI patch models: 512 px is what GPT-5.5/5.6 'low' does. Gemini 2: 384 px is one tile.
        """
        if isinstance(self.token_model, Gemini2Model):
            return 384
        return 512

    @property
    def patch_unit(self) -> int | None:
        """Grid size of the provider's token units, for boundary trims on ``preserve``."""
        tm = self.token_model
        if isinstance(tm, TileModel):
            return 512
        if isinstance(tm, PatchModel):
            return 32
        if isinstance(tm, AnthropicModel):
            return 28
        if isinstance(tm, Gemini2Model):
            return 768
        return None


def _family_of_bare(model: str) -> str:
    m = normalise_model_name(model)
    if m.startswith(("gpt-", "chatgpt", "o1", "o3", "o4", "computer-use")):
        return "openai"
    if m.startswith("claude"):
        return "anthropic"
    if m.startswith("gemini"):
        return "gemini"
    raise ConfigError(
        f"cannot tell the provider of model {model!r}; pass provider='openai'|'anthropic'|'gemini'"
    )


#: Longest provider or model name accepted. Real names are under 100 characters; the bound keeps
#: the memo below small (512 entries of 1 MB names held 1.5 GB).
MAX_NAME_CHARS = 256


def _check_name(what: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise ConfigError(f"{what} must be a string, not {type(value).__name__}")
    if len(value) > MAX_NAME_CHARS:
        raise ConfigError(f"{what} name longer than {MAX_NAME_CHARS} characters")


def resolve_target(*, provider: str | None = None, model: str | None = None) -> Target:
    """Resolve ``provider``/``model`` (LiteLLM-style strings accepted) to a :class:`Target`.

    Raises :class:`~headroom_middleware.errors.ConfigError` when the model family is unknown or an
    argument is not a string of reasonable length.
    """
    _check_name("provider", provider)
    _check_name("model", model)
    return _resolve(provider=provider, model=model)


@lru_cache(maxsize=512)
def _resolve(*, provider: str | None, model: str | None) -> Target:
    raw = (model or "").strip()
    route: str | None = None
    if "/" in raw:
        route = provider_route(raw.split("/", 1)[0])
    if provider:
        route = provider_route(provider)
        if route is None:
            raise ConfigError(f"unknown provider {provider!r}")
    if not raw:
        defaults = {"openai": "gpt-4o", "anthropic": "claude-sonnet-4-5", "gemini": "gemini-3-pro"}
        if route not in defaults:
            raise ConfigError("pass model= (e.g. 'gpt-4o', 'anthropic/claude-sonnet-4-5')")
        raw = defaults[route]
        estimated_default = True
    else:
        estimated_default = False
    family: str
    if route in ("openai", "anthropic", "gemini"):
        family = route
    elif route in ("bedrock", "vertex_ai"):
        family = _family_of_bare(raw)
    else:
        family = _family_of_bare(raw)
        route = family
    token_model, estimated = lookup(family, raw)
    return Target(
        family=family,  # type: ignore[arg-type]
        route=route,
        model=normalise_model_name(raw),
        raw_model=model or raw,
        token_model=token_model,
        estimated=estimated or estimated_default,
    )


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
    target = resolve_target(provider=provider, model=model)
    return image_tokens(target.token_model, width, height, detail).tokens
