"""Each wire format x each provider family: read, apply, rebuild; no mutation; determinism;
idempotence; unknown fields and block order kept."""

from __future__ import annotations

import base64
import copy
import io

import pytest
from images import b64, data_url, photo
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor, Technique
from headroom_middleware.formats import find_image_slots

PHOTO = photo(2400, 1800)
JPEG_B64 = b64(PHOTO, "JPEG", quality=85)
JPEG_URL = f"data:image/jpeg;base64,{JPEG_B64}"

TARGETS = ["gpt-4o", "gpt-5.4", "anthropic/claude-sonnet-4-5", "gemini/gemini-3-pro", "gemini/gemini-2.0-flash",
           "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"]


def openai_chat() -> list:
    return [
        {"role": "system", "content": "be brief"},
        {"role": "user", "name": "ann", "content": [
            {"type": "text", "text": "what is this?"},
            {"type": "image_url", "image_url": {"url": JPEG_URL}, "x-extra": 1},
        ]},
    ]


def openai_responses() -> list:
    return [{"type": "message", "role": "user", "content": [
        {"type": "input_text", "text": "what is this?"},
        {"type": "input_image", "image_url": JPEG_URL, "detail": "auto"},
    ]}]


def anthropic_msgs() -> list:
    return [{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": JPEG_B64},
         "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": "what is this?"},
    ]}]


def anthropic_tool_result() -> list:
    return [
        {"role": "user", "content": "take a screenshot and tell me what is on screen"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "shot", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": JPEG_B64}}]}]},
    ]


def gemini_msgs() -> list:
    return [{"role": "user", "parts": [
        {"text": "what is this?"}, {"inlineData": {"mimeType": "image/jpeg", "data": JPEG_B64}}]}]


def gemini_snake() -> list:
    return [{"role": "user", "parts": [
        {"text": "what is this?"}, {"inline_data": {"mime_type": "image/jpeg", "data": JPEG_B64}}]}]


def bedrock_msgs() -> list:
    return [{"role": "user", "content": [
        {"text": "what is this?"}, {"image": {"format": "jpeg", "source": {"bytes": base64.b64decode(JPEG_B64)}}}]}]


def langchain_v1() -> list:
    return [{"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "base64": JPEG_B64, "mime_type": "image/jpeg", "id": "img-1"}]}]


def langchain_legacy() -> list:
    return [{"role": "user", "content": [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "source_type": "base64", "data": JPEG_B64, "mime_type": "image/jpeg"}]}]


FORMATS = {
    "openai_chat": openai_chat, "openai_responses": openai_responses, "anthropic": anthropic_msgs,
    "anthropic_tool_result": anthropic_tool_result, "gemini": gemini_msgs, "gemini_snake": gemini_snake,
    "bedrock": bedrock_msgs, "langchain_v1": langchain_v1, "langchain_legacy": langchain_legacy,
}


def _image_bytes_after(messages: list) -> bytes | None:
    slot = find_image_slots(messages)[0]
    if slot.ref.kind == "bytes":
        return slot.ref.raw
    return base64.b64decode(slot.ref.data) if slot.ref.data else None


@pytest.fixture(scope="module")
def compressor() -> ImageCompressor:
    return ImageCompressor(CompressionConfig(router="rules"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("model", TARGETS)
def test_full_low_every_format_every_provider(compressor: ImageCompressor, fmt: str, model: str) -> None:
    messages = FORMATS[fmt]()
    before = copy.deepcopy(messages)
    report = compressor.compress_with_report(messages, model=model, force_technique=Technique.FULL_LOW)
    assert messages == before, "input mutated"
    assert len(report.results) == 1
    r = report.results[0]
    if model.startswith("gemini/gemini-3") and fmt not in ("openai_chat", "openai_responses", "gemini", "gemini_snake"):
        # Gemini 3 bills a fixed budget per media resolution; this format cannot say "low",
        # and smaller pixels would not save a token: the image must be left alone.
        assert r.technique == Technique.PRESERVE and not report.changed and report.messages == messages
        return
    assert r.technique == Technique.FULL_LOW, r.reason
    assert r.compressed_tokens is not None and r.original_tokens is not None
    assert r.compressed_tokens < r.original_tokens
    out = report.messages
    slot = find_image_slots(out)[0]
    expected_format = find_image_slots(messages)[0].format.name
    if expected_format == "langchain" and model.startswith("gpt-") and "detail=low" in r.reason:
        expected_format = "openai_chat"  # detail reaches OpenAI only on a native image_url block
    assert slot.format.name == expected_format
    # the image that is sent is the one accounted for
    if r.compressed_size and r.compressed_size != r.original_size:
        img = Image.open(io.BytesIO(_image_bytes_after(out)))
        assert img.size == r.compressed_size
    # determinism and idempotence
    again = compressor.compress_with_report(copy.deepcopy(messages), model=model, force_technique="full_low")
    assert again.messages == out
    fresh = ImageCompressor(CompressionConfig(router="rules"))
    assert fresh.compress(copy.deepcopy(messages), model=model, force_technique="full_low") == out
    second = fresh.compress_with_report(out, model=model, force_technique="full_low")
    assert second.messages == out
    assert not second.changed


def test_openai_detail_low_for_tile_model(compressor: ImageCompressor) -> None:
    out = compressor.compress(openai_chat(), model="gpt-4o", force_technique="full_low")
    block = out[1]["content"][1]
    assert block["image_url"]["detail"] == "low"
    assert block["x-extra"] == 1
    assert out[1]["name"] == "ann" and out[0] == openai_chat()[0]


def test_openai_block_to_anthropic_gets_pixels_not_detail(compressor: ImageCompressor) -> None:
    out = compressor.compress(openai_chat(), model="anthropic/claude-sonnet-4-5", force_technique="full_low")
    block = out[1]["content"][1]
    assert "detail" not in block["image_url"]
    img = Image.open(io.BytesIO(base64.b64decode(block["image_url"]["url"].split(",", 1)[1])))
    assert max(img.size) == 512


def test_gemini3_uses_media_resolution(compressor: ImageCompressor) -> None:
    out = compressor.compress(gemini_msgs(), model="gemini/gemini-3-pro", force_technique="full_low")
    assert out[0]["parts"][1]["mediaResolution"] == {"level": "MEDIA_RESOLUTION_LOW"}
    out = compressor.compress(gemini_snake(), model="gemini/gemini-3-pro", force_technique="full_low")
    assert out[0]["parts"][1]["media_resolution"] == {"level": "MEDIA_RESOLUTION_LOW"}


def test_anthropic_cache_control_and_order_kept(compressor: ImageCompressor) -> None:
    out = compressor.compress(anthropic_msgs(), model="anthropic/claude-sonnet-4-5", force_technique="full_low")
    blocks = out[0]["content"]
    assert blocks[0]["type"] == "image" and blocks[0]["cache_control"] == {"type": "ephemeral"}
    assert blocks[1] == {"type": "text", "text": "what is this?"}


def test_bedrock_raw_bytes_stay_bytes(compressor: ImageCompressor) -> None:
    out = compressor.compress(bedrock_msgs(), model="bedrock/anthropic.claude-sonnet-4-5-v1:0",
                              force_technique="full_low")
    payload = out[0]["content"][1]["image"]["source"]["bytes"]
    assert isinstance(payload, bytes) and Image.open(io.BytesIO(payload)).size == (512, 384)


def test_tool_result_image_found_with_user_question() -> None:
    slots = find_image_slots(anthropic_tool_result())
    assert len(slots) == 1
    assert slots[0].path == (2, "content", 0, "content", 0)
    assert "screenshot" in slots[0].query


def test_remote_url_and_file_id_pass_through(compressor: ImageCompressor) -> None:
    messages = [{"role": "user", "content": [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "input_image", "file_id": "file-123"},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/x.jpg"}},
    ]}]
    report = compressor.compress_with_report(messages, model="gpt-4o", force_technique="full_low")
    assert report.messages == messages
    assert [r.reason for r in report.results] == ["remote image or file id: not fetched"] * 3


def test_text_only_request_is_returned_equal(compressor: ImageCompressor) -> None:
    messages = [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]
    report = compressor.compress_with_report(messages, model="gpt-4o")
    assert report.messages == messages and report.results == ()


def test_odd_blocks_do_not_crash(compressor: ImageCompressor) -> None:
    messages = [
        {"role": "user", "content": ["a bare string", None, 3, {"type": "image_url"},
                                     {"type": "image_url", "image_url": None},
                                     {"type": "image", "source": "oops"},
                                     {"type": "image_url", "image_url": {"url": data_url(photo(64, 64))}}]},
        "not a message", None,
    ]
    report = compressor.compress_with_report(messages, model="gpt-4o", force_technique="full_low")
    assert len(report.messages) == 3
