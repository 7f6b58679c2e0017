"""Giant responses and bombs (issue 7): endless bodies, gzip/deflate/brotli/zstd bombs in an
article and in a sitemap, an XML bomb (billion laughs) and external entities in a sitemap.

Each crawl runs under an address-space limit (``RLIMIT_AS``) that a crawler holding one of
these bodies whole could not live in, with ``DOWNLOAD_MAXSIZE`` at 4 MiB: a body past the cap
is dropped (never parsed: a cut body is a truncated body), the request is listed as failed,
and the rest of the crawl goes on.  Each bomb starts with a complete-looking article, so an
item built from the part before the cut would show.
"""

from __future__ import annotations

import pytest

from tests.hostile import bombs, pages
from tests.hostile.faultserver import FaultServer, Reply, Stream, html, plain
from tests.hostile.harness import Crawl, crawl

MIB = 1024 * 1024
MAXSIZE = 4 * MIB
BOMB_MIB = 256  # what each bomb inflates to, past the prefix
# A scrapy crawl needs about 100 MiB of address space here; a crawler that inflated one
# 256 MiB bomb whole would need more than this.
MEMORY = 320 * MIB
SETTINGS = (f"DOWNLOAD_MAXSIZE={MAXSIZE}", f"DOWNLOAD_WARNSIZE={MAXSIZE // 2}")
ART = "/news/shownews.php?id={}"
HTML = ("Content-Type", "text/html; charset=utf-8")
XML = ("Content-Type", "application/xml")


def encoded(body: bytes, encoding: str, content_type: tuple[str, str] = HTML) -> Reply:
    return Reply(200, (content_type, ("Content-Encoding", encoding)), body)


# --- in articles ---------------------------------------------------------------------------------

BOMB_IDS = {
    81: "gzip",
    82: "deflate (zlib)",
    83: "deflate (raw)",
    84: "br",
    85: "zstd",
    86: "giant, Content-Length",
    87: "giant, close-delimited",
}


def article_bytes(article_id: int) -> bytes:
    return pages.simple_article(article_id).encode("utf-8")


def serve_article_bombs(server: FaultServer) -> None:
    route = lambda i, answer: server.route(ART.format(i), answer)  # noqa: E731
    route(81, encoded(bombs.gzip_bomb(article_bytes(81), BOMB_MIB), "gzip"))
    route(82, encoded(bombs.zlib_bomb(article_bytes(82), BOMB_MIB), "deflate"))
    route(83, encoded(bombs.raw_deflate_bomb(article_bytes(83), BOMB_MIB), "deflate"))
    route(84, encoded(bombs.brotli_bomb(article_bytes(84), BOMB_MIB), "br"))
    route(85, encoded(bombs.zstd_bomb(article_bytes(85), BOMB_MIB), "zstd"))
    route(86, Stream(64 * MIB, headers=(HTML,), head=article_bytes(86), length=True))
    route(87, Stream(300 * MIB, headers=(HTML,), head=article_bytes(87)))
    # A small compressed article is read as usual, and so is a plain one.
    route(88, encoded(bombs.gzip_bomb(article_bytes(88), 0), "gzip"))
    route(89, html(article_bytes(89)))


@pytest.fixture(scope="module")
def article_bomb_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        serve_article_bombs(server)
        out = tmp_path_factory.mktemp("bombs") / "items.jsonl"
        ids = [*BOMB_IDS, 88, 89]
        run = crawl([server.origin + ART.format(i) for i in ids], out, *SETTINGS, memory=MEMORY)
        return run, server


def test_bombs_and_giants_in_articles_export_nothing_and_the_crawl_goes_on(
    article_bomb_crawl: tuple[Crawl, FaultServer],
) -> None:
    run, server = article_bomb_crawl
    assert run.returncode == 0, run.tail()
    assert "MemoryError" not in run.log
    got = sorted((pages.fields(i) for i in run.items), key=lambda i: i["article_id"])
    assert got == [
        pages.simple_expected(server.origin, 88),
        pages.simple_expected(server.origin, 89),
    ]


def test_each_bomb_is_requested_once_and_listed_as_failed(
    article_bomb_crawl: tuple[Crawl, FaultServer],
) -> None:
    run, server = article_bomb_crawl
    assert {i: server.count(ART.format(i)) for i in BOMB_IDS} == dict.fromkeys(BOMB_IDS, 1)
    failed = sorted(run.stat("metinfo/failed_urls", []))
    assert failed == sorted(server.origin + ART.format(i) for i in BOMB_IDS)
    assert run.summary is not None
    assert run.summary["errors"]["failed_requests"] == len(BOMB_IDS)


def test_memory_stays_far_below_a_bomb(article_bomb_crawl: tuple[Crawl, FaultServer]) -> None:
    run, _ = article_bomb_crawl
    assert 0 < run.stat("memusage/max") < 200 * MIB


# --- in sitemaps, with an XML bomb and external entities ------------------------------------

LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE urlset [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{origin}/news/shownews.php?id=&lol9;</loc></url>
</urlset>
"""

# Three ways a sitemap can ask its reader to fetch something: an external DTD, a parameter
# entity and a general entity.  Each would lead the crawler to /xxe/..., and the general one
# would put article 98's URL into a <loc>.
XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE urlset SYSTEM "{origin}/xxe/urlset.dtd" [
<!ENTITY % remote SYSTEM "{origin}/xxe/remote.dtd">
%remote;
<!ENTITY secret SYSTEM "{origin}/xxe/secret.txt">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>&secret;</loc></url>
<url><loc>{origin}/news/shownews.php?id=97</loc></url>
</urlset>
"""

SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    "<url><loc>{origin}/news/shownews.php?id=95</loc></url>\n"
)
SITEMAPS = ("sitemap-gz.xml", "sitemap-br.xml", "sitemap-giant.xml", "laughs.xml", "xxe.xml")
CUT = ("sitemap-gz.xml", "sitemap-br.xml", "sitemap-giant.xml")


def serve_sitemap_bombs(server: FaultServer) -> None:
    origin = server.origin
    robots = "User-agent: *\nDisallow: /member/\n" + "".join(
        f"Sitemap: {origin}/{name}\n" for name in SITEMAPS
    )
    server.route("/robots.txt", plain(robots))
    head = SITEMAP_HEAD.format(origin=origin).encode()
    server.route("/sitemap-gz.xml", encoded(bombs.gzip_bomb(head, BOMB_MIB), "gzip", XML))
    server.route("/sitemap-br.xml", encoded(bombs.brotli_bomb(head, BOMB_MIB), "br", XML))
    entry = f"<url><loc>{origin}/news/shownews.php?id=95</loc></url>\n".encode()
    server.route("/sitemap-giant.xml", Stream(300 * MIB, headers=(XML,), head=head, chunk=entry))
    server.route("/laughs.xml", Reply(200, (XML,), LAUGHS.format(origin=origin).encode()))
    server.route("/xxe.xml", Reply(200, (XML,), XXE.format(origin=origin).encode()))
    # What an entity fetch would get.
    server.route("/xxe/secret.txt", plain(f"{origin}/news/shownews.php?id=98"))
    server.route("/xxe/remote.dtd", plain('<!ENTITY remote2 "x">'))
    server.route("/xxe/urlset.dtd", plain("<!ELEMENT urlset ANY>"))
    server.route("/", html(pages.home('<p><a href="news/shownews.php?id=96">春茶开园</a></p>')))
    for article_id in (95, 96, 97, 98):
        server.route(ART.format(article_id), html(pages.simple_article(article_id)))


@pytest.fixture(scope="module")
def sitemap_bomb_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, FaultServer]:
    with FaultServer() as server:
        serve_sitemap_bombs(server)
        out = tmp_path_factory.mktemp("sitemaps") / "items.jsonl"
        run = crawl(server.origin + "/", out, *SETTINGS, memory=MEMORY)
        return run, server


def test_sitemap_bombs_leave_the_rest_of_the_crawl_alone(
    sitemap_bomb_crawl: tuple[Crawl, FaultServer],
) -> None:
    run, server = sitemap_bomb_crawl
    assert run.returncode == 0, run.tail()
    assert "MemoryError" not in run.log
    exported = {i["article_id"]: pages.fields(i) for i in run.items}
    assert exported.get("96") == pages.simple_expected(server.origin, 96)


def test_each_sitemap_is_requested_once_and_the_cut_ones_are_listed_as_failed(
    sitemap_bomb_crawl: tuple[Crawl, FaultServer],
) -> None:
    run, server = sitemap_bomb_crawl
    assert [server.count(f"/{name}") for name in SITEMAPS] == [1] * len(SITEMAPS)
    failed = sorted(run.stat("metinfo/failed_urls", []))
    assert failed == sorted(f"{server.origin}/{name}" for name in CUT)


def test_external_entities_are_never_fetched(sitemap_bomb_crawl: tuple[Crawl, FaultServer]) -> None:
    run, server = sitemap_bomb_crawl
    assert [t for t in server.targets() if t.startswith("/xxe/")] == []
    assert server.count(ART.format(98)) == 0
    assert "98" not in {i["article_id"] for i in run.items}


def test_entities_are_never_expanded(sitemap_bomb_crawl: tuple[Crawl, FaultServer]) -> None:
    run, server = sitemap_bomb_crawl
    assert [t for t in server.targets() if "lol" in t] == []
    assert 0 < run.stat("memusage/max") < 200 * MIB
