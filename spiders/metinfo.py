"""The metinfo spider: home page, column or article URL in, one item per news article out."""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from itertools import islice
from typing import Any
from urllib.parse import urljoin

import redis
import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import (
    DontCloseSpider,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet import error as twisted_error

from crawler import distributed
from crawler.compact import PackedQueue
from crawler.crawlstate import DEFAULT_LANG, CrawlState, SiteState
from crawler.extract import (
    base_url,
    breadcrumb,
    extract_article,
    list_column_path,
    parse_html,
)
from crawler.extract.dates import SiteDateOrder, numeric_date_order, site_timezone
from crawler.extract.dom import doc_index
from crawler.extract.listing import read_links
from crawler.extract.page import (
    NEWS_MODULE,
    PageMeta,
    cut_in_text,
    language_mark,
    language_tag,
    not_article_reason,
    read_page_meta,
)
from crawler.extract.text import (
    LINKED_DOCS_RE,
    OTHER_MODULE_BOX_RE,
    READ_ALSO_RE,
    RELATED_HEADING_RE,
    STRIP_CHARS,
)
from crawler.middlewares import BLOCKED_MESSAGE, no_connection
from crawler.runs import REMEMBERED_NOT_ARTICLES, RunLedger, not_article_hash
from crawler.site import (
    HOST_ALIASES,
    ArticleRef,
    ListRef,
    add_host_alias,
    canonical_url,
    followable_url,
    home_lang,
    on_crawl_host,
    parse_article_url,
    parse_list_url,
    site_root,
    with_lang,
    without_lang,
)
from crawler.warcreplay import NOT_ARCHIVED
from pipelines.validate import shows_media

# Sitemap entries classified and requested together: a sitemap of a 100k-article site is
# read in slices this size instead of as one list (peak memory, bench 5a).
SITEMAP_BATCH = 1000
# Known articles a sitemap batch must name, with a lastmod and a stored day, before their
# lastmods may be judged a rebuild's rather than re-dates (MetinfoSpider._lastmods_disagree).
LASTMOD_SAMPLE_MIN = 5
# HTTP statuses by which a site says an article is no more (RFC 9110 §15.5.5, §15.5.11):
# counted apart from other failures (metinfo/articles/gone, crawler.runs.articles_failed).
GONE = (404, 410)
# The smallest DOWNLOAD_DELAY a crawl runs with (seconds).  With a delay of 0, Scrapy 2.19's
# downloader hands a site's whole queue to the network in one go: a request counts against
# CONCURRENT_REQUESTS_PER_DOMAIN only once its download task starts, after the dispatch
# loop has already checked the free slots (scrapy/core/downloader/__init__.py,
# Downloader._process_queue).  Any delay above 0 dispatches one request per turn, and the
# limit holds.  1 ms allows a site up to 1,000 requests a second, far above any crawl, but
# each turn is a timer: about a tenth more CPU per page, so the floor applies only where the
# per-site limit binds (below CONCURRENT_REQUESTS, which the bug leaves intact).
MIN_DOWNLOAD_DELAY = 0.001


def first_url(meta: dict[str, Any], url: str) -> str:
    """The URL first asked for: before any redirect (Scrapy's ``redirect_urls``)."""
    return (meta.get("redirect_urls") or [url])[0]


# The start of an XML document that is no web page: a sitemap, a sitemap index, a feed.
FEED_ROOT_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:urlset|sitemapindex|rss|feed)\b", re.S
)


def is_html(response: Response) -> bool:
    """An HTML (or XHTML) page by its Content-Type, or by Scrapy's sniffing without one:
    a PDF whose bytes look like text is still not an article page (issue 7).  A server
    without a type for .html files (nginx's ``default_type application/octet-stream``)
    or one that calls it ``text/plain`` sends an HTML page all the same: taken when the
    body opens as one (:data:`HTML_START_RE`)."""
    if not isinstance(response, TextResponse):
        return False
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if not ctype or "html" in ctype or "xml" in ctype:
        return True
    untyped = ctype.split(";")[0].strip() in UNTYPED_CONTENT_TYPES
    return untyped and HTML_START_RE.match(response.body[:HTML_SNIFF_BYTES]) is not None


# Content types a misconfigured server gives an HTML page (is_html then looks at its body).
UNTYPED_CONTENT_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", "text/plain"})
# The start of an HTML document: a doctype or an <html> tag, after a BOM, blanks, comments.
HTML_START_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
HTML_SNIFF_BYTES = 1024


class MetinfoSpider(scrapy.Spider):
    """Crawl the news of MetInfo sites into :class:`crawler.items.NewsArticle` items.

    Arguments (``-a``):

    - ``url``: one or more comma-separated start URLs.  A home page: columns are discovered
      from its navigation, robots.txt sitemaps and the ``/sitemap/`` tree (guide §1.5, §6).
      A column URL: that column and its sub-columns.  An article URL: that article only.
    - ``lang``: comma-separated languages to keep, as MetInfo marks (``cn,en``) or BCP 47
      tags (``zh-CN,en``); default all.
    - ``tz``: IANA timezone of page times; default the ``METINFO_TIMEZONE`` setting.
    - ``columns`` / ``skip_columns``: comma-separated column names (as the breadcrumb shows
      them); only articles under an included column, and none under a skipped one, are
      exported.  With either set, articles are taken from list pages only.

    Order of discovery from a home page: the home page (robots.txt is read first by the
    robots middleware), then the sitemaps robots.txt names (else ``/sitemap.xml``), and only
    once they are read the lists and articles the home page links, so that a repeat run
    knows what the sitemap already gave.  With a state store (``METINFO_STATE``) an
    incremental run fetches only articles that are new or re-dated (by list date or sitemap
    ``lastmod``) and stops paging a column at the first page with nothing new.

    Raises ``ValueError`` at start when no URL is given.
    """

    name = "metinfo"

    def __init__(
        self,
        url: str = "",
        lang: str = "",
        tz: str = "",
        columns: str = "",
        skip_columns: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.columns = frozenset(c.strip() for c in columns.split(",") if c.strip())
        self.skip_columns = frozenset(c.strip() for c in skip_columns.split(",") if c.strip())
        self.start_urls = [u.strip() for u in url.split(",") if u.strip()]
        if not self.start_urls:
            raise ValueError("give the start URL(s): -a url=http://site/ (comma-separated)")
        # Both the value given and the MetInfo mark it maps to (zh-CN -> cn) are accepted.
        given = [x.strip().lower() for x in lang.split(",") if x.strip()]
        self.lang_args = tuple(dict.fromkeys(given))  # as typed, for messages
        self.langs = frozenset(given) | frozenset(map(language_mark, given))
        self.tz_name = tz
        self.ledger: RunLedger | None = None
        self.state_error: str | None = None
        self.state_error_reason: str | None = None
        # Article requests waiting for room in the window: (site root, URL, article id),
        # packed (a sitemap may name every article of the site at once).
        self.parked = PackedQueue()
        self.window = 0
        self._stale = 0  # article requests that will never answer (see spider_idle)
        # Article pages held by the URL asked, for a list's day (SiteState.hold_dateless)
        # or the site's date order (hold_for_dates): read again from here once it is
        # known, not fetched twice (at most MAX_HELD_FOR_DATES of each per site).
        self._held_pages: dict[str, Response] = {}
        # (site root, article id) -> (URL, reason) of pages kept in the store as no article
        # before any list showed their day (_remember_page)
        self._remembered_undated: dict[tuple[str, str], tuple[str, str]] = {}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Append ``METINFO_CONTACT`` to the project User-Agent unless the user set one, and
        raise a ``DOWNLOAD_DELAY`` below :data:`MIN_DOWNLOAD_DELAY` to it when
        ``CONCURRENT_REQUESTS_PER_DOMAIN`` is below ``CONCURRENT_REQUESTS``."""
        super().update_settings(settings)
        try:
            delay = settings.getfloat("DOWNLOAD_DELAY")
            binding = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") < settings.getint(
                "CONCURRENT_REQUESTS"
            )
        except ValueError:  # not a number: `scrapy crawl` refuses it (exit 2)
            delay, binding = MIN_DOWNLOAD_DELAY, False
        if binding and delay < MIN_DOWNLOAD_DELAY:
            # Above the priority the value came with: Scrapy 2.19's CrawlerProcess.crawl()
            # updates a crawler's settings with its own (-s at "cmdline") after this runs.
            given = settings.getpriority("DOWNLOAD_DELAY") or 0
            priority = max(given, SETTINGS_PRIORITIES["cmdline"]) + 1
            settings.set("DOWNLOAD_DELAY", MIN_DOWNLOAD_DELAY, priority=priority)
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
        HOST_ALIASES.clear()  # host aliases are a crawl's own (a process may run several)
        if not distributed.enabled(crawler.settings):
            spider.window = max(0, crawler.settings.getint("METINFO_ARTICLE_WINDOW"))
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        roots = [site_root(canonical_url(u)) for u in spider.start_urls]
        try:
            store = distributed.state_store(crawler.settings, spider)
            spider.ledger = RunLedger.open(
                crawler.settings,
                roots,
                datetime.now(timezone.utc),
                store=store,
                scopes=spider.run_scopes(),
            )
        except (OSError, sqlite3.Error, redis.RedisError) as exc:
            spider.state_error = f"state store {crawler.settings.get('METINFO_STATE')}: {exc}"
            if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):
                spider.state_error_reason = "redis_unreachable"  # exit code 13, not 5
        return spider

    def run_scopes(self) -> dict[str, str]:
        """Per site root, the part of the site this run covers, in words ("" for all of it):
        its column and article start URLs and the ``columns``, ``skip_columns`` and
        ``lang`` filters.  A home start covers the whole site (every language, guide §1.4)
        unless a filter narrows it.  See :func:`crawler.runs.history_kind`."""
        filters = [
            f"{name}={','.join(sorted(values))}"
            for name, values in (
                ("columns", self.columns),
                ("skip_columns", self.skip_columns),
                ("lang", self.langs),
            )
            if values
        ]
        starts: dict[str, set[str]] = {}
        for url in map(canonical_url, self.start_urls):
            root = site_root(url)
            parts = starts.setdefault(root, set())
            parts.add("" if home_lang(url, root) is not False else url)
        scopes = {}
        for root, parts in starts.items():
            # A home start among them: the site's every column and article, before filters.
            scopes[root] = " ".join([*([] if "" in parts else sorted(parts)), *filters])
        return scopes

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.state_error:
            self.logger.error("not crawling: %s", self.state_error)
            if self.state_error_reason:
                self.crawler.stats.set_value("metinfo/redis/stop_reason", self.state_error_reason)
            else:
                self.state.count("state/unwritable")
            return
        if self.ledger is not None:
            part = " of part of the site" if self.ledger.scopes else ""
            self.logger.info("state store: %s run%s", self.ledger.kind, part)
        for url in self.start_urls:
            start = canonical_url(url)
            for request in self._start(start):
                # A home or column start whose failure is counted (crawler.runs.start_failed);
                # an article start that fails is a failed article (exit code 6).
                if request.url == start and request.callback != self.parse_article:
                    self.state.count("start/urls")
                    request.meta["metinfo_start_url"] = True
                yield request

    def _start(self, url: str) -> Iterator[scrapy.Request]:
        root = site_root(url)
        site = self.state.site(root)
        if self.ledger is not None and self.ledger.incremental and not site.other_module_folders:
            # an incremental run does not ask again for another module's pages that the
            # last runs found (a sitemap names every product and download of the site)
            site.other_module_folders.update(self.ledger.other_module_folders(root))
        if parse_article_url(url, root):
            yield from self._articles(site, [url], force=True)
        elif home_lang(url, root) is not False:
            site.whole_site = True
            yield from self._homes(site, {url: home_lang(url, root)}, force=True)
            yield from self._lost_before(site)
            if not self.settings.getbool("ROBOTSTXT_OBEY"):
                # Nobody else reads robots.txt then: read it for its Sitemap: lines.
                yield self._request(
                    urljoin(root, "robots.txt"), self.parse_robots, root, handle_httpstatus_all=True
                )
        else:
            ref = parse_list_url(url, root)
            site.add_scope(url, ref.folder if ref else None)
            yield from self._lists(site, {url: ref}, start=True)

    def _lost_before(self, site: SiteState) -> Iterator[scrapy.Request]:
        """In an incremental run of a whole site, the list pages its last run lost for good
        (:meth:`crawler.runs.RunLedger.lists_lost`) and the article pages it lost or got a
        firewall's page for (``articles_lost``), asked for again, once: this run, which
        stops paging a column at the first page with nothing new, would not reach them (a
        whole-site trial of a flaky host lost a column's second page; one of a WAF-fronted
        host two articles, whose next runs never listed them again)."""
        if self.ledger is None or not self.ledger.incremental or site.lost_lists_asked:
            return
        site.lost_lists_asked = True
        lost = {url: parse_list_url(url, site.root) for url in self.ledger.lists_lost(site.root)}
        if lost:
            self.state.count("lists/lost_asked_again", len(lost))
            yield from self._lists(site, lost)
        if articles := self.ledger.articles_lost(site.root):
            self.state.count("articles/lost_asked_again", len(articles))
            yield from self._articles(site, articles)

    def closed(self, reason: str) -> None:
        """List article requests that never came back (a redirect loop that Scrapy's
        dupefilter ends silently), and say so when a language filter matched nothing."""
        if self.parked:
            self.state.count("articles/never_requested", len(self.parked))
            self.logger.warning(
                "%d article(s) never requested: the run ended (%s) first", len(self.parked), reason
            )
        if reason == "finished":
            for site in self.state.sites.values():
                for url in sorted(site.outstanding):
                    self.state.lost(url, "no answer: lost in redirects")
        if self.columns and not self.crawler.stats.get_value("item_scraped_count"):
            seen = sorted({n for site in self.state.sites.values() for n in site.column_names})
            self.logger.warning(
                "no article in the column(s) %s; columns seen: %s",
                ",".join(sorted(self.columns)),
                ", ".join(seen) or "none",
            )
        seen_langs = {lang for site in self.state.sites.values() for lang in site.seen_langs}
        if (
            self.langs
            and not self.crawler.stats.get_value("item_scraped_count")
            and not (self.columns or self.skip_columns)  # (then the column warning says it)
        ):
            self.logger.warning(
                "no article in the language(s) %s; the site has: %s",
                ",".join(sorted(self.lang_args)),
                ", ".join(sorted(seen_langs)) or "none found",
            )
        elif seen_langs and (
            unseen := [x for x in self.lang_args if language_mark(x) not in seen_langs]
        ):
            # `-a lang=cn,xx`: the articles of cn came, xx is a typo or a language the site
            # does not have; said, since the run otherwise looks complete.
            self.logger.warning(
                "no page in the language(s) %s; the site has: %s",
                ",".join(unseen),
                ", ".join(sorted(seen_langs)),
            )
        stats = self.crawler.stats
        found = sum(len(site.columns) for site in self.state.sites.values())
        if (
            reason == "finished"
            and not (self.columns or self.langs or found)
            and not stats.get_value("item_scraped_count")
            and not stats.get_value("metinfo/lists/pages")
            and not any(key.startswith("metinfo/family/") for key in stats.get_stats())
            and stats.get_value("downloader/response_count")
            # Failures and robots.txt refusals have exit codes and lines of their own.
            and not stats.get_value("metinfo/requests/failed")
            and not stats.get_value("robotstxt/forbidden")
        ):
            not_articles = {
                key.rsplit("/", 1)[1]: n
                for key, n in stats.get_stats().items()
                if key.startswith("metinfo/not_article/")
            }
            if not_articles and all(
                parse_article_url(url, site_root(url)) for url in self.start_urls
            ):
                # article start URLs that the site answered with no article (a missing id:
                # MetInfo 7 sends an empty page with status 200)
                self.logger.warning(
                    "the article URL(s) %s gave no article (%s): check the id",
                    ", ".join(self.start_urls),
                    ", ".join(f"{k} {n}" for k, n in sorted(not_articles.items())),
                )
            else:
                self.logger.warning(
                    "found no MetInfo news column or article from %s: the site may not run"
                    " MetInfo, or its news lies elsewhere (start from a column or article URL)",
                    ", ".join(self.start_urls),
                )

    # -- discovery -------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemaps named by a robots.txt fetched by the spider itself."""
        urls: list[str] = []
        if response.status == 200:
            urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        yield from self._sitemaps(self.state.site(response.meta["metinfo_root"]), urls)

    def _sitemaps(self, site: SiteState, urls: list[str]) -> Iterator[scrapy.Request]:
        """Request the site's sitemaps (once per site): those robots.txt names, else
        ``/sitemap.xml`` (and ``/sitemap.txt`` when that is missing; guide §1.5)."""
        if site.sitemaps_requested:
            return
        site.sitemaps_requested = True
        own = [canonical_url(u) for u in urls if canonical_url(u).startswith(site.root)]
        for url in own:
            yield self._sitemap_request(site, url)
        if not own:
            yield self._sitemap_request(site, urljoin(site.root, "sitemap.xml"), guess="txt")

    def _sitemap_request(self, site: SiteState, url: str, guess: str = "") -> scrapy.Request:
        site.sitemaps_pending += 1
        headers = self.ledger.conditional_headers(url) if self.ledger else {}
        return self._request(
            url,
            self.parse_sitemap,
            site.root,
            headers=headers,
            handle_httpstatus_list=[304, 404, 410],
            metinfo_guess=guess,
        )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Articles, columns and language homes of a sitemap: sitemaps.org XML (urlset or
        index) or a ``sitemap.txt`` list of URLs."""
        site = self.state.site(response.meta["metinfo_root"])
        site.sitemaps_pending -= 1
        if response.status == 304:
            site.sitemap_not_modified = site.sitemap_lists_articles = True
        elif response.status in (404, 410) and response.meta.get("metinfo_guess") == "txt":
            yield self._sitemap_request(site, urljoin(site.root, "sitemap.txt"))
        elif response.status == 200 and response.body.strip():
            if self.ledger is not None:
                self.ledger.remember_validators(response)
            yield from self._sitemap_entries(site, response)
        if site.sitemaps_pending <= 0:
            yield from site.release_deferred()

    def _sitemap_entries(self, site: SiteState, response: Response) -> Iterator[scrapy.Request]:
        """The requests a sitemap gives, read in batches of :data:`SITEMAP_BATCH` entries, so
        that a sitemap naming every article of a large site is never held as Python objects
        all at once (Scrapy's :class:`Sitemap` reads the XML itself incrementally)."""
        if response.url.endswith(".txt"):
            text = response.body.decode("utf-8", "replace")
            raw: Iterator[tuple[str, str | None]] = (
                (line.strip(), None)
                for line in text.splitlines()
                if line.strip().startswith("http")
            )
            kind = "urlset"
        else:
            try:
                sitemap = Sitemap(response.body)
            except Exception as exc:  # lxml raises several types for broken XML
                self.state.count("sitemap/unreadable")
                self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
                return
            raw = ((e["loc"], e.get("lastmod")) for e in sitemap if e.get("loc"))
            kind = sitemap.type
        root = site.root
        while batch := list(islice(raw, SITEMAP_BATCH)):
            entries = [(canonical_url(loc), lastmod) for loc, lastmod in batch]
            entries = [(loc, lastmod) for loc, lastmod in entries if loc.startswith(root)]
            if kind == "sitemapindex":
                for loc, _ in entries:
                    yield self._sitemap_request(site, loc)
                continue
            self.state.count("sitemap/urls", len(entries))
            homes = {u: h for u, _ in entries if (h := home_lang(u, root)) is not False}
            lists = {u: r for u, _ in entries if (r := parse_list_url(u, root))}
            days = {u: (lastmod or "")[:10] or None for u, lastmod in entries}
            articles = {u: ref for u in days if (ref := parse_article_url(u, root))}
            site.sitemap_lists_articles = site.sitemap_lists_articles or bool(articles)
            if self._incremental and not site.sitemap_days_ignored:
                site.sitemap_days_ignored = self._lastmods_disagree(site, articles, days)
            if site.sitemap_days_ignored:
                days = dict.fromkeys(days)  # known articles wait for their list dates
            site.sitemap_langs.update(site.lang_of(h) for h in homes.values())
            site.sitemap_langs.update(site.lang_of(r.lang) for r in lists.values() if r)
            site.sitemap_langs.update(site.lang_of(ref.lang) for ref in articles.values())
            yield from self._homes(site, homes)
            yield from self._lists(site, lists)
            if not self._column_filter:
                yield from self._articles(site, articles, days)

    def _lastmods_disagree(
        self, site: SiteState, articles: Mapping[str, ArticleRef], days: dict[str, str | None]
    ) -> bool:
        """True (and logged) when the ``lastmod`` of most known articles of a sitemap batch
        differs from the day stored for them: a sitemap rebuilt or stamped with one build
        date (MetInfo writes each item's updatetime, guide §1.5; a rebuilt or hand-made one
        may not), whose every entry would look re-dated.  Then list dates alone tell
        re-dated articles in this run (the full check, METINFO_FULL_CHECK, catches the
        rest).  Decided on at least :data:`LASTMOD_SAMPLE_MIN` known articles."""
        assert self.ledger is not None
        known = self.ledger.known(site.root)
        compared = differ = 0
        for url, ref in articles.items():
            stored = known.get(ref.id)
            if stored is None or stored.day is None or days.get(url) is None:
                continue
            compared += 1
            differ += days[url] != stored.day
        if compared < LASTMOD_SAMPLE_MIN or differ * 2 <= compared:
            return False
        self.state.count("sitemap/lastmod_ignored")
        self.logger.info(
            "%s: the sitemap's lastmod differs from the stored date of %d of %d known"
            " articles (a rebuilt or build-stamped sitemap): list dates decide which were"
            " re-dated in this run",
            site.root,
            differ,
            compared,
        )
        return True

    def _language_sitemap(self, site: SiteState, lang: str | None) -> Iterator[scrapy.Request]:
        """``sitemap_L.xml`` for a language the read sitemaps did not cover: MetInfo writes
        one file per language when ``met_sitemap_lang`` is off (guide §1.5)."""
        if (
            not lang
            or not site.sitemaps_requested
            or site.sitemaps_pending > 0
            or site.sitemap_not_modified
            or lang in site.sitemap_langs
            or lang in site.lang_sitemaps_tried
            or lang == site.lang_of(None)
        ):
            return
        site.lang_sitemaps_tried.add(lang)
        yield self._sitemap_request(site, urljoin(site.root, f"sitemap_{lang}.xml"))

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        """A language home or the ``/sitemap/`` column tree: columns from navigation,
        articles from home blocks, other languages from the switcher."""
        site = self.state.site(response.meta["metinfo_root"])
        if self._no_start_page(response) or not isinstance(response, TextResponse):
            return
        self.state.count("pages/parsed")
        sel = parse_html(response.text, response.url)
        meta = read_page_meta(sel)
        if site.language_domain and not meta.is_metinfo:
            # A switcher link to a host that is not a MetInfo language site: not followed.
            self.state.count("sites/not_metinfo")
            return
        if site.language_domain and self.langs and meta.lang:
            site.seen_langs.add(meta.lang.lower())
            if meta.lang.lower() not in self.langs:
                return
        self._learn_host_alias(site, response.url, meta)
        if site.default_lang is None and meta.lang and not response.meta.get("metinfo_lang"):
            site.default_lang = meta.lang
        # A home page's dates are not read: its blocks may print another day than the
        # article's (an event's date in an 'upcoming events' block), and a known article
        # re-dated moves to the top of its column's first list page, which a repeat run
        # reads (a US office's home refetched four articles on every run).
        links = read_links(
            sel,
            response.url,
            site.root,
            meta=meta,
            dates=False,
            tz=self.tz,
            fetched_at=self._fetched_at(response),
        )
        if site.default_lang is None and not response.meta.get("metinfo_lang"):
            site.default_lang = linked_default_lang(sel, links.homes)
        recorded = self.crawler.__dict__.get("metinfo_robots_sitemaps")
        if recorded is not None or self.settings.getbool("ROBOTSTXT_OBEY"):
            yield from self._sitemaps(site, list(recorded or []))
        if meta.lang:
            yield from self._language_sitemap(site, meta.lang.lower())
        for root in links.language_sites:
            yield from self._language_site(root)
        found = [
            *self._homes(site, links.homes),
            *self._homes(site, {url: None for url in links.sitemap_pages}),
            *self._lists(site, links.lists),
            *(() if self._column_filter else self._articles(site, links.articles, links.dates)),
            *(() if self._column_filter else self._articles(site, links.aliases, links.dates)),
        ]
        yield from site.defer_until_sitemaps(found)

    def _language_site(self, root: str) -> Iterator[scrapy.Request]:
        """The home of a language bound to its own domain (guide §1.4), crawled as a site
        of its own (its own robots.txt, sitemap and columns)."""
        other = self.state.site(root)
        if not other.homes:
            other.language_domain = True
            self.state.count("sites/language_domains")
            # Its language is known only once its home is read (the language filter is
            # applied there).
            yield from self._homes(other, {root: None}, force=True)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """A list page: its articles, pager pages and sub-columns (guide §1.6, §2.2)."""
        site = self.state.site(response.meta["metinfo_root"])
        site.list_done(response.meta["metinfo_column"])
        if response.meta.get("metinfo_start") and _article_page(response):
            # A start URL of no article grammar that is an article: one under a custom file
            # name (news/open-day.html, guide §1.2 F/S.html).  An article start yields that
            # article alone (a whole-site trial of a park's English site had read it as a
            # column start and exported the column's other articles instead).
            self.state.count("start/named_article")
            yield from self.parse_article(response)
            return
        self.state.count("lists/pages")
        site.lists_read += 1
        if site.lists_read == 1 and site.lists_failed:
            self.state.count("sites/lists_unread", -1)  # one answered after all
        if self._no_start_page(response) or not isinstance(response, TextResponse):
            return
        self.state.count("pages/parsed")
        sel = parse_html(response.text, response.url)
        meta = read_page_meta(sel)
        if response.meta.get("metinfo_start"):
            self._learn_host_alias(site, response.url, meta)
        if response.meta.get("metinfo_start") and meta.site:
            # The home page of a site installed in a subdirectory (http://host/cms/): only
            # its generator meta names the root the start URL could not (guide §2.3).
            real = site_root(response.url, meta.site)
            if real != site.root and (lang := home_lang(response.url, real)) is not False:
                self.state.count("start/rerooted")
                home = self.state.site(real)
                home.whole_site = True
                home.want_home(response.url, lang, frozenset())
                response.meta.update(metinfo_root=real, metinfo_lang=lang)
                yield from self.parse_home(response)
                return
        ref = parse_list_url(response.url, site.root)
        if meta.module == SITEMAP_MODULE:
            # the column tree (/sitemap/, guide §1.5) reached as a list: read as a home
            response.meta.setdefault("metinfo_lang", meta.lang)
            yield from self.parse_home(response)
            return
        if meta.module is not None and meta.module != NEWS_MODULE:
            self.state.count("lists/not_news")
            if ref is not None and ref.folder:
                site.saw_other_module(ref.folder)  # (about/, product/: named for next runs)
            return
        column = site.learn_list(response.url, ref, meta)
        path = list_column_path(sel, response.url, site.root)
        site.column_names.update(path)
        if response.meta.get("metinfo_start"):
            site.start_scope(
                first_url(response.meta, response.url),
                column,
                path,
                bool(breadcrumb(sel, response.url, site.root)),
            )
        elif site.scoped and not site.in_scope(column, path):
            self.state.count("lists/out_of_scope")
            return
        links = read_links(
            sel,
            response.url,
            site.root,
            base_url(sel, response.url),
            meta,
            tz=self.tz,
            fetched_at=self._fetched_at(response),
        )
        # the languages its switcher links (named when a language filter finds nothing: a
        # column start reads no home page, and only its own language had been named)
        site.seen_langs.update(site.lang_of(lang) for lang in links.homes.values() if lang)
        if links.page_count is not None and ref is not None:
            # (what a column's pages state of their number, for _reread_shifted)
            site.stated_pages.setdefault(column, set()).add(links.page_count)
            pages = site.page_urls.setdefault(column, {})
            pages.setdefault(ref.page, response.url)
            for url in links.pager:
                if (other := links.lists.get(url)) is not None:
                    pages.setdefault(other.page, url)
        # the days shown beside the entries: an incremental run compares them, and an
        # article page that shows no date takes its entry's (guide §3)
        shown = ((ref.id, links.dates.get(url)) for url, ref in links.articles.items())
        yield from self._reread(site, site.saw_list_days(shown))
        if self._remembered_undated:
            self._date_remembered(site, links.articles, links.dates)
        anew = site.listed_anew(column, (ref.id for ref in links.articles.values()))
        before = len(site.articles)
        if self._column_wanted(path):
            # (the summary's "listed": the entries of the columns the run reads)
            site.list_ids.update(entry.id for entry in links.articles.values())
            if ref is None or ref.page <= 1:
                site.first_page_ids.update(entry.id for entry in links.articles.values())
            yield from self._articles(site, links.articles, links.dates, listed=True)
            # other URL forms of the same articles: kept as aliases, never fetched twice
            yield from self._articles(site, links.aliases, links.dates, listed=True)
        else:
            self.state.count("lists/column_filtered")
        # Paging goes on while a page brings something new (with a state store: new or
        # re-dated), or, on a first crawl, up to the page count the page states.  A last
        # page repeated for every higher number brings nothing new and ends it (guide §1.6).
        # On a first crawl "new" is new to the column's pages: articles a home block, the
        # sitemap or a sub-column's list queued already do not end its paging (tests/sites
        # lingang-ftz's English list, qingxi-zwfw's parent column).
        full_walk = self.ledger is None or not self.ledger.incremental
        fresh = len(site.articles) > before or (full_walk and anew)
        if not fresh and not full_walk and not site.sitemap_lists_articles:
            # Without a sitemap, new or re-dated entries that the home page queued already
            # (a daily run's home block of the latest news had ended paging at page 1, and
            # a back-dated article on page 2 waited for the full check: a whole-site trial).
            # A sitemap names a back-dated article wherever its list puts it.
            fresh = self._changed_entries(site, links.articles, links.dates)
        if fresh or (full_walk and links.page_count is not None and links.articles):
            pager = {u: links.lists[u] for u in links.pager}
            if not full_walk and ref is not None:
                # An incremental run reads on one page at a time: the next page only, which
                # goes on in turn while it brings something new (a numbered pager had queued
                # every page of a column with two new entries: a daily trial of a static site)
                after = [entry.page for entry in pager.values() if entry.page > ref.page]
                if after:
                    pager = {u: e for u, e in pager.items() if e.page == min(after)}
            yield from self._lists(site, pager, column=column, page_count=links.page_count)
        if not site.scoped or site.scope_has_crumbs:
            # Other columns: all of them, or under a column start only when breadcrumbs can
            # tell its sub-columns from its siblings (they share the folder, guide §1.1).
            others = {u: r for u, r in links.lists.items() if u not in links.pager}
            yield from self._lists(site, others)
        yield from self._reread_shifted(site, column)

    def _reread_shifted(self, site: SiteState, column: str) -> Iterator[scrapy.Request]:
        """Once a column's pages are all read: when they stated different page counts (page
        1 said 4, a later one 5), the site changed while they were walked, and an entry may
        have moved onto a page already read (two articles published mid-crawl pushed two
        others from page 3 to page 4, read first: lost with exit code 0, a whole-site trial
        of a busy site).  Its pages are read once more, this run only (new ids among them
        are fetched, known ones not again)."""
        counts = site.stated_pages.get(column)
        if (
            not counts
            or len(counts) < 2
            or column in site.reread_columns
            or site.pending[column] > 0
        ):
            return
        site.reread_columns.add(column)
        pages = sorted(site.page_urls.get(column, {}).items())
        self.state.count("lists/reread_shifted")
        self.logger.info(
            "%s: the pages of a column stated %s pages: the site changed during the crawl;"
            " reading its %d pages again",
            pages[0][1] if pages else column,
            " and ".join(map(str, sorted(counts))),
            len(pages),
        )
        for _, url in pages:
            site.pending[column] += 1
            yield self._request(url, self.parse_list, site.root, metinfo_column=column).replace(
                dont_filter=True
            )

    @property
    def _incremental(self) -> bool:
        """An incremental run: only then do list dates and sitemap ``lastmod`` count
        (:meth:`_unchanged`)."""
        return self.ledger is not None and self.ledger.incremental

    @property
    def _column_filter(self) -> bool:
        return bool(self.columns or self.skip_columns)

    def _column_wanted(self, crumbs: list[str]) -> bool:
        """True when a breadcrumb passes the ``columns``/``skip_columns`` filters."""
        if self.skip_columns & set(crumbs):
            return False
        return not self.columns or bool(self.columns & set(crumbs))

    # -- requests --------------------------------------------------------------------------

    def _request(
        self, url: str, callback: Any, root: str, headers: dict[str, str] | None = None, **meta: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback,
            errback=self.on_error,
            headers=headers,
            meta={"metinfo_root": root, **meta},
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
            if not start and ref is not None and ref.folder in site.other_module_folders:
                self.state.count("lists/other_module_skipped")
                continue
            key = site.list_key(url, ref)
            col = column or site.column_of(url, ref)
            if site.want_list(key, col, ref, frozenset() if start else self.langs, page_count):
                self.state.count("lists/requested")
                yield self._request(
                    url, self.parse_list, site.root, metinfo_column=col, metinfo_start=start
                )

    def _articles(
        self,
        site: SiteState,
        urls: Iterable[str] | Mapping[str, ArticleRef],
        days: dict[str, str | None] | None = None,
        force: bool = False,
        listed: bool = False,
    ) -> Iterator[scrapy.Request]:
        """Requests for the articles among ``urls`` not requested yet (one per id).  In an
        incremental run, known articles whose ``days`` entry (list date or sitemap lastmod)
        matches the stored time are only marked as listed.  ``listed``: ``urls`` are a
        list page's entries and ``days`` the days shown beside them, which the request
        carries (``metinfo_list_day``) for a page that shows no date of its own.  Past
        ``METINFO_ARTICLE_WINDOW`` requests in flight, an article waits in :attr:`parked`
        until an answer makes room.
        ``urls`` may map each URL to its decoded form, as a list page reads them (a custom
        file name has none of its own); plain URLs are decoded here."""
        refs = urls if isinstance(urls, Mapping) else {}
        for url in list(urls):
            ref = refs.get(url) or parse_article_url(url, site.root)
            if ref is None:
                continue
            if ref.folder in site.other_module_folders and not force:
                self.state.count("articles/other_module_skipped")
                continue
            day = (days or {}).get(url) if listed else None
            if (
                ref.id not in site.articles
                and not force
                and self._unchanged(site, ref.id, url, days)
            ):
                continue
            if ref.lang and site.default_lang and ref.lang == site.default_lang:
                url = without_lang(url)  # lang=cn spelled out: the same page (guide §1.3)
                site.lang_dropped.add(ref.id)  # (asked with it again if this one fails)
            # An id already requested: want_article keeps this URL form as an alias.
            if site.want_article(ref, url, frozenset() if force else self.langs):
                self.state.count("articles/listed")
                self.state.count("articles/requested")
                if self.window and not force and self._in_flight() >= self.window:
                    # a listed entry's tag carries the day shown beside it after a tab
                    tag = f"{ref.id}\t{day or ''}" if listed else ref.id
                    self.parked.append(site.root, url, tag)
                    continue
                site.outstanding.add(url)
                self._note_in_flight()
                # A start URL (force) is wanted whatever column it is in.
                extra: dict[str, Any] = {"metinfo_start": True} if force else {}
                if listed:
                    extra.update(metinfo_listed=True, metinfo_list_day=day)
                yield self._request(
                    url, self.parse_article, site.root, metinfo_article=ref.id, **extra
                )

    def passed_over(self, request: scrapy.Request) -> bool:
        """True for an article request (not a start URL) whose folder this run has found,
        since it was queued, to hold another module's pages
        (:meth:`SiteState.saw_other_module`): :class:`crawler.middlewares.
        OtherModuleMiddleware` drops it before it is sent."""
        if request.callback != self.parse_article or request.meta.get("metinfo_start"):
            return False
        site = self.state.sites.get(request.meta.get("metinfo_root", ""))
        return site is not None and site.in_other_module(request.url)

    def _in_flight(self) -> int:
        """Article requests sent and not answered yet (those that never will excluded)."""
        return sum(len(site.outstanding) for site in self.state.sites.values()) - self._stale

    def _note_in_flight(self) -> None:
        self.crawler.stats.max_value("metinfo/articles/in_flight_max", self._in_flight())

    def _unpark(self) -> Iterator[scrapy.Request]:
        """Parked article requests, as many as the window has room for."""
        room = self.window - self._in_flight()
        while self.parked and room > 0:
            root, url, tag = self.parked.popleft()
            site = self.state.site(root)
            if site.in_other_module(url):
                self.state.count("articles/other_module_skipped")
                continue
            site.outstanding.add(url)
            self._note_in_flight()
            room -= 1
            article_id, tab, day = tag.partition("\t")
            extra = {"metinfo_listed": True, "metinfo_list_day": day or None} if tab else {}
            yield self._request(url, self.parse_article, root, metinfo_article=article_id, **extra)

    def _reread(
        self, site: SiteState, urls: Iterable[str | tuple[str, str]]
    ) -> Iterator[scrapy.Request]:
        """Requests for article pages held for the site's date order or for their list's
        day (``(URL, day)``, day "" when the list showed none), read for good now; a page
        kept in :attr:`_held_pages` is read again from there, without a request (the
        article a sitemap named before its list was fetched twice: a whole-site trial)."""
        for entry in urls:
            url, day = entry if isinstance(entry, tuple) else (entry, "")
            request = scrapy.Request(
                url,
                self.parse_article,
                errback=self.on_error,
                dont_filter=True,
                meta={
                    "metinfo_root": site.root,
                    "metinfo_dates_final": True,
                    "metinfo_list_day": day or None,
                },
            )
            if (held := self._held_pages.pop(url, None)) is not None:
                self.state.count("articles/reread_held")
                yield from self.parse_article(held.replace(request=request))
            else:
                yield request

    def request_dropped(self, request: scrapy.Request) -> None:
        """An article request the scheduler refused as a duplicate: a redirect to a page this
        run asked for already (a moved article that MetInfo sends to its new id, which its
        own list named too), or that page's own link after the redirect went first.  The
        page is read once: no answer is missing (it was reported "lost in redirects")."""
        if request.callback != self.parse_article or request.url in request.meta.get(
            "redirect_urls", ()
        ):
            return  # (a redirect loop, back to a URL of its own chain: lost, and said so)
        site = self.state.sites.get(request.meta.get("metinfo_root", ""))
        asked = first_url(request.meta, request.url)
        if site is not None and asked in site.outstanding:
            site.outstanding.discard(asked)
            self.state.count("articles/redirected_to_known")

    def spider_idle(self) -> None:
        """Nothing in flight and articles still parked: what ``outstanding`` holds now will
        never answer (Scrapy's dupefilter ended a redirect loop), so it no longer takes room
        in the window; the next parked requests go.  Article pages held for a date order
        no page showed are read for good (their ambiguous dates stay unread)."""
        held = []
        for site in self.state.sites.values():
            # and pages without a date that no list read showed a day for: as they are
            urls = [*site.held_for_dates, *site.dateless.values()]
            site.held_for_dates, site.dateless = [], {}
            for url in urls:
                self._held_pages.pop(url, None)  # (asked again: an item cannot leave here)
            held.extend(self._reread(site, urls))
        for request in held:
            self.crawler.engine.crawl(request)
        if held and not self.parked:
            raise DontCloseSpider
        if not self.parked:
            return
        self._stale = sum(len(site.outstanding) for site in self.state.sites.values())
        for request in self._unpark():
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _unchanged(
        self, site: SiteState, article_id: str, url: str, days: dict[str, str | None] | None
    ) -> bool:
        """In an incremental run: a known article whose list date or sitemap ``lastmod``
        (``days``) matches the stored time; it is only marked as listed."""
        if self.ledger is None or not self.ledger.incremental:
            return False
        if not self.ledger.unchanged(site.root, article_id, (days or {}).get(url)):
            return False
        if site.note_listed(article_id):
            self.state.count("articles/listed")
            self.ledger.listed(site.root, article_id, url)
        return True

    def _changed_entries(
        self, site: SiteState, entries: Mapping[str, ArticleRef], days: dict[str, str | None]
    ) -> bool:
        """In an incremental run: True when a list page names an article that earlier runs
        did not fetch, or one its ``days`` say was re-dated (:meth:`RunLedger.unchanged`),
        whether or not this run has asked for it already."""
        assert self.ledger is not None
        return any(
            not self.ledger.unchanged(site.root, ref.id, days.get(url))
            for url, ref in entries.items()
            if ref.folder not in site.other_module_folders
        )

    # -- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """One article page to one item, or a counted reason why it is not an article."""
        site = self.state.site(response.meta["metinfo_root"])
        self.state.count("articles/fetched")
        asked = first_url(response.meta, response.url)
        site.outstanding.discard(asked)
        yield from self._unpark()
        sel = parse_html(response.text, response.url) if is_html(response) else None
        meta = read_page_meta(sel) if sel is not None else None
        reason = self._not_article(response, sel, site, asked, meta)
        if reason == "other_module" and (ref := parse_article_url(asked, site.root)):
            site.saw_other_module(ref.folder)
        if reason:
            self.state.not_article(reason, response.url)
            if reason in REMEMBERED_NOT_ARTICLES and not response.meta.get("metinfo_start"):
                self._remember_page(site, asked, reason, response.meta.get("metinfo_list_day"))
            yield from self._retry_alias(site, asked)
            return
        self.state.count("pages/parsed")
        fetched_at = self._fetched_at(response)
        order = SiteDateOrder(site.date_order)
        item = extract_article(
            sel, response.url, tz=self.tz, fetched_at=fetched_at, meta=meta, date_order=order
        )
        if "dataloss" in response.flags:
            # cut short on the last attempt (crawler.middlewares.RetryAfterMiddleware)
            if cut_in_text(sel, item.body):
                self.state.lost(asked, "cut short in its text after retries")
                return
            self.state.count("articles/cut_after_text")
        if (
            order.unsettled
            and item.published_at is None
            and not response.meta.get("metinfo_dates_final")
            and not response.meta.get("metinfo_start")
            and site.hold_for_dates(asked)
        ):
            self._held_pages[asked] = response
            # 05/06/2025 with nothing on the page to say which is the day: read again
            # once another page of the site shows its order (17/01/2025), or at the end.
            self.state.count("articles/held_for_dates")
            return
        if item.published_at is None:
            article_id = response.meta.get("metinfo_article") or item.article_id
            day = response.meta.get("metinfo_list_day") or site.list_days.get(article_id or "")
            if day:
                # a page that shows no date: the day its list entry showed (guide §3),
                # published_at_raw staying null (no date text on the page)
                item.published_at = day
                self.state.count("articles/date_from_list")
            elif (
                article_id
                and not response.meta.get("metinfo_listed")
                and not response.meta.get("metinfo_dates_final")
                and not response.meta.get("metinfo_start")
                and site.hold_dateless(article_id, asked)
            ):
                self._held_pages[asked] = response
                # reached from a sitemap, a home block or another article before any list
                # that names it: read again once one shows its day, or at the end
                self.state.count("articles/held_for_list_date")
                return
        yield from self._reread(site, site.saw_date(numeric_date_order(item.published_at_raw)))
        if HOST_ALIASES:
            # the page's absolute URLs on the host the site declares: on the crawl's
            item.url, item.site = on_crawl_host(item.url), on_crawl_host(item.site)
            for entry in (*item.images, *item.attachments):
                entry["url"] = on_crawl_host(entry["url"])
        if item.article_id is None and response.meta.get("metinfo_article"):
            # A page under a custom file name without a generator meta: the id its list
            # gave it (crawler.site.named_article_ref), so that runs can track it.
            item.article_id = response.meta["metinfo_article"]
        if item.language is None and site.default_lang:
            # A page that names no language (no generator meta, no <html lang>) under a URL
            # without lang (ours drops lang=<default>, guide §1.3): the site's default.
            item.language = language_tag(site.default_lang)
        if not self._column_wanted(item.column):
            site.column_names.update(item.column)  # named when nothing matches
            self.state.not_article("column_filtered", response.url)
            return
        if (
            site.scoped
            and not response.meta.get("metinfo_start")
            and not site.article_in_scope(item.column)
        ):
            self.state.not_article("out_of_scope", response.url)
            return
        self.state.count(f"family/{item.template_family}")
        if (
            self.ledger is not None
            and item.article_id
            and not item.body.strip()
            and shows_media(item)
        ):
            # An article of pictures or files only, which validation drops (no_text): kept
            # in the store as fetched, so that a repeat run does not ask for it again (it
            # did on every run, and the drops looked like a broken template: exit code 7)
            self.ledger.observe(
                site.root, item.article_id, item.url, item.content_hash, item.published_at
            )
        if ref := parse_article_url(asked, site.root):
            site.saw_article(ref.folder)
        yield item
        if site.whole_site and not site.scoped and not self._column_filter:
            # Articles its text links to that no list may name: the second part of a
            # story, a hidden article (MetInfo's displaytype 0 keeps it off every list).
            # Only in a crawl of the whole site: an article start yields that article,
            # a column start or filter its columns.
            linked = body_article_links(item.body_html, response.url, site.root)
            linked.update(read_also_links(sel, response.url, site.root))
            if linked:
                self.state.count("articles/body_links", len(linked))
                yield from self._articles(site, linked)

    def _learn_host_alias(self, site: SiteState, url: str, meta: PageMeta) -> None:
        """A home or start page fetched from the crawl's host whose generator meta names the
        site under another host name (MetInfo's met_weburl: www.x.cn crawled as x.com, a
        site's old domain, an IP address): that host becomes an alias of the crawl's, so
        that its absolute links, canonical URLs and sitemap entries are followed here
        (crawler.site.add_host_alias; tests/sites twohost-chamber)."""
        if not meta.site or not url.startswith(site.root):
            return
        declared = site_root(url, meta.site)
        if add_host_alias(declared, site.root):
            self.state.count("sites/host_aliases")
            self.logger.info(
                "%s names itself %s (its generator meta): its links there are followed on %s",
                site.root,
                declared,
                site.root,
            )

    def _no_start_page(self, response: Response) -> bool:
        """True, for a start URL, when the answer is no web page (a sitemap, robots.txt, a
        file): the start is counted failed, so that a run with nothing else to crawl ends
        with exit code 3 and keeps the previous output (crawler.runs.start_failed)."""
        if not response.meta.get("metinfo_start_url"):
            return False
        feed = isinstance(response, TextResponse) and FEED_ROOT_RE.match(response.text[:512])
        if is_html(response) and not feed:
            return False
        self.state.count("start/failed")
        self.state.lost(response.url, "not a web page: a sitemap, a feed or a file")
        return True

    @staticmethod
    def _fetched_at(response: Response) -> datetime:
        """When ``response`` was fetched: now, or the recorded time of a WARC record
        (archive replay); relative dates of the page resolve against it."""
        return response.meta.get("metinfo_fetched_at") or datetime.now(timezone.utc)

    def _date_remembered(
        self, site: SiteState, entries: Mapping[str, ArticleRef], days: dict[str, str | None]
    ) -> None:
        """Pages kept in the store as no article with no day (asked from a home block or
        the sitemap before their list was read) take the day their list entry shows, as
        if asked from it: the next run finds them unchanged (it had asked again)."""
        assert self.ledger is not None
        for url, ref in entries.items():
            key = (site.root, ref.id)
            if key in self._remembered_undated and (day := days.get(url)):
                asked, reason = self._remembered_undated.pop(key)
                self.ledger.observe(site.root, ref.id, asked, not_article_hash(reason), day)

    def _remember_page(
        self, site: SiteState, url: str, reason: str, list_day: str | None = None
    ) -> None:
        """Keep an article URL that gave no article for a lasting ``reason``
        (:data:`REMEMBERED_NOT_ARTICLES`) in the state store as fetched, dated the day its
        list entry showed (``list_day``, ``YYYY-MM-DD``, or none), with the content hash
        of the reason's word: the next incremental run finds it unchanged and does not ask
        for it again, nor reads on to a column's next page for it (a member column's five
        pages were a third of a repeat crawl's requests in a whole-site trial; a deleted
        article on a first list page made every daily run of another fetch it and the
        page after).  Its entry re-dated, or a full check, asks again."""
        if self.ledger is not None and (ref := parse_article_url(url, site.root)) is not None:
            day = list_day or site.list_days.get(ref.id)
            self.ledger.observe(site.root, ref.id, url, not_article_hash(reason), day)
            if day is None:
                # (dated once a list read later in this run shows its day: _date_remembered)
                self._remembered_undated[(site.root, ref.id)] = (url, reason)

    def _not_article(
        self,
        response: Response,
        sel: Selector | None,
        site: SiteState,
        asked: str,
        meta: PageMeta | None,
    ) -> str | None:
        """Why a response to an article request is not an article page, or None."""
        if sel is None or meta is None:
            return "not_html"
        if response.meta.get("metinfo_undecodable"):
            return "undecodable"
        if asked != response.url and home_lang(response.url, site.root) is not False:
            return "redirected_home"  # a removed article sent to the home page
        return not_article_reason(sel, meta, response.url, response.body)

    def on_error(self, failure: Any) -> Iterator[scrapy.Request]:
        """A request that failed for good: counted and named in the run summary; for an
        article, another URL form seen for the same id is tried."""
        request = failure.request
        asked = first_url(request.meta, request.url)
        site = self.state.site(request.meta["metinfo_root"])
        answer = getattr(failure.value, "response", None)
        gone = answer is not None and answer.status in GONE
        unreachable = no_connection(failure.value)
        if request.callback == self.parse_article and not unreachable:
            # Another URL form of the article to try (an alias a list gave, the form with
            # lang=<default>): no failure of the run unless that one fails too (a whole-site
            # trial listed 14 exported articles as failed, their lang-less form a 404).
            if retry := list(self._retry_alias(site, asked, not_found=gone)):
                self.logger.debug("no article at %s: trying %s", asked, retry[0].url)
                site.outstanding.discard(asked)
                yield from retry
                yield from self._unpark()
                return
        failed = self.state.failed(asked, failure)
        if failed and request.meta.get("metinfo_start_url"):
            self.state.count("start/failed")
        if failed and request.callback == self.parse_list:
            # a list page lost for good: the next run asks for it again (_start)
            site.lists_lost.append(asked)
        site.outstanding.discard(asked)
        if "metinfo_column" in request.meta:
            site.list_done(request.meta["metinfo_column"])
            if request.callback == self.parse_list and unreachable:
                # a list page lost to no connection: its articles were never seen (exit
                # code 6 past METINFO_MAX_FAILED_SHARE, crawler.runs.articles_failed)
                self.state.count("lists/unreachable")
            if request.callback == self.parse_list and (failed or _server_failure(failure)):
                # (a 404 too: a site whose every column page answered 404 was read not at
                # all, and a run that exported nothing of it had ended with exit code 0, a
                # whole-site trial)
                site.lists_failed += 1
                if site.lists_failed == 1 and not site.lists_read:
                    # every list page of the site failed so far: its articles are unseen
                    # (exit code 6 while no list page of it answers)
                    self.state.count("sites/lists_unread")
        if request.callback == self.parse_sitemap:
            site.sitemaps_pending -= 1
            if site.sitemaps_pending <= 0:
                yield from site.release_deferred()
        if request.callback == self.parse_article:
            blocked = failure.check(IgnoreRequest) and failure.getErrorMessage().startswith(
                BLOCKED_MESSAGE
            )
            if blocked:
                self.logger.warning(
                    "article not read: a firewall or challenge page answered %s", asked
                )
            if ((failed and not gone) or blocked) and not request.meta.get("metinfo_start"):
                # asked for again by the next run (_lost_before): an incremental run stops
                # at a column's first page with nothing new and would not list it again (a
                # whole-site trial of a WAF-fronted host lost two articles for good)
                site.articles_lost.append(asked)
            if unreachable:
                # no connection at all: the site may have gone away (exit code 6 past
                # METINFO_MAX_FAILED_SHARE, crawler.runs.articles_failed); another URL
                # form of it may still answer
                self.state.count("articles/unreachable")
                yield from self._retry_alias(site, asked, not_found=gone)
            if gone and NOT_ARCHIVED not in answer.flags and not request.meta.get("metinfo_start"):
                # the site says the article is no more (a stale sitemap entry): an answer,
                # not a failure of the run (crawler.runs.articles_failed); an article the
                # user asked for by its URL is one (exit code 6)
                self.state.count("articles/gone")
                self._remember_page(site, asked, "gone", request.meta.get("metinfo_list_day"))
            yield from self._unpark()

    def _retry_alias(
        self, site: SiteState, url: str, not_found: bool = False
    ) -> Iterator[scrapy.Request]:
        """Another URL form of the article ``url`` gave none for (an alias seen on a list,
        or, when a lang-less form was ``not_found``, the form with the default ``lang``)."""
        ref = parse_article_url(url, site.root)
        alias = site.next_alias(ref, url) if ref else None
        if (
            alias is None
            and not_found
            and ref
            and site.default_lang
            and ref.lang is None
            and ref.id in site.lang_dropped
        ):
            # A lang-less form (ours drops lang=<default>, guide §1.3) that gave nothing:
            # the form with it, as the site links it (an old-URL map of a migrated site
            # knows only what the site published); not for a form the site itself linked
            # without lang (a listed article that is gone: one request, one failure).
            linked = with_lang(url, site.default_lang)
            if linked != url and site.want_article(ref, linked, frozenset()):
                alias = linked
        if alias:
            self.state.count("articles/alias_retried")
            yield self._request(alias, self.parse_article, site.root)


# MetInfo's module number of the HTML column tree /sitemap/ (guide §0 module list).
SITEMAP_MODULE = "12"

# Han characters (CJK Unified Ideographs and Extension A): a Chinese page title.
HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


# Failures with no answer beside no connection: a timeout, a connection cut mid-answer.
UNANSWERED_ERRORS = (
    DownloadTimeoutError,
    DownloadFailedError,
    ResponseDataLossError,
    twisted_error.TimeoutError,
    twisted_error.ConnectionLost,
    twisted_error.ConnectionDone,
)


def _article_page(response: Response) -> bool:
    """True for a page whose generator meta names the news module and a content id (an
    article page; a list page's id is empty or 0, guide §2.3 data-variable)."""
    if not is_html(response):
        return False
    meta = read_page_meta(parse_html(response.text, response.url))
    return meta.module == NEWS_MODULE and bool((meta.content_id or "").strip("0"))


def _server_failure(failure: Any) -> bool:
    """True for a request that failed for good with no answer of the site's own: a server
    error (5xx) after the retries, a timeout, no connection.  A 404 or 403 is an answer."""
    if no_connection(failure.value) or failure.check(*UNANSWERED_ERRORS):
        return True
    answer = getattr(failure.value, "response", None)
    return answer is not None and answer.status >= 500


def linked_default_lang(sel: Selector, homes: Mapping[str, str | None]) -> str | None:
    """The default language of a site whose home page names none (no generator meta, as
    custom templates of 3.x-5.x print): ``cn``, MetInfo's own default mark, when that home
    links a ``lang=cn`` home (its own 首页 link, ``index.php?lang=cn``; guide §1.3) and its
    ``<title>`` is Chinese; else None.  (A Chinese title rules out an English home whose
    language switcher links the Chinese version.)"""
    if DEFAULT_LANG not in homes.values():
        return None
    title = sel.xpath("string(//title)").get() or ""
    return DEFAULT_LANG if HAN_RE.search(title) else None


# A link in an article's text (body_html: double-quoted attributes, the serialiser's).
BODY_LINK_RE = re.compile(r'<a\s[^>]*?\bhref="([^"]+)"')


def read_also_links(sel: Selector, url: str, root: str) -> dict[str, ArticleRef]:
    """The article URLs of ``root``'s site that the page's "read also" lines link to
    (相关阅读：<a>…</a>, Baca juga: <a>…</a>: :data:`crawler.extract.text.READ_ALSO_RE`),
    which the text leaves out as furniture, and its boxes of related articles or documents
    (相关新闻, 政策解读: ``RELATED_HEADING_RE``, ``LINKED_DOCS_RE``; not a box of products).
    Such a link may be the only one to a hidden article (whole-site trials of a Jakarta
    association and of a district portal)."""
    found: dict[str, ArticleRef] = {}
    for parent, text in doc_index(sel.root).texts:
        if len(text) > READ_ALSO_MAX_CHARS:
            continue
        words = text.strip(STRIP_CHARS)
        # (the words end with their colon, or stand alone in a short element: a cheap test
        # before the pattern, run on every text of every article page)
        if not words or (words[-1] not in ":：" and len(words) > 12):
            continue
        if not (
            READ_ALSO_RE.match(words)
            or LINKED_DOCS_RE.match(words)
            or (RELATED_HEADING_RE.match(words) and not OTHER_MODULE_BOX_RE.search(words))
        ):
            continue
        # the words in their own element (<span>Baca juga:</span> <a>…</a>) or before the link
        box = parent if parent.find(".//a") is not None else parent.getparent()
        for a in box.iter("a") if box is not None else ():
            target = followable_url(url, (a.get("href") or "").strip())
            if target and target.startswith(root) and (ref := parse_article_url(target, root)):
                found[target] = ref
    return found


# The longest text node that may hold only the words of a "read also" line.
READ_ALSO_MAX_CHARS = 40


def body_article_links(body_html: str, url: str, root: str) -> dict[str, ArticleRef]:
    """The article URLs of ``root``'s site that the text ``body_html`` of the article at
    ``url`` links to, decoded (guide §1.2 grammars); links elsewhere are left out."""
    found: dict[str, ArticleRef] = {}
    if "<a" not in body_html:
        return found
    for href in BODY_LINK_RE.findall(body_html):
        target = followable_url(url, html.unescape(href))
        if target and target.startswith(root) and (ref := parse_article_url(target, root)):
            found[target] = ref
    return found
