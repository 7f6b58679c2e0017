"""The state store in Redis, for distributed runs (issue 6): ``REDIS_URL`` and ``METINFO_STATE``.

What :class:`crawler.state.StateStore` keeps in SQLite for one process, kept in Redis so that
every worker of a run reads the same history and writes its part of the run into it.
``METINFO_STATE`` names the store (``metinfo:state:<name>:``); every worker, on any machine,
that gives the same name shares it.  Keys:

- ``<store>articles:<site key>``: hash, MetInfo id -> JSON object (``url``,
  ``content_hash``, ``published_at``, ``revision``, ``first_seen``, ``last_seen``,
  ``last_exported``), the fields of the SQLite ``articles`` table;
- ``<store>runs:<site key>``: list of JSON run records, one per distributed run (its name),
  the last :data:`RUNS_KEPT`;
- ``<store>validators``: hash, URL -> JSON ``[etag, last_modified]``;
- ``<run>kind``: the kind (``full``/``incremental``) the run's first worker chose, which the
  others take, so that the workers of one run agree.

A worker writes its observations in one Lua script at its end, so Redis never holds half of
a worker's commit.  Two workers may write the same article (one listed it, another fetched
it; or a reaped worker's article fetched again): listed-only entries move ``last_seen``
only, a fetched one replaces the hash and time and keeps the higher revision.

Unlike the SQLite store, the record of an output being put in place is not kept: in a
distributed run a worker that dies before its output is in place has its articles exported by
the others (leases, ``crawler.distributed``), so its left-over ``.complete`` file is dropped
by the next run.  Redis errors (``redis.RedisError``) propagate to the caller.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import redis

from crawler.state import KnownIndex, Seen, Stored

# Run records kept per site (the SQLite store keeps all; these are for full-check timing).
RUNS_KEPT = 200
# Validators written per round trip.
BATCH = 1000

# KEYS: article hashes; ARGV: now, then one JSON observation per argument:
# {"k": key index, "id", "url", "content_hash" (null: listed only), "published_at",
#  "revision", "exported"}.
COMMIT_LUA = """
local now = ARGV[1]
for i = 2, #ARGV do
  local s = cjson.decode(ARGV[i])
  local key = KEYS[s.k]
  local old = redis.call('HGET', key, s.id)
  local r
  if old then
    r = cjson.decode(old)
  else
    r = {url = s.url, content_hash = cjson.null, published_at = s.published_at,
         revision = 0, first_seen = now, last_exported = cjson.null}
  end
  r.last_seen = now
  if s.content_hash ~= cjson.null then
    r.url = s.url
    r.content_hash = s.content_hash
    r.published_at = s.published_at
    if s.revision > r.revision then r.revision = s.revision end
    if s.exported then r.last_exported = now end
  end
  redis.call('HSET', key, s.id, cjson.encode(r))
end
return #ARGV - 1
"""

# KEYS: runs list; ARGV: run record JSON, runs kept.  A second worker of the same run widens
# the record (latest finish, worst exit code, one more worker) instead of adding one.
RECORD_RUN_LUA = """
local function merge(into, from)
  for root, list in pairs(from or {}) do
    local have = into[root] or {}
    local seen = {}
    for _, v in ipairs(have) do seen[v] = true end
    for _, v in ipairs(list) do
      if not seen[v] then table.insert(have, v); seen[v] = true end
    end
    into[root] = have
  end
end
local new = cjson.decode(ARGV[1])
local last = redis.call('LINDEX', KEYS[1], -1)
if last then
  local r = cjson.decode(last)
  if r.run == new.run then
    if new.finished > r.finished then r.finished = new.finished end
    if new.exit_code > r.exit_code then r.exit_code = new.exit_code end
    r.workers = r.workers + 1
    -- what every worker found, not the first one's alone: the folders of other modules
    -- and the list pages lost (the next run passes over the first, asks again for these)
    for _, field in ipairs({'other_modules', 'lists_lost'}) do
      if type(new.summary[field]) == 'table' then
        if type(r.summary[field]) ~= 'table' then r.summary[field] = {} end
        merge(r.summary[field], new.summary[field])
      end
    end
    redis.call('LSET', KEYS[1], -1, cjson.encode(r))
    return 0
  end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return 1
"""


class RedisStateStore:
    """The state store named ``name`` in the Redis of ``server``, seen by the worker of the
    run whose key prefix is ``run`` (``crawler.distributed.run_prefix``).  Same methods and
    shapes as :class:`crawler.state.StateStore`; ``shared`` is True."""

    shared = True

    def __init__(self, server: redis.Redis, name: str, run: str) -> None:
        self.server = server
        self.prefix = f"metinfo:state:{name}:"
        self.run = run
        self._commit = server.register_script(COMMIT_LUA)
        self._record = server.register_script(RECORD_RUN_LUA)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self.server.close()

    def _articles(self, site: str) -> str:
        return f"{self.prefix}articles:{site}"

    def _runs(self, site: str) -> str:
        return f"{self.prefix}runs:{site}"

    def settle_kind(self, kind: str) -> str:
        """The run's kind: ``kind`` when this worker is the run's first, else the first's."""
        key = f"{self.run}kind"
        self.server.set(key, kind, nx=True)
        found = self.server.get(key)
        return found.decode() if found else kind

    def known(self, site: str) -> KnownIndex:
        """Every article of ``site`` the store has seen, by MetInfo id."""
        rows = []
        for article_id, raw in self.server.hscan_iter(self._articles(site), count=1000):
            r = json.loads(raw)
            rows.append((article_id.decode(), r["published_at"], r["content_hash"], r["revision"]))
        return KnownIndex.from_rows(rows)

    def article(self, site: str, article_id: str) -> Stored | None:
        """What the store holds of one article, or None."""
        raw = self.server.hget(self._articles(site), article_id)
        if raw is None:
            return None
        r = json.loads(raw)
        return Stored(r["url"], r["content_hash"], r["published_at"], bool(r["last_exported"]))

    def commit(
        self, seen: Iterable[Seen], now: str, output: tuple[str, str, int, str] | None = None
    ) -> int:
        """Write this worker's observations in one script; returns how many.  ``output`` is
        accepted for the caller's sake and not kept (see the module docstring)."""
        keys: dict[str, int] = {}
        args: list[str] = [now]
        for s in seen:
            index = keys.setdefault(self._articles(s.site), len(keys) + 1)
            args.append(
                json.dumps(
                    {
                        "k": index,
                        "id": s.article_id,
                        "url": s.url,
                        "content_hash": s.content_hash,
                        "published_at": s.published_at,
                        "revision": s.revision,
                        "exported": s.exported,
                    },
                    ensure_ascii=False,
                )
            )
        if len(args) == 1:
            return 0
        return int(self._commit(keys=list(keys), args=args))

    def committed_output(self, complete_name: str) -> tuple[str, int, str] | None:
        """Always None: a distributed worker's unfinished output is redone by the others."""
        return None

    def forget_output(self, complete_name: str) -> None:
        """Nothing to forget (see :meth:`committed_output`)."""

    def record_run(
        self,
        site: str,
        kind: str,
        started: str,
        finished: str,
        exit_code: int,
        summary: dict[str, Any],
    ) -> None:
        """Add this run to the site's history, or widen the record its other workers wrote.
        ``summary`` is this worker's (the first to finish keeps its own, widened with the
        ``other_modules`` and ``lists_lost`` of the others)."""
        record = {
            "run": self.run,
            "kind": kind,
            "started": started,
            "finished": finished,
            "exit_code": exit_code,
            "workers": 1,
            "summary": summary,
        }
        self._record(keys=[self._runs(site)], args=[json.dumps(record), RUNS_KEPT])

    def _history(self, site: str) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in self.server.lrange(self._runs(site), 0, -1)]

    def previous_run(self, site: str, kind: str) -> dict[str, Any] | None:
        """The summary of the last other run of ``kind`` for ``site``, or None."""
        for record in reversed(self._history(site)):
            if record["kind"] == kind and record["run"] != self.run:
                return dict(record["summary"])
        return None

    def runs_since_full(
        self, site: str, kinds: tuple[str, ...] = ("full",)
    ) -> tuple[int, str | None]:
        """(runs since the last full run, when it finished) for ``site``; a full run is one
        whose history kind is in ``kinds`` (crawler.runs.full_kinds); this run itself does
        not count."""
        count = 0
        for record in reversed(self._history(site)):
            if record["run"] == self.run:
                continue
            if record["kind"] in kinds:
                return count, record["finished"]
            count += 1
        return count, None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored for ``url``, for a conditional GET."""
        raw = self.server.hget(f"{self.prefix}validators", url)
        if raw is None:
            return None, None
        etag, modified = json.loads(raw)
        return etag, modified

    def save_validators(self, items: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Store ``(url, etag, last_modified)`` triples."""
        key = f"{self.prefix}validators"
        batch: dict[str, str] = {}
        for url, etag, modified in items:
            batch[url] = json.dumps([etag, modified])
            if len(batch) >= BATCH:
                self.server.hset(key, mapping=batch)
                batch = {}
        if batch:
            self.server.hset(key, mapping=batch)
