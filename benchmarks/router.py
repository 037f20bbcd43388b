"""Router decision latency and cold load, against a floor measured in the same run.

    python benchmarks/router.py

- floor: the 512-px view the pipeline makes before routing (``imaging.make_thumbnail``: reduce +
  bilinear resize) of an already decoded 1920x1080 image;
- decision: image features + query features + inference on that view, with a new query text
  every call (no query-cache hits) and with a repeated query (cache hit, as in a multi-image turn);
  ONNX and rules routers; p50 / p99 wall time, the ratio to the floor, and CPU time per call
  (on a shared machine wall time includes waiting for a core);
- cold load: first ``get_router("onnx")`` + first decision in a fresh process that has already
  loaded the public types and Pillow, as the pipeline has when it first routes (numpy and
  onnxruntime imports + session + metadata check + first decision), median of 5.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import measure, p50, pct, row

QUERIES = [
    "summarise this document",
    "what is this?",
    "how many screws are on the table?",
    "what does the legend in the top right say?",
    "Fasse dieses Dokument bitte zusammen.",
    "¿Qué dice el aviso en la esquina inferior derecha?",
    "这张截图里的报错是什么意思？",
    "この写真はどこで撮られましたか？",
    "Сколько машин на парковке?",
    "Is the 'I agree' checkbox ticked?",
]


def _images() -> list[object]:
    """Two decoded 1920x1080 images: a text page and a photo-like scene (deterministic)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    page = Image.new("RGB", (1920, 1080), "white")
    draw = ImageDraw.Draw(page)
    for i in range(40):
        draw.text((60, 20 + i * 26), f"{i:02d} The supplier shall deliver the goods within thirty days " * 2,
                  fill="black")
    rng = np.random.default_rng(0)
    small = (rng.random((17, 30, 3)) * 255).astype("uint8")
    photo = Image.fromarray(small).resize((1920, 1080), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    noise = rng.normal(0, 6, (1080, 1920, 3))
    photo = Image.fromarray(np.clip(np.asarray(photo, dtype=np.float32) + noise, 0, 255).astype("uint8"))
    return [page, photo]


def cold_load() -> float:
    # The pipeline has the public API (pydantic types) and Pillow loaded before it first routes;
    # time what the router adds: its imports (numpy, onnxruntime), the session and the first decision.
    code = (
        "import time, headroom_middleware.types; from PIL import Image; im = Image.new('RGB', (256, 144)); "
        "t = time.perf_counter(); "
        "from headroom_middleware.router import get_router; "
        "get_router('onnx').decide(im, 'what is this?', (1920, 1080)); "
        "print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return sorted(times)[len(times) // 2]


def main() -> None:
    from headroom_middleware import imaging
    from headroom_middleware.router import ROUTER_THUMBNAIL, get_router

    images = _images()
    size = (1920, 1080)
    floor = measure(lambda: imaging.make_thumbnail(images[0], ROUTER_THUMBNAIL), repeat=300, warmup=10)
    floor += measure(lambda: imaging.make_thumbnail(images[1], ROUTER_THUMBNAIL), repeat=300, warmup=10)
    thumbs = [imaging.make_thumbnail(im, ROUTER_THUMBNAIL) for im in images]
    f50 = p50(floor)
    print(row("floor: make_thumbnail of a decoded 1920x1080", f"p50 {f50 * 1e3:.2f} ms"))

    for choice in ("onnx", "rules"):
        try:
            router = get_router(choice)
        except Exception as exc:  # onnxruntime missing: report and go on with rules
            print(row(f"{choice} router", f"unavailable ({exc})"))
            continue
        counter = iter(range(10**9))

        def fresh(router: object = router, counter: object = counter) -> None:
            i = next(counter)  # type: ignore[call-overload]
            q = f"{QUERIES[i % len(QUERIES)]} ({i})"  # a new text each call: no query-cache hit
            router.decide(thumbs[i % 2], q, original_size=size)  # type: ignore[attr-defined]

        def cached(router: object = router, counter: object = counter) -> None:
            i = next(counter)  # type: ignore[call-overload]
            router.decide(thumbs[i % 2], QUERIES[0], original_size=size)  # type: ignore[attr-defined]

        for name, fn in (("new query", fresh), ("repeated query", cached)):
            c0 = time.process_time()
            t = measure(fn, repeat=2000, warmup=50)
            cpu = (time.process_time() - c0) / 2050
            d50, d99 = p50(t), pct(t, 0.99)
            print(row(f"{choice} decision, {name}: CPU (user+sys) per call", f"{cpu * 1e3:.2f} ms"))
            floor = f"make_thumbnail of a decoded 1080p image ({f50 * 1e3:.2f} ms)"
            print(row(f"{choice} decision, {name}: p50", f"{d50 * 1e3:.2f} ms ({d50 / f50:.2f}x floor)",
                      "target < 2 ms", d50 < 0.002, floor=floor))
            print(row(f"{choice} decision, {name}: p99", f"{d99 * 1e3:.2f} ms ({d99 / f50:.2f}x floor)",
                      "target < 5 ms", d99 < 0.005, floor=floor))

    # The pieces of one decision, for orientation.
    from headroom_middleware.router.features import image_features, normalize_query
    from headroom_middleware.router.query_features import _query_part

    t_img = measure(lambda: image_features(thumbs[0], size), repeat=1000, warmup=20)
    q = normalize_query(QUERIES[5])
    t_q = measure(lambda: _query_part.__wrapped__(q), repeat=1000, warmup=20)
    print(row("  of which: image features", f"p50 {p50(t_img) * 1e3:.2f} ms"))
    print(row("  of which: query features (uncached)", f"p50 {p50(t_q) * 1e3:.2f} ms"))

    cold = cold_load()
    print(row("cold load: first get_router('onnx') + decision in a process", f"{cold * 1e3:.0f} ms", "target < 300 ms",
              cold < 0.3))
    try:
        from headroom_middleware.router.onnx_router import model_bytes

        mb = len(model_bytes()) / 1e6
        print(row("model size", f"{mb:.2f} MB", "target < 5 MB", mb < 5,
                  baseline="the anchor system's first-use download, ~128 MB"))
    except Exception as exc:
        print(row("model size", f"unavailable ({exc})"))


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"({time.perf_counter() - t0:.1f} s)")
