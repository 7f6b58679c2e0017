"""What the classic (3.x-5.x) template families share: labelled info lines and body widgets."""

from __future__ import annotations

import copy
from itertools import pairwise

from lxml import etree

from crawler.extract.dates import find_date, yearless_date
from crawler.extract.dom import data_hits
from crawler.extract.families import Page, SelectorFamily
from crawler.extract.generic import LABEL_RE, Info, element_text, parse_info_parts

# Prev/next and info blocks of the classic templates (3.0/4.0 `div.page`, 5.x met UI
# `div.met_page`, `div.hits`/`div.met_hits`; guide §2.1 last column).  They sit after the body
# in the default templates; a template that moves one inside the body would leak
# 上一条/下一条 or 【打印】【关闭】 lines into the text, so they are cut out of the body block.
CLASSIC_WIDGETS_XPATH = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' page ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' met_page ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' hits ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' met_hits ')]"
    "[contains(., '上一条') or contains(., '下一条') or contains(., '打印')"
    " or contains(., '点击次数')]"
)


def labelled_parts(el: etree._Element) -> list[str]:
    """The ``label：value`` parts of an info line, each running to the next label.

    Classic info lines print a label, then a value that may sit in a child element or be a
    hit-counter script (``点击次数：<span><script …></span>``), then widgets (【打印】【关闭】).
    Reading the whole text and cutting it at labels keeps a label with its value whatever
    elements it spans, and leaves unlabelled widget text out of every field.
    """
    text = element_text(el)
    starts = [m.start() for m in LABEL_RE.finditer(text)]
    return [text[a:b].strip() for a, b in pairwise([*starts, len(text)])] if starts else []


def labelled_info(page: Page, el: etree._Element) -> Info:
    """Fields of a classic info line: only labelled values count (these templates print no
    publisher, so no unlabelled text may become the author)."""
    hits = data_hits(el)
    info = parse_info_parts(labelled_parts(el), page.tz, page.fetched_at, hits)
    if info.date is None:
        # A skin that prints the time without its 更新时间 label still shows it here.
        info.date = find_date(element_text(el), page.tz, page.fetched_at)
    if info.date is None and info.yearless is None:
        # or a date without its year in an element of its own (<span>06-12</span>,
        # generic/taibeimaoyi-158)
        info.yearless = next(filter(None, map(yearless_date, el.itertext(etree.Element))), None)
    return info


def without_widgets(el: etree._Element, xpath: str = CLASSIC_WIDGETS_XPATH) -> etree._Element:
    """``el`` itself, or a copy of it without the prev/next and info widgets inside it."""
    if not el.xpath(xpath):
        return el
    pruned = copy.deepcopy(el)
    for node in pruned.xpath(xpath):
        parent = node.getparent()
        if parent is None:
            continue
        # Keep the text that follows the widget (it belongs to the body).
        if node.tail:
            prev = node.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)
    return pruned


class ClassicFamily(SelectorFamily):
    """A 3.x-5.x default-template family: its info line is read by label only (these
    templates print no publisher, and 【打印】【关闭】 links sit in the line), and its body
    loses the prev/next and info widgets a skin may move inside it."""

    def read_info(self, page: Page, el: etree._Element, title_el: etree._Element | None) -> Info:
        """Labelled values only (:func:`labelled_info`)."""
        return labelled_info(page, el)

    def clean_body(self, el: etree._Element) -> etree._Element:
        """The block without its classic widgets (:func:`without_widgets`)."""
        return without_widgets(el)
