"""What the pipeline's own checks would say about each training question: the router's thresholds are
calibrated on decisions as they are really made, not on the router's probabilities alone.

A routed crop is sent only when the localiser is confident of its region, and a routed transcode only when
OCR is confident, reads most of the image's text and costs fewer tokens than the image
(``headroom_middleware/pipeline/crop.py`` and ``transcode.py``). Calibrating the thresholds as if every safe
crop and transcode were sent counts wrong crops the gate would refuse and misses how few the gate lets
through. This module replays those checks on every real training question, with the shipped localiser and
the cached OCR lines of :mod:`models.ocr_cache`, and returns per question:

- ``crop_tokens``: tokens of the crop the pipeline would send (gpt-4o, detail high), or None when the
  localiser finds no confident region or the region costs as much as the image;
- ``crop_coverage``: share of the hand-drawn answer region inside that crop (None without a region);
- ``transcode_tokens``: tokens of the OCR text the pipeline would send, or None when a check refuses it.

Approximations (said where the numbers are used): OCR is read at the analysis size (≤ 1600 px) while the
pipeline reads transcodes at full resolution, so big pages get the lower-resolution reading's confidence and
coverage; the transcript is the cached lines joined, not the engine's layout text.

Example::

    from models.evidence import gate_evidence
    ev = gate_evidence(rows)           # rows as models.train.load_real returns them
    ev["tq00001"]["crop_tokens"]       # e.g. 425, or None
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models.evaluate import coverage
from models.ocr_cache import REAL, ROOT, analysis_image, cached_ocr, fill_ocr_cache, ocr_dir

CROP_TUNED_WRITERS = frozenset({"images", "trainq", "trainq2"})
"""Writers whose questions (tune half) the crop localiser's rules were written from; every later writer's
questions are ``benchmarks/crop_real.py``'s new half."""
EVIDENCE_VERSION = 1
"""Bump when :func:`_image_evidence` changes what it computes (the cache is keyed by it and by the code replayed)."""
MODEL = "gpt-4o"
"""The target the training costs are counted for (as ``models.train.tokens_full``)."""


def crop_half(group: str) -> str:
    """``tune`` or ``report``: the half of ``benchmarks/crop_real.py`` an image group is in (a stable hash,
    so related images stay on one side). The localiser was tuned on the crop questions of the tune half."""
    return "tune" if hashlib.sha256(group.encode()).digest()[0] % 2 == 0 else "report"


def localiser_untuned(group: str, writer: str) -> bool:
    """Whether the localiser's rules were written without looking at this question: its image is in the report
    half, or its writer came later. Only these questions measure the crop gate as a new user meets it."""
    return crop_half(group) == "report" or writer not in CROP_TUNED_WRITERS


def _fingerprint() -> str:
    """The code whose behaviour is replayed: the localiser, the checks' constants and the OCR cache."""
    h = hashlib.sha256(f"{EVIDENCE_VERSION}:{ocr_dir().name}".encode())
    pkg = ROOT / "headroom_middleware"
    for path in [*sorted((pkg / "crop").glob("*.py")), pkg / "pipeline" / "crop.py", pkg / "pipeline" / "transcode.py",
                 pkg / "router" / "image_features.py", pkg / "types.py"]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def _image_evidence(image_id: str, questions: list[dict[str, Any]], folder: Path) -> dict[str, dict[str, Any]]:
    from headroom_middleware.crop import select_crop_region
    from headroom_middleware.crop.geometry import fit_crop
    from headroom_middleware.pipeline.crop import SURE_WITHOUT_OCR
    from headroom_middleware.pipeline.transcode import MIN_OCR_COVERAGE
    from headroom_middleware.router.image_features import ocr_coverage
    from headroom_middleware.targets import resolve_target
    from headroom_middleware.tokens.images import TileModel, image_tokens, openai_tile_size
    from headroom_middleware.tokens.text import count_text_tokens
    from headroom_middleware.types import CompressionConfig

    config = CompressionConfig()
    target = resolve_target(model=MODEL)

    def cost(w: int, h: int) -> int:
        t = image_tokens(target.token_model, w, h, "high").tokens
        return t if t is not None else 2**31

    ocr = cached_ocr(image_id)
    if ocr is None:
        raise SystemExit(f"no cached OCR for {image_id}: run `python -m models.evidence --ocr` first")
    full, small, factor = analysis_image(image_id, folder)
    full_tokens = cost(*full.size)
    tiled = isinstance(target.token_model, TileModel)
    min_scale = min(1.0, openai_tile_size(*full.size)[0] / full.width) if tiled else 1.0

    transcode: int | None = None
    if ocr.text.strip() and ocr.mean_confidence >= config.ocr_min_confidence and \
            ocr_coverage(small, [ln.box for ln in ocr.lines]) >= MIN_OCR_COVERAGE:
        text = f"[OCR from image {full.width}x{full.height}]\n{ocr.text}"
        tokens = count_text_tokens(text, target.family, target.model).tokens
        transcode = tokens if tokens < full_tokens else None

    out: dict[str, dict[str, Any]] = {}
    for q in questions:
        query = q.get("query") or ""
        region = select_crop_region(small, query, ocr=None)
        first = getattr(region, "confidence", None)
        if first is None or first < max(config.crop_min_confidence, SURE_WITHOUT_OCR):
            region = select_crop_region(small, query, ocr=ocr) or region
        crop: int | None = None
        crop_cov: float | None = None
        if region is not None and region.confidence is not None and region.confidence >= config.crop_min_confidence:
            x0, y0, x1, y1 = region.box
            box = (max(0, int(x0 * factor)), max(0, int(y0 * factor)), min(full.width, round(x1 * factor)),
                   min(full.height, round(y1 * factor)))
            if box[2] - box[0] >= 8 and box[3] - box[1] >= 8:
                fitted = fit_crop(box, full.size, cost, full_tokens, min_scale)
                if fitted is not None:
                    crop = cost(*fitted[1])
                    if q.get("region"):
                        crop_cov = round(coverage(fitted[0], q["region"]), 4)
        out[q["id"]] = {"crop_tokens": crop, "crop_coverage": crop_cov, "transcode_tokens": transcode,
                        "full_tokens": full_tokens}
    return out


def gate_evidence(rows: Sequence[dict[str, Any]], folder: Path = REAL) -> dict[str, dict[str, Any]]:
    """Per question id, what the pipeline's crop and transcode checks would do (see the module doc).

    Cached in ``.cache/router-evidence/<fingerprint>.json``; the OCR lines must be cached already."""
    cache = ROOT / ".cache" / "router-evidence" / f"{_fingerprint()}.json"
    known: dict[str, dict[str, Any]] = json.loads(cache.read_text()) if cache.exists() else {}
    by_image: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["id"] not in known:
            by_image[r["image"]].append(r)
    for image_id in sorted(by_image):
        known.update(_image_evidence(image_id, by_image[image_id], folder))
    if by_image:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known, sort_keys=True))
    return {r["id"]: known[r["id"]] for r in rows}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from models.train import DATA, load_real

    parser = argparse.ArgumentParser(description="Replay the pipeline's crop/transcode checks on the training set.")
    parser.add_argument("--ocr", action="store_true", help="first OCR the images not cached yet (slow, resumable)")
    args = parser.parse_args(argv)
    rows, _ = load_real([DATA / "real"], [])
    if args.ocr:
        fill_ocr_cache(sorted({r["image"] for r in rows}))
    ev = gate_evidence(rows)
    n = len(ev)
    crop = sum(v["crop_tokens"] is not None for v in ev.values())
    tc = sum(v["transcode_tokens"] is not None for v in ev.values())
    print(f"{n} questions: confident crop {crop} ({crop / n:.0%}), transcode passes checks {tc} ({tc / n:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
