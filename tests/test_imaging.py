"""Bad and odd input: typed errors from imaging, and fail-open in the pipeline."""

from __future__ import annotations

import base64
import copy
import io
import logging

import numpy as np
import pytest
from images import b64, encode, photo, text_page
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor, Technique, imaging
from headroom_middleware.errors import ImageDecodeError, ImageTooLargeError


def _req(b64data: str, mime: str = "image/png") -> list:
    return [{"role": "user", "content": [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{b64data}"}}]}]


@pytest.fixture(scope="module")
def compressor() -> ImageCompressor:
    return ImageCompressor(CompressionConfig(router="rules"))


def test_decode_base64_variants() -> None:
    raw = b"\x89PNG\r\n\x1a\n1234"
    std = base64.b64encode(raw).decode()
    assert imaging.decode_base64(std) == raw
    assert imaging.decode_base64(std.rstrip("=")) == raw  # missing padding
    assert imaging.decode_base64("\n".join([std[:8], std[8:]])) == raw  # line breaks
    assert imaging.decode_base64(base64.urlsafe_b64encode(raw).decode()) == raw
    with pytest.raises(ImageDecodeError):
        imaging.decode_base64("not base64 at all!!")


def test_parse_data_url() -> None:
    assert imaging.parse_data_url("data:image/png;base64,AAAA") == ("image/png", "AAAA")
    assert imaging.parse_data_url("data:image/png;name=x.png;base64,AAAA") == ("image/png", "AAAA")
    assert imaging.parse_data_url("https://x/y.png") is None
    assert imaging.parse_data_url("data:text/plain,hello") is None


@pytest.mark.parametrize("payload", ["!!!!", "aGVsbG8gd29ybGQ=", b64(photo(300, 200))[:200]])
def test_invalid_or_truncated_image_fails_open(compressor: ImageCompressor, payload: str, caplog) -> None:
    messages = _req(payload)
    before = copy.deepcopy(messages)
    with caplog.at_level(logging.WARNING):
        report = compressor.compress_with_report(messages, model="gpt-4o", force_technique="full_low")
    assert messages == before
    assert payload[:50] not in caplog.text  # never log image data
    if len(payload) > 100:
        # a valid header with a truncated body: only the detail flag may change (no decode needed)
        assert report.messages[0]["content"][1]["image_url"]["url"] == before[0]["content"][1]["image_url"]["url"]
        return
    assert report.messages == before
    assert report.results[0].technique == Technique.PRESERVE
    assert report.results[0].reason.startswith(("invalid image", "error"))


def test_truncated_jpeg_body_fails_open(compressor: ImageCompressor) -> None:
    data = encode(photo(1600, 1200), "JPEG", quality=90)
    messages = _req(base64.b64encode(data[: len(data) // 2]).decode(), "image/jpeg")
    report = compressor.compress_with_report(messages, model="anthropic/claude-sonnet-4-5", force_technique="full_low")
    # Pillow may decode a truncated JPEG partially or refuse it; either way nothing raises
    assert len(report.results) == 1


def test_decompression_bomb_is_refused_before_decode() -> None:
    img = Image.new("1", (20000, 20000))  # 400 MP, a few KB as PNG
    data = encode(img, "PNG")
    with pytest.raises(ImageTooLargeError):
        imaging.probe(data, max_pixels=80_000_000)


def test_bomb_in_request_passes_through(compressor: ImageCompressor) -> None:
    data = encode(Image.new("1", (20000, 20000)), "PNG")
    messages = _req(base64.b64encode(data).decode())
    report = compressor.compress_with_report(messages, model="gpt-4o", force_technique="full_low")
    assert report.messages == messages
    assert "pixel limit" in report.results[0].reason


def test_exif_rotation_is_applied() -> None:
    img = photo(1200, 800)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° CW on display
    data = encode(img, "JPEG", quality=90, exif=exif.tobytes())
    info = imaging.probe(data)
    assert info.size == (800, 1200) and info.orientation == 6
    loaded = imaging.load(data, info, target_size=(400, 600))
    assert loaded.size[0] < loaded.size[1]


def test_exif_rotated_full_low_keeps_display_orientation(compressor: ImageCompressor) -> None:
    exif = Image.Exif()
    exif[0x0112] = 8
    data = encode(photo(2000, 1000), "JPEG", quality=90, exif=exif.tobytes())
    out = compressor.compress(_req(base64.b64encode(data).decode(), "image/jpeg"),
                              model="anthropic/claude-sonnet-4-5", force_technique="full_low")
    sent = Image.open(io.BytesIO(base64.b64decode(out[0]["content"][1]["image_url"]["url"].split(",")[1])))
    assert sent.size == (256, 512)
    assert 0x0112 not in sent.getexif()  # orientation baked in, not applied twice


@pytest.mark.parametrize("mode", ["CMYK", "I;16", "P+alpha", "LA", "1", "animated", "RGBA"])
def test_odd_modes(compressor: ImageCompressor, mode: str) -> None:
    base = photo(1600, 1200)
    if mode == "CMYK":
        data, fmt = encode(base.convert("CMYK"), "JPEG", quality=90), "image/jpeg"
    elif mode == "I;16":
        arr = (np.asarray(base.convert("L"), dtype=np.uint16) * 257)
        data, fmt = encode(Image.fromarray(arr), "PNG"), "image/png"
    elif mode == "P+alpha":
        p = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
        p.info["transparency"] = 0
        data, fmt = encode(p, "PNG", transparency=0), "image/png"
    elif mode == "animated":
        frames = [base.resize((800, 600)), photo(800, 600, seed=3)]
        buf = io.BytesIO()
        frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
        data, fmt = buf.getvalue(), "image/gif"
    else:
        data, fmt = encode(base.convert(mode), "PNG"), "image/png"
    report = compressor.compress_with_report(_req(base64.b64encode(data).decode(), fmt),
                                             model="anthropic/claude-sonnet-4-5", force_technique="full_low")
    r = report.results[0]
    assert r.technique == Technique.FULL_LOW, r.reason
    url = report.messages[0]["content"][1]["image_url"]["url"]
    sent = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert sent.format in ("PNG", "JPEG") and getattr(sent, "n_frames", 1) == 1
    assert sent.mode in ("RGB", "RGBA", "L", "LA")
    if mode == "I;16":  # scaled, not clipped to white
        assert 40 < np.asarray(sent.convert("L")).mean() < 215


def test_png_text_page_stays_png(compressor: ImageCompressor) -> None:
    out = compressor.compress(_req(b64(text_page(1600, 1000))), model="anthropic/claude-sonnet-4-5",
                              force_technique="full_low")
    assert out[0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_oversized_image_is_brought_under_anthropic_limit(compressor: ImageCompressor) -> None:
    rng = np.random.default_rng(1)
    noisy = Image.fromarray((rng.random((2000, 2600, 3)) * 255).astype("uint8"))  # ~15 MB PNG
    data = encode(noisy, "PNG", compress_level=1)
    assert len(data) > 5 * 1024 * 1024
    report = compressor.compress_with_report(_req(base64.b64encode(data).decode()),
                                             model="bedrock/anthropic.claude-sonnet-4-5-v1:0",
                                             force_technique="preserve")
    url = report.messages[0]["content"][1]["image_url"]["url"]
    assert len(base64.b64decode(url.split(",", 1)[1])) <= 5 * 1024 * 1024
