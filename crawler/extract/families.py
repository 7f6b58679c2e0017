"""Template families: one class per MetInfo template family, the generic fallback last.

A family reads the title, info line, body block and breadcrumb of an article page.  Families
are chosen from the page's markup (guide §2.1); the generator meta is only a hint.  A new
family is a new class in its own module, added to :data:`crawler.extract.FAMILIES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import ClassVar

from lxml import etree
from parsel import Selector

from crawler.extract import generic
from crawler.extract.dates import badge_date
from crawler.extract.dom import data_hits, doc_index, select_css
from crawler.extract.generic import Info
from crawler.extract.page import PageMeta
from crawler.extract.text import text_content
from crawler.site import absolute_url, parse_list_url


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
    # Work shared by the steps of one extraction (the generic body block, selector
    # results), not page facts.
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def all(self, css: str) -> list[etree._Element]:
        """Every element matching ``css`` (:func:`select`), looked up once per page."""
        key = "css " + css
        if key not in self.cache:
            self.cache[key] = select(self.sel, css)
        return self.cache[key]  # type: ignore[return-value]

    def first(self, css: str) -> etree._Element | None:
        """The first element matching ``css``, looked up once per page."""
        found = self.all(css)
        return found[0] if found else None

    def may_match(self, css: str) -> bool:
        """False when no group of ``css`` can match: one of its class or id names is on no
        element of the page.  A quick test before the selector runs, never a substitute."""
        names = doc_index(self.sel.root).names
        return any(group <= names for group in css_names(css))


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
        """The info-line fields and element: the first date block right after the title
        (or a date badge just before it), completed by a labelled line between the title and
        the body when the date stands apart from the other fields."""
        root = page.sel.root
        body_el = self._body_block(page, title_el)
        el = generic.find_info_element(root, title_el, page.tz, body_el, page.fetched_at)
        if el is None:
            info = Info()
        elif badge := badge_date(generic.element_text(el)):
            info = Info(date=badge)
        else:
            info = self.parse_info(page, el)
        if el is not None and el.tag == "tr":
            # the other label/value rows of a board's view table
            parts = generic.label_rows_around(el, [title_el, body_el])
            info.complete(generic.parse_info_parts(parts, page.tz, page.fetched_at))
        line = generic.find_labelled_line(root, title_el, body_el, el)
        if line is not None and (el is None or not generic.nested(el, line)):
            info.complete(self.parse_info(page, line))
            el = el if el is not None else line
            page.cache["info_lines"] = (line,)  # not body text either
        if info.date is None:
            # <time datetime> whose text leaves the year out (generic/jinlinxiaoxue-303).
            time_el = generic.time_after_title(root, title_el, body_el)
            if time_el is not None:
                info.date = generic.time_element_date(time_el, page.tz)
                el = el if el is not None else time_el
        if info.date is None and el is not None and "date" in info.seen_labels:
            # 发布时间：<em data-time="1737770040"></em>, the label's value a script prints
            info.date = generic.attribute_date(el, page.tz)
        elif (
            machine := generic.machine_time(root, title_el, body_el, info.date, page.tz)
        ) is not None:
            # <time datetime="2026-12-02T09:15:00+08:00">3小时前</time>: the time the text was
            # made from, to the second (a whole-site trial of a card template: relative and
            # day-only texts)
            info.date = machine
        if (
            info.date_is_update
            and title_el is not None
            and (badge := generic.date_before_title(root, title_el, page.tz)) is not None
            and badge is not el
            and (other := badge_date(generic.badge_text(badge))) is not None
        ):
            # Only an update time in the info line, the publication day in a badge above
            # the headline (generic/xihumaocu-1865).
            info.date, info.date_is_update = other, False
        if info.date_is_update and (line := generic.labelled_date_line(root, page.tz)) is not None:
            # Only an update time near the title: a labelled publication date elsewhere (a
            # disclosure table above the headline, generic/haojingzmq-612) is the date.
            other = self.parse_info(page, line)
            if other.date is not None and not other.date_is_update:
                info.date, info.date_is_update = other.date, False
                info.complete(other)
        after = (
            generic.labelled_line_after(body_el)
            if body_el is not None and (info.author is None or info.source is None)
            else None
        )
        if after is not None:
            # 文章来源：… 责任编辑：… printed under the text, the date under the headline
            # (generic/ningbomaocu-1502); or the one field the info line lacks: 출처 : …
            # under the text beside 작성자 in the info line (generic/weihaichukou-318).  A
            # label the info line printed empty stays empty (generic/nanpuxian-3306).
            extra = self.parse_info(page, after)
            if (
                (info.author is None and info.source is None)
                or (extra.source and "source" not in info.seen_labels)
                or (extra.author and "author" not in info.seen_labels and not extra.author_guessed)
            ):
                info.complete(extra)
                page.cache["info_lines"] = (*page.cache.get("info_lines", ()), after)
        if (
            info.author is None
            and el is not None
            and title_el is not None
            and (byline := generic.byline_between(title_el, el)) is not None
        ):
            # Por <strong>X</strong>, da Redação in a line of its own between the headline
            # and the info line (generic/huabaxishanghui-455)
            info.author, line_el = byline
            page.cache["info_lines"] = (*page.cache.get("info_lines", ()), line_el)
        if info.date is None:
            # The info printed elsewhere: a label/value block in the side column or under
            # the text, else an unlabelled date line right under the text.
            block = generic.labelled_block(root, title_el, body_el, page.tz)
            if block is None:
                block = generic.date_after_body(root, title_el, body_el, page.tz)
            if block is not None:
                info.complete(self.parse_info(page, block))
                el = el if el is not None else block
        return info, el

    def parse_info(self, page: Page, el: etree._Element) -> Info:
        """Fields of an info-line element, labelled or in MetInfo's date/issue/hits order.
        An unlabelled text that links to a list page is the column, not the publisher
        (``<span><a href="list-12-tc.html">會員活動</a></span>`` where 7.x prints the issue,
        generic/jiulongzonghui-1180)."""
        hits = data_hits(el)
        info = generic.parse_info_parts(generic.split_parts(el), page.tz, page.fetched_at, hits)
        if info.author_guessed and any(
            generic.element_text(a) == info.author
            and parse_list_url(
                absolute_url(page.base_url, (a.get("href") or "").strip()), page.site
            )
            for a in el.iter("a")
        ):
            info.author, info.author_guessed = None, False
        return info

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The main text block (see :func:`generic.find_body_element`), found once per page:
        the info search already needed it to know where the body starts."""
        return self._body_block(page, avoid[0] if avoid else None)

    def _body_block(self, page: Page, title_el: etree._Element | None) -> etree._Element | None:
        if "body" not in page.cache:
            body = generic.find_body_element(page.sel.root, [title_el])
            near = generic.text_under_title(body, title_el)
            body = near if near is not None else body
            # the text as markup in a hidden <textarea> a script renders, the page's own
            # text block empty (a whole-site trial of a script-heavy template)
            rendered = generic.textarea_text(page.sel.root, body)
            page.cache["body"] = rendered if rendered is not None else body
        return page.cache["body"]  # type: ignore[return-value]

    def column(self, page: Page, title: str | None) -> list[str]:
        """Column names of the first breadcrumb-like block that has links."""
        return generic_crumbs(page.sel, page.base_url, page.site, title)


def crumb_names(
    links: Iterable[etree._Element], base: str, site: str, title: str | None
) -> list[str]:
    """Column names from breadcrumb link elements (home link and labels dropped)."""
    pairs = [
        (text_content(a), absolute_url(base, (a.get("href") or "").strip()))
        for a in links
        if isinstance(a, etree._Element)
    ]
    return generic.breadcrumb_names(pairs, site, title)


def generic_crumbs(sel: Selector, base: str, site: str, title: str | None) -> list[str]:
    """Column names of the first breadcrumb-like block (class or id naming a crumb,
    location or position, or a 当前位置 label) that yields any: from its links, else from
    its text split at its separators.  A phone-only copy (d-sm-none, visible-xs: generic/
    nanshaxiehui-817) counts only when no other block yields names."""
    blocks = generic.crumb_blocks(sel.root)
    shown = [b for b in blocks if not generic.is_mobile_only(b)]
    if shown and len(shown) < len(blocks) and (names := _crumbs_of(shown, base, site, title)):
        return names
    return _crumbs_of(blocks, base, site, title)


def _crumbs_of(blocks: list[etree._Element], base: str, site: str, title: str | None) -> list[str]:
    """Column names of the first of ``blocks`` that yields any (see :func:`generic_crumbs`)."""
    for at, block in enumerate(blocks):
        # A labelled block inside this one is the more exact breadcrumb: a bar holding
        # sub-column tabs beside "您现在的位置：…" (generic/qingmuedu-315) names columns by
        # both.
        inner = [
            b
            for b in blocks[at + 1 :]
            if generic.nested(b, block) and generic.starts_with_location_label(b)
        ]
        for candidate in (*inner, block):
            if generic.is_hidden(candidate):
                continue  # a hidden mobile copy (generic/haixiabaoshui-1150)
            names = _crumb_block_names(candidate, base, site, title)
            if names:
                # A phone copy first that prints the last column only, the desktop one
                # after it the whole path (a stylesheet's @media hides one of them):
                # the fuller copy (generic/suzhoufzxh-2208).
                for other in blocks[at + 1 : at + 1 + CRUMB_COPIES]:
                    if generic.nested(other, candidate) or generic.is_hidden(other):
                        continue
                    more = _crumb_block_names(other, base, site, title)
                    if len(more) > len(names) and more[-1] == names[-1]:
                        return more
                return names
    return []


# How many breadcrumb blocks after the first one are looked at for a fuller copy of it.
CRUMB_COPIES = 2


def _crumb_block_names(
    candidate: etree._Element, base: str, site: str, title: str | None
) -> list[str]:
    """Column names of one breadcrumb block: from its items (links, and columns between
    them without one), else its text split at its separators; [] when it gives none."""
    links = select(candidate, "a[href]")
    if not links:
        return generic.text_crumb_names(generic.element_text(candidate), title)
    names = generic.breadcrumb_names(generic.crumb_items(candidate, base), site, title)
    # (after the home link alone too: 홈 > <strong>경제동향</strong>, a top column's article)
    if (names or len(links) == 1) and (
        last := generic.crumb_after_links(candidate, links[-1], title)
    ):
        names.append(last)
    return names


_NAME = re.compile(r"[.#]((?:[-\w]|\\.)+)")


@lru_cache(maxsize=512)
def css_names(css: str) -> tuple[frozenset[str], ...]:
    """Per comma-separated group of ``css``, the class and id names an element needs for
    the group to match (``"a.x .y, #z"`` -> ``({"x", "y"}, {"z"})``)."""
    return tuple(frozenset(_NAME.findall(group)) for group in css.split(","))


def select(sel: Selector | etree._Element, css: str) -> list[etree._Element]:
    """Every element matching ``css`` in ``sel`` (a selector or an element), in document
    order (:func:`crawler.extract.dom.select_css`)."""
    return select_css(sel.root if isinstance(sel, Selector) else sel, css)


def first(sel: Selector | etree._Element, css: str) -> etree._Element | None:
    """The first element matching ``css`` in ``sel`` (a selector or an element), or None."""
    found = select(sel, css)
    return found[0] if found else None


class SelectorFamily(GenericFamily):
    """A template family read through named selectors (guide §2.1).

    A family module declares ``TITLE_CSS``, ``BODY_CSS`` and, when the template has them,
    ``INFO_CSS`` and ``CRUMBS_CSS``; it matches a page that has both the title and the body.
    Each field falls back to the generic rules when its selector finds nothing.  Hooks:
    :meth:`read_info` (how the info line reads) and :meth:`clean_body` (what the body block
    loses before its text is read).
    """

    TITLE_CSS: ClassVar[str]
    BODY_CSS: ClassVar[str]
    INFO_CSS: ClassVar[str | None] = None
    CRUMBS_CSS: ClassVar[str | None] = None

    def matches(self, page: Page) -> bool:
        """The family's title and body are both on the page."""
        if not (page.may_match(self.TITLE_CSS) and page.may_match(self.BODY_CSS)):
            return False
        return page.first(self.TITLE_CSS) is not None and page.first(self.BODY_CSS) is not None

    def _shown(self, page: Page, css: str) -> etree._Element | None:
        """The first element matching ``css`` that is shown and has text, asked when the
        first match is empty: a hidden, empty leftover copy of the default markup (a
        mobile bar's) is passed over
        (generic/yanbohuanbao-318).  None when there is none."""
        key = "shown " + css
        if key not in page.cache:
            page.cache[key] = next(
                (
                    el
                    for el in page.all(css)
                    if not generic.is_hidden(el)
                    and not generic.is_mobile_only(el)
                    and generic.element_text(el)
                ),
                None,
            )
        return page.cache[key]  # type: ignore[return-value]

    def _first_shown(self, page: Page, css: str) -> etree._Element | None:
        """The first element matching ``css``; when it is empty, the first shown one with
        text (None without one); when it is a phone-only copy, the desktop copy if the page
        prints one (generic/lanshanxiehui-233, haitangzmq-1207)."""
        el = page.first(css)
        if el is not None and not generic.element_text(el):
            return self._shown(page, css)
        if el is not None and generic.is_mobile_only(el):
            desktop = self._shown(page, css)
            return desktop if desktop is not None else el
        return el

    def title(self, page: Page) -> tuple[str | None, etree._Element | None]:
        """The text of the first shown ``TITLE_CSS`` element."""
        el = self._first_shown(page, self.TITLE_CSS)
        if el is None:
            return super().title(page)
        return generic.element_text(el) or None, el

    def info(
        self, page: Page, title_el: etree._Element | None
    ) -> tuple[Info, etree._Element | None]:
        """The ``INFO_CSS`` line read by :meth:`read_info`, else the generic search."""
        el = self._first_shown(page, self.INFO_CSS) if self.INFO_CSS else None
        if el is None:
            return super().info(page, title_el)
        info = self.read_info(page, el, title_el)
        if info.date is None:
            # The default info element kept for its widgets (字号, 打印) while a custom
            # labelled line below carries the fields (generic/baiyinxiehui-233).
            found, other = super().info(page, title_el)
            if found.date is not None:
                info.complete(found)
                return info, other
        return info, el

    def read_info(self, page: Page, el: etree._Element, title_el: etree._Element | None) -> Info:
        """Fields of the info line (default: labelled or in MetInfo's date/issue/hits order)."""
        return self.parse_info(page, el)

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The ``BODY_CSS`` block after :meth:`clean_body`: of several, the one with the
        most text (a sidebar's 联系我们 box in the same markup may come first,
        generic/qingtanjiaju-516)."""
        found = page.all(self.BODY_CSS)
        if len(found) > 1:
            # one in a sidebar (<aside class="met-sidebar">'s about box) is not the text,
            # however long (generic/dongfangjixie-517)
            found = [e for e in found if not generic.in_chrome(e)] or found
        el = (
            max(found, key=lambda e: len(text_content(e)))
            if len(found) > 1
            else found[0]
            if found
            else None
        )
        return self.clean_body(el) if el is not None else super().body(page, avoid)

    def clean_body(self, el: etree._Element) -> etree._Element:
        """The body block as its text is read (default: unchanged)."""
        return el

    def column(self, page: Page, title: str | None) -> list[str]:
        """Names of the ``CRUMBS_CSS`` links, else the generic breadcrumb search."""
        if self.CRUMBS_CSS:
            links = select(page.sel, self.CRUMBS_CSS)
            # a phone copy of the breadcrumb beside the desktop one is read once
            links = [a for a in links if not generic.is_mobile_only(a)] or links
            names = crumb_names(links, page.base_url, page.site, title)
            if names:
                return names
        return super().column(page, title)
