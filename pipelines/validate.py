"""Drop items that are not usable articles, with a counted, logged reason."""

from __future__ import annotations

import logging
import re
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

logger = logging.getLogger(__name__)

# Fields without which an item is not an article (issue 2: url, title, body).
REQUIRED_FIELDS = ("url", "title", "body")


# A player or frame in a body's HTML: a video, a sound, an embedded page or document.
PLAYER_RE = re.compile(r"<(?:video|audio|iframe|embed|object)\b", re.IGNORECASE)


def shows_media(item: Any) -> bool:
    """True when an item (or its ``ItemAdapter``) shows pictures, files or a player
    (:data:`PLAYER_RE` in ``body_html``): an article, even without a line of text."""
    adapter = item if isinstance(item, ItemAdapter) else ItemAdapter(item)
    return bool(
        adapter.get("images")
        or adapter.get("attachments")
        or PLAYER_RE.search(adapter.get("body_html") or "")
    )


class ValidationPipeline:
    """Drop an item that lacks a required field.

    Each drop raises ``DropItem("missing_<field>: <url>")``, counts
    ``metinfo/dropped/missing_<field>`` and is logged at WARNING the first time a reason
    occurs (later ones at DEBUG, so a broken template does not flood the log).  An article
    without text that shows pictures or files (a poster, a notice that is one PDF, a video)
    has no body either, and is dropped as ``no_text``, logged at INFO each time: an article
    of its kind, not a template the extraction missed (it does not count towards exit code
    7, ``METINFO_MAX_MISSING_SHARE``).
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
                if name == "body" and shows_media(adapter):
                    if self.stats is not None:
                        self.stats.inc_value("metinfo/dropped/no_text")
                    logger.info(
                        "dropped item (no_text: pictures, files or a player only): %s",
                        adapter.get("url"),
                    )
                    raise DropItem(f"no_text: {adapter.get('url')}", log_level="DEBUG")
                if self.stats is not None:
                    self.stats.inc_value(f"metinfo/dropped/{reason}")
                level = logging.DEBUG if reason in self._logged else logging.WARNING
                self._logged.add(reason)
                url = adapter.get("url")
                logger.log(level, "dropped item (%s): %s", reason, url)
                raise DropItem(f"{reason}: {url}")
        return item
