"""Mirror the content images and attachments of exported articles (``METINFO_MIRROR``; issue 5)."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import MediaPipeline
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# URLs named in the run summary per skip reason (the counts are always complete).
MAX_LISTED = 50
# A stored name is at most this many UTF-8 bytes (file systems allow 255; the hash folder
# already makes it unique, the name is only for people).
MAX_NAME_BYTES = 120
MAX_EXTENSION = 16
# Names Windows reserves whatever the extension (CON, CON.txt, com1.pdf ...): a mirror copied
# to such a system must not break there.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
# Path separators of any system, control characters, characters Windows refuses, and the
# look-alike slashes some file systems or tools fold into a real one.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\u2215\u2044\u29f8\uff0f\uff3c]')


def safe_file_name(url: str, content_type: str | None = None) -> str:
    """A file name for ``url`` that can only name a file inside its folder.

    The last segment of the URL path, percent-decoded once (so an encoded ``%2F`` or
    ``%5C`` becomes a plain character and is then replaced), NFC-normalised; separators,
    control and Windows-forbidden characters become ``_``; leading and trailing dots and
    spaces are stripped (no ``..``, no hidden file); a reserved device name gets a ``_``
    prefix; the result is cut to :data:`MAX_NAME_BYTES` UTF-8 bytes keeping the extension;
    an empty result is ``file``.  Without an extension in the URL, one is guessed from
    ``content_type``.
    """
    segment = urlsplit(url).path.rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", unquote(segment, errors="replace"))
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension.isalnum() or len(extension) > MAX_EXTENSION:
        stem, extension = name, ""
        guessed = mimetypes.guess_extension((content_type or "").split(";")[0].strip())
        if guessed:
            extension = guessed.lstrip(".")
    stem = stem.strip(" .") or "file"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    encoded = stem.encode("utf-8")
    if len(encoded) > budget:
        stem = encoded[:budget].decode("utf-8", "ignore").rstrip(" .") or "file"
    return stem + suffix


def in_scope(url: str, site: str) -> bool:
    """True when ``url`` is on the site's host and under its root path (``site`` is the
    item's site root, e.g. ``http://host/`` or ``http://host/cms/``)."""
    target, root = urlsplit(url), urlsplit(site)
    return (
        target.scheme in ("http", "https")
        and bool(root.netloc)
        and target.netloc.lower() == root.netloc.lower()
        and target.path.startswith(root.path or "/")
    )


class ContainedFilesStore(FSFilesStore):
    """Scrapy's file-system store, with two guarantees: a path that would resolve outside
    the folder is refused (``ValueError``), and a file appears whole or not at all (written
    to a hidden ``.part`` file beside it, then renamed)."""

    def persist_file(
        self,
        path: str | os.PathLike[str],
        buf: BytesIO,
        info: MediaPipeline.SpiderInfo,
        meta: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        base = Path(self.basedir).resolve()
        target = self._get_filesystem_path(path)
        if not target.resolve().is_relative_to(base) or target.resolve() == base:
            raise ValueError(f"refusing to write {path!r} outside {base}")
        self._mkdir(target.parent, info)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            part.write_bytes(buf.getvalue())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise


class MirrorFilesPipeline(FilesPipeline):
    """Download the ``images`` and ``attachments`` of each exported article into
    ``METINFO_MIRROR`` and list them in the item's ``files``.

    - Off unless ``METINFO_MIRROR`` names a folder (``NotConfigured``).
    - Only files of the article's own site (host and root path) are fetched; others count
      ``metinfo/mirror/skipped_offsite``.
    - Stored as ``<h[:2]>/<h>/<name>``: ``h`` is the SHA-256 of the content and ``name``
      :func:`safe_file_name` of the URL, so a name from a URL never leaves its folder.
    - Each file is capped at ``METINFO_MIRROR_MAX_BYTES`` (``download_maxsize``; 0: the
      ``DOWNLOAD_MAXSIZE`` cap); larger ones count ``metinfo/mirror/skipped_too_large``.
    - robots.txt rules: MetInfo's default robots.txt disallows ``/upload/``, where all media
      live, so by default those files are not fetched; they count
      ``metinfo/mirror/skipped_robots`` and the first :data:`MAX_LISTED` are listed in
      ``metinfo/mirror/skipped_robots_urls``.  ``METINFO_MIRROR_IGNORE_ROBOTS=1`` (for an
      archivist with the owner's permission, per site) fetches them anyway; pages still obey.
    - ``files`` lists each stored file as ``{url, path, checksum}`` (path relative to the
      mirror folder, checksum the SHA-256 hex digest); files not stored are left out.
    - Stats: ``metinfo/mirror/stored``, ``metinfo/mirror/bytes``, ``metinfo/mirror/failed``.
    """

    LOG_FAILED_RESULTS = False  # media_failed logs one concise line per file instead
    # A local folder only: the containment checks need a file system.
    STORE_SCHEMES = {"": ContainedFilesStore, "file": ContainedFilesStore}  # noqa: RUF012

    def __init__(
        self,
        store_uri: str,
        *,
        crawler: Any,
        max_bytes: int = 0,
        ignore_robots: bool = False,
    ) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.stats = crawler.stats
        self.max_bytes = max_bytes
        self.ignore_robots = ignore_robots

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorFilesPipeline:
        settings = crawler.settings
        directory = settings.get("METINFO_MIRROR")
        if not directory:
            raise NotConfigured  # no message: Scrapy would log a warning for every crawl
        scheme = urlsplit(str(directory)).scheme
        if scheme not in ("", "file") and not Path(str(directory)).is_absolute():
            raise ValueError(f"METINFO_MIRROR must be a local folder, got {directory!r}")
        return cls(
            str(directory),
            crawler=crawler,
            max_bytes=settings.getint("METINFO_MIRROR_MAX_BYTES"),
            ignore_robots=settings.getbool("METINFO_MIRROR_IGNORE_ROBOTS"),
        )

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        """One request per distinct in-scope image or attachment URL, images first."""
        adapter = ItemAdapter(item)
        site = adapter.get("site") or ""
        urls = [i.get("url") for i in adapter.get("images") or []]
        urls += [a.get("url") for a in adapter.get("attachments") or []]
        requests: list[Request] = []
        seen: set[str] = set()
        for url in urls:
            if not url or url in seen:
                continue
            seen.add(url)
            if not in_scope(url, site):
                self.stats.inc_value("metinfo/mirror/skipped_offsite")
                continue
            meta: dict[str, Any] = {"metinfo_mirror": True}
            if self.max_bytes > 0:
                meta["download_maxsize"] = self.max_bytes
            if self.ignore_robots:
                meta["dont_obey_robotstxt"] = True
            requests.append(Request(url, callback=NO_CALLBACK, meta=meta))
        return requests

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> None:
        """Always download: the stored path depends on the content, unknown before."""
        return None

    def media_failed(
        self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo
    ) -> NoReturn:
        """Count and log why a file was not stored, then fail it as Scrapy does."""
        error = failure.value
        if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):
            reason = "skipped_robots"
        elif isinstance(error, IgnoreRequest):
            reason = "skipped_filtered"
        elif isinstance(error, DownloadCancelledError) or "maxsize" in str(error):
            reason = "skipped_too_large"
        else:
            reason = "failed"
        self.stats.inc_value(f"metinfo/mirror/{reason}")
        key = f"metinfo/mirror/{reason}_urls"
        listed = self.stats.get_value(key) or []
        if len(listed) < MAX_LISTED:
            self.stats.set_value(key, [*listed, request.url])
        level = logging.DEBUG if reason == "skipped_robots" else logging.WARNING
        logger.log(level, "file not mirrored (%s): %s: %s", reason, request.url, error)
        super().media_failed(failure, request, info)

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        """``<h[:2]>/<h>/<safe name>`` relative to the mirror folder (``h``: SHA-256 hex)."""
        if response is None:
            raise ValueError("the mirror path depends on the content: pass the response")
        digest = hashlib.sha256(response.body).hexdigest()
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        return f"{digest[:2]}/{digest}/{safe_file_name(request.url, content_type)}"

    def file_downloaded(
        self,
        response: Response,
        request: Request,
        info: MediaPipeline.SpiderInfo,
        *,
        item: Any = None,
    ) -> str:
        """Store the body (whole or not at all); return its SHA-256 hex digest."""
        path = self.file_path(request, response=response, info=info, item=item)
        self.store.persist_file(path, BytesIO(response.body), info)
        self.stats.inc_value("metinfo/mirror/stored")
        self.stats.inc_value("metinfo/mirror/bytes", len(response.body))
        return path.split("/")[1]  # the SHA-256 hex digest names the folder

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        """Set ``files`` to ``[{url, path, checksum}]`` of the stored files, in request order."""
        stored = [
            {"url": value["url"], "path": value["path"], "checksum": value["checksum"]}
            for ok, value in results
            if ok
        ]
        ItemAdapter(item)["files"] = stored
        return item

    def close_spider(self) -> None:
        """Log what was mirrored and what robots.txt kept out."""
        stored = self.stats.get_value("metinfo/mirror/stored", 0)
        skipped = self.stats.get_value("metinfo/mirror/skipped_robots", 0)
        logger.info(
            "mirror: %d files stored (%d bytes); %d skipped by robots.txt",
            stored,
            self.stats.get_value("metinfo/mirror/bytes", 0),
            skipped,
        )
        if skipped:
            logger.warning(
                "robots.txt disallows %d files of exported articles (first: %s); an archivist "
                "with the site owner's permission can set METINFO_MIRROR_IGNORE_ROBOTS=1",
                skipped,
                ", ".join(self.stats.get_value("metinfo/mirror/skipped_robots_urls") or []),
            )
