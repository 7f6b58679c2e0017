"""MetInfo 5.x "v1" UI (public/ui/v1/shownews.php, used by metx5; guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from lxml import etree
from parsel import Selector

from crawler.extract.classic import ClassicFamily, labelled_parts
from crawler.extract.families import Page, first
from crawler.extract.generic import Info, element_text, parse_info_parts

# Selectors: 5.x v1 UI; guide §2.1 (fourth row), fixtures metinfo5v1/*.
TITLE_CSS = "section.met_module2 h1.met_title"
INFO_CSS = "section.met_module2 .met_infos"
# The info line's parts.  `span.met_source` is deliberately absent: the v1 UI prints the
# site name there as a link to the home page, never a source or a publisher (guide §2.1).
TIME_CSS = "span.met_time"
HITS_CSS = "span.met_hits"
BODY_CSS = "section.met_module2 div.met_editor"


class Metinfo5V1Family(ClassicFamily):
    """5.x v1 UI: ``section.met_module2`` holding ``h1.met_title``, the ``.met_infos`` line
    (``span.met_time``, ``span.met_source`` = site name, ``span.met_hits`` with a JS counter)
    and the ``div.met_editor`` body; ``ul.met_page`` prev/next after it."""

    name: ClassVar[str] = "metinfo5v1"
    TITLE_CSS = TITLE_CSS
    INFO_CSS = INFO_CSS
    BODY_CSS = BODY_CSS

    def read_info(self, page: Page, el: etree._Element, title_el: etree._Element | None) -> Info:
        """Date from ``span.met_time``, hits from ``span.met_hits`` when printed; no author,
        no source from the ``span.met_source`` link (the site name).  A span an admin adds
        with a label of its own (``<span class="met_author">作者：…</span>``) is read by its
        label (generic/yongfengxiehui-63)."""
        line = Selector(root=el)
        parts: list[str] = []
        for span in el.iterchildren("span"):
            if not {"met_source", "met_time", "met_hits"} & set((span.get("class") or "").split()):
                parts.extend(labelled_parts(span))
        time_el = first(line, TIME_CSS)
        if time_el is not None and (text := element_text(time_el)):
            parts.append(text)
        hits_el = first(line, HITS_CSS)
        if hits_el is not None:
            # "点击次数：<span class='met_Clicks'>…" when labelled, a bare number otherwise.
            text = element_text(hits_el)
            parts.extend(labelled_parts(hits_el) or ([text] if text.isdigit() else []))
        return parse_info_parts(parts, page.tz, page.fetched_at)
