"""Across runs: export only new and changed articles, numbering each export's revision."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawler.runs import RunLedger
from crawler.site import named_article_ref

logger = logging.getLogger(__name__)


class StatePipeline:
    """With a state store (``METINFO_STATE``), drop articles whose content did not change.

    Every fetched article is observed in the run's :class:`RunLedger` (its hash and time
    are stored at the end of the run).  An article seen before with the same content hash
    is dropped as ``unchanged`` (counted ``metinfo/state/unchanged``) unless
    ``METINFO_FULL_EXPORT`` is set (then exported again, counted
    ``metinfo/state/reexported``); a new one gets ``revision`` 1, a changed one the next
    revision (counted ``metinfo/state/updated``).  Without a store, items pass untouched and
    ``revision`` stays null.  An article under a custom file name is also recorded under
    that name's id (:meth:`RunLedger.observe_name`), the only id its list pages give.
    """

    def __init__(self, ledger: RunLedger | None, stats: Any = None) -> None:
        self.ledger = ledger
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> StatePipeline:
        return cls(getattr(crawler.spider, "ledger", None), crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Set ``item.revision`` and return it, or raise ``DropItem`` when unchanged."""
        if self.ledger is None or not item.article_id:
            return item
        changed, revision = self.ledger.observe(
            item.site, item.article_id, item.url, item.content_hash, item.published_at
        )
        named = named_article_ref(item.url, item.site) if item.site else None
        if named is not None and named.id != item.article_id:
            self.ledger.observe_name(
                item.site, named.id, item.url, item.content_hash, item.published_at
            )
        item.revision = revision
        if not changed and not self.ledger.full_export:
            if self.stats is not None:
                self.stats.inc_value("metinfo/state/unchanged")
            raise DropItem(f"unchanged: {item.url}", log_level="DEBUG")
        if not changed and self.stats is not None:
            # exported again (METINFO_FULL_EXPORT): neither new nor updated in the summary
            # (a full export of a known site had counted every article as new)
            self.stats.inc_value("metinfo/state/reexported")
        if changed and revision > 1 and self.stats is not None:
            self.stats.inc_value("metinfo/state/updated")
        return item
