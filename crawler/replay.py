"""Serve a recorded website (a WARC corpus or a manifest folder) over HTTP on a loopback port."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader

from crawler.loopback import (
    LoggedRequest,
    LoopbackHTTPServer,
    LoopbackServer,
    PortBusyError,
    StopServing,
    stop_on_signal,
)

__all__ = [
    "ORIGIN_PLACEHOLDER",
    "Archive",
    "LoggedRequest",
    "PortBusyError",
    "RecordedResponse",
    "ReplayServer",
    "base_origin",
    "canonical_target",
    "default_port",
    "main",
]

logger = logging.getLogger("crawler.replay")

#: Bytes in a manifest site's bodies and header values that are replaced by the served origin
#: (``http://127.0.0.1:PORT``), so robots.txt and sitemap.xml can hold absolute URLs on any port.
ORIGIN_PLACEHOLDER = b"{{ORIGIN}}"

# Headers that describe one connection, not the resource (RFC 9110 §7.6.1); a replayed response
# travels over a new connection, so the recorded values would be wrong or harmful here.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)

_NOT_FOUND_BODY = b"404 Not Found: this URL is not in the recording\n"

# canonicalize_url wants a whole URL; the host is irrelevant to the key because a corpus is
# served on another port (or host) than it was recorded from.
_KEY_BASE = "http://replay.invalid"

# Seconds a connection may sit idle before its handler thread gives up on it.
_IDLE_TIMEOUT = 30.0


@dataclass(frozen=True)
class RecordedResponse:
    """One recorded HTTP response, as the replay server sends it.

    Attributes:
        status: HTTP status code, e.g. 200, 301, 404.
        headers: (name, value) pairs in recorded order, repeated names allowed. Hop-by-hop
            headers and Content-Length are already removed (the server sets Content-Length
            from ``len(body)``); Content-Encoding is kept only when ``body`` is still encoded.
        body: the payload bytes exactly as served (chunking and decodable content-encoding
            undone for WARC records).
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None if absent."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def canonical_target(target: str) -> str | None:
    """Return the canonical lookup key of a path+query, or None when it cannot be parsed.

    The key is ``w3lib.url.canonicalize_url`` of the target (query parameters sorted, blank
    values kept, percent-encoding normalised, fragment dropped) after ``&amp;`` in the query
    is unescaped to ``&``, because sitemaps read without XML unescaping yield such URLs.

    Args:
        target: a request target starting with ``/``, e.g. ``/news/shownews.php?id=1``.

    Returns:
        e.g. ``/news/shownews.php?id=1&lang=en`` for ``/news/shownews.php?lang=en&amp;id=1``.
    """
    if not target.startswith("/"):
        return None
    path, sep, query = target.partition("?")
    try:
        url = canonicalize_url(
            _KEY_BASE + path + sep + query.replace("&amp;", "&"), keep_blank_values=True
        )
    except ValueError:
        return None
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _target_of(uri: str) -> str | None:
    """Return the path+query of an absolute http(s) URI (None for other schemes)."""
    # Some WARC writers wrap WARC-Target-URI in angle brackets (a WARC/1.0 spec grammar slip).
    uri = uri.strip().strip("<>")
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https"):
        return None
    target = parts.path or "/"
    if parts.query or uri.split("#", 1)[0].endswith("?"):
        target += f"?{parts.query}"
    return target


def _served_headers(
    headers: Iterable[tuple[str, str]], *, drop_content_encoding: bool
) -> list[tuple[str, str]]:
    """Filter recorded headers down to the ones that stay true for the bytes served."""
    dropped = _HOP_BY_HOP | {"content-length"}
    if drop_content_encoding:
        dropped = dropped | {"content-encoding"}
    return [(k, v) for k, v in headers if k.lower() not in dropped]


class Archive(Mapping[str, RecordedResponse]):
    """Recorded responses keyed by the raw path+query they were recorded for.

    As a mapping, ``archive[target]`` is the exact lookup only (e.g. ``archive["/robots.txt"]``);
    :meth:`lookup` also tries the canonical form. When two recordings share a key, a 200
    wins over other statuses, then (for canonical keys) a recording whose URL needed no
    ``&amp;`` unescaping, then the first in recording order.

    Attributes:
        name: a human name for logs, e.g. the corpus folder or manifest ``name``.
        templated: True when bodies and header values may hold :data:`ORIGIN_PLACEHOLDER`.
    """

    def __init__(
        self,
        responses: Iterable[tuple[str, RecordedResponse]],
        *,
        name: str = "archive",
        templated: bool = False,
    ) -> None:
        """Index ``(path+query, response)`` pairs given in recording order."""
        self.name = name
        self.templated = templated
        self._items: list[tuple[str, RecordedResponse]] = list(responses)
        self._exact: dict[str, RecordedResponse] = {}
        self._canonical: dict[str, RecordedResponse] = {}
        exact_rank: dict[str, tuple[bool, int]] = {}
        canon_rank: dict[str, tuple[bool, bool, int]] = {}
        for order, (target, response) in enumerate(self._items):
            not_ok = response.status != 200
            if target not in exact_rank or (not_ok, order) < exact_rank[target]:
                exact_rank[target] = (not_ok, order)
                self._exact[target] = response
            key = canonical_target(target)
            if key is None:
                continue
            # In the metinfo72-donghu corpus "?id=11&amp;lang=en" is a different page (PHP
            # reads a parameter named "amp;lang") recorded before "?id=11&lang=en"; the plain
            # recording is the truthful answer for the canonical key.
            rank = (not_ok, "&amp;" in target.partition("?")[2], order)
            if key not in canon_rank or rank < canon_rank[key]:
                canon_rank[key] = rank
                self._canonical[key] = response

    def __getitem__(self, target: str) -> RecordedResponse:
        """Return the response recorded for exactly ``target``; KeyError if none."""
        return self._exact[target]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the distinct recorded path+query keys, in recording order."""
        return iter(self._exact)

    def __len__(self) -> int:
        """Return the number of distinct recorded path+query keys."""
        return len(self._exact)

    def lookup(self, target: str) -> RecordedResponse | None:
        """Find the response for a request target: exact match first, then canonical form.

        Args:
            target: path+query as the client sent it, e.g. ``/news/index.php?page=2&class1=1``.

        Returns:
            The recorded response, or None when neither form was recorded.
        """
        found = self._exact.get(target)
        if found is not None:
            return found
        key = canonical_target(target)
        return self._canonical.get(key) if key is not None else None

    def with_origin(self, origin: str) -> Archive:
        """Return this archive with :data:`ORIGIN_PLACEHOLDER` replaced by ``origin``.

        Args:
            origin: scheme://host:port with no trailing slash, e.g. ``http://127.0.0.1:43121``.

        Returns:
            ``self`` when the archive is not templated, else a new untemplated Archive.
        """
        if not self.templated:
            return self
        text = ORIGIN_PLACEHOLDER.decode("ascii")
        raw = origin.encode("ascii")
        items = [
            (
                target,
                RecordedResponse(
                    r.status,
                    [(k, v.replace(text, origin)) for k, v in r.headers],
                    r.body.replace(ORIGIN_PLACEHOLDER, raw),
                ),
            )
            for target, r in self._items
        ]
        return Archive(items, name=self.name, templated=False)

    @classmethod
    def from_warc(cls, path: str | Path, *, name: str | None = None) -> Archive:
        """Read the ``response`` records of a WARC file (gzip-compressed or not).

        Request, warcinfo, revisit and metadata records are skipped, as are responses for
        non-HTTP URIs. Payloads are read with warcio's ``content_stream()``, which undoes
        chunked transfer-encoding and the content-encodings warcio can decode; the matching
        headers are dropped so that headers describe the bytes served.

        Args:
            path: a ``.warc.gz`` or ``.warc`` file.
            name: archive name; defaults to the file name without its WARC suffixes.

        Raises:
            FileNotFoundError: no such file.
            warcio.exceptions.ArchiveLoadFailed: the file is not a WARC.
        """
        path = Path(path)
        decodable = set(BufferedReader.get_supported_decompressors())
        items: list[tuple[str, RecordedResponse]] = []
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                target = _target_of(record.rec_headers.get_header("WARC-Target-URI") or "")
                if target is None:
                    continue
                encoding = (record.http_headers.get_header("Content-Encoding") or "").lower()
                body = record.content_stream().read()
                headers = _served_headers(
                    record.http_headers.headers, drop_content_encoding=encoding in decodable
                )
                status = int(record.http_headers.get_statuscode())
                items.append((target, RecordedResponse(status, headers, body)))
        if name is None:
            name = path.name.removesuffix(".gz").removesuffix(".warc")
        return cls(items, name=name)

    @classmethod
    def from_manifest(cls, path: str | Path) -> Archive:
        """Read a directory site described by a ``manifest.json``.

        The manifest is ``{"name": str, "responses": [{"path": "/x?y=1", "status": 200,
        "headers": {"Content-Type": "..."}, "file": "pages/x.html"}, ...]}``; ``status``
        defaults to 200, ``headers`` to none and ``file`` (relative to the manifest's
        folder) to an empty body. Bodies are served verbatim, so a Content-Encoding header
        written in the manifest is kept. The result is templated (see :meth:`with_origin`).

        Raises:
            FileNotFoundError: the manifest or a named file is missing.
            ValueError: the manifest does not have the shape above, or a file lies outside
                the manifest's folder.
        """
        path = Path(path)
        root = path.parent.resolve()
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("responses") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise ValueError(f"{path}: expected an object with a 'responses' list")
        items: list[tuple[str, RecordedResponse]] = []
        for number, entry in enumerate(entries):
            where = f"{path}: responses[{number}]"
            if not isinstance(entry, dict):
                raise ValueError(f"{where}: expected an object")
            target, status = entry.get("path"), entry.get("status", 200)
            headers, file = entry.get("headers", {}), entry.get("file")
            if not isinstance(target, str) or not target.startswith("/"):
                raise ValueError(f"{where}: 'path' must be a string starting with '/'")
            if not isinstance(status, int) or not 100 <= status <= 599:
                raise ValueError(f"{where}: 'status' must be an HTTP status code")
            if not isinstance(headers, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
            ):
                raise ValueError(f"{where}: 'headers' must map names to string values")
            body = b""
            if file is not None:
                if not isinstance(file, str):
                    raise ValueError(f"{where}: 'file' must be a relative path")
                file_path = (root / file).resolve()
                if not file_path.is_relative_to(root):
                    raise ValueError(f"{where}: 'file' {file!r} is outside {root}")
                body = file_path.read_bytes()
            served = _served_headers(headers.items(), drop_content_encoding=False)
            items.append((target, RecordedResponse(status, served, body)))
        name = data.get("name") if isinstance(data.get("name"), str) else root.name
        return cls(items, name=name, templated=True)

    @classmethod
    def load(cls, path: str | Path) -> Archive:
        """Load whatever ``path`` names: a corpus folder, a WARC, a manifest or its folder.

        A corpus folder holds ``site.warc.gz`` (its name comes from ``site.json`` when that
        has one, else from the folder); a manifest folder holds ``manifest.json``.

        Raises:
            FileNotFoundError: ``path`` does not exist or holds neither kind of site.
            ValueError: ``path`` is a file of an unknown kind, or a malformed manifest.
        """
        path = _as_corpus(Path(path))
        if path.is_dir():
            warc, manifest = path / "site.warc.gz", path / "manifest.json"
            if warc.is_file():
                return cls.from_warc(warc, name=_corpus_name(path))
            if manifest.is_file():
                return cls.from_manifest(manifest)
            raise FileNotFoundError(f"{path} holds neither site.warc.gz nor manifest.json")
        if not path.is_file():
            raise FileNotFoundError(f"no such file or folder: {path}")
        if path.name.endswith((".warc.gz", ".warc")):
            return cls.from_warc(path)
        if path.suffix == ".json":
            return cls.from_manifest(path)
        raise ValueError(f"{path}: expected a corpus folder, a .warc(.gz) file or a manifest.json")


def _as_corpus(path: Path) -> Path:
    """``path``, or its folder when it is the ``site.warc.gz`` of a corpus folder (one with
    a ``site.json``): that file is the corpus, named and served as its folder is."""
    corpus = path.name == "site.warc.gz" and (path.parent / "site.json").is_file()
    return path.parent if corpus and path.is_file() else path


def _read_site_json(corpus_dir: Path) -> dict[str, Any]:
    """Return the parsed ``site.json`` of a corpus folder (FileNotFoundError if absent)."""
    data = json.loads((corpus_dir / "site.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{corpus_dir / 'site.json'}: expected a JSON object")
    return data


def _corpus_name(corpus_dir: Path) -> str:
    """Return the corpus ``name`` from its site.json, falling back to the folder name."""
    try:
        name = _read_site_json(corpus_dir).get("name")
    except (OSError, ValueError):
        name = None
    return name if isinstance(name, str) and name else corpus_dir.name


def base_origin(corpus_dir: str | Path) -> tuple[str, int]:
    """Return the (host, port) of a corpus's ``base_url`` in its ``site.json``.

    Corpora must be served at that port: robots.txt, sitemap.xml and truth.jsonl name it.

    Returns:
        e.g. ``("127.0.0.1", 8720)``; the port defaults to 80/443 by scheme.

    Raises:
        FileNotFoundError: no site.json in ``corpus_dir``.
        ValueError: site.json has no usable http(s) ``base_url``.
    """
    corpus_dir = Path(corpus_dir)
    base_url = _read_site_json(corpus_dir).get("base_url")
    parts = urlsplit(base_url) if isinstance(base_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{corpus_dir / 'site.json'}: no http(s) base_url")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def default_port(path: str | Path) -> int:
    """Return the port to serve ``path`` on by default (see :func:`base_origin`).

    Returns:
        The base_url port for a corpus folder with ``site.warc.gz`` and ``site.json``, or
        for that ``site.warc.gz`` itself, else 0 (any free port).
    """
    path = _as_corpus(Path(path))
    if path.is_dir() and (path / "site.warc.gz").is_file() and (path / "site.json").is_file():
        try:
            return base_origin(path)[1]
        except ValueError:
            return 0
    return 0


class _Handler(BaseHTTPRequestHandler):
    """Answer GET/HEAD from the server's archive; every request goes through log_request."""

    # HTTP/1.1 keeps connections alive, as the recorded nginx did; every response carries a
    # Content-Length, which keep-alive needs.
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT
    # Without TCP_NODELAY each small response waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server: LoopbackHTTPServer

    def do_GET(self) -> None:
        """Serve the recorded response with its body."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        """Serve the recorded status and headers, Content-Length included, without a body."""
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        replay = self.server.owner
        response = replay.archive.lookup(_request_target(self.path))
        if response is None:
            response = RecordedResponse(
                404, [("Content-Type", "text/plain; charset=utf-8")], _NOT_FOUND_BODY
            )
        with replay.in_flight():
            if replay.delay > 0:
                time.sleep(replay.delay)
            # Log before the first byte goes out, so a client that got its answer always
            # finds its request in ReplayServer.requests.
            self.log_request(response.status)
        # send_response_only, not send_response: the recorded Server and Date headers are
        # replayed instead of http.server's own.
        self.send_response_only(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Record the request on the server (called for served and error responses alike)."""
        try:
            status = int(code)
        except (TypeError, ValueError):
            status = 0
        # A request line too long to parse is answered before command and path are set.
        method = getattr(self, "command", None) or "-"
        self.server.owner._record(method, getattr(self, "path", None) or "-", status)

    def log_message(self, format: str, *args: Any) -> None:
        """Route http.server's error messages to the ``crawler.replay`` logger."""
        logger.warning("%s: %s", self.address_string(), format % args)


def _request_target(raw: str) -> str:
    """Turn the request-target as received into a path+query key."""
    if raw.startswith(("http://", "https://")):  # absolute-form, as sent to a proxy
        raw = _target_of(raw) or raw
    # http.server decodes the request line as Latin-1; WARC URIs are read as UTF-8.
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return raw


class ReplayServer(LoopbackServer):
    """An HTTP server on a loopback port answering from an :class:`Archive`.

    The server starts in a daemon thread as soon as it is constructed; use it as a context
    manager (or call :meth:`close`). Unknown URLs get a 404 with a short text body.

    Args:
        archive: the recorded site; a templated archive gets its placeholder replaced by
            :attr:`origin`.
        host: a loopback address (``127.0.0.1``, ``::1``, ``localhost``).
        port: TCP port; 0 picks a free one.
        delay: seconds to wait before each response (latency for benchmarks), >= 0.

    Raises:
        ValueError: ``host`` is not loopback, or ``delay`` is negative.
        PortBusyError: ``port`` is already in use.
        OSError: any other bind failure (e.g. a privileged port).

    Attributes:
        archive: the archive served (placeholder already substituted).
        origin: ``http://host:port`` actually served, e.g. ``http://127.0.0.1:8720``.
        host, port: the bound address.
        delay: the latency added to each response, in seconds.
        peak_in_flight: the most requests it was answering at one time (each counted from
            its lookup until its status line is logged, the ``delay`` included): what a
            crawler's per-site concurrency limit must keep down.
    """

    thread_name = "replay"

    def __init__(
        self, archive: Archive, host: str = "127.0.0.1", port: int = 0, *, delay: float = 0.0
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {delay}")
        super().__init__(_Handler, host, port)
        self.delay = float(delay)
        self.archive = archive.with_origin(self.origin)
        self.peak_in_flight = 0
        self._answering = 0
        self._count_lock = threading.Lock()
        self._serve()

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """Count one request being answered while the block runs (see ``peak_in_flight``)."""
        with self._count_lock:
            self._answering += 1
            self.peak_in_flight = max(self.peak_in_flight, self._answering)
        try:
            yield
        finally:
            with self._count_lock:
                self._answering -= 1

    def _record(self, method: str, path: str, status: int) -> None:
        super()._record(method, path, status)
        logger.info("%s %s %d", method, path, status)


def _port(text: str) -> int:
    """The ``--port`` argument: an integer from 0 to 65535 (bind() raises OverflowError past it)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0-65535)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI: serve PATH until Ctrl-C or SIGTERM; return the exit status.

    Prints ``serving <name> at <origin>`` first, then one ``METHOD PATH STATUS`` line per
    request, on stdout. Exit status 0 after a clean stop, 2 on bad arguments or a busy port.
    """
    parser = argparse.ArgumentParser(
        prog="python -m crawler.replay",
        description="Serve a recorded site (corpus folder, WARC, manifest) on a loopback port.",
    )
    parser.add_argument(
        "path",
        type=Path,
        help="corpus folder, .warc(.gz), manifest.json or a folder holding manifest.json",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=None,
        help="TCP port (default: the corpus's base_url port, else a free one)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument(
        "--delay", type=float, default=0.0, help="seconds of latency added to each response"
    )
    args = parser.parse_args(argv)

    try:
        archive = Archive.load(args.path)
    except (OSError, ValueError) as exc:
        parser.error(str(exc))
    port = args.port if args.port is not None else default_port(args.path)

    # Request lines go to stdout (the CLI's output); warnings to stderr.
    out = logging.StreamHandler(sys.stdout)
    out.setFormatter(logging.Formatter("%(message)s"))
    out.addFilter(lambda record: record.levelno < logging.WARNING)
    err = logging.StreamHandler(sys.stderr)
    err.setLevel(logging.WARNING)
    logger.addHandler(out)
    logger.addHandler(err)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    try:
        server = ReplayServer(archive, args.host, port, delay=args.delay)
    except PortBusyError as exc:
        print(f"error: {exc.strerror}", file=sys.stderr)
        return 2
    except ValueError as exc:
        parser.error(str(exc))

    signal.signal(signal.SIGTERM, stop_on_signal)
    with server:
        print(f"serving {archive.name} at {server.origin}", flush=True)
        try:
            while True:
                time.sleep(3600)  # the serving thread works; a signal ends the sleep
        except (KeyboardInterrupt, StopServing):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
