"""A generated MetInfo-7-like news site of any size, with its ground truth, served on loopback.

The benchmarks (issue 8), the scheduled-run tests (issue 4) and the worker tests (issue 6) need
sites of 1k to 100k articles whose every field is known.  Nothing is written to disk: each page
is rendered on request from ``(seed, article id, revision)``, and the site keeps only a few
compact arrays per article (column, displayed time, revision, deleted flag: 12 bytes, plus
16 for the cached list orders); a 100k-article site serves in under 40 MB of RSS.

The markup follows MetInfo 7.2.0's default ``metv7`` template as described in
``../shared/metinfo-field-guide.md`` (URL grammar §1.2, pager §1.6, detail page §2.1, head
§2.3, placeholders §2.4, lazy images §2.5, empty 200 for a missing id §5), written small.

    site = Site(SiteSpec(seed=1, articles=10_000, languages=("cn", "en")))
    with SiteServer(site) as server:
        truth = list(site.truth())          # URLs carry server.origin
        ...                                 # crawl server.origin + "/"
        changes = site.mutate(added=10, edited_redated=5, deleted=2)

CLI: ``python -m bench.sitegen --articles 1000 --seed 1 [--mode pseudo] [--port N]
[--languages cn,en] [--latency S] [--truth FILE]`` serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import signal
import struct
import sys
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from string import Formatter
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl, urlsplit

from crawler.loopback import LoopbackHTTPServer, LoopbackServer, StopServing, stop_on_signal

VERSION = "7.2.0"
SKIN = "metv7"
NEWS_MODULE = 2
HOME_MODULE = 10001
TZ_OFFSET = 8 * 3600  # MetInfo renders Asia/Shanghai (guide §3); displayed times are +08:00
LANGS = ("cn", "en")
URL_MODES = ("dynamic", "pseudo")

# The CMS placeholders MetInfo puts on images without alt (guide §2.4, met_alt per language).
PLACEHOLDER_ALT = {
    "cn": "图片关键词",
    "en": "MetInfo enterprise content manager system | MetInfo CMS",
}
LINK_PLACEHOLDER = {"cn": "链接关键词", "en": "Link keywords"}

# MetInfo's default robots.txt Disallow list (guide §1.5).
ROBOTS_DISALLOW = (
    "/app/",
    "/admin/",
    "/cache/",
    "/config/",
    "/include/",
    "/public/",
    "/install/",
    "/templates/",
    "/upload/",
    "/member/",
    "/wap/templates/",
)

# --- words (written for this generator; every value is plain text without HTML specials) ------

CN_PLACES = (
    "澄湖", "枫林", "沁园", "鹿鸣", "芳洲", "银杏", "临溪", "望山", "丰泽", "瑞安", "嘉禾", "锦屏",
    "启明", "景澜", "晴川", "碧水", "凤岭", "兰亭", "松岗", "荷塘", "竹溪", "玉泉", "双桥", "明湖",
)  # fmt: skip
CN_ORGS = (
    "社区服务站", "政务服务中心", "文化馆", "图书馆", "卫生服务中心", "街道办事处", "就业服务站",
    "养老服务中心", "青少年宫", "志愿者协会", "商会", "科技园", "实验小学", "消防救援站",
    "交通运输局", "市场监管所", "税务分局", "综合执法队", "农业服务中心", "妇女联合会",
    "残疾人联合会", "档案馆", "体育中心", "规划展览馆", "人才服务中心", "物业协会", "老年大学",
    "博物馆", "水务所", "环保协会",
)  # fmt: skip
CN_ACTIONS = (
    "举办", "启动", "开展", "组织", "召开", "发布", "推出", "完成", "部署", "筹备", "承办", "试点",
    "推进", "总结", "表彰", "开放", "升级", "优化", "落实", "公布", "通报", "调整", "征集", "评选",
    "上线",
)  # fmt: skip
CN_OBJECTS = (
    "安全生产培训", "春季招聘会", "读书分享会", "便民服务月活动", "防汛应急演练", "年度工作会议",
    "消防安全检查", "垃圾分类宣传", "健康义诊", "法律咨询日", "科普周活动", "文艺汇演", "技能竞赛",
    "志愿服务行动", "重阳敬老活动", "网上办事指南", "营商环境座谈会", "服务质量评议", "节能宣传周",
    "夜间延时服务", "邻里节", "亲子运动会", "社区议事会", "暑期托管班", "就业帮扶计划",
    "文明城市创建工作", "冬季供暖保障", "食品安全抽检", "交通秩序整治", "老旧小区改造",
    "无障碍设施建设", "适老化改造", "数字服务平台", "预约服务", "专题讲座", "摄影展", "书画展",
    "环境整治", "意见征集", "满意度调查",
)  # fmt: skip
EN_PLACES = (
    "Maple", "Riverside", "Lakeview", "Northgate", "Elmwood", "Harbor", "Stonebridge",
    "Greenfield", "Westbrook", "Hillcrest", "Oakdale", "Brightwater", "Cedar", "Willow", "Ashford",
    "Fairview", "Pinecrest", "Kingsway", "Southbank", "Meadow", "Silverlake", "Rosewood",
    "Eastfield", "Clearwater",
)  # fmt: skip
EN_ORGS = (
    "Library", "Service Center", "Community Hall", "Youth Center", "Health Clinic", "Job Center",
    "Chamber of Commerce", "Science Park", "Art Museum", "Sports Center", "Fire Station",
    "Senior College", "Archives", "Volunteer Union", "Business Forum", "Trade Office",
    "Water Bureau", "Transport Office", "Planning Hall", "Culture House", "Primary School",
    "Farm Service Station", "Tax Office", "Market Office", "Women Union", "Talent Center",
    "Heritage Society", "Green Council", "Welfare Office", "Residents Council",
)  # fmt: skip
EN_ACTIONS = (
    "Holds", "Launches", "Opens", "Hosts", "Announces", "Completes", "Starts", "Organises",
    "Reviews", "Publishes", "Extends", "Upgrades", "Plans", "Celebrates", "Introduces", "Expands",
    "Joins", "Supports", "Improves", "Schedules", "Renews", "Presents", "Tests", "Honours",
    "Promotes",
)  # fmt: skip
EN_OBJECTS = (
    "Reading Week", "Spring Job Fair", "Safety Training", "Flood Drill", "Annual Meeting",
    "Fire Inspection", "Recycling Campaign", "Free Health Checks", "Legal Advice Day",
    "Science Week", "Arts Evening", "Skills Contest", "Volunteer Drive", "Senior Day",
    "Online Service Guide", "Business Roundtable", "Service Review", "Energy Week",
    "Evening Service Hours", "Neighbourhood Festival", "Family Sports Day", "Town Hall Forum",
    "Summer Day Camp", "Employment Plan", "Clean City Campaign", "Winter Heating Plan",
    "Food Safety Checks", "Traffic Order Drive", "Housing Renewal", "Accessibility Works",
    "Digital Service Portal", "Booking Service", "Public Lecture", "Photo Exhibition",
    "Calligraphy Show", "Clean-up Day", "Public Consultation", "Satisfaction Survey",
    "Open House", "Tree Planting Day",
)  # fmt: skip

CN_SENTENCES = (
    "{m}月{d}日，{P}{O}{A}{J}，吸引了{n}余名居民参加。",
    "本次活动由{P}{O}牵头，联合辖区{k}家单位共同实施。",
    "现场设置了咨询台、体验区和展示区，工作人员为群众提供一对一讲解。",
    "据统计，活动期间累计发放宣传资料{n}份，解答群众咨询{k}人次。",
    "{O}负责人表示，下一步将继续围绕{J}完善工作机制，提升服务质量。",
    "参加活动的居民纷纷表示，这样的活动贴近生活，实用性强。",
    "为保障活动顺利进行，{P}{O}提前制定了工作方案，明确了责任分工。",
    "今年以来，{P}已累计开展各类{J}{k}场次，覆盖群众{n}余人。",
    "活动结束后，组织方对参与者进行了问卷调查，满意度达到{pct}%。",
    "据了解，{J}将于{m}月下旬在全区推广。",
    "如有疑问，可在工作日前往{P}{O}服务窗口咨询。",
    "此次{J}是{P}{O}年度重点工作之一。",
    "与会人员围绕{J}中存在的问题进行了深入交流，并提出了改进建议。",
    "{P}{O}相关工作人员介绍，目前各项准备工作已基本就绪。",
    "下一阶段，{P}将把{J}与日常服务结合起来，形成长效机制。",
    "不少年轻家庭也带着孩子来到现场，气氛十分热烈。",
)
EN_SENTENCES = (
    "On {M} {d}, the {P} {O} held its {J}, drawing more than {n} residents.",
    "The event was led by the {P} {O} together with {k} local partners.",
    "Staff answered questions at help desks and guided visitors one by one.",
    "About {n} leaflets were handed out and {k} questions were answered on the day.",
    "The head of the {O} said the {J} will become a regular part of its work.",
    "Many residents said the event was practical and close to daily life.",
    "A detailed plan was drawn up in advance so that every task had an owner.",
    "So far this year the {P} district has run {k} sessions of this kind for {n} people.",
    "A survey after the event found that {pct}% of participants were satisfied.",
    "The {J} will be extended to the whole district in late {M}.",
    "Questions can be put to the {P} {O} service desk on working days.",
    "The {J} is one of the key tasks of the {P} {O} this year.",
    "Participants discussed open problems of the {J} and made suggestions.",
    "Staff of the {P} {O} said that preparations are nearly complete.",
)
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
CN_SOURCES = (
    "澄湖日报",
    "区融媒体中心",
    "城市晚报",
    "民生周刊",
    "新区发布",
    "晴川电视台",
    "社区通讯",
)
EN_SOURCES = ("City Daily", "Metro Weekly", "District News Service", "Harbor Radio")
CN_PUBLISHERS = ("王敏", "李思远", "张晓彤", "刘洋", "陈静", "办公室", "宣传科", "综合办")
EN_PUBLISHERS = ("Press Office", "Web Team", "Li Wei", "Anna Grey")
CN_TABLE_HEAD = (
    ("项目", "时间", "地点", "备注"),
    ("事项", "办理时间", "办理地点"),
    ("名称", "日期"),
)
EN_TABLE_HEAD = (("Item", "Date", "Place", "Note"), ("Service", "Hours", "Desk"), ("Name", "Date"))
CN_NOTES = ("免费参加", "需提前预约", "现场报名", "名额有限", "全天开放")
EN_NOTES = ("Free", "Booking needed", "Walk in", "Limited places", "All day")

# Column names: top-level (may have children) and second-level, per language.
CN_TOP = (
    "新闻中心",
    "通知公告",
    "政策法规",
    "媒体报道",
    "党建工作",
    "行业资讯",
    "活动回顾",
    "专题专栏",
)
CN_SUB = (
    "工作动态",
    "基层快讯",
    "图片新闻",
    "公示公告",
    "招标信息",
    "政策解读",
    "人事信息",
    "办事指南",
)
EN_TOP = ("News", "Notices", "Policies", "Press", "Community", "Industry", "Events", "Features")
EN_SUB = (
    "Updates",
    "Local News",
    "Photo News",
    "Public Notices",
    "Tenders",
    "Explainers",
    "Staff",
    "Guides",
)
FOLDERS = ("news", "notice", "policy", "media", "dangjian", "industry", "events", "zhuanti")
CN_SITE_TAIL = ("公共服务中心", "商会", "产业园区管理委员会", "行业协会")
EN_SITE_TAIL = (
    "Public Service Center",
    "Chamber of Commerce",
    "Industrial Park",
    "Trade Association",
)

UI = {
    "cn": {
        "home": "网站首页",
        "here": "你的位置",
        "prev": "上一篇",
        "next": "下一篇",
        "none": "没有了",
        "prev_page": "上一页",
        "next_page": "下一页",
        "goto": "转至第",
        "page": "页",
        "all": "全部",
        "latest": "最新动态",
        "rights": "版权所有",
        "empty": "没有找到数据",
        "other": "English",
    },
    "en": {
        "home": "Home page",
        "here": "Location",
        "prev": "Previous",
        "next": "Next",
        "none": "None",
        "prev_page": "Previous page",
        "next_page": "Next page",
        "goto": "Go to",
        "page": "Page",
        "all": "All",
        "latest": "Latest news",
        "rights": "All rights reserved",
        "empty": "No data found",
        "other": "简体中文",
    },
}

# Tiny valid files for /upload/ and /public/: 1x1 GIF, PNG and JPEG images, a one-page PDF.
GIF_BYTES = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1, 8-bit RGBA
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")  # filter byte + one transparent pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# Baseline JPEG, one 8x8 grey block: JFIF, quantisation table, SOF0 1x1, the standard
# luminance Huffman tables, and a scan of DC category 0 (code 00) + EOB (1010), padded: 0x2B.
JPEG_BYTES = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c"
    "1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0"
    "000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bff"
    "c400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a10823"
    "42b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a5354555657"
    "58595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aa"
    "b2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8"
    "f9faffda0008010100003f002bffd9"
)


def _pdf_one_page() -> bytes:
    objects = (
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>",
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PNG_BYTES = _png_1x1()
PDF_BYTES = _pdf_one_page()
STATIC_FILES = {
    ".gif": ("image/gif", GIF_BYTES),
    ".png": ("image/png", PNG_BYTES),
    ".jpg": ("image/jpeg", JPEG_BYTES),
    ".jpeg": ("image/jpeg", JPEG_BYTES),
    ".pdf": ("application/pdf", PDF_BYTES),
    ".ico": ("image/x-icon", GIF_BYTES),
}

HTML_TYPE = "text/html; charset=utf-8"
BASE_TIME = 1734660000  # 2024-12-20 10:00:00 +08:00: the newest initial article is near it
HISTORY_SECONDS = 8 * 365 * 86400  # initial articles spread over eight years before that
EN_SHARE = 0.25  # share of articles in English when the site has both languages
HOME_BLOCK = 10  # recent articles on a home page
PAGER_WINDOW = 2  # page links either side of the current page in div.met_pager

PSEUDO_ARTICLE_RE = re.compile(r"^(\d+)(?:-([a-z]{2,3}))?\.html$")
PSEUDO_LIST_RE = re.compile(r"^list-(\d+)(?:-(\d+))?(?:-([a-z]{2,3}))?\.html$")


# --- markup (MetInfo 7.2.0 metv7, guide §1.6, §2.1-2.3; written small, one element a line) ---

HEAD = """<!DOCTYPE HTML>
<html class="met-web oxh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>{title}</title>
<meta name="description" content="{description}">
<meta name="keywords" content="{keywords}">
<meta name="generator" content="MetInfo {version}" data-variable="{variable}" data-user_name="">
<link href="{rel}favicon.ico" rel="shortcut icon" type="image/x-icon">
<link rel="stylesheet" type="text/css" href="{rel}public/web/css/basic.css">
<link rel="stylesheet" type="text/css" href="{rel}templates/{skin}/cache/metinfo.css">
</head>
<body>
"""
HEADER = """<header class="met-head" m-id="met_head" m-type="head_nav">
<nav class="navbar navbar-default met-nav"><div class="container">
<h3 hidden>{name}</h3>
<a href="{home}" class="met-logo" title="{name}">
<img src="{rel}upload/201801/logo.png" alt="{name}" class="pclogo"></a>
<ul class="nav navbar-nav navlist">
{nav}
</ul>
<!--switch-->
</div></nav>
</header>
"""
NAV_ITEM = (
    '<li class="nav-item{cls}"><a href="{href}" title="{name}" class="nav-link">{name}</a></li>'
)
NAV_DROPDOWN = """<li class="nav-item dropdown m-l-10">
<a href="{href}" title="{name}" class="nav-link dropdown-toggle" data-toggle="dropdown">{name}</a>
<div class="dropdown-menu">
{menu}
</div></li>"""
NAV_MENU_ITEM = '<a href="{href}" title="{name}" class="dropdown-item{cls}">{name}</a>'
LANG_SWITCH = """<div class="metlang m-l-15 pull-md-right">
<div class="met-langlist vertical-align" m-type="lang" m-id="lang">
<a href="{href}" title="{name}" class="met-lang-other"><span>{name}</span></a>
</div></div>"""
FOOTER = """<footer class="met-foot-info border-top1" m-id="met_foot" m-type="foot">
<div class="copy p-y-10"><div class="container text-xs-center">
<div>{name} {rights}</div>
<div class="powered_by_metinfo">Powered by <b><a href=https://www.metinfo.cn target=_blank
 title=CMS>MetInfo {version}</a></b> &copy;2008-{year}</div>
</div></div>
</footer>
<script src="{rel}public/web/js/basic.js" id="met-page-js"></script>
</body>
</html>
"""
CRUMBS = """<section class="met-crumbs hidden-sm-down" m-id="met_position" m-type="nocontent">
<div class="container">
<ol class="breadcrumb m-b-0 subcolumn-crumbs breadcrumb-arrow">
{items}
</ol>
</div></section>
"""
CRUMB = '<li class="breadcrumb-item"><a href="{href}" title="{name}" class="{cls}">{name}</a></li>'
SIDEBAR = """<div class="col-md-3"><aside class="met-bar" m-id="news_bar" m-type="nocontent">
<ul class="column list-icons">
{links}
</ul></aside></div>
"""
SIDEBAR_TOP = '<li><a href="{href}" title="{name}"><h3 class="font-weight-300">{name}</h3></a></li>'
SIDEBAR_SON = '<li class="met-bar-son"><a href="{href}" title="{name}">{name}</a></li>'
ARTICLE_MAIN = """<main class="met-shownews animsition"><div class="container"><div class="row">
<div class="col-md-9 met-shownews-body" m-id="noset">
<section class="details-title">
<h1 class='m-t-10 m-b-5'>{title}</h1>
<div class="info font-weight-300">
<span>{time}</span>
<span>{publisher}</span>
<span><i class="icon wb-eye m-r-5" aria-hidden="true"></i>{hits}</span>
</div>
</section>
<section class="met-editor clearfix">
{body}
</section>
<div class='met-page met-shownews-footer border-top1'>
<ul class="pagination block blocks-2 p-t-20">
{pagination}
</ul></div>
</div>
{sidebar}</div></div></main>
"""
PAGE_LINK = """<li class='page-item m-b-0{state}'><a href='{href}' title="{title}"
 class='page-link{side} text-truncate'>{label}<span aria-hidden="true"
 class='hidden-xs-down'>: {title}</span></a></li>"""
LIST_MAIN = """<section class="met-news animsition"><div class="container"><div class="row">
<div class="col-md-9 met-news-body"><div class="met-news-list" m-id="noset">
<ul class="ulstyle met-pager-ajax imagesize">
{items}</ul>
<div class="m-t-20 text-xs-center hidden-sm-down" m-type="nosysdata">
{pager}
</div>
</div></div>
{sidebar}</div></div></section>
"""
LIST_ITEM = """<li class="media media-lg border-bottom1"><div class="media-body">
<h4><a href="{href}" title="{title}" target=_self>{title}</a></h4>
<p class="des font-weight-300">{description}</p>
<p class="info font-weight-300"><span>{date}</span><span>{publisher}</span>
<span><i class="icon wb-eye m-r-5" aria-hidden="true"></i>{hits}</span></p>
</div></li>
"""
PAGER_TAIL = """
<span class='PageText'>{goto}</span>
<input type='text' id='metPageT' data-pageurl='{pattern}' value='{page}' />
<input type='button' id='metPageB' value='{unit}' />
</div>"""
COLUMN_NAV = """<section class="met-column-nav" m-id="subcolumn_nav" m-type="nocontent">
<div class="container"><ul class="clearfix met-column-nav-ul">
{links}
</ul></div></section>
"""
COLUMN_NAV_ITEM = '<li><a href="{href}" title="{name}">{name}</a></li>'
HOME_MAIN = """<div class="met-index-news met-index-body" m-id="met_index_news">
<div class="container">
<h2 class="m-t-0">{latest}</h2>
<div class="row index-news-list"><ul class="list-group blocks-lg-2">
{items}</ul></div>
</div></div>
"""
HOME_ITEM = """<li><a class="media media-lg block" href="{href}" title="{title}" target=_self>
<div class="media-body"><h4 class="media-heading m-b-10">{title}</h4>
<p class="des m-b-5">{description}</p>
<p class="info m-b-0"><span>{date}</span><span class="m-l-10">{publisher}</span></p>
</div></a></li>
"""
SITEMAP_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
SITEMAP_URL = (
    "<url>\n<loc>{}</loc>\n<priority>{}</priority>\n<lastmod>{}</lastmod>\n"
    "<changefreq>weekly</changefreq>\n</url>\n"
)


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSpec:
    """What to generate.

    ``seed``: everything follows from it.  ``articles``: initial article count (ids 1..N).
    ``columns``: news columns per language, some of them children of another (two levels).
    ``languages``: ``("cn",)`` or ``("cn", "en")``; cn is the default language.
    ``url_mode``: ``"dynamic"`` (``F/shownews.php?id=N``) or ``"pseudo"`` (``F/N.html``).
    ``list_page_size``: articles per list page (MetInfo sites use 8 to 20).
    ``latency``: seconds a :class:`SiteServer` waits before each response.
    """

    seed: int = 1
    articles: int = 1000
    columns: int = 6
    languages: tuple[str, ...] = ("cn",)
    url_mode: str = "dynamic"
    list_page_size: int = 10
    latency: float = 0.0

    def __post_init__(self) -> None:
        if self.articles < 0:
            raise ValueError(f"articles must be >= 0, got {self.articles}")
        if not 1 <= self.columns <= len(CN_TOP):
            raise ValueError(f"columns must be 1..{len(CN_TOP)}, got {self.columns}")
        if self.languages not in (("cn",), ("cn", "en")):
            raise ValueError(f"languages must be ('cn',) or ('cn', 'en'), got {self.languages}")
        if self.url_mode not in URL_MODES:
            raise ValueError(f"url_mode must be one of {URL_MODES}, got {self.url_mode!r}")
        if not 1 <= self.list_page_size <= 100:
            raise ValueError(f"list_page_size must be 1..100, got {self.list_page_size}")
        if self.latency < 0:
            raise ValueError(f"latency must be >= 0 seconds, got {self.latency}")


@dataclass(frozen=True)
class Column:
    """A news column: global ``id`` (MetInfo class id), language, name, folder, ``parent``
    column id (None for a top column) and ``depth`` (1 top, 2 child)."""

    id: int
    lang: str
    name: str
    folder: str
    parent: int | None
    depth: int


@dataclass(frozen=True)
class Changes:
    """What one :meth:`Site.mutate` did, as sorted article ids."""

    added: list[int] = field(default_factory=list)
    redated: list[int] = field(default_factory=list)
    body_only: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    """One article as it stands: what an editor entered and what the page shows.

    ``time`` is epoch seconds (displayed in +08:00); ``blocks`` are the body's text blocks as
    the truth gives them (a table block holds its rows, one per line, cells TAB-joined);
    ``images`` are ``(src as in HTML, alt)``; ``attachments`` ``(href as in HTML, text)``.
    """

    id: int
    column: Column
    title: str
    time: int
    publisher: str
    hits: int
    source: str | None
    body_html: str
    blocks: tuple[str, ...]
    images: tuple[tuple[str, str], ...]
    attachments: tuple[tuple[str, str], ...]

    @property
    def lang(self) -> str:
        """The MetInfo language mark of the article's column."""
        return self.column.lang

    @property
    def shown_time(self) -> str:
        """The detail page's ``Y-m-d H:i:s`` (MetInfo 7 ``updatetime``, guide §2.1)."""
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.time + TZ_OFFSET))

    @property
    def lead(self) -> str:
        """The first paragraph (neither the source line nor a table): the description."""
        skip = 1 if self.source else 0
        return next((b for b in self.blocks[skip:] if "\t" not in b), "")


class Reply(NamedTuple):
    """An HTTP answer: status, headers and body (HEAD sends the same without the body).

    A large body (the sitemap of a big site) comes as ``chunks`` instead, an iterator made on
    request and sent with chunked transfer encoding, so it is never held in memory whole;
    :meth:`content` joins it (once) for callers that want the bytes.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    chunks: Iterator[bytes] | None = None

    def content(self) -> bytes:
        """The whole body."""
        return self.body if self.chunks is None else b"".join(self.chunks)


def _mix(seed: int, n: int) -> int:
    """A well-mixed 64-bit hash of two ints (splitmix64 finaliser)."""
    z = (seed * 0x9E3779B97F4A7C15 + n * 0xBF58476D1CE4E5B9 + 1) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def _ymd(epoch: int, sep: str = "-") -> str:
    return time.strftime(f"%Y{sep}%m{sep}%d", time.gmtime(epoch + TZ_OFFSET))


def _http_date(epoch: int) -> str:
    return formatdate(epoch, usegmt=True)


class Site:
    """A generated MetInfo 7.2.0 news site (see the module docstring).

    Thread-safe for concurrent rendering; :meth:`mutate` may run while a server serves.
    ``origin`` is set by :class:`SiteServer` and used by :meth:`truth` when none is given.
    """

    def __init__(self, spec: SiteSpec) -> None:
        self.spec = spec
        self.origin: str | None = None
        self._lock = threading.RLock()
        rng = random.Random(f"{spec.seed}:site")
        self.columns: tuple[Column, ...] = self._make_columns(rng)
        self._by_id = {c.id: c for c in self.columns}
        self._children: dict[int, list[Column]] = {c.id: [] for c in self.columns}
        for col in self.columns:
            if col.parent is not None:
                self._children[col.parent].append(col)
        self.site_name = {
            "cn": rng.choice(CN_PLACES) + rng.choice(CN_SITE_TAIL),
            "en": rng.choice(EN_PLACES) + " " + rng.choice(EN_SITE_TAIL),
        }
        self._created = BASE_TIME + rng.randrange(0, 60 * 86400)
        self._clock = self._created  # the site's "now": moves forward with each mutate()
        self._generation = 0
        self._mutations = 0
        # Per-article state, index = article id (index 0 unused).
        self._col = array("B", [0])
        self._time = array("q", [0])
        self._rev = array("H", [0])
        self._deleted = bytearray(1)
        self._live = 0
        cols_by_lang = {
            lang: [c for c in self.columns if c.lang == lang] for lang in spec.languages
        }
        weights = {
            lang: [0.4 if self._children[c.id] else rng.uniform(1.0, 4.0) for c in cols]
            for lang, cols in cols_by_lang.items()
        }
        for _ in range(spec.articles):
            lang = "en" if len(spec.languages) > 1 and rng.random() < EN_SHARE else "cn"
            col = rng.choices(cols_by_lang[lang], weights[lang])[0]
            age = int(HISTORY_SECONDS * rng.random() ** 1.5)
            self._append(col.id, self._created - age)
        self._scramble = self._title_scramble(rng)
        self._orders_gen = -1
        self._orders: dict[Any, array[int]] = {}
        self._pos = array("i")
        self._chrome_cache: dict[tuple[str, str], tuple[str, str]] = {}
        self._folder_names = frozenset(c.folder for c in self.columns)

    # -- construction ----------------------------------------------------------------------

    def _make_columns(self, rng: random.Random) -> tuple[Column, ...]:
        """Columns per language: the first is a top column, a later one becomes a child of the
        latest top column half the time (at most 3 children); English mirrors Chinese."""
        n = self.spec.columns
        # Names and folders are index-aligned across languages: CN_TOP[i], EN_TOP[i], FOLDERS[i].
        tops = rng.sample(range(len(CN_TOP)), len(CN_TOP))
        subs = rng.sample(range(len(CN_SUB)), len(CN_SUB))
        shape: list[int | None] = []  # parent index (in this language) or None
        last_top, kids = 0, 0
        for i in range(n):
            child = i > 0 and kids < 3 and (rng.random() < 0.5 or (i == 2 and n >= 3 and not kids))
            if child:
                shape.append(last_top)
                kids += 1
            else:
                shape.append(None)
                last_top, kids = i, 0
        columns: list[Column] = []
        for offset, lang in enumerate(self.spec.languages):
            base = offset * n
            top_names = CN_TOP if lang == "cn" else EN_TOP
            sub_names = CN_SUB if lang == "cn" else EN_SUB
            t = s = 0
            folder_of: dict[int, str] = {}
            for i, parent in enumerate(shape):
                if parent is None:
                    name, folder = top_names[tops[t]], FOLDERS[tops[t]]
                    t += 1
                    folder_of[i] = folder
                    columns.append(Column(base + i + 1, lang, name, folder, None, 1))
                else:
                    name, folder = sub_names[subs[s]], folder_of[parent]
                    s += 1
                    columns.append(Column(base + i + 1, lang, name, folder, base + parent + 1, 2))
        return tuple(columns)

    def _title_scramble(self, rng: random.Random) -> tuple[int, int, int]:
        """A bijection of ``0..M-1`` (M = title word combinations): ``i -> (a*i + b) % M``."""
        m = len(CN_PLACES) * len(CN_ORGS) * len(CN_ACTIONS) * len(CN_OBJECTS)
        assert m == len(EN_PLACES) * len(EN_ORGS) * len(EN_ACTIONS) * len(EN_OBJECTS)
        a = rng.randrange(1, m)
        while math.gcd(a, m) != 1:
            a += 1
        return a, rng.randrange(m), m

    def _append(self, column_id: int, when: int) -> int:
        self._col.append(column_id)
        self._time.append(when)
        self._rev.append(0)
        self._deleted.append(0)
        self._live += 1
        return len(self._col) - 1

    # -- state -----------------------------------------------------------------------------

    @property
    def max_id(self) -> int:
        """The highest article id ever created (deleted ones included)."""
        return len(self._col) - 1

    @property
    def article_count(self) -> int:
        """Live (not deleted) articles."""
        return self._live

    @property
    def generation(self) -> int:
        """How many mutations changed the site so far."""
        return self._generation

    @property
    def last_modified(self) -> int:
        """Epoch seconds of the last content change (the sitemap's Last-Modified)."""
        return self._clock

    def is_live(self, article_id: int) -> bool:
        """True when ``article_id`` exists and is not deleted."""
        return 0 < article_id <= self.max_id and not self._deleted[article_id]

    def live_ids(self) -> Iterator[int]:
        """Live article ids in ascending order."""
        deleted = self._deleted
        return (i for i in range(1, len(deleted)) if not deleted[i])

    def column(self, column_id: int) -> Column:
        """The column with that MetInfo class id (KeyError when unknown)."""
        return self._by_id[column_id]

    def column_path(self, column: Column) -> list[Column]:
        """The column and its ancestors, outermost first."""
        path = [column]
        while path[0].parent is not None:
            path.insert(0, self._by_id[path[0].parent])
        return path

    def children(self, column: Column) -> list[Column]:
        """Sub-columns of ``column``."""
        return list(self._children[column.id])

    def _orders_now(self) -> tuple[dict[Any, array[int]], array[int]]:
        """Display orders (updatetime descending, then id descending, as MetInfo lists them):
        per column (descendants included), per language (``"lang:cn"``), plus each article's
        position in its own column's order; rebuilt once after each mutation."""
        with self._lock:
            if self._orders_gen != self._generation:
                t, d = self._time, self._deleted
                ids = sorted(
                    (i for i in range(1, len(t)) if not d[i]),
                    key=lambda i: t[i] << 24 | i,  # ints, not tuples: less memory
                    reverse=True,
                )
                orders: dict[Any, array[int]] = {c.id: array("I") for c in self.columns}
                for lang in self.spec.languages:
                    orders[f"lang:{lang}"] = array("I")
                pos = array("i", bytes(4 * len(t)))
                col_of, by_id = self._col, self._by_id
                for i in ids:
                    col = by_id[col_of[i]]
                    own = orders[col.id]
                    pos[i] = len(own)
                    own.append(i)
                    if col.parent is not None:
                        orders[col.parent].append(i)
                    orders[f"lang:{col.lang}"].append(i)
                self._orders, self._pos, self._orders_gen = orders, pos, self._generation
            return self._orders, self._pos

    def list_ids(self, column_id: int) -> list[int]:
        """Live ids a column lists (its sub-columns' included), in display order."""
        return list(self._orders_now()[0][column_id])

    def page_count(self, column_id: int) -> int:
        """Pages of a column's list (1 for an empty column)."""
        n = len(self._orders_now()[0][column_id])
        return max(1, math.ceil(n / self.spec.list_page_size))

    # -- articles --------------------------------------------------------------------------

    def title(self, article_id: int) -> str:
        """The headline: a unique word combination per id (a suffix past the combinations)."""
        a, b, m = self._scramble
        x = (a * article_id + b) % m
        lang = self._by_id[self._col[article_id]].lang
        if lang == "cn":
            x, p = divmod(x, len(CN_PLACES))
            x, o = divmod(x, len(CN_ORGS))
            j, act = divmod(x, len(CN_ACTIONS))
            text = f"{CN_PLACES[p]}{CN_ORGS[o]}{CN_ACTIONS[act]}{CN_OBJECTS[j]}"
            return text if article_id < m else f"{text}（之{article_id // m + 1}）"
        x, p = divmod(x, len(EN_PLACES))
        x, o = divmod(x, len(EN_ORGS))
        j, act = divmod(x, len(EN_ACTIONS))
        text = f"{EN_PLACES[p]} {EN_ORGS[o]} {EN_ACTIONS[act]} {EN_OBJECTS[j]}"
        return text if article_id < m else f"{text} (Part {article_id // m + 1})"

    def article(self, article_id: int) -> Article | None:
        """The live article ``article_id`` as it stands now, or None."""
        if not self.is_live(article_id):
            return None
        col = self._by_id[self._col[article_id]]
        lang = col.lang
        # Fixed per id (edits keep them): publisher and hits, from an integer hash.
        h = _mix(self.spec.seed, article_id)
        roll = h % 100
        publishers = CN_PUBLISHERS if lang == "cn" else EN_PUBLISHERS
        if roll < 60:
            publisher = "admin"
        elif roll < 72:
            publisher = ""  # an empty publisher prints an empty span
        else:
            publisher = publishers[(h >> 8) % len(publishers)]
        hits = (h >> 16) % 5000
        rev = self._rev[article_id]
        rng = random.Random(f"{self.spec.seed}:{article_id}:{rev}")
        body = _make_body(rng.random, lang, article_id)
        return Article(
            id=article_id,
            column=col,
            title=self.title(article_id),
            time=self._time[article_id],
            publisher=publisher,
            hits=hits,
            source=body[0],
            body_html=body[1],
            blocks=body[2],
            images=body[3],
            attachments=body[4],
        )

    # -- URLs (guide §1.2, 6.1-7.x columns) -------------------------------------------------

    def home_path(self, lang: str) -> str:
        """``/`` for the default language; ``/index.php?lang=en`` or ``/index-en.html``."""
        if lang == "cn":
            return "/"
        return (
            f"/index-{lang}.html" if self.spec.url_mode == "pseudo" else f"/index.php?lang={lang}"
        )

    def column_path_url(self, column: Column, page: int = 1, *, nav: bool = False) -> str:
        """A column's list page path; ``nav`` gives the navigation's form of page 1 (the bare
        folder ``F/`` for a default-language top column), else the pager's form."""
        c, lang, folder = column.id, column.lang, column.folder
        if page <= 1 and nav and column.parent is None and lang == "cn":
            return f"/{folder}/"
        if self.spec.url_mode == "pseudo":
            page_part = f"-{page}" if page > 1 else ""
            lang_part = f"-{lang}" if lang != "cn" else ""
            return f"/{folder}/list-{c}{page_part}{lang_part}.html"
        lang_q = f"&lang={lang}" if lang != "cn" else ""
        key = f"class{column.depth}"
        if page <= 1:
            return f"/{folder}/news.php?{key}={c}{lang_q}"
        return f"/{folder}/index.php?{key}={c}&page={page}{lang_q}"

    def article_path(self, article_id: int) -> str:
        """The canonical path of an article (as lists and the sitemap link it)."""
        col = self._by_id[self._col[article_id]]
        if self.spec.url_mode == "pseudo":
            suffix = f"-{col.lang}" if col.lang != "cn" else ""
            return f"/{col.folder}/{article_id}{suffix}.html"
        lang_q = f"&lang={col.lang}" if col.lang != "cn" else ""
        return f"/{col.folder}/shownews.php?id={article_id}{lang_q}"

    # -- ground truth ----------------------------------------------------------------------

    def record(self, article_id: int, origin: str | None = None) -> dict[str, Any] | None:
        """The truth record of one live article (the shared corpora's ``truth.jsonl`` shape)."""
        art = self.article(article_id)
        if art is None:
            return None
        base = self._origin(origin)
        url = base + self.article_path(article_id)
        upload = base + "/"
        path = self.column_path(art.column)
        shown = art.shown_time
        return {
            "id": art.id,
            "key": str(art.id),
            "url": url,
            "urls": [url],
            "lang": art.lang,
            "column": art.column.name,
            "column_id": art.column.id,
            "column_path": [c.name for c in path],
            "folder": art.column.folder,
            "title": art.title,
            "author": art.publisher,
            "source": art.source,
            "published": shown,
            "published_iso": shown.replace(" ", "T") + "+08:00",
            "body_text": "\n\n".join(art.blocks),
            "images": [
                {"src": upload + src[3:], "src_attr": src, "alt": alt} for src, alt in art.images
            ],
            "attachments": [
                {"href": upload + href[3:], "href_attr": href, "text": text}
                for href, text in art.attachments
            ],
            "duplicate_keys": [],
        }

    def truth(self, origin: str | None = None) -> Iterator[dict[str, Any]]:
        """Truth records of every live article, by id; URLs under ``origin`` (default: the
        origin of the server serving the site)."""
        base = self._origin(origin)
        for article_id in self.live_ids():
            record = self.record(article_id, base)
            if record is not None:
                yield record

    def _origin(self, origin: str | None) -> str:
        value = origin or self.origin
        if not value:
            raise ValueError("no origin: serve the site with SiteServer or pass origin=")
        return value.rstrip("/")

    # -- mutations -------------------------------------------------------------------------

    def mutate(
        self,
        added: int = 0,
        edited_redated: int = 0,
        edited_body_only: int = 0,
        deleted: int = 0,
        *,
        backdated: int = 0,
        seed: int | str | None = None,
    ) -> Changes:
        """Change the site in place, as an editor would between two crawls.

        ``added`` new articles get new ids and times after every existing article (the
        first ``backdated`` of them instead get a time inside the site's history, so they do
        not top the lists); ``edited_redated`` articles get a new body and a time of "now"
        (they move to the top of their lists and their sitemap ``lastmod`` changes).  "Now"
        is the site's own clock, a few hours past its previous change, never the wall clock,
        so that runs reproduce; ``last_modified`` (the sitemap's Last-Modified) follows it;
        ``edited_body_only`` get a new body and keep their time; ``deleted`` vanish from lists
        and the sitemap and answer 200 with an empty body.  The edited and deleted sets are
        disjoint and drawn from the articles live before the call.  Deterministic from the
        site seed, the number of earlier mutations and ``seed``.
        """
        counts = (added, edited_redated, edited_body_only, deleted, backdated)
        if min(counts) < 0:
            raise ValueError(f"counts must be >= 0, got {counts}")
        if backdated > added:
            raise ValueError(f"backdated ({backdated}) must not exceed added ({added})")
        with self._lock:
            picked = edited_redated + edited_body_only + deleted
            if picked > self._live:
                raise ValueError(f"{picked} edits/deletions asked, {self._live} live articles")
            self._mutations += 1
            tag = seed if seed is not None else self._mutations
            rng = random.Random(f"{self.spec.seed}:mutate:{tag}")
            if not (added or picked):
                return Changes()
            chosen = self._pick_live(rng, picked)
            redated = chosen[:edited_redated]
            body_only = chosen[edited_redated : edited_redated + edited_body_only]
            gone = chosen[edited_redated + edited_body_only :]
            clock = self._clock + rng.randrange(3600, 4 * 3600)
            cols_by_lang = {
                lang: [c for c in self.columns if c.lang == lang] for lang in self.spec.languages
            }
            new_ids = []
            for k in range(added):
                lang = "en" if len(cols_by_lang) > 1 and rng.random() < EN_SHARE else "cn"
                col = rng.choice(cols_by_lang[lang])
                if k < backdated:
                    when = self._created - rng.randrange(86400, HISTORY_SECONDS)
                else:
                    clock += rng.randrange(60, 1800)
                    when = clock
                new_ids.append(self._append(col.id, when))
            for i in redated:
                clock += rng.randrange(60, 1800)
                self._time[i] = clock
                self._rev[i] += 1
            for i in body_only:
                self._rev[i] += 1
            for i in gone:
                self._deleted[i] = 1
                self._live -= 1
            self._clock = clock
            self._generation += 1
            return Changes(sorted(new_ids), sorted(redated), sorted(body_only), sorted(gone))

    def _pick_live(self, rng: random.Random, k: int) -> list[int]:
        """``k`` distinct live ids, in draw order."""
        if k == 0:
            return []
        if k * 4 > self._live:
            pool = list(self.live_ids())
            return rng.sample(pool, k)
        chosen: dict[int, None] = {}
        while len(chosen) < k:  # bounded: at least 3 in 4 draws succeed
            i = rng.randint(1, self.max_id)
            if not self._deleted[i]:
                chosen.setdefault(i, None)
        return list(chosen)

    # -- HTTP ------------------------------------------------------------------------------

    def respond(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | None = None,
        origin: str | None = None,
    ) -> Reply:
        """Answer a ``GET`` or ``HEAD`` of ``target`` (path and query as sent), as the site
        stands; ``headers`` are read for conditional requests, ``origin`` (default
        :attr:`origin`) makes the absolute URLs of robots.txt and the sitemap."""
        base = self._origin(origin)
        parts = urlsplit(target)
        path = parts.path or "/"
        query = dict(parse_qsl(parts.query.replace("&amp;", "&"), keep_blank_values=True))
        head = {k.lower(): v for k, v in (headers or {}).items()}
        if path == "/robots.txt":
            # Written once at install in this model, so its date is the site's creation.
            tag = f'"robots-{self.spec.seed}"'
            reply = self._conditional(head, self._created, tag, "text/plain; charset=utf-8")
            return reply._replace(body=self._robots(base)) if reply.status == 200 else reply
        if path == "/sitemap.xml":
            # Rebuilt on every content change (met_sitemap_auto, guide §1.5).
            tag = f'"sitemap-{self.spec.seed}-{self._generation}"'
            reply = self._conditional(head, self._clock, tag, "text/xml")
            # A generator: nothing is built for a HEAD, which sends the headers only.
            return reply._replace(chunks=self._sitemap(base)) if reply.status == 200 else reply
        if path.startswith(("/upload/", "/public/")) or path == "/favicon.ico":
            ext = path[path.rfind(".") :].lower() if "." in path else ""
            if ext in STATIC_FILES:
                ctype, data = STATIC_FILES[ext]
                return Reply(200, [("Content-Type", ctype)], data)
            return _not_found()
        lang = query.get("lang", "cn")
        pseudo = self.spec.url_mode == "pseudo"
        if path in ("/", "/index.php", "/index.html"):
            if pseudo and path == "/index.php":
                return _redirect(base + self.home_path(lang if lang in LANGS else "cn"))
            return self._html(self._home(lang if lang in self.spec.languages else "cn"))
        if pseudo and (m := re.fullmatch(r"/index-([a-z]{2,3})\.html", path)):
            if m[1] in self.spec.languages:
                return self._html(self._home(m[1]))
            return _not_found()
        segments = path[1:].split("/")
        if len(segments) != 2 or segments[0] not in self._folder_names:
            return _not_found()
        folder, name = segments
        if name in ("", "index.html") or (name == "index.php" and set(query) <= {"lang"}):
            col = self._top_column(folder, lang)
            if col is None:
                return _not_found()
            if pseudo and name == "index.php":
                return _redirect(base + self.column_path_url(col))
            return self._html(self._list(col, 1))
        if name in ("news.php", "index.php"):
            col_id = query.get("class3") or query.get("class2") or query.get("class1") or ""
            col = self._by_id.get(int(col_id)) if col_id.isdigit() else None
            if col is None:
                return _not_found()
            page = int(query["page"]) if query.get("page", "").isdigit() else 1
            if pseudo:
                return _redirect(base + self.column_path_url(col, page))
            return self._html(self._list(col, page))
        if name == "shownews.php":
            raw = query.get("id", "")
            article_id = int(raw) if raw.isdigit() else 0
            if pseudo and self.is_live(article_id):
                return _redirect(base + self.article_path(article_id))
            return self._html(self._article_page(article_id))
        if not pseudo:
            return _not_found()
        if m := PSEUDO_LIST_RE.match(name):
            col = self._by_id.get(int(m[1]))
            if col is None:
                return _not_found()
            return self._html(self._list(col, int(m[2] or 1)))
        if m := PSEUDO_ARTICLE_RE.match(name):
            return self._html(self._article_page(int(m[1])))
        return _not_found()

    def _top_column(self, folder: str, lang: str) -> Column | None:
        """The top column whose folder is ``folder`` in ``lang`` (MetInfo falls back to the
        default language for an unknown one, guide §1.4)."""
        lang = lang if lang in self.spec.languages else "cn"
        tops = (c for c in self.columns if c.parent is None and c.lang == lang)
        return next((c for c in tops if c.folder == folder), None)

    def _html(self, text: str) -> Reply:
        return Reply(200, [("Content-Type", HTML_TYPE)], text.encode("utf-8"))

    def _conditional(self, head: Mapping[str, str], modified: int, etag: str, ctype: str) -> Reply:
        """An empty 200 with Last-Modified and ETag, or a 304 when the request's
        If-None-Match (first, as RFC 9110 says) or If-Modified-Since shows it is current."""
        headers = [("Last-Modified", _http_date(modified)), ("ETag", etag)]
        if "if-none-match" in head:
            tags = [t.strip() for t in head["if-none-match"].split(",")]
            current = etag in tags or "*" in tags
        else:
            try:
                since = parsedate_to_datetime(head.get("if-modified-since", "")).timestamp()
            except (TypeError, ValueError, IndexError):
                since = None
            current = since is not None and modified <= since
        if current:
            return Reply(304, headers, b"")
        return Reply(200, [("Content-Type", ctype), *headers], b"")

    # -- pages -----------------------------------------------------------------------------
    # Every page but the home lives one folder down (F/...), so links there start with "../".

    def _robots(self, base: str) -> bytes:
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in ROBOTS_DISALLOW)]
        lines.append(f"Sitemap: {base}/sitemap.xml")
        return ("\n".join(lines) + "\n").encode("ascii")

    def _sitemap(self, base: str, batch: int = 500) -> Iterator[bytes]:
        """sitemaps.org urlset of homes, columns and live articles, every language in one file
        (met_sitemap_lang=1), ``lastmod`` = the item's updatetime date (guide §1.5); made
        ``batch`` entries at a time from the display order current when it starts."""
        orders, _ = self._orders_now()
        today = _ymd(self._clock)
        times = self._time
        yield SITEMAP_HEAD
        for lang in self.spec.languages:
            out = [SITEMAP_URL.format(_xml(base + self.home_path(lang)), 1, today)]
            for col in self.columns:
                if col.lang == lang:
                    loc = _xml(base + self.column_path_url(col, nav=True))
                    out.append(SITEMAP_URL.format(loc, "0.5", today))
            yield "".join(out).encode("utf-8")
            ids = orders[f"lang:{lang}"]
            for start in range(0, len(ids), batch):
                out = [
                    SITEMAP_URL.format(_xml(base + self.article_path(i)), "0.5", _ymd(times[i]))
                    for i in ids[start : start + batch]
                ]
                yield "".join(out).encode("utf-8")
        yield b"</urlset>\n"

    def _head(self, lang: str, title: str, description: str, variable: str, rel: str) -> str:
        """``<head>`` as 7.x ``<met_meta/>`` prints it (guide §2.3), with the generator meta
        and its 7-field ``data-variable``."""
        name = self.site_name[lang]
        return HEAD.format(
            title=title if title == name else f"{title}-{name}",
            description=description,
            keywords=name,
            version=VERSION,
            variable=variable,
            rel=rel,
            skin=SKIN,
        )

    def _chrome(self, lang: str, rel: str) -> tuple[str, str]:
        """Header (navigation, language switch) and footer for a language and a link prefix
        (``""`` at the root, ``"../"`` in a folder); cached, they never change."""
        key = (lang, rel)
        if key in self._chrome_cache:
            return self._chrome_cache[key]
        ui, name = UI[lang], self.site_name[lang]
        home = (rel or "./") + self.home_path(lang)[1:]
        nav = [NAV_ITEM.format(href=home, name=ui["home"], cls="")]
        for col in self.columns:
            if col.lang != lang or col.parent is not None:
                continue
            href = rel + self.column_path_url(col, nav=True)[1:]
            kids = self._children[col.id]
            if not kids:
                nav.append(NAV_ITEM.format(href=href, name=col.name, cls=" m-l-10"))
                continue
            menu = [NAV_MENU_ITEM.format(href=href, name=ui["all"], cls=" nav-parent")]
            for kid in kids:
                kid_href = rel + self.column_path_url(kid, nav=True)[1:]
                menu.append(NAV_MENU_ITEM.format(href=kid_href, name=kid.name, cls=""))
            nav.append(NAV_DROPDOWN.format(href=href, name=col.name, menu="\n".join(menu)))
        switch = ""
        if len(self.spec.languages) > 1:
            other = "en" if lang == "cn" else "cn"
            href = (rel or "./") + self.home_path(other)[1:]
            switch = LANG_SWITCH.format(href=href, name=ui["other"])
        header = HEADER.format(name=name, home=rel or "./", rel=rel, nav="\n".join(nav))
        header = header.replace("<!--switch-->", switch)
        year = time.gmtime(self._created + TZ_OFFSET).tm_year
        footer = FOOTER.format(name=name, rights=ui["rights"], version=VERSION, year=year, rel=rel)
        self._chrome_cache[key] = (header, footer)
        return header, footer

    def _crumbs(self, col: Column) -> str:
        """``section.met-crumbs ol.breadcrumb``: a label, home, the column chain (§2.3)."""
        ui = UI[col.lang]
        items = [
            f'<li class="breadcrumb-item">{ui["here"]}</li>',
            CRUMB.format(
                href="../" + self.home_path(col.lang)[1:], name=ui["home"], cls="icon wb-home"
            ),
        ]
        for c in self.column_path(col):
            href = "../" + self.column_path_url(c, nav=True)[1:]
            items.append(CRUMB.format(href=href, name=c.name, cls=""))
        return CRUMBS.format(items="\n".join(items))

    def _sidebar(self, col: Column) -> str:
        """``.met-bar``: the top column and its sub-columns."""
        top = self.column_path(col)[0]
        links = [SIDEBAR_TOP.format(href=self._nav_href(top), name=top.name)]
        for kid in self._children[top.id]:
            links.append(SIDEBAR_SON.format(href=self._nav_href(kid), name=kid.name))
        return SIDEBAR.format(links="\n".join(links))

    def _nav_href(self, col: Column) -> str:
        return "../" + self.column_path_url(col, nav=True)[1:]

    def _article_page(self, article_id: int) -> str:
        """A detail page; a missing or deleted id gives MetInfo 7.2.0's empty 200 (guide §5)."""
        art = self.article(article_id)
        if art is None:
            return ""
        col, lang, ui = art.column, art.lang, UI[art.lang]
        orders, pos = self._orders_now()
        own, at = orders[col.id], pos[article_id]
        header, footer = self._chrome(lang, "../")
        # <pagination/>: previous and next of the column's order; 没有了 at either end (§2.1).
        links = []
        for label, index, side in (
            (ui["prev"], at - 1, ""),
            (ui["next"], at + 1, " pull-xs-right"),
        ):
            if 0 <= index < len(own):
                other = own[index]
                href, title, state = "../" + self.article_path(other)[1:], self.title(other), ""
            else:
                href, title, state = "javascript:;", ui["none"], " disable"
            links.append(
                PAGE_LINK.format(href=href, title=title, label=label, side=side, state=state)
            )
        variable = f"../|{lang}|{lang}|{SKIN}|{NEWS_MODULE}|{col.id}|{art.id}"
        return "".join(
            (
                self._head(lang, art.title, art.lead[:120], variable, "../"),
                header,
                self._crumbs(col),
                ARTICLE_MAIN.format(
                    title=art.title,
                    time=art.shown_time,
                    publisher=art.publisher,
                    hits=art.hits,
                    body=art.body_html,
                    pagination="\n".join(links),
                    sidebar=self._sidebar(col),
                ),
                footer,
            )
        )

    def _list_item(self, article_id: int, sep: str) -> str:
        """One ``li.media`` of a list page (guide §2.2): title link, description, info."""
        art = self.article(article_id)
        if art is None:  # pragma: no cover - orders hold live ids only
            return ""
        return LIST_ITEM.format(
            href="../" + self.article_path(article_id)[1:],
            title=art.title,
            description=art.lead[:60],
            date=_ymd(art.time, sep),
            publisher=art.publisher,
            hits=art.hits,
        )

    def _pager(self, col: Column, page: int, pages: int) -> str:
        """``div.met_pager`` as 7.x renders it (guide §1.6): single-quoted hrefs, a window
        of page links, ``firstPage``/``lastPage`` outside it, ``#metPageT`` with the count."""
        ui = UI[col.lang]

        def url(p: int) -> str:
            return "../" + self.column_path_url(col, p)[1:]

        parts = ["<div class='met_pager'>"]
        if page > 1:
            parts.append(f"<a href='{url(page - 1)}' class='PreA'>{ui['prev_page']}</a>")
        else:
            parts.append(f"<span class='PreSpan'>{ui['prev_page']}</span>")
        lo, hi = max(1, page - PAGER_WINDOW), min(pages, page + PAGER_WINDOW)
        if lo > 1:
            parts.append(f"<a href='{url(1)}' class='firstPage'>1...</a>")
        for p in range(lo, hi + 1):
            current = " class='Ahover'" if p == page else " "
            parts.append(f"<a href='{url(p)}'{current}>{p}</a>")
        if hi < pages:
            parts.append(f"<a href='{url(pages)}' class='lastPage'>...{pages}</a>")
        if page < pages:
            parts.append(f"<a href='{url(page + 1)}' class='NextA'>{ui['next_page']}</a>")
        else:
            parts.append(f"<span class='NextSpan'>{ui['next_page']}</span>")
        # 7.2.0 prints the dynamic pattern in pseudo mode too, with ".html" as the suffix.
        suffix = ".html" if self.spec.url_mode == "pseudo" else ""
        pattern = f"index.php?lang={col.lang}&class{col.depth}={col.id}&page=|{suffix}|{pages}"
        parts.append(
            PAGER_TAIL.format(goto=ui["goto"], pattern=pattern, page=page, unit=ui["page"])
        )
        return "".join(parts)

    def _list(self, col: Column, page: int) -> str:
        """A column's list page ``page``; one past the last repeats the last (guide §1.6)."""
        orders, _ = self._orders_now()
        ids = orders[col.id]
        size = self.spec.list_page_size
        pages = max(1, math.ceil(len(ids) / size))
        page = min(max(page, 1), pages)
        header, footer = self._chrome(col.lang, "../")
        ui = UI[col.lang]
        sep = "-" if col.lang == "cn" else "/"  # met_listtime defaults (guide §2.1)
        items = "".join(self._list_item(i, sep) for i in ids[(page - 1) * size : page * size])
        subnav = ""
        top = self.column_path(col)[0]
        if self._children[top.id]:
            links = [COLUMN_NAV_ITEM.format(href=self._nav_href(top), name=ui["all"])]
            for kid in self._children[top.id]:
                links.append(COLUMN_NAV_ITEM.format(href=self._nav_href(kid), name=kid.name))
            subnav = COLUMN_NAV.format(links="\n".join(links))
        variable = f"../|{col.lang}|{col.lang}|{SKIN}|{NEWS_MODULE}|{col.id}|0"
        return "".join(
            (
                self._head(col.lang, col.name, col.name, variable, "../"),
                header,
                self._crumbs(col),
                subnav,
                LIST_MAIN.format(
                    items=items or f"<li>{ui['empty']}</li>\n",
                    pager=self._pager(col, page, pages),
                    sidebar=self._sidebar(col),
                ),
                footer,
            )
        )

    def _home(self, lang: str) -> str:
        """A language's home page: navigation, language switch and the newest articles."""
        orders, _ = self._orders_now()
        header, footer = self._chrome(lang, "")
        sep = "-" if lang == "cn" else "/"
        items = []
        for i in orders[f"lang:{lang}"][:HOME_BLOCK]:
            art = self.article(i)
            if art is not None:
                items.append(
                    HOME_ITEM.format(
                        href=self.article_path(i)[1:],
                        title=art.title,
                        description=art.lead[:60],
                        date=_ymd(art.time, sep),
                        publisher=art.publisher,
                    )
                )
        name = self.site_name[lang]
        variable = f"|{lang}|{lang}|{SKIN}|{HOME_MODULE}|{HOME_MODULE}|0"
        return "".join(
            (
                self._head(lang, name, name, variable, ""),
                header,
                HOME_MAIN.format(latest=UI[lang]["latest"], items="".join(items)),
                footer,
            )
        )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;")


def _not_found() -> Reply:
    return Reply(404, [("Content-Type", "text/plain; charset=utf-8")], b"404 Not Found\n")


def _redirect(location: str) -> Reply:
    """7.x sends .php URLs to the canonical pseudo-static URL when pseudo is on (guide §1.3)."""
    return Reply(302, [("Location", location), ("Content-Type", HTML_TYPE)], b"")


# --- bodies ----------------------------------------------------------------------------------
# Draws use ``random()`` directly (``seq[int(r() * len(seq))]``): a few times faster than
# ``choice``/``randint``, which matters when a list page or the truth builds thousands of bodies.

Draw = Callable[[], float]
T = TypeVar("T")


def _pick(r: Draw, seq: Sequence[T]) -> T:
    return seq[int(r() * len(seq))]


def _int(r: Draw, lo: int, hi: int) -> int:
    """An int in ``lo..hi`` inclusive."""
    return lo + int(r() * (hi - lo + 1))


SLOT_MAKERS: dict[str, dict[str, Callable[[Draw], str | int]]] = {
    "cn": {
        "P": lambda r: _pick(r, CN_PLACES),
        "O": lambda r: _pick(r, CN_ORGS),
        "A": lambda r: _pick(r, CN_ACTIONS),
        "J": lambda r: _pick(r, CN_OBJECTS),
    },
    "en": {
        "P": lambda r: _pick(r, EN_PLACES),
        "O": lambda r: _pick(r, EN_ORGS),
        "J": lambda r: _pick(r, EN_OBJECTS).lower(),
        "M": lambda r: _pick(r, EN_MONTHS),
    },
}
for _makers in SLOT_MAKERS.values():
    _makers.update(
        m=lambda r: _int(r, 1, 12),
        d=lambda r: _int(r, 1, 28),
        n=lambda r: _int(r, 20, 2999),
        k=lambda r: _int(r, 2, 60),
        pct=lambda r: _int(r, 85, 99),
    )
# The slots each sentence template uses, so that only those are drawn.
SLOTS = {
    template: tuple(name for _, name, _, _ in Formatter().parse(template) if name)
    for template in (*CN_SENTENCES, *EN_SENTENCES)
}


def _sentence(r: Draw, lang: str) -> str:
    template = _pick(r, CN_SENTENCES if lang == "cn" else EN_SENTENCES)
    makers = SLOT_MAKERS[lang]
    return template.format(**{name: makers[name](r) for name in SLOTS[template]})


Body = tuple[
    str | None, str, tuple[str, ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]
]


def _make_body(r: Draw, lang: str, article_id: int) -> Body:
    """(source, body HTML, text blocks, images, attachments) of one article revision.

    1-6 paragraphs; sometimes a leading ``来源：X`` paragraph, a table, images (placeholder
    alt ``图片关键词`` or a caption; some lazy with ``data-original``, guide §2.4-2.5), a pdf link.
    """
    cn = lang == "cn"
    joiner = "" if cn else " "
    html: list[str] = []
    blocks: list[str] = []
    images: list[tuple[str, str]] = []
    attachments: list[tuple[str, str]] = []
    source = None
    if r() < 0.2:
        source = _pick(r, CN_SOURCES if cn else EN_SOURCES)
        text = f"来源：{source}" if cn else f"Source: {source}"
        html.append(f"<p>{text}</p>")
        blocks.append(text)
    paragraphs = [
        joiner.join(_sentence(r, lang) for _ in range(_int(r, 1, 4))) for _ in range(_int(r, 1, 6))
    ]
    table_at = _int(r, 1, len(paragraphs)) if r() < 0.12 else -1
    image_count = (1 if r() < 0.7 else 2) if r() < 0.3 else 0
    image_at = {_int(r, 0, len(paragraphs)) for _ in range(image_count)}
    stamp = 1500000000 + (article_id * 7919 + _int(r, 0, 999999)) % 300000000
    month = f"{_int(r, 2016, 2024)}{_int(r, 1, 12):02d}"
    for index in range(len(paragraphs) + 1):
        if index in image_at:
            src = f"../upload/{month}/{stamp}{len(images) + 1:04d}.jpg"
            if r() < 0.5:
                alt = PLACEHOLDER_ALT[lang]
            else:
                alt = f"{_pick(r, CN_OBJECTS)}现场" if cn else f"{_pick(r, EN_OBJECTS)} scene"
            size = 'width="640" height="400"'
            if r() < 0.35:  # lazy: the real URL in data-original (guide §2.5)
                lazy = "../public/images/loading.gif"
                tag = f'<img src="{lazy}" data-original="{src}" alt="{alt}" title="{alt}" {size}/>'
            else:
                tag = f'<img src="{src}" alt="{alt}" title="{alt}" {size}/>'
            html.append(f'<p style="text-align: center;">{tag}</p>')
            images.append((src, alt))
        if index == table_at:
            head = _pick(r, CN_TABLE_HEAD if cn else EN_TABLE_HEAD)
            rows = [list(head)]
            for _ in range(_int(r, 2, 4)):
                rows.append([_cell(r, lang, h) for h in range(len(head))])
            cells = "".join(
                "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
            )
            html.append(
                '<table border="1" cellspacing="0" cellpadding="4" width="100%">'
                f"<tbody>{cells}</tbody></table>"
            )
            blocks.append("\n".join("\t".join(row) for row in rows))
        if index < len(paragraphs):
            style = ' style="text-indent: 2em;"' if r() < 0.3 else ""
            html.append(f"<p{style}>{paragraphs[index]}</p>")
            blocks.append(paragraphs[index])
    if r() < 0.1:
        obj = _pick(r, CN_OBJECTS if cn else EN_OBJECTS)
        href = f"../upload/file/{stamp}-{_int(r, 100, 999)}.pdf"
        text = f"附件：{obj}实施方案.pdf" if cn else f"Attachment: {obj} plan.pdf"
        title = LINK_PLACEHOLDER[lang]
        html.append(f'<p><a href="{href}" target="_blank" title="{title}">{text}</a></p>')
        blocks.append(text)
        attachments.append((href, text))
    return source, "".join(html), tuple(blocks), tuple(images), tuple(attachments)


def _cell(r: Draw, lang: str, column: int) -> str:
    """A table cell of a given column: an item, a date, a place, a note."""
    if lang == "cn":
        if column == 0:
            return _pick(r, CN_OBJECTS)
        if column == 1:
            return f"{_int(r, 1, 12)}月{_int(r, 1, 28)}日"
        if column == 2:
            return _pick(r, CN_PLACES) + _pick(r, CN_ORGS)
        return _pick(r, CN_NOTES)
    if column == 0:
        return _pick(r, EN_OBJECTS)
    if column == 1:
        return f"{_pick(r, EN_MONTHS)} {_int(r, 1, 28)}"
    if column == 2:
        return f"{_pick(r, EN_PLACES)} {_pick(r, EN_ORGS)}"
    return _pick(r, EN_NOTES)


# --- the server ------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD from :meth:`Site.respond`; HTTP/1.1 keep-alive with Content-Length."""

    protocol_version = "HTTP/1.1"
    server_version = "sitegen"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this many seconds
    # Headers and body go out in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (~40 ms a response on Linux loopback).
    disable_nagle_algorithm = True
    server: LoopbackHTTPServer

    def do_GET(self) -> None:
        """Serve the page with its body."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        """Serve status and headers, Content-Length included, without the body."""
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        owner = self.server.owner
        latency = owner.site.spec.latency
        if latency > 0:
            time.sleep(latency)
        headers = {k: v for k, v in self.headers.items()}
        reply = owner.site.respond(self.command, self.path, headers, owner.origin)
        self.send_response(reply.status)  # logs through log_request below
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
        elif reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.chunks is not None:
            if send_body:
                for chunk in reply.chunks:
                    if chunk:
                        self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
        elif send_body and reply.body:
            self.wfile.write(reply.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Record the request on the server (served and error responses alike)."""
        try:
            status = int(code)
        except (TypeError, ValueError):
            status = 0
        method = getattr(self, "command", None) or "-"
        self.server.owner._record(method, getattr(self, "path", None) or "-", status)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep http.server quiet; the request log is on the SiteServer."""


class SiteServer(LoopbackServer):
    """Serve a :class:`Site` on a loopback port from a daemon thread.

    Starts at construction; use as a context manager or call :meth:`close`.  Sets
    ``site.origin``.  ``log=False`` keeps only counts (for very long benchmark runs).

    Attributes: ``site``, ``host``, ``port``, ``origin`` (``http://127.0.0.1:PORT``).
    Raises ValueError for a non-loopback host, OSError when the port cannot be bound.
    """

    thread_name = "sitegen"

    def __init__(
        self, site: Site, host: str = "127.0.0.1", port: int = 0, *, log: bool = True
    ) -> None:
        super().__init__(_Handler, host, port, log=log)
        self.site = site
        site.origin = self.origin
        self._serve()


# --- CLI -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a generated site until Ctrl-C or SIGTERM; exit status 0, 2 on bad arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.sitegen",
        description="Serve a generated MetInfo 7.2.0-like news site on a loopback port.",
    )
    parser.add_argument("--articles", type=int, default=1000, help="article count (1000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    parser.add_argument("--columns", type=int, default=6, help="columns per language (6)")
    parser.add_argument("--mode", choices=URL_MODES, default="dynamic", help="URL mode")
    parser.add_argument("--languages", default="cn", help="cn or cn,en")
    parser.add_argument("--page-size", type=int, default=10, help="articles per list page")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: a free one)")
    parser.add_argument("--truth", help="write the truth as JSON Lines to this file")
    args = parser.parse_args(argv)
    try:
        spec = SiteSpec(
            seed=args.seed,
            articles=args.articles,
            columns=args.columns,
            languages=tuple(x.strip() for x in args.languages.split(",") if x.strip()),
            url_mode=args.mode,
            list_page_size=args.page_size,
            latency=args.latency,
        )
        server = SiteServer(Site(spec), args.host, args.port, log=False)
    except ValueError as exc:
        parser.error(str(exc))
    except OSError as exc:
        print(f"error: cannot bind {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, stop_on_signal)
    with server:
        if args.truth:
            with open(args.truth, "w", encoding="utf-8") as out:
                for record in server.site.truth():
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"serving generated site at {server.origin}", flush=True)
        try:
            while True:
                time.sleep(3600)  # the serving thread works; a signal ends the sleep
        except (KeyboardInterrupt, StopServing):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
