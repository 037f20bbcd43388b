"""OCR for the ``transcode`` technique and for query-driven crops.

The engine is RapidOCR (PP-OCR models on onnxruntime). Only the model files that ship inside
the installed ``rapidocr`` wheel are used: their paths are passed to the engine explicitly, so
it never reaches its download code (a hub fetch offline stalls every call, DESIGN §11). With
rapidocr 3.10 these are ``PP-OCRv6_det_small.onnx`` (text detection) and
``PP-OCRv6_rec_small.onnx`` (recognition; its character table is embedded in the ONNX
metadata, so no dictionary is fetched either). The recogniser reads Latin scripts (with
accents), Chinese and Japanese; it was not trained on Korean, Cyrillic, Greek, Arabic or Indic
scripts -- such lines come out partial or garbled. The confidence is lowered for them so a
transcode is refused: reliably for Cyrillic and Greek (measured), for other scripts only
through the "too few characters for this box" check, which is a heuristic (see
``_ocr_now``). The bundled 180° line classifier is not used. When only the older
``rapidocr-onnxruntime`` (v1) package is installed, its bundled models are used.

Properties callers rely on:

- ``import headroom_middleware.ocr`` is cheap: rapidocr, onnxruntime and numpy are imported
  only when the first OCR runs.
- One engine per process, created lazily under a lock; engine calls are serialised on one
  dedicated daemon worker thread (the RapidOCR object mutates its own settings on every call,
  so it is not safe to call concurrently).
- Every call is bounded by ``timeout_s``: the caller waits on the worker with a timeout and
  gets :class:`~headroom_middleware.errors.OcrTimeoutError` instead of hanging.
- Results are kept in a bounded, thread-safe LRU keyed by ``cache_key``; a repeat returns the
  identical :class:`OcrResult` object without touching the engine.
- Nothing here logs OCR text or image bytes, only sizes, counts and timings.

Example::

    from PIL import Image
    from headroom_middleware.ocr import ocr_available, run_ocr

    if ocr_available():
        res = run_ocr(Image.open("invoice.png"), cache_key=sha256_hex, timeout_s=15.0)
        print(res.mean_confidence, len(res.lines))
        print(res.text)
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import itertools
import logging
import queue
import re
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .cache import LRUCache
from .errors import OcrError, OcrTimeoutError, OcrUnavailableError

if TYPE_CHECKING:  # Pillow is only needed for typing here; callers already hold an image.
    from PIL import Image

__all__ = [
    "MAX_OCR_SIDE",
    "OcrLine",
    "OcrResult",
    "arun_ocr",
    "clear_ocr_cache",
    "layout_text",
    "ocr_available",
    "run_ocr",
]

logger = logging.getLogger(__name__)

#: Long side (px) the engine sees. Bigger pages are downscaled first: detection time grows
#: with the pixel count while text that is still legible at 2000 px gains nothing from more.
MAX_OCR_SIDE = 2000
#: Entries kept by the result cache (each holds only text and boxes, a few KB).
CACHE_SIZE = 256

#: Recognitions scoring below this are dropped from the text (they still lower the confidence).
_MIN_LINE_SCORE = 0.5
#: A line whose recognised characters fill less than this share of its box's expected
#: capacity has its confidence scaled down proportionally.
_MIN_COVERAGE = 0.45

#: Letters the bundled recogniser knows a few glyphs of (units, math) but was not trained to
#: read as text.
_UNTRAINED_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")

_INSTALL_HINT = "OCR needs rapidocr: pip install 'headroom-middleware[ocr]'"


# --------------------------------------------------------------------------------------------
# Value types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OcrLine:
    """One detected text line.

    ``box`` is ``(x0, y0, x1, y1)`` in pixels of the image given to :func:`run_ocr`
    (x1/y1 exclusive), ``confidence`` is the recogniser's score in 0..1.
    """

    text: str
    box: tuple[int, int, int, int]
    confidence: float


@dataclass(frozen=True)
class OcrResult:
    """The OCR of one image.

    ``text`` is rebuilt in reading order by :func:`layout_text`; ``mean_confidence`` is the
    line confidences weighted by text length (0.0 when nothing was read); ``duration_ms`` is
    the time the engine took for this image (a cached result keeps its original duration).
    """

    text: str
    mean_confidence: float
    lines: tuple[OcrLine, ...]
    duration_ms: float


# --------------------------------------------------------------------------------------------
# Reading order (pure; unit-testable without OCR)
# --------------------------------------------------------------------------------------------


class _HasTextBox(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def box(self) -> tuple[int, int, int, int]: ...


_T = TypeVar("_T", bound=_HasTextBox)


def _height(b: tuple[int, int, int, int]) -> int:
    return max(1, b[3] - b[1])


def _group_rows(items: Sequence[_T]) -> list[list[_T]]:
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
            if ov > best_ov:
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


def _row_text(row: Sequence[_HasTextBox]) -> str:
    """Join the cells of one row; a gap wider than the text height marks a table cell."""
    h = statistics.median(_height(i.box) for i in row)
    parts = [row[0].text.strip()]
    for prev, cur in itertools.pairwise(row):
        gap = cur.box[0] - prev.box[2]
        parts.append(" | " if gap > 1.0 * h else " ")
        parts.append(cur.text.strip())
    return "".join(parts)


def _rows_text(items: Sequence[_HasTextBox]) -> str:
    """Rows top to bottom; a blank line where the vertical gap is much larger than usual."""
    rows = _group_rows(items)
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
    out = [_row_text(rows[0])]
    for k in range(1, len(rows)):
        if gaps[k - 1] > para_gap:
            out.append("")
        out.append(_row_text(rows[k]))
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
    """Median line has >= 3 words (CJK: 2 characters count as a word) and >= 12 chars."""
    words = [len(i.text.split()) + len(_CJK_CHAR.findall(i.text)) / 2 for i in items]
    chars = [len(i.text.strip()) for i in items]
    return statistics.median(words) >= 3 and statistics.median(chars) >= 12


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
    lo, hi = x_min + width // 4, x_max - width // 4
    med_h = statistics.median(_height(i.box) for i in items)
    spans = _core_spans(items)
    # Candidate gutters start just right of a box. A candidate's width runs to the next box
    # starting at or after it and must beat an ordinary word space; boxes crossing its left
    # edge (titles) are counted and at most a fifth of the boxes may cross. The candidate
    # with the fewest crossers wins, then the widest.
    best: tuple[int, float, float] | None = None  # (-crossers, width, centre x)
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
        key = (-crossing, float(gap), x + gap / 2)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    gx = best[2]
    left = [i for i, (_, x1) in zip(items, spans, strict=True) if x1 <= gx]
    right = [i for i, (x0, _) in zip(items, spans, strict=True) if x0 >= gx]
    if min(len(left), len(right)) < 3:
        return None
    # Side by side over most of the page, not one block above the other.
    l0, l1 = min(i.box[1] for i in left), max(i.box[3] for i in left)
    r0, r1 = min(i.box[1] for i in right), max(i.box[3] for i in right)
    if min(l1, r1) - max(l0, r0) < 0.5 * min(l1 - l0, r1 - r0):
        return None
    # Columns of prose have lines of several words; table cells and key/value pairs are a
    # word or two and read better row by row ("Qty | 4").
    if not (_prose_like(left) and _prose_like(right)):
        return None
    return gx


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
    rows = _group_rows(col)
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


def _layout(items: Sequence[_HasTextBox], depth: int) -> str:
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
        left = [i for i in section if (i.box[0] + i.box[2]) / 2 < gx]
        right = [i for i in section if (i.box[0] + i.box[2]) / 2 >= gx]
        left, left_tail = _split_tail(left, right)
        right, right_tail = _split_tail(right, left)
        for col in (left, right, *sorted((left_tail, right_tail), key=_top)):
            if col:
                blocks.append(_layout(col, depth + 1))
        section.clear()

    spanning: list[_HasTextBox] = []
    core = dict(zip(map(id, items), _core_spans(items), strict=True))
    for it in sorted(items, key=lambda i: (i.box[1], i.box[0])):
        x0, x1 = core[id(it)]
        if x0 < gx < x1:
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
    - a two-column layout (a vertical gutter no text crosses over most of the page, prose on
      both sides) is read column by column; full-width lines (titles) split the page into
      sections; nested columns are handled up to three levels;
    - cells of one row separated by a gap wider than the text height are joined with
      ``" | "`` (tables, receipts, key/value forms), nearer boxes with a space;
    - a blank line separates blocks whose vertical gap is clearly larger than the leading.

    Example::

        >>> from headroom_middleware.ocr import OcrLine, layout_text
        >>> layout_text([OcrLine("Total", (10, 100, 60, 120), 0.99),
        ...              OcrLine("12.50", (300, 101, 350, 121), 0.98),
        ...              OcrLine("Invoice", (10, 10, 90, 30), 0.99)])
        'Invoice\\n\\nTotal | 12.50'
    """
    items = [ln for ln in lines if ln.text.strip()]
    if not items:
        return ""
    return _layout(items, 0)


# --------------------------------------------------------------------------------------------
# Engine
# --------------------------------------------------------------------------------------------


#: One engine detection: polygon, text, score and, when the engine gives them, word boxes
#: ``(word, polygon)`` in the same pixel space.
_Detection = tuple[Any, ...]


class _Engine(Protocol):
    """What the worker needs: RGB pixels in, ``(polygon, text, score[, words])`` out."""

    def __call__(self, image: Image.Image) -> Sequence[_Detection]: ...


#: Model files shipped inside rapidocr v3 wheels: 3.10 ships PP-OCRv6 small det/rec
#: (multilingual: Latin scripts, CJK); earlier 3.x shipped PP-OCRv4/v5 mobile Chinese/English.
_BUNDLED_MODELS: dict[str, tuple[str, ...]] = {
    "det": ("PP-OCRv6_det_small.onnx", "ch_PP-OCRv5_mobile_det.onnx", "ch_PP-OCRv4_det_infer.onnx"),
    "rec": ("PP-OCRv6_rec_small.onnx", "ch_PP-OCRv5_rec_mobile_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"),
}


def _rapidocr_v3_model_paths() -> dict[str, Path] | None:
    """The ONNX models bundled in the rapidocr v3 wheel, or None if any is missing."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    # Known bundled files only, newest first: the recogniser must carry its character table
    # inside the ONNX metadata (these do), or the engine would try to download one. Other
    # files a user may have downloaded into the same folder are ignored.
    found: dict[str, Path] = {}
    for task, names in _BUNDLED_MODELS.items():
        path = next((models / n for n in names if (models / n).is_file()), None)
        if path is None:
            return None
        found[task] = path
    return found


class _RapidOcrV3:
    def __init__(self) -> None:
        from rapidocr import RapidOCR

        paths = _rapidocr_v3_model_paths()
        if paths is None:
            raise OcrUnavailableError("rapidocr is installed but its bundled models are missing")
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            # Upright documents: the 180° classifier costs time per line and is rarely needed;
            # upside-down text reads with low confidence and is then not transcoded.
            "Global.use_cls": False,
            "Global.max_side_len": MAX_OCR_SIDE,
            # Return every detection: low scores are filtered here, where they can still
            # lower the page confidence instead of silently vanishing.
            "Global.text_score": 0.0,
            # The detector upscales images whose short side is below this. rapidocr's 736
            # made a 900x300 table cost 2.5x the pixels; 480 reads 8-12 px text just as well
            # on rendered test pages and is ~30 % faster on small and wide images.
            "Det.limit_side_len": 480,
            # Explicit paths: the engine never consults its download table.
            "Det.model_path": str(paths["det"]),
            "Rec.model_path": str(paths["rec"]),
        }
        self._ocr = RapidOCR(params=params)
        self._no_spinning(paths)

    def _no_spinning(self, paths: dict[str, Path]) -> None:
        """Reopen the ONNX sessions with idle threads sleeping instead of spinning.

        onnxruntime's worker threads busy-wait between operators by default. On a small,
        shared CPU (the 2-core target, a web server's other requests) that burns ~35 % more
        CPU per page and makes OCR slower, not faster. rapidocr has no option for it, so the
        sessions it opened are replaced; if its internals differ, the defaults are kept.
        """
        try:
            import onnxruntime as ort

            ocr = self._ocr
            parts = ((ocr._load_det_model(), paths["det"]), (ocr._load_rec_model(), paths["rec"]))
            for part, path in parts:
                holder = part.session
                so = ort.SessionOptions()
                so.log_severity_level = 4
                so.enable_cpu_mem_arena = False
                so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                so.add_session_config_entry("session.intra_op.allow_spinning", "0")
                so.add_session_config_entry("session.inter_op.allow_spinning", "0")
                holder.session = ort.InferenceSession(
                    str(path), sess_options=so, providers=holder.session.get_providers()
                )
        except Exception as exc:  # an internal layout we do not know: keep rapidocr's sessions
            logger.debug("OCR: kept default onnxruntime sessions (%s)", type(exc).__name__)

    def __call__(self, image: Image.Image) -> Sequence[_Detection]:
        import numpy as np

        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        # Word boxes come from the recogniser's own alignment (no extra inference): they let
        # a detection that swallowed a gutter or several table cells be split again.
        out: Any = self._ocr(bgr, return_word_box=True)
        boxes, txts, scores = out.boxes, out.txts, out.scores
        if boxes is None or txts is None or scores is None:
            return []
        words: Any = getattr(out, "word_results", None)
        if not isinstance(words, tuple | list) or len(words) != len(txts):
            words = [None] * len(txts)
        result: list[_Detection] = []
        for box, txt, score, wr in zip(boxes, txts, scores, words, strict=True):
            parsed = None
            try:
                parsed = [(str(w[0]), w[2]) for w in wr if w[2] is not None] if wr else None
            except (TypeError, IndexError):
                parsed = None
            result.append((box.tolist(), str(txt), float(score), parsed))
        return result


class _RapidOcrV1:
    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        # v1 bundles its models inside the package and never downloads.
        try:
            self._ocr = RapidOCR(use_cls=False, text_score=0.0)
        except TypeError:  # a v1 release without keyword overrides
            self._ocr = RapidOCR()

    def __call__(self, image: Image.Image) -> Sequence[_Detection]:
        import numpy as np

        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        result, _ = self._ocr(bgr)
        return [(box, str(txt), float(score)) for box, txt, score in (result or [])]


def _backend() -> str | None:
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    if importlib.util.find_spec("rapidocr") is not None and _rapidocr_v3_model_paths() is not None:
        return "rapidocr"
    if importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        return "rapidocr_onnxruntime"
    return None


_available: bool | None = None


def ocr_available() -> bool:
    """True when an OCR engine and its bundled models are installed (cheap; imports nothing).

    Example::

        >>> from headroom_middleware.ocr import ocr_available
        >>> isinstance(ocr_available(), bool)
        True
    """
    global _available
    if _available is None:
        _available = _backend() is not None
    return _available


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _get_engine() -> _Engine:
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                backend = _backend()
                if backend is None:
                    raise OcrUnavailableError(_INSTALL_HINT)
                t0 = time.perf_counter()
                try:
                    _engine = _RapidOcrV3() if backend == "rapidocr" else _RapidOcrV1()
                except Exception as exc:
                    # A broken install fails the same way every time: remember it instead of
                    # paying the model load again on every request.
                    global _available
                    _available = False
                    logger.warning("OCR engine %s failed to load: %s", backend, type(exc).__name__)
                    raise OcrUnavailableError(f"OCR engine failed to load ({type(exc).__name__})") from exc
                logger.info("OCR engine %s loaded in %.0f ms", backend, 1000 * (time.perf_counter() - t0))
    return _engine


# --------------------------------------------------------------------------------------------
# Worker thread and cache
# --------------------------------------------------------------------------------------------


class _Worker:
    """One daemon thread that runs engine calls in order.

    Daemon, so an engine call that never returns cannot keep the interpreter alive; callers
    wait on a Future with a timeout. One thread also serialises calls into the engine.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[OcrResult], Callable[[], OcrResult]]] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], OcrResult]) -> Future[OcrResult]:
        fut: Future[OcrResult] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="headroom-ocr", daemon=True)
                self._thread.start()
            self._jobs.put((fut, fn))
        return fut

    def _run(self) -> None:
        while True:
            fut, fn = self._jobs.get()
            if not fut.set_running_or_notify_cancel():
                continue  # the caller gave up before the job started
            try:
                fut.set_result(fn())
            except BaseException as exc:  # delivered to the waiting caller
                fut.set_exception(exc)


_worker = _Worker()
_cache: LRUCache[str, OcrResult] = LRUCache(CACHE_SIZE)
_inflight: dict[str, Future[OcrResult]] = {}
_inflight_lock = threading.RLock()  # re-entered when a done callback runs at registration


def clear_ocr_cache() -> None:
    """Drop every cached OCR result (tests, memory pressure)."""
    _cache.clear()


def _prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """RGB copy at most MAX_OCR_SIDE on the long side, and the factor back to input pixels."""
    from PIL import Image as PILImage

    img = image.convert("LA") if image.mode == "La" else image  # premultiplied: no direct path
    if img.mode in ("RGBA", "RGBa", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        # Transparent pixels are often stored as black: flatten on white, or dark text on a
        # transparent background would vanish into a black page.
        rgba = img.convert("RGBA")
        bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = PILImage.alpha_composite(bg, rgba)
    if img.mode != "RGB":
        img = img.convert("RGB")
    w, h = img.size
    scale = 1.0
    if max(w, h) > MAX_OCR_SIDE:
        scale = max(w, h) / MAX_OCR_SIDE
        img = img.resize(
            (max(1, round(w / scale)), max(1, round(h / scale))), PILImage.Resampling.LANCZOS
        )
    return img, scale


#: Words further apart than this many line heights belong to different cells or columns
#: (prose word spaces are ~0.3 line heights, justified text stretches them to ~0.8).
_SPLIT_GAP = 1.0


def _split_at_gaps(
    raw: str,
    box: tuple[int, int, int, int],
    words: Sequence[tuple[str, Sequence[Sequence[float]]]] | None,
    scale: float,
    size: tuple[int, int],
) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Split one detection where its word boxes leave a wide horizontal gap.

    The detector sometimes draws one box across a narrow column gutter or over several
    table cells; the recogniser then glues the parts ("thisIn the southern"). The text of
    each part is cut from the recognised line itself, so spacing and punctuation are kept.
    """
    text = raw.strip()
    if not words or len(words) < 2:
        return [(text, box)]
    try:
        wboxes = []
        for _, poly in words:
            xs = [float(p[0]) * scale for p in poly]
            ys = [float(p[1]) * scale for p in poly]
            wboxes.append((min(xs), min(ys), max(xs), max(ys)))
    except (TypeError, ValueError, IndexError):
        return [(text, box)]
    height = box[3] - box[1]
    cuts = [k for k in range(1, len(words)) if wboxes[k][0] - wboxes[k - 1][2] > _SPLIT_GAP * height]
    if not cuts:
        return [(text, box)]
    # Locate every word in the line text, in order; give up (no split) if one is missing.
    starts, ends, pos = [], [], 0
    for w, _ in words:
        i = raw.find(w, pos)
        if i < 0 or not w:
            return [(text, box)]
        starts.append(i)
        ends.append(i + len(w))
        pos = i + len(w)
    w_img = size[0]
    out = []
    for a, b in zip([0, *cuts], [*cuts, len(words)], strict=True):
        seg = raw[starts[a]:ends[b - 1]].strip()
        x0 = min(wb[0] for wb in wboxes[a:b])
        x1 = max(wb[2] for wb in wboxes[a:b])
        # Word boxes are tight around glyphs; keep the line's vertical extent.
        seg_box = (max(0, int(x0)), box[1], min(w_img, int(x1 + 0.999)), box[3])
        if seg and seg_box[2] > seg_box[0]:
            out.append((seg, seg_box))
    return out or [(text, box)]


def _ocr_now(img: Image.Image, scale: float, size: tuple[int, int]) -> OcrResult:
    """OCR an image made by :func:`_prepare`; boxes go back to ``size`` via ``scale``."""
    t0 = time.perf_counter()
    engine = _get_engine()
    w, h = size
    lines: list[OcrLine] = []
    # Confidence is weighted by text length. Lines the recogniser could not read still count,
    # with the length their box implies: a page in a script the model does not know (the
    # bundled PP-OCR models read Latin scripts and CJK, not Cyrillic, Greek or Arabic) must
    # not look confident because only its digits came through.
    weighted = weight = 0.0
    for det in engine(img):
        poly, raw, score = det[0], str(det[1]), float(det[2])
        text = raw.strip()
        xs = [p[0] * scale for p in poly]
        ys = [p[1] * scale for p in poly]
        box = (
            max(0, int(min(xs))),
            max(0, int(min(ys))),
            min(w, int(max(xs) + 0.999)),
            min(h, int(max(ys) + 0.999)),
        )
        bw, bh = max(xs) - min(xs), max(ys) - min(ys)
        # Latin glyphs are ~0.55 line heights wide, CJK ~1: a horizontal box of this size holds
        # at least this many characters (CJK lines reach ~0.6 of it, Latin > 1).
        expected = bw / (0.55 * bh) if bh > 0 and bw > bh else 0.0
        chars = len(text.replace(" ", ""))
        conf = max(0.0, min(1.0, float(score)))
        coverage = chars / expected if expected >= 4 else 1.0
        if coverage < _MIN_COVERAGE:
            conf *= coverage / _MIN_COVERAGE  # most of the line did not come out as text
        letters = sum(1 for c in text if c.isalpha())
        if letters:
            # Greek/Cyrillic letters in the output mean the line was in a script the model
            # only has a few symbol glyphs for: what it printed is a guess.
            foreign = len(_UNTRAINED_SCRIPT.findall(text))
            conf *= 1.0 - foreign / letters
        if not text or score < _MIN_LINE_SCORE:
            weight += 0.8 * expected
            continue
        n = max(len(text), 0.8 * expected) if coverage < _MIN_COVERAGE else len(text)
        weighted += conf * n
        weight += n
        words = det[3] if len(det) > 3 else None
        for seg_text, seg_box in _split_at_gaps(raw, box, words, scale, size):
            lines.append(OcrLine(text=seg_text, box=seg_box, confidence=conf))
    mean_conf = weighted / weight if weight else 0.0
    # Lines row by row (top to bottom, left to right); ``text`` has the full reading order.
    ordered = tuple(ln for row in _group_rows(lines) for ln in row)
    text = layout_text(ordered)
    ms = 1000 * (time.perf_counter() - t0)
    # Sizes and timings only: OCR text never goes to logs.
    logger.debug("OCR %dx%d: %d lines, %d chars in %.0f ms", w, h, len(lines), len(text), ms)
    return OcrResult(text=text, mean_confidence=mean_conf, lines=ordered, duration_ms=ms)


def _forget_inflight(key: str) -> Callable[[Future[OcrResult]], None]:
    def done(_fut: Future[OcrResult]) -> None:
        with _inflight_lock:
            if _inflight.get(key) is _fut:
                del _inflight[key]

    return done


def run_ocr(image: Image.Image, *, cache_key: str | None = None, timeout_s: float = 15.0) -> OcrResult:
    """OCR ``image`` and return text in reading order, confidence and line boxes.

    Thread-safe. ``cache_key`` (e.g. the sha256 of the image bytes) enables the result cache:
    a repeat returns the same object immediately; concurrent calls with the same key share one
    engine run. Engine runs are serialised on one worker thread (the engine itself uses the
    CPU cores), so time spent queued behind other images counts against ``timeout_s``. The
    engine's first use loads its models (~1-2 s) inside the time bound. Images larger than
    :data:`MAX_OCR_SIDE` are downscaled first; boxes are always in ``image``'s pixels.

    Raises :class:`OcrUnavailableError` when no engine is installed, :class:`OcrTimeoutError`
    when the result is not ready within ``timeout_s`` (the engine run is abandoned, not
    killed; if it completes later its result is still cached), :class:`OcrError` on engine
    failure.

    Example::

        res = run_ocr(img, cache_key=hashlib.sha256(data).hexdigest(), timeout_s=10)
        if res.mean_confidence >= 0.8:
            send_text(res.text)
    """
    if cache_key is not None:
        hit = _cache.get(cache_key)
        if hit is not None:
            return hit
    if _engine is None and not ocr_available():
        raise OcrUnavailableError(_INSTALL_HINT)
    # Convert and downscale here: the worker then holds its own image of at most
    # MAX_OCR_SIDE px (it may still run after a timeout returned control to the caller, who
    # may close or mutate theirs).
    t0 = time.perf_counter()
    own, scale = _prepare(image)
    if own is image:
        own = image.copy()
    own.load()
    size = image.size
    prep_ms = 1000 * (time.perf_counter() - t0)

    def job() -> OcrResult:
        res = _ocr_now(own, scale, size)
        if prep_ms >= 1.0:
            res = dataclasses.replace(res, duration_ms=res.duration_ms + prep_ms)
        if cache_key is not None:
            _cache.put(cache_key, res)
        return res

    if cache_key is None:
        fut = _worker.submit(job)
    else:
        with _inflight_lock:
            fut_or_none = _inflight.get(cache_key)
            if fut_or_none is None:
                fut_or_none = _worker.submit(job)
                _inflight[cache_key] = fut_or_none
                fut_or_none.add_done_callback(_forget_inflight(cache_key))
            fut = fut_or_none
    try:
        return fut.result(timeout=max(0.0, timeout_s))
    except (FutureTimeoutError, CancelledError) as exc:
        # cancel() only succeeds if the job has not started: keeps the queue short. A caller
        # sharing a cancelled in-flight run also gets a timeout (CancelledError).
        fut.cancel()
        raise OcrTimeoutError(f"OCR did not finish within {timeout_s:g} s") from exc
    except OcrError:
        raise
    except Exception as exc:
        raise OcrError(f"OCR engine failed: {type(exc).__name__}") from exc


async def arun_ocr(
    image: Image.Image, *, cache_key: str | None = None, timeout_s: float = 15.0
) -> OcrResult:
    """:func:`run_ocr` without blocking the event loop (the wait runs in a worker thread).

    Example::

        res = await arun_ocr(img, cache_key=key)
    """
    if cache_key is not None:
        hit = _cache.get(cache_key)
        if hit is not None:
            return hit
    return await asyncio.to_thread(run_ocr, image, cache_key=cache_key, timeout_s=timeout_s)
