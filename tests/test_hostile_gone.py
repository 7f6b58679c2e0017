"""A site that stops answering (issue 7): the run stops asking it and fails with exit code 6
instead of sending every queued request three times; a robots.txt that times out holds the
run for two attempts, not five.

The end-to-end runs use ``DOWNLOAD_TIMEOUT=1`` and a server that holds its answer longer, so
each attempt costs one second; the middleware's own rules are checked with a stopped clock.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse
from twisted.internet import error as twisted_error

from crawler import middlewares
from crawler.crawlstate import ON_PURPOSE
from crawler.middlewares import UNREACHABLE_MIN_SECONDS, SiteGoneMiddleware
from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Hit, Reply, html, plain
from tests.hostile.harness import crawl

ART = "/news/shownews.php?id={}"
HOST = "http://news.example.org"


class Stats:
    """The two calls of Scrapy's stats collector that the middleware makes."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The middleware's monotonic clock, set by the test (seconds)."""
    now = [1000.0]
    monkeypatch.setattr(middlewares.time, "monotonic", lambda: now[0])
    return now


def attempt(gone: SiteGoneMiddleware, exception: Exception, path: str = "/a") -> None:
    request = Request(HOST + path)
    gone.process_request(request)
    gone.process_exception(request, exception)


def refused() -> Exception:
    return DownloadConnectionRefusedError("Connection was refused by other side: 111")


def test_ten_failed_attempts_over_fifteen_seconds_pause_the_host(clock: list[float]) -> None:
    stats = Stats()
    gone = SiteGoneMiddleware(stats, limit=10)
    for _ in range(9):
        attempt(gone, refused())
        clock[0] += 2.0
    assert gone.paused == set()  # nine attempts, 18 s: not yet ten
    attempt(gone, DownloadTimeoutError("Getting took longer than 1.0 seconds."))
    assert gone.paused == {"news.example.org"}
    assert stats.values == {"metinfo/unreachable/paused": 1}
    with pytest.raises(IgnoreRequest) as refusal:
        gone.process_request(Request(HOST + "/b"))
    # counted by the spider as a request not made on purpose, not as a failure
    assert str(refusal.value).startswith(ON_PURPOSE)
    assert stats.values["metinfo/unreachable/skipped"] == 1
    gone.process_request(Request("http://other.example.org/"))  # another host goes on


def test_a_burst_shorter_than_the_minimum_outage_does_not_pause(clock: list[float]) -> None:
    gone = SiteGoneMiddleware(Stats(), limit=10)
    for _ in range(30):
        attempt(gone, refused())
        clock[0] += (UNREACHABLE_MIN_SECONDS - 1) / 30
    assert gone.paused == set()
    clock[0] += 1.0
    attempt(gone, twisted_error.DNSLookupError("no such host"))
    assert gone.paused == {"news.example.org"}


def test_any_answer_starts_the_count_again(clock: list[float]) -> None:
    gone = SiteGoneMiddleware(Stats(), limit=10)
    for _ in range(9):
        attempt(gone, refused())
        clock[0] += 3.0
    request = Request(HOST + "/x")
    gone.process_response(request, HtmlResponse(request.url, status=500, body=b"busy"))
    for _ in range(9):
        attempt(gone, refused())
        clock[0] += 3.0
    assert gone.paused == set()


def test_other_failures_do_not_count_and_zero_turns_the_pause_off(clock: list[float]) -> None:
    gone = SiteGoneMiddleware(Stats(), limit=3)
    for _ in range(20):
        attempt(gone, ValueError("a bug of a middleware, not the site"))
        clock[0] += 5.0
    assert gone.paused == set()
    off = SiteGoneMiddleware(Stats(), limit=0)
    for _ in range(20):
        attempt(off, refused())
        clock[0] += 5.0
    assert off.paused == set()


class GoesAway:
    """The first ``answered`` article requests get their page; every later one is held
    past the crawl's timeout (the server took the connection and never answers)."""

    def __init__(self, answered: int) -> None:
        self.answered = answered
        self.lock = threading.Lock()
        self.given: list[str] = []
        self.held = 0

    def __call__(self, hit: Hit) -> Reply:
        with self.lock:
            if len(self.given) < self.answered:
                self.given.append(hit.target)
                return html(pages.simple_article(int(hit.target.rsplit("=", 1)[1])))
            self.held += 1
        return plain("too late\n", delay=3)


def test_a_site_that_stops_answering_is_paused_and_the_run_ends_with_6(tmp_path: Path) -> None:
    ids = range(1, 41)
    goes_away = GoesAway(answered=3)
    links = "".join(f'<li><a href="{ART.format(i)}">第{i}期培训班</a></li>' for i in ids)
    output = tmp_path / "items.jsonl"
    output.write_text('{"kept": "from the last run"}\n', encoding="utf-8")
    with FaultServer() as server:
        server.route("/robots.txt", plain("User-agent: *\nAllow: /\n"))
        server.route("/", html(pages.home(f"<ul>{links}</ul>")))
        for i in ids:
            server.route(ART.format(i), goes_away)
        run = crawl(server.origin + "/", output, "DOWNLOAD_TIMEOUT=1", timeout=90)
    assert run.returncode == 6, run.tail()
    assert run.stat("metinfo/unreachable/paused") == 1
    # Without the pause all 37 x 3 attempts would have been held (a second each); the pause
    # needs ten attempts over 15 s, a few at a time.
    assert 10 <= goes_away.held <= 60
    assert run.stat("metinfo/unreachable/skipped") > 0
    # What it collected is kept beside the previous output, which stays.
    assert output.read_text(encoding="utf-8") == '{"kept": "from the last run"}\n'
    aside = output.with_name(output.name + ".interrupted")
    kept = [line for line in aside.read_text(encoding="utf-8").splitlines() if line]
    assert len(kept) == 3
    assert "the site stopped answering during the run (METINFO_MAX_UNREACHABLE_IN_ROW)" in run.log
    assert "paused for this run" in run.log


def test_a_site_that_closes_every_connection_unanswered_ends_the_run_with_6(
    tmp_path: Path,
) -> None:
    """After three articles the host takes each connection and closes it without a byte
    (a proxy whose backend died; a whole-site trial of a multi-site cron job): no answer,
    as good as no connection, so the run did not read the site whole (it had exited 0);
    the other site of the run is read whole, and the summary tells the two apart."""
    ids = range(1, 21)
    answered: list[int] = []

    def drops_after_three(hit: Hit) -> Reply:
        article_id = int(hit.target.rsplit("=", 1)[1])
        if len(answered) < 3 or article_id in answered:
            answered.append(article_id)
            return html(pages.simple_article(article_id))
        return Reply(drop=True)

    links = "".join(f'<li><a href="{ART.format(i)}">第{i}期培训班</a></li>' for i in ids)
    healthy = "".join(f'<li><a href="{ART.format(i)}">第{i}期培训班</a></li>' for i in (1, 2))
    with FaultServer() as server, FaultServer() as other:
        server.route("/robots.txt", plain("User-agent: *\nAllow: /\n"))
        server.route("/", html(pages.home(f"<ul>{links}</ul>")))
        for i in ids:
            server.route(ART.format(i), drops_after_three)
        # a second site of the same run, which answers
        other.route("/robots.txt", plain("User-agent: *\nAllow: /\n"))
        other.route("/", html(pages.home(f"<ul>{healthy}</ul>")))
        for i in (1, 2):
            other.route(ART.format(i), html(pages.simple_article(i)))
        run = crawl([server.origin + "/", other.origin + "/"], tmp_path / "items.jsonl", timeout=90)
    assert run.returncode == 6, run.tail()
    assert run.stat("metinfo/articles/unreachable") == 17
    # the summary says which site lost what, and the log names the failed URLs
    assert run.summary is not None
    assert run.summary["per_site"] == {
        server.origin + "/": {"exported": 3, "listed": 0, "failed_requests": 17},
        other.origin + "/": {"exported": 2, "listed": 0, "failed_requests": 0},
    }
    assert f"(failed: {server.origin}/news/shownews.php?id=" in run.log


def test_a_robots_txt_that_times_out_is_asked_twice_then_the_run_ends_with_3(
    tmp_path: Path,
) -> None:
    with FaultServer() as server:
        server.route("/robots.txt", plain("User-agent: *\nAllow: /\n", delay=3))
        server.route("/", html(pages.home("<p>欢迎访问</p>")))
        run = crawl(server.origin + "/", tmp_path / "items.jsonl", "DOWNLOAD_TIMEOUT=1")
        robots = server.count("/robots.txt")
        home = server.count("/")
    # Scrapy's retries leave robots.txt alone; our schedule asks once more after a second.
    assert (robots, home) == (2, 0), run.tail()
    assert run.returncode == 3
    assert "(no more retries)" in run.log
