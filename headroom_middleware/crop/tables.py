"""Tables drawn as text on an image: a table the query names, and a lookup of one row under one column.

Pure functions of OCR lines (and, for rulings, the image's pixels); :mod:`.select` calls them when a
query names a table or its words sit in different cells of one grid.

Example::

    >>> from headroom_middleware.crop.tables import TABLE_WORDS, TABLE_CAPTION
    >>> bool(TABLE_WORDS.search("how many rows are in the fruit table"))
    True
    >>> bool(TABLE_CAPTION.match("table f.23. exit codes"))
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import layout
from .geometry import Box, union, v_overlap
from .lexicon import fold
from .query import Terms, line_score, term_units

if TYPE_CHECKING:
    from PIL import Image

    from ..ocr import OcrLine

__all__ = ["SUPERLATIVE", "TABLE_CAPTION", "TABLE_MIN_CELLS", "TABLE_WORDS", "aligned", "along_rulings", "grids",
           "table_cell"]


# Superlatives (fold()-ed): a question about the largest or smallest entry reads a whole column.
SUPERLATIVE = re.compile(r"\b(?:most|least|biggest|largest|highest|greatest|lowest|smallest|max|maximum|min|minimum|"
                         r"best|worst|meisten|hochste[nrs]?|grosste[nrs]?|niedrigste[nrs]?|kleinste[nrs]?|plus|moins|"
                         r"mayor|menor|maximo|minimo|maior|massimo|minimo|больше|меньше|самый|самая|наибольш\w*|"
                         r"наименьш\w*)\b|最大|最小|最高|最低|最多|가장")

# A table named in the query (fold()-ed), not a table of contents.
TABLE_WORDS = re.compile(r"\b(?:table|tables|tabelle|tabellen|tableau|tableaux|tabla|tablas|tabela|tabelas|tabella|"
                         r"tabelle|таблица|таблице|таблицу|таблицы|tablo|tablosu|tabel|bang)\b|表格|テーブル|테이블|表[のにで中里]")

#: Cells a row of a table has at least (a label and two values, or three column headers).
TABLE_MIN_CELLS = 3


def table_cell(lines: Sequence[OcrLine], scored: Sequence[tuple[float, int]], terms: Terms,
                s_best: float) -> tuple[Box, float] | None:
    """A table lookup ("the price of a lemon", "Python versions tested on macOS 11"): one query term names a
    row (a short cell), another a column (a short cell above it with a cell of that row under it). When the
    two together outscore every single line, the answer is that row, from the column's header down: the
    words of such a question sit in different cells, so no one line holds them. ``None`` otherwise."""

    if SUPERLATIVE.search(fold(" ".join(terms.words))):
        return None  # "the biggest increment": the whole column is read, not one row
    cells = [(s, i) for s, i in scored if len(lines[i].text.split()) <= 4]
    if len(cells) < 2:
        return None
    units = term_units(terms)
    matched = {i: frozenset(k for k, u in enumerate(units) if line_score(lines[i].text, u) > 0) for _, i in cells}
    found: tuple[float, Box] | None = None

    def row_of(b: Box) -> list[Box]:
        # A table's row: every piece short (a sentence beside it is prose in a page's other column).
        row = [ln for ln in lines if v_overlap(ln.box, b) >= 0.5]
        return [] if any(len(ln.text.split()) > 8 for ln in row) else [ln.box for ln in row]

    for sr, r in cells:
        rb = lines[r].box
        row = row_of(rb)
        if len(row) < TABLE_MIN_CELLS:
            continue  # a row of prose, not of a table
        for sc, c in cells:
            cb = lines[c].box
            if cb[3] > rb[1] or not (matched[c] - matched[r]) or not (matched[r] - matched[c]):
                continue
            if min(rb[2], cb[2]) - max(rb[0], cb[0]) > 0:
                continue  # the row's label sits in another column than the header named
            head = row_of(cb)
            if len(head) < TABLE_MIN_CELLS or aligned(head, row) < TABLE_MIN_CELLS - 1:
                continue  # not the columns of one grid
            if not any(min(b[2], cb[2]) - max(b[0], cb[0]) > 0 and min(b[2], rb[2]) - max(b[0], rb[0]) <= 0
                       for b in row):
                continue  # nothing of the row sits under the column's header
            if found is None or sr + sc > found[0]:
                found = (sr + sc, union([cb, *row]))
    if found is None or found[0] <= s_best:
        return None
    return found[1], found[0]


def grids(lines: Sequence[OcrLine]) -> list[list[int]]:
    """Tables drawn as text: runs of three or more rows of three or more short cells (a sentence is prose),
    each row's cells under the previous row's columns, no gap of more than two rows. Line indices per table,
    top to bottom."""

    order = sorted(range(len(lines)), key=lambda i: lines[i].box[1])
    rows: list[list[int]] = []
    for i in order:
        if rows and v_overlap(lines[i].box, lines[rows[-1][0]].box) >= 0.5:
            rows[-1].append(i)
        else:
            rows.append([i])
    out: list[list[int]] = []
    run: list[list[int]] = []
    for row in [*rows, []]:
        cells = len(row) >= TABLE_MIN_CELLS and all(len(lines[i].text.split()) <= 8 for i in row)
        if run and cells:
            prev = union(lines[i].box for i in run[-1])
            box = union(lines[i].box for i in row)
            rh = max(1, prev[3] - prev[1])
            if box[1] - prev[3] <= 2.5 * rh and aligned([lines[i].box for i in row],
                                                        [lines[i].box for i in run[-1]]) >= TABLE_MIN_CELLS - 1:
                run.append(row)
                continue
        if len(run) >= 3:
            out.append([i for r in run for i in r])
        run = [row] if cells else []
    return out


def along_rulings(image: Image.Image, box: Box, lines: Sequence[OcrLine]) -> Box:
    """``box`` (table rows) widened to the horizontal rulings across or just around it: a table drawn with
    rules is as wide as them, wider than its text (people mark the table's frame; the last column's text
    may be short)."""
    import numpy as np

    w, h = image.size
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    bg = int(np.median(border))
    reach = max(3, round(0.5 * layout.body_height(lines)))
    x0, x1 = box[0], box[2]
    for y in range(max(0, box[1] - reach), min(h, box[3] + reach)):
        ink = np.abs(gray[y] - bg) > 40
        seg = np.flatnonzero(ink[box[0]:box[2]])
        if len(seg) < 0.95 * (box[2] - box[0]):
            continue  # not a rule running under (nearly) the whole of the rows' text
        left, right = box[0] + int(seg[0]), box[0] + int(seg[-1])
        while left > 0 and ink[left - 1]:
            left -= 1
        while right < w - 1 and ink[right + 1]:
            right += 1
        if right - left < 0.98 * w:  # a rule, not a band of the page's own background
            x0, x1 = min(x0, left), max(x1, right + 1)
    return x0, box[1], x1, box[3]


def aligned(a: Sequence[Box], b: Sequence[Box]) -> int:
    """How many boxes of row ``a`` sit over some box of row ``b`` (share a column)."""
    return sum(any(min(x[2], y[2]) - max(x[0], y[0]) > 0 for y in b) for x in a)


# A table's caption: "Table F.23.", "Tabelle 3", "Tableau 2 :", "表 4" (tables are captioned above).
TABLE_CAPTION = re.compile(r"^\W*(?:table|tabelle|tableau|tabla|tabela|tabella|таблица|表)\s*[\w.-]*\d")
