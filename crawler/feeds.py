"""Crash-safe local feed files: a JSON Lines file is never left with a partial line.

Design (issue 4): items are written to a temporary ``.<name>.<random>.part`` file beside the
target.  When the crawl closes, the temporary file is flushed and fsynced, then

- with ``-O`` (overwrite), renamed over the target in one step (``os.replace``): readers see
  the previous file or the complete new one, never a mix;
- with ``-o`` (append), copied onto the end of the target and fsynced; a torn tail left by a
  crash during that copy (a last line without ``\\n``) is cut off when the next run opens the
  file, and reported.

A run stopped by SIGINT/SIGTERM without a state store (exit code 15) leaves an ``-O``
target as it was (or absent) and appends what it collected to ``<target>.interrupted``.

A run killed before closing leaves only its ``.part`` file; the next run moves its whole
lines to ``<target>.interrupted`` (reported).  Its items were never exported, and a state
store (``METINFO_STATE``) has not recorded them as exported either, so the next run exports
them.  Scheduled runs that keep
every run's items use Scrapy's ``%(time)s`` placeholder in the feed URI.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

import scrapy.exporters
from scrapy.extensions.feedexport import FileFeedStorage

from crawler.runs import articles_failed, incomplete_cause, start_failed, unfinished_reason

try:  # POSIX advisory locks mark part files of live runs
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# Why a run put no output in place: the site gave nothing to work with (exit code 3).
NO_PAGE = "the site gave no page"
ROBOTS_FORBADE = "robots.txt forbade everything this run was to crawl"
# ... or it did not finish, without a state store: interrupted (exit code 15) or stopped by
# Redis (12, 13, 14; crawler.runs.unfinished_reason).  What it collected goes to the output's
# name plus INTERRUPTED_SUFFIX, so that the output's own name only ever holds what a whole
# run wrote (a reader globbing *.jsonl does not pick a cut-short run up).
INTERRUPTED = "the run was interrupted"
FAILED_ARTICLES = (
    "article or list requests got no page (none gave one, an article asked for by its URL"
    " failed, or more than METINFO_MAX_FAILED_SHARE got no connection)"
)
SITE_GONE = "the site stopped answering during the run (METINFO_MAX_UNREACHABLE_IN_ROW)"
START_FAILED = "a start URL gave no page (see the 'request failed' warnings)"
BUDGET_SPENT = "the request budget ran out before the site was read (METINFO_MAX_REQUESTS_PER_SITE)"
LISTS_FAILED = "every list page of a site failed (see the 'request failed' warnings)"
# The note for each cause of :func:`crawler.runs.incomplete_cause`.
_INCOMPLETE_NOTES = {
    "start": START_FAILED,
    "budget": BUDGET_SPENT,
    "paused": SITE_GONE,
    "lists": LISTS_FAILED,
    "articles": FAILED_ARTICLES,
}
INTERRUPTED_SUFFIX = ".interrupted"
COPY_CHUNK = 1 << 20  # bytes read at a time when a part file is kept aside

# Feed URIs whose storage put nothing under the output's name (above): Scrapy's feed
# exporter still logs "Stored jsonl feed (N items) in: URI" for them; the filter below drops
# that line, which would say the opposite of ours.
_NOT_STORED: set[str] = set()


def _drop_false_stored_line(record: logging.LogRecord) -> bool:
    """A logging filter: False for Scrapy's "Stored ... in: URI" when URI was not stored."""
    if record.msg != "Stored %s" or not isinstance(record.args, tuple) or not record.args:
        return True
    message = str(record.args[0])
    return not any(message.endswith(f" in: {uri}") for uri in _NOT_STORED)


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
        handle.seek(keep)
        if _whole_record(handle.read(size - keep)):
            # a whole record that only lacks its newline (a file written by another tool):
            # kept, the newline added
            handle.seek(size)
            handle.write(b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            return 0
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


def _whole_record(tail: bytes) -> bool:
    """True when ``tail`` is one whole JSON object (a line whose newline is missing)."""
    try:
        return isinstance(json.loads(tail.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError):
        return False


def _holds_data(path: Path) -> bool:
    """True when ``path`` is a file with something in it (False when absent or empty)."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _unlocked(path: Path) -> bool:
    """True when no live process holds ``path`` (a writer keeps an exclusive flock on its
    part file for as long as it runs, through the rename to ``.complete``)."""
    if fcntl is None:  # pragma: no cover - no advisory locks: only our own name is safe
        return True
    try:
        with path.open("rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return True
    except OSError:
        return False


def interrupted_path(target: Path) -> Path:
    """Where the items of unfinished runs for the output ``target`` go: ``<target>.interrupted``."""
    return target.with_name(target.name + INTERRUPTED_SUFFIX)


def keep_aside(source: Path, target: Path) -> int:
    """Append the whole lines of ``source`` (a run's part file) to
    :func:`interrupted_path` of ``target``, then delete ``source``; return the lines kept.

    ``<target>.interrupted`` collects the items of runs that did not finish, whole JSON
    lines appended run after run (a torn last line of either file is cut first); it is the
    user's to read and delete.  An empty ``source`` is only deleted.  The copy is streamed:
    a part file may hold a whole site's items.
    """
    repair_tail(source)
    lines = 0
    if source.stat().st_size:
        aside = interrupted_path(target)
        repair_tail(aside)
        with source.open("rb") as src, aside.open("ab") as out:
            while chunk := src.read(COPY_CHUNK):
                lines += chunk.count(b"\n")
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        _fsync_dir(aside.parent)
    source.unlink()
    return lines


def _part_target(part: Path) -> Path:
    """The output a part file was written for: ``.NAME.RANDOM.part`` -> ``NAME``."""
    return part.with_name(part.name[1:].rsplit(".", 2)[0])


def remove_stale_parts(path: Path) -> list[tuple[Path, int]]:
    """Clear the ``.part`` files that killed runs left in ``path``'s folder (any feed name,
    so ``%(time)s`` outputs are cleaned too): their whole lines go to the matching
    ``<output>.interrupted`` (:func:`keep_aside`).  A part file a live run holds is left
    alone.  Returns (part file, lines kept) pairs."""
    removed = []
    for part in path.parent.glob(".*.part"):
        if not _unlocked(part):
            continue
        try:
            removed.append((part, keep_aside(part, _part_target(part))))
        except OSError:
            continue
    return removed


def recover_completed(directory: Path, ledger: Any) -> list[str]:
    """Finish or drop ``.complete`` files a run killed during its last steps left behind.

    A ``.complete`` file holds a finished output whose state commit may or may not have
    happened.  When the state store has the commit, the output is put in place (appended
    again from its recorded size for ``-o``); otherwise it is deleted, and the next run
    exports its articles again: either way each article is in the outputs exactly once.
    """
    done = []
    if ledger is None:
        return done
    for complete in directory.glob(".*.complete"):
        if not _unlocked(complete):
            continue
        target = ledger.store.committed_output(complete.name)
        if target is None:
            complete.unlink(missing_ok=True)
            done.append(f"dropped {complete.name} (its run never committed)")
            continue
        final, size_before, mode = target
        _finish(complete, Path(final), mode, size_before)
        ledger.store.forget_output(complete.name)
        done.append(f"completed {final} from {complete.name}")
    return done


def _finish(complete: Path, final: Path, mode: str, size_before: int) -> None:
    """Put a completed output in place: rename over (``wb``) or append to (``ab``)."""
    if mode == "wb":
        os.replace(complete, final)
    else:
        with final.open("ab") as out:
            out.truncate(size_before)
            with complete.open("rb") as src:
                shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        complete.unlink()
    _fsync_dir(final.parent)


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

    Registered for the ``file`` scheme and plain paths in ``FEED_STORAGES``.  With a state
    store, completion is two-phase so that output and state always agree, even after a
    ``kill -9`` between any two steps: the part file is fsynced and renamed to
    ``.complete``; the run's state is committed together with that name; the file is put
    in place; the name is forgotten.  :func:`recover_completed` finishes or drops what a
    killed run left at each step.  Errors from the disk (``OSError``, e.g. ENOSPC)
    propagate to Scrapy's feed exporter, which logs them and counts
    ``feedexport/failed_count/*``; the target is then left as it was.
    """

    def __init__(
        self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Any = None
    ) -> None:
        super().__init__(uri, feed_options=feed_options)
        if os.path.islink(self.path):
            # the file the link names is the output: renamed over, the link itself would
            # become a regular file and the file it names stay as it was
            self.path = os.path.realpath(self.path)
        self._uri = uri
        self._tmp: Path | None = None
        self._crawler = crawler
        # Where store() put the items: the output, <output>.interrupted, or nowhere (None).
        self.stored_at: Path | None = None
        feed_logger = logging.getLogger("scrapy.extensions.feedexport")
        if _drop_false_stored_line not in feed_logger.filters:
            feed_logger.addFilter(_drop_false_stored_line)

    @classmethod
    def from_crawler(
        cls, crawler: Any, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def _ledger(self) -> Any:
        spider = getattr(self._crawler, "spider", None)
        return getattr(spider, "ledger", None)

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for part, kept in remove_stale_parts(path):
            logger.warning(
                "removed %s left by an interrupted run; its %d items are in %s",
                part.name,
                kept,
                interrupted_path(_part_target(part)).name,
            )
        for line in recover_completed(path.parent, self._ledger()):
            logger.warning("interrupted run: %s", line)
        if self.write_mode == "ab" and (cut := repair_tail(path)):
            logger.warning("cut a partial last line (%d bytes) off %s", cut, path)
        if self.write_mode == "ab" and self._ledger() is None and _holds_data(path):
            logger.warning(
                "appending to %s, which holds an earlier run's items, without a state store:"
                " articles already in it are appended again (use -O to replace it, or set"
                " METINFO_STATE to export only new and changed articles)",
                path,
            )
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held until the process ends: see _unlocked
        # mkstemp creates 0600; the feed gets the mode a plain open() would give it.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        self._tmp = Path(tmp)
        return os.fdopen(fd, "w+b")

    @staticmethod
    def _keep_previous(
        stats: dict[str, Any] | None, ledger: Any, max_failed: float = 1.0, shared: bool = False
    ) -> str | None:
        """Why the previous output should stay in place of this run's, or None: the site
        was asked and gave nothing (:data:`NO_PAGE`, :func:`crawler.runs.start_failed`), or
        a run without a state store did not finish (:data:`INTERRUPTED`, or "the run did not
        finish (<reason>)" for a Redis stop); with a state store, the state commit needs
        the output that goes with it.
        The finish reason is in the stats already: CoreStats, an extension Scrapy loads
        before the feed exporter, records it when the spider closes."""
        if stats is None:
            return None
        if start_failed(stats) and stats.get("downloader/request_count"):
            return NO_PAGE  # (a distributed worker left no request to make is no failure)
        if not stats.get("metinfo/pages/parsed", 0) and stats.get("robotstxt/forbidden", 0):
            return ROBOTS_FORBADE  # exit code 4: nothing was crawled
        failed = not shared and articles_failed(stats, max_failed)
        if ledger is not None:
            # The state commit needs the output that goes with it; a failed run that
            # collected nothing has none to give, and the previous -O file stays.
            collected = stats.get("item_scraped_count")
            return _INCOMPLETE_NOTES[incomplete_cause(stats)] if failed and not collected else None
        reason = unfinished_reason(stats)
        if reason == "shutdown":
            return INTERRUPTED
        if reason:
            return f"the run did not finish ({reason})"
        # the site went away during the run: a quarter of the articles is no whole run
        return _INCOMPLETE_NOTES[incomplete_cause(stats)] if failed else None

    def store(self, file: IO[bytes]) -> None:
        path, tmp = Path(self.path), self._tmp
        assert tmp is not None, "store() before open()"
        ledger = self._ledger()
        stats = getattr(self._crawler, "stats", None)
        settings = getattr(self._crawler, "settings", None)
        why = self._keep_previous(
            stats.get_stats() if stats is not None else None,
            ledger,
            settings.getfloat("METINFO_MAX_FAILED_SHARE", 1.0) if settings is not None else 1.0,
            bool(settings.get("REDIS_URL")) if settings is not None else False,
        )
        if why:
            # A run that failed this way must not wipe (-O) or add to (-o) what earlier runs
            # wrote, nor pass for a whole run under the output's name; its exit code says
            # what happened.  A site that gave no page leaves no empty file behind; an
            # unfinished run's items are kept beside the output (INTERRUPTED_SUFFIX).
            kept = "kept the previous" if path.exists() else "wrote no"
            _NOT_STORED.add(self._uri)
            if why != NO_PAGE:
                file.close()
                if keep_aside(tmp, path):
                    self.stored_at = interrupted_path(path)
                    logger.warning(
                        "%s %s: %s; what it collected is in %s", kept, path, why, self.stored_at
                    )
                else:
                    logger.warning("%s %s: %s before it collected anything", kept, path, why)
                return
            file.close()
            tmp.unlink(missing_ok=True)
            logger.warning("%s %s: %s", kept, path, why)
            return
        try:
            file.flush()
            os.fsync(file.fileno())
            if ledger is None or ledger.committed:
                _finish_open(file, tmp, path, self.write_mode)
                self.stored_at = path
                if (aside := interrupted_path(path)).exists():
                    # an earlier unfinished run's items, not merged into this output
                    logger.warning(
                        "%s holds the items of an earlier unfinished run; this run's output "
                        "%s is whole: delete it once you have what you need from it (in a "
                        "distributed run, once those items are with the other outputs: no "
                        "other worker exported them)",
                        aside,
                        path,
                    )
                return
            complete = tmp.with_suffix(".complete")
            os.replace(tmp, complete)
            _fsync_dir(path.parent)
            size_before = path.stat().st_size if path.exists() else 0
            ledger.commit_output(complete.name, str(path), size_before, self.write_mode)
            _finish(complete, path, self.write_mode, size_before)
            ledger.store.forget_output(complete.name)
            file.close()
            self.stored_at = path
        except BaseException:
            try:
                file.close()
            except OSError:
                pass  # the same full disk again: the part file goes all the same
            tmp.unlink(missing_ok=True)
            raise


def _finish_open(file: IO[bytes], tmp: Path, path: Path, mode: str) -> None:
    """Complete a feed without a state store: rename over or append whole lines."""
    if mode == "wb":
        os.replace(tmp, path)
    else:
        file.seek(0)
        with path.open("ab") as out:
            shutil.copyfileobj(file, out)
            out.flush()
            os.fsync(out.fileno())
        tmp.unlink()
    file.close()
    _fsync_dir(path.parent)


class CsvItemExporter(scrapy.exporters.CsvItemExporter):
    """Scrapy's CSV exporter with list and object fields (``column``, ``images``,
    ``attachments``) written as one JSON text per cell (``["新闻中心", "园区要闻"]``), which
    a spreadsheet or ``json.loads`` reads back, instead of Scrapy's comma-joined strings and
    Python ``repr`` of dicts.  Registered for ``-o file.csv`` by ``FEED_EXPORTERS``."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(value, ensure_ascii=False)
        return super().serialize_field(field, name, value)
