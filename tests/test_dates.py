"""Dates as MetInfo and custom templates print them, to ISO 8601 in the site timezone (guide §3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from crawler.extract.dates import (
    READING_LANGUAGE,
    READING_PAGE,
    READING_SITE_ORDER,
    DateOrder,
    PageDate,
    SiteDateOrder,
    badge_date,
    date_from_url,
    find_date,
    numeric_date_order,
    parse_date_text,
    short_year_day,
    short_year_order,
    site_timezone,
    yearless_date,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 20:00 in Shanghai, still 29 November there.
FETCHED_NOON_UTC = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
# 04:00 on 30 November in Shanghai: the day has already turned there.
FETCHED_LATE_UTC = datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        # met_contenttime default Y-m-d H:i:s (detail pages)
        ("2021-05-27 15:14:37", "2021-05-27T15:14:37+08:00", "2021-05-27 15:14:37"),
        # without seconds
        ("2021-05-27 15:14", "2021-05-27T15:14:00+08:00", "2021-05-27 15:14"),
        # met_listtime defaults: Y-m-d (cn), Y/m/d (en)
        ("2021-05-27", "2021-05-27", "2021-05-27"),
        ("2021/05/27", "2021-05-27", "2021/05/27"),
        ("2021/05/27 08:00:09", "2021-05-27T08:00:09+08:00", "2021/05/27 08:00:09"),
        ("2021.05.27", "2021-05-27", "2021.05.27"),
        # Chinese admin formats
        ("2021年05月27日", "2021-05-27", "2021年05月27日"),
        ("2021年5月7日", "2021-05-07", "2021年5月7日"),
        ("2021年05月27日 15:14", "2021-05-27T15:14:00+08:00", "2021年05月27日 15:14"),
        ("2021年05月27日 15:14:37", "2021-05-27T15:14:37+08:00", "2021年05月27日 15:14:37"),
        ("2021年5月27日 15时14分", "2021-05-27T15:14:00+08:00", "2021年5月27日 15时14分"),
        # single-digit month and day
        ("2021-5-7 9:05", "2021-05-07T09:05:00+08:00", "2021-5-7 9:05"),
        # full-width digits, dash, ideographic space and colon; raw stays as printed
        (
            "２０２１－０５－２７　１５：１４",
            "2021-05-27T15:14:00+08:00",
            "２０２１－０５－２７　１５：１４",
        ),
        ("２０２１年０５月２７日", "2021-05-27", "２０２１年０５月２７日"),
    ],
)
def test_absolute_formats(text: str, iso: str, raw: str) -> None:
    assert find_date(text, SHANGHAI) == PageDate(iso=iso, raw=raw)


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        ("发布时间：2021-05-27 15:14:37", "2021-05-27T15:14:37+08:00", "2021-05-27 15:14:37"),
        ("发布时间:2021-05-27", "2021-05-27", "2021-05-27"),
        (
            "更新时间：2021年05月27日 15:14 admin",
            "2021-05-27T15:14:00+08:00",
            "2021年05月27日 15:14",
        ),
        ("日期：2021/05/27 | 作者：张三 | 点击：12", "2021-05-27", "2021/05/27"),
        ("  2021-05-27 15:14:37\u00a0 admin 0", "2021-05-27T15:14:37+08:00", "2021-05-27 15:14:37"),
    ],
)
def test_date_inside_a_line_keeps_the_raw_date_text(text: str, iso: str, raw: str) -> None:
    assert find_date(text, SHANGHAI) == PageDate(iso=iso, raw=raw)


def test_naive_time_is_read_in_the_given_timezone() -> None:
    assert find_date("2021-05-27 15:14:37", timezone.utc).iso == "2021-05-27T15:14:37+00:00"
    assert find_date("2021-05-27 15:14:37", site_timezone("Europe/Berlin")).iso == (
        "2021-05-27T15:14:37+02:00"
    )


@pytest.mark.parametrize(
    "text",
    [
        "2021-13-05",  # month 13
        "2021-02-30",  # 30 February
        "2021年13月01日",
        "2021-00-10",
        "编号20210527",  # digits without separators are not a date
        "电话 12021-05-27",  # the year would start inside a longer number
        "1999年",
        "",
        "没有日期的一行文字",
    ],
)
def test_not_a_date(text: str) -> None:
    assert find_date(text, SHANGHAI) is None


def test_invalid_date_is_skipped_for_the_next_valid_one() -> None:
    found = find_date("编号2021-13-01，发布于2021-05-27 10:00", SHANGHAI)
    assert found == PageDate(iso="2021-05-27T10:00:00+08:00", raw="2021-05-27 10:00")


def test_first_date_wins() -> None:
    found = find_date("2021-05-27 发布，2021-06-01 更新", SHANGHAI)
    assert found == PageDate(iso="2021-05-27", raw="2021-05-27")


@pytest.mark.parametrize(
    ("text", "fetched", "iso"),
    [
        # fetched 2026-11-29 20:00 in Shanghai
        ("3天前", FETCHED_NOON_UTC, "2026-11-26"),
        ("2小时前", FETCHED_NOON_UTC, "2026-11-29T18:00:00+08:00"),
        ("30分钟前", FETCHED_NOON_UTC, "2026-11-29T19:30:00+08:00"),
        ("昨天 10:20", FETCHED_NOON_UTC, "2026-11-28T10:20:00+08:00"),
        ("前天", FETCHED_NOON_UTC, "2026-11-27"),
        ("今天 08:05", FETCHED_NOON_UTC, "2026-11-29T08:05:00+08:00"),
        # fetched 2026-11-30 04:00 in Shanghai, though still 29 November in UTC
        ("3天前", FETCHED_LATE_UTC, "2026-11-27"),
        ("2小时前", FETCHED_LATE_UTC, "2026-11-30T02:00:00+08:00"),
        ("昨天 10:20", FETCHED_LATE_UTC, "2026-11-29T10:20:00+08:00"),
        ("今天", FETCHED_LATE_UTC, "2026-11-30"),
        ("1周前", FETCHED_LATE_UTC, "2026-11-23"),
        ("刚刚", FETCHED_LATE_UTC, "2026-11-30T04:00:00+08:00"),
        # full-width digits and colon
        ("昨天 １０：２０", FETCHED_LATE_UTC, "2026-11-29T10:20:00+08:00"),
        # English
        ("2 days ago", FETCHED_NOON_UTC, "2026-11-27"),
        ("3 hours ago", FETCHED_NOON_UTC, "2026-11-29T17:00:00+08:00"),
        ("Yesterday at 10:20", FETCHED_NOON_UTC, "2026-11-28T10:20:00+08:00"),
        ("just now", FETCHED_LATE_UTC, "2026-11-30T04:00:00+08:00"),
        # Russian: вчера в 09:15, Сегодня, 14:20, позавчера
        ("вчера в 09:15", FETCHED_NOON_UTC, "2026-11-28T09:15:00+08:00"),
        ("Сегодня, 14:20", FETCHED_NOON_UTC, "2026-11-29T14:20:00+08:00"),
        ("позавчера", FETCHED_NOON_UTC, "2026-11-27"),
    ],
)
def test_relative_dates_resolve_against_the_fetch_time_in_the_site_timezone(
    text: str, fetched: datetime, iso: str
) -> None:
    found = find_date(text, SHANGHAI, fetched)
    assert found is not None
    assert found.iso == iso
    assert found.raw == text


def test_relative_date_in_a_line_keeps_only_the_date_words() -> None:
    found = find_date("发布于 3天前 · 阅读 120", SHANGHAI, FETCHED_NOON_UTC)
    assert found == PageDate(iso="2026-11-26", raw="3天前")


def test_fetch_time_in_another_offset_is_the_same_instant() -> None:
    berlin = FETCHED_LATE_UTC.astimezone(timezone(timedelta(hours=1)))
    assert find_date("昨天 10:20", SHANGHAI, berlin).iso == "2026-11-29T10:20:00+08:00"


def test_relative_dates_need_a_fetch_time() -> None:
    assert find_date("3天前", SHANGHAI) is None
    assert find_date("昨天 10:20", SHANGHAI) is None


def test_absolute_date_wins_over_relative_words() -> None:
    found = find_date("昨天发布（2021-05-27）", SHANGHAI, FETCHED_NOON_UTC)
    assert found == PageDate(iso="2021-05-27", raw="2021-05-27")


@pytest.mark.parametrize(
    ("url", "day"),
    [
        # static htmpagename 1: F/YYYYMMDDN.html (guide §1.2)
        ("http://www.example.com/news/2021052712.html", "2021-05-27"),
        ("http://www.example.com/news/202105273.htm", "2021-05-27"),
        ("http://www.example.com/2021/05/27/some-news.html", "2021-05-27"),
        ("http://www.example.com/news/20210527/12.html", "2021-05-27"),
        ("http://www.example.com/news/2024/0612/123.html", "2024-06-12"),
        ("http://www.example.com/news/2024/06/123.html", None),
        ("http://www.example.com/news/12.html", None),
        ("http://www.example.com/news/shownews.php?id=2021052712", None),
        ("http://www.example.com/news/2021132712.html", None),
        ("http://www.example.com/news/news12.html", None),
    ],
)
def test_date_from_url(url: str, day: str | None) -> None:
    assert date_from_url(url) == day


def test_parse_date_text_uses_the_fixed_rules_first() -> None:
    assert parse_date_text("发布时间：2021-05-27 15:14:37", SHANGHAI) == PageDate(
        iso="2021-05-27T15:14:37+08:00", raw="2021-05-27 15:14:37"
    )


def test_parse_date_text_reads_english_dates() -> None:
    found = parse_date_text("27 May 2021 15:14", SHANGHAI, FETCHED_NOON_UTC)
    assert found is not None
    assert found.iso == "2021-05-27T15:14:00+08:00"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("5 March 2024 at 3:05 pm", "2024-03-05T15:05:00+08:00"),
        # told in GMT: the same instant in the site's timezone, as every other time
        ("March 5, 2024 at 3:05 pm GMT", "2024-03-05T23:05:00+08:00"),
        ("5 June 2024 10:30 BST", "2024-06-05T17:30:00+08:00"),
    ],
)
def test_parse_date_text_reads_english_times_and_their_zone(text: str, iso: str) -> None:
    found = parse_date_text(text, SHANGHAI, FETCHED_NOON_UTC)
    assert found is not None and found.iso == iso and found.raw == text


def test_parse_date_text_keeps_a_day_only_date_a_day() -> None:
    # NewsArticle.published_at: "2021-05-27 when it shows only a day".
    found = parse_date_text("May 27, 2021", SHANGHAI, FETCHED_NOON_UTC)
    assert found is not None
    assert found.iso == "2021-05-27"
    assert found.raw == "May 27, 2021"


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        # a Vietnamese chamber's pages (a whole-site trial): the formal form, the short one,
        # and the half of the day as a word (chiều: afternoon, sáng: morning)
        ("Ngày đăng: Thứ Ba, ngày 12 tháng 3 năm 2024", "2024-03-12", "12 tháng 3 năm 2024"),
        ("12 tháng 3, 2024", "2024-03-12", "12 tháng 3, 2024"),
        (
            "ngày 05 tháng 03 năm 2024 lúc 2:30 chiều",
            "2024-03-05T14:30:00+08:00",
            "05 tháng 03 năm 2024 lúc 2:30 chiều",
        ),
        ("2024-03-05 2:30 chiều", "2024-03-05T14:30:00+08:00", "2024-03-05 2:30 chiều"),
        ("2024-03-05 12:10 sáng", "2024-03-05T00:10:00+08:00", "2024-03-05 12:10 sáng"),
    ],
)
def test_parse_date_text_reads_vietnamese_dates(text: str, iso: str, raw: str) -> None:
    assert parse_date_text(text, SHANGHAI) == PageDate(iso, raw)


def test_parse_date_text_never_reads_a_sentence() -> None:
    assert (
        parse_date_text("本次改造更换了全部8格V型滤池的滤料和配水系统，工期约5个月。", SHANGHAI)
        is None
    )
    assert parse_date_text("没有日期", SHANGHAI) is None


def test_site_timezone() -> None:
    assert site_timezone() == ZoneInfo("Asia/Shanghai")
    assert site_timezone(None) == ZoneInfo("Asia/Shanghai")
    assert site_timezone("UTC") == ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("06 2023-05", "2023-05-06"),
        ("\n 6\n 2023/05 ", "2023-05-06"),
        ("2023-05 06", "2023-05-06"),
        ("2023年05月 6日", "2023-05-06"),
        ("３１ 2023-04", None),  # 31 April: no such day
        ("06 2023-05 14:20", None),  # not a bare badge
        ("第06期 2023-05", None),
        ("2023-05", None),
        ("2024 06-28", "2024-06-28"),  # the year apart from the month and day
        ("06-28 2024", "2024-06-28"),
        ("05 Mar 2024", "2024-03-05"),
        ("Mar 05, 2024", "2024-03-05"),
        ("2023 05 06", "2023-05-06"),
        ("2024 13-01", None),
        ("05 Mar 2024 14:20", None),
        ("Mar 2024", None),
    ],
)
def test_badge_date_reads_a_day_and_a_year_month(text: str, iso: str | None) -> None:
    found = badge_date(text)
    assert (found.iso if found else None) == iso
    if found:
        assert found.raw == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        ("发布时间：2023-03-08 下午2:30", "2023-03-08T14:30:00+08:00", "2023-03-08 下午2:30"),
        ("2023-03-08 上午12:10", "2023-03-08T00:10:00+08:00", "2023-03-08 上午12:10"),
        ("2023-05-06 2:30 p.m.", "2023-05-06T14:30:00+08:00", "2023-05-06 2:30 p.m."),
        ("2023年5月6日 星期六 14:20", "2023-05-06T14:20:00+08:00", "2023年5月6日 星期六 14:20"),
        ("2023-05-06 星期六", "2023-05-06", "2023-05-06"),  # no time: the weekday stays out
        ("Date: 25/05/2023 3:45 PM", "2023-05-25T15:45:00+08:00", "25/05/2023 3:45 PM"),
        ("25.05.2023", "2023-05-25", "25.05.2023"),
        # An ISO time's own offset tells the instant, given in the site's timezone; a time
        # range is no offset; a fraction of a second is read past.
        ("2023-05-06T06:20:00+00:00", "2023-05-06T14:20:00+08:00", "2023-05-06T06:20:00+00:00"),
        ("发布时间：2023-05-06T14:20:00Z", "2023-05-06T22:20:00+08:00", "2023-05-06T14:20:00Z"),
        ("2024-06-12T01:30:00.000Z", "2024-06-12T09:30:00+08:00", "2024-06-12T01:30:00.000Z"),
        ("2023-05-06 14:20-15:30", "2023-05-06T14:20:00+08:00", "2023-05-06 14:20"),
        # Chinese numerals.
        ("发布日期：二〇二三年五月六日", "2023-05-06", "二〇二三年五月六日"),
        ("二〇二三年十二月三十一日", "2023-12-31", "二〇二三年十二月三十一日"),
        # Month first, as US-style pages print it: the 21 can only be the day.
        ("Updated: 07/21/2015 10:03:00", "2015-07-21T10:03:00+08:00", "07/21/2015 10:03:00"),
        ("12/31/2023", "2023-12-31", "12/31/2023"),
        # English "at" between the day and the time; a bare GMT or BST names the instant's
        # zone (a British office: 10:30 GMT is 18:30 in Shanghai, 10:30 BST 17:30).
        ("Posted on 27/02/2024 at 4:45 pm", "2024-02-27T16:45:00+08:00", "27/02/2024 at 4:45 pm"),
        ("14/03/2024 at 10:30 am GMT", "2024-03-14T18:30:00+08:00", "14/03/2024 at 10:30 am GMT"),
        ("14/06/2024 10:30 BST", "2024-06-14T17:30:00+08:00", "14/06/2024 10:30 BST"),
        ("2024-06-14 10:30 (GMT+8)", "2024-06-14T10:30:00+08:00", "2024-06-14 10:30 (GMT+8)"),
        # Japanese eras: Reiwa 6 is 2024, its first year 元年 2019; Heisei 31 is 2019; read
        # before a Gregorian date later in the text (an event's 開催日)
        ("投稿日：令和6年3月12日", "2024-03-12", "令和6年3月12日"),
        ("令和元年5月1日", "2019-05-01", "令和元年5月1日"),
        ("平成31年4月1日（月）10:30", "2019-04-01T10:30:00+08:00", "平成31年4月1日（月）10:30"),
        ("令和6年3月12日 開催日：2024年4月10日", "2024-03-12", "令和6年3月12日"),
    ],
)
def test_twelve_hour_times_weekdays_and_day_first_dates(text: str, iso: str, raw: str) -> None:
    assert find_date(text, SHANGHAI) == PageDate(iso, raw)


@pytest.mark.parametrize("text", ["05/06/2023", "12/11/2023 10:00", "13/13/2023", "02/30/2023"])
def test_day_first_or_month_first_cannot_be_told_apart(text: str) -> None:
    assert find_date(text, SHANGHAI) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("02/05/2024（星期四）", "2024-05-02"),  # 2 May 2024 was a Thursday, 5 February a Monday
        ("02/05/2024 (Mon)", "2024-02-05"),
        ("05/06/2024 周三", "2024-06-05"),  # 5 June was a Wednesday, 6 May a Monday
        ("05/06/2024 周五", None),  # neither was a Friday
        ("05/06/2024", None),  # without a weekday the order stays unknown
    ],
)
def test_a_weekday_after_an_ambiguous_date_tells_its_order(text: str, iso: str | None) -> None:
    found = find_date(text, SHANGHAI)
    assert (found.iso if found else None) == iso


@pytest.mark.parametrize(
    ("language", "text", "iso", "raw"),
    [
        (None, "民國99年3月15日", "2010-03-15", "民國99年3月15日"),  # a two-digit ROC year
        (None, "中華民國一一三年五月二日", "2024-05-02", "中華民國一一三年五月二日"),
        ("zh-TW", "113年5月2日(四) 14:30", "2024-05-02T14:30:00+08:00", "113年5月2日(四) 14:30"),
        ("zh-Hant", "113-05-02", "2024-05-02", "113-05-02"),  # Traditional, no region
        ("zh-CN", "113-05-02", None, None),
        # the ROC date printed first wins over a later Gregorian one
        (None, "刊登：民國 113/05/02 最後修改：2024-05-20 16:40", "2024-05-02", "民國 113/05/02"),
        (None, "2024年5月2日 下午3時20分", "2024-05-02T15:20:00+08:00", "2024年5月2日 下午3時20分"),
        (None, "報名於5月10日前截止", None, None),  # before 10 May, not ten days ago
    ],
)
def test_republic_of_china_years_and_traditional_forms(
    language: str | None, text: str, iso: str | None, raw: str | None
) -> None:
    token = READING_LANGUAGE.set(language)
    try:
        found = find_date(text, ZoneInfo("Asia/Taipei"), datetime(2024, 6, 1, tzinfo=timezone.utc))
    finally:
        READING_LANGUAGE.reset(token)
    assert ((found.iso, found.raw) if found else (None, None)) == (iso, raw)


@pytest.mark.parametrize(
    ("language", "iso"),
    [
        ("en-SG", "2024-06-12"),  # Singapore: day first
        ("zh-Hant-HK", "2024-06-12"),  # Hong Kong: day first
        ("ms", "2024-06-12"),  # Malay: day first
        ("en-US", "2024-12-06"),  # United States: month first
        ("zh-CN", None),  # could be either: left alone
        ("en", None),
    ],
)
def test_a_region_decides_the_order_of_an_ambiguous_date(language: str, iso: str | None) -> None:
    token = READING_LANGUAGE.set(language)
    try:
        found = find_date("12/06/2024", SHANGHAI)
    finally:
        READING_LANGUAGE.reset(token)
    assert (found.iso if found else None) == iso


@pytest.mark.parametrize(
    ("others", "iso"),
    [
        ("<li>20/06/2024</li><li>28/05/2024</li>", "2024-06-12"),  # the page writes d/m
        ("<li>06/20/2024</li>", "2024-12-06"),  # the page writes m/d
        ("<li>20/06/2024</li><li>06/20/2024</li>", None),  # both: nothing tells
        ("<li>2024-06-20</li>", None),  # no numeric d/m date at all
    ],
)
def test_the_pages_other_dates_decide_an_ambiguous_one(others: str, iso: str | None) -> None:
    root = etree.fromstring(f"<html><body><ul>{others}</ul><p>12/06/2024</p></body></html>")
    token = READING_PAGE.set(DateOrder(root))
    try:
        found = find_date("12/06/2024", SHANGHAI)
    finally:
        READING_PAGE.reset(token)
    assert (found.iso if found else None) == iso


@pytest.mark.parametrize(
    ("text", "in_2024"),
    [
        ("06-12", "2024-06-12"),
        ("6月12日", "2024-06-12"),
        ("06-12 14:30", "2024-06-12T14:30:00+08:00"),
        ("12 Jun", "2024-06-12"),
        ("Jun 12", "2024-06-12"),
        ("02-30", None),  # no such day
    ],
)
def test_a_date_without_its_year_reads_in_the_year_given(text: str, in_2024: str | None) -> None:
    found = yearless_date(text)
    assert found is not None and found.raw == text
    dated = found.in_year(2024, SHANGHAI)
    assert (dated.iso if dated else None) == in_2024


@pytest.mark.parametrize("text", ["12/06", "2024-06-12", "13-45", "12 June 2024", "共3页", "1-2-3"])
def test_other_texts_are_no_date_without_a_year(text: str) -> None:
    assert yearless_date(text) is None


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        ("12 มิ.ย. 2567", "2024-06-12", "12 มิ.ย. 2567"),
        ("12/06/2567 09:45 น.", "2024-06-12T09:45:00+08:00", "12/06/2567 09:45 น."),
        (
            "เผยแพร่เมื่อ วันพุธที่ 12 มิถุนายน พ.ศ. 2567 เวลา 14:30 น.",
            "2024-06-12T14:30:00+08:00",
            "วันพุธที่ 12 มิถุนายน พ.ศ. 2567 เวลา 14:30 น.",
        ),
        ("๑๒ มิ.ย. ๒๕๖๗", "2024-06-12", "๑๒ มิ.ย. ๒๕๖๗"),  # in Thai digits
        ("31 ก.พ. 2567", None, None),  # no such day
        # a list's two-digit year after a short month name: the Buddhist era's from 40
        ("22 ก.ค. 67", "2024-07-22", "22 ก.ค. 67"),
        ("5 มี.ค. 24", "2024-03-05", "5 มี.ค. 24"),
        ("5 มีนาคม 67", None, None),  # (not after a month's whole name)
    ],
)
def test_thai_dates_of_the_buddhist_era(text: str, iso: str | None, raw: str | None) -> None:
    found = find_date(text, SHANGHAI)
    assert (found.iso, found.raw) == (iso, raw) if iso else found is None


@pytest.mark.parametrize(
    ("order", "iso", "unsettled"),
    [
        ("d", "2024-06-12", False),  # the site's other pages showed 17/01/2025
        ("m", "2024-12-06", False),
        (None, None, True),  # not known yet: the caller may read the page again
    ],
)
def test_the_sites_order_settles_an_ambiguous_date_last(
    order: str | None, iso: str | None, unsettled: bool
) -> None:
    site = SiteDateOrder(order)
    token = READING_SITE_ORDER.set(site)
    try:
        found = find_date("12/06/2024", SHANGHAI)
        # the page's language still comes first
        language = READING_LANGUAGE.set("en-US")
        try:
            american = find_date("12/06/2024", SHANGHAI)
        finally:
            READING_LANGUAGE.reset(language)
    finally:
        READING_SITE_ORDER.reset(token)
    assert (found.iso if found else None) == iso
    assert site.unsettled is unsettled
    assert american is not None and american.iso == "2024-12-06"


@pytest.mark.parametrize(
    ("raw", "order"),
    [
        ("17/01/2025", "d"),
        ("Date：14/04/2025 09:00", "d"),
        ("01/17/2025", "m"),
        ("05/06/2025", None),  # either
        ("2025-06-05", None),  # year first: says nothing of the other order
        (None, None),
    ],
)
def test_a_numeric_date_shows_its_sites_order(raw: str | None, order: str | None) -> None:
    assert numeric_date_order(raw) == order


# --- two-digit years in lists (met_listtime "y-m-d", "d.m.y", "m/d/y") ------------------------

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("texts", "day_first", "order"),
    [
        # 18.04.24 can only be day first (no month 18, and 2018-04-24 comes after 2003)
        (["06.05.24", "18.04.24", "02.02.24"], None, "dmy"),
        # 24-05-06 has no month 24 read month first; day first it would be 2006, 2018, 2002,
        # newer and older in turn: year first, newest first
        (["24-05-06", "24-04-18", "24-02-02"], None, "ymd"),
        (["05/06/24", "04/18/24"], None, "mdy"),
        # any order gives real days, newest first: only the page's language tells
        (["06.05.24", "05.04.24"], True, "dmy"),
        (["06.05.24", "05.04.24"], False, "mdy"),
        (["06.05.24", "05.04.24"], None, None),
        # a sidebar's list after the main one: newest first within each, fewest steps back
        (["06.05.24", "03.05.24", "19.04.24", "22.05.24", "10.05.24", "06.05.24"], None, "dmy"),
        (["version 1.2.3"], None, None),
        # a day after today is no day shown beside a published entry
        (["30.12.26", "29.12.26"], True, None),
    ],
)
def test_short_year_order_is_told_by_the_dates_themselves(
    texts: list[str], day_first: bool | None, order: str | None
) -> None:
    assert short_year_order(texts, TODAY, day_first) == order


def test_short_year_day_reads_the_order_it_is_given() -> None:
    assert short_year_day("06.05.24", "dmy") == "2024-05-06"
    assert short_year_day("06.05.24", "mdy") == "2024-06-05"
    assert short_year_day("24-05-06", "ymd") == "2024-05-06"
    assert short_year_day("31.02.24", "dmy") is None
    assert short_year_day("about 06.05.24", "dmy") is None  # standing alone only


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        # a Jakarta association's pages (a whole-site trial): the time after a bar, WIB
        # (UTC+7) told in the site's timezone, the hour's dot after pukul
        (
            "Selasa, 5 Maret 2024 | 14:30 WIB",
            "2024-03-05T15:30:00+08:00",
            "5 Maret 2024 | 14:30 WIB",
        ),
        (
            "Jumat, 5 Juni 2026, pukul 10.00 WIB",
            "2026-06-05T11:00:00+08:00",
            "5 Juni 2026, pukul 10.00 WIB",
        ),
        ("Diposting oleh Admin pada 5 Maret 2024", "2024-03-05", "5 Maret 2024"),
        ("05/03/2024 14:30 WITA", "2024-03-05T14:30:00+08:00", "05/03/2024 14:30 WITA"),
        (
            "2024年03月05日 14:30（雅加达时间）",
            "2024-03-05T15:30:00+08:00",
            "2024年03月05日 14:30（雅加达时间）",
        ),
    ],
)
def test_indonesian_dates_and_zones(text: str, iso: str, raw: str) -> None:
    token = READING_LANGUAGE.set("id")
    try:
        found = parse_date_text(text, SHANGHAI)
    finally:
        READING_LANGUAGE.reset(token)
    assert found == PageDate(iso, raw)


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        # an Ivorian chamber's pages (a whole-site trial): a whole hour, the first of a month
        ("Publié le 3 avril 2024 à 11 h", "2024-04-03T11:00:00+08:00", "3 avril 2024 à 11 h"),
        (
            "Publié le 1er février 2024 à 8 h",
            "2024-02-01T08:00:00+08:00",
            "1er février 2024 à 8 h",
        ),
        ("Publié le 5 mars 2024 à 14 h 30", "2024-03-05T14:30:00+08:00", "5 mars 2024 à 14 h 30"),
    ],
)
def test_french_hours_and_the_first_of_the_month(text: str, iso: str, raw: str) -> None:
    token = READING_LANGUAGE.set("fr")
    try:
        found = parse_date_text(text, SHANGHAI)
    finally:
        READING_LANGUAGE.reset(token)
    assert found == PageDate(iso, raw)
