"""A robots.txt parser that also records the file's ``Sitemap:`` lines for the spider."""

from __future__ import annotations

from typing import Any

from scrapy.robotstxt import ProtegoRobotParser


class SitemapRecordingParser(ProtegoRobotParser):
    """Scrapy's default (Protego) parser, plus: every sitemap URL a fetched robots.txt names
    is appended to ``crawler.metinfo_robots_sitemaps`` (a list, created on first use), so
    that robots.txt is requested once per site, by the robots middleware (guide §1.5)."""

    @classmethod
    def from_crawler(cls, crawler: Any, robotstxt_body: bytes) -> SitemapRecordingParser:
        parser = super().from_crawler(crawler, robotstxt_body)
        recorded = crawler.__dict__.setdefault("metinfo_robots_sitemaps", [])
        recorded.extend(s for s in parser.rp.sitemaps if s not in recorded)
        return parser
