"""Reading order: rebuild text from OCR line boxes (pure; unit-testable without an engine)."""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, Protocol, TypeVar

__all__ = ["group_rows", "layout_text"]


class _HasTextBox(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def box(self) -> tuple[int, int, int, int]: ...


_T = TypeVar("_T", bound=_HasTextBox)


def _height(b: tuple[int, int, int, int]) -> int:
    return max(1, b[3] - b[1])


class _ByY(Generic[_T]):
    """``items`` sorted by one vertical coordinate (ties in their given order), to fetch those
    within a band of it in O(log n + k): the layout rules look only a few line heights up or
    down, and a page can hold thousands of lines."""

    def __init__(self, items: Sequence[_T], y: Callable[[_T], float]) -> None:
        order = sorted(range(len(items)), key=lambda k: (y(items[k]), k))
        self._items = [items[k] for k in order]
        self._ys = [y(it) for it in self._items]

    def between(self, lo: float, hi: float) -> list[_T]:
        """Items with ``lo - 1 <= y <= hi + 1``, by y (callers re-check their exact bounds:
        the pixel of slack keeps float rounding from dropping one)."""
        return self._items[bisect.bisect_left(self._ys, lo - 1.0):bisect.bisect_right(self._ys, hi + 1.0)]


def group_rows(items: Sequence[_T]) -> list[list[_T]]:
    """Group boxes into visual rows by vertical overlap; rows top to bottom, cells left to right."""
    rows: list[list[_T]] = []
    spans: list[tuple[int, int]] = []
    for it in sorted(items, key=lambda i: ((i.box[1] + i.box[3]) / 2, i.box[0])):
        y0, y1 = it.box[1], it.box[3]
        best, best_ov = -1, 0.0
        # Only recent rows can overlap: items arrive sorted by centre.
        for r in range(max(0, len(rows) - 3), len(rows)):
            s0, s1 = spans[r]
            ov = (min(s1, y1) - max(s0, y0)) / max(1, min(s1 - s0, y1 - y0))
            if ov > best_ov and _fits_row(it, rows[r]):
                best, best_ov = r, ov
        # Half the smaller height: lines of one row in different fonts still merge, while two
        # tightly spaced lines of a paragraph (overlap ~0) stay apart.
        if best >= 0 and best_ov >= 0.5:
            rows[best].append(it)
            s0, s1 = spans[best]
            spans[best] = (min(s0, y0), max(s1, y1))
        else:
            rows.append([it])
            spans.append((y0, y1))
    for row in rows:
        row.sort(key=lambda i: i.box[0])
    return rows


def _fits_row(it: _HasTextBox, row: Sequence[_HasTextBox]) -> bool:
    """Whether ``it`` can share a line with the members of ``row``.

    Cells of one row never overlap horizontally, and a short line next to a much taller one
    (a logo, a heading) belongs to its row only if it sits in the middle of it. Without this,
    two stacked lines of a tagline beside a tall logo joined the logo's row, and so did the
    navigation bar under it.
    """
    x0, x1 = it.box[0], it.box[2]
    for m in row:
        shared = min(x1, m.box[2]) - max(x0, m.box[0])
        if shared > 0.25 * max(1, min(x1 - x0, m.box[2] - m.box[0])):
            return False
        tall, short = (m, it) if _height(m.box) >= _height(it.box) else (it, m)
        th = _height(tall.box)
        if th > 2 * _height(short.box):
            c = (short.box[1] + short.box[3]) / 2
            if not tall.box[1] + 0.25 * th <= c <= tall.box[3] - 0.25 * th:
                return False
    return True


def _row_cells(row: Sequence[_HasTextBox]) -> list[str]:
    """The cells of one row; a gap wider than the text height separates cells, nearer
    boxes are words of one cell."""
    h = statistics.median(_height(i.box) for i in row)
    cells = [row[0].text.strip()]
    for prev, cur in itertools.pairwise(row):
        if cur.box[0] - prev.box[2] > 1.0 * h:
            cells.append(cur.text.strip())
        else:
            cells[-1] += " " + cur.text.strip()
    return cells


#: Rows of at least this many cells, two or more in a row with the same count, are a table
#: and are written as Markdown. Two-cell rows stay ``label | value``: on receipts and forms
#: they are a label and its value, and a Markdown header row over them would be wrong.
_TABLE_MIN_CELLS = 3


def _markdown_rows(cell_rows: Sequence[list[str]]) -> list[str]:
    """``| a | b | c |`` rows with the separator after the first (the header) row."""
    def md(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
    return [md(cell_rows[0]), "| " + " | ".join("---" for _ in cell_rows[0]) + " |",
            *(md(c) for c in cell_rows[1:])]


def _rows_text(items: Sequence[_HasTextBox]) -> str:
    """Rows top to bottom; a blank line where the vertical gap is much larger than usual."""
    rows = group_rows(items)
    if not rows:
        return ""
    tops = [min(i.box[1] for i in r) for r in rows]
    bottoms = [max(i.box[3] for i in r) for r in rows]
    heights = [statistics.median(_height(i.box) for i in r) for r in rows]
    gaps = [tops[k + 1] - bottoms[k] for k in range(len(rows) - 1)]
    med_h = statistics.median(heights)
    med_gap = statistics.median(gaps) if gaps else 0.0
    # A paragraph break is a gap clearly above both the usual leading and ~one line height,
    # so uniformly double-spaced receipts do not get a blank line after every row; a gap of
    # several line heights is a break whatever the usual leading (few rows, no statistics).
    para_gap = min(max(0.9 * med_h, 1.6 * max(med_gap, 0.0)), 2.5 * med_h)
    cells = [_row_cells(r) for r in rows]
    out: list[str] = []
    k = 0
    while k < len(rows):
        if k and gaps[k - 1] > para_gap:
            out.append("")
        # A run of rows with the same number of cells (3 or more), no paragraph break inside.
        end = k + 1
        while (len(cells[k]) >= _TABLE_MIN_CELLS and end < len(rows) and len(cells[end]) == len(cells[k])
               and gaps[end - 1] <= para_gap):
            end += 1
        if end - k >= 2 and len(cells[k]) >= _TABLE_MIN_CELLS:
            out.extend(_markdown_rows(cells[k:end]))
        else:
            end = k + 1
            out.append(" | ".join(cells[k]))
        k = end
    return "\n".join(out)


def _core_spans(items: Sequence[_HasTextBox]) -> list[tuple[float, float]]:
    """Horizontal extents shrunk by ~0.4 line heights at each end.

    Boxes cut from word alignments (see ``_split_at_gaps``) can overshoot the glyphs by that
    much; gutter detection must not mistake the overshoot for text crossing the gutter.
    """
    med_h = statistics.median(_height(i.box) for i in items)
    out = []
    for i in items:
        x0, x1 = i.box[0], i.box[2]
        m = min(0.4 * med_h, 0.25 * (x1 - x0))
        out.append((x0 + m, x1 - m))
    return out


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _prose_like(items: Sequence[_HasTextBox]) -> bool:
    """Median line has >= 3 words (CJK: 2 characters count as a word) and >= 12 chars, and
    the text is mostly letters (a file listing, "-rw-r--r-- 1 root root | 50879 Dec 28",
    has words too, but it is a table)."""
    words = [len(i.text.split()) + len(_CJK_CHAR.findall(i.text)) / 2 for i in items]
    chars = [len(i.text.strip()) for i in items]
    visible = "".join("".join(i.text.split()) for i in items)
    letters = sum(1 for c in visible if c.isalpha())
    return (statistics.median(words) >= 3 and statistics.median(chars) >= 12
            and letters >= 0.6 * max(1, len(visible)))


def _find_gutter(items: Sequence[_HasTextBox]) -> float | None:
    """x of a vertical gutter splitting prose into two columns, or ``None``.

    A gutter is an x in the middle half of the text area crossed by few boxes (full-width
    titles may cross it) with enough text on both sides, side by side over most of the page.
    Table-like layouts (short cells) are rejected: they read better row by row. One side may
    hold further columns; ``_layout`` splits them recursively.
    """
    if len(items) < 6:
        return None
    x_min = min(i.box[0] for i in items)
    x_max = max(i.box[2] for i in items)
    width = x_max - x_min
    if width <= 0:
        return None
    # Prose columns split near the middle; a pane (a sidebar, a file tree) can be narrow.
    lo, hi = x_min + width // 10, x_max - width // 10
    med_h = statistics.median(_height(i.box) for i in items)
    spans = _core_spans(items)
    # Candidate gutters start just right of a box. A candidate's width runs to the next box
    # starting at or after it and must beat an ordinary word space; boxes crossing its left
    # edge (titles) are counted and at most a fifth of the boxes may cross. The candidate
    # with the fewest crossers wins, then the widest.
    candidates: list[tuple[int, float, float]] = []  # (-crossers, width, centre x)
    for x in sorted({x1 + 1 for _, x1 in spans if lo <= x1 + 1 <= hi}):
        right_starts = [x0 for x0, _ in spans if x0 >= x]
        if not right_starts:
            continue
        gap = min(right_starts) - x
        if gap < 0.5 * med_h:
            continue
        crossing = sum(1 for x0, x1 in spans if x0 < x < x1)
        if crossing > 0.2 * len(items):
            continue
        candidates.append((-crossing, float(gap), x + gap / 2))
    # The best few in order: the clearest gap may fail the checks below (a lone search
    # button at the right edge) while the next one is the real gutter.
    for _, _, gx in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True)[:8]:
        if _is_gutter(items, spans, gx):
            return gx
    return None


def _is_gutter(items: Sequence[_HasTextBox], spans: Sequence[tuple[float, float]], gx: float) -> bool:
    """Whether ``gx`` splits ``items`` into two columns or panes read one after the other."""
    left = [i for i, (_, x1) in zip(items, spans, strict=True) if x1 <= gx]
    right = [i for i, (x0, _) in zip(items, spans, strict=True) if x0 >= gx]
    if min(len(left), len(right)) < 3:
        return False
    # Side by side over most of the page, not one block above the other.
    l0, l1 = min(i.box[1] for i in left), max(i.box[3] for i in left)
    r0, r1 = min(i.box[1] for i in right), max(i.box[3] for i in right)
    if min(l1, r1) - max(l0, r0) < 0.5 * min(l1 - l0, r1 - r0):
        return False
    # Columns of prose have lines of several words; table cells and key/value pairs are a
    # word or two and read better row by row ("Qty | 4"). Panes (a navigation sidebar next
    # to a page, a file tree next to code) may hold short lines too, but their lines do not
    # share baselines with the other side the way the cells of a table row do.
    return ((_prose_like(left) and _prose_like(right)) or _aligned_share(left, right) < 0.5
            or (_wrapped(left) and _wrapped(right)))


def _wrapped(items: Sequence[_HasTextBox]) -> bool:
    """Whether ``items`` hold sentences wrapped over several lines: at least two lines (and
    a tenth of them) continue the line right above them (same left edge, ordinary leading,
    starting in lower case). Cards of a gallery share baselines with their neighbours like
    the cells of a table row, but a table's cells are not sentences running on."""
    med_h = statistics.median(_height(i.box) for i in items)
    by_bottom = _ByY(items, lambda i: i.box[3])
    runs_on = 0
    for b in items:
        first = b.text.strip()[:1]
        if not (first.isalpha() and first.islower()):
            continue
        for a in by_bottom.between(b.box[1] - 0.8 * med_h, b.box[1] + 0.2 * med_h):
            gap = b.box[1] - a.box[3]
            if (a is not b and -0.2 * med_h <= gap <= 0.8 * med_h and abs(a.box[0] - b.box[0]) <= 0.6 * med_h
                    and a.box[2] - a.box[0] >= 8 * med_h):
                runs_on += 1
                break
    return runs_on >= max(2, 0.1 * len(items))


def _aligned_share(left: Sequence[_HasTextBox], right: Sequence[_HasTextBox]) -> float:
    """Share of the lines on the side with fewer lines whose vertical centre is within a
    quarter line height of a line's centre on the other side (table rows: ~1; panes: low)."""
    small, big = (left, right) if len(left) <= len(right) else (right, left)
    centres = sorted((i.box[1] + i.box[3]) / 2 for i in big)
    hits = 0
    for it in small:
        c = (it.box[1] + it.box[3]) / 2
        tol = 0.25 * _height(it.box)
        k = bisect.bisect_left(centres, c - tol)
        if k < len(centres) and centres[k] <= c + tol:
            hits += 1
    return hits / len(small)


def _top(items: Sequence[_HasTextBox]) -> int:
    return min((i.box[1] for i in items), default=0)


def _split_tail(
    col: list[_HasTextBox], other: list[_HasTextBox]
) -> tuple[list[_HasTextBox], list[_HasTextBox]]:
    """Separate a block that sits below both columns (a left-aligned footer or note) from
    the column above it: it starts below the other column's end, after a paragraph gap.
    A column that simply runs longer than the other continues without such a gap."""
    if len(col) < 2 or not other:
        return col, []
    other_bottom = max(i.box[3] for i in other)
    rows = group_rows(col)
    heights = [statistics.median(_height(i.box) for i in r) for r in rows]
    gaps = [min(i.box[1] for i in rows[k + 1]) - max(i.box[3] for i in rows[k]) for k in range(len(rows) - 1)]
    if not gaps:
        return col, []
    med_h = statistics.median(heights)
    para_gap = min(max(0.9 * med_h, 1.6 * max(statistics.median(gaps), 0.0)), 2.5 * med_h)
    for k in range(1, len(rows)):
        if min(i.box[1] for i in rows[k]) > other_bottom and gaps[k - 1] > para_gap:
            return [i for r in rows[:k] for i in r], [i for r in rows[k:] for i in r]
    return col, []


def _split_head(col: list[_HasTextBox]) -> tuple[list[_HasTextBox], list[_HasTextBox]]:
    """``(rest, head)``: a column's first row or two when a band of white space at least
    :data:`_BAND_GAP` line heights tall follows them (a site's tagline at the top right, above
    a side panel). They belong to the page's header, read with what stands beside them."""
    rows = group_rows(col)
    if len(rows) < 3:
        return col, []
    med_h = statistics.median(_height(i.box) for i in col)
    for k in (1, 2):
        gap = min(i.box[1] for i in rows[k]) - max(i.box[3] for r in rows[:k] for i in r)
        if gap >= _BAND_GAP * med_h:
            return [i for r in rows[k:] for i in r], [i for r in rows[:k] for i in r]
    return col, []


#: A horizontal band of white space at least this many line heights tall, across the whole
#: width, separates parts of a page laid out on their own (a header band above a row of cards).
_BAND_GAP = 2.5


def _bands(items: Sequence[_HasTextBox]) -> list[list[_HasTextBox]]:
    """``items`` cut at every horizontal band of white space no box crosses that is at least
    :data:`_BAND_GAP` line heights tall (one band when there is none)."""
    med_h = statistics.median(_height(i.box) for i in items)
    bands: list[list[_HasTextBox]] = []
    bottom = None
    for it in sorted(items, key=lambda i: (i.box[1], i.box[0])):
        if bottom is None or it.box[1] - bottom >= _BAND_GAP * med_h:
            bands.append([])
        bands[-1].append(it)
        bottom = it.box[3] if bottom is None else max(bottom, it.box[3])
    return bands


def _continues_left(it: _HasTextBox, section: Sequence[_HasTextBox], gx: float, runs_on: set[int]) -> bool:
    """Whether the full-width line ``it`` carries on the left column's paragraph below a panel
    floated on the right (text wrapping around an aside): it starts at the column's left edge
    at ordinary leading under the column's last line, and the right side ended above it. The
    paragraph is then read to its end before the panel."""
    left = [i for i in section if (i.box[0] + i.box[2]) / 2 < gx or id(i) in runs_on]
    right = [i for i in section if (i.box[0] + i.box[2]) / 2 >= gx and id(i) not in runs_on]
    if len(left) < 2 or not right:
        return False
    med_h = statistics.median(_height(i.box) for i in left)
    last = max(left, key=lambda i: i.box[3])
    gap = it.box[1] - last.box[3]
    return (-0.5 * med_h <= gap <= 0.4 * med_h and abs(it.box[0] - min(i.box[0] for i in left)) <= med_h
            and max(i.box[3] for i in right) <= it.box[1] + 0.5 * med_h)


def _layout(items: Sequence[_HasTextBox], depth: int) -> str:
    # Columns are looked for in each band on its own: a header's two halves and a row of
    # cards below it are not one pair of columns running down the whole page.
    bands = _bands(items) if depth < 3 else [list(items)]
    if len(bands) > 1:
        return "\n\n".join(t for t in (_layout(b, depth + 1) for b in bands) if t)
    gx = _find_gutter(items) if depth < 3 else None
    if gx is None:
        return _rows_text(items)
    # Walk top to bottom; a box crossing the gutter (title, full-width figure caption) ends the
    # current two-column section, which is read left column first, then right column.
    blocks: list[str] = []
    section: list[_HasTextBox] = []

    def flush() -> None:
        if not section:
            return
        left = [i for i in section if (i.box[0] + i.box[2]) / 2 < gx or id(i) in runs_on]
        right = [i for i in section if (i.box[0] + i.box[2]) / 2 >= gx and id(i) not in runs_on]
        top: list[_HasTextBox] = []
        for _ in range(2):  # each side's head, the right's first (a tagline beside a logo)
            right, head = _split_head(right)
            if not head:
                left, right = right, left
                continue
            bottom = max(i.box[3] for i in head)
            beside = [i for i in left if (i.box[1] + i.box[3]) / 2 < bottom]
            top += head + beside
            left = [i for i in left if i not in beside]
            left, right = right, left
        if top:
            blocks.append(_rows_text(top))
        left, left_tail = _split_tail(left, right)
        right, right_tail = _split_tail(right, left)
        for col in (left, right, *sorted((left_tail, right_tail), key=_top)):
            if col:
                blocks.append(_layout(col, depth + 1))
        section.clear()

    spanning: list[_HasTextBox] = []
    runs_on: set[int] = set()  # full-width lines that continue the left column's paragraph
    core = dict(zip(map(id, items), _core_spans(items), strict=True))
    for it in sorted(items, key=lambda i: (i.box[1], i.box[0])):
        x0, x1 = core[id(it)]
        if x0 < gx < x1 and not spanning and _continues_left(it, section, gx, runs_on):
            runs_on.add(id(it))
            section.append(it)
        elif x0 < gx < x1:
            flush()
            spanning.append(it)
        else:
            if spanning:
                blocks.append(_rows_text(spanning))
                spanning = []
            section.append(it)
    flush()
    if spanning:
        blocks.append(_rows_text(spanning))
    return "\n\n".join(b for b in blocks if b)


def layout_text(lines: Sequence[_HasTextBox]) -> str:
    """Rebuild reading order from detected lines (anything with ``.text`` and ``.box``).

    - boxes are grouped into rows by vertical overlap and read left to right;
    - bands of white space several lines tall across the page separate parts laid out on
      their own (a header above a row of cards); short text wrapped inside one cell of a
      grid (a name under a photo) is read as one piece;
    - a two-column layout (a vertical gutter no text crosses over most of the page, prose on
      both sides) is read column by column; full-width lines (titles) split the page into
      sections; nested columns are handled up to three levels;
    - cells of one row separated by a gap wider than the text height are joined with
      ``" | "`` (receipts, key/value forms), nearer boxes with a space; two or more rows in a
      row with the same number of cells (three or more) are a table, written as Markdown
      rows with the first row as its header;
    - a blank line separates blocks whose vertical gap is clearly larger than the leading.

    Example::

        >>> from headroom_middleware.ocr import OcrLine, layout_text
        >>> layout_text([OcrLine("Total", (10, 100, 60, 120), 0.99),
        ...              OcrLine("12.50", (300, 101, 350, 121), 0.98),
        ...              OcrLine("Invoice", (10, 10, 90, 30), 0.99)])
        'Invoice\\n\\nTotal | 12.50'
    """
    items: list[_HasTextBox] = [ln for ln in lines if ln.text.strip()]
    if not items:
        return ""
    return _layout(_join_wrapped_cells(_strip_line_numbers(items)), 0)


class _Piece(NamedTuple):
    text: str
    box: tuple[int, int, int, int]


#: A price, count or other number (with a currency sign, sign, thousands separators or a
#: unit percent), standing alone as a cell.
_AMOUNT = re.compile(r"[-+−]?[$€£¥]?\s?\d[\d,.' ]*%?")

#: A wrapped cell: lines at most this many line heights long, at most this far apart
#: (line heights), at most this many lines; the cell's neighbours above and below are at
#: least :data:`_CELL_CLEAR` line heights away.
_CELL_MAX_LEN, _CELL_GAP, _CELL_MAX_LINES, _CELL_CLEAR = 12.0, 0.7, 3, 1.4


def _join_wrapped_cells(items: list[_HasTextBox]) -> list[_HasTextBox]:
    """Join the lines of a short text wrapped inside one cell of a grid (a name under a
    photo, a label on a tile) into one piece, so that rows of cells read cell by cell
    ("Jérémie du Boisberranger") instead of line by line across the grid ("Jérémie du Joris
    Van den ... Boisberranger Bossche ...").

    Only short lines stacked tightly (closer than the usual leading of a table), aligned
    on the left or the centre, standing alone (nothing close above or below the stack), at
    most three lines, and sharing their first baseline with another cell. A table's column
    (more lines, or rows further apart) and a paragraph (long lines, no cell beside it) stay
    as they are. The joined piece keeps its first line's vertical extent: it belongs to the
    row of that line.
    """
    if len(items) < 4:
        return items
    med_h = statistics.median(_height(i.box) for i in items)

    def short(i: _HasTextBox) -> bool:
        return i.box[2] - i.box[0] <= _CELL_MAX_LEN * med_h

    def h_overlap(a: _HasTextBox, b: _HasTextBox) -> bool:
        return min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])

    # Every rule below looks at most _CELL_CLEAR line heights up or down (a farther neighbour
    # counts as none) and at the lines of the same row: index the lines by top, bottom, centre.
    reach = _CELL_CLEAR * med_h
    by_top = _ByY(items, lambda i: i.box[1])
    by_bottom = _ByY(items, lambda i: i.box[3])
    by_centre = _ByY(items, lambda i: (i.box[1] + i.box[3]) / 2)

    def nearest_below(a: _HasTextBox) -> _HasTextBox | None:
        mid = (a.box[1] + a.box[3]) / 2
        below = [b for b in by_top.between(mid, a.box[3] + reach)
                 if b is not a and b.box[1] >= mid and h_overlap(a, b)]
        return min(below, key=lambda b: b.box[1], default=None)

    def nearest_above(a: _HasTextBox) -> _HasTextBox | None:
        mid = (a.box[1] + a.box[3]) / 2
        above = [b for b in by_bottom.between(a.box[1] - reach, mid)
                 if b is not a and b.box[3] <= mid and h_overlap(a, b)]
        return max(above, key=lambda b: b.box[3], default=None)

    def aligned(a: _HasTextBox, b: _HasTextBox) -> bool:
        tol = 0.6 * med_h
        return abs(a.box[0] - b.box[0]) <= tol or abs((a.box[0] + a.box[2]) - (b.box[0] + b.box[2])) <= 2 * tol

    def row_neighbours(a: _HasTextBox) -> list[_HasTextBox]:
        c = (a.box[1] + a.box[3]) / 2
        return [b for b in by_centre.between(c - 0.3 * med_h, c + 0.3 * med_h) if b is not a
                and not h_overlap(a, b) and abs((b.box[1] + b.box[3]) / 2 - c) <= 0.3 * med_h]

    def beside_cells(chain: Sequence[_HasTextBox]) -> bool:
        # Another cell of the same size must share the first baseline: a logo beside a
        # two-line tagline is not a grid. A number beside any line makes the stack the
        # labels of a key/value list (a receipt's SUBTOTAL / TAX / TOTAL), read row by row.
        if not any(_height(b.box) <= 1.5 * med_h for b in row_neighbours(chain[0])):
            return False
        # A column of numbers (the values of that list, a table's column) is not text wrapped
        # in a cell either.
        return not any(_AMOUNT.fullmatch(b.text.strip()) for ln in chain for b in (ln, *row_neighbours(ln)))

    joined: dict[int, list[_HasTextBox]] = {}
    used: set[int] = set()
    for head in sorted(items, key=lambda i: (i.box[1], i.box[0])):
        if id(head) in used or not short(head):
            continue
        up = nearest_above(head)
        if up is not None and head.box[1] - up.box[3] < _CELL_CLEAR * med_h:
            continue
        chain = [head]
        while len(chain) <= _CELL_MAX_LINES:
            nxt = nearest_below(chain[-1])
            if (nxt is None or id(nxt) in used or not short(nxt) or not aligned(chain[-1], nxt)
                    or nxt.box[1] - chain[-1].box[3] > _CELL_GAP * med_h):
                break
            chain.append(nxt)
        if not 2 <= len(chain) <= _CELL_MAX_LINES:
            continue
        down = nearest_below(chain[-1])
        if down is not None and down.box[1] - chain[-1].box[3] < _CELL_CLEAR * med_h:
            continue
        if not beside_cells(chain):
            continue
        joined[id(head)] = chain
        used.update(id(i) for i in chain)
    if not joined:
        return items
    out: list[_HasTextBox] = []
    for it in items:
        cell = joined.get(id(it))
        if cell is not None:
            x0 = min(i.box[0] for i in cell)
            x1 = max(i.box[2] for i in cell)
            out.append(_Piece(" ".join(i.text.strip() for i in cell), (x0, it.box[1], x1, it.box[3])))
        elif id(it) not in used:
            out.append(it)
    return out


_NUMBERED = re.compile(r"^(\d{1,6})(?:\s+|$)")


def _strip_line_numbers(items: list[_HasTextBox]) -> list[_HasTextBox]:
    """Drop an editor's or ``nl``'s line-number gutter: rows starting with consecutive
    numbers (n, n+1, ...), some of them numbering blank lines (a number alone on its row,
    which a table's id column never has). Line numbers are not part of the code."""
    rows = group_rows(items)
    firsts = [(k, row[0], _NUMBERED.match(row[0].text.strip())) for k, row in enumerate(rows)]
    numbered = [(k, first, int(m.group(1))) for k, first, m in firsts if m]
    if len(numbered) < 5 or len(numbered) < 0.6 * len(rows):
        return items
    steps = sum(1 for a, b in itertools.pairwise(numbered) if b[2] == a[2] + 1)
    alone = sum(1 for k, first, _ in numbered if len(rows[k]) == 1 and first.text.strip().isdigit())
    if steps < 0.8 * (len(numbered) - 1) or alone == 0:
        return items
    out: list[_HasTextBox] = []
    gutter = {id(first) for _, first, _ in numbered}
    for it in items:
        if id(it) not in gutter:
            out.append(it)
            continue
        rest = _NUMBERED.sub("", it.text.strip(), count=1)
        if rest:
            # Glued to the code by the detector: keep the code part, roughly where it starts.
            x0, y0, x1, y1 = it.box
            cut = x0 + round((x1 - x0) * (len(it.text.strip()) - len(rest)) / max(1, len(it.text.strip())))
            out.append(_Piece(rest, (min(cut, x1 - 1), y0, x1, y1)))
    return out

