"""Documents (pages printed from real manuals) and browser screenshots of real manual pages.

Sources: HTML manuals shipped by Debian packages (Python, Django, Flask, pandas, scikit-learn,
requests, SQLAlchemy, Pillow, statsmodels, PostgreSQL, SQLite, Go) and manual pages of permissively
licensed programs (rendered by ``mandoc -Tpdf``). Only the pages' own words are shown.

Example::

    for item in docs():
        print(item.kind, item.source)
"""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chrome import Chrome
from common import Item, deb_source, rng_for
from PIL import Image


@dataclass(frozen=True)
class DocSet:
    pkg: str
    root: str
    licence: str
    attribution: str
    docs: int  # pages printed as documents
    shots: int  # browser screenshots


DOCSETS = (
    DocSet("python3.11-doc", "/usr/share/doc/python3.11/html", "PSF-2.0", "Python Software Foundation", 16, 14),
    DocSet("python-django-doc", "/usr/share/doc/python-django-doc/html", "BSD-3-Clause",
           "Django Software Foundation and individual contributors", 12, 10),
    DocSet("python-flask-doc", "/usr/share/doc/python-flask-doc/html", "BSD-3-Clause", "Pallets", 6, 6),
    DocSet("python-pandas-doc", "/usr/share/doc/python-pandas-doc/html", "BSD-3-Clause",
           "pandas development team", 12, 12),
    DocSet("python-sklearn-doc", "/usr/share/doc/python-sklearn-doc/html", "BSD-3-Clause",
           "scikit-learn developers", 10, 14),
    DocSet("python-requests-doc", "/usr/share/doc/python-requests-doc/html", "Apache-2.0",
           "Kenneth Reitz and requests contributors", 5, 5),
    DocSet("python-sqlalchemy-doc", "/usr/share/doc/python-sqlalchemy-doc/html", "MIT",
           "the SQLAlchemy authors and contributors", 9, 9),
    DocSet("python-pil-doc", "/usr/share/doc/python-pil-doc/html", "HPND",
           "Jeffrey A. Clark and Pillow contributors; Secret Labs AB; Fredrik Lundh", 7, 7),
    DocSet("python-statsmodels-doc", "/usr/share/doc/python-statsmodels-doc/html", "BSD-3-Clause",
           "statsmodels developers", 10, 12),
    DocSet("postgresql-doc-15", "/usr/share/doc/postgresql-doc-15/html", "PostgreSQL",
           "The PostgreSQL Global Development Group", 12, 10),
    DocSet("sqlite3-doc", "/usr/share/doc/sqlite3", "public-domain", "D. Richard Hipp and the SQLite developers",
           12, 9),
    DocSet("golang-1.19-doc", "/usr/share/doc/golang-1.19-doc/html", "BSD-3-Clause", "The Go Authors", 2, 2),
)

# man pages: (path, package, licence, attribution)
MANPAGES = (
    ("/usr/share/man/man1/xterm.1.gz", "xterm", "MIT", "Thomas E. Dickey; The XFree86 Project; X Consortium"),
    ("/usr/share/man/man1/Xvfb.1.gz", "xvfb", "MIT", "X Consortium"),
    ("/usr/share/man/man1/xdotool.1.gz", "xdotool", "BSD-3-Clause", "Jordan Sissel"),
    ("/usr/share/man/man1/chromium.1.gz", "chromium", "BSD-3-Clause", "The Chromium Authors"),
    ("/usr/share/man/man1/mandoc.1.gz", "mandoc", "ISC", "Kristaps Dzonsons, Ingo Schwarze"),
    ("/usr/share/man/man1/xwd.1.gz", "x11-apps", "MIT", "X Consortium"),
    ("/usr/share/man/man1/xwininfo.1.gz", "x11-utils", "MIT", "X Consortium"),
    ("/usr/share/man/man1/xprop.1.gz", "x11-utils", "MIT", "X Consortium"),
    ("/usr/share/man/man1/python3.11.1.gz", "python3.11", "PSF-2.0", "Python Software Foundation"),
    ("/usr/share/man/man1/wish8.6.1.gz", "tk8.6", "TCL", "The Regents of the University of California; Sun"),
    ("/usr/share/man/man1/tclsh8.6.1.gz", "tcl8.6", "TCL", "The Regents of the University of California; Sun"),
)
CURL_MAN3 = ("libcurl4-doc", "curl", "Daniel Stenberg and curl contributors")
N_CURL_PAGES = 14

# Hide site navigation before printing, as a reader-mode print does: a printed manual page, not a web page.
PRINT_CLEAN_CSS = """
.sphinxsidebar, .related, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .bd-footer,
.bd-header-article, nav, header.navbar, footer, .footer, .navheader, .navfooter, .headerlinks,
#sidebar, .sidebar, .wy-nav-side, .rst-versions, .sk-landing-header, .document-nav, #docs-sidebar,
#docs-top-navigation-container, #docs-bottom-navigation, .prev-next-area, .sd-d-none, .toc-drawer,
.sidebar-drawer, .mobile-header, .skip-to-content, .menu { display: none !important; }
.bodywrapper, .documentwrapper, .document, .body, .bd-main, .bd-content, .bd-article-container,
main, .main { margin: 0 !important; max-width: none !important; width: auto !important; }
"""


@functools.cache
def _pages(root: str) -> tuple[Path, ...]:
    skip = ("genindex", "search", "py-modindex", "_modules", "_sources", "_static", "objects", "index.html",
            "whatsnew", "changelog", "release", "bugs", "copyright", "license")
    pages = [
        p for p in sorted(Path(root).rglob("*.html"))
        if p.stat().st_size > 15_000 and not any(s in str(p.relative_to(root)) for s in skip)
    ]
    return tuple(pages)


def _pick(ds: DocSet, n: int, purpose: str) -> list[Path]:
    pages = list(_pages(ds.root))
    rng = rng_for(ds.pkg, purpose)
    rng.shuffle(pages)
    return pages[:n]


def _pdf_pages(pdf: bytes, dpi: int, first: int, last: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last), "-png", str(src),
                        str(Path(tmp) / "p")], check=True, capture_output=True)
        outs = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        return [Image.open(io.BytesIO(p.read_bytes())).convert("RGB") for p in outs]


def _n_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _is_blankish(img: Image.Image) -> bool:
    """A page with almost nothing on it (the tail of a printout) is not worth keeping."""
    g = img.convert("L").resize((120, 170))
    dark = sum(1 for v in g.getdata() if v < 200)
    return dark < 0.01 * 120 * 170


PAPERS = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}


def docs() -> Iterator[Item]:
    with Chrome() as ch:
        for ds in DOCSETS:
            for page in _pick(ds, ds.docs, "docs"):
                rng = rng_for("doc", page)
                paper = "Letter" if rng.random() < 0.25 else "A4"
                dpi = rng.choice((150, 150, 150, 150, 120, 200))
                clean = rng.random() < 0.8
                ch.open(page.as_uri(), 1200, 900)
                if clean:
                    ch.js(f"(() => {{ const s = document.createElement('style'); s.textContent = {PRINT_CLEAN_CSS!r};"
                          " document.head.appendChild(s); }})()")
                pdf = ch.print_current(PAPERS[paper], margin=rng.choice((0.5, 0.6, 0.8)))
                n = _n_pages(pdf)
                pno = 1 if n == 1 or rng.random() < 0.45 else rng.randint(2, min(n, 6))
                img = _pdf_pages(pdf, dpi, pno, pno)[0]
                if _is_blankish(img):
                    pno = 1
                    img = _pdf_pages(pdf, dpi, 1, 1)[0]
                yield Item(
                    kind="document", image=img, source=deb_source(ds.pkg, page), licence=ds.licence,
                    attribution=ds.attribution,
                    made=(f"headless Chromium print to PDF ({paper}, {'navigation hidden' if clean else 'as styled'}), "
                          f"page {pno} of {n} rasterised by pdftoppm at {dpi} dpi"),
                )
    yield from _man_pages()


def _man_pages() -> Iterator[Item]:
    curl = sorted(Path("/usr/share/man/man3").glob("curl_*.3.gz")) + sorted(
        Path("/usr/share/man/man3").glob("CURLOPT_*.3.gz"))
    rng_for("curlpages").shuffle(curl)
    jobs = [(p, pkg, lic, who) for p, pkg, lic, who in MANPAGES] + [
        (str(p), CURL_MAN3[0], CURL_MAN3[1], CURL_MAN3[2]) for p in curl[:N_CURL_PAGES]
    ]
    for path, pkg, lic, who in jobs:
        rng = rng_for("man", path)
        paper = rng.choice(("a4", "a4", "letter"))
        pdf = subprocess.run(["mandoc", "-Tpdf", "-O", f"paper={paper}", path], capture_output=True,
                             check=True).stdout
        n = _n_pages(pdf)
        pno = 1 if n == 1 or rng.random() < 0.5 else rng.randint(2, min(n, 5))
        dpi = rng.choice((150, 150, 150, 110, 200))
        img = _pdf_pages(pdf, dpi, pno, pno)[0]
        yield Item(
            kind="document", image=img, source=deb_source(pkg, path), licence=lic, attribution=who,
            made=f"mandoc -Tpdf -O paper={paper}, page {pno} of {n} rasterised by pdftoppm at {dpi} dpi",
        )


VIEWPORTS = ((1280, 800), (1366, 768), (1440, 900), (1536, 864), (1920, 1080), (1280, 720), (1600, 900),
             (1920, 1200), (1280, 1024))
# Pages that mix figures with text and code (example galleries): kind "mixed".
MIXED_DIRS = ("auto_examples", "examples/notebooks", "user_guide/visualization", "gallery")


def web() -> Iterator[Item]:
    with Chrome() as ch:
        for ds in DOCSETS:
            for page in _pick(ds, ds.shots, "web"):
                rng = rng_for("web", page)
                w, h = rng.choice(VIEWPORTS)
                ch.open(page.as_uri(), w, h)
                total = int(ch.js("document.documentElement.scrollHeight") or h)
                scroll = 0 if rng.random() < 0.4 or total <= h else rng.randint(0, max(0, total - h))
                if scroll:
                    ch.js(f"window.scrollTo(0, {scroll})")
                img = Image.open(io.BytesIO(ch.capture())).convert("RGB")
                rel = str(page)
                kind = "mixed" if any(d in rel for d in MIXED_DIRS) and ch.js(_FIG_IN_VIEW) else "ui_screenshot"
                yield Item(
                    kind=kind, image=img, source=deb_source(ds.pkg, page), licence=ds.licence,
                    attribution=ds.attribution,
                    made=f"headless Chromium screenshot, viewport {w}x{h}, scrolled to y={scroll}",
                )


def gallery() -> Iterator[Item]:
    """Example-gallery pages scrolled to a figure: real pages that mix plots, code and prose."""
    with Chrome() as ch:
        for ds in DOCSETS:
            if ds.pkg not in {"python-sklearn-doc", "python-statsmodels-doc", "python-pandas-doc"}:
                continue
            gal = [p for p in _pages(ds.root) if any(d in str(p) for d in MIXED_DIRS)]
            rng_for("gallery", ds.pkg).shuffle(gal)
            for page in gal[:6]:
                rng = rng_for("mixed", page)
                w, h = rng.choice(VIEWPORTS)
                ch.open(page.as_uri(), w, h)
                y = ch.js(_FIRST_FIG_Y)
                if y is None:
                    continue
                ch.js(f"window.scrollTo(0, {max(0, int(y) - rng.randint(60, h // 2))})")
                scroll = int(ch.js("window.scrollY") or 0)
                img = Image.open(io.BytesIO(ch.capture())).convert("RGB")
                yield Item(
                    kind="mixed", image=img, source=deb_source(ds.pkg, page), licence=ds.licence,
                    attribution=ds.attribution,
                    made=f"headless Chromium screenshot, viewport {w}x{h}, scrolled to y={scroll} (a figure in view)",
                )


_FIG_IN_VIEW = """(() => [...document.images].some(i => { const r = i.getBoundingClientRect();
  return i.naturalWidth > 200 && r.bottom > 0 && r.top < innerHeight; }))()"""
_FIRST_FIG_Y = """(() => { const i = [...document.images].find(i => i.naturalWidth > 300 && i.naturalHeight > 200);
  return i ? i.getBoundingClientRect().top + scrollY : null; })()"""
