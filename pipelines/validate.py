"""Drop items that are not usable articles, with a counted, logged reason."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)

# Fields without which an item is not an article (issue 2: url, title, body).
REQUIRED_FIELDS = ("url", "title", "body")


class ValidationPipeline:
    """Drop an item that lacks a required field.

    Each drop raises ``DropItem("missing_<field>: <url>")``, counts
    ``metinfo/dropped/missing_<field>`` and is logged at WARNING the first time a reason
    occurs (later ones at DEBUG, so a broken template does not flood the log).
    """

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats
        self._logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidationPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        """Return ``item`` unchanged, or raise ``DropItem`` naming the missing field."""
        adapter = ItemAdapter(item)
        for name in REQUIRED_FIELDS:
            value = adapter.get(name)
            if not (isinstance(value, str) and value.strip()):
                reason = f"missing_{name}"
                if self.stats is not None:
                    self.stats.inc_value(f"metinfo/dropped/{reason}")
                level = logging.DEBUG if reason in self._logged else logging.WARNING
                self._logged.add(reason)
                url = adapter.get("url")
                logger.log(level, "dropped item (%s): %s", reason, url)
                raise DropItem(f"{reason}: {url}")
        return item
