"""Scrapy commands of this project (``COMMANDS_MODULE``): ``crawl`` with exit codes and locks."""
