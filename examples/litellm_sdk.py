"""LiteLLM SDK with headroom-middleware: the callback (async, Router) and the sync wrapper.

Runs against a local fake provider (no key, no network) or real providers:

    python examples/litellm_sdk.py --fake
    python examples/litellm_sdk.py --fake --force full_low
    ANTHROPIC_API_KEY=... OPENAI_API_KEY=... python examples/litellm_sdk.py

It sends the shipped photo and invoice samples three ways and prints what each request saved:

1. ``litellm.acompletion`` with ``HeadroomImageCallback`` in ``litellm.callbacks``;
2. a ``litellm.Router`` whose first deployment fails (with ``--fake``) and falls back to
   another provider: each deployment gets the request compressed for its own model;
3. the sync wrapper ``headroom_middleware.adapters.litellm.completion`` (plain sync
   ``litellm.completion`` runs no hook that may change the request).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

# Use the price map bundled with litellm instead of downloading it (must precede the import).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm

from headroom_middleware.adapters import litellm as headroom_litellm
from headroom_middleware.adapters.litellm import HeadroomImageCallback

REPO = Path(__file__).resolve().parents[1]


def sample_message(name: str, media_type: str, question: str) -> dict[str, Any]:
    data = (resources.files("headroom_middleware.samples") / name).read_bytes()
    url = f"data:{media_type};base64,{base64.b64encode(data).decode()}"
    content = [{"type": "text", "text": question}, {"type": "image_url", "image_url": {"url": url}}]
    return {"role": "user", "content": content}


@contextlib.contextmanager
def providers(fake: bool) -> Iterator[dict[str, dict[str, str]]]:
    """Connection settings per provider: the fake server's URL with --fake, else the defaults."""
    if not fake:
        yield {"openai": {}, "anthropic": {}, "fail": {}}
        return
    sys.path.insert(0, str(REPO / "tests"))
    from fake_provider import FakeProvider  # a test helper: standard library only

    with FakeProvider() as server:
        print(f"fake provider on {server.url}")
        yield {
            "openai": {"api_base": f"{server.url}/v1", "api_key": "sk-fake"},
            "anthropic": {"api_base": server.url, "api_key": "sk-ant-fake"},
            "fail": {"api_base": server.url, "api_key": "sk-ant-fake"},
        }


def report(label: str, response: Any) -> None:
    saved = response._hidden_params.get("headroom")
    if not saved:
        print(f"{label:<34} no images compressed")
        return
    print(
        f"{label:<34} {saved['headroom_original_tokens']:>5} -> {saved['headroom_compressed_tokens']:>5} image tokens"
        f"  ({saved['headroom_savings_percent']:.0f}% saved, {saved['headroom_techniques']},"
        f" for {saved['headroom_target']})"
    )


async def main(args: argparse.Namespace) -> None:
    metadata = {"headroom": {"technique": args.force}} if args.force else {}
    photo = sample_message("photo.jpg", "image/jpeg", "What is in this photo?")
    invoice = sample_message("invoice.png", "image/png", "What is the total amount due?")
    callback = HeadroomImageCallback()
    litellm.callbacks = [callback]

    with providers(args.fake) as conn:
        # 1. async SDK call: the callback's deployment hook compresses for claude-sonnet-4-5.
        response = await litellm.acompletion(
            model="anthropic/claude-sonnet-4-5", messages=[photo], max_tokens=200, metadata=metadata,
            **conn["anthropic"],
        )
        report("acompletion (photo, Anthropic)", response)

        # 2. Router with a fallback to another provider.
        primary = "anthropic/claude-fail-500" if args.fake else "anthropic/claude-sonnet-4-5"
        router = litellm.Router(
            model_list=[
                {"model_name": "vision", "litellm_params": {"model": primary, **conn["fail"]}},
                {"model_name": "vision-backup", "litellm_params": {"model": "openai/gpt-4o", **conn["openai"]}},
            ],
            fallbacks=[{"vision": ["vision-backup"]}],
            num_retries=0,
        )
        response = await router.acompletion(model="vision", messages=[invoice], max_tokens=200, metadata=metadata)
        served_by = response._hidden_params.get("litellm_model_name", "?")
        report(f"Router (invoice, via {served_by})", response)

        # 3. The sync wrapper (runs the compression in this thread, then litellm.completion).
        response = await asyncio.to_thread(
            headroom_litellm.completion,
            model="openai/gpt-4o", messages=[photo], metadata=metadata, **conn["openai"],
        )
        report("sync completion wrapper (photo)", response)
        print("reply:", response.choices[0].message.content)
    litellm.callbacks = []


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake", action="store_true", help="use a local fake provider (no key, no network)")
    parser.add_argument("--force", choices=["preserve", "full_low", "crop", "transcode"], help="skip the router")
    asyncio.run(main(parser.parse_args()))
