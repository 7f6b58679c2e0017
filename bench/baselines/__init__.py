"""Baseline spiders the benchmarks run beside ours with ``scrapy runspider`` (one per file)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy

# Our run extensions and pipelines expect our spider and items; the baselines run without
# them and otherwise under the project's settings (reactor, concurrency, robots, middlewares).
BASELINE_SETTINGS: dict[str, Any] = {
    "EXTENSIONS": {},
    "ITEM_PIPELINES": {},
}


def read_urls(path: str) -> Iterator[str]:
    """The URLs of a file, one a line."""
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield line.strip()


class UrlListSpider(scrapy.Spider):
    """Requests every URL of the file ``urls`` (``-a urls=FILE``) with :meth:`parse` as the
    callback; the subclass says what ``parse`` does with each page.  ``scrapy runspider``
    finds only the subclass, the one class defined in the file it runs."""

    custom_settings = BASELINE_SETTINGS

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in read_urls(self.urls_file):
            yield scrapy.Request(url, callback=self.parse)
