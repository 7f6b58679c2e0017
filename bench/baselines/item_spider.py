"""The framework's ceiling for a spider that exports: fetch a list of pages, parse nothing,
yield one small item per page into the JSON Lines feed.

``scrapy runspider bench/baselines/item_spider.py -a urls=FILE -O out.jsonl``; FILE holds
the pages our crawler fetched, one URL a line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.baselines import UrlListSpider


class ItemSpider(UrlListSpider):
    """Requests every URL of ``urls``; each response gives ``{url, status, size}``."""

    name = "item"

    def parse(self, response: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """One item of what the response says without parsing it."""
        yield {"url": response.url, "status": response.status, "size": len(response.body)}
