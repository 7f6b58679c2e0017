"""Normal states of a MetInfo site that a cron run meets every time (found by a whole-site
adversarial crawl of a chamber site): articles whose 外部链接 setting redirects them to
another host or to another article, a listed article that answers 404, a member-only
article printed in the article layout.  None of them is a failure of the run, none costs a
request to another host, and the run's summary lists only the page that is really missing."""

from __future__ import annotations

import pytest

from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, Reply, html
from tests.hostile.harness import Crawl, crawl

ART = "/news/shownews.php?id={}"
# A host of the reserved .invalid domain (RFC 6761): no request may ever reach it.
OFFSITE = "http://www.zhengfu.invalid/zhengce/202402/content_1.htm"


def home() -> str:
    links = "".join(
        f'<a href="news/shownews.php?id={i}">{i}</a>'
        for i in (
            25,  # an ordinary article
            40,  # 302 to another host (MetInfo's 外部链接)
            44,  # 302 to article 25 (an article moved to a new id)
            54,  # listed, answers 404 (linked without lang: asked once)
            52,  # member-only, in the article layout
        )
    )
    return pages.home(f'<div class="index-news">{links}</div>')


def member_page() -> str:
    body = (
        "<p>该信息仅对本会会员开放，请先登录！</p>"
        '<p><a href="../member/login.php?gourl=news/shownews.php?id=52">会员登录</a></p>'
    )
    return pages.article(52, "会员专享：第10期茶叶市场简报", body)


def redirect(location: str) -> Reply:
    return Reply(302, (("Location", location), ("Content-Type", "text/html")), b"")


@pytest.fixture(scope="module")
def redirects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        server.route("/", html(home()))
        server.route(ART.format(25), html(pages.simple_article(25)))
        server.route(ART.format(40), redirect(OFFSITE))
        server.route(ART.format(44), redirect(ART.format(25)))
        server.route(ART.format(52), html(member_page()))
        out = tmp_path_factory.mktemp("redirects") / "items.jsonl"
        run = crawl(server.origin + "/", out)
        return run, server


def test_only_the_real_article_is_exported_and_the_run_is_whole(
    redirects: tuple[Crawl, FaultServer],
) -> None:
    run, server = redirects
    assert run.returncode == 0, run.tail()
    assert [item["article_id"] for item in run.items] == ["25"]
    assert run.summary is not None
    # the listed article that answers 404 is the one page missing; nothing else is a failure
    assert run.summary["errors"]["failed_urls"] == [server.origin + ART.format(54)]
    assert run.summary["not_articles"] == {"member_only": 1}


def test_a_redirect_to_another_host_is_never_followed(
    redirects: tuple[Crawl, FaultServer],
) -> None:
    run, _ = redirects
    assert run.stat("metinfo/redirect/offsite") == 1
    assert "zhengfu.invalid" not in "".join(
        line for line in run.log.splitlines() if "Crawled" in line or "request failed" in line
    )
    assert not run.stat("robotstxt/request_count") > 1  # only the site's own robots.txt


def test_a_redirect_to_an_article_already_asked_for_is_no_lost_answer(
    redirects: tuple[Crawl, FaultServer],
) -> None:
    run, server = redirects
    assert "lost in redirects" not in run.log
    assert server.targets().count(ART.format(25)) == 1


def test_a_listed_404_linked_without_lang_is_asked_once(
    redirects: tuple[Crawl, FaultServer],
) -> None:
    _, server = redirects
    assert [t for t in server.targets() if "id=54" in t] == [ART.format(54)]


# --- 外部链接 articles of a site whose lists were read --------------------------------------------
# A MetInfo page of another host (another install's article): still a 外部链接 when the site's
# own list pages answered here (a whole-site trial followed two such links, six robots.txt
# requests to a host that did not answer, and a repeat run exited 6 for its one new entry).
OTHER_METINFO = "http://www.fenhui.invalid/news/shownews.php?id=118"


def test_an_article_sent_to_another_install_is_not_followed_once_lists_were_read(
    tmp_path,
) -> None:
    listed = [25]
    with FaultServer() as server:
        server.route("/", html(pages.home('<p><a href="news/">协会资讯</a></p>')))
        server.route(
            "/news/",
            lambda hit: html(pages.news_list([f"shownews.php?id={i}" for i in listed])),
        )
        server.route(ART.format(25), html(pages.simple_article(25)))
        server.route(ART.format(41), redirect(OTHER_METINFO))
        state = f"METINFO_STATE={tmp_path / 'state'}"
        first = crawl(server.origin + "/", tmp_path / "1.jsonl", state)
        listed.insert(0, 41)  # the next day's only new entry is the 外部链接 article
        second = crawl(server.origin + "/", tmp_path / "2.jsonl", state)
    assert first.returncode == 0, first.tail()
    assert [item["article_id"] for item in first.items] == ["25"]
    assert second.summary is not None and second.summary["kind"] == "incremental"
    assert second.returncode == 0, second.tail()
    assert second.items == []
    assert second.stat("metinfo/redirect/offsite") == 1
    assert not second.stat("robotstxt/request_count") > 1  # only the site's own robots.txt
