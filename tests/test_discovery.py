"""End to end: discovery on small hand-written MetInfo sites (tests/sites/, issue 3).

Each site is a manifest folder served by the replay server on a free 127.0.0.1 port and
crawled from its home page by ``scrapy crawl metinfo`` in a subprocess.  The feed is compared
with the site's ``truth.jsonl`` (typed from its pages) and the server's request log is read:
no hit counter, member or search URL, no article id fetched twice, the list pages expected.
What each site is and which trap it holds is told in ``tests/sites/README.md``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import compare, load_jsonl
from crawler.replay import Archive, LoggedRequest, RecordedResponse, ReplayServer
from crawler.sample import crawl_command
from crawler.site import parse_article_url, parse_list_url
from tests.support import CrawlRun, assert_items_valid, report_text, run_crawl

SITES = Path(__file__).parent / "sites"
CRAWL_TIMEOUT = 120  # seconds for one crawl; each takes a few
HTML = [("Content-Type", "text/html; charset=utf-8")]
# Paths the crawler must never request: hit counters change state (guide §2.1); member and
# search pages are not content (guide §5).
NEVER_REQUESTED = ("hits/", "hits.php", "member/", "search/")
# Sitemaps that may be missing: the crawler guesses them and gets a 404 (guide §1.5).
GUESSED_SITEMAPS = frozenset({"/sitemap.xml", "/sitemap.txt"})


# --- serving and crawling --------------------------------------------------------------------


def fill(data: bytes, values: Mapping[str, object]) -> bytes:
    """``data`` with every placeholder of ``values`` replaced by its value."""
    for key, value in values.items():
        data = data.replace(key.encode("ascii"), str(value).encode("ascii"))
    return data


def substituted(archive: Archive, values: Mapping[str, object], *, templated: bool) -> Archive:
    """A copy of ``archive`` with placeholders filled in bodies and header values.

    ``templated`` keeps ``{{ORIGIN}}`` for the replay server to fill (when it is not among
    ``values``)."""
    items = []
    for target in archive:
        response = archive[target]
        headers = [(k, fill(v.encode(), values).decode()) for k, v in response.headers]
        items.append(
            (target, RecordedResponse(response.status, headers, fill(response.body, values)))
        )
    return Archive(items, name=archive.name, templated=templated)


@dataclass
class Served:
    """One replay server of a crawl: the origin the crawler used for it and its request log."""

    origin: str
    requests: list[LoggedRequest] = field(default_factory=list)

    def paths(self, status: int | None = None) -> list[str]:
        return [r.path for r in self.requests if status is None or r.status == status]

    def article_ids(self) -> list[str]:
        """The article id of every request for an article URL, in arrival order."""
        refs = (parse_article_url(self.origin + p, self.origin + "/") for p in self.paths())
        return [ref.id for ref in refs if ref is not None]

    def list_pages(self) -> list[str]:
        """Every requested path that is a news list page (guide §1.2, §1.6)."""
        return [p for p in self.paths() if parse_list_url(self.origin + p, self.origin + "/")]


@dataclass
class Crawl:
    run: CrawlRun
    servers: dict[str, Served]

    def items_of(self, origin: str) -> list[dict[str, Any]]:
        return [item for item in self.run.items if item["url"].startswith(origin + "/")]


def run_spider(start: str, output: Path, args: Iterable[str] = ()) -> CrawlRun:
    """``scrapy crawl metinfo -a url=START [-a ARG ...]`` in a subprocess, feed read strictly."""
    cmd = crawl_command(start, output)
    for arg in args:
        cmd += ["-a", arg]
    run = run_crawl(cmd, output, timeout=CRAWL_TIMEOUT)
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    return run


def crawl_site(archive: Archive, output: Path, *args: str) -> Crawl:
    """Serve one site and crawl it from its home page."""
    with ReplayServer(archive) as server:
        run = run_spider(server.origin + "/", output, args)
        requests = server.requests
    return Crawl(run, {"site": Served(server.origin, requests)})


def load_site(name: str) -> Archive:
    return Archive.load(SITES / name)


def truth(name: str, origin: str) -> list[dict[str, Any]]:
    return load_jsonl(SITES / name / "truth.jsonl", origin)


# --- shared assertions -----------------------------------------------------------------------


def assert_equals_truth(truth_records: list[dict[str, Any]], items: list[dict[str, Any]]) -> None:
    assert_items_valid(items)
    report = compare(truth_records, items)
    assert report.ok, report_text(report)


def assert_polite(served: Served) -> None:
    """No forbidden URL, no article id twice, no 404 but a guessed sitemap."""
    assert served.requests, "the replay server saw no request"
    bad = [p for p in served.paths() if any(word in p for word in NEVER_REQUESTED)]
    assert bad == [], f"requested URLs that must never be requested: {bad}"
    twice = {i: n for i, n in Counter(served.article_ids()).items() if n > 1}
    assert twice == {}, f"article ids fetched more than once: {twice}\n{served.paths()}"
    missing = set(served.paths(404)) - GUESSED_SITEMAPS
    assert not missing, f"requested URLs the site never linked: {sorted(missing)}"


# --- the sites themselves --------------------------------------------------------------------


def site_names() -> list[str]:
    return sorted(p.parent.name for p in SITES.glob("*/manifest.json"))


@pytest.mark.parametrize("name", site_names())
def test_every_truth_url_is_served_by_its_site(name: str) -> None:
    """The truth names only URLs the manifest serves with 200 (the fixtures agree)."""
    archive = load_site(name)
    origin = "http://site.invalid"
    records = truth(name, origin)
    assert records
    for record in records:
        for url in {record["url"], *record["urls"]}:
            response = archive.lookup(url[len(origin) :])
            assert response is not None and response.status == 200, url


def linked_from_pages(name: str, needle: str) -> list[str]:
    """The files of a site (pages and sitemaps) whose bytes contain ``needle``."""
    return sorted(
        p.name for p in (SITES / name / "pages").iterdir() if needle.encode() in p.read_bytes()
    )


# --- (a) 5.x dynamic site: lang=cn in every URL, #flip .metpager_1 pager ----------------------


@pytest.fixture(scope="module")
def met5_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("met5-dynamic"), tmp_path_factory.mktemp("met5") / "a.jsonl")


def test_met5_dynamic_site_exports_every_article_once(met5_crawl: Crawl) -> None:
    served = met5_crawl.servers["site"]
    assert_equals_truth(truth("met5-dynamic", served.origin), met5_crawl.run.items)
    assert {item["template_family"] for item in met5_crawl.run.items} == {"metinfo5"}


def test_met5_pager_pages_are_each_requested_once(met5_crawl: Crawl) -> None:
    # Articles 34 and 31 are linked only from pages 2 and 3, which only the unquoted pager
    # links and the <select> name; page=1 is the column URL itself (guide §1.2).
    assert linked_from_pages("met5-dynamic", "lang=cn&amp;id=31") == [
        "news-list-3.html",
        "shownews-34.html",
    ]
    served = met5_crawl.servers["site"]
    assert sorted(served.list_pages()) == [
        "/news/news.php?class1=2&lang=cn",
        "/news/news.php?class1=2&lang=cn&page=2",
        "/news/news.php?class1=2&lang=cn&page=3",
    ]
    assert_polite(served)


# --- (b) static mode: F/news12.html, F/news_1_2.html, F/YYYYMMDDN.html ------------------------


@pytest.fixture(scope="module")
def static_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("static-mode"), tmp_path_factory.mktemp("static") / "b.jsonl")


def test_static_site_exports_every_article_once(static_crawl: Crawl) -> None:
    served = static_crawl.servers["site"]
    assert_equals_truth(truth("static-mode", served.origin), static_crawl.run.items)
    assert sorted(served.list_pages()) == ["/news/", "/news/news_1_2.html"]
    assert_polite(served)


def test_static_date_name_dates_an_article_whose_page_shows_none(static_crawl: Crawl) -> None:
    origin = static_crawl.servers["site"].origin
    (item,) = [i for i in static_crawl.run.items if i["url"] == f"{origin}/news/2023051818.html"]
    assert item["article_id"] == "18"
    assert item["published_at"] == "2023-05-18"  # date-only: the URL carries no time
    assert item["published_at_raw"] is None  # the page shows no date text


# --- (c) no sitemap.xml, robots.txt without Sitemap:, a sitemap.txt ---------------------------


@pytest.fixture(scope="module")
def txt_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("sitemap-txt"), tmp_path_factory.mktemp("txt") / "c.jsonl")


def test_sitemap_txt_is_read_when_sitemap_xml_is_missing(txt_crawl: Crawl) -> None:
    assert linked_from_pages("sitemap-txt", "shownews.php?id=7") == ["sitemap.txt"]
    served = txt_crawl.servers["site"]
    assert_equals_truth(truth("sitemap-txt", served.origin), txt_crawl.run.items)
    assert served.paths(404) == ["/sitemap.xml"]
    assert served.paths().count("/sitemap.txt") == 1
    assert_polite(served)


# --- (d) sitemap.xml covers cn only; sitemap_en.xml has the rest ------------------------------


@pytest.fixture(scope="module")
def lang_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("lang-sitemaps"), tmp_path_factory.mktemp("lang") / "d.jsonl")


def test_language_sitemap_gives_an_article_no_page_links(lang_crawl: Crawl) -> None:
    assert linked_from_pages("lang-sitemaps", "id=12&amp;lang=en") == ["sitemap_en.xml"]
    served = lang_crawl.servers["site"]
    assert_equals_truth(truth("lang-sitemaps", served.origin), lang_crawl.run.items)
    assert served.paths().count("/sitemap_en.xml") == 1
    assert_polite(served)


# --- (g) -a lang=en on (d); (h) -a lang=zh-CN equals -a lang=cn -------------------------------


def test_lang_en_exports_only_english(tmp_path: Path) -> None:
    crawl = crawl_site(load_site("lang-sitemaps"), tmp_path / "g.jsonl", "lang=en")
    served = crawl.servers["site"]
    english = [r for r in truth("lang-sitemaps", served.origin) if r["lang"] == "en"]
    assert sorted(r["id"] for r in english) == [11, 12]
    assert_equals_truth(english, crawl.run.items)
    assert_polite(served)


def test_lang_the_site_lacks_is_named_beside_those_exported(tmp_path: Path) -> None:
    # `-a lang=en,xx`: English is exported as with lang=en, and the log says that no page of
    # xx was found (a typo or a language the site lacks), naming what the site has.
    crawl = crawl_site(load_site("lang-sitemaps"), tmp_path / "x.jsonl", "lang=en,xx")
    english = [r for r in truth("lang-sitemaps", crawl.servers["site"].origin) if r["lang"] == "en"]
    assert_equals_truth(english, crawl.run.items)
    assert "no page in the language(s) xx; the site has: cn, en" in crawl.run.stderr
    assert "no page in the language(s) en" not in crawl.run.stderr


@pytest.fixture(scope="module")
def lang_cn_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    folder = tmp_path_factory.mktemp("langcn")
    return {
        tag: crawl_site(load_site("lang-sitemaps"), folder / f"{tag}.jsonl", f"lang={tag}")
        for tag in ("cn", "zh-CN")
    }


@pytest.mark.parametrize("tag", ["cn", "zh-CN"])
def test_lang_cn_and_zh_cn_export_only_chinese(lang_cn_crawls: dict[str, Crawl], tag: str) -> None:
    crawl = lang_cn_crawls[tag]
    served = crawl.servers["site"]
    chinese = [r for r in truth("lang-sitemaps", served.origin) if r["lang"] == "cn"]
    assert sorted(r["id"] for r in chinese) == [1, 2]
    assert_equals_truth(chinese, crawl.run.items)
    assert "no page in the language" not in crawl.run.stderr  # zh-CN is the site's cn
    assert_polite(served)


def test_lang_zh_cn_crawls_exactly_like_lang_cn(lang_cn_crawls: dict[str, Crawl]) -> None:
    def shape(crawl: Crawl) -> tuple[list[str], list[str]]:
        origin = crawl.servers["site"].origin
        urls = sorted(item["url"][len(origin) :] for item in crawl.run.items)
        return urls, sorted(crawl.servers["site"].paths())

    assert shape(lang_cn_crawls["zh-CN"]) == shape(lang_cn_crawls["cn"])


# --- (e) pager trap: pages past the last repeat it; "next" links forever ----------------------

# folder, class1, last real page.  news has no page count anywhere (no #metPageT, no 共N页);
# notice states 共2页 but its pager links page 3 all the same.
TRAP_COLUMNS = (("news", 1, 3), ("notice", 2, 2))
# Pages served past the last real one; a crawler that never stops ends on the 404 after them.
TRAP_PAGES = 40


def pager_trap_archive() -> Archive:
    """The pager-trap site with pages last+1 ... last+TRAP_PAGES of each column, rendered
    from the column's ``*-list-beyond.html`` (the last page's list with the pager of page P):
    MetInfo answers a page number past the last with the last page (guide §1.6)."""
    base = load_site("pager-trap")
    items = [(target, base[target]) for target in base]
    for folder, column, last in TRAP_COLUMNS:
        template = (SITES / "pager-trap" / "pages" / f"{folder}-list-beyond.html").read_bytes()
        for page in range(last + 1, last + 1 + TRAP_PAGES):
            body = fill(template, {"{{PAGE}}": page, "{{PREV}}": page - 1, "{{NEXT}}": page + 1})
            items.append((trap_page(folder, column, page), RecordedResponse(200, HTML, body)))
    return Archive(items, name=base.name, templated=True)


def trap_page(folder: str, column: int, page: int) -> str:
    """Path of page ``page`` (>= 2) of a pager-trap column (7.x dynamic, guide §1.2)."""
    return f"/{folder}/index.php?class1={column}&page={page}"


def list_block(html: bytes) -> bytes:
    start = html.index(b'<ul class="ulstyle')
    return html[start : html.index(b"</ul>", start)]


@pytest.mark.parametrize("folder, column, last", TRAP_COLUMNS)
def test_pager_trap_pages_past_the_last_repeat_its_list(
    folder: str, column: int, last: int
) -> None:
    archive = pager_trap_archive().with_origin("http://site.invalid")
    last_page = archive.lookup(trap_page(folder, column, last))
    assert last_page is not None
    for page in (last + 1, last + 2, last + TRAP_PAGES):
        beyond = archive.lookup(trap_page(folder, column, page))
        assert beyond is not None
        assert list_block(beyond.body) == list_block(last_page.body)
        assert f"page={page + 1}' class='NextA'".encode() in beyond.body


@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(pager_trap_archive(), tmp_path_factory.mktemp("trap") / "e.jsonl")


def test_pager_trap_crawl_ends_and_exports_each_article_once(trap_crawl: Crawl) -> None:
    served = trap_crawl.servers["site"]
    assert_equals_truth(truth("pager-trap", served.origin), trap_crawl.run.items)
    assert_polite(served)


def test_pager_trap_requests_a_bounded_number_of_list_pages(trap_crawl: Crawl) -> None:
    # news: pages 1-3 bring articles, page 4 (a repeat of 3) brings none and ends it.
    # notice: 共2页 bounds it at page 2 although page 2 links page 3.
    assert sorted(trap_crawl.servers["site"].list_pages()) == [
        "/news/",
        "/news/index.php?class1=1&page=2",
        "/news/index.php?class1=1&page=3",
        "/news/index.php?class1=1&page=4",
        "/notice/",
        "/notice/index.php?class1=2&page=2",
    ]


# --- (f) a language bound to its own domain -----------------------------------------------------


@contextmanager
def language_domain_servers() -> Iterator[tuple[ReplayServer, ReplayServer, str]]:
    """The Chinese site at 127.0.0.1:P1 and the English site at localhost:P2 (a second
    server; the host name differs so that the crawler sees another domain).

    Yields ``(cn server, en server, en origin)``.  The English archive is filled in once both
    ports are known: its own absolute URLs name ``localhost``, and its switcher links back to
    the Chinese origin."""
    with ExitStack() as stack:
        en = stack.enter_context(ReplayServer(load_site("langdomain-en")))
        en_origin = f"http://localhost:{en.port}"
        cn_archive = substituted(
            load_site("langdomain-cn"), {"{{EN_ORIGIN}}": en_origin}, templated=True
        )
        cn = stack.enter_context(ReplayServer(cn_archive))
        # The handler reads ReplayServer.archive on every request; nothing was requested yet.
        en.archive = substituted(
            load_site("langdomain-en"),
            {"{{ORIGIN}}": en_origin, "{{CN_ORIGIN}}": cn.origin},
            templated=False,
        )
        yield cn, en, en_origin


def crawl_language_domains(output: Path, *args: str) -> Crawl:
    with language_domain_servers() as (cn, en, en_origin):
        run = run_spider(cn.origin + "/", output, args)
        servers = {
            "cn": Served(cn.origin, cn.requests),
            "en": Served(en_origin, en.requests),
        }
    return Crawl(run, servers)


@pytest.fixture(scope="module")
def domain_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_language_domains(tmp_path_factory.mktemp("domain") / "f.jsonl")


def test_language_domain_articles_are_exported_with_their_own_site(domain_crawl: Crawl) -> None:
    cn, en = domain_crawl.servers["cn"], domain_crawl.servers["en"]
    assert len(domain_crawl.items_of(cn.origin)) + len(domain_crawl.items_of(en.origin)) == len(
        domain_crawl.run.items
    )
    assert_equals_truth(truth("langdomain-cn", cn.origin), domain_crawl.items_of(cn.origin))
    english = domain_crawl.items_of(en.origin)
    assert_equals_truth(truth("langdomain-en", en.origin), english)
    assert {item["site"] for item in english} == {en.origin + "/"}
    assert {item["site"] for item in domain_crawl.items_of(cn.origin)} == {cn.origin + "/"}


def test_language_domain_crawl_is_polite_on_both_domains(domain_crawl: Crawl) -> None:
    for served in domain_crawl.servers.values():
        assert_polite(served)


def test_lang_en_on_a_language_domain_site_exports_its_english_domain(tmp_path: Path) -> None:
    # -a lang=en narrows a crawl to English whether the language is chosen by a parameter or
    # by its own domain (issue 3, "Multi-language sites").
    crawl = crawl_language_domains(tmp_path / "f-en.jsonl", "lang=en")
    en = crawl.servers["en"]
    assert_equals_truth(truth("langdomain-en", en.origin), crawl.run.items)


def test_site_readme_names_every_site() -> None:
    readme = (SITES / "README.md").read_text(encoding="utf-8")
    for name in site_names():
        assert f"`{name}`" in readme, name
    # Every manifest is valid JSON with the documented shape (Archive.load checks the rest).
    for name in site_names():
        data = json.loads((SITES / name / "manifest.json").read_text(encoding="utf-8"))
        assert data["name"] == name


# --- a sitemap of many articles: a bounded window of article requests ------------------------


@pytest.mark.parametrize("window", [7, 0])
def test_article_window_bounds_the_requests_in_flight(tmp_path: Path, window: int) -> None:
    """A sitemap of 400 articles: with a window of 7, at most 7 article requests are out at
    once and every article is still exported once; with no window (0) all of them are
    queued as soon as the sitemap is read."""
    site = Site(SiteSpec(seed=11, articles=400))
    output = tmp_path / "window.jsonl"
    with SiteServer(site, log=False) as server:
        settings = ("CONCURRENT_REQUESTS_PER_DOMAIN=4", f"METINFO_ARTICLE_WINDOW={window}")
        run = run_crawl(
            crawl_command(f"{server.origin}/", output, *settings), output, timeout=CRAWL_TIMEOUT
        )
    assert run.returncode == 0, run.log_tail()
    ids = Counter(item["article_id"] for item in run.items)
    assert set(ids) == {str(i) for i in site.live_ids()} and set(ids.values()) == {1}
    peak = re.search(r"'metinfo/articles/in_flight_max': (\d+)", run.stderr)
    assert peak is not None, run.stderr[-2000:]
    if window:
        assert 1 <= int(peak[1]) <= window
    else:
        assert int(peak[1]) >= 300


def test_a_column_start_without_breadcrumb_walks_an_unknown_pager() -> None:
    """A custom template's list page with a pager of unknown markup (div.fenye) and no
    breadcrumb, crawled from that column: every article and every other page of the
    column is requested.  Before, the pager went unrecognised and, with no breadcrumb to
    tell sub-columns from siblings, the other pages were never requested."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from spiders.metinfo import MetinfoSpider

    folder = Path(__file__).parent / "fixtures" / "generic" / "jinshui-list-5-p1"
    url = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["url"]
    page = (folder / "page.html").read_bytes()
    crumb = re.search(rb'\s*<div class="crumbs">.*?</div>', page)
    assert crumb is not None
    page = page.replace(crumb.group(), b"")
    spider = MetinfoSpider.from_crawler(get_crawler(MetinfoSpider, {"METINFO_STATE": ""}), url=url)
    (start,) = spider._start(url)
    requests = list(
        spider.parse_list(HtmlResponse(url=start.url, body=page, encoding="utf-8", request=start))
    )
    wanted = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    lists = [r.url for r in requests if r.callback == spider.parse_list]
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    assert articles == wanted["articles"]
    pages = [
        "http://www.jinshui.example/news/list-5-2.html",
        "http://www.jinshui.example/news/list-5-3.html",
    ]
    assert lists == wanted["pager"] == pages


# --- (i) a custom commercial template: no MetInfo class names, pseudo-static URLs -------------

CHAMBER_LIST_PAGES = {
    "/news/",
    "/news/list-1-2.html",
    "/news/list-1-3.html",
    "/news/list-2.html",
    "/news/list-2-2.html",
    "/news/list-2-3.html",
    "/news/list-3.html",
    "/news/list-3-2.html",
}


@pytest.fixture(scope="module")
def chamber_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("custom-chamber"), tmp_path_factory.mktemp("chamber") / "i.jsonl")


def test_custom_chamber_site_exports_every_article_once(chamber_crawl: Crawl) -> None:
    # Article 45 is linked only from the last page of each list (and from 49's "next" link).
    served = chamber_crawl.servers["site"]
    assert_equals_truth(truth("custom-chamber", served.origin), chamber_crawl.run.items)


def test_custom_chamber_crawl_is_polite(chamber_crawl: Crawl) -> None:
    # The home banner links news/shownews.php?id=58, which 302s to news/58.html (guide §1.3):
    # that hop is one fetch of id 58, so only the 200 answers are counted per id.
    served = chamber_crawl.servers["site"]
    bad = [p for p in served.paths() if any(word in p for word in NEVER_REQUESTED)]
    assert bad == [], f"requested URLs that must never be requested: {bad}"
    ok = Served(served.origin, [r for r in served.requests if r.status == 200])
    twice = {i: n for i, n in Counter(ok.article_ids()).items() if n > 1}
    assert twice == {}, f"article ids fetched more than once: {twice}\n{served.paths()}"
    assert served.paths().count("/news/shownews.php?id=58") <= 1
    assert set(served.paths(404)) <= GUESSED_SITEMAPS, served.paths(404)


def test_custom_chamber_list_pages_are_walked_once(chamber_crawl: Crawl) -> None:
    # about/ and contact/ (module 1 "show" columns in the nav) read as F/ column URLs; the
    # crawler may open them once to learn they are not news columns.
    pages = [
        p for p in chamber_crawl.servers["site"].list_pages() if p not in ("/about/", "/contact/")
    ]
    assert len(pages) == len(set(pages)), pages
    assert set(pages) <= CHAMBER_LIST_PAGES, sorted(set(pages) - CHAMBER_LIST_PAGES)
    # Every page of at least one of the two ways down (top column, or both sub-columns).
    top = {p for p in CHAMBER_LIST_PAGES if "list-2" not in p and "list-3" not in p}
    assert top <= set(pages) or (CHAMBER_LIST_PAGES - top) <= set(pages), sorted(pages)


def test_custom_chamber_items_carry_version_and_hits(chamber_crawl: Crawl) -> None:
    items = {item["article_id"]: item for item in chamber_crawl.run.items}
    assert {item["metinfo_version"] for item in items.values()} == {"7.5.0"}
    # Every counter is a met_hits script with data-hits (guide §2.1); 45 prints none.  The
    # notices print it as "阅读 <script data-hits> 次" after "发布：X" on the line below a badge.
    hits = {i: item["hits"] for i, item in items.items()}
    assert hits == {
        "58": 136,
        "55": 97,
        "52": 88,
        "49": 64,
        "45": None,
        "57": 211,
        "54": 305,
        "51": 77,
        "47": 150,
    }


def test_custom_chamber_bodies_are_trimmed(chamber_crawl: Crawl) -> None:
    # Article 58 opens with "&emsp;&emsp;" (U+2003) indentation, as editors type it.
    (item,) = [i for i in chamber_crawl.run.items if i["article_id"] == "58"]
    assert item["body"].startswith("6月10日至17日")


# --- devzone-static: static mode, custom camelCase template, stale dynamic-mode sitemap -------

DEVZONE_TOP_PAGES = {"/xwzx/", "/xwzx/xwzx_3_2.html", "/xwzx/xwzx_3_3.html"}
DEVZONE_SUB_PAGES = {"/xwzx/xwzx_4_1.html", "/xwzx/xwzx_4_2.html"}
DEVZONE_NOTICE_PAGES = {"/tzgg/", "/tzgg/tzgg_6_2.html"}
DEVZONE_LIST_PAGES = DEVZONE_TOP_PAGES | DEVZONE_SUB_PAGES | DEVZONE_NOTICE_PAGES
# Pages of other modules, linked from the nav, the home boxes and the stale sitemap.
DEVZONE_NOT_NEWS = ("/about/", "/contact/", "/message/", "/product/", "/404.html", "/index.html")


@pytest.fixture(scope="module")
def devzone_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("devzone-static"), tmp_path_factory.mktemp("devzone") / "i.jsonl")


def test_devzone_static_site_exports_every_article_once(devzone_crawl: Crawl) -> None:
    # 44 is linked only from page 3 of 新闻中心 (it sits in the top column, not in 园区要闻);
    # 46 only from page 2 of 通知公告; 54 has a custom static file name (zsdh2024.html).
    served = devzone_crawl.servers["site"]
    assert_equals_truth(truth("devzone-static", served.origin), devzone_crawl.run.items)


def test_devzone_static_exports_no_other_module(devzone_crawl: Crawl) -> None:
    # product/productN.html has the article grammar of static mode (F/{F}N.html) but the
    # generator meta says module 3; about/leader.html is a module-1 page with a file name.
    urls = [item["url"] for item in devzone_crawl.run.items]
    origin = devzone_crawl.servers["site"].origin
    bad = [u for u in urls if u[len(origin) :].startswith(DEVZONE_NOT_NEWS)]
    assert bad == [], bad


def test_devzone_static_crawl_is_polite(devzone_crawl: Crawl) -> None:
    # The stale sitemap names dynamic-mode URLs: columns and product 9 302 to their static
    # pages, deleted articles 38, 40 and 41 302 to /404.html (guide §1.3, §5).  Only 200
    # answers are counted per id.
    served = devzone_crawl.servers["site"]
    bad = [p for p in served.paths() if any(word in p for word in NEVER_REQUESTED)]
    assert bad == [], f"requested URLs that must never be requested: {bad}"
    ok = Served(served.origin, [r for r in served.requests if r.status == 200])
    twice = {i: n for i, n in Counter(ok.article_ids()).items() if n > 1}
    assert twice == {}, f"article ids fetched more than once: {twice}\n{served.paths()}"
    # The pager's jump box carries a URL template (data-tpl="xwzx_3_#.html"): never a link.
    assert not [p for p in served.paths() if "#" in p or "%23" in p], served.paths()
    assert set(served.paths(404)) <= GUESSED_SITEMAPS, served.paths(404)


def test_devzone_static_list_pages_are_walked_once(devzone_crawl: Crawl) -> None:
    served = devzone_crawl.servers["site"]
    ok = Served(served.origin, [r for r in served.requests if r.status == 200])
    pages = [p for p in ok.list_pages() if p.startswith(("/xwzx/", "/tzgg/"))]
    assert len(pages) == len(set(pages)), pages
    assert set(pages) <= DEVZONE_LIST_PAGES, sorted(set(pages) - DEVZONE_LIST_PAGES)
    # 新闻中心 holds articles of its own besides 园区要闻's: only its own pages reach 44.
    assert DEVZONE_TOP_PAGES | DEVZONE_NOTICE_PAGES <= set(pages), sorted(pages)


def repeat_crawl(name: str, tmp_path: Path) -> tuple[CrawlRun, CrawlRun, Served]:
    """Two crawls of the site ``name`` with one state store: both runs, and what the
    second asked for."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    runs = []
    with ReplayServer(load_site(name)) as server:
        for n in (1, 2):
            before = len(server.requests)
            output = tmp_path / f"{n}.jsonl"
            command = crawl_command(f"{server.origin}/", output, state)
            runs.append(run_crawl(command, output, timeout=CRAWL_TIMEOUT))
    return runs[0], runs[1], Served(server.origin, server.requests[before:])


def test_devzone_static_repeat_run_reads_no_article(tmp_path: Path) -> None:
    # A run with a state store, then an incremental one of the unchanged site: every
    # article is known and its list date unchanged, the custom-named zsdh2024.html (article
    # 54: the list names it by its file name, its id is only in its generator meta) too.
    first, second, again = repeat_crawl("devzone-static", tmp_path)
    assert first.returncode == second.returncode == 0, second.log_tail()
    assert len(first.items) == len(truth("devzone-static", again.origin))
    articles = {item["url"][len(again.origin) :] for item in first.items}
    assert "/xwzx/zsdh2024.html" in articles
    assert sorted(set(again.paths()) & articles) == []
    assert second.items == []


def test_a_named_page_without_a_generator_meta_keeps_the_id_its_list_gave() -> None:
    """Article 54 under its custom file name (xwzx/zsdh2024.html) with the generator meta
    taken out: its item takes the id the list named it by (xwzx/zsdh2024), so that a state
    store tracks it; without one it was exported again by every run."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from spiders.metinfo import MetinfoSpider

    page = (SITES / "devzone-static" / "pages" / "article-54.html").read_bytes()
    page, removed = re.subn(rb'<meta name="generator"[^>]*>', b"", page)
    assert removed == 1
    home = "http://www.devzone.example/"
    spider = MetinfoSpider.from_crawler(get_crawler(MetinfoSpider, {"METINFO_STATE": ""}), url=home)
    list(spider._start(home))
    request = spider._request(
        home + "xwzx/zsdh2024.html", spider.parse_article, home, metinfo_article="xwzx/zsdh2024"
    )
    response = HtmlResponse(url=request.url, body=page, encoding="utf-8", request=request)
    (item,) = [item for item in spider.parse_article(response) if hasattr(item, "article_id")]
    assert item.article_id == "xwzx/zsdh2024"
    assert item.title == "开发区赴长三角地区开展产业链精准招商"


def test_devzone_static_items_carry_version_and_hits(devzone_crawl: Crawl) -> None:
    items = {item["article_id"]: item for item in devzone_crawl.run.items}
    assert {item["metinfo_version"] for item in items.values()} == {"7.3.0"}
    hits = {i: item["hits"] for i, item in items.items()}
    assert hits == {
        "58": 342,
        "57": 518,
        "56": 205,
        "55": 188,
        "54": 127,
        "53": 412,
        "52": 276,
        "51": 633,
        "50": 95,
        "49": 143,
        "48": 301,
        "47": 77,
        "46": 158,
        "44": 209,
    }


# --- hybrid-teaassoc: 7.x hybrid mode (webhtm 3), custom BEM template, stale pseudo sitemap ---

# List page 1 is a static file, pages 2+ are pseudo-static (guide §1.2 "hybrid").
TEA_TOP_PAGES = {"/info/index.html", "/info/list-2-2.html", "/info/list-2-3.html"}
TEA_SUB_PAGES = {"/info/info_2_3_1.html", "/info/list-3-2.html"}
TEA_NOTICE_PAGES = {"/notice/index.html", "/notice/list-4-2.html"}
# The stale sitemap names list page 1 of both top columns as F/ (the same file as
# F/index.html) and the sub-column as the pseudo list-3.html (302 to info_2_3_1.html).
TEA_ALIASES = {"/info/": "/info/index.html", "/notice/": "/notice/index.html"}
TEA_LIST_PAGES = TEA_TOP_PAGES | TEA_SUB_PAGES | TEA_NOTICE_PAGES
TEA_NOT_NEWS = ("/about/", "/contact/", "/message/", "/product/", "/404.html", "/index.html")


@pytest.fixture(scope="module")
def teaassoc_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("hybrid-teaassoc"), tmp_path_factory.mktemp("tea") / "t.jsonl")


def test_hybrid_teaassoc_site_exports_every_article_once(teaassoc_crawl: Crawl) -> None:
    # 75 (backfilled after the sitemap was written) is linked only from 协会资讯 page 3
    # (a pseudo-static page 3 of a column whose page 1 is a static index.html); 76 only from
    # 通知公告 page 2.
    assert linked_from_pages("hybrid-teaassoc", "shownews75.html") == ["list-info-3.html"]
    assert linked_from_pages("hybrid-teaassoc", "shownews76.html") == ["list-notice-2.html"]
    served = teaassoc_crawl.servers["site"]
    assert_equals_truth(truth("hybrid-teaassoc", served.origin), teaassoc_crawl.run.items)


def test_hybrid_teaassoc_exports_no_other_module(teaassoc_crawl: Crawl) -> None:
    # product/showproductN.html (module 3) has a dated info line; message/ has a pager.
    origin = teaassoc_crawl.servers["site"].origin
    urls = [item["url"] for item in teaassoc_crawl.run.items]
    bad = [u for u in urls if u[len(origin) :].startswith(TEA_NOT_NEWS)]
    assert bad == [], bad


def test_hybrid_teaassoc_crawl_is_polite(teaassoc_crawl: Crawl) -> None:
    # The stale sitemap (pseudo-static era) names info/69.html etc., which 302 to the static
    # shownewsN.html, and deleted 60, which 302s to /404.html.  Only 200 answers count per id.
    # Body links to member/login.php and tag links to search/ must not be followed.
    served = teaassoc_crawl.servers["site"]
    bad = [p for p in served.paths() if any(word in p for word in NEVER_REQUESTED)]
    assert bad == [], f"requested URLs that must never be requested: {bad}"
    ok = Served(served.origin, [r for r in served.requests if r.status == 200])
    twice = {i: n for i, n in Counter(ok.article_ids()).items() if n > 1}
    assert twice == {}, f"article ids fetched more than once: {twice}\n{served.paths()}"
    assert set(served.paths(404)) <= GUESSED_SITEMAPS, served.paths(404)


def test_hybrid_teaassoc_list_pages_are_walked_once(teaassoc_crawl: Crawl) -> None:
    served = teaassoc_crawl.servers["site"]
    pages = [
        p for p in served.paths(200) if p.startswith(("/info/", "/notice/")) and "shownews" not in p
    ]
    assert len(pages) == len(set(pages)), pages
    assert set(pages) <= TEA_LIST_PAGES | set(TEA_ALIASES), sorted(set(pages) - TEA_LIST_PAGES)
    walked = {TEA_ALIASES.get(p, p) for p in pages}
    # Only 协会资讯's own pages reach 75, only 通知公告 page 2 reaches 76.
    assert TEA_TOP_PAGES | TEA_NOTICE_PAGES <= walked, sorted(pages)


def test_hybrid_teaassoc_list_page_one_is_not_fetched_twice(teaassoc_crawl: Crawl) -> None:
    # F/ and F/index.html are one static file (the sitemap says F/, the nav F/index.html).
    served = teaassoc_crawl.servers["site"]
    pages = [
        TEA_ALIASES.get(p, p) for p in served.paths(200) if p in TEA_LIST_PAGES | set(TEA_ALIASES)
    ]
    twice = {p: n for p, n in Counter(pages).items() if n > 1}
    assert twice == {}, served.paths()


def test_hybrid_teaassoc_items_carry_version_and_hits(teaassoc_crawl: Crawl) -> None:
    items = {item["article_id"]: item for item in teaassoc_crawl.run.items}
    assert {item["metinfo_version"] for item in items.values()} == {"7.4.0"}
    hits = {i: item["hits"] for i, item in items.items()}
    assert hits == {
        "74": 128,
        "73": 152,
        "72": 77,
        "71": 203,
        "70": 118,
        "69": 95,
        "68": 64,
        "67": 90,
        "66": 58,
        "65": 41,
        "64": 75,
        "63": 36,
        "75": 22,
        "76": 19,
    }


# --- subdir-ceramics: 5.3 dynamic mode installed under /cms/, <base href> on some pages ------

CERAMICS_ROOT = "/cms/"
# Each list page of the three Chinese columns, as (folder, sorted query without page=1).
CERAMICS_TOP = {
    ("/cms/news/news.php", (("class1", "2"), ("lang", "cn"))),
    ("/cms/news/news.php", (("class1", "2"), ("lang", "cn"), ("page", "2"))),
}
CERAMICS_SUB = {
    ("/cms/news/news.php", (("class2", "4"), ("lang", "cn"))),
    ("/cms/news/news.php", (("class1", "2"), ("class2", "4"), ("lang", "cn"))),
    ("/cms/news/news.php", (("class1", "2"), ("class2", "4"), ("lang", "cn"), ("page", "2"))),
}
CERAMICS_NOTICE = {
    ("/cms/notice/news.php", (("class1", "3"), ("lang", "cn"))),
    ("/cms/notice/news.php", (("class1", "3"), ("lang", "cn"), ("page", "2"))),
}
CERAMICS_EN = {("/cms/news/news.php", (("class1", "12"), ("lang", "en")))}
# Requests outside /cms/ that are fine: robots.txt, the host's landing page, guessed sitemaps.
CERAMICS_OUTSIDE = {"/robots.txt", "/", "/sitemap.xml", "/sitemap.txt"}
# 404s that are fine: guessed sitemaps (guide §1.5: sitemap.txt, sitemap_L.xml) at the host
# root or the MetInfo root, and article 29, deleted but still named by the stale sitemap.
CERAMICS_404_OK = re.compile(
    r"/(cms/)?sitemap(_[a-z]+)?\.(xml|txt)|/cms/news/shownews\.php\?.*id=29\b.*"
)


def ceramics_key(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A path+query as (path, sorted params), ``page=1`` dropped (it is the column URL)."""
    from urllib.parse import parse_qsl

    base, _, query = path.replace("&amp;", "&").partition("?")
    params = tuple(sorted((k, v) for k, v in parse_qsl(query) if (k, v) != ("page", "1")))
    return base, params


def ceramics_article_ids(paths: Iterable[str]) -> list[str]:
    ids = []
    for path in paths:
        base, params = ceramics_key(path)
        if base.endswith("/shownews.php"):
            ids.extend(v for k, v in params if k == "id")
    return ids


@pytest.fixture(scope="module")
def ceramics_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    # The crawl starts at the MetInfo root http://host/cms/, not at the host's root.
    output = tmp_path_factory.mktemp("ceramics") / "c.jsonl"
    with ReplayServer(load_site("subdir-ceramics")) as server:
        run = run_spider(server.origin + CERAMICS_ROOT, output)
        requests = server.requests
    return Crawl(run, {"site": Served(server.origin, requests)})


def test_subdir_ceramics_site_exports_every_article_once(ceramics_crawl: Crawl) -> None:
    # 44 (backfilled after the sitemap was written) is linked only from 新闻资讯 page 2; 45
    # only from 通知公告 page 2.  Notice pages and 42 carry <base href=".../cms/">: their
    # links and body images are relative to the site root, not to the page's folder.
    assert linked_from_pages("subdir-ceramics", "lang=cn&amp;id=44") == ["list-news-2.html"]
    assert linked_from_pages("subdir-ceramics", "lang=cn&amp;id=45") == ["list-notice-2.html"]
    served = ceramics_crawl.servers["site"]
    assert_equals_truth(truth("subdir-ceramics", served.origin), ceramics_crawl.run.items)


def test_subdir_ceramics_items_carry_site_root_version_and_hits(ceramics_crawl: Crawl) -> None:
    origin = ceramics_crawl.servers["site"].origin
    items = {item["article_id"]: item for item in ceramics_crawl.run.items}
    # The generator's data-variable names the site root http://host/cms/ (guide §2.3, §4).
    assert {item["site"] for item in items.values()} == {origin + CERAMICS_ROOT}
    assert {item["metinfo_version"] for item in items.values()} == {"5.3.16"}
    # 43 and 42 print hits through include/hits.php only (no number on the page).
    hits = {i: item["hits"] for i, item in items.items()}
    assert hits == {
        "43": None,
        "42": None,
        "40": 64,
        "39": 173,
        "37": 150,
        "36": 95,
        "34": 211,
        "33": 132,
        "32": 97,
        "30": 88,
        "45": 43,
        "44": 61,
        "41": 40,
    }


def test_subdir_ceramics_exports_no_other_module(ceramics_crawl: Crawl) -> None:
    # about/show.php, product/showproduct.php (a dated info line), message/ (dated posts,
    # a pager) are linked from the nav and the home page.
    urls = [item["url"] for item in ceramics_crawl.run.items]
    assert [u for u in urls if "/shownews.php?" not in u] == []


def test_subdir_ceramics_crawl_is_polite(ceramics_crawl: Crawl) -> None:
    served = ceramics_crawl.servers["site"]
    paths = served.paths()
    bad = [p for p in paths if any(word in p for word in NEVER_REQUESTED)]
    assert bad == [], f"requested URLs that must never be requested: {bad}"
    ok = [r.path for r in served.requests if r.status == 200]
    twice = {i: n for i, n in Counter(ceramics_article_ids(ok)).items() if n > 1}
    assert twice == {}, f"article ids fetched more than once: {twice}\n{paths}"
    # Nothing above the MetInfo root but robots.txt and the host's own pages: a crawler
    # taking the host root for the site root would ask for /news/..., /index.php?lang=cn.
    outside = [p for p in paths if not p.startswith(CERAMICS_ROOT) and p not in CERAMICS_OUTSIDE]
    assert outside == [], outside
    # A link resolved against the page instead of <base href> lands on /cms/notice/notice/…
    missing = {p for p in served.paths(404) if not CERAMICS_404_OK.fullmatch(p)}
    assert not missing, f"requested URLs the site never linked: {sorted(missing)}\n{paths}"


def test_subdir_ceramics_list_pages_are_walked_once(ceramics_crawl: Crawl) -> None:
    served = ceramics_crawl.servers["site"]
    pages = [ceramics_key(p) for p in served.paths(200) if p.split("?")[0].endswith("/news.php")]
    twice = {p: n for p, n in Counter(pages).items() if n > 1}
    assert twice == {}, served.paths()
    allowed = CERAMICS_TOP | CERAMICS_SUB | CERAMICS_NOTICE | CERAMICS_EN
    assert set(pages) <= allowed, sorted(set(pages) - allowed)
    # Only 新闻资讯 page 2 reaches 44, only 通知公告 page 2 reaches 45.
    assert CERAMICS_TOP | CERAMICS_NOTICE <= set(pages), sorted(pages)


# --- whole sites of custom templates, written for adversarial crawls -------------------------


@pytest.fixture(scope="module")
def shanghui_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("shanghui-gbk"), tmp_path_factory.mktemp("shanghui") / "s.jsonl")


def test_shanghui_gbk_site_exports_every_article_once(shanghui_crawl: Crawl) -> None:
    # Pages without a generator meta are fetched without lang=cn (the default language's
    # URL form): their language is the site's (zh-CN), not null.  Article 30 repeats 12 in
    # another column whose template prints only the day: one article.
    served = shanghui_crawl.servers["site"]
    assert_equals_truth(truth("shanghui-gbk", served.origin), shanghui_crawl.run.items)


def test_shanghui_gbk_crawl_reads_no_other_module(shanghui_crawl: Crawl) -> None:
    paths = shanghui_crawl.servers["site"].paths()
    bad = [p for p in paths if any(word in p for word in (*NEVER_REQUESTED, "down.php", "/job/"))]
    assert bad == [], bad


def without_sitemap(archive: Archive) -> Archive:
    """``archive`` with no sitemap: ``/sitemap.xml`` gone and robots.txt naming none."""
    items = []
    for target in archive:
        response = archive[target]
        if target == "/sitemap.xml":
            continue
        body = response.body
        if target == "/robots.txt":
            body = b"".join(
                line
                for line in body.splitlines(keepends=True)
                if not line.lower().startswith(b"sitemap:")
            )
        items.append((target, RecordedResponse(response.status, response.headers, body)))
    return Archive(items, name=archive.name, templated=True)


@pytest.fixture(scope="module")
def lingang_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    folder = tmp_path_factory.mktemp("lingang")
    site = load_site("lingang-ftz")
    return {
        "sitemap": crawl_site(site, folder / "with.jsonl"),
        "no sitemap": crawl_site(without_sitemap(site), folder / "without.jsonl"),
    }


@pytest.mark.parametrize("kind", ["sitemap", "no sitemap"])
def test_lingang_ftz_site_exports_every_article_once(
    lingang_crawls: dict[str, Crawl], kind: str
) -> None:
    """Without the sitemap, news/2.html and news/4.html are found after product/2.html and
    product/4.html (same ids, another module) were answered, and English page 2 only from
    a first page whose entries the English home had queued ("2 pages" as its count)."""
    crawl = lingang_crawls[kind]
    served = crawl.servers["site"]
    assert_equals_truth(truth("lingang-ftz", served.origin), crawl.run.items)


@pytest.fixture(scope="module")
def jiangnan_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("jiangnan-textile"), tmp_path_factory.mktemp("jn") / "j.jsonl")


def test_jiangnan_textile_site_exports_every_article_once(jiangnan_crawl: Crawl) -> None:
    # Static mode without any lang mark on the pages: the home's index.php?lang=cn link and
    # its Chinese title give cn.  Some articles' <title> starts with the column's name.
    served = jiangnan_crawl.servers["site"]
    assert_equals_truth(truth("jiangnan-textile", served.origin), jiangnan_crawl.run.items)


@pytest.fixture(scope="module")
def lanbay_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("lanbay-epz"), tmp_path_factory.mktemp("lanbay") / "l.jsonl")


def test_lanbay_epz_english_default_site_exports_every_article_once(lanbay_crawl: Crawl) -> None:
    # English is the default (no lang in its URLs), Chinese under lang=cn; a column only a
    # home block and the HTML site map name; 12 list pages behind an ellipsis pager.
    served = lanbay_crawl.servers["site"]
    assert_equals_truth(truth("lanbay-epz", served.origin), lanbay_crawl.run.items)


@pytest.fixture(scope="module")
def gangao_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("gangao-trade"), tmp_path_factory.mktemp("gangao") / "g.jsonl")


def test_gangao_trade_site_exports_every_article_once(gangao_crawl: Crawl) -> None:
    """Its English pages print day-first dates (05/06/2025 18:30) with nothing on the page
    to settle an ambiguous one: those pages are read again once another English page has
    shown 17/01/2025, or at the end of the crawl."""
    served = gangao_crawl.servers["site"]
    assert_equals_truth(truth("gangao-trade", served.origin), gangao_crawl.run.items)


def test_gangao_trade_pages_held_for_the_date_order_are_fetched_once(gangao_crawl: Crawl) -> None:
    """The two pages held until another page showed the site's day-first order are read
    again from memory: no page of the site is requested twice (they were, each under both
    its URL forms)."""
    served = gangao_crawl.servers["site"]
    assert "'metinfo/articles/reread_held': 2" in gangao_crawl.run.stderr
    assert [p for p, n in Counter(served.paths()).items() if n > 1] == []


def test_gangao_trade_hidden_article_is_found_from_a_body_link(gangao_crawl: Crawl) -> None:
    """news/23.html is on no list, in no sitemap and in no prev/next link: only the text of
    news/22.html links it ("continued")."""
    origin = gangao_crawl.servers["site"].origin
    urls = {item["url"] for item in gangao_crawl.run.items}
    assert f"{origin}/news/23.html" in urls


@pytest.fixture(scope="module")
def qingxi_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("qingxi-zwfw"), tmp_path_factory.mktemp("qingxi") / "q.jsonl")


def test_qingxi_zwfw_site_exports_every_article_once(qingxi_crawl: Crawl) -> None:
    # zwdt41 and zwdt42 are filed under the parent column 政务动态 itself: only its pages
    # 2-4 list them, and its page 1 names only articles its sub-columns' lists named.
    served = qingxi_crawl.servers["site"]
    assert_equals_truth(truth("qingxi-zwfw", served.origin), qingxi_crawl.run.items)


def test_qingxi_zwfw_exports_no_picture_module_page(qingxi_crawl: Crawl) -> None:
    origin = qingxi_crawl.servers["site"].origin
    urls = [item["url"] for item in qingxi_crawl.run.items]
    assert [u for u in urls if u.startswith((f"{origin}/fczs/", f"{origin}/job/"))] == []


def declared_host_crawl(output: Path, start_on_declared: bool) -> Crawl:
    """tests/sites twohost-chamber served once and reached by two host names: its pages
    declare ``http://localhost:P/`` as the site (generator meta, canonical URLs, absolute
    links, robots.txt's Sitemap line, the sitemap, its own redirects); the crawl starts at
    ``http://127.0.0.1:P/`` (or at the declared host)."""
    with ReplayServer(load_site("twohost-chamber")) as server:
        declared = f"http://localhost:{server.port}"
        server.archive = substituted(
            load_site("twohost-chamber"),
            {"{{DECLARED}}": declared, "{{DECLARED_JSON}}": declared.replace("/", "\\/")},
            templated=True,
        )
        start = declared if start_on_declared else server.origin
        run = run_spider(start + "/", output)
        requests = server.requests
    return Crawl(run, {"site": Served(start, requests)})


@pytest.mark.parametrize("on_declared", [False, True], ids=["ip", "declared"])
def test_a_site_declaring_another_host_name_is_crawled_whole(
    tmp_path: Path, on_declared: bool
) -> None:
    """Started at 127.0.0.1, the crawler took the declared host's links for another site's
    and exported 8 of 30 articles (exit 0).  Its items are on the host the crawl started
    at, images and attachments too."""
    crawl = declared_host_crawl(tmp_path / "out.jsonl", on_declared)
    origin = crawl.servers["site"].origin
    assert_equals_truth(truth("twohost-chamber", origin), crawl.run.items)
    hosts = {
        url.split("/")[2]
        for item in crawl.run.items
        for url in (item["url"], item["site"], *(f["url"] for f in item["images"]))
        if url.startswith("http")
    }
    assert hosts == {origin.split("/")[2]}


def test_a_build_stamped_sitemap_does_not_refetch_every_article(tmp_path: Path) -> None:
    """tests/sites lingang-ftz's sitemap gives every URL one lastmod (its build date), never
    an article's day: a repeat run with the state store judges those lastmods a rebuild's
    and goes by the list dates; it fetched all 44 articles again on every run."""
    first, second, again = repeat_crawl("lingang-ftz", tmp_path)
    assert first.returncode == 0 and second.returncode == 0, second.log_tail()
    assert len(first.items) == 44 and second.items == []
    assert again.article_ids() == [], again.paths()


@pytest.fixture(scope="module")
def fourlang_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    folder = tmp_path_factory.mktemp("fourlang")
    site = load_site("fourlang-park")
    return {
        lang: crawl_site(site, folder / f"{n}.jsonl", *([f"lang={lang}"] if lang else []))
        for n, lang in enumerate(("", "jp", "kr,en", "zh-CN"))
    }


# The truth's language of each filter's articles (cn as its mark, the others as tags).
FOURLANG_TAGS = {
    "": {"cn", "en", "ja", "ko"},
    "jp": {"ja"},
    "kr,en": {"ko", "en"},
    "zh-CN": {"cn"},
}


@pytest.mark.parametrize("lang", list(FOURLANG_TAGS), ids=["all", "jp", "kr-en", "zh-CN"])
def test_fourlang_park_exports_the_languages_asked_for(
    fourlang_crawls: dict[str, Crawl], lang: str
) -> None:
    """Four languages by the lang parameter (cn default, en, jp, kr; guide §1.4), pages
    linking their translations: each filter exports exactly its languages' articles, every
    field right (an English page's "Other languages:" bar is no body text)."""
    crawl = fourlang_crawls[lang]
    origin = crawl.servers["site"].origin
    wanted = [r for r in truth("fourlang-park", origin) if r["lang"] in FOURLANG_TAGS[lang]]
    assert_equals_truth(wanted, crawl.run.items)


@pytest.fixture(scope="module")
def members_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("met5-members"), tmp_path_factory.mktemp("members") / "m.jsonl")


def test_met5_members_site_exports_every_article_once(members_crawl: Crawl) -> None:
    # Member-only articles (a login prompt for a body) and article 14 (a picture, no text)
    # are not exported; wap/, print.php and ?pageset=1 links are never followed.
    served = members_crawl.servers["site"]
    assert_equals_truth(truth("met5-members", served.origin), members_crawl.run.items)
    paths = served.paths()
    assert [p for p in paths if p.startswith("/wap/") or "print.php" in p or "pageset" in p] == []


# met5-members' articles that show a login prompt (该内容需要会员登录后查看) for a body.
MEMBER_WALL_IDS = ("7", "15", "23")


def test_member_walls_are_not_asked_again_by_an_incremental_run(tmp_path: Path) -> None:
    """met5-members' member-only articles (a login prompt for a body) are no articles; the
    state store keeps them as seen, so a repeat run asks for none of them, and a full check
    asks for all of them again."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    walls: list[list[str]] = []
    with ReplayServer(load_site("met5-members")) as server:
        for run, extra in (("1", ()), ("2", ()), ("3", ("METINFO_FULL_CHECK=1",))):
            output = tmp_path / f"{run}.jsonl"
            before = len(server.requests)
            result = run_crawl(
                crawl_command(server.origin + "/", output, state, *extra),
                output,
                timeout=CRAWL_TIMEOUT,
            )
            assert result.returncode == 0, result.log_tail()
            walls.append(
                sorted(
                    r.path
                    for r in server.requests[before:]
                    if "shownews.php" in r.path
                    and re.search(r"[?&]id=(\d+)", r.path).group(1) in MEMBER_WALL_IDS
                )
            )
            if run == "1":
                assert "'metinfo/not_article/member_only': " in result.stderr
    assert walls[0] and walls[1] == [] and walls[2] == walls[0]


@pytest.fixture(scope="module")
def messy_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("messy-calligraphy"), tmp_path_factory.mktemp("messy") / "m.jsonl")


def test_messy_calligraphy_site_exports_every_article_once(messy_crawl: Crawl) -> None:
    # A splash page at /, a frameset, unclosed tags, uppercase and unquoted attributes,
    # byte-order marks, a NUL byte, GBK pages sent as charset=utf-8.
    served = messy_crawl.servers["site"]
    assert_equals_truth(truth("messy-calligraphy", served.origin), messy_crawl.run.items)
    assert "'metinfo/encoding/repaired': 7" in messy_crawl.run.stderr  # the GBK pages


def test_messy_calligraphy_follows_no_link_in_a_comment_or_a_script(messy_crawl: Crawl) -> None:
    paths = messy_crawl.servers["site"].paths()
    assert [p for p in paths if "id=999" in p or "id=998" in p or "bbs/" in p] == []


@pytest.fixture(scope="module")
def culture_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("culture-photos"), tmp_path_factory.mktemp("culture") / "c.jsonl")


def test_culture_photos_site_exports_every_article_once(culture_crawl: Crawl) -> None:
    # No list shows a date; photo galleries (captions and pictures beside one line of
    # text), video articles, a parent column made of blocks with 更多>> links.
    served = culture_crawl.servers["site"]
    assert_equals_truth(truth("culture-photos", served.origin), culture_crawl.run.items)


def test_culture_photos_video_players_stay_in_the_body_html(culture_crawl: Crawl) -> None:
    videos = [i for i in culture_crawl.run.items if "/video/" in i["url"]]
    assert len(videos) == 5
    assert all("<iframe" in i["body_html"] or "<video" in i["body_html"] for i in videos)


def test_an_article_start_yields_that_article_only(tmp_path: Path) -> None:
    """news/22.html's text links 23 ("continued"): from the home both are exported, from
    22 alone only 22 (README: an article URL yields that article only)."""
    with ReplayServer(load_site("gangao-trade")) as server:
        run = run_spider(f"{server.origin}/news/22.html", tmp_path / "one.jsonl")
    assert [item["url"] for item in run.items] == [f"{server.origin}/news/22.html"]


@pytest.fixture(scope="module")
def xiehui_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("xiehui-dates"), tmp_path_factory.mktemp("xiehui") / "x.jsonl")


def test_xiehui_dates_site_exports_every_article_once(xiehui_crawl: Crawl) -> None:
    # Chinese dates of three kinds (上午10:30 with the weekday, 15时20分, 二〇二四年三月五日),
    # notices signed with an earlier day under the text, 发布机构 and no author.
    served = xiehui_crawl.servers["site"]
    assert_equals_truth(truth("xiehui-dates", served.origin), xiehui_crawl.run.items)
    # (download/1-3.html share their ids with news articles: another module's table)
    assert [p for p, n in Counter(served.paths()).items() if n > 1] == []


def test_xiehui_dates_an_article_that_shows_no_date_takes_its_lists_day(
    xiehui_crawl: Crawl,
) -> None:
    # news/29.html prints 发布机构 and 来源 but no date; news/list-3.html shows [2023-12-28]
    # beside its link (guide §3: the detail page's date, else the list item's).
    origin = xiehui_crawl.servers["site"].origin
    (item,) = [i for i in xiehui_crawl.run.items if i["url"] == f"{origin}/news/29.html"]
    assert (item["published_at"], item["published_at_raw"]) == ("2023-12-28", None)


def test_xiehui_dates_repeat_runs_do_not_ask_for_other_modules_pages_again(
    tmp_path: Path,
) -> None:
    """The sitemap names download/1-3.html (the download module, ids 1-3 being news ids
    too): the first run learns the folder is another module's (its pages say so, none is
    an article) and the summary names it, with the folders of the other modules' column
    pages; a repeat run with the state store asks for none of their pages (every run did
    before)."""
    state = f"METINFO_STATE={tmp_path / 'state'}"
    downloads, folders = [], []
    with ReplayServer(load_site("xiehui-dates")) as server:
        for run in ("1", "2"):
            output = tmp_path / f"{run}.jsonl"
            before = len(server.requests)
            result = run_crawl(
                crawl_command(server.origin + "/", output, state), output, timeout=CRAWL_TIMEOUT
            )
            assert result.returncode == 0, result.log_tail()
            asked = [r.path for r in server.requests[before:]]
            downloads.append([p for p in asked if re.fullmatch(r"/download/\d+\.html", p)])
            summary = json.loads(Path(f"{output}.summary.json").read_text(encoding="utf-8"))
            folders.append(summary["other_modules"][f"{server.origin}/"])
    assert len(downloads[0]) == 3 and downloads[1] == []
    # the column pages of the about, contact, download and job modules the navigation
    # links name their folders too: the repeat run asks for none of them
    assert folders == [["about/", "contact/", "download/", "job/"]] * 2
    assert not [p for p in asked if p.split("/")[1] in ("about", "contact", "download", "job")]


@pytest.fixture(scope="module")
def ukcn_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("ukcn-office"), tmp_path_factory.mktemp("ukcn") / "u.jsonl")


def test_ukcn_office_site_exports_every_article_once(ukcn_crawl: Crawl) -> None:
    # British dates (05/03/2024 at 3:05 pm, 5th March 2024, 10:30 am GMT), bylines with job
    # titles, Via: sources, lists of two-digit-year dates (06.05.24) giving the day of an
    # article that shows none; English default, the home page without lang.
    served = ukcn_crawl.servers["site"]
    assert_equals_truth(truth("ukcn-office", served.origin), ukcn_crawl.run.items)


@pytest.fixture(scope="module")
def rizhong_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("rizhong-assoc"), tmp_path_factory.mktemp("rizhong") / "r.jsonl")


def test_rizhong_assoc_site_exports_every_article_once(rizhong_crawl: Crawl) -> None:
    # Japanese (jp, the default) and Chinese: 投稿日：2024年3月5日（火）14:20, 更新日 printed
    # before 投稿日, 令和6年3月12日 on event pages, 出典 sources; translations are records of
    # their own.
    served = rizhong_crawl.servers["site"]
    assert_equals_truth(truth("rizhong-assoc", served.origin), rizhong_crawl.run.items)


@pytest.fixture(scope="module")
def usoffice_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("usoffice-events"), tmp_path_factory.mktemp("usof") / "u.jsonl")


def test_usoffice_events_site_exports_every_article_once(usoffice_crawl: Crawl) -> None:
    # American dates (03/18/2024, Mar. 12, 2024 12:40 AM, Posted on Tuesday, March 5, 2024),
    # an events column whose pages print the event's date in a box under the headline and
    # "Posted on … in Events" under the text, a 27-row table in a wrapper after the lead.
    served = usoffice_crawl.servers["site"]
    assert_equals_truth(truth("usoffice-events", served.origin), usoffice_crawl.run.items)


def test_usoffice_events_are_dated_by_their_posting_not_the_event(usoffice_crawl: Crawl) -> None:
    items = {int(i["article_id"]): i for i in usoffice_crawl.run.items}
    # news/22: "Event date November 14, 2024" under the headline, "Posted on Tuesday,
    # August 20, 2024 in Events" under the text
    assert items[22]["published_at"] == "2024-08-20"
    assert items[22]["author"] is None  # ("in" before the column's link is no name)
    assert not items[22]["body"].startswith("Event date")
    assert "Posted on" not in items[22]["body"]


@pytest.fixture(scope="module")
def pump_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("pump-maker"), tmp_path_factory.mktemp("pump") / "p.jsonl")


def test_pump_maker_site_exports_every_article_once(pump_crawl: Crawl) -> None:
    # Every article page holds, after its text, a 相关产品 block (four products with
    # pictures and 150-character descriptions) and a 推荐新闻 block: no text or picture of
    # them is the article's, however short its text (a video and one sentence).
    served = pump_crawl.servers["site"]
    assert_equals_truth(truth("pump-maker", served.origin), pump_crawl.run.items)


def test_requests_queued_for_a_folder_of_another_module_are_dropped() -> None:
    """Sitemap entries of a product module, queued before the folder's first pages said
    what it holds, are not sent once it has (OtherModuleMiddleware)."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import OtherModuleMiddleware
    from spiders.metinfo import MetinfoSpider

    crawler = get_crawler(MetinfoSpider, {"METINFO_STATE": ""})
    root = "http://www.pump.example/"
    crawler.spider = spider = MetinfoSpider.from_crawler(crawler, url=root)
    site = spider.state.site(root)
    queued = [
        spider._request(f"{root}product/{i}.html", spider.parse_article, root)
        for i in (101, 102, 103)
    ]
    news = spider._request(f"{root}news/7.html", spider.parse_article, root)
    middleware = OtherModuleMiddleware.from_crawler(crawler)
    for request in (*queued, news):
        middleware.process_request(request)  # nothing known yet: all go out
    site.saw_other_module("product/")
    site.saw_other_module("product/")  # two answers of the product module
    for request in queued:
        with pytest.raises(IgnoreRequest, match="another module"):
            middleware.process_request(request)
    middleware.process_request(news)
    assert crawler.stats.get_value("metinfo/articles/other_module_skipped") == 3


@pytest.fixture(scope="module")
def vietnam_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("vietnam-chamber"), tmp_path_factory.mktemp("vn") / "v.jsonl")


def test_vietnam_chamber_site_exports_every_article_once(vietnam_crawl: Crawl) -> None:
    # Vietnamese the default language (vi), Chinese translations as records of their own:
    # Thứ Ba, 05/03/2024 - 2:30 chiều (day first, the afternoon as a word), Cập nhật
    # printed before Ngày đăng, ngày 12 tháng 3 năm 2024, lists of day-first dates.
    served = vietnam_crawl.servers["site"]
    assert_equals_truth(truth("vietnam-chamber", served.origin), vietnam_crawl.run.items)


def test_a_read_also_line_names_an_article_to_fetch() -> None:
    """'Baca juga: <a>…</a>' is no text of the article, but the article it links may be
    linked from nowhere else (a hidden article of a whole-site trial): its URL is one of
    the article links the spider follows."""
    from crawler.extract import parse_html
    from spiders.metinfo import read_also_links

    folder = Path(__file__).parent / "fixtures" / "generic" / "jakartabisnis-107"
    url = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["url"]
    sel = parse_html((folder / "page.html").read_text(encoding="utf-8"), url)
    assert list(read_also_links(sel, url, "http://www.jkbis.example/")) == [
        "http://www.jkbis.example/berita/120.html"
    ]


# A 政务公开 article: its 政策解读 box under the text is the only link to a hidden article
# (no list or sitemap names it; a whole-site trial of a district portal), beside a box of
# products (another module's pages) and a sidebar.
GOV_ARTICLE = """<html><body>
<div class="side"><div class="hd">热门产品</div>
<ul><li><a href="/product/3.html">水泵</a></li></ul></div>
<div class="art"><h1>关于开展安全生产检查的通知</h1>
<div class="txt"><p>各单位：现将有关事项通知如下。</p></div>
<div class="zcjd-box"><div class="zcjd-title">政策解读</div><ul>
<li><a href="http://www.gov.example/xxgk/37.html">一图读懂安全生产检查</a></li>
<li><a href="/xxgk/index.html">更多</a></li></ul></div>
<div class="prevnext"><p>上一篇：<a href="/xxgk/33.html">上一条通知</a></p></div></div>
</body></html>"""


def test_a_policy_reading_box_names_an_article_to_fetch() -> None:
    from crawler.extract import parse_html
    from spiders.metinfo import read_also_links

    url = "http://www.gov.example/xxgk/32.html"
    sel = parse_html(GOV_ARTICLE, url)
    assert list(read_also_links(sel, url, "http://www.gov.example/")) == [
        "http://www.gov.example/xxgk/37.html"
    ]


@pytest.fixture(scope="module")
def thai_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("thai-chamber"), tmp_path_factory.mktemp("th") / "t.jsonl")


def test_thai_chamber_site_exports_every_article_once(thai_crawl: Crawl) -> None:
    # Thai the default language (th), Chinese translations: Buddhist-era years (พ.ศ. 2567),
    # Thai digits, อัปเดตล่าสุด printed before the publication date, event pages whose box
    # under the headline gives a day to come (15 ม.ค. 2570), lists of 22 ก.ค. 67 (a
    # two-digit Buddhist-era year) giving the day of an article that shows none, ก่อนหน้า /
    # ถัดไป prev/next lines.
    served = thai_crawl.servers["site"]
    assert_equals_truth(truth("thai-chamber", served.origin), thai_crawl.run.items)


@pytest.fixture(scope="module")
def met4_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("met4-county"), tmp_path_factory.mktemp("m4") / "m.jsonl")


def test_met4_county_site_exports_every_article_once(met4_crawl: Crawl) -> None:
    # A 4.0-era table layout in GBK without a charset header: static article pages
    # (F/YYYYMMDDN.html) whose language only their links' lang=cn gives, paragraphs as
    # <DIV style="TEXT-INDENT"> lines (a salutation and a closing line among them), a
    # scanned notice that is one picture and a caption above a 友情链接 row.
    served = met4_crawl.servers["site"]
    assert_equals_truth(truth("met4-county", served.origin), met4_crawl.run.items)


# --- park-named: English default, custom file names, rich editor content --------------------


@pytest.fixture(scope="module")
def park_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("park-named"), tmp_path_factory.mktemp("park") / "p.jsonl")


def test_park_named_site_exports_every_article_once(park_crawl: Crawl) -> None:
    # A third of the articles under a custom file name (events/open-day.html); Events'
    # last page lists one numbered article beside one so named; bodies of lists, figures,
    # a video, a map frame, footnote marks and lazy images; /cn/ the Chinese site.
    served = park_crawl.servers["site"]
    assert_equals_truth(truth("park-named", served.origin), park_crawl.run.items)
    assert_polite(served)


def test_an_article_start_under_a_custom_file_name_yields_that_article_only(
    tmp_path: Path,
) -> None:
    """events/open-day.html has no article grammar (guide §1.2 F/S.html) but its generator
    meta names the news module and id 2: the article, not a column start."""
    with ReplayServer(load_site("park-named")) as server:
        run = run_spider(f"{server.origin}/events/open-day.html", tmp_path / "one.jsonl")
    assert [(item["url"], item["article_id"]) for item in run.items] == [
        (f"{server.origin}/events/open-day.html", "2")
    ]


# --- county-oldtable: no breadcrumb, the info line under the text, a dated side box -------


@pytest.fixture(scope="module")
def county_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_site(load_site("county-oldtable"), tmp_path_factory.mktemp("county") / "c.jsonl")


def test_county_oldtable_site_exports_every_article_once(county_crawl: Crawl) -> None:
    # A 5.3 table layout in GBK: a 最新发布 box of link and date cells in the left column
    # before the headline; the 发布时间/来源/作者/点击 line under the text (商会动态), a
    # piped cell "date | 本站原创 | 阅读 N" (通知公告), the date only in the <title>
    # (政策法规); no breadcrumb: the column is the side menu's current item under its box's
    # heading; sign-offs dated before the publication.
    served = county_crawl.servers["site"]
    assert_equals_truth(truth("county-oldtable", served.origin), county_crawl.run.items)
    # (product/1-3-cn.html share their ids with news articles: another module's pages)
    assert [p for p, n in Counter(served.paths()).items() if n > 1] == []


# A home page whose navigation a script builds from data, with no link of its own to two
# of the columns, and a footer link to the HTML column tree (a whole-site trial of a
# JS-heavy template).
SCRIPT_NAV_HOME = """<html><head>
<meta name="generator" content="MetInfo 7.3.0" data-variable="{root}|cn|cn|mui|10001|10001|">
</head><body><header><nav id="nav"></nav></header>
<script>var NAV = [{{"name":"商会动态","url":"/news/","children":[
{{"name":"会务活动","url":"\\/news\\/list-5.html"}}]}},
{{"name":"政策法规","url":"{root}policy/"}}, {{"name":"外链","url":"https://gov.example/"}}];
</script>
<div class="index-news"><a href="news/">更多+</a></div>
<footer><a href="sitemap/">网站地图</a></footer></body></html>"""


def test_a_home_page_names_the_columns_its_script_menu_holds() -> None:
    from crawler.extract import parse_html
    from crawler.extract.listing import read_links

    root = "http://www.wzsh.example/"
    sel = parse_html(SCRIPT_NAV_HOME.format(root=root), root)
    links = read_links(sel, root, root)
    assert sorted(links.lists) == [
        f"{root}news/",
        f"{root}news/list-5.html",
        f"{root}policy/",
    ]
    # the column tree is read as a home page, not as a list of another module
    assert links.sitemap_pages == [f"{root}sitemap/"]
