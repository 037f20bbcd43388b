"""Per-image router: which technique (preserve / full_low / crop / transcode) still answers.

Importing this package is cheap: numpy, Pillow and onnxruntime are only imported by the
submodules that :func:`get_router` loads on first use.

Example::

    from headroom_middleware.router import get_router
    router = get_router("auto")            # ONNX model if onnxruntime is installed, else rules
    d = router.decide(thumb, "summarise this document", original_size=(1700, 2200))
    print(d.router, d.technique, round(d.confidence, 2), d.ranked())
"""

from __future__ import annotations

import logging
import threading

from ..errors import RouterUnavailableError
from ..types import RouterChoice
from .decision import Router, RouterDecision

__all__ = [
    "ROUTER_THUMBNAIL",
    "Router",
    "RouterDecision",
    "get_router",
]

logger = logging.getLogger("headroom_middleware")

ROUTER_THUMBNAIL = 512
"""Long side (px) of the view the router looks at (= the ``full_low`` size; see ``image_features``)."""


_LOCK = threading.Lock()
_ROUTERS: dict[str, Router] = {}


def _load_onnx() -> Router:
    # Imported here: onnx_router imports onnxruntime/numpy, which must stay off the import path.
    from .onnx_router import OnnxRouter

    router = OnnxRouter()
    router.load()  # raises RouterUnavailableError with the reason
    return router


def _load_rules() -> Router:
    from .rules import RulesRouter

    return RulesRouter()


def get_router(choice: RouterChoice | str = "auto") -> Router:
    """The router for ``choice`` ("auto" | "onnx" | "rules"), created once per process.

    "auto" uses the shipped ONNX model when onnxruntime is importable and the model loads,
    else the rule-based router (the choice is logged once at INFO). "onnx" raises
    :class:`~headroom_middleware.errors.RouterUnavailableError` when it cannot be loaded.

    Example::

        router = get_router()
        print(router.name)                 # "onnx" or "rules"
        d = router.decide(thumb, "what is this?", original_size=(4032, 3024))
    """
    if choice not in ("auto", "onnx", "rules"):
        raise ValueError(f"unknown router {choice!r}; expected 'auto', 'onnx' or 'rules'")
    router = _ROUTERS.get(choice)
    if router is not None:
        return router
    with _LOCK:
        router = _ROUTERS.get(choice)  # another thread may have loaded it while we waited
        if router is not None:
            return router
        if choice == "rules":
            router = _ROUTERS.get("rules") or _load_rules()
        elif choice == "onnx":
            router = _ROUTERS.get("onnx") or _load_onnx()
        else:
            try:
                router = _ROUTERS.get("onnx") or _load_onnx()
                logger.info("headroom router: using the ONNX model")
            except RouterUnavailableError as exc:
                router = _ROUTERS.get("rules") or _load_rules()
                logger.info("headroom router: using rules (%s)", exc)
        _ROUTERS.setdefault(router.name, router)
        _ROUTERS[choice] = router
        return router


def _reset_for_tests() -> None:
    """Forget loaded routers (tests only)."""
    with _LOCK:
        _ROUTERS.clear()
