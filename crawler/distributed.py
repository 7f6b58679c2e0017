"""Many workers on one crawl through Redis (issue 6): leased requests, JSON queue, shared dedupe.

Switched on by ``-s REDIS_URL=redis://[:password@]host:port/db`` (``rediss://`` for TLS; more
client options in ``REDIS_PARAMS``).  Without ``REDIS_URL`` nothing here is active: the
scheduler falls back to Scrapy's own and the extension and pipeline are not loaded.

Built on scrapy-redis parts: its ``Scheduler`` (subclassed), its ``PriorityQueue`` (subclassed
so that a pop is a *lease*), its ``RFPDupeFilter`` (as is) and its connection helper.  What
stock scrapy-redis loses, and what this module adds (``../shared/reliability-plan.md`` B7, B8,
D5):

- **Leases, not pops.** A request taken from the queue moves, in one Lua script, into the
  worker's lease hash ``<run>:lease:<worker>``; the worker's heartbeat in the sorted set
  ``<run>:workers`` (score: Redis server time + ``METINFO_REDIS_LEASE_TIMEOUT``) keeps all its
  leases alive.  When the response (or failure) has been handled by the spider, the lease is
  dropped, or, when the response gave an item, moved to ``<run>:held:<worker>`` until the
  worker's output file is complete.  A worker whose heartbeat is older than the timeout (killed
  with ``kill -9``, or cut off) is *reaped* by any other: its leased and held requests go back
  to the queue and its claims on exported articles are withdrawn, so others export them.
- **JSON, never pickle.** Requests are stored as JSON (bytes as base64).  An entry that is not
  such JSON (a planted pickle, say) is rejected, logged, counted
  (``metinfo/redis/rejected``) and kept aside in ``<run>:rejected``; nothing read from Redis
  is ever executed or unpickled.
- **Outages.** A Redis that cannot be reached makes the worker hold new requests and
  acknowledgements in memory and retry with back-off; after
  ``METINFO_REDIS_MAX_OUTAGE`` seconds it stops (finish reason ``redis_unreachable``).
  The same holds at start-up: a worker whose Redis does not answer opens anyway, holds its
  start requests and retries joining the run on a reactor timer (never blocking the
  reactor, so SIGINT/SIGTERM act at once), and stops after ``METINFO_REDIS_MAX_OUTAGE``.
  A command may have run when its reply is lost (Redis killed in between), and redis-py
  sends it again: so the dedupe checks and the push of a request are one script
  (:data:`ENQUEUE_LUA`), and leases the worker never received are put back when it is
  idle (:meth:`LeasedQueue.requeue_orphans`).
- **Lost data.** The first worker of a run writes a run marker ``<run>:marker``; when it
  disappears (Redis restarted without persistence, flushed) workers stop with finish reason
  ``redis_data_lost`` instead of taking the empty queue for the end of the crawl.
- **The end.** A worker ends when, for ``METINFO_REDIS_IDLE_CLOSE`` seconds (at least the
  lease timeout, so that a worker that died meanwhile is reaped first), the shared queue was
  empty, no lease was out and no worker was overdue.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import redis
from scrapy import signals
from scrapy.core.scheduler import Scheduler as ScrapyScheduler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy_redis.connection import get_redis
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.crawlstate import CrawlState, SiteState
from crawler.runs import EXIT_BY_REASON, ExitCode
from crawler.site import parse_article_url, site_key

logger = logging.getLogger(__name__)

# Request meta key holding the id of the lease a request was taken under.
LEASE = "metinfo_lease"
# Request meta key holding the MetInfo id of an article request (set by the spider): the run
# asks for each article of a folder once, whichever URL form a worker found it under
# (article_key).
ARTICLE = "metinfo_article"


def article_key(root: str, url: str, article_id: str) -> str:
    """The run-wide key of an article request: the site, the folder of its URL and its id.
    MetInfo numbers ids per module table (guide §1.3): ``qiye/1.html`` of an image module
    and ``news/1.html`` are two pages, and a worker that found the first no article must
    still be able to ask for the second (a whole-site trial lost four articles so, with
    every worker exiting 0); the same article asked under two folders costs one request
    more, and its second item is dropped at export."""
    ref = parse_article_url(url, root)
    return f"{site_key(root)} {ref.folder if ref else ''}{article_id}"


# Errors that mean "Redis is not reachable right now" (as opposed to a refused password).
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
# Rejected entries kept for inspection.
MAX_REJECTED_KEPT = 100


EXIT_MESSAGES = {
    ExitCode.REDIS_DATA_LOST: "Redis lost the run's data (run marker gone): the crawl is NOT"
    " complete; start a new run (METINFO_REDIS_RUN) and use persistence (appendonly yes)",
    ExitCode.REDIS_UNREACHABLE: "Redis was unreachable for longer than METINFO_REDIS_MAX_OUTAGE;"
    " start the worker again once Redis is back: the run continues",
    ExitCode.LEASES_LOST: "this worker was taken for dead and its work was given to others: its"
    " output may repeat theirs; discard it and keep the other workers' outputs",
}


def enabled(settings: Any) -> bool:
    """True when the crawl runs in distributed mode (``REDIS_URL`` set)."""
    return bool(settings.get("REDIS_URL"))


def run_prefix(settings: Any, spider_name: str, start_urls: list[str]) -> str:
    """The Redis key prefix of one run: ``METINFO_REDIS_RUN`` when set, else derived from the
    spider and its start URLs, so that workers started with the same command share it."""
    run = settings.get("METINFO_REDIS_RUN")
    if not run:
        run = hashlib.sha1("\n".join([spider_name, *start_urls]).encode()).hexdigest()[:12]
    return f"metinfo:{spider_name}:{run}:"


def connect(settings: Any) -> redis.Redis:
    """A Redis client from ``REDIS_URL`` and ``REDIS_PARAMS``, with short socket timeouts so
    that an outage is noticed in seconds (scrapy-redis' default is 30 s)."""
    params = {"socket_timeout": 10, "socket_connect_timeout": 5, "retry_on_timeout": False}
    params.update(settings.getdict("REDIS_PARAMS"))
    return get_redis(url=settings.get("REDIS_URL"), **params)


def state_store(settings: Any, spider: Any) -> Any:
    """The Redis state store (``crawler.sharedstate``) named by ``METINFO_STATE`` for a
    distributed run, or None (not distributed, or no ``METINFO_STATE``).  Raises
    ``redis.RedisError`` when Redis refuses or cannot be reached."""
    name = settings.get("METINFO_STATE")
    if not (enabled(settings) and name):
        return None
    from crawler.sharedstate import RedisStateStore

    prefix = run_prefix(settings, spider.name, list(getattr(spider, "start_urls", [])))
    return RedisStateStore(connect(settings), str(name), prefix)


# -- JSON serialisation ---------------------------------------------------------------------


class RejectedEntry(ValueError):
    """A queue entry that is not a request this module wrote."""


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _to_json(v) for k, v in value.items()}
        return {"__pairs__": [[_to_json(k), _to_json(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot queue a value of type {type(value).__name__} as JSON")


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"], validate=True)
        if set(value) == {"__pairs__"}:
            return {_from_json(k): _from_json(v) for k, v in value["__pairs__"]}
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


class JsonSerializer:
    """scrapy-redis serializer (``loads``/``dumps``) of request dicts as JSON text.

    ``loads`` raises :class:`RejectedEntry` for anything else, pickles included; it never
    imports, calls or unpickles what it reads.  Request classes other than
    ``scrapy.Request`` and its ``scrapy.http`` subclasses are refused too (``_class``).
    """

    @staticmethod
    def dumps(obj: dict[str, Any]) -> str:
        meta = obj.get("meta") or {}
        clean = {}
        for key, value in meta.items():
            try:
                _to_json(value)
            except TypeError:
                logger.warning("request meta %r not queued (not JSON-serialisable)", key)
                continue
            clean[key] = value
        obj = {**obj, "meta": clean}
        return json.dumps(_to_json(obj), ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def loads(data: bytes | str) -> dict[str, Any]:
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            obj = _from_json(json.loads(text))
        except (UnicodeDecodeError, ValueError, TypeError) as exc:
            raise RejectedEntry(f"not a JSON request ({exc.__class__.__name__})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("url"), str):
            raise RejectedEntry("not a request object")
        cls = obj.get("_class")
        if cls is not None and not (isinstance(cls, str) and cls.startswith("scrapy.http.")):
            raise RejectedEntry(f"request class {cls!r} refused")
        return obj


# -- the leased queue -----------------------------------------------------------------------

# KEYS: queue, lease hash, workers, sequence; ARGV: worker, lease timeout (s).
# Returns {lease id, entry} or nil.  A lease value is "<queue score> <entry>".
POP_LUA = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return nil end
redis.call('ZREM', KEYS[1], top[1])
local id = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], id, top[2] .. ' ' .. top[1])
local now = redis.call('TIME')
redis.call('ZADD', KEYS[3], tonumber(now[1]) + tonumber(ARGV[2]), ARGV[1])
return {tostring(id), top[1]}
"""

# KEYS: queue, dupefilter, articles; ARGV: score, entry, fingerprint ('' when the request is
# not filtered), article key ('' when it is not an article).  Returns 1 when queued, 0 for a
# request already seen, 2 for an article another request of the run already asked for.  One
# script, so that a command whose reply was lost (Redis restarted) and that the client sends
# again cannot mark a request as seen without queueing it.
ENQUEUE_LUA = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
if ARGV[4] ~= '' and redis.call('SADD', KEYS[3], ARGV[4]) == 0 then return 2 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: queue, lease hash; ARGV: lease id...  Puts this worker's own leases back in the queue.
REQUEUE_LUA = """
local moved = 0
for i = 1, #ARGV do
  local v = redis.call('HGET', KEYS[2], ARGV[i])
  if v then
    local sp = string.find(v, ' ', 1, true)
    redis.call('ZADD', KEYS[1], string.sub(v, 1, sp - 1), string.sub(v, sp + 1))
    redis.call('HDEL', KEYS[2], ARGV[i])
    moved = moved + 1
  end
end
return moved
"""

# KEYS: workers, queue, exported; ARGV: prefix, worker (or '' for every overdue worker),
# requeue held ('1'/'0').  Puts leased (and held) requests back and withdraws export claims.
RELEASE_LUA = """
local workers
if ARGV[2] == '' then
  local now = redis.call('TIME')
  workers = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', tonumber(now[1]))
else
  workers = {ARGV[2]}
end
local moved = 0
for _, w in ipairs(workers) do
  local names = {'lease:'}
  if ARGV[3] == '1' then names = {'lease:', 'held:'} end
  for _, name in ipairs(names) do
    local h = ARGV[1] .. name .. w
    for _, v in ipairs(redis.call('HVALS', h)) do
      local sp = string.find(v, ' ', 1, true)
      redis.call('ZADD', KEYS[2], string.sub(v, 1, sp - 1), string.sub(v, sp + 1))
      moved = moved + 1
    end
    redis.call('DEL', h)
  end
  if ARGV[3] == '1' then
    local claims = ARGV[1] .. 'exported:' .. w
    for _, k in ipairs(redis.call('SMEMBERS', claims)) do
      if redis.call('HGET', KEYS[3], k) == w then redis.call('HDEL', KEYS[3], k) end
    end
    redis.call('DEL', claims)
  end
  redis.call('ZREM', KEYS[1], w)
end
return {#workers, moved}
"""

# KEYS: exported, claims of this worker; ARGV: worker, key...  Claims every key for the
# worker unless another worker holds one of them: returns '' or the key already held.
CLAIM_LUA = """
for i = 2, #ARGV do
  local owner = redis.call('HGET', KEYS[1], ARGV[i])
  if owner and owner ~= ARGV[1] then return ARGV[i] end
end
for i = 2, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[i])
end
return ''
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis' priority queue whose ``pop`` leases (see the module docstring)."""

    def __init__(
        self,
        server: redis.Redis,
        spider: Any,
        key: str,
        serializer: Any,
        prefix: str = "",
        worker: str = "",
        lease_timeout: float = 60.0,
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.prefix, self.worker, self.lease_timeout = prefix, worker, lease_timeout
        self.lease_key = f"{prefix}lease:{worker}"
        self._pop = server.register_script(POP_LUA)
        self._enqueue = server.register_script(ENQUEUE_LUA)
        self._requeue = server.register_script(REQUEUE_LUA)

    def push_new(self, request: Request, dupefilter: str, fingerprint: str, article: str) -> int:
        """Queue ``request`` unless the run has seen its ``fingerprint`` (in the set
        ``dupefilter``) or, given an ``article`` key (:func:`article_key`: ``"<site key>
        <folder><id>"``), asked for that article already.  Returns 1 (queued), 0 (request
        seen) or 2 (article asked for).  The checks and the push are one script
        (:data:`ENQUEUE_LUA`), so that sending it again after a lost reply cannot mark a
        request as seen without queueing it."""
        return int(
            self._enqueue(
                keys=[self.key, dupefilter, f"{self.prefix}articles"],
                args=[-request.priority, self._encode_request(request), fingerprint, article],
            )
        )

    def requeue_orphans(self, known: set[str]) -> int:
        """Put back this worker's leases not in ``known`` (the lease ids the engine has):
        the lease script ran but its reply was lost, and the client sent it again (redis-py
        retries on a broken connection).  Returns how many went back."""
        orphans = [k.decode() for k in self.server.hkeys(self.lease_key)]
        orphans = [k for k in orphans if k not in known]
        if not orphans:
            return 0
        return int(self._requeue(keys=[self.key, self.lease_key], args=orphans))

    def lease(self) -> tuple[str, bytes] | None:
        """(lease id, raw entry) of the first request, now leased by this worker; or None."""
        got = self._pop(
            keys=[self.key, self.lease_key, f"{self.prefix}workers", f"{self.prefix}seq"],
            args=[self.worker, int(self.lease_timeout)],
        )
        if not got:
            return None
        lease_id, raw = got
        return (lease_id.decode() if isinstance(lease_id, bytes) else str(lease_id)), raw

    def decode(self, raw: bytes) -> Request:
        """The request of a raw entry; raises :class:`RejectedEntry`."""
        try:
            return self._decode_request(raw)
        except RejectedEntry:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RejectedEntry(f"not a request of this spider ({exc})") from exc


# -- the scheduler --------------------------------------------------------------------------


class DistributedScheduler(RedisScheduler):
    """scrapy-redis' scheduler with leases, JSON entries and outage handling.

    ``SCHEDULER`` names this class for every crawl; without ``REDIS_URL``,
    :meth:`from_crawler` hands back Scrapy's own scheduler instead.
    """

    # Set once the run is joined (:meth:`_join`); until then nothing is read from or written
    # to the run's keys, and :meth:`close` has no timer or thread to stop.
    epoch: str | None = None
    _heartbeat: Any = None
    _join_call: Any = None
    _renewer: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:  # type: ignore[override]
        settings = crawler.settings
        if not enabled(settings):
            return ScrapyScheduler.from_crawler(crawler)
        server = connect(settings)
        instance = cls(server=server, persist=True, serializer=JsonSerializer)
        instance.stats = crawler.stats
        instance.crawler = crawler
        return instance

    # -- life cycle --------------------------------------------------------------------------

    def open(self, spider: Any) -> None:
        settings = self.crawler.settings
        self.spider = spider
        self.worker = f"{_hostname()}:{uuid.uuid4().hex[:12]}"
        self.prefix = run_prefix(settings, spider.name, list(getattr(spider, "start_urls", [])))
        self.lease_timeout = max(2.0, settings.getfloat("METINFO_REDIS_LEASE_TIMEOUT", 60.0))
        self.idle_close = max(
            settings.getfloat("METINFO_REDIS_IDLE_CLOSE", 0.0), self.lease_timeout + 2.0
        )
        self.max_outage = settings.getfloat("METINFO_REDIS_MAX_OUTAGE", 300.0)
        self.queue = LeasedQueue(
            self.server,
            spider,
            f"{self.prefix}queue",
            JsonSerializer,
            self.prefix,
            self.worker,
            self.lease_timeout,
        )
        self.df = RFPDupeFilter(
            self.server, key=f"{self.prefix}dupefilter", debug=settings.getbool("DUPEFILTER_DEBUG")
        )
        self._release = self.server.register_script(RELEASE_LUA)
        self._leased: set[str] = set()  # lease ids handed to the engine and not yet acked
        self._buffer: list[Request] = []  # requests not yet pushed (Redis unreachable)
        self._acks: list[tuple[str, bool]] = []  # (lease id, hold) not yet written
        self._outage_since: float | None = None
        self._reachable_since = time.monotonic()
        self._idle_since: float | None = None
        self._items: set[str] = set()  # leases whose response gave an item
        self.closing_reason: str | None = None
        self.committed = False
        self.crawler.metinfo_distributed = self
        spider.state = SharedCrawlState.replacing(spider.state)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        _watch_scraper(self.crawler, self.handled)
        self._lost = False
        self._stop = threading.Event()
        self._join_delay = 0.5
        self._heartbeat = _looping_call(self.heartbeat)
        self._heartbeat.start(max(1.0, self.lease_timeout / 4), now=False)
        if not self._join():
            # Redis does not answer: the engine starts all the same (its start requests are
            # held), so that a signal stops the worker at once; a timer retries the join.
            self._join_call = _call_later(self._join_delay, self._retry_join)

    def _join(self) -> bool:
        """Join the run once Redis answers: write or read the run marker and register this
        worker; then start the lease renewal.  False while Redis cannot be used (the outage
        clock runs: :meth:`_unreachable`)."""
        if self.epoch is not None:
            return True
        try:
            epoch = self._join_run()
            deadline = self._server_time() + self.lease_timeout
            self.server.zadd(f"{self.prefix}workers", {self.worker: deadline})
            queued = self.server.zcard(self.queue.key)
        except redis.RedisError as exc:
            # Not only a refused connection: a Redis still loading, read-only or refusing
            # the credentials it accepted a moment ago may come right within the outage.
            self._unreachable(exc)
            return False
        self.epoch = epoch
        self._reachable()
        self._renewer = threading.Thread(
            target=self._renew_forever, daemon=True, name="redis-lease-renewal"
        )
        self._renewer.start()
        logger.info(
            "distributed crawl: run %s, worker %s, %d requests queued",
            self.prefix.rstrip(":"),
            self.worker,
            queued,
        )
        return True

    def _retry_join(self) -> None:
        """Reactor timer while the run is not joined: try again, with back-off (at most
        10 s between tries), until joined or the outage has lasted too long."""
        self._join_call = None
        if self.closing_reason or self._join():
            return
        if self.closing_reason:  # the outage lasted too long: _unreachable gave up
            return
        self._join_delay = min(self._join_delay * 2, 10.0)
        since = self._outage_since if self._outage_since is not None else time.monotonic()
        left = since + self.max_outage - time.monotonic()
        delay = max(0.05, min(self._join_delay, left + 0.05))  # one try just past the limit
        self._join_call = _call_later(delay, self._retry_join)

    def _join_run(self) -> str:
        """Write or read the run marker (one try; raises ``redis.RedisError``)."""
        marker = f"{self.prefix}marker"
        epoch = uuid.uuid4().hex
        if self.server.set(marker, epoch, nx=True):
            logger.info("new distributed run %s", self.prefix.rstrip(":"))
            return epoch
        found = self.server.get(marker)
        if found is None:  # gone between the two commands (flushed): try again later
            raise redis.ConnectionError("the run marker vanished while joining")
        return found.decode() if isinstance(found, bytes) else str(found)

    def close(self, reason: str) -> None:
        if self._join_call is not None and self._join_call.active():
            self._join_call.cancel()
        self._join_call = None
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        self._flush()

    def stop_renewing(self) -> None:
        """Stop the renewal thread (bounded wait)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=self.lease_timeout)

    def finish(self, committed: bool) -> None:
        """The worker is leaving: with its output complete (``committed``) its held leases
        are dropped and its claims kept; otherwise everything it had goes back."""
        if committed:
            self.committed = True
        self.stop_renewing()
        if self.epoch is None:
            return  # never joined the run: nothing in Redis is this worker's
        try:
            self._flush()
            if committed:
                self.server.delete(
                    f"{self.prefix}held:{self.worker}", f"{self.prefix}exported:{self.worker}"
                )
            self._release(
                keys=self._release_keys(),
                args=[self.prefix, self.worker, "0" if committed else "1"],
            )
        except UNREACHABLE as exc:
            logger.error(
                "could not hand back this worker's leases (Redis unreachable: %s);"
                " other workers will take them after %.0f s",
                exc,
                self.lease_timeout,
            )

    def _release_keys(self) -> list[str]:
        return [f"{self.prefix}workers", self.queue.key, f"{self.prefix}exported"]

    # -- requests ----------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        old_lease = request.meta.pop(LEASE, None)  # a retry or redirect of a leased request
        self._buffer.append(request)
        if old_lease:
            request.meta.pop(ARTICLE, None)  # its article was asked for: this follows it up
            self._leased.discard(old_lease)
            self._acks.append((old_lease, False))
        self._flush()
        return True

    def _flush(self) -> bool:
        """Push buffered requests and acknowledgements; False while Redis is unreachable
        (or the run is not joined yet: the join timer is the only one to try then)."""
        if self.epoch is None:
            return False
        try:
            while self._buffer:
                self._push(self._buffer[0])
                self._buffer.pop(0)
            while self._acks:
                lease_id, hold = self._acks[0]
                self._ack(lease_id, hold)
                self._acks.pop(0)
        except UNREACHABLE as exc:
            self._unreachable(exc)
            return False
        self._reachable()
        return True

    def _push(self, request: Request) -> None:
        fingerprint, article = "", ""
        if not request.dont_filter:
            fingerprint = self.df.request_fingerprint(request)
            article_id = request.meta.get(ARTICLE)
            if article_id:
                root = request.meta.get("metinfo_root") or request.url
                article = article_key(root, request.url, article_id)
        queued = self.queue.push_new(request, self.df.key, fingerprint, article)
        if queued == 1:
            self.stats.inc_value("scheduler/enqueued/redis")
        elif queued == 2:
            self.stats.inc_value("metinfo/redis/article_requested_elsewhere")
        else:
            self.df.log(request, self.spider)

    def _ack(self, lease_id: str, hold: bool) -> None:
        lease_key = f"{self.prefix}lease:{self.worker}"
        if hold:
            value = self.server.hget(lease_key, lease_id)
            if value is not None:
                pipe = self.server.pipeline()
                pipe.hset(f"{self.prefix}held:{self.worker}", lease_id, value)
                pipe.hdel(lease_key, lease_id)
                pipe.execute()
            return
        self.server.hdel(lease_key, lease_id)

    def next_request(self) -> Request | None:
        if self.closing_reason or not self._flush():
            return None
        for _ in range(10):  # a bounded run past rejected entries
            try:
                got = self.queue.lease()
            except UNREACHABLE as exc:
                self._unreachable(exc)
                return None
            if got is None:
                return None
            lease_id, raw = got
            try:
                request = self.queue.decode(raw)
            except RejectedEntry as exc:
                self._reject(lease_id, raw, str(exc))
                continue
            request.meta[LEASE] = lease_id
            self._leased.add(lease_id)
            self.stats.inc_value("scheduler/dequeued/redis")
            self._idle_since = None
            return request
        return None

    def _reject(self, lease_id: str, raw: bytes, why: str) -> None:
        self.stats.inc_value("metinfo/redis/rejected")
        logger.error(
            "rejected a queue entry: %s; kept aside in %srejected, not executed (%r...)",
            why,
            self.prefix,
            bytes(raw[:40]),
        )
        try:
            pipe = self.server.pipeline()
            pipe.lpush(f"{self.prefix}rejected", raw)
            pipe.ltrim(f"{self.prefix}rejected", 0, MAX_REJECTED_KEPT - 1)
            pipe.hdel(f"{self.prefix}lease:{self.worker}", lease_id)
            pipe.execute()
        except UNREACHABLE as exc:
            self._unreachable(exc)

    def has_pending_requests(self) -> bool:
        if self._buffer or self._outage_since is not None or self.epoch is None:
            return True
        return bool(self._redis(lambda: self.server.zcard(self.queue.key), 1))

    def __len__(self) -> int:
        if self.epoch is None:
            return len(self._buffer)
        return int(self._redis(lambda: self.server.zcard(self.queue.key), 0)) + len(self._buffer)

    # -- acknowledgements ----------------------------------------------------------------------

    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        lease_id = getattr(response, "meta", {}).get(LEASE) if response is not None else None
        if lease_id:
            self._items.add(lease_id)

    def handled(self, request: Request) -> None:
        """The spider is done with ``request`` (its response or failure): acknowledge."""
        lease_id = request.meta.get(LEASE)
        if not lease_id:
            return
        hold = lease_id in self._items
        self._items.discard(lease_id)
        self._leased.discard(lease_id)
        self._acks.append((lease_id, hold))
        self._flush()

    # -- heartbeat, reaping and the end ----------------------------------------------------------

    def heartbeat(self) -> None:
        """Check the run marker and the renewal thread's findings, reap overdue workers."""
        if self.epoch is None:
            return  # not joined yet: the join timer is at work
        if self._lost:
            self._close("leases_lost")
            return
        try:
            marker = self.server.get(f"{self.prefix}marker")
            if marker is None or marker.decode() != self.epoch:
                self._close("redis_data_lost")
                return
            self._reachable()
            self.reap()
        except UNREACHABLE as exc:
            self._unreachable(exc)

    def _renew_forever(self) -> None:
        """Thread: renew this worker's deadline every quarter lease, whatever the reactor
        is busy with (parsing a large sitemap can hold it for seconds)."""
        key = f"{self.prefix}workers"
        while not self._stop.wait(self.lease_timeout / 4):
            try:
                now = self._server_time()
                deadline = {self.worker: now + self.lease_timeout}
                if not self.server.zadd(key, deadline, xx=True, ch=True):
                    if self.server.zscore(key, self.worker) is None:
                        # Reaped while alive: our leases and claims were handed to others.
                        self._lost = True
                        return
            except redis.RedisError:
                continue  # the reactor side notices outages and stops when they last

    def reap(self) -> None:
        """Hand back the work of workers whose heartbeat is overdue.  Not right after an
        outage: the others need a heartbeat's time to renew theirs first."""
        if time.monotonic() - self._reachable_since < self.lease_timeout:
            return
        dead, moved = self._release(keys=self._release_keys(), args=[self.prefix, "", "1"])
        if dead:
            self.stats.inc_value("metinfo/redis/workers_reaped", dead)
            self.stats.inc_value("metinfo/redis/requests_requeued", moved)
            logger.warning(
                "%d worker(s) stopped renewing their leases: %d request(s) requeued", dead, moved
            )

    def _server_time(self) -> float:
        seconds, micro = self.server.time()
        return seconds + micro / 1e6

    def spider_idle(self, spider: Any) -> None:
        """Keep the worker open until the whole run is done (or must stop)."""
        if self.closing_reason:
            raise CloseSpider(self.closing_reason)
        if not self._flush():
            raise DontCloseSpider
        try:
            self.heartbeat()
            if self.closing_reason:
                raise CloseSpider(self.closing_reason)
            self._requeue_orphans()
            busy = self.server.zcard(self.queue.key) > 0
            now = self._server_time()
            for worker, deadline in self.server.zrange(
                f"{self.prefix}workers", 0, -1, withscores=True
            ):
                name = worker.decode()
                if deadline < now or self.server.hlen(f"{self.prefix}lease:{name}"):
                    busy = True
        except UNREACHABLE as exc:
            self._unreachable(exc)
            raise DontCloseSpider from exc
        if busy:
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = time.monotonic()
        if time.monotonic() - self._idle_since < self.idle_close:
            raise DontCloseSpider
        logger.info("distributed run done: queue empty, no lease out for %.0f s", self.idle_close)

    def _requeue_orphans(self) -> None:
        """Put back leases of this worker that the engine never received (called when the
        worker is idle, so every lease it holds should be known)."""
        moved = self.queue.requeue_orphans(self._leased)
        if moved:
            self.stats.inc_value("metinfo/redis/orphan_leases_requeued", moved)
            logger.warning("%d lease(s) whose reply was lost requeued", moved)

    def _close(self, reason: str) -> None:
        if self.closing_reason:
            return
        self.closing_reason = reason
        message = EXIT_MESSAGES[EXIT_BY_REASON[reason]]
        if reason == "redis_unreachable" and self.epoch is None:
            message = (
                f"Redis at {_address(self.server)} could not be reached for"
                f" {self.max_outage:g} s (METINFO_REDIS_MAX_OUTAGE) since the worker started:"
                " nothing was crawled; start it again once Redis is back"
            )
        logger.error("stopping: %s", message)
        self.stats.set_value("metinfo/redis/stop_reason", reason)
        engine = self.crawler.engine
        _schedule(engine.close_spider_async(reason=reason))

    def _unreachable(self, exc: Exception) -> None:
        now = time.monotonic()
        if self._outage_since is None:
            self._outage_since = now
            self.stats.inc_value("metinfo/redis/outages")
            if self.epoch is None:
                logger.warning(
                    "Redis unreachable (%s): waiting up to %g s (METINFO_REDIS_MAX_OUTAGE)"
                    " to join the run",
                    exc,
                    self.max_outage,
                )
            else:
                logger.warning("Redis unreachable (%s): holding requests, retrying", exc)
        self._idle_since = None
        if now - self._outage_since > self.max_outage:
            self._close("redis_unreachable")

    def _reachable(self) -> None:
        if self._outage_since is not None:
            logger.warning(
                "Redis reachable again after %.1f s", time.monotonic() - self._outage_since
            )
            self._outage_since = None
            self._reachable_since = time.monotonic()

    def _redis(self, call: Callable[[], Any], default: Any) -> Any:
        try:
            value = call()
        except UNREACHABLE as exc:
            self._unreachable(exc)
            return default
        self._reachable()
        return value


def _hostname() -> str:
    import socket

    return socket.gethostname()


def _looping_call(function: Callable[[], None]) -> Any:
    from twisted.internet.task import LoopingCall

    return LoopingCall(function)


def _call_later(delay: float, function: Callable[[], None]) -> Any:
    from twisted.internet import reactor

    return reactor.callLater(delay, function)


def _address(server: redis.Redis) -> str:
    """Where ``server`` connects (host:port or socket path), never its credentials."""
    kwargs = server.connection_pool.connection_kwargs
    if kwargs.get("path"):
        return str(kwargs["path"])
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"


def _schedule(coro: Any) -> None:
    from scrapy.utils.defer import deferred_from_coro

    deferred_from_coro(coro)


def _watch_scraper(crawler: Any, handled: Callable[[Request], None]) -> None:
    """Call ``handled(request)`` once the scraper is done with a request's response or
    failure (callback or errback run, its requests scheduled, its items through the
    pipelines).  Scrapy has no signal for that moment, so the scraper's one entry point for
    it, ``Scraper._scrape``, is wrapped; a Scrapy without it is refused at start."""
    scraper = crawler.engine.scraper
    original = getattr(scraper, "_scrape", None)
    if original is None:
        raise NotConfigured("this Scrapy version has no Scraper._scrape: distributed mode off")

    async def _scrape(result: Any, request: Request) -> None:
        try:
            await original(result, request)
        finally:
            handled(request)

    scraper._scrape = _scrape


# -- the spider's memory, shared ----------------------------------------------------------------


class _Forgetful(set):  # type: ignore[type-arg]
    """A set that keeps nothing: outstanding requests are another worker's business."""

    def add(self, element: Any) -> None:
        return None


class SharedSiteState(SiteState):
    """A site's crawl memory in a run shared by workers: nothing is held back for sitemaps
    (another worker may read them), and requests outstanding are not tracked (another worker
    may answer them).  Whether another worker asked for an article already is settled when the
    request is queued (:meth:`DistributedScheduler._push`)."""

    def defer_until_sitemaps(self, requests: list[Any]) -> list[Any]:
        return requests


class SharedCrawlState(CrawlState):
    """:class:`crawler.crawlstate.CrawlState` with :class:`SharedSiteState` sites."""

    @classmethod
    def replacing(cls, local: CrawlState) -> SharedCrawlState:
        shared = cls(local._get_stats, local.logger)
        for root in local.sites:
            shared.site(root)
        return shared

    def site(self, root: str) -> SiteState:
        if root not in self.sites:
            state = SharedSiteState(root)
            state.outstanding = _Forgetful()
            self.sites[root] = state
        return self.sites[root]


# -- the extension ---------------------------------------------------------------------------


class DistributedRun:
    """Completes a worker's part of the run: once its output file is complete, its held
    leases are dropped (its articles are exported for good); otherwise (no output, a failed
    write) its work goes back to the queue.  Then sets the exit code of the Redis-specific
    endings (after ``crawler.runs.RunOutcome``)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.feed_failed = False
        self.feed_ok = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedRun:
        if not enabled(crawler.settings):
            raise NotConfigured  # no REDIS_URL: an ordinary run (no warning)
        ext = cls(crawler)
        crawler.signals.connect(ext.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def feed_slot_closed(self, slot: Any) -> None:
        failed = sum(
            v
            for k, v in self.crawler.stats.get_stats().items()
            if k.startswith("feedexport/failed_count/")
        )
        if failed:
            self.feed_failed = True
        else:
            self.feed_ok = True

    def engine_stopped(self) -> None:
        scheduler = getattr(self.crawler, "metinfo_distributed", None)
        stats = self.crawler.stats
        reason = stats.get_value("finish_reason")
        if scheduler is not None:
            lost = scheduler.closing_reason == "leases_lost"
            committed = self.feed_ok and not self.feed_failed and not lost
            scheduler.finish(committed=committed)
        code = EXIT_BY_REASON.get(str(reason)) or EXIT_BY_REASON.get(
            str(stats.get_value("metinfo/redis/stop_reason"))
        )
        current = stats.get_value("metinfo/exit_code", 0)
        if code is None and current == 6 and stats.get_value("metinfo/articles/fetched", 0) == 0:
            # Every article this worker asked for was fetched by other workers: not a failure.
            code = 0
        if code is not None and code != current:
            # RunOutcome, which ran first, said why when it found the same code.
            stats.set_value("metinfo/exit_code", code)
            if code in EXIT_MESSAGES:
                logger.error("run failed (exit code %d): %s", code, EXIT_MESSAGES[code])
