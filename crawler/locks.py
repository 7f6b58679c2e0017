"""Run locks: two runs for the same output file or the same site's state never overlap."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import IO, Any

from w3lib.url import file_uri_to_path

try:  # POSIX advisory locks; on other systems runs are not locked (and say so)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class LockHeld(Exception):
    """Another process holds the lock at ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"another run holds {path}")
        self.path = path


def local_feed_path(uri: str) -> Path | None:
    """The local file a feed URI writes (a plain path or ``file://``), or None for any
    other target: a remote one (``s3://``), standard output (``-O -`` is ``stdout:``)."""
    if uri == "-" or uri.startswith("stdout:"):
        return None
    if "://" in uri and not uri.startswith("file://"):
        return None
    return Path(file_uri_to_path(uri) if uri.startswith("file://") else uri)


def lock_paths(settings: Any, site_roots: list[str]) -> list[Path]:
    """Lock files for a run: one per local feed file (``<file>.lock``, placeholders such as
    ``%(time)s`` made literal so that every run of one template shares it) and, with
    ``METINFO_STATE``, one per site in the state folder (not in a distributed run, whose
    workers share the store in Redis: ``crawler.sharedstate``)."""
    paths: list[Path] = []
    for uri in settings.getdict("FEEDS") or {}:
        if (path := local_feed_path(str(uri))) is None:
            continue
        literal = re.sub(r"%\(\w+\)s", "_", path.name)
        paths.append(path.with_name(f".{literal}.lock"))
    state = settings.get("METINFO_STATE")
    if state and not settings.get("REDIS_URL"):
        for root in site_roots:
            digest = hashlib.sha1(root.encode("utf-8")).hexdigest()[:16]
            paths.append(Path(state) / f"site-{digest}.lock")
    # Each file once: two start URLs of one site (two of its columns) name the same lock,
    # which a second flock() of this process would find held (exit code 9 against itself).
    return list(dict.fromkeys(paths))


def acquire(paths: list[Path]) -> list[IO[str]]:
    """Take every lock without waiting; raise :class:`LockHeld` (releasing those taken).

    The returned handles keep the locks for as long as they stay open (the process ends:
    the kernel releases them, so a killed run never leaves a stale lock).
    """
    held: list[IO[str]] = []
    if fcntl is None:
        return held
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            for other in held:
                other.close()
            raise LockHeld(path) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        held.append(handle)
    return held
