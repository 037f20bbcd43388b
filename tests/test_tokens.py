"""Every vector of tests/data/image-token-vectors.json (see docs/image-tokens.md), plus target resolution."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from headroom_middleware import count_image_tokens
from headroom_middleware.errors import ConfigError
from headroom_middleware.targets import resolve_target
from headroom_middleware.tokens import image_tokens, lookup
from headroom_middleware.tokens.images import ANTHROPIC_STANDARD, anthropic_size

VECTORS = json.loads((Path(__file__).parent / "data" / "image-token-vectors.json").read_text())


def _id(v: dict) -> str:
    return f"{v['provider']}-{v['model']}-{v['width']}x{v['height']}-{v['detail']}"


@pytest.mark.parametrize("v", [v for v in VECTORS if v["model"] != "claude-legacy-formula"], ids=_id)
def test_spec_vector(v: dict) -> None:
    provider = {"google": "gemini"}.get(v["provider"], v["provider"])
    spec, _ = lookup(provider, v["model"])
    got = image_tokens(spec, v["width"], v["height"], v["detail"])
    assert got.tokens == v["tokens"]
    assert got.rejected == bool(v.get("rejected"))


@pytest.mark.parametrize("v", [v for v in VECTORS if v["model"] == "claude-legacy-formula"], ids=_id)
def test_legacy_claude_rows_are_refused_for_estimates(v: dict) -> None:
    # The obsolete w*h/750 rows are only kept in the spec for old examples; we must not use them.
    assert v["tokens"] == math.ceil(v["width"] * v["height"] / 750)
    with pytest.raises(ValueError):
        lookup("anthropic", "claude-legacy-formula")


def test_vector_count() -> None:
    assert len(VECTORS) == 316


@pytest.mark.parametrize(
    ("model", "family", "name", "estimated"),
    [
        ("gpt-4o", "openai", "gpt-4o", False),
        ("openai/gpt-4o-2024-08-06", "openai", "gpt-4o", False),
        ("azure/gpt-4.1", "openai", "gpt-4.1", False),
        ("anthropic/claude-sonnet-4-5-20250929", "anthropic", "claude-sonnet-4-5", False),
        ("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", "claude-sonnet-4-5", False),
        ("vertex_ai/claude-opus-4-7", "anthropic", "claude-opus-4-7", False),
        ("gemini/gemini-3-pro", "gemini", "gemini-3-pro", False),
        ("vertex_ai/gemini-2.0-flash", "gemini", "gemini-2.0-flash", False),
        ("gemini/gemini-2.5-pro", "gemini", "gemini-2.5-pro", True),
        ("gpt-6-preview", "openai", "gpt-6-preview", True),
        ("claude-opus-4-9", "anthropic", "claude-opus-4-9", True),
    ],
)
def test_resolve_target(model: str, family: str, name: str, estimated: bool) -> None:
    t = resolve_target(model=model)
    assert (t.family, t.model, t.estimated) == (family, name, estimated)


def test_route_limits() -> None:
    assert resolve_target(model="bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0").max_image_bytes == 5 * 1024 * 1024
    assert resolve_target(model="gpt-4o").max_image_bytes is None


def test_unknown_model_needs_provider() -> None:
    with pytest.raises(ConfigError):
        resolve_target(model="llama-3-70b")
    with pytest.raises(ConfigError):
        resolve_target(provider="nope", model="x")


def test_count_image_tokens_public() -> None:
    assert count_image_tokens(1024, 1024, model="gpt-4o", detail="high") == 765
    assert count_image_tokens(1920, 1080, model="anthropic/claude-sonnet-4-5") == 1560
    assert count_image_tokens(4032, 3024, provider="openai", model="gpt-5.6-luna") == 14364
    assert count_image_tokens(6000, 6000, model="gpt-5.6-luna", detail="original") is None
    assert count_image_tokens(800, 500, model="gpt-4o", detail="high") == 425  # never enlarged


def test_anthropic_doc_resize_sizes() -> None:
    # ANT-26 / ANT-COORD sizes; the doc table's 1269x952 is 1 px off its own reference code.
    assert anthropic_size(1920, 1080, ANTHROPIC_STANDARD.max_edge, ANTHROPIC_STANDARD.max_tokens) == (1456, 819)
    assert anthropic_size(1075, 1520, 1568, 1568) == (924, 1307)
    w, h = anthropic_size(2000, 1500, 1568, 1568)
    assert abs(w - 1269) <= 1 and h == 952
