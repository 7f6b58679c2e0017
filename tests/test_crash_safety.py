"""Issue 4: ``kill -9`` a real ``scrapy crawl`` at several points, run the same command again
until it completes, and check that the outputs hold every article exactly once, never a
partial line, no leftover ``.part`` file, and that the state store agrees with them; plus the
append mode (``-o``): whole lines after a kill, and a torn tail cut off at the next start."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.feeds import repair_tail
from crawler.sample import crawl_command
from tests.support import REPO_ROOT

CRAWL_TIMEOUT = 300  # seconds for one complete crawl
WAIT_LIMIT = 120  # seconds to wait for a kill point before giving up
# Our own loopback server: many requests in flight, each answered after a small latency, so
# that a crawl lasts a few seconds however fast the machine.
SETTINGS = ("CONCURRENT_REQUESTS_PER_DOMAIN=16",)
ARTICLES = 500
LATENCY = 0.02
ARTICLE_RE = re.compile(r"/shownews\.php\?id=\d+")
MAX_FINAL_RUNS = 3


@dataclass
class Attempt:
    """One run of the command: where it was (to be) killed and what became of it."""

    name: str
    killed: bool
    returncode: int
    #: right after this run ended: article ids of all output files (whole lines), output
    #: files whose last line was partial, ids the state store says were exported
    outputs: Counter[str] = field(default_factory=Counter)
    torn: list[str] = field(default_factory=list)
    exported: set[str] = field(default_factory=set)


@dataclass
class CrashRuns:
    site: Site
    out: Path
    state: Path
    attempts: list[Attempt]


def output_files(folder: Path) -> list[Path]:
    """The feed files in ``folder`` (not the hidden ``.part`` and lock files, not summaries)."""
    return sorted(p for p in folder.glob("*.jsonl") if not p.name.startswith("."))


def read_whole_lines(path: Path) -> list[dict[str, object]]:
    """Items of a feed file, failing when its last line is partial or a line is not JSON."""
    raw = path.read_bytes()
    assert not raw or raw.endswith(b"\n"), f"{path.name} ends with a partial line: {raw[-80:]!r}"
    items = []
    for number, line in enumerate(raw.splitlines(), 1):
        try:
            items.append(json.loads(line))
        except ValueError:
            pytest.fail(f"{path.name} line {number} is not JSON: {line[:80]!r}")
    return items


def union_of(folder: Path) -> Counter[str]:
    """How many times each article id occurs over all output files."""
    return Counter(
        str(item["article_id"]) for path in output_files(folder) for item in read_whole_lines(path)
    )


def exported_in_state(state: Path) -> set[str]:
    """Article ids the state store records as exported (none when it was never written)."""
    db_path = state / "state.sqlite"
    if not db_path.exists():
        return set()
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT article_id FROM articles WHERE last_exported IS NOT NULL")
        return {row[0] for row in rows}
    finally:
        db.close()


def snapshot(out: Path, state: Path) -> tuple[Counter[str], list[str], set[str]]:
    """Article ids in the output files (whole lines), the files that end with a partial
    line, and the ids the state store records as exported."""
    ids: Counter[str] = Counter()
    torn = []
    for path in output_files(out) if out.exists() else []:
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            torn.append(path.name)
        for line in raw.splitlines(keepends=True):
            if line.endswith(b"\n"):
                ids[str(json.loads(line)["article_id"])] += 1
    return ids, torn, exported_in_state(state)


def start(cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    # The log goes to a file: an unread pipe would fill up and stall the crawl.
    with log.open("wb") as err:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=err)


def kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], pause: float) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it ended first."""
    deadline = time.monotonic() + WAIT_LIMIT
    while proc.poll() is None:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait(timeout=30)
            pytest.fail(f"the kill point was not reached in {WAIT_LIMIT} s")
        time.sleep(pause)
    return False


@pytest.fixture(scope="module")
def crash_runs(tmp_path_factory: pytest.TempPathFactory) -> CrashRuns:
    """Five runs killed at different points, then the same command until it exits 0."""
    work = tmp_path_factory.mktemp("crash")
    out, state = work / "out", work / "state"
    site = Site(SiteSpec(seed=9, articles=ARTICLES, latency=LATENCY))
    attempts: list[Attempt] = []
    with SiteServer(site) as server:
        # Scheduled-run form: one file per run, so no run overwrites another's items.
        cmd = crawl_command(
            f"{server.origin}/", out / "%(time)s.jsonl", f"METINFO_STATE={state}", *SETTINGS
        )

        def after_first_request(seconds: float) -> Callable[[], bool]:
            first: list[float] = []

            def ready() -> bool:
                if not first and server.request_count:
                    first.append(time.monotonic())
                return bool(first) and time.monotonic() - first[0] >= seconds

            return ready

        def articles_requested(count: int) -> Callable[[], bool]:
            return lambda: sum(1 for r in server.requests if ARTICLE_RE.search(r.path)) >= count

        def new_output() -> Callable[[], bool]:
            before = set(output_files(out)) if out.exists() else set()
            return lambda: out.exists() and bool(set(output_files(out)) - before)

        # (name, the kill condition made at the start of its run, seconds between checks)
        kill_points: list[tuple[str, Callable[[], Callable[[], bool]], float]] = [
            ("0.5 s", lambda: after_first_request(0.5), 0.01),
            # By progress, not time: a whole run takes about 3 s here, less on a fast day.
            ("a fifth asked for", lambda: articles_requested(ARTICLES // 5), 0.01),
            ("half asked for", lambda: articles_requested(ARTICLES // 2), 0.01),
            # Nearly done: all but the last few article pages asked for.
            ("near the end", lambda: articles_requested(ARTICLES - 5), 0.01),
            # The moment the finished output appears, before the run has ended.
            ("output renamed", new_output, 0.001),
        ]
        for number, (name, condition, pause) in enumerate(kill_points):
            server.reset_log()
            ready = condition()
            proc = start(cmd, work / f"kill-{number}.log")
            killed = kill_when(proc, ready, pause)
            attempts.append(Attempt(name, killed, proc.returncode, *snapshot(out, state)))
            time.sleep(1.0)  # the next run's %(time)s (whole seconds) must differ
        for number in range(MAX_FINAL_RUNS):
            log = work / f"final-{number}.log"
            with log.open("wb") as err:
                result = subprocess.run(
                    cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=err, timeout=CRAWL_TIMEOUT
                )
            attempts.append(
                Attempt(f"final {number + 1}", False, result.returncode, *snapshot(out, state))
            )
            if result.returncode == 0:
                break
            time.sleep(1.0)
    return CrashRuns(site, out, state, attempts)


def test_kills_hit_running_crawls_and_the_command_then_completes(crash_runs: CrashRuns) -> None:
    by_name = {a.name: a for a in crash_runs.attempts}
    for name in ("0.5 s", "a fifth asked for", "half asked for", "near the end"):
        attempt = by_name[name]
        assert attempt.killed and attempt.returncode == -signal.SIGKILL, (
            f"the run to kill at {name} ended by itself with {attempt.returncode}"
        )
    final = crash_runs.attempts[-1]
    assert final.name.startswith("final") and final.returncode == 0, [
        (a.name, a.returncode) for a in crash_runs.attempts
    ]


def test_union_of_outputs_holds_every_article_exactly_once(crash_runs: CrashRuns) -> None:
    union = union_of(crash_runs.out)
    live = {str(i) for i in crash_runs.site.live_ids()}
    assert set(union) == live
    twice = {k: n for k, n in union.items() if n > 1}
    assert twice == {}, f"{len(twice)} articles exported more than once"


def test_no_output_file_ever_has_a_partial_line(crash_runs: CrashRuns) -> None:
    assert {a.name: a.torn for a in crash_runs.attempts if a.torn} == {}
    files = output_files(crash_runs.out)
    assert files
    for path in files:
        read_whole_lines(path)


def test_no_part_file_remains_after_the_final_run(crash_runs: CrashRuns) -> None:
    assert sorted(p.name for p in crash_runs.out.glob("*.part")) == []
    assert sorted(p.name for p in crash_runs.out.glob(".*.part")) == []


def test_state_store_agrees_with_the_outputs_after_every_run(crash_runs: CrashRuns) -> None:
    disagreements = {
        a.name: (len(set(a.outputs)), len(a.exported))
        for a in crash_runs.attempts
        if set(a.outputs) != a.exported
    }
    assert disagreements == {}, "(ids in the outputs, ids the state store says were exported)"


# --- append mode (-o) ---------------------------------------------------------------------------


def append_command(url: str, output: Path) -> list[str]:
    cmd = crawl_command(url, output, *SETTINGS)
    cmd[cmd.index("-O")] = "-o"
    return cmd


def test_append_mode_keeps_whole_lines_and_repairs_a_torn_tail(tmp_path: Path) -> None:
    site = Site(SiteSpec(seed=10, articles=40, latency=LATENCY))
    output = tmp_path / "out.jsonl"
    with SiteServer(site) as server:
        cmd = append_command(f"{server.origin}/", output)

        first = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, timeout=CRAWL_TIMEOUT)
        assert first.returncode == 0, first.stderr.decode("utf-8", "replace")[-3000:]
        complete = output.read_bytes()
        assert len(read_whole_lines(output)) == 40

        # Killed half-way: the file keeps exactly the whole lines it had.
        server.reset_log()
        proc = start(cmd, tmp_path / "killed.log")
        assert kill_when(proc, lambda: server.request_count >= 25, 0.01), "the run ended first"
        assert output.read_bytes() == complete

        # A crash in the middle of an append leaves a torn last line: made here by hand.
        lines = complete.splitlines(keepends=True)
        torn = lines[-1][: len(lines[-1]) // 2]
        output.write_bytes(b"".join(lines[:-1]) + torn)

        third = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, timeout=CRAWL_TIMEOUT)
    log = third.stderr.decode("utf-8", "replace")
    assert third.returncode == 0, log[-3000:]
    assert f"cut a partial last line ({len(torn)} bytes) off {output}" in log
    # The killed run's whole lines are kept aside, not deleted with its part file.
    moved = re.search(
        r"removed \.out\.jsonl\.\w+\.part left by an interrupted run; "
        r"its (\d+) items are in out\.jsonl\.interrupted",
        log,
    )
    assert moved, log[-3000:]
    aside = read_whole_lines(tmp_path / "out.jsonl.interrupted")
    assert len(aside) == int(moved.group(1))
    assert all(item["title"] and item["body"] for item in aside)
    assert (tmp_path / "out.jsonl.interrupted").read_bytes().endswith(b"\n")
    raw = output.read_bytes()
    assert raw.startswith(b"".join(lines[:-1]))
    items = read_whole_lines(output)
    assert len(items) == 39 + 40
    assert sorted(int(str(i["article_id"])) for i in items[39:]) == list(range(1, 41))
    # Without a state store each append repeats the articles: the run says so.
    assert f"appending to {output}, which holds an earlier run's items" in log
    assert "appending to" not in first.stderr.decode("utf-8", "replace")
    assert sorted(p.name for p in tmp_path.glob(".*.part")) == []


def test_a_whole_last_record_without_its_newline_is_kept(tmp_path: Path) -> None:
    # A file another tool wrote without a final newline: its last record is whole, so it
    # stays (with the newline added); only a torn record is cut.
    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(b'{"a": 1}\n{"hello": 1}')
    assert repair_tail(whole) == 0
    assert whole.read_bytes() == b'{"a": 1}\n{"hello": 1}\n'
    torn = tmp_path / "torn.jsonl"
    torn.write_bytes(b'{"a": 1}\n{"hel')
    assert repair_tail(torn) == len(b'{"hel')
    assert torn.read_bytes() == b'{"a": 1}\n'


def test_a_run_killed_hard_leaves_a_summary_that_says_it_was_running(tmp_path: Path) -> None:
    # The previous run's summary said exit code 0; a run killed with SIGKILL writes no
    # summary at its end, so the one it wrote at its start must say it never finished.
    output = tmp_path / "out.jsonl"
    summary = output.with_name(output.name + ".summary.json")
    summary.write_text('{"exit_code": 0}', encoding="utf-8")
    site = Site(SiteSpec(seed=9, articles=ARTICLES, latency=LATENCY))
    with SiteServer(site) as server:
        proc = start(crawl_command(f"{server.origin}/", output, *SETTINGS), tmp_path / "k.log")
        killed = kill_when(
            proc,
            lambda: sum(1 for r in server.requests if ARTICLE_RE.search(r.path)) >= 20,
            0.01,
        )
    assert killed
    left = json.loads(summary.read_text(encoding="utf-8"))
    assert (left["running"], left["exit_code"], left["pid"]) == (True, None, proc.pid)
