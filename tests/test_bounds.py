"""The work one request can cause is bounded, and every argument error is a typed HeadroomError.

In-process unit tests of each bound; ``test_hostile.py`` runs the same inputs at full size in
memory-capped child processes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hostile_cases import flat_png, many_page_tiff
from images import data_url, photo
from PIL import TiffImagePlugin

from headroom_middleware import CompressionConfig, ImageCompressor, Technique, imaging
from headroom_middleware.errors import ConfigError, HeadroomError, ImageTooLargeError
from headroom_middleware.formats.walk import find_image_slots
from headroom_middleware.targets import MAX_NAME_CHARS, resolve_target


def _request(url: str, question: str = "What is in this picture?") -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": question},
                                         {"type": "image_url", "image_url": {"url": url}}]}]


def _nested(levels: int, leaf: dict[str, Any]) -> list[dict[str, Any]]:
    block = leaf
    for _ in range(levels):
        block = {"type": "tool_result", "tool_use_id": "t", "content": [block]}
    return [{"role": "user", "content": [{"type": "text", "text": "Describe the screenshot."}, block]}]


# -- pixels ------------------------------------------------------------------------------------
def test_png_over_the_decode_budget_passes_through_without_decoding() -> None:
    c = ImageCompressor(CompressionConfig(router="rules", max_decode_pixels=1_000_000))
    png = flat_png(2000, 1000)
    report = c.compress_with_report(_request("data:image/png;base64," + imaging.encode_base64(png)), model="gpt-4o")
    (r,) = report.results
    assert "max_decode_pixels" in r.reason and not r.changed
    assert r.original_size == (2000, 1000) and r.original_tokens  # still accounted


def test_jpeg_over_the_decode_budget_is_decoded_at_reduced_scale() -> None:
    # 4.3 MP over a 1.2 MP budget: routing and full_low need >= 768 px, decoded at 1/2 scale (1.08 MP)
    c = ImageCompressor(CompressionConfig(router="rules", max_decode_pixels=1_200_000))
    msgs = _request(data_url(photo(2400, 1800, seed=3), "JPEG", quality=85), "Describe this photo in general.")
    (r,) = c.compress_with_report(msgs, model="gpt-4o", force_technique="full_low").results
    assert r.technique == Technique.FULL_LOW and r.changed
    # a crop needs the full-resolution pixels, which are over the budget: noted, not attempted
    (r,) = c.compress_with_report(msgs, model="gpt-4o", force_technique="crop").results
    assert r.technique == Technique.PRESERVE


def test_load_refuses_before_decompressing() -> None:
    png = flat_png(3000, 3000)
    info = imaging.probe(png)
    with pytest.raises(ImageTooLargeError):
        imaging.load(png, info, max_pixels=1_000_000)
    assert imaging.load(png, info, max_pixels=9_000_000).size == (3000, 3000)


# -- frames / pages ----------------------------------------------------------------------------
def test_a_multi_page_tiff_is_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    seeks: list[int] = []
    original = TiffImagePlugin.TiffImageFile._seek

    def counting(self: Any, frame: int) -> None:
        seeks.append(frame)
        original(self, frame)

    monkeypatch.setattr(TiffImagePlugin.TiffImageFile, "_seek", counting)
    tiff = many_page_tiff(5000)
    info = imaging.probe(tiff)
    assert info.animated and info.size == (8, 8)
    assert imaging.load(tiff, info).size == (8, 8)
    assert max(seeks) <= 1  # the first page (and whether a second exists), never page 4999


# -- nesting -----------------------------------------------------------------------------------
def test_nesting_beyond_the_cap_passes_through() -> None:
    leaf = {"type": "image_url", "image_url": {"url": data_url(photo(1600, 1200, seed=1))}}
    c = ImageCompressor(CompressionConfig(router="rules", max_nesting_depth=4))
    shallow, deep = _nested(3, leaf), _nested(5, leaf)
    assert len(c.compress_with_report(shallow, model="gpt-4o").results) == 1
    assert c.compress_with_report(deep, model="gpt-4o").results == ()
    assert c.compress(deep, model="gpt-4o") == deep


def test_thousand_nested_levels_do_not_raise() -> None:
    c = ImageCompressor(CompressionConfig(router="rules"))
    text_only = _nested(1000, {"type": "text", "text": "deep"})
    assert c.compress(text_only, model="gpt-4o") == text_only
    with_image = _nested(1000, {"type": "image_url", "image_url": {"url": data_url(photo(64, 48))}})
    assert c.compress(with_image, model="gpt-4o") == with_image


# -- query -------------------------------------------------------------------------------------
def test_only_the_first_characters_of_a_question_are_analysed() -> None:
    msgs = _request(data_url(photo(64, 48)), "What is the total? " * 10_000)
    (slot,) = find_image_slots(msgs, max_query_chars=4096)
    assert len(slot.query) == 4096
    c = ImageCompressor(CompressionConfig(router="rules", max_query_chars=100))
    long_tail = _request(data_url(photo(800, 600, seed=2)), "Describe this photo. " + "x" * 100 + " TRANSCRIBE")
    short = _request(data_url(photo(800, 600, seed=2)), "Describe this photo. " + "x" * 100)
    out_long, out_short = c.compress(long_tail, model="gpt-4o"), c.compress(short, model="gpt-4o")
    assert out_long[0]["content"][1] == out_short[0]["content"][1]  # the tail past 100 characters never counted


def test_lone_surrogates_do_not_disable_the_request() -> None:
    c = ImageCompressor(CompressionConfig(router="rules"))
    msgs = _request(data_url(photo(1600, 1200, seed=4)), "Describe \ud800 this photo \udfff in general")
    (r,) = c.compress_with_report(msgs, model="gpt-4o").results
    assert "error" not in r.reason and r.changed


# -- memos -------------------------------------------------------------------------------------
def test_model_names_are_bounded_so_the_target_memo_is() -> None:
    resolve_target(model="gpt-4o" + "x" * (MAX_NAME_CHARS - 6))
    with pytest.raises(ConfigError, match="longer than"):
        resolve_target(model="gpt-4o" + "x" * MAX_NAME_CHARS)


# -- typed errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {"model": 123}, {"provider": 5, "model": "gpt-4o"}, {"model": ["gpt-4o"]}, {"model": None, "provider": None},
    {"model": "gpt-4o", "force_technique": "bogus"}, {"model": "gpt-4o", "force_technique": 3},
    {"model": "not-a-known-family"}, {"model": "gpt-4o", "provider": "nope"},
])
def test_argument_errors_are_typed(kwargs: dict[str, Any]) -> None:
    c = ImageCompressor(CompressionConfig(router="rules"))
    with pytest.raises(HeadroomError) as caught:
        c.compress(_request(data_url(photo(64, 48))), **kwargs)
    assert isinstance(caught.value, ConfigError) and str(caught.value)


@pytest.mark.parametrize("messages", ["a string", {"role": "user"}, None, 5])
def test_messages_of_the_wrong_type_are_a_typed_error(messages: Any) -> None:
    with pytest.raises(ConfigError, match="messages must be a list"):
        ImageCompressor().compress(messages, model="gpt-4o")


def test_technique_names_are_case_insensitive_everywhere() -> None:
    assert Technique.parse(" Full_Low ") is Technique.FULL_LOW
    assert CompressionConfig(force_technique="CROP").force_technique is Technique.CROP
    c = ImageCompressor(CompressionConfig(router="rules"))
    msgs = _request(data_url(photo(1600, 1200, seed=5)))
    assert c.compress(msgs, model="gpt-4o", force_technique="FULL_LOW") == c.compress(
        msgs, model="gpt-4o", force_technique="full_low")
    with pytest.raises(ConfigError):
        CompressionConfig(force_technique="bogus")  # type: ignore[arg-type]


def test_bare_string_image_url_keeps_its_shape() -> None:
    msgs = [{"role": "user", "content": [{"type": "text", "text": "Describe this photo."},
                                         {"type": "image_url", "image_url": data_url(photo(1600, 1200, seed=6))}]}]
    before = copy.deepcopy(msgs)
    out = ImageCompressor(CompressionConfig(router="rules")).compress(msgs, model="gpt-4o", force_technique="full_low")
    assert msgs == before
    assert isinstance(out[0]["content"][1]["image_url"], str) and out[0]["content"][1] != msgs[0]["content"][1]


def test_proxy_settings_keep_the_case_of_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    adapter = pytest.importorskip("headroom_middleware.adapters.litellm")
    config = adapter.config_from_env({"HEADROOM_SHARED_CACHE_SECRET": "MiXeD-Case", "HEADROOM_ROUTER": "RULES",
                                      "HEADROOM_SHARED_CACHE_URL": "redis://:PassWord@cache:6379/0"})
    assert config.shared_cache_secret is not None and config.shared_cache_secret.get_secret_value() == "MiXeD-Case"
    assert config.shared_cache_url == "redis://:PassWord@cache:6379/0" and config.router == "rules"

