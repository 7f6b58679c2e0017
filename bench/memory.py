"""Metric 5: peak RSS of a full crawl of a large site, and bytes per article of the state.

Peak RSS is the crawl process's own high-water mark (``VmHWM``), compared with the same
crawl of metric 1's smaller site: memory bounded by the queue stays flat as the site grows.
A crawl that would run past the size's time bound is stopped by ``CLOSESPIDER_TIMEOUT``, and
the row says how far it got.

Bytes per article: a state store of N articles (``StateStore.commit``), then the RAM of the
index ``StateStore.known()`` returns (``tracemalloc``: every object it allocates) and the
SQLite file's size; against Scrapy's ``RFPDupeFilter`` holding N request fingerprints (RAM of
its set and the fingerprints in it, disk as its ``requests.seen`` under a JOBDIR).
"""

from __future__ import annotations

import gc
import hashlib
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter

from bench.harness import Sizes, count_lines, ours_command, run_child
from bench.report import FAIL, NA, PASS, Comparison, Report, Row
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.state import DB_NAME, Seen, StateStore

GOAL_PEAK_MB = 300.0
GOAL_FLAT = 1.25  # "flat": at most this growth from the smaller site to the larger one
GOAL_RAM_BYTES = 32.0
SITE = "http://127.0.0.1:8000/"


def _seen(n: int) -> Iterator[Seen]:
    for i in range(1, n + 1):
        d = i % 10
        yield Seen(
            site=SITE,
            article_id=str(i),
            url=f"{SITE}news/shownews.php?id={i}",
            content_hash=hashlib.sha256(str(i).encode()).hexdigest(),
            published_at=f"20{i % 10 + 15}-0{i % 9 + 1}-1{d}T1{d}:2{d}:3{d}+08:00",
            revision=1,
            exported=True,
        )


def state_store_bytes(n: int, work: Path) -> dict[str, float]:
    """RAM (``known()`` index) and disk (SQLite file) per article for ``n`` articles."""
    folder = work / "memory-state"
    store = StateStore(folder)
    store.commit(_seen(n), now="2026-01-01T00:00:00+00:00")
    gc.collect()
    tracemalloc.start()
    known = store.known(SITE)
    ram = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(known) == n
    del known
    store.close()  # the last connection checkpoints the WAL into the file
    disk = sum(p.stat().st_size for p in folder.iterdir() if p.name.startswith(DB_NAME))
    return {"ram": ram / n, "disk": disk / n}


def dupefilter_bytes(n: int, work: Path) -> dict[str, float]:
    """RAM (fingerprint set) and disk (``requests.seen``) per request of RFPDupeFilter.

    The set holds one ``bytes`` object per fingerprint and nothing else, so its RAM is the
    set's own size plus each fingerprint's (``sys.getsizeof``, which counts what
    ``tracemalloc`` would, without slowing a million ``Request`` constructions).
    """
    folder = work / "memory-jobdir"
    folder.mkdir(exist_ok=True)
    dupefilter = RFPDupeFilter(str(folder))
    for i in range(1, n + 1):
        dupefilter.request_seen(Request(f"{SITE}news/shownews.php?id={i}"))
    fingerprints = dupefilter._fingerprints  # the set itself; no public accessor
    ram = sys.getsizeof(fingerprints) + sum(sys.getsizeof(fp) for fp in fingerprints)
    dupefilter.close("finished")
    disk = (folder / "requests.seen").stat().st_size
    return {"ram": ram / n, "disk": disk / n}


def run(
    report: Report, sizes: Sizes, work: Path, *, smaller_rss: float | None, smaller_n: int
) -> None:
    """Measure and add rows 5a-5c."""
    n = sizes.memory_articles
    bound = int(sizes.crawl_timeout)
    site = Site(SiteSpec(seed=3, articles=n))
    with SiteServer(site, log=False) as server:
        out = work / "memory-ours.jsonl"
        child = run_child(
            ours_command(f"{server.origin}/", out, f"CLOSESPIDER_TIMEOUT={bound}"), bound + 300
        )
        requests = server.request_count
    exported = count_lines(out)
    complete = exported >= n and child.returncode == 0
    peak = child.peak_rss_mb if exported else None
    growth = peak / smaller_rss if peak and smaller_rss else None
    flat = growth is not None and growth <= GOAL_FLAT
    if complete:
        how = f"{exported:,} articles in {child.seconds / 60:.1f} min"
    else:
        how = (
            f"stopped at the {bound / 60:.0f}-min bound after {exported:,} of {n:,} articles "
            f"(exit {child.returncode}); a peak for part of the site"
        )
    report.add(
        Row(
            id="5a",
            metric=f"Peak RSS of a full crawl of a {n:,}-article site",
            unit="MB",
            ours=peak,
            comparisons=[Comparison(f"ours on {smaller_n:,} articles (metric 1)", smaller_rss)],
            ratio=growth,
            ratio_to=f"{smaller_n:,}-article crawl",
            goal=f"≤ {GOAL_PEAK_MB:.0f} MB and flat (≤ {GOAL_FLAT}× the smaller crawl)",
            status=NA
            if peak is None
            else (PASS if complete and peak <= GOAL_PEAK_MB and flat else FAIL),
            note=f"{how}, {requests:,} requests",
        )
    )
    entries = sizes.state_entries
    ours = state_store_bytes(entries, work)
    scrapy = dupefilter_bytes(entries, work)
    report.add(
        Row(
            id="5b",
            metric=f"RAM per seen article at {entries:,} articles: StateStore.known() index vs "
            "Scrapy's RFPDupeFilter fingerprint set",
            unit="B",
            ours=ours["ram"],
            comparisons=[Comparison("RFPDupeFilter", scrapy["ram"])],
            ratio=ours["ram"] / scrapy["ram"],
            ratio_to="RFPDupeFilter",
            goal=f"≤ {GOAL_RAM_BYTES:.0f} B",
            status=PASS if ours["ram"] <= GOAL_RAM_BYTES else FAIL,
        )
    )
    report.add(
        Row(
            id="5c",
            metric=f"Disk per seen article at {entries:,} articles: state.sqlite vs the "
            "dupefilter's JOBDIR requests.seen",
            unit="B",
            ours=ours["disk"],
            comparisons=[Comparison("RFPDupeFilter", scrapy["disk"])],
            ratio=ours["disk"] / scrapy["disk"],
            ratio_to="RFPDupeFilter",
            goal="(none set; the store also keeps hash, time, revision)",
            status="info",
        )
    )
    report.details["memory"] = {
        "crawl": {
            "articles": n,
            "exported": exported,
            "seconds": round(child.seconds, 1),
            "exit": child.returncode,
            "peak_rss_mb": child.peak_rss_mb,
            "requests": requests,
            "timed_out": child.timed_out,
        },
        "state_store": ours,
        "dupefilter": scrapy,
        "entries": entries,
    }
