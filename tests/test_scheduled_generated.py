"""Issue 4 on a generated site: scheduled runs with articles added, re-dated, edited in place
and deleted in between, in both URL modes; the exact sets each run exports and what it requests.

Per URL mode, one site and one state store go through five runs, in order:

1. first run: everything, revision 1;
2. after ``site.mutate(...)``: exactly the added and re-dated articles;
3. nothing changed since: nothing, and no article page;
4. ``METINFO_FULL_CHECK=1``: exactly the articles edited without a new displayed time;
5. ``METINFO_FULL_EXPORT=1``: every live article again, revisions as they stand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from bench.sitegen import Changes, Site, SiteServer, SiteSpec
from crawler.replay import LoggedRequest
from crawler.sample import crawl_command
from tests.support import assert_items_valid, run_crawl

CRAWL_TIMEOUT = 300  # seconds for one crawl of a 300-article site
# Our own loopback server: more requests in flight keep the runs short on a busy machine.
FAST = "CONCURRENT_REQUESTS_PER_DOMAIN=8"
# An article page in either URL mode: ``F/shownews.php?id=N[&lang=L]`` or ``F/N[-L].html``.
ARTICLE_RE = re.compile(
    r"^/[a-z]+/(?:shownews\.php\?id=(\d+)(?:&lang=\w+)?|(\d+)(?:-[a-z]+)?\.html)$"
)


@dataclass
class Run:
    returncode: int
    items: list[dict[str, Any]]
    requests: list[LoggedRequest]
    summary: dict[str, Any]
    log: str

    def revisions(self) -> dict[int, int]:
        return {int(item["article_id"]): item["revision"] for item in self.items}

    def article_requests(self) -> list[int]:
        """Ids of the article pages requested, one entry per request."""
        return [int(m[1] or m[2]) for r in self.requests if (m := ARTICLE_RE.match(r.path))]


@dataclass
class Scheduled:
    site: Site
    changes: Changes
    runs: dict[str, Run]

    @property
    def columns(self) -> int:
        return len(self.site.columns)

    @property
    def homes(self) -> int:
        return len(self.site.spec.languages)


@pytest.fixture(scope="module", params=["dynamic", "pseudo"])
def scheduled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Scheduled:
    mode = request.param
    site = Site(SiteSpec(seed=4, articles=300, languages=("cn", "en"), url_mode=mode))
    work = tmp_path_factory.mktemp(f"scheduled-{mode}")
    state = f"METINFO_STATE={work / 'state'}"
    runs: dict[str, Run] = {}
    # One server for every run: the state store keys the site by its root URL, port included.
    with SiteServer(site) as server:

        def crawl(name: str, *settings: str) -> None:
            server.reset_log()
            output = work / f"{name}.jsonl"
            cmd = crawl_command(f"{server.origin}/", output, state, FAST, *settings)
            run = run_crawl(cmd, output, timeout=CRAWL_TIMEOUT)
            summary_file = output.with_name(output.name + ".summary.json")
            summary = (
                json.loads(summary_file.read_text(encoding="utf-8"))
                if summary_file.exists()
                else {}
            )
            runs[name] = Run(run.returncode, run.items, server.requests, summary, run.log_tail())

        crawl("first")
        changes = site.mutate(added=6, edited_redated=4, edited_body_only=3, deleted=3)
        crawl("changed")
        crawl("unchanged")
        crawl("full_check", "METINFO_FULL_CHECK=1")
        crawl("full_export", "METINFO_FULL_EXPORT=1")
    return Scheduled(site, changes, runs)


def assert_ok(run: Run) -> None:
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log}"


def test_first_run_exports_every_article_as_revision_1(scheduled: Scheduled) -> None:
    run = scheduled.runs["first"]
    assert_ok(run)
    every = range(1, 301)
    assert run.revisions() == dict.fromkeys(every, 1)
    assert len(run.items) == 300
    assert run.summary["kind"] == "full"


def test_changed_site_exports_exactly_the_added_and_redated(scheduled: Scheduled) -> None:
    run, changes = scheduled.runs["changed"], scheduled.changes
    assert_ok(run)
    assert len(changes.added) == 6 and len(changes.redated) == 4
    expected = dict.fromkeys(changes.added, 1) | dict.fromkeys(changes.redated, 2)
    assert run.revisions() == expected
    assert len(run.items) == len(expected)
    assert_items_valid(run.items)
    truth = {r["id"]: r for r in (scheduled.site.record(i) for i in expected) if r}
    for item in run.items:
        record = truth[int(item["article_id"])]
        assert (item["title"], item["published_at"]) == (record["title"], record["published_iso"])
    counts = {k: run.summary.get(k) for k in ("kind", "new", "updated", "unchanged")}
    assert counts == {"kind": "incremental", "new": 6, "updated": 4, "unchanged": 0}


def test_changed_site_requests_stay_within_the_budget(scheduled: Scheduled) -> None:
    run, changes = scheduled.runs["changed"], scheduled.changes
    assert_ok(run)
    # Only the new and re-dated article pages: no unchanged (or deleted) one.
    assert sorted(run.article_requests()) == sorted(changes.added + changes.redated)
    columns, homes = scheduled.columns, scheduled.homes
    k = len(changes.added) + len(changes.redated)
    budget = columns + homes + 1 + 1 + k + columns  # robots.txt, one sitemap, one list page more
    assert len(run.requests) <= budget, [r.path for r in run.requests]
    assert [r.path for r in run.requests].count("/robots.txt") == 1
    assert [r.path for r in run.requests].count("/sitemap.xml") == 1


def test_unchanged_site_exports_nothing_and_reads_no_article(scheduled: Scheduled) -> None:
    run = scheduled.runs["unchanged"]
    assert_ok(run)
    assert run.items == []
    assert run.article_requests() == []
    sitemap = [r.status for r in run.requests if r.path == "/sitemap.xml"]
    assert sitemap == [304], "the sitemap is asked for with the validators of the last answer"
    assert len(run.requests) <= scheduled.columns + scheduled.homes + 1 + 1


def test_full_check_exports_exactly_the_body_only_edits(scheduled: Scheduled) -> None:
    run, changes = scheduled.runs["full_check"], scheduled.changes
    assert_ok(run)
    assert len(changes.body_only) == 3
    assert run.revisions() == dict.fromkeys(changes.body_only, 2)
    live = scheduled.site.article_count
    counts = {k: run.summary.get(k) for k in ("kind", "new", "updated", "unchanged")}
    assert counts == {"kind": "full", "new": 0, "updated": 3, "unchanged": live - 3}
    # Every live article was fetched and compared, and no deleted one was asked for.
    assert set(run.article_requests()) == set(scheduled.site.live_ids())


def test_deleted_articles_are_never_exported_after_the_first_run(scheduled: Scheduled) -> None:
    deleted = set(scheduled.changes.deleted)
    assert len(deleted) == 3
    for name in ("changed", "unchanged", "full_check", "full_export"):
        exported = set(scheduled.runs[name].revisions())
        assert exported.isdisjoint(deleted), f"run {name} exported deleted {exported & deleted}"


def test_full_export_exports_everything_with_unchanged_revisions(scheduled: Scheduled) -> None:
    run, changes = scheduled.runs["full_export"], scheduled.changes
    assert_ok(run)
    edited = set(changes.redated) | set(changes.body_only)
    expected = {i: 2 if i in edited else 1 for i in scheduled.site.live_ids()}
    assert run.revisions() == expected
    assert len(run.items) == len(expected)
    assert run.summary.get("updated") == 0
    # every one known and unchanged: exported again, none new (a fresh-user trial's full
    # export had counted them all as new)
    assert (run.summary["new"], run.summary["reexported"]) == (0, len(expected))
