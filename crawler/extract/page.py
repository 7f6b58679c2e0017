"""What a MetInfo page says about itself: generator meta, version, language, module, id."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from crawler.extract.dom import doc_index, select_css
from crawler.extract.text import is_attachment_url
from crawler.site import parse_article_url, site_root

GENERATOR_VERSION_RE = re.compile(r"MetInfo\s*v?(\d+(?:\.\d+)+)", re.IGNORECASE)
# Footer strings that carry the version (guide §2.3, 7.6 mysql_install.sql agent strings).
FOOTER_VERSION_RE = re.compile(
    r"(?:Powered\s+by\s+MetInfo|米拓企业建站系统|米拓建站|MetInfo)\s*v?(\d+(?:\.\d+)+)",
    re.IGNORECASE,
)
# Parts of a class name that mark a custom template's footer, read last for the version.
FOOTER_CLASS_PARTS = ("foot", "copy", "bottom")
FOOTER_CSS = (
    ".powered_by_metinfo, footer, .met-foot-info, #footer, .footer, .foot, .ft, #ft, "
    ".copyright, #copyright"
)

# How much of the end of a page's text is read for a footer that no class or id names.
FOOTER_TAIL_CHARS = 300
_BODY_TEXT = etree.XPath(
    "/html/body//text()[not(ancestor::script)][not(ancestor::style)]", smart_strings=False
)

# MetInfo module numbers (guide §1: handle.class.php mod_to_name); news is 2.
NEWS_MODULE = "2"
NOT_FOUND_MODULE = "404"

# MetInfo language marks to BCP 47 tags.  cn and tc are MetInfo's own marks for Simplified
# and Traditional Chinese (guide §1.4); other marks are ISO 639-1 codes already.
LANG_TAGS = {"cn": "zh-CN", "zh": "zh-CN", "tc": "zh-TW", "jp": "ja", "kr": "ko", "en": "en"}

# A member-only article answers 200 with a script that alerts and redirects to the login
# page (guide §5, web.class.php check / okinfo).
MEMBER_REDIRECT_RE = re.compile(r"member/(?:login|index)\.php|gourl=", re.IGNORECASE)
# 5.x answers a missing article with a script redirect to the 404 page (guide §5, okinfo).
NOT_FOUND_REDIRECT_RE = re.compile(r"location\.href\s*=\s*['\"][^'\"]*404\.html", re.IGNORECASE)
# Entry files of the other modules (guide §1.1): a page without a generator meta (3.x/4.x)
# still says by its URL that it is an about, product, download, image or job page.
OTHER_MODULE_FILES = frozenset(
    {
        "show.php",
        "product.php",
        "showproduct.php",
        "download.php",
        "showdownload.php",
        "img.php",
        "showimg.php",
        "job.php",
        "showjob.php",
        "message.php",
        "feedback.php",
    }
)


@dataclass(frozen=True)
class PageMeta:
    """Facts from the generator meta (guide §2.3, §4).

    ``data-variable`` has 7 fields ``site|lang|synchronous|skin|module|classnow|id`` on 6.2
    and 7.x, and 6 fields ``weburl|lang|classnow|id|module|skin`` on 5.x-6.1.  Every field is
    None when the page does not give it.
    """

    generator: str | None = None
    version: str | None = None
    site: str | None = None
    lang: str | None = None
    skin: str | None = None
    module: str | None = None
    classnow: str | None = None
    content_id: str | None = None

    @property
    def is_metinfo(self) -> bool:
        """True when the page names MetInfo in its generator meta or footer."""
        return self.version is not None or bool(
            self.generator and "metinfo" in self.generator.lower()
        )


def read_page_meta(sel: Selector) -> PageMeta:
    """Read the generator meta and footer of a page; missing markup gives None fields."""
    index = doc_index(sel.root)
    generator = index.meta("generator")
    variable = index.meta("generator", "data-variable")
    fields: dict[str, str | None] = {}
    if variable:
        parts = [p.strip() or None for p in variable.split("|")]
        if len(parts) >= 7:
            keys = ("site", "lang", "synchronous", "skin", "module", "classnow", "content_id")
        elif len(parts) == 6:
            keys = ("site", "lang", "classnow", "content_id", "module", "skin")
        else:
            keys = ()
        fields = {k: v for k, v in zip(keys, parts, strict=False) if k != "synchronous"}
    version = metinfo_version(sel, generator, variable)
    return PageMeta(generator=generator, version=version, **fields)


def metinfo_version(sel: Selector, generator: str | None, variable: str | None) -> str | None:
    """MetInfo's version: exact from the generator meta or footer, else its major line.

    The line (``7.x``, ``6.x``, ``5.x``) comes from the data-variable shape and asset paths
    (guide §4) when no version string is printed.
    """
    if generator and (m := GENERATOR_VERSION_RE.search(generator)):
        return m.group(1)
    # The footers, a custom template's under a prefixed class (fl-foot, copy-right) last.
    if m := FOOTER_VERSION_RE.search(footer_text(sel)):
        return m.group(1)
    # A footer with neither a footer class nor id (a table at the end of an old layout,
    # generic/hongyuanjixie-203): the end of the page's text.
    if m := FOOTER_VERSION_RE.search(page_end_text(sel.root, FOOTER_TAIL_CHARS)):
        return m.group(1)
    assets = " ".join(sel.xpath("//link/@href | //script/@src").getall())
    if (variable and variable.count("|") >= 6) or "/public/web/css/basic.css" in assets:
        return "7.x"
    if "/public/ui/v2/" in assets:
        return "6.x"
    # (include/hits.php alone is 3.x to 5.x, guide §4: no line; generic/jianougendiao-612)
    if variable or "/public/ui/v1/" in assets:
        return "5.x"
    return None


def footer_text(sel: Selector) -> str:
    """The text of the page's footers (:data:`FOOTER_CSS`, and classes containing
    :data:`FOOTER_CLASS_PARTS`), whitespace-collapsed: where a site prints its owner."""
    index = doc_index(sel.root)
    blocks = [
        *select_css(sel.root, FOOTER_CSS),
        *(el for part in FOOTER_CLASS_PARTS for el in index.with_class_containing(part)),
    ]
    return " ".join(" ".join(piece for el in blocks for piece in el.itertext()).split())


def page_end_text(root: etree._Element, chars: int) -> str:
    """The last ``chars`` characters of the visible text of the page's ``<body>`` (scripts
    and styles left out, whitespace runs collapsed); "" without a body."""
    text = " ".join(" ".join(_BODY_TEXT(root)).split())
    return text[-chars:]


def language_tag(mark: str | None) -> str | None:
    """BCP 47 tag for a MetInfo language mark (``cn`` -> ``zh-CN``), None for None."""
    if not mark:
        return None
    mark = mark.strip().lower()
    return LANG_TAGS.get(mark, mark)


def language_mark(value: str) -> str:
    """A MetInfo language mark from a mark or a BCP 47 tag: ``zh-CN`` -> ``cn``, ``zh-TW`` ->
    ``tc``, ``EN`` -> ``en``."""
    value = value.strip().lower()
    for mark, tag in LANG_TAGS.items():
        if tag.lower() == value and mark not in ("zh", "jp", "kr"):
            return mark
    return {"zh": "cn", "zh-hans": "cn", "zh-hant": "tc", "ja": "jp", "ko": "kr"}.get(value, value)


def base_url(sel: Selector, url: str) -> str:
    """The URL relative links resolve against: ``<base href>`` in the head, else ``url``.

    lxml does not parse comments as elements, so a ``<base>`` inside a comment is ignored.
    """
    base = doc_index(sel.root).base
    href = base.get("href") if base is not None else None
    return urljoin(url, href.strip()) if href and href.strip() else url


def page_language(sel: Selector, meta: PageMeta, url_lang: str | None) -> str | None:
    """The page's BCP 47 language: MetInfo's lang mark, then the URL's, then ``<html lang>``,
    then the mark most of the page's own links carry (``news.php?lang=cn&class1=2``: a
    static page of a 3.x/4.x site, whose URL and markup name no language while its
    navigation, breadcrumb and prev/next all do; a whole-site trial of a county chamber)."""
    if meta.lang:
        return language_tag(meta.lang)
    if url_lang:
        return language_tag(url_lang)
    html_lang = sel.xpath("/html/@lang").get()
    if html_lang and html_lang.strip():
        return bcp47_case(html_lang.strip())
    marks = Counter(
        m.group(1).lower() for href in _LANG_HREFS(sel.root) if (m := LANG_PARAM_RE.search(href))
    )
    if marks:
        mark, count = marks.most_common(1)[0]
        if count >= LINKS_FOR_LANGUAGE and count * 2 > sum(marks.values()):
            return language_tag(mark)
    return None


# Links that carry MetInfo's language parameter, and the parameter.
_LANG_HREFS = etree.XPath("//a/@href[contains(., 'lang=')]", smart_strings=False)
LANG_PARAM_RE = re.compile(r"[?&]lang=([A-Za-z]{2,3})(?![\w-])")
# The fewest links with one mark (and more than half of those with any) that name a page's
# language.
LINKS_FOR_LANGUAGE = 3


def bcp47_case(tag: str) -> str:
    """A language tag in BCP 47's conventional case (RFC 5646 §2.1.1): language lower,
    script title, region upper (``zh-cn`` -> ``zh-CN``, ``zh_hans`` -> ``zh-Hans``)."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


# "Page not found" pages that hosts and templates serve with 200 (issue 7: soft 404s).
SOFT_404_RE = re.compile(
    r"页面不存在|页面未找到|找不到(?:该|此)?页面|页面不见了|信息不存在|文章不存在|内容不存在|"
    r"已被删除|已删除|已刪除|已下线|已下線|已被下线|已撤销|已撤回|not found|page not found|"
    # 页面走丢了 on a template's own 404 design (generic/hengtongwuliu-1288)
    r"(?:页面|頁面|网页|網頁)(?:走丢|走丟|迷路|飞走|飛走)了|"
    # ru, vi, es, pt, fr, ar, ko, ja (generic/uralstanko-214)
    r"(?:новость|страница|статья|материал|запись)\s+(?:была\s+)?удален[аоы]?|"
    r"(?:страница|материал)\s+не\s+найден[аоы]?|не\s+существует|больше\s+недоступн\w*|"
    r"không\s+tồn\s+tại|đã\s+bị\s+xóa|không\s+tìm\s+thấy|"
    r"no\s+existe|no\s+encontrad[ao]|ha\s+sido\s+eliminad[ao]|não\s+existe|não\s+encontrad[ao]|"
    r"foi\s+removid[ao]|n['’]existe\s+pas|introuvable|a\s+été\s+supprimée?|"
    r"غير\s+موجود|تم\s+حذف|존재하지\s+않|삭제된|찾을\s+수\s+없|存在しません|削除されました|見つかりません|"
    # 404 with a word of its own, never the bare number (an article read 404 times)
    r"\b404\b\s*(?:not\s+found|error|错误|錯誤|页面|頁面)|(?:错误|錯誤|error)\s*404\b|"
    r"(?:the\s+)?(?:page|article|news\s+item)\s+(?:you\s+(?:requested|are\s+looking\s+for)\s+)?"
    r"(?:does\s+not|doesn't|did\s+not)\s+exist|(?:does|did)\s+not\s+exist|"
    r"no\s+longer\s+(?:exists|available)|"
    r"has\s+been\s+(?:removed|deleted)|(?:can|could)\s*not\s+be\s+found",
    re.IGNORECASE,
)
# A page that asks the reader to log in instead of showing the text (a member-only article
# rendered with the site's chrome, generic/huaxinshanghui-562).
MEMBER_WALL_RE = re.compile(
    r"请先登录|請先登錄|请先登陆|登录后(?:查看|阅读|浏览|可见)|登錄後(?:查看|閱讀)|会员(?:专享|可见|才能)|"
    r"仅限会员|僅限會員|您(?:没有|無)权限|无权(?:查看|访问|阅读)|please\s+log\s*in|members\s+only|"
    # 该信息仅对本会会员开放 (the message opens with what it is about)
    r"(?:仅|僅|只)(?:对|對|向|限)[^，,。]{0,8}(?:会员|會員)(?:开放|開放|查看|阅读|閱讀)|"
    r"log\s*in\s+to\s+(?:view|read|continue)",
    re.IGNORECASE,
)
# The longest text of the element that says the page is missing or walled (the message
# alone, not a headline that mentions it).
MESSAGE_MAX_CHARS = 60
# The most text before the phrase in the message (抱歉，, Sorry, 该文章).
MESSAGE_LEAD_CHARS = 8
# A page with a message and no paragraph longer than this outside its chrome and the
# message's own block shows no article.
MESSAGE_PAGE_PARAGRAPH_CHARS = 80
# Three paragraphs of this much text beside the phrase are an article's, not a message's.
ARTICLE_LINE_CHARS = 20


_MESSAGE_PARENTS = etree.XPath(
    "//body//text()[not(ancestor::script)][not(ancestor::style)]"
    "[not(ancestor::header)][not(ancestor::footer)][not(ancestor::nav)]/.."
)
# Words of every SOFT_404_RE and MEMBER_WALL_RE phrase, as literal patterns: one search of
# the page's text tells the usual page (none of them) cheaply, before any closer look.
NOT_FOUND_WORDS_RE = re.compile(
    "不存在|未找到|找不到|不见了|删除|刪除|下线|下線|撤|404|ound|xist|emove|elete|vailable|OUND|XIST|"
    "EMOVE|ELETE|VAILABLE|走丢|走丟|迷路|飞走|飛走|удален|найден|существует|недоступн|tồn tại|"
    "bị xóa|tìm thấy|ncontrad|liminad|emovid|ntrouvable|upprim|موجود|حذف|존재하지|삭제|찾을|"
    "存在しません|削除|見つかりません"
)
# A site shut for maintenance or by its owner answers every URL with one notice (网站维护中,
# 站点已关闭): no article, and nothing to remember of this one.
SITE_CLOSED_RE = re.compile(
    r"(?:网站|網站|站点|站點|系统|系統)(?:正在)?(?:维护|維護|升级|升級)中?|(?:网站|網站|站点|站點)已(?:关闭|關閉)|"
    r"(?:site|website)\s+(?:is\s+)?(?:under\s+maintenance|(?:temporarily\s+)?closed)",
    re.IGNORECASE,
)
# (not 关闭 alone: every 【关闭窗口】 button has it)
SITE_CLOSED_WORDS_RE = re.compile(
    "维护|維護|升级中|升級中|已关闭|已關閉|aintenance|emporarily closed"
)
# The hit counter's script names the module of the page it counts: include/hits.php?type=
# news&id=N (5.x), hits/?lang=cn&type=news&vid=N (7.x pseudo-static) (guide §2.2 hits).
HITS_TYPE_RE = re.compile(rb"hits(?:\.php)?/?\?[^\"'<>]{0,80}?\btype=([a-z]+)", re.IGNORECASE)
# A download page's facts about its file, and its button (the download module, 4).
FILE_FACTS_RE = re.compile(r"文件大小|下载次数|下載次數|檔案大小|file\s+size|downloads?:", re.I)
DOWNLOAD_BUTTON_RE = re.compile(
    r"^(?:立即下载|立即下載|点击下载|點擊下載|下载文件|下載檔案|下载|下載|download(?:\s+now)?)$",
    re.I,
)
_FILE_BUTTONS = etree.XPath("//a[@href]")
# A tag's page: F/tag/{tag}[-L][-P] and search/tag/{word} (guide §1).
TAG_PATH_RE = re.compile(r"/tag/[^/]+/?$")
# MetInfo's job module: a position's page links its application form by the job's id
# (cv.php?selectedjob=N; generic/kaiyuanjidian-56).
# (pseudo-static 4.x-5.x: cv-cn.html?selectedjob=N, generic/donghaizhuanqi-7)
JOB_APPLY_RE = re.compile(
    r"cv(?:\.php|[-\w]*\.html?)\?(?:[^\"'#]*&)?selectedjob=(\d+)", re.IGNORECASE
)
# A link to the member login, in place of a login form (仅限会员查看 … 请先登录会员账号).
_LOGIN_LINKS = etree.XPath(
    "//a[contains(@href,'member/login') or contains(@href,'login.php')"
    " or contains(@href,'member/index.php') or contains(@href,'/login')]"
)
MEMBER_WALL_WORDS_RE = re.compile(
    "请先登|請先登|登录后|登錄後|仅限会员|僅限會員|会员专享|会员可见|会员才能|没有权限|無权|無權|无权|"
    "员开放|員開放|员查看|員查看|员阅读|員閱讀|"
    "og in|og In|ogin to|embers only|EMBERS ONLY"
)
_PASSWORD_INPUT = etree.XPath("//input[@type='password']")
_PARAGRAPHS = etree.XPath(
    "//p[not(ancestor::header)][not(ancestor::footer)][not(ancestor::nav)][not(ancestor::aside)]"
)


def _message_page(sel: Selector, message_re: re.Pattern[str], *, beside: bool = True) -> bool:
    """True when a short element of the page says what ``message_re`` says, as the message
    itself (the phrase opens it, after at most :data:`MESSAGE_LEAD_CHARS`, and is at least
    a quarter of its text: not a headline that merely mentions 页面不存在; not a cell of a
    data table), and no paragraph outside the page's chrome and the message's own block is
    longer than :data:`MESSAGE_PAGE_PARAGRAPH_CHARS` (no article beside the message).  With
    ``beside``, the message's own container holding an article's paragraphs (two long or
    three of :data:`ARTICLE_LINE_CHARS`) is no message page either: the phrase is a heading
    of the text (generic/xinhaikeji-733, keqiaofangxie-1102)."""
    root = sel.root
    message = None
    for el in _MESSAGE_PARENTS(root):
        text = " ".join(" ".join(el.itertext()).split())
        if len(text) <= MESSAGE_MAX_CHARS and (m := message_re.search(text)):
            if (
                m.start() <= MESSAGE_LEAD_CHARS
                and 4 * len(m.group()) >= len(text)
                and not _data_cell(el)
                # a result's or a list's link names another page (a search hit titled
                # 网站维护中…, generic/jinlingjixie-3)
                and el.tag != "a"
                and not any(a.tag == "a" for a in el.iterancestors())
                and not _subjectless_heading(m, text)
                and not _mention(m, text)
                and not INSTRUCTION_RE.search(text, m.end())
            ):
                message = el
                break
    if message is None:
        return False
    block = next(message.iterancestors("div", "td", "section", "article", "main"), message)
    inside = set(block.iter("p"))  # the elements themselves: kept alive, so compared right
    container = next(message.iterancestors("div", "section", "article", "main"), block)
    lengths = [_text_length(p) for p in container.iter("p") if p is not message]
    if beside and (
        sum(n > MESSAGE_PAGE_PARAGRAPH_CHARS for n in lengths) >= 2
        or sum(n >= ARTICLE_LINE_CHARS for n in lengths) >= 3
    ):
        # the phrase is a heading or a cell of an article's own text (一、页面提示"404 Not
        # Found"的原因, 会员资格已撤销 in a table: generic/xinhaikeji-733, wenlingbengxie-318)
        return False
    return _long_paragraphs(sel, inside) == 0


def _text_length(el: etree._Element) -> int:
    """Characters of ``el``'s text, whitespace aside."""
    return len("".join("".join(el.itertext()).split()))


def _long_paragraphs(sel: Selector, inside: set[etree._Element] | None = None) -> int:
    """How many paragraphs of an article's length (over
    :data:`MESSAGE_PAGE_PARAGRAPH_CHARS`) the page shows outside its chrome, the elements of
    ``inside`` (a message's own block) and teasers of other pages (:func:`_teaser`)."""
    return sum(
        _text_length(p) > MESSAGE_PAGE_PARAGRAPH_CHARS
        for p in _PARAGRAPHS(sel.root)
        if (inside is None or p not in inside) and not _teaser(p)
    )


# A wall over the rest of a text shown in part: 本文剩余内容仅对商会会员开放 (generic/
# yuhuanshanghui-233).
REST_WALL_RE = re.compile(
    r"剩余内容|剩餘內容|余下内容|餘下內容|剩余部分|剩餘部分|阅读全文|閱讀全文"
)
# The most paragraphs of an article's length a page walled that way may show (a lead).
WALL_LEAD_PARAGRAPHS = 1


def _rest_behind_wall(sel: Selector) -> bool:
    """True when a short element says the rest of the text is for members (REST_WALL_RE and
    MEMBER_WALL_RE in one message) and the page shows no more than a lead of the text."""
    for el in _MESSAGE_PARENTS(sel.root):
        text = " ".join(" ".join(el.itertext()).split())
        if (
            len(text) <= MESSAGE_MAX_CHARS
            and REST_WALL_RE.search(text)
            and MEMBER_WALL_RE.search(text)
        ):
            break
    else:
        return False
    return _long_paragraphs(sel) <= WALL_LEAD_PARAGRAPHS


def _file_page(sel: Selector) -> bool:
    """True for a page about one file: a download button to a file beside the file's facts
    (文件大小, 下载次数), and no paragraph of an article's length anywhere (an article with
    the same box under its text stays one, generic/ruifengbengye-58)."""
    button = any(
        DOWNLOAD_BUTTON_RE.match(" ".join(" ".join(a.itertext()).split()))
        and is_attachment_url(a.get("href", ""))
        for a in _FILE_BUTTONS(sel.root)
    )
    return button and _long_paragraphs(sel) == 0


def _teaser(p: etree._Element) -> bool:
    """True for a paragraph that sums up another page: in a list entry, or in a block
    whose heading links that page (为您推荐 under a deleted article's notice,
    generic/jiangwanshanghui-906)."""
    for ancestor in p.iterancestors():
        if ancestor.tag in ("li", "dd", "a"):
            return True
        if ancestor.tag in ("div", "section", "article", "td"):
            break
    before = p.getprevious()
    return (
        before is not None and before.tag in ("h3", "h4", "h5") and before.find(".//a") is not None
    )


def _shows_nothing(root: etree._Element) -> bool:
    """True when the page's ``<body>`` shows no text and no picture (a meta refresh or a
    script redirect); stops at the first thing shown."""
    body = root.find("body")
    if body is None:
        return True
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "img":
            return False
        hidden = el.tag in ("script", "style", "noscript")
        if not hidden and el.text and el.text.strip(STRIP_VISIBLE):
            return False
        if el is not body and el.tail and el.tail.strip(STRIP_VISIBLE):
            return False
    return True


STRIP_VISIBLE = " \t\r\n\u00a0\u3000"
# Only a page this short (scripts included) is looked at for visible text at all.
EMPTY_PAGE_TEXT_CHARS = 2000
_ARTICLE_HREFS = etree.XPath("//a/@href", smart_strings=False)
# A page at an article URL that links this many articles of the column is its list.
LIST_ARTICLES = 4


def _lists_articles(sel: Selector, root: str, folder: str) -> bool:
    """True when the page links :data:`LIST_ARTICLES` or more articles of ``folder``
    (generic/huaiyinshanghui-318)."""
    seen = set()
    for href in _ARTICLE_HREFS(sel.root):
        ref = parse_article_url(urljoin(root, href.strip()), root) if href else None
        if ref is not None and ref.folder == folder:
            seen.add(ref.id)
            if len(seen) >= LIST_ARTICLES:
                return True
    return False


_JOB_LINKS = etree.XPath("//a[contains(@href,'selectedjob=')]/@href", smart_strings=False)
# The id at the end of an article URL: 56.html, 56-cn.html, shownews.php?id=56.
_URL_ID_RE = re.compile(r"(\d+)(?:-[a-z]{2,5})?\.html?$|[?&]id=(\d+)")


def _is_job_page(sel: Selector, url: str) -> bool:
    """True when the page links the job module's application form for its own URL's id
    (:data:`JOB_APPLY_RE`): a position's page at a news-like URL."""
    parts = urlsplit(url)
    number = _URL_ID_RE.search(parts.path + (f"?{parts.query}" if parts.query else ""))
    if number is None:
        return False
    ids = {g for g in number.groups() if g}
    return any((m := JOB_APPLY_RE.search(href)) and m[1] in ids for href in _JOB_LINKS(sel.root))


# What follows 请先登录 in an instruction, not a wall: 请先登录会员中心后再报名 (generic/
# zhenhaiwaimao-618).
INSTRUCTION_RE = re.compile(r"后再|後再|后报名|後報名|后参加|后提交|后下载|后申请|再报名|再參加")


# What follows a message's phrase in a headline about it: 网站系统维护通知, 打开文章提示
# "信息不存在"怎么办？ (generic/dinghaiyuxie-1187, ouhaixiege-1520).
ABOUT_MESSAGE_RE = re.compile(
    r"^[”」』\"’]|^的?(?:通知|公告|预告|預告|安排|说明|說明|告知|提醒|怎么办|怎麼辦|如何|原因)"
    r"|^[^。.!！]{0,12}[?？]"
)
OPENING_QUOTES = ("“", "「", "『", '"', "‘")


def _mention(m: re.Match[str], text: str) -> bool:
    """True when the phrase is mentioned, not said: quoted, or followed by 通知, 公告, 怎么办
    or a question mark (a headline about a maintenance or a missing page)."""
    return text[: m.start()].rstrip().endswith(OPENING_QUOTES) or bool(
        ABOUT_MESSAGE_RE.match(text[m.end() :].lstrip())
    )


def _subjectless_heading(m: re.Match[str], text: str) -> bool:
    """True for a phrase without its subject that opens a heading going on with other words
    (已撤销认定企业: the revoked ones, not a revoked page; generic/jinhuagongjinglian-1528)."""
    rest = text[m.end() :].lstrip()
    return (
        m.group().startswith("已")
        and m.start() == 0
        and bool(rest)
        and "\u4e00" <= rest[0] <= "\u9fff"
    )


def _data_cell(el: etree._Element) -> bool:
    """True for a cell of a data table's row of three or more cells (会员资格已撤销 in a
    table of members: generic/wenlingbengxie-318), never a layout cell holding a message."""
    cell = el if el.tag in ("td", "th") else next(el.iterancestors("td", "th"), None)
    if cell is None or (row := cell.getparent()) is None:
        return False
    return sum(1 for c in row if c.tag in ("td", "th")) >= 3


def _soft_not_found(sel: Selector) -> bool:
    """A page that says it does not exist (信息不存在或已被删除, 该文章已下线, Sorry, the page
    you requested does not exist) and shows no article (:func:`_message_page`)."""
    return _message_page(sel, SOFT_404_RE)


def not_article_reason(sel: Selector, meta: PageMeta, url: str, body: bytes) -> str | None:
    """Why a page fetched as an article is not one, or None when it may be one.

    Reasons (counted in stats as ``metinfo/not_article/<reason>``): ``empty_page`` (MetInfo
    7.2.0 answers a missing or recycled id with an empty 200, guide §5; or an empty article
    shell at an article URL), ``not_found_page`` (the site's generated ``/404.html``, module
    404, a page whose message says it does not exist and that shows no article),
    ``member_only`` (alert + login redirect, or a 请先登录 message with a login form or a
    login link in place of the text), ``site_closed`` (网站维护中: the whole site shows one
    notice), ``list_page`` (news module without a content id), ``other_module`` (about,
    product, a job whose apply link names this id...).
    """
    if not body.strip():
        return "empty_page"
    # An article whose id is 404 is also F/404.html in pseudo-static mode: only the site's
    # own /404.html without a content id is the generated 404 page (an article 404 of a
    # column folder is an article, generic/songxijiancai-404).
    if meta.module == NOT_FOUND_MODULE or (
        urlsplit(url).path == urlsplit(site_root(url, meta.site)).path + "404.html"
        and not meta.content_id
    ):
        return "not_found_page"
    small_script_page = len(body) < 2048 and not sel.css("h1, h2")
    if small_script_page and NOT_FOUND_REDIRECT_RE.search(sel.get()):
        return "not_found_page"
    if small_script_page and MEMBER_REDIRECT_RE.search(sel.get()):
        return "member_only"
    # The page's text, once: the usual page holds no word of a not-found or login message.
    text = etree.tostring(sel.root, method="text", encoding=str)
    if (
        meta.module in (None, NEWS_MODULE)
        and NOT_FOUND_WORDS_RE.search(text)
        and _soft_not_found(sel)
    ):
        # 该文章已下线 under a generator meta that still names the news module and the id
        # (generic/qingyuewenlv-388)
        return "not_found_page"
    if meta.module is not None and meta.module != NEWS_MODULE:
        return "other_module"  # (before a login tip of an image page, generic/yuhangjianzhu-41)
    if len(text) < EMPTY_PAGE_TEXT_CHARS and _shows_nothing(sel.root):
        return "empty_page"  # nothing to see: a refresh or script redirect (yangzhoujiaju-512)
    if (
        MEMBER_WALL_WORDS_RE.search(text)
        and (_PASSWORD_INPUT(sel.root) or _LOGIN_LINKS(sel.root))
        and (_message_page(sel, MEMBER_WALL_RE) or _rest_behind_wall(sel))
    ):
        # 请先登录 and a login form, or a link to the login page, in place of the text
        # (generic/ningbojiaju-377)
        return "member_only"
    if SITE_CLOSED_WORDS_RE.search(text) and _message_page(sel, SITE_CLOSED_RE, beside=False):
        return "site_closed"  # 网站维护中 (generic/lishuichaye-905)
    if meta.module is None and b"selectedjob" in body and _is_job_page(sel, url):
        return "other_module"

    if meta.module is None and urlsplit(url).path.rsplit("/", 1)[-1] in OTHER_MODULE_FILES:
        return "other_module"
    if meta.module is None and (hits := HITS_TYPE_RE.search(body)) and hits[1] != b"news":
        # the hit counter names the page's module: hits.php?type=product&id=128 (guide
        # §2.2 hits; generic/haoyuedianqi-128)
        return "other_module"
    if meta.module is None and FILE_FACTS_RE.search(text) and _file_page(sel):
        return "other_module"  # the download module's page of one file (ruifengbengye-57)
    if TAG_PATH_RE.search(urlsplit(url).path):
        return "list_page"  # F/tag/{tag}: the articles of a tag (guide §1; xshbxh-lajifenlei)
    if meta.module is not None and meta.module != NEWS_MODULE:
        return "other_module"
    if meta.module == NEWS_MODULE and not meta.content_id:
        # at an article's URL, an empty article shell: the record is gone (the
        # generator's id is empty, generic/beifengjixie-1377); elsewhere a list page
        root = site_root(url, meta.site)
        article = parse_article_url(url, root)
        if article is not None and _lists_articles(sel, root, article.folder):
            return "list_page"  # 7.x answering a missing id with the column's list
        return "empty_page" if article is not None else "list_page"
    return None


def cut_in_text(sel: Selector, body: str) -> bool:
    """True when a page cut short in transfer (a body shorter than its Content-Length) may
    have lost part of the article's text ``body``: the page's last text is a piece of
    that text, or there is no text.  False when the cut falls after it (in the prev/next
    links, the footer, a script), where a reader sees the whole article."""
    if not body:
        return True
    for _, text in reversed(doc_index(sel.root).texts):
        line = " ".join(text.split())
        if line:
            return line in " ".join(body.split())
    return True
