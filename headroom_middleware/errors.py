"""Typed errors raised by headroom-middleware.

Every error the library raises derives from :class:`HeadroomError`, so a host application
can catch one type. The compression pipeline itself never lets these escape a request: it
records them in ``CompressionResult.reason`` and sends the image unchanged (fail open).

Example::

    from headroom_middleware.errors import HeadroomError, ImageDecodeError
    try:
        decode_image(data)
    except ImageDecodeError as exc:
        print("not an image:", exc)
"""

from __future__ import annotations


class HeadroomError(Exception):
    """Base class of every error raised by headroom-middleware."""


class ConfigError(HeadroomError, ValueError):
    """A configuration value or argument is invalid (unknown provider, bad threshold, ...)."""


class ImageError(HeadroomError):
    """An image could not be used."""


class ImageDecodeError(ImageError):
    """The bytes are not a decodable image (invalid or truncated base64, corrupt data)."""


class ImageTooLargeError(ImageError):
    """The image exceeds the configured byte or pixel limits (decompression-bomb guard)."""


class UnsupportedImageError(ImageError):
    """The image format is not one the providers accept and cannot be converted safely."""


class OcrError(HeadroomError):
    """OCR failed."""


class OcrUnavailableError(OcrError):
    """No OCR engine is installed (``pip install 'headroom-middleware[ocr]'``)."""


class OcrTimeoutError(OcrError):
    """OCR did not finish within the configured time bound."""


class CompressionTimeoutError(HeadroomError, TimeoutError):
    """Compression did not finish within its time bound; the work stopped and the request goes out
    unchanged (see ``ImageCompressor.compress_with_report(timeout_s=...)``)."""


class RouterUnavailableError(HeadroomError):
    """The ML router cannot be loaded (onnxruntime or the model file is missing)."""


def safe_message(exc: BaseException, limit: int = 200) -> str:
    """Exception text for logs: one line, bounded, so an exception that quotes its input cannot put
    image data or OCR text in the logs.

    Example::

        logger.warning("headroom: image left unchanged after %s: %s", type(exc).__name__, safe_message(exc))
    """
    text = str(exc).replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"
