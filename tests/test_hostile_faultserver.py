"""The fault server does the faults the hostile-input tests rely on (so none of them passes
because a fault silently did not happen).  Raw sockets on 127.0.0.1, every read bounded."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import pytest

from tests.hostile.faultserver import FaultServer, Reply, Stream, Turns, html, make_tls, redirect

PAGE = b"<html><body>" + b"x" * 5000 + b"</body></html>"


def exchange(port: int, request: bytes, *, timeout: float = 3.0) -> tuple[bytes, str]:
    """Send ``request`` and read until the server closes; (bytes read, how it ended)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = bytearray()
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            return bytes(data), "reset"
        except TimeoutError:
            return bytes(data), "timeout"
    return bytes(data), "closed"


def get(target: str, host: str = "t.test") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()


def split(raw: bytes) -> tuple[bytes, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


def test_a_short_body_announces_more_than_it_sends_then_closes() -> None:
    with FaultServer({"/p": html(PAGE, send=1000, end="close")}) as server:
        raw, ended = exchange(server.port, get("/p"))
    head, body = split(raw)
    assert ended == "closed"
    assert f"Content-Length: {len(PAGE)}".encode() in head
    assert body == PAGE[:1000]


def test_a_reset_sends_part_of_the_body_then_rst() -> None:
    with FaultServer({"/p": html(PAGE, send=1000, end="reset")}) as server:
        raw, ended = exchange(server.port, get("/p"))
    assert ended == "reset"
    assert len(split(raw)[1]) <= 1000


def test_a_hold_stalls_after_part_of_the_body() -> None:
    with FaultServer({"/p": html(PAGE, send=1000, end="hold", hold=5)}) as server:
        started = time.monotonic()
        raw, ended = exchange(server.port, get("/p"), timeout=0.5)
        assert ended == "timeout"
        assert split(raw)[1] == PAGE[:1000]
        assert time.monotonic() - started < 2


def test_a_delay_holds_back_the_status_line() -> None:
    with FaultServer({"/p": html(PAGE, delay=1.0)}) as server:
        raw, ended = exchange(server.port, get("/p"), timeout=0.5)
        assert (raw, ended) == (b"", "timeout")
        (hit,) = server.hits
        assert hit.answered is None


def test_a_cut_chunked_body_has_no_last_chunk() -> None:
    reply = html(PAGE, chunked=True, send=2000, end="close")
    with FaultServer({"/p": reply}) as server:
        raw, _ = exchange(server.port, get("/p"))
    head, body = split(raw)
    assert b"Transfer-Encoding: chunked" in head
    assert len(body) == 2000
    assert not body.endswith(b"0\r\n\r\n")


def test_a_close_delimited_body_has_no_length() -> None:
    with FaultServer({"/p": html(PAGE, length=-1, end="close")}) as server:
        raw, _ = exchange(server.port, get("/p"))
    head, body = split(raw)
    assert b"Content-Length" not in head
    assert body == PAGE


def test_turns_answer_in_order_and_repeat_the_last() -> None:
    turns = Turns([Reply(503), Reply(429), html(b"ok")])
    with FaultServer({"/p": turns}) as server:
        statuses = [exchange(server.port, get("/p"))[0].split(b" ", 2)[1] for _ in range(4)]
        assert [h.status for h in server.hits] == [503, 429, 200, 200]
    assert statuses == [b"503", b"429", b"200", b"200"]


def test_a_stream_stops_when_the_client_goes() -> None:
    with FaultServer({"/big": Stream(400 * 1024 * 1024)}) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=3) as sock:
            sock.sendall(get("/big"))
            received = 0
            while received < 1024 * 1024:
                received += len(sock.recv(65536))
        # The server notices the closed connection and stops writing.
        time.sleep(0.3)
        sent = server.hits[0].sent
        time.sleep(0.3)
        assert 1024 * 1024 <= server.hits[0].sent == sent < 64 * 1024 * 1024


def test_routes_by_absolute_url_as_a_proxy_and_logs_headers() -> None:
    routes = {"http://www.y.test/a": redirect("/b"), "/a": html(b"other host")}
    with FaultServer(routes) as server:
        proxied = (
            b"GET http://www.y.test/a HTTP/1.1\r\nHost: www.y.test\r\nCookie: c=1\r\n"
            b"Connection: close\r\n\r\n"
        )
        raw, _ = exchange(server.port, proxied, timeout=1)
        plain_raw, _ = exchange(server.port, get("/a"))
        hit = server.hits[0]
    assert raw.startswith(b"HTTP/1.1 302") and b"Location: /b" in raw
    assert split(plain_raw)[1] == b"other host"
    assert (hit.scheme, hit.host, hit.target, hit.headers["cookie"]) == (
        "http",
        "www.y.test",
        "/a",
        "c=1",
    )


def test_tls_and_plain_http_share_one_port(tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    client = ssl.create_default_context()
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    with FaultServer({"/p": html(b"hello")}, tls=tls.context) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=3) as raw_sock:
            with client.wrap_socket(raw_sock) as sock:
                sock.sendall(get("/p", server.host))
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
        plain_raw, _ = exchange(server.port, get("/p", server.host))
        schemes = [h.scheme for h in server.hits]
    assert split(data)[1] == b"hello" and split(plain_raw)[1] == b"hello"
    assert schemes == ["https", "http"]


@pytest.mark.parametrize("status", [204, 304])
def test_no_length_for_bodiless_statuses(status: int) -> None:
    with FaultServer({"/p": Reply(status)}) as server:
        raw, _ = exchange(server.port, get("/p"))
    assert b"Content-Length" not in raw
