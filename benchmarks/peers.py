"""Side by side with what users would pick instead: headroom-ai's image compressor (not in CI).

    python benchmarks/peers.py                 # creates the peer's scratch venv on first use
    python benchmarks/peers.py --repeat 9 --peer-venv /tmp/headroom-ai-venv

The same requests go through this project and through ``headroom-ai`` (PyPI, installed into a
scratch venv with its ``image`` extra; litellm pinned to the release this project tests with). Each
tool runs in its own process, which also measures the floor there: Pillow draft decode + resize to
512 px + JPEG encode of the same image. Printed per workload and tool: p50 time and its ratio to that
floor, bytes of the image sent, the tokens the tool reports, and the tokens the target really bills
for what was sent (counted with this project's per-model formulas; OCR text with its text counter).
Offline settings: the peer's model hub is off (``HF_HUB_OFFLINE=1``), as on a machine without network.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from images import encode, photo, text_page  # noqa: E402  (tests/ holds the deterministic images)

PEER = "headroom-ai[image]==0.42.0"
PEER_CONSTRAINTS = ["litellm==1.108.7"]


def _ensure_peer_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {venv} with {PEER} (one time)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", PEER, *PEER_CONSTRAINTS], check=True)
    return python


def _request(raw: bytes, mime: str, question: str) -> list[dict[str, Any]]:
    url = f"data:{mime};base64,{base64.b64encode(raw).decode()}"
    return [{"role": "user", "content": [{"type": "text", "text": question},
                                         {"type": "image_url", "image_url": {"url": url}}]}]


def workloads() -> list[dict[str, Any]]:
    big = encode(photo(4032, 3024), "JPEG", quality=90)
    page = encode(text_page(1920, 1080, size=26), "PNG")
    out = []
    for name, raw, mime, question in (
        ("12 MP photo", big, "image/jpeg", "What is in this picture?"),
        ("1080p text screenshot", page, "image/png", "Summarise what this says."),
    ):
        for model, provider in (("gpt-4o", "openai"), ("anthropic/claude-sonnet-4-5", "anthropic")):
            for mode in ("cheap", "default"):
                out.append({"name": f"{name} → {model}, {mode} path", "mode": mode, "model": model,
                            "peer_provider": provider, "image_b64": base64.b64encode(raw).decode(),
                            "messages": _request(raw, mime, question)})
    return out


def _run(python: Path, tool: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    proc = subprocess.run([str(python), str(HERE / "_peer_worker.py"), tool], input=json.dumps(spec),
                          capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"{tool} worker failed:\n{proc.stderr[-3000:]}")
    return list(json.loads(proc.stdout)["results"])


def true_tokens(messages: list[Any], model: str) -> tuple[int | None, int | None]:
    """(tokens the target bills for the image or its text, bytes of the image sent)."""
    from headroom_middleware import imaging
    from headroom_middleware.formats.walk import find_image_slots
    from headroom_middleware.targets import resolve_target
    from headroom_middleware.tokens import image_tokens
    from headroom_middleware.tokens.text import count_text_tokens

    target = resolve_target(model=model)
    slots = find_image_slots(messages)
    if not slots:  # replaced by text: count the text of the user turn beyond the question
        content = messages[-1]["content"]
        texts = [b.get("text", "") for b in content if isinstance(b, dict)][1:]
        return count_text_tokens("\n".join(texts), target.family, target.model).tokens, None
    ref = slots[0].ref
    raw = imaging.decode_base64(ref.data or "")
    info = imaging.probe(raw)
    return image_tokens(target.token_model, info.width, info.height, ref.detail).tokens, len(raw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-venv", type=Path, default=Path("/tmp/headroom-peer-venv"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = {"repeat": args.repeat, "workloads": workloads()}
    peer_python = _ensure_peer_venv(args.peer_venv)
    rows = _run(Path(sys.executable), "ours", spec) + _run(peer_python, "peer", spec)
    models = {w["name"]: w["model"] for w in spec["workloads"]}
    print(f"{'workload':<56} {'tool':<12} {'technique':<10} {'p50 ms':>8} {'x floor':>8} {'sent KB':>8} "
          f"{'reported':>9} {'true':>6}")
    for name in models:
        for r in (x for x in rows if x["name"] == name):
            true, sent = true_tokens(r["messages"], models[name])
            tool = "this project" if r["tool"] == "ours" else "headroom-ai"
            reported = "-" if r["reported_compressed"] is None else str(r["reported_compressed"])
            print(f"{name:<56} {tool:<12} {r['technique']:<10} {r['seconds'] * 1e3:>8.1f} "
                  f"{r['seconds'] / r['floor_seconds']:>8.2f} {'-' if sent is None else f'{sent / 1e3:.0f}':>8} "
                  f"{reported:>9} {true if true is not None else '?':>6}")
    print("\nx floor: p50 time / p50 of Pillow draft decode + resize + encode of the same image, same process. "
          "true: what the target bills for what was sent.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
