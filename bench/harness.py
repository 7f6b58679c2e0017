"""What every benchmark shares: sizes, timed child processes with their peak RSS, crawl commands.

Crawlers always run as child processes and the generated site is served from a thread of the
benchmark process, which only waits meanwhile; on a 2-core machine that gives the server one
core and the crawler the other, the same for every contender.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import NOT_INSTALLED, SKIPPED
from crawler.sample import LOCAL_SETTINGS, PROJECT_ROOT, crawl_command

# Politeness off for our own loopback server: no delay, no throttle, and as many requests to
# the one host as the crawl has slots (CONCURRENT_REQUESTS stays at the project's 16).
POLITENESS_OFF = (*LOCAL_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN=16")
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
EPOLL_REACTOR = "twisted.internet.epollreactor.EPollReactor"
BASELINES = Path(__file__).resolve().parent / "baselines"


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is.  ``full`` is the issue's; ``quick`` proves the harness."""

    name: str
    throughput_articles: int  # metric 1 (and the generated-site accuracy of metric 3)
    parse_pages: int  # metric 2
    second_site_articles: int  # metric 3: a pseudo-static cn+en site
    second_site_pages: int  # metric 3: its pages given to the competitors
    repeat_articles: int  # metric 4
    memory_articles: int  # metric 5: peak RSS of a full crawl
    state_entries: int  # metric 5: state store and dupefilter bytes per article
    crawl_timeout: float  # seconds one crawl may take before it is stopped and reported so
    trafilatura_pages: int  # metric 1: pages the trafilatura spider gets (0: all)
    scaleout_articles: int  # metric 6: site size for 1, 2 and 4 workers through Redis


FULL = Sizes(
    name="full",
    throughput_articles=10_000,
    parse_pages=1_000,
    second_site_articles=1_000,
    second_site_pages=300,
    repeat_articles=10_000,
    memory_articles=100_000,
    state_entries=1_000_000,
    crawl_timeout=1_800.0,
    trafilatura_pages=0,
    scaleout_articles=2_000,
)
QUICK = Sizes(
    name="quick",
    throughput_articles=300,
    parse_pages=200,
    second_site_articles=150,
    second_site_pages=60,
    repeat_articles=300,
    memory_articles=300,
    state_entries=20_000,
    crawl_timeout=120.0,
    trafilatura_pages=0,
    scaleout_articles=100,
)


def installed(module: str) -> bool:
    """True when ``module`` can be imported (competitor packages are optional)."""
    return importlib.util.find_spec(module) is not None


def competitor_status(module: str, competitors: bool) -> str:
    """Why a competitor does not run ("" when it does): not installed, or skipped."""
    if not installed(module):
        return NOT_INSTALLED
    return "" if competitors else SKIPPED


@dataclass
class ChildRun:
    """A finished child process: exit code, wall seconds, peak RSS in MB, its output."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def _hwm_kb(pid: int) -> int:
    """VmHWM (peak resident set, KB) of a live process, 0 when unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # gone, or not Linux
    return 0


def run_child(cmd: list[str], timeout: float, *, cwd: Path = PROJECT_ROOT) -> ChildRun:
    """Run ``cmd`` to its end: wall time from start to exit, and its peak RSS.

    The peak is the child's ``VmHWM``, polled every 50 ms while it runs: it is the
    high-water mark of the program's own memory (reset at ``exec``, unlike ``ru_maxrss``,
    which would also count the benchmark process's pages the fork shared before it).  Past
    ``timeout`` the child gets SIGINT (Scrapy stops cleanly and writes its output), then
    SIGKILL 60 s later.
    """
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env)
        timed_out = threading.Event()
        finished = threading.Event()
        peak = [0]

        def stop() -> None:
            timed_out.set()
            try:
                proc.send_signal(signal.SIGINT)
                if not finished.wait(60):
                    proc.kill()
            except OSError:
                pass  # already gone

        def poll() -> None:
            while not finished.is_set():
                peak[0] = max(peak[0], _hwm_kb(proc.pid))
                finished.wait(0.05)

        timer = threading.Timer(timeout, stop)
        timer.daemon = True
        timer.start()
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        try:
            proc.wait()
        finally:
            finished.set()
            timer.cancel()
            poller.join()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return ChildRun(
        returncode=proc.returncode,
        seconds=seconds,
        peak_rss_mb=peak[0] / 1024,
        stdout=stdout,
        stderr=stderr,
        timed_out=timed_out.is_set(),
    )


def ours_command(url: str, output: Path, *settings: str) -> list[str]:
    """``scrapy crawl metinfo`` with politeness off (the project's reactor unless overridden)."""
    return crawl_command(url, output, *POLITENESS_OFF[len(LOCAL_SETTINGS) :], *settings)


def spider_command(
    spider: str, output: Path | None, *args: str, settings: tuple[str, ...] = ()
) -> list[str]:
    """``scrapy runspider bench/baselines/<spider>_spider.py`` (bare, trafilatura, link).

    Run from the project folder, so the project's settings (reactor, concurrency, robots,
    middlewares) apply as they do to ours; each spider's ``custom_settings`` say what it
    turns off (our pipelines and run extensions, which expect our items and spider).
    """
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(BASELINES / f"{spider}_spider.py")]
    for arg in args:
        cmd += ["-a", arg]
    if output is not None:
        cmd += ["-O", str(output)]
    for setting in (*POLITENESS_OFF, *settings):
        cmd += ["-s", setting]
    return cmd


def count_lines(path: Path) -> int:
    """Non-empty lines of a JSON Lines file (0 when it does not exist)."""
    if not path.exists():
        return 0
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` by the nearest-rank method."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]
