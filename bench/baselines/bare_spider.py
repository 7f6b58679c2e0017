"""The framework's ceiling: fetch a list of pages and parse nothing.

``scrapy runspider bench/baselines/bare_spider.py -a urls=FILE``; FILE holds the pages our
crawler fetched, one URL a line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from bench.baselines import BASELINE_SETTINGS, read_urls


class BareSpider(scrapy.Spider):
    """Requests every URL of ``urls``; the callback reads nothing."""

    name = "bare"
    custom_settings = BASELINE_SETTINGS

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in read_urls(self.urls_file):
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Any, **kwargs: Any) -> None:
        """Nothing: the response is fetched and dropped."""
