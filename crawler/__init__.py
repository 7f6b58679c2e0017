"""MetInfo news crawler: Scrapy project package (settings, items, extraction, replay)."""

__version__ = "0.1.0"
