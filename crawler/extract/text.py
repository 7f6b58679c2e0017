"""Plain text, HTML and media of an article body: paragraphs, tables, placeholders, lazy images."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from w3lib.url import safe_url_string

from crawler.site import absolute_url

# Characters stripped from both ends of a line: ASCII whitespace, NBSP, the en, em and thin
# spaces (&emsp;&emsp; indents) and the CJK ideographic space U+3000 that Chinese editors use
# to indent paragraphs.
STRIP_CHARS = " \t\r\n\f\v\u00a0\u2002\u2003\u2009\u3000\u200b\ufeff"
# Typographic spaces (&ensp;, &emsp;, thin spaces) too: a reader sees a space
# (generic/jinxiuzhen-431); U+3000 stays, a character of CJK text.
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f]+")

# Elements whose content is never article text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "button",
        "input",
        "select",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
    }
)
# Embedded players and documents (a video site's iframe, an <embed>): no text, but the
# article's all the same; kept in the body HTML with an absolute address.
EMBED_TAGS = frozenset({"iframe", "embed", "object"})
# Players whose content is what browsers without them show ("您的浏览器不支持 video 标签"),
# never article text; the player itself stays in the body HTML (generic/chunhuijijin-233).
PLAYER_TAGS = frozenset({"video", "audio"})
# Elements that start a new line of text (HTML block-level and table structure).
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "address",
        "center",
        "form",
        "fieldset",
        "details",
        "summary",
        "caption",
    }
)

# Classes of widgets that templates place inside or right after the body container:
# prev/next pagination of 6.x/7.x (guide §2.1 `.met-page`), 5.x `.met_page`, Baidu share
# buttons, print/close links, QR codes.  Matched as whole class tokens.
WIDGET_CLASSES = frozenset(
    {
        "met-page",
        "met_page",
        "met-shownews-footer",
        "pagination",
        "bdsharebuttonbox",
        "bdshare",
        "share",
        "social-share",
        "met-share",
        "print",
        "qrcode",
        "prevnext",
        "prev-next",
        "tags",
        "tag",
        "detail_tag",
    }
)

# Prev/next navigation lines that templates print inside a body block (3.x-5.x `div.page`
# "上一条：", 7.x "上一篇："); never article text.
NAV_LINE_RE = re.compile(
    r"^(?:上一|下一)(?:[条篇页則则组組]|[个個](?:视频|視頻|图集|圖集)?)\s*[:：]|^(?:previous|next|prev)\s*[:：]"
    # ru, es, vi, fr, de (generic/manzhoulishanghui-1146)
    r"|^[←→«»]?\s*(?:предыдущая|следующая|anterior|siguiente|bài\s+trước|bài\s+sau|"
    r"bài\s+tiếp(?:\s+theo)?|précédent|suivant|vorherige[rs]?|nächste[rs]?"
    # id, ms: Sebelumnya: / Berikutnya: (a whole-site trial of a Jakarta association)
    r"|(?:(?:berita|artikel|tulisan|pos)\s+)?(?:sebelumnya|berikutnya|selanjutnya|seterusnya)"
    # th: ก่อนหน้า: / ถัดไป: (ข่าวก่อนหน้า, บทความถัดไป; a Thai chamber's pages)
    r"|(?:ข่าว|บทความ|เรื่อง)?(?:ก่อนหน้า|ถัดไป)"
    # fr: Article précédent : / Article suivant :
    r"|(?:article|actualité|billet|publication)\s+(?:précédent|suivant)e?"
    # pt: « Matéria anterior: / Próxima matéria »:, and an English word after an arrow
    r"|(?:(?:matéria|notícia|artigo|post)\s+)?anterior|próxim[oa](?:\s+(?:matéria|notícia|artigo|post))?"
    r"|previous|next|prev"
    # ar: المقال السابق: / المقال التالي: (الخبر السابق, السابق)
    r"|(?:المقال|الخبر|الموضوع)?\s*(?:السابق|التالي)"
    # ja: 前の記事： / 次の記事： / 前へ, ko: 이전글 : / 다음글 : (whole-site trials of a
    # Japanese-default and a Korean-default association)
    r"|(?:前|次)の(?:記事|投稿|ページ|お知らせ)|前へ|次へ|이전\s*글|다음\s*글)"
    r"(?:\s+(?:новость|статья|запись|noticia|artículo|article|artikel|beitrag))?"
    # the arrow may stand between the word and its colon: Siguiente »: (an es theme)
    r"\s*[←→«»]?\s*[:：]"
    # or the word in brackets, colon or not: 【上一篇】… (generic/binjiangshangye-741)
    r"|^[【\[]\s*(?:上一[条篇页則则]|下一[条篇页則则]|previous|next|prev)\s*[】\]]",
    re.IGNORECASE,
)
# A share bar's or a tag list's line inside a body block: the label and a few names
# (Share this: Facebook VK, Etiquetas: …, Từ khóa: …; generic/suifenhezmq-96).
META_LINE_RE = re.compile(
    r"^(?:share(?:\s+this)?|share\s+on|分享到?|分享至|chia\s+sẻ|compartir|compartilhe|compartilhar|"
    r"شارك|مشاركة|partager|bagikan|แชร์|"
    r"поделиться|partager|"
    r"teilen|tags?|标签|標籤|关键词|關鍵詞|关键字|từ\s+khóa|thẻ|etiquetas|теги|метки|mots-clés|"
    r"schlagwörter|keywords?|分类|分類|categor(?:y|ies)|filed\s+under|"
    # Empire CMS's declare box (generic/dongyangmudiao-906)
    r"本文标题|本文地址|本文链接|原文链接|转载请注明(?:出处)?)\s*[:：].{0,120}$|"
    # a comment count under the text: 3条评论, 12 Comments (generic/hangzhoukuajing-1288)
    r"^\d+\s*(?:条评论|條評論|comments?)$|"
    # a divider line: ------分隔线------ (DedeCMS, generic/wenlingxieye-318)
    r"^[-=_—~*·.]{3,}\s*(?:分隔线|分隔線)?\s*[-=_—~*·.]*$",
    re.IGNORECASE,
)
# The "open this page on your phone" line of a QR block: 扫一扫在手机打开当前页, 手机扫码阅读
# (generic/lumenscjg-1208).
QR_LINE_RE = re.compile(
    r"^(?:用?(?:手机|微信))?(?:扫一扫|扫码|扫描二维码|掃一掃|掃描二維碼).{0,12}$|^手机扫码.{0,8}$|"
    # 扫描上方二维码关注“越城商会”公众号 (generic/yuechengshanghui-1290)
    r"^(?:扫描|掃描|长按|長按)(?:上方|下方|左侧|右侧|图中|圖中)(?:二维码|二維碼).{0,24}$|"
    # a WeChat account's QR code: 长按识别二维码, Scan the QR code to follow us (generic/
    # jiangnanshanghui-1836, zhongoushanghui-562)
    r"^(?:长按|長按)(?:识别|識別)?(?:图中)?(?:二维码|二維碼|图片|圖片)?.{0,16}$|"
    r"^scan\s+(?:the|this|our)?\s*qr\s*code.{0,50}$",
    re.IGNORECASE,
)
# A WeChat account's follow and share prompts pasted with an article: 点击上方蓝字关注我们,
# 👇点击下方卡片关注我们👇, 分享、点赞、在看, 阅读原文, Read the original article
# (generic/nanhujiedao-2208, dongjiangcanyin-1427).
FOLLOW_LINE_RE = re.compile(
    # (点击蓝字 关注我们 without a place too)
    r"^\W{0,4}(?:点击|點擊)(?:上方|下方|上面|下面)?.{0,10}(?:关注|關注).{0,8}$|"
    # the account id under its QR code: 微信号｜mzqsh2019; WeChat's pasted byline: 原创 明州青商会
    # 明州青商会 2024-02-20 18:00 发表于浙江 (a whole-site trial of WeChat-pasted articles)
    r"^(?:微信号|微信號|公众号|公眾號|微信公众号|微信公眾號|wechat\s*id)\s*[:：｜|]?\s*[\w.-]{3,30}$|"
    r"^原创\s.{1,40}?\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?(?:\s*发表于\S{1,8})?$|"
    # the account's name first: 江南文旅 原创 2023-12-28 13:30 (a whole-site trial of
    # WeChat-pasted articles)
    r"^\S{1,20}\s+原创\s+\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?$|"
    # 👍 点赞 👀 在看 🔗 分享: the share prompts in any order, between emoji
    r"^(?:[\W_]*(?:点赞|點讚|在看|分享|转发|轉發|收藏)){2,}[\W_]*$|"
    r"^\W{0,4}(?:分享|转发)、?(?:点赞|點讚)、?(?:在看|收藏).{0,30}$|"
    r"^(?:阅读原文|閱讀原文|read\s+the\s+original(?:\s+article)?|follow\s+us\s+on\s+wechat)\W{0,4}$|"
    # 点击阅读原文，了解更多…, 分享　点赞　在看, 点个“在看”, 分享让更多人看到 (generic/
    # ninghaishanghui-740, yongshangzhijia-2418, taizhoubengfa-1344, lishuiqiaoxiang-2071)
    r"^\W{0,6}(?:点击|點擊)?\W{0,2}(?:阅读原文|閱讀原文).{0,24}$|"
    # the same story in the site's other language: Leer esta noticia en chino: …, Read this
    # article in Chinese: …, 本文英文版：… (an es/cn chamber's translated pairs)
    r"^(?:leer\s+esta\s+noticia|ler\s+esta\s+notícia|read\s+this\s+(?:article|story|news)|"
    r"lire\s+cet\s+article)\s+(?:en|in)\s+\w+\s*[:：].{0,80}$|"
    r"^(?:阅读|閱讀|查看)?(?:本文|此文)(?:的)?(?:英文|中文|西班牙文|俄文|日文|韩文|英文版|中文版)\w{0,2}\s*[:：].{0,80}$|"
    # back to the list: 返回列表, Volver al listado, Back to list
    r"^\W{0,4}(?:返回列表|返回目录|一覧へ戻る|一覧に戻る|記事一覧へ|목록으로|목록\s*보기|"
    r"volver\s+al\s+listado|volver\s+a\s+noticias|back\s+to\s+(?:the\s+)?list|"
    r"voltar\s+(?:à|a)\s+lista)\W{0,4}$|"
    # « Back to Events, ‹ Back to 2024: a back arrow and a link's words (a whole-site trial
    # of a Hong Kong association)
    r"^[«‹<←]+\s*back\s+to\s+.{1,30}$|"
    r"^\W{0,4}(?:分享|转发)[\s、，,]*(?:点赞|點讚)[\s、，,]*(?:在看|收藏)\W{0,4}$|"
    r"^\W{0,4}点个.{0,4}在看.{0,12}$|^\W{0,4}分享(?:让|給|给)更多人看到\W{0,4}$|"
    # the second line under a pasted QR code: 获取更多自贸区政策资讯 (generic/wuhanzmqsh-1077)
    r"^(?:获取|獲取|了解|查看)更多.{0,12}(?:资讯|資訊|信息|資訊|动态|動態|精彩|内容|內容)\W{0,4}$",
    re.IGNORECASE,
)
# Pieces of the words of a NAV_LINE_RE line, lower case: a text holding none of them holds
# no such line (a plain substring test; a case-blind regex search of a whole body costs
# more than the rest of body_html).
NAV_WORD_PIECES = (
    "上一",
    "下一",
    "prev",
    "next",
    "предыдущ",
    "следующ",
    "anterior",
    "siguiente",
    "bài",
    "précédent",
    "suivant",
    "sebelumnya",
    "berikutnya",
    "selanjutnya",
    "seterusnya",
    "próxim",
    "ก่อนหน้า",
    "السابق",
    "التالي",
    "ถัดไป",
    "vorherig",
    "nächst",
    "前の",
    "次の",
    "前へ",
    "次へ",
    "이전",
    "다음",
)

# File-type icons that MetInfo's editor (UEditor) puts before each attachment link
# (…/ueditor/dialogs/attachment/fileTypeImages/icon_pdf.gif) and its emoticons: not content
# images (fixture generic/fangzhixiehui-146).
EDITOR_ICON_RE = re.compile(r"/ueditor/(?:dialogs|themes)/", re.IGNORECASE)

# Default `met_alt` / `met_atitle` placeholders that MetInfo injects into every body image or
# link lacking them (guide §2.4, 7.6 seo_label::anchor_replace): never real alt text.  A
# traditional-Chinese (tc) site prints them converted (圖片關鍵詞: a whole-site trial of a
# Macau association).
PLACEHOLDER_ALTS = frozenset(
    {
        "图片关键词",
        "链接关键词",
        "圖片關鍵詞",
        "鏈接關鍵詞",
        "MetInfo enterprise content manager system | MetInfo CMS",
    }
)

# Attributes that hold the real image URL in lazy-loading templates, in priority order
# (guide §2.5: v2 UI `data-original`, commercial `data-src`/`data-lazy`; Layui's `lay-src`,
# generic/zhongchengjixie-1206).
LAZY_SRC_ATTRS = (
    "data-original",
    "data-src",
    "data-lazy",
    "data-lazy-src",
    "data-echo",
    "lay-src",
    # jQuery lazyload's configurable attribute, lazysizes (generic/lishuinjl-419)
    "data-lazyload",
    "data-lazy-original",
    # jquery.lazyload({data_attribute: "url"}) (generic/zhenhaishipin-412)
    "data-url",
    "src",
)

# File extensions that make a body link an attachment (MetInfo's upload whitelist covers these).
ATTACHMENT_EXTENSIONS = frozenset(
    {
        "pdf",
        "ofd",  # China's national format for official electronic documents (GB/T 33190)
        "hwp",  # Hangul, Korea's word processor (generic/hanhuazonghui-1183)
        "hwpx",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "wps",
        "et",
        "dps",
        "zip",
        "rar",
        "7z",
        "gz",
        "tar",
        "txt",
        "csv",
        "rtf",
        "odt",
        "ods",
        "odp",
        "mp3",
        "mp4",
        "avi",
        "wmv",
    }
)

# Full-width ASCII (U+FF01-U+FF5E) and the ideographic space: what keeps Chinese text from
# being NFKC-normal already.  Each maps to its own NFKC form, a single character.
_FULL_WIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULL_WIDTH = {
    chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)
}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about three times faster on Chinese text.

    Replacing a character by its own compatibility decomposition leaves the NFKD form, and
    so the NFKC form, unchanged (Unicode UAX #15); after the full-width punctuation of
    Chinese text is replaced that way, the string is usually NFKC already, which
    ``unicodedata.is_normalized`` tells without building a copy.
    """
    text = _FULL_WIDTH_RE.sub(lambda m: _FULL_WIDTH[m.group()], text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


# The text of an element and everything below it, as one string (lxml.html's
# text_content(), for plain lxml elements too).
text_content = etree.XPath("string()", smart_strings=False)


def clean_line(text: str) -> str:
    """Collapse whitespace runs (NBSP included) to one space and strip the ends.

    U+3000 inside a line is kept (it is a real character in CJK text); at the ends it goes.
    """
    if _INVISIBLE_CHAR_RE.search(text):
        # Zero-width spaces and BOMs pasted inside words (generic/yuxianrm-1021), soft
        # hyphens, word joiners, zero-width (non-)joiners; a joiner inside an emoji
        # (👨‍💼) stays (generic/haishuqingqi-733, deqingshanghui-1177).
        text = _INVISIBLE_RE.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip(STRIP_CHARS)


_INVISIBLE_CHAR_RE = re.compile("[\u200b\ufeff\u00ad\u2060\u200c\u200d]")  # the cheap test
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\ufe0f"
_INVISIBLE_RE = re.compile(
    f"[\u200b\ufeff\u00ad\u2060\u200c]|(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])"
)


# A class token made of words joined by - or _ is a widget when one of its words names one
# (`share-bar`, `article-qrcode`, `bdsharebuttonbox`; fixture generic/songlin-146).
# Also tool bars (`art-tools`: print, close, font size), `fontsize`, and the pinyin
# abbreviations xgwz/xgxw/xgyd (相关文章/新闻/阅读) and tjyd (推荐阅读).
WIDGET_WORD_RE = re.compile(
    r"(?:^|[-_])(?:share|sharebar|bdshare\w*|social|qrcode|qr|ewm|erweima|"
    # print buttons, not a print view's own text and wrapper (print-text, print-wrap:
    # generic/taishunchaye-731)
    r"print(?![-_](?:text|content|body|main|wrap|page|article|con|area|detail)(?:$|[-_]))|"
    r"prevnext|"
    r"prev|next|pagination|related|relate|recommend|xiangguan|tuijian|tools?|"
    # a font-size switcher, not the utility class of a size (font-size-16: metv7 headings,
    # generic/taizhongshanghui-312)
    r"font-?size(?![-_]?\d)|"
    r"xgwz|xgxw|xgyd|xgbd|tjyd|follow|gzh|gongzhonghao|"
    # a follow-us box (hq-attention) and prev/next cards named in pinyin (sxp: 上下篇)
    # (generic/hengqinshanghui-733, tjdongjiangzbq-415)
    r"attention|guanzhu|sxp|sxy|shangxia|"
    # WeChat's own header and tool bar pasted with a post: rich_media_meta_list (account,
    # 原创, WeChat's date), rich_media_tool (阅读 赞 在看), the like GIF's __bg_gif
    # (generic/jinyunshanghui-3015, wuxingshanghui-1862)
    r"rich_media_meta\w*|rich_media_tool|bg_gif|"
    # an online-service widget: kefu (客服), zxkf (在线客服), a name ending in -kf (nd-kf; a
    # kf- prefix is a template's, 开发区: generic/jhkaifaqu-1520)
    r"kefu|zxkf|"
    # pt, es: a share bar and prev/next (compartilhe, compartir, navegacao: a Brazilian
    # chamber's template)
    r"compartilh\w*|compartir|navegacao|navegação)(?:$|[-_])|[-_]kf$",
    re.IGNORECASE,
)
# A body line (or an info-line part) made only of widget words, bracketed or not: 【打印】【关闭】,
# 【字体：大 中 小】, [Print] [Close], 分享到：, 【打印此文】 (fixtures generic/lianhuaxiehui-305,
# binhaiftz-212, songhejixie-88).
WIDGET_LINE_RE = re.compile(
    r"^(?:[\s【】〖〗\[\]()（）|｜/:：]*(?:打印(?:本页|此页|本文|此文|文章|页面|正文)?|"
    # 加入收藏 (generic/ycmcj-1577)
    r"加入收藏|收藏本文|收藏本页|"
    r"关闭(?:窗口|本页|此页|页面)?|關閉(?:視窗)?|列印(?:本頁|此頁|本文)?|(?:我要)?[纠糾][错錯]|"
    # font-size buttons A+ A- and "send to a friend" (generic/binjiangshangye-741)
    r"a[+＋]|a[-－]|(?:推荐|推薦|发送|發送|告诉|分享)给(?:好友|朋友)|"
    r"返回(?:顶部|首页|列表)?|收藏(?:本页)?|字[体體号號]|大|中|小|分享(?:到)?|share|"
    # DedeCMS and Discuz article buttons (generic/wenlingxieye-318, yiwuqingqi-1809)
    r"挑错|推荐|邀请|举报|评论|打印本页|关闭窗口|"
    r"print(?:\s+this\s+page)?|close(?:\s+window)?|back(?:\s+to\s+top)?|font(?:\s*size)?|"
    # ru, es, vi, fr, de print/close/share words (generic/manzhoulishanghui-1146)
    r"версия\s+для\s+печати|печать|закрыть(?:\s+окно)?|поделиться|imprimir|cerrar|compartir|"
    r"in\s+bài(?:\s+viết)?|đóng|chia\s+sẻ|imprimer|fermer|partager|drucken|schließen|teilen|"
    r"share\s+this|"
    # a fold's control: 展开全文 ↓, 展開全文 ▾ (generic/wenlingxiehui-1036, quanwanshanghui-612)
    r"(?:展开|展開|查看|显示|顯示|阅读|閱讀|展开阅读|展開閱讀)?(?:全文|更多)|继续阅读|繼續閱讀|"
    r"收起(?:全文)?|read\s+more|show\s+more|continue\s+reading|"
    # a folded translation's control: Show Chinese original ▾ (generic/wzqiaolian-1530)
    r"(?:show|hide|view|see)\s+(?:the\s+)?(?:chinese|english)?\s*(?:original|version|"
    r"translation)|查看原文|显示原文|顯示原文|查看中文(?:原文)?)"
    r")+[\s【】〖〗\[\]()（）|｜/:：↓↑▾▴▼▲∨∧⌄˅»]*$",
    re.IGNORECASE,
)


# Ids of a WeChat article's header pasted with its text: the account, author and time
# line (div#meta_content, em#publish_time; a whole-site trial of WeChat-pasted articles).
WIDGET_IDS = frozenset({"meta_content", "publish_time", "js_name", "js_tags"})


def is_widget(el: etree._Element) -> bool:
    """True for elements that are share/print/QR/prev-next widgets rather than content
    (:data:`WIDGET_CLASSES`, :data:`WIDGET_IDS`).  A ``tag`` class names a widget only
    around links (an article's tags): a label styled as a tag, ``<span class="tag">编者按
    </span>``, is text (generic/jiangbeishanghui-1208)."""
    if el.get("id") in WIDGET_IDS:
        return True
    value = el.get("class")
    if not value or not _widget_class(value):
        return False
    return not _tag_label_only(value) or el.find(".//a") is not None


@lru_cache(maxsize=1024)
def _tag_label_only(value: str) -> bool:
    """True when the only widget word of a class attribute is ``tag``."""
    hits = [c for c in value.split() if c in WIDGET_CLASSES or WIDGET_WORD_RE.search(c)]
    return all(c == "tag" for c in hits)


@lru_cache(maxsize=4096)
def _widget_class(value: str) -> bool:
    """True when a class attribute names a widget.  A body's text, HTML and media passes
    ask this of the same few class strings for every element: the answer is kept."""
    return any(c in WIDGET_CLASSES or WIDGET_WORD_RE.search(c) for c in value.split())


# The heading of a "related articles" box inside a body block, whatever its class
# (generic/beiyanshanghui-1207: div.show-xg under 相关文章).
RELATED_HEADING_RE = re.compile(
    r"^(?:相关|相關|推荐|推薦|延伸|热门|熱門)(?:文章|新闻|新聞|阅读|閱讀|资讯|資訊|链接|鏈接|推荐|內容|内容|解读|解讀|信息|資訊|视频|視頻|图集|圖集|图片|圖片|报道|報道|報導|稿件"
    # a maker's products and cases under its news (a whole-site trial of a pump maker)
    r"|产品|產品|案例|服务|服務)"
    # (generic/beilunjianxie-519)
    r"|^往期(?:阅读|閱讀)|^更多(?:阅读|閱讀|新闻|新聞|资讯|資訊|报道|報道)"
    r"|^(?:编辑|編輯|小编|小編|精彩|热点|熱點)(?:推荐|推薦)|^(?:相关|相關)$"
    r"|^猜你喜欢|^[你您]?可能(?:还|也)?(?:感兴趣|喜欢)|^you\s+might\s+also\s+like|"
    r"^(?:tin|bài\s+viết)\s+(?:liên\s+quan|khác)|^читайте\s+также|^похожие\s+(?:новости|статьи)|"
    r"^(?:noticias|artículos)\s+relacionad[oa]s|^往期(?:推荐|推薦|回顾|回顧|精选|精選|精彩|内容|文章)|"
    r"^精彩(?:回顾|回顧|推荐|推薦)|^articles?\s+(?:liés|similaires)|"
    r"^verwandte\s+(?:artikel|beiträge)|^related\s+(?:articles?|news|posts?|reading|links?|products?|cases?)|^you\s+may\s+also\s+like|"
    # ja: 関連記事, おすすめ記事; ko: 관련 기사, 관련글
    r"^関連(?:記事|ニュース|情報|リンク)|^(?:おすすめ|オススメ|人気)(?:記事|ニュース)|^관련\s*(?:기사|글|뉴스|게시물)",
    re.IGNORECASE,
)
RELATED_BOX_TAGS = frozenset({"div", "section", "ul", "dl", "table", "aside"})
# The longest heading of a related-articles box.
RELATED_HEADING_CHARS = 24  # "You might also like", "Читайте также"


def _related_heading_line(line: str) -> bool:
    """A line that is only a related-articles heading (相关阅读：), left behind by a list of
    links dropped as a widget (generic/huangshanlvxie-2206); between arrows too."""
    line = line.strip(HEADING_DECOR_CHARS)
    return (
        len(line.rstrip(":：")) <= RELATED_HEADING_CHARS
        and bool(RELATED_HEADING_RE.match(line))
        # not a sentence of the text that opens with the words (相关产品将于2026年…生产。,
        # a whole-site trial of a chamber in Frankfurt)
        and not line.endswith(("。", "！", "？", ".", "!", "?"))
    )


def first_text(el: etree._Element) -> str:
    """The first non-empty piece of text in ``el``, whitespace-collapsed ("" for none):
    a box's heading."""
    return next((t for t in map(clean_line, el.itertext()) if t), "")


# The heading of a comments box inside a body block: 网友评论（共2条）, 发表评论, Comments (3)
# (generic/yunhelvxie-1520, minjiangwuliu-1288).
COMMENT_HEADING_RE = re.compile(
    r"^(?:网友评论|網友評論|网友留言|用户评论|读者评论|读者留言|全部评论|最新评论|发表评论|發表評論|"
    r"(?:网友|網友)?(?:热评|熱評)|精彩(?:评论|評論|留言)|"
    r"评论|評論|留言|comments?|leave\s+a\s+(?:comment|reply)|"
    # 大家说（6）, 网友说, 评论区 (generic/donghaiyuye-1322)
    r"大家说|大家說|网友说|網友說|读者说|讀者說|评论区|評論區|留言区|留言區|互动区|互動區)"
    r"\s*(?:[（(]\s*(?:共\s*)?\d+\s*(?:条|條)?\s*[)）])?\s*[:：]?$",
    re.IGNORECASE,
)


def is_related_box(el: etree._Element) -> bool:
    """True for a box that opens with a related-articles heading (相关文章, 推荐阅读,
    Related news: :data:`RELATED_HEADING_RE`, colon allowed) and holds links, or with a
    comments heading (:data:`COMMENT_HEADING_RE`): readers' text, not the article's."""
    if el.tag not in RELATED_BOX_TAGS:
        return False
    heading = first_text(el)
    if COMMENT_HEADING_RE.match(heading):
        return True
    return (
        bool(RELATED_HEADING_RE.match(heading))
        and len(heading.rstrip(":：")) <= RELATED_HEADING_CHARS
        and el.find(".//a") is not None
    )


# Tags of a prev/next line or a QR block inside a body: a line or a small box.
NAV_BOX_TAGS = frozenset({"p", "div", "li", "dd", "span", "section"})
# The word of a prev/next line in an element of its own, colon or not: <span>上一篇</span>
# <a>…</a> (generic/qingshuikfq-733).
NAV_WORD_ONLY_RE = re.compile(
    r"^(?:上一[条篇页則则]|下一[条篇页則则]|previous(?:\s+(?:article|post|news))?|"
    r"next(?:\s+(?:article|post|news))?|prev|[«≪]?\s*(?:前|次)の(?:記事|投稿)|[«≪]?\s*前へ|次へ\s*[»≫]?|"
    r"이전\s*글|다음\s*글)\s*[:：]?$",
    re.IGNORECASE,
)
# The longest first text of a prev/next box (上一篇：) or a QR block (its prompt).
BOX_HEAD_MAX_CHARS = 70
# The longest text of a prev/next box (two titles) and of a QR block.
NAV_BOX_CHARS = 160
QR_BOX_CHARS = 60


# The text of a footnote's link back to its marker.
BACK_REFERENCE_TEXTS = frozenset(
    {"↩", "↩︎", "↑", "^", "返回", "[返回]", "返回正文", "[返回正文]", "回到正文", "back", "return"}
)


@lru_cache(maxsize=4096)
def _hidden_style(style: str) -> bool:
    """True for an inline style that hides its element (display:none, visibility:hidden)."""
    squeezed = style.replace(" ", "").lower()
    return "display:none" in squeezed or "visibility:hidden" in squeezed


# A fold's control that shows the rest of the text: 阅读全文, 展开全文, Read more.
FOLD_WORDS_RE = re.compile(
    r"(?:展开|展開|查看|显示|顯示|阅读|閱讀)?全文|继续阅读|繼續閱讀|read\s+more|show\s+more",
    re.IGNORECASE,
)


def revealed_by_fold(el: etree._Element) -> bool:
    """True for a hidden element with an id that a fold's control on the page shows (an
    ``onclick``, ``href`` or ``data-target`` naming the id on a 阅读全文 link): the rest of
    the text, hidden until tapped (``<div id="qtMore" style="display:none">``,
    generic/qiantangwenlv-2316); or with an id or class that a script of the page shows
    (:func:`revealed_by_script`)."""
    ident = el.get("id")
    if ident and re.fullmatch(r"[\w-]+", ident):
        if shown_in_turn(el):
            return True
        root = el.getroottree().getroot()
        for control in root.iter("a", "button", "span", "div", "p"):
            named = " ".join(control.get(a) or "" for a in ("onclick", "href", "data-target"))
            if ident in named and FOLD_WORDS_RE.search(text_content(control)):
                return True
    return revealed_by_script(el)


def revealed_by_script(el: etree._Element) -> bool:
    """True for a hidden element that a script of the page shows, by its id or its first
    class (``getElementById('postContent').style.display='block'``, ``$('.a-content')
    .fadeIn()``: the text shown once the page has loaded, a whole-site trial of a
    script-heavy template); never a loading placeholder a script shows while it waits
    (正在加载…)."""
    names = [n for n in ((el.get("id") or ""), *(el.get("class") or "").split()[:1]) if n]
    names = [n for n in names if re.fullmatch(r"[\w-]{3,}", n)]
    if not names or LOADING_TEXT_RE.match(text_content(el).strip()):
        return False
    for script in el.getroottree().getroot().iter("script"):
        code = script.text or ""
        if REVEAL_SCRIPT_RE.search(code) and any(
            re.search(rf"['\"][#.]?{re.escape(n)}['\"]", code) for n in names
        ):
            return True
    return False


# A placeholder a script shows or replaces: 正在加载，请稍候…, Loading...
LOADING_TEXT_RE = re.compile(
    r"^\W{0,3}(?:正在加载|加载中|内容加载中|正在載入|載入中|正在加載|加載中|loading)[^。.!！]{0,16}$",
    re.IGNORECASE,
)


# A script that shows a hidden element: style.display = 'block', jQuery's show()/fadeIn().
REVEAL_SCRIPT_RE = re.compile(
    r"display\s*=\s*['\"](?:block|flex|inline|inline-block)?['\"]|\.(?:show|fadeIn|slideDown)\(",
    re.IGNORECASE,
)


def shown_in_turn(el: etree._Element) -> bool:
    """True for a hidden one of the numbered parts of a text that a pager shows one at a
    time (``div.art-page#artpage2`` hidden beside the shown ``#artpage1``, a 第 1/3 页
    switcher): a sibling of the same tag and class, numbered in the same series, is not
    hidden."""
    if not isinstance(el.tag, str) or not _hidden_style(el.get("style") or ""):
        return False
    match = SERIES_ID_RE.fullmatch(el.get("id") or "")
    parent = el.getparent()
    if match is None or parent is None:
        return False
    stem = match["stem"]
    for sibling in parent:
        other = sibling.get("id") or "" if isinstance(sibling.tag, str) else ""
        if (
            sibling is not el
            and sibling.tag == el.tag
            and sibling.get("class") == el.get("class")
            and (found := SERIES_ID_RE.fullmatch(other)) is not None
            and found["stem"] == stem
            and not _hidden_style(sibling.get("style") or "")
        ):
            return True
    return False


# An id numbered in a series: artpage2, page-3, part_1.
SERIES_ID_RE = re.compile(r"(?P<stem>.*?[^\d])(?P<n>\d{1,2})")


def _back_reference(a: etree._Element) -> bool:
    """True for a footnote's link back to its marker: ``<a href="#r1">↩</a>``."""
    return (a.get("href") or "").strip().startswith("#") and clean_line(
        text_content(a)
    ) in BACK_REFERENCE_TEXTS


# The heading of a table of contents in a body: 本文目录, 目录, Contents.
TOC_HEADING_RE = re.compile(
    r"^(?:本文|文章)?(?:目录|目錄|导航|導航)$|^(?:table\s+of\s+)?contents$", re.I
)


TOC_BOX_TAGS = RELATED_BOX_TAGS | {"nav", "ol", "p"}
TOC_HEADING_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})


def _short_own_text(el: etree._Element) -> bool:
    """True when the text of ``el`` and its only child, spaces aside, is a short word (a
    heading such as 目　录): the cheap test before a look at what follows."""
    text = (el.text or "") + ((el[0].text or "") if len(el) else "")
    squeezed = "".join(text.split())
    return 0 < len(squeezed) <= TOC_HEADING_MAX_CHARS


TOC_HEADING_MAX_CHARS = 12


def is_toc_box(el: etree._Element) -> bool:
    """True for a table of contents in a body: a box whose links all lead to anchors of the
    page (``#s1``), headed 目录 or made of those links alone (generic/wenzhouzhiku-1903), or
    a 目录 heading line right before such a box."""
    if (
        el.tag in TOC_HEADING_TAGS
        and len(el) <= 1
        and _short_own_text(el)
        and (nxt := el.getnext()) is not None
        and nxt.tag in TOC_BOX_TAGS
        and (link := next(nxt.iter("a"), None)) is not None
        and (link.get("href") or "").lstrip().startswith("#")
    ):
        # the 目　录 heading of the box that follows it (generic/jiaodongshanghui-2608)
        heading = "".join(clean_line(text_content(el)).split()).strip(":：")
        if len(heading) <= 20 and TOC_HEADING_RE.match(heading):
            return is_toc_box(nxt)
    if el.tag not in TOC_BOX_TAGS:
        return False
    first = next(el.iter("a"), None)
    if first is None or not (first.get("href") or "").lstrip().startswith("#"):
        return False  # most boxes: no link, or one that leads elsewhere
    links = [a.get("href") or "" for a in el.iter("a")]
    if len(links) < 2 or not all(
        href.strip().startswith("#") and len(href.strip()) > 1 for href in links
    ):
        return False
    text = "".join(clean_line(text_content(el)).split())
    linked = "".join("".join(clean_line(text_content(a)).split()) for a in el.iter("a"))
    rest = text.replace(linked, "", 1) if text.endswith(linked) else None
    return rest == "" or (rest is not None and bool(TOC_HEADING_RE.match(rest.strip(":："))))


def is_furniture_box(el: etree._Element) -> bool:
    """True for a box in a body block that is no article text: related articles or
    comments (:func:`is_related_box`), prev/next or a QR block (:func:`is_nav_or_qr_box`),
    a table of contents, a newsletter sign-up or an author's bio (:func:`is_promo_box`).
    The text, HTML and media passes all skip these."""
    return is_related_box(el) or is_nav_or_qr_box(el) or is_toc_box(el) or is_promo_box(el)


# The heading of an author's bio box: About the author, 作者简介.
ABOUT_AUTHOR_RE = re.compile(
    r"^(?:about\s+the\s+(?:author|writer)|关于作者|關於作者|作者简介|作者簡介|作者介绍|作者介紹)\s*[:：]?$",
    re.IGNORECASE,
)
# The most text of a sign-up box (a heading, a line, a form and a privacy note).
PROMO_BOX_CHARS = 300


def is_promo_box(el: etree._Element) -> bool:
    """True for a box inside the text that is a newsletter sign-up (a short box holding a
    form) or an author's bio under its heading (:data:`ABOUT_AUTHOR_RE`): page furniture an
    editor's template puts between the paragraphs (a whole-site trial of an English
    chamber)."""
    if el.tag not in RELATED_BOX_TAGS or not len(el):
        return False
    if ABOUT_AUTHOR_RE.match(first_text(el)):
        return True
    return el.find(".//form") is not None and len(clean_line(text_content(el))) <= PROMO_BOX_CHARS


# A "read also" word before a link to another article, inline in the text: 相关阅读：<a>…</a>,
# Baca juga: <a>…</a> (generic/balihuaren-88), Read also:, See also:.
READ_ALSO_RE = re.compile(
    r"^(?:相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|相关链接|相關鏈接|阅读更多|更多阅读|"
    r"read\s+(?:also|more)|see\s+also|also\s+read|baca\s+juga|lihat\s+juga|xem\s+thêm|"
    r"читайте\s+также|lesen\s+sie\s+auch|lire\s+aussi|leia\s+também|"
    # ar: اقرأ أيضاً
    r"[اإ]قرأ\s+أيضا[ًٌ]?|اقرأ\s+ايضا)\s*[:：]?$",
    re.IGNORECASE,
)


# The heading of a box of links to the documents that go with a government notice
# (政策解读, 相关解读, 相关文件, 相关政策: a 政务公开 portal's box under the text, which may be
# the only link to an article kept off the lists; a whole-site trial of a district portal).
# Not a related-articles heading for the text (a section of the text may be titled 政策解读):
# only the spider's links to follow (spiders.metinfo.read_also_links).
LINKED_DOCS_RE = re.compile(
    r"^(?:(?:政策|图文|圖文|图片|圖片|视频|視頻)?(?:解读|解讀)|(?:相关|相關)(?:文件|政策|解读|解讀))"
    r"\s*[:：]?$"
)
# Related boxes of another module's pages (a maker's 相关产品 under its news): not followed.
OTHER_MODULE_BOX_RE = re.compile(r"产品|產品|案例|服务|服務|product|case", re.IGNORECASE)


# The word before links to the same article in other languages (a template's language
# bar beside the text: Other languages: 简体中文 日本語 한국어, tests/sites fourlang-park).
LANGUAGE_BAR_RE = re.compile(
    r"^(?:other\s+languages?|languages?|other\s+versions?|其他语言|其他語言|语言版本|語言版本|"
    r"他の言語|言語|다른\s*언어|언어)\s*[:：]?$",
    re.IGNORECASE,
)


def is_nav_or_qr_box(el: etree._Element) -> bool:
    """True for a prev/next box whose word has no colon (``<span>上一篇</span><a>…</a>``,
    generic/qingshuikfq-733: it opens with the word alone and holds a link), for a
    "read also" line or a bar of the article's other languages (:data:`READ_ALSO_RE`,
    :data:`LANGUAGE_BAR_RE`, and links only), and for a small QR block: an
    image with only a "scan to open on your phone" line (:data:`QR_LINE_RE`,
    generic/lumenscjg-1208).  None is article text."""
    if el.tag not in NAV_BOX_TAGS or not len(el):
        return False
    own = el.text.strip(STRIP_CHARS) if el.text else ""
    if not own and _qr_picture(el):
        return True
    if len(own) > BOX_HEAD_MAX_CHARS:
        return False  # a paragraph opening with its own text: no need to look further
    head = own or first_text(el)
    if NAV_WORD_ONLY_RE.match(head):
        return el.find(".//a") is not None and len(clean_line(text_content(el))) <= NAV_BOX_CHARS
    if QR_LINE_RE.match(head) and el.find(".//img") is not None:
        return len(clean_line(text_content(el))) <= QR_BOX_CHARS
    if READ_ALSO_RE.match(head) or LANGUAGE_BAR_RE.match(head):
        links = "".join(text_content(a) for a in el.iter("a"))
        rest = clean_line(text_content(el))[len(head) :]
        return bool(links.strip()) and "".join(rest.split()) == "".join(links.split())
    return False


def _qr_picture(el: etree._Element) -> bool:
    """True for a paragraph that is only a picture, right before a "scan to follow" line
    (扫码关注我们): a pasted QR code, whatever its file name (generic/wuhanzmqsh-1077)."""
    after = el.getnext()
    if after is None or not isinstance(after.tag, str):
        return False
    line = text_content(after)
    if len(line) > QR_BOX_CHARS or not any(word in line for word in QR_WORDS):
        return False  # the usual paragraph after a picture: a caption or the text
    return (
        el.find(".//img") is not None
        and not clean_line(text_content(el))
        and bool(QR_LINE_RE.match(clean_line(line)))
    )


# Words every QR_LINE_RE line holds one of (a cheap test before the pattern).
QR_WORDS = ("扫", "掃", "长按", "長按", "scan", "Scan", "SCAN")


# Marks a line of a <pre> block between _walk and text_lines (NUL never reaches a parsed
# page's text: the parser drops it).
PRE_LINE = "\x00"


_QUOTE_MARKS = "“”\"'‘’「」『』 \n\t\u3000。，！？；.,!?;…"


PULL_QUOTE_CLASS_RE = re.compile(r"pull-?quote|pull_quote", re.IGNORECASE)


def _repeats_text(el: etree._Element, out: list[str]) -> bool:
    """True when the text of ``el`` (its quotation marks aside) is already in the text read
    so far: a pull quote."""
    own = "".join(text_content(el).split()).strip(_QUOTE_MARKS)
    return bool(own) and own in "".join("".join(out).split())


def _skipped(el: etree._Element) -> bool:
    """True for an element whose content is never article text (:data:`SKIP_TAGS`); not
    for an ``<embed>`` holding elements: a void element in HTML, which lxml's parser
    (libxml2) lets hold everything after it up to its parent's end (the text after an old
    Flash player, tests/test_text.py)."""
    return el.tag in SKIP_TAGS and not (el.tag == "embed" and len(el))


def _walk(el: etree._Element, out: list[str], exclude: frozenset = frozenset()) -> None:
    """Append the text of ``el`` (not its tail) to ``out``, with ``\\n`` at block edges.

    Elements in ``exclude`` (the title or info line inside a body block) give no text, nor
    do widgets and related-articles boxes (:func:`is_related_box`).
    """
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None or _skipped(el) or tag in PLAYER_TAGS or is_widget(el) or el in exclude:
        return
    if (
        (tag in ("aside", "blockquote") and out and _repeats_text(el, out))
        or (tag == "a" and _back_reference(el))
        # a pull quote by its class, before or after the words it repeats
        # (article__pullquote, wp-block-pullquote: generic/cdukbiz-58, nbshipassoc-1024)
        or PULL_QUOTE_CLASS_RE.search(el.get("class") or "")
    ):
        # a pull quote repeating the text, a footnote's ↩ (generic/wenzhouzhiku-1903); an
        # aside of its own (知识链接, generic/xiamenhaiyang-620) is text
        return
    if (style := el.get("style")) and _hidden_style(style) and not revealed_by_fold(el):
        return  # a Word draft's hidden note (mso-hide:all, generic/tongxiangshanghui-88)
    if is_furniture_box(el):
        return
    if tag == "br":
        out.append("\n")
        return
    if tag == "table" and not is_layout_table(el):
        out.append("\n")
        for row in _table_rows(el):
            out.append(row)
            out.append("\n")
        return
    if tag == "pre":
        # Preformatted lines keep their inner spacing (columns aligned with spaces,
        # generic/northlakecc-204): each is marked for text_lines; a <br> ends one too
        # (generic/wuyiwujin-905).
        out.append("\n")
        for line in _pre_text(el).split("\n"):
            out.append(PRE_LINE + line.replace("\t", "    ") + "\n")
        return
    block = tag in BLOCK_TAGS
    if block:
        out.append("\n")
    if el.text:
        out.append(_flow(el.text))
    related = False  # the child before was a related-articles heading of its own
    for child in el:
        if related and (_link_only(child) or _bullet_only(child)):
            # a link under a 往期推荐 heading, box-less (generic/dongjiangcanyin-1427), or a
            # title whose link the paste lost: ● title (generic/yuechengshanghui-1290)
            pass
        else:
            _walk(child, out, exclude)
            related = child.tag in HEADING_LINE_TAGS and _heading_line_box(child)
        if child.tail:
            out.append(_flow(child.tail))
    if block:
        out.append("\n")


# Whitespace that the HTML source carries for its own layout: a line break or a tab
# (template indentation, a paragraph wrapped over source lines).  A browser shows it as one
# space, or nothing between two Chinese characters (generic/yiwushanghui-1208,
# wujiangchamber-77, cixichamber-1419, xiaoshanjianxie-1066).
_SOURCE_BREAK_RE = re.compile(r"[ \t\r\n\f\v]*[\t\r\n][ \t\r\n\f\v]*")
_CJK_CHAR_RE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _flow(text: str) -> str:
    """``text`` with its source line breaks and tabs as a browser flows them."""
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return text
    if text.isspace():
        return " "  # the indentation between two elements

    def space(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        cjk = _CJK_CHAR_RE.match(before) and _CJK_CHAR_RE.match(after)
        # (a tab is a space whatever it stands between; a line break between two Chinese
        # characters is nothing)
        return "" if cjk and "\t" not in m.group() else " "

    return _SOURCE_BREAK_RE.sub(space, text)


def _pre_text(el: etree._Element) -> str:
    """The text of a ``<pre>`` with each ``<br>`` as a line break."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag == "br" else _pre_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _heading_line_box(el: etree._Element) -> bool:
    """True when ``el``'s whole text is a related-articles heading line (往期推荐, or ▼ 往期回顾
    ▼ between arrows: generic/yongshangzhijia-2418)."""
    head = el.text.strip(STRIP_CHARS) if el.text and el.text.strip(STRIP_CHARS) else None
    if head is not None and len(head) > RELATED_HEADING_CHARS + 2:
        return False  # a paragraph, not a heading: no need to read it whole
    head = (head or first_text(el)).strip(HEADING_DECOR_CHARS)
    return bool(RELATED_HEADING_RE.match(head)) and _related_heading_line(
        clean_line(text_content(el)).strip(HEADING_DECOR_CHARS)
    )


# Arrows and marks a pasted heading stands between: ▼ 往期回顾 ▼, —— 推荐阅读 ——.
HEADING_DECOR_CHARS = "▼▲▽△↓↑⬇︎●○■□◆◇★☆—–-·•|｜ \u3000"


def _bullet_only(el: etree._Element) -> bool:
    """True for a short line that opens with a bullet (● 越城商会召开三届五次理事会): an
    entry of a list of titles."""
    if not isinstance(el.tag, str) or el.tag not in HEADING_LINE_TAGS | {"li"}:
        return False
    text = clean_line(text_content(el))
    return bool(text) and text[0] in "●•▪◆■▶►▸‣○◇□" and len(text) <= BULLET_TITLE_CHARS


# The longest title line of a list whose links a paste lost.
BULLET_TITLE_CHARS = 60


# Elements that may hold a related-articles heading line of their own.
HEADING_LINE_TAGS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "section"})


def _link_only(el: etree._Element) -> bool:
    """True for a block whose whole text is its links' (a list entry: <p><a>…</a></p>)."""
    if not isinstance(el.tag, str) or el.tag not in HEADING_LINE_TAGS | {"ul", "ol", "li"}:
        return False
    # a bullet before the link is no text of its own (▪ <a>…</a>, generic/anjibaicha-930)
    text = clean_line(text_content(el)).lstrip(BULLET_CHARS)
    # and the entry's date after it in brackets: <a>…</a>（2023年3月15日）
    # (generic/yinzhouqiaolian-417)
    text = ENTRY_DATE_END_RE.sub("", text)
    links = "".join(clean_line(text_content(a)) for a in el.iter("a"))
    return bool(text) and "".join(text.split()) == "".join(links.split())


# A date in brackets at the end of a list entry: （2023年3月15日）, [2024-06-12].
ENTRY_DATE_END_RE = re.compile(r"\s*[（(\[【]\s*[\d年月日./-]{6,12}\s*[）)\]】]\s*$")


BULLET_CHARS = "▪▫•·●○◆◇■□▶►▸‣-–*> \u3000"


def is_layout_table(table: etree._Element) -> bool:
    """True for a table used for layout: every row of its own has one cell (a box around
    paragraphs, old templates' bodies; generic/shuguangdianqi-412).  Its cells read as
    blocks, not as rows of cells."""
    rows = [row for row in table.iter("tr") if nearest_table(row) is table]
    return bool(rows) and all(
        sum(1 for cell in row if cell.tag in ("td", "th")) == 1 for row in rows
    )


def _table_rows(table: etree._Element) -> Iterator[str]:
    """Yield the table's ``<caption>``, then one line per ``<tr>``: its cells' text joined by
    a tab (nested tables flattened)."""
    for caption in table.iterchildren("caption"):
        parts: list[str] = []
        _walk_inline(caption, parts)
        if line := clean_line("".join(parts)):
            yield line  # shown above the rows (generic/fengchengtjj-233)
    # Rows of a nested table are reached by iter() too: they are not rows of this table.
    rows = [row for row in table.iter("tr") if nearest_table(row) is table]
    # A <tfoot> shows under the rows wherever the markup puts it (generic/fengchengtjj-233).
    rows.sort(key=lambda row: row.getparent().tag == "tfoot")
    for row in rows:
        cells = []
        pictures = 0  # empty cells that hold a picture
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            parts: list[str] = []
            _walk_inline(cell, parts)
            cells.append(clean_line("".join(parts)))
            if not cells[-1] and cell.find(".//img") is not None:
                pictures += 1
        texts = [text for text in cells if text]
        if len(texts) == 1 and pictures == len(cells) - 1:
            # A picture beside a paragraph (a portrait and a quote): the paragraph alone
            # (generic/taihuqilian-773).
            yield texts[0]
        elif texts:
            yield "\t".join(cells)


def nearest_table(el: etree._Element) -> etree._Element | None:
    """The nearest ``<table>`` above ``el`` (not ``el`` itself), or None."""
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _walk_inline(el: etree._Element, out: list[str]) -> None:
    """Text of a table cell on one line: block edges and ``<br>`` become spaces."""
    parts: list[str] = []
    _walk(el, parts)
    # Inline fragments join as they are ("明前" + "<a>龙井</a>"); line breaks become spaces.
    out.append("".join(parts).replace(PRE_LINE, "").replace("\n", " "))


def text_lines(el: etree._Element, exclude: frozenset = frozenset()) -> list[str]:
    """The paragraphs of ``el`` as cleaned, non-empty lines in document order.

    Block elements and ``<br>`` end a line; a table gives one line per row with its cells
    joined by a tab; scripts, styles, comments, images and widgets give nothing.
    """
    out: list[str] = []
    _walk(el, out, exclude)
    lines: list[str] = []
    for chunk in "".join(out).split("\n"):
        # A table row keeps its tabs; a <pre> line its spaces; everything else is
        # whitespace-collapsed.
        if chunk.startswith(PRE_LINE):
            line = chunk[len(PRE_LINE) :].strip(STRIP_CHARS)
        elif "\t" in chunk:
            # Empty cells keep their place (a blank corner cell aligns the header row).
            line = "\t".join(clean_line(cell) for cell in chunk.split("\t"))
            line = line.strip(STRIP_CHARS.replace("\t", ""))
            if not line.strip():
                continue
        else:
            line = clean_line(chunk)
            if line.startswith(("【", "[")):
                line = WIDGET_HEAD_RE.sub("", line)
        if (
            line
            and not NAV_LINE_RE.match(line)
            and (not _widget_line(line) or _paper_keywords(line, lines))
        ):
            lines.append(line)
    return lines


# A paper's abstract and its keywords line right under it (摘要：… 关键词：…): text, not a
# site's tag bar (generic/fujianjingjixh-1508).
ABSTRACT_LINE_RE = re.compile(r"^(?:【\s*)?(?:摘\s*要|内容提要|abstract)\s*[】:：]", re.IGNORECASE)
KEYWORDS_LINE_RE = re.compile(r"^(?:关键词|關鍵詞|关键字|keywords?)\s*[:：]", re.IGNORECASE)


def _paper_keywords(line: str, lines: list[str]) -> bool:
    return (
        bool(lines)
        and bool(KEYWORDS_LINE_RE.match(line))
        and bool(ABSTRACT_LINE_RE.match(lines[-1]))
    )


# The longest line that may be a widget's, a QR block's, a follow prompt's, a share or tag
# bar's or a related-articles heading (every such pattern is shorter): a paragraph longer
# than this is text without asking each pattern.
WIDGET_LINE_MAX_CHARS = 120


def _widget_line(line: str) -> bool:
    """True for a body line that is page furniture: widget words, a QR or follow prompt, a
    share or tag bar, a related-articles heading."""
    return len(line) <= WIDGET_LINE_MAX_CHARS and bool(
        WIDGET_LINE_RE.match(line) or FURNITURE_LINE_RE.match(line) or _related_heading_line(line)
    )


# A gallery's control bar: 1/5 自动播放 查看原图 (generic/haiyanwenlian-1136).
GALLERY_BAR_RE = re.compile(
    r"^(?:\d+\s*/\s*\d+\s*)?(?:(?:自动播放|自動播放|查看原图|查看原圖|上一张|下一张|上一張|下一張|"
    r"播放|暂停|暫停|全屏|缩略图|縮略圖|原图|原圖)\s*)+$"
)
# An article's own pages, when the editor split it: 本文共3页 第1页 2 3 下一页 尾页
# (generic/luqiaoshanghui-2290).
# Also 共3页 without 本文, « and » around the row, >> after 下一页, and the numbers glued
# when CSS draws them as buttons: 123下一页>> (generic/haishuxiehui-1702, cixiqiye-845,
# yuyaojiadian-733).
_PAGER_MARKS = r"[\s«»<>‹›]*"
ARTICLE_PAGER_LINE_RE = re.compile(
    r"^" + _PAGER_MARKS + r"(?:(?:本文)?共\s*\d+\s*[页頁]\s*)?(?:第\s*\d+\s*[页頁]\s*)?"
    r"(?:(?:\d+|上一[页頁]|下一[页頁]|首[页頁]|尾[页頁]|末[页頁])" + _PAGER_MARKS + r")*"
    r"(?:上一[页頁]|下一[页頁]|尾[页頁]|末[页頁])"
    r"(?:" + _PAGER_MARKS + r"(?:\d+|尾[页頁]|末[页頁]))*" + _PAGER_MARKS + r"$"
)
# A site's reprint disclaimer printed under every reprinted article: 声明：本网转载的文章…
# 第一时间删除 (generic/xiaoshanhuagong-1455).
DISCLAIMER_LINE_RE = re.compile(
    r"^[【\[(（]?(?:免责)?(?:声明|聲明|版权声明|版權聲明)\s*[】\])）]?\s*[:：].*"
    r"(?:转载|轉載|版权|版權|删除|刪除|观点|觀點)"
)
# QR_LINE_RE, FOLLOW_LINE_RE, META_LINE_RE and the lines above in one pattern (one match
# per line).
FURNITURE_LINE_RE = re.compile(
    "|".join(
        f"(?:{rx.pattern})"
        for rx in (
            QR_LINE_RE,
            FOLLOW_LINE_RE,
            META_LINE_RE,
            GALLERY_BAR_RE,
            ARTICLE_PAGER_LINE_RE,
            DISCLAIMER_LINE_RE,
        )
    ),
    re.IGNORECASE,
)
# Widget words in brackets at the head of a line that is text otherwise: 【纠错】 【责任编辑：…】
# (generic/cixiwaimao-716).
WIDGET_HEAD_RE = re.compile(
    r"^(?:[【\[]\s*(?:(?:我要)?[纠糾][错錯]|打印|列印|关闭|關閉|收藏|分享|返回顶部)\s*[】\]]\s*)+(?=\S)"
)


def body_text(el: etree._Element, exclude: frozenset = frozenset()) -> str:
    """The article text of a body container: :func:`text_lines` joined by ``\\n``."""
    return "\n".join(text_lines(el, exclude))


# Layout pictures of table templates: spacer.gif, blank.gif, a 1-pixel line (generic/
# huatengmachinery-88).  Never content.
SPACER_RE = re.compile(r"(?:^|/)(?:spacer|blank|space|pixel|dot|1x1|clear)\.(?:gif|png)$", re.I)


# The class of a blurred low-resolution stand-in laid over the real picture until it loads.
PLACEHOLDER_CLASS_RE = re.compile(r"(?:^|[-_])(?:ph|placeholder|lqip|blur(?:red)?)(?:$|[-_])", re.I)


def _placeholder_copy(img: etree._Element) -> bool:
    """True for a picture's stand-in (img.pic-ph beside img.pic-real in one box, generic/
    qiantanghuishang-712): a reader sees the real picture once."""
    value = img.get("class")
    if not value or not any(PLACEHOLDER_CLASS_RE.search(c) for c in value.split()):
        return False
    parent = img.getparent()
    return parent is not None and any(
        other is not img and other.tag in ("img", "amp-img") for other in parent.iter()
    )


def is_spacer(img: etree._Element, url: str) -> bool:
    """True for a layout picture: a spacer file name, or a width or height of 1 or 2 pixels."""
    if SPACER_RE.search(url.split("?", 1)[0]):
        return True
    sizes = ((img.get(name) or "").strip().removesuffix("px") for name in ("width", "height"))
    return any(size in ("0", "1", "2") for size in sizes)


# Schemes of an image address no one can fetch: inline data, a script, the editor's own
# disk (a Word paste's file:///C:/…/clip_image002.jpg, generic/qianjiangzhixie-2417).
UNFETCHABLE_PREFIXES = ("data:", "javascript:", "file:", "blob:", "about:")
# Schemes of a file a reader of the page can fetch: an attachment at any other address
# (file:///C:/…, a Windows path read as the scheme c:) is on the editor's own disk.
WEB_SCHEMES = ("http://", "https://", "ftp://")
# A lazy loader's stand-in picture in src: loading.gif, lazy.png, a blank or grey pixel.
PLACEHOLDER_IMAGE_RE = re.compile(
    r"(?:loading|lazy|placeholder|blank|grey|gray|spacer|pixel|1x1|default)[\w-]*\.(?:gif|png|svg|jpg)",
    re.IGNORECASE,
)
# WeChat's image hosts refuse other sites' pages: a WeChat paste whose src holds the site's
# own saved copy shows that copy (generic/dongjiangcanyin-1427).
WECHAT_IMAGE_RE = re.compile(r"^(?:https?:)?//mmbiz\.q(?:pic|logo)\.cn/", re.IGNORECASE)


def image_url(img: etree._Element) -> str | None:
    """The real URL of an image, lazy-loading attributes first (guide §2.5); None if none."""
    for attr in LAZY_SRC_ATTRS:
        value = (img.get(attr) or "").strip()
        if value and not value.lower().startswith(UNFETCHABLE_PREFIXES):
            src = (img.get("src") or "").strip()
            if (
                WECHAT_IMAGE_RE.match(value)
                and src
                and not WECHAT_IMAGE_RE.match(src)
                and not src.lower().startswith(UNFETCHABLE_PREFIXES)
                and not PLACEHOLDER_IMAGE_RE.search(src)
            ):
                return src
            return value
    return None


def placeholder_free(value: str | None) -> str | None:
    """``value`` stripped, or None when empty or a MetInfo placeholder (guide §2.4)."""
    if value is None:
        return None
    value = clean_line(value)
    if not value or value in PLACEHOLDER_ALTS:
        return None
    return value


@dataclass(frozen=True)
class Media:
    """Images and attachments of a body, absolute URLs, document order, no duplicates."""

    images: list[dict[str, str | None]]
    attachments: list[dict[str, str]]


def _content_elements(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Descendants with one of ``tags`` that are not inside a widget, script or style."""
    for node in el.iter(*tags):
        if node.tag == "img" and _file_icon(node):
            continue
        if node.tag == "amp-img" and node.get("placeholder") is not None:
            continue  # AMP's low-resolution stand-in inside the real amp-img
        parent = node
        skipped = False
        while parent is not None and parent is not el:
            if (
                is_widget(parent)
                or _skipped(parent)
                or parent.tag == "form"  # a comment form's captcha (generic/baishajiedao-388)
                # a player's fallback (点此下载视频) shows only where the player cannot
                # (generic/jinhuaqiaolian-408)
                # and its fallback picture (generic/xiangshanyuxie-608)
                or (parent.tag in PLAYER_TAGS and node.tag in ("a", "img"))
                or is_furniture_box(parent)  # 相关视频 thumbnails (generic/qingyunwenlv-1530)
            ):
                skipped = True
                break
            parent = parent.getparent()
        if not skipped:
            yield node


def _in_widget(node: etree._Element, top: etree._Element) -> bool:
    """True when an ancestor of ``node`` below ``top`` is a widget or a furniture box."""
    parent = node.getparent()
    while parent is not None and parent is not top:
        if is_widget(parent) or is_furniture_box(parent):
            return True
        parent = parent.getparent()
    return False


def _file_icon(img: etree._Element) -> bool:
    """True for a file-type icon without alt inside or just before a link to an attachment
    (<img src="filetype/pdf.gif" alt=""> <a href="x.pdf">, generic/jiulongchaoshang-2205):
    no picture of the article."""
    if (img.get("alt") or "").strip():
        return False
    parent, after = img.getparent(), img.getnext()
    return any(
        link is not None and link.tag == "a" and is_attachment_url(link.get("href") or "")
        for link in (parent, after)
    )


def is_attachment_url(url: str) -> bool:
    """True when the URL's path ends with a document/archive extension."""
    path = urlsplit(url).path.lower()
    return "." in path.rsplit("/", 1)[-1] and path.rsplit(".", 1)[-1] in ATTACHMENT_EXTENSIONS


# A server script that hands out files: download.php?id=57, include/download.php?fileid=91,
# DownFile.aspx?f=3 (a site's own download counter in front of /upload/file/).
DOWNLOAD_SCRIPT_RE = re.compile(
    r"(?:down|file|attach|enclosure|fujian)\w*\.(?:php|aspx?|jsp|do|ashx)$", re.IGNORECASE
)


def is_attachment_link(link: etree._Element) -> bool:
    """True when the ``<a>`` links to a file: a URL with a document extension
    (:func:`is_attachment_url`), or a download script's URL whose link text names a file
    with such an extension (``2.会员单位信息登记表.docx`` -> ``download.php?id=57``;
    generic/qiaoxiangxiehui-233, tianfuzmq-612)."""
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "#")):
        return False
    if is_attachment_url(href):
        return True
    name = urlsplit(href).path.rsplit("/", 1)[-1]
    if not DOWNLOAD_SCRIPT_RE.search(name):
        return False
    text = text_content(link).strip().lower()
    return "." in text and text.rsplit(".", 1)[-1] in ATTACHMENT_EXTENSIONS


# Characters a URL may not hold as they are (RFC 3986 §2; WHATWG URL percent-encodes them).
_UNSAFE_URL_CHARS = frozenset(' "<>\\^`{|}')


def file_url(base_url: str, href: str) -> str:
    """``href`` resolved against ``base_url`` and percent-encoded as a browser sends it: a
    file name written raw (``附件 一.doc``) becomes ``%E9%99%84...%20...doc``, the form
    Scrapy requests and ``body_html`` prints; a URL already encoded is unchanged
    (``w3lib.url.safe_url_string``, UTF-8)."""
    url = absolute_url(base_url, href)
    if url.isascii() and _UNSAFE_URL_CHARS.isdisjoint(url):
        return url
    return safe_url_string(url, encoding="utf-8")


def body_media(el: etree._Element, base_url: str) -> Media:
    """Content images (``{url, alt}``) and attachment links (``{url, name}``) of a body.

    URLs are resolved against ``base_url`` and percent-encoded (:func:`file_url`); ``alt``
    is None when empty or a placeholder.
    """
    images: list[dict[str, str | None]] = []
    seen: set[str] = set()
    # AMP pages draw every picture from an <amp-img> (generic/nanhaixinwen-856)
    for img in _content_elements(el, "img", "amp-img"):
        src = image_url(img)
        if not src:
            continue
        url = file_url(base_url, src)
        if url in seen or EDITOR_ICON_RE.search(url) or is_spacer(img, url):
            continue
        if _placeholder_copy(img):
            continue
        seen.add(url)
        images.append({"url": url, "alt": placeholder_free(img.get("alt"))})
    attachments: list[dict[str, str]] = []
    seen_links: set[str] = set()
    for a in _content_elements(el, "a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = file_url(base_url, href)
        if not url.startswith(WEB_SCHEMES):
            continue  # the editor's own disk: a Word paste's file:///C:/Users/…/报名表.docx
        if url in seen_links or not (is_attachment_url(url) or is_attachment_link(a)):
            continue
        seen_links.add(url)
        attachments.append({"url": url, "name": clean_line(text_content(a))})
    # A document shown in a frame (<iframe src="….pdf">, <embed>, <object data>): a notice
    # that is one PDF and a caption (a whole-site trial: its only document was not listed).
    for frame in el.iter(*EMBED_TAGS):
        if _in_widget(frame, el):
            continue
        src = (frame.get("src") or frame.get("data") or "").strip()
        if not src or src.startswith(("javascript:", "data:", "about:")):
            continue
        # (or a PDF viewer's page given the file: viewer.html?file=/upload/file/x.pdf)
        viewed = dict(parse_qsl(urlsplit(src).query)).get("file", "")
        url = file_url(base_url, viewed if viewed and is_attachment_url(viewed) else src)
        if url in seen_links or not url.startswith(WEB_SCHEMES) or not is_attachment_url(url):
            continue
        seen_links.add(url)
        attachments.append({"url": url, "name": clean_line(frame.get("title") or "")})
    return Media(images=images, attachments=attachments)


# A mark set on the elements ``body_html`` leaves out, for the length of one copy.
_EXCLUDED_MARK = "data-metinfo-excluded"


def body_html(el: etree._Element, base_url: str, exclude: frozenset = frozenset()) -> str:
    """The inner HTML of a body container, cleaned for export.

    Scripts, styles, comments and widgets are removed (embedded players stay:
    :data:`EMBED_TAGS`), lazy images get their real ``src``, and every ``href``/``src`` is
    made absolute against ``base_url``.  Elements of ``exclude`` inside ``el`` (the
    headline and info line of a wide container) are left out, as :func:`text_lines` leaves
    them out of the text.  ``el`` is not modified.
    """
    marked = [x for x in exclude if x is not el and _inside(x, el)]
    for node in marked:
        node.set(_EXCLUDED_MARK, "")
    try:
        root = copy.deepcopy(el)
    finally:
        for node in marked:
            del node.attrib[_EXCLUDED_MARK]
    root.tail = None
    for node in list(root.iter()):
        if node is root:
            continue
        if (
            not isinstance(node.tag, str)
            or _EXCLUDED_MARK in node.attrib
            or (_skipped(node) and node.tag not in EMBED_TAGS)
            or is_widget(node)
            or is_furniture_box(node)
            or (
                (style := node.get("style")) and _hidden_style(style) and not revealed_by_fold(node)
            )
        ):
            _drop(node)
    for embed in list(root.iter("embed")):
        _unnest(embed)
    for embed in list(root.iter(*EMBED_TAGS, *PLAYER_TAGS, "source")):
        for attr in ("src", "data", "poster"):
            if value := (embed.get(attr) or "").strip():
                embed.set(attr, absolute_url(base_url, value))
        if embed.tag not in EMBED_TAGS:
            continue
        addresses = [embed.get(attr) for attr in ("src", "data") if embed.get(attr)]
        if not addresses or not all(a.startswith(("http://", "https://")) for a in addresses):
            _drop(embed)  # a script or data: URL, or nothing to show: no player
    for img in root.iter("img"):
        src = image_url(img)
        if src:
            img.set("src", absolute_url(base_url, src))
        for attr in LAZY_SRC_ATTRS[:-1]:
            img.attrib.pop(attr, None)
    # The prev/next lines that text_lines drops (NAV_LINE_RE) go from the HTML too.  A
    # node's text is a piece of the whole body's, so a body without their words has none.
    words = text_content(root).replace("\u200b", "").replace("\ufeff", "").lower()
    if any(piece in words for piece in NAV_WORD_PIECES):
        for node in list(root.iter("p", "div", "li", "span", "dd")):
            if node is not root and NAV_LINE_RE.match(clean_line(text_content(node))):
                _drop(node)
    for a in root.iter("a"):
        href = a.get("href")
        # An in-page anchor (#fn1) too: the HTML is read away from its page.
        if href and not href.strip().startswith(("javascript:", "mailto:")):
            a.set("href", absolute_url(base_url, href.strip()))
    # The inner HTML in one serialisation: the copy becomes a bare <div>, whose start and
    # end tags are then cut off.
    root.tag = "div"
    root.attrib.clear()
    return etree.tostring(root, method="html", encoding="unicode")[5:-6].strip()


def _inside(node: etree._Element, el: etree._Element) -> bool:
    """True when ``node`` is a descendant of ``el``."""
    return any(ancestor is el for ancestor in node.iterancestors())


def _unnest(el: etree._Element) -> None:
    """Move what a void element holds (an ``<embed>`` the parser let take in what follows
    it, :func:`_skipped`) right after it, in order, with its text."""
    children = list(el)
    if not children:
        return
    text, tail = el.text, el.tail
    el.text, el.tail = None, text
    anchor = el
    for child in children:
        anchor.addnext(child)
        anchor = child
    anchor.tail = (anchor.tail or "") + (tail or "") or None


def _drop(node: etree._Element) -> None:
    """Remove ``node`` but keep its tail text attached to the previous sibling or parent."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    prev = node.getprevious()
    parent.remove(node)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
