"""Per-image state while deciding, and the helpers the techniques share."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import imaging
from ..errors import CompressionTimeoutError, OcrUnavailableError
from ..formats.walk import ImageSlot
from ..targets import Target
from ..tokens.images import (
    AnthropicModel,
    PatchModel,
    TileModel,
    anthropic_size,
    image_tokens,
    openai_patch_size,
    openai_tile_size,
)
from ..types import CompressionConfig, CompressionResult, Technique

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..protocols import OcrEngine

# Crop / routing work happens on a copy this large at most; boxes are scaled back.
ANALYSIS_EDGE = 1600


@dataclass
class Work:
    """Per-image state while deciding (decoded lazily)."""

    slot: ImageSlot
    target: Target
    config: CompressionConfig
    raw: bytes
    info: imaging.ImageInfo
    detail: str | None
    original_tokens: int | None
    estimated: bool = False
    rejected: bool = False  # the provider would refuse the image as it is
    ocr: OcrEngine | None = None
    deadline: float | None = None  # time.monotonic() past which the work stops
    # The size the likely output needs (preserve's, when routing): a JPEG is then decoded once at the
    # draft scale that serves it, and routing gets an integer reduction of that decode.
    output_hint: tuple[int, int] | None = None
    _small: Image | None = None
    _full: Image | None = None
    _large: Image | None = None  # a reduced-scale decode bigger than small(), kept to resize from
    _ocr: Any = None
    notes: list[str] = field(default_factory=list)
    transient: bool = False  # an OCR/engine failure shaped the decision (see Output.transient)
    # Chosen by the router (not forced): crop and transcode then also need a confident region / OCR.
    routed: bool = False

    def small(self) -> Image:
        """Decoded at ≥ 768 px on the long side (JPEG draft decoding), for routing and full_low."""
        if self._small is None:
            if self._full is not None:
                self._small = self._full
                return self._small
            size = imaging.fit_inside(self.info.width, self.info.height, 768)
            hint = self.output_hint
            if hint is not None and self.info.format == "JPEG" and hint[0] > size[0] and hint[1] > size[1]:
                large = self._keep(self.load(hint))
                factor = max(1, min(large.width // size[0], large.height // size[1]))
                self._small = large.reduce(factor) if factor > 1 else large
            else:
                self._small = self._keep(self.load(size))
        return self._small

    def full(self) -> Image:
        if self._full is None:
            self._full = self.load()
        return self._full

    def decoded_at_least(self, size: tuple[int, int]) -> Image | None:
        """A decode already made that covers ``size``, to resize from instead of decoding again."""
        for img in (self._full, self._large):
            if img is not None and img.width >= size[0] and img.height >= size[1]:
                return img
        return None

    def _keep(self, img: Image) -> Image:
        # A decode at full size (PNG & co. have no reduced decoding) also serves full().
        if img.size == self.info.size:
            self._full = img
        else:
            self._large = img
        return img

    def load(self, target_size: tuple[int, int] | None = None) -> Image:
        """Decode within the pixel budget (ImageTooLargeError above it, before decompressing)."""
        return imaging.load(self.raw, self.info, target_size=target_size, max_pixels=self.config.max_decode_pixels)

    def tokens_for(self, w: int, h: int, detail: str | None = None) -> int | None:
        return image_tokens(self.target.token_model, w, h, detail if detail is not None else self.detail).tokens

    @property
    def byte_limit(self) -> int | None:
        """The per-image byte limit of the target (``anthropic_max_image_bytes`` may lower Anthropic's)."""
        limit = self.target.max_image_bytes
        if self.target.family == "anthropic":
            limit = min(limit or self.config.anthropic_max_image_bytes, self.config.anthropic_max_image_bytes)
        return limit

    def check_deadline(self) -> None:
        """Stop here when the request's deadline has passed (called between stages)."""
        check_deadline(self.deadline)


def block_detail(slot: ImageSlot, target: Target) -> str | None:
    """The ``detail`` of the block as sent, when the target bills by it."""
    if target.uses_detail:
        return slot.ref.detail
    return None


def encode_image(work: Work, img: Image) -> tuple[str, str]:
    """Base64 and media type of ``img``, within the target's byte limit."""
    fmt = work.info.output_format
    data = imaging.encode(img, fmt, quality=work.config.jpeg_quality)
    limit = work.byte_limit
    if limit is not None and len(data) > limit and fmt == "PNG" and "A" not in img.mode:
        # A PNG photo over the provider's byte limit: JPEG keeps the pixels and fits.
        fmt = "JPEG"
        data = imaging.encode(img, fmt, quality=work.config.jpeg_quality)
    scale_img = img
    while limit is not None and len(data) > limit and min(scale_img.size) > 64:
        work.check_deadline()
        w, h = scale_img.size
        scale_img = imaging.resize(scale_img, (max(1, w * 4 // 5), max(1, h * 4 // 5)))
        data = imaging.encode(scale_img, fmt, quality=work.config.jpeg_quality)
    return imaging.encode_base64(data), imaging.media_type_for(fmt)


def provider_size(work: Work, w: int, h: int) -> tuple[int, int]:
    """The size the provider itself would resize this image to (pixels beyond are discarded)."""
    tm = work.target.token_model
    if isinstance(tm, AnthropicModel):
        return anthropic_size(w, h, tm.max_edge, tm.max_tokens)
    if isinstance(tm, TileModel):
        if work.detail == "low":
            return w, h
        return openai_tile_size(w, h)
    if isinstance(tm, PatchModel):
        edge, budget = tm.level(work.detail)
        rw, rh, _ = openai_patch_size(w, h, edge, budget)
        return rw, rh
    return w, h  # Gemini: the internal size is not documented


def analysis_image(work: Work) -> tuple[Image, float]:
    """An image ≤ ANALYSIS_EDGE px for crop/OCR, and the factor back to displayed pixels."""
    w, h = work.info.size
    if max(w, h) <= ANALYSIS_EDGE:
        return work.full(), 1.0
    size = imaging.fit_inside(w, h, ANALYSIS_EDGE)
    if max(work.small().size) >= ANALYSIS_EDGE:
        src = work.small()
    elif imaging.can_reduce_on_decode(work.info):
        src = work.load(size)  # a big JPEG: DCT-scaled decode, not the full pixel count
    else:
        src = work.full()
    return imaging.resize(src, size), w / size[0]


def ocr_once(work: Work, img: Image, max_chars: int | None = None) -> Any:
    """OCR of the image, run at most once per image (crop and transcode share it); boxes in ``img``'s pixels.

    The engine reads the full-resolution image (it tiles tall pages and bounds the pixels itself): text the
    analysis downscale would blur stays legible. ``img`` is the full image or a downscaled copy of it. The
    engine's time bound is ``config.ocr_timeout_s``, shortened to what is left of the request.
    ``max_chars``: the caller can use a prefix of the text once it holds more characters than this (the
    bundled engine then stops reading a long page early; see ``OcrResult.complete``); a later call without
    it reads the rest.
    """
    done = work._ocr
    if done is None or not (getattr(done, "complete", True) or max_chars is not None):
        if work.ocr is None:
            raise OcrUnavailableError("no OCR engine")
        work.check_deadline()
        timeout = work.config.ocr_timeout_s
        if work.deadline is not None:
            timeout = min(timeout, max(0.0, work.deadline - time.monotonic()))
        full = work.full()
        key = hashlib.sha256(work.raw).hexdigest() + f":{full.size[0]}x{full.size[1]}"
        from ..ocr.service import RapidOcrEngine

        if max_chars is not None and isinstance(work.ocr, RapidOcrEngine):  # other engines: OcrEngine protocol
            work._ocr = work.ocr.read(full, cache_key=key, timeout_s=timeout, max_chars=max_chars)
        else:
            work._ocr = work.ocr.read(full, cache_key=key, timeout_s=timeout)
    res = work._ocr
    fw, fh = work.full().size
    if img.size != (fw, fh):
        res = res.scaled(img.size[0] / fw, img.size[1] / fh)
    return res


def check_deadline(deadline: float | None) -> None:
    """Raise :class:`CompressionTimeoutError` once ``deadline`` (``time.monotonic()``) has passed."""
    if deadline is not None and time.monotonic() >= deadline:
        raise CompressionTimeoutError("compression stopped at its deadline")


def partial_result(work: Work, technique: Technique, tokens: int | None, size: tuple[int, int] | None, reason: str,
                   *, crop_box: tuple[int, int, int, int] | None = None, estimated: bool = False,
                   b64: str | None = None) -> CompressionResult:
    """The result of applying ``technique`` (routing fields are filled in by ``decide``)."""
    return CompressionResult(
        index=work.slot.index, location=work.slot.location, technique=technique,
        original_tokens=work.original_tokens, compressed_tokens=tokens,
        estimated=work.estimated or estimated, reason=reason,
        original_size=work.info.size, compressed_size=size, original_bytes=len(work.raw),
        compressed_bytes=(len(b64) * 3 // 4) if b64 else None, crop_box=crop_box, changed=True,
    )
