"""One item per article within a run: per (site, MetInfo id) and per content."""

from __future__ import annotations

import hashlib
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

    Memory, per exported article: its id and URL in a per-site dict, and a 128-bit integer
    of its (site, content hash, time) pointing at the same URL (about 250 bytes in all).
    """

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats
        self.by_id: dict[str, dict[str, str]] = {}  # site key -> id (or URL) -> URL kept
        self.by_content: dict[int, str] = {}  # content_key(...) -> URL kept

    @staticmethod
    def content_key(site: str, content_hash: str, published_at: str | None) -> int:
        """The first 128 bits of the SHA-256 of site, content hash and time: two different
        articles share it with a chance of about 2^-128 per pair."""
        text = f"{site}\n{content_hash}\n{published_at or ''}"
        return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:16], "big")

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return ``item`` the first time its article is seen; else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        site, url = site_key(adapter.get("site") or ""), adapter.get("url")
        ids = self.by_id.setdefault(site, {})
        article_id = adapter.get("article_id") or url
        kept = ids.get(article_id)
        if kept is not None:
            self._drop("duplicate_id", url, kept)
        digest = adapter.get("content_hash")
        key = self.content_key(site, digest, adapter.get("published_at")) if digest else None
        kept = self.by_content.get(key) if key is not None else None
        if kept is not None:
            self._drop("duplicate_content", url, kept)
        ids[article_id] = url
        if key is not None:
            self.by_content[key] = url
        return item

    def _drop(self, reason: str, url: str, kept: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"metinfo/dropped/{reason}")
            listed = self.stats.get_value("metinfo/duplicates") or []
            if len(listed) < MAX_LISTED:
                self.stats.set_value("metinfo/duplicates", [*listed, f"{url} duplicates {kept}"])
        logger.info("dropped %s: %s (kept %s)", reason, url, kept)
        raise DropItem(f"{reason}: {url} duplicates {kept}")
