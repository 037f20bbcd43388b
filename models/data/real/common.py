"""Shared pieces of the real-image builders: the manifest record, lean saving, package versions.

Example::

    item = Item(kind="document", image=img, source=deb_source("python3.11-doc", path),
                licence="PSF-2.0", attribution="Python Software Foundation", made="...")
    record = save_item(item, "r0001", out_dir)
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import random
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from PIL import Image

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
MANIFEST = HERE / "manifest.jsonl"

KINDS = (
    "document", "receipt", "code_screenshot", "ui_screenshot", "table", "chart", "diagram", "photo",
    "photo_text", "mixed",
)
PHOTO_KINDS = {"photo", "photo_text"}


@dataclass
class Item:
    """One image to store, with what the manifest needs to say about it."""

    kind: str
    image: Image.Image
    source: str
    licence: str
    attribution: str
    made: str
    group: str = ""  # source photo / page id: several framings of one source share it
    jpeg: bool = False  # photos (and photographed paper) as JPEG, everything else as PNG
    quality: int = 85


@functools.cache
def deb_version(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def deb_source(pkg: str, path: str | Path) -> str:
    return f"debian:{pkg} {deb_version(pkg)} {path}"


def pypi_source(dist: str, path: str) -> str:
    return f"pypi:{dist} {metadata.version(dist)} {path}"


def rng_for(*parts: object) -> random.Random:
    """A random generator seeded by the names involved, so every build draws the same choices."""
    seed = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def encode(item: Item) -> bytes:
    """Lean, deterministic bytes: JPEG for photos, palette PNG where it keeps the look, else RGB PNG."""
    img = item.image
    buf = io.BytesIO()
    if item.jpeg:
        img.convert("RGB").save(buf, "JPEG", quality=item.quality, optimize=True, progressive=False, subsampling=2)
        return buf.getvalue()
    rgb = img.convert("RGB")
    colours = rgb.getcolors(maxcolors=256)
    if colours is not None:  # few colours already: lossless palette
        rgb.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE).save(
            buf, "PNG", optimize=True
        )
    elif item.kind in {"chart", "diagram", "table", "document", "code_screenshot", "ui_screenshot", "mixed"}:
        # Screens and rendered pages: 256 colours keep text and anti-aliasing visually intact at ~1/3 the bytes.
        rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buf, "PNG", optimize=True
        )
    else:
        rgb.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def save_item(item: Item, image_id: str, out_dir: Path = IMAGES) -> dict[str, Any]:
    if item.kind not in KINDS:
        raise ValueError(f"unknown kind {item.kind!r}")
    data = encode(item)
    name = f"{image_id}.{'jpg' if item.jpeg else 'png'}"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / name).write_bytes(data)
    w, h = item.image.size
    return {
        "id": image_id, "file": f"images/{name}", "kind": item.kind, "width": w, "height": h,
        "source": item.source, "licence": item.licence, "attribution": item.attribution,
        "made": item.made, "group": item.group or image_id, "sha256": hashlib.sha256(data).hexdigest(),
    }


def read_manifest(path: Path = MANIFEST) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


def write_manifest(rows: dict[str, dict[str, Any]], path: Path = MANIFEST) -> None:
    lines = [json.dumps(rows[k], ensure_ascii=False, sort_keys=False) for k in sorted(rows)]
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a manifest
