"""The metinfo spider: home page, column or article URL in, one item per news article out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.crawlstate import CrawlState, SiteState
from crawler.extract import breadcrumb, extract_article
from crawler.extract.dates import site_timezone
from crawler.extract.listing import read_links
from crawler.extract.page import NEWS_MODULE, not_article_reason, read_page_meta
from crawler.site import (
    ListRef,
    canonical_url,
    home_lang,
    parse_article_url,
    parse_list_url,
    site_root,
)


class MetinfoSpider(scrapy.Spider):
    """Crawl the news of MetInfo sites into :class:`crawler.items.NewsArticle` items.

    Arguments (``-a``):

    - ``url``: one or more comma-separated start URLs.  A home page: columns are discovered
      from its navigation, robots.txt sitemaps and the ``/sitemap/`` tree (guide §1.5, §6).
      A column URL: that column and its sub-columns.  An article URL: that article only.
    - ``lang``: comma-separated MetInfo language marks to keep (``cn,en``); default all.
    - ``tz``: IANA timezone of page times; default the ``METINFO_TIMEZONE`` setting.

    Raises ``ValueError`` at start when no URL is given.
    """

    name = "metinfo"

    def __init__(self, url: str = "", lang: str = "", tz: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u.strip() for u in url.split(",") if u.strip()]
        if not self.start_urls:
            raise ValueError("give the start URL(s): -a url=http://site/ (comma-separated)")
        self.langs = frozenset(x.strip().lower() for x in lang.split(",") if x.strip())
        self.tz_name = tz

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Append ``METINFO_CONTACT`` to the project User-Agent unless the user set one."""
        super().update_settings(settings)
        contact = settings.get("METINFO_CONTACT")
        if contact and settings.getpriority("USER_AGENT") <= settings.getpriority(
            "METINFO_CONTACT"
        ):
            agent = settings.get("USER_AGENT").rstrip(")")
            settings.set("USER_AGENT", f"{agent}; {contact})", priority="cmdline")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MetinfoSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.tz = site_timezone(spider.tz_name or crawler.settings.get("METINFO_TIMEZONE"))
        spider.state = CrawlState(lambda: crawler.stats, spider.logger)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            for request in self._start(canonical_url(url)):
                yield request

    def _start(self, url: str) -> Iterator[scrapy.Request]:
        root = site_root(url)
        site = self.state.site(root)
        if parse_article_url(url, root):
            yield from self._articles(site, [url])
        elif home_lang(url, root) is not False:
            yield from self._homes(site, {url: home_lang(url, root)}, force=True)
            yield self._request(
                urljoin(root, "robots.txt"), self.parse_robots, root, handle_httpstatus_all=True
            )
        else:
            site.scoped = True
            ref = parse_list_url(url, root)
            site.scope_folder = ref.folder if ref else None
            yield from self._lists(site, {url: ref}, start=True)

    # -- discovery -------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemaps named by robots.txt (guide §1.5); ``/sitemap.xml`` when it names none."""
        root = response.meta["metinfo_root"]
        urls: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            urls = list(sitemap_urls_from_robots(response.body, base_url=root))
        for url in urls or [urljoin(root, "sitemap.xml")]:
            if canonical_url(url).startswith(root):
                yield self._request(canonical_url(url), self.parse_sitemap, root)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Articles, columns and language homes of a sitemaps.org urlset (or index)."""
        root = response.meta["metinfo_root"]
        site = self.state.site(root)
        if response.status != 200 or not response.body.strip():
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml raises several types for broken XML
            self.state.count("sitemap/unreadable")
            self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
            return
        locs = [canonical_url(e["loc"]) for e in sitemap if e.get("loc")]
        locs = [loc for loc in locs if loc.startswith(root)]
        if sitemap.type == "sitemapindex":
            for loc in locs:
                yield self._request(loc, self.parse_sitemap, root)
            return
        self.state.count("sitemap/urls", len(locs))
        yield from self._homes(site, {u: h for u in locs if (h := home_lang(u, root)) is not False})
        yield from self._lists(site, {u: r for u in locs if (r := parse_list_url(u, root))})
        yield from self._articles(site, [u for u in locs if parse_article_url(u, root)])

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        """A language home or the ``/sitemap/`` column tree: columns from navigation,
        articles from home blocks, other languages from the switcher."""
        if not isinstance(response, TextResponse):
            return
        meta = read_page_meta(response.selector)
        site = self.state.site(response.meta["metinfo_root"])
        if site.default_lang is None and meta.lang and not response.meta.get("metinfo_lang"):
            site.default_lang = meta.lang
        links = read_links(response.selector, response.url, site.root)
        yield from self._homes(site, links.homes)
        for url in links.sitemap_pages:
            yield from self._homes(site, {url: None})
        yield from self._lists(site, links.lists)
        yield from self._articles(site, list(links.articles))

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """A list page: its articles, pager pages and sub-columns (guide §1.6, §2.2)."""
        site = self.state.site(response.meta["metinfo_root"])
        site.list_done(response.meta["metinfo_column"])
        self.state.count("lists/pages")
        if not isinstance(response, TextResponse):
            return
        meta = read_page_meta(response.selector)
        if meta.module is not None and meta.module != NEWS_MODULE:
            self.state.count("lists/not_news")
            return
        ref = parse_list_url(response.url, site.root)
        column = site.learn_list(response.url, ref, meta)
        if response.meta.get("metinfo_start"):
            site.scope_crumbs = breadcrumb(response.selector, response.url, site.root) or None
        elif site.scoped and not site.in_scope(response.selector, response.url):
            self.state.count("lists/out_of_scope")
            return
        links = read_links(response.selector, response.url, site.root)
        new = [u for u, r in links.articles.items() if r.id not in site.articles]
        yield from self._articles(site, list(links.articles))
        # Paging ends at the stated page count; without one, at a page with nothing new
        # (a last page repeated for every higher number, guide §1.6 / issue 3).
        if new or (links.page_count is not None and links.articles):
            pager = {u: links.lists[u] for u in links.pager}
            yield from self._lists(site, pager, column=column, page_count=links.page_count)
        yield from self._lists(site, {u: r for u, r in links.lists.items() if u not in links.pager})

    # -- requests --------------------------------------------------------------------------

    def _request(self, url: str, callback: Any, root: str, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url, callback, errback=self.on_error, meta={"metinfo_root": root, **meta}
        )

    def _homes(
        self, site: SiteState, homes: dict[str, str | None], force: bool = False
    ) -> Iterator[scrapy.Request]:
        for url, lang in homes.items():
            if site.want_home(url, lang, frozenset() if force else self.langs):
                yield self._request(url, self.parse_home, site.root, metinfo_lang=lang)

    def _lists(
        self,
        site: SiteState,
        lists: dict[str, ListRef | None],
        *,
        start: bool = False,
        column: str | None = None,
        page_count: int | None = None,
    ) -> Iterator[scrapy.Request]:
        for url, ref in lists.items():
            key = site.list_key(url, ref)
            col = column or site.column_of(url, ref)
            if site.want_list(key, col, ref, frozenset() if start else self.langs, page_count):
                yield self._request(
                    url, self.parse_list, site.root, metinfo_column=col, metinfo_start=start
                )

    def _articles(self, site: SiteState, urls: Iterable[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            ref = parse_article_url(url, site.root)
            if ref is not None and site.want_article(ref, url, self.langs):
                yield self._request(url, self.parse_article, site.root)

    # -- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """One article page to one item, or a counted reason why it is not an article."""
        site = self.state.site(response.meta["metinfo_root"])
        reason = "not_html" if not isinstance(response, TextResponse) else None
        if reason is None:
            meta = read_page_meta(response.selector)
            reason = not_article_reason(response.selector, meta, response.url, response.body)
        if reason:
            self.state.not_article(reason, response.url)
            yield from self._retry_alias(site, response.request.url)
            return
        fetched_at = datetime.now(timezone.utc)
        item = extract_article(response.selector, response.url, tz=self.tz, fetched_at=fetched_at)
        self.state.count(f"family/{item.template_family}")
        yield item

    def on_error(self, failure: Any) -> Iterator[scrapy.Request]:
        """A request that failed for good: counted and named in the run summary; for an
        article, another URL form seen for the same id is tried."""
        request = failure.request
        self.state.failed(request.url, failure)
        site = self.state.site(request.meta["metinfo_root"])
        if "metinfo_column" in request.meta:
            site.list_done(request.meta["metinfo_column"])
        if request.callback == self.parse_article:
            yield from self._retry_alias(site, request.url)

    def _retry_alias(self, site: SiteState, url: str) -> Iterator[scrapy.Request]:
        ref = parse_article_url(url, site.root)
        alias = site.next_alias(ref) if ref else None
        if alias:
            self.state.count("articles/alias_retried")
            yield self._request(alias, self.parse_article, site.root)
