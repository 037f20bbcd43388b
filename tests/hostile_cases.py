"""Hostile inputs, generated (no files): each case builds a request and says what must hold.

Used by ``test_hostile.py``, which runs the cases in child processes with a memory cap
(``hostile_child.py``). Images are wrapped in every wire format the library reads, so one case
exercises OpenAI chat, OpenAI Responses, Anthropic, LangChain, Gemini and Bedrock blocks at once.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from images import encode, photo, text_page
from PIL import Image

Messages = list[Any]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], tuple[Messages, dict[str, Any]]]  # (messages, compress kwargs)
    expect_error: str | None = None  # name of the HeadroomError subclass the call must raise
    reason: str | None = None  # a substring every image result's reason must contain
    technique: str | None = None  # the technique every image must get
    group: str = "images"
    config: dict[str, Any] = field(default_factory=dict)


# -- image bytes ------------------------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def flat_png(width: int, height: int, channels: int = 4) -> bytes:
    """A PNG of zeros written row by row (a 10000x8000 RGBA one is 311 KB; never held decoded)."""
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + width * channels)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def many_page_tiff(pages: int) -> bytes:
    """A little-endian TIFF with ``pages`` 8x8 grey pages sharing one strip (100k pages ≈ 10 MB)."""
    header = b"II*\x00" + struct.pack("<I", 8 + 64)
    strip = bytes(range(64))
    ifd_size = 2 + 8 * 12 + 4
    out = [header, strip]
    for i in range(pages):
        offset = 8 + 64 + i * ifd_size
        nxt = offset + ifd_size if i + 1 < pages else 0
        entries = [(256, 3, 1, 8), (257, 3, 1, 8), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
                   (273, 4, 1, 8), (278, 3, 1, 8), (279, 4, 1, 64)]
        ifd = struct.pack("<H", len(entries)) + b"".join(
            struct.pack("<HHII", tag, typ, count, value) for tag, typ, count, value in entries)
        out.append(ifd + struct.pack("<I", nxt))
    return b"".join(out)


# The stored pixels for each EXIF orientation, so that the *displayed* page is upright.
_STORED = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def _exif_jpeg(orientation: int) -> bytes:
    img = text_page(900, 600, lines=["ORDER 4411", "Total due: 1,234.56 EUR", "Ship to: Dock 7"])
    if _STORED[orientation] is not None:
        img = img.transpose(_STORED[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(img, "JPEG", quality=85, exif=exif.tobytes())


def _animated(fmt: str) -> bytes:
    frames = [photo(320, 240, seed=s) for s in range(4)]
    buf = io.BytesIO()
    frames[0].save(buf, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def _palette_alpha() -> bytes:
    img = text_page(600, 400).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    return encode(img, "PNG", transparency=0)


def _sixteen_bit() -> bytes:
    import numpy as np

    arr = np.linspace(0, 65535, 640 * 480).astype("<u2")
    return encode(Image.frombytes("I;16", (640, 480), arr.tobytes()), "PNG")


def _cmyk() -> bytes:
    return encode(photo(800, 600, seed=3).convert("CMYK"), "JPEG", quality=80)


# -- requests -----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def every_format(data: bytes | str, mime: str, question: str) -> Messages:
    """One message per wire format, each with ``question`` and the image (raw bytes or base64 text)."""
    b64 = data if isinstance(data, str) else _b64(data)
    url = f"data:{mime};base64,{b64}"
    fmt = mime.split("/")[-1]
    text = {"type": "text", "text": question}
    return [
        {"role": "user", "content": [text, {"type": "image_url", "image_url": {"url": url, "detail": "auto"}}]},
        {"role": "user", "content": [{"type": "input_text", "text": question},
                                     {"type": "input_image", "image_url": url}]},
        {"role": "user", "content": [text, {"type": "image", "source": {"type": "base64", "media_type": mime,
                                                                         "data": b64}}]},
        {"role": "user", "content": [text, {"type": "image", "base64": b64, "mime_type": mime}]},
        {"role": "user", "parts": [{"text": question}, {"inlineData": {"mimeType": mime, "data": b64}}]},
        {"role": "user", "content": [{"text": question}, {"image": {"format": fmt, "source": {
            "bytes": data if isinstance(data, bytes) else b64}}}]},
    ]


def _image_case(name: str, make: Callable[[], bytes], mime: str = "image/png", question: str = "What is this?",
                **kw: Any) -> Case:
    call = {"model": kw.get("model", "gpt-4o"), **kw.get("call", {})}

    def build() -> tuple[Messages, dict[str, Any]]:
        return every_format(make(), mime, question), dict(call)

    return Case(name, build, reason=kw.get("reason"), technique=kw.get("technique"), config=kw.get("config", {}))


def _deep(levels: int, leaf: dict[str, Any], bedrock: bool = False) -> Messages:
    block = leaf
    for _ in range(levels):
        block = {"toolResult": {"content": [block]}} if bedrock else {"type": "tool_result", "content": [block]}
    return [{"role": "user", "content": [{"type": "text", "text": "Look at the tool output."}, block]}]


def _small_png() -> bytes:
    return encode(photo(640, 480, seed=5), "PNG")


def _urls() -> Messages:
    schemes = ["http://127.0.0.1:9/x.png", "https://example.invalid/a.jpg", "ftp://127.0.0.1/x.png",
               "file:///tmp/headroom-hostile-never-read.png", "gs://bucket/x.png", "s3://bucket/x.png",
               "javascript:alert(1)", "blob:https://x/1", "//127.0.0.1/x.png", "data:image/png,notbase64",
               "\\\\server\\share\\x.png"]
    content: list[Any] = [{"type": "text", "text": "What is in these?"}]
    for url in schemes:
        content += [{"type": "image_url", "image_url": {"url": url}}, {"type": "input_image", "image_url": url},
                    {"type": "image", "source": {"type": "url", "url": url}}, {"type": "image", "url": url}]
    return [{"role": "user", "content": content},
            {"role": "user", "parts": [{"fileData": {"mimeType": "image/png", "fileUri": schemes[0]}}]},
            {"role": "user", "content": [{"image": {"format": "png", "source": {"s3Location": {"uri": schemes[5]}}}}]}]


def _odd_base64() -> Messages:
    good = _b64(_small_png())
    wrapped = "\n".join(good[i:i + 76] for i in range(0, len(good), 76))
    payloads = [good[: len(good) // 2], good + "====", good[:-1], wrapped,
                good.replace("+", "-").replace("/", "_").rstrip("="), "@@@@", "", "AAAA", "\ud800" + good,
                "é" * 100, _b64(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), _b64(encode(photo(64, 48), "JPEG")[:300])]
    msgs: Messages = []
    for p in payloads:
        msgs += every_format(p, "image/png", "What is this?")
    return msgs


def _junk_structures() -> Messages:
    img = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + _b64(_small_png())}}
    return [None, "a bare string message", 42, {"role": "user"}, {"role": "user", "content": None},
            {"role": "user", "content": "plain text"}, {"role": None, "content": [None, "bare", 3, [img], {}]},
            {"role": "user", "content": [{"type": "unknown_block", "data": "x"}, {"type": "image_url"},
                                         {"type": "image_url", "image_url": None}, {"type": "image", "source": None},
                                         {"inlineData": None}, {"image": {"source": None}}, img]},
            {"role": "assistant", "content": [{"type": "tool_use", "input": {"nested": [img]}}]}]


def _surrogates() -> Messages:
    msgs = every_format(_small_png(), "image/png", "Describe \ud800 this \udfff picture")
    msgs.append({"role": "user", "content": [{"type": "text", "text": "\udcff" * 10}]})
    return msgs


def _wrong_mime() -> Messages:
    jpeg = encode(photo(1200, 900, seed=9), "JPEG", quality=85)
    return every_format(jpeg, "image/png", "What is this?") + every_format(_small_png(), "image/gif", "What?")


CASES: tuple[Case, ...] = (
    _image_case("flat_png_80mp", lambda: flat_png(10000, 8000), reason="max_decode_pixels"),
    _image_case("thin_strip_1x20000", lambda: flat_png(1, 20000, 3)),
    _image_case("thin_strip_20000x1", lambda: flat_png(20000, 1, 3)),
    _image_case("thin_strip_3x1600_transcribe", lambda: flat_png(3, 1600, 3),
                question="Transcribe all the text in this image."),
    _image_case("thin_strip_3x1600_forced_crop", lambda: flat_png(3, 1600, 3), question="What is the total?",
                call={"force_technique": "crop"}),
    _image_case("tiff_100k_pages", lambda: many_page_tiff(100_000), mime="image/tiff"),
    _image_case("animated_gif", lambda: _animated("GIF"), mime="image/gif"),
    _image_case("animated_png", lambda: _animated("PNG")),
    _image_case("animated_webp", lambda: _animated("WEBP"), mime="image/webp"),
    _image_case("png_16bit", _sixteen_bit),
    _image_case("jpeg_cmyk", _cmyk, mime="image/jpeg"),
    _image_case("png_palette_alpha", _palette_alpha),
    _image_case("png_truncated", lambda: encode(text_page(800, 600), "PNG")[:2000]),
    _image_case("jpeg_truncated", lambda: encode(photo(800, 600), "JPEG")[:3000], mime="image/jpeg"),
    *(_image_case(f"exif_orientation_{o}_crop", lambda o=o: _exif_jpeg(o), mime="image/jpeg",  # type: ignore[misc]
                  question="What is the total due?", call={"force_technique": "crop"}, technique="crop")
      for o in (1, 3, 6, 8)),
    Case("wrong_mime", lambda: (_wrong_mime(), {"model": "anthropic/claude-sonnet-4-5"})),
    Case("odd_base64", lambda: (_odd_base64(), {"model": "gpt-4o"})),
    Case("urls_of_every_scheme", lambda: (_urls(), {"model": "gpt-4o"}), reason="not fetched", group="requests"),
    Case("junk_structures", lambda: (_junk_structures(), {"model": "gemini/gemini-3-pro"}), group="requests"),
    Case("surrogates", lambda: (_surrogates(), {"model": "gpt-4o"}), group="requests"),
    Case("nested_1000_text_only", lambda: (_deep(1000, {"type": "text", "text": "deep"}), {"model": "gpt-4o"}),
         group="requests"),
    Case("nested_1000_image", lambda: (_deep(1000, {"type": "image_url", "image_url": {
        "url": "data:image/png;base64," + _b64(_small_png())}}), {"model": "gpt-4o"}), group="requests"),
    Case("nested_1000_bedrock", lambda: (_deep(1000, {"image": {"format": "png", "source": {
        "bytes": _small_png()}}}, bedrock=True), {"model": "bedrock/anthropic.claude-sonnet-4-5"}), group="requests"),
    Case("query_5mb", lambda: (every_format(_small_png(), "image/png", "What is the total? " * 260_000),
                               {"model": "gpt-4o"}), group="requests"),
    Case("model_not_a_string", lambda: (every_format(_small_png(), "image/png", "?"), {"model": 123}),
         expect_error="ConfigError", group="requests"),
    Case("provider_not_a_string", lambda: (every_format(_small_png(), "image/png", "?"),
                                           {"model": "gpt-4o", "provider": 5}), expect_error="ConfigError",
         group="requests"),
    Case("model_a_list", lambda: (every_format(_small_png(), "image/png", "?"), {"model": ["gpt-4o"]}),
         expect_error="ConfigError", group="requests"),
    Case("model_1mb", lambda: (every_format(_small_png(), "image/png", "?"), {"model": "gpt-4o" + "x" * 1_000_000}),
         expect_error="ConfigError", group="requests"),
    Case("technique_bogus", lambda: (every_format(_small_png(), "image/png", "?"),
                                     {"model": "gpt-4o", "force_technique": "bogus"}), expect_error="ConfigError",
         group="requests"),
    Case("technique_upper_case", lambda: (every_format(_small_png(), "image/png", "?"),
                                          {"model": "gpt-4o", "force_technique": " FULL_LOW "}), group="requests"),
    Case("messages_not_a_list", lambda: ("just a string", {"model": "gpt-4o"}),  # type: ignore[arg-type,return-value]
         expect_error="ConfigError", group="requests"),
)

BY_NAME = {c.name: c for c in CASES}
