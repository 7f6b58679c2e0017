"""Locate the shared folder of recorded MetInfo corpora (WARC + truth) beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable that overrides where the shared folder is looked for.
SHARED_ENV = "METINFO_SHARED"

#: File that marks a folder under ``sites/`` as a replayable corpus.
CORPUS_WARC = "site.warc.gz"

# The repository root is the parent of the ``crawler`` package folder; the shared folder sits
# next to the repository checkout, not inside it, so that corpora are never committed.
_REPO_ROOT = Path(__file__).resolve().parent.parent


def find_shared() -> Path | None:
    """Return the shared corpora folder, or None when there is none on this machine.

    Looks first at the folder named by the ``METINFO_SHARED`` environment variable (when set
    and non-empty), then at ``../shared`` relative to the repository root. Only an existing
    directory counts; a variable pointing at nothing yields None rather than falling back,
    so that a typo in the variable is not silently masked by another folder.

    Returns:
        An absolute path to an existing directory, or None.
    """
    override = os.environ.get(SHARED_ENV, "").strip()
    if override:
        path = Path(override).expanduser().resolve()
        return path if path.is_dir() else None
    path = (_REPO_ROOT.parent / "shared").resolve()
    return path if path.is_dir() else None


def corpus_dirs(shared: Path | None = None) -> list[Path]:
    """List the corpus folders ``<shared>/sites/*`` that hold a ``site.warc.gz``.

    Args:
        shared: the shared folder; defaults to :func:`find_shared`.

    Returns:
        Corpus folders sorted by name; an empty list when there is no shared folder.
    """
    root = shared if shared is not None else find_shared()
    if root is None:
        return []
    sites = root / "sites"
    if not sites.is_dir():
        return []
    return sorted(p for p in sites.iterdir() if p.is_dir() and (p / CORPUS_WARC).is_file())
