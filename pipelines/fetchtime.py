"""Set ``fetched_at`` to the recorded time of the response (WARC capture, re-extraction)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from itemadapter import ItemAdapter

from crawler.warc import fetch_times


class FetchTimePipeline:
    """With ``METINFO_WARC`` the article's ``fetched_at`` becomes the ``WARC-Date`` of its
    response record; in offline re-extraction (``scrapy reextract``) the recorded one.  So a
    crawl and a re-extraction of its WARC export the same ``fetched_at``.  Without either,
    the item keeps the time the spider gave it.  Counts ``metinfo/fetched_at/recorded``.
    """

    def __init__(self, times: Mapping[str, datetime], stats: Any = None) -> None:
        self.times = times
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> FetchTimePipeline:
        return cls(fetch_times(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return ``item`` with ``fetched_at`` from the recorded time of its URL, if any."""
        adapter = ItemAdapter(item)
        moment = self.times.get(adapter.get("url") or "")
        if moment is not None:
            adapter["fetched_at"] = moment.astimezone(timezone.utc).isoformat(timespec="seconds")
            if self.stats is not None:
                self.stats.inc_value("metinfo/fetched_at/recorded")
        return item
