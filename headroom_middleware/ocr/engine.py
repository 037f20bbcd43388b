"""From raw engine detections to an :class:`OcrResult`, and which engine is installed.

An engine is anything callable as ``engine(rgb_image) -> [(polygon, text, score[, words]),
...]`` in the image's pixels (:class:`~headroom_middleware.ocr.process.EngineProcess` is the
real one; tests inject fakes). :func:`read_image` runs it over the tiles of a
:func:`~headroom_middleware.ocr.geometry.plan`, maps boxes back to the caller's pixels,
scores confidence and rebuilds reading order.

The real engine is RapidOCR (PP-OCR models on onnxruntime). Only model files that ship
inside an installed wheel are used; their paths are passed explicitly, so it never reaches
its download code (a hub fetch offline stalls every call).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import math
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from .geometry import Plan, in_core
from .layout import group_rows, layout_text
from .result import OcrLine, OcrResult

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["Engine", "engine_settings", "read_image"]

logger = logging.getLogger(__name__)

#: Recognitions scoring below this are dropped from the text (they still lower the confidence).
_MIN_LINE_SCORE = 0.5
#: A line whose recognised characters fill less than this share of its box's expected
#: capacity has its confidence scaled down proportionally.
_MIN_COVERAGE = 0.45

#: Letters the bundled recogniser knows a few glyphs of (units, math) but was not trained to
#: read as text.
_UNTRAINED_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")

#: Narrowest recognition input (px at the model's 48 px line height); rapidocr pads to 320.
#: Measured on the sample invoice: 320 -> 96 cuts recognition CPU by a third, text unchanged.
REC_MIN_WIDTH = 96
#: Lines per recognition batch: cost is linear in the padded width, so big batches only add
#: padding (batch 6 -> 2: ~15 % less CPU on the invoice).
REC_BATCH = 2
# The recogniser reads lines at the 48 px height its models were trained at. Lower heights were
# measured (model input height freed; benchmarks/ocr.py CPU, benchmarks/ocr_reference.py mean CER
# on 30 documents, busy 2-core box) and are not worth it: 48 px: A4 2.6 s, 1080p 0.8 s, 1.74 %;
# 40 px: 2.1 s, 0.7 s, 2.05 %; 36 px: 1.9 s, 0.6 s, 2.53 %; 32 px: ~1.5 s, ~0.56 s, ~5 %
# (24 px drops lines). Small print suffers first (sklearn_about 3.5 % at 48, 8.1 % at 40).

#: One engine detection: polygon, text, score and, when the engine gives them, word boxes
#: ``(word, polygon)`` in the same pixel space.
Detection = tuple[Any, ...]


class Engine(Protocol):
    """What the worker needs: RGB pixels in, ``(polygon, text, score[, words])`` out."""

    def __call__(self, image: Image.Image) -> Sequence[Detection]: ...



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



#: int8 derivatives of bundled models, shipped in this package with their provenance
#: (``SOURCES.md``). ``tools/quantise_ocr.py`` builds them from the wheel's models and writes
#: the manifest; the manifest names the exact source file (sha256) each one was derived from.
QUANTISED_DIR = Path(__file__).resolve().with_name("models")
QUANTISED_MANIFEST = "quantised.json"


@functools.lru_cache(maxsize=1)
def _quantised_manifest() -> dict[str, Any]:
    """The ``models`` table of the shipped manifest ({} when absent or unreadable)."""
    try:
        data = json.loads((QUANTISED_DIR / QUANTISED_MANIFEST).read_text(encoding="utf-8"))
        models = data["models"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return models if isinstance(models, dict) else {}


def _quantised_models(paths: dict[str, Path]) -> dict[str, dict[str, str]]:
    """The shipped int8 models for these bundled models, by task, as the engine process needs them.

    Matched here by file name only (no hashing: :func:`engine_settings` must stay cheap); the
    engine process checks both sha256 before loading one and otherwise keeps the original.
    """
    found: dict[str, dict[str, str]] = {}
    for task, source in paths.items():
        entry = _quantised_manifest().get(task)
        if not isinstance(entry, dict) or entry.get("source") != source.name:
            continue
        try:
            found[task] = {
                "path": str(QUANTISED_DIR / str(entry["file"])),
                "sha256": str(entry["sha256"]),
                "source_sha256": str(entry["source_sha256"]),
            }
        except KeyError:
            continue
    return found


def engine_settings(threads: int, det_side: int, *, quantised: bool = True) -> dict[str, Any] | None:
    """Settings for the engine process, or None when no engine with bundled models is installed.

    ``quantised``: use the int8 models shipped with this package where they were derived from
    exactly the installed models (the engine process verifies that; any mismatch or load
    failure falls back to the original models). Imports nothing (``find_spec`` only): cheap
    enough for :func:`ocr_available`.

    Example::

        settings = engine_settings(1, 960)
        if settings is not None:
            print(settings["backend"], settings["models"]["rec"], sorted(settings.get("int8", {})))
    """
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    base = {"threads": threads, "det_side": det_side, "rec_min_width": REC_MIN_WIDTH, "rec_batch": REC_BATCH}
    if importlib.util.find_spec("rapidocr") is not None:
        paths = _rapidocr_v3_model_paths()
        if paths is not None:
            settings = {**base, "backend": "rapidocr", "models": {k: str(v) for k, v in paths.items()}}
            int8 = _quantised_models(paths) if quantised else {}
            if int8:
                settings["int8"] = int8
            return settings
    if importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        return {**base, "backend": "rapidocr_onnxruntime", "models": {}}
    return None



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


def read_image(engine: Engine, img: Image.Image, plan: Plan, max_chars: int | None = None) -> OcrResult:
    """OCR ``img`` (the image :func:`~.geometry.prepare` made for ``plan``) tile by tile.

    Boxes come back in the caller's pixels (``plan.size``). A line read in two overlapping
    tiles is kept once (:func:`~.geometry.in_core`). With ``max_chars``, tiles stop once the
    lines read hold more characters than that (the result is then not ``complete``).
    """
    t0 = time.perf_counter()
    w, h = plan.size
    scale = plan.scale
    lines: list[OcrLine] = []
    # Confidence is weighted by text length. Lines the recogniser could not read still count,
    # with the length their box implies: a page in a script the model does not know (the
    # bundled PP-OCR models read Latin scripts and CJK, not Cyrillic, Greek or Arabic) must
    # not look confident because only its digits came through.
    weighted = weight = 0.0
    # Per line: the text direction (radians) and height along it, from the detector's
    # rotated quadrilateral; None for a shape that is not one.
    geoms: list[tuple[float, float] | None] = []
    angles: list[tuple[float, float]] = []  # (angle, length) of long lines: the page's skew
    chars_read = 0
    complete = True
    for tile in plan.tiles:
        if max_chars is not None and chars_read > max_chars:
            complete = False
            break
        dx, dy = tile.box[0], tile.box[1]
        piece = img if tile.box == (0, 0, *img.size) else img.crop(tile.box)
        for det in engine(piece):
            poly, raw, score = det[0], str(det[1]), float(det[2])
            sxs = [float(p[0]) + dx for p in poly]
            sys_ = [float(p[1]) + dy for p in poly]
            if len(plan.tiles) > 1 and not in_core(
                (int(min(sxs)), int(min(sys_)), int(max(sxs)), int(max(sys_))), tile, plan
            ):
                continue
            text = raw.strip()
            xs = [x * scale for x in sxs]
            ys = [y * scale for y in sys_]
            box = (
                max(0, int(min(xs))),
                max(0, int(min(ys))),
                min(w, int(max(xs) + 0.999)),
                min(h, int(max(ys) + 0.999)),
            )
            bw, bh = max(xs) - min(xs), max(ys) - min(ys)
            # Latin glyphs are ~0.55 line heights wide, CJK ~1: a horizontal box of this size
            # holds at least this many characters (CJK lines reach ~0.6 of it, Latin > 1).
            expected = bw / (0.55 * bh) if bh > 0 and bw > bh else 0.0
            chars = len(text.replace(" ", ""))
            conf = max(0.0, min(1.0, score))
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
            words = _shift_words(det[3] if len(det) > 3 else None, dx, dy)
            geom = _direction(xs, ys)
            if geom is not None and geom[2] >= 3 * geom[1]:
                angles.append((geom[0], geom[2]))
            for seg_text, seg_box in _split_at_gaps(raw, box, words, scale, (w, h)):
                lines.append(OcrLine(text=seg_text, box=seg_box, confidence=conf))
                geoms.append(None if geom is None else geom[:2])
                chars_read += len(seg_text)
    mean_conf = weighted / weight if weight else 0.0
    # Lines row by row (top to bottom, left to right); ``text`` has the full reading order.
    # On a photographed, slightly rotated page the rows are found along the text's own
    # baselines: layout runs on the lines' boxes in a deskewed frame.
    skew = _skew(angles)
    frame = lines if skew == 0.0 else [_deskewed(ln, g, skew) for ln, g in zip(lines, geoms, strict=True)]
    back = {id(f): ln for f, ln in zip(frame, lines, strict=True)}
    ordered = tuple(back[id(f)] for row in group_rows(frame) for f in row)
    text = layout_text(frame)
    ms = 1000 * (time.perf_counter() - t0)
    # Sizes and timings only: OCR text never goes to logs.
    logger.debug("OCR %dx%d in %d tiles%s: %d lines, %d chars in %.0f ms", w, h, len(plan.tiles),
                 "" if complete else " (stopped early)", len(lines), len(text), ms)
    return OcrResult(text=text, mean_confidence=mean_conf, lines=ordered, duration_ms=ms, complete=complete)


#: Skew (degrees) below which boxes are used as they are, and above which the page is not
#: deskewed either (a diagram or a page at a large angle: rows would be guesses).
_MIN_SKEW_DEG, _MAX_SKEW_DEG = 0.4, 12.0


class _Framed(NamedTuple):
    text: str
    box: tuple[int, int, int, int]


def _direction(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float] | None:
    """(angle of the text direction in radians, line height, line length) of a detector
    quadrilateral ordered top-left, top-right, bottom-right, bottom-left; None otherwise."""
    if len(xs) != 4:
        return None
    length = math.hypot(xs[1] - xs[0], ys[1] - ys[0])
    height = math.hypot(xs[2] - xs[1], ys[2] - ys[1])
    if length <= 0 or height <= 0:
        return None
    return math.atan2(ys[1] - ys[0], xs[1] - xs[0]), height, length


def _skew(angles: Sequence[tuple[float, float]]) -> float:
    """The page's text angle (radians): the length-weighted median direction of its long
    lines, or 0.0 when it is upright (or too few lines agree to tell)."""
    if len(angles) < 3:
        return 0.0
    ordered = sorted(angles)
    half, acc = sum(n for _, n in ordered) / 2, 0.0
    median = ordered[-1][0]
    for a, n in ordered:
        acc += n
        if acc >= half:
            median = a
            break
    # Most long lines must agree with it (a page of text, not a diagram's slanted labels).
    tol = math.radians(1.0)
    agree = sum(n for a, n in ordered if abs(a - median) <= tol)
    if agree < 0.6 * sum(n for _, n in ordered):
        return 0.0
    deg = abs(math.degrees(median))
    return median if _MIN_SKEW_DEG <= deg <= _MAX_SKEW_DEG else 0.0


def _deskewed(line: OcrLine, geom: tuple[float, float] | None, skew: float) -> _Framed:
    """``line`` with its box in the page's frame rotated by ``-skew``: its centre rotated, its
    size the text's own length and height (an upright box of a slanted line is too tall and
    would reach into the rows above and below)."""
    x0, y0, x1, y1 = line.box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    c, s = math.cos(skew), math.sin(skew)
    rx, ry = cx * c + cy * s, -cx * s + cy * c
    height = geom[1] if geom is not None else (y1 - y0) * c
    length = max(1.0, ((x1 - x0) - height * abs(s)) / c)
    return _Framed(line.text, (round(rx - length / 2), round(ry - height / 2),
                               round(rx + length / 2), round(ry + height / 2)))


def _shift_words(words: Any, dx: int, dy: int) -> list[tuple[str, list[list[float]]]] | None:
    """Word polygons from tile pixels to whole-image scaled pixels (None if malformed)."""
    if not words:
        return None
    try:
        return [(str(wd), [[float(p[0]) + dx, float(p[1]) + dy] for p in poly]) for wd, poly in words]
    except (TypeError, ValueError, IndexError):
        return None
