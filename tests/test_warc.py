"""Issue 5, WARC capture: records as sent, valid files, rotation, crash repair, no credentials."""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b32encode
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response
from warcio.archiveiterator import ArchiveIterator

from crawler.replay import Archive, ReplayServer
from crawler.sample import crawl_command
from crawler.warc import (
    OPEN_SUFFIX,
    WarcFiles,
    check_warc,
    exchange_bytes,
    repair_open_warc,
    repair_open_warcs,
    warcinfo_bytes,
    without_userinfo,
)
from crawler.warc import main as warc_main
from tests.archiving import (
    GZIP_ARTICLE,
    MISSING_ARTICLE,
    Record,
    archive_site,
    assert_warcs_valid,
    corpus_crawl,
    crawl_site,
    gzip_test,
    pywb_bin,
    read_records,
    warcio_check,
)
from tests.support import REPO_ROOT, SAMPLE_SITE, read_feed

NOW = datetime(2026, 11, 30, 1, 2, 3, 456789, tzinfo=timezone.utc)
SECRET = "s3cr3t-t0ken"


def sha1_digest(data: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(data).digest()).decode("ascii")


def one_exchange(request: Request, response: Response) -> list[Record]:
    return _records_from_bytes(exchange_bytes(request, response, date=NOW))


def _records_from_bytes(data: bytes) -> list[Record]:
    records = []
    for record in ArchiveIterator(BytesIO(data)):
        http = record.http_headers
        records.append(
            Record(
                type=record.rec_type,
                uri=record.rec_headers.get_header("WARC-Target-URI") or "",
                headers=dict(record.rec_headers.headers),
                http_status=int(http.get_statuscode()) if record.rec_type == "response" else None,
                http_headers=list(http.headers),
                http_line=f"{http.protocol} {http.statusline}".strip(),
                payload=record.raw_stream.read(),
            )
        )
    return records


# --- records -------------------------------------------------------------------------------------


def test_a_gzip_response_is_stored_as_sent_with_its_request() -> None:
    body = gzip.compress("<html><title>通知</title></html>".encode(), mtime=0)
    request = Request(
        "http://news.example/a?id=1",
        headers={"User-Agent": "metinfo-crawler/0", "Accept-Encoding": "gzip"},
    )
    response = HtmlResponse(
        "http://news.example/a?id=1",
        status=200,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Content-Encoding": "gzip",
            "Transfer-Encoding": "chunked",
        },
        body=body,
        request=request,
    )
    stored, sent = one_exchange(request, response)
    assert (stored.type, sent.type) == ("response", "request")
    assert stored.payload == body  # compressed, byte for byte
    assert stored.http_header("Content-Encoding") == "gzip"
    assert stored.http_header("Transfer-Encoding") is None
    assert stored.http_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert stored.http_line == "HTTP/1.1 200 OK"
    assert stored.headers["WARC-Payload-Digest"] == sha1_digest(body)
    assert stored.headers["WARC-Date"] == "2026-11-30T01:02:03.456789Z"
    assert stored.headers["WARC-Target-URI"] == sent.headers["WARC-Target-URI"]
    assert stored.headers["WARC-Concurrent-To"] == sent.headers["WARC-Record-ID"]
    assert sent.headers["WARC-Concurrent-To"] == stored.headers["WARC-Record-ID"]
    assert sent.http_line == "GET /a?id=1 HTTP/1.1"
    assert sent.http_header("Host") == "news.example"
    assert sent.http_header("User-Agent") == "metinfo-crawler/0"


def test_credentials_never_reach_a_request_record() -> None:
    request = Request(
        "http://user:pa55@news.example/private/",
        headers={
            "Authorization": f"Basic {SECRET}",
            "Cookie": f"sid={SECRET}",
            "Proxy-Authorization": f"Basic {SECRET}",
            "Accept": "text/html",
        },
    )
    response = HtmlResponse(
        request.url,
        headers={"Set-Cookie": f"sid={SECRET}-2; path=/", "Content-Type": "text/html"},
        body=b"<html></html>",
        request=request,
    )
    data = exchange_bytes(request, response, date=NOW)
    assert SECRET.encode() not in data and b"pa55" not in gzip.decompress(data)
    stored, sent = _records_from_bytes(data)
    assert sent.http_header("Accept") == "text/html"
    assert sent.http_header("Host") == "news.example"
    assert stored.uri == "http://news.example/private/"
    # The request carried credentials: the cookie it got may be a login's, so it goes too.
    assert stored.http_header("Set-Cookie") is None


def test_an_anonymous_set_cookie_is_kept_as_sent() -> None:
    request = Request("http://news.example/")
    response = HtmlResponse(
        request.url, headers={"Set-Cookie": "PHPSESSID=abc; path=/"}, body=b"x", request=request
    )
    stored, _ = one_exchange(request, response)
    assert stored.http_header("Set-Cookie") == "PHPSESSID=abc; path=/"


def test_a_cut_body_is_marked_truncated() -> None:
    request = Request("http://news.example/big.pdf")
    response = Response(request.url, body=b"%PDF-1.4 half", flags=["dataloss"], request=request)
    stored, _ = one_exchange(request, response)
    assert stored.headers["WARC-Truncated"] == "disconnect"


def test_userinfo_is_dropped_from_urls() -> None:
    assert without_userinfo("http://a:b@host:81/x?y#z") == "http://host:81/x?y#z"
    assert without_userinfo("http://host/") == "http://host/"


# --- files: rotation, repair, check --------------------------------------------------------------


def _pair(number: int, size: int = 3000, info_id: str | None = None) -> bytes:
    url = f"http://news.example/a?id={number}"
    request = Request(url)
    body = os.urandom(size)  # incompressible: the file grows by about `size` per pair
    response = Response(url, body=body, request=request)
    return exchange_bytes(request, response, date=NOW, warcinfo_id=info_id)


def test_files_rotate_at_the_size_limit_and_are_open_only_while_written(tmp_path: Path) -> None:
    files = WarcFiles(tmp_path, max_bytes=10_000, info=lambda: {"software": "test"})
    for number in range(8):
        files.write(lambda info_id, n=number: _pair(n, info_id=info_id))
        open_now = list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
        assert len(open_now) <= 1
    files.close()
    closed = sorted(tmp_path.glob("*.warc.gz"))
    assert len(closed) >= 3, closed
    assert not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    for path in closed:
        records = read_records([path])
        assert records[0].type == "warcinfo", path.name
        info_id = records[0].headers["WARC-Record-ID"]
        assert all(r.headers.get("WARC-Warcinfo-ID") == info_id for r in records[1:])
        assert path.stat().st_size < 10_000 + 2 * 3500
    assert_warcs_valid(closed)


def _open_file(folder: Path, pairs: int) -> Path:
    path = folder / f"metinfo-test-00000-1.warc.gz{OPEN_SUFFIX}"
    data, _ = warcinfo_bytes(path.name, {"software": "test"})
    path.write_bytes(data + b"".join(_pair(n, 2000) for n in range(pairs)))
    return path


def test_a_torn_open_file_is_cut_to_its_last_complete_record_and_closed(tmp_path: Path) -> None:
    path = _open_file(tmp_path, 3)
    whole = path.read_bytes()
    path.write_bytes(whole[:-50])  # a crash in the middle of the last record
    torn = path.with_name("torn.warc.gz")
    torn.write_bytes(whole[:-50])
    # The reliability plan's finding: warcio check alone passes a truncated file.
    assert warcio_check([torn]).returncode == 0
    assert not gzip_test(torn)[0]
    assert not check_warc(torn).ok
    torn.unlink()

    result = repair_open_warc(path)
    assert result.closed is not None and result.closed.name.endswith(".warc.gz")
    assert not path.exists()
    assert result.records == 6 and result.cut_bytes > 0  # warcinfo + 2 pairs + 1 response
    assert_warcs_valid([result.closed])


def test_check_of_a_folder_names_an_unclosed_file_and_checks_nothing_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A folder holding only a killed crawl's .open file, or nothing, is no passed check.
    assert warc_main(["check", str(tmp_path)]) == 1
    assert "no .warc.gz file to check" in capsys.readouterr().out
    path = _open_file(tmp_path, 2)
    assert warc_main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: not closed" in out and "repair" in out
    repair_open_warcs(tmp_path)
    assert warc_main(["check", str(tmp_path)]) == 0
    assert ": ok: 5 records" in capsys.readouterr().out  # warcinfo + 2 request/response pairs


def test_an_open_file_without_a_complete_record_is_removed(tmp_path: Path) -> None:
    path = tmp_path / f"x.warc.gz{OPEN_SUFFIX}"
    path.write_bytes(gzip.compress(os.urandom(2000))[:500])
    [result] = repair_open_warcs(tmp_path)
    assert result.closed is None and not path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_an_open_file_another_run_is_writing_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    path = _open_file(tmp_path, 1)
    with path.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        [result] = repair_open_warcs(tmp_path)
    assert result.in_use and path.exists()


# --- a crawl -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_site(tmp_path_factory.mktemp("site") / "site")


def test_a_crawl_records_every_response_as_sent(site: Path, tmp_path: Path) -> None:
    crawl = crawl_site(site, tmp_path, "METINFO_WARC_MAX_BYTES=20000")
    warcs = crawl.warcs()
    assert len(warcs) >= 2, "the size limit did not rotate the files"
    assert not list(tmp_path.rglob(f"*{OPEN_SUFFIX}"))
    assert_warcs_valid(warcs)

    records = read_records(warcs)
    responses = [r for r in records if r.type == "response"]
    requests = {r.headers["WARC-Record-ID"]: r for r in records if r.type == "request"}
    origin = crawl.origin
    # Every response the server sent is recorded once, with its request.
    served = sorted(origin + r.path for r in crawl.requests)
    assert sorted(r.uri for r in responses) == served
    for response in responses:
        request = requests[response.headers["WARC-Concurrent-To"]]
        assert request.headers["WARC-Concurrent-To"] == response.headers["WARC-Record-ID"]
        assert request.uri == response.uri
        assert response.headers["WARC-Payload-Digest"] == sha1_digest(response.payload)
    by_uri = {r.uri: r for r in responses}
    assert by_uri[f"{origin}/robots.txt"].http_status == 200
    redirect = by_uri[f"{origin}/sitemap.xml"]
    assert redirect.http_status == 301
    assert redirect.http_header("Location") == f"{origin}/sitemap-main.xml"
    assert by_uri[f"{origin}/sitemap-main.xml"].http_status == 200
    assert by_uri[origin + MISSING_ARTICLE].http_status == 404
    packed = by_uri[origin + GZIP_ARTICLE]
    assert packed.http_header("Content-Encoding") == "gzip"
    assert packed.payload == (site / "pages" / "news-shownews-5.html.gz").read_bytes()
    assert by_uri[f"{origin}/"].http_header("Set-Cookie") == "PHPSESSID=s3ss10n; path=/"
    # ... while the exported item was read from the decoded page.
    [item] = [i for i in crawl.run.items if i["url"] == origin + GZIP_ARTICLE]
    assert item["title"] == "商会举办中小企业融资对接会"

    [info, *_] = [r for r in records if r.type == "warcinfo"]
    text = info.payload.decode("utf-8")
    for field in ("software: metinfo-crawler/", "robots: obey", "payload: as sent", "format:"):
        assert field in text
    assert f'"url": "{origin}/"' in text


def test_credentials_sent_by_a_spider_are_not_recorded(tmp_path: Path) -> None:
    spider = tmp_path / "sendsecrets.py"
    spider.write_text(
        f'''
import scrapy


class SendSecrets(scrapy.Spider):
    name = "sendsecrets"

    def __init__(self, origin="", **kwargs):
        super().__init__(**kwargs)
        self.origin = origin

    async def start(self):
        yield scrapy.Request(
            self.origin + "/",
            headers={{
                "Authorization": "Bearer {SECRET}",
                "Cookie": "session={SECRET}",
                "Proxy-Authorization": "Basic {SECRET}",
                "X-Api-Key": "{SECRET}",
            }},
            callback=self.done,
        )
        yield scrapy.Request(self.origin + "/robots.txt", callback=self.done)

    def done(self, response):
        return None
''',
        encoding="utf-8",
    )
    warc_dir = tmp_path / "warc"
    with ReplayServer(Archive.load(SAMPLE_SITE)) as server:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "runspider",
                str(spider),
                "-a",
                f"origin={server.origin}",
                "-s",
                f"METINFO_WARC={warc_dir}",
                "-s",
                "METINFO_WARC_REDACT_HEADERS=X-Api-Key",
                "-s",
                "ROBOTSTXT_OBEY=0",
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        served = server.request_count
    assert result.returncode == 0, result.stderr[-3000:]
    assert served == 2
    warcs = sorted(warc_dir.glob("*.warc.gz"))
    assert_warcs_valid(warcs)
    for path in warcs:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
        assert SECRET.encode() not in raw, f"a credential reached {path.name}"
    records = read_records(warcs)
    home_request = next(r for r in records if r.type == "request" and r.uri == server.origin + "/")
    names = {k.lower() for k, _ in home_request.http_headers}
    assert not names & {"authorization", "cookie", "proxy-authorization", "x-api-key"}
    assert "user-agent" in names


def _wait_for_bytes(folder: Path, minimum: int, process: subprocess.Popen[Any]) -> Path | None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        for path in folder.glob(f"*{OPEN_SUFFIX}"):
            if path.stat().st_size >= minimum:
                return path
        time.sleep(0.05)
    return None


def test_a_crawl_killed_mid_run_leaves_warcs_that_pass_after_the_next_start(
    site: Path, tmp_path: Path
) -> None:
    warc_dir = tmp_path / "warc"
    output = tmp_path / "killed.jsonl"
    # A slow server: the crawl is still writing when it is killed.
    with ReplayServer(Archive.load(site), delay=0.15) as server:
        process = subprocess.Popen(
            crawl_command(
                f"{server.origin}/",
                output,
                f"METINFO_WARC={warc_dir}",
                "METINFO_WARC_MAX_BYTES=9000",
            ),
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            found = _wait_for_bytes(warc_dir, 3000, process)
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert found is not None, "the crawl never wrote a WARC before it was killed"
    left = list(warc_dir.glob(f"*{OPEN_SUFFIX}"))
    assert left, "a killed crawl leaves its file open"
    # Simulate a crash in the middle of a record as well: cut the open file mid-member.
    torn = left[0]
    data = torn.read_bytes()
    torn.write_bytes(data[: len(data) - 37])

    # The next start (a crawl with the same folder) repairs and closes the leftovers.
    crawl = crawl_site(site, tmp_path / "next", f"METINFO_WARC={warc_dir}", warc=False)
    assert "interrupted run" in crawl.run.stderr
    assert not list(warc_dir.glob(f"*{OPEN_SUFFIX}"))
    assert_warcs_valid(sorted(warc_dir.glob("*.warc.gz")))
    assert read_feed(crawl.output)


# --- a recorded corpus, and pywb -----------------------------------------------------------------


def test_a_corpus_crawl_writes_valid_warcs() -> None:
    corpus = corpus_crawl()
    warcs = corpus.crawl.warcs()
    assert_warcs_valid(warcs)
    records = read_records(warcs)
    uris = {r.uri for r in records if r.type == "response"}
    assert f"{corpus.crawl.origin}/robots.txt" in uris
    assert all(i["url"] in uris for i in corpus.items)
    assert any("/upload/" in u for u in uris), "the mirrored files are recorded too"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_pywb_replays_an_archived_article(tmp_path: Path) -> None:
    folder = pywb_bin()
    if folder is None:
        pytest.skip(
            "pywb is not installed: it cannot share the project's environment (its dependency "
            "brotlipy replaces the 'brotli' module Scrapy decodes with, and it pins "
            "pyOpenSSL<26.2 and redis==2.10.6). Install it in its own environment: "
            "python3 -m venv .venv-pywb && .venv-pywb/bin/pip install pywb==2.10.0 "
            "(or set METINFO_PYWB_BIN to the folder holding wb-manager and wayback)"
        )
    corpus = corpus_crawl()
    item = next(i for i in corpus.items if i["body"] and i["title"])
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for args in (["init", "metinfo"], ["add", "metinfo", *map(str, corpus.crawl.warcs())]):
        done = subprocess.run(
            [str(folder / "wb-manager"), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    port = _free_port()
    log = (tmp_path / "wayback.log").open("wb")
    server = subprocess.Popen(
        [str(folder / "wayback"), "-p", str(port), "-b", "127.0.0.1", "-t", "2"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(f"{base}/", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "wayback.log").read_text()
                time.sleep(0.2)
        status, raw = _get(f"{base}/metinfo/id_/{item['url']}")
        assert status == 200
        status, page = _get(f"{base}/metinfo/mp_/{item['url']}")
        assert status == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()
    text = page.decode("utf-8", "replace")
    assert item["title"] in text
    assert item["body"].splitlines()[0][:20] in text
    # id_ mode gives the archived bytes back unchanged.
    archived = next(
        r.payload
        for r in read_records(corpus.crawl.warcs())
        if r.type == "response" and r.uri == item["url"]
    )
    assert raw == archived


def test_a_warc_folder_that_cannot_be_written_stops_the_crawl(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the WARC folder should be")
    output = tmp_path / "articles.jsonl"
    with ReplayServer(Archive.load(SAMPLE_SITE)) as server:
        result = subprocess.run(
            crawl_command(f"{server.origin}/", output, f"METINFO_WARC={blocker}"),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        served = server.request_count
    # Found before the crawl starts (crawler/commands/crawl.py folder_problem): exit 5, one
    # line, and not a request made without the archive.
    assert result.returncode == 5, result.stderr[-2000:]
    assert f"not started: cannot write {blocker}" in result.stderr
    assert "Traceback" not in result.stderr
    assert served == 0, "the crawl went on without its archive"
