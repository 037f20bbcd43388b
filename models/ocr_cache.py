"""OCR lines of the real training images, read once with the shipped engine and cached on disk.

OCR takes 1–3 s of CPU per image here, and both the crop benchmark (``benchmarks/crop_real.py``) and the
router's decision-time evidence (:mod:`models.evidence`) need the lines of the same images at the size the
pipeline analyses them (≤ ``ANALYSIS_EDGE`` px). One JSON file per image under
``.cache/crop_real_ocr/<fingerprint>/``: a run that is interrupted resumes, and lines read by another OCR
version or model are never reused (the fingerprint hashes the OCR package's sources and its int8 model
manifest).

Example::

    from models.ocr_cache import cached_ocr, fill_ocr_cache
    fill_ocr_cache(["r0001"])           # OCR what is not cached yet
    lines = cached_ocr("r0001").lines   # OcrLine(text, box at analysis size, confidence)
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    from headroom_middleware.ocr import OcrResult

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "models" / "data" / "real"


def ocr_fingerprint(code: Path = ROOT) -> str:
    """Hash of the OCR package's sources and of its int8 model manifest (which holds the model's sha256) in
    the checkout ``code``."""
    h = hashlib.sha256()
    ocr = code / "headroom_middleware" / "ocr"
    for path in [*sorted(ocr.glob("*.py")), ocr / "models" / "quantised.json"]:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def ocr_dir(code: Path = ROOT) -> Path:
    """Where the lines read by the OCR of checkout ``code`` are cached (always under this repository)."""
    return ROOT / ".cache" / "crop_real_ocr" / ocr_fingerprint(code)


def analysis_image(image_id: str, folder: Path = REAL) -> tuple[Image.Image, Image.Image, float]:
    """The full image, the ≤ ``ANALYSIS_EDGE`` px copy the pipeline analyses, and the factor between them."""
    from headroom_middleware import imaging
    from headroom_middleware.pipeline.work import ANALYSIS_EDGE

    files = list((folder / "images").glob(f"{image_id}.*"))
    full = Image.open(files[0]).convert("RGB")
    size = imaging.fit_inside(full.width, full.height, ANALYSIS_EDGE)
    small = full if size == full.size else imaging.resize(full, size)
    return full, small, full.width / small.width


def fill_ocr_cache(images: Iterable[str], cache: Path | None = None) -> None:
    """OCR each image (analysis size) with the shipped engine; one JSON file per image, so it resumes."""
    from headroom_middleware.ocr import run_ocr

    cache = cache or ocr_dir()
    cache.mkdir(parents=True, exist_ok=True)
    todo = [i for i in images if not (cache / f"{i}.json").exists()]
    for n, image_id in enumerate(todo, 1):
        _, small, _ = analysis_image(image_id)
        t0 = time.perf_counter()
        res = run_ocr(small, timeout_s=900)
        wall = time.perf_counter() - t0
        lines = [[ln.text, list(ln.box), round(ln.confidence, 3)] for ln in res.lines]
        (cache / f"{image_id}.json").write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
        print(f"ocr {n}/{len(todo)} {image_id}: {len(lines)} lines, {wall:.1f} s", flush=True)


def cached_ocr(image_id: str, cache: Path | None = None) -> OcrResult | None:
    """The cached :class:`~headroom_middleware.ocr.OcrResult` of ``image_id``, or None when not read yet."""
    from headroom_middleware.ocr import OcrLine, OcrResult

    path = (cache or ocr_dir()) / f"{image_id}.json"
    if not path.exists():
        return None
    lines = tuple(OcrLine(t, tuple(b), c) for t, b, c in json.loads(path.read_text(encoding="utf-8")))
    conf = statistics.fmean([ln.confidence for ln in lines]) if lines else 0.0
    return OcrResult("\n".join(ln.text for ln in lines), conf, lines, 0.0)
