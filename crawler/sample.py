"""Crawl the bundled sample site offline: ``python -m crawler.sample [OUTPUT]``.

Serves ``samples/metinfo7-sample`` on a free 127.0.0.1 port with the replay server, runs
``scrapy crawl metinfo`` against it in a subprocess (politeness off: the server is our own),
writes JSON Lines to OUTPUT (default ``articles.jsonl``) and prints where it is.
Exit status: the crawl's.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from crawler.childproc import run_child
from crawler.replay import Archive, ReplayServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITE = PROJECT_ROOT / "samples" / "metinfo7-sample"
# Settings for a crawl of our own loopback server: no delay, no throttling.
LOCAL_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOGSTATS_INTERVAL=0")


def crawl_command(url: str, output: Path, *extra: str) -> list[str]:
    """The ``scrapy crawl metinfo`` command line for ``url`` writing ``output``."""
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "metinfo",
        "-a",
        f"url={url}",
        "-O",
        str(output),
    ]
    for setting in (*LOCAL_SETTINGS, *extra):
        cmd += ["-s", setting]
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="articles.jsonl", type=Path)
    parser.add_argument("--site", type=Path, default=SAMPLE_SITE, help="manifest folder")
    args = parser.parse_args(argv)
    output = args.output.resolve()
    with ReplayServer(Archive.load(args.site)) as server:
        print(f"serving the sample site at {server.origin}/", flush=True)
        # Ctrl-C or SIGTERM stops the crawl the way it stops alone (exit code 15).
        code = run_child(crawl_command(f"{server.origin}/", output), PROJECT_ROOT, dict(os.environ))
        print(f"{server.request_count} requests served", flush=True)
    if code == 0 and output.exists():
        count = sum(1 for line in output.read_text(encoding="utf-8").splitlines() if line.strip())
        print(f"wrote {count} articles to {output}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
