"""Packed sets and maps of crawler.compact against the dicts and sets they replace."""

from __future__ import annotations

import random
import sys
from collections import deque
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.compact import IdMap, IdSet, Int64Map, Int64Set, PackedQueue, StringTable, id_key
from crawler.dupefilters import CompactDupeFilter


def test_id_keys_keep_numeric_ids_apart_from_other_strings() -> None:
    assert id_key("1") == 2 and id_key("0") == 1
    assert id_key("007") != id_key("7")  # a zero-padded id is another id
    assert id_key("٣") != id_key("3")  # a non-ASCII digit is not a number here
    big = str(2**62)
    assert id_key(big) >= 2**62  # beyond the numeric range: hashed, still positive 63-bit
    assert all(2**62 <= id_key(s) < 2**63 for s in ("abc", "news-12", "", "0x10", big))
    assert id_key("news-12") == id_key("news-12")


def test_int64_map_behaves_as_a_dict_through_growth() -> None:
    rng = random.Random(7)
    table, reference = Int64Map(), {}
    keys = [rng.randrange(1, 2**63) for _ in range(5_000)] + list(range(1, 5_000))
    for key in keys:
        value = rng.randrange(-(2**63), 2**63)
        table[key] = value
        reference[key] = value
    assert len(table) == len(reference)
    assert all(table.get(k) == v for k, v in reference.items())
    assert sorted(table.items()) == sorted(reference.items())
    assert table.get(2**63 - 1) is None and (2**63 - 1) not in table
    assert table.add(12_345) is True and table.add(12_345) is False
    with pytest.raises(ValueError):
        table[0] = 1
    with pytest.raises(OverflowError):
        table[5] = 2**63


def test_id_map_costs_a_fraction_of_a_dict() -> None:
    ids, reference = IdMap(), {}
    for n in range(1, 100_001):
        ids[str(n)] = hash(f"http://h.cn/news/shownews.php?id={n}")
        reference[str(n)] = hash(f"http://h.cn/news/shownews.php?id={n}")
    ids["abc"] = 5
    assert len(ids) == 100_001 and ids.get("abc") == 5 and "abc" in ids and "abd" not in ids
    assert all(ids.get(k) == v for k, v in reference.items())
    per_entry = ids.nbytes() / len(ids)
    dict_cost = sys.getsizeof(reference) + sum(
        sys.getsizeof(k) + sys.getsizeof(v) for k, v in reference.items()
    )
    assert per_entry <= 32  # 16 bytes a slot, at least half full
    assert per_entry * 2 < dict_cost / len(reference)


def test_int64_set_behaves_as_a_set_and_stays_half_to_three_quarters_full() -> None:
    rng = random.Random(11)
    table, reference = Int64Set(), set()
    keys = [rng.randrange(1, 2**63) for _ in range(20_000)] + list(range(1, 20_000))
    for key in keys:
        assert table.add(key) is (key not in reference)
        reference.add(key)
        slots = table.nbytes() // 8
        assert len(table) * 4 <= 3 * slots  # never more than 3/4 full
        if slots > 64:
            assert len(table) * 2 >= slots - 2  # grown 1.5 times: at least half full
    assert len(table) == len(reference)
    assert all(k in table for k in reference)
    assert 0 not in table and (2**63 - 1) not in table and "1" not in table
    with pytest.raises(ValueError):
        table.add(-5)


def test_id_set_costs_a_quarter_of_a_dict_key() -> None:
    ids = IdSet()
    ids.update(str(n) for n in range(1, 50_001))
    assert ids.add("news2:3:cn") is True and ids.add("news2:3:cn") is False
    assert ids.add("7") is False and "49999" in ids and "50001" not in ids
    assert "news2:4:cn" not in ids and 7 not in ids
    assert len(ids) == 50_001
    assert ids.nbytes() / len(ids) <= 16  # 8 bytes a slot, at least half full


@pytest.mark.parametrize("spill", [False, True], ids=["in-ram", "spilled"])
def test_string_table_gives_back_what_it_was_given(spill: bool) -> None:
    table = StringTable(spill=spill)
    rows = [
        table.append("http://h.cn/news/shownews.php?id=1", "http://h.cn/"),
        table.append("http://other.cn/a.html", "http://h.cn/"),  # not under the prefix
        table.append("http://h.cn/新闻/1.html", "http://h.cn/"),
        table.append("", ""),
        table.append("http://h.cn/\udcff", "http://h.cn/"),  # a lone surrogate survives
    ]
    assert [table[r] for r in rows] == [
        "http://h.cn/news/shownews.php?id=1",
        "http://other.cn/a.html",
        "http://h.cn/新闻/1.html",
        "",
        "http://h.cn/\udcff",
    ]
    assert len(table) == 5
    # Reads between appends (a duplicate found mid-run) leave the later rows intact.
    more = [
        table.append(f"http://h.cn/news/shownews.php?id={n}", "http://h.cn/") for n in range(3000)
    ]
    assert table[more[1234]] == "http://h.cn/news/shownews.php?id=1234"
    last = table.append("http://h.cn/last", "http://h.cn/")
    assert [table[r] for r in (rows[2], more[-1], last)] == [
        "http://h.cn/新闻/1.html",
        "http://h.cn/news/shownews.php?id=2999",
        "http://h.cn/last",
    ]
    assert (table._file is not None) == spill and (len(table._blob) > 0) != spill


def test_compact_dupefilter_filters_as_scrapys_does_and_keeps_its_jobdir_file(
    tmp_path: Path,
) -> None:
    """Same answers as RFPDupeFilter on the same requests; the JOBDIR file it writes is read
    back by the next run (Scrapy's own format)."""
    urls = [f"http://h.cn/news/shownews.php?id={n % 700}" for n in range(1_000)]
    urls += ["http://h.cn/news/shownews.php?id=5&x=1", "http://h.cn/news/shownews.php?x=1&id=5"]
    ours, scrapys = CompactDupeFilter(str(tmp_path)), RFPDupeFilter()
    answers = [ours.request_seen(Request(u)) for u in urls]
    assert answers == [scrapys.request_seen(Request(u)) for u in urls]
    assert answers.count(False) == 701  # 700 ids and one more query form (the same URL twice)
    ours.close("finished")
    again = CompactDupeFilter(str(tmp_path))
    assert again.request_seen(Request(urls[3])) is True
    assert again.request_seen(Request("http://h.cn/news/shownews.php?id=9999")) is False
    again.close("finished")


def test_the_project_uses_the_compact_dupefilter() -> None:
    settings = get_project_settings()
    assert load_object(settings["DUPEFILTER_CLASS"]) is CompactDupeFilter


def test_packed_queue_is_a_fifo_of_what_it_was_given() -> None:
    queue, reference = PackedQueue(), deque()
    rng = random.Random(3)
    roots = ["http://h.cn/", "https://en.h.cn/", ""]
    popped, expected = [], []
    for n in range(30_000):
        root = rng.choice(roots)
        url = (root if n % 7 else "http://elsewhere.cn/") + f"news/shownews.php?id={n}&x=新"
        triple = (root, url, str(n) if n % 5 else f"id-{n}\\udcff")
        queue.append(*triple)
        reference.append(triple)
        if n % 3 == 0:  # pops interleaved: the buffer is cut back while in use
            popped.append(queue.popleft())
            expected.append(reference.popleft())
    assert len(queue) == len(reference)
    while reference:
        popped.append(queue.popleft())
        expected.append(reference.popleft())
    assert popped == expected
    assert len(queue) == 0
    with pytest.raises(IndexError):
        queue.popleft()
