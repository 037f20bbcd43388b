"""OCR for the ``transcode`` technique and for query-driven crops.

The engine is RapidOCR (PP-OCR models on onnxruntime) with the model files bundled in the
installed ``rapidocr`` wheel (with rapidocr 3.10: ``PP-OCRv6_det_small.onnx`` and
``PP-OCRv6_rec_small.onnx``, whose character table is in the ONNX metadata), run in a child
process so nothing is downloaded and nothing native runs in the host. The recogniser reads
Latin scripts (with accents), Chinese and Japanese; it was not trained on Korean, Cyrillic,
Greek, Arabic or Indic scripts -- such lines come out partial or garbled, and their
confidence is lowered so a transcode is refused (reliably for Cyrillic and Greek, measured;
for other scripts through a "too few characters for this box" heuristic). The 180° line
classifier is not used. When only the older ``rapidocr-onnxruntime`` (v1) package is
installed, its bundled models are used.

The recogniser runs as an int8 model shipped in ``ocr/models/`` (derived from rapidocr 3.10's
``PP-OCRv6_rec_small.onnx`` by ``tools/quantise_ocr.py``; provenance and licence in
``ocr/models/SOURCES.md``), about half the recogniser's CPU. It is used only when the installed
wheel's model is byte for byte its source (sha256); otherwise, or if it fails to load, the
original model is used and the reason is logged once. ``RapidOcrEngine(quantised=False)``
always uses the originals.

Modules: :mod:`.service` (engine lifecycle, worker, cache, time bound), :mod:`.process` and
``_child.py`` (the engine process), :mod:`.geometry` (input size, tiles), :mod:`.engine`
(detections to lines, confidence), :mod:`.layout` (reading order), :mod:`.result` (types).

Properties callers rely on:

- ``import headroom_middleware.ocr`` is cheap: numpy, onnxruntime and rapidocr are never
  imported by this process (the engine process imports them).
- Every call is bounded by ``timeout_s``; a late result is still cached under its key.
- Work is bounded: shapes that cannot hold a text line are not OCR'd, nothing is upscaled,
  at most :data:`~.geometry.MAX_OCR_PIXELS` are read per image.
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

from .geometry import MAX_OCR_PIXELS, MAX_OCR_SIDE, MIN_TEXT_SIDE
from .layout import layout_text
from .result import OcrLine, OcrResult
from .service import (
    CACHE_SIZE,
    DEFAULT_TIMEOUT_S,
    RapidOcrEngine,
    arun_ocr,
    clear_ocr_cache,
    default_engine,
    ocr_available,
    run_ocr,
)

__all__ = [
    "CACHE_SIZE",
    "DEFAULT_TIMEOUT_S",
    "MAX_OCR_PIXELS",
    "MAX_OCR_SIDE",
    "MIN_TEXT_SIDE",
    "OcrLine",
    "OcrResult",
    "RapidOcrEngine",
    "arun_ocr",
    "clear_ocr_cache",
    "default_engine",
    "layout_text",
    "ocr_available",
    "run_ocr",
]
