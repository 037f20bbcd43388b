"""The evaluation harness (models/evaluate.py) scores by the routing-label rules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.evaluate import coverage, judge, summarise  # noqa: E402


def test_coverage() -> None:
    assert coverage((0, 0, 100, 100), (10, 10, 20, 20)) == 1.0
    assert coverage((0, 0, 15, 100), (10, 10, 20, 20)) == pytest.approx(0.5)
    assert coverage(None, (0, 0, 10, 10)) == 0.0
    assert coverage((0, 0, 10, 10), (5, 5, 5, 9)) == 0.0  # empty region never counts as covered


@pytest.mark.parametrize(
    ("label", "acceptable", "applied", "box", "right", "unsafe"),
    [
        ("full_low", [], "full_low", None, True, False),
        ("full_low", [], "preserve", None, False, False),  # wasteful, never unsafe
        ("preserve", [], "full_low", None, False, True),
        ("transcode", ["crop"], "crop", (0, 0, 100, 100), True, False),
        ("transcode", ["crop"], "crop", (0, 0, 50, 100), False, True),  # the box misses half the region
        ("crop", [], "transcode", None, False, True),
        ("transcode", ["preserve"], "preserve", None, True, False),
    ],
)
def test_judge(label: str, acceptable: list[str], applied: str, box: tuple[int, int, int, int] | None,
               right: bool, unsafe: bool) -> None:
    q = {"label": label, "acceptable": acceptable, "region": [0, 0, 100, 100] if "crop" in (label, *acceptable)
         else None}
    assert judge(q, applied, box) == (right, unsafe)


def test_summarise_blocks_and_confusion() -> None:
    base = {"kind": "document", "writer": "w", "coverage": None, "ms": 1.0}
    rows = [
        {**base, "label": "transcode", "technique": "transcode", "lang": "en", "right": True, "unsafe": False,
         "full_tokens": 1000, "sent_tokens": 200},
        {**base, "label": "preserve", "technique": "full_low", "lang": "de", "right": False, "unsafe": True,
         "full_tokens": 1000, "sent_tokens": 85},
        {**base, "label": "full_low", "technique": "preserve", "lang": "de", "right": False, "unsafe": False,
         "full_tokens": 1000, "sent_tokens": 1000},
    ]
    s = summarise(rows)
    assert s["overall"]["n"] == 3
    assert s["overall"]["accuracy"] == pytest.approx(1 / 3)
    assert s["overall"]["unsafe_rate"] == pytest.approx(1 / 3)
    assert s["overall"]["saving"] == pytest.approx(1 - 1285 / 3000)
    assert s["non_english"]["n"] == 2 and s["by_lang"]["de"]["accuracy"] == 0.0
    cm = s["confusion_matrix"]["rows_label_cols_applied"]
    assert cm[0][1] == 1 and cm[1][0] == 1 and cm[3][3] == 1 and sum(map(sum, cm)) == 3
