"""What one crawl has asked for so far, per site: requested article ids, list pages, columns.

This is the spider's memory within a run.  It decides which links are new (aliases of an
article already requested are not fetched again: one request per MetInfo id, guide §1.3),
tracks columns for the progress line, and counts everything in ``metinfo/*`` stats.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.compact import IdMap, IdSet
from crawler.extract.page import PageMeta
from crawler.site import ArticleRef, ListRef, canonical_url, parse_article_url

# MetInfo's install default language mark (7.6 install/sql: met_index_type = cn).
DEFAULT_LANG = "cn"
# Other URL forms remembered per article id, to try when the first one fails.
MAX_ALIASES = 3
# Article pages of one site held for its date order (SiteState.hold_for_dates): each is
# fetched once more, so a site whose every date is ambiguous costs at most this many.
MAX_HELD_FOR_DATES = 100
# Pages of another module in one folder before its URLs are passed over.
OTHER_MODULE_PAGES = 2
# The days list pages showed beside their entries, kept for the last this many article
# ids of a site (SiteState.list_day): an article page that shows no date of its own takes
# its list's (guide §3), whichever of the two is read first.
LIST_DAYS_KEPT = 4000
# How the refusals made on purpose begin (robots.txt, crawler.middlewares): not failures.
ON_PURPOSE = (
    "Forbidden by robots.txt",
    "never requested",
    "blocked by a firewall",
    "site paused",
    "request budget",
    "URL longer",
)
# Failed URLs named in the run summary (the count is always complete).
MAX_LISTED_FAILURES = 50


@dataclass
class Scope:
    """A column the crawl started at: its start ``url`` and ``folder``; once its start page
    is read, its ``column`` identity, ``crumbs`` (column path) and whether its breadcrumb
    can tell sub-columns apart (``has_crumbs``)."""

    url: str
    folder: str | None = None
    column: str | None = None
    crumbs: list[str] | None = None
    has_crumbs: bool = False

    @property
    def name(self) -> str | None:
        """The column's own name (the last of its path)."""
        return self.crumbs[-1] if self.crumbs else None

    def holds(self, column: str, path: list[str]) -> bool:
        """A list page of this column (same column, or a path that continues its path)."""
        if column == self.column:
            return True
        if not self.crumbs or not self.has_crumbs:
            return False
        return path[: len(self.crumbs)] == self.crumbs


@dataclass
class SiteState:
    """One site's crawl memory.  ``root`` is the site root URL; ``default_lang`` the language
    mark of its home page; :attr:`scoped` when the crawl started at columns (and not at the
    home), whose breadcrumbs or folders (:class:`Scope`) bound the crawl."""

    root: str
    default_lang: str | None = None
    # Column starts of this site (several may be given), and whether the crawl also started
    # at the site's home, which makes the whole site wanted.
    scopes: list[Scope] = field(default_factory=list)
    whole_site: bool = False
    # List pages of this run lost for good (asked for again by the next run), and whether
    # this run asked again for those its last run lost.
    lists_lost: list[str] = field(default_factory=list)
    lost_lists_asked: bool = False
    # Article pages of this run that failed for good or came back as a firewall's page
    # (asked for again by the next run: an incremental run would not list them again).
    articles_lost: list[str] = field(default_factory=list)
    # Article id -> hash() of the URL first requested for it, packed (crawler.compact: about
    # 30 bytes an article, where a dict of id strings took about 150).
    articles: IdMap = field(default_factory=IdMap)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    # Article id -> hash() of each URL form asked for it that gave no article (another
    # module's page under the same id, an error): only ids that failed are here.
    no_article: dict[str, set[int]] = field(default_factory=dict)
    lists: IdSet = field(default_factory=IdSet)  # list_key() of every list page wanted
    # Columns with a page wanted by its own URL (not a filtered one: ListRef.filtered).
    unfiltered: set[str] = field(default_factory=set)
    homes: set[str] = field(default_factory=set)
    pending: Counter[str] = field(default_factory=Counter)
    columns: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)
    list_ids: IdSet = field(default_factory=IdSet)  # ids seen on list pages (a count)
    # ids seen on the first page of a column: what every run reads, full or incremental
    # (the summary's listed_first_pages, which drift compares between incremental runs)
    first_page_ids: IdSet = field(default_factory=IdSet)
    # Column identity -> ids its list pages named so far: a first crawl pages on while a
    # page names ids new to its column (SiteState.listed_anew).
    column_ids: dict[str, IdSet] = field(default_factory=dict)
    # Article pages whose numeric date showed the day first (17/01/2025) and the month first
    # (01/17/2025): the order an ambiguous date of another page reads in (date_order).
    day_first_seen: int = 0
    month_first_seen: int = 0
    # Article URLs read while the site had shown no order for an ambiguous date on them:
    # read again once it has, or when the crawl runs dry (at most MAX_HELD_FOR_DATES).
    held_for_dates: list[str] = field(default_factory=list)
    # Article id -> URL of pages that showed no date and were reached other than from a
    # list page: read again once a list shows their day, or when the crawl runs dry (at
    # most MAX_HELD_FOR_DATES).
    dateless: dict[str, str] = field(default_factory=dict)
    # Article id -> the day its list entry showed, for the last LIST_DAYS_KEPT ids; how
    # many list entries were read, how many showed a day.
    list_days: dict[str, str] = field(default_factory=dict)
    list_entries_read: int = 0
    list_entries_dated: int = 0
    column_names: set[str] = field(default_factory=set)
    outstanding: set[str] = field(default_factory=set)
    # Ids whose link named the default language (lang=cn), asked without it (guide §1.3):
    # asked with it again when that form is not found.
    lang_dropped: IdSet = field(default_factory=IdSet)
    # Folders whose pages are another module's (download/, product/ in pseudo-static mode,
    # where the URL does not name the module): their article-like URLs are not asked for
    # (one folder is one column, and a column one module: guide §1.1).
    other_module_folders: set[str] = field(default_factory=set)
    # Pages of another module seen per folder, and folders that gave an article (never
    # passed over): a folder counts as another module's after OTHER_MODULE_PAGES of them.
    other_module_pages: Counter[str] = field(default_factory=Counter)
    article_folders: set[str] = field(default_factory=set)
    # List pages answered, and list pages that failed for good with a server error, a
    # timeout or no connection: a site whose every list page failed was not read.
    lists_read: int = 0
    lists_failed: int = 0
    sitemaps_requested: bool = False
    sitemaps_pending: int = 0
    sitemap_not_modified: bool = False
    # Per column: the page counts its list pages stated, its page URLs by number, and the
    # columns read a second time because those counts differed (the site changed while
    # its pages were walked: MetinfoSpider._reread_shifted).
    stated_pages: dict[str, set[int]] = field(default_factory=dict)
    page_urls: dict[str, dict[int, str]] = field(default_factory=dict)
    reread_columns: set[str] = field(default_factory=set)
    # Requests of this site that failed for good (CrawlState.lost): the summary's per_site.
    requests_failed: int = 0
    # Articles of this site that reached the output (RunOutcome.item_scraped).
    exported: int = 0
    # A sitemap of this run named articles (or answered 304 to a run whose did): it names
    # every new article wherever its list puts it.
    sitemap_lists_articles: bool = False
    # The sitemap's lastmods disagree with most stored days (a rebuilt sitemap): ignored in
    # this run (MetinfoSpider._lastmods_disagree).
    sitemap_days_ignored: bool = False
    language_domain: bool = False
    seen_langs: set[str] = field(default_factory=set)
    sitemap_langs: set[str] = field(default_factory=set)
    lang_sitemaps_tried: set[str] = field(default_factory=set)
    deferred: list[Any] = field(default_factory=list)

    @property
    def date_order(self) -> str | None:
        """``"d"`` when this site's pages showed only day-first numeric dates, ``"m"`` when
        only month-first ones, else None."""
        if self.day_first_seen and not self.month_first_seen:
            return "d"
        if self.month_first_seen and not self.day_first_seen:
            return "m"
        return None

    def saw_date(self, order: str | None) -> list[str]:
        """Count a page's numeric date by the order it showed (``"d"``, ``"m"``, None);
        returns the URLs held for the site's order once it is known (each once)."""
        if order == "d":
            self.day_first_seen += 1
        elif order == "m":
            self.month_first_seen += 1
        if self.date_order is None or not self.held_for_dates:
            return []
        held, self.held_for_dates = self.held_for_dates, []
        return held

    def hold_for_dates(self, url: str) -> bool:
        """Hold an article URL until the site shows its date order; False when
        :data:`MAX_HELD_FOR_DATES` are held already (the page is taken as read)."""
        if len(self.held_for_dates) >= MAX_HELD_FOR_DATES:
            return False
        self.held_for_dates.append(url)
        return True

    def saw_other_module(self, folder: str) -> None:
        """A page under ``folder`` is another module's (guide §1.1: a folder is one column
        of one module); after :data:`OTHER_MODULE_PAGES` such pages, and none of its pages
        an article, the folder's URLs are passed over."""
        self.other_module_pages[folder] += 1
        if (
            self.other_module_pages[folder] >= OTHER_MODULE_PAGES
            and folder not in self.article_folders
        ):
            self.other_module_folders.add(folder)

    def in_other_module(self, url: str) -> bool:
        """True when ``url`` is an article URL of a folder found to hold another module's
        pages (:meth:`saw_other_module`): it is passed over."""
        if not self.other_module_folders:
            return False
        ref = parse_article_url(url, self.root)
        return ref is not None and ref.folder in self.other_module_folders

    def other_module_folders_seen(self) -> list[str]:
        """The folders this run found to hold another module's pages and no article (one
        page is enough for the next run: a whole run asked for them and found no article
        there), with those it started with, sorted."""
        seen = {f for f in self.other_module_pages if f not in self.article_folders}
        return sorted(seen | self.other_module_folders)

    def saw_article(self, folder: str) -> None:
        """A page under ``folder`` gave an article: the folder is never passed over."""
        self.article_folders.add(folder)
        self.other_module_folders.discard(folder)

    def hold_dateless(self, article_id: str, url: str) -> bool:
        """Hold an article page that shows no date until a list page shows its day; False
        when :data:`MAX_HELD_FOR_DATES` are held already or when the lists read so far
        showed no day at all (the page is taken as read)."""
        if len(self.dateless) >= MAX_HELD_FOR_DATES or (
            self.list_entries_read and not self.list_entries_dated
        ):
            return False
        self.dateless[article_id] = url
        return True

    def saw_list_days(self, days: Iterable[tuple[str, str | None]]) -> list[tuple[str, str]]:
        """Remember the days a list page showed, as ``(article id, day)`` pairs (day None:
        none shown); returns ``(URL, day)`` for the pages held for a day that this list
        showed (each once, day "" when the list showed none)."""
        ready: list[tuple[str, str]] = []
        for article_id, day in days:
            self.list_entries_read += 1
            if day:
                self.list_entries_dated += 1
                self.list_days.pop(article_id, None)
                self.list_days[article_id] = day
                if len(self.list_days) > LIST_DAYS_KEPT:
                    del self.list_days[next(iter(self.list_days))]
            if (url := self.dateless.pop(article_id, None)) is not None:
                ready.append((url, day or ""))
        return ready

    def listed_anew(self, column: str, ids: Iterable[str]) -> bool:
        """Record the ids a list page of ``column`` names; True when one of them is new to
        that column's pages (a parent column's first page names only articles its
        sub-columns' lists named already, and its later pages hold its own).  A page past
        the last, which repeats the last page, names none."""
        seen = self.column_ids.get(column)
        if seen is None:
            seen = self.column_ids[column] = IdSet()
        count = len(seen)
        seen.update(ids)
        return len(seen) > count

    def note_listed(self, article_id: str) -> bool:
        """Record that an article was listed without being fetched; True the first time."""
        if article_id in self.listed:
            return False
        self.listed.add(article_id)
        return True

    def defer_until_sitemaps(self, requests: list[Any]) -> list[Any]:
        """Hold ``requests`` while the site's sitemaps are being read (so that what the
        sitemap gives is known first); returns those that may go now."""
        if self.sitemaps_pending > 0:
            self.deferred.extend(requests)
            return []
        return requests

    def release_deferred(self) -> list[Any]:
        """The requests held by :meth:`defer_until_sitemaps`, once."""
        released, self.deferred = self.deferred, []
        return released

    def lang_of(self, mark: str | None) -> str:
        """A URL's language mark, the site default when the URL has none."""
        return (mark or self.default_lang or DEFAULT_LANG).lower()

    def list_key(self, url: str, ref: ListRef | None) -> str:
        """Identity of a list page: folder, column, page and language when the URL says
        them (and whether it is filtered); a column's folder page by folder and language
        whatever its spelling (``F/``, ``F/index.html``, ``F/index.php``: one page,
        tests/sites hybrid-teaassoc); else the canonical URL."""
        if ref is None:
            return canonical_url(url)
        if ref.column is None:
            return f"{ref.folder}*:1:{self.lang_of(ref.lang)}"
        # Every filtered variant of a page shares one key of its own: it never takes the
        # place of the column's page (a calendar day link stood in for page 1), and a trap
        # of endless variants costs one request per page number.
        filtered = ":filtered" if ref.filtered else ""
        return f"{ref.folder}{ref.column}:{ref.page}:{self.lang_of(ref.lang)}{filtered}"

    def column_of(self, url: str, ref: ListRef | None) -> str:
        """Identity of the column a list URL belongs to (provisional for a folder page,
        until its generator meta names the column)."""
        if ref is None:
            return canonical_url(url)
        if ref.column is None:
            return f"{ref.folder}*:{self.lang_of(ref.lang)}"
        return f"{ref.folder}{ref.column}:{self.lang_of(ref.lang)}"

    def learn_list(self, url: str, ref: ListRef | None, meta: PageMeta) -> str:
        """After fetching a list page: register its real column (``classnow``) and page-1 key
        so that other URL forms of it are not fetched again; returns its column identity."""
        if ref is not None and ref.column is None and meta.classnow:
            lang = self.lang_of(meta.lang)
            self.lists.add(f"{ref.folder}{meta.classnow}:1:{lang}")
            column = f"{ref.folder}{meta.classnow}:{lang}"
            # The provisional identity (the folder URL) was a stand-in for this column.
            provisional = self.column_of(url, ref)
            if self.pending[provisional] == 0:
                self.columns.discard(provisional)
        else:
            column = self.column_of(url, ref)
        self.columns.add(column)
        return column

    def want_list(
        self,
        key: str,
        column: str,
        ref: ListRef | None,
        langs: frozenset[str],
        page_count: int | None = None,
    ) -> bool:
        """True the first time a list page is wanted (and in the language filter and
        within the stated page count; a filtered one only while its column has no page
        wanted by its own URL); it is then counted as pending for its column."""
        if key in self.lists:
            return False
        folder_page = (
            f"{ref.folder}*:1:{self.lang_of(ref.lang)}"
            if ref is not None and ref.top and ref.page == 1 and not ref.filtered
            else None
        )
        if folder_page is not None and folder_page in self.lists:
            # news.php?class1=C is the folder's own column, whose bare folder F/ was asked
            # for already (the home's navigation; its answer names the column)
            self.lists.add(key)
            return False
        if ref is not None:
            self.seen_langs.add(self.lang_of(ref.lang))  # named when a filter misses
            if langs and self.lang_of(ref.lang) not in langs:
                return False
        if page_count is not None and ref is not None and ref.page > page_count:
            return False
        if self.scoped and ref is not None and not self._in_scope_folder(ref.folder):
            return False
        if ref is not None and ref.filtered and column in self.unfiltered:
            return False  # a calendar day, a sort order: the column's own pages are wanted
        if ref is not None and not ref.filtered:
            self.unfiltered.add(column)
        self.lists.add(key)
        if folder_page is not None:
            # and the other way round: the bare folder F/ after news.php?class1=C (the
            # home's navigation link, read after the sitemap named this one)
            self.lists.add(folder_page)
        self.pending[column] += 1
        self.columns.add(column)
        return True

    def list_done(self, column: str) -> None:
        """A list request of ``column`` has been answered or has failed."""
        if self.pending[column] > 0:
            self.pending[column] -= 1

    def want_home(self, url: str, lang: str | None, langs: frozenset[str]) -> bool:
        """True the first time a language home is wanted and in the language filter."""
        self.seen_langs.add(self.lang_of(lang))
        if url in self.homes or (langs and self.lang_of(lang) not in langs):
            return False
        self.homes.add(url)
        return True

    def want_article(self, ref: ArticleRef, url: str, langs: frozenset[str]) -> bool:
        """True the first time an article id is wanted; later URL forms of the same id are
        remembered as aliases (at most :data:`MAX_ALIASES`) instead of being fetched.

        A form found after every form asked so far gave no article is wanted too (at most
        :data:`MAX_ALIASES` more): MetInfo numbers ids per module table (guide §1.3), so a
        product page ``product/4.html`` answered early says nothing of ``news/4.html``
        found later on a list page."""
        self.seen_langs.add(self.lang_of(ref.lang))  # named when a filter misses
        if langs and self.lang_of(ref.lang) not in langs:
            return False
        first = self.articles.get(ref.id)
        failed = self.no_article.get(ref.id)
        if (
            failed is not None
            and first in failed  # the last form asked was answered: none is in flight
            and hash(url) not in failed
            and len(failed) <= MAX_ALIASES
        ):
            self.articles[ref.id] = hash(url)
            return True
        if first is not None:
            known = self.aliases.get(ref.id, [])
            if first != hash(url) and url not in known and len(known) < MAX_ALIASES:
                self.aliases[ref.id] = [*known, url]
            return False
        self.articles[ref.id] = hash(url)
        return True

    def next_alias(self, ref: ArticleRef, failed: str) -> str | None:
        """Another URL form of an article whose request for ``failed`` gave no article (now
        the form asked for it), or None."""
        self.no_article.setdefault(ref.id, set()).add(hash(failed))
        known = self.aliases.get(ref.id)
        if not known:
            return None
        alias = known.pop(0)
        self.articles[ref.id] = hash(alias)
        return alias

    @property
    def scoped(self) -> bool:
        """True when the crawl of this site is bounded by its column starts."""
        return bool(self.scopes) and not self.whole_site

    def add_scope(self, url: str, folder: str | None) -> None:
        """A column start at ``url`` (its folder when the URL names one)."""
        self.scopes.append(Scope(url, folder))

    def start_scope(self, url: str, column: str, path: list[str], has_crumbs: bool) -> None:
        """Bound the column start at ``url`` by its start page: its column identity, its
        column path (breadcrumb or title) and whether its breadcrumb can tell sub-columns
        apart."""
        for scope in self.scopes:
            if scope.url == url:
                scope.column, scope.crumbs, scope.has_crumbs = column, path or None, has_crumbs

    def _in_scope_folder(self, folder: str) -> bool:
        return any(not scope.folder or scope.folder == folder for scope in self.scopes)

    @property
    def scope_has_crumbs(self) -> bool:
        """True when every column start's breadcrumb tells sub-columns from siblings."""
        return all(scope.has_crumbs for scope in self.scopes)

    def in_scope(self, column: str, path: list[str]) -> bool:
        """For column starts: a list page belongs to a start column when it is the same
        column (another page of it) or its path continues that column's path."""
        return any(scope.holds(column, path) for scope in self.scopes)

    def article_in_scope(self, columns: list[str]) -> bool:
        """An article whose breadcrumb (``columns``) names a start column, or that cannot
        tell (no breadcrumb, or a start column without a name)."""
        if not columns:
            return True
        return any(not scope.name or scope.name in columns for scope in self.scopes)

    @property
    def columns_done(self) -> int:
        """Columns with no list request outstanding."""
        return sum(1 for c in self.columns if self.pending[c] == 0)


class CrawlState:
    """All sites of one crawl, and the ``metinfo/*`` counters of the run."""

    def __init__(
        self, get_stats: Callable[[], Any], logger: logging.LoggerAdapter | logging.Logger
    ) -> None:
        # Stats are read through a callable: Scrapy creates the stats collector after the
        # spider, so the spider cannot hand over the object itself.
        self._get_stats = get_stats
        self.logger = logger
        self.sites: dict[str, SiteState] = {}
        self._logged_reasons: set[str] = set()

    @property
    def stats(self) -> Any:
        """The crawl's stats collector."""
        return self._get_stats()

    def site(self, root: str) -> SiteState:
        """The state of the site rooted at ``root`` (created on first use)."""
        if root not in self.sites:
            self.sites[root] = SiteState(root)
        return self.sites[root]

    def count(self, key: str, n: int = 1) -> None:
        """Add ``n`` to the stat ``metinfo/<key>``."""
        self.stats.inc_value(f"metinfo/{key}", n)

    def not_article(self, reason: str, url: str) -> None:
        """A page fetched as an article is not one: counted by reason, logged once per
        reason at INFO, then at DEBUG."""
        self.count(f"not_article/{reason}")
        level = logging.DEBUG if reason in self._logged_reasons else logging.INFO
        self._logged_reasons.add(reason)
        self.logger.log(level, "not an article (%s): %s", reason, url)

    def failed(self, url: str, failure: Any) -> bool:
        """A request failed for good (after retries): counted, logged and listed; True.  A
        request refused on purpose (robots.txt, a firewall page, the budget:
        ``IgnoreRequest``) is counted as ``metinfo/requests/ignored`` instead, and not
        listed; False."""
        message = failure.getErrorMessage()
        if (
            failure.check(IgnoreRequest)
            and not failure.check(HttpError)
            and message.startswith(ON_PURPOSE)
        ):
            self.count("requests/ignored")
            self.logger.debug("request not made: %s (%s)", url, message)
            return False
        response = getattr(failure.value, "response", None)
        if response is not None:
            why = f"HTTP {response.status}"
        else:
            why = f"{failure.type.__name__}: {failure.getErrorMessage()}".rstrip(": ")
        self.lost(url, why)
        return True

    def lost(self, url: str, why: str) -> None:
        """Count, log and list a request that did not give a page."""
        self.count("requests/failed")
        if (site := self.site_of(url)) is not None:
            site.requests_failed += 1
        self.logger.warning("request failed: %s (%s)", url, why)
        listed = self.stats.get_value("metinfo/failed_urls") or []
        if len(listed) < MAX_LISTED_FAILURES:
            self.stats.set_value("metinfo/failed_urls", [*listed, url])

    def site_of(self, url: str) -> SiteState | None:
        """The site of this crawl whose root ``url`` starts with (the longest), or None."""
        roots = [root for root in self.sites if url.startswith(root)]
        return self.sites[max(roots, key=len)] if roots else None

    def progress(self) -> tuple[int, int]:
        """(columns done, columns found) over all sites."""
        found = sum(len(s.columns) for s in self.sites.values())
        done = sum(s.columns_done for s in self.sites.values())
        return done, found
