"""Documents rendered with Pillow for OCR and crop tests (known text and known boxes).

Everything is drawn here, so the ground truth is exact: no image files, no downloads.
``ImageFont.load_default(size=N)`` is Pillow's bundled scalable font (Aileron, ASCII only);
DejaVu Sans is used when the system has it (it covers umlauts, Cyrillic, Greek).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

Box = tuple[int, int, int, int]


def font(size: int, dejavu: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if dejavu:
        return ImageFont.truetype(str(DEJAVU), size)
    return ImageFont.load_default(size=size)


@dataclass
class Doc:
    image: Image.Image
    lines: list[str] = field(default_factory=list)  # expected text, reading order
    boxes: dict[str, Box] = field(default_factory=dict)  # named regions drawn on the page


def _text(d: ImageDraw.ImageDraw, xy: tuple[int, int], s: str, f: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          fill: str = "black") -> Box:
    d.text(xy, s, fill=fill, font=f)
    b = d.textbbox(xy, s, font=f)
    return (int(b[0]), int(b[1]), int(b[2]), int(b[3]))


SIZES_LINES = [
    (12, "Shipping address: 42 Baker Street, London NW1 6XE"),
    (14, "Order reference 7731-B placed on 3 May 2024"),
    (16, "Please keep this receipt for your records."),
    (20, "Customer service: help@example.com"),
    (26, "Amount paid: 1,284.50 USD"),
    (34, "Thank you for your order"),
]


def sizes_page(dejavu: bool = False) -> Doc:
    """One line of text per size, 12 to 34 px."""
    img = Image.new("RGB", (900, 520), "white")
    d = ImageDraw.Draw(img)
    y = 20
    for size, s in SIZES_LINES:
        _text(d, (30, y), s, font(size, dejavu))
        y += int(size * 2.2)
    return Doc(img, [s for _, s in SIZES_LINES])


TITLE = "Quarterly Review of Regional Operations"
LEFT = [
    "The northern region grew steadily this",
    "quarter, helped by two new depots and",
    "shorter delivery routes. Staff turnover",
    "fell and customer ratings improved in",
    "every city we serve in the north.",
    "Fuel costs remained the main concern.",
]
RIGHT = [
    "In the southern region sales were flat",
    "because a large client paused orders",
    "during the summer. The team expects",
    "volumes to recover next quarter once",
    "the new contract is signed in August.",
    "Warehouse upgrades are on schedule.",
]


def two_columns() -> Doc:
    """A full-width title over two columns of prose whose lines align row by row."""
    img = Image.new("RGB", (1000, 560), "white")
    d = ImageDraw.Draw(img)
    _text(d, (30, 20), TITLE, font(26))
    f = font(16)
    for i, s in enumerate(LEFT):
        _text(d, (30, 90 + i * 30), s, f)
    for i, s in enumerate(RIGHT):
        _text(d, (520, 90 + i * 30), s, f)
    return Doc(img, [TITLE, *LEFT, *RIGHT])


TABLE = [
    ["Product", "Qty", "Unit price", "Amount"],
    ["Blue widget", "4", "12.50", "50.00"],
    ["Steel bracket", "10", "3.20", "32.00"],
    ["Cable set", "2", "18.75", "37.50"],
    ["Rubber feet", "8", "0.90", "7.20"],
]


def table() -> Doc:
    img = Image.new("RGB", (900, 300), "white")
    d = ImageDraw.Draw(img)
    f = font(18)
    xs = [30, 330, 500, 720]
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            _text(d, (xs[c], 30 + r * 45), cell, f)
    return Doc(img, [" | ".join(row) for row in TABLE])


RECEIPT_ITEMS = [("Sourdough loaf", "4.80"), ("Croissant x2", "3.60"), ("Rye bread", "3.95"), ("Coffee", "2.70")]


def receipt() -> Doc:
    """A narrow till receipt: items left, prices right, totals, a footer line."""
    img = Image.new("RGB", (420, 640), "white")
    d = ImageDraw.Draw(img)
    f = font(18)
    doc = Doc(img)
    doc.boxes["title"] = _text(d, (110, 20), "CORNER BAKERY", font(24))
    doc.lines.append("CORNER BAKERY")
    y = 90
    for name, price in RECEIPT_ITEMS:
        a = _text(d, (30, y), name, f)
        b = _text(d, (320, y), price, f)
        doc.boxes[name] = (a[0], min(a[1], b[1]), b[2], max(a[3], b[3]))
        doc.lines.append(f"{name} | {price}")
        y += 40
    y += 30
    for label, value, size in (("SUBTOTAL", "15.05", 18), ("TAX", "1.05", 18), ("TOTAL", "16.10", 22)):
        a = _text(d, (30, y), label, font(size))
        b = _text(d, (320 if size == 18 else 310, y), value, font(size))
        doc.boxes[label] = (a[0], min(a[1], b[1]), b[2], max(a[3], b[3]))
        doc.lines.append(f"{label} | {value}")
        y += 40
    doc.boxes["footer"] = _text(d, (60, y + 40), "Thank you, come again!", f)
    doc.lines.append("Thank you, come again!")
    return doc


def invoice() -> Doc:
    """A 1200x800 invoice page: header block, addresses, line items, totals bottom right."""
    img = Image.new("RGB", (1200, 800), "white")
    d = ImageDraw.Draw(img)
    doc = Doc(img)
    doc.boxes["title"] = _text(d, (60, 40), "INVOICE", font(40))
    doc.boxes["number"] = _text(d, (760, 50), "Invoice number: INV-2024-0042", font(18))
    _text(d, (760, 80), "Date: 12 March 2024", font(18))
    _text(d, (760, 110), "Due date: 11 April 2024", font(18))
    for i, s in enumerate(["Northwind Traders", "18 Harbour Lane", "Bristol BS1 4QA"]):
        _text(d, (60, 140 + i * 28), s, font(18))
    d.line((60, 270, 1140, 270), fill="black", width=2)
    cols = [60, 600, 780, 960]
    rows = [("Description", "Qty", "Price", "Amount"), ("Consulting hours", "12", "95.00", "1140.00"),
            ("Travel expenses", "1", "230.00", "230.00"), ("Software licence", "3", "49.00", "147.00")]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            _text(d, (cols[c], 290 + r * 40), cell, font(18))
    d.line((60, 460, 1140, 460), fill="black", width=2)
    a = _text(d, (780, 560), "Subtotal", font(18))
    b = _text(d, (960, 560), "1517.00", font(18))
    doc.boxes["subtotal"] = (a[0], a[1], b[2], b[3])
    _text(d, (780, 600), "VAT 20%", font(18))
    _text(d, (960, 600), "303.40", font(18))
    a = _text(d, (780, 650), "Total", font(24))
    b = _text(d, (960, 650), "1820.40 EUR", font(24))
    doc.boxes["total"] = (a[0], min(a[1], b[1]), b[2], max(a[3], b[3]))
    doc.boxes["footer"] = _text(d, (60, 750), "Payment by bank transfer within 30 days.", font(14))
    return doc


def chart() -> Doc:
    """A bar chart with its legend in the top-right corner and a note in the bottom left."""
    img = Image.new("RGB", (1000, 700), "white")
    d = ImageDraw.Draw(img)
    d.line((80, 620, 950, 620), fill="black", width=2)
    d.line((80, 80, 80, 620), fill="black", width=2)
    for i, hgt in enumerate([300, 420, 250, 380, 460]):
        d.rectangle((120 + i * 120, 620 - hgt, 190 + i * 120, 620), fill=(60, 110, 200))
    d.rectangle((760, 60, 960, 170), outline="black")
    d.rectangle((775, 80, 795, 100), fill=(60, 110, 200))
    _text(d, (805, 80), "Revenue", font(18))
    d.rectangle((775, 120, 795, 140), fill=(220, 90, 60))
    _text(d, (805, 120), "Costs", font(18))
    doc = Doc(img)
    doc.boxes["legend"] = (760, 60, 961, 171)
    doc.boxes["note"] = _text(d, (20, 650), "Source: internal data", font(16))
    return doc


def cer(ref: str, hyp: str) -> float:
    """Character error rate: Levenshtein distance / len(ref)."""
    if not ref:
        return 0.0 if not hyp else 1.0
    prev = list(range(len(hyp) + 1))
    for i, rc in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, hc in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rc != hc))
        prev = cur
    return prev[-1] / len(ref)


def contains(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def untrained_scripts() -> Doc:
    """Russian and Greek lines: scripts the bundled recogniser was not trained on (DejaVu)."""
    img = Image.new("RGB", (800, 330), "white")
    d = ImageDraw.Draw(img)
    lines = ["Счёт № 5521 от 02.09.2024", "Итого к оплате: 18 450,00 руб.", "Оплата в течение десяти дней",
             "Τιμολόγιο αριθμός 3381", "Σύνολο: 742,50 ευρώ"]
    for i, s in enumerate(lines):
        _text(d, (20, 20 + 60 * i), s, font(22, dejavu=True))
    return Doc(img, lines)


def narrow_columns(gap: int = 24) -> Doc:
    """Two columns with a narrow gutter (the detector may merge lines across it) and a
    left-aligned footer below both columns."""
    img = Image.new("RGB", (760, 330), "white")
    d = ImageDraw.Draw(img)
    f = font(16)
    for i, s in enumerate(LEFT):
        _text(d, (30, 30 + i * 30), s, f)
    x2 = 30 + max(int(d.textlength(s, font=f)) for s in LEFT) + gap
    for i, s in enumerate(RIGHT[:5]):
        _text(d, (x2, 30 + i * 30), s, f)
    _text(d, (30, 260), "Footer: page 2 of 7", f)
    return Doc(img, [*LEFT, *RIGHT[:5], "Footer: page 2 of 7"])
