"""What the OCR engine is given: an RGB image at a bounded size, cut into tiles.

The detector's own resizing is never relied on: it upscales thin images to its minimum side
(a 3x1600 strip became a 480x256000 float array, gigabytes), and it downscales tall pages
until their text is unreadable. Here instead:

- shapes that cannot hold a line of text (a side under :data:`MIN_TEXT_SIDE` px) are not
  OCR'd at all;
- nothing is upscaled; an image is downscaled only to keep its short side within
  :data:`MAX_OCR_SIDE` and its area within :data:`MAX_OCR_PIXELS`;
- a long page (or a wide strip) is cut along its long side into tiles of at most
  :data:`MAX_OCR_SIDE` px that overlap by :data:`TILE_OVERLAP` px, each read at full
  resolution; :func:`merge_tiles` drops the lines read twice in an overlap.

Example::

    >>> from PIL import Image
    >>> from headroom_middleware.ocr.geometry import plan
    >>> p = plan(Image.new("RGB", (1240, 5000), "white"))
    >>> p.scale, [t.box for t in p.tiles]
    (1.0, [(0, 0, 1240, 2000), (0, 1840, 1240, 3840), (0, 3680, 1240, 5000)])
    >>> plan(Image.new("RGB", (3, 1600))).tiles
    ()
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["MAX_OCR_PIXELS", "MAX_OCR_SIDE", "MIN_TEXT_SIDE", "TILE_OVERLAP", "Plan", "Tile", "in_core", "plan",
           "prepare"]

#: Short side (px) the engine sees at most, and the long side of one tile. Text legible at
#: 2000 px gains nothing from more; detection time grows with the pixel count.
MAX_OCR_SIDE = 2000
#: Pixels OCR'd per image at most, all tiles together (an A4 page at 300 dpi is 8.7 MP and
#: is read at ~0.95 scale). Bounds the work on a huge or hostile image.
MAX_OCR_PIXELS = 8_000_000
#: Below this many pixels on a side no text line fits (PP-OCR reads lines from ~8 px high).
MIN_TEXT_SIDE = 8
#: Overlap of neighbouring tiles: a line up to this tall is whole in at least one tile.
TILE_OVERLAP = 160


@dataclass(frozen=True)
class Tile:
    """One piece of the (scaled) image: ``box`` is ``(x0, y0, x1, y1)`` in scaled pixels."""

    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Plan:
    """How one image is read: ``scale`` maps scaled pixels back to the input's
    (input = scaled * scale); no tiles means the shape cannot hold text."""

    size: tuple[int, int]
    scaled: tuple[int, int]
    scale: float
    tiles: tuple[Tile, ...]


def plan(image: Image.Image) -> Plan:
    """The scale and tiles for ``image`` (only its size is used)."""
    w, h = image.size
    if min(w, h) < MIN_TEXT_SIDE:
        return Plan((w, h), (w, h), 1.0, ())
    f = min(1.0, MAX_OCR_SIDE / min(w, h), math.sqrt(MAX_OCR_PIXELS / (w * h)))
    sw, sh = max(1, round(w * f)), max(1, round(h * f))
    if min(sw, sh) < MIN_TEXT_SIDE:
        return Plan((w, h), (sw, sh), w / sw, ())
    tall = sh >= sw
    length = sh if tall else sw
    step = MAX_OCR_SIDE - TILE_OVERLAP
    starts = [0]
    while starts[-1] + MAX_OCR_SIDE < length:
        starts.append(starts[-1] + step)
    tiles = tuple(
        Tile((0, s, sw, min(sh, s + MAX_OCR_SIDE)) if tall else (s, 0, min(sw, s + MAX_OCR_SIDE), sh))
        for s in starts
    )
    return Plan((w, h), (sw, sh), w / sw if f < 1.0 else 1.0, tiles)


def prepare(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """An RGB copy of ``image`` at ``size``; transparency flattened on white.

    Transparent pixels are often stored as black: dark text on a transparent background
    would otherwise vanish into a black page. The copy is the caller's own (the worker may
    still read it after a timeout returned control to a caller who closes theirs).
    """
    from PIL import Image as PILImage

    img = image.convert("LA") if image.mode == "La" else image  # premultiplied: no direct path
    if img.mode in ("RGBA", "RGBa", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = PILImage.alpha_composite(bg, rgba)
    if img.mode != "RGB":
        img = img.convert("RGB")
    if img.size != size:
        img = img.resize(size, PILImage.Resampling.LANCZOS)
    elif img is image:
        img = image.copy()
    img.load()
    return img


def in_core(box: tuple[int, int, int, int], tile: Tile, plan_: Plan) -> bool:
    """Whether a line found in ``tile`` belongs to it rather than to its neighbour.

    Each overlap is split at its middle: a line whose centre lies in this tile's half is
    kept, the other tile keeps the rest. A line cut by a tile edge has its centre on the
    far side of the middle only if most of it lies in the neighbour, which reads it whole.
    Boxes are in scaled pixels of the whole image.
    """
    x0, y0, x1, y1 = tile.box
    tall = plan_.scaled[1] >= plan_.scaled[0]
    lo, hi = (y0, y1) if tall else (x0, x1)
    end = plan_.scaled[1] if tall else plan_.scaled[0]
    half = TILE_OVERLAP / 2
    core_lo = lo + half if lo > 0 else -math.inf
    core_hi = hi - half if hi < end else math.inf
    c = (box[1] + box[3]) / 2 if tall else (box[0] + box[2]) / 2
    return core_lo <= c < core_hi

