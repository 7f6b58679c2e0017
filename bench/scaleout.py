"""Metric 6: throughput of 1, 2 and 4 workers sharing one crawl through Redis.

A generated site answers every request after 50 ms (``SiteSpec.latency``), so that a
worker waits on the network as it would on a real portal.  A ``redis-server`` without
persistence runs on a free 127.0.0.1 port, started and stopped by its process id; each
worker count gets its own run name.  The workers start together (``-s REDIS_URL=...``,
README "Many workers"); the rate is the articles exported by all of them, once each,
divided by the wall seconds from their start until the server answered its last request
(not counting the idle wait with which a worker makes sure that the shared queue stays
empty, ``METINFO_REDIS_IDLE_CLOSE``).
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.harness import ChildRun, Sizes, ours_command, run_child
from bench.report import INFO, NA, PENDING, Comparison, Report, Row
from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.accuracy import load_jsonl

LATENCY = 0.05  # seconds per response
LEASE = 3.0  # short leases: a worker that ends waits lease + 2 s for the queue to stay empty
IDLE_CLOSE = LEASE + 2.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Redis:
    """redis-server on 127.0.0.1, no persistence, stopped by its pid."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                str(shutil.which("redis-server")),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):  # up to 10 s
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass  # not listening yet
            time.sleep(0.05)
        self.close()
        raise RuntimeError("redis-server did not start")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _missing() -> str:
    if importlib.util.find_spec("crawler.distributed") is None:
        return "pending: the distributed issue (6) has not landed"
    if shutil.which("redis-server") is None:
        return "redis-server not found (Debian: apt-get install redis-server)"
    if importlib.util.find_spec("redis") is None:
        return "the redis client package is not installed"
    return ""


def run(report: Report, sizes: Sizes, work: Path) -> None:
    """Measure and add rows 6a-6c."""
    counts = (1, 2, 4) if sizes.name == "full" else (1, 2)
    missing = _missing()
    rates: dict[int, float | None] = {}
    notes: dict[int, str] = {}
    if not missing:
        site = Site(SiteSpec(seed=4, articles=sizes.scaleout_articles, latency=LATENCY))
        redis = _Redis(work / "scaleout-redis")
        try:
            with SiteServer(site, log=False) as server:
                for n in counts:
                    rates[n], notes[n] = _crawl(server, redis.url, n, sizes, work)
        finally:
            redis.close()
    one = rates.get(1)
    for row_id, n in (("6a", 1), ("6b", 2), ("6c", 4)):
        rate = rates.get(n)
        if missing:
            status, note = (PENDING if missing.startswith("pending") else NA), missing
        elif n not in counts:
            status, note = NA, "full runs only (a quick run has 1 and 2 workers)"
        else:
            status, note = (INFO if rate else NA), notes.get(n, "")
        report.add(
            Row(
                id=row_id,
                metric=f"Scale-out: {n} worker{'s' if n > 1 else ''} through Redis, "
                f"{LATENCY * 1000:.0f} ms per response",
                unit="articles/s",
                ours=rate,
                comparisons=[Comparison("1 worker", one)] if n > 1 and n in rates else [],
                ratio=rate / one if rate and one and n > 1 else None,
                ratio_to="1 worker",
                goal="(no goal set; 2 cores)",
                status=status,
                note=note,
            )
        )
    report.details["scaleout"] = {
        "articles": sizes.scaleout_articles,
        "latency_s": LATENCY,
        "idle_close_s": IDLE_CLOSE,
        "rates": {str(k): v for k, v in rates.items()},
        "notes": {str(k): v for k, v in notes.items()},
    }


def _crawl(
    server: SiteServer, redis_url: str, n: int, sizes: Sizes, work: Path
) -> tuple[float | None, str]:
    """Run ``n`` workers together; (articles/s, note)."""
    outs = [work / f"scaleout-{n}-w{i}.jsonl" for i in range(n)]
    settings = (
        f"REDIS_URL={redis_url}",
        f"METINFO_REDIS_RUN=bench-{n}",
        f"METINFO_REDIS_LEASE_TIMEOUT={LEASE}",
        f"METINFO_REDIS_IDLE_CLOSE={IDLE_CLOSE}",
    )
    server.reset_log()
    done = threading.Event()
    last = [0.0]

    def watch() -> None:  # the time the server answered its last request
        seen = 0
        while not done.wait(0.05):
            count = server.request_count
            if count != seen:
                seen, last[0] = count, time.perf_counter()

    watcher = threading.Thread(target=watch, daemon=True)
    start = time.perf_counter()
    watcher.start()
    with ThreadPoolExecutor(max_workers=n) as pool:
        runs: list[ChildRun] = list(
            pool.map(
                lambda out: run_child(
                    ours_command(f"{server.origin}/", out, *settings), sizes.crawl_timeout
                ),
                outs,
            )
        )
    done.set()
    watcher.join()
    seconds = last[0] - start
    ids: list[str] = []
    for out in outs:
        if out.exists():
            ids += [str(item.get("article_id")) for item in load_jsonl(out)]
    failed = [r.returncode for r in runs if r.returncode != 0]
    unique = len(set(ids))
    note = f"{unique:,}/{sizes.scaleout_articles:,} articles, {len(ids) - unique} duplicates"
    if failed:
        note += f", worker exits {failed}"
    if failed or unique == 0 or seconds <= 0:
        return None, note
    return unique / seconds, note
