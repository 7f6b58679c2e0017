"""The validation and deduplication pipelines, built from plain values without a running crawl."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.extract import content_hash
from crawler.feeds import CsvItemExporter
from crawler.items import NewsArticle
from pipelines.dedupe import DedupePipeline
from pipelines.validate import ValidationPipeline

SITE = "http://127.0.0.1:8720/"
TITLE = "东湖街道开展垃圾分类宣传活动"
BODY = "3月5日上午，东湖街道在社区广场开展垃圾分类宣传活动。\n居民代表120余人参加。"
DAY_1 = "2024-03-05T09:30:00+08:00"
DAY_2 = "2024-03-06T09:30:00+08:00"


@pytest.fixture
def stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def article(
    article_id: str,
    *,
    folder: str = "news",
    title: str | None = TITLE,
    body: str = BODY,
    published_at: str | None = DAY_1,
    site: str = SITE,
) -> NewsArticle:
    """A complete article whose content hash is computed the way extraction computes it."""
    return NewsArticle(
        url=f"{site}{folder}/shownews.php?id={article_id}",
        site=site,
        article_id=article_id,
        language="zh-CN",
        column=["新闻资讯"],
        title=title,
        published_at=published_at,
        published_at_raw=published_at and published_at[:19].replace("T", " "),
        author="admin",
        body=body,
        body_html="".join(f"<p>{line}</p>" for line in body.splitlines()),
        metinfo_version="7.2.0",
        template_family="metinfo7",
        fetched_at="2026-11-29T23:51:08+00:00",
        content_hash=content_hash(title, body),
    )


# --- validation -------------------------------------------------------------------------------


def test_a_complete_article_passes_unchanged(stats: MemoryStatsCollector) -> None:
    item = article("1")
    assert ValidationPipeline(stats).process_item(item) is item
    assert not [k for k in stats.get_stats() if k.startswith("metinfo/dropped/")]


@pytest.mark.parametrize("field", ["url", "title", "body"])
@pytest.mark.parametrize("empty", ["", "  \n\u3000", None])
def test_an_article_without_a_required_field_is_dropped(
    stats: MemoryStatsCollector, field: str, empty: str | None
) -> None:
    item = article("1")
    setattr(item, field, empty)
    with pytest.raises(DropItem) as dropped:
        ValidationPipeline(stats).process_item(item)
    assert str(dropped.value).startswith(f"missing_{field}: ")
    assert stats.get_value(f"metinfo/dropped/missing_{field}") == 1
    assert [k for k in stats.get_stats() if k.startswith("metinfo/dropped/")] == [
        f"metinfo/dropped/missing_{field}"
    ]


def test_a_dict_item_is_validated_too(stats: MemoryStatsCollector) -> None:
    with pytest.raises(DropItem, match=r"^missing_title: http://127\.0\.0\.1:8720/a$"):
        ValidationPipeline(stats).process_item({"url": f"{SITE}a", "body": BODY})


def test_each_drop_is_counted_and_each_reason_logged_once_as_a_warning(
    stats: MemoryStatsCollector, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = ValidationPipeline(stats)
    caplog.set_level(logging.DEBUG, logger="pipelines.validate")
    for article_id in ("1", "2", "3"):
        with pytest.raises(DropItem):
            pipeline.process_item(article(article_id, title=""))
    with pytest.raises(DropItem):
        pipeline.process_item(article("4", body=""))
    assert stats.get_value("metinfo/dropped/missing_title") == 3
    assert stats.get_value("metinfo/dropped/missing_body") == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"dropped item (missing_title): {SITE}news/shownews.php?id=1",
        f"dropped item (missing_body): {SITE}news/shownews.php?id=4",
    ]


@pytest.mark.parametrize(
    ("what", "shown"),
    [
        ("images", {"images": [{"url": f"{SITE}upload/poster.jpg", "alt": None}]}),
        ("attachments", {"attachments": [{"url": f"{SITE}upload/file/a.pdf", "name": ""}]}),
        ("a player", {"body_html": '<p><video src="/upload/v.mp4" controls></video></p>'}),
    ],
)
def test_an_article_of_pictures_files_or_a_player_only_is_dropped_as_no_text(
    stats: MemoryStatsCollector, caplog: pytest.LogCaptureFixture, what: str, shown: dict
) -> None:
    """A poster, a notice that is one PDF, a video: no body, but no broken template either
    (exit code 7 counts missing_* only; a whole-site trial of a notice board)."""
    item = article("1", body="")
    for name, value in shown.items():
        setattr(item, name, value)
    caplog.set_level(logging.INFO, logger="pipelines.validate")
    with pytest.raises(DropItem, match=r"^no_text: "):
        ValidationPipeline(stats).process_item(item)
    assert [k for k in stats.get_stats() if k.startswith("metinfo/dropped/")] == [
        "metinfo/dropped/no_text"
    ]
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_validation_works_without_stats() -> None:
    with pytest.raises(DropItem, match=r"^missing_body: "):
        ValidationPipeline(None).process_item(article("1", body=""))
    assert ValidationPipeline().process_item(article("2")).article_id == "2"


# --- deduplication ----------------------------------------------------------------------------


def run(pipeline: DedupePipeline, items: list[NewsArticle]) -> tuple[list[str], list[str]]:
    """Feed items through the pipeline; return (kept URLs, DropItem messages)."""
    kept, dropped = [], []
    for item in items:
        try:
            kept.append(pipeline.process_item(item).url)
        except DropItem as exc:
            dropped.append(str(exc))
    return kept, dropped


def test_a_second_item_with_the_same_id_is_dropped(stats: MemoryStatsCollector) -> None:
    first = article("7")
    # The same article reached through another URL form: same id, another URL.
    alias = article("7")
    alias.url = f"{SITE}news/shownews.php?id=7&lang=cn"
    kept, dropped = run(DedupePipeline(stats), [first, alias])
    assert kept == [first.url]
    assert dropped == [f"duplicate_id: {alias.url} duplicates {first.url}"]
    assert stats.get_value("metinfo/dropped/duplicate_id") == 1
    assert stats.get_value("metinfo/dropped/duplicate_content") is None
    assert stats.get_value("metinfo/duplicates") == [f"{alias.url} duplicates {first.url}"]


def test_the_same_article_published_under_two_ids_is_exported_once(
    stats: MemoryStatsCollector,
) -> None:
    """Same title, time and body in two columns: the second id is dropped, and the URL
    dropped and the URL kept are both named in the stats."""
    notice, news = article("4", folder="notice"), article("9", folder="news")
    kept, dropped = run(DedupePipeline(stats), [notice, news])
    assert kept == [notice.url]
    assert dropped == [f"duplicate_content: {news.url} duplicates {notice.url}"]
    assert stats.get_value("metinfo/dropped/duplicate_content") == 1
    assert stats.get_value("metinfo/dropped/duplicate_id") is None
    listed = stats.get_value("metinfo/duplicates")
    assert listed == [f"{news.url} duplicates {notice.url}"]
    assert news.url in listed[0] and notice.url in listed[0]


def test_the_same_text_published_at_another_time_is_kept(stats: MemoryStatsCollector) -> None:
    """A notice repeated on another day (same title and body) is another article."""
    monday, tuesday = article("4", published_at=DAY_1), article("5", published_at=DAY_2)
    assert monday.content_hash == tuesday.content_hash
    kept, dropped = run(DedupePipeline(stats), [monday, tuesday])
    assert kept == [monday.url, tuesday.url]
    assert dropped == []
    assert stats.get_value("metinfo/duplicates") is None


def test_a_copy_that_shows_only_the_day_is_the_same_article(stats: MemoryStatsCollector) -> None:
    """One column's template prints the time, another's only the day (tests/sites
    shanghui-gbk): the same title and body on that day is one article."""
    timed = article("12", published_at=DAY_1)
    dated = article("30", folder="notice", published_at=DAY_1[:10])
    kept, dropped = run(DedupePipeline(stats), [timed, dated])
    assert kept == [timed.url]
    assert dropped == [f"duplicate_content: {dated.url} duplicates {timed.url}"]


def test_another_title_or_body_is_another_article(stats: MemoryStatsCollector) -> None:
    items = [article("1"), article("2", title=TITLE + "（续）"), article("3", body=BODY + "\n完")]
    kept, dropped = run(DedupePipeline(stats), items)
    assert kept == [item.url for item in items]
    assert dropped == []


def test_ids_and_content_are_keyed_per_site(stats: MemoryStatsCollector) -> None:
    other_site = "http://127.0.0.1:8721/"
    items = [article("1"), article("1", site=other_site)]
    kept, dropped = run(DedupePipeline(stats), items)
    assert kept == [item.url for item in items]
    assert dropped == []


def test_the_duplicate_drop_is_logged_with_the_url_kept(
    stats: MemoryStatsCollector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pipelines.dedupe")
    notice, news = article("4", folder="notice"), article("9")
    run(DedupePipeline(stats), [notice, news])
    assert [r.getMessage() for r in caplog.records] == [
        f"dropped duplicate_content: {news.url} (kept {notice.url})"
    ]


def test_dedupe_works_without_stats_and_on_dicts() -> None:
    pipeline = DedupePipeline()
    first: dict[str, Any] = {
        "url": f"{SITE}a",
        "site": SITE,
        "article_id": "1",
        "content_hash": "",
        "published_at": None,
    }
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match=r"^duplicate_id: "):
        pipeline.process_item({**first, "url": f"{SITE}b"})
    # No content hash: content dedupe cannot apply, the id alone decides.
    assert pipeline.process_item({**first, "url": f"{SITE}c", "article_id": "2"})


def test_csv_export_writes_list_and_object_fields_as_json() -> None:
    item = NewsArticle(
        url="http://www.example.cn/news/shownews.php?id=7",
        column=["新闻中心", "商会动态, 通知"],
        title="标题",
        images=[{"url": "http://www.example.cn/upload/a.jpg", "alt": None}],
        attachments=[],
    )
    out = io.BytesIO()
    exporter = CsvItemExporter(out, fields_to_export=["url", "column", "images", "hits"])
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert len(rows) == 1
    # A comma inside a column name survives: the cell is JSON, not a comma-joined string.
    assert json.loads(rows[0]["column"]) == ["新闻中心", "商会动态, 通知"]
    assert json.loads(rows[0]["images"]) == [
        {"url": "http://www.example.cn/upload/a.jpg", "alt": None}
    ]
    assert rows[0]["hits"] == ""
