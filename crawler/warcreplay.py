"""Answer a crawl's requests from WARC files with no network: offline re-extraction (issue 5).

``scrapy reextract FILE.warc.gz ... -O out.jsonl`` (``crawler/commands/reextract.py``) runs the
same spider, middlewares and pipelines as a live crawl; :class:`WarcReplayMiddleware`, last
before the download handlers, answers every request from the archive and
:class:`NoNetworkDownloadHandler` refuses anything that would still reach the network.

- A request gets the response recorded for its URL (the exact URL first, then the canonical
  form of :func:`crawler.replay.canonical_target` on the same host).  When a URL was recorded
  several times (a retried 503, then a 200), the recordings are served in recorded order and
  the last one repeats, so retries replay as they happened.
- Payloads are served as stored: a body recorded with its ``Content-Encoding`` (how
  ``crawler.warc`` stores them) is decoded by Scrapy's compression middleware exactly as in the
  live crawl; recorded redirects are followed by the redirect middleware.  A chunked payload
  (other recorders keep the framing) is de-chunked and its coding headers dropped.
- Responses are released in the order they were recorded when the archive was written by
  this crawler (its warcinfo names the spider): a request whose recording comes later waits
  until the earlier ones were served, so callbacks, and the duplicate the dedupe pipeline
  keeps, run in the live crawl's order.  A recording that is never asked for is skipped
  once the crawl has nothing else to do (the scheduler is empty and no response is being
  processed), or after :data:`STALL_SECONDS` without progress.  Other archives (another
  recorder, several crawls mixed) are served as requests come.
- A URL that is not in the archive gets a 404 with an empty page, counted
  ``metinfo/reextract/not_archived`` and listed (first 50) in
  ``metinfo/reextract/not_archived_urls``.
- The recorded ``WARC-Date`` of each response goes to :func:`crawler.warc.fetch_times` and
  ``request.meta["metinfo_fetched_at"]``, so ``fetched_at`` matches the live crawl's.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.timeutils import iso_date_to_datetime

from crawler.replay import canonical_target
from crawler.site import home_lang, site_root
from crawler.warc import FETCHED_AT_META, fetch_times

logger = logging.getLogger(__name__)

# URLs not in the archive named in the stats (the count is always complete).
MAX_LISTED = 50
# The flag of the 404 that stands in for a URL the archive lacks: no answer of the site
# (a re-extraction that asked for it did not read what it was given; not an article the
# site says is gone).
NOT_ARCHIVED = "not archived"
_NOT_ARCHIVED_BODY = b""
# warcinfo fields written by crawler.warc that re-extraction reads back.
SPIDER_ARGS_FIELD = "metinfo-spider-args"
SETTINGS_FIELD = "metinfo-settings"
CRAWL_ID_FIELD = "metinfo-crawl-id"
# Tick of the ordered release, and how long it waits for a recording nobody asks for.
TICK_SECONDS = 0.02
QUIET_TICKS = 3
STALL_SECONDS = 2.0


@dataclass(frozen=True)
class Capture:
    """One recorded response, ready to be served to Scrapy."""

    url: str
    status: int
    protocol: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    date: datetime
    index: int = -1  # position in recorded order, set by WarcSource


def _target_uri(record: Any) -> str | None:
    # Some writers wrap WARC-Target-URI in angle brackets (a WARC/1.0 grammar slip).
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    return uri if urlsplit(uri).scheme in ("http", "https") else None


def _key(url: str) -> str | None:
    """Host plus canonical path and query of ``url`` (None when it cannot be parsed)."""
    parts = urlsplit(url)
    target = canonical_target((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    if target is None:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{target}"


def _capture(record: Any, uri: str) -> Capture:
    http = record.http_headers
    headers = [(str(k), str(v)) for k, v in http.headers]
    coding = (http.get_header("Transfer-Encoding") or "").lower()
    if "chunked" in coding:
        # Another recorder kept the chunked framing: warcio undoes it (and any content
        # coding it can decode); the headers are made to match the bytes served.
        encoding = (http.get_header("Content-Encoding") or "").lower()
        decoded = encoding in BufferedReader.get_supported_decompressors()
        drop = {"transfer-encoding", "content-length"} | (
            {"content-encoding"} if decoded else set()
        )
        headers = [(k, v) for k, v in headers if k.lower() not in drop]
        body = record.content_stream().read()
    else:
        body = record.raw_stream.read()
    date = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date") or "")
    return Capture(
        url=uri,
        status=int(http.get_statuscode()),
        protocol=str(http.protocol or "HTTP/1.1"),
        headers=tuple(headers),
        body=body,
        date=date.replace(tzinfo=timezone.utc),
    )


def iter_records(paths: Iterable[Path]) -> Iterator[tuple[str, Any]]:
    """``(kind, record)`` of every record in ``paths``, in order; ``kind`` is the WARC-Type."""
    for path in paths:
        with Path(path).open("rb") as stream:
            for record in ArchiveIterator(stream):
                yield str(record.rec_type), record


def read_warcinfo(paths: Iterable[Path]) -> dict[str, str]:
    """The fields of the first warcinfo record written by this crawler (one that names the
    spider's arguments), else of the first warcinfo record; empty when there is none.
    Only the leading warcinfo records of each file are read."""
    first: dict[str, str] = {}
    for path in paths:
        with Path(path).open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "warcinfo":
                    break
                fields: dict[str, str] = {}
                for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
                    name, sep, value = line.partition(":")
                    if sep:
                        fields[name.strip()] = value.strip()
                if SPIDER_ARGS_FIELD in fields:
                    return fields
                first = first or fields
    return first


def recorded_spider_args(info: dict[str, str]) -> dict[str, str]:
    """The spider arguments a warcinfo record names (``url``, ``lang``, ``tz``, ...)."""
    try:
        args = json.loads(info.get(SPIDER_ARGS_FIELD) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in args.items() if v} if isinstance(args, dict) else {}


def recorded_settings(info: dict[str, str]) -> dict[str, Any]:
    """The settings a warcinfo record names (``ROBOTSTXT_OBEY``, ``METINFO_TIMEZONE``, ...)."""
    try:
        values = json.loads(info.get(SETTINGS_FIELD) or "{}")
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def first_home(paths: Iterable[Path]) -> str | None:
    """The URL of the first recorded 200 HTML response that is a site's home page."""
    for kind, record in iter_records(paths):
        if kind != "response" or record.http_headers is None:
            continue
        uri = _target_uri(record)
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if (
            uri
            and record.http_headers.get_statuscode() == "200"
            and "html" in content_type
            and home_lang(uri, site_root(uri)) is not False
        ):
            return uri
    return None


class WarcSource:
    """Recorded responses by URL, served in recorded order (see the module doc)."""

    def __init__(self, captures: Iterable[Capture], *, ordered: bool = False) -> None:
        by_date = sorted(captures, key=lambda c: c.date)  # stable: file order breaks ties
        ordered_captures = [replace(c, index=i) for i, c in enumerate(by_date)]
        #: True when the archive was written by this crawler: release in recorded order.
        self.ordered = ordered
        self._exact: dict[str, list[Capture]] = defaultdict(list)
        self._canonical: dict[str, list[Capture]] = defaultdict(list)
        for capture in ordered_captures:
            self._exact[capture.url].append(capture)
            key = _key(capture.url)
            if key is not None:
                self._canonical[key].append(capture)
        self._served: dict[int, int] = defaultdict(int)
        self.captures = len(ordered_captures)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> WarcSource:
        """Read the ``response`` records of ``paths`` (``.warc.gz`` or ``.warc``).

        Raises ``OSError`` for a missing file and ``warcio.exceptions.ArchiveLoadFailed``
        for a file that is not a WARC.
        """
        captures = []
        crawls: set[str] = set()
        for kind, record in iter_records(paths):
            if kind == "warcinfo":
                text = record.content_stream().read().decode("utf-8", "replace")
                for line in text.splitlines():
                    name, _, value = line.partition(":")
                    if name == CRAWL_ID_FIELD:
                        crawls.add(value.strip())
            if kind != "response" or record.http_headers is None:
                continue
            uri = _target_uri(record)
            if uri is not None:
                captures.append(_capture(record, uri))
        # Recorded order means something only within one crawl of this crawler.
        return cls(captures, ordered=len(crawls) == 1)

    def answer(self, url: str) -> Capture | None:
        """The next recording of ``url`` (the last one again once all were served)."""
        found = self._exact.get(url)
        if not found:
            key = _key(url)
            found = self._canonical.get(key) if key is not None else None
        if not found:
            return None
        turn = self._served[id(found)]
        self._served[id(found)] = turn + 1
        return found[min(turn, len(found) - 1)]


class OrderedRelease:
    """Lets responses go in recorded order (see the module doc).

    :meth:`wait` returns None when the recording at ``index`` may be served now, else a
    Deferred that fires when it may.  ``quiet`` tells whether the crawl has nothing else to
    do; a gap in the order is skipped after :data:`QUIET_TICKS` quiet ticks without
    progress, or :data:`STALL_SECONDS` without progress whatever the crawl does.
    """

    def __init__(self, quiet: Callable[[], bool]) -> None:
        self.quiet = quiet
        self.next = 0  # every index below was served or skipped
        self.done: set[int] = set()  # indices at or above `next` already served
        self.held: dict[int, list[Deferred[None]]] = {}
        self.skipped = 0
        self._progress = True
        self._quiet_ticks = 0
        self._still_ticks = 0
        self._loop: task.LoopingCall | None = None

    def wait(self, index: int) -> Deferred[None] | None:
        self._progress = True
        if index < self.next or index in self.done:
            return None  # a repeat, or a gap already skipped
        if index == self.next:
            self.done.add(index)
            self._advance()
            return None
        waiter: Deferred[None] = Deferred()
        self.held.setdefault(index, []).append(waiter)
        if self._loop is None or not self._loop.running:
            self._loop = task.LoopingCall(self._tick)
            self._loop.start(TICK_SECONDS, now=False)
        return waiter

    def _advance(self) -> None:
        while True:
            while self.next in self.done:
                self.done.discard(self.next)
                self.next += 1
            waiters = self.held.pop(self.next, None)
            if waiters is None:
                return
            self.done.add(self.next)
            for waiter in waiters:
                waiter.callback(None)

    def _tick(self) -> None:
        if not self.held:
            self.stop()
            return
        if self._progress:
            self._progress = False
            self._quiet_ticks = self._still_ticks = 0
            return
        self._still_ticks += 1
        self._quiet_ticks = self._quiet_ticks + 1 if self.quiet() else 0
        if self._quiet_ticks >= QUIET_TICKS or self._still_ticks * TICK_SECONDS >= STALL_SECONDS:
            first = min(self.held)
            self.skipped += first - self.next - len([i for i in self.done if i < first])
            self.done.update(range(self.next, first))
            self._quiet_ticks = self._still_ticks = 0
            self._progress = True
            self._advance()

    def stop(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()


class WarcReplayMiddleware:
    """Downloader middleware of ``scrapy reextract``: every request is answered from the
    WARC files in ``METINFO_REEXTRACT_FROM`` (off when that is empty)."""

    def __init__(self, crawler: Any, source: WarcSource) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.source = source
        self.order = OrderedRelease(self._crawl_is_quiet) if source.ordered else None

    def _crawl_is_quiet(self) -> bool:
        """True when no response is being processed and nothing waits in the scheduler
        (or the downloader is full of held requests): no new request can come."""
        engine = getattr(self.crawler, "engine", None)
        if engine is None:
            return True
        scraper_slot = getattr(engine.scraper, "slot", None)
        if scraper_slot is not None and not scraper_slot.is_idle():
            return False
        slot = getattr(engine, "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        pending = scheduler is not None and scheduler.has_pending_requests()
        return not pending or engine.downloader.needs_backout()

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcReplayMiddleware:
        paths = crawler.settings.getlist("METINFO_REEXTRACT_FROM")
        if not paths:
            raise NotConfigured  # no message: Scrapy would log a warning for every crawl
        source = WarcSource.load(Path(p) for p in paths)
        logger.info(
            "re-extracting from %d recorded responses in %d file(s)", source.captures, len(paths)
        )
        middleware = cls(crawler, source)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request: Request) -> Response:
        """The recorded response for ``request`` (in recorded order when the archive is
        this crawler's), or a 404 when the archive lacks it."""
        capture = self.source.answer(request.url)
        if capture is not None and self.order is not None:
            waiter = self.order.wait(capture.index)
            if waiter is not None:
                await maybe_deferred_to_future(waiter)
        if capture is None:
            self.stats.inc_value("metinfo/reextract/not_archived")
            listed = self.stats.get_value("metinfo/reextract/not_archived_urls") or []
            if len(listed) < MAX_LISTED:
                self.stats.set_value("metinfo/reextract/not_archived_urls", [*listed, request.url])
            logger.debug("not in the archive (404): %s", request.url)
            headers = Headers({"Content-Type": "text/html; charset=utf-8"})
            respcls = responsetypes.from_args(headers=headers, url=request.url)
            return respcls(
                url=request.url,
                status=404,
                headers=headers,
                body=_NOT_ARCHIVED_BODY,
                request=request,
                flags=[NOT_ARCHIVED],
            )
        self.stats.inc_value("metinfo/reextract/answered")
        fetch_times(self.crawler)[request.url] = capture.date
        request.meta[FETCHED_AT_META] = capture.date
        headers = Headers()
        for name, value in capture.headers:
            headers.appendlist(name, value)
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=capture.body)
        return respcls(
            url=request.url,
            status=capture.status,
            headers=headers,
            body=capture.body,
            request=request,
            protocol=capture.protocol,
        )

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.order is not None:
            self.order.stop()
            if self.order.skipped:
                self.stats.set_value("metinfo/reextract/skipped_in_order", self.order.skipped)
        missing = self.stats.get_value("metinfo/reextract/not_archived", 0)
        logger.info(
            "re-extraction: %d requests answered from the archive, %d not in it (404)%s",
            self.stats.get_value("metinfo/reextract/answered", 0),
            missing,
            ": " + ", ".join(self.stats.get_value("metinfo/reextract/not_archived_urls") or [])
            if missing
            else "",
        )


class NoNetworkDownloadHandler:
    """Download handler for http(s) during re-extraction: refuses every request, so that
    nothing reaches the network even if a middleware let a request through."""

    lazy = False

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NoNetworkDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> NoReturn:
        raise IgnoreRequest(f"offline re-extraction: no network for {request.url}")

    async def close(self) -> None:
        return None
