"""MetInfo URL grammar (guide §1.2): articles, lists, homes, never-fetch URLs, canonical form."""

from __future__ import annotations

import pytest

from crawler.site import (
    ArticleRef,
    ListRef,
    canonical_url,
    followable_url,
    forbidden_reason,
    home_lang,
    list_page_url,
    named_article_ref,
    parse_article_url,
    parse_list_url,
    same_site,
    site_root,
)

ROOT = "http://www.example.com/"
SUBDIR_ROOT = "http://www.example.com/cms/"


# --- articles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ref"),
    [
        # dynamic, 6.1-7.x: id before lang, lang only for a non-default language
        ("news/shownews.php?id=12", ArticleRef("12", None, "news/")),
        ("news/shownews.php?id=12&lang=en", ArticleRef("12", "en", "news/")),
        ("news/shownews.php?id=12&amp;lang=en", ArticleRef("12", "en", "news/")),
        # dynamic, 3.x-5.x: lang always present, before the id
        ("news/shownews.php?lang=cn&id=12", ArticleRef("12", "cn", "news/")),
        # admin-chosen folder names (guide §1.1)
        ("news38/shownews.php?id=4245", ArticleRef("4245", None, "news38/")),
        ("saishigonggao/shownews.php?lang=cn&id=638", ArticleRef("638", "cn", "saishigonggao/")),
        ("about/news/shownews.php?id=5", ArticleRef("5", None, "about/news/")),
        # pseudo-static: F/N.html, F/N-L.html
        ("news/12.html", ArticleRef("12", None, "news/")),
        ("news/12-en.html", ArticleRef("12", "en", "news/")),
        ("news/12-cn.html", ArticleRef("12", "cn", "news/")),
        # static htmpagename 0: F/shownewsN.html
        ("news/shownews12.html", ArticleRef("12", None, "news/")),
        # static htmpagename 2 (7.x default): F/{F}N.html, other language with _L
        ("news/news12.html", ArticleRef("12", None, "news/")),
        ("news/news12_en.html", ArticleRef("12", "en", "news/")),
        ("xwzx/xwzx7.htm", ArticleRef("7", None, "xwzx/")),
        # static htmpagename 3 with a language
        ("news/12_en.html", ArticleRef("12", "en", "news/")),
        # static htmpagename 1: F/YYYYMMDDN.html carries the add day
        ("news/2021052712.html", ArticleRef("12", None, "news/", "2021-05-27")),
        ("news/202105273.html", ArticleRef("3", None, "news/", "2021-05-27")),
        # and with a language: F/YYYYMMDDN_L.html
        ("news/20240612123_en.html", ArticleRef("123", "en", "news/", "2024-06-12")),
        # 5.x's phone version: module 2 is news (wap/module.php)
        ("wap/index.php?lang=cn&id=526&module=2", ArticleRef("526", "cn", "wap/")),
    ],
)
def test_article_urls(path: str, ref: ArticleRef) -> None:
    assert parse_article_url(ROOT + path, ROOT) == ref


def test_article_url_under_a_subdirectory_install() -> None:
    url = "http://www.example.com/cms/news/shownews.php?id=3"
    assert parse_article_url(url, SUBDIR_ROOT) == ArticleRef("3", None, "news/")
    assert parse_article_url("http://www.example.com/cms/news/news3.html", SUBDIR_ROOT) == (
        ArticleRef("3", None, "news/")
    )


@pytest.mark.parametrize(
    ("path", "ref"),
    [
        ("news/expo2024.html", ArticleRef("news/expo2024", None, "news/")),
        ("xwzx/zsdh-2024.htm?lang=en", ArticleRef("xwzx/zsdh-2024", "en", "xwzx/")),
        ("news/12.html", None),  # numbered: parse_article_url's
        ("news/news12.html", None),
        ("news/list-3.html", None),  # a list page
        ("news/news_3_2.html", None),
        ("news/index.html", None),
        ("news/expo.html?page=2", None),  # a query beyond lang
        ("expo.html", None),  # no column folder
        ("news/shownews.php", None),
        # a name that starts with a digit, in Chinese (percent-encoded), in capitals (a
        # whole-site trial of messy URLs)
        ("news/2024nianhui.html", ArticleRef("news/2024nianhui", None, "news/")),
        ("news/%E5%B9%B4%E4%BC%9A.html", ArticleRef("news/%E5%B9%B4%E4%BC%9A", None, "news/")),
        ("News/Nianhui.HTML", ArticleRef("News/Nianhui", None, "News/")),
        ("news/2024-05.html", None),  # no letter: no name an editor gave
    ],
)
def test_named_article_urls(path: str, ref: ArticleRef | None) -> None:
    assert named_article_ref(ROOT + path, ROOT) == ref


def test_article_url_host_case_does_not_matter() -> None:
    assert parse_article_url("http://WWW.Example.com/news/12.html", ROOT) == (
        ArticleRef("12", None, "news/")
    )


@pytest.mark.parametrize(
    "url",
    [
        ROOT + "news/list-3.html",  # a list page
        ROOT + "news/list-12.html",
        ROOT + "news/news.php?class2=3",
        ROOT + "news/index.php?class1=1&page=2",
        ROOT + "news/news_1_2.html",
        ROOT + "news/",
        ROOT + "news/12-2.html",  # articles never have a page part (guide §1.2)
        ROOT + "news/shownews.php",  # no id
        ROOT + "news/shownews.php?id=abc",
        ROOT + "about/show.php?id=3",  # another module
        ROOT + "product/showproduct.php?id=3",
        ROOT + "news/other12.html",  # prefix is neither shownews nor the folder
        ROOT + "index.php?lang=en",
        ROOT + "wap/index.php?lang=cn&id=6&module=3",  # a product on the phone version
        ROOT + "wap/index.php?lang=cn&module=2&class1=3",  # a news list there
        ROOT + "12.html",  # articles live in a column folder
        "http://other.example.org/news/shownews.php?id=12",  # another site
        "https://www.example.com:8443/news/shownews.php?id=12",
    ],
)
def test_not_article_urls(url: str) -> None:
    assert parse_article_url(url, ROOT) is None


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ref"),
    [
        # dynamic 6.1-7.x: column via news.php, later pages via index.php
        ("news/news.php?class1=1", ListRef("1", 1, None, "news/")),
        ("news/news.php?class2=3", ListRef("3", 1, None, "news/")),
        ("news/news.php?class2=3&lang=en", ListRef("3", 1, "en", "news/")),
        ("news/index.php?class1=1&page=2", ListRef("1", 2, None, "news/")),
        ("news/index.php?class2=2&page=3&lang=en", ListRef("2", 3, "en", "news/")),
        # dynamic 3.x-5.x: lang first, class2=0/class3=0 fillers
        ("news/news.php?lang=cn&class1=1&class2=0&class3=0&page=4", ListRef("1", 4, "cn", "news/")),
        ("news/news.php?lang=cn&class1=1&class2=5&class3=0", ListRef("5", 1, "cn", "news/")),
        # pseudo-static: digits are a page, letters a language
        ("news/list-3.html", ListRef("3", 1, None, "news/")),
        ("news/list-3-2.html", ListRef("3", 2, None, "news/")),
        ("news/list-3-en.html", ListRef("3", 1, "en", "news/")),
        ("news/list-3-2-en.html", ListRef("3", 2, "en", "news/")),
        # static listhtmltype 1 (F/{F}_Cnow_P.html) and 0 (F/{F}_C1_C2_P.html)
        ("news/news_1_2.html", ListRef("1", 2, None, "news/")),
        ("news/news_1_3_2.html", ListRef("3", 2, None, "news/")),
        ("news/news_3_1_en.html", ListRef("3", 1, "en", "news/")),
        # a column folder itself
        ("news/", ListRef(None, 1, None, "news/")),
        ("news/index.html", ListRef(None, 1, None, "news/")),
        ("news/index.php", ListRef(None, 1, None, "news/")),
        ("news/index.php?lang=en", ListRef(None, 1, "en", "news/")),
    ],
)
def test_list_urls(path: str, ref: ListRef) -> None:
    assert parse_list_url(ROOT + path, ROOT) == ref


@pytest.mark.parametrize(
    "url",
    [
        ROOT + "news/shownews.php?id=12",
        ROOT + "news/12.html",
        ROOT + "news/news12.html",
        ROOT + "news/news.php",  # no column
        ROOT + "news/news.php?class1=0",
        "http://other.example.org/news/list-3.html",
    ],
)
def test_not_list_urls(url: str) -> None:
    assert parse_list_url(url, ROOT) is None


def test_page_one_and_a_broken_page_number_are_page_one() -> None:
    assert parse_list_url(ROOT + "news/index.php?class2=3&page=1", ROOT).page == 1
    assert parse_list_url(ROOT + "news/index.php?class2=3&page=0", ROOT).page == 1
    assert parse_list_url(ROOT + "news/index.php?class2=3&page=x", ROOT).page == 1


# --- homes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("", None),
        ("index.php", None),
        ("index.html", None),
        ("index.php?lang=en", "en"),
        ("index.php?lang=cn", "cn"),
        ("?lang=en", "en"),
        ("index-en.html", "en"),
        ("index_en.html", "en"),
    ],
)
def test_home_urls(path: str, lang: str | None) -> None:
    assert home_lang(ROOT + path, ROOT) == lang


@pytest.mark.parametrize(
    "url",
    [
        ROOT + "news/",
        ROOT + "news/shownews.php?id=1",
        ROOT + "index.php?class1=1",
        "http://other.example.org/",
    ],
)
def test_not_home_urls(url: str) -> None:
    assert home_lang(url, ROOT) is False


def test_home_of_a_subdirectory_install() -> None:
    assert home_lang("http://www.example.com/cms/", SUBDIR_ROOT) is None
    assert home_lang("http://www.example.com/cms/index-en.html", SUBDIR_ROOT) == "en"
    assert home_lang("http://www.example.com/", SUBDIR_ROOT) is False


# --- URLs never to fetch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        # hit counters change state (guide §2.1)
        ROOT + "hits/?lang=cn&type=news&vid=1&list=0",
        ROOT + "hits/?lang=cn&amp;type=news&amp;vid=1",
        ROOT + "include/hits.php?type=news&id=1",
        "http://www.example.com/cms/hits/?lang=cn&type=news&vid=1",
        # member area, search, visual editor, list fragments (guide §5)
        ROOT + "member/login.php",
        ROOT + "member/index.php?gourl=../news/shownews.php%3Fid%3D1",
        ROOT + "search/index.php?searchword=x",
        ROOT + "search/search.php?lang=cn&searchword=x",
        ROOT + "news/news.php?class2=3&searchword=x",
        ROOT + "?pageset=1",
        ROOT + "news/shownews.php?id=1&pageset=1",
        ROOT + "news/index.php?class2=3&page=2&ajax=1",
        ROOT + "admin/",
        # not web pages
        "javascript:;",
        "javascript:void(0)",
        "mailto:office@example.com",
        "tel:96000",
    ],
)
def test_forbidden_urls(url: str) -> None:
    assert forbidden_reason(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        ROOT,
        ROOT + "news/shownews.php?id=12&lang=en",
        ROOT + "news/index.php?class2=3&page=2",
        ROOT + "news/list-3-2.html",
        ROOT + "research/",  # only a whole folder named search/ is forbidden
        ROOT + "upload/file/report.pdf",
        "https://www.example.com/news/12.html",
    ],
)
def test_allowed_urls(url: str) -> None:
    assert forbidden_reason(url) is None


@pytest.mark.parametrize(
    ("href", "url"),
    [
        # a re-sorting key is dropped: the page in the site's own order (a template's only
        # link to a column's page 2 carried &order=hits, a whole-site trial)
        ("news.php?class1=5&page=2&order=hits", ROOT + "media/news.php?class1=5&page=2"),
        ("shownews.php?id=34&order=hits", ROOT + "media/shownews.php?id=34"),
        # other never-fetch keys stay never fetched, re-sorted or not
        ("news.php?class1=5&searchword=x&order=hits", None),
        ("news.php?class1=5&page=2&ajax=1", None),
    ],
)
def test_followable_urls(href: str, url: str | None) -> None:
    assert followable_url(ROOT + "media/news.php?class1=5", href) == url


# --- canonical form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # parameter order
        (ROOT + "news/shownews.php?lang=en&id=12", ROOT + "news/shownews.php?id=12&lang=en"),
        # HTML-escaped ampersands
        (ROOT + "news/shownews.php?id=12&amp;lang=en", ROOT + "news/shownews.php?id=12&lang=en"),
        # fragment
        (ROOT + "news/shownews.php?id=12#comments", ROOT + "news/shownews.php?id=12"),
        # default ports and host case
        ("http://WWW.Example.COM:80/news/12.html", ROOT + "news/12.html"),
        ("https://www.example.com:443/news/12.html", "https://www.example.com/news/12.html"),
        ("http://www.example.com:8080/news/12.html", "http://www.example.com:8080/news/12.html"),
        # page 1 is the column itself (guide §1.2); other pages stay
        (ROOT + "news/index.php?class2=3&page=1", ROOT + "news/index.php?class2=3"),
        (ROOT + "news/index.php?page=2&class2=3", ROOT + "news/index.php?class2=3&page=2"),
        # empty path
        ("http://www.example.com", ROOT),
        # surrounding whitespace from sloppy hrefs
        ("  " + ROOT + "news/12.html\n", ROOT + "news/12.html"),
        # a session id in the path, numeric cache-busters (a word-valued t= stays)
        (ROOT + "news/shownews.php;jsessionid=6512BD43?id=262", ROOT + "news/shownews.php?id=262"),
        (ROOT + "news/shownews.php?id=333&t=1796154129514", ROOT + "news/shownews.php?id=333"),
        (ROOT + "news/index.php?_=1712000000&class2=5", ROOT + "news/index.php?class2=5"),
        (ROOT + "news/shownews.php?id=3&t=print", ROOT + "news/shownews.php?id=3&t=print"),
        # the print view and a font size are the article's own URL (a single-entry list page
        # whose print icon came before the title link: a whole-site trial)
        (ROOT + "news/shownews.php?lang=cn&id=4&print=1", ROOT + "news/shownews.php?id=4&lang=cn"),
        (ROOT + "news/shownews.php?id=4&fontsize=16", ROOT + "news/shownews.php?id=4"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_is_idempotent_and_percent_encoding_is_normalised() -> None:
    a = canonical_url(ROOT + "新闻/shownews.php?id=1")
    b = canonical_url(ROOT + "%e6%96%b0%e9%97%bb/shownews.php?id=1")
    assert a == b
    assert canonical_url(a) == a


# --- site root -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "variable", "root"),
    [
        # 7.x data-variable site field is relative to the page
        ("http://www.example.com/news/shownews.php?id=1", "../", ROOT),
        ("http://www.example.com/news/12.html", "../", ROOT),
        ("http://www.example.com/cms/news/shownews.php?id=1", "../", SUBDIR_ROOT),
        ("http://www.example.com/404.html", "./", ROOT),
        ("http://www.example.com/index.php?lang=en", "./", ROOT),
        # 5.x and static pages print it absolute
        ("http://www.example.com/cms/news/news1.html", "http://www.example.com/cms/", SUBDIR_ROOT),
        ("http://WWW.EXAMPLE.COM/news/shownews.php?id=1", "../", ROOT),
        # no generator meta: the host root
        ("http://www.example.com/cms/news/shownews.php?id=1", None, ROOT),
        ("http://www.example.com/news/shownews.php?id=1", "", ROOT),
    ],
)
def test_site_root(url: str, variable: str | None, root: str) -> None:
    assert site_root(url, variable) == root


def test_same_site() -> None:
    assert same_site(ROOT + "news/12.html", ROOT)
    assert same_site("http://www.example.com/cms/x.html", SUBDIR_ROOT)
    assert not same_site("http://www.example.com/other/x.html", SUBDIR_ROOT)
    assert not same_site("http://cdn.example.com/x.html", ROOT)


@pytest.mark.parametrize(
    ("url", "pages"),
    [
        ("hyzx/list-12-3.html", ["hyzx/list-12.html", "hyzx/list-12-2.html"]),
        ("news/list-5-2-en.html", ["news/list-5-en.html", "news/list-5-2-en.html"]),
        (
            "news/index.php?class2=5&page=3",
            ["news/index.php?class2=5", "news/index.php?class2=5&page=2"],
        ),
        ("zcfg/zcfg_3_9_2.html", ["zcfg/zcfg_3_9_1.html", "zcfg/zcfg_3_9_2.html"]),
        ("news/", [None, None]),  # a folder names no page grammar
        ("news/shownews.php?id=3", [None, None]),
    ],
)
def test_list_page_url_follows_the_grammar_of_the_page_it_is_given(
    url: str, pages: list[str | None]
) -> None:
    root = "http://www.example.com/"
    got = [list_page_url(root + url, root, n) for n in (1, 2)]
    assert got == [root + p if p else None for p in pages]


@pytest.mark.parametrize(
    "query", ["&day=2024-05-01", "&date=2024-05", "&pagesize=50", "&orderby=desc", "&keyword=x"]
)
def test_a_filtered_list_is_marked_and_keyed_apart_from_the_columns_page(query: str) -> None:
    """A calendar day, a month archive, a page size or a sort order of a column's list is
    not its page of that number (it took page 1's place and hid the real page 1)."""
    from crawler.crawlstate import SiteState

    url = ROOT + "news/news.php?class2=5" + query
    ref = parse_list_url(canonical_url(url), ROOT)
    assert ref == ListRef("5", 1, None, "news/", filtered=True)
    site = SiteState(ROOT)
    real = parse_list_url(ROOT + "news/news.php?class2=5", ROOT)
    assert real is not None and not real.filtered
    assert site.list_key(url, ref) != site.list_key(ROOT + "news/news.php?class2=5", real)
    # once the column's own page is wanted, its filtered variants are not
    column = site.column_of(url, ref)
    own = ROOT + "news/news.php?class2=5"
    assert site.want_list(site.list_key(own, real), column, real, frozenset())
    assert not site.want_list(site.list_key(url, ref), column, ref, frozenset())


@pytest.mark.parametrize(
    ("path", "page"),
    [("news/news_5_0.html", 1), ("news/list-3-0.html", 1), ("news/news.php?class1=5&page=0", 1)],
)
def test_a_page_number_0_is_page_1(path: str, page: int) -> None:
    # a buggy pager's 上一页 on page 1 links page 0, which the site answers with page 1
    ref = parse_list_url("http://www.x.example/" + path, "http://www.x.example/")
    assert ref is not None and ref.page == page


def test_a_class1_list_names_the_folders_own_column() -> None:
    root = "http://www.x.example/"
    assert parse_list_url(root + "news/news.php?class1=5", root).top
    assert not parse_list_url(root + "news/news.php?class1=5&class2=7", root).top
    assert parse_list_url(root + "news/news.php?class1=5&class2=0&class3=0", root).top
