"""Crop localisation on real images (tests/data/crop_ref), block layout, token-grid growth, confidence."""

from __future__ import annotations

import json
from typing import Any

import pytest
from crop_ref import COVERED, OCR_CACHE, REF_DIR, cached_ocr, evaluate, load_questions
from images import data_url, text_page
from PIL import Image, ImageDraw

from headroom_middleware import CompressionConfig, ImageCompressor, Technique
from headroom_middleware.crop import select_crop_region
from headroom_middleware.crop.geometry import fit_crop, grow_to_grid
from headroom_middleware.crop.layout import containers, legend_lines, text_blocks
from headroom_middleware.ocr import OcrLine

# Measured with the committed OCR lines (benchmarks/crop.py prints the full report). A floor a little
# under the measurement: the test fails when a change makes localisation worse.
MIN_COVERED_RATE = 0.60


def test_reference_set_is_real_and_documented() -> None:
    questions = load_questions()
    images = {q.image for q in questions}
    assert len(questions) >= 40 and len(images) >= 15
    sources = json.loads((REF_DIR / "SOURCES.json").read_text(encoding="utf-8"))
    ocr = json.loads(OCR_CACHE.read_text(encoding="utf-8"))
    for name in images:
        assert "licen" in sources[name].lower() or "BSD" in sources[name] or "MIT" in sources[name], name
        assert name in ocr
        with Image.open(REF_DIR / name) as im:
            for q in (q for q in questions if q.image == name):
                x0, y0, x1, y1 = q.box
                assert 0 <= x0 < x1 <= im.width and 0 <= y0 < y1 <= im.height, q
    # Real questions name things by content: position words are the minority.
    from headroom_middleware.crop import parse_spatial

    with_position = [q for q in questions if parse_spatial(q.question) - {"legend", "title"}]
    assert len(with_position) < len(questions) / 3


def test_crops_cover_the_asked_region_on_real_images() -> None:
    report = evaluate(load_questions())
    covered = report.rate("covered")
    assert covered >= MIN_COVERED_RATE, report.summary()
    for row in report.rows:
        assert 0.0 <= row.confidence <= 1.0
        assert row.status == "no-crop" or row.saving > 0, row  # a crop never costs more than the image


def test_confident_crops_are_mostly_right() -> None:
    rows = [r for r in evaluate(load_questions()).rows if r.confidence >= 0.75]
    assert rows
    assert sum(r.coverage >= COVERED for r in rows) / len(rows) >= 0.7


def test_legend_is_found_on_a_real_chart() -> None:
    img = Image.open(REF_DIR / "chart_iris.png").convert("RGB")
    ocr = cached_ocr("chart_iris.png")
    idx = legend_lines(img, ocr.lines)
    assert sorted(ocr.lines[i].text.strip().lower() for i in idx) == ["setosa", "versicolor", "virginica"]
    region = select_crop_region(img, "Which species does the legend list?", ocr=ocr)
    assert region is not None and region.confidence >= 0.75 and "legend" in region.reason


def test_code_block_is_one_container() -> None:
    img = Image.new("RGB", (800, 600), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((100, 200, 700, 400), fill=(246, 247, 246))
    for k in range(6):
        d.text((120, 220 + 28 * k), f"let x{k} = {k};", fill=(30, 30, 30))
    boxes = containers(img)
    assert boxes and abs(boxes[0][0] - 100) <= 3 and abs(boxes[0][3] - 401) <= 3


def test_text_blocks_split_at_whitespace() -> None:
    lines = [OcrLine("Heading", (10, 6, 200, 40), 0.9), OcrLine("para one line one", (10, 50, 400, 70), 0.9),
             OcrLine("para one line two", (10, 74, 380, 94), 0.9),
             OcrLine("second paragraph", (10, 160, 300, 180), 0.9)]
    blocks = sorted(text_blocks(lines))
    assert [1, 2] in blocks and [3] in blocks


def test_grow_to_grid_adds_only_free_context() -> None:
    def cost(w: int, h: int) -> int:
        return -(-w // 28) * -(-h // 28)

    box = (300, 200, 341, 255)
    grown = grow_to_grid(box, (1000, 800), cost)
    assert grown[0] <= box[0] and grown[1] <= box[1] and grown[2] >= box[2] and grown[3] >= box[3]
    assert cost(grown[2] - grown[0], grown[3] - grown[1]) == cost(41, 55)
    assert grow_to_grid((0, 0, 1000, 800), (1000, 800), cost) == (0, 0, 1000, 800)


def test_fit_crop_never_costs_as_much_as_the_whole_page() -> None:
    """gpt-4o shrinks a tall page to 768 px wide; a full-width strip of it is billed at its own width."""
    from headroom_middleware.targets import resolve_target
    from headroom_middleware.tokens.images import image_tokens, openai_tile_size

    spec = resolve_target(model="openai/gpt-4o").token_model

    def cost(w: int, h: int) -> int:
        t = image_tokens(spec, w, h, "high").tokens
        assert t is not None
        return t

    page = (1656, 2339)
    full = cost(*page)
    strip = (96, 192, 1329, 933)  # a block of text: as many tiles as the page at its own scale
    assert cost(strip[2] - strip[0], strip[3] - strip[1]) >= full
    min_scale = openai_tile_size(*page)[0] / page[0]
    fitted = fit_crop(strip, page, cost, full, min_scale)
    assert fitted is not None
    box, size = fitted
    assert box[0] <= strip[0] and box[1] <= strip[1] and box[2] >= strip[2] and box[3] >= strip[3]
    assert cost(*size) < full
    # Never below the page's own billed scale: the crop shows at least the pixels the page would have.
    assert size[0] / (box[2] - box[0]) >= min_scale - 0.01
    # The whole page cannot be made cheaper than itself.
    assert fit_crop((0, 0, *page), page, cost, full, min_scale) is None


def _crop_request(query: str, img: Image.Image) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "text", "text": query},
                                         {"type": "image_url", "image_url": {"url": data_url(img)}}]}]


def test_forced_crop_reports_its_confidence_and_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    from headroom_middleware import ocr

    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    page = text_page(1600, 1200)
    messages = _crop_request("what is in the top left corner?", page)
    # Forced crops are the caller's decision: crop_min_confidence gates routed crops only.
    strict = CompressionConfig(force_technique="crop", crop_min_confidence=0.9)
    r = ImageCompressor(strict).compress_with_report(messages, model="gpt-4o").results[0]
    assert r.technique == Technique.CROP and "confidence 0.50" in r.reason, r.reason
    assert r.compressed_tokens is not None and r.original_tokens and r.compressed_tokens < r.original_tokens


def test_components_of_a_serpentine_are_one() -> None:
    import numpy as np

    from headroom_middleware.crop.layout import _labels

    mask = np.zeros((99, 120), dtype=bool)
    mask[::2, 1:-1] = True  # rows joined alternately at the right and the left end: one long path
    mask[1::4, -2] = True
    mask[3::4, 1] = True
    lab = _labels(mask)
    assert len(np.unique(lab[mask])) == 1 and (lab[~mask] == -1).all()
    two = np.zeros((10, 10), dtype=bool)
    two[1:3, 1:3] = True
    two[6:9, 6:9] = True
    assert len(np.unique(_labels(two)[two])) == 2
