"""Page layout from pixels and OCR boxes: the blocks an answer lives in.

- :func:`containers`: regions that stand out from the page background as one connected piece (a code
  block or card on its own fill, a bordered table, a framed legend or plot, a sidebar), found as connected
  components of the non-background mask at low resolution.
- :func:`text_blocks`: OCR lines grouped into paragraphs, list runs and table cells by their spacing and
  alignment (whitespace gaps separate blocks).
- :func:`section_below`: a heading and what follows it down to the next heading of its size.
- :func:`legend_lines`, :func:`axis_lines`: chart elements recognised from their text layout.

Pure functions; work is bounded by the fixed analysis resolution and the number of OCR lines.

Example::

    from headroom_middleware.crop.layout import containers, text_blocks
    boxes = containers(img)                 # [(x0, y0, x1, y1), ...]
    blocks = text_blocks(ocr.lines)         # [[0, 1, 2], [3], ...] indices of lines
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .geometry import Box, area, union, v_overlap

if TYPE_CHECKING:
    from PIL import Image

    from ..ocr import OcrLine

#: Long side of the mask used for containers: enough to keep 1-px rulings of a 1600-px page connected.
MASK_EDGE = 640
#: A pixel differs from the background by more than this (0-255, any channel): light panel fills count.
MASK_TOLERANCE = 3
#: Figures are found on a copy this long (a grid of ~3 px cells on a page: fine enough for a plot's lines).
FIGURE_EDGE = 400
#: A figure's marks differ this much from the page (paper texture and JPEG noise of a photographed page do not).
FIGURE_TOLERANCE = 24
#: Cells (of the FIGURE_EDGE copy) between marks of one figure.
FIGURE_JOIN = 2


def _finder(parent: list[int]) -> Callable[[int], int]:
    """The root lookup of a union-find forest kept in ``parent`` (path halving keeps it near-flat)."""

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return find

def _labels(mask: np.ndarray) -> np.ndarray:
    """Connected-component labels (4-neighbourhood) of a boolean mask; -1 outside it.

    Union-find over horizontal runs: each row's runs are joined to the overlapping runs of the row above.
    Work grows with the number of runs (at most half the pixels), not with component shapes.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, cols_s = np.nonzero(edges == 1)
    _, cols_e = np.nonzero(edges == -1)  # same row-major order as the starts
    n = len(cols_s)
    parent = list(range(n))
    find = _finder(parent)

    row_start = np.searchsorted(rows_s, np.arange(h + 1))
    starts, ends = cols_s.tolist(), cols_e.tolist()
    for r in range(1, h):
        a, a_end = int(row_start[r - 1]), int(row_start[r])
        b, b_end = a_end, int(row_start[r + 1])
        while a < a_end and b < b_end:
            if starts[a] < ends[b] and starts[b] < ends[a]:  # the runs overlap
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            if ends[a] <= ends[b]:
                a += 1
            else:
                b += 1
    roots = np.array([find(i) for i in range(n)], dtype=np.int64)
    out = np.full((h, w), -1, dtype=np.int64)
    for k in range(n):
        out[rows_s[k], cols_s[k]:cols_e[k]] = roots[k]
    return out


def containers(image: Image.Image, background: tuple[int, int, int] | None = None) -> list[Box]:
    """Boxes of connected regions that differ from the page background and are big enough to hold text.

    Components smaller than a few lines of text (glyphs, icons) and those covering most of the image (a
    photo, a full-page fill) are left out. Boxes are in ``image`` pixels, largest first.
    """
    from PIL import Image as PILImage

    w, h = image.size
    if w < 8 or h < 8:
        return []
    scale = min(1.0, MASK_EDGE / max(w, h))
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    rgb = image.convert("RGB")
    small = rgb.resize((sw, sh), PILImage.Resampling.BOX) if scale < 1 else rgb
    arr = np.asarray(small, dtype=np.int16)
    back = background if background is not None else _dominant_colour(arr)
    mask = (np.abs(arr - np.array(back, dtype=np.int16)).max(axis=2) > MASK_TOLERANCE)
    lab = _labels(mask)
    ids, counts = np.unique(lab[lab >= 0], return_counts=True)
    out: list[Box] = []
    min_side = max(6, round(0.02 * max(sw, sh)))
    for ident, count in zip(ids.tolist(), counts.tolist(), strict=True):
        if count < min_side * min_side // 2:
            continue
        ys, xs = np.nonzero(lab == ident)
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
        if x1 - x0 < min_side or y1 - y0 < min_side // 2:
            continue
        if (x1 - x0) * (y1 - y0) > 0.8 * sw * sh:
            continue
        out.append((int(x0 / scale), int(y0 / scale), min(w, round(x1 / scale)), min(h, round(y1 / scale))))
    return sorted(_merge_stacks(out), key=area, reverse=True)


def figures(image: Image.Image, lines: Sequence[OcrLine]) -> list[Box]:
    """Boxes of the graphics on a page of text: plots, diagrams, pictures, logos. What differs from the page
    background once the OCR lines are blanked out, nearby marks joined (a plot's axes, ticks and curves are
    one figure), minus flat fills (a panel or code cell behind text is one colour). Largest ink first.

    Example::

        figs = figures(page, run_ocr(page).lines)   # [(310, 340, 1060, 715)]: the plot of a notebook
    """
    from PIL import Image as PILImage

    w, h = image.size
    if w < 16 or h < 16:
        return []
    scale = min(1.0, FIGURE_EDGE / max(w, h))
    sw, sh = max(1, round(w * scale)), max(1, round(h * scale))
    small = np.asarray(image.convert("RGB").resize((sw, sh), PILImage.Resampling.BOX), dtype=np.int16)
    back = _dominant_colour(small)
    mask = np.abs(small - np.array(back, dtype=np.int16)).max(axis=2) > FIGURE_TOLERANCE
    for ln in lines:
        x0, y0, x1, y1 = ln.box
        mask[int(y0 * scale):int(np.ceil(y1 * scale)) + 1, int(x0 * scale):int(np.ceil(x1 * scale)) + 1] = False
    # Marks a few cells apart (a scatter's dots, a bar's label) belong to one figure; text lines do not join
    # them, they were blanked out.
    grown = mask.copy()
    for _ in range(FIGURE_JOIN):
        step = grown.copy()
        step[1:] |= grown[:-1]
        step[:-1] |= grown[1:]
        step[:, 1:] |= grown[:, :-1]
        step[:, :-1] |= grown[:, 1:]
        grown = step
    lab = _labels(grown)
    # Every component's bounding box in one pass: a page of scattered marks has thousands of components,
    # and a full-mask comparison per component made that quadratic (~0.5 s on a 1600 px page of dots).
    ys, xs = np.nonzero(lab >= 0)
    ids, inverse = np.unique(lab[ys, xs], return_inverse=True)
    lo_x = np.full(len(ids), sw)
    lo_y = np.full(len(ids), sh)
    hi_x = np.zeros(len(ids), dtype=np.int64)
    hi_y = np.zeros(len(ids), dtype=np.int64)
    np.minimum.at(lo_x, inverse, xs)
    np.minimum.at(lo_y, inverse, ys)
    np.maximum.at(hi_x, inverse, xs + 1)
    np.maximum.at(hi_y, inverse, ys + 1)
    out: list[tuple[int, Box]] = []
    for k, ident in enumerate(ids.tolist()):
        x0, y0, x1, y1 = int(lo_x[k]), int(lo_y[k]), int(hi_x[k]), int(hi_y[k])
        box_area = (x1 - x0) * (y1 - y0)
        if box_area < 0.015 * sw * sh or box_area > 0.7 * sw * sh:
            continue
        ink = (lab[y0:y1, x0:x1] == ident) & mask[y0:y1, x0:x1]
        count = int(ink.sum())
        colours = small[y0:y1, x0:x1][ink]
        if count >= 0.8 * box_area and float(colours.std(axis=0).max()) < 12:
            continue  # a flat fill: a panel behind text, not a graphic
        inner = ink[3:-3, 3:-3]
        if inner.size == 0 or inner.sum() < 0.005 * inner.size:
            continue  # a frame's outline (an empty box, a table's border): nothing drawn inside it
        out.append((count, (int(x0 / scale), int(y0 / scale), min(w, round(x1 / scale)), min(h, round(y1 / scale)))))
    return [b for _, b in sorted(out, key=lambda cb: -cb[0])]


def _merge_stacks(boxes: list[Box]) -> list[Box]:
    """Striped table rows and list items are separate fills of one width stacked closely: one container."""
    out = sorted(boxes, key=lambda b: (b[0], b[2], b[1]))
    merged: list[Box] = []
    for b in out:
        if merged:
            m = merged[-1]
            tol = 0.02 * max(1, b[2] - b[0])
            row = max(1, min(b[3] - b[1], m[3] - m[1]))
            if abs(m[0] - b[0]) <= tol and abs(m[2] - b[2]) <= tol and 0 <= b[1] - m[3] <= 1.5 * row:
                merged[-1] = union([m, b])
                continue
        merged.append(b)
    return merged


def _dominant_colour(arr: np.ndarray) -> tuple[int, int, int]:
    """The most frequent colour on the image border: the page background, even where a sidebar, a header
    bar or a large code block has its own."""
    arr = np.concatenate([arr[0], arr[-1], arr[:, 0], arr[:, -1]])
    packed = (arr[:, 0].astype(np.int64) << 16) | (arr[:, 1].astype(np.int64) << 8) | arr[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    v = int(values[int(np.argmax(counts))])
    return (v >> 16) & 255, (v >> 8) & 255, v & 255


def text_blocks(lines: Sequence[OcrLine]) -> list[list[int]]:
    """OCR lines grouped into blocks: lines of one row close together, and rows stacked with no more than
    about a line of space between them, of similar height and overlapping or left-aligned.

    Returns lists of indices into ``lines``, each sorted top to bottom.
    """
    n = len(lines)
    parent = list(range(n))
    find = _finder(parent)

    boxes = [ln.box for ln in lines]
    order = sorted(range(n), key=lambda k: boxes[k][1])
    for pos, i in enumerate(order):
        a = boxes[i]
        ha = max(1, a[3] - a[1])
        for j in order[pos + 1:]:
            b = boxes[j]
            if b[1] > a[3] + ha:
                break  # sorted by top: nothing further down is adjacent to this line
            hb = max(1, b[3] - b[1])
            hmin, hmax = min(ha, hb), max(ha, hb)
            if hmax > 1.6 * hmin:
                continue
            if v_overlap(a, b) >= 0.5:
                gap = max(b[0] - a[2], a[0] - b[2])
                same = gap <= 1.2 * hmin
            else:
                gap = max(b[1] - a[3], a[1] - b[3])
                x_overlap = min(a[2], b[2]) - max(a[0], b[0])
                aligned = abs(a[0] - b[0]) <= 1.0 * hmin
                same = gap <= 0.9 * hmin and (x_overlap > 0 or aligned)
            if same:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [sorted(g, key=lambda k: (boxes[k][1], boxes[k][0])) for g in groups.values()]


def body_height(lines: Sequence[OcrLine]) -> float:
    """The typical text height: the median line height."""
    return float(statistics.median([ln.box[3] - ln.box[1] for ln in lines])) if lines else 0.0


def section_below(heading: int, lines: Sequence[OcrLine], limit: Box) -> Box:
    """A heading and the lines under it, in its column, down to the next line at least as tall or a gap of
    several lines; within ``limit``."""
    hb = lines[heading].box
    hh = hb[3] - hb[1]
    body = body_height(lines)
    col0, col1 = hb[0] - 0.5 * hh, limit[2]
    parts = [hb]
    bottom = hb[3]
    for ln in sorted(lines, key=lambda ln: ln.box[1]):
        b = ln.box
        if b[1] < hb[3] - 0.3 * hh or b is hb:
            continue
        if b[0] < col0 or b[0] > col1 or b[3] > limit[3]:
            continue
        lh = b[3] - b[1]
        if lh >= 0.95 * hh and lh > 1.15 * body and len(ln.text.split()) <= 8 and abs(b[0] - hb[0]) <= hh:
            break  # the next heading of this level or above (headings share the left edge)
        if b[1] - bottom > 4.0 * max(body, 1.0):
            break
        parts.append(b)
        bottom = max(bottom, b[3])
    return union(parts)


_SHORT_LABEL = re.compile(r"^[\s\W]*[\w.,:%$€£¥+\-−/]{1,12}[\s\W]*$")


def axis_lines(lines: Sequence[OcrLine], size: tuple[int, int], which: str) -> list[int]:
    """Indices of tick labels of the x axis (a row of short labels low in the image) or the y axis (a column
    of right-aligned short labels on the left). Empty when no such row or column exists."""
    w, h = size
    short = [i for i, ln in enumerate(lines) if _SHORT_LABEL.match(ln.text)]
    best: list[int] = []
    for i in short:
        a = lines[i].box
        ha = max(1, a[3] - a[1])
        if which == "x":
            group = [j for j in short if v_overlap(lines[j].box, a) >= 0.5]
            if (a[1] + a[3]) / 2 < 0.5 * h:
                continue
        else:
            group = [j for j in short if abs(lines[j].box[2] - a[2]) <= 0.8 * ha]
            if (a[0] + a[2]) / 2 > 0.5 * w:
                continue
        if len(group) >= 3 and (len(group) > len(best) or (
                len(group) == len(best) and which == "x" and a[1] > lines[best[0]].box[1])):
            best = group
    return sorted(best)


def legend_lines(image: Image.Image, lines: Sequence[OcrLine]) -> list[int]:
    """Indices of the lines of a legend: stacked short lines, left-aligned, each with a coloured mark just to
    its left (a swatch or line sample). The largest such stack wins; empty when none has two entries."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    h = rgb.shape[0]

    def has_mark(b: Box) -> bool:
        lh = max(1, b[3] - b[1])
        x1 = max(0, b[0] - max(2, lh // 5))
        x0 = max(0, b[0] - 3 * lh)
        y0, y1 = max(0, b[1]), min(h, b[3])
        if x1 - x0 < 2 or y1 - y0 < 2:
            return False
        patch = rgb[y0:y1, x0:x1]
        sat = patch.max(axis=2) - patch.min(axis=2)
        dark = patch.max(axis=2) < 90
        # A grey swatch on a light plot background is neither saturated nor dark: it differs from the
        # background behind the label (the label box's median colour: mostly background, some glyphs).
        label = rgb[y0:y1, max(0, b[0]):max(0, b[2])]
        if label.size:
            back = np.median(label.reshape(-1, 3), axis=0)
            differs = np.abs(patch - back).max(axis=2) > 40
        else:
            differs = np.zeros(patch.shape[:2], dtype=bool)
        return bool(((sat > 60) | dark | differs).mean() > 0.02)

    # OCR sometimes reads a line sample as a dash glued to the label ("-Inactive").
    marked = [i for i, ln in enumerate(lines) if len(ln.text) <= 40
              and (has_mark(ln.box) or ln.text.lstrip()[:1] in ("-", "—", "–", "_"))]
    best: list[int] = []
    for i in marked:
        a = lines[i].box
        ha = max(1, a[3] - a[1])
        stack = [j for j in marked if abs(lines[j].box[0] - a[0]) <= 0.8 * ha
                 and abs(lines[j].box[1] - a[1]) <= 8 * ha]
        stack = _contiguous(stack, lines, i)
        if len(stack) > len(best):
            best = stack
    return sorted(best) if len(best) >= 2 else []


def _contiguous(stack: list[int], lines: Sequence[OcrLine], seed: int) -> list[int]:
    """The run of ``stack`` around ``seed`` with no gap taller than two lines between neighbours."""
    order = sorted(stack, key=lambda k: lines[k].box[1])
    pos = order.index(seed)
    lo = hi = pos
    while lo > 0 and _gap(lines[order[lo - 1]].box, lines[order[lo]].box) <= 2.0:
        lo -= 1
    while hi < len(order) - 1 and _gap(lines[order[hi]].box, lines[order[hi + 1]].box) <= 2.0:
        hi += 1
    return order[lo:hi + 1]


def _gap(upper: Box, lower: Box) -> float:
    return (lower[1] - upper[3]) / max(1, min(upper[3] - upper[1], lower[3] - lower[1]))

