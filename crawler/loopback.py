"""A small HTTP server on a loopback port, run in a daemon thread, with a request log.

The base of the replay server (``crawler.replay``) and of the benchmark site generator's
server (``bench.sitegen``): both bind only to loopback addresses, keep HTTP/1.1 connections
alive, drop them at once on close, and log every request.
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, NamedTuple, NoReturn


class LoggedRequest(NamedTuple):
    """One request a loopback server answered: method, raw path+query, status sent."""

    method: str
    path: str
    status: int


class StopServing(Exception):
    """Raised in the main thread by :func:`stop_on_signal` to end a serve-until-stopped
    loop."""


def stop_on_signal(signum: int, frame: FrameType | None) -> NoReturn:
    """A SIGTERM handler for a command that serves until stopped: raises
    :class:`StopServing` in the main thread.  Setting a ``threading.Event`` here instead can
    hang for good: the handler runs in the main thread, which may be holding that Event's
    lock inside ``wait()`` (seen once: a replay server that ignored SIGTERM).  A second
    signal while the server shuts down is ignored (a ``timeout`` wrapper and a shell may
    both send one): no traceback, the first stop goes on."""
    signal.signal(signum, signal.SIG_IGN)
    raise StopServing


class PortBusyError(OSError):
    """The server could not bind because another socket already uses the port.

    Attributes:
        host: the host the server tried to bind.
        port: the port number that is busy.
    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            errno.EADDRINUSE,
            f"port {port} on {host} is already in use; stop the other server or pick another "
            "port (--port 0 picks a free one, but a corpus must be served at the port of its "
            "base_url for robots.txt, sitemap.xml and truth URLs to match)",
        )
        self.host = host
        self.port = port


def loopback_address(host: str) -> tuple[str, socket.AddressFamily]:
    """(address, family) for a loopback host (``localhost`` is 127.0.0.1).

    Raises ``ValueError`` for anything that is not a loopback address: these servers are
    for tests and benchmarks on this machine only.
    """
    address = "127.0.0.1" if host == "localhost" else host
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(
            f"host must be a loopback address such as 127.0.0.1, got {host!r}"
        ) from None
    if not ip.is_loopback:
        raise ValueError(f"refusing to serve on non-loopback host {host!r}")
    return address, socket.AF_INET6 if ip.version == 6 else socket.AF_INET


class LoopbackHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its owner and can drop open keep-alive connections."""

    daemon_threads = True
    allow_reuse_address = True  # rebinding a port in TIME_WAIT is fine; a live listener is not
    allow_reuse_port = False  # SO_REUSEPORT would let two servers share a port silently

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        family: socket.AddressFamily,
        owner: Any,
    ) -> None:
        self.address_family = family
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-response (a crawl stopped with Ctrl-C, a timeout) is
        normal for a local server: no traceback for a broken pipe or a reset connection;
        anything else is printed as socketserver prints it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Shut down every open client connection so idle keep-alive threads end now."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer


class LoopbackServer:
    """Bind ``handler`` on a loopback ``host``/``port`` (0: any free port).

    A subclass sets up what its handler needs (the handler reaches the server object as
    ``self.server.owner``) and then calls :meth:`_serve` to start the daemon thread.  Use it
    as a context manager or call :meth:`close`.  ``log=False`` keeps only the counts (for
    very long benchmark runs).

    Raises ``ValueError`` for a non-loopback host, :class:`PortBusyError` when the port is
    in use, ``OSError`` for any other bind failure.

    Attributes: ``host``, ``port``, ``origin`` (``http://127.0.0.1:PORT``).
    """

    thread_name = "loopback"

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log: bool = True,
    ) -> None:
        address, family = loopback_address(host)
        self._log = log
        self._requests: list[LoggedRequest] = []
        self._statuses: Counter[int] = Counter()
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False
        try:
            self._httpd = LoopbackHTTPServer((address, port), handler, family, self)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortBusyError(host, port) from exc
            raise
        self.host = address
        self.port = int(self._httpd.server_address[1])
        shown = f"[{address}]" if family == socket.AF_INET6 else address
        self.origin = f"http://{shown}:{self.port}"
        self._thread: threading.Thread | None = None

    def _serve(self) -> None:
        """Start answering requests (in a daemon thread)."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self.thread_name}-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def __enter__(self) -> Any:
        """Return the running server."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the server."""
        self.close()

    def close(self) -> None:
        """Stop serving, drop open connections and release the port; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log: (method, raw path+query, status) in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        """Requests answered so far."""
        with self._lock:
            return self._count

    def status_counts(self) -> Counter[int]:
        """How many requests got each status."""
        with self._lock:
            return Counter(self._statuses)

    def reset_log(self) -> None:
        """Forget the requests seen so far (between two runs of a test)."""
        with self._lock:
            self._requests.clear()
            self._statuses.clear()
            self._count = 0

    def _record(self, method: str, path: str, status: int) -> None:
        """Log one answered request (called by the handler)."""
        with self._lock:
            self._count += 1
            self._statuses[status] += 1
            if self._log:
                self._requests.append(LoggedRequest(method, path, status))
