"""Hostile and broken input (issue 7): a fault server, page builders and crawl helpers."""
