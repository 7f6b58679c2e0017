"""Body text, HTML and media: paragraphs, tables, placeholders, lazy images, attachments."""

from __future__ import annotations

import unicodedata

import pytest
from lxml import etree
from parsel import Selector

from crawler.extract.page import bcp47_case
from crawler.extract.text import (
    WIDGET_LINE_RE,
    body_html,
    body_media,
    body_text,
    clean_line,
    image_url,
    is_attachment_url,
    is_related_box,
    nfkc,
    placeholder_free,
    text_lines,
)

BASE = "http://www.example.com/news/shownews.php?id=7"


def element(html: str, css: str = "div.body") -> etree._Element:
    """The first element matching ``css`` in an HTML snippet, parsed like a page."""
    found = Selector(text=f"<html><body>{html}</body></html>").css(css)
    assert found, css
    return found[0].root


# --- clean_line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  a \n\t b  ", "a b"),
        ("\u3000\u3000正文第一段\u3000", "正文第一段"),
        ("\u00a0\u00a0text\u00a0", "text"),
        ("8:30\u00a0a.m.", "8:30 a.m."),
        ("前\u3000后", "前\u3000后"),  # U+3000 inside a line is a real character
        ("\ufeff\u200b标题", "标题"),
        ("", ""),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


# --- text_lines ----------------------------------------------------------------------------


def test_paragraphs_and_br_lines() -> None:
    el = element(
        '<div class="body"><p>第一段</p><p>第二段<br>第二行<br/>第三行</p>'
        "<div>块一</div>散落文字<p>末段</p></div>"
    )
    assert text_lines(el) == ["第一段", "第二段", "第二行", "第三行", "块一", "散落文字", "末段"]


def test_inline_markup_stays_on_its_line() -> None:
    el = element(
        '<div class="body"><p>请拨打<a href="tel:96000">96000</a>热线，<strong>24小时</strong>'
        "<span>值守</span>。</p></div>"
    )
    assert text_lines(el) == ["请拨打96000热线，24小时值守。"]


def test_nbsp_and_ideographic_space_are_stripped_and_empty_lines_dropped() -> None:
    el = element(
        '<div class="body"><p>\u3000\u3000首行缩进的段落。</p><p>&nbsp;</p><p>\u3000</p>'
        "<p>&nbsp;&nbsp;第二段&nbsp;</p><p></p></div>"
    )
    assert text_lines(el) == ["首行缩进的段落。", "第二段"]


def test_scripts_styles_and_comments_give_no_text() -> None:
    el = element(
        '<div class="body"><p>甲<!-- 注释 -->乙</p><script>var a = "脚本";</script>'
        "<style>.x{color:red}</style><noscript>请开启脚本</noscript><p>丙</p></div>"
    )
    assert text_lines(el) == ["甲乙", "丙"]


def test_text_after_an_embedded_player_is_text_and_the_player_stays_in_the_html() -> None:
    """lxml's parser lets a void <embed> (an old Flash player) hold everything after it:
    that is still the article's text; the player itself gives none and stays in the body
    HTML with an absolute address, an iframe player too; a script URL is no player."""
    el = element(
        '<div class="body"><p>视频：</p><embed src="/upload/flash/v.swf" type="x">'
        "<p>活动现场。</p><p>与会代表合影。</p>"
        '<iframe src="//player.example.com/v?id=1"></iframe>'
        '<iframe src="javascript:alert(1)"></iframe></div>'
    )
    assert text_lines(el) == ["视频：", "活动现场。", "与会代表合影。"]
    html = body_html(el, "http://www.x.example/news/1.html")
    assert '<embed src="http://www.x.example/upload/flash/v.swf" type="x"></embed>' in html
    assert '<iframe src="http://player.example.com/v?id=1"></iframe>' in html
    assert "javascript" not in html
    assert html.index("v.swf") < html.index("活动现场") < html.index("与会代表合影")


def test_widgets_give_no_text() -> None:
    el = element(
        '<div class="body"><p>正文。</p>'
        '<div class="met-page"><a href="?id=6">上一篇</a><a href="?id=8">下一篇</a></div>'
        '<div class="bdsharebuttonbox"><a class="bds_weixin">微信</a></div>'
        '<div class="tags">标签: <a href="#">供水</a></div>'
        '<ul class="pagination"><li>1</li></ul></div>'
    )
    assert text_lines(el) == ["正文。"]


def test_images_give_no_text() -> None:
    el = element('<div class="body"><p><img src="a.jpg" alt="图片关键词">图注</p></div>')
    assert text_lines(el) == ["图注"]


def test_table_rows_are_lines_with_tab_separated_cells() -> None:
    el = element(
        '<div class="body"><p>如下表：</p><table><thead><tr><th>项目</th><th>限值</th></tr></thead>'
        "<tbody><tr><td>浑浊度</td><td>1</td></tr>"
        "<tr><td>余氯<br>（出厂）</td><td><p>0.3</p><p>mg/L</p></td></tr>"
        "<tr><td>&nbsp;</td><td>\u3000</td></tr></tbody></table><p>表后文字</p></div>"
    )
    assert text_lines(el) == [
        "如下表：",
        "项目\t限值",
        "浑浊度\t1",
        "余氯 （出厂）\t0.3 mg/L",
        "表后文字",
    ]


def test_empty_inner_cell_keeps_its_place() -> None:
    el = element('<div class="body"><table><tr><td>甲</td><td></td><td>丙</td></tr></table></div>')
    assert text_lines(el) == ["甲\t\t丙"]


def test_empty_leading_cell_keeps_its_place() -> None:
    # A row is its cells joined by a tab (NewsArticle.body): the empty corner cell of a
    # two-way table still takes a column, so the header lines up with the rows below it.
    el = element(
        '<div class="body"><table><tr><th></th><th>2020</th><th>2021</th></tr>'
        "<tr><td>供水量</td><td>10</td><td>12</td></tr></table></div>"
    )
    assert text_lines(el) == ["\t2020\t2021", "供水量\t10\t12"]


def test_nested_table_rows_are_not_repeated() -> None:
    el = element(
        '<div class="body"><table><tr><td>外</td><td><table><tr><td>内1</td><td>内2</td></tr>'
        "</table></td></tr></table></div>"
    )
    lines = text_lines(el)
    assert lines[0].startswith("外\t")
    assert "内1" in lines[0]
    assert all(line.count("内1") <= 1 for line in lines)
    assert sum(line.count("内1") for line in lines) == 1


def test_excluded_elements_give_no_text() -> None:
    el = element('<div class="body"><h1>标题</h1><p class="info">2021-05-27</p><p>正文</p></div>')
    title = el.find("h1")
    info = el.find("p")
    assert text_lines(el, frozenset({title, info})) == ["正文"]


def test_body_text_joins_lines() -> None:
    el = element('<div class="body"><p>一</p><p>二</p></div>')
    assert body_text(el) == "一\n二"


# --- placeholders and lazy images ----------------------------------------------------------


@pytest.mark.parametrize(
    ("alt", "clean"),
    [
        ("图片关键词", None),
        (" 图片关键词 ", None),
        ("链接关键词", None),
        ("圖片關鍵詞", None),  # a tc site's
        ("MetInfo enterprise content manager system | MetInfo CMS", None),
        ("", None),
        ("   ", None),
        (None, None),
        (" 实验室检测现场 ", "实验室检测现场"),
    ],
)
def test_placeholder_alts(alt: str | None, clean: str | None) -> None:
    assert placeholder_free(alt) == clean


@pytest.mark.parametrize(
    ("img", "url"),
    [
        ('<img src="loading.gif" data-original="../upload/a.jpg">', "../upload/a.jpg"),
        ('<img src="loading.gif" data-src="../upload/b.jpg">', "../upload/b.jpg"),
        ('<img src="loading.gif" data-lazy="../upload/c.jpg">', "../upload/c.jpg"),
        ('<img data-original="" src="../upload/d.jpg">', "../upload/d.jpg"),
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="e.jpg">', "e.jpg"),
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">', None),
        ("<img>", None),
    ],
)
def test_image_url_prefers_lazy_attributes(img: str, url: str | None) -> None:
    assert image_url(element(f'<div class="body">{img}</div>', "img")) == url


def test_body_media_images() -> None:
    el = element(
        '<div class="body">'
        '<p><img class="lazy" src="../public/images/loading.gif"'
        ' data-original="../upload/202104/a.jpg" alt="现场"></p>'
        '<p><img src="../upload/202104/b.png" alt="图片关键词" title="图片关键词"></p>'
        '<p><img src="http://cdn.example.net/c.jpg" alt=""></p>'
        '<p><img src="/upload/202104/a.jpg" alt="重复"></p>'
        '<div class="bdsharebuttonbox"><img src="../public/images/share.png" alt="分享"></div>'
        "</div>"
    )
    assert body_media(el, BASE).images == [
        {"url": "http://www.example.com/upload/202104/a.jpg", "alt": "现场"},
        {"url": "http://www.example.com/upload/202104/b.png", "alt": None},
        {"url": "http://cdn.example.net/c.jpg", "alt": None},
    ]


def test_body_media_attachments() -> None:
    el = element(
        '<div class="body">'
        '<p>附件：<a href="../upload/file/202104/report.pdf" title="链接关键词">检测报告.pdf</a></p>'  # noqa: E501
        '<p><a href="../upload/file/form.DOCX"><span>申请表</span></a></p>'
        '<p><a href="/upload/file/data.xlsx?v=2">数据</a></p>'
        '<p><a href="../upload/file/202104/report.pdf">重复链接</a></p>'
        '<p><a href="shownews.php?id=8">相关新闻</a> <a href="../about/">关于</a>'
        ' <a href="javascript:;">无</a> <a href="mailto:a@example.com">邮件</a></p>'
        # a Word paste's links to the editor's desktop (a whole-site trial exported them)
        '<p>报名表：<a href="file:///C:/Users/Administrator/Desktop/报名表.docx">报名表.docx</a>'
        ' <a href="C:\\Users\\Lenovo\\回执.doc">回执.doc</a></p>'
        "</div>"
    )
    assert body_media(el, BASE).attachments == [
        {"url": "http://www.example.com/upload/file/202104/report.pdf", "name": "检测报告.pdf"},
        {"url": "http://www.example.com/upload/file/form.DOCX", "name": "申请表"},
        {"url": "http://www.example.com/upload/file/data.xlsx?v=2", "name": "数据"},
    ]


def test_body_media_urls_are_percent_encoded_as_a_browser_sends_them() -> None:
    """A file name written raw (Chinese, a space) and the same file written encoded are one
    URL, the one body_html prints; a name already encoded stays as it is."""
    el = element(
        '<div class="body">'
        '<p><img src="../upload/202402/走访 现场.jpg" alt="走访"></p>'
        '<p><a href="../upload/file/笔试成绩.xls">笔试成绩</a></p>'
        '<p><a href="../upload/file/%E7%AC%94%E8%AF%95%E6%88%90%E7%BB%A9.xls">同一文件</a></p>'
        '<p><a href="/upload/file/%E9%99%84%E4%BB%B6%201.doc">附件 1</a></p>'
        "</div>"
    )
    media = body_media(el, BASE)
    assert media.images == [
        {
            "url": "http://www.example.com/upload/202402/%E8%B5%B0%E8%AE%BF%20%E7%8E%B0%E5%9C%BA.jpg",
            "alt": "走访",
        }
    ]
    assert media.attachments == [
        {
            "url": "http://www.example.com/upload/file/%E7%AC%94%E8%AF%95%E6%88%90%E7%BB%A9.xls",
            "name": "笔试成绩",
        },
        {"url": "http://www.example.com/upload/file/%E9%99%84%E4%BB%B6%201.doc", "name": "附件 1"},
    ]
    html = body_html(el, BASE)
    assert media.images[0]["url"] in html and media.attachments[0]["url"] in html


@pytest.mark.parametrize(
    ("url", "attachment"),
    [
        ("http://h/upload/file/a.pdf", True),
        ("http://h/upload/file/A.PDF", True),
        ("http://h/upload/file/a.zip?x=1", True),
        ("http://h/upload/file/a.rar", True),
        ("http://h/news/12.html", False),
        ("http://h/news/shownews.php?id=12", False),
        ("http://h/download/", False),
        ("http://h/news/shownews.php?file=a.pdf", False),
    ],
)
def test_is_attachment_url(url: str, attachment: bool) -> None:
    assert is_attachment_url(url) is attachment


# --- body_html -----------------------------------------------------------------------------


def test_body_html_is_clean_and_absolute() -> None:
    el = element(
        '<div class="body"><p>开头<script>document.write("x")</script>结尾</p>'
        "<!-- 编辑器注释 --><style>p{}</style>"
        '<p><img src="../public/images/loading.gif" data-original="../upload/a.jpg" alt="现场"></p>'
        '<p><a href="../upload/file/r.pdf">报告</a> <a href="shownews.php?id=8">下一篇</a></p>'
        '<div class="met-page"><a href="?id=6">上一篇</a></div></div>'
    )
    html = body_html(el, BASE)
    assert "<script" not in html
    assert "<style" not in html
    assert "<!--" not in html
    assert "met-page" not in html
    assert "上一篇" not in html
    assert "data-original" not in html
    out = Selector(text=f"<div>{html}</div>")
    assert out.css("p::text").get() == "开头结尾"
    assert out.css("img::attr(src)").getall() == ["http://www.example.com/upload/a.jpg"]
    assert out.css("img::attr(alt)").get() == "现场"
    assert out.css("a::attr(href)").getall() == [
        "http://www.example.com/upload/file/r.pdf",
        "http://www.example.com/news/shownews.php?id=8",
    ]


def test_body_html_does_not_change_the_page() -> None:
    el = element('<div class="body"><p>a<script>x</script></p><img data-src="b.jpg"></div>')
    before = etree.tostring(el)
    body_html(el, BASE)
    assert etree.tostring(el) == before


def test_body_html_uses_the_base_url_given() -> None:
    el = element('<div class="body"><img src="upload/a.jpg"><a href="upload/f.doc">f</a></div>')
    out = Selector(text=body_html(el, "http://www.example.com/cms/"))
    assert out.css("img::attr(src)").get() == "http://www.example.com/cms/upload/a.jpg"
    assert out.css("a::attr(href)").get() == "http://www.example.com/cms/upload/f.doc"


def test_body_html_escapes_the_text_before_the_first_child() -> None:
    """Text the container holds before its first element is markup-escaped like the rest
    (a breadcrumb-like "首页 > 新闻" at the top of a body must not become a stray tag edge),
    and the container's own tag and attributes are not part of the inner HTML."""
    el = element('<div class="body" id="c">首页 &gt; 新闻 &amp; 动态 &lt;b&gt;<p>正文</p>尾</div>')
    html = body_html(el, BASE)
    assert html == "首页 &gt; 新闻 &amp; 动态 &lt;b&gt;<p>正文</p>尾"
    assert Selector(text=f"<div>{html}</div>").xpath("string(//div)").get() == (
        "首页 > 新闻 & 动态 <b>正文尾"
    )


def test_nfkc_is_unicodedata_nfkc_on_every_bmp_character() -> None:
    """The fast path gives exactly what unicodedata gives (content hashes in state stores
    must not change): every BMP character alone, after a letter, before a combining mark
    and after a full-width letter, plus a Chinese paragraph and a mixed line."""
    samples = [
        "公告：本次会议于２０２１年８月２３日（周一）召开，地点：三楼。\u3000欢迎参加！",
        "Ｆｕｌｌ\u0301 width ｗｉｔｈ ﬁ ligature ① and ㈱",
    ]
    for code in range(0x10000):
        char = chr(code)
        samples += [char, "a" + char, char + "\u0301", "\uff21" + char]
    assert [nfkc(s) for s in samples] == [unicodedata.normalize("NFKC", s) for s in samples]


@pytest.mark.parametrize(
    ("line", "widget"),
    [
        ("【打印】【关闭】", True),
        ("【字体：大 中 小】", True),
        ("[Print] [Close]", True),
        ("【打印本页】 【关闭窗口】", True),
        ("打印机采购公告", False),
        ("中小企业座谈会召开", False),
        ("Close cooperation continues", False),
    ],
)
def test_widget_lines_are_told_from_text(line: str, widget: bool) -> None:
    assert bool(WIDGET_LINE_RE.match(line)) is widget


@pytest.mark.parametrize(
    ("html", "related"),
    [
        ('<div><div class="t">相关文章</div><ul><li><a href="a.html">甲</a></li></ul></div>', True),
        ('<ul><li>推荐阅读：</li><li><a href="a.html">乙</a></li></ul>', True),
        ('<div><h4>Related news</h4><a href="a.html">A</a></div>', True),
        # A heading without links, or a paragraph that only starts with the words.
        ("<div><p>相关文章</p><p>正文</p></div>", False),
        ('<div><p>相关部门要求各单位认真落实。<a href="a.pdf">附件</a></p></div>', False),
        ('<p>相关文章<a href="a.html">甲</a></p>', False),  # not a box
    ],
)
def test_related_boxes_by_their_heading(html: str, related: bool) -> None:
    el = etree.fromstring(html, etree.HTMLParser()).find("body")[0]
    assert is_related_box(el) is related


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("zh-cn", "zh-CN"), ("EN_us", "en-US"), ("zh-hans-cn", "zh-Hans-CN"), ("en", "en")],
)
def test_html_lang_in_bcp47_case(tag: str, expected: str) -> None:
    assert bcp47_case(tag) == expected


def test_lines_around_a_spanish_text_are_no_text() -> None:
    """What an es/cn chamber prints under a short text, in the text's block when a template
    keeps them there: the same story in the other language, the next article with the
    arrow before the colon, the way back to the list (a whole-site trial)."""
    el = element(
        '<div class="body"><p>Ochenta socios celebraron el Año del Dragón.</p>'
        '<p>Leer esta noticia en chino: <a href="shownews.php?id=29&amp;lang=cn">'
        "商会与会员共庆中国新年</a></p>"
        '<p>« Anterior: <a href="shownews.php?id=20">Foro de inversión</a></p>'
        '<p>Siguiente »: <a href="shownews.php?id=22">Misión comercial a Guangzhou</a></p>'
        '<p><a href="news.php?class1=5">Volver al listado</a></p></div>'
    )
    assert text_lines(el) == ["Ochenta socios celebraron el Año del Dragón."]


def test_indonesian_prev_next_lines_are_no_text() -> None:
    """A Jakarta association's prev/next list inside the article block (a whole-site
    trial): Sebelumnya: / Berikutnya:, the word in its own span."""
    el = element(
        '<div class="body"><p>Sebanyak 60 peserta mengikuti pelatihan.</p>'
        '<ul class="post-nav"><li><span>Sebelumnya:</span> <a href="108.html">Kunjungan '
        "ke Gubernur</a></li><li><span>Berikutnya:</span> Tidak ada</li></ul></div>"
    )
    assert text_lines(el) == ["Sebanyak 60 peserta mengikuti pelatihan."]


def test_portuguese_and_french_share_and_prev_next_lines_are_no_text() -> None:
    """A Brazilian chamber's share bar and prev/next lines inside the article block (a
    whole-site trial): Compartilhe:, « Matéria anterior:, Próxima matéria »:, « Previous:."""
    el = element(
        '<div class="body"><p>A Câmara recebeu a missão de Xangai.</p>'
        '<div class="compartilhe">Compartilhe: <a href="#">WhatsApp</a> <a href="#">Facebook</a>'
        '</div><p class="anterior">« Matéria anterior: <a href="23.html">Jantar anual</a></p>'
        '<p class="proxima">Próxima matéria »: <a href="24.html">Rodada de negócios</a></p>'
        '<p>« Previous: No more</p><p>Article précédent\u00a0: <a href="5.html">Salon</a></p>'
        "</div>"
    )
    assert text_lines(el) == ["A Câmara recebeu a missão de Xangai."]


def test_a_document_shown_in_a_frame_is_an_attachment() -> None:
    """A notice that is one PDF in an <iframe> (or a PDF viewer given the file) and a
    caption: the document is the article's attachment (a whole-site trial)."""
    el = element(
        '<div class="body"><p><iframe src="/upload/file/x.pdf" width="100%"></iframe></p>'
        '<p><iframe src="/pdfjs/web/viewer.html?file=/upload/file/y.pdf"></iframe></p>'
        '<p><iframe src="https://player.example/v/1"></iframe></p><p>附件：年度报告</p></div>'
    )
    media = body_media(el, "http://www.x.example/news/19.html")
    assert [a["url"] for a in media.attachments] == [
        "http://www.x.example/upload/file/x.pdf",
        "http://www.x.example/upload/file/y.pdf",
    ]


def test_wechat_furniture_lines_are_no_text() -> None:
    """A post pasted from a WeChat account: its follow prompt, WeChat's own byline, the
    account id under its QR code and the 阅读原文 prompt are the account's, not the story's."""
    el = element(
        '<div class="body"><p>点击蓝字 关注我们</p>'
        "<p>原创 甬江青商会 甬江青商会 2024-02-25 18:00 发表于浙江</p>"
        "<p>商会召开秘书处工作例会，部署一季度重点工作。</p>"
        "<p>微信号｜yjqsh2019</p><p>点击“阅读原文”了解更多详情</p></div>"
    )
    assert text_lines(el) == ["商会召开秘书处工作例会，部署一季度重点工作。"]


def test_a_sentence_that_opens_with_related_words_is_text() -> None:
    """相关产品 opens a sentence of the text, not a related box's heading left behind: the
    line stays (a whole-site trial of a chamber in Frankfurt lost it); the heading alone
    above a dropped list of links goes."""
    el = element(
        '<div class="body"><p>一家会员电池企业与黑森州一家车企签署五年供货协议。</p>'
        "<p>相关产品将于2026年开始在匈牙利生产。</p><p>相关阅读：</p></div>"
    )
    assert text_lines(el) == [
        "一家会员电池企业与黑森州一家车企签署五年供货协议。",
        "相关产品将于2026年开始在匈牙利生产。",
    ]
