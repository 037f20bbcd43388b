"""One request through the pipeline: find the image slots, serve repeats from the caches, decide the
rest one image at a time (each failure contained to its image), rebuild the messages."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import imaging
from ..cache import LRUCache
from ..errors import CompressionTimeoutError, HeadroomError, safe_message
from ..formats.base import Block
from ..formats.walk import ImageSlot, find_image_slots, replace_blocks
from ..targets import Target
from ..tokens.images import image_tokens
from ..types import CompressionConfig, CompressionReport, CompressionResult, Technique
from . import decide
from .output import Output, dump_output, load_output, passthrough, write_block
from .work import Work, block_detail, check_deadline

if TYPE_CHECKING:
    from ..protocols import OcrEngine, Router, SharedCache

logger = logging.getLogger("headroom_middleware")


class Pipeline:
    """Stateless apart from its cache; safe to share between threads.

    ``router`` None: the shipped router for ``config.router``, loaded on first use; ``ocr`` None:
    no OCR (crop without OCR, no transcode); ``shared_cache`` None: this process only.
    """

    def __init__(self, config: CompressionConfig, *, router: Router | None = None, ocr: OcrEngine | None = None,
                 shared_cache: SharedCache | None = None) -> None:
        self.config = config
        self._router = router
        self._ocr = ocr
        self._shared = shared_cache
        self._cache: LRUCache[str, Output] = LRUCache(config.cache_size)
        self._config_key = hashlib.sha256(config.cache_key().encode()).hexdigest()[:16]

    def router(self) -> Router:
        """The router (the shipped one is loaded on first use and shared by the process)."""
        if self._router is None:
            from ..router import get_router

            return get_router(self.config.router)
        return self._router

    def run(self, messages: Sequence[Any], target: Target, *, force: Technique | None = None,
            deadline: float | None = None) -> CompressionReport:
        """Compress the images of ``messages`` for ``target``; past ``deadline`` (``time.monotonic()``)
        the work stops with :class:`~headroom_middleware.errors.CompressionTimeoutError`."""
        t0 = time.perf_counter()
        force = force or self.config.force_technique
        slots = find_image_slots(messages, max_depth=self.config.max_nesting_depth,
                                 max_query_chars=self.config.max_query_chars)
        if not slots:
            return CompressionReport(messages=list(messages), provider=target.family, model=target.model)
        results: list[CompressionResult] = []
        replacements: dict[Any, Block] = {}
        for slot in slots:
            check_deadline(deadline)
            t1 = time.perf_counter()
            try:
                new_block, result = self._one(slot, target, force, deadline)
            except CompressionTimeoutError:
                raise  # the whole request goes out unchanged: stop here
            except Exception as exc:  # fail open: never let one image break the request
                logger.warning("headroom: image %d (%s) left unchanged after %s: %s", slot.index, slot.location,
                               exc.__class__.__name__, safe_message(exc))
                new_block, result = None, passthrough(slot, target, f"error: {exc.__class__.__name__}")
            if new_block is not None:
                replacements[slot.path] = new_block
            results.append(result.model_copy(update={"duration_ms": (time.perf_counter() - t1) * 1000}))
        out = replace_blocks(messages, replacements) if replacements else list(messages)
        return CompressionReport(messages=out, results=tuple(results), provider=target.family, model=target.model,
                                 duration_ms=(time.perf_counter() - t0) * 1000)

    def clear_cache(self) -> None:
        """Drop the in-process cache of outputs."""
        self._cache.clear()

    def _one(self, slot: ImageSlot, target: Target, force: Technique | None,
             deadline: float | None) -> tuple[Block | None, CompressionResult]:
        ref, config = slot.ref, self.config
        if ref.kind in ("url", "file"):
            return None, passthrough(slot, target, "remote image or file id: not fetched")
        if ref.kind == "bytes":
            assert ref.raw is not None
            raw = ref.raw
        else:
            assert ref.data is not None
            if len(ref.data) * 3 // 4 > config.max_image_bytes:
                return None, passthrough(slot, target, "image over max_image_bytes: passed through")
            try:
                raw = imaging.decode_base64(ref.data)
            except HeadroomError as exc:
                return None, passthrough(slot, target, f"invalid image: {exc}")
        if len(raw) > config.max_image_bytes:
            return None, passthrough(slot, target, "image over max_image_bytes: passed through", nbytes=len(raw))
        detail = block_detail(slot, target)
        # Looked up before probing: a repeated image (agent loops resend every screenshot) costs
        # one hash, not a header parse.
        key = "|".join([
            hashlib.sha256(raw).hexdigest(), target.key, str(detail), slot.format.name, self._config_key,
            str(force), str(slot.answered), hashlib.sha256(_utf8(slot.query)).hexdigest()[:16],
        ])
        cached = self._cache.get(key)
        if cached is None:
            shared_key = hashlib.sha256(_utf8(key)).hexdigest() if self._shared is not None else ""
            cached = self._shared_get(shared_key)
            if cached is None:
                cached = self._decide_and_apply(slot, target, force, raw, detail, deadline)
                if self._shared is not None and not cached.transient:
                    self._shared.set(shared_key, dump_output(cached), self.config.shared_cache_ttl_s)
            # An output shaped by a transient failure (an OCR timeout) is not kept: the next identical
            # request decides again and picks up the late OCR result from the OCR cache, so repeats
            # settle on the bytes an unhurried run gives instead of freezing the fallback.
            if not cached.transient:
                self._cache.put(key, cached)
        result = cached.result.model_copy(update={"index": slot.index, "location": slot.location})
        return write_block(slot, cached, target), result

    def _shared_get(self, shared_key: str) -> Output | None:
        if self._shared is None:
            return None
        data = self._shared.get(shared_key)
        if data is None:
            return None
        try:
            return load_output(data)
        except Exception as exc:  # authentic but unusable (another release, a bug): compress again
            reject = getattr(self._shared, "reject", None)  # SignedCache counts it; other caches may not
            if reject is not None:
                reject(f"unusable entry, {exc.__class__.__name__}")
            return None

    def _decide_and_apply(self, slot: ImageSlot, target: Target, force: Technique | None, raw: bytes,
                          detail: str | None, deadline: float | None) -> Output:
        try:
            info = imaging.probe(raw, max_pixels=self.config.max_image_pixels)
        except HeadroomError as exc:
            return Output("keep", result=passthrough(slot, target, f"invalid image: {exc}", nbytes=len(raw)))
        count = image_tokens(target.token_model, info.width, info.height, detail)
        if info.width * info.height > self.config.max_decode_pixels and not imaging.can_reduce_on_decode(info):
            # PNG & co. cannot be decoded at reduced size: a 311 KB flat 80 MP PNG would cost a gigabyte.
            return Output("keep", result=passthrough(
                slot, target, f"image over max_decode_pixels ({self.config.max_decode_pixels}): passed through",
                count.tokens, info.size, len(raw)))
        if info.marked:
            return Output("keep", result=passthrough(slot, target, "already compressed by headroom", count.tokens,
                                                     info.size, len(raw)))
        work = Work(slot, target, self.config, raw, info, detail, count.tokens, target.estimated or count.estimated,
                    count.rejected, ocr=self._ocr, deadline=deadline)
        try:
            return decide.process(work, force, self.router)
        except CompressionTimeoutError:
            raise
        except Exception as exc:  # fail open, but keep the accounting of the image as it is sent
            logger.warning("headroom: image %d (%s) left unchanged after %s: %s", slot.index, slot.location,
                           exc.__class__.__name__, safe_message(exc))
            return Output("keep", result=passthrough(slot, target, f"error: {exc.__class__.__name__}",
                                                     count.tokens, info.size, len(raw)), transient=True)


def _utf8(text: str) -> bytes:
    """UTF-8 for hashing any Python string: a lone surrogate (from JSON ``"\\ud800"``) must not fail
    the request, and distinct strings keep distinct bytes."""
    return text.encode("utf-8", "surrogatepass")
