"""Links of list and home pages: articles, pager, columns, language homes (guide §1.6, §2.2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timezone

from parsel import Selector

from crawler.extract.dates import find_date
from crawler.extract.generic import in_chrome
from crawler.site import (
    ArticleRef,
    ListRef,
    absolute_url,
    canonical_url,
    forbidden_reason,
    home_lang,
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
    ".met_pager, #flip, [class*='metpager'], .pagination, .pager, .pages, .page-list, "
    ".pagelist, #pages, #page, .paging"
)
UTC = timezone.utc
# 7.x and 5.x v1: total page count is the 3rd `|` field of #metPageT@data-pageurl (guide §1.6).
PAGE_COUNT_XPATH = "//input[@id='metPageT']/@data-pageurl"
# Language switchers (guide §1.4): 7.x `.metlang`, `.met-langlist`; 5.x top links.
LANG_LINK_CSS = (
    ".metlang a[href], .met-langlist a[href], .met-lang a[href], [class*='lang'] a[href]"
)


@dataclass
class PageLinks:
    """What a list or home page links to, as canonical absolute URLs in document order.

    ``articles`` maps each URL to its decoded :class:`ArticleRef`; ``lists`` each list URL
    to its :class:`ListRef` (pager pages and columns alike); ``pager`` is the subset of list
    URLs found in the pager; ``homes`` language home pages with their language mark;
    ``page_count`` the column's page count when the page states it.
    """

    articles: dict[str, ArticleRef] = field(default_factory=dict)
    lists: dict[str, ListRef] = field(default_factory=dict)
    pager: list[str] = field(default_factory=list)
    homes: dict[str, str | None] = field(default_factory=dict)
    language_sites: list[str] = field(default_factory=list)
    page_count: int | None = None
    sitemap_pages: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)


def _links(sel: Selector, base: str) -> list[tuple[str, Selector]]:
    """``(canonical absolute URL, anchor)`` for every followable ``a[href]``/``option[value]``."""
    out = []
    for node in sel.xpath(".//a[@href] | .//option[@value]"):
        href = (node.attrib.get("href") or node.attrib.get("value") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
            continue
        url = canonical_url(absolute_url(base, href))
        if forbidden_reason(url) is None:
            out.append((url, node))
    return out


# Elements that hold one list entry; the date shown in the entry belongs to its link.
LIST_ITEM_TAGS = frozenset({"li", "tr", "dd", "dl", "article"})
MAX_ITEM_CHARS = 600
# Room for a label such as "发布时间：" or "Date:" beside a date in its own element.
DATE_LABEL_CHARS = 8


def item_day(anchor: Selector) -> str | None:
    """The day shown in the list entry holding ``anchor``, as ``YYYY-MM-DD``, or None."""
    node = anchor.root.getparent()
    while node is not None and node.tag not in LIST_ITEM_TAGS:
        if node.tag in ("ul", "ol", "table", "body"):
            return None
        node = node.getparent()
    if node is None:
        return None
    texts = [t.strip() for t in node.itertext() if t.strip()]
    if sum(map(len, texts)) > MAX_ITEM_CHARS:
        return None
    # A date standing (almost) alone in its element is the item's date; a date inside the
    # description ("2021年8月23日0时至...") is not, unless there is no other.
    first = None
    for text in texts:
        found = find_date(text, UTC)
        if found is None:
            continue
        if len(text) <= len(found.raw) + DATE_LABEL_CHARS:
            return found.iso[:10]
        first = first or found.iso[:10]
    return first


# 5.x classic pagers print "共N页 当前第P页" (guide §1.6, include/pager.class.php).
PAGE_TOTAL_RE = re.compile(r"共\s*(\d+)\s*页")


def page_count(sel: Selector) -> int | None:
    """The column's page count: ``#metPageT@data-pageurl`` (``prefix|suffix|count``, 7.x and
    5.x v1), else the "共N页" of a classic pager."""
    value = sel.xpath(PAGE_COUNT_XPATH).get()
    if value and value.count("|") >= 2:
        count = value.split("|")[2].strip()
        if count.isdigit():
            return int(count)
    for pager in sel.css(PAGER_CSS):
        if m := PAGE_TOTAL_RE.search(pager.xpath("string()").get() or ""):
            return int(m.group(1))
    return None


def read_links(sel: Selector, url: str, site: str, base: str | None = None) -> PageLinks:
    """Classify the links of a list or home page by the URL grammar of guide §1.2.

    Article links come from the main list container when the page has one, else from
    everywhere outside page chrome (header, nav, footer, sidebars); list, column and
    language links come from anywhere on the page.
    """
    base = base or url
    found = PageLinks(page_count=page_count(sel))
    containers = sel.css(LIST_CONTAINER_CSS)
    article_scope = containers if containers else [sel]
    for scope in article_scope:
        for link, node in _links(scope, base):
            ref = parse_article_url(link, site)
            if ref is None or link in found.articles:
                continue
            if not containers and in_chrome(node.root):
                continue
            found.articles[link] = ref
            if day := item_day(node):
                found.dates.setdefault(link, day)
    # The set holds the elements themselves: lxml keeps one proxy per element while it is
    # referenced, so membership by identity is reliable (id() of a dropped proxy is not).
    pager_nodes = {n.root for p in sel.css(PAGER_CSS) for n in p.xpath(".//a | .//option")}
    for link, node in _links(sel, base):
        if link in found.articles:
            continue
        if (ref := parse_list_url(link, site)) is not None:
            if link not in found.lists:
                found.lists[link] = ref
            if node.root in pager_nodes and link not in found.pager:
                found.pager.append(link)
            continue
        lang = home_lang(link, site)
        if lang is not False and link not in found.homes:
            found.homes[link] = lang
            continue
        if _is_sitemap_page(link, site) and link not in found.sitemap_pages:
            found.sitemap_pages.append(link)
    for link, _ in _links(sel.css(LANG_LINK_CSS.replace(" a[href]", "")), base):
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
