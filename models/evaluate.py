"""Score the whole pipeline on a set of real images and the questions asked about them.

Every question is sent through the public API (``ImageCompressor.compress_with_report``) as an
OpenAI chat request for the target model (``gpt-4o`` by default), exactly as a user's request
would be: the router, the crop localiser, OCR and the verification step all run. The technique
that was really applied is then scored against the question's label with the rules of the
project's routing-label guidelines:

- **accuracy**: the applied technique is the label or one of ``acceptable``; a crop must also
  cover at least 90 % of the asked-for ``region``;
- **unsafe**: anything cheaper than preserve that is not right (full_low where detail was needed,
  a crop of the wrong area or on a whole-image question, OCR text where text alone does not
  answer). ``preserve`` is never unsafe, only wasteful;
- **saving**: 1 - tokens sent / tokens of always preserving, summed over the set; "always
  preserving" costs the target's full-detail price of the stored image (OpenAI high-detail tiles
  for gpt-4o), and the tokens sent are the pipeline's own accounting (85 for ``detail=low``, the
  crop's tiles, the OCR text's tokens).

A set is a folder laid out as ``models/data/dev`` / ``models/data/real`` (``manifest.jsonl``,
``images/``, ``questions*.jsonl``); see the data README for the schema.

Usage (from the repository root)::

    .venv/bin/python -m models.evaluate models/data/dev                # table
    .venv/bin/python -m models.evaluate models/data/dev --json out.json --rows rows.jsonl
    .venv/bin/python -m models.evaluate DIR --questions DIR/questions_trainq.jsonl --limit 200

Only the public API is used, so the same file scores an older checkout too
(``PYTHONPATH=/path/to/old/checkout python models/evaluate.py DIR``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

LABELS = ("preserve", "full_low", "crop", "transcode")
COVERAGE = 0.9
"""A crop is right only when it keeps at least this share of the asked-for region."""

Box = tuple[int, int, int, int]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_set(folder: Path, questions: Sequence[Path] = ()) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """``(manifest by image id, questions)`` of a set folder.

    Without ``questions`` every ``questions*.jsonl`` of the folder is read (sorted by name).
    Questions about an image the manifest does not list are dropped with a warning: a data
    folder still being written may lag behind its questions.
    """
    manifest = {row["id"]: row for row in read_jsonl(folder / "manifest.jsonl")}
    files = list(questions) or sorted(folder.glob("questions*.jsonl"))
    rows: list[dict[str, Any]] = []
    for f in files:
        rows.extend(read_jsonl(f))
    kept = [r for r in rows if r.get("image") in manifest]
    if len(kept) < len(rows):
        print(f"warning: {len(rows) - len(kept)} questions name images missing from the manifest", file=sys.stderr)
    return manifest, kept


def coverage(box: Sequence[int] | None, region: Sequence[int] | None) -> float:
    """Share of ``region``'s area inside ``box`` (0 when either is missing or empty).

    Example::

        >>> coverage((0, 0, 50, 100), (0, 0, 100, 100))
        0.5
    """
    if box is None or region is None:
        return 0.0
    rx0, ry0, rx1, ry1 = region
    area = max(0, rx1 - rx0) * max(0, ry1 - ry0)
    if area <= 0:
        return 0.0
    ix = max(0, min(box[2], rx1) - max(box[0], rx0))
    iy = max(0, min(box[3], ry1) - max(box[1], ry0))
    return ix * iy / area


def judge(q: dict[str, Any], technique: str, crop_box: Sequence[int] | None) -> tuple[bool, bool]:
    """``(right, unsafe)`` of applying ``technique`` to question ``q`` (see the module doc).

    Example::

        >>> q = {"label": "crop", "acceptable": [], "region": [0, 0, 10, 10]}
        >>> judge(q, "crop", (0, 0, 20, 20)), judge(q, "full_low", None), judge(q, "preserve", None)
        ((True, False), (False, True), (False, False))
    """
    allowed = {q["label"], *(q.get("acceptable") or [])}
    right = technique in allowed
    if right and technique == "crop":
        right = coverage(crop_box, q.get("region")) >= COVERAGE
    return right, (not right and technique != "preserve")


def _message(query: str, data: bytes, media_type: str) -> list[dict[str, Any]]:
    content: list[dict[str, Any]] = []
    if query:
        content.append({"type": "text", "text": query})
    url = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
    content.append({"type": "image_url", "image_url": {"url": url}})
    return [{"role": "user", "content": content}]


def _full_tokens(model: str, size: tuple[int, int]) -> int:
    """What the target charges for the stored image at full detail (the always-preserve cost)."""
    from headroom_middleware.targets import resolve_target
    from headroom_middleware.tokens.images import image_tokens

    target = resolve_target(model=model)
    count = image_tokens(target.token_model, size[0], size[1], "high" if target.uses_detail else None)
    if count.tokens is None:
        raise ValueError(f"no token formula for {model}")
    return int(count.tokens)


def run(
    folder: Path,
    questions: Sequence[dict[str, Any]],
    manifest: dict[str, dict[str, Any]],
    *,
    model: str = "gpt-4o",
    config: dict[str, Any] | None = None,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """One scored record per question, in input order (the real pipeline decides each)."""
    from headroom_middleware import CompressionConfig, ImageCompressor

    compressor = ImageCompressor(CompressionConfig(**(config or {})))
    records: list[dict[str, Any]] = []
    cache: dict[str, tuple[bytes, str]] = {}
    t_start = time.perf_counter()
    for i, q in enumerate(questions):
        img = manifest[q["image"]]
        if img["file"] not in cache:
            cache.clear()  # questions come grouped by image: keep one file in memory
            raw = (folder / img["file"]).read_bytes()
            cache[img["file"]] = (raw, "image/png" if img["file"].endswith(".png") else "image/jpeg")
        raw, media_type = cache[img["file"]]
        size = (int(img["width"]), int(img["height"]))
        query = q.get("query") or ""
        t0 = time.perf_counter()
        report = compressor.compress_with_report(_message(query, raw, media_type), model=model)
        ms = (time.perf_counter() - t0) * 1000
        res = report.results[0]
        technique = res.technique.value
        full = _full_tokens(model, size)
        sent = res.compressed_tokens if res.compressed_tokens is not None else full
        right, unsafe = judge(q, technique, res.crop_box)
        records.append({
            "id": q["id"], "image": q["image"], "kind": img.get("kind", "?"), "lang": q.get("lang", "?"),
            "writer": q.get("writer", "?"), "label": q["label"], "acceptable": q.get("acceptable") or [],
            "technique": technique,
            "routed": res.routed_technique.value if res.routed_technique is not None else None,
            "confidence": round(float(res.confidence), 4), "right": right, "unsafe": unsafe,
            "coverage": round(coverage(res.crop_box, q.get("region")), 3) if technique == "crop" else None,
            "full_tokens": full, "sent_tokens": int(sent), "ms": round(ms, 1), "reason": res.reason,
        })
        if progress and (i + 1) % 25 == 0:
            acc = sum(r["right"] for r in records) / len(records)
            print(f"  {i + 1}/{len(questions)}  accuracy so far {acc:.3f}  "
                  f"{time.perf_counter() - t_start:.0f}s", file=sys.stderr)
    return records


def _block(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    full = sum(r["full_tokens"] for r in records)
    sent = sum(r["sent_tokens"] for r in records)
    return {
        "n": n,
        "accuracy": sum(r["right"] for r in records) / n if n else math.nan,
        "unsafe_rate": sum(r["unsafe"] for r in records) / n if n else math.nan,
        "saving": 1.0 - sent / full if full else math.nan,
    }


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall, per-label, per-language, per-kind and per-writer blocks plus the confusion matrix.

    The confusion matrix counts label (rows) x applied technique (columns), in LABELS order.
    """
    out: dict[str, Any] = {"overall": _block(records)}
    for key in ("label", "lang", "kind", "writer"):
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in records:
            groups[str(r[key])].append(r)
        out[f"by_{key}"] = {k: _block(v) for k, v in sorted(groups.items())}
    non_en = [r for r in records if r["lang"] != "en"]
    out["non_english"] = _block(non_en)
    cm = [[0] * len(LABELS) for _ in LABELS]
    for r in records:
        cm[LABELS.index(r["label"])][LABELS.index(r["technique"])] += 1
    out["confusion_matrix"] = {"labels": list(LABELS), "rows_label_cols_applied": cm}
    out["applied"] = dict(Counter(r["technique"] for r in records))
    crops = [r for r in records if r["technique"] == "crop"]
    out["crop_coverage_ok"] = (sum(1 for r in crops if (r["coverage"] or 0) >= COVERAGE) / len(crops)
                               if crops else None)
    ms = sorted(r["ms"] for r in records)
    out["latency_ms"] = {"p50": ms[len(ms) // 2], "p95": ms[min(len(ms) - 1, int(len(ms) * 0.95))]} if ms else {}
    return out


def format_table(summary: dict[str, Any], title: str = "") -> str:
    """The summary as a plain-text table (what the command prints)."""

    def row(name: str, b: dict[str, Any]) -> str:
        return (f"  {name:<22} n={b['n']:>5}  accuracy {100 * b['accuracy']:5.1f} %  "
                f"unsafe {100 * b['unsafe_rate']:4.1f} %  saving {100 * b['saving']:5.1f} %")

    lines = [title] if title else []
    lines.append(row("overall", summary["overall"]))
    if summary["non_english"]["n"]:
        lines.append(row("non-English", summary["non_english"]))
    for key in ("label", "lang", "kind", "writer"):
        lines.append(f" by {key}:")
        lines.extend(row(k, b) for k, b in summary[f"by_{key}"].items())
    cm = summary["confusion_matrix"]
    lines.append(" confusion (rows: label, columns: applied)")
    lines.append("  " + " " * 10 + "".join(f"{lab:>10}" for lab in cm["labels"]))
    for lab, counts in zip(cm["labels"], cm["rows_label_cols_applied"], strict=True):
        lines.append(f"  {lab:<10}" + "".join(f"{c:>10}" for c in counts))
    if summary["crop_coverage_ok"] is not None:
        lines.append(f" applied crops covering >= 90 % of the region: {100 * summary['crop_coverage_ok']:.1f} %")
    if summary["latency_ms"]:
        lines.append(f" pipeline latency per request: p50 {summary['latency_ms']['p50']:.0f} ms, "
                     f"p95 {summary['latency_ms']['p95']:.0f} ms (OCR included; cached per image)")
    return "\n".join(lines)


def set_fingerprint(manifest: dict[str, dict[str, Any]], questions: Iterable[dict[str, Any]]) -> str:
    """Short hash of the scored images and questions (to tell which version of a set was scored)."""
    h = hashlib.sha256()
    for img_id in sorted(manifest):
        h.update(f"{img_id}:{manifest[img_id].get('sha256', '')}\n".encode())
    for q in questions:
        h.update(json.dumps(q, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def _rows_meta(files: Sequence[Path]) -> dict[str, Any]:
    """Run metadata of the shards (written next to each rows file as ``<rows>.meta.json``)."""
    metas = [json.loads(Path(f"{f}.meta.json").read_text()) for f in files if Path(f"{f}.meta.json").exists()]
    if not metas:
        return {}
    out = {k: metas[0][k] for k in ("model", "router", "ocr_timeout_s", "package", "version") if k in metas[0]}
    out["cpu_s"] = round(sum(m.get("cpu_s", 0.0) for m in metas), 1)
    out["shards"] = len(metas)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="set folder with manifest.jsonl, images/, questions*.jsonl")
    parser.add_argument("--questions", type=Path, nargs="*", default=[], help="question files (default: all)")
    parser.add_argument("--model", default="gpt-4o", help="target model (default gpt-4o)")
    parser.add_argument("--router", choices=("auto", "onnx", "rules"), default="auto")
    parser.add_argument("--ocr-timeout", type=float, default=60.0,
                        help="OCR timeout per image, s (default 60: score decisions, not machine load)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N questions")
    parser.add_argument("--images", default="", help="comma-separated image ids to keep")
    parser.add_argument("--shard", default="", help="i/n: score only the images whose id hashes to shard i of n "
                        "(run n processes, then summarise their --rows files with --from-rows)")
    parser.add_argument("--from-rows", type=Path, nargs="*", default=[],
                        help="summarise these --rows files (of one set) instead of running the pipeline")
    parser.add_argument("--json", type=Path, help="write the summary as JSON here")
    parser.add_argument("--rows", type=Path, help="write one JSON record per question here")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    manifest, questions = load_set(args.folder, args.questions)
    if args.from_rows:
        records = [r for f in args.from_rows for r in read_jsonl(f)]
        summary = summarise(records)
        summary["meta"] = {"folder": str(args.folder), "from_rows": [str(f) for f in args.from_rows],
                           **_rows_meta(args.from_rows)}
        ids = {r["id"] for r in records}
        scored = sorted((q for q in questions if q["id"] in ids), key=lambda q: (q["image"], q["id"]))
        summary["meta"]["set_fingerprint"] = set_fingerprint({q["image"]: manifest[q["image"]] for q in scored}, scored)
        print(format_table(summary, f"{args.folder} ({len(records)} questions, from {len(args.from_rows)} row files)"))
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return 0
    if args.shard:
        i, n = (int(x) for x in args.shard.split("/"))
        questions = [q for q in questions if int(hashlib.sha1(q["image"].encode()).hexdigest(), 16) % n == i]
    if args.images:
        keep = set(args.images.split(","))
        questions = [q for q in questions if q["image"] in keep]
    questions.sort(key=lambda q: (q["image"], q["id"]))
    if args.limit:
        questions = questions[: args.limit]
    if not questions:
        print("no questions to score", file=sys.stderr)
        return 1
    import headroom_middleware

    t0 = time.process_time()
    config = {"router": args.router, "ocr_timeout_s": args.ocr_timeout}
    records = run(args.folder, questions, manifest, model=args.model, config=config, progress=not args.quiet)
    summary = summarise(records)
    summary["meta"] = {
        "folder": str(args.folder), "model": args.model, "router": args.router, "ocr_timeout_s": args.ocr_timeout,
        "package": str(Path(headroom_middleware.__file__).parent),
        "version": getattr(headroom_middleware, "__version__", "?"),
        "set_fingerprint": set_fingerprint({q["image"]: manifest[q["image"]] for q in questions}, questions),
        "cpu_s": round(time.process_time() - t0, 1),
    }
    print(format_table(summary, f"{args.folder} ({len(records)} questions, target {args.model})"))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if args.rows:
        with args.rows.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
        Path(f"{args.rows}.meta.json").write_text(json.dumps(summary["meta"], sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
