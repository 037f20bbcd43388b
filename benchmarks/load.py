"""Load: 200+ concurrent mixed image requests, hostile ones included, through a real LiteLLM proxy.

    python benchmarks/load.py [--requests 240] [--concurrency 240] [--timeout 300]

Starts (and stops) the local fake provider (``tests/fake_provider.py``) and two proxies from
``examples/litellm_proxy/config.yaml`` on 127.0.0.1: one with the headroom callback as shipped, one
without (the baseline). The same request mix is sent to each, all at once (``--concurrency`` in
flight), spread over the three deployments (OpenAI, Anthropic, Gemini):

- ordinary traffic: distinct photos (JPEG), text pages (PNG, some asking for a transcription),
  text-only chats;
- hostile traffic: thin strips (1x20000, 3x1600 + "Transcribe..."), an 80 MP flat PNG (311 KB),
  a 20k-page TIFF, 100 nested tool_result levels, a 1 MB question, lone surrogates, truncated and
  odd base64, remote URLs of several schemes, a forced upper-case technique in the metadata.

Reported per proxy: errors (any non-200 answer or transport failure). Some hostile requests are
refused by LiteLLM itself with or without the callback (lone surrogates are invalid JSON to it,
it tries to fetch remote URLs for Anthropic/Gemini, deep tool_result nesting is not a valid
OpenAI message): the target is 0 requests that fail *only* with headroom. Also latency
p50 / p99 / max, the proxy process's peak resident memory under load (sampled every 50 ms, plus
the kernel's lifetime high-water mark) and its CPU time (user + system).
Bounded: a fixed number of requests, a per-request timeout, then everything started here is
stopped. Loopback only; not part of CI.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

import httpx  # noqa: E402
from _proxies import proxy_stack  # noqa: E402
from _util import PeriodicSampler, cpu_seconds, pct, row  # noqa: E402
from hostile_cases import flat_png, many_page_tiff  # noqa: E402
from litellm_helpers import (  # noqa: E402
    ProxyProcess,
    photo_jpeg,
    proxy_config,
    text_only_messages,
    text_page_png,
)

MODELS = ("gpt-4o", "claude-sonnet-4-5", "gemini-3-pro")


def _image(data: bytes, mime: str) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{base64.b64encode(data).decode()}"}}


def _user(question: str, *blocks: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": question}, *blocks]}]


def _nested(levels: int, leaf: dict[str, Any]) -> list[dict[str, Any]]:
    block = leaf
    for _ in range(levels):
        block = {"type": "tool_result", "tool_use_id": "t1", "content": [block]}
    return [{"role": "user", "content": [{"type": "text", "text": "What does the tool output show?"}, block]}]


def request_mix(n: int, seed: int = 20261207) -> list[tuple[str, dict[str, Any]]]:
    """``n`` (kind, body) pairs: about a third hostile, the rest ordinary, in a shuffled order."""
    rng = random.Random(seed)
    small_png = text_page_png(600, 400)
    pages = [text_page_png(1200, 800 + 16 * i) for i in range(8)]
    hostile: list[tuple[str, list[dict[str, Any]], dict[str, Any]]] = [
        ("thin_1x20000", _user("What is this?", _image(flat_png(1, 20000, 3), "image/png")), {}),
        ("thin_3x1600_transcribe", _user("Transcribe all the text in this image.",
                                         _image(flat_png(3, 1600, 3), "image/png")), {}),
        ("flat_png_80mp", _user("What is this?", _image(flat_png(10000, 8000), "image/png")), {}),
        ("tiff_20k_pages", _user("What is this?", _image(many_page_tiff(20_000), "image/tiff")), {}),
        ("nested_100", _nested(100, _image(small_png, "image/png")), {}),
        ("question_1mb", _user("What is the total? " * 55_000, _image(small_png, "image/png")), {}),
        ("surrogates", _user("Describe \ud800 this \udfff", _image(small_png, "image/png")), {}),
        ("truncated_base64", _user("What?", {"type": "image_url", "image_url": {
            "url": "data:image/png;base64," + base64.b64encode(small_png).decode()[:999]}}), {}),
        ("odd_base64", _user("What?", {"type": "image_url", "image_url": {
            "url": "data:image/png;base64," + base64.urlsafe_b64encode(small_png).decode().rstrip("=")}}), {}),
        ("remote_urls", _user("What?", *({"type": "image_url", "image_url": {"url": u}} for u in (
            "http://127.0.0.1:9/x.png", "file:///etc/passwd", "ftp://127.0.0.1/x.png"))), {}),
        ("technique_upper", _user("What is in this photo?", _image(photo_jpeg(1600, 1200, seed=5), "image/jpeg")),
         {"metadata": {"headroom": {"technique": "FULL_LOW"}}}),
    ]
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        model = MODELS[i % len(MODELS)]
        slot = i % 12
        extra: dict[str, Any] = {}
        if slot < 4:
            name, messages, extra = hostile[(i // 3) % len(hostile)]
            kind = f"hostile:{name}"
        elif slot < 8:
            kind, messages = "photo", _user("What is in this photo?",
                                            _image(photo_jpeg(1600, 1200, seed=1000 + i), "image/jpeg"))
        elif slot < 10:
            question = rng.choice(["Transcribe all the text in this image.", "What does line 3 say?",
                                   "Summarise this page."])
            kind, messages = "text_page", _user(question, _image(pages[i % len(pages)], "image/png"))
        else:
            kind, messages = "text_only", text_only_messages(6)
        out.append((kind, {"model": model, "messages": messages, "max_tokens": 16, **extra}))
    rng.shuffle(out)
    return out


class RssSampler(PeriodicSampler):
    """Peak resident memory of one process, sampled every 50 ms from /proc while running."""

    def __init__(self, pid: int) -> None:
        super().__init__(0.05)
        self.pid, self.peak_mb = pid, 0.0

    def sample(self) -> None:
        self.peak_mb = max(self.peak_mb, status_mb(self.pid, "VmRSS"))


def status_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def send_all(proxy: ProxyProcess, mix: list[tuple[str, dict[str, Any]]], concurrency: int,
                   timeout_s: float) -> tuple[list[float], dict[int, str]]:
    """Send every request with ``concurrency`` in flight; (latencies in s, {request index: error})."""
    headers = {"Authorization": f"Bearer {proxy.master_key}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors: dict[int, str] = {}

    async def one(client: httpx.AsyncClient, i: int, kind: str, body: dict[str, Any]) -> None:
        async with gate:
            t0 = time.perf_counter()
            try:
                # json.dumps escapes lone surrogates (\\ud800), as a JSON client in any language may send them
                response = await client.post("/chat/completions", content=json.dumps(body).encode(), headers=headers)
                if response.status_code != 200:
                    errors[i] = f"{kind}: HTTP {response.status_code} {response.text[:120]!r}"
            except Exception as exc:  # counted, never aborting the batch
                errors[i] = f"{kind}: {exc.__class__.__name__}"
            latencies.append(time.perf_counter() - t0)

    async with httpx.AsyncClient(base_url=proxy.url, timeout=timeout_s, limits=limits) as client:
        await asyncio.gather(*(one(client, i, kind, body) for i, (kind, body) in enumerate(mix)))
    return latencies, errors


async def main(args: argparse.Namespace) -> int:
    mix = request_mix(args.requests)
    kinds: dict[str, int] = {}
    for kind, _ in mix:
        kinds[kind.split(":")[0]] = kinds.get(kind.split(":")[0], 0) + 1
    print(f"{len(mix)} requests: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    with tempfile.TemporaryDirectory(prefix="headroom-load-") as tmp:
        workdir = Path(tmp)
        configs = {name: proxy_config(workdir, with_callback=name == "headroom") for name in ("baseline", "headroom")}
        with proxy_stack(configs, workdir, ready_timeout_s=240) as (_, proxies):
            return await measure(args, mix, proxies)


async def measure(args: argparse.Namespace, mix: list[tuple[str, dict[str, Any]]],
                  proxies: dict[str, ProxyProcess]) -> int:
    """Send ``mix`` to the baseline proxy, then to the headroom one; 1 if a request fails only with headroom."""
    failed = False
    errors_by: dict[str, dict[int, str]] = {}
    warm_photo = _image(photo_jpeg(800, 600, seed=1), "image/jpeg")
    warm = [("warm", {"model": m, "messages": _user("Describe.", warm_photo), "max_tokens": 16}) for m in MODELS]
    for name in ("baseline", "headroom"):
        await send_all(proxies[name], warm, 3, args.timeout)  # engines loaded, connections open
        pid = proxies[name].process.pid
        rss_before = status_mb(pid, "VmRSS")
        c0, t0 = cpu_seconds(pid), time.perf_counter()
        with RssSampler(pid) as sampler:
            latencies, errors = await send_all(proxies[name], mix, args.concurrency, args.timeout)
        wall, cpu = time.perf_counter() - t0, cpu_seconds(pid) - c0
        errors_by[name] = errors
        by_kind: dict[str, int] = {}
        for e in errors.values():
            kind = e.split(":")[1] if e.startswith("hostile:") else e.split(":")[0]
            by_kind[kind] = by_kind.get(kind, 0) + 1
        print(row(f"{name}: errors (any cause)", f"{len(errors)} / {len(mix)}"))
        if by_kind:
            print("    by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
        if name == "headroom":
            only_ours = {i: e for i, e in errors.items() if i not in errors_by["baseline"]}
            print(row("headroom: requests failing only with headroom", f"{len(only_ours)}", "target 0",
                      not only_ours, baseline="the same proxy and requests without the callback"))
            for e in list(only_ours.values())[:10]:
                print("    " + e)
            failed = bool(only_ours)
        print(row(f"{name}: latency p50 / p99 / max", f"{pct(latencies, 0.5):.2f} / {pct(latencies, 0.99):.2f}"
                  f" / {max(latencies):.2f} s"))
        print(row(f"{name}: proxy RSS before / peak under load", f"{rss_before:.0f} / {sampler.peak_mb:.0f} MB"))
        print(row(f"{name}: proxy lifetime peak RSS (VmHWM)", f"{status_mb(pid, 'VmHWM'):.0f} MB"))
        print(row(f"{name}: proxy CPU (user+sys) / wall for the batch", f"{cpu:.1f} / {wall:.1f} s"))
        print(row(f"{name}: mean latency", f"{statistics.mean(latencies):.2f} s"))
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument("--concurrency", type=int, default=240, help="requests in flight at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="per-request timeout, seconds")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    sys.exit(asyncio.run(main(parser.parse_args())))
