"""WARC capture: every response of a crawl as WARC/1.1 request and response records (issue 5).

Design:

- **What is recorded.** A downloader middleware (:class:`WarcCaptureMiddleware`, placed between
  the redirect and cookie middlewares) sees every response the downloader returns: robots.txt
  (fetched by Scrapy's robots middleware), sitemaps, homes, lists, articles, mirrored files,
  redirects, 404s and each attempt of a retried request.  Requests refused before the network
  (robots.txt, forbidden URLs) have no response and are not recorded.
- **Payload as sent.** The middleware runs before ``HttpCompressionMiddleware`` on the
  response path, so a gzip or brotli body is stored compressed with its ``Content-Encoding``
  header, byte for byte as the server sent it.  Only the transfer coding is undone (Scrapy
  hands over a de-chunked body); the ``Transfer-Encoding`` header is kept renamed
  ``X-Archive-Orig-Transfer-Encoding`` so that the stored message stays consistent (the
  rule pywb follows).  ``WARC-Payload-Digest`` is the SHA-1 of that entity body.  A body cut
  short by a lost connection is marked ``WARC-Truncated: disconnect``.
- **No credentials.** Request records never hold ``Authorization``, ``Proxy-Authorization``
  or ``Cookie`` (``METINFO_WARC_REDACT_HEADERS`` adds names), nor user:password from a URL.
  Response records keep ``Set-Cookie`` as sent (the crawler never logs in and never sends
  cookies back: such a cookie is an anonymous session id), except when the request carried a
  credential: then its ``Set-Cookie`` headers are dropped too, since they may be a login's.
- **Files.** ``<prefix>-<UTC time>-<serial>-<pid>.warc.gz`` in ``METINFO_WARC``, each opened
  with a ``warcinfo`` record (software, spider arguments, settings that matter).  A file being
  written is named ``….warc.gz.open`` and holds an exclusive ``flock``; it is renamed when it
  passes ``METINFO_WARC_MAX_BYTES`` or the crawl ends.  Every record is its own gzip member
  and each request/response pair is written with one ``write`` and flushed.
- **Crash repair.** At the next start, a leftover ``.open`` file that no live process holds
  is cut back to its last complete gzip member, fsynced and renamed (or removed when nothing
  complete is left): after that every file passes ``gzip -t`` and ``warcio check``.
  ``python -m crawler.warc repair DIR`` does the same by hand; ``python -m crawler.warc check
  FILE...`` tests gzip integrity, record counts and digests (``warcio check`` alone passes a
  truncated file).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import uuid
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from crawler import __version__

try:  # POSIX advisory locks; elsewhere an .open file is repaired without asking
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"
#: Request headers never written into a request record (case-insensitive).
REDACTED_REQUEST_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")
_REDACTED = frozenset(name.lower() for name in REDACTED_REQUEST_HEADERS)
#: How payloads are stored; also written into every warcinfo record.
PAYLOAD_MODE = (
    "as sent: Content-Encoding kept; transfer coding undone, its header renamed "
    "X-Archive-Orig-Transfer-Encoding"
)
#: ``request.meta`` key holding the aware UTC datetime a response was received (or recorded).
FETCHED_AT_META = "metinfo_fetched_at"
# crawler attribute: response URL -> when it was received (read by pipelines.fetchtime).
_FETCH_TIMES = "metinfo_fetch_times"
# Settings named in the warcinfo record: they change what a crawl fetches or extracts.
_INFO_SETTINGS = (
    "ROBOTSTXT_OBEY",
    "METINFO_TIMEZONE",
    "METINFO_MIRROR_IGNORE_ROBOTS",
    "METINFO_MIRROR_MAX_BYTES",
    "DOWNLOAD_MAXSIZE",
    "METINFO_FULL_EXPORT",
)
_CHUNK = 1 << 16


def fetch_times(crawler: Any) -> dict[str, datetime]:
    """When each response URL of this crawl was received: ``{url: aware UTC datetime}``.

    Filled by :class:`WarcCaptureMiddleware` (the record's ``WARC-Date``) and, in offline
    re-extraction, by the replay middleware (the recorded ``WARC-Date``); read by
    ``pipelines.fetchtime`` so that ``fetched_at`` is the same in both.
    """
    times: dict[str, datetime] = crawler.__dict__.setdefault(_FETCH_TIMES, {})
    return times


def _version(package: str) -> str:
    try:
        return package_version(package)
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def warc_date(moment: datetime) -> str:
    """``2026-11-30T00:35:17.123456Z``: a WARC/1.1 date with microseconds."""
    return str(datetime_to_iso_date(moment.astimezone(timezone.utc).replace(tzinfo=None), True))


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def without_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part (credentials never reach a record)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


# --- records -------------------------------------------------------------------------------------


def warcinfo_bytes(filename: str, fields: dict[str, str]) -> tuple[bytes, str]:
    """A gzip-compressed ``warcinfo`` record; returns (bytes, its WARC-Record-ID)."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    record = writer.create_warcinfo_record(
        filename, {k: _one_line(v) for k, v in fields.items() if v not in (None, "")}
    )
    writer.write_record(record)
    return buffer.getvalue(), str(record.rec_headers.get_header("WARC-Record-ID"))


def _request_http(request: Request, redact: frozenset[str]) -> tuple[StatusAndHeaders, bool]:
    """The request line and headers as sent, less credentials; and whether any were dropped."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.netloc.rpartition("@")[2]
    headers: list[tuple[str, str]] = [("Host", host)]
    credentialed = "@" in parts.netloc
    for name, values in request.headers.items():
        key = name.decode("latin-1")
        if key.lower() == "host":
            continue
        if key.lower() in redact:
            credentialed = True
            continue
        headers.extend((key, v.decode("latin-1")) for v in values)
    statusline = f"{request.method} {target} HTTP/1.1"
    return StatusAndHeaders(statusline, headers, is_http_request=True), credentialed


def _response_http(response: Response, credentialed: bool) -> StatusAndHeaders:
    """The status line and headers as received (see the module doc for the two changes)."""
    headers: list[tuple[str, str]] = []
    for name, values in response.headers.items():
        key = name.decode("latin-1")
        lower = key.lower()
        if lower == "transfer-encoding":
            key = "X-Archive-Orig-Transfer-Encoding"
        elif credentialed and lower in ("set-cookie", "set-cookie2"):
            continue
        headers.extend((key, v.decode("latin-1")) for v in values)
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    statusline = f"{response.status} {phrase}".rstrip()
    return StatusAndHeaders(statusline, headers, protocol=response.protocol or "HTTP/1.1")


def exchange_bytes(
    request: Request,
    response: Response,
    *,
    date: datetime,
    warcinfo_id: str | None = None,
    redact: frozenset[str] | None = None,
) -> bytes:
    """A ``response`` record and its ``request`` record, each a gzip member, concurrent to
    each other (``WARC-Concurrent-To`` both ways), dated ``date``."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    response_id, request_id = _record_id(), _record_id()
    uri = without_userinfo(response.url)
    common = {"WARC-Date": warc_date(date)}
    if warcinfo_id:
        common["WARC-Warcinfo-ID"] = warcinfo_id
    request_http, credentialed = _request_http(request, _REDACTED if redact is None else redact)
    extra = {"WARC-Record-ID": response_id, "WARC-Concurrent-To": request_id, **common}
    if response.ip_address is not None:
        extra["WARC-IP-Address"] = str(response.ip_address)
    if "dataloss" in response.flags:
        extra["WARC-Truncated"] = "disconnect"
    body = response.body
    writer.write_record(
        writer.create_warc_record(
            uri,
            "response",
            payload=BytesIO(body),
            length=len(body),
            warc_headers_dict=extra,
            http_headers=_response_http(response, credentialed),
        )
    )
    sent = request.body or b""
    writer.write_record(
        writer.create_warc_record(
            uri,
            "request",
            payload=BytesIO(sent),
            length=len(sent),
            warc_headers_dict={
                "WARC-Record-ID": request_id,
                "WARC-Concurrent-To": response_id,
                **common,
            },
            http_headers=request_http,
        )
    )
    return buffer.getvalue()


# --- files ---------------------------------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _try_lock(handle: IO[bytes]) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _free_name(path: Path) -> Path:
    """``path``, or ``name-1.warc.gz``, ``name-2.warc.gz``… when it exists."""
    if not path.exists():
        return path
    stem = path.name.removesuffix(WARC_SUFFIX)
    for number in range(1, 10_000):
        other = path.with_name(f"{stem}-{number}{WARC_SUFFIX}")
        if not other.exists():
            return other
    raise FileExistsError(path)


class WarcFiles:
    """The WARC files one crawl writes into ``directory``: opened on the first write with a
    warcinfo record, ``.open`` while written, closed (fsynced, renamed) past ``max_bytes`` and
    by :meth:`close`.

    ``info`` is called for each new file and returns the warcinfo fields.
    """

    def __init__(
        self,
        directory: Path,
        *,
        max_bytes: int,
        info: Callable[[], dict[str, str]],
        prefix: str = "metinfo",
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.info = info
        self.closed: list[Path] = []
        self.bytes_written = 0
        self._handle: IO[bytes] | None = None
        self._path: Path | None = None
        self._warcinfo_id: str | None = None
        self._serial = 0

    @property
    def open_path(self) -> Path | None:
        """The ``.open`` file being written, if any."""
        return self._path

    def write(self, build: Callable[[str | None], bytes]) -> int:
        """Append the bytes ``build(warcinfo_id)`` returns (whole gzip members) with one
        write, flush them, and rotate when the file passed the size limit.  Returns the
        number of bytes written.  ``OSError`` propagates (disk full, permissions)."""
        if self._handle is None:
            self._open()
        assert self._handle is not None
        data = build(self._warcinfo_id)
        self._handle.write(data)
        self._handle.flush()
        self.bytes_written += len(data)
        if self.max_bytes > 0 and self._handle.tell() >= self.max_bytes:
            self.close()
        return len(data)

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        name = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}{WARC_SUFFIX}"
        self._serial += 1
        path = self.directory / (name + OPEN_SUFFIX)
        handle = path.open("xb")
        if not _try_lock(handle):  # pragma: no cover - a fresh file nobody else knows
            handle.close()
            raise OSError(f"cannot lock {path}")
        self._handle, self._path = handle, path
        data, self._warcinfo_id = warcinfo_bytes(name, self.info())
        handle.write(data)
        handle.flush()
        self.bytes_written += len(data)

    def close(self) -> Path | None:
        """Close the current file: fsync, drop the ``.open`` suffix; returns its final path."""
        handle, path = self._handle, self._path
        if handle is None or path is None:
            return None
        self._handle = self._path = None
        try:
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        final = _free_name(path.with_name(path.name.removesuffix(OPEN_SUFFIX)))
        os.replace(path, final)
        _fsync_dir(final.parent)
        self.closed.append(final)
        return final


def complete_members(handle: IO[bytes]) -> tuple[int, int]:
    """Scan a gzip file from the start: (end offset of its last complete member, members).

    A member counts when it decompresses to its end and its CRC and size check out; the
    scan stops at the first byte that does not start or continue a valid member.
    """
    handle.seek(0)
    good = members = position = 0
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    while chunk := handle.read(_CHUNK):
        data = chunk
        while data:
            try:
                # Output is discarded; max_length bounds the memory a huge record needs.
                out = inflater.decompress(data, _CHUNK)
                while not inflater.eof and (inflater.unconsumed_tail or len(out) == _CHUNK):
                    out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            except zlib.error:
                return good, members
            if inflater.eof:
                used = len(data) - len(inflater.unused_data)
                position += used
                good, members = position, members + 1
                data = inflater.unused_data
                inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                position += len(data)
                data = b""
    return good, members


@dataclass
class Repair:
    """What :func:`repair_open_warc` did with one ``.open`` file."""

    found: Path
    closed: Path | None = None  # the renamed file; None when removed or left alone
    cut_bytes: int = 0
    records: int = 0
    in_use: bool = False  # another live process holds it: left alone

    def describe(self) -> str:
        if self.in_use:
            return f"{self.found.name} is being written by another run; left alone"
        if self.closed is None:
            return f"{self.found.name} held no complete record; removed"
        cut = f", cut {self.cut_bytes} bytes of a torn record" if self.cut_bytes else ""
        return f"{self.found.name} closed as {self.closed.name} ({self.records} records{cut})"


def repair_open_warc(path: Path) -> Repair:
    """Cut an interrupted ``.warc.gz.open`` back to its last complete gzip member, fsync it
    and rename it without ``.open``; remove it when no member is complete.  A file locked
    by a live writer is left alone."""
    result = Repair(path)
    with path.open("r+b") as handle:
        if not _try_lock(handle):
            result.in_use = True
            return result
        size = os.fstat(handle.fileno()).st_size
        good, members = complete_members(handle)
        if good < size:
            handle.truncate(good)
        handle.flush()
        os.fsync(handle.fileno())
        result.cut_bytes, result.records = size - good, members
        if members == 0:
            path.unlink()
            _fsync_dir(path.parent)
            return result
        final = _free_name(path.with_name(path.name.removesuffix(OPEN_SUFFIX)))
        os.replace(path, final)  # still locked: no other repair can start on it meanwhile
    _fsync_dir(final.parent)
    result.closed = final
    return result


def repair_open_warcs(directory: Path) -> list[Repair]:
    """Repair every ``*.warc.gz.open`` file in ``directory`` (see :func:`repair_open_warc`)."""
    if not directory.is_dir():
        return []
    return [repair_open_warc(p) for p in sorted(directory.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}"))]


@dataclass
class Check:
    """The result of :func:`check_warc` for one file."""

    path: Path
    members: int = 0
    records: int = 0
    types: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_warc(path: Path) -> Check:
    """Check one ``.warc.gz``: every byte belongs to a complete gzip member, each member is
    one record, and every block and payload digest verifies."""
    result = Check(path)
    with path.open("rb") as handle:
        good, result.members = complete_members(handle)
        size = os.fstat(handle.fileno()).st_size
        if good != size:
            result.problems.append(f"gzip: {size - good} bytes after the last complete member")
        handle.seek(0)
        try:
            iterator = ArchiveIterator(handle, check_digests=True)
            for record in iterator:
                stream = record.content_stream()
                while stream.read(_CHUNK):
                    pass
                result.records += 1
                kind = str(record.rec_type)
                result.types[kind] = result.types.get(kind, 0) + 1
                if record.digest_checker.passed is False:
                    result.problems.extend(record.digest_checker.problems)
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
            result.problems.append(f"unreadable after {result.records} records: {exc}")
    if result.records != result.members:
        result.problems.append(f"{result.members} gzip members but {result.records} records")
    return result


# --- the middleware ------------------------------------------------------------------------------


class WarcCaptureMiddleware:
    """Record every downloaded response (and its request) into WARC files in ``METINFO_WARC``.

    Settings: ``METINFO_WARC`` (folder; unset: off), ``METINFO_WARC_MAX_BYTES`` (rotation size),
    ``METINFO_WARC_PREFIX`` (file name prefix), ``METINFO_WARC_REDACT_HEADERS`` (request header
    names never written, beyond :data:`REDACTED_REQUEST_HEADERS`).  Stats
    ``metinfo/warc/responses``, ``metinfo/warc/bytes``, ``metinfo/warc/files``,
    ``metinfo/warc/repaired``.  When a file cannot be written the spider is closed with the
    reason ``warc_unwritable`` (an archive with holes is worse than a stopped crawl).
    """

    def __init__(self, crawler: Any, directory: Path) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        extra = settings.getlist("METINFO_WARC_REDACT_HEADERS")
        self.redact = frozenset(h.lower() for h in (*REDACTED_REQUEST_HEADERS, *extra))
        self.failed = False
        # One id for every file of this crawl: re-extraction replays one crawl in order.
        self.crawl_id = str(uuid.uuid4())
        for repair in repair_open_warcs(directory):
            if not repair.in_use:
                self.stats.inc_value("metinfo/warc/repaired")
            logger.warning("WARC left by an interrupted run: %s", repair.describe())
        self.files = WarcFiles(
            directory,
            max_bytes=settings.getint("METINFO_WARC_MAX_BYTES"),
            prefix=settings.get("METINFO_WARC_PREFIX") or "metinfo",
            info=self.warcinfo,
        )

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcCaptureMiddleware:
        directory = crawler.settings.get("METINFO_WARC")
        if not directory:
            raise NotConfigured  # no message: Scrapy would log a warning for every crawl
        middleware = cls(crawler, Path(directory))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def warcinfo(self) -> dict[str, str]:
        """The warcinfo fields: software, format, the spider's arguments, settings that
        change what is fetched or extracted, and how records were written."""
        settings = self.crawler.settings
        spider = getattr(self.crawler, "spider", None)
        args: dict[str, str] = {}
        if spider is not None:
            args = {
                "url": ",".join(getattr(spider, "start_urls", []) or []),
                "lang": ",".join(sorted(getattr(spider, "langs", ()) or ())),
                "tz": getattr(spider, "tz_name", "") or "",
                "columns": ",".join(sorted(getattr(spider, "columns", ()) or ())),
                "skip_columns": ",".join(sorted(getattr(spider, "skip_columns", ()) or ())),
            }
            args = {k: v for k, v in args.items() if v}
        chosen = {name: settings.get(name) for name in _INFO_SETTINGS}
        chosen["METINFO_MIRROR"] = bool(settings.get("METINFO_MIRROR"))
        return {
            "software": (
                f"metinfo-crawler/{__version__} Scrapy/{scrapy.__version__} "
                f"warcio/{_version('warcio')} Python/{sys.version.split()[0]}"
            ),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "operator": settings.get("METINFO_CONTACT") or "",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "payload": PAYLOAD_MODE,
            "request-headers-removed": ", ".join(sorted(self.redact)),
            "metinfo-crawl-id": self.crawl_id,
            "metinfo-spider": getattr(spider, "name", "") or "",
            "metinfo-spider-args": json.dumps(args, ensure_ascii=False, sort_keys=True),
            "metinfo-settings": json.dumps(chosen, ensure_ascii=False, sort_keys=True),
        }

    def process_response(self, request: Request, response: Response) -> Response:
        """Record the exchange (unless it came from the HTTP cache); return the response."""
        if "cached" in response.flags:
            return response
        now = datetime.now(timezone.utc)
        fetch_times(self.crawler)[response.url] = now
        request.meta[FETCHED_AT_META] = now
        if self.failed:
            return response
        try:
            written = self.files.write(
                lambda info_id: exchange_bytes(
                    request, response, date=now, warcinfo_id=info_id, redact=self.redact
                )
            )
        except OSError as exc:
            self._fail(exc)
            return response
        self.stats.inc_value("metinfo/warc/responses")
        self.stats.inc_value("metinfo/warc/bytes", written)
        return response

    def _fail(self, exc: OSError) -> None:
        self.failed = True
        self.stats.inc_value("metinfo/warc/write_errors")
        logger.error("WARC not written (%s): closing the spider", exc)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="warc_unwritable"))

    def spider_closed(self, spider: Any, reason: str) -> None:
        try:
            self.files.close()
        except OSError as exc:
            self.stats.inc_value("metinfo/warc/write_errors")
            logger.error("WARC not closed: %s", exc)
        self.stats.set_value("metinfo/warc/files", len(self.files.closed))
        if self.files.closed:
            logger.info(
                "WARC: %d file(s) in %s: %s",
                len(self.files.closed),
                self.files.directory,
                ", ".join(p.name for p in self.files.closed),
            )


# --- command line --------------------------------------------------------------------------------


def _paths(inputs: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in inputs:
        found.extend(sorted(path.glob(f"*{WARC_SUFFIX}")) if path.is_dir() else [path])
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m crawler.warc check FILE|DIR...`` or ``repair DIR...``; exit 1 on a problem,
    an unclosed ``.open`` file in a folder checked, or nothing to check."""
    parser = argparse.ArgumentParser(prog="python -m crawler.warc", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="gzip integrity, record count and digests")
    check.add_argument("paths", nargs="+", type=Path, help=".warc.gz files or folders")
    repair = sub.add_parser("repair", help="close .open files left by a killed crawl")
    repair.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    status = 0
    if args.command == "repair":
        for folder in args.folders:
            for repaired in repair_open_warcs(folder):
                print(repaired.describe())
        return 0
    paths = _paths(args.paths)
    for folder in (p for p in args.paths if p.is_dir()):
        for unfinished in sorted(folder.glob(f"*{WARC_SUFFIX}{OPEN_SUFFIX}")):
            # a killed crawl's file: not checked until repaired
            print(f"{unfinished}: not closed (a crawl was killed?): run 'repair {folder}' first")
            status = 1
    if not paths:
        print("no .warc.gz file to check in " + ", ".join(str(p) for p in args.paths))
        return 1
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file")
            status = 1
            continue
        result = check_warc(path)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(result.types.items()))
        print(f"{path}: {'ok' if result.ok else 'BAD'}: {result.records} records ({kinds})")
        for problem in result.problems:
            print(f"  {problem}")
        status = status or (0 if result.ok else 1)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
