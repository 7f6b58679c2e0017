"""The state store's in-memory view (``crawler.state.KnownIndex``) read back from SQLite,
and a run's observations waiting for their commit (``SeenLog``, ``RunLedger``)."""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from pathlib import Path

import pytest

from crawler.runs import RunLedger
from crawler.site import site_key
from crawler.state import Known, KnownIndex, Seen, SeenLog, StateStore, content_key

SITE = "127.0.0.1:8000"
NOW = "2026-11-30T03:00:00+00:00"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seen(article_id: str, published_at: str | None, body: str | None, revision: int = 1) -> Seen:
    return Seen(
        SITE,
        article_id,
        f"http://{SITE}/news/shownews.php?id={article_id}",
        digest(body) if body is not None else None,
        published_at,
        revision,
        body is not None,
    )


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    store = StateStore(tmp_path / "state")
    store.commit(
        [
            seen("10", "2021-05-27T15:14:37+08:00", "ten", 3),
            seen("9", "2021-05-26", "nine"),
            seen("100", None, "hundred"),
            seen("7", None, None),  # listed, never fetched
            seen("007", "2020-01-02T00:00:00+08:00", "zero-padded"),
            seen("a1", "2019-12-31", "letters", 2),
        ],
        NOW,
    )
    return store


def test_known_reads_back_every_article(store: StateStore) -> None:
    known = store.known(SITE)
    assert len(known) == 6
    assert sorted(known) == ["007", "10", "100", "7", "9", "a1"]
    assert known["10"] == Known("2021-05-27", content_key(digest("ten")), 3)
    assert known["9"] == Known("2021-05-26", content_key(digest("nine")), 1)
    assert known["100"] == Known(None, content_key(digest("hundred")), 1)
    assert known["7"] == Known(None, None, 0)
    # "007" is not the number 7: it is its own article.
    assert known["007"].day == "2020-01-02" and known["007"].same_content(digest("zero-padded"))
    assert known["a1"].revision == 2
    assert known.get("8") is None and known.get("10a") is None and "11" not in known
    assert store.known("other:80") == {}


def test_same_content_compares_the_digest(store: StateStore) -> None:
    known = store.known(SITE)
    assert known["10"].same_content(digest("ten"))
    assert not known["10"].same_content(digest("ten, edited"))
    assert not known["7"].same_content(digest(""))  # never fetched: nothing to compare


def test_rows_out_of_order_are_sorted() -> None:
    rows = [(str(n), f"2021-01-{n:02d}", digest(str(n)), n) for n in (5, 3, 9, 1)]
    for ordered in (True, False):
        index = KnownIndex.from_rows(rows, ordered=ordered)
        assert list(index) == ["1", "3", "5", "9"]
        assert index["3"] == Known("2021-01-03", content_key(digest("3")), 3)
        assert index.get("4") is None


def test_content_key_is_the_first_64_bits() -> None:
    assert content_key("00" * 8 + "ff" * 24) == 0
    assert content_key("ff" * 32) == -1
    assert content_key("7f" + "ff" * 31) == 2**63 - 1


# --- the run's observations (crawler.state.SeenLog, crawler.runs.RunLedger) ---------------


def test_seen_log_keeps_one_observation_per_article() -> None:
    log = SeenLog()
    log.put(seen("5", "2021-01-01", "five"))
    log.put_new(seen("6", None, None, revision=0))  # listed only
    log.put_new(seen("5", None, None, revision=0))  # listed after it was fetched: no change
    log.put(seen("6", "2021-01-02", "six"))  # fetched after it was listed: replaces
    log.mark_exported(SITE, "5", 4)
    log.mark_exported(SITE, "404", 1)  # never observed: nothing
    assert len(log) == 2
    observed = {s.article_id: s for s in log}
    assert "404" not in observed
    five = observed["5"]
    assert (five.content_hash, five.revision, five.exported) == (digest("five"), 4, True)
    assert five.published_at == "2021-01-01"
    six = observed["6"]
    assert (six.content_hash, six.published_at, six.revision) == (digest("six"), "2021-01-02", 1)
    assert [s.article_id for s in log] == ["5", "6"]
    log.close()
    log.close()


def test_a_run_ledger_writes_what_it_observed(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    ledger = RunLedger(store, "full")
    changed, revision = ledger.observe(SITE, "1", f"http://{SITE}/a?id=1", digest("one"), None)
    assert (changed, revision) == (True, 1)
    ledger.listed(SITE, "2", f"http://{SITE}/a?id=2")
    ledger.exported(SITE, "1", revision)
    assert ledger.commit(NOW) == 2
    assert ledger.commit(NOW) == 0  # once
    known = store.known(site_key(SITE))  # the ledger keys sites by crawler.site.site_key
    assert known["1"].revision == 1
    assert known["1"].same_content(digest("one"))
    assert known["2"].content_key is None
    again = RunLedger(store, "incremental")
    assert again.observe(SITE, "1", f"http://{SITE}/a?id=1", digest("one"), None) == (False, 1)
    assert again.observe(SITE, "1", f"http://{SITE}/a?id=1", digest("new"), None) == (True, 2)


def test_an_article_under_a_custom_file_name_is_known_by_that_name_too(tmp_path: Path) -> None:
    # The list names it news/expo2024 (crawler.site.named_article_ref), its generator meta
    # id 58: the next incremental run finds it known under the list's id, with its day,
    # and no earlier export is taken for a copy of it.
    store = StateStore(tmp_path / "state")
    ledger = RunLedger(store, "full")
    url, when = f"http://{SITE}/news/expo2024.html", "2024-09-12T14:00:00+08:00"
    ledger.observe(SITE, "58", url, digest("expo"), when)
    ledger.observe_name(SITE, "news/expo2024", url, digest("expo"), when)
    ledger.exported(SITE, "58", 1)
    ledger.commit(NOW)
    again = RunLedger(store, "incremental")
    assert again.unchanged(SITE, "news/expo2024", "2024-09-12")
    assert not again.unchanged(SITE, "news/expo2024", "2024-09-13")  # re-dated
    assert again.exported_duplicate(SITE, "58", digest("expo"), when) is None


def test_ids_with_content_finds_every_copy() -> None:
    rows = [
        ("12", "2021-01-01", digest("same"), 1),
        ("3", "2021-01-02", digest("same"), 1),
        ("5", None, digest("other"), 1),
        ("7", None, None, 0),  # listed, never fetched
        ("x", None, digest("same"), 1),
    ]
    index = KnownIndex.from_rows(rows)
    assert sorted(index.ids_with_content(digest("same"))) == ["12", "3", "x"]
    assert index.ids_with_content(digest("other")) == ["5"]
    assert index.ids_with_content(digest("absent")) == []


def test_a_run_ledger_finds_a_copy_an_earlier_run_exported(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    first = RunLedger(store, "full")
    when = "2021-05-27T15:14:37+08:00"
    url = f"http://{SITE}/news/shownews.php?id="
    first.observe(SITE, "1", url + "1", digest("one"), when)
    first.exported(SITE, "1", 1)
    first.observe(SITE, "2", url + "2", digest("two"), when)  # fetched, never exported
    first.commit(NOW)
    second = RunLedger(store, "incremental")
    assert second.exported_duplicate(SITE, "3", digest("one"), when) == url + "1"
    assert second.exported_duplicate(SITE, "1", digest("one"), when) is None  # itself
    assert second.exported_duplicate(SITE, "3", digest("one"), "2021-05-28") is None
    assert second.exported_duplicate(SITE, "3", digest("two"), when) is None
    # Fetched again by this run, unchanged: still the copy kept.
    second.observe(SITE, "1", url + "1", digest("one"), when)
    assert second.exported_duplicate(SITE, "3", digest("one"), when) == url + "1"
    # Edited since: no longer a copy of anything.
    second.observe(SITE, "1", url + "1", digest("one, edited"), when)
    assert second.exported_duplicate(SITE, "3", digest("one"), when) is None


def test_a_run_ledger_holds_its_observations_outside_python_memory() -> None:
    """20,000 fetched and exported articles cost a dict of Seen about 11 MB; the log keeps
    them in SQLite, whose page cache is bounded (2 MB by default)."""
    ledger = RunLedger(KnownOnly(), "full")
    gc.collect()
    tracemalloc.start()
    for i in range(20_000):
        url = f"http://{SITE}/news/shownews.php?id={i}"
        ledger.observe(SITE, str(i), url, digest(str(i)), "2021-05-27T15:14:37+08:00")
        ledger.exported(SITE, str(i), 1)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(ledger._seen) == 20_000
    assert held < 1_000_000, held


class KnownOnly:
    """A store that knows no article (all RunLedger.observe asks of it)."""

    def known(self, site: str) -> KnownIndex:
        return KnownIndex.from_rows([], ordered=True)
