"""Traps (issue 7): pagination that repeats its last page for every higher number, calendars,
ever-growing query strings and URLs, ``data:``/``file:`` links (a ``javascript:`` link is
followed only to the page its script opens), redirect loops and long chains, and the hard
per-site request budget behind them all.

Trap pages are built per request by the fault server (a manifest cannot hold endless pages),
and every assertion counts the requests the server saw.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import NOT_FOUND, Answer, FaultServer, Hit, html, redirect
from tests.hostile.harness import Crawl, crawl

ART = "/news/shownews.php?id={}"
URL_CAP = 300

# --- one site full of traps --------------------------------------------------------------------


def pager_page(page: int) -> str:
    """Column 1: three real pages (articles 1-2, 3-4, 5); any higher page repeats page 3, and
    every page's "下一页" links the next number.  No page count is printed anywhere."""
    shown = {1: [1, 2], 2: [3, 4]}.get(page, [5])
    pager = [(f"index.php?class1=1&page={page + 1}", "下一页")]
    if page > 1:
        pager.insert(0, (f"index.php?class1=1&page={page - 1}", "上一页"))
    calendar = "".join(
        f'<a href="news.php?class1=1&date=2024-03-{day:02d}">{day}</a>' for day in range(1, 32)
    )
    calendar += '<a href="news.php?class1=1&month=2024-02">上月</a>'
    calendar += '<a href="news.php?class1=1&month=2024-04">下月</a>'
    calendar += '<a href="../calendar.php?month=2024-04">日历</a>'
    return pages.news_list(
        [f"shownews.php?id={i}" for i in shown],
        pager=pager,
        extra=f'<div class="calendar-box">{calendar}</div>',
    )


def growing_page(trail: str) -> str:
    """Column 2: one article, and a "sort" link to itself with a longer query each time."""
    longer = trail + f"&k{len(trail)}=v"
    return pages.news_list(
        ["shownews.php?id=6"],
        classnow="2",
        extra=f'<p class="sort"><a href="news.php?class1=2&sort=hits{longer}">按点击排序</a></p>',
    )


def doubling_page(name: str) -> str:
    """A column-shaped URL whose page links a column named twice as long."""
    return pages.news_list([], extra=f'<p><a href="list-{name * 2}.html">更多</a></p>')


HOME_LINKS = [
    ("news/news.php?class1=1", "协会动态"),
    ("news/news.php?class1=2&sort=hits", "会员风采"),
    ("news/list-x.html", "专题"),
    ("javascript:location.href='news/shownews.php?id=90'", "js"),
    ("JavaScript:void(0)", "js, capitals"),
    (" javascript:window.open('news/shownews.php?id=91')", "js, leading space"),
    ("data:text/html;base64,PGEgaHJlZj0ibmV3cy9zaG93bmV3cy5waHA/aWQ9OTIiPng8L2E+", "data"),
    ("file:///news/shownews.php?id=93", "file"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("mailto:office@yunling.test", "mail"),
    ("tel:+86-000-0000", "phone"),
]


def trap_answer(hit: Hit) -> Answer:
    parts = urlsplit(hit.target)
    query = parse_qs(parts.query)
    if parts.path == "/news/index.php" and query.get("class1") == ["1"]:
        return html(pager_page(int(query.get("page", ["1"])[0])))
    if parts.path in ("/news/", "/news/news.php") and query.get("class1", ["1"]) == ["1"]:
        return html(pager_page(1))
    if parts.path == "/news/news.php" and query.get("class1") == ["2"]:
        return html(growing_page(parts.query.split("sort=hits", 1)[-1]))
    if m := re.fullmatch(r"/news/list-(x+)\.html", parts.path):
        return html(doubling_page(m.group(1)))
    if m := re.fullmatch(r"/news/shownews\.php\?id=(\d+)", hit.target):
        return html(pages.simple_article(int(m.group(1))))
    if parts.path == "/calendar.php":
        return html(pages.home('<a href="calendar.php?month=2024-05">下月</a>'))
    return NOT_FOUND


def doubling_targets(origin: str) -> tuple[list[str], str]:
    """The ``list-x…`` targets a crawl with a URL cap of :data:`URL_CAP` requests, and the
    first one it must refuse."""
    targets, name = [], "x"
    while len(origin) + len(f"/news/list-{name}.html") <= URL_CAP:
        targets.append(f"/news/list-{name}.html")
        name *= 2
    return targets, f"/news/list-{name}.html"


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer(fallback=trap_answer) as server:
        body = "\n".join(f'<p><a href="{href}">{text}</a></p>' for href, text in HOME_LINKS)
        server.route("/", html(pages.home(f'<div class="index-links">{body}</div>')))
        out = tmp_path_factory.mktemp("traps") / "items.jsonl"
        run = crawl(server.origin + "/", out, f"METINFO_MAX_URL_LENGTH={URL_CAP}")
        return run, server


def test_trap_site_crawl_ends_and_exports_each_article_once(
    trapped: tuple[Crawl, FaultServer],
) -> None:
    run, server = trapped
    assert run.returncode == 0, run.tail()
    # 90 and 91 are linked only by scripts that open them (location.href, window.open)
    assert sorted(int(i["article_id"]) for i in run.items) == [1, 2, 3, 4, 5, 6, 90, 91]
    assert [server.count(ART.format(i)) for i in (*range(1, 7), 90, 91)] == [1] * 8


def test_pager_that_repeats_its_last_page_is_walked_to_one_page_past_the_end(
    trapped: tuple[Crawl, FaultServer],
) -> None:
    _, server = trapped
    column1 = [t for t in server.targets() if "class1=1" in t]
    assert sorted(column1) == sorted(
        [
            "/news/news.php?class1=1",
            "/news/index.php?class1=1&page=2",
            "/news/index.php?class1=1&page=3",
            "/news/index.php?class1=1&page=4",
        ]
    )


def test_calendar_links_are_never_requested(trapped: tuple[Crawl, FaultServer]) -> None:
    _, server = trapped
    assert [t for t in server.targets() if "date=" in t or "month=" in t] == []


def test_ever_growing_query_strings_are_requested_once(trapped: tuple[Crawl, FaultServer]) -> None:
    _, server = trapped
    assert [t for t in server.targets() if "class1=2" in t] == ["/news/news.php?class1=2&sort=hits"]


def test_ever_longer_urls_stop_at_the_url_length_cap(trapped: tuple[Crawl, FaultServer]) -> None:
    run, server = trapped
    expected, refused = doubling_targets(server.origin)
    assert [t for t in server.targets() if t.startswith("/news/list-")] == expected
    assert refused not in server.targets()
    assert run.stat("metinfo/budget/url_too_long") == 1


def test_data_and_file_links_are_never_requested(trapped: tuple[Crawl, FaultServer]) -> None:
    _, server = trapped
    assert [t for t in server.targets() if re.search(r"id=9[2-9]", t)] == []


def test_trap_site_requests_nothing_else(trapped: tuple[Crawl, FaultServer]) -> None:
    _, server = trapped
    expected, _ = doubling_targets(server.origin)
    assert sorted(server.targets()) == sorted(
        [
            "/robots.txt",
            "/",
            "/sitemap.xml",
            "/sitemap.txt",
            # (not /news/, which every list page's breadcrumb links: the folder's own
            # column, whose page 1 this is)
            "/news/news.php?class1=1",
            "/news/index.php?class1=1&page=2",
            "/news/index.php?class1=1&page=3",
            "/news/index.php?class1=1&page=4",
            "/news/news.php?class1=2&sort=hits",
            *expected,
            *(ART.format(i) for i in (*range(1, 7), 90, 91)),
        ]
    )


# --- the request budget --------------------------------------------------------------------------


def month_answer(hit: Hit) -> Answer:
    """An archive of month columns (``list-m202403.html``): each month page lists nothing and
    links the month before, without end: the URL grammar cannot tell it from columns."""
    if m := re.fullmatch(r"/news/list-m(\d{4})(\d\d)\.html", hit.target):
        year, month = int(m.group(1)), int(m.group(2))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return html(
            pages.news_list([], extra=f'<p><a href="list-m{year}{month:02d}.html">上月</a></p>')
        )
    if hit.target == ART.format(8):
        return html(pages.simple_article(8))
    return NOT_FOUND


BUDGET = 20


def test_request_budget_stops_an_endless_archive_at_exactly_the_budget(tmp_path: Path) -> None:
    home = pages.home(
        '<p><a href="news/shownews.php?id=8">春茶开园</a></p>'
        '<p><a href="news/list-m202403.html">往期归档</a></p>'
    )
    with FaultServer(fallback=month_answer) as server:
        server.route("/", html(home))
        run = crawl(
            server.origin + "/", tmp_path / "items.jsonl", f"METINFO_MAX_REQUESTS_PER_SITE={BUDGET}"
        )
        targets = server.targets()
    # The site was not read whole: exit 6, as for a site gone away, the previous output kept.
    assert run.returncode == 6, run.tail()
    assert len(targets) == BUDGET
    assert run.stat("metinfo/budget/exhausted") == 1
    assert f"request budget of {BUDGET} for 127.0.0.1 used up" in run.log
    assert "METINFO_MAX_REQUESTS_PER_SITE) ran out before the site was read whole" in run.log
    # What was found before the budget ran out is kept beside the output.
    aside = tmp_path / "items.jsonl.interrupted"
    assert [json.loads(line)["article_id"] for line in aside.read_text().splitlines()] == ["8"]


# --- redirect loops and chains ---------------------------------------------------------------


def serve_redirects(server: FaultServer) -> None:
    # 71 -> a -> b -> 71: a loop through the article URL itself.
    server.route(ART.format(71), redirect("/r/a"))
    server.route("/r/a", redirect("/r/b"))
    server.route("/r/b", redirect(ART.format(71)))
    # 72 -> x -> y -> x: a loop beside it.
    server.route(ART.format(72), redirect("/loop/x"))
    server.route("/loop/x", redirect("/loop/y"))
    server.route("/loop/y", redirect("/loop/x"))
    # 73 -> chain/1 -> ... -> chain/10 -> the article: longer than REDIRECT_MAX_TIMES (5).
    server.route(ART.format(73), redirect("/chain/1"))
    for hop in range(1, 11):
        server.route(
            f"/chain/{hop}", redirect(f"/chain/{hop + 1}" if hop < 10 else "/news/73.html")
        )
    server.route("/news/73.html", html(pages.simple_article(73)))
    # 74 -> go/1 -> go/2 -> go/3 -> the article: within the limit.
    server.route(ART.format(74), redirect("/go/1", 301))
    server.route("/go/1", redirect("/go/2", 302))
    server.route("/go/2", redirect("/go/3", 307))
    server.route("/go/3", redirect("/news/74.html", 308))
    server.route("/news/74.html", html(pages.simple_article(74)))


@pytest.fixture(scope="module")
def redirected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        serve_redirects(server)
        out = tmp_path_factory.mktemp("redirects") / "items.jsonl"
        run = crawl([server.origin + ART.format(i) for i in (71, 72, 73, 74)], out)
        return run, server


def test_redirect_loops_request_each_url_once(redirected: tuple[Crawl, FaultServer]) -> None:
    _, server = redirected
    loops = [ART.format(71), "/r/a", "/r/b", ART.format(72), "/loop/x", "/loop/y"]
    assert [server.count(t) for t in loops] == [1] * 6


def test_a_long_redirect_chain_stops_at_the_redirect_limit(
    redirected: tuple[Crawl, FaultServer],
) -> None:
    _, server = redirected
    chain = [t for t in server.targets() if t.startswith("/chain/")]
    assert sorted(chain) == [f"/chain/{hop}" for hop in range(1, 6)]
    assert server.count("/news/73.html") == 0


def test_a_short_redirect_chain_ends_at_the_article(redirected: tuple[Crawl, FaultServer]) -> None:
    run, server = redirected
    assert run.returncode == 0, run.tail()
    assert [pages.fields(i) for i in run.items] == [
        pages.simple_expected(server.origin, 74, "/news/74.html")
    ]
    assert [server.count(t) for t in (ART.format(74), "/go/1", "/go/2", "/go/3")] == [1] * 4


def test_articles_lost_in_redirect_loops_are_listed_as_failed(
    redirected: tuple[Crawl, FaultServer],
) -> None:
    """A request that ends in a loop finally fails: the summary names the article URL."""
    run, server = redirected
    failed = run.stat("metinfo/failed_urls", [])
    lost = [server.origin + ART.format(i) for i in (71, 72)]
    assert [url for url in lost if url not in failed] == []


def test_an_article_lost_in_a_long_redirect_chain_is_listed_by_its_own_url(
    redirected: tuple[Crawl, FaultServer],
) -> None:
    run, server = redirected
    assert server.origin + ART.format(73) in run.stat("metinfo/failed_urls", [])


def test_redirect_failures_are_counted_in_the_summary_file(
    redirected: tuple[Crawl, FaultServer],
) -> None:
    run, _ = redirected
    assert run.summary is not None and run.summary["errors"]["failed_requests"] == 3
