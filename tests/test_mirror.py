"""Issue 5, mirrored files: robots.txt by default, opt-in, content-hash folders, hostile names."""

from __future__ import annotations

import hashlib
import json
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.items import NewsArticle
from pipelines.mirror import (
    MAX_NAME_BYTES,
    ContainedFilesStore,
    MirrorFilesPipeline,
    in_scope,
    safe_file_name,
)
from tests.archiving import crawl_site, iter_files
from tests.support import SAMPLE_SITE, assert_items_valid

# (URL, what the name must be); None: only the safety properties are checked.
HOSTILE_NAMES: list[tuple[str, str | None]] = [
    ("http://h/upload/..%2F..%2F..%2Fetc%2Fpasswd", None),
    ("http://h/upload/..%2f..%2fescape.png", None),
    ("http://h/upload/%2e%2e%2f%2e%2e%2fescape.png", None),
    ("http://h/upload/..%5C..%5Cwindows.png", None),
    ("http://h/upload/%2e%2e", "file"),
    ("http://h/upload/%2E", "file"),
    ("http://h/upload/", "file"),
    ("http://h/upload/...", "file"),
    ("http://h/upload/.htaccess", "htaccess"),
    ("http://h/upload/a%00b.png", "a_b.png"),
    ("http://h/upload/C:%5Cboot.ini", "C__boot.ini"),
    ("http://h/upload/%EF%BC%8Fetc%EF%BC%8Fpasswd", "_etc_passwd"),  # fullwidth solidus
    ("http://h/upload/CON", "_CON"),
    ("http://h/upload/con.txt", "_con.txt"),
    ("http://h/upload/Lpt1.pdf", "_Lpt1.pdf"),
    ("http://h/upload/AUX.tar.gz", "_AUX.tar.gz"),
    ("http://h/upload/nul%20.png", "_nul.png"),
    ("http://h/upload/COM%C2%B9.png", "_COM¹.png"),
    ("http://h/upload/" + "a" * 400 + ".pdf", None),
    ("http://h/upload/" + "%E9%95%BF" * 200 + ".docx", None),
    ("http://h/upload/%E9%80%9A%E7%9F%A5.pdf", "通知.pdf"),
    ("http://h/upload/report.pdf?download=../../x", "report.pdf"),
    ("http://h/upload/file.name.with.dots.xlsx", "file.name.with.dots.xlsx"),
]


def assert_safe(name: str) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert Path(name).name == name


@pytest.mark.parametrize(("url", "expected"), HOSTILE_NAMES)
def test_a_name_from_a_url_stays_a_plain_file_name(url: str, expected: str | None) -> None:
    name = safe_file_name(url)
    assert_safe(name)
    if expected is not None:
        assert name == expected


def test_long_names_are_cut_keeping_the_extension() -> None:
    assert safe_file_name("http://h/upload/" + "a" * 400 + ".pdf").endswith("a.pdf")
    name = safe_file_name("http://h/upload/" + "%E9%95%BF" * 200 + ".docx")
    assert name.endswith("长.docx")  # cut on a character boundary


def test_an_extension_is_guessed_from_the_content_type_when_the_url_has_none() -> None:
    assert safe_file_name("http://h/download.php", "application/pdf") == "download.php"
    assert safe_file_name("http://h/file/", "application/pdf") == "file.pdf"


@pytest.mark.parametrize(
    ("url", "site", "expected"),
    [
        ("http://h/upload/a.png", "http://h/", True),
        ("http://H/upload/a.png", "http://h/", True),
        ("https://h/upload/a.png", "http://h/", True),
        ("http://cdn.h/upload/a.png", "http://h/", False),
        ("http://h:8080/upload/a.png", "http://h/", False),
        ("http://h/other/a.png", "http://h/cms/", False),
        ("http://h/cms/upload/a.png", "http://h/cms/", True),
        ("ftp://h/upload/a.png", "http://h/", False),
        ("http://h/upload/a.png", "", False),
    ],
)
def test_scope_is_the_articles_own_site(url: str, site: str, expected: bool) -> None:
    assert in_scope(url, site) is expected


# --- the pipeline without a crawl ----------------------------------------------------------------


def make_pipeline(mirror: Path, **settings: Any) -> MirrorFilesPipeline:
    crawler = get_crawler(settings_dict={"METINFO_MIRROR": str(mirror), **settings})
    crawler._apply_settings()
    return MirrorFilesPipeline.from_crawler(crawler)


def test_off_unless_a_folder_is_set() -> None:
    from scrapy.exceptions import NotConfigured

    crawler = get_crawler(settings_dict={"METINFO_MIRROR": ""})
    with pytest.raises(NotConfigured):
        MirrorFilesPipeline.from_crawler(crawler)
    assert NewsArticle(url="http://h/").files == []


def test_requests_are_for_the_sites_own_files_with_the_caps(tmp_path: Path) -> None:
    pipeline = make_pipeline(
        tmp_path, METINFO_MIRROR_MAX_BYTES=1234, METINFO_MIRROR_IGNORE_ROBOTS=True
    )
    item = NewsArticle(
        url="http://h/news/shownews.php?id=1",
        site="http://h/",
        images=[
            {"url": "http://h/upload/a.png", "alt": None},
            {"url": "http://cdn.example/b.png", "alt": None},
            {"url": "http://h/upload/a.png", "alt": "again"},
        ],
        attachments=[{"url": "http://h/upload/c.pdf", "name": "c"}],
    )
    requests = pipeline.get_media_requests(item, None)  # type: ignore[arg-type]
    assert [r.url for r in requests] == ["http://h/upload/a.png", "http://h/upload/c.pdf"]
    assert all(r.meta["download_maxsize"] == 1234 for r in requests)
    assert all(r.meta["dont_obey_robotstxt"] for r in requests)
    assert pipeline.stats.get_value("metinfo/mirror/skipped_offsite") == 1
    obeying = make_pipeline(tmp_path / "other")
    assert not any(
        r.meta.get("dont_obey_robotstxt")
        for r in obeying.get_media_requests(item, None)  # type: ignore[arg-type]
    )


def test_hostile_names_never_write_outside_the_mirror(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    pipeline = make_pipeline(mirror)
    for number, (url, _) in enumerate(HOSTILE_NAMES):
        body = f"content {number}".encode()
        request = Request(url)
        response = Response(url, body=body, request=request)
        checksum = pipeline.file_downloaded(response, request, None)  # type: ignore[arg-type]
        path = pipeline.file_path(request, response=response)
        assert checksum == hashlib.sha256(body).hexdigest()
        assert path.split("/")[:2] == [checksum[:2], checksum]
        assert (mirror / path).read_bytes() == body
    written = list(iter_files(tmp_path))
    assert len(written) == len(HOSTILE_NAMES)
    assert all(p.resolve().is_relative_to(mirror.resolve()) for p in written)


@pytest.mark.parametrize("path", ["../outside.txt", "ab/../../outside.txt", ".."])
def test_the_store_refuses_a_path_that_leaves_its_folder(tmp_path: Path, path: str) -> None:
    store = ContainedFilesStore(str(tmp_path / "mirror"))
    with pytest.raises(ValueError, match="outside"):
        store.persist_file(path, BytesIO(b"x"), None)  # type: ignore[arg-type]
    assert list(iter_files(tmp_path)) == []


def test_the_store_reads_a_leading_slash_inside_its_folder(tmp_path: Path) -> None:
    store = ContainedFilesStore(str(tmp_path / "mirror"))
    store.persist_file("/etc/x", BytesIO(b"x"), None)  # type: ignore[arg-type]
    assert list(iter_files(tmp_path)) == [tmp_path / "mirror" / "etc" / "x"]


# --- crawls of the sample site -------------------------------------------------------------------


def sample_files() -> dict[str, bytes]:
    """Path -> bytes of the sample's /upload/ files."""
    manifest = json.loads((SAMPLE_SITE / "manifest.json").read_text(encoding="utf-8"))
    return {
        e["path"]: (SAMPLE_SITE / e["file"]).read_bytes()
        for e in manifest["responses"]
        if e["path"].startswith("/upload/")
    }


def test_by_default_robots_txt_keeps_upload_out_and_the_summary_says_so(tmp_path: Path) -> None:
    crawl = crawl_site(SAMPLE_SITE, tmp_path, warc=False, mirror=True)
    assert [r.path for r in crawl.requests if r.path.startswith("/upload/")] == []
    assert all(item["files"] == [] for item in crawl.run.items)
    assert_items_valid(crawl.run.items)
    log = crawl.run.stderr
    assert "'metinfo/mirror/skipped_robots': 4" in log
    wanted = {
        crawl.origin + path for path in sample_files() if not path.endswith("qinghe-logo.png")
    }
    listed = [line for line in log.splitlines() if "robots.txt disallows 4 files" in line]
    assert listed and all(url in listed[0] for url in wanted)
    assert "METINFO_MIRROR_IGNORE_ROBOTS=1" in listed[0]


def test_with_the_opt_in_files_are_stored_by_content_hash(tmp_path: Path) -> None:
    crawl = crawl_site(
        SAMPLE_SITE, tmp_path, "METINFO_MIRROR_IGNORE_ROBOTS=1", warc=False, mirror=True
    )
    assert crawl.mirror_dir is not None
    assert_items_valid(crawl.run.items)
    originals = sample_files()
    mirrored = [f for item in crawl.run.items for f in item["files"]]
    assert {f["url"] for f in mirrored} == {
        crawl.origin + p for p in originals if not p.endswith("qinghe-logo.png")
    }
    for item in crawl.run.items:
        wanted = [i["url"] for i in item["images"]] + [a["url"] for a in item["attachments"]]
        assert [f["url"] for f in item["files"]] == wanted
    for entry in mirrored:
        stored = (crawl.mirror_dir / entry["path"]).read_bytes()
        assert stored == originals[entry["url"].removeprefix(crawl.origin)]
        assert entry["checksum"] == hashlib.sha256(stored).hexdigest()
        assert entry["path"].startswith(f"{entry['checksum'][:2]}/{entry['checksum']}/")
    # Pages still obey robots.txt: nothing else under a disallowed folder was requested.
    disallowed = ("/app/", "/admin/", "/public/", "/templates/", "/member/")
    assert [r.path for r in crawl.requests if r.path.startswith(disallowed)] == []
    assert "'metinfo/mirror/stored': 4" in crawl.run.stderr


# A page of the sample whose body links hostile file names (all in scope), one file over the cap.
HOSTILE_PATHS = [
    "/upload/..%2F..%2F..%2Fescape.png",
    "/upload/%2e%2e%2f%2e%2e%2fescape2.png",
    "/upload/..%5C..%5Cwin.png",
    "/upload/%2e%2e",
    "/upload/CON",
    "/upload/" + "%E9%95%BF" * 120 + ".pdf",
    "/upload/%00.png",
]
BIG_FILE = "/upload/big.pdf"


def hostile_site(dest: Path) -> Path:
    shutil.copytree(SAMPLE_SITE, dest)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    page = dest / "pages" / "news-shownews-1.html"
    links = "".join(f'<p><img src="..{p}" alt="x{n}"></p>' for n, p in enumerate(HOSTILE_PATHS))
    links += f'<p><a href="..{BIG_FILE}">big.pdf</a></p>'
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<p>3月4日", links + "<p>3月4日", 1), encoding="utf-8")
    for number, path in enumerate(HOSTILE_PATHS):
        (dest / "pages" / f"hostile-{number}.bin").write_bytes(f"hostile {number}".encode())
        manifest["responses"].append(
            {"path": path, "headers": {"Content-Type": "image/png"},
             "file": f"pages/hostile-{number}.bin"}
        )  # fmt: skip
    (dest / "pages" / "big.bin").write_bytes(b"%PDF" + b"0" * 50_000)
    manifest["responses"].append(
        {"path": BIG_FILE, "headers": {"Content-Type": "application/pdf"}, "file": "pages/big.bin"}
    )
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


def test_hostile_urls_in_a_crawl_stay_inside_the_mirror(tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    before = set(iter_files(tmp_path))
    crawl = crawl_site(
        site,
        tmp_path / "run",
        "METINFO_MIRROR_IGNORE_ROBOTS=1",
        "METINFO_MIRROR_MAX_BYTES=20000",
        warc=False,
        mirror=True,
    )
    assert crawl.mirror_dir is not None
    [item] = [i for i in crawl.run.items if i["url"].endswith("shownews.php?id=1")]
    assert len(item["images"]) == len(HOSTILE_PATHS)
    stored = {f["url"].removeprefix(crawl.origin): f for f in item["files"]}
    assert set(stored) == set(HOSTILE_PATHS), "each hostile file was fetched and stored"
    for entry in stored.values():
        assert_safe(entry["path"].split("/")[-1])
        assert (crawl.mirror_dir / entry["path"]).is_file()
    assert BIG_FILE not in {u.removeprefix(crawl.origin) for u in stored}
    assert "'metinfo/mirror/skipped_too_large': 1" in crawl.run.stderr
    created = set(iter_files(tmp_path)) - before
    outside = [p for p in created if not p.resolve().is_relative_to(crawl.mirror_dir.resolve())]
    # Only the run's own output files are outside the mirror.
    assert {p.name for p in outside} <= {
        "articles.jsonl",
        "articles.jsonl.summary.json",
        ".articles.jsonl.lock",
    }, outside
    assert_items_valid(crawl.run.items)
