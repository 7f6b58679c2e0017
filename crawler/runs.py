"""One run of a crawl: its state-store ledger, its outcome, exit code, summary file and drift.

``RunLedger`` is what the spider and the state pipeline consult during a run with
``METINFO_STATE``: the articles earlier runs saw, and what this run observed.  The
``RunOutcome`` extension ends every run (with or without a state store): it commits the
ledger once the output is complete, writes ``<output>.summary.json``, compares the run with
the previous one of the same kind, and sets the exit code that ``scrapy crawl`` returns
(``crawler/commands/crawl.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scrapy import signals

from crawler.items import publication_day
from crawler.locks import local_feed_path
from crawler.site import site_key
from crawler.state import KnownIndex, Seen, SeenLog, StateStore, content_key

logger = logging.getLogger(__name__)

# The run history's kind for a full run that did not finish: it does not reset the count of
# runs since the last full check (crawler.state.StateStore.runs_since_full).
UNFINISHED_FULL = "full-unfinished"
# The most list pages a run's summary names as lost for the next run to ask again.
MAX_LISTS_LOST = 100
# Why an article request gave no article that a repeat run would only be told again: a
# member's wall, a deleted article a list still names (404 or 410, MetInfo's 该信息不存在
# page, an empty 200 page, a redirect to the home or a 404 page).  Kept in the state store
# (spiders.metinfo.MetinfoSpider._remember_page), not asked for again until its list entry
# is re-dated or the full check.
REMEMBERED_NOT_ARTICLES = frozenset(
    {"member_only", "not_found_page", "empty_page", "redirected_home", "gone"}
)


def not_article_hash(reason: str) -> str:
    """What the state store keeps as the content of an article URL that gave no article for
    ``reason`` (one of :data:`REMEMBERED_NOT_ARTICLES`): a SHA-256 hex digest, as an
    article's content hash is, of the reason's word."""
    return hashlib.sha256(reason.encode("ascii")).hexdigest()


_REMEMBERED_KEYS = frozenset(content_key(not_article_hash(r)) for r in REMEMBERED_NOT_ARTICLES)
# The most article pages a summary names per site as lost (RunOutcome.summary's
# ``articles_lost``): the next run asks for each again, one request apiece.
MAX_ARTICLES_LOST = 200
# The most unlisted articles a summary names by URL (RunOutcome.unlisted).
MAX_UNLISTED = 100
# Fewer items missing a title or body than this are no template change, whatever their
# share (a repeat run that reads one photo-only article again: 1 of 1): no exit code 7,
# no drift.
MISSING_FIELDS_MIN = 3


def scope_tag(scope: str) -> str:
    """A short tag for a run's scope (see :func:`history_kind`): "" for the whole site, else
    12 hex digits of the SHA-1 of the scope's description."""
    return hashlib.sha1(scope.encode("utf-8")).hexdigest()[:12] if scope else ""


def history_kind(kind: str, scope: str) -> str:
    """The kind recorded in the run history: ``kind`` for a run of the whole site, and
    ``kind@<tag>`` for a run of part of it (column or article start URLs, ``columns``,
    ``skip_columns`` or ``lang`` filters).  A part's full run says nothing of the articles
    outside it, so only a whole-site full run, or one of the same part, makes the next
    run incremental; and drift is measured against the last run of the same scope."""
    tag = scope_tag(scope)
    return f"{kind}@{tag}" if tag else kind


def full_kinds(scope: str) -> tuple[str, ...]:
    """The history kinds of full runs that cover a run of ``scope``."""
    return ("full", history_kind("full", scope)) if scope else ("full",)


class ExitCode:
    """Exit codes of ``scrapy crawl metinfo`` (documented in the README).

    0 the run completed (also when nothing was new); 1 Scrapy could not start the crawl;
    2 bad arguments; 3 the site was unreachable (no response at all); 4 robots.txt forbids
    everything that was to be crawled; 5 the output or the state store could not be
    written (disk full, permissions); 6 every article request, or more than
    ``METINFO_MAX_FAILED_SHARE`` of them, failed or was blocked; 7 the
    share of items missing a required field crossed ``METINFO_MAX_MISSING_SHARE``; 8 drift
    from the previous run crossed its thresholds; 9 another run holds the lock of this
    output or site; 10 a site was paused after too many firewall or challenge pages in a
    row; 11 one or more sites of a sites file failed; distributed runs (``REDIS_URL``,
    crawler/distributed.py): 12 Redis lost the run's data, 13 Redis was unreachable too
    long, 14 this worker was taken for dead (discard its output); 15 the run was interrupted
    (SIGINT/SIGTERM, Scrapy's finish reason ``shutdown``) before it finished.
    """

    OK = 0
    FAILURE = 1
    USAGE = 2
    UNREACHABLE = 3
    ROBOTS_FORBIDDEN = 4
    UNWRITABLE = 5
    ARTICLES_FAILED = 6
    MISSING_FIELDS = 7
    DRIFT = 8
    LOCKED = 9
    BLOCKED = 10
    SITES_FAILED = 11
    REDIS_DATA_LOST = 12
    REDIS_UNREACHABLE = 13
    LEASES_LOST = 14
    INTERRUPTED = 15


# One plain sentence per failure, logged at the end of the run.
EXIT_MESSAGES = {
    ExitCode.UNREACHABLE: "the site was unreachable: no response at all (see the 'request"
    " failed' warnings above)",
    ExitCode.ROBOTS_FORBIDDEN: "robots.txt forbids everything this run was to crawl",
    ExitCode.UNWRITABLE: "the output or the state store could not be written",
    ExitCode.ARTICLES_FAILED: "the article requests failed or were blocked (all, or more than "
    "METINFO_MAX_FAILED_SHARE of them got no connection), or a list page got none: the site"
    " went away?",
    ExitCode.MISSING_FIELDS: "too many items lacked a title or body (template change?)",
    ExitCode.DRIFT: "the run drifted from the previous one past a threshold",
    ExitCode.BLOCKED: "a site was paused: it answered with firewall or challenge pages",
    ExitCode.REDIS_DATA_LOST: "Redis lost the run's data: the crawl is not complete",
    ExitCode.REDIS_UNREACHABLE: "Redis was unreachable for too long",
    ExitCode.LEASES_LOST: "this worker was taken for dead: discard its output",
    ExitCode.INTERRUPTED: "the run was interrupted before it finished: its output is partial",
}


# Finish reasons of distributed runs and the exit code each means.
EXIT_BY_REASON = {
    "redis_data_lost": ExitCode.REDIS_DATA_LOST,
    "redis_unreachable": ExitCode.REDIS_UNREACHABLE,
    "leases_lost": ExitCode.LEASES_LOST,
    "shutdown": ExitCode.INTERRUPTED,  # Scrapy's reason after SIGINT or SIGTERM
    # Scrapy's stop limits (CLOSESPIDER_TIMEOUT, _ITEMCOUNT, _PAGECOUNT, _ERRORCOUNT) stop a
    # run before its end as a signal does: its output is partial
    "closespider_timeout": ExitCode.INTERRUPTED,
    "closespider_itemcount": ExitCode.INTERRUPTED,
    "closespider_pagecount": ExitCode.INTERRUPTED,
    "closespider_errorcount": ExitCode.INTERRUPTED,
}


def unfinished_reason(stats: dict[str, Any]) -> str | None:
    """Why the run stopped before its end, as a key of :data:`EXIT_BY_REASON` (Scrapy's
    finish reason first, then the distributed scheduler's ``metinfo/redis/stop_reason``),
    or None when it ran to its end."""
    for reason in (stats.get("finish_reason"), stats.get("metinfo/redis/stop_reason")):
        if str(reason) in EXIT_BY_REASON:
            return str(reason)
    return None


def exit_message(code: int, stats: dict[str, Any]) -> str:
    """The sentence logged for exit ``code`` (:data:`EXIT_MESSAGES`); for an unreachable site
    that did answer (a start URL gave 404, say), which start URLs failed instead of the
    generic sentence."""
    if code == ExitCode.UNREACHABLE and stats.get("downloader/response_count"):
        failed = stats.get("metinfo/failed_urls") or []
        named = ", ".join(failed[:3]) + (f" and {len(failed) - 3} more" if len(failed) > 3 else "")
        return (
            "the site answered, but no start URL gave a page"
            + (f" ({named}; see the 'request failed' warnings above)" if named else "")
            + ": check the start URLs"
        )
    if code == ExitCode.ARTICLES_FAILED:
        cause = incomplete_cause(stats)
        if cause == "start":
            failed = stats.get("metinfo/failed_urls") or []
            return (
                "a start URL gave no page"
                + (f" ({', '.join(failed[:3])})" if failed else "")
                + ": the run did not read every site or column it was given"
            )
        if cause == "budget":
            return (
                "the request budget (METINFO_MAX_REQUESTS_PER_SITE) ran out before the site"
                " was read whole: a trap of endless URLs, or a budget too small for the site"
            )
        if cause == "articles" and not _unreachable(stats):
            failed = stats.get("metinfo/failed_urls") or []
            return (
                "no article request gave a page: the site answered each with an error"
                + (f" ({', '.join(failed[:3])})" if failed else "")
                + "; see the 'request failed' warnings"
            )
        if cause == "lists":
            failed = stats.get("metinfo/failed_urls") or []
            return (
                "every list page of a site failed (server errors, timeouts or no connection"
                + (f": {', '.join(failed[:3])}" if failed else "")
                + "): its columns were not read; see the 'request failed' warnings"
            )
        if cause == "paused":
            return (
                "the site stopped answering during the run and was paused (its requests got"
                " no connection or timed out: METINFO_MAX_UNREACHABLE_IN_ROW); run it again"
                " later"
            )
        if _unreachable(stats) and (failed := stats.get("metinfo/failed_urls") or []):
            # which site, in a run of several (the summary's per_site counts them)
            return f"{EXIT_MESSAGES[code]} (failed: {', '.join(failed[:3])})"
    return EXIT_MESSAGES[code]


def _unreachable(stats: dict[str, Any]) -> bool:
    """True when article or list requests of the run got no connection at all."""
    return bool(stats.get("metinfo/articles/unreachable") or stats.get("metinfo/lists/unreachable"))


def incomplete_cause(stats: dict[str, Any]) -> str:
    """What made a run incomplete (:func:`articles_failed`), the first that applies:
    ``"start"`` (one of several start URLs gave no page), ``"budget"`` (the request budget
    ran out), ``"paused"`` (a site stopped answering and was paused), ``"lists"`` (every
    list page of a site failed), else ``"articles"`` (article or list pages got no
    connection).  The exit message and the feed's note on
    the output it kept both name this cause."""
    if stats.get("metinfo/start/failed"):
        return "start"
    if stats.get("metinfo/budget/exhausted"):
        return "budget"
    if stats.get("metinfo/unreachable/paused"):
        return "paused"
    if stats.get("metinfo/sites/lists_unread", 0) > 0 and not _unreachable(stats):
        return "lists"  # (no connection at all says more: the site went away)
    return "articles"


def articles_failed(stats: dict[str, Any], max_share: float) -> bool:
    """True when the run did not read its sites whole: in a run that asked for any article,
    no article request gave a page, or more than ``max_share`` of them got no connection
    at all (refused, no such host: the site went away during the run), or any list page
    did (its articles were never seen); also, whatever was asked before, when a site was
    paused for that reason
    (``metinfo/unreachable/paused``, :class:`crawler.middlewares.SiteGoneMiddleware`), its
    request budget ran out (``metinfo/budget/exhausted``), or one of several start URLs
    gave no page (``metinfo/start/failed``; all of them failing is exit code 3, checked
    first).  Pages answered with an error (404, a firewall page, a body too big) are the
    site's answers and do not count for the share; articles answered 404 or 410
    (``metinfo/articles/gone``) or sent to another host (``metinfo/redirect/offsite``) do
    not count as "no page" either."""
    if (
        stats.get("metinfo/unreachable/paused")
        or stats.get("metinfo/budget/exhausted")
        or stats.get("metinfo/start/failed")
        # every list page a site was asked for failed with a server error, a timeout or no
        # connection: its columns were not read (a site of several in one run)
        or stats.get("metinfo/sites/lists_unread", 0) > 0
    ):
        return True
    # List pages lost the same way: their articles were never seen, so a run that shows
    # few failed articles is no whole run either (a site without a sitemap that went
    # away while its lists were read).
    if stats.get("metinfo/lists/unreachable", 0):
        return True  # (any one: a list page hides all the articles it would have listed)
    requested = stats.get("metinfo/articles/requested", 0)
    if not requested:
        return False
    # Articles answered 404 or 410 (a sitemap that still lists deleted ones: every repeat
    # run asks for them) are the site's answer: only the others must give a page.
    gone = stats.get("metinfo/articles/gone", 0)
    # nor is an article sent to another host (MetInfo's 外部链接: an incremental run whose
    # one new entry is such a link asked for one article and got no page, on purpose)
    elsewhere = stats.get("metinfo/redirect/offsite", 0)
    if not stats.get("metinfo/articles/fetched", 0) and gone + elsewhere < requested:
        return True
    return stats.get("metinfo/articles/unreachable", 0) / requested > max_share


def start_failed(stats: dict[str, Any]) -> bool:
    """True when the site gave nothing to work with: no response at all, or every start URL
    failed (an HTTP error such as 404, or no answer) and no page was parsed."""
    if not stats.get("downloader/response_count"):
        return True
    starts = stats.get("metinfo/start/urls", 0)
    return bool(
        starts
        and stats.get("metinfo/start/failed", 0) >= starts
        and not stats.get("metinfo/pages/parsed")
        and not stats.get("item_scraped_count")
    )


def _of_site(summary: dict[str, Any], field: str, site: str) -> list[str]:
    """The entries of ``site`` in a summary's per-site ``field`` (``other_modules``,
    ``lists_lost``: lists by site root, a root in any of the site's forms)."""
    return [
        entry
        for root, entries in (summary.get(field) or {}).items()
        if site_key(root) == site_key(site)
        for entry in entries
    ]


@dataclass
class RunLedger:
    """This run's view of the state store.

    ``kind`` is ``full`` (every article fetched and compared; also the first run) or
    ``incremental`` (only new and re-dated articles fetched).  ``full_export`` exports
    unchanged articles too.  Observations wait in a :class:`SeenLog` (a scratch file, not
    RAM) and are written by :meth:`commit`.
    """

    store: StateStore  # or crawler.sharedstate.RedisStateStore
    kind: str
    full_export: bool = False
    started: str = ""
    # Per site key: what part of the site this run covers, "" for all of it (history_kind).
    scopes: dict[str, str] = field(default_factory=dict)
    _known: dict[str, KnownIndex] = field(default_factory=dict)
    _seen: SeenLog = field(default_factory=SeenLog)
    _validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    committed: bool = False

    def conditional_headers(self, url: str) -> dict[str, str]:
        """``If-None-Match``/``If-Modified-Since`` for ``url`` from the last run's answer."""
        etag, modified = self.store.validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def remember_validators(self, response: Any) -> None:
        """Keep the ETag and Last-Modified of a 200 response, written at commit."""
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if etag or modified:
            self._validators[response.url] = (
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            )

    @property
    def incremental(self) -> bool:
        """True when known, unchanged articles are not fetched."""
        return self.kind == "incremental"

    def known(self, site: str) -> KnownIndex:
        """Articles earlier runs saw on ``site`` (loaded once per site).  Sites are keyed by
        :func:`crawler.site.site_key`, so ``www.``/``m.`` and http/https forms share state."""
        site = site_key(site)
        if site not in self._known:
            self._known[site] = self.store.known(site)
        return self._known[site]

    def unchanged(self, site: str, article_id: str, day: str | None) -> bool:
        """True when the article is known, was fetched before, and ``day`` (from a list or
        sitemap, ``YYYY-MM-DD``; None when not shown) does not say it was re-dated."""
        known = self.known(site).get(article_id)
        if known is None or known.content_key is None:
            return False
        if known.day is None and day is not None and known.content_key in _REMEMBERED_KEYS:
            # a page that gave no article, first asked with no day (from a home block or
            # the sitemap): asked once more from its list, whose day it then keeps
            return False
        return day is None or known.day is None or day == known.day

    def listed(self, site: str, article_id: str, url: str) -> None:
        """The article was listed but not fetched: only its ``last_seen`` moves."""
        site = site_key(site)
        known = self.known(site).get(article_id)
        # The stored time stays as it is: a listed-only observation moves last_seen.
        self._seen.put_new(
            Seen(site, article_id, url, None, None, known.revision if known else 0, False)
        )

    def observe(
        self, site: str, article_id: str, url: str, content_hash: str, published_at: str | None
    ) -> tuple[bool, int]:
        """Record a fetched article; return (changed or new, revision it gets if exported)."""
        site = site_key(site)
        known = self.known(site).get(article_id)
        changed = known is None or not known.same_content(content_hash)
        revision = (known.revision if known else 0) + (1 if changed else 0)
        self._seen.put(
            Seen(
                site, article_id, url, content_hash, published_at,
                known.revision if known else 0, False,
            )
        )  # fmt: skip
        return changed, max(revision, 1)

    def observe_name(
        self, site: str, name_id: str, url: str, content_hash: str, published_at: str | None
    ) -> None:
        """Record a fetched article under the id its custom file name gives too
        (:func:`crawler.site.named_article_ref`, ``news/expo2024``), when the page's generator
        meta names another: list pages know it only by that name, so the next incremental
        run finds it known (:meth:`unchanged`) instead of fetching it again.  Never exported
        under that id: :meth:`exported_duplicate` does not take it for a copy."""
        site = site_key(site)
        known = self.known(site).get(name_id)
        revision = known.revision if known else 0
        self._seen.put(Seen(site, name_id, url, content_hash, published_at, revision, False))

    def exported_duplicate(
        self, site: str, article_id: str, content_hash: str, published_at: str | None
    ) -> str | None:
        """The URL of another article an earlier run exported with this content (same
        ``content_hash`` and day of ``published_at``), or None.

        What :class:`pipelines.dedupe.DedupePipeline` cannot see within one run: when the
        first of two copies was exported by an earlier run (one cut short, or an incremental
        run that did not fetch it again), this run meets only the second.  A copy this run
        fetched with other content (edited since) no longer counts.
        """
        site = site_key(site)
        for other in self.known(site).ids_with_content(content_hash):
            if other == article_id:
                continue
            stored = self.store.article(site, other)
            if (
                stored is not None
                and stored.exported
                and stored.content_hash == content_hash
                and publication_day(stored.published_at) == publication_day(published_at)
                and self._seen.content_hash(site, other) in (None, content_hash)
            ):
                return stored.url
        return None

    def exported(self, site: str, article_id: str, revision: int) -> None:
        """The article reached the output (it passed every pipeline)."""
        self._seen.mark_exported(site_key(site), article_id, revision)

    def commit(self, now: str, output: tuple[str, str, int, str] | None = None) -> int:
        """Write every observation in one transaction (once); returns the rows written."""
        if self.committed:
            return 0
        rows = self.store.commit(self._seen, now, output)
        self.committed = True
        self._seen.close()
        if self._validators:
            self.store.save_validators((u, e, m) for u, (e, m) in self._validators.items())
        return rows

    def commit_output(
        self, complete_name: str, final_path: str, size_before: int, mode: str
    ) -> None:
        """Commit together with the output about to be put in place (``crawler.feeds``)."""
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self.commit(now, (complete_name, final_path, size_before, mode))

    def other_module_folders(self, site: str) -> set[str]:
        """The folders the last runs of ``site`` (of each kind) found to hold another
        module's pages (their summaries' ``other_modules``); empty when none did."""
        found: set[str] = set()
        for summary in self._last_summaries(site):
            found.update(_of_site(summary, "other_modules", site))
        return found

    def lists_lost(self, site: str) -> list[str]:
        """The list pages of ``site`` that its last run (of any kind) lost for good (its
        summary's ``lists_lost``), at most :data:`MAX_LISTS_LOST`; empty when none."""
        summaries = self._last_summaries(site)
        if not summaries:
            return []
        last = max(summaries, key=lambda summary: summary.get("finished", ""))
        return _of_site(last, "lists_lost", site)[:MAX_LISTS_LOST]

    def articles_lost(self, site: str) -> list[str]:
        """The article pages of ``site`` that its last run (of any kind) lost for good or
        got a firewall's page for (its summary's ``articles_lost``), at most
        :data:`MAX_ARTICLES_LOST`; empty when none."""
        summaries = self._last_summaries(site)
        if not summaries:
            return []
        last = max(summaries, key=lambda summary: summary.get("finished", ""))
        return _of_site(last, "articles_lost", site)[:MAX_ARTICLES_LOST]

    def _last_summaries(self, site: str) -> list[dict[str, Any]]:
        """The summaries of the last run of each kind (full, incremental, unfinished full)
        of ``site``, those there are."""
        kinds = ("full", "incremental", UNFINISHED_FULL)
        found = (self.store.previous_run(site_key(site), self.history_kind(site, k)) for k in kinds)
        return [summary for summary in found if summary]

    def history_kind(self, site: str, kind: str | None = None) -> str:
        """``kind`` (by default the run's) as the run history records it for ``site``."""
        return history_kind(kind or self.kind, self.scopes.get(site_key(site), ""))

    @classmethod
    def open(
        cls,
        settings: Any,
        sites: list[str],
        now: datetime,
        store: Any = None,
        scopes: dict[str, str] | None = None,
    ) -> RunLedger | None:
        """The ledger for ``METINFO_STATE``, or None when it is not set.

        ``store`` is the store to use (``crawler.sharedstate.RedisStateStore`` in a
        distributed run); by default the SQLite store in the folder ``METINFO_STATE``.
        The run is ``full`` when ``METINFO_FULL_CHECK`` is set, when the store has never
        seen the site, every ``METINFO_FULL_CHECK_EVERY`` runs, or when the last full run
        is older than ``METINFO_FULL_CHECK_DAYS`` days; otherwise ``incremental``.  A shared
        store settles the kind once per run (its first worker's choice).  ``scopes`` maps a
        site root to a description of the part of it this run covers ("" or absent: all);
        only a full run of the whole site or of the same part counts as "seen".
        """
        directory = settings.get("METINFO_STATE")
        if not directory:
            return None
        if store is None:
            store = StateStore(directory)
        kind = "incremental"
        every = settings.getint("METINFO_FULL_CHECK_EVERY")
        max_age = settings.getfloat("METINFO_FULL_CHECK_DAYS")
        known: dict[str, KnownIndex] = {}  # read once here, kept for the run
        by_key = {site_key(root): scope for root, scope in (scopes or {}).items()}
        for site in map(site_key, sites):
            since, finished = store.runs_since_full(site, full_kinds(by_key.get(site, "")))
            known[site] = store.known(site)
            # Never fully crawled: a new store, or one whose full runs never finished.
            never = finished is None
            too_old = (
                bool(finished)
                and max_age > 0
                and now - datetime.fromisoformat(finished) > timedelta(days=max_age)
            )
            if never or (every > 0 and since + 1 >= every) or too_old:
                kind = "full"
        if settings.getbool("METINFO_FULL_CHECK") or settings.getbool("METINFO_FULL_EXPORT"):
            kind = "full"  # a full export needs every article fetched
        kind = store.settle_kind(kind)
        return cls(
            store,
            kind,
            settings.getbool("METINFO_FULL_EXPORT"),
            now.isoformat(),
            scopes={site: scope for site, scope in by_key.items() if scope},
            _known=known,
        )


class RunOutcome:
    """Ends every run: commits the ledger, writes the summary file, checks drift and sets
    ``metinfo/exit_code`` in the stats (see :class:`ExitCode`)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self.clock = time.monotonic()  # duration_s: to a tenth of a second
        self.outputs: list[Path] = []  # local feed files asked for: summaries go beside them
        self.written: list[Path] = []  # the files that hold this run's items
        self.ledger: RunLedger | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunOutcome:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.ledger = getattr(spider, "ledger", None)
        # Until the run ends, its summary says it is running: a run killed hard (kill -9,
        # a power cut) must not leave the previous run's exit code 0 for a monitor to read.
        running = {
            "running": True,
            "started": self.started.isoformat(),
            "pid": os.getpid(),
            "exit_code": None,
        }
        self.write_summary(running, self._plain_outputs())

    def _plain_outputs(self) -> list[Path]:
        """The local outputs of ``FEEDS`` whose names hold no placeholder (a name with
        %(time)s is new for every run: no earlier summary stands beside it)."""
        outputs = []
        for uri in self.settings.getdict("FEEDS"):
            path = local_feed_path(str(uri))
            if path is not None and "%(" not in str(uri):
                outputs.append(path)
        return outputs

    def item_scraped(self, item: Any, spider: Any) -> None:
        if self.ledger is not None and getattr(item, "article_id", None):
            self.ledger.exported(item.site, item.article_id, item.revision or 1)
        state = getattr(spider, "state", None)
        if state is not None and (
            site := state.sites.get(getattr(item, "site", None))
            or state.site_of(getattr(item, "url", ""))
        ):
            site.exported += 1

    def feed_slot_closed(self, slot: Any) -> None:
        uri = getattr(slot, "uri", "")
        if uri and (output := local_feed_path(uri)) is not None:
            self.outputs.append(output)
            # Where the items went (crawler.feeds.AtomicFileFeedStorage.stored_at): the
            # output, <output>.interrupted, or nowhere (None; its log line says why).
            written = getattr(getattr(slot, "storage", None), "stored_at", output)
            if written is not None:
                self.written.append(written)

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    def engine_stopped(self) -> None:
        finished = datetime.now(timezone.utc).replace(microsecond=0)
        summary = self.summary(finished)
        code = self.exit_code(summary)
        if code == ExitCode.OK:
            summary["unlisted"] = self.unlisted()
        if self.ledger is not None:
            if code != ExitCode.UNWRITABLE:
                try:
                    self.ledger.commit(finished.isoformat())
                except (OSError, Exception) as exc:  # sqlite3.Error is not an OSError
                    logger.error("state store not written: %s", exc)
                    code = ExitCode.UNWRITABLE
            drift = self.drift(summary)
            summary["drift"] = drift
            if drift and code == ExitCode.OK and any(d["past_threshold"] for d in drift):
                code = ExitCode.DRIFT
            # A full run that did not finish (interrupted, timed out) is no full check: the
            # articles it listed but never fetched are found only by reading every list
            # page again, so the next run is full too.
            # Nor is one that ended with a failure (exit 3-7: pages lost, a site gone).
            kind = self.ledger.kind
            if kind == "full" and (
                self.stats.get_value("finish_reason") != "finished"
                or code not in (ExitCode.OK, ExitCode.DRIFT)
            ):
                kind = UNFINISHED_FULL
            for site in {site_key(root) for root in summary["sites"]}:
                try:
                    self.ledger.store.record_run(
                        site,
                        self.ledger.history_kind(site, kind),
                        self.started.isoformat(),
                        finished.isoformat(),
                        code,
                        summary,
                    )
                except Exception as exc:
                    logger.error("run history not written: %s", exc)
            self.ledger.store.close()
        summary["exit_code"] = code
        self.stats.set_value("metinfo/exit_code", code)
        if not self.write_summary(summary) and code == ExitCode.OK:
            # a monitor reading summaries would see nothing new: not a run that went well
            code = ExitCode.UNWRITABLE
            self.stats.set_value("metinfo/exit_code", code)
        logger.info("exit code %d; summary: %s", code, json.dumps(summary, ensure_ascii=False))
        if code in EXIT_MESSAGES:
            logger.error(
                "run failed (exit code %d): %s", code, exit_message(code, self.stats.get_stats())
            )

    def summary(self, finished: datetime) -> dict[str, Any]:
        """Counts of this run (JSON-serialisable)."""
        stats = self.stats.get_stats()

        def prefixed(prefix: str) -> dict[str, int]:
            return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}

        feed_failures = sum(prefixed("feedexport/failed_count/").values())
        # Items that reached the output: none when writing it failed.
        exported = 0 if feed_failures else stats.get("item_scraped_count", 0)
        updated = 0 if feed_failures else stats.get("metinfo/state/updated", 0)
        reexported = 0 if feed_failures else stats.get("metinfo/state/reexported", 0)
        spider = getattr(self.crawler, "spider", None)
        state = getattr(spider, "state", None)
        sites = sorted(state.sites) if state is not None else []
        # Articles on the list pages read: comparable between runs of one kind, unlike
        # sitemap counts (a 304 sitemap lists nothing), so drift is measured on it.
        on_lists = sum(len(s.list_ids) for s in state.sites.values()) if state else 0
        return {
            "kind": self.ledger.kind if self.ledger else "stateless",
            "sites": sites,
            "started": self.started.isoformat(),
            "finished": finished.isoformat(),
            "duration_s": round(time.monotonic() - self.clock, 1),
            "exported": exported,
            "new": exported - updated - reexported,
            "updated": updated,
            # known and unchanged, exported again all the same (METINFO_FULL_EXPORT)
            "reexported": reexported,
            "unchanged": stats.get("metinfo/state/unchanged", 0),
            "listed": on_lists,
            # the entries of the columns' first pages, which every run reads (drift compares
            # incremental runs by it: how deep they page depends on what is new)
            "listed_first_pages": (
                sum(len(s.first_page_ids) for s in state.sites.values()) if state else 0
            ),
            "scraped": stats.get("item_scraped_count", 0),
            "dropped": prefixed("metinfo/dropped/"),
            "not_articles": prefixed("metinfo/not_article/"),
            "blocked": stats.get("metinfo/blocked", 0),
            "mirror": prefixed("metinfo/mirror/"),
            "warc": prefixed("metinfo/warc/"),
            "reextract": prefixed("metinfo/reextract/"),
            "families": prefixed("metinfo/family/"),
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "errors": {
                "failed_requests": stats.get("metinfo/requests/failed", 0),
                "logged_errors": stats.get("log_count/ERROR", 0),
                "feed_failures": feed_failures,
                "failed_urls": stats.get("metinfo/failed_urls", []),
            },
            # absolute: a monitor reads the summary from another folder than the run's
            "outputs": [os.path.abspath(p) for p in self.written],
            "drift": [],  # measured with a state store (RunOutcome.drift)
            # per site, the folders found to hold another module's pages: an incremental
            # run of the site does not ask for their URLs again
            "other_modules": {
                root: folders
                for root, s in (state.sites.items() if state else ())
                if (folders := s.other_module_folders_seen())
            },
            # per site, the list pages lost for good (after the retries): the next
            # incremental run asks for them again
            "lists_lost": {
                root: s.lists_lost[:MAX_LISTS_LOST]
                for root, s in (state.sites.items() if state else ())
                if s.lists_lost
            },
            # per site, the article pages lost for good or answered by a firewall: the
            # next run asks for them again (an incremental run would not list them again)
            "articles_lost": {
                root: s.articles_lost[:MAX_ARTICLES_LOST]
                for root, s in (state.sites.items() if state else ())
                if s.articles_lost
            },
            # per site read whole in a full run, the articles nothing named any more
            # (RunOutcome.unlisted, filled in once the run is known to have gone well)
            "unlisted": {},
            # per site of a run of several: what reached the output, what its lists named
            # and how many of its requests failed for good
            "per_site": {
                root: {
                    "exported": 0 if feed_failures else s.exported,
                    "listed": len(s.list_ids),
                    "failed_requests": s.requests_failed,
                }
                for root, s in (state.sites.items() if state else ())
            },
        }

    def unlisted(self) -> dict[str, dict[str, Any]]:
        """Per site read whole in a full run (every list page answered; no column, language
        or scope filter): the articles earlier runs exported that nothing of this run named
        (no list, sitemap, home block or link), deleted or hidden since.  ``count``, and
        the ``urls`` the store holds for up to :data:`MAX_UNLISTED` of them.  Empty for any
        other run: what it did not read says nothing.  (A ``-day2`` corpus's deleted
        article 37 is one, guide §5: MetInfo 7.2 answers its URL with an empty 200
        page.)"""
        spider = getattr(self.crawler, "spider", None)
        state = getattr(spider, "state", None)
        if (
            self.ledger is None
            or self.ledger.kind != "full"
            or state is None
            or getattr(spider, "langs", None)
            or getattr(spider, "_column_filter", True)
            or self.stats.get_value("finish_reason") != "finished"
        ):
            return {}
        found: dict[str, dict[str, Any]] = {}
        for root, site in state.sites.items():
            if not site.whole_site or site.scoped or site.lists_lost or site.lists_failed:
                continue
            known = self.ledger.known(root)
            gone = [
                article_id
                for article_id in known
                if article_id not in site.articles
                and article_id not in site.list_ids
                and known[article_id].content_key is not None
            ]
            urls, count = [], 0
            for article_id in gone:
                # (exported ones only: not a member's wall or a deleted page the store keeps
                # so that repeat runs do not ask for it again)
                stored = self.ledger.store.article(site_key(root), article_id)
                if stored is not None and stored.exported:
                    count += 1
                    if len(urls) < MAX_UNLISTED:
                        urls.append(stored.url)
            found[root] = {"count": count, "urls": urls}
        return found

    def exit_code(self, summary: dict[str, Any]) -> int:
        """The most important failure of the run, or 0."""
        stats = self.stats.get_stats()
        if (
            summary["errors"]["feed_failures"]
            or stats.get("metinfo/state/unwritable")
            or stats.get("metinfo/warc/write_errors")
        ):
            return ExitCode.UNWRITABLE
        if (summary["responses"] == 0 and stats.get("downloader/exception_count", 0)) or (
            summary["responses"] and start_failed(stats)
        ):
            return ExitCode.UNREACHABLE
        if reason := unfinished_reason(stats):
            return EXIT_BY_REASON[reason]
        if stats.get("metinfo/blocked/paused"):
            return ExitCode.BLOCKED
        if stats.get("metinfo/unreachable/paused") or stats.get("metinfo/budget/exhausted"):
            # a site that stopped answering, or whose request budget ran out: requests were
            # dropped and the site was not read whole, distributed or not
            return ExitCode.ARTICLES_FAILED
        pages = stats.get("metinfo/pages/parsed", 0)
        if pages == 0 and stats.get("robotstxt/forbidden", 0):
            return ExitCode.ROBOTS_FORBIDDEN
        shared = bool(self.settings.get("REDIS_URL"))  # other workers may fetch them all
        limit = self.settings.getfloat("METINFO_MAX_FAILED_SHARE")
        if not shared and articles_failed(stats, limit):
            return ExitCode.ARTICLES_FAILED
        limit = self.settings.getfloat("METINFO_MAX_MISSING_SHARE")
        if _missing(summary) >= MISSING_FIELDS_MIN and _missing_share(summary) > limit:
            return ExitCode.MISSING_FIELDS
        return ExitCode.OK

    def drift(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """Differences from the previous run of the same kind of the same sites.  None in a
        distributed run: a worker sees only its share of the site."""
        if self.ledger is None or not summary["sites"] or self.ledger.store.shared:
            return []
        site = site_key(summary["sites"][0])
        previous = self.ledger.store.previous_run(site, self.ledger.history_kind(site))
        if not previous:
            return []
        found = []
        listed_drop = self.settings.getfloat("METINFO_DRIFT_LISTED_DROP")
        # A full run reads every list page; an incremental one pages as deep as what is new
        # takes it: only the first pages compare (a quiet day after a busy one had been a
        # drop past the threshold, exit code 8, in a daily trial)
        key = "listed" if self.ledger.kind == "full" else "listed_first_pages"
        before, now = previous.get(key, 0), summary[key]
        if before and now < before:
            share = (before - now) / before
            found.append(
                {
                    "what": (
                        "articles listed"
                        if key == "listed"
                        else "articles on the columns' first list pages"
                    ),
                    "before": before,
                    "now": now,
                    "past_threshold": share > listed_drop,
                }
            )
        # Shares are measured against the last run that had any: a repeat run with nothing
        # new parsed no page and has none (its 0.0 would make the next one a rise).
        store, kind = self.ledger.store, self.ledger.history_kind(site)
        parsed = store.previous_run(site, kind, lambda run: bool(run.get("families")))
        for label, key in (("generic family share", "generic"),):
            if parsed is None or not summary["families"]:
                break
            b, n = _share(parsed["families"], key), _share(summary["families"], key)
            if n > b:
                found.append(
                    {
                        "what": label,
                        "before": b,
                        "now": n,
                        "past_threshold": n - b
                        > self.settings.getfloat("METINFO_DRIFT_GENERIC_RISE"),
                    }
                )
        items = store.previous_run(site, kind, lambda run: _item_count(run) > 0)
        b = _missing_share(items) if items is not None else 0.0
        n = _missing_share(summary)
        if items is not None and _missing(summary) >= MISSING_FIELDS_MIN and n > b:
            found.append(
                {
                    "what": "items missing a field",
                    "before": b,
                    "now": n,
                    "past_threshold": n - b > self.settings.getfloat("METINFO_DRIFT_MISSING_RISE"),
                }
            )
        for d in found:
            logger.warning(
                "drift: %s %s -> %s%s",
                d["what"],
                d["before"],
                d["now"],
                " (past threshold)" if d["past_threshold"] else "",
            )
        return found

    def write_summary(self, summary: dict[str, Any], outputs: list[Path] | None = None) -> bool:
        """Write ``<output>.summary.json`` beside each local output (``outputs``, default
        the run's; atomically); False when one could not be written (logged)."""
        written = True
        for output in self.outputs if outputs is None else outputs:
            target = output.with_name(output.name + ".summary.json")
            tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
            try:
                tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
                os.replace(tmp, target)
            except OSError as exc:
                logger.error("summary not written to %s: %s", target, exc)
                tmp.unlink(missing_ok=True)
                written = False
        return written


def _share(families: dict[str, int], name: str) -> float:
    total = sum(families.values())
    return families.get(name, 0) / total if total else 0.0


def _missing(summary: dict[str, Any]) -> int:
    return sum(v for k, v in summary.get("dropped", {}).items() if k.startswith("missing_"))


def _item_count(summary: dict[str, Any]) -> int:
    """Articles a run read: dropped for a missing field or for want of text (pictures or
    files only), exported or unchanged."""
    no_text = summary.get("dropped", {}).get("no_text", 0)
    return _missing(summary) + no_text + summary.get("exported", 0) + summary.get("unchanged", 0)


def _missing_share(summary: dict[str, Any]) -> float:
    total = _item_count(summary)
    return _missing(summary) / total if total else 0.0
