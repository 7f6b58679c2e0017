"""A generic news spider: hand every page of a list to ``trafilatura.bare_extraction``.

``scrapy runspider bench/baselines/trafilatura_spider.py -a urls=FILE -O out.jsonl``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.baselines import UrlListSpider
from bench.extractors import trafilatura_item


class TrafilaturaSpider(UrlListSpider):
    """Requests every URL of ``urls`` and yields what trafilatura extracts from each."""

    name = "trafilatura"

    def parse(self, response: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        item = trafilatura_item(response.text, response.url)
        if item is not None:
            yield item
