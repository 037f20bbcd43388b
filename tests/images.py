"""Images rendered for the tests (deterministic, no files needed)."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont


def photo(width: int = 4032, height: int = 3024, seed: int = 0) -> Image.Image:
    """A photo-like image: smooth colour fields, shapes and mild noise."""
    rng = np.random.default_rng(seed)
    small = (rng.random((max(2, height // 64), max(2, width // 64), 3)) * 255).astype("uint8")
    img = Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        r = int(rng.integers(width // 40, width // 8))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    noise = (rng.normal(0, 6, (height, width, 3))).astype("int16")
    arr = np.clip(np.asarray(img.filter(ImageFilter.GaussianBlur(2)), dtype="int16") + noise, 0, 255)
    return Image.fromarray(arr.astype("uint8"))


def text_page(width: int = 1200, height: int = 800, lines: list[str] | None = None, size: int = 22) -> Image.Image:
    """A white page with black text lines."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=size)
    lines = lines or [f"Line {i}: the quick brown fox jumps over the lazy dog {i * 7}" for i in range(14)]
    y = 40
    for line in lines:
        draw.text((50, y), line, fill="black", font=font)
        y += int(size * 1.6)
    return img


def encode(img: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def b64(img: Image.Image, fmt: str = "PNG", **kw: object) -> str:
    return base64.b64encode(encode(img, fmt, **kw)).decode()


def data_url(img: Image.Image, fmt: str = "PNG", **kw: object) -> str:
    mime = "image/jpeg" if fmt == "JPEG" else f"image/{fmt.lower()}"
    return f"data:{mime};base64,{b64(img, fmt, **kw)}"
