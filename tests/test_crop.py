"""Crop region selection and blank-margin trimming on rendered pages with known boxes."""

from __future__ import annotations

import pytest
from ocr_docs import Doc, chart, contains, invoice, receipt
from PIL import Image, ImageDraw

from headroom_middleware import ocr
from headroom_middleware.crop import (
    MAX_AREA_FRACTION,
    CropRegion,
    content_bbox,
    parse_spatial,
    select_crop_region,
)
from headroom_middleware.crop.geometry import Box, union
from headroom_middleware.ocr import OcrLine, OcrResult


def _area_fraction(region: CropRegion, img: Image.Image) -> float:
    x0, y0, x1, y1 = region.box
    return (x1 - x0) * (y1 - y0) / (img.width * img.height)


def _fake_ocr(doc: Doc, extra: dict[str, str]) -> OcrResult:
    """An OcrResult built from the boxes the renderer recorded (no engine needed)."""
    lines = tuple(OcrLine(extra[name], box, 0.99) for name, box in doc.boxes.items() if name in extra)
    return OcrResult("\n".join(ln.text for ln in lines), 0.99, lines, 0.0)


# --------------------------------------------------------------------------------------------
# content_bbox
# --------------------------------------------------------------------------------------------


def test_content_bbox_white_margins() -> None:
    im = Image.new("RGB", (300, 200), "white")
    ImageDraw.Draw(im).rectangle((40, 30, 119, 89), fill=(10, 10, 10))
    assert content_bbox(im) == (40, 30, 120, 90)


def test_content_bbox_dark_background_and_noise_tolerance() -> None:
    im = Image.new("RGB", (200, 100), (20, 20, 30))
    im.putpixel((5, 5), (28, 26, 36))  # JPEG-like noise below the tolerance
    ImageDraw.Draw(im).rectangle((50, 20, 59, 29), fill=(240, 240, 240))
    assert content_bbox(im) == (50, 20, 60, 30)
    assert content_bbox(im, tolerance=2) == (5, 5, 60, 30)


@pytest.mark.parametrize("mode", ["1", "L", "LA", "La", "P", "PA", "I", "I;16", "F", "CMYK", "YCbCr", "RGBA",
                                  "RGBa", "HSV", "LAB"])
def test_content_bbox_any_mode(mode: str) -> None:
    im = Image.new("RGB", (60, 40), "white")
    ImageDraw.Draw(im).rectangle((10, 5, 19, 14), fill="black")
    if mode == "I;16":
        conv = im.convert("L").convert("I;16")
    elif mode in ("La", "RGBa", "PA"):
        conv = im.convert("LA" if mode == "La" else "RGBA").convert(mode)
    else:
        conv = im.convert(mode)
    assert content_bbox(conv) == (10, 5, 20, 15)


def test_content_bbox_blank_and_transparent() -> None:
    assert content_bbox(Image.new("RGB", (50, 50), "white")) is None
    im = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(im).rectangle((10, 20, 29, 39), fill=(255, 255, 255, 255))  # white on clear
    assert content_bbox(im) == (10, 20, 30, 40)
    assert content_bbox(Image.new("L", (10, 10), 0)) is None


# --------------------------------------------------------------------------------------------
# Spatial words
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("What does the legend in the top right say?", {"legend", "top", "right"}),
        ("what's in the top-left corner", {"top", "left"}),
        ("Read the text at the bottom", {"bottom"}),
        ("what is on the left side?", {"left"}),
        ("Was steht oben rechts?", {"top", "right"}),
        ("Was zeigt die Legende unten links?", {"legend", "bottom", "left"}),
        ("Que dit le texte en haut à gauche ?", {"top", "left"}),
        ("Qu'y a-t-il en bas de page ?", {"bottom", "footer"}),
        ("¿Qué hay en la esquina inferior derecha?", {"bottom", "right"}),
        ("O que está no canto superior esquerdo?", {"top", "left"}),
        ("Cosa c'è in alto a destra?", {"top", "right"}),
        ("Что написано в правом верхнем углу?", {"top", "right"}),
        ("右上角的图例是什么", {"top", "right", "legend"}),
        ("左下角写了什么", {"bottom", "left"}),
        ("上部的标题", {"top", "title"}),
        ("右上の凡例は何ですか", {"top", "right", "legend"}),
        ("오른쪽 위에 뭐가 있어?", {"top", "right"}),
        ("왼쪽 하단의 범례", {"bottom", "left", "legend"}),
        ("What does the header say?", {"header"}),
        ("Fußzeile lesen", {"footer"}),
        ("what is in the centre", {"center"}),
        ("Что в правом нижнем углу?", {"bottom", "right"}),
        ("правый верхний угол", {"top", "right"}),
        ("ヘッダーの日付は？", {"header"}),
        ("一番下の合計金額はいくら？", {"bottom"}),
        ("最下面的合计是多少？", {"bottom"}),
        ("X軸のラベルは？", {"bottom"}),
        ("What's the y-axis label?", {"left"}),
        ("¿Qué dice la nota al pie de la página?", {"footer"}),
        ("Was steht in der letzten Zeile?", {"bottom"}),
        ("Read the last line on the page.", {"bottom"}),
        ("read the footer message at the very bottom", {"bottom", "footer"}),
        ("whats my username up top", {"top"}),
        ("ما هو رقم الصفحة في الأسفل؟", {"bottom"}),
        ("ऊपर दाएं कोने में तारीख क्या है?", {"top", "right"}),
        ("Qual è il totale in fondo?", {"bottom"}),
        # Polish, Dutch, Swedish, Turkish, Indonesian, Ukrainian, Vietnamese, Arabic writers.
        ("podaj nazwy pakietów na samym dole grafu", {"bottom"}),
        ("co jest w prawym górnym rogu?", {"right", "top"}),
        ("Wat staat er onderaan links?", {"bottom", "left"}),
        ("Vad står längst ner till höger?", {"bottom", "right"}),
        ("sağdaki sütunda ne yazıyor?", {"right"}),
        ("apa judul di bagian atas?", {"title", "top"}),
        ("що написано внизу ліворуч?", {"bottom", "left"}),
        ("nút ở phía trên bên phải là gì?", {"top", "right"}),
        ("ما هو عنوان هذا الرسم؟", {"title"}),
    ],
)
def test_parse_spatial_languages(query: str, expected: set[str]) -> None:
    assert set(parse_spatial(query)) == expected


@pytest.mark.parametrize(
    "query",
    ["Is this total right?", "How much is left to pay?", "What is the top product?",
     "Which has the lower price?", "看一下这张图", "Describe this image",
     "¿Qué fila tiene el valor más alto?", "Extract all headings as an outline.",
     "Quel est le prix moyen ?", "以下の表を要約して", "Sag mir den Wert", "Zit de fout onder andere in de code?"],
)
def test_everyday_words_are_not_directions(query: str) -> None:
    assert parse_spatial(query) == frozenset()


# --------------------------------------------------------------------------------------------
# Region selection
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["What does the legend in the top right say?", "Was zeigt die Legende oben rechts?",
     "右上角的图例是什么？", "오른쪽 위 범례", "Que dit la légende en haut à droite ?"],
)
def test_legend_top_right_without_ocr(query: str) -> None:
    doc = chart()
    region = select_crop_region(doc.image, query)
    assert region is not None
    assert contains(region.box, doc.boxes["legend"]), region
    assert _area_fraction(region, doc.image) < 0.45


@pytest.mark.parametrize("query", ["What's written in the bottom left corner?", "左下角写了什么？",
                                   "Was steht unten links?"])
def test_bottom_left_note(query: str) -> None:
    doc = chart()
    region = select_crop_region(doc.image, query)
    assert region is not None
    assert contains(region.box, doc.boxes["note"]), region
    assert region.box[0] == 0  # padding clamps to the image


def test_total_on_invoice_with_ocr_lines() -> None:
    doc = invoice()
    res = _fake_ocr(doc, {"title": "INVOICE", "number": "Invoice number: INV-2024-0042",
                          "subtotal": "Subtotal 1517.00", "total": "Total 1820.40 EUR",
                          "footer": "Payment by bank transfer within 30 days."})
    region = select_crop_region(doc.image, "What's the total?", ocr=res)
    assert region is not None and "matching" in region.reason and region.confidence >= 0.5
    assert contains(region.box, doc.boxes["total"])
    assert not contains(region.box, doc.boxes["number"])
    assert _area_fraction(region, doc.image) < 0.25

    region = select_crop_region(doc.image, "What is the invoice number?", ocr=res)
    assert region is not None and contains(region.box, doc.boxes["number"])
    assert not contains(region.box, doc.boxes["total"])

    # Concept table: a German query finds the English label.
    region = select_crop_region(doc.image, "Wie hoch ist der Gesamtbetrag?", ocr=res)
    assert region is not None and contains(region.box, doc.boxes["total"])

    # A number from the query.
    region = select_crop_region(doc.image, "Is 1517.00 the right subtotal?", ocr=res)
    assert region is not None and contains(region.box, doc.boxes["subtotal"])


def test_label_value_split_across_boxes_keeps_the_value() -> None:
    doc = receipt()
    lines = (
        OcrLine("TOTAL", (30, 400, 110, 425), 0.99),
        OcrLine("16.10", (310, 400, 380, 425), 0.99),
        OcrLine("TAX", (30, 360, 70, 380), 0.99),
        OcrLine("1.05", (320, 360, 365, 380), 0.99),
    )
    res = OcrResult("", 0.99, lines, 0.0)
    region = select_crop_region(doc.image, "what's the total", ocr=res)
    assert region is not None
    assert contains(region.box, (30, 400, 380, 425))


def test_cjk_term_match() -> None:
    img = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(img).rectangle((20, 20, 780, 580), outline="black")
    lines = (OcrLine("发票号码：No. 2024031", (400, 40, 760, 70), 0.99),
             OcrLine("合计金额：¥3,580.00", (400, 500, 760, 530), 0.99))
    res = OcrResult("", 0.99, lines, 0.0)
    region = select_crop_region(img, "发票号码是多少？", ocr=res)
    assert region is not None and contains(region.box, lines[0].box)
    region = select_crop_region(img, "总金额(合计)是多少", ocr=res)
    assert region is not None and contains(region.box, lines[1].box)


def test_command_line_option_matches_its_definition_case_sensitively() -> None:
    # A manual page: "-b" and "-B" are different options; the line that starts with the option defines it,
    # a later line only mentions it.
    img = Image.new("RGB", (900, 700), "white")
    lines = (OcrLine("-b   Print the byte offset of each block.", (40, 100, 600, 125), 0.99),
             OcrLine("-B NUM  Print NUM lines of leading context.", (40, 300, 620, 325), 0.99),
             OcrLine("See also -A and -B for trailing context.", (40, 560, 560, 585), 0.99))
    draw = ImageDraw.Draw(img)
    for ln in lines:
        draw.rectangle(ln.box, fill="black")  # ink where the text is, so the page has content
    res = OcrResult("", 0.99, lines, 0.0)
    region = select_crop_region(img, "what does -B do", ocr=res)
    assert region is not None and contains(region.box, lines[1].box)
    assert not contains(region.box, lines[0].box) and not contains(region.box, lines[2].box)


def test_no_region_cases() -> None:
    doc = chart()
    assert select_crop_region(doc.image, "Describe this image") is None
    assert select_crop_region(doc.image, "") is None
    assert select_crop_region(Image.new("RGB", (300, 300), "white"), "top left") is None
    # A page that is content edge to edge: "the left side" keeps ~55 % + padding -> fine, but
    # "the centre" of a tiny image pads past 85 % -> None.
    tiny = Image.new("RGB", (60, 60), "white")
    ImageDraw.Draw(tiny).rectangle((0, 0, 59, 59), outline="black")
    assert select_crop_region(tiny, "what is in the centre") is None


def test_region_never_exceeds_limit_and_is_clamped() -> None:
    doc = invoice()
    for q in ["top left", "bottom right corner", "the header", "the footer", "left side", "centre"]:
        region = select_crop_region(doc.image, q)
        assert region is not None, q
        x0, y0, x1, y1 = region.box
        assert 0 <= x0 < x1 <= doc.image.width and 0 <= y0 < y1 <= doc.image.height
        assert _area_fraction(region, doc.image) <= MAX_AREA_FRACTION


def test_footer_and_header_regions() -> None:
    doc = invoice()
    footer = select_crop_region(doc.image, "What does the footer say?")
    assert footer is not None and contains(footer.box, doc.boxes["footer"])
    assert footer.box[1] > doc.image.height * 0.6
    header = select_crop_region(doc.image, "Was steht in der Kopfzeile?")
    assert header is not None and contains(header.box, doc.boxes["title"])
    assert header.box[3] < doc.image.height * 0.45


def test_pure_function() -> None:
    doc = chart()
    a = select_crop_region(doc.image, "top right")
    b = select_crop_region(doc.image, "top right")
    assert a == b


# --------------------------------------------------------------------------------------------
# With the real OCR engine (one OCR of the invoice page)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def invoice_ocr() -> tuple[Doc, OcrResult]:
    if not ocr.ocr_available():
        pytest.skip("rapidocr not installed")
    doc = invoice()
    return doc, ocr.run_ocr(doc.image, cache_key="test-crop:invoice", timeout_s=60)


@pytest.mark.parametrize(
    ("query", "target"),
    [("What's the total?", "total"), ("What is the invoice number?", "number"),
     ("Wie lautet die Rechnungsnummer?", "number"), ("合计是多少？", "total"),
     ("Quel est le montant total ?", "total")],
)
def test_real_ocr_crop(invoice_ocr: tuple[Doc, OcrResult], query: str, target: str) -> None:
    doc, res = invoice_ocr
    region = select_crop_region(doc.image, query, ocr=res)
    assert region is not None
    assert contains(region.box, doc.boxes[target]), (region, doc.boxes[target])
    assert _area_fraction(region, doc.image) < 0.3


# --------------------------------------------------------------------------------------------
# Block rules on small synthetic pages (boxes drawn as ink where the text would be)
# --------------------------------------------------------------------------------------------


def _page(size: tuple[int, int], lines: tuple[OcrLine, ...], fills: tuple[tuple[Box, str], ...] = ()) -> Image.Image:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for box, colour in fills:
        draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=colour)
    for ln in lines:
        draw.rectangle((ln.box[0], ln.box[1] + 4, ln.box[2] - 1, ln.box[3] - 5), fill="black")
    return img


def test_code_listing_crop_takes_in_its_line_number_gutter() -> None:
    # An editor screenshot: line numbers in a gutter well left of the code; people mark the numbered lines.
    code = ["def parse(s):", "    if not s:", "        return None", "    value = int(s)", "    return value"]
    lines = tuple(OcrLine(t.strip(), (140 + 10 * (len(t) - len(t.lstrip())), 100 + 24 * k,
                                      140 + 14 * len(t), 120 + 24 * k), 0.99) for k, t in enumerate(code))
    numbers = tuple(OcrLine(str(10 + k), (10, 100 + 24 * k, 40, 120 + 24 * k), 0.99) for k in range(len(code)))
    query = "what does parse do with value = int(s)"
    region = select_crop_region(_page((900, 700), lines + numbers), query,
                                ocr=OcrResult("", 0.99, lines + numbers, 0.0))
    assert region is not None and contains(region.box, lines[3].box), region
    assert region.box[0] <= 10, region  # the numbers of the matched lines too
    # No gutter: the box is not widened to the page edge.
    region = select_crop_region(_page((900, 700), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[3].box) and region.box[0] > 100, region


def test_large_first_line_of_a_run_of_large_lines_is_not_a_heading() -> None:
    # "# start.py" in a code block rendered large: the lines under it are as tall, so it heads no section
    # (a section would stop at the next line as tall, keeping only the comment).
    body = tuple(OcrLine(f"word{k} text text text", (60, 40 + 30 * k, 500, 60 + 30 * k), 0.99) for k in range(6))
    code = ("# start.py", "import sys, os", "from namely import name", "def main():", "    print(name)")
    big = tuple(OcrLine(t, (60, 300 + 40 * k, 60 + 22 * len(t), 334 + 40 * k), 0.99) for k, t in enumerate(code))
    lines = body + big
    img = _page((900, 600), lines)
    region = select_crop_region(img, "what's in start.py?", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None
    assert contains(region.box, (60, 300, 60 + 22 * len("from namely import name"), 494)), region


def test_heading_in_a_sidebar_heads_only_the_sidebar() -> None:
    # A table of contents in a sidebar with its own fill, beside the page's text: its section is the
    # sidebar's list, not the page.
    toc = (OcrLine("Table of Contents", (20, 30, 180, 60), 0.99),
           *(OcrLine(f"Chapter {k}", (30, 70 + 24 * k, 150, 90 + 24 * k), 0.99) for k in range(8)))
    page = tuple(OcrLine(f"Body text line {k} of the main article here", (280, 40 + 24 * k, 1000, 60 + 24 * k),
                         0.99) for k in range(25))
    lines = toc + page
    img = _page((1100, 680), lines, fills=(((10, 0, 250, 680), (236, 240, 244)),))
    region = select_crop_region(img, "which sections are in the table of contents", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None
    assert contains(region.box, (20, 30, 180, 258)), region
    assert region.box[2] <= 260, region


def test_legend_with_a_grey_swatch_on_a_tinted_plot() -> None:
    # A bar chart's legend: a red line sample and a grey bar swatch (neither saturated nor dark) on a light
    # grey plot background.
    img = Image.new("RGB", (1000, 600), (235, 235, 235))
    draw = ImageDraw.Draw(img)
    draw.line((48, 43, 70, 43), fill=(180, 30, 30), width=3)
    draw.rectangle((48, 56, 70, 64), fill=(175, 175, 175))
    lines = (OcrLine("weekly wages (shillings)", (72, 34, 216, 51), 0.99),
             OcrLine("wheat price (shillings/quarter)", (73, 51, 249, 69), 0.99),
             OcrLine("1600", (185, 555, 225, 575), 0.99), OcrLine("1700", (520, 555, 560, 575), 0.99))
    for ln in lines:
        draw.rectangle((ln.box[0] + 2, ln.box[1] + 5, ln.box[2] - 2, ln.box[3] - 5), fill=(30, 30, 30))
    region = select_crop_region(img, "what does the legend say", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and region.reason.startswith("legend"), region
    assert contains(region.box, (48, 34, 249, 69)), region


@pytest.mark.parametrize("query", ["What's the data source of this chart?", "这张图的数据来源是什么？",
                                   "ما هو مصدر البيانات في هذا الرسم؟", "यह डेटा किस स्रोत से है?"])
def test_data_source_of_a_chart(query: str) -> None:
    # Plotting libraries credit their data as "data: ..." in a corner.
    lines = (OcrLine("wheat - bar and line", (10, 5, 250, 30), 0.99),
             OcrLine("data: wheat (vega_datasets)", (853, 8, 999, 25), 0.99),
             OcrLine("year", (500, 575, 540, 595), 0.99))
    img = _page((1000, 600), lines)
    region = select_crop_region(img, query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[1].box), region
    assert not contains(region.box, lines[0].box)


def test_running_footer_loses_a_tie_to_the_page_body() -> None:
    # A manual page: its footer repeats the version the question asks about ("libcurl 7.88.1"); the body's
    # "Added in 7.59.0" under AVAILABILITY is the answer. Both match the query as well.
    lines = (OcrLine("CURLOPT_FOO(3)    curl_easy_setopt options", (120, 80, 1010, 110), 0.99),
             *(OcrLine(f"Description text of the option, line {k}.", (158, 150 + 30 * k, 900, 175 + 30 * k), 0.99)
               for k in range(6)),
             OcrLine("AVAILABILITY", (123, 420, 283, 443), 0.99),
             OcrLine("Added in 7.59.0", (158, 450, 300, 473), 0.99),
             *(OcrLine(f"Example code line {k}", (158, 600 + 30 * k, 700, 625 + 30 * k), 0.99) for k in range(20)),
             OcrLine("libcurl 7.88.1", (121, 1503, 241, 1532), 0.99))
    img = _page((1132, 1600), lines)
    region = select_crop_region(img, "В какой версии появилась эта опция?", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, (158, 450, 300, 473)), region
    assert region.box[3] < 1400, region


def test_field_label_in_another_language_counts_as_the_named_thing() -> None:
    # "기본값" (default) names the DEFAULT field label, which beats prose that merely mentions a default.
    lines = (*(OcrLine(f"The option is set by default to the value {k}.", (158, 100 + 30 * k, 900, 125 + 30 * k),
                       0.99) for k in range(2)),
             OcrLine("DEFAULT", (120, 623, 231, 650), 0.99), OcrLine("NULL", (155, 653, 224, 680), 0.99),
             OcrLine("Returns CURLE_OK by default, or an error.", (158, 1210, 925, 1237), 0.99))
    img = _page((1132, 1600), lines)
    region = select_crop_region(img, "이 옵션 기본값이 뭐야?", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, (120, 623, 231, 680)), region


@pytest.mark.parametrize(("query", "want"), [
    ("copy the exact command that was run", 0), ("どんなコマンドを実行したの？", 0),
    ("Perintah apa yang dijalankan?", 0), ("hangi hata oluştu?", 2), ("エラーメッセージは何？", 2),
    ("welche Datei ist das?", 3), ("bu kodun dosya adı ne?", 3)])
def test_terminal_command_error_and_file_name(query: str, want: int) -> None:
    # A terminal: the command after its prompt, a traceback ending in the error; an editor tab naming a file.
    lines = (OcrLine('$ /usr/bin/python3 -c "import csv; next(csv.reader(x))"', (0, 0, 731, 22), 0.99),
             *(OcrLine(f"output line number {k} of the run", (0, 200 + 40 * k, 500, 222 + 40 * k), 0.99)
               for k in range(6)),
             OcrLine("csv.Error: unexpected end of data", (0, 500, 300, 522), 0.99),
             OcrLine("main_window.py - editor", (600, 640, 900, 662), 0.99))
    img = _page((964, 684), lines)
    region = select_crop_region(img, query, ocr=OcrResult("", 0.99, lines, 0.0))
    target = {0: lines[0], 2: lines[7], 3: lines[8]}[want]
    assert region is not None and contains(region.box, target.box), region
    assert region.box[3] - region.box[1] < 300, region


@pytest.mark.parametrize(("query", "which"), [
    ("which item is highlighted in the sidebar?", "side"), ("¿cuál es el elemento activo del menú lateral?", "side"),
    ("какие разделы есть в боковом меню?", "side"), ("what items are in the nav bar", "nav"),
    ("what colour is the navigation bar", "nav")])
def test_named_sidebar_or_navigation_bar(query: str, which: str) -> None:
    # An app page: a navigation strip at the top, a menu column on the left (each on its own fill), text.
    nav = tuple(OcrLine(f"Menu{k}", (340 + 140 * k, 22, 440 + 140 * k, 44), 0.99) for k in range(5))
    side = tuple(OcrLine(f"Entry {k}", (30, 100 + 40 * k, 200, 124 + 40 * k), 0.99) for k in range(12))
    text = tuple(OcrLine(f"Body line {k} of the article", (340, 100 + 30 * k, 1100, 122 + 30 * k), 0.99)
                 for k in range(20))
    lines = nav + side + text
    img = _page((1200, 800), lines, fills=(((0, 0, 1200, 64), (40, 60, 90)), ((10, 70, 260, 800), (236, 240, 244))))
    region = select_crop_region(img, query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "sidebar/navigation" in region.reason, region
    want = (30, 100, 200, 564) if which == "side" else (340, 22, 1000, 44)
    assert contains(region.box, want), region
    assert region.box[2] < 400 if which == "side" else region.box[3] < 120, region


def test_match_inside_a_large_panel_spans_the_panel_width() -> None:
    # A long code block on a grey panel (too large to be the answer itself): the matched statement's rows
    # are marked to the panel's edges, not to where its text ends.
    code = tuple(OcrLine(f"statement_{k} = compute({k})" if k != 9 else "def get_db():", (430, 120 + 26 * k,
                         430 + (13 if k != 9 else 8) * 14, 142 + 26 * k), 0.99) for k in range(22))
    prose = tuple(OcrLine(f"Prose line {k} about the code above it", (420, 720 + 26 * k, 1150, 742 + 26 * k), 0.99)
                  for k in range(3))
    lines = code + prose
    img = _page((1366, 820), lines, fills=(((410, 100, 1180, 700), (245, 245, 245)),))
    region = select_crop_region(img, "show me the get_db function", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, code[9].box), region
    assert region.box[0] <= 410 and region.box[2] >= 1180, region


def test_graph_title_centred_above_larger_node_labels() -> None:
    # A dependency graph: its title is centred at the top, smaller than some node labels below it.
    nodes = tuple(OcrLine(name, (x, y, x + 14 * len(name), y + 38), 0.99) for name, x, y in
                  (("libpng16-16", 1100, 82), ("libxcb1", 535, 94), ("libheif1", 1265, 134),
                   ("libfontconfig1", 1400, 300), ("libxaw7", 553, 354), ("libexpat1", 10, 600), ("libc6", 700, 900)))
    title = OcrLine("graphviz dependencies", (700, 7, 902, 35), 0.99)
    lines = (title, *nodes)
    img = _page((1600, 1200), lines)
    region = select_crop_region(img, "what's the graph title", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and region.reason.startswith("title"), region
    assert contains(region.box, title.box) and region.box[3] < 80, region


def test_word_misread_by_ocr_still_matches_weakly() -> None:
    # OCR read "argc" as "arge"; no line holds "argc", so the one-letter-off line matches, unconfidently.
    lines = (OcrLine("argv", (155, 300, 207, 325), 0.99),
             OcrLine("A list of the arguments.", (317, 300, 900, 325), 0.99),
             OcrLine("arge", (155, 833, 207, 858), 0.99),
             OcrLine("Contains a count of the number of arguments.", (317, 828, 985, 858), 0.99))
    img = _page((1132, 1600), lines)
    region = select_crop_region(img, "what does argc contain", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, (155, 828, 985, 858)), region
    assert region.confidence < 0.5
    # A word that is on the page is not looked for one letter off.
    region = select_crop_region(img, "what does argv contain", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[0].box) and not contains(region.box, lines[2].box)


def test_corner_region_is_not_widened_by_page_wide_lines() -> None:
    # "top right" of a page whose paragraphs run across it: the slogan in the corner, not the whole top.
    lines = (OcrLine("Logo", (80, 75, 430, 235), 0.99), OcrLine("The slogan here", (925, 150, 1180, 220), 0.99),
             *(OcrLine(f"A paragraph line {k} that runs across the whole page width", (60, 300 + 30 * k, 1180,
                       322 + 30 * k), 0.99) for k in range(40)))
    img = _page((1236, 1600), lines)
    region = select_crop_region(img, "what is in the top right corner?", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[1].box), region
    assert region.box[0] > 400, region


def test_lead_in_sentence_takes_in_what_it_introduces() -> None:
    # "The following ... by default:" announces a list: the list is the answer, down to the next heading.
    head = OcrLine("Standard Context", (120, 60, 430, 104), 0.99)
    lead = OcrLine("The following global variables are available within templates by default:", (120, 130, 900, 157),
                   0.99)
    items = tuple(OcrLine(t, (160 if k % 2 else 120, 190 + 34 * k, 700, 217 + 34 * k), 0.99)
                  for k, t in enumerate(("config", "The current configuration object", "request",
                                         "The current request object", "session", "The current session object")))
    nxt = OcrLine("Context Processors", (120, 450, 470, 494), 0.99)
    after = OcrLine("To inject new variables automatically into the context there are processors", (120, 520, 950,
                    547), 0.99)
    lines = (head, lead, *items, nxt, after)
    img = _page((1100, 700), lines)
    region = select_crop_region(img, "what global variables do templates get by default",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, union([lead.box, *(i.box for i in items)])), region
    assert region.box[3] < nxt.box[3], region
    # The same sentence without its colon is a plain paragraph: its block only.
    plain = (head, OcrLine(lead.text.rstrip(":") + ".", lead.box, 0.99), *items, nxt, after)
    region = select_crop_region(_page((1100, 700), plain), "what global variables do templates get by default",
                                ocr=OcrResult("", 0.99, plain, 0.0))
    assert region is not None and not contains(region.box, items[-1].box), region


def test_table_caption_takes_in_the_table_under_it() -> None:
    # A caption a line and a half above its table (a block of its own): the table is what it names.
    caption = OcrLine("Table F.23. Output Columns", (130, 100, 640, 128), 0.99)
    rows = tuple(OcrLine(f"column_{k}   bigint   Description of column {k} (exact)", (180, 170 + 34 * k, 850,
                         198 + 34 * k), 0.99) for k in range(8))
    prose = OcrLine("In the above output, the free space figures may not match exactly.", (130, 520, 1000, 548), 0.99)
    lines = (caption, *rows, prose)
    region = select_crop_region(_page((1100, 700), lines), "which output columns are listed?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, union([caption.box, *(r.box for r in rows)])), region


def test_contents_column_entry_loses_to_the_body_that_explains_it() -> None:
    # A documentation page: a contents column on the left lists "Font.measure()" (the exact name asked
    # about); the body defines measure() and says what it returns. The body is the answer unless the
    # question is about the contents list itself.
    toc = (OcrLine("Table of Contents", (23, 35, 175, 58), 0.99),
           *(OcrLine(f"Font.{m}()", (68, 70 + 19 * k, 180, 86 + 19 * k), 0.99)
             for k, m in enumerate(("actual", "cget", "config", "copy", "measure", "metrics"))))
    body = tuple(OcrLine(t, (260, 60 + 35 * k, 260 + 14 * len(t), 84 + 35 * k), 0.99) for k, t in enumerate((
        "class Font(root=None, name=None)", "Represents a named typeface.",
        "actual(option=None)", "Return the attributes.", "cget(option)", "Retrieve an attribute.",
        "measure(text)", "Return amount of space the text would occupy when formatted.",
        "metrics(*options)", "Return the metrics data.")))
    lines = toc + body
    img = _page((1100, 500), lines)
    region = select_crop_region(img, "what does Font.measure return", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, union([body[6].box, body[7].box])), region
    assert region.box[0] > 200, region
    region = select_crop_region(img, "is Font.measure listed in the table of contents?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, toc[5].box), region
    # Versions and numbers are held by side columns themselves (a crate's version in a docs sidebar).
    side = (*toc, OcrLine("font 1.4.2", (30, 200, 150, 218), 0.99))
    with_version = side + tuple(OcrLine(ln.text.replace("text)", "text, version)"), ln.box, 0.99) for ln in body)
    region = select_crop_region(_page((1100, 500), with_version), "which font version is shown?",
                                ocr=OcrResult("", 0.99, with_version, 0.0))
    assert region is not None and contains(region.box, side[-1].box), region


def test_form_labels_are_not_a_side_column() -> None:
    # Labels in the left third with their values on the same rows: a form, not a contents column.
    labels = ("Invoice number", "Date", "Customer", "Total")
    lines = tuple(OcrLine(t, (40, 60 + 40 * k, 40 + 14 * len(t), 84 + 40 * k), 0.99) for k, t in enumerate(labels))
    values = tuple(OcrLine(v, (500, 60 + 40 * k, 500 + 14 * len(v), 84 + 40 * k), 0.99)
                   for k, v in enumerate(("INV-0042", "2024-03-01", "ACME Corporation Ltd", "1820.40 EUR")))
    notes = tuple(OcrLine(f"Note {k}: payment terms apply to the total amount due", (300, 300 + 30 * k, 1000,
                          324 + 30 * k), 0.99) for k in range(3))
    all_lines = lines + values + notes
    region = select_crop_region(_page((1100, 500), all_lines), "Total", ocr=OcrResult("", 0.99, all_lines, 0.0))
    assert region is not None and contains(region.box, union([lines[3].box, values[3].box])), region


@pytest.mark.parametrize("query", ["qual é a próxima página?", "ما هي الصفحة التالية؟", "下一页是什么？"])
def test_next_page_link_asked_in_another_language(query: str) -> None:
    body = tuple(OcrLine(f"Paragraph line {k} of the documentation page body", (100, 60 + 30 * k, 1000, 84 + 30 * k),
                         0.99) for k in range(12))
    prev, nxt = OcrLine("Previous", (100, 520, 200, 545), 0.99), OcrLine("Next", (930, 520, 990, 545), 0.99)
    lines = (*body, prev, nxt)
    region = select_crop_region(_page((1100, 600), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, nxt.box), region
    assert region.box[1] > 300, region


def test_panel_named_by_its_colour() -> None:
    # A documentation page with a pink warning, two yellow notes and two grey code blocks; questions name the
    # panel by its fill, not by its text.
    # (Of different widths: panels of one width stacked closely are one striped table.)
    fills = (((100, 60, 1000, 130), (255, 228, 228)), ((100, 200, 970, 250), (255, 251, 232)),
             ((100, 300, 940, 420), (238, 238, 238)), ((100, 500, 910, 550), (255, 251, 232)),
             ((100, 620, 880, 760), (238, 238, 238)))
    texts = ("Warning: the module is not secure against malicious data.", "Changed in version 0.18: added.",
             "import xml.etree.ElementTree as ET", "Changed in version 0.20: removed.", "tree = ET.parse(path)")
    lines = tuple(OcrLine(t, (120, f[0][1] + 12, 120 + 13 * len(t), f[0][1] + 36), 0.99)
                  for t, f in zip(texts, fills, strict=True))
    img = _page((1100, 800), lines, fills=fills)
    ocr_result = OcrResult("", 0.99, lines, 0.0)
    region = select_crop_region(img, "what's the red box about", ocr=ocr_result)
    assert region is not None and contains(region.box, fills[0][0]) and region.box[3] < 200, region
    region = select_crop_region(img, "what do the yellow boxes say", ocr=ocr_result)
    assert region is not None and contains(region.box, union([fills[1][0], fills[3][0]])), region
    region = select_crop_region(img, "Was steht in dem grauen Kasten unten?", ocr=ocr_result)
    assert region is not None and contains(region.box, fills[4][0]) and region.box[1] > 450, region
    # No colour named: no panel by colour ("do" is not Vietnamese "đỏ" here).
    region = select_crop_region(img, "what do the notes say about version 0.20", ocr=ocr_result)
    assert region is None or "panel the query names" not in region.reason, region


@pytest.mark.parametrize("query", ["em que linha está o cursor?", "カーソルは何行目にある？", "where is the cursor?"])
def test_cursor_position_in_an_editor_status_bar(query: str) -> None:
    code = tuple(OcrLine(f"    value_{k} = compute(line {k})", (40, 30 + 24 * k, 600, 50 + 24 * k), 0.99)
                 for k in range(20))
    status = OcrLine("Ln: 142 Col: 0", (1180, 560, 1280, 585), 0.99)
    lines = (*code, status)
    region = select_crop_region(_page((1300, 600), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, status.box), region
    assert region.box[0] > 900, region


def test_manual_running_header_and_footer_lose_to_the_body() -> None:
    # A man page: its header and footer rows repeat the command's name in a few short pieces; the body
    # explains it. "What is xprop for" is answered by the body; its version by the footer.
    header = (OcrLine("XPROP(1)", (20, 30, 110, 50), 0.99),
              OcrLine("General Commands Manual", (380, 30, 640, 50), 0.99),
              OcrLine("XPROP(1)", (900, 30, 990, 50), 0.99))
    footer = (OcrLine("X Version 11", (20, 1350, 150, 1370), 0.99),
              OcrLine("xprop 1.2.4", (440, 1350, 560, 1370), 0.99),
              OcrLine("XPROP(1)", (900, 1350, 990, 1370), 0.99))
    body = (OcrLine("NAME", (20, 80, 80, 100), 0.99),
            OcrLine("xprop - property displayer for X", (40, 105, 400, 125), 0.99),
            OcrLine("SUMMARY", (20, 160, 110, 180), 0.99),
            OcrLine("The xprop utility is for displaying window and font properties in an X server.",
                    (40, 185, 960, 205), 0.99),
            *(OcrLine(f"-option{k}   Print out option {k} of the command line options.", (40, 260 + 40 * k, 900,
                      280 + 40 * k), 0.99) for k in range(20)))
    lines = (*header, *body, *footer)
    img = _page((1000, 1400), lines)
    region = select_crop_region(img, "what is xprop for", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and region.box[1] > 50 and region.box[3] < 1350, region
    region = select_crop_region(img, "which version of xprop does this page describe?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, footer[1].box), region


def test_tall_line_of_code_is_not_a_heading() -> None:
    # A config listing set larger than the prose: a matched "key = value" line is not a heading, so the
    # answer is not "the section under it".
    prose = tuple(OcrLine(f"Prose line {k} explaining how to package the application", (60, 40 + 26 * k, 900,
                          60 + 26 * k), 0.99) for k in range(10))
    cfg = (OcrLine("name = django-polls", (80, 320, 400, 350), 0.99),
           OcrLine("long_description = file: README.rst", (80, 356, 560, 386), 0.99),
           OcrLine("url = https://www.example.com/", (80, 396, 500, 418), 0.99),
           OcrLine("author = Your Name", (80, 424, 360, 446), 0.99))
    lines = prose + cfg
    region = select_crop_region(_page((1000, 600), lines), "what is the long_description in setup.cfg",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, cfg[1].box), region
    assert "heading" not in region.reason, region


def test_paragraph_takes_the_width_of_its_column_from_rows_further_away() -> None:
    # A docs page column: a short paragraph, a few short code lines under it, and the column's full-width
    # prose ten rows further down; people asking about the paragraph mark the column's width.
    para = (OcrLine("To listen with the decorator:", (380, 100, 740, 122), 0.99),)
    code = tuple(OcrLine(t, (395, 160 + 24 * k, 395 + 12 * len(t), 180 + 24 * k), 0.99) for k, t in enumerate((
        "from sqlalchemy.event import listens_for", "from sqlalchemy.pool import Pool", "",
        "@listens_for(Pool, 'connect')", "def my_on_connect(dbapi_con, connection_record):",
        "    print('New DBAPI connection:', dbapi_con)")) if t)
    prose = OcrLine("Some listeners allow modifiers to be passed to listen(); these modify the behaviour.",
                    (380, 380, 1220, 402), 0.99)
    lines = (*para, *code, prose)
    region = select_crop_region(_page((1280, 720), lines), "how do I listen with the decorator",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, para[0].box), region
    assert region.box[2] >= 1200, region


def test_option_list_row_when_block_and_row_would_cover_the_page() -> None:
    # A manual's option list: flags in one column, descriptions in the other. The flag column is one text
    # block; with the matched row to its right it would be the whole page: the row is the answer.
    opts = ("-display", "-geometry", "-into", "-iconic", "-help", "-fg", "-bg", "-fn", "-title", "-name")
    lines = tuple(ln for k, f in enumerate(opts) for ln in (
        OcrLine(f"{f} value", (30, 20 + 40 * k, 150, 40 + 40 * k), 0.99),
        OcrLine(f"set the {f[1:]} option of the window to this value, as described below", (260, 20 + 40 * k,
                980, 40 + 40 * k), 0.99)))
    region = select_crop_region(_page((1000, 440), lines), "what does -into do", ocr=OcrResult("", 0.99, lines, 0.0))
    into = [ln for ln in lines if "into" in ln.text]
    assert region is not None and all(contains(region.box, ln.box) for ln in into), region
    assert region.box[3] - region.box[1] < 150, region


@pytest.mark.parametrize("query, words", [
    ("epsilon이 None이면 스텝 크기는?", {"epsilon", "none"}),
    ("ONLY を付けるとクエリの結果はどう変わる？", {"only"}),
    ("이 코드에서 betavariate의 반환값", {"betavariate"}),
    ("on which line is __contains__ defined", {"contains"}),
])
def test_latin_names_in_cjk_questions_and_underscored_names_are_terms(query: str, words: set[str]) -> None:
    from headroom_middleware.crop.query import query_terms

    assert words <= set(query_terms(query).words)


def test_numbered_item_named_by_number_or_ordinal() -> None:
    # Three "Example N:" lead-ins; the question names one by its number (one digit, too short to search
    # alone), by an ordinal, or in another language.
    lines = tuple(ln for k in range(3) for ln in (
        OcrLine(f"Example {k + 1}: the function passed to apply returns a frame", (60, 40 + 300 * k, 900,
                62 + 300 * k), 0.99),
        *(OcrLine(f"row {r} of output {k + 1}", (80, 90 + 300 * k + 26 * r, 400, 110 + 300 * k + 26 * r), 0.99)
          for r in range(4))))
    img = _page((1000, 950), lines)
    for query, k in (("what does example 3 return", 2), ("convert the output of the second example", 1),
                     ("Was gibt Beispiel 1 zurück?", 0)):
        region = select_crop_region(img, query, ocr=OcrResult("", 0.99, lines, 0.0))
        assert region is not None and contains(region.box, lines[5 * k].box), (query, region)
        assert not any(contains(region.box, lines[5 * j].box) for j in range(3) if j != k), (query, region)


def test_table_lookup_takes_the_row_under_the_named_column() -> None:
    # "realgdp in 2000": the column's header and the row's label are separate cells; no one line holds both.
    header = tuple(OcrLine(t, (x, 20, x + 70, 44), 0.99) for t, x in (("year", 20), ("realgdp", 140),
                                                                       ("cpi", 260), ("unemp", 380)))
    rows = tuple(ln for k, year in enumerate(range(1990, 2010)) for ln in (
        OcrLine(str(year), (20, 60 + 30 * k, 80, 84 + 30 * k), 0.99),
        OcrLine(f"{9000 + 37 * k}.5", (140, 60 + 30 * k, 210, 84 + 30 * k), 0.99),
        OcrLine(f"{130 + k}.2", (260, 60 + 30 * k, 320, 84 + 30 * k), 0.99),
        OcrLine(f"{4 + k % 3}.1", (380, 60 + 30 * k, 430, 84 + 30 * k), 0.99)))
    lines = header + rows
    region = select_crop_region(_page((1000, 800), lines), "what's realgdp in 2000",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    row2000 = rows[4 * 10:4 * 11]
    assert region is not None and "table" in region.reason, region
    assert contains(region.box, header[1].box) and all(contains(region.box, c.box) for c in row2000), region
    # The largest value reads the whole column: not one row.
    region = select_crop_region(_page((1000, 800), lines), "in which year was realgdp highest",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is None or "table row" not in region.reason, region


def test_table_named_in_the_query_beats_prose_about_tables() -> None:
    # A docs page: prose mentions "tables" and "example" (it matches more words), the figure under it is a
    # small table of short cells holding the asked-about row. "the example table" is that table.
    prose = tuple(OcrLine(t, (40, 40 + 26 * k, 1200, 62 + 26 * k), 0.99) for k, t in enumerate((
        "Most tables in SQLite consist of zero or more rows with a unique integer key.",
        "As an example, this article uses a table named FruitsForSale which relates fruits to prices.",
        "With some arbitrary data, such a table might be logically stored on disk as shown below.")))
    cells = (("rowid", "fruit", "state", "price"), ("1", "Orange", "FL", "0.85"), ("2", "Apple", "NC", "0.45"),
             ("4", "Peach", "SC", "0.60"), ("18", "Lemon", "FL", "1.25"), ("23", "Orange", "CA", "1.05"))
    grid = tuple(OcrLine(t, (490 + 80 * c, 300 + 22 * r, 540 + 80 * c, 318 + 22 * r), 0.99)
                 for r, row in enumerate(cells) for c, t in enumerate(row))
    lines = prose + grid
    region = select_crop_region(_page((1280, 720), lines), "what's the price of a lemon in the example table",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and all(contains(region.box, ln.box) for ln in grid), region
    assert not contains(region.box, prose[0].box), region


def test_table_row_reaches_the_rulings_of_its_table() -> None:
    # A ruled table whose last column's text is short: the rules run to the table's frame, well right of
    # the text, and people mark the row to the frame.
    header = tuple(OcrLine(t, (x, 20, x + 150, 44), 0.99) for t, x in (("Operating system", 100),
                                                                        ("Tested Python versions", 400),
                                                                        ("Architecture", 700)))
    names = ("Alpine", "Arch", "CentOS 7", "Debian 11", "Fedora 36", "macOS 11 Big Sur")
    rows = tuple(ln for k, name in enumerate(names) for ln in (
        OcrLine(name, (100, 60 + 40 * k, 100 + 12 * len(name), 84 + 40 * k), 0.99),
        OcrLine(f"3.{7 + k % 3}", (400, 60 + 40 * k, 440, 84 + 40 * k), 0.99),
        OcrLine("x86-64", (700, 60 + 40 * k, 770, 84 + 40 * k), 0.99)))
    rules = tuple(((90, 52 + 40 * k, 1100, 53 + 40 * k), "black") for k in range(len(names) + 1))
    lines = header + rows
    region = select_crop_region(_page((1200, 800), lines, rules), "which python versions are tested on macOS 11?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "table" in region.reason, region
    assert all(contains(region.box, ln.box) for ln in rows[-3:]), region
    assert region.box[2] >= 1100, region


def test_graphic_named_in_the_query_is_found_among_the_text() -> None:
    # A notebook page: code and prose lines, and a scatter plot (axes, dots) whose labels do not repeat the
    # question's words. "explain this plot" is the plot, not a line of text.
    lines = tuple(OcrLine(f"line {k} of the notebook text about fitting the model", (60, 30 + 28 * k, 700,
                          50 + 28 * k), 0.99) for k in range(6))
    img = _page((1200, 900), lines)
    draw = ImageDraw.Draw(img)
    draw.line((400, 300, 400, 800), fill="black", width=2)
    draw.line((400, 800, 1100, 800), fill="black", width=2)
    for k in range(25):
        x, y = 420 + 26 * k, 780 - (k * 37) % 460
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(40, 110, 180))
    region = select_crop_region(img, "explain this plot", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "figure" in region.reason, region
    assert contains(region.box, (400, 320, 1060, 800)), region
    assert region.confidence < 0.5, region  # a guess: below the gate
    # Without a graphic on the page the question falls through to the other rules.
    plain = select_crop_region(_page((1200, 900), lines), "explain this plot", ocr=OcrResult("", 0.99, lines, 0.0))
    assert plain is None or "figure" not in plain.reason, plain


def test_sidebar_without_a_fill_is_its_column_of_short_lines() -> None:
    # A docs page whose navigation column has no background of its own: short entries at the left, a
    # gutter, the body's long lines at the right (not on the entries' rows).
    side = tuple(OcrLine(f"Section {k}", (20, 100 + 37 * k, 160, 120 + 37 * k), 0.99) for k in range(8))
    body = tuple(OcrLine(f"Body paragraph line {k} explaining the library in some detail here.", (300, 80 + 26 * k,
                         1180, 98 + 26 * k), 0.99) for k in range(20))
    lines = side + body
    region = select_crop_region(_page((1200, 700), lines), "какие разделы есть в боковом меню?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "sidebar" in region.reason, region
    assert all(contains(region.box, ln.box) for ln in side) and region.box[2] < 300, region


def _manual(sections: tuple[tuple[str, tuple[str, ...]], ...], name: str) -> tuple[OcrLine, ...]:
    """A man page: a running header and footer naming ``name``, then headed sections down the page."""
    header = (OcrLine(f"{name}(3)", (20, 30, 240, 50), 0.99), OcrLine("libcurl Manual", (420, 30, 580, 50), 0.99),
              OcrLine(f"{name}(3)", (760, 30, 980, 50), 0.99))
    footer = (OcrLine("libcurl 7.88.1", (20, 1350, 150, 1370), 0.99),
              OcrLine("January 2, 2023", (440, 1350, 560, 1370), 0.99),
              OcrLine(f"{name}(3)", (760, 1350, 980, 1370), 0.99))
    body: list[OcrLine] = []
    y = 90
    for heading, texts in sections:
        body.append(OcrLine(heading, (20, y, 20 + 14 * len(heading), y + 24), 0.99))
        y += 30
        for t in texts:
            body.append(OcrLine(t, (60, y, 60 + 11 * len(t), y + 20), 0.99))
            y += 26
        y += 30
    return (*header, *body, *footer)


def test_the_pages_subject_yields_to_the_rest_of_the_question() -> None:
    # "When was curl_multi_perform added", on curl_multi_perform's own page: the name is in the running header
    # and in prose lines; "Added in 7.9.6" under AVAILABILITY answers it.
    lines = _manual((("NAME", ("curl_multi_perform - reads/writes available data from each easy handle",)),
                     ("DESCRIPTION", ("This function performs transfers on all the added handles that need",
                                      "attention in a non-blocking fashion. When an application has found",
                                      "out there is data available, it calls curl_multi_perform(3).")),
                     ("AVAILABILITY", ("Added in 7.9.6",)),
                     ("RETURN VALUE", ("CURLMcode type, general libcurl multi interface error code.",))),
                    "curl_multi_perform")
    added = next(ln for ln in lines if ln.text == "Added in 7.9.6")
    img = _page((1000, 1400), lines)
    region = select_crop_region(img, "when was curl_multi_perform added", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, added.box), region
    assert region.box[1] > 200, region  # not the NAME or DESCRIPTION lines
    # The subject alone: its lines are all there is to go on.
    region = select_crop_region(img, "what does curl_multi_perform do", ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and region.box[1] < 200, region


@pytest.mark.parametrize("query", ["¿qué privilegios se pueden dar sobre una secuencia?",
                                   "Welche Privilegien gibt es für Sequenzen?"])
def test_cognate_of_a_question_word_matches_weakly(query: str) -> None:
    # The page is in English; the question in Spanish or German. "privilegios"/"Privilegien" are not on the
    # page, "privileges" is: its line is the answer.
    prose = tuple(OcrLine(f"General remark {k} about the database system and how it stores its data.",
                          (60, 60 + 30 * k, 900, 80 + 30 * k), 0.99) for k in range(8))
    target = OcrLine("The privileges that can be granted on a sequence are USAGE, SELECT, UPDATE.",
                     (60, 600, 950, 620), 0.99)
    lines = (*prose, target)
    region = select_crop_region(_page((1000, 900), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, target.box) and region.box[1] > 400, region


def test_cognates_share_a_stem_after_spelling_rules() -> None:
    from headroom_middleware.crop.wordmatch import cognate as _cognate
    from headroom_middleware.crop.wordmatch import cognate_form as _cognate_form

    def cognate(a: str, b: str) -> bool:
        return _cognate(_cognate_form(a), _cognate_form(b))

    assert cognate("funktionsnamen", "function") and cognate("funcion", "function") and cognate("funcao", "function")
    assert cognate("historial", "history") and cognate("alternativ", "alternative")
    assert not cognate("welche", "welcome") and not cognate("modus", "model") and not cognate("puede", "put")


def test_dotless_i_and_stroked_letters_fold_to_their_latin_base() -> None:
    # A Turkish question typed with "ı" names the same concept as the table's ASCII "varsayilan".
    from headroom_middleware.crop.lexicon import fold
    from headroom_middleware.crop.query import query_terms

    assert fold("Varsayılan değer") == "varsayilan deger" and fold("przykład") == "przyklad"
    assert "default" in query_terms("Varsayılan değer nedir?").concept_forms


@pytest.mark.parametrize(("query", "word"), [("パスワードストアに指定できる値は？", "password store"),
                                             ("デバッグビルドで何が変わるの？", "debug build"),
                                             ("쿼리 플래너가 잘 동작하려면 뭘 해야 해?", "query planner"),
                                             ("하버사인 거리 오차는 어느 정도야?", "haversine"),
                                             ("세션 객체 쓰면 뭐가 좋아?", "session")])
def test_borrowed_word_finds_the_english_word_it_came_from(query: str, word: str) -> None:
    # A Japanese or Korean question about an English page names the thing in katakana or Hangul.
    from headroom_middleware.crop.loanwords import loan_skeletons, skeleton

    assert skeleton(word) in loan_skeletons(query)
    prose = tuple(OcrLine(f"Remark {k} on the general settings and how they are written to disk.",
                          (60, 60 + 30 * k, 900, 80 + 30 * k), 0.99) for k in range(8))
    target = OcrLine(f"The {word} is described here in full.", (60, 600, 700, 620), 0.99)
    lines = (*prose, target)
    region = select_crop_region(_page((1000, 900), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, target.box) and region.box[1] > 400, region


def test_borrowed_word_of_a_concept_is_not_counted_twice() -> None:
    # "옵션" is in the options concept: its lines are found by the concept, and the borrowing adds nothing.
    from headroom_middleware.crop.loanwords import loan_skeletons
    from headroom_middleware.crop.wordmatch import loan_score as _loan_score

    assert _loan_score("Options", loan_skeletons("옵션")) > 0  # the borrowing alone does match
    lines = (OcrLine("DEFAULT", (20, 100, 120, 124), 0.99), OcrLine("0, disabled", (60, 130, 200, 150), 0.99),
             *(OcrLine(f"Other option {k} is set with a call to the library.", (60, 300 + 30 * k, 700, 320 + 30 * k),
                       0.99) for k in range(8)))
    region = select_crop_region(_page((1000, 800), lines), "이 옵션 기본값이 뭐야?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[1].box) and region.box[3] < 300, region


def test_acronym_finds_the_line_that_spells_it_out() -> None:
    # "What does L-BFGS mean": the page writes "_fit_lbfgs" in code and spells the name out once.
    lines = (OcrLine("statsmodels.base.optimizer._fit_lbfgs", (130, 120, 810, 160), 0.99),
             OcrLine("_fit_lbfgs(f, score, start_params, fargs, kwargs)", (118, 190, 980, 222), 0.99),
             OcrLine("Fit using Limited-memory Broyden-Fletcher-Goldfarb-Shannon algorithm.", (160, 300, 830, 330),
                     0.99),
             *(OcrLine(f"Parameter {k}: a value passed through to the objective.",
                       (180, 400 + 40 * k, 800, 425 + 40 * k), 0.99) for k in range(10)))
    region = select_crop_region(_page((1000, 900), lines), "co oznacza skrót L-BFGS według tej strony?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[2].box), region
    from headroom_middleware.crop.wordmatch import expansion_score as _expansion_score

    # Three letters are found among capitalised words only, not among a sentence's every initial.
    assert _expansion_score("Transport Layer Security is used", ("TLS",)) > 0
    assert _expansion_score("the library uses threads locally sometimes", ("TLS",)) == 0


def test_russian_word_is_looked_for_in_latin_letters() -> None:
    # "конструктор" on an English page: its Latin spelling is a cognate of "constructor".
    prose = tuple(OcrLine(f"General remark {k} about the module and how it stores its data.",
                          (60, 60 + 30 * k, 900, 80 + 30 * k), 0.99) for k in range(8))
    target = OcrLine("The constructor copies its input unchanged.", (60, 600, 700, 620), 0.99)
    lines = (*prose, target)
    region = select_crop_region(_page((1000, 900), lines), "Что делает конструктор?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, target.box) and region.box[1] > 400, region


def test_match_inside_the_numbered_item_the_question_names() -> None:
    # "Why does group_keys have no effect in example 2": "Example 2: ..." matches the item best, the
    # group_keys remark under it (before "Example 3") answers.
    def para(y: int, text: str) -> OcrLine:
        return OcrLine(text, (150, y, 150 + 11 * len(text), y + 22), 0.99)

    lines = (para(60, "Example 1: the function passed to apply takes a DataFrame and returns a DataFrame."),
             *(para(100 + 30 * k, f">>> g1.apply(lambda x: x / x.sum())  # row {k}") for k in range(5)),
             para(420, "Example 2: apply combines the result for each group; the keys have the group names."),
             *(para(460 + 30 * k, f">>> g2.apply(lambda x: x.max() - x.min())  # row {k}") for k in range(5)),
             para(780, "The group_keys argument has no effect here because the result is not like-indexed."),
             para(840, "Example 3: the function passed to apply takes a DataFrame and returns a scalar."),
             *(para(880 + 30 * k, f">>> g3.apply(lambda x: x.C.max())  # row {k}") for k in range(5)))
    region = select_crop_region(_page((1200, 1100), lines), "why does group_keys have no effect in example 2?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    remark = next(ln for ln in lines if ln.text.startswith("The group_keys"))
    assert region is not None and contains(region.box, remark.box), region


def _listing(rows: list[tuple[int, str]], x0: int = 120, gutter: bool = True) -> tuple[OcrLine, ...]:
    """An editor's listing: (indent in characters, text) per row, 20 px rows, 10 px characters, line numbers
    in a gutter left of the code; ``def`` read as its own box (editors colour it apart)."""
    out: list[OcrLine] = []
    for k, (indent, text) in enumerate(rows):
        y = 10 + 20 * k
        if gutter:
            out.append(OcrLine(str(100 + k), (20, y, 60, y + 18), 0.99))
        if not text:
            continue
        x = x0 + 10 * indent
        if text.startswith("def "):
            out.append(OcrLine("def", (x, y, x + 30, y + 18), 0.99))
            x, text = x + 40, text[4:]
        out.append(OcrLine(text, (x, y, x + 10 * len(text), y + 18), 0.99))
    return tuple(out)


def test_definition_the_query_names_is_its_whole_body() -> None:
    # The name sits on call sites too (one in another method): the answer is the def line and its body,
    # down to the next line at the def's indentation, with the line numbers beside it.
    rows = [(4, "def __init__(self):"), (8, "self.data = {}"), (0, ""),
            (4, "def _commit_removals(self):"), (8, "pop = self._pending.pop"), (8, "while True:"),
            (12, "key = pop()"), (12, "del self.data[key]"), (0, ""),
            (4, "def __len__(self):"), (8, "self._commit_removals()"), (8, "return len(self.data)")]
    lines = _listing(rows)
    img = _page((900, 300), lines)
    for query in ("اشرح الدالة _commit_removals", "what does _commit_removals() do?"):
        region = select_crop_region(img, query, ocr=OcrResult("", 0.99, lines, 0.0))
        assert region is not None and "definition" in region.reason and region.confidence >= 0.5, (query, region)
        assert region.box[1] <= 70 and region.box[3] >= 170 and region.box[0] <= 20, (query, region)
        assert region.box[3] < 190 + 18, (query, region)  # not the next method with the call site
    # A plain word is not a definition's name ("class FTP:" on the page, "the FTP port" asked about).
    from headroom_middleware.crop.code import defined_names

    assert defined_names("what's the standard FTP control port?") == []
    assert "register" in defined_names("copy the register view function")


def test_a_match_left_of_the_definition_is_documentation_about_it() -> None:
    # A docs page: the method's signature documented in prose, and an example overriding it further down.
    # The documented signature answers "what does get_bound_field return", not the override.
    doc = (OcrLine("Field.get_bound_field(form, field_name)", (100, 40, 520, 60), 0.99),
           OcrLine("Takes an instance of Form and the name of the field. The return value is used", (110, 66, 800, 84),
                   0.99))
    code = _listing([(0, "class GPSField(Field):"), (4, "def get_bound_field(self, form, field_name):"),
                     (8, "return GPSBoundField(form, self, field_name)")], x0=100, gutter=False)
    code = tuple(OcrLine(ln.text, (ln.box[0], ln.box[1] + 300, ln.box[2], ln.box[3] + 300), 0.99) for ln in code)
    lines = doc + code
    region = select_crop_region(_page((1000, 600), lines), "что возвращает get_bound_field?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "definition" not in region.reason and contains(region.box, doc[0].box), region


def test_panel_labels_at_its_left_are_a_margin_not_the_next_column() -> None:
    # A docs page: a sidebar's entries end just left of the main column's card. An example asked about is
    # the card holding the match; labels "left of" a panel are tick labels, a narrow margin, so the
    # sidebar's lines beside the card do not join it (the crop would be the whole page).
    side = tuple(OcrLine(f"Sidebar entry number {k}", (40, 100 + 40 * k, 290, 122 + 40 * k), 0.99) for k in range(20))
    prose = tuple(OcrLine(f"Main column prose line {k} about mapping", (320, 100 + 30 * k, 900, 122 + 30 * k), 0.99)
                  for k in range(6))
    code = (OcrLine("Base = declarative_base()", (330, 330, 700, 352), 0.99),)
    lines = side + prose + code
    fills = (((300, 80, 1000, 1000), (235, 235, 235)),)
    region = select_crop_region(_page((1400, 1400), lines, fills),
                                "how is the declarative base created in the example?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, code[0].box), region
    assert region.box[0] > 200 and not any(contains(region.box, ln.box) for ln in side), region


def test_a_side_named_loosely_does_not_hide_the_only_match() -> None:
    # "the retry comment on the right" when the one line about retries sits left of centre: the match, not
    # the empty right half. A footer named is no loose side: nothing matches there, so no text match.
    lines = (OcrLine("# retry the request three times before giving up", (40, 300, 520, 322), 0.99),
             *(OcrLine(f"value_{k} = compute({k})", (40, 340 + 26 * k, 400, 362 + 26 * k), 0.99) for k in range(8)),
             OcrLine("Ln 12, Col 4   UTF-8   Python", (860, 850, 1160, 872), 0.99))
    img, ocr_result = _page((1200, 900), lines), OcrResult("", 0.99, lines, 0.0)
    region = select_crop_region(img, "what does the retry comment on the right say?", ocr=ocr_result)
    assert region is not None and contains(region.box, lines[0].box), region
    region = select_crop_region(img, "what does the retry note in the footer say?", ocr=ocr_result)
    assert region is None or not contains(region.box, lines[0].box), region


@pytest.mark.parametrize("query", ["jaką wersję xprop opisuje ta strona?", "xprop hangi sürümü anlatıyor?",
                                   "яку версію описує сторінка?", "đây là phiên bản nào?", "welke versie is dit?"])
def test_version_asked_in_more_languages(query: str) -> None:
    from headroom_middleware.crop.query import query_terms

    assert query_terms(query).version, query


def test_release_date_asked_in_portuguese_finds_the_release_line() -> None:
    # "data de lançamento" (release date): the release line, not the title that repeats the product's name.
    lines = (OcrLine("SQLAlchemy 1.4 Documentation", (40, 30, 340, 60), 0.99),
             OcrLine("Release: 1.4.46 | Release Date: January 3, 2023", (850, 50, 1230, 75), 0.99),
             *(OcrLine(f"Chapter {k} of the ORM tutorial", (40, 200 + 40 * k, 500, 224 + 40 * k), 0.99)
               for k in range(8)))
    region = select_crop_region(_page((1280, 720), lines), "qual versão do SQLAlchemy e qual a data de lançamento?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[1].box), region
    assert not contains(region.box, lines[0].box), region


@pytest.mark.parametrize(("query", "line"), [
    ("Muss ich den Puffer nach dem Setzen behalten?", "The buffer must stay valid until the transfer is done."),
    ("Vilket alternativ tar ett filnamn istället?", "-o FILE  write the output to the file name given"),
    ("qual mensagem aparece se as senhas não batem?", "The two password fields didn't match."),
    ("Welche Fehlermeldung kommt bei einer ungültigen Gruppe?", 'raise ValueError("invalid group name")'),
    ("自動エスケープが有効になるのはどの拡張子？", "autoescaping is on for templates ending in these extensions"),
    ("Що таке змінна g?", "g  a namespace object: a variable that lives for one request"),
    ("Wie schnell war das Sortieren pro Schleife?", "1000 loops, best of 5: 312 usec per loop"),
    ("¿qué devuelve la función?", "Returns: the approximated Hessian"),
    ("¿cuál es el tamaño máximo del fichero?", "max_size  the largest upload size accepted, in bytes"),
])
def test_form_and_readme_words_in_the_askers_language(query: str, line: str) -> None:
    lines = (*(OcrLine(f"Unrelated option number {k} of the command", (60, 40 + 40 * k, 700, 64 + 40 * k), 0.99)
               for k in range(6)), OcrLine(line, (60, 400, 760, 424), 0.99))
    region = select_crop_region(_page((900, 700), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[-1].box), (query, region)
    assert not contains(region.box, lines[0].box), (query, region)


def test_hindi_question_finds_english_words_it_borrows() -> None:
    # "रास्टर फ़ील्ड किस बैकएंड में सपोर्टेड है?" (which backend supports raster fields?): the borrowed words
    # read as raster, field, backend, supported; the line holding most of them beats a heading holding two.
    lines = (OcrLine("Creating and Saving Models with Raster Fields", (60, 40, 700, 70), 0.99),
             *(OcrLine(f"Prose line {k} about geometry models", (60, 90 + 30 * k, 600, 112 + 30 * k), 0.99)
               for k in range(5)),
             OcrLine("RasterField is only implemented for the PostGIS backend, raster fields", (60, 300, 900, 322),
                     0.99))
    region = select_crop_region(_page((1000, 500), lines), "रास्टर फ़ील्ड किस बैकएंड में सपोर्टेड है?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and contains(region.box, lines[-1].box), region
    assert not contains(region.box, lines[0].box), region


def test_code_block_named_without_a_text_match_is_the_pages_code_panel() -> None:
    # "What colour is the background of the code blocks?" in Italian: no line repeats the question's words;
    # the panel holding the code is the answer, as a guess below the gate.
    prose = tuple(OcrLine(f"Regardless of which module line {k} was started", (60, 40 + 30 * k, 900, 62 + 30 * k), 0.99)
                  for k in range(3))
    code = tuple(OcrLine(f"print(user_{k})", (80, 200 + 26 * k, 400, 222 + 26 * k), 0.99) for k in range(6))
    lines = prose + code
    img = _page((1000, 600), lines, (((60, 185, 940, 370), (230, 250, 210)),))
    region = select_crop_region(img, "Di che colore è lo sfondo dei blocchi di codice?",
                                ocr=OcrResult("", 0.99, lines, 0.0))
    assert region is not None and "code block" in region.reason and region.confidence < 0.5, region
    assert contains(region.box, (60, 185, 940, 370)) and not contains(region.box, prose[0].box), region


def test_file_extensions_asked_for_find_the_line_listing_them() -> None:
    # "which file extensions get autoescaping": the line listing ".html, .htm, .xml" (OCR spaced the dots),
    # not prose that says "extensions".
    lines = (OcrLine("necessary to enable rich extensions. An extension can use Jinja2", (100, 40, 900, 64), 0.99),
             *(OcrLine(f"Other configuration line {k} of the application", (100, 100 + 30 * k, 800, 122 + 30 * k),
                       0.99) for k in range(5)),
             OcrLine("autoescaping is enabled for all templates ending in . html, . htm, . xml", (100, 300, 900, 324),
                     0.99))
    for query in ("which file extensions get autoescaping turned on", "自動エスケープが有効になるのはどの拡張子？"):
        region = select_crop_region(_page((1000, 500), lines), query, ocr=OcrResult("", 0.99, lines, 0.0))
        assert region is not None and contains(region.box, lines[-1].box), (query, region)
        assert not contains(region.box, lines[0].box), (query, region)
