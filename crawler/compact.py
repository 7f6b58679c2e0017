"""Compact in-memory sets and maps for what a crawl remembers of every article.

A Python dict of article-id strings costs 150-300 bytes an entry; a crawl of a large portal
keeps several (articles requested, ids listed, articles exported, request fingerprints), so
memory grew with the site instead of with the queue (bench metric 5a).  These keep each
entry as machine integers in ``array`` storage: an open-addressing hash table of 64-bit
keys (and values, for a map), 8 bytes a slot a column, between half and three quarters full.

MetInfo article ids are decimal integers (guide §1.2: ``shownews.php?id=N``, ``N.html``);
they are their own keys.  Any other id string is keyed by 62 bits of its BLAKE2b digest,
kept apart from the numeric keys; two such ids share a key with a chance of about 2^-62 per
pair.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from array import array
from collections.abc import Iterable, Iterator

# Numeric ids below this are keys as they are (plus one: 0 marks an empty slot).
NUMERIC_LIMIT = 1 << 62
_HASHED = 1 << 62  # hashed string keys live in [2^62, 2^63)
_MULTIPLIER = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads sequential ids over the table
_MASK64 = (1 << 64) - 1
_MIN_SLOTS = 64


def id_key(article_id: str) -> int:
    """The positive 63-bit key of an article id: ``int(id) + 1`` for a plain decimal id below
    2^62, else a hash of the string in ``[2^62, 2^63)``."""
    plain = article_id.isascii() and article_id.isdigit()
    if plain and (len(article_id) == 1 or article_id[0] != "0"):  # "007" is not "7"
        number = int(article_id)
        if number < NUMERIC_LIMIT - 1:
            return number + 1
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return _HASHED | (int.from_bytes(digest, "big") >> 2)


class Int64Set:
    """A set of positive 63-bit integers: an open-addressing table of 8-byte slots.

    The table is kept between 1/2 and 3/4 full (11-16 bytes an entry) by growing it 1.5
    times at a time, so its size follows the entries closely rather than in powers of
    two (a table of twice the slots costs twice the memory at every size just past one).
    Lookups and inserts probe linearly from a Fibonacci hash of the key, scaled to the
    table's size (Lemire's multiply-shift range reduction).  Entries are never removed.
    Raises ValueError for a key outside ``1 .. 2^63-1``.
    """

    __slots__ = ("_count", "_keys")

    def __init__(self) -> None:
        self._count = 0
        self._keys = array("q", bytes(8 * _MIN_SLOTS))

    def __len__(self) -> int:
        return self._count

    def _slot(self, key: int) -> int:
        """The slot holding ``key``, or the empty slot where it would go."""
        if key <= 0:
            raise ValueError(f"key {key} is not a positive 63-bit integer")
        keys = self._keys
        size = len(keys)
        slot = (((key * _MULTIPLIER) & _MASK64) * size) >> 64
        while True:
            found = keys[slot]
            if found == key or found == 0:
                return slot
            slot += 1
            if slot == size:
                slot = 0

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and key > 0 and self._keys[self._slot(key)] != 0

    def add(self, key: int) -> bool:
        """Insert ``key`` when absent; True when it was absent."""
        slot = self._slot(key)
        if self._keys[slot]:
            return False
        self._insert(slot, key)
        return True

    def _insert(self, slot: int, key: int) -> int:
        """Put the new ``key`` in its empty ``slot`` (growing first when the table is
        3/4 full); the slot it went to."""
        if (self._count + 1) * 4 > 3 * len(self._keys):
            self._grow()
            slot = self._slot(key)
        self._keys[slot] = key
        self._count += 1
        return slot

    def _grow(self) -> None:
        old = self._keys
        self._keys = array("q", bytes(8 * (len(old) * 3 // 2)))
        for key in old:
            if key:
                self._keys[self._slot(key)] = key

    def nbytes(self) -> int:
        """Bytes of the table's arrays (the object headers aside)."""
        return self._keys.itemsize * len(self._keys)


class Int64Map(Int64Set):
    """A map from positive 63-bit integer keys to signed 64-bit integer values: an
    :class:`Int64Set` with a value array beside its keys (16 bytes a slot, 21-32 bytes an
    entry).  Raises ValueError for a key outside ``1 .. 2^63-1`` and OverflowError for a
    value outside the signed 64-bit range.
    """

    __slots__ = ("_values",)

    def __init__(self) -> None:
        super().__init__()
        self._values = array("q", bytes(8 * _MIN_SLOTS))

    def get(self, key: int, default: int | None = None) -> int | None:
        """The value of ``key``, or ``default``."""
        slot = self._slot(key)
        return self._values[slot] if self._keys[slot] else default

    def __setitem__(self, key: int, value: int) -> None:
        slot = self._slot(key)
        if self._keys[slot] == 0:
            slot = self._insert(slot, key)
        self._values[slot] = value

    # add(key) is Int64Set's: an empty slot's value is always 0, so a key added gets 0.

    def items(self) -> Iterator[tuple[int, int]]:
        """Every ``(key, value)``, in no particular order."""
        for key, value in zip(self._keys, self._values, strict=True):
            if key:
                yield key, value

    def _grow(self) -> None:
        old_keys, old_values = self._keys, self._values
        size = len(old_keys) * 3 // 2
        self._keys = array("q", bytes(8 * size))
        self._values = array("q", bytes(8 * size))
        for key, value in zip(old_keys, old_values, strict=True):
            if key:
                slot = self._slot(key)
                self._keys[slot] = key
                self._values[slot] = value

    def nbytes(self) -> int:
        """Bytes of the two arrays (the object headers aside)."""
        return 2 * self._keys.itemsize * len(self._keys)


class IdSet:
    """A set of article ids, or of other strings such as list-page keys, in an
    :class:`Int64Set` (see :func:`id_key`: a non-numeric string is kept as 62 bits of its
    hash): ``add`` (True when new), ``update``, ``in`` and ``len`` as a set's."""

    __slots__ = ("_table",)

    def __init__(self) -> None:
        self._table: Int64Set = Int64Set()

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and id_key(article_id) in self._table

    def add(self, article_id: str) -> bool:
        return self._table.add(id_key(article_id))

    def update(self, article_ids: Iterable[str]) -> None:
        """Add every id of ``article_ids``."""
        for article_id in article_ids:
            self._table.add(id_key(article_id))

    def nbytes(self) -> int:
        """Bytes of the table's arrays."""
        return self._table.nbytes()


class IdMap(IdSet):
    """Article id strings to 64-bit integers, in an :class:`Int64Map` (see :func:`id_key`).

    ``ids[article_id] = value``, ``ids.get(article_id)``, ``article_id in ids``, ``len(ids)``
    and ``ids.add(article_id)`` (True when new) behave as a dict's and a set's do.
    """

    __slots__ = ()

    def __init__(self) -> None:
        self._table: Int64Map = Int64Map()

    def get(self, article_id: str, default: int | None = None) -> int | None:
        return self._table.get(id_key(article_id), default)

    def __setitem__(self, article_id: str, value: int) -> None:
        self._table[id_key(article_id)] = value


class _Prefixes:
    """Prefix strings (site roots) numbered in the order first seen."""

    __slots__ = ("_numbers", "_prefixes")

    def __init__(self) -> None:
        self._prefixes: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, prefix: str) -> int:
        """The number of ``prefix``, given it the first time."""
        number = self._numbers.get(prefix)
        if number is None:
            number = self._numbers[prefix] = len(self._prefixes)
            self._prefixes.append(prefix)
        return number

    def __getitem__(self, number: int) -> str:
        return self._prefixes[number]


class StringTable:
    """Append-only strings by row number, packed: their UTF-8 bytes in one buffer, and for
    each row a 4-byte prefix number and an 8-byte end offset.  A string that starts with a
    prefix given to :meth:`append` (a site root) is stored without it.

    ``table.append(text, prefix)`` returns the new row; ``table[row]`` gives the text back.
    With ``spill`` the bytes go to an unnamed temporary file instead of RAM (the operating
    system deletes it when the table is dropped or the process ends): for strings read
    back rarely, so that RAM keeps only the 12 bytes a row.  Raises ``OSError`` when the
    temporary folder cannot be written.
    """

    __slots__ = ("_blob", "_ends", "_file", "_prefixes", "_row_prefix", "_size")

    def __init__(self, *, spill: bool = False) -> None:
        self._blob = bytearray()
        self._file = tempfile.TemporaryFile() if spill else None
        self._size = 0
        self._ends = array("q")
        self._prefixes = _Prefixes()
        self._row_prefix = array("I")

    def __len__(self) -> int:
        return len(self._ends)

    def append(self, text: str, prefix: str = "") -> int:
        """Store ``text`` (without ``prefix`` when it starts with it); its row number."""
        if not text.startswith(prefix):
            prefix = ""
        number = self._prefixes.number(prefix)
        data = text[len(prefix) :].encode("utf-8", "surrogatepass")
        if self._file is None:
            self._blob += data
        else:
            self._file.write(data)  # buffered: a write to the file every 8 KiB or so
        self._size += len(data)
        self._ends.append(self._size)
        self._row_prefix.append(number)
        return len(self._ends) - 1

    def __getitem__(self, row: int) -> str:
        start, end = (self._ends[row - 1] if row > 0 else 0), self._ends[row]
        if self._file is None:
            data = bytes(self._blob[start:end])
        else:
            self._file.seek(start)
            data = self._file.read(end - start)
            self._file.seek(0, os.SEEK_END)  # appends go on at the end
        return self._prefixes[self._row_prefix[row]] + data.decode("utf-8", "surrogatepass")


class PackedQueue:
    """A first-in first-out queue of ``(prefix, text, tag)`` string triples, packed: one
    buffer of records (a 12-byte header, the UTF-8 of ``text`` without ``prefix`` when it
    starts with it, the UTF-8 of ``tag``), prefixes numbered once.  For article requests
    waiting for room in the window, (site root, URL, article id) costs about 50 bytes
    instead of about 250.

    ``queue.append(prefix, text, tag)``, ``queue.popleft()`` (IndexError when empty),
    ``len(queue)``.
    """

    __slots__ = ("_blob", "_count", "_prefixes", "_start")
    # Prefix number (its top bit set when the text was stored without the prefix), text
    # bytes, tag bytes.
    _HEADER = struct.Struct("<III")
    _STRIPPED = 1 << 31

    def __init__(self) -> None:
        self._blob = bytearray()
        self._start = 0
        self._count = 0
        self._prefixes = _Prefixes()

    def __len__(self) -> int:
        return self._count

    def append(self, prefix: str, text: str, tag: str) -> None:
        """Add a triple at the end."""
        number = self._prefixes.number(prefix)
        if prefix and text.startswith(prefix):
            text, number = text[len(prefix) :], number | self._STRIPPED
        body = text.encode("utf-8", "surrogatepass")
        label = tag.encode("utf-8", "surrogatepass")
        self._blob += self._HEADER.pack(number, len(body), len(label)) + body + label
        self._count += 1

    def popleft(self) -> tuple[str, str, str]:
        """The first triple, removed: ``(prefix, text, tag)`` as appended."""
        if not self._count:
            raise IndexError("pop from an empty PackedQueue")
        number, size, label_size = self._HEADER.unpack_from(self._blob, self._start)
        at = self._start + self._HEADER.size
        text = self._blob[at : at + size].decode("utf-8", "surrogatepass")
        tag = self._blob[at + size : at + size + label_size].decode("utf-8", "surrogatepass")
        self._start = at + size + label_size
        self._count -= 1
        if not self._count:
            self._blob.clear()
            self._start = 0
        elif self._start > 1 << 16 and self._start * 2 > len(self._blob):
            del self._blob[: self._start]  # the read part goes back to the allocator
            self._start = 0
        prefix = self._prefixes[number & ~self._STRIPPED]
        return prefix, (prefix + text if number & self._STRIPPED else text), tag
