"""The generic fallback family: every field from page structure, for templates we have not seen.

It relies only on what custom templates keep from MetInfo's data (guide §2.1 "info line":
the update time, the publisher ``issue`` and the hits, in that order) and on general page
structure: a visible heading that the ``<title>`` starts with, a date close after it, and
the densest block of paragraph text.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import pairwise, takewhile
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from crawler.extract.dates import (
    BARE_ZONES,
    CN_WEEKDAY,
    DAY_WORD_RE,
    JUST_NOW_RE,
    RELATIVE_RE,
    PageDate,
    YearlessDate,
    badge_date,
    find_date,
    normalise,
    parse_date_text,
    short_year_date,
    yearless_date,
)
from crawler.extract.dom import doc_index, document_position
from crawler.extract.page import footer_text
from crawler.extract.text import (
    COMMENT_HEADING_RE,
    LOADING_TEXT_RE,
    RELATED_BOX_TAGS,
    STRIP_CHARS,
    WIDGET_LINE_RE,
    clean_line,
    first_text,
    is_attachment_link,
    is_attachment_url,
    is_layout_table,
    is_related_box,
    is_spacer,
    is_widget,
    nearest_table,
    shown_in_turn,
    text_content,
    text_lines,
)
from crawler.site import absolute_url, home_lang, parse_list_url

UTC = timezone.utc
# Regions that are never the article: page chrome and side columns.
CHROME_TAGS = frozenset({"header", "nav", "footer", "aside", "form"})
# A class or id token names chrome when it STARTS with one of these words (optionally after
# MetInfo's "met-" prefix): `header`, `met-head`, `footer-links`, `sidebar-news-list`,
# `sideBox`.  A word later in the token does not count: `art-head` and `detail-header` are
# the article's own heading blocks (fixture generic/beihu-27).
# `head-text`, `head-title`, `header-info` and `banner-meta` name the article's own heading
# block too (fixtures generic/jinxiu-77, hongtaigangjie-415).  After a short template
# prefix (`hl-foot`, `nt-aside`, `hl-related`; site tests/sites/custom-chamber) fewer words
# count: not head/header, as `art-head` is the article's own.
CHROME_TOKEN_RE = re.compile(
    r"^(?:met[-_]?)?(?:head|header|nav|navbar|menu|foot|footer|side|sidebar|sidebox|sidenav|"
    r"sidenews|aside|crumbs?|breadcrumb|location|copyright|links?|related|"
    # (not 7.x's met-pager-ajax, the list that its AJAX pager fills: generic/kaihuashanghui-home)
    r"recommend|hot|comments?|banner|prev|next|prevnext|pager(?![-_]ajax)|pagination|share|login|"
    r"search|dibu|yejiao|banquan|pinglun|liuyan|"
    # a cookie-consent banner at the foot of every page (a Jakarta association's site)
    r"cookies?|consent|gdpr|"
    # not the utility classes bottom-0 (Tailwind) and position-relative (Bootstrap), which
    # place the headline over a picture (generic/hengqinshanghui-528)
    r"bottom(?![-_]\d)|position(?![-_](?:relative|absolute|fixed|static|sticky)$))"
    r"(?:[-_](?!(?:text|title|tit|info|meta)(?:$|[-_])).*)?$|"
    # (not an article's own foot under an article's prefix: art-foot with the date line
    # under the text, a whole-site trial of a convention centre)
    r"^(?!(?:art|arc|news|show|wz|nr|xq)[-_](?:foot|footer|bottom)(?:$|[-_]))"
    r"[a-z]{1,4}[-_](?:nav|navbar|menu|foot|footer|side|sidebar|sidebox|aside|copyright|"
    r"related|recommend|hot|bottom|comments?)"
    # but an article's own info or title under such a word: art-foot-info (generic/
    # nanhujiedao-2208)
    r"(?:[-_](?!(?:text|title|tit|info|meta)(?:$|[-_])).*)?$",
    re.IGNORECASE,
)
HEADING_TAGS = ("h1", "h2", "h3")
# Separators that MetInfo and templates put between the headline and the site name in
# <title> (met_title_type 2 is "title-webname", guide §2.1).
TITLE_SEPARATORS = (" - ", " _ ", " | ", " ｜ ", " － ", "-", "_", "|", "｜", "—", "–", "－")
SEPARATOR_CHARS = "-_|｜—–－ "
# Characters that end a column prefix before the headline in <title> (图片新闻｜headline).
TITLE_PREFIX_ENDS = "-_|—–｜:："

# A headline printed in a plain element (div.title, strong) is looked for by its text only
# when it is at least this long: shorter texts (a column name) match a <title> by chance.
MIN_TEXT_TITLE_CHARS = 4
# An <h1> that no <title> names is taken for the headline only when at least this long (a
# column's name in an <h1> is shorter).
MIN_H1_TITLE_CHARS = 7

# Labels of the info line (label: value).  Values are read from the same text only: an
# empty label never takes its neighbour's text.
# Traditional Chinese forms (tc sites) too: 發佈時間, 瀏覽, 點擊, 閱讀 (fixture generic/taihe-317);
# 发布单位 is a template's label for the publisher (tests/sites hybrid-teaassoc);
# video pages count plays (播放量：1,536, generic/chunhuijijin-233).
LABELS = {
    "author": r"作者|作\s*者|发布人|发布者|发布单位|发布部门|發佈單位|發布單位|发稿人|撰稿|撰稿人|"
    # other languages MetInfo sites publish in: ja, ko, ru, es/pt, fr, de, it, vi, ar
    # (fixtures generic/sakurakiki-215, volgamash-57, solymar-302 and others)
    r"作成者|投稿者|執筆者|작성자|글쓴이|автор|autor|auteur|autore|tác\s+giả|الكاتب|"
    r"người\s+đăng|người\s+viết|por|words\s+by|written\s+by|"
    # a magazine's credits: Words: X, Photos: Y; Words and photos: X (a whole-site trial
    # of an English chamber)
    r"words\s+and\s+(?:photos?|pictures)|"
    # Indonesian and Malay (generic/yinnihuashang-532, balihuaren-88, malaihuazong-207)
    r"diposting\s+oleh|ditulis\s+oleh|dikirim\s+oleh|oleh|penulis|pengarang|wartawan|"
    # Thai (generic/taihuazonghui-1245, thaizhongwuliu-318, taizhongwenhua-415)
    r"โพสต์โดย|เขียนโดย|ผู้เขียน|ผู้โพสต์|ผู้ประกาศ|โดย|"
    r"编辑|责任编辑|责编|发布|發佈|發布|执笔|執筆|"
    # writer and announcing office: 撰文：, 公告單位： (generic/taoyuanshangxie-305,
    # taizhongnongxie-1509); 记者： and 文字： only with their colon (COLON_ONLY_LABELS)
    r"撰文|公告单位|公告單位|"
    r"發佈人|發布人|發佈者|發布者|編輯|責任編輯|責編|編集|author|authors?|publisher|posted\s+by|editor|"
    r"by|par|issuer|"
    # Arabic by-the-pen-of, Kazakh, Mongolian, Uzbek (generic/dibaimaoyi-2207, huoerguosi-509,
    # erlianhaote-733, pengshengyuanqu-264)
    r"بقلم|авторы|зохиогч|muallif|"
    # a newspaper's byline 文：王强 图：李明 (generic/huangyanshanghui-1517); never 原文：
    r"(?<![\u4e00-\u9fff])文|"
    r"автор\w{0,3}",
    "source": r"来源|來源|来源于|來源於|出处|出處|文章来源|文章來源|信息来源|信息來源|稿源|source|"
    # in the info line, a data or manuscript source is the article's (generic/xinbeigongye-
    # 1187, yzdianshang-915)
    r"资料来源|資料來源|稿件来源|稿件來源|"
    r"出典|出所|출처|источник|fuente|fonte|quelle|nguồn|المصدر|sumber|แหล่งที่มา|ที่มา|"
    # Discuz portal's 来自; spaced to a width: 来　源 (generic/jinxiuzhen-431)
    r"来自|來自|来\s+源|來\s+源|"
    r"дереккөзі|эх\s+сурвалж|manba|"
    # From: China Daily, a word-for-word 来源 (generic/yiwuhongda-418)
    r"from",
    "date": r"发布时间|发表时间|更新时间|发布日期|更新日期|时间|日期|發佈時間|發布時間|發表時間|"
    r"更新時間|發佈日期|發布日期|時間|date|time|published|updated|posted(?:\s+on)?|"
    # the day of the last edit, an update (generic/gaoxiongshipin-833)
    r"最后修改|最後修改|修改时间|修改時間|修改日期|"
    r"release\s*time|投稿日|公開日|掲載日|更新日|日付|작성일|등록일|수정일|날짜|дата|обновлено|fecha|"
    r"actualizado|datum|aktualisiert|ngày\s+đăng|تاريخ\s+النشر|التاريخ|опубликовано|"
    r"fecha\s+de\s+publicación|publicado(?:\s+el)?|publié\s+le|veröffentlicht(?:\s+am)?|"
    r"วันที่เผยแพร่|วันที่ประกาศ|วันที่โพสต์|เผยแพร่เมื่อ|โพสต์เมื่อ|วันที่|tanggal|tarikh|"
    # th: last updated (a Thai chamber's pages print it before the publication date)
    r"อัปเดตล่าสุด|อัพเดทล่าสุด|อัปเดต|อัพเดท|แก้ไขล่าสุด|ปรับปรุงล่าสุด|"
    r"diterbitkan|dipublikasikan|日\s+期|时\s+间|時\s+間|"
    r"publicado\s+em|atualizado(?:\s+em)?|жарияланды|нийтэлсэн|sana|e['‘’ʻ]lon\s+qilingan|"
    r"última\s+actualización|actualización|atualização|mise\s+à\s+jour|"
    # ar: with its damma (نُشر في) too, and the last update (آخر تحديث: printed before it)
    r"تاريخ|نشر\s+في|نُشر\s+في|نُشِر\s+في|تاريخ\s+النشر|آخر\s+تحديث|تاريخ\s+التحديث",
    # 访问次数 and 阅读数 on government and 5.x pages (generic/lanxiqu-2291, xinanshangwu-305).
    "hits": r"点击次数|点击数|点击|浏览次数|浏览量|浏览数|浏览|阅读次数|阅读量|阅读数|阅读|"
    r"访问次数|访问量|人气|點擊次數|閱讀數|瀏覽數|訪問次數|"
    # visits counted as people: 瀏覽人次：312 (generic/aomengongshang-1423)
    r"瀏覽人次|浏览人次|點閱人次|点阅人次|閱讀人次|阅读人次|"
    r"點擊數|點擊|瀏覽次數|瀏覽量|瀏覽|閱讀次數|閱讀量|閱讀|訪問量|人氣|热度|熱度|播放次数|播放量|"
    r"播放數|播放数|播放|点击量|點擊量|hits|views|clicks|閲覧数|閲覧|조회수|조회|просмотров|просмотры|visitas|"
    r"vues|aufrufe|lượt\s+xem|المشاهدات|lecturas|visitas|прочтений|點閱次數|點閱數|點閱|点阅次数|"
    r"visits|dibaca|dilihat|dikunjungi|tontonan|เปิดอ่าน|จำนวนผู้เข้าชม|ผู้เข้าชม|เข้าชม|อ่าน|"
    # Discuz portal's 查看 (generic/yiwuqingqi-1809); labels spaced to a width: 点　击
    r"查看|點\s+擊|点\s+击|浏\s+览|瀏\s+覽|阅\s+读|閱\s+讀|"
    r"visualizações|visualizacoes|қаралды|үзсэн|ko['‘’ʻ]rishlar(?:\s+soni)?|"
    # Chinglish for 点击/浏览次数/阅读 (generic/nbcoc-1203, szbrightled-276, qtxq-2057)
    r"click|browse(?:\s+times)?|reading|page\s*views?|"
    r"عدد\s+المشاهدات|المشاهدات|مشاهدات",
    # A font-size widget printed as a label (字号：[大 中 小]): it ends the value before it
    # and is no field (generic/baiyangzhen-1102).
    "widget": r"字号|字體|字体|字號|font\s*size|"
    # a reading-time badge's label ends the value before it (generic/suifenhezmq-96)
    r"reading\s+time|read\s+time|阅读时间|阅读时长|thời\s+gian\s+đọc|время\s+чтения|"
    r"tiempo\s+de\s+lectura|lesezeit|"
    # a comment count's label ends the value before it and is no field: 评论：<a>0</a>
    # beside 点击：388 (PHPCMS-style lines, generic/jiaxingwuliu-1462)
    r"评论|評論|评论数|評論數|回复|回覆|comments?|"
    # the photographer's credit beside the author's (文：… 图：…) is no field
    r"(?<![\u4e00-\u9fff])图|(?<![\u4e00-\u9fff])圖|摄影|攝影|写真|photos?|pictures|"
    # the reviewer's and proofreader's credits end the editor's name (generic/zscbxiehui-688)
    r"审核|審核|审校|審校|校对|校對|终审|終審|监制|監製",
}
_ANY_LABEL = "(?:" + "|".join(LABELS.values()) + ")"
# A bilingual label prints the word twice, in two languages, before one value: 作者 Author,
# Date 日期, 日期/Date (Hong Kong, Macau and Singapore chambers, generic/gangzhongshanghui-612);
# the second word, in the other script, is part of the label (发布 时间 is no such pair).
_SECOND_LABEL = (
    r"(?:(?<=[^\x00-\x7f])\s*[/|]?\s*(?=[a-z])"
    + _ANY_LABEL
    + r"(?![^\W\d_])|(?<=[a-z])\s*[/|]?\s*(?=[^\x00-\x7f])"
    + _ANY_LABEL
    + ")?"
)
# A label word of an author, source or hits, a space and a value, without a colon.
SPACED_LABEL_RE = re.compile(
    "^(?P<label>"
    + "|".join(LABELS[k] for k in ("author", "source", "hits"))
    + r")"
    + _SECOND_LABEL
    + r"\s+(?P<value>\w.*)$",
    re.IGNORECASE,
)
# A label word alone (or two, bilingual), without its colon.
BARE_LABEL_RE = re.compile("^" + _ANY_LABEL + _SECOND_LABEL + "$", re.IGNORECASE)
# Labels read only with their colon: 记者：王芳 names the author (generic/xsgjingjiqu-1419),
# but 作者：记者 陈思远 is a byline whose words stay the author's (the recorded corpora).
COLON_ONLY_LABELS = {
    # a correspondent's credit names the writer when no author is printed (通讯员：张华
    # beside the date and 出处, a whole-site trial of a city federation's portal)
    "author": r"记者|記者|文字|words|(?:特约)?通讯员|(?:特約)?通訊員",
    # a republished story's source on English portals: Via: China Daily
    "source": r"via",
}
LABEL_RE = re.compile(
    r"(?P<label>"
    + "|".join(
        f"(?P<{k}>{v}|{COLON_ONLY_LABELS[k]})" if k in COLON_ONLY_LABELS else f"(?P<{k}>{v})"
        for k, v in LABELS.items()
    )
    + r")"
    + _SECOND_LABEL
    + r"\s*[:：]",
    re.IGNORECASE,
)
# Words glued before a label make another label of the same kind: 发稿时间, 成文日期, 本文作者,
# "Release Date" (fixtures generic/haigangzone-1207, nanpuxian-3306, binhaiftz-212).  A
# date so labelled is the date only when no plainly labelled or unlabelled date is given:
# 成文日期 (the day a document was written) precedes 发布日期 in disclosure tables.
_GLUED_WORD = (
    r"(?:[\u4e00-\u9fff]{1,4}|(?:release|publish(?:ed)?|publication|post(?:ed)?|issue|last|"
    r"create(?:d)?|upload(?:ed)?|update(?:d)?|event|meeting|activity|start|end|closing|"
    r"opening|deadline|expiry)\s)"
)
# The glued word just before a label found further on (a separator or the start before it).
LABEL_PREFIX_RE = re.compile(r"(?:^|(?<=[\s|｜丨/,，;；]))" + _GLUED_WORD + "$", re.IGNORECASE)
# A text that starts with a glued word and a label.
PREFIXED_LABEL_RE = re.compile("^" + _GLUED_WORD + "(?=" + LABEL_RE.pattern + ")", re.IGNORECASE)
# Words glued before a date label that name the publication itself, not another day of the
# document: 公开日期, 发稿时间, Release Date are the date even beside 成文日期 or 生成日期
# (generic/lanxiqu-2291, nanhaiftz-88).
PUBLICATION_PREFIX_RE = re.compile(
    r"^(?:公开|公開|发稿|發稿|发表|發表|上线|上線|上网|上網|刊登|刊出|release|publish(?:ed)?|publication|"
    r"post(?:ed)?)\s?$",
    re.IGNORECASE,
)
# The label of an event's date, never the publication's: a tender's 开标：/报名截止：, a
# meeting's 会议时间：, an offer's 有效期至：, printed in a status strip by the headline
# (generic/xinshagangqu-1658).
# The day of an event, colon or not: th วันจัดงาน, id tanggal acara (whole-site trials of a
# Thai and an Indonesian chamber).
_EVENT_DAY_WORDS = r"วันจัดงาน|วันที่จัดงาน|tanggal\s+acara|waktu\s+acara"
EVENT_DATE_LABEL_RE = re.compile(
    r"^\s*(?:开标|開標|投标|投標|报名|報名|截止|申报|申報|开幕|開幕|闭幕|閉幕|举办|舉辦|活动|活動"
    # an exhibition's days: 展会日期, 展览时间, 展期, 开展/布展/撤展时间 (a whole-site trial of a
    # convention centre)
    r"|展会|展會|展览|展覽|展期|开展|開展|布展|撤展|参展|參展"
    r"|会议|會議|开始|開始|结束|結束|有效期|deadline|event\s+date|starts?|ends?|when"
    # pt, es: data do evento, fecha del evento, inscrições até
    r"|data\s+do\s+evento|fecha\s+del\s+evento|inscri[çc][õo]es"
    r"|" + _EVENT_DAY_WORDS +
    # a course's day: 上課日期：115年12月6日 (generic/taichungmaoyi-home)
    r"|上课|上課|开课|開課|课程|課程|培训|培訓"
    # a server clock in a top bar: 北京时间：2026-11-29 19:58:02 (generic/jhkaifaqu-1520)
    r"|北京时间|北京時間|当前时间|當前時間|现在时间|現在時間|系统时间|系統時間)"
    r"[^:：]{0,6}[:：]"
    # the label in an element of its own, without a colon: <span class="label">Event
    # date</span> November 14, 2024 (a whole-site trial of an office's events column)
    r"|^\s*(?:event\s+(?:date|time)s?|date\s+of\s+(?:the\s+)?event|活动(?:日期|时间)|活動(?:日期|時間)"
    r"|会议(?:日期|时间)|會議(?:日期|時間)|" + _EVENT_DAY_WORDS + r")\s",
    re.IGNORECASE,
)
# "Updated on" words before a date, without a colon: 更新于 2024-06-15, Last updated 5 May.
UPDATED_ON_RE = re.compile(
    r"^(?:更新于|更新於|最后更新(?:于|時間|时间)?|最後更新(?:於)?|(?:last\s+)?updated(?:\s+on)?|"
    # pt, es, fr, ru, vi (generic/huabaxishanghui-455)
    r"atualizado\s+em|actualizado\s+el|mis\s+à\s+jour\s+le|обновлено|cập\s+nhật(?:\s+lúc)?)\s*",
    re.IGNORECASE,
)
# Words after a date that name it, Japanese style: 2024.06.20 更新 (an update), （2024.06.12
# 公開） (the publication).
UPDATED_AFTER_RE = re.compile(
    r"^\s*[)）]?\s*(?:更新|更新日|更新済み?|修正|修改|updated)\s*[)）]?\s*$", re.I
)
PUBLISHED_AFTER_RE = re.compile(
    r"^\s*[)）]?\s*(?:公開|公开|掲載|投稿|发布|發佈|發布|published)\s*[)）]?\s*$", re.IGNORECASE
)
PUBLISHED_WORD_RE = re.compile(r"公開|公开|掲載|投稿|发布|發佈|發布|published", re.IGNORECASE)
# An author label that names an editor's or a correspondent's credit, not the writer: it
# yields to an author label printed after it.
EDITOR_LABEL_RE = re.compile(r"编辑|編輯|編集|责编|責編|editor|通讯员|通訊員", re.IGNORECASE)
# A date label that names an update: its date is the date only when no other is printed
# (更新时间 before 发布时间, generic/baishuixiehui-907).
UPDATE_LABEL_RE = re.compile(
    r"更新|修改|修订|修訂|updated|modified|수정|обновлено|actualizado|aktualisiert|actualizaci[oó]n|"
    r"atualiza(?:do|ção|cao)|mise\s+à\s+jour|cập\s+nhật|жаңартылды|шинэчилсэн|yangilangan|"
    r"diperbarui|อัปเดต|อัพเดท|แก้ไขล่าสุด|ปรับปรุงล่าสุด|تحديث",
    re.IGNORECASE,
)
# A time of day in a part of its own, after a day-only date (generic/haixiabaoshui-1150).
TIME_ONLY_RE = re.compile(
    # 14:30, 下午3:20, and 下午３時２０分 (generic/aomengongshang-1423)
    r"^(?:上午|下午|晚上|中午)?\s*\d{1,2}(?::\d{2}(?::\d{2})?|\s*[时時点點]\s*\d{1,2}\s*分?)"
    # its half of the day and its zone (19:30 WIB after "Selasa, 9 Juli 2024 |": a Jakarta
    # association's info line)
    r"(?:\s*(?:[ap]\.?m\.?|sáng|chiều|tối))?"
    r"(?:\s*[（(]?(?:北京时间|北京時間|" + "|".join(BARE_ZONES) + r")[)）]?)?$",
    re.IGNORECASE,
)
# A weekday printed beside the date (星期六, 周六, Saturday) is no publisher.
WEEKDAY_RE = re.compile(
    r"^[(（]?" + CN_WEEKDAY + r"[)）]?$|"
    r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?$|"
    # vi, ru, es, fr, de (generic/zhongyuemaoyi-77)
    r"^(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật|понедельник|вторник|среда|четверг|"
    r"пятница|суббота|воскресенье|lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|"
    # Indonesian and Malay
    r"senin|selasa|rabu|kamis|khamis|jumat|jumaat|sabtu|minggu|ahad|isnin|"
    # Arabic, with the Arabic comma (generic/dibaimaoyi-2207); Korean in brackets
    r"ال(?:أحد|إثنين|اثنين|ثلاثاء|أربعاء|خميس|جمعة|سبت)|[(（][월화수목금토일](?:요일)?[)）]),?،?$",
    re.IGNORECASE,
)
# Where an info line splits into parts: bars, 【】 brackets, spaced middle dots, runs of two
# spaces, ideographic spaces.
# (not a middle dot between a date and its time: Jun 12, 2024 · 3:20 pm, generic/qdabc-318)
INFO_SPLIT_RE = re.compile(
    r"\s*[|｜丨【】]\s*|\s+[·•]\s+(?!\d{1,2}:\d{2})|\s{2,}|\u3000+|\u00a0{2,}"
)


# A colon after a word character or letter: where a label may end.
LABEL_COLON_RE = re.compile(r"[^\d\s:：]\s*[:：]")


def has_colon(text: str) -> bool:
    """True when ``text`` holds an ASCII or full-width colon (every label ends in one)."""
    return ":" in text or "：" in text


# (not 资料来源/数据来源: a table's data source under it, generic/shaoxingfangzhi-744)
_SOURCE_WORDS = (
    r"(?:来源|來源|文章来源|文章來源|信息来源|信息來源|新闻来源|新聞來源|稿件来源|稿件來源|source|"
    r"출처|出典|出所|quelle|fuente|fonte|nguồn|источник|sumber)"
)
LEADING_SOURCE_RE = re.compile(
    rf"^{_SOURCE_WORDS}\s*[:：｜|]\s*(?P<v>.+)$"
    # or the same in brackets: （来源：西岸区融媒体中心）, 【来源：…】 (generic/xinanshangwu-305)
    rf"|^[（(【\[]\s*{_SOURCE_WORDS}\s*[:：]\s*(?P<b>[^（）()【】\[\]]+?)\s*[）)】\]]$",
    re.IGNORECASE,
)
# How many of a body's last lines are read for its closing 来源 line.
SOURCE_LAST_LINES = 4
# Reporters named after a source: 湖州日报 记者 沈洁, 通讯员 钱明.
# In brackets too: 来源：浙江日报（记者 王芳 通讯员 李强） (generic/fhqilian-1302).
REPORTER_RE = re.compile(
    r"(?:\s+|\s*[（(]\s*)(?:特约)?(?:记者|記者|通讯员|通訊員|实习生|實習生|摄影|攝影)"
)
# The most lines of a closing block of credit lines, one label each (来源：… 记者：…
# 通讯员：… 摄影：… 编辑：… 审核：…, generic/lgchanyeyuan-2207), read for its source.
CREDIT_BLOCK_MAX_LINES = 10
# A reporter's or correspondent's credit line, which no label of LABELS names.
REPORTER_LINE_RE = re.compile(r"^(?:特约)?(?:通讯员|通訊員|实习生|實習生)\s*[:：]")
# An English byline without a colon: "Posted by Jane Holloway on 5 March 2023".
# Also "Words by …" and the Spanish, French and German forms: Publicado el … por Redacción
# (generic/xibanyashanghui-207, suifenhezmq-96).
BYLINE_RE = re.compile(
    r"^(?:(?:posted|written|published|reported|words|publicado|escrito|publié|écrit|"
    r"veröffentlicht|geschrieben|diposting|ditulis|dikirim)\s+)?(?:by|por|par|von|oleh)\s+"
    r"(?P<name>.+?)"
    # "by Admin in Industry News": the category after the name (generic/cixibearing-159)
    r"(?:\s+in(?:\s+[^,|]+?)?)?"
    # (Diposting oleh Admin pada 5 Maret 2024: id)
    r"(?:\s+(?:on|at|el|le|am|pada)\s+(?P<rest>.+))?$",
    re.IGNORECASE,
)
# What is left of "Posted on March 5, 2024 by Admin" once its date is taken out: the words
# before "by" (generic/yongxinvalve-207).
POSTED_ON_RE = re.compile(
    r"^(?:(?:posted|published|written|updated|publicado|publié|veröffentlicht)\s+)?"
    r"(?:on|el|le|am)\s+(?=(?:by|por|par|von)(?:\s|$))",
    re.IGNORECASE,
)
# A line that opens with posting words before its date, without a colon: Posted on …,
# Published …, Last updated ….
POSTED_ON_LINE_RE = re.compile(
    r"^(?:(?:posted|published|written|last\s+updated|updated)(?:\s+(?:on|at))?|publicado\s+el"
    r"|publié\s+le|veröffentlicht\s+am|发表于|发布于|發表於|發佈於)\s",
    re.IGNORECASE,
)
# Byline words in an element of their own: "Posted on" before a date is nothing, "by"
# names the next part as the author (Posted on <span>date</span> by <span>name</span>,
# generic/northlakecc-204).
BYLINE_WORDS_RE = re.compile(
    # ("in" before the column's link: Posted on <span>date</span> in <a>Events</a>)
    r"^(?:(?:posted|published|written|updated)(?:\s+(?:on|at|in))?|on|at|in|filed\s+under|"
    r"发表于|发布于|發表於|"
    r"publié\s+le|veröffentlicht\s+am|publicado\s+el)$",
    re.IGNORECASE,
)
BY_WORD_RE = re.compile(
    r"^(?:(?:posted|written|published|reported|words)\s+)?by$|^(?:par|von|por)$|"
    r"^(?:(?:diposting|ditulis|dikirim)\s+)?oleh$|^(?:โพสต์)?โดย$",
    re.IGNORECASE,
)
# Brackets and separators left over when a widget's words sit in their own element.
PUNCTUATION_RE = re.compile(r"[\s【】〖〗\[\]()（）|｜/·•:：,，.。\-]+")
# A view count: a bare number (thousands may be grouped: 2,318), with or without 次 or
# views, or after a hits word without a colon (阅读 312).
# Thousands separated by a comma, a dot or a (thin, no-break) space: 2,318, 1.532 (es, vi),
# 2 315 (ru; generic/zhongeshanghui-318).
# (\d is any script's digit, and so is int()'s: ١٬٢٥٠ with the Arabic thousands separator
# is 1250, generic/aijijingmaoqu-1112)
# (1.2万 is 12,000: generic/jiashanmuye-621)
COUNT = (
    r"(\d{1,3}(?:[,.\u202f\u00a0 \u066c]\d{3})+(?![\d.,])"
    r"|\d{1,4}(?:\.\d{1,2})?\s?[万萬]|\d{1,9})"
)
COUNT_RE = re.compile(COUNT)
HITS_RE = re.compile(
    r"^\s*(?:(?:"
    + LABELS["hits"]
    + r")\s*)?[(（]?\s*"
    + COUNT
    + r"\s*[)）]?\s*(?:次|人次|views?|hits?|reads?|回|회|aufrufe|vues|visitas|просмотр\w*|"
    r"lượt\s+xem|kali|ครั้ง)?\s*$"
    # or a phrase around the count: 已有268人閱讀, 共1,024次浏览, 328 阅读, Read 213 times
    # (generic/aomenshanghui-176, generic/minnanshanghui-1120).
    r"|^\s*(?:已有|共有|已|共)?\s*" + COUNT + r"\s*(?:人次|人|次)?\s*"
    r"(?:阅读|閱讀|浏览|瀏覽|访问|訪問|看过|看過|围观|圍觀)(?:过|過|量)?\s*$"
    r"|^\s*(?:read|viewed|visited)\s+" + COUNT + r"\s+times?\s*$",
    re.IGNORECASE,
)
# A reading-time badge: 4 min read, 5 phút đọc, 3 мин чтения, 阅读约3分钟
# (generic/haixiashanghui-88).
READING_TIME_RE = re.compile(
    r"^(?:阅读(?:约|大约)?\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?\.?|phút|мин(?:ут[аы]?)?\.?|"
    r"分钟|分鐘|minutos?)(?:\s+(?:read|reading|đọc|чтения|de\s+lectura|lesezeit|阅读))?$",
    re.IGNORECASE,
)
# A gallery's or a list's count: 共6幅, 12张, 共3页.
PICTURE_COUNT_RE = re.compile(r"^共?\s*\d+\s*(?:幅|张|張|篇|组|組|页|頁|个|個)(?:图片|圖片|照片)?$")
# A word and a count that is no view count (评论(0), 点赞 12): never the publisher.
OTHER_COUNT_RE = re.compile(r"^[^\d\s(（]{1,4}\s*[(（]?\s*\d[\d,]*\s*[)）]?\s*次?$")
# How much text after the title the info line may be found in.
INFO_SCAN_CHARS = 600
# How much text before the title a date badge may be found in.
BADGE_SCAN_CHARS = 60
INFO_MAX_CHARS = 300
# The longest text of a date badge (``06 2023-05``).
BADGE_MAX_CHARS = 20


@dataclass
class Info:
    """Fields of an article's info line; ``seen_labels`` are the label kinds the line
    printed, with or without a value."""

    date: PageDate | None = None
    author: str | None = None
    source: str | None = None
    hits: int | None = None
    seen_labels: set[str] = field(default_factory=set)
    # (closing_credits) the author came under 作者/Author itself
    author_named: bool = False
    # True while ``author`` is an unlabelled text taken for the publisher: a labelled
    # author later in the line replaces it.
    author_guessed: bool = False
    # True when ``date`` is the line's update time (更新时间, 更新于), printed without a
    # publication time: one printed elsewhere on the page is the better date.
    date_is_update: bool = False
    # A date printed without its year (06-12 14:30, 12 Jun): the date once the URL or the
    # column gives the year (crawler.extract._extract).
    yearless: YearlessDate | None = None
    # True while ``author`` came from an editor's credit (责任编辑：): an author label wins.
    author_is_editor: bool = False

    def complete(self, other: Info) -> None:
        """Fill the fields still empty from ``other`` (a second line of the same info)."""
        self.date = self.date or other.date
        if self.author is None or (
            self.author_guessed and other.author and not other.author_guessed
        ):
            # an unlabelled text taken for the publisher (a column badge beside the date)
            # gives way to a labelled author (generic/yongjiangxiehui-846)
            self.author, self.author_guessed = other.author, other.author_guessed
            self.author_is_editor = other.author_is_editor
        elif (
            self.author_is_editor
            and other.author
            and not (other.author_guessed or other.author_is_editor)
        ):
            self.author, self.author_is_editor = other.author, False
        self.source = self.source or other.source
        self.hits = self.hits if self.hits is not None else other.hits
        self.yearless = self.yearless or other.yearless
        self.seen_labels |= other.seen_labels


def is_hidden(el: etree._Element) -> bool:
    """True when ``el`` or an ancestor is hidden (``hidden`` attribute, ``display:none``,
    ``sr-only``).  7.x headers print the site and column names in ``<h1 hidden>`` (guide §2.1)."""
    node: etree._Element | None = el
    while node is not None:
        if node.get("hidden") is not None:
            return True
        style = (node.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
        names = (node.get("class") or "").split()
        if "sr-only" in names or (_HIDDEN_CLASSES & set(names) and not _shown_somewhere(names)):
            return True
        node = node.getparent()
    return False


# Utility classes that hide an element (Bootstrap 4/5 d-none, Bootstrap 3 hidden, Tailwind
# hidden) unless a breakpoint class shows it again (d-none d-md-block, hidden md:block):
# a read-aloud transcript (generic/dongtaishanghui-1290).
_HIDDEN_CLASSES = frozenset({"d-none", "hidden"})
_SHOWN_CLASS_RE = re.compile(r"^(?:d-(?:sm|md|lg|xl|xxl|print)-\w+|(?:sm|md|lg|xl|2xl|print):\w+)$")


def _shown_somewhere(names: list[str]) -> bool:
    return any(_SHOWN_CLASS_RE.match(name) for name in names)


# Classes that show an element on phones only (Bootstrap 3 visible-xs and hidden-md/lg,
# Bootstrap 4/5 d-md-none, Tailwind md:hidden, template names): a phone copy of a headline,
# info line or breadcrumb whose desktop copy is on the page too (generic/lanshanxiehui-233,
# haitangzmq-1207, changlingshanghui-1180, beilunjianxie-647).
MOBILE_ONLY_CLASSES = frozenset(
    {
        "visible-xs",
        "visible-xs-block",
        "visible-xs-inline",
        "visible-xs-inline-block",
        "d-sm-none",  # Bootstrap 4/5 below sm only (generic/nanshaxiehui-817)
        "d-md-none",
        "d-lg-none",
        "d-xl-none",
        "md:hidden",
        "lg:hidden",
        "xl:hidden",
        "hidden-md-up",
        "hidden-lg-up",
        "hidden-sm-up",  # Bootstrap 4 alpha, which metv7 is built on (generic/lingangxinqu-2207)
        "mobile-only",
        "only-mobile",
        "show-mobile",
        "m-show",
        "wap-show",
        "phone-only",
    }
)


def is_mobile_only(el: etree._Element) -> bool:
    """True when ``el`` or an ancestor is shown on phones only (:data:`MOBILE_ONLY_CLASSES`,
    or Bootstrap 3's hidden-md with hidden-lg)."""
    node: etree._Element | None = el
    while node is not None:
        value = node.get("class")
        if value:
            names = set(value.split())
            if names & MOBILE_ONLY_CLASSES or {"hidden-md", "hidden-lg"} <= names:
                return True
        node = node.getparent()
    return False


def _mobile_only_own(el: etree._Element) -> bool:
    """True when ``el``'s own class shows it on phones only (:data:`MOBILE_ONLY_CLASSES`)."""
    value = el.get("class")
    return bool(value) and not MOBILE_ONLY_CLASSES.isdisjoint(value.split())


def class_tokens(el: etree._Element) -> list[str]:
    """The class names and the id of ``el``, as one list of tokens."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".split()


def token_above(el: etree._Element | None, token_re: re.Pattern[str]) -> bool:
    """True when ``el`` or an ancestor below ``<body>`` has a class or id token that
    ``token_re`` matches."""
    while el is not None and el.tag not in ("body", "html"):
        if any(token_re.match(token) for token in class_tokens(el)):
            return True
        el = el.getparent()
    return False


# The most text a form (a search or login box) holds to count as chrome: a form around
# the list with its filter bar is the page's main block (generic/pinghuxiehui-list-3-p2).
FORM_CHROME_CHARS = 300


def in_chrome(el: etree._Element) -> bool:
    """True when ``el`` sits in page chrome: header, nav, footer, aside, a small form or a
    side column."""
    node: etree._Element | None = el
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in CHROME_TAGS and not (
            node.tag in ("header", "footer") and _has_ancestor(node, ("article", "main"))
        ):
            if node.tag != "form" or short_text(node, FORM_CHROME_CHARS) is not None:
                return True
        if any(CHROME_TOKEN_RE.match(token) for token in class_tokens(node)):
            return True
        if (mid := node.get("m-id")) and CHROME_MID_RE.search(mid):
            return True
        node = node.getparent()
    return False


# MetInfo 7's visual-editor ids of page chrome: met_head, met_foot, news_bar (a side column
# whatever its classes: generic/jiashanwujin-list-5-p2).
CHROME_MID_RE = re.compile(r"(?:^|_)(?:bar|sidebar|head|foot|footer|header)$", re.IGNORECASE)


def _has_ancestor(el: etree._Element, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


def _text_pieces(el: etree._Element) -> Iterator[str]:
    """The text of ``el`` in document order, piece by piece (scripts and styles excluded)."""
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript"):
            if node.text:
                yield node.text
        if node is not el and node.tail:
            yield node.tail


def element_text(el: etree._Element) -> str:
    """All text of ``el`` (scripts and styles excluded), whitespace-collapsed."""
    return clean_line(" ".join(_text_pieces(el)))


def short_text(el: etree._Element, limit: int) -> str | None:
    """:func:`element_text` of ``el`` when it is at most ``limit`` characters long, else
    None, found without reading more than ``limit`` characters of text past the first
    that is too many: checking every element of a deeply nested page stays linear."""
    parts = []
    seen = 0
    for piece in _text_pieces(el):
        parts.append(piece)
        seen += len(piece) - piece.count(" ") - piece.count("\n")
        if seen > limit:
            return None
    text = clean_line(" ".join(parts))
    return text if len(text) <= limit else None


def page_title(sel: Selector) -> str | None:
    """The ``<title>`` text, whitespace-collapsed, or None."""
    title = clean_line(sel.xpath("string(//title)").get() or "")
    if "&" in title:
        title = html.unescape(title)  # a <title> escaped twice shows &ldquo; (hongshuwan-415)
    return title or None


def strip_site_suffix(title: str, site_names: set[str]) -> str:
    """``title`` without a trailing ``-{site name}`` (met_title_type 2, guide §2.1).

    A known site name is removed when it follows a separator; otherwise the last separated
    segment goes when what remains is not empty.
    """
    for name in sorted(site_names, key=len, reverse=True):
        for sep in TITLE_SEPARATORS:
            if title.endswith(sep + name) and len(title) > len(sep + name):
                return title[: -len(sep + name)].strip(STRIP_CHARS)
    for sep in TITLE_SEPARATORS:
        if sep in title:
            # A doubled separator (``headline--site``) leaves its first half behind.
            head = title.rsplit(sep, 1)[0].rstrip(SEPARATOR_CHARS).strip(STRIP_CHARS)
            if head:
                return head
    return title


# The longest column name read from a <title>.
TITLE_COLUMN_MAX_CHARS = 20


def _title_middle(sel: Selector, headline: str | None) -> str | None:
    """The part a page's ``<title>`` prints between the headline and the site name
    (``headline_通知公告_site``, ``site - 媒体报道 - headline``: MetInfo's met_title_type 3
    joins the three, guide §2.1), or None when the title is not of that shape."""
    title = page_title(sel)
    headline = clean_line(headline or "")
    if not title or not headline:
        return None
    for sep in TITLE_SEPARATORS:
        if title.startswith(headline + sep):
            rest = title[len(headline + sep) :].split(sep)
        elif title.endswith(sep + headline):
            rest = title[: -len(sep + headline)].split(sep)
        else:
            continue
        if len(rest) != 2:
            return None
        return rest[0 if title.startswith(headline) else 1].strip(STRIP_CHARS)
    return None


def title_column(sel: Selector, headline: str | None) -> list[str]:
    """The column a page's ``<title>`` names beside the headline and the site name
    (:func:`_title_middle`), for an article that prints no breadcrumb
    (generic/beitangzhen-845, lanxiwenlv-570); [] when the title is not of that shape or
    that part is a date (``headline - 2024-01-15 - site``, :func:`title_date`)."""
    column = _title_middle(sel, headline)
    if (
        column
        and len(column) <= TITLE_COLUMN_MAX_CHARS
        and not HOME_WORDS_RE.match(column)
        and not find_date(column, UTC)
    ):
        return [column]
    return []


def title_date(sel: Selector, headline: str | None, tz: tzinfo) -> PageDate | None:
    """The date a page's ``<title>`` prints alone between the headline and the site name
    (``headline - 2024-01-15 - site``: a template whose article shows no other date, a
    whole-site trial of an old county template), or None."""
    part = _title_middle(sel, headline)
    found = find_date(part, tz) if part else None
    if found is not None and part is not None and len(found.raw) >= len(part) - 2:
        return found
    return None


def site_names(sel: Selector) -> set[str]:
    """Names the page gives the site: hidden nav headings, logo titles, og:site_name."""
    names = set()
    for text in sel.xpath(
        "//*[@hidden][self::h1 or self::h2 or self::h3]//text()"
        " | //meta[@property='og:site_name']/@content"
    ).getall():
        if clean_line(text):
            names.add(clean_line(text))
    return names


# Elements inside a headline that hold its date (<h1>title <small>2023-05-06</small></h1>).
DATE_CHILD_TAGS = ("small", "span", "time", "em", "i", "font")


# How much text after a heading is read for its date line.
DATE_AFTER_HEADING_CHARS = 60


def _in_link_or_list(el: etree._Element) -> bool:
    """True for text in a link or a list item: a news list's or prev/next entry, whose date
    is another article's."""
    return el.tag in ("a", "li") or _has_ancestor(el, ("a", "li"))


# An unlabelled part of an info line that names the site itself as the text's origin.
OWN_SOURCE_RE = re.compile(r"^(?:本站|本网|本站原创|本网原创|原创|本站讯|本网讯)$")


def _in_link_row(el: etree._Element) -> bool:
    """True for text in a table cell whose row holds a link in another cell: a list's
    entry of a title cell and a date cell (``<tr><td><a>…</a></td><td>2024-06-05</td>``),
    whose date is another article's."""
    cell = el if el.tag in ("td", "th") else next(el.iterancestors("td", "th"), None)
    row = cell.getparent() if cell is not None else None
    if row is None or row.tag != "tr":
        return False
    return any(
        other is not cell and isinstance(other.tag, str) and other.find(".//a") is not None
        for other in row
    )


def _date_follows(root: etree._Element, heading: etree._Element) -> bool:
    """True when a date stands in the first :data:`DATE_AFTER_HEADING_CHARS` of text after
    ``heading``, not in a link or a list item (a sidebar's news list), before any other
    heading."""
    seen = 0
    for el, text in _following_text_nodes(root, heading):
        if el is None or not text.strip(STRIP_CHARS):
            continue
        if el.tag in HEADING_TAGS or in_chrome(el):
            return False
        if _in_link_or_list(el):
            return False
        if find_date(text, UTC):
            return True
        seen += len(text.strip(STRIP_CHARS))
        if seen > DATE_AFTER_HEADING_CHARS:
            return False
    return False


def _title_site_part(page: str) -> str | None:
    """The part of a ``<title>`` after its last separator (``headline - site``): the site's
    name, when the title has a separator."""
    for sep in TITLE_SEPARATORS:
        if sep in page:
            return clean_line(page.rsplit(sep, 1)[1]) or None
    return None


# A badge inside a headline (置顶, NEW, 热): a short text under a badge-like class.
BADGE_CLASS_RE = re.compile(r"^(?:badge|tag|label|new|hot|top|zhiding)(?:$|[-_])", re.IGNORECASE)
BADGE_TEXT_CHARS = 6


def title_text(el: etree._Element) -> str:
    """A headline's text: :func:`element_text` without a date printed in a child of the
    heading (generic/baishizhengwu-566), and without a space where a ``<br>`` splits
    Chinese text (generic/lixiashanghui-466); a title picture's alt."""
    if el.tag == "img":
        return clean_line(el.get("alt") or "")
    parts: list[str] = []
    # A space between two pieces only where the page has one: whitespace in the source, a
    # <br> or a block between them (one <span> per character, Splitting.js-style, joins
    # without: generic/yinzhouguoshang-1530); never between two Chinese characters.
    spaced = False

    def add(raw: str | None, boundary: bool = False) -> None:
        nonlocal spaced
        if not raw:
            return
        if not raw.strip(STRIP_CHARS):
            spaced = True
            return
        piece = clean_line(raw)
        space = spaced or boundary or raw[0] in STRIP_CHARS
        if parts and space and not (_CJK_END.search(parts[-1]) and _CJK_START.match(piece)):
            parts.append(" ")
        parts.append(piece)
        spaced = raw[-1] in STRIP_CHARS

    add(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript"):
            if child.tag == "br":
                spaced = True
            text = element_text(child)
            badge = len(text) <= BADGE_TEXT_CHARS and any(
                BADGE_CLASS_RE.match(token) for token in class_tokens(child)
            )  # 置顶 in <span class="badge"> (generic/yongjiangxiehui-846)
            if not badge and not (child.tag in DATE_CHILD_TAGS and find_date(text, UTC)):
                block = child.tag in ("div", "p", "h1", "h2", "h3", "h4", "li")
                add(text, block or (bool(child.text) and child.text[0] in STRIP_CHARS))
                if block:
                    spaced = True
        add(child.tail)
    return clean_line("".join(parts))


_CJK_END = re.compile(r"[\u2010-\u201f\u2026\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"[\u2010-\u201f\u2026\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def headings(root: etree._Element) -> dict[etree._Element, str]:
    """Visible ``h1``-``h3`` outside page chrome with their :func:`title_text`, in document
    order."""
    found = {}
    for el in root.iter(*HEADING_TAGS):
        if not is_hidden(el) and not in_chrome(el) and (text := title_text(el)):
            found[el] = text
    return found


# The label of a headline in a board's view table (<th>제목</th><td>headline</td>,
# generic/hanhuazonghui-1183).
TITLE_LABEL_RE = re.compile(
    r"^(?:제목|标题|標題|题目|題目|主题|主題|title|subject|件名|タイトル|тема|заголовок|"
    r"tiêu\s+đề|judul)\s*[:：]?$",
    re.IGNORECASE,
)
# The longest headline read from a labelled cell.
LABELLED_TITLE_MAX_CHARS = 200


def labelled_title(root: etree._Element) -> etree._Element | None:
    """The value cell of the first headline label (:data:`TITLE_LABEL_RE`) in a label cell
    (``th``, ``td``, ``dt``) outside chrome, when it holds a text that is not a label
    itself (a list table's header row names 标题 | 发布时间); None without one."""
    for el in root.iter("th", "td", "dt"):
        text = short_text(el, 10)
        if not text or not TITLE_LABEL_RE.match(text):
            continue
        value = el.getnext()
        if value is None or value.tag not in ("td", "dd") or in_chrome(el):
            continue
        shown = short_text(value, LABELLED_TITLE_MAX_CHARS)
        if shown and len(shown) >= 4 and not _is_label_word(shown):
            return value
    return None


def find_title(sel: Selector) -> tuple[str | None, etree._Element | None]:
    """The headline and its element (None when it came from ``<title>`` or og:title).

    Order: a visible heading whose text the ``<title>`` starts with (the longest); any
    element it starts with; a heading after a column prefix; a heading that a cut-short
    ``<title>`` starts; a heading equal to og:title; the first long visible ``h1`` that is not
    the site's name; og:title; the ``<title>`` minus its site-name suffix; a visible heading.
    """
    root = sel.root
    if (cell := labelled_title(root)) is not None:
        return title_text(cell), cell
    page = page_title(sel)
    candidates = headings(root)
    names = site_names(sel)
    footer = footer_text(sel)
    if page:
        whole = page
        page = _without_site_prefix(page, names, footer)
        # "Site | Column | Headline": with the site first, the last part is the headline
        # (generic/haixiashanghui-88).
        if page != whole and (found := _title_tail(root, candidates, page, names, footer)):
            return found
    if page:
        # A heading the <title> starts with; any element it starts with; a heading after a
        # column prefix (图片新闻｜headline).
        # Not a logo heading that the headline happens to start with: 闽江物流协会 before
        # "闽江物流协会组织会员企业… - 闽江物流协会" (generic/minjiangwuliu-1288).
        site_part = _title_site_part(page)
        matching = [
            el
            for el, text in candidates.items()
            if page.startswith(text) and (text != site_part or text == page)
        ]
        if (
            len(matching) == 1
            and candidates[matching[0]] == whole
            and _site_like(whole, names, footer)
            and (other := _dated_heading(root, candidates, matching[0])) is not None
        ):
            # A <title> that is the site's name alone, and the logo's <h1> that repeats
            # it: the headline is the heading with its date line under it (generic/
            # hangzhouwenshang-1208, qingdaohanshang-1650)
            return _with_second_line(other, candidates[other], ""), other
        if not matching and (el := text_title_element(root, page)) is not None:
            text = clean_line(el.get("alt") or "") if el.tag == "img" else title_text(el)
            if len(text) < MIN_H1_TITLE_CHARS:
                # A column name the <title> starts with (会员风采_column_site, a per-article
                # SEO title) in a banner cell: the text above the labelled date line is
                # the headline (tests/sites jiangnan-textile).
                above = _headline_above_info(root)
                if above is not None:
                    return title_text(above), above
            return text, el
        # (not the site's name after "column - ": a logo, generic/xianggangminshang-1093)
        matching = matching or [
            el
            for el, text in candidates.items()
            if _after_prefix(page, text) and not (text == site_part and page.endswith(text))
        ]
        if matching:
            best = max(matching, key=lambda el: len(candidates[el]))
            if len(candidates[best]) < MIN_H1_TITLE_CHARS:
                # A column name the <title> starts with (通知公告_site, the column_site
                # form) in a side column's heading: the text above the labelled date line
                # is the headline (generic/baiquanzongbao-418).
                above = _headline_above_info(root)
                if above is not None:
                    return title_text(above), above
                # ... or the long <h1> with its date line under it, the column's name a
                # banner's (generic/suzhoufzxh-2208)
                if (other := _dated_heading(root, candidates, best)) is not None:
                    return candidates[other], other
            return _with_second_line(best, candidates[best], page), best
    stripped = strip_site_suffix(page, names) if page else ""
    # A <title> the template cut short (…, or at N characters): the heading it starts.
    cut = stripped.rstrip("…." + STRIP_CHARS)
    if len(cut) >= MIN_TEXT_TITLE_CHARS:
        for el, text in candidates.items():
            if text.startswith(cut):
                return text, el
        if cut != stripped and (el := _element_starting(root, cut)) is not None:
            # cut short with an ellipsis, the whole headline in a div.title (generic/
            # wenlingshanghui-2731)
            return title_text(el), el
    og = clean_line(sel.xpath("//meta[@property='og:title']/@content").get() or "")
    for el, text in candidates.items():
        if og and text == og:
            return og, el
    # An <h1> of the article beats a <title> or og:title that names no visible text (an
    # SEO title, generic/fenglinzwfw-1142), unless it is the site's name (a logo).
    suffix = page[len(stripped) :].strip(SEPARATOR_CHARS + STRIP_CHARS) if page else ""
    site_part = _title_site_part(page) if page else None
    logo = [el for el, text in candidates.items() if el.tag == "h1" and text == site_part]
    if logo and (above := title_above_info(root)) is not None and not nested(above, logo[0]):
        # "column - site" and the site's name in the only <h1> (a logo): the headline is
        # the text above the labelled date line (generic/xianggangminshang-1093)
        return title_text(above), above
    long_h1s = [
        el
        for el, text in candidates.items()
        if el.tag == "h1" and len(text) >= MIN_H1_TITLE_CHARS and text not in names | {suffix, page}
    ]
    if long_h1s:
        # Of two, the one with its date line under it (a banner's column name is the other,
        # generic/qiyangshanghui-1536).
        dated = [el for el in long_h1s if len(long_h1s) > 1 and _date_follows(root, el)]
        best = (dated or long_h1s)[0]
        if not dated and (_names_a_column(root, candidates[best]) or _after_info_line(root, best)):
            # The only <h1> a banner's column name (新闻资讯 NEWS CENTER, a nav link's
            # text, generic/jiangbeixinqu-733), or a Word paste's section heading under the
            # info line (generic/minjiangwenlian-2046): the headline is the text above the
            # labelled date line.
            above = title_above_info(root)
            if above is not None and not nested(above, best):
                return title_text(above), above
        return candidates[best], best
    if og:
        return og, None
    # A heading with its date line right under it, when the <title> names no heading (an SEO
    # title, a logo in the only <h1>; generic/qianwankouan-1536).
    squeezed = "".join(stripped.split())
    for el, text in candidates.items():
        if (
            len(text) >= MIN_H1_TITLE_CHARS
            and text not in names
            and "".join(text.split()) != squeezed  # the <title>'s own words: its form below
            and _date_follows(root, el)
        ):
            return text, el
    if page:
        # A <title> without any separator that names no heading is the site name alone
        # (generic/eastbridge-45): a visible heading is the better guess.
        bare = stripped == page and not any(sep in page for sep in TITLE_SEPARATORS)
        if bare and not candidates and _site_like(page, names, footer):
            # ... and with no heading either, the headline is the text just above the
            # labelled date line (<td><b>headline</b></td>, generic/songtaozf-615).
            el = title_above_info(root)
            if el is not None:
                return title_text(el), el
        if stripped and stripped not in names and not (bare and candidates):
            for el, text in candidates.items():
                if text == stripped:
                    return stripped, el
            if not candidates and (el := _headline_above_info(root)) is not None:
                # An SEO <title> that names no visible text, and no heading (the headline a
                # div.art-title, the logo's <h1> in the header): the text above the date
                # line (a whole-site trial of a card template, its date a <time>).
                return title_text(el), el
            return stripped, None
    if candidates:
        # The first h1, else the longest h2 or h3 (a headline is longer than a block's
        # heading such as 最新动态).
        h1s = [el for el in candidates if el.tag == "h1"]
        best = h1s[0] if h1s else max(candidates, key=lambda el: len(candidates[el]))
        return candidates[best], best
    return None, None


# The longest text taken for a headline above the info line.
MAX_TITLE_ABOVE_INFO_CHARS = 120


def _site_like(text: str, names: set[str], footer: str) -> bool:
    """True when ``text`` is a name :func:`site_names` found or is printed in the footer
    (its owner line: 主办单位：X, © X)."""
    return text in names or (len(text) >= MIN_TEXT_TITLE_CHARS and text in footer)


def _without_site_prefix(page: str, names: set[str], footer: str) -> str:
    """The ``<title>`` after a leading site name and its separator (``Company - Headline``,
    the site name first; generic/ouyatrading-509; ``清河新闻网-专题报道-headline``, MetInfo's
    met_title_type with the site first, a whole-site trial), else ``page`` as it is."""
    for sep in TITLE_SEPARATORS:
        head, found, rest = page.partition(sep)
        if (
            found
            and _site_like(head, names, footer)
            and len(rest) >= MIN_TEXT_TITLE_CHARS
            # (not a name that goes on past a bare separator: มูลนิธิวัฒนธรรมไทย-จีน in the
            # footer, generic/taizhongwenhua-415)
            and (sep.startswith(" ") or not _site_like(head + sep, names, footer))
        ):
            return rest.strip(STRIP_CHARS)
    return page


# A separator between the parts of a <title> (TITLE_SEPARATORS, spaced or not).
TITLE_SEPARATOR_RE = re.compile(
    "|".join(re.escape(sep) for sep in sorted(TITLE_SEPARATORS, key=len, reverse=True))
)


def _title_tail(
    root: etree._Element,
    candidates: dict[etree._Element, str],
    page: str,
    names: set[str],
    footer: str,
) -> tuple[str, etree._Element] | None:
    """In a ``<title>`` whose site name came first (``page`` is the rest, ``Column -
    Headline``), the headline: the longest tail of ``page`` after a separator (or ``page``
    itself) that a heading, else any element outside chrome and links, prints whole, and
    is at least :data:`MIN_TEXT_TITLE_CHARS` long and not the site's name again (a separator
    may be the headline's own: 《清河市志（2001-2020）》; the headline in a ``div.title`` or a
    picture's alt, a subtitle in the heading above the info line: a whole-site trial);
    None."""
    tails = [page] + [page[m.end() :].strip(STRIP_CHARS) for m in TITLE_SEPARATOR_RE.finditer(page)]
    for tail in tails:
        if len(tail) < MIN_H1_TITLE_CHARS:
            break  # (site - 新闻动态: a column's name, generic/suzhoufzxh-2208)
        if _site_like(tail, names, footer):
            continue
        for el, text in candidates.items():
            if text == tail:
                return text, el
        el = text_title_element(root, tail)
        if el is not None and (text := title_text(el)) == tail:
            return text, el
        for img in root.iter("img"):
            # a designed title picture (<h2><img alt="headline"></h2>)
            if (
                clean_line(img.get("alt") or "") == tail
                and not _has_ancestor(img, ("a",))
                and not in_chrome(img)
            ):
                return tail, img
    return None


def _after_info_line(root: etree._Element, el: etree._Element) -> bool:
    """True when ``el`` comes after the page's first labelled date line (a headline comes
    before its info line)."""
    line = labelled_date_line(root, UTC)
    if line is None or nested(line, el):
        return False
    for node in root.iter(etree.Element):
        if node is line:
            return True
        if node is el:
            return False
    return False


def _names_a_column(root: etree._Element, text: str) -> bool:
    """True when ``text`` opens with the text of a link on the page, a word of its own (a
    column banner: 新闻资讯 NEWS CENTER beside the menu's 新闻资讯)."""
    head = text.split()[0] if text.split() else ""
    if not head or head == text:
        return False
    return any(element_text(a) == head for a in root.iter("a"))


def title_above_info(root: etree._Element) -> etree._Element | None:
    """The headline of a page that names it neither in a heading nor in ``<title>``: the
    nearest text before the first labelled date line (发布日期：…) outside page chrome and
    links, at least :data:`MIN_TEXT_TITLE_CHARS` and at most
    :data:`MAX_TITLE_ABOVE_INFO_CHARS` long; None without such a line or text.  Without a
    labelled line, the first ``<time datetime>`` outside page chrome stands for it (a card
    template's info line of icons, a whole-site trial of a trade association)."""
    info = labelled_date_line(root, UTC)
    if info is None:
        info = next((el for el in _TIME_ELEMENTS(root) if not in_chrome(el)), None)
    if info is None:
        return None
    # a designed title picture right above the info line, its alt the headline (generic/
    # longquanqingci-487)
    node = info
    while node is not None and node.getprevious() is None and node.getparent() is not None:
        node = node.getparent()
    before = node.getprevious() if node is not None else None
    if before is not None and isinstance(before.tag, str) and not element_text(before):
        img = before if before.tag == "img" else before.find(".//img")
        alt = clean_line(img.get("alt") or "") if img is not None else ""
        if len(alt) >= MIN_H1_TITLE_CHARS and not _has_ancestor(img, ("a",)):
            return img
    for el, text in _preceding_text_nodes(root, info):
        text = clean_line(text)
        if not text:
            continue
        if (
            MIN_TEXT_TITLE_CHARS <= len(text) <= MAX_TITLE_ABOVE_INFO_CHARS
            and not _has_ancestor(el, ("a",))
            and el.tag != "a"
            and not in_chrome(el)
            and not is_hidden(el)
        ):
            return el
        return None
    return None


def _dated_heading(
    root: etree._Element, candidates: dict[etree._Element, str], other_than: etree._Element
) -> etree._Element | None:
    """The first heading besides ``other_than`` at least :data:`MIN_H1_TITLE_CHARS` long with
    its date line right under it, else the text above the labelled date line; None."""
    for el, text in candidates.items():
        if el is not other_than and len(text) >= MIN_H1_TITLE_CHARS and _date_follows(root, el):
            return el
    above = title_above_info(root)
    if above is not None and not nested(above, other_than) and above in candidates:
        return above
    return None


_TITLE_TEXT_TAGS = ("div", "p", "td", "span", "strong", "b", "font", "h4", "h5")


def _element_starting(root: etree._Element, cut: str) -> etree._Element | None:
    """The innermost visible element outside chrome and links whose whole text starts with
    ``cut`` (what a ``<title>`` cut short kept of the headline) and is at most
    :data:`MAX_TITLE_ABOVE_INFO_CHARS` long; None."""
    for el in root.iter(*_TITLE_TEXT_TAGS):
        text = short_text(el, MAX_TITLE_ABOVE_INFO_CHARS)
        if (
            text
            and len(text) > len(cut)
            and text.startswith(cut)
            and not any(
                (t := short_text(child, MAX_TITLE_ABOVE_INFO_CHARS)) and t.startswith(cut)
                for child in el
                if isinstance(child.tag, str)
            )
            and not in_chrome(el)
            and not _has_ancestor(el, ("a", "title"))
            and not is_hidden(el)
        ):
            return el
    return None


def _after_prefix(page: str, text: str) -> bool:
    """True when the ``<title>`` ``page`` holds ``text`` right after its first segment, a
    column prefix shorter than ``text`` (``图片新闻｜headline - site``;
    generic/huayingsheying-57)."""
    at = page.find(text) if text else -1
    prefix = page[:at].rstrip(STRIP_CHARS)
    return (
        at > 0
        and prefix[-1:] in TITLE_PREFIX_ENDS
        and len(prefix) < len(text)
        and not any(sep in prefix[:-1] for sep in TITLE_PREFIX_ENDS)
    )


# What opens the second line of a headline split over two elements: ——走访…, ：…
SECOND_LINE_RE = re.compile(r"^(?:——|—|－|--|:|：)")


def _with_second_line(el: etree._Element, text: str, page: str) -> str:
    """The headline ``text`` of ``el`` with the line the template prints under it when the
    ``<title>`` ``page`` goes on with that line: 粤海商会组团赴越南开展经贸考察 and
    ——走访胡志明市… in a <p> below (generic/yuehaishanghui-1318)."""
    after = el.getnext()
    # past an empty divider (<div class="line"></div>, generic/jiaxingjinshuxh-1417)
    while (
        after is not None
        and isinstance(after.tag, str)
        and not element_text(after)
        and after.find(".//img") is None
    ):
        after = after.getnext()
    if after is None or not isinstance(after.tag, str):
        return text
    second = short_text(after, MAX_TITLE_ABOVE_INFO_CHARS)
    if second and SECOND_LINE_RE.match(second) and page[len(text) :].startswith(second):
        return text + second
    return text


_TIME_ELEMENTS = etree.XPath("//time[@datetime]")


def _headline_above_info(root: etree._Element) -> etree._Element | None:
    """The text above the labelled date line (:func:`title_above_info`) when it may be a
    headline a short one yields to: at least :data:`MIN_H1_TITLE_CHARS` long and not the
    value of a label row (发布机构 | 青溪区人民政府办公室 above 生成日期 in a disclosure
    table, generic/qingxiqu-3, where the short heading is a person's name)."""
    above = title_above_info(root)
    if above is None or len(title_text(above)) < MIN_H1_TITLE_CHARS or _labelled_value_cell(above):
        return None
    return above


def text_title_element(root: etree._Element, page: str) -> etree._Element | None:
    """A visible element outside page chrome and links, of any tag, whose whole text the
    ``<title>`` ``page`` starts with, followed by a separator or nothing: the headline of a
    template that prints it in a ``div.title`` or a ``strong`` instead of a heading.  The
    longest such text wins (the first in document order among equals); None when none is
    :data:`MIN_TEXT_TITLE_CHARS` long."""
    best: etree._Element | None = None
    best_len = MIN_TEXT_TITLE_CHARS - 1
    for el in root.iter(etree.Element):
        if el.tag == "img":
            # a designed title picture whose alt is the headline (generic/nanshazmq-907)
            alt = clean_line(el.get("alt") or "")
            rest = page[len(alt) :]
            if (
                len(alt) > best_len
                and page.startswith(alt)
                and rest[:1] in tuple(SEPARATOR_CHARS)
                and not _has_ancestor(el, ("a",))
                and not in_chrome(el)
            ):
                best, best_len = el, len(alt)
            continue
        own = clean_line(el.text or "")
        if not own and len(el) and el[0].tag in INLINE_TAGS:
            # a tag in a span of its own before the words: <span>【视频】</span>“甬商”…
            # (generic/ningboshanglian-3105)
            own = clean_line(el[0].text or "")
        if not own or not page.startswith(own) or el.tag in ("title", "script", "style", "a"):
            continue
        text = title_text(el)
        rest = page[len(text) :]
        if (
            len(text) > best_len
            and page.startswith(text)
            and (not rest or rest[0] in SEPARATOR_CHARS or rest.lstrip(STRIP_CHARS) != rest)
            and not _has_ancestor(el, ("a",))
            and not is_hidden(el)
            and not in_chrome(el)
        ):
            best, best_len = el, len(text)
        elif (
            best is not None
            and len(text) == best_len
            and _labelled_value_cell(best)
            and not _labelled_value_cell(el)
            and not is_hidden(el)
            and not in_chrome(el)
        ):
            # the headline again under a disclosure table whose 名称 row names it: the
            # standalone one (generic/dxtcj-318)
            best = el
    return best


def _labelled_value_cell(el: etree._Element) -> bool:
    """True for a table cell (or what is inside one) right after a label cell: the value of
    a label and value row (名　称 | headline)."""
    cell = el if el.tag in ("td", "th") else next(el.iterancestors("td", "th"), None)
    if cell is None:
        return False
    label = _next_element(cell, backwards=True)
    return (
        label is not None and label.tag in ("td", "th") and _may_be_label_cell(element_text(label))
    )


# 文/ and 图/ before a name (not 图文/ or a path), 文／ too (generic/szrijiao-612): read as
# 文： and 图：.
SLASH_CREDIT_RE = re.compile(
    r"(?<![\u4e00-\u9fff/\w])(文|图|圖|写真|摄影|攝影|编辑|編輯|編集)\s*[/／]\s*(?=[\u4e00-\u9fff])"
)


def split_parts(el: etree._Element) -> list[str]:
    """The info line as text parts: one per child element, text between them, and each
    part cut again before every ``label:`` so that ``作者：A 来源：B`` gives two parts."""
    raw: list[str] = []

    def add(text: str, item: etree._Element | None = None) -> None:
        # A label without its value takes the next text: <em>作者：</em>办公室,
        # <em>阅读：</em><span>73</span> (generic/taihuqiaolian-39); a label word alone,
        # colon-less, too: <span>信息来源</span><span>经开区党政办</span>, label and value
        # paragraphs (generic/qingshuikfq-733, baihuafangxie-772).
        # Not when the next text is a label itself (source: | share:, generic/beihu-27),
        # nor an item of its own (:func:`_own_item`).
        value = text.strip(STRIP_CHARS)
        if not value or not PUNCTUATION_RE.sub("", value):
            # whitespace or a separator (<i>/</i>) between elements parts nothing, and is
            # never an empty label's value (generic/shaoxingqiaoshang-1187)
            return
        if raw and not value.endswith((":", "：")) and not BARE_LABEL_RE.match(value):
            last = raw[-1].strip(STRIP_CHARS)
            bare = _is_bare_label(last)
            if (bare or BARE_LABEL_RE.match(last)) and (item is None or not _own_item(item)):
                raw[-1] = last + (" " if bare else "：") + value
                return
        raw.append(text)

    pairs = _label_value_pairs(el)
    if pairs is not None:
        raw = pairs
    else:
        if el.text:
            raw.append(el.text)
        for child in el:
            icon = _bare_icon(child)
            if (
                isinstance(child.tag, str)
                and child.tag not in ("script", "style")
                and not is_widget(child)  # a share box in the line (bdsharebuttonbox)
                and not _column_item(child)
            ):
                add(_labelled_child_text(child), child)
            if child.tail:
                if icon is not None and COLUMN_ICON_RE.search(icon):
                    continue  # <i class="fa fa-tag"></i> 商会活动: the column, no field
                label = _icon_label(icon) if icon is not None else None
                tail = child.tail.strip(STRIP_CHARS)
                # an icon's label for the text after it: <i class="fa fa-link"></i> 南方日报
                # (no wrapper around the pair; a whole-site trial of a banner info line)
                add(_joined(label, tail) if label and tail else child.tail)
    parts: list[str] = []
    for chunk in raw:
        if not chunk.strip(STRIP_CHARS):  # gives no part below
            continue
        # a label spaced to a width (来&ensp;&ensp;源：) is one word before the line is cut
        # at its runs of spaces (generic/jinxiuzhen-431)
        chunk = SPACED_CJK_LABEL_RE.sub(_squeezed_label, chunk)
        # a newspaper's credits typed with slashes: 文/王芳　图/李强 (generic/cixijiadian-1604)
        chunk = SLASH_CREDIT_RE.sub(r"\1：", chunk)
        for piece in INFO_SPLIT_RE.split(chunk):
            # A label ends with a colon after a word: without one (a time's 10:14 has
            # digits before it) the (slow, case-blind) search is moot.
            found = LABEL_RE.finditer(piece) if LABEL_COLON_RE.search(piece) else ()
            bounds = sorted({0, *(_label_start(piece, m.start()) for m in found), len(piece)})
            for a, b in pairwise(bounds):
                text = clean_line(piece[a:b])
                if text:
                    parts.append(text)
    return parts


# An info-line item naming the article's column (span.column-name, span.nd521-cate, a folder
# icon before the column's name): no publisher (generic/deqingdiliang-931, pinghufuzhuang-418).
COLUMN_ITEM_TOKEN_RE = re.compile(
    r"(?:^|[-_])(?:cate|category|column|lanmu|fenlei|catalog)(?:$|[-_])", re.IGNORECASE
)
COLUMN_ICON_RE = re.compile(
    # (a tag icon before the column's name: <i class="fa fa-tag"></i> 商会活动, a whole-site
    # trial of a banner info line)
    r"folder|categor|lanmu|fenlei|(?:^|[-_ ])tags?(?:$|[-_ ])",
    re.IGNORECASE,
)


def _bare_icon(child: etree._Element) -> str | None:
    """The class of ``child`` when it is an empty icon (``<i class="fa fa-link"></i>``)
    with text after it, or None."""
    if child.tag not in ICON_TAGS or child.tag == "img" or len(child) or element_text(child):
        return None
    return child.get("class") if child.tail and child.tail.strip(STRIP_CHARS) else None


def _column_item(child: etree._Element) -> bool:
    value = child.get("class")
    if (
        value
        and COLUMN_ITEM_TOKEN_RE.search(value)
        and any(COLUMN_ITEM_TOKEN_RE.search(token) for token in value.split())
    ):
        return True
    if not len(child) or child[0].tag not in ICON_TAGS:
        return False
    icon = child[0].get("class")
    return bool(icon) and COLUMN_ICON_RE.search(icon) is not None and not element_text(child[0])


# The longest label cell of a label/value table (发布机构, 主题分类, Date of Writing).
TABLE_LABEL_CHARS = 20


# Two characters with spaces between them before a colon: 来  源：, 作  者：.
SPACED_CJK_LABEL_RE = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])\s+([\u4e00-\u9fff])(?=\s*[:：])"
)


def _squeezed_label(m: re.Match[str]) -> str:
    """A spaced label's two characters joined when they make a label word."""
    word = m[1] + m[2]
    return word if BARE_LABEL_RE.match(word) else m[0]


def _label_value_pairs(el: etree._Element) -> list[str] | None:
    """``label：value`` texts of an info block printed as label and value elements without
    colons: ``<dt>Date</dt><dd>…</dd>`` (generic/huaqiaochamber-77), table rows of label
    and value cells (发布日期 | 2023-05-06, an information-disclosure table,
    generic/qingquanzf-2318), or labels and values in columns: a row or list of labels above
    a row or list of values (:func:`_column_pairs`); None for any other block.  A label that
    ends with a colon keeps it."""
    block = el
    while (
        block.tag not in ("dl", "table", "tbody")
        and len(block) == 1
        and not clean_line(block.text or "")
    ):
        block = block[0]
    if block.tag == "dl":
        return _dl_pairs(block)
    if block.tag not in ("table", "tbody", "tr"):
        return _list_column_pairs(block)
    out: list[str] = []
    # (a row alone: one line of a disclosure table, 成文日期 | … | 发布日期 | …, dxtcj-318)
    rows = [
        [cell for cell in row if cell.tag in ("td", "th") and not _side_picture_cell(cell)]
        for row in ([block] if block.tag == "tr" else block.iter("tr"))
    ]
    rows = [row for row in rows if row]
    at = 0
    while at < len(rows):
        cells = rows[at]
        texts = [element_text(cell) for cell in cells]
        below = rows[at + 1] if at + 1 < len(rows) else None
        if below is not None and (pairs := _column_pairs(cells, texts, below)) is not None:
            out.extend(pairs)
            at += 2
            continue
        at += 1
        inner = [_cell_pair(cell) for cell in cells]
        if all(inner):
            # <td><label>发布日期</label><span>2024-10-14</span></td> (generic/nanshagang-2451)
            out.extend(pair for pair in inner if pair)
            continue
        if len(texts) == 1 and not has_colon(texts[0]):
            continue  # the table's heading row: <th colspan=4>信息公开要素</th> (hfkaifaqu-2217)
        texts = _without_blank_cells(texts)
        labels = texts[::2]
        if len(texts) % 2 or not all(_may_be_label_cell(t) for t in labels):
            return None
        out.extend(_joined(a, b) for a, b in zip(labels, texts[1::2], strict=True))
    return out or None


def _without_blank_cells(texts: list[str]) -> list[str]:
    """A row's cell texts without the blank cells that lay it out: a spacer between two
    label and value pairs (5 cells: generic/baihuwl-1152) and a blank pair that pads the
    last row (有效性 | 有效 | | , wgzbq-1420).  A label's blank value stays."""
    while len(texts) >= 4 and not texts[-1] and not texts[-2]:
        texts = texts[:-2]
    if len(texts) % 2 and "" in texts:
        blank = [i for i, t in enumerate(texts) if not t]
        if len(blank) == 1 and blank[0] % 2 == 0 and 0 < blank[0] < len(texts) - 1:
            texts = texts[: blank[0]] + texts[blank[0] + 1 :]
    return texts


def _dl_pairs(block: etree._Element) -> list[str] | None:
    """A ``<dl>``'s ``dt``/``dd`` pairs: each ``dd`` after its ``dt``, or all the ``dt``
    first and as many ``dd`` after them, laid out in columns by the style sheet
    (generic/taipingjzxh-1125)."""
    items = [child for child in block if child.tag in ("dt", "dd")]
    terms = [child for child in items if child.tag == "dt"]
    values = items[len(terms) :]
    if 1 < len(terms) == len(values) and all(c.tag == "dt" for c in items[: len(terms)]):
        pairs = zip(terms, values, strict=True)
        return [_joined(element_text(a), element_text(b)) for a, b in pairs]
    out: list[str] = []
    label: str | None = None
    for child in items:
        if child.tag == "dt":
            label = element_text(child)
        elif label is not None:
            out.append(_joined(label, element_text(child)))
            label = None
    return out or None


def _list_column_pairs(block: etree._Element) -> list[str] | None:
    """Two lists side by side as rows: the first of label words, the second of as many
    values (``<ul><li>发布日期</li>…</ul><ul><li>2024-09-03</li>…</ul>``, generic/
    xiyuanwlxh-644); None for any other block."""
    lists = [child for child in block if isinstance(child.tag, str)]
    if len(lists) != 2 or clean_line(block.text or ""):
        return None
    head, values = ([c for c in lst if isinstance(c.tag, str)] for lst in lists)
    return _column_pairs(head, [element_text(c) for c in head], values)


def _column_pairs(
    head: list[etree._Element], texts: list[str], values: list[etree._Element]
) -> list[str] | None:
    """``label：value`` texts of a row of labels (``texts``, of the ``head`` elements) above
    a row of as many values, or None when ``head`` is no row of labels: at least two, all
    header cells above data cells, or all label words or words ending with a colon
    (索引号 | 发布机构 over their values, 发布时间： | 作者： over 2025-02-26 15:30 | (empty),
    generic/jinhuikfq-1418, hexiqiaoshang-815), and the values no such row themselves."""
    if len(head) < 2 or len(values) != len(head):
        return None
    below = [element_text(cell) for cell in values]
    header_cells = all(c.tag == "th" for c in head) and all(c.tag == "td" for c in values)
    if not (header_cells or all(_is_label_word(t) for t in texts)):
        return None
    if any(_is_label_word(t) for t in below if t) or not any(below):
        return None
    return [_joined(a, b) for a, b in zip(texts, below, strict=True)]


def _is_label_word(text: str) -> bool:
    """A label alone: a known label word (:func:`known_label_word`), or any short word
    ending with a colon."""
    if text.endswith((":", "：")):
        return 1 < len(text) <= TABLE_LABEL_CHARS
    return known_label_word(text)


def known_label_word(text: str) -> bool:
    """A label word of :data:`LABELS` alone, spaces squeezed (作　者), with a glued word
    before it too (成文日期, 本文作者)."""
    word = "".join(text.split())
    return bool(BARE_LABEL_RE.match(word) or LABEL_RE.match(word + "：", _glued_end(word)))


def _glued_end(word: str) -> int:
    """Where the label begins after a glued word (成文 of 成文日期), else 0."""
    m = PREFIXED_LABEL_RE.match(word + "：")
    return m.end() if m else 0


def _cell_pair(cell: etree._Element) -> str | None:
    """``label：value`` of a cell that holds a label element and its value
    (``<td><label>成文日期</label><span>2024-10-12</span></td>``), else None."""
    if len(cell) < 2 or cell[0].tag not in LABEL_ITEM_TAGS or clean_line(cell.text or ""):
        return None
    label = element_text(cell[0])
    text = element_text(cell)
    if not _may_be_label_cell(label) or not text.startswith(label):
        return None
    return _joined(label, text[len(label) :].strip(STRIP_CHARS))


def _side_picture_cell(cell: etree._Element) -> bool:
    """A cell spanning rows beside the label/value pairs with a picture in it: the page's
    QR code (generic/donghaizmq-1536).  It is neither a label nor a value."""
    return (cell.get("rowspan") or "1").strip() not in ("", "1") and cell.find(".//img") is not None


def _may_be_label_cell(text: str) -> bool:
    """A short text without digits: a label cell of a label/value table, not a value."""
    return 0 < len(text) <= TABLE_LABEL_CHARS and not any(c.isdigit() for c in text)


def _joined(label: str, value: str) -> str:
    # A label spaced out to the cell's width (作　　者, generic/qingxijianxie-1136) is one word.
    if BARE_LABEL_RE.match(squeezed := "".join(label.split()).rstrip(":：")):
        label = squeezed + label[len(label.rstrip(":：")) :]
    return f"{label} {value}" if label.endswith((":", "：")) else f"{label}：{value}"


# Elements that hold the label word of an info item: LABEL_CHILD_TAGS and a <dt> in its
# own wrapper (<div><dt>来源</dt><dd>…</dd></div>, generic/qianhaishengang-1320).
LABEL_ITEM_TAGS = ("span", "strong", "b", "em", "label", "dt", "th")


# Elements that draw an icon at the head of an info item.
ICON_TAGS = frozenset({"i", "img", "svg", "em", "span"})


def _own_item(child: etree._Element) -> bool:
    """True when an info-line element is an item of its own, never the value of an empty
    label before it (来源：| <span><i class="icon-user"></i>秘书处</span>): it opens with an
    icon, its title attribute names its label, or its text is a date (a badge too).  Themes
    print every item so, and an empty 来源： is just empty (generic/nanhuwuliu-1532,
    aomenchurukou-1104, binjiangbaoshui-417, yongjiangicc-612)."""
    if _title_label(child):
        return True
    if len(child) and not clean_line(child.text or ""):
        first = child[0]
        if first.tag in ICON_TAGS and not element_text(first):
            return True
    text = element_text(child)
    return bool(text) and (badge_date(text) is not None or find_date(text, UTC) is not None)


def _title_label(child: etree._Element) -> str | None:
    """The label word an info item's ``title`` or ``data-label`` attribute gives it (<span
    title="发布人">, <span title="阅读次数">, <span data-label="来源"> that a style sheet
    prints before the value: generic/nanhuwuliu-1532, linjianggsl-2208, guangmingkfq-1760),
    else None."""
    for attr in ("data-label", "title"):
        label = clean_line(child.get(attr) or "")
        if label and len(label) <= 8 and known_label_word(label):
            return label
    # or its icon's tooltip: <span><i class="icon-laiyuan" title="来源"></i>宁波日报</span>
    # (generic/ningboqiaolian-2218)
    if len(child) and not clean_line(child.text or ""):
        icon = child[0]
        if icon.tag in ICON_TAGS and not element_text(icon):
            for attr in ("title", "data-label", "aria-label"):
                label = clean_line(icon.get(attr) or "")
                if label and len(label) <= 8 and known_label_word(label):
                    return label
            # or the icon itself: <i class="fa fa-user"></i> 张三, <i class="fa fa-globe">
            # </i> <a>新华网</a> (an info line of icons only, tests/sites icon-info)
            if (names := icon.get("class")) and (label := _icon_label(names)):
                return label
    return None


# Icon class words that name an info item's field, as icon fonts (Font Awesome, Bootstrap's
# glyphicons, iconfont sets with pinyin names) draw them in front of its value.
ICON_LABELS = (
    (
        re.compile(
            r"(?:^|[-_])(?:user|users|author|zuozhe|pencil|edit|writer|person)(?:$|[-_])", re.I
        ),
        "作者",
    ),
    (
        re.compile(
            r"(?:^|[-_])(?:globe|link|external|source|laiyuan|newspaper|from)(?:$|[-_])", re.I
        ),
        "来源",
    ),
    (re.compile(r"(?:^|[-_])(?:eye|view|views|hits|liulan|dianji)(?:$|[-_])", re.I), "浏览"),
)


def _icon_label(names: str) -> str | None:
    """The label word an icon's class names (``fa fa-user``: 作者, ``fa-globe``: 来源,
    ``icon-eye``: 浏览), or None; dates need none (a date reads as one)."""
    for token in names.split():
        for pattern, label in ICON_LABELS:
            if pattern.search(token):
                return label
    return None


def _labelled_child_text(child: etree._Element) -> str:
    """The text of an info-line item, ``label：value`` when it opens with a label word
    without a colon in an element of its own (``<li><strong>작성자</strong> 관리자</li>``,
    generic/hanbitsan-88)."""
    text = element_text(child)
    if (label := _title_label(child)) and text and not LABEL_RE.match(text):
        first = text.split(maxsplit=1)[0]
        if BY_WORD_RE.match(first) or BYLINE_WORDS_RE.match(first):
            return text  # its own byline word says it: <i class="icon-user"></i> โดย …
        return _joined(label, text)
    if len(child) and child[0].tag in LABEL_ITEM_TAGS and not clean_line(child.text or ""):
        label = element_text(child[0])
        # A <dt> or <th> is a label whatever its word (文号, 发布机构).
        known = BARE_LABEL_RE.match(label) or (label and child[0].tag in ("dt", "th"))
        if known and text.startswith(label):
            return _joined(label, text[len(label) :].strip(STRIP_CHARS))
    return text


def _is_bare_label(text: str) -> bool:
    """True when ``text`` ends with a label and its colon with no value (``作者：``, or
    ``… 作者：张三 来源：`` whose value is the next element, generic/yunjinxiehui-1408)."""
    text = text.strip(STRIP_CHARS)
    if not text.endswith((":", "：")):
        return False
    labels = list(LABEL_RE.finditer(text))
    return bool(labels) and labels[-1].end() == len(text)


def _label_start(text: str, start: int) -> int:
    """Where the label found at ``start`` begins, with a word glued before it
    (:data:`LABEL_PREFIX_RE`: 发稿 of 发稿时间, Release of Release Date)."""
    if m := LABEL_PREFIX_RE.search(text, 0, start):
        return m.start()
    return start


def parse_info_parts(
    parts: list[str], tz: tzinfo, fetched_at: datetime | None, data_hits: str | None = None
) -> Info:
    """Assign info-line parts to fields.

    A ``label: value`` part goes to its label's field (an empty value is recorded as seen
    and assigns nothing); the first date-bearing part is the date, a date under an update
    label (更新时间) or a prefixed one (成文日期) only when no other is given; a bare number is
    the hits; the first other short unlabelled text is the publisher (MetInfo's ``issue``,
    guide §2.1).  With ``fetched_at``, a part dated after the day after it is left out: a
    day to come is an event's (an event box grown into the info line with the publication
    line below it: a whole-site trial of an Ivorian chamber).
    """
    if fetched_at is not None:
        parts = [part for part in parts if not _in_future(part, tz, fetched_at)]
    info = Info()
    second_date: PageDate | None = None  # a prefixed (成文日期) or update (更新时间) label
    second_is_update = False
    # True while info.date came from a part under a label of no known kind (Date of
    # Writing:): a date under a date label replaces it.
    date_unlabelled = False
    weekday = ""  # the last weekday part seen
    by_next = False  # the part before was "by"
    previous = ""  # the part before this one
    for part in parts:
        before, previous = previous, part
        if by_next:
            by_next = False
            if info.author is None or info.author_guessed:
                if 1 < len(part) <= 40 and not has_colon(part):
                    info.author, info.author_guessed = part, False
                    continue
        if BY_WORD_RE.match(part):
            by_next = True
            continue
        if EVENT_DATE_LABEL_RE.match(part):
            # an event's or a clock's date (活动时间：…, 开标：…, 北京时间：…), never the
            # publication's (generic/suzhoushanglian-2045, xinshagangqu-1658)
            continue
        if BYLINE_WORDS_RE.match(part):
            continue
        if (
            not has_colon(part)
            and (spaced := SPACED_LABEL_RE.match(part))
            and not spaced["label"].isascii()  # "Posted by X on <date>" is a byline
        ):
            # 发布人 会员服务部, 浏览 532: a label word and its value without a colon
            # (generic/yongjiangshanghui-451)
            part = f"{spaced['label']}：{spaced['value']}"
        m = None
        prefixed = False
        if has_colon(part):
            m = LABEL_RE.match(part)
            if m is None and (prefix := PREFIXED_LABEL_RE.match(part)):
                m = LABEL_RE.match(part, prefix.end())
                prefixed = not PUBLICATION_PREFIX_RE.match(prefix.group())
        if m:
            kind = next(k for k in LABELS if m.group(k))
            value = clean_line(part[m.end() :])
            info.seen_labels.add(kind)
            if (
                kind == "date"
                and info.date is not None
                and len(info.date.iso) == len("YYYY-MM-DD")
                and TIME_ONLY_RE.match(normalise(value))
                and (joined := parse_date_text(f"{info.date.iso} {value}", tz, fetched_at))
            ):
                # Date: 2024-06-12  Time: 09:30, the time under a label of its own
                # (generic/qdcoc-965)
                info.date = PageDate(joined.iso, f"{info.date.raw} {value}")
                continue
            if kind == "date" and (prefixed or UPDATE_LABEL_RE.search(m.group(kind))):
                if second_date is None and value:
                    # 更新时间：12-03-06 14:20 too (generic/yongkangwujinxh-418)
                    second_date = parse_date_text(value, tz, fetched_at) or short_year_date(
                        value, tz
                    )
                    second_is_update = not prefixed
                continue
            if kind == "date" and date_unlabelled and value:
                info.date, date_unlabelled = None, False
            editor = kind == "author" and bool(EDITOR_LABEL_RE.search(m.group(kind)))
            _assign(info, kind, value, tz, fetched_at, editor)
            continue
        if (up := UPDATED_ON_RE.match(part)) and second_date is None:
            # 更新于 2024-06-15 16:45 before 发布于 2024-06-12 09:30 (generic/yunqixiaozhen-1532)
            second_date = parse_date_text(part[up.end() :], tz, fetched_at)
            second_is_update = second_date is not None
            if second_date is not None:
                continue
        if WEEKDAY_RE.match(part):
            if info.date is not None:
                weekday = part  # between a date and its time it stays in the raw text
            continue
        if WIDGET_LINE_RE.match(part) or not PUNCTUATION_RE.sub("", part):
            continue
        if (by := BYLINE_RE.match(part)) and info.author is None:
            info.author = byline_name(by.group("name"))
            if info.date is None and by.group("rest"):
                info.date = parse_date_text(by.group("rest"), tz, fetched_at)
            continue
        if (
            info.date is not None
            and len(info.date.iso) == len("YYYY-MM-DD")
            and TIME_ONLY_RE.match(normalise(part))
            and (shown := clean_line(f"{info.date.raw} {weekday} {part}"))
            and (
                joined := parse_date_text(shown, tz, fetched_at)
                # a badge's pieces, then the time: 2024 06-12 14:26 (jinhuaxiehui-388)
                or parse_date_text(f"{info.date.iso} {part}", tz, fetched_at)
            )
        ):
            # <span>2023-05-06</span>[<span>星期六</span>]<span>14:20</span>
            info.date = PageDate(joined.iso, shown)
            continue
        if info.date is None and (
            found := parse_date_text(part, tz, fetched_at) or badge_date(part)
        ):
            if second_date is None and UPDATED_AFTER_RE.match(
                part[part.find(found.raw) + len(found.raw) :]
            ):
                # 2024.06.20 更新: the label after the date, Japanese style (generic/
                # rizhongjingmao-733); the date only when no other is printed.
                second_date, second_is_update = found, True
                continue
            # The weekday printed just before the date is part of it as shown:
            # Thứ tư, 8/5/2024, 14:30 (generic/zhongyuemaoyi-77).
            at = part.find(found.raw)
            head = part[:at].strip(STRIP_CHARS) if at > 0 else ""
            if head and WEEKDAY_RE.match(head):
                found = PageDate(found.iso, part[: at + len(found.raw)].strip(STRIP_CHARS))
            elif at == 0 and before and WEEKDAY_RE.match(before):
                found = PageDate(found.iso, f"{before} {found.raw}")
            info.date = found
            date_unlabelled = has_colon(part.replace(found.raw, " "))
            rest = clean_line(part.replace(found.raw, " "))
            if BY_WORD_RE.match(POSTED_ON_RE.sub("", rest)):
                by_next = True  # "Publicado el <date> por" <a>Redacción</a>
                continue
            by = BYLINE_RE.match(POSTED_ON_RE.sub("", rest))
            if by and not by.group("rest") and (info.author is None or info.author_guessed):
                info.author, info.author_guessed = byline_name(by.group("name")), False
            elif _may_be_publisher(rest, info):
                info.author, info.author_guessed = rest, True
            continue
        if (hm := HITS_RE.match(part)) and info.hits is None:
            info.hits = _count(next(g for g in hm.groups() if g))
            continue
        if info.date is None and (yearless := yearless_date(part)):
            info.yearless = info.yearless or yearless
            continue
        if info.source is None and OWN_SOURCE_RE.match(part):
            # 2024-01-03 | 本站原创 | 阅读 520: where the text comes from, not who wrote it
            # (a whole-site trial of an old county template)
            info.source = part
            continue
        if _may_be_publisher(part, info):
            info.author, info.author_guessed = part, True
    if info.date is None and second_date is not None:
        info.date, info.date_is_update = second_date, second_is_update
    if info.hits is None and data_hits and data_hits.strip().isdigit():
        info.hits = int(data_hits.strip())
    return info


def _may_be_publisher(text: str, info: Info) -> bool:
    """True when an unlabelled part may be MetInfo's publisher (``issue``): the first short
    one, when no author label was printed; never a widget word, a weekday, a count, a single
    character or an unknown ``label: value`` (发布机构：…)."""
    return (
        info.author is None
        and "author" not in info.seen_labels
        and 2 <= len(text) <= 40
        and not has_colon(text)
        and not WIDGET_LINE_RE.match(text)
        and not WEEKDAY_RE.match(text)
        and not BYLINE_WORDS_RE.match(text)  # "Published on" left of its date
        and not READING_TIME_RE.match(text)  # 4 min read, 5 phút đọc
        and not PICTURE_COUNT_RE.match(text)  # 共6幅 (generic/jinyangsheying-812)
        and not HITS_RE.match(text)
        and not OTHER_COUNT_RE.match(text)
        # a label whose value a script fills in (阅读次数, generic/cuiweiyiyuan-305)
        and not BARE_LABEL_RE.match(text)
        and not NOT_PUBLISHER_RE.match(text)
        and not NUMBERS_ONLY_RE.match(text)  # a date it could not read: 1/9/25
    )


# Digits and separators only: a date or a time, never a name.
NUMBERS_ONLY_RE = re.compile(r"^[\d\s/.:,\-]+$")


# Unlabelled words of a government info block that name no publisher: buttons to an
# interpretation (解读, 图解) and a box's heading (文件信息) (generic/xhzmq-1893, ljgxq-1908).
NOT_PUBLISHER_RE = re.compile(
    r"^(?:(?:政策|图文|圖文|视频|視頻|动漫|動漫|专家|專家)?(?:解读|解讀)|图解|圖解|"
    r"(?:文件|基本|文档|文檔|公开|公開)(?:信息|資訊|属性|屬性|要素)|信息公开(?:要素)?|"
    # an event's or an article's box heading: 活动信息 over 活动时间：… (a whole-site trial
    # of a convention centre), 文章信息
    r"(?:活动|活動|展会|展會|会议|會議|文章|新闻|新聞|稿件|内容|內容)(?:信息|資訊|资讯|详情|詳情)|"
    # an event's countdown: 距开幕还有 73 天
    r"距\S{1,8}?(?:还有|還有|尚有)\s*\d+\s*(?:天|日))$"
)


def _count(text: str) -> int:
    """A printed count as an int: ``2,318`` -> 2318, ``1.2万`` -> 12000."""
    if text.endswith(("万", "萬")):
        return round(float(text[:-1].strip()) * 10000)
    return int(re.sub(r"[,.\u202f\u00a0 \u066c]", "", text))


def _assign(
    info: Info,
    kind: str,
    value: str,
    tz: tzinfo,
    fetched_at: datetime | None,
    editor: bool = False,
) -> None:
    if kind in ("author", "source"):
        # the separator before the next label: Words: Emma Clarke, Photos: …
        value = value.rstrip(",;，；、| ")
    if not value:
        return
    if kind == "author" and (date := parse_date_text(value, tz, fetched_at)):
        # 发布：2023-05-06 is a date, 发布：秘书处 a publisher.
        if info.date is None:
            info.date = date
    elif kind == "author" and (
        info.author is None or info.author_guessed or (info.author_is_editor and not editor)
    ):
        # an editor's credit (责任编辑：) yields to a labelled author (作者：) printed after
        # it (generic/xiamenmaoxie-902)
        info.author, info.author_guessed, info.author_is_editor = value, False, editor
    elif kind == "source" and info.source is None:
        info.source = value
    elif kind == "date" and info.date is None:
        # A labelled date may print a two-digit year (发布日期：24-06-12 09:30).
        info.date = parse_date_text(value, tz, fetched_at) or short_year_date(value, tz)
        if info.date is None:
            info.yearless = info.yearless or yearless_date(value)
        elif (at := value.find(info.date.raw)) > 0 and WEEKDAY_RE.match(
            value[:at].strip(STRIP_CHARS)
        ):
            # the weekday before the date is part of it as shown, as in an unlabelled part:
            # Ngày đăng Thứ Hai, 01/12/2025 - 09:30 (generic/pingxiangkouan-1201)
            info.date = PageDate(info.date.iso, value[: at + len(info.date.raw)].strip(STRIP_CHARS))
    elif kind == "hits" and info.hits is None and (m := COUNT_RE.search(value)):
        info.hits = _count(m.group())


def _following_text_nodes(root: etree._Element, start: etree._Element):
    """Yield ``(element, text)`` for text in document order after ``start``'s subtree."""
    after = False
    for el in root.iter():
        if el is start:
            after = True
            if el.tail:
                yield el.getparent(), el.tail
            continue
        if not after or _is_inside(el, start):
            continue
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            if el.tail:
                yield el.getparent(), el.tail
            continue
        if el.text:
            yield el, el.text
        if el.tail:
            yield el.getparent(), el.tail


def nested(a: etree._Element, b: etree._Element) -> bool:
    """True when ``a`` and ``b`` are the same element or one holds the other."""
    return a is b or _is_inside(a, b) or _is_inside(b, a)


def _is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _grow_info(
    node: etree._Element,
    title_el: etree._Element | None,
    body_el: etree._Element | None = None,
) -> etree._Element:
    """Grow a date's element to its whole info line while it stays short and holds neither
    the title nor the body block."""
    while (
        (parent := node.getparent()) is not None
        and parent.tag not in ("body", "html")
        and len(element_text(parent)) <= INFO_MAX_CHARS
        and (title_el is None or not _is_inside(title_el, parent))
        and (body_el is None or (body_el is not parent and not _is_inside(body_el, parent)))
    ):
        node = parent
    return node


def _preceding_text_nodes(root: etree._Element, start: etree._Element):
    """Yield ``(element, text)`` for text before ``start`` in reverse document order."""
    found: list[tuple[etree._Element, str]] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if el is start:
            break
        skipped = not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "title")
        if event == "end":
            # A tail is the parent's text after the element: <small><i></i>2024-06-12</small>
            # (generic/yongjiangxiehui-846).
            if el.tail and (parent := el.getparent()) is not None:
                found.append((parent, el.tail))
            continue
        if skipped or _is_inside(start, el):
            continue  # an ancestor of the title: its text before the title is not before it
        if el.text:
            found.append((el, el.text))
    return reversed(found)


# The reference time for telling whether a text holds a relative date ("3天前"); the
# date itself is read later against the fetch time.
DETECTION_TIME = datetime(2000, 1, 1, tzinfo=UTC)


# A publication word a date badge opens with: <em>发布</em><span>12</span><span>2024.06</span>.
BADGE_WORD_RE = re.compile(
    r"^(?:发布|發布|发表|發表|发布于|發佈|posted|published)\s*[:：]?\s*", re.IGNORECASE
)


def badge_text(el: etree._Element) -> str:
    """A date badge's text without the publication word it opens with (generic/
    pinghukaifaqu-1145)."""
    return BADGE_WORD_RE.sub("", element_text(el))


def date_before_title(
    root: etree._Element, title_el: etree._Element, tz: tzinfo
) -> etree._Element | None:
    """The date block just before the title (a date badge, in at most
    :data:`BADGE_SCAN_CHARS` of text), grown while short; None when a breadcrumb, a list
    of other articles or page chrome comes first."""
    seen = 0
    for el, text in _preceding_text_nodes(root, title_el):
        if in_chrome(el) or _in_link_or_list(el) or (text.strip() and _in_link_row(el)):
            break  # a breadcrumb or a list of other articles lies between (their dates
            # are theirs: generic/binjiangbaoshui-417; a side column's 最新发布 table of
            # link and date cells, a whole-site trial of an old table layout)
        if el.tag == "marquee" or _has_ancestor(el, ("marquee",)):
            continue  # a ticker of other notices' dates (generic/xinanzhen-1122)
        if parse_date_text(text, tz) or _in_badge(el):
            return _grow_info(el, title_el)
        seen += len(text.strip())
        if seen > BADGE_SCAN_CHARS:
            break
    return None


def find_info_element(
    root: etree._Element,
    title_el: etree._Element | None,
    tz: tzinfo,
    body_el: etree._Element | None = None,
    fetched_at: datetime | None = None,
) -> etree._Element | None:
    """The info line: the smallest block holding the first date after the title, grown
    while it stays short.  With ``fetched_at`` (an aware datetime), a date after the day
    after it is passed over: no page was published later than it was fetched (an event
    box's day under the headline, a whole-site trial of a Thai chamber).

    The search runs through at most :data:`INFO_SCAN_CHARS` of text after the title and
    stops where the body block starts (unless the body block holds the title too); then it
    looks just before the title (a date badge, :data:`BADGE_SCAN_CHARS`); last, a date
    with a label (发布时间：) anywhere outside page chrome.  Dates in sidebars and a
    signature at the end of the body are never taken.
    """
    document_line = None  # a line that dates only the document (成文日期：…)
    update_line = None  # a note of the last revision (本文已于…更新)
    if title_el is not None:
        for child in title_el.iter(*DATE_CHILD_TAGS):
            if child is not title_el and parse_date_text(element_text(child), tz):
                return child  # <h1>headline <small>2023-05-06 16:10</small></h1>
        for el, text in _after_title(root, title_el, body_el):
            # Relative dates count here too (Posted 2 days ago, generic/ashgrovechamber-41):
            # any reference time tells whether the text holds one.
            if parse_date_text(text, tz, DETECTION_TIME):
                if fetched_at is not None and _in_future(text, tz, fetched_at):
                    continue  # an event's day, not the publication's
                line = short_text(el, INFO_MAX_CHARS)
                if line is not None and EVENT_DATE_LABEL_RE.match(line):
                    continue  # an event card's 活动时间：… (generic/suzhoushanglian-2045)
                if line is not None and CITED_DOCUMENT_RE.search(line):
                    continue  # 原文件：《…》（…，2024年5月20日印发） (generic/lhkfq-652)
                if line is not None and _prose(line):
                    # 2025年4月8日，…正式启动。 opening the text, the info line under it (a
                    # whole-site trial of a convention centre)
                    continue
                if _in_lead_box(el):
                    continue  # 内容摘要：材料请于2024年4月30日前报送, above the info line
                if line is not None and UPDATE_NOTE_RE.match(line):
                    # （本文已于 12分钟前 更新） under the headline: the revision's time; the
                    # publication's comes after it, else this is all there is
                    update_line = update_line if update_line is not None else el
                    continue
                if (
                    line is not None
                    and DOCUMENT_DATE_LABEL_RE.search(line)
                    and not PUBLICATION_DATE_LABEL_RE.search(line)
                ):
                    # 发文机关：… 成文日期：… 文号：… above the text, the publication date
                    # in a line of its own elsewhere (generic/tcgyy-726)
                    document_line = document_line if document_line is not None else el
                    continue
                return _grow_info(el, title_el, body_el)
        if (badge := date_before_title(root, title_el, tz)) is not None:
            return badge
    # Not a labelled date inside the text when the headline stands above it: 活动时间：… in
    # an event notice is the event's (generic/yongjiangshanghui-451).
    inside = body_el if body_el is not None and title_el is not None else None
    if inside is not None and _is_inside(title_el, inside):
        inside = None
    if (line := labelled_date_line(root, tz, inside, document_line)) is not None:
        return _grow_info(line, title_el, body_el)
    # Last, a labelled date printed in the breadcrumb bar (generic/yangpuzone-402).
    for block in crumb_blocks(root):
        for el in block.iter(etree.Element):
            text = short_text(el, INFO_MAX_CHARS)
            if text is not None and _labelled_date(text, tz):
                return _deepest_with_label(el, tz)
    if (box := side_info_box(root, tz)) is not None:
        return box
    if document_line is None and update_line is not None:
        return _grow_info(update_line, title_el, body_el)
    return _grow_info(document_line, title_el, body_el) if document_line is not None else None


# Class tokens of a side column (its boxes are chrome for every other search).
SIDE_TOKEN_RE = re.compile(r"^(?:[a-z]{1,4}[-_])?(?:side|sidebar|sidebox|aside)(?:$|[-_])", re.I)


def side_info_box(root: etree._Element, tz: tzinfo) -> etree._Element | None:
    """An info box in the side column (文章信息: 发布日期：2025-06-12, 发布人：…, 阅读次数：…,
    a whole-site trial of a convention centre whose text shows no date): the smallest
    block around a labelled date in an ``<aside>`` or a side-classed block (never the
    header, navigation or footer) that holds another label of the info line, within
    :data:`INFO_MAX_CHARS` of text; None."""
    for column in _side_columns(root):
        for el in column.iter(etree.Element):
            if el.tag in ("script", "style"):
                continue
            text = short_text(el, INFO_MAX_CHARS)
            if text is None or not _labelled_date(text, tz):
                continue
            block = _deepest_with_label(el, tz)
            while block is not column and (up := block.getparent()) is not None:
                labels = {
                    k for m in LABEL_RE.finditer(element_text(block)) for k in LABELS if m.group(k)
                }
                if len(labels) >= 2:
                    return block
                if short_text(up, INFO_MAX_CHARS) is None:
                    return None
                block = up
            return None
    return None


def _side_columns(root: etree._Element) -> list[etree._Element]:
    """The outermost ``<aside>`` and side-classed blocks of the page outside its header,
    navigation and footer, in document order (one pass over the page's class names, not
    a walk up from every element)."""
    found: list[etree._Element] = []
    for el in root.iter(etree.Element):
        if (el.tag == "aside" or any(SIDE_TOKEN_RE.match(t) for t in class_tokens(el))) and not (
            any(_is_inside(el, column) for column in found)
            or _has_ancestor(el, ("header", "nav", "footer"))
        ):
            found.append(el)
    return found


def _in_future(text: str, tz: tzinfo, fetched_at: datetime) -> bool:
    """True when the absolute date of ``text`` is after the day after ``fetched_at`` (in
    ``tz``): a day to come, which no publication has.  Only a text holding a four-digit
    number from the fetch's year up (a Buddhist-era year too) is read: every info part of
    every page is asked, and a page's own dates are mostly years before."""
    # (\d and int() take full-width, Arabic-Indic and Thai digits as they are)
    if not any(int(y) >= fetched_at.year for y in FOUR_DIGITS_RE.findall(text)):
        return False
    found = parse_date_text(text, tz)
    if found is None:
        return False
    latest = (fetched_at.astimezone(tz) + timedelta(days=1)).date().isoformat()
    return found.iso[:10] > latest


FOUR_DIGITS_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")


# A revision note printed apart from the info line: （本文已于 2024-06-12 10:00 更新）, 本文于…修订,
# (Last updated 5 June 2024).
UPDATE_NOTE_RE = re.compile(
    r"^\s*[（(【\[]?\s*(?:(?:本文|文章|此文|该文|該文)(?:已|已经|已經)?|已)[于於].{1,30}?(?:更新|修改|修订|修訂)"
    r"|^\s*[（(\[]?\s*(?:last\s+)?updated\s*(?:on|at)?\b",
    re.IGNORECASE,
)


def _in_lead_box(el: etree._Element) -> bool:
    """True when ``el`` or its parent opens with a lead's word (内容摘要：, 【导读】,
    :data:`LEAD_OPENING_RE`; the word alone in its own ``<b>`` too): a date in a summary
    is an event's or a deadline's, not the publication's."""
    for box in (el, el.getparent()):
        if box is None or box.tag in ("body", "html"):
            return False
        opening = first_text(box)
        if LEAD_OPENING_RE.match(opening) or LEAD_TEXT_RE.match(opening + "："):
            return True
    return False


# A sentence of Chinese prose: a comma inside, a full stop (or ! ?) at its end.
PROSE_RE = re.compile(r"[，,].*[。！？]$")


def _prose(line: str) -> bool:
    """True for a line of the text that holds a date, not an info line: a sentence (comma
    inside, 。 at the end) with no label of the info line (2025年4月8日，…正式启动。)."""
    return bool(PROSE_RE.search(line)) and LABEL_RE.search(line) is None


# A line that cites another document with its date: 原文件：《…》（…，2024年5月20日印发）.
CITED_DOCUMENT_RE = re.compile(
    r"^(?:原文件|原文|政策原文|文件原文|相关文件|相關文件)\s*[:：]|\d{1,2}\s*日\s*(?:印发|印發|发布施行)\s*[)）]"
)
# The date of a document (written, issued, signed), not of its publication on the site.
DOCUMENT_DATE_LABEL_RE = re.compile(
    r"(?:成文|印发|印發|发文|發文|签发|簽發)(?:日期|时间|時間)\s*[:：]"
)
PUBLICATION_DATE_LABEL_RE = re.compile(
    r"(?:发布|發布|發佈|公开|公開|上网|上網|发表|發表)(?:日期|时间|時間)\s*[:：]"
)


# A date label word alone in an element of its own (<label>发布时间</label>, <th>日期</th>,
# <em>时间</em>): the value stands in the next element.
DATE_LABEL_ONLY_RE = re.compile("^(?:" + LABELS["date"] + r")\s*[:：]?$", re.IGNORECASE)
LABEL_WORD_TAGS = ("label", "em", "strong", "b", "th", "dt", "span", "i", "td", "font")
# The most label words of a label/value block: more, and it is a form or a data table.
LABEL_BLOCK_MAX_LABELS = 12


def labelled_block(
    root: etree._Element, title_el: etree._Element | None, body_el: etree._Element | None, tz
) -> etree._Element | None:
    """An info block whose labels stand in elements of their own, without colons, wherever
    the template puts it (a 本文信息 box in the side column, a label/value table under the
    text; generic/hongqiaoshanghui-427, qingxijianxie-1136): the smallest block around a
    date label word whose next element holds a date that holds a second label word.  Not
    in the page's header or navigation, not holding the title or the body block."""
    for el in root.iter(*LABEL_WORD_TAGS):
        text = short_text(el, 12)
        if not text or not DATE_LABEL_ONLY_RE.match(text) or _has_ancestor(el, ("header", "nav")):
            continue
        value = el.getnext()
        value_text = element_text(value) if value is not None else clean_line(el.tail or "")
        if not value_text or not parse_date_text(value_text, tz):
            continue
        block = el.getparent()
        while block is not None and block.tag not in ("body", "html"):
            if (title_el is not None and (block is title_el or _is_inside(title_el, block))) or (
                body_el is not None and (block is body_el or _is_inside(body_el, block))
            ):
                break
            labels = sum(
                1
                for word in block.iter(*LABEL_WORD_TAGS)
                if (word_text := short_text(word, 12)) and known_label_word(word_text)
            )
            if labels > LABEL_BLOCK_MAX_LABELS:
                break
            if labels >= 2:
                return block
            block = block.getparent()
    return None


# How much text after the body block is read for an unlabelled date.
AFTER_BODY_SCAN_CHARS = 80


def date_after_body(
    root: etree._Element, title_el: etree._Element | None, body_el: etree._Element | None, tz
) -> etree._Element | None:
    """The info line printed under the text (``<span><i class="icon-time"></i>2024-09-20
    16:05</span>`` after the body block, generic/nanxunshanghui-915): the first date in at
    most :data:`AFTER_BODY_SCAN_CHARS` of text after the body block, grown while short.
    Text in list items and links (a related-articles list, prev/next titles) and in page
    chrome (comments, sidebars) is passed over."""
    if body_el is None or (title_el is not None and _is_inside(title_el, body_el)):
        return None
    seen = 0
    # The block right after the text is the article's own, whatever its class says
    # (div.act-foot, generic/yongjiangshanghui-451).
    after = body_el.getnext()
    for el, text in _following_text_nodes(root, body_el):
        if el is None or not text.strip(STRIP_CHARS):
            continue
        own = after is not None and (el is after or _is_inside(el, after))
        # (a <time> stays a date inside a permalink: WordPress-style entry-footer,
        # generic/foshantaoci-1675)
        if (in_chrome(el) and not own) or (_in_link_or_list(el) and el.tag != "time"):
            continue
        if parse_date_text(text, tz):
            return _grow_info(el, title_el, body_el)
        seen += len(text.strip(STRIP_CHARS))
        if seen > AFTER_BODY_SCAN_CHARS:
            break
    return None


def labelled_date_line(
    root: etree._Element,
    tz: tzinfo,
    skip: etree._Element | None = None,
    document_line: etree._Element | None = None,
) -> etree._Element | None:
    """The innermost element holding the first labelled date (发布时间：2023-05-06) of the
    page outside chrome (and outside ``skip``, the text block, when given), in at most
    :data:`INFO_MAX_CHARS` of text; None without one.  With ``document_line`` (a line that
    dates only the document, 成文日期：…), only a line elsewhere counts."""
    for el in root.iter(etree.Element):
        if el.tag in ("script", "style", "title"):
            continue
        text = short_text(el, INFO_MAX_CHARS)
        if text is not None and not in_chrome(el) and _labelled_date(text, tz):
            if skip is not None and (el is skip or _is_inside(el, skip)):
                continue
            if document_line is not None and (
                el is document_line or _is_inside(el, document_line) or nested(document_line, el)
            ):
                continue
            line = _deepest_with_label(el, tz)
            if (
                skip is not None
                and (line is skip or _is_inside(line, skip))
                and _text_before(skip, line) > LEAD_INFO_CHARS
            ):
                continue  # a short text block's row, the labelled date inside its text
                # (报名时间：…, generic/yongtaichaxie-156), not an info table at its head
                # (generic/nanpingjianxie-733)
            return line
    return None


# How much text a block may hold before an info line at its head.
LEAD_INFO_CHARS = 20


def _text_before(block: etree._Element, el: etree._Element) -> int:
    """How many characters of ``block``'s text come before ``el`` (inside it)."""
    seen = 0
    for node in block.iter():
        if node is el:
            return seen
        if isinstance(node.tag, str) and node.text:
            seen += len(node.text.strip())
        if node is not block and node.tail and not _is_inside(el, node):
            seen += len(node.tail.strip())
    return seen


def _in_badge(el: etree._Element) -> bool:
    """True when ``el``'s parent's whole text is a date badge (:func:`dates.badge_date`)."""
    parent = el.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return False
    text = short_text(parent, BADGE_MAX_CHARS)
    return text is not None and badge_date(BADGE_WORD_RE.sub("", text)) is not None


def time_after_title(
    root: etree._Element, title_el: etree._Element | None, body_el: etree._Element | None
) -> etree._Element | None:
    """The first ``<time datetime>`` in the text between the title and the body block
    (:func:`_after_title`), or None."""
    if title_el is None:
        return None
    for el, _ in _after_title(root, title_el, body_el):
        node: etree._Element | None = el
        while node is not None and node is not title_el:
            if node.tag == "time" and node.get("datetime"):
                return node
            node = node.getparent()
    return None


def time_element_date(el: etree._Element, tz: tzinfo) -> PageDate | None:
    """The date of a ``<time>`` element from its ``datetime`` attribute (naive times in
    ``tz``), with the element's text as the raw value; None when the attribute holds no
    date."""
    found = find_date(el.get("datetime") or "", tz)
    if found is None:
        return None
    shown = element_text(el)
    if len(found.iso) == len("YYYY-MM-DD") and (m := TIME_IN_TEXT_RE.search(normalise(shown))):
        # the day in the attribute, the time only in the text: <time datetime="2024-06-12">
        # 06月12日 15:20</time> (generic/mingjiangxiehui-903)
        at = parse_date_text(f"{found.iso} {m.group()}", tz)
        if at is not None:
            return PageDate(at.iso, shown)
    return PageDate(found.iso, shown or found.raw)


def machine_time(
    root: etree._Element,
    title_el: etree._Element | None,
    body_el: etree._Element | None,
    shown: PageDate,
    tz: tzinfo,
) -> PageDate | None:
    """The time of day a ``<time datetime>`` between the title and the body declares for
    the date ``shown`` read from its text, with ``shown``'s raw text; None when there is no
    such element, its text is not the date shown, or its attribute tells no more.

    A text relative to the fetch (3小时前, 5天前, 昨天 14:20, 刚刚: :data:`dates.RELATIVE_RE`)
    or a day alone is only what the template made of the attribute (HTML's ``datetime``,
    a valid date string with an optional time): the attribute is the article's time.  A
    day shown takes it only when the attribute names that day."""
    time_el = time_after_title(root, title_el, body_el)
    if time_el is None:
        return None
    text = clean_line(element_text(time_el))
    if not text or text not in shown.raw:
        return None
    found = find_date(time_el.get("datetime") or "", tz)
    if found is None or len(found.iso) <= len("YYYY-MM-DD"):
        return None
    relative = bool(
        RELATIVE_RE.search(text) or DAY_WORD_RE.search(text) or JUST_NOW_RE.search(text)
    )
    if relative or (len(shown.iso) == len("YYYY-MM-DD") and found.iso[:10] == shown.iso):
        return PageDate(found.iso, shown.raw)
    if _second_of_fold(shown.iso, found.iso, tz):
        # 26.10.2025 02:30 shown, an hour the clocks go back over (it happens twice in
        # Europe/Berlin): the attribute says which of the two (+01:00, the second; a
        # whole-site trial of a chamber in Frankfurt had taken the first)
        return PageDate(found.iso, shown.raw)
    return None


# Attributes of an element that a script prints a date from (an empty <em data-time> after
# 发布时间：, a whole-site trial of a script-heavy template).
SCRIPT_DATE_ATTRS = ("data-time", "data-date", "data-pubdate", "data-timestamp", "datetime")
# The epochs an attribute may count from 1970 in: seconds (10 digits) or milliseconds (13).
EPOCH_RE = re.compile(r"^\d{10}(?:\d{3})?$")


def attribute_date(line: etree._Element, tz: tzinfo) -> PageDate | None:
    """The date an element of an info ``line`` holds in an attribute for a script to print
    (:data:`SCRIPT_DATE_ATTRS`: a Unix time in seconds or milliseconds, read in ``tz``, or a
    date text), the attribute's value as its raw text; None."""
    for el in line.iter(etree.Element):
        for attr in SCRIPT_DATE_ATTRS:
            value = (el.get(attr) or "").strip()
            if not value:
                continue
            if EPOCH_RE.match(value):
                seconds = int(value) / (1000 if len(value) == 13 else 1)
                try:
                    at = datetime.fromtimestamp(seconds, tz)
                except (OverflowError, OSError, ValueError):
                    continue
                return PageDate(at.replace(microsecond=0).isoformat(), value)
            if (found := parse_date_text(value, tz)) is not None:
                return PageDate(found.iso, value)
    return None


def _second_of_fold(shown: str, declared: str, tz: tzinfo) -> bool:
    """True when ``shown`` (ISO, read in ``tz``) is a wall time that ``tz`` passes twice (a
    daylight-saving time's end) and ``declared`` (ISO with an offset) is that same wall
    time at the second pass's offset."""
    try:
        at, named = datetime.fromisoformat(shown), datetime.fromisoformat(declared)
    except ValueError:
        return False
    if len(shown) <= len("YYYY-MM-DD") or named.utcoffset() is None:
        return False
    wall = at.replace(tzinfo=None)
    if wall != named.replace(tzinfo=None):
        return False
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset() and named.utcoffset() == second.utcoffset()


TIME_IN_TEXT_RE = re.compile(
    r"(?:上午|下午|晚上|中午)?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.I
)


# Publication times declared for machines: Open Graph article, schema.org microdata and
# common meta names (generic/hengyuanjituan-860).
_DECLARED_DATE_META = etree.XPath(
    "//meta[@property='article:published_time' or @itemprop='datePublished'"
    " or @name='pubdate' or @name='publishdate' or @name='PubDate'"
    " or @name='article:published_time' or @property='bytedance:published_time'"
    " or @name='bytedance:published_time']",
)
_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)


def declared_date(
    sel: Selector, tz: tzinfo, title_el: etree._Element | None = None
) -> PageDate | None:
    """The publication time a page declares only for machines: a ``<meta>`` (Open Graph
    ``article:published_time``, ``itemprop=datePublished``, ``pubdate``) or a JSON-LD
    ``datePublished`` (generic/northfieldpumps-95); naive times in ``tz``.  The declared
    string is the raw value.  None when there is none or it holds no date.

    The head's metas come first, then JSON-LD, then microdata in the body: of those, the
    one in the headline's own ``itemscope`` before the cards of other articles beside it
    (generic/beibuwanshangxun-615)."""
    head: list[object] = []
    body: list[tuple[bool, object]] = []
    scope = (
        next((el for el in title_el.iterancestors() if el.get("itemscope") is not None), None)
        if title_el is not None
        else None
    )
    for meta in _DECLARED_DATE_META(sel.root):
        if _has_ancestor(meta, ("body",)):
            own = scope is not None and _is_inside(meta, scope)
            body.append((not own, meta.get("content")))
        else:
            head.append(meta.get("content"))
    values = head
    for block in _JSON_LD(sel.root):
        try:
            values.extend(_json_values(json.loads(block), "datePublished"))
        except ValueError:
            continue  # a broken JSON-LD block says nothing
    values += [value for _, value in sorted(body, key=lambda pair: pair[0])]
    for value in values:
        if isinstance(value, str) and (found := find_date(value, tz)):
            return PageDate(found.iso, clean_line(value))
    return None


def _json_values(data: object, key: str, depth: int = 0) -> Iterator[object]:
    """Values of ``key`` anywhere in parsed JSON (``@graph`` lists too), at most 8 levels
    down."""
    if depth > 8:
        return
    if isinstance(data, dict):
        if key in data:
            yield data[key]
        for value in data.values():
            yield from _json_values(value, key, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _json_values(value, key, depth + 1)


def find_labelled_line(
    root: etree._Element,
    title_el: etree._Element | None,
    body_el: etree._Element | None,
    skip: etree._Element | None = None,
) -> etree._Element | None:
    """The first labelled line (作者：, 来源：, 浏览：) after the title and before the body
    block, within :data:`INFO_SCAN_CHARS` of text, grown while short: the rest of an info
    line whose date stands elsewhere (a badge before the title, a disclosure table).  A
    line of icons without labels counts when its class names it (``post-meta``,
    ``news-info``; generic/northgateled-52).  Text inside ``skip`` (the dated line already
    read) is passed over: the info printed in two rows (generic/lingangshanghui-1206)."""
    if title_el is None:
        return None
    passed = False  # text of the dated row was passed over
    for el, text in _after_title(root, title_el, body_el):
        labelled = (has_colon(text) and LABEL_RE.search(text)) or _info_classed(el, title_el)
        if skip is not None and (el is skip or _is_inside(el, skip)):
            passed = passed or bool(labelled)
            continue
        if labelled:
            line = _grow_info(el, title_el, body_el)
            if not passed:
                return line
            # the dated row was labelled too: only a short second row right after it, not a
            # labelled line further down (in the text)
            if nested(line, skip):
                line = el
            beside = line is skip.getnext()
            return line if beside and short_text(line, INFO_MAX_CHARS) is not None else None
    return None


# Class tokens of an info line: meta, info, post-meta, article-info, entry-meta.
INFO_CLASS_RE = re.compile(r"(?:^|[-_])(?:meta|info|infos)(?:$|[-_])", re.IGNORECASE)


def _info_classed(el: etree._Element, title_el: etree._Element) -> bool:
    """True when ``el`` or an ancestor below the title's own block has an info-line class
    token (:data:`INFO_CLASS_RE`)."""
    node: etree._Element | None = el
    while node is not None and not _is_inside(title_el, node):
        if any(INFO_CLASS_RE.search(token) for token in class_tokens(node)):
            return True
        node = node.getparent()
    return False


def _after_title(
    root: etree._Element, title_el: etree._Element, body_el: etree._Element | None
) -> Iterator[tuple[etree._Element, str]]:
    """``(element, text)`` of the text after the title outside page chrome, up to the body
    block (unless the body block holds the title too) and :data:`INFO_SCAN_CHARS` of
    text: where an info line stands."""
    stop = body_el if body_el is not None and not _is_inside(title_el, body_el) else None
    seen = 0
    related: dict[etree._Element, bool] = {}
    for el, text in _following_text_nodes(root, title_el):
        if stop is not None and (el is stop or _is_inside(el, stop)):
            return
        if el is None or in_chrome(el) or is_mobile_only(el) or _in_related(el, title_el, related):
            continue
        yield el, text
        seen += len(text.strip())
        if seen > INFO_SCAN_CHARS:
            return


# How far up from a text a related-articles box around it is looked for.
RELATED_BOX_LEVELS = 6


def _in_related(
    el: etree._Element, title_el: etree._Element, memo: dict[etree._Element, bool]
) -> bool:
    """True when ``el`` sits in a related-articles box (相关阅读, 延伸閱讀 and its cards with
    dates, right under the headline: generic/lanshanshanghui-845, xinzhuwenchuang-533), a
    box that does not hold the headline."""
    node: etree._Element | None = el
    for _ in range(RELATED_BOX_LEVELS):
        if node is None or node.tag in ("body", "html") or _is_inside(title_el, node):
            return False
        if node not in memo:
            memo[node] = node.tag in RELATED_BOX_TAGS and is_related_box(node)
        if memo[node]:
            return True
        node = node.getparent()
    return False


def _labelled_date(text: str, tz: tzinfo) -> bool:
    """True when ``text`` holds a date label (发布时间：) followed by a date, or is a date
    with a publication word after it (（2024.06.12 公開）, :data:`PUBLISHED_AFTER_RE`)."""
    if EVENT_DATE_LABEL_RE.match(text):
        return False  # an event's date or a server clock, never the publication's
    if any(
        m.group("date")
        and not _event_label_at(text, m.start())
        and parse_date_text(text[m.end() : m.end() + 40], tz)
        for m in LABEL_RE.finditer(text)
    ):
        return True
    if not PUBLISHED_WORD_RE.search(text) or (found := find_date(text, tz)) is None:
        return False
    at = text.find(found.raw)
    return at >= 0 and bool(PUBLISHED_AFTER_RE.match(text[at + len(found.raw) :]))


# What ends the word before a label (活动信息 活动时间：…).
_WORD_BREAKS = " \t|｜/，,;；　"


def _event_label_at(text: str, start: int) -> bool:
    """True when the label found at ``start`` of ``text`` is an event's (:data:`
    EVENT_DATE_LABEL_RE`: the word glued before it from the last break on, 活动时间 in a
    box of event facts, its heading before it: a whole-site trial of a convention
    centre)."""
    cut = max(text.rfind(c, 0, start) for c in _WORD_BREAKS) + 1
    return cut < start and EVENT_DATE_LABEL_RE.match(text[cut:]) is not None


def _deepest_with_label(el: etree._Element, tz: tzinfo) -> etree._Element:
    """The innermost element under ``el`` whose text still holds a labelled date (the label
    and its value: a label in its own ``<em>`` is not enough)."""
    for child in el:
        if isinstance(child.tag, str) and _labelled_date(element_text(child), tz):
            return _deepest_with_label(child, tz)
    return el


BLOCK_TEXT_TAGS = ("p", "li", "pre", "blockquote", "h4", "h5", "h6", "dd")
BOX_TAGS = ("div", "section", "article", "main", "td", "th", "center")
INLINE_TAGS = frozenset(
    {"strong", "b", "em", "i", "u", "span", "font", "sub", "sup", "small", "big"}
)
# Lines this short that read as an info line (see _info_like) do not count as body text.
INFO_LIKE_CHARS = 80
# A sibling block shares the body with the winner when it has more text than this (and an
# eighth of the winner's).
SIBLING_MIN_CHARS = 24
# A text this short (characters) beside a gallery of at least GALLERY_MIN_PICTURES pictures
# in list items, figures or cells is a photo article's: the body holds both.
GALLERY_TEXT_MAX_CHARS = 300
GALLERY_MIN_PICTURES = 3
# Class or id tokens of blocks that are never the article: author boxes and "about us"
# blocks (abt, gywm and jianjie are abbreviations of about / 关于我们 / 简介).
NOT_ARTICLE_TOKEN_RE = re.compile(
    r"^(?:author|bio|about|abt|profile|gywm|jianjie)(?:[-_].*)?$", re.IGNORECASE
)
# The heading of such a block, whatever its class (协会介绍 in div.n-kuai,
# generic/songyuanxiehui-233).
ABOUT_HEADING_RE = re.compile(
    r"^(?:关于我们|關於我們|(?:协会|協會|商会|商會|公司|学校|學校|单位|單位|企业|企業|机构|機構|本会|本會)"
    r"(?:介绍|介紹|简介|簡介|概况|概況)|about\s+us|"
    # a press release's closing boilerplate, longer than a short release's text (a
    # whole-site trial of a Hong Kong association's press room)
    r"about\s+(?:the\s+)?(?:association|chamber|council|federation|society|company|"
    r"organi[sz]ation|institute|centre|center|group|alliance|foundation)|"
    # a site statement and an online-service box beside a short text (generic/
    # beigangyuanqu-218, haitoujituan-4417)
    r"网站声明|網站聲明|本站声明|版权声明|版權聲明|免责声明|免責聲明|在线咨询|在線諮詢|在线客服|在線客服)[:：]?$",
    re.IGNORECASE,
)
# A table cell with this much text of its own is a layout cell holding the article (3.x-era
# table layouts); shorter cells are data and count for the table's container.
LAYOUT_CELL_CHARS = 100


def _own_text(el: etree._Element) -> list[str]:
    """``el``'s own text as pieces: its text, its inline children's text (links excluded)
    and the tails of its children (not the text of block children)."""
    pieces = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            text = element_text(child)
            # A <font> or <span> around blocks (a whole old layout inside <font>,
            # generic/cangwushanghui-318) is no inline text: its blocks score on their own.
            if len(text) <= INLINE_WRAPPER_CHARS or not _HOLDS_BLOCK(child):
                pieces.append(text)
        pieces.append(child.tail or "")
    return pieces


# Inline elements with more text than this are checked for blocks inside them.
INLINE_WRAPPER_CHARS = 200
_HOLDS_BLOCK = etree.XPath(
    "boolean(descendant::*[self::div or self::p or self::table or self::td or self::ul"
    " or self::ol or self::li or self::section or self::article or self::center or self::dl"
    " or self::h1 or self::h2 or self::h3])"
)


# A page footer's lines, whatever its markup: © and 版权所有, the ICP 备案 number.
COPYRIGHT_RE = re.compile(r"copyright\s*©|©\s*\d{4}|版权所有|版權所有|ICP备|ICP備|公网安备", re.I)
# The most text such a footer block has (an article that mentions 版权所有 is longer).
COPYRIGHT_LINE_CHARS = 200


def find_body_element(
    root: etree._Element, avoid: list[etree._Element | None]
) -> etree._Element | None:
    """The main text block: the element whose paragraphs carry the most text that is not
    link text, outside page chrome.  ``avoid[0]`` is the title element (or None), any
    others are elements whose text does not count.

    Lines that read as an info line (a short labelled or dated text) do not count; text
    before the title counts a fifth (a left column's "about us" block); links to files
    are content, not link text; and when blocks beside the winner (under its parent, at any
    depth) carry a quarter as much text again, the parent is the body.
    """
    scores: dict[etree._Element, float] = {}
    own: dict[etree._Element, float] = {}  # without the quarter passed on to grandparents
    skip = {el for el in avoid if el is not None}
    title_el = avoid[0] if avoid else None
    before_title = _elements_before(root, title_el)
    comments = comment_boxes(root)
    for el in root.iter(*BLOCK_TEXT_TAGS, *BOX_TAGS):
        if el in skip or is_widget(el):
            continue
        if comments and any(el is box or _is_inside(el, box) for box in comments):
            continue  # readers' comments, however long (generic/yongjiangxiehui-846)
        pieces = _own_text(el)
        length = sum(len(piece.strip(STRIP_CHARS)) for piece in pieces)
        if length < 2 or (length <= INFO_LIKE_CHARS and _info_like(clean_line(" ".join(pieces)))):
            continue
        if length <= COPYRIGHT_LINE_CHARS and COPYRIGHT_RE.search(" ".join(pieces)):
            continue  # a footer cell's copyright and 备案 lines (generic/nanxunsichou-215)
        if FRIEND_LINKS_RE.match(" ".join(pieces).strip(STRIP_CHARS)):
            continue  # a footer row of 友情链接：<a>…</a> | <a>…</a> (a 4.x county chamber)
        target: etree._Element | None
        if el.tag in ("td", "th") and length < LAYOUT_CELL_CHARS and _has_sibling_cell(el):
            table = nearest_table(el)
            target = _table_block(table) if table is not None else None
        elif el.tag in BOX_TAGS:
            target = el
        else:
            target = el.getparent()
        if (
            target is None
            or in_chrome(target)
            or is_hidden(target)
            # An author box or an "about us" block, though long (riverbendchamber-73).
            or token_above(target, NOT_ARTICLE_TOKEN_RE)
            or _about_box(target)
            # A widget's text scores for no block (a previous article's preview in
            # div.nd-prev, generic/taishengjixie-512).
            or is_widget(target)
            # nor a phone copy of the text beside the desktop one (generic/maweizimao-906)
            or _mobile_only_own(target)
        ):
            continue
        weight = length / 5 if el in before_title else length
        if (
            el.tag in ("li", "dd")
            and length <= FACT_LINE_CHARS
            and FACT_LINE_RE.match(clean_line(" ".join(pieces)))
        ):
            # a list of facts (活动时间：… 活动地点：… 报名截止：…, an event's box above a
            # short text: a whole-site trial of a convention centre) counts a third
            weight /= 3
        scores[target] = scores.get(target, 0) + weight
        own[target] = own.get(target, 0) + weight
        grand = target.getparent()
        if grand is not None and grand.tag not in ("body", "html"):
            scores[grand] = scores.get(grand, 0) + weight / 4
    for _frame, target in _embedded_documents(root, before_title):
        # a notice that is one PDF shown in a frame: the frame is its text
        scores[target] = scores.get(target, 0) + EMBEDDED_DOCUMENT_CHARS
        own[target] = own.get(target, 0) + EMBEDDED_DOCUMENT_CHARS
    if not scores:
        return None
    # The best block outside a related box (相关产品: a maker's four products with their
    # descriptions under a two-sentence news item, a whole-site trial of a pump maker).
    ranked = sorted(scores, key=lambda el: scores[el] - _link_text(el), reverse=True)
    above_title = set(title_el.iterancestors()) if title_el is not None else set()
    best = next(
        (el for el in ranked[:RANKED_CHECKED] if not _in_related_box(el, above_title)),
        ranked[0],
    )
    if (
        (holder := best.getparent()) is not None
        and _editor_line(best)
        and any(
            part is not best and _editor_line(part) and part.get("style") == best.get("style")
            for part in holder
        )
    ):
        # the text's lines as <div style="text-indent:2em"> beside each other (an old
        # editor's paragraphs): all of them, the short salutation and closing lines too (a
        # whole-site trial of a 4.x county chamber lost 各会员企业： and the last line)
        own[holder] = own.get(holder, 0) + sum(own.get(part, 0) for part in holder)
        best = holder
    if (holder := best.getparent()) is not None and any(
        part is not best and shown_in_turn(part) for part in holder
    ):
        # the shown part of a text a pager shows one part at a time: all the parts are the
        # text (the hidden ones score nothing)
        best = holder
    # A cell of a layout table (one cell in each row) is a box inside the article, which
    # goes on in the tables beside it (generic/shuguangdianqi-412).
    while best.tag in ("td", "th") and (outer := _layout_table_holder(best)) is not None:
        best = outer
    core = own.get(best, 0)
    # Wrappers around the winner and nothing else (a WeChat editor nests every paragraph
    # in sections of one child each, generic/jiangnanshanghui-1836): the blocks beside it
    # are those beside the outermost wrapper.
    outer = best
    while (
        (up := outer.getparent()) is not None
        and up.tag in BOX_TAGS
        and sum(1 for child in up if isinstance(child.tag, str)) == 1
        and not clean_line(up.text or "")
    ):
        outer = up
    parent = outer.getparent()
    if (
        parent is not None
        and parent.tag not in ("body", "html")
        and parent not in scores
        and outer is best
        and _lead_before(outer, own)
    ):
        # a 摘要 box right before the text, its text in a div of its own inside (a Discuz
        # portal skin, generic/yiwuqingqi-1809)
        return parent
    if (
        parent is not None
        and parent.tag not in ("body", "html")
        and (parent in scores or outer is not best)
    ):
        # Blocks beside the winner, at any depth under its parent, that carry text of
        # their own (not a mobile copy of the title, not an info line's items) and together
        # a quarter of the winner's: a lead and the text in two divs, editor lines as
        # divs, WeChat-editor sections nested to different depths (qiantangqiaolian-731).
        least = max(SIBLING_MIN_CHARS, core / 8)
        title = element_text(title_el) if title_el is not None else None
        inside_best = set(outer.iter())
        beside = sum(
            score
            for el in parent.iter()
            if el is not parent
            and el not in inside_best
            and (score := own.get(el, 0)) > least
            and element_text(el) != title
            and not _in_related_box(el, {parent})
        )
        if beside >= core / 4:
            return parent
        # A short text beside a gallery of pictures with short captions (a photo-news
        # article: ul > li > a > img + p.pic-desc, then the text's div) or beside a video
        # player (tests/sites culture-photos): the parent is the body.
        if core < GALLERY_TEXT_MAX_CHARS and _gallery_beside(parent, inside_best):
            return parent
        # A lead box right before the text (导读：…, a .summary; generic/huangshanlvxie-2206)
        # is the article's, however short.
        if _lead_before(outer, own):
            return parent
        # The text in cards: the winner's card repeated beside it with text of its own
        # (section.card after section.card, a heading and a text each; generic/
        # huaduqiaoshang-2231): the cards' container is the body.
        names = set((parent.get("class") or "").split())
        cards = [
            other
            for other in (*parent.itersiblings(preceding=True), *parent.itersiblings())
            if other.tag == parent.tag and names & set((other.get("class") or "").split())
        ]
        with_text = [c for c in cards if sum(own.get(el, 0) for el in c.iter()) > least]
        holder = parent.getparent()
        if (
            names
            and len(with_text) >= 2
            and holder is not None
            and holder.tag not in ("body", "html")
            and not in_chrome(holder)
        ):
            return holder
    if best.tag == "body" and (segment := _longest_hr_segment(best)) is not None:
        return segment
    if (
        (placeholder := short_text(best, LOADING_TEXT_CHARS))
        and LOADING_TEXT_RE.match(placeholder)
        and (shown := _revealed_beside(best)) is not None
    ):
        return shown
    return best


# Markup in a text: an HTML paragraph, break or block tag.
MARKUP_RE = re.compile(r"<(?:p|br|div|img|table|span|strong)\b[^>]*>", re.IGNORECASE)
# The least text a textarea's markup gives to be taken for the article's.
TEXTAREA_TEXT_MIN_CHARS = 40


def textarea_text(root: etree._Element, body: etree._Element | None) -> etree._Element | None:
    """The text of an article printed as HTML-escaped markup in a hidden ``<textarea>``
    that a script renders into the page (``<textarea class="content-src"
    style="display:none">&lt;p&gt;…``), parsed into a block of its own (outside the
    page's tree), when it has at least :data:`TEXTAREA_TEXT_MIN_CHARS` of text and twice
    as much as the block found for the body (``body``, maybe a breadcrumb's row for want of
    any text); None."""
    found: int | None = None
    for area in root.iter("textarea"):
        markup = area.text or ""
        if (
            not is_hidden(area)
            or in_chrome(area)
            # a form's field: what a reader types, its default a notice (发言须知：…)
            or _has_ancestor(area, ("form",))
            or not MARKUP_RE.search(markup)
        ):
            continue
        try:
            block = lxml_html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        if (length := len(element_text(block))) < TEXTAREA_TEXT_MIN_CHARS:
            continue
        if found is None:  # (the found block's text, read once and only when needed)
            found = len(element_text(body)) if body is not None else 0
        if length > 2 * found:
            return block
    return None


# The longest text of a loading placeholder (text.LOADING_TEXT_RE) a body block may be.
LOADING_TEXT_CHARS = 24


def _revealed_beside(placeholder: etree._Element) -> etree._Element | None:
    """The hidden block beside a loading placeholder that a script shows in its place (a
    ``div#postContent`` with ``display:none`` after ``div.post-loading``: a whole-site trial
    of a script-heavy template exported the placeholder as the text): the sibling with the
    most text, when it has more than :data:`SIBLING_MIN_CHARS`; None."""
    best, most = None, SIBLING_MIN_CHARS
    for other in (*placeholder.itersiblings(preceding=True), *placeholder.itersiblings()):
        if (
            isinstance(other.tag, str)
            and is_hidden(other)
            and len(text := element_text(other)) > most
        ):
            best, most = other, len(text)
    return best


# A list item of one fact: a short label word, a colon and a value with no sentence in it.
FACT_LINE_RE = re.compile(r"^[^\s:：。，,]{2,6}\s*[:：]\s*[^。！？]*$")
FACT_LINE_CHARS = 50


# A row of links to other sites at a page's foot: 友情链接：<a>…</a> | <a>…</a>.
FRIEND_LINKS_RE = re.compile(
    r"^(?:友情链接|友情鏈接|友情連結|友情网站|合作伙伴|friendly\s+links?)\s*[:：]", re.I
)
# The inline style of a paragraph an editor wrote as a <div>.
EDITOR_LINE_STYLE_RE = re.compile(r"text-indent|line-height", re.IGNORECASE)


def _editor_line(el: etree._Element) -> bool:
    """True for a ``<div>`` with no class whose inline style is a paragraph's (indent or
    line height): a line of text an old editor wrote as a div."""
    return (
        el.tag == "div"
        and not el.get("class")
        and bool(EDITOR_LINE_STYLE_RE.search(el.get("style") or ""))
    )


def _table_block(table: etree._Element) -> etree._Element | None:
    """The block a table's short cells count for: the table's parent, or, when that is a
    wrapper holding the table alone (a responsive template's ``div.table-responsive``),
    the block the wrapper stands in, beside the paragraphs around the table (a whole-site
    trial of an English-language office: a 27-row table in a wrapper outscored the lead
    paragraph above it, which the text then lost)."""
    block = table.getparent()
    while (
        block is not None
        and block.tag in BOX_TAGS
        and len(block) == 1
        and not clean_line(block.text or "")
        and not clean_line(block[0].tail or "")
        and (up := block.getparent()) is not None
        and up.tag not in ("body", "html")
    ):
        block = up
    return block


# How many of the best-scored blocks are looked at for one outside a related box.
RANKED_CHECKED = 8


def _in_related_box(el: etree._Element, above: set[etree._Element]) -> bool:
    """True when ``el`` or an ancestor is a related box (:func:`is_related_box`: 相关文章,
    相关产品, Related posts), the walk up stopping at any element of ``above`` (such as the
    blocks around the headline, whose first text may be a side column's 推荐资讯)."""
    node: etree._Element | None = el
    while node is not None and node not in above and node.tag not in ("body", "html"):
        if is_related_box(node):
            return True
        node = node.getparent()
    return False


# What a document shown in a frame (a PDF in an <iframe>, <embed> or <object>) weighs as a
# body block's text: a policy notice that is one PDF and a 附件下载 link, beside a footer's
# 友情链接 row (a whole-site trial of a development zone's policy column).
EMBEDDED_DOCUMENT_CHARS = 60


def _embedded_documents(
    root: etree._Element, before_title: set[etree._Element]
) -> list[tuple[etree._Element, etree._Element]]:
    """``(frame, block)`` for each frame under ``root`` that shows a document file
    (:func:`is_attachment_url`), after the title and outside page chrome, with the
    nearest box element holding it."""
    found = []
    for el in root.iter("iframe", "embed", "object"):
        src = (el.get("src") or el.get("data") or "").strip()
        if not src or not is_attachment_url(src) or el in before_title:
            continue
        target = next((a for a in el.iterancestors(*BOX_TAGS)), None)
        if target is None or in_chrome(target) or is_hidden(target) or is_widget(target):
            continue
        found.append((el, target))
    return found


def _gallery_beside(parent: etree._Element, inside: set[etree._Element]) -> bool:
    """True when ``parent`` holds, outside ``inside`` (the text's block), a player (a
    video, an iframe or embed: a video article's) or at least
    :data:`GALLERY_MIN_PICTURES` pictures each in a list item, a figure or a table cell,
    none in page chrome, a widget or a related box: a gallery, not an icon, a QR code or
    the pictures of related products."""
    for player in parent.iter("video", "iframe", "embed", "object"):
        if (
            player not in inside
            and not in_chrome(player)
            and not is_widget(player)
            and not _in_related_box(player, {parent})
        ):
            return True
    count = 0
    for img in parent.iter("img"):
        if img in inside or in_chrome(img) or is_widget(img) or _in_related_box(img, {parent}):
            continue
        holder = next(img.iterancestors("li", "figure", "td"), None)
        if holder is not None and _is_inside(holder, parent):
            count += 1
            if count >= GALLERY_MIN_PICTURES:
                return True
    return False


def _longest_hr_segment(body: etree._Element) -> etree._Element | None:
    """A page printed as bare paragraphs under ``<body>`` between ``<hr>`` rules (a site's
    text-only mode: header, title and info, the text, prev/next, footer; generic/
    nanhugxq-1323): a copy of the run of paragraphs with the most text, in a ``<div>`` of
    its own; None with fewer than two rules."""
    children = [child for child in body if isinstance(child.tag, str)]
    if sum(1 for child in children if child.tag == "hr") < 2:
        return None
    runs: list[list[etree._Element]] = [[]]
    for child in children:
        if child.tag == "hr":
            runs.append([])
        else:
            runs[-1].append(child)
    best = max(runs, key=lambda run: sum(len(element_text(el)) for el in run))
    holder = etree.Element("div")
    for el in best:
        copied = copy.deepcopy(el)
        copied.tail = None
        holder.append(copied)
    return holder


# The least text of the block right under the headline that makes it the article's text
# when the longest block lies in another branch of the page.
UNDER_TITLE_MIN_CHARS = 50


def text_under_title(
    body: etree._Element | None, title_el: etree._Element | None
) -> etree._Element | None:
    """The article's text block when the longest block of the page stands apart from the
    headline: the first block after the headline, in the headline's own container, with at
    least :data:`UNDER_TITLE_MIN_CHARS` of text that is not an info line, when ``body`` does
    not share that container (a right column of 会长寄语 boxes longer than a short notice,
    generic/jinshanshanghui-1122; the previous article's preview after 上一篇, generic/
    wuzhongxiehui-533).  None when ``body`` is the headline's own block or none is found."""
    if body is None or title_el is None or nested(body, title_el):
        return None
    container = title_el.getparent()
    if container is None or container.tag in ("body", "html") or nested(body, container):
        return None
    for el in title_el.itersiblings():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        text = element_text(el)
        if len(text) < UNDER_TITLE_MIN_CHARS or _info_like(text[:INFO_LIKE_CHARS]):
            continue
        if len(text) <= INFO_MAX_CHARS and parse_date_text(text[:INFO_LIKE_CHARS], UTC):
            continue  # the info line (Publié le 6 mai 2024 à 10h30 par …)
        # Paragraphs of text, not a lead or summary box before a text elsewhere.
        if is_widget(el) or in_chrome(el) or _is_lead(el) or len(text_lines(el)) < 2:
            return None
        return el
    return None


# The heading of an attachment list: 附件：, 附件下载, 相关附件, Attachments.
ATTACHMENT_HEADING_RE = re.compile(
    r"^(?:附件|附件下载|相关附件|相關附件|附件下載|attachments?|downloads?|"
    r"tài\s+liệu\s+đính\s+kèm|đính\s+kèm|(?:archivos\s+)?adjuntos?|вложения|приложения?|"
    # a count after the word, a space inside it: 첨부파일 (2), 첨부 파일, 附件（3）
    r"pièces?\s+jointes?|anhänge?|첨부\s*파일|첨부|添付ファイル|添付|lampiran)"
    r"\s*(?:[(（]\s*\d+\s*[)）])?\s*[:：]?$",
    re.IGNORECASE,
)


# The longest caption beside a picture in a cell of its own.
PICTURE_CAPTION_CHARS = 40


def body_cells(body: etree._Element, avoid: frozenset) -> list[etree._Element]:
    """The cells of a table layout that carry the article together with the body cell, in
    document order: an old skin splits the text over rows or columns of one table (text,
    a picture row with its caption, more text; generic/minyinxiehui-1207,
    lianjiangyixuehui-1024).  A cell counts when it has the body cell's class or holds a
    picture with at most a short caption; the search stops at the title's or info line's
    row (``avoid``) and at any other row.  ``[body]`` for a body that is no table cell."""
    row = body.getparent() if body.tag in ("td", "th") else None
    if row is None or row.tag != "tr":
        return [body]
    own = set((body.get("class") or "").split())

    def joins(cell: etree._Element) -> bool:
        if cell.tag not in ("td", "th") or any(nested(cell, el) for el in avoid):
            return False
        if own and own & set((cell.get("class") or "").split()):
            # text, not a bar of links under the same font class (a breadcrumb)
            text = len(element_text(cell))
            return text > 0 and sum(len(element_text(a)) for a in cell.iter("a")) * 2 < text
        # a picture and its caption, no links (not a breadcrumb bar with its icon)
        img = cell.find(".//img")
        return (
            img is not None
            and not is_spacer(img, img.get("src") or "")
            and cell.find(".//a") is None
            and short_text(cell, PICTURE_CAPTION_CHARS) is not None
        )

    # Cells beside the body's in its row, then whole rows above and below.
    before = list(takewhile(joins, body.itersiblings(preceding=True)))[::-1]
    after = list(takewhile(joins, body.itersiblings()))
    above: list[etree._Element] = []
    for other in row.itersiblings(preceding=True):
        found = [c for c in other if c.tag in ("td", "th")]
        if not found or not all(map(joins, found)):
            break
        above = found + above
    below: list[etree._Element] = []
    for other in row.itersiblings():
        found = [c for c in other if c.tag in ("td", "th")]
        if not found or not all(map(joins, found)):
            break
        below += found
    return [*above, *before, body, *after, *below]


def picture_block_after(
    title_el: etree._Element | None, info_el: etree._Element | None
) -> etree._Element | None:
    """The block of an article that is only a picture (a poster, generic/minghuaxiehui-412)
    or a player or document frame (``<video>``, ``<audio>``, an ``<iframe>``, ``<embed>``:
    a whole-site trial of a notice board): among the three elements after the info line
    (else the title), the first that holds such content and at most a caption of text;
    None without one."""
    start = info_el if info_el is not None else title_el
    # The info line last in the headline's box: the blocks after that box (generic/
    # haiyunzmq-3021), up to two levels up.
    for _ in range(3):
        if start is None or start.tag in ("body", "html"):
            return None
        after = [el for el in start.itersiblings() if isinstance(el.tag, str)][:3]
        if after:
            break
        start = start.getparent()
    for el in after:
        img = el.find(".//img")
        shown = (img is not None and not is_spacer(img, img.get("src") or "")) or any(
            player.get("src") or player.get("data") or player.find("source") is not None
            for player in el.iter("video", "audio", "iframe", "embed", "object")
        )
        if shown and short_text(el, PICTURE_CAPTION_CHARS) is not None and not is_widget(el):
            return el
    return None


def stands_before(el: etree._Element, other: etree._Element) -> bool:
    """True when ``el`` ends before ``other`` starts in document order (neither holds the
    other)."""
    if nested(el, other) or nested(other, el):
        return False
    return document_position(el) < document_position(other)


# Elements that carry a stray paragraph of the text after a body block a stray </div>
# closed early.
STRAY_TEXT_TAGS = frozenset({"p", "center", "font", "span", "strong", "b", "br", "img"})


def stray_paragraphs_after(body: etree._Element) -> list[etree._Element]:
    """Paragraphs of the text that a stray ``</div>`` in a pasted text pushed out of the body
    block: the bare elements (``<p>`` and inline ones, without a class) right after the
    block or after its parent, up to the first other element (the prev/next box); none
    when they hold no text of their own (generic/yuhangcanyin-745, shuangfeng-318)."""
    for node in (body, body.getparent()):
        if node is None or node.tag in ("body", "html"):
            return []
        found: list[etree._Element] = []
        for el in node.itersiblings():
            if not isinstance(el.tag, str):
                continue
            if el.tag not in STRAY_TEXT_TAGS or el.get("class") or is_widget(el):
                break
            found.append(el)
        if any(len(element_text(el)) >= 10 for el in found):
            return found
    return []


# A byline's affiliation after the name: ", da Redação", ", of the Chamber", ", para …";
# or the writer's job: ", Staff Writer", ", Senior Correspondent" (a US office's bylines).
BYLINE_AFFILIATION_RE = re.compile(
    r",\s*(?:(?:da|do|das|dos|de|del|of|for|para|pour)\s|(?:(?:senior|chief|staff|contributing|"
    r"special|guest|associate|managing|news)\s+)?(?:writer|reporter|correspondent|editor|"
    r"contributor|photographer|columnist|journalist|staff)\b|"
    # fr: Kouassi Yao, correspondant à Abidjan; A. Koné, journaliste
    r"(?:correspondante?|journaliste|rédacteur|rédactrice|envoyée?\s+spéciale?|reporter)\b|"
    # the desk: Ana Souza, Newsroom (the English of "da Redação")
    r"(?:the\s+)?(?:newsroom|news\s+desk|editorial\s+(?:team|desk|office)|press\s+office)\b|"
    # an office's job title: Jane Smith, Trade Officer; J. Lee, Head of Communications
    r"(?:[A-Za-z&.-]+\s+){0,3}(?:officer|manager|director|secretary|head|chair(?:man|woman|person)?|"
    r"president|analyst|advis[eo]r|consultant|coordinator|spokesperson|representative|"
    r"assistant|intern|attach[eé])\b).*$",
    re.I,
)


def byline_name(name: str) -> str:
    """The person a byline names, its affiliation or job after a comma cut off
    (:data:`BYLINE_AFFILIATION_RE`)."""
    return clean_line(BYLINE_AFFILIATION_RE.sub("", clean_line(name)))


def byline_between(
    title_el: etree._Element, info_el: etree._Element
) -> tuple[str, etree._Element] | None:
    """``(name, element)`` of a byline printed as a line of its own between the headline
    and the info line, its sibling: "Por Mariana Costa, da Redação", "By Jane Holloway"
    (:data:`BYLINE_RE`, without a date after the name; the affiliation cut off).  None when
    there is none."""
    for el in title_el.itersiblings():
        if el is info_el or not isinstance(el.tag, str):
            break
        text = short_text(el, INFO_LIKE_CHARS)
        if text and (m := BYLINE_RE.match(text)) and not m.group("rest"):
            name = byline_name(m.group("name"))
            return (name, el) if 1 < len(name) <= 40 else None
    return None


# A fold's control on phone templates: 展开全文, 阅读全文, Read more.
FOLD_CONTROL_RE = re.compile(
    r"^(?:(?:点击)?(?:展开|展開|查看|显示|顯示|阅读|閱讀)(?:阅读|閱讀)?全文|继续阅读|繼續閱讀|"
    r"read\s+more|show\s+more|continue\s+reading)",
    re.IGNORECASE,
)
# How many blocks after the body a fold's hidden rest and its control may span.
FOLD_SCAN = 4


def folded_rest_after(body: etree._Element) -> list[etree._Element]:
    """The rest of the text that a phone template hides after the body block behind a fold
    (``<div style="display:none">`` or ``<div hidden>``) and shows when its control (展开全文)
    is tapped: the article's own text (generic/songyangchaye-1531, changleshanghui-1288).
    Copies with the hiding taken off, in order; none without such a control."""
    rest: list[etree._Element] = []
    control: etree._Element | None = None
    siblings = [el for el in list(body.itersiblings())[:FOLD_SCAN] if isinstance(el.tag, str)]
    for el in siblings:
        style = (el.get("style") or "").replace(" ", "").lower()
        if el.get("hidden") is not None or "display:none" in style:
            if element_text(el) or el.find(".//img") is not None:
                rest.append(el)
            continue
        text = short_text(el, INFO_LIKE_CHARS)  # (stops early on a long block)
        if text and FOLD_CONTROL_RE.match(text):
            control = el
            break
    if control is None:
        return []
    if named := _fold_targets(control):
        # the control names what it shows (getElementById('restText'), href="#more"):
        # that block, before or after it, and no other hidden one (a keywords div between
        # the halves; the control before the rest: a whole-site trial of hidden blocks)
        rest = [
            el
            for el in siblings
            if el.get("id") in named and (element_text(el) or el.find(".//img") is not None)
        ]
    shown = []
    for el in rest:
        copied = copy.deepcopy(el)
        copied.attrib.pop("hidden", None)
        copied.attrib.pop("style", None)
        copied.tail = None
        shown.append(copied)
    return shown


# An id a fold's control names: getElementById('restText'), $('#restText'), href="#restText".
FOLD_TARGET_RE = re.compile(r"""getElementById\(\s*['"]([\w-]+)['"]|(?:^|['"])#([\w-]+)""")


def _fold_targets(control: etree._Element) -> set[str]:
    """The ids a fold's control (and what is inside it) names in its ``onclick``, ``href``
    or ``data-target``."""
    found: set[str] = set()
    for node in control.iter(etree.Element):
        for attr in ("onclick", "href", "data-target"):
            for m in FOLD_TARGET_RE.finditer(node.get(attr) or ""):
                found.add(m.group(1) or m.group(2))
    return found


_WAP_TITLE = etree.XPath("//div[@class='waptle']")


def wap_column(sel: Selector) -> list[str]:
    """The column a 5.x phone page (``wap/index.php``) names in its header,
    ``<div class="waptle">`` (wap/templates/met/head.html of MetInfo 5); [] without one
    (generic/xiuzhouxiehui-526)."""
    for el in _WAP_TITLE(sel.root):
        name = element_text(el)
        return [name] if 0 < len(name) <= TITLE_COLUMN_MAX_CHARS else []
    return []


# Classes a template gives the current item of a column menu (li.on, li.cur, a.active).
CURRENT_ITEM_CLASSES = frozenset({"on", "cur", "current", "active", "sel", "selected", "this"})
# The longest name of a menu box's heading taken for the top column.
MENU_HEADING_MAX_CHARS = 12
_MENU_ITEMS = etree.XPath("//li[@class] | //li/a[@class]")


def menu_column(sel: Selector, base: str, site: str) -> list[str]:
    """The column an article without breadcrumb is shown in by its side menu: the current
    item (``<li class="on">``, ``cur``, ``active``: :data:`CURRENT_ITEM_CLASSES`) of a list
    of links to the site's list pages outside the header and the navigation bar, after the
    heading of its box when that names another column (商会动态 › 商会要闻): an old
    template's only sign of it (a whole-site trial of a county template); [] without one.
    ``base`` resolves the links (the page's base URL), ``site`` is the site's root."""
    for el in _MENU_ITEMS(sel.root):
        if not CURRENT_ITEM_CLASSES & set(class_tokens(el)):
            continue
        item = el if el.tag == "li" else el.getparent()
        link = el if el.tag == "a" else el.find("a")
        href = (link.get("href") or "").strip() if link is not None else ""
        target = urljoin(base, href) if href else ""
        if not target or parse_list_url(target, site) is None:
            continue
        if _has_ancestor(item, ("header", "nav")) or any(
            NAV_TOKEN_RE.match(token) for a in item.iterancestors() for token in class_tokens(a)
        ):
            continue  # the navigation bar's current top column
        name = element_text(link)
        if not 0 < len(name) <= TITLE_COLUMN_MAX_CHARS:
            continue
        menu = item.getparent()  # the <ul>
        box = menu
        for _ in range(3):
            box = box.getparent() if box is not None else None
            if box is None or box.tag in ("body", "html"):
                break
            heading = _heading_before(box, menu)
            if heading:
                if (
                    heading != name
                    and len(heading) <= MENU_HEADING_MAX_CHARS
                    and not HOME_WORDS_RE.match(heading)
                ):
                    return [heading, name]
                break
        return [name]
    return []


def _heading_before(box: etree._Element, inner: etree._Element) -> str:
    """The first piece of text in ``box`` before ``inner`` starts (a box's heading above
    its list), whitespace-collapsed; "" when ``inner`` comes first."""
    for node in box.iter():
        if node is inner:
            return ""
        if isinstance(node.tag, str) and (text := clean_line(node.text or "")):
            return text
        if node is not box and node.tail and not _is_inside(inner, node):
            if text := clean_line(node.tail):
                return text
    return ""


# Class tokens of a navigation bar (the site's top columns, one of them current).
NAV_TOKEN_RE = re.compile(
    r"^(?:nav|navbar|menu|mainnav|main-nav|topnav|top-nav|header|head)$", re.I
)


def _next_element(el: etree._Element, backwards: bool = False) -> etree._Element | None:
    """The element after ``el`` (before it, ``backwards``), comments and processing
    instructions passed over; None at the end."""
    for sibling in el.itersiblings(preceding=backwards):
        if isinstance(sibling.tag, str):
            return sibling
    return None


def labelled_line_after(body: etree._Element) -> etree._Element | None:
    """The short block right after the body block that prints an author or a source label
    with a value (文章来源：…, 责任编辑：…); None without one."""
    after = _next_element(body)
    if after is None or is_widget(after):
        return None
    text = short_text(after, INFO_LIKE_CHARS)
    if not text or not has_colon(text):
        return None
    kinds = {k for m in LABEL_RE.finditer(text) for k in ("author", "source") if m.group(k)}
    return after if kinds else None


# The footnotes a Word paste keeps after its text (<div style="mso-element:footnote-list">)
# or a template's notes block.
FOOTNOTE_BLOCK_RE = re.compile(r"mso-element:\s*(?:foot|end)note-list", re.IGNORECASE)
FOOTNOTE_TOKEN_RE = re.compile(r"^(?:foot|end)notes?$|^fn-?list$", re.IGNORECASE)


def footnotes_after(body: etree._Element) -> etree._Element | None:
    """The footnotes printed right after the body block (a Word paste's footnote list,
    generic/tongxiangshanghui-88): the article's own; None when there are none."""
    box = _next_element(body)  # (a comment between them passed over)
    if box is None:
        return None
    if FOOTNOTE_BLOCK_RE.search(box.get("style") or ""):
        return box
    return box if any(FOOTNOTE_TOKEN_RE.match(t) for t in class_tokens(box)) else None


def attachment_cells(body: etree._Element) -> list[etree._Element]:
    """The value cells of the rows labelled 附件 (첨부파일, Attachments) around the body's
    row when the body is a cell of a board's view table (generic/hanhuazonghui-1183): the
    files listed there are the article's."""
    if (pane := _attachment_pane_beside(body)) is not None:
        return [pane]
    row = body.getparent() if body.tag in ("td", "th") else None
    if row is None or row.tag != "tr":
        return []
    return [
        cell
        for other in (*row.itersiblings(preceding=True), *row.itersiblings())
        if (cell := _attachment_row_value(other)) is not None
    ]


def _attachment_row_value(row: etree._Element) -> etree._Element | None:
    """The value cell of a two-cell row labelled 附件 (첨부파일, Attachments) that links a
    file, or None."""
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    if (
        len(cells) == 2
        and ATTACHMENT_HEADING_RE.match(element_text(cells[0]))
        and any(is_attachment_link(a) for a in cells[1].iter("a"))
    ):
        return cells[1]
    return None


def info_table_attachments(
    info: etree._Element | None, body: etree._Element | None
) -> list[etree._Element]:
    """The value cells of the rows labelled 附件 (첨부파일) in the table of the info line,
    when the text stands outside that table: a Korean board's view table of 제목, 작성자,
    작성일 and 첨부파일 rows above the body block (a whole-site trial of a Korean-default
    association); the files listed there are the article's."""
    table = None if info is None else next(info.iterancestors("table"), None)
    if info is not None and info.tag == "table":
        table = info
    if table is None or body is None or nested(body, table):
        return []
    return [
        cell
        for row in table.iter("tr")
        if next(row.iterancestors("table"), None) is table
        and (cell := _attachment_row_value(row)) is not None
    ]


# A tab pane's class: the panes of an article's tabs (正文 | 附件) share it.
TAB_PANE_TOKEN_RE = re.compile(
    r"(?:^|[-_])(?:tab|tabs|pane|panel|tab-pane|tabcontent)(?:$|[-_])", re.I
)


def text_pane(body: etree._Element) -> etree._Element:
    """The tab pane that holds the text when the body block is a box of tabs (a tab bar
    正文 | 附件 | 相关图片 over panes of one class, a whole-site trial of a government-style
    template): the first pane with text, whose neighbours' files and pictures
    :func:`attachment_cells` and :func:`picture_panes_beside` take; else ``body``."""
    names = doc_index(body.getroottree().getroot()).classes
    if not any("tab" in name or "pane" in name for name in names):
        return body  # (every article page asks: most name no pane at all)
    for parent in (body, *body.iterchildren(etree.Element)):
        for holder in (parent, *parent.iterchildren(etree.Element)):
            panes = [
                el
                for el in holder.iterchildren(etree.Element)
                if any(TAB_PANE_TOKEN_RE.search(t) for t in class_tokens(el))
            ]
            if len(panes) < 2:
                continue
            shared = set(class_tokens(panes[0]))
            panes = [el for el in panes if shared & set(class_tokens(el))]
            for pane in panes if len(panes) >= 2 else ():
                if element_text(pane):
                    return pane
    return body


def _panes_beside(body: etree._Element) -> list[etree._Element]:
    """The tab panes beside ``body`` when it is one: its siblings of its tag that share its
    pane class (:data:`TAB_PANE_TOKEN_RE`); [] when ``body`` is no tab pane."""
    tokens = {t for t in class_tokens(body) if TAB_PANE_TOKEN_RE.search(t)}
    if not tokens:
        return []
    return [
        other
        for other in (*body.itersiblings(preceding=True), *body.itersiblings())
        if other.tag == body.tag and tokens & set(class_tokens(other))
    ]


def picture_panes_beside(body: etree._Element) -> list[etree._Element]:
    """The tab panes beside the text's pane that show pictures (相关图片): the article's
    pictures (see :func:`text_pane`)."""
    return [pane for pane in _panes_beside(body) if pane.find(".//img") is not None]


def _attachment_pane_beside(body: etree._Element) -> etree._Element | None:
    """The tab pane beside the body's pane whose links are all files: the article's 附件 tab
    (``<div class="tab-pane active">`` text, then ``<div class="tab-pane">`` with the
    files; a whole-site trial of an industrial park), or None."""
    for pane in _panes_beside(body):
        links = [a for a in pane.iter("a") if (a.get("href") or "").strip()]
        if links and all(is_attachment_link(a) for a in links):
            return pane
    return None


def label_rows_around(row: etree._Element, avoid: list[etree._Element | None]) -> list[str]:
    """``label：value`` parts of the label/value rows beside an info line that is one row of
    a board's view table (작성자 | 사무국 | 작성일 | 2024.06.12, then 조회수 | 1,205 below it,
    generic/hanhuazonghui-1183), up to a row holding any of ``avoid`` (the title, the body)."""
    parts: list[str] = []
    for siblings in (row.itersiblings(preceding=True), row.itersiblings()):
        for other in siblings:
            if any(el is not None and nested(other, el) for el in avoid):
                break
            cells = [element_text(c) for c in other if c.tag in ("td", "th")]
            if not cells or len(cells) % 2 or not all(map(_may_be_label_cell, cells[::2])):
                break
            parts += [_joined(a, b) for a, b in zip(cells[::2], cells[1::2], strict=True)]
    return parts


def attachment_box_after(body: etree._Element) -> etree._Element | None:
    """The attachment list printed right after the body block, headed 附件： (or
    Attachments, Tài liệu đính kèm) and holding links to files: the notice's own
    attachments (generic/donghaizmq-1536, zhongyuemaoyi-77); None when there is none."""
    box = _next_element(body)  # (a comment between them passed over)
    if box is None or box.tag not in (*BOX_TAGS, "ul", "dl", "p"):
        return None
    if not ATTACHMENT_HEADING_RE.match(first_text(box)):
        return None
    return box if any(is_attachment_link(a) for a in box.iter("a")) else None


# Words of a comments heading (text.COMMENT_HEADING_RE), as literal patterns: the elements
# whose own text holds one are the candidates.
_COMMENT_WORD_RE = re.compile("评|評|留言|omment|eply|说|說|互动|互動")


def comment_boxes(root: etree._Element) -> list[etree._Element]:
    """Boxes that open with a comments heading (网友评论（6）, Comments: text.COMMENT_HEADING_RE):
    for each such heading, the outermost box that it opens."""
    boxes = []
    for el in doc_index(root).text_parents(_COMMENT_WORD_RE):
        if not COMMENT_HEADING_RE.match(clean_line(el.text or "")):
            continue
        box = None
        node = el
        while (parent := node.getparent()) is not None and parent.tag not in ("body", "html"):
            if first_text(parent) != first_text(el):
                break
            node = parent
            if node.tag in RELATED_BOX_TAGS:
                box = node
        if box is not None:
            boxes.append(box)
    return boxes


# A lead or summary box: by its class or id, or by the word it opens with.
LEAD_TOKEN_RE = re.compile(
    r"(?:^|[-_])(?:summary|lead|intro|abstract|digest|daodu|zhaiyao)(?:$|[-_])", re.IGNORECASE
)
LEAD_TEXT_RE = re.compile(r"^(?:导读|导语|摘要|内容提要|内容摘要|编者按|導讀)\s*[:：]")


def _about_box(el: etree._Element) -> bool:
    """True when ``el``, or the box holding it, opens with an "about us" heading
    (:data:`ABOUT_HEADING_RE`)."""
    for box in (el, el.getparent()):
        if box is None or box.tag in ("body", "html"):
            return False
        if ABOUT_HEADING_RE.match(first_text(box)):
            return True
    return False


LEAD_WORD_RE = re.compile(r"导读|导语|摘要|内容提要|编者按|導讀|導語")
# A lead box's opening word, bracketed or labelled: 【导语】…, 摘要：….
LEAD_OPENING_RE = re.compile(
    r"^(?:[【\[]\s*(?:导读|导语|摘要|内容提要|编者按|導讀|導語)\s*[】\]]|"
    r"(?:导读|导语|摘要|内容提要|内容摘要|编者按|導讀|導語)\s*[:：])"
)


def lead_box_before(
    body: etree._Element, exclude: frozenset[etree._Element] = frozenset()
) -> list[etree._Element]:
    """The lead box right before the body block, when the family's text block leaves it out
    (div.news-summary or a second .met-editor before .met-editor: generic/
    pinghufuzhuang-418, tongxiangmaoshan-707): ``[box]``, or [] when there is none.  Only
    a box that opens with its word (摘要：, 【导语】) and that is no info line or headline."""
    before = _next_element(body, backwards=True)
    # the usual block before the text: the info line or the headline, whose first words
    # are no lead's (a cheap look at the first piece of text first)
    if before is None or before in exclude or not LEAD_WORD_RE.search(first_text(before)[:12]):
        return []
    if is_widget(before):
        return []
    text = short_text(before, LEAD_BOX_CHARS)
    if not text or not LEAD_OPENING_RE.match(text) or len(text) < SIBLING_MIN_CHARS:
        return []
    return [before]


# How far back from the text block a pasted 来源 line is looked for (elements), and its
# longest text.
SOURCE_BEFORE_SIBLINGS = 5
SOURCE_BEFORE_CHARS = 40


def source_line_before(
    body: etree._Element, exclude: frozenset[etree._Element] = frozenset()
) -> list[etree._Element]:
    """The ``来源：X`` line pasted just before the text block, past a WeChat header and its
    follow prompt (来源：… / 原创 … / 点击上方蓝字关注我们 / the text in div#js_content: a
    whole-site trial of WeChat-pasted articles): ``[line]``, the text's first line; [] when
    the elements before the block hold none (the info line and the headline end the
    search)."""
    node = body
    for _ in range(SOURCE_BEFORE_SIBLINGS):
        node = _next_element(node, backwards=True)
        if node is None or node in exclude or node.tag in HEADING_TAGS:
            return []
        if is_widget(node):
            continue
        text = short_text(node, SOURCE_BEFORE_CHARS)
        if text is None:
            return []  # a paragraph of text: no pasted header
        if text and LEADING_SOURCE_RE.match(text) and not any(nested(node, e) for e in exclude):
            return [node]
    return []


# A gallery block a template prints after the text: by its class (album, gallery, swiper,
# tuji) or its heading (图集, 组图, Gallery).
GALLERY_TOKEN_RE = re.compile(
    r"(?:^|[-_])(?:album|gallery|swiper|tuji|zutu|photos?|pics?)(?:$|[-_])", re.IGNORECASE
)
GALLERY_HEADING_RE = re.compile(r"^(?:图集|圖集|组图|組圖|图片集|相册|相冊|gallery|photos)$", re.I)


def gallery_after(body: etree._Element) -> etree._Element | None:
    """The picture gallery printed right after the body block, its pictures the article's
    (div.nd196-album: 图集 and a swiper, generic/zhoushanyuye-466); None without one."""
    after = _next_element(body)
    if after is None or after.find(".//img") is None or is_widget(after):
        return None
    named = any(GALLERY_TOKEN_RE.search(t) for t in class_tokens(after))
    if not named and not GALLERY_HEADING_RE.match(first_text(after)):
        return None
    # pictures and at most a heading and captions: no list of other articles
    if after.find(".//a[@href]") is not None and any(
        (a.get("href") or "").strip().lower().endswith((".html", ".htm", ".php"))
        for a in after.iter("a")
    ):
        return None
    return after


# The longest lead box read before a body block.
LEAD_BOX_CHARS = 400


def _lead_before(outer: etree._Element, own: dict[etree._Element, float]) -> bool:
    """True when a lead box (:func:`_is_lead`) with text of its own stands right before the
    text block ``outer``: the article's, however short; or a plain paragraph does, under a
    player (a video's description above its transcript, generic/taizhoushipin-1290)."""
    lead = outer.getprevious()
    if lead is None or not isinstance(lead.tag, str):
        return False
    if lead.tag == "p" and outer.tag != "p":
        player = lead.getprevious()
        text = short_text(lead, INFO_MAX_CHARS * 2) or ""
        return (
            player is not None
            and player.find(".//video") is not None
            and len(text) > SIBLING_MIN_CHARS
            and not _info_like(text[:INFO_LIKE_CHARS])
        )
    return sum(own.get(el, 0) for el in lead.iter()) > SIBLING_MIN_CHARS and _is_lead(lead)


def _is_lead(el: etree._Element) -> bool:
    """True for a lead box (:data:`LEAD_TOKEN_RE`, :data:`LEAD_TEXT_RE`)."""
    return any(LEAD_TOKEN_RE.search(t) for t in class_tokens(el)) or bool(
        LEAD_TEXT_RE.match(element_text(el))
    )


def _layout_table_holder(cell: etree._Element) -> etree._Element | None:
    """The element holding the wrapper table (one row of one cell) whose cell is ``cell``,
    when it is a cell or box of the page's content; None otherwise."""
    table = nearest_table(cell)
    if table is None or sum(1 for _ in table.iter("tr")) != 1 or not is_layout_table(table):
        return None  # only a wrapper: one row of one cell
    holder = table.getparent()
    return holder if holder is not None and holder.tag in ("td", "th", *BOX_TAGS) else None


def _elements_before(root: etree._Element, title_el: etree._Element | None) -> set:
    """Elements that end before ``title_el`` starts (not its ancestors), as a set."""
    if title_el is None:
        return set()
    before = set()
    for el in root.iter():
        if el is title_el:
            break
        before.add(el)
    return before - set(title_el.iterancestors())


def _info_like(text: str) -> bool:
    """True when a block's short own ``text`` reads as an info line: two labels
    (发布日期：… 来源：…), or a date label and its date (fixtures generic/yunxiaokeji-412,
    jinghonggongyi-35).  A body's dated lines (a schedule) and single labels (会议时间：)
    still count as text.  A line that opens with posting words and holds a date (Posted
    on Tuesday, August 20, 2024 in Events | Views: 264), or with an event's date label
    without a colon (Event date November 14, 2024 · San Francisco), is one too (a
    whole-site trial of an office's events column)."""
    colon = has_colon(text)
    if (
        len(text) <= INFO_LIKE_CHARS
        and (
            POSTED_ON_LINE_RE.match(text) is not None
            or (not colon and EVENT_DATE_LABEL_RE.match(text) is not None)
        )
        and parse_date_text(text, UTC) is not None
    ):
        return True
    if not colon:
        return False
    labels = list(LABEL_RE.finditer(text))
    if len(labels) >= 2:
        return True
    return bool(
        labels
        and labels[0].start() == 0
        and labels[0].group("date")
        and find_date(text[labels[0].end() :], UTC)
        and len(text) <= INFO_LIKE_CHARS // 2
    )


def _has_sibling_cell(cell: etree._Element) -> bool:
    """True when ``cell`` shares its row with another cell: a data table's cell.  A cell
    alone in its row is a layout cell, however short its article (generic/qiaodonggsl-720)."""
    siblings = (*cell.itersiblings(), *cell.itersiblings(preceding=True))
    return any(isinstance(other.tag, str) and other.tag in ("td", "th") for other in siblings)


def _link_text(el: etree._Element) -> int:
    """Characters of link text under ``el``; links to files (attachments) do not count."""
    return sum(
        len(element_text(a)) for a in el.iter("a") if not is_attachment_url(a.get("href") or "")
    )


def leading_source(lines: list[str]) -> str | None:
    """X when the body opens with a ``来源：X`` paragraph, or ends with one (a Word-pasted
    article's last line, generic/jinfengjixie-88; an editor's line after it such as
    【责任编辑：…】 allowed), else None."""
    # The last lines: the source may come before an editor's, a reviewer's and an END
    # line (来源：… 编辑：… 审核：… END, generic/jiangnanshanghui-1836), or open a longer
    # closing block of credit lines.
    count = _closing_count(lines)
    for index, line in (*enumerate(lines[:1]), *enumerate(lines[-count:], len(lines) - count)):
        if _under_table(lines, index):
            continue
        if m := LEADING_SOURCE_RE.match(line):
            value = m.group("v") or m.group("b")
            # Another label on the same line ends it: 来源：扬州晚报　　责任编辑：王晓燕
            # (generic/yunhelvxie-1520).
            if (other := LABEL_RE.search(value)) is not None:
                value = value[: _label_start(value, other.start())]
            # 来源：湖州日报 记者 沈洁 通讯员 钱明: the paper, not its reporters
            # (generic/taihuqilian-773).
            value = REPORTER_RE.split(value, maxsplit=1)[0]
            return clean_line(value) or None
    return None


# A byline typed as the text's first line: By Sarah Mitchell | September 10, 2024.
LEADING_BYLINE_RE = re.compile(
    r"^by\s+(?P<name>[^|,·–—]{2,60}?)\s*[|,·–—]\s*(?P<date>.{6,40})$", re.IGNORECASE
)


def leading_byline(lines: list[str], tz: tzinfo) -> tuple[str, PageDate] | None:
    """``(author, date)`` of a byline typed as the text's first line, a name and a date
    (By Sarah Mitchell | September 10, 2024: a whole-site trial of an English chamber), or
    None."""
    if not lines or len(lines[0]) > BYLINE_LINE_MAX_CHARS:
        return None
    m = LEADING_BYLINE_RE.match(lines[0])
    if m is None or (date := parse_date_text(m["date"], tz)) is None:
        return None
    return clean_line(m["name"]), date


# The longest first line taken for a byline.
BYLINE_LINE_MAX_CHARS = 100


def closing_credits(lines: list[str], tz: tzinfo) -> Info:
    """The author and source of a credit line among the body's last lines made of labelled
    parts only (作者：沈立新　来源：海宁日报, generic/hainingpige-2019); an empty
    :class:`Info` without one."""
    # the last lines, then the first: the same credit line may open the text (generic/
    # nbshihuaqu-3308); in brackets too: （作者：王芳　来源：宁波晚报） (jiangdongsx-1545)
    last = list(enumerate(lines))[-SOURCE_LAST_LINES:]
    found: Info | None = None
    for index, line in (*reversed(last), *enumerate(lines[:1])):
        if _under_table(lines, index):
            continue
        if (bracketed := BRACKETED_LINE_RE.match(line)) is not None:
            line = bracketed.group(1)
        # WeChat's credits set off by a bar: 作者｜李建新　编辑｜王芳
        line = BAR_CREDIT_RE.sub(r"\1：", line)
        if len(line) > INFO_MAX_CHARS or not (first := LABEL_RE.match(line)):
            continue
        labels = list(LABEL_RE.finditer(line))
        kinds = {k for m in labels for k in ("author", "source") if m.group(k)}
        if not kinds or any(m.group("date") or m.group("hits") for m in labels):
            continue
        if any(m.group("source") and DATA_SOURCE_RE.match(m.group("source")) for m in labels):
            continue  # 资料来源：… under a table: the data's source (shaoxingfangzhi-744)
        bounds = sorted(
            {first.start(), *(_label_start(line, m.start()) for m in labels), len(line)}
        )
        parts = [clean_line(line[a:b]) for a, b in pairwise(bounds) if clean_line(line[a:b])]
        credits = parse_info_parts(parts, tz, None)
        # an author only under 作者/文/Author (文｜沈浩: the text's writer): an editor's, a
        # drafter's (撰稿) or a reviewer's credit under the text names no author
        # (generic/yanhaigsl-936, nanhujiedao-2208)
        credits.author_named = any(
            m.group("author") and CREDIT_AUTHOR_RE.match(m.group("author")) for m in labels
        )
        # credits one to a line (作者｜…, 图｜…, 编辑｜…, 审核｜…): a named author may stand
        # above the last credit lines, whose source it keeps
        if credits.author_named:
            if found is not None:
                credits.source = found.source or credits.source
            return credits
        if found is None:
            found = credits
        else:
            found.source = found.source or credits.source
    return found if found is not None else Info()


CREDIT_AUTHOR_RE = re.compile(r"^(?:作\s*者|文|author)$", re.IGNORECASE)
# A credit word and a bar in place of its colon, as WeChat posts print them.
BAR_CREDIT_RE = re.compile(
    r"(?:(?<=^)|(?<=\s))(作者|文|图|圖|编辑|編輯|责编|責編|审核|審核|校对|校對|来源|來源|摄影|攝影|"
    r"撰稿|排版|美编|美編)\s*[｜|]\s*(?=\S)"
)
# A data source's label: in the info line the article's source, under the text a table's.
DATA_SOURCE_RE = re.compile(r"^(?:资料|資料)")
# A whole line in brackets: its inside.
BRACKETED_LINE_RE = re.compile(r"^[（(【\[]\s*(.+?)\s*[）)】\]]$")


def _under_table(lines: list[str], index: int) -> bool:
    """True when body line ``index`` comes right after a table row (cells joined by tabs):
    a 来源：… there is the table's figures' source, not the article's (generic/
    ninghaijingxin-1129)."""
    return index > 0 and "\t" in lines[index - 1]


def _closing_count(lines: list[str]) -> int:
    """How many of the body's last lines are read for a closing 来源 line: at least
    :data:`SOURCE_LAST_LINES`, or the whole closing block of one-label credit lines
    (at most :data:`CREDIT_BLOCK_MAX_LINES`)."""
    count = 0
    for line in reversed(lines[-CREDIT_BLOCK_MAX_LINES:]):
        if len(line) > INFO_MAX_CHARS or not (LABEL_RE.match(line) or REPORTER_LINE_RE.match(line)):
            break
        count += 1
    return max(SOURCE_LAST_LINES, count + 1)


def breadcrumb_names(links: list[tuple[str, str]], site: str, title: str | None) -> list[str]:
    """Column names from breadcrumb links ``(text, absolute href)``: the home link, leading
    labels and a trailing link to the article itself are dropped."""
    names: list[str] = []
    for text, href in links:
        text = clean_line(text)
        if not text:
            continue
        if HOME_WORDS_RE.match(text) or (href and href.rstrip("/") == site.rstrip("/")):
            continue
        if href and home_lang(href, site) is not False:  # index.php?lang=tc, index-en.html
            continue
        names.append(text)
    if title and names and _same_title(names[-1], title):
        names.pop()
    elif title and names and len(names[-1]) >= CUT_CRUMB_CHARS and title.startswith(names[-1]):
        names.pop()  # the headline cut short without an ellipsis (xiamenjinjiangsh-1533)
    return names


# The least length of a last crumb taken for the headline cut short without an ellipsis.
CUT_CRUMB_CHARS = 10


def _same_title(text: str, title: str) -> bool:
    """True when a breadcrumb's last link text is the headline, whole or cut short with an
    ellipsis (清水经开区召开2023年重点项目集中开工..., generic/qingshuikfq-733)."""
    if text == title:
        return True
    cut = text.rstrip(".…").rstrip()
    return cut != text and len(cut) >= MIN_TEXT_TITLE_CHARS and title.startswith(cut)


# The home page's link text, in the languages MetInfo sites publish in.
HOME_WORDS = (
    r"网站首页|網站首頁|首页|首頁|主页|主頁|返回首页|返回首頁|home(?:\s*page)?|index|top|ホーム|"
    r"홈|главная|inicio|accueil|startseite|trang\s+chủ|الرئيسية|beranda|laman\s+utama|"
    r"halaman\s+utama|หน้าแรก|หน้าหลัก"
)
# The home word alone, or twice in two languages (首页 Home, generic/aozhongshanghui-1417).
HOME_WORDS_RE = re.compile(
    f"^(?:{HOME_WORDS})" + r"(?:\s*[/|]?\s*" + f"(?:{HOME_WORDS}))?$", re.IGNORECASE
)
# Labels a breadcrumb starts with (您现在的位置：首页 > …).
LOCATION_LABELS = (
    "您现在的位置",
    "您当前的位置",
    "您当前位置",
    "当前位置",
    "当前的位置",
    "您的位置",
    "你的位置",
    "你现在的位置",
    "所在位置",
    "现在位置",
    "Current position",
    "Current Position",
    "Current location",
    "Current Location",
    "You are here",
    "Your location",
    "Your position",
    "Location:",
    "Sie sind hier",
    "Vous êtes ici",
    "Usted está aquí",
    "Estás en",
    "Вы здесь",
    "현재 위치",
    "Anda di sini",
    "Anda berada di",
    "Lokasi",
    "Kedudukan",
    "ตำแหน่งปัจจุบัน",
    "คุณอยู่ที่",
    "現在位置",
    "現在地",
    "Location：",
    "Position:",
    "位置：",
    "位置:",
    # pt, ar, kk, mn, uz, vi (generic/huabaxishanghui-455, aijijingmaoqu-1112, huoerguosi-509,
    # erlianhaote-733, pengshengyuanqu-264)
    "Você está em",
    "Você está aqui",
    "أنت هنا",
    "موقعك",
    "Сіз осындасыз",
    "Та энд байна",
    "Siz shu yerdasiz",
    "Bạn đang ở",
)
# Breadcrumb blocks by class or id: crumb, bread, location, position, pos, loc, trail, here,
# and weizhi/dqwz/mbx (pinyin abbreviations of 位置/当前位置/面包屑; generic/heyuejiancai-318,
# ashgrovechamber-41).  Tested on each class name and id of the page's index (an XPath of
# these tests on every element cost 1 ms on a list page of 200 elements).
CRUMB_CLASS_NAME_RE = re.compile(
    "crumb|bread|location|weizhi|dqwz|mbx|pankuzu|topicpath|topicPath|migas|ariane|brotkrumen"
    # path, place and where words, and lujing (路径): generic/nanningdongmeng-906,
    # xianggangminshang-1093, ninghaishanghui-774, gaoxiongshipin-833
    "|sitepath|lujing|^(?:pos|loc|trail|here|path|place|where)$|-(?:pos|loc|path|place|where)$"
)
CRUMB_ID_RE = re.compile("crumb|location|position|topicPath|pankuzu")
# position, but not Bootstrap's position-relative and the like (generic/zhongruishanghui-1147)
_POSITION_UTILITY_RE = re.compile("position-(?:relative|absolute|fixed|static|sticky)")
# ARIA's name for a breadcrumb when no class gives it (generic/hengqinshanghui-528)
_ARIA_LABELLED = etree.XPath("//*[@aria-label]")
# Words whose text nodes' parents may be breadcrumbs: location labels (checked against
# STARTS_WITH_LABEL_RE afterwards) and home words (checked against the home-crumb rules).
_LABEL_TEXT_RE = re.compile(
    "位置|osition|ocation|are here|위치|okasi|di sini|berada di|edudukan|ตำแหน่ง|คุณอยู่ที่"
    "|sind hier|êtes ici|está aquí|Estás|está em|está aqui|здесь|هنا|موقعك|осындасыз"
    "|энд байна|yerdasiz|đang ở"
)
STARTS_WITH_LABEL_RE = re.compile("^(?:" + "|".join(map(re.escape, LOCATION_LABELS)) + ")")
# A breadcrumb with no label and no class: its text starts with the home word and a
# separator (首页 » 新闻资讯 » 通知公告, generic/jinshiwujin-412).
_HOME_TEXT_RE = re.compile(
    "首页|首頁|Home|TOP|ホーム|홈|Главная|Inicio|Accueil|Startseite|Trang|Início|Beranda|Utama"
    "|หน้าแรก|หน้าหลัก"
)
_TITLED_LINKS = etree.XPath("//a[@title]")
STARTS_WITH_HOME_CRUMB_RE = re.compile(
    f"^(?:{HOME_WORDS})" + r"\s*(?:>+|»|›|→|＞+|〉|/)\s*\S", re.IGNORECASE
)
LABEL_CHILD_TAGS = ("span", "strong", "b", "em", "label")


def _separator_then_link(a: etree._Element) -> bool:
    """True when a link is followed by a breadcrumb separator, as its tail or in an element
    of its own (<span>&gt;</span>, generic/zhongrichanyeyuan-415), and then by a link."""
    after = a.getnext()
    if CRUMB_SEPARATOR_ONLY_RE.match(clean_line(a.tail or "")):
        return after is not None and after.tag == "a"
    if clean_line(a.tail or "") or after is None or after.tag not in (*LABEL_CHILD_TAGS, "i"):
        return False
    if not CRUMB_SEPARATOR_ONLY_RE.match(element_text(after)) or clean_line(after.tail or ""):
        return False
    link = after.getnext()
    return link is not None and link.tag == "a"


# A breadcrumb separator alone between two links (no text around it).
CRUMB_SEPARATOR_ONLY_RE = re.compile(r"^(?:>+|»|›|→|＞+|〉|/|\\)$")


# What a breadcrumb may print after its last link that names no column: the page itself.
CRUMB_PAGE_WORDS_RE = re.compile(
    r"^(?:正文|详情|詳情|详细内容|詳細內容|详细信息|詳細信息|内容|內容|文章内容|文章內容|查看内容|阅读文章|"
    r"新闻详情|新聞詳情|浏览文章|瀏覽文章|查看内容|查看內容|article|details?|content|view|본문|상세보기|"
    # Chinglish for 正文 (generic/sinoukpark-733)
    r"text|main\s+text|body|"
    r"内容詳細|詳細)$",
    re.IGNORECASE,
)


_CRUMB_TEXT_TAGS = frozenset({"span", "strong", "b", "em", "font", "li"})
# A breadcrumb item that is only a separator: >, », /, |, ·, -.
CRUMB_ITEM_SEPARATOR_RE = re.compile(r"^[\s>»›→＞〉\\/|｜·•\-–—~]+$")


def crumb_items(block: etree._Element, base: str) -> list[tuple[str, str]]:
    """A breadcrumb's items in order as ``(text, absolute href)``: its links, and between
    them the columns printed without a link (首頁 » <span>新聞資訊</span> » <a>會員風采</a>,
    generic/xianggangminshang-1093) with an empty href; separators and labels left out."""
    links = [a for a in block.iter("a") if a.get("href") is not None]
    if not links:
        return []
    first, last = links[0], links[-1]
    items: list[tuple[str, str]] = []
    started = False
    for el in block.iter(etree.Element):
        if el is first:
            started = True
        if not started:
            continue
        if el.tag == "a" and el.get("href") is not None:
            items.append((text_content(el), absolute_url(base, (el.get("href") or "").strip())))
        elif (
            el.tag in _CRUMB_TEXT_TAGS
            and el.find(".//a") is None
            and not _has_ancestor(el, ("a",))
            and len(el) == 0
        ):
            text = clean_line(text_content(el))
            if text and not CRUMB_ITEM_SEPARATOR_RE.match(text) and not has_colon(text):
                items.append((text, ""))
        if el is last:
            break
    return items


def crumb_after_links(
    block: etree._Element, last_link: etree._Element, title: str | None
) -> str | None:
    """The current column printed without a link after a breadcrumb's last link (首页 >
    알림마당 > <strong>공지사항</strong>, generic/hanhuazonghui-1183): one short segment after
    a separator that is neither the headline nor a word for the page itself (正文, 详情);
    None otherwise."""
    pieces = [last_link.tail or ""]
    icon = False  # a separator drawn by an element without text (<i class="fa-angle-right">)
    node = last_link
    while node is not None and node is not block:
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                text = element_text(sibling)
                icon = icon or (not text and not "".join(pieces).strip())
                pieces.append(text)
            pieces.append(sibling.tail or "")
        node = node.getparent()
    text = clean_line(" ".join(pieces))
    m = CRUMB_SEPARATOR_RE.match(text)
    if (not m or not m.group().strip()) and not icon:
        return None
    name = text[m.end() :].strip(STRIP_CHARS) if m else text.strip(STRIP_CHARS)
    if (
        not name
        or len(name) > TITLE_COLUMN_MAX_CHARS
        or CRUMB_SEPARATOR_RE.search(name)
        or CRUMB_PAGE_WORDS_RE.match(name)
        or (title and (_same_title(name, title) or title.startswith(name.rstrip(".…"))))
    ):
        return None
    return name


def crumb_class_blocks(root: etree._Element) -> list[etree._Element]:
    """Elements under ``root`` whose class name or id names a breadcrumb
    (:data:`CRUMB_CLASS_NAME_RE`, :data:`CRUMB_ID_RE`), or whose ``aria-label`` says
    breadcrumb, in no particular order."""
    index = doc_index(root)
    found = [
        el
        for name, els in index.classes.items()
        if CRUMB_CLASS_NAME_RE.search(name)
        for el in els
        # not an icon: <i class="iconfont icon-weizhi"></i> before an address (generic/
        # xiangshanxiehui-home)
        if len(el) or (el.text or "").strip()
    ]
    found.extend(
        el
        for name, els in index.classes.items()
        if "position" in name
        for el in els
        if not _POSITION_UTILITY_RE.search(el.get("class") or "")
    )
    found.extend(el for name, els in index.ids.items() if CRUMB_ID_RE.search(name) for el in els)
    found.extend(el for el in _ARIA_LABELLED(root) if "readcrumb" in el.get("aria-label", ""))
    return found


def _crumb_text_parents(
    root: etree._Element,
) -> tuple[list[etree._Element], list[etree._Element]]:
    """The elements under ``root`` with a text node of their own (text or a child's tail)
    that holds a home word (:data:`_HOME_TEXT_RE`), and those with one that holds a location
    label word (:data:`_LABEL_TEXT_RE`)."""
    index = doc_index(root)
    return index.text_parents(_HOME_TEXT_RE), index.text_parents(_LABEL_TEXT_RE)


def crumb_blocks(root: etree._Element) -> list[etree._Element]:
    """Breadcrumb-like blocks in document order: by class or id (:func:`crumb_class_blocks`),
    by an own text that starts with a home word and a separator (``首页 » 新闻``), or by the
    location label their own text starts with, or their first inline child's
    (``<span>当前位置：</span>``, fixture generic/anheng-902; the label counts for its parent,
    not for a wrapper whose first block child is the breadcrumb: that wrapper holds the
    article's links too).  Found once per document (the list is shared: not to be changed)."""
    if root.getparent() is not None:
        return _crumb_blocks(root)
    derived = doc_index(root).derived
    if (blocks := derived.get("crumb_blocks")) is None:
        blocks = derived["crumb_blocks"] = _crumb_blocks(root)
    return blocks  # type: ignore[return-value]


def _crumb_blocks(root: etree._Element) -> list[etree._Element]:
    found = set(crumb_class_blocks(root))
    home, labelled = _crumb_text_parents(root)
    found.update(el for el in home if STARTS_WITH_HOME_CRUMB_RE.match(clean_line(el.text or "")))
    # A home link whose tail is a separator before another link: 首页 >> 新闻中心 >> 商会动态
    # in a cell with no class or label (generic/binjiangshangye-741).
    found.update(
        parent
        for el in home
        if el.tag == "a"
        and HOME_WORDS_RE.match(element_text(el))
        and _separator_then_link(el)
        and (parent := el.getparent()) is not None
    )
    # A home link that shows the site's short name, titled as the home link (Discuz's
    # <a class="nvhm" title="首页">义乌青企协</a> › …, generic/yiwuqingqi-1809).
    found.update(
        parent
        for el in _TITLED_LINKS(root)
        if HOME_WORDS_RE.match(clean_line(el.get("title") or ""))
        and _separator_then_link(el)
        and (parent := el.getparent()) is not None
    )
    # An ordered list of links opening with the home link (the separators drawn by CSS),
    # outside the page's header and navigation (generic/lanxiangchaxie-733).
    found.update(
        ol
        for el in home
        if el.tag == "a"
        and HOME_WORDS_RE.match(element_text(el))
        and (li := el.getparent()) is not None
        and li.tag == "li"
        and (ol := li.getparent()) is not None
        and ol.tag == "ol"
        and ol[0] is li
        and len(ol) >= 2
        and not _has_ancestor(ol, ("header", "nav", "footer"))
    )
    for el in labelled:
        if not starts_with_location_label(el):
            continue
        found.add(el)
        if (
            el.tag in LABEL_CHILD_TAGS
            and (parent := el.getparent()) is not None
            and parent[0] is el
            and not clean_line(parent.text or "")
        ):
            found.add(parent)
    return [el for el in root.iter(etree.Element) if el in found] if found else []


def starts_with_location_label(el: etree._Element) -> bool:
    """True when the first text of ``el`` itself (not of a child) is a location label
    (当前位置：), icons without text before it allowed (``<i class="icon"></i>您现在的位置：``,
    generic/qingmuedu-315)."""
    own = clean_line(el.text or "")
    if own:
        return bool(STARTS_WITH_LABEL_RE.match(own))
    for child in el:
        if isinstance(child.tag, str) and element_text(child):
            return False
        tail = clean_line(child.tail or "")
        if tail:
            return bool(STARTS_WITH_LABEL_RE.match(tail))
    return False


# Separators of a breadcrumb printed as text (首页 > 党建园地 > 支部活动).
CRUMB_SEPARATOR_RE = re.compile(r"\s*(?:>+|»|›|→|＞+|〉|\\)\s*|\s+/\s+")
LOCATION_LABEL_RE = re.compile(
    r"^(?:" + "|".join(LOCATION_LABELS) + r"|location)\s*[:：]?\s*",
    re.IGNORECASE,
)


def text_crumb_names(text: str, title: str | None) -> list[str]:
    """Column names of a breadcrumb printed without links: ``text`` split at its
    separators, the location label, home words and the title dropped; [] without a
    separator (fixture generic/lvyuan-28)."""
    segments = CRUMB_SEPARATOR_RE.split(LOCATION_LABEL_RE.sub("", clean_line(text)))
    if len(segments) < 2:
        return []
    names = [clean_line(seg) for seg in segments]
    names = [name for name in names if name and not HOME_WORDS_RE.match(name)]
    if title and names and names[-1] == title:
        names.pop()
    return names
