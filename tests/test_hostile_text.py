"""Text that is not what it seems (issue 7): wrong and missing charsets, BOMs, Big5, bytes
that decode as nothing, and noise inside the body container.

One crawl of article URLs on the fault server; every exported item is compared field by
field with what the page says, and no exported string may hold U+FFFD.

What is asserted about disclaimers: a disclaimer written as a paragraph inside the body
container (``免责声明：…``) is the editor's text and is kept, as the last paragraph before the
signature; nothing in the markup tells it from the article.  Template widgets (share, print,
QR code, prev/next, related articles) are not the editor's text and are removed.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares import EncodingRepairMiddleware
from tests.hostile import pages
from tests.hostile.faultserver import FaultServer, html
from tests.hostile.harness import Crawl, crawl
from tests.support import assert_items_valid

ARTICLE = "/news/shownews.php?id={}"

# --- the articles ------------------------------------------------------------------------------

# Simplified Chinese of GBK and GB18030 pages; 䶮 (U+4DAE) is outside GBK: GB18030 encodes it
# in four bytes.
GB_TITLE = "协会组织会员赴勐海考察古茶园保护"
GB_PARAGRAPHS = (
    "三月上旬，协会组织十二家会员单位赴勐海县考察古茶园保护工作，实地察看了南糯山、"
    "布朗山等地的古茶树管护情况。",
    "考察组听取了当地茶农关于采养结合、病虫害绿色防控和古树挂牌登记的介绍，"
    "茶农刘䶮介绍了家庭茶园三代人的管护经验。",
    "协会将把考察中收集的意见汇总成册，提交主管部门，并在年会上向全体会员通报。",
)
GB_BODY = "\n".join(GB_PARAGRAPHS)

# Traditional Chinese of Big5 pages (every character is in Big5).
BIG5_TITLE = "臺灣茶業交流團參訪協會"
BIG5_PARAGRAPHS = (
    "三月中旬，臺灣茶業交流團一行十五人參訪本會，雙方就烏龍茶與普洱茶的加工工藝進行了交流。",
    "交流團成員品評了會員單位送來的十二款茶樣，並對傳統曬青工藝表示濃厚興趣。",
    "雙方約定明年春茶季再次互訪，繼續深化兩岸茶業合作。",
)
BIG5_BODY = "\n".join(BIG5_PARAGRAPHS)
# The page chrome in traditional characters, so that a Big5 page is Big5 throughout.
TRADITIONAL = {
    pages.SITE_NAME: "雲嶺茶業協會",
    pages.COLUMN: "協會動態",
    pages.AUTHOR: "秘書處",
    "当前位置": "當前位置",
    "网站首页": "網站首頁",
    "（虚构示例） 版权所有": "（虛構示例） 版權所有",
}

META_UTF8 = '<meta charset="utf-8">'
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
META_GBK = '<meta charset="gbk">'
META_BIG5 = '<meta http-equiv="Content-Type" content="text/html; charset=big5">'


def gb_title(article_id: int) -> str:
    """Each page gets its own title: equal content would be dropped as a duplicate."""
    return f"{GB_TITLE}（简报{article_id}）"


def big5_title(article_id: int) -> str:
    return f"{BIG5_TITLE}（簡報{article_id}）"


def gb_page(article_id: int, meta: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in GB_PARAGRAPHS)
    return pages.article(article_id, gb_title(article_id), body, charset_meta=meta)


def big5_page(article_id: int, meta: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in BIG5_PARAGRAPHS)
    text = pages.article(article_id, big5_title(article_id), body, charset_meta=meta)
    for simplified, traditional in TRADITIONAL.items():
        text = text.replace(simplified, traditional)
    return text


# Bytes no candidate encoding decodes: 0xFF is not a lead byte of UTF-8, GB18030 or Big5,
# and 0x80 alone is not a character in any of them.
UNDECODABLE = b"\xff\x80\xfe\xff\x80\x80\xff"


def undecodable_page() -> bytes:
    page = pages.article(57, "UNDECODABLE_TITLE", "<p>UNDECODABLE_BODY</p>")
    raw = page.encode("utf-8")
    return raw.replace(b"UNDECODABLE_TITLE", UNDECODABLE * 3).replace(
        b"UNDECODABLE_BODY", UNDECODABLE * 40
    )


NOISE_TITLE = "协会召开春茶开采工作会"
NOISE_HTML = """<p>\u3000\u3000三月五日，协会在普洱召开春茶开采工作会，<!--
-->各会员单位负责人参加会议。</p>
<div class="bdsharebuttonbox"><a href="#" class="bds_more" data-cmd="more">分享到：</a>
<a class="bds_weixin" data-cmd="weixin" title="分享到微信">微信</a></div>
<p>会议要求：<br>一、严格执行采摘标准；<br/>二、做好鲜叶分级收购；<br>三、加强初制所卫生管理。</p>
<script type="text/javascript">
var _hmt = _hmt || []; document.write("统计代码加载中");
</script>
<style>.met-editor p{text-indent:2em}</style>
<noscript>请启用脚本以查看访问统计</noscript>
<!-- 编辑备注：价格一段待核实后再发布 -->
<p>本次会议由<a href="../" title="链接关键词" target="_blank">云岭茶业协会</a>主办，<a
href="../news/" title="茶叶">茶叶</a>企业代表&nbsp;&nbsp;三十余人到会，<!--
-->鲜叶收购价格&lt;每斤80元&gt;&amp;以上的占六成。</p>
<div class="print"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="qrcode"><img src="../upload/202403/qr-61.png" alt="扫一扫在手机上阅读">
<p>扫一扫在手机上阅读</p></div>
<p>上一篇：协会举办第三期茶艺师培训</p>
<p>下一篇：没有了</p>
<p>免责声明：本文所载收购价格由会员单位提供，仅供参考。</p>
<p style="text-align:right">云岭茶业协会秘书处<br>2024年3月6日</p>"""
NOISE_BODY = "\n".join(
    (
        "三月五日，协会在普洱召开春茶开采工作会，各会员单位负责人参加会议。",
        "会议要求：",
        "一、严格执行采摘标准；",
        "二、做好鲜叶分级收购；",
        "三、加强初制所卫生管理。",
        "本次会议由云岭茶业协会主办，茶叶企业代表 三十余人到会，"
        "鲜叶收购价格<每斤80元>&以上的占六成。",
        "免责声明：本文所载收购价格由会员单位提供，仅供参考。",
        "云岭茶业协会秘书处",
        "2024年3月6日",
    )
)

# A list of related articles that a plugin puts inside the body container.
RELATED_TITLE = "协会发布二〇二四年春茶收购指导价"
RELATED_HTML = """<p>经会员大会讨论，协会发布今年春茶鲜叶收购指导价，供会员单位参考。</p>
<p>指导价按一芽一叶、一芽二叶两个等级分别制定。</p>
<div class="related-news"><h4>相关文章</h4><ul>
<li><a href="shownews.php?id=60">协会举办第三期茶艺师培训</a></li>
<li><a href="shownews.php?id=59">茶园病虫害绿色防控现场会召开</a></li>
</ul></div>"""
RELATED_BODY = (
    "经会员大会讨论，协会发布今年春茶鲜叶收购指导价，供会员单位参考。\n"
    "指导价按一芽一叶、一芽二叶两个等级分别制定。"
)

# An article whose info line shows no date: the signature date at the end is not its date.
SIGNED_TITLE = "关于开展二〇二四年度会员信息核对的通知"
SIGNED_HTML = (
    "<p>各会员单位：</p><p>为更新会员名录，请于三月底前登录会员系统核对单位信息。</p>"
    '<p style="text-align:right">云岭茶业协会秘书处<br>2024年3月6日</p>'
)
SIGNED_INFO = (
    f"<span>{pages.AUTHOR}</span>"
    '<span><i class="icon wb-eye m-r-5" aria-hidden="true"></i>12</span>'
)

# The same in a custom template the generic family reads: no date anywhere but the signature.
GENERIC_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>茶园春季防冻技术要点-{pages.SITE_NAME}</title>
<meta name="generator" content="MetInfo {pages.VERSION}" data-variable="../|cn|cn|tea2024|2|1|63">
</head><body>
<div class="topbar"><a href="../">网站首页</a> <a href="../news/">{pages.COLUMN}</a></div>
<div class="wrap"><div class="article-box">
<h1 class="art-title">茶园春季防冻技术要点</h1>
<div class="art-meta">发布者：{pages.AUTHOR}</div>
<div class="art-content">
<p>倒春寒期间，茶园应提前覆盖遮阳网或稻草，减轻霜冻对新梢的伤害。</p>
<p>霜冻过后要及时修剪受冻枝梢，并追施速效氮肥，促进新梢萌发。</p>
<p>云岭茶业协会技术服务部<br>2024年3月6日</p>
</div></div></div>
<div class="foot">Powered by MetInfo {pages.VERSION}</div>
</body></html>
"""
GENERIC_BODY = "\n".join(
    (
        "倒春寒期间，茶园应提前覆盖遮阳网或稻草，减轻霜冻对新梢的伤害。",
        "霜冻过后要及时修剪受冻枝梢，并追施速效氮肥，促进新梢萌发。",
        "云岭茶业协会技术服务部",
        "2024年3月6日",
    )
)


def _routes() -> dict[int, Any]:
    return {
        # GBK bytes, header says UTF-8 (the page's own meta says gb2312).
        51: html(gb_page(51, META_GB2312).encode("gb18030"), charset="utf-8"),
        # GB18030 bytes, no charset in the header: only the meta says it.
        52: html(gb_page(52, META_GB2312).encode("gb18030"), charset=None),
        # UTF-8 with a BOM, header says GBK: the BOM is right.
        53: html(b"\xef\xbb\xbf" + gb_page(53, META_UTF8).encode("utf-8"), charset="gbk"),
        # GBK with a stray UTF-8 BOM, header says GBK: the header is right.
        54: html(b"\xef\xbb\xbf" + gb_page(54, META_GBK).encode("gb18030"), charset="gbk"),
        # UTF-8 without a BOM, header says GBK: read as labelled it would be mojibake.
        58: html(gb_page(58, META_UTF8).encode("utf-8"), charset="gbk"),
        # Big5, labelled Big5 in the header.
        55: html(big5_page(55, META_BIG5).encode("big5"), charset="big5"),
        # Big5, header says UTF-8 (the meta says big5).
        56: html(big5_page(56, META_BIG5).encode("big5"), charset="utf-8"),
        57: html(undecodable_page(), charset="utf-8"),
        61: html(pages.article(61, NOISE_TITLE, NOISE_HTML)),
        62: html(pages.article(62, SIGNED_TITLE, SIGNED_HTML, info=SIGNED_INFO)),
        64: html(pages.article(64, RELATED_TITLE, RELATED_HTML)),
        63: html(GENERIC_PAGE),
    }


@pytest.fixture(scope="module")
def text_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, str]:
    with FaultServer() as server:
        routes = _routes()
        for article_id, reply in routes.items():
            server.route(ARTICLE.format(article_id), reply)
        out = tmp_path_factory.mktemp("text") / "items.jsonl"
        run = crawl([server.origin + ARTICLE.format(i) for i in routes], out)
        assert sorted(server.targets()) == sorted(
            ["/robots.txt", *(ARTICLE.format(i) for i in routes)]
        )
        return run, server.origin


def item(run: Crawl, origin: str, article_id: int) -> dict[str, Any]:
    found = run.by_url().get(origin + ARTICLE.format(article_id))
    assert found is not None, f"article {article_id} was not exported\n{run.tail()}"
    return found


def gb_expected(origin: str, article_id: int) -> dict[str, Any]:
    return pages.expected(
        origin, ARTICLE.format(article_id), article_id, gb_title(article_id), GB_BODY
    )


def test_text_crawl_exits_0_and_items_validate(text_crawl: tuple[Crawl, str]) -> None:
    run, _ = text_crawl
    assert run.returncode == 0, run.tail()
    assert_items_valid(run.items)
    exported = [51, 52, 53, 54, 55, 56, 58, 61, 62, 63, 64]
    assert sorted(int(i["article_id"]) for i in run.items) == exported


@pytest.mark.parametrize(
    "article_id",
    [
        pytest.param(51, id="gbk-body-utf8-header"),
        pytest.param(52, id="gb18030-meta-only"),
        pytest.param(53, id="utf8-bom-gbk-header"),
        pytest.param(54, id="gbk-body-stray-bom"),
        pytest.param(58, id="utf8-body-gbk-header"),
    ],
)
def test_simplified_chinese_comes_out_exact(text_crawl: tuple[Crawl, str], article_id: int) -> None:
    run, origin = text_crawl
    assert pages.fields(item(run, origin, article_id)) == gb_expected(origin, article_id)


@pytest.mark.parametrize(
    "article_id",
    [pytest.param(55, id="big5-labelled"), pytest.param(56, id="big5-utf8-header")],
)
def test_big5_comes_out_exact(text_crawl: tuple[Crawl, str], article_id: int) -> None:
    run, origin = text_crawl
    expected = pages.expected(
        origin,
        ARTICLE.format(article_id),
        article_id,
        big5_title(article_id),
        BIG5_BODY,
        author="秘書處",
    )
    expected["column"] = ["協會動態"]
    assert pages.fields(item(run, origin, article_id)) == expected


def test_bytes_that_decode_as_nothing_are_flagged_not_exported(
    text_crawl: tuple[Crawl, str],
) -> None:
    run, origin = text_crawl
    assert origin + ARTICLE.format(57) not in run.by_url()
    assert run.prefixed("metinfo/not_article/") == {"undecodable": 1}
    assert run.stat("metinfo/encoding/undecodable") == 1
    assert run.summary is not None and run.summary["not_articles"] == {"undecodable": 1}


def test_no_exported_string_holds_a_replacement_character(text_crawl: tuple[Crawl, str]) -> None:
    run, _ = text_crawl
    bad = [i["url"] for i in run.items if "\ufffd" in repr(i)]
    assert bad == []


def test_noise_inside_the_body_is_removed_and_the_text_kept(text_crawl: tuple[Crawl, str]) -> None:
    run, origin = text_crawl
    got = item(run, origin, 61)
    assert pages.fields(got) == pages.expected(
        origin, ARTICLE.format(61), 61, NOISE_TITLE, NOISE_BODY
    )
    # The QR code is a widget, not a content image.
    assert got["images"] == []


def test_body_html_keeps_no_script_style_comment_or_widget(text_crawl: tuple[Crawl, str]) -> None:
    run, origin = text_crawl
    body_html = item(run, origin, 61)["body_html"]
    for noise in (
        "<script",
        "<style",
        "<noscript",
        "<!--",
        "统计代码",
        "bdsharebuttonbox",
        "qrcode",
        "window.print",
    ):
        assert noise not in body_html, noise
    # SEO anchors stay links, made absolute; their text is in the body text as plain words.
    assert f'<a href="{origin}/" title="链接关键词" target="_blank">云岭茶业协会</a>' in body_html


def test_a_related_articles_list_inside_the_body_is_removed(text_crawl: tuple[Crawl, str]) -> None:
    run, origin = text_crawl
    assert pages.fields(item(run, origin, 64)) == pages.expected(
        origin, ARTICLE.format(64), 64, RELATED_TITLE, RELATED_BODY
    )


def test_body_html_drops_the_prev_next_lines_and_related_list_the_text_drops(
    text_crawl: tuple[Crawl, str],
) -> None:
    """``body_html`` is the same article as ``body``: what is noise in one is noise in the
    other."""
    run, origin = text_crawl
    noise = {
        61: [w for w in ("上一篇", "下一篇") if w in item(run, origin, 61)["body_html"]],
        64: [w for w in ("相关文章",) if w in item(run, origin, 64)["body_html"]],
    }
    assert noise == {61: [], 64: []}


def test_a_signature_date_is_not_the_publication_date(text_crawl: tuple[Crawl, str]) -> None:
    run, origin = text_crawl
    assert pages.fields(item(run, origin, 62)) == pages.expected(
        origin,
        ARTICLE.format(62),
        62,
        SIGNED_TITLE,
        "各会员单位：\n为更新会员名录，请于三月底前登录会员系统核对单位信息。\n"
        "云岭茶业协会秘书处\n2024年3月6日",
        published_at=None,
        published_at_raw=None,
        hits=12,
    )


def test_generic_template_signature_date_is_not_the_publication_date(
    text_crawl: tuple[Crawl, str],
) -> None:
    """A custom template (generic family): only the date fields, title and body are compared."""
    run, origin = text_crawl
    got = item(run, origin, 63)
    assert got["template_family"] == "generic"
    assert (got["title"], got["body"]) == ("茶园春季防冻技术要点", GENERIC_BODY)
    assert (got["published_at"], got["published_at_raw"]) == (None, None)


class _UnreadXml(XmlResponse):
    """An XML response whose text must not be decoded (a sitemap read from its bytes)."""

    @property
    def text(self) -> str:
        raise AssertionError("the XML was decoded to text")


def test_the_encoding_repair_leaves_xml_undecoded() -> None:
    """A sitemap naming every article of a large site is read from its bytes: decoding it
    as well would hold a second copy of it while it is read (bench 5a's peak)."""
    middleware = EncodingRepairMiddleware(stats=None)
    body = b'<?xml version="1.0" encoding="gbk"?><urlset><url><loc>http://h.cn/\xe6\x96\xb0</loc></url></urlset>'
    sitemap = _UnreadXml("http://h.cn/sitemap.xml", body=body)
    assert middleware.process_response(Request(sitemap.url), sitemap) is sitemap


def _repaired(body: bytes, charset: str) -> str:
    middleware = EncodingRepairMiddleware(stats=MemoryStatsCollector(get_crawler()))
    response = HtmlResponse(
        "http://h.hk/news/shownews.php?id=32&lang=tc",
        body=body,
        headers={"Content-Type": f"text/html; charset={charset}"},
    )
    return middleware.process_response(Request(response.url), response).text


def test_a_big5_page_with_a_character_big5_lacks_stays_big5() -> None:
    """龗 is 0x87A4 in HKSCS-2008 (the WHATWG Big5 index), which Python's big5hkscs does not
    map: one U+FFFD where a browser shows it, the rest of the page as written (it had been
    re-read whole as GB18030, a traditional Chinese site turned to garbage; a whole-site
    trial of encodings)."""
    text = "聯合會代表團訪問新界山宗祠，了解香港原居民宗族文化。" * 3
    body = f"<html><body><h1>{text}</h1></body></html>".encode("big5hkscs")
    body = body.replace("新界".encode("big5hkscs"), "新界".encode("big5hkscs") + b"\x87\xa4")
    shown = _repaired(body, "big5")
    assert shown.count("新界\ufffd山宗祠") == 3
    assert shown.count("\ufffd") == 3


def test_a_windows_1252_page_keeps_its_text_around_an_undefined_byte() -> None:
    """0x9D, left by a double-encoded quote, is undefined in Windows-1252 (an invisible
    control to a browser): dropped, and the page kept (it had been dropped as
    undecodable)."""
    body = "<html><body><p>The chair said \u201cwelcome\u201d \u2014 twice.</p></body></html>"
    raw = body.encode("cp1252").replace(b"twice", b"tw\x9dice")
    shown = _repaired(raw, "iso-8859-1")
    assert "The chair said \u201cwelcome\u201d \u2014 twice." in shown
