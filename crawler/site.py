"""MetInfo URL grammar: what a URL is (article, list page, home) and which URLs never to fetch.

Every rule here comes from the field guide §1 (URL schemes per version and mode) and §5 (hit
counters, visual editor, member area).  Folder names are admin-chosen (`news38`), so news is
recognised by entry file and URL shape, never by folder name (guide §1.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# --- Article URLs (guide §1.2) --------------------------------------------------------------
# dynamic, all versions: F/shownews.php?[lang=L&]id=N
DYNAMIC_ARTICLE_RE = re.compile(r"^(?P<folder>(?:[\w.-]+/)+)shownews\.php$")
# 5.x's own phone version: wap/index.php?lang=L&id=N&module=2 (module 2 is news; wap/
# module.php of MetInfo 5), generic/xiuzhouxiehui-526.
WAP_ENTRY_RE = re.compile(r"^(?P<folder>(?:[\w.-]+/)*wap/)index\.php$")
WAP_NEWS_MODULE = "2"
# pseudo-static 4.x-7.x and static htmpagename 3: F/N.html, F/N-L.html
PSEUDO_ARTICLE_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)(?P<id>\d+)(?:-(?P<lang>[a-z]{2,3}))?\.html?$"
)
# static htmpagename 0 and 2: F/shownewsN.html, F/{folder}N.html, language as _L suffix
STATIC_ARTICLE_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)(?P<prefix>[A-Za-z][\w-]*?)(?P<id>\d+)(?:_(?P<lang>[a-z]{2,3}))?\.html?$"
)
# static htmpagename 3 with a language: F/N_L.html
STATIC_ID_LANG_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)(?P<id>\d+)_(?P<lang>[a-z]{2,3})\.html?$"
)

# --- List URLs (guide §1.2, §1.6) -------------------------------------------------------------
# dynamic: F/news.php?class1=C, F/index.php?class1=C&page=P (6.1-7.x), F/news.php?...&page=P (5.x)
DYNAMIC_LIST_RE = re.compile(r"^(?P<folder>(?:[\w.-]+/)+)(?:news|index)\.php$")
# pseudo-static: F/list-C[-P][-L].html where digits are a page and letters a language
PSEUDO_LIST_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)list-(?P<column>[\w]+?)(?:-(?P<page>\d+))?(?:-(?P<lang>[a-z]{2,3}))?\.html?$"
)
# static: F/{folder or module}_C1[_C2[_C3]]_P[_L].html (listhtmltype 0 and 1)
STATIC_LIST_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)[A-Za-z][\w-]*?_(?P<nums>\d+(?:_\d+)+)(?:_(?P<lang>[a-z]{2,3}))?\.html?$"
)
# static, a column with a custom file name S (7.x base_handle url_add_list_filename: no class
# ids): F/S_P[_L].html (generic/dongjiangxiehui-list-8-p2); a page number of up to 3 digits,
# so that an article named for a year (F/expo_2024.html) is no list page
FILENAME_LIST_RE = re.compile(
    r"^(?P<folder>(?:[\w.-]+/)+)(?P<name>[A-Za-z][\w-]*?)_(?P<page>\d{1,3})(?:_(?P<lang>[a-z]{2,3}))?\.html?$"
)
# a column folder itself: F/ or F/index.html (top column, page 1, default language)
FOLDER_RE = re.compile(r"^(?P<folder>[\w.-]+/)(?:index\.html?)?$")

# --- Home pages per language (guide §1.4) ------------------------------------------------------
HOME_RE = re.compile(r"^(?:index(?:[-_](?P<lang>[a-z]{2,3}))?\.(?:php|html?))?$")

# --- Never fetch (guide §2.1 hits, §5 member/visual editor/static generation) -------------------
FORBIDDEN_PATH_RE = re.compile(
    r"(?:^|/)(?:hits/|include/hits\.php|member/|admin/|search/|app/|install/|feedback/|message/|"
    r"wap/|templates/|cache/|config/)",
    re.IGNORECASE,
)
FORBIDDEN_QUERY_KEYS = frozenset(
    {
        "pageset",
        "ajax",
        "metinfonow",
        "html_filename",
        "searchword",
        "search",
        "order",
        "pcok",
        "pseudo_jump",
        "gourl",
        "a",
        "c",
        "m",
    }
)
HTTP_SCHEMES = frozenset({"http", "https"})


# Answers kept per URL function (pure functions of their strings; their results are
# immutable).  Navigation, pager and column links repeat on every list page.
URL_MEMO = 4096


@dataclass(frozen=True)
class ArticleRef:
    """An article URL decoded: MetInfo content ``id``, language mark (None = not in the URL),
    column ``folder`` relative to the site root (``news/``), and the add ``day`` when a static
    ``F/YYYYMMDDN.html`` name carries it (ISO date)."""

    id: str
    lang: str | None
    folder: str
    day: str | None = None


@dataclass(frozen=True)
class ListRef:
    """A list-page URL decoded: ``column`` (class id or column file name, None for a bare
    folder), 1-based ``page``, language mark (None = not in the URL), and ``folder``."""

    column: str | None
    page: int
    lang: str | None
    folder: str
    # The URL carries other query keys (&day=, &orderby=...): a filtered or re-sorted list
    # of the column, not its page of that number (SiteState.list_key keeps them apart).
    filtered: bool = False
    # The column is named as a top column (class1, no class2 or class3): the folder's own
    # column, whose page 1 is also the bare folder F/ (guide §1.1).  Not part of the
    # page's identity: news.php?class1=C and news.php?class2=C name one column.
    top: bool = field(default=False, compare=False)


def site_root(url: str, data_variable_site: str | None = None) -> str:
    """The site's root URL (``http://host[:port]/[subdir/]``) for a page URL.

    ``data_variable_site`` is the first field of MetInfo's generator ``data-variable``
    (guide §2.3), absolute or relative to the page (``../``); without it the host root is used.
    """
    if data_variable_site:
        return _site_root_from(_folder(url), data_variable_site.strip())
    return _host_root(url)


@lru_cache(maxsize=URL_MEMO)
def _site_root_from(folder: str, data_variable_site: str) -> str:
    """:func:`site_root` of a page in ``folder``: only the folder counts, as only the
    page's folder survives in the root (every page of a column shares the entry)."""
    parts = urlsplit(urljoin(folder, data_variable_site))
    if parts.scheme in HTTP_SCHEMES and parts.netloc:
        path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
        scheme, netloc = HOST_ALIASES.get(parts.netloc.lower(), (parts.scheme, parts.netloc))
        return urlunsplit((scheme, netloc.lower(), path, "", ""))
    return _host_root(folder)


def _host_root(url: str) -> str:
    """``scheme://host[:port]/`` of ``url``, the host lower-cased."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "/", "", ""))


@lru_cache(maxsize=URL_MEMO)
def _relative(url: str, root: str) -> tuple[str, dict[str, str]] | None:
    """Path of ``url`` relative to ``root`` and its query as a dict; None when outside.

    Memoised: a sitemap entry or a list page's link is asked in turn whether it is an
    article, a list, a home and a named article, each from this split.  The dict is shared
    by every caller, so none may change it.
    """
    parts, rootparts = urlsplit(url), urlsplit(root)
    if parts.scheme not in HTTP_SCHEMES:
        return None
    if parts.netloc.lower() != rootparts.netloc.lower() and _host_key(url) != _host_key(root):
        return None
    if not parts.path.startswith(rootparts.path):
        return None
    query = dict(parse_qsl(unescape_amp(parts.query), keep_blank_values=True))
    return parts.path[len(rootparts.path) :], query


def _host_key(url: str) -> str:
    """Host and port of ``url`` as :func:`site_key` compares them (``www.``/``m.`` and the
    scheme ignored), so that a site's own links to those forms are followed (issue 7)."""
    return site_key(url).split("/", 1)[0]


def unescape_amp(query: str) -> str:
    """``&amp;`` left in a query by HTML-escaped links or unparsed sitemaps becomes ``&``."""
    return query.replace("&amp;", "&")


def _lang(query: dict[str, str], path_lang: str | None = None) -> str | None:
    lang = query.get("lang") or path_lang
    # 7.x treats a numeric lang as a page number (guide §1.4): not a language.
    return lang.lower() if lang and not lang.isdigit() else None


def _static_date_id(number: str) -> tuple[str, str | None]:
    """Split a static ``YYYYMMDDN`` article name (htmpagename 1) into (id, ISO day)."""
    if len(number) >= 9:
        try:
            day = date(int(number[:4]), int(number[4:6]), int(number[6:8]))
        except ValueError:
            return number, None
        if 1995 <= day.year <= 2100:
            return number[8:].lstrip("0") or "0", day.isoformat()
    return number, None


@lru_cache(maxsize=URL_MEMO)
def parse_article_url(url: str, root: str) -> ArticleRef | None:
    """Decode a news article URL of any mode (guide §1.2), or None if it is not one."""
    rel = _relative(url, root)
    if rel is None:
        return None
    path, query = rel
    if m := DYNAMIC_ARTICLE_RE.match(path):
        article_id = query.get("id", "")
        if article_id.isdigit():
            return ArticleRef(article_id, _lang(query), m["folder"])
        return None
    if (m := WAP_ENTRY_RE.match(path)) and query.get("module") == WAP_NEWS_MODULE:
        article_id = query.get("id", "")
        return ArticleRef(article_id, _lang(query), m["folder"]) if article_id.isdigit() else None
    if path.rsplit("/", 1)[-1].startswith("list-"):
        return None
    if m := PSEUDO_ARTICLE_RE.match(path):
        article_id, day = _static_date_id(m["id"])
        return ArticleRef(article_id, _lang(query, m["lang"]), m["folder"], day)
    if m := STATIC_ID_LANG_RE.match(path):
        # F/YYYYMMDDN_L.html: the add date before the id here too (generic/jinshaxiehui-123)
        article_id, day = _static_date_id(m["id"])
        return ArticleRef(article_id, m["lang"], m["folder"], day)
    if m := STATIC_ARTICLE_RE.match(path):
        folder_name = m["folder"].rstrip("/").rsplit("/", 1)[-1]
        if m["prefix"] in ("shownews", folder_name):
            return ArticleRef(m["id"], _lang(query, m["lang"]), m["folder"])
    return None


# An article under the custom "static file name" an editor gave it: F/S.html, in
# pseudo-static and static modes alike (guide §1.2).  Any other page can have such a name
# too, so only list pages name these as articles (crawler.extract.listing).
# The name is any word that is not a number (2024nianhui, 年会 and its percent-encoded form
# too: a whole-site trial of messy URLs), in any case.
NAMED_PAGE_RE = re.compile(
    r"^(?P<folder>(?:[\w.%-]+/)+)(?P<name>[\w%-]*[^\W\d_][\w%-]*)\.html?$", re.IGNORECASE
)


@lru_cache(maxsize=URL_MEMO)
def named_article_ref(url: str, root: str) -> ArticleRef | None:
    """An :class:`ArticleRef` for a page under a custom file name (``news/expo2024.html``),
    whose id is that name with its folder (``news/expo2024``: the MetInfo id is only in the
    page's generator meta); None for any other URL (an entry file, a list, a home, a numbered
    article, a query other than ``lang``)."""
    rel = _relative(url, root)
    if rel is None or not set(rel[1]) <= {"lang"}:
        return None
    m = NAMED_PAGE_RE.match(rel[0])
    if m is None or m["name"].lower() in ("index", "default", "shownews", "news", "list"):
        return None
    if parse_article_url(url, root) or parse_list_url(url, root):
        return None
    return ArticleRef(m["folder"] + m["name"], _lang(rel[1]), m["folder"])


def list_page_url(url: str, root: str, page: int) -> str | None:
    """The URL of page ``page`` of the list whose page ``url`` is, by the list URL grammar
    of its mode (guide §1.2, §1.6): ``page=N`` of a dynamic list, ``list-C-N.html`` of a
    pseudo-static one (``list-C.html`` for page 1), the last number of a static
    ``F/{name}_C_N.html``.  None for a URL of no such grammar (a folder, a custom name)."""
    rel = _relative(url, root)
    if rel is None or page < 1:
        return None
    path = rel[0]
    parts = urlsplit(url)
    if DYNAMIC_LIST_RE.match(path) and parse_list_url(url, root) is not None:
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
        if page > 1:
            pairs.append(("page", str(page)))
        return urlunsplit(parts._replace(query=urlencode(pairs)))
    folder, _, name = parts.path.rpartition("/")
    if m := PSEUDO_LIST_RE.match(path):
        lang = f"-{m['lang']}" if m["lang"] else ""
        number = f"-{page}" if page > 1 else ""
        ext = name.rsplit(".", 1)[-1]
        new = f"list-{m['column']}{number}{lang}.{ext}"
        return urlunsplit(parts._replace(path=f"{folder}/{new}"))
    if m := STATIC_LIST_RE.match(path):
        nums = m["nums"].split("_")
        new = name.replace("_".join(nums), "_".join([*nums[:-1], str(page)]), 1)
        return urlunsplit(parts._replace(path=f"{folder}/{new}"))
    return None


# The query keys of a list page (guide §1.2, §1.6): any other (a template's &day=, &date=,
# &pagesize=, &orderby=, &keyword= filters) makes a filtered or re-sorted list.
LIST_QUERY_KEYS = frozenset({"lang", "class1", "class2", "class3", "page"})


@lru_cache(maxsize=URL_MEMO)
def parse_list_url(url: str, root: str) -> ListRef | None:
    """Decode a news list-page URL of any mode (guide §1.2, §1.6), or None.  A query key
    other than :data:`LIST_QUERY_KEYS` marks the list ``filtered``."""
    rel = _relative(url, root)
    ref = _parse_list_url(*rel) if rel is not None else None
    if ref is None or rel is None or rel[1].keys() <= LIST_QUERY_KEYS:
        return ref
    return ListRef(ref.column, ref.page, ref.lang, ref.folder, filtered=True, top=ref.top)


def _parse_list_url(path: str, query: dict[str, str]) -> ListRef | None:
    page = query.get("page", "1")
    page_no = int(page) if page.isdigit() and int(page) > 0 else 1
    if m := DYNAMIC_LIST_RE.match(path):
        # 5.x pagers spell out unused levels as 0: class1=1&class2=0&class3=0 (guide §1.2).
        levels = [query.get(k, "") for k in ("class3", "class2", "class1")]
        column = next((c for c in levels if c.isdigit() and c != "0"), None)
        if column:
            return ListRef(column, page_no, _lang(query), m["folder"], top=column == levels[2])
        if m.group(0).endswith("index.php") and set(query) <= {"lang"}:
            return ListRef(None, 1, _lang(query), m["folder"])
        return None
    # (a page number 0, as a buggy pager's 上一页 on page 1 links it, is page 1)
    if m := PSEUDO_LIST_RE.match(path):
        page_no = max(1, int(m["page"] or 1))
        return ListRef(m["column"], page_no, _lang(query, m["lang"]), m["folder"])
    if m := STATIC_LIST_RE.match(path):
        nums = m["nums"].split("_")
        return ListRef(nums[-2], max(1, int(nums[-1])), _lang(query, m["lang"]), m["folder"])
    if m := FILENAME_LIST_RE.match(path):
        return ListRef(m["name"], int(m["page"]), _lang(query, m["lang"]), m["folder"])
    if (m := FOLDER_RE.match(path)) and set(query) <= {"lang"}:
        return ListRef(None, 1, _lang(query), m["folder"])
    return None


@lru_cache(maxsize=URL_MEMO)
def home_lang(url: str, root: str) -> str | bool | None:
    """For a home page URL, its language mark (None when the URL has none); False otherwise.

    Home forms: ``/``, ``index.php?lang=L`` (dynamic), ``index-L.html`` (pseudo),
    ``index_L.html`` (static) (guide §1.4).
    """
    rel = _relative(url, root)
    if rel is None:
        return False
    path, query = rel
    m = HOME_RE.match(path)
    if not m or not set(query) <= {"lang"}:
        return False
    return _lang(query, m["lang"])


@lru_cache(maxsize=URL_MEMO)
def forbidden_reason(url: str) -> str | None:
    """Why ``url`` must never be requested, or None when it may be.

    Hit counters change state (guide §2.1); member, admin, search, visual-editor and
    static-generation URLs are not content (guide §5); other schemes are not web pages.
    """
    parts = urlsplit(url)
    if parts.scheme not in HTTP_SCHEMES:
        return "scheme"
    if FORBIDDEN_PATH_RE.search(parts.path):
        return "system_path"
    keys = {k.lower() for k, _ in parse_qsl(unescape_amp(parts.query), keep_blank_values=True)}
    if keys & FORBIDDEN_QUERY_KEYS:
        return "system_query"
    return None


# Query parameters that never change what a MetInfo page shows: PHP session ids and the
# tracking parameters of ad and analytics tools (issue 7).  Compared lower-case.
DROPPED_QUERY_KEYS = frozenset(
    {
        "phpsessid",
        "sid",
        "sessionid",
        "jsessionid",
        "aspsessionid",
        "spm",
        "from",
        "fbclid",
        "gclid",
        "msclkid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mc_cid",
        "mc_eid",
        "share_token",
        "isappinstalled",
        # WeChat and QQ share links (a whole-site trial of messy URLs)
        "adtag",
        "scene",
        "subscene",
        "ascene",
        "wxfrom",
        "wx_lazy",
        "share_from",
        "nsukey",
        "clicktime",
        "enterid",
        "sharer_sharetime",
        "sharer_shareid",
        # the same article printed or in another font size: print=1 (MetInfo's print view,
        # a list entry's print icon before its title link, a whole-site trial) and fontsize
        "print",
        "fontsize",
        "font_size",
    }
)
DROPPED_QUERY_PREFIXES = ("utm_",)
# Cache-busters: a number (a timestamp) a template or script appends so that each load is
# a new URL (&t=1712000000, &_=1712000000123); dropped when their value is all digits.
CACHE_BUSTER_KEYS = frozenset({"t", "_", "_t", "ts", "timestamp", "rnd", "rand", "random"})
# A session id in the path, Java-style (news/shownews.php;jsessionid=6512BD?id=262).
PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


def _keep_param(key: str, value: str) -> bool:
    lower = key.lower()
    if lower in DROPPED_QUERY_KEYS or lower.startswith(DROPPED_QUERY_PREFIXES):
        return False
    if lower in CACHE_BUSTER_KEYS and value.isdigit():
        return False
    return not (key == "page" and value == "1")


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: ``/a/./b/../c`` -> ``/a/c`` (never above the root)."""
    out: list[str] = []
    segments = path.split("/")
    for segment in segments[1:]:
        if segment == "..":
            if out:
                out.pop()
        elif segment != ".":
            out.append(segment)
    trailing = segments[-1] in (".", "..")
    return "/" + "/".join(out) + ("/" if trailing and out else "")


def absolute_url(base: str, href: str) -> str:
    """``urljoin(base, href)``, memoised by ``base``'s folder where the result depends on no
    more of it.

    By RFC 3986 §5.2.2 a reference with a path of its own resolves against the base's
    scheme, authority and path up to its last ``/``; only an empty, ``?query`` or
    ``#fragment`` reference also reads the base's file name or query.  So every article of
    a column shares the cache entries of the links its template repeats.
    """
    if not href or href[0] in "?#":
        return urljoin(base, href)
    return _join(_folder(base), href)


def _folder(url: str) -> str:
    """``url`` up to the last ``/`` of its path (query and fragment dropped); a URL with no
    path after its authority stays whole."""
    folder = url.split("#", 1)[0].split("?", 1)[0]
    cut = folder.rfind("/")
    if cut > folder.find("//") + 1:  # a path after the authority: keep up to its last "/"
        folder = folder[: cut + 1]
    return folder


@lru_cache(maxsize=URL_MEMO)
def _join(folder: str, href: str) -> str:
    return urljoin(folder, href)


def followable_url(base: str, href: str) -> str | None:
    """The :func:`canonical_url` of where ``href`` on a page at ``base`` leads, or None when
    it must never be requested (:func:`forbidden_reason`).

    Memoised as :func:`absolute_url` is, by ``base``'s folder where the result depends on
    no more of it: a template's navigation, column and pager links, on every list page of a
    column, are one lookup each instead of three.
    """
    if not href or href[0] in "?#":
        return _followable(base, href)
    return _followable(_folder(base), href)


@lru_cache(maxsize=URL_MEMO)
def _followable(base: str, href: str) -> str | None:
    url = canonical_url(urljoin(base, href))
    if forbidden_reason(url) is None:
        return url
    # A pager or entry link that only re-sorts (news.php?class1=5&page=2&order=hits, a
    # template's only link to a column's page 2: a whole-site trial lost its two articles)
    # leads to the page in the site's own order without the sort key.
    plain = _without_sort(url)
    return plain if plain != url and forbidden_reason(plain) is None else None


# Query keys that only re-sort a list (MetInfo's order=hits|addtime|updatetime).
SORT_QUERY_KEYS = frozenset({"order"})


def _without_sort(url: str) -> str:
    """``url`` without the :data:`SORT_QUERY_KEYS` of its query (in :func:`canonical_url`
    form)."""
    parts = urlsplit(url)
    pairs = parse_qsl(unescape_amp(parts.query), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SORT_QUERY_KEYS]
    if len(kept) == len(pairs):
        return url
    return canonical_url(urlunsplit(parts._replace(query=urlencode(kept))))


@lru_cache(maxsize=URL_MEMO)
def canonical_url(url: str) -> str:
    """The form of ``url`` that is requested and compared.

    ``&amp;`` unescaped, query parameters sorted, session ids (``PHPSESSID``, a path's
    ``;jsessionid=``), tracking parameters (``utm_*``, ...) and numeric cache-busters
    (``t=1712000000``) dropped, fragment dropped, host lower-cased, default port
    dropped, dot segments resolved, ``page=1`` dropped (page 1 is the column URL, guide
    §1.2); percent-encoding normalised by ``w3lib.url.canonicalize_url``.
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    query = [
        (k, v)
        for k, v in parse_qsl(unescape_amp(parts.query), keep_blank_values=True)
        if _keep_param(k, v)
    ]
    path = _remove_dot_segments(PATH_SESSION_RE.sub("", parts.path) or "/")
    scheme = parts.scheme.lower()
    if (alias := HOST_ALIASES.get(netloc)) is not None:
        scheme, netloc = alias
    rebuilt = urlunsplit((scheme, netloc, path, urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_blank_values=True)


# Host names a site declares for itself and the crawl reaches it by another: the netloc of
# the site URL its generator meta names (MetInfo's met_weburl, guide §2.3: in robots.txt's
# Sitemap line, the sitemap's <loc>s and absolute links too) -> (scheme, netloc) of the
# root the crawl started at.  Filled by add_host_alias; read by canonical_url and site_root.
HOST_ALIASES: dict[str, tuple[str, str]] = {}


def on_crawl_host(url: str) -> str:
    """``url`` with a host the site declared for itself (:data:`HOST_ALIASES`) replaced by
    the crawl's host; any other URL unchanged."""
    if not HOST_ALIASES:
        return url
    parts = urlsplit(url)
    alias = HOST_ALIASES.get(parts.netloc.lower())
    return url if alias is None else urlunsplit((*alias, parts.path, parts.query, parts.fragment))


def add_host_alias(declared_root: str, crawl_root: str) -> bool:
    """Make ``declared_root``'s host an alias of ``crawl_root``'s: from now on
    :func:`canonical_url` gives every URL on it on the crawl's host (``http://localhost:8747/``
    declared by pages fetched from ``http://127.0.0.1:8747/``, or a site's old domain), so
    that its absolute links and sitemap entries are followed where the crawl reaches the
    site.  False (nothing changed) for the same host, a ``www.``/``m.`` form of it (already
    one site), or a host that is an alias already."""
    declared, crawl = urlsplit(declared_root), urlsplit(crawl_root)
    host = declared.netloc.lower()
    if (
        not host
        or host == crawl.netloc.lower()
        or host in HOST_ALIASES
        or _host_key(declared_root) == _host_key(crawl_root)
    ):
        return False
    HOST_ALIASES[host] = (crawl.scheme.lower(), crawl.netloc.lower())
    # URLs memoised before now were given on the declared host.
    canonical_url.cache_clear()
    _site_root_from.cache_clear()
    return True


def site_key(root: str) -> str:
    """The identity of a site for dedup keys: host without ``www.``/``m.``, port kept, path
    kept, scheme ignored; ``http://www.x.cn/`` and ``https://m.x.cn/`` give ``x.cn/``
    (issue 7: the same site in another scheme or host form)."""
    if "://" not in root:  # already a key: keys are stable under site_key
        root = "http://" + root
    parts = urlsplit(root)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "wap."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{parts.path or '/'}"


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``lang=<lang>`` added to its query when it has a query without one
    (a dynamic URL, guide §1.2); any other URL unchanged."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not query or any(k == "lang" for k, _ in query):
        return url
    return canonical_url(urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang)]))))


def without_lang(url: str) -> str:
    """``url`` without its ``lang`` query parameter (for the site's default language, which
    6.1-7.x URLs leave out and 5.x accepts either way; guide §1.2, §1.3)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def same_site(url: str, root: str) -> bool:
    """True when ``url`` is on the site's own host and under its root path."""
    return _relative(url, root) is not None
