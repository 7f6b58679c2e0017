"""Run ``scrapy crawl metinfo`` in a subprocess and read what it left: feed, stats, summary."""

from __future__ import annotations

import ast
import json
import os
import re
import resource
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.sample import crawl_command
from tests.support import REPO_ROOT, read_feed

# Settings of every hostile crawl: our own loopback server, no politeness waits, short
# timeouts, no progress lines.  A test adds or overrides settings after these.
FAST = ("DOWNLOAD_DELAY=0", "DOWNLOAD_TIMEOUT=3", "LOGSTATS_INTERVAL=0")
CRAWL_TIMEOUT = 60.0
# Environment variables that would send the crawl through a proxy of this machine.
PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")

_STATS_START = "Dumping Scrapy stats:\n"
_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", re.MULTILINE)
_DATETIME = re.compile(r"datetime\.datetime\([^()]*\)")


@dataclass
class Crawl:
    """A finished crawl: exit status, log, items written, Scrapy stats, summary file."""

    returncode: int
    log: str
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    summary: dict[str, Any] | None

    def stat(self, key: str, default: Any = 0) -> Any:
        return self.stats.get(key, default)

    def prefixed(self, prefix: str) -> dict[str, Any]:
        """Stats under ``prefix``, with the prefix cut off."""
        return {k[len(prefix) :]: v for k, v in self.stats.items() if k.startswith(prefix)}

    def by_url(self) -> dict[str, dict[str, Any]]:
        return {item["url"]: item for item in self.items}

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.splitlines()[-lines:])


def parse_stats(log: str) -> dict[str, Any]:
    """The stats dict Scrapy dumps at the end of a crawl (datetimes become None)."""
    start = log.rfind(_STATS_START)
    if start == -1:
        return {}
    text = log[start + len(_STATS_START) :]
    end = _LOG_LINE.search(text)
    text = text[: end.start()] if end else text
    return ast.literal_eval(_DATETIME.sub("None", text.strip()))


def memory_limit(limit_bytes: int):
    """A ``preexec_fn`` that caps the child's address space (RLIMIT_AS)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def crawl(
    urls: str | Iterable[str],
    output: Path,
    *settings: str,
    memory: int | None = None,
    env: dict[str, str] | None = None,
    args: Iterable[str] = (),
    timeout: float = CRAWL_TIMEOUT,
) -> Crawl:
    """``scrapy crawl metinfo -a url=URLS -O OUTPUT`` with :data:`FAST` and ``settings``.

    ``memory`` caps the child's address space in bytes; ``env`` adds environment variables
    (proxy variables of the calling environment are never passed on); ``args`` are spider
    arguments (``NAME=VALUE``, each passed with ``-a``).  A crawl that outlives
    ``timeout`` is killed and fails the test (``subprocess.TimeoutExpired``).
    """
    url = urls if isinstance(urls, str) else ",".join(urls)
    cmd = crawl_command(url, output, *FAST, *settings)
    for arg in args:
        cmd += ["-a", arg]
    child_env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARS}
    child_env.update(env or {})
    result = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
        env=child_env,
        preexec_fn=memory_limit(memory) if memory else None,
    )
    items = read_feed(output) if output.exists() else []
    summary_path = output.with_name(output.name + ".summary.json")
    summary = json.loads(summary_path.read_text("utf-8")) if summary_path.exists() else None
    return Crawl(result.returncode, result.stderr, items, parse_stats(result.stderr), summary)
