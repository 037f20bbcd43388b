"""Internal: the LangChain callback handler that totals ``headroom_compression`` events; import it from
:mod:`headroom_middleware.adapters.langchain`."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import register_configure_hook

from ..types import TokenTotals
from ._langchain_common import HEADROOM_EVENT


class HeadroomCallbackHandler(TokenTotals, BaseCallbackHandler):
    """Totals of image compression across everything it is attached to.

    Attach it like any callback (``config={"callbacks": [handler]}``) or use
    :func:`get_headroom_callback`. Thread-safe; works for sync and async runs.

    Example::

        handler = HeadroomCallbackHandler()
        chain.invoke(inputs, config={"callbacks": [handler]})
        print(handler.original_tokens, "->", handler.compressed_tokens, handler.techniques)
    """

    # Adding a few integers under a lock: no need for LangChain to hop to a thread for it.
    run_inline: bool = True

    def __init__(self, parent: HeadroomCallbackHandler | None = None) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._parent = parent
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.calls = 0
        """Compression calls that saw at least one image."""
        self.images = 0
        self.changed_images = 0
        self.original_tokens = 0
        self.compressed_tokens = 0
        self.duration_ms = 0.0
        self.estimated = False
        self.techniques: dict[str, int] = {}
        self.results: deque[dict[str, Any]] = deque(maxlen=1000)
        """Per-image results (``CompressionResult`` as JSON dicts), the most recent 1000."""

    def __repr__(self) -> str:
        return (
            f"HeadroomCallbackHandler(calls={self.calls}, images={self.images}, "
            f"original_tokens={self.original_tokens}, compressed_tokens={self.compressed_tokens}, "
            f"saved_tokens={self.saved_tokens}, techniques={self.techniques})"
        )

    def on_custom_event(
        self,
        name: str,
        data: Any,
        *,
        run_id: uuid.UUID,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if name == HEADROOM_EVENT and isinstance(data, Mapping):
            self.add(data)

    def add(self, data: Mapping[str, Any]) -> None:
        """Add one ``headroom_compression`` event payload to the totals."""
        event_id = data.get("event_id")
        with self._lock:
            if isinstance(event_id, str):
                # Nested get_headroom_callback() blocks forward to the outer handler, which may
                # also be attached directly: count each event once.
                if event_id in self._seen:
                    return
                self._seen[event_id] = None
                if len(self._seen) > 4096:
                    self._seen.popitem(last=False)
            self.calls += 1
            self.images += int(data.get("images") or 0)
            self.changed_images += int(data.get("changed_images") or 0)
            self.original_tokens += int(data.get("original_tokens") or 0)
            self.compressed_tokens += int(data.get("compressed_tokens") or 0)
            self.duration_ms += float(data.get("duration_ms") or 0.0)
            self.estimated = self.estimated or bool(data.get("estimated"))
            for technique, count in (data.get("techniques") or {}).items():
                self.techniques[technique] = self.techniques.get(technique, 0) + int(count)
            self.results.extend(dict(r) for r in data.get("results") or () if isinstance(r, Mapping))
        if self._parent is not None:
            self._parent.add(data)


# One ContextVar registered once. langchain_core's get_usage_metadata_callback registers a new
# ContextVar on every call, which grows the global hook list for the life of the process
# (every later run then scans it); nesting is handled here by forwarding to the outer handler.
_headroom_callback_var: ContextVar[HeadroomCallbackHandler | None] = ContextVar(
    "headroom_callback", default=None
)
register_configure_hook(_headroom_callback_var, inheritable=True)


@contextmanager
def get_headroom_callback() -> Iterator[HeadroomCallbackHandler]:
    """Total the image compression of every LangChain run inside the ``with`` block.

    Example::

        with get_headroom_callback() as cb:
            chain.invoke(inputs)
            agent.invoke({"messages": [...]})
        print(f"{cb.saved_tokens} image tokens saved ({cb.savings_percent:.0f}%)")
    """
    handler = HeadroomCallbackHandler(parent=_headroom_callback_var.get())
    token = _headroom_callback_var.set(handler)
    try:
        yield handler
    finally:
        _headroom_callback_var.reset(token)
