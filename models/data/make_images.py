"""Generate the synthetic image set for the router's training data.

Every image is rendered at a realistic ORIGINAL size (12 MP phone photos, A4 scans,
HiDPI screenshots, ...) and then shrunk with ``Image.thumbnail((256, 256), LANCZOS)``,
exactly like the thumbnail the router sees, so small text really becomes illegible.
Only the thumbnails are written, to ``models/data/images/<kind>/<id>.(png|jpg)``, plus
``models/data/images/manifest.jsonl`` which records the original size.

Deterministic: every image uses its own ``random.Random`` / numpy generator seeded from
(kind, index). Fonts: DejaVu from /usr/share/fonts when present (Bitstream Vera licence,
Debian package fonts-dejavu-core), otherwise Pillow's scalable ``load_default(size=N)``;
the script works either way (the pixels differ slightly between the two).

    python models/data/make_images.py            # writes ~450 thumbnails + manifest
    python models/data/make_images.py --per-kind 5   # quick smoke run
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
OUT = HERE / "images"
THUMB = 256
LICENCE = "generated for this project (Apache-2.0)"

KINDS = [
    "document", "receipt", "code_screenshot", "ui_screenshot", "table",
    "chart", "diagram", "photo", "photo_text", "mixed",
]
JPEG_KINDS = {"photo", "photo_text"}


def save_thumbnail(img: Image.Image, out: Path, stem: str, kind: str) -> tuple[str, tuple[int, int]]:
    """The router's view of an image, as every training thumbnail is stored: long side <= THUMB (LANCZOS),
    JPEG q90 for photo kinds, optimised PNG otherwise. Returns (path relative to ``out``, original size)."""
    img = img.convert("RGB")
    size = img.size
    th = img.copy()
    th.thumbnail((THUMB, THUMB), Image.Resampling.LANCZOS)
    ext = "jpg" if kind in JPEG_KINDS else "png"
    rel = f"{stem}.{ext}"
    if ext == "jpg":
        th.save(out / rel, "JPEG", quality=90)
    else:
        th.save(out / rel, "PNG", optimize=True)
    return rel, size

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_CACHE: dict[tuple[str, int], ImageFont.ImageFont] = {}


def font(size: int, style: str = "sans") -> ImageFont.ImageFont:
    """style: sans | bold | serif | mono | monobold."""
    size = max(6, int(size))
    key = (style, size)
    if key in _FONT_CACHE:
        return _FONT_CACHE[key]
    files = {
        "sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "serif": "DejaVuSerif.ttf",
        "mono": "DejaVuSansMono.ttf", "monobold": "DejaVuSansMono-Bold.ttf",
    }
    path = FONT_DIR / files[style]
    f = ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size=size)
    _FONT_CACHE[key] = f
    return f


WORDS = ["the", "of", "and", "to", "in", "for", "is", "on", "that", "by", "this", "with", "from", "at", "as", "are", "be", "or", "an", "was", "it", "which", "report", "quarterly", "revenue", "customer", "service", "agreement", "section", "clause", "payment", "invoice", "delivery", "shipment", "warehouse", "policy", "employee", "manager", "project", "schedule", "budget", "review", "system", "network", "server", "database", "migration", "release", "version", "update", "security", "access", "contract", "party", "parties", "shall", "notice", "period", "term", "termination", "liability", "insurance", "market", "growth", "analysis", "result", "figure", "table", "summary", "introduction", "method", "conclusion", "patient", "treatment", "dosage", "study", "sample", "data", "model", "training", "evaluation", "accuracy", "meeting", "minutes", "action", "item", "owner", "deadline", "approved", "pending", "rejected", "total", "amount", "account", "balance", "transfer", "statement", "interest", "rate", "annual", "monthly", "weekly", "daily", "building", "floor", "room", "access", "card", "visitor", "safety", "fire", "exit", "procedure", "emergency", "product", "feature", "user", "interface", "design", "request", "response", "error", "warning", "status"]

NAMES = ["Acme Corp", "Northwind", "Blue Harbor Ltd", "Kestrel GmbH", "Lumen & Co",
         "Sato Trading", "Oak Street Cafe", "Pixel Forge", "Riverbend Clinic", "Vela Systems",
         "Fjord Logistics", "Maple Hardware", "Atlas Legal", "Greenleaf Market"]
ITEMS = ["Coffee", "Bagel", "Notebook A5", "USB-C cable", "Milk 1L", "Apples 1kg", "Pasta",
         "Olive oil", "Printer paper", "Batteries AA", "Green tea", "Croissant", "Water 0.5L",
         "Chicken wrap", "Orange juice", "Shampoo", "Toothpaste", "Bread", "Cheese", "Yogurt",
         "Consulting hours", "Hosting (monthly)", "Licence seat", "Support plan", "Travel"]


def sentence(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.randint(6, 16)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def wrap(draw: ImageDraw.ImageDraw, text: str, f, width: int) -> list[str]:
    lines, cur = [], ""
    for w in text.split():
        t = (cur + " " + w).strip()
        if draw.textlength(t, font=f) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def paragraph(draw, rng, x, y, width, size, color=(20, 20, 20), style="sans", max_y=10**9, sents=None):
    f = font(size, style)
    text = " ".join(sentence(rng) for _ in range(sents or rng.randint(2, 6)))
    lh = int(size * 1.45)
    for line in wrap(draw, text, f, width):
        if y + lh > max_y:
            break
        draw.text((x, y), line, fill=color, font=f)
        y += lh
    return y


def rand_color(rng, lo=0, hi=255):
    return tuple(rng.randint(lo, hi) for _ in range(3))


def add_noise(img: Image.Image, nrng: np.random.Generator, sigma: float) -> Image.Image:
    a = np.asarray(img, dtype=np.int16)
    a = a + nrng.normal(0, sigma, a.shape).astype(np.int16)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


# ---------------------------------------------------------------- documents

DOC_SIZES = [(1240, 1754), (1240, 1754), (2480, 3508), (1275, 1650), (1654, 2339), (1700, 2200),
             (1600, 1000), (816, 1056)]


def gen_document(rng, nrng, i):
    w, h = rng.choice(DOC_SIZES)
    s = w / 1240
    paper = (255, 255, 255) if rng.random() < 0.6 else (rng.randint(236, 250),) * 3
    img = Image.new("RGB", (w, h), paper)
    d = ImageDraw.Draw(img)
    m = int(rng.randint(90, 140) * s)
    y = m
    body = int(rng.choice([13, 14, 15, 16, 18]) * s)
    style = rng.choice(["sans", "serif", "serif"])
    layout = rng.choice(["single", "two_col", "letter", "form", "single"])
    if rng.random() < 0.5:  # letterhead band / logo
        c = rand_color(rng, 30, 200)
        d.rectangle([m, y, m + int(60 * s), y + int(60 * s)], fill=c)
        d.text((m + int(80 * s), y + int(10 * s)), rng.choice(NAMES), fill=c, font=font(int(30 * s), "bold"))
        y += int(100 * s)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).title()
    d.text((m, y), title, fill=(10, 10, 10), font=font(int(rng.randint(26, 40) * s), "bold"))
    y += int(70 * s)
    if layout == "two_col":
        colw = (w - 2 * m - int(40 * s)) // 2
        for col in range(2):
            yy = y
            x = m + col * (colw + int(40 * s))
            while yy < h - m - body * 8:
                if rng.random() < 0.25:
                    d.text((x, yy), sentence(rng, 3)[:-1], fill=(0, 0, 0), font=font(int(body * 1.3), "bold"))
                    yy += int(body * 2.2)
                yy = paragraph(d, rng, x, yy, colw, body, style=style, max_y=h - m) + int(body * 1.2)
    elif layout == "form":
        for _k in range(rng.randint(8, 16)):
            if y > h - m - 60 * s:
                break
            label = sentence(rng, rng.randint(1, 3))[:-1] + ":"
            d.text((m, y), label, fill=(0, 0, 0), font=font(body, style))
            d.rectangle([m + int(300 * s), y - 4, w - m, y + int(body * 1.6)], outline=(120, 120, 120), width=max(1, int(s)))
            if rng.random() < 0.7:
                d.text((m + int(310 * s), y), sentence(rng, rng.randint(1, 4))[:-1], fill=(20, 40, 120), font=font(body, "sans"))
            y += int(body * 3)
        y = paragraph(d, rng, m, y + 20, w - 2 * m, body, style=style, max_y=h - m)
        d.line([w - m - int(300 * s), h - m - int(60 * s), w - m, h - m - int(60 * s)], fill=(0, 0, 0), width=2)
    else:
        if layout == "letter":
            for _ in range(4):
                d.text((m, y), sentence(rng, rng.randint(2, 4))[:-1], fill=(40, 40, 40), font=font(body, style))
                y += int(body * 1.5)
            y += body * 2
        while y < h - m - body * 6:
            if rng.random() < 0.3:
                d.text((m, y), sentence(rng, rng.randint(2, 5))[:-1], fill=(0, 0, 0), font=font(int(body * 1.4), "bold"))
                y += int(body * 2.4)
            if rng.random() < 0.15:  # bullet list
                for _ in range(rng.randint(2, 5)):
                    d.ellipse([m + 8, y + body // 3, m + 8 + body // 2, y + body // 3 + body // 2], fill=(0, 0, 0))
                    d.text((m + body * 2, y), sentence(rng, rng.randint(3, 8)), fill=(20, 20, 20), font=font(body, style))
                    y += int(body * 1.6)
            y = paragraph(d, rng, m, y, w - 2 * m, body, style=style, max_y=h - m) + int(body * 1.1)
    # page number / footer
    d.text((w // 2 - 20, h - m // 2), f"- {rng.randint(1, 40)} -", fill=(90, 90, 90), font=font(int(12 * s), style))
    if rng.random() < 0.3:  # stamp or highlight
        c = rng.choice([(200, 30, 30), (30, 60, 200)])
        cx, cy = rng.randint(w // 2, w - m), rng.randint(h // 2, h - m)
        d.ellipse([cx - 90 * s, cy - 90 * s, cx + 90 * s, cy + 90 * s], outline=c, width=int(5 * s))
        d.text((cx - 60 * s, cy - 15 * s), "APPROVED", fill=c, font=font(int(24 * s), "bold"))
    if rng.random() < 0.35:  # scanned look
        img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
        img = add_noise(img, nrng, 6)
    return img, f"document_{layout}"


# ---------------------------------------------------------------- receipts

def gen_receipt(rng, nrng, i):
    rw = rng.choice([576, 576, 640, 512, 800])
    rh = rng.randint(1300, 2400)
    paper = (rng.randint(240, 255), rng.randint(238, 252), rng.randint(228, 245))
    rec = Image.new("RGB", (rw, rh), paper)
    d = ImageDraw.Draw(rec)
    fs = rng.choice([18, 20, 22, 24])
    f, fb = font(fs, "mono"), font(int(fs * 1.5), "monobold")
    y = 40
    name = rng.choice(NAMES).upper()
    d.text(((rw - d.textlength(name, font=fb)) // 2, y), name, fill=(0, 0, 0), font=fb)
    y += int(fs * 2.4)
    for line in [f"{rng.randint(1, 999)} Main St, Unit {rng.randint(1, 40)}",
                 f"TEL {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                 f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"]:
        d.text(((rw - d.textlength(line, font=f)) // 2, y), line, fill=(30, 30, 30), font=f)
        y += int(fs * 1.4)
    y += fs
    d.text((30, y), "-" * 60, fill=(0, 0, 0), font=f)
    y += int(fs * 1.4)
    total = 0.0
    for _ in range(rng.randint(3, 18)):
        if y > rh - fs * 14:
            break
        it = rng.choice(ITEMS)
        q = rng.randint(1, 4)
        p = round(rng.uniform(0.5, 30), 2)
        total += q * p
        d.text((30, y), f"{q} x {it}"[:26], fill=(0, 0, 0), font=f)
        ps = f"{q * p:.2f}"
        d.text((rw - 30 - d.textlength(ps, font=f), y), ps, fill=(0, 0, 0), font=f)
        y += int(fs * 1.4)
    d.text((30, y), "-" * 60, fill=(0, 0, 0), font=f)
    y += int(fs * 1.6)
    tax = total * rng.choice([0.07, 0.1, 0.19, 0.2])
    for lab, val, ff in [("SUBTOTAL", total, f), ("TAX", tax, f), ("TOTAL", total + tax, fb)]:
        d.text((30, y), lab, fill=(0, 0, 0), font=ff)
        vs = f"{val:.2f}"
        d.text((rw - 30 - d.textlength(vs, font=ff), y), vs, fill=(0, 0, 0), font=ff)
        y += int(ff.size * 1.5)
    y += fs
    d.text((30, y), rng.choice(["VISA **** ", "MC **** ", "CASH "]) + str(rng.randint(1000, 9999)), fill=(0, 0, 0), font=f)
    y += int(fs * 2)
    if rng.random() < 0.6:  # barcode
        x = 60
        while x < rw - 60:
            bw = rng.randint(1, 4)
            d.rectangle([x, y, x + bw, y + 70], fill=(0, 0, 0))
            x += bw + rng.randint(1, 4)
    rec = rec.crop((0, 0, rw, min(rh, y + 140)))
    style = rng.random()
    if style < 0.45:  # flat scan
        return rec, "receipt_scan"
    # photo of a receipt on a table
    W, H = rng.choice([(3024, 4032), (3024, 4032), (1080, 1920), (1536, 2048)])
    bg = photo_background(rng, nrng, W, H, indoor=True)
    sc = rng.uniform(0.55, 0.8) * H / rec.height
    r2 = rec.resize((max(1, int(rec.width * sc)), max(1, int(rec.height * sc))), Image.Resampling.BICUBIC)
    r2 = r2.convert("RGBA").rotate(rng.uniform(-8, 8), expand=True, resample=Image.Resampling.BICUBIC)
    x = rng.randint(0, max(0, W - r2.width))
    y0 = rng.randint(0, max(0, H - r2.height))
    bg.paste(r2, (x, y0), r2)
    bg = add_noise(bg, nrng, 5)
    return bg, "receipt_photo"


# ---------------------------------------------------------------- code

CODE_SNIPPETS = {
    "python": [
        "def load_config(path):", "    with open(path) as fh:", "        data = json.load(fh)",
        "    if 'timeout' not in data:", "        data['timeout'] = 30", "    return data", "",
        "class Worker:", "    def __init__(self, queue, retries=3):", "        self.queue = queue",
        "        self.retries = retries", "", "    def run(self):", "        for item in self.queue:",
        "            result = process(item)", "            if result is None:",
        "                log.warning('empty result for %s', item)", "                continue",
        "            yield result",
    ],
    "javascript": [
        "import { useState } from 'react';", "", "export function Counter({ start = 0 }) {",
        "  const [n, setN] = useState(start);", "  useEffect(() => {", "    document.title = `Clicked ${n} times`;",
        "  }, [n]);", "  return (", "    <button onClick={() => setN(n + 1)}>", "      {n}", "    </button>",
        "  );", "}", "", "async function fetchUser(id) {", "  const res = await fetch(`/api/users/${id}`);",
        "  if (!res.ok) throw new Error(res.statusText);", "  return res.json();", "}",
    ],
    "rust": [
        "use std::collections::HashMap;", "", "fn word_count(text: &str) -> HashMap<&str, usize> {",
        "    let mut map = HashMap::new();", "    for w in text.split_whitespace() {",
        "        *map.entry(w).or_insert(0) += 1;", "    }", "    map", "}", "",
        "fn main() {", "    let counts = word_count(\"a b a\");", "    println!(\"{:?}\", counts);",
        "    let v: Vec<i32> = Vec::new();", "    let first = v[0];", "}",
    ],
    "go": [
        "package main", "", "import (", "    \"fmt\"", "    \"net/http\"", ")", "",
        "func handler(w http.ResponseWriter, r *http.Request) {", "    name := r.URL.Query().Get(\"name\")",
        "    if name == \"\" {", "        http.Error(w, \"missing name\", 400)", "        return", "    }",
        "    fmt.Fprintf(w, \"hello %s\", name)", "}", "", "func main() {",
        "    http.HandleFunc(\"/\", handler)", "    http.ListenAndServe(\":8080\", nil)", "}",
    ],
    "sql": [
        "SELECT c.name, SUM(o.amount) AS total", "FROM customers c", "JOIN orders o ON o.customer_id = c.id",
        "WHERE o.created_at >= '2026-01-01'", "GROUP BY c.name", "HAVING SUM(o.amount) > 1000",
        "ORDER BY total DESC", "LIMIT 20;", "", "UPDATE orders SET status = 'shipped'",
        "WHERE id IN (SELECT order_id FROM shipments);",
    ],
}
TRACEBACK = [
    "$ python app.py --config prod.yaml", "Traceback (most recent call last):",
    "  File \"app.py\", line 42, in <module>", "    main()", "  File \"app.py\", line 37, in main",
    "    cfg = load_config(args.config)", "  File \"config.py\", line 12, in load_config",
    "    return data['database']['port']", "KeyError: 'port'", "$ ",
]
THEMES = {
    "dark": dict(bg=(30, 31, 36), gutter=(40, 42, 48), fg=(220, 220, 215), num=(110, 110, 120),
                 kw=(198, 120, 221), s=(152, 195, 121), c=(92, 99, 112), bar=(50, 52, 60)),
    "light": dict(bg=(255, 255, 255), gutter=(245, 245, 245), fg=(36, 41, 46), num=(160, 160, 160),
                  kw=(215, 58, 73), s=(3, 47, 98), c=(106, 115, 125), bar=(230, 232, 236)),
    "solar": dict(bg=(0, 43, 54), gutter=(7, 54, 66), fg=(147, 161, 161), num=(88, 110, 117),
                  kw=(133, 153, 0), s=(42, 161, 152), c=(88, 110, 117), bar=(7, 54, 66)),
}
KW = {"def", "class", "return", "if", "for", "in", "import", "from", "with", "as", "const", "let",
      "fn", "use", "func", "package", "export", "function", "async", "await", "SELECT", "FROM",
      "WHERE", "JOIN", "GROUP", "BY", "ORDER", "UPDATE", "SET", "mut", "continue", "yield", "throw", "new"}
SCREEN_SIZES = [(1280, 800), (1440, 900), (1920, 1080), (2560, 1600), (2880, 1800), (1366, 768), (1600, 900)]


def draw_code_line(d, x, y, line, f, th):
    for tok in line.replace("(", " ( ").split(" "):
        if tok == "":
            x += d.textlength(" ", font=f)
            continue
        col = th["fg"]
        if tok.strip("():{};,") in KW:
            col = th["kw"]
        elif tok.startswith(("'", '"', "`")):
            col = th["s"]
        elif tok.startswith(("#", "//", "--")):
            col = th["c"]
        d.text((x, y), tok, fill=col, font=f)
        x += d.textlength(tok + " ", font=f)


def gen_code(rng, nrng, i):
    w, h = rng.choice(SCREEN_SIZES)
    s = w / 1440
    th = THEMES[rng.choice(["dark", "dark", "light", "solar"])]
    img = Image.new("RGB", (w, h), th["bg"])
    d = ImageDraw.Draw(img)
    fs = int(rng.choice([13, 14, 15, 16]) * s)
    f = font(fs, "mono")
    lh = int(fs * 1.5)
    mode = rng.choice(["editor", "editor", "terminal", "split"])
    top = int(36 * s)
    d.rectangle([0, 0, w, top], fill=th["bar"])
    for k, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse([12 * s + k * 22 * s, 11 * s, 26 * s + k * 22 * s, 25 * s], fill=c)
    lang = rng.choice(list(CODE_SNIPPETS))
    d.text((w // 2 - 60 * s, 9 * s), f"main.{ {'python': 'py', 'javascript': 'js', 'rust': 'rs', 'go': 'go', 'sql': 'sql'}[lang]}",
           fill=th["num"], font=font(int(13 * s)))
    left = 0
    if mode != "terminal" and rng.random() < 0.6:  # file tree
        left = int(220 * s)
        d.rectangle([0, top, left, h], fill=th["gutter"])
        for k in range(rng.randint(6, 20)):
            d.text((16 * s, top + 14 * s + k * lh), rng.choice(["src/", "  main", "  utils", "tests/", "README.md", "  api", "  models"]) + (".py" if k % 3 else ""), fill=th["num"], font=font(int(fs * 0.9)))
    y = top + int(12 * s)
    bottom = h if mode != "split" else int(h * rng.uniform(0.55, 0.7))
    if mode in ("editor", "split"):
        lines = CODE_SNIPPETS[lang]
        start = rng.randint(1, 300)
        k = 0
        while y < bottom - lh:
            line = lines[k % len(lines)]
            d.text((left + 10 * s, y), f"{start + k:>4}", fill=th["num"], font=f)
            draw_code_line(d, left + 70 * s, y, line, f, th)
            if rng.random() < 0.04:  # squiggle / highlight line
                d.line([left + 70 * s, y + lh - 3, left + 400 * s, y + lh - 3], fill=(230, 60, 60), width=max(1, int(2 * s)))
            y += lh
            k += 1
    if mode in ("terminal", "split"):
        if mode == "split":
            d.rectangle([left, bottom, w, h], fill=tuple(max(0, c - 10) for c in th["bg"]))
            d.line([left, bottom, w, bottom], fill=th["num"], width=max(1, int(s)))
            y = bottom + int(10 * s)
        tb = TRACEBACK if rng.random() < 0.7 else ["$ cargo build", "   Compiling demo v0.1.0", "error[E0382]: borrow of moved value: `v`", "  --> src/main.rs:14:20", "   |", "14 |     println!(\"{:?}\", v);", "   |                    ^ value borrowed here after move", "error: could not compile `demo`", "$ "]
        k = 0
        while y < h - lh:
            line = tb[k % len(tb)] if k < len(tb) * 3 else ""
            col = (240, 90, 90) if ("Error" in line or "error" in line) else th["fg"]
            d.text((left + 14 * s, y), line, fill=col, font=f)
            y += lh
            k += 1
    return img, f"code_{mode}_{lang}"


# ---------------------------------------------------------------- UI

UI_LABELS = ["Save", "Cancel", "Delete", "Submit", "Continue", "Sign in", "Export", "Upload", "Next", "Retry", "OK", "Apply"]
TOASTS = ["Upload failed: file exceeds 25 MB limit", "Saved successfully", "Network error. Please retry.",
          "Password must contain 8 characters", "Payment declined (code 51)", "Session expired, sign in again",
          "3 files synced", "Permission denied: /var/log/app.log"]


def button(d, x, y, label, s, primary, accent):
    f = font(int(14 * s), "bold" if primary else "sans")
    tw = d.textlength(label, font=f)
    bw, bh = tw + 36 * s, 36 * s
    d.rounded_rectangle([x, y, x + bw, y + bh], radius=int(6 * s), fill=accent if primary else (255, 255, 255), outline=accent, width=max(1, int(s)))
    d.text((x + 18 * s, y + 9 * s), label, fill=(255, 255, 255) if primary else accent, font=f)
    return bw


def gen_ui(rng, nrng, i):
    w, h = rng.choice([*SCREEN_SIZES, (1170, 2532), (1080, 2400)])
    mobile = h > w
    s = (w / 1440) if not mobile else w / 400
    dark = rng.random() < 0.25
    bg = (28, 28, 32) if dark else (246, 247, 249)
    fg = (230, 230, 230) if dark else (30, 30, 35)
    card = (40, 40, 46) if dark else (255, 255, 255)
    accent = rng.choice([(37, 99, 235), (22, 163, 74), (220, 38, 38), (124, 58, 237), (234, 88, 12), (13, 148, 136)])
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    nav = int(56 * s)
    d.rectangle([0, 0, w, nav], fill=accent if rng.random() < 0.5 else card)
    d.text((20 * s, 16 * s), rng.choice(NAMES), fill=fg if not dark else (255, 255, 255), font=font(int(18 * s), "bold"))
    left = 0
    if not mobile and rng.random() < 0.6:
        left = int(240 * s)
        d.rectangle([0, nav, left, h], fill=card)
        for k, lab in enumerate(["Dashboard", "Projects", "Reports", "Billing", "Settings", "Team", "Help"][: rng.randint(4, 7)]):
            if k == 1:
                d.rectangle([0, nav + 16 * s + k * 44 * s - 6 * s, left, nav + 16 * s + k * 44 * s + 30 * s], fill=tuple(min(255, c + 200) if not dark else c // 2 for c in accent))
            d.text((24 * s, nav + 16 * s + k * 44 * s), lab, fill=fg, font=font(int(15 * s)))
    x0, y = left + 32 * s, nav + 32 * s
    d.text((x0, y), rng.choice(["Account settings", "New project", "Checkout", "Upload files", "Profile", "Create invoice", "Sign in"]), fill=fg, font=font(int(26 * s), "bold"))
    y += 60 * s
    fw = min(w - x0 - 32 * s, 560 * s)
    for _k in range(rng.randint(2, 6)):
        d.text((x0, y), rng.choice(["Email", "Full name", "Password", "Company", "Card number", "Project name", "Region", "Phone"]), fill=fg, font=font(int(13 * s)))
        y += 22 * s
        err = rng.random() < 0.15
        d.rounded_rectangle([x0, y, x0 + fw, y + 40 * s], radius=int(5 * s), fill=card, outline=(220, 38, 38) if err else (200, 200, 205), width=max(1, int(s)))
        if rng.random() < 0.6:
            d.text((x0 + 12 * s, y + 11 * s), sentence(rng, rng.randint(1, 3))[:-1], fill=(120, 120, 125), font=font(int(14 * s)))
        y += 48 * s
        if err:
            d.text((x0, y), "This field is required", fill=(220, 38, 38), font=font(int(12 * s)))
            y += 22 * s
        y += 10 * s
        if y > h * 0.8:
            break
    x = x0
    for k in range(rng.randint(1, 3)):
        x += button(d, x, y, rng.choice(UI_LABELS), s, k == 0, accent) + 12 * s
    extra = rng.random()
    if extra < 0.3:  # modal dialog
        ov = Image.new("RGBA", img.size, (0, 0, 0, 110))
        img = Image.alpha_composite(img.convert("RGBA"), ov).convert("RGB")
        d = ImageDraw.Draw(img)
        mw, mh = min(w * 0.8, 480 * s), 220 * s
        mx, my = (w - mw) / 2, (h - mh) / 2
        d.rounded_rectangle([mx, my, mx + mw, my + mh], radius=int(10 * s), fill=card)
        d.text((mx + 24 * s, my + 20 * s), rng.choice(["Discard changes?", "Delete project?", "Confirm payment", "Unsaved changes"]), fill=fg, font=font(int(18 * s), "bold"))
        paragraph(d, rng, mx + 24 * s, my + 60 * s, mw - 48 * s, int(13 * s), color=fg, max_y=my + mh - 60 * s, sents=2)
        button(d, mx + mw - 120 * s, my + mh - 56 * s, "OK", s, True, accent)
        button(d, mx + mw - 230 * s, my + mh - 56 * s, "Cancel", s, False, accent)
    elif extra < 0.6:  # toast
        msg = rng.choice(TOASTS)
        f = font(int(13 * s))
        tw = d.textlength(msg, font=f) + 60 * s
        tx = w - tw - 24 * s if rng.random() < 0.6 else (w - tw) / 2
        ty = h - 80 * s if rng.random() < 0.6 else nav + 16 * s
        col = (220, 38, 38) if ("fail" in msg or "error" in msg.lower() or "denied" in msg or "declined" in msg or "must" in msg or "expired" in msg) else (22, 163, 74)
        d.rounded_rectangle([tx, ty, tx + tw, ty + 44 * s], radius=int(8 * s), fill=(33, 33, 38))
        d.rectangle([tx, ty, tx + 6 * s, ty + 44 * s], fill=col)
        d.text((tx + 24 * s, ty + 13 * s), msg, fill=(255, 255, 255), font=f)
    elif extra < 0.8 and not mobile:  # side card with stats
        cx = x0 + fw + 48 * s
        if cx < w - 200 * s:
            for k in range(3):
                cy = nav + 92 * s + k * 110 * s
                d.rounded_rectangle([cx, cy, w - 32 * s, cy + 96 * s], radius=int(8 * s), fill=card, outline=(225, 225, 230))
                d.text((cx + 16 * s, cy + 14 * s), rng.choice(["Active users", "Revenue", "Errors", "Latency p95"]), fill=(120, 120, 125), font=font(int(13 * s)))
                d.text((cx + 16 * s, cy + 40 * s), f"{rng.randint(10, 99999):,}", fill=fg, font=font(int(28 * s), "bold"))
    return img, "ui_mobile" if mobile else "ui_desktop"


# ---------------------------------------------------------------- tables

def gen_table(rng, nrng, i):
    w, h = rng.choice([(1280, 800), (1920, 1080), (1240, 1754), (1600, 1200), (2560, 1440), (1000, 700)])
    s = w / 1440
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    style = rng.choice(["spreadsheet", "report", "striped"])
    ncol = rng.randint(3, 9)
    fs = int(rng.choice([12, 13, 14, 16]) * s)
    f, fb = font(fs), font(fs, "bold")
    rh = int(fs * 2.1)
    x0, y0 = int(40 * s), int(40 * s)
    if style == "spreadsheet":
        x0, y0 = int(50 * s), int(90 * s)
        d.rectangle([0, 0, w, 60 * s], fill=(33, 115, 70))
        d.text((16 * s, 18 * s), "Book1 - Sheet " + str(rng.randint(1, 4)), fill=(255, 255, 255), font=font(int(16 * s)))
    else:
        d.text((x0, y0), " ".join(rng.choice(WORDS) for _ in range(3)).title(), fill=(0, 0, 0), font=font(int(fs * 1.8), "bold"))
        y0 += int(fs * 3.5)
    colw = (w - 2 * x0) / ncol
    heads = rng.sample(["Item", "Qty", "Price", "Region", "Q1", "Q2", "Q3", "Q4", "Owner", "Status", "Date", "Total", "SKU", "Score", "Notes"], ncol)
    head_bg = rng.choice([(230, 230, 235), (37, 99, 235), (40, 40, 40), (220, 240, 225)])
    d.rectangle([x0, y0, w - x0, y0 + rh], fill=head_bg)
    hc = (255, 255, 255) if sum(head_bg) < 400 else (0, 0, 0)
    for c, hd in enumerate(heads):
        d.text((x0 + c * colw + 8 * s, y0 + rh * 0.25), hd, fill=hc, font=fb)
    y = y0 + rh
    r = 0
    while y < h - 40 * s - rh:
        if style == "striped" and r % 2:
            d.rectangle([x0, y, w - x0, y + rh], fill=(244, 246, 250))
        for c in range(ncol):
            if c == 0:
                t = rng.choice(ITEMS + NAMES)
            else:
                t = rng.choice([f"{rng.randint(0, 9999):,}", f"{rng.uniform(0, 999):.2f}", f"{rng.randint(1, 99)}%", rng.choice(["OK", "late", "open", "done"])])
            col = (200, 30, 30) if t.startswith("late") else (20, 20, 20)
            d.text((x0 + c * colw + 8 * s, y + rh * 0.25), t[: int(colw / (fs * 0.6))], fill=col, font=f)
        if style != "striped":
            d.line([x0, y + rh, w - x0, y + rh], fill=(210, 210, 215), width=1)
        y += rh
        r += 1
        if rng.random() < 0.02:
            break
    if style == "spreadsheet":
        for c in range(ncol + 1):
            d.line([x0 + c * colw, y0, x0 + c * colw, y], fill=(210, 210, 215), width=1)
    d.text((x0 + 8 * s, y + 8 * s), "Total", fill=(0, 0, 0), font=fb)
    return img, f"table_{style}"


# ---------------------------------------------------------------- charts

PALETTE = [(37, 99, 235), (234, 88, 12), (22, 163, 74), (220, 38, 38), (124, 58, 237), (202, 138, 4), (8, 145, 178), (219, 39, 119)]


def draw_chart(d, rng, box, s, kind=None, legend_pos=None, title=True):
    x0, y0, x1, y1 = box
    kind = kind or rng.choice(["bar", "bar", "line", "line", "pie", "hbar", "area"])
    if title:
        d.text((x0, y0), rng.choice(["Monthly revenue", "Active users", "Latency (ms)", "Share by region", "Sales 2026", "Error rate", "Signups per week", "CPU usage"]), fill=(20, 20, 20), font=font(int(20 * s), "bold"))
        y0 += int(40 * s)
    nser = rng.randint(1, 4) if kind in ("line", "bar", "area") else 1
    n = rng.randint(4, 12)
    labels = [["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][k % 12] for k in range(n)]
    f = font(int(12 * s))
    if kind == "pie":
        vals = [rng.uniform(1, 10) for _ in range(rng.randint(3, 7))]
        tot = sum(vals)
        r = min(x1 - x0, y1 - y0) * 0.4
        cx, cy = x0 + (x1 - x0) * 0.4, (y0 + y1) / 2
        a = -90.0
        for k, v in enumerate(vals):
            e = a + 360 * v / tot
            d.pieslice([cx - r, cy - r, cx + r, cy + r], a, e, fill=PALETTE[k % 8], outline=(255, 255, 255), width=max(1, int(2 * s)))
            mid = math.radians((a + e) / 2)
            d.text((cx + math.cos(mid) * r * 0.6 - 12 * s, cy + math.sin(mid) * r * 0.6 - 6 * s), f"{100 * v / tot:.0f}%", fill=(255, 255, 255), font=f)
            a = e
        for k in range(len(vals)):
            ly = y0 + 20 * s + k * 26 * s
            d.rectangle([x1 - 150 * s, ly, x1 - 136 * s, ly + 14 * s], fill=PALETTE[k % 8])
            d.text((x1 - 130 * s, ly), rng.choice(["North", "South", "East", "West", "Online", "Retail", "Other", "APAC"]), fill=(40, 40, 40), font=f)
        return kind
    pl, pb = x0 + 60 * s, y1 - 40 * s
    d.line([pl, y0, pl, pb], fill=(120, 120, 120), width=max(1, int(s)))
    d.line([pl, pb, x1, pb], fill=(120, 120, 120), width=max(1, int(s)))
    vmax = rng.choice([10, 50, 100, 500, 1000, 5000])
    for k in range(6):
        yy = pb - (pb - y0) * k / 5
        d.line([pl, yy, x1, yy], fill=(232, 232, 236), width=1)
        d.text((x0, yy - 7 * s), f"{vmax * k // 5}", fill=(90, 90, 90), font=f)
    series = []
    for _sidx in range(nser):
        base = rng.uniform(0.2, 0.7)
        trend = rng.uniform(-0.05, 0.07)
        series.append([min(1, max(0.02, base + trend * k + rng.uniform(-0.12, 0.12))) for k in range(n)])
    step = (x1 - pl) / n
    for k in range(n):
        d.text((pl + step * k + step / 2 - 10 * s, pb + 8 * s), labels[k], fill=(90, 90, 90), font=f)
    for sidx, ser in enumerate(series):
        col = PALETTE[sidx % 8]
        if kind in ("bar", "hbar"):
            bw = step * 0.7 / nser
            for k, v in enumerate(ser):
                bx = pl + step * k + step * 0.15 + sidx * bw
                d.rectangle([bx, pb - (pb - y0) * v, bx + bw - 2, pb], fill=col)
        else:
            pts = [(pl + step * k + step / 2, pb - (pb - y0) * v) for k, v in enumerate(ser)]
            if kind == "area":
                d.polygon([*pts, (pts[-1][0], pb), (pts[0][0], pb)], fill=tuple(min(255, c + 120) for c in col))
            d.line(pts, fill=col, width=max(2, int(3 * s)))
            for p in pts:
                d.ellipse([p[0] - 4 * s, p[1] - 4 * s, p[0] + 4 * s, p[1] + 4 * s], fill=col)
    if nser > 1 or rng.random() < 0.5:
        lx = x1 - 170 * s if legend_pos != "left" else pl + 10 * s
        for _sidx in range(nser):
            ly = y0 + sidx * 22 * s
            d.rectangle([lx, ly + 3 * s, lx + 12 * s, ly + 15 * s], fill=PALETTE[sidx % 8])
            d.text((lx + 18 * s, ly), rng.choice(["2025", "2026", "Plan", "Actual", "Web", "Mobile", "EU", "US"]), fill=(50, 50, 50), font=f)
    return kind


def gen_chart(rng, nrng, i):
    w, h = rng.choice([(1200, 800), (1600, 900), (800, 600), (1920, 1080), (640, 480), (2400, 1600)])
    s = w / 1200
    img = Image.new("RGB", (w, h), (255, 255, 255) if rng.random() < 0.85 else (250, 250, 245))
    d = ImageDraw.Draw(img)
    kind = draw_chart(d, rng, (int(40 * s), int(30 * s), w - int(40 * s), h - int(30 * s)), s)
    return img, f"chart_{kind}"


# ---------------------------------------------------------------- diagrams

def arrow(d, p, q, col, wdt):
    d.line([p, q], fill=col, width=wdt)
    ang = math.atan2(q[1] - p[1], q[0] - p[0])
    L = wdt * 5
    a1 = (q[0] - L * math.cos(ang - 0.4), q[1] - L * math.sin(ang - 0.4))
    a2 = (q[0] - L * math.cos(ang + 0.4), q[1] - L * math.sin(ang + 0.4))
    d.polygon([q, a1, a2], fill=col)


def gen_diagram(rng, nrng, i):
    w, h = rng.choice([(1600, 1000), (1200, 900), (1920, 1080), (2400, 1400), (1000, 1400), (800, 600)])
    s = w / 1600
    img = Image.new("RGB", (w, h), (255, 255, 255) if rng.random() < 0.8 else (248, 249, 252))
    d = ImageDraw.Draw(img)
    style = rng.choice(["flow", "arch", "tree"])
    names = ["Client", "API Gateway", "Auth", "Orders", "Queue", "Worker", "Postgres", "Cache", "Start", "Validate", "Approve?", "Ship", "Notify", "Done", "Load balancer", "Storage", "Scheduler", "Billing"]
    rng.shuffle(names)
    n = rng.randint(4, 10)
    boxes = []
    cols = rng.randint(2, 4)
    bw, bh = 220 * s, 80 * s
    for k in range(n):
        if style == "tree":
            level = int(math.log2(k + 1))
            pos = k - (2 ** level - 1)
            cnt = 2 ** level
            cx = w * (pos + 0.5) / cnt
            cy = 120 * s + level * 200 * s
        else:
            r, c = divmod(k, cols)
            cx = w * (c + 0.5) / cols + rng.uniform(-30, 30) * s
            cy = 120 * s + r * 200 * s
        if cy + bh > h:
            break
        boxes.append((cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2))
    fill = rng.choice([(219, 234, 254), (220, 252, 231), (254, 243, 199), (243, 232, 255), (255, 255, 255)])
    for k, b in enumerate(boxes):
        if k:
            p = boxes[(k - 1) // 2] if style == "tree" else boxes[k - 1]
            arrow(d, ((p[0] + p[2]) / 2, p[3]) if style == "tree" else (p[2], (p[1] + p[3]) / 2) if p[1] == b[1] else ((p[0] + p[2]) / 2, p[3]),
                  ((b[0] + b[2]) / 2, b[1]) if (style == "tree" or p[1] != b[1]) else (b[0], (b[1] + b[3]) / 2), (70, 70, 80), max(2, int(2 * s)))
        if "?" in names[k % len(names)]:
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            d.polygon([(cx, b[1] - 10 * s), (b[2], cy), (cx, b[3] + 10 * s), (b[0], cy)], fill=fill, outline=(60, 60, 70))
        else:
            d.rounded_rectangle(b, radius=int(12 * s), fill=fill, outline=(60, 60, 70), width=max(1, int(2 * s)))
        d.text((b[0] + 16 * s, b[1] + 26 * s), names[k % len(names)], fill=(20, 20, 30), font=font(int(18 * s), "bold"))
    if rng.random() < 0.5:
        d.text((20 * s, h - 40 * s), "Fig. " + str(rng.randint(1, 9)) + ": " + sentence(rng, 6), fill=(90, 90, 90), font=font(int(13 * s)))
    return img, f"diagram_{style}"


# ---------------------------------------------------------------- photos

PHOTO_SIZES = [(4032, 3024), (3024, 4032), (4032, 3024), (1920, 1080), (800, 600), (1280, 960), (300, 200), (4000, 2250), (2048, 1536), (1080, 1350)]


def fractal_noise(nrng, w, h, octaves=5, base=4):
    """Multi-octave value noise in [-1, 1], shape (h, w)."""
    acc = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        gw, gh = max(2, base * 2 ** o * w // max(w, h)), max(2, base * 2 ** o * h // max(w, h))
        g = nrng.random((gh, gw)).astype(np.float32)
        up = np.asarray(Image.fromarray((g * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC), np.float32) / 127.5 - 1
        acc += amp * up
        tot += amp
        amp *= 0.55
    return acc / tot


def shaded_blob(img, box, color, rng, ellipse=True, light=(0.3, 0.25)):
    """Paste a shaded (lit from upper-left) ellipse/rounded box - looks more like a 3-D object."""
    x0, y0, x1, y1 = [int(v) for v in box]
    bw, bh = max(2, x1 - x0), max(2, y1 - y0)
    yy, xx = np.mgrid[0:bh, 0:bw].astype(np.float32)
    dx, dy = xx / bw - light[0], yy / bh - light[1]
    shade = np.clip(1.25 - 1.1 * np.sqrt(dx * dx + dy * dy), 0.35, 1.25)
    arr = np.clip(np.array(color, np.float32)[None, None, :] * shade[..., None], 0, 255).astype(np.uint8)
    patch = Image.fromarray(arr)
    mask = Image.new("L", (bw, bh), 0)
    md = ImageDraw.Draw(mask)
    if ellipse:
        md.ellipse([0, 0, bw - 1, bh - 1], fill=255)
    else:
        md.rounded_rectangle([0, 0, bw - 1, bh - 1], radius=max(1, min(bw, bh) // 8), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, min(bw, bh) / 80)))
    img.paste(patch, (x0, y0), mask)


def scene_city(rng, nrng, w, h):
    sw, sh = max(16, w // 4), max(16, h // 4)
    img = Image.new("RGB", (sw, sh))
    a = np.zeros((sh, sw, 3), np.float32)
    yy = np.linspace(0, 1, sh)[:, None, None]
    a[:] = np.array([120, 160, 210.0]) * (1 - yy) + np.array([200, 210, 225.0]) * yy
    img = Image.fromarray(a.astype(np.uint8))
    d = ImageDraw.Draw(img)
    x = -rng.randint(0, 10)
    while x < sw:
        bw = rng.randint(sw // 12, sw // 5)
        top = rng.uniform(0.1, 0.55) * sh
        c = rng.randint(70, 190)
        col = (c, c + rng.randint(-10, 10), c + rng.randint(-5, 20))
        d.rectangle([x, top, x + bw, sh], fill=col)
        for wy in range(int(top) + 4, sh - 4, max(3, sh // 40)):
            for wx in range(x + 3, x + bw - 3, max(3, sw // 60)):
                if rng.random() < 0.8:
                    lit = rng.random() < 0.3
                    d.rectangle([wx, wy, wx + 1, wy + 1], fill=(230, 220, 160) if lit else (60, 70, 90))
        x += bw + rng.randint(0, 4)
    d.rectangle([0, int(sh * 0.85), sw, sh], fill=(70, 70, 75))  # street
    for _ in range(rng.randint(2, 7)):  # cars
        cx = rng.uniform(0, sw)
        cw = sw * rng.uniform(0.05, 0.1)
        d.rounded_rectangle([cx, sh * 0.86, cx + cw, sh * 0.93], radius=2, fill=rand_color(rng, 20, 220))
    img = img.resize((w, h), Image.Resampling.BICUBIC)
    return img


def scene_tabletop(rng, nrng, w, h):
    """Close-up of objects on a wooden / fabric surface (product shots, food, devices)."""
    sw, sh = max(16, w // 4), max(16, h // 4)
    base = np.array(rng.choice([(150, 105, 70), (190, 160, 120), (90, 60, 40), (200, 200, 205), (60, 65, 75)]), np.float32)
    grain = fractal_noise(nrng, sw, sh, octaves=4, base=3)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    stripes = np.sin(xx / sw * rng.uniform(30, 90) + grain * 6)
    a = base[None, None, :] * (1 + 0.12 * stripes[..., None] + 0.15 * grain[..., None])
    a *= (0.75 + 0.35 * (1 - yy / sh))[..., None]  # light falloff
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
    what = rng.choice(["plate", "device", "fruit", "mug", "mixed"])
    m = min(w, h)
    cx, cy = w * rng.uniform(0.35, 0.65), h * rng.uniform(0.4, 0.6)
    if what in ("plate", "mixed"):
        r = m * rng.uniform(0.25, 0.38)
        shaded_blob(img, (cx - r, cy - r * 0.8, cx + r, cy + r * 0.8), (235, 235, 232), rng)
        for _ in range(rng.randint(3, 8)):
            rr = r * rng.uniform(0.12, 0.3)
            ox, oy = cx + rng.uniform(-0.5, 0.5) * r, cy + rng.uniform(-0.4, 0.4) * r
            shaded_blob(img, (ox - rr, oy - rr * 0.8, ox + rr, oy + rr * 0.8), rand_color(rng, 40, 230), rng)
    if what in ("device", "mixed"):
        dw, dh = m * rng.uniform(0.25, 0.45), m * rng.uniform(0.45, 0.7)
        if rng.random() < 0.5:
            dw, dh = dh, dw
        x0, y0 = w * rng.uniform(0.1, 0.5), h * rng.uniform(0.1, 0.35)
        shaded_blob(img, (x0, y0, x0 + dw, y0 + dh), rng.choice([(30, 30, 35), (200, 200, 205), (180, 150, 120)]), rng, ellipse=False)
        ImageDraw.Draw(img).rounded_rectangle([x0 + dw * 0.06, y0 + dh * 0.06, x0 + dw * 0.94, y0 + dh * 0.94], radius=int(m * 0.01), fill=(15, 18, 25))
    if what in ("fruit", "mixed"):
        for _ in range(rng.randint(3, 9)):
            rr = m * rng.uniform(0.05, 0.1)
            ox, oy = w * rng.uniform(0.1, 0.9), h * rng.uniform(0.3, 0.9)
            shaded_blob(img, (ox - rr, oy - rr, ox + rr, oy + rr), rng.choice([(200, 30, 30), (240, 180, 30), (100, 170, 40), (230, 120, 20)]), rng)
    if what == "mug":
        r = m * 0.18
        shaded_blob(img, (cx - r, cy - r * 1.2, cx + r, cy + r * 1.2), rand_color(rng, 60, 240), rng, ellipse=False)
        ImageDraw.Draw(img).ellipse([cx - r * 0.85, cy - r * 1.3, cx + r * 0.85, cy - r * 0.9], fill=(60, 35, 20))
    return img


def scene_portrait(rng, nrng, w, h):
    """Blurred background with one or more person-like silhouettes (head + shoulders)."""
    img = photo_background(rng, nrng, w, h, indoor=rng.random() < 0.5, objects=False)
    img = img.filter(ImageFilter.GaussianBlur(min(w, h) / 150))
    n = rng.choice([1, 1, 1, 2, 3, 5])
    m = min(w, h)
    for k in range(n):
        s = m * rng.uniform(0.25, 0.5) / (1 + 0.3 * (n - 1))
        cx = w * (k + 0.5) / n + rng.uniform(-0.05, 0.05) * w
        cy = h * rng.uniform(0.35, 0.55)
        cloth = rand_color(rng, 20, 220)
        shaded_blob(img, (cx - s * 0.9, cy + s * 0.45, cx + s * 0.9, cy + s * 2.2), cloth, rng)
        skin = rng.choice([(240, 200, 170), (200, 150, 110), (140, 95, 65), (90, 60, 40), (225, 180, 140)])
        shaded_blob(img, (cx - s * 0.33, cy - s * 0.45, cx + s * 0.33, cy + s * 0.45), skin, rng)
        hair = rng.choice([(30, 20, 15), (90, 60, 30), (200, 170, 100), (120, 120, 120), (15, 15, 15)])
        ImageDraw.Draw(img).chord([cx - s * 0.35, cy - s * 0.5, cx + s * 0.35, cy + s * 0.1], 180, 360, fill=hair)
    return img


def photo_background(rng, nrng, w, h, indoor=False, objects=True):
    """A smooth, noisy, textured scene-like background built at 1/4 scale then upsampled."""
    sw, sh = max(8, w // 4), max(8, h // 4)
    yy = np.linspace(0, 1, sh)[:, None, None]
    xx = np.linspace(0, 1, sw)[None, :, None]
    if indoor:
        c1 = np.array(rand_color(rng, 60, 200), float)
        c2 = c1 * rng.uniform(0.5, 0.9)
        a = c1 * (1 - yy) + c2 * yy + 0 * xx
        # wood grain / fabric texture
        freq = rng.uniform(20, 60)
        a = a + 12 * np.sin(xx * freq + 3 * np.sin(yy * 7))
    else:
        sky_top = np.array([rng.randint(40, 120), rng.randint(90, 170), rng.randint(170, 250)], float)
        sky_bot = np.array([rng.randint(180, 240), rng.randint(190, 235), rng.randint(200, 250)], float)
        if rng.random() < 0.25:  # sunset
            sky_top, sky_bot = np.array([70, 60, 140.0]), np.array([250, 160, 90.0])
        horizon = rng.uniform(0.35, 0.65)
        t = np.clip(yy / horizon, 0, 1)
        sky = sky_top * (1 - t) + sky_bot * t
        g1 = np.array(rng.choice([(70, 110, 50), (120, 100, 70), (60, 80, 90), (150, 140, 120), (90, 120, 60)]), float)
        g2 = g1 * 0.6
        tg = np.clip((yy - horizon) / (1 - horizon), 0, 1)
        ground = g1 * (1 - tg) + g2 * tg
        a = np.where(yy < horizon, sky + 0 * xx, ground + 0 * xx)
        # hills
        for _ in range(rng.randint(1, 3)):
            amp, ph, fr = rng.uniform(0.03, 0.12), rng.uniform(0, 6), rng.uniform(2, 8)
            hl = horizon - amp * (1 + np.sin(xx * fr + ph)) / 2
            col = np.array(rand_color(rng, 40, 130), float)
            a = np.where((yy > hl) & (yy < horizon + 0.02), col * 0.8 + a * 0.2, a)
    # multi-octave texture (grass, foliage, clouds), stronger below the horizon
    tex = fractal_noise(nrng, sw, sh, octaves=6, base=6)[..., None]
    a = a * (1 + 0.22 * tex * (0.4 + 0.6 * yy))
    a = a + nrng.normal(0, 4, a.shape)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
    img = img.resize((w, h), Image.Resampling.BICUBIC)
    d = ImageDraw.Draw(img)
    # shapes: sun, trees, rocks, objects
    sun = False
    for _ in range(rng.randint(3, 14) if objects else 0):
        kind = rng.random()
        if indoor and kind < 0.55:
            kind = 0.6  # no sun or trees indoors
        if kind < 0.15 and sun:
            kind = 0.3
        sun = sun or kind < 0.15
        cx, cy = rng.uniform(0, w), rng.uniform(h * 0.3, h)
        r = rng.uniform(0.02, 0.12) * min(w, h)
        if kind < 0.15 and not indoor:
            d.ellipse([cx - r, h * 0.1 - r, cx + r, h * 0.1 + r], fill=(255, 240, 200))
        elif kind < 0.55:
            g = rng.randint(50, 120)
            shaded_blob(img, (cx - r, cy - r * 1.4, cx + r, cy + r * 0.6), (g // 2 + rng.randint(0, 30), g, g // 3), rng)
            d.rectangle([cx - r * 0.12, cy + r * 0.5, cx + r * 0.12, cy + r * 1.2], fill=(70, 50, 30))
        else:
            c = rng.randint(60, 170)
            shaded_blob(img, (cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), (c, c - rng.randint(0, 30), c - rng.randint(0, 50)), rng, ellipse=rng.random() < 0.6)
    img = img.filter(ImageFilter.GaussianBlur(max(1, min(w, h) / 900)))
    return img


def finish_photo(img, rng, nrng):
    if rng.random() < 0.5:  # vignette
        w, h = img.size
        yy, xx = np.ogrid[-1:1:complex(0, h // 8 or 1), -1:1:complex(0, w // 8 or 1)]
        v = 1 - 0.35 * (xx ** 2 + yy ** 2)
        v = np.asarray(Image.fromarray((np.clip(v, 0, 1) * 255).astype(np.uint8)).resize((w, h)), float) / 255
        img = Image.fromarray(np.clip(np.asarray(img, float) * v[..., None], 0, 255).astype(np.uint8))
    return add_noise(img, nrng, rng.uniform(3, 8))


def gen_photo(rng, nrng, i):
    w, h = rng.choice(PHOTO_SIZES)
    scene = rng.choice(["landscape", "landscape", "indoor", "city", "tabletop", "tabletop", "portrait", "portrait"])
    indoor = scene == "indoor"
    if scene == "city":
        img = scene_city(rng, nrng, w, h)
    elif scene == "tabletop":
        img = scene_tabletop(rng, nrng, w, h)
    elif scene == "portrait":
        img = scene_portrait(rng, nrng, w, h)
    else:
        img = photo_background(rng, nrng, w, h, indoor=indoor)
    if rng.random() < 0.25:  # a "defect": scratch line on a product-like surface
        d = ImageDraw.Draw(img)
        x, y = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
        d.line([x, y, x + rng.uniform(-0.05, 0.05) * w, y + rng.uniform(0.01, 0.04) * h], fill=(230, 230, 230), width=max(1, w // 1500))
    return finish_photo(img, rng, nrng), f"photo_{scene}"


SIGN_TEXT = ["PLATFORM 4", "EXIT", "No parking 8am-6pm", "Baker St 221", "OPEN 9-17", "SN: 4F7A-22B9-K1",
             "Gate B12", "Max load 750 kg", "Zimmer 3.14", "出口", "Caution wet floor", "WiFi: cafe-guest / pw: espresso42",
             "Lot 2026-118 EXP 03/27", "Route 66", "MENU  Soup 4.50  Salad 6.00", "Model X-200  220V 50Hz", "Sortie", "Salida"]


def gen_photo_text(rng, nrng, i):
    w, h = rng.choice([*PHOTO_SIZES[:6], (3024, 4032)])
    scene = rng.random()
    if scene < 0.3:
        img = scene_city(rng, nrng, w, h)
    elif scene < 0.55:
        img = scene_tabletop(rng, nrng, w, h)
    else:
        img = photo_background(rng, nrng, w, h, indoor=rng.random() < 0.4)
    d = ImageDraw.Draw(img)
    txt = rng.choice(SIGN_TEXT)
    rel = rng.uniform(0.008, 0.03)  # text height relative to image height: small
    fs = max(8, int(h * rel))
    fb = font(fs, "bold")
    tw = d.textlength(txt, font=fb)
    pad = fs * 0.6
    x = rng.uniform(0.05, 0.9) * w
    x = min(x, w - tw - 2 * pad - 5)
    y = rng.uniform(0.15, 0.85) * h
    kind = rng.choice(["sign", "label", "plate", "sticker"])
    bgc = rng.choice([(20, 90, 40), (30, 60, 150), (240, 240, 240), (250, 210, 40), (200, 30, 30), (30, 30, 30)])
    fgc = (20, 20, 20) if sum(bgc) > 500 else (255, 255, 255)
    if kind == "sign":  # post
        d.rectangle([x + tw / 2 - fs * 0.2, y, x + tw / 2 + fs * 0.2, y + fs * 8], fill=(90, 90, 95))
    d.rounded_rectangle([x, y, x + tw + 2 * pad, y + fs + 2 * pad], radius=int(pad / 2), fill=bgc, outline=(60, 60, 60))
    d.text((x + pad, y + pad * 0.8), txt, fill=fgc, font=fb)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    return finish_photo(img, rng, nrng), f"photo_text_{kind}"


# ---------------------------------------------------------------- mixed

def gen_mixed(rng, nrng, i):
    style = rng.choice(["slide", "slide", "screenshot_photo", "poster", "doc_chart"])
    if style in ("slide", "poster"):
        w, h = (1920, 1080) if style == "slide" else (1240, 1754)
        s = w / 1920
        img = Image.new("RGB", (w, h), rng.choice([(255, 255, 255), (18, 24, 38), (245, 240, 230)]))
        d = ImageDraw.Draw(img)
        dark = img.getpixel((0, 0))[0] < 100
        fg = (240, 240, 240) if dark else (20, 20, 20)
        d.text((80 * s, 60 * s), sentence(rng, rng.randint(3, 6))[:-1], fill=fg, font=font(int(54 * s), "bold"))
        y = 200 * s
        for _ in range(rng.randint(3, 6)):
            d.ellipse([90 * s, y + 12 * s, 104 * s, y + 26 * s], fill=fg)
            for ln in wrap(d, sentence(rng, rng.randint(5, 12)), font(int(28 * s)), int(w * 0.42)):
                d.text((120 * s, y), ln, fill=fg, font=font(int(28 * s)))
                y += 40 * s
            y += 16 * s
        cb = (int(w * 0.52), int(200 * s), int(w - 60 * s), int(h * 0.85))
        if dark:
            d.rectangle(cb, fill=(255, 255, 255))
        if rng.random() < 0.7:
            draw_chart(d, rng, cb, s * 1.4)
        else:
            ph = photo_background(rng, nrng, cb[2] - cb[0], cb[3] - cb[1])
            img.paste(ph, cb[:2])
        d.text((80 * s, h - 60 * s), f"{rng.choice(NAMES)}  |  {rng.randint(2, 40)}", fill=(128, 128, 128), font=font(int(20 * s)))
        return img, f"mixed_{style}"
    if style == "doc_chart":
        w, h = 1240, 1754
        img = Image.new("RGB", (w, h), (255, 255, 255))
        d = ImageDraw.Draw(img)
        d.text((110, 100), sentence(rng, 4)[:-1], fill=(0, 0, 0), font=font(34, "bold"))
        y = paragraph(d, rng, 110, 180, w - 220, 15, max_y=700)
        draw_chart(d, rng, (110, y + 30, w - 110, y + 650), 0.9)
        paragraph(d, rng, 110, y + 700, w - 220, 15, max_y=h - 100, sents=8)
        return img, "mixed_doc_chart"
    # screenshot containing a photo (chat app / gallery / article)
    w, h = rng.choice([(1440, 900), (1920, 1080), (1170, 2532), (2880, 1800)])
    s = w / 1440 if w > h else w / 400
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 60 * s], fill=(240, 242, 245))
    d.text((20 * s, 18 * s), rng.choice(["Messages", "Photos", "News", "Marketplace"]), fill=(20, 20, 20), font=font(int(20 * s), "bold"))
    pw, ph_ = int(w * rng.uniform(0.45, 0.8)), int(h * rng.uniform(0.3, 0.55))
    px, py = int(w * 0.08), int(100 * s)
    img.paste(photo_background(rng, nrng, pw, ph_), (px, py))
    paragraph(d, rng, px, py + ph_ + 20 * s, w - 2 * px, int(15 * s), max_y=h - 20 * s, sents=5)
    return img, "mixed_screenshot_photo"


# ---------------------------------------------------------------- extra layouts (variety)

def gen_ui_extra(rng, nrng, i):
    """Chat app, product grid, settings with toggles, calendar-ish list."""
    w, h = rng.choice([*SCREEN_SIZES, (1170, 2532)])
    mobile = h > w
    s = (w / 1440) if not mobile else w / 400
    style = rng.choice(["chat", "products", "settings", "inbox"])
    dark = rng.random() < 0.3
    bg, fg, card = ((24, 24, 28), (235, 235, 235), (38, 38, 44)) if dark else ((255, 255, 255), (25, 25, 30), (245, 246, 248))
    accent = rng.choice(PALETTE)
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    top = int(64 * s)
    d.rectangle([0, 0, w, top], fill=card)
    d.text((20 * s, 20 * s), {"chat": "Team chat", "products": "Shop", "settings": "Settings", "inbox": "Inbox"}[style], fill=fg, font=font(int(20 * s), "bold"))
    y = top + 20 * s
    if style == "chat":
        while y < h - 120 * s:
            mine = rng.random() < 0.45
            lines = wrap(d, sentence(rng, rng.randint(3, 18)), font(int(15 * s)), int(w * 0.45))
            bh = len(lines) * 22 * s + 20 * s
            bw = max(d.textlength(ln, font=font(int(15 * s))) for ln in lines) + 30 * s
            x = w - bw - 24 * s if mine else 24 * s
            d.rounded_rectangle([x, y, x + bw, y + bh], radius=int(14 * s), fill=accent if mine else card)
            for k, ln in enumerate(lines):
                d.text((x + 15 * s, y + 10 * s + k * 22 * s), ln, fill=(255, 255, 255) if mine else fg, font=font(int(15 * s)))
            if rng.random() < 0.15:  # an image message
                ph = photo_background(rng, nrng, int(w * 0.3), int(w * 0.2))
                img.paste(ph, (int(x), int(y + bh + 8 * s)))
                y += w * 0.2 + 8 * s
            y += bh + 14 * s
        d.rounded_rectangle([20 * s, h - 80 * s, w - 20 * s, h - 24 * s], radius=int(24 * s), outline=(180, 180, 190), fill=card)
        d.text((44 * s, h - 62 * s), "Type a message", fill=(140, 140, 150), font=font(int(15 * s)))
    elif style == "products":
        cols = 2 if mobile else rng.randint(3, 5)
        cw = (w - 40 * s) / cols
        while y < h - 100 * s:
            for c in range(cols):
                x = 20 * s + c * cw
                d.rounded_rectangle([x + 8 * s, y, x + cw - 8 * s, y + cw * 1.25], radius=int(10 * s), fill=card)
                pw, ph_ = int(cw - 32 * s), int(cw * 0.75)
                img.paste(scene_tabletop(rng, nrng, max(8, pw // 4), max(8, ph_ // 4)).resize((pw, ph_)), (int(x + 16 * s), int(y + 8 * s)))
                d.text((x + 16 * s, y + cw * 0.8 + 10 * s), rng.choice(ITEMS), fill=fg, font=font(int(15 * s)))
                d.text((x + 16 * s, y + cw * 0.8 + 36 * s), f"${rng.uniform(3, 300):.2f}", fill=accent, font=font(int(17 * s), "bold"))
            y += cw * 1.25 + 16 * s
    elif style == "settings":
        for _k in range(rng.randint(6, 14)):
            if y > h - 60 * s:
                break
            d.text((30 * s, y + 8 * s), rng.choice(["Notifications", "Dark mode", "Auto-update", "Location", "Bluetooth", "Sync photos", "Two-factor auth", "Analytics", "Sounds", "Beta features"]), fill=fg, font=font(int(16 * s)))
            on = rng.random() < 0.5
            tx = w - 90 * s
            d.rounded_rectangle([tx, y + 6 * s, tx + 52 * s, y + 34 * s], radius=int(14 * s), fill=accent if on else (190, 190, 195))
            cx = tx + (38 * s if on else 14 * s)
            d.ellipse([cx - 11 * s, y + 9 * s, cx + 11 * s, y + 31 * s], fill=(255, 255, 255))
            d.line([30 * s, y + 48 * s, w - 30 * s, y + 48 * s], fill=(220, 220, 225) if not dark else (60, 60, 66))
            y += 56 * s
    else:  # inbox
        while y < h - 40 * s:
            unread = rng.random() < 0.3
            if unread:
                d.ellipse([14 * s, y + 14 * s, 22 * s, y + 22 * s], fill=accent)
            d.text((32 * s, y + 6 * s), rng.choice(NAMES), fill=fg, font=font(int(15 * s), "bold" if unread else "sans"))
            d.text((32 * s, y + 28 * s), sentence(rng, rng.randint(4, 9))[:60], fill=(120, 120, 130), font=font(int(13 * s)))
            d.text((w - 90 * s, y + 6 * s), f"{rng.randint(7, 23)}:{rng.randint(0, 59):02d}", fill=(120, 120, 130), font=font(int(12 * s)))
            d.line([0, y + 56 * s, w, y + 56 * s], fill=(225, 225, 230) if not dark else (55, 55, 60))
            y += 58 * s
    return img, f"ui_{style}"


def gen_code_extra(rng, nrng, i):
    """Notebook cells with an output plot, or a unified diff view."""
    w, h = rng.choice(SCREEN_SIZES)
    s = w / 1440
    style = rng.choice(["notebook", "diff"])
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    f = font(int(14 * s), "mono")
    lh = int(22 * s)
    if style == "notebook":
        y = 30 * s
        n = 1
        while y < h - 100 * s:
            lines = rng.sample(CODE_SNIPPETS["python"], rng.randint(2, 6))
            bh = len(lines) * lh + 20 * s
            d.text((20 * s, y + 10 * s), f"In [{n}]:", fill=(48, 63, 159), font=f)
            d.rectangle([120 * s, y, w - 40 * s, y + bh], fill=(247, 247, 247), outline=(225, 225, 225))
            for k, ln in enumerate(lines):
                draw_code_line(d, 130 * s, y + 10 * s + k * lh, ln, f, THEMES["light"])
            y += bh + 10 * s
            if rng.random() < 0.4 and y < h - 360 * s:
                draw_chart(d, rng, (int(130 * s), int(y), int(min(w - 40 * s, 130 * s + 700 * s)), int(y + 320 * s)), s * 0.8)
                y += 340 * s
            elif rng.random() < 0.5:
                d.text((130 * s, y), rng.choice(["KeyError: 'port'", "array([0.12, 0.56, 0.91])", "Out[3]: 42", "ValueError: shapes (3,) and (4,) not aligned"]), fill=(200, 40, 40) if "Error" in str(n) else (30, 30, 30), font=f)
                y += lh + 14 * s
            n += 1
    else:
        y = 20 * s
        d.text((20 * s, y), f"diff --git a/src/{rng.choice(['app', 'db', 'api'])}.py b/src/...", fill=(90, 90, 90), font=f)
        y += lh * 1.5
        lines = CODE_SNIPPETS[rng.choice(list(CODE_SNIPPETS))]
        k = 0
        while y < h - lh:
            t = lines[k % len(lines)]
            r = rng.random()
            if r < 0.15:
                d.rectangle([0, y, w, y + lh], fill=(255, 235, 233))
                d.text((20 * s, y), "- " + t, fill=(160, 20, 20), font=f)
            elif r < 0.32:
                d.rectangle([0, y, w, y + lh], fill=(230, 255, 237))
                d.text((20 * s, y), "+ " + t, fill=(20, 110, 40), font=f)
            else:
                d.text((20 * s, y), "  " + t, fill=(40, 40, 40), font=f)
            y += lh
            k += 1
    return img, f"code_{style}"


def gen_diagram_seq(rng, nrng, i):
    """UML-style sequence diagram: lifelines and labelled horizontal messages."""
    w, h = rng.choice([(1600, 1200), (1920, 1080), (1200, 1000), (2400, 1600)])
    s = w / 1600
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    actors = rng.sample(["User", "Browser", "API", "Auth", "DB", "Cache", "Queue", "Worker", "Payment"], rng.randint(3, 6))
    xs = [w * (k + 0.5) / len(actors) for k in range(len(actors))]
    for x, a in zip(xs, actors, strict=False):
        d.rounded_rectangle([x - 80 * s, 40 * s, x + 80 * s, 100 * s], radius=int(8 * s), fill=(230, 238, 250), outline=(60, 60, 70), width=max(1, int(2 * s)))
        d.text((x - 60 * s, 58 * s), a, fill=(20, 20, 30), font=font(int(18 * s), "bold"))
        for yy in range(int(100 * s), int(h - 40 * s), int(16 * s)):
            d.line([x, yy, x, yy + 8 * s], fill=(140, 140, 150), width=max(1, int(s)))
    y = 150 * s
    while y < h - 80 * s:
        a, b = rng.sample(range(len(actors)), 2)
        arrow(d, (xs[a], y), (xs[b], y), (40, 40, 50), max(2, int(2 * s)))
        d.text((min(xs[a], xs[b]) + 12 * s, y - 24 * s), rng.choice(["POST /login", "validate(token)", "SELECT user", "200 OK", "enqueue(job)", "cache.get(k)", "charge(amount)", "redirect"]), fill=(50, 50, 60), font=font(int(14 * s)))
        y += rng.uniform(50, 90) * s
    return img, "diagram_sequence"


def gen_chart_extra(rng, nrng, i):
    """Scatter plot or a multi-chart dashboard page."""
    w, h = rng.choice([(1920, 1080), (1600, 900), (2560, 1440), (1200, 800)])
    s = w / 1600
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    if rng.random() < 0.5:
        x0, y0, x1, y1 = 100 * s, 80 * s, w - 60 * s, h - 80 * s
        d.text((x0, 20 * s), rng.choice(["Price vs. size", "Latency vs. load", "Height vs. weight"]), fill=(20, 20, 20), font=font(int(22 * s), "bold"))
        d.line([x0, y1, x1, y1], fill=(120, 120, 120), width=max(1, int(s)))
        d.line([x0, y0, x0, y1], fill=(120, 120, 120), width=max(1, int(s)))
        slope = rng.uniform(-0.8, 0.9)
        for sidx in range(rng.randint(1, 3)):
            col = PALETTE[sidx]
            for _ in range(rng.randint(30, 200)):
                u = rng.random()
                v = min(0.98, max(0.02, 0.5 + slope * (u - 0.5) + rng.gauss(0, 0.12)))
                px, py = x0 + u * (x1 - x0), y1 - v * (y1 - y0)
                r = 4 * s
                d.ellipse([px - r, py - r, px + r, py + r], fill=col)
        return img, "chart_scatter"
    img = Image.new("RGB", (w, h), (243, 244, 247))
    d = ImageDraw.Draw(img)
    d.text((30 * s, 20 * s), "Weekly KPI dashboard", fill=(20, 20, 20), font=font(int(26 * s), "bold"))
    cols, rows = 2, 2
    for r in range(rows):
        for c in range(cols):
            bx0 = 30 * s + c * (w - 60 * s) / cols
            by0 = 80 * s + r * (h - 100 * s) / rows
            box = (int(bx0 + 10 * s), int(by0 + 10 * s), int(bx0 + (w - 60 * s) / cols - 10 * s), int(by0 + (h - 100 * s) / rows - 10 * s))
            d.rounded_rectangle(box, radius=int(10 * s), fill=(255, 255, 255))
            draw_chart(d, rng, (box[0] + int(16 * s), box[1] + int(12 * s), box[2] - int(16 * s), box[3] - int(12 * s)), s * 0.8)
    return img, "chart_dashboard"


def gen_mixed_extra(rng, nrng, i):
    """Product page (photo + price + description) or a social post with a photo and comments."""
    w, h = rng.choice([(1440, 900), (1920, 1080), (1170, 2532), (2560, 1600)])
    mobile = h > w
    s = w / 1440 if not mobile else w / 400
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    if rng.random() < 0.5 and not mobile:
        pw, ph_ = int(w * 0.45), int(h * 0.7)
        img.paste(scene_tabletop(rng, nrng, pw, ph_), (int(40 * s), int(100 * s)))
        x = 40 * s + pw + 50 * s
        d.text((x, 110 * s), rng.choice(ITEMS) + " - " + rng.choice(["Premium", "Classic", "Pro", "Mini"]), fill=(20, 20, 20), font=font(int(30 * s), "bold"))
        d.text((x, 170 * s), f"${rng.uniform(5, 500):.2f}", fill=(200, 30, 30), font=font(int(28 * s), "bold"))
        paragraph(d, rng, x, 230 * s, int(w - x - 40 * s), int(15 * s), max_y=h * 0.75, sents=5)
        button(d, x, h * 0.8, "Add to cart", s, True, (234, 88, 12))
        return img, "mixed_product_page"
    d.text((20 * s, 20 * s), rng.choice(NAMES), fill=(20, 20, 20), font=font(int(17 * s), "bold"))
    paragraph(d, rng, 20 * s, 50 * s, int(w - 40 * s), int(15 * s), max_y=140 * s, sents=2)
    ph_ = int(min(h * 0.55, w * 0.75))
    img.paste(photo_background(rng, nrng, int(w - 40 * s), ph_), (int(20 * s), int(150 * s)))
    y = 150 * s + ph_ + 20 * s
    while y < h - 60 * s:
        d.text((20 * s, y), rng.choice(NAMES) + ":", fill=(20, 20, 20), font=font(int(14 * s), "bold"))
        d.text((20 * s + 160 * s, y), sentence(rng, rng.randint(3, 10))[:80], fill=(60, 60, 60), font=font(int(14 * s)))
        y += 34 * s
    return img, "mixed_social_post"


def gen_invoice_doc(rng, nrng, i):
    """Invoice / quote / statement page: letterhead, address blocks, line-item table, totals bottom right."""
    w, h = rng.choice([(1240, 1754), (2480, 3508), (1275, 1650)])
    s = w / 1240
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    acc = rng.choice([*PALETTE, (30, 30, 30)])
    m = int(90 * s)
    name = rng.choice(NAMES)
    d.text((m, m), name, fill=acc, font=font(int(30 * s), "bold"))
    for k in range(3):
        d.text((m, m + int(44 * s) + k * int(22 * s)), sentence(rng, rng.randint(3, 6))[:-1], fill=(90, 90, 90), font=font(int(14 * s)))
    title = rng.choice(["INVOICE", "QUOTE", "STATEMENT", "RECHNUNG", "FACTURE", "CREDIT NOTE"])
    ft = font(int(40 * s), "bold")
    d.text((w - m - d.textlength(title, font=ft), m), title, fill=acc, font=ft)
    for k, lab in enumerate(["No.", "Date", "Due", "Customer ID"]):
        v = f"{rng.randint(1000, 99999)}" if k != 1 and k != 2 else f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        d.text((w - m - int(330 * s), m + int(70 * s) + k * int(24 * s)), lab, fill=(90, 90, 90), font=font(int(15 * s)))
        fv = font(int(15 * s), "bold")
        d.text((w - m - d.textlength(v, font=fv), m + int(70 * s) + k * int(24 * s)), v, fill=(20, 20, 20), font=fv)
    y = m + int(220 * s)
    d.text((m, y), "Bill to", fill=(90, 90, 90), font=font(int(14 * s), "bold"))
    for k in range(4):
        d.text((m, y + int(24 * s) + k * int(22 * s)), rng.choice(NAMES) if k == 0 else sentence(rng, rng.randint(2, 4))[:-1], fill=(20, 20, 20), font=font(int(16 * s)))
    y += int(160 * s)
    rh = int(36 * s)
    d.rectangle([m, y, w - m, y + rh], fill=acc)
    cols = [m + int(12 * s), w - m - int(560 * s), w - m - int(330 * s), w - m - int(12 * s)]
    for x, t in zip(cols, ["Description", "Qty", "Unit", "Amount"], strict=False):
        fb = font(int(15 * s), "bold")
        d.text((x if t == "Description" else x - d.textlength(t, font=fb), y + int(9 * s)), t, fill=(255, 255, 255), font=fb)
    y += rh
    tot = 0.0
    for k in range(rng.randint(3, 16)):
        if k % 2:
            d.rectangle([m, y, w - m, y + rh], fill=(245, 246, 249))
        q, p = rng.randint(1, 20), rng.uniform(5, 2000)
        tot += q * p
        f = font(int(15 * s))
        d.text((cols[0], y + int(9 * s)), rng.choice(ITEMS) + " - " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))), fill=(20, 20, 20), font=f)
        for x, t in zip(cols[1:], [str(q), f"{p:,.2f}", f"{q * p:,.2f}"], strict=False):
            d.text((x - d.textlength(t, font=f), y + int(9 * s)), t, fill=(20, 20, 20), font=f)
        y += rh
    y += int(20 * s)
    for lab, v, big in [("Subtotal", tot, False), ("Tax", tot * 0.2, False), ("Total", tot * 1.2, True)]:
        f = font(int((24 if big else 16) * s), "bold" if big else "sans")
        d.text((w - m - int(420 * s), y), lab, fill=(20, 20, 20), font=f)
        t = f"{v:,.2f}"
        d.text((w - m - d.textlength(t, font=f), y), t, fill=acc if big else (20, 20, 20), font=f)
        y += int((44 if big else 30) * s)
    paragraph(d, rng, m, h - int(300 * s), w - 2 * m, int(13 * s), color=(80, 80, 80), max_y=h - m, sents=3)
    return img, "document_invoice"


def photographed(page: Image.Image, rng, nrng):
    """A page photographed with a phone on a desk: background, slight perspective/rotation, shading."""
    W, H = rng.choice([(3024, 4032), (3024, 4032), (1536, 2048), (4032, 3024)])
    bg = scene_tabletop(rng, nrng, W, H) if rng.random() < 0.5 else photo_background(rng, nrng, W, H, indoor=True, objects=False)
    sc = rng.uniform(0.7, 0.92) * min(W / page.width, H / page.height)
    p = page.resize((int(page.width * sc), int(page.height * sc)), Image.Resampling.BICUBIC)
    # simple perspective: shrink the top edge a little
    dx = p.width * rng.uniform(0.0, 0.06)
    p = p.transform(p.size, Image.Transform.QUAD, (dx, 0, 0, p.height, p.width, p.height, p.width - dx, 0), Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", p.size, 0)
    ImageDraw.Draw(mask).polygon([(0, 0), (p.width, 0), (p.width, p.height), (0, p.height)], fill=255)
    mask = p.convert("L").point(lambda v: 255 if v > 0 else 0)
    p, mask = p.rotate(rng.uniform(-6, 6), expand=True, resample=Image.Resampling.BICUBIC), mask.rotate(0, expand=False)
    mask = Image.new("L", p.size, 0)
    mask.paste(255, (0, 0), p.convert("L").point(lambda v: 255 if v > 0 else 0))
    bg.paste(p, ((W - p.width) // 2 + rng.randint(-W // 20, W // 20), (H - p.height) // 2 + rng.randint(-H // 20, H // 20)), mask)
    # uneven lighting
    yy, xx = np.mgrid[0:H // 8, 0:W // 8].astype(np.float32)
    light = 1 - 0.25 * ((xx / (W / 8) - rng.uniform(0, 1)) ** 2 + (yy / (H / 8) - rng.uniform(0, 1)) ** 2)
    light = np.asarray(Image.fromarray((np.clip(light, 0.5, 1) * 255).astype(np.uint8)).resize((W, H), Image.Resampling.BICUBIC), np.float32) / 255
    arr = np.asarray(bg, np.float32) * light[..., None]
    return add_noise(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), nrng, 4)


def gen_document_any(rng, nrng, i):
    r = rng.random()
    img, sub = gen_invoice_doc(rng, nrng, i) if r < 0.3 else gen_document(rng, nrng, i)
    if rng.random() < 0.2:
        return photographed(img, rng, nrng), sub + "_photographed"
    return img, sub


def _mix(main, extra, p):
    def g(rng, nrng, i):
        return extra(rng, nrng, i) if rng.random() < p else main(rng, nrng, i)
    g.__name__ = main.__name__
    return g


GENERATORS = {
    "document": gen_document_any, "receipt": gen_receipt, "code_screenshot": _mix(gen_code, gen_code_extra, 0.3),
    "ui_screenshot": _mix(gen_ui, gen_ui_extra, 0.4), "table": gen_table, "chart": _mix(gen_chart, gen_chart_extra, 0.25),
    "diagram": _mix(gen_diagram, gen_diagram_seq, 0.25), "photo": gen_photo, "photo_text": gen_photo_text,
    "mixed": _mix(gen_mixed, gen_mixed_extra, 0.35),
}
PER_KIND = {"document": 55, "receipt": 45, "code_screenshot": 52, "ui_screenshot": 60, "table": 45,
            "chart": 50, "diagram": 45, "photo": 60, "photo_text": 50, "mixed": 50}


def seed_for(kind: str, i: int) -> int:
    return (KINDS.index(kind) + 1) * 100_003 + i * 7919


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-kind", type=int, default=0, help="override the per-kind count (smoke runs)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    out = Path(args.out)
    rows = []
    for kind in KINDS:
        (out / kind).mkdir(parents=True, exist_ok=True)
        n = args.per_kind or PER_KIND[kind]
        for i in range(n):
            sd = seed_for(kind, i)
            rng, nrng = random.Random(sd), np.random.default_rng(sd)
            img, sub = GENERATORS[kind](rng, nrng, i)
            iid = f"{kind}_{i:03d}"
            rel, (ow, oh) = save_thumbnail(img, out, f"{kind}/{iid}", kind)
            rows.append({"id": iid, "kind": kind, "file": rel, "original_width": ow, "original_height": oh,
                         "source": f"generated:{GENERATORS[kind].__name__}/{sub}", "licence": LICENCE})
        print(kind, n, flush=True)
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    print("images:", len(rows))


if __name__ == "__main__":
    main()
