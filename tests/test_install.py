"""A non-editable build of the package works on its own: the wheel carries the model, the
sample images and the adapters package."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contents_and_import(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("headroom_middleware-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "headroom_middleware/adapters/__init__.py" in names
    assert "headroom_middleware/py.typed" in names
    assert "headroom_middleware/ocr/_child.py" in names, "the OCR engine process script must ship"
    assert any(n.startswith("headroom_middleware/samples/") and n.endswith(".png") for n in names)
    onnx = [n for n in names if n.startswith("headroom_middleware/models/") and n.endswith(".onnx")]
    assert onnx, "the router model must ship inside the wheel"
    assert not any(n.startswith("headroom_middleware/models/data/") for n in names), "training data stays out"
    # the int8 OCR models with their manifest, provenance and licence (headroom_middleware/ocr/models)
    ocr_models = {n.rsplit("/", 1)[1] for n in names if n.startswith("headroom_middleware/ocr/models/")}
    assert {"quantised.json", "SOURCES.md", "LICENSE-Apache-2.0.txt"} <= ocr_models
    assert any(n.endswith(".int8.onnx") for n in ocr_models)
    # install it (no deps: they are in this venv) into a separate folder and use it from there
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    code = (
        "import headroom_middleware as h, pathlib, sys;"
        f"assert pathlib.Path(h.__file__).is_relative_to({str(target)!r}), h.__file__;"
        "from headroom_middleware.cli import main;"
        "sys.exit(main(['demo']))"
    )
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "image tokens:" in out.stdout


def test_plain_pip_install_in_a_fresh_venv_core_only(tmp_path: Path) -> None:
    """`pip install .` (non-editable, core dependencies only) into a brand-new venv: the package
    works without onnxruntime, rapidocr, litellm or langchain — the rule router decides and
    transcode says why it is off."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True, cwd=tmp_path, timeout=600)
    code = (
        "import sys, headroom_middleware as h;"
        "from headroom_middleware.cli import main;"
        "rc = main(['demo', '--json']);"
        "assert not [m for m in ('onnxruntime', 'rapidocr', 'litellm', 'langchain_core') if m in sys.modules];"
        "sys.exit(rc)"
    )
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    images = json.loads(out.stdout)["images"]  # the table wraps reasons; the JSON keeps them whole
    assert {i["router"] for i in images} - {"history", "forced", "none"} == {"rules"}
    asked = [i for i in images if i["routed_technique"] == "transcode"]
    assert all("no OCR engine installed" in i["reason"] and i["technique"] != "transcode" for i in asked)
