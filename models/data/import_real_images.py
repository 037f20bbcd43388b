"""Import REAL photographs and scans (permissive licences only) as router thumbnails.

Complements ``make_images.py`` (synthetic) with real images taken from packages that ship
them with a per-image licence statement (page.png: package-wide BSD-3-Clause only):
scikit-image, scikit-learn and SciPy 1.9.3 wheels (PyPI), the OCRmyPDF sdist (PyPI) and
Debian's ``lomiri-wallpapers-16.04``. Only images whose
licence is public domain, CC0, CC-BY or BSD-style are used (see ``SOURCES`` and the
"Real images" section of README.md; CC-BY images need the attribution kept in the manifest).

Fetch and unpack the sources into one folder (nothing is installed; versions are pinned
because the script checks every source file's sha256):

    SRC=/tmp/realsrc; mkdir -p $SRC/dl && cd $SRC/dl
    python -m pip download --no-deps --only-binary=:all: --python-version 3.11 \\
        --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \\
        scikit-image==0.26.0 scikit-learn==1.9.1 scipy==1.9.3
    python -m pip download --no-deps --no-binary=:all: ocrmypdf==17.13.0
    apt-get download lomiri-wallpapers-16.04=20.04.0-2        # Debian 12 (bookworm)
    cd $SRC
    for w in dl/*.whl; do python3 -m zipfile -e "$w" .; done   # -> skimage/ sklearn/ scipy/
    tar xzf dl/ocrmypdf-17.13.0.tar.gz                         # -> ocrmypdf-17.13.0/
    dpkg-deb -x dl/lomiri-wallpapers-16.04_20.04.0-2_all.deb . # -> usr/share/backgrounds/

Then, from the repo root:

    .venv/bin/python models/data/import_real_images.py --src /tmp/realsrc

Thumbnails are made exactly like ``make_images.py``: ``convert("RGB")``, the "original" size
recorded, ``thumbnail((256, 256), LANCZOS)``, JPEG quality 90 for photo / photo_text, PNG
(optimize) otherwise. Each source image gives several variants, marked in the id
(``real_<name>_<variant>``): ``orig`` as shipped; ``12mp`` (photos: 4:3 centre crop scaled to
a 4032x3024 / 3024x4032 phone-camera size) or ``300dpi`` (documents: long side 3508 px, A4 at
300 dpi); ``crop`` (a seeded sub-region, 45-75 % per side); ``mirror`` (photos) or ``tilt``
(text-bearing kinds: small rotation); ``jpegNN`` (re-encoded at its original size at low JPEG
quality); ``chat`` (long side 1280, JPEG quality 70, only for sources larger than that).
The manifest size is always the size of the image the thumbnail was made from.

Writes ``images/real/<id>.(jpg|png)`` and ``images/manifest_real.jsonl`` (same fields as
``manifest.jsonl``). Deterministic: seeds come from the image names, and every source file is
checked against its sha256 before use. Needs only the standard library and Pillow.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import math
import pickle
import random
import re
from pathlib import Path

from make_images import save_thumbnail  # the one thumbnail convention of the training data (same folder)
from PIL import Image

HERE = Path(__file__).resolve().parent
OUT = HERE / "images"
TEXT_KINDS = {"document", "photo_text"}

SKI = "scikit-image 0.26.0 (PyPI wheel)"
SKL = "scikit-learn 1.9.1 (PyPI wheel)"
SCI = "scipy 1.9.3 (PyPI wheel)"
OCR = "ocrmypdf 17.13.0 (PyPI sdist)"
LOM = "lomiri-wallpapers-16.04 20.04.0-2 (Debian 12)"

_FETCH = "statement in skimage/data/_fetchers.py, {}()"
_LOM_CR = "usr/share/doc/lomiri-wallpapers-16.04/copyright"
_SKL_README = "sklearn/datasets/images/README.txt"


def _cc_by(version: str, who: str, where: str) -> str:
    return (
        f"CC-BY-{version}; attribution: {who} ({where}); "
        "changes: resized to a thumbnail (and the variant named in the id)"
    )


# name -> (kind, package, path inside --src, loader, licence)
SOURCES: dict[str, tuple[str, str, str, str, str]] = {
    # ---- scikit-image: per-image notes in skimage/data/_fetchers.py
    "astronaut": (
        "photo_text",
        SKI,
        "skimage/data/astronaut.png",
        "image",
        "public domain: 'No known copyright restrictions, released into the public domain.' "
        "(NASA photo of Eileen Collins; " + _FETCH.format("astronaut") + ")",
    ),
    "camera": (
        "photo",
        SKI,
        "skimage/data/camera.png",
        "image",
        "CC0: 'No copyright restrictions. CC0 by the photographer (Lav Varshney).' (" + _FETCH.format("camera") + ")",
    ),
    "chelsea": (
        "photo",
        SKI,
        "skimage/data/chelsea.png",
        "image",
        "CC0: 'No copyright restrictions.  CC0 by the photographer (Stefan van der Walt).' ("
        + _FETCH.format("chelsea")
        + ")",
    ),
    "coffee": (
        "photo",
        SKI,
        "skimage/data/coffee.png",
        "image",
        "CC0: 'No copyright restrictions.  CC0 by the photographer (Rachel Michetti).' ("
        + _FETCH.format("coffee")
        + ")",
    ),
    "coins": (
        "photo",
        SKI,
        "skimage/data/coins.png",
        "image",
        "no known copyright restrictions: Brooklyn Museum Collection, 'No known copyright restrictions.' ("
        + _FETCH.format("coins")
        + ")",
    ),
    "text": (
        "document",
        SKI,
        "skimage/data/text.png",
        "image",
        "public domain: from Wikipedia File:Corner.png, 'No known copyright restrictions, released into the public domain.' ("
        + _FETCH.format("text")
        + ")",
    ),
    "rocket": (
        "photo",
        SKI,
        "skimage/data/rocket.jpg",
        "image",
        "public domain: SpaceX launch photo 'released in the public domain' (" + _FETCH.format("rocket") + ")",
    ),
    "hubble": (
        "photo",
        SKI,
        "skimage/data/hubble_deep_field.jpg",
        "image",
        "public domain: NASA Hubble eXtreme Deep Field, 'may be freely used in the public domain' ("
        + _FETCH.format("hubble_deep_field")
        + ")",
    ),
    "retina": (
        "photo",
        SKI,
        "skimage/data/retina.jpg",
        "image",
        "CC0-1.0: Wikimedia Commons fundus photograph by Mikael Haggstrom, 'Creative Commons CC0 1.0 Universal "
        "Public Domain Dedication' (" + _FETCH.format("retina") + ")",
    ),
    "clock": (
        "photo",
        SKI,
        "skimage/data/clock_motion.png",
        "image",
        "public domain: 'Released into the public domain by the photographer (Stefan van der Walt).' ("
        + _FETCH.format("clock")
        + ")",
    ),
    "brick": (
        "photo",
        SKI,
        "skimage/data/brick.png",
        "image",
        "CC0: CC0Textures Bricks25, 'licensed under the Creative Commons CC0 License' (" + _FETCH.format("brick") + ")",
    ),
    "grass": (
        "photo",
        SKI,
        "skimage/data/grass.png",
        "image",
        "CC0: DeviantArt linolafett Grass-01, 'licensed under the Creative Commons CC0 License' ("
        + _FETCH.format("grass")
        + ")",
    ),
    "gravel": (
        "photo",
        SKI,
        "skimage/data/gravel.png",
        "image",
        "CC0: CC0Textures Gravel04, 'licensed under the Creative Commons CC0 License' ("
        + _FETCH.format("gravel")
        + ")",
    ),
    "ihc": (
        "photo",
        SKI,
        "skimage/data/ihc.png",
        "image",
        "no known copyright restrictions: CMMI micrograph, 'No known copyright restrictions.' ("
        + _FETCH.format("immunohistochemistry")
        + ")",
    ),
    "page": (
        "document",
        SKI,
        "skimage/data/page.png",
        "image",
        "BSD-3-Clause: scikit-image LICENSE.txt 'Files: * / Copyright: 2009-2022 the scikit-image team'; "
        "no per-image note (the page shows scikit-image's own tutorial text)",
    ),
    # ---- scikit-learn: sklearn/datasets/images/README.txt
    "china": (
        "photo",
        SKL,
        "sklearn/datasets/images/china.jpg",
        "image",
        _cc_by("2.0", "danielbuechele on Flickr, photo 6061409035", _SKL_README),
    ),
    "flower": (
        "photo",
        SKL,
        "sklearn/datasets/images/flower.jpg",
        "image",
        _cc_by("2.0", "vultilion on Flickr, photo 6056698931 (README credits 'danielbuechele')", _SKL_README),
    ),
    # ---- SciPy 1.9.3: docstrings of scipy.misc.face / scipy.misc.ascent (scipy/misc/_common.py)
    "raccoon": (
        "photo",
        SCI,
        "scipy/misc/face.dat",
        "face",
        "public domain: 'raccoon-procyon-lotor.jpg at http://www.public-domain-image.com' (scipy/misc/_common.py, face())",
    ),
    "ascent": (
        "photo",
        SCI,
        "scipy/misc/ascent.dat",
        "ascent",
        "public domain: 'derived from accent-to-the-top.jpg at http://www.public-domain-image.com/"
        "people-public-domain-images-pictures/' (scipy/misc/_common.py, ascent())",
    ),
    # ---- OCRmyPDF test resource: REUSE.toml 'SPDX-License-Identifier = "public-domain"'
    "huckfinn": (
        "document",
        OCR,
        "ocrmypdf-17.13.0/tests/resources/c03-29.pdf",
        "pdf_jpeg",
        "public domain: Project Gutenberg scan of Adventures of Huckleberry Finn p. 29 "
        '(ocrmypdf-17.13.0/REUSE.toml: SPDX-License-Identifier = "public-domain"; tests/resources/README.rst)',
    ),
    # ---- Debian lomiri-wallpapers-16.04: debian/copyright, per file
    "fig_bowl": (
        "photo",
        LOM,
        "usr/share/backgrounds/Picture_0B_by_freespace.jpg",
        "image",
        _cc_by("4.0", 'Trevor "Freespace", 2018, Picture_0B_by_freespace.jpg', _LOM_CR),
    ),
    "brushes": (
        "photo",
        LOM,
        "usr/share/backgrounds/Picture_1A_by_freespace.jpg",
        "image",
        _cc_by("4.0", 'Trevor "Freespace", 2018, Picture_1A_by_freespace.jpg', _LOM_CR),
    ),
    "wine": (
        "photo_text",
        LOM,
        "usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg",
        "image",
        _cc_by("4.0", "Jakub Mede, 2018, Wine_by_Jakkub_Mede.jpg", _LOM_CR),
    ),
    "aitzgorri": (
        "photo",
        LOM,
        "usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg",
        "image",
        _cc_by("4.0", "Aitzol Berasategi, 2018, aitzgorri_by_Aitzol_Berasategi.jpg", _LOM_CR),
    ),
    "dogs": (
        "photo",
        LOM,
        "usr/share/backgrounds/friends_by_Aitzol_Berasategi.jpg",
        "image",
        _cc_by("4.0", "Aitzol Berasategi, 2018, friends_by_Aitzol_Berasategi.jpg", _LOM_CR),
    ),
    "stream": (
        "photo",
        LOM,
        "usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg",
        "image",
        _cc_by("4.0", "Aitzol Berasategi, 2018, life_by_Aitzol_Berasategi.jpg", _LOM_CR),
    ),
    "picos": (
        "photo",
        LOM,
        "usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg",
        "image",
        _cc_by("4.0", "Aitzol Berasategi, 2018, picosdeeuropa_by_Aitzol_Berasategi.jpg", _LOM_CR),
    ),
    "sunset": (
        "photo",
        LOM,
        "usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg",
        "image",
        _cc_by("4.0", "Aitzol Berasategi, 2018, sunset_by_Aitzol_Berasategi.jpg", _LOM_CR),
    ),
    "dandelions": (
        "photo",
        LOM,
        "usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg",
        "image",
        "CC0-1.0: Clemens Engelhardt, 2018, seeding_by_Clements_Engelhardt.jpg (" + _LOM_CR + ")",
    ),
}

# sha256 of each source file as shipped in the pinned package versions
EXPECTED_SHA256 = {
    "astronaut": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "camera": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "chelsea": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "coins": "f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba",
    "text": "bd84aa3a6e3c9887850d45d606c96b2e59433fbef50338570b63c319e668e6d1",
    "rocket": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    "hubble": "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4",
    "retina": "38a07f36f27f095e818aea7b96d34202c05176d30253c66733f2e00379e9e0e6",
    "clock": "f029226b28b642e80113d86622e9b215ee067a0966feaf5e60604a1e05733955",
    "brick": "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
    "grass": "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
    "gravel": "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
    "ihc": "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef",
    "page": "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3",
    "china": "8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29",
    "flower": "a77f6ec41e353afdf8bdff2ea981b2955535d8d83294f8cfa49cf4e423dd5638",
    "raccoon": "9d8b0b4d081313e2b485748c770472e5a95ed1738146883d84c7030493e82886",
    "ascent": "e8a84939484463ab8051aedc5b40aa262ab33a91d6458a6cd13c6a1cad5a023d",
    "huckfinn": "c2ff83af7d028c95209cc7eebdf80fd5bb4cd292973ed6601e4bab7d1929f201",
    "fig_bowl": "c8c0ab18e48d9e0419fe42881112137f3afafc27dfddc29ec3a6d54c56d225ad",
    "brushes": "89e86af38d04daaef975665dc2127e9fa76f0fd68f4eea105a2d0ae3390b010b",
    "wine": "d2e96e6d4da40dd804b3d0ce295e94de04a2d7d9b6785d42cd9d92ba58bced74",
    "aitzgorri": "66268e7b48f8854d36a28765fac6e23ec1aee251daa6da1f64715f201020ad36",
    "dogs": "cc40e313c74e421edffe3403def413c16878ce14661cce7ec5915baeab35538d",
    "stream": "4c119350ead80201fe256850c3d316309ddfb4bdf10b235ce982dcde0c667c05",
    "picos": "414d0072b2f6f2c555deafeaef6e45c4fed6fa9ad26eba6560ca8803959cf97a",
    "sunset": "474dab6a4b9f94dc76c29dfe30e9f5db4af0fd2e33fe5d695f8152b371efca18",
    "dandelions": "a5634d1ab5e41a3568e92d4a894a500c92b891f9ff734e50bd224d6e185a605f",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _NoGlobals(pickle.Unpickler):
    """ascent.dat is a pickled list of lists of ints: refuse anything that imports code."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def load(loader: str, path: Path) -> Image.Image:
    if loader == "image":
        with Image.open(path) as im:
            im.load()
            return im.copy()
    if loader == "face":  # bz2 of raw 768x1024 RGB bytes
        return Image.frombytes("RGB", (1024, 768), bz2.decompress(path.read_bytes()))
    if loader == "ascent":  # 512x512 uint8 as nested lists
        with open(path, "rb") as fh:
            rows = _NoGlobals(fh).load()
        return Image.frombytes("L", (len(rows[0]), len(rows)), bytes(v for r in rows for v in r))
    if loader == "pdf_jpeg":  # the single DCTDecode page image of a scanned PDF
        data = path.read_bytes()
        m = re.search(rb"<<([^<>]*/Subtype\s*/Image[^<>]*)>>\s*stream\r?\n", data)
        length = re.search(rb"/Length (\d+)", m.group(1)) if m else None
        if not m or not length or b"/DCTDecode" not in m.group(1):
            raise ValueError(f"no JPEG page image found in {path}")
        jpeg = data[m.end() : m.end() + int(length.group(1))]
        with Image.open(io.BytesIO(jpeg)) as im:
            im.load()
            return im.copy()
    raise ValueError(loader)


def _jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        im.load()
        return im.copy()


def _centre_crop_to(img: Image.Image, ratio: float) -> Image.Image:
    """Largest centred crop with width / height == ratio."""
    w, h = img.size
    if w / h > ratio:
        nw = round(h * ratio)
        x = (w - nw) // 2
        return img.crop((x, 0, x + nw, h))
    nh = round(w / ratio)
    y = (h - nh) // 2
    return img.crop((0, y, w, y + nh))


def variants(name: str, kind: str, img: Image.Image) -> list[tuple[str, Image.Image]]:
    """(variant, full-size image) pairs for one source image; deterministic per name."""
    rng = random.Random(int(hashlib.sha256(name.encode()).hexdigest()[:16], 16))
    w, h = img.size
    out = [("orig", img)]
    if kind == "document":  # rescanned at 300 dpi: long side 3508 px (A4)
        s = 3508 / max(w, h)
        out.append(("300dpi", img.resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS)))
    else:  # the same scene from a 12 MP phone camera (4:3)
        size = (4032, 3024) if w >= h else (3024, 4032)
        out.append(("12mp", _centre_crop_to(img, size[0] / size[1]).resize(size, Image.Resampling.LANCZOS)))
    fw, fh = rng.uniform(0.45, 0.75), rng.uniform(0.45, 0.75)
    cw, ch = max(32, round(w * fw)), max(32, round(h * fh))
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    out.append(("crop", img.crop((x, y, x + cw, y + ch))))
    if kind in TEXT_KINDS:  # mirrored text would be unrealistic: a slightly tilted shot/scan instead
        ang = rng.choice([-1, 1]) * rng.uniform(1.5, 3.5)
        if kind == "document":
            t = img.rotate(ang, resample=Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
        else:
            sn = math.sin(math.radians(abs(ang)))
            mx, my = math.ceil(h * sn), math.ceil(w * sn)
            t = img.rotate(ang, resample=Image.Resampling.BICUBIC).crop((mx, my, w - mx, h - my))
        out.append(("tilt", t))
    else:
        out.append(("mirror", img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    q = rng.choice([15, 20, 25, 30, 35])
    out.append((f"jpeg{q}", _jpeg_roundtrip(img, q)))
    if max(w, h) > 1280:  # sent through a chat app
        s = 1280 / max(w, h)
        small = img.resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS)
        out.append(("chat", _jpeg_roundtrip(small, 70)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", required=True, help="folder the packages were unpacked into (see the module docstring)")
    ap.add_argument("--out", default=str(OUT), help="images folder (default: models/data/images)")
    args = ap.parse_args()
    src, out = Path(args.src), Path(args.out)
    real = out / "real"
    real.mkdir(parents=True, exist_ok=True)
    for old in sorted(real.glob("*")):
        if old.suffix in {".jpg", ".png"}:
            old.unlink()
    rows = []
    for name, (kind, package, rel, loader, licence) in SOURCES.items():
        path = src / rel
        if not path.is_file():
            raise SystemExit(f"missing {path}: fetch and unpack the packages as the docstring says")
        digest = sha256(path)
        if digest != EXPECTED_SHA256[name]:
            raise SystemExit(f"{path}: sha256 {digest} differs from the pinned file; wrong package version?")
        img = load(loader, path).convert("RGB")
        for var, full in variants(name, kind, img):
            iid = f"real_{name}_{var}"
            fname, (ow, oh) = save_thumbnail(full, out, f"real/{iid}", kind)
            rows.append(
                {
                    "id": iid,
                    "kind": kind,
                    "file": fname,
                    "original_width": ow,
                    "original_height": oh,
                    "source": f"{package}: {rel} (variant: {var})",
                    "licence": licence,
                }
            )
        print(f"{name:11s} {kind:10s} {img.size[0]}x{img.size[1]}", flush=True)
    with open(out / "manifest_real.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print("sources:", len(SOURCES), "thumbnails:", len(rows), dict(sorted(kinds.items())))


if __name__ == "__main__":
    main()
