"""Issue 5, offline re-extraction: the same items from the WARC of a crawl, and no network."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.accuracy import compare, load_jsonl
from crawler.corpora import CORPUS_WARC
from crawler.replay import Archive, ReplayServer
from crawler.sample import crawl_command
from crawler.warcreplay import (
    Capture,
    OrderedRelease,
    WarcSource,
    first_home,
    read_warcinfo,
    recorded_spider_args,
)
from tests.archiving import (
    CRAWL_TIMEOUT,
    MISSING_ARTICLE,
    archive_site,
    corpus_crawl,
    corpus_folder,
    iter_files,
    reextract_command,
    without,
)
from tests.support import REPO_ROOT, assert_items_valid, read_feed, report_text, run_crawl

T0 = datetime(2026, 11, 30, tzinfo=timezone.utc)


def capture(url: str, status: int, seconds: int) -> Capture:
    return Capture(url, status, "HTTP/1.1", (), b"", T0 + timedelta(seconds=seconds))


def test_recordings_of_one_url_are_served_in_order_and_the_last_repeats() -> None:
    source = WarcSource(
        [
            capture("http://h/a?x=1&y=2", 200, 2),
            capture("http://h/a?x=1&y=2", 503, 1),
            capture("http://h/b", 404, 3),
        ]
    )
    answers = [source.answer("http://h/a?x=1&y=2") for _ in range(3)]
    assert [a.status for a in answers if a] == [503, 200, 200]
    assert [a.index for a in answers if a] == [0, 1, 1]
    # Another spelling of the URL (canonical form, same host) has its own turn.
    same = [source.answer("http://h/a?y=2&x=1") for _ in range(2)]
    assert [a.status for a in same if a] == [503, 200]
    assert source.answer("http://other/a?x=1&y=2") is None
    assert source.answer("http://h/c") is None


def test_responses_are_released_in_recorded_order() -> None:
    order = OrderedRelease(lambda: True)
    try:
        late = order.wait(1)
        assert late is not None and not late.called
        assert order.wait(0) is None  # its turn: served, and the next one goes too
        assert late.called
        gap = order.wait(4)  # 2 and 3 are never asked for
        assert gap is not None and not gap.called
        for _ in range(10):
            order._tick()
        assert gap.called and order.skipped == 2
        assert order.wait(2) is None  # skipped already: served at once when it comes
    finally:
        order.stop()


# --- the sample site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return archive_site(tmp_path_factory.mktemp("site") / "site")


def test_reextraction_gives_the_live_crawls_items_with_no_network(
    site: Path, tmp_path: Path
) -> None:
    live_out, again_out = tmp_path / "live.jsonl", tmp_path / "again.jsonl"
    warc_dir = tmp_path / "warc"
    with ReplayServer(Archive.load(site)) as server:
        live = run_crawl(
            crawl_command(
                f"{server.origin}/",
                live_out,
                f"METINFO_WARC={warc_dir}",
                f"METINFO_MIRROR={tmp_path / 'mirror-live'}",
                "METINFO_MIRROR_IGNORE_ROBOTS=1",
                "METINFO_WARC_MAX_BYTES=30000",
            ),
            live_out,
            timeout=CRAWL_TIMEOUT,
        )
        assert live.returncode == 0, live.log_tail()
        served = server.request_count
        # The server stays up: any request re-extraction sent would reach it.
        warcs = sorted(warc_dir.glob("*.warc.gz"))
        again = run_crawl(
            reextract_command(warcs, again_out, f"METINFO_MIRROR={tmp_path / 'mirror-again'}"),
            again_out,
            timeout=CRAWL_TIMEOUT,
        )
        assert server.request_count == served, "re-extraction used the network"
    assert again.returncode == 0, again.log_tail()
    assert len(warcs) >= 2
    assert live.items and any(i["files"] for i in live.items)
    # The same items, fetched_at included (both are the recorded WARC-Date).
    assert without(again.items) == without(live.items)
    assert_items_valid(again.items)
    for kind in ("live", "again"):
        assert list(iter_files(tmp_path / f"mirror-{kind}"))
    tree = {p.relative_to(tmp_path / "mirror-live") for p in iter_files(tmp_path / "mirror-live")}
    assert tree == {
        p.relative_to(tmp_path / "mirror-again") for p in iter_files(tmp_path / "mirror-again")
    }
    assert "0 not in it" in again.stderr
    # The start URL and arguments came from the warcinfo record.
    info = read_warcinfo(warcs)
    assert recorded_spider_args(info) == {"url": f"{server.origin}/"}
    assert first_home(warcs) in (f"{server.origin}/", f"{server.origin}/index.php?lang=en")
    assert MISSING_ARTICLE not in {i["url"].removeprefix(server.origin) for i in again.items}


def test_a_url_not_in_the_archive_is_a_404(site: Path, tmp_path: Path) -> None:
    live_out = tmp_path / "live.jsonl"
    with ReplayServer(Archive.load(site)) as server:
        live = run_crawl(
            crawl_command(f"{server.origin}/", live_out, f"METINFO_WARC={tmp_path / 'warc'}"),
            live_out,
            timeout=CRAWL_TIMEOUT,
        )
        origin = server.origin
    assert live.returncode == 0, live.log_tail()
    output = tmp_path / "again.jsonl"
    wanted = f"{origin}/news/shownews.php?id=4242"
    result = subprocess.run(
        [
            *reextract_command(sorted((tmp_path / "warc").glob("*.gz")), output),
            "-a",
            f"url={wanted}",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    assert "'metinfo/reextract/not_archived': 1" in result.stderr
    assert wanted in result.stderr
    assert result.returncode == 6, result.stderr[-2000:]  # every article request failed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give one or more WARC files"),
        (["no-such-file.warc.gz"], "no such WARC file"),
        (["README.md"], "not a readable WARC"),
    ],
)
def test_bad_arguments_are_exit_code_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "reextract", *args, "-O", str(tmp_path / "x.jsonl")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr


# --- recorded corpora ----------------------------------------------------------------------------


def test_the_corpus_recording_itself_reextracts_to_its_truth(tmp_path: Path) -> None:
    """Another recorder's WARC (no warcinfo of ours): the start is its first home page."""
    folder = corpus_folder()
    output = tmp_path / "articles.jsonl"
    run = run_crawl(
        reextract_command([folder / CORPUS_WARC], output), output, timeout=CRAWL_TIMEOUT
    )
    assert run.returncode == 0, run.log_tail()
    report = compare(load_jsonl(folder / "truth.jsonl"), run.items)
    assert report.ok, report_text(report)


def test_reextracting_a_corpus_crawl_gives_its_items(tmp_path: Path) -> None:
    corpus = corpus_crawl()
    output = tmp_path / "again.jsonl"
    run = run_crawl(
        reextract_command(corpus.crawl.warcs(), output, f"METINFO_MIRROR={tmp_path / 'mirror'}"),
        output,
        timeout=CRAWL_TIMEOUT,
    )
    assert run.returncode == 0, run.log_tail()
    assert without(run.items) == without(corpus.items)
    assert read_feed(output)
    report = compare(load_jsonl(corpus.folder / "truth.jsonl"), run.items)
    assert report.ok, report_text(report)
