"""Helpers shared by the tests: the item schema, strict JSON Lines reading, crawl subprocesses."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from crawler.accuracy import Report
from crawler.replay import LoggedRequest

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = REPO_ROOT / "crawler" / "schema" / "news_article.schema.json"
SAMPLE_SITE = REPO_ROOT / "samples" / "metinfo7-sample"


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of one exported item."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    """A draft 2020-12 validator of the item schema, checking formats it knows."""
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Every way ``item`` breaks the schema, as ``path: message`` lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}"
        for e in validator().iter_errors(item)
    ]


def assert_items_valid(items: Iterable[dict[str, Any]]) -> None:
    """Fail naming each item (by URL) that does not validate against the schema."""
    bad = {item.get("url", "?"): errs for item in items if (errs := schema_errors(item))}
    assert not bad, "items that break the schema:\n" + json.dumps(bad, ensure_ascii=False, indent=1)


def read_feed(path: Path) -> list[dict[str, Any]]:
    """Read a JSON Lines feed strictly: UTF-8 without BOM, one JSON object per line.

    Fails when the file is not UTF-8, starts with a BOM, escapes CJK characters as
    ``\\uXXXX`` (the feed must hold literal Chinese), or has a line that is not an object.
    """
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} starts with a UTF-8 BOM"
    text = raw.decode("utf-8")  # UnicodeDecodeError fails the test with the offset
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        assert not _escaped_cjk(line), f"line {number} escapes CJK text: {line[:200]}"
        item = json.loads(line)
        assert isinstance(item, dict), f"line {number} is not a JSON object"
        items.append(item)
    return items


def _escaped_cjk(line: str) -> bool:
    """True when a JSON line holds a ``\\uXXXX`` escape of a CJK character."""
    start = line.find("\\u")
    while start != -1:
        code = line[start + 2 : start + 6]
        # An escaped backslash before "u" is a literal backslash, not an escape.
        backslashes = len(line[:start]) - len(line[:start].rstrip("\\"))
        if backslashes % 2 == 0 and len(code) == 4:
            try:
                value = int(code, 16)
            except ValueError:
                value = -1
            if 0x2E80 <= value <= 0x9FFF or 0xF900 <= value <= 0xFAFF or 0xFF00 <= value <= 0xFFEF:
                return True
        start = line.find("\\u", start + 2)
    return False


def report_text(report: Report) -> str:
    """A readable account of what a comparison with the truth found wrong."""
    lines = [f"matched {report.matched}"]
    for name in ("missing", "extra", "duplicated"):
        values = getattr(report, name)
        if values:
            lines.append(f"{name}: {values}")
    for key, field, want, got in report.mismatches:
        lines.append(f"mismatch {key} {field}:\n  expected {want!r}\n  actual   {got!r}")
    return "\n".join(lines)


@dataclass
class CrawlRun:
    """A finished crawl subprocess: exit status, its logs and the items it wrote."""

    returncode: int
    stdout: str
    stderr: str
    items: list[dict[str, Any]]

    def log_tail(self, lines: int = 60) -> str:
        """The end of the crawl's stderr log, for failure messages."""
        return "\n".join(self.stderr.splitlines()[-lines:])


def run_crawl(cmd: list[str], output: Path, *, timeout: float) -> CrawlRun:
    """Run a crawl command from the repository root and read the feed it wrote.

    ``subprocess.TimeoutExpired`` propagates (the child is killed first), so a hung crawl
    fails the test instead of hanging it.
    """
    result = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    items = read_feed(output) if result.returncode == 0 and output.exists() else []
    return CrawlRun(result.returncode, result.stdout, result.stderr, items)


def forbidden_requests(requests: Iterable[LoggedRequest]) -> list[str]:
    """Paths of logged requests for hit counters or member pages (never to be requested)."""
    return [
        r.path for r in requests if "hits/" in r.path or "hits.php" in r.path or "member/" in r.path
    ]
