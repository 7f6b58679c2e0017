"""MetInfo 6.x/7.x tag templates (metv6, metv7, metv75) and the commercial "ui" components,
which share their classes (guide §2.1)."""

from __future__ import annotations

from typing import ClassVar

from crawler.extract.families import SelectorFamily

# Selectors: 6.x/7.x tag templates and ui components; guide §2.1, fixtures metinfo7/*.
TITLE_CSS = "section.details-title h1, .details-title h1"
# span x 3: updatetime, issue (publisher), hits (after `i.wb-eye`).
INFO_CSS = ".details-title .info"
# The 404 page also has .met-editor (guide §2.1); pages are classified before extraction.
BODY_CSS = "section.met-editor, .met-shownews-body .met-editor"
# Breadcrumb of the system <location> tag; guide §2.1 "stable cross-template anchors".
CRUMBS_CSS = ".met-crumbs .breadcrumb a[href], ol.breadcrumb li.breadcrumb-item a[href]"


class Metinfo7Family(SelectorFamily):
    """6.x/7.x detail pages: ``section.details-title h1``, ``.info`` spans (updatetime,
    issue, hits with ``i.wb-eye``), ``section.met-editor`` body, ``.met-crumbs`` breadcrumb."""

    name: ClassVar[str] = "metinfo7"
    TITLE_CSS = TITLE_CSS
    INFO_CSS = INFO_CSS
    BODY_CSS = BODY_CSS
    CRUMBS_CSS = CRUMBS_CSS
