"""The state store's in-memory view (``crawler.state.KnownIndex``) read back from SQLite."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from crawler.state import Known, KnownIndex, Seen, StateStore, content_key

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
