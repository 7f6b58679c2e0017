"""MetInfo 6.0/6.1 "v2" UI (public/ui/v2/shownews.php) (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from crawler.extract.families import Page, SelectorFamily
from crawler.extract.generic import Info, element_text, page_title, site_names
from crawler.extract.metinfo7 import CRUMBS_CSS
from crawler.extract.text import STRIP_CHARS

# Selectors: 6.x v2 UI; guide §2.1 (fifth row), fixtures metinfo6/*.  The v2 UI shares its
# title, info and body classes with the 6.x/7.x tag templates (family metinfo7); what tells it
# apart is the body wrapper: v2 prints `<article class="met-shownews-body">` where the tag
# templates print `<div class="… met-shownews-body">`.  This family is tried first.
SHOWNEWS_CSS = "main.met-shownews article.met-shownews-body"
TITLE_CSS = SHOWNEWS_CSS + " section.details-title h1"
# span × 3: updatetime, issue (the site name when the publisher is empty), hits.
INFO_CSS = SHOWNEWS_CSS + " .details-title .info"
# Every body image is lazy (`data-original`, no `src`; guide §2.5); text.image_url reads it.
BODY_CSS = SHOWNEWS_CSS + " section.met-editor"
# Separators between the headline and the site name in <title> (met_title_type 2).
TITLE_SEPARATORS = "-_|—– "


class Metinfo6Family(SelectorFamily):
    """6.x v2 UI: ``main.met-shownews article.met-shownews-body`` holding
    ``section.details-title h1``, the ``.info`` spans (updatetime, issue, hits) and the
    ``section.met-editor`` body with lazy images."""

    name: ClassVar[str] = "metinfo6"
    TITLE_CSS = TITLE_CSS
    INFO_CSS = INFO_CSS
    BODY_CSS = BODY_CSS
    CRUMBS_CSS = CRUMBS_CSS

    def read_info(self, page: Page, el: etree._Element, title_el: etree._Element | None) -> Info:
        """The ``.info`` spans in MetInfo's order; an issue that is only the site name (the
        v2 UI's fallback for an empty publisher) is no author."""
        info = self.parse_info(page, el)
        if info.author is not None and info.author in self._site_names(page, title_el):
            info.author = None
        return info

    @staticmethod
    def _site_names(page: Page, title_el: etree._Element | None) -> set[str]:
        """The site name as the page prints it: the ``<title>`` after the headline
        (``{title}-{sitename}``) and the names :func:`generic.site_names` finds."""
        names = site_names(page.sel)
        whole = page_title(page.sel)
        headline = element_text(title_el) if title_el is not None else ""
        if whole and headline and whole.startswith(headline):
            rest = whole[len(headline) :].lstrip(TITLE_SEPARATORS + STRIP_CHARS)
            if rest:
                names.add(rest)
        return names
