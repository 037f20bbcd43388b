"""LCEL chain: ``prompt | ImageCompressionRunnable.for_model(llm) | llm``.

Runs against a local fake provider (no key, no network) or a real one:

    python examples/langchain_lcel.py --fake                      # OpenAI wire format, fake server
    python examples/langchain_lcel.py --fake --provider anthropic
    OPENAI_API_KEY=sk-... python examples/langchain_lcel.py
    ANTHROPIC_API_KEY=... python examples/langchain_lcel.py --provider anthropic

Options: ``--image PATH`` (default: the shipped dashboard sample), ``--question TEXT``,
``--force full_low|preserve|crop|transcode`` to skip the router.
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

from langchain_core.prompts import ChatPromptTemplate
from PIL import Image

from headroom_middleware.adapters.langchain import ImageCompressionRunnable, get_headroom_callback

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def fake_provider() -> Iterator[Any]:
    """The test suite's fake provider (stdlib only), started in this process."""
    sys.path.insert(0, str(REPO / "tests"))
    from fake_provider import FakeProvider

    with FakeProvider() as fake:
        yield fake


def make_llm(provider: str, base_url: str | None) -> Any:
    if provider == "anthropic":
        from langchain_anthropic import ChatAnthropic

        if base_url:
            return ChatAnthropic(model="claude-sonnet-4-5", base_url=base_url, api_key="fake", max_retries=0)
        return ChatAnthropic(model="claude-sonnet-4-5")
    from langchain_openai import ChatOpenAI

    if base_url:
        return ChatOpenAI(model="gpt-4o", base_url=base_url + "/v1", api_key="fake", max_retries=0)
    return ChatOpenAI(model="gpt-4o")


def read_image(path: str | None) -> tuple[str, str]:
    if path:
        data = Path(path).read_bytes()
    else:
        data = (resources.files("headroom_middleware.samples") / "dashboard.png").read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        mime = Image.MIME.get(im.format or "", "image/png")
        print(f"image: {im.size[0]}x{im.size[1]} {im.format}, {len(data) / 1024:.0f} KiB")
    return base64.b64encode(data).decode(), mime


def describe_sent(fake: Any, provider: str) -> None:
    """What the provider received: detail and pixel size of each image."""
    req = fake.last("/messages" if provider == "anthropic" else "/chat/completions")
    for message in req.json["messages"]:
        for block in message.get("content") or []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "image_url":
                url = block["image_url"]["url"]
                b64, detail = url.split(",", 1)[1], block["image_url"].get("detail", "(none)")
            elif block.get("type") == "image":
                b64, detail = block["source"]["data"], "(n/a)"
            else:
                continue
            with Image.open(io.BytesIO(base64.b64decode(b64))) as im:
                print(f"provider received: {im.size[0]}x{im.size[1]} {im.format}, detail={detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fake", action="store_true", help="use a local fake provider (no key needed)")
    parser.add_argument("--provider", choices=["openai", "anthropic"], default="openai")
    parser.add_argument("--image", help="image file (default: shipped dashboard sample)")
    parser.add_argument("--question", default="What kind of page is this, roughly?")
    parser.add_argument("--force", choices=["preserve", "full_low", "crop", "transcode"])
    args = parser.parse_args()

    b64, mime = read_image(args.image)
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", "Answer in one sentence."),
            (
                "human",
                [
                    {"type": "text", "text": "{question}"},
                    {"type": "image", "base64": "{image}", "mime_type": mime},
                ],
            ),
        ]
    )

    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(fake_provider()) if args.fake else None
        llm = make_llm(args.provider, fake.url if fake else None)
        chain = prompt | ImageCompressionRunnable.for_model(llm, force_technique=args.force) | llm
        with get_headroom_callback() as cb:
            answer = chain.invoke({"question": args.question, "image": b64})
        print(f"answer: {answer.content}")
        for r in cb.results:
            print(
                f"image {r['index']}: {r['technique']} (router={r['router']}, "
                f"confidence={r['confidence']:.2f}) {r['original_tokens']} -> {r['compressed_tokens']} "
                f"tokens; {r['reason']}"
            )
        print(
            f"total: {cb.original_tokens} -> {cb.compressed_tokens} image tokens "
            f"({cb.savings_percent:.0f}% saved) for {llm.__class__.__name__}"
        )
        if fake is not None:
            describe_sent(fake, args.provider)


if __name__ == "__main__":
    main()
