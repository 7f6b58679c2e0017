"""Set up and run the project with nothing but Python:
``python3 tasks.py sample|test|crawl|crawlsites``.

- ``sample``: create ``.venv`` (once), install the project with its test extras, and crawl
  the bundled sample site offline into ``articles.jsonl``.
- ``test``: the same set-up, then the whole test suite (extra arguments go to pytest).
- ``crawl``: the same set-up, then ``scrapy crawl`` with the given arguments.
- ``crawlsites``: the same set-up, then ``scrapy crawlsites`` with the given arguments (a
  sites file; its relative paths are read from the caller's folder, as with ``crawl``).

The virtual environment is reinstalled when ``pyproject.toml`` changes.  Exit status: the
status of the command run (pip's, the crawl's or pytest's; 128+N when a signal N killed it).
SIGINT and SIGTERM sent to this script while the command runs are passed on to the command,
which stops the way it would stop alone (a crawl: cleanly, with exit code 15).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

from crawler.childproc import run_child

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".metinfo-installed"
# pywb replays our WARCs in the archiving tests; it cannot share the project's environment
# (its brotlipy replaces the brotli module Scrapy uses), so it gets one of its own.
PYWB_VENV = ROOT / ".venv-pywb"
PYWB = "pywb==2.10.0"


def venv_python() -> Path:
    """The virtual environment's interpreter (POSIX or Windows layout)."""
    posix = VENV / "bin" / "python"
    return posix if posix.exists() or os.name != "nt" else VENV / "Scripts" / "python.exe"


def _has_pip(python: Path) -> bool:
    """True when ``python`` runs pip (False for a half-made environment)."""
    done = subprocess.run(
        [str(python), "-m", "pip", "--version"], capture_output=True, check=False, cwd=ROOT
    )
    return done.returncode == 0


def ensure_environment() -> Path:
    """Create ``.venv`` and install the project into it unless already up to date."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return python
    if not python.exists() or not _has_pip(python):
        # (a set-up interrupted while the environment was made leaves one without pip)
        print(f"creating a virtual environment in {VENV.name}/", flush=True)
        venv.EnvBuilder(with_pip=True, clear=python.exists()).create(VENV)
        python = venv_python()
    print("installing the project and its test tools (pip)", flush=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, cwd=ROOT
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-e", ".[test]"], check=True, cwd=ROOT
    )
    STAMP.write_text(wanted)
    return python


def ensure_pywb() -> None:
    """Install pywb into ``.venv-pywb`` once; on failure say so (its test then skips)."""
    stamp = PYWB_VENV / ".installed"
    if stamp.exists():
        return
    print(f"installing {PYWB} for the archive replay test (once, in {PYWB_VENV.name}/)", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(PYWB_VENV)
        bindir = "Scripts" if os.name == "nt" else "bin"
        subprocess.run(
            [str(PYWB_VENV / bindir / "python"), "-m", "pip", "install", "--quiet", PYWB],
            check=True,
            cwd=ROOT,
        )
        stamp.write_text(PYWB)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"pywb not installed ({exc}); the pywb replay test will skip", file=sys.stderr)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("sample", "test", "crawl", "crawlsites"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        python = ensure_environment()
    except subprocess.CalledProcessError as exc:
        print(f"set-up failed: {exc}", file=sys.stderr)
        return exc.returncode or 1
    env = dict(os.environ)
    if command == "sample":
        args, cwd = ["-m", "crawler.sample", *rest], Path.cwd()
    elif command == "test":
        ensure_pywb()
        args, cwd = ["-m", "pytest", *rest], ROOT
    else:
        # From the caller's folder, so that -O paths mean what the caller typed; the
        # settings module tells Scrapy where the project is.
        args, cwd = ["-m", "scrapy", command, *rest], Path.cwd()
        env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    return run_child([str(python), *args], cwd, env)


if __name__ == "__main__":
    try:
        raise SystemExit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        # Ctrl-C during the set-up: one line, not a traceback (the next run resumes it).
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
