"""Crash-safe local feed files: a JSON Lines file is never left with a partial line.

Design (issue 4): items are written to a temporary ``.<name>.<random>.part`` file beside the
target.  When the crawl closes, the temporary file is flushed and fsynced, then

- with ``-O`` (overwrite), renamed over the target in one step (``os.replace``): readers see
  the previous file or the complete new one, never a mix;
- with ``-o`` (append), copied onto the end of the target and fsynced; a torn tail left by a
  crash during that copy (a last line without ``\\n``) is cut off when the next run opens the
  file, and reported.

A run killed before closing leaves only its ``.part`` file, which the next run removes
(reported); its items were never exported, and a state store (``METINFO_STATE``) has not
recorded them as exported either, so the next run exports them.  Scheduled runs that keep
every run's items use Scrapy's ``%(time)s`` placeholder in the feed URI.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

logger = logging.getLogger(__name__)


def repair_tail(path: Path) -> int:
    """Cut a partial last line (no trailing ``\\n``) off ``path``; return bytes removed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with path.open("r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return 0
        # Walk back in blocks to the last newline.
        block, end = 65536, size
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            chunk = handle.read(end - start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                keep = start + cut + 1
                break
            end = start
        else:
            keep = 0
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


def remove_stale_parts(path: Path) -> list[Path]:
    """Delete ``.part`` files that earlier, killed runs left beside ``path``."""
    removed = []
    for part in path.parent.glob(f".{path.name}.*.part"):
        try:
            part.unlink()
            removed.append(part)
        except OSError:
            continue
    return removed


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicFileFeedStorage(FileFeedStorage):
    """Scrapy feed storage for local files that completes atomically (see module doc).

    Registered for the ``file`` scheme and plain paths in ``FEED_STORAGES``.  Errors from
    the disk (``OSError``, e.g. ENOSPC) propagate to Scrapy's feed exporter, which logs them
    and counts ``feedexport/failed_count/*``; the target is then left as it was.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self._tmp: Path | None = None

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for part in remove_stale_parts(path):
            logger.warning("removed %s left by an interrupted run", part.name)
        if self.write_mode == "ab" and (cut := repair_tail(path)):
            logger.warning("cut a partial last line (%d bytes) off %s", cut, path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        # mkstemp creates 0600; the feed gets the mode a plain open() would give it.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        self._tmp = Path(tmp)
        return os.fdopen(fd, "w+b")

    def store(self, file: IO[bytes]) -> None:
        path, tmp = Path(self.path), self._tmp
        assert tmp is not None, "store() before open()"
        try:
            file.flush()
            os.fsync(file.fileno())
            if self.write_mode == "wb":
                file.close()
                os.replace(tmp, path)
            else:
                file.seek(0)
                with path.open("ab") as out:
                    shutil.copyfileobj(file, out)
                    out.flush()
                    os.fsync(out.fileno())
                file.close()
                tmp.unlink()
            _fsync_dir(path.parent)
        except BaseException:
            file.close()
            tmp.unlink(missing_ok=True)
            raise
