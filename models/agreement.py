"""How far two writers agree on routing labels: the ceiling of any router trained on one writer.

240 training questions (12 per writer x label, seeded sample) were labelled again by two labellers
who saw only the image, the question and the label rules, never the original label
(``models/data/real/agreement/labels_blind.jsonl``). Scored like a router (the original label is
the "decision", the blind label and its ``acceptable`` set the truth), the original labels reach
the accuracy a perfect copy of the training writers would reach on a new writer; the unsafe rate is
the share of downgrades the blind labeller would call unsafe.

The sample is stratified (preserve is 25 % of it, ~10 % of the data), so the headline numbers are
also given re-weighted to the data's own (writer, label) mix. Every other ``preserve`` training
label (450) was reviewed the same way, blind
(``models/data/real/agreement/preserve_review.jsonl``): how many a rules-only labeller keeps::

A second relabel (``labels_disputed.jsonl``, 491 questions) went where the labels bind the
thresholds: every question on which the previous router (v6), out of fold, gave P(right) >= 0.8 to a
downgrade its training label does not allow, mixed with a seeded control sample of 100 others. These
labels, with the 240 above, replace the originals for training and calibration (``models/train.py``);
the preserve review above does not (its reviewer saw the original label)::

    .venv/bin/python -m models.agreement            # prints the table
    .venv/bin/python -m models.agreement --json models/eval/agreement.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "models" / "data" / "real"
BLIND = REAL / "agreement" / "labels_blind.jsonl"
PRESERVE_REVIEW = REAL / "agreement" / "preserve_review.jsonl"
DISPUTED = REAL / "agreement" / "labels_disputed.jsonl"
LABELS = ("preserve", "full_low", "crop", "transcode")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _originals() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for f in sorted(REAL.glob("questions*.jsonl")):
        for q in _jsonl(f):
            out.setdefault(q["id"], q)
    return out


def agreement(blind: list[dict[str, Any]], originals: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Accuracy / unsafe rate of the original labels scored by the blind ones, and the reverse."""
    strata = Counter((str(q.get("writer") or "?"), q["label"]) for q in originals.values())
    sampled = Counter((str(originals[b["id"]].get("writer") or "?"), originals[b["id"]]["label"]) for b in blind)
    rows = []
    for b in blind:
        o = originals[b["id"]]
        key = (str(o.get("writer") or "?"), o["label"])
        ok_blind = {b["label"], *b.get("acceptable", [])}
        ok_orig = {o["label"], *(o.get("acceptable") or [])}
        rows.append({
            "writer": key[0], "label": o["label"], "blind": b["label"], "sure": bool(b.get("sure")),
            "right": o["label"] in ok_blind, "unsafe": o["label"] not in ok_blind and o["label"] != "preserve",
            "rev_right": b["label"] in ok_orig, "rev_unsafe": b["label"] not in ok_orig and b["label"] != "preserve",
            "w": strata[key] / sampled[key],  # re-weight the stratified sample to the data's mix
        })

    def rate(sel: list[dict[str, Any]], k: str, weighted: bool = False) -> float:
        if not sel:
            return float("nan")
        if weighted:
            return sum(r["w"] for r in sel if r[k]) / sum(r["w"] for r in sel)
        return sum(1 for r in sel if r[k]) / len(sel)

    by_label: dict[str, Any] = {}
    for lab in LABELS:
        sel = [r for r in rows if r["label"] == lab]
        by_label[lab] = {"n": len(sel), "accuracy": rate(sel, "right"), "unsafe_rate": rate(sel, "unsafe")}
    by_writer: dict[str, Any] = defaultdict(dict)
    for w in sorted({r["writer"] for r in rows}):
        sel = [r for r in rows if r["writer"] == w]
        by_writer[w] = {"n": len(sel), "accuracy": rate(sel, "right"), "unsafe_rate": rate(sel, "unsafe")}
    confusion = Counter((r["label"], r["blind"]) for r in rows)
    sure = [r for r in rows if r["sure"]]
    return {
        "n": len(rows),
        "same_label": sum(r["label"] == r["blind"] for r in rows) / len(rows),
        "original_scored_by_blind": {"accuracy": rate(rows, "right"), "unsafe_rate": rate(rows, "unsafe"),
                                     "accuracy_data_mix": rate(rows, "right", True),
                                     "unsafe_rate_data_mix": rate(rows, "unsafe", True)},
        "blind_scored_by_original": {"accuracy": rate(rows, "rev_right"), "unsafe_rate": rate(rows, "rev_unsafe"),
                                     "accuracy_data_mix": rate(rows, "rev_right", True),
                                     "unsafe_rate_data_mix": rate(rows, "rev_unsafe", True)},
        "blind_sure": {"n": len(sure), "accuracy": rate(sure, "right"), "unsafe_rate": rate(sure, "unsafe")},
        "by_label": by_label, "by_writer": dict(by_writer),
        "confusion_rows_original_cols_blind": [[confusion[(a, b)] for b in LABELS] for a in LABELS],
    }


def preserve_review(review: list[dict[str, Any]], originals: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """How many training ``preserve`` labels a blind reviewer keeps, and what it chose instead."""
    rows = [r for r in review if originals.get(r["id"], {}).get("label") == "preserve"]
    kept = [r for r in rows if r["label"] == "preserve"]
    down = [r for r in rows if r["label"] != "preserve"]
    return {"n": len(rows), "kept": len(kept), "downgraded": len(down),
            "downgraded_sure": sum(1 for r in down if r.get("sure")),
            "downgraded_to": dict(sorted(Counter(r["label"] for r in down).items()))}


def disputed_relabel(relabels: list[dict[str, Any]], originals: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The second blind relabel: questions where the v6 router's out-of-fold P(right) was >= 0.8 for a
    downgrade the training label does not allow (``router_picks``; set ``disputed``), mixed with a seeded
    control sample of the other questions (set ``control``), labelled from scratch without the original.

    Per set: how often the blind label is the original one, how often the original label is right by the
    blind labeller, and how often a downgrade the router wanted is right by the blind labeller (the share
    of "unsafe" router decisions that were the training label's caution rather than the router's error)."""
    out: dict[str, Any] = {}
    for name in ("disputed", "control"):
        sel = [r for r in relabels if r.get("set") == name]
        if not sel:
            continue

        def ok(r: dict[str, Any]) -> set[str]:
            return {r["label"], *(r.get("acceptable") or [])}

        out[name] = {
            "n": len(sel),
            "same_label": sum(r["label"] == originals[r["id"]]["label"] for r in sel),
            "original_right_by_blind": sum(originals[r["id"]]["label"] in ok(r) for r in sel),
            "router_pick_right_by_blind": sum(any(t in ok(r) for t in r.get("router_picks") or []) for r in sel),
            "sure": sum(bool(r.get("sure")) for r in sel),
            "changes": dict(sorted(Counter(f"{originals[r['id']]['label']}>{r['label']}" for r in sel
                                           if r["label"] != originals[r["id"]]["label"]).items())),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    originals = _originals()
    res = agreement(_jsonl(BLIND), originals)
    res["preserve_review"] = rev = preserve_review(_jsonl(PRESERVE_REVIEW), originals)
    if DISPUTED.exists():
        res["disputed_relabel"] = disputed_relabel(_jsonl(DISPUTED), originals)
    o, r = res["original_scored_by_blind"], res["blind_scored_by_original"]
    print(f"{res['n']} questions labelled again blind; same label {res['same_label']:.1%}")
    print(f"original labels scored by the blind labellers: accuracy {o['accuracy']:.1%}, unsafe {o['unsafe_rate']:.1%}"
          f" (data mix: {o['accuracy_data_mix']:.1%}, {o['unsafe_rate_data_mix']:.1%})")
    print(f"blind labels scored by the original writers:   accuracy {r['accuracy']:.1%}, unsafe {r['unsafe_rate']:.1%}"
          f" (data mix: {r['accuracy_data_mix']:.1%}, {r['unsafe_rate_data_mix']:.1%})")
    for lab, m in res["by_label"].items():
        print(f"  original {lab:>9}: n={m['n']} accuracy {m['accuracy']:.1%} unsafe {m['unsafe_rate']:.1%}")
    print("  confusion (rows: original, columns: blind) " + " ".join(LABELS))
    for lab, row in zip(LABELS, res["confusion_rows_original_cols_blind"], strict=True):
        print(f"    {lab:>9} {row}")
    print(f"preserve review: {rev['kept']} of {rev['n']} training preserve labels kept by a blind reviewer; "
          f"{rev['downgraded']} downgraded ({rev['downgraded_sure']} sure): {rev['downgraded_to']}")
    for name, d in res.get("disputed_relabel", {}).items():
        print(f"relabel, {name}: n={d['n']}, same label {d['same_label']}, original label right by blind "
              f"{d['original_right_by_blind']}, a router pick right by blind {d['router_pick_right_by_blind']}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
