"""Choose the image region a query is about, and find blank margins.

Pure functions of (image, parameters): no hidden state, no I/O, no OCR calls (the caller
passes an :class:`~headroom_middleware.ocr.OcrResult` when it has one).

:func:`select_crop_region` looks, in order, for:

a. OCR lines whose words match the query terms: words of the query minus stop words, quoted
   strings, numbers, and a small multilingual table of document concepts (``total`` also
   finds ``Gesamtbetrag``, ``合计``, ``Итого`` ...). The best line plus its neighbourhood
   (the rest of its row to the right, where the value usually is, and the next line) is kept.
b. Spatial words in the query in en, de, fr, es, pt, it, ru, zh, ja, ko (top-left, "oben
   rechts", "en haut à gauche", "右上", "左下角", "上部", "오른쪽 위", header, footer,
   title, legend, centre ...), mapped to that part of the image's content.
c. Within the chosen region, uniform margins are trimmed (:func:`content_bbox`).

The box is padded for context (4 % of the image side, at least 16 px) and clamped. ``None``
means no usable region: nothing matched, the region is blank, or the crop would keep more
than 85 % of the image (it would save nothing).

Example::

    from headroom_middleware.crop import select_crop_region
    region = select_crop_region(img, "What's the total?", ocr=ocr_result)
    if region is not None:
        x0, y0, x1, y1 = region.box
        small = img.crop(region.box)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from .ocr import OcrLine, OcrResult

__all__ = ["MAX_AREA_FRACTION", "CropRegion", "content_bbox", "parse_spatial", "select_crop_region"]

Box = tuple[int, int, int, int]

#: A crop keeping more than this share of the image area saves too little to be worth it.
MAX_AREA_FRACTION = 0.85
#: Context padding around the region: this share of the image side, at least PAD_MIN_PX.
PAD_FRACTION = 0.04
PAD_MIN_PX = 16


@dataclass(frozen=True)
class CropRegion:
    """A crop box ``(x0, y0, x1, y1)`` in the given image's pixels (x1/y1 exclusive) and
    why it was chosen (no query or OCR text in the reason: it ends up in logs)."""

    box: Box
    reason: str


# --------------------------------------------------------------------------------------------
# Blank margins
# --------------------------------------------------------------------------------------------


def _background(rgb: Image.Image, tolerance: int) -> tuple[int, int, int]:
    """The colour most border samples agree on (corners and edge midpoints)."""
    w, h = rgb.size
    pts = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1),
           (w // 2, 0), (w // 2, h - 1), (0, h // 2), (w - 1, h // 2)]
    samples: list[tuple[int, int, int]] = []
    for p in pts:
        px = rgb.getpixel(p)
        assert isinstance(px, tuple)
        samples.append((int(px[0]), int(px[1]), int(px[2])))

    def votes(c: tuple[int, int, int]) -> int:
        return sum(1 for s in samples if max(abs(a - b) for a, b in zip(c, s, strict=True)) <= tolerance)

    return max(samples, key=votes)


def content_bbox(image: Image.Image, tolerance: int = 16) -> Box | None:
    """Bounding box of everything that differs from the background, or ``None`` if blank.

    The background is the colour the image border agrees on; a pixel is content when any
    channel differs from it by more than ``tolerance`` (0-255; the default absorbs JPEG
    noise). For images with transparency whose border is transparent, the alpha channel
    decides. Use it to trim uniform margins (``preserve``) or inside a crop region.

    Example::

        >>> from PIL import Image, ImageDraw
        >>> im = Image.new("RGB", (100, 80), "white")
        >>> ImageDraw.Draw(im).rectangle((20, 10, 49, 29), fill="black")
        >>> content_bbox(im)
        (20, 10, 50, 30)
    """
    from PIL import Image as PILImage
    from PIL import ImageChops

    if image.width == 0 or image.height == 0:
        return None
    img = image.convert("LA") if image.mode == "La" else image  # premultiplied: no direct path
    if img.mode in ("RGBA", "RGBa", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        w, h = alpha.size
        corners = [alpha.getpixel(p) for p in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))]
        if sum(1 for c in corners if isinstance(c, int) and c < 255 - tolerance) >= 3:
            # Transparent surroundings: what is drawn is what is opaque.
            return alpha.point(lambda v: 255 if v > tolerance else 0).getbbox()
        bg = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = PILImage.alpha_composite(bg, rgba)
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    back = _background(rgb, tolerance)
    diff = ImageChops.difference(rgb, PILImage.new("RGB", rgb.size, back))
    r, g, b = diff.split()
    strongest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    return strongest.point(lambda v: 255 if v > tolerance else 0).getbbox()


# --------------------------------------------------------------------------------------------
# Query analysis
# --------------------------------------------------------------------------------------------


def _fold(s: str) -> str:
    """Case- and accent-insensitive form for matching (CJK and Hangul are kept as they are)."""
    s = unicodedata.normalize("NFKC", s).casefold()
    decomposed = unicodedata.normalize("NFD", s)
    out = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # NFD splits Hangul syllables into jamo: recompose so Korean still matches.
    return unicodedata.normalize("NFC", out)


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_NUMBER = re.compile(r"\d(?:[\d.,/:\-]*\d)?")
_QUOTED = re.compile(r"\"([^\"]{2,})\"|“([^”]{2,})”|„([^“”]{2,})[“”]|«\s*([^»]{2,}?)\s*»|「([^」]{2,})」|"
                     r"『([^』]{2,})』|'([^']{3,})'")

def _wordset(words: str) -> frozenset[str]:
    # Folded like queries are: "й" -> "и", "ё" -> "е", accents dropped.
    return frozenset(_fold(w) for w in words.split())


# Function words and generic image vocabulary: they say nothing about where to look.
_STOP = _wordset(
    """
    a an the this that these those is are was were be been of in on at to for from by with and or
    what whats which who whom where when why how much many does do did can could would should
    please tell me show give find read say says said written write see look it its there here i
    you we my your our value number amount image picture photo screenshot document page text
    describe explain summarize summarise summary about any some all one two only just also
    is it s t d ll re ve m as if than then so not no yes
    chart graph diagram plot figure screen slide shown shows showing mean means contain contains
    der die das ein eine einen dem den des ist sind war was wie viel viele welche welcher welches
    wo im in am auf zu fur von mit und oder bitte zeige sag steht dieser diese dieses hier da
    hoch lautet gibt man wir ich sie er
    bild foto seite dokument text wert betrag es diagramm grafik zeigt
    le la les un une des du de est sont quel quelle quels quelles ou combien dans sur au aux pour
    avec et qui que quoi montre dit ce cette ces image photo page document texte valeur il y a
    el los las unos unas es son cual cuales donde cuanto cuanta en con y o por para que del al
    muestra dice esta este imagen foto pagina documento texto valor hay
    o os as um uma e sao qual quais onde quanto com para que do da dos das no na mostra diz
    esta este imagem pagina documento texto valor ha
    il lo gli i uno una e sono quale quali dove quanto con per che del della nel nella mostra
    dice questa questo immagine pagina documento testo valore ce
    что это где какой какая какое какие сколько в на и или по из для с у как покажи скажи
    написано изображение картинка фото страница документ текст значение есть
    """
)

# Document concepts: if the query names one, every surface form is searched in the OCR text.
_CONCEPTS: tuple[frozenset[str], ...] = tuple(
    frozenset(_fold(w) for w in group.split("|"))
    for group in (
        "total|grand total|total due|amount due|balance due|gesamt|gesamtbetrag|summe|endbetrag|"
        "zu zahlen|montant total|total ttc|net a payer|importe total|total a pagar|totale|"
        "importo totale|valor total|итого|всего|сумма|合计|总计|合計|総計|総額|합계|총액",
        "subtotal|zwischensumme|sous-total|sous total|subtotale|промежуточный итог|小计|小計|소계",
        "tax|vat|mwst|ust|tva|iva|ндс|税|税额|消費税|부가세|세금",
        "invoice number|invoice no|invoice #|rechnungsnummer|rechnung nr|numero de facture|"
        "facture n|numero de factura|factura n|numero da fatura|numero fattura|номер счета|"
        "счет №|发票号码|发票号|請求書番号|インボイス番号|청구서 번호|송장 번호",
        "date|datum|fecha|дата|日期|日付|날짜",
        "due date|payment due|fallig|falligkeit|zahlbar bis|echeance|vencimiento|scadenza|"
        "vencimento|срок оплаты|到期日|支払期限|납부 기한",
    )
)

_SPATIAL_WORDS: dict[str, str] = {}
for _kind, _words in {
    "top": "top upper oben obere oberen oberer oberes oberste obersten haut superieur superieure "
    "arriba superior cima acima alto superiore вверху сверху верх верху верхний верхней верхнем "
    "верхнего верхняя верхнюю верхние верхних",
    "bottom": "bottom lower unten untere unteren unterer unteres unterste untersten bas inferieur "
    "inferieure abajo inferior baixo abaixo embaixo basso inferiore внизу снизу низ низу нижний нижней "
    "нижнем нижнего нижняя нижнюю нижние нижних",
    "left": "left links linke linken linker linkes gauche izquierda izquierdo esquerda esquerdo "
    "sinistra sinistro слева левый левой левом левая левую левого левые левых",
    "right": "right rechts rechte rechten rechter rechtes droite droit derecha derecho direita "
    "direito destra destro справа правый правой правом правая правую правого правые правых",
    "center": "center centre middle central mitte mittig zentrum mittlere mittleren milieu "
    "centrale centro medio meio mezzo центр центре центра середина середине посередине",
    "header": "header headers heading letterhead kopfzeile kopfzeilen kopfbereich briefkopf "
    "spaltenuberschriften tabellenkopf entete entetes encabezado encabezados cabecera cabeceras "
    "cabecalho cabecalhos intestazione intestazioni шапка шапке",
    "title": "title headline titel uberschrift titre titulo titular titolo заголовок заголовке название",
    "footer": "footer footnote footnotes fusszeile fussnote fussbereich rodape подвал подвале сноска",
    "legend": "legend legende leyenda legenda легенда легенде",
}.items():
    for _w in _words.split():
        _SPATIAL_WORDS[_fold(_w)] = _kind

# Everyday English words that are also directions ("is this right?", "what's left?", "the top
# product", "a lower price") count only next to a spatial qualifier or after a locative.
_AMBIGUOUS_EN = frozenset({"left", "right", "top", "bottom", "upper", "lower", "middle", "title",
                           "alto", "basso", "medio", "mezzo", "meio", "bas", "droit", "derecho"})
_QUALIFIER = _wordset(
    "side corner half part portion section edge area hand panel column margin region quarter "
    "third of left right top bottom center centre corners"
)
_LOCATIVE = _wordset(
    "at on in to from near towards toward far en in a no na nel al ao el il da dall du up down"
)
_PHRASES: dict[str, str] = {
    "en tete": "header",
    "en tetes": "header",
    "al pie de": "footer",
    "nota al pie": "footer",
    "note de bas de page": "footer",
    "nota a pie": "footer",
    "status bar": "bottom",
    "statusleiste": "bottom",
    "barra de estado": "bottom",
    "barre d etat": "bottom",
    "address bar": "top",
    "adressleiste": "top",
    "barra de direcciones": "top",
    "barre d adresse": "top",
    "x axis": "bottom",
    "x achse": "bottom",
    "eje x": "bottom",
    "eixo x": "bottom",
    "asse x": "bottom",
    "axe des x": "bottom",
    "ось x": "bottom",
    "y axis": "left",
    "y achse": "left",
    "eje y": "left",
    "eixo y": "left",
    "asse y": "left",
    "axe des y": "left",
    "ось y": "left",
    "al final": "bottom",
    "no final": "bottom",
    "in fondo": "bottom",
    "tout en bas": "bottom",
    "ganz unten": "bottom",
    "ganz oben": "top",
    "up top": "top",
    # "the last line / first row" of a page, receipt, terminal or table.
    "last line": "bottom",
    "last lines": "bottom",
    "last row": "bottom",
    "last item": "bottom",
    "last entry": "bottom",
    "final line": "bottom",
    "bottom line": "bottom",
    "first line": "top",
    "first row": "top",
    "first paragraph": "top",
    "first entry": "top",
    "letzte zeile": "bottom",
    "letzten zeile": "bottom",
    "erste zeile": "top",
    "ersten zeile": "top",
    "ultima linea": "bottom",
    "ultima fila": "bottom",
    "primera linea": "top",
    "primera fila": "top",
    "derniere ligne": "bottom",
    "premiere ligne": "top",
    "ultima linha": "bottom",
    "primeira linha": "top",
    "ultima riga": "bottom",
    "prima riga": "top",
    "последняя строка": "bottom",
    "последней строке": "bottom",
    "последнюю строку": "bottom",
    "первая строка": "top",
    "первой строке": "top",
    "первую строку": "top",
    "pied de page": "footer",
    "pie de pagina": "footer",
    "pie di pagina": "footer",
    "bas de page": "footer",
    "haut de page": "header",
}
_CJK_SPATIAL: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Corners first so "右上" is not also read as a bare "上".
    ("右上", ("top", "right")), ("左上", ("top", "left")), ("右下", ("bottom", "right")),
    ("左下", ("bottom", "left")),
    ("上部", ("top",)), ("上方", ("top",)), ("顶部", ("top",)), ("頂部", ("top",)), ("顶端", ("top",)),
    ("上边", ("top",)), ("上半", ("top",)), ("上側", ("top",)), ("上端", ("top",)), ("上の方", ("top",)),
    ("下部", ("bottom",)), ("下方", ("bottom",)), ("底部", ("bottom",)), ("底端", ("bottom",)),
    ("下边", ("bottom",)), ("下半", ("bottom",)), ("下側", ("bottom",)), ("下端", ("bottom",)),
    ("下の方", ("bottom",)),
    ("左侧", ("left",)), ("左側", ("left",)), ("左边", ("left",)), ("左邊", ("left",)), ("左半", ("left",)),
    ("左端", ("left",)), ("左方", ("left",)),
    ("右侧", ("right",)), ("右側", ("right",)), ("右边", ("right",)), ("右邊", ("right",)), ("右半", ("right",)),
    ("右端", ("right",)), ("右方", ("right",)),
    ("中间", ("center",)), ("中間", ("center",)), ("中央", ("center",)), ("正中", ("center",)),
    ("真ん中", ("center",)),
    ("最下面", ("bottom",)), ("最下方", ("bottom",)), ("最底下", ("bottom",)), ("一番下", ("bottom",)),
    ("最后一行", ("bottom",)), ("最後一行", ("bottom",)), ("最後の行", ("bottom",)),
    ("最上面", ("top",)), ("最上方", ("top",)), ("一番上", ("top",)), ("第一行", ("top",)), ("一行目", ("top",)),
    ("x轴", ("bottom",)), ("横轴", ("bottom",)), ("x軸", ("bottom",)), ("横軸", ("bottom",)), ("x축", ("bottom",)),
    ("y轴", ("left",)), ("纵轴", ("left",)), ("y軸", ("left",)), ("縦軸", ("left",)), ("y축", ("left",)),
    ("左の", ("left",)), ("右の", ("right",)),
    ("表头", ("header",)), ("表頭", ("header",)),
    ("页眉", ("header",)), ("頁眉", ("header",)), ("ヘッダー", ("header",)),
    ("页脚", ("footer",)), ("頁腳", ("footer",)), ("フッター", ("footer",)),
    ("标题", ("title",)), ("標題", ("title",)), ("タイトル", ("title",)), ("見出し", ("title",)),
    ("图例", ("legend",)), ("圖例", ("legend",)), ("凡例", ("legend",)),
    # Korean: words are space separated; particles attach (위에, 위쪽).
    ("오른쪽", ("right",)), ("우측", ("right",)), ("왼쪽", ("left",)), ("좌측", ("left",)),
    ("우상단", ("top", "right")), ("좌상단", ("top", "left")), ("우하단", ("bottom", "right")),
    ("좌하단", ("bottom", "left")), ("상단", ("top",)), ("하단", ("bottom",)), ("아래", ("bottom",)),
    ("가운데", ("center",)), ("중앙", ("center",)), ("머리글", ("header",)), ("헤더", ("header",)),
    ("바닥글", ("footer",)), ("푸터", ("footer",)), ("제목", ("title",)), ("범례", ("legend",)),
    # Arabic and Hindi (no word splitting needed: these forms are specific enough).
    ("الأسفل", ("bottom",)), ("أسفل", ("bottom",)), ("الأعلى", ("top",)), ("أعلى", ("top",)),
    ("اليمين", ("right",)), ("اليسار", ("left",)), ("وسط", ("center",)), ("العنوان", ("title",)),
    ("ऊपर", ("top",)), ("नीचे", ("bottom",)), ("दाएं", ("right",)), ("दाईं", ("right",)),
    ("दायें", ("right",)), ("बाएं", ("left",)), ("बाईं", ("left",)), ("बायें", ("left",)),
    ("लेजेंड", ("legend",)), ("शीर्षक", ("title",)),
)
# Matching happens on folded text (accents and kana voicing marks removed): fold the patterns
# the same way.
_CJK_SPATIAL = tuple((_fold(p), ks) for p, ks in _CJK_SPATIAL)
_PHRASES = {_fold(p): k for p, k in _PHRASES.items()}
_KO_TOP = re.compile(r"(?:^|\s)(?:맨\s*)?위(?:쪽|에|의|에서|부분)?(?=\s|$|[?.!,])")


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
    q = _fold(query)
    words = [w for w in _WORD.findall(q.replace("'", " ")) if not _CJK.fullmatch(w)]
    for i, w in enumerate(words):
        kind = _SPATIAL_WORDS.get(w)
        if kind is None:
            continue
        if w in _AMBIGUOUS_EN:
            prev = words[max(0, i - 3):i]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            adjacent_spatial = (i > 0 and words[i - 1] in _SPATIAL_WORDS) or nxt in _SPATIAL_WORDS
            if w in ("left", "right", "droit", "derecho"):
                ok = adjacent_spatial or nxt in _QUALIFIER or (
                    len(prev) >= 2 and prev[-1] in ("the", "la", "el", "le") and prev[-2] in _LOCATIVE
                ) or (len(prev) >= 1 and prev[-1] in ("far", "a", "à"))
            elif w in ("upper", "lower"):
                ok = adjacent_spatial or nxt in _QUALIFIER
            elif w in ("alto", "basso", "bas", "medio", "mezzo", "meio"):
                # "in alto", "en bas", "nel mezzo" -- not "el valor más alto", "precio medio".
                ok = adjacent_spatial or (len(prev) >= 1 and prev[-1] in _LOCATIVE)
            else:
                ok = adjacent_spatial or nxt in _QUALIFIER or any(p in _LOCATIVE for p in prev)
            if not ok:
                continue
        kinds.add(kind)
    joined = " ".join(words)
    for phrase, kind in _PHRASES.items():
        if re.search(rf"(?:^| ){phrase}(?: |$)", joined):
            kinds.add(kind)
    rest = q
    for pat, ks in _CJK_SPATIAL:
        if pat in rest:
            kinds.update(ks)
            rest = rest.replace(pat, " ")
    if _KO_TOP.search(rest):
        kinds.add("top")
    if "header" in kinds and "top" in kinds:
        kinds.discard("top")
    return frozenset(kinds)


@dataclass(frozen=True)
class _Terms:
    words: tuple[str, ...]  # folded single words
    phrases: tuple[str, ...]  # folded multi-word phrases and quoted strings
    numbers: tuple[str, ...]  # digits only
    cjk: tuple[str, ...]  # CJK runs of the query (minus spatial words)
    concept_forms: tuple[str, ...]  # every surface form of concepts the query names


_CORNER_ETC = _wordset(
    "ecke seite halfte coin cote moitie esquina lado mitad canto metade angolo lato meta "
    "угол углу сторона стороне"
)


def _is_noise(w: str) -> bool:
    """Words that say where or how to look, not what to look for."""
    return w in _STOP or w in _SPATIAL_WORDS or w in _QUALIFIER or w in _CORNER_ETC or w.isdigit()


def _query_terms(query: str) -> _Terms:
    q = unicodedata.normalize("NFKC", query)
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(q)]
    numbers = [re.sub(r"\D", "", n) for n in _NUMBER.findall(q)]
    folded = _fold(q)
    latin = [w for w in _WORD.findall(folded.replace("'", " ")) if not _CJK.search(w)]
    words = [w for w in latin if not _is_noise(w) and len(w) >= 2]
    # Consecutive content words form phrases ("invoice number"): a line holding the whole
    # phrase beats one holding a single word.
    phrases = [_fold(s) for s in quoted]
    run: list[str] = []
    for w in [*latin, ""]:
        if w and not _is_noise(w):
            run.append(w)
            continue
        if len(run) >= 2:
            phrases.append(" ".join(run))
        run = []
    cjk_text = folded
    for pat, _ in _CJK_SPATIAL:
        cjk_text = cjk_text.replace(pat, " ")
    cjk = [r for r in _CJK.findall(cjk_text) if len(r) >= 2]
    forms: set[str] = set()
    for group in _CONCEPTS:
        if any(_contains_term(folded, form) for form in group):
            forms.update(group)
    return _Terms(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)),
                  tuple(n for n in dict.fromkeys(numbers) if n), tuple(cjk), tuple(sorted(forms)))


def _contains_term(text: str, term: str) -> bool:
    """Whole-word containment for Latin terms, substring for CJK terms."""
    if _CJK.search(term):
        return term in text
    return re.search(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", text) is not None


def _line_score(text: str, terms: _Terms) -> float:
    t = _fold(text)
    line_words = _WORD.findall(t)
    score = 0.0
    for p in terms.phrases:
        if _contains_term(t, p):
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
        if _contains_term(t, form):
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


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def _union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _v_overlap(a: Box, b: Box) -> float:
    ov = min(a[3], b[3]) - max(a[1], b[1])
    return ov / max(1, min(a[3] - a[1], b[3] - b[1]))


def _area(b: Box) -> int:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _pad_and_finish(box: Box, size: tuple[int, int], reason: str) -> CropRegion | None:
    w, h = size
    px = max(PAD_MIN_PX, round(PAD_FRACTION * w))
    py = max(PAD_MIN_PX, round(PAD_FRACTION * h))
    out = (max(0, box[0] - px), max(0, box[1] - py), min(w, box[2] + px), min(h, box[3] + py))
    if out[2] - out[0] < 2 or out[3] - out[1] < 2:
        return None
    if _area(out) > MAX_AREA_FRACTION * w * h:
        return None
    return CropRegion(out, reason)


def _neighbourhood(line: OcrLine, lines: Sequence[OcrLine], include_left: bool) -> Box:
    """The line, the rest of its row to the right (values sit there), and the next line."""
    box = line.box
    h = max(1, box[3] - box[1])
    parts = [box]
    for other in lines:
        if other is line or _v_overlap(other.box, box) < 0.5:
            continue
        if other.box[0] >= box[0] or include_left:
            parts.append(other.box)
    row = _union(parts)
    below = [o for o in lines if o.box[1] >= row[3] - 0.3 * h and o.box[1] - row[3] <= 2.5 * h
             and min(o.box[2], row[2]) - max(o.box[0], row[0]) > 0]
    if below:
        nxt = min(below, key=lambda o: o.box[1])
        parts.extend(o.box for o in below if _v_overlap(o.box, nxt.box) >= 0.5
                     and min(o.box[2], row[2]) - max(o.box[0], row[0]) > 0)
    return _union(parts)


def _spatial_box(kinds: frozenset[str], content: Box) -> Box | None:
    x0, y0, x1, y1 = content
    w, h = x1 - x0, y1 - y0
    fx0, fy0, fx1, fy1 = 0.0, 0.0, 1.0, 1.0
    vertical = {"top", "bottom", "header", "footer", "title"} & kinds
    horizontal = {"left", "right"} & kinds
    # Halves overlap the middle by 5 % so a label straddling the centre line survives.
    if "header" in kinds or "title" in kinds:
        fy1 = 0.22
    elif "footer" in kinds:
        fy0 = 0.82
    elif "top" in kinds and "bottom" not in kinds:
        fy1 = 0.55
    elif "bottom" in kinds and "top" not in kinds:
        fy0 = 0.45
    if "left" in kinds and "right" not in kinds:
        fx1 = 0.55
    elif "right" in kinds and "left" not in kinds:
        fx0 = 0.45
    if "center" in kinds:
        if not horizontal:
            fx0, fx1 = 0.2, 0.8
        if not vertical:
            fy0, fy1 = 0.2, 0.8
    if (fx0, fy0, fx1, fy1) == (0.0, 0.0, 1.0, 1.0):
        return None
    return (x0 + int(fx0 * w), y0 + int(fy0 * h), x0 + round(fx1 * w), y0 + round(fy1 * h))


def _spatial_name(kinds: frozenset[str]) -> str:
    order = ["header", "footer", "title", "legend", "top", "bottom", "center", "left", "right"]
    return "-".join(k for k in order if k in kinds)


# --------------------------------------------------------------------------------------------
# Region selection
# --------------------------------------------------------------------------------------------


def select_crop_region(
    image: Image.Image, query: str, *, ocr: OcrResult | None = None
) -> CropRegion | None:
    """The region of ``image`` the ``query`` asks about, padded and trimmed, or ``None``.

    ``ocr`` (optional) enables matching query terms against the text on the image; without
    it only spatial words can select a region.

    Example::

        region = select_crop_region(img, "what's the total?", ocr=run_ocr(img))
        region = select_crop_region(chart, "Was zeigt die Legende oben rechts?")
        # CropRegion(box=(610, 20, 1200, 460), reason='top-right of the content ...')
    """
    if not query or not query.strip() or image.width < 2 or image.height < 2:
        return None
    size = image.size
    kinds = parse_spatial(query)
    lines: tuple[OcrLine, ...] = tuple(ln for ln in ocr.lines if ln.text.strip()) if ocr else ()
    if not kinds and not lines:
        return None  # nothing to go on; skip the pixel work
    content = content_bbox(image)
    if content is None:
        return None
    spatial = _spatial_box(kinds, content)

    # (a) OCR lines matching the query terms.
    if lines:
        terms = _query_terms(query)
        scored = [(s, ln) for ln in lines if (s := _line_score(ln.text, terms)) >= 0.9]
        if spatial is not None:
            # Both given ("the total at the bottom"): matches inside the named part win.
            scored = [(s, ln) for s, ln in scored if _centre_in(ln.box, spatial)]
        if scored:
            # Best score; ties go to the bigger text, then the lower line (grand totals and
            # signatures sit below their subtotals).
            s_best, best = max(scored, key=lambda sl: (sl[0], sl[1].box[3] - sl[1].box[1], sl[1].box[1]))
            by_number = bool(terms.numbers) and any(
                n in re.sub(r"\D", "", best.text) for n in terms.numbers if len(n) >= 2)
            box = _neighbourhood(best, lines, include_left=by_number)
            region = _pad_and_finish(box, size, f"OCR line matching the query (score {s_best:.1f})")
            if region is not None:
                return region

    # (b) spatial words.
    if spatial is None:
        return None
    region_box = spatial
    if "title" in kinds and lines:
        # The title is the largest text near the top.
        top = [ln for ln in lines if ln.box[1] < content[1] + 0.35 * (content[3] - content[1])]
        if top:
            big = max(top, key=lambda ln: (ln.box[3] - ln.box[1], -ln.box[1]))
            region_box = _neighbourhood(big, lines, include_left=True)
    elif lines:
        # Do not cut through text at the region's edge: take in lines mostly inside it.
        inside = [ln.box for ln in lines if _inside_fraction(ln.box, region_box) >= 0.5]
        if inside:
            region_box = _union([region_box, *inside])
    # (c) trim uniform margins inside the region.
    sub = image.crop(region_box)
    bb = content_bbox(sub)
    if bb is None:
        return None
    trimmed = (region_box[0] + bb[0], region_box[1] + bb[1], region_box[0] + bb[2], region_box[1] + bb[3])
    return _pad_and_finish(trimmed, size, f"{_spatial_name(kinds)} of the content")


def _centre_in(b: Box, region: Box) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def _inside_fraction(b: Box, region: Box) -> float:
    ix = max(0, min(b[2], region[2]) - max(b[0], region[0]))
    iy = max(0, min(b[3], region[3]) - max(b[1], region[1]))
    return ix * iy / max(1, _area(b))
