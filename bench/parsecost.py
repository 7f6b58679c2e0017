"""Metric 2: parse cost per article page, p50 and p95, over the same generated pages.

Each page is rendered once and decoded (what ``response.text`` gives a spider); then, page by
page, every contender parses it in turn (lxml alone, ours, trafilatura, newspaper4k), so
that drift on a shared machine touches them alike.  The first pages are a warm-up, run but
not counted.  The outputs are kept: metric 3 scores them against the truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.extractors import CONTENDERS, as_dict, lxml_parse
from bench.harness import Sizes, competitor_status, percentile
from bench.report import FAIL, NA, PASS, Comparison, Report, Row
from bench.sitegen import Site

WARMUP = 10
GOAL_FLOOR = 3.0  # ours within 3x lxml's parse alone
GOAL_TRAFILATURA = 10.0  # and at least 10x faster than trafilatura


@dataclass
class Page:
    """One benchmark page: URL, language mark, decoded text."""

    url: str
    lang: str
    text: str


@dataclass
class ParseResult:
    """Per contender: milliseconds per page and the items, in page order (None: nothing)."""

    pages: list[Page]
    ms: dict[str, list[float]] = field(default_factory=dict)
    items: dict[str, list[dict[str, Any] | None]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)


def sample_pages(site: Site, origin: str, count: int) -> list[Page]:
    """``count`` article pages spread evenly over the site's ids, rendered now."""
    ids = list(site.live_ids())
    step = max(1, len(ids) // max(count, 1))
    pages = []
    for article_id in ids[::step][:count]:
        path = site.article_path(article_id)
        body = site.respond("GET", path, origin=origin).content()
        pages.append(Page(origin + path, site.article(article_id).lang, body.decode("utf-8")))
    return pages


def measure(pages: list[Page], *, competitors: bool) -> ParseResult:
    """Time every available contender on every page (warm-up pages first, not counted)."""
    result = ParseResult(pages)
    runners: list[tuple[str, Callable[[str, str, str], Any]]] = [("lxml", lxml_parse)]
    for name, module, fn in CONTENDERS:
        status = competitor_status(module, competitors) if module else ""
        if status:
            result.status[name] = status
        else:
            runners.append((name, fn))
    for name, _ in runners:
        result.ms[name] = []
        result.items[name] = []
        result.errors[name] = 0
    for page in pages[:WARMUP]:
        for _, fn in runners:
            try:
                fn(page.text, page.url, page.lang)
            except Exception:
                pass
    clock = time.perf_counter
    for page in pages:
        for name, fn in runners:
            start = clock()
            try:
                out = fn(page.text, page.url, page.lang)
            except Exception:
                out = None
                result.errors[name] += 1
            result.ms[name].append((clock() - start) * 1000)
            if name != "lxml":
                result.items[name].append(as_dict(out))
    return result


def add_rows(report: Report, result: ParseResult) -> None:
    """Rows 2a-2d: p50 and p95 against the floor and against trafilatura."""
    n = len(result.pages)

    def q(name: str, p: float) -> float | None:
        values = result.ms.get(name)
        return percentile(values, p) if values else None

    for row_id, label, p in (("a", "p50", 0.50), ("b", "p95", 0.95)):
        ours, floor = q("ours", p), q("lxml", p)
        comps = [Comparison("lxml parse alone", floor)]
        for name in ("trafilatura", "newspaper4k"):
            comps.append(Comparison(name, q(name, p), result.status.get(name, "")))
        ratio = ours / floor if ours and floor else None
        report.add(
            Row(
                id=f"2{row_id}",
                metric=f"Parse cost per article, {label}, ours vs lxml's parse alone (floor)",
                unit="ms",
                ours=ours,
                comparisons=comps,
                ratio=ratio,
                ratio_to="floor",
                goal=f"≤ {GOAL_FLOOR:g}× floor",
                status=(PASS if ratio <= GOAL_FLOOR else FAIL) if ratio else FAIL,
                note=f"{n:,} pages",
            )
        )
    for row_id, label, p in (("c", "p50", 0.50), ("d", "p95", 0.95)):
        ours, traf = q("ours", p), q("trafilatura", p)
        speedup = traf / ours if ours and traf else None
        report.add(
            Row(
                id=f"2{row_id}",
                metric=f"Parse cost per article, {label}, ours vs trafilatura.bare_extraction "
                "(with dates)",
                unit="ms",
                ours=ours,
                comparisons=[
                    Comparison("trafilatura", traf, result.status.get("trafilatura", "")),
                    Comparison(
                        "newspaper4k", q("newspaper4k", p), result.status.get("newspaper4k", "")
                    ),
                ],
                ratio=ours / traf if ours and traf else None,
                ratio_to="trafilatura",
                goal=f"≥ {GOAL_TRAFILATURA:g}× faster (≤ {1 / GOAL_TRAFILATURA:g}×)",
                status=(PASS if speedup >= GOAL_TRAFILATURA else FAIL) if speedup else NA,
                note=f"{speedup:.0f}× faster" if speedup else "",
            )
        )
    report.details["parse_cost"] = {
        "pages": n,
        "ms": {
            name: {
                "p50": percentile(v, 0.5),
                "p95": percentile(v, 0.95),
                "mean": sum(v) / len(v) if v else None,
            }
            for name, v in result.ms.items()
        },
        "errors": result.errors,
        "status": result.status,
    }


def run(report: Report, sizes: Sizes, site: Site, origin: str, *, competitors: bool) -> ParseResult:
    """Measure and add rows 2a-2d; returns the outputs for metric 3."""
    pages = sample_pages(site, origin, sizes.parse_pages)
    result = measure(pages, competitors=competitors)
    add_rows(report, result)
    return result
