"""Tests for the loopback replay server: WARC and manifest sites, lookup rules, log, CLI."""

from __future__ import annotations

import gzip
import http.client
import io
import json
import logging
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import IO

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.corpora import corpus_dirs, find_shared
from crawler.loopback import StopServing, stop_on_signal
from crawler.replay import (
    Archive,
    LoggedRequest,
    PortBusyError,
    RecordedResponse,
    ReplayServer,
    base_origin,
    canonical_target,
    default_port,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 5.0  # seconds, for every request and every wait on a subprocess
RECORDED_ORIGIN = "http://127.0.0.1:8720"

PAGE = "<html><head><title>Article 1</title></head><body>正文</body></html>".encode()
NOT_FOUND = b"<html><body>404 Not Found</body></html>"
CHUNKED_WIRE = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
AMP_PAGE = b"<html>recorded with &amp; in the query</html>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let 3xx responses surface as HTTPError so their status and Location can be checked."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxy: an http_proxy variable in the environment must not reroute loopback requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(url: str, method: str = "GET") -> tuple[int, Message, bytes]:
    """Request ``url`` without following redirects; return (status, headers, body)."""
    request = urllib.request.Request(url, method=method)
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def _write_pair(
    writer: WARCWriter, path: str, status: str, headers: list[tuple[str, str]], body: bytes
) -> None:
    """Write a request record and its response record, as a recorder would."""
    url = RECORDED_ORIGIN + path
    request_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1", [("Host", "127.0.0.1:8720")], is_http_request=True
    )
    writer.write_record(
        writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=request_headers
        )
    )
    response_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=response_headers
        )
    )


def _html(length: int) -> list[tuple[str, str]]:
    return [
        ("Server", "nginx/test"),
        ("Date", "Sun, 29 Nov 2026 22:47:53 GMT"),
        ("Content-Type", "text/html;charset=utf-8"),
        ("Connection", "keep-alive"),
        ("Content-Length", str(length)),
    ]


def write_sample_warc(path: Path) -> Path:
    """Write a small gzip WARC covering the cases the server must replay faithfully."""
    gz = gzip.compress(b"decoded by warcio")
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        _write_pair(writer, "/news/shownews.php?id=1&lang=en", "200 OK", _html(len(PAGE)), PAGE)
        _write_pair(
            writer,
            "/old/",
            "302 Found",
            [("Location", "/news/"), ("Content-Length", "0"), ("Connection", "keep-alive")],
            b"",
        )
        _write_pair(writer, "/missing.html", "404 Not Found", _html(len(NOT_FOUND)), NOT_FOUND)
        _write_pair(
            writer,
            "/chunked.txt",
            "200 OK",
            [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")],
            CHUNKED_WIRE,
        )
        _write_pair(
            writer,
            "/zipped.txt",
            "200 OK",
            [("Content-Type", "text/plain"), ("Content-Encoding", "gzip")],
            gz,
        )
        _write_pair(
            writer, "/news/news.php?class1=5&amp;lang=en", "200 OK", _html(len(AMP_PAGE)), AMP_PAGE
        )
        # Same canonical key twice, the &amp; form first (as in the metinfo72-donghu corpus).
        _write_pair(writer, "/p.php?id=7&amp;lang=en", "200 OK", [], b"amp variant")
        _write_pair(writer, "/p.php?id=7&lang=en", "200 OK", [], b"plain variant")
        # Same exact key twice: a 404 first, then the 200 that must win.
        _write_pair(writer, "/dup.html", "404 Not Found", [], b"first, 404")
        _write_pair(writer, "/dup.html", "200 OK", [], b"second, 200")
        _write_pair(writer, "/dup.html", "200 OK", [], b"third, 200")
    return path


@pytest.fixture(scope="module")
def warc_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_warc(tmp_path_factory.mktemp("warc") / "site.warc.gz")


@pytest.fixture
def server(warc_path: Path) -> Iterator[ReplayServer]:
    with ReplayServer(Archive.from_warc(warc_path)) as running:
        yield running


def test_page_with_query_is_served_with_recorded_status_headers_body(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/news/shownews.php?id=1&lang=en")
    assert status == 200
    assert body == PAGE
    assert headers["Content-Type"] == "text/html;charset=utf-8"
    assert headers["Content-Length"] == str(len(PAGE))
    # The recorded Server/Date replace http.server's own, not join them.
    assert headers.get_all("Server") == ["nginx/test"]
    assert headers.get_all("Date") == ["Sun, 29 Nov 2026 22:47:53 GMT"]
    assert headers.get("Connection") in (None, "close")  # recorded keep-alive is hop-by-hop


def test_head_sends_headers_and_length_without_body(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/news/shownews.php?id=1&lang=en", "HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(PAGE))


def test_redirect_keeps_location(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/old/")
    assert (status, headers["Location"], body) == (302, "/news/", b"")
    assert headers["Content-Length"] == "0"


def test_recorded_404_is_replayed(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/missing.html")
    assert (status, body) == (404, NOT_FOUND)
    assert headers["Content-Type"] == "text/html;charset=utf-8"


def test_chunked_recording_is_served_dechunked(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/chunked.txt")
    assert (status, body) == (200, b"hello world")
    assert "Transfer-Encoding" not in headers
    assert headers["Content-Length"] == "11"


def test_gzip_recording_is_served_decoded_without_content_encoding(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/zipped.txt")
    assert (status, body) == (200, b"decoded by warcio")
    assert "Content-Encoding" not in headers
    assert headers["Content-Length"] == str(len(b"decoded by warcio"))


@pytest.mark.parametrize(
    "target",
    [
        "/news/shownews.php?lang=en&id=1",  # parameters in another order
        "/news/shownews.php?id=1&amp;lang=en",  # &amp; left in by a sloppy sitemap reader
        "/news/shownews.php?%69d=1&lang=en",  # percent-encoded unreserved character
    ],
)
def test_canonical_form_finds_the_recording(server: ReplayServer, target: str):
    assert fetch(server.origin + target)[::2] == (200, PAGE)


def test_url_recorded_with_amp_is_found_raw_and_canonically(server: ReplayServer):
    assert fetch(server.origin + "/news/news.php?class1=5&amp;lang=en")[::2] == (200, AMP_PAGE)
    assert fetch(server.origin + "/news/news.php?lang=en&class1=5")[::2] == (200, AMP_PAGE)


def test_canonical_key_prefers_the_recording_without_amp(server: ReplayServer):
    assert fetch(server.origin + "/p.php?lang=en&id=7")[::2] == (200, b"plain variant")
    # Each exact form still gets its own recording.
    assert fetch(server.origin + "/p.php?id=7&amp;lang=en")[::2] == (200, b"amp variant")
    assert fetch(server.origin + "/p.php?id=7&lang=en")[::2] == (200, b"plain variant")


def test_duplicate_recordings_keep_the_first_200(server: ReplayServer):
    assert fetch(server.origin + "/dup.html")[::2] == (200, b"second, 200")


def test_unknown_path_is_404_with_small_body(server: ReplayServer):
    status, headers, body = fetch(server.origin + "/nowhere?x=1")
    assert status == 404
    assert headers["Content-Type"].startswith("text/plain")
    assert 0 < len(body) < 200
    assert headers["Content-Length"] == str(len(body))


def test_request_log_list_count_and_logging(server: ReplayServer, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="crawler.replay")
    fetch(server.origin + "/news/shownews.php?id=1&lang=en")
    fetch(server.origin + "/old/", "HEAD")
    fetch(server.origin + "/nowhere")
    assert server.requests == [
        LoggedRequest("GET", "/news/shownews.php?id=1&lang=en", 200),
        ("HEAD", "/old/", 302),
        ("GET", "/nowhere", 404),
    ]
    assert server.request_count == 3
    assert server.status_counts() == {200: 1, 302: 1, 404: 1}
    lines = [r.getMessage() for r in caplog.records if r.name == "crawler.replay"]
    assert lines == [
        "GET /news/shownews.php?id=1&lang=en 200",
        "HEAD /old/ 302",
        "GET /nowhere 404",
    ]


def test_busy_port_raises_port_busy_error(warc_path: Path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(PortBusyError, match=f"port {port}") as caught:
            ReplayServer(Archive.from_warc(warc_path), port=port)
    assert issubclass(PortBusyError, OSError)
    assert caught.value.port == port


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.org", ""])
def test_non_loopback_host_is_refused(warc_path: Path, host: str):
    with pytest.raises(ValueError):
        ReplayServer(Archive.from_warc(warc_path), host=host)


def test_close_releases_the_port_even_with_an_idle_keepalive_client(warc_path: Path):
    archive = Archive.from_warc(warc_path)
    server = ReplayServer(archive)
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    client.request("GET", "/missing.html")
    assert client.getresponse().read() == NOT_FOUND  # connection stays open (HTTP/1.1)
    started = time.monotonic()
    server.close()
    server.close()  # idempotent
    assert time.monotonic() - started < TIMEOUT
    client.close()
    with ReplayServer(archive, port=server.port) as again:
        assert fetch(again.origin + "/old/")[0] == 302


def test_delay_adds_latency(warc_path: Path):
    with ReplayServer(Archive.from_warc(warc_path), delay=0.2) as slow:
        started = time.monotonic()
        assert fetch(slow.origin + "/old/")[0] == 302
        assert time.monotonic() - started >= 0.2


def test_client_hanging_up_mid_response_prints_no_traceback(
    warc_path: Path, capfd: pytest.CaptureFixture[str]
):
    # The client resets its connection while the server waits out its delay, so the answer
    # is written to a dead socket (what a crawl stopped with Ctrl-C does to the server).
    with ReplayServer(Archive.from_warc(warc_path), delay=0.3) as slow:
        sock = socket.create_connection(("127.0.0.1", slow.port), timeout=TIMEOUT)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(b"GET /old/ HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.close()
        deadline = time.monotonic() + TIMEOUT
        while not slow.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # the write to the reset socket happens just after the log entry
        assert fetch(slow.origin + "/old/")[0] == 302  # and the server still serves
    assert [r.path for r in slow.requests] == ["/old/", "/old/"]
    assert "Traceback" not in capfd.readouterr().err


def test_canonical_target_shapes():
    assert canonical_target("/a.php?b=2&amp;a=1&c=") == "/a.php?a=1&b=2&c="
    assert canonical_target("/") == "/"
    assert canonical_target("*") is None


def test_archive_mapping_is_exact_and_lookup_is_canonical(warc_path: Path):
    archive = Archive.from_warc(warc_path)
    assert archive.name == "site"
    assert "/dup.html" in archive and len(archive) == 9
    assert "/news/shownews.php?lang=en&id=1" not in archive
    found = archive.lookup("/news/shownews.php?lang=en&id=1")
    assert found is not None and found.header("content-type") == "text/html;charset=utf-8"
    assert archive.lookup("/nowhere") is None


def _write_manifest_site(root: Path) -> Path:
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "robots.txt").write_bytes(b"User-agent: *\nSitemap: {{ORIGIN}}/sitemap.xml\n")
    (root / "pages" / "a.html").write_bytes("<p>一</p>".encode())
    manifest = {
        "name": "tiny-sample",
        "responses": [
            {
                "path": "/robots.txt",
                "status": 200,
                "headers": {"Content-Type": "text/plain"},
                "file": "pages/robots.txt",
            },
            {
                "path": "/news/shownews.php?id=1",
                "status": 200,
                "headers": {"Content-Type": "text/html; charset=utf-8", "Content-Length": "999"},
                "file": "pages/a.html",
            },
            {"path": "/old/", "status": 301, "headers": {"Location": "{{ORIGIN}}/news/"}},
            {"path": "/rel/", "status": 301, "headers": {"Location": "/news/"}},
        ],
    }
    path = root / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


def test_manifest_site_substitutes_origin(tmp_path: Path):
    manifest = _write_manifest_site(tmp_path / "site")
    archive = Archive.load(tmp_path / "site")
    assert archive.name == "tiny-sample" and archive.templated
    assert Archive.load(manifest).name == "tiny-sample"
    with ReplayServer(archive) as served:
        status, _, body = fetch(served.origin + "/robots.txt")
        assert (status, body) == (
            200,
            f"User-agent: *\nSitemap: {served.origin}/sitemap.xml\n".encode(),
        )
        status, headers, body = fetch(served.origin + "/news/shownews.php?id=1")
        assert (status, body) == (200, "<p>一</p>".encode())
        assert headers["Content-Length"] == str(len(body))  # the manifest's 999 is not served
        status, headers, body = fetch(served.origin + "/old/")
        assert (status, headers["Location"], body) == (301, served.origin + "/news/", b"")
        assert fetch(served.origin + "/rel/")[1]["Location"] == "/news/"


def test_manifest_file_outside_its_folder_is_refused(tmp_path: Path):
    (tmp_path / "secret.txt").write_text("no")
    (tmp_path / "site").mkdir()
    manifest = tmp_path / "site" / "manifest.json"
    manifest.write_text(json.dumps({"responses": [{"path": "/x", "file": "../secret.txt"}]}))
    with pytest.raises(ValueError, match="outside"):
        Archive.from_manifest(manifest)


def test_corpus_folder_loading_and_base_origin(tmp_path: Path, warc_path: Path):
    corpus = tmp_path / "corpus-x"
    corpus.mkdir()
    (corpus / "site.warc.gz").write_bytes(warc_path.read_bytes())
    (corpus / "site.json").write_text(json.dumps({"name": "x", "base_url": RECORDED_ORIGIN}))
    assert Archive.load(corpus).name == "x"
    assert base_origin(corpus) == ("127.0.0.1", 8720)
    assert default_port(corpus) == 8720
    # The corpus's own WARC file is the corpus (a user often names the file, not the folder);
    # a WARC outside a corpus folder gets any free port.
    assert default_port(corpus / "site.warc.gz") == 8720
    assert Archive.load(corpus / "site.warc.gz").name == "x"
    assert default_port(warc_path) == 0
    with pytest.raises(FileNotFoundError):
        Archive.load(tmp_path / "absent")


def test_corpus_dirs_lists_only_folders_with_a_warc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    (tmp_path / "sites" / "b").mkdir(parents=True)
    (tmp_path / "sites" / "b" / "site.warc.gz").write_bytes(b"")
    (tmp_path / "sites" / "a-no-warc").mkdir()
    monkeypatch.setenv("METINFO_SHARED", str(tmp_path))
    assert find_shared() == tmp_path.resolve()
    assert corpus_dirs() == [tmp_path.resolve() / "sites" / "b"]
    monkeypatch.setenv("METINFO_SHARED", str(tmp_path / "absent"))
    assert find_shared() is None and corpus_dirs() == []


def _readline(stream: IO[bytes], timeout: float) -> bytes:
    """Read one line from a subprocess pipe, failing the test instead of hanging."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, f"no output within {timeout} s"
    return stream.readline()


def test_cli_serves_and_logs_requests(warc_path: Path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.replay", str(warc_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = _readline(process.stdout, TIMEOUT).decode().strip()
        assert first.startswith("serving site at http://127.0.0.1:"), first
        origin = first.rsplit(" ", 1)[1]
        assert fetch(origin + "/news/shownews.php?id=1&lang=en")[::2] == (200, PAGE)
        line = _readline(process.stdout, TIMEOUT).decode().strip()
        assert line == "GET /news/shownews.php?id=1&lang=en 200"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)
            raise
    assert code == 0, process.stderr.read() if process.stderr else ""


def test_a_second_stop_signal_is_ignored_while_the_first_one_stops_the_server():
    # A timeout wrapper and a shell may both send one: raising StopServing again inside
    # the shutdown printed a traceback and exited 1.
    previous = signal.signal(signal.SIGUSR1, stop_on_signal)
    try:
        with pytest.raises(StopServing):
            os.kill(os.getpid(), signal.SIGUSR1)
            time.sleep(1)  # the handler runs at the next bytecode boundary
        assert signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGUSR1)  # ignored now: nothing is raised
    finally:
        signal.signal(signal.SIGUSR1, previous)


@pytest.mark.parametrize("port", ["65536", "99999", "-1"])
def test_cli_port_outside_0_65535_is_a_usage_error(warc_path: Path, port: str):
    """Like every other bad argument: a message and exit code 2, not bind()'s OverflowError."""
    result = subprocess.run(
        [sys.executable, "-m", "crawler.replay", str(warc_path), f"--port={port}"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"argument --port: {port} is not a TCP port (0-65535)" in result.stderr


def test_real_corpus_metinfo72_donghu():
    shared = find_shared()
    if shared is None:
        pytest.skip("no shared corpora folder (../shared beside the repo, or METINFO_SHARED)")
    corpus = shared / "sites" / "metinfo72-donghu"
    if not (corpus / "site.warc.gz").is_file():
        pytest.skip(f"corpus metinfo72-donghu is not in the shared folder {shared}")
    with ReplayServer(Archive.load(corpus), port=0) as served:
        status, _, body = fetch(served.origin + "/robots.txt")
        assert status == 200 and b"Sitemap:" in body
        status, headers, body = fetch(served.origin + "/news/shownews.php?id=99999")
        assert (status, body, headers["Content-Length"]) == (200, b"", "0")


def test_recorded_response_header_lookup():
    response = RecordedResponse(200, [("X-A", "1"), ("x-a", "2")], b"")
    assert response.header("x-A") == "1"
    assert response.header("missing") is None
