"""The LiteLLM adapter against real LiteLLM (SDK, Router) and the local fake provider.

Every request goes over HTTP to ``tests/fake_provider.py``; assertions are on what the fake
provider actually received. ``metadata={"headroom": {"technique": ...}}`` forces a technique
where a test needs one independent of the router's decision.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import io
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_provider import FakeProvider
from litellm_helpers import (
    b64,
    image_size,
    openai_image_message,
    photo_jpeg,
    text_only_messages,
    text_page_png,
)
from PIL import Image

litellm = pytest.importorskip("litellm")
from litellm.integrations.custom_logger import CustomLogger  # noqa: E402

from headroom_middleware import CompressionConfig, ImageCompressor  # noqa: E402
from headroom_middleware.adapters import litellm as hl  # noqa: E402
from headroom_middleware.errors import ConfigError  # noqa: E402

# litellm's pydantic models warn about ReadOnly TypedDict items on first use: not ours.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ROOT = Path(__file__).resolve().parents[1]
FULL_LOW = {"headroom": {"technique": "full_low"}}


class Spy(CustomLogger):
    """Keeps what LiteLLM's logging saw (the metadata spend logs are built from)."""

    def __init__(self) -> None:
        super().__init__()
        self.logged: list[dict[str, Any]] = []

    async def async_log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        self.logged.append(kwargs)


class CountingCompressor(ImageCompressor):
    """The real compressor, counting calls and keeping their inputs."""

    def __init__(self, config: CompressionConfig | None = None) -> None:
        super().__init__(config)
        self.calls: list[tuple[Any, str | None]] = []

    def compress_with_report(self, messages: Any, provider: Any = None, model: Any = None, **kw: Any) -> Any:
        self.calls.append((copy.deepcopy(messages), model))
        return super().compress_with_report(messages, provider, model, **kw)


@pytest.fixture
def compressor() -> CountingCompressor:
    return CountingCompressor()


@pytest.fixture
def callback(compressor: CountingCompressor) -> Iterator[hl.HeadroomImageCallback]:
    cb = hl.HeadroomImageCallback(compressor=compressor)
    yield cb


@pytest.fixture
def spy() -> Spy:
    return Spy()


@pytest.fixture
def registered(callback: hl.HeadroomImageCallback, spy: Spy) -> Iterator[hl.HeadroomImageCallback]:
    litellm.callbacks = [callback, spy]
    yield callback
    litellm.logging_callback_manager._reset_all_callbacks()
    litellm.callbacks = []


@pytest.fixture
def fake(fake_provider: FakeProvider) -> FakeProvider:
    fake_provider.clear()
    return fake_provider


def _anthropic_image(body: dict[str, Any], message: int = 0) -> dict[str, Any]:
    blocks = [b for b in body["messages"][message]["content"] if b.get("type") == "image"]
    assert blocks, body["messages"][message]
    return blocks[0]


async def _wait_for(predicate: Any, timeout: float = 5.0) -> None:
    # LiteLLM runs success logging in background tasks.
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)


# -- packaging --------------------------------------------------------------------------------


def test_core_import_does_not_import_litellm() -> None:
    code = (
        "import sys, headroom_middleware, headroom_middleware.adapters; "
        "assert 'litellm' not in sys.modules, 'litellm imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


def test_missing_litellm_gives_install_hint() -> None:
    code = (
        "import sys; sys.modules['litellm'] = None\n"
        "try:\n    import headroom_middleware.adapters.litellm\n"
        "except ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60, capture_output=True)
    assert "pip install 'headroom-middleware[litellm]'" in out.stdout.decode()


# -- settings ---------------------------------------------------------------------------------


def test_config_from_env() -> None:
    config = hl.config_from_env(
        {
            "HEADROOM_ROUTER": "rules",
            "HEADROOM_CONFIDENCE_THRESHOLD": "0.7",
            "HEADROOM_FORCE_TECHNIQUE": "FULL_LOW",
            "HEADROOM_ENABLE_CROP": "false",
            "HEADROOM_CACHE_SIZE": "",
            "UNRELATED": "x",
        }
    )
    assert config.router == "rules"
    assert config.confidence_threshold == 0.7
    assert config.force_technique is not None and config.force_technique.value == "full_low"
    assert config.enable_crop is False
    assert config.cache_size == CompressionConfig().cache_size
    assert hl.config_from_env({"HEADROOM_FORCE_TECHNIQUE": "none"}).force_technique is None
    with pytest.raises(ConfigError, match="HEADROOM_CONFIDENCE_THRESHOLD"):
        hl.config_from_env({"HEADROOM_CONFIDENCE_THRESHOLD": "high"})
    with pytest.raises(ConfigError, match="HEADROOM_FORCE_TECHNIQUE"):
        hl.config_from_env({"HEADROOM_FORCE_TECHNIQUE": "tiny"})


def test_from_env_disable_and_timeout() -> None:
    assert hl.HeadroomImageCallback.from_env({"HEADROOM_DISABLE": "1"}).enabled is False
    cb = hl.HeadroomImageCallback.from_env({"HEADROOM_TIMEOUT_S": "0", "HEADROOM_ROUTER": "rules"})
    assert cb.enabled and cb.timeout_s is None and cb.config.router == "rules"
    with pytest.raises(ConfigError):
        hl.HeadroomImageCallback.from_env({"HEADROOM_DISABLE": "maybe"})
    assert isinstance(hl.proxy_handler_instance, hl.HeadroomImageCallback)


# -- litellm.acompletion ----------------------------------------------------------------------


async def test_acompletion_anthropic_full_low_resizes_pixels(
    fake: FakeProvider, registered: hl.HeadroomImageCallback, spy: Spy
) -> None:
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    original = copy.deepcopy(messages)
    response = await litellm.acompletion(
        model="anthropic/claude-sonnet-4-5",
        messages=messages,
        api_base=fake.url,
        api_key="sk-test",
        max_tokens=20,
        metadata=FULL_LOW,
    )
    assert messages == original  # the caller's request is never mutated
    block = _anthropic_image(fake.last("/v1/messages").json)
    width, height = image_size(block["source"]["data"])
    assert max(width, height) <= 1568 and (width, height) != (2400, 1600)
    assert len(block["source"]["data"]) < len(b64(photo_jpeg())) / 4

    record = response._hidden_params["headroom"]
    assert record["headroom_techniques"] == {"full_low": 1}
    assert 0 < record["headroom_compressed_tokens"] < record["headroom_original_tokens"]
    assert record["headroom_target"] == "anthropic/claude-sonnet-4-5"

    # What LiteLLM logged (and the proxy's spend logs keep).
    await _wait_for(lambda: spy.logged)
    metadata = spy.logged[-1]["litellm_params"]["metadata"]
    assert metadata["headroom_original_tokens"] == record["headroom_original_tokens"]
    assert metadata["headroom_techniques"] == {"full_low": 1}
    assert metadata["spend_logs_metadata"]["headroom_compressed_tokens"] == record["headroom_compressed_tokens"]
    call_id = response._hidden_params["litellm_call_id"]
    assert registered.savings_for(call_id) == record


async def test_acompletion_openai_full_low_uses_detail_low(
    fake: FakeProvider, registered: hl.HeadroomImageCallback
) -> None:
    messages = [openai_image_message(photo_jpeg(), "What is in the picture?")]
    await litellm.acompletion(
        model="openai/gpt-4o", messages=messages, api_base=f"{fake.url}/v1", api_key="sk-test", metadata=FULL_LOW
    )
    body = fake.last("/chat/completions").json
    image = body["messages"][0]["content"][1]["image_url"]
    assert image["detail"] == "low"
    assert "metadata" not in body  # nothing of ours reaches the provider


async def test_text_only_request_is_byte_identical(fake: FakeProvider, callback: hl.HeadroomImageCallback) -> None:
    async def send() -> bytes:
        await litellm.acompletion(
            model="openai/gpt-4o", messages=text_only_messages(), api_base=f"{fake.url}/v1", api_key="sk-test"
        )
        return fake.last("/chat/completions").body

    litellm.callbacks = []
    without = await send()
    litellm.callbacks = [callback]
    try:
        with_callback = await send()
    finally:
        litellm.callbacks = []
    assert with_callback == without


async def test_per_request_disable(fake: FakeProvider, registered: hl.HeadroomImageCallback) -> None:
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    response = await litellm.acompletion(
        model="anthropic/claude-sonnet-4-5",
        messages=messages,
        api_base=fake.url,
        api_key="sk-test",
        max_tokens=20,
        metadata={"headroom": {"disable": True}},
    )
    assert _anthropic_image(fake.last("/v1/messages").json)["source"]["data"] == b64(photo_jpeg())
    assert "headroom" not in response._hidden_params


async def test_transcode_sends_ocr_text(fake: FakeProvider, registered: hl.HeadroomImageCallback) -> None:
    from headroom_middleware.ocr import ocr_available

    if not ocr_available():
        pytest.skip("no OCR engine installed")
    messages = [openai_image_message(text_page_png(), "What is the total due?", "image/png")]
    response = await litellm.acompletion(
        model="anthropic/claude-sonnet-4-5",
        messages=messages,
        api_base=fake.url,
        api_key="sk-test",
        max_tokens=20,
        metadata={"headroom": {"technique": "transcode"}},
    )
    body = fake.last("/v1/messages").json
    record = response._hidden_params["headroom"]
    if record["headroom_techniques"] != {"transcode": 1}:
        pytest.skip(f"OCR did not reach the confidence threshold here: {record}")
    text = " ".join(b.get("text", "") for b in body["messages"][0]["content"] if isinstance(b, dict))
    assert "[OCR from image" in text and "192.50" in text
    assert not any(b.get("type") == "image" for b in body["messages"][0]["content"])


async def test_responses_input_items(fake: FakeProvider, registered: hl.HeadroomImageCallback) -> None:
    url = f"data:image/jpeg;base64,{b64(photo_jpeg())}"
    items = [
        {
            "role": "user",
            "content": [{"type": "input_text", "text": "Describe it."}, {"type": "input_image", "image_url": url}],
        }
    ]
    response = await litellm.aresponses(
        model="openai/gpt-4o",
        input=items,
        api_base=f"{fake.url}/v1",
        api_key="sk-test",
        litellm_metadata=FULL_LOW,
    )
    body = fake.last("/responses").json
    image = body["input"][0]["content"][1]
    assert image["detail"] == "low"
    assert "headroom_status" not in str(body)  # our record stays out of the provider's metadata
    assert response._hidden_params["headroom"]["headroom_techniques"] == {"full_low": 1}


async def test_anthropic_messages_route(fake: FakeProvider, registered: hl.HeadroomImageCallback) -> None:
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": b64(photo_jpeg())}},
                {"type": "text", "text": "Describe this photo."},
            ],
        }
    ]
    await litellm.anthropic.messages.acreate(
        model="anthropic/claude-sonnet-4-5",
        messages=messages,
        api_base=fake.url,
        api_key="sk-test",
        max_tokens=20,
        litellm_metadata=FULL_LOW,
    )
    block = _anthropic_image(fake.last("/v1/messages").json)
    assert max(image_size(block["source"]["data"])) < 2400
    assert messages[0]["content"][0]["source"]["data"] == b64(photo_jpeg())


async def test_gemini_generate_content(fake: FakeProvider, registered: hl.HeadroomImageCallback) -> None:
    contents = [
        {
            "role": "user",
            "parts": [
                {"text": "Describe this photo."},
                {"inline_data": {"mime_type": "image/jpeg", "data": b64(photo_jpeg())}},
            ],
        }
    ]
    response = await litellm.agenerate_content(
        model="gemini/gemini-3-pro",
        contents=contents,
        api_base=fake.url,
        api_key="sk-test",
        litellm_metadata=FULL_LOW,
    )
    body = fake.last(":generateContent").json
    assert "litellm_metadata" not in body and "metadata" not in body
    sent = body["contents"][0]["parts"][1]
    inline = sent.get("inline_data") or sent.get("inlineData")
    # Gemini 3 bills by media resolution, so full_low may set it instead of resizing pixels.
    resized = inline is not None and max(image_size(inline["data"])) < 2400
    low_resolution = "low" in str(sent.get("mediaResolution") or sent.get("media_resolution") or "").lower()
    assert resized or low_resolution, sent.keys()
    assert contents[0]["parts"][1]["inline_data"]["data"] == b64(photo_jpeg())
    assert response is not None


# -- Router ------------------------------------------------------------------------------------


async def test_router_fallback_gets_request_compressed_for_its_own_model(
    fake: FakeProvider, registered: hl.HeadroomImageCallback, compressor: CountingCompressor
) -> None:
    router = litellm.Router(
        model_list=[
            {
                "model_name": "vision",
                "litellm_params": {"model": "anthropic/claude-fail-500", "api_base": fake.url, "api_key": "k"},
            },
            {
                "model_name": "vision-backup",
                "litellm_params": {"model": "openai/gpt-4o", "api_base": f"{fake.url}/v1", "api_key": "k"},
            },
        ],
        fallbacks=[{"vision": ["vision-backup"]}],
        num_retries=0,
    )
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    original = copy.deepcopy(messages)
    response = await router.acompletion(model="vision", messages=messages, metadata=FULL_LOW, max_tokens=20)

    failed = fake.last("/v1/messages").json  # the first deployment (HTTP 500)
    assert max(image_size(_anthropic_image(failed)["source"]["data"])) < 2400
    fallback = fake.last("/chat/completions").json  # the fallback deployment
    assert fallback["messages"][0]["content"][1]["image_url"]["detail"] == "low"
    assert response._hidden_params["headroom"]["headroom_target"] == "openai/gpt-4o"

    # One compression per deployment attempt, each from the caller's original request (never a
    # second pass over already-compressed output), and the caller's request is untouched.
    assert [model for _, model in compressor.calls] == ["anthropic/claude-fail-500", "openai/gpt-4o"]
    assert all(call_messages == original for call_messages, _ in compressor.calls)
    assert messages == original


async def test_router_same_model_fallback_is_served_from_cache(
    fake: FakeProvider, registered: hl.HeadroomImageCallback, compressor: CountingCompressor
) -> None:
    # A retry/fallback to the same model: the second run is a cache hit with identical bytes.
    router = litellm.Router(
        model_list=[
            {
                "model_name": "a",
                "litellm_params": {"model": "openai/gpt-4o-fail-500", "api_base": f"{fake.url}/v1", "api_key": "k"},
            },
            {
                "model_name": "b",
                "litellm_params": {"model": "openai/gpt-4o", "api_base": f"{fake.url}/v1", "api_key": "k"},
            },
        ],
        fallbacks=[{"a": ["b"]}],
        num_retries=0,
    )
    messages = [openai_image_message(photo_jpeg(1600, 1200), "Describe this photo.")]
    await router.acompletion(model="a", messages=messages, metadata=FULL_LOW)
    first, second = fake.matching("/chat/completions")[-2:]
    assert first.json["messages"] == second.json["messages"]
    assert len(compressor.calls) == 2


# -- wrappers ----------------------------------------------------------------------------------


def test_sync_completion_needs_the_wrapper(fake: FakeProvider, callback: hl.HeadroomImageCallback) -> None:
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    litellm.callbacks = [callback]
    try:
        # Plain sync litellm.completion runs no request hook: the image goes out as is.
        litellm.completion(
            model="anthropic/claude-sonnet-4-5", messages=messages, api_base=fake.url, api_key="k", max_tokens=5,
            metadata=FULL_LOW,
        )
        assert _anthropic_image(fake.last("/v1/messages").json)["source"]["data"] == b64(photo_jpeg())
        # The wrapper compresses first (positional model and messages work too).
        response = hl.completion(
            "anthropic/claude-sonnet-4-5", messages, api_base=fake.url, api_key="k", max_tokens=5, metadata=FULL_LOW
        )
    finally:
        litellm.callbacks = []
    assert max(image_size(_anthropic_image(fake.last("/v1/messages").json)["source"]["data"])) < 2400
    assert response._hidden_params["headroom"]["headroom_techniques"] == {"full_low": 1}


async def test_async_wrapper_with_callback_compresses_once(
    fake: FakeProvider, registered: hl.HeadroomImageCallback, compressor: CountingCompressor
) -> None:
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    response = await hl.acompletion(
        model="openai/gpt-4o", messages=messages, api_base=f"{fake.url}/v1", api_key="k", metadata=FULL_LOW
    )
    assert len(compressor.calls) == 1  # the hook saw the marker and did not redo the work
    assert fake.last("/chat/completions").json["messages"][0]["content"][1]["image_url"]["detail"] == "low"
    assert response._hidden_params["headroom"]["headroom_images"] == 1


# -- failure handling --------------------------------------------------------------------------


class BrokenCompressor(ImageCompressor):
    def compress_with_report(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom data:image/jpeg;base64," + "A" * 5000)


async def test_fail_open_sends_original_and_logs_no_image_data(
    fake: FakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    cb = hl.HeadroomImageCallback(compressor=BrokenCompressor())
    litellm.callbacks = [cb]
    messages = [openai_image_message(photo_jpeg(), "Describe this photo.")]
    try:
        with caplog.at_level(logging.DEBUG, logger="headroom_middleware.litellm"):
            await litellm.acompletion(
                model="openai/gpt-4o", messages=messages, api_base=f"{fake.url}/v1", api_key="k",
                litellm_call_id="call-broken",
            )
    finally:
        litellm.callbacks = []
    sent = fake.last("/chat/completions").json["messages"][0]["content"][1]["image_url"]
    assert sent == {"url": f"data:image/jpeg;base64,{b64(photo_jpeg())}"}
    assert any("sent unchanged after RuntimeError" in r.getMessage() for r in caplog.records)
    assert all(len(r.getMessage()) < 500 for r in caplog.records if r.name.startswith("headroom"))
    headers = await cb.async_post_call_response_headers_hook({"litellm_call_id": "call-broken"}, None, None)
    assert headers is not None and headers["x-headroom-status"] == "error"


async def test_unknown_target_fails_open_quietly(fake: FakeProvider, caplog: pytest.LogCaptureFixture) -> None:
    cb = hl.HeadroomImageCallback()
    kwargs = {"model": "ollama/llava", "messages": [openai_image_message(photo_jpeg(64, 48), "hi")]}
    with caplog.at_level(logging.INFO, logger="headroom_middleware"):
        assert await cb.acompress_request(kwargs) is None
        assert await cb.acompress_request(kwargs) is None
    assert sum("not compressing" in r.getMessage() for r in caplog.records) == 1


async def test_headers_hook_and_bounded_records() -> None:
    cb = hl.HeadroomImageCallback(max_tracked_requests=2)
    for i in range(3):
        kwargs = {
            "model": "anthropic/claude-sonnet-4-5",
            "messages": [openai_image_message(photo_jpeg(800, 600), "Describe.")],
            "litellm_call_id": f"id-{i}",
            "metadata": FULL_LOW,
        }
        new = await cb.acompress_request(kwargs)
        assert new is not None and new["metadata"]["headroom_applied"] is True
        assert kwargs["metadata"] == FULL_LOW  # the caller's metadata dict is not touched
    assert cb.savings_for("id-0") is None  # evicted
    headers = await cb.async_post_call_response_headers_hook({"litellm_call_id": "id-2"}, None, None)
    assert headers is not None
    assert headers["x-headroom-techniques"] == "full_low=1"
    assert int(headers["x-headroom-saved-tokens"]) > 0
    assert headers["x-headroom-target"] == "anthropic/claude-sonnet-4-5"
    assert await cb.async_post_call_response_headers_hook({"litellm_call_id": "nope"}, None, None) is None


async def test_pre_call_hook_defers_to_deployment_hook_and_handles_pass_through() -> None:
    cb = hl.HeadroomImageCallback()
    data = {"model": "my-alias", "messages": [openai_image_message(photo_jpeg(800, 600), "Describe.")]}
    # Routed calls: the deployment hook compresses later, for the real model.
    assert await cb.async_pre_call_hook(None, None, data, "acompletion") is None
    # Pass-through (e.g. /anthropic/v1/messages): only this hook runs.
    body = {
        "model": "claude-sonnet-4-5",
        "metadata": FULL_LOW,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg",
                                                 "data": b64(photo_jpeg(1600, 1200))}},
                    {"type": "text", "text": "Describe."},
                ],
            }
        ],
    }
    out = await cb.async_pre_call_hook(None, None, body, "pass_through_endpoint")
    assert isinstance(out, dict)
    assert out["metadata"] == FULL_LOW  # no marker or record written into a provider-bound body
    data_out = out["messages"][0]["content"][0]["source"]["data"]
    assert max(image_size(data_out)) < 1600


def test_positional_and_duplicate_arguments() -> None:
    with pytest.raises(TypeError):
        hl.completion("gpt-4o", [], None)
    with pytest.raises(TypeError):
        hl.completion("gpt-4o", model="gpt-4o")


def test_images_are_photo_and_text() -> None:
    # Sanity of the rendered fixtures themselves.
    with Image.open(io.BytesIO(photo_jpeg())) as img:
        assert img.size == (2400, 1600) and img.format == "JPEG"
    with Image.open(io.BytesIO(base64.b64decode(b64(text_page_png())))) as img:
        assert img.size == (1200, 800)
    assert os.environ.get("LITELLM_LOCAL_MODEL_COST_MAP")


class SlowCompressor(ImageCompressor):
    """The real compressor, slowed down, counting how many calls run at once."""

    def __init__(self, delay_s: float) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.active = 0
        self.peak = 0
        self._guard = threading.Lock()

    def compress_with_report(self, *args: Any, **kwargs: Any) -> Any:
        with self._guard:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay_s)
            return super().compress_with_report(*args, **kwargs)
        finally:
            with self._guard:
                self.active -= 1


async def test_concurrency_limit_and_timeout() -> None:
    def request(i: int) -> dict[str, Any]:
        return {
            "model": "gpt-4o",
            "messages": [openai_image_message(photo_jpeg(320, 240), "Describe.")],
            "litellm_call_id": f"slow-{i}",
        }

    slow = SlowCompressor(delay_s=0.15)
    cb = hl.HeadroomImageCallback(compressor=slow, max_concurrency=2)
    results = await asyncio.gather(*(cb.acompress_request(request(i)) for i in range(5)))
    assert slow.peak == 2 and all(r is not None for r in results)

    # Past timeout_s the request goes out unchanged (and says so in its headers).
    cb = hl.HeadroomImageCallback(compressor=SlowCompressor(delay_s=1.0), timeout_s=0.1)
    t0 = time.perf_counter()
    assert await cb.acompress_request(request(9)) is None
    assert time.perf_counter() - t0 < 0.8
    assert cb.savings_for("slow-9") == {"headroom_status": "error", "headroom_images": 0}
