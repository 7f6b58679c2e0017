"""Pages that are not what they seem (issue 7): firewall and challenge pages, soft 404s,
member-only articles, non-HTML where an article was expected, ``noindex`` articles.

Every page is served by the fault server (``tests/hostile/faultserver.py``) on 127.0.0.1 and
the crawl starts at the article URLs themselves (``-a url=A,B,...``), so each page is
requested exactly once and what happened to it is read from the server's log, the feed, the
stats and the summary file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Reply, html, redirect
from tests.hostile.harness import Crawl, crawl
from tests.support import assert_items_valid

ARTICLE = "/news/shownews.php?id={}"
FIREWALL_STATUSES = (200, 403, 405, 503)


def article_path(article_id: int) -> str:
    return ARTICLE.format(article_id)


# --- firewall pages: a site paused after N in a row ----------------------------------------


@pytest.fixture(scope="module")
def paused(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, list[str]]:
    """Six article URLs that all answer with firewall pages (statuses 200, 403, 405, 503,
    200, 403), the limit at 3 and one request at a time: the site is paused after the third."""
    statuses = (200, 403, 405, 503, 200, 403)
    with FaultServer() as server:
        for article_id, status in enumerate(statuses, 1):
            server.route(article_path(article_id), html(pages.FIREWALL_PAGES[status], status))
        out = tmp_path_factory.mktemp("paused") / "items.jsonl"
        run = crawl(
            [server.origin + article_path(i) for i in range(1, 7)],
            out,
            "CONCURRENT_REQUESTS=1",
            "METINFO_MAX_BLOCKED_IN_ROW=3",
        )
        return run, server.targets()


def test_firewall_pages_pause_the_site_after_three_in_a_row(
    paused: tuple[Crawl, list[str]],
) -> None:
    run, targets = paused
    assert run.returncode == 10, run.tail()
    assert run.items == []
    # Three firewall answers, then nothing more is asked of the paused site.
    assert targets == ["/robots.txt", article_path(1), article_path(2), article_path(3)]
    assert run.stat("metinfo/blocked") == 3
    assert run.prefixed("metinfo/blocked/status/") == {"200": 1, "403": 1, "405": 1}
    assert run.stat("metinfo/blocked/paused") == 1
    assert run.stat("metinfo/blocked/skipped_paused") == 3


def test_paused_site_says_so_in_one_log_line_and_the_summary(
    paused: tuple[Crawl, list[str]],
) -> None:
    run, _ = paused
    lines = [line for line in run.log.splitlines() if "paused for this run" in line]
    assert len(lines) == 1, run.tail()
    # Paused by host and port: two sites on one host are paused apart.
    assert re.search(r"ERROR: site 127\.0\.0\.1:\d+ paused for this run: 3 blocked", lines[0])
    assert run.summary is not None
    assert run.summary["blocked"] == 3
    assert run.summary["exported"] == 0
    assert run.summary["exit_code"] == 10
    assert "run failed (exit code 10)" in run.log


def test_firewall_pages_not_in_a_row_do_not_pause_the_site(tmp_path: Path) -> None:
    """Limit 2, one request at a time, answers blocked / article / blocked / article /
    blocked: never two blocked in a row, so the site is never paused."""
    with FaultServer() as server:
        for article_id in (1, 3, 5):
            server.route(article_path(article_id), html(pages.FIREWALL_PAGES[403], 403))
        for article_id in (2, 4):
            server.route(article_path(article_id), html(pages.simple_article(article_id)))
        run = crawl(
            [server.origin + article_path(i) for i in range(1, 6)],
            tmp_path / "items.jsonl",
            "CONCURRENT_REQUESTS=1",
            "METINFO_MAX_BLOCKED_IN_ROW=2",
        )
        assert server.targets() == ["/robots.txt", *(article_path(i) for i in range(1, 6))]
    assert run.returncode == 0, run.tail()
    assert run.stat("metinfo/blocked") == 3
    assert run.stat("metinfo/blocked/paused", None) is None
    assert sorted(i["article_id"] for i in run.items) == ["2", "4"]


# --- one crawl of many kinds of non-articles ------------------------------------------------

# A small PDF, all of it text but its binary-marker comment line (PDF 1.7 §7.5.2).
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 40


def _serve_mixed(server: FaultServer) -> None:
    for article_id, status in zip(range(1, 5), FIREWALL_STATUSES, strict=True):
        server.route(article_path(article_id), html(pages.FIREWALL_PAGES[status], status))
    # MetInfo 7 sends a missing article to /404.html, which answers 200 (guide §5).
    server.route(article_path(11), redirect("../404.html"))
    server.route("/404.html", html(pages.NOT_FOUND_PAGE))
    # The 404 template served at the article URL itself, with 200.
    server.route(article_path(12), html(pages.NOT_FOUND_PAGE.replace('href="./"', 'href="../"')))
    # The host's own "页面不存在" page with 200.
    server.route(article_path(13), html(pages.HOST_SOFT_404))
    # A removed article redirected to the home page.
    server.route(article_path(14), redirect("/"))
    server.route("/", html(pages.home('<p><a href="news/">协会动态</a></p>')))
    # Member-only: a JS alert and a login redirect; and the same as an HTTP redirect.
    server.route(article_path(15), html(pages.MEMBER_ONLY))
    server.route(article_path(16), html(pages.SCRIPT_404))
    server.route(
        article_path(17),
        redirect("../member/login.php?lang=cn&gourl=news%2Fshownews.php%3Fid%3D17"),
    )
    # Non-HTML where an article was expected.
    server.route(article_path(21), Reply(200, (("Content-Type", "application/pdf"),), PDF))
    server.route(article_path(22), Reply(200, (("Content-Type", "image/png"),), PNG))
    server.route(article_path(23), html(b""))
    server.route(article_path(24), Reply(204))
    # MetInfo prints a misspelt robots meta on some real articles: recorded, not obeyed.
    server.route(
        article_path(31),
        html(
            pages.article(
                31,
                "协会召开春茶质量评比会",
                "<p>春茶质量评比会在协会评茶室举行，二十六家会员单位送样参评。</p>",
                head_extra='<meta name="robots" content="noindex,nofllow">\n',
            )
        ),
    )
    server.route(article_path(32), html(pages.simple_article(32)))


MIXED_IDS = (1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 31, 32)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        _serve_mixed(server)
        out = tmp_path_factory.mktemp("mixed") / "items.jsonl"
        run = crawl([server.origin + article_path(i) for i in MIXED_IDS], out)
        return run, server


def test_mixed_crawl_exits_0_with_nothing_dropped(mixed: tuple[Crawl, FaultServer]) -> None:
    """Not-articles are not items: none reaches the validation pipeline, so none can count
    as an item missing its title and push the run to exit code 7."""
    run, _ = mixed
    assert run.summary is not None
    assert run.summary["dropped"] == {}
    assert run.returncode == 0, run.tail()


def test_only_the_two_real_articles_are_exported(mixed: tuple[Crawl, FaultServer]) -> None:
    run, server = mixed
    assert_items_valid(run.items)
    got = sorted((pages.fields(item) for item in run.items), key=lambda item: item["url"])
    assert got == [
        pages.expected(
            server.origin,
            article_path(31),
            31,
            "协会召开春茶质量评比会",
            "春茶质量评比会在协会评茶室举行，二十六家会员单位送样参评。",
        ),
        pages.simple_expected(server.origin, 32),
    ]


def test_each_kind_of_non_article_is_counted_by_its_reason(
    mixed: tuple[Crawl, FaultServer],
) -> None:
    run, _ = mixed
    expected = {
        "not_found_page": 4,  # /404.html after a redirect, the 404 template, 页面不存在, 5.x script
        "redirected_home": 1,
        "member_only": 1,
        "not_html": 2,  # PDF, PNG
        "empty_page": 2,  # empty 200, 204
    }
    assert run.prefixed("metinfo/not_article/") == expected
    assert run.summary is not None
    assert run.summary["not_articles"] == expected


def test_firewall_pages_below_the_limit_are_counted_per_status_and_not_retried(
    mixed: tuple[Crawl, FaultServer],
) -> None:
    run, server = mixed
    assert run.stat("metinfo/blocked") == 4
    assert run.prefixed("metinfo/blocked/status/") == {"200": 1, "403": 1, "405": 1, "503": 1}
    assert run.stat("metinfo/blocked/paused", None) is None
    # A challenge page answered with 503 is not a server error worth retrying.
    assert [server.count(article_path(i)) for i in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert run.summary is not None and run.summary["blocked"] == 4


def test_login_redirect_is_never_followed(mixed: tuple[Crawl, FaultServer]) -> None:
    run, server = mixed
    assert [t for t in server.targets() if "member/" in t] == []
    assert run.stat("metinfo/forbidden/system_path") == 1


def test_every_url_of_the_mixed_crawl_is_requested_once(mixed: tuple[Crawl, FaultServer]) -> None:
    _, server = mixed
    expected = ["/robots.txt", "/404.html", "/"] + [article_path(i) for i in MIXED_IDS]
    assert sorted(server.targets()) == sorted(expected)


# --- firewall pages are never marked as seen -------------------------------------------------


def test_an_article_blocked_in_one_run_is_fetched_and_exported_in_the_next(tmp_path: Path) -> None:
    """With a state store, a firewall page answered for an article must not make the next
    (incremental) run think the article is known."""
    state = tmp_path / "state"
    home = pages.home(
        '<ul class="met-news-list"><li><a href="news/shownews.php?id=41">春茶开园</a></li></ul>'
    )
    settings = (f"METINFO_STATE={state}",)
    with FaultServer() as server:
        server.route("/", html(home))
        server.route(article_path(41), html(pages.FIREWALL_PAGES[200]))
        first = crawl(server.origin + "/", tmp_path / "run1.jsonl", *settings)
        server.route(article_path(41), html(pages.simple_article(41)))
        second = crawl(server.origin + "/", tmp_path / "run2.jsonl", *settings)
        assert server.count(article_path(41)) == 2
    assert first.items == []
    assert first.stat("metinfo/blocked") == 1
    assert first.returncode == 6, first.tail()  # every article request failed or was blocked
    assert second.returncode == 0, second.tail()
    assert [pages.fields(item) for item in second.items] == [
        pages.simple_expected(server.origin, 41)
    ]


def test_an_article_start_url_of_a_missing_id_says_so(tmp_path: Path) -> None:
    """MetInfo 7 answers a missing id with an empty page and status 200: the run, given only
    that article's URL, ends with 0 and a warning that names the URL and why it gave no
    article (it said to start from an article URL, as the user had; a fresh-user trial)."""
    with FaultServer() as server:
        server.route(article_path(99999), html(""))
        url = server.origin + article_path(99999)
        run = crawl(url, tmp_path / "out.jsonl")
    assert run.returncode == 0, run.tail()
    assert f"the article URL(s) {url} gave no article (empty_page 1)" in run.log
    assert "found no MetInfo news column" not in run.log


def test_a_dateless_article_held_for_its_list_day_is_fetched_once(tmp_path: Path) -> None:
    """An article page that shows no date, reached from a home block before its list (the
    list answers a second later): held until the list shows its day, then read again
    from the page kept in memory, not fetched a second time (a whole-site trial's
    sitemap-first article was)."""
    undated = pages.article(41, "春茶开园仪式举行", "<p>春茶开园仪式在茶园举行。</p>", info="")
    home = pages.home(
        '<ul class="met-news-list"><li><a href="news/shownews.php?id=41">春茶开园</a></li></ul>'
        '<p><a href="news/">协会动态</a></p>'
    )
    listed = pages.news_list(["shownews.php?id=41"]).replace("2024-03-02", "2024-04-09")
    with FaultServer() as server:
        server.route("/", html(home))
        server.route("/news/", html(listed, delay=1.0))
        server.route(article_path(41), html(undated))
        run = crawl(server.origin + "/", tmp_path / "out.jsonl")
        asked = server.count(article_path(41))
    assert run.returncode == 0, run.tail()
    assert run.stat("metinfo/articles/held_for_list_date") == 1
    assert run.stat("metinfo/articles/reread_held") == 1
    assert asked == 1
    (item,) = run.items
    assert (item["title"], item["published_at"]) == ("春茶开园仪式举行", "2024-04-09")


def test_a_column_start_exports_no_other_columns_entries_its_list_shows(tmp_path: Path) -> None:
    """From a column URL: a list page that shows another column's articles among its entries
    (a 全站最新 block or another column's pinned 置顶 entries styled as entries) exports only
    the articles whose breadcrumb names the start column (a whole-site trial's column-start
    runs had exported them when listed entries skipped the breadcrumb check)."""
    listed = pages.news_list(["41.html", "51.html"])
    other = pages.simple_article(51).replace(
        f'title="{pages.COLUMN}">{pages.COLUMN}</a></li>\n</ol>',
        'title="通知公告">通知公告</a></li>\n</ol>',
    )
    assert "通知公告" in other
    with FaultServer() as server:
        server.route("/news/list-4.html", html(listed))
        server.route("/news/41.html", html(pages.simple_article(41)))
        server.route("/news/51.html", html(other))
        run = crawl(server.origin + "/news/list-4.html", tmp_path / "out.jsonl")
    assert run.returncode == 0, run.tail()
    assert [int(item["article_id"]) for item in run.items] == [41]
    assert run.stat("metinfo/not_article/out_of_scope") == 1


def test_a_column_start_names_the_languages_its_switcher_links(tmp_path: Path) -> None:
    """A Chinese column's URL with ``-a lang=en`` exports nothing; the warning names the
    languages the page's switcher links (cn and en), not only the page's own (a whole-site
    trial's user read "the site has: cn" of a bilingual site)."""
    switcher = '<div class="met-langlist"><a href="../index.php?lang=en">English</a></div>'
    listed = pages.news_list(["41.html"], extra=switcher)
    with FaultServer() as server:
        server.route("/news/list-4.html", html(listed))
        server.route("/news/41.html", html(pages.simple_article(41)))
        run = crawl(server.origin + "/news/list-4.html", tmp_path / "o.jsonl", args=["lang=en"])
    assert run.returncode == 0, run.tail()
    assert run.items == []
    assert "no article in the language(s) en; the site has: cn, en" in run.log
