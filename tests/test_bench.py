"""The benchmark harness (python -m bench --quick) runs and writes a complete table.

No timed assertions: the numbers depend on the machine; this only proves the harness works,
that every metric has its row and that measured rows carry numbers.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180  # seconds for the whole quick run
# Row ids every run must have: one or more per metric of issue 8.
EXPECTED_ROWS = {
    "1a", "1b", "1c", "1d", "1g",
    "2a", "2b", "2c", "2d",
    "3a", "3b", "3c", "3d", "3e", "3ga", "3gb", "3gc", "3gd", "3ge",
    "4a", "4b", "4c", "4d",
    "5a", "5b", "5c",
    "6a", "6b", "6c",
}  # fmt: skip


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out, proc.stdout


def test_quick_run_writes_markdown_and_json(quick_run: tuple[Path, str]) -> None:
    out, stdout = quick_run
    md = (out / "quick.md").read_text(encoding="utf-8")
    assert md.strip() == stdout.strip()  # the printed table is the written one
    assert "| # | metric | ours | compared with | ratio | goal | result |" in md
    data = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    assert data["mode"] == "quick"
    assert data["machine"]["cores"] >= 1
    assert data["machine"]["packages"]["scrapy"]


def test_every_metric_has_its_row(quick_run: tuple[Path, str]) -> None:
    out, _ = quick_run
    data = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    ids = [row["id"] for row in data["rows"]]
    assert set(ids) == EXPECTED_ROWS, sorted(set(ids) ^ EXPECTED_ROWS)
    assert len(ids) == len(set(ids))
    md = (out / "quick.md").read_text(encoding="utf-8")
    for row_id in EXPECTED_ROWS:
        assert f"\n| {row_id} | " in md


def test_measured_rows_carry_numbers(quick_run: tuple[Path, str]) -> None:
    out, _ = quick_run
    data = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    rows = {row["id"]: row for row in data["rows"]}
    for row_id, row in rows.items():
        if row["status"] == "pending":
            assert row["ours"] is None and row["note"].startswith("pending:")
            continue
        if row["status"] == "not measured" and row_id.startswith("6"):
            assert row["ours"] is None and row["note"]  # says why (no Redis, full runs only)
            continue
        if row_id.startswith("3") and "none found" in row["metric"]:
            continue  # no shared corpora on this machine: nothing to score
        assert isinstance(row["ours"], (int, float)), row
        assert math.isfinite(row["ours"]), row
        assert row["status"] in ("pass", "fail", "info", "not measured"), row
        for comparison in row["comparisons"]:
            value = comparison["value"]
            assert (value is None) == bool(comparison["status"]), comparison
            if value is not None:
                assert math.isfinite(value), comparison
    # Rows whose comparison is our own code or Scrapy are always measured.
    for row_id, name in (("1b", "bare spider"), ("1g", "bare spider"),
                         ("2a", "lxml parse alone"), ("4a", "plain Scrapy crawl"),
                         ("5b", "RFPDupeFilter")):  # fmt: skip
        values = {c["name"]: c["value"] for c in rows[row_id]["comparisons"]}
        assert isinstance(values[name], (int, float)), rows[row_id]
    assert rows["6c"]["ours"] is None  # 4 workers: full runs only


def test_competitor_rows_say_why_when_absent(quick_run: tuple[Path, str]) -> None:
    out, _ = quick_run
    data = json.loads((out / "quick.json").read_text(encoding="utf-8"))
    rows = {row["id"]: row for row in data["rows"]}
    for comparison in rows["2c"]["comparisons"]:
        if comparison["value"] is None:
            assert comparison["status"] in ("not installed", "skipped (run with --competitors)")
