"""The evaluation-only sets (models/data/dev, models/data/dev2): schema, files, and no source shared with training."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parent.parent / "models" / "data" / "check_eval_set.py"


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("check_eval_set", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["dev", "dev2"])
def test_evaluation_set_is_valid_and_shares_no_source_with_training(name: str, capsys: pytest.CaptureFixture[str]
                                                                      ) -> None:
    assert _checker().main([name]) == 0, capsys.readouterr().out


def test_a_repository_used_for_training_is_refused() -> None:
    checker = _checker()
    taken = sorted(checker.repositories_elsewhere("dev2"))
    assert taken, "the training data and the first dev set name their repositories"
    row = {"id": "a0001", "file": "images/missing.png", "kind": "document", "source": f"github:{taken[0]}@{'0' * 40}:x",
           "licence": "MIT", "sha256": "", "width": 1, "height": 1}
    errors = checker.check_manifest([row], "dev2")
    assert any("already a source" in e for e in errors)


def test_a_file_used_for_training_is_refused_whatever_its_repository() -> None:
    """One file can ship in two repositories (a test image copied between OCR projects)."""
    import hashlib

    checker = _checker()
    dev2, real = checker.DATA / "dev2", checker.DATA / "real"
    row = checker._read_jsonl(dev2 / "manifest.jsonl")[0]
    assert not any("same file" in e for e in checker.check_manifest([row], "dev2"))
    train_row = checker._read_jsonl(real / "manifest.jsonl")[0]
    copy = {**row, "file": "../real/" + train_row["file"], "sha256": train_row["sha256"],
            "width": train_row["width"], "height": train_row["height"]}
    assert hashlib.sha256((dev2 / copy["file"]).read_bytes()).hexdigest() == train_row["sha256"]
    assert any("same file" in e for e in checker.check_manifest([copy], "dev2"))
