"""The OCR engine process: RapidOCR on onnxruntime, driven over stdin/stdout.

Started by :mod:`headroom_middleware.ocr.process` as a script (never imported by the host):
the host process then never has a thread inside onnxruntime, so a run abandoned after a
timeout cannot abort the host at exit ("terminate called without an active exception"), and
an engine that misbehaves can be killed without touching the host's memory.

Standalone on purpose: it imports only the standard library, numpy and the OCR engine, so
starting it costs the engine's import and model load and nothing of this package.

Protocol (all integers little-endian ``uint32``):

- argv[1] is a JSON object of settings (``det_side``, ``threads``, ``models``, optionally
  ``int8``: per task, a quantised model with its sha256 and its source model's sha256).
- child -> host, once: ``len`` + JSON ``{"ok": true, "engine": "...", "int8": [tasks],
  "notes": [...]}`` when the models are loaded (``notes``: why an int8 model was not used),
  or ``{"ok": false, "error": "..."}`` before exiting.
- host -> child, per image: ``len`` + JSON ``{"w": W, "h": H}``, then ``W*H*3`` RGB bytes.
- child -> host, per image: ``len`` + JSON ``{"ok": true, "dets": [[poly, text, score,
  words], ...]}`` (``words`` is ``[[word, poly], ...]`` or ``null``), or ``{"ok": false,
  "error": "ExceptionType"}``.
- End of input (the host closed the pipe or died): the child exits at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import signal
import struct
import sys
from typing import Any, BinaryIO

_LEN = struct.Struct("<I")
#: Refuse absurd headers instead of allocating them (the host never sends more than this).
_MAX_PIXELS = 64_000_000


def _read_exact(f: BinaryIO, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _send(f: BinaryIO, obj: Any) -> None:
    data = json.dumps(obj, separators=(",", ":")).encode()
    f.write(_LEN.pack(len(data)) + data)
    f.flush()


def _plain(x: Any) -> Any:
    """numpy arrays/scalars and tuples -> JSON-able lists and floats."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _int8_cpu_problem(machine: str | None = None, cpuinfo: str | None = None) -> str | None:
    """Why this CPU should not run the int8 models (None: it may).

    On x86-64 without VNNI, onnxruntime's uint8 x int8 kernels add pairs of products in 16 bits
    (``vpmaddubsw``), which full-range int8 weights can saturate; the shipped models were
    measured on a VNNI CPU only. ARM kernels widen to 32 bits. Where the CPU flags cannot be
    read (an x86-64 that is not Linux), the original models are kept.
    """
    machine = (machine if machine is not None else platform.machine()).lower()
    if machine in ("aarch64", "arm64"):
        return None
    if machine not in ("x86_64", "amd64"):
        return f"no int8 kernels measured on {machine or 'this CPU'}"
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
                cpuinfo = f.read(1 << 20)
        except OSError:
            return "CPU features unknown"
    flags = next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines() if line.startswith("flags")), [])
    if not {"avx512_vnni", "avx_vnni"} & set(flags):
        return "this CPU has no VNNI (int8 sums could saturate)"
    return None


def _int8_models(settings: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The model paths to load: each int8 model whose files check out, else the original.

    An int8 model is used only when the installed original is byte for byte the one it was
    derived from (a different rapidocr release may ship a retrained model under the same
    name: its int8 twin would read with the old weights) and its own bytes are intact.
    Returns the paths and, per task kept at the original, why.
    """
    models = dict(settings["models"])
    notes: list[str] = []
    wanted = settings.get("int8") or {}
    cpu = _int8_cpu_problem() if wanted else None
    if cpu is not None:
        return models, [f"{'/'.join(sorted(wanted))}: {cpu}"]
    for task, q in wanted.items():
        try:
            if task not in models:
                continue
            if _sha256(models[task]) != q["source_sha256"]:
                notes.append(f"{task}: the installed model is not the one the int8 model was derived from")
            elif _sha256(q["path"]) != q["sha256"]:
                notes.append(f"{task}: the int8 model file is damaged")
            else:
                models[task] = q["path"]
        except (OSError, KeyError, TypeError) as exc:
            notes.append(f"{task}: int8 model unusable ({type(exc).__name__})")
    return models, notes


def _load(settings: dict[str, Any]) -> tuple[Any, list[str], list[str]]:
    """The engine, the tasks running int8 models, and notes on int8 models not used.

    Fail-open: if the engine does not load with the int8 models (an onnxruntime too old for
    an operator, say), it is loaded again with the originals.
    """
    if settings["backend"] != "rapidocr":
        return _RapidOcrV1(settings), [], []
    models, notes = _int8_models(settings)
    int8 = sorted(t for t in models if models[t] != settings["models"][t])
    if not int8:
        return _RapidOcrV3(settings), [], notes
    try:
        return _RapidOcrV3({**settings, "models": models}), int8, notes
    except Exception as exc:
        notes.append(f"{'/'.join(int8)}: int8 model failed to load ({type(exc).__name__}); using the original")
        return _RapidOcrV3(settings), [], notes


class _RapidOcrV3:
    def __init__(self, settings: dict[str, Any]) -> None:
        from rapidocr import RapidOCR

        models = settings["models"]
        threads = int(settings["threads"])
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            # Upright documents: the 180° classifier costs time per line and is rarely needed;
            # upside-down text reads with low confidence and is then not transcoded.
            "Global.use_cls": False,
            # The host sizes the image (no upscaling of thin strips, a pixel budget, tiles):
            # rapidocr's own resize would undo that.
            "Global.use_preprocess_img": False,
            # Return every detection: low scores are filtered by the host, where they can
            # still lower the page confidence instead of silently vanishing.
            "Global.text_score": 0.0,
            # Detection at reduced resolution, never upscaled ("max"); recognition crops the
            # lines from the full-resolution image.
            "Det.limit_type": "max",
            "Det.limit_side_len": int(settings["det_side"]),
            # Explicit paths: the engine never consults its download table.
            "Det.model_path": models["det"],
            "Rec.model_path": models["rec"],
            # Lines are batched in width order and padded to the widest of the batch, and to
            # at least the shape's width: rapidocr's 320 px minimum made every short cell
            # ("1", "Qty") cost a 320 px line. Small batches waste little padding.
            "Rec.rec_img_shape": [3, 48, int(settings["rec_min_width"])],
            "Rec.rec_batch_num": int(settings["rec_batch"]),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)
        # rapidocr 3.x opens a model's session on first use. Open them now: a model that does
        # not load must fail here, where _load can fall back to the original, not on a page.
        for opener in ("_load_det_model", "_load_rec_model"):
            load = getattr(self._ocr, opener, None)
            if callable(load):
                load()
        self._no_spinning(models, threads)

    def _no_spinning(self, models: dict[str, str], threads: int) -> None:
        """Reopen the ONNX sessions with idle threads sleeping instead of spinning.

        onnxruntime's worker threads busy-wait between operators by default. On a small,
        shared CPU that burns CPU for nothing and slows the other work on the box. rapidocr
        has no option for it, so the sessions it opened are replaced; if its internals
        differ, its own sessions are kept.
        """
        try:
            import onnxruntime as ort

            ocr = self._ocr
            for part, path in ((ocr._load_det_model(), models["det"]), (ocr._load_rec_model(), models["rec"])):
                holder = part.session
                so = ort.SessionOptions()
                so.log_severity_level = 4
                so.enable_cpu_mem_arena = False
                so.intra_op_num_threads = threads
                so.inter_op_num_threads = 1
                so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                so.add_session_config_entry("session.intra_op.allow_spinning", "0")
                so.add_session_config_entry("session.inter_op.allow_spinning", "0")
                holder.session = ort.InferenceSession(
                    path, sess_options=so, providers=holder.session.get_providers()
                )
        except Exception:  # an internal layout we do not know: keep rapidocr's sessions
            pass

    def __call__(self, bgr: Any) -> list[list[Any]]:
        # Word boxes come from the recogniser's own alignment (no extra inference): they let
        # a detection that swallowed a gutter or several table cells be split again.
        out: Any = self._ocr(bgr, return_word_box=True)
        boxes, txts, scores = out.boxes, out.txts, out.scores
        if boxes is None or txts is None or scores is None:
            return []
        words: Any = getattr(out, "word_results", None)
        if not isinstance(words, tuple | list) or len(words) != len(txts):
            words = [None] * len(txts)
        dets: list[list[Any]] = []
        for box, txt, score, wr in zip(boxes, txts, scores, words, strict=True):
            parsed = None
            try:
                parsed = [[str(w[0]), _plain(w[2])] for w in wr if w[2] is not None] if wr else None
            except (TypeError, IndexError):
                parsed = None
            dets.append([_plain(box), str(txt), float(score), parsed])
        return dets


class _RapidOcrV1:
    def __init__(self, settings: dict[str, Any]) -> None:
        from rapidocr_onnxruntime import RapidOCR

        # v1 bundles its models inside the package and never downloads.
        try:
            self._ocr = RapidOCR(use_cls=False, text_score=0.0, intra_op_num_threads=int(settings["threads"]))
        except TypeError:  # a v1 release without keyword overrides
            self._ocr = RapidOCR()

    def __call__(self, bgr: Any) -> list[list[Any]]:
        result, _ = self._ocr(bgr)
        return [[_plain(box), str(txt), float(score), None] for box, txt, score in (result or [])]


def main() -> None:
    # Ctrl-C in the host's terminal reaches the whole process group: the host decides when
    # this process ends (it closes the pipe), so the child ignores it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    # Nothing else may write to the protocol stream (a library printing would corrupt it).
    sys.stdout = sys.stderr
    try:
        settings = json.loads(sys.argv[1])
        import numpy as np

        engine, int8, notes = _load(settings)
    except Exception as exc:
        _send(out, {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]})
        os._exit(1)
    _send(out, {"ok": True, "engine": settings["backend"], "int8": int8, "notes": notes})
    while True:
        head = _read_exact(inp, _LEN.size)
        if head is None:
            break
        meta = _read_exact(inp, _LEN.unpack(head)[0])
        if meta is None:
            break
        req = json.loads(meta)
        w, h = int(req["w"]), int(req["h"])
        if not (w > 0 and h > 0 and w * h <= _MAX_PIXELS):
            break  # a protocol error: the host restarts the engine
        pixels = _read_exact(inp, w * h * 3)
        if pixels is None:
            break
        try:
            rgb = np.frombuffer(pixels, dtype=np.uint8).reshape(h, w, 3)
            bgr = np.ascontiguousarray(rgb[:, :, ::-1])
            resp: dict[str, Any] = {"ok": True, "dets": engine(bgr)}
        except Exception as exc:
            resp = {"ok": False, "error": type(exc).__name__}
        try:
            _send(out, resp)
        except (BrokenPipeError, OSError):
            break
    # _exit: skip interpreter and C++ static teardown, nothing is left to flush.
    os._exit(0)


if __name__ == "__main__":
    main()
