"""Links of list and home pages: articles, pager, columns, language homes (guide §1.6, §2.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from crawler.extract.dates import (
    READING_LANGUAGE,
    READING_PAGE,
    ROC_YEAR_OFFSET,
    SHORT_YEAR_RE,
    DateOrder,
    PageDate,
    YearlessDate,
    badge_date,
    find_date,
    normalise,
    page_short_year_order,
    parse_date_text,
    short_year_day,
    yearless_date,
)
from crawler.extract.dom import doc_index, merge_in_document_order, select_css
from crawler.extract.generic import (
    CHROME_TAGS,
    CHROME_TOKEN_RE,
    EVENT_DATE_LABEL_RE,
    class_tokens,
    crumb_blocks,
    element_text,
    in_chrome,
    nested,
    token_above,
)
from crawler.extract.page import PageMeta, base_url, page_language, read_page_meta
from crawler.extract.text import clean_line, text_content
from crawler.site import (
    ArticleRef,
    ListRef,
    followable_url,
    home_lang,
    list_page_url,
    named_article_ref,
    parse_article_url,
    parse_list_url,
    site_root,
)

# Main list containers: 7.x metv75/ui `.met-news-list`, 5.x met UI `#newslist`, v1 UI
# `.met_module2_list` (guide §2.2).  When none is present every non-chrome link counts.
LIST_CONTAINER_CSS = ".met-news-list, #newslist, .met_module2_list"
# Pager containers: 7.x and 5.x v1 `.met_pager`, 5.x `#flip` and `.metpager_N`, plus the
# Bootstrap-style pagers of custom templates (guide §1.6).
PAGER_CSS = (
    ".met_pager, #flip, .pagination, .pager, .pages, .page-list, .pagelist, #pages, #page, .paging"
)
PAGER_CLASS_PART = "metpager"  # and any class containing it: 5.x `.metpager_N`
# A block labelled as a pager for screen readers, whatever its class: Tailwind UI's <nav
# aria-label="Pagination"> (generic/jinganshanghui-list-15-p3), <nav aria-label="分页导航">
# around a Bootstrap pager and its jump form (nanshaxiehui-list-33-p5).
_LABELLED = etree.XPath("descendant::*/@aria-label/..")  # 2x "//*[@aria-label]"
PAGER_LABEL_RE = re.compile(r"paginat|pager|page\s*nav|分页|翻页", re.IGNORECASE)
UTC = timezone.utc
# 7.x and 5.x v1: total page count is the 3rd `|` field of the data-pageurl of
# <input id="metPageT"> (guide §1.6).
PAGE_COUNT_ID = "metPageT"
# Language switchers (guide §1.4): 7.x `.metlang`, `.met-langlist`; 5.x top links; any
# block whose class contains "lang".
LANG_CLASS_PART = "lang"


@dataclass
class PageLinks:
    """What a list or home page links to, as canonical absolute URLs in document order.

    ``articles`` maps each URL to its decoded :class:`ArticleRef`; ``lists`` each list URL
    to its :class:`ListRef` (pager pages and columns alike); ``pager`` is the subset of list
    URLs found in the pager; ``homes`` language home pages with their language mark;
    ``page_count`` the column's page count when the page states it; ``dates`` the day
    (``YYYY-MM-DD``) each article's list entry shows, where it shows one; ``aliases`` the
    other URL forms of an article of ``articles`` that the page also links (the same
    content id), each with its decoded form: another way to fetch it.
    """

    articles: dict[str, ArticleRef] = field(default_factory=dict)
    lists: dict[str, ListRef] = field(default_factory=dict)
    pager: list[str] = field(default_factory=list)
    homes: dict[str, str | None] = field(default_factory=dict)
    language_sites: list[str] = field(default_factory=list)
    page_count: int | None = None
    sitemap_pages: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, ArticleRef] = field(default_factory=dict)


# Attributes where script-driven pagers, "加载更多" buttons and clickable list items keep
# the URL they lead to (generic/jinhe-list-7-p2, yingbin-list-3-p1, mingshan-list-15-p2,
# heshanxiehui-list-4-p2), and the script of an onclick that goes to one: not a URL
# the script finishes ('…&page='+value of a GO button, generic/lingnanhuizhanxiehui-list-2-p3).
DATA_URL_ATTRS = (
    "data-url",
    "data-next",
    "data-href",
    # a load-more button's next page (generic/zhuhaishanghui-list-6-p1)
    "data-nexturl",
    "data-next-url",
    "data-more-url",
    "data-next-page",  # generic/fuchunjiang-list-9-p1
    "data-nextpage",
    "data-more",
)
ONCLICK_URL_RE = re.compile(
    r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\()"
    r"\s*['\"]([^'\"]+)['\"](?!\s*\+)"
)
# Any other call in an onclick whose first argument is a quoted string: a page-defined
# function given the URL (onclick="nsGo('index.php?class2=6&page=3')", "getList('list-41-3
# .html')": generic/nanshanshanghui-list-6-p2, qianwanbaoshuiqu-list-41-p2).  It may be any
# string, so :func:`read_links` keeps such a link only when it leads to a page of this
# column (a pager page).
ONCLICK_CALL_RE = re.compile(r"(?:^|[^\w$.])[A-Za-z_$][\w$.]*\s*\(\s*['\"]([^'\"]+)['\"]\s*[,)]")
# How an element names where it leads (:func:`_href`): its href or value, an attribute or
# a script that goes there, or the argument of a call to the page's own function.
BY_HREF, BY_SCRIPT, BY_CALL = 0, 1, 2
# Every <a>, <option> and element with an onclick or a DATA_URL_ATTRS attribute, in
# document order.  Written as a union of name and attribute steps: libxml2 tests a
# predicate such as [self::a or @onclick] on each element at ~0.7 µs, which made this
# query a sixth of a list page's link reading; the union finds the same elements 5x faster.
_LINK_NODES = etree.XPath(
    " | ".join(
        [
            "descendant::a",
            "descendant::option",
            *(f"descendant::*/@{attr}/.." for attr in ("onclick", *DATA_URL_ATTRS)),
        ]
    )
)
NOT_FOLLOWABLE = ("javascript:", "mailto:", "tel:", "#", "data:")


# A page number's place in a pager's URL template: data-url="index.php?class2=8&page={page}".
PAGE_PLACEHOLDER_RE = re.compile(r"\{(?:page|pageno|page_no|p|n|num|pn)\}|%7B(?:page|p|n)%7D", re.I)
# A script link that goes to page N: javascript:goPage(3), onclick="toPage(3)".
SCRIPT_PAGE_RE = re.compile(r"^(?:javascript:)?\s*[A-Za-z_$][\w$.]*\(\s*['\"]?(\d{1,5})['\"]?\s*\)")


_REL_NEXT = etree.XPath(
    "/html/head/link[translate(@rel,'NEXT','next')='next']/@href", smart_strings=False
)


def rel_next_pages(sel: Selector, base: str) -> list[str]:
    """The next page a ``<link rel="next">`` in the head names (HTML's link type, read by
    an infinite-scroll script when the page prints no pager: generic/tiantaishanghui-list-4-
    p1), as an absolute URL; [] without one."""
    return [u for href in _REL_NEXT(sel.root)[:1] if (u := followable_url(base, href.strip()))]


def template_pages(sel: Selector, base: str) -> list[str]:
    """Pages a pager names only as numbers handed to a script, with the URL template in a
    data attribute of the pager (``<div data-url="…&page={page}">`` around ``<a
    href="javascript:goPage(3)">``, generic/jiangbeixiehui-list-8-p2): the template with
    each number, in document order."""
    out: list[str] = []
    for attr in DATA_URL_ATTRS:
        for block in sel.root.iter():
            template = (block.get(attr) or "").strip() if isinstance(block.tag, str) else ""
            if not template or not PAGE_PLACEHOLDER_RE.search(template):
                continue
            for a in block.iter("a"):
                script = (a.get("href") or "") + " " + (a.get("onclick") or "")
                m = SCRIPT_PAGE_RE.search(script.strip())
                if m is None:
                    continue
                page = followable_url(base, PAGE_PLACEHOLDER_RE.sub(m.group(1), template))
                if page and page not in out:
                    out.append(page)
    return out


def _href(node: etree._Element) -> tuple[str, int]:
    """Where ``node`` leads, and how (:data:`BY_HREF` ...): an ``<a href>`` or ``<option
    value>`` (a ``javascript:`` href only by the page its script opens), else a
    :data:`DATA_URL_ATTRS` attribute, else an onclick's ``location.href='…'`` or
    ``window.open('…')``, else the quoted argument of another call in it
    (:data:`ONCLICK_CALL_RE`); "" for none."""
    if node.tag in ("a", "option"):
        href = (node.get("href") if node.tag == "a" else node.get("value")) or ""
        href = href.strip()
        if href and not href.startswith(NOT_FOLLOWABLE):
            return href, BY_HREF
        # A script link that opens a page (href="javascript:window.open('shownews.php?id=
        # 12')"): where it goes, as for the same script in an onclick.
        if href[:11].lower() == "javascript:" and (m := ONCLICK_URL_RE.search(href)):
            return m.group(1).strip(), BY_SCRIPT
    for attr in DATA_URL_ATTRS:
        href = (node.get(attr) or "").strip()
        if href and not PAGE_PLACEHOLDER_RE.search(href):  # a template is no URL
            return _load_more_page(node, href), BY_SCRIPT
    if script := node.get("onclick"):
        if m := ONCLICK_URL_RE.search(script):
            return m.group(1).strip(), BY_SCRIPT
        if m := ONCLICK_CALL_RE.search(script):
            return m.group(1).strip(), BY_CALL
    return "", BY_HREF


# Query keys by which a load-more button asks its column's next page as data (ajax=1):
# the page itself, as a reader's browser shows it, is the same URL without them.
LOAD_MORE_DATA_KEYS = frozenset({"ajax", "isajax", "is_ajax"})


def _load_more_page(node: etree._Element, href: str) -> str:
    """The list page a load-more button's URL stands for: without its data switch
    (``&ajax=1``) and, when the URL names no page and the button does (``data-page="2"``,
    which its script appends), with that page (a whole-site trial of an association whose
    lists load their next entries as JSON or HTML fragments)."""
    parts = urlsplit(href)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k.lower() not in LOAD_MORE_DATA_KEYS]
    page = (node.get("data-page") or "").strip()
    if (
        page.isdigit()
        and parts.path.endswith(".php")  # (a static page names its page in its path)
        and not any(k.lower() == "page" for k, _ in kept)
    ):
        kept.append(("page", page))
    if kept == query:
        return href
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _links(
    scope: etree._Element, base: str
) -> tuple[list[tuple[str, etree._Element]], dict[int, int]]:
    """``(canonical absolute URL, element)`` for every followable link below ``scope``, in
    document order (:func:`_href`; forbidden URLs, such as the ``&ajax=1`` fragments of
    7.x's mobile pager, left out), and by the id() of each element a script leads from,
    how it does (:data:`BY_SCRIPT` or :data:`BY_CALL`)."""
    out = []
    scripted = {}
    functions: dict[str, tuple[str, str]] | None = None
    for node in _LINK_NODES(scope):
        href, how = _href(node)
        if not href or href.startswith(NOT_FOLLOWABLE):
            call = _script_call(node)
            if call is None:
                continue
            if functions is None:
                functions = url_functions(scope)
            if call[0] not in functions:
                continue
            prefix, suffix = functions[call[0]]
            href, how = f"{prefix}{call[1]}{suffix}", BY_SCRIPT
        url = followable_url(base, href)
        if url is not None:
            out.append((url, node))
            if how != BY_HREF:
                scripted[id(node)] = how
    return out, scripted


# A link that calls a function of the page with one number or word: javascript:
# openArticle(32), onclick="goPage(2)".
SCRIPT_CALL_RE = re.compile(
    r"^\s*(?:javascript:)?\s*([A-Za-z_$][\w$]*)\s*\(\s*['\"]?([\w.-]{1,40})['\"]?\s*\)\s*;?"
    r"\s*(?:return\s+false\s*;?\s*)?$"
)
# A page's function of one argument that goes to a URL made of it: function openArticle(id)
# {location.href='shownews.php?lang=cn&id='+id} (a whole-site trial of a template whose
# lists link entries and pages only so).  Groups: name, argument, body.
URL_FUNCTION_RE = re.compile(
    r"function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{([^{}]{1,400})\}"
)
# In such a body: the quoted text before the argument, and any quoted text after it.
URL_BUILT_RE = (
    r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\()"
    r"\s*(['\"])([^'\"]*)\1\s*\+\s*{arg}\b(?:\s*\+\s*(['\"])([^'\"]*)\3)?"
)
_INLINE_SCRIPTS = etree.XPath("//script[not(@src)]/text()", smart_strings=False)


# A quoted URL or path in a script (JSON escapes its slashes: "\/news\/").
SCRIPT_URL_RE = re.compile(r"""["']((?:https?:)?(?:\\?/)[^"'\s<>]{0,200})["']""")
# The most URLs read from a page's scripts.
SCRIPT_URLS_MAX = 500


def script_list_urls(scope: etree._Element, base: str, site: str) -> dict[str, ListRef]:
    """List pages of ``site`` that the page's inline scripts name as quoted URLs or paths
    (a menu built from ``var NAV = [{"name": "商会动态", "url": "/news/"}]``), by canonical
    URL; at most :data:`SCRIPT_URLS_MAX` strings are read."""
    found: dict[str, ListRef] = {}
    seen = 0
    for text in _INLINE_SCRIPTS(scope):
        if "/" not in text:
            continue
        for m in SCRIPT_URL_RE.finditer(text):
            seen += 1
            if seen > SCRIPT_URLS_MAX:
                return found
            url = followable_url(base, m.group(1).replace("\\/", "/"))
            if url and url.startswith(site) and (ref := parse_list_url(url, site)) is not None:
                found.setdefault(url, ref)
    return found


# A quoted string in a script that may be an article's URL or path: it names a page.
SCRIPT_ARTICLE_RE = re.compile(
    r"""["']((?:https?:)?(?:\\?/)?[\w.%\\/-]{0,160}?(?:\.html?|\.php\?[^"'\s<>]{1,80}))["']"""
)


def script_article_urls(scope: etree._Element, base: str, site: str) -> dict[str, ArticleRef]:
    """Articles of ``site`` that the page's inline scripts name as quoted URLs or paths (a
    list a script builds from ``var newsList = [{"url": "notice/12.html", …}]``), by
    canonical URL, in the order named.  A path without a leading slash is read from the
    site's root (MetInfo's scripts join ``M.weburl`` and it), else from ``base``; at most
    :data:`SCRIPT_URLS_MAX` strings are read."""
    found: dict[str, ArticleRef] = {}
    seen = 0
    for text in _INLINE_SCRIPTS(scope):
        if ".htm" not in text and ".php?" not in text:
            continue
        for m in SCRIPT_ARTICLE_RE.finditer(text):
            seen += 1
            if seen > SCRIPT_URLS_MAX:
                return found
            path = m.group(1).replace("\\/", "/")
            for start in (site, base) if not path.startswith(("/", "http")) else (base,):
                url = followable_url(start, path)
                if url and url.startswith(site) and (ref := parse_article_url(url, site)):
                    found.setdefault(url, ref)
                    break
    return found


def _script_call(node: etree._Element) -> tuple[str, str] | None:
    """``(function name, argument)`` of a link whose href or onclick is one call of a
    function with a number or word (``javascript:openArticle(32)``), else None."""
    for script in (node.get("href"), node.get("onclick")):
        if script and (m := SCRIPT_CALL_RE.match(script)):
            return m.group(1), m.group(2)
    return None


def url_functions(scope: etree._Element) -> dict[str, tuple[str, str]]:
    """The page's own functions of one argument that open a URL built from it, by name:
    ``(text before the argument, text after it)`` (``shownews.php?lang=cn&id=``, ``""``),
    read from the inline ``<script>`` blocks of ``scope``'s document."""
    found: dict[str, tuple[str, str]] = {}
    for text in _INLINE_SCRIPTS(scope):
        if "function" not in text:
            continue
        for m in URL_FUNCTION_RE.finditer(text):
            built = re.search(URL_BUILT_RE.format(arg=re.escape(m.group(2))), m.group(3))
            if built is not None and m.group(1) not in found:
                found[m.group(1)] = (built.group(2), built.group(4) or "")
    return found


# Elements that hold one list entry; the date shown in the entry belongs to its link.
LIST_ITEM_TAGS = frozenset({"li", "tr", "dd", "dl", "article"})
MAX_ITEM_CHARS = 600
# Room for a label such as "发布时间：" or "Date:" beside a date in its own element.
DATE_LABEL_CHARS = 8


# A date that an entry's attribute holds for a script to print (data-time, a link's title
# 发布时间：…; generic/jiangnanhuagong-list-8-p2).
DATE_ATTRS = ("data-time", "data-date", "datetime", "data-pubdate", "title")
# A label of an entry's update time, whose date is not the one an article page shows.
ITEM_UPDATE_RE = re.compile(r"更新|update|修改", re.IGNORECASE)
# A date in brackets at the end of a link's text: …的通知（2024-06-07）.
BRACKETED_END_RE = re.compile(r"[（(\[]\s*([^（）()\[\]]{6,24})\s*[)）\]]\s*$")
# The longest text of a piece of a date badge (12, Jun 2024, 2024-06).
BADGE_PIECE_CHARS = 24


@dataclass
class DayReader:
    """Reads the day of list entries: relative dates (3天前, 2 hours ago) against
    ``fetched_at`` in ``tz``, year-less ones (11-27) in the year of the fetch (or the year
    before, for a day after the fetch day: lists run newest first)."""

    tz: tzinfo = UTC
    fetched_at: datetime | None = None
    page_year: int | None = None  # a year the page's breadcrumb names (2024年)
    # Read a year-less date in the fetch day's year (or the year before, for a later day):
    # only for a list that prints the year for past years alone (see _read_days).
    guess_year: bool = False
    yearless_seen: bool = False
    printed: bool = False  # the last date read printed its year
    # The list page, for the order of its two-digit-year dates (24-03-05, 05.03.24), read
    # when the first is met.
    root: etree._Element | None = None
    _short_order: str | None = field(default=None, repr=False)
    _short_read: bool = field(default=False, repr=False)

    def text(self, text: str, entry: etree._Element | None = None) -> PageDate | None:
        """The date ``text`` shows; a year-less one in the year of a heading above the
        ``entry`` (:func:`heading_context`), else the page's year, else by the fetch day."""
        found = parse_date_text(text, self.tz, self.fetched_at)  # find_date's rules first
        if found is not None:
            # a year printed (not a relative date): what the year guess below goes by
            self.printed = YEAR_IN_TEXT_RE.search(normalise(found.raw)) is not None
            return found
        self.printed = False
        if self.root is not None and SHORT_YEAR_RE.match(text):
            if not self._short_read:
                self._short_read = True
                today = self.fetched_at.astimezone(self.tz).date() if self.fetched_at else None
                self._short_order = page_short_year_order(self.root, today)
            if self._short_order and (day := short_year_day(text, self._short_order)):
                self.printed = True
                return PageDate(day, text.strip())
        yearless = yearless_date(text) or _badge_month_day(text)
        if yearless is None and entry is not None and SLASH_MONTH_DAY_RE.match(text.strip()):
            # 05/02 under 民國113年: Taiwan puts the month first (jiayishanghui-list-5-p2)
            year, _month, roc = _headings(entry)
            if roc and year is not None:
                found = yearless_date(text, day_first=False)
                return found.in_year(year, self.tz) if found is not None else None
        if yearless is None:
            if entry is not None and (day := DAY_ALONE_RE.match(text.strip())):
                # a day alone under its year and month headings
                year, month = heading_context(entry)
                if year is not None and month is not None and 1 <= month <= 12:
                    return YearlessDate(month, int(day[1]), None, text.strip()).in_year(
                        year, self.tz
                    )
            return None
        year = heading_context(entry)[0] if entry is not None else None
        if (year := year or self.page_year) is not None:
            return yearless.in_year(year, self.tz)
        self.yearless_seen = True
        if self.fetched_at is None or not self.guess_year:
            return None
        today = self.fetched_at.astimezone(self.tz).date()
        after = (yearless.month, yearless.day) > (today.month, today.day)
        return yearless.in_year(today.year - after, self.tz)


# A badge of a day and a month without the year: 16 01月, 01月 16 (generic/taoxichaye-list-11-p2).
BADGE_MONTH_DAY_RE = re.compile(
    r"^(?:(?P<d>\d{1,2})\s+(?P<m>\d{1,2})\s*月|(?P<m2>\d{1,2})\s*月\s+(?P<d2>\d{1,2}))$"
)


def _badge_month_day(text: str) -> YearlessDate | None:
    if (m := BADGE_MONTH_DAY_RE.match(text.strip())) is None:
        return None
    month, day = int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
    return YearlessDate(month, day, None, text.strip()) if 1 <= month <= 12 else None


# A year standing alone: a timeline's heading (2025年), a yearly column (2024年).
YEAR_ALONE_RE = re.compile(r"^((?:19|20)\d{2})\s*年?$")
# A year of the Republic of China calendar standing alone: 民國113年 (year 113 is 2024;
# generic/jiayishanghui-list-5-p2).
SLASH_MONTH_DAY_RE = re.compile(r"^\d{2}/\d{2}$")
ROC_YEAR_ALONE_RE = re.compile(r"^(?:中華|中华)?民[國国]\s*(\d{2,3})\s*年?$")
# How far up from an entry a year heading before it is looked for.
YEAR_HEADING_LEVELS = 5


# A year and month standing alone: a timeline's heading (2024年6月, 2024-06, 2024.06).
YEAR_MONTH_ALONE_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:年|[-./])\s*(\d{1,2})\s*月?$")
# A month alone under a year heading (12月), and a day alone in an entry (28, 28日).
MONTH_ALONE_RE = re.compile(r"^(\d{1,2})\s*月$")
DAY_ALONE_RE = re.compile(r"^(\d{1,2})\s*日?(?:\s*(?:星期|周|週)[一二三四五六日天])?$")
# A month and then its year, in pieces: <em>02</em>月<span>2024</span> (generic/
# jinhuahuizhan-list-9-p2).
MONTH_YEAR_ALONE_RE = re.compile(r"^(\d{1,2})\s*月\s*((?:19|20)\d{2})\s*年?$")


def heading_context(block: etree._Element) -> tuple[int | None, int | None]:
    """``(year, month)`` of the headings that stand before a list entry in a list grouped
    by year, or by year and month (<h3>2025年</h3>, <h4>2024年6月</h4>, <h2>2021年</h2>
    <h3>12月</h3>; generic/taoxichaye-list-11-p2, yuelushuyuan-list-8-p1,
    yuyaoqiyejia-list-20-p2; 民國113年, generic/jiayishanghui-list-5-p2): the nearest of
    each before the entry or before one of its first ancestors; None for what is not
    found."""
    year, month, _roc = _headings(block)
    return year, month


def _headings(block: etree._Element) -> tuple[int | None, int | None, bool]:
    """:func:`heading_context`, and whether the year heading is one of the Republic of
    China calendar (a Taiwan page)."""
    year = month = None
    node: etree._Element | None = block
    for _ in range(YEAR_HEADING_LEVELS):
        if node is None or year is not None:
            break
        for before in node.itersiblings(preceding=True):
            if not isinstance(before.tag, str):
                continue
            text = element_text(before)
            if m := YEAR_MONTH_ALONE_RE.match(text):
                year, month = int(m[1]), month or int(m[2])
                break
            if m := MONTH_YEAR_ALONE_RE.match(text):
                year, month = int(m[2]), month or int(m[1])
                break
            if m := YEAR_ALONE_RE.match(text):
                year = int(m[1])
                break
            if m := ROC_YEAR_ALONE_RE.match(text):
                return int(m[1]) + ROC_YEAR_OFFSET, month, True
            if (m := MONTH_ALONE_RE.match(text)) and month is None:
                month = int(m[1])
                continue
            if len(before) == 0 and before.tag in ("h2", "h3", "h4", "h5", "dt"):
                break  # another heading: nothing above
        node = node.getparent()
    return year, month, False


def page_year(sel: Selector) -> int | None:
    """A year the page's breadcrumb names as a column (首页 > 新闻 > 2024年: a yearly
    sub-column, generic/fenghuangzhen-list-15-p2), or None."""
    for block in crumb_blocks(sel.root):
        for a in block.iter("a", "span", "strong"):
            if m := YEAR_ALONE_RE.match(clean_line(text_content(a))):
                return int(m[1])
    return None


# A table list's column of publication dates by its header (发布日期), not the date a
# document was written (成文日期) or last changed.
DATE_HEADER_RE = re.compile(r"日期|时间|時間|date|time", re.IGNORECASE)
OTHER_DATE_HEADER_RE = re.compile(
    # and the day a rule takes effect or lapses (实施日期, generic/xiangtanjianxie-list-7-p3)
    r"成文|更新|修改|截止|开始|開始|结束|結束|实施|實施|施行|生效|废止|廢止|有效期|updated|modified",
    re.I,
)


def _published_cell(anchor: etree._Element) -> etree._Element | None:
    """The cell of the publication-date column in the table row holding ``anchor``, when
    the table's header names one apart from other date columns (成文日期 then 发布日期,
    generic/huaxikfq-list-31-p2); None otherwise."""
    row = next(anchor.iterancestors("tr"), None)
    table = next(row.iterancestors("table"), None) if row is not None else None
    if table is None:
        return None
    names = _header_names(table, row)
    if names is None:
        return None
    dated = [i for i, name in enumerate(names) if DATE_HEADER_RE.search(name)]
    if len(dated) < 2:
        return None  # one date column: the entry's date whatever it is called
    published = [i for i in dated if not OTHER_DATE_HEADER_RE.search(names[i])]
    cells = [cell for cell in row if cell.tag in ("th", "td")]
    if len(published) != 1 or len(cells) != len(names):
        return None
    return cells[published[0]]


def _published_piece(entry: etree._Element) -> etree._Element | None:
    """The publication-date piece of a list entry laid out in columns without a table: a
    header block before the list names each of the entry's pieces (文件名称 | 文号 |
    成文日期 | 发布日期 over <li><span>…</span>…</li>, generic/lgzmq-list-15-p2); None
    unless the header names two date columns and exactly one is the publication's."""
    parent = entry.getparent()
    if parent is None or entry.tag not in LIST_ITEM_TAGS:
        return None
    header = next(
        (el for el in parent.itersiblings(preceding=True) if isinstance(el.tag, str)), None
    )
    pieces = [el for el in entry if isinstance(el.tag, str)]
    if header is None or len(header) != len(pieces) or len(pieces) < 3:
        return None
    names = [element_text(el) for el in header if isinstance(el.tag, str)]
    if len(names) != len(pieces):
        return None
    dated = [i for i, name in enumerate(names) if DATE_HEADER_RE.search(name) and len(name) <= 8]
    published = [i for i in dated if not OTHER_DATE_HEADER_RE.search(names[i])]
    if len(dated) < 2 or len(published) != 1:
        return None
    return pieces[published[0]]


# The most header rows of a list table read for its column names.
HEADER_ROWS_MAX = 3


def _header_names(table: etree._Element, row: etree._Element) -> list[str] | None:
    """The name of each column of a list table, by its header: the rows of its ``<thead>``
    (a two-row header, 日期 over 成文 | 发布: generic/fxgxq-list-22-p3, spans laid out),
    else its first row; None when ``row`` is the header."""
    head = next(table.iter("thead"), None)
    rows = list(head.iter("tr"))[:HEADER_ROWS_MAX] if head is not None else []
    if not rows:
        first = next(iter(table.iter("tr")), None)
        if first is None or first is row:
            return None
        rows = [first]
    if row in rows:
        return None
    grid: list[list[str]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        col = 0
        for cell in tr:
            if cell.tag not in ("th", "td"):
                continue
            while col < len(grid[r]) and grid[r][col] is not None:
                col += 1
            span = _span(cell, "colspan")
            down = _span(cell, "rowspan")
            text = element_text(cell)
            for rr in range(r, min(len(rows), r + down)):
                line = grid[rr]
                while len(line) < col + span:
                    line.append(None)  # type: ignore[arg-type]
                for c in range(col, col + span):
                    line[c] = text
            col += span
    width = max(len(line) for line in grid)
    return [
        " ".join(dict.fromkeys(line[c] for line in grid if c < len(line) and line[c]))
        for c in range(width)
    ]


def _span(cell: etree._Element, attr: str) -> int:
    """A cell's colspan or rowspan (1 when absent or odd; at most 20)."""
    value = (cell.get(attr) or "1").strip()
    return min(int(value), 20) if value.isdigit() and int(value) > 0 else 1


def item_blocks(article_links: list[tuple[str, etree._Element]]) -> dict[int, etree._Element]:
    """For each article link (by id() of its element), its entry: the largest block around
    it that holds no other article of the list (a card, a timeline item, a table row), so
    that a date printed beside the title in any markup is the entry's."""
    under: dict[etree._Element, set[str]] = {}
    for link, node in article_links:
        for ancestor in node.iterancestors():
            under.setdefault(ancestor, set()).add(link)
    blocks = {}
    for _link, node in article_links:
        block = node
        while (up := block.getparent()) is not None and up.tag not in ("body", "html"):
            if len(under.get(up, ())) != 1:
                break
            block = up
            if len(article_links) == 1 and block.tag in ONE_ENTRY_TAGS:
                # The only article of a page (a column's last page of one): its list item,
                # not the page around it, whose side box's date had become the article's
                # (a whole-site trial of a notice board).
                break
        blocks[id(node)] = block
    return blocks


# An element that is one entry of a list whatever it holds.
ONE_ENTRY_TAGS = frozenset({"li", "tr", "dl", "article"})


def item_day(
    anchor: etree._Element, block: etree._Element | None = None, reader: DayReader | None = None
) -> str | None:
    """The day shown in the list entry holding ``anchor`` (its ``block``, :func:`item_blocks`),
    as ``YYYY-MM-DD``, or None.

    In order: a date standing (almost) alone in its element; a date badge printed in
    pieces (<b>12</b><em>2024-06</em>); a date in brackets at the end of the title; a date
    an attribute holds for a script (data-time, title="发布时间：…"); any date of the entry.
    An update time (最后更新：…) counts only when nothing else does."""
    reader = reader or DayReader()
    node = anchor if anchor.tag in LIST_ITEM_TAGS else anchor.getparent()
    while node is not None and node.tag not in LIST_ITEM_TAGS:
        if node.tag in ("ul", "ol", "table", "body"):
            node = None
            break
        node = node.getparent()
    if node is None or (block is not None and nested(node, block) and node is not block):
        node = block if block is not None else node
    if node is None:
        return None
    texts = [t.strip() for t in node.itertext() if t.strip()]
    if sum(map(len, texts)) > MAX_ITEM_CHARS:
        return None
    cell = _published_cell(anchor)
    if cell is None:
        cell = _published_piece(node)
    if cell is not None and (found := reader.text(element_text(cell), anchor)):
        return found.iso[:10]
    first = update = None
    previous = ""
    for text in texts:
        found = reader.text(text, anchor)
        label, previous = previous, text
        if found is None:
            continue
        lead = text[: max(0, text.find(found.raw))]
        if EVENT_DATE_LABEL_RE.match(lead) or (
            not lead.strip() and EVENT_DATE_LABEL_RE.match(label)
        ):
            continue  # 活动时间：, 报名截止： an event's day (generic/hainingpige-list-10-p2)
        if ITEM_UPDATE_RE.search(lead):
            update = update or found.iso[:10]
            continue
        if len(text) <= len(found.raw) + DATE_LABEL_CHARS:
            return found.iso[:10]
        first = first or found.iso[:10]
    title = clean_line(text_content(anchor))
    for el in node.iter(etree.Element):
        if el is anchor or el.tag in ("script", "style") or len(el) == 0:
            continue
        piece = element_text(el)
        if 2 < len(piece) <= BADGE_PIECE_CHARS and any(c.isdigit() for c in piece):
            found = badge_date(piece) or reader.text(piece, anchor)
            if (
                found is not None
                and not ITEM_UPDATE_RE.search(piece)
                and not EVENT_DATE_LABEL_RE.match(piece)
            ):
                return found.iso[:10]
    if (m := BRACKETED_END_RE.search(title)) and (found := reader.text(m[1])) is not None:
        return found.iso[:10]
    for el in (anchor, *node.iter(etree.Element)):
        for attr in DATE_ATTRS:
            value = el.get(attr)
            if value and any(c.isdigit() for c in value) and (found := reader.text(value)):
                return found.iso[:10]
    if first or update:
        return first or update
    return _day_beside(anchor, node, reader) or _day_heading(node, reader)


# The longest text beside an entry read for its date (a tail, the row under it).
BESIDE_DATE_CHARS = 24


# Inline elements that hold a link's date printed right after it.
BESIDE_DATE_TAGS = frozenset({"font", "span", "em", "small", "i", "time", "b"})


def _short_day(text: str, reader: DayReader) -> str | None:
    """The day a short text beside an entry shows, brackets aside ([2024-06-20]), or None
    for an empty or a longer text (:data:`BESIDE_DATE_CHARS`)."""
    text = text.strip()
    if not 0 < len(text) <= BESIDE_DATE_CHARS:
        return None
    found = reader.text(text.strip("[]【】()（）"))
    return found.iso[:10] if found is not None else None


def _text_before(link: etree._Element) -> str:
    """The text right before ``link`` in its parent: the tail of the element before it, or
    the parent's own text when it is the first child."""
    before = link.getprevious()
    parent = link.getparent()
    text = before.tail if before is not None else (parent.text if parent is not None else "")
    return text or ""


def _dates_lead(parent: etree._Element, reader: DayReader) -> bool:
    """True when the first link of ``parent`` is its first child with a date of its own in
    the text before it: a run of bare links that prints each date first."""
    first = next(parent.iter("a"), None)
    return (
        first is not None
        and first.getparent() is parent
        and first.getprevious() is None
        and _short_day(_text_before(first), reader) is not None
    )


def _day_beside(anchor: etree._Element, node: etree._Element, reader: DayReader) -> str | None:
    """The day printed just outside an entry's own markup: as the link's tail in a ticker of
    bare links (<a>…</a>[2024-06-20], generic/changshanyouchaxie-home), before the link in a
    ticker that prints each date first (2026-11-26&nbsp;<a>…</a>, qiantangxiehui-home), in
    an inline element right after it (<font>[2026-11-25]</font>, cangnanxiehui-home), or in
    the table row under the title's row (5.x scrollers: generic/yixingshanghui-home); None."""
    parent = anchor.getparent()
    if parent is not None and _dates_lead(parent, reader):
        return _short_day(_text_before(anchor), reader)
    tail = (anchor.tail or "").strip()
    if day := _short_day(tail, reader):
        return day
    after = anchor.getnext()
    if not tail and after is not None and after.tag in BESIDE_DATE_TAGS:
        if day := _short_day(element_text(after), reader):
            return day
    row = node if node.tag == "tr" else next(anchor.iterancestors("tr"), None)
    below = row.getnext() if row is not None else None
    if below is not None and below.tag == "tr" and below.find(".//a") is None:
        return _short_day(element_text(below), reader)
    return None


# The most characters beside its date of a heading that is a day (2024-06-12 星期三).
DAY_HEADING_EXTRA_CHARS = 6


def _day_heading(entry: etree._Element, reader: DayReader) -> str | None:
    """The day of a heading that is only a date, standing before a dateless entry or
    before one of its first ancestors (a daily digest: 2024-06-12 星期三 over that day's
    titles, generic/cixijiadian-list-7-p2); None."""
    node: etree._Element | None = entry
    for _ in range(YEAR_HEADING_LEVELS):
        if node is None or node.tag in ("body", "html"):
            return None
        for before in node.itersiblings(preceding=True):
            if (
                not isinstance(before.tag, str)
                or before.tag in BESIDE_DATE_TAGS
                or before.tag in ("br", "a")
                or before.find(".//a") is not None
            ):
                continue  # (an inline date is the link's before it: cangnanxiehui-home)
            text = element_text(before)
            if not text or len(text) > BESIDE_DATE_CHARS:
                continue
            found = find_date(text, reader.tz)
            if found is not None and len(text) <= len(found.raw) + DAY_HEADING_EXTRA_CHARS:
                return found.iso[:10]
            if DAY_ALONE_RE.match(text) and (found := reader.text(text, before)) is not None:
                return found.iso[:10]  # a day under its month heading: 28 周三
        node = node.getparent()
    return None


def _read_days(
    found: PageLinks,
    article_links: list[tuple[str, etree._Element]],
    sel: Selector,
    meta: PageMeta | None,
    url: str,
    tz: tzinfo,
    fetched_at: datetime | None,
) -> None:
    """Fill ``found.dates`` with each entry's day (:func:`item_day`), numeric dates read by
    the page's language and own dates (generic/xiangjiangchaoshang-list-6-p2)."""
    meta = meta or read_page_meta(sel)
    here = parse_list_url(url, site_root(url, meta.site))
    token = READING_LANGUAGE.set(page_language(sel, meta, here.lang if here else None))
    page_token = READING_PAGE.set(DateOrder(sel.root))
    try:
        reader = DayReader(tz, fetched_at, page_year(sel), root=sel.root)
        blocks = item_blocks(article_links)
        # per list (the entries' parent): the years its entries print
        printed: dict[etree._Element | None, list[int]] = {}
        for link, node in article_links:
            if link not in found.dates and (day := item_day(node, blocks.get(id(node)), reader)):
                found.dates[link] = day
                if reader.printed:
                    printed.setdefault(_list_of(blocks, node), []).append(int(day[:4]))
        if reader.yearless_seen and printed and fetched_at is not None:
            # 11-27 beside 2025-12-26 in one list: the year printed for other years only,
            # the entries without one are this year's (generic/qingshuiwan-list-3-p1); with
            # relative dates of this year in the same feed (suichangshanghui-home).  Never
            # a guess for a list of year-less dates alone, nor from another box's years: a
            # wrong day would have an incremental run fetch every entry again
            # (tests/sites devzone-static's home, generic/changshanyouchaxie-home).
            this_year = fetched_at.astimezone(tz).year
            reader.guess_year = True
            for link, node in article_links:
                years = printed.get(_list_of(blocks, node))
                if (
                    link not in found.dates
                    and years
                    # (a notice scheduled for next year prints its year too)
                    and all(year != this_year for year in years)
                    and (day := item_day(node, blocks.get(id(node)), reader))
                ):
                    found.dates[link] = day
    finally:
        READING_PAGE.reset(page_token)
        READING_LANGUAGE.reset(token)


def _list_of(blocks: dict[int, etree._Element], node: etree._Element) -> etree._Element | None:
    """The list an entry belongs to: its block's parent."""
    block = blocks.get(id(node), node)
    return block.getparent()


# A four-digit year in a date's text.
YEAR_IN_TEXT_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _in_chrome(node: etree._Element) -> bool:
    """:func:`crawler.extract.generic.in_chrome` for a link of a list page, with two
    exceptions.  A link's own class names its look, not a block (Bootstrap's ``link-dark`` on
    every title, generic/nanshaxiehui-list-33-p5).  A list entry beside entries of the same
    tag that are not chrome is an entry of that list whatever its class names (MetInfo's
    item flags as classes, ``li.recommend``, ``li.hot``: generic/yunwuchayexiehui-list-4-p2):
    only the blocks inside it and above its list count."""
    start = node.getparent() if node.tag == "a" else node
    if start is None or not in_chrome(start):
        return False
    el = start
    while el is not None and el.tag not in ("body", "html"):
        if _chrome_tokens(el) and (
            (el.tag in LIST_ITEM_TAGS and _beside_plain_entries(el)) or _beside_plain_boxes(el)
        ):
            return _chrome_between(start, el) or in_chrome(el.getparent())
        el = el.getparent()
    return True


def _chrome_tokens(el: etree._Element) -> bool:
    """True when a class or id of ``el`` names chrome (generic's ``CHROME_TOKEN_RE``)."""
    return any(CHROME_TOKEN_RE.match(token) for token in class_tokens(el))


def _beside_plain_entries(item: etree._Element) -> bool:
    """True when a sibling of the list entry ``item`` has its tag and no chrome class."""
    parent = item.getparent()
    return parent is not None and any(
        other is not item and other.tag == item.tag and not _chrome_tokens(other)
        for other in parent
    )


def _beside_plain_boxes(box: etree._Element) -> bool:
    """True when a sibling of ``box`` shares its tag and a class name and is no chrome: a
    column home's sub-column boxes (div.box.box-dongtai … div.box.box-hot, generic/
    wenlingbengye-list-2-p1) are alike whatever one's own class says."""
    parent = box.getparent()
    names = set((box.get("class") or "").split())
    return (
        parent is not None
        and bool(names)
        and any(
            other is not box
            and other.tag == box.tag
            and names & set((other.get("class") or "").split())
            and not _chrome_tokens(other)
            for other in parent
        )
    )


def _chrome_between(el: etree._Element | None, item: etree._Element) -> bool:
    """True when ``el`` or an ancestor below ``item`` is chrome by tag or class."""
    while el is not None and el is not item:
        if el.tag in CHROME_TAGS or _chrome_tokens(el):
            return True
        el = el.getparent()
    return False


# 5.x classic pagers print "共N页 当前第P页" (guide §1.6, include/pager.class.php); custom
# templates "1/3页", "Total 4 pages", "Page 2 of 4" (fixtures generic/*-list-*).
PAGE_TOTAL_RE = re.compile(
    r"共\s*(\d+)\s*[页頁]|\d+\s*/\s*(\d+)\s*[页頁]|[页頁]次\s*[:：]?\s*\d+\s*/\s*(\d+)|"
    r"total\s*:?\s*(\d+)\s*pages?|page\s+\d+\s*(?:of|/)\s*(\d+)|(\d+)\s+pages?\s+in\s+total|"
    # the item count first: 共 38 条 4 页, 共38條記錄 4頁, 38 items / 4 pages
    # (generic/qingyangxiehui-list-5-p2, aomenchaye-list-9-p2, jinshaxiehui-list-3-p2)
    r"共\s*\d+\s*(?:条|條|篇|个|個|项|項)(?:记录|記錄|信息|資訊|数据|數據)?\s*[,，/、|]?\s*"
    r"(?:共\s*)?(?:分\s*)?(\d+)\s*[页頁]|"
    r"\d+\s+(?:items?|records?|articles?|entries|posts|results)\s*[,/|·]?\s*(\d+)\s+pages?\b|"
    # Thai หน้า ๒ จาก ๕ (any digits, generic/taihuazonghui-list-17-p2), Indonesian and Malay
    r"หน้า\s*\d+\s*(?:จาก|/)\s*(\d+)|halaman\s+\d+\s+dari(?:pada)?\s+(\d+)|"
    # a labelled figure: 总页数：23 (generic/taizhoumojuxiehui-list-8-p12)
    r"(?:总页数|總頁數|总页|總頁)\s*[:：]?\s*(\d+)|"
    # a bare "2 pages" after the page links (tests/sites lingang-ftz, English list)
    r"(?<![\w/.])(\d+)\s+pages\b(?!\s*\w)",
    re.IGNORECASE,
)
# A bare "current/total" in a pager block, the last resort ("<b>2</b>/12": generic/
# qingyunkuaijixuehui-list-3-p2; WordPress's "2 / 9": gangmaoxiehui-list-6-p2); not part
# of a date (2024/05/01) or a longer number, and the current page no later than the last.
PAGE_FRACTION_RE = re.compile(r"(?<![\d/.:-])(\d{1,4})\s*/\s*(\d{1,4})(?![\d/.:-])")
# A class or id word naming a pager anywhere in the token (`jh-pager`, `news-pagination`):
# where a page count may be printed though the links are scripts (generic/jinhe-list-7-p2).
PAGER_WORD_RE = re.compile(
    r"(?:^|[-_])(?:pager|pages|pagination|paging|fenye|fanye|pagenav|pagelist|pg|pgnav|pagebar|"
    # WordPress's post list navigation (generic/hillcrestcc-list-4-p2)
    r"nav-links|posts-navigation|page-numbers)"
    r"(?:$|[-_])",
    re.IGNORECASE,
)
# Class or id tokens that name a pager: chrome to the article extractor, but where a list
# page's pager links live (`pager-nums`, `pagination-box`, a `next` link, `<nav
# class="pg-nav">`: generic/seabrightcc-list-9-p2).
PAGER_TOKEN_RE = re.compile(
    r"^(?:met[-_]?)?(?:pager?|pages|pagination|paging|pg|pgnav|pagenav|pagebar|prev|next|"
    r"prevnext|fenye|fanye|nav-links|posts-navigation|page-numbers)(?:[-_].*)?$|"
    # a pager word after a template's prefix: yh-fanye, jb-pager (generic/yuhangchaxie-list-12-p3)
    r"^[a-z]{1,4}[-_](?:pager?|pages|pagination|paging|fenye|fanye|pagenav|pagebar)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _names_pager(name: str) -> bool:
    """True when a class or id name names a pager (:data:`PAGER_WORD_RE`).  Memoised: a
    site's template repeats the same hundred or so names on every list page."""
    return PAGER_WORD_RE.search(name) is not None


# How far above a pager link its block's text may be read for the page count.
PAGER_BLOCK_CHARS = 300


def page_count(sel: Selector, pager_blocks: list[etree._Element]) -> int | None:
    """The column's page count: ``#metPageT@data-pageurl`` (``prefix|suffix|count``, 7.x and
    5.x v1), else the "共N页" of a classic pager among ``pager_blocks`` (:func:`pagers`) or
    printed just beside one (in the short block around it: "38 items / 4 pages" next to a
    prev/next pager), else a bare "2/12" in one of them (:data:`PAGE_FRACTION_RE`)."""
    for _, _, count in _met_page_fields(sel):
        if count.isdigit():
            return int(count)
        break
    texts = [text_content(pager) for pager in pager_blocks]
    around = [text_content(_pager_block(pager)) for pager in pager_blocks]
    for text in (*texts, *around):
        if m := PAGE_TOTAL_RE.search(text):
            return int(next(g for g in m.groups() if g))
    for text in texts:
        for m in PAGE_FRACTION_RE.finditer(text):
            if 0 < int(m[1]) <= int(m[2]):
                return int(m[2])
    return None


# "Page 2 of 12", 第2页/共12页, 页次：2/12: this page's number, then the count.
PAGE_N_OF_M_RE = re.compile(
    r"\bpage\s+(\d+)\s*(?:of|/)\s*(\d+)|第\s*(\d+)\s*[页頁]\s*[/，,]?\s*共\s*(\d+)\s*[页頁]"
    r"|[页頁]次\s*[:：]?\s*(\d+)\s*/\s*(\d+)",
    re.IGNORECASE,
)
_PAGE_STATEMENT_TEXT = etree.XPath(
    "//text()[contains(translate(., 'PAGE', 'page'), 'page') or contains(., '页')"
    " or contains(., '頁')]",
    smart_strings=False,
)


def stated_page_count(sel: Selector, page: int) -> int | None:
    """The page count stated away from the pager ("Page 2 of 12 · 118 articles" in a bar
    above the list, generic/oakridgecc-list-4-p2): a "page N of M" whose N is this page's
    number (``page``), outside page chrome; None without one."""
    for text in _PAGE_STATEMENT_TEXT(sel.root):
        for m in PAGE_N_OF_M_RE.finditer(text):
            number, count = (int(g) for g in m.groups() if g is not None)
            if number == page and count >= page:
                parent = getattr(text, "getparent", lambda: None)()
                if parent is None or not in_chrome(parent):
                    return count
    return None


# The most page URLs #metPageT may name (a bound on what one list page can add).
MET_PAGE_URLS_MAX = 5000


def _met_page_fields(sel: Selector) -> Iterator[tuple[str, str, str]]:
    """``(prefix, suffix, count)`` of each ``<input id="metPageT" data-pageurl="p|s|n">``
    (7.x and 5.x v1, guide §1.6), stripped, in document order."""
    for field_el in doc_index(sel.root).ids.get(PAGE_COUNT_ID, []):
        value = field_el.get("data-pageurl") if field_el.tag == "input" else None
        if value and value.count("|") >= 2:
            prefix, suffix, count = (part.strip() for part in value.split("|")[:3])
            yield prefix, suffix, count


def met_page_urls(sel: Selector, base: str) -> list[str]:
    """Every page of the column, as ``#metPageT@data-pageurl`` (``prefix|suffix|count``,
    7.x and 5.x v1, guide §1.6) spells them: ``prefix`` + N + ``suffix`` for N = 1 .. count
    (at most :data:`MET_PAGE_URLS_MAX`), resolved against ``base``; [] without it."""
    for prefix, suffix, count in _met_page_fields(sel):
        if not prefix or not count.isdigit():
            continue
        pages = (
            followable_url(base, f"{prefix}{n}{suffix}")
            for n in range(1, min(int(count), MET_PAGE_URLS_MAX) + 1)
        )
        return [page for page in pages if page]
    return []


def pagers(sel: Selector) -> list[etree._Element]:
    """The page's pager blocks (:data:`PAGER_CSS`, any class naming ``metpager``, any
    :data:`PAGER_LABEL_RE` ``aria-label``), in document order."""
    return merge_in_document_order(
        select_css(sel.root, PAGER_CSS),
        doc_index(sel.root).with_class_containing(PAGER_CLASS_PART),
        [el for el in _LABELLED(sel.root) if PAGER_LABEL_RE.search(el.get("aria-label", ""))],
    )


def _without_articles(
    blocks: list[etree._Element],
    links: list[tuple[str, etree._Element]],
    by_script: dict[int, int],
    site: str,
) -> list[etree._Element]:
    """The pager ``blocks`` that link no article (``links`` and ``by_script`` as
    :func:`_links` gives them; a call's argument is no link here): a site wrapper named like
    a pager (``<div id="page">`` around the whole page, as WordPress themes have it:
    generic/huaqiaoshanghui-list-8-p3, gangmaoxiehui-list-6-p2) holds the list, the menus
    and the side lists, and is none."""
    if not blocks:
        return blocks
    inside = _link_ids(blocks)
    articles = {
        id(node)
        for link, node in links
        if id(node) in inside
        and by_script.get(id(node)) != BY_CALL
        and parse_article_url(link, site)
    }
    return [block for block in blocks if not _link_ids([block]) & articles]


def same_column_pages(
    links: list[tuple[str, etree._Element]], url: str, site: str, classnow: str | None = None
) -> list[tuple[etree._Element, ListRef]]:
    """Link elements (with their decoded URL) outside page chrome that lead to a page of
    this list page's own
    column (same column, folder and language; ``<option>`` values of a jump box too): a
    pager whatever its markup.  The column is the URL's, else ``classnow`` (the generator
    meta's, for a column at its folder URL or ``index.html``); links to the folder itself
    (``news/``, ``news/index.html``) are among them.  Empty when ``url`` is no list URL of
    a known column."""
    here = parse_list_url(url, site)
    column = (here.column or classnow) if here is not None else None
    if here is None or column is None:
        return []
    out = []
    for link, node in links:
        ref = parse_list_url(link, site)
        if (
            ref is not None
            and (ref.folder, ref.lang) == (here.folder, here.lang)
            and (ref.column == column or ref.column is None)
            and not _outside_pager_chrome(node)
        ):
            out.append((node, ref))
    return out


def _outside_pager_chrome(node: etree._Element) -> bool:
    """True when a link sits in page chrome other than a pager's own blocks (whose class
    names a pager or prev/next: chrome to the article extractor).  A ``<form>`` around it
    counts for nothing: a jump box's ``<select>`` sits in one (generic/jinyangxiehui-list-5-p2,
    whose options alone link pages 6-11), and a search form in a header is still in it.
    A link that reads "Next »" or "« Prev" is a pager's in any block (a ``<nav>`` of the two,
    generic/oakridgecc-list-4-p2)."""
    if STEP_TEXT_RE.match(text_content(node).strip().strip("«»‹›<> ")):
        return False
    parent = node.getparent()
    form = next((el for el in node.iterancestors("form")), None)
    if form is not None and form.getparent() is not None:
        parent = form.getparent()
    if token_above(parent, PAGER_TOKEN_RE) or not in_chrome(parent):
        return False
    # a block that states the page count is a pager, whatever its class says (a table's
    # footer row td.tb-foot: 共23条记录 … 第2/5页, generic/qiantanghuanbao-list-9-p2)
    return not PAGE_TOTAL_RE.search(text_content(_pager_block(node)))


def _pager_block(node: etree._Element) -> etree._Element:
    """The block around a pager link whose text may state the page count: its parent,
    grown while the text stays short."""
    block = node.getparent() if node.tag == "a" else node
    while block is not None and block.getparent() is not None:
        parent = block.getparent()
        if parent.tag in ("body", "html") or len(text_content(parent)) > PAGER_BLOCK_CHARS:
            break
        block = parent
    return block if block is not None else node


# The text of a link to the next or previous page.
STEP_TEXT_RE = re.compile(
    r"^(?:[上下前后][一1]?页|next(?:\s+page)?|prev(?:ious)?(?:\s+page)?)\W*$", re.IGNORECASE
)
# The text of a link to the first page: the last page of a top column links its folder so
# (首页 | 上一页 | 1 all to news/, generic/xianjuchengxiang-list-2-p2).
FIRST_PAGE_TEXT_RE = re.compile(
    r"^(?:1|首页|首頁|第一页|第一頁|[上前][一1]?[页頁]|first(?:\s+page)?|prev(?:ious)?(?:\s+page)?|«|‹)\W*$",
    re.IGNORECASE,
)


# The text of a link to a page by its number or place: 2, 下一页, 尾页, Last ».
PAGE_LINK_TEXT_RE = re.compile(
    r"^(?:\d+|[上下前后首尾末][一1]?[页頁]|第一[页頁]|next|prev(?:ious)?|first|last|«|»|‹|›)"
    r"(?:\s*page)?\W*$",
    re.IGNORECASE,
)


def _crumb_link(node: etree._Element, crumbs: list[etree._Element]) -> bool:
    """True for a breadcrumb's link that names the column (当前位置：首页 >> 村务动态 ->
    ``news/index.html``): never a pager's, however near the pager it sits (generic/
    xishuangqiao-list-3-p2).  A link that reads as a page (2, 下一页, 首页) stays a
    candidate: a pager may look like a breadcrumb (首页 | 上一页 | …)."""
    if not crumbs or PAGE_LINK_TEXT_RE.match(text_content(node).strip()):
        return False
    return any(nested(node, block) for block in crumbs)


def _unknown_pagers(
    pages: list[tuple[etree._Element, ListRef]], later_page: bool = False
) -> tuple[list[etree._Element], list[etree._Element]]:
    """Of the links to this column's pages (:func:`same_column_pages`), those that sit
    with another one naming the column in a short block (a pager; a side menu's single link
    to the column is not one, nor a block of links to the folder only, nor links that
    repeat one page under one text: the column's name as a title bar's link and as the
    breadcrumb's last, generic/xiangjiangjixiexiehui-list-9-p3); a single link that names
    the next or previous page is one (page 1's 下一页, generic/lingangkaifaqu-list-9-p1);
    on a ``later_page`` (2 and on), so is a block whose links to the folder all read as
    the first or previous page (首页, 上一页, 1).  And those blocks, in document order."""
    blocks: dict[etree._Element, list[tuple[etree._Element, ListRef]]] = {}
    for node, ref in pages:
        blocks.setdefault(_pager_block(node), []).append((node, ref))
    pagers = {
        block: found
        for block, found in blocks.items()
        if (
            sum(ref.column is not None for _, ref in found) >= 2
            and len({(ref, text_content(node).strip()) for node, ref in found}) >= 2
        )
        or any(
            ref.column is not None and STEP_TEXT_RE.match(text_content(node).strip())
            for node, ref in found
        )
        or (
            later_page
            and len({text_content(node).strip() for node, ref in found if ref.column is None}) >= 2
            and all(
                FIRST_PAGE_TEXT_RE.match(text_content(node).strip())
                for node, ref in found
                if ref.column is None
            )
        )
    }
    kept = {node for found in pagers.values() for node, _ in found}
    return [node for node, _ in pages if node in kept], merge_in_document_order(list(pagers))


def _main_list_only(
    articles: list[tuple[str, etree._Element]],
    pager_nodes: list[etree._Element],
    other_columns: set[int],
    links: list[tuple[str, etree._Element]],
) -> tuple[list[tuple[str, etree._Element]], etree._Element | None]:
    """The article links of the main list when the page has no known list container: those
    that share the closest ancestor with the pager (a side column's "hot" list shares only
    the page body with it), and that ancestor.  All of them when there is no pager.  Of the
    blocks under that ancestor, one that links another column's list page (``other_columns``,
    id() of such links: a 更多 link) is that column's box unless it holds the most articles
    (a 通知公告 ticker above the list, generic/yunxishanghui-list-21-p1)."""
    if not pager_nodes or not articles:
        return articles, None
    # Keyed by the elements themselves: the dict keeps their Python objects alive, so
    # iterancestors() below hands back these same objects (an id() of a dropped one could
    # be reused).
    anchor = {el: depth for depth, el in enumerate(pager_nodes[-1].iterancestors())}

    def closeness(node: etree._Element) -> int:
        for el in node.iterancestors():
            if el in anchor:
                return -anchor[el]
        return -len(anchor)

    ranks = [closeness(node) for _, node in articles]
    best = max(ranks)
    kept = [pair for pair, rank in zip(articles, ranks, strict=True) if rank == best]
    # A list comes before its pager: links in blocks after it that share only the same
    # ancestor ("推荐阅读" under a load-more button, generic/yingbin-list-3-p1) are left
    # out, unless nothing comes before it.
    shared = next((el for el, depth in anchor.items() if -depth == best), None)
    if shared is None:
        return kept, None
    pager_at = shared.index(_child_under(pager_nodes[-1], shared))
    before = [pair for pair in kept if shared.index(_child_under(pair[1], shared)) <= pager_at]
    kept = before or kept
    # Articles per block, each article once (a row's title and its [图] link are one).
    boxes: dict[etree._Element, set[str]] = {}
    for link, node in kept:
        boxes.setdefault(_child_under(node, shared), set()).add(link)
    # Rows or items of one list are its entries, whatever else one links (a top column's
    # rows each link their sub-column, generic/sanmenqingxie-list-3-p2).
    entries = all(box.tag in LIST_ITEM_TAGS for box in boxes)
    if len(boxes) > 1 and not entries:
        most = max(map(len, boxes.values()))
        main = next(box for box, found in boxes.items() if len(found) == most)
        foreign = _foreign_column_links(links, other_columns, main)
        others = {
            box for box, found in boxes.items() if len(found) < most and _link_ids([box]) & foreign
        }
        kept = [pair for pair in kept if _child_under(pair[1], shared) not in others]
    return kept, shared


def _lead_in(
    links: list[tuple[str, etree._Element]],
    article_links: list[tuple[str, etree._Element]],
    list_block: etree._Element,
    refs: dict[str, ArticleRef],
    site: str,
    other_columns: set[int],
) -> list[tuple[str, etree._Element]]:
    """Article links in blocks just before the list block, beside it: 置顶 (pinned) items
    in a box of their own (generic/donghaiyuyexiehui-list-12-p3, qianwanbaoshuiqu-list-41-
    p2), a page's first item shown as a headline (xinqiaoxiehui-list-12-p2).  Items of the
    page, as pinned ones in the list are (generic/baishui-list-7-p3), when they lead to the
    list's folder, outside chrome, in a block that links no other column's list page and
    repeats no item of the list (a showcase of list items, generic/qingyuan-list-2-p1)."""
    parent = list_block.getparent()
    if parent is None or not article_links:
        return []
    folders = {refs[link].folder for link, _ in article_links}
    listed = {link for link, _ in article_links}
    before = _link_ids(list(list_block.itersiblings(preceding=True)))
    found: dict[etree._Element, list[tuple[str, etree._Element]]] = {}
    foreign = _foreign_column_links(links, other_columns, list_block)
    for link, node in links:
        if id(node) not in before:
            continue
        ref = refs.get(link) or parse_article_url(link, site)
        if ref is not None and ref.folder in folders and not _in_chrome(node):
            refs[link] = ref
            found.setdefault(_clean_block(node, parent, foreign), []).append((link, node))
    return [
        pair
        for block, pairs in found.items()
        if not _link_ids([block]) & foreign and not listed & {link for link, _ in pairs}
        for pair in pairs
    ]


def _attachments_out(
    article_links: list[tuple[str, etree._Element]],
    refs: dict[str, ArticleRef],
    url: str,
    site: str,
) -> list[tuple[str, etree._Element]]:
    """``article_links`` less the links that a list entry (a row, an item) holds beside one
    to an article in the list page's own folder and that lead to another folder: an
    attachment column's item of the download module (``download/download45_en.html``,
    ``../xiazai/20241114093.html``: generic/gangmaoxiehui-list-6-p2, lingangkaifaqu-list-9-
    p1), which the article URL grammar cannot tell from a news article."""
    here = parse_list_url(url, site)
    if here is None:
        return article_links
    own: dict[etree._Element | None, bool] = {}
    entries = [_entry(node) for _, node in article_links]
    for (link, _), entry in zip(article_links, entries, strict=True):
        own[entry] = own.get(entry, False) or refs[link].folder == here.folder
    return [
        (link, node)
        for (link, node), entry in zip(article_links, entries, strict=True)
        if entry is None or not own[entry] or refs[link].folder == here.folder
    ]


def _entry(node: etree._Element) -> etree._Element | None:
    """The list entry (:data:`LIST_ITEM_TAGS`) that holds ``node``, or None."""
    for el in node.iterancestors():
        if el.tag in LIST_ITEM_TAGS:
            return el
        if el.tag in ("ul", "ol", "table", "body"):
            return None
    return None


def _near_crumbs(
    articles: list[tuple[str, etree._Element]], root: etree._Element
) -> list[tuple[str, etree._Element]]:
    """The article links of a list page without a pager (a column of one page) that share
    the closest ancestor with its breadcrumb: the main column beside a side column of
    latest news (div.nleft's 最新资讯 beside div.nright's list and breadcrumb, generic/
    liyangchaye-list-14-p1).  All of them when the page prints no breadcrumb, or they share
    no more than ``<body>`` with it."""
    crumbs = crumb_blocks(root)
    if not crumbs or not articles:
        return articles
    anchor = {el: depth for depth, el in enumerate(crumbs[0].iterancestors())}

    def closeness(node: etree._Element) -> int:
        return next((-anchor[el] for el in node.iterancestors() if el in anchor), -len(anchor))

    ranks = [closeness(node) for _, node in articles]
    best = max(ranks)
    if best == -len(anchor) or best <= -(len(anchor) - 2):
        return articles  # they share no more than <body> with it
    return [pair for pair, rank in zip(articles, ranks, strict=True) if rank == best]


def _foreign_column_links(
    links: list[tuple[str, etree._Element]], other_columns: set[int], list_block: etree._Element
) -> set[int]:
    """Of ``other_columns`` (id() of links to other columns' list pages), those to a page
    that the list's own entries do not link: a top column's entries link their
    sub-columns ([通知公告]), and a 置顶 box beside them that links the same is no other
    column's box (generic/binhaishanghui-list-2-p3)."""
    in_list = _link_ids([list_block])
    entry_columns = {link for link, node in links if id(node) in other_columns & in_list}
    return {id(node) for link, node in links if link not in entry_columns} & other_columns


def _other_column_lists(
    links: list[tuple[str, etree._Element]], url: str, site: str, classnow: str | None
) -> set[int]:
    """id() of the links to list pages of another column than this list page's (its URL's,
    else ``classnow``); empty when the page's column is unknown."""
    here = parse_list_url(url, site)
    column = (here.column or classnow) if here is not None else None
    if here is None or column is None:
        return set()
    own = (column, here.folder)
    out = set()
    for link, node in links:
        ref = parse_list_url(link, site)
        if ref is not None and ref.column is not None and (ref.column, ref.folder) != own:
            out.add(id(node))
    return out


def _named_articles(
    links: list[tuple[str, etree._Element]],
    article_links: list[tuple[str, etree._Element]],
    url: str,
    site: str,
) -> dict[int, ArticleRef]:
    """Links among the main list's article links to pages of the list's own folder under a
    custom file name (``F/S.html``, guide §1.2; site tests/sites/devzone-static), by id() of
    their element: articles an editor named, which no numbered form gives away.  Only
    within the smallest block that holds two or more numbered article links, or in an entry
    beside the one numbered link's (:func:`_entry_beside`), outside chrome; their
    :func:`crawler.site.named_article_ref` ids stand until the page's
    generator meta gives the real one."""
    here = parse_list_url(url, site)
    if here is None:
        return _named_in_boxes(links, article_links, site)
    if not article_links:
        return {}
    if len(article_links) == 1:
        numbered = article_links[0][1]
        in_list = lambda node: _entry_beside(node, numbered)  # noqa: E731
    elif (block := _common_ancestor([node for _, node in article_links])) is not None:
        in_list = lambda node: nested(node, block)  # noqa: E731
    else:
        return {}
    found: dict[int, ArticleRef] = {}
    for link, node in links:
        if node.tag != "a":
            continue
        ref = named_article_ref(link, site)
        if ref is not None and ref.folder == here.folder and not _in_chrome(node) and in_list(node):
            found[id(node)] = ref
    return found


def _entry_beside(node: etree._Element, numbered: etree._Element) -> bool:
    """True when ``node`` is in an entry of the same list as the one numbered article link
    of a page: the two links' branches under their nearest common element are siblings of
    one tag and class (two ``<li>``, two ``div.item``).  A column's last page may list one
    numbered article beside one under a custom name (a whole-site trial of a park's
    English site)."""
    top = _common_ancestor([node, numbered])
    if top is None:
        return False
    mine, other = _child_under(node, top), _child_under(numbered, top)
    return mine is not other and mine.tag == other.tag and mine.get("class") == other.get("class")


# How far up from a named link its news box is looked for on a home page.
NAMED_BOX_LEVELS = 4


def _named_in_boxes(
    links: list[tuple[str, etree._Element]],
    article_links: list[tuple[str, etree._Element]],
    site: str,
) -> dict[int, ArticleRef]:
    """On a page of no list URL (a home page): links under a custom file name in a news box
    that holds two or more numbered articles of the same folder (generic/zhujishanghui-
    home), by id() of their element."""
    by_folder: dict[str, list[etree._Element]] = {}
    for link, node in article_links:
        if (ref := parse_article_url(link, site)) is not None:
            by_folder.setdefault(ref.folder, []).append(node)
    found: dict[int, ArticleRef] = {}
    for link, node in links:
        if node.tag != "a" or (ref := named_article_ref(link, site)) is None:
            continue
        numbered = by_folder.get(ref.folder, [])
        if len(numbered) < 2 or _in_chrome(node):
            continue
        box = node.getparent()
        for _ in range(NAMED_BOX_LEVELS):
            if box is None or box.tag in ("body", "html"):
                break
            if sum(1 for other in numbered if nested(other, box)) >= 2:
                found[id(node)] = ref
                break
            box = box.getparent()
    return found


PINNED_TOKEN_RE = re.compile(r"(?:^|[-_])(?:sticky|zhiding|pinned?|top)(?:$|[-_])", re.I)
PINNED_TEXT_RE = re.compile(r"置顶|置頂|\bTOP\b")


def _clean_block(node: etree._Element, parent: etree._Element, foreign: set[int]) -> etree._Element:
    """The block under ``parent`` that holds ``node``: its child there, or, when that child
    also links other columns' lists (sub-column tabs beside the 置顶 list in one head box,
    generic/yunhexiehui-list-7-p4), the largest block inside it around ``node`` that does
    not."""
    top = _child_under(node, parent)
    if not (_link_ids([top]) & foreign):
        return top
    block = node
    while (up := block.getparent()) is not None and up is not top:
        if _link_ids([up]) & foreign:
            break
        block = up
    # only a pinned list: its class or a badge says so (置顶, TOP, sticky)
    pinned = any(PINNED_TOKEN_RE.search(t) for t in class_tokens(block)) or PINNED_TEXT_RE.search(
        text_content(block)
    )
    return block if pinned else top


def _common_ancestor(nodes: list[etree._Element]) -> etree._Element | None:
    """The nearest element that holds every one of ``nodes``."""
    chain = list(nodes[0].iterancestors())
    depth = {el: at for at, el in enumerate(chain)}
    deepest = 0
    for node in nodes[1:]:
        for el in node.iterancestors():
            if el in depth:
                deepest = max(deepest, depth[el])
                break
        else:
            return None
    return chain[deepest]


def _child_under(node: etree._Element, ancestor: etree._Element) -> etree._Element:
    """The child of ``ancestor`` that holds ``node`` (``node`` itself when it is one)."""
    while (parent := node.getparent()) is not None and parent is not ancestor:
        node = parent
    return node


def _link_ids(blocks: list[etree._Element]) -> set[int]:
    """id() of every link element (:data:`_LINK_NODES`) below ``blocks`` (see read_links on
    ids)."""
    return {id(n) for block in blocks for n in _LINK_NODES(block)}


def read_links(
    sel: Selector,
    url: str,
    site: str,
    base: str | None = None,
    meta: PageMeta | None = None,
    *,
    dates: bool = True,
    tz: tzinfo = UTC,
    fetched_at: datetime | None = None,
) -> PageLinks:
    """Classify the links of a list or home page by the URL grammar of guide §1.2.

    Article links come from the main list container when the page has one, else from
    everywhere outside page chrome (header, nav, footer, sidebars) nearest the pager (a
    side column's list of the same site's articles is left out); list, column and language
    links come from anywhere on the page.  The pager is the known pager markup
    (:data:`PAGER_CSS`) plus any block of links to other pages of this column (known from
    the URL, else from the generator meta's ``classnow``; ``meta`` when already read), and
    any page of this column a script leads to (:func:`_href`: a 加载更多 button's
    ``data-next``).  Links to the list's own folder under a custom file name among the main
    list's articles are articles too (:func:`_named_articles`).

    Relative links resolve against ``base`` (default: the page's ``<base href>``, else
    ``url``).  ``dates=False`` leaves :attr:`PageLinks.dates` empty: the day of each list entry
    (:func:`item_day`, a date search in each of its texts) costs about half as much as
    all the rest, and only an incremental crawl compares it.  Relative and year-less entry
    dates are read against ``fetched_at`` in ``tz``; numeric ones by the page's language
    and its own dates (:class:`crawler.extract.dates.DateOrder`), as an article's are.
    """
    base = base or base_url(sel, url)  # <base href> applies (generic/qiantangshanghui-list-5-p2)
    # ``links`` holds every link element for the whole call, and lxml keeps one Python
    # object per element while one is referenced: the sets of id() below are only ever
    # asked about these live elements, so an id is never that of a dropped object.
    links, by_script = _links(sel.root, base)
    pager_blocks = _without_articles(pagers(sel), links, by_script, site)
    known_pager = _link_ids(pager_blocks)
    # Pagers of unknown markup: links to other pages of this column (fixtures
    # generic/*-list-*: .page, .fenye, .pageNav, a class-less div).
    classnow = (meta or read_page_meta(sel)).classnow
    here = parse_list_url(url, site)
    candidates = [(link, node) for link, node in links if id(node) not in known_pager]
    # A breadcrumb's link to the column's folder is never a pager's: looked for only when a
    # link to a folder page is among the candidates (crumb_blocks costs a few XPaths).
    if any(
        (ref := parse_list_url(link, site)) is not None and ref.column is None
        for link, _ in candidates
    ):
        crumbs = crumb_blocks(sel.root)
        candidates = [(link, node) for link, node in candidates if not _crumb_link(node, crumbs)]
    own_pages, extra_blocks = _unknown_pagers(
        same_column_pages(
            candidates,
            url,
            site,
            classnow,
        ),
        later_page=here is not None and here.page > 1,
    )
    # Pages of this column named only by a script's attribute (a pager of javascript: links,
    # a load-more button): pager links on their own.
    scripted = [(link, node) for link, node in links if id(node) in by_script]
    scripted_nodes = {node for node, _ in same_column_pages(scripted, url, site, classnow)}
    scripted_pages = [(link, node) for link, node in scripted if node in scripted_nodes]
    # A call's argument is a link only when it is a page of this column.
    links = [
        (link, node)
        for link, node in links
        if by_script.get(id(node)) != BY_CALL or node in scripted_nodes
    ]
    index = doc_index(sel.root)
    named = [
        els for name, els in (*index.classes.items(), *index.ids.items()) if _names_pager(name)
    ]
    count_blocks = [
        *pager_blocks,
        *extra_blocks,
        *merge_in_document_order(*named),
        *(_pager_block(node) for _, node in scripted_pages),
    ]
    found = PageLinks(page_count=page_count(sel, count_blocks))
    if found.page_count is None and here is not None and (count_blocks or here.page > 1):
        found.page_count = stated_page_count(sel, here.page)
    # The list container's class reused by a sidebar's 热门资讯 list in page chrome is no
    # list of this page (generic/changxingshengtai-list-6-p5).
    # (MetInfo 5's own inner layout wraps the content in div.sidebar.inner: when every
    # container is in such "chrome", they all count, generic/songjiangxiehui-list-3-p1.)
    # (Not on a home page: there a box may reuse the list's markup beside other news
    # boxes, generic/kaihuashanghui-home.)
    home = here is None and home_lang(url, site) is not False
    containers = [] if home else select_css(sel.root, LIST_CONTAINER_CSS)
    containers = [c for c in containers if not in_chrome(c)] or containers
    in_list = _link_ids(containers) if containers else None
    article_links: list[tuple[str, etree._Element]] = []
    refs: dict[str, ArticleRef] = {}
    for link, node in links:
        if in_list is not None and id(node) not in in_list:
            continue
        ref = refs.get(link) or parse_article_url(link, site)
        if ref is None or (in_list is None and _in_chrome(node)):
            continue
        refs[link] = ref
        article_links.append((link, node))
    other_columns = _other_column_lists(links, url, site, classnow)
    list_block = containers[0] if containers else None
    if in_list is None:
        pager_anchor = (
            [n for _, n in links if id(n) in known_pager]
            or own_pages
            or [n for _, n in scripted_pages]
        )
        if pager_anchor:
            article_links, list_block = _main_list_only(
                article_links, pager_anchor, other_columns, links
            )
        else:
            article_links = _near_crumbs(article_links, sel.root)
    if list_block is not None:
        lead = _lead_in(links, article_links, list_block, refs, site, other_columns)
        article_links = lead + article_links
    article_links = _attachments_out(article_links, refs, url, site)
    named = _named_articles(links, article_links, url, site)
    if named:
        # In document order among the numbered ones.
        keep = {id(node) for _, node in article_links} | named.keys()
        article_links = [(link, node) for link, node in links if id(node) in keep]
        refs.update((link, named[id(node)]) for link, node in article_links if id(node) in named)
    # One article in two URL forms (the title's 318.html, a 详情>> link's shownews.php?id=318,
    # generic/shengzhoulingdai-list-6-p2): the first.  A MetInfo content id is one article
    # in any URL mode and language (guide §1).
    first_of: dict[tuple[str, str], str] = {}
    alias_of: dict[str, str] = {}
    for link, _node in article_links:
        ref = refs[link]
        first = first_of.setdefault((ref.folder, ref.id), link)
        if first != link and ref.id.isdigit():
            alias_of[link] = first
            found.aliases.setdefault(link, ref)
        elif link not in found.articles:
            found.articles[link] = ref
    if not found.articles and not home:
        # a list a script builds from data, no entry in the markup (var newsList = [{url:
        # "notice/12.html"}], no <noscript> copy: a whole-site trial of a script-heavy
        # template lost a column's five articles)
        found.articles.update(script_article_urls(sel.root, base, site))
    if dates and article_links:
        _read_days(found, article_links, sel, meta, url, tz, fetched_at)
        for alias, first in alias_of.items():
            day = found.dates.pop(alias, None)
            if day is not None and first not in found.dates:
                found.dates[first] = day
    pager_nodes = known_pager | {id(n) for n in own_pages} | {id(n) for _, n in scripted_pages}
    for link, node in links:
        if link in found.articles:
            continue
        if _is_sitemap_page(link, site):
            # the column tree (module 12), whose folder URL reads as a list's: a page of
            # links to every column (a whole-site trial of a template whose navigation a
            # script builds: its footer's only link to three columns)
            if link not in found.sitemap_pages:
                found.sitemap_pages.append(link)
            continue
        if (ref := parse_list_url(link, site)) is not None:
            if link not in found.lists:
                found.lists[link] = ref
            if id(node) in pager_nodes and link not in found.pager:
                found.pager.append(link)
            continue
        lang = home_lang(link, site)
        if lang is not False and link not in found.homes:
            found.homes[link] = lang
    if home:
        # a navigation a script builds from data (var NAV = [{"url": "/news/"}]): the
        # columns its URLs name (a whole-site trial of a template without nav links)
        for link, ref in script_list_urls(sel.root, base, site).items():
            found.lists.setdefault(link, ref)
    # 7.x pages its list with a 加载更多 button alone: #metPageT names every page's URL
    # (generic/lishuishanghui-list-5-p1); a script pager its pages' numbers with a URL
    # template.  Only without pager links: they are the pages.
    here = parse_list_url(url, site)
    extra = (
        (met_page_urls(sel, base) or template_pages(sel, base) or rel_next_pages(sel, base))
        if not found.pager
        else []
    )
    if not found.pager and not extra and found.page_count and here is not None:
        # Pager links a script builds (goPage(3) and 'list-12-'+n+'.html'), the count
        # printed: the pages by the URL grammar of this page's own URL (guide §1.6,
        # generic/yuhangchaxie-list-12-p3).
        count = min(found.page_count, MET_PAGE_URLS_MAX)
        grammar = (list_page_url(url, site, n) for n in range(1, count + 1))
        extra = [u for u in (followable_url(base, g) if g else None for g in grammar) if u]
    for link in extra:
        ref = parse_list_url(link, site)
        if ref is not None and (here is None or ref.page != here.page):
            found.lists.setdefault(link, ref)
            if link not in found.pager:
                found.pager.append(link)
    # Language switchers: any block whose class names "lang" (.metlang, .met-langlist, ...).
    lang_nodes = _link_ids(doc_index(sel.root).with_class_containing(LANG_CLASS_PART))
    for link, node in links:
        if id(node) not in lang_nodes:
            continue
        other = site_root(link)
        if (
            other != site
            and home_lang(link, other) is not False
            and other not in found.language_sites
        ):
            found.language_sites.append(other)
    return found


def _is_sitemap_page(url: str, site: str) -> bool:
    """The HTML column tree of the sitemap module: ``/sitemap/`` (guide §1.5, module 12)."""
    return url.startswith(site) and url[len(site) :].split("?", 1)[0] in (
        "sitemap/",
        "sitemap/index.php",
        "sitemap/sitemap.php",
    )
