"""The decision policy: the cheapest safe technique is sent; a routed crop needs a confident region and a
routed transcode an OCR that covers the text regions; otherwise the next safe choice, else preserve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from images import data_url, photo, text_page
from PIL import Image

from headroom_middleware import CompressionConfig, ImageCompressor, Technique
from headroom_middleware.ocr import OcrLine, OcrResult
from headroom_middleware.router import RouterDecision

P, F, C, T = Technique.PRESERVE, Technique.FULL_LOW, Technique.CROP, Technique.TRANSCODE


@dataclass
class _Region:
    box: tuple[int, int, int, int]
    reason: str
    confidence: float


class _Router:
    name = "fake"

    def __init__(self, p_right: dict[Technique, float]) -> None:
        self.p_right = p_right

    def decide(self, thumb: Image.Image, query: str, *, original_size: tuple[int, int]) -> RouterDecision:
        ceilings = {F: 0.1, C: 0.1, T: 0.1}
        return RouterDecision({t: 0.25 for t in Technique}, router="fake", p_right=self.p_right, max_risk=ceilings)


class _Ocr:
    """An injected OCR engine that reads one line covering ``fraction`` of the page's height from the top."""

    def __init__(self, text: str, fraction: float = 1.0) -> None:
        self.text = text
        self.fraction = fraction

    def read(self, image: Image.Image, *, cache_key: str | None = None, timeout_s: float | None = None) -> OcrResult:
        line = OcrLine(text=self.text, box=(0, 0, image.width, int(image.height * self.fraction)), confidence=0.99)
        return OcrResult(text=line.text, mean_confidence=0.99, lines=(line,), duration_ms=1.0)

    def close(self) -> None:
        pass


def _messages(img: Image.Image, query: str = "what is the total?") -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": query},
                                         {"type": "image_url", "image_url": {"url": data_url(img, "PNG")}}]}]


def _region(monkeypatch: pytest.MonkeyPatch, confidence: float) -> None:
    import headroom_middleware.crop as crop_mod

    def select(img: Image.Image, query: str, ocr: Any = None) -> _Region:
        return _Region((0, 0, img.width // 3, img.height // 4), "test", confidence)

    monkeypatch.setattr(crop_mod, "select_crop_region", select)


def test_cheapest_safe_technique_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    router = _Router({P: 1.0, F: 0.95, C: 0.95, T: 0.2})
    _region(monkeypatch, 0.9)
    r = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200)), model="gpt-4o").results[0]
    assert r.technique is F and r.routed_technique is F and r.confidence == pytest.approx(0.95)


@pytest.mark.parametrize("query", ["is this photo sharp enough to print?", "Ist das Foto verschwommen?",
                                   "这张照片清晰吗？"])
def test_image_quality_questions_keep_the_image(query: str) -> None:
    """The label rules settle it: sharpness, noise or print quality needs the pixels, whatever the router says."""
    router = _Router({P: 1.0, F: 0.99, C: 0.99, T: 0.99})
    r = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200), query),
                                                            model="gpt-4o").results[0]
    assert r.technique is P and r.routed_technique is P and "image quality" in r.reason
    # a forced technique is the caller's decision
    forced = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200), query), model="gpt-4o",
                                                                 force_technique="full_low").results[0]
    assert forced.technique is F


@pytest.mark.parametrize("query", ["", "  ?? ", "\U0001f440"])
def test_a_photo_sent_with_no_question_goes_full_low(query: str) -> None:
    """The label rules' convention: no question on a photograph asks for its gist, whatever the model says."""
    router = _Router({P: 1.0, F: 0.3, C: 0.1, T: 0.1})  # the model alone would keep it whole
    r = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200), query),
                                                            model="gpt-4o").results[0]
    assert r.technique is F and r.routed_technique is F and "photograph with no question" in r.reason
    # a question, a page of text, or a caller's own confidence floor: the model decides again
    asked = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200), "what breed is it?"),
                                                                model="gpt-4o").results[0]
    page = text_page(1200, 1600, lines=[f"line {i}: the supplier shall deliver the goods" for i in range(40)])
    unasked_page = ImageCompressor(router=router).compress_with_report(_messages(page, query),
                                                                       model="gpt-4o").results[0]
    floor = ImageCompressor(CompressionConfig(confidence_threshold=0.9), router=router).compress_with_report(
        _messages(photo(1600, 1200), query), model="gpt-4o").results[0]
    assert asked.technique is P and unasked_page.technique is P and floor.technique is P
    # a long strip is not judged: its 512-px view is too narrow for text to show (a tall page looked like a photo)
    strip = ImageCompressor(router=router).compress_with_report(_messages(photo(300, 3600), query),
                                                                model="gpt-4o").results[0]
    assert strip.technique is P


def test_print_too_dense_for_text_cells_is_not_a_photo() -> None:
    """At 512 px a photographed dictionary page reads as texture: its edge density gives it away."""
    from headroom_middleware.router.image_features import IMAGE_FEATURES, image_features, looks_like_photo

    view = photo(1600, 1200)
    view.thumbnail((512, 512))
    v = image_features(view, (1600, 1200))
    assert looks_like_photo(v)
    v[IMAGE_FEATURES.index("edge_density")] = 0.52
    assert not looks_like_photo(v)


def test_unsafe_downgrades_are_not_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    router = _Router({P: 1.0, F: 0.85, C: 0.95, T: 0.2})  # full_low risk 0.15 > its ceiling 0.1
    _region(monkeypatch, 0.9)
    r = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200)), model="gpt-4o").results[0]
    assert r.technique is C and r.routed_technique is C and r.crop_box is not None


def test_routed_crop_needs_a_confident_region(monkeypatch: pytest.MonkeyPatch) -> None:
    router = _Router({P: 1.0, F: 0.1, C: 0.95, T: 0.1})
    _region(monkeypatch, 0.2)
    r = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200)), model="gpt-4o").results[0]
    assert r.technique is P and "region confidence 0.20" in r.reason
    # forced by the caller: the localiser's doubt does not veto it
    forced = ImageCompressor(router=router).compress_with_report(_messages(photo(1600, 1200)), model="gpt-4o",
                                                    force_technique="crop").results[0]
    assert forced.technique is C
    # a localiser that does not rate its regions is not trusted for routed crops
    import headroom_middleware.crop as crop_mod

    @dataclass
    class _Unrated:
        box: tuple[int, int, int, int]
        reason: str

    monkeypatch.setattr(crop_mod, "select_crop_region", lambda img, query, ocr=None: _Unrated((0, 0, 200, 200), "x"))
    r = ImageCompressor(CompressionConfig(cache_size=0), router=router).compress_with_report(
        _messages(photo(1600, 1200)), model="gpt-4o").results[0]
    assert r.technique is P and "region confidence unrated" in r.reason


def test_a_long_page_whose_text_outweighs_it_is_not_read_to_the_end() -> None:
    """A transcode must cost less than the image: once the tiles read hold more text than that, OCR stops."""
    from headroom_middleware.ocr import RapidOcrEngine

    calls: list[tuple[int, int]] = []

    def engine(image: Image.Image) -> list[tuple[object, ...]]:  # 60 lines of prose per 2000-px tile
        calls.append(image.size)
        return [([[20, y], [980, y], [980, y + 24], [20, y + 24]],
                 f"line {y}: the supplier shall deliver the goods in full and on time to the buyer", 0.95)
                for y in range(100, image.height - 100, 30)][:60]

    router = _Router({P: 1.0, F: 0.1, C: 0.1, T: 0.95})
    page = text_page(1000, 9000, lines=[f"line {i}: the supplier shall deliver the goods" for i in range(200)])
    ocr = RapidOcrEngine(engine=engine)
    try:
        r = ImageCompressor(router=router, ocr=ocr).compress_with_report(_messages(page, "summarise"),
                                                                         model="gpt-4o").results[0]
    finally:
        ocr.close()
    assert r.technique is P and "page read in part" in r.reason
    assert len(calls) == 1  # of the page's five tiles


def test_routed_transcode_needs_ocr_coverage() -> None:
    router = _Router({P: 1.0, F: 0.1, C: 0.1, T: 0.95})
    page = text_page(1200, 1600, lines=[f"line {i}: the supplier shall deliver the goods on time" for i in range(40)])
    # confident text, but only for the top tenth of the page
    half_read = _Ocr("line 0: the supplier shall deliver", fraction=0.1)
    r = ImageCompressor(router=router, ocr=half_read).compress_with_report(
        _messages(page, "summarise this"), model="gpt-4o").results[0]
    assert r.technique is P and "OCR read" in r.reason

    r = ImageCompressor(CompressionConfig(cache_size=0), router=router, ocr=_Ocr("all of it")).compress_with_report(
        _messages(page, "summarise this"), model="gpt-4o").results[0]
    assert r.technique is T


def test_crop_and_transcode_both_safe_sends_the_cheaper(monkeypatch: pytest.MonkeyPatch) -> None:
    router = _Router({P: 1.0, F: 0.1, C: 0.95, T: 0.95})
    _region(monkeypatch, 0.9)
    page = text_page(1200, 1600, lines=["Total: 42.00 EUR"])
    r = ImageCompressor(router=router, ocr=_Ocr("Total: 42.00 EUR")).compress_with_report(
        _messages(page), model="gpt-4o").results[0]
    assert r.technique is T  # a dozen text tokens against a crop of several hundred
