"""Images and request builders shared by the LiteLLM adapter tests, example and benchmark.

Images are rendered with Pillow so the tests need no files: a large photo-like JPEG (smooth
gradients, shapes, sensor-like noise) and a text page (a short invoice) for OCR.
"""

from __future__ import annotations

import base64
import io
import random
from functools import lru_cache
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
