"""The one-pass page index answers selectors exactly as lxml's XPath does.

Every selector the families and the list reader use is run both ways on every fixture page
(all template families, list and article pages, GBK and UTF-8): the index lookup must give
the same elements in the same order as parsel's CSS-to-XPath translation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.extract import base_url, metinfo3, metinfo5, metinfo5v1, metinfo6, metinfo7, parse_html
from crawler.extract.dom import compiled, doc_index, parse_css, select_css
from crawler.extract.listing import LIST_CONTAINER_CSS, PAGER_CSS
from crawler.extract.page import FOOTER_CSS, read_page_meta

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted(meta.parent for meta in FIXTURES.glob("*/*/meta.json"))

FAMILY_SELECTORS = {
    value
    for module in (metinfo3, metinfo5, metinfo5v1, metinfo6, metinfo7)
    for name, value in vars(module).items()
    if name.endswith("_CSS") and isinstance(value, str)
}
SELECTORS = sorted(
    FAMILY_SELECTORS
    | {LIST_CONTAINER_CSS, PAGER_CSS, FOOTER_CSS, "a[href]", "h1, h2", "footer", "*"}
)


def selector_of(folder: Path, parser: str = "parse_html") -> Selector:
    """The fixture parsed as the spider does (parse_html) or as Scrapy does."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    response = HtmlResponse(
        url=meta["url"],
        body=(folder / "page.html").read_bytes(),
        headers={"Content-Type": f"text/html; charset={meta['encoding']}"},
    )
    return parse_html(response.text) if parser == "parse_html" else response.selector


def test_there_are_pages_and_selectors() -> None:
    assert len(PAGES) >= 40
    assert len(SELECTORS) >= 25
    # Every family selector is in the subset the index answers (none falls back silently).
    assert [css for css in SELECTORS if parse_css(css) is None] == []


@pytest.mark.parametrize("parser", ["parse_html", "response.selector"])
@pytest.mark.parametrize("folder", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_index_matches_xpath_on_every_fixture(folder: Path, parser: str) -> None:
    sel = selector_of(folder, parser)
    for css in SELECTORS:
        expected = [el for el in compiled(css)(sel.root) if hasattr(el, "tag")]
        assert select_css(sel.root, css) == expected, css


def test_every_selector_finds_something_on_some_fixture() -> None:
    """The comparison above means something: no selector is empty on every page."""
    roots = [selector_of(folder).root for folder in PAGES]
    unused = [css for css in SELECTORS if not any(select_css(root, css) for root in roots)]
    assert unused == []


@pytest.mark.parametrize(
    ("css", "chains"),
    [
        ("section.a h1", 1),
        (".a .b, #c", 2),
        ("ol.breadcrumb li.breadcrumb-item a[href]", 1),
        ("ul > li", None),
        ("a:first-child", None),
        ("[class*='metpager']", None),
        (".a\\.b", None),
        ("#a#b", None),
    ],
)
def test_parse_css_takes_descendant_chains_only(css: str, chains: int | None) -> None:
    parsed = parse_css(css)
    assert (len(parsed) if parsed is not None else None) == chains


def test_groups_merge_in_document_order_and_root_counts() -> None:
    sel = Selector(
        text='<html class="no-js" id="top"><head><meta name="ROBOTS" content="noindex">'
        '<base href="/x/"></head><body><p class="b">1</p><div id="c"><p class="b">2</p></div>'
        '<span class="a">3</span></body></html>'
    )
    root = sel.root
    assert [el.text or el.tag for el in select_css(root, ".a, .b, #c")] == ["1", "div", "2", "3"]
    assert select_css(root, ".no-js") == [root]
    assert [el.text for el in select_css(root, ".no-js .b")] == ["1", "2"]
    assert [el.text for el in select_css(root, "#top #c p")] == ["2"]
    index = doc_index(root)
    assert index.meta("robots") == "noindex"
    assert "no-js" in index.names and "top" in index.names
    assert base_url(sel, "http://h.example/a/b.html") == "http://h.example/x/"
    # Below the document root the selector runs as XPath (the index is for whole pages).
    div = select_css(root, "#c")[0]
    assert [el.text for el in select_css(div, ".b")] == ["2"]


def test_meta_reading_is_case_blind_like_the_xpath_it_replaced() -> None:
    sel = Selector(
        text='<html><head><meta name="Generator" content="MetInfo 7.2.0" '
        'data-variable="../|cn|cn|metv7|2|3|667"></head><body></body></html>'
    )
    meta = read_page_meta(sel)
    assert (meta.version, meta.lang, meta.module, meta.content_id) == ("7.2.0", "cn", "2", "667")


def test_class_containing_is_css_attribute_substring() -> None:
    """with_class_containing answers [class*=part] (the pager and language blocks)."""
    for folder in PAGES:
        root = selector_of(folder).root
        for part in ("metpager", "lang", "page"):
            expected = list(compiled(f"[class*='{part}']")(root))
            assert doc_index(root).with_class_containing(part) == expected, (folder, part)
