"""Pure extraction: a parsed page in, a NewsArticle out.  No Scrapy, no I/O, no clock."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime, timezone, tzinfo
from typing import Any

from lxml import etree
from parsel import Selector
from parsel.selector import create_root_node

from crawler.extract import generic
from crawler.extract.dates import (
    READING_LANGUAGE,
    READING_PAGE,
    READING_SITE_ORDER,
    DateOrder,
    PageDate,
    SiteDateOrder,
    YearlessDate,
    date_from_url,
)
from crawler.extract.dom import doc_index, page_hits
from crawler.extract.families import GenericFamily, Page, crumb_names, generic_crumbs, select
from crawler.extract.metinfo3 import Metinfo3Family
from crawler.extract.metinfo5 import Metinfo4Family, Metinfo5Family
from crawler.extract.metinfo5v1 import Metinfo5V1Family
from crawler.extract.metinfo6 import Metinfo6Family
from crawler.extract.metinfo7 import CRUMBS_CSS, Metinfo7Family
from crawler.extract.page import PageMeta, base_url, page_language, read_page_meta
from crawler.extract.text import (
    body_html,
    body_media,
    clean_line,
    nfkc,
    text_content,
    text_lines,
)
from crawler.items import NewsArticle
from crawler.site import ArticleRef, parse_article_url, site_root

# Families in the order they are tried; the generic fallback matches every page and is last.
# 6.x v2 goes before 7.x: it shares the 7.x title and body classes, and is told apart by its
# <article class="met-shownews-body"> (guide §2.1).  The 3.x-5.x families do not overlap.
FAMILIES: tuple[GenericFamily, ...] = (
    Metinfo6Family(),
    Metinfo7Family(),
    Metinfo5V1Family(),
    Metinfo5Family(),
    Metinfo4Family(),
    Metinfo3Family(),
    GenericFamily(),
)


def choose_family(page: Page) -> GenericFamily:
    """The first family whose markup the page has (the generic one at worst)."""
    return next(family for family in FAMILIES if family.matches(page))


def parse_html(text: str, url: str | None = None) -> Selector:
    """``text`` (a decoded page) parsed for extraction, as parsel parses HTML (NULs dropped,
    recovering parser, huge documents allowed) but into lxml's own element classes.

    ``lxml.html`` elements look up their Python class each time an element is touched
    from Python, which costs about as much as the work done with it; nothing here needs
    their extra methods.  Extraction works the same on either kind of tree.
    """
    return Selector(root=create_root_node(text, etree.HTMLParser, base_url=url), type="html")


def content_hash(title: str | None, body: str) -> str:
    """SHA-256 hex of the NFKC-normalised, whitespace-collapsed title and body."""
    norm = nfkc(f"{clean_line(title or '')}\n{body}")
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def breadcrumb(sel: Selector, url: str, site: str) -> list[str]:
    """Column names of any page's breadcrumb (list pages too), outermost first."""
    base = base_url(sel, url)
    return crumb_names(select(sel, CRUMBS_CSS), base, site, None) or generic_crumbs(
        sel, base, site, None
    )


def list_column_path(sel: Selector, url: str, site: str) -> list[str]:
    """The column path of a list page: its breadcrumb, else (7.x list pages print none) the
    column name its ``<title>`` gives before the site name (``通知公告-东湖…``)."""
    crumbs = breadcrumb(sel, url, site)
    if crumbs:
        return crumbs
    title = generic.page_title(sel)
    if not title:
        return []
    name = generic.strip_site_suffix(title, generic.site_names(sel))
    return [name] if name and name != title else []


def make_page(
    sel: Selector, url: str, *, tz: tzinfo, fetched_at: datetime, meta: PageMeta | None = None
) -> Page:
    """Bundle what every family needs to read a page (``meta`` when already read)."""
    meta = meta if meta is not None else read_page_meta(sel)
    return Page(
        sel=sel,
        url=url,
        base_url=base_url(sel, url),
        meta=meta,
        site=site_root(url, meta.site),
        tz=tz,
        fetched_at=fetched_at,
    )


def extract_article(
    sel: Selector,
    url: str,
    *,
    tz: tzinfo,
    fetched_at: datetime,
    meta: PageMeta | None = None,
    date_order: SiteDateOrder | None = None,
) -> NewsArticle:
    """Read one article page into a :class:`NewsArticle`.

    ``sel`` is the parsed page, ``url`` the URL it was fetched from (after redirects), ``tz``
    the site timezone for naive page times and ``fetched_at`` an aware datetime (the fetch
    time; relative dates resolve against it).  Missing markup leaves fields empty; nothing
    raises for it.  Whether the page is an article at all is decided before, by
    :func:`crawler.extract.page.not_article_reason`; ``meta`` is the page's
    :class:`PageMeta` when the caller has read it already; ``date_order`` the order of day
    and month the site's other pages showed, for a date that neither the page nor its
    language settles (05/06/2025 on an ``en`` page; see :class:`SiteDateOrder`).
    """
    page = make_page(sel, url, tz=tz, fetched_at=fetched_at, meta=meta)
    ref = parse_article_url(url, page.site)
    language = page_language(sel, page.meta, ref.lang if ref else None)
    # Dates are read by the page's language's conventions (day first in ru, de, fr...).
    token = READING_LANGUAGE.set(language)
    page_token = READING_PAGE.set(DateOrder(sel.root))
    site_token = READING_SITE_ORDER.set(date_order)
    try:
        return _extract(page, ref, language)
    finally:
        READING_SITE_ORDER.reset(site_token)
        READING_PAGE.reset(page_token)
        READING_LANGUAGE.reset(token)


# The most text a block before the headline may hold to be taken for the page's header
# (a welcome bar, a breadcrumb) rather than the text.
HEADER_TEXT_MAX_CHARS = 200

# The longest subtitle between a headline and its info line.
SUBTITLE_MAX_CHARS = 100


def _short_siblings(
    siblings: Iterator[etree._Element], stop: etree._Element | None = None
) -> list[etree._Element]:
    """The elements ``siblings`` yields until ``stop`` (until the end without one); none when
    ``stop`` is never met or one of them is longer than :data:`SUBTITLE_MAX_CHARS` (the
    text itself, not a subtitle or a badge)."""
    out = []
    for el in siblings:
        if el is stop:
            return out
        if len(text_content(el).strip()) > SUBTITLE_MAX_CHARS:
            return []
        out.append(el)
    return out if stop is None else []


def _around_title(
    title_el: etree._Element | None, info_el: etree._Element | None, body_el: etree._Element
) -> list[etree._Element]:
    """Short elements beside the headline that are not the article's text: a subtitle
    between it and its info line (generic/zhongrichanyeyuan-415), and, when the body block
    holds the headline, the badges or kicker just before it (生活 · 政策,
    generic/yunqixiaozhen-1532)."""
    if title_el is None:
        return []
    around = []
    if info_el is not None and title_el.getparent() is info_el.getparent():
        around += _short_siblings(title_el.itersiblings(), info_el)
    if body_el is not title_el and generic.nested(title_el, body_el):
        around += _short_siblings(title_el.itersiblings(preceding=True))
    for after in title_el.itersiblings():
        # the subtitle line under the headline (——走访…), past an empty divider
        # (generic/jiaxingjinshuxh-1417)
        if not isinstance(after.tag, str):
            continue
        text = generic.short_text(after, generic.MAX_TITLE_ABOVE_INFO_CHARS)
        if text == "" and after.find(".//img") is None:
            continue
        if text and generic.SECOND_LINE_RE.match(text):
            around.append(after)
        break
    # never the text itself: a short one between the headline and an info line under it
    # (a whole-site trial of a convention centre lost two-paragraph notices)
    return [el for el in around if el is not body_el and not generic._is_inside(body_el, el)]


# A column named for a year (2024年, a yearly sub-column of a chamber's news).
YEAR_COLUMN_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:年度?)?$")  # 2024年度 too (sgxiehui-732)


def _in_year(
    yearless: YearlessDate, url_day: str | None, column: list[str], tz: tzinfo
) -> PageDate | None:
    """A date shown without its year, in the year the URL's date gives (when its month and
    day agree: ``news/20240612158.html`` and 06-12) or the year a column is named for
    (2024年 in the breadcrumb, generic/aomenqiaolian-1024); None when neither tells."""
    if url_day and (int(url_day[5:7]), int(url_day[8:10])) == (yearless.month, yearless.day):
        return yearless.in_year(int(url_day[:4]), tz)
    for name in reversed(column):
        if m := YEAR_COLUMN_RE.match(name):
            return yearless.in_year(int(m[1]), tz)
    return None


def _add_new(into: list[Any], more: list[Any]) -> None:
    """Append to ``into`` the entries of ``more`` (images or attachments, ``{"url": …}``)
    whose URL it does not hold yet."""
    known = {entry["url"] for entry in into}
    into += [entry for entry in more if entry["url"] not in known]


def _extract(page: Page, ref: ArticleRef | None, language: str | None) -> NewsArticle:
    sel, url, tz, fetched_at = page.sel, page.url, page.tz, page.fetched_at
    family = choose_family(page)
    title, title_el = family.title(page)
    info, info_el = family.info(page, title_el)
    body_el = family.body(page, [title_el, info_el])
    if body_el is not None:
        body_el = generic.text_pane(body_el)  # the 正文 tab of a box of tabs

    lines: list[str] = []
    html = ""
    images: list[dict[str, str | None]] = []
    attachments: list[dict[str, str]] = []
    if body_el is not None:
        extra = page.cache.get("info_lines", ())
        around = _around_title(title_el, info_el, body_el)
        exclude = frozenset(el for el in (title_el, info_el, *extra, *around) if el is not None)
        # An old skin's text split over cells of one table is read cell by cell; a lead box
        # right before the text block (摘要：…, 【导语】…) opens the text.
        parts = [
            *generic.source_line_before(body_el, exclude),
            *generic.lead_box_before(body_el, exclude),
            *generic.body_cells(body_el, exclude),
            *generic.stray_paragraphs_after(body_el),
        ]
        for cell in parts:
            lines += text_lines(cell, exclude)
            html = (
                f"{html}\n{body_html(cell, page.base_url, exclude)}"
                if html
                else body_html(cell, page.base_url, exclude)
            )
            media = body_media(cell, page.base_url)
            images += media.images
            attachments += media.attachments
        if (notes := generic.footnotes_after(body_el)) is not None:
            lines += text_lines(notes, exclude)
            html = f"{html}\n{body_html(notes, page.base_url, exclude)}"
        for rest in generic.folded_rest_after(body_el):
            # the text a phone template folds away behind 展开全文 is the article's
            lines += text_lines(rest, exclude)
            html = f"{html}\n{body_html(rest, page.base_url, exclude)}"
            more = body_media(rest, page.base_url)
            _add_new(images, more.images)
            _add_new(attachments, more.attachments)
        for pane in generic.picture_panes_beside(body_el):
            # a 相关图片 tab beside the text's: its pictures are the article's
            _add_new(images, body_media(pane, page.base_url).images)
        if (gallery := generic.gallery_after(body_el)) is not None:
            # a template's 图集 after the text: its pictures are the article's
            _add_new(images, body_media(gallery, page.base_url).images)
        if (box := generic.attachment_box_after(body_el)) is not None:
            # The notice's attachment list under the text is the article's too.
            lines += text_lines(box, exclude)
            html = f"{html}\n{body_html(box, page.base_url, exclude)}"
            _add_new(attachments, body_media(box, page.base_url).attachments)
        for cell in (
            *generic.attachment_cells(body_el),
            *generic.info_table_attachments(info_el, body_el),
        ):
            # a board's 첨부파일 row beside the body's, or in the view table of its info
            # rows (its file names are no body text)
            _add_new(attachments, body_media(cell, page.base_url).attachments)
    # A short block that ends before the headline starts is the page's header (a welcome
    # bar, a slogan, a breadcrumb), which won for want of any text below the headline
    # (generic/haiyunzmq-3021; a whole-site trial of a notice board: a video, a document
    # frame, an empty text).  (A long one is the text under a headline found too low.)
    before_title = (
        body_el is not None
        and title_el is not None
        and not images
        and body_el.getparent() is not None  # (not a block a family rebuilt out of the tree)
        and sum(map(len, lines)) <= HEADER_TEXT_MAX_CHARS
        and generic.stands_before(body_el, title_el)
    )
    if (
        not images
        and (not lines or before_title)
        and (picture := generic.picture_block_after(title_el, info_el)) is not None
    ):
        # No text and no picture where the text should be (a prev/next box at most): an
        # article that is one picture, player or document frame under its info line
        # (generic/minghuaxiehui-412).
        media = body_media(picture, page.base_url)
        lines, html = text_lines(picture), body_html(picture, page.base_url)
        images, attachments = media.images, media.attachments
    elif before_title:
        lines, html, attachments = [], "", []  # an article without text
    if (byline := generic.leading_byline(lines, tz)) is not None:
        # By Sarah Mitchell | September 10, 2024 opening the text: the author and date
        lines = lines[1:]
        if info.author is None and "author" not in info.seen_labels:
            info.author = byline[0]
        if info.date is None:
            info.date = byline[1]
    body = "\n".join(lines)

    # A labelled value wins; a label with no value (custom templates print an empty
    # "source:") still lets a body that opens with 来源：X speak, as the issue asks.
    source = info.source or generic.leading_source(lines)
    if (info.author is None and "author" not in info.seen_labels) or source is None:
        # 作者：… 来源：… as the text's last line, the info line without them
        credits = generic.closing_credits(lines, tz)
        if info.author is None and "author" not in info.seen_labels and credits.author_named:
            info.author = credits.author
        source = source or credits.source

    if info.date is None:
        # A date the page declares for machines only (article:published_time, JSON-LD), or
        # in its <title> beside the headline.
        info.date = generic.declared_date(sel, tz, title_el) or generic.title_date(sel, title, tz)
    elif len(info.date.iso) == len("YYYY-MM-DD") and (
        (line := generic.labelled_date_line(sel.root, tz)) is not None
        and (labelled := family.parse_info(page, line).date) is not None
        and labelled.iso[:10] == info.date.iso
        and len(labelled.iso) > 10
    ):
        # The day under the headline, the time in a labelled line of the same day
        # elsewhere (发布时间：… under the text, generic/shangyuqiaoshang-903).
        info.date = labelled
    elif len(info.date.iso) == len("YYYY-MM-DD"):
        # The page shows the day; its metadata the time the article went out that same
        # day (the time MetInfo stored): the time, with the day as shown for raw
        # (generic/qilucaijing-3021, zhongyuanshangxun-1207).
        declared = generic.declared_date(sel, tz, title_el)
        if (
            declared is not None
            and declared.iso[:10] == info.date.iso
            and len(declared.iso) > 10
            and declared.iso[11:19] != "00:00:00"  # a day stored as its midnight
        ):
            info.date = PageDate(declared.iso, info.date.raw)
    url_day = (ref.day if ref else None) or date_from_url(url)
    column = (
        family.column(page, title)
        or generic.wap_column(sel)
        or generic.title_column(sel, title)
        or generic.menu_column(sel, page.base_url, page.site)
    )
    if info.date is None and info.yearless is not None:
        info.date = _in_year(info.yearless, url_day, column, tz)
    published_at = info.date.iso if info.date else None
    published_raw = info.date.raw if info.date else None
    if published_at is None and url_day:
        published_at = url_day

    article_id = page.meta.content_id if page.meta.content_id else (ref.id if ref else None)
    return NewsArticle(
        url=url,
        site=page.site,
        article_id=article_id,
        language=language,
        column=column,
        title=title,
        published_at=published_at,
        published_at_raw=published_raw,
        author=info.author,
        source=source,
        hits=info.hits if info.hits is not None else page_hits(sel.root),
        body=body,
        body_html=html,
        images=images,
        attachments=attachments,
        robots=clean_line(doc_index(sel.root).meta("robots") or "") or None,
        metinfo_version=page.meta.version,
        template_family=family.name,
        fetched_at=fetched_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        content_hash=content_hash(title, body),
    )
