"""Safe image decoding, resizing and deterministic encoding.

Pure functions of (bytes or image, parameters), in the spirit of Pillow's ``ImageOps``.
Limits are checked from the header before any full decode; EXIF orientation is applied; odd
modes (CMYK, 16-bit, palette with transparency, animated) are normalised.

Output bytes are deterministic (fixed encoder settings, no timestamps, metadata stripped) and
carry a small marker so a second pass recognises its own output (idempotence across LiteLLM
retries and fallbacks).

Example::

    from headroom_middleware import imaging
    info = imaging.probe(data)                         # header only
    img = imaging.load(data, info, target_size=(512, 384))
    out = imaging.encode(imaging.resize(img, (512, 384)), info.output_format)
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import re
from dataclasses import dataclass

from PIL import Image, ImageOps, PngImagePlugin

from .errors import ImageDecodeError, ImageTooLargeError, UnsupportedImageError

MARKER_KEY = "headroom"
MARKER_VALUE = "v1"
_JPEG_MARKER = f"{MARKER_KEY}:{MARKER_VALUE}".encode()

# Formats providers accept as-is (OpenAI, Anthropic, Gemini: JPEG, PNG, WEBP, non-animated GIF).
_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+/-]*)?(?P<params>(;[\w.+-]+=[\w.+-]+)*)(?P<b64>;base64)?,",
                       re.IGNORECASE)
# EXIF orientations that swap width and height
_SWAPS_AXES = {5, 6, 7, 8}


@dataclass(frozen=True)
class ImageInfo:
    """What the header says, with sizes as displayed (after EXIF rotation)."""

    format: str
    width: int
    height: int
    mode: str
    orientation: int
    animated: bool  # more than one frame/page; only the first is ever decoded
    marked: bool  # produced by headroom-middleware

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES.get(self.format, "image/png")

    @property
    def output_format(self) -> str:
        """Format to re-encode to: JPEG stays JPEG, photos in WEBP become JPEG, the rest PNG."""
        if self.format == "JPEG":
            return "JPEG"
        if self.format == "WEBP" and "A" not in self.mode and self.mode not in ("P", "PA"):
            return "JPEG"
        return "PNG"


def parse_data_url(url: str) -> tuple[str, str] | None:
    """``data:image/png;base64,AAAA`` → ("image/png", "AAAA"); None when not a base64 data URL."""
    m = _DATA_URL.match(url)
    if not m or not m.group("b64"):
        return None
    return (m.group("mime") or "application/octet-stream").lower(), url[m.end():]


def decode_base64(payload: str | bytes) -> bytes:
    """Decode standard or URL-safe base64, tolerating whitespace and missing padding.

    Raises :class:`ImageDecodeError` on anything else (never ``binascii.Error``).
    """
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ImageDecodeError("base64 payload is not ASCII") from exc
    s = "".join(payload.split())
    if "-" in s or "_" in s:
        s = s.replace("-", "+").replace("_", "/")
    s += "=" * (-len(s) % 4)
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageDecodeError("invalid base64 image data") from exc


def encode_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _open(data: bytes) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError("image exceeds the pixel limit (decompression-bomb guard)") from exc
    except Exception as exc:  # PIL raises many types for garbage input
        raise ImageDecodeError(f"not a decodable image ({exc.__class__.__name__})") from exc
    return img


def probe(data: bytes, *, max_pixels: int = 80_000_000) -> ImageInfo:
    """Read format, size, mode and orientation from the header, without decoding pixels."""
    img = _open(data)
    w, h = img.size
    if w < 1 or h < 1:
        raise ImageDecodeError("image has no pixels")
    if w * h > max_pixels:
        raise ImageTooLargeError(f"{w}x{h} exceeds the pixel limit ({max_pixels})")
    fmt = (img.format or "").upper()
    if fmt not in ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"):
        raise UnsupportedImageError(f"unsupported image format {fmt or 'unknown'}")
    if fmt == "MPO":  # multi-picture JPEG from phones: first frame is a plain JPEG
        fmt = "JPEG"
    orientation = 1
    # getexif() on a PNG without an eXIf chunk before its pixels makes Pillow decode the whole
    # image (~13 ms at 1400x900): only ask where EXIF can live in the header.
    if fmt in ("JPEG", "WEBP", "TIFF") or "exif" in img.info:
        try:
            orientation = int(img.getexif().get(0x0112, 1) or 1)
        except Exception:  # broken EXIF must not make the image unusable
            orientation = 1
    if orientation in _SWAPS_AXES:
        w, h = h, w
    marked = img.info.get(MARKER_KEY) == MARKER_VALUE or img.info.get("comment") == _JPEG_MARKER
    # ``is_animated``, not ``n_frames``: counting the pages of a TIFF (or the frames of a GIF) walks
    # the whole file, 286 s for 100k pages; only the first frame is ever used.
    animated = bool(getattr(img, "is_animated", False))
    return ImageInfo(fmt, w, h, img.mode, orientation, animated, marked)


def _normalise_mode(img: Image.Image) -> Image.Image:
    """Bring any mode to one of RGB, RGBA, L, LA without losing meaning."""
    mode = img.mode
    if mode in ("RGB", "RGBA", "L", "LA"):
        return img
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16/32-bit greyscale: scale to 8 bits instead of clipping everything above 255 to white.
        import numpy as np

        arr = np.asarray(img, dtype=np.uint32 if mode == "I" else np.uint16)
        top = int(arr.max()) if arr.size else 0
        shift = max(0, top.bit_length() - 8)
        return Image.fromarray((arr >> shift).astype(np.uint8), "L")
    if mode == "F":
        return img.convert("L")
    if mode in ("P", "PA"):
        has_alpha = "transparency" in img.info or mode == "PA"
        return img.convert("RGBA" if has_alpha else "RGB")
    if mode == "1":
        return img.convert("L")
    if mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        return img.convert("RGB")
    if mode in ("RGBa", "La"):
        return img.convert("RGBA")
    return img.convert("RGBA" if "A" in mode else "RGB")


def can_reduce_on_decode(info: ImageInfo) -> bool:
    """Whether :func:`load` can decode this image at a fraction of its size (JPEG DCT scaling)."""
    return info.format == "JPEG"


def load(data: bytes, info: ImageInfo, *, target_size: tuple[int, int] | None = None,
         max_pixels: int | None = None) -> Image.Image:
    """Decode the first frame to a normalised image in display orientation.

    With ``target_size`` (displayed orientation), JPEGs are decoded at the smallest DCT scale
    that still covers it (``Image.draft``), which is several times faster for big photos.
    ``draft`` only reduces when the requested size fits the scaled image in both dimensions,
    so the aspect-correct size is passed, not a square box.

    ``max_pixels`` bounds the pixels actually decoded (after any DCT scaling): above it
    :class:`ImageTooLargeError` is raised before a single pixel is decompressed.
    """
    img = _open(data)
    try:
        # Image.open already sits on the first frame/page: no seek (seeking can walk the file).
        if target_size and can_reduce_on_decode(info):
            tw, th = target_size
            if info.orientation in _SWAPS_AXES:
                tw, th = th, tw
            img.draft(img.mode if img.mode != "CMYK" else "RGB", (max(1, tw), max(1, th)))
        if max_pixels is not None and img.size[0] * img.size[1] > max_pixels:
            raise ImageTooLargeError(
                f"decoding {img.size[0]}x{img.size[1]} exceeds the decode budget ({max_pixels} pixels)")
        img.load()
    except ImageTooLargeError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError("image exceeds the pixel limit (decompression-bomb guard)") from exc
    except Exception as exc:
        raise ImageDecodeError(f"image data is corrupt or truncated ({exc.__class__.__name__})") from exc
    if info.orientation != 1:
        with contextlib.suppress(Exception):  # a broken EXIF keeps the stored orientation
            img = ImageOps.exif_transpose(img)
    return _normalise_mode(img)


def resize(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Resize to ``size`` (never called to enlarge); LANCZOS keeps small text legible."""
    if img.size == size:
        return img
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def crop(img: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    return img.crop(box)


def make_thumbnail(img: Image.Image, max_side: int = 256) -> Image.Image:
    """An RGB thumbnail whose long side is at most ``max_side`` (for the router)."""
    w, h = img.size
    scale = max_side / max(w, h)
    thumb = img
    if scale < 1:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        # reduce() by an integer factor first: much faster than a full-quality resample
        factor = int(1 / scale) // 2
        if factor >= 2:
            thumb = thumb.reduce(factor)
        thumb = thumb.resize(size, Image.Resampling.BILINEAR)
    if thumb.mode != "RGB":
        if "A" in thumb.mode:
            bg = Image.new("RGB", thumb.size, (255, 255, 255))
            bg.paste(thumb.convert("RGBA"), mask=thumb.convert("RGBA").getchannel("A"))
            thumb = bg
        else:
            thumb = thumb.convert("RGB")
    return thumb


def encode(img: Image.Image, fmt: str, *, quality: int = 85) -> bytes:
    """Encode deterministically with the headroom marker; JPEG drops alpha onto white."""
    buf = io.BytesIO()
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L"):
            rgba = img.convert("RGBA")
            bg = Image.new("RGB", img.size, (255, 255, 255))
            bg.paste(rgba, mask=rgba.getchannel("A"))
            img = bg
        img.save(buf, "JPEG", quality=quality, subsampling=2, optimize=False, progressive=False,
                 comment=_JPEG_MARKER)
    else:
        meta = PngImagePlugin.PngInfo()
        meta.add_text(MARKER_KEY, MARKER_VALUE)
        img.save(buf, "PNG", compress_level=6, pnginfo=meta)
    return buf.getvalue()


def media_type_for(fmt: str) -> str:
    return _MEDIA_TYPES.get(fmt, "image/png")


def fit_inside(w: int, h: int, max_edge: int) -> tuple[int, int]:
    """Largest size with the same aspect whose long edge is ≤ ``max_edge`` (never enlarges)."""
    longest = max(w, h)
    if longest <= max_edge:
        return w, h
    return max(1, round(w * max_edge / longest)), max(1, round(h * max_edge / longest))
