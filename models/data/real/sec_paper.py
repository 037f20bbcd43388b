"""Photographed-looking paper, screens and whiteboards made from the real renders of this set.

Real traffic has many phone photos of printed pages, forms and screens. These are made from images
already in the set (pages printed from manuals, man pages, tables, charts, browser screenshots), or
from Graphviz drawings of real metadata for whiteboards, by simulating the photo: the sheet on a desk
or the screen in a room, perspective, uneven light and shadow, lens blur, sensor noise and JPEG.
Each keeps the ``source`` and licence of what it shows, and the ``group`` of the image it was made from.

Example::

    for item in paper():
        print(item.kind, item.group)
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import numpy as np
from common import IMAGES, Item, deb_version, read_manifest, rng_for
from PIL import Image, ImageDraw, ImageFilter


def _coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """Perspective coefficients mapping output (dst) points back to input (src) points, for Image.transform."""
    a = []
    b = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(a, dtype=float), np.array(b, dtype=float))]


def _light(w: int, h: int, rng: object) -> np.ndarray:
    """A smooth illumination field: a directional gradient and a vignette, values about 0.6-1.05."""
    import random

    assert isinstance(rng, random.Random)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    grad = (np.cos(ang) * (xx / w - 0.5) + np.sin(ang) * (yy / h - 0.5)) * rng.uniform(0.15, 0.4)
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    vig = ((xx - cx) ** 2 / w**2 + (yy - cy) ** 2 / h**2) * rng.uniform(0.2, 0.6)
    return np.clip(1.02 - grad - vig, 0.45, 1.08)


def _desk(w: int, h: int, rng: object) -> Image.Image:
    import random

    assert isinstance(rng, random.Random)
    base = np.array(rng.choice(((120, 85, 55), (160, 125, 90), (70, 70, 72), (200, 198, 190), (95, 60, 40),
                                (180, 180, 175), (40, 45, 55))), dtype=np.float32)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    # wood-like streaks or plain: low-frequency noise stretched along one axis
    small = nrng.normal(0, 1, (max(2, h // 40), max(2, w // 400))).astype(np.float32)
    streak = np.array(Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32)
    arr = base[None, None, :] * (1 + 0.08 * streak[..., None]) + nrng.normal(0, 4, (h, w, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _photograph(sheet: Image.Image, rng: object, *, out_long: int, on_desk: bool, glare: bool) -> Image.Image:
    """Place ``sheet`` in a camera frame with perspective, light, blur, noise; return the photo."""
    import random

    assert isinstance(rng, random.Random)
    sheet = sheet.convert("RGB")
    sw, sh = sheet.size
    # frame a bit larger than the sheet, with the sheet tilted in perspective
    fw, fh = (int(sw * rng.uniform(1.08, 1.3)), int(sh * rng.uniform(1.06, 1.25)))
    if fw < fh and rng.random() < 0.3:
        fw = int(fh * 0.75)
    bg = _desk(fw, fh, rng) if on_desk else Image.new("RGB", (fw, fh), (20, 20, 22))
    mx, my = (fw - sw) / 2, (fh - sh) / 2
    j = min(sw, sh) * rng.uniform(0.02, 0.09)
    dst = [(mx + rng.uniform(-j, j), my + rng.uniform(-j, j)), (mx + sw + rng.uniform(-j, j), my + rng.uniform(-j, j)),
           (mx + sw + rng.uniform(-j, j), my + sh + rng.uniform(-j, j)), (mx + rng.uniform(-j, j), my + sh + rng.uniform(-j, j))]
    src = [(0, 0), (sw, 0), (sw, sh), (0, sh)]
    co = _coeffs(src, dst)
    warped = sheet.transform((fw, fh), Image.Transform.PERSPECTIVE, co, Image.Resampling.BICUBIC)
    mask = Image.new("L", (sw, sh), 255).transform((fw, fh), Image.Transform.PERSPECTIVE, co, Image.Resampling.BICUBIC)
    if on_desk:  # a soft drop shadow under the sheet
        shadow = mask.filter(ImageFilter.GaussianBlur(min(fw, fh) * 0.01))
        off = (int(rng.uniform(-1, 1) * fw * 0.01), int(fh * 0.008))
        dark = Image.new("RGB", (fw, fh), (0, 0, 0))
        sh_mask = Image.new("L", (fw, fh), 0)
        sh_mask.paste(shadow.point(lambda v: int(v * 0.45)), off)
        bg = Image.composite(dark, bg, sh_mask)
    img = Image.composite(warped, bg, mask)
    arr = np.asarray(img, dtype=np.float32) * _light(fw, fh, rng)[..., None]
    if glare:
        yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
        gx, gy = rng.uniform(0.2, 0.8) * fw, rng.uniform(0.2, 0.8) * fh
        r = rng.uniform(0.1, 0.3) * max(fw, fh)
        arr += 70 * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r))[..., None]
    tint = np.array([rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.88, 1.02)], dtype=np.float32)
    arr = arr * tint
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    s = out_long / max(img.size)
    img = img.resize((round(img.width * s), round(img.height * s)), Image.Resampling.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.3)))
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    arr = np.asarray(img, dtype=np.float32) + nrng.normal(0, rng.uniform(1.0, 3.5), (img.height, img.width, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _screen(shot: Image.Image, rng: object) -> Image.Image:
    """A screenshot as shown on a monitor: bezel, slight pixel-grid pattern, lower contrast."""
    import random

    assert isinstance(rng, random.Random)
    arr = np.asarray(shot.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    grid = 1 - 0.07 * ((yy % 3 == 0) | (xx % 3 == 0))  # the pixel grid a camera catches on a screen
    arr = arr * grid[..., None] * 0.9 + 18
    bez = int(min(w, h) * 0.03)
    out = Image.new("RGB", (w + 2 * bez, h + 2 * bez), (15, 15, 17))
    out.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), (bez, bez))
    return out


def _whiteboard(dot_src: str, rng: object) -> Image.Image:
    import random

    assert isinstance(rng, random.Random)
    png = subprocess.run(["dot", "-Tpng", "-Gdpi=110", "-Gbgcolor=transparent"], input=dot_src.encode(),
                         capture_output=True, check=True).stdout
    import io

    drawing = Image.open(io.BytesIO(png)).convert("RGBA")
    w, h = drawing.size
    bw, bh = int(w * 1.25) + 200, int(h * 1.25) + 200
    board = Image.new("RGB", (bw, bh), (236, 238, 236))
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    arr = np.asarray(board, dtype=np.float32) + nrng.normal(0, 2.5, (bh, bw, 1))
    # faint ghosts of erased writing
    ghost = Image.new("L", (bw, bh), 0)
    d = ImageDraw.Draw(ghost)
    for _ in range(rng.randint(3, 9)):
        x, y = rng.randint(0, bw), rng.randint(0, bh)
        d.line([(x, y), (x + rng.randint(-300, 300), y + rng.randint(-60, 60))], fill=40, width=rng.randint(8, 30))
    arr -= np.asarray(ghost.filter(ImageFilter.GaussianBlur(12)), dtype=np.float32)[..., None] * 0.35
    board = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    board.paste(drawing, ((bw - w) // 2, (bh - h) // 2), drawing)
    frame = ImageDraw.Draw(board)
    frame.rectangle([0, 0, bw - 1, bh - 1], outline=(150, 152, 155), width=max(6, bw // 150))
    return board


def _marker_dot(graph: dict[str, list[str]], rng: object) -> str:
    import random

    assert isinstance(rng, random.Random)
    ink = rng.choice(("#1b3fa6", "#111111", "#b3221b", "#1d7a35"))
    ink2 = rng.choice(("#b3221b", "#1b3fa6", "#111111"))
    lines = [f'digraph G {{ rankdir={rng.choice(("TB", "LR"))}; nodesep=0.5; ',
             f'node [shape={rng.choice(("box", "ellipse", "plaintext"))}, fontname="Comic Neue", fontsize=18, '
             f'color="{ink}", fontcolor="{ink}", penwidth=3]; edge [color="{ink2}", penwidth=2.5, arrowsize=1.2];']
    for a, bs in list(graph.items())[:14]:
        for b in bs[:4]:
            lines.append(f'"{a}" -> "{b}";')
    return "\n".join(lines) + "}"


def paper() -> Iterator[Item]:
    rows = read_manifest()

    def pick(kinds: set[str], n: int, tag: str) -> list[dict[str, object]]:
        cand = [r for r in rows.values() if r["kind"] in kinds and str(r["source"]).split(":")[0] != "github"]
        rng_for("paper-pick", tag).shuffle(cand)
        return cand[:n]

    # 1) printed pages (manual pages, man pages) photographed on a desk
    for r in pick({"document"}, 34, "docs"):
        rng = rng_for("paper", r["id"])
        sheet = Image.open(IMAGES / str(r["file"]).split("/")[-1])
        photo = _photograph(sheet, rng, out_long=rng.choice((1280, 1600, 1600, 2016)), on_desk=True,
                            glare=rng.random() < 0.25)
        yield Item(kind="receipt", image=photo, source=str(r["source"]), licence=str(r["licence"]),
                   attribution=str(r["attribution"]), group=str(r["group"]), jpeg=True, quality=rng.choice((78, 82, 85)),
                   made=f"phone-photo look of {r['id']} printed: on a desk, perspective, uneven light, blur, noise")
    # 2) printed tables and charts (report printouts) photographed
    for r in pick({"table", "chart"}, 16, "printouts"):
        rng = rng_for("paper", r["id"])
        src = Image.open(IMAGES / str(r["file"]).split("/")[-1]).convert("RGB")
        margin = int(max(src.size) * 0.08)
        sheet = Image.new("RGB", (src.width + 2 * margin, src.height + 2 * margin), (250, 250, 247))
        sheet.paste(src, (margin, margin))
        photo = _photograph(sheet, rng, out_long=rng.choice((1280, 1440, 1600)), on_desk=True,
                            glare=rng.random() < 0.3)
        yield Item(kind="receipt", image=photo, source=str(r["source"]), licence=str(r["licence"]),
                   attribution=str(r["attribution"]), group=str(r["group"]), jpeg=True, quality=85,
                   made=f"phone-photo look of {r['id']} printed on paper: perspective, uneven light, blur, noise")
    # 3) photos of a monitor showing a screenshot
    for r in pick({"ui_screenshot", "code_screenshot", "mixed"}, 16, "screens"):
        rng = rng_for("paper", r["id"])
        shot = Image.open(IMAGES / str(r["file"]).split("/")[-1])
        photo = _photograph(_screen(shot, rng), rng, out_long=rng.choice((1280, 1600, 2016)), on_desk=False,
                            glare=rng.random() < 0.5)
        yield Item(kind="photo_text", image=photo, source=str(r["source"]), licence=str(r["licence"]),
                   attribution=str(r["attribution"]), group=str(r["group"]), jpeg=True, quality=82,
                   made=f"phone-photo look of a monitor showing {r['id']}: bezel, pixel grid, perspective, glare, noise")
    # 4) whiteboards with a diagram of real metadata drawn in marker
    from sec_charts import _classes, _deb_deps

    boards: list[tuple[str, dict[str, list[str]], str, str, str]] = []
    for pkg in ("xdotool", "poppler-utils", "python3-tk", "tk8.6", "graphviz", "mandoc"):
        boards.append((f"{pkg} dependencies", _deb_deps(pkg, 1), f"debian:{pkg} {deb_version(pkg)} (dpkg Depends fields)",
                       "public-domain (facts: package metadata)", "Debian package metadata"))
    for module, base in (("builtins", "OSError"), ("logging", "Handler"), ("io", "IOBase"), ("numbers", "Number"),
                         ("argparse", "Action"), ("http.client", "HTTPException")):
        boards.append((f"{module}.{base} hierarchy", _classes(module, base),
                       f"debian:python3.11 {deb_version('python3.11')} (class hierarchy of {module}.{base})", "PSF-2.0",
                       "Python Software Foundation"))
    for title, graph, source, licence, attribution in boards:
        rng = rng_for("board", title)
        board = _whiteboard(_marker_dot(graph, rng), rng)
        photo = _photograph(board, rng, out_long=rng.choice((1280, 1600, 2016)), on_desk=False, glare=True)
        yield Item(kind="receipt", image=photo, source=source, licence=licence, attribution=attribution,
                   jpeg=True, quality=85,
                   made=f"whiteboard look: Graphviz drawing of {title} in marker colours (Comic Neue), "
                        "board texture and erased ghosts, photographed: perspective, glare, blur, noise")
