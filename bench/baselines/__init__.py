"""Baseline spiders the benchmarks run beside ours with ``scrapy runspider`` (one per file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
