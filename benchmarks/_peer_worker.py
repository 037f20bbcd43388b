"""Timing worker of ``benchmarks/peers.py``; runs inside the venv of the tool it measures.

    python _peer_worker.py ours|peer < spec.json > results.json

For each workload it measures, in this process: the floor (Pillow draft decode + resize to a
512 px long side + JPEG encode of the same image) and the tool on the same request, and returns the
tool's output messages (so the parent counts the tokens really sent) with the tokens the tool
reports. Offline: the peer's model hub is switched off, so it runs as it would without network.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def _floor(raw: bytes) -> None:
    from PIL import Image

    img = Image.open(io.BytesIO(raw))
    w, h = img.size
    scale = 512 / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    img.draft("RGB", size)
    img = img.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    img.save(io.BytesIO(), "JPEG", quality=85)


def _p50(fn: Any, repeat: int) -> float:
    fn()  # warm-up: model loads, caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ours(messages: list[Any], w: dict[str, Any]) -> tuple[list[Any], int | None, int | None, str]:
    from headroom_middleware import CompressionConfig, ImageCompressor

    # cache off: each timed call does the work (the loaded router and OCR engine are process-wide)
    c = ImageCompressor(CompressionConfig(cache_size=0))
    report = c.compress_with_report(messages, model=w["model"],
                                    force_technique="full_low" if w["mode"] == "cheap" else None)
    r = report.results[0] if report.results else None
    return report.messages, report.original_tokens, report.compressed_tokens, r.technique.value if r else "?"


def _peer(messages: list[Any], w: dict[str, Any], comp: Any) -> tuple[list[Any], int | None, int | None, str]:
    from headroom.image import Technique

    if w["mode"] == "cheap":  # no public way to force a technique: the private apply step
        out = comp._apply_compression(messages, Technique.FULL_LOW, w["peer_provider"], None)
        return out, None, None, "full_low"
    out = comp.compress(messages, provider=w["peer_provider"])
    r = comp.last_result
    return out, (r.original_tokens if r else None), (r.compressed_tokens if r else None), (
        r.technique.value if r else "none")


def main() -> None:
    tool = sys.argv[1]
    spec = json.load(sys.stdin)
    results = []
    peer_comp = None
    if tool == "peer":
        from headroom.image import ImageCompressor as PeerCompressor

        peer_comp = PeerCompressor()
    for w in spec["workloads"]:
        raw = base64.b64decode(w["image_b64"])
        messages = w["messages"]
        floor_s = _p50(lambda raw=raw: _floor(raw), spec["repeat"])
        if tool == "ours":
            t = _p50(lambda messages=messages, w=w: _ours(messages, w), spec["repeat"])
            out, before, after, technique = _ours(messages, w)
        else:
            # deep copies: a tool that edits the request in place must not see its own output again
            t = _p50(lambda messages=messages, w=w: _peer(copy.deepcopy(messages), w, peer_comp), spec["repeat"])
            out, before, after, technique = _peer(copy.deepcopy(messages), w, peer_comp)
        results.append({"name": w["name"], "tool": tool, "seconds": t, "floor_seconds": floor_s,
                        "messages": out, "reported_original": before, "reported_compressed": after,
                        "technique": technique})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
