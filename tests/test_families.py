"""The MetInfo 3.x-6.x template families: which family the registered order picks for each
fixture page.  The fields themselves are checked by test_extract_golden.py."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.extract import FAMILIES, choose_family, generic, make_page
from crawler.extract.dates import READING_LANGUAGE, site_timezone
from crawler.extract.families import GenericFamily, Page
from crawler.extract.metinfo3 import Metinfo3Family
from crawler.extract.metinfo5 import Metinfo4Family, Metinfo5Family
from crawler.extract.metinfo5v1 import Metinfo5V1Family
from crawler.extract.metinfo6 import Metinfo6Family
from crawler.extract.metinfo7 import Metinfo7Family

FIXTURES = Path(__file__).parent / "fixtures"
# Fixture folder name == family name (STYLE.md rule 8).
OLD_FAMILIES = ("metinfo3", "metinfo4", "metinfo5", "metinfo5v1", "metinfo6")
FAMILY_CLASSES = (
    Metinfo3Family,
    Metinfo4Family,
    Metinfo5Family,
    Metinfo5V1Family,
    Metinfo6Family,
)


def fixtures(families: tuple[str, ...], kind: str) -> list[Path]:
    return sorted(
        meta.parent
        for family in families
        for meta in (FIXTURES / family).glob("*/meta.json")
        if json.loads(meta.read_text(encoding="utf-8"))["kind"] == kind
    )


def page_of(folder: Path) -> Page:
    """The fixture page as extraction sees it, read through Scrapy's charset handling."""
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    response = HtmlResponse(
        url=meta["url"],
        body=(folder / "page.html").read_bytes(),
        headers={"Content-Type": f"text/html; charset={meta['encoding']}"},
    )
    return make_page(
        response.selector,
        meta["url"],
        tz=site_timezone(meta["timezone"]),
        fetched_at=datetime.fromisoformat(meta["fetched_at"]),
    )


def folder_id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


@pytest.mark.parametrize("folder", fixtures(OLD_FAMILIES, "article"), ids=folder_id)
def test_the_family_of_the_fixture_folder_is_chosen(folder: Path) -> None:
    assert choose_family(page_of(folder)).name == folder.parent.name


@pytest.mark.parametrize("folder", fixtures(OLD_FAMILIES, "list"), ids=folder_id)
def test_list_pages_are_not_taken_for_detail_pages(folder: Path) -> None:
    assert not [cls.name for cls in FAMILY_CLASSES if cls().matches(page_of(folder))]


@pytest.mark.parametrize("folder", fixtures(("metinfo7",), "article"), ids=folder_id)
def test_the_v2_ui_family_leaves_tag_template_pages_alone(folder: Path) -> None:
    """metinfo6 comes before metinfo7 and shares its classes; only the v2 UI's
    ``<article class="met-shownews-body">`` may select it."""
    assert not Metinfo6Family().matches(page_of(folder))


def test_the_families_are_registered_more_specific_first() -> None:
    names = [family.name for family in FAMILIES]
    assert set(OLD_FAMILIES) <= set(names), f"not registered: {set(OLD_FAMILIES) - set(names)}"
    assert names.index(Metinfo6Family.name) < names.index(Metinfo7Family.name)
    assert names[-1] == GenericFamily.name


EMPTY_PAGES = {
    "nothing": "<html><body></body></html>",
    # The containers of every family, each without its title, info line or body.
    "bare containers": (
        "<html><body><div id='web'><div class='webcontent'><div class='hits'></div></div></div>"
        "<div class='shownews webbox'><div class='hits'>【打印】</div></div>"
        "<div id='shownews'><div class='met_hits'>点击次数：</div></div>"
        "<section class='met_module2'><div class='met_infos'><span class='met_time'></span>"
        "<span class='met_hits'></span></div></section>"
        "<main class='met-shownews'><article class='met-shownews-body'>"
        "<section class='details-title'><div class='info'></div></section></article></main>"
        "</body></html>"
    ),
}


@pytest.mark.parametrize("family", FAMILY_CLASSES, ids=lambda cls: cls.name)
@pytest.mark.parametrize("html", EMPTY_PAGES.values(), ids=list(EMPTY_PAGES))
def test_getters_never_raise_on_missing_markup(family: type[GenericFamily], html: str) -> None:
    page = make_page(
        Selector(text=html),
        "http://site.example/news/shownews.php?lang=cn&id=1",
        tz=site_timezone(),
        fetched_at=datetime.fromisoformat("2026-11-29T12:00:00+00:00"),
    )
    instance = family()
    title, title_el = instance.title(page)
    info, info_el = instance.info(page, title_el)
    instance.body(page, [title_el, info_el])
    instance.column(page, title)
    assert info.author is None


TZ8 = site_timezone()


@pytest.mark.parametrize(
    ("html", "date", "author", "source", "hits"),
    [
        # A word glued before a label makes another label: no stray publisher "发稿".
        (
            "<li>发稿时间：2023-5-6 9:05:03</li><li>撰稿：王丽</li>",
            "2023-05-06T09:05:03+08:00",
            "王丽",
            None,
            None,
        ),
        # 成文日期 (written) yields to 发布日期 (published) whatever their order.
        (
            "<span>成文日期：2023-05-04</span><span>发布日期：2023-05-06</span>",
            "2023-05-06",
            None,
            None,
            None,
        ),
        (
            "<span>Release Date: 2023/5/6</span> <span>Views: 1,245</span>",
            "2023-05-06",
            None,
            None,
            1245,
        ),
        # A weekday beside the date, an unknown label and a lone character are no publisher.
        (
            "<span>2023年05月06日</span><span>星期六</span><span>浏览：2,318次</span>",
            "2023-05-06",
            None,
            None,
            2318,
        ),
        (
            "<td>发布机构：县发改委</td><td>文</td><td>2023-05-06</td>",
            "2023-05-06",
            None,
            None,
            None,
        ),
        # A label in its own element takes the text after it.
        (
            "<em>作者：</em>办公室 | <em>来源：</em>本站 | <em>阅读：</em><b>73</b>",
            None,
            "办公室",
            "本站",
            73,
        ),
        (
            "<span>2023-05-06</span><span>admin</span><span>阅读 312</span>",
            "2023-05-06",
            "admin",
            None,
            312,
        ),
        # Labels and values in their own elements, without colons.
        (
            "<dl><dt>Date</dt><dd>2024-03-05</dd><dt>Author</dt><dd>Linda Wu</dd>"
            "<dt>Views</dt><dd>87</dd></dl>",
            "2024-03-05",
            "Linda Wu",
            None,
            87,
        ),
        (
            "<table><tr><td>成文日期</td><td>2023-04-27</td><td>发布日期</td><td>2023-05-06</td>"
            "</tr><tr><td>发布机构</td><td>县政府办公室</td><td>来源</td><td>本站</td></tr></table>",
            "2023-05-06",
            None,
            "本站",
            None,
        ),
        # A row of two values is no label and value: each cell is a part of its own.
        (
            "<table><tr><td>2023-05-06</td><td>浏览：12</td></tr></table>",
            "2023-05-06",
            None,
            None,
            12,
        ),
        # A byline's job title is no part of the name; a date it cannot read is no
        # publisher (1/9/25: a two-digit year).
        (
            "<span>Posted June 5, 2025</span> | <span>By Jane Doe, Staff Writer</span>",
            "2025-06-05",
            "Jane Doe",
            None,
            None,
        ),
        ("<span>1/9/25</span> <span>Views: 12</span>", None, None, None, 12),
        # 来源于 is a source label; a correspondent names the writer when no author is
        # printed, and yields to one printed after it (a whole-site trial of a city
        # federation's portal)
        (
            '发布日期：2025年3月5日 星期三　撰稿：李强　来源于：<a href="http://x.cn/">新华网</a>',
            "2025-03-05",
            "李强",
            "新华网",
            None,
        ),
        ("Posted: 2025-01-15 | 通讯员：张华 | 出处：人民网", "2025-01-15", "张华", "人民网", None),
        ("<span>通讯员：张华</span><span>作者：吴昊</span>", None, "吴昊", None, None),
        # nor the desk (a Brazilian chamber's English pages)
        ("<span>By Ana Souza, Newsroom</span> <span>Views: 40</span>", None, "Ana Souza", None, 40),
        ("<span>Par Kouassi Yao, correspondant à Abidjan</span>", None, "Kouassi Yao", None, None),
    ],
)
def test_info_line_fields(
    html: str, date: str | None, author: str | None, source: str | None, hits: int | None
) -> None:
    el = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser()).find(".//div")
    info = generic.parse_info_parts(generic.split_parts(el), TZ8, None)
    assert (info.date.iso if info.date else None, info.author, info.source, info.hits) == (
        date,
        author,
        source,
        hits,
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("当前位置：首页 > 党建园地 > 支部活动", ["党建园地", "支部活动"]),
        ("您当前的位置： 首页 >> 政务公开 >> 通知公告 >> 关于申报的通知", ["政务公开", "通知公告"]),
        ("Location: Home » News", ["News"]),
        ("当前位置：通知公告", []),  # no separator: not a breadcrumb's text
    ],
)
def test_breadcrumb_printed_as_text(text: str, names: list[str]) -> None:
    assert generic.text_crumb_names(text, "关于申报的通知") == names


def test_short_text_matches_element_text_up_to_its_limit() -> None:
    root = etree.fromstring(
        "<div> 发布时间：<b>2023-05-06</b><script>var x=1;</script> 来源： 本站 </div>",
        etree.HTMLParser(),
    ).find(".//div")
    whole = generic.element_text(root)
    assert whole == "发布时间： 2023-05-06 来源： 本站"
    assert generic.short_text(root, len(whole)) == whole
    assert generic.short_text(root, len(whole) - 1) is None
    # Deeply nested: the check of every element stops early instead of reading each subtree.
    deep = etree.fromstring(
        "<html><body>" + "<div>x" * 200 + "</div>" * 200 + "</body></html>", etree.HTMLParser()
    )
    outer = deep.find(".//div")
    assert generic.short_text(outer, 300) is None
    assert generic.short_text(outer, 399) == generic.element_text(outer) == " ".join("x" * 200)


def test_a_lone_hit_counter_between_headline_and_text_gives_the_hits() -> None:
    """Static mode prints the counter as a script with data-hits (guide §2.1); a minimalist
    template puts it alone between the headline and the text, with no info line: the page's
    one data-hits is the count; two of them (a list of other pages) say nothing."""
    from datetime import timezone

    from crawler.extract import extract_article, parse_html

    def page(counters: str) -> str:
        return (
            '<html><head><meta name="generator" content="MetInfo 7.6" '
            'data-variable="../|cn|cn|ln|2|5|11"></head><body>'
            "<h1>商会召开年度工作会议</h1>" + counters + '<div class="con">'
            "<p>1月10日，商会召开年度工作会议，总结2023年工作，部署2024年重点任务。</p>"
            "<p>会议审议通过了年度工作报告和财务报告。</p></div></body></html>"
        )

    one = '<script class="met_hits" data-hits="158"></script>'
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    url = "http://www.x.example/tzgg/2024011011.html"
    tz = site_timezone()
    assert extract_article(parse_html(page(one), url), url, tz=tz, fetched_at=when).hits == 158
    two = one + '<span data-hits="12"></span>'
    assert extract_article(parse_html(page(two), url), url, tz=tz, fetched_at=when).hits is None


def test_an_info_part_dated_after_the_fetch_is_an_events() -> None:
    """An event box grown into the info line: its day to come (5 décembre 2027, fetched in
    2026) is no publication date; the publication line below it is (a whole-site trial of
    an Ivorian chamber)."""
    html = (
        '<div class="meta-article"><div class="boite-date"><span>05</span> <span>décembre'
        "</span> <span>2027</span></div><p>Date de l’événement : dimanche 5 décembre 2027"
        " — Lieu : Hôtel Tiama</p><p>Publié le 9 mars 2024 à 20 h</p></div>"
    )
    el = etree.fromstring(html, etree.HTMLParser()).find(".//div")
    fetched = datetime(2026, 12, 2, 8, 0, tzinfo=TZ8)
    token = READING_LANGUAGE.set("fr")
    try:
        info = generic.parse_info_parts(generic.split_parts(el), TZ8, fetched)
    finally:
        READING_LANGUAGE.reset(token)
    assert info.date is not None and info.date.iso == "2024-03-09T20:00:00+08:00"


@pytest.mark.parametrize(
    ("declared", "published"),
    [
        # the hour the clocks go back over is passed twice: the attribute names the second
        ("2025-10-26T02:30:00+01:00", "2025-10-26T02:30:00+01:00"),
        ("2025-10-26T02:30:00+02:00", "2025-10-26T02:30:00+02:00"),
        # any other hour: the site's zone as read, whatever offset a plugin stamps
        ("2025-10-25T02:30:00+08:00", None),
    ],
)
def test_a_time_element_settles_the_hour_a_clock_change_repeats(
    declared: str, published: str | None
) -> None:
    """26.10.2025 02:30 in Europe/Berlin happened twice (at +02:00, then at +01:00): the
    ``<time datetime>`` the text came from says which (a whole-site trial of a chamber in
    Frankfurt had taken the first); elsewhere the visible time in the site's zone stands."""
    shown = declared[8:10] + ".10.2025 02:30"
    html = (
        f"<html><head><title>Night shuttle timetable</title></head><body><h1>Night shuttle "
        f'timetable</h1><p class="meta">Published: <time datetime="{declared}">{shown}</time>'
        "</p><div class='body'><p>The timetable uses winter time from Sunday.</p></div>"
        "</body></html>"
    )
    tz = site_timezone("Europe/Berlin")
    page = make_page(
        Selector(text=html),
        "http://www.example.eu/events/16.html",
        tz=tz,
        fetched_at=datetime.fromisoformat("2026-11-29T12:00:00+00:00"),
    )
    info, _ = GenericFamily().info(page, GenericFamily().title(page)[1])
    assert info.date is not None
    assert info.date.iso == (published or f"2025-10-{declared[8:10]}T02:30:00+02:00")
