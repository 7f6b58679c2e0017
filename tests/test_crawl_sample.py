"""End to end: crawl the bundled sample site in a subprocess; check the feed against its truth."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.accuracy import around_difference, compare, load_jsonl
from crawler.replay import Archive, LoggedRequest, ReplayServer
from crawler.sample import crawl_command
from crawler.site import parse_article_url
from tests.support import (
    REPO_ROOT,
    SAMPLE_SITE,
    CrawlRun,
    assert_items_valid,
    forbidden_requests,
    read_feed,
    report_text,
    run_crawl,
)

SAMPLE_TIMEOUT = 120  # seconds for one crawl of the sample site (it takes a few)
TRUTH = SAMPLE_SITE / "truth.jsonl"


def truth_for(origin: str) -> list[dict[str, Any]]:
    return load_jsonl(TRUTH, origin)


# --- python -m crawler.sample: the README's first command ---------------------------------------


@dataclass
class SampleRun:
    result: subprocess.CompletedProcess[str]
    output: Path


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    output = tmp_path_factory.mktemp("sample") / "articles.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.sample", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=SAMPLE_TIMEOUT,
        check=False,
    )
    return SampleRun(result, output)


@pytest.fixture(scope="module")
def sample_items(sample_run: SampleRun) -> list[dict[str, Any]]:
    result = sample_run.result
    tail = "\n".join(result.stderr.splitlines()[-60:])
    assert result.returncode == 0, f"exit status {result.returncode}\n{tail}"
    assert sample_run.output.is_file(), f"no feed written\n{result.stdout}"
    return read_feed(sample_run.output)  # UTF-8, no BOM, literal Chinese, one object a line


def test_sample_runner_exits_0_and_says_where_the_feed_is(sample_run: SampleRun) -> None:
    result = sample_run.result
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"wrote 11 articles to {sample_run.output}" in result.stdout


def test_sample_feed_is_utf8_json_lines_with_literal_chinese(
    sample_run: SampleRun, sample_items: list[dict[str, Any]]
) -> None:
    text = sample_run.output.read_text(encoding="utf-8")
    assert "青禾商会" in text  # written as characters, not \u escapes (read_feed checks those)
    assert len(sample_items) == len(text.splitlines())


def test_sample_items_validate_against_the_schema(sample_items: list[dict[str, Any]]) -> None:
    assert sample_items
    assert_items_valid(sample_items)


def test_sample_items_equal_the_truth(sample_items: list[dict[str, Any]]) -> None:
    sites = {item["site"] for item in sample_items}
    assert len(sites) == 1, sites
    origin = sites.pop().rstrip("/")
    report = compare(truth_for(origin), sample_items)
    assert report.ok, report_text(report)


def test_sample_run_prints_the_run_summary(sample_run: SampleRun) -> None:
    log = sample_run.result.stderr
    assert "run summary" in log
    assert "articles exported:  11" in log
    assert "duplicate_content 1" in log  # ids 4 and 9 are one article published twice


# --- crawls against a replay server started here, so its request log can be read ----------------


@dataclass
class ServedCrawl:
    run: CrawlRun
    origin: str
    requests: list[LoggedRequest]

    def article_requests(self) -> list[tuple[str, str]]:
        """(path, article id) of every logged request for an article URL."""
        found = []
        for request in self.requests:
            ref = parse_article_url(self.origin + request.path, self.origin + "/")
            if ref is not None:
                found.append((request.path, ref.id))
        return found


def crawl_sample(start: str, output: Path, *args: str) -> ServedCrawl:
    """Serve the sample on a free port and crawl it from ``origin + start`` (several
    comma-separated paths: a start URL for each), with spider arguments ``args``
    (``columns=...``)."""
    with ReplayServer(Archive.load(SAMPLE_SITE)) as server:
        urls = ",".join(server.origin + path for path in start.split(","))
        command = crawl_command(urls, output)
        for arg in args:
            command += ["-a", arg]
        run = run_crawl(command, output, timeout=SAMPLE_TIMEOUT)
        requests = server.requests
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    return ServedCrawl(run, server.origin, requests)


@pytest.fixture(scope="module")
def home_crawl(tmp_path_factory: pytest.TempPathFactory) -> ServedCrawl:
    return crawl_sample("/", tmp_path_factory.mktemp("home") / "articles.jsonl")


def test_home_crawl_equals_the_truth(home_crawl: ServedCrawl) -> None:
    assert_items_valid(home_crawl.run.items)
    report = compare(truth_for(home_crawl.origin), home_crawl.run.items)
    assert report.ok, report_text(report)


def test_home_crawl_logs_the_run_summary(home_crawl: ServedCrawl) -> None:
    log = home_crawl.run.stderr
    assert "run summary" in log
    assert "articles exported:  11" in log


def test_a_crawl_without_delay_keeps_two_requests_per_site(tmp_path: Path) -> None:
    """CONCURRENT_REQUESTS_PER_DOMAIN (2) holds with DOWNLOAD_DELAY=0, as the replay
    commands of the README set it: Scrapy 2.19 alone sends a site's whole queue at once
    (16 at a time here) when the delay is 0 (spiders/metinfo.py MIN_DOWNLOAD_DELAY)."""
    output = tmp_path / "articles.jsonl"
    with ReplayServer(Archive.load(SAMPLE_SITE), delay=0.15) as server:
        command = crawl_command(server.origin + "/", output)
        assert "DOWNLOAD_DELAY=0" in command
        run = run_crawl(command, output, timeout=SAMPLE_TIMEOUT)
        peak = server.peak_in_flight
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    assert len(run.items) == 11
    assert peak == 2


def test_home_crawl_opens_no_way_into_the_process(home_crawl: ServedCrawl) -> None:
    """Neither Scrapy's telnet console nor its remote control (an HTTP server that runs the
    Python code it is sent) listens during a crawl."""
    log = home_crawl.run.stderr
    assert "Enabled extensions:" in log
    assert "scrapy.extensions.telnet.TelnetConsole" not in log
    assert "scrapy.extensions.remote_control.RemoteControl" not in log
    assert "Remote control HTTP server listening" not in log


def test_home_crawl_never_requests_hit_counters_or_member_pages(home_crawl: ServedCrawl) -> None:
    assert home_crawl.requests, "the replay server saw no request"
    assert forbidden_requests(home_crawl.requests) == []


def test_home_crawl_fetches_each_article_once(home_crawl: ServedCrawl) -> None:
    articles = home_crawl.article_requests()
    assert articles
    twice_by_url = {p: n for p, n in Counter(p for p, _ in articles).items() if n > 1}
    assert twice_by_url == {}, "article URLs fetched more than once"
    # /news/shownews.php?id=2 and ?id=2&lang=cn are one article; only one form is fetched.
    twice_by_id = {i: n for i, n in Counter(i for _, i in articles).items() if n > 1}
    assert twice_by_id == {}, f"article ids fetched under several URLs: {articles}"


def test_an_article_url_start_exports_just_that_article(tmp_path: Path) -> None:
    crawl = crawl_sample("/news/shownews.php?id=1", tmp_path / "one.jsonl")
    items = crawl.run.items
    assert [item["url"] for item in items] == [f"{crawl.origin}/news/shownews.php?id=1"]
    assert_items_valid(items)
    truth = [r for r in truth_for(crawl.origin) if r["id"] == 1]
    report = compare(truth, items)
    assert report.ok, report_text(report)
    assert [p for p, _ in crawl.article_requests()] == ["/news/shownews.php?id=1"]


def test_a_column_start_exports_only_that_columns_articles(tmp_path: Path) -> None:
    crawl = crawl_sample("/notice/", tmp_path / "notice.jsonl")
    items = crawl.run.items
    truth = [r for r in truth_for(crawl.origin) if r["column_path"] == ["通知公告"]]
    assert sorted(int(r["id"]) for r in truth) == [4, 7, 8, 10]  # the README's notice ids
    assert sorted(item["article_id"] for item in items) == sorted(str(r["id"]) for r in truth)
    assert_items_valid(items)
    report = compare(truth, items)
    assert report.ok, report_text(report)
    assert forbidden_requests(crawl.requests) == []
    assert {p.split("/")[1] for p, _ in crawl.article_requests()} == {"notice"}


def test_a_column_filter_exports_and_counts_only_its_columns(tmp_path: Path) -> None:
    """``-a columns=通知公告`` from the home page: that column's articles alone, and the
    summary's ``listed`` counts its entries only (it had counted every list page read,
    other columns' too: a fresh-user trial).  ``skip_columns`` gives the rest."""
    crawl = crawl_sample("/", tmp_path / "only.jsonl", "columns=通知公告")
    assert sorted(int(item["article_id"]) for item in crawl.run.items) == [4, 7, 8, 10]
    summary = json.loads((tmp_path / "only.jsonl.summary.json").read_text(encoding="utf-8"))
    assert summary["listed"] == 4 and summary["exported"] == 4
    assert summary["outputs"] == [str(tmp_path / "only.jsonl")]
    crawl = crawl_sample("/", tmp_path / "skip.jsonl", "skip_columns=通知公告")
    ids = {int(item["article_id"]) for item in crawl.run.items}
    assert not ids & {4, 7, 8, 10} and {1, 2, 3, 5, 6} <= ids


def test_timezone_is_taken_for_tz(tmp_path: Path) -> None:
    """``-a timezone=…``, as a sites file spells it, is the spider's ``tz`` (a whole-site
    trial's user typed it and got exit code 2): the sample's times are read as Tokyo's
    (+09:00), not the default Asia/Shanghai (+08:00)."""
    crawl = crawl_sample("/notice/", tmp_path / "tz.jsonl", "timezone=Asia/Tokyo")
    assert sorted(item["article_id"] for item in crawl.run.items) == ["10", "4", "7", "8"]
    assert all(item["published_at"].endswith("+09:00") for item in crawl.run.items)


def test_two_column_starts_export_both_columns(tmp_path: Path) -> None:
    """Each start column bounds the crawl, not only the first to answer."""
    crawl = crawl_sample("/notice/,/news/", tmp_path / "two.jsonl")
    ids = sorted(int(item["article_id"]) for item in crawl.run.items)
    # 商会动态 (news, cn) and 通知公告 (notice); 4 and 9 are one article published twice,
    # and whichever answers first is kept.
    assert len(ids) == 9 and {1, 2, 3, 5, 6, 7, 8, 10} <= set(ids) and len({4, 9} & set(ids)) == 1
    assert_items_valid(crawl.run.items)


def test_a_column_start_and_an_article_start_outside_it(tmp_path: Path) -> None:
    """An article given as a start URL is exported even when it is in no start column."""
    crawl = crawl_sample("/notice/,/news/shownews.php?id=1", tmp_path / "mixed.jsonl")
    ids = sorted(int(item["article_id"]) for item in crawl.run.items)
    assert ids == [1, 4, 7, 8, 10]


def test_a_copy_of_an_article_an_earlier_run_exported_is_not_exported(tmp_path: Path) -> None:
    """Ids 4 and 9 are one article published twice.  A first run exports 4 alone (as a run
    cut short might); the next run with the same state store meets only 9 (4 is unchanged)
    and drops it as a copy of 4 instead of exporting the article a second time."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    with ReplayServer(Archive.load(SAMPLE_SITE)) as server:  # one origin: one site to the store
        first_out, second_out = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
        article = f"{server.origin}/notice/shownews.php?id=4"
        first = run_crawl(
            crawl_command(article, first_out, state), first_out, timeout=SAMPLE_TIMEOUT
        )
        home = crawl_command(server.origin + "/", second_out, state)
        second = run_crawl(home, second_out, timeout=SAMPLE_TIMEOUT)
    assert first.returncode == 0 and second.returncode == 0, second.log_tail()
    assert [item["article_id"] for item in first.items] == ["4"]
    assert sorted(int(item["article_id"]) for item in second.items) == [
        1,
        2,
        3,
        5,
        6,
        7,
        8,
        10,
        11,
        12,
    ]
    assert (
        f"dropped duplicate_content: {server.origin}/news/shownews.php?id=9 (kept {article})"
        in second.stderr
    )


# --- python -m crawler.accuracy: one output against its truth ----------------------------------


def accuracy(output: Path, corpus: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.accuracy", str(output), str(corpus)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=SAMPLE_TIMEOUT,
        check=False,
    )


def test_accuracy_command_passes_the_sample_run(sample_run: SampleRun) -> None:
    result = accuracy(sample_run.output, SAMPLE_SITE)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "articles: 11 of 11 exported once; missing 0, extra 0, duplicated 0"
    assert "  title        100.00% exactly right" in lines
    assert "  body F1      mean 1.0000, lowest 1.0000" in lines


def test_accuracy_command_names_a_wrong_title_and_a_missing_article(
    sample_items: list[dict[str, Any]], tmp_path: Path
) -> None:
    items = sorted(sample_items, key=lambda i: int(i["article_id"]))
    dropped, changed = items[0], items[1]
    changed = {**changed, "title": changed["title"] + "（更正）"}
    output = tmp_path / "edited.jsonl"
    output.write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in [changed, *items[2:]]),
        encoding="utf-8",
    )
    result = accuracy(output, SAMPLE_SITE / "truth.jsonl")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "articles: 10 of 11 exported once; missing 1, extra 0, duplicated 0"
    assert "  title         90.00% exactly right" in lines
    key = {str(r["id"]): str(r.get("key", r["id"])) for r in load_jsonl(TRUTH)}
    assert f"  missing: {key[dropped['article_id']]}" in lines
    title = items[1]["title"]
    assert f"  {key[changed['article_id']]} title: {title!r} != {changed['title']!r}" in lines


def test_accuracy_shows_long_values_around_their_first_difference() -> None:
    want = "甲" * 150 + "乙丙丁" + "戊" * 100
    got = "甲" * 150 + "乙丁丙" + "戊" * 100
    a, b = around_difference(want, got)
    assert a == "…" + "甲" * 19 + "乙丙丁" + "戊" * 58 + "…"
    assert b == "…" + "甲" * 19 + "乙丁丙" + "戊" * 58 + "…"
    assert around_difference("短", "短文") == ("短", "短文")
