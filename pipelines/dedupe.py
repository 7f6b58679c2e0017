"""One item per article within a run: per (site, MetInfo id) and per content."""

from __future__ import annotations

import hashlib
import logging
from array import array
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.compact import IdMap, Int64Map, StringTable
from crawler.items import publication_day
from crawler.runs import RunLedger
from crawler.site import site_key

logger = logging.getLogger(__name__)

# Duplicates named in the run summary (the count is always complete).
MAX_LISTED = 50


class DedupePipeline:
    """Drop the second and later items of the same article.

    Two keys, both per site (:func:`crawler.site.site_key`: ``www.``/``m.`` and http/https
    forms of a host are one site): the MetInfo content id (ids are unique across a site's
    languages, guide §1.3), and the content itself — title and body, via ``content_hash``,
    and the day of ``published_at`` — for an article published twice under two ids, e.g.
    in two columns.
    With a state store (``METINFO_STATE``) the content is also checked against what earlier
    runs exported (:meth:`crawler.runs.RunLedger.exported_duplicate`), so the second copy
    is dropped when the first was exported by an earlier run.
    Drops count ``metinfo/dropped/duplicate_id`` or ``metinfo/dropped/duplicate_content``,
    are logged with the URL kept, and the first :data:`MAX_LISTED` pairs are listed in the
    stat ``metinfo/duplicates`` as ``"<dropped> duplicates <kept>"``.

    Memory, per exported article (:mod:`crawler.compact`): a slot for its id and one for its
    content key (16 bytes each, tables 1/2 to 3/4 full), the other half of the content key
    (8 bytes) and 12 bytes for its URL, whose text waits in a temporary file until a
    duplicate names it: about 70 bytes in all where dicts of strings took about 300.
    """

    def __init__(self, stats: Any = None, ledger: RunLedger | None = None) -> None:
        self.stats = stats
        self.ledger = ledger
        self.by_id: dict[str, IdMap] = {}  # site key -> id (or URL) -> row of the URL kept
        self.by_content = Int64Map()  # first 63 bits of content_key(...) -> row
        self._content_rest = array("q")  # row -> the key's other 64 bits (0: no content key)
        self._urls = StringTable(spill=True)  # row -> URL kept (read back for duplicates only)

    @staticmethod
    def content_key(site: str, content_hash: str, published_at: str | None) -> int:
        """The first 128 bits of the SHA-256 of site, content hash and publication day
        (:func:`crawler.items.publication_day`): two different articles share it with a
        chance of about 2^-128 per pair."""
        text = f"{site}\n{content_hash}\n{publication_day(published_at)}"
        return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:16], "big")

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler.stats, getattr(crawler.spider, "ledger", None))

    def process_item(self, item: Any) -> Any:
        """Return ``item`` the first time its article is seen; else raise ``DropItem``."""
        adapter = ItemAdapter(item)
        root = adapter.get("site") or ""
        site, url = site_key(root), adapter.get("url")
        ids = self.by_id.setdefault(site, IdMap())
        article_id = adapter.get("article_id") or url
        row = ids.get(article_id)
        if row is not None:
            self._drop("duplicate_id", url, self._urls[row])
        digest = adapter.get("content_hash")
        head = rest = 0
        if digest:
            key = self.content_key(site, digest, adapter.get("published_at"))
            # Two halves: 63 bits index the table (keys must be positive), 64 confirm.
            head, rest = (key >> 65) or 1, (key & ((1 << 64) - 1)) - (1 << 63)
            row = self.by_content.get(head)
            if row is not None and self._content_rest[row] == rest:
                self._drop("duplicate_content", url, self._urls[row])
            if self.ledger is not None and adapter.get("article_id"):
                kept = self.ledger.exported_duplicate(
                    root, adapter["article_id"], digest, adapter.get("published_at")
                )
                if kept is not None:
                    self._drop("duplicate_content", url, kept)
        row = self._urls.append(url, root)
        self._content_rest.append(rest)
        ids[article_id] = row
        if head and head not in self.by_content:
            self.by_content[head] = row
        return item

    def _drop(self, reason: str, url: str, kept: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"metinfo/dropped/{reason}")
            listed = self.stats.get_value("metinfo/duplicates") or []
            if len(listed) < MAX_LISTED:
                self.stats.set_value("metinfo/duplicates", [*listed, f"{url} duplicates {kept}"])
        logger.info("dropped %s: %s (kept %s)", reason, url, kept)
        raise DropItem(f"{reason}: {url} duplicates {kept}")
