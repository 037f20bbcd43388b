"""Photographs from packages and a–m GitHub repositories that state a permissive licence per image.

Several framings of one photograph (the full frame at a phone or chat size, a detail crop at native
resolution, another aspect ratio, a chat-compressed copy) are separate images that share the manifest
``group`` (the source photo), so a train/test split by group keeps a photo on one side.

Sources (unpacked under ``--src``, default /tmp/realsrc; see README.md beside this file):
scikit-image, scikit-learn and matplotlib (installed), SciPy 1.9.3 wheel (``face.dat``, ``ascent.dat``),
Debian ``lomiri-wallpapers-16.04`` (only its CC-BY-4.0 and CC0 files), and public-domain photographs
and paintings in github:mbartelsman-rug/pfvc_halftone.

Example::

    for item in photos():
        print(item.group, item.image.size)
"""

from __future__ import annotations

import bz2
import hashlib
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from common import Item, pypi_source, rng_for
from PIL import Image, ImageOps

SRC = Path(os.environ.get("REAL_SRC", "/tmp/realsrc"))
LOM_DIR = "x_lomiri-wallpapers-16.04_20.04.0-2_all/usr/share/backgrounds"
LOM_CR = "usr/share/doc/lomiri-wallpapers-16.04/copyright"
PFVC = "mbartelsman-rug/pfvc_halftone@57e8f16778d2edc9eea795af11e3844dd83da3f0"
PFVC_LIC = "docs/img/license.md"


@dataclass(frozen=True)
class Photo:
    name: str
    kind: str
    where: str  # "skimage:<file>", "sklearn:<file>", "mpl:<file>", "scipy:<file>", "lomiri:<file>", "pfvc:<file>"
    licence: str
    attribution: str


_SKI = "statement in skimage/data/_fetchers.py"
PHOTOS = (
    Photo("camera", "photo", "skimage:camera.png", "CC0-1.0", f"Lav Varshney ({_SKI}, camera())"),
    Photo("chelsea", "photo", "skimage:chelsea.png", "CC0-1.0", f"Stefan van der Walt ({_SKI}, chelsea())"),
    Photo("coffee", "photo", "skimage:coffee.png", "CC0-1.0", f"Rachel Michetti ({_SKI}, coffee())"),
    Photo("coins", "photo", "skimage:coins.png", "public-domain",
          f"Brooklyn Museum Collection, no known copyright restrictions ({_SKI}, coins())"),
    Photo("rocket", "photo", "skimage:rocket.jpg", "public-domain", f"SpaceX launch photo ({_SKI}, rocket())"),
    Photo("astronaut", "photo", "skimage:astronaut.png", "public-domain",
          f"NASA photo of Eileen Collins ({_SKI}, astronaut())"),
    Photo("hubble", "photo", "skimage:hubble_deep_field.jpg", "public-domain",
          f"NASA Hubble eXtreme Deep Field ({_SKI}, hubble_deep_field())"),
    Photo("retina", "photo", "skimage:retina.jpg", "CC0-1.0", f"Mikael Häggström, Wikimedia Commons ({_SKI}, retina())"),
    Photo("clock", "photo", "skimage:clock_motion.png", "public-domain", f"Stefan van der Walt ({_SKI}, clock())"),
    Photo("brick", "photo", "skimage:brick.png", "CC0-1.0", f"CC0Textures Bricks25 ({_SKI}, brick())"),
    Photo("gravel", "photo", "skimage:gravel.png", "CC0-1.0", f"CC0Textures Gravel04 ({_SKI}, gravel())"),
    Photo("ihc", "photo", "skimage:ihc.png", "public-domain",
          f"CMMI immunohistochemistry micrograph, no known copyright restrictions ({_SKI}, immunohistochemistry())"),
    Photo("cell", "photo", "skimage:cell.png", "CC0-1.0", f"Paul Müller et al. ({_SKI}, cell())"),
    Photo("china", "photo", "sklearn:china.jpg", "CC-BY-2.0",
          "danielbuechele on Flickr (sklearn/datasets/images/README.txt)"),
    Photo("flower", "photo", "sklearn:flower.jpg", "CC-BY-2.0",
          "vultilion on Flickr (sklearn/datasets/images/README.txt)"),
    Photo("grace_hopper", "photo", "mpl:grace_hopper.jpg", "public-domain",
          "U.S. Navy official photograph of Grace Hopper (work of the U.S. federal government)"),
    Photo("raccoon", "photo", "scipy:face.dat", "public-domain",
          "raccoon-procyon-lotor.jpg from public-domain-image.com (scipy/misc/_common.py, face())"),
    Photo("ascent", "photo", "scipy:ascent.dat", "public-domain",
          "accent-to-the-top.jpg from public-domain-image.com (scipy/misc/_common.py, ascent())"),
    Photo("fig_bowl", "photo", "lomiri:Picture_0B_by_freespace.jpg", "CC-BY-4.0", f'Trevor "Freespace", 2018 ({LOM_CR})'),
    Photo("brushes", "photo", "lomiri:Picture_1A_by_freespace.jpg", "CC-BY-4.0", f'Trevor "Freespace", 2018 ({LOM_CR})'),
    Photo("wine", "photo", "lomiri:Wine_by_Jakkub_Mede.jpg", "CC-BY-4.0", f"Jakub Mede, 2018 ({LOM_CR})"),
    Photo("aitzgorri", "photo", "lomiri:aitzgorri_by_Aitzol_Berasategi.jpg", "CC-BY-4.0",
          f"Aitzol Berasategi, 2018 ({LOM_CR})"),
    Photo("dogs", "photo", "lomiri:friends_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", f"Aitzol Berasategi, 2018 ({LOM_CR})"),
    Photo("stream", "photo", "lomiri:life_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", f"Aitzol Berasategi, 2018 ({LOM_CR})"),
    Photo("picos", "photo", "lomiri:picosdeeuropa_by_Aitzol_Berasategi.jpg", "CC-BY-4.0",
          f"Aitzol Berasategi, 2018 ({LOM_CR})"),
    Photo("sunset", "photo", "lomiri:sunset_by_Aitzol_Berasategi.jpg", "CC-BY-4.0", f"Aitzol Berasategi, 2018 ({LOM_CR})"),
    Photo("dandelions", "photo", "lomiri:seeding_by_Clements_Engelhardt.jpg", "CC0-1.0",
          f"Clemens Engelhardt, 2018 ({LOM_CR})"),
    Photo("umang", "photo", "lomiri:umang_by_Abhishek_Mudgal.jpg", "CC-BY-4.0", f"Abhishek Mudgal, 2018 ({LOM_CR})"),
    Photo("bedouin", "photo", "pfvc:bedouin.jpg", "public-domain",
          f"American Colony photographers, 'Bedouin woman in Jerusalem', no restrictions ({PFVC_LIC})"),
    Photo("espinasse", "photo", "pfvc:espinasse.jpg", "public-domain",
          f"Fonds Trutat, 'Espinasse père' ({PFVC_LIC})"),
    Photo("renoir", "photo", "pfvc:renoir.jpg", "public-domain", f"Dornac, portrait of Auguste Renoir ({PFVC_LIC})"),
    Photo("botanic", "photo", "pfvc:botanic.jpg", "public-domain",
          f"Sydenham Edwards, James Ridgway, The Botanical Register plate 70 ({PFVC_LIC})"),
    Photo("calanque", "photo", "pfvc:calanque.jpg", "public-domain",
          f"Paul Signac, 'La calanque' (photograph of the painting) ({PFVC_LIC})"),
)


def _load(p: Photo) -> tuple[Image.Image, str]:
    where, name = p.where.split(":", 1)
    if where == "skimage":
        import skimage

        path = Path(skimage.__file__).parent / "data" / name
        return Image.open(path), pypi_source("scikit-image", f"skimage/data/{name}")
    if where == "sklearn":
        import sklearn

        path = Path(sklearn.__file__).parent / "datasets" / "images" / name
        return Image.open(path), pypi_source("scikit-learn", f"sklearn/datasets/images/{name}")
    if where == "mpl":
        import matplotlib

        path = Path(matplotlib.__file__).parent / "mpl-data" / "sample_data" / name
        return Image.open(path), pypi_source("matplotlib", f"matplotlib/mpl-data/sample_data/{name}")
    if where == "scipy":
        raw = bz2.decompress((SRC / "scipy" / "misc" / name).read_bytes()) if name == "face.dat" else None
        if raw is not None:
            arr = np.frombuffer(raw, dtype="uint8").reshape((768, 1024, 3))
        else:
            with open(SRC / "scipy" / "misc" / name, "rb") as f:
                arr = np.array(pickle.load(f), dtype="uint8")  # SciPy's own data file, sha256 pinned below
        _check(SRC / "scipy" / "misc" / name)
        return Image.fromarray(arr), f"pypi:scipy 1.9.3 scipy/misc/{name}"
    if where == "lomiri":
        path = SRC / LOM_DIR / name
        return Image.open(path), f"debian:lomiri-wallpapers-16.04 20.04.0-2 /usr/share/backgrounds/{name}"
    if where == "pfvc":
        path = SRC / "pfvc" / name
        return Image.open(path), f"github:{PFVC}:docs/img/_originals/{name}"
    raise ValueError(p.where)


SCIPY_SHA256 = {
    "face.dat": "9d8b0b4d081313e2b485748c770472e5a95ed1738146883d84c7030493e82886",
    "ascent.dat": "e8a84939484463ab8051aedc5b40aa262ab33a91d6458a6cd13c6a1cad5a023d",
}


def _check(path: Path) -> None:
    want = SCIPY_SHA256.get(path.name)
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if want and got != want:
        raise RuntimeError(f"{path}: sha256 {got} is not the pinned {want}")


def _resize(img: Image.Image, long_side: int) -> Image.Image:
    s = long_side / max(img.size)
    if s >= 1:
        return img
    return img.resize((round(img.width * s), round(img.height * s)), Image.Resampling.LANCZOS)


def _framings(img: Image.Image, name: str) -> list[tuple[Image.Image, str, int]]:
    """(image, how it was framed, JPEG quality) for each framing of one photograph."""
    rng = rng_for("photo", name)
    w, h = img.size
    out: list[tuple[Image.Image, str, int]] = []
    long_side = max(w, h)
    if long_side <= 1100:
        out.append((img, "as shipped", 90))
    else:
        target = rng.choice([t for t in (1280, 1600, 2048, 3024, 4032) if t <= long_side] or [long_side])
        out.append((_resize(img, target), f"full frame, long side {min(target, long_side)} px", 85))
    # a detail at native resolution: what someone cropping before sending would get
    if long_side >= 800:
        fw, fh = rng.uniform(0.35, 0.7), rng.uniform(0.35, 0.7)
        cw, ch = int(w * fw), int(h * fh)
        x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
        crop = img.crop((x0, y0, x0 + cw, y0 + ch))
        if max(crop.size) > 2400:
            crop = _resize(crop, 2400)
        out.append((crop, f"detail crop box ({x0}, {y0}, {x0 + cw}, {y0 + ch}) of the original", 85))
    if long_side >= 1400:
        # another aspect ratio (portrait phone / square post), then a phone-ish size
        aspect = rng.choice((3 / 4, 1.0, 9 / 16, 4 / 3))
        cw = min(w, int(h * aspect))
        ch = min(h, int(cw / aspect))
        x0 = (w - cw) // 2 + rng.randint(-(w - cw) // 3, (w - cw) // 3) if w > cw else 0
        y0 = (h - ch) // 2
        crop = _resize(img.crop((x0, y0, x0 + cw, y0 + ch)), rng.choice((1080, 1440, 1920)))
        out.append((crop, f"{aspect:.2f} aspect crop at x={x0}, resized to long side {max(crop.size)}", 85))
    if long_side >= 2000:
        out.append((_resize(img, 1280), "chat-app copy: long side 1280, JPEG quality 70", 70))
    return out


def photos() -> Iterator[Item]:
    for p in PHOTOS:
        img, source = _load(p)
        img = ImageOps.exif_transpose(img)
        img = img.convert("RGB") if img.mode not in {"L", "RGB"} else img
        for framed, how, quality in _framings(img, p.name):
            yield Item(kind=p.kind, image=framed, source=source, licence=p.licence, attribution=p.attribution,
                       made=how, group=f"photo:{p.name}", jpeg=True, quality=quality)

