"""The injectable seams of :class:`~headroom_middleware.ImageCompressor`, as typed Protocols.

Any object with these methods can be passed in (structural typing, nothing to subclass), the way
``httpx.Client(transport=...)`` takes a transport:

- :class:`Router` decides which technique still answers the question about an image
  (default: the shipped ONNX model, or the rule-based router without onnxruntime);
- :class:`OcrEngine` reads the text of an image for ``transcode`` and query-driven crops
  (default: RapidOCR with its bundled models, when installed);
- :class:`SharedCache` stores finished outputs for other workers and replicas
  (default: Redis when ``CompressionConfig.shared_cache_url`` is set, else none).

Importing this module is cheap: the types named in the signatures are imported for type
checkers only.

Example::

    from headroom_middleware import ImageCompressor

    class DictCache:                      # a SharedCache for one process, e.g. in tests
        def __init__(self) -> None:
            self.data: dict[str, bytes] = {}
        def get(self, key: str) -> bytes | None:
            return self.data.get(key)
        def set(self, key: str, value: bytes, ttl_s: int) -> None:
            self.data[key] = value

    compressor = ImageCompressor(shared_cache=DictCache())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PIL.Image import Image

    from .ocr import OcrResult
    from .router import RouterDecision

__all__ = ["OcrEngine", "Router", "SharedCache"]


@runtime_checkable
class Router(Protocol):
    """Per-image technique probabilities for an (image, question) pair.

    ``thumb`` is an RGB thumbnail (long side ``router.ROUTER_THUMBNAIL`` px at most) of an image
    whose real size is ``original_size``; ``query`` is the question of the image's own turn.

    Example::

        class AlwaysPreserve:
            def decide(self, thumb, query, *, original_size, **kw):
                return RouterDecision({t: float(t is Technique.PRESERVE) for t in Technique}, "mine")

        ImageCompressor(router=AlwaysPreserve())
    """

    def decide(self, thumb: Image, query: str, *, original_size: tuple[int, int], **kw: Any) -> RouterDecision: ...


@runtime_checkable
class OcrEngine(Protocol):
    """Text of an image, in reading order, with line boxes in the image's pixels.

    ``cache_key`` (a content hash) lets the engine return a result it already has;
    ``timeout_s`` bounds the call: past it the engine raises
    :class:`~headroom_middleware.errors.OcrTimeoutError`. An engine that cannot run raises
    :class:`~headroom_middleware.errors.OcrUnavailableError`; any other failure
    :class:`~headroom_middleware.errors.OcrError`. ``close()`` releases the engine's worker
    (thread, process); the compressor calls it for an engine it created itself.

    Example::

        engine = ImageCompressor(ocr=my_engine)   # my_engine.read(img, cache_key=..., timeout_s=...)
    """

    def read(self, image: Image, *, cache_key: str | None = None, timeout_s: float | None = None) -> OcrResult: ...

    def close(self) -> None: ...


@runtime_checkable
class SharedCache(Protocol):
    """Bytes by key, shared between processes; a miss (or any failure) is ``None``.

    Implementations must be thread-safe and bounded in time: a slow cache must never be
    slower than compressing again. Values are stored for ``ttl_s`` seconds.

    Example::

        cache.set("k", b"v", ttl_s=86400)
        cache.get("k")   # b"v", or None
    """

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_s: int) -> None: ...
