"""Publication dates as MetInfo prints them, to ISO 8601 (guide §3)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract.text import nfkc

# MetInfo hard-codes PHP's timezone to Asia/Shanghai in every release (7.x
# app/system/entrance.php, 1.0-5.x include/common.inc.php; guide §3), and stores naive times.
METINFO_TIMEZONE = "Asia/Shanghai"

# Y-m-d, Y/m/d, Y.m.d, Y年m月d日, each optionally followed by H:i[:s] (also 时/分/秒 and
# full-width colons, folded by NFKC before matching).  Guide §3 gives the core of this regex;
# the admin-configurable formats (met_contenttime, met_listtime) are all of this shape.
# The time may follow a weekday (2023年5月6日 星期六 14:20) and be a 12-hour one: 下午2:30,
# 2:30 PM (fixtures generic/ruifeng-530, liyuan-1207).
CN_WEEKDAY = r"(?:星期|周|礼拜|禮拜)[一二三四五六日天]"
# in brackets too: 2024年6月12日（星期三）14:30 (generic/zhongrichanyeyuan-415)
# and the Japanese one-character weekday in brackets: 2024年6月12日（水）14:05
# (generic/dalianbaoshuiqu-1127), and the Chinese one: (四)
_WEEKDAY = (
    r"(?:\s*[（(]?\s*" + CN_WEEKDAY + r"\s*[）)]?|\s*[（(][月火水木金土日](?:曜日?)?[）)]"
    # Taiwan's one-character Chinese weekday: 113年5月2日(四) 14:30 (generic/tainanshanghui-2206)
    r"|\s*[（(][一二三四五六日天][）)]"
    # and the Korean one: 2025.12.01 (월) 09:30 (generic/weihaichukou-318)
    r"|\s*[（(][월화수목금토일](?:요일)?[）)])?"
)
# A word or dash between the date and its time: 12.06.2024 в 14:30 (ru), 03/07/2024 - 10:30,
# 12/06/2024 lúc 08:15 (vi), à 14h (fr), um (de), a las (es) (generic/zhongeshanghui-318),
# at 4:45 pm (en).
_TIME_JOIN = r"(?:\s*(?:в|à|às|um|lúc|at|a\s+las|-|–|—)(?=\s*\d{1,2}\s*[:时時點点h]))?"
_TIME = (
    r"(?:,?"
    + _TIME_JOIN
    + _WEEKDAY
    + r"\s*(?P<T>T)?\s*(?P<ampm1>上午|下午|晚上|中午|오전|오후)?\s*(?P<H>\d{1,2})\s*"
    # 14h20 and 9 h 30 after a joining word (pt-BR, fr: generic/huabaxishanghui-455,
    # ketediwashanghui-690)
    r"(?:[:时時點点]|h(?=\s?\d{2}(?!\d)))"
    # seconds may carry a fraction: 2024-06-12T01:30:00.000Z (generic/sanjiangkeji-319)
    r"\s*(?P<M>\d{1,2})(?:\s*[:分]\s*(?P<S>\d{1,2})(?:\.\d{1,6})?\s*秒?|\s*分)?(?!\d)"
    # Vietnamese writes the half of the day as a word: 2:30 chiều (afternoon), 9:15 sáng
    r"(?:\s*(?P<ampm2>[ap]\.?m\.?|ص|م|sáng|chiều|tối)(?![a-z\u0600-\u06ff]))?(?:\s*uhr\b)?"
    # a zone note after the time: （北京时间）, (GMT+8), UTC+8 (generic/dehuashang-318,
    # xbyhuashang-527), a bare GMT or BST (a British office's page): the instant is told in
    # the site's timezone
    r"(?:\s*[（(]?\s*(?P<zone>北京时间|北京時間|(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
    r"|(?:GMT|UTC|BST|WIB|WITA|WIT)\b|雅加达时间|雅加達時間)\s*[)）]?)?)?"
)
# An ISO 8601 time (2023-05-06T14:20:00+08:00) may carry its UTC offset, which then tells
# the instant (given in the site's timezone; generic/tanxiyiyuan-77, sanjiangkeji-319); only
# after a "T", so that a time range (14:20-15:30) is never read as an offset.
_OFFSET = r"(?(T)(?P<tzo>Z|[+-]\d{2}:?\d{2})?)"
# Korean pages print 2024년 6월 12일 14:30 (generic/weihaizhonghan-2207).
# Mongolian: 2025 оны 12 сарын 01 (year of, month of; generic/erlianhaote-733).
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.年년]|оны)\s*"
    # a Japanese era year in brackets after the year: 2024年（令和6年）6月 (dljpbiz-415)
    r"(?:[（(]\s*(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年\s*[）)]\s*)?(?P<m>\d{1,2})\s*"
    r"(?:[-/.月월]|(?:-р\s*)?сарын)\s*(?P<d>\d{1,2})(?!\s*月)"  # not 2024年1-2月, months
    # Korean puts a full stop after the day too: 2024. 6. 12. 오후 3:20 (generic/tjkcham-733)
    r"(?!\d)(?:\.(?=\s*(?:[（(]|오전|오후|\d{1,2}:)))?\s*[日일]?" + _TIME + _OFFSET,
    re.IGNORECASE,
)
# A date in Chinese numerals, as signatures and government notices print it: 二〇二三年五月六日
# (generic/baiyangzhen-1102).  Day only.
_CN_DIGITS = "〇零○一二三四五六七八九"
CN_NUMERAL_DATE_RE = re.compile(
    rf"(?P<y>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<m>[一二三四五六七八九十]{{1,2}})\s*月\s*"
    rf"(?P<d>[一二三四五六七八九十]{{1,3}})\s*日"
)
# Day first, as English pages print it: 25/05/2023 3:45 PM, or month first as US-style ones
# do: 07/21/2015 (generic/harvestgear-77).  Read only when the order is certain (one of the
# two numbers is above 12); 05/06/2023 could be either and is left alone.
DAY_FIRST_RE = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.IGNORECASE,
)
# A date of the Republic of China calendar (Taiwan): 民國113年6月12日, or 113-06-12 and
# 113/06/12 14:30 on a Taiwan page (year 1 is 1912).
ROC_YEAR_OFFSET = 1911
ROC_DATE_RE = re.compile(
    r"(?:(?P<roc>民國|民国)\s*)?(?<![\d/.-])(?P<y>1\d{2}|(?<=[國国])\s*\d{2}|(?<=[國国]\s)\d{2})"
    r"\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?" + _TIME,
    re.IGNORECASE,
)
# A date of a Japanese era, as Japanese pages print it: 令和6年3月12日 (Reiwa 6 is 2024; its
# first year is written 元年, 令和元年 is 2019), 平成31年4月1日 (Heisei 31 is 2019).
JAPANESE_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
JAPANESE_ERA_DATE_RE = re.compile(
    r"(?P<era>令和|平成|昭和)\s*(?P<y>元|\d{1,2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*[（(][月火水木金土日](?:曜日?)?[）)])?(?:\s*(?P<H>\d{1,2})\s*[:時]\s*(?P<M>\d{2})(?!\d))?"
)
# The same in Chinese numerals, digit by digit, as official notices print it:
# 中華民國一一三年五月二日 (generic/taizhongnongxie-1509).  Day only.
ROC_NUMERAL_DATE_RE = re.compile(
    r"(?:中華|中华)?民[國国]\s*(?P<y>[〇零○一二三四五六七八九]{2,3})\s*年\s*(?P<m>[一二三四五六七八九十]{1,2})"
    r"\s*月\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)
# A two-digit year first: 24-06-12 09:30, read only where a date label stands before it.
SHORT_YEAR_DATE_RE = re.compile(
    r"^(?P<y>\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)" + _TIME,
    re.IGNORECASE,
)
# Chinese relative forms seen on portals: "3天前", "2小时前", "刚刚", "昨天 10:20"; and the
# English ones: "2 days ago", "5 hours ago" (generic/ashgrovechamber-41).
RELATIVE_RE = re.compile(
    # (not 5月10日前, "before 10 May": generic/xinbeigongye-1187)
    r"(?<![月\d])(?P<n>\d+)\s*(?P<unit>秒|分钟|分鐘|小时|小時|天|日|周|週|星期)\s*前|"
    r"\b(?P<en_n>\d+)\s*(?P<en_unit>second|sec|minute|min|hour|hr|day|week|wk)s?\.?\s+ago\b",
    re.IGNORECASE,
)
_EN_UNITS = {
    "sec": "秒",
    "hr": "小时",
    "wk": "周",
    "second": "秒",
    "minute": "分钟",
    "min": "分钟",
    "hour": "小时",
    "day": "天",
    "week": "周",
}
DAY_WORDS = {
    "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "today": 0, "yesterday": 1,
    # Russian portals: сегодня в 14:20, вчера в 09:15, позавчера (a Russian-Chinese site)
    "сегодня": 0, "вчера": 1, "позавчера": 2,
}  # fmt: skip
DAY_WORD_RE = re.compile(
    r"(?P<word>今天|今日|昨天|昨日|前天|\btoday\b|\byesterday\b|(?<!\w)(?:сегодня|вчера|позавчера)(?!\w))"
    r"(?:,?\s*(?:at\s+|в\s+)?(?P<ampm0>上午|下午|晚上|中午)?\s*(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})"
    # Yesterday at 3:20 PM (generic/zhujiangshanghui-88)
    r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?)?",
    re.IGNORECASE,
)
JUST_NOW_RE = re.compile(r"刚刚|剛剛|\bjust now\b", re.IGNORECASE)
# What every date this module reads holds: a digit of any script (full-width, Thai and
# Arabic-Indic too), 年 (二〇二四年三月五日, 令和元年), or a relative day word.  A text without
# one is passed over at once: most texts searched for a date (titles, list entries) hold
# none.
DATE_HINT_RE = re.compile(
    r"\d|[年今昨前刚剛]|today|yesterday|just now|сегодня|вчера", re.IGNORECASE
)
# Static-mode article names carry the add date: F/YYYYMMDDN.html (guide §1.2, htmpagename 1),
# and some sites put dates in paths (/2021/05/27/, /20210527/).
_Y, _M, _D = r"(?:19|20)\d{2}", r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
URL_DATE_RE = re.compile(
    # YYYYMMDD, an id may follow: F/YYYYMMDDN.html, /20210527/
    rf"/(?P<y>{_Y})(?P<m>{_M})(?P<d>{_D})(?=\d*(?:[/._-]|$))|"
    # YYYY/MM/DD, YYYY-MM-DD: nothing glued after the day (/2024/06/123.html is no 12 June)
    rf"/(?P<y2>{_Y})(?P<sep>[-/])(?P<m2>{_M})(?P=sep)(?P<d2>{_D})(?=[/._-]|$)|"
    # YYYY/MMDD/: a month-and-day folder under the year (generic/qingyangxiehui-123)
    rf"/(?P<y3>{_Y})/(?P<m3>{_M})(?P<d3>{_D})(?=[/._-]|$)"
)

_UNIT_SECONDS = {"秒": 1, "分钟": 60, "分鐘": 60, "小时": 3600, "小時": 3600}
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "週": 7, "星期": 7}


def site_timezone(name: str | None = None) -> tzinfo:
    """The timezone for naive page times: ``name`` (an IANA name) or Asia/Shanghai.

    Raises ``zoneinfo.ZoneInfoNotFoundError`` for an unknown name.
    """
    return ZoneInfo(name or METINFO_TIMEZONE)


@dataclass(frozen=True)
class PageDate:
    """A date found in page text.

    ``iso`` is ``YYYY-MM-DDTHH:MM:SS+HH:MM`` when a time of day was shown, ``YYYY-MM-DD`` when
    only a day was; ``raw`` is the matched text exactly as shown on the page.
    """

    iso: str
    raw: str


# Thai digits (๐-๙) as ASCII: NFKC leaves them, and a Thai page may print its dates in them.
_THAI_DIGITS = str.maketrans(
    # and Arabic-Indic and Extended Arabic-Indic digits, the Arabic thousands separator
    # (generic/aijijingmaoqu-1112)
    "๐๑๒๓๔๕๖๗๘๙٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬",
    "0123456789" * 3 + ",",
)


def normalise(text: str) -> str:
    """Fold full-width digits, colons and spaces to ASCII (NFKC, :func:`text.nfkc`), and
    Thai and Arabic-Indic digits; the length stays the same for these."""
    return nfkc(text).translate(_THAI_DIGITS)


def _aware_iso(dt: datetime, tz: tzinfo) -> str:
    return dt.replace(tzinfo=tz).isoformat(timespec="seconds")


# The language of the page being read (its BCP 47 tag), set by extraction for the page's
# dates: in a day-first language 06.05.2024 is 6 May, and month names are read in it
# (generic/volgamash-57, solymar-302).  None: Chinese or English conventions only.
READING_LANGUAGE: ContextVar[str | None] = ContextVar("reading_language", default=None)
# Languages whose numeric dates put the day first (CLDR short date patterns).
DAY_FIRST_LANGUAGES = frozenset(
    {
        "ru", "uk", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "tr", "vi", "ar", "id",
        "el", "ms", "th", "kk", "ky", "uz", "tg", "az", "be", "bg", "ro", "sr", "hr", "sk",
        "sl", "da", "nb", "no", "fi", "et", "lv", "ka", "hy", "he", "ur", "sw",
    }
)  # fmt: skip
# Regions whose numeric dates put the day first whatever the language (CLDR short date
# patterns of en-GB, en-AU, en-SG, zh-Hant-HK, zh-Hant-MO, zh-Hans-SG...): 12/06/2024 on a
# Hong Kong or Singapore page is 12 June (generic/xianggangjinchukou-845, xinjiapozonghui-733).
DAY_FIRST_REGIONS = frozenset(
    {"GB", "IE", "AU", "NZ", "IN", "SG", "MY", "HK", "MO", "ZA", "PK", "NG", "KE", "BD", "LK"}
)
# The page being read, for the order its own numeric dates show (:class:`DateOrder`); set by
# extraction beside READING_LANGUAGE.  None: no page evidence.
READING_PAGE: ContextVar[DateOrder | None] = ContextVar("reading_page", default=None)


@dataclass
class SiteDateOrder:
    """The order of day and month a site's other pages showed (``order``: ``"d"``, ``"m"``,
    None when unknown), given to an article's extraction as the last resort of
    :func:`_day_first`; ``unsettled`` becomes True when a date on the page needed it and
    it was None (the caller may read the page again once the site has shown its order)."""

    order: str | None = None
    unsettled: bool = False


READING_SITE_ORDER: ContextVar[SiteDateOrder | None] = ContextVar(
    "reading_site_order", default=None
)


class DateOrder:
    """The order of day and month in a page's numeric dates, read off the page itself: its
    dates whose first number is above 12 put the day first (28/05/2024), those whose second
    is, the month (05/28/2024).  Read once, when a date that could be either is met
    (a site's sidebar of 20/06/2024 tells how its 12/06/2024 reads,
    generic/aozhongshanghui-1417)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._order: str | None = None
        self._read = False

    def order(self) -> str | None:
        """``"d"`` (day first), ``"m"`` (month first), or None when the page shows neither
        or both."""
        if not self._read:
            self._read = True
            text = normalise(_page_text(self.root))
            shown = {_order_shown(match) for match in DAY_FIRST_RE.finditer(text)} - {None}
            self._order = shown.pop() if len(shown) == 1 else None
        return self._order


# A numeric date with a two-digit year, standing alone (PHP's "y" in MetInfo's list date
# format met_listtime, which admins may change, guide §2.1): 24-03-05, 05.03.24, 03/05/24.
SHORT_YEAR_RE = re.compile(r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{1,2})\s*$")
SHORT_YEAR_ORDERS = ("ymd", "dmy", "mdy")


def short_year_order(
    texts: Iterable[str], today: date | None = None, day_first: bool | None = None
) -> str | None:
    """The order of a page's two-digit-year dates (``"ymd"``, ``"dmy"``, ``"mdy"``), told
    by the dates themselves: the orders under which every one is a real day (not after
    ``today``); of several, the one under which they step back in time least often (lists
    run newest first); of several still, day before month when ``day_first`` says so (the
    page's language), month first when it says not.  None when they do not tell."""
    found = [m for m in map(SHORT_YEAR_RE.match, texts) if m is not None]
    if not found:
        return None
    orders = []
    for order in SHORT_YEAR_ORDERS:
        days = [_short_year_value(m, order) for m in found]
        if all(d is not None and (today is None or d <= today) for d in days):
            orders.append((order, days))
    if len(orders) > 1:
        # lists run newest first: the fewest steps back in time (a page holds a sidebar's
        # list beside the main one, so not none)
        rises = {o: sum(a < b for a, b in pairwise(d)) for o, d in orders}
        fewest = min(rises.values())
        orders = [(o, d) for o, d in orders if rises[o] == fewest]
    if len(orders) > 1 and day_first is not None:
        # ymd stays possible only when the day-first or month-first reading is not
        orders = [(o, d) for o, d in orders if o == ("dmy" if day_first else "mdy")] or orders
    return orders[0][0] if len(orders) == 1 else None


def _short_year_value(m: re.Match[str], order: str) -> date | None:
    a, b, c = int(m[1]), int(m[3]), int(m[4])
    y, mo, d = {"ymd": (a, b, c), "dmy": (c, b, a), "mdy": (c, a, b)}[order]
    try:
        return date(2000 + y, mo, d)
    except ValueError:
        return None


def page_short_year_order(root: Any, today: date | None = None) -> str | None:
    """:func:`short_year_order` of the two-digit-year dates standing alone in the text
    nodes of the page under ``root``, in document order, the page's reading language
    (:data:`READING_LANGUAGE`) telling day from month first when the dates do not."""
    tag = READING_LANGUAGE.get()
    day_first = _tag_order(tag) if tag else None
    return short_year_order(root.itertext(etree.Element), today, day_first)


def short_year_day(text: str, order: str) -> str | None:
    """``text`` (a two-digit-year date standing alone) as ``YYYY-MM-DD`` in ``order``
    (:func:`short_year_order`), or None.  Years are read as 20YY."""
    m = SHORT_YEAR_RE.match(text)
    found = _short_year_value(m, order) if m is not None else None
    return found.isoformat() if found is not None else None


def _page_text(root: Any) -> str:
    # Text nodes apart: <li>20/06/2024</li><li>28/05/2024</li> are two dates.
    return " ".join(root.itertext(etree.Element)) if root is not None else ""


# Regions whose numeric dates put the month first (CLDR: en-US 6/12/24): 06/12/2024 on a
# US page is 12 June (generic/buckeyefasteners-77).
MONTH_FIRST_REGIONS = frozenset({"US", "PH", "PR", "UM", "AS", "GU", "MP", "VI"})


def _tag_order(tag: str) -> bool | None:
    """Day first (True) or month first (False) by a language tag's language or region;
    None when it tells neither."""
    parts = tag.replace("_", "-").split("-")
    if parts[0].lower() in DAY_FIRST_LANGUAGES:
        return True
    for part in parts[1:]:
        if len(part) == 2 and part.upper() in DAY_FIRST_REGIONS:
            return True
        if len(part) == 2 and part.upper() in MONTH_FIRST_REGIONS:
            return False
    return None


def _day_first() -> bool | None:
    """Whether an ambiguous numeric date on the page being read puts the day first: by its
    language or region, else the page's own other dates, else the region its ``<html
    lang>`` names (MetInfo's lang mark, en, names none), else the order the site's other
    pages showed (:data:`READING_SITE_ORDER`); None when nothing tells."""
    if (by_tag := _tag_order(READING_LANGUAGE.get() or "")) is not None:
        return by_tag
    page = READING_PAGE.get()
    if page is not None:
        if (order := page.order()) is not None:
            return order == "d"
        by_lang = _tag_order(page.root.get("lang") or "") if page.root is not None else None
        if by_lang is not None:
            return by_lang
    site = READING_SITE_ORDER.get()
    if site is None:
        return None
    if site.order is None:
        site.unsettled = True
        return None
    return site.order == "d"


def numeric_date_order(raw: str | None) -> str | None:
    """``"d"`` when ``raw`` (a date as shown) is a numeric date whose day comes first and
    shows it (17/01/2025), ``"m"`` when its month comes first and shows it (01/17/2025),
    else None: what one page tells of its site's order."""
    match = DAY_FIRST_RE.search(normalise(raw or ""))
    return _order_shown(match) if match is not None else None


def _order_shown(match: re.Match[str]) -> str | None:
    """The order a :data:`DAY_FIRST_RE` match shows: ``"d"`` when its first number can only
    be a day (28/05/2024), ``"m"`` when its second can only be one (05/28/2024), else None."""
    first, second = int(match["d"]), int(match["m"])
    if 12 < first <= 31 and second <= 12:
        return "d"
    if first <= 12 < second <= 31:
        return "m"
    return None


def short_year_date(text: str, tz: tzinfo) -> PageDate | None:
    """The date of a labelled value that prints a two-digit year first (``24-06-12 09:30``,
    generic/lingangxiehui-612): years 00-99 of this century.  Only for a value a date label
    names: alone, such a text could be anything."""
    folded = normalise(text.strip())
    if (match := SHORT_YEAR_DATE_RE.match(folded)) is None:
        return None
    parsed = _absolute(match, tz, year_offset=2000)
    return PageDate(iso=parsed, raw=folded[: match.end()].strip()) if parsed else None


def _reading_roc() -> bool:
    """True when the page being read is in Traditional Chinese (zh-TW, zh-Hant, zh-Hant-TW),
    where a three-digit year is a Republic of China year (a Hong Kong page prints none;
    generic/xinbeigongye-1187 says only zh-Hant)."""
    tags = [READING_LANGUAGE.get() or ""]
    # MetInfo's lang mark says cn on many Traditional sites: their <html lang> tells
    # (generic/taizhongshangye-list-6-p2)
    page = READING_PAGE.get()
    if page is not None and page.root is not None:
        tags.append(page.root.get("lang") or "")
    return any(
        tag.lower().startswith("zh") and (tag.lower().endswith("-tw") or "-hant" in tag.lower())
        for tag in tags
    )


# A weekday printed just after a date: （星期四）, 周四, (四), Thu, Thursday.
_WEEKDAY_AFTER_RE = re.compile(
    r"\s*[（(]?\s*(?:(?:星期|周|週|礼拜|禮拜)(?P<cn>[一二三四五六日天])|(?<=[（(])(?P<one>[一二三四五六日天])(?=[）)])"
    r"|(?P<en>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)",
    re.IGNORECASE,
)
_CN_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六")} | {"日": 6, "天": 6}
_EN_WEEKDAYS = {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}


def _by_weekday(match: re.Match[str], folded: str, tz: tzinfo) -> str | None:
    """The date of an ambiguous :data:`DAY_FIRST_RE` match (05/06/2024) in the order whose
    weekday is the one printed just after it; None without a weekday, or when both orders or
    neither fit it."""
    after = _WEEKDAY_AFTER_RE.match(folded, match.end("y"))
    if after is None:
        return None
    word = after["cn"] or after["one"]
    weekday = _CN_WEEKDAYS[word] if word else _EN_WEEKDAYS[after["en"][:3].lower()]
    fits = []
    for month_first in (False, True):
        parsed = _absolute(match, tz, month_first=month_first)
        if parsed and date.fromisoformat(parsed[:10]).weekday() == weekday:
            fits.append(parsed)
    return fits[0] if len(fits) == 1 else None


def _reading_language() -> str | None:
    """The primary subtag of :data:`READING_LANGUAGE` (``zh-CN`` -> ``zh``), or None."""
    tag = READING_LANGUAGE.get()
    return tag.split("-")[0].lower() if tag else None


def find_date(text: str, tz: tzinfo, fetched_at: datetime | None = None) -> PageDate | None:
    """The first date in ``text``, or None.

    Absolute forms (:data:`DATE_RE`) are tried first, then relative Chinese forms, which
    need ``fetched_at`` (an aware datetime: when the page was fetched) and resolve against it
    in ``tz``.  Naive page times are taken to be in ``tz``.  Invalid calendar values
    (month 13, 31 February) are skipped.
    """
    if not text or not DATE_HINT_RE.search(text):
        return None
    folded = normalise(text)
    # NFKC keeps the length of these characters, so offsets map back to the original text
    # for the raw value only when lengths agree; otherwise fall back to the folded text.
    source = text if len(folded) == len(text) else folded
    # 民國113年6月12日, or 113-06-12 on a Taiwan page: year 113 of the Republic of China is
    # 2024 (generic/taibeiqiaoshang-612, gaoxiongjinchukou-1745); read before a Gregorian
    # date printed after it (刊登日期：民國 113/05/02 … 最後修改：2024-05-20, generic/
    # gaoxiongshipin-833).
    roc = ROC_DATE_RE.search(folded)
    if roc is not None and not (roc["roc"] or _reading_roc()):
        roc = None
    roc_at = roc.start() if roc is not None else len(folded)
    # 令和6年3月12日 (a Japanese page), likewise before a Gregorian date printed after it
    era = JAPANESE_ERA_DATE_RE.search(folded) if "和" in folded or "平成" in folded else None
    if era is not None and era.start() < roc_at and (found := _era_date(era, source, tz)):
        roc_at, era_found = era.start(), found
    else:
        era_found = None
    for match in DATE_RE.finditer(folded):
        if match.start() > roc_at:
            break
        parsed = _absolute(match, tz)
        if parsed:
            return _time_before(match, parsed, folded, source, tz)
    for match in DAY_FIRST_RE.finditer(folded):
        if match.start() > roc_at:
            break
        first, second = int(match["d"]), int(match["m"])
        if first > 12:
            parsed = _absolute(match, tz)
        elif second > 12:
            parsed = _absolute(match, tz, month_first=True)
        elif (day_first := _day_first()) is None:
            # the weekday printed after it tells the order: 02/05/2024（星期四） is 2 May
            # (generic/gangdaoshanghui-518)
            parsed = _by_weekday(match, folded, tz)
        else:
            parsed = _absolute(match, tz, month_first=not day_first)
        if parsed:
            return _time_before(match, parsed, folded, source, tz)
    if era_found is not None:
        return era_found
    if roc is not None and (parsed := _absolute(roc, tz, year_offset=ROC_YEAR_OFFSET)):
        return PageDate(iso=parsed, raw=source[roc.start() : roc.end()].strip())
    if (match := CN_NUMERAL_DATE_RE.search(folded)) and (day := _cn_numeral_day(match)):
        return PageDate(iso=day, raw=source[match.start() : match.end()])
    if (match := ROC_NUMERAL_DATE_RE.search(folded)) and (
        day := _cn_numeral_day(match, ROC_YEAR_OFFSET)
    ):
        return PageDate(iso=day, raw=source[match.start() : match.end()])
    if found := _thai_date(folded, source, tz):
        return found
    if fetched_at is not None:
        return _relative(folded, source, tz, fetched_at)
    return None


def _era_date(match: re.Match[str], source: str, tz: tzinfo) -> PageDate | None:
    """A :data:`JAPANESE_ERA_DATE_RE` match as a date (with its time when it shows one), or
    None for a day that does not exist."""
    year = JAPANESE_ERAS[match["era"]] + (1 if match["y"] == "元" else int(match["y"]))
    try:
        day = date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    raw = source[match.start() : match.end()].strip()
    if match["H"] is None or not (int(match["H"]) < 24 and int(match["M"]) < 60):
        end = match.start("H") if match["H"] is not None else match.end()
        return PageDate(iso=day.isoformat(), raw=source[match.start() : end].strip())
    at = datetime(year, day.month, day.day, int(match["H"]), int(match["M"]))
    return PageDate(iso=_aware_iso(at, tz), raw=raw)


# A time of day printed just before its date: 08:15 12/06/2024 (generic/yuenanshanghui-512).
TIME_BEFORE_RE = re.compile(r"(?<![\d:])(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*,?\s*$")


def _time_before(match: re.Match[str], iso: str, folded: str, source: str, tz: tzinfo) -> PageDate:
    """The date of ``match`` (``iso``), with the time printed just before it when it shows
    none of its own."""
    start = match.start()
    if len(iso) == len("YYYY-MM-DD") and (before := TIME_BEFORE_RE.search(folded, 0, start)):
        try:
            dt = datetime.fromisoformat(iso).replace(
                hour=int(before["H"]), minute=int(before["M"]), second=int(before["S"] or 0)
            )
        except ValueError:
            pass
        else:
            start = before.start()
            iso = _aware_iso(dt, tz)
    return PageDate(iso=iso, raw=source[start : match.end()].strip())


_CN_DIGIT_VALUES = {c: max(0, i - 2) for i, c in enumerate(_CN_DIGITS)}  # 〇零○ are 0


def _cn_numeral_day(match: re.Match[str], year_offset: int = 0) -> str | None:
    """The ISO day of a :data:`CN_NUMERAL_DATE_RE` match (or a :data:`ROC_NUMERAL_DATE_RE`
    one, with ``year_offset`` 1911), None for an invalid one."""
    year = int("".join(str(_CN_DIGIT_VALUES[c]) for c in match["y"])) + year_offset
    try:
        return date(year, _cn_number(match["m"]), _cn_number(match["d"])).isoformat()
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """一 to 三十一 as an int (十 = 10, 十二 = 12, 二十 = 20, 二十三 = 23); 0 (no such month
    or day) for anything else."""
    tens, ten, units = text.partition("十")
    if not ten:
        tens, units = "", text
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return 0
    return (_CN_DIGIT_VALUES.get(tens, 1) if ten else 0) * 10 + _CN_DIGIT_VALUES.get(units, 0)


# Thai dates: years of the Buddhist era (2567 is 2024), months by name or number, the time
# with เวลา before it and น. after it: 12 มิ.ย. 2567, 12/06/2567 09:45 น., วันพุธที่ 12
# มิถุนายน พ.ศ. 2567 เวลา 14:30 น. (generic/taihuazonghui-1245, thaizhongwuliu-318,
# taizhongwenhua-415); a list's 22 ก.ค. 67 (a whole-site trial of a Thai chamber).
BUDDHIST_ERA_OFFSET = -543
# A two-digit year from this up is the Buddhist era's (2540-2599: 1997-2056), below it the
# Common Era's (2000-2039).
THAI_SHORT_BE_FROM = 40
THAI_MONTHS = (
    ("มกราคม", "ม.ค."),
    ("กุมภาพันธ์", "ก.พ."),
    ("มีนาคม", "มี.ค."),
    ("เมษายน", "เม.ย."),
    ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."),
    ("กรกฎาคม", "ก.ค."),
    ("สิงหาคม", "ส.ค."),
    ("กันยายน", "ก.ย."),
    ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."),
    ("ธันวาคม", "ธ.ค."),
)
_THAI_MONTH_NUMBER = {name: n for n, names in enumerate(THAI_MONTHS, 1) for name in names}
_THAI_TIME = r"(?:\s*(?:เวลา\s*)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:\s*น\.)?)?"
THAI_DATE_RE = re.compile(
    r"(?:วัน\S{2,12}ที่\s*)?(?:(?P<d>\d{1,2})\s*(?P<mon>"
    + "|".join(re.escape(name) for name in _THAI_MONTH_NUMBER)
    + r")\s*(?:พ\.\s?ศ\.\s*)?(?P<y>(?:25|19|20)\d{2}|\d{2}(?![\d:.]))|"
    r"(?<![\d/.-])(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>25\d{2})(?!\d))" + _THAI_TIME
)


def _thai_date(folded: str, source: str, tz: tzinfo) -> PageDate | None:
    """The first Thai date in ``folded`` (:data:`THAI_DATE_RE`), its year made Common Era."""
    for match in THAI_DATE_RE.finditer(folded):
        if match["mon"]:
            month, day_of_month, year = _THAI_MONTH_NUMBER[match["mon"]], match["d"], match["y"]
        else:
            month, day_of_month, year = int(match["m2"]), match["d2"], match["y2"]
        if len(year) == 2:
            # 22 ก.ค. 67, as lists print it: two digits only after a short month name; from
            # 40 the Buddhist era's (67 is 2567, 2024), below it the Common Era's (24)
            if not match["mon"].endswith("."):
                continue
            year = f"25{year}" if int(year) >= THAI_SHORT_BE_FROM else f"20{year}"
        year_ce = int(year) + (BUDDHIST_ERA_OFFSET if year.startswith("25") else 0)
        try:
            day = date(year_ce, month, int(day_of_month))
        except ValueError:
            continue
        raw = source[match.start() : match.end()].strip()
        if match["H"] is None:
            return PageDate(day.isoformat(), raw)
        hour, minute = int(match["H"]), int(match["M"])
        if hour > 23 or minute > 59:
            return PageDate(day.isoformat(), raw)
        shown = datetime(day.year, day.month, day.day, hour, minute)
        return PageDate(_aware_iso(shown, tz), raw)
    return None


def _absolute(
    match: re.Match[str], tz: tzinfo, *, month_first: bool = False, year_offset: int = 0
) -> str | None:
    month, day_of_month = int(match["m"]), int(match["d"])
    if month_first:  # DAY_FIRST_RE's d and m groups hold the month and the day
        month, day_of_month = day_of_month, month
    try:
        day = date(int(match["y"]) + year_offset, month, day_of_month)
    except ValueError:
        return None
    if match["H"] is None:
        return day.isoformat()
    hour = on_24h_clock(int(match["H"]), match["ampm1"] or match["ampm2"])
    try:
        dt = datetime(day.year, day.month, day.day, hour, int(match["M"]), int(match["S"] or 0))
    except ValueError:
        return day.isoformat()
    offset = match.groupdict().get("tzo") or _zone_offset(match.groupdict().get("zone"))
    if offset:
        # The instant the page states, told in the site's timezone like every other time:
        # 2024-06-12T01:30:00Z is 09:30+08:00 (generic/sanjiangkeji-319).
        instant = dt.replace(tzinfo=_fixed_offset(offset))
        return instant.astimezone(tz).isoformat(timespec="seconds")
    return _aware_iso(dt, tz)


# Indonesia's zones (Waktu Indonesia Barat, Tengah, Timur) and Jakarta's time in Chinese.
# The half-of-the-day marks of a 12-hour time: 下午3:20, 3:20 PM, 오후 3:20, 03:45 م, 2:30 chiều
# (afternoon), 9:15 sáng (morning), tối (evening).
PM_MARKS = frozenset({"下午", "晚上", "pm", "오후", "م", "chiều", "tối"})
AM_MARKS = frozenset({"上午", "am", "오전", "ص", "sáng"})


def on_24h_clock(hour: int, mark: str | None) -> int:
    """``hour`` of a 12-hour time with its half-of-the-day ``mark`` (:data:`PM_MARKS`,
    :data:`AM_MARKS`; ``p.m.`` as ``pm``) on a 24-hour clock: 3 PM is 15, 12 AM is 0; an
    hour without a mark, or past 12, as it is."""
    mark = (mark or "").lower().replace(".", "")
    if mark in PM_MARKS and hour < 12:
        return hour + 12
    if mark in AM_MARKS and hour == 12:
        return 0
    return hour


BARE_ZONES = {
    "GMT": "+00:00",
    "UTC": "+00:00",
    "BST": "+01:00",
    "WIB": "+07:00",
    "WITA": "+08:00",
    "WIT": "+09:00",
    "雅加达时间": "+07:00",
    "雅加達時間": "+07:00",
}


def _zone_offset(zone: str | None) -> str | None:
    """A zone note as an offset: 北京时间 is +08:00, GMT+8 +08:00, UTC-5:30 -05:30, a bare
    GMT or UTC +00:00, BST (British Summer Time) +01:00, WIB (Western Indonesia) +07:00,
    WITA +08:00, WIT +09:00, 雅加达时间 +07:00."""
    if not zone:
        return None
    if zone.startswith("北京"):
        return "+08:00"
    if zone in BARE_ZONES:
        return BARE_ZONES[zone]
    m = re.search(r"([+-])\s*(\d{1,2})(?::?(\d{2}))?", zone)
    return f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}" if m else None


def _fixed_offset(text: str) -> tzinfo:
    """``Z``, ``+08:00`` or ``-0530`` as a fixed-offset timezone."""
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _relative(folded: str, source: str, tz: tzinfo, fetched_at: datetime) -> PageDate | None:
    now = fetched_at.astimezone(tz)
    if m := RELATIVE_RE.search(folded):
        if m["unit"]:
            n, unit = int(m["n"]), m["unit"]
        else:
            n, unit = int(m["en_n"]), _EN_UNITS[m["en_unit"].lower()]
        raw = source[m.start() : m.end()]
        if unit in _UNIT_SECONDS:
            then = now - timedelta(seconds=n * _UNIT_SECONDS[unit])
            return PageDate(iso=then.replace(microsecond=0).isoformat(), raw=raw)
        return PageDate(
            iso=(now - timedelta(days=n * _UNIT_DAYS[unit])).date().isoformat(), raw=raw
        )
    if m := DAY_WORD_RE.search(folded):
        day = now.date() - timedelta(days=DAY_WORDS[m["word"].lower()])
        raw = source[m.start() : m.end()]
        if m["H"] is None:
            return PageDate(iso=day.isoformat(), raw=raw)
        hour = on_24h_clock(int(m["H"]), m["ampm"] or m["ampm0"])
        try:
            dt = datetime(day.year, day.month, day.day, hour, int(m["M"]))
        except ValueError:
            return PageDate(iso=day.isoformat(), raw=raw)
        return PageDate(iso=_aware_iso(dt, tz), raw=raw)
    if m := JUST_NOW_RE.search(folded):
        return PageDate(iso=now.replace(microsecond=0).isoformat(), raw=m.group())
    return None


# Texts that our rules do not read but dateparser may: an English month name next to a
# four-digit year ("May 27, 2021", "27 May 2021 15:14").  Anything else is left alone, so
# that dateparser never reads a sentence or a bare number as a date.
MONTH_NAME_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Malay's morning and afternoon marks after a time: 9:00 pg, 3:45 ptg (generic/malaihuazong-207)
_MERIDIEM = r"(?:\s+(?:ptg|pg|mlm)\b)"
MALAY_MERIDIEM = {"pg": "AM", "ptg": "PM", "mlm": "PM"}
# Zone names after a time: GMT, UTC and BST (a British page) are read by dateparser as the
# instant's zone; Indonesia's (10:15 WIB) are handed to it as offsets (BARE_ZONES).
_ZONE_WORD = r"(?:\s+(?:WIB|WITA|WIT|GMT|UTC|BST)\b)?"
_DATEPARSER_DROPS_RE = re.compile(
    r"(?<=\d{4})\s?م\s*[-–](?=\s*\d)|"  # an era mark (م, AD) after the year, then its time
    r"\s+(?:WIB|WITA|WIT)\b|\s+-(?=\s*\d)|\s+(?:pukul|jam)(?=\s+\d)|(?<=\s\d)\.(?=\d{2}\b)|"
    r"(?<=\s\d\d)\.(?=\d{2}\b)|(?<=\d)\s?h\b(?!\s?\d)|(?<=\d)م(?![\u0600-\u06ff])|\s+[صم]$|"
    # a middle dot before the time, and 3.20pm's full stop (read as 3:20pm)
    r"\s+[·•|](?=\s*\d)|(?<=\d)\.(?=\d{2}\s*[ap]\.?m)|"
    r"(?<=\d)\s?h\s?(?=\d{2})|" + _MERIDIEM,
    re.IGNORECASE,
)
ENGLISH_DATE_RE = re.compile(
    rf"\b(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+"
    rf"(?:19|20)\d{{2}})(?:,?\s+(?:at\s+|[-–·•|]\s*)?(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?"
    # British 3.20pm (generic/cdukbiz-58)
    rf"(?:\s*[ap]\.?m\.?|{_MERIDIEM})?|\d{{1,2}}\.\d{{2}}\s*[ap]\.?m\.?))?" + _ZONE_WORD,
    re.IGNORECASE,
)
# A day, a month name in any language and a year, with a time after it: 12 de junio de 2024,
# 12 июня 2024 в 14:30, 12. Juni 2024 (read by dateparser in the page's language).
# Uzbek puts a hyphen after the day (1-dekabr, 2025: generic/pengshengyuanqu-264); the
# year may carry its era mark (2025 г., 2025م); a French or Portuguese time its hour mark
# (à 9 h 30, às 14h20); an Arabic 12-hour time its mark (03:45 م, generic/dibaimaoyi-2207).
NAMED_MONTH_DATE_RE = re.compile(
    # (the French first of the month: 1er février 2024)
    r"\b\d{1,2}(?:er|re)?(?:\.?\s+|-)(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d{2}"
    r"(?:\s*г\.|\s?م(?![\u0600-\u06ff]))?"
    # a French whole hour: à 11 h (a whole-site trial of an Ivorian chamber)
    r"(?:(?:,?\s+(?:à|às)\s*\d{1,2}\s?h(?!\s?\d)\b"
    r"|,?\s+(?:в|à|às|um|a\s+las|lúc|-|–|\||·|•)?\s*\d{1,2}\s?[:h]\s?\d{2}\b"
    # Indonesian: pukul 10.00 (the hour's dot)
    r"|,?\s+(?:pukul|jam)\s+\d{1,2}[.:]\d{2}\b)"
    r"(?:" + _MERIDIEM + r"|\s+[صم](?![\u0600-\u06ff]))?)?" + _ZONE_WORD
)
YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")  # 2025م: a glued mark, no word boundary
TIME_RE = re.compile(r"\d{1,2}\s*:\s*\d{2}")
# A time written with an hour mark: 10h30 (French).
LOCAL_TIME_RE = re.compile(r"\d{1,2}\s*h\s*\d{2}\b")
DATEPARSER_MAX_CHARS = 40


def _for_dateparser(m: re.Match[str]) -> str:
    """What a :data:`_DATEPARSER_DROPS_RE` match becomes: pg/ptg as AM/PM, an Indonesian
    zone as its offset, an hour's dot as a colon, else nothing."""
    word = m.group().strip().lower()
    if word in ("h", "."):
        # 14h20, 9 h 30, 3.20pm; a whole hour (à 11 h) as its first minute
        return ":" if m.string[m.end() : m.end() + 1].isdigit() else ":00"
    if word in ("·", "•", "|"):
        return " "
    if word in ("wib", "wita", "wit"):
        return " " + BARE_ZONES[word.upper()].replace(":", "")
    if word in ("ص", "م") and m.group()[0].isspace():
        return " AM" if word == "ص" else " PM"
    return f" {MALAY_MERIDIEM[word]}" if word in MALAY_MERIDIEM else ""


# A Vietnamese date with the month as a number after its word: ngày 12 tháng 3 năm 2024,
# 12 tháng 3, 2024, optionally with its time (lúc 14:30, - 2:30 chiều).
VIETNAMESE_DATE_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,\s*|\s+)(?:năm\s+)?"
    r"(?P<y>(?:19|20)\d{2})(?!\d)"
    r"(?:\s*(?:,|lúc|-|–)?\s*(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d{2})(?!\d)"
    r"(?:\s*(?P<ampm>sáng|chiều|tối|[ap]\.?m\.?)(?![a-z]))?)?",
    re.IGNORECASE,
)


def _vietnamese_date(text: str, tz: tzinfo) -> PageDate | None:
    """The first :data:`VIETNAMESE_DATE_RE` date of ``text`` (a whole-site trial of a
    chamber whose default language is Vietnamese); None without one."""
    m = VIETNAMESE_DATE_RE.search(unicodedata.normalize("NFC", text))
    if m is None:
        return None
    try:
        day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["H"] is None:
        return PageDate(iso=day.isoformat(), raw=m.group())
    try:
        moment = datetime(
            day.year, day.month, day.day, on_24h_clock(int(m["H"]), m["ampm"]), int(m["M"])
        )
    except ValueError:
        return PageDate(iso=day.isoformat(), raw=m.group())
    return PageDate(iso=_aware_iso(moment, tz), raw=m.group())


def parse_date_text(text: str, tz: tzinfo, fetched_at: datetime | None = None) -> PageDate | None:
    """Like :func:`find_date`, then ``dateparser`` for English month-name dates.

    ``dateparser`` is consulted only for a short text (at most 40 characters) holding an
    English month name and a four-digit year.  The result is date-only (``YYYY-MM-DD``)
    unless the text shows a time of day.
    """
    found = find_date(text, tz, fetched_at)
    # (Arabic-Indic and Thai digits read as ASCII, one for one: the raw text keeps the
    # page's own, ١٢ نوفمبر ٢٠٢٥, a whole-site trial of an Arabic-default council)
    shown, text = text, text.translate(_THAI_DIGITS)
    if found or not text or not YEAR_RE.search(text):
        return found  # (what dateparser is asked for holds a four-digit year)
    if "th" in text.lower() and (vietnamese := _vietnamese_date(text, tz)) is not None:
        return vietnamese
    clean, shown = " ".join(text.split()), " ".join(shown.split())
    raw = shown
    # A month-name date inside a longer text ("Posted by X on 5 March 2023") is cut out
    # first, so that dateparser only ever sees the date itself.
    language = _reading_language()
    other = language not in (None, "en", "zh")
    english = ENGLISH_DATE_RE.search(clean)
    named = NAMED_MONTH_DATE_RE.search(clean) if other else None
    if named and (english is None or len(named.group()) > len(english.group())):
        # "Publicado el 12 de junio de 2024 por …" (generic/xibanyashanghui-207); 12 novembre
        # 2025 à 9 h 30, which the English form would cut at the year (ketediwashanghui-690)
        clean, raw = named.group(), shown[named.start() : named.end()]
    elif english:
        clean, raw = english.group(), shown[english.start() : english.end()]
    if len(clean) > DATEPARSER_MAX_CHARS or not (
        (other or MONTH_NAME_RE.search(clean)) and YEAR_RE.search(clean)
    ):
        return None
    import dateparser  # imported lazily: it costs ~0.3 s to import and is rarely needed

    settings: dict[str, Any] = {
        "TIMEZONE": str(tz),
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    languages = [language, "en"] if other and language else ["en"]
    # what dateparser does not read: zone names, a dash before the time, Malay's pg/ptg
    clean = _DATEPARSER_DROPS_RE.sub(_for_dateparser, clean)
    try:
        parsed = dateparser.parse(clean, languages=languages, settings=settings)
    except ValueError:  # a language dateparser does not know
        parsed = dateparser.parse(clean, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if not TIME_RE.search(clean) and not LOCAL_TIME_RE.search(clean):
        return PageDate(iso=parsed.date().isoformat(), raw=raw)
    # a time told in GMT is given in the site's timezone, as every other time
    return PageDate(iso=parsed.astimezone(tz).replace(microsecond=0).isoformat(), raw=raw)


# A date badge split into a day and a year-month (``<span>06</span><span>2023-05</span>``,
# read as one text): the whole text is the date, either way round.
BADGE_RE = re.compile(
    r"^\s*(?:(?P<d>\d{1,2})\s+(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?|"
    r"(?P<y2>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m2>\d{1,2})\s*月?\s+(?P<d2>\d{1,2})\s*日?|"
    # the year apart from the month and day: 2024 06-28 (tests/sites devzone-static)
    r"(?P<y3>(?:19|20)\d{2})\s*年?\s+(?P<m3>\d{1,2})\s*[-/.月]\s*(?P<d3>\d{1,2})\s*日?|"
    r"(?P<m4>\d{1,2})\s*[-/.月]\s*(?P<d4>\d{1,2})\s*日?\s+(?P<y4>(?:19|20)\d{2})\s*年?|"
    # year, month and day each in its own element (generic/yunwuchaye-126)
    r"(?P<y5>(?:19|20)\d{2})\s+(?P<m5>\d{1,2})\s+(?P<d5>\d{1,2})|"
    # the day, then the month and year: 02 05/2024 (generic/aomenjiaoyu-list-7-p2)
    r"(?P<d6>\d{1,2})\s+(?P<m6>\d{1,2})\s*[-/.]\s*(?P<y6>(?:19|20)\d{2})|"
    r"(?P<m7>\d{1,2})\s*[-/.]\s*(?P<y7>(?:19|20)\d{2})\s+(?P<d7>\d{1,2}))\s*$"
)
# An English badge: a day, a month name and a year in any order (05 Mar 2024, Mar 05 2024).
_BADGE_PART = r"(?:\d{1,2}|(?:19|20)\d{2}|" + _MONTH + r")"
ENGLISH_BADGE_RE = re.compile(
    r"^\s*" + _BADGE_PART + r"[\s,./-]+" + _BADGE_PART + r"[\s,./-]+" + _BADGE_PART + r"\s*$",
    re.IGNORECASE,
)


# A badge of a day and an ROC year-month, in either order (24 115.11, 115.11 24).
ROC_BADGE_RE = re.compile(
    r"^\s*(?:(?P<d>\d{1,2})\s+(?P<y>1\d{2})\s*[./-]\s*(?P<m>\d{1,2})|"
    r"(?P<y2>1\d{2})\s*[./-]\s*(?P<m2>\d{1,2})\s+(?P<d2>\d{1,2}))\s*$"
)


def badge_date(text: str) -> PageDate | None:
    """The day of a date badge whose whole text is a day, a month and a year, in two or
    three pieces as badges print them (``06 2023-05``, ``2023-05 06``, ``2024 06-28``,
    ``06-28 2024``, ``2023 05 06``, ``02 05/2024``, ``05/2024 02``) or with an English
    month name (``05 Mar 2024``), as ``YYYY-MM-DD``;
    None for anything else or an invalid day."""
    folded = normalise(text)
    raw = " ".join(text.split())
    if (roc := ROC_BADGE_RE.match(folded)) and _reading_roc():
        # the day over an ROC year and month: 24 over 115.11 (generic/taichungmaoyi-home)
        y, mo, d = (roc["y"], roc["m"], roc["d"]) if roc["y"] else (roc["y2"], roc["m2"], roc["d2"])
        try:
            day = date(int(y) + ROC_YEAR_OFFSET, int(mo), int(d))
        except ValueError:
            return None
        return PageDate(iso=day.isoformat(), raw=raw)
    m = BADGE_RE.match(folded)
    if m is None:
        if MONTH_NAME_RE.search(folded) and ENGLISH_BADGE_RE.match(folded):
            found = parse_date_text(raw, timezone.utc)
            if found is not None and len(found.iso) == len("YYYY-MM-DD"):
                return PageDate(iso=found.iso, raw=raw)
        return None
    for n in ("", "2", "3", "4", "5", "6", "7"):
        if m["y" + n]:
            y, mo, d = m["y" + n], m["m" + n], m["d" + n]
            break
    try:
        return PageDate(iso=date(int(y), int(mo), int(d)).isoformat(), raw=raw)
    except ValueError:
        return None


def date_from_url(url: str) -> str | None:
    """A ``YYYY-MM-DD`` date carried by the URL path (static ``F/YYYYMMDDN.html``), or None."""
    m = URL_DATE_RE.search(url.split("?", 1)[0])
    if not m:
        return None
    try:
        # the groups of whichever form matched: y/m/d, y2/m2/d2 or y3/m3/d3
        y, mo, d = next(m.group(f"y{n}", f"m{n}", f"d{n}") for n in ("", "2", "3") if m[f"y{n}"])
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# A date printed without its year, alone in its text: 06-12, 6月12日, 06-12 14:30, 12 Jun,
# Jun 12 (generic/aomenqiaolian-1024, taibeimaoyi-158, xianggangmaoyi-377).  Numeric forms
# only month first with a dash or 月/日, as Chinese templates print them (06/12 could be
# either order).
YEARLESS_DATE_RE = re.compile(
    r"^(?:(?P<m>\d{1,2})\s*(?:-|月)\s*(?P<d>\d{1,2})\s*日?|"
    # 05/02, two digits each, in the order the page's language or own dates give (generic/
    # jiayishanghui-list-5-p2), or the one that a number above 12 tells
    r"(?P<sa>\d{2})/(?P<sb>\d{2})|"
    rf"(?P<d2>\d{{1,2}})\s+(?P<mon>{_MONTH})|(?P<mon2>{_MONTH})\s+(?P<d3>\d{{1,2}}))"
    # a weekday between the day and the time, seconds (generic/amqiaolian-915, xmtaishang-1186)
    r"(?:\s*[（(]?\s*" + CN_WEEKDAY + r"\s*[）)]?)?"
    # Jun 12 · 3:20 pm (generic/qdabc-list-4-p2)
    r"(?:,?\s+(?:[·•]\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class YearlessDate:
    """A date shown without its year: ``month``, ``day``, the time (``HH:MM`` or
    ``HH:MM:SS``) when shown, and the text as shown."""

    month: int
    day: int
    time: str | None
    raw: str

    def in_year(self, year: int, tz: tzinfo) -> PageDate | None:
        """This date in ``year`` (None when no such day: 02-30)."""
        try:
            day = date(year, self.month, self.day)
        except ValueError:
            return None
        if self.time is None:
            return PageDate(day.isoformat(), self.raw)
        hour, minute, *second = (int(n) for n in self.time.split(":"))
        if hour > 23 or minute > 59 or (second and second[0] > 59):
            return None
        shown = datetime(year, self.month, self.day, hour, minute, *second)
        return PageDate(_aware_iso(shown, tz), self.raw)


def yearless_date(text: str, day_first: bool | None = None) -> YearlessDate | None:
    """The :class:`YearlessDate` that ``text`` is (the whole text, spaces aside), or None.
    ``day_first`` orders an ambiguous 05/02 when given; else the page being read does, and
    without a clue such a text is None."""
    raw = text.strip()
    m = YEARLESS_DATE_RE.match(normalise(raw))
    if m is None:
        return None
    if m["mon"] or m["mon2"]:
        month = _MONTH_NUMBERS[(m["mon"] or m["mon2"])[:3].lower()]
        day = int(m["d2"] or m["d3"])
    elif m["sa"]:
        first, second = int(m["sa"]), int(m["sb"])
        if first <= 12 and second <= 12:
            if day_first is None and (day_first := _day_first()) is None:
                return None  # 12/06 could be either
            month, day = (second, first) if day_first else (first, second)
        else:
            month, day = (second, first) if first > 12 else (first, second)
    else:
        month, day = int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    hour = int(m["H"]) if m["H"] else 0
    if m["ampm"] and hour <= 12:
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    time = f"{hour:02d}:{m['M']}" + (f":{m['S']}" if m["S"] else "") if m["H"] else None
    return YearlessDate(month, day, time, raw)
