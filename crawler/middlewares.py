"""Downloader middlewares: URLs never to fetch, firewall pages, wrong charsets, robots, retries."""

from __future__ import annotations

import codecs
import logging
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet import error as twisted_error
from twisted.internet.task import deferLater
from twisted.web.client import ResponseNeverReceived

from crawler.site import (
    HOST_ALIASES,
    forbidden_reason,
    home_lang,
    parse_article_url,
    site_key,
    site_root,
)

logger = logging.getLogger(__name__)

# Failures that mean no connection at all: refused, no such host (Scrapy 2.13+ names, and
# Twisted's for the releases and handlers that raise those).
NO_CONNECTION_ERRORS = (
    DownloadConnectionRefusedError,
    CannotResolveHostError,
    twisted_error.ConnectError,
    twisted_error.DNSLookupError,
)


def no_connection(exc: BaseException) -> bool:
    """True for a failure that got no connection (:data:`NO_CONNECTION_ERRORS`) or a
    connection the host closed without a byte of answer (Twisted's
    ``ResponseNeverReceived``, which Scrapy 2.13+ raises as ``DownloadFailedError``): a
    site gone, or a dead backend behind its proxy.  A body cut short is an answer (a
    whole-site trial of a multi-site cron job: a host that closed every connection ended
    the run with exit code 0 and half its articles lost)."""
    if isinstance(exc, NO_CONNECTION_ERRORS):
        return True
    cause = exc.__cause__ if isinstance(exc, DownloadFailedError) else exc
    return isinstance(cause, ResponseNeverReceived)


# The shortest outage that pauses a site (SiteGoneMiddleware): a server that restarts comes
# back within seconds, and a fast crawl makes ten attempts in less than one.
UNREACHABLE_MIN_SECONDS = 15.0
# Failures that mean the host took the connection or the request and never answered.
TIMEOUT_ERRORS = (DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError)


class ForbiddenUrlMiddleware:
    """Drop requests for hit counters, member, admin, search and visual-editor URLs.

    Fetching ``hits/?…`` or ``include/hits.php`` increments the site's counter (guide §2.1);
    the others are not content (guide §5).  Each refusal is counted as
    ``metinfo/forbidden/<reason>``; robots.txt requests are always let through.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ForbiddenUrlMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        """Raise ``IgnoreRequest`` for a forbidden URL; let everything else pass."""
        if request.url.endswith("/robots.txt"):
            return
        reason = forbidden_reason(request.url)
        if reason:
            self.stats.inc_value(f"metinfo/forbidden/{reason}")
            raise IgnoreRequest(f"never requested ({reason}): {request.url}")


class OtherModuleMiddleware:
    """Drop an article request whose folder was found to hold another module's pages
    after the request was queued (the spider's ``passed_over``): a sitemap names a
    product module's pages beside the news, all queued at once, and the first two
    answers say what the folder is (guide §1.1: a folder is one column of one module).
    Counted as ``metinfo/articles/other_module_skipped``."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OtherModuleMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Raise ``IgnoreRequest`` for such a request; let everything else pass."""
        passed_over = getattr(self.crawler.spider, "passed_over", None)
        if passed_over is not None and passed_over(request):
            self.crawler.stats.inc_value("metinfo/articles/other_module_skipped")
            raise IgnoreRequest(f"never requested (another module's folder): {request.url}")


class OffsiteRedirectMiddleware:
    """Drop a redirect that leaves the site: an article MetInfo's 外部链接 setting sends to
    another host (``shownews.php?id=40`` answering 302 to www.gov.cn) is no article of the
    site, and another host's robots.txt, timeouts and pages are none of the crawl's.

    A redirected request (``redirect_urls`` in its meta) is let through when its host is
    the first request's in any of the site's forms (``www.``/``m.``/``wap.``, another scheme
    or port), a host the site declares for itself (:data:`crawler.site.HOST_ALIASES`), the
    host of a site of this crawl (a language bound to its own domain), or when it leads to
    a MetInfo page by the URL grammar (a site moved to a new domain), unless it is an
    article of a site whose list pages were read on its own host; otherwise it raises
    ``IgnoreRequest("never requested (offsite redirect) ...")``, counted as
    ``metinfo/redirect/offsite``: a refusal on purpose, no failure of the run.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain:
            return
        host = _host(request.url)
        if host == _host(chain[0]) or host in self._crawl_hosts():
            return
        if _metinfo_page(request.url) and not self._read_here(request):
            return
        self.crawler.stats.inc_value("metinfo/redirect/offsite")
        raise IgnoreRequest(f"never requested (offsite redirect from {chain[0]}): {request.url}")

    def _read_here(self, request: Request) -> bool:
        """True for an article request of a site whose list pages this run has read on its
        own host: the site did not move, so an article sent to another host, MetInfo's page
        or not, is a 外部链接 (a whole-site trial: two such articles were followed to another
        install, whose robots.txt was asked six times)."""
        spider = getattr(self.crawler, "spider", None)
        state = getattr(spider, "state", None)
        if state is None or request.callback != getattr(spider, "parse_article", None):
            return False
        site = state.sites.get(request.meta.get("metinfo_root", ""))
        return site is not None and site.lists_read > 0

    def _crawl_hosts(self) -> set[str]:
        hosts = {_host(f"{scheme}://{netloc}/") for scheme, netloc in HOST_ALIASES.values()}
        hosts.update(_host(f"http://{netloc}/") for netloc in HOST_ALIASES)
        state = getattr(getattr(self.crawler, "spider", None), "state", None)
        if state is not None:
            hosts.update(_host(root) for root in state.sites)
        return hosts


def _host(url: str) -> str:
    """The host as :func:`crawler.site.site_key` compares it (``www.``/``m.``/``wap.``, the
    scheme and the port ignored: a site's other port is the site's)."""
    return site_key(url).split("/", 1)[0].split(":", 1)[0]


def _metinfo_page(url: str) -> bool:
    """True when ``url`` reads as a MetInfo article or home page by the URL grammar (guide
    §1.2): a site that moved to another domain, whose pages keep their URLs, is followed
    there; a government page or a WeChat post an article links to is not (the static list
    grammar, ``F/{F}_C_P.html``, would take ``content_1.htm`` for one: not asked)."""
    root = site_root(url)
    return parse_article_url(url, root) is not None or home_lang(url, root) is not False


# --- Blocked pages (issue 7) -----------------------------------------------------------------
# Words of hosting-panel firewalls and JS challenges that Chinese shared hosts put in front of
# sites (guide §5: 宝塔, 云锁, 安全狗, cloud WAFs, 创宇盾), and of generic bot challenges.
CHALLENGE_RE = re.compile(
    r"网站防火墙|防火墙拦截|安全狗|云锁|宝塔|创宇盾|知道创宇|加速乐|__jsl_clearance|"
    r"访问被拦截|您的访问请求可能对网站造成安全威胁|请求已被拦截|人机验证|滑动验证|"
    r"请开启JavaScript|请启用JavaScript|checking your browser|enable javascript and cookies|"
    r"cf-chl|challenge-platform|just a moment\.\.\.|access denied|request blocked|waf",
    re.IGNORECASE,
)
# What a real MetInfo page always has (guide §4): the generator meta or MetInfo's classes.
METINFO_MARK_RE = re.compile(
    rb"name=[\"']generator[\"'][^>]*MetInfo|met-(?:editor|shownews|news|head|foot)|"
    rb"powered_by_metinfo|met_editor|metinfo",
    re.IGNORECASE,
)
# Statuses a firewall answers with; 200 included (challenge pages often say 200).
CHALLENGE_STATUSES = frozenset({200, 202, 403, 405, 429, 503})


def is_challenge(status: int, body: bytes) -> bool:
    """True for a firewall or bot-challenge page: no MetInfo marks and challenge words.

    Only the first 64 KiB are read; a page that carries MetInfo's marks is never a
    challenge, so an article that merely mentions 防火墙 is safe.
    """
    if status not in CHALLENGE_STATUSES:
        return False
    head = body[:65536]
    if METINFO_MARK_RE.search(head):
        return False
    return bool(CHALLENGE_RE.search(head.decode("utf-8", "replace")))


# How the refusal of a page answered by a firewall or challenge begins (the spider names
# such article pages for the next run to ask again).
BLOCKED_MESSAGE = "blocked by a firewall or challenge page"


class BlockedPageMiddleware:
    """Drop firewall and anti-bot pages before any callback sees them; pause a site that
    answers with them too often in a row.

    Each such page is counted as ``metinfo/blocked`` (and per status) and raises
    ``IgnoreRequest``: it is never parsed, exported or recorded in the state store.  After
    ``METINFO_MAX_BLOCKED_IN_ROW`` blocked answers in a row from one host, every further
    request to that host is dropped for the rest of the run (``metinfo/blocked/paused``),
    with one log line, and the run ends with exit code 10.
    """

    def __init__(self, stats: Any, limit: int) -> None:
        self.stats = stats
        self.limit = limit
        self.in_row: dict[str, int] = {}
        self.paused: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlockedPageMiddleware:
        return cls(crawler.stats, crawler.settings.getint("METINFO_MAX_BLOCKED_IN_ROW"))

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        if host in self.paused:
            self.stats.inc_value("metinfo/blocked/skipped_paused")
            raise IgnoreRequest(f"site paused after blocked answers: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        host = urlsplit(request.url).netloc
        if request.url.endswith("/robots.txt") or not is_challenge(response.status, response.body):
            self.in_row[host] = 0
            return response
        self.stats.inc_value("metinfo/blocked")
        self.stats.inc_value(f"metinfo/blocked/status/{response.status}")
        self.in_row[host] = self.in_row.get(host, 0) + 1
        if self.limit > 0 and self.in_row[host] >= self.limit and host not in self.paused:
            self.paused.add(host)
            self.stats.set_value("metinfo/blocked/paused", len(self.paused))
            logger.error(
                "site %s paused for this run: %d blocked (firewall or challenge) answers in a row",
                host,
                self.in_row[host],
            )
        raise IgnoreRequest(f"{BLOCKED_MESSAGE}: {request.url}")


class SiteGoneMiddleware:
    """Pause a site that stopped answering: once ``METINFO_MAX_UNREACHABLE_IN_ROW``
    attempts in a row to one host got no connection or timed out, over at least
    :data:`UNREACHABLE_MIN_SECONDS`, every further request to that host is dropped for the
    rest of the run (``metinfo/unreachable/paused``, ``metinfo/unreachable/skipped``), with
    one log line, and the run ends with exit code 6 (the site went away: the previous
    output is kept).  Any answer from the host, an error status included, starts the count
    again; 0 turns the pause off.  Every attempt counts, retries too: this middleware sits
    between the downloader and the retry middleware.

    Without it a site that went away mid-run was asked for every queued page three times
    (retries go to the back of the queue) at the crawl's delay: about two minutes for a
    60-article site, far longer for a big one.
    """

    def __init__(self, stats: Any, limit: int) -> None:
        self.stats = stats
        self.limit = limit
        # host -> (failed attempts in a row, monotonic time of the first of them)
        self.in_row: dict[str, tuple[int, float]] = {}
        self.paused: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteGoneMiddleware:
        return cls(crawler.stats, crawler.settings.getint("METINFO_MAX_UNREACHABLE_IN_ROW"))

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).netloc
        if host in self.paused:
            self.stats.inc_value("metinfo/unreachable/skipped")
            raise IgnoreRequest(f"site paused after it stopped answering: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        self.in_row.pop(urlparse_cached(request).netloc, None)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not (no_connection(exception) or isinstance(exception, TIMEOUT_ERRORS)):
            return
        host = urlparse_cached(request).netloc
        now = time.monotonic()
        count, since = self.in_row.get(host, (0, now))
        self.in_row[host] = (count := count + 1, since)
        if (
            self.limit > 0
            and count >= self.limit
            and now - since >= UNREACHABLE_MIN_SECONDS
            and host not in self.paused
        ):
            self.paused.add(host)
            self.stats.set_value("metinfo/unreachable/paused", len(self.paused))
            logger.error(
                "site %s paused for this run: %d attempts in a row over %.0f s got no"
                " connection or timed out (METINFO_MAX_UNREACHABLE_IN_ROW); its other pages"
                " are not asked for",
                host,
                count,
                now - since,
            )


# --- Encodings (issue 7) --------------------------------------------------------------------
# Encodings tried, in order, when the declared one gives replacement characters: Chinese
# hosts mislabel GBK pages as UTF-8 and the reverse (guide §5 "Encoding").
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")
LEGACY_CJK = frozenset({"gbk", "gb2312", "gb18030", "big5", "cp936", "big5hkscs", "cp950"})


def guess_encodings(body: bytes) -> list[str]:
    """Candidate encodings for a mislabelled body, most likely first.

    ``charset_normalizer`` ranks the candidates of :data:`FALLBACK_ENCODINGS` by how
    plausible the decoded text is (GB18030 decodes most Big5 bytes too, as garbage, so a
    strict decode alone cannot choose); its pick comes first, then the rest in order.
    """
    import charset_normalizer

    best = charset_normalizer.from_bytes(
        body, cp_isolation=list(FALLBACK_ENCODINGS), preemptive_behaviour=False
    ).best()
    first = [best.encoding] if best is not None else []
    return first + [e for e in FALLBACK_ENCODINGS if e not in first]


def _is_utf8(body: bytes) -> bool:
    """True when ``body`` has non-ASCII bytes and all of it is valid UTF-8."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class EncodingRepairMiddleware:
    """Re-decode a text response whose declared charset does not fit its bytes.

    A body labelled GBK/Big5 that is valid UTF-8 is read as UTF-8.  When the text Scrapy
    decoded (header, BOM, meta, in w3lib's order) holds U+FFFD, the candidates of
    :func:`guess_encodings` are tried strictly and the first that decodes the whole body
    wins (``metinfo/encoding/repaired``).  When none does, the response is marked
    ``metinfo_undecodable`` and the spider drops it as ``undecodable`` instead of exporting
    garbage.  XML responses pass untouched.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> EncodingRepairMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        # XML (sitemaps) is read from its bytes by an XML parser that honours the XML
        # declaration; decoding it here would keep a second copy of a sitemap that names
        # every article of a large site (10 MB at 100,000) for as long as it is read.
        if not isinstance(response, TextResponse) or isinstance(response, XmlResponse):
            return response
        if response.encoding.lower().replace("-", "") in LEGACY_CJK and _is_utf8(response.body):
            # Valid multi-byte UTF-8 is practically never GBK/Big5 text: the label is wrong,
            # and decoding it as labelled would give mojibake without any U+FFFD.
            self.stats.inc_value("metinfo/encoding/repaired")
            return response.replace(encoding="utf-8")
        if "\ufffd" not in response.text:
            return response
        if "dataloss" in response.flags and (whole := _without_cut_character(response)):
            # a body cut short in transfer may end inside a multi-byte character
            return whole
        if response.encoding.lower().replace("-", "") in ("cp1252", "windows1252"):
            # the five bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) are
            # invisible controls to a browser (WHATWG Encoding), a stray one from a
            # double-encoded quote: dropped, not the page (a whole-site trial of encodings)
            text = response.body.translate(None, CP1252_UNDEFINED).decode("cp1252", "replace")
            if "\ufffd" not in text:
                self.stats.inc_value("metinfo/encoding/repaired")
                return response.replace(body=text.encode("utf-8"), encoding="utf-8")
        if _few_undecodable(response.text):
            # a character or two the declared encoding lacks (an HKSCS-2008 character in a
            # Big5 page, which Python's big5hkscs does not map), shown as U+FFFD as a
            # browser shows an unknown one: re-reading the whole page in an encoding that
            # takes every byte (GB18030) had made a traditional Chinese site garbage
            self.stats.inc_value("metinfo/encoding/few_undecodable")
            if response.encoding.lower().replace("-", "") in LEGACY_CJK:
                # one U+FFFD for the two bytes of such a character, so that the next one
                # is read from its own first byte
                text = response.body.decode(response.encoding, DOUBLE_BYTE_ERRORS)
                return response.replace(body=text.encode("utf-8"), encoding="utf-8")
            return response
        body = response.body
        if body.startswith(b"\xef\xbb\xbf"):
            body = body[3:]
        for encoding in guess_encodings(body):
            try:
                text = body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            if "\ufffd" not in text:
                self.stats.inc_value("metinfo/encoding/repaired")
                return response.replace(body=body, encoding=encoding)
        self.stats.inc_value("metinfo/encoding/undecodable")
        request.meta["metinfo_undecodable"] = True
        return response


# Bytes Windows-1252 leaves undefined (WHATWG maps them to C1 controls, never shown).
CP1252_UNDEFINED = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])
# At most this many U+FFFD in a decoded page, and one in twenty of its non-ASCII
# characters, are characters its encoding lacks, not a wrong encoding (a page in another
# encoding decodes to little else: GBK read as UTF-8 is mostly U+FFFD).
FEW_UNDECODABLE = 16


def _replace_double_byte(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler for double-byte CJK encodings: an unknown character whose
    lead byte (0x81-0xFE) is followed by a trail byte (0x40-0xFE, as Big5 and GBK use them)
    becomes one U+FFFD for both bytes, as WHATWG's decoders do; anything else one U+FFFD
    for its byte.  (Python's own "replace" skips the lead byte only, and the trail byte
    then starts a wrong character: 龗山 read as �中s.)"""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    data, at = exc.object, exc.start
    if 0x81 <= data[at] <= 0xFE and at + 1 < len(data) and 0x40 <= data[at + 1] <= 0xFE:
        return "\ufffd", at + 2
    return "\ufffd", at + 1


DOUBLE_BYTE_ERRORS = "metinfo-double-byte"
codecs.register_error(DOUBLE_BYTE_ERRORS, _replace_double_byte)


def _few_undecodable(text: str) -> bool:
    """True when ``text`` holds a few U+FFFD among many other non-ASCII characters: a
    page in the right encoding that uses a character or two beyond it (see
    :data:`FEW_UNDECODABLE`)."""
    bad = text.count("\ufffd")
    if not bad or bad > FEW_UNDECODABLE:
        return False
    other = sum(1 for ch in text if ord(ch) > 127) - bad
    return bad * 20 <= other


def _without_cut_character(response: TextResponse) -> TextResponse | None:
    """A response cut short in transfer (Scrapy's ``dataloss`` flag) without the bytes of
    the one character the cut split (at most 3 in UTF-8, GBK or Big5), when the rest then
    decodes in its own encoding; None when it still does not."""
    for cut in (1, 2, 3):
        body = response.body[:-cut]
        try:
            body.decode(response.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return response.replace(body=body, encoding=response.encoding)
    return None


# --- robots.txt by RFC 9309 (issue 7) -------------------------------------------------------
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
# Fetches of a robots.txt that timed out, after the first (METINFO_ROBOTS_RETRIES is for
# one that answers 5xx or refuses the connection: a server restarting).
ROBOTS_TIMEOUT_RETRIES = 1


def is_robots_request(request: Request) -> bool:
    """True for the robots.txt request that Scrapy's robots middleware makes itself (its
    meta says not to obey robots.txt for it)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


def _drop_robots_download_error(record: logging.LogRecord) -> bool:
    """False for Scrapy's "Error downloading" record of a robots.txt that did not answer:
    it carries a whole traceback, and :meth:`RobotsPolicyMiddleware._unreachable` says the
    same in one line."""
    return not str(record.msg).startswith("Error downloading")


def _quiet_robots_download_errors() -> None:
    """Install :func:`_drop_robots_download_error` on Scrapy's robots.txt logger (once)."""
    robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if _drop_robots_download_error not in robots_logger.filters:
        robots_logger.addFilter(_drop_robots_download_error)


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's error rules and ``Crawl-delay``.

    - 4xx (robots.txt "unavailable"): everything is allowed (RFC 9309 §2.3.1.3).
    - 5xx or no answer ("unreachable"): everything is disallowed (§2.3.1.4) until robots.txt
      answers again; it is fetched again after 1, 2, 4 ... seconds (at most
      ``METINFO_ROBOTS_RETRIES`` times, once when it timed out), so a site whose robots.txt
      recovers is crawled.  This schedule is its only retry: :class:`RetryAfterMiddleware`
      leaves robots.txt requests alone.
      Scrapy's own middleware allows everything in both cases.
    - ``Crawl-delay`` for our user agent becomes the minimum delay of the host's download
      slot, and AutoThrottle does not lower it (``metinfo/robots/crawl_delay``).
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        _quiet_robots_download_errors()
        self._retry_at: dict[str, float] = {}
        self._attempts: dict[str, int] = {}
        self._max_attempts = crawler.settings.getint("METINFO_ROBOTS_RETRIES")
        self._delays: dict[str, float] = {}

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        while True:
            # While robots.txt is unreachable and retries remain, requests wait for the
            # next attempt instead of being refused (RFC 9309 §2.3.1.4: crawl once it
            # answers).  Attempts are bounded, so this loop ends.
            retry_at = self._retry_at.get(netloc)
            if retry_at is not None:
                wait = retry_at - time.monotonic()
                if wait > 0:
                    await maybe_deferred_to_future(deferLater(reactor_module(), wait, _nothing))
                    continue
                del self._retry_at[netloc]
                self._parsers.pop(netloc, None)  # fetch robots.txt again
            parser = await super().robot_parser(request)
            if netloc not in self._retry_at:
                break
        delay = self._delays.get(netloc)
        if delay:
            request.meta["autothrottle_dont_adjust_delay"] = True
            self._apply_delay(request, delay)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if 400 <= response.status < 500:
            response = response.replace(body=b"")
        elif response.status >= 500:
            self._unreachable(netloc, f"HTTP {response.status}")
            response = response.replace(body=DISALLOW_ALL)
        else:
            self._attempts.pop(netloc, None)
        await super()._parse_robots(response, netloc, request)
        parser = self._parsers.get(netloc)
        agent = self._robotstxt_useragent or self.crawler.settings.get("USER_AGENT")
        delay = parser.crawl_delay(agent) if parser is not None and response.status < 400 else None
        if delay:
            self._delays[netloc] = float(delay)
            self._stats.set_value("metinfo/robots/crawl_delay", float(delay))

    def process_request_2(self, rp: Any, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            netloc = urlparse_cached(request).netloc
            if netloc in self._attempts:
                # Not a rule of the site: its robots.txt did not answer (a failure).
                raise IgnoreRequest(f"robots.txt of {netloc} unreachable") from None
            raise

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        if isinstance(exc, IgnoreRequest):
            return
        self._unreachable(netloc, type(exc).__name__, timed_out=isinstance(exc, TIMEOUT_ERRORS))
        self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)

    def _unreachable(self, netloc: str, why: str, *, timed_out: bool = False) -> None:
        attempts = self._attempts.get(netloc, 0) + 1
        self._attempts[netloc] = attempts
        self._stats.inc_value("metinfo/robots/unreachable")
        # A robots.txt that timed out is tried once more, not on the whole schedule: each
        # attempt of a host that never answers costs DOWNLOAD_TIMEOUT (30 s), and five of
        # them held a dead site's run for minutes before it could fail.
        retries = (
            min(self._max_attempts, ROBOTS_TIMEOUT_RETRIES) if timed_out else self._max_attempts
        )
        if attempts <= retries:
            self._retry_at[netloc] = time.monotonic() + 2 ** (attempts - 1)
        logger.warning(
            "robots.txt of %s unreachable (%s): nothing is fetched from it until it answers%s",
            netloc,
            why,
            "" if attempts <= retries else " (no more retries)",
        )

    def _apply_delay(self, request: Request, delay: float) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        # Crawl-delay is a minimum: no random +-50% around it.  Scrapy 2.14+ calls that
        # "jitter"; earlier releases "randomize_delay".
        modern = hasattr(slot, "jitter") if slot is not None else _slots_have_jitter()
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            if modern:
                slot.jitter = 0.0
            else:
                slot.randomize_delay = False
        else:
            settings = downloader.per_slot_settings.setdefault(key, {})
            settings["delay"] = delay
            settings["jitter" if modern else "randomize_delay"] = 0.0 if modern else False


# --- Error pages answered with 200 ------------------------------------------------------------
# What a PHP host prints when it cannot serve the page for now: a busy notice, a database
# that refuses connections (MetInfo's own db class prints "Database error"), a gateway's
# error passed through with status 200.
SERVER_ERROR_RE = re.compile(
    r"系统繁忙|系統繁忙|服务器繁忙|伺服器繁忙|服务器忙|请稍后再试|請稍後再試|请稍候再试|请稍后重试|"
    r"数据库连接失败|数据库连接错误|连接数据库失败|数据库错误|資料庫錯誤|"
    r"database\s+error|too\s+many\s+connections|mysql\s+server\s+has\s+gone\s+away|"
    r"mysqli?_connect|can'?t\s+connect\s+to\s+(?:local\s+)?mysql|SQLSTATE\[|"
    r"service\s+(?:temporarily\s+)?unavailable|502\s+bad\s+gateway|504\s+gateway\s+time-?out|"
    r"internal\s+server\s+error",
    re.IGNORECASE,
)
# The most bytes such a page has: a whole site page that mentions 请稍后再试 is longer.
SERVER_ERROR_PAGE_BYTES = 6000


def is_server_error_page(body: bytes) -> bool:
    """True for a short page without MetInfo's marks that says the server cannot answer
    now (:data:`SERVER_ERROR_RE`: 系统繁忙，请稍后再试, Database error: Too many connections),
    which a host sends with status 200 (a whole-site trial of a flaky host: a list page so
    answered was read as an empty list, and six articles were lost)."""
    if len(body) > SERVER_ERROR_PAGE_BYTES or METINFO_MARK_RE.search(body):
        return False
    return bool(SERVER_ERROR_RE.search(body.decode("utf-8", "replace")))


# --- Retry-After (issue 7) ------------------------------------------------------------------
class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry middleware that waits as long as a 429/503 ``Retry-After`` asks.

    The wait (seconds or an HTTP date, capped at ``METINFO_MAX_RETRY_AFTER``) happens before
    the retry is returned, without blocking other requests.  robots.txt is not retried here
    (:class:`RobotsPolicyMiddleware` has its own schedule).  Without the header the retry
    goes at once, as in Scrapy.  A 200 answer that is a server's error page
    (:func:`is_server_error_page`) is retried like a 503 (``metinfo/retry/error_page``).
    A request that still fails is handed to the spider's errback, which lists it in the run
    summary.  The last attempt at an article whose answers were cut short
    (``ResponseDataLossError``) takes the cut answer (``download_fail_on_dataloss``), flagged
    ``dataloss``: :meth:`spiders.metinfo.MetinfoSpider.parse_article` keeps it when the cut
    falls after the text.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("METINFO_MAX_RETRY_AFTER")

    async def process_response(self, request: Request, response: Response) -> Any:  # type: ignore[override]
        if is_robots_request(request):
            return response  # RobotsPolicyMiddleware retries it on its own schedule
        if (
            response.status == 200
            and not request.meta.get("dont_retry", False)
            and is_server_error_page(response.body)
        ):
            self.crawler.stats.inc_value("metinfo/retry/error_page")
            retry = self._retry(request, "a server error page")
            if retry is None:
                raise IgnoreRequest(f"a server error page after retries: {request.url}")
            return retry
        result = super().process_response(request, response)
        if result is not response and response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get("Retry-After"), self.max_wait)
            if wait > 0:
                await maybe_deferred_to_future(deferLater(reactor_module(), wait, lambda: None))
        return result

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if is_robots_request(request):
            return None  # RobotsPolicyMiddleware retries it on its own schedule
        result = super().process_exception(request, exception)
        if (
            isinstance(exception, ResponseDataLossError)
            and isinstance(result, Request)
            and result.meta.get("metinfo_article") is not None
            and result.meta.get("retry_times", 0)
            >= result.meta.get("max_retry_times", self.max_retry_times)
        ):
            # The last attempt at an article whose answers are cut short (a Content-Length
            # larger than what a broken host sends): delivered as received, with Scrapy's
            # "dataloss" flag, for the spider to keep when its text is whole (the cut in
            # the footer, a whole-site trial of a quirky host).
            result.meta["download_fail_on_dataloss"] = False
        return result


def retry_after_seconds(value: bytes | None, cap: float) -> float:
    """Seconds a ``Retry-After`` value asks for (RFC 9110 §10.2.3), within ``[0, cap]``."""
    if not value:
        return 0.0
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, min((when - datetime.now(timezone.utc)).total_seconds(), cap))


def _slots_have_jitter() -> bool:
    """True on Scrapy releases whose download slots take ``jitter``."""
    from scrapy.core.downloader import Slot

    return "jitter" in Slot.__init__.__code__.co_varnames


def _nothing() -> None:
    return None


def reactor_module() -> Any:
    from twisted.internet import reactor

    return reactor


# --- Request budget (issue 7) ---------------------------------------------------------------
class SiteBudgetMiddleware:
    """A hard cap on requests per host (``METINFO_MAX_REQUESTS_PER_SITE``; 0 = none), the
    last guard against traps that the crawl's own stopping rules miss (calendars, endlessly
    growing query strings).  Also refuses URLs longer than ``METINFO_MAX_URL_LENGTH``.
    Refusals count as ``metinfo/budget/*``; the first per host is logged."""

    def __init__(self, stats: Any, limit: int, max_url: int) -> None:
        self.stats = stats
        self.limit = limit
        self.max_url = max_url
        self.counts: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteBudgetMiddleware:
        s = crawler.settings
        return cls(
            crawler.stats,
            s.getint("METINFO_MAX_REQUESTS_PER_SITE"),
            s.getint("METINFO_MAX_URL_LENGTH"),
        )

    def process_request(self, request: Request) -> None:
        if self.max_url and len(request.url) > self.max_url:
            self.stats.inc_value("metinfo/budget/url_too_long")
            raise IgnoreRequest(f"URL longer than {self.max_url}: {request.url[:120]}...")
        host = urlsplit(request.url).hostname or ""
        count = self.counts.get(host, 0) + 1
        self.counts[host] = count
        if self.limit and count > self.limit:
            if count == self.limit + 1:
                logger.error(
                    "request budget of %d for %s used up: no more requests to it", self.limit, host
                )
            self.stats.inc_value("metinfo/budget/exhausted")
            raise IgnoreRequest(f"request budget used up: {request.url}")


# --- Credentials across redirects (issue 7) --------------------------------------------------
SECRET_HEADERS = (b"Authorization", b"Cookie", b"Proxy-Authorization")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or ""), parts.port or default


class CredentialGuardMiddleware:
    """Strip ``Authorization``, ``Cookie`` and ``Proxy-Authorization`` from a redirected
    request whose origin (scheme, host or port) differs from the first request's.

    Scrapy's redirect middleware already drops them on a change of host or scheme; a change
    of port alone is caught here (counted as ``metinfo/redirect/credentials_stripped``).
    Every request also gets the cookie jar of its own origin (``cookiejar`` meta), so a
    cookie set by one origin is never sent to another, redirect or not.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CredentialGuardMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        # One cookie jar per origin: cookies never reach another port or scheme of a host
        # (a cookie jar alone shares them across ports, RFC 6265 §8.5).
        scheme, host, port = _origin(request.url)
        request.meta["cookiejar"] = f"{scheme}://{host}:{port}"
        chain = request.meta.get("redirect_urls")
        if not chain or _origin(chain[0]) == _origin(request.url):
            return
        for name in SECRET_HEADERS:
            if name in request.headers:
                del request.headers[name]
                self.stats.inc_value("metinfo/redirect/credentials_stripped")


# A Refresh header (the HTML standard's "shared declarative refresh steps": a delay in
# seconds, then an optional url=): 0; url=/notice/27.html.
REFRESH_HEADER_RE = re.compile(
    r"^\s*(?P<delay>\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(?P<q>['\"]?)(?P<url>[^'\"]+)(?P=q))?",
    re.IGNORECASE,
)


class RefreshHeaderMiddleware(BaseRedirectMiddleware):
    """Follow a ``Refresh: <delay>; url=<target>`` response header as browsers do, like
    Scrapy's MetaRefreshMiddleware follows the ``<meta http-equiv="refresh">`` tag: an old
    URL whose stub page sends the reader on was exported as an article ("页面跳转中…").
    Same limits: ``METAREFRESH_ENABLED``, a delay under ``METAREFRESH_MAXDELAY`` seconds,
    ``REDIRECT_MAX_TIMES``, http(s) targets only; never for HEAD or ``dont_redirect``."""

    enabled_setting = "METAREFRESH_ENABLED"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._maxdelay: int = settings.getint("METAREFRESH_MAXDELAY")

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        value = response.headers.get("Refresh")
        if not value or request.meta.get("dont_redirect") or request.method == "HEAD":
            return response
        match = REFRESH_HEADER_RE.match(value.decode("latin-1"))
        if match is None or not match["url"] or float(match["delay"]) >= self._maxdelay:
            return response
        redirected = self._redirect_request_using_get(
            request, response, response.urljoin(match["url"].strip())
        )
        if urlparse_cached(redirected).scheme not in {"http", "https"}:
            return response
        return self._redirect(redirected, request, "refresh header")
