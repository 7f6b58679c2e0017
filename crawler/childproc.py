"""Run a child command to its end with SIGINT and SIGTERM passed on to it (stdlib only:
``tasks.py`` uses it before the project's virtual environment exists)."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Seconds the command may take to exit after a second SIGINT or SIGTERM before it is killed.
# The first signal asks for a graceful stop, which waits for the requests in flight; a second
# one makes Scrapy stop at once, so a command still running this long after that is stuck.
KILL_AFTER = 30.0


def ctrl_c_reached_child() -> bool:
    """True when a SIGINT received here most likely came from Ctrl-C, which the child got too.

    A terminal sends Ctrl-C's SIGINT to its whole foreground process group, and the child
    shares ours: passing the signal on as well would make it the child's second SIGINT, and
    Scrapy answers a second one with an unclean shutdown (no summary, a leftover ``.part``).
    """
    if os.name == "nt":
        return True  # the console sends Ctrl-C to every process attached to it
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return False  # no controlling terminal: the signal was sent to this process alone
    try:
        return os.tcgetpgrp(tty) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(tty)


@dataclass(frozen=True)
class ChildExit:
    """How a child command ended: ``code`` is its exit status (128+N when killed by signal
    N, as a shell says); ``timed_out`` is True when this process stopped it because its
    ``timeout`` passed; ``signalled`` is True when this process received SIGINT or SIGTERM
    while the child ran (someone asked the whole job to stop)."""

    code: int
    timed_out: bool = False
    signalled: bool = False


def run_child(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = math.inf,
) -> int:
    """Run ``command`` to its end (see :func:`run_child_status`); return its exit status."""
    return run_child_status(command, cwd, env, timeout).code


def run_child_status(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = math.inf,
) -> ChildExit:
    """Run ``command`` to its end, passing SIGINT and SIGTERM on to it; say how it ended.

    After ``timeout`` seconds the child is sent SIGTERM (a crawl then stops cleanly, exit
    code 15) and treated as if this process had received it.

    Left to Python's defaults, SIGINT would raise KeyboardInterrupt in this process, and
    subprocess would kill the child in the middle of its graceful stop; SIGTERM would end
    this process at once and leave the child running alone. Instead each signal is passed
    on once (unless the child got it too, see :func:`ctrl_c_reached_child`) and this process
    waits for the child, so its exit code is the child's.
    """
    child = subprocess.Popen(command, cwd=cwd, env=env)
    received = 0
    signalled = timed_out = False
    kill_at = math.inf
    stop_at = time.monotonic() + timeout

    def pass_on(signum: int, frame: FrameType | None) -> None:
        nonlocal received, kill_at, signalled
        signalled = True
        received += 1
        if received == 2:
            kill_at = time.monotonic() + KILL_AFTER
        if signum != signal.SIGINT or not ctrl_c_reached_child():
            child.send_signal(signum)

    previous = {
        number: signal.signal(number, pass_on) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)  # a timed wait, to check kill_at
                break
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if now > stop_at:
                    stop_at = math.inf
                    timed_out = True
                    received += 1
                    kill_at = now + KILL_AFTER
                    child.send_signal(signal.SIGTERM)
                if now > kill_at:
                    child.kill()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    # killed by signal N: 128+N, as a shell says
    return ChildExit(128 - code if code < 0 else code, timed_out, signalled)
