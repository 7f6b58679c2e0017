"""MetInfo 6.x/7.x tag templates (metv6, metv7, metv75) and the commercial "ui" components,
which share their classes (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from crawler.extract.families import GenericFamily, Page, crumb_names
from crawler.extract.generic import Info, element_text

# Selectors: 6.x/7.x tag templates and ui components; guide §2.1, fixture metinfo7/*.
TITLE_CSS = "section.details-title h1, .details-title h1"
INFO_CSS = ".details-title .info"
# The 404 page also has .met-editor (guide §2.1); pages are classified before extraction.
BODY_CSS = "section.met-editor, .met-shownews-body .met-editor"
CRUMBS_CSS = ".met-crumbs .breadcrumb a[href], ol.breadcrumb li.breadcrumb-item a[href]"


class Metinfo7Family(GenericFamily):
    """6.x/7.x detail pages: ``section.details-title h1``, ``.info`` spans (updatetime,
    issue, hits with ``i.wb-eye``), ``section.met-editor`` body, ``.met-crumbs`` breadcrumb."""

    name: ClassVar[str] = "metinfo7"

    def matches(self, page: Page) -> bool:
        """Both the title and the body container of the family are present."""
        return bool(page.sel.css(TITLE_CSS)) and bool(page.sel.css(BODY_CSS))

    def title(self, page: Page) -> tuple[str | None, etree._Element | None]:
        """The ``.details-title h1`` text."""
        el = page.sel.css(TITLE_CSS)[0].root
        return element_text(el) or None, el

    def info(
        self, page: Page, title_el: etree._Element | None
    ) -> tuple[Info, etree._Element | None]:
        """The ``.details-title .info`` line, parsed like any info line; falls back to the
        generic search when a ui component renames it."""
        found = page.sel.css(INFO_CSS)
        if not found:
            return super().info(page, title_el)
        el = found[0].root
        return self.parse_info(page, el), el

    def body(self, page: Page, avoid: list[etree._Element | None]) -> etree._Element | None:
        """The first ``section.met-editor``."""
        return page.sel.css(BODY_CSS)[0].root

    def column(self, page: Page, title: str | None) -> list[str]:
        """Breadcrumb of the system ``<location>`` tag, else the generic search."""
        names = crumb_names(page.sel.css(CRUMBS_CSS), page.base_url, page.site, title)
        return names or super().column(page, title)
