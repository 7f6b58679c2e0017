"""Metric 3: field accuracy, ours against trafilatura and newspaper4k on the same pages.

Shared corpora (``<shared>/sites/*``): ours is a real crawl of the replayed site
(:func:`bench.accuracy.run_corpus`), the competitors get every truth article's recorded
page directly (no discovery to do, which only helps them).  Generated sites: ours is the
crawl of the whole site (metric 1's for the first), the competitors get a sample of its
pages (metric 2's for the first).  Every share divides by the truth articles (groups of
duplicates count once): an article a contender missed counts as wrong for every field.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse

from bench.accuracy import run_corpus
from bench.extractors import CONTENDERS
from bench.harness import Sizes, competitor_status, ours_command, run_child
from bench.parsecost import Page, ParseResult, measure, sample_pages
from bench.report import FAIL, NA, NOT_INSTALLED, PASS, Comparison, Report, Row
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import compare, load_jsonl
from crawler.corpora import corpus_dirs, find_shared
from crawler.replay import Archive, base_origin

SCORED = ("title", "published_at", "author", "source")
GOAL_EXACT = 99.5  # percent exactly right, per field
GOAL_F1 = 0.99
# A corpus is served on the port it was recorded on; when another program holds it, wait.
PORT_RETRIES, PORT_WAIT = 12, 10.0
NAMES = tuple(name for name, _, _ in CONTENDERS)


@dataclass
class Score:
    """Exact counts per field and the body F1 sum over ``groups`` truth articles."""

    groups: int = 0
    found: int = 0
    exact: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    f1_sum: float = 0.0

    def add(self, other: Score) -> None:
        self.groups += other.groups
        self.found += other.found
        for name in SCORED:
            self.exact[name] += other.exact[name]
        self.f1_sum += other.f1_sum

    def share(self, name: str) -> float | None:
        """Percent of truth articles with ``name`` exactly right."""
        return 100 * self.exact[name] / self.groups if self.groups else None

    @property
    def f1(self) -> float | None:
        """Mean body character F1 over the truth articles (a missing article scores 0)."""
        return self.f1_sum / self.groups if self.groups else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "found": self.found,
            **{f"{k}_pct": self.share(k) for k in SCORED},
            "body_f1": self.f1,
        }


def score(truth: list[dict[str, Any]], items: list[dict[str, Any]]) -> Score:
    """Compare ``items`` with ``truth`` (:func:`crawler.accuracy.compare`) and count."""
    report = compare(truth, items)
    result = Score(groups=report.matched + len(report.missing), found=report.matched)
    for name in SCORED:
        result.exact[name] = report.exact[name]
    result.f1_sum = sum(report.f1)
    return result


@dataclass
class SiteScores:
    """Scores of one corpus or generated site, per contender (absent: not run)."""

    name: str
    kind: str  # "shared" or "generated"
    scores: dict[str, Score] = field(default_factory=dict)
    note: str = ""


def _competitors_on(
    truth: list[dict[str, Any]], pages: list[Page], *, competitors: bool
) -> tuple[dict[str, Score], dict[str, str], list[dict[str, Any]]]:
    """Run every installed competitor on ``pages`` and score it against ``truth``; also
    returns ours on the same pages (items), for the details."""
    result = measure(pages, competitors=competitors)
    scores: dict[str, Score] = {}
    for name in NAMES:
        if name in result.items:
            items = [i for i in result.items[name] if i is not None]
            scores[name] = score(truth, items)
    return scores, result.status, [i for i in result.items.get("ours", []) if i]


def _truth_subset(truth: list[dict[str, Any]], pages: list[Page]) -> list[dict[str, Any]]:
    wanted = {p.url for p in pages}
    return [r for r in truth if r["url"] in wanted]


def shared_corpus(corpus: Path, work: Path, *, competitors: bool) -> SiteScores:
    """Crawl one recorded corpus with ours; give its truth pages to the competitors."""
    result = SiteScores(corpus.name, "shared")
    truth = load_jsonl(corpus / "truth.jsonl")
    crawl = run_corpus(corpus, work)
    for _ in range(PORT_RETRIES):  # the recorded port may be held by a test run meanwhile
        if not (crawl.skipped or "").startswith("port"):
            break
        time.sleep(PORT_WAIT)
        crawl = run_corpus(corpus, work)
    if crawl.skipped:
        result.note = f"ours: {crawl.skipped}"
    else:
        result.scores["ours"] = score(truth, load_jsonl(work / f"{corpus.name}.jsonl"))
    host, port = base_origin(corpus)
    origin = f"http://{host}:{port}"
    archive = Archive.load(corpus).with_origin(origin)
    pages = []
    for record in truth:
        parts = urlsplit(record["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        recorded = archive.lookup(target)
        if recorded is None or recorded.status != 200:
            continue
        response = HtmlResponse(
            url=record["url"],
            body=recorded.body,
            headers=dict(recorded.headers),
        )
        pages.append(Page(record["url"], record.get("lang", "cn"), response.text))
    others, status, _ = _competitors_on(truth, pages, competitors=competitors)
    result.scores.update({k: v for k, v in others.items() if k != "ours"})
    result.note = "; ".join(filter(None, [result.note, *(f"{k}: {v}" for k, v in status.items())]))
    return result


def generated_site(
    name: str,
    site: Site,
    origin: str,
    items: list[dict[str, Any]],
    parsed: ParseResult | None,
    pages: list[Page] | None,
    *,
    competitors: bool,
) -> tuple[SiteScores, dict[str, Any]]:
    """Score ours (a crawl's items, whole site) and the competitors (sample pages)."""
    result = SiteScores(name, "generated")
    truth = list(site.truth(origin))
    result.scores["ours"] = score(truth, items)
    if parsed is None:
        assert pages is not None
        parsed = measure(pages, competitors=competitors)
    sample_truth = _truth_subset(truth, parsed.pages)
    extra: dict[str, Any] = {"sample_pages": len(parsed.pages)}
    for contender in NAMES:
        if contender in parsed.items:
            got = [i for i in parsed.items[contender] if i is not None]
            scored = score(sample_truth, got)
            if contender == "ours":
                extra["ours_on_sample"] = scored.as_dict()
            else:
                result.scores[contender] = scored
    result.note = "; ".join(f"{k}: {v}" for k, v in parsed.status.items())
    return result, extra


def second_site(sizes: Sizes, work: Path, *, competitors: bool) -> tuple[SiteScores, dict]:
    """A pseudo-static cn+en site, crawled by ours; a page sample for the competitors."""
    site = Site(
        SiteSpec(
            seed=7,
            articles=sizes.second_site_articles,
            languages=("cn", "en"),
            url_mode="pseudo",
            list_page_size=8,
        )
    )
    with SiteServer(site, log=False) as server:
        out = work / "accuracy-second.jsonl"
        run = run_child(ours_command(f"{server.origin}/", out), sizes.crawl_timeout)
        items = load_jsonl(out) if out.exists() else []
        origin = server.origin
    pages = sample_pages(site, origin, sizes.second_site_pages)
    scores, extra = generated_site(
        f"generated {sizes.second_site_articles:,} articles, pseudo-static, cn+en",
        site,
        origin,
        items,
        None,
        pages,
        competitors=competitors,
    )
    if run.returncode != 0:
        scores.note = f"ours: crawl exit {run.returncode}; " + scores.note
    return scores, extra


def _pooled(sites: list[SiteScores], contender: str) -> tuple[Score | None, list[SiteScores]]:
    with_it = [s for s in sites if contender in s.scores]
    if not with_it:
        return None, []
    total = Score()
    for s in with_it:
        total.add(s.scores[contender])
    return total, with_it


def add_rows(
    report: Report, sites: list[SiteScores], kind: str, label: str, statuses: dict
) -> None:
    """Rows per field for one kind of site (shared corpora or generated), pooled."""
    group = [s for s in sites if s.kind == kind]
    ours, ours_sites = _pooled(group, "ours")
    prefix = "3" if kind == "shared" else "3g"
    for index, fld in enumerate((*SCORED, "body")):
        is_f1 = fld == "body"
        comps = []
        for name in NAMES[1:]:
            pooled, _ = _pooled(group, name)
            value = None
            if pooled is not None:
                value = pooled.f1 if is_f1 else pooled.share(fld)
            comps.append(
                Comparison(
                    name, value, "" if value is not None else statuses.get(name, NOT_INSTALLED)
                )
            )
        value = None
        worst = None
        if ours is not None:
            value = ours.f1 if is_f1 else ours.share(fld)
            per_site = [
                (s.scores["ours"].f1 if is_f1 else s.scores["ours"].share(fld)) for s in ours_sites
            ]
            worst = min((v for v in per_site if v is not None), default=None)
        goal_value = GOAL_F1 if is_f1 else GOAL_EXACT
        ok = worst is not None and worst >= goal_value
        traf = comps[0].value
        report.add(
            Row(
                id=f"{prefix}{'abcde'[index]}",
                metric=(
                    f"Body character F1, {label}" if is_f1 else f"{fld} exactly right, {label}"
                ),
                unit="F1" if is_f1 else "%",
                ours=value,
                comparisons=comps,
                ratio=value / traf if value is not None and traf else None,
                ratio_to="trafilatura",
                goal=(f"≥ {GOAL_F1}" if is_f1 else f"≥ {GOAL_EXACT}%") + " on every site",
                status=(PASS if ok else FAIL) if value is not None else NA,
                note=(
                    f"{ours.groups:,} articles, {len(ours_sites)} sites, worst site "
                    + (f"{worst:.4f}" if is_f1 else f"{worst:.2f}%")
                    if ours is not None and worst is not None
                    else "; ".join(f"{s.name}: {s.note}" for s in group if "ours:" in s.note)
                ),
            )
        )


def details_markdown(sites: list[SiteScores]) -> str:
    """Per site and contender: found/articles, each field's share, body F1."""
    head = ["site", "contender", "found", *SCORED, "body F1"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in sites:
        for name in NAMES:
            sc = s.scores.get(name)
            if sc is None:
                continue
            cells = [s.name, name, f"{sc.found}/{sc.groups}"]
            cells += [f"{sc.share(k):.2f}%" for k in SCORED]
            cells.append(f"{sc.f1:.4f}")
            lines.append("| " + " | ".join(cells) + " |")
        if s.note:
            lines.append(f"| {s.name} | ({s.note}) |" + " |" * (len(head) - 2))
    return "\n".join(lines)


def run(
    report: Report,
    sizes: Sizes,
    work: Path,
    *,
    site: Site,
    origin: str,
    items: list[dict[str, Any]],
    parsed: ParseResult,
    competitors: bool,
) -> None:
    """Score every shared corpus and the generated sites; add rows 3a-3e and 3ga-3ge."""
    sites: list[SiteScores] = []
    shared = find_shared()
    corpora = corpus_dirs(shared) if shared else []
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        for corpus in corpora:
            sites.append(shared_corpus(corpus, Path(tmp), competitors=competitors))
    first, extra1 = generated_site(
        f"generated {site.article_count:,} articles, dynamic, cn",
        site,
        origin,
        items,
        parsed,
        None,
        competitors=competitors,
    )
    sites.append(first)
    second, extra2 = second_site(sizes, work, competitors=competitors)
    sites.append(second)
    statuses = {}
    for name, module, _ in CONTENDERS:
        if module is not None:
            statuses[name] = competitor_status(module, competitors) or "failed"
    label_shared = f"shared corpora ({len(corpora)})" if corpora else "shared corpora (none found)"
    add_rows(report, sites, "shared", label_shared, statuses)
    add_rows(report, sites, "generated", "generated sites (2)", statuses)
    report.details["accuracy"] = {
        "sites": [
            {
                "name": s.name,
                "kind": s.kind,
                "note": s.note,
                "scores": {k: v.as_dict() for k, v in s.scores.items()},
            }
            for s in sites
        ],
        "generated_samples": [extra1, extra2],
    }
    report.details.setdefault("markdown", []).append(
        ("Field accuracy per site", details_markdown(sites))
    )
