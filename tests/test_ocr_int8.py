"""The int8 OCR models: used when shipped and matching the installed originals, else the originals.

The choice is made in the engine process (``_child._int8_models`` / ``_load``), from what the
host's :func:`engine_settings` passes it; the host logs each reason for a fallback once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from headroom_middleware import ocr
from headroom_middleware.ocr import _child, process
from headroom_middleware.ocr import engine as ocr_engine
from headroom_middleware.ocr.engine import QUANTISED_DIR, QUANTISED_MANIFEST, engine_settings

ROOT = Path(__file__).resolve().parents[1]
#: The real gate, kept before the autouse fixture below replaces it in every test.
_CPU_GATE = _child._int8_cpu_problem


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(tmp_path: Path, source: bytes = b"float model", int8: bytes = b"int8 model") -> dict[str, Any]:
    src, q = tmp_path / "rec.onnx", tmp_path / "rec.int8.onnx"
    src.write_bytes(source)
    q.write_bytes(int8)
    return {
        "backend": "rapidocr",
        "models": {"det": str(tmp_path / "det.onnx"), "rec": str(src)},
        "int8": {"rec": {"path": str(q), "sha256": _sha(b"int8 model"), "source_sha256": _sha(b"float model")}},
    }


# -- the engine process's choice ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _int8_capable_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """The choice tests below are about files; the CPU gate has its own test."""
    monkeypatch.setattr(_child, "_int8_cpu_problem", lambda: None)


def test_cpu_gate() -> None:
    vnni = "processor : 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_vnni\n"
    no_vnni = "processor : 0\nflags\t\t: fpu sse2 avx2 fma\n"
    assert _CPU_GATE("x86_64", vnni) is None
    assert _CPU_GATE("x86_64", "flags : avx2 avx_vnni") is None  # Alder Lake and later: VEX VNNI
    assert "no VNNI" in str(_CPU_GATE("x86_64", no_vnni))
    assert _CPU_GATE("aarch64", "") is None
    assert _CPU_GATE("ppc64le", "") is not None


def test_int8_skipped_on_a_cpu_without_vnni(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _files(tmp_path)
    monkeypatch.setattr(_child, "_int8_cpu_problem", lambda: "this CPU has no VNNI (int8 sums could saturate)")
    models, notes = _child._int8_models(settings)
    assert models == settings["models"]
    assert notes == ["rec: this CPU has no VNNI (int8 sums could saturate)"]


def test_int8_model_used_when_both_hashes_match(tmp_path: Path) -> None:
    settings = _files(tmp_path)
    models, notes = _child._int8_models(settings)
    assert models["rec"] == settings["int8"]["rec"]["path"]
    assert models["det"] == settings["models"]["det"]  # no int8 model for it: unchanged
    assert notes == []


def test_original_kept_when_the_installed_model_differs(tmp_path: Path) -> None:
    # A rapidocr release that ships a retrained model under the same file name.
    settings = _files(tmp_path, source=b"retrained float model")
    models, notes = _child._int8_models(settings)
    assert models["rec"] == settings["models"]["rec"]
    assert len(notes) == 1 and "not the one the int8 model was derived from" in notes[0]


def test_original_kept_when_the_int8_file_is_damaged(tmp_path: Path) -> None:
    settings = _files(tmp_path, int8=b"int8 model, truncated")
    models, notes = _child._int8_models(settings)
    assert models["rec"] == settings["models"]["rec"]
    assert len(notes) == 1 and "damaged" in notes[0]


def test_original_kept_when_the_int8_file_is_missing(tmp_path: Path) -> None:
    settings = _files(tmp_path)
    Path(settings["int8"]["rec"]["path"]).unlink()
    models, notes = _child._int8_models(settings)
    assert models["rec"] == settings["models"]["rec"]
    assert notes == ["rec: int8 model unusable (FileNotFoundError)"]


def test_engine_reloaded_with_originals_when_int8_fails_to_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _files(tmp_path)
    loaded: list[dict[str, str]] = []

    class FakeEngine:
        def __init__(self, s: dict[str, Any]) -> None:
            loaded.append(s["models"])
            if s["models"]["rec"].endswith(".int8.onnx"):
                raise RuntimeError("unsupported operator")

    monkeypatch.setattr(_child, "_RapidOcrV3", FakeEngine)
    engine, int8, notes = _child._load(settings)
    assert isinstance(engine, FakeEngine)
    assert int8 == []
    assert [m["rec"] for m in loaded] == [settings["int8"]["rec"]["path"], settings["models"]["rec"]]
    assert notes == ["rec: int8 model failed to load (RuntimeError); using the original"]


def test_engine_loads_int8_when_it_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _files(tmp_path)
    seen: list[str] = []

    class FakeEngine:
        def __init__(self, s: dict[str, Any]) -> None:
            seen.append(s["models"]["rec"])

    monkeypatch.setattr(_child, "_RapidOcrV3", FakeEngine)
    _, int8, notes = _child._load(settings)
    assert int8 == ["rec"] and notes == [] and seen == [settings["int8"]["rec"]["path"]]


def test_settings_without_int8_load_the_originals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _files(tmp_path)
    del settings["int8"]
    seen: list[str] = []
    monkeypatch.setattr(_child, "_RapidOcrV3", lambda s: seen.append(s["models"]["rec"]))
    _, int8, notes = _child._load(settings)
    assert int8 == [] and notes == [] and seen == [settings["models"]["rec"]]


# -- the host's settings and log ------------------------------------------------------------


def test_settings_offer_int8_only_for_the_model_it_was_derived_from(monkeypatch: pytest.MonkeyPatch) -> None:
    if engine_settings(1, 960) is None or engine_settings(1, 960)["backend"] != "rapidocr":
        pytest.skip("rapidocr v3 not installed")
    manifest = {"rec": {"file": "x.int8.onnx", "sha256": "a", "source": "PP-OCRv6_rec_small.onnx",
                        "source_sha256": "b"},
                "det": {"file": "y.int8.onnx", "sha256": "c", "source": "another_det.onnx", "source_sha256": "d"}}
    monkeypatch.setattr(ocr_engine, "_quantised_manifest", lambda: manifest)
    paths = {"det": Path("/m/PP-OCRv6_det_small.onnx"), "rec": Path("/m/PP-OCRv6_rec_small.onnx")}
    monkeypatch.setattr(ocr_engine, "_rapidocr_v3_model_paths", lambda: paths)
    settings = engine_settings(1, 960)
    assert settings is not None
    assert settings["int8"] == {"rec": {"path": str(QUANTISED_DIR / "x.int8.onnx"), "sha256": "a",
                                        "source_sha256": "b"}}
    assert "int8" not in (engine_settings(1, 960, quantised=False) or {})


def test_unreadable_manifest_means_no_int8(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / QUANTISED_MANIFEST).write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(ocr_engine, "QUANTISED_DIR", tmp_path)
    ocr_engine._quantised_manifest.cache_clear()
    try:
        assert ocr_engine._quantised_manifest() == {}
    finally:
        monkeypatch.undo()
        ocr_engine._quantised_manifest.cache_clear()


def test_each_fallback_reason_is_logged_once(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(process, "_noted", set())
    with caplog.at_level(logging.WARNING, logger=process.logger.name):
        for _ in range(3):
            process._log_notes(["rec: the int8 model file is damaged"])
        process._log_notes("not a list")
    assert [r.getMessage() for r in caplog.records] == [
        "OCR engine: rec: the int8 model file is damaged; reading with the original model (slower)"
    ]


# -- the shipped files ----------------------------------------------------------------------


def test_shipped_int8_models_match_their_manifest() -> None:
    manifest = json.loads((QUANTISED_DIR / QUANTISED_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["models"], "no int8 model listed"
    sources = (QUANTISED_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for entry in manifest["models"].values():
        path = QUANTISED_DIR / entry["file"]
        assert _sha(path.read_bytes()) == entry["sha256"]
        assert path.stat().st_size < 8_000_000  # the repository stays lean
        # Provenance: the source file and its hash are recorded for readers, not only for code.
        assert entry["source"] in sources and entry["source_sha256"] in sources
    assert (QUANTISED_DIR / "LICENSE-Apache-2.0.txt").is_file()


# -- the real engine ------------------------------------------------------------------------

needs_engine = pytest.mark.skipif(not ocr.ocr_available(), reason="rapidocr not installed")
needs_int8_cpu = pytest.mark.skipif(_CPU_GATE() is not None, reason=f"int8 models not used here: {_CPU_GATE()}")


@needs_engine
@needs_int8_cpu
def test_real_engine_runs_the_shipped_int8_recogniser() -> None:
    settings = engine_settings(1, 960)
    assert settings is not None
    if "rec" not in settings.get("int8", {}):
        pytest.skip("the installed rapidocr ships a recogniser the int8 model was not derived from")
    from PIL import Image

    proc = process.EngineProcess(settings)
    try:
        assert proc.int8 == ("rec",)
        dets = proc(Image.open(ROOT / "headroom_middleware" / "samples" / "invoice.png").convert("RGB"))
        text = " ".join(str(d[1]) for d in dets)
        assert "INVOICE" in text.upper() and len(dets) > 50
    finally:
        proc.close()


@needs_engine
@needs_int8_cpu
def test_real_engine_falls_back_on_a_damaged_int8_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = engine_settings(1, 960)
    assert settings is not None
    if "rec" not in settings.get("int8", {}):
        pytest.skip("no int8 recogniser for the installed rapidocr")
    bad = tmp_path / "bad.int8.onnx"
    bad.write_bytes(b"\x08\x07 not an onnx model")
    # The hash check would refuse this file before loading it; give it the matching hash so the
    # load itself fails and the engine must reload with the original model.
    settings["int8"]["rec"] = {**settings["int8"]["rec"], "path": str(bad), "sha256": _sha(bad.read_bytes())}
    monkeypatch.setattr(process, "_noted", set())
    with caplog.at_level(logging.WARNING, logger=process.logger.name):
        proc = process.EngineProcess(settings)
    try:
        assert proc.int8 == ()
        assert any("int8 model failed to load" in r.getMessage() for r in caplog.records)
        from PIL import Image

        dets = proc(Image.open(ROOT / "headroom_middleware" / "samples" / "invoice.png").convert("RGB"))
        assert len(dets) > 50
    finally:
        proc.close()
