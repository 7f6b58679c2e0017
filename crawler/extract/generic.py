"""The generic fallback family: every field from page structure, for templates we have not seen.

It relies only on what custom templates keep from MetInfo's data (guide §2.1 "info line":
the update time, the publisher ``issue`` and the hits, in that order) and on general page
structure: a visible heading that the ``<title>`` starts with, a date close after it, and
the densest block of paragraph text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import pairwise

from lxml import etree
from parsel import Selector

from crawler.extract.dates import PageDate, parse_date_text
from crawler.extract.text import STRIP_CHARS, clean_line, is_widget
from crawler.site import home_lang

# Regions that are never the article: page chrome and side columns.
CHROME_TAGS = frozenset({"header", "nav", "footer", "aside", "form"})
# A class or id token names chrome when it STARTS with one of these words (optionally after
# MetInfo's "met-" prefix): `header`, `met-head`, `footer-links`, `sidebar-news-list`,
# `sideBox`.  A word later in the token does not count: `art-head` and `detail-header` are
# the article's own heading blocks (fixture generic/beihu-27).
CHROME_TOKEN_RE = re.compile(
    r"^(?:met[-_]?)?(?:head|header|nav|navbar|menu|foot|footer|side|sidebar|sidebox|sidenav|"
    r"sidenews|aside|crumbs?|breadcrumb|location|position|copyright|links?|related|"
    r"recommend|hot|comments?|banner|prev|next|prevnext|pager|pagination|share|login|"
    r"search)(?:[-_].*)?$",
    re.IGNORECASE,
)
HEADING_TAGS = ("h1", "h2", "h3")
# Separators that MetInfo and templates put between the headline and the site name in
# <title> (met_title_type 2 is "title-webname", guide §2.1).
TITLE_SEPARATORS = (" - ", " _ ", " | ", "-", "_", "|", "—", "–")

# Labels of the info line (label: value).  Values are read from the same text only: an
# empty label never takes its neighbour's text.
LABELS = {
    "author": r"作者|作\s*者|发布人|发布者|发稿人|撰稿|撰稿人|编辑|责任编辑|责编|author|authors?|"
    r"publisher|posted\s+by|editor|by",
    "source": r"来源|來源|出处|文章来源|信息来源|稿源|source",
    "date": r"发布时间|发表时间|更新时间|发布日期|更新日期|时间|日期|date|time|published|updated|"
    r"posted|release\s*time",
    "hits": r"点击次数|点击数|点击|浏览次数|浏览量|浏览|阅读次数|阅读量|阅读|访问量|人气|"
    r"hits|views|clicks|visits",
}
LABEL_RE = re.compile(
    r"(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in LABELS.items()) + r")\s*[:：]",
    re.IGNORECASE,
)
# Where an info line splits into parts: bars, runs of two spaces, ideographic spaces.
INFO_SPLIT_RE = re.compile(r"\s*[|｜丨]\s*|\s{2,}|\u3000+|\u00a0{2,}")


def has_colon(text: str) -> bool:
    """True when ``text`` holds an ASCII or full-width colon (every label ends in one)."""
    return ":" in text or "：" in text


LEADING_SOURCE_RE = re.compile(
    r"^(?:来源|來源|文章来源|信息来源|source)\s*[:：]\s*(?P<v>.+)$", re.IGNORECASE
)
# Words of widgets that sit in info lines: share, print, close, font size.
WIDGET_WORDS_RE = re.compile(
    r"^(?:分享(?:到)?|打印|关闭|關閉|返回|收藏|字体|字號|字号|大|中|小|【?打印】?|【?关闭】?|"
    r"share|print|close|back|font)\s*[:：]?$",
    re.IGNORECASE,
)
# An English byline without a colon: "Posted by Jane Holloway on 5 March 2023".
BYLINE_RE = re.compile(
    r"^(?:(?:posted|written|published|reported)\s+)?by\s+(?P<name>.+?)"
    r"(?:\s+(?:on|at)\s+(?P<rest>.+))?$",
    re.IGNORECASE,
)
# Brackets and separators left over when a widget's words sit in their own element.
PUNCTUATION_RE = re.compile(r"[\s【】\[\]()（）|｜/·•:：,，.。\-]+")
HITS_RE = re.compile(r"^\s*(\d{1,9})\s*(?:次|人次|views?|hits?)?\s*$", re.IGNORECASE)
# How much text after the title the info line may be found in.
INFO_SCAN_CHARS = 600
# How much text before the title a date badge may be found in.
BADGE_SCAN_CHARS = 60
INFO_MAX_CHARS = 300


@dataclass
class Info:
    """Fields of an article's info line; ``seen_labels`` are the label kinds the line
    printed, with or without a value."""

    date: PageDate | None = None
    author: str | None = None
    source: str | None = None
    hits: int | None = None
    seen_labels: set[str] = field(default_factory=set)


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
        if "sr-only" in (node.get("class") or "").split():
            return True
        node = node.getparent()
    return False


def in_chrome(el: etree._Element) -> bool:
    """True when ``el`` sits in page chrome: header, nav, footer, aside or a side column."""
    node: etree._Element | None = el
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in CHROME_TAGS and not (
            node.tag in ("header", "footer") and _has_ancestor(node, ("article", "main"))
        ):
            return True
        tokens = f"{node.get('class') or ''} {node.get('id') or ''}".split()
        if any(CHROME_TOKEN_RE.match(token) for token in tokens):
            return True
        node = node.getparent()
    return False


def _has_ancestor(el: etree._Element, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


def element_text(el: etree._Element) -> str:
    """All text of ``el`` (scripts and styles excluded), whitespace-collapsed."""
    parts = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript"):
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        if node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return clean_line(" ".join(parts))


def page_title(sel: Selector) -> str | None:
    """The ``<title>`` text, whitespace-collapsed, or None."""
    title = clean_line(sel.xpath("string(//title)").get() or "")
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
            head = title.rsplit(sep, 1)[0].strip(STRIP_CHARS)
            if head:
                return head
    return title


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


def headings(root: etree._Element) -> list[etree._Element]:
    """Visible ``h1``-``h3`` outside page chrome, in document order."""
    return [
        el
        for el in root.iter(*HEADING_TAGS)
        if not is_hidden(el) and not in_chrome(el) and element_text(el)
    ]


def find_title(sel: Selector) -> tuple[str | None, etree._Element | None]:
    """The headline and its element (None when it came from ``<title>`` or og:title).

    Order: a visible heading whose text the ``<title>`` starts with (the longest), then
    og:title, then the ``<title>`` minus its site-name suffix, then the first visible ``h1``.
    """
    root = sel.root
    page = page_title(sel)
    candidates = headings(root)
    if page:
        matching = [el for el in candidates if page.startswith(element_text(el))]
        if matching:
            best = max(matching, key=lambda el: len(element_text(el)))
            return element_text(best), best
    og = clean_line(sel.xpath("//meta[@property='og:title']/@content").get() or "")
    if og:
        return og, None
    if page:
        names = site_names(sel)
        stripped = strip_site_suffix(page, names)
        if stripped and stripped not in names:
            for el in candidates:
                if element_text(el) == stripped:
                    return stripped, el
            return stripped, None
    h1s = [el for el in candidates if el.tag == "h1"]
    if h1s:
        return element_text(h1s[0]), h1s[0]
    return None, None


def split_parts(el: etree._Element) -> list[str]:
    """The info line as text parts: one per child element, text between them, and each
    part cut again before every ``label:`` so that ``作者：A 来源：B`` gives two parts."""
    raw: list[str] = []
    if el.text:
        raw.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style"):
            raw.append(element_text(child))
        if child.tail:
            raw.append(child.tail)
    parts: list[str] = []
    for chunk in raw:
        if not chunk.strip(STRIP_CHARS):  # gives no part below
            continue
        for piece in INFO_SPLIT_RE.split(chunk):
            # A label ends with a colon: without one the (slow, case-blind) search is moot.
            starts = [m.start() for m in LABEL_RE.finditer(piece)] if has_colon(piece) else []
            bounds = [0, *[s for s in starts if s > 0], len(piece)]
            for a, b in pairwise(bounds):
                text = clean_line(piece[a:b])
                if text:
                    parts.append(text)
    return parts


def parse_info_parts(
    parts: list[str], tz: tzinfo, fetched_at: datetime | None, data_hits: str | None = None
) -> Info:
    """Assign info-line parts to fields.

    A ``label: value`` part goes to its label's field (an empty value is recorded as seen
    and assigns nothing); the first date-bearing part is the date; a bare number is the hits;
    the first other short unlabelled text is the publisher (MetInfo's ``issue``, guide §2.1).
    """
    info = Info()
    for part in parts:
        m = LABEL_RE.match(part) if has_colon(part) else None
        if m:
            kind = next(k for k in LABELS if m.group(k))
            value = clean_line(part[m.end() :])
            info.seen_labels.add(kind)
            _assign(info, kind, value, tz, fetched_at)
            continue
        if WIDGET_WORDS_RE.match(part) or not PUNCTUATION_RE.sub("", part):
            continue
        if (by := BYLINE_RE.match(part)) and info.author is None:
            info.author = clean_line(by.group("name"))
            if info.date is None and by.group("rest"):
                info.date = parse_date_text(by.group("rest"), tz, fetched_at)
            continue
        if info.date is None and (found := parse_date_text(part, tz, fetched_at)):
            info.date = found
            rest = clean_line(part.replace(found.raw, " "))
            if rest and not WIDGET_WORDS_RE.match(rest) and not HITS_RE.match(rest):
                if info.author is None and "author" not in info.seen_labels and len(rest) <= 40:
                    info.author = rest
            continue
        if (hm := HITS_RE.match(part)) and info.hits is None:
            info.hits = int(hm.group(1))
            continue
        if info.author is None and "author" not in info.seen_labels and len(part) <= 40:
            info.author = part
    if info.hits is None and data_hits and data_hits.strip().isdigit():
        info.hits = int(data_hits.strip())
    return info


def _assign(info: Info, kind: str, value: str, tz: tzinfo, fetched_at: datetime | None) -> None:
    if not value:
        return
    if kind == "author" and info.author is None:
        info.author = value
    elif kind == "source" and info.source is None:
        info.source = value
    elif kind == "date" and info.date is None:
        info.date = parse_date_text(value, tz, fetched_at)
    elif kind == "hits" and info.hits is None and (m := re.search(r"\d+", value)):
        info.hits = int(m.group())


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


def _is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _grow_info(node: etree._Element, title_el: etree._Element | None) -> etree._Element:
    """Grow a date's element to its whole info line while it stays short."""
    while (
        node.getparent() is not None
        and node.getparent().tag not in ("body", "html")
        and len(element_text(node.getparent())) <= INFO_MAX_CHARS
        and (title_el is None or not _is_inside(title_el, node.getparent()))
    ):
        node = node.getparent()
    return node


def _preceding_text_nodes(root: etree._Element, start: etree._Element):
    """Yield ``(element, text)`` for text before ``start`` in reverse document order."""
    found: list[tuple[etree._Element, str]] = []
    for el in root.iter():
        if el is start:
            break
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "title"):
            continue
        if _is_inside(start, el):
            continue  # an ancestor of the title: its text before the title is not before it
        if el.text:
            found.append((el, el.text))
    return reversed(found)


def find_info_element(
    root: etree._Element,
    title_el: etree._Element | None,
    tz: tzinfo,
    body_el: etree._Element | None = None,
) -> etree._Element | None:
    """The info line: the smallest block holding the first date after the title, grown
    while it stays short.

    The search runs through at most :data:`INFO_SCAN_CHARS` of text after the title and
    stops where the body block starts (unless the body block holds the title too); then it
    looks just before the title (a date badge, :data:`BADGE_SCAN_CHARS`); last, a date
    with a label (发布时间：) anywhere outside page chrome.  Dates in sidebars and a
    signature at the end of the body are never taken.
    """
    if title_el is not None:
        stop = body_el if body_el is not None and not _is_inside(title_el, body_el) else None
        seen = 0
        for el, text in _following_text_nodes(root, title_el):
            if stop is not None and (el is stop or _is_inside(el, stop)):
                break
            if el is None or in_chrome(el):
                continue
            if parse_date_text(text, tz):
                return _grow_info(el, title_el)
            seen += len(text.strip())
            if seen > INFO_SCAN_CHARS:
                break
        seen = 0
        for el, text in _preceding_text_nodes(root, title_el):
            if in_chrome(el):
                break
            if parse_date_text(text, tz):
                return _grow_info(el, title_el)
            seen += len(text.strip())
            if seen > BADGE_SCAN_CHARS:
                break
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        text = element_text(el)
        if len(text) > INFO_MAX_CHARS or in_chrome(el):
            continue
        for m in LABEL_RE.finditer(text):
            if m.group("date") and parse_date_text(text[m.end() : m.end() + 40], tz):
                return el if len(el) == 0 else _deepest_with_label(el)
    return None


def _deepest_with_label(el: etree._Element) -> etree._Element:
    """The innermost element under ``el`` whose text still holds a labelled date."""
    for child in el:
        if isinstance(child.tag, str):
            text = element_text(child)
            if any(m.group("date") for m in LABEL_RE.finditer(text)):
                return _deepest_with_label(child)
    return el


BLOCK_TEXT_TAGS = ("p", "li", "pre", "blockquote", "h4", "h5", "h6", "dd")
BOX_TAGS = ("div", "section", "article", "main", "td", "th", "center")
INLINE_TAGS = frozenset(
    {"strong", "b", "em", "i", "u", "span", "font", "sub", "sup", "small", "big"}
)
# A table cell with this much text of its own is a layout cell holding the article (3.x-era
# table layouts); shorter cells are data and count for the table's container.
LAYOUT_CELL_CHARS = 100


def _own_text_len(el: etree._Element) -> int:
    """Length of ``el``'s own text: its text, its inline children's text (links excluded)
    and the tails of its children."""
    total = len((el.text or "").strip(STRIP_CHARS))
    for child in el:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            total += len(element_text(child))
        total += len((child.tail or "").strip(STRIP_CHARS))
    return total


def find_body_element(
    root: etree._Element, avoid: list[etree._Element | None]
) -> etree._Element | None:
    """The main text block: the element whose paragraphs carry the most text that is not
    link text, outside page chrome.  ``avoid`` are elements (title, info line) whose text
    does not count."""
    scores: dict[etree._Element, float] = {}
    skip = {el for el in avoid if el is not None}
    for el in root.iter(*BLOCK_TEXT_TAGS, *BOX_TAGS):
        if el in skip or is_widget(el):
            continue
        length = _own_text_len(el)
        if length < 2:
            continue
        target: etree._Element | None
        if el.tag in ("td", "th") and length < LAYOUT_CELL_CHARS:
            table = el.getparent()
            while table is not None and table.tag != "table":
                table = table.getparent()
            target = table.getparent() if table is not None else None
        elif el.tag in BOX_TAGS:
            target = el
        else:
            target = el.getparent()
        if target is None or in_chrome(target) or is_hidden(target):
            continue
        scores[target] = scores.get(target, 0) + length
        grand = target.getparent()
        if grand is not None and grand.tag not in ("body", "html"):
            scores[grand] = scores.get(grand, 0) + length / 4
    if not scores:
        return None
    return max(scores, key=lambda el: scores[el] - _link_text(el))


def _link_text(el: etree._Element) -> int:
    return sum(len(element_text(a)) for a in el.iter("a"))


def leading_source(lines: list[str]) -> str | None:
    """X when the body opens with a ``来源：X`` paragraph, else None."""
    if lines and (m := LEADING_SOURCE_RE.match(lines[0])):
        return clean_line(m.group("v")) or None
    return None


def breadcrumb_names(links: list[tuple[str, str]], site: str, title: str | None) -> list[str]:
    """Column names from breadcrumb links ``(text, absolute href)``: the home link, leading
    labels and a trailing link to the article itself are dropped."""
    names: list[str] = []
    for text, href in links:
        text = clean_line(text)
        if not text:
            continue
        if href.rstrip("/") == site.rstrip("/") or HOME_WORDS_RE.match(text):
            continue
        if home_lang(href, site) is not False:  # index.php?lang=tc, index-en.html
            continue
        names.append(text)
    if title and names and names[-1] == title:
        names.pop()
    return names


HOME_WORDS_RE = re.compile(
    r"^(?:网站首页|網站首頁|首页|首頁|主页|主頁|返回首页|返回首頁|home(?:\s*page)?|index)$",
    re.IGNORECASE,
)
# Breadcrumb blocks: by class or id (crumb, location, position, weizhi/dqwz/mbx are pinyin
# abbreviations of 位置/当前位置/面包屑), or by the label they start with (您现在的位置：).
CRUMB_XPATH = (
    "//*[contains(@class,'crumb') or contains(@class,'location') or contains(@class,'position')"
    " or contains(@id,'crumb') or contains(@id,'location') or contains(@id,'position')"
    " or contains(@class,'weizhi') or contains(@class,'dqwz') or contains(@class,'mbx')"
    " or starts-with(normalize-space(text()),'您现在的位置')"
    " or starts-with(normalize-space(text()),'当前位置')"
    " or starts-with(normalize-space(text()),'您的位置')"
    " or starts-with(normalize-space(text()),'你的位置')"
    " or starts-with(normalize-space(text()),'所在位置')]"
)
