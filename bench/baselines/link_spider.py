"""A plain Scrapy crawl of a site: follow every same-host link, one item per article page.

What a user writes without this project: a ``CrawlSpider`` with a ``LinkExtractor``.  Add
``scrapy-deltafetch`` (which skips requests of pages that yielded an item in an earlier run)
with ``-s 'SPIDER_MIDDLEWARES={"scrapy_deltafetch.DeltaFetch": 100}' -s DELTAFETCH_ENABLED=1
-s DELTAFETCH_DIR=DIR``.

``scrapy runspider bench/baselines/link_spider.py -a url=http://127.0.0.1:PORT/ -O out.jsonl``
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from bench.baselines import BASELINE_SETTINGS

# Article URLs of the generated site: F/shownews.php?id=N (dynamic) or F/N.html (pseudo).
ARTICLE_RE = re.compile(r"/shownews\.php\?id=(\d+)|/(\d+)(?:-[a-z]{2,3})?\.html$")


class LinkSpider(CrawlSpider):
    """Follows every link of the start URL's host; article pages give ``{url, article_id}``."""

    name = "link"
    custom_settings = BASELINE_SETTINGS

    def __init__(self, url: str = "", **kwargs: Any) -> None:
        self.start_urls = [url]
        self.allowed_domains = [urlsplit(url).hostname or ""]
        self.rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)
        super().__init__(**kwargs)

    def parse_page(self, response: Any) -> Iterator[dict[str, Any]]:
        match = ARTICLE_RE.search(response.url)
        if match and response.body.strip():
            yield {"url": response.url, "article_id": match[1] or match[2]}
