"""How a word of the question can match a page that does not spell it: OCR misreadings one edit away,
cognates in other European languages, Russian/Ukrainian words in Latin letters, acronyms spelled out, and
Japanese/Korean loanwords (:mod:`.loanwords`). Each scorer rates one OCR line; :mod:`.select` adds the
scores to the exact matches of :func:`.query.line_score`.

Example::

    >>> from headroom_middleware.crop.wordmatch import cognate, cognate_form
    >>> cognate(cognate_form("funktion"), cognate_form("function"))
    True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .lexicon import WORD, fold
from .loanwords import skeleton

if TYPE_CHECKING:
    from ..ocr import OcrLine
    from .query import Terms

__all__ = ["acronyms", "cognate", "cognate_form", "edits", "expansion_score", "loan_score", "misread_score",
           "misread_words", "one_edit"]


def misread_words(lines: Sequence[OcrLine], terms: Terms) -> tuple[str, ...]:
    """Query words (identifiers, names: 4+ letters) that appear nowhere on the image, not even inside a longer
    word: OCR may have misread them by one character ("argc" read as "arge")."""
    page = set(WORD.findall(fold(" ".join(ln.text for ln in lines))))
    # A Russian or Ukrainian word is looked for in Latin letters ("параметр": "parametr", a cognate of
    # "parameter") when the page does not hold it.
    return tuple(dict.fromkeys(latin for w in terms.words if w not in page and not any(w in pw for pw in page)
                               if len(latin := w.translate(_CYRILLIC)) >= 4 and latin.isascii()))


# Cyrillic letters (fold()-ed: й is и, ё is е) in Latin letters, as loanwords were borrowed.
_CYRILLIC = str.maketrans({"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
                           "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
                           "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
                           "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e",
                           "ґ": "g"})


def misread_score(text: str, misread: Sequence[str]) -> float:
    """0.9 when the line holds a word one substitution, insertion or deletion away from a misread word (a
    bit less than a real match of it), or a cognate of it in another language (0.9 for the first such word,
    0.5 for each further one)."""
    if not misread:
        return 0.0
    words = set(WORD.findall(fold(text)))
    stems = {cognate_form(lw) for lw in words if len(lw) >= 5}
    # Each misread word's cognate form once per line, not once per stem it is compared with.
    n = sum(any(one_edit(w, lw) for lw in words)
            or (len(w) >= 5 and any(cognate(form, s) for form in (cognate_form(w),) for s in stems))
            for w in misread)
    return 0.9 + 0.5 * (n - 1) if n else 0.0


_ACRONYM = re.compile(r"(?<![\w-])[A-Z](?:-?[A-Z]){2,7}(?![\w-])")


def acronyms(query: str) -> tuple[str, ...]:
    """Acronyms the query names ("L-BFGS", "TLS"), letters only."""
    return tuple(dict.fromkeys(a.replace("-", "") for a in _ACRONYM.findall(query)))


def expansion_score(text: str, acronyms: Sequence[str]) -> float:
    """1.2 when the line spells out an acronym of the query ("Limited-memory Broyden-Fletcher-Goldfarb-Shannon"
    for "L-BFGS"): the initials of its capitalised words, or of all its words, hold it. Where it is spelled
    out is where the page says what it is; a line that merely uses it scores as a word match."""
    if not acronyms:
        return 0.0
    words = re.findall(r"[^\W\d_][^\W_]*", text)
    # Capitalised words, a lowercase word or one between them ("Limited-memory Broyden"); two break the run.
    caps, lower = [], 0
    for w in words:
        if w[0].isupper():
            caps.append(w[0])
            lower = 0
        else:
            lower += 1
            if lower == 2:
                caps.append(" ")
    every = "".join(w[0] for w in words).upper()
    return 1.2 if any(a in "".join(caps) or (len(a) >= 4 and a in every) for a in acronyms if a not in text) else 0.0


def loan_score(text: str, loans: frozenset[str]) -> float:
    """0.9 when the line holds the English word (or two) a katakana, Hangul or Devanagari word of the query was
    borrowed from ("デバッグビルド": "debug build"), 0.5 more for each further one (a line holding three of the
    question's borrowings beats one holding two), at most 2.4; see :mod:`.loanwords`."""
    if not loans:
        return 0.0
    words = [w for w in WORD.findall(fold(text)) if w.isascii()]
    forms = [*words, *(w[:-1] for w in words if w.endswith("s")), *(f"{a} {b}" for a, b in itertools.pairwise(words))]
    n = len(loans & {skeleton(f) for f in forms})
    return 0.0 if not n else min(2.4, 0.9 + 0.5 * (n - 1))


# Spelling differences between cognates of European languages (fold()-ed, applied in order): "Funktion",
# "función", "funzione", "função" and "function" share one form, so do "Historial"/"history".
_COGNATE_RULES = ((re.compile(r"ph"), "f"), (re.compile(r"th"), "t"), (re.compile(r"[kq]"), "c"),
                  (re.compile(r"y"), "i"), (re.compile(r"z"), "s"), (re.compile(r"w"), "v"),
                  (re.compile(r"(.)\1"), r"\1"), (re.compile(r"[cts]?[ts]ion"), "cion"),
                  (re.compile(r"cao\b|caos\b|coes\b"), "cion"))


def cognate_form(word: str) -> str:
    for pattern, repl in _COGNATE_RULES:
        word = pattern.sub(repl, word)
    return word


def cognate(a: str, b: str) -> bool:
    """Whether two words (in :func:`cognate_form`) share a stem of five or more letters, up to a letter or
    two: "privilegios"/"privileges", "alternativ"/"alternative", "funcionsnamen"/"funcion"."""
    n = min(len(a), len(b))
    if n < 5 or a[0] != b[0]:
        return False
    return edits(a[:n], b[:n]) <= (0 if n < 7 else 1 if n < 9 else 2)


def edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character substituted, inserted or deleted (not equal)."""
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
