"""Words that name where to look or what to look for, in many languages.

Data and the folding that makes it match: no logic about images. Everything is stored in
:func:`fold`-ed form (case, accents and kana voicing marks removed) so lookups are exact.

Example::

    >>> from headroom_middleware.crop.lexicon import SPATIAL_WORDS, fold
    >>> SPATIAL_WORDS[fold("Légende")]
    'legend'
"""

from __future__ import annotations

import re
import unicodedata

# Letters with a stroke or without a dot that NFD does not split into a base letter and a mark: Turkish
# "varsayılan" is "varsayilan" as typed on an English keyboard, Polish "przykład" is "przyklad".
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t"})


def fold(s: str) -> str:
    """Case- and accent-insensitive form for matching (CJK and Hangul are kept as they are)."""
    s = unicodedata.normalize("NFKC", s).casefold()
    decomposed = unicodedata.normalize("NFD", s)
    out = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").translate(_UNDECOMPOSED)
    # NFD splits Hangul syllables into jamo: recompose so Korean still matches.
    return unicodedata.normalize("NFC", out)


def _by_word(groups: dict[str, str]) -> dict[str, str]:
    """``{folded word: group}`` from ``{group: "space separated words"}`` (a later group wins a shared word)."""
    return {fold(w): g for g, words in groups.items() for w in words.split()}


WORD = re.compile(r"[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
NUMBER = re.compile(r"\d(?:[\d.,/:\-]*\d)?")
QUOTED = re.compile(r"\"([^\"]{2,})\"|“([^”]{2,})”|„([^“”]{2,})[“”]|«\s*([^»]{2,}?)\s*»|「([^」]{2,})」|"
                     r"『([^』]{2,})』|'([^']{3,})'")

def wordset(words: str) -> frozenset[str]:
    # Folded like queries are: "й" -> "и", "ё" -> "е", accents dropped.
    return frozenset(fold(w) for w in words.split())


# Function words and generic image vocabulary: they say nothing about where to look.
STOP = wordset(
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
CONCEPTS: tuple[frozenset[str], ...] = tuple(
    frozenset(fold(w) for w in group.split("|"))
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
        # Sections of manuals, API references and man pages, named in the asker's language while the page
        # is in English (a third of the real questions are asked that way).
        "returns|return value|return values|rückgabewert|ruckgabewert|valeur de retour|valor de retorno|"
        "valore di ritorno|возвращаемое значение|возвращает|повертає|返回值|返回|戻り値|返り値|반환값|반환|"
        "tra ve|gia tri tra ve|dondurur|dondurulen|zwraca|mengembalikan|nilai kembalian|devuelve|devuelven|"
        "retorna|retornam|renvoie|renvoient|retourne|retournent|restituisce|restituiscono|vraca|zwracaja|"
        "retourneert|returnerar|возвращают|повертають",
        "example|examples|beispiel|beispiele|exemple|exemples|ejemplo|ejemplos|exemplo|exemplos|esempio|"
        "esempi|пример|примеры|приклад|示例|例子|範例|使用例|サンプル|예제|예시|vi du|ornek|przykład|przykladzie|"
        "contoh",
        "see also|related|correlate|correlati|correlata|verwandte|connexes|relacionadas|relacionados|"
        "связанные|相关|siehe auch|voir aussi|ver tambien|veja tambem|vedi anche|см также|див також|"
        "参见|另请参阅|関連項目|関連|참고 항목|xem them|ayrica bakiniz|zobacz tez|lihat juga",
        "references|reference|cited|citation|quelle|quellen|referenz|referenzen|zitiert|references|"
        "referencias|riferimenti|литература|источник|参考文献|出典|참고문헌|tai lieu tham khao|kaynakca|"
        "bibliografia|referensi",
        "parameters|parameter|arguments|argumente|parametres|parametros|parametri|параметры|аргументы|"
        "параметри|参数|引数|パラメータ|매개변수|인자|tham so|parametreler|parametry",
        "default|defaults|standardwert|voreinstellung|par defaut|predeterminado|por defecto|padrao|"
        "predefinito|по умолчанию|за замовчуванням|默认|默认值|デフォルト|既定値|기본값|mac dinh|varsayilan|"
        "domyslnie|domyslna|bawaan",
        "protocols|protocol|protokoll|protocole|protocolo|protocollo|протокол|протоколы|协议|プロトコル|프로토콜|"
        "giao thuc|protokol",
        "options|option|optionen|opciones|opcion|opcoes|opzioni|опции|параметры командной строки|选项|"
        "オプション|옵션|tuy chon|secenekler|opcje",
        "methods|method|methoden|methodes|metodos|metodi|методы|метод|方法|メソッド|메서드|phuong thuc|"
        "yontemler|metody|metode",
        "attributes|attribute|attribut|attribute|atributos|attributi|атрибуты|属性|어트리뷰트|thuoc tinh|"
        "ozellikler|atrybuty|atribut",
        "notes|note|hinweis|hinweise|anmerkung|remarque|remarques|notas|nota|note|примечание|примечания|"
        "注意|注記|備考|참고|ghi chu|notlar|uwagi|catatan",
        "availability|added in|since|verfugbarkeit|seit|disponibilite|disponibilidad|disponibilidade|"
        "disponibilita|доступность|可用性|利用可能|사용 가능|kha dung|kullanilabilirlik|dostepnosc|ketersediaan",
        "table of contents|contents|inhalt|inhaltsverzeichnis|sommaire|table des matieres|indice|contenido|"
        "sumario|sommario|содержание|оглавление|зміст|目录|目次|목차|muc luc|icindekiler|spis tresci|daftar isi",
        "next topic|next|nachstes thema|weiter|sujet suivant|suivant|siguiente tema|siguiente|proximo topico|"
        "proximo|prossimo argomento|successivo|следующая тема|далее|наступна тема|下一主题|下一个|次のトピック|"
        "次へ|다음 주제|다음|chu de tiep theo|sonraki konu|nastepny temat|topik berikutnya|next page|"
        "nachste seite|page suivante|pagina siguiente|proxima|proxima pagina|pagina seguinte|prossima|"
        "pagina successiva|следующая страница|следующая|下一页|下一頁|次のページ|다음 페이지|التالي|التالية|"
        "الصفحة التالية|अगला|अगला पृष्ठ|sonraki sayfa|nastepna strona|trang tiep theo|halaman berikutnya",
        "previous topic|previous|vorheriges thema|zuruck|sujet precedent|precedent|tema anterior|anterior|"
        "topico anterior|argomento precedente|precedente|предыдущая тема|назад|попередня тема|上一主题|"
        "前のトピック|이전 주제|chu de truoc|onceki konu|poprzedni temat|topik sebelumnya|previous page|"
        "vorherige seite|page precedente|pagina anterior|pagina precedente|предыдущая страница|предыдущая|"
        "上一页|上一頁|前のページ|이전 페이지|السابق|السابقة|الصفحة السابقة|पिछला|onceki sayfa|poprzednia strona|"
        "trang truoc|halaman sebelumnya",
        "description|beschreibung|descripcion|descricao|descrizione|описание|опис|描述|説明|설명|mo ta|"
        "aciklama|opis|deskripsi",
        "synopsis|usage|syntax|verwendung|aufruf|utilisation|sintaxis|uso|sinossi|использование|синтаксис|"
        "用法|使い方|書式|사용법|cach dung|kullanim|uzycie|penggunaan",
        "error|errors|error message|traceback|fehler|fehlermeldung|erreur|errores|erro|errore|ошибка|ошибки|"
        "ошибку|错误|错误信息|報錯|エラー|エラーメッセージ|오류|에러|hata|hatası|blad|loi|galat|kesalahan",
        "raises|exceptions|exception|errors|ausnahmen|exceptions|excepciones|excecoes|eccezioni|исключения|"
        "异常|例外|예외|ngoai le|istisnalar|wyjatki|pengecualian",
        "version|versions|release|released|версия|версія|版本|バージョン|버전|phien ban|surum|wersja|versi|"
        "lancamento|lanzamiento|rilascio|veroffentlichung|выпуск|релиз|发布|リリース|릴리스",
        "source|data source|quelle|datenquelle|fuente|fonte|источник|джерело|来源|数据来源|出典|データソース|"
        "출처|nguon|kaynak|zrodlo|sumber|مصدر|स्रोत|data:",
        # Things of forms, dialogs and READMEs, asked about in the asker's language.
        "password|passwords|passwort|kennwort|mot de passe|contraseña|contraseñas|senha|senhas|пароль|пароля|"
        "пароли|密码|密碼|パスワード|비밀번호|şifre|şifreler|hasło|hasła|mật khẩu|kata sandi|wachtwoord|lösenord",
        "username|user name|benutzername|nom d'utilisateur|nombre de usuario|nome de usuário|nome utente|"
        "имя пользователя|用户名|用戶名|ユーザー名|ユーザ名|사용자 이름|kullanıcı adı|nazwa użytkownika|"
        "tên đăng nhập|gebruikersnaam|användarnamn",
        "filename|file name|dateiname|nom de fichier|nombre de archivo|nombre del archivo|nome do arquivo|"
        "nome del file|имя файла|文件名|檔名|ファイル名|파일 이름|파일명|dosya adı|nazwa pliku|tên tệp|"
        "bestandsnaam|filnamn|nama file",
        "buffer|buffers|puffer|tampon|búfer|буфер|буфера|缓冲区|缓冲|バッファ|버퍼|bufor",
        "warning|warnings|warnung|avertissement|advertencia|avviso|предупреждение|警告|경고|uyarı|"
        "ostrzeżenie|cảnh báo|peringatan|waarschuwing|varning",
        "deprecated|deprecation|veraltet|obsolète|obsoleto|deprecado|deprecato|устарел|устаревший|устарело|"
        "已弃用|弃用|非推奨|사용 중단|kullanımdan kaldırıldı|przestarzałe|przestarzały|usang|verouderd",
        "install|installation|installieren|instalar|instalación|instalação|installare|installazione|установка|"
        "установить|安装|インストール|설치|kurulum|instalacja|cài đặt|instalasi|installeren|installera",
        "license|licence|lizenz|licencia|licença|licenza|лицензия|许可证|ライセンス|라이선스|lisans|licencja|"
        "giấy phép|lisensi|licentie|licens",
        "message|messages|nachricht|meldung|mensaje|mensagem|messaggio|сообщение|消息|メッセージ|메시지|mesaj|"
        "komunikat|wiadomość|thông báo|pesan|bericht|meddelande",
        "invalid|illegal|ungültig|ungültige|ungültigen|ungültiger|unzulässig|invalide|invalides|inválido|"
        "inválida|inválidos|ilegal|ilegales|non valido|non valida|illegale|недопустимый|недопустимые|"
        "неверный|некорректный|无效|非法|無効|不正|잘못된|유효하지 않은|불법|geçersiz|nieprawidłowy|"
        "nieprawidłowa|không hợp lệ|tidak valid|ongeldig|ogiltig",
        "extension|extensions|dateiendung|dateierweiterung|extensión|extensiones|extensão|extensões|"
        "estensione|estensioni|расширение|расширения|扩展名|拡張子|확장자|uzantı|rozszerzenie|phần mở rộng|"
        "ekstensi|extensie",
        "variable|variables|variablen|variabile|variabili|variável|variáveis|переменная|переменные|змінна|"
        "змінні|变量|変数|변수|değişken|zmienna|zmienne|biến|variabel",
        "loop|loops|schleife|schleifen|boucle|boucles|bucle|bucles|laço|ciclo|цикл|циклы|循环|ループ|루프|"
        "döngü|pętla|pętli|vòng lặp|perulangan|lus",
        "data type|datatype|datentyp|type de données|tipo de dato|tipo de datos|tipo de dados|tipo di dato|"
        "тип данных|数据类型|データ型|데이터 타입|자료형|veri tipi|typ danych|kiểu dữ liệu|tipe data|datatyp",
        "size|sizes|größe|taille|tamaño|tamanho|dimensione|размер|размера|大小|サイズ|크기|boyut|rozmiar|"
        "kích thước|ukuran|grootte|storlek",
        "timeout|time out|zeitüberschreitung|zeitlimit|délai d'attente|tiempo de espera|tempo limite|"
        "таймаут|тайм-аут|超时|タイムアウト|타임아웃|zaman aşımı|limit czasu|hết thời gian",
        "encoding|kodierung|zeichenkodierung|codage|encodage|codificación|codificação|codifica|кодировка|"
        "编码|エンコーディング|文字コード|인코딩|kodlama|kodowanie|mã hóa",
        "port|ports|puerto|puertos|porta|porte|порт|порта|端口|ポート|포트",
        "path|paths|pfad|chemin|ruta|caminho|percorso|путь|路径|パス|경로|yol|ścieżka|đường dẫn|pad|sökväg",
        "address|adresse|dirección|endereço|indirizzo|адрес|地址|住所|주소|adres|địa chỉ|alamat",
        "price|prices|preis|prix|precio|preço|prezzo|цена|价格|価格|가격|fiyat|cena|giá|harga|prijs|pris",
    )
)

SPATIAL_WORDS: dict[str, str] = _by_word({
    "top": "top upper oben obere oberen oberer oberes oberste obersten haut superieur superieure "
    "arriba superior cima acima alto superiore вверху сверху верх верху верхний верхней верхнем "
    "верхнего верхняя верхнюю верхние верхних "
    # pl, nl, sv, tr, id, uk (folded: "górze" is "gorze", "överst" is "overst")
    "gorze gorny gorna gorne gornej gornym bovenaan bovenste bovenkant overst ovre uppe ustte ustteki atas "
    "вгорі зверху верхній верхня верхнє верхньому верхні",
    "bottom": "bottom lower unten untere unteren unterer unteres unterste untersten bas inferieur "
    "inferieure abajo inferior baixo abaixo embaixo basso inferiore внизу снизу низ низу нижний нижней "
    "нижнем нижнего нижняя нижнюю нижние нижних "
    "dole dolny dolna dolne dolnej dolnym onderaan onderste onderkant nederst nedre nere altta alttaki bawah "
    "знизу нижній нижня нижнє нижньому нижні",
    "left": "left links linke linken linker linkes gauche izquierda izquierdo esquerda esquerdo "
    "sinistra sinistro слева левый левой левом левая левую левого левые левых "
    "lewo lewej lewy lewa lewym linker linkerkant vanster vanstra solda soldaki kiri ліворуч зліва лівий ліва "
    "лівому лівій",
    "right": "right rechts rechte rechten rechter rechtes droite droit derecha derecho direita "
    "direito destra destro справа правый правой правом правая правую правого правые правых "
    "prawej prawy prawym rechter rechterkant hoger hogra sagda sagdaki kanan праворуч правий права правому "
    "правій",
    "center": "center centre middle central mitte mittig zentrum mittlere mittleren milieu "
    "centrale centro medio meio mezzo центр центре центра середина середине посередине "
    "srodek srodku srodkowy midden middelste mitten ortada ortadaki tengah посередині центрі середині",
    "header": "header headers heading letterhead kopfzeile kopfzeilen kopfbereich briefkopf "
    "spaltenuberschriften tabellenkopf entete entetes encabezado encabezados cabecera cabeceras "
    "cabecalho cabecalhos intestazione intestazioni шапка шапке",
    "title": "title headline titel uberschrift titre titulo titular titolo заголовок заголовке название "
    "tytul tytulu rubrik baslik basligi judul назва",
    "footer": "footer footnote footnotes fusszeile fussnote fussbereich rodape подвал подвале сноска "
    "stopka stopce voettekst sidfot",
    "legend": "legend legende leyenda legenda легенда легенде",
})

# Everyday English words that are also directions ("is this right?", "what's left?", "the top
# product", "a lower price") count only next to a spatial qualifier or after a locative.
AMBIGUOUS_EN = frozenset({"left", "right", "top", "bottom", "upper", "lower", "middle", "title",
                           "alto", "basso", "medio", "mezzo", "meio", "bas", "droit", "derecho"})
# Ordinals that name a numbered item ("the first example" is "Example 1", "le deuxième exemple").
ORDINALS: dict[str, str] = {
    fold(w): str(n) for n, words in enumerate((
        "first 1st erste ersten erster premier premiere primero primera primer primeiro primeira primo prima "
        "первый первая первое первом первого",
        "second 2nd zweite zweiten zweiter deuxieme second seconde segundo segunda secondo seconda "
        "второй вторая второе втором второго",
        "third 3rd dritte dritten dritter troisieme tercero tercera tercer terceiro terceira terzo terza "
        "третий третья третье третьем третьего",
        "fourth 4th vierte vierten vierter quatrieme cuarto cuarta quarto quarta четвертый четвертая",
        "fifth 5th funfte funften quinto quinta cinquieme пятый пятая",
    ), start=1) for w in words.split()
}

QUALIFIER = wordset(
    "side corner half part portion section edge area hand panel column margin region quarter "
    "third of left right top bottom center centre corners"
)
LOCATIVE = wordset(
    "at on in to from near towards toward far en in a no na nel al ao el il da dall du up down"
)
PHRASES: dict[str, str] = {
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
    # Vietnamese: "trên", "dưới" alone are also "on", "under"; with "phía" / "bên" they are sides.
    "phia tren": "top",
    "phia duoi": "bottom",
    "ben trai": "left",
    "ben phai": "right",
    "o giua": "center",
    "tieu de": "title",
    "langst ner": "bottom",
    "langst upp": "top",
    "na samym dole": "bottom",
    "na samej gorze": "top",
}
CJK_SPATIAL: tuple[tuple[str, tuple[str, ...]], ...] = (
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
    ("عنوان", ("title",)),
    ("ऊपर", ("top",)), ("नीचे", ("bottom",)), ("दाएं", ("right",)), ("दाईं", ("right",)),
    ("दायें", ("right",)), ("बाएं", ("left",)), ("बाईं", ("left",)), ("बायें", ("left",)),
    ("लेजेंड", ("legend",)), ("शीर्षक", ("title",)),
)
# Matching happens on folded text (accents and kana voicing marks removed): fold the patterns
# the same way.
CJK_SPATIAL = tuple((fold(p), ks) for p, ks in CJK_SPATIAL)
PHRASES = {fold(p): k for p, k in PHRASES.items()}
KO_TOP = re.compile(r"(?:^|\s)(?:맨\s*)?위(?:쪽|에|의|에서|부분)?(?=\s|$|[?.!,])")


CORNER_ETC = wordset(
    "ecke seite halfte coin cote moitie esquina lado mitad canto metade angolo lato meta "
    "угол углу сторона стороне"
)

# Nouns that say what kind of block the answer is: a box standing out from the page, or a section of text.
STRUCTURE: dict[str, str] = _by_word({
    "container": "code snippet example examples declaration signature output error errors log logs command "
    "table tables row column cell panel card dialog popup window box sidebar menu navigation nav toc "
    "list listed form field fields chart graph plot panel figure legend block "
    "beispiel tabelle spalte zeile fehler fenster liste feld "
    "exemple tableau colonne ligne erreur fenetre liste champ "
    "ejemplo tabla columna fila error ventana lista campo "
    "exemplo tabela coluna linha erro janela "
    "esempio tabella colonna riga errore finestra elenco campo "
    "пример таблица столбец строка ошибка окно список поле",
    "section": "section sections chapter paragraph intro introduction part summary overview "
    "abschnitt kapitel absatz einleitung chapitre paragraphe seccion capitulo parrafo secao capitulo "
    "sezione capitolo paragrafo раздел глава абзац введение",
})

#: "x axis" / "y axis" in several languages (folded text).
AXIS_X = re.compile(r"\bx[\s-]*(?:axis|achse|as|eje|eixo|asse)\b|\b(?:eje|eixo|asse|axe des|ось)\s*x\b|"
                    r"horizontal axis|横轴|横軸|x轴|x軸|x축")
AXIS_Y = re.compile(r"\by[\s-]*(?:axis|achse|as|eje|eixo|asse)\b|\b(?:eje|eixo|asse|axe des|ось)\s*y\b|"
                    r"vertical axis|纵轴|縦軸|y轴|y軸|y축")
# Questions a chart's legend answers without naming it: what the lines / bars / colours stand for, which
# series is which (matched on fold()-ed text).
LEGEND_HINT = re.compile(
    r"\b(?:lines?|curves?|bars?|colou?rs?|series|markers?|dots?|areas?)\b.{0,30}\b(?:represent|represents|"
    r"stand|stands|mean|means|correspond|corresponds|show|shows|denote|denotes)\b|"
    r"\bwhich (?:curve|colou?r|series)\b|\beach (?:curve|colou?r|series)\b|"
    r"\b(?:welche|jede) (?:linie|kurve|farbe)\b|\bquelle (?:ligne|courbe|couleur)\b|"
    r"\b(?:que|qual|cual) (?:linea|linha|curva|color|cor)\b|"
    r"\bкакая (?:линия|кривая)\b|\bяка (?:лінія|крива)\b|哪条线|哪條線|哪种颜色|どの線|どの色|어느 선|어떤 선|무슨 색"
)

# A side column or a top strip of a page or app, named as such (matched on fold()-ed text).
SIDEBAR = re.compile("|".join(re.escape(fold(w)) for w in (
    "sidebar", "side bar", "side menu", "side panel", "sidenav", "menu lateral", "barra lateral",
    "panel lateral", "seitenleiste", "seitenmenu", "barre laterale", "menu laterale", "боковом меню",
    "боковое меню", "боковая панель", "боковой панели", "侧边栏", "側邊欄", "サイドバー", "사이드바",
    "kenar cubugu", "yan menu", "pasek boczny", "menu boczne", "thanh ben")))
NAVBAR = re.compile("|".join(re.escape(fold(w)) for w in (
    "nav bar", "navbar", "navigation bar", "menu bar", "menubar", "toolbar", "tool bar", "top bar",
    "header bar", "navigationsleiste", "menuleiste", "barre de navigation", "barre de menu",
    "barra de navegacion", "barra de navegacao", "barra di navigazione", "панель навигации",
    "навигационной панели", "导航栏", "導覽列", "ナビゲーションバー", "メニューバー", "메뉴 바", "메뉴바",
    "탐색 모음", "gezinme cubugu", "pasek nawigacji", "thanh dieu huong")))
# Questions about a page's navigation itself (its contents list, menu or links), which side columns answer.
NAVIGATION = re.compile(r"\b(?:contents|toc|menu|menus|nav|navigation|links?|linked|breadcrumbs?|inhalt|"
                        r"inhaltsverzeichnis|sommaire|matieres|indice|contenidos?|conteudos?|sumario|содержание|оглавление|меню)\b|"
                        r"on this page|目录|目錄|目次|목차|메뉴")

#: Colour names (fold()-ed forms, inflections spelled out) and the fill colour family they name.
COLOURS: dict[str, str] = _by_word({
    "red": "red reddish rot rote roten roter rotes rouge rouges rojo roja rojos rojas rosso rossa rossi rosse "
    "vermelho vermelha vermelhos vermelhas красный красная красное красные красном красной красным красных "
    "czerwony czerwona czerwonym kirmizi 红 红色 紅 紅色 赤 赤い 빨간 빨간색 붉은 pink rosa rose roses "
    "rosado rosada rosado розовый розовая розовом розовой 粉 粉色 粉红 ピンク 분홍 분홍색 핑크",
    "orange": "orange orangen orangefarben naranja arancione arancio laranja оранжевый оранжевая оранжевом "
    "оранжевой 橙 橙色 オレンジ 주황 주황색",
    "yellow": "yellow yellowish gelb gelbe gelben gelber gelbes jaune jaunes amarillo amarilla amarillos "
    "amarillas giallo gialla gialli gialle amarelo amarela amarelos amarelas желтый желтая желтом желтой "
    "желтые желтых zolty zolta zoltym sari vang 黄 黄色 黃色 黄色い 노란 노란색",
    "green": "green greenish grun grune grunen gruner grunes vert verte verts vertes verde verdes verdi "
    "зеленый зеленая зеленом зеленой зеленые зеленых zielony zielona zielonym yesil xanh 绿 绿色 綠 綠色 緑 "
    "緑色 초록 초록색 녹색",
    "blue": "blue bluish blau blaue blauen blauer blaues bleu bleue bleus bleues azul azules blu celeste "
    "синий синяя синем синей синие голубой голубая голубом голубой niebieski niebieska mavi 蓝 蓝色 藍 "
    "藍色 青 青い 파란 파란색",
    "purple": "purple violet violett lila morado morada viola roxo roxa фиолетовый фиолетовая фиолетовом "
    "фиолетовой fioletowy 紫 紫色 보라 보라색",
    "grey": "grey gray greyish grayish grau graue grauen grauer graues gris grise grises grigio grigia grigi "
    "grigie cinza cinzento cinzenta серый серая сером серой серые серых szary szara szarym gri xam 灰 灰色 "
    "グレー 灰色の 회색",
})
#: Words for a box, panel or note that a colour can name ("the red box", "dem grauen Kasten", "黄色的框").
BOX_WORDS = re.compile(r"\b(?:box|boxes|boxed|panel|panels|note|notes|callout|callouts|banner|banners|block|blocks|"
                       r"frame|area|region|background|backgrounds|card|cards|kasten|kastchen|feld|felder|bereich|"
                       r"hintergrund|block|blocke|cadre|cadres|encadre|encadres|bloc|blocs|fond|zone|caja|cajas|"
                       r"cuadro|cuadros|recuadro|recuadros|bloque|bloques|fondo|riquadro|riquadri|blocco|blocchi|"
                       r"sfondo|caixa|caixas|quadro|quadros|bloco|blocos|fundo|блок|блоке|блоки|рамка|рамке|"
                       r"фон|фоне|ramka|ramce|kutu|kutusu|khung)\b|框|方框|ボックス|枠|박스|상자|칸")

#: A graphic named in the query (fold()-ed): a plot, chart, diagram, picture or logo on a page of text.
FIGURE_WORDS = re.compile(
    r"\b(?:plot|plots|chart|charts|graph|graphs|diagram|diagrams|figure|figures|fig|image|picture|illustration|"
    r"logo|drawing|grafik|diagramm|abbildung|bild|schaubild|graphique|schema|dessin|grafico|grafica|figura|"
    r"imagen|immagine|imagem|desenho|график|диаграмма|диаграмме|рисунок|рисунке|изображение|grafik|wykres|"
    r"wykresie|rysunek|bieu đo|hinh)\b|图表|图片|图像|圖表|グラフ|図|画像|그래프|그림|차트|플롯|도표|"
    + fold("图") + r"(?!例)")

#: A code block named in the query (fold()-ed): "the code blocks", "blocchi di codice", "コードブロック".
CODE_BLOCK_WORDS = re.compile("|".join(re.escape(fold(w)) for w in (
    "code block", "code blocks", "codeblock", "code snippet", "code sample", "code listing", "code cell",
    "codeblock", "codeblöcke", "codeblock", "bloc de code", "blocs de code", "bloque de código",
    "bloques de código", "bloco de código", "blocos de código", "blocco di codice", "blocchi di codice",
    "блок кода", "блоки кода", "блоке кода", "代码块", "程式碼區塊", "コードブロック", "코드 블록", "코드블록",
    "kod bloğu", "kod blokları", "blok kodu", "bloki kodu", "khối mã", "blok kode", "kodblock")))
