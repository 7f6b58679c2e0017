"""``scrapy crawl`` with this project's exit codes and run locks (issue 4)."""

from __future__ import annotations

import argparse
import codecs
import math
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import redis
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler import distributed
from crawler.locks import LockHeld, acquire, local_feed_path, lock_paths
from crawler.runs import ExitCode
from crawler.site import site_root

# Arguments of the metinfo spider (``-a``); ``_job`` is set by Scrapyd.
SPIDER_ARGS = frozenset({"url", "lang", "tz", "columns", "skip_columns", "_job"})

# Seconds after the first SIGINT/SIGTERM in which a second one counts as the same request
# to stop. A signal sent to a whole process group (``kill -- -PGID``, coreutils ``timeout``,
# systemd's default ``KillMode=control-group``) reaches the crawl twice within milliseconds:
# directly, and passed on by a wrapper (``tasks.py``, ``crawlsites``). Scrapy takes any
# second signal as "force an unclean stop", which loses the run's summary.
SIGNAL_REPEAT_WINDOW = 1.0


def coalesce_repeated_signals(process: Any, window: float = SIGNAL_REPEAT_WINDOW) -> None:
    """Make ``process`` (a Scrapy ``CrawlerProcess``) ignore a second SIGINT/SIGTERM that
    arrives less than ``window`` seconds after the first; a later one still forces the stop.

    Scrapy installs ``_signal_shutdown`` at start-up and swaps in ``_signal_kill`` after the
    first signal (``scrapy.crawler``, Scrapy 2.13 to 2.19; the ``_reactorless`` pair when
    it runs without Twisted); both are looked up on the instance when installed, so the
    wrappers set here take their place. A Scrapy without them is left as it is.
    """
    started = forced = False
    first_at = math.inf

    def wrap_shutdown(shutdown: Any) -> Any:
        def on_first(signum: int, frame: Any) -> None:
            nonlocal started, first_at
            # Python runs a pending signal's handler at any call, even inside this handler,
            # before it has installed the "force" one: the twin of a process-group signal
            # often arrives then. The test and the store below make no call in between.
            if started:
                return
            started = True
            first_at = time.monotonic()
            shutdown(signum, frame)

        return on_first

    def wrap_kill(kill: Any) -> Any:
        def on_repeat(signum: int, frame: Any) -> None:
            nonlocal forced
            if forced:
                return  # re-entered by a twin before Scrapy ignored further signals
            forced = True  # (no call between the test and the store, as above)
            if time.monotonic() - first_at < window:
                forced = False
                return  # the same stop, delivered twice; the handler stays installed
            kill(signum, frame)

        return on_repeat

    for shutdown, kill in (
        ("_signal_shutdown", "_signal_kill"),
        ("_signal_shutdown_reactorless", "_signal_kill_reactorless"),
    ):
        if callable(getattr(process, shutdown, None)) and callable(getattr(process, kill, None)):
            setattr(process, shutdown, wrap_shutdown(getattr(process, shutdown)))
            setattr(process, kill, wrap_kill(getattr(process, kill)))


def setting_problem(settings: Any) -> str | None:
    """A project setting (``METINFO_*``) or Scrapy setting whose value has the wrong type or
    is out of range, or a combination this crawler cannot honour, in one sentence."""
    if settings.get("JOBDIR"):
        # Scrapy's pause/resume keeps its request queue and replaces spider.state with its
        # own dict; this crawler's memory of a crawl (ids requested, columns in progress,
        # the article window) lives in the state store instead.
        return (
            "JOBDIR (Scrapy's pause/resume) is not supported; use -s METINFO_STATE=DIR, "
            "whose next run goes on where an interrupted one stopped"
        )
    if unknown := unknown_setting(settings):
        return unknown
    for name, (getter, least) in NUMERIC_SETTINGS.items():
        try:
            value = getattr(settings, getter)(name)
        except (TypeError, ValueError):
            return f"setting {name}={settings.get(name)!r} is not a number"
        if not math.isfinite(value) or value < least:
            return f"setting {name}={settings.get(name)!r} must be a number of at least {least}"
        if name in SHARE_SETTINGS and value > 1:
            return f"setting {name}={settings.get(name)!r} is a share: a number from 0 to 1"
    if problem := log_level_problem(settings.get("LOG_LEVEL")):
        return problem
    if (encoding := settings.get("FEED_EXPORT_ENCODING")) and not _unicode_encoding(encoding):
        # an item that the encoding cannot write is lost while the run counts it exported
        return (
            f"setting FEED_EXPORT_ENCODING={encoding!r} cannot write every article's text: "
            "use utf-8 (the default)"
        )
    if problem := append_problem(settings):
        return problem
    for name in BOOLEAN_SETTINGS:
        try:
            settings.getbool(name)
        except ValueError:
            value = settings.get(name)
            return f"setting {name}={value!r} is not a boolean (use 1 or 0, true or false)"
    if zone := timezone_problem(settings.get("METINFO_TIMEZONE"), "METINFO_TIMEZONE"):
        return zone
    if settings.get("METINFO_STATE") and not settings.getdict("FEEDS"):
        # The store records what each run exported: with no output it would record
        # articles as exported that no file holds, and the next run would skip them.
        return "METINFO_STATE needs an output to record: add -O FILE.jsonl or -o FILE.jsonl"
    return None


# Settings that are shares of a whole (0 to 1).
SHARE_SETTINGS = frozenset(
    {
        "METINFO_MAX_MISSING_SHARE",
        "METINFO_MAX_FAILED_SHARE",
        "METINFO_DRIFT_LISTED_DROP",
        "METINFO_DRIFT_GENERIC_RISE",
        "METINFO_DRIFT_MISSING_RISE",
    }
)


def unknown_setting(settings: Any) -> str | None:
    """A ``METINFO_*`` name given on the command line that the project does not define (a
    typo such as METINFO_STAT would run without a state store), with the nearest known
    name; None when every one is known."""
    from difflib import get_close_matches

    from crawler import settings as project

    known = {name for name in vars(project) if name.startswith("METINFO_")}
    given = {name for name in settings.attributes if name.startswith("METINFO_")}
    for name in sorted(given - known):
        near = get_close_matches(name, sorted(known), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return f"unknown setting {name}{hint}"
    return None


def _unicode_encoding(name: str) -> bool:
    try:
        return codecs.lookup(name).name.startswith(("utf-8", "utf-16", "utf-32"))
    except LookupError:
        return False


# Feed formats whose files take more items at their end (-o): one record a line.
APPEND_FORMATS = frozenset({"jsonlines", "jl", "jsonl"})


# The placeholders Scrapy fills in a feed URI: its own, and the spider's name and arguments.
FEED_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s")
FEED_PLACEHOLDERS = frozenset({"time", "batch_time", "batch_id", "name"} | SPIDER_ARGS - {"_job"})


def append_problem(settings: Any) -> str | None:
    """Why an append (``-o``) output cannot take this run's items: a JSON array, a CSV
    (a second header) or an XML file is no longer valid once another run's items follow
    its end.  None for JSON Lines or an overwrite (``-O``)."""
    for uri, options in settings.getdict("FEEDS").items():
        fmt = (options or {}).get("format", "")
        if not (options or {}).get("overwrite", False) and fmt and fmt not in APPEND_FORMATS:
            return (
                f"-o {uri} appends to a {fmt} file, which another run's items would make "
                "invalid: use -O to replace it, or a .jsonl output to append to"
            )
        unknown = sorted(set(FEED_PLACEHOLDER_RE.findall(str(uri))) - FEED_PLACEHOLDERS)
        if unknown:
            # Scrapy would fail to open the feed, the run still exit 0 and the state store
            # record as exported what no file holds
            return f"the output {uri} names %({unknown[0]})s; its placeholders are " + ", ".join(
                f"%({name})s" for name in sorted(FEED_PLACEHOLDERS)
            )
        path = local_feed_path(str(uri))
        if path is not None and "%(" not in str(uri) and path.is_dir():
            # found only when the run ends, its items lost (IsADirectoryError)
            return f"the output {path} is a folder: name a file in it, such as {path}/out.jsonl"
        if path is not None and "%(" not in str(uri) and path.exists() and not path.is_file():
            # the finished output is renamed over its path: a device (/dev/null) or a pipe
            # would be replaced by a regular file
            return (
                f"the output {path} is not a regular file (a device, a pipe or a socket): "
                "name a file, or use -o -:jsonl to write to standard output"
            )
    return None


def output_format_problem(opts: argparse.Namespace, error: str, formats: set[str]) -> str | None:
    """Scrapy's "Unrecognized output format" for an ``-o``/``-O`` path, said in this
    project's words: which output, what its extension is, and the two ways to name a
    format (``out.jsonl``, or ``PATH:jsonl``).  ``formats`` are the names Scrapy takes
    (``FEED_EXPORTERS``' keys).  None for any other usage error."""
    if not error.startswith("Unrecognized output format"):
        return None
    for uri in [*(opts.output or []), *(opts.overwrite_output or [])]:
        name = uri.rsplit("/", 1)[-1]
        ext = name.rsplit(".", 1)[1] if "." in name else ""
        if ":" in name or ext in formats:
            continue
        has = f"its extension .{ext} is no output format" if ext else "it has no extension"
        return (
            f"the output {uri} names no format ({has}): name a file such as out.jsonl, "
            f"or add the format after a colon ({uri}:jsonl)"
        )
    return None


# Numeric settings: the getter that reads each and the least value that makes sense.
NUMERIC_SETTINGS = {
    "METINFO_FULL_CHECK_EVERY": ("getint", 0),
    "METINFO_FULL_CHECK_DAYS": ("getfloat", 0),
    "METINFO_MAX_MISSING_SHARE": ("getfloat", 0),
    "METINFO_MAX_FAILED_SHARE": ("getfloat", 0),
    "METINFO_DRIFT_LISTED_DROP": ("getfloat", 0),
    "METINFO_DRIFT_GENERIC_RISE": ("getfloat", 0),
    "METINFO_DRIFT_MISSING_RISE": ("getfloat", 0),
    "METINFO_MAX_BLOCKED_IN_ROW": ("getint", 1),
    "METINFO_MAX_UNREACHABLE_IN_ROW": ("getint", 0),  # 0: never pause
    "METINFO_MAX_REQUESTS_PER_SITE": ("getint", 0),
    "METINFO_MAX_URL_LENGTH": ("getint", 1),
    "METINFO_ROBOTS_RETRIES": ("getint", 0),
    "METINFO_MAX_RETRY_AFTER": ("getfloat", 0),
    "METINFO_WARC_MAX_BYTES": ("getint", 1),
    "METINFO_MIRROR_MAX_BYTES": ("getint", 0),
    "METINFO_ARTICLE_WINDOW": ("getint", 0),  # 0: no bound
    "METINFO_REDIS_LEASE_TIMEOUT": ("getfloat", 0),
    "METINFO_REDIS_IDLE_CLOSE": ("getfloat", 0),
    "METINFO_REDIS_MAX_OUTAGE": ("getfloat", 0),
    "LOGSTATS_INTERVAL": ("getfloat", 0),
    "DOWNLOAD_DELAY": ("getfloat", 0),
    "CONCURRENT_REQUESTS": ("getint", 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": ("getint", 1),
    # Scrapy's own that a user sets with -s (a wrong one failed inside the crawl, with a
    # traceback, or passed for an unreachable site: DOWNLOAD_TIMEOUT=-5)
    "DOWNLOAD_TIMEOUT": ("getfloat", 0.1),
    "RETRY_TIMES": ("getint", 0),
    "CONCURRENT_ITEMS": ("getint", 1),
    "DOWNLOAD_MAXSIZE": ("getint", 0),
    "DOWNLOAD_WARNSIZE": ("getint", 0),
    "CLOSESPIDER_TIMEOUT": ("getfloat", 0),
    "CLOSESPIDER_ITEMCOUNT": ("getint", 0),
    "CLOSESPIDER_PAGECOUNT": ("getint", 0),
    "CLOSESPIDER_ERRORCOUNT": ("getint", 0),
    "AUTOTHROTTLE_START_DELAY": ("getfloat", 0),
    "AUTOTHROTTLE_MAX_DELAY": ("getfloat", 0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": ("getfloat", 0.01),
    "REDIRECT_MAX_TIMES": ("getint", 0),
    "DEPTH_LIMIT": ("getint", 0),
}
# The log levels Scrapy takes by name (Python's logging).
LOG_LEVELS = frozenset({"CRITICAL", "ERROR", "WARNING", "WARN", "INFO", "DEBUG", "NOTSET"})

# Boolean settings a user sets with -s (Scrapy reads 1/0, true/false, True/False).
BOOLEAN_SETTINGS = (
    "METINFO_FULL_CHECK",
    "METINFO_FULL_EXPORT",
    "METINFO_MIRROR_IGNORE_ROBOTS",
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "COOKIES_ENABLED",
)


def log_level_problem(level: Any) -> str | None:
    """Why ``LOG_LEVEL`` is no level Python's logging takes (a name in capitals, or a
    number), or None."""
    if isinstance(level, str) and level not in LOG_LEVELS and not level.isdigit():
        return f"setting LOG_LEVEL={level!r} is no log level: DEBUG, INFO, WARNING or ERROR"
    return None


def folder_problem(settings: Any) -> OSError | None:
    """The error of making the ``METINFO_WARC`` or ``METINFO_MIRROR`` folder (created here,
    as the run would), or None when both are unset or writable."""
    for name in ("METINFO_WARC", "METINFO_MIRROR"):
        folder = settings.get(name)
        if not folder or "://" in folder:
            continue
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            exc.filename = exc.filename or folder
            return exc
    return None


def os_reason(exc: OSError) -> str:
    """Why a folder could not be made or written, in the user's terms: a path that names a
    file where a folder is needed says so (mkdir answers "File exists" or "Not a
    directory"); other errors give the system's own words."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and exc.filename:
        path = Path(exc.filename)
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        if blocker.is_file():
            return f"{blocker} is a file, not a folder"
        return f"{blocker} is not a folder"  # (a device: /dev/full)
    return exc.strerror or str(exc)


def redis_problem(settings: Any) -> str | None:
    """With ``REDIS_URL``: a Redis that refuses its credentials, in one sentence (the
    password is not repeated); None when it accepts them or cannot be reached now (the
    workers wait for it, ``METINFO_REDIS_MAX_OUTAGE``)."""
    if not distributed.enabled(settings):
        return None
    try:
        distributed.connect(settings).ping()
    except (redis.AuthenticationError, redis.exceptions.NoPermissionError) as exc:
        return f"Redis refused the credentials in REDIS_URL ({exc})"
    except ValueError:  # redis-py's answer to a URL it cannot read
        return (
            "REDIS_URL is not a Redis URL (redis://[:password@]host[:port][/db],"
            " rediss:// for TLS, or unix:///path/to/socket)"
        )
    except (redis.RedisError, OSError):
        return None
    return None


def argument_problem(spider: str, urls: list[str], spargs: dict[str, str]) -> str | None:
    """What is wrong with the ``metinfo`` spider's arguments, in one sentence, or None.

    Checked before the crawl starts so that a typo is exit code 2 with a plain message, not
    a traceback: a start URL is required and must be http(s) with a host; ``lang``,
    ``columns`` and ``skip_columns`` name something when given; ``tz`` must be an IANA
    timezone name.
    """
    if spider != "metinfo":
        return None
    # An unknown argument first: -a urll=… is a typo of url, not a missing start URL.
    unknown = sorted(set(spargs) - SPIDER_ARGS)
    if unknown:
        return (
            f"unknown spider argument(s) {', '.join(unknown)}; the metinfo spider takes "
            f"{', '.join(sorted(SPIDER_ARGS - {'_job'}))}"
        )
    if not urls:
        return "give the start URL(s): -a url=http://site/ (comma-separated)"
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return f"start URL {url!r} is not an http(s) URL with a host (e.g. http://site/)"
    for name in ("lang", "columns", "skip_columns"):
        # -a lang= with nothing after it would crawl everything, as if not given
        if name in spargs and not str(spargs[name]).replace(",", "").strip():
            return f"-a {name}= names nothing: give a value (e.g. -a lang=cn) or leave it out"
    return timezone_problem(spargs.get("tz"), "timezone")


def timezone_problem(name: str | None, label: str) -> str | None:
    """``unknown <label> '<name>' ...`` when ``name`` is set and no IANA timezone; else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown {label} {name!r} (use an IANA name such as Asia/Shanghai)"
    return None


class Command(ScrapyCrawlCommand):
    """Run a spider like Scrapy's ``crawl``, then exit with the run's code.

    Before the crawl starts it takes the locks of :func:`crawler.locks.lock_paths`; when
    another run holds one, it prints which and exits with ``ExitCode.LOCKED`` (9) at once.
    After the crawl, the exit code is the one ``crawler.runs.RunOutcome`` put in the stats.
    """

    def short_desc(self) -> str:
        return "Run a spider; exit with its documented code (see README)"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            super().process_options(args, opts)
        except UsageError as exc:
            assert self.settings is not None
            formats = set(self.settings.getwithbase("FEED_EXPORTERS"))
            if (problem := output_format_problem(opts, str(exc), formats)) is None:
                raise
            print(f"not started: {problem} (exit code {ExitCode.USAGE})", file=sys.stderr)
            sys.exit(ExitCode.USAGE)
        # Scrapy sets its logging up with LOG_LEVEL before run(): a wrong level would end
        # the command there with a traceback.
        assert self.settings is not None
        if (problem := log_level_problem(self.settings.get("LOG_LEVEL"))) is not None:
            print(f"not started: {problem} (exit code {ExitCode.USAGE})", file=sys.stderr)
            sys.exit(ExitCode.USAGE)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. 'scrapy crawl metinfo'")
        assert self.settings is not None and self.crawler_process is not None
        if args and args[0] == "metinfo" and "timezone" in opts.spargs:
            # -a timezone=… as a sites file spells it: the spider's tz
            opts.spargs.setdefault("tz", opts.spargs.pop("timezone"))
        urls = [u.strip() for u in str(opts.spargs.get("url", "")).split(",") if u.strip()]
        problem = (
            argument_problem(args[0], urls, opts.spargs)
            or setting_problem(self.settings)
            or redis_problem(self.settings)
        )
        if problem:
            print(f"not started: {problem} (exit code {ExitCode.USAGE})", file=sys.stderr)
            self.exitcode = ExitCode.USAGE
            return
        if not self.settings.getdict("FEEDS") and not self.settings.get("REDIS_URL"):
            print(
                "warning: no output given (-O FILE.jsonl): the articles are read, not saved",
                file=sys.stderr,
            )
        # Checked before the locks: a run that never starts leaves no lock file behind.
        if args[0] not in self.crawler_process.spider_loader.list():
            known = ", ".join(sorted(self.crawler_process.spider_loader.list()))
            print(
                f"not started: no spider named {args[0]!r} (spiders: {known})"
                f" (exit code {ExitCode.FAILURE})",
                file=sys.stderr,
            )
            self.exitcode = ExitCode.FAILURE
            return
        try:
            unwritable = folder_problem(self.settings)
            if unwritable is not None:
                raise unwritable
            self._locks = acquire(lock_paths(self.settings, [site_root(u) for u in urls]))
        except LockHeld as exc:
            print(f"not started: {exc} (exit code {ExitCode.LOCKED})", file=sys.stderr)
            self.exitcode = ExitCode.LOCKED
            return
        except OSError as exc:  # the lock's folder cannot be made: output or state unwritable
            print(
                f"not started: cannot write {exc.filename or ''}: {os_reason(exc)}"
                f" (exit code {ExitCode.UNWRITABLE})",
                file=sys.stderr,
            )
            self.exitcode = ExitCode.UNWRITABLE
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        coalesce_repeated_signals(self.crawler_process)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = ExitCode.FAILURE
            return
        # No code recorded: the run never reached its end (a second SIGINT stops at once).
        self.exitcode = int(crawler.stats.get_value("metinfo/exit_code", ExitCode.INTERRUPTED))
