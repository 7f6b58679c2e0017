"""The state store: what earlier runs saw and exported, per (site, article id), in SQLite.

Used only when ``METINFO_STATE=DIR`` is set (issue 4).  The database is ``DIR/state.sqlite``
in WAL mode with ``synchronous=FULL``: a crash during a write loses at most the transaction
being written, never the file.  A run's changes are written in one transaction at its end,
and only after its output file was completed, so the store never claims an article was
exported when the output does not hold it.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

DB_NAME = "state.sqlite"
# How far back StateStore.previous_run looks for a run it accepts (runs of one kind).
PREVIOUS_RUNS_SCANNED = 50

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL,
    article_id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT,
    published_at TEXT,
    revision INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_exported TEXT,
    PRIMARY KEY (site, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_site_kind ON runs (site, kind, id);
CREATE TABLE IF NOT EXISTS outputs (
    complete_name TEXT PRIMARY KEY,
    final_path TEXT NOT NULL,
    size_before INTEGER NOT NULL,
    mode TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
) WITHOUT ROWID;
"""


def content_key(content_hash: str) -> int:
    """The first 8 bytes of a SHA-256 hex digest as a signed 64-bit integer: what the store
    keeps in memory to tell whether an article changed (a false "unchanged" needs two
    different contents whose digests share 64 bits)."""
    return int.from_bytes(bytes.fromhex(content_hash[:16]), "big", signed=True)


@dataclass(frozen=True)
class Known:
    """What the store knows of one article: the ``YYYY-MM-DD`` of its displayed time (what
    list pages and sitemaps show; None when it had none), the :func:`content_key` of its last
    fetch (None: only listed, never fetched) and how many times it was exported."""

    day: str | None
    content_key: int | None
    revision: int

    def same_content(self, content_hash: str) -> bool:
        """True when ``content_hash`` (SHA-256 hex) is what the last fetch gave."""
        return self.content_key is not None and self.content_key == content_key(content_hash)


# A day (YYYY-MM-DD) packed as the integer YYYYMMDD; 0 for none.
def _pack_day(published_at: str | None) -> int:
    day = published_at[:10] if published_at else ""
    digits = day.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


def _unpack_day(packed: int) -> str | None:
    if not packed:
        return None
    text = f"{packed:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


class KnownIndex(Mapping[str, Known]):
    """What a store knows of one site, packed: 24 bytes an article for numeric ids.

    MetInfo article ids are integers (guide §1.2: ``shownews.php?id=N``), so they are kept in four
    parallel arrays sorted by id (id, day as YYYYMMDD, content key, revision; 8+4+8+4 bytes) and
    found by bisection; any other id (``"007"``, a non-number) goes to a plain dict.  Build
    it with :meth:`from_rows`; it is read-only.
    """

    def __init__(self) -> None:
        self._ids = array("q")
        self._days = array("i")
        self._keys = array("q")  # 0: never fetched (a real key of 0 only costs a refetch)
        self._revisions = array("i")
        self._other: dict[str, Known] = {}
        self._in_order = True
        self._by_key: array | None = None  # positions in content-key order, built on demand

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[str, str | None, str | None, int]], *, ordered: bool = False
    ) -> KnownIndex:
        """Index ``(article_id, published_at, content_hash, revision)`` rows.  ``ordered``:
        the numeric ids come in ascending order already (saves a sort of the rows)."""
        index = cls()
        numeric: list[tuple[int, str | None, str | None, int]] | None = None if ordered else []
        for article_id, published_at, digest, revision in rows:
            if article_id.isdigit() and str(int(article_id)) == article_id:
                row = (int(article_id), published_at, digest, revision)
                if numeric is None:
                    index._append(*row)
                else:
                    numeric.append(row)
            else:
                index._other[article_id] = Known(
                    published_at[:10] if published_at else None,
                    content_key(digest) if digest else None,
                    revision,
                )
        if numeric is not None:
            numeric.sort(key=lambda row: row[0])
            for row in numeric:
                index._append(*row)
        if not index._in_order:
            index._sort()
        index._trim()
        return index

    def _trim(self) -> None:
        """Drop the spare room arrays keep for appends (an eighth or so)."""
        for name in ("_ids", "_days", "_keys", "_revisions"):
            setattr(self, name, getattr(self, name)[:])

    def _sort(self) -> None:
        """Put the arrays in id order (rows said to be ordered were not)."""
        order = sorted(range(len(self._ids)), key=self._ids.__getitem__)
        for name in ("_ids", "_days", "_keys", "_revisions"):
            old = getattr(self, name)
            setattr(self, name, array(old.typecode, (old[i] for i in order)))
        self._in_order = True

    def _append(self, number: int, published_at: str | None, digest: str | None, rev: int) -> None:
        if self._ids and number <= self._ids[-1]:
            self._in_order = False
        self._ids.append(number)
        self._days.append(_pack_day(published_at))
        self._keys.append(content_key(digest) if digest else 0)
        self._revisions.append(rev)

    def __getitem__(self, article_id: str) -> Known:
        if article_id in self._other:
            return self._other[article_id]
        if not (article_id.isdigit() and str(int(article_id)) == article_id):
            raise KeyError(article_id)
        number = int(article_id)
        at = bisect_left(self._ids, number)
        if at == len(self._ids) or self._ids[at] != number:
            raise KeyError(article_id)
        return Known(
            _unpack_day(self._days[at]),
            self._keys[at] or None,
            self._revisions[at],
        )

    def __iter__(self) -> Iterator[str]:
        yield from (str(number) for number in self._ids)
        yield from self._other

    def ids_with_content(self, content_hash: str) -> list[str]:
        """The ids whose last fetch gave ``content_hash`` (SHA-256 hex; matched on its
        :func:`content_key`, so confirm the whole hash before acting on a match).

        The first call sorts the positions by content key (4 bytes an article, kept for
        the rest of the run); each call after that is a bisection.
        """
        key = content_key(content_hash)
        if self._by_key is None:
            self._by_key = array("i", sorted(range(len(self._keys)), key=self._keys.__getitem__))
        keys, order = self._keys, self._by_key
        at = bisect_left(order, key, key=keys.__getitem__)
        found = []
        while at < len(order) and keys[order[at]] == key:
            found.append(str(self._ids[order[at]]))
            at += 1
        found += [i for i, k in self._other.items() if k.content_key == key]
        return found

    def __len__(self) -> int:
        return len(self._ids) + len(self._other)


@dataclass(frozen=True)
class Seen:
    """One article observation of this run, written at commit.  ``exported`` is False for an
    article fetched but unchanged, or only listed; ``content_hash`` None when not fetched."""

    site: str
    article_id: str
    url: str
    content_hash: str | None
    published_at: str | None
    revision: int
    exported: bool


@dataclass(frozen=True)
class Stored:
    """One article as the store holds it: the URL, hash and time of its last fetch
    (``content_hash`` None when only listed) and whether any run exported it."""

    url: str
    content_hash: str | None
    published_at: str | None
    exported: bool


class SeenLog:
    """This run's observations (:class:`Seen`), one per (site, article id), kept in a
    private scratch SQLite database instead of Python objects.

    A run sees every article of a site once; as a dict of :class:`Seen` that cost about
    550 bytes of Python memory per article until the end of the run (11 MB at 20,000
    articles, tests/test_state.py).  Here RAM stays within SQLite's page cache (2 MB by
    default) and the rest waits in a temporary file that SQLite deletes itself (an empty
    file name opens one; sqlite.org/inmemorydb.html "Temporary Databases").  Nothing is
    durable: the log lives for one run, in one open transaction, and is read once by
    :meth:`StateStore.commit`.

    Raises ``sqlite3.Error`` when the temporary folder cannot be written.
    """

    _COLUMNS = ", ".join(f.name for f in fields(Seen))
    _INSERT = f"INSERT OR {{}} INTO seen ({_COLUMNS}) VALUES ({', '.join('?' * len(fields(Seen)))})"

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")  # a scratch file: nothing to roll back
        self.db.execute(
            "CREATE TABLE seen (site TEXT NOT NULL, article_id TEXT NOT NULL, url TEXT NOT NULL,"
            " content_hash TEXT, published_at TEXT, revision INTEGER NOT NULL,"
            " exported INTEGER NOT NULL, PRIMARY KEY (site, article_id))"
        )
        self.db.execute("BEGIN")  # one transaction for the run: no write per statement

    def put(self, seen: Seen) -> None:
        """Record ``seen``, replacing an earlier observation of the same article."""
        self.db.execute(self._INSERT.format("REPLACE"), astuple(seen))

    def put_new(self, seen: Seen) -> None:
        """Record ``seen`` unless the article was already observed."""
        self.db.execute(self._INSERT.format("IGNORE"), astuple(seen))

    def content_hash(self, site: str, article_id: str) -> str | None:
        """The hash this run fetched for the article (None: not fetched, or not seen)."""
        row = self.db.execute(
            "SELECT content_hash FROM seen WHERE site=? AND article_id=?", (site, article_id)
        ).fetchone()
        return row[0] if row else None

    def mark_exported(self, site: str, article_id: str, revision: int) -> None:
        """The article reached the output with ``revision`` (nothing when never observed)."""
        self.db.execute(
            "UPDATE seen SET revision=?, exported=1 WHERE site=? AND article_id=?",
            (revision, site, article_id),
        )

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM seen").fetchone()[0])

    def __iter__(self) -> Iterator[Seen]:
        """Every observation, in the order first recorded (replaced ones last)."""
        cursor = self.db.execute(f"SELECT {self._COLUMNS} FROM seen ORDER BY rowid")
        while rows := cursor.fetchmany(1000):
            for *row, exported in rows:
                yield Seen(*row, bool(exported))

    def close(self) -> None:
        """Drop the log and its file (idempotent)."""
        self.db.close()


class StateStore:
    """The SQLite store in ``directory`` (created if missing).

    Raises ``sqlite3.Error`` or ``OSError`` when the folder or database cannot be written.
    ``shared`` is False: one process writes its whole view of the site.
    """

    shared = False

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / DB_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the database (idempotent)."""
        self.db.close()

    def settle_kind(self, kind: str) -> str:
        """The run's kind: ``kind`` (one process decides alone)."""
        return kind

    def known(self, site: str) -> KnownIndex:
        """Every article of ``site`` the store has seen, by MetInfo id."""
        rows = self.db.execute(
            "SELECT article_id, published_at, content_hash, revision FROM articles WHERE site=?"
            " ORDER BY length(article_id), article_id",
            (site,),
        )
        return KnownIndex.from_rows(rows, ordered=True)

    def article(self, site: str, article_id: str) -> Stored | None:
        """What the store holds of one article, or None."""
        row = self.db.execute(
            "SELECT url, content_hash, published_at, last_exported IS NOT NULL FROM articles"
            " WHERE site=? AND article_id=?",
            (site, article_id),
        ).fetchone()
        return Stored(row[0], row[1], row[2], bool(row[3])) if row else None

    def commit(
        self, seen: Iterable[Seen], now: str, output: tuple[str, str, int, str] | None = None
    ) -> int:
        """Write this run's observations in one transaction; returns rows written.

        ``output`` is ``(complete file name, final path, size before, mode)`` of the output
        this commit belongs to (see ``crawler.feeds``), written in the same transaction.

        A fetched article replaces the stored hash and time; an exported one also gets
        ``last_exported`` and its revision; a listed-only one just gets ``last_seen``.
        """
        rows = 0
        with self._transaction():
            if output is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO outputs (complete_name, final_path, size_before,"
                    " mode) VALUES (?,?,?,?)",
                    output,
                )
            for s in seen:
                rows += 1
                if s.content_hash is None:
                    self.db.execute(
                        "INSERT INTO articles (site, article_id, url, published_at, first_seen,"
                        " last_seen) VALUES (?,?,?,?,?,?) ON CONFLICT(site, article_id)"
                        " DO UPDATE SET last_seen=excluded.last_seen",
                        (s.site, s.article_id, s.url, s.published_at, now, now),
                    )
                    continue
                exported = now if s.exported else None
                self.db.execute(
                    "INSERT INTO articles (site, article_id, url, content_hash, published_at,"
                    " revision, first_seen, last_seen, last_exported) VALUES (?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(site, article_id) DO UPDATE SET url=excluded.url,"
                    " content_hash=excluded.content_hash, published_at=excluded.published_at,"
                    " revision=excluded.revision, last_seen=excluded.last_seen,"
                    " last_exported=COALESCE(excluded.last_exported, articles.last_exported)",
                    (
                        s.site,
                        s.article_id,
                        s.url,
                        s.content_hash,
                        s.published_at,
                        s.revision,
                        now,
                        now,
                        exported,
                    ),
                )
        return rows

    def committed_output(self, complete_name: str) -> tuple[str, int, str] | None:
        """(final path, size before, mode) of a committed output not yet put in place."""
        row = self.db.execute(
            "SELECT final_path, size_before, mode FROM outputs WHERE complete_name=?",
            (complete_name,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def forget_output(self, complete_name: str) -> None:
        """The output is in place: its commit record is no longer needed."""
        with self._transaction():
            self.db.execute("DELETE FROM outputs WHERE complete_name=?", (complete_name,))

    def record_run(
        self,
        site: str,
        kind: str,
        started: str,
        finished: str,
        exit_code: int,
        summary: dict[str, Any],
    ) -> None:
        """Append one run to the run history (used for drift checks and full-check timing)."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO runs (site, kind, started, finished, exit_code, summary)"
                " VALUES (?,?,?,?,?,?)",
                (site, kind, started, finished, exit_code, json.dumps(summary, ensure_ascii=False)),
            )

    def previous_run(
        self,
        site: str,
        kind: str,
        accept: Callable[[dict[str, Any]], bool] | None = None,
        scan: int = PREVIOUS_RUNS_SCANNED,
    ) -> dict[str, Any] | None:
        """The summary of the last run of ``kind`` for ``site`` (with ``accept``: the last
        one it accepts among the last ``scan`` runs of that kind), or None."""
        rows = self.db.execute(
            "SELECT summary FROM runs WHERE site=? AND kind=? ORDER BY id DESC LIMIT ?",
            (site, kind, 1 if accept is None else scan),
        )
        for (text,) in rows:
            summary: dict[str, Any] = json.loads(text)
            if accept is None or accept(summary):
                return summary
        return None

    def runs_since_full(
        self, site: str, kinds: tuple[str, ...] = ("full",)
    ) -> tuple[int, str | None]:
        """(runs since the last full run, when that full run finished) for ``site``; a full
        run is one whose history kind is in ``kinds`` (crawler.runs.full_kinds)."""
        marks = ",".join("?" * len(kinds))
        row = self.db.execute(
            f"SELECT id, finished FROM runs WHERE site=? AND kind IN ({marks})"
            " ORDER BY id DESC LIMIT 1",
            (site, *kinds),
        ).fetchone()
        last_id, finished = (row[0], row[1]) if row else (0, None)
        count = self.db.execute(
            "SELECT COUNT(*) FROM runs WHERE site=? AND id>?", (site, last_id)
        ).fetchone()[0]
        return count, finished

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored for ``url``, for a conditional GET."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM validators WHERE url=?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, items: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Store ``(url, etag, last_modified)`` triples."""
        with self._transaction():
            self.db.executemany(
                "INSERT INTO validators (url, etag, last_modified) VALUES (?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET etag=excluded.etag,"
                " last_modified=excluded.last_modified",
                list(items),
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
