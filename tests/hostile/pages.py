"""Pages of an invented MetInfo 7.2 site, 云岭茶业协会, and the hostile pages put in front of it.

Every page here is written for these tests: the association, names and text are made up and
no markup is copied from MetInfo or another project.  The shapes (generator meta and its
``data-variable``, ``section.details-title``, ``section.met-editor``, ``.met-crumbs``,
``.met-news-list``, ``.met_pager``) follow the project's MetInfo field guide §2.1-§2.3, as the
sample site does.  :func:`expected` gives the item a correct crawl exports for an
:func:`article` page.
"""

from __future__ import annotations

import html as htmlmod
from typing import Any

SITE_NAME = "云岭茶业协会"
COLUMN = "协会动态"
VERSION = "7.2.0"
DATE = "2024-03-05 09:30:00"
DATE_ISO = "2024-03-05T09:30:00+08:00"
AUTHOR = "秘书处"


def head(
    title: str,
    *,
    module: str = "2",
    classnow: str = "1",
    content_id: str = "0",
    site: str = "../",
    charset_meta: str = '<meta charset="utf-8">',
    extra: str = "",
) -> str:
    """The ``<head>`` of a 7.x page: charset, title, generator meta with ``data-variable``
    (``site|lang|synchronous|skin|module|classnow|id``, guide §2.3) and the 7.x stylesheet."""
    return (
        "<head>\n"
        f"{charset_meta}\n"
        f"<title>{title}-{SITE_NAME}</title>\n"
        f'<meta name="keywords" content="{SITE_NAME}">\n'
        f'<meta name="generator" content="MetInfo {VERSION}" '
        f'data-variable="{site}|cn|cn|metv7|{module}|{classnow}|{content_id}">\n'
        f'<link rel="stylesheet" type="text/css" href="{site}public/web/css/basic.css?1709">\n'
        f"{extra}"
        "</head>\n"
    )


def chrome_top(prefix: str = "../") -> str:
    """Header navigation and breadcrumb of a news page."""
    return (
        '<header class="met-head"><nav class="navbar met-nav"><div class="container">\n'
        f"<h3 hidden>{SITE_NAME}</h3>\n"
        '<ul class="nav navbar-nav navlist">'
        f'<li><a href="{prefix}" title="网站首页">网站首页</a></li>'
        f'<li><a href="{prefix}news/" title="{COLUMN}">{COLUMN}</a></li></ul>\n'
        "</div></nav></header>\n"
        '<section class="met-crumbs"><div class="container"><ol class="breadcrumb">\n'
        '<li class="breadcrumb-item">当前位置</li>\n'
        f'<li class="breadcrumb-item"><a href="{prefix}" title="网站首页">网站首页</a></li>\n'
        f'<li class="breadcrumb-item"><a href="{prefix}news/" title="{COLUMN}">{COLUMN}</a></li>\n'
        "</ol></div></section>\n"
    )


FOOTER = (
    '<footer class="met-foot-info"><div class="copy"><div>云岭茶业协会（虚构示例） 版权所有</div>\n'
    f'<div class="powered_by_metinfo">Powered by <b>MetInfo {VERSION}</b></div></div></footer>\n'
)


def article(
    article_id: int,
    title: str,
    body_html: str,
    *,
    info: str | None = None,
    head_extra: str = "",
    charset_meta: str = '<meta charset="utf-8">',
    before_body: str = "",
    site: str = "../",
) -> str:
    """A 7.x news detail page (module 2, content id ``article_id``) whose ``met-editor``
    section holds ``body_html``.  ``info`` replaces the default info line (date, publisher,
    hits 56)."""
    if info is None:
        info = (
            f"<span>{DATE}</span>\n<span>{AUTHOR}</span>\n"
            '<span><i class="icon wb-eye m-r-5" aria-hidden="true"></i>56</span>'
        )
    return (
        "<!DOCTYPE HTML>\n<html>\n"
        + head(
            title,
            content_id=str(article_id),
            extra=head_extra,
            charset_meta=charset_meta,
            site=site,
        )
        + "<body>\n"
        + chrome_top(site)
        + before_body
        + '<main class="met-shownews"><div class="container"><div class="met-shownews-body">\n'
        + f'<section class="details-title"><h1>{htmlmod.escape(title)}</h1>\n'
        + f'<div class="info">{info}</div></section>\n'
        + f'<section class="met-editor clearfix">\n{body_html}\n</section>\n'
        + "</div></div></main>\n"
        + FOOTER
        + f"<script src='{site}hits/?lang=cn&type=news&vid={article_id}&list=0'></script>\n"
        + "</body>\n</html>\n"
    )


def simple_article(article_id: int, title: str | None = None, text: str | None = None) -> str:
    """An ordinary article with one paragraph."""
    title = title or f"协会第{article_id}期茶农培训班结业"
    text = (
        text or f"第{article_id}期茶农培训班在协会培训中心结业，学员们交流了春茶采摘与初制的心得。"
    )
    return article(article_id, title, f"<p>{text}</p>")


def simple_expected(origin: str, article_id: int, path: str | None = None) -> dict[str, Any]:
    """The item of :func:`simple_article` served at ``path`` (default the dynamic URL)."""
    return expected(
        origin,
        path or f"/news/shownews.php?id={article_id}",
        article_id,
        f"协会第{article_id}期茶农培训班结业",
        f"第{article_id}期茶农培训班在协会培训中心结业，学员们交流了春茶采摘与初制的心得。",
    )


# The fields compared exactly (fetched_at is the clock; content_hash follows title and body).
FIELDS = (
    "url",
    "site",
    "article_id",
    "language",
    "column",
    "title",
    "published_at",
    "published_at_raw",
    "author",
    "hits",
    "body",
    "metinfo_version",
    "template_family",
)


def expected(
    origin: str,
    path: str,
    article_id: int,
    title: str,
    body: str,
    *,
    published_at: str | None = DATE_ISO,
    published_at_raw: str | None = DATE,
    author: str | None = AUTHOR,
    hits: int | None = 56,
    site: str | None = None,
) -> dict[str, Any]:
    return {
        "url": origin + path,
        "site": site or origin + "/",
        "article_id": str(article_id),
        "language": "zh-CN",
        "column": [COLUMN],
        "title": title,
        "published_at": published_at,
        "published_at_raw": published_at_raw,
        "author": author,
        "hits": hits,
        "body": body,
        "metinfo_version": VERSION,
        "template_family": "metinfo7",
    }


def fields(item: dict[str, Any]) -> dict[str, Any]:
    """The exactly compared fields of an exported item."""
    return {name: item.get(name) for name in FIELDS}


def news_list(
    links: list[str],
    *,
    pager: list[tuple[str, str]] = (),
    page_count: int | None = None,
    extra: str = "",
    classnow: str = "1",
    base: str = "",
    prefix: str = "../",
) -> str:
    """A 7.x news list page: ``links`` (hrefs, as written) in ``.met-news-list``, ``pager``
    as (href, text) in ``.met_pager``, the page count in ``#metPageT`` when given (guide
    §1.6), ``extra`` HTML after the list."""
    items = "\n".join(
        f'<li><a href="{href}" title="资讯{n}">协会资讯第{n}条</a>'
        f"<span>2024-03-0{n % 9 + 1}</span></li>"
        for n, href in enumerate(links, 1)
    )
    pages = "".join(f'<a href="{href}">{text}</a>' for href, text in pager)
    count = (
        '<input type="hidden" id="metPageT" '
        f'data-pageurl="index.php?class1=1&page=|&lang=cn|{page_count}">'
        if page_count
        else ""
    )
    return (
        "<!DOCTYPE HTML>\n<html>\n"
        + head(COLUMN, classnow=classnow, extra=base, site=prefix)
        + "<body>\n"
        + chrome_top(prefix)
        + '<main class="met-news"><div class="container">\n'
        + f'<ul class="met-news-list">\n{items}\n</ul>\n'
        + f'<div class="met_pager">{pages}{count}</div>\n'
        + extra
        + "</div></main>\n"
        + FOOTER
        + "</body>\n</html>\n"
    )


def home(body: str, *, head_extra: str = "") -> str:
    """A 7.x home page (module 10001) with ``body`` between the header and the footer."""
    return (
        "<!DOCTYPE HTML>\n<html>\n"
        + head("首页", module="10001", classnow="10001", site="", extra=head_extra)
        + "<body>\n"
        + '<header class="met-head"><nav class="navbar met-nav"><div class="container">\n'
        + f"<h3 hidden>{SITE_NAME}</h3></div></nav></header>\n"
        + f'<main class="met-index">\n{body}\n</main>\n'
        + FOOTER
        + "</body>\n</html>\n"
    )


# --- What is not an article ----------------------------------------------------------------

# MetInfo 7's generated /404.html: a 7.x page of module 404 (guide §5).
NOT_FOUND_PAGE = (
    "<!DOCTYPE HTML>\n<html>\n"
    + head("404", module="404", classnow="0", site="")
    + "<body>\n"
    + '<main class="met-404"><section class="met-editor clearfix">'
    + '<p>404 错误：您要找的资讯已经下线。</p><p><a href="./">返回首页</a></p>'
    + "</section></main>\n"
    + FOOTER
    + "</body>\n</html>\n"
)

# A host's own "page does not exist" page, served with 200 and without MetInfo's marks.
HOST_SOFT_404 = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在</title></head>\n'
    '<body><div class="box"><h2>抱歉，页面不存在！</h2>\n'
    "<p>您要查看的网址可能已被删除、名称已被更改，或暂时不可用。</p>\n"
    '<p><a href="/">返回首页</a></p></div></body></html>\n'
)

# 5.x answers a missing article with a tiny script page that sends the browser to 404.html.
SCRIPT_404 = (
    '<html><head><meta charset="utf-8"></head><body>'
    "<script type=\"text/javascript\">location.href='../404.html';</script></body></html>"
)

# A member-only article: an alert and a redirect to the login page (guide §5).
MEMBER_ONLY = (
    '<html><head><meta charset="utf-8"></head><body><script>'
    "alert('该内容仅限会员阅读，请先登录！');"
    "location.href='../member/login.php?lang=cn&gourl=..%2Fnews%2Fshownews.php%3Fid%3D9';"
    "</script></body></html>"
)

# Firewall and challenge pages as hosting panels and cloud WAFs serve them: written for these
# tests, each with the words such pages carry and no MetInfo mark.
FIREWALL_PAGES = {
    200: (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>网站防火墙</title></head>'
        '<body><div class="wrap"><h1>网站防火墙</h1>'
        "<p>您的请求带有不合法参数，已被网站管理员设置拦截！</p>"
        "<p>可能原因：您提交的内容包含危险的攻击请求</p>"
        "<p>如何解决：检查提交内容；如网站托管，请联系空间提供商。</p></div></body></html>"
    ),
    403: (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>403 访问被拦截</title></head>'
        "<body><h2>访问被拦截</h2><p>您的访问请求可能对网站造成安全威胁，请求已被云防护系统拦截。</p>"
        "<p>事件编号：7f3a-2c19</p></body></html>"
    ),
    405: (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Request blocked</title></head>'
        "<body><h1>Request blocked</h1><p>This request was blocked by the security rules of "
        "the hosting provider.</p><p>Reference: 4117-88</p></body></html>"
    ),
    503: (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Just a moment...</title>'
        "</head><body><noscript>请开启JavaScript并刷新该页</noscript>"
        "<p>正在进行安全检测，请稍候……</p><script>var t=setTimeout(function(){"
        "document.cookie='__jsl_clearance=1700000000.5|0|abc';location.reload()},1500);"
        "</script></body></html>"
    ),
}
