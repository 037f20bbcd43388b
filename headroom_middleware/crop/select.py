"""Choose the image region a query is about, and how sure that choice is.

Pure functions of (image, parameters): no hidden state, no I/O, no OCR calls (the caller passes an
:class:`~headroom_middleware.ocr.OcrResult` when it has one).

:func:`select_crop_region` answers with the *block* that holds the answer, not the line that matched:

a. Chart elements the query names: the legend (stacked labels with colour marks), an axis (a row or column
   of tick labels and its title), the title (the largest text at the top).
b. Content: OCR lines whose words match the query (words minus stop words, quoted strings, numbers, a
   multilingual table of document concepts: ``total`` also finds ``Gesamtbetrag``, ``合计``, ``Итого``).
   The best line is expanded to what it belongs to: the panel, card, code block or table it sits in (a
   region standing out from the page background, see :mod:`.layout`), the section under it when it is a
   heading, else its paragraph plus the rest of its row (values sit to the right of labels), plus what it
   introduces when it is a lead-in ending in a colon or a table's caption. Matches in a contents column
   or a manual's running header/footer give way to matches in the page body.
   A question in another language than the page's still finds its words: cognates ("privilegios":
   "privileges"), katakana and Hangul borrowings ("デバッグビルド": "debug build"). A manual's subject (the
   name in its running header) gives way to the rest of the question ("when was curl_multi_perform added").
   An acronym asked about ("L-BFGS") finds the line that spells it out; a numbered item named ("... in
   example 2") bounds where the rest of the question is looked for.
   A function or class asked about by name ("explain _commit_removals") is its whole definition in a code
   listing, from its ``def`` line down to the next line at that indentation (:mod:`.code`).
   A code block named with no text match ("the background of the code blocks") is the page's code panel
   (below the gate: a guess).
   A panel named by its fill colour ("the red box", "dem grauen Kasten") is found by that colour.
   A table lookup ("realgdp in 2000") is the row under the named column; a table named in the query is
   the grid of short aligned cells holding a match; a sidebar named without a fill of its own is the
   page's column of short lines; a graphic named ("explain this plot", "the logo") with no sure text
   match is the page's largest graphic once its text is blanked out (below the gate: a guess).
c. Position words (top-left, "oben rechts", "右上", "오른쪽 위", header, footer ...) in en, de, fr, es,
   pt, it, ru, zh, ja, ko: that part of the content, widened so no text line is cut.

Each region carries a ``confidence`` in [0, 1]: how likely the box holds the whole answer. It is higher
for a structural match (a legend, an axis, a container or section), lower when another block matches
nearly as well or only position words were given. Callers crop only above a threshold
(``CompressionConfig.crop_min_confidence``, 0.5). On 829 held-out questions about real images with
hand-drawn answer regions, 84 % of the boxes at 0.5 or more covered the region and 85 % of the covering
boxes were at 0.5 or more (``benchmarks/crop_real.py``, report half). ``None`` means no usable region:
nothing matched, the region is blank, or the crop would keep more than 85 % of the image.

Example::

    from headroom_middleware.crop import select_crop_region
    region = select_crop_region(img, "What's the total?", ocr=ocr_result)
    if region is not None and region.confidence >= 0.5:
        small = img.crop(region.box)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import layout
from .code import definition
from .geometry import Box, area, centre_in, content_bbox, inside_fraction, union, v_overlap
from .lexicon import WORD, fold
from .loanwords import loan_skeletons
from .query import CURSOR, Terms, line_score, parse_spatial, query_terms, term_units
from .tables import TABLE_CAPTION, TABLE_WORDS, along_rulings, grids, table_cell
from .wordmatch import acronyms, expansion_score, loan_score, misread_score, misread_words

if TYPE_CHECKING:
    from PIL import Image

    from ..ocr import OcrLine, OcrResult

__all__ = ["MAX_AREA_FRACTION", "CropRegion", "select_crop_region"]

#: A crop keeping more than this share of the image area saves too little to be worth it.
MAX_AREA_FRACTION = 0.85
#: Padding of position-only regions: this share of the image side, at least PAD_MIN_PX.
PAD_FRACTION = 0.04
PAD_MIN_PX = 16
_AMOUNT = re.compile(r"\d[\d.,:/-]*\d")
#: OCR lines considered (the first ones, in the engine's order).
MAX_LINES = 2000
#: A container this large (share of the image) is a page column or a frame, not "the" block of a match.
MAX_CONTAINER_FRACTION = 0.45
#: A container named by kind ("the example", "the table") larger than this is a page frame: read its text blocks.
WANTED_CONTAINER_FRACTION = 0.4


@dataclass(frozen=True)
class CropRegion:
    """A crop box ``(x0, y0, x1, y1)`` in the given image's pixels (x1/y1 exclusive), why it was chosen (no
    query or OCR text in the reason: it ends up in logs) and how likely it holds the whole answer (0-1)."""

    box: Box
    reason: str
    confidence: float


def _finish(box: Box, size: tuple[int, int], reason: str, confidence: float,
            pad: tuple[int, int]) -> CropRegion | None:
    w, h = size
    px, py = pad
    out = (max(0, box[0] - px), max(0, box[1] - py), min(w, box[2] + px), min(h, box[3] + py))
    if out[2] - out[0] < 2 or out[3] - out[1] < 2:
        return None
    if area(out) > MAX_AREA_FRACTION * w * h:
        return None
    return CropRegion(out, reason, round(max(0.0, min(1.0, confidence)), 2))


def _side_pad(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    return max(PAD_MIN_PX, round(PAD_FRACTION * w)), max(PAD_MIN_PX, round(PAD_FRACTION * h))


def _text_pad(lines: Sequence[OcrLine]) -> tuple[int, int]:
    """Blocks are complete already: a little air (most of a text line) is enough context."""
    p = max(8, round(0.7 * layout.body_height(lines)))
    return p, p


def _neighbourhood(line: OcrLine, lines: Sequence[OcrLine], include_left: bool) -> Box:
    """The line, the rest of its row to the right (values sit there), and the next line."""
    box = line.box
    h = max(1, box[3] - box[1])
    parts = [box]
    for other in lines:
        if other is line or v_overlap(other.box, box) < 0.5:
            continue
        if other.box[0] >= box[0] or include_left:
            parts.append(other.box)
    row = union(parts)
    below = [o for o in lines if o.box[1] >= row[3] - 0.3 * h and o.box[1] - row[3] <= 2.5 * h
             and min(o.box[2], row[2]) - max(o.box[0], row[0]) > 0]
    if below:
        nxt = min(below, key=lambda o: o.box[1])
        parts.extend(o.box for o in below if v_overlap(o.box, nxt.box) >= 0.5
                     and min(o.box[2], row[2]) - max(o.box[0], row[0]) > 0)
    return union(parts)


def _spatial_box(kinds: frozenset[str], content: Box) -> Box | None:
    x0, y0, x1, y1 = content
    w, h = x1 - x0, y1 - y0
    fx0, fy0, fx1, fy1 = 0.0, 0.0, 1.0, 1.0
    vertical = {"top", "bottom", "header", "footer", "title"} & kinds
    horizontal = {"left", "right"} & kinds
    # Halves overlap the middle by 5 % so a label straddling the centre line survives.
    if "header" in kinds or "title" in kinds:
        fy1 = 0.22
    elif "footer" in kinds:
        fy0 = 0.82
    elif "top" in kinds and "bottom" not in kinds:
        fy1 = 0.55
    elif "bottom" in kinds and "top" not in kinds:
        fy0 = 0.45
    if "left" in kinds and "right" not in kinds:
        fx1 = 0.55
    elif "right" in kinds and "left" not in kinds:
        fx0 = 0.45
    if "center" in kinds:
        if not horizontal:
            fx0, fx1 = 0.2, 0.8
        if not vertical:
            fy0, fy1 = 0.2, 0.8
    if (fx0, fy0, fx1, fy1) == (0.0, 0.0, 1.0, 1.0):
        return None
    return (x0 + int(fx0 * w), y0 + int(fy0 * h), x0 + round(fx1 * w), y0 + round(fy1 * h))


def _spatial_name(kinds: frozenset[str]) -> str:
    order = ["header", "footer", "title", "legend", "top", "bottom", "center", "left", "right"]
    return "-".join(k for k in order if k in kinds)


def select_crop_region(
    image: Image.Image, query: str, *, ocr: OcrResult | None = None
) -> CropRegion | None:
    """The region of ``image`` the ``query`` asks about, with a confidence, or ``None``.

    ``ocr`` (optional) enables matching the query against the text on the image, text blocks and chart
    elements; without it only position words can select a region.

    Example::

        region = select_crop_region(img, "what's the total?", ocr=run_ocr(img))
        region = select_crop_region(chart, "Which series does the legend list?", ocr=run_ocr(chart))
        # CropRegion(box=(860, 70, 1040, 160), reason='legend: 3 entries with colour marks', confidence=0.8)
    """
    if not query or not query.strip() or image.width < 2 or image.height < 2:
        return None
    kinds = parse_spatial(query)
    # Bounded work whatever the image: layout steps compare nearby lines, a page has far fewer than this.
    lines: tuple[OcrLine, ...] = tuple(ln for ln in ocr.lines if ln.text.strip())[:MAX_LINES] if ocr else ()
    if not kinds and not lines:
        return None  # nothing to go on; skip the pixel work
    content = content_bbox(image)
    if content is None:
        return None
    folded = fold(query)
    if lines:
        chart = _chart_element(image, folded, kinds, lines, content)
        if chart is not None:
            return chart
        bar = _named_bar(image, folded, lines)
        if bar is not None:
            return bar
        coloured = _coloured_box(image, query, folded, kinds, lines, content)
        if coloured is not None:
            return coloured
        matched = _content_match(image, query, folded, kinds, lines, content)
        if matched is None or matched.confidence < 0.5:
            # A graphic named and no sure text match: its labels rarely repeat the question's words.
            figure = _named_figure(image, folded, kinds, lines)
            if figure is not None:
                return figure
        if matched is not None:
            return matched
        block = _named_code_block(image, folded, lines)
        if block is not None:
            return block
    return _spatial_region(image, kinds, lines, content)


def _named_code_block(image: Image.Image, folded: str, lines: Sequence[OcrLine]) -> CropRegion | None:
    """The code block a query names when no text matches ("what colour is the background of the code
    blocks?"): the panel holding the most OCR lines (all of them for "blocks", when that is not most of the
    image). A guess: below the gate."""
    from .lexicon import CODE_BLOCK_WORDS

    if not CODE_BLOCK_WORDS.search(folded):
        return None
    boxes, _ = _containers(image)
    held: list[tuple[int, Box]] = []
    for c in boxes:
        inside = [ln.box for ln in lines if inside_fraction(ln.box, c) >= 0.5]
        # A panel has a margin around its text; a "container" no larger than its lines is the text itself.
        if len(inside) >= 2 and area(c) >= 1.15 * area(union(inside)):
            held.append((len(inside), c))
    if not held:
        return None
    box = max(held, key=lambda hc: hc[0])[1]
    every = union([c for _, c in held])
    if re.search(r"blocks|blocs|bloques|blocos|blocchi|блоки|bloki|bloklari|codeblocke", folded) \
            and area(every) <= 0.6 * image.width * image.height:
        box = every
    return _finish(box, image.size, f"the code block the query names (1 of {len(held)})", 0.45, _text_pad(lines))


# --------------------------------------------------------------------------------------------------------
# (a) chart elements
# --------------------------------------------------------------------------------------------------------


def _chart_element(image: Image.Image, folded: str, kinds: frozenset[str], lines: Sequence[OcrLine],
                   content: Box) -> CropRegion | None:
    from .lexicon import AXIS_X, AXIS_Y, LEGEND_HINT

    size = image.size
    pad = _text_pad(lines)
    # "em que linha está o cursor?" names a line of text, not a chart's line.
    if "legend" in kinds or (LEGEND_HINT.search(folded) and not CURSOR.search(folded)):
        idx = layout.legend_lines(image, lines)
        if idx:
            box = union(lines[i].box for i in idx)
            lh = max(lines[i].box[3] - lines[i].box[1] for i in idx)
            # The colour marks sit left of the labels; a legend title may sit just above.
            box = (max(0, box[0] - 3 * lh), box[1], box[2], box[3])
            above = [ln.box for ln in lines if 0 <= box[1] - ln.box[3] <= 1.2 * lh
                     and box[0] - lh <= ln.box[0] <= box[2]]
            if above:
                box = union([box, *above])
            return _finish(box, size, f"legend: {len(idx)} entries with colour marks", 0.8, pad)
    for axis, pattern in (("x", AXIS_X), ("y", AXIS_Y)):
        if not pattern.search(folded):
            continue
        idx = layout.axis_lines(lines, size, axis)
        if not idx:
            continue
        box = union(lines[i].box for i in idx)
        lh = max(1, max(lines[i].box[3] - lines[i].box[1] for i in idx))
        if axis == "x":
            # The axis title sits centred under the tick labels.
            below = [ln.box for ln in lines if 0 <= ln.box[1] - box[3] <= 2.5 * lh
                     and box[0] <= (ln.box[0] + ln.box[2]) / 2 <= box[2]]
            box = union([box, *below])
        else:
            # Its title is usually rotated, which OCR does not read: keep the margin left of the labels.
            box = (content[0], box[1], box[2], box[3])
        return _finish(box, size, f"{axis} axis: {len(idx)} tick labels", 0.75, pad)
    if "title" in kinds or re.search(r"\btitle\b|\btitel\b|\btitre\b|\btitulo\b|\btitolo\b", folded):
        top = [ln for ln in lines if ln.box[1] < content[1] + 0.35 * (content[3] - content[1])]
        if top:
            # The largest text near the top; among lines of about that size, the topmost (a figure's
            # title sits above its panels' titles).
            # Rotated axis labels (taller than wide) are not titles.
            top = [ln for ln in top if ln.box[2] - ln.box[0] > ln.box[3] - ln.box[1]] or top
            tallest = max(ln.box[3] - ln.box[1] for ln in top)
            big = min((ln for ln in top if ln.box[3] - ln.box[1] >= 0.75 * tallest), key=lambda ln: ln.box[1])
            # A line centred over the content and alone on its row is a figure's or a graph's title even when
            # some labels are larger (graph nodes, a logo).
            cx = (content[0] + content[2]) / 2
            centred = [ln for ln in top if abs((ln.box[0] + ln.box[2]) / 2 - cx) <= 0.06 * (content[2] - content[0])
                       and ln.box[3] - ln.box[1] >= 0.6 * tallest and ln.box[1] <= big.box[1]
                       and not any(o is not ln and v_overlap(o.box, ln.box) >= 0.5 for o in lines)]
            if centred:
                big = min(centred, key=lambda ln: ln.box[1])
            box = union([big.box, *(ln.box for ln in lines if v_overlap(ln.box, big.box) >= 0.6
                                    and min(abs(ln.box[0] - big.box[2]), abs(big.box[0] - ln.box[2]))
                                    <= 2 * (big.box[3] - big.box[1]))])
            # "title" as a plain word may name some other title ("the title of the second book").
            sure = 0.65 if "title" in kinds else 0.55
            return _finish(box, size, "title: largest text at the top", sure, pad)
    return None


def _named_bar(image: Image.Image, folded: str, lines: Sequence[OcrLine]) -> CropRegion | None:
    """The sidebar or the navigation bar when the query names it ("which item is highlighted in the
    sidebar?", "what items are in the nav bar"): a column as tall as the page or a strip as wide, on its own
    fill. The answer is one of its entries or all of them, and its text rarely repeats the query's words."""
    from .lexicon import NAVBAR, SIDEBAR

    side, nav = SIDEBAR.search(folded) is not None, NAVBAR.search(folded) is not None
    if not side and not nav:
        return None
    w, h = image.size
    _, bars = _containers(image)
    columns = [c for c in bars if c[3] - c[1] >= 0.85 * h]
    strips = [c for c in bars if c[2] - c[0] >= 0.85 * w]
    # The named kind; the other when the page has only that one (a "menu" may be drawn either way).
    pool = (columns or strips) if side else (strips or columns)
    # Of several, the one with the most text (an empty rule or a shadow is not the menu).
    holding = [(sum(inside_fraction(ln.box, c) >= 0.5 for ln in lines), c) for c in pool]
    holding = [hc for hc in holding if hc[0] >= 1]
    if not holding and side:
        # A sidebar drawn without a fill of its own: a column of short lines beside the body, with a gutter
        # between them (the contents column the body rules put aside).
        content = content_bbox(image)
        column = _side_lines(lines, content) if content is not None else frozenset()
        if len(column) >= 3:
            mid = (content[0] + content[2]) / 2 if content is not None else w / 2
            left = [i for i in column if lines[i].box[2] <= mid]
            right = [i for i in column if lines[i].box[0] >= mid]
            group = left if len(left) >= len(right) else right
            return _finish(union(lines[i].box for i in group), image.size,
                           "the sidebar the query names (a column of short lines)", 0.6, _text_pad(lines))
    if not holding:
        return None
    box = max(holding, key=lambda hc: (hc[0], -hc[1][1]))[1]
    return _finish(box, image.size, "the sidebar/navigation bar the query names", 0.7, _text_pad(lines))


def _named_figure(image: Image.Image, folded: str, kinds: frozenset[str],
                  lines: Sequence[OcrLine]) -> CropRegion | None:
    """The graphic a query names on a page of text ("explain this plot", "describe the logo", "the triage
    workflow diagram"): its text is tick labels and node names that rarely repeat the question's words, so
    a text match lands in the prose around it. The graphic with the most ink, with its labels and caption;
    below the gate (several graphics, or a figure that is a screenshot of text, make it a guess)."""
    from .lexicon import FIGURE_WORDS

    # Not with position words ("the two plots at the top"): the named part of the page says more than which
    # graphic has the most ink. Nor for a table drawn as a figure (the grid of its cells says more).
    if not FIGURE_WORDS.search(folded) or kinds or TABLE_WORDS.search(folded):
        return None
    figs = layout.figures(image, lines)
    if not figs:
        return None
    box = figs[0]
    body = layout.body_height(lines)
    inside = [ln.box for ln in lines if inside_fraction(ln.box, box) >= 0.5]
    box = _with_labels(union([box, *inside]), lines, body)
    return _finish(box, image.size, f"the figure the query names (1 of {len(figs)})", 0.45, _text_pad(lines))


def _colour_family(rgb: tuple[float, float, float]) -> str | None:
    """The colour family of a panel's fill (0-255 RGB): red (pink too), orange, yellow, green, blue, purple,
    grey; ``None`` for white and near-black."""
    import colorsys

    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    if v < 0.3 or (s < 0.05 and v > 0.97):
        return None
    if s < 0.05:
        return "grey"
    hue = h * 360
    for limit, family in ((20, "red"), (40, "orange"), (70, "yellow"), (170, "green"), (260, "blue"),
                          (330, "purple"), (361, "red")):
        if hue < limit:
            return family
    return None


def _named_colour(folded: str) -> str | None:
    """The colour family a query names for a box ("the red box", "dem grauen Kasten", "黄色的框"), if any."""
    from .lexicon import BOX_WORDS, CJK, COLOURS

    if not BOX_WORDS.search(folded):
        return None
    for w in WORD.findall(folded):
        if w in COLOURS:
            return COLOURS[w]
    return next((fam for w, fam in COLOURS.items() if CJK.fullmatch(w) and w in folded), None)


def _coloured_box(image: Image.Image, query: str, folded: str, kinds: frozenset[str], lines: Sequence[OcrLine],
                  content: Box) -> CropRegion | None:
    """The panel of the colour the query names ("what's the red box about", "what do the yellow boxes say",
    "what's in the grey box at the bottom"): warnings, notes, tips and code blocks are told apart by their
    fill, and the question rarely repeats their text. Of several panels of that colour: the one whose text
    matches the query best, else the one in the named part of the page, else all of them when the query
    says "boxes", else the largest (less sure)."""
    import numpy as np

    family = _named_colour(folded)
    if family is None:
        return None
    boxes, _ = _containers(image)
    arr = np.asarray(image.convert("RGB"))
    holding = [c for c in boxes if any(inside_fraction(ln.box, c) >= 0.5 for ln in lines)]
    same = [c for c in holding
            if _colour_family(tuple(np.median(arr[c[1]:c[3], c[0]:c[2]].reshape(-1, 3), axis=0))) == family]
    if not same:
        return None
    terms = query_terms(query)
    pad = _text_pad(lines)

    def text_score(c: Box) -> float:
        return sum(line_score(ln.text, terms) for ln in lines if inside_fraction(ln.box, c) >= 0.5)

    why = f"the {family} panel the query names"
    if len(same) == 1:
        return _finish(same[0], image.size, why, 0.65, pad)
    scores = [text_score(c) for c in same]
    if max(scores) >= 0.9 and scores.count(max(scores)) == 1:
        return _finish(same[scores.index(max(scores))], image.size, why + " (its text matches)", 0.6, pad)
    spatial = _spatial_box(kinds, content)
    if spatial is not None:
        placed = [c for c in same if centre_in(c, spatial)]
        if placed:
            # Of several there, the one furthest that way ("the grey box at the bottom": the lowest).
            def far(c: Box) -> float:
                return (("bottom" in kinds or "footer" in kinds) * c[3] - ("top" in kinds or "header" in kinds) * c[1]
                        + ("right" in kinds) * c[2] - ("left" in kinds) * c[0])

            return _finish(max(placed, key=far), image.size, why + " (in the named part)", 0.6, pad)
    if re.search(r"\b(?:boxes|panels|notes|blocks|callouts|cards)\b", folded):
        return _finish(union(same), image.size, why + " (all of them)", 0.55, pad)
    return _finish(max(same, key=area), image.size, why + " (the largest of several)", 0.45, pad)


# --------------------------------------------------------------------------------------------------------
# (b) content matches, expanded to their block
# --------------------------------------------------------------------------------------------------------


def _content_match(image: Image.Image, query: str, folded: str, kinds: frozenset[str],
                   lines: Sequence[OcrLine], content: Box) -> CropRegion | None:
    from .lexicon import NAVBAR, NAVIGATION, SIDEBAR, STRUCTURE

    size = image.size
    terms = query_terms(query)
    spatial = _spatial_box(kinds, content)
    misread = misread_words(lines, terms)
    # Borrowed words a concept already names ("옵션", "オプション": options) are matched by it, not twice.
    # (fold() drops kana voicing marks, which tell "b" from "h": the query as typed is read.)
    spelled = acronyms(query)
    loans = loan_skeletons(" ".join(w for w in query.split() if not any(f in fold(w) for f in terms.concept_forms)))
    scored = [(s, i) for i, ln in enumerate(lines)
              if (s := line_score(ln.text, terms) + misread_score(ln.text, misread) + loan_score(ln.text, loans)
                       + expansion_score(ln.text, spelled)) >= 0.9]
    if spatial is not None:
        # Both given ("the total at the bottom"): matches inside the named part win. When none is there, a
        # side or the middle was meant loosely ("the long comment in the middle (lines 11-20)"): the matches
        # elsewhere. A header or footer named is not loose: the part itself (a page's footer rarely repeats
        # the question's words).
        inside = [(s, i) for s, i in scored if centre_in(lines[i].box, spatial)]
        scored = inside if inside or kinds & {"header", "footer"} else scored
    if not scored:
        return None
    if not (SIDEBAR.search(folded) or NAVBAR.search(folded) or NAVIGATION.search(folded)
            or terms.version or terms.numbers):
        # A contents list or "on this page" column repeats the names of what the page body explains: the
        # body's match is the answer, even when the entry matches the name more exactly. Not for numbers and
        # versions, which side columns hold themselves (a crate's version in a docs sidebar, the addresses
        # beside a memory map).
        side = _side_lines(lines, content)
        body_scored = [(s, i) for s, i in scored if i not in side]
        if body_scored:
            scored = body_scored
    wanted = {STRUCTURE[w] for w in WORD.findall(folded) if w in STRUCTURE}
    boxes, bars = _containers(image)

    def holder(b: Box) -> Box | None:
        holding = [c for c in boxes if inside_fraction(b, c) >= 0.8 and area(c) >= 1.5 * area(b)]
        return min(holding, key=area) if holding else None

    margin = _running_lines(lines, content)
    # A manual's running header and footer ("XPROP(1)  General Commands Manual  XPROP(1)": a row of a few
    # short pieces) repeat the command's name on every page: they match a question about it best and answer
    # none (but its version, or what the header says). A lone top line may be the page's own text.
    running = frozenset(i for i in margin if len(lines[i].text.split()) <= 4 and sum(
        1 for k in margin if k != i and v_overlap(lines[k].box, lines[i].box) >= 0.5
        and len(lines[k].text.split()) <= 4) >= 1)
    # A table's header row (at the top of a table image) looks like a running header; it still names columns.
    with_running = scored
    if running and not terms.version and not kinds & {"header", "footer", "top", "bottom"}:
        in_body = [si for si in scored if si[1] not in running]
        if in_body:
            scored = in_body
        scored = _beside_subject(scored, lines, running, terms)
    scored = _within_item(scored, lines, terms)
    body0 = layout.body_height(lines)

    def rank(si: tuple[float, int]) -> tuple[float, bool, int, int]:
        # Best score, a bonus when the line is nothing but the named thing (a heading "Examples", a
        # panel title); ties go to a line of the page's body over its running header or footer, then to
        # bigger text (headings name what is under them), then the lower line (grand totals and signatures
        # sit below their subtotals).
        b = lines[si[1]].box
        return (si[0] + 0.5 * _exactness(lines[si[1]].text, terms), si[1] not in margin,
                round((b[3] - b[1]) / max(1.0, 0.15 * body0)), b[1])

    s_best, best = max(scored, key=rank)
    defined = definition(query, lines, body0, lines[best].box, {i: s for s, i in with_running})
    if defined is not None:
        # "explain _commit_removals", "what does _getline return": the whole definition, not the call site
        # or the listing its name matched best in. Two definitions of the names make it a guess. Its rows
        # are marked across the listing (or its panel), as any block's are.
        box, count = defined
        panel = holder(box)
        box = _widen_to_paragraph(_widen_to_column(box, lines, body0), lines, body0)
        if panel is not None:
            box = (min(box[0], panel[0]), box[1], max(box[2], panel[2]), box[3])
        found = _finish(_with_gutter(box, lines, body0), size, f"the definition the query names (1 of {count})",
                        0.7 if count == 1 else 0.45, _text_pad(lines))
        if found is not None:
            return found
    if "container" in wanted:
        # "the error output", "the example code": a match inside a code block or panel beats prose about it.
        boxed = [si for si in scored if holder(lines[si[1]].box) is not None]
        if boxed and max(boxed, key=rank)[0] >= 0.5 * s_best:
            s_best, best = max(boxed, key=rank)
    # (A match on the table's caption, "Table F.23", is handled below: the caption and the table under it.)
    if (TABLE_WORDS.search(folded) and not NAVIGATION.search(folded)
            and not TABLE_CAPTION.match(fold(lines[best].text))):
        # "the price of a lemon in the example table", "how many rows are in the fruit table": the table
        # holding a match (else the page's only table) even when prose about it matches better.
        scores = {i: s for s, i in with_running}
        tables = grids(lines)
        held = [(sum(scores.get(i, 0.0) for i in g), g) for g in tables]
        held = [sg for sg in held if sg[0] > 0] or ([(0.0, tables[0])] if len(tables) == 1 else [])
        if held:
            s_grid, grid_lines = max(held, key=lambda sg: sg[0])
            # With its caption or title just above it (and the header row OCR may have read as prose).
            table = along_rulings(image, union(lines[i].box for i in grid_lines), lines)
            found = _finish(_with_labels(table, lines, body0), size,
                            f"the table the query names (score {s_grid:.1f})", 0.6 if s_grid > 0 else 0.45,
                            _text_pad(lines))
            if found is not None:
                return found
    cell = table_cell(lines, with_running, terms, s_best)
    if cell is not None:
        box, s_cell = cell
        box = along_rulings(image, box, lines)
        grid = holder(box)
        if grid is not None and area(grid) <= 0.2 * size[0] * size[1]:
            box = grid  # a small table set apart (a figure): people mark all of it
        found = _finish(box, size, f"the table row and column the query names (score {s_cell:.1f})", 0.6,
                        _text_pad(lines))
        if found is not None:
            return found
    anchor = lines[best]
    blocks = layout.text_blocks(lines)
    block_of = {i: k for k, blk in enumerate(blocks) for i in blk}
    rivals = {block_of[i] for s, i in scored if s >= 0.8 * s_best and block_of[i] != block_of[best]}
    body = layout.body_height(lines)
    ah = anchor.box[3] - anchor.box[1]
    short = len(anchor.text.split()) <= 8 and not _AMOUNT.search(anchor.text)
    # A heading: taller than body text, short, and no amount in it ("Total 1820.40" is a value line).
    # Not when the lines right under it are as tall: that is a run of large text (a code block, a slide),
    # and the section under it would stop at its first line.
    # Nor a line of code ("long_description = file: README.rst" in a listing set larger than the prose).
    heading = (ah >= 1.2 * body and short and not _same_size_below(anchor, lines)
               and not re.search(r"[=;{}<>]", anchor.text))
    # How much of the evidence the image holds for the query is in this one line (query words that
    # appear nowhere on the image, like verbs, do not count against it).
    ideal = line_score(" ".join(ln.text for ln in lines), terms)
    match = min(1.0, s_best / ideal) if ideal > 0 else 0.0
    container = holder(anchor.box)
    # A caption or title just above a table, code block or panel names it.
    below = [c for c in boxes if 0 <= c[1] - anchor.box[3] <= 1.5 * ah and c[3] - c[1] >= 2 * ah
             and min(c[2], anchor.box[2]) - max(c[0], anchor.box[0]) > 0] if container is None and short else []
    structural = True
    largest = WANTED_CONTAINER_FRACTION if "container" in wanted else 0.2
    if container is not None and area(container) <= largest * size[0] * size[1]:
        box = _with_labels(container, lines, body)
        why = "the panel/block holding the matching text"
    elif below:
        box = _with_labels(union([anchor.box, min(below, key=lambda c: c[1])]), lines, body)
        why = "the block under the matching caption"
    elif heading:
        # A heading in a sidebar (a table of contents) heads the sidebar's lines, not the page beside it.
        bar = next((c for c in bars if inside_fraction(anchor.box, c) >= 0.8), None)
        box = layout.section_below(best, lines, container or bar or content)
        why = "the section under the matching heading"
    else:
        structural = False
        by_number = bool(terms.numbers) and any(
            n in re.sub(r"\D", "", anchor.text) for n in terms.numbers if len(n) >= 2)
        # Stay inside the anchor's panel: a row "to the right" must not run into the next column.
        bound = container or next((c for c in bars if inside_fraction(anchor.box, c) >= 0.8), None)
        others = [c for c in bars if c != bound]
        near = [ln for ln in lines if (bound is None or inside_fraction(ln.box, bound) >= 0.5)
                and not any(inside_fraction(ln.box, c) >= 0.5 and inside_fraction(anchor.box, c) < 0.5
                            for c in others)]
        blk = union(lines[i].box for i in blocks[block_of[best]] if lines[i] in near or lines[i] is anchor)
        nearby = _neighbourhood(anchor, near, include_left=by_number)
        # A "block" covering half the image is a whole listing or column: the line's row is the answer.
        grown = union([blk, nearby])
        box = nearby if area(grown) > 0.5 * size[0] * size[1] else grown
        # The rest of the rows it spans: an answer is read across its column, not from the matched word on.
        wide = _widen_to_paragraph(_widen_to_column(box, near, body), near, body)
        if container is not None:
            # Inside a panel too large to be the answer (a long code block, a card): its rows are read
            # across the panel, and people mark them to its edges.
            wide = (min(wide[0], container[0]), wide[1], max(wide[2], container[2]), wide[3])
        box = wide if area(wide) <= 0.4 * size[0] * size[1] else box
        why = "the text block of the matching line"
        led = _introduced(anchor, near, boxes, body)
        if led is not None and area(union([box, led])) <= 0.4 * size[0] * size[1]:
            box = union([box, led])
            why = "the text block of the matching line and what it introduces"
    # Calibrated on the tune half of benchmarks/crop_real.py (hand-drawn regions of real images): a rival
    # block matching nearly as well is what predicts a wrong box (a text block with rivals covered the answer
    # in ~50 % of questions, without rivals in ~87 %); how much of the query matched predicts little
    # (short foreign-language questions match one word and are often right). So rivals alone push a plain
    # text block below the 0.5 gate; a structural match (panel, section, captioned block) stays above it.
    confidence = 0.35 + 0.1 * match + (0.15 if structural else 0.0) + (0.0 if rivals else 0.25)
    if "section" in wanted and not heading:
        confidence -= 0.1  # a section was asked for and the match is not its heading
    box = _with_gutter(box, lines, body)
    return _finish(box, size, f"{why} (score {s_best:.1f}, match {match:.2f}, {len(rivals)} rival blocks)",
                   confidence, _text_pad(lines))


def _introduced(anchor: OcrLine, lines: Sequence[OcrLine], boxes: Sequence[Box], body: float) -> Box | None:
    """What a lead-in introduces: when the matched line's sentence ends with a colon ("... are available by
    default:", "Example 3: ... as appropriate:") or the matched line is a table's caption, the answer is the
    list, code block or table right under it, not the sentence announcing it. ``None`` otherwise.

    The code block or panel starting within two lines under it, else the lines under it in its column down
    to a gap of two lines or a heading (a line clearly taller than the body text, at or left of its margin).
    """
    b = max(body, 1.0)
    lead = anchor
    caption = TABLE_CAPTION.match(fold(anchor.text)) is not None
    # The sentence may run on for a line or two after the matched line.
    for _ in range(3):
        if caption or lead.text.rstrip().endswith((":", "\uff1a")):
            break
        h = lead.box[3] - lead.box[1]
        nxt = [ln for ln in lines if lead.box[3] - 0.3 * h <= ln.box[1] <= lead.box[3] + 0.6 * b
               and ln is not lead and abs(ln.box[0] - lead.box[0]) <= b and abs(ln.box[3] - ln.box[1] - h) <= 0.3 * h]
        if not nxt:
            return None
        lead = min(nxt, key=lambda ln: ln.box[1])
    else:
        return None
    blk = union([anchor.box, lead.box])
    # A panel at least two lines tall and a few words wide (bold words and icons are components too).
    panels = [c for c in boxes if 0 <= c[1] - blk[3] <= 2.5 * b and min(c[2], blk[2]) - max(c[0], blk[0]) > 0
              and c[3] - c[1] >= 1.5 * b and c[2] - c[0] >= 6 * b]
    if panels:
        return union([blk, min(panels, key=lambda c: c[1])])
    parts: list[Box] = []
    bottom = blk[3]
    for ln in sorted(lines, key=lambda ln: ln.box[1]):
        x = ln.box
        if x[1] < blk[3] - 0.3 * b or min(x[2], blk[2]) - max(x[0], blk[0] - b) <= 0:
            continue
        if x[1] - bottom > 2.0 * b:
            break
        if x[3] - x[1] > 1.5 * b and x[0] <= blk[0] + b:
            break  # the next heading
        parts.append(x)
        bottom = max(bottom, x[3])
    return union([blk, *parts]) if parts else None


def _widen_to_column(box: Box, lines: Sequence[OcrLine], body: float) -> Box:
    """``box`` widened to the lines within its rows that continue it sideways (no gap wider than two line
    heights: a column gutter or a sidebar's margin stops it)."""
    x0, y0, x1, y1 = box
    slack = 0.5 * body
    rows = [ln.box for ln in lines if ln.box[1] >= y0 - slack and ln.box[3] <= y1 + slack]
    changed = True
    while changed:
        changed = False
        for b in rows:
            if (b[0] < x0 or b[2] > x1) and max(b[0] - x1, x0 - b[2]) <= 2.0 * body:
                x0, x1 = min(x0, b[0]), max(x1, b[2])
                changed = True
    return x0, y0, x1, y1


def _widen_to_paragraph(box: Box, lines: Sequence[OcrLine], body: float, reach: float = 12.0) -> Box:
    """``box`` widened to the text column it sits in: lines up to a dozen rows above or below that start inside
    it and run on past its right edge (or end inside it and start left of it) show how wide the column is.

    People asked about a block mark the whole column width; the matched block is often a short last line or
    an indented snippet (tune half of benchmarks/crop_real.py: 501 -> 521 of 755 covered, none lost). Short
    lines around a code snippet in a docs page can span more than six rows, so the column's width is looked
    for up to twelve rows away (595 -> 602 of 755, none lost).
    """
    x0, y0, x1, y1 = box
    nx0, nx1 = x0, x1
    for ln in lines:
        b = ln.box
        if b[1] < y0 - reach * body or b[3] > y1 + reach * body:
            continue
        if b[0] < x1 < b[2] and b[0] >= x0 - body:
            nx1 = max(nx1, b[2])
        if b[0] < x0 < b[2] and b[2] <= x1 + body:
            nx0 = min(nx0, b[0])
    return nx0, y0, nx1, y1


def _beside_subject(scored: list[tuple[float, int]], lines: Sequence[OcrLine], running: frozenset[int],
                    terms: Terms) -> list[tuple[float, int]]:
    """Scores with the page's subject discounted: the query parts a manual's running header holds ("when was
    curl_multi_perform added" on the page of curl_multi_perform) name the page, not a place on it; where the
    rest of the query matches ("Added in 7.9.6") is the answer. Unchanged when nothing else matches."""
    units = term_units(terms)
    subject = [u for u in units if any(line_score(lines[i].text, u) > 0 for i in running)]
    if not subject or len(subject) == len(units):
        return scored
    out = []
    for s, i in scored:
        s_sub = sum(line_score(lines[i].text, u) for u in subject)
        out.append((max(0.0, s - 0.9 * s_sub), i))
    kept = [si for si in out if si[0] >= 0.9]
    return kept or scored


_ITEM = re.compile(r"^\W*([^\W\d_]+) (\d{1,3})\b")


def _within_item(scored: list[tuple[float, int]], lines: Sequence[OcrLine],
                 terms: Terms) -> list[tuple[float, int]]:
    """Matches inside the numbered item the query names ("why does group_keys have no effect in example 2"):
    the page's line starting with "Example 2" opens the item, the next line starting with "Example <n>"
    closes it; when the rest of the query matches in between (a phrase, or two words: one common word there
    says little), the answer is there, not on the item's own first line (which matches the item's name best).
    Unchanged otherwise."""
    import dataclasses

    items = [p for p in terms.phrases if (m := _ITEM.match(p)) and m.group(0) == p]
    if not items:
        return scored
    starts = [(i, m) for i, ln in enumerate(lines) if (m := _ITEM.match(fold(ln.text)))]
    opening = [(i, m) for i, m in starts if f"{m.group(1)} {m.group(2)}" in items]
    if len(opening) != 1:
        return scored
    first, m = opening[0]
    top = lines[first].box[3]
    ends = [lines[i].box[1] for i, n in starts if n.group(1) == m.group(1) and n.group(2) != m.group(2)
            and lines[i].box[1] > top]
    bottom = min(ends, default=float("inf"))
    item_words = {w for p in items for w in p.split()}
    rest = dataclasses.replace(terms, phrases=tuple(p for p in terms.phrases if p not in items),
                               words=tuple(w for w in terms.words if w not in item_words), concept_forms=())
    inside = [(s, i) for s, i in scored
              if top <= lines[i].box[1] < bottom and line_score(lines[i].text, rest) >= 2.0]
    return inside or scored


def _running_lines(lines: Sequence[OcrLine], content: Box) -> frozenset[int]:
    """Indices of a page's running header and footer: the top and bottom rows of a tall page (a manual's
    ``XPROP(1)`` heads, a ``libcurl 7.88.1`` footer), which repeat the page's subject or version but hold no
    answer."""
    x0, y0, x1, y1 = content
    if y1 - y0 < 1.2 * (x1 - x0) or not lines:
        return frozenset()  # not a page: the top row of a screenshot or a chart is its title
    band = 0.05 * (y1 - y0)
    top = min(ln.box[1] for ln in lines)
    bottom = max(ln.box[3] for ln in lines)
    return frozenset(i for i, ln in enumerate(lines)
                     if (ln.box[3] <= top + band and ln.box[1] <= y0 + band)
                     or (ln.box[1] >= bottom - band and ln.box[3] >= y1 - band))


def _side_lines(lines: Sequence[OcrLine], content: Box) -> frozenset[int]:
    """Indices of the lines of a side column: a contents list or "on this page" box in the outer 30 % of the
    content's width, with a clear gutter (no line crosses it) between it and wider body text, and its rows
    not lined up with the body's (a form's labels have their values on their rows, in the same type: they
    are not a column).
    """
    x0, _, x1, _ = content
    width = x1 - x0
    body = max(1.0, layout.body_height(lines))
    out: set[int] = set()
    for left in (True, False):
        group = [i for i, ln in enumerate(lines)
                 if (ln.box[2] <= x0 + 0.3 * width if left else ln.box[0] >= x1 - 0.3 * width)]
        if len(group) < 2:
            continue
        edge = max(lines[i].box[2] for i in group) if left else min(lines[i].box[0] for i in group)
        gutter = (edge, edge + body) if left else (edge - body, edge)
        rest = [ln.box for k, ln in enumerate(lines) if k not in group]
        if any(b[0] < gutter[1] and b[2] > gutter[0] for b in rest):
            continue  # text runs across: not a separate column
        main = [b for b in rest if (b[0] >= gutter[1] if left else b[2] <= gutter[0])]
        if len(main) < 3 or max(b[2] for b in main) - min(b[0] for b in main) < 0.4 * width:
            continue
        aligned = sum(any(_same_row(lines[i].box, b) for b in main) for i in group)
        if aligned >= 0.6 * len(group):
            continue
        out.update(group)
    return frozenset(out)


def _same_row(a: Box, b: Box) -> bool:
    """Whether two boxes are text of one row and size (a label and its value): same top and height."""
    h = max(1, a[3] - a[1])
    return abs(a[1] - b[1]) <= 0.2 * h and abs((b[3] - b[1]) - h) <= 0.2 * h


def _same_size_below(anchor: OcrLine, lines: Sequence[OcrLine]) -> bool:
    """Whether the next line under ``anchor`` (overlapping it horizontally, within two line heights) is
    about as tall as it."""
    a = anchor.box
    ah = max(1, a[3] - a[1])
    below = [ln.box for ln in lines if ln is not anchor and a[3] - 0.3 * ah <= ln.box[1] <= a[3] + 2 * ah
             and min(ln.box[2], a[2]) - max(ln.box[0], a[0]) > 0]
    if not below:
        return False
    nxt = min(below, key=lambda b: b[1])
    return nxt[3] - nxt[1] >= 0.9 * ah


_LINE_NUMBER = re.compile(r"^\s*\d{1,5}\s*$")


def _with_gutter(box: Box, lines: Sequence[OcrLine], body: float) -> Box:
    """``box`` widened left to the line numbers of its rows (an editor's or a listing's gutter).

    People asked about code mark the lines with their numbers (and ask by them: "lines 115-125"); the
    gutter is a separate column of digit-only lines a few characters left of the code, so no text block or
    row widening reaches it. Tune half of benchmarks/crop_real.py: 5 code questions whose box held 81-83 %
    of the region (all but the gutter) now hold it; none lost.
    """
    x0, y0, x1, y1 = box
    reach = 12.0 * max(body, 1.0)
    gutter = [ln.box for ln in lines if _LINE_NUMBER.match(ln.text) and ln.box[2] <= x0 + 0.5 * body
              and x0 - ln.box[2] <= reach and y0 <= (ln.box[1] + ln.box[3]) / 2 <= y1]
    if len(gutter) < 2:
        return box
    # A column: the numbers end at about the same x (right-aligned) or start there.
    right = sorted(b[2] for b in gutter)[len(gutter) // 2]
    column = [b for b in gutter if abs(b[2] - right) <= 1.5 * body]
    if len(column) < 2:
        return box
    return min(x0, min(b[0] for b in column)), y0, x1, y1


def _exactness(text: str, terms: Terms) -> float:
    """Share of the line's words that are query words: 1.0 for a line that is just the named thing (also in
    another language: a "DEFAULT" or "Returns:" field label for "기본값", "返回")."""
    words = WORD.findall(fold(text))
    named = (set(terms.words) | {w for p in terms.phrases for w in p.split()}
             | {w for f in terms.concept_forms for w in WORD.findall(f)})
    return sum(w in named for w in words) / len(words) if words else 0.0


def _containers(image: Image.Image) -> tuple[list[Box], list[Box]]:
    """Containers small enough to be "the" block of a match, and bars (a sidebar or a header bar: a narrow
    column as tall as the image or a strip as wide), which only bound a match's row."""
    w, h = image.size
    blocks: list[Box] = []
    bars: list[Box] = []
    for c in layout.containers(image):
        column = c[3] - c[1] >= 0.85 * h and c[2] - c[0] <= 0.35 * w
        strip = c[2] - c[0] >= 0.85 * w and c[3] - c[1] <= 0.2 * h
        if column or strip:
            bars.append(c)
        elif area(c) <= MAX_CONTAINER_FRACTION * w * h:
            blocks.append(c)
    return blocks, bars


def _with_labels(box: Box, lines: Sequence[OcrLine], body: float) -> Box:
    """A container with the text that labels it from outside: a caption or panel title just above, tick
    labels just left of or below a plot frame."""
    gap = 1.2 * max(body, 1.0)
    parts = [box]
    left: list[Box] = []
    for ln in lines:
        b = ln.box
        h_overlap = min(b[2], box[2]) - max(b[0], box[0]) > 0
        v_over = min(b[3], box[3]) - max(b[1], box[1]) > 0
        above_or_below = 0 <= box[1] - b[3] <= gap or 0 <= b[1] - box[3] <= gap
        if h_overlap and above_or_below:
            parts.append(b)
        elif v_over and 0 <= box[0] - b[2] <= gap:
            left.append(b)
    # Labels at the left are a narrow margin (tick labels); lines reaching far left are the next column of
    # the page (a sidebar's entries beside the main column), not labels of this block.
    if left and box[0] - min(b[0] for b in left) <= 0.3 * (box[2] - box[0]):
        parts.extend(left)
    return union(parts)


# --------------------------------------------------------------------------------------------------------
# (c) position words
# --------------------------------------------------------------------------------------------------------


def _spatial_region(image: Image.Image, kinds: frozenset[str], lines: Sequence[OcrLine],
                    content: Box) -> CropRegion | None:
    spatial = _spatial_box(kinds, content)
    if spatial is None:
        return None
    region_box = spatial
    if lines:
        # Do not cut through text at the region's edge: take in lines mostly inside it. Not a page-wide line
        # that only reaches into it: that turns "top right" into the whole top, which costs as much as the page.
        inside = [ln.box for ln in lines if inside_fraction(ln.box, region_box) >= 0.75]
        if inside:
            region_box = union([region_box, *inside])
    sub = image.crop(region_box)
    bb = content_bbox(sub)
    if bb is None:
        return None
    trimmed = (region_box[0] + bb[0], region_box[1] + bb[1], region_box[0] + bb[2], region_box[1] + bb[3])
    # Position words alone say where, not what: the answer may straddle the named part.
    return _finish(trimmed, image.size, f"{_spatial_name(kinds)} of the content", 0.5, _side_pad(image.size))
