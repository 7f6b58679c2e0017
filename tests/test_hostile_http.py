"""Quirky web servers (found by a whole-site adversarial crawl): an article page sent as
``application/octet-stream``, an old URL that sends the reader on by a ``Refresh`` header,
and an old-URL map that knows an article only by the form the site linked (with
``lang=cn``), where ours drops the default language's ``lang`` (guide §1.3)."""

from __future__ import annotations

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Reply, html
from tests.hostile.harness import Crawl, crawl

ART = "/news/shownews.php?id={}"


def home() -> str:
    links = (
        '<a href="news/shownews.php?id=1&lang=cn">一</a>'  # only with lang=cn (the lang-less 404s)
        '<a href="notice/shownews.php?id=2">二</a>'  # a Refresh header to news/shownews.php?id=2
        '<a href="news/shownews.php?id=3">三</a>'  # HTML sent as application/octet-stream
    )
    return pages.home(f'<div class="index-news">{links}</div>')


@pytest.fixture(scope="module")
def quirky(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        server.route("/", html(home()))
        server.route("/news/shownews.php?id=1&lang=cn", html(pages.simple_article(1)))
        server.route(
            "/notice/shownews.php?id=2",
            Reply(
                200,
                (
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Refresh", "0; url=/news/shownews.php?id=2"),
                ),
                "<html><head><title>页面跳转中…</title></head><body>页面已迁移，正在跳转……</body></html>".encode(),
            ),
        )
        server.route(ART.format(2), html(pages.simple_article(2)))
        octet = html(pages.simple_article(3))
        server.route(
            ART.format(3),
            Reply(200, (("Content-Type", "application/octet-stream"),), octet.body),
        )
        out = tmp_path_factory.mktemp("quirky") / "items.jsonl"
        run = crawl(server.origin + "/", out)
        return run, server


def test_every_article_of_a_quirky_server_is_exported_right(
    quirky: tuple[Crawl, FaultServer],
) -> None:
    run, _ = quirky
    assert run.returncode == 0, run.tail()
    items = {item["article_id"]: item for item in run.items}
    assert sorted(items) == ["1", "2", "3"], run.tail()
    titles = {i: item["title"] for i, item in items.items()}
    assert titles == {str(i): f"协会第{i}期茶农培训班结业" for i in (1, 2, 3)}


def test_the_lang_less_form_is_tried_first_then_the_linked_one(
    quirky: tuple[Crawl, FaultServer],
) -> None:
    _, server = quirky
    asked = [t for t in server.targets() if "id=1" in t]
    assert asked == ["/news/shownews.php?id=1", "/news/shownews.php?id=1&lang=cn"]


def test_a_lang_less_form_that_gives_way_to_the_linked_one_is_no_failure(
    quirky: tuple[Crawl, FaultServer],
) -> None:
    """The 404 of the lang-less form is no lost request: its article came by the other form
    (a whole-site trial listed 14 exported articles as failed requests)."""
    run, _ = quirky
    assert run.summary is not None
    assert run.summary["errors"]["failed_requests"] == 0
    assert run.stat("metinfo/articles/alias_retried") == 1
