"""ONNX router: the shipped model (``headroom_middleware/models/router.onnx``) on onnxruntime.

The model takes one float32 tensor ``features`` of shape ``(N, N_FEATURES)`` built by
:func:`.features.build_features` and returns ``p_right`` of shape ``(N, 4)``: per technique, in
the label order recorded in its metadata, the probability that it still answers the question,
plus the same values normalised as ``probabilities``. The metadata also carries the
per-technique thresholds calibrated on held-out data (``thresholds``: minimum ``p_right``). On
load the metadata (feature version, feature count, label order, thresholds) is checked against
this code; a mismatch raises :class:`~headroom_middleware.errors.RouterUnavailableError` instead
of routing on garbage. ``models/train.py`` in the repository builds the model.

Example::

    from headroom_middleware.router.onnx_router import OnnxRouter
    router = OnnxRouter()
    router.load()
    d = router.decide(thumb, "what does the legend in the top right say?", original_size=(1600, 1000))
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import RouterUnavailableError
from ..types import Technique
from .decision import RouterDecision
from .features import FEATURE_VERSION, N_FEATURES, build_features

if TYPE_CHECKING:
    from PIL.Image import Image

MODEL_FILE = "router.onnx"
INPUT_NAME = "features"
OUTPUT_NAME = "probabilities"
P_RIGHT_NAME = "p_right"
LABELS: tuple[Technique, ...] = (
    Technique.PRESERVE,
    Technique.FULL_LOW,
    Technique.CROP,
    Technique.TRANSCODE,
)
"""Class order of the model output (also stored as metadata ``labels``)."""


def model_bytes() -> bytes:
    """The shipped model file's bytes (raises RouterUnavailableError when it is missing).

    Example::

        size_mb = len(model_bytes()) / 1e6
    """
    try:
        return resources.files("headroom_middleware.models").joinpath(MODEL_FILE).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, OSError) as exc:
        raise RouterUnavailableError(f"router model not found: {exc}") from exc


class OnnxRouter:
    """Routes with the shipped ONNX model; loads it once, lazily and thread-safely.

    Example::

        router = OnnxRouter()
        d = router.decide(thumb, "summarise this page", original_size=(1240, 1754))
        print(d.technique, d.confidence)
    """

    name = "onnx"

    def __init__(self, model: bytes | None = None) -> None:
        self._model_bytes = model
        self._session: Any = None
        self._input = INPUT_NAME
        self._lock = threading.Lock()
        self.metadata: dict[str, str] = {}
        self._max_risk: dict[Technique, float] = {}

    def load(self) -> None:
        """Create the onnxruntime session (no-op when already loaded).

        Raises RouterUnavailableError when onnxruntime is not installed, the model is missing,
        or its metadata does not match this code.
        """
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
            except ImportError as exc:  # also when sys.modules["onnxruntime"] is None
                raise RouterUnavailableError(f"onnxruntime is not installed: {exc}") from exc
            data = self._model_bytes if self._model_bytes is not None else model_bytes()
            opts = ort.SessionOptions()
            # One thread each: a decision is ~10k multiply-adds; thread hand-off would cost more
            # than the work, and the host process (proxy, app) owns the cores.
            opts.intra_op_num_threads = 1
            opts.inter_op_num_threads = 1
            opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            opts.log_severity_level = 3
            try:
                session = ort.InferenceSession(data, sess_options=opts, providers=["CPUExecutionProvider"])
            except Exception as exc:  # onnxruntime raises its own exception types
                raise RouterUnavailableError(f"cannot load router model: {exc}") from exc
            meta = dict(session.get_modelmeta().custom_metadata_map)
            _check_metadata(meta, session)
            self.metadata = meta
            self._max_risk = _max_risk(meta)
            self._input = session.get_inputs()[0].name
            self._session = session

    def decide(
        self, thumb: Image, query: str | None, original_size: tuple[int, int] | None = None, **kw: Any
    ) -> RouterDecision:
        """Probabilities per technique for one image and the question asked about it."""
        self.load()
        vec = build_features(thumb, query, original_size)
        return self.decide_features(vec.reshape(1, -1))[0]

    def decide_features(self, batch: Any) -> list[RouterDecision]:
        """Decisions for a float32 ``(N, N_FEATURES)`` batch of prebuilt feature vectors.

        Example::

            import numpy as np
            ds = router.decide_features(np.stack([build_features(t, q, s) for t, q, s in items]))
        """
        self.load()
        import numpy as np

        x = np.ascontiguousarray(batch, dtype=np.float32)
        probs, right = self._session.run([OUTPUT_NAME, P_RIGHT_NAME], {self._input: x})
        out = []
        for row, ok in zip(np.asarray(probs, dtype=np.float64), np.asarray(right, dtype=np.float64), strict=True):
            row = np.clip(np.nan_to_num(row, nan=0.0), 0.0, None)
            ok = np.clip(np.nan_to_num(ok, nan=0.0), 0.0, 1.0)  # NaN -> "not right": never downgrades
            total = float(row.sum())
            if total <= 0.0:  # cannot happen with sigmoid outputs; keep the safe choice if it does
                out.append(RouterDecision({t: float(t == Technique.PRESERVE) for t in LABELS}, "onnx"))
                continue
            out.append(RouterDecision(
                {t: float(p) / total for t, p in zip(LABELS, row, strict=True)}, "onnx",
                p_right={t: float(p) for t, p in zip(LABELS, ok, strict=True)}, max_risk=dict(self._max_risk),
            ))
        return out


def _max_risk(meta: dict[str, str]) -> dict[Technique, float]:
    """Risk ceilings from the ``thresholds`` metadata (minimum p_right per technique, label order)."""
    try:
        values = [float(v) for v in meta.get("thresholds", "").split(",")]
    except ValueError as exc:
        raise RouterUnavailableError(f"router model thresholds unreadable: {exc}") from exc
    # A threshold above 1 means "never use this technique" (its risk ceiling is then negative).
    if len(values) != len(LABELS) or not all(0.0 <= v <= 2.0 for v in values):
        raise RouterUnavailableError(f"router model thresholds {meta.get('thresholds')!r} are not 4 values in [0, 2]")
    return {t: 1.0 - v for t, v in zip(LABELS, values, strict=True) if t is not Technique.PRESERVE}


def _check_metadata(meta: dict[str, str], session: Any) -> None:
    """Refuse a model built for another feature layout or label order."""
    version = meta.get("feature_version")
    if version != FEATURE_VERSION:
        raise RouterUnavailableError(
            f"router model feature_version {version!r} != code {FEATURE_VERSION!r}; "
            "retrain with models/train.py"
        )
    labels = meta.get("labels", "")
    if labels != ",".join(t.value for t in LABELS):
        raise RouterUnavailableError(f"router model label order {labels!r} does not match the code")
    shape = session.get_inputs()[0].shape
    if len(shape) != 2 or (isinstance(shape[1], int) and shape[1] != N_FEATURES):
        raise RouterUnavailableError(f"router model input shape {shape} != (N, {N_FEATURES})")
    outputs = {o.name for o in session.get_outputs()}
    if not {OUTPUT_NAME, P_RIGHT_NAME} <= outputs:
        raise RouterUnavailableError(f"router model outputs {sorted(outputs)} lack {OUTPUT_NAME!r} or {P_RIGHT_NAME!r}")
