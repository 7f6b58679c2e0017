"""Golden tests: every saved page under tests/fixtures/<family>/<site>-<id>/ against expected.json.

A fixture folder holds ``page.html`` (the raw bytes as served), ``meta.json`` (URL, header
encoding, timezone, fetch time, kind, notes) and ``expected.json`` (UTF-8, sorted keys, indent 2),
whose every value was read off the page by a person.  ``pytest --update-golden`` rewrites
expected.json from the code's output; the diff must then be checked against the page by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.extract import content_hash, extract_article, parse_html
from crawler.extract.dates import site_timezone
from crawler.extract.listing import read_links
from crawler.extract.page import not_article_reason, read_page_meta
from crawler.extract.text import text_lines
from crawler.site import site_root

FIXTURES = Path(__file__).parent / "fixtures"
# Article fields that the golden file does not hold: the fetch time comes from meta.json,
# the hash and the HTML are checked by their own assertions below.
# `files` is filled by the mirror pipeline, not by extraction.
UNCHECKED_FIELDS = ("fetched_at", "content_hash", "body_html", "files")
KINDS = ("article", "list", "not_article")
MISSING = "<missing>"


def fixture_dirs() -> list[Path]:
    return sorted(p.parent for p in FIXTURES.glob("*/*/meta.json"))


def load_meta(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["kind"] in KINDS, f"{folder}: unknown kind {meta['kind']!r}"
    return meta


def response_for(folder: Path, meta: dict[str, Any]) -> HtmlResponse:
    """The page as Scrapy would have received it, so that charset handling is Scrapy's."""
    return HtmlResponse(
        url=meta["url"],
        body=(folder / "page.html").read_bytes(),
        headers={"Content-Type": f"text/html; charset={meta['encoding']}"},
    )


def fetched_at(meta: dict[str, Any]) -> datetime:
    value = datetime.fromisoformat(meta["fetched_at"])
    assert value.tzinfo is not None, "fetched_at in meta.json must be aware"
    return value


# The spider parses with parse_html (lxml's own element classes); a library user may hand
# in Scrapy's response.selector (lxml.html elements).  Both must read every page alike.
PARSERS = ("parse_html", "response.selector")


def extract(
    folder: Path, meta: dict[str, Any], parser: str = PARSERS[0]
) -> tuple[dict[str, Any], Any]:
    """What the code says about the page, in expected.json's shape, and the raw result."""
    response = response_for(folder, meta)
    sel = parse_html(response.text, meta["url"]) if parser == "parse_html" else response.selector
    if meta["kind"] == "article":
        article = extract_article(
            sel, meta["url"], tz=site_timezone(meta["timezone"]), fetched_at=fetched_at(meta)
        )
        data = asdict(article)
        for name in UNCHECKED_FIELDS:
            data.pop(name)
        return data, article
    if meta["kind"] == "list":
        page_meta = read_page_meta(sel)
        links = read_links(
            sel,
            meta["url"],
            site_root(meta["url"], page_meta.site),
            tz=site_timezone(meta["timezone"]),
            fetched_at=fetched_at(meta),
        )
        data = {
            "articles": list(links.articles),
            "pager": list(links.pager),
            "page_count": links.page_count,
        }
        return data, links
    reason = not_article_reason(sel, read_page_meta(sel), meta["url"], response.body)
    return {"reason": reason}, reason


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def body_html_problems(html: str) -> list[str]:
    """No scripts; every link and image source absolute."""
    problems = ["<script in body_html"] if "<script" in html.lower() else []
    if not html:
        return problems
    for url in Selector(text=f"<div>{html}</div>").xpath("//img/@src | //a/@href").getall():
        parts = urlsplit(url)
        if not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc):
            problems.append(f"relative URL {url!r} in body_html")
    return problems


def article_problems(folder: Path, meta: dict[str, Any], article: Any) -> list[str]:
    """What the golden file does not hold: classification, fetch time, hash, body HTML."""
    problems = []
    response = response_for(folder, meta)
    sel = response.selector
    # A real crawl classifies a page before extracting it: an article must pass.
    reason = not_article_reason(sel, read_page_meta(sel), meta["url"], response.body)
    if reason is not None:
        problems.append(f"not_article_reason says {reason!r}")
    want_fetched = fetched_at(meta).astimezone(timezone.utc).isoformat(timespec="seconds")
    if article.fetched_at != want_fetched:
        problems.append(f"fetched_at {article.fetched_at!r} != {want_fetched!r}")
    if article.content_hash != content_hash(article.title, article.body):
        problems.append("content_hash is not the hash of the title and body")
    if article.title and article.body_html and article.title not in article.body.split("\n"):
        # A wide container holds the headline: the HTML leaves it out as the text does.
        html = Selector(text=f"<div>{article.body_html}</div>").root
        if article.title in text_lines(html):
            problems.append("the headline is a line of body_html but not of body")
    return problems + body_html_problems(article.body_html)


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("folder", fixture_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(folder: Path, parser: str, update_golden: bool) -> None:
    meta = load_meta(folder)
    got, raw = extract(folder, meta, parser)
    expected_path = folder / "expected.json"
    if update_golden and parser == PARSERS[0]:
        expected_path.write_text(dump(got), encoding="utf-8")
    text = expected_path.read_text(encoding="utf-8")
    expected = json.loads(text)
    assert text == dump(expected), "expected.json must be UTF-8 JSON, sorted keys, indent 2"

    # Every differing field at once, each as (expected, got), so that a failure names them
    # all; a field the code returns but expected.json lacks (a new item field) differs too.
    wrong = {
        key: (expected.get(key, MISSING), got.get(key, MISSING))
        for key in sorted(set(expected) | set(got))
        if key not in expected or key not in got or expected[key] != got[key]
    }
    problems = article_problems(folder, meta, raw) if meta["kind"] == "article" else []
    assert not wrong and not problems, (
        "fields (expected, got): "
        + json.dumps(wrong, ensure_ascii=False, indent=1)
        + "\nother problems: "
        + "; ".join(problems)
    )


def list_dates_dirs() -> list[Path]:
    return [folder for folder in fixture_dirs() if (folder / "expected_dates.json").exists()]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("folder", list_dates_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_list_dates(folder: Path, parser: str) -> None:
    """The day beside each entry of a list page (what an incremental run compares with the
    stored day of a known article): expected_dates.json maps each article URL to the day a
    reader sees, or null when the entry shows none."""
    meta = load_meta(folder)
    _, links = extract(folder, meta, parser)
    want = json.loads((folder / "expected_dates.json").read_text(encoding="utf-8"))
    got = {url: links.dates.get(url) for url in links.articles}
    wrong = {url: (day, got.get(url)) for url, day in want.items() if got.get(url) != day}
    assert set(want) == set(got) and not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_a_second_url_form_of_a_listed_article_is_an_alias() -> None:
    """A list whose titles link 318.html and whose 详情>> links shownews.php?id=318 lists
    each article once, under the title's URL; the other form is kept as an alias (a crawl
    tries it when the first fails)."""
    folder = FIXTURES / "generic" / "shengzhoulingdai-list-6-p2"
    _, links = extract(folder, load_meta(folder), PARSERS[0])
    origin = "http://www.shengzhoulingdai.example/news/"
    assert list(links.articles)[:2] == [f"{origin}318.html", f"{origin}315.html"]
    assert len(links.articles) == 8
    assert f"{origin}shownews.php?id=318" in links.aliases
    assert {ref.id for ref in links.aliases.values()} == {ref.id for ref in links.articles.values()}


def test_fixture_layout() -> None:
    """Every fixture folder is <family>/<site>-<id> with the three files and a complete meta."""
    folders = fixture_dirs()
    assert folders
    for folder in folders:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", folder.name), folder
        assert (folder / "page.html").is_file(), folder
        assert (folder / "expected.json").is_file(), folder
        meta = load_meta(folder)
        assert set(meta) == {"url", "encoding", "timezone", "fetched_at", "kind", "notes"}, folder
        # big5: tc sites; euc-kr: a Korean board (hanzhongmaoyi-32)
        assert meta["encoding"] in ("utf-8", "gbk", "big5", "euc-kr"), folder
        assert meta["notes"].strip(), folder
