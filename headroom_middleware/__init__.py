"""headroom-middleware: cut the token cost of images in LLM requests.

For each image and the question asked about it, a small router picks ``preserve``,
``full_low``, ``crop`` or ``transcode`` (OCR), applied the way the *target model* bills images,
with exact per-provider token counts.

Example::

    from headroom_middleware import ImageCompressor

    compressor = ImageCompressor()
    out = compressor.compress(messages, model="anthropic/claude-sonnet-4-5")   # new list
    print(compressor.last_result.technique, f"{compressor.last_savings:.0f}% saved")

Importing this package is cheap: everything is loaded on first use (PEP 562).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS = {
    "ImageCompressor": "compressor",
    "compress_images": "compressor",
    "has_images": "compressor",
    "Technique": "types",
    "CompressionResult": "types",
    "CompressionReport": "types",
    "CompressionConfig": "types",
    "count_image_tokens": "targets",
    "HeadroomError": "errors",
}

__all__ = [
    "CompressionConfig",
    "CompressionReport",
    "CompressionResult",
    "HeadroomError",
    "ImageCompressor",
    "Technique",
    "__version__",
    "compress_images",
    "count_image_tokens",
    "has_images",
]

if TYPE_CHECKING:
    from .compressor import ImageCompressor, compress_images, has_images
    from .errors import HeadroomError
    from .targets import count_image_tokens
    from .types import CompressionConfig, CompressionReport, CompressionResult, Technique


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'headroom_middleware' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
