"""Property-based tests over generated requests in every wire format (hypothesis).

Whatever the request — any text (lone surrogates included), any mix of the six block formats,
tool-result nesting, broken or odd images, junk blocks, any target — compression:
never raises, never mutates its input, leaves every non-image block byte-identical, is
deterministic (a fresh compressor gives the same bytes) and idempotent (compressing its output
again changes nothing).

``make fuzz`` runs the same properties with many more examples (``HYPOTHESIS_PROFILE=fuzz``).
"""

from __future__ import annotations

import base64
import copy
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from images import encode, photo, text_page
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor, errors
from headroom_middleware.formats.walk import find_image_slots

settings.register_profile(
    "default", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("fuzz", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
# OCR costs seconds per image on a busy machine: the default run routes and resizes only; the
# fuzz run (and the hostile child suite) exercise OCR too.
_CONFIG = CompressionConfig(ocr_timeout_s=120.0, enable_transcode=_FUZZ)


def _pool() -> list[tuple[bytes, str]]:
    grey16 = Image.new("I;16", (40, 30), 40000)
    return [
        (encode(photo(320, 240, seed=1), "JPEG", quality=80), "image/jpeg"),
        (encode(photo(900, 600, seed=2), "PNG"), "image/png"),
        (encode(text_page(700, 500), "PNG"), "image/png"),
        (encode(text_page(600, 400).convert("P"), "GIF"), "image/gif"),
        (encode(photo(200, 150, seed=3).convert("RGBA"), "WEBP"), "image/webp"),
        (encode(grey16, "PNG"), "image/png"),
        (encode(photo(300, 300, seed=4).resize((2, 300)), "PNG"), "image/png"),  # a thin strip
        (encode(photo(640, 480, seed=5), "JPEG")[:900], "image/jpeg"),  # truncated
        (b"not an image at all", "image/png"),
    ]


POOL = _pool()

any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=80)
questions = st.one_of(any_text, st.sampled_from([
    "What is the total?", "Transcribe all the text in this image.", "Describe this photo.", "", "?",
    "Which button is highlighted in the top-right corner?",
]))


@st.composite
def image_blocks(draw: st.DrawFn) -> dict[str, Any]:
    data, mime = draw(st.sampled_from(POOL))
    b64 = base64.b64encode(data).decode()
    b64 = draw(st.sampled_from([b64, b64.rstrip("="), b64.replace("+", "-").replace("/", "_"), "\n".join(
        b64[i:i + 76] for i in range(0, len(b64), 76))]))
    mime = draw(st.sampled_from([mime, "image/png", "application/octet-stream"]))
    url = f"data:{mime};base64,{b64}"
    detail = draw(st.sampled_from([None, "low", "high", "auto", 7]))
    kind = draw(st.sampled_from(["chat", "chat_bare", "responses", "anthropic", "langchain", "langchain_legacy",
                                 "gemini", "gemini_snake", "bedrock_bytes", "bedrock_b64", "remote"]))
    block: dict[str, Any]
    if kind == "chat":
        inner: dict[str, Any] = {"url": url}
        if detail is not None:
            inner["detail"] = detail
        block = {"type": "image_url", "image_url": inner}
    elif kind == "chat_bare":
        block = {"type": "image_url", "image_url": url}
    elif kind == "responses":
        block = {"type": "input_image", "image_url": url, "detail": detail or "auto"}
    elif kind == "anthropic":
        block = {"type": "image", "source": {"type": "base64", "media_type": mime, "data": b64}}
        if draw(st.booleans()):
            block["cache_control"] = {"type": "ephemeral"}
    elif kind == "langchain":
        block = {"type": "image", "base64": b64, "mime_type": mime}
    elif kind == "langchain_legacy":
        block = {"type": "image", "source_type": "base64", "data": b64, "mime_type": mime}
    elif kind == "gemini":
        block = {"inlineData": {"mimeType": mime, "data": b64}}
    elif kind == "gemini_snake":
        block = {"inline_data": {"mime_type": mime, "data": b64}}
    elif kind == "bedrock_bytes":
        block = {"image": {"format": mime.split("/")[-1], "source": {"bytes": data}}}
    elif kind == "bedrock_b64":
        block = {"image": {"format": mime.split("/")[-1], "source": {"bytes": b64}}}
    else:
        block = {"type": "image_url", "image_url": {"url": draw(st.sampled_from([
            "https://example.invalid/x.png", "http://127.0.0.1:9/a.jpg", "file:///etc/passwd", "s3://b/k.png"]))}}
    return block


junk_blocks = st.one_of(
    st.none(), any_text, st.integers(), st.just({}), st.just({"type": "image_url"}),
    st.just({"type": "image", "source": None}), st.just({"inlineData": None}),
    st.dictionaries(st.sampled_from(["type", "text", "image_url", "source", "data"]), any_text, max_size=3),
)
text_blocks = st.one_of(any_text.map(lambda t: {"type": "text", "text": t}),
                        any_text.map(lambda t: {"type": "input_text", "text": t}), any_text.map(lambda t: {"text": t}))


def _nest(block: Any, levels: int, bedrock: bool) -> Any:
    for _ in range(levels):
        block = {"toolResult": {"content": [block]}} if bedrock else {"type": "tool_result", "content": [block]}
    return block


@st.composite
def messages(draw: st.DrawFn) -> list[Any]:
    out: list[Any] = []
    for _ in range(draw(st.integers(1, 4))):
        role = draw(st.sampled_from(["user", "assistant", "tool", "model", "human", "system"]))
        blocks: list[Any] = [{"type": "text", "text": draw(questions)}]
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 9))
            if choice < 5:
                block = draw(image_blocks())
                block = _nest(block, draw(st.integers(0, 20)) if choice == 4 else 0, draw(st.booleans()))
                blocks.append(block)
            elif choice < 8:
                blocks.append(draw(text_blocks))
            else:
                blocks.append(draw(junk_blocks))
        key = draw(st.sampled_from(["content", "content", "parts", "output"]))
        out.append({"role": role, key: blocks})
    if draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out))), draw(st.one_of(st.none(), any_text, st.just({"role": "user"}))))
    return out


targets = st.sampled_from([
    {"model": "gpt-4o"}, {"model": "gpt-5.4"}, {"model": "gpt-5.6"}, {"model": "anthropic/claude-sonnet-4-5"},
    {"model": "gemini/gemini-3-pro"}, {"model": "gemini/gemini-2.5-flash"},
    {"model": "bedrock/anthropic.claude-sonnet-4-5"}, {"provider": "OpenAI", "model": "gpt-4.1-mini"},
])
techniques = st.sampled_from([None, "preserve", "FULL_LOW", "crop", " Crop "])

_TYPED_ERRORS = {name for name, obj in vars(errors).items() if isinstance(obj, type) and issubclass(obj, Exception)}
_FIRST = ImageCompressor(_CONFIG)
_SECOND = ImageCompressor(_CONFIG)


def _masked(msgs: list[Any], paths: list[tuple[Any, ...]]) -> list[Any]:
    out = copy.deepcopy(msgs)
    for path in paths:
        node = out[path[0]]
        for key in path[1:-1]:
            node = node[key]
        node[path[-1]] = "<image>"
    return out


@given(msgs=messages(), target=targets, technique=techniques)
def test_generated_requests_are_safe(msgs: list[Any], target: dict[str, str], technique: str | None) -> None:
    before = copy.deepcopy(msgs)
    report = _FIRST.compress_with_report(msgs, **target, force_technique=technique)
    assert msgs == before  # never mutated
    paths = [s.path for s in find_image_slots(before)]
    assert len(report.results) == len(paths)
    assert _masked(report.messages, paths) == _masked(before, paths)  # only image blocks may change
    again = _SECOND.compress_with_report(copy.deepcopy(before), **target, force_technique=technique)
    assert again.messages == report.messages  # deterministic
    assert [r.model_dump(exclude={"duration_ms"}) for r in again.results] == [
        r.model_dump(exclude={"duration_ms"}) for r in report.results]
    assert _SECOND.compress(report.messages, **target, force_technique=technique) == report.messages  # idempotent
    for r in report.results:  # a broken image is a typed, expected failure, never a bug's exception
        if "error: " in r.reason:
            assert r.reason.split("error: ", 1)[1].split()[0].strip(";,") in _TYPED_ERRORS, r.reason


@given(text=any_text, target=targets)
def test_text_only_requests_pass_through(text: str, target: dict[str, str]) -> None:
    msgs = [{"role": "user", "content": [{"type": "text", "text": text}]}, {"role": "assistant", "content": text}]
    assert _FIRST.compress(msgs, **target) == msgs
