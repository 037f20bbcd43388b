"""LangChain adapter against real LangChain clients talking to the local fake provider.

Every assertion about compression is made on what the fake server received on the wire, so
the tests cover the whole path: LCEL / agent -> adapter -> core -> langchain-openai or
langchain-anthropic serialisation -> HTTP.
"""

from __future__ import annotations

import base64
import copy
import io
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fake_provider import FakeProvider
from langchain_anthropic import ChatAnthropic
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.prompt_values import ChatPromptValue, ChatPromptValueConcrete, StringPromptValue
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from PIL import Image, ImageDraw

from headroom_middleware import CompressionConfig, ImageCompressor
from headroom_middleware.adapters.langchain import (
    HEADROOM_EVENT,
    HeadroomAgentMiddleware,
    HeadroomCallbackHandler,
    ImageCompressionRunnable,
    get_headroom_callback,
    target_for_model,
)
from headroom_middleware.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _screenshot(width: int = 1400, height: int = 900, seed: int = 0) -> bytes:
    """A deterministic UI-like PNG: title bar, panels and lines of 'text'."""
    img = Image.new("RGB", (width, height), (245, 246, 248))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, width, 48), fill=(40, 44, 52))
    d.text((16, 16), f"Settings - window {seed}", fill=(255, 255, 255))
    for i in range(18):
        y = 80 + i * 40
        d.rectangle((24, y, 24 + 300 + (i * 37 + seed * 11) % 500, y + 14), fill=(90 + i * 5, 100, 120))
        d.text((860, y), f"row {i}: value {(i * 7919 + seed) % 1000}", fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _size_of_b64(b64: str) -> tuple[int, int]:
    with Image.open(io.BytesIO(base64.b64decode(b64))) as im:
        return im.size


def _openai_images(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every image_url object of an OpenAI chat request body, in order."""
    out = []
    for message in body["messages"]:
        content = message.get("content")
        if isinstance(content, list):
            out += [b["image_url"] for b in content if isinstance(b, dict) and b.get("type") == "image_url"]
    return out


def _anthropic_images(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every image ``source`` of an Anthropic request body (tool_result content included)."""
    out = []

    def walk(blocks: Any) -> None:
        if not isinstance(blocks, list):
            return
        for b in blocks:
            if isinstance(b, dict) and b.get("type") == "image":
                out.append(b["source"])
            elif isinstance(b, dict) and b.get("type") == "tool_result":
                walk(b.get("content"))

    for message in body["messages"]:
        walk(message.get("content"))
    return out


def _openai(fake: FakeProvider, **kwargs: Any) -> ChatOpenAI:
    # A fresh async client per model: langchain-openai caches its default one per base URL,
    # and pytest-asyncio gives every async test its own event loop.
    kwargs.setdefault("http_async_client", httpx.AsyncClient())
    return ChatOpenAI(model="gpt-4o", base_url=fake.url + "/v1", api_key="test", max_retries=0, **kwargs)


def _anthropic(fake: FakeProvider) -> ChatAnthropic:
    return ChatAnthropic(model="claude-sonnet-4-5", base_url=fake.url, api_key="test", max_retries=0)


class _Recorder(BaseCallbackHandler):
    """Run names and headroom events seen by callbacks."""

    def __init__(self) -> None:
        self.chain_names: list[str] = []
        self.events: list[dict[str, Any]] = []

    def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self.chain_names.append(kwargs.get("name") or "")

    def on_custom_event(self, name: str, data: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if name == HEADROOM_EVENT:
            self.events.append(data)


PNG = _screenshot()
PNG_B64 = _b64(PNG)
QUESTION = "What is the overall layout of this window?"


def _human_v1(b64: str = PNG_B64, **kwargs: Any) -> HumanMessage:
    return HumanMessage(
        content=[
            {"type": "text", "text": QUESTION},
            {"type": "image", "base64": b64, "mime_type": "image/png", "id": "img-1"},
        ],
        **kwargs,
    )


# --------------------------------------------------------------------------------------------
# packaging
# --------------------------------------------------------------------------------------------


def test_core_import_does_not_load_langchain() -> None:
    code = (
        "import sys, headroom_middleware\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('langchain', 'langchain_core', 'langgraph'))\n"
        "assert not bad, bad\n"
        "import headroom_middleware.adapters.langchain\n"
        "assert 'langgraph' not in sys.modules, 'the LCEL adapter must not load langgraph'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


def test_missing_langchain_gives_install_hint() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'langchain_core':\n"
        "            raise ImportError('No module named ' + repr(name))\n"
        "sys.meta_path.insert(0, Block())\n"
        "try:\n"
        "    import headroom_middleware.adapters.langchain\n"
        "except ImportError as exc:\n"
        "    assert \"pip install 'headroom-middleware[langchain]'\" in str(exc), exc\n"
        "else:\n"
        "    raise SystemExit('no ImportError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# --------------------------------------------------------------------------------------------
# target resolution
# --------------------------------------------------------------------------------------------


def test_target_for_model(fake_provider: FakeProvider) -> None:
    assert target_for_model(_openai(fake_provider)) == ("openai", "gpt-4o")
    assert target_for_model(_anthropic(fake_provider)) == ("anthropic", "claude-sonnet-4-5")

    @tool
    def noop() -> str:
        """Do nothing."""
        return ""

    bound = _openai(fake_provider).bind_tools([noop])
    assert target_for_model(bound) == ("openai", "gpt-4o")
    assert target_for_model(_openai(fake_provider).bind(model="gpt-4.1")) == ("openai", "gpt-4.1")
    c = ImageCompressionRunnable.for_model(_anthropic(fake_provider))
    assert (c.provider, c.model) == ("anthropic", "claude-sonnet-4-5")


# --------------------------------------------------------------------------------------------
# LCEL chains against the fake server
# --------------------------------------------------------------------------------------------


def test_chain_openai_image_url_gets_detail_low(fake_provider: FakeProvider) -> None:
    fake_provider.clear()
    llm = _openai(fake_provider)
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", "You look at screenshots."),
            (
                "human",
                [
                    {"type": "text", "text": "{question}"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,{image}"}},
                ],
            ),
        ]
    )
    chain = prompt | ImageCompressionRunnable.for_model(llm, force_technique="full_low") | llm
    with get_headroom_callback() as cb:
        answer = chain.invoke({"question": QUESTION, "image": PNG_B64})
    assert answer.content == "fake reply"

    sent = _openai_images(fake_provider.last("/chat/completions").json)
    assert len(sent) == 1
    assert sent[0]["detail"] == "low"
    assert cb.calls == 1 and cb.images == 1 and cb.changed_images == 1
    assert cb.techniques == {"full_low": 1}
    assert cb.original_tokens > cb.compressed_tokens > 0
    assert cb.compressed_tokens == 85  # gpt-4o, detail low


def test_v1_image_block_reaches_openai_with_detail_low(fake_provider: FakeProvider) -> None:
    """langchain-openai drops every key but the URL from v1 `image` blocks; the adapter sends
    a native image_url block so detail: low survives."""
    llm = _openai(fake_provider)
    messages = [SystemMessage("sys"), _human_v1()]
    fake_provider.clear()
    llm.invoke(messages)  # without the adapter: no detail at all on the wire
    assert "detail" not in _openai_images(fake_provider.last("/chat/completions").json)[0]

    fake_provider.clear()
    chain = ImageCompressionRunnable.for_model(llm, force_technique="full_low") | llm
    chain.invoke(messages)
    sent = _openai_images(fake_provider.last("/chat/completions").json)
    assert sent[0]["detail"] == "low"
    assert sent[0]["url"].startswith("data:image/")


def test_openai_translation_matches_langchain_openai_on_the_wire(fake_provider: FakeProvider) -> None:
    """Apart from detail, the native block sends what langchain-openai would have sent,
    prompt-cache breakpoints included."""
    llm = _openai(fake_provider)
    block = {"type": "image", "base64": PNG_B64, "mime_type": "image/png",
             "extras": {"prompt_cache_breakpoint": {"ttl": "1h"}}}
    messages = [HumanMessage(content=[{"type": "text", "text": QUESTION}, block])]
    fake_provider.clear()
    llm.invoke(messages)
    plain = fake_provider.last("/chat/completions").json["messages"][0]["content"][1]
    fake_provider.clear()
    (ImageCompressionRunnable.for_model(llm, force_technique="full_low") | llm).invoke(messages)
    sent = fake_provider.last("/chat/completions").json["messages"][0]["content"][1]
    assert plain["prompt_cache_breakpoint"] == sent["prompt_cache_breakpoint"] == {"ttl": "1h"}
    assert set(plain) == set(sent) and set(sent["image_url"]) == {"url", "detail"}
    assert sent["image_url"]["detail"] == "low"


def test_config_specs_are_declared() -> None:
    chain = ImageCompressionRunnable(provider="openai", model="gpt-4o") | ImageCompressionRunnable(
        provider="anthropic", model="claude-sonnet-4-5"
    )
    assert {s.id for s in chain.config_specs} == {
        "headroom_model", "headroom_provider", "headroom_force_technique", "headroom_disable"
    }


def test_chain_anthropic_gets_resized_pixels(fake_provider: FakeProvider) -> None:
    fake_provider.clear()
    llm = _anthropic(fake_provider)
    prompt = ChatPromptTemplate.from_messages(
        [("human", [{"type": "text", "text": "{question}"},
                    {"type": "image", "base64": "{image}", "mime_type": "image/png"}])]
    )
    chain = prompt | ImageCompressionRunnable.for_model(llm, force_technique="full_low") | llm
    with get_headroom_callback() as cb:
        chain.invoke({"question": QUESTION, "image": PNG_B64})
    body = fake_provider.last("/messages").json
    (source,) = _anthropic_images(body)
    assert source["type"] == "base64"
    w, h = _size_of_b64(source["data"])
    assert w < 1400 and h < 900 and abs(w / h - 1400 / 900) < 0.02  # resized, aspect kept
    assert "detail" not in str(body)  # Anthropic ignores detail: pixels are what count
    assert cb.techniques == {"full_low": 1} and cb.saved_tokens > 0


def test_per_call_target_and_opt_out(fake_provider: FakeProvider) -> None:
    compressor = ImageCompressionRunnable(provider="openai", model="gpt-4o", force_technique="full_low")
    messages = [_human_v1()]
    out = compressor.invoke(
        messages, config={"configurable": {"headroom_model": "anthropic/claude-sonnet-4-5"}}
    )
    block = out[0].content[1]
    assert block["type"] == "image"  # Anthropic target: same v1 block, new pixels
    assert _size_of_b64(block["base64"])[0] < 1400
    assert compressor.invoke(messages, config={"configurable": {"headroom_disable": True}}) is messages


# --------------------------------------------------------------------------------------------
# types, identity and no mutation
# --------------------------------------------------------------------------------------------


def test_types_are_preserved_and_inputs_untouched() -> None:
    c = ImageCompressionRunnable(provider="anthropic", model="claude-sonnet-4-5", force_technique="full_low")
    system = SystemMessage("be brief", id="s1")
    human = _human_v1(id="h1", name="alice")
    ai = AIMessage(
        content="",
        tool_calls=[{"name": "screenshot", "args": {}, "id": "call_1"}],
        id="a1",
        response_metadata={"model_name": "x"},
    )
    tool_msg = ToolMessage(
        content=[{"type": "image_url", "image_url": {"url": "data:image/png;base64," + _b64(_screenshot(seed=3))}}],
        tool_call_id="call_1",
        name="screenshot",
        id="t1",
        additional_kwargs={"extra": 1},
    )
    messages = [system, human, ai, tool_msg]
    snapshot = copy.deepcopy(messages)

    out = c.invoke(messages)
    assert isinstance(out, list) and out is not messages
    assert messages == snapshot  # deep comparison: nothing mutated
    assert out[0] is system and out[2] is ai  # text-only messages are the same objects
    assert type(out[1]) is HumanMessage and (out[1].id, out[1].name) == ("h1", "alice")
    assert out[1].content[0] == human.content[0]  # block order kept
    assert out[1].content[1]["id"] == "img-1" and out[1].content[1]["base64"] != PNG_B64
    assert type(out[3]) is ToolMessage
    assert (out[3].tool_call_id, out[3].name, out[3].id, out[3].additional_kwargs) == (
        "call_1", "screenshot", "t1", {"extra": 1}
    )

    # str and string prompts pass through untouched
    assert c.invoke("hello") == "hello"
    spv = StringPromptValue(text="hi")
    assert c.invoke(spv) is spv

    # prompt values keep their class
    for cls in (ChatPromptValue, ChatPromptValueConcrete):
        value = cls(messages=[system, human])
        before = copy.deepcopy(value)
        result = c.invoke(value)
        assert type(result) is cls and result.messages[0] is system
        assert result.messages[1].content[1]["base64"] != PNG_B64
        assert value == before

    # message dicts and tuples keep their extra keys
    dicts = [{"role": "user", "content": human.content, "name": "alice"}, ("ai", "ok")]
    dicts_before = copy.deepcopy(dicts)
    result = c.invoke(dicts)
    assert result[0]["name"] == "alice" and result[0]["content"][1]["base64"] != PNG_B64
    assert result[1] is dicts[1]
    assert dicts == dicts_before


def test_preserve_returns_the_input_itself() -> None:
    small = _b64(_screenshot(300, 200))  # nothing for preserve to trim
    c = ImageCompressionRunnable(provider="openai", model="gpt-4o", force_technique="preserve")
    messages = [_human_v1(small)]
    with get_headroom_callback() as cb:
        assert c.invoke(messages) is messages
    assert cb.images == 1 and cb.changed_images == 0 and cb.saved_tokens == 0


# --------------------------------------------------------------------------------------------
# Runnable protocol: async, batch, stream, run names, callbacks
# --------------------------------------------------------------------------------------------


async def test_async_batch_stream_and_run_names(fake_provider: FakeProvider) -> None:
    llm = _openai(fake_provider)
    compressor = ImageCompressionRunnable.for_model(llm, force_technique="full_low")
    chain = compressor.with_config(run_name="shrink-images") | llm
    messages = [_human_v1()]
    recorder = _Recorder()
    fake_provider.clear()
    with get_headroom_callback() as cb:
        await chain.ainvoke(messages, config={"callbacks": [recorder]})
        await chain.abatch([messages, messages])
        chunks = [c async for c in chain.astream(messages)]
        sync_chunks = list(chain.stream(messages))
        chain.batch([messages])
    assert "".join(str(c.content) for c in chunks) == "fake reply"
    assert "".join(str(c.content) for c in sync_chunks) == "fake reply"
    assert "shrink-images" in recorder.chain_names
    assert len(recorder.events) == 1 and recorder.events[0]["techniques"] == {"full_low": 1}
    assert cb.calls == 6 and cb.images == 6 and cb.techniques == {"full_low": 6}
    requests = fake_provider.matching("/chat/completions")
    assert len(requests) == 6
    assert all(_openai_images(r.json)[0]["detail"] == "low" for r in requests)
    assert sum(1 for r in requests if r.json.get("stream")) == 2


async def test_event_visible_in_astream_events() -> None:
    c = ImageCompressionRunnable(provider="openai", model="gpt-4o", force_technique="full_low")
    events = [e async for e in c.astream_events([_human_v1()], version="v2")]
    custom = [e for e in events if e["event"] == "on_custom_event"]
    assert [e["name"] for e in custom] == [HEADROOM_EVENT]
    assert custom[0]["data"]["techniques"] == {"full_low": 1}


def test_missing_or_unknown_target_is_an_error() -> None:
    with pytest.raises(ConfigError):
        ImageCompressionRunnable().invoke([_human_v1()])
    with pytest.raises(ConfigError):
        ImageCompressionRunnable(provider="acme").invoke([_human_v1()])
    assert ImageCompressionRunnable().invoke([HumanMessage("text only")])[0].content == "text only"


def test_middleware_unknown_chat_model_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    from langchain.agents.middleware import ModelRequest, ModelResponse
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    middleware = HeadroomAgentMiddleware(force_technique="full_low")
    model = GenericFakeChatModel(messages=iter([AIMessage("ok")]))
    messages = [_human_v1()]
    seen: list[Any] = []

    def handler(request: ModelRequest) -> ModelResponse:
        seen.append(request.messages)
        return ModelResponse(result=[AIMessage("ok")])

    with caplog.at_level(logging.INFO, logger="headroom_middleware"):
        middleware.wrap_model_call(ModelRequest(model=model, messages=messages), handler)
    assert seen[0] is messages
    assert "images are sent unchanged" in caplog.text
    # told the target explicitly, the same middleware compresses
    explicit = HeadroomAgentMiddleware(model="gpt-4o", force_technique="full_low")
    explicit.wrap_model_call(ModelRequest(model=model, messages=messages), handler)
    assert seen[1][0].content[1]["image_url"]["detail"] == "low"


def test_callback_handler_explicit_and_nested() -> None:
    c = ImageCompressionRunnable(provider="openai", model="gpt-4o", force_technique="full_low")
    explicit = HeadroomCallbackHandler()
    with get_headroom_callback() as outer:
        c.invoke([_human_v1()], config={"callbacks": [explicit]})
        with get_headroom_callback() as inner:
            c.invoke([_human_v1()])
    c.invoke([_human_v1()])  # outside every block: counted nowhere
    assert explicit.calls == 1
    assert inner.calls == 1
    assert outer.calls == 2  # both runs, each once
    assert outer.original_tokens == 2 * inner.original_tokens
    assert "saved_tokens" in repr(outer)


def test_fail_open_on_internal_error(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(ImageCompressor):
        def compress_with_report(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("boom")

    c = ImageCompressionRunnable(provider="openai", model="gpt-4o", compressor=Broken())
    messages = [_human_v1()]
    assert c.invoke(messages) is messages
    assert "sent unchanged after RuntimeError" in caplog.text


def test_private_config_gets_its_own_compressor() -> None:
    config = CompressionConfig(jpeg_quality=60)
    c = ImageCompressionRunnable(provider="anthropic", model="claude-sonnet-4-5",
                                 force_technique="full_low", compression_config=config)
    shared = ImageCompressionRunnable(provider="anthropic", model="claude-sonnet-4-5")
    assert c.service.compressor is not shared.service.compressor
    assert c.service.compressor.config is config
    assert c.invoke([_human_v1()])[0].content[1]["mime_type"] in ("image/jpeg", "image/png")


# --------------------------------------------------------------------------------------------
# Agent middleware
# --------------------------------------------------------------------------------------------


def _agent(fake: FakeProvider, middleware: Any) -> Any:
    from langchain.agents import create_agent

    shots = iter([_b64(_screenshot(seed=1)), _b64(_screenshot(seed=2))])

    @tool(response_format="content")
    def take_screenshot(page: str) -> list[dict[str, Any]]:
        """Take a screenshot of a page of the app."""
        return [{"type": "image", "base64": next(shots), "mime_type": "image/png"}]

    return create_agent(model=_openai(fake), tools=[take_screenshot], middleware=[middleware])


def _queue_two_tool_calls_then_answer(fake: FakeProvider) -> None:
    fake.queue_chat_reply(fake.tool_call_reply("take_screenshot", {"page": "settings"}, "call_1"))
    fake.queue_chat_reply(fake.tool_call_reply("take_screenshot", {"page": "billing"}, "call_2"))
    fake.queue_chat_reply({"content": "Both pages look fine."})


def test_agent_loop_compresses_tool_screenshots(fake_provider: FakeProvider) -> None:
    fake_provider.clear()
    _queue_two_tool_calls_then_answer(fake_provider)
    middleware = HeadroomAgentMiddleware(force_technique="full_low", compressor=ImageCompressor())
    agent = _agent(fake_provider, middleware)
    recorder = _Recorder()
    with get_headroom_callback() as cb:
        result = agent.invoke(
            {"messages": [("user", "Check the settings and billing pages.")]},
            config={"callbacks": [recorder]},
        )
    assert result["messages"][-1].content == "Both pages look fine."

    turns = [r.json for r in fake_provider.matching("/chat/completions")]
    assert len(turns) == 3
    assert _openai_images(turns[0]) == []
    second, third = _openai_images(turns[1]), _openai_images(turns[2])
    assert len(second) == 1 and len(third) == 2
    assert all(img["detail"] == "low" for img in second + third)
    # the first screenshot is resent on turn 3 byte for byte (provider prompt caches keep hitting)
    assert third[0] == second[0]
    tool_turn = next(m for m in turns[1]["messages"] if m["role"] == "tool")
    assert tool_turn["tool_call_id"] == "call_1"

    # the agent's state keeps the original screenshots; only what was sent is compressed
    tool_messages = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert [m.content[0]["type"] for m in tool_messages] == ["image", "image"]
    assert _size_of_b64(tool_messages[0].content[0]["base64"]) == (1400, 900)

    # totals: turn 2 saw one image, turn 3 two
    assert cb.calls == 2 and cb.images == 3 and cb.techniques == {"full_low": 3}
    assert [e["images"] for e in recorder.events] == [1, 2]
    # the repeated screenshot gets the same decision and cost on turn 3 (cache: see below)
    repeat = recorder.events[1]["results"][0]
    first = recorder.events[0]["results"][0]
    assert (repeat["technique"], repeat["compressed_tokens"]) == (first["technique"], first["compressed_tokens"])


async def test_agent_loop_async(fake_provider: FakeProvider) -> None:
    fake_provider.clear()
    _queue_two_tool_calls_then_answer(fake_provider)
    agent = _agent(fake_provider, HeadroomAgentMiddleware(force_technique="full_low"))
    with get_headroom_callback() as cb:
        result = await agent.ainvoke({"messages": [("user", "Check both pages.")]})
    assert result["messages"][-1].content == "Both pages look fine."
    turns = [r.json for r in fake_provider.matching("/chat/completions")]
    third = _openai_images(turns[2])
    assert [img["detail"] for img in third] == ["low", "low"]
    assert third[0] == _openai_images(turns[1])[0]
    assert cb.images == 3


def test_agent_repeated_turns_are_byte_identical_and_cached(fake_provider: FakeProvider) -> None:
    """A long loop resending the same screenshots: identical bytes every turn, and each
    screenshot is compressed once (the core's content-hash cache serves the repeats)."""
    from langchain.agents.middleware import ModelRequest, ModelResponse

    class CountingCache:
        """A shared cache that counts the outputs written: one per image actually compressed."""

        def __init__(self) -> None:
            self.data: dict[str, bytes] = {}

        def get(self, key: str) -> bytes | None:
            return self.data.get(key)

        def set(self, key: str, value: bytes, ttl_s: int) -> None:
            self.data[key] = value

    cache = CountingCache()
    middleware = HeadroomAgentMiddleware(provider="anthropic", model="claude-sonnet-4-5",
                                         force_technique="full_low", compressor=ImageCompressor(shared_cache=cache))
    history: list[Any] = [HumanMessage("Watch the screen.")]
    for i in range(6):
        history += [
            AIMessage("", tool_calls=[{"name": "shot", "args": {}, "id": f"c{i}"}]),
            ToolMessage(content=[{"type": "image", "base64": _b64(_screenshot(1600, 1000, seed=i)),
                                  "mime_type": "image/png"}], tool_call_id=f"c{i}"),
        ]
    sent: list[list[Any]] = []

    def handler(request: ModelRequest) -> ModelResponse:
        sent.append(request.messages)
        return ModelResponse(result=[AIMessage("ok")])

    request = ModelRequest(model=_anthropic(fake_provider), messages=history)
    t0 = time.perf_counter()
    middleware.wrap_model_call(request, handler)
    first = time.perf_counter() - t0
    assert len(cache.data) == 6
    t0 = time.perf_counter()
    middleware.wrap_model_call(request, handler)
    second = time.perf_counter() - t0
    assert len(cache.data) == 6  # nothing compressed again
    assert sent[0] == sent[1]  # byte-identical content on both turns
    assert sent[0][2].content[0]["base64"] != history[2].content[0]["base64"]
    assert second < first, (first, second)

    # what langchain-anthropic puts on the wire for them: resized images inside tool_result
    fake_provider.clear()
    _anthropic(fake_provider).invoke(sent[1])
    sources = _anthropic_images(fake_provider.last("/messages").json)
    assert len(sources) == 6
    assert all(_size_of_b64(src["data"])[0] < 1600 for src in sources)


# --------------------------------------------------------------------------------------------
# examples stay runnable
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "argv", "expected"),
    [
        ("langchain_lcel.py", ["--fake", "--force", "full_low"], "detail=low"),
        ("langchain_lcel.py", ["--fake", "--provider", "anthropic", "--force", "full_low"], "512x"),
        ("langchain_agent.py", ["--fake", "--force", "full_low"], "model call 3"),
    ],
)
def test_examples_run_against_the_fake_provider(
    script: str, argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", [script, *argv])
    runpy.run_path(str(ROOT / "examples" / script), run_name="__main__")
    out = capsys.readouterr().out
    assert "answer:" in out and expected in out, out
