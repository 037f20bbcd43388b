"""Generate models/data/queries.jsonl: labeled (image kind, user query) -> technique examples.

Stdlib only, fixed seed, deterministic: running it twice gives byte-identical output.

    python models/data/make_queries.py            # writes models/data/queries.jsonl
    python models/data/make_queries.py --check    # also verifies determinism in memory

Label = the LEAST detailed technique that still answers the query (docs/CONTRACTS.md):
  preserve  -> fine detail needed (small text read visually, counting, defects, ticks, exact values)
  full_low  -> a low-resolution whole image suffices (what is it, colours, layout, scene, trend)
  crop      -> the question is about one locatable region (header, legend, corner, total at bottom)
  transcode -> the TEXT of a document/screenshot is what matters (summarise, translate, extract, debug)
answers(label): preserve->{preserve}; crop->{crop,preserve}; full_low->{full_low,preserve};
transcode->{transcode,preserve}. So when a query combines parts with different labels the only
technique answering all parts is preserve; two crop parts (two different regions) -> preserve;
two parts with the same non-crop label keep that label.

Sources:
  hand        a hand-written seed query exactly as written (SEEDS below; one line = one idea = one group;
              " || " joins hand-written translations of the same idea, which share the group)
  paraphrase  a seed rewritten by rules (case, typos, filler, prefixes/suffixes, politeness, markdown,
              code-y / agent-style wrappers) - same group as its seed
  composed    two seeds of the same kind and language asked at once; label combined as above;
              group = the group of the FIRST part (the second part's idea may leak across a split -
              documented weakness)

No-question prompts ("", "?", "see attached", ...): the router cannot know what will be asked, so the
label is the safest technique for the kind: photo -> full_low (a plain photo is almost always
discussed as a whole: "what is this"); every text-bearing kind (document, receipt, code, UI, table,
chart, diagram, photo_text, mixed) -> preserve, because any downgrade could lose what the user wants.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20261125
OUT = Path(__file__).resolve().parent / "queries.jsonl"
LABELS = ("preserve", "full_low", "transcode", "crop")
TARGET_SHARE = {"preserve": 0.30, "full_low": 0.30, "transcode": 0.22, "crop": 0.18}
# Rows to emit: about 1.9 per seed idea (hand-written variants, compositions, then paraphrases up to
# the label shares), so adding seed files grows the set in proportion.
ROWS_PER_SEED = 4200 / 2187
SEED_DIR = Path(__file__).resolve().parent / "seeds"
RELABEL_FILE = Path(__file__).resolve().parent / "relabel.tsv"
KINDS = ("document", "receipt", "code_screenshot", "ui_screenshot", "table", "chart", "diagram", "photo",
         "photo_text", "mixed")

# ----------------------------------------------------------------------------------------------
# Hand-written seeds. Key: (image_kind, label). One line = one idea (= one group).
# "xx| " prefix = language (ISO 639-1), default English. " || " separates hand-written
# translations of the same idea (same group).
# ----------------------------------------------------------------------------------------------
SEEDS: dict[tuple[str, str], str] = {}

SEEDS[("document", "preserve")] = r"""
Is the signature at the bottom handwritten or a pasted image?
Read the tiny superscript footnote markers exactly, I need every citation number.
Are there any handwritten notes in the margins? What do they say?
Is any text hidden underneath the stamp that overlaps the paragraph?
Compare the font of paragraph 2 with paragraph 5 - could one of them have been edited in?
Is any word crossed out or corrected by hand on this page?
Is the "I agree" checkbox ticked or empty?
Which boxes on this form are checked?
The scan is faint. Read the IBAN in the second paragraph digit by digit, no guessing.
Is there a faint watermark behind the text, and what does it say?
Are the initials filled in next to every clause?
Which sentences have been highlighted with a marker?
Which words are underlined in red pen?
In equation 3, is the subscript an i or a 1?
Is that symbol in the formula a Greek alpha or a lowercase a?
Quote the 6pt terms and conditions exactly, word for word, it is for a legal filing.
Is there light grey text anywhere that is hard to see? Read it.
Check whether any line looks misaligned or pasted in, like the document was doctored.
Is the QR code on this page intact enough to scan?
Does the handwritten date match the printed date?
Does the page contain any pencil marks or erased text?
Proofread character by character, including punctuation, double spaces and hyphenation.
Are all the decimal points in the numbers in this paragraph really decimal points and not commas?
look at the small print in every paragraph, is there anything sneaky hidden in it
Compare the signature with the one on page 1 of my passport scan - same stroke style?
Are the bullet characters all the same, or are some of them different glyphs?
which fields did the applicant leave blank?
Is the tax ID on this scan 8 or 9 digits? It's really blurry.
de| Ist das Kästchen "Ich stimme zu" angekreuzt? || fr| La case « J'accepte » est-elle cochée ?
fr| La signature en bas est-elle manuscrite ou imprimée ?
es| ¿Hay anotaciones a mano en los márgenes? ¿Qué dicen?
zh| 请逐字核对这一页的小字条款，一个字都不能错。
ja| 余白に手書きのメモはありますか？何と書いてありますか？
ru| Проверь, нет ли в тексте договора исправлений от руки.
pt| Quais caixas deste formulário estão marcadas?
ko| 각주의 작은 숫자들을 정확히 읽어 주세요.
de| Sind irgendwo Wörter durchgestrichen oder überschrieben?
hi| क्या इस फॉर्म पर हर जगह हस्ताक्षर किए गए हैं? हर बॉक्स ध्यान से देखें।
"""

SEEDS[("document", "full_low")] = r"""
What kind of document is this?
Is this a letter, a form or a report?
What colour is the letterhead?
How many columns does the page use?
Is there a logo at the top?
Is the page mostly text or are there pictures as well?
Is the scan crooked?
Portrait or landscape?
Does this look like an official government document or a casual note?
What colour is the stamp on it?
Is the page blank?
Describe the layout of this page.
Is it dense, or is there a lot of white space?
Is the paper white or yellowed?
does this look like a scientific paper
Is this a screenshot of a word processor or a scanned sheet of paper?
is there a red stamp anywhere on the page
I'm redesigning our template - describe the overall look: colour scheme, spacing, how headings stand out.
Is it a one-page CV with a sidebar layout?
Is the page upside down?
Legal contract or marketing brochure - which does it look like?
Is there a table or chart on this page, or only paragraphs?
rate the visual hierarchy of this page from 1-10
Is it printed in colour or black and white?
Does the page look professional enough to send to a client?
Is the page cut off at the edges in this scan?
Is this the front page or an inner page, judging by the layout?
Does the text look handwritten or typed?
de| Was für ein Dokument ist das? || es| ¿Qué tipo de documento es este? || zh| 这是什么类型的文件？ || ja| これはどんな種類の書類ですか？ || ar| ما نوع هذه الوثيقة؟ || hi| यह किस तरह का दस्तावेज़ है?
fr| Quelle est la couleur de l'en-tête ?
es| ¿La página está en vertical u horizontal?
ko| 이 문서는 몇 단으로 되어 있나요?
ru| Это официальный документ или просто записка?
pt| O documento ficou torto no scanner?
it| Il documento è a colori o in bianco e nero?
ja| このページのレイアウトを簡単に説明して。
"""

SEEDS[("document", "crop")] = r"""
What's the date in the top right corner?
Read the title of the document.
What does the footer say?
What page number is this?
Who is the letter addressed to? The address block at the top left.
Who signed it? Check the signature block at the bottom.
What's the company name in the letterhead?
What's written in the header?
What does the stamp in the lower right say?
What's the reference number at the top of the page?
Just read me the first heading.
What does the caption under the figure say?
What's in the left sidebar?
Read the last line on the page.
What's the subject line of this letter?
What's the case number in the upper-left corner?
Zoom into the bottom section and give me the contact email.
Read only the heading of the second column.
What's the version number in the footer?
What does the box at the very top of the form say?
Who is the sender? It's in the top right.
What's the name printed under the signature line?
What does the title block on the cover say?
de| Was steht in der Fußzeile? || pt| O que está escrito no rodapé?
fr| Quelle est la date en haut à droite ?
es| ¿Cuál es el título del documento?
zh| 右上角的日期是什么？
ja| ページ下部のフッターには何と書いてありますか？
ko| 맨 위 제목만 읽어 주세요.
ru| Что написано в шапке документа?
pt| Quem assinou? Veja o bloco de assinatura no final.
ar| ما هو رقم الصفحة في الأسفل؟
hi| ऊपर दाएं कोने में तारीख क्या है?
"""

SEEDS[("document", "transcode")] = r"""
Summarise this page.
Summarize this document in 3 bullet points.
Translate this page into Spanish.
Extract every date mentioned.
What are the action items?
What does section 3 say about termination?
tl;dr
What are the key obligations of each party?
Convert this scanned letter into editable text.
Is there anything in here about late payment penalties?
List all names and roles mentioned.
What is the author's main argument?
Rewrite this in plain English.
Answer the questions on this worksheet.
Turn this into markdown with the same headings.
Explain this to me like I'm 5.
What deadline is mentioned in the text?
Draft a reply to this letter.
Does this contract contain a non-compete clause?
Extract the key terms as JSON: parties, effective date, term, governing law.
OCR this
Find all email addresses and phone numbers.
What's the abstract about?
Check this text for grammar mistakes.
Make flashcards from this textbook page.
Write 5 quiz questions based on this page.
Is the tone of this letter aggressive?
copy the text out for me pls
What is the notice period?
How much is the monthly rent according to this lease?
Which medications and doses are listed in this discharge letter?
Does the policy cover water damage?
What's the conclusion of the study?
Give me the table of contents of this page as a list.
Who is responsible for maintenance according to the agreement?
Pull out all the numbers with their units.
What does paragraph 2 mean in simpler words?
Compare what this page says about refunds with our standard policy: refunds within 30 days.
Is this letter asking me to pay something? How much and by when?
cite this page in APA
de| Fasse diese Seite in drei Sätzen zusammen. || fr| Résume cette page en trois phrases. || es| Resume esta página en tres frases. || pt| Resuma esta página em três frases. || it| Riassumi questa pagina in tre frasi.
de| Übersetze das bitte ins Englische.
fr| Quelles sont les obligations du locataire selon ce bail ?
es| Extrae todas las fechas y los importes.
zh| 帮我总结一下这页的内容。 || ja| このページの内容を要約してください。 || ko| 이 페이지 내용을 요약해 줘. || ru| Кратко перескажи содержание страницы. || ar| لخص هذه الصفحة من فضلك. || hi| इस पेज का सारांश दो।
zh| 把这份合同里的付款条款翻译成英文。
ja| この手紙への返信の下書きを書いて。
ko| 이 계약서에 해지 조항이 있나요?
ru| Какие сроки указаны в этом письме?
pt| Esse contrato tem cláusula de multa por rescisão?
nl| Vat deze brief samen.
tr| Bu belgeyi özetler misin?
pl| Streść ten dokument.
vi| Tóm tắt trang này giúp tôi.
es| ¿Qué dice la sección de garantía?
de| Welche Kündigungsfrist steht im Vertrag?
fr| Traduis ce courrier en anglais, s'il te plaît.
ar| ما هي الالتزامات المذكورة في هذا العقد؟
hi| इस पत्र में कौन सी समय सीमा बताई गई है?
"""

SEEDS[("receipt", "preserve")] = r"""
The thermal print is fading - read the total digit by digit, I can't tell if it's 38 or 88.
Is the tip written by hand? How much is it?
Has anything on this receipt been altered or written over?
Is one of the items crossed out with a pen?
Count the number of items bought.
How many line items have a quantity greater than 1?
Is there a handwritten signature on the card slip?
Are the last four digits of the card 4391 or 4891? It's smudged.
Read every line of this crumpled receipt exactly; the creases make some digits ambiguous.
Check whether the printed total has been tampered with - does the font of the total match the rest?
Is the receipt stamped PAID?
Is the date 2026-03-08 or 2026-03-06? The print is faint.
Is there a tiny "refund" or "void" marker next to any item?
Is the store's tax registration number fully legible? Read it.
Which items have the little star symbol next to them?
Does the barcode at the bottom look complete, could it still be scanned?
Find the handwritten note on the back of this receipt and read it.
de| Ist der Betrag handschriftlich geändert worden? || fr| Le montant a-t-il été modifié à la main ?
es| ¿Cuántos artículos hay en el ticket? Cuéntalos uno por uno.
zh| 小票上的字很淡，请仔细辨认总金额的每一位数字。
ja| レシートに手書きの修正はありますか？
ru| Посчитай, сколько позиций в чеке.
pt| O recibo foi assinado à mão?
ko| 영수증의 카드 번호 마지막 네 자리를 정확히 읽어 주세요. 번져 있어요.
"""

SEEDS[("receipt", "full_low")] = r"""
Is this a receipt or an invoice?
Is the receipt crumpled?
Is this a photo of a receipt or a scan?
Is it a long or a short receipt?
What colour is the paper?
Is the receipt upside down?
Is this receipt in the picture at all or did I send the wrong photo?
does this look like a restaurant bill or a supermarket receipt
Is the whole receipt in frame or is part of it cut off?
Is the photo too blurry to use for an expense claim? Just a quick yes/no.
Is there a logo printed on it?
What's the receipt lying on?
Is it a thermal paper receipt?
Does the receipt have a barcode?
Is it from a card terminal or a cash register?
de| Ist das ein Kassenbon oder eine Rechnung? || fr| C'est un ticket de caisse ou une facture ? || es| ¿Es un ticket o una factura?
zh| 这是收据吗？
ja| これはレシートですか、それとも領収書ですか？
pt| A foto do recibo está nítida o suficiente?
ru| Чек помят?
ko| 영수증 사진이 잘렸나요?
"""

SEEDS[("receipt", "crop")] = r"""
What's the total at the bottom?
Which shop is this from? The name at the top.
What's the date on the receipt?
What's the time printed on it?
How much tax was charged?
What was the payment method, at the bottom?
What does the line under TOTAL say?
What's the address printed under the store name?
What's the receipt number at the top?
How much change was given?
Read the footer message at the very bottom.
What's the subtotal?
What's the phone number of the store?
What's the VAT amount at the bottom?
de| Wie hoch ist die Gesamtsumme unten? || fr| Quel est le total en bas ? || es| ¿Cuál es el total al final? || pt| Qual é o total no final? || it| Qual è il totale in fondo?
zh| 最下面的合计是多少？ || ja| 一番下の合計金額はいくら？ || ko| 맨 아래 합계 금액이 얼마예요?
ru| Какой магазин? Название сверху.
ar| ما هو المبلغ الإجمالي في الأسفل؟
hi| रसीद पर तारीख क्या है?
de| Welcher Laden ist das? Steht oben drauf.
"""

SEEDS[("receipt", "transcode")] = r"""
List all items and prices.
Convert this receipt into JSON with items, quantities, prices and total.
Add this to my expense report: merchant, date, amount, category.
How much did I spend on coffee?
Split this bill between 3 people, Anna had the pasta.
Check that the items add up to the total.
Which item was the most expensive?
Is alcohol on this receipt? My company doesn't reimburse it.
Make a CSV of the line items.
How much VAT can I reclaim?
What did I buy?
Was there any discount applied?
Categorise each item: groceries, household, other.
Translate the item names into English.
Extract merchant, date and total for accounting.
Did they charge me twice for anything?
How many calories roughly is what's on this receipt?
{"task": "extract_receipt", "fields": ["merchant", "date", "total", "currency"]}
Can I return the cable? Is there a return policy printed anywhere?
de| Liste alle Artikel mit Preis auf. || fr| Liste tous les articles avec leurs prix. || es| Enumera todos los artículos con sus precios. || pt| Liste todos os itens com preços.
zh| 把这张小票整理成表格：商品、数量、单价。
ja| このレシートを経費精算用にまとめて。
ko| 이 영수증 항목을 JSON으로 정리해 줘.
ru| Сколько я потратил на продукты по этому чеку?
ar| ما هي المشتريات المذكورة في هذا الإيصال؟
hi| इस बिल को तीन लोगों में बाँट दो।
it| Quanto ho speso in totale per la frutta?
tr| Bu fişteki ürünleri listele.
"""

SEEDS[("code_screenshot", "preserve")] = r"""
Are these lines indented with tabs or spaces?
Is that a lowercase l or the digit 1 on line 12?
Which line has the breakpoint dot in the gutter?
Where exactly is the red squiggly underline?
Is there a trailing space at the end of any line?
Is the character in the string a backtick or a single quote?
Which lines are highlighted as changed in the git gutter?
Count the number of open and close brackets, are they balanced?
Is the indentation of the else block off by one space?
What colour is each token type in this theme? I want to replicate it exactly.
Is that an em dash or a minus sign in the expression?
Are there any invisible/zero-width characters rendered as little boxes?
How many warnings are shown in the little badge at the bottom?
Is the font ligature on line 4 "!=" or "≠"?
de| Sind das Tabs oder Leerzeichen?
zh| 第12行那个是小写字母l还是数字1？
ja| インデントはタブですか、スペースですか？
ru| На какой строке стоит точка останова?
"""

SEEDS[("code_screenshot", "full_low")] = r"""
What language is this?
Is this dark or light theme?
Which editor is this, VS Code or IntelliJ?
Is this a terminal or an editor?
Roughly how long is this file?
Is this Python or JavaScript?
What theme is this? Looks nice.
Is the screen split into editor and terminal?
Is it a diff view?
Does the terminal show a lot of output or is it mostly empty?
Is this a Jupyter notebook?
Is there a file tree on the left?
Is this a mobile photo of a monitor or a real screenshot?
what font size would you guess this is, is it readable on a projector
Is the code syntax highlighted?
de| Welche Programmiersprache ist das? || fr| C'est quel langage ? || es| ¿Qué lenguaje es este? || pt| Que linguagem é essa? || zh| 这是什么编程语言？ || ja| これは何の言語？ || ko| 이건 무슨 언어야? || ru| Это какой язык программирования? || hi| यह कौन सी प्रोग्रामिंग भाषा है?
de| Ist das ein Terminal oder ein Editor?
es| ¿Es tema oscuro o claro?
"""

SEEDS[("code_screenshot", "crop")] = r"""
What's the file name in the tab at the top?
What does the status bar at the bottom say?
What's in the terminal panel at the bottom?
What's the last command typed in the terminal?
What's the git branch shown in the bottom left?
Read the line numbers at the top of the visible code.
What's the first line of the file?
What's in the file tree on the left?
What does the notification in the bottom right corner say?
What does the last line of the output say?
What's the prompt at the very bottom of the terminal?
What's the function name at the top?
Which files are open in the tabs?
What's written in the title bar?
de| Was steht in der Statusleiste unten?
fr| Quelle est la dernière commande tapée dans le terminal ?
zh| 底部终端里显示的是什么？
ja| 上のタブのファイル名は？
es| ¿Qué dice la última línea de la salida?
ko| 왼쪽 아래에 표시된 git 브랜치 이름이 뭐예요?
"""

SEEDS[("code_screenshot", "transcode")] = r"""
Find the bug.
Why does this crash?
Explain this code.
What does the error message say?
Convert this to TypeScript.
Add type hints to this function.
Refactor this into smaller functions.
Write unit tests for this.
What does this SQL query return?
How do I fix this traceback?
Is there an off-by-one error?
What does this function do?
Rewrite this in Go.
Why is the KeyError happening?
Copy this code so I can paste it.
Explain the compiler error.
Is this code thread-safe?
What's the time complexity?
Is there a security problem in this snippet?
Translate this Python to Rust.
Can you review this PR diff?
Document this function with a docstring.
Why does the borrow checker complain?
What's wrong with my SQL?
Optimise this query.
Here is the screenshot of my terminal after running the tests. Which tests failed?
This is the output after `npm run build`. What went wrong?
Tool result: screenshot of the CI log. Summarise the failure and propose a fix.
fix it
it doesn't work, why
Help! 😭 exam tomorrow and this won't compile
```\nwhat's wrong here?\n```
Write a commit message for this change.
Which dependencies are imported?
Where is the variable `retries` used?
de| Finde den Fehler im Code. || fr| Trouve le bug dans ce code. || es| Encuentra el error en este código. || pt| Ache o bug nesse código. || it| Trova il bug in questo codice. || zh| 帮我找出这段代码的bug。 || ja| このコードのバグを見つけて。 || ko| 이 코드에서 버그 찾아줘. || ru| Найди ошибку в этом коде. || hi| इस कोड में बग ढूंढो।
de| Was bedeutet diese Fehlermeldung?
fr| Explique-moi ce que fait cette fonction.
es| ¿Por qué falla este programa?
zh| 这个报错是什么意思？怎么解决？
ja| このエラーの原因は何ですか？
ko| 이 코드 설명해 줘.
ru| Перепиши этот код на TypeScript.
pt| Como eu resolvo esse erro?
ar| اشرح هذا الكود.
tr| Bu hata neden oluyor?
"""

SEEDS[("ui_screenshot", "preserve")] = r"""
Is the toggle next to "Notifications" on or off?
Which checkboxes are ticked?
Are all the form fields pixel-aligned? Check the left edges.
Count the icons in the toolbar.
Is any label truncated with an ellipsis?
Is the border of the input field 1px or 2px?
Which radio button is selected?
Are there any misaligned or overlapping elements anywhere in this screen?
Is the focus ring visible on the active field?
How many unread notifications does the badge show?
Is the contrast of the placeholder text accessible (WCAG AA)?
Spot every difference between this screenshot and the design spec I described: 16px padding, 8px radius, 14px labels.
Are the icons blurry or crisp on this retina screenshot?
Is there a tiny red error dot next to any menu item?
Does the password field show dots or the plain password?
Is the spinner still spinning (there is a small circle somewhere)?
How many items are in the list?
Is the "Remember me" box checked?
Find every place where the font size looks inconsistent.
de| Ist der Schalter für Benachrichtigungen an oder aus? || fr| L'interrupteur des notifications est-il activé ? || es| ¿El interruptor de notificaciones está activado? || ja| 通知のトグルはオンですか、オフですか？
zh| 帮我检查每个控件是否对齐，精确到像素。
ko| 체크된 항목이 몇 개인가요?
ru| Какая радиокнопка выбрана?
pt| Algum texto está cortado com reticências?
"""

SEEDS[("ui_screenshot", "full_low")] = r"""
Is the button blue?
Is this dark mode?
Did the dialog close?
Here is the screenshot after clicking Save. Did the dialog close?
Is this a login page?
Is it a mobile or desktop layout?
Describe the layout of this screen.
Does this page look broken?
Is there a modal open?
What colour is the primary button?
Is the sidebar collapsed or expanded?
Which app is this?
Does the design look modern?
Is the page still loading or did it render?
After clicking Submit I took this screenshot. Did the page change to a new screen?
Is there a big image or only text on this page?
What's the overall colour scheme?
Is the navigation at the top or the side?
Does this look like a settings page?
Is the screen empty?
Agent step 4: screenshot attached. Is the cookie banner gone?
Is a popup covering the page?
Did the page go fully white?
Is the dashboard showing charts?
Is the overlay dimming the background?
Is this the Windows or the macOS version?
Give me quick feedback on the visual design.
Does it look like the form was submitted (form disappeared)?
de| Ist der Button blau? || fr| Le bouton est-il bleu ? || es| ¿El botón es azul? || pt| O botão é azul? || zh| 按钮是蓝色的吗？ || ja| ボタンは青いですか？ || ko| 버튼이 파란색이에요? || ru| Кнопка синяя? || ar| هل الزر أزرق؟ || hi| क्या बटन नीला है?
de| Ist das Dark Mode?
fr| Est-ce une page de connexion ?
es| ¿Se cerró el diálogo?
zh| 这个界面是手机版还是电脑版？
ja| 画面のレイアウトを説明してください。
ru| Окно закрылось?
it| La pagina sembra rotta?
"""

SEEDS[("ui_screenshot", "crop")] = r"""
What does the toast in the bottom right say?
What's the user name in the top-right corner?
What's in the navigation bar?
What does the banner at the top say?
What are the menu items in the left sidebar?
What does the notification popup in the corner say?
What's the title of the dialog?
What's written on the button in the bottom right?
What does the breadcrumb at the top say?
What does the red text under the email field say?
What's the page title in the header?
Read the footer links.
What's the tooltip saying?
What does the status chip next to the title say?
What's in the top-left logo area?
de| Was steht in der Meldung unten rechts? || fr| Que dit la notification en bas à droite ? || es| ¿Qué dice el aviso de abajo a la derecha?
zh| 右上角的用户名是什么？
ja| 左のサイドバーのメニュー項目は何ですか？
ko| 상단 배너에 뭐라고 써 있어요?
ru| Что написано в заголовке диалога?
pt| O que diz a mensagem vermelha embaixo do campo de e-mail?
"""

SEEDS[("ui_screenshot", "transcode")] = r"""
What does the error toast say?
What does the error message say?
List all the menu items.
What fields does this form have?
Copy all the text from this screen.
Write test steps for this form.
Translate this UI into German.
What does the dialog ask me?
Here's the screenshot after clicking Upload. What does the message say?
What are the options in the settings page?
Write alt text for each control with its label.
What does this warning mean?
Explain this error to a non-technical user.
Why can't I log in? Here's the screen.
What are the prices of the plans on this pricing page?
What are the column names in this admin view?
Fill in this form for me: which fields are required?
What does the popup want me to agree to?
Browser agent: screenshot after submit. Did the server return an error, and what's the text?
Is the error about the password or the email?
Summarise the notifications shown.
Extract all the settings and their current values.
Which plan is the cheapest according to this page?
What should I click to export? Read me the button labels.
Describe this screen for a screen-reader user.
Check the copy on this screen for spelling mistakes.
de| Was sagt die Fehlermeldung? || fr| Que dit le message d'erreur ? || es| ¿Qué dice el mensaje de error? || pt| O que diz a mensagem de erro? || it| Cosa dice il messaggio di errore? || zh| 错误提示写的是什么？ || ja| エラーメッセージには何と書いてありますか？ || ko| 오류 메시지에 뭐라고 나와요? || ru| Что написано в сообщении об ошибке? || ar| ماذا تقول رسالة الخطأ؟ || hi| एरर मैसेज में क्या लिखा है? || tr| Hata mesajı ne diyor?
de| Welche Felder hat dieses Formular?
fr| Traduis cette interface en anglais.
es| Lista todas las opciones del menú.
zh| 这个弹窗让我同意什么？
ja| この画面のテキストを全部書き出して。
ko| 이 설정 화면의 옵션들을 정리해 줘.
ru| Почему я не могу войти? Вот скриншот.
pt| Quais são os preços dos planos nesta página?
nl| Wat staat er in deze foutmelding?
"""

SEEDS[("table", "preserve")] = r"""
What's the exact value in row 37, column F?
Count the rows in this table.
Which cells are highlighted in red?
Is the value in the third row 1,086 or 1,066?
Check every number against the previous version I pasted: 12.5, 8.75, 103.2, 44.
Which rows have a tiny warning icon?
Find the cell with a strikethrough.
Are any cells empty?
Which cells have a green background?
How many rows have status "late"?
Is the minus sign in front of 4.20 in row 12 or is it a dash?
Read the entire spreadsheet exactly, every cell, it's for an audit.
Which column is bold?
de| Welche Zellen sind rot markiert? || fr| Quelles cellules sont surlignées en rouge ? || es| ¿Qué celdas están marcadas en rojo?
zh| 表格一共有多少行？请数清楚。
ja| 空欄のセルはありますか？
ru| Какое точное значение в строке 37, столбце F?
pt| Quantas linhas têm o status "late"?
"""

SEEDS[("table", "full_low")] = r"""
Is this a spreadsheet or a table in a document?
Roughly how big is this table?
What colour is the header row?
Is the table striped?
Is the table empty or filled in?
Is this Excel or Google Sheets?
Does this table have many columns?
Does the table have gridlines?
Is it a wide or a tall table?
Is the table formatted nicely enough for a slide?
Is there a chart next to the table or just the table?
de| Ist das eine Excel-Tabelle? || fr| C'est un tableur Excel ? || es| ¿Es una hoja de Excel?
zh| 表头是什么颜色？
ja| この表は見やすいデザインですか？
ru| Таблица большая?
"""

SEEDS[("table", "crop")] = r"""
What are the column headers?
What's in the total row at the bottom?
What's the title above the table?
What's in the first column?
What's the name of the sheet tab at the bottom?
What's the last row of the table?
Read the header row only.
What's the grand total in the bottom-right cell?
What's the first entry?
What's the top-left cell?
de| Wie lauten die Spaltenüberschriften? || fr| Quels sont les en-têtes de colonnes ? || es| ¿Cuáles son los encabezados de las columnas? || zh| 表头有哪些列？ || ja| 列の見出しは何ですか？ || ko| 열 제목이 뭐예요?
ru| Что в итоговой строке внизу?
pt| Qual é o total na última linha?
"""

SEEDS[("table", "transcode")] = r"""
Convert this table to CSV.
Turn this into a markdown table.
Which region had the highest Q3 sales?
Sum up the Total column.
Summarise the main findings from this table.
Sort these rows by price.
Which owner has the most open items?
Extract this table as JSON.
What's the average score?
Which items are over 500?
Compare Q1 and Q4 for each region.
Transpose this table.
Is there a duplicate SKU?
Make a pivot by status.
Which employee has the earliest deadline?
Put this into a pandas DataFrame.
Which rows are still open?
What's the growth from Q1 to Q2 in percent for each row?
Write SQL to create a table with these columns and insert these rows.
Find rows where Qty * Price doesn't equal Total.
de| Wandle die Tabelle in CSV um. || fr| Convertis ce tableau en CSV. || es| Convierte esta tabla a CSV. || pt| Converta esta tabela para CSV. || zh| 把这个表格转成CSV。 || ja| この表をCSVに変換して。 || ko| 이 표를 CSV로 바꿔 줘. || ru| Преобразуй таблицу в CSV.
de| Welche Region hatte den höchsten Umsatz?
fr| Quelle est la moyenne de la colonne Score ?
es| ¿Qué fila tiene el valor más alto?
zh| 帮我总结这张表的主要结论。
ja| 合計列の合計を計算して。
ko| 상태가 open인 행만 뽑아 줘.
hi| इस तालिका का सार बताओ।
ar| حوّل هذا الجدول إلى JSON.
"""

SEEDS[("chart", "preserve")] = r"""
What's the exact value of the March bar?
Read the exact values of every data point.
Convert this chart into a table with the exact numbers.
Which two bars are closest in value, precisely?
What's the value on the y-axis where the blue line peaks?
Count the data points on the orange line.
What are the tick labels on the y-axis?
At week 7, is Web above or below Mobile? They almost overlap.
What percentage is written inside the smallest slice?
Is the y-axis starting at zero or truncated? Read the first tick.
Read the small annotation next to the peak.
How many bars are there?
What is the difference between the 2025 and 2026 bars in May, exactly?
Which series has the marker at 420?
Digitize this line chart: give me x,y pairs.
Is the dashed line above the solid one anywhere between Aug and Sep?
Are the error bars overlapping for group A and group B?
de| Wie hoch ist der genaue Wert im März? || fr| Quelle est la valeur exacte en mars ? || es| ¿Cuál es el valor exacto de marzo? || pt| Qual é o valor exato de março? || zh| 三月份的具体数值是多少？ || ja| 3月の正確な値はいくつですか？ || ko| 3월 값이 정확히 얼마예요? || ru| Какое точное значение в марте?
de| Wie viele Datenpunkte hat die Linie?
fr| Transforme ce graphique en tableau avec les valeurs exactes.
zh| 纵轴的刻度是多少？
ar| ما هي القيمة الدقيقة لكل عمود؟
"""

SEEDS[("chart", "full_low")] = r"""
Is the trend going up or down?
What kind of chart is this?
Which slice is the biggest?
What's the overall trend?
Does the line go up at the end?
Which bar is the tallest, roughly?
Are there any big spikes?
What colours are used in the chart?
Is this a bar chart or a line chart?
Is there a seasonal pattern?
Describe this chart in one sentence.
Is revenue growing?
Does the chart look cluttered?
Is this chart good for a presentation?
Did latency get worse over time?
Which series is generally higher, blue or orange?
Is the distribution skewed?
Are the two lines diverging or converging?
Is this a stacked area chart?
How many series are plotted, roughly?
Is the pie roughly evenly split?
Write alt text for this chart.
Does the drop happen near the beginning or the end?
Is the low point early or late in the period?
Is the chart readable in grayscale?
de| Geht der Trend nach oben oder unten? || fr| La tendance est-elle à la hausse ou à la baisse ? || es| ¿La tendencia es al alza o a la baja? || pt| A tendência é de alta ou de baixa? || it| La tendenza è in crescita o in calo? || zh| 趋势是上升还是下降？ || ja| 傾向は上がっていますか、下がっていますか？ || ko| 추세가 올라가요 내려가요? || ru| Тренд растёт или падает? || ar| هل الاتجاه صاعد أم هابط؟ || hi| रुझान ऊपर जा रहा है या नीचे?
de| Was für ein Diagramm ist das?
fr| Quelle part du camembert est la plus grande ?
es| Describe este gráfico en una frase.
zh| 哪个柱子最高？
ja| このグラフの種類は何ですか？
ru| Есть ли резкие скачки на графике?
pt| A receita está crescendo?
"""

SEEDS[("chart", "crop")] = r"""
What does the legend say?
What's the chart title?
What are the labels on the x-axis?
What's the y-axis label?
Which colour is Mobile in the legend?
Read the legend in the top right.
What does the subtitle under the title say?
What's the source note at the bottom?
What unit is on the y-axis?
What's the label of the last bar on the right?
de| Was steht in der Legende? || fr| Que dit la légende ? || es| ¿Qué dice la leyenda? || pt| O que diz a legenda? || zh| 图例写的是什么？ || ja| 凡例には何と書いてありますか？ || ko| 범례에 뭐라고 써 있어요? || ru| Что написано в легенде? || hi| लेजेंड में क्या लिखा है?
fr| Quel est le titre du graphique ?
es| ¿Qué hay en el eje X?
"""

SEEDS[("chart", "transcode")] = r"""
What's the title and what are the axis labels?
List the category names shown.
Copy all the text on this chart.
What do the annotations on this chart say?
What are the series names?
Translate the labels of this chart into French.
What's the footnote text under the chart?
What text is on this chart? I need it for the caption.
de| Übersetze die Beschriftungen des Diagramms. || es| Traduce las etiquetas del gráfico.
zh| 把图表上的所有文字列出来。
ja| グラフの文字をすべて書き出して。
"""

SEEDS[("diagram", "preserve")] = r"""
Follow every arrow and tell me the exact order of steps.
Count the boxes.
Is there an arrow from Auth to Postgres?
Which way does the arrow between Queue and Worker point?
Convert this diagram to Mermaid with all edges.
What are the small labels on the arrows?
Is the line between Cache and Orders dashed or solid?
Are there any arrows that don't connect to anything?
Which boxes have double borders?
What does the tiny label on the decision diamond's "no" branch say?
How many connections does the API Gateway have?
Redraw this as PlantUML exactly.
Is there a cycle in this graph?
Which component has the most incoming arrows?
de| Zeichne das Diagramm als Mermaid nach, mit allen Pfeilen. || fr| Convertis ce schéma en Mermaid avec toutes les flèches. || es| Convierte este diagrama a Mermaid con todas las flechas. || zh| 把这个图转成Mermaid，箭头一个都不能少。 || ja| この図を矢印も含めてMermaidに変換して。
ru| Сколько стрелок выходит из Gateway?
pt| Quantas caixas tem o diagrama?
ko| 화살표 방향을 하나하나 따라가서 순서를 알려 줘.
"""

SEEDS[("diagram", "full_low")] = r"""
What kind of diagram is this?
Is this a flowchart or an architecture diagram?
Is it a tree or a pipeline?
What colours are the boxes?
Is the diagram complex or simple?
Does it flow left to right or top to bottom?
Is this hand-drawn or made in a tool?
Does this look like a sequence diagram?
Is the diagram cluttered?
Would this diagram fit on a slide?
Roughly how many parts does the system have?
Is it symmetric?
de| Was für ein Diagramm ist das? || fr| Quel type de schéma est-ce ? || es| ¿Qué tipo de diagrama es? || zh| 这是什么类型的图？ || ja| これはどんな図ですか？ || ru| Что это за схема?
pt| O diagrama é simples ou complexo?
ko| 왼쪽에서 오른쪽으로 흐르나요?
"""

SEEDS[("diagram", "crop")] = r"""
What's in the box at the top?
What does the legend box in the corner say?
What's the caption at the bottom?
What's the last step at the bottom?
What's the first box on the left?
What's the title of the diagram?
What's written in the bottom-right box?
What's the start node?
de| Was steht im obersten Kasten? || fr| Qu'y a-t-il dans la boîte du haut ?
zh| 最下面的说明文字是什么？
es| ¿Cuál es el primer paso, arriba a la izquierda?
"""

SEEDS[("diagram", "transcode")] = r"""
List all the component names.
What's written in each box?
Copy the text labels from this diagram.
Translate the box labels into English.
What does the caption say?
What services are mentioned?
Write a glossary for all the terms in this diagram.
Make a checklist from the step names.
de| Liste alle Komponenten auf. || es| Enumera todos los componentes. || zh| 列出图里所有组件的名字。 || ja| 図に出てくるコンポーネント名を全部挙げて。 || ru| Перечисли все компоненты на схеме.
fr| Que disent les étiquettes des boîtes ?
pt| Quais serviços aparecem no diagrama?
"""

SEEDS[("photo", "preserve")] = r"""
How many people are in this photo?
Count the birds on the wire.
Are there any scratches on the phone screen?
Is there a crack in the windshield?
Read the serial number on the device.
Are there dead pixels on this monitor photo?
Is the fabric torn anywhere?
How many apples are in the bowl?
Is there rust on the bike chain?
Inspect this weld for porosity or cracks.
Is the person in the background wearing glasses?
What bird species is this? Look at the beak and feather pattern.
Are there any dents on the car door?
Is this mole symmetric with smooth borders?
Count the cars in the parking lot.
Is there mold on the bread?
Are the solder joints on this PCB good?
Are there hairline cracks in the ceramic?
How many stitches are on the wound?
Is there any damage on the package corner?
Identify the mushroom: gill pattern, ring, colour of the stem.
Is the tyre tread worn out?
Check the photo for signs of editing or Photoshop.
Is this diamond real? Look closely at the facets.
What time does the clock on the wall show?
Which chess pieces are on the board and where?
Count the pills in the tray.
Is there a small insect on the leaf?
Check this screen protector for bubbles and dust specks.
Is the paint chipped on the edge of the table?
Compare the two shoes, are they exactly the same model (stitching, logo)?
Look at the eyes - is this photo AI-generated?
Are there any defects on this injection-molded part?
de| Wie viele Personen sind auf dem Foto? || fr| Combien de personnes y a-t-il sur la photo ? || es| ¿Cuántas personas hay en la foto? || pt| Quantas pessoas há na foto? || it| Quante persone ci sono nella foto? || zh| 照片里有几个人？ || ja| 写真に何人写っていますか？ || ko| 사진에 몇 명이 있어요? || ru| Сколько человек на фото? || ar| كم عدد الأشخاص في الصورة؟ || hi| फोटो में कितने लोग हैं?
de| Hat der Bildschirm Kratzer? || fr| L'écran a-t-il des rayures ? || es| ¿La pantalla tiene rayones? || zh| 屏幕上有划痕吗？ || ja| 画面に傷はありますか？ || ko| 화면에 흠집이 있어요?
fr| Compte les oiseaux sur le fil.
es| ¿Hay óxido en la cadena de la bici?
zh| 这个零件有没有裂纹？请仔细看。
ja| 壁の時計は何時を指していますか？
ru| Есть ли вмятины на двери машины?
pt| Essa solda tem trincas?
ko| 이 버섯 종류가 뭔지 주름이랑 대를 자세히 보고 알려줘.
tr| Ekranda ölü piksel var mı?
"""

SEEDS[("photo", "full_low")] = r"""
What is this?
What's in this picture?
Describe this photo.
Is it day or night?
Indoors or outdoors?
What's the weather like?
What colours dominate?
What's the mood of this picture?
Write a caption for Instagram.
Write alt text for this image.
Is this a beach or a mountain?
Is the photo too dark?
Is it blurry?
Where could this have been taken?
What season is it?
Is this a good profile picture background?
Is there a person in the picture?
Is the horizon straight?
Would this work as a desktop wallpaper?
What's the main subject?
Is this a landscape or a portrait shot?
Is there water in the scene?
Does the composition follow the rule of thirds?
Suggest a title for this photo.
What's the vibe here?
Is this photo overexposed?
Is there a dog in the photo?
what do you think
Is it a sunset?
Which filter would suit this picture?
Describe the scene for my blind friend.
Rate this photo.
Does it look like a city or the countryside?
Generate 5 hashtags for this.
Is this a stock-photo kind of picture?
Is it raining?
Is the sky clear?
What colour is the car?
Does this room look tidy?
Is this a forest?
Is the image upside down?
Is this picture appropriate for a kids' website?
Which object is in the middle of the frame?
Write a short poem inspired by this picture.
de| Was ist auf dem Bild? || fr| Qu'y a-t-il sur cette image ? || es| ¿Qué hay en esta imagen? || pt| O que tem nesta imagem? || it| Cosa c'è in questa immagine? || zh| 这张图片里有什么？ || ja| この写真には何が写っていますか？ || ko| 이 사진에 뭐가 있어요? || ru| Что на этой картинке? || ar| ماذا يوجد في هذه الصورة؟ || hi| इस तस्वीर में क्या है? || tr| Bu fotoğrafta ne var? || nl| Wat staat er op de foto? || pl| Co jest na tym zdjęciu? || vi| Trong ảnh này có gì?
de| Ist es Tag oder Nacht? || fr| Il fait jour ou nuit ? || es| ¿Es de día o de noche? || zh| 是白天还是晚上？ || ja| 昼ですか、夜ですか？
de| Schreib eine Bildunterschrift für Instagram.
fr| Décris l'ambiance de cette photo.
es| ¿Dónde crees que se tomó esta foto?
pt| A foto está escura demais?
zh| 帮我给这张照片配一段朋友圈文案。
ja| この写真に合うタイトルを考えて。
ko| 이 사진 분위기 어때?
ru| Опиши эту фотографию.
ar| صف هذه الصورة.
hi| इस फोटो के लिए कैप्शन लिखो।
it| Che tempo fa nella foto?
pl| Czy to zdjęcie jest rozmazane?
"""

SEEDS[("photo", "crop")] = r"""
What's in the top-left corner?
What's the object on the left?
What is the person on the right holding?
What's in the background behind the tree?
What's that thing in the bottom right?
What is on the table in the foreground?
Zoom into the window on the top right - is anyone there?
What's on the shelf at the back?
What's the animal in the lower left?
What's hanging on the wall on the left side?
Is the door at the far end open?
What's floating in the water in the middle?
de| Was ist da oben links in der Ecke? || fr| Qu'y a-t-il dans le coin en haut à gauche ? || es| ¿Qué hay en la esquina superior izquierda? || zh| 左上角是什么？ || ja| 左上の隅にあるのは何？ || ko| 왼쪽 위 구석에 있는 게 뭐예요? || ru| Что в левом верхнем углу?
pt| O que a pessoa da direita está segurando?
it| Cos'è quell'oggetto in basso a destra?
"""

SEEDS[("photo_text", "preserve")] = r"""
What does the small sign say?
Read the serial number on the label.
What's the licence plate number?
What's the expiry date on the package?
What does the name tag say?
Read the text on the sticker.
What's the WiFi password on the card?
What's the model number on the sticker under the device?
What does the street sign say?
Read the lot number on the bottle.
What's the voltage rating printed on the plate?
What's the gate number on the board?
Is there any text in this photo? Read all of it exactly.
What's written on the mug?
What's the price on the shelf tag?
What's the platform number?
What's the small print on the warning label?
What does the graffiti say?
What's the house number?
Which route does the bus sign show?
What's the batch code on the can?
What's the max load on the elevator plate?
Read the dosage on the medicine box.
de| Was steht auf dem kleinen Schild? || fr| Que dit le petit panneau ? || es| ¿Qué dice el letrero pequeño? || pt| O que diz a plaquinha? || it| Cosa dice il cartello piccolo? || zh| 那个小牌子上写的什么？ || ja| 小さな看板には何と書いてありますか？ || ko| 작은 표지판에 뭐라고 써 있어요? || ru| Что написано на маленькой табличке? || ar| ماذا مكتوب على اللافتة الصغيرة؟ || hi| छोटे बोर्ड पर क्या लिखा है?
de| Wie lautet die Seriennummer auf dem Etikett? || fr| Quel est le numéro de série sur l'étiquette ? || zh| 标签上的序列号是多少？ || ja| ラベルのシリアル番号を読んで。 || ru| Какой серийный номер на наклейке?
es| ¿Cuál es la matrícula del coche?
zh| 包装上的保质期是什么时候？
ja| 薬の箱に書いてある用量は？
ko| 와이파이 비밀번호가 뭐예요?
pt| Qual é a data de validade na embalagem?
tr| Plakada ne yazıyor?
"""

SEEDS[("photo_text", "full_low")] = r"""
Where was this taken?
What colour is the sign?
Is it daytime?
Describe the street.
Is this a train station?
Is there a sign in the photo at all?
What kind of place is this?
Describe the photo in one line.
Is the sign big or small compared to the building?
Is the label on the device facing the camera?
de| Wo wurde das aufgenommen? || fr| Où cette photo a-t-elle été prise ? || es| ¿Dónde se tomó esto? || zh| 这是在哪里拍的？ || ja| これはどこで撮られた写真？ || ru| Где это снято?
pt| De que cor é a placa?
ko| 이 사진 어떤 장소야?
"""

SEEDS[("photo_text", "crop")] = r"""
What does the sign on the left say?
What does the label at the bottom say?
What's the plate on the car in front?
What does the sign above the door say?
Read the sticker in the top right.
What's written on the board on the right side?
What's on the label on the bottom of the device?
What does the banner at the top say?
What's the name on the shop front in the middle?
de| Was steht auf dem Schild links? || fr| Que dit le panneau à gauche ? || es| ¿Qué dice el letrero de la izquierda? || zh| 左边的牌子写的是什么？ || ja| 左の看板には何と書いてある？ || ko| 왼쪽 표지판에 뭐라고 써 있어요?
ru| Что написано на табличке над дверью?
pt| O que diz o adesivo no canto superior direito?
"""

SEEDS[("photo_text", "transcode")] = r"""
Transcribe the menu board.
Translate the poster.
What does the whiteboard say?
Type out the notes on this whiteboard.
Translate this street sign into English.
Copy the text from this page I photographed.
What are the opening hours posted on the door?
Transcribe the handwritten note in this photo into text.
Summarise the notice taped on the wall.
What are the dishes on this menu and their prices?
Translate the ingredients on the package.
de| Übersetze das Schild ins Englische. || fr| Traduis ce panneau en anglais. || es| Traduce este cartel al inglés. || pt| Traduza esta placa para o inglês.
zh| 帮我把这张菜单翻译成英文。 || ja| このメニューを英語に翻訳して。 || ko| 이 메뉴판 영어로 번역해 줘.
ru| Перепиши текст с доски.
ar| ترجم هذه اللافتة إلى العربية.
hi| इस नोटिस का अनुवाद हिंदी में करो।
"""

SEEDS[("mixed", "preserve")] = r"""
What are the exact values in the chart on this slide?
Count the people in the photo inside the screenshot.
Read the tiny footnote on the slide.
Check the slide for typos, including the chart labels and the footer.
What's the exact percentage on the smallest slice in the slide's chart?
Is the photo in the chat blurry or are there scratches on the item?
Read every number on this slide exactly.
de| Welche genauen Werte zeigt das Diagramm auf der Folie? || fr| Quelles sont les valeurs exactes du graphique de la diapo ?
zh| 幻灯片上图表的具体数值是多少？
ja| スライドの小さな脚注を読んで。
"""

SEEDS[("mixed", "full_low")] = r"""
Is this a slide or a web page?
What's the colour scheme of the slide?
Does the slide look balanced?
Is there a chart on the slide?
Is this a chat screenshot with a photo in it?
Does the layout look cluttered?
Is the embedded picture a landscape?
Is the slide dark-themed?
Is the chart on the right going up?
zh| 这张幻灯片的配色怎么样？
ja| スライドのデザインはすっきりしていますか？
"""

SEEDS[("mixed", "crop")] = r"""
What's the title of the slide?
What does the chart on the right show? Just that part.
What's in the photo in the message?
What's the footer of the slide?
What's the legend of the chart on the slide?
What does the caption under the picture say?
What's the slide number in the bottom corner?
de| Wie lautet der Titel der Folie? || fr| Quel est le titre de la diapositive ? || zh| 幻灯片的标题是什么？ || ja| スライドのタイトルは？
pt| O que mostra o gráfico à direita?
"""

SEEDS[("mixed", "transcode")] = r"""
Summarise this slide.
Extract the bullet points.
Write speaker notes for this slide.
Translate the slide text into Japanese.
What does the article text under the photo say?
Turn this slide into an email.
What are the key messages?
Summarise the chat messages.
de| Fasse die Folie zusammen. || fr| Résume cette diapositive. || es| Resume esta diapositiva. || pt| Resuma este slide. || zh| 总结一下这张幻灯片。 || ja| このスライドを要約して。 || ko| 이 슬라이드 요약해 줘. || ru| Кратко перескажи слайд.
hi| इस स्लाइड के मुख्य बिंदु बताओ।
ar| استخرج النقاط الرئيسية من الشريحة.
"""

# ---- second batch of hand-written seeds (appended to the cells above) ----
MORE: dict[tuple[str, str], str] = {}

MORE[("document", "preserve")] = r"""
Is the notary seal embossed or just printed?
Does the stamp's ink bleed over the signature, or was the signature added after stamping?
Which of the multiple-choice answers did the student circle?
Are the page numbers in the corner consistent with the rest of the scan, or was a page swapped in?
There's a handwritten number next to paragraph 4 - is it a 7 or a 1?
How many signatures are on this page? Count them all.
Is the red correction fluid visible anywhere?
Check each digit of the account number against 4711 0815 2233 - any mismatch?
Is there a small "DRAFT" watermark anywhere on the page?
Is the date stamp 03.11 or 08.11? The ink is smudged.
Which words in the handwritten addendum are hard to read? Read them as carefully as you can.
Are there tiny dots or tracking marks printed in the margin?
Which options in the survey are marked with an X?
Is the stamp partially covering the amount?
Does the fax header at the very top show the same date as the letter? Compare digit by digit.
Is the kerning different in the amount field compared to the rest of the line? Looks edited.
Were any lines of this contract printed in a slightly different shade of black?
My kid's homework page: check every handwritten answer of the arithmetic problems.
Are all pages initialled? Look at the bottom corners carefully.
Is the degree symbol in the dosage line really a degree sign or a zero?
Read the chemical formula in line 3 with all subscripts and charges.
Are the musical notes in bar 12 quarter notes or eighth notes?
it's an old typewritten page, some letters are broken - transcribe it exactly, don't autocorrect anything
What's the handwritten amount in the "paid" field?
Is there any text written in the gutter between the two columns?
ar| هل التوقيع في أسفل الصفحة بخط اليد؟
it| Ci sono correzioni scritte a mano su questa pagina?
es| ¿El sello tapa alguna parte del texto?
"""

MORE[("document", "full_low")] = r"""
Is this a printed page or a photo of a screen?
Does the page have a coloured header band?
Are there photos on this page?
Is this a newsletter?
Does it look like an invoice or a letter?
How much of the page is filled, roughly?
Is the document in colour?
Which side has the logo, left or right?
Does this page look like a table of contents?
Are there any images or diagrams at all?
Does the page have a border?
Is this a title page?
Does the layout look like a magazine article?
Is it a form with boxes to fill in?
Is this a certificate? It looks fancy.
Is the scan too dark?
Is the page a slide or a document?
Is the text aligned left or justified, roughly?
Are there any big headings or is it all one block of text?
Is there a signature area at the bottom or not?
Is the left margin bigger than the right one?
Is the paper folded or creased?
Is there a big coloured stamp?
Does it look like a bank statement?
Does the document look like it's been photographed on a desk?
Is it printed on letterhead paper?
Is this a single page or are there two pages side by side?
Is the PDF rendering broken (black boxes, missing fonts)?
Would this look OK in grayscale?
Is this an official-looking certificate or a receipt?
fr| Est-ce une lettre ou un formulaire ?
es| ¿Hay un logotipo en la parte superior?
zh| 这页是彩色的还是黑白的？
ru| Есть ли на странице картинки?
ko| 이 페이지는 표지인가요?
"""

MORE[("document", "crop")] = r"""
What's the name in the signature block?
Read the header on the right side.
What's the date at the bottom of the letter?
What's printed in the top margin?
What's the document ID in the footer?
What's the heading of the last section on the page?
What's written in the "Remarks" box at the bottom?
Who is the recipient in the address window?
What's the chapter title at the top?
Read the first paragraph only.
What's in the top-left corner, the sender's address?
What does the note at the bottom of the page say?
What's the form number printed in the corner?
What's the amount in the "Total" box at the bottom of the form?
What's the title of the table on this page?
What's the name in the "Prepared by" line at the bottom?
Read the label on the stamp.
What's the file reference in the top right?
What is the running head at the top of the page?
What's the effective date in the first line?
What's the name of the journal in the header?
de| Wie lautet das Aktenzeichen oben rechts?
fr| Qui a signé en bas ?
es| ¿Qué dice la nota al pie de la página?
zh| 页面底部签名处的名字是什么？
it| Qual è il titolo in alto?
"""

MORE[("document", "transcode")] = r"""
What's this letter about?
Give me a one-line summary.
Who wrote this and what do they want?
Rewrite this page as a formal email.
List every requirement mentioned.
Extract the ingredient list and quantities from this recipe page.
What are the steps in this procedure?
Turn the recipe into a shopping list.
Which sections does this page cover?
Is the warranty period longer than two years?
What does it say about data protection?
Summarise the meeting minutes and list decisions.
Translate to French, keep the formatting.
How many days of notice do I have to give?
What penalties does the contract mention?
What is being proposed in this memo?
Create a to-do list from this page.
Extract the address and phone number.
Explain the medical terms in this report.
What's the diagnosis in this report?
Is this letter a reminder or a final notice?
What's the interest rate on this statement?
Extract all headings as an outline.
Which dates are deadlines?
Explain this clause: is it fair to the tenant?
Find the contradiction between paragraphs 2 and 4.
Translate this birth certificate into English (certified-translation draft).
What grade did the student get, according to this report card?
Paste the text into a markdown code block.
Write a LinkedIn post based on this article.
Does this page mention GDPR?
Give me the key numbers from this annual report page.
What questions should I ask my lawyer about this page?
Turn this page into 10 Anki cards.
Who are the authors of this paper?
Extract: invoice number, date, amount due, IBAN.
What's the dosage schedule in this leaflet?
Explain this bill to me.
Is this a scam letter? What does it ask for?
What's the main finding in the results section?
Convert this doc to HTML.
Check this CV for spelling errors and weak phrasing.
Make a glossary of the technical terms.
What's the return address?
Does it say I can cancel online?
What's the claim number and who do I contact?
de| Worum geht es in diesem Brief?
de| Erstelle eine To-do-Liste aus diesem Dokument.
fr| De quoi parle cette lettre ?
es| Traduce este documento al inglés.
pt| Quais são os prazos mencionados?
zh| 这封信是什么意思？要我做什么？
ja| この契約書の解約条件を教えて。
ko| 이 문서를 영어로 번역해 줘.
ru| Выпиши все даты и суммы из документа.
it| Traduci questa pagina in inglese.
"""

MORE[("receipt", "preserve")] = r"""
Is the receipt a copy or the original (is there a "COPY" mark somewhere)?
Are any of the numbers handwritten over the print?
Read the faded line items exactly - the thermal paper is half black from heat.
How many coffees are on the receipt exactly? Count the lines.
Is there a small tick mark next to the items I already claimed?
Is the tip line blank or filled in by hand?
Are the prices printed in the same font, or was one line edited?
Which items have a tiny "R" (reduced VAT) after the price?
Is the receipt torn through any of the digits?
The restaurant wrote the total with a pen - what number is it?
de| Ist das Trinkgeld handschriftlich eingetragen? Wie viel?
zh| 小票上有没有手写的修改？
es| ¿La propina está escrita a mano? ¿Cuánto es?
"""

MORE[("receipt", "full_low")] = r"""
Is it a long receipt from a supermarket?
Is the receipt on a dark or light background?
Does this look like a parking ticket or a shop receipt?
Is the receipt wet or stained?
Is the photo taken at an angle?
Did I photograph the front or the back of the receipt?
Is this one receipt or two?
Is the receipt faded overall?
Is the image in focus?
Is this a taxi receipt or a store receipt?
Is there a hand holding the receipt?
fr| Le ticket est-il froissé ?
de| Ist der Beleg komplett auf dem Foto?
zh| 这张小票拍歪了吗？
"""

MORE[("receipt", "crop")] = r"""
What's the store's address at the top?
What's the card type at the bottom?
What's the transaction ID at the bottom?
How much was the tip, the line under the subtotal?
What does it say under the barcode?
What's the cashier's name at the top?
What's the total amount paid by card?
What time was this printed? It's under the store name.
What's the VAT number under the header?
What's the name of the restaurant?
What's the first item?
What's the last item on the list?
Read me the line that says TOTAL.
fr| Quel est le nom du magasin ?
es| ¿Cuánto fue el IVA?
ja| 店名は何ですか？一番上。
ru| Какая дата на чеке?
ko| 이 가게 이름이 뭐예요?
"""

MORE[("receipt", "transcode")] = r"""
Reimbursement form: fill in date, vendor, net, VAT, gross.
How much did I pay per item on average?
How much of this is food vs drinks?
Is the math on this receipt correct?
What would the total be without the tip?
Which items are household items?
Put this into my budget spreadsheet format: date;shop;amount;category
Find the most expensive line.
Convert the prices to USD at 1.08.
Is this receipt valid for a tax deduction? What's on it?
What's the price of the milk?
Did they charge for the bag?
What payment method was used and what's the total?
Write a short summary of this purchase.
I think I got overcharged for the bagels, can you check?
Summarise: store, date, number of items, total.
How much did each person owe if we split evenly between 4?
de| Wie viel habe ich für Getränke ausgegeben?
fr| Fais-moi un résumé de cet achat.
es| ¿Cuánto pagué por la leche?
zh| 这张小票一共买了什么？花了多少钱？
ja| 飲み物にいくら使った？
ko| 4명이 나눠 내면 한 명당 얼마예요?
pt| Coloque isso numa planilha: data, loja, valor.
"""

MORE[("code_screenshot", "preserve")] = r"""
Is the cursor on line 17 or 18?
Which line has the yellow warning triangle?
Is that a semicolon or a colon at the end of line 5?
Are the two dashes in `--config` two hyphens or an en dash?
Is there a red dot on the tab title (unsaved file)?
Count the lines in this function exactly.
Are the quotes straight or curly? Copy-pasting from Word broke my code.
Does the minimap on the right show any red error markers?
Which lines are shown as deleted (red) in this diff?
Is that `O` or `0` in the variable name on line 9?
Is line 23 indented with 3 spaces or 4?
Are there any merge-conflict markers visible?
How many tabs are open at the top?
ko| 9번째 줄 변수명에 있는 게 알파벳 O예요 숫자 0이에요?
fr| Est-ce un point-virgule ou deux-points à la fin de la ligne 5 ?
"""

MORE[("code_screenshot", "full_low")] = r"""
Is this frontend or backend code?
Is the terminal showing a lot of red?
Is this vim or emacs?
Is this HTML?
Is the screenshot of code or of a config file?
Does the editor use a light theme? My eyes hurt.
Is this a diff or a normal file?
Is this a Windows terminal or a Mac terminal?
Is the file mostly comments?
Is this code or a stack trace?
Does it look like the build passed (green) or failed (red)?
Is this a notebook with outputs or plain code?
What's the rough structure - one big function or many small ones?
Does the code look minified?
Is this an IDE or a web page with code?
Is this SQL?
Is it a screenshot of GitHub?
fr| C'est du Python ?
ja| これはターミナル？エディタ？
ru| Это тёмная тема?
zh| 这是 VS Code 吗？
pt| Isso é um terminal ou um editor?
"""

MORE[("code_screenshot", "crop")] = r"""
What's the Python version shown in the status bar?
What's the name of the open file in the breadcrumb?
What does the tooltip over the function say?
Which extension is showing in the bottom right?
What's the last error line at the bottom of the terminal?
What's the command at the top of the terminal output?
Read the exception line at the bottom.
What's the encoding in the status bar (UTF-8?)
What's the current working directory in the prompt?
What's the exit code at the end?
What's the file path in the title?
Which line is the cursor on, according to the status bar?
What's the class name at the top of the file?
es| ¿Cuál es la última línea del terminal?
ru| Какое имя файла во вкладке сверху?
de| Welche Zeile und Spalte steht unten in der Statusleiste?
"""

MORE[("code_screenshot", "transcode")] = r"""
What does line 12 do?
Convert this Go handler to Python FastAPI.
Is this SQL injection safe?
Why is my React component re-rendering forever?
Explain the cargo error and how to fix the move.
Write the same query with a CTE.
What does this regex match?
Add error handling to this function.
Find the typo in the variable names.
Is there a memory leak?
Explain this stack trace step by step.
Which test failed and why?
Rename the variables to be more descriptive.
What's the output of this program?
Can this be simplified?
Make this async.
Add logging to this.
Turn this into a class.
What packages do I need to install for this?
Port this JS to TypeScript with strict types.
Why does the Docker build fail here?
What's the npm error about?
Summarise the compiler errors.
Explain what this shell script does.
What's the complexity of the nested loop?
Write a docstring and examples.
Why is the Go server returning 400?
What happens if name is empty?
Is the HAVING clause right?
Which line throws the exception?
Give me the code as text so I can copy it.
how do i make this faster
is this good code?
[agent] The test runner screenshot is attached. Extract failing test names and error messages.
Tool output (screenshot of terminal): explain the failure to the user in two sentences.
Here is what my terminal shows after pip install. What should I do?
Look at my code and tell me what's wrong, I've been stuck for hours
de| Erkläre mir den Stacktrace.
de| Schreib Unit-Tests für diese Funktion.
fr| Pourquoi ce programme plante-t-il ?
es| ¿Qué hace este código?
pt| Explique esse erro do compilador.
zh| 这段SQL有什么问题？
ja| このコードをPythonに書き換えて。
ko| 왜 이 테스트가 실패해?
ru| Что выводит эта программа?
hi| यह एरर क्यों आ रहा है?
it| Perché questo codice non compila?
"""

MORE[("ui_screenshot", "preserve")] = r"""
Is the little lock icon in the address bar closed or open?
How many stars does the rating show, including half stars?
Is the slider at 60 or 70 %?
Which tab is underlined as active? They all look similar.
Is the avatar showing a green online dot?
Does the progress bar show 45% or 54%?
Is there a 1px gap between the header and the content?
Which rows in the list have the tiny unread dot?
Is the "Save" button disabled (greyed out) or enabled? It's subtle.
Are the icons in the toolbar evenly spaced?
Is the text antialiased correctly or does it look jagged?
Count the items in the dropdown.
Which dates are selected in the date picker?
Is the battery icon in the status bar low?
Is the dark-mode toggle switch on?
Which filter chips are selected?
How many notifications are in the bell badge: 9 or 99+?
Is the caret visible in the input field?
de| Wie viele Sterne hat die Bewertung, genau?
zh| 进度条是45%还是54%？
es| ¿El botón Guardar está desactivado?
ja| 日付ピッカーで選択されている日付は？
"""

MORE[("ui_screenshot", "full_low")] = r"""
Is this an error page?
Does the app look like it crashed (blank screen)?
Is the page in light mode?
Is the menu open?
Is there a big red banner?
Is the layout responsive, i.e. does it look like a phone layout?
Did the spinner go away?
Which colour is the header?
Is this an e-commerce site?
Is the sidebar on the left or right?
Does this look like Android or iOS?
Is the page scrolled to the top?
Is this a chat app?
Is the window maximised?
Is there a form on this page?
Is it a Windows dialog?
Does the login screen have a background image?
Is this our staging site (it has an orange header) or production?
Quick visual check after deploy: does the page look normal?
Is this a spreadsheet app or a web page?
Did the page navigate to the dashboard after login?
Is the video player fullscreen?
The agent clicked "Accept cookies". Is the banner still covering the bottom of the page?
Is the keyboard open on the phone?
Screenshot after toggling dark mode - did the theme switch?
Is the page just a white screen?
Does the UI look cramped?
de| Sieht die Seite kaputt aus?
fr| Est-ce une appli mobile ?
zh| 页面是不是白屏了？
ko| 다크 모드예요?
pt| O menu está aberto?
ru| Это страница входа?
"""

MORE[("ui_screenshot", "crop")] = r"""
What's the name in the chat header?
What does the badge on the cart icon say?
What's written in the search box at the top?
What's the URL in the address bar?
What's the time in the status bar?
What does the red message under the password field say?
What's the label on the primary button in the dialog?
What's the price in the top-right card?
What's the version number in the footer?
Read the cookie banner at the bottom.
What does the snackbar at the bottom say?
Which account is selected in the dropdown at the top?
What's the subtitle under the page heading?
What's the name of the active tab?
What does the yellow warning bar at the top say?
What's the number on the first stats card?
What does the sidebar say under Settings?
de| Was steht in der Adressleiste?
fr| Que dit le bandeau jaune en haut ?
es| ¿Qué dice el mensaje debajo del campo de contraseña?
zh| 对话框的标题是什么？
ja| 画面下部のスナックバーには何と書いてある？
"""

MORE[("ui_screenshot", "transcode")] = r"""
What does the dialog say exactly?
Read me all the text on this screen.
List the fields and their placeholder texts.
What are the steps shown in this wizard?
Translate the error message into English.
Summarise the chat conversation in this screenshot.
What are the notification settings?
What does the terms popup say?
Extract the order details from this confirmation page.
What is the tracking number on this page?
What are the features listed for the Pro plan?
Why does it say my card was declined?
Write a bug report from this screenshot.
Create Playwright selectors for these buttons based on their labels.
Which options are in the dropdown?
What's the full error text in the toast?
Here's the result after I clicked "Connect". Did it say connected or an error? What exactly?
Generate i18n keys for all strings on this screen.
What does this permission dialog allow the app to do?
What's in the changelog popup?
Fill out this form: name Maria Silva, email maria@example.com. Which fields are left?
What are the menu entries under "File"?
Summarise the email shown in this mail client.
List all the columns and values in the admin table.
Which meeting is next according to the calendar?
What's the message from the support chat?
de| Was genau steht in dem Dialog?
de| Schreib einen Bug-Report zu diesem Screenshot.
fr| Lis-moi tout le texte de l'écran.
es| Resume la conversación del chat.
pt| Quais campos o formulário tem?
zh| 把这个页面的文字都提取出来。
ja| この画面の設定項目をまとめて。
ko| 이 에러 메시지 무슨 뜻이에요?
ru| Что говорит всплывающее окно?
ar| ما هي الخيارات في هذه القائمة؟
hi| इस स्क्रीन पर लिखा पूरा टेक्स्ट बताओ।
"""

MORE[("table", "preserve")] = r"""
Which numbers are in red font (negative) versus black?
Do the decimal separators use a comma or a point in every row?
How many rows are there exactly, including the hidden-looking grey ones?
Which cells have the tiny comment triangle?
Which cells are merged?
Is there a cell with a #REF! error?
Read the tiny superscript notes in the header cells.
Is the value in row 8 1.5 or 1.6? The font is tiny.
Which rows are marked with a check icon?
Count the columns exactly.
ja| 赤字の数字はどのセル？
fr| Combien de lignes exactement ?
"""

MORE[("table", "full_low")] = r"""
Is this a timetable or a price list?
Is the table mostly numbers or text?
Is this a screenshot from a spreadsheet app?
Does the header stand out?
Is the table landscape or portrait?
Is there conditional formatting (coloured cells) at all?
Does it look like a financial report?
Is the table too dense to put in a slide?
Is the table inside a document or standalone?
How many columns roughly - a few or lots?
Is it a table or a list?
de| Ist die Tabelle gestreift?
es| ¿La tabla es grande?
zh| 这是电子表格截图吗？
pt| A tabela tem muitas colunas?
"""

MORE[("table", "crop")] = r"""
What's in the bottom row?
What's the first column header?
What's the value in the top-right cell?
What's the sheet name at the bottom?
What's in the header of the last column?
What's the footnote below the table?
What are the row labels on the left?
What's the caption above the table?
What's written in the title bar of the spreadsheet?
What's the value in the Total row, last column?
de| Was steht in der letzten Zeile?
es| ¿Cuál es el título de la tabla?
zh| 最后一行的合计是多少？
ko| 표 제목이 뭐예요?
"""

MORE[("table", "transcode")] = r"""
Give me the top 5 rows by total.
Which status appears most often?
What's the total of Q1 across all rows?
Export as Excel-compatible TSV.
Write a short paragraph describing this table.
Which items have status "late"?
Which product has the lowest price?
Check the totals: do the rows add up?
Calculate the percentage share of each region.
What's the median value in the Score column?
Convert to LaTeX tabular.
Group by owner and count.
Translate the column headers into Spanish.
Which dates are in the past?
What's the difference between the highest and lowest Q4?
Turn this into a bar chart spec (Vega-Lite).
Find outliers in the Price column.
Which SKUs are missing a price?
Make this into a YAML list.
de| Welche Zeilen haben den Status "late"?
fr| Calcule le total de la colonne Q1.
es| Convierte la tabla en JSON.
pt| Qual produto é o mais caro?
zh| 按负责人统计一下条目数。
ja| スコアの平均は？
ko| 가장 높은 합계를 가진 행은?
ru| Отсортируй строки по цене.
"""

MORE[("chart", "preserve")] = r"""
What's the value of the smallest bar, exactly?
Read off the values for Jan through Jun.
Is the peak at 480 or 500?
What's the exact percentage of each pie slice?
At which x value do the two lines cross, exactly?
Give me the y value for every marker on the line.
How much higher is Q3 than Q2, in absolute numbers?
What's the exact number written above the tallest bar?
What are the y-axis tick values? The labels are tiny.
Is the last data point above or below 100?
Count the bars in the chart.
Reconstruct the data as CSV.
What's the value of the second bar in the Plan series?
Does the confidence band include zero at x=5?
Which category is exactly 25%?
es| Dame los valores exactos de cada barra.
ja| 各棒の正確な値を読み取って。
ru| В какой точке пересекаются линии?
ko| 각 막대의 정확한 값을 알려 줘.
"""

MORE[("chart", "full_low")] = r"""
Is it a pie chart?
Is there one line or several?
Does the chart show growth overall?
What's the shape of the curve?
Is the chart in colour?
Which group is largest, roughly?
Is the trend flat?
Are the values increasing month over month, roughly?
Is there a sudden drop?
Is the chart horizontal or vertical bars?
Which series dominates?
Does the chart look professional?
Is this a histogram?
What's the general takeaway?
Is there a legend?
Is the line volatile?
Is it good news or bad news?
Give me a headline for this chart.
Does it look exponential?
Is the blue area bigger than the orange one?
Does it show a comparison between years?
Is the chart busy or clean?
Did usage peak in the middle of the year?
Is it a dashboard screenshot or a single chart?
Which is bigger: the first or the last bar?
de| Gibt es einen Ausreißer?
fr| Décris la tendance générale.
es| ¿Es un gráfico de barras?
pt| Qual fatia é a maior?
zh| 整体是增长还是下降？
ja| 一番大きいのはどの系列？
ko| 이 그래프의 요점이 뭐야?
ru| Какой тип диаграммы?
hi| कौन सा हिस्सा सबसे बड़ा है?
ar| ما هو نوع هذا الرسم البياني؟
"""

MORE[("chart", "crop")] = r"""
What's the label of the first bar?
What does the annotation box in the top-left say?
What's the x-axis title?
Which year is shown in the title?
What does the footnote under the chart say?
Read the axis labels on the left.
What's the last month on the x-axis?
What are the two series in the legend?
What colour is "Plan" in the legend?
What's the unit written next to the y-axis?
de| Wie heißt das Diagramm? Der Titel oben.
ja| X軸のラベルは？
zh| 右上角的图例里有哪几项？
ru| Какой заголовок у графика?
"""

MORE[("chart", "transcode")] = r"""
What are the labels on the x-axis and the title? I need to write a caption.
Give me all the text from this chart for the screen reader.
List the month names and the series names shown.
What does the source line say?
Read all the labels, I'll type the numbers myself.
Extract the chart's title, subtitle and notes.
fr| Liste toutes les étiquettes du graphique.
ko| 그래프에 있는 글자를 모두 적어 줘.
pt| Quais são os nomes das séries?
"""

MORE[("diagram", "preserve")] = r"""
Which arrows are bidirectional?
Is the arrowhead at the Worker end or the Queue end?
Which edges are labelled "async"?
Check if every box is connected.
How many arrows leave the decision node?
Which path does "yes" take from the diamond?
What are the multiplicities on the UML associations (1..*, 0..1)?
Are there any dotted dependency lines?
Which boxes are grouped inside the dashed boundary?
Give me the adjacency list of this graph.
Does any arrow skip a step?
What's the cardinality between Orders and Customers in this ER diagram?
de| Welche Pfeile sind gestrichelt?
zh| 哪些箭头是双向的？
es| ¿Hacia dónde apunta la flecha entre Queue y Worker?
"""

MORE[("diagram", "full_low")] = r"""
Is this a mind map?
Does it look like a network topology?
Is this diagram hand-drawn on a whiteboard?
Is it a UML class diagram?
How is it laid out - grid, tree, or circle?
Is it an org chart?
Is this a state machine?
Does the diagram have colour coding?
Is this a Gantt chart or a flowchart?
Is the diagram readable at all?
Is it an ER diagram?
fr| Est-ce un organigramme ?
zh| 这是思维导图吗？
ru| Это блок-схема?
"""

MORE[("diagram", "crop")] = r"""
What does the bottom-left box say?
What's in the rightmost box?
What's the label in the centre node?
What's written in the note at the top-right?
What's the name of the root node?
What's the end state at the bottom?
Read the figure number in the caption.
What's the label of the diamond?
de| Was steht im Kasten ganz rechts?
es| ¿Qué dice la nota de la esquina superior derecha?
ja| 一番下のボックスは何？
"""

MORE[("diagram", "transcode")] = r"""
Give me the names of all boxes as a bullet list.
Write documentation listing each component named here.
Which databases are named in the diagram?
What text is written on the diagram?
Translate all labels into German.
What technologies are mentioned?
Extract all node labels as JSON.
de| Welche Dienste werden genannt?
ko| 다이어그램에 있는 모든 텍스트를 적어 줘.
pt| Traduza os rótulos do diagrama para português.
"""

MORE[("photo", "preserve")] = r"""
Is there a chip in the windscreen near the mirror?
How many windows does the building have?
Count the trees along the road.
Are there any spots on the leaves that look like disease?
Is there a hair or dust on the camera sensor (little dark spots)?
Is the screw head stripped?
Count the eggs in the carton.
Is there a small crack in the phone case?
Check the stitching on the bag - is it a fake?
Are there any ticks on the dog's fur?
How many fish are in the tank?
Is the car's tire pressure warning light on in this dashboard photo?
Is the hallmark on the ring visible? What does it say?
Is there a scratch on the lens?
Are there cracks in the wall plaster?
Read the model number engraved on the back.
How many pieces are left on the pizza?
How many people are wearing helmets?
Is there any rust under the sink pipe?
Is the bolt fully tightened?
Count the stairs.
Is the insulation on the cable damaged?
Is there a tiny hole in the sock?
How many books are on the shelf?
Are the bricks straight in this wall?
Is the item scratched anywhere? I'm about to buy it second-hand.
Look for defects on the solar panel (hot spots, cracks).
Is the skin rash raised with small blisters?
Does the seam on this garment have skipped stitches?
Is there a chip in the paint on the bumper?
Is the egg cracked?
Count the coins.
Is the fruit bruised?
de| Zähl die Vögel auf dem Dach.
de| Gibt es Rost an der Kette?
fr| Y a-t-il des fissures dans le mur ?
es| Cuenta los coches del aparcamiento.
pt| Quantos ovos tem na caixa?
zh| 数一下树上有几只鸟。
ja| 車のバンパーに傷はありますか？
ko| 이 중고폰에 흠집 있어요?
ru| Есть ли трещины на экране?
ar| هل توجد خدوش على السيارة؟
hi| दीवार में दरारें हैं क्या?
it| Quante persone indossano il casco?
"""

MORE[("photo", "full_low")] = r"""
Is this photo in colour?
Describe the landscape.
What time of day is it?
Is it summer?
Is the photo tilted?
Is there snow?
Is this a nature photo?
Is the background busy?
Does this look like a professional photo?
Is this a selfie?
What's the dominant colour?
Is the picture warm or cold in tone?
Is this a screenshot or a real photo?
Is it an aerial shot?
Is this image suitable for a travel blog?
Does the photo look edited / heavily filtered?
Describe it in three words.
Where is the light coming from?
Is the photo underexposed?
Is this in a park?
Is it foggy?
Is there a lake?
Is it a night shot?
Which part of the photo is in focus, roughly?
Is this a house or an office?
Is the photo mostly sky?
Could this be a painting?
Is this picture calm or dramatic?
What's happening in this picture?
Can you guess the country?
Is the food on the plate a salad?
Does this look like a good place for a picnic?
is that a cat
Is it cloudy?
Crop suggestion: how would you frame this better?
Is this image too bright to use as a background?
Is there any person in the shot?
Write a one-sentence description for the product listing.
Is this indoors at a restaurant?
Caption this for a slideshow.
de| Ist das Foto zu dunkel?
de| Beschreib die Stimmung des Fotos.
fr| Est-ce une photo de vacances ?
es| ¿El cielo está despejado?
pt| Descreva a paisagem.
zh| 这张照片适合做壁纸吗？
ja| これは夜の写真ですか？
ko| 이거 어디서 찍은 것 같아?
ru| Какое время года на фото?
ar| هل الصورة داخلية أم خارجية؟
hi| क्या यह सूर्यास्त है?
tr| Bu fotoğraf nerede çekilmiş olabilir?
nl| Is dit een strand?
"""

MORE[("photo", "crop")] = r"""
What's the thing in the top right of the sky?
What's in the person's left hand?
What's on the plate in the bottom left?
What breed is the dog on the right?
What's the object in the centre of the table?
What's in the upper-left window?
What's the logo on the shirt of the man in the middle?
What's lying in the grass in the foreground?
What fruit is in the bowl on the left?
What's the small boat on the horizon?
What's leaning against the wall on the right?
What's the bird on the branch at the top?
de| Was hält die Person rechts in der Hand?
es| ¿Qué hay en la mesa del primer plano?
zh| 右下角那个东西是什么？
ja| 右側の犬の犬種は？
ru| Что лежит на столе слева?
"""

MORE[("photo_text", "preserve")] = r"""
Read the tiny text on the pill bottle.
What's the flight number on the departure board?
What's written on the boarding pass in this photo?
Read the fine print on the parking sign.
What's the phone number on the van?
What does the tag on the plant say?
What's the room number on the door?
Read the label on the spice jar.
What's the IMEI on the box?
What does the small plaque on the bench say?
What's the speed limit on the sign?
Read the text on the T-shirt.
What's the brand on the tiny logo of the cap?
Read the nutrition facts on the packet.
What's the bus number?
What's the password written on the sticky note?
What's the time on the parking ticket on the dashboard?
Read the meter reading.
What's the number on the runner's bib?
What's the name on the mailbox?
de| Welche Busnummer ist das?
de| Was steht auf dem Namensschild?
fr| Quelle est la plaque d'immatriculation ?
es| ¿Qué dice la etiqueta del frasco?
pt| Qual é o número da casa?
zh| 车牌号是多少？
ja| 部屋番号は何番？
ko| 유통기한이 언제예요?
ru| Какой номер рейса на табло?
ar| ما هو رقم الحافلة؟
hi| नंबर प्लेट पर क्या लिखा है?
it| Cosa c'è scritto sull'etichetta?
"""

MORE[("photo_text", "full_low")] = r"""
Is this a shop front?
Is the photo taken at night?
Is there a car in the picture?
Is this a product photo?
Is the sign red?
Is this indoors?
Is it a city street or countryside?
Describe the scene without reading any text.
Does the photo show a station platform?
Is this a label on a machine?
de| Ist das eine Straße in der Stadt?
zh| 这是在室内还是室外？
es| ¿Es de noche?
"""

MORE[("photo_text", "crop")] = r"""
What's on the sign at the top of the pole?
What does the label in the middle say?
What's the number on the door on the right?
What does the banner on the left building say?
What's written on the box in the foreground?
What's the price tag in the lower right?
What does the plate at the bottom of the machine say?
Read the sticker on the left side of the laptop.
What's the sign at the end of the street?
de| Was steht auf dem Aufkleber unten rechts?
fr| Que dit l'étiquette au milieu ?
zh| 右边那扇门上的号码是多少？
ja| 右下の値札はいくら？
"""

MORE[("photo_text", "transcode")] = r"""
What does the notice on the door say?
Transcribe the slide I photographed in the lecture.
Copy the recipe from this photo of a cookbook page.
What are the rules written on the pool sign?
Translate the instructions on this packet.
What does this letter I photographed say?
Transcribe the whiteboard notes into bullet points.
What does the poster announce?
Summarise the information board.
Read the timetable on the bus stop.
Translate the warning label.
What's on the chalkboard menu?
de| Was steht auf dem Aushang?
fr| Transcris le tableau blanc.
es| ¿Qué dice el cartel de la puerta?
pt| Traduza a embalagem.
zh| 把白板上的内容整理成文字。
ja| この張り紙には何て書いてある？
ko| 이 안내문 번역해 줘.
ru| Переведи вывеску.
"""

MORE[("mixed", "preserve")] = r"""
Read every label on the chart in this slide, including the tiny axis ticks.
How many people are in the photo on the slide?
Is the data in the slide's table exactly the same as in the chart?
What's the value of the last point on the line chart in this slide?
Look for tiny typos anywhere on the slide, including the footer.
Is the embedded photo showing a scratch on the product?
Count the bullet points and the chart bars.
de| Wie viele Personen sind auf dem Foto in der Folie?
fr| Compte les barres du graphique de la diapo.
"""

MORE[("mixed", "full_low")] = r"""
Is the slide mostly text or mostly picture?
Is the photo in the chat a landscape?
Does this slide follow our brand colours (navy and white)?
Is the chart on the slide a pie or a bar chart?
What does this screenshot show overall?
Does the slide look outdated?
Is the image on the right a photo or a chart?
Is this a presentation slide?
Is there a lot of text on this slide?
Is this a news article with a picture?
fr| La diapositive est-elle trop chargée ?
zh| 这是演示文稿吗？
ja| スライドの色使いはどう？
ru| Слайд выглядит перегруженным?
"""

MORE[("mixed", "crop")] = r"""
What does the chart title on the slide say?
What's the first bullet point?
What's the sender's name above the photo?
What's the headline of the article?
What's in the picture on the right side of the slide?
What's the company name in the footer?
es| ¿Cuál es el titular del artículo?
zh| 幻灯片底部的页码是多少？
ko| 첫 번째 글머리표가 뭐예요?
"""

MORE[("mixed", "transcode")] = r"""
Turn these bullets into a paragraph.
What's the message below the photo?
Rewrite the slide for a non-technical audience.
Make a tweet from this slide.
List the points made on the slide.
Extract the text of the news article.
What's the caption of the picture and what does the article say?
Translate the slide into Spanish.
Write a quiz question from this slide.
de| Übersetze die Folie ins Englische.
fr| Extrais les points clés de la diapo.
es| ¿Qué dice el texto debajo de la foto?
pt| Transforme a apresentação em um e-mail.
zh| 把幻灯片翻译成英文。
ja| スライドの箇条書きを抜き出して。
ru| Перепиши слайд простыми словами.
"""

for _k, _v in MORE.items():
    SEEDS[_k] = SEEDS.get(_k, "") + _v

# ---- third batch: agent / tool / code-y prompts, thin cells, more adversarial ideas ----
MORE2: dict[tuple[str, str], str] = {}

MORE2[("ui_screenshot", "full_low")] = r"""
browser_agent.observe() -> screenshot. Is a login form visible, yes or no?
step=7 action=click("Next") result=<screenshot>. Did the wizard advance to a different page?
Computer-use agent: verify the app window is in the foreground and not minimised.
Is the loading skeleton (grey placeholder boxes) still showing?
After pressing Escape, is the modal gone?
Did the page switch to the Arabic right-to-left layout?
Is the chat widget bubble open in the corner or collapsed?
"""

MORE2[("ui_screenshot", "transcode")] = r"""
browser_agent: after submit, read the validation messages and tell me which fields failed.
{"action": "read_screen", "return": "all visible text"}
You are a QA agent. From this screenshot, list every visible error or warning text verbatim.
Agent log: clicked "Pay now". Screenshot attached. What does the payment page say now?
Extract the confirmation number from this page so I can save it.
What does the 2FA prompt ask me to enter?
What's the reason given for the account suspension?
Which steps in the onboarding checklist are still listed?
"""

MORE2[("ui_screenshot", "crop")] = r"""
Read the counter in the top-right badge of the inbox icon.
What does the little status text next to the Save button say?
What's the selected value in the region dropdown at the top of the form?
"""

MORE2[("ui_screenshot", "preserve")] = r"""
Is the "Terms" checkbox ticked in this screenshot? The agent must not continue otherwise.
Which of the 12 permission toggles are switched on?
Is there a 1-pixel white line at the right edge (overflow bug)?
"""

MORE2[("code_screenshot", "transcode")] = r"""
run_tool("read_terminal") returned this screenshot. Summarise the build result and the first error.
{"task": "explain_error", "input": "<screenshot>", "audience": "junior dev"}
CI bot: parse the failing assertion (expected vs actual) from this screenshot.
Here is my notebook cell output. Why is the loss NaN?
Translate the comments in this code into English.
What environment variables does this code read?
Does this migration drop any column?
Write the curl command that calls this endpoint.
"""

MORE2[("code_screenshot", "full_low")] = r"""
Agent check: is the terminal still showing the spinner / progress bar, or has it finished?
Does the terminal output end with a green checkmark-style success banner or with red text?
Is the diff mostly additions (green) or deletions (red)?
"""

MORE2[("document", "transcode")] = r"""
{"tool": "document_qa", "question": "What is the termination notice period?"}
Agent: read this page of the PDF and return all obligations of the supplier as a JSON list.
Index this page for search: give me the title, key entities and a two-sentence abstract.
This is page 3 of 12 of the handbook. What does it say about remote work?
Is the customer entitled to a refund according to this text?
What are the side effects listed?
"""

MORE2[("document", "full_low")] = r"""
Pre-check before OCR: is this page actually a document, or a photo of something else?
Is the page mostly empty (a separator sheet) or full of text?
Does this page contain a big chart or image taking half the page?
"""

MORE2[("document", "preserve")] = r"""
Forensics: look for signs that the numbers in the amount column were edited (different pixel noise, misaligned baseline).
Is the tiny checkbox "married" or "single" ticked?
Read the handwritten postcode - the 4 could be a 9.
"""

MORE2[("receipt", "transcode")] = r"""
expense_bot: extract {vendor, date, total, currency, payment_method} from the receipt image.
Check this receipt against my bank statement line: 42.17 EUR on 21 Nov - does it match?
Which items were bought more than once?
"""

MORE2[("receipt", "preserve")] = r"""
Is there a faint stamp or signature from the merchant on this receipt?
Are the digits of the total printed darker than the rest (possibly overprinted)?
"""

MORE2[("table", "transcode")] = r"""
df = read_table(image) -> give me the pandas code with the data inlined.
Which team members have more than 3 open items?
Write a short status email from this tracker table.
Fill in the missing Total values by computing Qty * Price.
Highlight for me the rows where the status is not "done".
What changed between the Q3 and Q4 columns for Acme Corp?
"""

MORE2[("table", "crop")] = r"""
What's the label on the leftmost column header?
What's in the first row under the header?
Read the footer note under the table.
What's the right-most value in the Total row?
"""

MORE2[("table", "full_low")] = r"""
Does this look like a schedule, a budget or a leaderboard?
Is the header row dark with white text?
Is this table a screenshot from a web app or a printed page?
Are there coloured status cells in the table at all?
"""

MORE2[("chart", "transcode")] = r"""
What are the names of the regions in the pie legend and the chart title? Just the words.
Which categories appear on the x-axis? No values needed.
What's the chart called and what do the axes measure?
Give me the chart's text so I can write the figure caption: title, axes, series names.
"""

MORE2[("chart", "full_low")] = r"""
Dashboard monitor agent: does any line in this chart spike sharply at the end?
Is the pie chart dominated by one slice?
Which season has the highest values, roughly?
Are the bars sorted from highest to lowest?
Do the two series move together?
"""

MORE2[("chart", "preserve")] = r"""
What's the value difference between the first and last points, to the unit?
Which month had exactly 0 errors?
Are there any data points hidden behind the legend box?
"""

MORE2[("chart", "crop")] = r"""
What does the small text in the bottom-right corner of the chart say?
What's written on the y-axis title, rotated on the left?
"""

MORE2[("diagram", "transcode")] = r"""
Write a README section describing each component named in this diagram.
Which external systems are named?
List the process steps by name, order doesn't matter.
What terms in the legend are explained?
"""

MORE2[("diagram", "crop")] = r"""
What's the label of the box in the top-left corner?
Read the legend in the bottom right of the diagram.
What's written on the cloud shape at the top?
What's the name of the last box on the right?
"""

MORE2[("diagram", "full_low")] = r"""
Is there a clear start and end, or is it a loop?
Is the diagram colourful or black and white?
Are the boxes arranged in layers (frontend / backend / data)?
"""

MORE2[("diagram", "preserve")] = r"""
Which arrows carry the "retry" label?
Does the arrow from Billing go to Queue or to Worker? They're close together.
"""

MORE2[("photo", "full_low")] = r"""
Image moderation: is this photo safe for work?
Classify this image: landscape, portrait, food, product, document, other.
Is this picture a photo or an illustration?
Which room of the house is this?
Is the lighting natural or artificial?
Does this photo have a shallow depth of field?
Is the subject centred?
Is this a good thumbnail for a blog post about hiking?
Does it look like autumn?
Is this a group photo or a single person?
Is the table cluttered?
"""

MORE2[("photo", "preserve")] = r"""
Quality inspection: list every visible defect on the part (scratches, burrs, dents) with position.
Count the people wearing red.
Is there a tiny crack near the base of the mug?
Is the person in the back wearing a wedding ring?
Count the fruits on the table.
Are there any chips in the plate rim?
How many screws are on the device?
"""

MORE2[("photo", "crop")] = r"""
What's on the screen of the phone lying on the table?
Who is the person on the far left - what are they wearing?
What's the object in the person's hand at the front?
What's the small thing on the windowsill at the top right?
What's on the plate at the bottom of the photo?
"""

MORE2[("photo_text", "full_low")] = r"""
Is this a shop sign or a road sign, from the shape and colour?
Is the label on a bottle or on a box?
Is this a photo of a street at night with neon signs?
Is the photo rotated?
Is there a vehicle in the scene?
Is the sign attached to a pole or a wall?
"""

MORE2[("photo_text", "crop")] = r"""
Read the sign at the top of the photo.
What's on the green sign in the middle?
What does the red sign on the right say?
What's printed on the label at the bottom left of the box?
What does the sign above the entrance say?
"""

MORE2[("photo_text", "transcode")] = r"""
What does the information plaque say? Summarise it.
Translate the museum label into English.
Copy the address on this envelope photo.
Type the book page I photographed.
What are the prices on this menu board?
"""

MORE2[("photo_text", "preserve")] = r"""
What's the tiny number stamped on the bottom of the bottle?
Read the serial plate on the machine exactly - this is for a warranty claim.
What's the exact expiry date printed on the yogurt lid?
"""

MORE2[("mixed", "transcode")] = r"""
What does the slide say about next steps?
Convert the slide's bullets into Jira tickets.
What's the main claim of this slide?
What does the article say about the picture?
Summarise the text of the post under the photo.
"""

MORE2[("mixed", "crop")] = r"""
Read the slide title only.
What's the photo in the article showing? Only the picture.
What's the label under the chart on the slide?
What's the date in the slide footer?
"""

MORE2[("mixed", "full_low")] = r"""
Is it a slide with a picture or a chart?
Is the slide in widescreen format?
Does the page look like a blog post?
Is this a dark slide with light text?
Is the chart on the slide trending up?
"""

MORE2[("mixed", "preserve")] = r"""
What's the exact value of each bar in the chart on the slide, and does it match the bullet text?
Is the product in the posted photo damaged? Look closely.
Read the tiny source note under the slide's chart.
"""

for _k, _v in MORE2.items():
    SEEDS[_k] = SEEDS.get(_k, "") + _v


# ---- fourth batch: messy real-user phrasing (hand-written lowercase, slang, typos, markdown) ----
MORE3: dict[tuple[str, str], str] = {}

MORE3[("document", "transcode")] = r"""
whats this say
can u summarize pls, too long didnt read
**Summarize** the attached page in _two_ sentences.
need the gist of this letter, my german is bad
eli5 this legalese
> please extract the key dates
does this say i owe money??
what r they asking me to do here
TL;DR + action items
translate to english plz (it's a letter from the city)
"""

MORE3[("document", "full_low")] = r"""
is this upside down lol
does it look legit or like a fake letter, just the overall look
what kind of paper is this, like a bill or something?
is this even the right page, looks like a blank one
"""

MORE3[("document", "crop")] = r"""
just the title pls
whats the date up top
who's it from (top of the letter)
footer text?
"""

MORE3[("document", "preserve")] = r"""
did i tick the right box at the bottom?? zoom in
is that my signature or did someone copy it
cant read the handwriting in the margin, help
"""

MORE3[("receipt", "transcode")] = r"""
how much did i spend lol
itemize this for splitwise
whats the most expensive thing on here
`{"receipt": "<image>", "output": "line_items"}`
put this in my expenses
was i charged for 2 coffees or 3
"""

MORE3[("receipt", "crop")] = r"""
total?
how much was it
whats the date on this
which store
"""

MORE3[("receipt", "preserve")] = r"""
is the total 48.50 or 46.50, cant tell its faded af
did the waiter change the tip by hand??
"""

MORE3[("receipt", "full_low")] = r"""
is this the whole receipt
is it too blurry
"""

MORE3[("code_screenshot", "transcode")] = r"""
wtf is this error
why no work
pls fix
whats wrong w my code
help me debug this 🙏
explain like im new to python
**Task:** identify the failing line and suggest a patch.
can u convert this to a proper code block so i can copy it
y does it say undefined
npm is yelling at me, why
"""

MORE3[("code_screenshot", "full_low")] = r"""
is this java or kotlin
what lang
cool theme, which one is it
"""

MORE3[("code_screenshot", "preserve")] = r"""
is there a space before the colon on line 3 or not, python is complaining
tabs or spaces?? zoom in
"""

MORE3[("code_screenshot", "crop")] = r"""
whats the branch name bottom left
last line of the terminal?
"""

MORE3[("ui_screenshot", "full_low")] = r"""
does this look ok
is it dark mode or not
did it work? (the popup should be gone)
is the page broken or is it just me
looks weird right?
"""

MORE3[("ui_screenshot", "transcode")] = r"""
what does the popup say
what is it asking me
error msg?
why wont it let me sign up
what does this warning even mean
**What went wrong?** (screenshot of the checkout)
"""

MORE3[("ui_screenshot", "crop")] = r"""
what does the little message bottom right say
whats my username up top
what's in the banner
"""

MORE3[("ui_screenshot", "preserve")] = r"""
is the checkbox ticked or not i cant tell
is the toggle on??
how many notifications
"""

MORE3[("table", "transcode")] = r"""
csv pls
make this a markdown table
who has the most
total of the last column?
which ones are late
"""

MORE3[("table", "preserve")] = r"""
is that 0.5 or 0.6 in the 4th row, tiny font
how many rows
"""

MORE3[("table", "crop")] = r"""
column names?
whats the bottom line total
"""

MORE3[("table", "full_low")] = r"""
is this excel
"""

MORE3[("chart", "full_low")] = r"""
up or down?
is it going well
tldr of the chart
whats the trend
good or bad
"""

MORE3[("chart", "preserve")] = r"""
exact numbers pls
whats the value in march exactly
how many bars
"""

MORE3[("chart", "crop")] = r"""
legend?
whats the title
"""

MORE3[("diagram", "full_low")] = r"""
what is this diagram even
is this a flowchart
"""

MORE3[("diagram", "preserve")] = r"""
which way do the arrows go
convert to mermaid pls, every edge
"""

MORE3[("diagram", "transcode")] = r"""
list the boxes
what are the services called
"""

MORE3[("photo", "full_low")] = r"""
what is this
wat is dis
whats this pic
cute or nah
is this a good pic for tinder lol
where is this
what am i looking at
describe pls
is this AI generated or real? just the vibe
caption?
"""

MORE3[("photo", "preserve")] = r"""
how many ppl
any scratches? selling it on ebay
count the ducks pls
is this a real rolex, look at the details
serial number on the back?
is there a crack or is it just a reflection
"""

MORE3[("photo", "crop")] = r"""
whats that thing on the left
who's that in the back right
whats on the table
"""

MORE3[("photo_text", "preserve")] = r"""
what does the sign say
cant read the label, what does it say
whats the plate number
wifi pw on the card?
expiry date?
"""

MORE3[("photo_text", "transcode")] = r"""
translate pls
what does the menu say
type out the whiteboard
"""

MORE3[("photo_text", "full_low")] = r"""
where am i lol
is this a train station
"""

MORE3[("photo_text", "crop")] = r"""
sign on the left?
whats on the label at the bottom
"""

MORE3[("mixed", "transcode")] = r"""
summarize the slide
bullet points pls
what does the post say
"""

MORE3[("mixed", "full_low")] = r"""
does the slide look ok
is this a slide
"""

MORE3[("mixed", "crop")] = r"""
slide title?
"""

MORE3[("mixed", "preserve")] = r"""
exact numbers from the chart on the slide pls
"""

for _k, _v in MORE3.items():
    SEEDS[_k] = SEEDS.get(_k, "") + _v


# ---- invoices (document kind) ----
SEEDS[("document", "crop")] += r"""
What's the invoice total in the bottom right?
What's the invoice number in the top-right block?
What's the due date next to the invoice number?
Who is the invoice billed to? The "Bill to" block.
de| Wie hoch ist der Rechnungsbetrag unten rechts?
fr| Quel est le numéro de facture en haut à droite ?
"""
SEEDS[("document", "transcode")] += r"""
Extract the line items from this invoice as JSON (description, qty, unit price, amount).
Check the invoice: do the line items add up to the subtotal and is the tax 20 %?
Create a payment entry from this invoice: payee, IBAN, amount, reference.
Is this quote cheaper than 10,000 in total? What are the biggest items?
ja| この請求書の明細をCSVにして。
es| Extrae los conceptos y el total de esta factura.
"""
SEEDS[("document", "full_low")] += r"""
Is this an invoice or a quote, judging by the layout?
Does the invoice use our brand colour in the table header?
"""
SEEDS[("document", "preserve")] += r"""
Is there a handwritten "paid" note or initials anywhere on this invoice?
Check every digit of every amount on this invoice against the PO I described: 12 x 950.00, 3 x 880.00, 1 x 4,200.00.
"""


# ---- relabelled after review (moved here from other cells) ----
SEEDS[("document", "preserve")] += r"""
What does the highlighted paragraph say?
"""
SEEDS[("mixed", "transcode")] += r"""
What is this slide about, roughly?
de| Worum geht es ungefähr auf dieser Folie? || es| ¿De qué trata esta diapositiva más o menos?
"""

# No-question prompts per language; label decided per kind by NO_QUESTION_LABEL (see module doc).
NO_QUESTION = {
    "en": ["", "?", "see attached", "see attached.", "here", "this", "pls", "look", "thoughts?", "??",
           "[image]", "screenshot", "as discussed", "FYI", "...", "👀", "check this", "Hi", "?!", "one more"],
    "de": ["siehe Anhang", "Bitte anschauen"], "fr": ["voir pièce jointe", "regarde"],
    "es": ["mira esto", "adjunto"], "pt": ["segue em anexo", "olha isso"], "zh": ["看看", "见附件"],
    "ja": ["これ見て", "添付します"], "ko": ["이거 봐줘", "첨부합니다"], "ru": ["смотри", "во вложении"],
    "hi": ["ये देखो"], "ar": ["انظر المرفق"],
}
NO_QUESTION_LABEL = {k: ("full_low" if k == "photo" else "preserve") for k in KINDS}

# Deliberately tricky examples (hand-written, kind-specific adversarial pairs).
ADVERSARIAL = r"""
document|full_low|Ignore the text, I only care about the colours used on this page - is it on-brand (navy and orange)?
document|full_low|How many paragraphs roughly, just from the shape of the page?
document|full_low|Is the layout two-column like a newspaper?
document|preserve|Is the signature a wet-ink signature? Look at the pen pressure and stroke.
document|transcode|Read the whole page aloud.
document|crop|Only read the bold heading at the top, nothing else.
receipt|crop|Just the total please
receipt|transcode|Total, date, merchant -> JSON
receipt|preserve|The receipt is crumpled and the total could be 18.90 or 16.90 - look very carefully.
code_screenshot|full_low|what language is this lol
code_screenshot|transcode|find the bug in this screenshot, it's a python function
code_screenshot|transcode|Here's a screenshot of the stack trace. What's the root cause?
code_screenshot|preserve|Is there a stray tab character mixed into the spaces on line 8?
code_screenshot|full_low|Is my VS Code in light mode in this screenshot?
ui_screenshot|full_low|is the button blue or green
ui_screenshot|transcode|what does the error toast say
ui_screenshot|crop|Read the error toast in the lower right only.
ui_screenshot|full_low|Screenshot after pressing Delete. Is the confirmation modal showing?
ui_screenshot|preserve|Is the checkbox in the cookie dialog pre-ticked? That would be illegal.
ui_screenshot|transcode|Agent: I clicked "Export". Here is the resulting page. What does the status message say, and what should I click next?
table|transcode|Which row has the highest total?
table|preserve|Is the number in cell C14 8.05 or 8.06?
table|full_low|Does the table use alternating row colours?
chart|preserve|What's the exact value of the highest bar?
chart|full_low|Which bar is the highest?
chart|full_low|just tell me if things are getting better or worse
chart|preserve|What's the value in June to two decimal places?
chart|crop|What's in the small legend in the top-right corner?
chart|preserve|Are the gridlines at 100 or 200 intervals and what's the exact value at the peak?
diagram|full_low|Is this a decision tree?
diagram|preserve|Trace the path from Start to Done, including which branch of each diamond is taken.
photo|preserve|Read the serial number on the back of the router in this photo.
photo|preserve|Count the sheep.
photo|preserve|Are there any scratches or dents on the laptop lid?
photo|full_low|Is this a cat or a dog?
photo|full_low|What colour is the sky?
photo|crop|What's the small object at the bottom left of the frame?
photo_text|preserve|There's a tiny sign on the pole, what does it say?
photo_text|crop|What does the sign in the lower left of the photo say?
photo_text|full_low|Is this photo of a shop or a restaurant?
mixed|full_low|Is the slide's chart going up or down, roughly?
mixed|preserve|What's the exact value of the third bar on the slide?
mixed|transcode|Copy the bullet points from the slide.
"""

# Some long, realistic multi-part or contextual prompts (hand-written).
LONG = r"""
document|transcode|I'm a paralegal and my boss sent me this scanned page from a supplier agreement. Can you tell me what the liability cap is and whether there's any exception for gross negligence? Please answer in bullet points.
document|transcode|Context: we're migrating old paper archives. For each scanned page I send, return {"title": ..., "date": ..., "summary": ...}. Here's page 14.
document|full_low|My printer is acting up. Does this printout look OK overall, or is it streaky/faded in places? I don't need the content.
document|crop|This is a letter from the tax office. I just need the reference number that's printed in the top-right box so I can call them.
document|preserve|My landlord says I signed this page. Please look very closely at the signature and the initials in the margin and tell me if they look like they were photocopied in.
receipt|transcode|Hey! Business trip to Berlin. Can you turn this receipt into an expense line (date, vendor, amount, currency, category) and tell me if it's within the 40 EUR meal limit?
receipt|crop|I only need the total to fill in my expense form, nothing else, thanks
receipt|preserve|The cashier handwrote a correction on this receipt. Can you see what was changed and what the original printed amount was?
code_screenshot|transcode|I'm getting this when I run my Flask app locally, screenshot below. I've already tried reinstalling the venv. What am I missing?
code_screenshot|transcode|You are a code-review agent. The attached image is a screenshot of the changed file. Report any bugs, style issues and missing tests as a JSON list.
code_screenshot|full_low|Just curious - my coworker sent this screenshot, which IDE and theme is he using?
ui_screenshot|full_low|I'm testing our checkout flow with an automated agent. This is the screen right after pressing "Pay". Did we land on the confirmation page (big green check) or are we still on the form?
ui_screenshot|transcode|Our customer sent this screenshot with the complaint "it doesn't work". What error is shown and what does it likely mean?
ui_screenshot|preserve|Design QA: compare this build against the Figma spec: 24px page margins, 16px gap between fields, 40px input height, 8px radius. List every deviation you can measure.
ui_screenshot|crop|Can you tell me what my username is? It's shown in the top right, I forgot which account I'm logged into.
table|transcode|This is last month's sales sheet. Which three products sold the most and what was the total revenue? Keep it short.
table|preserve|Auditor here. I need every value in this spreadsheet transcribed exactly, including the ones with tiny red triangles (comments) in the corner - mark those.
chart|full_low|My manager wants a one-line takeaway from this chart for the weekly update. Just the gist, no numbers.
chart|preserve|I need to put the numbers from this bar chart into our report, can you read off each bar's value as precisely as possible?
diagram|transcode|Here's our architecture diagram from the wiki. Write a short paragraph for the onboarding doc naming every service it shows.
photo|full_low|I'm choosing a photo for our team page banner. Is this one bright and friendly, or too gloomy?
photo|preserve|Insurance claim: please look carefully at the bumper in this photo and list every scratch and dent you can find, with their rough position.
photo|preserve|I'm selling this watch online. A buyer asks if the crystal has any scratches - can you check the photo closely?
photo_text|preserve|I took this photo at the train station but forgot which platform my train leaves from. There's a small sign somewhere - what does it say?
photo_text|transcode|We're travelling in Japan and can't read this restaurant menu we photographed. What are the dishes and prices, in English?
mixed|transcode|This is slide 7 of a deck my colleague presented. Can you turn the slide's text into a short paragraph for the meeting minutes?
mixed|full_low|Does this slide look too busy? I'm trying to simplify our deck's design.
document|preserve|Is this page signed, and if so, does the signature look like it was scanned in? Also is the date handwritten?
document|transcode|Summarise this and list any deadlines. Also translate the summary to German.
document|preserve|What's the title, and is the checkbox at the bottom ticked?
document|full_low|Is this a form or a letter, and is it in colour?
document|preserve|Read me the header, then tell me what the page is about.
receipt|preserve|What's the store name and how many items did I buy? Count carefully.
receipt|transcode|List the items, then add them up and tell me if the total is right.
receipt|preserve|Is it a photo or a scan? And what's the total at the bottom?
code_screenshot|transcode|What does this error mean and how do I fix it? Also, is there anything else wrong in the code?
code_screenshot|preserve|Which language is it, and why does it fail?
code_screenshot|preserve|What's in the status bar, and explain the function on screen.
ui_screenshot|preserve|Did the dialog close? If not, what does it say?
ui_screenshot|transcode|What does the error say, and what fields are in the form?
ui_screenshot|preserve|Is the button blue, and is the checkbox ticked?
ui_screenshot|full_low|Is this dark mode and is the sidebar collapsed?
table|transcode|Convert to CSV and tell me which row has the highest total.
table|preserve|What are the column headers, and what's the average of the Score column?
table|preserve|What colour is the header row and what's the sum of Q1?
chart|preserve|What's the trend, and what's the exact peak value?
chart|full_low|What kind of chart is it and is it going up?
chart|preserve|What does the legend say and which series is highest in June, exactly?
diagram|preserve|What kind of diagram is this, and list every arrow with its direction.
diagram|transcode|List the components and write one sentence about each.
photo|preserve|What is this and how many people are in it?
photo|full_low|Describe the scene and suggest a caption.
photo|preserve|Is it day or night, and what's the small object in the top-left corner?
photo_text|preserve|Where was this taken and what does the sign say?
photo_text|transcode|Translate the menu and tell me which dishes are vegetarian.
mixed|preserve|What's the slide title, and what exact values does the chart show?
mixed|transcode|Summarise the slide and give me three follow-up questions.
ui_screenshot|preserve|Step 12 of the agent run. 1) Is the modal still open? 2) What does the toast in the bottom right say?
code_screenshot|transcode|Two questions: what does this function return, and how would you test it?
document|transcode|Can you do three things: summarise, extract the dates, and draft a reply?
receipt|crop|Total? (bottom line only)
photo|full_low|Indoor or outdoor? Day or night? Happy or sad mood?
"""

# ----------------------------------------------------------------------------------------------
# Paraphrase rules
# ----------------------------------------------------------------------------------------------
EN_PREFIX = ["hey ", "Hi! ", "Quick question: ", "Can you help me? ", "So ", "ok so ", "Hello, could you check this for me: ",
             "(screenshot attached) ", "Attached. ", "[image] ", "User: ", "Hi there, ", "Hey, sorry to bother you, ",
             "Question - ", "Urgent: ", "Morning! ", "I need help. ", "one thing: ", "yo ", "Dear assistant, ",
             "Please help: ", "Here is the image. ", "Another one. ", "Task: ", "Following up: "]
EN_SUFFIX = [" thanks", " thx", " pls", " please.", " Thanks in advance!", " asap", " :)", " - be brief", " in one sentence",
             " ty", " 🙏", " (short answer)", " Thank you!", " please and thank you", " ?", " lol", " quickly",
             " Keep it short.", " if you can", " - I'm in a hurry"]
KIND_WORD = {"document": ["document", "scan", "page", "PDF page"], "receipt": ["receipt", "bill", "photo of my receipt"],
             "code_screenshot": ["screenshot", "code screenshot", "terminal screenshot"],
             "ui_screenshot": ["screenshot", "screen", "app screenshot"], "table": ["table", "spreadsheet", "sheet"],
             "chart": ["chart", "graph", "plot"], "diagram": ["diagram", "flowchart", "drawing"],
             "photo": ["photo", "picture", "pic"], "photo_text": ["photo", "picture", "shot"],
             "mixed": ["slide", "screenshot", "image"]}
LANG_PREFIX = {
    "de": ["Hallo, ", "Kurze Frage: ", "Bitte: ", "Moin, "], "fr": ["Bonjour, ", "Petite question : ", "Salut, "],
    "es": ["Hola, ", "Una pregunta: ", "Oye, "], "pt": ["Oi, ", "Olá! ", "Uma dúvida: "], "it": ["Ciao, ", "Domanda veloce: "],
    "zh": ["你好，", "请问，", "麻烦看下："], "ja": ["すみません、", "質問です。"], "ko": ["안녕하세요, ", "질문이요. "],
    "ru": ["Привет! ", "Вопрос: "], "hi": ["नमस्ते, ", "एक सवाल: "], "ar": ["مرحبا، ", "سؤال: "],
    "nl": ["Hoi, "], "tr": ["Merhaba, "], "pl": ["Cześć, "], "vi": ["Chào bạn, "],
}
LANG_SUFFIX = {
    "de": [" Danke!", " bitte", " Danke im Voraus."], "fr": [" Merci !", " stp", " merci d'avance"],
    "es": [" ¡Gracias!", " porfa", " gracias"], "pt": [" Obrigado!", " por favor", " valeu"], "it": [" Grazie!", " per favore"],
    "zh": ["，谢谢！", "，急！", "。"], "ja": ["お願いします。", "。よろしく！"], "ko": [" 감사합니다!", " 부탁해요."],
    "ru": [" Спасибо!", " пожалуйста"], "hi": [" धन्यवाद!", " कृपया"], "ar": [" شكرا!", " من فضلك"],
    "nl": [" Bedankt!"], "tr": [" Teşekkürler!"], "pl": [" Dzięki!"], "vi": [" Cảm ơn!"],
}
WRAPPERS = ["**{q}**", "> {q}", "## Question\n{q}", "- {q}", "```\n{q}\n```", "prompt: \"{q}\"", "{{\"instruction\": {qj}}}",
            "[tool: screenshot] {q}", "Observation: image captured. Task: {q}", "<image>\n{q}", "{q}\n\n(image attached)",
            "Q: {q}\nA:", "/ask {q}", "### Task\n{q}\n### Output\nplain text", "USER: {q}", "{q} #help"]
LATIN = re.compile(r"^[\x00-\u024f\s\W\d]*$")
JOINERS = {"en": ["{a} Also, {b}", "{a} And {b}", "1) {a} 2) {b}", "{a} / {b}", "Two things: {a} {b}", "{a}\n{b}",
                  "- {a}\n- {b}", "{a} Oh and {b}"],
           "de": ["{a} Und {b}", "{a} Außerdem: {b}"], "fr": ["{a} Et aussi : {b}", "{a} Puis {b}"],
           "es": ["{a} Y también {b}", "{a} Además, {b}"], "pt": ["{a} E também {b}"], "zh": ["{a}另外，{b}", "{a} 还有 {b}"],
           "ja": ["{a}それと、{b}", "{a} あと {b}"], "ko": ["{a} 그리고 {b}"], "ru": ["{a} И ещё: {b}"],
           "it": ["{a} E poi {b}"], "hi": ["{a} और {b}"], "ar": ["{a} وأيضا {b}"]}


def typo(rng: random.Random, s: str) -> str:
    words = s.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
    if not idx:
        return s
    for i in rng.sample(idx, min(len(idx), rng.choice([1, 1, 2]))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.choice(["swap", "drop", "double", "near"])
        if op == "swap":
            w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1:]
        elif op == "drop":
            w = w[:j] + w[j + 1:]
        elif op == "double":
            w = w[:j] + w[j] + w[j:]
        else:
            near = {"a": "s", "e": "r", "i": "o", "o": "p", "t": "y", "s": "d", "n": "m", "r": "t", "l": "k", "u": "i"}
            w = w[:j] + near.get(w[j], w[j]) + w[j + 1:]
        words[i] = w
    return " ".join(words)


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


def paraphrase(rng: random.Random, q: str, lang: str, kind: str) -> str:
    latin = bool(LATIN.match(q))
    front = rng.choice(["prefix", "prefix", "kindref", "polite", None, None])
    ops = rng.sample(["suffix", "case", "typo", "strip", "wrap"], rng.choice([0, 1, 1, 2]))
    if front:
        ops.insert(rng.randrange(len(ops) + 1), front)
    if "wrap" in ops:  # wrappers go outermost
        ops.remove("wrap")
        ops.append("wrap")
    if not ops:
        ops = [rng.choice(["case", "strip", "suffix", "typo"])]
    out = q
    for op in ops:
        if op == "case" and latin:
            out = rng.choice([out.lower(), out.lower(), out.upper() if len(out) < 40 else out.lower()])
        elif op == "typo" and latin:
            out = typo(rng, out)
        elif op == "strip":
            out = out.rstrip("?.!。？！ ")
        elif op == "prefix":
            pre = rng.choice(EN_PREFIX) if lang == "en" else rng.choice(LANG_PREFIX.get(lang, [""]))
            mid = pre.endswith(", ") or (lang == "en" and pre.endswith(" ") and not pre.endswith((". ", ": ", "! ", "? ", ") ", "] ")))
            out = pre + (lower_first(out) if mid and latin else out)
        elif op == "suffix":
            suf = rng.choice(EN_SUFFIX) if lang == "en" else rng.choice(LANG_SUFFIX.get(lang, [""]))
            if suf.startswith(("，", "。")):  # CJK suffix replaces the final punctuation
                out = out.rstrip("?.!。？！ ")
            out = out + suf
        elif op == "wrap":
            w = rng.choice(WRAPPERS)
            out = w.format(q=out, qj=json.dumps(out, ensure_ascii=False))
        elif op == "kindref" and lang == "en":
            kw = rng.choice(KIND_WORD[kind])
            out = rng.choice([f"{out} (see {kw})", f"Looking at this {kw}: {lower_first(out)}", f"{kw}: {out}",
                              f"In the attached {kw}, {lower_first(out)}"])
        elif op == "polite" and lang == "en":
            out = rng.choice(["Could you please help with this? ", "Would you mind taking a look? ", "If it's not too much trouble: ",
                              "I'd really appreciate it - "]) + out
    return out


def combine(a: str, b: str) -> str:
    if a == b and a != "crop":
        return a
    return "preserve"


def read_seed_files(directory: Path = SEED_DIR) -> list[tuple[tuple[str, str], str, str]]:
    """Seed batches kept in ``seeds/*.txt`` (sorted by name): ``[kind label]`` headers, then one idea per
    line in the SEEDS line format; ``#`` lines are comments. -> [((kind, label), line, file stem)]."""
    out: list[tuple[tuple[str, str], str, str]] = []
    for path in sorted(directory.glob("*.txt")):
        cell = None
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"\[(\w+) (\w+)\]", line)
            if m:
                cell = (m.group(1), m.group(2))
                assert cell[0] in KINDS and cell[1] in LABELS, f"{path.name}:{n}: bad header {line!r}"
                continue
            assert cell is not None, f"{path.name}:{n}: seed before the first [kind label] header"
            out.append((cell, line, path.stem))
    return out


def load_seed_files(directory: Path = SEED_DIR) -> dict[tuple[str, str], str]:
    """The seed batches as blocks keyed like SEEDS."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cell, line, _stem in read_seed_files(directory):
        blocks[cell].append(line)
    return {k: "\n".join(v) for k, v in blocks.items()}


def parse_seeds():
    """-> list of seed dicts {kind, label, group, variants: [(lang, text)]}"""
    seeds = []
    batches = read_seed_files()
    cells = {k: v for k, v in SEEDS.items()}
    for cell, line, _stem in batches:
        cells[cell] = cells.get(cell, "") + "\n" + line
    # who wrote each idea: "core" (this file) or the seed batch it came from (one writer per batch)
    writer = {(cell, line): stem for cell, line, stem in batches}
    for (kind, label), block in cells.items():
        for _n, line in enumerate(ln for ln in block.strip("\n").split("\n") if ln.strip()):
            variants = []
            for part in line.split(" || "):
                m = re.match(r"^([a-z]{2})\| (.*)$", part.strip())
                lang, text = (m.group(1), m.group(2)) if m else ("en", part.strip())
                variants.append((lang, text.replace("\\n", "\n")))
            gid = f"{kind}.{label}.{hashlib.sha1(variants[0][1].encode()).hexdigest()[:8]}"
            seeds.append({"kind": kind, "label": label, "group": gid, "variants": variants,
                          "writer": writer.get(((kind, label), line.strip()), "core")})
    for name, block in (("adv", ADVERSARIAL), ("long", LONG)):
        for line in block.strip("\n").split("\n"):
            kind, label, text = line.split("|", 2)
            assert label in LABELS, line
            gid = f"{kind}.{label}.{name}.{hashlib.sha1(text.encode()).hexdigest()[:8]}"
            seeds.append({"kind": kind, "label": label, "group": gid, "variants": [("en", text)], "writer": "core"})
    relabel = load_relabels()
    known = {s["group"] for s in seeds}
    assert not set(relabel) - known, f"relabel.tsv names unknown groups: {sorted(set(relabel) - known)[:3]}"
    for s in seeds:
        # the group id keeps the original label, so a relabelled idea stays on its side of the split
        s["label"] = relabel.get(s["group"], s["label"])
    return seeds


def load_relabels(path: Path = RELABEL_FILE) -> dict[str, str]:
    """``relabel.tsv``: ``group<TAB>new label<TAB>reason`` lines from label reviews (``#`` = comment)."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        group, label, _reason = raw.split("\t", 2)
        assert label in LABELS, f"relabel.tsv:{n}: bad label {label!r}"
        assert group not in out, f"relabel.tsv:{n}: {group} twice"
        out[group] = label
    return out


def build() -> list[dict]:
    rng = random.Random(SEED)
    seeds = parse_seeds()
    target_total = round(len(seeds) * ROWS_PER_SEED)
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()

    writer_of = {s["group"]: s["writer"] for s in seeds}

    def add(q, lang, kind, label, group, source):
        key = (kind, q.strip().lower())
        if key in seen:
            return False
        seen.add(key)
        rows.append({"query": q, "lang": lang, "image_kind": kind, "label": label, "group": group, "source": source,
                     "writer": writer_of.get(group, "core")})
        return True

    # 1. every hand-written variant as written
    for s in seeds:
        for lang, text in s["variants"]:
            add(text, lang, s["kind"], s["label"], s["group"], "hand")

    # 2. no-question prompts
    for kind, label in NO_QUESTION_LABEL.items():
        for lang, lst in NO_QUESTION.items():
            for t in lst:
                if lang == "en" or rng.random() < 0.5:
                    add(t, lang, kind, label, f"{kind}.{label}.noq.{lang}", "hand")

    # 3. compositions (same kind, same language): most-detailed label of the parts
    by_kind_lang = defaultdict(list)
    for s in seeds:
        for lang, text in s["variants"]:
            by_kind_lang[(s["kind"], lang)].append((s, text))
    n_comp = int(target_total * 0.08)
    keys = sorted(k for k, v in by_kind_lang.items() if len(v) >= 4)
    en_keys = [k for k in keys if k[1] == "en"]
    other_keys = [k for k in keys if k[1] != "en"]
    made = 0
    while made < n_comp:
        # keep non-English near 15-20 % overall: 94 % of compositions are English
        kind, lang = rng.choice(en_keys) if rng.random() < 0.94 else rng.choice(other_keys)
        (sa, ta), (sb, tb) = rng.sample(by_kind_lang[(kind, lang)], 2)
        if sa["group"] == sb["group"]:
            continue
        j = rng.choice(JOINERS.get(lang, JOINERS["en"]))
        mid_sentence = lang == "en" and any(t in j for t in ("And {b}", "Also, {b}", "and {b}"))
        q = j.format(a=ta, b=lower_first(tb) if mid_sentence else tb)
        if add(q, lang, kind, combine(sa["label"], sb["label"]), sa["group"], "composed"):
            made += 1

    # 4. paraphrases, allocated per label to approach TARGET_SHARE
    count = Counter(r["label"] for r in rows)
    by_label = defaultdict(list)
    for s in seeds:
        by_label[s["label"]].append(s)
    for label in LABELS:
        need = int(target_total * TARGET_SHARE[label]) - count[label]
        pool = by_label[label]
        tries = 0
        while need > 0 and tries < need * 20:
            tries += 1
            s = rng.choice(pool)
            en = [v for v in s["variants"] if v[0] == "en"]
            if not en and rng.random() < 0.85:  # non-English seeds are mostly used as written
                continue
            lang, text = en[0] if en and rng.random() < 0.97 else rng.choice(s["variants"])
            q = paraphrase(rng, text, lang, s["kind"])
            if add(q, lang, s["kind"], label, s["group"], "paraphrase"):
                need -= 1

    rng.shuffle(rows)
    for i, r in enumerate(rows):
        r["id"] = f"q{i:05d}"
    keys = ("id", "query", "lang", "image_kind", "label", "group", "source", "writer")
    return [{k: r[k] for k in keys} for r in rows]


def render(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="build twice and compare")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    rows = build()
    text = render(rows)
    if args.check:
        assert render(build()) == text, "non-deterministic output"
    # label conflicts: same (kind, normalised query) with two labels would be a bug
    Path(args.out).write_text(text, encoding="utf-8")
    c = Counter(r["label"] for r in rows)
    print(f"wrote {len(rows)} rows to {args.out}: " + ", ".join(f"{k}={c[k]} ({100 * c[k] / len(rows):.1f}%)" for k in LABELS))


if __name__ == "__main__":
    main()
