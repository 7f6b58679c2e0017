"""``scrapy crawlsites SITES.toml``: crawl every portal of a sites file, each in its own run."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.childproc import run_child_status
from crawler.commands.crawl import argument_problem, setting_problem
from crawler.runs import ExitCode

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Per-site keys of a sites file and the spider argument each becomes.
SPIDER_ARGS = {
    "lang": "lang",
    "timezone": "tz",
    "columns": "columns",
    "skip_columns": "skip_columns",
}
SITE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
HTTP = ("http://", "https://")


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _strings(value: Any) -> bool:
    return _string(value) or (isinstance(value, list) and all(map(_string, value)))


def _urls(value: Any) -> bool:
    urls = [value] if _string(value) else value
    return bool(urls) and _strings(urls) and all(u.startswith(HTTP) for u in urls)


def _seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


# Every key a [[site]] or [defaults] table may hold, with a test of its value and what the
# error says it expects; any other key (a typo such as `lnag`) or a value that fails its test
# stops the run before any site is crawled, as an unknown -a argument does.
KEY_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "name": (
        lambda v: _string(v) and bool(SITE_NAME_RE.match(v)),
        "letters, digits, '.', '_' or '-'",
    ),
    "url": (_urls, "one or more http(s) URLs (a string or a list of strings)"),
    "output": (_string, "a string"),
    "state": (_string, "a string"),
    "timeout": (_seconds, "a positive number of seconds"),
    "settings": (lambda v: isinstance(v, dict), "a table"),
    "timezone": (_string, "a string"),
    "lang": (_strings, "a string or a list of strings"),
    "columns": (_strings, "a string or a list of strings"),
    "skip_columns": (_strings, "a string or a list of strings"),
}
SITE_KEYS = frozenset(KEY_CHECKS)
# A site's crawl may not run longer than this (seconds; `timeout` per site overrides it).
DEFAULT_TIMEOUT = 6 * 3600


def load_sites(path: Path) -> list[dict[str, Any]]:
    """Read a sites file into one dict per site, defaults applied.

    Shape::

        [defaults]                      # optional, applies to every site
        output = "out/{name}/%(time)s.jsonl"
        state = "state/{name}"
        [defaults.settings]             # any Scrapy or METINFO_ setting
        DOWNLOAD_DELAY = 1

        [[site]]
        name = "scoda"                  # letters, digits, . _ -
        url = ["http://sh.scoda.com/"]  # a string or a list of start URLs
        lang = ["cn"]                   # optional: languages to keep
        timezone = "Asia/Shanghai"      # optional
        columns = ["新闻资讯"]          # optional: only these columns
        skip_columns = ["媒体聚焦"]     # optional
        [site.settings]                 # optional politeness or other overrides
        AUTOTHROTTLE_MAX_DELAY = 60

    ``{name}`` in ``output`` and ``state`` becomes the site's name.  Raises ``ValueError``
    with the offending site (or ``[defaults]``) for a missing or unknown key, a value of the
    wrong type or range (:data:`KEY_CHECKS`), or a top-level key other than these two tables.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if unknown := sorted(set(data) - {"defaults", "site"}):
        raise ValueError(
            f"unknown top-level key(s) {', '.join(unknown)}; a sites file takes a [defaults] "
            "table and [[site]] tables"
        )
    defaults = data.get("defaults", {})
    raw_sites = data.get("site", [])
    if not isinstance(defaults, dict):
        raise ValueError("'defaults' must be a table: [defaults]")
    if not isinstance(raw_sites, list) or not all(isinstance(s, dict) for s in raw_sites):
        raise ValueError("'site' must be tables with two brackets: [[site]]")
    check_table(defaults, "[defaults]")
    sites = []
    names = set()
    for index, raw in enumerate(raw_sites, 1):
        site = {**defaults, **raw}
        name = site.get("name")
        where = f"site {name}" if KEY_CHECKS["name"][0](name) else f"site {index}"
        check_table(raw, where)
        if name is None:
            raise ValueError(f"{where}: no 'name'")
        for key in ("url", "output"):
            if key not in site:
                raise ValueError(f"{where}: no '{key}' (set it per site or in [defaults])")
        if name in names:
            raise ValueError(f"site {name}: the name is used twice")
        names.add(name)
        site["settings"] = {**defaults.get("settings", {}), **raw.get("settings", {})}
        site["url"] = [site["url"]] if isinstance(site["url"], str) else site["url"]
        for key in ("output", "state"):
            if key in site:
                if (brace := PLACEHOLDER_RE.search(site[key].replace("{name}", ""))) is not None:
                    raise ValueError(
                        f"{where}: '{key}' = {site[key]!r} names {brace.group()}; the only"
                        " placeholder is {name}"
                    )
                site[key] = site[key].replace("{name}", name)
        sites.append(site)
    if not sites:
        raise ValueError("the sites file lists no [[site]]")
    # Two sites writing one output (or one state store) would overwrite each other, and the
    # store would record as exported what no file holds any more.
    for key in ("output", "state"):
        seen: dict[str, str] = {}
        for site in sites:
            if key in site:
                path = os.path.normpath(site[key])
                if path in seen:
                    raise ValueError(
                        f"site {site['name']}: '{key}' {site[key]!r} is site {seen[path]}'s too;"
                        ' give each site its own ("{name}" in the path does)'
                    )
                seen[path] = site["name"]
    return sites


# A placeholder other than {name} in an output or state path (a typo such as {nmae}).
PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")


def check_table(table: dict[str, Any], where: str) -> None:
    """Raise ``ValueError`` naming ``where`` (a site or ``[defaults]``), the key, the value
    given and what is expected, for an unknown key or a value that fails its
    :data:`KEY_CHECKS` test."""
    if unknown := sorted(set(table) - SITE_KEYS):
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; a [[site]] or [defaults] table "
            f"takes {', '.join(sorted(SITE_KEYS))}"
        )
    for key, value in table.items():
        check, expected = KEY_CHECKS[key]
        if not check(value):
            given = json.dumps(value, ensure_ascii=False, default=str)
            raise ValueError(f"{where}: '{key}' = {given}; expected {expected}")


def spider_args(site: dict[str, Any]) -> dict[str, str]:
    """The ``-a`` arguments of one site of :func:`load_sites` besides ``url`` (lists joined
    by commas; keys left empty are not passed)."""
    return {
        arg: ",".join(value) if isinstance(value, list) else str(value)
        for key, arg in SPIDER_ARGS.items()
        if (value := site.get(key))
    }


def site_problem(site: dict[str, Any], settings: Any) -> str | None:
    """What ``scrapy crawl`` would refuse with exit code 2 in one site of
    :func:`load_sites` (its start URLs, ``timezone``, and its ``settings`` over the project's
    ``settings``), in one sentence, or None: checked for every site before the first runs."""
    merged = settings.copy()
    merged.setdict(site["settings"], priority="cmdline")
    merged.set("FEEDS", {site["output"]: {"format": "jsonl"}}, priority="cmdline")
    if site.get("state"):
        merged.set("METINFO_STATE", site["state"], priority="cmdline")
    return argument_problem("metinfo", site["url"], spider_args(site)) or setting_problem(merged)


def crawl_args(site: dict[str, Any]) -> list[str]:
    """The ``scrapy crawl metinfo`` arguments for one site of :func:`load_sites`."""
    args = ["crawl", "metinfo", "-a", "url=" + ",".join(site["url"]), "-O", site["output"]]
    for arg, value in spider_args(site).items():
        args += ["-a", f"{arg}={value}"]
    if site.get("state"):
        args += ["-s", f"METINFO_STATE={site['state']}"]
    for key, value in site["settings"].items():
        args += ["-s", f"{key}={value}"]
    return args


class Command(ScrapyCommand):
    """Crawl each site of a sites file in its own ``scrapy crawl`` process, one after the
    other, so that one site's failure never stops the others.  Prints one line per site with
    its exit code and exits with 0 when all succeeded, else ``ExitCode.SITES_FAILED`` (11).
    """

    requires_project = True
    # Each site runs in its own `scrapy crawl` process: this one needs no crawler (nor its log).
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options] SITES.toml"

    def short_desc(self) -> str:
        return "Crawl every site of a sites file (TOML), each with its own state and output"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--only", default="", help="comma-separated site names to run")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one sites file")
        try:
            sites = load_sites(Path(args[0]))
        except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
            print(f"sites file {args[0]}: {exc}", file=sys.stderr)
            self.exitcode = ExitCode.USAGE
            return
        only = {n.strip() for n in opts.only.split(",") if n.strip()}
        for site in sites:
            if problem := site_problem(site, self.settings):
                print(f"sites file {args[0]}: site {site['name']}: {problem}", file=sys.stderr)
                self.exitcode = ExitCode.USAGE
                return
        results = []
        interrupted = False
        chosen = [site for site in sites if not only or site["name"] in only]
        for site in chosen:
            cmd = [sys.executable, "-m", "scrapy", *crawl_args(site)]
            timeout = float(site.get("timeout", DEFAULT_TIMEOUT))
            print(f"[{site['name']}] {' '.join(cmd[2:])}", flush=True)
            # SIGINT/SIGTERM (systemctl stop) reach the site's crawl, which stops cleanly;
            # the sites after it are not started.
            child = run_child_status(cmd, timeout=timeout)
            results.append((site["name"], child.code))
            if child.timed_out and not child.signalled:
                print(f"[{site['name']}] stopped after {timeout:g} s", file=sys.stderr)
            elif child.signalled or child.code == ExitCode.INTERRUPTED:
                # Asked to stop: this process got the signal, or the crawl was sent one.
                print(f"[{site['name']}] interrupted: the other sites are not crawled")
                interrupted = child.signalled
                break
        for name, code in results:
            print(f"{name}: exit code {code}")
        for site in chosen[len(results) :]:
            print(f"{site['name']}: not started")
        # Stopped by a signal (systemctl stop): 15, as a crawl's own; a site that only ran
        # into its timeout is a failed site (11).
        if interrupted:
            self.exitcode = ExitCode.INTERRUPTED
        else:
            self.exitcode = ExitCode.SITES_FAILED if any(code for _, code in results) else 0
