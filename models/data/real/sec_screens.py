"""Tables rendered from real data, source-code views of real files, and real program windows under Xvfb.

* tables: rows of the packaged data sets (statsmodels public-domain sets, scikit-learn and vega_datasets)
  shown as HTML tables in headless Chromium, in the looks of reports, dashboards and spreadsheets.
* code: real source files (Python standard library, Tk's Tcl library, permissively licensed PyPI
  packages) highlighted by Pygments in a code-viewer page, as a browser shows a repository file.
* terminal: xterm and IDLE windows (an X server of their own, Xvfb, with the openbox window manager)
  running real commands on this machine, and Tk's own dialogs, captured by ImageMagick ``import``.

Example::

    for item in terminal():
        print(item.made)
"""

from __future__ import annotations

import html
import io
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from chrome import Chrome
from common import Item, deb_source, deb_version, pypi_source, rng_for
from PIL import Image

# ------------------------------------------------------------------ tables
TABLE_CSS = {
    "report": """body{font-family:'Liberation Serif',serif;margin:24px;background:#fff}
      caption{font-weight:bold;text-align:left;margin-bottom:8px;font-size:15px}
      table{border-collapse:collapse;font-size:13px} th{border-top:2px solid #000;border-bottom:1px solid #000;
      padding:4px 10px;text-align:right} td{padding:3px 10px;text-align:right}
      tr:last-child td{border-bottom:2px solid #000}""",
    "striped": """body{font-family:'DejaVu Sans',sans-serif;margin:20px;background:#f6f7f9}
      caption{text-align:left;font-size:18px;margin:0 0 10px;color:#222}
      table{border-collapse:collapse;background:#fff;font-size:13px;box-shadow:0 1px 3px #0003}
      th{background:#2f5597;color:#fff;padding:7px 12px;text-align:left} td{padding:6px 12px;border-bottom:1px solid #e3e6ea}
      tr:nth-child(even) td{background:#f2f5fb}""",
    "sheet": """body{font-family:'Liberation Sans',Arial,sans-serif;margin:0;background:#fff}
      caption{display:none} table{border-collapse:collapse;font-size:12px}
      th,td{border:1px solid #d0d0d0;padding:2px 6px;height:18px;white-space:nowrap}
      th{background:#f3f3f3;font-weight:normal;color:#333;text-align:center}
      td{text-align:right} td.rn{background:#f3f3f3;text-align:center;color:#555;min-width:28px}
      tr.hdr td{font-weight:bold;text-align:center;background:#fff}""",
    "dark": """body{font-family:'DejaVu Sans',sans-serif;margin:18px;background:#1e1f24;color:#d6d6d6}
      caption{text-align:left;color:#fff;font-size:16px;margin-bottom:8px}
      table{border-collapse:collapse;font-size:13px} th{color:#9ecbff;border-bottom:1px solid #555;padding:6px 12px;
      text-align:left} td{padding:5px 12px;border-bottom:1px solid #33353b}""",
    "compact": """body{font-family:'DejaVu Sans Mono',monospace;margin:12px;background:#fff}
      caption{text-align:left;font-family:'DejaVu Sans',sans-serif;margin-bottom:6px}
      table{border-collapse:collapse;font-size:11px} th,td{border:1px solid #999;padding:1px 5px}
      th{background:#ddd}""",
}


def _table_data() -> list[tuple[str, pd.DataFrame, str, str, str]]:
    import statsmodels.api as sm
    from sklearn import datasets
    from vega_datasets import local_data

    out: list[tuple[str, pd.DataFrame, str, str, str]] = []
    for name in ("longley", "statecrime", "grunfeld", "macrodata", "stackloss", "engel", "elnino", "co2", "nile",
                 "sunspots", "strikes"):
        mod = getattr(sm.datasets, name)
        df = mod.load_pandas().data
        if name == "statecrime":
            df = df.reset_index().rename(columns={"index": "state"})
        if name == "co2":
            df = df.dropna().reset_index().rename(columns={"index": "week"})
            df["week"] = df["week"].dt.date
        out.append((f"{mod.TITLE.strip()}", df, pypi_source("statsmodels", f"statsmodels/datasets/{name}"),
                    "public-domain", f"statsmodels data set '{name}'"))
    for name in ("iris", "wine", "diabetes", "linnerud"):
        df = getattr(datasets, f"load_{name}")(as_frame=True).frame
        out.append((f"{name} data set", df, pypi_source("scikit-learn", f"sklearn/datasets/data ({name})"),
                    "BSD-3-Clause", f"scikit-learn bundled data set '{name}'"))
    for name, origin in (("seattle-weather", "NOAA, public domain"), ("us-employment", "US BLS, public domain"),
                         ("barley", "Immer et al. 1934"), ("cars", "StatLib, 1983 ASA Data Exposition"),
                         ("iowa-electricity", "US EIA, public domain"), ("crimea", "F. Nightingale 1858"),
                         ("wheat", "W. Playfair 1821")):
        df = getattr(local_data, name.replace("-", "_"))()
        for c in df.columns:
            if str(df[c].dtype).startswith("datetime"):
                df[c] = df[c].dt.date
        out.append((name.replace("-", " "), df, pypi_source("vega_datasets", f"vega_datasets/_data/{name}"),
                    "BSD-3-Clause", f"vega_datasets local data set '{name}' ({origin})"))
    return out


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e9:
        return str(int(v)) if 1000 <= v <= 2100 else f"{int(v):,}"  # years stay years
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1e6 else f"{v:,.0f}"
    return html.escape(str(v))


def _table_html(title: str, df: pd.DataFrame, style: str) -> str:
    cols = [str(c) for c in df.columns]
    if style == "sheet":
        letters = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(len(cols))]
        head = "<tr><th></th>" + "".join(f"<th>{x}</th>" for x in letters) + "</tr>"
        rows = ['<tr class="hdr"><td class="rn">1</td>' + "".join(f"<td>{html.escape(c)}</td>" for c in cols)
                + "</tr>"]
        for i, r in enumerate(df.itertuples(index=False), start=2):
            rows.append(f'<tr><td class="rn">{i}</td>' + "".join(f"<td>{_fmt(v)}</td>" for v in r) + "</tr>")
    else:
        head = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr>"
        rows = ["<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in r) + "</tr>" for r in df.itertuples(index=False)]
    return (f"<!doctype html><meta charset=utf-8><style>{TABLE_CSS[style]}</style><body><table>"
            f"<caption>{html.escape(title)}</caption><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


def _capture_element(ch: Chrome, page: str, width: int, pad: int, max_h: int) -> Image.Image:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(page)
    try:
        ch.open(Path(f.name).as_uri(), width, 800)
        w = int(ch.js("Math.ceil(document.querySelector('table').getBoundingClientRect().right)"))
        h = int(ch.js("Math.ceil(document.querySelector('table').getBoundingClientRect().bottom)"))
        ch.open(Path(f.name).as_uri(), min(max(w + pad, 360), 2400), min(h + pad, max_h))
        return Image.open(io.BytesIO(ch.capture())).convert("RGB")
    finally:
        os.unlink(f.name)


def tables() -> Iterator[Item]:
    data = _table_data()
    n = 0
    with Chrome() as ch:
        for rnd in range(3):
            for title, df, source, licence, attribution in data:
                rng = rng_for("table", title, rnd)
                if rnd == 2 and rng.random() < 0.5:
                    continue
                style = rng.choice(tuple(TABLE_CSS))
                ncols = min(len(df.columns), rng.choice((4, 6, 8, 10, 14)))
                start_col = 0 if rng.random() < 0.7 else rng.randint(0, len(df.columns) - ncols)
                nrows = min(len(df), rng.choice((8, 12, 20, 30, 45)))
                start = 0 if rng.random() < 0.5 else rng.randint(0, len(df) - nrows)
                sub = df.iloc[start:start + nrows, start_col:start_col + ncols]
                img = _capture_element(ch, _table_html(title, sub, style), rng.choice((900, 1280, 1600)),
                                       rng.choice((0, 20, 40, 80)) if style != "sheet" else 0, 1800)
                n += 1
                yield Item(kind="table", image=img, source=source, licence=licence, attribution=attribution,
                           made=(f"rows {start}-{start + nrows - 1}, columns {start_col}-{start_col + ncols - 1} as an "
                                 f"HTML table ('{style}' style), headless Chromium screenshot"))
                if n >= 50:
                    return


# ------------------------------------------------------------------ code views
def _code_files() -> list[tuple[Path, str, str, str]]:
    """(file, source, licence, attribution) of real source files, chosen deterministically."""
    import pygments
    import sklearn
    import statsmodels
    import websocket

    std = Path("/usr/lib/python3.11")
    files: list[tuple[Path, str, str, str]] = []
    stdlib = sorted(p for p in std.glob("*.py") if 8_000 < p.stat().st_size < 200_000)
    rng_for("stdlib-files").shuffle(stdlib)
    files += [(p, deb_source("libpython3.11-stdlib", p), "PSF-2.0", "Python Software Foundation") for p in stdlib[:14]]
    tcl = sorted(Path("/usr/share/tcltk/tk8.6").glob("*.tcl"))
    rng_for("tk-files").shuffle(tcl)
    files += [(p, deb_source("tk8.6", p), "TCL", "The Regents of the University of California; Sun; ActiveState")
              for p in tcl[:5]]
    for mod, dist, lic, who, k in ((pygments, "Pygments", "BSD-2-Clause", "Georg Brandl and Pygments contributors", 5),
                                   (sklearn, "scikit-learn", "BSD-3-Clause", "scikit-learn developers", 7),
                                   (statsmodels, "statsmodels", "BSD-3-Clause", "statsmodels developers", 5),
                                   (websocket, "websocket-client", "Apache-2.0", "liris and contributors", 3)):
        root = Path(mod.__file__ or "").parent
        cand = sorted(p for p in root.rglob("*.py") if 6_000 < p.stat().st_size < 120_000 and "tests" not in p.parts)
        rng_for("pkg-files", dist).shuffle(cand)
        files += [(p, pypi_source(dist, str(p.relative_to(root.parent))), lic, who) for p in cand[:k]]
    js = sorted(Path("/usr/share/javascript/sphinxdoc/1.0").glob("*.js"))
    files += [(p, deb_source("libjs-sphinxdoc", p), "BSD-2-Clause", "the Sphinx team") for p in js[:3]]
    return files


CODE_STYLES = ("monokai", "github-dark", "default", "friendly", "solarized-light", "dracula", "one-dark", "vs",
               "nord", "gruvbox-dark", "xcode", "material")


def _code_page(path: Path, text: str, first: int, nlines: int, style: str, font_px: int, title: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_for_filename

    lines = text.splitlines()[first - 1:first - 1 + nlines]
    fmt = HtmlFormatter(style=style, linenos="table", linenostart=first, cssclass="hl")
    body = highlight("\n".join(lines), get_lexer_for_filename(path.name), fmt)
    bg = fmt.style.background_color or "#ffffff"
    dark = sum(int(bg.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) < 3 * 128 if len(bg) == 7 else False
    bar = "#2b2d31" if dark else "#f0f2f5"
    fg = "#ddd" if dark else "#333"
    return f"""<!doctype html><meta charset=utf-8><style>
      body{{margin:0;background:{bg};font-family:'DejaVu Sans',sans-serif}}
      .top{{background:{bar};color:{fg};padding:8px 16px;font-size:13px;border-bottom:1px solid #8884}}
      .top b{{font-weight:600}} .hl pre{{font-family:'DejaVu Sans Mono',monospace;font-size:{font_px}px;
      line-height:1.45;margin:0}} .hl{{padding:6px 0}} td.linenos{{color:#888;padding:0 12px 0 10px;
      user-select:none;text-align:right}} td.linenos pre{{color:#8889}}
      {fmt.get_style_defs('.hl')}</style>
      <div class=top><b>{html.escape(title)}</b> &nbsp;·&nbsp; {len(text.splitlines())} lines</div>{body}"""


def code() -> Iterator[Item]:
    files = _code_files()
    n = 0
    with Chrome() as ch:
        for rnd in range(2):
            for path, source, licence, attribution in files:
                rng = rng_for("code", path, rnd)
                if rnd == 1 and rng.random() < 0.6:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                total = len(text.splitlines())
                w, h = rng.choice(((1280, 800), (1440, 900), (1920, 1080), (1366, 768), (1280, 1024), (1600, 900)))
                font_px = rng.choice((12, 13, 14, 14, 15, 16))
                nlines = h // int(font_px * 1.45) + 2
                first = rng.randint(1, max(1, total - nlines))
                style = rng.choice(CODE_STYLES)
                page = _code_page(path, text, first, nlines, style, font_px, str(path).split("site-packages/")[-1])
                with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
                    f.write(page)
                try:
                    ch.open(Path(f.name).as_uri(), w, h)
                    img = Image.open(io.BytesIO(ch.capture())).convert("RGB")
                finally:
                    os.unlink(f.name)
                n += 1
                yield Item(kind="code_screenshot", image=img, source=source, licence=licence, attribution=attribution,
                           made=(f"lines {first}-{first + nlines - 1} highlighted by Pygments (style '{style}', "
                                 f"{font_px}px) in a code-viewer page, headless Chromium screenshot {w}x{h}"))
                if n >= 50:
                    return


# ------------------------------------------------------------------ real windows under Xvfb
DISPLAY = ":57"


class XSession:
    """Xvfb + openbox on a display of our own; windows are captured with ImageMagick ``import``."""

    def __init__(self, width: int = 1920, height: int = 1200) -> None:
        self.env = {**os.environ, "DISPLAY": DISPLAY}
        self.xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        self.wm = subprocess.Popen(["openbox"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)

    def window_of(self, proc: subprocess.Popen[bytes], name: str | None = None, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            args = ["xdotool", "search", "--onlyvisible"] + (["--name", name] if name else ["--pid", str(proc.pid)])
            out = subprocess.run(args, env=self.env, capture_output=True, text=True).stdout.split()
            if out:
                return out[-1]
            time.sleep(0.3)
        raise TimeoutError("window did not appear")

    def capture(self, win: str, frame: bool) -> Image.Image:
        args = ["import", "-window", win] + (["-frame"] if frame else []) + ["png:-"]
        png = subprocess.run(args, env=self.env, capture_output=True, check=True).stdout
        return Image.open(io.BytesIO(png)).convert("RGB")

    def close(self) -> None:
        for p in (self.wm, self.xvfb):
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


XTERM_LOOKS = (("white", "black"), ("black", "#d0d0d0"), ("#300a24", "white"), ("#1e1e1e", "#e5e5e5"),
               ("#fdf6e3", "#586e75"), ("#002b36", "#93a1a1"), ("black", "#33ff66"))

# (command shown in the terminal, kind, source, licence, attribution): outputs of real programs on this machine.
PY = "/usr/bin/python3"


def _terminal_jobs() -> list[tuple[str, str, str, str, str]]:
    py = f"debian:python3.11 {deb_version('python3.11')} (output of the interpreter)"
    std = "PSF-2.0"
    psf = "Python Software Foundation"
    stdlib = sorted(p for p in Path("/usr/lib/python3.11").glob("*.py") if 10_000 < p.stat().st_size < 80_000)
    rng_for("term-files").shuffle(stdlib)
    jobs = [
        (f"{PY} -c \"import json; json.loads('{{\\\"a\\\": 1,}}')\"", "ui_screenshot", py, std, psf),
        (f"{PY} -c \"import csv, io; next(csv.reader(io.StringIO('a,\\\"b'), strict=True))\"", "ui_screenshot",
         py, std, psf),
        (f"{PY} -c \"import urllib.request as u; u.urlopen('http://127.0.0.1:9/')\"", "ui_screenshot", py, std, psf),
        (f"{PY} -c 'import this'", "ui_screenshot", py, std, psf),
        (f"{PY} -m pydoc json | head -70", "ui_screenshot", py, std, psf),
        (f"{PY} -m pydoc pathlib.Path.glob", "ui_screenshot", py, std, psf),
        (f"{PY} -m calendar 2026", "ui_screenshot", py, std, psf),
        (f"{PY} -m calendar -L de_DE.UTF-8 2026 3 || {PY} -m calendar 2027 3", "ui_screenshot", py, std, psf),
        (f"{PY} -X importtime -c 'import email.message' 2>&1 | head -60", "ui_screenshot", py, std, psf),
        (f"{PY} -m timeit -n 2000 'sorted(range(1000), key=lambda x: -x)'", "ui_screenshot", py, std, psf),
        (f"{PY} -m dis /usr/lib/python3.11/colorsys.py | head -80", "code_screenshot", py, std, psf),
        (f"{PY} -m tokenize /usr/lib/python3.11/bisect.py | head -70", "code_screenshot", py, std, psf),
        (f"{PY} -m ast /usr/lib/python3.11/keyword.py | head -70", "code_screenshot", py, std, psf),
        ("apt-cache show python3.11-doc | head -40", "ui_screenshot",
         f"debian:python3.11-doc {deb_version('python3.11-doc')} (package record)", "public-domain (facts: package metadata)",
         "Debian package metadata"),
        ("apt-cache depends --no-recommends chromium | head -60", "ui_screenshot",
         f"debian:chromium {deb_version('chromium')} (package record)", "public-domain (facts: package metadata)",
         "Debian package metadata"),
        ("dpkg -L python-flask-doc | head -60", "ui_screenshot",
         f"debian:python-flask-doc {deb_version('python-flask-doc')} (file list)", "public-domain (facts: package metadata)",
         "Debian package metadata"),
        ("ls -la --color=always /usr/share/doc/python-sklearn-doc/html | head -60", "ui_screenshot",
         f"debian:python-sklearn-doc {deb_version('python-sklearn-doc')} (directory listing)",
         "public-domain (facts: file listing)", "Debian package contents"),
        ("ls -l --color=always /usr/share/tcltk/tk8.6/", "ui_screenshot",
         f"debian:tk8.6 {deb_version('tk8.6')} (directory listing)", "public-domain (facts: file listing)",
         "Debian package contents"),
        ("pdfinfo /usr/share/doc/python-statsmodels-doc/html/_downloads/*/*.pdf 2>/dev/null | head -30; "
         "dot -V; pdftoppm -v", "ui_screenshot", f"debian:poppler-utils {deb_version('poppler-utils')} (tool output)",
         "public-domain (facts: version output)", "poppler and Graphviz version banners"),
        ("xterm -help 2>&1 | head -70", "ui_screenshot", f"debian:xterm {deb_version('xterm')} (help output)", "MIT",
         "Thomas E. Dickey"),
        ("curl --help all | head -70", "ui_screenshot", f"debian:curl {deb_version('curl')} (help output)", "curl",
         "Daniel Stenberg and curl contributors"),
        ("identify /usr/share/doc/python-pil-doc/html/_images/* 2>/dev/null | head -40", "ui_screenshot",
         f"debian:python-pil-doc {deb_version('python-pil-doc')} (ImageMagick identify output)", "HPND",
         "Pillow contributors"),
        ("xdpyinfo | head -60", "ui_screenshot", f"debian:x11-utils {deb_version('x11-utils')} (tool output)",
         "MIT", "X Consortium"),
    ]
    for p in stdlib[:8]:
        style = rng_for("ps", p).choice(("monokai", "native", "default"))
        jobs.append((f"{sys.executable} -m pygments -f terminal256 -O style={style} {p} | head -80", "code_screenshot", deb_source("libpython3.11-stdlib", p), std, psf))
    for p in stdlib[8:12]:
        jobs.append((f"nl -ba {p} | sed -n '{rng_for('nl', p).randint(1, 200)},+70p'", "code_screenshot",
                     deb_source("libpython3.11-stdlib", p), std, psf))
    return jobs


def terminal() -> Iterator[Item]:
    x = XSession()
    try:
        yield from _xterms(x)
        yield from _idle(x)
        yield from _tk_dialogs(x)
    finally:
        x.close()


def _xterms(x: XSession) -> Iterator[Item]:
    for cmd, kind, source, licence, attribution in _terminal_jobs():
        rng = rng_for("xterm", cmd)
        bg, fg = rng.choice(XTERM_LOOKS)
        cols, rows = rng.choice(((80, 24), (100, 30), (120, 40), (132, 43), (90, 50), (160, 48)))
        fs = rng.choice((10, 11, 12, 13, 14))
        frame = rng.random() < 0.6
        shown = f"printf '\\033[1;32m$\\033[0m %s\\n' {shlex.quote(cmd)}; {cmd}; printf '\\033[1;32m$\\033[0m '"
        proc = subprocess.Popen(
            ["xterm", "-geometry", f"{cols}x{rows}+40+40", "-fa", "DejaVu Sans Mono", "-fs", str(fs), "-bg", bg,
             "-fg", fg, "-T", "Terminal", "-xrm", "XTerm*scrollBar: false", "-e", "bash", "-c",
             f"cd /usr/share/doc; export PYTHONDONTWRITEBYTECODE=1 TERM=xterm-256color; {shown}; sleep 60"],
            env=x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            win = x.window_of(proc)
            time.sleep(2.5)
            img = x.capture(win, frame)
        finally:
            proc.kill()
            proc.wait()
        yield Item(kind=kind, image=img, source=source, licence=licence, attribution=attribution,
                   made=(f"xterm {deb_version('xterm')} {cols}x{rows} (DejaVu Sans Mono {fs}, {bg}/{fg}) under Xvfb "
                         f"with openbox{', window frame included' if frame else ''}, running: {cmd}"))


def _idle(x: XSession) -> Iterator[Item]:
    stdlib = sorted(p for p in Path("/usr/lib/python3.11").glob("*.py") if 10_000 < p.stat().st_size < 100_000)
    rng_for("idle-files").shuffle(stdlib)
    for p in stdlib[:6]:
        rng = rng_for("idle", p)
        proc = subprocess.Popen(["idle", str(p)], env=x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            win = x.window_of(proc, name=p.name)
            w, h = rng.choice(((1100, 800), (1280, 900), (900, 1000), (1400, 850)))
            subprocess.run(["xdotool", "windowsize", win, str(w), str(h)], env=x.env, check=False)
            pages = rng.choice((0, 0, 1, 2, 3, 5))
            subprocess.run(["xdotool", "windowactivate", "--sync", win], env=x.env, check=False)
            time.sleep(0.8)
            for _ in range(pages):
                subprocess.run(["xdotool", "key", "--window", win, "Next"], env=x.env, check=False)
                time.sleep(0.2)
            time.sleep(1.5)
            img = x.capture(x.window_of(proc, name=p.name), True)
        finally:
            proc.kill()
            proc.wait()
        yield Item(kind="code_screenshot", image=img, source=deb_source("libpython3.11-stdlib", p), licence="PSF-2.0",
                   attribution="Python Software Foundation",
                   made=f"IDLE {deb_version('idle-python3.11')} editor window opened on the file ({pages} x Page Down) under "
                        "Xvfb with openbox, window frame included")


TK_DIALOGS = (  # (script, what, window title)
    ("tk_getOpenFile -initialdir /usr/share/doc/python3.11/html/library -title {Open File}", "open-file dialog",
     "Open File"),
    ("tk_getSaveFile -initialdir /usr/share/doc/python-pandas-doc/html -initialfile report.csv -title {Save As}",
     "save-file dialog", "Save As"),
    ("tk_chooseDirectory -initialdir /usr/share/doc -title {Choose a folder}", "choose-directory dialog",
     "Choose a folder"),
    ("tk_chooseColor -initialcolor #4a7ebb -title {Pick a colour}", "colour chooser", "Pick a colour"),
    ("tk_messageBox -icon warning -type yesnocancel -title {Unsaved changes} -message {Save changes to "
     "\"report.csv\" before closing?} -detail {Your changes will be lost if you don't save them.}", "message box",
     "Unsaved changes"),
    ("tk_messageBox -icon error -type ok -title {Error} -message {Could not open \"/usr/share/doc/missing.pdf\"} "
     "-detail {No such file or directory}", "error box", "Error"),
    ("tk_getOpenFile -initialdir /usr/share/doc/python-sklearn-doc/html/_images -title {Select image} "
     "-filetypes {{{PNG images} {.png}} {{All files} *}}", "open-file dialog with file types", "Select image"),
    ("tk fontchooser configure -title {Font}; tk fontchooser show; vwait forever", "font chooser", "Font"),
)


def _tk_dialogs(x: XSession) -> Iterator[Item]:
    for script, what, title in TK_DIALOGS:
        with tempfile.NamedTemporaryFile("w", suffix=".tcl", delete=False) as f:
            f.write(f"wm withdraw .\n{script}\nexit\n")
        proc = subprocess.Popen(["wish", f.name], env=x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            win = x.window_of(proc, name=title)
            time.sleep(1.2)
            img = x.capture(win, True)
        finally:
            proc.kill()
            proc.wait()
            os.unlink(f.name)
        yield Item(kind="ui_screenshot", image=img, source=f"debian:tk8.6 {deb_version('tk8.6')} ({what}: {script[:60]})",
                   licence="TCL", attribution="The Regents of the University of California; Sun; ActiveState",
                   made=f"Tk {what} shown by wish under Xvfb with openbox, captured with ImageMagick import")
