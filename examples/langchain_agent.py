"""A LangChain v1 agent whose tool returns screenshots, with ``HeadroomAgentMiddleware``.

Every model call of the loop resends the earlier screenshots; the middleware compresses
each of them once (content-hash cache) and sends the same bytes on every later turn. The
agent's state keeps the original images.

    python examples/langchain_agent.py --fake                    # fake provider, scripted turns
    OPENAI_API_KEY=sk-... python examples/langchain_agent.py     # a real model drives the loop

Options: ``--force full_low|preserve|crop|transcode`` to skip the router.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from PIL import Image

from headroom_middleware.adapters.langchain import HeadroomAgentMiddleware, get_headroom_callback

REPO = Path(__file__).resolve().parents[1]
PAGES = {"dashboard": "dashboard.png", "terminal": "terminal.png", "invoice": "invoice.png"}


@contextlib.contextmanager
def fake_provider() -> Iterator[Any]:
    """The test suite's fake provider (stdlib only), started in this process."""
    sys.path.insert(0, str(REPO / "tests"))
    from fake_provider import FakeProvider

    with FakeProvider() as fake:
        yield fake


@tool(response_format="content")
def take_screenshot(page: str) -> list[dict[str, Any]]:
    """Take a screenshot of one page of the app: 'dashboard', 'terminal' or 'invoice'."""
    name = PAGES.get(page, "dashboard.png")
    data = (resources.files("headroom_middleware.samples") / name).read_bytes()
    return [
        {"type": "image", "base64": base64.b64encode(data).decode(), "mime_type": "image/png"},
    ]


def script_turns(fake: Any) -> None:
    """The fake model: look at two pages, then answer."""
    fake.queue_chat_reply(fake.tool_call_reply("take_screenshot", {"page": "dashboard"}, "call_1"))
    fake.queue_chat_reply(fake.tool_call_reply("take_screenshot", {"page": "terminal"}, "call_2"))
    fake.queue_chat_reply({"content": "The dashboard shows the metrics; the terminal shows a build log."})


def describe_turns(fake: Any) -> None:
    for turn, req in enumerate(fake.matching("/chat/completions"), start=1):
        images = []
        for message in req.json["messages"]:
            for block in message.get("content") or []:
                if isinstance(block, dict) and block.get("type") == "image_url":
                    raw = base64.b64decode(block["image_url"]["url"].split(",", 1)[1])
                    with Image.open(io.BytesIO(raw)) as im:
                        images.append(f"{im.size[0]}x{im.size[1]} detail={block['image_url'].get('detail')}")
        print(f"model call {turn}: {len(req.body) / 1024:.0f} KiB request, images: {images or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fake", action="store_true", help="use a local fake provider (no key needed)")
    parser.add_argument("--force", choices=["preserve", "full_low", "crop", "transcode"])
    parser.add_argument("--question", default="Give me a quick overall impression of the dashboard and terminal pages.")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(fake_provider()) if args.fake else None
        if fake is not None:
            script_turns(fake)
            model = ChatOpenAI(model="gpt-4o", base_url=fake.url + "/v1", api_key="fake", max_retries=0)
        else:
            model = ChatOpenAI(model="gpt-4o")
        agent = create_agent(
            model=model,
            tools=[take_screenshot],
            system_prompt="You inspect the app by taking screenshots. Be brief.",
            middleware=[HeadroomAgentMiddleware(force_technique=args.force)],
        )
        with get_headroom_callback() as cb:
            result = agent.invoke(
                {"messages": [("user", args.question)]}
            )
        print(f"answer: {result['messages'][-1].content}")
        kept = [m for m in result["messages"] if isinstance(m, ToolMessage)]
        print(f"agent state: {len(kept)} tool results, original images kept")
        print(
            f"{cb.calls} model calls with images, {cb.images} images sent in total, "
            f"{cb.original_tokens} -> {cb.compressed_tokens} image tokens ({cb.savings_percent:.0f}% saved), "
            f"techniques {cb.techniques}, {cb.duration_ms:.0f} ms compressing"
        )
        if fake is not None:
            describe_turns(fake)


if __name__ == "__main__":
    main()
