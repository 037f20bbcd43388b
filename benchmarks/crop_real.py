"""Crop localisation on the real training images: ~2,000 questions whose answer is a hand-drawn region.

The questions are ``models/data/real/questions_*.jsonl`` rows (writers ``images``, ``trainq``, ``trainq2``, ...)
labelled ``crop`` (or with ``crop`` acceptable) that carry a ``region`` ``[x0, y0, x1, y1]`` in original
pixels; the writers drew them while looking at the images of ``models/data/real/images``. The localiser
runs *forced* (as a caller who asks for a crop would run it: no confidence gate), on the ≤ 1600 px analysis
copy with the shipped OCR's lines, and its box is grown to the target's tile grid as the pipeline does.

Images are split by a hash of their ``group`` (framings of one photograph, a printout and its render share
one) into a **tune** half and a **report** half; change the localiser only looking at the tune half. The
questions of the writers who came later (``trainq3`` on: every writer not in ``CROP_TUNED_WRITERS``) form a
third, **new** half on images of both halves: report data only, never looked at while tuning.

Reported per half, by kind and by writer:

- box %: a box came back;
- cover %: the box holds ≥ 90 % of the region (over all questions: no box counts as a miss);
- mean cov: mean share of the region inside the box (no box = 0);
- tokens %: tokens of the box / tokens of the full image (gpt-4o, detail high), mean over returned boxes;
- conf-wrong %: confidence ≥ 0.5 but the box covers < 90 % (over all questions), and the precision/recall of
  that gate (precision: share of confident boxes that cover; recall: share of covering boxes that are
  confident).

OCR lines are cached per image under ``.cache/crop_real_ocr/<hash of the OCR sources>/`` (OCR takes
seconds per image here; run it with ``nice``; ``make bench`` runs ``--ocr --half held-out``)::

    nice -n 10 python benchmarks/crop_real.py --ocr            # fill the OCR cache (resumable)
    python benchmarks/crop_real.py                             # report the tune, report and new halves
    python benchmarks/crop_real.py --half tune -v              # one line per question of the tune half
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# HEADROOM_CROP_CODE: measure the localiser of another checkout (a "before" number) on this data.
CODE = Path(os.environ.get("HEADROOM_CROP_CODE", ROOT))
# The OCR cache helpers always come from this checkout (an older one may not have them); they import the
# package lazily, so the localiser and OCR measured are CODE's.
sys.path.insert(0, str(ROOT))
from models.evidence import CROP_TUNED_WRITERS  # noqa: E402
from models.evidence import crop_half as half_of  # noqa: E402
from models.ocr_cache import analysis_image, cached_ocr, fill_ocr_cache, ocr_dir  # noqa: E402

sys.path.insert(0, str(CODE))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import row as bench_row  # noqa: E402

from headroom_middleware.crop import select_crop_region  # noqa: E402
from headroom_middleware.crop.geometry import Box, grow_to_grid  # noqa: E402
from headroom_middleware.targets import resolve_target  # noqa: E402
from headroom_middleware.tokens.images import TileModel, image_tokens, openai_tile_size  # noqa: E402

try:
    from headroom_middleware.crop.geometry import fit_crop
except ImportError:  # measuring an older localiser: its crops were grown to the grid, refused when no cheaper
    def fit_crop(box: Box, size: tuple[int, int], cost: Callable[[int, int], int], budget: int,  # type: ignore[misc]
                 min_scale: float) -> tuple[Box, tuple[int, int]] | None:
        grown = grow_to_grid(box, size, cost)
        wh = (grown[2] - grown[0], grown[3] - grown[1])
        return (grown, wh) if cost(*wh) < budget else None

REAL = ROOT / "models" / "data" / "real"
#: Every writer's file; a writer not in CROP_TUNED_WRITERS lands in the new half on its own.
QUESTION_FILES = tuple(sorted(p.name for p in REAL.glob("questions_*.jsonl")))

OCR_DIR = ocr_dir(CODE)
COVERED = 0.90
GATE = 0.5  # CompressionConfig.crop_min_confidence default


@dataclass(frozen=True)
class Question:
    id: str
    image: str
    query: str
    kind: str
    writer: str
    half: str  # tune | report | new (a writer after CROP_TUNED_WRITERS)
    image_half: str  # tune | report: the image's own half
    region: Box


@dataclass(frozen=True)
class Row:
    q: Question
    box: Box | None
    coverage: float
    confidence: float
    token_share: float  # tokens of the box / tokens of the full image (1.0 when no box)
    reason: str


def load_questions() -> list[Question]:
    manifest = {}
    with (REAL / "manifest.jsonl").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            manifest[d["id"]] = d
    out = []
    for name in QUESTION_FILES:
        with (REAL / name).open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if not d.get("region") or not d.get("query"):
                    continue
                if d["label"] != "crop" and "crop" not in (d.get("acceptable") or []):
                    continue
                m = manifest[d["image"]]
                image_half = half_of(m["group"])
                half = "new" if d["writer"] not in CROP_TUNED_WRITERS else image_half
                out.append(Question(d["id"], d["image"], d["query"], m["kind"], d["writer"], half, image_half,
                                    tuple(int(v) for v in d["region"])))  # type: ignore[arg-type]
    return out


def ocr_order(questions: list[Question]) -> list[str]:
    """Images in a shuffled (hash) order, so any prefix of an interrupted run is a fair sample: a first
    batch of the tune half, then both halves alternately."""
    def shuffled(half: str) -> list[str]:
        ids = {q.image for q in questions if q.half == half}
        return sorted(ids, key=lambda i: hashlib.sha256(f"order:{i}".encode()).hexdigest())

    tune, rep = shuffled("tune"), shuffled("report") + shuffled("new")
    head, tune = tune[:60], tune[60:]
    mixed = [i for pair in zip(rep, tune, strict=False) for i in pair]
    longer = rep if len(rep) > len(tune) else tune
    return list(dict.fromkeys(head + mixed + longer[min(len(rep), len(tune)):]))


def coverage(box: Box, truth: Box) -> float:
    ix = max(0, min(box[2], truth[2]) - max(box[0], truth[0]))
    iy = max(0, min(box[3], truth[3]) - max(box[1], truth[1]))
    return ix * iy / max(1, (truth[2] - truth[0]) * (truth[3] - truth[1]))


def evaluate(questions: list[Question], *, model: str) -> list[Row]:
    target = resolve_target(model=model)

    def cost(w: int, h: int) -> int:
        t = image_tokens(target.token_model, w, h, "high").tokens
        return t if t is not None else 10**9

    rows = []
    by_image: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_image[q.image].append(q)
    for image_id, qs in sorted(by_image.items()):
        ocr = cached_ocr(image_id, OCR_DIR)
        if ocr is None:
            continue
        full, small, factor = analysis_image(image_id)
        full_tokens = cost(*full.size)
        tiled = isinstance(target.token_model, TileModel)
        min_scale = min(1.0, openai_tile_size(*full.size)[0] / full.width) if tiled else 1.0
        for q in qs:
            region = select_crop_region(small, q.query, ocr=ocr)
            if region is None:
                rows.append(Row(q, None, 0.0, 0.0, 1.0, "none"))
                continue
            x0, y0, x1, y1 = region.box
            box = (int(x0 * factor), int(y0 * factor), min(full.width, round(x1 * factor)),
                   min(full.height, round(y1 * factor)))
            # As pipeline/crop.py: scaled (at most down to the image's own billed scale) to cost less than the
            # image, then grown to the tile grid; a crop that cannot cost less is not sent.
            fitted = fit_crop(box, full.size, cost, full_tokens, min_scale)
            if fitted is None:
                rows.append(Row(q, None, 0.0, 0.0, 1.0, "costs as much as the whole image"))
                continue
            box, size = fitted
            share = cost(*size) / full_tokens
            rows.append(Row(q, box, coverage(box, q.region), region.confidence, share, region.reason))
    return rows


def summarise(rows: list[Row]) -> dict[str, float]:
    n = max(1, len(rows))
    boxed = [r for r in rows if r.box is not None]
    cover = [r for r in rows if r.coverage >= COVERED]
    confident = [r for r in boxed if r.confidence >= GATE]
    conf_ok = [r for r in confident if r.coverage >= COVERED]
    return {
        "n": len(rows),
        "box": len(boxed) / n,
        "cover": len(cover) / n,
        "mean_cov": statistics.fmean([r.coverage for r in rows]) if rows else 0.0,
        "tokens": statistics.fmean([r.token_share for r in boxed]) if boxed else 1.0,
        "costlier": sum(r.token_share > 1.0 for r in boxed) / n,
        "conf_wrong": (len(confident) - len(conf_ok)) / n,
        "gate_precision": len(conf_ok) / max(1, len(confident)),
        "gate_recall": len(conf_ok) / max(1, len(cover)),
        "gated_cover": len(conf_ok) / n,
    }


def _line(label: str, s: dict[str, float]) -> str:
    return (f"{label:22s} {int(s['n']):5d} {s['box']:6.0%} {s['cover']:7.0%} {s['mean_cov']:8.2f} "
            f"{s['tokens']:8.0%} {s['conf_wrong']:11.0%} {s['gate_precision']:9.0%} {s['gate_recall']:7.0%} "
            f"{s['gated_cover']:8.0%}")


def report(rows: list[Row], title: str) -> str:
    out = [title, f"{'':22s} {'n':>5s} {'box':>6s} {'cover':>7s} {'mean cov':>8s} {'tokens':>8s} "
                  f"{'conf-wrong':>11s} {'gate prec':>9s} {'recall':>7s} {'gated ok':>8s}",
           _line("all", summarise(rows))]
    for attr in ("kind", "writer", "image_half"):
        groups: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            groups[getattr(r.q, attr)].append(r)
        for key, rs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            out.append(_line(f"  {attr}={key}", summarise(rs)))
    costlier = sum(r.token_share > 1.0 for r in rows if r.box is not None)
    out.append(f"boxes costing more tokens than the full image: {costlier}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ocr", action="store_true", help="fill the OCR cache first (tune half first)")
    ap.add_argument("--half", choices=("tune", "report", "new", "held-out", "all"), default="all",
                    help="held-out: the report and new halves (what make bench measures)")
    ap.add_argument("--model", default="openai/gpt-4o")
    ap.add_argument("--json", type=Path, help="write per-question rows here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    questions = load_questions()
    halves = {"all": ("tune", "report", "new"), "held-out": ("report", "new")}.get(args.half, (args.half,))
    if args.ocr:  # only the images of the halves asked for
        fill_ocr_cache(ocr_order([q for q in questions if q.half in halves]), OCR_DIR)
    for half in halves:
        qs = [q for q in questions if q.half == half]
        rows = evaluate(qs, model=args.model)
        imgs = len({r.q.image for r in rows})
        missing = len({q.image for q in qs}) - imgs
        print(report(rows, f"\n== {half} half: {len(rows)} crop questions on {imgs} images "
                           f"({missing} images without cached OCR skipped), target {args.model} detail high =="))
        # The report half, and the new half: the writers after the localiser's rules were written, on every
        # image, the freshest measure and the only one with real-world scans and app screenshots.
        what = {"report": "held-out questions", "new": "questions of later writers"}.get(half)
        if what and not missing:
            s = summarise(rows)
            print(bench_row(f"crop covers >= 90 % of a hand-drawn answer region, {len(rows)} {what} "
                            f"on real images ({args.model})", f"{s['cover']:.2%} of {len(rows)}", "target >= 70 %",
                            s["cover"] >= 0.70, baseline="no crop: the whole image is sent (0 % saved)"))
        if half == "report" and not missing:
            print(bench_row("crop confidence gate (>= 0.5) on those questions: boxes passing it that cover / "
                            "covering boxes passing it", f"{s['gate_precision']:.0%} / {s['gate_recall']:.0%}",
                            baseline=f"no gate (every box sent: {s['box']:.0%} boxed, {s['cover']:.0%} cover)"))
        if args.verbose:
            for r in rows:
                print(f"{r.coverage:4.2f} conf={r.confidence:4.2f} tok={r.token_share:4.0%} {r.q.kind:15s} "
                      f"{r.q.id} {r.q.image} {r.q.query[:60]!r} box={r.box} truth={r.q.region} {r.reason}")
        if args.json:
            with args.json.open("a", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps({"id": r.q.id, "half": half, "image": r.q.image, "kind": r.q.kind,
                                        "writer": r.q.writer, "query": r.q.query, "truth": r.q.region,
                                        "box": r.box, "coverage": round(r.coverage, 3),
                                        "confidence": r.confidence, "tokens": round(r.token_share, 3),
                                        "reason": r.reason}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
