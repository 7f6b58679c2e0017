"""A generic news spider: hand every page of a list to ``trafilatura.bare_extraction``.

``scrapy runspider bench/baselines/trafilatura_spider.py -a urls=FILE -O out.jsonl``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy

from bench.baselines import BASELINE_SETTINGS, read_urls
from bench.extractors import trafilatura_item


class TrafilaturaSpider(scrapy.Spider):
    """Requests every URL of ``urls`` and yields what trafilatura extracts from each."""

    name = "trafilatura"
    custom_settings = BASELINE_SETTINGS

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in read_urls(self.urls_file):
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        item = trafilatura_item(response.text, response.url)
        if item is not None:
            yield item
