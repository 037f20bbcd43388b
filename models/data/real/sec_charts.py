"""Charts drawn by matplotlib from data sets that PyPI packages ship, and Graphviz diagrams of real metadata.

Data: statsmodels' public-domain data sets, scikit-learn's bundled data sets, vega_datasets' local
files (public-domain US agency data and classic published tables). Diagrams: dependency graphs of
the Debian packages and Python distributions installed here, and class hierarchies of the Python
standard library. Chart types, styles, sizes and resolutions vary as they do in real chats.

Example::

    for item in charts():
        item.image.save("/tmp/x.png")
"""

from __future__ import annotations

import io
import re
import subprocess
import warnings
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from common import Item, deb_version, pypi_source, rng_for
from PIL import Image

warnings.filterwarnings("ignore")

STYLES = ("default", "default", "default", "ggplot", "seaborn-v0_8-whitegrid", "bmh", "fivethirtyeight",
          "seaborn-v0_8-darkgrid", "dark_background", "grayscale", "tableau-colorblind10", "classic")
SIZES = ((6.4, 4.8, 100), (8, 5, 120), (10, 6, 100), (12, 6.75, 120), (7, 7, 150), (9, 5, 150), (16, 9, 100),
         (5, 4, 200), (11, 8.5, 110), (6, 4, 160))

Data = tuple[pd.DataFrame, str, str, str]  # frame, source, licence, attribution


def _sm(name: str) -> Data:
    import statsmodels.api as sm

    mod = getattr(sm.datasets, name)
    df = mod.load_pandas().data
    return df, pypi_source("statsmodels", f"statsmodels/datasets/{name}"), "public-domain", (
        f"statsmodels data set '{name}' ({mod.TITLE.strip()}; {mod.SOURCE.strip().splitlines()[0].strip()})"
    )


def _skl(name: str) -> Data:
    from sklearn import datasets

    b = getattr(datasets, f"load_{name}")(as_frame=True)
    df = b.frame
    return df, pypi_source("scikit-learn", f"sklearn/datasets/data ({name})"), "BSD-3-Clause", (
        f"scikit-learn bundled data set '{name}' (UCI Machine Learning Repository origin)"
    )


def _vega(name: str, origin: str) -> Data:
    from vega_datasets import local_data

    df = getattr(local_data, name.replace("-", "_"))()
    return df, pypi_source("vega_datasets", f"vega_datasets/_data/{name}"), "BSD-3-Clause", (
        f"vega_datasets local data set '{name}' ({origin})"
    )


# ------------------------------------------------------------------ plotting recipes
def _line(ax: Any, df: pd.DataFrame, x: str | None, ys: list[str], rng: Any) -> str:
    xs = df.index if x is None else df[x]
    for y in ys:
        ax.plot(xs, df[y], label=y, lw=rng.choice((1, 1.5, 2)))
    if len(ys) > 1:
        ax.legend(loc=rng.choice(("best", "upper left", "lower right")), fontsize=rng.choice((7, 8, 10)))
    ax.set_xlabel(x or df.index.name or "index")
    ax.set_ylabel(ys[0] if len(ys) == 1 else "value")
    return "line"


def _bar(ax: Any, labels: list[str], values: list[float], rng: Any, horizontal: bool) -> str:
    if horizontal:
        ax.barh(labels, values, color=rng.choice(("C0", "C1", "C2", "steelblue", "darkorange")))
    else:
        ax.bar(labels, values, color=rng.choice(("C0", "C1", "C2", "steelblue", "seagreen")))
        rot = rng.choice((45, 90)) if len(labels) > 6 else rng.choice((0, 30))
        plt.setp(ax.get_xticklabels(), rotation=rot, ha="right" if rot else "center")
    if rng.random() < 0.4:
        for i, v in enumerate(values):
            if horizontal:
                ax.text(v, i, f" {v:,.0f}" if abs(v) >= 10 else f" {v:.2f}", va="center", fontsize=7)
            else:
                ax.text(i, v, f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2f}", ha="center", va="bottom", fontsize=7)
    return "horizontal bar" if horizontal else "bar"


def _scatter(ax: Any, df: pd.DataFrame, x: str, y: str, hue: str | None, rng: Any) -> str:
    if hue is not None:
        for key, sub in df.groupby(hue):
            ax.scatter(sub[x], sub[y], s=rng.choice((8, 15, 25)), alpha=0.75, label=str(key))
        ax.legend(title=hue, fontsize=8)
    else:
        ax.scatter(df[x], df[y], s=rng.choice((8, 15, 25)), alpha=0.7)
    if rng.random() < 0.4:
        m, b = np.polyfit(df[x].astype(float), df[y].astype(float), 1)
        xs = np.linspace(float(df[x].min()), float(df[x].max()), 50)
        ax.plot(xs, m * xs + b, "k--", lw=1, label="OLS fit")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return "scatter"


def _hist(ax: Any, df: pd.DataFrame, col: str, rng: Any) -> str:
    ax.hist(df[col].dropna(), bins=rng.choice((10, 20, 30, 50)), edgecolor="white")
    ax.set_xlabel(col)
    ax.set_ylabel("count")
    return "histogram"


def _box(ax: Any, df: pd.DataFrame, cols: list[str]) -> str:
    ax.boxplot([df[c].dropna() for c in cols], tick_labels=cols)
    plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
    return "box plot"


def _pie(ax: Any, labels: list[str], values: list[float], rng: Any) -> str:
    ax.pie(values, labels=labels, autopct="%1.0f%%" if rng.random() < 0.7 else None, startangle=90)
    ax.axis("equal")
    return "pie"


def _heat(fig: Any, ax: Any, df: pd.DataFrame, rng: Any) -> str:
    corr = df.select_dtypes("number").corr()
    im = ax.imshow(corr.values, cmap=rng.choice(("viridis", "coolwarm", "RdBu_r", "magma")), vmin=-1, vmax=1)
    ax.set_xticks(range(len(corr)), corr.columns, rotation=90, fontsize=7)
    ax.set_yticks(range(len(corr)), corr.columns, fontsize=7)
    if len(corr) <= 10:
        for i in range(len(corr)):
            for j in range(len(corr)):
                v = corr.values[i, j]
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6, color="w" if abs(v) > 0.6 else "k")
    fig.colorbar(im, ax=ax)
    return "correlation heatmap"


# ------------------------------------------------------------------ chart specs
ChartFn = Callable[[Any, Any, Any], str]  # (fig, ax, rng) -> chart type


def _specs() -> list[tuple[str, Data, list[ChartFn]]]:
    co2 = _sm("co2")
    macro = _sm("macrodata")
    sun = _sm("sunspots")
    nile = _sm("nile")
    eln = _sm("elnino")
    engel = _sm("engel")
    longley = _sm("longley")
    stack = _sm("stackloss")
    strikes = _sm("strikes")
    grun = _sm("grunfeld")
    crime = _sm("statecrime")
    iris = _skl("iris")
    wine = _skl("wine")
    diab = _skl("diabetes")
    bc = _skl("breast_cancer")
    sea = _vega("seattle-weather", "NOAA National Climatic Data Center, public domain")
    usemp = _vega("us-employment", "US Bureau of Labor Statistics, public domain")
    iowa = _vega("iowa-electricity", "US Energy Information Administration, public domain")
    barley = _vega("barley", "Immer et al. 1934 barley trials, as published by Cleveland 1993")
    crimea = _vega("crimea", "Florence Nightingale's 1858 data on army mortality, public domain")
    wheat = _vega("wheat", "William Playfair's 1821 wheat prices and wages, public domain")
    cars = _vega("cars", "StatLib car data set, 1983 ASA Data Exposition")
    sft = _vega("sf-temps", "NOAA hourly temperatures, public domain")

    co2d = co2[0].copy()
    co2d.index.name = "date"
    co2m = co2d.resample("MS").mean().interpolate()
    macro_q = macro[0].assign(t=lambda d: d["year"] + (d["quarter"] - 1) / 4)
    sea_m = sea[0].assign(month=lambda d: pd.to_datetime(d["date"]).dt.to_period("M").dt.to_timestamp())
    monthly = sea_m.groupby("month").agg(precipitation=("precipitation", "sum"), temp_max=("temp_max", "mean"),
                                         temp_min=("temp_min", "mean"), wind=("wind", "mean"))
    wcount = sea[0]["weather"].value_counts()
    ue = usemp[0].assign(month=lambda d: pd.to_datetime(d["month"]))
    iw = iowa[0].pivot_table(index="year", columns="source", values="net_generation")
    iw.index = pd.to_datetime(iw.index).year
    bar_site = barley[0].groupby("site")["yield"].mean().sort_values()
    bar_var = barley[0].groupby("variety")["yield"].mean().sort_values()
    cr = crimea[0].assign(date=lambda d: pd.to_datetime(d["date"]))
    crime_top = crime[0].sort_values("murder", ascending=False).head(15)
    car_origin = cars[0]["Origin"].value_counts()
    sfd = sft[0].assign(date=lambda d: pd.to_datetime(d["date"])).set_index("date")["temp"].resample("D").mean()
    grun_firm = grun[0].groupby("firm")["invest"].mean().sort_values()
    diab_df = diab[0]

    return [
        ("co2", (co2m, *co2[1:]), [
            lambda fig, ax, rng: _line(ax, co2m.loc["1990":] if rng.random() < 0.5 else co2m, None, ["co2"], rng),
            lambda fig, ax, rng: _line(ax, co2m.groupby(co2m.index.year).mean(), None, ["co2"], rng),
        ]),
        ("macrodata", macro, [
            lambda fig, ax, rng: _line(ax, macro_q, "t", ["infl", "unemp"], rng),
            lambda fig, ax, rng: _line(ax, macro_q, "t", ["realgdp"], rng),
            lambda fig, ax, rng: _scatter(ax, macro_q, "unemp", "infl", None, rng),
            lambda fig, ax, rng: _line(ax, macro_q, "t", ["tbilrate", "infl"], rng),
            lambda fig, ax, rng: _heat(fig, ax, macro_q.drop(columns=["year", "quarter", "t"]), rng),
        ]),
        ("sunspots", sun, [
            lambda fig, ax, rng: _line(ax, sun[0], "YEAR", ["SUNACTIVITY"], rng),
            lambda fig, ax, rng: _hist(ax, sun[0], "SUNACTIVITY", rng),
        ]),
        ("nile", nile, [lambda fig, ax, rng: _line(ax, nile[0], "year", ["volume"], rng)]),
        ("elnino", eln, [
            lambda fig, ax, rng: _line(ax, eln[0].set_index("YEAR").iloc[-12:].T.reset_index(drop=True), None,
                                       [c for c in eln[0].set_index("YEAR").iloc[-12:].T.columns][:4], rng),
            lambda fig, ax, rng: _box(ax, eln[0], ["JAN", "MAR", "MAY", "JUL", "SEP", "NOV"]),
        ]),
        ("engel", engel, [lambda fig, ax, rng: _scatter(ax, engel[0], "income", "foodexp", None, rng)]),
        ("longley", longley, [
            lambda fig, ax, rng: _line(ax, longley[0], "YEAR", ["TOTEMP"], rng),
            lambda fig, ax, rng: _heat(fig, ax, longley[0], rng),
        ]),
        ("stackloss", stack, [lambda fig, ax, rng: _scatter(ax, stack[0], "AIRFLOW", "STACKLOSS", None, rng)]),
        ("strikes", strikes, [lambda fig, ax, rng: _scatter(ax, strikes[0], "iprod", "duration", None, rng)]),
        ("grunfeld", grun, [
            lambda fig, ax, rng: _bar(ax, list(grun_firm.index), list(grun_firm.values), rng, True),
            lambda fig, ax, rng: _line(ax, grun[0].pivot_table(index="year", columns="firm", values="invest"),
                                       None, ["General Motors", "US Steel", "General Electric", "IBM"], rng),
        ]),
        ("statecrime", crime, [
            lambda fig, ax, rng: _bar(ax, list(crime_top.index),
                                      list(crime_top["murder"]), rng, rng.random() < 0.5),
            lambda fig, ax, rng: _scatter(ax, crime[0], "poverty", "violent", None, rng),
            lambda fig, ax, rng: _scatter(ax, crime[0], "urban", "murder", None, rng),
        ]),
        ("iris", iris, [
            lambda fig, ax, rng: _scatter(ax, iris[0], "sepal length (cm)", "petal length (cm)", "target", rng),
            lambda fig, ax, rng: _box(ax, iris[0], list(iris[0].columns[:4])),
        ]),
        ("wine", wine, [
            lambda fig, ax, rng: _scatter(ax, wine[0], "alcohol", "color_intensity", "target", rng),
            lambda fig, ax, rng: _heat(fig, ax, wine[0].drop(columns=["target"]).iloc[:, :10], rng),
        ]),
        ("diabetes", diab, [
            lambda fig, ax, rng: _scatter(ax, diab_df, "bmi", "target", None, rng),
            lambda fig, ax, rng: _hist(ax, diab_df, "target", rng),
        ]),
        ("breast_cancer", bc, [
            lambda fig, ax, rng: _hist(ax, bc[0], "mean radius", rng),
            lambda fig, ax, rng: _pie(ax, ["malignant", "benign"],
                                      list(bc[0]["target"].value_counts().sort_index().values), rng),
        ]),
        ("seattle-weather", sea, [
            lambda fig, ax, rng: _line(ax, monthly, None, ["temp_max", "temp_min"], rng),
            lambda fig, ax, rng: _bar(ax, [d.strftime("%b %Y") for d in monthly.index[-12:]],
                                      list(monthly["precipitation"].values[-12:]), rng, False),
            lambda fig, ax, rng: _pie(ax, list(wcount.index), list(wcount.values), rng),
            lambda fig, ax, rng: _hist(ax, sea[0], "wind", rng),
        ]),
        ("us-employment", usemp, [
            lambda fig, ax, rng: _line(ax, ue, "month", ["nonfarm_change"], rng),
            lambda fig, ax, rng: _line(ax, ue, "month", ["construction", "manufacturing", "education_and_health_services"],
                                       rng),
        ]),
        ("iowa-electricity", iowa, [
            lambda fig, ax, rng: _stack(ax, iw, rng),
            lambda fig, ax, rng: _line(ax, iw, None, list(iw.columns), rng),
        ]),
        ("barley", barley, [
            lambda fig, ax, rng: _bar(ax, list(bar_site.index), list(bar_site.values), rng, True),
            lambda fig, ax, rng: _bar(ax, list(bar_var.index), list(bar_var.values), rng, rng.random() < 0.5),
        ]),
        ("crimea", crimea, [lambda fig, ax, rng: _line(ax, cr, "date", ["disease", "wounds", "other"], rng)]),
        ("wheat", wheat, [lambda fig, ax, rng: _wheat(ax, wheat[0], rng)]),
        ("cars", cars, [
            lambda fig, ax, rng: _scatter(ax, cars[0].dropna(), "Horsepower", "Miles_per_Gallon", "Origin", rng),
            lambda fig, ax, rng: _pie(ax, list(car_origin.index), list(car_origin.values), rng),
            lambda fig, ax, rng: _box(ax, cars[0], ["Miles_per_Gallon", "Cylinders", "Acceleration"]),
        ]),
        ("sf-temps", sft, [lambda fig, ax, rng: _line(ax, sfd.to_frame(), None, ["temp"], rng)]),
    ]


def _stack(ax: Any, df: pd.DataFrame, rng: Any) -> str:
    ax.stackplot(df.index, *[df[c].fillna(0) for c in df.columns], labels=list(df.columns), alpha=0.85)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_xlabel("year")
    ax.set_ylabel("net generation (GWh)")
    return "stacked area"


def _wheat(ax: Any, df: pd.DataFrame, rng: Any) -> str:
    ax.bar(df["year"], df["wheat"], width=4, color="0.7", label="wheat price (shillings/quarter)")
    d = df.dropna(subset=["wages"])
    ax.plot(d["year"], d["wages"], color="firebrick", lw=2, label="weekly wages (shillings)")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_xlabel("year")
    return "bar and line"


def _titles(name: str, kind: str, rng: Any) -> tuple[str, str]:
    pretty = name.replace("-", " ").replace("_", " ")
    t = rng.choice((f"{pretty.title()}", f"{pretty} — {kind}", f"{pretty.capitalize()} data", ""))
    return t, pretty


def _render(fig: Any, dpi: int) -> Image.Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def charts() -> Iterator[Item]:
    specs = _specs()
    n = 0
    for rnd in range(3):  # each recipe up to three times, with another style / size each time
        for name, (_df, source, licence, attribution), fns in specs:
            for i, fn in enumerate(fns):
                rng = rng_for("chart", name, i, rnd)
                if rnd > 0 and rng.random() < (0.35 if rnd == 1 else 0.75):
                    continue
                style = rng.choice(STYLES)
                w, h, dpi = rng.choice(SIZES)
                with plt.style.context(style):
                    fig, ax = plt.subplots(figsize=(w, h), layout="constrained")
                    kind = fn(fig, ax, rng)
                    title, _ = _titles(name, kind, rng)
                    note = rng.random() < 0.25
                    if title:
                        ax.set_title(title, loc="left" if note else "center")
                    if note:  # a small source note above the plot, as report charts carry
                        ax.text(1.0, 1.01, f"data: {name} ({source.split()[0].split(':')[1]})", ha="right",
                                va="bottom", fontsize=7, alpha=0.8, transform=ax.transAxes)
                    img = _render(fig, dpi)
                n += 1
                yield Item(
                    kind="chart", image=img, source=source, licence=licence, attribution=attribution,
                    made=f"matplotlib {matplotlib.__version__} {kind} chart, style '{style}', {w}x{h} in at {dpi} dpi",
                )
                if n >= 100:
                    return


# ------------------------------------------------------------------ diagrams
def _dot(src: str, engine: str, dpi: int) -> Image.Image:
    png = subprocess.run([engine, "-Tpng", f"-Gdpi={dpi}"], input=src.encode(), capture_output=True,
                         check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def _deb_deps(pkg: str, depth: int) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    todo = [(pkg, 0)]
    while todo:
        p, d = todo.pop(0)
        if p in graph or d > depth:
            continue
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Depends}", p], capture_output=True, text=True).stdout
        deps = sorted({re.split(r"[ (:]", alt.strip())[0] for alt in re.split(r"[,|]", out) if alt.strip()})
        graph[p] = deps
        for q in deps:
            todo.append((q, d + 1))
    return graph


def _py_deps(dist: str, depth: int) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    todo = [(dist, 0)]
    while todo:
        p, d = todo.pop(0)
        if p in graph or d > depth:
            continue
        try:
            reqs = metadata.requires(p) or []
        except metadata.PackageNotFoundError:
            graph[p] = []
            continue
        deps = sorted({re.split(r"[ ;<>=!~\[(]", r)[0].lower() for r in reqs if "extra ==" not in r})
        graph[p] = deps
        todo += [(q, d + 1) for q in deps]
    return graph


def _classes(module: str, base: str) -> dict[str, list[str]]:
    import importlib

    mod = importlib.import_module(module)
    root = getattr(mod, base)
    graph: dict[str, list[str]] = {}

    def walk(c: type) -> None:
        subs = [s for s in c.__subclasses__() if s.__module__.split(".")[0] in {module.split(".")[0], "builtins"}]
        graph[c.__name__] = sorted(s.__name__ for s in subs)
        for s in subs:
            walk(s)

    walk(root)
    return graph


def _graph_dot(graph: dict[str, list[str]], rng: Any, title: str) -> str:
    rankdir = rng.choice(("TB", "LR", "TB"))
    shape = rng.choice(("box", "ellipse", "box", "note", "component"))
    style = rng.choice(('style="rounded,filled", fillcolor="#e8f0fe"', 'style=filled, fillcolor="#fff3c4"', "",
                        'style=filled, fillcolor="#dff0d8", color="#3c763d"'))
    font = rng.choice(("DejaVu Sans", "Liberation Sans", "DejaVu Sans Mono"))
    lines = [f'digraph G {{ rankdir={rankdir}; overlap=false; splines=true; labelloc=t; label="{title}"; fontname="{font}";',
             f'node [shape={shape}, fontname="{font}", {style}]; edge [color="#555555"];']
    for a, bs in graph.items():
        for b in bs:
            lines.append(f'"{a}" -> "{b}";')
        if not bs:
            lines.append(f'"{a}";')
    return "\n".join(lines) + "}"


def diagrams() -> Iterator[Item]:
    jobs: list[tuple[str, dict[str, list[str]], str, str, str]] = []
    for pkg, depth in (("python3-tk", 2), ("xterm", 2), ("graphviz", 1), ("poppler-utils", 2), ("xvfb", 2),
                       ("imagemagick", 1), ("mandoc", 3), ("python3.11", 2), ("x11-apps", 1), ("idle3", 3),
                       ("xdotool", 2), ("openbox", 1), ("tk8.6", 2), ("fonts-noto-cjk", 3), ("chromium", 1),
                       ("python3.11-doc", 3), ("libcurl4-doc", 3), ("tcl8.6", 3), ("python3-pip", 1), ("git", 1),
                       ("curl", 2)):
        g = _deb_deps(pkg, depth)
        if len(g) >= 5:
            jobs.append((f"{pkg} dependencies", g, f"debian:{pkg} {deb_version(pkg)} (dpkg Depends fields of it "
                         "and its installed dependencies)", "public-domain (facts: package metadata)", "Debian package metadata"))
    for dist, depth in (("matplotlib", 1), ("pandas", 2), ("scikit-learn", 2), ("statsmodels", 1),
                        ("scikit-image", 1), ("websocket-client", 1), ("vega_datasets", 2)):
        g = _py_deps(dist, depth)
        if len(g) >= 5:
            jobs.append((f"{dist} requirements", g, pypi_source(dist, "METADATA Requires-Dist (and of its "
                         "requirements)"), "public-domain (facts: package metadata)", "PyPI package metadata"))
    for module, base in (("builtins", "OSError"), ("builtins", "ArithmeticError"), ("builtins", "Warning"),
                         ("builtins", "LookupError"), ("collections.abc", "Iterable"), ("numbers", "Number"),
                         ("io", "IOBase"), ("builtins", "ValueError"), ("email.errors", "MessageError"),
                         ("json", "JSONDecodeError"), ("http.client", "HTTPException"), ("urllib.error", "URLError"),
                         ("concurrent.futures", "Executor"), ("asyncio", "AbstractEventLoop"), ("logging", "Handler"),
                         ("argparse", "Action"), ("urllib.request", "BaseHandler"), ("tkinter", "Misc"),
                         ("tkinter.ttk", "Widget"), ("socketserver", "BaseServer"), ("builtins", "RuntimeError"),
                         ("builtins", "ImportError"), ("builtins", "SyntaxError"), ("codecs", "Codec"),
                         ("email.headerregistry", "BaseHeader"), ("xml.sax.handler", "ContentHandler"),
                         ("collections.abc", "Container"), ("html.parser", "HTMLParser"),
                         ("unittest", "TestResult"), ("ssl", "SSLError")):
        g = _classes(module, base)
        if len(g) >= 5:
            jobs.append((f"{module}.{base} class hierarchy", g, f"debian:python3.11 {deb_version('python3.11')} "
                         f"(class hierarchy of {module}.{base} in the standard library)", "PSF-2.0",
                         "Python Software Foundation"))
    for i, (title, graph, source, licence, attribution) in enumerate(jobs):
        rng = rng_for("diagram", title)
        engine = "dot" if rng.random() < 0.7 or len(graph) > 30 else rng.choice(("neato", "fdp", "twopi", "circo"))
        src = _graph_dot(graph, rng, title if rng.random() < 0.6 else "")
        # Size like a pasted diagram: long side 900-2400 px whatever the graph's size.
        w72, h72 = _dot(src, engine, 72).size
        if engine == "dot" and max(w72, h72) > 2.5 * min(w72, h72):  # long flat fan-outs: stagger the leaves
            src = subprocess.run(["unflatten", "-f", "-l", "4", "-c", "5"], input=src.encode(), capture_output=True,
                                 check=True).stdout.decode()
            if w72 > 2.5 * h72 and "rankdir=TB" in src:
                src = src.replace("rankdir=TB", "rankdir=LR")
            w72, h72 = _dot(src, engine, 72).size
        long72 = max(w72, h72)
        dpi = max(55, min(200, round(72 * rng.randint(900, 2400) / long72)))
        img = _dot(src, engine, dpi)
        if max(img.size) > 4000:  # a huge graph image is not what anyone pastes into a chat
            scale = 4000 / max(img.size)
            img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
        yield Item(kind="diagram", image=img, source=source, licence=licence, attribution=attribution,
                   made=f"Graphviz {engine} -Tpng at {dpi} dpi from the graph of {title} ({i})")
