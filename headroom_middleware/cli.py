"""The ``headroom-middleware`` command: ``demo``, ``compress``, ``report`` and ``count``.

Example::

    headroom-middleware demo
    headroom-middleware report request.json photo.jpg --model gpt-4o --query "what is this?" --out r.html
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._units import fmt_bytes, fmt_tokens

if TYPE_CHECKING:
    from .types import CompressionReport, CompressionResult

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


_DETAILS = ("auto", "low", "high", "original", "medium", "ultra_high")
_TECHNIQUES = ("preserve", "full_low", "crop", "transcode")
_ROUTERS = ("auto", "onnx", "rules")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}


def _result_json(title: str, model: str, r: CompressionResult) -> dict[str, Any]:
    return {"request": title, "model": model, **r.model_dump(mode="json"),
            "savings_percent": round(r.savings_percent, 2)}


def _print_results(rows: list[tuple[str, str, CompressionResult]]) -> None:
    """One table row per image; cells wrap instead of being cut (rich)."""
    from rich.table import Table

    table = Table(header_style="bold", show_lines=True)
    table.add_column("image", ratio=3, overflow="fold")
    table.add_column("decision", no_wrap=True)
    table.add_column("image tokens", justify="right", no_wrap=True)
    table.add_column("bytes · time", justify="right", no_wrap=True)
    table.add_column("why", ratio=4, overflow="fold")
    for title, model, r in rows:
        table.add_row(f"{title}\n#{r.index} → {model}", f"{r.technique.value}\nconfidence {r.confidence:.2f}",
                      f"{fmt_tokens(r.original_tokens)} → {fmt_tokens(r.compressed_tokens)}\n"
                      f"{r.savings_percent:.0f}% saved",
                      f"{fmt_bytes(r.original_bytes)} → {fmt_bytes(r.compressed_bytes)}\n{r.duration_ms:,.0f} ms",
                      r.reason)
    _console().print(table)


def _console(*, stderr: bool = False) -> Any:
    """A rich console; at least 110 columns wide when output is not a terminal (files, CI logs)."""
    from rich.console import Console

    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=max(console.width, 110))


def _run_batch(compressor: Any, jobs: Sequence[tuple[str, str, Any]], *, technique: str | None = None,
               provider: str | None = None, quiet: bool = False) -> list[tuple[str, str, Any, CompressionReport]]:
    """Compress each (title, model, messages) with a progress bar on stderr (OCR can take seconds)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    done: list[tuple[str, str, Any, CompressionReport]] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True, disable=quiet, console=_console(stderr=True)) as progress:
        task = progress.add_task("compressing", total=len(jobs))
        for title, model, messages in jobs:
            progress.update(task, description=f"compressing {title[:40]}")
            report = compressor.compress_with_report(messages, provider=provider, model=model,
                                                     force_technique=technique)
            done.append((title, model, messages, report))
            progress.advance(task)
    return done


def _totals(done: Sequence[tuple[str, str, Any, CompressionReport]]) -> tuple[int, int]:
    return sum(d[3].original_tokens for d in done), sum(d[3].compressed_tokens for d in done)


def _write_html(path: str, done: Sequence[tuple[str, str, Any, CompressionReport]],
                price_per_mtok: float | None) -> str:
    from .html_report import ReportItem, write_report

    items = [ReportItem(title, model, messages, report) for title, model, messages, report in done]
    return str(write_report(path, items, price_per_mtok=price_per_mtok))


def cmd_demo(args: argparse.Namespace) -> int:
    from . import CompressionConfig, ImageCompressor

    compressor = ImageCompressor(CompressionConfig(router=args.router))
    jobs = [(title, model, messages) for title, model, messages in demo_requests()]
    done = _run_batch(compressor, jobs, quiet=args.json)
    before, after = _totals(done)
    saved = 100.0 * (before - after) / before if before else 0.0
    path = _write_html(args.report, done, None) if args.report else None
    if args.json:
        json.dump({"images": [_result_json(t, m, r) for t, m, _, rep in done for r in rep.results],
                   "original_tokens": before, "compressed_tokens": after, "savings_percent": round(saved, 2),
                   "report": path}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    _print_results([(t, m, r) for t, m, _, rep in done for r in rep.results])
    routers = sorted({r.router for *_, rep in done for r in rep.results} - {"history", "forced", "none"})
    print(f"\nimage tokens: {before:,} -> {after:,} ({saved:.0f}% saved); router: {', '.join(routers) or '?'}")
    if path:
        print(f"before/after report: {path}")
    return 0


def _load_request(path: str) -> Any:
    if path == "-":
        return json.loads(sys.stdin.read())
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _split_body(body: Any) -> tuple[str | None, list[Any]]:
    key = next((k for k in _REQUEST_KEYS if isinstance(body, dict) and isinstance(body.get(k), list)), None)
    messages = body[key] if key else body
    if not isinstance(messages, list):
        raise ValueError("expected a JSON list of messages or a request body with messages/input/contents")
    return key, messages


def cmd_compress(args: argparse.Namespace) -> int:
    from . import CompressionConfig, ImageCompressor

    body = _load_request(args.file)
    key, messages = _split_body(body)
    model = args.model or (body.get("model") if isinstance(body, dict) else None)
    compressor = ImageCompressor(CompressionConfig(router=args.router))
    report = compressor.compress_with_report(messages, provider=args.provider, model=model,
                                             force_technique=args.technique)
    out = {**body, key: report.messages} if key else report.messages
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    for r in report.results:
        print(f"image {r.index} {r.location}: {r.technique.value} {fmt_tokens(r.original_tokens)} -> "
              f"{fmt_tokens(r.compressed_tokens)} tokens ({r.reason})", file=sys.stderr)
    print(f"total: {report.original_tokens} -> {report.compressed_tokens} image tokens "
          f"({report.savings_percent:.0f}% saved)", file=sys.stderr)
    return 0


def _image_request(path: Path, query: str) -> list[dict[str, Any]]:
    from . import imaging

    data = path.read_bytes()
    media_type = imaging.probe(data).media_type
    content: list[dict[str, Any]] = [{"type": "text", "text": query}] if query else []
    content.append({"type": "image_url",
                    "image_url": {"url": f"data:{media_type};base64,{base64.b64encode(data).decode()}"}})
    return [{"role": "user", "content": content}]


def _report_jobs(args: argparse.Namespace) -> list[tuple[str, str, Any]]:
    """(title, model, messages) for every input: image files, request JSON, or JSONL of requests."""
    jobs: list[tuple[str, str, Any]] = []
    for name in args.inputs:
        path = Path(name)
        if path.suffix.lower() in _IMAGE_SUFFIXES:
            jobs.append((f"{path.name}: {args.query or '(no question)'}", args.model, _image_request(path, args.query)))
            continue
        text = path.read_text(encoding="utf-8")
        bodies = ([json.loads(line) for line in text.splitlines() if line.strip()]
                  if path.suffix.lower() == ".jsonl" else [json.loads(text)])
        for n, body in enumerate(bodies, 1):
            _, messages = _split_body(body)
            model = args.model or (body.get("model") if isinstance(body, dict) else None)
            if not model:
                raise ValueError(f"{name}: no model in the request; pass --model")
            jobs.append((f"{path.name}" + (f" #{n}" if len(bodies) > 1 else ""), str(model), messages))
    return jobs


def cmd_report(args: argparse.Namespace) -> int:
    from . import CompressionConfig, ImageCompressor

    if args.model is None and any(Path(n).suffix.lower() in _IMAGE_SUFFIXES for n in args.inputs):
        raise ValueError("image files need --model (the target, e.g. gpt-4o)")
    jobs = _report_jobs(args)
    compressor = ImageCompressor(CompressionConfig(router=args.router))
    done = _run_batch(compressor, jobs, technique=args.technique, provider=args.provider, quiet=args.json)
    path = _write_html(args.out, done, args.price_per_mtok)
    before, after = _totals(done)
    if args.json:
        json.dump({"report": path, "images": [_result_json(t, m, r) for t, m, _, rep in done for r in rep.results],
                   "original_tokens": before, "compressed_tokens": after}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_results([(t, m, r) for t, m, _, rep in done for r in rep.results])
        print(f"image tokens: {before:,} -> {after:,}; report: {path}")
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    from . import imaging
    from .targets import resolve_target
    from .tokens import image_tokens

    with open(args.file, "rb") as fh:
        info = imaging.probe(fh.read())
    target = resolve_target(provider=args.provider, model=args.model)
    count = image_tokens(target.token_model, info.width, info.height, args.detail)
    estimated = target.estimated or count.estimated
    if args.json:
        json.dump({"width": info.width, "height": info.height, "model": target.model, "family": target.family,
                   "detail": args.detail, "tokens": count.tokens, "estimated": estimated,
                   "processed_size": list(count.processed_size), "rejected": count.tokens is None},
                  sys.stdout)
        sys.stdout.write("\n")
        return 0 if count.tokens is not None else 1
    flag = " (estimated)" if estimated else ""
    if count.tokens is None:
        print(f"{info.width}x{info.height}: rejected by {target.model} at detail={args.detail}")
        return 1
    print(f"{info.width}x{info.height} on {target.family}/{target.model}: {count.tokens} tokens{flag} "
          f"(processed at {count.processed_size[0]}x{count.processed_size[1]})")
    return 0


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``headroom-middleware`` command."""
    parser = argparse.ArgumentParser(prog="headroom-middleware", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="compress sample requests, print per-image decisions, write the HTML report")
    p.add_argument("--router", default="auto", choices=_ROUTERS)
    p.add_argument("--report", default="headroom-demo-report.html", metavar="PATH",
                   help="where to write the before/after HTML report ('' for none)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("compress", help="compress a request JSON (file or -) and print it")
    p.add_argument("file")
    p.add_argument("--model", help="target model, e.g. gpt-4o or anthropic/claude-sonnet-4-5")
    p.add_argument("--provider")
    p.add_argument("--technique", choices=_TECHNIQUES)
    p.add_argument("--router", default="auto", choices=_ROUTERS)
    p.set_defaults(func=cmd_compress)
    p = sub.add_parser("report", help="write a before/after HTML report for requests or image files")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="request .json (body or message list), .jsonl of requests, or image files")
    p.add_argument("--model", help="target model (required for image files; overrides the requests' model)")
    p.add_argument("--query", default="", help="the question asked about image files")
    p.add_argument("--provider")
    p.add_argument("--technique", choices=_TECHNIQUES)
    p.add_argument("--router", default="auto", choices=_ROUTERS)
    p.add_argument("--out", default="headroom-report.html", metavar="PATH")
    p.add_argument("--price-per-mtok", type=_positive_float, default=None,
                   help="USD per million input tokens (default: LiteLLM's list price when installed)")
    p.add_argument("--json", action="store_true", help="machine-readable summary on stdout")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("count", help="image tokens of an image file for a model")
    p.add_argument("file")
    p.add_argument("--model", required=True)
    p.add_argument("--provider")
    p.add_argument("--detail", choices=_DETAILS,
                   help="OpenAI detail or Gemini 3 media resolution (default: the model's own default)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=cmd_count)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except Exception as exc:  # a CLI should say what went wrong, not dump a traceback
        from .errors import HeadroomError

        if isinstance(exc, (HeadroomError, OSError, ValueError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
