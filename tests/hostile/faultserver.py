"""A loopback HTTP server that misbehaves on purpose: per-test routes, a timed request log, bounds.

The replay server (``crawler/replay.py``) answers with recorded responses only.  The faults of
issue 7 need more: answers that change from one request to the next (``Retry-After`` bursts,
robots.txt that recovers), bodies cut short against their ``Content-Length``, connections
reset mid-body, stalls, endless bodies, bodies built per request (traps), TLS on the same port
as plain HTTP (a scheme change without a port change) and a forward proxy that answers for
any host name (``www.``/``m.`` forms of a site without DNS).

Everything is bounded: a stall ends after :data:`MAX_HOLD` seconds or when the server closes,
a streamed body after :data:`MAX_STREAM` bytes, and an idle connection after
:data:`IDLE_TIMEOUT` seconds.  Only loopback addresses are served.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from crawler.loopback import LoopbackHTTPServer

# Hard bounds of every fault, whatever a test asks for.
MAX_HOLD = 20.0  # seconds a stall may last
MAX_STREAM = 512 * 1024 * 1024  # bytes of an endless body
IDLE_TIMEOUT = 15.0  # seconds a keep-alive connection may sit idle
STREAM_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    """One answer, and how to break it.

    ``length`` is the Content-Length sent: None for ``len(body)`` (none for 204 and 304), -1
    for none (the body then ends when the connection closes, unless ``chunked``).  ``send``
    cuts the body after that many bytes; ``end`` says what follows the bytes sent: ``keep``
    (a normal answer), ``close`` (FIN), ``reset`` (RST) or ``hold`` (stall ``hold`` seconds,
    then close).  ``delay`` waits before the status line (a server that does not answer in
    time).  ``drop`` closes the connection without a byte of answer (a proxy whose backend
    died).
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    length: int | None = None
    chunked: bool = False
    send: int | None = None
    end: str = "keep"
    delay: float = 0.0
    hold: float = 0.0
    drop: bool = False


@dataclass(frozen=True)
class Stream:
    """An endless (or very long) body of repeated ``chunk`` bytes after ``head``, up to
    ``total`` bytes; with ``length`` the Content-Length announces ``total``, else the body is
    close-delimited."""

    total: int
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    head: bytes = b""
    chunk: bytes = b"x" * STREAM_CHUNK
    length: bool = False


Answer = Reply | Stream


@dataclass
class Hit:
    """One request as the server saw it.  ``arrived`` and ``answered`` are ``time.monotonic()``
    values (request head read; status line about to be written); ``headers`` are
    lower-cased names; ``sent`` counts the body bytes written so far."""

    method: str
    scheme: str
    host: str
    target: str
    headers: dict[str, str]
    arrived: float
    answered: float | None = None
    status: int = 0
    sent: int = 0  # body bytes written

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.target}"


class Turns:
    """Answers given in turn: the n-th request of a route gets the n-th answer, the last one
    repeats."""

    def __init__(self, answers: Sequence[Answer]) -> None:
        if not answers:
            raise ValueError("a sequence needs at least one answer")
        self.answers = list(answers)
        self.count = 0
        self.lock = threading.Lock()

    def next(self) -> Answer:
        with self.lock:
            answer = self.answers[min(self.count, len(self.answers) - 1)]
            self.count += 1
        return answer


Route = Reply | Stream | Turns | Callable[[Hit], Answer]


def html(
    text: str | bytes,
    status: int = 200,
    *,
    charset: str | None = "utf-8",
    encoding: str = "utf-8",
    headers: Iterable[tuple[str, str]] = (),
    **kwargs: Any,
) -> Reply:
    """An HTML answer: ``text`` encoded with ``encoding`` (bytes are sent as they are), and
    ``Content-Type: text/html`` with ``charset`` (None: no charset in the header)."""
    body = text if isinstance(text, bytes) else text.encode(encoding)
    ctype = f"text/html; charset={charset}" if charset else "text/html"
    return Reply(status, (("Content-Type", ctype), *headers), body, **kwargs)


def plain(text: str, status: int = 200, **kwargs: Any) -> Reply:
    return Reply(status, (("Content-Type", "text/plain; charset=utf-8"),), text.encode(), **kwargs)


def redirect(
    location: str, status: int = 302, *, headers: Iterable[tuple[str, str]] = (), **kwargs: Any
) -> Reply:
    return Reply(
        status, (("Location", location), ("Content-Type", "text/html"), *headers), b"", **kwargs
    )


NOT_FOUND = plain("404 Not Found: no route for this URL\n", 404)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self.server.fault._serve(self, body=True)

    def do_HEAD(self) -> None:
        self.server.fault._serve(self, body=False)

    def do_CONNECT(self) -> None:
        """Open a TLS tunnel to this same server, as a forward proxy does for https URLs."""
        fault = self.server.fault
        if fault.tls is None:
            self.send_error(501)
            return
        self._tunnel_host = self.path.rsplit(":", 1)[0] if ":" in self.path else self.path
        port = self.path.rsplit(":", 1)[1] if ":" in self.path else "443"
        if port != "443":
            self._tunnel_host += f":{port}"
        fault._log_connect(self)
        self.send_response_only(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            wrapped = fault.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = self.request = wrapped
        self.rfile = wrapped.makefile("rb", self.rbufsize)
        self.wfile = wrapped.makefile("wb", 0)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(LoopbackHTTPServer):
    """The project's loopback server, plus TLS and plain HTTP on one port."""

    def __init__(self, fault: FaultServer) -> None:
        self.fault = fault
        super().__init__(("127.0.0.1", 0), _Handler, socket.AF_INET, fault)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # TLS and plain HTTP on one port: a TLS client speaks first with a handshake record
        # (0x16), an HTTP client with a method name.
        if self.fault.tls is not None:
            request.settimeout(IDLE_TIMEOUT)
            try:
                first = request.recv(1, socket.MSG_PEEK)
            except OSError:
                return
            if first == b"\x16":
                try:
                    wrapped = self.fault.tls.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                with self._open_lock:
                    self._open.add(wrapped)
                try:
                    super().finish_request(wrapped, client_address)
                finally:
                    # The plain socket was detached by wrap_socket: shutdown_request cannot
                    # close this connection, so it is closed here.
                    with self._open_lock:
                        self._open.discard(wrapped)
                    try:
                        wrapped.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    wrapped.close()
                return
        super().finish_request(request, client_address)


class FaultServer:
    """An HTTP server on ``127.0.0.1:<free port>`` answering from per-test routes.

    A route is keyed by the request target as sent (``/news/shownews.php?id=1``) or, for a
    proxied or host-specific route, by the absolute URL (``http://www.x.test/``); its value
    is a :class:`Reply`, a :class:`Stream`, a :class:`Turns` or a callable taking the
    :class:`Hit` and returning an answer.  ``fallback`` answers what no route names (404 by
    default).  With ``tls`` (an ``ssl.SSLContext``) the same port also speaks https, and
    ``CONNECT`` opens a TLS tunnel to the server itself.
    """

    def __init__(
        self,
        routes: dict[str, Route] | None = None,
        *,
        fallback: Callable[[Hit], Answer] | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.fallback = fallback
        self.tls = tls
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = _Server(self)
        self.port = int(self._httpd.server_address[1])
        self.host = f"127.0.0.1:{self.port}"
        self.origin = f"http://{self.host}"
        self.tls_origin = f"https://{self.host}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fault-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving, end stalls and streams, drop connections; safe to call twice."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def route(self, key: str, answer: Route) -> None:
        self.routes[key] = answer

    @property
    def hits(self) -> list[Hit]:
        """A copy of the request log, in arrival order (CONNECT requests included)."""
        with self._lock:
            return list(self._hits)

    def targets(self, method: str = "GET") -> list[str]:
        """Request targets (path+query) in arrival order, for one method."""
        return [h.target for h in self.hits if h.method == method]

    def count(self, target: str) -> int:
        """How many GET requests had exactly this target."""
        return sum(1 for h in self.hits if h.method == "GET" and h.target == target)

    # -- serving ---------------------------------------------------------------------------

    def _log_connect(self, handler: _Handler) -> None:
        hit = Hit(
            "CONNECT",
            "tcp",
            handler.path,
            handler.path,
            {k.lower(): v for k, v in handler.headers.items()},
            time.monotonic(),
            time.monotonic(),
            200,
        )
        with self._lock:
            self._hits.append(hit)

    def _serve(self, handler: _Handler, *, body: bool) -> None:
        raw = handler.path
        scheme = "https" if isinstance(handler.connection, ssl.SSLSocket) else "http"
        host = handler.headers.get("Host", self.host)
        if raw.startswith(("http://", "https://")):  # absolute form: we are a proxy
            parts = urlsplit(raw)
            scheme, host = parts.scheme, parts.netloc
            raw = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        elif getattr(handler, "_tunnel_host", None):
            host = handler._tunnel_host
        hit = Hit(
            handler.command,
            scheme,
            host,
            raw,
            {k.lower(): v for k, v in handler.headers.items()},
            time.monotonic(),
        )
        with self._lock:
            self._hits.append(hit)
        answer = self._answer(hit)
        if isinstance(answer, Stream):
            self._stream(handler, hit, answer, body)
        else:
            self._reply(handler, hit, answer, body)

    def _answer(self, hit: Hit) -> Answer:
        route = self.routes.get(hit.url)
        if route is None:
            route = self.routes.get(hit.target)
        if route is None:
            return self.fallback(hit) if self.fallback else NOT_FOUND
        if isinstance(route, Turns):
            return route.next()
        if isinstance(route, (Reply, Stream)):
            return route
        return route(hit)

    def _wait(self, seconds: float) -> None:
        self._closing.wait(min(max(seconds, 0.0), MAX_HOLD))

    def _head(self, handler: _Handler, hit: Hit, status: int, headers: Iterable[tuple[str, str]]):
        hit.answered = time.monotonic()
        hit.status = status
        handler.send_response_only(status)
        for name, value in headers:
            handler.send_header(name, value)

    def _reply(self, handler: _Handler, hit: Hit, reply: Reply, body: bool) -> None:
        if reply.drop:
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if reply.delay:
            self._wait(reply.delay)
            if self._closing.is_set():
                handler.close_connection = True
                return
        self._head(handler, hit, reply.status, reply.headers)
        payload = reply.body
        if reply.chunked:
            handler.send_header("Transfer-Encoding", "chunked")
            payload = _chunked(payload)
        elif reply.length is None:
            if reply.status not in (204, 304):  # no body, and no Content-Length (RFC 9110)
                handler.send_header("Content-Length", str(len(payload)))
        elif reply.length >= 0:
            handler.send_header("Content-Length", str(reply.length))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if body:
            cut = payload if reply.send is None else payload[: reply.send]
            try:
                handler.wfile.write(cut)
                handler.wfile.flush()
                hit.sent = len(cut)
            except OSError:
                handler.close_connection = True
                return
        if reply.end == "keep":
            return
        handler.close_connection = True
        if reply.end == "hold":
            self._wait(reply.hold)
        sock = handler.connection
        try:
            if reply.end == "reset":
                time.sleep(0.05)  # let the bytes sent reach the client first
                # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            else:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _stream(self, handler: _Handler, hit: Hit, stream: Stream, body: bool) -> None:
        total = min(stream.total, MAX_STREAM)
        self._head(handler, hit, stream.status, stream.headers)
        if stream.length:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
        handler.close_connection = True
        handler.end_headers()
        if not body:
            return
        sent = 0
        try:
            handler.wfile.write(stream.head[:total])
            sent = hit.sent = len(stream.head[:total])
            while sent < total and not self._closing.is_set():
                piece = stream.chunk[: total - sent]
                handler.wfile.write(piece)
                sent = hit.sent = sent + len(piece)
        except OSError:
            pass  # the client gave up: that is the point


def _chunked(payload: bytes) -> bytes:
    """``payload`` in HTTP/1.1 chunked transfer coding, in 4 KiB chunks."""
    out = bytearray()
    for start in range(0, len(payload), 4096):
        piece = payload[start : start + 4096]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    out += b"0\r\n\r\n"
    return bytes(out)


@dataclass
class TlsFiles:
    """A self-signed certificate and key for the server's https side (not verified by the
    crawler, whose TLS context does not check certificates)."""

    cert: str
    key: str
    context: ssl.SSLContext = field(init=False)

    def __post_init__(self) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(self.cert, self.key)


def make_tls(folder: Any) -> TlsFiles:
    """Write a fresh self-signed certificate for 127.0.0.1 and any ``*.test`` host name."""
    import datetime as dt
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fault.test")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    folder = Path(folder)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TlsFiles(str(cert_path), str(key_path))
