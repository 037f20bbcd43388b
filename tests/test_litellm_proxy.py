"""A real LiteLLM proxy process with the example config, called over HTTP.

Two proxies start once for the module (in parallel): the example config as shipped (with
``proxy_handler_instance``) and the same config without the callback, for the byte-identity
check on text-only requests. Their providers are the local fake provider; assertions are on
what it received and on the ``x-headroom-*`` response headers. Deselect with ``-m "not proxy"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_provider import FakeProvider
from litellm_helpers import (
    ProxyProcess,
    b64,
    image_size,
    launch_proxy,
    openai_image_message,
    photo_jpeg,
    proxy_config,
    text_only_messages,
    text_page_png,
)

openai = pytest.importorskip("openai")
pytest.importorskip("litellm")

pytestmark = [pytest.mark.proxy, pytest.mark.filterwarnings("ignore::UserWarning")]

FULL_LOW = {"metadata": {"headroom": {"technique": "full_low"}}}


@pytest.fixture(scope="module")
def proxies(fake_provider: FakeProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ProxyProcess]]:
    workdir: Path = tmp_path_factory.mktemp("litellm-proxy")
    started = {
        "headroom": launch_proxy(proxy_config(workdir, with_callback=True), fake_provider.url, workdir),
        "plain": launch_proxy(proxy_config(workdir, with_callback=False), fake_provider.url, workdir),
    }
    try:
        for proxy in started.values():
            proxy.wait_ready(timeout_s=120)
        yield started
    finally:
        for proxy in started.values():
            proxy.stop()


@pytest.fixture
def proxy(proxies: dict[str, ProxyProcess]) -> ProxyProcess:
    return proxies["headroom"]


@pytest.fixture
def client(proxy: ProxyProcess) -> Any:
    return openai.OpenAI(base_url=proxy.url, api_key=proxy.master_key, max_retries=0, timeout=60)


@pytest.fixture
def fake(fake_provider: FakeProvider) -> FakeProvider:
    fake_provider.clear()
    return fake_provider


def _headroom_headers(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower().startswith("x-headroom-")}


def _assert_saving_headers(headers: dict[str, str], technique: str) -> None:
    assert headers["x-headroom-status"] == "compressed", headers
    assert headers["x-headroom-images"] == "1"
    assert headers["x-headroom-techniques"] == f"{technique}=1"
    original, compressed = int(headers["x-headroom-original-tokens"]), int(headers["x-headroom-compressed-tokens"])
    assert 0 < compressed < original
    assert int(headers["x-headroom-saved-tokens"]) == original - compressed


def test_anthropic_target_gets_resized_pixels(client: Any, fake: FakeProvider) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model="claude-sonnet-4-5",
        messages=[openai_image_message(photo_jpeg(), "Describe this photo.")],
        max_tokens=20,
        extra_body=FULL_LOW,
    )
    assert raw.parse().choices[0].message.content == "fake reply"
    body = fake.last("/v1/messages").json
    image = next(b for b in body["messages"][0]["content"] if b.get("type") == "image")
    assert max(image_size(image["source"]["data"])) <= 768
    assert "headroom" not in str(body.get("metadata", ""))  # our options never reach the provider
    headers = _headroom_headers(raw.headers)
    _assert_saving_headers(headers, "full_low")
    assert headers["x-headroom-target"] == "anthropic/claude-sonnet-4-5"


def test_openai_gpt4o_full_low_uses_detail_low(client: Any, fake: FakeProvider) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o", messages=[openai_image_message(photo_jpeg(), "What is in the picture?")], extra_body=FULL_LOW
    )
    body = fake.last("/chat/completions").json
    assert body["model"] == "gpt-4o"
    assert body["messages"][0]["content"][1]["image_url"]["detail"] == "low"
    assert "metadata" not in body
    _assert_saving_headers(_headroom_headers(raw.headers), "full_low")


def test_gemini_target_gets_resized_pixels(client: Any, fake: FakeProvider) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model="gemini-3-pro", messages=[openai_image_message(photo_jpeg(), "Describe this photo.")], extra_body=FULL_LOW
    )
    body = fake.last(":generateContent").json
    parts = body["contents"][0]["parts"]
    inline = next(p.get("inline_data") or p.get("inlineData") for p in parts if "inline_data" in p or "inlineData" in p)
    assert max(image_size(inline["data"])) < 2400
    _assert_saving_headers(_headroom_headers(raw.headers), "full_low")


def test_transcode_sends_ocr_text(client: Any, fake: FakeProvider) -> None:
    from headroom_middleware.ocr import ocr_available

    if not ocr_available():
        pytest.skip("no OCR engine installed")
    raw = client.chat.completions.with_raw_response.create(
        model="claude-sonnet-4-5",
        messages=[openai_image_message(text_page_png(), "What is the total due?", "image/png")],
        max_tokens=20,
        extra_body={"metadata": {"headroom": {"technique": "transcode"}}},
    )
    headers = _headroom_headers(raw.headers)
    if headers.get("x-headroom-techniques") != "transcode=1":
        pytest.skip(f"OCR confidence too low on this machine: {headers}")
    content = fake.last("/v1/messages").json["messages"][0]["content"]
    text = content if isinstance(content, str) else " ".join(b.get("text", "") for b in content)
    assert "[OCR from image" in text and "192.50" in text
    assert not any(isinstance(b, dict) and b.get("type") == "image" for b in content)


def test_streaming_response_carries_headers(client: Any, fake: FakeProvider) -> None:
    with client.chat.completions.with_streaming_response.create(
        model="gpt-4o",
        messages=[openai_image_message(photo_jpeg(), "What is in the picture?")],
        stream=True,
        extra_body=FULL_LOW,
    ) as response:
        headers = _headroom_headers(response.headers)
        chunks = list(response.iter_lines())
    assert any("fake reply" in c for c in chunks)
    _assert_saving_headers(headers, "full_low")
    assert fake.last("/chat/completions").json["messages"][0]["content"][1]["image_url"]["detail"] == "low"


def test_per_request_disable(client: Any, fake: FakeProvider) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model="claude-sonnet-4-5",
        messages=[openai_image_message(photo_jpeg(), "Describe this photo.")],
        max_tokens=20,
        extra_body={"metadata": {"headroom": {"disable": True}}},
    )
    body = fake.last("/v1/messages").json
    image = next(b for b in body["messages"][0]["content"] if b.get("type") == "image")
    assert image["source"]["data"] == b64(photo_jpeg())
    assert _headroom_headers(raw.headers) == {}


def test_text_only_requests_arrive_byte_identical(proxies: dict[str, ProxyProcess], fake: FakeProvider) -> None:
    bodies = {}
    for name, proxy in proxies.items():
        client = openai.OpenAI(base_url=proxy.url, api_key=proxy.master_key, max_retries=0, timeout=60)
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o", messages=text_only_messages(), temperature=0
        )
        assert _headroom_headers(raw.headers) == {}
        bodies[name] = fake.last("/chat/completions").body
    assert bodies["headroom"] == bodies["plain"]


def _native_post(proxy: ProxyProcess, path: str, body: dict[str, Any]) -> httpx.Response:
    response = httpx.post(
        f"{proxy.url}{path}", json=body, headers={"Authorization": f"Bearer {proxy.master_key}"}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    return response


def test_anthropic_messages_route(proxy: ProxyProcess, fake: FakeProvider) -> None:
    image = {"type": "base64", "media_type": "image/jpeg", "data": b64(photo_jpeg())}
    response = _native_post(
        proxy,
        "/v1/messages",
        {
            "model": "claude-sonnet-4-5",
            "max_tokens": 20,
            "messages": [
                {"role": "user", "content": [{"type": "image", "source": image}, {"type": "text", "text": "?"}]}
            ],
            **FULL_LOW,
        },
    )
    body = fake.last("/v1/messages").json
    sent = next(b for b in body["messages"][0]["content"] if b.get("type") == "image")
    assert max(image_size(sent["source"]["data"])) <= 768
    assert "headroom" not in str(body.get("metadata", ""))
    _assert_saving_headers(_headroom_headers(response.headers), "full_low")


def test_responses_route(proxy: ProxyProcess, fake: FakeProvider) -> None:
    url = f"data:image/jpeg;base64,{b64(photo_jpeg())}"
    response = _native_post(
        proxy,
        "/v1/responses",
        {
            "model": "gpt-4o",
            "input": [
                {
                    "role": "user",
                    "content": [{"type": "input_text", "text": "?"}, {"type": "input_image", "image_url": url}],
                }
            ],
            **FULL_LOW,
        },
    )
    body = fake.last("/responses").json
    assert body["input"][0]["content"][1]["detail"] == "low"
    assert "headroom" not in str(body.get("metadata", ""))
    _assert_saving_headers(_headroom_headers(response.headers), "full_low")


def test_gemini_generate_content_route(proxy: ProxyProcess, fake: FakeProvider) -> None:
    response = _native_post(
        proxy,
        "/v1beta/models/gemini-3-pro:generateContent",
        {
            "contents": [
                {
                    "role": "user",
                    "parts": [{"text": "?"}, {"inline_data": {"mime_type": "image/jpeg", "data": b64(photo_jpeg())}}],
                }
            ],
            **FULL_LOW,  # the proxy keeps ``metadata`` for itself on this route
        },
    )
    body = fake.last(":generateContent").json
    assert "metadata" not in body
    part = body["contents"][0]["parts"][1]
    inline = part.get("inline_data") or part.get("inlineData")
    assert max(image_size(inline["data"])) < 2400
    headers = _headroom_headers(response.headers)
    _assert_saving_headers(headers, "full_low")
    assert headers["x-headroom-target"] == "gemini/gemini-3-pro"
