"""One item per article within a run: per (site, MetInfo id) and per content."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.site import site_key

logger = logging.getLogger(__name__)

# Duplicates named in the run summary (the count is always complete).
MAX_LISTED = 50


class DedupePipeline:
    """Drop the second and later items of the same article.

    Two keys, both per site (:func:`crawler.site.site_key`: ``www.``/``m.`` and http/https
    forms of a host are one site): the MetInfo content id (ids are unique across a site's
    languages, guide §1.3), and the content itself — title, ``published_at`` and body, via
    ``content_hash`` — for an article published twice under two ids, e.g. in two columns.
    Drops count ``metinfo/dropped/duplicate_id`` or ``metinfo/dropped/duplicate_content``,
    are logged with the URL kept, and the first :data:`MAX_LISTED` pairs are listed in the
    stat ``metinfo/duplicates`` as ``"<dropped> duplicates <kept>"``.

    Memory: one short tuple per exported article.
    """

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats
        self.by_id: dict[tuple[str, str], str] = {}
        self.by_content: dict[tuple[str, str, str | None], str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return ``item`` the first time its article is seen; else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        site, url = site_key(adapter.get("site") or ""), adapter.get("url")
        id_key = (site, adapter.get("article_id") or url)
        content_key = (site, adapter.get("content_hash") or "", adapter.get("published_at"))
        kept = self.by_id.get(id_key)
        if kept is not None:
            self._drop("duplicate_id", url, kept)
        kept = self.by_content.get(content_key) if content_key[1] else None
        if kept is not None:
            self._drop("duplicate_content", url, kept)
        self.by_id[id_key] = url
        if content_key[1]:
            self.by_content[content_key] = url
        return item

    def _drop(self, reason: str, url: str, kept: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"metinfo/dropped/{reason}")
            listed = self.stats.get_value("metinfo/duplicates") or []
            if len(listed) < MAX_LISTED:
                self.stats.set_value("metinfo/duplicates", [*listed, f"{url} duplicates {kept}"])
        logger.info("dropped %s: %s (kept %s)", reason, url, kept)
        raise DropItem(f"{reason}: {url} duplicates {kept}")
