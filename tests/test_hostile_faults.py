"""Faults (issue 7): 5xx and 429 bursts with ``Retry-After`` (seconds and HTTP-date), timeouts,
stalled servers, connections reset mid-body, bodies shorter than their ``Content-Length``
and chunked bodies cut short.

A retry must arrive no earlier than ``Retry-After`` asked (measured from the moment the
answer went out to the moment the retry arrived, in the fault server's log); a request that
finally fails is named in the run summary; no item is ever built from a truncated body.
"""

from __future__ import annotations

import json
import math
import re
import time
from email.utils import formatdate
from itertools import pairwise

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Hit, Reply, Turns, html, plain
from tests.hostile.harness import Crawl, crawl

ART = "/news/shownews.php?id={}"
SLACK = 0.02  # timer slack (seconds) when comparing a measured wait with the one asked for
MAX_RETRY_AFTER = 3


def busy(status: int, retry_after: str | None = None) -> Reply:
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    reply = plain("Server busy, try again later.\n", status)
    return Reply(status, reply.headers + headers, reply.body)


class DatedRetry:
    """429 with ``Retry-After`` as an HTTP-date two whole seconds ahead, then the article;
    records the wall-clock time of each request and the date it asked to wait for."""

    def __init__(self, article_id: int) -> None:
        self.article = html(pages.simple_article(article_id))
        self.arrivals: list[float] = []
        self.until: float | None = None

    def __call__(self, hit: Hit) -> Reply:
        now = time.time()
        self.arrivals.append(now)
        if self.until is None:
            self.until = float(math.ceil(now) + 2)
            return busy(429, formatdate(self.until, usegmt=True))
        return self.article


@pytest.fixture(scope="module")
def retried(tmp_path_factory: pytest.TempPathFactory):
    dated = DatedRetry(3)
    with FaultServer() as server:
        server.route(
            ART.format(1),
            Turns([busy(503, "1"), busy(429, "2"), html(pages.simple_article(1))]),
        )
        server.route(ART.format(2), busy(503, "1"))  # never recovers
        server.route(ART.format(3), dated)
        server.route(ART.format(4), Turns([busy(503, "3600"), html(pages.simple_article(4))]))
        server.route(ART.format(5), Turns([busy(500), busy(502), html(pages.simple_article(5))]))
        out = tmp_path_factory.mktemp("retry") / "items.jsonl"
        run = crawl(
            [server.origin + ART.format(i) for i in range(1, 6)],
            out,
            f"METINFO_MAX_RETRY_AFTER={MAX_RETRY_AFTER}",
        )
        return run, server, dated


def waits(server: FaultServer, target: str) -> list[float]:
    """Seconds from each answer to the next request for the same target."""
    hits = [h for h in server.hits if h.target == target]
    return [round(b.arrived - a.answered, 3) for a, b in pairwise(hits)]


def test_retries_wait_as_long_as_retry_after_asks(retried) -> None:
    _, server, _ = retried
    first, second = waits(server, ART.format(1))
    assert first >= 1 - SLACK, first
    assert second >= 2 - SLACK, second
    assert [w >= 1 - SLACK for w in waits(server, ART.format(2))] == [True, True]


def test_a_retry_after_date_is_waited_for(retried) -> None:
    _, _, dated = retried
    assert len(dated.arrivals) == 2
    assert dated.arrivals[1] >= dated.until - SLACK, (dated.arrivals, dated.until)


def test_a_retry_after_past_the_cap_waits_the_cap(retried) -> None:
    _, server, _ = retried
    (wait,) = waits(server, ART.format(4))
    assert MAX_RETRY_AFTER - SLACK <= wait < MAX_RETRY_AFTER + 2, wait


def test_bursts_are_retried_the_configured_number_of_times(retried) -> None:
    _, server, _ = retried
    assert [server.count(ART.format(i)) for i in range(1, 6)] == [3, 3, 2, 2, 3]


def test_recovered_articles_are_exported_and_the_lost_one_is_named(retried) -> None:
    run, server, _ = retried
    assert run.returncode == 0, run.tail()
    got = sorted((pages.fields(i) for i in run.items), key=lambda i: i["article_id"])
    assert got == [pages.simple_expected(server.origin, i) for i in (1, 3, 4, 5)]
    assert run.stat("metinfo/failed_urls") == [server.origin + ART.format(2)]
    assert f"    failed: {server.origin}{ART.format(2)}" in run.log
    assert run.summary is not None
    assert run.summary["errors"]["failed_requests"] == 1


def test_the_summary_file_names_the_request_that_finally_failed(retried) -> None:
    """An unattended run is read from its summary file: the lost URL is listed there, not
    only counted."""
    run, server, _ = retried
    assert run.summary is not None
    assert server.origin + ART.format(2) in json.dumps(run.summary)


# --- truncated bodies ------------------------------------------------------------------------

PARAGRAPHS = [
    f"第{n}段：春茶采摘期间，协会技术人员分片包干，逐户指导鲜叶分级。" for n in range(1, 11)
]


def long_article(article_id: int) -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)
    return pages.article(article_id, f"春茶采摘技术指导纪实（{article_id}）", body).encode()


def cut_point(page: bytes) -> int:
    """Mid-body: the cut keeps the title and the first five paragraphs, a page a careless
    reader would take for a whole article."""
    return page.index("第6段".encode())


def truncated(article_id: int, **how) -> Reply:
    page = long_article(article_id)
    return html(page, send=cut_point(page), **how)


def long_expected(origin: str, article_id: int) -> dict:
    return pages.expected(
        origin,
        ART.format(article_id),
        article_id,
        f"春茶采摘技术指导纪实（{article_id}）",
        "\n".join(PARAGRAPHS),
    )


FAILING = {
    11: "no answer within the timeout",
    12: "stalls mid-body",
    13: "reset mid-body",
    14: "shorter than its Content-Length",
    15: "chunked, cut mid-chunk",
}


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        route = lambda i, answer: server.route(ART.format(i), answer)  # noqa: E731
        route(11, html(long_article(11), delay=4))
        route(12, truncated(12, end="hold", hold=4))
        route(13, truncated(13, end="reset"))
        route(14, truncated(14, end="close"))
        route(
            15, html(long_article(15), chunked=True, send=cut_point(long_article(15)), end="close")
        )
        # Broken once, whole on the retry: exported once, from the whole body.
        route(16, Turns([truncated(16, end="close"), html(long_article(16))]))
        route(17, Turns([truncated(17, end="reset"), html(long_article(17))]))
        # A body that ends when the connection closes, announced as such, is whole.
        route(18, html(long_article(18), length=-1, end="close"))
        # Shorter than its Content-Length on every attempt, cut in the footer, inside a
        # character (a broken host's output buffer, a whole-site trial): the text is whole.
        footer_cut = long_article(19).index("版权所有".encode()) + 1
        route(19, html(long_article(19), send=footer_cut, end="close"))
        out = tmp_path_factory.mktemp("cut") / "items.jsonl"
        run = crawl(
            [server.origin + ART.format(i) for i in range(11, 20)],
            out,
            "DOWNLOAD_TIMEOUT=1",
            "RETRY_TIMES=1",
        )
        return run, server


def test_no_item_is_built_from_a_truncated_body(cut: tuple[Crawl, FaultServer]) -> None:
    run, server = cut
    assert run.returncode == 0, run.tail()
    got = sorted((pages.fields(i) for i in run.items), key=lambda i: i["article_id"])
    assert got == [long_expected(server.origin, i) for i in (16, 17, 18, 19)]
    # 14 was cut in its text on both attempts: not kept; 19 after it
    assert run.stat("metinfo/articles/cut_after_text") == 1


def test_each_broken_answer_is_retried_once_then_named_as_failed(
    cut: tuple[Crawl, FaultServer],
) -> None:
    run, server = cut
    assert {i: server.count(ART.format(i)) for i in range(11, 20)} == {
        **dict.fromkeys(FAILING, 2),
        16: 2,
        17: 2,
        18: 1,
        19: 2,
    }
    assert sorted(run.stat("metinfo/failed_urls", [])) == sorted(
        server.origin + ART.format(i) for i in FAILING
    )
    assert run.summary is not None
    assert run.summary["errors"]["failed_requests"] == len(FAILING)


# --- error pages sent with status 200 ----------------------------------------------------------
# What a busy PHP host answers with 200: its own notice, and MetInfo's database class when
# MySQL refuses connections (a whole-site trial of a flaky host lost a list page and its six
# articles to the first, an article to the second).
BUSY_PAGE = (
    '<html><head><meta charset="utf-8"><title>提示信息</title></head><body>'
    '<div class="tip"><h2>提示信息</h2><p>系统繁忙，请稍后再试</p>'
    '<p><a href="javascript:history.back();">返回上一页</a></p></div></body></html>'
)
DB_ERROR_PAGE = (
    "<html><body><b>Database error:</b> Too many connections<br>"
    "<b>MySQL Errno:</b> 1040</body></html>"
)
PAGE_2 = "/news/index.php?class1=1&page=2"


@pytest.fixture(scope="module")
def error_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        server.route("/", html(pages.home('<p><a href="news/">协会资讯</a></p>')))
        pager = [(PAGE_2.rsplit("/", 1)[1], "下一页")]
        server.route(
            "/news/", html(pages.news_list([f"shownews.php?id={i}" for i in (31, 32)], pager=pager))
        )
        server.route(
            PAGE_2,
            Turns(
                [
                    html(BUSY_PAGE),
                    html(pages.news_list([f"shownews.php?id={i}" for i in (33, 34, 35)])),
                ]
            ),
        )
        for i in (31, 33, 35):
            server.route(ART.format(i), html(pages.simple_article(i)))
        server.route(ART.format(32), Turns([html(DB_ERROR_PAGE), html(pages.simple_article(32))]))
        server.route(ART.format(34), html(DB_ERROR_PAGE))  # never recovers
        out = tmp_path_factory.mktemp("errpage") / "items.jsonl"
        return crawl(server.origin + "/", out, "RETRY_TIMES=2"), server


def test_error_pages_sent_as_200_are_retried(error_pages: tuple[Crawl, FaultServer]) -> None:
    run, server = error_pages
    assert sorted(int(i["article_id"]) for i in run.items) == [31, 32, 33, 35]
    assert [server.count(t) for t in (PAGE_2, ART.format(32), ART.format(34))] == [2, 2, 3]
    assert run.stat("metinfo/retry/error_page") == 1 + 1 + 3


def test_an_error_page_that_never_clears_is_a_failed_request(
    error_pages: tuple[Crawl, FaultServer],
) -> None:
    run, server = error_pages
    assert run.stat("metinfo/failed_urls", []) == [server.origin + ART.format(34)]
    assert run.summary is not None
    assert run.summary["errors"]["failed_requests"] == 1
    assert "missing_title" not in run.summary["dropped"]  # never parsed as an article


def test_a_list_page_lost_for_good_is_asked_again_by_the_next_run(tmp_path) -> None:
    """A column's page 2 answers 503 to every try of the first run: its articles are never
    seen, the summary names the page, and the next (incremental) run, which would stop at
    page 1 with nothing new on it, asks for that page again and exports its articles; the
    run after has nothing lost to ask for."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    with FaultServer() as server:
        server.route("/", html(pages.home('<p><a href="news/">协会资讯</a></p>')))
        pager = [(PAGE_2.rsplit("/", 1)[1], "下一页")]
        first = [f"shownews.php?id={i}" for i in (31, 32)]
        server.route("/news/", html(pages.news_list(first, pager=pager)))
        second = html(pages.news_list([f"shownews.php?id={i}" for i in (33, 34)]))
        server.route(PAGE_2, Turns([busy(503), busy(503), busy(503), second]))
        for i in (31, 32, 33, 34):
            server.route(ART.format(i), html(pages.simple_article(i)))
        runs = []
        for n in (1, 2, 3):
            before = server.count(PAGE_2)
            run = crawl(server.origin + "/", tmp_path / f"{n}.jsonl", state, "RETRY_TIMES=2")
            runs.append((run, server.count(PAGE_2) - before))
    (run1, asked1), (run2, asked2), (run3, _) = runs
    assert sorted(int(i["article_id"]) for i in run1.items) == [31, 32]
    assert run1.summary is not None
    assert run1.summary["lists_lost"] == {server.origin + "/": [server.origin + PAGE_2]}
    assert run2.summary is not None and run2.summary["kind"] == "incremental"
    assert sorted(int(i["article_id"]) for i in run2.items) == [33, 34]
    assert run2.summary["lists_lost"] == {}
    assert run3.items == []
    assert (asked1, asked2) == (3, 1)
    assert run2.stat("metinfo/lists/lost_asked_again") == 1
    assert not run3.stat("metinfo/lists/lost_asked_again")


def dated(page: str) -> str:
    """A list page whose entries show the day their articles show (pages.DATE): a repeat run
    finds them unchanged and reads no further than page 1."""
    return re.sub(r"2024-03-0\d", pages.DATE[:10], page)


def test_articles_lost_or_blocked_are_asked_again_by_the_next_run(tmp_path) -> None:
    """Two articles on a column's page 2: one answers 503 to every try of the first run, the
    other a firewall's challenge page.  The first run names both in its summary's
    ``articles_lost``; the next (incremental) run, which stops at page 1 with nothing new
    on it and never reads page 2, asks for both again and exports them; the run after asks
    for nothing lost (a whole-site trial of a WAF-fronted host lost them for good)."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    with FaultServer() as server:
        server.route("/", html(pages.home('<p><a href="news/">协会资讯</a></p>')))
        pager = [(PAGE_2.rsplit("/", 1)[1], "下一页")]
        first = [f"shownews.php?id={i}" for i in (31, 32)]

        server.route("/news/", html(dated(pages.news_list(first, pager=pager))))
        second = pages.news_list([f"shownews.php?id={i}" for i in (33, 34)])
        server.route(PAGE_2, html(dated(second)))
        for i in (31, 32):
            server.route(ART.format(i), html(pages.simple_article(i)))
        page_33 = html(pages.simple_article(33))
        server.route(ART.format(33), Turns([busy(503), busy(503), busy(503), page_33]))
        page_34 = html(pages.simple_article(34))
        server.route(ART.format(34), Turns([html(pages.FIREWALL_PAGES[200]), page_34]))
        runs = []
        for n in (1, 2, 3):
            before = server.count(PAGE_2)
            run = crawl(server.origin + "/", tmp_path / f"{n}.jsonl", state, "RETRY_TIMES=2")
            runs.append((run, server.count(PAGE_2) - before))
    (run1, _), (run2, page_2_asked), (run3, _) = runs
    assert sorted(int(i["article_id"]) for i in run1.items) == [31, 32]
    assert run1.summary is not None
    lost = {site: sorted(urls) for site, urls in run1.summary["articles_lost"].items()}
    assert lost == {server.origin + "/": [server.origin + ART.format(i) for i in (33, 34)]}
    assert f"a firewall or challenge page answered {server.origin + ART.format(34)}" in run1.log
    assert run2.summary is not None and run2.summary["kind"] == "incremental"
    assert page_2_asked == 0
    assert sorted(int(i["article_id"]) for i in run2.items) == [33, 34]
    assert run2.summary["articles_lost"] == {}
    assert run2.stat("metinfo/articles/lost_asked_again") == 2
    assert run3.items == [] and not run3.stat("metinfo/articles/lost_asked_again")


@pytest.mark.parametrize(
    "deleted",
    [
        pytest.param(lambda: html(pages.SCRIPT_404), id="script-404"),
        pytest.param(lambda: html(pages.NOT_FOUND_PAGE), id="not-found-page"),
        pytest.param(lambda: busy(404), id="status-404"),
    ],
)
def test_a_deleted_article_still_listed_is_not_asked_for_by_repeat_runs(tmp_path, deleted) -> None:
    """A column's first page still names an article its editor deleted (MetInfo answers
    with a not-found page, or a 404).  The first run counts it as no article; the repeat
    runs neither ask for it again nor read on to the column's page 2 for it (a whole-site
    trial's daily runs did both, every day)."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    with FaultServer() as server:
        server.route("/", html(pages.home('<p><a href="news/">协会资讯</a></p>')))
        pager = [(PAGE_2.rsplit("/", 1)[1], "下一页")]
        listed = [f"shownews.php?id={i}" for i in (31, 32)]

        server.route("/news/", html(dated(pages.news_list(listed, pager=pager))))
        server.route(PAGE_2, html(dated(pages.news_list(["shownews.php?id=33"]))))
        for i in (31, 33):
            server.route(ART.format(i), html(pages.simple_article(i)))
        server.route(ART.format(32), deleted())
        runs = []
        for n in (1, 2, 3):
            before = (server.count(PAGE_2), server.count(ART.format(32)))
            run = crawl(server.origin + "/", tmp_path / f"{n}.jsonl", state)
            after = (server.count(PAGE_2), server.count(ART.format(32)))
            runs.append((run, after[0] - before[0], after[1] - before[1]))
    (run1, *asked1), (run2, *asked2), (run3, *asked3) = runs
    assert run1.returncode == 0 and sorted(int(i["article_id"]) for i in run1.items) == [31, 33]
    assert asked1 == [1, 1]
    assert run2.summary is not None and run2.summary["kind"] == "incremental"
    assert (run2.items, asked2, run3.items, asked3) == ([], [0, 0], [], [0, 0])
