"""MetInfo 4.0-5.1 default/met007 templates and the 5.x "met" UI (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from crawler.extract.families import GenericFamily, Page
from crawler.extract.generic import Info, element_text
from crawler.extract.metinfo3 import first, labelled_info, without_widgets

# Selectors: 4.0-5.1 templates/default and met007; guide §2.1 (second row), fixtures
# metinfo4/*.  `.shownews.webbox` is one element with both classes.
DEFAULT_TITLE_CSS = ".shownews.webbox h1.title"
DEFAULT_INFO_CSS = ".shownews.webbox div.hits"
DEFAULT_BODY_CSS = ".shownews.webbox div.editor"

# Selectors: 5.x "met" UI (public/ui/met/shownews.html, used by metv5 and other .html
# templates); guide §2.1 (third row), fixtures metinfo5/*.  `#shownews` is an id here, the
# 4.x class of the same name is a class.
MET_TITLE_CSS = "#shownews h1.title"
# 点击次数：<span> + the include/hits.php script, then 更新时间：…, then 【打印】【关闭】.
MET_INFO_CSS = "#shownews div.met_hits"
MET_BODY_CSS = "#shownews div.editor"


class Metinfo4Family(GenericFamily):
    """4.0-5.1 default/met007: ``.shownews.webbox`` holding ``h1.title``, the ``div.hits``
    line and the ``div.editor`` body; ``div.page`` prev/next after it."""

    name: ClassVar[str] = "metinfo4"

    def matches(self, page: Page) -> bool:
        """The title and body of the ``.shownews.webbox`` block."""
        return (
            first(page.sel, DEFAULT_TITLE_CSS) is not None
            and first(page.sel, DEFAULT_BODY_CSS) is not None
        )

    def title(self, page: Page) -> tuple[str | None, etree._Element | None]:
        """The ``h1.title`` text."""
        el = first(page.sel, DEFAULT_TITLE_CSS)
        if el is None:
            return super().title(page)
        return element_text(el) or None, el

    def info(
        self, page: Page, title_el: etree._Element | None
    ) -> tuple[Info, etree._Element | None]:
        """The ``div.hits`` line, labelled values only (点击次数 is a script, 更新时间 the date)."""
        el = first(page.sel, DEFAULT_INFO_CSS)
        if el is None:
            return super().info(page, title_el)
        return labelled_info(page, el), el

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The ``div.editor`` block."""
        el = first(page.sel, DEFAULT_BODY_CSS)
        return without_widgets(el) if el is not None else super().body(page, avoid)


class Metinfo5Family(GenericFamily):
    """5.x "met" UI: ``#shownews`` holding ``h1.title``, the ``div.met_hits`` line
    (点击次数 script, 更新时间, 【打印】【关闭】) and the ``div.editor`` body; ``div.met_page``
    (上一条/下一条) after it."""

    name: ClassVar[str] = "metinfo5"

    def matches(self, page: Page) -> bool:
        """The title and body of the ``#shownews`` block."""
        return (
            first(page.sel, MET_TITLE_CSS) is not None and first(page.sel, MET_BODY_CSS) is not None
        )

    def title(self, page: Page) -> tuple[str | None, etree._Element | None]:
        """The ``h1.title`` text."""
        el = first(page.sel, MET_TITLE_CSS)
        if el is None:
            return super().title(page)
        return element_text(el) or None, el

    def info(
        self, page: Page, title_el: etree._Element | None
    ) -> tuple[Info, etree._Element | None]:
        """The ``div.met_hits`` line, labelled values only: its 【打印】【关闭】 links are
        neither a publisher nor a date."""
        el = first(page.sel, MET_INFO_CSS)
        if el is None:
            return super().info(page, title_el)
        return labelled_info(page, el), el

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The ``div.editor`` block."""
        el = first(page.sel, MET_BODY_CSS)
        return without_widgets(el) if el is not None else super().body(page, avoid)
