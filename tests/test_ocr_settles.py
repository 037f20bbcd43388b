"""A timed-out OCR does not freeze a different answer: repeats settle on the unhurried result."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from images import data_url, text_page
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor
from headroom_middleware.ocr import RapidOcrEngine


class SlowEngine:
    """Reads every image as the same short text, slowly the first time."""

    def __init__(self) -> None:
        self.delay_s = 0.6
        self.calls = 0
        self.finished = threading.Event()

    def __call__(self, image: Image.Image) -> Sequence[tuple[object, ...]]:
        self.calls += 1
        time.sleep(self.delay_s)
        self.finished.set()
        return [([[40, 40], [600, 40], [600, 70], [40, 70]], "Quarterly revenue grew 12 percent", 0.97)]


@pytest.fixture
def slow() -> Iterator[tuple[SlowEngine, RapidOcrEngine]]:
    eng = SlowEngine()
    svc = RapidOcrEngine(engine=eng)
    yield eng, svc
    svc.close()


def test_repeats_after_a_timeout_settle_on_the_late_result(slow: tuple[SlowEngine, RapidOcrEngine]) -> None:
    slow_engine, ocr = slow
    msgs = [{"role": "user", "content": [
        {"type": "text", "text": "Transcribe the text in this image."},
        {"type": "image_url", "image_url": {"url": data_url(text_page(1400, 900))}},
    ]}]
    c = ImageCompressor(CompressionConfig(router="rules", ocr_timeout_s=0.1), ocr=ocr)
    first = c.compress_with_report(msgs, model="gpt-4o", force_technique="transcode")
    assert first.results[0].technique.value == "preserve"
    assert "OcrTimeoutError" in first.results[0].reason
    assert slow_engine.finished.wait(5)
    time.sleep(0.05)  # the late result lands in the OCR cache
    second = c.compress_with_report(msgs, model="gpt-4o", force_technique="transcode")
    third = c.compress_with_report(msgs, model="gpt-4o", force_technique="transcode")
    assert second.results[0].technique.value == "transcode"
    assert json.dumps(second.messages, sort_keys=True) == json.dumps(third.messages, sort_keys=True)
    assert "Quarterly revenue grew 12 percent" in json.dumps(second.messages)
    assert slow_engine.calls == 1  # the abandoned run was not repeated: its result was used
