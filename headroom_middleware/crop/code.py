"""Code on an image: the definition a query names, and the body a line of code opens.

A question about a function or class in a code screenshot or listing ("explain _commit_removals", "what does
_getline return?") is answered by its whole definition, from the ``def`` line down to the next line at the
same indentation; its name also sits on every call site, so the best-matching line alone is often a call,
and the text block of a listing without blank lines is the whole screen. The body is found from the OCR
boxes' left edges (indentation), skipping an editor's line-number gutter.

Pure functions of OCR lines.

Example::

    >>> from types import SimpleNamespace as L
    >>> lines = [L(text="def", box=(10, 0, 40, 20)), L(text="area(r):", box=(45, 0, 140, 20)),
    ...          L(text="return 3.14 * r * r", box=(50, 22, 260, 42)), L(text="def other():", box=(10, 44, 150, 64))]
    >>> definition("what does area() return?", lines, body=20.0)
    ((10, 0, 260, 42), 1)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .geometry import Box, union, v_overlap
from .lexicon import STOP, fold

if TYPE_CHECKING:
    from ..ocr import OcrLine

__all__ = ["defined_names", "definition", "indented_body"]

# Keywords opening a definition in common languages (Python, JS/TS, Rust, Go, Ruby, Perl, Kotlin, Swift ...),
# with the modifiers that may precede them.
_MODIFIERS = r"(?:(?:export|public|private|protected|internal|static|async|pub(?:\(crate\))?|inline|override|final|" \
             r"abstract|default|unsafe|const|extern)\s+)*"
_KEYWORDS = r"(?:def|class|function|fn|func|sub|struct|enum|trait|interface|impl|procedure|proc|module|object|" \
            r"type|macro_rules!)"
_KEYWORD_ONLY = re.compile(rf"^\W*(?:\d+\s+)?{_MODIFIERS}{_KEYWORDS}\s*$")
# An identifier as typed in the query: "_commit_removals", "Font.measure", "parse_args()".
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_LINE_NUMBER = re.compile(r"^\s*\d{1,5}\s*$")
# A query naming a definition's kind (fold()-ed): "the get_db function", "la fonction", "函数", "메서드".
_DEFINITION_WORDS = re.compile(r"\b(?:function|functions|func|method|methods|class|classes|def|funktion|methode|"
                               r"klasse|fonction|methode|fonctions|funcion|metodo|clase|funcao|classe|funzione|"
                               r"функция|функцию|функции|метод|метода|класс|класса|fungsi|fonksiyon|funkcja|"
                               r"funkcji|metoda|klasa)\b|函数|方法|関数|メソッド|クラス|함수|메서드|클래스")
_CLOSER = re.compile(r"^\s*(?:[}\])]+[;,]?|end)\s*$")


def defined_names(query: str) -> list[str]:
    """Names a query may ask about as a definition, folded, leading underscores dropped (OCR often loses
    them), the last part of a dotted name ("Font.measure": "measure"): identifiers that look like code
    (``snake_case``, ``camelCase``, dotted, or called: ``lookup()``), and when the query says it asks about a
    function, method or class, its other words of three or more characters that are not stop words too
    ("copy the register view function"). A plain word ("the FTP port") names no definition.

    Example::

        >>> defined_names("what does Font.measure return, and _getline?")
        ['measure', 'getline']
        >>> defined_names("show me the register function")
        ['register']
    """
    named = _DEFINITION_WORDS.search(fold(query)) is not None
    out: list[str] = []
    for m in _IDENT.finditer(query):
        raw = m.group(0)
        code_like = ("_" in raw.strip("_") or "." in raw or query[m.end():m.end() + 1] == "("
                     or re.search(r"[a-z][A-Z]", raw) is not None or raw.startswith("_"))
        name = fold(raw.rsplit(".", 1)[-1]).lstrip("_")
        if (code_like or named) and len(name) >= 3 and name not in STOP and name not in out \
                and _DEFINITION_WORDS.fullmatch(name) is None:
            out.append(name)
    return out


def _defines(text: str, name: str) -> bool:
    # OCR reads an underscore as a space or drops it ("try compile(" for "_try_compile(").
    spelled = "[_ ]?".join(re.escape(part) for part in name.split("_"))
    # The name is followed by what follows a name being defined ("(", ":", "{", "<", "=", or nothing): prose
    # starting "Function names ..." or "class Foo is ..." is not a definition.
    pattern = (rf"^\W*(?:\d+\s+)?{_MODIFIERS}{_KEYWORDS}\s+(?:[\w$]+\.)*_*{spelled}\s*(?:[(:{{<\[=]|$)"
               rf"|^\W*(?:(?:const|let|var)\s+)?_*{spelled}\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>)")
    return re.search(pattern, text) is not None


def _row_text(i: int, lines: Sequence[OcrLine], keywords: Sequence[int], body: float) -> tuple[str, Box]:
    """Line ``i``'s text with a lone keyword (``keywords``: indices of such lines) just left of it on its row
    (OCR reads ``def`` and the name as two boxes when the editor colours them differently), and the box of
    both."""
    box = lines[i].box
    left = [lines[k] for k in keywords if k != i and v_overlap(lines[k].box, box) >= 0.5
            and 0 <= box[0] - lines[k].box[2] <= 1.5 * body]
    if not left:
        return fold(lines[i].text), box
    kw = max(left, key=lambda ln: ln.box[2])
    return f"{fold(kw.text)} {fold(lines[i].text)}", union([kw.box, box])


def indented_body(head: Box, lines: Sequence[OcrLine], body: float) -> Box | None:
    """The lines under ``head`` (a ``def``, ``if ...:`` or ``{``-opening row) indented deeper than it, down to
    the first line at its indentation or left of it (a closing brace or ``end`` there is included); line
    numbers in a gutter left of the code are skipped. ``None`` when the next line is not indented deeper.

    Example::

        >>> from types import SimpleNamespace as L
        >>> rows = [L(text="if x:", box=(10, 0, 60, 20)), L(text="y()", box=(30, 22, 70, 42)),
        ...         L(text="z()", box=(10, 44, 50, 64))]
        >>> indented_body((10, 0, 60, 20), rows, body=20.0)
        (30, 22, 70, 42)
    """
    b = max(body, 1.0)
    x0 = head[0]
    below = sorted((ln for ln in lines if ln.box[1] >= head[3] - 0.3 * b and ln.box[2] > x0 + 0.5 * b
                    and not _LINE_NUMBER.match(ln.text) and v_overlap(ln.box, head) < 0.5),
                   key=lambda ln: (ln.box[1], ln.box[0]))
    parts: list[Box] = []
    bottom = head[3]
    row_top = None
    for ln in below:
        if ln.box[1] - bottom > 3.0 * b:
            break  # past the end of the listing (a long blank gap)
        if row_top is not None and ln.box[1] < row_top + 0.5 * b:
            parts.append(ln.box)  # the rest of a row already in the body
            bottom = max(bottom, ln.box[3])
            continue
        if ln.box[0] <= x0 + 0.4 * b:
            if parts and _CLOSER.match(ln.text):
                parts.append(ln.box)
            break
        parts.append(ln.box)
        bottom = max(bottom, ln.box[3])
        row_top = ln.box[1]
    return union(parts) if parts else None


def definition(query: str, lines: Sequence[OcrLine], body: float, anchor: Box | None = None,
               scores: Mapping[int, float] | None = None) -> tuple[Box, int] | None:
    """The definition of a name the query asks about, with its body, and how many definitions of the query's
    names the image holds (more than one makes it a guess). ``None`` when no line defines one of them, or
    when ``anchor`` (the line matching the query best) is neither inside the definition nor indented deeper
    than it: a match at or left of the definition's margin is prose or documentation about the name (a docs
    page's signature ``Field.get_bound_field(form, field_name)`` above an example overriding it), which
    answers better than the code; a match indented deeper is code calling it. With several definitions of
    the names, the one chosen must hold ``anchor``.

    Of several: one nested in another ("the country property in GPSCoordinatesBoundField"), then the one
    whose lines match the query best (``scores``: line index to match score; "how is fullname defined in
    the User class" with three classes User on the page), then the definition of the query's longest name,
    then the topmost.
    """
    names = sorted(defined_names(query), key=len, reverse=True)
    if not names:
        return None
    b = max(body, 1.0)
    found: list[tuple[int, Box, Box]] = []  # name rank, head row, head and body
    folded = [fold(ln.text) for ln in lines]
    keywords = [k for k, t in enumerate(folded) if _KEYWORD_ONLY.match(t)]
    # Only lines holding a name (OCR may read its underscores as spaces) can define it.
    bare = [n.replace("_", "") for n in names]
    for i in range(len(lines)):
        squeezed = folded[i].replace("_", "").replace(" ", "")
        if not any(n in squeezed for n in bare):
            continue
        text, box = _row_text(i, lines, keywords, body)
        for rank, name in enumerate(names):
            if _defines(text, name):
                row = [ln.box for ln in lines if v_overlap(ln.box, box) >= 0.5 and ln.box[0] >= box[0]
                       and not _LINE_NUMBER.match(ln.text)]
                head = union([box, *row])
                rest = indented_body(head, lines, body)
                found.append((rank, head, union([head, rest]) if rest is not None else head))
                break
    if not found:
        return None

    def nested(f: tuple[int, Box, Box]) -> bool:
        return any(g is not f and g[2] != f[2] and g[2][1] <= f[1][1] and f[2][3] <= g[2][3] and g[1][0] < f[1][0]
                   for g in found)

    def held(f: tuple[int, Box, Box]) -> float:
        return sum(s for i, s in (scores or {}).items() if f[2][1] <= (lines[i].box[1] + lines[i].box[3]) / 2 <= f[2][3]
                   and f[2][0] <= (lines[i].box[0] + lines[i].box[2]) / 2 <= f[2][2])

    _, head, box = min(found, key=lambda f: (not nested(f), -held(f), f[0], f[1][1]))
    if anchor is not None:
        inside = head[1] - 0.3 * b <= (anchor[1] + anchor[3]) / 2 <= box[3] + 0.3 * b
        # Of several definitions, one that does not hold the best match is a guess against a sure text match.
        if not inside and (anchor[0] <= head[0] + 0.4 * b or len(found) > 1):
            return None
    return box, len(found)
