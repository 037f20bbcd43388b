"""Regenerate the full-resolution demo images used by the ``demo`` command.

    python tools/make_samples.py

Deterministic (fixed seeds); needs Pillow and numpy. Writes into ``headroom_middleware/samples/``
(a development tool: it is not part of the installed package):
  invoice.png    1240x1754 A4 invoice page: header, line-item table, total at the bottom right
  photo.jpg      4032x3024 synthetic outdoor scene (JPEG quality 85)
  dashboard.png  1920x1080 analytics dashboard with a line chart and a small legend top-right
  terminal.png   1280x800 terminal with a Python traceback
  receipt.png    576x1400 till receipt
Fonts: DejaVu (fonts-dejavu-core, Bitstream Vera licence) when installed, otherwise Pillow's
built-in scalable font (``ImageFont.load_default(size=N)``, Pillow >= 10.1).
All content is invented for this project (Apache-2.0).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parents[1] / "headroom_middleware" / "samples"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def font(size: int, style: str = "sans") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = {"sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "mono": "DejaVuSansMono.ttf",
            "monobold": "DejaVuSansMono-Bold.ttf"}[style]
    p = DEJAVU / name
    return ImageFont.truetype(str(p), size) if p.exists() else ImageFont.load_default(size=size)


def right(d: ImageDraw.ImageDraw, x: float, y: float, text: str, f: ImageFont.FreeTypeFont | ImageFont.ImageFont,
          fill: str | tuple[int, int, int] = (20, 20, 20)) -> None:
    d.text((x - d.textlength(text, font=f), y), text, font=f, fill=fill)


def make_invoice() -> Image.Image:
    W, H = 1240, 1754
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    navy, grey = (25, 45, 95), (90, 90, 100)
    d.rectangle([0, 0, W, 14], fill=navy)
    d.rectangle([90, 90, 170, 170], fill=navy)
    d.text((130 - d.textlength("NW", font=font(30, "bold")) / 2, 112), "NW", font=font(30, "bold"), fill="white")
    d.text((195, 96), "Northwind Analytics GmbH", font=font(30, "bold"), fill=navy)
    for k, line in enumerate(["Lindenstrasse 12, 10969 Berlin", "billing@northwind.example  |  +49 30 1234 5678", "VAT ID DE 123 456 789"]):
        d.text((195, 138 + k * 22), line, font=font(16), fill=grey)
    right(d, W - 90, 96, "INVOICE", font(44, "bold"), navy)
    meta = [("Invoice no.", "INV-2026-0418"), ("Date", "18 Nov 2026"), ("Due date", "18 Dec 2026"), ("PO number", "PO-77120")]
    for k, (a, b) in enumerate(meta):
        d.text((W - 430, 170 + k * 26), a, font=font(16), fill=grey)
        right(d, W - 90, 170 + k * 26, b, font(16, "bold"))
    d.text((90, 300), "Bill to", font=font(16, "bold"), fill=grey)
    for k, line in enumerate(["Blue Harbor Ltd", "Attn: Accounts Payable", "4 Quay Street", "Dublin D02 XY12, Ireland"]):
        d.text((90, 326 + k * 24), line, font=font(18, "bold" if k == 0 else "sans"), fill=(20, 20, 20))
    d.text((660, 300), "Project", font=font(16, "bold"), fill=grey)
    d.text((660, 326), "Q4 data platform migration", font=font(18), fill=(20, 20, 20))
    d.text((660, 350), "Contract NW-BH-2026-03", font=font(18), fill=(20, 20, 20))
    # line items
    top = 450
    d.rectangle([90, top, W - 90, top + 40], fill=navy)
    d.text((104, top + 10), "Description", font=font(17, "bold"), fill="white")
    right(d, 730, top + 10, "Qty", font(17, "bold"), "white")
    right(d, 930, top + 10, "Unit price", font(17, "bold"), "white")
    right(d, W - 104, top + 10, "Amount (EUR)", font(17, "bold"), "white")
    items = [("Data platform architecture review", 1, 4200.00), ("Pipeline migration (engineer days)", 12, 950.00),
             ("Dashboard development (engineer days)", 6, 950.00), ("Cloud infrastructure setup", 1, 1850.00),
             ("Load testing and tuning", 3, 880.00), ("Training workshop (half day)", 2, 1200.00),
             ("Documentation and handover", 1, 1400.00), ("Support retainer, November", 1, 750.00),
             ("Security review of access policies", 1, 1650.00), ("Data quality monitoring setup", 2, 950.00),
             ("Project management (days)", 4, 780.00), ("Travel expenses, Dublin on-site visit", 1, 612.40),
             ("Licence: pipeline orchestration tool (annual)", 1, 2400.00), ("Backup and restore drill", 1, 690.00),
             ("On-call support weekend (Nov 15-16)", 1, 520.00), ("Discount: long-term partner", 1, -1000.00)]
    y = top + 40
    sub = 0.0
    for k, (desc, q, p) in enumerate(items):
        if k % 2:
            d.rectangle([90, y, W - 90, y + 40], fill=(244, 246, 251))
        amt = q * p
        sub += amt
        d.text((104, y + 10), desc, font=font(17), fill=(20, 20, 20))
        right(d, 730, y + 10, str(q), font(17))
        right(d, 930, y + 10, f"{p:,.2f}", font(17))
        right(d, W - 104, y + 10, f"{amt:,.2f}", font(17))
        y += 40
    d.line([90, y, W - 90, y], fill=(200, 200, 210), width=2)
    vat = round(sub * 0.19, 2)
    total = sub + vat
    y += 24
    for lab, val, f in [("Subtotal", sub, font(18)), ("VAT 19 %", vat, font(18)), ("Total due (EUR)", total, font(26, "bold"))]:
        d.text((720, y), lab, font=f, fill=navy if "Total" in lab else (30, 30, 30))
        right(d, W - 104, y, f"{val:,.2f}", f, navy if "Total" in lab else (30, 30, 30))
        y += 40 if "Total" not in lab else 50
    d.rectangle([700, y - 58, W - 90, y - 56], fill=navy)
    # payment terms
    y = 1440
    d.text((90, y), "Payment terms", font=font(18, "bold"), fill=navy)
    terms = ["Please pay within 30 days of the invoice date by bank transfer.",
             "Bank: Example Bank Berlin   IBAN: DE00 1234 5678 9012 3456 78   BIC: EXAMDEBBXXX",
             "Please quote the invoice number INV-2026-0418 as the payment reference.",
             "Late payments incur interest of 9 percentage points above the base rate."]
    for k, t in enumerate(terms):
        d.text((90, y + 34 + k * 26), t, font=font(16), fill=(50, 50, 60))
    d.line([90, H - 120, W - 90, H - 120], fill=(210, 210, 220), width=1)
    d.text((90, H - 100), "Northwind Analytics GmbH  -  Registered in Berlin, HRB 000000  -  Managing director: A. Example",
           font=font(14), fill=grey)
    right(d, W - 90, H - 100, "Page 1 of 1", font(14), grey)
    return img


def make_photo() -> Image.Image:
    W, H = 4032, 3024
    rng = np.random.default_rng(7)
    r = random.Random(7)
    sw, sh = W // 8, H // 8
    yy = np.linspace(0, 1, sh)[:, None, None]
    xx = np.linspace(0, 1, sw)[None, :, None]
    sky = np.array([70, 130, 205.0]) * (1 - yy / 0.55) + np.array([235, 205, 170.0]) * (yy / 0.55)
    0.55 + 0.03 * np.sin(xx * 9)
    lake = np.array([40, 90, 130.0]) * (1 - (yy - 0.55) / 0.45) + np.array([20, 50, 70.0]) * ((yy - 0.55) / 0.45)
    a = np.where(yy < 0.55, sky + 0 * xx, lake + 0 * xx)
    # mountain ridges
    for k, (base, amp, col) in enumerate([(0.42, 0.12, (95, 105, 130)), (0.48, 0.08, (60, 80, 70)), (0.53, 0.04, (40, 60, 40))]):
        ridge = base - amp * (0.5 + 0.3 * np.sin(xx * (5 + 3 * k) + k) + 0.2 * np.sin(xx * (17 + k * 5) + 2 * k))
        a = np.where((yy > ridge) & (yy < 0.55), np.array(col, float) + 0 * yy, a)
    # reflection
    refl = np.flip(a[: int(sh * 0.55)], axis=0)
    n = min(refl.shape[0], sh - int(sh * 0.55))
    a[int(sh * 0.55): int(sh * 0.55) + n] = a[int(sh * 0.55): int(sh * 0.55) + n] * 0.45 + refl[:n] * 0.55 * 0.8
    a = a + rng.normal(0, 2.0, a.shape)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.0))
    img = img.resize((W, H), Image.Resampling.BICUBIC)
    d = ImageDraw.Draw(img)
    d.ellipse([2900, 520, 3180, 800], fill=(255, 236, 200))
    for _ in range(40):  # pines on the shore
        x = r.uniform(0, W)
        h = r.uniform(120, 380)
        base = H * 0.555 + r.uniform(-10, 30)
        d.polygon([(x, base - h), (x - h * 0.22, base), (x + h * 0.22, base)], fill=(r.randint(20, 40), r.randint(45, 70), r.randint(30, 45)))
    d.rounded_rectangle([1500, 2050, 2100, 2160], radius=40, fill=(150, 60, 40))  # a boat
    d.line([1800, 2050, 1800, 1700], fill=(200, 200, 200), width=10)
    img = img.filter(ImageFilter.GaussianBlur(2.0))
    return img


def make_dashboard() -> Image.Image:
    W, H = 1920, 1080
    img = Image.new("RGB", (W, H), (244, 246, 249))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 240, H], fill=(24, 32, 48))
    d.text((28, 28), "Vela Analytics", font=font(22, "bold"), fill="white")
    for k, lab in enumerate(["Overview", "Traffic", "Revenue", "Customers", "Alerts", "Settings"]):
        if k == 0:
            d.rectangle([0, 96 + k * 48, 240, 136 + k * 48], fill=(45, 60, 90))
        d.text((28, 104 + k * 48), lab, font=font(17), fill=(220, 225, 235))
    d.text((280, 30), "Overview - last 12 months", font=font(28, "bold"), fill=(25, 30, 40))
    cards = [("Revenue", "EUR 1.42M", "+12.4 %"), ("Active users", "48,210", "+3.1 %"), ("Churn", "2.7 %", "-0.4 pt"), ("Avg. latency", "182 ms", "+9 ms")]
    for k, (a, b, c) in enumerate(cards):
        x = 280 + k * 405
        d.rounded_rectangle([x, 90, x + 380, 220], radius=12, fill="white", outline=(225, 228, 235))
        d.text((x + 24, 108), a, font=font(17), fill=(110, 115, 125))
        d.text((x + 24, 140), b, font=font(34, "bold"), fill=(25, 30, 40))
        d.text((x + 24, 188), c, font=font(15), fill=(22, 163, 74) if c.startswith("+") and k < 2 else (220, 38, 38))
    # chart card
    cx0, cy0, cx1, cy1 = 280, 250, 1880, 1040
    d.rounded_rectangle([cx0, cy0, cx1, cy1], radius=12, fill="white", outline=(225, 228, 235))
    d.text((cx0 + 28, cy0 + 22), "Monthly revenue vs. plan (kEUR)", font=font(20, "bold"), fill=(25, 30, 40))
    # small legend top-right
    lx, ly = cx1 - 230, cy0 + 24
    for k, (lab, col) in enumerate([("Actual 2026", (37, 99, 235)), ("Plan 2026", (234, 88, 12)), ("Actual 2025", (150, 150, 160))]):
        d.rectangle([lx, ly + k * 20 + 4, lx + 12, ly + k * 20 + 14], fill=col)
        d.text((lx + 18, ly + k * 20), lab, font=font(12), fill=(70, 70, 80))
    pl, pt, pr, pb = cx0 + 90, cy0 + 110, cx1 - 40, cy1 - 70
    for k in range(6):
        y = pb - (pb - pt) * k / 5
        d.line([pl, y, pr, y], fill=(235, 237, 242), width=1)
        right(d, pl - 12, y - 9, str(k * 40), font(14), (120, 120, 130))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    series = [([62, 70, 78, 84, 95, 104, 110, 118, 126, 139, 146, 158], (37, 99, 235)),
              ([60, 68, 76, 86, 96, 106, 114, 122, 130, 138, 148, 156], (234, 88, 12)),
              ([50, 55, 61, 66, 72, 80, 85, 90, 96, 104, 110, 118], (150, 150, 160))]
    step = (pr - pl) / 12
    for k, m in enumerate(months):
        d.text((pl + step * k + step / 2 - 14, pb + 14), m, font=font(14), fill=(120, 120, 130))
    for vals, col in series:
        pts = [(pl + step * k + step / 2, pb - (pb - pt) * v / 200) for k, v in enumerate(vals)]
        d.line(pts, fill=col, width=4)
        for p in pts:
            d.ellipse([p[0] - 5, p[1] - 5, p[0] + 5, p[1] + 5], fill=col)
    return img


def make_terminal() -> Image.Image:
    W, H = 1280, 800
    img = Image.new("RGB", (W, H), (30, 31, 36))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, W, 34], fill=(48, 50, 58))
    for k, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse([14 + k * 22, 11, 27 + k * 22, 24], fill=c)
    d.text((W // 2 - 110, 8), "dev@build-01: ~/shop-api", font=font(15), fill=(190, 190, 200))
    lines = [
        ("$ python -m shop_api.server --config config/prod.yaml", (152, 195, 121)),
        ("INFO  Loading configuration from config/prod.yaml", (170, 170, 180)),
        ("INFO  Connecting to database at db.internal:5432", (170, 170, 180)),
        ("Traceback (most recent call last):", (220, 220, 215)),
        ('  File "/srv/shop_api/server.py", line 88, in <module>', (220, 220, 215)),
        ("    main()", (200, 200, 200)),
        ('  File "/srv/shop_api/server.py", line 71, in main', (220, 220, 215)),
        ("    app = create_app(settings)", (200, 200, 200)),
        ('  File "/srv/shop_api/app.py", line 34, in create_app', (220, 220, 215)),
        ("    pool = make_pool(settings.database)", (200, 200, 200)),
        ('  File "/srv/shop_api/db.py", line 19, in make_pool', (220, 220, 215)),
        ('    port = int(cfg["port"])', (200, 200, 200)),
        ("KeyError: 'port'", (240, 90, 90)),
        ("", (0, 0, 0)),
        ("During handling of the above exception, another exception occurred:", (220, 220, 215)),
        ("", (0, 0, 0)),
        ('  File "/srv/shop_api/server.py", line 90, in <module>', (220, 220, 215)),
        ("    sys.exit(report_startup_failure(exc))", (200, 200, 200)),
        ("shop_api.errors.ConfigError: database.port is missing in config/prod.yaml", (240, 90, 90)),
        ("$ grep -n -A2 database: config/prod.yaml", (152, 195, 121)),
        ("10:database:", (220, 220, 215)),
        ("11-  host: db.internal", (220, 220, 215)),
        ("12-  prot: 5432", (220, 220, 215)),
        ("$ ", (152, 195, 121)),
    ]
    f = font(17, "mono")
    for k, (t, c) in enumerate(lines):
        d.text((20, 52 + k * 30), t, font=f, fill=c)
    d.rectangle([46, 52 + 23 * 30 + 2, 56, 52 + 23 * 30 + 22], fill=(220, 220, 215))
    return img


def make_receipt() -> Image.Image:
    W, H = 576, 1400
    img = Image.new("RGB", (W, H), (250, 248, 242))
    d = ImageDraw.Draw(img)
    fb, f = font(30, "monobold"), font(20, "mono")
    y = 40

    def center(t: str, ff: ImageFont.FreeTypeFont | ImageFont.ImageFont, yy: float) -> None:
        d.text(((W - d.textlength(t, font=ff)) / 2, yy), t, font=ff, fill=(20, 20, 20))

    center("OAK STREET CAFE", fb, y)
    for k, t in enumerate(["17 Oak Street, Portland", "Tel 503-555-0142", "2026-11-21  08:42  Till 2"]):
        center(t, f, y + 50 + k * 28)
    y = 200
    d.text((30, y), "-" * 44, font=f, fill=(20, 20, 20))
    items = [("2 x Flat white", 9.00), ("1 x Croissant", 3.80), ("1 x Avocado toast", 11.50), ("1 x Orange juice", 4.60), ("1 x Blueberry muffin", 3.90)]
    y += 34
    sub = 0.0
    for name, p in items:
        d.text((30, y), name, font=f, fill=(20, 20, 20))
        right(d, W - 30, y, f"{p:.2f}", f)
        sub += p
        y += 32
    d.text((30, y), "-" * 44, font=f, fill=(20, 20, 20))
    y += 40
    round(sub * 0.0, 2)
    for lab, v, ff in [("SUBTOTAL", sub, f), ("TIP", 5.00, f), ("TOTAL", sub + 5.0, fb)]:
        d.text((30, y), lab, font=ff, fill=(20, 20, 20))
        right(d, W - 30, y, f"{v:.2f}", ff)
        y += 40
    y += 20
    d.text((30, y), "VISA **** 4391   APPROVED", font=f, fill=(20, 20, 20))
    y += 60
    r = random.Random(3)
    x = 70
    while x < W - 70:
        bw = r.randint(1, 4)
        d.rectangle([x, y, x + bw, y + 80], fill=(20, 20, 20))
        x += bw + r.randint(2, 4)
    center("Thank you - see you soon!", f, y + 110)
    return img.crop((0, 0, W, min(H, y + 170)))


def main() -> None:
    make_invoice().save(HERE / "invoice.png", optimize=True)
    make_photo().save(HERE / "photo.jpg", "JPEG", quality=85)
    make_dashboard().save(HERE / "dashboard.png", optimize=True)
    make_terminal().save(HERE / "terminal.png", optimize=True)
    make_receipt().save(HERE / "receipt.png", optimize=True)
    total = 0
    for n in ("invoice.png", "photo.jpg", "dashboard.png", "terminal.png", "receipt.png"):
        p = HERE / n
        total += p.stat().st_size
        with Image.open(p) as im:
            print(f"{n}: {im.size[0]}x{im.size[1]}, {p.stat().st_size / 1024:.0f} KiB")
    print(f"total {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
