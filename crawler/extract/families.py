"""Template families: one class per MetInfo template family, the generic fallback last.

A family reads the title, info line, body block and breadcrumb of an article page.  Families
are chosen from the page's markup (guide §2.1); the generator meta is only a hint.  A new
family is a new class in its own module, added to :data:`crawler.extract.FAMILIES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector, SelectorList

from crawler.extract import generic
from crawler.extract.generic import Info
from crawler.extract.page import PageMeta


@dataclass(frozen=True)
class Page:
    """An article page as extraction sees it: the parsed document, its URL, the base URL for
    relative links (``<base href>`` applied), the generator facts, the site root, the site
    timezone and the fetch time (aware)."""

    sel: Selector
    url: str
    base_url: str
    meta: PageMeta
    site: str
    tz: tzinfo
    fetched_at: datetime


class GenericFamily:
    """The fallback for custom templates: structure-based rules of :mod:`generic`."""

    name: ClassVar[str] = "generic"

    def matches(self, page: Page) -> bool:
        """Every page: this family comes last."""
        return True

    def title(self, page: Page) -> tuple[str | None, etree._Element | None]:
        """The headline and its element (see :func:`generic.find_title`)."""
        return generic.find_title(page.sel)

    def info(
        self, page: Page, title_el: etree._Element | None
    ) -> tuple[Info, etree._Element | None]:
        """The info-line fields and element: the first date block right after the title."""
        body_el = generic.find_body_element(page.sel.root, [title_el])
        el = generic.find_info_element(page.sel.root, title_el, page.tz, body_el)
        if el is None:
            return Info(), None
        return self.parse_info(page, el), el

    def parse_info(self, page: Page, el: etree._Element) -> Info:
        """Fields of an info-line element, labelled or in MetInfo's date/issue/hits order."""
        data_hits = Selector(root=el).css("[data-hits]::attr(data-hits)").get()
        return generic.parse_info_parts(
            generic.split_parts(el), page.tz, page.fetched_at, data_hits
        )

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The main text block (see :func:`generic.find_body_element`)."""
        return generic.find_body_element(page.sel.root, avoid)

    def column(self, page: Page, title: str | None) -> list[str]:
        """Column names of the first breadcrumb-like block that has links."""
        return generic_crumbs(page.sel, page.base_url, page.site, title)


def crumb_names(links: SelectorList, base: str, site: str, title: str | None) -> list[str]:
    """Column names from breadcrumb link selectors (home link and labels dropped)."""
    pairs = [
        (a.xpath("string()").get() or "", urljoin(base, (a.attrib.get("href") or "").strip()))
        for a in links
    ]
    return generic.breadcrumb_names(pairs, site, title)


def generic_crumbs(sel: Selector, base: str, site: str, title: str | None) -> list[str]:
    """Column names of the first breadcrumb-like block (class or id naming a crumb,
    location or position) that yields any."""
    for block in sel.xpath(generic.CRUMB_XPATH):
        names = crumb_names(block.css("a[href]"), base, site, title)
        if names:
            return names
    return []
