"""The crop reference set (tests/data/crop_ref): questions about real images with the region that holds the
answer, and the evaluation shared by ``benchmarks/crop.py`` and ``tests/test_crop_ref.py``."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from headroom_middleware import imaging
from headroom_middleware.crop import select_crop_region
from headroom_middleware.crop.geometry import Box, grow_to_grid
from headroom_middleware.ocr import OcrLine, OcrResult
from headroom_middleware.pipeline.work import ANALYSIS_EDGE
from headroom_middleware.targets import resolve_target
from headroom_middleware.tokens.images import image_tokens

REF_DIR = Path(__file__).resolve().parent / "data" / "crop_ref"
OCR_CACHE = REF_DIR / "ocr_lines.json"
COVERED = 0.90  # share of the asked-for region a crop must hold
MIN_SAVING = 0.05  # CompressionConfig.min_savings_percent default
MIN_CONFIDENCE = 0.5  # CompressionConfig.crop_min_confidence default


@dataclass(frozen=True)
class Question:
    image: str
    question: str
    kind: str
    box: Box


@dataclass(frozen=True)
class Row:
    image: str
    question: str
    kind: str
    status: str  # covered | partial | no-crop
    coverage: float
    confidence: float
    saving: float  # share of the full image's tokens saved (0 when no crop)
    cpu_s: float = 0.0  # process CPU time of select_crop_region (OCR excluded)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def rate(self, status: str, rows: list[Row] | None = None) -> float:
        rs = self.rows if rows is None else rows
        return sum(r.status == status for r in rs) / max(1, len(rs))

    def summary(self) -> str:
        crops = [r for r in self.rows if r.status != "no-crop"]
        lines = [
            f"covered (box holds >= {COVERED:.0%} of the region): {self.rate('covered'):.0%} "
            f"({sum(r.status == 'covered' for r in self.rows)}/{len(self.rows)})",
            f"no crop (-> preserve / next technique): {self.rate('no-crop'):.0%}",
            f"cropped but region not covered: {self.rate('partial'):.0%}",
            f"mean tokens saved when cropped: {statistics.fmean([r.saving for r in crops]) if crops else 0:.0%}; "
            f"over all questions: {statistics.fmean([r.saving for r in self.rows]):.0%}",
            f"region selection CPU time per question (OCR excluded): median "
            f"{statistics.median([r.cpu_s for r in self.rows]) * 1000:.0f} ms, max "
            f"{max(r.cpu_s for r in self.rows) * 1000:.0f} ms",
        ]
        for group in ("text/ui", "chart", "photo"):
            rs = [r for r in self.rows if _group(r.kind, r.image) == group]
            if rs:
                lines.append(f"  {group:8s} {len(rs):3d} questions: covered {self.rate('covered', rs):.0%}, "
                             f"no crop {self.rate('no-crop', rs):.0%}")
        for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)):
            rs = [r for r in self.rows if lo <= r.confidence < hi and r.confidence > 0]
            if rs:
                ok = sum(r.coverage >= COVERED for r in rs)
                lines.append(f"  confidence {lo:.2f}-{min(hi, 1):.2f}: {ok}/{len(rs)} boxes cover the region")
        return "\n".join(lines)


def _group(kind: str, image: str) -> str:
    if kind == "object":
        return "photo"
    if image.startswith("chart_") or kind in ("legend", "axis", "title", "mark") or image == "cargo_concurrency.png":
        return "chart"
    return "text/ui"


def load_questions() -> list[Question]:
    out = []
    with (REF_DIR / "questions.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append(Question(d["image"], d["question"], d["kind"], tuple(d["box"])))  # type: ignore[arg-type]
    return out


def analysis_image(name: str) -> tuple[Image.Image, Image.Image, float]:
    """The full image, the ≤ 1600 px copy the pipeline analyses, and the factor between them."""
    full = Image.open(REF_DIR / name).convert("RGB")
    size = imaging.fit_inside(full.width, full.height, ANALYSIS_EDGE)
    small = full if size == full.size else imaging.resize(full, size)
    return full, small, full.width / small.width


def refresh_ocr(*, missing_only: bool = False) -> None:
    """Run the bundled OCR engine on the reference images (analysis size) and store their lines; saved
    after each image, so an interrupted run can go on with ``missing_only``."""
    from headroom_middleware.ocr import run_ocr

    cache: dict[str, list[list[object]]] = {}
    if missing_only and OCR_CACHE.exists():
        cache = json.loads(OCR_CACHE.read_text(encoding="utf-8"))
    for name in sorted({q.image for q in load_questions()}):
        if name in cache:
            continue
        _, small, _ = analysis_image(name)
        res = run_ocr(small, timeout_s=600)
        cache[name] = [[ln.text, list(ln.box), round(ln.confidence, 3)] for ln in res.lines]
        print(f"ocr {name}: {len(res.lines)} lines", flush=True)
        OCR_CACHE.write_text(json.dumps(dict(sorted(cache.items())), ensure_ascii=False) + "\n", encoding="utf-8")


def cached_ocr(name: str) -> OcrResult:
    data = json.loads(OCR_CACHE.read_text(encoding="utf-8"))[name]
    lines = tuple(OcrLine(t, tuple(b), c) for t, b, c in data)  # type: ignore[arg-type]
    conf = statistics.fmean([ln.confidence for ln in lines]) if lines else 0.0
    return OcrResult("\n".join(ln.text for ln in lines), conf, lines, 0.0)


def evaluate(questions: list[Question], *, model: str = "anthropic/claude-sonnet-4-5") -> Report:
    target = resolve_target(model=model)

    def cost(w: int, h: int) -> int:
        t = image_tokens(target.token_model, w, h, None).tokens
        return t if t is not None else 10**9

    report = Report()
    images: dict[str, tuple[Image.Image, Image.Image, float]] = {}
    for q in questions:
        if q.image not in images:
            images[q.image] = analysis_image(q.image)
        full, small, factor = images[q.image]
        ocr = cached_ocr(q.image)
        t0 = time.process_time()
        region = select_crop_region(small, q.question, ocr=ocr)
        cpu = time.process_time() - t0
        full_tokens = cost(*full.size)
        if region is None or region.confidence < MIN_CONFIDENCE:
            conf = region.confidence if region is not None else 0.0
            report.rows.append(Row(q.image, q.question, q.kind, "no-crop", 0.0, conf, 0.0, cpu))
            continue
        x0, y0, x1, y1 = region.box
        box = (int(x0 * factor), int(y0 * factor), min(full.width, round(x1 * factor)),
               min(full.height, round(y1 * factor)))
        box = grow_to_grid(box, full.size, cost)
        tokens = cost(box[2] - box[0], box[3] - box[1])
        saving = 1 - tokens / full_tokens
        if saving < MIN_SAVING:
            report.rows.append(Row(q.image, q.question, q.kind, "no-crop", 0.0, region.confidence, 0.0, cpu))
            continue
        cov = _coverage(box, q.box)
        report.rows.append(Row(q.image, q.question, q.kind, "covered" if cov >= COVERED else "partial", cov,
                               region.confidence, saving, cpu))
    return report


def _coverage(box: Box, truth: Box) -> float:
    ix = max(0, min(box[2], truth[2]) - max(box[0], truth[0]))
    iy = max(0, min(box[3], truth[3]) - max(box[1], truth[1]))
    return ix * iy / max(1, (truth[2] - truth[0]) * (truth[3] - truth[1]))
