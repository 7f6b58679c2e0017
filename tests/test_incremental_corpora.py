"""Issue 4 on real input: the donghu pseudo-static corpus crawled on day 1, then day 2 with the
same state store (what an editor changed is in day 2's ``changes.json``), then a full check,
then once more.

Both corpora are served at the port of their ``base_url`` (robots.txt, the sitemap and the
truth name that origin).  Without the shared folder, or with the port taken, the tests skip
and say why.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.accuracy import load_jsonl
from crawler.corpora import CORPUS_WARC, SHARED_ENV, find_shared
from crawler.replay import Archive, LoggedRequest, PortBusyError, ReplayServer, base_origin
from crawler.sample import crawl_command
from tests.support import assert_items_valid, run_crawl

DAY1 = "metinfo72-donghu-pseudo"
DAY2 = "metinfo72-donghu-pseudo-day2"
CRAWL_TIMEOUT = 300  # seconds for one crawl of a corpus

# Pseudo-static URL grammar of these corpora (site.json url_mode): homes ``/`` and
# ``/index-en.html``; list pages ``F/`` (a top column's first page) and ``F/list-C[-P][-en].html``.
HOME_RE = re.compile(r"^/(?:index(?:-[a-z]{2,3})?\.html)?$")
FOLDER_RE = re.compile(r"^/([a-z]+)/$")
LIST_RE = re.compile(r"^/[a-z]+/list-(\d+)(?:-(\d+))?(?:-[a-z]{2,3})?\.html$")


def corpus_dir(name: str) -> Path:
    """The corpus folder, or a skip naming what is missing."""
    shared = find_shared()
    if shared is None:
        pytest.skip(
            f"no shared corpora folder: put it at ../shared beside the repository or set "
            f"{SHARED_ENV} to its path"
        )
    folder = shared / "sites" / name
    if not (folder / CORPUS_WARC).is_file():
        pytest.skip(f"corpus {name} is not in the shared folder ({SHARED_ENV} or ../shared)")
    return folder


@dataclass
class Run:
    """One finished crawl: exit status, items, the replay server's request log, summary."""

    returncode: int
    items: list[dict[str, Any]]
    requests: list[LoggedRequest]
    summary: dict[str, Any]
    log: str

    def ids(self) -> list[int]:
        return sorted(int(item["article_id"]) for item in self.items)

    def revisions(self) -> dict[int, int]:
        return {int(item["article_id"]): item["revision"] for item in self.items}


@dataclass
class Corpora:
    day1: Path
    day2: Path
    truth1: list[dict[str, Any]]
    truth2: list[dict[str, Any]]
    changes: dict[str, Any]
    runs: dict[str, Run]

    @property
    def redated(self) -> set[int]:
        """Edited articles whose displayed time moved."""
        return {e["id"] for e in self.changes["details"]["edited"] if e["time_changed"]}

    @property
    def body_only(self) -> set[int]:
        """Edited articles whose displayed time stayed."""
        return {e["id"] for e in self.changes["details"]["edited"] if not e["time_changed"]}

    def article_ids(self) -> dict[str, int]:
        """Path of every URL form of every article of both days -> its id."""
        return {path_of(url): r["id"] for r in [*self.truth1, *self.truth2] for url in r["urls"]}


def path_of(url: str) -> str:
    """Path and query of an absolute URL, as the replay server logs a request."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Corpora:
    """Run the four crawls once for the module, in order, with one state store."""
    day1, day2 = corpus_dir(DAY1), corpus_dir(DAY2)
    host, port = base_origin(day1)
    assert base_origin(day2) == (host, port), "both days must be served at one origin"
    work = tmp_path_factory.mktemp("donghu")
    state = f"METINFO_STATE={work / 'state'}"

    def crawl(folder: Path, name: str, *settings: str) -> Run:
        try:
            server = ReplayServer(Archive.load(folder), host, port)
        except PortBusyError:
            pytest.skip(
                f"port {port} on {host} is busy, so {folder.name} cannot be served at its "
                "base_url; stop whatever listens there and run again"
            )
        output = work / f"{name}.jsonl"
        with server:
            cmd = crawl_command(f"http://{host}:{port}/", output, state, *settings)
            run = run_crawl(cmd, output, timeout=CRAWL_TIMEOUT)
            requests = server.requests
        summary_file = output.with_name(output.name + ".summary.json")
        summary = (
            json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        )
        return Run(run.returncode, run.items, requests, summary, run.log_tail())

    runs = {
        "day1": crawl(day1, "day1"),
        "day2": crawl(day2, "day2"),
        "full_check": crawl(day2, "full-check", "METINFO_FULL_CHECK=1"),
        "again": crawl(day2, "again"),
    }
    return Corpora(
        day1,
        day2,
        load_jsonl(day1 / "truth.jsonl"),
        load_jsonl(day2 / "truth.jsonl"),
        json.loads((day2 / "changes.json").read_text(encoding="utf-8")),
        runs,
    )


def columns_of(truth: list[dict[str, Any]]) -> set[int]:
    """Every news column of the site, parents included (class1 of a sub-column's article)."""
    return {r["column_id"] for r in truth} | {r["class1"] for r in truth}


def classify(corpora: Corpora, requests: list[LoggedRequest]) -> dict[str, Any]:
    """Sort a request log into robots, sitemaps, homes, list pages per column, articles."""
    articles = corpora.article_ids()
    top_of_folder = {r["folder"]: r["class1"] for r in corpora.truth2 if r["lang"] == "cn"}
    robots = Archive.load(corpora.day2)["/robots.txt"].body.decode("utf-8")
    sitemaps = {
        path_of(line.split(":", 1)[1].strip())
        for line in robots.splitlines()
        if line.lower().startswith("sitemap:")
    }
    found: dict[str, Any] = {
        "robots": [],
        "sitemaps": [],
        "homes": [],
        "lists": defaultdict(list),
        "articles": [],
        "other": [],
    }
    for request in requests:
        path = request.path
        if path == "/robots.txt":
            found["robots"].append(path)
        elif path in sitemaps:
            found["sitemaps"].append(path)
        elif HOME_RE.match(path):
            found["homes"].append(path)
        elif path in articles:
            found["articles"].append(articles[path])
        elif m := FOLDER_RE.match(path):
            found["lists"][top_of_folder.get(m[1], path)].append(1)
        elif m := LIST_RE.match(path):
            found["lists"][int(m[1])].append(int(m[2] or 1))
        else:
            found["other"].append(path)
    return found


def assert_ok(run: Run) -> None:
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log}"


# --- run 1: day 1 -------------------------------------------------------------------------------


def test_day1_exports_every_article_once_as_revision_1(corpora: Corpora) -> None:
    run = corpora.runs["day1"]
    assert_ok(run)
    truth_ids = {r["id"] for r in corpora.truth1}
    # The same article published under two ids (duplicate_keys) is exported once.
    key_of = {r["key"]: r["id"] for r in corpora.truth1}
    twins = {
        frozenset({r["id"], *(key_of[k] for k in r["duplicate_keys"])})
        for r in corpora.truth1
        if r["duplicate_keys"]
    }
    exported = set(run.ids())
    assert len(run.ids()) == len(exported), "an article was exported twice"
    for group in twins:
        assert len(group & exported) == 1, (
            f"of the duplicates {sorted(group)}: {sorted(group & exported)}"
        )
    assert exported | set().union(*twins) == truth_ids
    assert set(run.revisions().values()) == {1}
    assert run.summary["kind"] == "full"


# --- run 2: day 2, incremental ------------------------------------------------------------------


def test_day2_exports_exactly_the_added_and_the_redated_article(corpora: Corpora) -> None:
    run = corpora.runs["day2"]
    assert_ok(run)
    added = set(corpora.changes["added"])
    assert corpora.redated == {36}
    expected = {i: 1 for i in added} | {i: 2 for i in corpora.redated}
    assert run.revisions() == expected
    assert len(run.items) == len(expected)
    assert set(run.ids()).isdisjoint(corpora.changes["deleted"])
    assert_items_valid(run.items)
    truth = {r["id"]: r for r in corpora.truth2}
    for item in run.items:
        record = truth[int(item["article_id"])]
        assert (item["title"], item["published_at"]) == (record["title"], record["published_iso"])


def test_day2_requests_stay_within_the_budget(corpora: Corpora) -> None:
    run = corpora.runs["day2"]
    assert_ok(run)
    found = classify(corpora, run.requests)
    columns = columns_of(corpora.truth2)
    languages = {r["lang"] for r in corpora.truth2}
    k = set(corpora.changes["added"]) | corpora.redated

    assert found["other"] == [], "requests outside the budget"
    assert sorted(found["articles"]) == sorted(k)
    assert found["robots"] == ["/robots.txt"]
    assert found["sitemaps"] == ["/sitemap.xml"]
    assert len(found["homes"]) == len(set(found["homes"])) <= len(languages)
    lists = dict(found["lists"])
    assert set(lists) == columns, "every column's first list page, no other column"
    for column, pages in lists.items():
        assert pages.count(1) == 1, f"column {column}: first page requested {pages.count(1)} times"
        assert len(pages) <= 2, f"column {column}: pages {pages} (one more than the first at most)"
    budget = 1 + 1 + len(languages) + len(columns) + len(k) + len(columns)
    assert len(run.requests) <= budget, [r.path for r in run.requests]
    assert {r.status for r in run.requests} == {200}


# --- run 3: full check --------------------------------------------------------------------------


def test_full_check_exports_only_the_body_only_edit(corpora: Corpora) -> None:
    run = corpora.runs["full_check"]
    assert_ok(run)
    assert corpora.body_only == {30}
    assert run.revisions() == {30: 2}
    day1_body = next(i["body"] for i in corpora.runs["day1"].items if i["article_id"] == "30")
    assert run.items[0]["body"] != day1_body
    assert run.summary["kind"] == "full"


def test_full_check_names_the_deleted_article_as_unlisted(corpora: Corpora) -> None:
    """The article moved to the recycle bin is on no list or sitemap of day 2: the full
    check, which reads them all, names it; runs that read part of the site name nothing."""
    deleted = set(corpora.changes["deleted"])
    assert deleted == {37}
    url = next(r["url"] for r in corpora.truth1 if r["id"] in deleted)
    root = url[: url.index("/", len("http://")) + 1]
    assert corpora.runs["full_check"].summary["unlisted"] == {root: {"count": 1, "urls": [url]}}
    # the first run checked (a full one) and found nothing: nothing was known before
    assert corpora.runs["day1"].summary["unlisted"] == {root: {"count": 0, "urls": []}}
    assert corpora.runs["day2"].summary["unlisted"] == {}  # incremental: lists read in part


# --- run 4: nothing changed since -----------------------------------------------------------------


def test_run_after_the_full_check_exports_nothing_and_reads_no_article(corpora: Corpora) -> None:
    run = corpora.runs["again"]
    assert_ok(run)
    assert run.items == []
    found = classify(corpora, run.requests)
    columns = columns_of(corpora.truth2)
    languages = {r["lang"] for r in corpora.truth2}
    assert (found["articles"], found["other"]) == ([], [])
    assert dict(found["lists"]) == {column: [1] for column in columns}
    assert len(run.requests) <= 1 + 1 + len(languages) + len(columns)
    assert run.summary["exit_code"] == 0


# --- summaries ------------------------------------------------------------------------------------


def test_summaries_count_new_updated_unchanged(corpora: Corpora) -> None:
    live = len(corpora.truth2)
    added, redated = len(corpora.changes["added"]), len(corpora.redated)
    counts = {
        name: {
            k: corpora.runs[name].summary.get(k)
            for k in ("kind", "new", "updated", "unchanged", "exported")
        }
        for name in ("day2", "full_check", "again")
    }
    assert counts == {
        "day2": {
            "kind": "incremental",
            "new": added,
            "updated": redated,
            "unchanged": 0,
            "exported": added + redated,
        },
        # Every live article is fetched; all but the edited one are unchanged.
        "full_check": {
            "kind": "full",
            "new": 0,
            "updated": 1,
            "unchanged": live - 1,
            "exported": 1,
        },
        "again": {"kind": "incremental", "new": 0, "updated": 0, "unchanged": 0, "exported": 0},
    }
