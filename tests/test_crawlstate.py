"""One site's crawl memory (crawler.crawlstate.SiteState): which article URL forms are asked."""

from __future__ import annotations

from crawler.crawlstate import MAX_ALIASES, SiteState
from crawler.site import parse_article_url

ROOT = "http://www.ftz.example/"
ALL = frozenset()


def ref(path: str):
    found = parse_article_url(ROOT + path, ROOT)
    assert found is not None, path
    return found


def test_a_second_form_of_an_id_is_an_alias_tried_when_the_first_gives_no_article() -> None:
    site = SiteState(ROOT)
    assert site.want_article(ref("news/4.html"), ROOT + "news/4.html", ALL)
    assert not site.want_article(ref("news/4.html"), ROOT + "news/4.html", ALL)
    dynamic = ROOT + "news/shownews.php?id=4"
    assert not site.want_article(ref("news/shownews.php?id=4"), dynamic, ALL)
    assert site.next_alias(ref("news/4.html"), ROOT + "news/4.html") == dynamic


def test_a_news_form_found_after_another_modules_page_of_that_id_is_asked() -> None:
    """product/4.html (module 3) answered first as no article; news/4.html, listed later,
    is asked: ids are numbered per module table (guide §1.3).  Before, the id was taken."""
    site = SiteState(ROOT)
    product, news = ROOT + "product/4.html", ROOT + "news/4.html"
    assert site.want_article(ref("product/4.html"), product, ALL)
    # while product/4.html is in flight, news/4.html waits as its alias
    assert site.next_alias(ref("product/4.html"), product) is None
    assert site.want_article(ref("news/4.html"), news, ALL)
    # a form that already gave no article is not asked again
    assert not site.want_article(ref("product/4.html"), product, ALL)


def test_a_form_listed_while_another_is_in_flight_waits_as_its_alias() -> None:
    site = SiteState(ROOT)
    product, news, other = (ROOT + p for p in ("product/4.html", "news/4.html", "job/4.html"))
    site.want_article(ref("product/4.html"), product, ALL)
    site.next_alias(ref("product/4.html"), product)
    assert site.want_article(ref("news/4.html"), news, ALL)  # news/4.html in flight now
    assert not site.want_article(ref("job/4.html"), other, ALL)
    assert site.next_alias(ref("news/4.html"), news) == other


def test_forms_of_an_id_that_give_no_article_are_asked_a_bounded_number_of_times() -> None:
    site = SiteState(ROOT)
    asked = 0
    for n in range(10):
        path = f"f{n}/4.html"
        if site.want_article(ref(path), ROOT + path, ALL):
            asked += 1
            assert site.next_alias(ref(path), ROOT + path) is None
    assert asked == MAX_ALIASES + 1  # the first form, then MAX_ALIASES found later


def test_a_page_without_a_date_waits_for_the_day_its_list_shows() -> None:
    """An article page that shows no date, reached before any list names it, is held; the
    list that shows its day releases it with that day, one that shows none with ""; a day
    seen first is remembered for a page answered later (guide §3: detail, else list)."""
    site = SiteState(ROOT)
    assert site.hold_dateless("29", ROOT + "news/29.html")
    assert site.hold_dateless("30", ROOT + "news/30.html")
    ready = site.saw_list_days([("28", "2023-12-30"), ("29", "2023-12-28"), ("30", None)])
    assert ready == [(ROOT + "news/29.html", "2023-12-28"), (ROOT + "news/30.html", "")]
    assert site.dateless == {}
    assert site.list_days == {"28": "2023-12-30", "29": "2023-12-28"}
    assert site.saw_list_days([("29", "2023-12-28")]) == []  # released once


def test_no_page_is_held_for_a_day_when_the_lists_show_none() -> None:
    site = SiteState(ROOT)
    site.saw_list_days([("1", None), ("2", None)])
    assert not site.hold_dateless("3", ROOT + "news/3.html")


def test_a_folder_page_after_its_top_column_page_1_is_not_asked_again() -> None:
    """news.php?class1=4 (from a sitemap) is page 1 of the folder's own column: the home
    navigation's notice/ is that page; a sub-column's page 1 (class2) says nothing of it."""
    from crawler.site import parse_list_url

    site = SiteState(ROOT)

    def want(path: str) -> bool:
        url = ROOT + path
        ref = parse_list_url(url, ROOT)
        return site.want_list(site.list_key(url, ref), site.column_of(url, ref), ref, ALL)

    assert want("notice/news.php?class1=4")
    assert not want("notice/")
    assert want("news/news.php?class2=7")
    assert want("news/")


def test_a_top_column_page_1_after_its_folder_page_is_not_asked_again() -> None:
    from crawler.site import parse_list_url

    site = SiteState(ROOT)
    for path, wanted in (("notice/", True), ("notice/news.php?class1=4", False)):
        url = ROOT + path
        ref = parse_list_url(url, ROOT)
        assert site.want_list(site.list_key(url, ref), site.column_of(url, ref), ref, ALL) is wanted


def test_one_page_of_another_module_is_named_for_the_next_run_not_passed_over_now() -> None:
    """download/202401088.html (a download page under the article grammar): one such page
    does not stop this run asking for the folder, but the summary names the folder for the
    next run, as long as no page of it was an article."""
    site = SiteState(ROOT)
    site.saw_other_module("download/")
    assert "download/" not in site.other_module_folders
    assert site.other_module_folders_seen() == ["download/"]
    site.saw_other_module("news/")
    site.saw_article("news/")
    assert site.other_module_folders_seen() == ["download/"]
