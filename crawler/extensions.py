"""Progress lines during a crawl and a one-screen summary at its end."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from twisted.internet import task

logger = logging.getLogger(__name__)


class RunSummary:
    """Log progress every ``LOGSTATS_INTERVAL`` seconds and a summary when the spider closes.

    Progress: ``columns done/found, list pages, articles exported``.  Summary: the same
    counts, items dropped by reason, pages that were not articles by reason, failed
    requests (the first 50 URLs named) and the duplicates dropped (first 50 named).  Columns
    come from the spider's ``state`` (:class:`crawler.crawlstate.CrawlState`) when it has one.
    """

    def __init__(self, stats: Any, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.spider: Any = None
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunSummary:
        ext = cls(crawler.stats, crawler.settings.getfloat("LOGSTATS_INTERVAL"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.spider = spider
        if self.interval > 0:
            self._loop = task.LoopingCall(self.log_progress)
            self._loop.start(self.interval, now=False)

    def _columns(self) -> tuple[int, int]:
        state = getattr(self.spider, "state", None)
        return state.progress() if state is not None else (0, 0)

    def progress_line(self) -> str:
        """``columns 3/5 done, 12 list pages, 40 articles exported``."""
        done, found = self._columns()
        pages = self.stats.get_value("metinfo/lists/pages", 0)
        items = self.stats.get_value("item_scraped_count", 0)
        return f"columns {done}/{found} done, {pages} list pages, {items} articles exported"

    def log_progress(self) -> None:
        logger.info("progress: %s", self.progress_line())

    def summary_lines(self) -> list[str]:
        """The run summary, one string per line."""
        stats = self.stats.get_stats()
        done, found = self._columns()
        lines = [
            "run summary",
            f"  columns found:      {found} ({done} done)",
            f"  list pages:         {stats.get('metinfo/lists/pages', 0)}",
            f"  articles exported:  {stats.get('item_scraped_count', 0)}",
            f"  requests:           {stats.get('downloader/request_count', 0)}",
        ]
        for title, prefix in (
            ("items dropped", "metinfo/dropped/"),
            ("not articles", "metinfo/not_article/"),
            ("never requested", "metinfo/forbidden/"),
        ):
            counts = {k[len(prefix) :]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}
            if counts:
                lines.append(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        families = {
            k[len("metinfo/family/") :]: v
            for k, v in sorted(stats.items())
            if k.startswith("metinfo/family/")
        }
        parsed = sum(families.values())
        if parsed:
            lines.append(
                "  template families:  "
                + ", ".join(f"{name} {100 * n / parsed:.0f}%" for name, n in families.items())
            )
        for line in stats.get("metinfo/duplicates", []):
            lines.append(f"    duplicate: {line}")
        failed = stats.get("metinfo/requests/failed", 0)
        lines.append(
            f"  errors:             {failed} failed requests, "
            f"{stats.get('log_count/ERROR', 0)} logged errors"
        )
        for url in stats.get("metinfo/failed_urls", []):
            lines.append(f"    failed: {url}")
        return lines

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.stats.set_value("metinfo/columns/found", self._columns()[1])
        self.stats.set_value("metinfo/columns/done", self._columns()[0])
        logger.info("\n".join([*self.summary_lines(), f"  finish reason:      {reason}"]))
