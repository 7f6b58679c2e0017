"""``scrapy crawlsites SITES.toml``: crawl every portal of a sites file, each in its own run."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

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
# Every key a [[site]] or [defaults] table may hold; any other (a typo such as `lnag`)
# stops the run, as an unknown -a argument does.
SITE_KEYS = frozenset({"name", "url", "output", "state", "settings", "timeout", *SPIDER_ARGS})
SITE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
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
    with the offending site for a missing, malformed or unknown field.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    sites = []
    names = set()
    for index, raw in enumerate(data.get("site", []), 1):
        site = {**defaults, **raw}
        site["settings"] = {**defaults.get("settings", {}), **raw.get("settings", {})}
        name = site.get("name", "")
        if not SITE_NAME_RE.match(str(name)):
            raise ValueError(f"site {index}: 'name' must be letters, digits, '.', '_' or '-'")
        if unknown := sorted(set(site) - SITE_KEYS):
            raise ValueError(
                f"site {name}: unknown key(s) {', '.join(unknown)}; a site takes "
                f"{', '.join(sorted(SITE_KEYS))}"
            )
        if name in names:
            raise ValueError(f"site {name}: the name is used twice")
        names.add(name)
        urls = site.get("url")
        urls = [urls] if isinstance(urls, str) else urls
        if not urls or not all(
            isinstance(u, str) and u.startswith(("http://", "https://")) for u in urls
        ):
            raise ValueError(f"site {name}: 'url' must be one or more http(s) URLs")
        site["url"] = urls
        if "output" not in site:
            raise ValueError(f"site {name}: no 'output' (set it per site or in [defaults])")
        for key in ("output", "state"):
            if key in site:
                site[key] = str(site[key]).replace("{name}", name)
        sites.append(site)
    if not sites:
        raise ValueError("the sites file lists no [[site]]")
    return sites


def crawl_args(site: dict[str, Any]) -> list[str]:
    """The ``scrapy crawl metinfo`` arguments for one site of :func:`load_sites`."""
    args = ["crawl", "metinfo", "-a", "url=" + ",".join(site["url"]), "-O", site["output"]]
    for key, arg in SPIDER_ARGS.items():
        value = site.get(key)
        if value:
            value = ",".join(value) if isinstance(value, list) else str(value)
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
        results = []
        for site in sites:
            if only and site["name"] not in only:
                continue
            cmd = [sys.executable, "-m", "scrapy", *crawl_args(site)]
            timeout = float(site.get("timeout", DEFAULT_TIMEOUT))
            print(f"[{site['name']}] {' '.join(cmd[2:])}", flush=True)
            try:
                code = subprocess.run(cmd, check=False, timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                code = ExitCode.FAILURE
                print(f"[{site['name']}] stopped after {timeout:.0f} s", file=sys.stderr)
            results.append((site["name"], code))
        for name, code in results:
            print(f"{name}: exit code {code}")
        self.exitcode = ExitCode.SITES_FAILED if any(code for _, code in results) else 0
