"""The exported item: one news article of a MetInfo site (schema.org NewsArticle terms)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class NewsArticle:
    """One article, exported as one JSON Lines object.

    The published JSON Schema is ``crawler/schema/news_article.schema.json``; every exported
    item is validated against it in the tests.  Extraction may leave fields empty; the
    validation pipeline drops an item without ``url``, ``title`` or ``body``.
    """

    url: str
    """The article URL as fetched, after redirects (absolute)."""

    site: str = ""
    """The site's root URL with a trailing slash, e.g. ``http://sh.scoda.com/``."""

    article_id: str | None = None
    """MetInfo's content id (``met_news.id``) from the generator meta's ``data-variable``, else
    from the URL (a page under a custom file name: ``folder/name``, e.g. ``news/expo2024``).
    Ids are unique across a site's languages (guide §1.3)."""

    language: str | None = None
    """BCP 47 tag of the article (``zh-CN``, ``en``, ...) from MetInfo's language mark."""

    column: list[str] = field(default_factory=list)
    """Breadcrumb column names, outermost first, without the home link or a leading label
    such as 你的位置/当前位置/Location."""

    title: str | None = None
    """The headline only: no site-name suffix."""

    published_at: str | None = None
    """ISO 8601: ``2021-05-27T15:14:37+08:00`` when the page shows a time, ``2021-05-27`` when
    it shows only a day (with the time when its metadata, ``article:published_time`` or
    JSON-LD, declares one on that same day); when it shows none, the day its URL carries
    (static file names ``YYYYMMDDN.html`` hold MetInfo's add date, guide §1.2), else None
    (never the fetch time).  Naive page times are read in the site timezone (Asia/Shanghai unless
    overridden; guide §3); a time with its own UTC offset (``…T01:30:00Z``) is given in the
    site timezone too, as the same instant."""

    published_at_raw: str | None = None
    """The date text exactly as the page shows it; a date printed in pieces (a badge's day,
    month and year in their own elements) has its pieces joined by a space."""

    author: str | None = None
    """The publisher MetInfo prints (``issue``, e.g. ``admin``) or a labelled 作者/发布人/author."""

    source: str | None = None
    """A labelled 来源/source value; else the X of a body that opens with ``来源：X`` or
    ends with it (its last line, or the one before an editor's line)."""

    hits: int | None = None
    """The view count when the page prints it (the counter URL is never fetched)."""

    body: str = ""
    """Article text: paragraphs in order, each stripped (NBSP and U+3000 too), empty ones
    dropped, joined by ``\\n``; a table gives one line per row, cells joined by a tab."""

    body_html: str = ""
    """The body's HTML: scripts and styles removed, links and image ``src`` absolute, lazy
    images resolved."""

    images: list[dict[str, str | None]] = field(default_factory=list)
    """Content images in order, no duplicates: ``{"url": absolute URL, "alt": text or None}``;
    ``alt`` is None when empty or a CMS placeholder such as 图片关键词 (guide §2.4).  Only
    images with a URL to fetch: one inlined as a ``data:`` URI stays in ``body_html``."""

    attachments: list[dict[str, str]] = field(default_factory=list)
    """Body links to files (pdf, doc, xls, zip, ...): ``{"url": absolute URL, "name": link
    text}``."""

    robots: str | None = None
    """The page's ``<meta name="robots">`` directives as written (MetInfo prints a misspelt
    ``noindex,nofllow`` on some pages), recorded and not obeyed: this crawler builds
    datasets and archives, not a search index.  Null when the page has none."""

    metinfo_version: str | None = None
    """MetInfo's version from the generator meta or footer, e.g. ``7.2.0``; when the page
    prints none, its major line (``7.x``, ``6.x``, ``5.x``) from the generator's
    data-variable shape or MetInfo's own asset paths (guide §4); null without either."""

    template_family: str = ""
    """The extractor family that parsed the page, e.g. ``metinfo7`` or ``generic``."""

    fetched_at: str = ""
    """When the page was fetched, ISO 8601 in UTC (``2026-11-29T23:51:08+00:00``)."""

    content_hash: str = ""
    """SHA-256 hex digest of the normalised title and body: equal for the same article on
    any URL and in any run; the hit counter does not change it."""

    revision: int | None = None
    """With a state store (``METINFO_STATE``): 1 the first time the article is exported,
    then one more each time it is exported again because its content changed.  Null when
    the run keeps no state."""

    files: list[dict[str, str]] = field(default_factory=list)
    """Files of ``images`` and ``attachments`` mirrored with ``METINFO_MIRROR``, in that
    order: ``{"url": absolute URL, "path": where it is stored, relative to the mirror folder
    (``<h[:2]>/<h>/<name>``, ``h`` the SHA-256 of the content), "checksum": SHA-256 hex
    digest of the content}``.  Files not stored (robots.txt, another site, too large,
    failed) are left out and counted in the run summary; an empty list when mirroring is
    off."""


def publication_day(published_at: str | None) -> str:
    """The day of a ``published_at`` value (``YYYY-MM-DD``, the site's local day as shown),
    "" without one.  Two copies of one article are the same article when their content
    hash and this day agree: one column's template may print the time and another's only
    the day (tests/sites shanghui-gbk)."""
    return (published_at or "")[:10]
