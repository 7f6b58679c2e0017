"""``scrapy reextract FILE.warc.gz ... -O out.jsonl``: the crawl again, from WARC files, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from warcio.exceptions import ArchiveLoadFailed

from crawler.commands.crawl import Command as CrawlCommand
from crawler.runs import ExitCode
from crawler.warcreplay import first_home, read_warcinfo, recorded_settings, recorded_spider_args

# Settings a warcinfo record names that change what is fetched or extracted; applied at the
# command's priority, so that -s on the command line still wins.
REPLAYED_SETTINGS = (
    "ROBOTSTXT_OBEY",
    "METINFO_TIMEZONE",
    "METINFO_MIRROR_IGNORE_ROBOTS",
    "METINFO_MIRROR_MAX_BYTES",
    "DOWNLOAD_MAXSIZE",
    "METINFO_FULL_EXPORT",
)
NO_NETWORK = "crawler.warcreplay.NoNetworkDownloadHandler"
# Settings of every re-extraction, above the project's and below -s (Scrapy's "spider"
# priority; a command's default_settings rank below the project's settings module).
OFFLINE_SETTINGS = {
    # Nothing to be polite to: the archive answers at once.
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOGSTATS_INTERVAL": 0,
    # Held requests wait in the downloader for their turn (recorded order): never let the
    # engine back out with the one that is due still in the scheduler.
    "CONCURRENT_REQUESTS": 1024,
    "DOWNLOAD_HANDLERS": {
        "http": NO_NETWORK,
        "https": NO_NETWORK,
        "ftp": NO_NETWORK,
        "s3": NO_NETWORK,
    },
}
PRIORITY = "spider"


class Command(CrawlCommand):
    """Run the ``metinfo`` spider and every pipeline with each request answered from WARC
    files (``crawler.warcreplay``) and no network at all.

    The start URL and spider arguments (``lang``, ``tz``, ``columns``, ``skip_columns``) come
    from the warcinfo record ``METINFO_WARC`` wrote, else the start URL is the first recorded
    home page; ``-a`` overrides either.  The settings the warcinfo names (robots.txt
    obedience, timezone, size caps) are applied unless ``-s`` sets them.  Output, exit codes
    and locks are those of ``scrapy crawl``; ``METINFO_WARC`` is off (nothing is recorded
    again), ``METINFO_MIRROR`` works and mirrors the files the archive holds.
    """

    def syntax(self) -> str:
        return "[options] FILE.warc.gz [FILE.warc.gz ...]"

    def short_desc(self) -> str:
        return "Re-extract articles from WARC files of a crawl, offline (no network)"

    def long_desc(self) -> str:
        return (
            "Run the metinfo spider and pipelines again on the responses recorded in WARC "
            "files (-s METINFO_WARC=DIR of an earlier crawl, or any WARC of a MetInfo site), "
            "with no network at all: e.g. scrapy reextract DIR/*.warc.gz -O out.jsonl"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", default="metinfo", help="spider to run (default: metinfo)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        self.problem: str | None = None
        self.recorded_args: dict[str, str] = {}
        paths = [Path(a) for a in args]
        if not paths:
            self.problem = "give one or more WARC files: scrapy reextract FILE.warc.gz -O out.jsonl"
            return
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            self.problem = f"no such WARC file: {', '.join(missing)}"
            return
        try:
            info = read_warcinfo(paths)
            self.recorded_args = recorded_spider_args(info)
            if "url" not in self.recorded_args and "url" not in opts.spargs:
                home = first_home(paths)
                if home is None:
                    self.problem = (
                        "the archive names no start URL and holds no home page: give -a url=..."
                    )
                    return
                self.recorded_args["url"] = home
        except (ArchiveLoadFailed, OSError, ValueError) as exc:
            self.problem = f"not a readable WARC: {exc}"
            return
        self.settings.setdict(OFFLINE_SETTINGS, priority=PRIORITY)
        recorded: dict[str, Any] = recorded_settings(info)
        for name in REPLAYED_SETTINGS:
            if recorded.get(name) is not None:
                self.settings.set(name, recorded[name], priority=PRIORITY)
        if self.settings.get("METINFO_WARC"):
            print("reextract: METINFO_WARC ignored (nothing is recorded again)", file=sys.stderr)
        self.settings.set("METINFO_WARC", "", priority="cmdline")
        self.settings.set(
            "METINFO_REEXTRACT_FROM", [str(p.resolve()) for p in paths], priority="cmdline"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if self.problem:
            print(f"not started: {self.problem} (exit code {ExitCode.USAGE})", file=sys.stderr)
            self.exitcode = ExitCode.USAGE
            return
        opts.spargs = {**self.recorded_args, **opts.spargs}
        super().run([opts.spider], opts)
