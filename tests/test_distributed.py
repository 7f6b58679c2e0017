"""Distributed mode (issue 6): several `scrapy crawl` workers sharing one crawl through Redis.

A real ``redis-server`` runs on 127.0.0.1 (random port, temporary folder, AOF with
``appendfsync always``) and is stopped by its process id; without ``redis-server`` these tests
skip.  The site is generated (``bench.sitegen``, 2000 articles, a little latency).  Every
scenario checks the same thing: the union of the workers' outputs is the site's article set,
with no article twice.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from scrapy import Request, Spider

from bench.sitegen import Site, SiteServer, SiteSpec
from crawler.distributed import JsonSerializer, LeasedQueue, RejectedEntry
from crawler.sample import crawl_command
from crawler.sharedstate import RedisStateStore
from crawler.state import Stored

REPO_ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")
ARTICLES = 2000
WORKER_TIMEOUT = 150.0
# Short leases so that a killed worker's requests come back within seconds.
FAST = ("CONCURRENT_REQUESTS_PER_DOMAIN=8", "METINFO_REDIS_LEASE_TIMEOUT=5")

needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None,
    reason="redis-server not found (Debian: apt-get install redis-server); distributed tests"
    " skipped",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A redis-server on 127.0.0.1 with its data in ``folder``, started and stopped by pid."""

    def __init__(self, folder: Path, password: str = "") -> None:
        self.folder = folder
        self.port = free_port()
        self.password = password
        auth = f":{password}@" if password else ""
        self.url = f"redis://{auth}127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert REDIS_SERVER is not None
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--daemonize",
                "no",
                *(["--requirepass", self.password] if self.password else []),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = self.client()
        for _ in range(100):
            try:
                if client.ping():
                    return
            except (redis.ConnectionError, redis.BusyLoadingError):
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_timeout=5, password=self.password or None
        )


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    if REDIS_SERVER is None:
        pytest.skip("redis-server not found (Debian: apt-get install redis-server)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Site, str]]:
    site = Site(SiteSpec(seed=6, articles=ARTICLES, latency=0.003))
    with SiteServer(site, log=False) as server:
        yield site, f"{server.origin}/"


class Workers:
    """``n`` workers of one run, each with its own output and log."""

    def __init__(
        self, url: str, redis_url: str, run: str, folder: Path, n: int, *extra: str
    ) -> None:
        self.folder = folder
        self.outputs = [folder / f"worker{i}.jsonl" for i in range(n)]
        self.logs = [folder / f"worker{i}.log" for i in range(n)]
        settings = (*FAST, f"REDIS_URL={redis_url}", f"METINFO_REDIS_RUN={run}", *extra)
        self.processes = []
        for output, log in zip(self.outputs, self.logs, strict=True):
            with log.open("wb") as handle:
                self.processes.append(
                    subprocess.Popen(
                        crawl_command(url, output, *settings),
                        cwd=REPO_ROOT,
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                    )
                )

    def wait(self, timeout: float = WORKER_TIMEOUT) -> list[int]:
        deadline = time.monotonic() + timeout
        codes = []
        for process in self.processes:
            try:
                codes.append(process.wait(timeout=max(1.0, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                for other in self.processes:
                    if other.poll() is None:
                        other.kill()
                        other.wait(timeout=10)
                raise
        return codes

    def log(self, i: int) -> str:
        return self.logs[i].read_text(encoding="utf-8", errors="replace")[-3000:]

    def full_log(self, i: int) -> str:
        return self.logs[i].read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, i: int, text: str, timeout: float = 60.0) -> None:
        """Until worker ``i`` has logged ``text`` (bounded; fails when it exits first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.full_log(i):
                return
            if self.processes[i].poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker {i} never logged {text!r}:\n{self.log(i)}")

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def union(self, skip: int | None = None) -> Counter[str]:
        ids: Counter[str] = Counter()
        for i, output in enumerate(self.outputs):
            if i == skip:
                continue
            for line in output.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    ids[json.loads(line)["article_id"]] += 1
        return ids


def wait_for_exports(client: redis.Redis, run: str, at_least: int) -> None:
    """Until the run has claimed ``at_least`` exports (bounded)."""
    key = f"metinfo:metinfo:{run}:exported"
    for _ in range(600):
        if client.hlen(key) >= 2 * at_least:  # an id key and a content key per article
            return
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} exports after 30 s")


def assert_complete(site: Site, union: Counter[str]) -> None:
    expected = {str(i) for i in site.live_ids()}
    twice = sorted(k for k, n in union.items() if n > 1)
    assert not twice, f"{len(twice)} articles exported twice, e.g. {twice[:5]}"
    missing = sorted(expected - set(union), key=int)
    assert not missing, f"{len(missing)} articles missing, e.g. {missing[:10]}"
    assert set(union) == expected


@needs_redis
@pytest.mark.parametrize("n", [2, 3])
def test_workers_share_the_crawl(
    redis_server: RedisServer, site: tuple[Site, str], tmp_path: Path, n: int
) -> None:
    workers = Workers(site[1], redis_server.url, f"share{n}", tmp_path, n)
    codes = workers.wait()
    assert codes == [0] * n, "\n".join(workers.log(i) for i in range(n))
    counts = [len(o.read_text(encoding="utf-8").splitlines()) for o in workers.outputs]
    assert sum(1 for c in counts if c) >= 2, f"one worker did all the work: {counts}"
    assert_complete(site[0], workers.union())


@needs_redis
def test_a_worker_killed_mid_crawl_loses_nothing(
    redis_server: RedisServer, site: tuple[Site, str], tmp_path: Path
) -> None:
    workers = Workers(site[1], redis_server.url, "killed", tmp_path, 3)
    wait_for_exports(redis_server.client(), "killed", 150)
    victim = workers.processes[0]
    os.kill(victim.pid, signal.SIGKILL)
    codes = workers.wait()
    assert codes[0] == -signal.SIGKILL
    assert codes[1:] == [0, 0], workers.log(1) + workers.log(2)
    assert not workers.outputs[0].exists()
    assert_complete(site[0], workers.union(skip=0))
    # (the whole logs: the run's summary line at their end outgrew log()'s last 3,000
    # characters once it named each site's counts)
    reaped = "stopped renewing their leases" in workers.full_log(1) + workers.full_log(2)
    assert reaped, "the killed worker's leases were never handed back"


@needs_redis
def test_redis_restarted_mid_crawl(
    redis_server: RedisServer, site: tuple[Site, str], tmp_path: Path
) -> None:
    workers = Workers(site[1], redis_server.url, "restart", tmp_path, 2)
    wait_for_exports(redis_server.client(), "restart", 200)
    redis_server.kill()
    time.sleep(3)
    redis_server.start()
    codes = workers.wait()
    assert codes == [0, 0], workers.log(0) + workers.log(1)
    assert "Redis unreachable" in workers.log(0) + workers.log(1) or any(
        "Redis unreachable" in p.read_text(errors="replace") for p in workers.logs
    )
    assert_complete(site[0], workers.union())


class _Planted:
    """Unpickling this would create the sentinel file."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.sentinel}",))


@needs_redis
def test_a_planted_pickle_is_rejected_not_run(
    redis_server: RedisServer, site: tuple[Site, str], tmp_path: Path
) -> None:
    sentinel = tmp_path / "pwned"
    payload = pickle.dumps(_Planted(sentinel))
    client = redis_server.client()
    prefix = "metinfo:metinfo:pickle:"
    client.zadd(f"{prefix}queue", {payload: -100})
    article = site[1] + site[0].article_path(1).lstrip("/")
    output = tmp_path / "out.jsonl"
    log = tmp_path / "worker.log"
    settings = (*FAST, f"REDIS_URL={redis_server.url}", "METINFO_REDIS_RUN=pickle")
    with log.open("wb") as handle:
        result = subprocess.run(
            crawl_command(article, output, *settings),
            cwd=REPO_ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=WORKER_TIMEOUT,
            check=False,
        )
    text = log.read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, text[-3000:]
    assert not sentinel.exists()
    assert "rejected a queue entry" in text
    assert client.lrange(f"{prefix}rejected", 0, -1) == [payload]
    assert client.zcard(f"{prefix}queue") == 0
    assert [json.loads(line)["article_id"] for line in output.read_text().splitlines()] == ["1"]


def test_json_entries_round_trip_and_refuse_pickles() -> None:
    entry = {
        "url": "http://127.0.0.1/news/shownews.php?id=1",
        "headers": {b"Accept": [b"text/html"]},
        "body": b"\x00\xff",
        "meta": {"metinfo_root": "http://127.0.0.1/", "depth": 2, "bad": object()},
        "callback": "parse_article",
    }
    text = JsonSerializer.dumps(entry)
    back = JsonSerializer.loads(text.encode())
    assert back["headers"] == {b"Accept": [b"text/html"]} and back["body"] == b"\x00\xff"
    assert back["meta"] == {"metinfo_root": "http://127.0.0.1/", "depth": 2}
    for bad in (pickle.dumps({"url": "x"}), b"[1]", b'{"url": "x", "_class": "os.system"}'):
        with pytest.raises(RejectedEntry):
            JsonSerializer.loads(bad)


class LostReplyProxy:
    """A TCP relay on 127.0.0.1 to a Redis server that, once armed, passes one command whose
    bytes contain ``trigger`` to the server and then cuts the client off before the reply:
    the command ran, the client never heard so, and redis-py sends it again."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.trigger: bytes | None = None
        self.cut = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        with client, server:
            while True:
                data = client.recv(65536)
                if not data:
                    return
                server.sendall(data)
                reply = server.recv(65536)
                if self.trigger is not None and self.trigger in data:
                    self.trigger = None
                    self.cut += 1
                    return  # the reply is dropped with the connection
                client.sendall(reply)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def lost_reply(redis_server: RedisServer) -> Iterator[tuple[LostReplyProxy, LeasedQueue]]:
    proxy = LostReplyProxy(redis_server.port)
    client = redis.Redis(host="127.0.0.1", port=proxy.port, socket_timeout=5)
    prefix = f"metinfo:metinfo:lost{proxy.port}:"
    queue = LeasedQueue(
        client, Spider("metinfo"), f"{prefix}queue", JsonSerializer, prefix, "w1", 30
    )
    yield proxy, queue
    proxy.close()


def queued_urls(queue: LeasedQueue) -> list[str]:
    """URLs in the queue, first to be leased first."""
    return [JsonSerializer.loads(e)["url"] for e in queue.server.zrange(queue.key, 0, -1)]


@needs_redis
def test_a_push_whose_reply_was_lost_is_queued_once(
    lost_reply: tuple[LostReplyProxy, LeasedQueue],
) -> None:
    proxy, queue = lost_reply
    dupefilter = f"{queue.prefix}dupefilter"
    first = Request("http://127.0.0.1/news/shownews.php?id=1")
    second = Request("http://127.0.0.1/news/shownews.php?id=2")
    assert queue.push_new(first, dupefilter, "fp1", "127.0.0.1 1") == 1  # scripts loaded
    proxy.trigger = b"fp2"
    # Ran, reply lost, sent again: the second run finds it seen, and it is still queued.
    assert queue.push_new(second, dupefilter, "fp2", "127.0.0.1 2") == 0
    assert proxy.cut == 1
    urls = queued_urls(queue)
    assert sorted(urls) == [first.url, second.url]
    # The same article under another URL form is not queued again.
    other_form = Request("http://127.0.0.1/news/2.html")
    assert queue.push_new(other_form, dupefilter, "fp3", "127.0.0.1 2") == 2
    assert queue.server.zcard(queue.key) == 2


def test_an_article_is_asked_for_once_per_folder_whatever_its_url_form() -> None:
    """Ids are numbered per module table: an image module's qiye/1.html and the news
    article news/1.html are two pages, asked for by any worker each (a whole-site trial
    lost four news articles to the sitemap's image pages of the same ids); one article's
    URL forms in one folder share a key."""
    from crawler.distributed import article_key

    root = "http://www.chamber.example/"
    news = article_key(root, root + "news/1.html", "1")
    assert news != article_key(root, root + "qiye/1.html", "1")
    assert news == article_key(root, root + "news/shownews.php?id=1&lang=cn", "1")
    assert news == article_key("http://chamber.example/", root + "news/1.html", "1")


@needs_redis
def test_a_lease_whose_reply_was_lost_goes_back_to_the_queue(
    lost_reply: tuple[LostReplyProxy, LeasedQueue],
) -> None:
    proxy, queue = lost_reply
    dupefilter = f"{queue.prefix}dupefilter"
    for i in (1, 2, 3):
        request = Request(f"http://127.0.0.1/news/shownews.php?id={i}", priority=-i)
        queue.push_new(request, dupefilter, f"fp{i}", "")
    first = queue.lease()  # id=1, and the script is loaded
    assert first is not None
    proxy.trigger = b"EVALSHA"
    got = queue.lease()
    assert proxy.cut == 1 and got is not None
    lease_id, raw = got
    # The lost run leased id=2; the resent one leased id=3.
    assert JsonSerializer.loads(raw)["url"].endswith("id=3")
    assert queue.server.hlen(queue.lease_key) == 3
    assert queue.requeue_orphans({first[0], lease_id}) == 1
    urls = queued_urls(queue)
    assert urls == ["http://127.0.0.1/news/shownews.php?id=2"]
    assert queue.requeue_orphans({first[0], lease_id}) == 0


@needs_redis
def test_workers_share_the_state_store_across_runs(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    """METINFO_STATE with REDIS_URL: run 1 exports everything once; after an editor's changes
    run 2 (another run name, same store) exports exactly the added and re-dated articles."""
    site = Site(SiteSpec(seed=8, articles=300, latency=0.002))
    client = redis_server.client()
    with SiteServer(site, log=False) as server:
        origin = f"{server.origin}/"

        def run(name: str) -> Workers:
            folder = tmp_path / name
            folder.mkdir()
            workers = Workers(origin, redis_server.url, name, folder, 2, "METINFO_STATE=shared")
            codes = workers.wait()
            assert codes == [0, 0], workers.log(0) + workers.log(1)
            return workers

        first = run("state-day1")
        assert_complete(site, first.union())
        assert all("state store: full run" in first.full_log(i) for i in (0, 1))
        changes = site.mutate(added=5, edited_redated=3, edited_body_only=2, deleted=2)
        second = run("state-day2")
        assert all("state store: incremental run" in second.full_log(i) for i in (0, 1))
        revisions = {
            json.loads(line)["article_id"]: json.loads(line)["revision"]
            for output in second.outputs
            for line in output.read_text(encoding="utf-8").splitlines()
        }
        expected = {str(i): 1 for i in changes.added} | {str(i): 2 for i in changes.redated}
        assert revisions == expected
        assert sum(second.union().values()) == len(expected)
    site_hash = next(iter(client.scan_iter("metinfo:state:shared:articles:*")))
    stored = {k.decode(): json.loads(v) for k, v in client.hgetall(site_hash).items()}
    assert len(stored) == 305  # 300, 5 added; the deleted ones stay known
    assert {stored[str(i)]["revision"] for i in changes.redated} == {2}
    # What the dedupe pipeline reads of an article an earlier run exported.
    store = RedisStateStore(client, "shared", "check:")
    key, redated = site_hash.decode().split("articles:", 1)[1], str(min(changes.redated))
    row = stored[redated]
    assert store.article(key, redated) == Stored(
        row["url"], row["content_hash"], row["published_at"], True
    )
    assert redated in row["url"] and len(row["content_hash"]) == 64
    assert store.article(key, "999999") is None
    runs = [json.loads(r) for r in client.lrange(site_hash.replace(b"articles", b"runs"), 0, -1)]
    assert [(r["kind"], r["workers"]) for r in runs] == [("full", 2), ("incremental", 2)]
    # Workers on one host share the store: no state lock folder appeared.
    assert not (REPO_ROOT / "shared").exists()


@needs_redis
def test_a_password_in_redis_url_is_used(tmp_path: Path) -> None:
    """A Redis with ``requirepass``: the right password in REDIS_URL crawls; a wrong one
    stops at once with one plain line, no traceback."""
    server = RedisServer(tmp_path, password="s3cret-pw")
    server.start()
    site = Site(SiteSpec(seed=9, articles=30))
    try:
        with SiteServer(site, log=False) as served:
            good = Workers(f"{served.origin}/", server.url, "auth", tmp_path, 1)
            assert good.wait() == [0], good.log(0)
            assert_complete(site, good.union())
            assert server.client().exists("metinfo:metinfo:auth:marker")
            bad_url = server.url.replace("s3cret-pw", "not-the-pw-7731")
            bad_folder = tmp_path / "bad"
            bad_folder.mkdir()
            bad = Workers(f"{served.origin}/", bad_url, "auth-bad", bad_folder, 1)
            codes = bad.wait()
        log = bad.log(0)
        assert codes == [2] and "Traceback" not in log, log
        assert "not started: Redis refused the credentials in REDIS_URL" in log, log
        assert "s3cret-pw" not in log and "not-the-pw-7731" not in log, log
        assert not server.client().exists("metinfo:metinfo:auth-bad:marker")
    finally:
        server.kill()


# The line that says why a worker whose Redis never answered stopped.
NO_REDIS_LINE = "stopping: Redis at 127.0.0.1:"
# Lines that mean an error escaped into Scrapy's internals.
INTERNAL_ERRORS = (
    "Traceback",
    "Engine slot not assigned",
    "Scraper slot not assigned",
    "has no attribute",
    "AssertionError",
    "NotConfigured",
)


@pytest.fixture(scope="module")
def small_site() -> Iterator[str]:
    site = Site(SiteSpec(seed=12, articles=30))
    with SiteServer(site, log=False) as server:
        yield f"{server.origin}/"


def assert_no_internal_errors(log: str, *allowed: str) -> None:
    """No traceback or Scrapy-internal error in ``log``; its ERROR lines are the plain
    ones containing one of ``allowed``."""
    for marker in INTERNAL_ERRORS:
        assert marker not in log, log[-3000:]
    errors = [line for line in log.splitlines() if "] ERROR:" in line]
    assert all(any(a in line for a in allowed) for line in errors), errors


def test_redis_unreachable_at_start_stops_after_max_outage(small_site: str, tmp_path: Path) -> None:
    """Nothing listens at REDIS_URL: the worker waits METINFO_REDIS_MAX_OUTAGE (2 s), then
    stops with exit code 13, one plain line and its summary file; no traceback."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    previous = '{"kept": "from the last run"}\n'
    (tmp_path / "worker0.jsonl").write_text(previous, encoding="utf-8")
    started = time.monotonic()
    workers = Workers(small_site, redis_url, "down", tmp_path, 1, "METINFO_REDIS_MAX_OUTAGE=2")
    codes = workers.wait(timeout=60)
    elapsed = time.monotonic() - started
    log = workers.full_log(0)
    assert codes == [13], log[-3000:]
    assert_no_internal_errors(log, NO_REDIS_LINE, "run failed (exit code 13)")
    assert log.count(NO_REDIS_LINE) == 1, log[-3000:]
    assert "METINFO_REDIS_MAX_OUTAGE" in log
    assert 2 <= elapsed < 30, f"took {elapsed:.0f} s"
    summary = json.loads((tmp_path / "worker0.jsonl.summary.json").read_text(encoding="utf-8"))
    assert summary["exit_code"] == 13
    # A run that did not finish leaves the last run's output as it was; having collected
    # nothing, it names no file of items either.
    assert (tmp_path / "worker0.jsonl").read_text(encoding="utf-8") == previous
    assert "Stored jsonl feed" not in log, log[-3000:]
    assert summary["outputs"] == [] and not (tmp_path / "worker0.jsonl.interrupted").exists()
    assert "the run did not finish (redis_unreachable) before it collected anything" in log


def test_redis_unreachable_at_start_with_a_state_store_is_exit_13(
    small_site: str, tmp_path: Path
) -> None:
    """The same outage when the run also keeps its state in Redis (METINFO_STATE): the
    state store cannot open, and the run ends with Redis's code 13, not 5 (unwritable)."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    workers = Workers(
        small_site,
        redis_url,
        "down-state",
        tmp_path,
        1,
        "METINFO_STATE=shared",
        "METINFO_REDIS_MAX_OUTAGE=2",
    )
    codes = workers.wait(timeout=60)
    log = workers.full_log(0)
    assert codes == [13], log[-3000:]
    assert_no_internal_errors(log, NO_REDIS_LINE, "not crawling: state store", "exit code 13")
    assert log.count("run failed (exit code") == 1, log[-3000:]
    summary = json.loads((tmp_path / "worker0.jsonl.summary.json").read_text(encoding="utf-8"))
    assert summary["exit_code"] == 13


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_waiting_for_redis_stops_at_once(
    small_site: str, tmp_path: Path, signum: int
) -> None:
    """SIGINT or SIGTERM while the worker waits for an unreachable Redis (at start-up) stops
    it within seconds with exit code 15, not at the end of METINFO_REDIS_MAX_OUTAGE."""
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    workers = Workers(
        small_site, redis_url, "down-signal", tmp_path, 1, "METINFO_REDIS_MAX_OUTAGE=120"
    )
    try:
        workers.wait_for_log(0, "Redis unreachable", timeout=60)
        time.sleep(1)
        sent = time.monotonic()
        os.kill(workers.processes[0].pid, signum)
        codes = workers.wait(timeout=15)
        elapsed = time.monotonic() - sent
    finally:
        workers.kill_all()
    log = workers.full_log(0)
    assert codes == [15], log[-3000:]
    assert elapsed < 5, f"stopped {elapsed:.1f} s after the signal"
    assert_no_internal_errors(log, "run failed (exit code 15)")


@pytest.mark.parametrize(
    "redis_url",
    [
        "notaurl",
        "redis//:pw-no-colon-51@127.0.0.1:6379/0",  # no ':' after the scheme
        "redis://127.0.0.1:pw-as-port-52/0",  # a password where the port goes
        "http://:pw-http-53@127.0.0.1:6379/0",
    ],
)
def test_a_malformed_redis_url_is_a_usage_error(
    small_site: str, tmp_path: Path, redis_url: str
) -> None:
    """A REDIS_URL that is no Redis URL: exit code 2 and one plain line naming REDIS_URL and
    the valid forms, without repeating the password it may hold."""
    workers = Workers(small_site, redis_url, "bad-url", tmp_path, 1)
    codes = workers.wait(timeout=60)
    log = workers.full_log(0)
    assert codes == [2], log[-3000:]
    assert_no_internal_errors(log, "not started: REDIS_URL")
    lines = [line for line in log.splitlines() if "not started: REDIS_URL" in line]
    assert len(lines) == 1, log[-3000:]
    assert all(form in lines[0] for form in ("redis://", "rediss://", "unix://")), lines[0]
    assert "(exit code 2)" in lines[0]
    assert "pw-" not in log, log[-3000:]


@needs_redis
def test_a_run_record_holds_what_every_worker_found(redis_server: RedisServer) -> None:
    """Two workers of one run record it: the folders of other modules and the list pages
    lost are the union of theirs, so the next run passes over every such folder and asks
    again for every lost page (a whole-site trial: the first worker's alone were kept, and
    the next run asked again for the other's about/, download/ and job/ pages)."""
    client = redis_server.client()
    root = "http://www.chamber.example/"
    for worker, folders, lost in (
        ("a", ["qiye/"], []),
        ("b", ["about/", "qiye/"], [root + "news/list-2-2.html"]),
    ):
        summary = {"other_modules": {root: folders}, "lists_lost": {root: lost} if lost else {}}
        RedisStateStore(client, "merge", "run1:").record_run(
            "www.chamber.example", "full", "t0", f"t1{worker}", 0, summary
        )
    record = RedisStateStore(client, "merge", "run2:").previous_run("www.chamber.example", "full")
    assert record is not None
    assert sorted(record["other_modules"][root]) == ["about/", "qiye/"]
    assert record["lists_lost"] == {root: [root + "news/list-2-2.html"]}
