"""Distributed mode: one export per article across every worker of a run (Redis claims)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from crawler.distributed import CLAIM_LUA, UNREACHABLE, enabled
from crawler.items import publication_day
from crawler.site import site_key

logger = logging.getLogger(__name__)


class SharedExportPipeline:
    """Drop an article another worker of the run has exported (or is exporting).

    Runs after :class:`pipelines.dedupe.DedupePipeline`, with the same two keys per site
    (MetInfo id, and content hash with time), claimed for this worker in one Redis script
    (``<run>:exported`` and the worker's ``<run>:exported:<worker>``).  A claim of a worker
    that dies before its output is complete is withdrawn when it is reaped
    (``crawler.distributed``), so the article is exported by another.  Drops count
    ``metinfo/dropped/claimed_by_other_worker``.  While Redis is unreachable the item waits
    (back-off up to ``METINFO_REDIS_MAX_OUTAGE``).  Only active with ``REDIS_URL``.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_outage = crawler.settings.getfloat("METINFO_REDIS_MAX_OUTAGE", 300.0)
        self._claim: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedExportPipeline:
        if not enabled(crawler.settings):
            raise NotConfigured  # no REDIS_URL: an ordinary run (no warning)
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        """Return ``item`` once claimed for this worker; ``DropItem`` when another has it."""
        run = getattr(self.crawler, "metinfo_distributed", None)
        if run is None:
            return item
        if self._claim is None:
            self._claim = run.server.register_script(CLAIM_LUA)
        adapter = ItemAdapter(item)
        site = site_key(adapter.get("site") or "")
        keys = [f"id {site} {adapter.get('article_id') or adapter.get('url')}"]
        if adapter.get("content_hash"):
            day = publication_day(adapter.get("published_at"))
            keys.append(f"content {site} {adapter['content_hash']} {day}")
        delay, deadline = 0.5, time.monotonic() + self.max_outage
        while True:
            try:
                taken = self._claim(
                    keys=[f"{run.prefix}exported", f"{run.prefix}exported:{run.worker}"],
                    args=[run.worker, *keys],
                )
                break
            except UNREACHABLE as exc:
                if time.monotonic() > deadline:
                    run._close("redis_unreachable")
                    raise DropItem(f"Redis unreachable: {adapter.get('url')}") from exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        if taken:
            self.stats.inc_value("metinfo/dropped/claimed_by_other_worker")
            raise DropItem(f"exported by another worker: {adapter.get('url')}", log_level="DEBUG")
        return item
