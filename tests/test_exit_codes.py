"""Issue 4: every documented exit code of ``scrapy crawl metinfo`` and ``scrapy crawlsites``,
each from an input built here: a small generated site written out as a manifest folder and
served by the replay server, then changed the way each failure needs."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import resource
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.sitegen import Site, SiteSpec
from crawler.commands.crawl import SIGNAL_REPEAT_WINDOW
from crawler.replay import ORIGIN_PLACEHOLDER, Archive, RecordedResponse, ReplayServer
from crawler.runs import articles_failed
from crawler.sample import crawl_command
from tests.support import REPO_ROOT, read_feed

CRAWL_TIMEOUT = 120  # seconds for one crawl of a 12-article site (a few, even on a busy machine)
ORIGIN = ORIGIN_PLACEHOLDER.decode("ascii")
HTML = "text/html; charset=utf-8"
# The generated article body (sitegen's metv7 detail page, guide §2.1).
BODY_RE = re.compile(rb'(<section class="met-editor clearfix">).*?(</section>)', re.S)

ArticleEdit = Callable[[int, bytes], tuple[int, bytes]]


def small_site(articles: int = 12) -> Site:
    """A one-language, two-column MetInfo 7 site: 18 requests crawl it all."""
    return Site(SiteSpec(seed=11, articles=articles, columns=2))


def write_manifest(
    folder: Path,
    site: Site,
    *,
    robots: str | None = None,
    article: ArticleEdit | None = None,
    sitemap: bool = True,
    list_status: int = 200,
) -> Path:
    """Write ``site`` as it stands now as a manifest folder (``manifest.json`` + ``pages/``).

    Served: robots.txt (``robots`` replaces it), the sitemap (not with ``sitemap=False``,
    nor named by robots.txt then), the homes, every page of every column (also under its
    navigation URL) and every live article, each ``article(id, body)`` -> ``(status,
    body)`` when given.  Absolute URLs carry ``{{ORIGIN}}``.  ``list_status``: the status
    every column page answers with (the home pages stay 200).
    """
    pages = folder / "pages"
    pages.mkdir(parents=True)
    entries: list[dict[str, Any]] = []

    def add(path: str, status: int, content_type: str, body: bytes) -> None:
        name = f"pages/{len(entries)}.bin"
        (folder / name).write_bytes(body)
        entries.append(
            {
                "path": path,
                "status": status,
                "headers": {"Content-Type": content_type},
                "file": name,
            }
        )

    def render(path: str) -> bytes:
        reply = site.respond("GET", path, origin=ORIGIN)
        assert reply.status == 200, f"the generated site answers {reply.status} for {path}"
        return reply.content()

    robots_body = robots.encode("ascii") if robots is not None else render("/robots.txt")
    if not sitemap:  # a site without one: its articles are found on its list pages only
        robots_body = b"".join(
            line for line in robots_body.splitlines(keepends=True) if b"Sitemap" not in line
        )
    add("/robots.txt", 200, "text/plain; charset=utf-8", robots_body)
    if sitemap:
        add("/sitemap.xml", 200, "text/xml", render("/sitemap.xml"))
    homes = {"/", *(site.home_path(lang) for lang in site.spec.languages)}
    paths = set(homes)
    for column in site.columns:
        paths.add(site.column_path_url(column, nav=True))
        for page in range(1, site.page_count(column.id) + 1):
            paths.add(site.column_path_url(column, page))
    for path in sorted(paths):
        status = 200 if path in homes else list_status
        add(path, status, HTML, render(path) if status == 200 else b"server error\n")
    for article_id in site.live_ids():
        status, body = 200, render(site.article_path(article_id))
        if article is not None:
            status, body = article(article_id, body)
        add(site.article_path(article_id), status, HTML, body)
    manifest = {"name": folder.name, "responses": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return folder


def crawl(
    url: str,
    output: Path,
    *settings: str,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl metinfo -a url=URL -O OUTPUT`` (politeness off) from the repository."""
    return subprocess.run(
        crawl_command(url, output, *settings),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=CRAWL_TIMEOUT,
        check=False,
        preexec_fn=preexec_fn,
    )


def summary_of(output: Path) -> dict[str, Any]:
    """The ``<output>.summary.json`` a run wrote."""
    return json.loads(output.with_name(output.name + ".summary.json").read_text(encoding="utf-8"))


def tail(result: subprocess.CompletedProcess[str], lines: int = 40) -> str:
    return "\n".join(result.stderr.splitlines()[-lines:])


def not_started_lines(stderr: str) -> list[str]:
    """The command's own one-line refusals (Scrapy's start-up log lines are not counted)."""
    return [line for line in stderr.splitlines() if line.startswith("not started:")]


def whole_lines(path: Path) -> bytes:
    """The file's bytes, after checking it ends with a newline and every line is JSON."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), f"{path.name} ends with a partial line: {raw[-80:]!r}"
    for number, line in enumerate(raw.splitlines(), 1):
        assert isinstance(json.loads(line), dict), f"{path.name} line {number} is not an object"
    return raw


def start_crawl(cmd: list[str]) -> subprocess.Popen[str]:
    """Start a crawl in the background from the repository; its log is on ``stderr``."""
    return subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def wait_for_requests(server: ReplayServer, run: subprocess.Popen[str], count: int) -> None:
    """Until ``server`` has answered ``count`` requests or ``run`` ended (60 s at most)."""
    deadline = time.monotonic() + 60
    while server.request_count < count and run.poll() is None:
        assert time.monotonic() < deadline, f"fewer than {count} requests in 60 s"
        time.sleep(0.05)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else takes it), not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


@pytest.fixture
def good_site(tmp_path: Path) -> Path:
    return write_manifest(tmp_path / "site", small_site())


# --- 0: completed, also when nothing was new ----------------------------------------------------


def test_0_second_run_with_state_finds_nothing_new(good_site: Path, tmp_path: Path) -> None:
    state = f"METINFO_STATE={tmp_path / 'state'}"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    # One server for both runs: the state store keys articles by site root, port included.
    with ReplayServer(Archive.load(good_site)) as server:
        run1 = crawl(f"{server.origin}/", first, state)
        run2 = crawl(f"{server.origin}/", second, state)
    assert run1.returncode == 0, tail(run1)
    assert len(read_feed(first)) == 12
    assert run2.returncode == 0, tail(run2)
    assert read_feed(second) == []
    summary = summary_of(second)
    assert (summary["kind"], summary["exported"], summary["exit_code"]) == ("incremental", 0, 0)


def test_0_a_full_run_of_one_column_does_not_make_a_home_run_incremental(
    tmp_path: Path,
) -> None:
    """A first run of one column, then runs from the home page with the same state store:
    the column's full run says nothing of the other column, so the first home run is full
    and exports every article the column run did not; the next home run is incremental.
    A second run of that column alone is incremental too (its own full run covers it), and
    is not measured against the home runs for drift."""
    site = small_site(articles=60)
    folder = write_manifest(tmp_path / "site", site)
    column = next(c for c in site.columns if c.parent is None and site.list_ids(c.id))
    state = f"METINFO_STATE={tmp_path / 'state'}"
    outputs = [tmp_path / f"run{n}.jsonl" for n in range(4)]
    with ReplayServer(Archive.load(folder)) as server:
        column_url = f"{server.origin}{site.column_path_url(column)}"
        runs = [
            crawl(column_url, outputs[0], state),
            crawl(f"{server.origin}/", outputs[1], state),
            crawl(f"{server.origin}/", outputs[2], state),
            crawl(column_url, outputs[3], state),
        ]
    for run in runs:
        assert run.returncode == 0, tail(run)
    in_column = {str(i) for i in site.list_ids(column.id)}
    first = {item["article_id"] for item in read_feed(outputs[0])}
    assert first == in_column and len(in_column) < 60
    second = {item["article_id"] for item in read_feed(outputs[1])}
    assert second == {str(i) for i in site.live_ids()} - in_column
    kinds = [summary_of(output)["kind"] for output in outputs]
    assert kinds == ["full", "full", "incremental", "incremental"]
    assert read_feed(outputs[2]) == read_feed(outputs[3]) == []
    assert summary_of(outputs[3])["drift"] == []


def test_0_a_repeat_run_that_asks_only_for_a_deleted_article(tmp_path: Path) -> None:
    """Lists and the sitemap still name a deleted article (404): the first run exports the
    rest, and the next runs do not ask for it again (kept in the store as gone).  Another
    article, re-dated and then deleted, is the one article request of the second run: a
    404, and the run finished (it exited 6 as if the site had gone away, on every
    scheduled run of such a site)."""
    site = small_site()
    gone = max(site.live_ids())

    def without(*ids: int) -> ArticleEdit:
        return lambda i, body: (404, b"not found\n") if i in ids else (200, body)

    before = write_manifest(tmp_path / "before", site, article=without(gone))
    later = site.mutate(edited_redated=1, seed="gone-later").redated[0]
    assert later != gone
    after = write_manifest(tmp_path / "after", site, article=without(gone, later))
    state = f"METINFO_STATE={tmp_path / 'state'}"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with ReplayServer(Archive.load(before)) as server:
        port = server.port
        run1 = crawl(f"{server.origin}/", first, state)
        asked = [r.path for r in server.requests]
    with ReplayServer(Archive.load(after), port=port) as server:
        run2 = crawl(f"{server.origin}/", second, state)
        asked2 = [r.path for r in server.requests]
    assert run1.returncode == 0, tail(run1)
    assert len(read_feed(first)) == 11
    assert asked.count(site.article_path(gone)) == 1
    assert run2.returncode == 0, tail(run2)
    articles = {site.article_path(i) for i in range(1, gone + 1)}
    assert [p for p in asked2 if p in articles] == [site.article_path(later)]
    summary = summary_of(second)
    assert (summary["kind"], summary["exported"]) == ("incremental", 0)


def test_0_a_site_without_metinfo_news_says_so(tmp_path: Path) -> None:
    """A plain page (no MetInfo markup, no column, no article): exit 0 and nothing exported,
    as for any site with no news, but one warning line says what was not found."""
    folder = tmp_path / "plain"
    (folder / "pages").mkdir(parents=True)
    page = b'<html><head><title>Hello</title></head><body><a href="/a.html">a</a></body></html>'
    (folder / "pages" / "0.bin").write_bytes(page)
    entry = {"path": "/", "status": 200, "headers": {"Content-Type": HTML}, "file": "pages/0.bin"}
    manifest = {"name": "plain", "responses": [entry]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(folder)) as server:
        result = crawl(f"{server.origin}/", output)
    assert result.returncode == 0, tail(result)
    assert read_feed(output) == []
    assert (
        f"found no MetInfo news column or article from {server.origin}/: the site may not run"
        " MetInfo" in result.stderr
    )


# --- 2: bad arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ([], "url="),
        (["-a", "url=127.0.0.1:8720/"], "'127.0.0.1:8720/'"),
        (["-a", "url=http://127.0.0.1:8720/", "-a", "tz=Asia/Nowhere"], "'Asia/Nowhere'"),
        (["-a", "url=http://127.0.0.1:8720/", "-s", "JOBDIR=jobdir"], "METINFO_STATE"),
        (["-a", "url=http://h.cn/", "-s", "METINFO_TIMEZONE=Mars/Olympus"], "'Mars/Olympus'"),
        (["-a", "url=http://h.cn/", "-s", "METINFO_FULL_CHECK=yes"], "METINFO_FULL_CHECK='yes'"),
        (["-a", "url=http://h.cn/", "-s", "ROBOTSTXT_OBEY=perhaps"], "ROBOTSTXT_OBEY='perhaps'"),
        (["-a", "url=http://h.cn/", "-s", "METINFO_ARTICLE_WINDOW=-5"], "at least 0"),
        (["-a", "url=http://h.cn/", "-s", "METINFO_DRIFT_LISTED_DROP=nan"], "DRIFT_LISTED_DROP"),
        (["-a", "url=http://h.cn/", "-s", "CONCURRENT_REQUESTS=0"], "at least 1"),
        # Scrapy's own: a traceback inside the crawl, or a negative timeout that passed for
        # an unreachable site (exit 3)
        (["-a", "url=http://h.cn/", "-s", "DOWNLOAD_TIMEOUT=abc"], "DOWNLOAD_TIMEOUT='abc'"),
        (["-a", "url=http://h.cn/", "-s", "DOWNLOAD_TIMEOUT=-5"], "at least 0.1"),
        (["-a", "url=http://h.cn/", "-s", "RETRY_TIMES=abc"], "RETRY_TIMES='abc' is not a number"),
        (["-a", "url=http://h.cn/", "-s", "LOG_LEVEL=info"], "LOG_LEVEL='info' is no log level"),
        # a folder for the output: found only when the run ended, its items lost
        (["-a", "url=http://h.cn/", "-O", "tests:jsonl"], "is a folder: name a file in it"),
        # no extension, or a misspelt one: Scrapy's own error and usage text before
        (["-a", "url=http://h.cn/", "-O", "outdir"], "outdir names no format (it has no ext"),
        (["-a", "url=http://h.cn/", "-O", "o.jsnl"], "o.jsnl names no format (its extension"),
        # a typo in Scrapy's placeholder: the feed never opens, the run would exit 0
        (["-a", "url=http://h.cn/", "-O", "out-%(tme)s.jsonl"], "names %(tme)s; its placeholders"),
        (["-a", "url=http://h.cn/", "-s", "REDIS_URL=notaurl"], "REDIS_URL is not a Redis URL"),
        (["-a", "urll=http://h.cn/"], "unknown spider argument(s) urll"),
        # an empty filter would crawl everything, as if not given
        (["-a", "url=http://h.cn/", "-a", "lang="], "-a lang= names nothing"),
        # a typo would run without a state store; a share above 1; an encoding that loses
        # every article it cannot write while the run counts it exported
        (["-a", "url=http://h.cn/", "-s", "METINFO_STAT=st"], "did you mean METINFO_STATE?"),
        (["-a", "url=http://h.cn/", "-s", "METINFO_MAX_FAILED_SHARE=2"], "from 0 to 1"),
        (["-a", "url=http://h.cn/", "-s", "FEED_EXPORT_ENCODING=latin-1"], "use utf-8"),
    ],
    ids=[
        "no-url",
        "url-without-scheme",
        "unknown-tz",
        "jobdir",
        "unknown-tz-setting",
        "not-a-boolean",
        "not-a-boolean-scrapy",
        "negative-window",
        "nan",
        "no-concurrency",
        "timeout-not-a-number",
        "negative-timeout",
        "retries-not-a-number",
        "lowercase-log-level",
        "output-is-a-folder",
        "output-without-extension",
        "output-with-unknown-extension",
        "placeholder-typo",
        "not-a-redis-url",
        "url-typo",
        "empty-lang",
        "setting-typo",
        "share-above-1",
        "lossy-encoding",
    ],
)
def test_2_bad_arguments_one_line_no_traceback(
    arguments: list[str], named: str, tmp_path: Path
) -> None:
    output = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "metinfo", *arguments, "-O", str(output)]
    result = subprocess.run(
        cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )
    assert result.returncode == 2, tail(result)
    assert "Traceback" not in result.stderr
    lines = not_started_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert named in lines[0] and lines[0].endswith("(exit code 2)"), lines[0]
    assert not output.exists()


def test_2_an_output_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    """A pipe (as a device such as /dev/null): the finished output, renamed over its path,
    would replace it by a regular file (a fresh-user run replaced /dev/full)."""
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "metinfo", "-a", "url=http://h.cn/"]
    result = subprocess.run(
        [*cmd, "-O", f"{pipe}:jsonl"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    assert result.returncode == 2, tail(result)
    assert "is not a regular file" in result.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_0_an_output_that_is_a_symbolic_link_writes_the_file_it_names(
    good_site: Path, tmp_path: Path
) -> None:
    real, link = tmp_path / "real.jsonl", tmp_path / "latest.jsonl"
    real.write_text("", encoding="utf-8")
    link.symlink_to(real)
    with ReplayServer(Archive.load(good_site)) as server:
        result = crawl(f"{server.origin}/", link)
    assert result.returncode == 0, tail(result)
    assert link.is_symlink() and len(read_feed(real)) == 12


def test_2_appending_to_a_json_array_is_refused(tmp_path: Path) -> None:
    # Another run's items after the closing ] (or a second CSV header) make the file invalid.
    output = tmp_path / "out.json"
    output.write_text("[]\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "metinfo", "-a", "url=http://h.cn/"]
    result = subprocess.run(
        [*cmd, "-o", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    assert result.returncode == 2, tail(result)
    assert "use -O to replace it, or a .jsonl output to append to" in result.stderr
    assert output.read_text(encoding="utf-8") == "[]\n"


def test_2_a_state_store_without_an_output_is_refused(tmp_path: Path) -> None:
    """The store records what each run exported: a run with nowhere to export would mark
    every article exported, and the next run (with an output) would skip them all."""
    state = tmp_path / "state"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "metinfo", "-a", "url=http://h.cn/"]
    cmd += ["-s", f"METINFO_STATE={state}"]
    result = subprocess.run(
        cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )
    assert result.returncode == 2, tail(result)
    assert not_started_lines(result.stderr) == [
        "not started: METINFO_STATE needs an output to record: add -O FILE.jsonl or"
        " -o FILE.jsonl (exit code 2)"
    ]
    assert not state.exists()


# --- 3: unreachable -----------------------------------------------------------------------------


def test_3_unreachable_site(closed_port: int, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    result = crawl(f"http://127.0.0.1:{closed_port}/", output, "RETRY_TIMES=0")
    assert result.returncode == 3, tail(result)
    summary = summary_of(output)
    assert (summary["responses"], summary["exported"], summary["exit_code"]) == (0, 0, 3)
    assert "run failed (exit code 3): the site was unreachable" in result.stderr
    # No empty output stands for a run that got nothing, and one line per robots.txt
    # attempt says why instead of Scrapy's traceback.
    assert not output.exists()
    assert f"wrote no {output}: the site gave no page" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"in: {output}" not in result.stderr  # Scrapy's "Stored ... feed" line
    assert summary["outputs"] == []


def test_3_a_start_url_that_is_no_web_page_keeps_the_previous_output(
    good_site: Path, tmp_path: Path
) -> None:
    # robots.txt as the start URL: taken for a column before, it crawled nothing, exited 0
    # and replaced the previous file with an empty one.
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with ReplayServer(Archive.load(good_site)) as server:
        result = crawl(f"{server.origin}/robots.txt", output)
    assert result.returncode == 3, tail(result)
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    assert "not a web page" in result.stderr


def test_3_a_start_url_that_answers_404_keeps_the_previous_output(
    good_site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with ReplayServer(Archive.load(good_site)) as server:
        result = crawl(f"{server.origin}/nope/", output)
    assert result.returncode == 3, tail(result)
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    assert "kept the previous" in result.stderr and "the site gave no page" in result.stderr
    assert summary_of(output)["exit_code"] == 3
    # The last line names the start URL that failed, not "no response at all".
    assert (
        f"the site answered, but no start URL gave a page ({server.origin}/nope/;" in result.stderr
    ), tail(result)


# --- 1: Scrapy could not start ------------------------------------------------------------------


def test_1_no_spider_of_that_name(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "nosuch", "-a", "url=http://127.0.0.1:1/"]
    cmd += ["-O", str(output)]
    result = subprocess.run(
        cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )
    assert result.returncode == 1, tail(result)
    assert "Traceback" not in result.stderr
    assert not_started_lines(result.stderr) == [
        "not started: no spider named 'nosuch' (spiders: metinfo) (exit code 1)"
    ]
    # Nothing was started, so nothing is left beside the output: no lock file either.
    assert list(tmp_path.iterdir()) == []


# --- 4: robots.txt forbids everything -----------------------------------------------------------


def test_4_robots_disallows_everything(tmp_path: Path) -> None:
    folder = write_manifest(tmp_path / "site", small_site(), robots="User-agent: *\nDisallow: /\n")
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(folder)) as server:
        result = crawl(f"{server.origin}/", output)
        paths = [r.path for r in server.requests]
    assert result.returncode == 4, tail(result)
    assert paths == ["/robots.txt"]
    # Nothing crawled: no empty output stands for the run (nor replaces an earlier one)
    assert not output.exists()
    assert summary_of(output)["exit_code"] == 4
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with ReplayServer(Archive.load(folder)) as server:
        again = crawl(f"{server.origin}/", output)
    assert again.returncode == 4, tail(again)
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    assert "kept the previous" in again.stderr


# --- 5: output or state cannot be written -------------------------------------------------------

# Bytes a file of the crawl may grow to in the "disk full" run: room for the lock and summary
# files (well under 2 KB), not for one article line (each is several KB).
FILE_SIZE_LIMIT = 4096


def limit_file_size() -> None:
    """In the child: files cannot grow past the limit and writing past it fails with EFBIG
    instead of killing the process (SIGXFSZ ignored), as writes to a full disk fail."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_5_full_disk_leaves_the_previous_output_untouched(good_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(good_site)) as server:
        before = crawl(f"{server.origin}/", output)
        assert before.returncode == 0, tail(before)
        previous = whole_lines(output)
        assert len(previous) > FILE_SIZE_LIMIT and len(previous.splitlines()) == 12
        result = crawl(f"{server.origin}/", output, preexec_fn=limit_file_size)
    assert result.returncode == 5, tail(result)
    assert "run failed (exit code 5)" in result.stderr
    assert whole_lines(output) == previous


def test_5_full_disk_leaves_no_part_file(good_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(good_site)) as server:
        result = crawl(f"{server.origin}/", output, preexec_fn=limit_file_size)
    assert result.returncode == 5, tail(result)
    assert sorted(p.name for p in tmp_path.glob(".*.part")) == []


def test_5_state_folder_is_a_file(good_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    not_a_folder = tmp_path / "state"
    not_a_folder.write_text("a file, not a folder\n", encoding="utf-8")
    with ReplayServer(Archive.load(good_site)) as server:
        before = crawl(f"{server.origin}/", output)
        assert before.returncode == 0, tail(before)
        previous = whole_lines(output)
        result = crawl(f"{server.origin}/", output, f"METINFO_STATE={not_a_folder}")
    assert result.returncode == 5, tail(result)
    assert "Traceback" not in result.stderr, tail(result)
    assert whole_lines(output) == previous
    assert not_a_folder.read_text(encoding="utf-8") == "a file, not a folder\n"


@pytest.mark.parametrize("name", ["METINFO_MIRROR", "METINFO_WARC"])
def test_5_an_unwritable_archive_folder_stops_before_the_crawl(name: str, tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file, not a folder\n", encoding="utf-8")
    folder = not_a_folder / "files"
    result = crawl("http://127.0.0.1:1/", output, f"{name}={folder}")
    assert result.returncode == 5, tail(result)
    assert "Traceback" not in result.stderr, tail(result)
    lines = not_started_lines(result.stderr)
    assert len(lines) == 1 and str(folder) in lines[0], result.stderr
    assert f"{not_a_folder} is a file, not a folder" in lines[0], lines
    assert not output.exists()


def test_5_an_output_below_a_file_names_the_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file, not a folder\n", encoding="utf-8")
    result = crawl("http://127.0.0.1:1/", not_a_folder / "daily" / "out.jsonl")
    assert result.returncode == 5, tail(result)
    lines = not_started_lines(result.stderr)
    assert len(lines) == 1 and f"{not_a_folder} is a file, not a folder" in lines[0], lines
    assert not_a_folder.read_text(encoding="utf-8") == "a file, not a folder\n"


# --- 6: every article request failed ------------------------------------------------------------


@pytest.mark.parametrize("with_state", [False, True], ids=["no-state", "state"])
def test_6_an_article_start_that_answers_404_keeps_the_previous_output(
    good_site: Path, tmp_path: Path, with_state: bool
) -> None:
    """The article asked for by its URL is missing: no article request gave a page (a
    fresh-user run saw exit 0 and its previous output replaced by an empty file; with a
    state store, exit 6 and the output emptied all the same)."""
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": true}\n', encoding="utf-8")
    state = [f"METINFO_STATE={tmp_path / 'state'}"] if with_state else []
    with ReplayServer(Archive.load(good_site)) as server:
        result = crawl(f"{server.origin}/news/shownews.php?id=9999", output, *state)
    assert result.returncode == 6, tail(result)
    assert output.read_text(encoding="utf-8") == '{"kept": true}\n'


def test_6_every_article_answers_500(tmp_path: Path) -> None:
    site = small_site()
    folder = write_manifest(tmp_path / "site", site, article=lambda i, body: (500, b"error\n"))
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(folder)) as server:
        result = crawl(f"{server.origin}/", output, "RETRY_TIMES=0")
        statuses = {r.path: r.status for r in server.requests}
    assert result.returncode == 6, tail(result)
    articles = {site.article_path(i) for i in site.live_ids()}
    assert {p: s for p, s in statuses.items() if p in articles} == dict.fromkeys(articles, 500)
    assert not output.exists()  # no empty file in place of a run that got no article
    assert summary_of(output)["errors"]["failed_requests"] == 12


@pytest.mark.parametrize("status", [500, 404])
def test_6_every_list_page_answers_500_or_404(tmp_path: Path, status: int) -> None:
    """The sitemap gives the articles, but every column page answers 500 (or 404: a whole-site
    trial whose every column page 404ed ended with exit code 0): the site's columns were
    not read (articles only its lists name would be missed), so no whole run; the articles
    collected are kept beside the previous output (it exited 0)."""
    site = small_site()
    folder = write_manifest(tmp_path / "site", site, list_status=status)
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with ReplayServer(Archive.load(folder)) as server:
        result = crawl(f"{server.origin}/", output, "RETRY_TIMES=0")
    assert result.returncode == 6, tail(result)
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    aside = output.with_name(output.name + ".interrupted")
    assert len(read_feed(aside)) == len(list(site.live_ids()))
    assert "every list page of a site failed" in result.stderr
    assert summary_of(output)["exit_code"] == 6


def crawl_until_gone(folder: Path, output: Path, paths: set[str], served: int) -> tuple[int, str]:
    """Crawl the manifest ``folder`` one request at a time (0.2 s per answer, no retries)
    and stop its server once ``served`` requests for ``paths`` were made: the site goes
    away mid-run.  The crawl's exit status and stderr."""
    server = ReplayServer(Archive.load(folder), delay=0.2)
    process = subprocess.Popen(
        crawl_command(server.origin + "/", output, "RETRY_TIMES=0", "CONCURRENT_REQUESTS=1"),
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    try:
        deadline = time.monotonic() + CRAWL_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if sum(1 for r in server.requests if r.path in paths) >= served:
                break
            time.sleep(0.05)
        server.close()  # the site goes away
        _, stderr = process.communicate(timeout=CRAWL_TIMEOUT)
    finally:
        server.close()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=CRAWL_TIMEOUT)
    return process.returncode, stderr


def test_6_the_site_goes_away_mid_run_and_the_previous_output_stays(tmp_path: Path) -> None:
    # The server stops after a few articles: the rest of the article requests get no
    # connection at all, and a quarter of the site is no whole run, so the previous
    # complete output must not be replaced by what was collected.
    site = small_site()
    folder = write_manifest(tmp_path / "site", site)
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    articles = {site.article_path(i) for i in site.live_ids()}
    returncode, stderr = crawl_until_gone(folder, output, articles, 3)
    assert returncode == 6, stderr[-3000:]
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    aside = output.with_name(output.name + ".interrupted")
    assert 1 <= len(read_feed(aside)) < len(articles)  # what it did collect, kept beside
    assert "kept the previous" in stderr and "METINFO_MAX_FAILED_SHARE" in stderr


def test_6_a_site_without_sitemap_that_goes_away_while_its_lists_are_read(
    tmp_path: Path,
) -> None:
    # No sitemap: the articles are known from the list pages only.  The server stops after
    # two list pages, so the other list pages (and the articles queued by then) get no
    # connection: no whole run.  End to end only: which of the lost requests decides
    # (list pages or the articles' share) depends on timing; the list rule itself is
    # pinned by test_6_which_runs_count_as_failed.
    site = Site(SiteSpec(seed=12, articles=60, columns=3, list_page_size=5))
    folder = write_manifest(tmp_path / "site", site, sitemap=False)
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    lists = {
        site.column_path_url(column, page)
        for column in site.columns
        for page in range(1, site.page_count(column.id) + 1)
    }
    returncode, stderr = crawl_until_gone(folder, output, lists, 2)
    assert returncode == 6, stderr[-3000:]
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    assert summary_of(output)["exit_code"] == 6
    assert "or a list page got none: the site went away?" in stderr


@pytest.mark.parametrize(
    ("stats", "failed"),
    [
        # every article asked for answered, but half the list pages got no connection
        ({"articles/requested": 4, "articles/fetched": 4, "lists/requested": 10,
          "lists/unreachable": 5}, True),
        # one list page of ten lost: its articles were never seen
        ({"articles/requested": 40, "articles/fetched": 40, "lists/requested": 10,
          "lists/unreachable": 1}, True),
        ({"articles/requested": 40, "articles/fetched": 30, "articles/unreachable": 10}, True),
        ({"articles/requested": 40, "articles/fetched": 38, "articles/unreachable": 2}, False),
        ({"articles/requested": 3, "articles/fetched": 0}, True),
        # the only articles asked for were deleted (404 or 410): the site answered
        ({"articles/requested": 2, "articles/fetched": 0, "articles/gone": 2}, False),
        ({"articles/requested": 3, "articles/fetched": 0, "articles/gone": 2}, True),
        ({"articles/requested": 40, "articles/fetched": 40, "unreachable/paused": 1}, True),
        # one of several start URLs gave no page; the request budget ran out
        ({"articles/requested": 40, "articles/fetched": 40, "start/failed": 1}, True),
        ({"articles/requested": 40, "articles/fetched": 40, "budget/exhausted": 1}, True),
        # every list page of a site failed (5xx, timeouts): its columns were not read; one
        # answered later, and the site counts as read
        ({"articles/requested": 40, "articles/fetched": 40, "sites/lists_unread": 1}, True),
        ({"articles/requested": 40, "articles/fetched": 40, "sites/lists_unread": 0}, False),
    ],
)  # fmt: skip
def test_6_which_runs_count_as_failed(stats: dict[str, int], failed: bool) -> None:
    assert articles_failed({f"metinfo/{k}": v for k, v in stats.items()}, 0.2) is failed


# --- 7: too many items lack a required field ----------------------------------------------------


def test_7_most_articles_lack_a_body(tmp_path: Path) -> None:
    kept = {4, 8, 12}

    def empty_body(article_id: int, body: bytes) -> tuple[int, bytes]:
        if article_id in kept:
            return 200, body
        emptied, count = BODY_RE.subn(rb"\1\2", body)
        assert count == 1, f"no body section in article {article_id}"
        return 200, emptied

    folder = write_manifest(tmp_path / "site", small_site(), article=empty_body)
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(folder)) as server:
        result = crawl(f"{server.origin}/", output)
    assert result.returncode == 7, tail(result)
    # The complete items are still written; the code says the run is not to be trusted.
    assert sorted(int(item["article_id"]) for item in read_feed(output)) == sorted(kept)
    summary = summary_of(output)
    assert (summary["dropped"], summary["exit_code"]) == ({"missing_body": 9}, 7)


def test_0_a_repeat_run_that_reads_only_a_photo_article_again(tmp_path: Path) -> None:
    """One article has a picture and no text: dropped as no_text, an article of its kind
    and no sign of a broken template, and kept in the store, so that a repeat run does not
    read it again (it had, as missing_body, 1 of 1 items lacking a body: exit code 7 before
    MISSING_FIELDS_MIN, a false alarm on every run after)."""
    site = small_site()
    photo = max(site.live_ids())

    def no_text(article_id: int, body: bytes) -> tuple[int, bytes]:
        if article_id != photo:
            return 200, body
        return 200, BODY_RE.sub(rb'\1<p><img src="/upload/photo.jpg" alt=""></p>\2', body)

    folder = write_manifest(tmp_path / "site", site, article=no_text)
    state = f"METINFO_STATE={tmp_path / 'state'}"
    outputs = [tmp_path / "1.jsonl", tmp_path / "2.jsonl"]
    with ReplayServer(Archive.load(folder)) as server:
        runs = [crawl(f"{server.origin}/", output, state) for output in outputs]
    for run in runs:
        assert run.returncode == 0, tail(run)
    summaries = [summary_of(output) for output in outputs]
    assert [s["dropped"] for s in summaries] == [{"no_text": 1}, {}]
    assert [s["exported"] for s in summaries] == [11, 0]
    assert summaries[1]["drift"] == []


def test_0_dates_of_a_home_block_do_not_make_a_repeat_run_fetch_articles(
    tmp_path: Path,
) -> None:
    """The home page's 'upcoming events' block prints each event's day beside its link,
    not the day the article shows: a repeat run goes by the column lists' dates (it fetched
    those articles again on every run)."""
    site = small_site()
    folder = write_manifest(tmp_path / "site", site)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    home = next(e for e in manifest["responses"] if e["path"] == "/")
    events = "".join(
        f'<li><a href="{ORIGIN}{site.article_path(i)}">活动{i}</a>'
        f"<span>2031-09-1{i % 10}</span></li>"
        for i in sorted(site.live_ids())[:4]
    )
    page = folder / home["file"]
    body = page.read_bytes().replace(
        b"</body>", f'<div class="events"><ul>{events}</ul></div></body>'.encode()
    )
    page.write_bytes(body)
    state = f"METINFO_STATE={tmp_path / 'state'}"
    outputs = [tmp_path / "1.jsonl", tmp_path / "2.jsonl"]
    with ReplayServer(Archive.load(folder)) as server:
        first = crawl(f"{server.origin}/", outputs[0], state)
        before = len(server.requests)
        second = crawl(f"{server.origin}/", outputs[1], state)
        asked = [r.path for r in server.requests[before:]]
    assert first.returncode == second.returncode == 0, tail(second)
    articles = {site.article_path(i) for i in site.live_ids()}
    assert [p for p in asked if p in articles] == []


# --- 8: drift from the previous run of the same kind ---------------------------------------------


def test_8_site_lists_far_fewer_articles(tmp_path: Path) -> None:
    site = small_site()
    before = write_manifest(tmp_path / "before", site)
    gone = site.mutate(deleted=9).deleted
    after = write_manifest(tmp_path / "after", site)
    state = f"METINFO_STATE={tmp_path / 'state'}"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with ReplayServer(Archive.load(before)) as server:
        port = server.port
        run1 = crawl(f"{server.origin}/", first, state)
    assert run1.returncode == 0, tail(run1)
    assert summary_of(first)["kind"] == "full"
    # Same port (the state keys the site by its root URL); a full check, the kind of run 1.
    with ReplayServer(Archive.load(after), port=port) as server:
        run2 = crawl(f"{server.origin}/", second, state, "METINFO_FULL_CHECK=1")
    assert run2.returncode == 8, tail(run2)
    summary = summary_of(second)
    assert summary["kind"] == "full"
    assert summary["drift"] == [
        {"what": "articles listed", "before": 12, "now": 3, "past_threshold": True}
    ]
    exported = {int(item["article_id"]) for item in read_feed(second)}
    assert exported.isdisjoint(gone)


def test_0_a_repeat_run_after_one_that_parsed_nothing_is_no_drift(tmp_path: Path) -> None:
    """A custom-template site (every article from the generic fallback, tests/sites
    lingang-ftz, without its sitemap) whose article 44 answers 404 for two runs, then
    comes back re-dated on its list (a 404 its entry still shows with the same day is not
    asked for again until the full check): the second run parsed no page, and the third,
    which parses 44, is measured against the first (generic share 1.0 then and now), not
    against the second's empty count (it exited 8: generic family share 0.0 -> 1.0)."""
    site = Archive.load(REPO_ROOT / "tests" / "sites" / "lingang-ftz")
    # (its sitemap's lastmod is one day for every URL: repeat runs go by the list dates)
    kept = [(t, site[t]) for t in site if t != "/sitemap.xml"]
    article = "/news/44.html"
    without = Archive([(t, r) for t, r in kept if t != article], templated=True)

    def redated(target: str, response: RecordedResponse) -> RecordedResponse:
        # the day beside 44 on its list pages: 13 (April 2026) -> 14
        at = response.body.find(b"44.html")
        day = b'<span class="day">13</span>'
        if target not in ("/news/", "/news/list-5.html") or at < 0:
            return response
        cut = response.body.index(day, at)
        body = response.body[:cut] + day.replace(b"13", b"14") + response.body[cut + len(day) :]
        return dataclasses.replace(response, body=body)

    whole = Archive([(t, redated(t, r)) for t, r in kept], templated=True)
    state = f"METINFO_STATE={tmp_path / 'state'}"
    outputs = [tmp_path / f"run{n}.jsonl" for n in range(3)]
    with ReplayServer(without) as server:
        port = server.port
        runs = [crawl(f"{server.origin}/", outputs[n], state) for n in range(2)]
    with ReplayServer(whole, port=port) as server:
        runs.append(crawl(f"{server.origin}/", outputs[2], state))
    for run in runs:
        assert run.returncode == 0, tail(run)
    summaries = [summary_of(output) for output in outputs]
    assert [s["families"] for s in summaries[1:]] == [{}, {"generic": 1}]
    assert [item["url"][-len(article) :] for item in read_feed(outputs[2])] == [article]
    assert summaries[2]["drift"] == []


# --- 9: another run holds the lock --------------------------------------------------------------


def test_9_second_run_exits_at_once_while_the_first_goes_on(
    good_site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out.jsonl"
    # 0.5 s a response: the first run needs several seconds for its 18 requests.
    with ReplayServer(Archive.load(good_site), delay=0.5) as server:
        cmd = crawl_command(f"{server.origin}/", output)
        first = start_crawl(cmd)
        try:
            wait_for_requests(server, first, 1)
            started = time.monotonic()
            second = subprocess.run(
                cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
            )
            took = time.monotonic() - started
            first_running = first.poll() is None
            _, first_log = first.communicate(timeout=CRAWL_TIMEOUT)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait(timeout=10)
    assert second.returncode == 9, tail(second)
    assert first_running, f"the second run took {took:.1f} s: it waited for the first to end"
    assert took < 10, f"the second run took {took:.1f} s (Python and Scrapy start-up is most of it)"
    lines = not_started_lines(second.stderr)
    assert len(lines) == 1 and "another run holds" in lines[0], second.stderr
    assert lines[0].endswith("(exit code 9)")
    assert "Traceback" not in second.stderr
    assert first.returncode == 0, first_log[-3000:]
    assert len(read_feed(output)) == 12


def test_0_two_start_urls_of_one_site_with_a_state_store_take_its_lock_once(
    good_site: Path, tmp_path: Path
) -> None:
    """Two columns of one site (or two installs of one host, whose roots are one before
    their pages are read) name one site lock: the run takes it once, not twice (a
    whole-site trial ended with exit code 9, "another run holds", against itself)."""
    output = tmp_path / "out.jsonl"
    with ReplayServer(Archive.load(good_site)) as server:
        columns = [server.origin + small_site().column_path_url(c) for c in small_site().columns]
        run = crawl(",".join(columns), output, f"METINFO_STATE={tmp_path / 'state'}")
    assert len(columns) == 2
    assert run.returncode == 0, tail(run)
    assert len(read_feed(output)) == 12


# --- 11: crawlsites with one good and one dead site ---------------------------------------------


def test_11_crawlsites_reports_each_sites_code(
    good_site: Path, closed_port: int, tmp_path: Path
) -> None:
    sites = tmp_path / "sites.toml"
    with ReplayServer(Archive.load(good_site)) as server:
        sites.write_text(
            "\n".join(
                [
                    "[defaults]",
                    f'output = "{(tmp_path / "out").as_posix()}/{{name}}.jsonl"',
                    "[defaults.settings]",
                    "AUTOTHROTTLE_ENABLED = false",
                    "DOWNLOAD_DELAY = 0",
                    "LOGSTATS_INTERVAL = 0",
                    "RETRY_TIMES = 0",
                    "[[site]]",
                    'name = "good"',
                    f'url = "{server.origin}/"',
                    "[[site]]",
                    'name = "dead"',
                    f'url = "http://127.0.0.1:{closed_port}/"',
                    "",
                ]
            ),
            encoding="utf-8",
        )
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawlsites", str(sites)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=2 * CRAWL_TIMEOUT,
            check=False,
        )
    assert result.returncode == 11, result.stdout + tail(result)
    codes = re.findall(r"^(\w+): exit code (\d+)$", result.stdout, re.M)
    assert codes == [("good", "0"), ("dead", "3")], result.stdout
    assert len(read_feed(tmp_path / "out" / "good.jsonl")) == 12


# --- 15: interrupted ----------------------------------------------------------------------------


def interrupt(
    good_site: Path,
    output: Path,
    signals: list[int],
    gap: float | list[float] = 0.2,
    *,
    append: bool = False,
) -> tuple[int, str]:
    """Start a slow crawl (``-o`` when ``append``, else ``-O``), send ``signals`` once it
    has fetched a few pages, each followed by a pause of ``gap`` seconds (one for all, or
    one each); (code, log)."""
    gaps = gap if isinstance(gap, list) else [gap] * len(signals)
    # 0.3 s a response: the run needs several seconds for its 18 requests.
    with ReplayServer(Archive.load(good_site), delay=0.3) as server:
        command = crawl_command(f"{server.origin}/", output)
        if append:
            command[command.index("-O")] = "-o"
        run = start_crawl(command)
        try:
            wait_for_requests(server, run, 4)
            for number, pause in zip(signals, gaps, strict=True):
                run.send_signal(number)
                time.sleep(pause)
            _, log = run.communicate(timeout=CRAWL_TIMEOUT)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait(timeout=10)
    return run.returncode, log


@pytest.mark.parametrize(
    ("signals", "gap"),
    [
        ([signal.SIGTERM], 0.2),
        ([signal.SIGINT, signal.SIGINT], SIGNAL_REPEAT_WINDOW + 0.5),
        # A forced stop sent to a process group: the force is one, logged once.
        ([signal.SIGINT] * 3, [SIGNAL_REPEAT_WINDOW + 0.5, 0.0, 0.2]),
    ],
    ids=["sigterm", "sigint-twice", "sigint-then-twice-at-once"],
)
def test_15_an_interrupted_run_keeps_the_previous_output(
    good_site: Path, tmp_path: Path, signals: list[int], gap: float | list[float]
) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    code, log = interrupt(good_site, output, signals, gap)
    assert code == 15, log[-3000:]
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    if len(signals) == 1:  # a graceful stop writes its summary; a forced one cannot
        assert summary_of(output)["exit_code"] == 15
        assert "the run was interrupted" in log
        # What the run collected is kept aside, whole lines of real articles.
        aside = read_feed(tmp_path / "out.jsonl.interrupted")
        assert 0 < len(aside) <= 12 and all(item["title"] for item in aside)
        assert f"what it collected is in {output}.interrupted" in log
    else:
        assert log.count("forcing unclean shutdown") == 1, log[-3000:]


def test_15_a_scrapy_stop_limit_is_an_unfinished_run(good_site: Path, tmp_path: Path) -> None:
    # CLOSESPIDER_ITEMCOUNT stops the run after a few items, as a signal would: exit 15,
    # the previous output kept, what it collected beside it.
    output = tmp_path / "out.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with ReplayServer(Archive.load(good_site), delay=0.05) as server:
        run = crawl(f"{server.origin}/", output, "CLOSESPIDER_ITEMCOUNT=2", "CONCURRENT_REQUESTS=1")
    assert run.returncode == 15, tail(run)
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    assert 2 <= len(read_feed(tmp_path / "out.jsonl.interrupted")) < 12
    assert "the run did not finish (closespider_itemcount)" in run.stderr


def test_15_an_interrupted_append_run_adds_nothing_to_the_output(
    good_site: Path, tmp_path: Path
) -> None:
    """``-o`` (append) follows the same rule as ``-O``: the items of a run that did not
    finish go to ``<output>.interrupted``, not onto the end of the output."""
    output = tmp_path / "out.jsonl"
    previous = '{"kept": "from the last run"}\n'
    output.write_text(previous, encoding="utf-8")
    code, log = interrupt(good_site, output, [signal.SIGTERM], append=True)
    assert code == 15, log[-3000:]
    assert output.read_text(encoding="utf-8") == previous
    aside = read_feed(tmp_path / "out.jsonl.interrupted")
    assert 0 < len(aside) <= 12 and all(item["title"] for item in aside)
    assert summary_of(output)["outputs"] == [f"{output}.interrupted"]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_15_a_signal_delivered_twice_at_once_is_one_graceful_stop(
    good_site: Path, tmp_path: Path, number: int
) -> None:
    """A process-group signal reaches the crawl directly and again through its wrapper
    (``kill -- -PGID``, ``timeout``, systemd): the two are one stop, which writes the
    summary and leaves no ``.part``, not Scrapy's forced stop."""
    output = tmp_path / "out.jsonl"
    code, log = interrupt(good_site, output, [number, number], gap=0.01)
    assert code == 15, log[-3000:]
    assert "forcing unclean shutdown" not in log, log[-3000:]
    assert summary_of(output)["exit_code"] == 15
    assert "the run was interrupted" in log
    assert list(tmp_path.glob("*.part")) == []
    # No previous output: the output's name stays free (only whole runs write it), and
    # nothing says it was stored there.
    assert not output.exists()
    assert 0 < len(read_feed(tmp_path / "out.jsonl.interrupted")) <= 12
    assert summary_of(output)["outputs"] == [f"{output}.interrupted"]
    assert f"in: {output}" not in log, log[-3000:]


def test_15_a_full_run_cut_short_is_followed_by_a_full_run(good_site: Path, tmp_path: Path) -> None:
    """An interrupted first run leaves articles listed but never fetched: the next run is full
    (an incremental one would stop paging at the first page with nothing new), the two runs
    export every article between them, and the run after that is incremental again."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    first, second, third = (tmp_path / f"{name}.jsonl" for name in ("first", "second", "third"))
    # One server for every run: the state store keys articles by site root, port included.
    with ReplayServer(Archive.load(good_site), delay=0.3) as server:
        # One request at a time: what is in flight at the signal still finishes.
        one = "CONCURRENT_REQUESTS=1"
        run = start_crawl(crawl_command(f"{server.origin}/", first, state, one))
        try:
            wait_for_requests(server, run, 6)
            run.send_signal(signal.SIGTERM)
            _, log = run.communicate(timeout=CRAWL_TIMEOUT)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait(timeout=10)
        assert run.returncode == 15, log[-3000:]
        run2 = crawl(f"{server.origin}/", second, state)
        run3 = crawl(f"{server.origin}/", third, state)
    assert len(read_feed(first)) < 12
    assert run2.returncode == 0, tail(run2)
    assert summary_of(second)["kind"] == "full"
    assert len({item["url"] for item in read_feed(first) + read_feed(second)}) == 12
    assert run3.returncode == 0, tail(run3)
    assert (summary_of(third)["kind"], len(read_feed(third))) == ("incremental", 0)
