"""English loanwords written in katakana, Hangul or Devanagari, matched to the English words they come from.

A question in Japanese or Korean about an English page names its things in borrowed words: "デバッグビルド"
(debug build), "パスワードストア" (password store), "세션" (session), "하버사인" (haversine), "쿼리 플래너"
(query planner). Their sounds survive borrowing well enough that the consonants, in broad classes (b/p/f/v,
d/t, g/k/c/q, s/z/j/ch/sh, l/r, m, n, h), read the same on both sides once vowels are dropped and the English
"r" that is not pronounced before a consonant or at a word's end (so not borrowed: "password" パスワード,
"planner" 플래너) is dropped too. Kana and Hangul romanisation follows the standard syllable tables (Hepburn,
Revised Romanization), written out here.

Example::

    >>> from headroom_middleware.crop.loanwords import loan_skeletons, skeleton
    >>> skeleton("password store") in loan_skeletons("パスワードストアに指定できる値は？")
    True
    >>> skeleton("session") in loan_skeletons("세션 객체 쓰면 뭐가 좋아?")
    True
    >>> {skeleton("backend"), skeleton("supported")} <= loan_skeletons("रास्टर फ़ील्ड किस बैकएंड में सपोर्टेड है?")
    True
"""

from __future__ import annotations

import itertools
import re

__all__ = ["MIN_CLASSES", "loan_skeletons", "skeleton"]

#: Consonant classes a skeleton needs to be looked for: two ("file", "form") match too many words by chance.
MIN_CLASSES = 3

_KANA_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ", "t": "タチツテト",
    "d": "ダヂヅデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ", "p": "パピプペポ", "m": "マミムメモ",
    "r": "ラリルレロ", "y": "ヤ ユ ヨ", "w": "ワ   ヲ",
}
_KANA: dict[str, str] = {k: c + v for c, row in _KANA_ROWS.items() for k, v in zip(row, "aiueo", strict=True)
                         if k != " "}
# Syllables whose consonant the table above misnames (shi, chi, tsu, fu, ji), and the small vowels and
# "v" of borrowed sounds (ファ fa, ティ ti, ヴ v).
_KANA.update({"シ": "shi", "チ": "chi", "ツ": "tsu", "フ": "fu", "ジ": "ji", "ヂ": "ji", "ヅ": "zu", "ン": "n",
              "ヴ": "v", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo",
              "ヮ": "wa"})
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+")

# Hangul syllable = (initial * 21 + medial) * 28 + final + 0xAC00 (Unicode's composition rule).
_INITIAL = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIAL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i")
_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
# Korean particles and endings glued to a borrowed word ("플래너가", "시놉시스에", "업로드한", "옵션들").
_PARTICLES = ("에서", "으로", "이나", "하고", "하는", "한", "해", "은", "는", "이", "가", "을", "를", "의", "에",
              "로", "와", "과", "도", "만", "들")


def _kana_roman(run: str) -> str:
    out: list[str] = []
    for ch in run:
        if ch in ("ー", "ッ"):
            continue  # a long vowel; a doubled consonant (one consonant in the skeleton either way)
        r = _KANA.get(ch, "")
        if ch in "ャュョ" and out and out[-1][-1] == "i":
            out[-1] = out[-1][:-1]  # キャ kya, シュ shu
        if ch in "ァィゥェォ" and out and out[-1][-1] in "aiueo":
            out[-1] = out[-1][:-1]  # ファ fa, ティ ti, ウォ wo
        out.append(r)
    return "".join(out)


def _hangul_roman(word: str) -> str:
    out = []
    for ch in word:
        k = ord(ch) - 0xAC00
        out.append(_INITIAL[k // 588] + _MEDIAL[k % 588 // 28] + _FINAL[k % 28])
    return "".join(out)


# Devanagari consonants (Hindi writes English loanwords in them: "बैकएंड" backend, "फ़ील्ड" field), aspiration
# dropped (borrowed English sounds have none; "फ" is often "f"); with a nukta: "फ़" f, "ज़" z, "क़" q.
_DEVA_CONSONANTS = dict(zip("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह",
                            ("k", "k", "g", "g", "n", "ch", "ch", "j", "j", "n", "t", "t", "d", "d", "n", "t", "t",
                             "d", "d", "n", "p", "f", "b", "b", "m", "y", "r", "l", "v", "sh", "sh", "s", "h"),
                            strict=True))
_DEVA_NUKTA = {"क": "q", "ख": "k", "ग": "g", "ज": "z", "ड": "r", "ढ": "r", "फ": "f", "य": "y"}
_DEVA_WORD = re.compile(r"[\u0900-\u097f]+")


def _deva_roman(word: str) -> str:
    """A Devanagari word in Latin letters: consonants with an "a" after them unless a vowel sign, a virama or
    the word's end follows (Hindi drops the final schwa), vowels as "a", anusvara as "n"."""
    out: list[str] = []
    chars = list(word)
    for i, ch in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _DEVA_CONSONANTS:
            c = _DEVA_NUKTA[ch] if nxt == "\u093c" and ch in _DEVA_NUKTA else _DEVA_CONSONANTS[ch]
            after = chars[i + 2] if nxt == "\u093c" and i + 2 < len(chars) else nxt
            vowel_sign = "\u093e" <= after <= "\u094c" or after in ("\u0902", "\u0901")
            out.append(c if after in ("\u094d", "") or vowel_sign else c + "a")
        elif "\u0904" <= ch <= "\u0914" or "\u093e" <= ch <= "\u094c":
            out.append("a")
        elif ch in ("\u0902", "\u0901"):
            out.append("n")
    return "".join(out)


_CLASS = {"p": "P", "b": "P", "f": "P", "v": "P", "t": "T", "d": "T", "k": "K", "g": "K", "c": "K", "q": "K",
          "s": "S", "z": "S", "j": "S", "l": "L", "r": "L", "m": "M", "n": "N", "h": "H"}


def skeleton(text: str, english: bool = True) -> str:
    """The consonant classes of ``text`` (Latin letters, romanised borrowings with ``english=False``).

    Example::

        >>> skeleton("haversine"), skeleton("habeosain", english=False)
        ('HPSN', 'HPSN')
    """
    s = text.lower()
    if english:
        s = re.sub(r"e\b", "", s)  # a silent final e ("store", "escape")
        s = re.sub(r"r(?![aeiouy])", "", s)  # "r" unspoken before a consonant or at the end
        s = re.sub(r"c(?=[eiy])", "s", s)  # a soft c
        s = s.replace("ph", "f").replace("ck", "k").replace("gh", "").replace("x", "ks").replace("qu", "k")
        s = re.sub(r"ti(?=[aeiou])", "shi", s)  # "option" is "opshon" (옵션)
        s = re.sub(r"(?<=[^\W\d])h", "", s)  # sh, ch, th, wh: the first letter is the class
    else:
        s = s.replace("ch", "j").replace("sh", "s").replace("ts", "s")
    s = s.replace("ng", "nk")
    out: list[str] = []
    vowel = True
    for ch in s:
        c = _CLASS.get(ch)
        if c is None:
            vowel = vowel or ch.isalpha()  # a vowel (or w, y) keeps "session" S-S-N; a space does not
            continue
        if vowel or out[-1] != c:  # a doubled consonant ("ss", "l-r" of 플래) is one
            out.append(c)
        vowel = False
    return "".join(out)


def loan_skeletons(query: str) -> frozenset[str]:
    """Skeletons of the katakana runs and Hangul words of ``query`` (Hangul with and without a trailing
    particle), of at least :data:`MIN_CLASSES` classes; adjacent Hangul words also joined ("쿼리 플래너")."""
    romans = [_kana_roman(r) for r in _KATAKANA.findall(query)]
    words = _HANGUL_WORD.findall(query)
    stems: list[str] = []
    for w in words:
        stem = next((w[:-len(p)] for p in _PARTICLES if w.endswith(p) and len(w) - len(p) >= 2), w)
        stems.append(stem)
        romans += [_hangul_roman(w), _hangul_roman(stem)]
    romans += [_hangul_roman(a) + _hangul_roman(b) for a, b in itertools.pairwise(stems)]
    # Hindi spells the "r" English leaves unspoken ("सर्वर" server): dropped as the English side drops it.
    romans += [re.sub(r"r(?![aeiouy])", "", _deva_roman(w)) for w in _DEVA_WORD.findall(query)]
    return frozenset(sk for r in romans if len(sk := skeleton(r, english=False)) >= MIN_CLASSES)
