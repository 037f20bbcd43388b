"""The fake provider itself: routes, recording and forced failures (stdlib + httpx only)."""

from __future__ import annotations

import httpx
from fake_provider import FakeProvider


def test_routes_and_recording(fake_provider: FakeProvider) -> None:
    fake_provider.clear()
    with httpx.Client(base_url=fake_provider.url) as client:
        r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": []})
        assert r.json()["choices"][0]["message"]["content"] == "fake reply"
        assert r.json()["usage"]["prompt_tokens"] > 0
        r = client.post("/v1/responses", json={"model": "gpt-4o", "input": "hi"})
        assert r.json()["output"][0]["content"][0]["type"] == "output_text"
        r = client.post("/v1/messages", json={"model": "claude-sonnet-4-5", "messages": []})
        assert r.json()["usage"]["input_tokens"] > 0
        r = client.post("/v1beta/models/gemini-3-pro:generateContent", json={"contents": []})
        assert r.json()["usageMetadata"]["totalTokenCount"] > 0
        r = client.post("/v1/chat/completions", json={"model": "x-fail-500", "messages": []})
        assert r.status_code == 500
    assert [r.path for r in fake_provider.requests][:2] == ["/v1/chat/completions", "/v1/responses"]
    last = fake_provider.last(path_contains="/messages")
    assert last.json == {"model": "claude-sonnet-4-5", "messages": []}
    assert last.header("content-type") == "application/json"
    fake_provider.clear()
    assert fake_provider.requests == []


def test_chat_stream() -> None:
    with FakeProvider() as fake, httpx.Client(base_url=fake.url) as client:
        r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": [], "stream": True})
        assert r.headers["content-type"] == "text/event-stream"
        assert r.text.rstrip().endswith("data: [DONE]")
