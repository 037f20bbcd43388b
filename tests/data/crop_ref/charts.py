"""Charts of real data sets for the crop reference set (used by ``build.py``; needs matplotlib,
vega_datasets and scikit-learn). Each maker saves its PNG and returns ``(question, kind, box)`` triples,
boxes taken from matplotlib's own extents of the artist the question is about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

Q = tuple[str, str, list[int]]
DPI = 100


def _box(fig: Any, *artists: Any) -> list[int]:
    """Union of the artists' extents in image pixels (matplotlib's y axis points up)."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    h = fig.get_size_inches()[1] * DPI
    exts = [a.get_tightbbox(r) if hasattr(a, "get_tightbbox") else a.get_window_extent(r) for a in artists]
    x0 = min(e.x0 for e in exts)
    x1 = max(e.x1 for e in exts)
    y0 = min(e.y0 for e in exts)
    y1 = max(e.y1 for e in exts)
    return [max(0, int(x0)), max(0, int(h - y1)), int(x1 + 0.999), int(h - y0 + 0.999)]


def _axis(fig: Any, axis: Any) -> list[int]:
    """An axis with its tick labels and label."""
    return _box(fig, axis)


def _save(fig: Any, out: Path) -> None:
    fig.savefig(out, dpi=DPI)  # no bbox_inches: boxes stay in the figure's pixels
    plt.close(fig)


def stocks(out: Path) -> list[Q]:
    from vega_datasets import data

    df = data.stocks()
    fig, ax = plt.subplots(figsize=(12.8, 7.2))
    for sym, g in df.groupby("symbol"):
        ax.plot(g["date"], g["price"], label=sym, lw=1.4)
    ax.set_title("Monthly closing price, 2000-2010")
    ax.set_ylabel("Price (USD)")
    ax.set_xlabel("Date")
    leg = ax.legend(loc="upper left", title="Symbol")
    qs = [
        ("Which companies are in the legend?", "legend", _box(fig, leg)),
        ("What is the unit on the y-axis?", "axis", _axis(fig, ax.yaxis)),
        ("What is the chart's title?", "title", _box(fig, ax.title)),
    ]
    _save(fig, out)
    return qs


def seattle_weather(out: Path) -> list[Q]:
    import pandas as pd
    from vega_datasets import data

    df = data.seattle_weather()
    df["month"] = pd.to_datetime(df["date"]).dt.month
    counts = df.groupby(["month", "weather"]).size().unstack(fill_value=0)
    fig, ax = plt.subplots(figsize=(10, 6))
    bottom = None
    for col in counts.columns:
        ax.bar(counts.index, counts[col], bottom=bottom, label=col)
        bottom = counts[col] if bottom is None else bottom + counts[col]
    ax.set_xticks(range(1, 13), ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                 "Dec"])
    ax.set_title("Seattle weather by month, 2012-2015")
    ax.set_ylabel("Days")
    leg = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="Weather")
    fig.subplots_adjust(right=0.82)
    qs = [
        ("What weather types does the legend show?", "legend", _box(fig, leg)),
        ("Which months are on the x-axis?", "axis", _axis(fig, ax.xaxis)),
    ]
    _save(fig, out)
    return qs


def iris(out: Path) -> list[Q]:
    from sklearn.datasets import load_iris

    d = load_iris()
    fig, ax = plt.subplots(figsize=(8, 6))
    for k, name in enumerate(d.target_names):
        m = d.target == k
        ax.scatter(d.data[m, 2], d.data[m, 3], label=name, s=18)
    ax.set_xlabel("petal length (cm)")
    ax.set_ylabel("petal width (cm)")
    ax.set_title("Iris petals (Fisher, 1936)")
    leg = ax.legend(loc="lower right")
    qs = [
        ("Which species does the legend list?", "legend", _box(fig, leg)),
        ("What is measured on the x axis?", "axis", _axis(fig, ax.xaxis)),
    ]
    _save(fig, out)
    return qs


def us_employment(out: Path) -> list[Q]:
    import pandas as pd
    from vega_datasets import data

    df = data.us_employment()
    df["month"] = pd.to_datetime(df["month"])
    cols = [("construction", "Construction"), ("manufacturing", "Manufacturing"),
            ("retail_trade", "Retail trade"), ("government", "Government")]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    for ax, (col, title) in zip(axes.flat, cols, strict=True):
        ax.plot(df["month"], df[col], lw=1.2)
        ax.set_title(title)
        ax.set_ylabel("thousand jobs")
        ax.tick_params(axis="x", labelrotation=30)
    fig.suptitle("US employment by sector, 2006-2015 (BLS)")
    fig.tight_layout()
    qs = [
        ("How did construction employment change?", "panel", _box(fig, axes[0, 0])),
        ("What does the government panel show?", "panel", _box(fig, axes[1, 1])),
        ("What's the overall title of the figure?", "title", _box(fig, fig._suptitle)),
    ]
    _save(fig, out)
    return qs


def iowa_electricity(out: Path) -> list[Q]:
    from vega_datasets import data

    df = data.iowa_electricity()
    wide = df.pivot(index="year", columns="source", values="net_generation")
    fig, ax = plt.subplots(figsize=(11, 6))
    ax.stackplot(wide.index, *[wide[c] for c in wide.columns], labels=list(wide.columns))
    ax.set_title("Iowa net electricity generation by source")
    ax.set_ylabel("Net generation (GWh)")
    leg = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.subplots_adjust(right=0.78)
    qs = [
        ("What are the energy sources in the legend?", "legend", _box(fig, leg)),
        ("What does the y axis measure?", "axis", _axis(fig, ax.yaxis)),
    ]
    _save(fig, out)
    return qs


def cars(out: Path) -> list[Q]:
    from vega_datasets import data

    df = data.cars()
    mean = df.groupby("Origin")["Miles_per_Gallon"].mean().sort_values()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bars = ax.barh(mean.index, mean.values, color="#4c78a8")
    labels = ax.bar_label(bars, fmt="%.1f", padding=3)
    ax.set_xlabel("Mean miles per gallon")
    ax.set_title("Fuel economy by origin (cars data set)")
    fig.tight_layout()
    i = list(mean.index).index("Japan")
    qs = [
        ("What is the bar value for Japan?", "mark", _box(fig, bars[i], ax.get_yticklabels()[i], labels[i])),
        ("What's plotted on the horizontal axis?", "axis", _axis(fig, ax.xaxis)),
    ]
    _save(fig, out)
    return qs


CHARTS: dict[str, tuple[Callable[[Path], list[Q]], str]] = {
    "chart_stocks": (stocks, "Line chart drawn with matplotlib from the `stocks` data set shipped in the "
                             "vega_datasets PyPI package (BSD-3-Clause)."),
    "chart_seattle_weather": (seattle_weather, "Stacked bars drawn with matplotlib from `seattle-weather` "
                                               "(vega_datasets, BSD-3-Clause; NOAA data, public domain)."),
    "chart_iris": (iris, "Scatter plot drawn with matplotlib from the Iris data set shipped in scikit-learn "
                         "(BSD-3-Clause; Fisher 1936)."),
    "chart_us_employment": (us_employment, "Four panels drawn with matplotlib from `us-employment` "
                                           "(vega_datasets, BSD-3-Clause; US BLS data, public domain)."),
    "chart_iowa_electricity": (iowa_electricity, "Stacked areas drawn with matplotlib from `iowa-electricity` "
                                                 "(vega_datasets, BSD-3-Clause; US EIA data, public domain)."),
    "chart_cars": (cars, "Horizontal bars drawn with matplotlib from `cars` (vega_datasets, BSD-3-Clause)."),
}
