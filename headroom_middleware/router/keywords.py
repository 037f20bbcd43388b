"""Multilingual keyword lists of the router: what a query asks for, per technique.

Used by the rule-based router directly and by the ONNX model as a few lexical flags (the
model's main query input is hashed character n-grams, see :mod:`.query_features`).

Example::

    from headroom_middleware.router.keywords import keyword_hits
    assert keyword_hits("How many screws are there?")["preserve"] >= 1
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["KEYWORDS", "QUALITY_KEYWORDS", "asks_about_quality", "asks_nothing", "is_cjk", "keyword_counts",
           "keyword_hits", "normalize_query"]

# --------------------------------------------------------------------------------------------
# Multilingual keyword lists (en, de, fr, es, pt, it, nl, ru, zh, ja, ko, pl, uk, tr, sv, id, vi, ar, hi).
# Latin/Cyrillic entries match at a word start (so "summar" matches summary/summarise/summarize);
# CJK entries match anywhere because those scripts have no spaces. Lowercase, NFKC.
# --------------------------------------------------------------------------------------------
KEYWORDS: dict[str, tuple[str, ...]] = {
    # Needs every pixel: counting, exact values, small or faint details, states of tiny controls,
    # handwriting/signatures/stamps, defects, alignment and typography, following arrows.
    "preserve": (
        # en
        "how many", "count", "number of", "exact", "precise", "every ", "each ", "fine print",
        "small print", "tiny", "serial", "zoom", "pixel", "scratch", "defect", "crack", "dent", "stain",
        "spot the difference", "compare", "difference between", "license plate", "licence plate",
        "measure", "in detail", "list all", "subtle", "handwrit", "by hand", "signature", "signed",
        "stamp", "checkbox", "check box", "ticked", "checked", "toggle", "switch on", "radio button",
        "selected", "highlighted", "aligned", "alignment", "misaligned", "font", "bold", "italic",
        "underlined", "kerning", "spacing", "indent", "tabs or spaces", "tabs vs spaces", "arrow",
        "faded", "blurry", "barely", "small text", "tiny text", "decimal", "digit", "value of",
        "values", "tick", "gridline", "pixelated", "jagged", "antialias", "dust", "bubble", "tampered",
        "inspect", "closely", "close look", "look carefully", "real or fake", "fake", "genuine", "authentic",
        "counterfeit", "ai-generated", "ai generated", "photoshop", "edited", "rust", "bruise", "mold",
        "mould", "stripped", "intact", "damage", "broken", "faint", "light grey", "crossed out",
        "strikethrough", "struck through", "overwritten", "highlighted in", "in red", "marked red",
        "on or off", "enabled", "disabled", "switched on", "online dot", "wearing", "annotation",
        "footnote", "porosity", "stitching", "symmetric", "qr code", "barcode", "scannable",
        "word for word", "verbatim", "exactly", "small", "little", "icon", "imei", "room number",
        "bus number", "jersey number", "serial no", "model number", "part number", "expiry", "expiration",
        "best before", "clock", "what time does", "reflection", "in the background", "far away",
        "distant", "partially hidden", "blurred", "hard to read", "hard to see",
        # de
        "wie viele", "wieviele", "anzahl", "zähl", "genau", "exakt", "jede", "kleingedruckt",
        "seriennummer", "kratzer", "unterschied", "vergleich", "kennzeichen", "handschrift",
        "unterschrift", "unterschrieben", "stempel", "angekreuzt", "häkchen", "kontrollkästchen",
        "schriftart", "fett", "pfeil", "ausgerichtet", "werte", "riss", "risse", "prüf", "echt",
        "gefälscht", "rost", "beschädigt", "durchgestrichen", "überschrieben", "markiert", "rot markiert",
        "an oder aus", "aktiviert", "fußnote", "klein", "symbol", "uhr", "haltbar",
        # fr
        "combien", "nombre de", "compte", "exact", "précis", "chaque", "petits caractères",
        "numéro de série", "rayure", "défaut", "différence", "compar", "plaque d'immatriculation",
        "manuscrit", "à la main", "signature", "signé", "tampon", "case cochée", "cochée", "coché",
        "police", "gras", "flèche", "aligné", "valeurs", "fissure", "inspecte", "vrai ou faux",
        "contrefaçon", "rouille", "abîmé", "barré", "surlign", "en rouge", "activé", "note de bas de page",
        "petit", "petite", "icône", "horloge", "date limite",
        # es
        "cuántos", "cuántas", "cuantos", "cuantas", "número de", "cuenta", "exacto", "exacta",
        "preciso", "cada ", "letra pequeña", "número de serie", "rayón", "arañazo", "defecto",
        "diferencia", "compara", "matrícula", "a mano", "manuscrit", "firma", "sello", "casilla",
        "marcada", "marcado", "fuente", "negrita", "flecha", "alineado", "valores", "grieta",
        "inspecciona", "falso", "auténtico", "óxido", "dañado", "tachad", "resaltad", "en rojo",
        "activado", "nota al pie", "pequeñ", "icono", "reloj", "caducidad",
        # pt
        "quantos", "quantas", "número de", "conta", "exato", "exata", "preciso", "cada ",
        "letras miúdas", "número de série", "arranhão", "defeito", "diferença", "compar", "placa do carro",
        "à mão", "manuscrit", "assinatura", "assinado", "carimbo", "marcada", "marcado", "fonte",
        "negrito", "seta", "alinhado", "valores", "rachadura", "inspecione", "falso", "autêntico",
        "ferrugem", "danificad", "riscad", "destacad", "em vermelho", "ativado", "validade", "pequen",
        "ícone", "relógio",
        # it
        "quanti", "quante", "numero di", "conta", "esatto", "esatta", "preciso", "ogni ",
        "caratteri piccoli", "numero di serie", "graffio", "difetto", "differenz", "confront",
        "targa", "a mano", "firma", "firmato", "timbro", "spuntat", "casella", "carattere",
        "grassetto", "freccia", "allineat", "valori", "crepa", "ispeziona", "falso", "autentic",
        "ruggine", "danneggiat", "barrat", "evidenziat", "in rosso", "attivo", "etichetta", "piccol",
        "icona", "orologio", "scadenza",
        # nl
        "hoeveel", "aantal", "tel ", "exact", "precies", "elke ", "serienummer", "kras", "verschil",
        "handtekening", "stempel", "aangevinkt", "pijl",
        # ru
        "сколько", "количество", "посчитай", "подсчитай", "точн", "каждый", "каждая", "мелкий шрифт",
        "серийный номер", "царапин", "дефект", "различи", "разниц", "сравни", "номерной знак",
        "от руки", "рукопис", "подпис", "печать", "штамп", "галочк", "отмечен", "флажок", "шрифт",
        "жирн", "стрелк", "выровн", "значени", "трещин", "осмотри", "подделк", "настоящ", "ржавч",
        "вмятин", "поврежд", "зачеркн", "выделен", "красн", "включен", "сноск", "маленьк", "мелк",
        "значок", "иконк", "часы", "срок годности",
        # zh
        "多少", "几个", "几只", "几辆", "几块", "几条", "几项", "数一数", "数量", "精确", "准确", "每个", "每一",
        "小字", "序列号", "划痕", "缺陷", "区别", "不同", "比较", "车牌", "手写", "签名", "签字", "印章",
        "盖章", "勾选", "复选框", "字体", "加粗", "箭头", "对齐", "数值", "裂缝", "裂纹", "仔细", "真假",
        "假的", "生锈", "损坏", "划掉", "涂改", "标红", "红色", "开关", "打开还是关闭", "脚注", "小的",
        "小标", "小牌", "图标", "时钟", "保质期", "有效期",
        # ja
        "いくつ", "何個", "何本", "何枚", "何人", "何台", "何件", "数えて", "個数", "正確", "細かい", "小さな文字",
        "シリアル番号", "傷", "欠陥", "違い", "比較", "ナンバープレート", "手書き", "署名", "サイン", "印鑑",
        "ハンコ", "チェック", "フォント", "太字", "矢印", "揃って", "数値", "ひび", "よく見て", "本物",
        "偽物", "錆", "さび", "損傷", "取り消し線", "赤く", "オンかオフ", "脚注", "時計", "指して", "小さ",
        "アイコン", "賞味期限", "消費期限",
        # ko
        "몇 개", "몇개", "몇 명", "몇 대", "개수", "세어", "정확", "각각", "작은 글씨", "일련번호",
        "흠집", "결함", "차이", "비교", "번호판", "손글씨", "자필", "서명", "도장", "체크", "글꼴", "굵은",
        "화살표", "정렬", "수치", "금이", "자세히", "진짜", "가짜", "녹슬", "손상", "취소선", "빨간",
        "켜져", "꺼져", "각주", "유통기한", "작은", "아이콘", "시계",
        # pl
        "ile jest", "ile ", "policz", "liczba", "dokładn", "każd", "drobny druk", "numer seryjny", "rysa", "rysy",
        "zarysowa", "wada", "różnic", "porówn", "tablica rejestracyjna", "odręczn", "podpis", "pieczątk",
        "pieczęć", "zaznaczon", "pole wyboru", "czcionk", "pogrubion", "strzałk", "wyrówna", "wartości",
        "pęknię", "ostry", "ostre", "rozmyt", "nieostr", "szum", "piksel", "uszkodz", "przekreśl", "podświetl",
        "na czerwono", "włączon", "wyłączon", "przypis", "mały", "mała", "małe", "ikon", "zegar",
        "termin ważności", "jakość",
        # uk
        "скільки", "кількість", "порахуй", "точн", "кожн", "дрібний шрифт", "серійний номер", "подряпин",
        "дефект", "різниц", "порівня", "номерний знак", "від руки", "рукопис", "підпис", "печатк", "штамп",
        "галочк", "позначен", "шрифт", "жирн", "стрілк", "вирівн", "значенн", "тріщин", "підробк", "справжн",
        "іржа", "пошкодж", "закресл", "виділен", "червон", "увімкн", "вимкн", "виноск", "маленьк", "дрібн",
        "значок", "іконк", "годинник", "термін придатності", "різк", "розмит", "шум", "якість",
        # ru
        "резк", "размыт", "шум", "качеств", "пиксел",
        # tr
        "kaç", "sayısı", "tam olarak", "kesin", "her bir", "küçük yazı", "seri numara", "çizik", "kusur",
        "fark", "karşılaştır", "plaka", "el yazısı", "imza", "mühür", "kaşe", "işaretli", "onay kutusu",
        "yazı tipi", "kalın", "ok işareti", "hizalı", "değerleri", "çatlak", "sahte", "orijinal mi", "hasar",
        "üstü çizili", "vurgulan", "kırmızı", "açık mı kapalı mı", "dipnot", "küçük", "simge", "son kullanma",
        "net mi", "bulanık", "keskin", "gürültü", "piksel", "kalite",
        # sv
        "hur många", "antal", "räkna", "exakt", "varje", "finstilt", "serienummer",
        "defekt", "skillnad", "jämför", "registreringsskylt", "handskriv", "för hand", "underskrift",
        "stämpel", "ikryssad", "kryssruta", "typsnitt", "teckensnitt", "fetstil", "justerad",
        "värden", "spricka", "sprickor", "äkta", "förfalsk", "skadad", "skador", "överstruk", "markerad",
        "i rött", "påslagen", "avstängd", "fotnot", "liten", "litet", "små", "ikon", "klocka", "bäst före",
        "skarp", "suddig", "pixel", "kvalitet",
        # id
        "berapa banyak", "ada berapa", "hitung", "setiap", "tulisan kecil", "nomor seri", "goresan",
        "cacat", "perbedaan", "bandingkan", "pelat nomor", "tulisan tangan", "tanda tangan", "stempel",
        "dicentang", "kotak centang", "jenis huruf", "tebal", "panah", "nilai", "asli", "palsu",
        "karat", "rusak", "dicoret", "disorot", "merah", "catatan kaki", "kecil", "ikon", "kedaluwarsa",
        "tajam", "buram", "kualitas", "piksel",
        # vi
        "bao nhiêu", "mấy", "đếm", "số lượng", "chính xác", "mỗi", "từng", "chữ nhỏ", "số sê-ri", "số seri",
        "vết xước", "trầy", "khác biệt", "khác nhau", "so sánh", "biển số", "chữ viết tay", "viết tay",
        "chữ ký", "con dấu", "đánh dấu", "phông chữ", "in đậm", "mũi tên", "căn chỉnh", "giá trị", "vết nứt",
        "thật hay giả", "rỉ sét", "hư hỏng", "gạch bỏ", "tô sáng", "màu đỏ", "bật hay tắt", "nhỏ", "biểu tượng",
        "đồng hồ", "hạn sử dụng", "sắc nét", "mờ", "nhiễu", "điểm ảnh", "chất lượng",
        # ar
        "كم عدد", "كم ", "احسب", "بالضبط", "دقيق", "كل ", "الخط الصغير", "الرقم التسلسلي", "خدش", "عيب",
        "الفرق", "فرق", "قارن", "لوحة السيارة", "بخط اليد", "مكتوب باليد", "توقيع", "التوقيع", "ختم", "الختم",
        "مربع الاختيار", "عريض", "سهم", "السهم", "محاذا", "القيم", "حقيقي", "مزيف", "صدأ", "تالف", "مشطوب",
        "مظلل", "باللون الأحمر", "مفعل", "حاشية", "صغير", "أيقونة", "ساعة", "تاريخ الانتهاء", "ضبابي", "مشوش",
        "ضوضاء", "بكسل", "جودة",
        # hi
        "कितने", "कितनी", "गिनती", "गिनो", "गिनें", "संख्या", "सटीक", "ठीक-ठीक", "हर एक", "प्रत्येक",
        "छोटे अक्षर", "सीरियल नंबर", "खरोंच", "दोष", "अंतर", "फ़र्क", "फर्क", "तुलना", "नंबर प्लेट",
        "हाथ से लिखा", "हस्तलिखित", "हस्ताक्षर", "मोहर", "मुहर", "चेकबॉक्स", "फ़ॉन्ट", "फॉन्ट", "बोल्ड", "तीर",
        "संरेखित", "दरार", "असली", "नकली", "क्षतिग्रस्त", "हाइलाइट", "लाल रंग", "चालू", "फ़ुटनोट", "छोटा",
        "छोटी", "आइकन", "घड़ी", "समाप्ति", "धुंधला", "धुंधली", "शोर", "पिक्सेल", "गुणवत्ता",
    ),
    # One locatable region or element: a corner/side, header/footer/title/legend, a toast, a total.
    "crop": (
        # en
        "top left", "top right", "bottom left", "bottom right", "upper left", "upper right",
        "lower left", "lower right", "top-left", "top-right", "bottom-left", "bottom-right",
        "corner", "legend", "header", "footer", "heading", "title", "caption", "axis label",
        "sidebar", "side bar", "status bar", "toolbar", "tab bar", "nav bar", "navigation bar",
        "toast", "banner", "tooltip", "badge", "letterhead", "logo", "watermark",
        "top of", "bottom of", "at the top", "at the bottom", "on the left", "on the right",
        "in the middle", "center of", "centre of", "left side", "right side", "under the", "below the",
        "above the", "next to the", "margin", "first row", "last row", "first column", "last column",
        "total", "subtotal", "the sign", "street sign", "page number", "far end", "far left", "far right",
        "the left one", "the right one", "bottom section", "top section", "first line", "last line",
        "first bullet", "last bullet", "first paragraph", "last paragraph", "signature block",
        # de
        "oben links", "oben rechts", "unten links", "unten rechts", "ecke", "legende", "kopfzeile",
        "fußzeile", "überschrift", "titel", "achsenbeschriftung", "seitenleiste", "statusleiste",
        "briefkopf", "oben", "unten", "links", "rechts", "unter dem", "über dem", "neben dem",
        "gesamtbetrag", "summe", "schild", "seitenzahl",
        # fr
        "en haut à gauche", "en haut à droite", "en bas à gauche", "en bas à droite", "coin",
        "légende", "en-tête", "pied de page", "titre", "barre latérale", "barre d'état", "en haut",
        "en bas", "à gauche", "à droite", "sous le", "sous la", "au-dessus", "à côté", "montant total",
        "total", "panneau", "numéro de page",
        # es
        "arriba a la izquierda", "arriba a la derecha", "abajo a la izquierda", "abajo a la derecha",
        "esquina", "leyenda", "encabezado", "pie de página", "título", "barra lateral", "barra de estado",
        "arriba", "abajo", "a la izquierda", "a la derecha", "debajo", "encima", "al lado", "total",
        "letrero", "cartel", "número de página",
        # pt
        "canto superior", "canto inferior", "canto", "legenda", "cabeçalho", "rodapé", "título",
        "barra lateral", "barra de status", "em cima", "embaixo", "em baixo", "à esquerda", "à direita",
        "abaixo", "acima", "ao lado", "total", "placa de rua",
        # it
        "in alto a sinistra", "in alto a destra", "in basso a sinistra", "in basso a destra",
        "angolo", "legenda", "intestazione", "piè di pagina", "titolo", "barra laterale", "in alto",
        "in basso", "a sinistra", "a destra", "sotto il", "sotto la", "sopra", "accanto", "totale",
        "cartello",
        # nl
        "linksboven", "rechtsboven", "linksonder", "rechtsonder", "hoek", "legenda", "koptekst",
        "voettekst", "titel", "bovenaan", "onderaan", "totaal",
        # ru
        "в левом верхнем", "в правом верхнем", "в левом нижнем", "в правом нижнем", "углу", "угол",
        "легенд", "заголов", "колонтитул", "названи", "боковой панели", "строке состояния", "вверху",
        "внизу", "слева", "справа", "под ", "над ", "рядом с", "итог", "общая сумма", "табличк",
        # zh
        "左上", "右上", "左下", "右下", "角落", "图例", "页眉", "页脚", "标题", "侧边栏", "状态栏", "顶部",
        "底部", "最下面", "最上面", "左边", "右边", "左侧", "右侧", "下方", "上方", "旁边", "总金额",
        "合计", "总计", "路牌", "页码",
        # ja
        "左上", "右上", "左下", "右下", "隅", "凡例", "ヘッダー", "フッター", "見出し", "タイトル",
        "サイドバー", "ステータスバー", "上部", "下部", "一番下", "一番上", "左側", "右側", "の下",
        "の上", "の横", "合計", "看板", "ページ番号", "左の", "右の", "最初の", "最後の",
        # ko
        "왼쪽 위", "오른쪽 위", "왼쪽 아래", "오른쪽 아래", "모서리", "범례", "머리글", "바닥글", "제목",
        "사이드바", "상태 표시줄", "상단", "하단", "맨 아래", "맨 위", "왼쪽", "오른쪽", "아래에", "위에",
        "옆에", "합계", "총액", "표지판", "페이지 번호",
        # pl
        "lewy górny", "prawy górny", "lewy dolny", "prawy dolny", "w lewym górnym", "w prawym górnym",
        "w lewym dolnym", "w prawym dolnym", "róg", "rogu", "legend", "nagłówek", "nagłówk", "stopk", "tytuł",
        "pasek boczny", "pasek stanu", "na górze", "u góry", "na dole", "u dołu", "po lewej", "po prawej",
        "pod ", "nad ", "obok", "suma", "razem", "łącznie", "do zapłaty", "tabliczk", "szyld", "numer strony",
        # uk
        "у лівому верхньому", "у правому верхньому", "у лівому нижньому", "у правому нижньому", "кут", "куті",
        "легенд", "заголов", "колонтитул", "назв", "бічній панелі", "рядку стану", "вгорі", "угорі", "внизу",
        "знизу", "ліворуч", "праворуч", "зліва", "справа", "під ", "над ", "поруч", "біля", "разом", "підсумок",
        "загальна сума", "табличк", "номер сторінки",
        # tr
        "sol üst", "sağ üst", "sol alt", "sağ alt", "köşe", "gösterge", "lejant", "başlık", "altbilgi",
        "üstbilgi", "kenar çubuğu", "durum çubuğu", "üstte", "altta", "solda", "sağda", "sol tarafta",
        "sağ tarafta", "altında", "üstünde", "yanında", "toplam", "ara toplam", "sayfa numarası",
        # sv
        "uppe till vänster", "uppe till höger", "nere till vänster", "nere till höger", "hörn",
        "teckenförklaring", "sidhuvud", "sidfot", "rubrik", "titel", "sidofält", "statusfält", "högst upp",
        "längst upp", "längst ner", "nedtill", "överst", "nederst", "till vänster", "till höger", "ovanför",
        "bredvid", "totalt", "att betala", "skylt", "sidnummer",
        # id
        "kiri atas", "kanan atas", "kiri bawah", "kanan bawah", "pojok", "sudut", "legenda", "judul",
        "kepala surat", "bilah sisi", "bilah status", "di atas", "di bawah", "di kiri", "di kanan",
        "sebelah kiri", "sebelah kanan", "di samping", "jumlah total", "papan nama", "nomor halaman",
        # vi
        "góc trên bên trái", "góc trên bên phải", "góc dưới bên trái", "góc dưới bên phải", "góc", "chú giải",
        "tiêu đề", "đầu trang", "chân trang", "thanh bên", "thanh trạng thái", "phía trên", "phía dưới",
        "ở trên", "ở dưới", "bên trái", "bên phải", "bên dưới", "bên cạnh", "tổng cộng", "tổng tiền",
        "biển hiệu", "số trang",
        # ar
        "أعلى اليسار", "أعلى اليمين", "أسفل اليسار", "أسفل اليمين", "الزاوية", "زاوية", "مفتاح الرسم",
        "وسيلة الإيضاح", "العنوان", "الترويسة", "التذييل", "الشريط الجانبي", "شريط الحالة", "في الأعلى",
        "في الأسفل", "على اليسار", "على اليمين", "تحت ", "فوق ", "بجانب", "المجموع", "الإجمالي", "اللافتة",
        "رقم الصفحة",
        # hi
        "ऊपर बाएँ", "ऊपर दाएँ", "नीचे बाएँ", "नीचे दाएँ", "ऊपर बाएं", "ऊपर दाएं", "नीचे बाएं", "नीचे दाएं",
        "कोने", "कोना", "लेजेंड", "हेडर", "फ़ुटर", "फुटर", "शीर्षक", "साइडबार", "स्टेटस बार", "ऊपर", "नीचे",
        "बाईं ओर", "दाईं ओर", "के पास", "बगल", "कुल", "योग", "साइनबोर्ड", "पेज नंबर", "पृष्ठ संख्या",
    ),
    # The text content is what matters: OCR text answers as well as the pixels.
    "transcode": (
        # en
        "summar", "transcribe", "transcript", "extract", "ocr", "translat", "copy the", "copy all",
        "what does it say", "what does this say", "read the text", "read this", "read out",
        "markdown", "plain text", "as text", "rewrite", "proofread", "typo", "grammar", "paraphrase",
        "explain", "bug", "fix", "refactor", "the code", "this code", "code review", "stack trace",
        "traceback", "error message", "exception", "csv", "json", "tsv", "sql", "spreadsheet",
        "key points", "tl;dr", "tldr", "main points", "line items", "list the",
        "contents", "content of", "according to", "answer the question", "reply to", "draft a reply",
        "email", "turn this", "convert", "what is the deadline", "due date", "notice period",
        "type out", "type the", "retype", "write out", "digitise", "digitize", "aloud", "whole page",
        "entire page", "all the text", "full text", "mention", "glossary", "flashcard", "quiz",
        "categoris", "categoriz", "itemis", "itemiz", "memory leak", "stack overflow", "compile",
        "why does", "why is", "why do", "what's wrong", "what is wrong", "bullet points", "in bullets",
        # de
        "zusammenfass", "fasse", "zusammen", "transkrib", "abschreib", "extrahier", "übersetz",
        "was steht", "lies den text", "vorlesen", "kopier", "erklär", "fehler im code", "als text",
        "kernpunkte", "konvertier", "umwandeln", "inhalt", "abtippen", "vorles", "warum",
        # fr
        "résum", "resum", "transcri", "extrai", "tradui", "traduction", "que dit", "qu'est-ce qui est écrit",
        "lis le texte", "copie", "explique", "corrige", "en texte", "points clés", "convertis", "contenu",
        "pourquoi", "retape",
        # es
        "resum", "transcrib", "extrae", "extraer", "traduc", "qué dice", "que dice", "lee el texto",
        "copia", "explica", "corrige", "puntos clave", "convierte", "contenido", "por qué", "por que",
        # pt
        "resum", "transcrev", "extraia", "extrair", "traduz", "tradução", "o que diz", "leia o texto",
        "copie", "explique", "corrija", "pontos principais", "converta", "conteúdo", "por que",
        # it
        "riassum", "riassunto", "trascriv", "estrai", "tradu", "cosa dice", "leggi il testo",
        "copia", "spiega", "correggi", "punti chiave", "converti", "contenuto",
        # nl
        "samenvat", "vat samen", "transcribeer", "vertaal", "wat staat er", "lees de tekst", "leg uit",
        # ru
        "кратко", "резюм", "перескаж", "суммируй", "транскриб", "извлеки", "распознай",
        "переведи", "перевод", "что написано", "прочитай", "скопируй", "перепиши", "объясни", "исправь",
        "ошибк", "преобразуй", "конвертируй", "содержани", "почему",
        # zh
        "总结", "概括", "摘要", "转录", "提取", "识别文字", "翻译", "写了什么", "写的什么", "读一下",
        "复制", "解释", "代码", "修复", "错误", "报错", "要点", "转换", "转成", "内容", "抄写", "为什么",
        "整理成文字", "打出来",
        # ja
        "要約", "まとめ", "書き起こ", "文字起こ", "抽出", "翻訳", "何と書いて", "なんて書いて", "読んで",
        "コピー", "コード", "説明して", "修正", "エラー", "要点", "変換", "内容", "書き写", "なぜ", "どうして",
        "返信",
        # ko
        "요약", "정리해", "받아쓰", "추출", "번역", "뭐라고 쓰", "무엇이라고", "읽어", "복사", "코드",
        "설명해", "수정", "오류", "에러", "핵심", "변환", "내용", "왜",
        # pl
        "streść", "streszcz", "podsumuj", "podsumowa", "przepisz", "transkryb", "wyodrębnij", "wyciągnij",
        "przetłumacz", "tłumacz", "co jest napisane", "co tu pisze", "co pisze", "przeczytaj", "odczytaj",
        "skopiuj", "wyjaśnij", "objaśnij", "popraw", "błąd", "jako tekst", "najważniejsze punkty",
        "kluczowe punkty", "przekonwertuj", "zamień na", "treść", "zawartość", "dlaczego", "wypisz",
        # uk
        "підсумуй", "стисло", "перекажи", "резюм", "транскриб", "витягни", "розпізнай", "переклади",
        "переклад", "що написано", "прочитай", "скопіюй", "перепиши", "поясни", "виправ", "помилк", "перетвори",
        "конвертуй", "зміст", "вміст", "чому",
        # tr
        "özetle", "özet", "transkript", "yazıya dök", "çıkar", "ayıkla", "çevir", "tercüme", "ne yazıyor",
        "ne yazılı", "ne diyor", "oku ", "kopyala", "açıkla", "düzelt", "hata", "metin olarak", "ana noktalar",
        "önemli noktalar", "dönüştür", "içerik", "neden", "niçin", "yeniden yaz", "listele", "okur musun",
        # sv
        "sammanfatta", "sammanfattning", "transkribera", "skriv av", "extrahera", "plocka ut", "översätt",
        "vad står det", "läs upp", "läs texten", "kopiera", "förklara", "rätta", "fixa", "felet", "som text",
        "huvudpunkter", "viktigaste punkter", "konvertera", "gör om", "innehåll", "varför",
        # id
        "ringkas", "rangkum", "transkrip", "ekstrak", "ambil teks", "terjemah", "apa tulisan", "apa isi",
        "tulisannya", "bacakan", "baca teks", "salin", "jelaskan", "perbaiki", "kesalahan", "sebagai teks",
        "poin penting", "poin utama", "ubah menjadi", "konversi", "kenapa", "mengapa", "daftar",
        # vi
        "tóm tắt", "tóm lược", "chép lại", "trích xuất", "dịch", "viết gì", "ghi gì", "nói gì", "đọc",
        "sao chép", "giải thích", "sửa", "lỗi", "dạng văn bản", "ý chính", "điểm chính", "chuyển thành",
        "chuyển đổi", "nội dung", "tại sao", "vì sao", "liệt kê",
        # ar
        "لخص", "تلخيص", "ملخص", "انسخ", "استخرج", "ترجم", "ترجمة", "ماذا يقول", "ماذا مكتوب", "ما المكتوب",
        "اقرأ", "اشرح", "صحح", "أصلح", "خطأ", "كنص", "النقاط الرئيسية", "حول إلى", "المحتوى", "محتوى", "لماذا",
        # hi
        "सारांश", "संक्षेप", "ट्रांसक्राइब", "निकालो", "निकालें", "अनुवाद", "क्या लिखा", "पढ़ो", "पढ़ें",
        "पढ़कर", "कॉपी", "समझाओ", "समझाएँ", "समझाएं", "ठीक करो", "त्रुटि", "एरर", "टेक्स्ट के रूप",
        "मुख्य बिंदु", "बदलो", "कन्वर्ट", "सामग्री", "क्यों", "सूची",
    ),
    # The gist of the whole image: a low-detail version answers.
    "full_low": (
        # en
        "what is this", "what's this", "what is in this", "what's in this", "describe", "description",
        "what kind of", "what type of", "what sort of", "is this a", "is it a", "identify",
        "what breed", "colour", "color", "mood", "atmosphere", "overall", "general", "gist",
        "at a glance", "roughly", "what place", "where was this", "what season", "vibe", "style",
        "genre", "alt text", "caption this", "daytime", "night", "weather", "dark mode", "light mode",
        "theme", "layout", "what language", "which language", "programming language", "trend",
        "going up", "going down", "increasing", "decreasing", "biggest", "largest", "portrait or landscape",
        "landscape", "empty", "blank", "scene", "indoors", "outdoors", "look like", "looks like",
        "structure", "arranged", "wide or tall", "tall or wide", "sky", "day or night", "sunny", "cloudy",
        "busy", "crowded", "cluttered", "professional", "modern", "old-fashioned", "how many columns",
        "which app", "what app", "what website", "which website", "logo colour", "photo or", "screenshot or",
        # de
        "was ist das", "was ist auf", "beschreib", "was für ein", "welche art", "ist das ein",
        "farbe", "stimmung", "insgesamt", "allgemein", "ungefähr", "wo wurde", "dunkelmodus",
        "layout", "welche sprache", "trend", "steigt", "sinkt", "leer", "szene",
        # fr
        "qu'est-ce que c'est", "c'est quoi", "décri", "decri", "quel genre", "quel type", "est-ce un",
        "couleur", "ambiance", "globalement", "en général", "où a été", "mode sombre", "mise en page",
        "quel langage", "tendance", "vide", "scène",
        # es
        "qué es esto", "que es esto", "describe", "descríbe", "qué tipo", "que tipo", "es esto un",
        "color", "ambiente", "en general", "dónde se", "de qué trata", "modo oscuro", "diseño",
        "qué lenguaje", "tendencia", "vacío", "vacía", "escena",
        # pt
        "o que é isto", "o que é isso", "descreva", "descrev", "que tipo", "cor ", "clima", "no geral",
        "onde foi", "modo escuro", "que linguagem", "tendência", "vazio", "vazia", "cena",
        # it
        "cos'è", "cosa è", "che cos'è", "descrivi", "descrizione", "che tipo", "colore", "atmosfera",
        "in generale", "dove è stata", "modalità scura", "che linguaggio", "tendenza", "vuoto", "scena",
        # nl
        "wat is dit", "beschrijf", "wat voor", "kleur", "sfeer", "donkere modus", "trend",
        # ru
        "что это", "что изображено", "опиши", "описание", "какой тип", "какого типа", "цвет",
        "атмосфер", "в целом", "где сделан", "тёмн", "темн", "какой язык", "тренд", "тенденц", "пуст",
        "сцен",
        # zh
        "这是什么", "这是啥", "描述", "什么类型", "哪种", "颜色", "氛围", "整体", "大概", "在哪里拍",
        "深色模式", "暗色", "布局", "什么语言", "哪种语言", "趋势", "上升", "下降", "空白", "场景", "白天",
        "晚上", "天空", "结构",
        # ja
        "これは何", "説明して", "描写", "どんな種類", "何色", "色は", "雰囲気", "全体", "だいたい",
        "どこで撮", "ダークモード", "レイアウト", "何語", "言語", "傾向", "トレンド", "空っぽ", "シーン",
        "昼", "夜", "空は", "構成",
        # ko
        "이게 뭐", "이것은 무엇", "설명해", "묘사", "어떤 종류", "무슨 색", "색깔", "분위기", "전체적",
        "대략", "어디서 찍", "다크 모드", "레이아웃", "무슨 언어", "어떤 언어", "추세", "비어", "장면",
        # pl
        "co to jest", "co jest na", "co przedstawia", "opisz", "opis", "jaki rodzaj", "jakiego typu",
        "czy to jest", "kolor", "nastrój", "klimat", "ogóln", "mniej więcej", "gdzie zrobiono", "tryb ciemny",
        "układ", "jaki język", "trend", "rośnie", "maleje", "pusty", "pusta", "scena", "scenę", "krajobraz",
        # uk
        "що це", "що зображено", "опиши", "опис", "який тип", "якого типу", "колір", "кольор", "атмосфер",
        "настрій", "загалом", "в цілому", "де зроблено", "темн", "яка мова", "тренд", "тенденц", "порожн",
        "сцен",
        # tr
        "bu nedir", "ne görüyorsun", "neyin fotoğrafı", "tarif et", "betimle", "ne tür", "ne çeşit",
        "hangi tür", "renk", "atmosfer", "hava", "genel olarak", "genel", "kabaca", "nerede çekil",
        "karanlık mod", "düzen", "hangi dil", "eğilim", "trend", "artıyor", "azalıyor", "boş", "sahne",
        "manzara",
        # sv
        "vad är det här", "vad är detta", "vad föreställer", "beskriv", "beskrivning", "vilken typ",
        "vilken sorts", "är det en", "färg", "stämning", "atmosfär", "överlag", "ungefär", "var togs",
        "mörkt läge", "vilket språk", "ökar", "minskar", "scenen", "landskap",
        # id
        "apa ini", "ini apa", "gambar apa", "deskripsikan", "gambarkan", "jenis apa", "tipe apa", "apakah ini",
        "warna", "suasana", "secara umum", "kira-kira", "di mana ini", "mode gelap", "tata letak", "bahasa apa",
        "kosong", "pemandangan", "adegan",
        # vi
        "đây là gì", "cái gì đây", "mô tả", "miêu tả", "loại gì", "kiểu gì", "đây có phải", "màu", "không khí",
        "tâm trạng", "tổng quan", "nhìn chung", "đại khái", "khoảng", "chụp ở đâu", "chế độ tối", "bố cục",
        "ngôn ngữ gì", "xu hướng", "tăng", "giảm", "trống", "phong cảnh", "khung cảnh",
        # ar
        "ما هذا", "ما هذه", "ماذا في", "ماذا ترى", "صف ", "وصف", "أي نوع", "ما نوع", "هل هذا", "لون", "اللون",
        "الأجواء", "المزاج", "بشكل عام", "عموما", "تقريبا", "أين التقطت", "الوضع الداكن", "التخطيط", "أي لغة",
        "ما اللغة", "الاتجاه", "يرتفع", "ينخفض", "فارغ", "مشهد", "المشهد",
        # hi
        "यह क्या है", "ये क्या है", "क्या है यह", "वर्णन", "किस प्रकार", "किस तरह", "रंग", "माहौल", "मूड",
        "कुल मिलाकर", "सामान्य", "लगभग", "कहाँ ली", "डार्क मोड", "लेआउट", "कौन सी भाषा", "ट्रेंड", "रुझान",
        "खाली", "दृश्य",
    ),
    # Several questions in one prompt (labelled with the combination -> usually preserve).
    "multi": (
        "two things", "two questions", "both questions", "zwei fragen", "deux questions", "dos preguntas",
        "also", "and also", "oh and", "additionally", "as well as", "second question", "another question",
        "außerdem", "zusätzlich", "und noch", "aussi", "en plus", "además", "también", "também",
        "além disso", "inoltre", "anche", "ook", "также", "ещё", "еще", "и ещё", "还有", "另外", "以及",
        "それと", "あと", "また", "그리고", "또한", "추가로",
        "poza tym", "a także", "також", "а ще", "ayrıca", "bir de", "dessutom", "också", "juga", "selain itu",
        "ngoài ra", "أيضا", "كذلك", "और साथ",
    ),
}

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Structure of several questions: bullet or numbered lines, " / " between parts.
_MULTI_RE = re.compile(r"(?:\u2028 (?:[-*•]|\d+[.)]))|(?:\S / \S)|(?:^(?:[-*•]|1[.)]) )")


def is_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def _prepare(words: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    # (normalised keyword, must start at a word boundary). Latin/Cyrillic keywords must start a
    # word (avoids "tel " in "hotel "); CJK ones match anywhere because those scripts have no spaces.
    out = {}
    for w in words:
        norm = unicodedata.normalize("NFKC", w).lower()
        out[norm] = not is_cjk(norm) and (norm[:1].isalnum())
    return tuple(out.items())


_KEYWORDS_PREPARED: dict[str, tuple[tuple[str, bool], ...]] = {k: _prepare(v) for k, v in KEYWORDS.items()}


def _index(words: tuple[tuple[str, bool], ...]) -> dict[str, tuple[tuple[str, bool], ...]]:
    # Keywords by their first two characters (one for one-character CJK words): a query only
    # needs the keywords whose opening it contains, ~2 % of ~2,500, instead of a find() for each.
    out: dict[str, list[tuple[str, bool]]] = {}
    for kw, boundary in words:
        out.setdefault(kw[:2], []).append((kw, boundary))
    return {k: tuple(v) for k, v in out.items()}


_KEYWORD_INDEX = {k: _index(v) for k, v in _KEYWORDS_PREPARED.items()}


def _count_keywords(q: str, index: dict[str, tuple[tuple[str, bool], ...]], openings: set[str]) -> int:
    # A keyword counts once however often it occurs; Latin/Cyrillic ones only at a word start.
    n = 0
    for opening in openings:
        for kw, boundary in index.get(opening, ()):
            i = q.find(kw)
            while i >= 0:
                if not boundary or i == 0 or not q[i - 1].isalnum():
                    n += 1
                    break
                i = q.find(kw, i + 1)
    return n


def normalize_query(query: str | None) -> str:
    """NFKC-normalise, lowercase and collapse whitespace; ``None`` becomes ``""``.

    Example::

        assert normalize_query("  Ｓｕｍｍａｒｉｓｅ   THIS ") == "summarise this"
    """
    if not query:
        return ""
    text = unicodedata.normalize("NFKC", query).lower()
    # Line breaks are kept as one U+2028 token: "several lines" is a useful signal (q_lines).
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return " \u2028 ".join(line for line in lines if line)


def keyword_hits(query: str | None) -> dict[str, int]:
    """Number of keyword matches per category (preserve / crop / transcode / full_low).

    Example::

        assert keyword_hits("How many screws are there?")["preserve"] >= 1
    """
    q = normalize_query(query)
    return keyword_counts(q)


def _openings(q: str) -> set[str]:
    """Every bigram of ``q`` and every single character (one-character CJK keywords): the index keys to try."""
    openings = {q[i : i + 2] for i in range(len(q))}
    openings.update(q)
    return openings


def keyword_counts(q: str) -> dict[str, int]:
    """``keyword_hits`` of an already normalised query (see :func:`normalize_query`)."""
    openings = _openings(q)
    hits = {k: _count_keywords(q, index, openings) for k, index in _KEYWORD_INDEX.items()}
    hits["multi"] += len(_MULTI_RE.findall(q))
    return hits


# Questions about the image's own quality. The label rules settle them: "is it sharp / noisy / blurred /
# good enough to print?" needs the pixels, so no downgrade answers them. A rule rather than a learned
# weight because the training data holds few of them (~30 of 5,187) and the model, which sees the
# photo's features first, rates full_low highly on photos whatever is asked. Over-matching only
# keeps an image whole (safe); the pipeline applies it to every router.
QUALITY_KEYWORDS: tuple[str, ...] = (
    # en
    "sharp", "blurry", "blurred", "blur ", "in focus", "out of focus", "noisy", "noise level",
    "image noise", "grainy", "pixelated", "pixelation", "compression artifact", "compression artefact",
    "jpeg artifact", "jpeg artefact", "good enough to print", "print quality", "image quality",
    "photo quality", "picture quality", "overexposed", "underexposed", "motion blur", "camera shake",
    # de, fr, es, pt, it, nl
    "scharf", "unscharf", "verschwommen", "verwackelt", "verrauscht", "bildrauschen", "körnig", "bildqualität",
    "flou", "floue", "bruitée", "bruité", "granuleuse", "granuleux", "pixelisé", "qualité d'image",
    "nette ?", "borrosa", "borroso", "desenfocad", "nítida", "nítido", "granulada", "pixelada",
    "calidad de imagen", "desfocad", "qualidade da imagem", "sfocat", "mossa", "mosso", "sgranat",
    "qualità dell'immagine", "onscherp", "wazig", "korrelig", "beeldkwaliteit",
    # ru, uk, pl, tr, sv
    "размыт", "нерезк", "резкое", "резкий", "зернист", "качество фото", "качество изображения",
    "розмит", "нечітк", "якість фото", "rozmyt", "nieostr", "ostre?", "ziarnist", "jakość zdjęcia",
    "bulanık", "net mi", "kumlu", "görüntü kalitesi", "suddig", "oskarp", "kornig", "bildkvalitet",
    # zh, ja, ko
    "模糊", "清晰吗", "对焦", "噪点", "画质", "ぼやけ", "ピンボケ", "ピント", "ノイズ", "画質", "手ブレ",
    "흐릿", "선명", "초점", "노이즈", "화질",
)
_QUALITY_INDEX = _index(_prepare(QUALITY_KEYWORDS))


def asks_about_quality(query: str | None) -> bool:
    """Whether ``query`` asks about the image's own quality (sharpness, noise, focus, exposure, print
    quality): the label rules keep such images whole.

    Example::

        assert asks_about_quality("Is this photo sharp enough to print?")
        assert not asks_about_quality("what is in this picture?")
    """
    q = normalize_query(query)
    return _count_keywords(q, _QUALITY_INDEX, _openings(q)) > 0


def asks_nothing(query: str | None) -> bool:
    """Whether ``query`` holds no question at all: empty, or only punctuation, symbols or emoji.

    Example::

        assert asks_nothing("") and asks_nothing("  ?? ") and asks_nothing("👀")
        assert not asks_nothing("ok?") and not asks_nothing("这是什么")
    """
    return not any(ch.isalnum() for ch in normalize_query(query))
