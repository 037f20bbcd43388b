"""Images and request builders shared by the LiteLLM adapter tests, example and benchmark.

Images are rendered with Pillow so the tests need no files: a large photo-like JPEG (smooth
gradients, shapes, sensor-like noise) and a text page (a short invoice) for OCR.
"""

from __future__ import annotations

import base64
import io
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont


@lru_cache(maxsize=4)
def photo_jpeg(width: int = 2400, height: int = 1600, seed: int = 7) -> bytes:
    """A photo-like JPEG: a sky-to-ground gradient, blurred shapes and fine noise."""
    rng = random.Random(seed)
    gradient = Image.linear_gradient("L").resize((width, height))
    base = Image.merge(
        "RGB",
        (
            gradient.point(lambda v: 60 + v // 2),
            gradient.point(lambda v: 120 + v // 4),
            gradient.point(lambda v: 230 - v // 2),
        ),
    )
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 320)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(6))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    photo = Image.blend(base, noise, 0.12)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    return out.getvalue()


@lru_cache(maxsize=2)
def text_page_png(width: int = 1200, height: int = 800) -> bytes:
    """A document page with clear printed text (good OCR material)."""
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    title = ImageFont.load_default(size=44)
    body = ImageFont.load_default(size=30)
    draw.text((60, 50), "INVOICE 2026-0042", fill="black", font=title)
    lines = [
        "Bill to: Northwind Traders, 12 Harbour Road",
        "Date: 25 November 2026",
        "Item                 Qty     Price",
        "Paper A4 boxes        12     48.00",
        "Toner cartridges       3    129.50",
        "Delivery               1     15.00",
        "Total due                   192.50",
        "Payment within 30 days to account 1234 5678",
    ]
    for i, line in enumerate(lines):
        draw.text((60, 150 + i * 70), line, fill="black", font=body)
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def image_size(b64_data: str) -> tuple[int, int]:
    """Pixel size of a base64 image (accepts a data: URL too)."""
    if b64_data.startswith("data:"):
        b64_data = b64_data.split(",", 1)[1]
    with Image.open(io.BytesIO(base64.b64decode(b64_data))) as img:
        return img.size


def openai_image_message(data: bytes, question: str, media_type: str = "image/jpeg") -> dict[str, Any]:
    url = f"data:{media_type};base64,{b64(data)}"
    return {
        "role": "user",
        "content": [{"type": "text", "text": question}, {"type": "image_url", "image_url": {"url": url}}],
    }


def text_only_messages(n: int = 6) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You are terse."}]
    for i in range(n):
        messages.append({"role": "user", "content": f"Question {i}: what is {i} + {i}?"})
        messages.append({"role": "assistant", "content": f"{2 * i}"})
    messages.append({"role": "user", "content": "Thanks. And 7 + 8?"})
    return messages


# -- a real LiteLLM proxy process -----------------------------------------------------------


@dataclass
class ProxyProcess:
    """A ``litellm --config … --port …`` process on 127.0.0.1 that this process started."""

    url: str
    master_key: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        """Poll /health/liveliness until it answers 200 (the proxy takes ~10-20 s to start)."""
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"litellm proxy exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/health/liveliness", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"litellm proxy not ready after {timeout_s:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        # Only the process (group) started here is signalled, by its own id.
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


EXAMPLE_PROXY_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "litellm_proxy" / "config.yaml"


def proxy_config(workdir: Path, *, with_callback: bool = True, source: Path = EXAMPLE_PROXY_CONFIG) -> Path:
    """The example config, copied into ``workdir``; without the callback if asked."""
    import yaml

    config = yaml.safe_load(source.read_text())
    if not with_callback:
        config.pop("litellm_settings", None)
    path = workdir / ("config.yaml" if with_callback else "config-no-callback.yaml")
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def launch_proxy(
    config_path: Path, fake_url: str, workdir: Path, env_extra: dict[str, str] | None = None
) -> ProxyProcess:
    """Start the proxy (not waiting for it); every provider's api_base points at ``fake_url``."""
    port = free_port()
    master_key = "sk-" + secrets.token_hex(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADROOM_")}
    env.update(
        {
            "LITELLM_MASTER_KEY": master_key,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "LITELLM_TELEMETRY": "False",
            "OPENAI_API_KEY": "sk-fake",
            "ANTHROPIC_API_KEY": "sk-ant-fake",
            "GEMINI_API_KEY": "fake",
            "OPENAI_API_BASE": f"{fake_url}/v1",
            "ANTHROPIC_API_BASE": fake_url,
            "GEMINI_API_BASE": fake_url,
            "NO_PROXY": "127.0.0.1,localhost",
            **(env_extra or {}),
        }
    )
    executable = Path(sys.executable).with_name("litellm")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "litellm.proxy.proxy_cli"]
    command += ["--config", str(config_path), "--host", "127.0.0.1", "--port", str(port)]
    log_path = workdir / f"proxy-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()  # the child keeps its own handle
    return ProxyProcess(f"http://127.0.0.1:{port}", master_key, process, log_path)
