"""The ``headroom-middleware`` command: ``demo``, ``compress`` and ``count``.

Example::

    headroom-middleware demo
    headroom-middleware compress request.json --model anthropic/claude-sonnet-4-5 > out.json
    headroom-middleware count photo.jpg --model gpt-5.4 --detail high
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

_REQUEST_KEYS = ("messages", "input", "contents")


def _data_url(name: str) -> str:
    data = resources.files("headroom_middleware.samples").joinpath(name).read_bytes()
    mime = "image/jpeg" if name.endswith(".jpg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _sample_b64(name: str) -> str:
    return _data_url(name).split(",", 1)[1]


def demo_requests() -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(title, target model, messages) of the demo, built from the shipped sample images."""
    invoice, photo = _data_url("invoice.png"), _data_url("photo.jpg")
    return [
        ("Invoice total (OpenAI chat format)", "anthropic/claude-sonnet-4-5", [
            {"role": "user", "content": [
                {"type": "text", "text": "What is the total amount due on this invoice?"},
                {"type": "image_url", "image_url": {"url": invoice}},
            ]},
        ]),
        ("Holiday photo (OpenAI chat format)", "gpt-4o", [
            {"role": "user", "content": [
                {"type": "text", "text": "What kind of scene is this? One sentence."},
                {"type": "image_url", "image_url": {"url": photo}},
            ]},
        ]),
        ("Dashboard legend (Anthropic format)", "anthropic/claude-sonnet-4-5", [
            {"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": _sample_b64("dashboard.png")}},
                {"type": "text", "text": "What does the legend in the top right corner say?"},
            ]},
        ]),
        ("Agent loop: terminal screenshot in a tool result (Anthropic)", "anthropic/claude-opus-4-7", [
            {"role": "user", "content": "Run the test suite and tell me why it fails."},
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "screenshot", "input": {}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                                 "data": _sample_b64("terminal.png")}},
                ]},
            ]},
        ]),
        ("Two turns, two images (Gemini format)", "gemini/gemini-3-pro", [
            {"role": "user", "parts": [
                {"text": "Describe this picture briefly."},
                {"inlineData": {"mimeType": "image/jpeg", "data": _sample_b64("photo.jpg")}},
            ]},
            {"role": "model", "parts": [{"text": "A landscape with hills under a cloudy sky."}]},
            {"role": "user", "parts": [
                {"text": "Now read me the invoice number and the due date on this one."},
                {"inlineData": {"mimeType": "image/png", "data": _sample_b64("invoice.png")}},
            ]},
        ]),
    ]


def _fmt_tokens(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def cmd_demo(args: argparse.Namespace) -> int:
    from . import CompressionConfig, ImageCompressor

    compressor = ImageCompressor(CompressionConfig(router=args.router))
    total_before = total_after = 0
    print(f"{'request':<58} {'img':>3} {'target':<28} {'technique':<10} {'conf':>4} "
          f"{'tokens before':>13} {'after':>7} {'saved':>6}  why")
    for title, model, messages in demo_requests():
        report = compressor.compress_with_report(messages, model=model)
        for r in report.results:
            total_before += r.original_tokens or 0
            total_after += r.compressed_tokens if r.compressed_tokens is not None else (r.original_tokens or 0)
            why = r.reason if len(r.reason) <= 70 else r.reason[:67] + "..."
            print(f"{title[:58]:<58} {r.index:>3} {model[:28]:<28} {r.technique.value:<10} {r.confidence:>4.2f} "
                  f"{_fmt_tokens(r.original_tokens):>13} {_fmt_tokens(r.compressed_tokens):>7} "
                  f"{r.savings_percent:>5.0f}%  {why}")
    saved = 100.0 * (total_before - total_after) / total_before if total_before else 0.0
    last = compressor.last_report
    router = last.results[0].router if last and last.results else "?"
    print(f"\nimage tokens: {total_before:,} -> {total_after:,} ({saved:.0f}% saved); router: {router}")
    return 0


def _load_request(path: str) -> Any:
    if path == "-":
        return json.loads(sys.stdin.read())
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def cmd_compress(args: argparse.Namespace) -> int:
    from . import CompressionConfig, ImageCompressor

    body = _load_request(args.file)
    key = next((k for k in _REQUEST_KEYS if isinstance(body, dict) and isinstance(body.get(k), list)), None)
    messages = body[key] if key else body
    if not isinstance(messages, list):
        print("error: expected a JSON list of messages or a request body with messages/input/contents",
              file=sys.stderr)
        return 2
    model = args.model or (body.get("model") if isinstance(body, dict) else None)
    compressor = ImageCompressor(CompressionConfig(router=args.router))
    report = compressor.compress_with_report(messages, provider=args.provider, model=model,
                                             force_technique=args.technique)
    out = {**body, key: report.messages} if key else report.messages
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    for r in report.results:
        print(f"image {r.index} {r.location}: {r.technique.value} {_fmt_tokens(r.original_tokens)} -> "
              f"{_fmt_tokens(r.compressed_tokens)} tokens ({r.reason})", file=sys.stderr)
    print(f"total: {report.original_tokens} -> {report.compressed_tokens} image tokens "
          f"({report.savings_percent:.0f}% saved)", file=sys.stderr)
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    from . import imaging
    from .targets import resolve_target
    from .tokens import image_tokens

    with open(args.file, "rb") as fh:
        info = imaging.probe(fh.read())
    target = resolve_target(provider=args.provider, model=args.model)
    count = image_tokens(target.token_model, info.width, info.height, args.detail)
    flag = " (estimated)" if target.estimated or count.estimated else ""
    if count.tokens is None:
        print(f"{info.width}x{info.height}: rejected by {target.model} at detail={args.detail}")
        return 1
    print(f"{info.width}x{info.height} on {target.family}/{target.model}: {count.tokens} tokens{flag} "
          f"(processed at {count.processed_size[0]}x{count.processed_size[1]})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``headroom-middleware`` command."""
    parser = argparse.ArgumentParser(prog="headroom-middleware", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="compress sample requests and print per-image decisions")
    p.add_argument("--router", default="auto", choices=["auto", "onnx", "rules"])
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("compress", help="compress a request JSON (file or -) and print it")
    p.add_argument("file")
    p.add_argument("--model", help="target model, e.g. gpt-4o or anthropic/claude-sonnet-4-5")
    p.add_argument("--provider")
    p.add_argument("--technique", choices=["preserve", "full_low", "crop", "transcode"])
    p.add_argument("--router", default="auto", choices=["auto", "onnx", "rules"])
    p.set_defaults(func=cmd_compress)
    p = sub.add_parser("count", help="image tokens of an image file for a model")
    p.add_argument("file")
    p.add_argument("--model", required=True)
    p.add_argument("--provider")
    p.add_argument("--detail")
    p.set_defaults(func=cmd_count)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:  # a CLI should say what went wrong, not dump a traceback
        from .errors import HeadroomError

        if isinstance(exc, (HeadroomError, OSError, json.JSONDecodeError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
