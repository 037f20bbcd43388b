"""What a query asks for: spatial intents and the terms to look for in OCR text.

Example::

    >>> from headroom_middleware.crop.query import parse_spatial, query_terms
    >>> sorted(parse_spatial("Was steht oben rechts?"))
    ['right', 'top']
    >>> query_terms("Where is the shipping address?").phrases
    ('shipping address',)
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from .lexicon import (
    AMBIGUOUS_EN,
    CJK,
    CJK_SPATIAL,
    CONCEPTS,
    CORNER_ETC,
    KO_TOP,
    LOCATIVE,
    NUMBER,
    ORDINALS,
    PHRASES,
    QUALIFIER,
    QUOTED,
    SPATIAL_WORDS,
    STOP,
    WORD,
    fold,
)


def parse_spatial(query: str) -> frozenset[str]:
    """Spatial intents of a query: subset of top, bottom, left, right, center, header,
    footer, title, legend.

    Example::

        >>> sorted(parse_spatial("Was steht oben rechts?"))
        ['right', 'top']
        >>> sorted(parse_spatial("右上角的图例"))
        ['legend', 'right', 'top']
        >>> sorted(parse_spatial("Is this total right?"))
        []
    """
    kinds: set[str] = set()
    q = fold(query)
    words = [w for w in WORD.findall(q.replace("'", " ")) if not CJK.fullmatch(w)]
    for i, w in enumerate(words):
        kind = SPATIAL_WORDS.get(w)
        if kind is None:
            continue
        if w in AMBIGUOUS_EN:
            prev = words[max(0, i - 3):i]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            adjacent_spatial = (i > 0 and words[i - 1] in SPATIAL_WORDS) or nxt in SPATIAL_WORDS
            if w in ("left", "right", "droit", "derecho"):
                ok = adjacent_spatial or nxt in QUALIFIER or (
                    len(prev) >= 2 and prev[-1] in ("the", "la", "el", "le") and prev[-2] in LOCATIVE
                ) or (len(prev) >= 1 and prev[-1] in ("far", "a", "à"))
            elif w in ("upper", "lower"):
                ok = adjacent_spatial or nxt in QUALIFIER
            elif w in ("alto", "basso", "bas", "medio", "mezzo", "meio"):
                # "in alto", "en bas", "nel mezzo" -- not "el valor más alto", "precio medio".
                ok = adjacent_spatial or (len(prev) >= 1 and prev[-1] in LOCATIVE)
            else:
                ok = adjacent_spatial or nxt in QUALIFIER or any(p in LOCATIVE for p in prev)
            if not ok:
                continue
        kinds.add(kind)
    joined = " ".join(words)
    for phrase, kind in PHRASES.items():
        if re.search(rf"(?:^| ){phrase}(?: |$)", joined):
            kinds.add(kind)
    rest = q
    for pat, ks in CJK_SPATIAL:
        if pat in rest:
            kinds.update(ks)
            rest = rest.replace(pat, " ")
    if KO_TOP.search(rest):
        kinds.add("top")
    if "header" in kinds and "top" in kinds:
        kinds.discard("top")
    return frozenset(kinds)


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]  # folded single words
    phrases: tuple[str, ...]  # folded multi-word phrases and quoted strings
    numbers: tuple[str, ...]  # digits only
    cjk: tuple[str, ...]  # CJK runs of the query (minus spatial words)
    concept_forms: tuple[str, ...]  # every surface form of concepts the query names
    symbols: tuple[str, ...] = ()  # operator-like tokens asked about ("%", "+=", "->")
    version: bool = False  # the query asks for a version: lines with a version number match
    flags: tuple[str, ...] = ()  # command-line options asked about, case kept ("-B" is not "-b")
    command: bool = False  # the query asks for a command that was run: shell prompt lines match
    file: bool = False  # the query asks which file is shown: lines naming a file (a title bar, a tab) match
    cursor: bool = False  # the query asks where the cursor is: an editor's "Ln 12, Col 5" status matches
    extension: bool = False  # the query asks for file extensions: lines listing ".html, .htm, .xml" match


# Identifiers keep their joiners: "add_one", "std::vec", "foo.bar" are one term, not "add" and "one".
_IDENT = re.compile(r"[^\W\d][\w]*(?:(?:_|::|\.)[\w]+)+")
_SYMBOL = re.compile(r"(?<!\S)([^\w\s\"'“”«»「」?!.,;:()]{1,3})(?!\S)")
# "-B", "--without-doc-strings", "-nobdrs": an option of a manual page. Single letters are too short to be
# words, and case tells -b from -B, so they are matched on the raw line text.
_FLAG = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
_VERSION_WORDS = frozenset({"version", "versions", "versao", "versione", "версия", "версии", "版本", "バージョン",
                            "버전", "release",
                            # fold()-ed, with the inflections a question uses ("jaką wersję", "sürümü", "версію")
                            "versiones", "versoes", "versioni", "versie", "versies", "versionen", "versjon",
                            "wersja", "wersje", "wersji", "verze", "verzi", "versi", "versiyon", "versiyonu",
                            "surum", "surumu", "surumunu", "версию", "версія", "версію", "версії", "lancamento",
                            "lanzamiento", "rilascio"})
_VERSION_NUMBER = re.compile(r"\bv?\d+\.\d+(?:\.\d+)?\b")
# A terminal's command line starts with its prompt ("$ ", "% ", ">>> ", "user@host:~$ ", "C:\\> ", "PS C:\\> ").
_COMMAND_WORDS = frozenset({"command", "commands", "befehl", "kommando", "commande", "comando", "comandos",
                            "команда", "команду", "команды", "komut", "komutu", "polecenie", "komenda", "perintah",
                            "lenh", "commando"})
_COMMAND_CJK = tuple(fold(w) for w in ("命令", "指令", "コマンド", "명령"))
_PROMPT = re.compile(r"^\s*(?:\$|%|❯|➜|>>>|(?:PS )?[A-Z]:\\[^>]*>|[\w.-]+@[\w.-]+:[^$#\s]*[$#])\s*\S")
# A file name with an extension a source or text file has (a title bar, an editor tab, a path).
_FILE_WORDS = frozenset({"file", "filename", "datei", "dateiname", "fichier", "archivo", "arquivo",
                         "файл", "файла", "dosya", "dosyası", "plik", "pliku", "tep", "berkas"})
_FILE_CJK = tuple(fold(w) for w in ("文件", "檔案", "ファイル", "파일"))
# The cursor (or caret) named in the query, in several languages (fold()-ed: カーソル keeps no voicing marks).
CURSOR = re.compile(r"\b(?:cursor|cursors|caret|kursor|kursora|kursorem|курсор|курсора|imlec|con tro|cursore)\b|"
                    + "|".join(fold(w) for w in ("カーソル", "光标", "光標", "游标", "커서")))
# An editor's status bar position: "Ln: 142 Col: 0", "Ln 12, Col 5", "Line 3, Column 14", "行 12，列 5".
_POSITION = re.compile(r"(?:\bln|\bline|\bzeile|\bligne|\blinea|\blinha|\bstroka|строка|行)\s*[:.]?\s*\d+\s*[,;，]?\s*"
                       r"(?:col|column|spalte|colonne|columna|coluna|colonna|столбец|列)\s*[:.]?\s*\d+")
# A file extension on its own, as a list of them reads (OCR may put a space after the dot: ". html").
_EXTENSION = re.compile(r"(?<![\w.])\.\s?[a-z][a-z0-9]{1,4}\b")
_FILE_NAME = re.compile(r"[\w-]+\.(?:py|pyi|js|ts|tsx|jsx|c|h|cc|cpp|hpp|rs|go|java|kt|rb|php|cs|swift|sh|txt|md|rst|"
                        r"json|ya?ml|toml|ini|cfg|html?|css|sql|xml|log)\b")


def _is_noise(w: str, stop: bool = True) -> bool:
    """Words that say where or how to look, not what to look for (``stop``: English and other Latin-script
    function words count as such)."""
    return (stop and w in STOP) or w in SPATIAL_WORDS or w in QUALIFIER or w in CORNER_ETC or w.isdigit()


def query_terms(query: str) -> Terms:
    q = unicodedata.normalize("NFKC", query)
    quoted = [next(g for g in m.groups() if g) for m in QUOTED.finditer(q)]
    numbers = [re.sub(r"\D", "", n) for n in NUMBER.findall(q)]
    folded = fold(q)
    # A Latin name glued to a CJK or Hangul particle ("epsilon이", "betavariate의", "None이면") is still the name.
    spaced = CJK.sub(lambda m: f" {m.group(0)} ", folded)
    latin = [w for w in WORD.findall(spaced.replace("'", " ")) if not CJK.search(w)]
    # In a question written in CJK or Hangul, Latin words are the names and code it asks about ("ONLY を付けると",
    # "None이면"), not English function words.
    stop = CJK.search(folded) is None
    words = [w for w in latin if not _is_noise(w, stop) and len(w) >= 2]
    # OCR often drops the underscores around a private or magic name ("__contains__" read "contains_("): its
    # core is a term even when it is an ordinary word.
    words += [core for m in _IDENT.findall(q) if m[0] == "_" or m[-1] == "_"
              if len(core := fold(m).strip("_")) >= 3 and "_" not in core]
    # Consecutive content words form phrases ("invoice number"): a line holding the whole
    # phrase beats one holding a single word.
    phrases = [fold(s) for s in quoted] + [fold(m) for m in _IDENT.findall(q)]
    run: list[str] = []
    for w in [*latin, ""]:
        if w and not _is_noise(w, stop):
            run.append(w)
            continue
        if len(run) >= 2:
            phrases.append(" ".join(run))
        run = []
    # A numbered item ("example 3", "Beispiel 2", "the first example"): the line naming that item is what is
    # asked about, though the number alone (one digit) is too short to look for.
    # Named in another language than the page's: "Beispiel 2" is also "Example 2".
    def numbered(word: str, n: str) -> list[str]:
        group = next((g for g in CONCEPTS if word in g), frozenset({word}))
        return [f"{form} {n}" for form in sorted(group | {word}) if " " not in form and not CJK.search(form)]

    for a, b in itertools.pairwise(latin):
        if b.isdigit() and len(b) <= 3 and not _is_noise(a, stop) and len(a) >= 3:
            phrases.extend(numbered(a, b))
        elif a in ORDINALS and not _is_noise(b, stop) and len(b) >= 3:
            phrases.extend(numbered(b, ORDINALS[a]))
    cjk_text = folded
    for pat, _ in CJK_SPATIAL:
        cjk_text = cjk_text.replace(pat, " ")
    cjk = [r for r in CJK.findall(cjk_text) if len(r) >= 2]
    forms: set[str] = set()
    for group in CONCEPTS:
        if any(contains_term(folded, form) for form in group):
            forms.update(group)
    symbols = tuple(dict.fromkeys(_SYMBOL.findall(q)))
    version = (any(w in _VERSION_WORDS for w in latin) or any(v in folded for v in ("版本", "バージョン", "버전"))
               or re.search(r"\bphien ban\b", folded) is not None)
    flags = tuple(dict.fromkeys(f.rstrip("-") for f in _FLAG.findall(q)))
    command = any(w in _COMMAND_WORDS for w in latin) or any(c in folded for c in _COMMAND_CJK)
    file = any(w in _FILE_WORDS for w in latin) or any(c in folded for c in _FILE_CJK)
    cursor = CURSOR.search(folded) is not None
    extension = any(f in forms for f in ("extension", "extensions"))
    return Terms(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)),
                  tuple(n for n in dict.fromkeys(numbers) if n), tuple(cjk), tuple(sorted(forms)), symbols, version,
                  flags, command, file, cursor, extension)


def contains_term(text: str, term: str) -> bool:
    """Whole-word containment for Latin terms, substring for CJK terms."""
    if term not in text:
        return False  # the common case, and no regex needed for it
    if CJK.search(term):
        return True
    return _whole_word(term).search(text) is not None


@functools.lru_cache(maxsize=4096)
def _whole_word(term: str) -> re.Pattern[str]:
    # Cached here: the concept table alone has more forms than the re module's own cache holds (512).
    return re.compile(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])")


def line_score(text: str, terms: Terms) -> float:
    t = fold(text)
    line_words = WORD.findall(t)
    score = 0.0
    if terms.symbols:
        tokens = t.split()
        score += sum(2.0 for s in terms.symbols if s in tokens)
    for flag in terms.flags:
        at = re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text)
        if at:
            # The line that starts with the option is where a manual defines it; others only mention it.
            score += 2.5 if not text[:at.start()].strip() else 2.0
    if terms.version and _VERSION_NUMBER.search(t):
        score += 1.5
    if terms.command and _PROMPT.match(text):
        score += 1.5
    if terms.cursor and _POSITION.search(t):
        score += 2.0
    if terms.extension and len(_EXTENSION.findall(t)) >= 2:
        score += 1.5
    if terms.file and _FILE_NAME.search(t):
        score += 1.5
    for p in terms.phrases:
        if contains_term(t, p):
            score += 2.0 + 0.5 * p.count(" ")
    for w in terms.words:
        if w in line_words:
            score += 1.0
        elif len(w) >= 4 and any(w in lw or (len(lw) >= 4 and lw in w) for lw in line_words):
            score += 0.5  # compounds: "nummer" in "Rechnungsnummer", "total" in "subtotal"
    digits = re.sub(r"\D", "", t)
    for num in terms.numbers:
        if len(num) >= 2 and num in digits:
            score += 2.0
    for form in terms.concept_forms:
        if contains_term(t, form):
            score += 0.9
            break
    for run in terms.cjk:
        # Longest query n-gram (>= 2 chars) found in the line.
        best = 0
        for n in range(min(len(run), 8), 1, -1):
            if any(run[k:k + n] in t for k in range(len(run) - n + 1)):
                best = n
                break
        if best:
            score += 0.5 * best
    return score

def term_units(terms: Terms) -> list[Terms]:
    """``terms`` split into one-part queries (a word, a phrase, a number, a concept ...): which of them a line
    matches tells apart lines answering different parts of the query.

    Example::

        >>> [u.words for u in term_units(Terms(("lemon", "price"), (), (), (), ()))]
        [('lemon',), ('price',)]
    """
    import dataclasses

    empty = Terms((), (), (), (), ())
    units = [dataclasses.replace(empty, words=(w,)) for w in terms.words]
    units += [dataclasses.replace(empty, phrases=(p,)) for p in terms.phrases]
    units += [dataclasses.replace(empty, numbers=(n,)) for n in terms.numbers]
    units += [dataclasses.replace(empty, cjk=(c,)) for c in terms.cjk]
    if terms.concept_forms:
        units.append(dataclasses.replace(empty, concept_forms=terms.concept_forms))
    rest = dataclasses.replace(terms, words=(), phrases=(), numbers=(), cjk=(), concept_forms=())
    if rest != empty:
        units.append(rest)
    return units
