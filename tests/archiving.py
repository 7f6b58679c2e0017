"""Helpers of the archiving tests (issue 5): sites to crawl, WARC readers, the checks to run."""

from __future__ import annotations

import atexit
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.corpora import CORPUS_WARC, SHARED_ENV, find_shared
from crawler.replay import Archive, LoggedRequest, PortBusyError, ReplayServer, base_origin
from crawler.sample import crawl_command
from tests.support import REPO_ROOT, SAMPLE_SITE, CrawlRun, run_crawl

CRAWL_TIMEOUT = 120  # seconds for one crawl of the sample site or one corpus
CORPUS = "metinfo72-donghu"
# The article whose body the archive site serves gzip-encoded.
GZIP_ARTICLE = "/news/shownews.php?id=5"
MISSING_ARTICLE = "/news/shownews.php?id=77"
PYWB_ENV = "METINFO_PYWB_BIN"


# --- sites ---------------------------------------------------------------------------------------


def archive_site(dest: Path) -> Path:
    """The sample site with what an archive must keep as it was sent: one article served
    gzip-encoded, ``/sitemap.xml`` a 301 to ``/sitemap-main.xml``, a sitemap entry that is a
    404, and a ``Set-Cookie`` on the home page.  Returns the manifest folder."""
    shutil.copytree(SAMPLE_SITE, dest)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    responses = manifest["responses"]
    for entry in responses:
        if entry["path"] == GZIP_ARTICLE:
            page = dest / entry["file"]
            packed = page.with_name(page.name + ".gz")
            packed.write_bytes(gzip.compress(page.read_bytes(), mtime=0))
            entry["file"] = str(packed.relative_to(dest))
            entry["headers"] = {**entry["headers"], "Content-Encoding": "gzip"}
        elif entry["path"] == "/":
            entry["headers"] = {**entry["headers"], "Set-Cookie": "PHPSESSID=s3ss10n; path=/"}
        elif entry["path"] == "/sitemap.xml":
            sitemap = dest / entry["file"]
            text = sitemap.read_text(encoding="utf-8").replace(
                "</urlset>",
                f"<url><loc>{{{{ORIGIN}}}}{MISSING_ARTICLE}</loc></url>\n</urlset>",
            )
            (dest / "pages" / "sitemap-main.xml").write_text(text, encoding="utf-8")
            entry.clear()
            entry.update(
                {
                    "path": "/sitemap.xml",
                    "status": 301,
                    "headers": {"Location": "{{ORIGIN}}/sitemap-main.xml"},
                }
            )
    responses.append(
        {
            "path": "/sitemap-main.xml",
            "headers": {"Content-Type": "text/xml; charset=utf-8"},
            "file": "pages/sitemap-main.xml",
        }
    )
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


@dataclass
class SiteCrawl:
    """A crawl of a manifest site: its run, the origin it was served at, what was served."""

    run: CrawlRun
    origin: str
    requests: list[LoggedRequest]
    output: Path
    warc_dir: Path | None = None
    mirror_dir: Path | None = None

    def warcs(self) -> list[Path]:
        assert self.warc_dir is not None
        return sorted(self.warc_dir.glob("*.warc.gz"))


def crawl_site(
    site: Path, workdir: Path, *settings: str, warc: bool = True, mirror: bool = False
) -> SiteCrawl:
    """Serve ``site`` on a free loopback port and crawl its home page into ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / "articles.jsonl"
    extra = list(settings)
    warc_dir = workdir / "warc" if warc else None
    mirror_dir = workdir / "mirror" if mirror else None
    if warc_dir is not None:
        extra.append(f"METINFO_WARC={warc_dir}")
    if mirror_dir is not None:
        extra.append(f"METINFO_MIRROR={mirror_dir}")
    with ReplayServer(Archive.load(site)) as server:
        run = run_crawl(
            crawl_command(f"{server.origin}/", output, *extra), output, timeout=CRAWL_TIMEOUT
        )
        requests = server.requests
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    return SiteCrawl(run, server.origin, requests, output, warc_dir, mirror_dir)


@dataclass
class CorpusCrawl:
    """The live crawl of a shared corpus with WARC capture and mirroring (robots.txt
    overridden: the corpus owner's recording includes /upload/)."""

    crawl: SiteCrawl
    folder: Path
    start: str
    items: list[dict[str, Any]] = field(default_factory=list)


def corpus_folder() -> Path:
    shared = find_shared()
    if shared is None:
        pytest.skip(
            f"no shared corpora folder: put it at ../shared beside the repository or set "
            f"{SHARED_ENV} to its path"
        )
    folder = shared / "sites" / CORPUS
    if not (folder / CORPUS_WARC).is_file():
        pytest.skip(f"corpus {CORPUS} is not in the shared folder ({SHARED_ENV} or ../shared)")
    return folder


@cache
def _corpus_crawl() -> CorpusCrawl | str:
    folder = corpus_folder()
    host, port = base_origin(folder)
    try:
        server = ReplayServer(Archive.load(folder), host, port)
    except PortBusyError:
        return (
            f"port {port} on {host} is busy, so {CORPUS} cannot be served at its base_url; "
            "stop whatever listens there and run again"
        )
    workdir = Path(tempfile.mkdtemp(prefix="metinfo-corpus-warc-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    output = workdir / "articles.jsonl"
    warc_dir, mirror_dir = workdir / "warc", workdir / "mirror"
    start = f"http://{host}:{port}/"
    with server:
        run = run_crawl(
            crawl_command(
                start,
                output,
                f"METINFO_WARC={warc_dir}",
                f"METINFO_MIRROR={mirror_dir}",
                "METINFO_MIRROR_IGNORE_ROBOTS=1",
            ),
            output,
            timeout=CRAWL_TIMEOUT * 2,
        )
        requests = server.requests
    assert run.returncode == 0, f"exit status {run.returncode}\n{run.log_tail()}"
    crawl = SiteCrawl(run, start.rstrip("/"), requests, output, warc_dir, mirror_dir)
    return CorpusCrawl(crawl, folder, start, run.items)


def corpus_crawl() -> CorpusCrawl:
    """The corpus crawl, run once per test session; skips when the corpus cannot be served."""
    result = _corpus_crawl()
    if isinstance(result, str):
        pytest.skip(result)
    return result


# --- WARC reading and checking ------------------------------------------------------------------


@dataclass
class Record:
    """One WARC record, read whole."""

    type: str
    uri: str
    headers: dict[str, str]
    http_status: int | None
    http_headers: list[tuple[str, str]]
    http_line: str
    payload: bytes  # the stored payload, not decoded

    def http_header(self, name: str) -> str | None:
        return next((v for k, v in self.http_headers if k.lower() == name.lower()), None)


def read_records(paths: list[Path]) -> list[Record]:
    """Every record of ``paths`` in order."""
    records = []
    for path in paths:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                http = record.http_headers
                status = None
                line = ""
                if http is not None and record.rec_type in ("response", "request"):
                    line = f"{http.protocol} {http.statusline}".strip()
                    if record.rec_type == "response":
                        status = int(http.get_statuscode())
                records.append(
                    Record(
                        type=record.rec_type,
                        uri=record.rec_headers.get_header("WARC-Target-URI") or "",
                        headers=dict(record.rec_headers.headers),
                        http_status=status,
                        http_headers=list(http.headers) if http is not None else [],
                        http_line=line,
                        payload=record.raw_stream.read(),
                    )
                )
    return records


def gzip_test(path: Path) -> tuple[bool, str]:
    """``gzip -t`` (or Python's gzip where the tool is missing): (passed, message)."""
    tool = shutil.which("gzip")
    if tool:
        result = subprocess.run(
            [tool, "-t", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
        return result.returncode == 0, result.stderr.strip()
    try:
        with gzip.open(path, "rb") as handle:
            while handle.read(1 << 16):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        return False, str(exc)
    return True, ""


def warcio_check(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """``warcio check -v`` on ``paths`` (the real command, from this interpreter)."""
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_warcs_valid(paths: list[Path]) -> None:
    """Every file passes ``gzip -t``, ``warcio check`` and ``python -m crawler.warc check``."""
    assert paths, "no WARC file was written"
    for path in paths:
        ok, message = gzip_test(path)
        assert ok, f"gzip -t {path.name}: {message}"
    result = warcio_check(paths)
    assert result.returncode == 0, f"warcio check failed:\n{result.stdout}\n{result.stderr}"
    assert "digest pass" in result.stdout
    ours = subprocess.run(
        [sys.executable, "-m", "crawler.warc", "check", *map(str, paths)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ours.returncode == 0, ours.stdout + ours.stderr


# --- re-extraction and pywb ----------------------------------------------------------------------


def reextract_command(warcs: list[Path], output: Path, *settings: str) -> list[str]:
    """``scrapy reextract WARC... -O output`` with ``-s`` settings."""
    cmd = [sys.executable, "-m", "scrapy", "reextract", *map(str, warcs), "-O", str(output)]
    for setting in settings:
        cmd += ["-s", setting]
    return cmd


def without(items: list[dict[str, Any]], *fields: str) -> dict[str, dict[str, Any]]:
    """Items by URL, without ``fields``."""
    return {i["url"]: {k: v for k, v in i.items() if k not in fields} for i in items}


def pywb_bin() -> Path | None:
    """The folder holding pywb's ``wb-manager`` and ``wayback``: ``$METINFO_PYWB_BIN``, else
    ``.venv-pywb`` in the repository, else wherever ``PATH`` finds them."""
    candidates = []
    if os.environ.get(PYWB_ENV):
        candidates.append(Path(os.environ[PYWB_ENV]))
    candidates.append(REPO_ROOT / ".venv-pywb" / ("Scripts" if os.name == "nt" else "bin"))
    for folder in candidates:
        if (folder / "wb-manager").exists() and (folder / "wayback").exists():
            return folder
    found = shutil.which("wb-manager")
    if found and shutil.which("wayback"):
        return Path(found).parent
    return None


def iter_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``."""
    return (p for p in folder.rglob("*") if p.is_file())
