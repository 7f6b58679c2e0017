"""URLs that are not what they seem (issue 7): ``<base href>`` late in the head and inside a
comment, ``&amp;`` in hrefs, fragments, session ids, tracking parameters, dot segments, host
case, default ports, and the ``http``/``https`` and ``www.``/``m.`` forms of one site.

The crawls read the fault server's request log: each article is requested once, by the URL
a correct crawler builds, and exported under it.  Host-name forms are served through the
fault server acting as the crawl's forward proxy (``http_proxy``/``https_proxy``, with a TLS
tunnel for https), so ``www.yunling.test`` needs no DNS.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from crawler.site import canonical_url, site_key
from pipelines.dedupe import DedupePipeline
from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, html, make_tls, redirect
from tests.hostile.harness import Crawl, crawl
from tests.support import assert_items_valid

# --- canonical URLs and site keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # host case, default port, dot segments, &amp;, fragment; the path keeps its case
        (
            "HTTP://WWW.Yunling.TEST:80/News/./old/../shownews.php?lang=cn&amp;id=3#top",
            "http://www.yunling.test/News/shownews.php?id=3&lang=cn",
        ),
        ("https://www.yunling.test:443/news/", "https://www.yunling.test/news/"),
        # a port that is not the scheme's default stays
        ("https://yunling.test:80/news/", "https://yunling.test:80/news/"),
        ("http://yunling.test:8080/news/", "http://yunling.test:8080/news/"),
        # dot segments never climb above the root
        ("http://yunling.test/../../news/./list/../", "http://yunling.test/news/"),
        # session ids
        (
            "http://yunling.test/news/shownews.php?id=4&PHPSESSID=9f2c4e1ab37d",
            "http://yunling.test/news/shownews.php?id=4",
        ),
        (
            "http://yunling.test/news/shownews.php?jsessionid=A1B2&id=4&sid=77",
            "http://yunling.test/news/shownews.php?id=4",
        ),
        # tracking parameters
        (
            "http://yunling.test/news/shownews.php?id=5&utm_source=wx&utm_medium=share"
            "&utm_campaign=spring&spm=a2c4g.11186623&from=timeline&fbclid=IwAR0x&gclid=Cj0K",
            "http://yunling.test/news/shownews.php?id=5",
        ),
        # WeChat and QQ share links (a whole-site trial of messy URLs)
        (
            "http://yunling.test/news/12.html?ADTAG=wx.share&scene=1&share_from=qq&wxfrom=5"
            "&wx_lazy=1&nsukey=abc",
            "http://yunling.test/news/12.html",
        ),
        # &amp; left in a query (a double-escaped href) is a separator
        (
            "http://yunling.test/news/shownews.php?id=6&amp;lang=en",
            "http://yunling.test/news/shownews.php?id=6&lang=en",
        ),
        # page 1 is the column URL
        (
            "http://yunling.test/news/index.php?page=1&class1=2",
            "http://yunling.test/news/index.php?class1=2",
        ),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical


@pytest.mark.parametrize(
    ("root", "key"),
    [
        ("http://www.yunling.test/", "yunling.test/"),
        ("https://www.yunling.test/", "yunling.test/"),
        ("http://m.yunling.test/", "yunling.test/"),
        ("https://m.yunling.test:443/", "yunling.test/"),
        ("http://WWW.YUNLING.TEST:80/", "yunling.test/"),
        ("http://wap.yunling.test/", "yunling.test/"),
        ("http://yunling.test/", "yunling.test/"),
        ("http://www.yunling.test/cms/", "yunling.test/cms/"),
        # another port or another sub-domain is another site
        ("http://www.yunling.test:8080/", "yunling.test:8080/"),
        ("http://news.yunling.test/", "news.yunling.test/"),
    ],
)
def test_site_key_joins_the_forms_of_one_site(root: str, key: str) -> None:
    assert site_key(root) == key


def test_dedupe_treats_http_https_www_and_m_forms_as_one_site() -> None:
    pipeline = DedupePipeline()
    first = {
        "site": "http://www.yunling.test/",
        "url": "http://www.yunling.test/a",
        "article_id": "7",
    }
    pipeline.process_item(first)
    for site in ("https://www.yunling.test/", "http://m.yunling.test/", "https://yunling.test/"):
        with pytest.raises(DropItem, match=r"^duplicate_id"):
            pipeline.process_item({"site": site, "url": site + "a", "article_id": "7"})
    # The same id on another site is another article.
    other = {
        "site": "http://news.yunling.test/",
        "url": "http://news.yunling.test/a",
        "article_id": "7",
    }
    assert pipeline.process_item(other) is other


# --- one crawl of a site whose links use every spelling --------------------------------------

ART = "/news/shownews.php?id={}"


def home_page(origin: str) -> str:
    """The home page at ``http://localhost:PORT/``: a commented-out ``<base>`` in its head,
    and links to one article per kind of spelling."""
    upper = origin.replace("localhost", "LOCALHOST")
    links = [
        ("news/", "协会动态"),
        ("news/shownews.php?lang=cn&amp;id=31", "&amp; in an href"),
        ("news/shownews.php?id=32&amp;amp;lang=cn", "&amp; left in the query"),
        ("news/shownews.php?id=33#comments", "a fragment"),
        ("news/shownews.php?id=33#top", "the same article, another fragment"),
        ("news/shownews.php?id=34&PHPSESSID=9f2c4e1ab37d", "a session id"),
        ("news/shownews.php?id=35&utm_source=weixin&utm_medium=share&spm=a2c4g.1", "tracking"),
        (f"{origin}/news/./archive/../shownews.php?id=36", "dot segments"),
        (f"{upper}/news/shownews.php?id=37", "host in capitals"),
    ]
    body = "\n".join(f'<p><a href="{href}">{text}</a></p>' for href, text in links)
    return pages.home(
        f'<div class="index-news">{body}</div>',
        head_extra='<!-- <base href="http://elsewhere.test/notice/"> -->\n',
    )


def late_base_list(origin: str) -> str:
    """The news list page: a ``<base href>`` to /notice/ as the last element of its head,
    after metas and stylesheets; its article link is relative to that base."""
    filler = "".join(f'<meta name="x-filler-{n}" content="{n}">\n' for n in range(40))
    return pages.news_list(
        ["shownews.php?id=39"], base=filler + f'<base href="{origin}/notice/">\n', prefix="../"
    )


IDS = (31, 32, 33, 34, 35, 36, 37)


@pytest.fixture(scope="module")
def spelled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer, str]:
    with FaultServer() as server:
        origin = f"http://localhost:{server.port}"
        server.route("/", html(home_page(origin)))
        server.route("/news/", html(late_base_list(origin)))
        for article_id in IDS:
            server.route(ART.format(article_id), html(pages.simple_article(article_id)))
        server.route("/notice/shownews.php?id=39", html(pages.simple_article(39)))
        out = tmp_path_factory.mktemp("spelled") / "items.jsonl"
        run = crawl(origin + "/", out)
        return run, server, origin


def test_each_article_is_requested_once_by_its_canonical_url(
    spelled: tuple[Crawl, FaultServer, str],
) -> None:
    """The articles the home page links (the list page's article is the base test's)."""
    run, server, _ = spelled
    assert run.returncode == 0, run.tail()
    articles = sorted(t for t in server.targets() if "shownews" in t and "id=39" not in t)
    assert articles == sorted(ART.format(i) for i in IDS)


def test_every_request_goes_to_the_lower_case_host(spelled: tuple[Crawl, FaultServer, str]) -> None:
    _, server, origin = spelled
    assert {hit.host for hit in server.hits} == {origin.removeprefix("http://")}


def test_articles_are_exported_under_their_canonical_urls(
    spelled: tuple[Crawl, FaultServer, str],
) -> None:
    run, _, origin = spelled
    assert_items_valid(run.items)
    got = sorted(
        (pages.fields(i) for i in run.items if i["article_id"] != "39"),
        key=lambda i: int(i["article_id"]),
    )
    assert got == [pages.simple_expected(origin, i) for i in IDS]


def test_a_base_href_late_in_the_head_is_obeyed(spelled: tuple[Crawl, FaultServer, str]) -> None:
    run, server, origin = spelled
    assert server.count("/notice/shownews.php?id=39") == 1
    assert server.count("/news/shownews.php?id=39") == 0
    exported = [pages.fields(i) for i in run.items if i["article_id"] == "39"]
    assert exported == [pages.simple_expected(origin, 39, "/notice/shownews.php?id=39")]


def test_a_base_href_inside_a_comment_is_ignored(spelled: tuple[Crawl, FaultServer, str]) -> None:
    _, server, _ = spelled
    assert [t for t in server.targets() if t.startswith("/notice/news/")] == []
    assert all(hit.host.startswith("localhost:") for hit in server.hits)


# --- www./m./http(s) forms through a proxy ----------------------------------------------------

WWW = "http://www.yunling.test"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory):
    return make_tls(tmp_path_factory.mktemp("tls"))


def proxy_env(server: FaultServer) -> dict[str, str]:
    return {"http_proxy": server.origin, "https_proxy": server.origin}


def serve_forms(server: FaultServer) -> None:
    links = [
        "http://m.yunling.test/news/shownews.php?id=40",
        "http://www.yunling.test/news/shownews.php?id=40",
        "https://www.yunling.test/news/shownews.php?id=41",
        "http://yunling.test/news/shownews.php?id=42",
        "http://other.test/news/shownews.php?id=43",
    ]
    body = "\n".join(f'<p><a href="{href}">资讯</a></p>' for href in links)
    server.route(WWW + "/", html(pages.home(f'<div class="index-news">{body}</div>')))
    for article_id in (40, 41, 42, 43, 44):
        server.route(ART.format(article_id), html(pages.simple_article(article_id)))


def article_hits(server: FaultServer) -> list[str]:
    return sorted(h.url for h in server.hits if h.method == "GET" and "shownews" in h.target)


def test_the_site_s_own_links_to_its_other_forms_are_followed_once_per_article(
    tmp_path: Path, tls
) -> None:
    with FaultServer(tls=tls.context) as server:
        serve_forms(server)
        run = crawl(WWW + "/", tmp_path / "items.jsonl", env=proxy_env(server))
        hits = article_hits(server)
        hosts = {(h.scheme, h.host) for h in server.hits if h.method == "GET"}
    assert run.returncode == 0, run.tail()
    # Article 40 is linked in two forms: one request.  other.test is another site.
    assert hits == [
        "http://m.yunling.test/news/shownews.php?id=40",
        "http://yunling.test/news/shownews.php?id=42",
        "https://www.yunling.test/news/shownews.php?id=41",
    ]
    assert ("http", "other.test") not in hosts
    assert sorted(i["article_id"] for i in run.items) == ["40", "41", "42"]
    assert run.summary is not None and run.summary["dropped"] == {}


def test_one_article_started_in_three_forms_is_exported_once(tmp_path: Path, tls) -> None:
    starts = [
        "http://www.yunling.test/news/shownews.php?id=44",
        "https://m.yunling.test/news/shownews.php?id=44",
        "http://yunling.test/news/shownews.php?id=44",
    ]
    with FaultServer(tls=tls.context) as server:
        serve_forms(server)
        run = crawl(starts, tmp_path / "items.jsonl", env=proxy_env(server))
        assert article_hits(server) == sorted(starts)
    assert run.returncode == 0, run.tail()
    # Which form is kept depends on which answer came first; one is.
    assert [(i["article_id"], i["url"] in starts) for i in run.items] == [("44", True)]
    assert run.prefixed("metinfo/dropped/") == {"duplicate_id": 2}


def test_a_bare_host_that_redirects_to_www_is_crawled_as_one_site(tmp_path: Path) -> None:
    """The crawl starts at http://yunling.test/, which redirects to www: the www pages and
    the articles they link are the same site's."""
    with FaultServer() as server:
        server.route("http://yunling.test/", redirect(WWW + "/", 301))
        server.route(
            WWW + "/", html(pages.home('<p><a href="news/shownews.php?id=45">春茶开园</a></p>'))
        )
        server.route(WWW + ART.format(45), html(pages.simple_article(45)))
        run = crawl("http://yunling.test/", tmp_path / "items.jsonl", env=proxy_env(server))
        hits = article_hits(server)
    assert run.returncode == 0, run.tail()
    assert hits == [WWW + ART.format(45)]
    assert [pages.fields(i) for i in run.items] == [pages.simple_expected(WWW, 45)]
