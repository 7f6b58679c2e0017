"""tasks.py, the set-up wrapper: signals sent to it while a crawl runs reach the crawl, which
stops cleanly (exit code 15, its summary written, no ``.part`` left), and nothing outlives it."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.childproc import run_child_status
from crawler.replay import Archive, ReplayServer
from crawler.sample import crawl_command
from tests.support import REPO_ROOT, SAMPLE_SITE

TIMEOUT = 60.0  # seconds for every wait on the wrapper (a crawl of the sample takes a few)
# ``python3 tasks.py ARGS``, with this interpreter standing in for the .venv that tasks.py
# would create or update first (pip, the network, minutes): what is tested is what runs after.
WRAPPER = (
    "import pathlib, sys, tasks; "
    "tasks.ensure_environment = lambda: pathlib.Path(sys.executable); "
    "sys.exit(tasks.main(sys.argv[1:]))"
)


@dataclass
class Interrupted:
    code: int
    log: str
    folder: Path  # where the wrapper ran, and the crawl wrote articles.jsonl
    survivors: bool  # a process of the wrapper's process group outlived it

    def summary(self) -> dict[str, Any]:
        path = self.folder / "articles.jsonl.summary.json"
        assert path.is_file(), f"no summary written\n{self.log[-3000:]}"
        summary: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return summary


def wrapper_env() -> dict[str, str]:
    """The environment of the wrapper: this one, with the repository importable."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def slow_sample() -> Iterator[ReplayServer]:
    # 0.5 s a response: the crawl of the sample needs several seconds.
    with ReplayServer(Archive.load(SAMPLE_SITE), delay=0.5) as server:
        yield server


def interrupt_crawl(
    server: ReplayServer,
    tmp_path: Path,
    interrupt: Callable[[subprocess.Popen[bytes]], object],
    *,
    stdin: int = subprocess.DEVNULL,
    preexec_fn: Callable[[], None] | None = None,
) -> Interrupted:
    """Run ``tasks.py crawl`` on the sample from ``tmp_path/run``; ``interrupt`` it once the
    crawl has had a few responses; wait for the wrapper and report how it ended."""
    folder, log_path = tmp_path / "run", tmp_path / "log.txt"
    folder.mkdir()
    crawl_args = crawl_command(f"{server.origin}/", Path("articles.jsonl"))[4:]
    assert crawl_args[0] == "metinfo", crawl_args
    env = wrapper_env()
    with log_path.open("wb") as log:
        # A session of its own: no controlling terminal unless preexec_fn takes one, and a
        # process group holding the wrapper and the crawl, to find (and kill) leftovers.
        wrapper = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, "crawl", *crawl_args],
            cwd=folder,
            env=env,
            stdin=stdin,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while server.request_count < 3:  # ~1.5 s of crawling, with many requests still to go
            assert wrapper.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the crawl made no requests"
            time.sleep(0.05)
        interrupt(wrapper)
        code = wrapper.wait(timeout=TIMEOUT)
        survivors = group_alive(wrapper.pid)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(wrapper.pid, signal.SIGKILL)
        wrapper.wait(timeout=TIMEOUT)
    return Interrupted(code, log_path.read_text(errors="replace"), folder, survivors)


def assert_stopped_cleanly(run: Interrupted) -> None:
    assert run.code == 15, run.log[-3000:]
    assert not run.survivors, "a process of the crawl outlived the wrapper"
    assert "Traceback" not in run.log, run.log[-3000:]
    # One signal reached the crawl: Scrapy answers a second one with an unclean stop.
    assert run.log.count("Received SIG") == 1, run.log[-3000:]
    assert list(run.folder.glob("*.part")) == []
    assert run.summary()["exit_code"] == 15


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_signal_to_the_wrapper_stops_the_crawl_cleanly(
    slow_sample: ReplayServer, tmp_path: Path, number: int
) -> None:
    """``kill -TERM`` (or ``-INT``) of the wrapper alone: it passes the signal on and waits."""
    run = interrupt_crawl(slow_sample, tmp_path, lambda wrapper: wrapper.send_signal(number))
    assert_stopped_cleanly(run)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_signal_to_the_whole_process_group_stops_the_crawl_cleanly(
    slow_sample: ReplayServer, tmp_path: Path, number: int
) -> None:
    """``kill -- -PGID``, coreutils ``timeout`` or systemd's ``KillMode=control-group`` with
    no terminal: the crawl gets the signal directly and again from the wrapper, which cannot
    tell; the crawl takes the two as one graceful stop."""
    run = interrupt_crawl(slow_sample, tmp_path, lambda wrapper: os.killpg(wrapper.pid, number))
    assert_stopped_cleanly(run)


def test_ctrl_c_in_a_terminal_stops_the_crawl_cleanly(
    slow_sample: ReplayServer, tmp_path: Path
) -> None:
    """Ctrl-C typed in the wrapper's terminal: the terminal sends SIGINT to the wrapper and
    the crawl both; the wrapper must not send the crawl a second one (an unclean stop)."""
    master, slave = pty.openpty()

    def take_terminal() -> None:  # in the new session: the pty becomes its terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    try:
        run = interrupt_crawl(
            slow_sample,
            tmp_path,
            lambda wrapper: os.write(master, b"\x03"),  # the terminal's INTR character
            stdin=slave,
            preexec_fn=take_terminal,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert_stopped_cleanly(run)


def test_run_child_status_says_whether_the_timeout_stopped_the_child() -> None:
    """A child still running at its timeout gets SIGTERM (status 143, timed_out); one that
    ends by itself after the timeout but before the next check is not said to be stopped."""
    sleeper = [sys.executable, "-c", "import time; time.sleep(30)"]
    stopped = run_child_status(sleeper, timeout=0.3)
    assert (stopped.code, stopped.timed_out, stopped.signalled) == (143, True, False)
    # Checks run every 0.5 s: a child ending at about 0.65 s with a 0.55 s timeout (checked
    # next at 1 s) ended by itself.
    quick = [sys.executable, "-c", "import time; time.sleep(0.6)"]
    ended = run_child_status(quick, timeout=0.55)
    assert (ended.code, ended.timed_out) == (0, False)


def test_crawlsites_from_another_folder_writes_where_it_was_run(tmp_path: Path) -> None:
    """``tasks.py crawlsites FILE`` from any folder: the sites file's relative output and
    state paths are in the folder it was run from."""
    env = wrapper_env()
    with ReplayServer(Archive.load(SAMPLE_SITE)) as server:
        (tmp_path / "sites.toml").write_text(
            '[defaults]\noutput = "out/{name}.jsonl"\nstate = "state/{name}"\n\n'
            "[defaults.settings]\nAUTOTHROTTLE_ENABLED = false\nDOWNLOAD_DELAY = 0\n\n"
            f'[[site]]\nname = "sample"\nurl = "{server.origin}/"\n',
            encoding="utf-8",
        )
        run = subprocess.run(
            [sys.executable, "-c", WRAPPER, "crawlsites", "sites.toml"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = (tmp_path / "out" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 11  # the sample's articles
    assert (tmp_path / "state" / "sample").is_dir()
