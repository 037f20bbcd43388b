"""Human-readable token counts and byte sizes, shared by the command line and the HTML report.

Example::

    fmt_tokens(1560), fmt_bytes(161_000)   # ('1,560', '161.0 KB')
"""

from __future__ import annotations


def fmt_tokens(n: int | None) -> str:
    """``1,560``; ``?`` when the count is unknown."""
    return "?" if n is None else f"{n:,}"


def fmt_bytes(n: int | None) -> str:
    """``161.0 KB`` / ``2.73 MB``; ``?`` when unknown."""
    if n is None:
        return "?"
    return f"{n / 1_000_000:.2f} MB" if n >= 1_000_000 else f"{n / 1000:.1f} KB"
