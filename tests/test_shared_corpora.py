"""Acceptance of issue 2: crawl each recorded MetInfo 7.2 site from its home; match its truth.

The corpora live in the shared folder beside the repository (or where ``METINFO_SHARED``
points); each is served at the port of its ``site.json`` base_url, because robots.txt,
sitemap.xml and truth.jsonl name that origin.  Without the folder, or with the port taken,
the test skips and says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.accuracy import compare, load_jsonl
from crawler.corpora import CORPUS_WARC, SHARED_ENV, find_shared
from crawler.replay import Archive, PortBusyError, ReplayServer, base_origin
from crawler.sample import crawl_command
from tests.support import assert_items_valid, forbidden_requests, report_text, run_crawl

CRAWL_TIMEOUT = 300  # seconds for one corpus crawl

# corpus -> the template family every item must be read by.  The donghu corpora use the
# default MetInfo 7 template (issue 2's acceptance: dynamic and pseudo-static URLs); the
# custom-a corpus is a custom template that only the generic fallback reads, and day2 is the
# pseudo-static site recorded again a day later (its issues come later; they pass today).
CORPORA = {
    "metinfo72-donghu": "metinfo7",
    "metinfo72-donghu-pseudo": "metinfo7",
    "metinfo72-custom-a": "generic",
    "metinfo72-donghu-pseudo-day2": "metinfo7",
}


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


def base_url(folder: Path) -> str:
    site = json.loads((folder / "site.json").read_text(encoding="utf-8"))
    return str(site["base_url"]).rstrip("/")


@pytest.mark.parametrize("name", list(CORPORA))
def test_home_page_crawl_exports_the_truth(name: str, tmp_path: Path) -> None:
    folder = corpus_dir(name)
    host, port = base_origin(folder)
    archive = Archive.load(folder)
    output = tmp_path / "articles.jsonl"
    try:
        server = ReplayServer(archive, host, port)
    except PortBusyError:
        pytest.skip(
            f"port {port} on {host} is busy, so {name} cannot be served at its base_url; "
            "stop whatever listens there and run again"
        )
    with server:
        start = base_url(folder) + "/"
        run = run_crawl(crawl_command(start, output), output, timeout=CRAWL_TIMEOUT)
        requests = server.requests
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    items: list[dict[str, Any]] = run.items

    truth = load_jsonl(folder / "truth.jsonl")
    report = compare(truth, items)
    assert report.ok, report_text(report)

    assert_items_valid(items)
    family = CORPORA[name]
    wrong_family = {i["url"]: i["template_family"] for i in items if i["template_family"] != family}
    assert wrong_family == {}, f"items not read by the {family} family"

    assert requests, "the replay server saw no request"
    assert forbidden_requests(requests) == []
    assert [r.path for r in requests if "&amp;" in r.path] == []
