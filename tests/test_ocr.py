"""OCR: accuracy on rendered documents, reading order, cache, time bound, laziness.

The real-engine tests OCR each rendered page once (module-scoped fixture) and are skipped when
rapidocr is not installed; the cache/timeout/concurrency tests inject a fake engine.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from ocr_docs import (
    DEJAVU,
    LEFT,
    RIGHT,
    SIZES_LINES,
    TABLE,
    TITLE,
    Doc,
    cer,
    narrow_columns,
    sizes_page,
    table,
    two_columns,
    untrained_scripts,
)
from ocr_docs import receipt as render_receipt
from PIL import Image, ImageOps

from headroom_middleware import ocr
from headroom_middleware.cache import LRUCache
from headroom_middleware.errors import OcrError, OcrTimeoutError, OcrUnavailableError
from headroom_middleware.ocr import OcrLine, OcrResult, layout_text
from headroom_middleware.ocr import service as ocr_service

needs_engine = pytest.mark.skipif(not ocr.ocr_available(), reason="rapidocr not installed")


def _nonblank(text: str) -> list[str]:
    return [" ".join(s.split()) for s in text.splitlines() if s.strip()]


# --------------------------------------------------------------------------------------------
# Real engine (one OCR per page for the whole module)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict[str, tuple[OcrResult, list[str]]]:
    if not ocr.ocr_available():
        pytest.skip("rapidocr not installed")
    docs = {"sizes": sizes_page(), "two_columns": two_columns(), "table": table(),
            "receipt": render_receipt(), "narrow_columns": narrow_columns()}
    # Dark mode and heavy JPEG compression of the same page.
    sp = sizes_page()
    docs["sizes_dark"] = Doc(ImageOps.invert(sp.image), sp.lines)
    buf = io.BytesIO()
    sp.image.save(buf, "JPEG", quality=40)
    docs["sizes_jpeg40"] = Doc(Image.open(io.BytesIO(buf.getvalue())), sp.lines)
    if DEJAVU.exists():
        docs["sizes_dejavu"] = sizes_page(dejavu=True)
        docs["untrained_scripts"] = untrained_scripts()
    return {name: (ocr.run_ocr(d.image, cache_key=f"test-ocr:{name}", timeout_s=60), d.lines)
            for name, d in docs.items()}


@needs_engine
@pytest.mark.parametrize("name", ["sizes", "sizes_dejavu", "sizes_dark", "sizes_jpeg40"])
def test_cer_per_text_size(pages: dict[str, tuple[OcrResult, list[str]]], name: str) -> None:
    if name not in pages:
        pytest.skip("DejaVu Sans not installed")
    res, expected = pages[name]
    got = _nonblank(res.text)
    assert len(got) == len(expected), got
    for (size, _), ref, hyp in zip(SIZES_LINES, expected, got, strict=True):
        assert cer(ref, hyp) <= 0.03, (size, ref, hyp)
    assert res.mean_confidence > 0.9
    assert cer("\n".join(expected), "\n".join(got)) <= 0.03


@needs_engine
def test_boxes_are_in_image_pixels(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    res, _ = pages["sizes"]
    img = sizes_page().image
    for ln in res.lines:
        x0, y0, x1, y1 = ln.box
        assert 0 <= x0 < x1 <= img.width and 0 <= y0 < y1 <= img.height
        assert 0.0 <= ln.confidence <= 1.0
    # The first rendered line starts at (30, 20).
    first = res.lines[0]
    assert abs(first.box[0] - 30) <= 6 and abs(first.box[1] - 20) <= 8


@needs_engine
def test_two_columns_read_column_by_column(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    res, expected = pages["two_columns"]
    got = _nonblank(res.text)
    assert cer("\n".join(expected), "\n".join(got)) <= 0.03
    flat = " ".join(got)
    pos = [flat.find(s.split()[0] + " " + s.split()[1]) for s in [TITLE, LEFT[0], LEFT[-1], RIGHT[0], RIGHT[-1]]]
    assert all(p >= 0 for p in pos), pos
    assert pos == sorted(pos), "title, left column, then right column"
    assert not any(" | " in s for s in got), "prose columns must not be merged into table rows"


@needs_engine
def test_narrow_gutter_and_footer(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    # A 24 px gutter: the detector may draw one box across it; word boxes split it again.
    res, expected = pages["narrow_columns"]
    got = _nonblank(res.text)
    assert cer("\n".join(expected), "\n".join(got)) <= 0.03, got
    assert got[-1] == "Footer: page 2 of 7"


@needs_engine
def test_table_rows_stay_on_one_line(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    """A table comes back as Markdown: one row per line, the header separator after the first."""
    res, expected = pages["table"]
    got = _nonblank(res.text)
    assert got[1] == "| --- | --- | --- | --- |", got
    rows = [got[0], *got[2:]]
    assert len(rows) == len(TABLE)
    for ref, hyp in zip(expected, rows, strict=True):
        assert hyp.startswith("| ") and hyp.endswith(" |") and hyp.count(" | ") == 3, hyp
        assert cer(ref, hyp.strip("| ")) <= 0.03, (ref, hyp)


@needs_engine
def test_receipt(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    res, expected = pages["receipt"]
    got = _nonblank(res.text)
    assert cer("\n".join(expected), "\n".join(got)) <= 0.03, got
    assert "TOTAL | 16.10" in got


@needs_engine
def test_untrained_script_is_not_confident(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    if "untrained_scripts" not in pages:
        pytest.skip("DejaVu Sans not installed")
    res, _ = pages["untrained_scripts"]
    # Cyrillic/Greek come out as partial guesses: the page must not pass a transcode
    # threshold (default ocr_min_confidence 0.80).
    assert res.mean_confidence < 0.6, res.mean_confidence


@needs_engine
def test_cache_repeat_returns_same_object(pages: dict[str, tuple[OcrResult, list[str]]]) -> None:
    res, _ = pages["receipt"]
    t0 = time.perf_counter()
    again = ocr.run_ocr(render_receipt().image, cache_key="test-ocr:receipt")
    assert again is res
    assert time.perf_counter() - t0 < 0.05  # a dict lookup (the benchmark measures <= 1 ms)


# --------------------------------------------------------------------------------------------
# Fake engine: cache, time bound, concurrency, scaling
# --------------------------------------------------------------------------------------------


class FakeEngine:
    """Returns one fixed detection; optionally slow; records calls and input sizes."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.calls = 0
        self.sizes: list[tuple[int, int]] = []
        self.finished = threading.Event()

    def __call__(self, image: Image.Image) -> list[tuple[Sequence[Sequence[float]], str, float]]:
        self.calls += 1
        self.sizes.append(image.size)
        time.sleep(self.delay_s)
        self.finished.set()
        return [([[100, 50], [300, 50], [300, 80], [100, 80]], "Hello world", 0.9)]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEngine]:
    eng = FakeEngine()
    svc = ocr.RapidOcrEngine(engine=eng)
    monkeypatch.setattr(ocr_service, "_default", svc)
    yield eng
    svc.close()


def test_repeat_is_served_from_cache_without_engine(fake: FakeEngine) -> None:
    img = Image.new("RGB", (400, 200), "white")
    first = ocr.run_ocr(img, cache_key="k1")
    assert fake.calls == 1
    assert ocr.run_ocr(img, cache_key="k1") is first
    assert fake.calls == 1
    ocr.run_ocr(img)  # no key: no caching
    ocr.run_ocr(img)
    assert fake.calls == 3
    assert first.text == "Hello world" and first.lines[0].box == (100, 50, 300, 80)
    assert first.mean_confidence == pytest.approx(0.9)


def test_cache_is_bounded(fake: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr.default_engine(), "_cache", LRUCache(2))
    img = Image.new("RGB", (50, 50), "white")
    a = ocr.run_ocr(img, cache_key="a")
    ocr.run_ocr(img, cache_key="b")
    assert ocr.run_ocr(img, cache_key="a") is a  # refreshes "a"
    ocr.run_ocr(img, cache_key="c")  # evicts "b"
    calls = fake.calls
    ocr.run_ocr(img, cache_key="a")
    assert fake.calls == calls
    ocr.run_ocr(img, cache_key="b")
    assert fake.calls == calls + 1


def test_timeout_raises_promptly(fake: FakeEngine) -> None:
    fake.delay_s = 0.6
    img = Image.new("RGB", (64, 64), "white")
    t0 = time.perf_counter()
    with pytest.raises(OcrTimeoutError):
        ocr.run_ocr(img, cache_key="slow", timeout_s=0.05)
    assert time.perf_counter() - t0 < 0.4
    # The abandoned run still completes on the worker and lands in the cache.
    assert fake.finished.wait(5)
    time.sleep(0.05)
    fake.delay_s = 0.0
    calls = fake.calls
    assert ocr.run_ocr(img, cache_key="slow").text == "Hello world"
    assert fake.calls == calls


def test_concurrent_calls_share_one_run(fake: FakeEngine) -> None:
    fake.delay_s = 0.2
    img = Image.new("RGB", (64, 64), "white")
    out: list[OcrResult] = []
    threads = [threading.Thread(target=lambda: out.append(ocr.run_ocr(img, cache_key="same")))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert len(out) == 6 and all(r is out[0] for r in out)
    assert fake.calls == 1


def test_wide_image_is_read_in_full_resolution_tiles(fake: FakeEngine) -> None:
    res = ocr.run_ocr(Image.new("RGB", (4000, 1000), "white"))
    # Tiles of <= 2000 px overlapping by 160 px, never downscaled.
    assert fake.sizes == [(2000, 1000), (2000, 1000), (320, 1000)]
    assert [ln.box for ln in res.lines] == [(100, 50, 300, 80), (1940, 50, 2140, 80), (3780, 50, 3980, 80)]


def test_huge_image_is_downscaled_to_the_pixel_budget(fake: FakeEngine) -> None:
    res = ocr.run_ocr(Image.new("RGB", (10000, 8000), "white"))
    # Short side to 2000 px (factor 4): 2500x2000, read in two tiles.
    assert fake.sizes == [(2000, 2000), (660, 2000)]
    assert res.lines[0].box == (400, 200, 1200, 320)


def test_a_long_page_stops_after_the_tile_that_reaches_max_chars(fake: FakeEngine,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each tile reads 'Hello world' (11 characters): a budget of 15 stops after two of five tiles."""
    svc = ocr.default_engine()

    def engine(image: Image.Image) -> list[tuple[object, ...]]:
        fake.calls += 1
        y = image.height // 2  # in the tile's core, not in an overlap
        return [([[100, y], [300, y], [300, y + 30], [100, y + 30]], "Hello world", 0.9)]

    monkeypatch.setattr(svc, "_injected", engine)
    page = Image.new("RGB", (1000, 9000), "white")
    head = svc.read(page, cache_key="long", max_chars=15)
    assert fake.calls == 2 and not head.complete and len(head.lines) == 2
    assert svc.read(page, cache_key="long", max_chars=15) is head and fake.calls == 2  # the prefix is cached
    whole = svc.read(page, cache_key="long")  # never answered by the prefix
    assert whole.complete and len(whole.lines) == 5 and fake.calls == 2 + 5
    assert svc.read(page, cache_key="long", max_chars=15) is whole  # the whole page, once known, answers both
    # enough budget, or a page of one tile: read whole, and cached as the page itself
    short = svc.read(Image.new("RGB", (1000, 9000), "white"), cache_key="roomy", max_chars=1000)
    assert short.complete and svc.read(page, cache_key="roomy") is short
    assert svc.read(Image.new("RGB", (1000, 1000), "white"), max_chars=1).complete


def test_line_in_a_tile_overlap_is_kept_once(fake: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    offsets = iter([0, 1840])

    def engine(image: Image.Image) -> list[tuple[object, ...]]:
        dx = next(offsets)
        x0, x1 = 1850 - dx, 1990 - dx  # the same line, seen from both tiles
        return [([[x0, 40], [x1, 40], [x1, 60], [x0, 60]], "overlap", 0.95)]

    monkeypatch.setattr(ocr.default_engine(), "_injected", engine)
    res = ocr.run_ocr(Image.new("RGB", (3000, 300), "white"))
    assert [(ln.text, ln.box) for ln in res.lines] == [("overlap", (1850, 40, 1990, 60))]


@pytest.mark.parametrize("size", [(3, 1600), (1, 20000), (20000, 7), (5, 5)])
def test_shapes_that_cannot_hold_text_are_not_read(fake: FakeEngine, size: tuple[int, int]) -> None:
    res = ocr.run_ocr(Image.new("L", size, 255))
    assert res.lines == () and res.text == "" and res.mean_confidence == 0.0
    assert fake.calls == 0


def test_transparent_image_is_flattened_on_white(fake: FakeEngine) -> None:
    seen: list[tuple[int, int, int]] = []

    def engine(image: Image.Image) -> list[tuple[Sequence[Sequence[float]], str, float]]:
        px = image.getpixel((0, 0))
        assert isinstance(px, tuple)
        seen.append((int(px[0]), int(px[1]), int(px[2])))
        return []

    ocr.default_engine()._injected = engine
    res = ocr.run_ocr(Image.new("RGBA", (32, 32), (0, 0, 0, 0)))
    assert seen == [(255, 255, 255)]
    assert res.text == "" and res.mean_confidence == 0.0 and res.lines == ()


async def test_arun_ocr_runs_off_the_loop(fake: FakeEngine) -> None:
    import asyncio

    fake.delay_s = 0.2
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1

    img = Image.new("RGB", (64, 64), "white")
    res, _ = await asyncio.gather(ocr.arun_ocr(img, cache_key="async"), ticker())
    assert res.text == "Hello world"
    assert ticks == 10  # the loop kept running while OCR waited
    assert await ocr.arun_ocr(img, cache_key="async") is res


def test_unavailable_without_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_service, "engine_settings", lambda threads, det_side, **kw: None)
    monkeypatch.setattr(ocr_service, "_default", ocr.RapidOcrEngine())
    assert ocr.ocr_available() is False
    with pytest.raises(OcrUnavailableError, match="pip install"):
        ocr.run_ocr(Image.new("RGB", (10, 10)))


def test_engine_that_fails_to_load_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    from headroom_middleware.ocr import process

    loads = 0

    class Broken:
        def __init__(self, settings: object) -> None:
            nonlocal loads
            loads += 1
            raise OcrUnavailableError("OCR engine failed to load: bad model file")

    monkeypatch.setattr(ocr_service, "engine_settings", lambda threads, det_side, **kw: {"backend": "rapidocr"})
    monkeypatch.setattr(process, "EngineProcess", Broken)
    monkeypatch.setattr(ocr_service, "_default", ocr.RapidOcrEngine())
    img = Image.new("RGB", (40, 40))
    with pytest.raises(OcrUnavailableError):
        ocr.run_ocr(img)
    assert ocr.ocr_available() is False
    with pytest.raises(OcrUnavailableError):
        ocr.run_ocr(img)
    assert loads == 1


def test_engine_error_is_wrapped(fake: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(image: Image.Image) -> list[tuple[Sequence[Sequence[float]], str, float]]:
        raise RuntimeError("model exploded")

    monkeypatch.setattr(ocr.default_engine(), "_injected", broken)
    with pytest.raises(OcrError):
        ocr.run_ocr(Image.new("RGB", (10, 10)))


_OFFLINE_SCRIPT = """
import socket, sys
def deny(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = deny
socket.create_connection = deny
from PIL import Image, ImageDraw, ImageFont
from headroom_middleware.ocr import run_ocr
img = Image.new("RGB", (400, 80), "white")
ImageDraw.Draw(img).text((10, 20), "Offline 123", fill="black", font=ImageFont.load_default(size=24))
print(run_ocr(img, timeout_s=60).text)
"""


@needs_engine
def test_engine_loads_and_runs_without_network() -> None:
    # A fresh process with sockets disabled: the engine must load only bundled files.
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("rapidocr")
    assert spec is not None and spec.submodule_search_locations
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    before = sorted(p.name for p in models.iterdir())
    out = subprocess.run([sys.executable, "-c", _OFFLINE_SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "Offline 123"
    assert sorted(p.name for p in models.iterdir()) == before  # nothing downloaded


def test_import_is_lazy() -> None:
    code = (
        "import sys, headroom_middleware.ocr as o; "
        "print(','.join(m for m in ('rapidocr', 'onnxruntime', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_text_in_logs(fake: FakeEngine, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="headroom_middleware.ocr")
    ocr.run_ocr(Image.new("RGB", (64, 64), "white"))
    assert "Hello" not in caplog.text


# --------------------------------------------------------------------------------------------
# layout_text (pure)
# --------------------------------------------------------------------------------------------


def L(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrLine:
    return OcrLine(text, (x0, y0, x1, y1), 0.99)


def test_layout_rows_and_cells() -> None:
    lines = [L("Total", 10, 100, 60, 120), L("12.50", 300, 101, 350, 121), L("Invoice", 10, 10, 90, 30)]
    assert layout_text(lines) == "Invoice\n\nTotal | 12.50"


def test_layout_near_boxes_join_with_space() -> None:
    assert layout_text([L("Hello", 10, 10, 60, 30), L("world", 68, 11, 120, 31)]) == "Hello world"


def test_layout_two_columns_with_title_and_footer() -> None:
    lines = [L("A report title spanning the page", 20, 10, 700, 40)]
    for i in range(5):
        lines.append(L(f"left line {i} with quite some words", 20, 60 + 30 * i, 330, 80 + 30 * i))
        lines.append(L(f"right line {i} with quite some words", 400, 60 + 30 * i, 720, 80 + 30 * i))
    lines.append(L("Footer note spanning the full width", 20, 300, 700, 320))
    text = layout_text(lines)
    order = [text.index(s) for s in ("A report", "left line 0", "left line 4", "right line 0",
                                     "right line 4", "Footer")]
    assert order == sorted(order), text


def test_layout_three_columns() -> None:
    lines = [L("Title of a three column newsletter page", 20, 5, 900, 30)]
    for c, x in enumerate((20, 330, 640)):
        for i in range(6):
            lines.append(L(f"col{c} line{i} some words here", x, 50 + i * 25, x + 280, 68 + i * 25))
    got = [s for s in layout_text(lines).splitlines() if s]
    assert got == ["Title of a three column newsletter page"] + [
        f"col{c} line{i} some words here" for c in range(3) for i in range(6)
    ]


def test_layout_key_value_form_is_not_columns() -> None:
    lines = []
    for i, (k, v) in enumerate([("Name", "Ada"), ("City", "Paris"), ("Phone", "555"), ("Plan", "Pro")]):
        lines.append(L(k, 20, 20 + 30 * i, 80, 40 + 30 * i))
        lines.append(L(v, 400, 20 + 30 * i, 450, 40 + 30 * i))
    assert layout_text(lines) == "Name | Ada\nCity | Paris\nPhone | 555\nPlan | Pro"


def test_layout_table_of_three_or_more_cells_is_markdown() -> None:
    rows = [("Item", "Qty", "Price"), ("Bread", "2", "4.80"), ("Tea|Mint", "1", "2.10")]
    lines = [L(c, x, 20 + 30 * i, x + 80, 40 + 30 * i)
             for i, row in enumerate(rows) for c, x in zip(row, (20, 300, 600), strict=True)]
    lines.append(L("Thank you", 20, 200, 140, 220))
    assert layout_text(lines) == ("| Item | Qty | Price |\n| --- | --- | --- |\n| Bread | 2 | 4.80 |\n"
                                  "| Tea\\|Mint | 1 | 2.10 |\n\nThank you")


def test_layout_lone_wide_row_is_not_a_table() -> None:
    lines = [L("Invoice", 20, 20, 120, 40), L("No. 17", 300, 20, 380, 40), L("2026-12-07", 600, 20, 720, 40),
             L("Dear customer, thank you", 20, 60, 320, 80)]
    assert layout_text(lines).splitlines()[0] == "Invoice | No. 17 | 2026-12-07"


def test_layout_footer_below_columns_comes_last() -> None:
    lines = []
    for i in range(5):
        lines.append(L(f"left line {i} with quite some words", 20, 20 + 30 * i, 330, 40 + 30 * i))
        if i < 4:
            lines.append(L(f"right line {i} with quite some words", 400, 20 + 30 * i, 720, 40 + 30 * i))
    lines.append(L("Footer note", 20, 240, 120, 260))
    text = layout_text(lines)
    assert text.rstrip().endswith("Footer note"), text
    assert text.index("left line 4") < text.index("right line 0")


def test_layout_longer_column_is_not_cut() -> None:
    lines = []
    for i in range(8):
        lines.append(L(f"left line {i} with quite some words", 20, 20 + 30 * i, 330, 40 + 30 * i))
        if i < 4:
            lines.append(L(f"right line {i} with quite some words", 400, 20 + 30 * i, 720, 40 + 30 * i))
    text = layout_text(lines)
    assert text.index("left line 7") < text.index("right line 0"), text


def test_merged_detection_is_split_at_wide_word_gaps(fake: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    def engine(image: Image.Image) -> list[tuple[object, ...]]:
        poly = [[30, 30], [700, 30], [700, 50], [30, 50]]
        words = [("this", [[300, 32], [338, 32], [338, 50], [300, 50]]),
                 ("In", [[400, 32], [414, 32], [414, 50], [400, 50]]),
                 ("the", [[420, 32], [447, 32], [447, 50], [420, 50]])]
        return [(poly, "thisIn the", 0.99, words)]

    monkeypatch.setattr(ocr.default_engine(), "_injected", engine)
    res = ocr.run_ocr(Image.new("RGB", (800, 100), "white"))
    assert [(ln.text, ln.box) for ln in res.lines] == [("this", (300, 30, 338, 50)), ("In the", (400, 30, 447, 50))]
    assert res.text == "this | In the"


def test_layout_paragraph_gap() -> None:
    lines = [L("one", 10, 10, 50, 30), L("two", 10, 36, 50, 56), L("three", 10, 62, 60, 82),
             L("four", 10, 160, 60, 180)]
    assert layout_text(lines) == "one\ntwo\nthree\n\nfour"


def test_layout_empty() -> None:
    assert layout_text([]) == ""
    assert layout_text([L("   ", 0, 0, 5, 5)]) == ""


def test_layout_drops_a_line_number_gutter() -> None:
    code = ["def f(x):", "", "    y = x + 1", "    return y", "", "print(f(2))"]
    lines = []
    for i, src in enumerate(code):
        lines.append(L(str(i + 1), 10, 20 + 22 * i, 22, 38 + 22 * i))
        if src:
            lines.append(L(src.strip(), 60, 20 + 22 * i, 60 + 9 * len(src), 38 + 22 * i))
    assert layout_text(lines) == "def f(x):\ny = x + 1\nreturn y\nprint(f(2))"


def test_layout_keeps_a_tables_id_column() -> None:
    lines = []
    for i, name in enumerate(["Ada", "Grace", "Alan", "Edsger", "Barbara"]):
        lines.append(L(str(i + 1), 10, 20 + 30 * i, 22, 40 + 30 * i))
        lines.append(L(name, 200, 20 + 30 * i, 260, 40 + 30 * i))
    assert layout_text(lines).splitlines()[0] == "1 | Ada"


def test_layout_lines_stacked_beside_a_tall_logo_stay_separate() -> None:
    lines = [L("Small. Fast. Reliable.", 830, 58, 980, 76), L("Choose any three.", 850, 77, 980, 94),
             L("SQLite", 80, 30, 225, 100), L("Home About Documentation", 20, 110, 400, 132)]
    assert layout_text(lines).splitlines() == ["SQLite | Small. Fast. Reliable.", "Choose any three.",
                                               "Home About Documentation"]


def test_layout_names_wrapped_in_grid_cells_read_cell_by_cell() -> None:
    # Two rows of a contributors grid: each name wrapped over two short lines under a photo.
    lines = []
    for row, names in enumerate([[("Jérémie du", "Boisberranger"), ("Joris Van den", "Bossche"), ("Loïc", "Estève")],
                                 [("Thomas J.", "Fan"), ("Olivier", "Grisel"), ("Adrin", "Jalali")]]):
        y = 40 + 120 * row
        for col, (a, b) in enumerate(names):
            x = 20 + 220 * col
            lines.append(L(a, x, y, x + 110, y + 18))
            lines.append(L(b, x, y + 20, x + 120, y + 38))
    text = layout_text(lines)
    for first, second in [("Jérémie du", "Boisberranger"), ("Joris Van den", "Bossche"), ("Olivier", "Grisel")]:
        assert f"{first} {second}" in text, text


def test_layout_receipt_labels_beside_amounts_stay_rows() -> None:
    lines = [L("SUBTOTAL", 20, 200, 110, 216), L("15.05", 300, 200, 350, 216),
             L("TAX", 20, 218, 55, 234), L("1.05", 310, 218, 350, 234),
             L("TOTAL", 20, 236, 75, 252), L("16.10", 300, 236, 350, 252),
             L("Thank you, come again!", 60, 290, 300, 306)]
    assert layout_text(lines).splitlines()[:3] == ["SUBTOTAL | 15.05", "TAX | 1.05", "TOTAL | 16.10"]


def test_rows_of_a_slightly_rotated_receipt_follow_the_baselines() -> None:
    """A receipt photographed 4 degrees off: upright boxes of a label and of its amount do not
    overlap vertically (the amount sits 18 px lower at the right), so without deskewing the
    labels and amounts fall into different rows."""
    from headroom_middleware.ocr.engine import read_image
    from headroom_middleware.ocr.geometry import Plan, Tile

    angle = math.radians(4.0)
    c, s = math.cos(angle), math.sin(angle)

    def quad(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
        # An upright box rotated by ``angle`` about the origin (clockwise on screen).
        return [[x * c - y * s, x * s + y * c] for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]

    items = [("CORNER BAKERY", 120, 40, 330, 60)]
    for i, (label, amount) in enumerate([("Sourdough loaf", "4.80"), ("Croissant x2", "3.60"),
                                         ("Rye bread", "3.95"), ("TOTAL", "12.35")]):
        y = 100 + 22 * i
        items += [(label, 120, y, 120 + 12 * len(label), y + 16), (amount, 420, y, 470, y + 16)]
    dets = [(quad(*box), text, 0.99) for text, *box in items]
    plan_ = Plan(size=(600, 400), scaled=(600, 400), scale=1.0, tiles=(Tile(box=(0, 0, 600, 400)),))
    res = read_image(lambda _img: dets, Image.new("RGB", (600, 400), "white"), plan_)
    assert _nonblank(res.text)[1:] == ["Sourdough loaf | 4.80", "Croissant x2 | 3.60", "Rye bread | 3.95",
                                       "TOTAL | 12.35"], res.text


def test_layout_header_band_is_read_before_the_cards_below_it() -> None:
    # A hero band (title left, bullets right) and, well below it, three cards of wrapped
    # sentences whose gutters line up with the hero's gap: not one pair of page-long columns.
    lines = [L("scikit-learn", 30, 70, 400, 110), L("Machine Learning in Python", 30, 130, 400, 160),
             L("Getting Started", 30, 180, 170, 215), L("Release Highlights", 180, 180, 400, 215),
             L("Simple and efficient tools for data analysis", 650, 90, 1100, 110),
             L("Accessible to everybody and reusable", 650, 120, 1100, 140),
             L("Built on NumPy SciPy and matplotlib", 650, 150, 1100, 170)]
    for col, title in enumerate(["Classification", "Regression", "Clustering"]):
        x = 55 + 390 * col
        lines += [L(title, x, 280, x + 160, 302), L("Identifying which category an object", x, 320, x + 260, 340),
                  L("belongs to and more of this text", x, 344, x + 240, 364),
                  L("Applications: spam detection and", x, 384, x + 260, 404)]
    text = layout_text(lines)
    assert text.index("Release Highlights") < text.index("Classification"), text
    assert text.index("Built on NumPy") < text.index("Classification"), text
    assert text.index("Classification") < text.index("Regression") < text.index("Clustering"), text


def test_layout_tagline_above_a_side_panel_is_read_with_the_header() -> None:
    # A logo with a tagline at the top right; below the tagline, after a tall gap, a side
    # panel beside the article. The tagline belongs to the header, not to the panel.
    lines = [L("SQLite", 48, 29, 239, 106), L("Small. Fast. Reliable.", 826, 55, 980, 76),
             L("Choose any three.", 847, 74, 981, 95), L("Home About Documentation", 14, 108, 400, 130),
             L("About SQLite", 394, 158, 605, 194)]
    for k in range(8):
        y = 215 + 19 * k
        lines.append(L(f"article line {k} with several words of running prose", 4, y, 600, y + 19))
        lines.append(L(f"panel item {k}", 678, y + 3, 830, y + 22))
    text = layout_text(lines)
    assert text.splitlines()[:2] == ["SQLite | Small. Fast. Reliable.", "Choose any three."], text
    assert text.index("article line 7") < text.index("panel item 0"), text


def test_layout_paragraph_wrapping_under_a_floated_panel_is_read_before_the_panel() -> None:
    lines = [L("About SQLite", 394, 158, 605, 194)]
    for k in range(8):
        y = 215 + 19 * k
        lines.append(L(f"article line {k} with several words of running prose", 4, y, 600, y + 19))
        if k < 6:
            lines.append(L(f"panel item {k}", 678, y + 3, 830, y + 22))
    lines += [L("the paragraph runs on under the panel across the whole page width", 4, 367, 970, 386),
              L("and ends here.", 4, 385, 200, 404),
              L("A new paragraph across the whole page width after a paragraph gap here", 4, 420, 980, 439)]
    out = layout_text(lines)
    assert out.index("article line 7") < out.index("runs on under") < out.index("ends here") \
        < out.index("panel item 0") < out.index("A new paragraph"), out
