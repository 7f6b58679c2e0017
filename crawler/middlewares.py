"""Downloader middleware that refuses URLs a MetInfo crawler must never request."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.site import forbidden_reason


class ForbiddenUrlMiddleware:
    """Drop requests for hit counters, member, admin, search and visual-editor URLs.

    Fetching ``hits/?…`` or ``include/hits.php`` increments the site's counter (guide §2.1);
    the others are not content (guide §5).  Each refusal is counted as
    ``metinfo/forbidden/<reason>``; robots.txt requests are always let through.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ForbiddenUrlMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        """Raise ``IgnoreRequest`` for a forbidden URL; let everything else pass."""
        if request.url.endswith("/robots.txt"):
            return
        reason = forbidden_reason(request.url)
        if reason:
            self.stats.inc_value(f"metinfo/forbidden/{reason}")
            raise IgnoreRequest(f"never requested ({reason}): {request.url}")
