"""Router features: cheap image statistics from a thumbnail plus language-robust query features.

The vector layout is fixed by :data:`FEATURE_VERSION`; the shipped ONNX model records the version
it was trained with and the ONNX router refuses a model whose version differs (a silent layout
mismatch would give confident nonsense). Bump the version whenever any feature changes.

Layout (``FEATURE_NAMES`` lists every column)::

    [ image features (IMAGE_FEATURES) | query flags (QUERY_FLAGS) | char n-gram buckets (N_BUCKETS) ]

Image features are computed with numpy from the RGB thumbnail (long side <= 256 px) and the
original (displayed) size; they take well under a millisecond. Query features are hashed
character 1-4-grams over the lowercased, NFKC-normalised query (so languages without spaces
such as Chinese or Japanese work the same way as English), plus a few lexical flags from the
multilingual keyword lists below, which the rule-based router uses too.

Example::

    from PIL import Image
    from headroom_middleware.router.features import build_features, N_FEATURES
    thumb = Image.new("RGB", (256, 180), "white")
    vec = build_features(thumb, "summarise this document", original_size=(1700, 1200))
    assert vec.shape == (N_FEATURES,)
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL.Image import Image

FEATURE_VERSION = "hr-router-features-1"
"""Identifies the feature layout; stored in the model metadata and in ``models/router.json``."""

THUMBNAIL_MAX_SIDE = 256

IMAGE_FEATURES: tuple[str, ...] = (
    "aspect_log",  # log(w / h) of the original, clipped to [-3, 3]
    "log_megapixels",  # log2 of original megapixels, clipped to [-6, 6]
    "small_original",  # 1 when the original's long side is <= 512 px (nothing to save by shrinking)
    "edge_density",  # share of pixels whose |dx|+|dy| luminance gradient > 32
    "strong_edge",  # share of pixels with a very sharp horizontal step (|dx| > 96): glyph strokes
    "sharpness",  # strong_edge / edge_density: rendered text/UI are sharp, photos are soft
    "flat",  # share of pixels with gradient < 4: flat backgrounds of documents/UI
    "soft_texture",  # share of pixels with gradient 4..32: photo texture
    "hist_top1",  # share of the most common of 16 luminance bins (background uniformity)
    "hist_top2",  # share of the two most common bins (bimodality: ink + paper)
    "lum_entropy",  # entropy of the 16-bin luminance histogram / 4 bits
    "bg_luma",  # luminance of the dominant bin, 0..1 (dark-mode screenshots are low)
    "lum_mean",
    "lum_std",
    "near_white",  # share of pixels with all channels > 225
    "near_black",  # share of pixels with all channels < 30
    "ink",  # share of pixels far (> 64) from the background luminance
    "edge_per_ink",  # edge_density / ink: thin strokes (text) score high
    "sat_mean",  # HSV-like saturation (max-min)/max, mean
    "sat_std",
    "colour_bins",  # number of 3-bit-per-channel colour bins holding > 0.2% of pixels, / 64
    "colour_entropy",  # entropy of that 512-bin histogram / 9 bits
    "row_blank",  # share of rows without edges (gaps between text lines / paragraphs)
    "row_transitions",  # blank <-> inked row changes per 100 rows (text line rhythm)
    "col_blank",  # share of columns without edges (margins, gutters)
    "row_cv",  # coefficient of variation of per-row edge density
    "dx_dy_ratio",  # horizontal vs vertical gradient energy (text has many vertical strokes)
)

QUERY_FLAGS: tuple[str, ...] = (
    "q_empty",
    "q_len",  # log1p(characters) / 6
    "q_question",  # ends with / contains a question mark (any script)
    "q_digits",  # contains a digit
    "q_quote",  # contains a quotation mark: often "what does <X> say"
    "q_cjk",  # share of CJK / kana / hangul characters
    "kw_preserve",  # counting, exact small details, comparisons: needs full resolution
    "kw_crop",  # a named region or element: top right, legend, header, button ...
    "kw_transcode",  # the text is what matters: summarise, transcribe, translate, extract ...
    "kw_full_low",  # the gist: what is this, describe, what kind of ...
)

N_BUCKETS = 4096
"""Hashed character n-gram buckets (2**12)."""
NGRAM_RANGE = (1, 4)

N_IMAGE = len(IMAGE_FEATURES)
N_QUERY_FLAGS = len(QUERY_FLAGS)
N_FEATURES = N_IMAGE + N_QUERY_FLAGS + N_BUCKETS
FEATURE_NAMES: tuple[str, ...] = (
    *IMAGE_FEATURES,
    *QUERY_FLAGS,
    *(f"ng_{i}" for i in range(N_BUCKETS)),
)

# --------------------------------------------------------------------------------------------
# Multilingual keyword lists (en, de, fr, es, pt, it, nl, zh, ja, ko, ru).
# Latin/Cyrillic entries match at a word start (so "summar" matches summary/summarise/summarize);
# CJK entries match anywhere because those scripts have no spaces. Lowercase, NFKC.
# --------------------------------------------------------------------------------------------
KEYWORDS: dict[str, tuple[str, ...]] = {
    # Needs every pixel: counting, exact small details, fine print, comparing, defects.
    "preserve": (
        # en
        "how many", "count", "number of", "exact", "precise", "every ", "each ", "fine print",
        "small print", "tiny", "serial number", "zoom", "pixel", "scratch", "defect", "crack",
        "spot the difference", "compare", "difference between", "is there any", "are there any",
        "license plate", "licence plate", "measure", "in detail", "all the ", "list all", "subtle",
        # de
        "wie viele", "wieviele", "anzahl", "zähl", "genau", "exakt", "jede", "kleingedruckt",
        "seriennummer", "kratzer", "unterschied", "vergleich", "kennzeichen", "alle ",
        # fr
        "combien", "nombre de", "compte", "exact", "précis", "chaque", "petits caractères",
        "numéro de série", "rayure", "défaut", "différence", "compar", "plaque d'immatriculation",
        "tous les", "toutes les",
        # es
        "cuántos", "cuántas", "cuantos", "cuantas", "número de", "cuenta", "exacto", "exacta",
        "preciso", "cada ", "letra pequeña", "número de serie", "rayón", "defecto", "diferencia",
        "compara", "matrícula", "todos los", "todas las",
        # pt
        "quantos", "quantas", "número de", "conta", "exato", "exata", "preciso", "cada ",
        "letras miúdas", "número de série", "arranhão", "defeito", "diferença", "compar", "placa",
        # it
        "quanti", "quante", "numero di", "conta", "esatto", "esatta", "preciso", "ogni ",
        "caratteri piccoli", "numero di serie", "graffio", "difetto", "differenz", "confront",
        "targa", "tutti i", "tutte le",
        # nl
        "hoeveel", "aantal", "tel ", "exact", "precies", "elke ", "serienummer", "kras", "verschil",
        # ru
        "сколько", "количество", "посчитай", "подсчитай", "точн", "каждый", "каждая", "мелкий шрифт",
        "серийный номер", "царапин", "дефект", "различи", "разниц", "сравни", "номерной знак",
        # zh
        "多少", "几个", "几只", "几辆", "几块", "数一数", "数量", "精确", "准确", "每个", "每一",
        "小字", "序列号", "划痕", "缺陷", "区别", "不同", "比较", "车牌",
        # ja
        "いくつ", "何個", "何本", "何枚", "何人", "何台", "数えて", "個数", "正確", "細かい", "小さな文字",
        "シリアル番号", "傷", "欠陥", "違い", "比較", "ナンバープレート",
        # ko
        "몇 개", "몇개", "몇 명", "몇 대", "개수", "세어", "정확", "각각", "작은 글씨", "일련번호",
        "흠집", "결함", "차이", "비교", "번호판",
    ),
    # A named region or element of the image: answering needs that part at full detail only.
    "crop": (
        # en
        "top left", "top right", "bottom left", "bottom right", "upper left", "upper right",
        "lower left", "lower right", "top-left", "top-right", "bottom-left", "bottom-right",
        "corner", "legend", "header", "footer", "heading", "title of", "caption", "label on",
        "axis", "sidebar", "side bar", "menu", "toolbar", "button", "tab ", "badge", "tooltip",
        "error message", "dialog", "popup", "pop-up", "signature", "stamp", "logo", "watermark",
        "column header", "first row", "last row", "top of", "bottom of", "at the top", "at the bottom",
        "on the left", "on the right", "in the middle", "center of", "centre of", "the box",
        "highlighted", "circled", "the sign", "street sign", "the label",
        # de
        "oben links", "oben rechts", "unten links", "unten rechts", "ecke", "legende", "kopfzeile",
        "fußzeile", "überschrift", "beschriftung", "achse", "seitenleiste", "menü", "schaltfläche",
        "knopf", "fehlermeldung", "unterschrift", "stempel", "logo", "oben", "unten", "schild",
        # fr
        "en haut à gauche", "en haut à droite", "en bas à gauche", "en bas à droite", "coin",
        "légende", "en-tête", "pied de page", "titre", "axe", "barre latérale", "bouton",
        "message d'erreur", "signature", "tampon", "logo", "en haut", "en bas", "panneau",
        # es
        "arriba a la izquierda", "arriba a la derecha", "abajo a la izquierda", "abajo a la derecha",
        "esquina", "leyenda", "encabezado", "pie de página", "título", "eje", "barra lateral", "botón",
        "mensaje de error", "firma", "sello", "logotipo", "arriba", "abajo", "letrero", "cartel",
        # pt
        "canto superior", "canto inferior", "canto", "legenda", "cabeçalho", "rodapé", "título",
        "eixo", "barra lateral", "botão", "mensagem de erro", "assinatura", "carimbo", "em cima",
        "embaixo", "placa de rua",
        # it
        "in alto a sinistra", "in alto a destra", "in basso a sinistra", "in basso a destra",
        "angolo", "legenda", "intestazione", "piè di pagina", "titolo", "asse", "barra laterale",
        "pulsante", "messaggio di errore", "firma", "timbro", "in alto", "in basso", "cartello",
        # nl
        "linksboven", "rechtsboven", "linksonder", "rechtsonder", "hoek", "legenda", "koptekst",
        "voettekst", "knop", "foutmelding", "handtekening",
        # ru
        "в левом верхнем", "в правом верхнем", "в левом нижнем", "в правом нижнем", "углу", "угол",
        "легенд", "заголов", "колонтитул", "подпись", "оси", "боковой панели", "меню", "кнопк",
        "сообщение об ошибке", "печать", "логотип", "вверху", "внизу", "табличк",
        # zh
        "左上", "右上", "左下", "右下", "角落", "图例", "页眉", "页脚", "标题", "坐标轴", "侧边栏", "菜单",
        "按钮", "错误信息", "报错", "签名", "印章", "标志", "顶部", "底部", "路牌",
        # ja
        "左上", "右上", "左下", "右下", "隅", "凡例", "ヘッダー", "フッター", "見出し", "タイトル", "軸",
        "サイドバー", "メニュー", "ボタン", "エラーメッセージ", "署名", "印鑑", "ロゴ", "上部", "下部", "看板",
        # ko
        "왼쪽 위", "오른쪽 위", "왼쪽 아래", "오른쪽 아래", "모서리", "범례", "머리글", "바닥글", "제목",
        "축", "사이드바", "메뉴", "버튼", "오류 메시지", "에러 메시지", "서명", "도장", "로고", "상단",
        "하단", "표지판",
    ),
    # The text content is what matters: OCR text answers as well as the pixels.
    "transcode": (
        # en
        "summar", "transcribe", "transcript", "extract the text", "extract text", "extract all text",
        "ocr", "translate", "translation", "copy the text", "copy the code", "what does it say",
        "what does this say", "read the text", "read this", "read out", "convert to markdown",
        "markdown", "plain text", "as text", "rewrite", "proofread", "typo", "grammar", "paraphrase",
        "explain this code", "fix this code", "fix the code", "bug in", "refactor", "the code",
        "convert to csv", "csv", "json", "key points", "tl;dr", "tldr", "main points", "the total",
        "line items", "what is the total", "invoice number", "due date",
        # de
        "zusammenfass", "fasse", "zusammen", "transkrib", "abschreib", "text extrahier", "übersetz", "was steht",
        "lies den text", "vorlesen", "kopier", "code erklär", "fehler im code", "als text",
        "kernpunkte", "gesamtbetrag", "summe",
        # fr
        "résum", "resum", "transcri", "extrai", "tradui", "traduction", "que dit", "qu'est-ce qui est écrit",
        "lis le texte", "copie le texte", "explique ce code", "corrige ce code", "en texte",
        "points clés", "montant total",
        # es
        "resum", "transcrib", "extrae el texto", "extraer el texto", "traduc", "qué dice", "que dice",
        "lee el texto", "copia el texto", "explica este código", "corrige este código", "puntos clave",
        "importe total",
        # pt
        "resum", "transcrev", "extraia o texto", "extrair o texto", "traduz", "tradução", "o que diz",
        "leia o texto", "copie o texto", "explique este código", "corrija este código", "pontos principais",
        "valor total",
        # it
        "riassum", "riassunto", "trascriv", "estrai il testo", "tradu", "cosa dice", "leggi il testo",
        "copia il testo", "spiega questo codice", "correggi questo codice", "punti chiave", "importo totale",
        # nl
        "samenvat", "vat samen", "transcribeer", "vertaal", "wat staat er", "lees de tekst",
        # ru
        "кратко", "резюм", "перескаж", "суммируй", "транскриб", "извлеки текст", "распознай текст",
        "переведи", "перевод", "что написано", "прочитай", "скопируй", "объясни этот код",
        "исправь код", "ошибку в коде", "итог", "общая сумма",
        # zh
        "总结", "概括", "摘要", "转录", "提取文字", "提取文本", "识别文字", "翻译", "写了什么", "写的什么",
        "读一下", "复制", "解释这段代码", "这段代码", "修复", "代码", "要点", "总金额", "合计", "总计",
        # ja
        "要約", "まとめ", "書き起こ", "文字起こ", "テキストを抽出", "抽出", "翻訳", "何と書いて",
        "なんて書いて", "読んで", "コピー", "このコード", "コードを説明", "修正", "要点", "合計",
        # ko
        "요약", "정리해", "받아쓰", "텍스트 추출", "텍스트를 추출", "번역", "뭐라고 쓰", "무엇이라고",
        "읽어", "복사", "이 코드", "코드를 설명", "수정", "핵심", "합계", "총액",
    ),
    # The gist of the whole image: a low-detail version answers.
    "full_low": (
        # en
        "what is this", "what's this", "what is in this", "what's in this", "describe", "description",
        "what kind of", "what type of", "what sort of", "is this a", "is it a", "identify",
        "what breed", "what colour", "what color", "mood", "atmosphere", "overall", "general",
        "gist", "at a glance", "roughly", "what place", "where was this", "what season", "vibe",
        "style of", "what genre", "alt text", "caption this", "is it day", "is it night", "weather",
        # de
        "was ist das", "was ist auf", "beschreib", "was für ein", "welche art", "ist das ein",
        "welche farbe", "stimmung", "insgesamt", "allgemein", "ungefähr", "wo wurde",
        # fr
        "qu'est-ce que c'est", "c'est quoi", "décri", "decri", "quel genre", "quel type", "est-ce un",
        "quelle couleur", "ambiance", "globalement", "en général", "où a été",
        # es
        "qué es esto", "que es esto", "describe", "descríbe", "qué tipo", "que tipo", "es esto un",
        "qué color", "ambiente", "en general", "dónde se", "de qué trata",
        # pt
        "o que é isto", "o que é isso", "descreva", "descrev", "que tipo", "que cor",
        "clima", "no geral", "onde foi",
        # it
        "cos'è", "cosa è", "che cos'è", "descrivi", "descrizione", "che tipo", "che colore",
        "atmosfera", "in generale", "dove è stata",
        # nl
        "wat is dit", "beschrijf", "wat voor", "welke kleur", "sfeer",
        # ru
        "что это", "что изображено", "опиши", "описание", "какой тип", "какого типа", "это ли", "какого цвета",
        "атмосфер", "в целом", "где сделан",
        # zh
        "这是什么", "这是啥", "描述", "什么类型", "哪种", "什么颜色", "氛围", "整体", "大概", "在哪里拍",
        # ja
        "これは何", "説明して", "描写", "どんな種類", "何色", "雰囲気", "全体",
        "だいたい", "どこで撮",
        # ko
        "이게 뭐", "이것은 무엇", "설명해", "묘사", "어떤 종류", "무슨 색", "분위기", "전체적",
        "대략", "어디서 찍",
    ),
}

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_QUESTION = ("?", "？", ";")  # ";" is the Greek question mark after NFKC


def _is_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    # Latin/Cyrillic: must start at a word boundary (avoids "all" in "small"); CJK: anywhere.
    alts = []
    for w in sorted(set(words), key=len, reverse=True):
        norm = unicodedata.normalize("NFKC", w).lower()
        alts.append(re.escape(norm) if _is_cjk(norm) else r"\b" + re.escape(norm))
    return re.compile("|".join(alts))


_KW_PATTERNS: dict[str, re.Pattern[str]] = {k: _compile(v) for k, v in KEYWORDS.items()}


def normalize_query(query: str | None) -> str:
    """NFKC-normalise, lowercase and collapse whitespace; ``None`` becomes ``""``.

    Example::

        assert normalize_query("  Ｓｕｍｍａｒｉｓｅ\\nTHIS ") == "summarise this"
    """
    if not query:
        return ""
    return " ".join(unicodedata.normalize("NFKC", query).lower().split())


def keyword_hits(query: str | None) -> dict[str, int]:
    """Number of keyword matches per category (preserve / crop / transcode / full_low).

    Example::

        assert keyword_hits("How many screws are there?")["preserve"] >= 1
    """
    q = normalize_query(query)
    return {k: len(p.findall(q)) for k, p in _KW_PATTERNS.items()}


@lru_cache(maxsize=1024)
def _query_part(q: str) -> tuple[tuple[float, ...], tuple[tuple[int, float], ...]]:
    """Flags and sparse n-gram buckets of one normalised query (cached: a request repeats it)."""
    hits = {k: len(p.findall(q)) for k, p in _KW_PATTERNS.items()}
    n_cjk = len(_CJK_RE.findall(q))
    flags = (
        1.0 if not q else 0.0,
        math.log1p(len(q)) / 6.0,
        1.0 if any(c in q for c in _QUESTION) else 0.0,
        1.0 if any(c.isdigit() for c in q) else 0.0,
        1.0 if any(c in q for c in "\"'“”„«»「」『』") else 0.0,
        n_cjk / len(q) if q else 0.0,
        min(hits["preserve"], 3) / 3.0,
        min(hits["crop"], 3) / 3.0,
        min(hits["transcode"], 3) / 3.0,
        min(hits["full_low"], 3) / 3.0,
    )
    counts: dict[int, int] = {}
    if q:
        padded = f" {q} "  # word-boundary n-grams carry most of the signal in spaced languages
        lo, hi = NGRAM_RANGE
        # n-grams over characters (not bytes), hashed with crc32: stable across processes and
        # Python versions, unlike hash() which is salted per process.
        chars = list(padded)
        for n in range(lo, hi + 1):
            salt = n.to_bytes(1, "little")
            for i in range(len(chars) - n + 1):
                gram = "".join(chars[i : i + n]).encode("utf-8", "surrogatepass")
                b = zlib.crc32(salt + gram) & (N_BUCKETS - 1)
                counts[b] = counts.get(b, 0) + 1
    # L2-normalised counts: long and short queries get comparable magnitudes.
    norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
    sparse = tuple(sorted((b, c / norm) for b, c in counts.items()))
    return flags, sparse


def query_features(query: str | None) -> tuple[tuple[float, ...], tuple[tuple[int, float], ...]]:
    """``(flags, sparse_ngrams)`` of a query: QUERY_FLAGS values and (bucket, weight) pairs.

    Example::

        flags, grams = query_features("这张图是什么？")
        assert len(flags) == len(QUERY_FLAGS) and grams
    """
    return _query_part(normalize_query(query))


def _entropy(p: Any) -> float:
    import numpy as np

    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def image_features(thumb: Image, original_size: tuple[int, int] | None = None) -> np.ndarray:
    """IMAGE_FEATURES of an RGB thumbnail as a float32 vector (no NaN, even for 1x1 images).

    ``original_size`` is the displayed size of the real image (defaults to the thumbnail size).

    Example::

        from PIL import Image
        v = image_features(Image.new("RGB", (200, 100), "white"), (2000, 1000))
        assert v.shape == (len(IMAGE_FEATURES),)
    """
    import numpy as np
    from PIL import Image as PILImage

    img = thumb
    if max(img.size) > THUMBNAIL_MAX_SIDE:
        img = img.copy()
        img.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE), PILImage.Resampling.BILINEAR)
    if img.mode != "RGB":
        if "A" in img.mode or img.mode == "P":
            rgba = img.convert("RGBA")
            bg = PILImage.new("RGB", img.size, (255, 255, 255))
            bg.paste(rgba, mask=rgba.getchannel("A"))
            img = bg
        else:
            img = img.convert("RGB")
    w0, h0 = original_size if original_size else img.size
    w0, h0 = max(1, int(w0)), max(1, int(h0))

    rgb = np.asarray(img)
    lum = img.convert("L")  # PIL's C conversion is faster than a numpy weighted sum
    gray = np.asarray(lum, dtype=np.int16)
    h, w = gray.shape
    n = float(h * w)
    out = np.zeros(len(IMAGE_FEATURES), dtype=np.float32)
    out[0] = max(-3.0, min(3.0, math.log(w0 / h0)))
    out[1] = max(-6.0, min(6.0, math.log2(w0 * h0 / 1e6)))
    out[2] = 1.0 if max(w0, h0) <= 512 else 0.0

    # Gradients on the common (h-1, w-1) grid.
    if h >= 2 and w >= 2:
        dx = np.abs(np.diff(gray, axis=1))[:-1, :]
        dy = np.abs(np.diff(gray, axis=0))[:, :-1]
        mag = dx + dy
        edges = mag > 32
        m = float(mag.size)
        edge_density = float(np.count_nonzero(edges)) / m
        strong = float(np.count_nonzero(dx > 96)) / m
        flat = float(np.count_nonzero(mag < 4)) / m
        dx_sum, dy_sum = float(dx.sum()), float(dy.sum())
        # add.reduce with an explicit dtype is ~2x faster than mean() on booleans
        row = np.add.reduce(edges, axis=1, dtype=np.int32) / float(edges.shape[1])
        col = np.add.reduce(edges, axis=0, dtype=np.int32) / float(edges.shape[0])
        row_blank_mask = row < 0.01
        row_blank = float(row_blank_mask.mean())
        row_trans = float(np.count_nonzero(row_blank_mask[1:] != row_blank_mask[:-1])) * 100.0 / len(row)
        col_blank = float((col < 0.01).mean())
        rmean = float(row.mean())
        row_cv = float(row.std()) / rmean if rmean > 1e-6 else 0.0
    else:
        edge_density = strong = dx_sum = dy_sum = row_blank = row_trans = col_blank = row_cv = 0.0
        flat = 1.0
    out[3] = edge_density
    out[4] = strong
    out[5] = strong / edge_density if edge_density > 1e-6 else 0.0
    out[6] = flat
    out[7] = max(0.0, 1.0 - flat - edge_density)
    # One 256-bin histogram (PIL, C) gives the 16-bin histogram, mean and std without more passes.
    h256 = np.asarray(lum.histogram(), dtype=np.float64) / n
    hist = h256.reshape(16, 16).sum(axis=1)
    levels = np.arange(256, dtype=np.float64)
    lum_mean = float(h256 @ levels)
    lum_var = max(0.0, float(h256 @ (levels * levels)) - lum_mean * lum_mean)
    order = np.argsort(hist)
    out[8] = hist[order[-1]]
    out[9] = hist[order[-1]] + hist[order[-2]]
    out[10] = _entropy(hist) / 4.0
    bg_bin = int(order[-1])
    bg_level = bg_bin * 16 + 8
    out[11] = bg_level / 255.0
    out[12] = lum_mean / 255.0
    out[13] = math.sqrt(lum_var) / 128.0
    # Colour statistics on a 2x-subsampled grid: same statistics, a quarter of the work.
    sub = rgb[::2, ::2] if h >= 4 and w >= 4 else rgb
    r, g, b = sub[..., 0], sub[..., 1], sub[..., 2]
    # elementwise max/min over the three planes: ~20x faster than .max(axis=2)
    mx = np.maximum(np.maximum(r, g), b).astype(np.int16)
    mn = np.minimum(np.minimum(r, g), b).astype(np.int16)
    ns = float(mx.size)
    out[14] = float(np.count_nonzero(mn > 225)) / ns
    out[15] = float(np.count_nonzero(mx < 30)) / ns
    ink = float(np.count_nonzero(np.abs(gray - bg_level) > 64)) / n
    out[16] = ink
    out[17] = min(10.0, edge_density / ink) if ink > 1e-4 else 0.0
    sat = (mx - mn).astype(np.float32) / np.maximum(mx, 1).astype(np.float32)
    out[18] = float(sat.mean())
    out[19] = float(sat.std())
    codes = ((r >> 5).astype(np.int16) << 6) | ((g >> 5).astype(np.int16) << 3) | (b >> 5)
    chist = np.bincount(codes.ravel(), minlength=512).astype(np.float64) / ns
    out[20] = float(np.count_nonzero(chist > 0.002)) / 64.0
    out[21] = _entropy(chist) / 9.0
    out[22] = row_blank
    out[23] = row_trans / 10.0
    out[24] = col_blank
    out[25] = min(row_cv, 5.0)
    out[26] = dx_sum / (dx_sum + dy_sum) if dx_sum + dy_sum > 0 else 0.5
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def build_features(
    thumb: Image, query: str | None, original_size: tuple[int, int] | None = None
) -> np.ndarray:
    """The full dense feature vector (float32, shape ``(N_FEATURES,)``) of one decision.

    Example::

        vec = build_features(thumb, "how many screws are on the table?", (4032, 3024))
    """
    import numpy as np

    vec = np.zeros(N_FEATURES, dtype=np.float32)
    vec[:N_IMAGE] = image_features(thumb, original_size)
    flags, sparse = query_features(query)
    vec[N_IMAGE : N_IMAGE + N_QUERY_FLAGS] = flags
    if sparse:
        idx = np.fromiter((N_IMAGE + N_QUERY_FLAGS + b for b, _ in sparse), dtype=np.int64, count=len(sparse))
        vals = np.fromiter((v for _, v in sparse), dtype=np.float32, count=len(sparse))
        vec[idx] = vals
    return vec


def feature_layout() -> dict[str, Any]:
    """The layout description stored next to the model (``models/router.json``).

    Example::

        layout = feature_layout()
        assert layout["n_features"] == N_FEATURES
    """
    return {
        "feature_version": FEATURE_VERSION,
        "n_features": N_FEATURES,
        "image_features": list(IMAGE_FEATURES),
        "query_flags": list(QUERY_FLAGS),
        "ngram_buckets": N_BUCKETS,
        "ngram_range": list(NGRAM_RANGE),
        "hash": "zlib.crc32(bytes([n]) + utf8(gram)) & (buckets - 1), over ' ' + NFKC-lowercased query + ' '",
    }
