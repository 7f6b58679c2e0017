"""Metric 1: articles per second end to end on a generated site, politeness off.

Order: our crawl first, recording every page it fetched; then the server alone on those
pages (a plain HTTP client loop, its ceiling), the bare spider on them (the framework's
ceiling, with the project's reactor and with epoll), a spider that exports one small item
per page without parsing (the ceiling of any spider that exports), the trafilatura spider,
and in a full run our crawl, the bare spider and the item spider again (best of each counts:
a shared machine only ever makes a run slower).  Every rate divides the same article count
by wall seconds from process start to exit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import (
    EPOLL_REACTOR,
    ChildRun,
    Sizes,
    competitor_status,
    count_lines,
    ours_command,
    run_child,
    spider_command,
)
from bench.report import FAIL, INFO, PASS, Comparison, Report, Row
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import load_jsonl

GOAL_VS_BARE = 0.85
SCRAPY_ITEMS = 100  # Scrapy's own CONCURRENT_ITEMS, the extra row 1f (ours: 10)
LOAD_THREADS = 4


@dataclass
class Throughput:
    """What later metrics reuse: the site, our items, our peak RSS, the page list."""

    site: Site
    origin: str
    items: list[dict[str, Any]] = field(default_factory=list)
    ours_rss_mb: float | None = None
    ours_seconds: float | None = None
    pages: int = 0


def _rate(articles: int, run: ChildRun | None) -> float | None:
    if run is None or run.returncode not in (0,) or run.seconds <= 0:
        return None
    return articles / run.seconds


def _best(runs: list[ChildRun]) -> ChildRun | None:
    ok = [r for r in runs if r.returncode == 0]
    return min(ok, key=lambda r: r.seconds) if ok else None


def run(report: Report, sizes: Sizes, work: Path, *, competitors: bool) -> Throughput:
    """Measure and add rows 1a-1e; returns what metrics 3 and 5 reuse."""
    n = sizes.throughput_articles
    site = Site(SiteSpec(seed=1, articles=n))
    ours_runs: list[ChildRun] = []
    bare_runs: list[ChildRun] = []
    with SiteServer(site) as server:
        origin = server.origin
        result = Throughput(site=site, origin=origin)
        out = work / "throughput-ours.jsonl"
        ours_runs.append(run_child(ours_command(f"{origin}/", out), sizes.crawl_timeout))
        articles = count_lines(out)
        result.items = load_jsonl(out) if out.exists() else []
        # The pages our crawl fetched, robots.txt aside (every Scrapy crawl reads it itself).
        urls = [
            origin + r.path
            for r in server.requests
            if r.method == "GET" and r.status == 200 and r.path != "/robots.txt"
        ]
        result.pages = len(urls)
        url_file = work / "throughput-urls.txt"
        url_file.write_text("\n".join(urls) + "\n", encoding="utf-8")

        load = subprocess.run(
            [sys.executable, "-m", "bench.httpload", str(url_file), "--threads", str(LOAD_THREADS)],
            capture_output=True,
            text=True,
            timeout=sizes.crawl_timeout,
            check=False,
        )
        load_stats = json.loads(load.stdout) if load.returncode == 0 else None

        bare_args = (f"urls={url_file}",)
        bare_runs.append(run_child(spider_command("bare", None, *bare_args), sizes.crawl_timeout))
        item_out = work / "throughput-item.jsonl"
        item_runs = [run_child(spider_command("item", item_out, *bare_args), sizes.crawl_timeout)]
        epoll = run_child(
            spider_command(
                "bare", None, *bare_args, settings=(f"TWISTED_REACTOR={EPOLL_REACTOR}",)
            ),
            sizes.crawl_timeout,
        )
        if sizes.name == "full":  # second runs, interleaved
            out2 = work / "throughput-ours-2.jsonl"
            ours_runs.append(run_child(ours_command(f"{origin}/", out2), sizes.crawl_timeout))
            bare_runs.append(
                run_child(spider_command("bare", None, *bare_args), sizes.crawl_timeout)
            )
            item_runs.append(
                run_child(spider_command("item", item_out, *bare_args), sizes.crawl_timeout)
            )
        ours_epoll = ours_items100 = None
        if sizes.name == "full":
            out3 = work / "throughput-ours-epoll.jsonl"
            ours_epoll = run_child(
                ours_command(f"{origin}/", out3, f"TWISTED_REACTOR={EPOLL_REACTOR}"),
                sizes.crawl_timeout,
            )
            # With asyncio, Scrapy 2.13+ starts CONCURRENT_ITEMS (100) tasks per response
            # to process a callback's output (scrapy.utils.asyncio._parallel_asyncio).
            out4 = work / "throughput-ours-items100.jsonl"
            ours_items100 = run_child(
                ours_command(f"{origin}/", out4, f"CONCURRENT_ITEMS={SCRAPY_ITEMS}"),
                sizes.crawl_timeout,
            )
        traf: ChildRun | None = None
        traf_status = competitor_status("trafilatura", competitors)
        if not traf_status:
            traf_out = work / "throughput-trafilatura.jsonl"
            traf = run_child(
                spider_command("trafilatura", traf_out, *bare_args), sizes.crawl_timeout * 2
            )
            traf_status = "" if traf.returncode == 0 else f"failed (exit {traf.returncode})"

    ours = _best(ours_runs)
    bare = _best(bare_runs)
    result.ours_rss_mb = ours_runs[0].peak_rss_mb
    result.ours_seconds = ours.seconds if ours else None
    ours_rate, bare_rate = _rate(articles, ours), _rate(articles, bare)
    server_rate = articles / load_stats["seconds"] if load_stats else None
    epoll_rate = _rate(articles, epoll)
    item = _best(item_runs)
    item_rate = _rate(articles, item)
    traf_rate = _rate(articles, traf)
    site_note = f"{n:,}-article site, {len(urls):,} pages"
    report.add(
        Row(
            id="1a",
            metric=f"Server alone ({LOAD_THREADS} keep-alive client threads): its ceiling",
            unit="articles/s",
            ours=server_rate,
            goal="(ceiling)",
            status=INFO,
            note=site_note
            + (f", {load_stats['errors']} errors" if load_stats and load_stats["errors"] else ""),
        )
    )
    ratio = ours_rate / bare_rate if ours_rate and bare_rate else None
    report.add(
        Row(
            id="1b",
            metric="Articles/s end to end, ours vs a bare Scrapy spider (same pages, same "
            "settings, asyncio reactor)",
            unit="articles/s",
            ours=ours_rate,
            comparisons=[
                Comparison("bare spider", bare_rate),
                Comparison("server ceiling", server_rate),
            ],
            ratio=ratio,
            ratio_to="bare",
            goal=f"≥ {GOAL_VS_BARE:.2f}× bare",
            status=(PASS if ratio >= GOAL_VS_BARE else FAIL) if ratio else FAIL,
            note=f"{articles:,} articles exported" + (", best of 2" if len(ours_runs) > 1 else ""),
        )
    )
    report.add(
        Row(
            id="1c",
            metric="Articles/s end to end, ours vs a Scrapy spider handing each page to "
            "trafilatura",
            unit="articles/s",
            ours=ours_rate,
            comparisons=[Comparison("trafilatura spider", traf_rate, traf_status)],
            ratio=ours_rate / traf_rate if ours_rate and traf_rate else None,
            ratio_to="trafilatura spider",
            goal="(no goal set)",
            status=INFO,
        )
    )
    report.add(
        Row(
            id="1d",
            metric="Extra: bare spider with the epoll reactor vs the asyncio reactor",
            unit="articles/s",
            ours=epoll_rate,
            comparisons=[Comparison("bare, asyncio", bare_rate)],
            ratio=epoll_rate / bare_rate if epoll_rate and bare_rate else None,
            ratio_to="asyncio",
            goal="(information)",
            status=INFO,
            note="value is the bare spider's, not ours",
        )
    )
    if ours_epoll is not None:
        ours_epoll_rate = _rate(articles, ours_epoll)
        report.add(
            Row(
                id="1e",
                metric="Extra: ours with the epoll reactor vs ours with asyncio",
                unit="articles/s",
                ours=ours_epoll_rate,
                comparisons=[Comparison("ours, asyncio", ours_rate)],
                ratio=ours_epoll_rate / ours_rate if ours_epoll_rate and ours_rate else None,
                ratio_to="asyncio",
                goal="(information)",
                status=INFO,
            )
        )
    if ours_items100 is not None:
        items100_rate = _rate(articles, ours_items100)
        report.add(
            Row(
                id="1f",
                metric=f"Extra: ours with Scrapy's CONCURRENT_ITEMS={SCRAPY_ITEMS} (asyncio) vs"
                " the project's 10",
                unit="articles/s",
                ours=items100_rate,
                comparisons=[Comparison("ours, CONCURRENT_ITEMS=10", ours_rate)],
                ratio=items100_rate / ours_rate if items100_rate and ours_rate else None,
                ratio_to="ours",
                goal="(information)",
                status=INFO,
                note="value is with Scrapy's default, not ours",
            )
        )
    report.add(
        Row(
            id="1g",
            metric="Extra: a spider that parses nothing and exports one three-field item per "
            "page (JSON Lines) vs the bare spider: what yielding and exporting alone cost",
            unit="articles/s",
            ours=item_rate,
            comparisons=[Comparison("bare spider", bare_rate), Comparison("ours", ours_rate)],
            ratio=item_rate / bare_rate if item_rate and bare_rate else None,
            ratio_to="bare",
            goal="(information)",
            status=INFO,
            note="value is that spider's, not ours" + (", best of 2" if len(item_runs) > 1 else ""),
        )
    )
    report.details["throughput"] = {
        "articles": articles,
        "pages": len(urls),
        "server": load_stats,
        "ours_seconds": [r.seconds for r in ours_runs],
        "ours_exit": [r.returncode for r in ours_runs],
        "bare_seconds": [r.seconds for r in bare_runs],
        "bare_epoll_seconds": epoll.seconds,
        "item_seconds": [r.seconds for r in item_runs],
        "ours_epoll_seconds": ours_epoll.seconds if ours_epoll else None,
        "ours_concurrent_items_100_seconds": ours_items100.seconds if ours_items100 else None,
        "trafilatura_seconds": traf.seconds if traf else None,
        "peak_rss_mb": {
            "ours": ours_runs[0].peak_rss_mb,
            "bare": bare_runs[0].peak_rss_mb,
            "trafilatura": traf.peak_rss_mb if traf else None,
        },
    }
    return result
