"""The contenders of the parse-cost and accuracy benchmarks, each as ``page text in, item out``.

Every adapter takes the decoded page (what ``response.text`` gives a spider) and its URL, and
returns an item in our item's terms (``url``, ``title``, ``published_at``, ``author``,
``source``, ``body``) so that :func:`crawler.accuracy.compare` reads all of them alike.
Competitors get their best chance: the page's language, dates asked with a time of day, and
naive times read in the site's timezone, as ours are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import lxml.etree
import lxml.html

from crawler.extract import extract_article, parse_html
from crawler.extract.dates import site_timezone
from crawler.extract.page import not_article_reason, read_page_meta
from crawler.items import NewsArticle

TZ = site_timezone()  # Asia/Shanghai: every generated and recorded site prints it
FETCHED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)  # fixed: relative dates reproduce
# htmldate's output format with the time of day; trafilatura's defaults otherwise.
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"

Extractor = Callable[[str, str, str], Any]


def lxml_parse(text: str, url: str = "", lang: str = "") -> None:
    """The floor: lxml's parse of the page alone, the way parsel does it (UTF-8 bytes,
    ``HTMLParser(recover=True)``), with nothing read from the tree."""
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8")
    lxml.etree.fromstring(text.strip().replace("\x00", "").encode("utf-8"), parser=parser)


def ours(text: str, url: str, lang: str = "") -> NewsArticle | None:
    """What our spider does with an article response: parse, page checks, extraction.

    Returns the item itself (as the spider yields it); :func:`as_dict` makes it a dict
    outside the timed part.
    """
    sel = parse_html(text, url)
    meta = read_page_meta(sel)
    if not_article_reason(sel, meta, url, text.encode("utf-8")):
        return None
    return extract_article(sel, url, tz=TZ, fetched_at=FETCHED_AT, meta=meta)


def as_dict(item: Any) -> dict[str, Any] | None:
    """An adapter's output as a plain dict (our dataclass item converted), None kept."""
    if item is None or isinstance(item, dict):
        return item
    return dataclasses.asdict(item)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=TZ)
    return value.isoformat(timespec="seconds")


def trafilatura_item(text: str, url: str, lang: str = "") -> dict[str, Any] | None:
    """``trafilatura.bare_extraction`` with metadata (its htmldate date extraction)."""
    import trafilatura
    from trafilatura.settings import set_date_params

    params = {**set_date_params(True), "outputformat": DATE_FORMAT}
    doc = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, date_extraction_params=params
    )
    if doc is None:
        return None
    date = None
    if doc.date:
        try:
            date = _iso(datetime.strptime(doc.date, DATE_FORMAT))
        except ValueError:
            date = doc.date
    return {
        "url": url,
        "title": doc.title,
        "published_at": date,
        "author": doc.author,
        "source": None,  # trafilatura has no field for a news source
        "body": doc.text or "",
    }


def newspaper_item(text: str, url: str, lang: str = "") -> dict[str, Any] | None:
    """``newspaper4k``: ``Article(url, language).download(input_html=...)`` then ``parse()``."""
    import newspaper

    article = newspaper.Article(url, language="zh" if lang in ("cn", "zh") else "en")
    article.download(input_html=text)
    article.parse()
    return {
        "url": url,
        "title": article.title or None,
        "published_at": _iso(article.publish_date),
        "author": ", ".join(article.authors) or None,
        "source": None,  # newspaper4k has no field for a news source
        "body": article.text or "",
    }


# Name, import needed (None: always there), callable.
CONTENDERS: tuple[tuple[str, str | None, Extractor], ...] = (
    ("ours", None, ours),
    ("trafilatura", "trafilatura", trafilatura_item),
    ("newspaper4k", "newspaper", newspaper_item),
)
