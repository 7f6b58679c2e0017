"""The framework's ceiling: fetch a list of pages and parse nothing.

``scrapy runspider bench/baselines/bare_spider.py -a urls=FILE``; FILE holds the pages our
crawler fetched, one URL a line.
"""

from __future__ import annotations

from typing import Any

from bench.baselines import UrlListSpider


class BareSpider(UrlListSpider):
    """Requests every URL of ``urls``; the callback reads nothing."""

    name = "bare"

    def parse(self, response: Any, **kwargs: Any) -> None:
        """Nothing: the response is fetched and dropped."""
