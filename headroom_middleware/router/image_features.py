"""Image features of the router, computed from a view of the image at most 512 px on its long side.

512 px is also the long side of ``full_low``: what is legible in this view is what a model would
read after a ``full_low`` downscale, so the text measurements here say directly whether the gist
survives. They are built to transfer to real images (documents rendered at 150 dpi, screenshots,
camera photos), not to the project's synthetic thumbnails:

- **size and cost**: aspect, megapixels, OpenAI high-detail tiles of the original (the image's
  token cost for the usual target), whether it is small already;
- **text regions**: the view is cut into 16 px cells; a cell is *text-like* when it holds many
  sharp edges *and* a flat background between them (glyphs on paper or a UI surface); camera
  texture has edges without flat gaps. From these: the share of text cells, how spread out they
  are over a 4x4 grid, the height of inked row runs (text line height at 512 px: below ~7 px a
  ``full_low`` view is illegible), and an estimate of the OCR text length in tokens relative to
  the image's own token cost;
- **kind cues**: colour count and saturation, background uniformity and brightness (dark-mode
  UIs), soft photo texture, long straight rulings (tables, forms, UI panels).

All of it is numpy on one small greyscale/RGB array: ~1-2 ms per image.

Example::

    from PIL import Image
    from headroom_middleware.router.image_features import image_features, IMAGE_FEATURES
    v = image_features(Image.new("RGB", (512, 362), "white"), (1754, 1240))
    assert v.shape == (len(IMAGE_FEATURES),)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

__all__ = [
    "ANALYSIS_SIDE", "IMAGE_FEATURES", "N_IMAGE", "image_features", "looks_like_photo", "ocr_coverage", "openai_tiles",
    "text_cell_mask",
]

ANALYSIS_SIDE = 512
"""Long side (px) of the view the features are computed on (larger inputs are downscaled)."""
CELL = 16

IMAGE_FEATURES: tuple[str, ...] = (
    # size and cost
    "aspect_log",  # log(w / h) of the original, clipped to [-3, 3]
    "log_megapixels",  # log2 of original megapixels, clipped to [-6, 6]
    "small_original",  # 1 when the original's long side is <= 512 px (full_low would not shrink it)
    "log_tiles",  # log2 of OpenAI high-detail 512-px tiles of the original (cost for the usual target)
    "few_tiles",  # 1 when the original costs <= 2 high-detail tiles (preserve is then not wasteful)
    # edges and tone of the 512-px view
    "edge_density",  # share of pixels whose |dx|+|dy| luminance gradient > 32
    "strong_edge",  # share of pixels with a very sharp horizontal step (|dx| > 96): glyph strokes
    "flat",  # share of pixels with gradient < 4: flat backgrounds of documents/UI
    "soft_texture",  # share of pixels with gradient 4..32: photo texture
    "hist_top1",  # share of the most common of 16 luminance bins (background uniformity)
    "hist_top2",  # share of the two most common bins (ink + paper)
    "lum_entropy",  # entropy of the 16-bin luminance histogram / 4 bits
    "bg_luma",  # luminance of the dominant bin, 0..1 (dark-mode screenshots are low)
    "lum_std",
    "near_white",  # share of pixels with all channels > 225
    # colour
    "sat_mean",  # (max-min)/max saturation, mean
    "colour_bins",  # 3-bit-per-channel colour bins holding > 0.2 % of pixels, / 64
    "colour_entropy",  # entropy of that 512-bin histogram / 9 bits
    # layout
    "row_blank",  # share of rows without edges (gaps between lines and paragraphs)
    "row_transitions",  # blank <-> inked row changes per 100 rows / 10 (text line rhythm)
    "col_blank",  # share of columns without edges (margins, gutters)
    "rulings",  # share of rows or columns crossed by one long straight line (tables, forms, panels)
    # text regions (16-px cells)
    "text_cells",  # share of cells that look like text: many edges with flat background between
    "texture_cells",  # share of cells with edges but no flat background (camera texture)
    "flat_cells",  # share of cells with almost no edges
    "text_spread",  # share of a 4x4 grid of the image holding any text cell
    "text_concentration",  # share of all text cells that sit in the densest grid cell
    "line_height",  # median height of inked row runs in text areas, px at 512, / 32
    "small_text",  # share of text row runs shorter than 7 px at 512: unreadable after full_low
    "log_text_tokens",  # log2(1 + estimated OCR text tokens) / 12
    "text_vs_image",  # estimated OCR text tokens / image tokens, clipped to [0, 4] / 4
)
N_IMAGE = len(IMAGE_FEATURES)
_IX = {name: i for i, name in enumerate(IMAGE_FEATURES)}


def openai_tiles(w: int, h: int) -> int:
    """High-detail 512-px tiles OpenAI bills for a ``w`` x ``h`` image (fit in 2048, short side 768).

    Source: https://platform.openai.com/docs/guides/images-vision#calculating-costs (GPT-4o
    family: 85 base tokens + 170 per tile).

    Example::

        >>> openai_tiles(1024, 1024)
        4
    """
    fw, fh = float(max(1, w)), float(max(1, h))
    s = min(1.0, 2048 / max(fw, fh))
    fw, fh = fw * s, fh * s
    s = min(1.0, 768 / min(fw, fh))
    fw, fh = fw * s, fh * s
    return math.ceil(fw / 512) * math.ceil(fh / 512)


def _entropy(p: Any) -> float:
    import numpy as np

    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _as_rgb(img: Image) -> Image:
    from PIL import Image as PILImage

    if max(img.size) > ANALYSIS_SIDE:
        img = img.copy()
        img.thumbnail((ANALYSIS_SIDE, ANALYSIS_SIDE), PILImage.Resampling.BILINEAR)
    if img.mode == "RGB":
        return img
    if "A" in img.mode or img.mode == "P":
        rgba = img.convert("RGBA")
        bg = PILImage.new("RGB", img.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return img.convert("RGB")


def _runs(mask: Any) -> list[int]:
    """Lengths of the runs of True in a 1-D boolean array."""
    import numpy as np

    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [int(b - a) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _cell_share(mask: Any) -> Any:
    """Share of True pixels per CELL x CELL block of a boolean array (sides multiples of CELL)."""
    import numpy as np
    from PIL import Image as PILImage

    u8 = mask.view(np.uint8) * np.uint8(255)
    return np.asarray(PILImage.fromarray(u8).reduce(CELL), dtype=np.float32) / 255.0


def _cell_classes(edges: Any, flat_px: Any) -> tuple[Any, Any, Any]:
    """(text, texture, plain) boolean maps of the CELL x CELL cells of a gradient map.

    Text: many edges with flat background between them (glyphs on paper or a UI surface);
    texture: edges without flat gaps (camera texture); plain: almost no edges.
    """
    e_share = _cell_share(edges)
    f_share = _cell_share(flat_px)
    text = (e_share >= 0.06) & (f_share >= 0.35)
    return text, (e_share >= 0.06) & ~text, e_share < 0.02


def text_cell_mask(view: Image) -> np.ndarray:
    """Boolean (rows, cols) map of the text-like CELL-px cells of ``view`` after the 512-px downscale.

    Example::

        from PIL import Image
        assert not text_cell_mask(Image.new("RGB", (640, 480), "white")).any()
    """
    import numpy as np

    img = _as_rgb(view)
    gray = np.asarray(img.convert("L"), dtype=np.int16)
    if gray.shape[0] < CELL + 1 or gray.shape[1] < CELL + 1:
        return np.zeros((0, 0), dtype=bool)
    mag = np.abs(np.diff(gray, axis=1))[:-1, :] + np.abs(np.diff(gray, axis=0))[:, :-1]
    ch, cw = mag.shape[0] // CELL, mag.shape[1] // CELL
    m = mag[: ch * CELL, : cw * CELL]
    return _cell_classes(m > 32, m < 4)[0]


def ocr_coverage(image: Image, boxes: Sequence[tuple[int, int, int, int]]) -> float:
    """Share of ``image``'s text-like cells that lie inside one of the OCR line ``boxes`` (image px).

    1.0 when the image has no text-like cell. A low value means OCR missed text that is there
    (small print, rotated or handwritten parts): its transcript would not stand in for the image.

    Example::

        from PIL import Image
        assert ocr_coverage(Image.new("RGB", (800, 600), "white"), []) == 1.0
    """
    import numpy as np

    mask = text_cell_mask(image)
    total = int(mask.sum())
    if total == 0:
        return 1.0
    scale = max(image.size) / float(min(ANALYSIS_SIDE, max(image.size)))
    cell = CELL * scale  # one cell in image px
    covered = np.zeros_like(mask)
    rows, cols = mask.shape
    for x0, y0, x1, y1 in boxes:
        # A cell counts when its centre is inside the box grown by half a cell (line boxes are tight).
        r0 = max(0, int(np.ceil(y0 / cell - 1.0)))
        r1 = min(rows, int(np.floor(y1 / cell + 1.0)))
        c0 = max(0, int(np.ceil(x0 / cell - 1.0)))
        c1 = min(cols, int(np.floor(x1 / cell + 1.0)))
        if r1 > r0 and c1 > c0:
            covered[r0:r1, c0:c1] = True
    return float((mask & covered).sum()) / total


#: A photograph (or a painted picture), by its pixels: hardly any text-like cells, and either much
#: soft camera texture or many colours. On the 694 real training images (``models/data/real``) these
#: cuts take 67 of the 80 photos and none of the 614 documents, screenshots, charts, diagrams, tables
#: and receipts (photographed receipts carry text cells; rendered pages and charts have flat
#: backgrounds and few colours).
PHOTO_MAX_TEXT_CELLS = 0.12
PHOTO_MIN_SOFT_TEXTURE = 0.2
PHOTO_MIN_COLOUR_ENTROPY = 0.35
#: Sides further apart than 3:1 are not judged (every training photo is within 2.3:1): the 512-px view
#: of a long page is a few 16-px cells wide, too narrow for its text to show as text cells (a
#: 1280x15583 page, seen as 42x512, passed the other cuts).
PHOTO_MAX_ASPECT = 3.0
#: Print too dense to show as text cells at 512 px reads as texture, with far more edges than a
#: scene: a photographed dictionary page has 0.52 of its pixels on edges, the training photos at
#: most 0.34 (gravel and brick textures included).
PHOTO_MAX_EDGE_DENSITY = 0.4


def looks_like_photo(features: Sequence[float] | np.ndarray) -> bool:
    """Whether an :func:`image_features` vector is that of a photograph with little or no text.

    Example::

        from PIL import Image
        assert not looks_like_photo(image_features(Image.new("RGB", (400, 300), "white")))
    """
    if abs(float(features[_IX["aspect_log"]])) > math.log(PHOTO_MAX_ASPECT):
        return False
    if float(features[_IX["edge_density"]]) > PHOTO_MAX_EDGE_DENSITY:
        return False
    return float(features[_IX["text_cells"]]) <= PHOTO_MAX_TEXT_CELLS and (
        float(features[_IX["soft_texture"]]) >= PHOTO_MIN_SOFT_TEXTURE
        or float(features[_IX["colour_entropy"]]) >= PHOTO_MIN_COLOUR_ENTROPY)


def image_features(view: Image, original_size: tuple[int, int] | None = None) -> np.ndarray:
    """IMAGE_FEATURES of ``view`` (any mode; downscaled to 512 px if larger) as float32, no NaN.

    ``original_size`` is the displayed size of the real image (defaults to the view's size).

    Example::

        from PIL import Image
        v = image_features(Image.new("RGB", (400, 300), "white"), (4000, 3000))
        assert v[IMAGE_FEATURES.index("text_cells")] == 0.0
    """
    import numpy as np

    img = _as_rgb(view)
    w0, h0 = original_size if original_size else img.size
    w0, h0 = max(1, int(w0)), max(1, int(h0))
    out = np.zeros(N_IMAGE, dtype=np.float32)
    tiles = openai_tiles(w0, h0)
    image_tokens = 85 + 170 * tiles
    out[_IX["aspect_log"]] = max(-3.0, min(3.0, math.log(w0 / h0)))
    out[_IX["log_megapixels"]] = max(-6.0, min(6.0, math.log2(w0 * h0 / 1e6)))
    out[_IX["small_original"]] = 1.0 if max(w0, h0) <= 512 else 0.0
    out[_IX["log_tiles"]] = math.log2(tiles) / 5.0
    out[_IX["few_tiles"]] = 1.0 if tiles <= 2 else 0.0

    rgb = np.asarray(img)
    lum = img.convert("L")
    gray = np.asarray(lum, dtype=np.int16)
    h, w = gray.shape
    n = float(h * w)
    if h >= 2 and w >= 2:
        dx = np.abs(np.diff(gray, axis=1))[:-1, :]
        dy = np.abs(np.diff(gray, axis=0))[:, :-1]
        mag = dx + dy
    else:
        mag = dx = dy = np.zeros((max(1, h - 1), max(1, w - 1)), dtype=np.int16)
    edges = mag > 32
    flat_px = mag < 4
    m = float(mag.size)
    edge_density = float(np.count_nonzero(edges)) / m
    out[_IX["edge_density"]] = edge_density
    out[_IX["strong_edge"]] = float(np.count_nonzero(dx > 96)) / m
    flat = float(np.count_nonzero(flat_px)) / m
    out[_IX["flat"]] = flat
    out[_IX["soft_texture"]] = max(0.0, 1.0 - flat - edge_density)

    h256 = np.asarray(lum.histogram(), dtype=np.float64) / n
    hist = h256.reshape(16, 16).sum(axis=1)
    levels = np.arange(256, dtype=np.float64)
    lum_mean = float(h256 @ levels)
    lum_var = max(0.0, float(h256 @ (levels * levels)) - lum_mean * lum_mean)
    order = np.argsort(hist, kind="stable")
    out[_IX["hist_top1"]] = hist[order[-1]]
    out[_IX["hist_top2"]] = hist[order[-1]] + hist[order[-2]]
    out[_IX["lum_entropy"]] = _entropy(hist) / 4.0
    out[_IX["bg_luma"]] = (int(order[-1]) * 16 + 8) / 255.0
    out[_IX["lum_std"]] = math.sqrt(lum_var) / 128.0

    sub = rgb[::2, ::2] if h >= 4 and w >= 4 else rgb
    r, g, b = sub[..., 0], sub[..., 1], sub[..., 2]
    mx = np.maximum(np.maximum(r, g), b).astype(np.int16)
    mn = np.minimum(np.minimum(r, g), b).astype(np.int16)
    ns = float(mx.size)
    out[_IX["near_white"]] = float(np.count_nonzero(mn > 225)) / ns
    sat = (mx - mn).astype(np.float32) / np.maximum(mx, 1).astype(np.float32)
    out[_IX["sat_mean"]] = float(sat.mean())
    codes = ((r >> 5).astype(np.int16) << 6) | ((g >> 5).astype(np.int16) << 3) | (b >> 5)
    chist = np.bincount(codes.ravel(), minlength=512).astype(np.float64) / ns
    out[_IX["colour_bins"]] = float(np.count_nonzero(chist > 0.002)) / 64.0
    out[_IX["colour_entropy"]] = _entropy(chist) / 9.0

    row = np.add.reduce(edges, axis=1, dtype=np.int32) / float(edges.shape[1])
    col = np.add.reduce(edges, axis=0, dtype=np.int32) / float(edges.shape[0])
    row_blank_mask = row < 0.01
    out[_IX["row_blank"]] = float(row_blank_mask.mean())
    out[_IX["row_transitions"]] = float(np.count_nonzero(row_blank_mask[1:] != row_blank_mask[:-1])) * 10.0 / len(row)
    out[_IX["col_blank"]] = float((col < 0.01).mean())
    # A ruling: one row (column) whose vertical (horizontal) step runs across most of the image.
    dyb, dxb = dy > 24, dx > 24
    long_rows = np.add.reduce(dyb, axis=1, dtype=np.int32) > 0.6 * dyb.shape[1]
    long_cols = np.add.reduce(dxb, axis=0, dtype=np.int32) > 0.6 * dxb.shape[0]
    out[_IX["rulings"]] = min(1.0, (float(long_rows.sum()) + float(long_cols.sum())) / 20.0)

    # Text cells on the 16-px grid of the gradient map.
    ch, cw = mag.shape[0] // CELL, mag.shape[1] // CELL
    if ch >= 1 and cw >= 1:
        text, texture, plain = _cell_classes(edges[: ch * CELL, : cw * CELL], flat_px[: ch * CELL, : cw * CELL])
        cells = float(ch * cw)
        text_share = float(text.sum()) / cells
        out[_IX["text_cells"]] = text_share
        out[_IX["texture_cells"]] = float(texture.sum()) / cells
        out[_IX["flat_cells"]] = float(plain.sum()) / cells
        gy = np.minimum((np.arange(ch) * 4) // ch, 3)
        gx = np.minimum((np.arange(cw) * 4) // cw, 3)
        grid = np.zeros((4, 4), dtype=np.int32)
        ys, xs = np.nonzero(text)
        np.add.at(grid, (gy[ys], gx[xs]), 1)
        total = int(grid.sum())
        out[_IX["text_spread"]] = float(np.count_nonzero(grid)) / 16.0
        out[_IX["text_concentration"]] = float(grid.max()) / total if total else 0.0
        # Line height: inked row runs inside the columns that hold text cells.
        runs: list[int] = []
        if total:
            cols = np.repeat(text.any(axis=0), CELL)
            band = edges[: ch * CELL, : cw * CELL][:, cols]
            inked = np.add.reduce(band, axis=1, dtype=np.int32) > max(2, int(0.01 * band.shape[1]))
            runs = [r for r in _runs(inked) if r >= 2]
        lh = float(np.median(runs)) if runs else 0.0
        out[_IX["line_height"]] = min(lh, 64.0) / 32.0
        out[_IX["small_text"]] = sum(1 for r in runs if r < 7) / len(runs) if runs else 0.0
        # OCR length estimate: text area in original pixels / (line height x ~0.55 line height per
        # character), ~4 characters per token. Crude, but monotone in what matters.
        scale = max(w0, h0) / float(max(w, h))
        lh0 = max(6.0, (lh if lh else 12.0) * scale)
        text_px = text_share * w0 * h0 * 0.5  # glyph rows fill about half of a text cell's height
        chars = text_px / (0.55 * lh0 * lh0)
        text_tokens = chars / 4.0
        out[_IX["log_text_tokens"]] = math.log2(1.0 + text_tokens) / 12.0
        out[_IX["text_vs_image"]] = min(4.0, text_tokens / image_tokens) / 4.0
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
