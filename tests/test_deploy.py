"""The deployment examples: systemd units verify, the sites file example loads."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.commands.crawlsites import crawl_args, load_sites
from crawler.replay import Archive, ReplayServer
from crawler.sample import SAMPLE_SITE

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def crawlsites(path: Path) -> subprocess.CompletedProcess[str]:
    """`scrapy crawlsites PATH` run to its end (2 minutes at most), output captured."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawlsites", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path: Path) -> None:
    """`systemd-analyze verify` accepts the service and timer once the install paths exist
    (they are replaced by this checkout's interpreter folder and root)."""
    scrapy = Path(sys.executable).parent / "scrapy"
    service = (DEPLOY / "metinfo-crawl@.service").read_text(encoding="utf-8")
    service = service.replace("/opt/metinfo-crawler/.venv/bin/scrapy", str(scrapy))
    service = service.replace("/opt/metinfo-crawler", str(ROOT))
    (tmp_path / "metinfo-crawl@.service").write_text(service, encoding="utf-8")
    shutil.copy(DEPLOY / "metinfo-crawl@.timer", tmp_path)
    result = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "metinfo-crawl@portals.service",
            "metinfo-crawl@portals.timer",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr


def test_sites_example_loads() -> None:
    """The example sites file gives two sites with names substituted into their paths."""
    sites = load_sites(DEPLOY / "sites.example.toml")
    assert [s["name"] for s in sites] == ["scoda", "smart-alliance"]
    assert sites[0]["output"] == "/srv/metinfo/scoda/%(time)s.jsonl"
    assert sites[1]["state"] == "/var/lib/metinfo-crawler/smart-alliance"
    args = crawl_args(sites[1])
    assert args[:4] == ["crawl", "metinfo", "-a", "url=http://events.smart-alliance.com/"]
    assert "lang=cn,en" in args and "skip_columns=媒体聚焦" in args
    assert "DOWNLOAD_DELAY=2" in args and "METINFO_CONTACT=mailto:ops@example.org" in args


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[site]]\nname = "a b"\nurl = "http://x/"\noutput = "o"\n', "'name'"),
        ('[[site]]\nname = "a"\nurl = "ftp://x/"\noutput = "o"\n', "'url'"),
        ('[[site]]\nname = "a"\nurl = "http://x/"\n', "no 'output'"),
        (
            '[[site]]\nname = "a"\nurl = "http://x/"\noutput = "o"\n[[site]]\nname = "a"\n'
            'url = "http://y/"\noutput = "o"\n',
            "used twice",
        ),
        ("", "lists no"),
        (
            '[[site]]\nname = "a"\nurl = "http://x/"\noutput = "o"\nlnag = "cn"\n',
            "unknown key.*lnag",
        ),
        (
            '[defaults]\ntimezone = "Asia/Shanghai"\nouptut = "o"\n[[site]]\nname = "a"\n'
            'url = "http://x/"\noutput = "o"\n',
            "unknown key.*ouptut",
        ),
        # two sites, one output file: the second would overwrite the first's articles
        (
            '[defaults]\noutput = "out/all.jsonl"\n[[site]]\nname = "a"\nurl = "http://x/"\n'
            '[[site]]\nname = "b"\nurl = "http://y/"\n',
            "site b: 'output' 'out/all.jsonl' is site a's too",
        ),
        (
            '[defaults]\noutput = "out/{name}.jsonl"\nstate = "state"\n[[site]]\nname = "a"\n'
            'url = "http://x/"\n[[site]]\nname = "b"\nurl = "http://y/"\n',
            "site b: 'state' 'state' is site a's too",
        ),
        (
            '[[site]]\nname = "a"\nurl = "http://x/"\noutput = "out/{nmae}.jsonl"\n',
            "names {nmae}; the only placeholder is {name}",
        ),
    ],
)
def test_sites_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_sites(path)


# A valid site for the cases below; OUT becomes a path in the test's folder.
SITE = '[[site]]\nname = "x"\nurl = "http://127.0.0.1:9/"\noutput = "OUT"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[site]]\nname = "x"\nurl = 5\noutput = "OUT"\n', "site x: 'url' = 5;"),
        (SITE + 'timeout = "abc"\n', "site x: 'timeout' = \"abc\"; expected a positive number"),
        (SITE + "timeout = -1\n", "site x: 'timeout' = -1; expected a positive number"),
        (SITE + "settings = 3\n", "site x: 'settings' = 3; expected a table"),
        ("[defaults]\nsettings = 3\n" + SITE, "[defaults]: 'settings' = 3; expected a table"),
        (SITE + "lang = 5\n", "site x: 'lang' = 5; expected a string or a list of strings"),
        (SITE + "columns = 7\n", "site x: 'columns' = 7; expected a string or a list of strings"),
        ("[default.settings]\nDOWNLOAD_DELAY = 1\n" + SITE, "unknown top-level key(s) default;"),
        (SITE + '[sites]\nname = "y"\n', "unknown top-level key(s) sites;"),
        (SITE + 'timezone = "Mars/Base"\n', "site x: unknown timezone 'Mars/Base'"),
        (
            SITE + "[site.settings]\nCONCURRENT_REQUESTS = 0\n",
            "site x: setting CONCURRENT_REQUESTS=0 must be a number of at least 1",
        ),
        (
            "[defaults.settings]\nAUTOTHROTTLE_ENABLED = 'maybe'\n" + SITE,
            "site x: setting AUTOTHROTTLE_ENABLED='maybe' is not a boolean",
        ),
    ],
    ids=[
        "url-int",
        "timeout-string",
        "timeout-negative",
        "settings-int",
        "defaults-settings-int",
        "lang-int",
        "columns-int",
        "table-default.settings",
        "table-sites",
        "timezone-unknown",
        "setting-out-of-range",
        "defaults-setting-not-boolean",
    ],
)
def test_crawlsites_bad_values_exit_2(tmp_path: Path, text: str, message: str) -> None:
    """A value of the wrong type or range, or an unknown top-level table, stops
    `scrapy crawlsites` before any crawl with exit code 2 and one line naming the key."""
    path = tmp_path / "sites.toml"
    output = tmp_path / "out.jsonl"
    path.write_text(text.replace("OUT", output.as_posix()), encoding="utf-8")
    result = crawlsites(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"sites file {path}: ") and result.stderr.count("\n") == 1
    assert message in result.stderr, result.stderr
    assert not output.exists() and not result.stdout


def test_sigterm_to_crawlsites_stops_the_site_crawl_cleanly(tmp_path: Path) -> None:
    """`systemctl stop` on a crawlsites unit: the running site's crawl gets the signal and
    stops cleanly (exit 15, its summary written, nothing left running), the sites after it
    are not started (and named so), and crawlsites exits 15 too."""
    out = tmp_path / "out"
    with ReplayServer(Archive.load(SAMPLE_SITE), delay=0.4) as server:
        sites = "".join(
            f'[[site]]\nname = "{name}"\nurl = "{server.origin}/"\n'
            f'output = "{out.as_posix()}/{{name}}.jsonl"\nsettings = {{ DOWNLOAD_DELAY = 0 }}\n'
            for name in ("first", "second")
        )
        path = tmp_path / "sites.toml"
        path.write_text(sites, encoding="utf-8")
        run = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawlsites", str(path)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # no terminal: the signal goes to crawlsites alone
        )
        deadline = time.monotonic() + 60
        while server.request_count < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        run.send_signal(signal.SIGTERM)
        log, _ = run.communicate(timeout=90)
    assert run.returncode == 15, log  # stopped, as a crawl's own: not a failed site (11)
    assert "first: exit code 15" in log, log
    assert "second: not started" in log and "[second]" not in log, log
    assert json.loads((out / "first.jsonl.summary.json").read_text())["exit_code"] == 15
    assert not list(out.glob(".*.part")) and not (out / "second.jsonl").exists()
    survivors = subprocess.run(
        ["pgrep", "-f", f"{out.as_posix()}/first.jsonl"], capture_output=True, text=True
    )
    assert survivors.stdout == "", survivors.stdout


def test_crawlsites_stops_a_site_at_its_timeout_and_goes_on(tmp_path: Path) -> None:
    """A site's crawl that outlives its `timeout` is stopped cleanly (exit 15, summary
    written) and said so once; the next site still runs (here it fails fast: exit 3)."""
    out = tmp_path / "out"
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/"
        with ReplayServer(Archive.load(SAMPLE_SITE), delay=2.0) as server:
            path = tmp_path / "sites.toml"
            path.write_text(
                f'[[site]]\nname = "slow"\nurl = "{server.origin}/"\ntimeout = 3\n'
                f'output = "{out.as_posix()}/{{name}}.jsonl"\n'
                f'[[site]]\nname = "down"\nurl = "{dead}"\n'
                f'output = "{out.as_posix()}/{{name}}.jsonl"\n'
                "settings = { RETRY_TIMES = 0 }\n",
                encoding="utf-8",
            )
            result = crawlsites(path)
    log = result.stdout + result.stderr
    assert result.returncode == 11, log
    assert result.stderr.count("[slow] stopped after 3 s") == 1, log
    assert "interrupted: the other sites are not crawled" not in log, log
    assert "slow: exit code 15" in result.stdout and "down: exit code 3" in result.stdout, log
    assert json.loads((out / "slow.jsonl.summary.json").read_text())["exit_code"] == 15
