"""LiteLLM proxy with vs without the headroom callback, both against the local fake provider.

    python benchmarks/litellm_proxy.py [--requests 150] [--rounds 10] [--concurrency 16]
                                       [--image-requests 24] [--image-rounds 3] [--image-concurrency 6]
                                       [--max-concurrency N]

Starts (and stops) its own fake provider and two proxies from ``examples/litellm_proxy/config.yaml``
on 127.0.0.1: one as shipped (``proxy_handler_instance``), one without the callback. Both also
load ``benchmarks/_loop_lag_probe.py``, which records event-loop lag inside the proxy process.

1. Text-only throughput (20-message chat requests), rounds interleaved between the two
   proxies so machine noise hits both; median of the per-round ratios. Also the proxy's own
   CPU time per request (from /proc, robust to other load) and the in-process cost of the
   callback's hooks per request. Target >= 0.97 for the CPU (capacity) ratio; the wall-clock ratio
   is shown too.
2. Event-loop lag inside the proxy while distinct photos (2400x1600 JPEG, no cache hits) are
   sent concurrently to the three deployments; the router decides. Rounds alternate between
   the proxies; p99 per round, median over rounds. The plain proxy is the floor (LiteLLM itself
   parses the large bodies on the loop). Target p99 < 20 ms, whatever the load: a user's proxy
   does not pause for other jobs either (the floor is shown beside it).

Bounded: a fixed number of requests, then everything started here is stopped. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # the in-process hook timing imports litellm
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

import httpx  # noqa: E402
import yaml  # noqa: E402
from _proxies import proxy_stack  # noqa: E402
from _util import cpu_seconds, pct, row  # noqa: E402
from litellm_helpers import (  # noqa: E402
    EXAMPLE_PROXY_CONFIG,
    ProxyProcess,
    openai_image_message,
    photo_jpeg,
    text_only_messages,
)

PROBE = "headroom_lag_probe.probe_instance"
HEADROOM = "headroom_middleware.adapters.litellm.proxy_handler_instance"


def write_config(workdir: Path, with_headroom: bool) -> Path:
    config = yaml.safe_load(EXAMPLE_PROXY_CONFIG.read_text())
    config["litellm_settings"] = {"callbacks": ([HEADROOM] if with_headroom else []) + [PROBE]}
    path = workdir / f"config-{'headroom' if with_headroom else 'plain'}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


async def run_load(proxy: ProxyProcess, bodies: list[dict], concurrency: int) -> tuple[float, list[float]]:
    """Send every body once with ``concurrency`` in flight; (requests per second, latencies)."""
    queue: asyncio.Queue[dict] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {proxy.master_key}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            t0 = time.perf_counter()
            response = await client.post("/chat/completions", json=body, headers=headers)
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise RuntimeError(f"proxy answered {response.status_code}: {response.text[:300]}")

    async with httpx.AsyncClient(base_url=proxy.url, timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return len(bodies) / elapsed, latencies


async def hook_cost_us(body: dict) -> float:
    """In-process cost of the callback's hooks on one text-only proxy request (µs), noise-free."""
    from litellm.types.utils import CallTypes

    from headroom_middleware.adapters.litellm import HeadroomImageCallback

    callback = HeadroomImageCallback()
    kwargs = {
        **body,
        "model": "openai/gpt-4o",
        "metadata": {"model_group": "gpt-4o", "requester_metadata": {}},
        "litellm_call_id": "bench",
    }

    async def one() -> None:
        await callback.async_pre_call_hook(None, None, kwargs, "acompletion")
        await callback.async_pre_call_deployment_hook(kwargs, CallTypes.acompletion)
        await callback.async_post_call_success_deployment_hook(kwargs, None, CallTypes.acompletion)
        await callback.async_post_call_response_headers_hook(kwargs, None, None)

    for _ in range(500):
        await one()
    n = 5000
    t0 = time.perf_counter()
    for _ in range(n):
        await one()
    return (time.perf_counter() - t0) / n * 1e6


async def sdk_cost_ms(fake_url: str, body: dict, rounds: int = 8, batch: int = 100) -> tuple[float, float]:
    """CPU ms per ``litellm.acompletion`` call in this process without / with the callback.

    Includes LiteLLM's own per-callback work (logging dispatch), which the hook timing misses;
    the fake provider runs in its own process, so only client-side CPU is counted.
    """
    import litellm

    from headroom_middleware.adapters.litellm import HeadroomImageCallback

    async def one_batch() -> float:
        c0 = time.process_time()
        await asyncio.gather(
            *(litellm.acompletion(**body, api_base=f"{fake_url}/v1", api_key="sk-fake") for _ in range(batch))
        )
        # LiteLLM finishes its success logging in background tasks after the calls return: let
        # them run inside this batch's clock (idle waiting costs no CPU time), or the next batch,
        # of the other setup, would be billed for them.
        await asyncio.sleep(0.5)
        return (time.process_time() - c0) * 1000 / batch

    setups = {"plain": [], "headroom": [HeadroomImageCallback()]}
    samples: dict[str, list[float]] = {"plain": [], "headroom": []}
    try:
        for callbacks in setups.values():  # warm up
            litellm.callbacks = callbacks
            await one_batch()
        for r in range(rounds):  # alternate the order: drift and leftovers hit both setups alike
            for name, callbacks in (list(setups.items()) if r % 2 == 0 else list(setups.items())[::-1]):
                litellm.callbacks = callbacks
                samples[name].append(await one_batch())
    finally:
        litellm.callbacks = []
    return statistics.median(samples["plain"]), statistics.median(samples["headroom"])


def lag_samples(path: Path, t0: float, t1: float) -> list[float]:
    time.sleep(0.7)  # the probe flushes twice a second
    samples = []
    for line in path.read_text().splitlines():
        stamp, lag = line.split()
        if t0 <= float(stamp) <= t1:
            samples.append(float(lag))
    return samples


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="headroom-bench-") as tmp:
        workdir = Path(tmp)
        # the proxies run in workdir, so the probe named in their config imports from there
        shutil.copy(REPO / "benchmarks" / "_loop_lag_probe.py", workdir / "headroom_lag_probe.py")
        limit = {} if args.max_concurrency is None else {"HEADROOM_MAX_CONCURRENCY": str(args.max_concurrency)}
        names = ("plain", "headroom")
        configs = {name: write_config(workdir, name == "headroom") for name in names}
        env = {name: {"HEADROOM_LAG_PROBE_FILE": str(workdir / f"lag-{name}.txt"), **limit} for name in names}
        with proxy_stack(configs, workdir, env=env, ready_timeout_s=180) as (fake_url, proxies):
            print(f"fake provider {fake_url}; proxies ready; workdir {workdir}")
            await measure_all(args, workdir, fake_url, proxies)


async def measure_all(args: argparse.Namespace, workdir: Path, fake_url: str, proxies: dict[str, ProxyProcess]) -> None:
    """The two measurements below, against ``proxies["plain"]`` and ``proxies["headroom"]``, both ready."""
    text_body = {"model": "gpt-4o", "messages": text_only_messages(9), "temperature": 0}
    models = ["gpt-4o", "claude-sonnet-4-5", "gemini-3-pro"]
    warm_images = [
        {"model": m, "messages": [openai_image_message(photo_jpeg(800, 600, seed=99), "Describe.")]} for m in models
    ]
    for proxy in proxies.values():  # warm up: connections, router model, code paths
        await run_load(proxy, [text_body] * 40, args.concurrency)
        await run_load(proxy, warm_images, 3)

    # 1. text-only throughput, interleaved rounds (--rounds 0 skips it)
    # Wall-clock throughput on a shared machine is noisy; the proxy's own CPU time per
    # request (all its threads, from /proc) is what bounds its throughput, and is not.
    if args.rounds > 0:
        rps: dict[str, list[float]] = {"plain": [], "headroom": []}
        cpu_ms: dict[str, list[float]] = {"plain": [], "headroom": []}
        for i in range(args.rounds):
            order = ("plain", "headroom") if i % 2 == 0 else ("headroom", "plain")
            for name in order:
                pid = proxies[name].process.pid
                c0 = cpu_seconds(pid)
                value, _ = await run_load(proxies[name], [text_body] * args.requests, args.concurrency)
                cpu_ms[name].append((cpu_seconds(pid) - c0) * 1000 / args.requests)
                rps[name].append(value)
        # Each round pairs the two proxies back to back: the median of the per-round ratios
        # cancels most of the drift that other processes on the machine cause.
        ratio = statistics.median(h / p for p, h in zip(rps["plain"], rps["headroom"], strict=True))
        cpu_ratio = statistics.median(p / h for p, h in zip(cpu_ms["plain"], cpu_ms["headroom"], strict=True))
        cpu_plain, cpu_headroom = statistics.median(cpu_ms["plain"]), statistics.median(cpu_ms["headroom"])
        print(row("text-only rps without / with callback (median)",
                  f"{statistics.median(rps['plain']):.0f} / {statistics.median(rps['headroom']):.0f} req/s"))
        print(row("  rounds (plain | headroom)", " ".join(f"{v:.0f}" for v in rps["plain"])
                  + " | " + " ".join(f"{v:.0f}" for v in rps["headroom"])))
        # Shown, not judged: wall-clock throughput on a shared machine moves with other jobs (0.88-1.26x
        # across runs here); the CPU ratio below is what bounds the proxy's capacity, and it is judged.
        print(row("text-only throughput ratio with / without (wall clock, median of pairs)", f"{ratio:.3f}x",
                  baseline="the same proxy without the callback, paired rounds"))
        print(row("proxy CPU per text-only request without / with", f"{cpu_plain:.2f} / {cpu_headroom:.2f} ms"))
        print(row("capacity ratio with / without (CPU, median of pairs)",
                  f"judged: CPU {cpu_ratio:.3f}x; wall-clock throughput {ratio:.3f}x ({len(rps['plain'])} pairs)",
                  "target >= 0.97 CPU ratio",
                  cpu_ratio >= 0.97, baseline="the same proxy without the callback, paired rounds"))
        hooks = await hook_cost_us(text_body)
        print(row("callback hooks per text-only request (in-process)", f"{hooks:.1f} µs"))
        sdk_plain, sdk_headroom = await sdk_cost_ms(fake_url, text_body)
        delta = max(0.0, sdk_headroom - sdk_plain)
        sdk_text = f"{sdk_plain:.3f} / {sdk_headroom:.3f} ms"
        print(row("litellm.acompletion CPU/call without / with callback", sdk_text))
        implied = cpu_plain / (cpu_plain + delta)
        print(row("  implied proxy capacity ratio (proxy CPU + that delta)", f"{implied:.3f}x", "target >= 0.97",
                  implied >= 0.97, baseline="litellm.acompletion without the callback"))

    # 2. event-loop lag under concurrent image requests. Fresh images every round (no
    # cache hits); rounds alternate between the proxies so load from elsewhere on the
    # machine hits both; the plain proxy is the baseline (LiteLLM parses the big bodies). It does
    # less work, but its measured lag is not a lower bound: scheduling noise is larger than the
    # callback's share (one run: 40 ms without vs 18 ms with), so it is not called a floor.
    t0 = time.time()
    await asyncio.sleep(3)  # idle: what this machine's scheduling alone costs the loop
    for name in ("plain", "headroom"):
        idle = lag_samples(workdir / f"lag-{name}.txt", t0, time.time())
        idle_text = f"{pct(idle, 0.5):.1f} / {pct(idle, 0.99):.1f} ms"
        print(row(f"idle event-loop lag, {name} proxy: p50 / p99", idle_text))
    p99s: dict[str, list[float]] = {"plain": [], "headroom": []}
    for r in range(args.image_rounds):
        images = [photo_jpeg(2400, 1600, seed=1000 + 100 * r + i) for i in range(args.image_requests)]
        bodies = [
            {"model": models[i % len(models)], "messages": [openai_image_message(data, "What is in this photo?")]}
            for i, data in enumerate(images)
        ]
        for name in ("plain", "headroom") if r % 2 == 0 else ("headroom", "plain"):
            t0 = time.time()
            _, latencies = await run_load(proxies[name], bodies, args.image_concurrency)
            lag = lag_samples(workdir / f"lag-{name}.txt", t0, time.time())
            p99s[name].append(pct(lag, 0.99))
            label = "with headroom" if name == "headroom" else "without callback"
            print(row(f"round {r + 1}, {label}: latency p50 | lag p50 / p99 / max",
                      f"{pct(latencies, 0.5) * 1000:.0f} ms | {pct(lag, 0.5):.1f} / {pct(lag, 0.99):.1f} / "
                      f"{max(lag):.1f} ms"))
    floor, ours = statistics.median(p99s["plain"]), statistics.median(p99s["headroom"])
    print(row("event-loop lag p99 without callback (baseline, median)", f"{floor:.1f} ms"))
    # Judged as a user sees it, busy machine or not; the baseline beside it says how much is LiteLLM's own.
    print(row("event-loop lag p99 with headroom (median)", f"{ours:.1f} ms", "target < 20 ms", ours < 20,
              baseline=f"the same proxy without the callback ({floor:.1f} ms)"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=150, help="text-only requests per round and proxy")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--image-requests", type=int, default=24, help="image requests per round and proxy")
    parser.add_argument("--image-rounds", type=int, default=3)
    parser.add_argument("--image-concurrency", type=int, default=6)
    parser.add_argument("--max-concurrency", type=int, help="HEADROOM_MAX_CONCURRENCY for the proxy (0: no limit)")
    asyncio.run(main(parser.parse_args()))
