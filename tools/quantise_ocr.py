"""Build the int8 OCR models shipped in ``headroom_middleware/ocr/models/`` from the rapidocr wheel's models.

    python tools/quantise_ocr.py            # rebuild, write the models and quantised.json
    python tools/quantise_ocr.py --check    # rebuild into a temp dir, compare with the shipped bytes

A development tool (not part of the installed package); needs the ``ocr`` and ``train`` extras
(rapidocr, onnxruntime, onnx). Takes ~5 minutes of CPU.

Why int8, and why static: the recogniser's time is ~75 % convolutions. onnxruntime's dynamic
quantisation covers MatMul only (-10 % CPU) or turns Conv into ConvInteger (3x slower on CPU);
static QDQ quantisation runs QLinearConv/QLinearMatMul kernels and halves the recogniser's CPU.

Steps, per model (recogniser; see ``TASKS``):

1. Calibration inputs: the real engine (the same settings as the engine process, original
   models) reads the calibration images below; every 4th recognition batch is kept. The
   images are training images of this repository (``models/data/real``,
   from sources that ``tests/data/ocr_ref`` does not use, so the CER benchmark stays held
   out) and the demo samples.
2. ``quant_pre_process`` (ONNX shape inference and constant folding), then the model is moved
   from opset 11 to 13 (per-channel QuantizeLinear needs ``axis``).
3. onnxruntime's extended graph optimisation, saved: it fuses Gelu and LayerNormalization,
   which would otherwise run as five separate float operators between every pair of int8
   convolutions. Conv+activation fusions are disabled: a fused Conv is not quantisable.
4. ``quantize_static``: QDQ format, per-channel int8 weights, uint8 activations, MinMax
   calibration over all kept batches, Conv and MatMul.

Reading quality (benchmarks/ocr_reference.py, mean CER on 30 documents; float model 1.32 %):
this recipe 1.63 %. Nearly all of the loss is one page of small print with portrait photos
(sklearn_about 3.5 % -> 8.5 %): the int8 model reads a few photos as a letter "e" with a score
above the host's 0.5 cut where the float model scores them 0.1-0.4. Calibration subsets move
the mean by about +-0.2 points (every 4th batch 1.92 %, a random quarter 1.48 % with the
7-bit variant of those at 1.52-1.92 %); all batches is kept because it is the one not picked.

Measured and not kept: 7-bit weights (``reduce_range``, which avoids 16-bit saturation on
x86 CPUs without VNNI) cost more CER (1.72 % with all batches; the engine instead uses the
int8 model only on VNNI or ARM CPUs); leaving the first convolution and the attention
products in float (1.62 % on a random quarter, slower); also the final 18,710-class projection
(12.5 MB, 1.7x instead of 2x); quantising every quantisable operator (no faster); an int8
detector (1.35x less detector CPU, one small-print page 3.5 % -> 11.8 %, and both models
pass the 8 MB budget).

The bytes are deterministic for one machine and one onnxruntime/onnx version (``--check``
rebuilds and compares); another CPU may calibrate scales that differ in the last bit, which
is why the models are shipped as built and measured rather than derived on users' machines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from headroom_middleware.ocr import _child  # noqa: E402
from headroom_middleware.ocr.engine import (  # noqa: E402
    QUANTISED_DIR,
    QUANTISED_MANIFEST,
    _rapidocr_v3_model_paths,
    engine_settings,
    read_image,
)
from headroom_middleware.ocr.geometry import plan, prepare  # noqa: E402
from headroom_middleware.ocr.service import DEFAULT_DET_SIDE  # noqa: E402

#: Training images (models/data/real/images) used for calibration: documents, UI and code
#: screenshots, receipts, tables, photographed text, charts, mixed. None comes from a source of
#: tests/data/ocr_ref (SQLite, Flask, Django, Requests, scikit-learn docs, the Python tutorial
#: pages, xterm), the set the reading quality is measured on.
CALIBRATION_IMAGES = (
    "r0001.png", "r0009.png", "r0062.png", "r0070.png", "r0078.png", "r0086.png", "r0094.png", "r0115.png",
    "r0123.png", "r0131.png", "r0139.png", "r0148.png", "r0205.png", "r0214.png", "r0223.png", "r0233.png",
    "r0509.png", "r0521.png", "r0457.png", "r0467.png", "r0477.png", "r0494.png", "r0504.png", "r0534.png",
    "r0647.jpg", "r0665.jpg", "r0681.jpg", "r0713.jpg", "r0408.png", "r0422.png", "r0432.png", "r0446.png",
    "r0698.jpg", "r0701.jpg", "r0707.jpg", "r0267.png", "r0315.png", "r0225.png", "r0255.png",
)
SAMPLES = ("invoice.png", "dashboard.png", "receipt.png", "terminal.png", "photo.jpg")
#: Keep every Nth recognition batch (1: all of them, ~1,200 batches of 2 lines).
REC_STRIDE = 1

#: Per model: nodes left in float (by name after step 3) and whether weights use 7 bits.
TASKS: dict[str, dict[str, Any]] = {
    "rec": {"exclude": (), "reduce_range": False},
}
#: Graph optimisations that would hide a Conv inside a fused operator the quantiser skips.
_KEEP_UNFUSED = ["ConvActivationFusion", "ConvAddActivationFusion", "MatmulTransposeFusion", "MatMulScaleFusion"]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def capture(tasks: list[str]) -> dict[str, list[Any]]:
    """Model inputs of the real engine (original models) over the calibration images."""
    import numpy as np
    from PIL import Image

    settings = engine_settings(1, DEFAULT_DET_SIDE, quantised=False)
    if settings is None or settings.get("backend") != "rapidocr":
        raise SystemExit("needs rapidocr>=3 with bundled models: pip install 'headroom-middleware[ocr]'")
    engine = _child._RapidOcrV3(settings)
    caps: dict[str, list[Any]] = {t: [] for t in tasks}
    for task in tasks:
        holder = getattr(engine._ocr, f"_load_{task}_model")().session
        holder.session = _Recorder(holder.session, caps[task], REC_STRIDE if task == "rec" else 1)

    def run(rgb: Any) -> Any:
        return engine(np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1]))

    real = ROOT / "models" / "data" / "real" / "images"
    files = [real / n for n in CALIBRATION_IMAGES] + [ROOT / "headroom_middleware" / "samples" / n for n in SAMPLES]
    for path in files:
        img = Image.open(path)
        img.load()
        p = plan(img)
        if p.tiles:
            read_image(run, prepare(img, p.scaled), p)
    return caps


class _Recorder:
    """Wraps an onnxruntime session; keeps a copy of every ``stride``-th input."""

    def __init__(self, session: Any, into: list[Any], stride: int) -> None:
        self._session, self._into, self._stride, self._n = session, into, stride, 0

    def run(self, names: Any, feed: dict[str, Any]) -> Any:
        if self._n % self._stride == 0:
            self._into.append(next(iter(feed.values())).copy())
        self._n += 1
        return self._session.run(names, feed)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def quantise(source: Path, out: Path, inputs: list[Any], spec: dict[str, Any], work: Path) -> None:
    import onnx
    import onnxruntime as ort
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre, op13, fused = work / "pre.onnx", work / "op13.onnx", work / "fused.onnx"
    quant_pre_process(str(source), str(pre), skip_symbolic_shape=True)
    onnx.save(version_converter.convert_version(onnx.load(str(pre)), 13), str(op13))
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    so.optimized_model_filepath = str(fused)
    so.intra_op_num_threads = 1
    ort.InferenceSession(str(op13), so, providers=["CPUExecutionProvider"], disabled_optimizers=_KEEP_UNFUSED)

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it: Iterator[Any] = iter(inputs)

        def get_next(self) -> dict[str, Any] | None:
            x = next(self._it, None)
            return None if x is None else {"x": x}

    quantize_static(
        str(fused), str(out), Reader(), quant_format=QuantFormat.QDQ, op_types_to_quantize=["Conv", "MatMul"],
        per_channel=True, reduce_range=bool(spec["reduce_range"]), activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8, nodes_to_exclude=list(spec["exclude"]), calibrate_method=CalibrationMethod.MinMax,
    )


def build(dest: Path) -> dict[str, Any]:
    """Write the int8 models into ``dest``; return the manifest (also written there)."""
    import onnx
    import onnxruntime as ort

    paths = _rapidocr_v3_model_paths()
    if paths is None:
        raise SystemExit("rapidocr with bundled models is not installed")
    caps = capture(sorted(TASKS))
    models: dict[str, Any] = {}
    for task, spec in sorted(TASKS.items()):
        source = paths[task]
        out = dest / f"{source.stem}.int8.onnx"
        with tempfile.TemporaryDirectory() as tmp:
            quantise(source, out, caps[task], spec, Path(tmp))
        models[task] = {"file": out.name, "sha256": sha256(out), "source": source.name,
                        "source_sha256": sha256(source), "calibration_inputs": len(caps[task]),
                        "float_nodes": list(spec["exclude"]), "reduce_range": spec["reduce_range"]}
    import importlib.metadata as md

    manifest = {
        "about": "int8 derivatives of rapidocr's bundled PP-OCR models; built by tools/quantise_ocr.py, "
                 "provenance and licence in SOURCES.md",
        "built_with": {"rapidocr": md.version("rapidocr"), "onnxruntime": ort.__version__, "onnx": onnx.__version__},
        "models": models,
    }
    (dest / QUANTISED_MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with the shipped files")
    ap.add_argument("--out", type=Path, default=QUANTISED_DIR, help="write here instead of the package")
    args = ap.parse_args()
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        manifest = build(args.out)
        print(json.dumps(manifest["models"], indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        manifest = build(Path(tmp))
        same = True
        for task, entry in manifest["models"].items():
            shipped = QUANTISED_DIR / entry["file"]
            ok = shipped.is_file() and sha256(shipped) == entry["sha256"]
            same &= ok
            verdict = "same bytes" if ok else "DIFFERS from the shipped file"
            print(f"{task}: {entry['file']} {entry['sha256']} {verdict}")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
