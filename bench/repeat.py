"""Metric 4: requests of a repeat crawl, unchanged and after new and re-dated articles.

One generated site, served throughout; requests are counted by the server (robots.txt
included).  Ours keeps a state store (``METINFO_STATE``).  The plain Scrapy crawl is a
``CrawlSpider`` following every link (``bench/baselines/link_spider.py``): it has no state,
so every run is a full crawl.  ``scrapy-deltafetch`` is the same spider with its middleware,
which skips pages that yielded an item in an earlier run.

Sequence: ours first run (full), ours repeat (unchanged); plain crawl (unchanged);
deltafetch first and repeat runs (unchanged); ``site.mutate(added=10, edited_redated=5)``;
ours, deltafetch and plain again; then ``site.mutate(edited_body_only=5)`` and our full
check (``METINFO_FULL_CHECK=1``), whose cost is reported on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import (
    ChildRun,
    Sizes,
    competitor_status,
    ours_command,
    run_child,
    spider_command,
)
from bench.report import FAIL, NA, PASS, Comparison, Report, Row
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import load_jsonl

ADDED, REDATED, BODY_ONLY = 10, 5, 5
DELTAFETCH = '{"bench.baselines.deltafetch_async.AsyncDeltaFetch": 100}'


@dataclass
class Run:
    """One crawl: requests the server answered, the ids exported, the process."""

    requests: int
    ids: set[int]
    child: ChildRun

    @property
    def ok(self) -> bool:
        return self.child.returncode == 0


def _ids(items: list[dict[str, Any]]) -> set[int]:
    out = set()
    for item in items:
        value = str(item.get("article_id") or "")
        if value.isdigit():
            out.add(int(value))
    return out


def run(report: Report, sizes: Sizes, work: Path, *, competitors: bool) -> None:
    """Measure and add rows 4a-4d."""
    site = Site(SiteSpec(seed=2, articles=sizes.repeat_articles))
    columns = len(site.columns)
    state = work / "repeat-state"
    deltafetch_status = competitor_status("scrapy_deltafetch", competitors)
    has_deltafetch = not deltafetch_status
    runs: dict[str, Run] = {}
    with SiteServer(site, log=False) as server:
        url = f"{server.origin}/"

        def crawl(tag: str, cmd: list[str], out: Path) -> Run:
            server.reset_log()
            child = run_child(cmd, sizes.crawl_timeout)
            items = load_jsonl(out) if out.exists() else []
            runs[tag] = Run(server.request_count, _ids(items), child)
            return runs[tag]

        def ours(tag: str, *settings: str) -> Run:
            out = work / f"repeat-ours-{tag}.jsonl"
            return crawl(tag, ours_command(url, out, f"METINFO_STATE={state}", *settings), out)

        def link(tag: str, *, delta: bool) -> Run:
            out = work / f"repeat-{tag}.jsonl"
            settings: tuple[str, ...] = ()
            if delta:
                settings = (
                    f"SPIDER_MIDDLEWARES={DELTAFETCH}",
                    "DELTAFETCH_ENABLED=1",
                    f"DELTAFETCH_DIR={work / 'repeat-deltafetch'}",
                )
            return crawl(tag, spider_command("link", out, f"url={url}", settings=settings), out)

        ours("ours-first")
        ours("ours-unchanged")
        link("plain-unchanged", delta=False)
        if has_deltafetch:
            link("deltafetch-first", delta=True)
            link("deltafetch-unchanged", delta=True)
        changes = site.mutate(added=ADDED, edited_redated=REDATED)
        ours("ours-changed")
        if has_deltafetch:
            link("deltafetch-changed", delta=True)
        link("plain-changed", delta=False)
        body = site.mutate(edited_body_only=BODY_ONLY)
        ours("ours-full-check", "METINFO_FULL_CHECK=1")

    def requests(tag: str) -> float | None:
        r = runs.get(tag)
        return float(r.requests) if r is not None and r.ok else None

    def caught(tag: str, ids: list[int]) -> float | None:
        r = runs.get(tag)
        return float(len(set(ids) & r.ids)) if r is not None and r.ok else None

    def comp(name: str, tag: str, value: float | None, status: str = "") -> Comparison:
        if tag.startswith("deltafetch") and not has_deltafetch:
            return Comparison(name, None, deltafetch_status)
        r = runs.get(tag)
        if r is not None and not r.ok:
            return Comparison(name, None, f"failed (exit {r.child.returncode})")
        return Comparison(name, value, status)

    unchanged_goal = columns + 3
    ours_unchanged = requests("ours-unchanged")
    plain_unchanged = requests("plain-unchanged")
    report.add(
        Row(
            id="4a",
            metric=f"Requests of a repeat crawl of an unchanged {sizes.repeat_articles:,}-article "
            "site",
            unit="requests",
            ours=ours_unchanged,
            comparisons=[
                comp("plain Scrapy crawl", "plain-unchanged", plain_unchanged),
                comp("scrapy-deltafetch", "deltafetch-unchanged", requests("deltafetch-unchanged")),
            ],
            ratio=ours_unchanged / plain_unchanged if ours_unchanged and plain_unchanged else None,
            ratio_to="plain",
            goal=f"≤ columns + 3 = {unchanged_goal}",
            status=NA
            if ours_unchanged is None
            else (PASS if ours_unchanged <= unchanged_goal else FAIL),
            note=f"{columns} columns; first run {runs['ours-first'].requests:,} requests",
        )
    )
    changed_goal = columns + ADDED + REDATED + 3
    ours_changed = requests("ours-changed")
    plain_changed = requests("plain-changed")
    ours_new = caught("ours-changed", changes.added)
    ours_redated = caught("ours-changed", changes.redated)
    all_caught = ours_new == ADDED and ours_redated == REDATED
    report.add(
        Row(
            id="4b",
            metric=f"Requests of a repeat crawl after {ADDED} new + {REDATED} edited (re-dated) "
            "articles",
            unit="requests",
            ours=ours_changed,
            comparisons=[
                comp("plain Scrapy crawl", "plain-changed", plain_changed),
                comp("scrapy-deltafetch", "deltafetch-changed", requests("deltafetch-changed")),
            ],
            ratio=ours_changed / plain_changed if ours_changed and plain_changed else None,
            ratio_to="plain",
            goal=f"≤ columns + new + edited + 3 = {changed_goal}",
            status=NA if ours_changed is None else (PASS if ours_changed <= changed_goal else FAIL),
        )
    )
    report.add(
        Row(
            id="4c",
            metric=f"Re-dated edits caught by that repeat crawl (of {REDATED}); new articles "
            f"exported (of {ADDED})",
            unit="",
            ours=ours_redated,
            comparisons=[
                comp(
                    "plain Scrapy crawl", "plain-changed", caught("plain-changed", changes.redated)
                ),
                comp(
                    "scrapy-deltafetch",
                    "deltafetch-changed",
                    caught("deltafetch-changed", changes.redated),
                ),
            ],
            goal=f"all {REDATED} re-dated and all {ADDED} new",
            status=NA if ours_redated is None else (PASS if all_caught else FAIL),
            note=f"new exported: {ours_new:.0f}/{ADDED}" if ours_new is not None else "",
        )
    )
    full_check = requests("ours-full-check")
    body_caught = caught("ours-full-check", body.body_only)
    report.add(
        Row(
            id="4d",
            metric=f"Full check (METINFO_FULL_CHECK=1) after {BODY_ONLY} body-only edits: its cost",
            unit="requests",
            ours=full_check,
            comparisons=[comp("plain Scrapy crawl", "plain-changed", plain_changed)],
            ratio=full_check / plain_changed if full_check and plain_changed else None,
            ratio_to="plain",
            goal=f"(reported separately) catches all {BODY_ONLY} body-only edits",
            status=NA if full_check is None else (PASS if body_caught == BODY_ONLY else FAIL),
            note=(
                f"caught {body_caught:.0f}/{BODY_ONLY}, "
                f"{runs['ours-full-check'].child.seconds:.0f} s"
                if body_caught is not None
                else ""
            ),
        )
    )
    report.details["repeat"] = {
        "columns": columns,
        "articles": sizes.repeat_articles,
        "changes": {
            "added": changes.added,
            "redated": changes.redated,
            "body_only": body.body_only,
        },
        "runs": {
            tag: {
                "requests": r.requests,
                "exported": len(r.ids),
                "exit": r.child.returncode,
                "seconds": round(r.child.seconds, 2),
                "redated_exported": sorted(set(changes.redated) & r.ids),
            }
            for tag, r in runs.items()
        },
    }
    json.dumps(report.details["repeat"])  # fail here, not at write time, on a bad value
