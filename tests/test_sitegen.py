"""The generated benchmark site (bench.sitegen): determinism, lists, sitemap, mutations,
conditional GETs, pages against the truth read with parsel, and a crawl of it end to end."""

from __future__ import annotations

import http.client
import json
import math
import random
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from parsel import Selector

from bench import sitegen
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import compare

REPO_ROOT = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 180  # seconds for the end-to-end crawl of a 200-article site
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Client:
    """One keep-alive HTTP/1.1 connection to a SiteServer."""

    def __init__(self, server: SiteServer) -> None:
        self.origin = server.origin
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=10)

    def get(
        self, target: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> tuple[int, http.client.HTTPResponse, bytes]:
        path = target[len(self.origin) :] if target.startswith(self.origin) else target
        self.conn.request(method, path, headers=headers or {})
        response = self.conn.getresponse()
        return response.status, response, response.read()

    def page(self, target: str) -> Selector:
        status, _, body = self.get(target)
        assert status == 200, target
        return Selector(text=body.decode("utf-8"))

    def close(self) -> None:
        self.conn.close()


@pytest.fixture(scope="module", params=["dynamic", "pseudo"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Site, SiteServer, Client]]:
    """A 300-article two-language site in each URL mode, 8 articles a list page."""
    spec = SiteSpec(
        seed=11, articles=300, languages=("cn", "en"), url_mode=request.param, list_page_size=8
    )
    site = Site(spec)
    with SiteServer(site) as server:
        client = Client(server)
        yield site, server, client
        client.close()


def list_articles(client: Client, url: str) -> tuple[list[str], Selector]:
    """Absolute article URLs in the list container of a list page, and the page."""
    sel = client.page(url)
    hrefs = sel.css(".met-news-list h4 a::attr(href)").getall()
    return [urljoin(url, h) for h in hrefs], sel


def sitemap_entries(client: Client) -> dict[str, str]:
    """``loc -> lastmod`` of the served sitemap.xml."""
    status, _, body = client.get("/sitemap.xml")
    assert status == 200
    root = ET.fromstring(body)
    return {
        url.findtext(f"{SITEMAP_NS}loc", ""): url.findtext(f"{SITEMAP_NS}lastmod", "")
        for url in root.iter(f"{SITEMAP_NS}url")
    }


# --- the model ---------------------------------------------------------------------------------


def test_spec_is_validated() -> None:
    for bad in (
        {"articles": -1},
        {"columns": 0},
        {"languages": ("en",)},
        {"url_mode": "static"},
        {"list_page_size": 0},
        {"latency": -1.0},
    ):
        with pytest.raises(ValueError):
            SiteSpec(**bad)  # type: ignore[arg-type]


def test_words_hold_no_markup_characters() -> None:
    """Titles, bodies and names are written into HTML unescaped, so no word may need it."""
    lists = [getattr(sitegen, n) for n in dir(sitegen) if n.startswith(("CN_", "EN_"))]
    words = [
        word
        for values in lists
        if isinstance(values, tuple)
        for value in values
        for word in (value if isinstance(value, tuple) else (value,))
    ]
    assert words
    assert not [w for w in words if set(w) & set("<>&\"'|")]


def test_same_seed_gives_same_bytes_and_truth() -> None:
    spec = SiteSpec(seed=5, articles=120, languages=("cn", "en"))
    one, two, other = Site(spec), Site(spec), Site(SiteSpec(seed=6, articles=120))
    origin = "http://127.0.0.1:1"
    col = one.columns[0]
    for target in ("/", one.column_path_url(col, 2), one.article_path(7), "/robots.txt"):
        assert one.respond("GET", target, {}, origin) == two.respond("GET", target, {}, origin)
    sitemaps = [s.respond("GET", "/sitemap.xml", {}, origin).content() for s in (one, two)]
    assert sitemaps[0] == sitemaps[1]
    assert list(one.truth(origin)) == list(two.truth(origin))
    assert list(one.truth(origin)) != list(other.truth(origin))
    assert one.mutate(added=3, edited_redated=2, deleted=1) == two.mutate(
        added=3, edited_redated=2, deleted=1
    )
    assert list(one.truth(origin)) == list(two.truth(origin))


def test_truth_records_have_the_corpus_shape() -> None:
    site = Site(SiteSpec(seed=2, articles=400, languages=("cn", "en")))
    truth = list(site.truth("http://127.0.0.1:9"))
    assert len(truth) == 400
    assert len({r["title"] for r in truth}) == 400, "titles are unique per id"
    for record in truth:
        assert record["key"] == str(record["id"])
        assert record["urls"] == [record["url"]]
        assert record["duplicate_keys"] == []
        assert record["column"] == record["column_path"][-1]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", record["published_iso"])
        for image in record["images"]:
            assert image["src"].startswith("http://127.0.0.1:9/upload/")
        if record["source"]:
            assert record["body_text"].split("\n\n")[0].endswith(record["source"])
    # The variety the crawler must handle is there.
    assert {r["lang"] for r in truth} == {"cn", "en"}
    assert any(r["author"] == "" for r in truth)
    assert any("\t" in r["body_text"] for r in truth)
    assert any(r["attachments"] for r in truth)
    assert any(i["alt"] == "图片关键词" for r in truth for i in r["images"])
    assert any(len(r["column_path"]) == 2 for r in truth)
    assert any(len(r["column_path"]) == 1 for r in truth)


def test_truth_needs_an_origin() -> None:
    with pytest.raises(ValueError):
        next(Site(SiteSpec(articles=3)).truth())


# --- pages through the server --------------------------------------------------------------------


def test_list_pages_cover_each_column_once_with_the_right_page_count(
    served: tuple[Site, SiteServer, Client],
) -> None:
    site, server, client = served
    truth = list(site.truth())
    for col in site.columns:
        want = {
            r["url"]
            for r in truth
            if r["column_id"] == col.id or col.name in r["column_path"][:-1]
            if r["lang"] == col.lang
        }
        first = server.origin + site.column_path_url(col)
        urls, sel = list_articles(client, first)
        pattern = sel.css("#metPageT::attr(data-pageurl)").get("")
        pages = int(pattern.split("|")[2])
        assert pages == max(1, math.ceil(len(want) / site.spec.list_page_size)), col
        seen = list(urls)
        for page in range(2, pages + 1):
            page_urls, sel = list_articles(client, server.origin + site.column_path_url(col, page))
            seen += page_urls
            assert sel.css(".met_pager a.Ahover::text").get() == str(page)
            numbered = [int(t) for t in sel.css(".met_pager a:not([class])::text").getall()]
            assert len(numbered) <= 2 * sitegen.PAGER_WINDOW  # a window, not every page
            assert bool(sel.css(".met_pager a.NextA")) == (page < pages)
        assert len(seen) == len(set(seen)), f"an article listed twice in {col.name}"
        assert set(seen) == want, col.name


def test_pager_markup_is_metinfo_7(served: tuple[Site, SiteServer, Client]) -> None:
    site, _, client = served
    col = max(site.columns, key=lambda c: len(site.list_ids(c.id)))
    pages = site.page_count(col.id)
    assert pages >= 8
    _, _, body = client.get(site.column_path_url(col, 4))
    text = body.decode()
    pager = text[text.index("<div class='met_pager'>") : text.index("id='metPageB'")]
    assert "<a href='" in pager and "class='Ahover'>4</a>" in pager
    assert "class='firstPage'>1...</a>" in pager and f"class='lastPage'>...{pages}</a>" in pager
    assert "class='PreA'" in pager and "class='NextA'" in pager
    assert f"id='metPageT' data-pageurl='index.php?lang={col.lang}&class1={col.id}&page=|" in pager


def test_sitemap_lists_every_live_article_with_its_date(
    served: tuple[Site, SiteServer, Client],
) -> None:
    site, server, client = served
    entries = sitemap_entries(client)
    truth = {r["url"]: r for r in site.truth()}
    articles = {loc: day for loc, day in entries.items() if loc in truth}
    assert set(articles) == set(truth)
    assert all(day == truth[loc]["published"][:10] for loc, day in articles.items())
    others = set(entries) - set(articles)
    homes = {server.origin + site.home_path(lang) for lang in site.spec.languages}
    columns = {server.origin + site.column_path_url(c, nav=True) for c in site.columns}
    assert others == homes | columns


def test_robots_names_the_sitemap_and_disallows_upload(
    served: tuple[Site, SiteServer, Client],
) -> None:
    _, server, client = served
    status, response, body = client.get("/robots.txt")
    assert status == 200
    lines = body.decode().splitlines()
    assert "Disallow: /upload/" in lines
    assert f"Sitemap: {server.origin}/sitemap.xml" in lines
    assert response.getheader("Last-Modified")


def test_missing_deleted_and_unknown(served: tuple[Site, SiteServer, Client]) -> None:
    site, _, client = served
    folder = site.columns[0].folder
    missing = site.max_id + 50
    if site.spec.url_mode == "pseudo":
        target = f"/{folder}/{missing}.html"
    else:
        target = f"/{folder}/shownews.php?id={missing}"
    status, response, body = client.get(target)
    assert (status, body) == (200, b"")  # MetInfo 7.2.0: a missing id is an empty 200
    assert response.getheader("Content-Length") == "0"
    assert client.get("/no/such/page.html")[0] == 404
    assert client.get("/nofolder/shownews.php?id=1")[0] == 404
    status, response, body = client.get("/upload/201905/15795434870002.jpg")
    assert (status, body[:2], response.getheader("Content-Type")) == (
        200,
        b"\xff\xd8",
        "image/jpeg",
    )
    assert client.get("/upload/file/x.pdf")[2].startswith(b"%PDF-")


def test_article_pages_show_the_truth(served: tuple[Site, SiteServer, Client]) -> None:
    """Title, time, publisher, breadcrumb, generator meta, images and attachments of ~50
    articles read off their pages with parsel, against the truth."""
    site, _, client = served
    truth = list(site.truth())
    for record in random.Random(1).sample(truth, 50):
        status, response, body = client.get(record["url"])
        assert status == 200 and response.getheader("Content-Length") == str(len(body))
        sel = Selector(text=body.decode("utf-8"))
        assert sel.css("section.details-title h1::text").get() == record["title"]
        spans = sel.css(".details-title .info > span")
        assert len(spans) == 3
        assert spans[0].xpath("string()").get() == record["published"]
        assert spans[1].xpath("string()").get() == record["author"]
        assert spans[2].css("i.wb-eye") and spans[2].xpath("string()").get("").strip().isdigit()
        crumbs = sel.css(".met-crumbs ol.breadcrumb li.breadcrumb-item a::text").getall()
        assert crumbs[1:] == record["column_path"]
        meta = sel.xpath("//meta[@name='generator']")
        assert meta.attrib["content"] == "MetInfo 7.2.0"
        fields = meta.attrib["data-variable"].split("|")
        assert len(fields) == 7 and fields[4] == "2" and fields[6] == str(record["id"])
        assert fields[1] == record["lang"] and fields[5] == str(record["column_id"])
        editor = sel.css("section.met-editor")
        images = [
            (
                urljoin(record["url"], img.attrib.get("data-original") or img.attrib["src"]),
                img.attrib["alt"],
            )
            for img in editor.css("img")
        ]
        assert images == [(i["src"], i["alt"]) for i in record["images"]]
        links = [
            (urljoin(record["url"], a.attrib["href"]), a.xpath("string()").get())
            for a in editor.css("a")
        ]
        assert links == [(a["href"], a["text"]) for a in record["attachments"]]
        assert len(sel.css(".met-page ul.pagination li.page-item a.page-link")) == 2


def test_home_links_columns_languages_and_recent_articles(
    served: tuple[Site, SiteServer, Client],
) -> None:
    site, server, client = served
    sel = client.page("/")
    hrefs = {urljoin(server.origin + "/", h) for h in sel.css("a::attr(href)").getall()}
    for col in site.columns:
        if col.lang == "cn":
            assert server.origin + site.column_path_url(col, nav=True) in hrefs
    assert server.origin + site.home_path("en") in hrefs
    recent = [
        urljoin(server.origin + "/", h) for h in sel.css(".met-index-news a::attr(href)").getall()
    ]
    newest = max(
        (r for r in site.truth() if r["lang"] == "cn"), key=lambda r: (r["published"], r["id"])
    )
    assert recent[0] == newest["url"]


def test_url_forms_of_the_mode(served: tuple[Site, SiteServer, Client]) -> None:
    site, _, client = served
    en = next(c for c in site.columns if c.lang == "en" and c.parent is None)
    article = next(r for r in site.truth() if r["lang"] == "en")
    path = urlsplit(article["url"])
    if site.spec.url_mode == "dynamic":
        assert path.path.endswith("/shownews.php") and path.query == f"id={article['id']}&lang=en"
        assert site.column_path_url(en, 2).endswith(f"/index.php?class1={en.id}&page=2&lang=en")
    else:
        assert path.path.endswith(f"/{article['id']}-en.html")
        assert site.column_path_url(en, 2).endswith(f"/list-{en.id}-2-en.html")
        # 7.x sends .php URLs to the pseudo-static form when pseudo is on (guide §1.3).
        status, response, _ = client.get(f"/{en.folder}/shownews.php?id={article['id']}")
        assert status == 302 and response.getheader("Location") == article["url"]


def test_head_and_conditional_get() -> None:
    site = Site(SiteSpec(seed=3, articles=60))
    with SiteServer(site) as server:
        client = Client(server)
        for target in ("/robots.txt", "/sitemap.xml"):
            status, response, body = client.get(target)
            stamp = response.getheader("Last-Modified", "")
            etag = response.getheader("ETag", "")
            assert status == 200 and body and stamp and etag
            assert client.get(target, {"If-Modified-Since": stamp})[0] == 304
            assert client.get(target, {"If-None-Match": etag})[0] == 304
            earlier = formatdate(site.last_modified - 3600, usegmt=True)
            assert client.get(target, {"If-Modified-Since": earlier})[0] == 200
            status, response, body = client.get(target, method="HEAD")
            assert status == 200 and body == b""
            assert response.getheader("ETag") == etag
        _, response, _ = client.get("/robots.txt", method="HEAD")
        assert response.getheader("Content-Length") == str(len(client.get("/robots.txt")[2]))
        _, response, _ = client.get("/sitemap.xml", method="HEAD")
        assert response.getheader("Transfer-Encoding") == "chunked"  # streamed, never held whole
        _, response, _ = client.get("/sitemap.xml")
        stamp = response.getheader("Last-Modified", "")
        site.mutate(added=1)
        status, response, body = client.get("/sitemap.xml", {"If-Modified-Since": stamp})
        assert status == 200 and response.getheader("Last-Modified") != stamp
        assert client.get("/robots.txt", {"If-Modified-Since": stamp})[0] == 304
        client.close()
        methods = [(r.method, r.path, r.status) for r in server.requests]
        assert ("HEAD", "/sitemap.xml", 200) in methods
        assert server.request_count == len(methods)


# --- mutations --------------------------------------------------------------------------------


def test_mutate_sets_are_exact_and_visible() -> None:
    site = Site(SiteSpec(seed=8, articles=300, languages=("cn", "en"), list_page_size=10))
    with SiteServer(site) as server:
        client = Client(server)
        before = {r["id"]: r for r in site.truth()}
        old_sitemap = sitemap_entries(client)
        changes = site.mutate(added=6, edited_redated=4, edited_body_only=3, deleted=5, backdated=2)
        assert (len(changes.added), len(changes.redated)) == (6, 4)
        assert (len(changes.body_only), len(changes.deleted)) == (3, 5)
        edited = [*changes.redated, *changes.body_only, *changes.deleted]
        assert len(set(edited)) == len(edited) and set(edited) <= set(before)
        assert changes.added == list(range(301, 307))
        after = {r["id"]: r for r in site.truth()}

        assert set(after) == (set(before) - set(changes.deleted)) | set(changes.added)
        newest_before = max(r["published"] for r in before.values())
        for i in changes.redated:
            assert after[i]["body_text"] != before[i]["body_text"]
            assert after[i]["published"] > newest_before
            assert after[i]["title"] == before[i]["title"]
        for i in changes.body_only:
            assert after[i]["body_text"] != before[i]["body_text"]
            assert after[i]["published"] == before[i]["published"]
        untouched = set(before) - set(edited)
        assert all(after[i] == before[i] for i in untouched)
        backdated, fresh = changes.added[:2], changes.added[2:]
        assert all(after[i]["published"] > newest_before for i in fresh)
        assert all(after[i]["published"] < newest_before for i in backdated)

        # Lists: fresh and re-dated articles top their column's first page; deleted ones are
        # on no page; the sitemap follows the same sets.
        for i in [*fresh, *changes.redated]:
            col = site.column(after[i]["column_id"])
            first, _ = list_articles(client, server.origin + site.column_path_url(col))
            assert after[i]["url"] in first
        listed = set()
        for col in site.columns:
            for page in range(1, site.page_count(col.id) + 1):
                listed |= set(
                    list_articles(client, server.origin + site.column_path_url(col, page))[0]
                )
        assert listed == {r["url"] for r in after.values()}
        new_sitemap = sitemap_entries(client)
        assert {before[i]["url"] for i in changes.deleted}.isdisjoint(new_sitemap)
        assert {after[i]["url"] for i in changes.added} <= set(new_sitemap)
        old_urls = {r["url"] for r in before.values()}
        moved = {u for u, day in new_sitemap.items() if u in old_urls and old_sitemap[u] != day}
        assert moved <= {after[i]["url"] for i in changes.redated}
        for i in changes.deleted:
            status, _, body = client.get(before[i]["url"])
            assert (status, body) == (200, b"")
        client.close()

    with pytest.raises(ValueError):
        site.mutate(deleted=10_000)


# --- server and CLI ------------------------------------------------------------------------------


def test_server_refuses_a_non_loopback_host() -> None:
    with pytest.raises(ValueError):
        SiteServer(Site(SiteSpec(articles=1)), host="0.0.0.0")


def test_cli_serves_until_sigterm(tmp_path: Path) -> None:
    truth = tmp_path / "truth.jsonl"
    cmd = [sys.executable, "-m", "bench.sitegen", "--articles", "30", "--seed", "4"]
    cmd += ["--mode", "pseudo", "--languages", "cn,en", "--truth", str(truth)]
    proc = subprocess.Popen(
        cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"serving generated site at (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        conn = http.client.HTTPConnection("127.0.0.1", int(match[2]), timeout=10)
        conn.request("GET", "/robots.txt")
        assert conn.getresponse().read().endswith(f"Sitemap: {match[1]}/sitemap.xml\n".encode())
        conn.close()
        records = [json.loads(x) for x in truth.read_text(encoding="utf-8").splitlines()]
        assert len(records) == 30 and records[0]["url"].startswith(match[1] + "/")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_latency_is_added_per_response() -> None:
    site = Site(SiteSpec(articles=5, latency=0.05))
    with SiteServer(site) as server:
        client = Client(server)
        start = time.perf_counter()
        for _ in range(3):
            client.get("/robots.txt")
        assert time.perf_counter() - start >= 0.15
        client.close()


# --- end to end --------------------------------------------------------------------------------


def test_scrapy_crawl_of_a_generated_site_matches_its_truth(tmp_path: Path) -> None:
    site = Site(SiteSpec(seed=21, articles=200, languages=("cn", "en")))
    output = tmp_path / "out.jsonl"
    settings = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOGSTATS_INTERVAL=0"]
    with SiteServer(site) as server:
        truth = list(site.truth())
        result = subprocess.run(
            [
                *(sys.executable, "-m", "scrapy", "crawl", "metinfo"),
                *("-a", f"url={server.origin}/", "-O", str(output)),
                *(arg for setting in settings for arg in ("-s", setting)),
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=CRAWL_TIMEOUT,
            check=False,
        )
    tail = "\n".join(result.stderr.splitlines()[-40:])
    assert result.returncode == 0, tail
    items = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    report = compare(truth, items)
    problems: dict[str, Any] = {
        "missing": report.missing[:10],
        "extra": report.extra[:10],
        "duplicated": report.duplicated[:10],
        "mismatches": report.mismatches[:10],
    }
    assert report.ok, json.dumps(problems, ensure_ascii=False, indent=1, default=str)
    assert report.matched == 200
