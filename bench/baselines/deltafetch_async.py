"""``scrapy-deltafetch`` for Scrapy versions that require async-capable spider middlewares.

scrapy-deltafetch 2.1.0 defines only a synchronous ``process_spider_output``, which Scrapy
2.19 refuses in a chain with async spider output ("doesn't support asynchronous spider
output").  This subclass adds ``process_spider_output_async`` and hands each response's
output to the package's own method unchanged, so its behaviour is the package's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy_deltafetch import DeltaFetch


class AsyncDeltaFetch(DeltaFetch):
    """DeltaFetch, usable where Scrapy wants ``process_spider_output_async``."""

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        outputs = [r async for r in result]
        for r in self.process_spider_output(response, outputs, spider):
            yield r
