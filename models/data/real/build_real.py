"""Build the real training images of ``models/data/real/`` section by section, with their manifest.

Every image is made here from files that Debian or PyPI packages ship (HTML manuals, source code,
data sets, photographs) or from public GitHub repositories whose owner starts with a–m, by real tools:
headless Chromium (pages printed to PDF and rasterised by ``pdftoppm``, browser screenshots), real
program windows under Xvfb, matplotlib and Graphviz. Ids are stable: each section owns a fixed id
range (``SECTIONS``), so rebuilding one section never renumbers another. The stored files are the ground
truth; a rebuild needs the same package versions (recorded in every manifest ``source``) to be
byte-identical. See README.md beside this file for the commands.

Example::

    python models/data/real/build_real.py docs web   # rebuild two sections, rewrite their manifest rows
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import IMAGES, Item, read_manifest, save_item, write_manifest

Builder = Callable[[], Iterator[Item]]


# name -> (first id number, last id number, "module:function"); ranges never overlap and never move.
SECTIONS: dict[str, tuple[int, int, str]] = {
    "docs": (1, 138, "sec_docs:docs"),
    "web": (139, 248, "sec_docs:web"),
    "gallery": (249, 266, "sec_docs:gallery"),
    "charts": (267, 366, "sec_charts:charts"),
    "diagrams": (367, 406, "sec_charts:diagrams"),
    "tables": (407, 456, "sec_screens:tables"),
    "code": (457, 506, "sec_screens:code"),
    "terminal": (507, 556, "sec_screens:terminal"),
    "photos": (557, 646, "sec_photos:photos"),
    "paper": (647, 726, "sec_paper:paper"),
}


def _builder(spec: str) -> Builder:
    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def build(name: str) -> int:
    first, last, spec = SECTIONS[name]
    builder = _builder(spec)
    rows = read_manifest()
    rows = {k: v for k, v in rows.items() if not first <= int(k[1:]) <= last}
    for old in IMAGES.glob("r*.*"):
        if first <= int(old.stem[1:]) <= last:
            old.unlink()
    n = first
    for item in builder():
        if n > last:
            raise RuntimeError(f"section {name} made more than its {last - first + 1} ids")
        image_id = f"r{n:04d}"
        rows[image_id] = save_item(item, image_id)
        n += 1
        write_manifest(rows)  # after each image, so a long section can be looked at while it runs
    print(f"{name}: r{first:04d}..r{n - 1:04d} ({n - first} images)")
    return n - first


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sections", nargs="+", help="section names, or 'all'")
    args = p.parse_args()
    names = list(SECTIONS) if args.sections == ["all"] else args.sections
    for name in names:
        build(name)


if __name__ == "__main__":
    main()
