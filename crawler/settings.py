"""Scrapy settings of the MetInfo crawler: polite defaults, every one overridable with -s."""

from crawler import __version__

BOT_NAME = "metinfo-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Identity and politeness ------------------------------------------------------------------
# An honest User-Agent naming the project and version.  Add the operator's contact with
# -s METINFO_CONTACT=mailto:ops@example.org (appended to this string by the spider), or
# replace it entirely with -s USER_AGENT=...
PROJECT_URL = "https://github.com/metinfo-crawler/metinfo-crawler"
USER_AGENT = f"metinfo-crawler/{__version__} (+{PROJECT_URL})"
METINFO_CONTACT = ""
ROBOTSTXT_OBEY = True
# AutoThrottle adapts the delay to the server's latency; these bounds keep a small
# organisation's shared host comfortable (Scrapy's own defaults are 5 s and 60 s).
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Outputs of one callback processed in parallel.  Scrapy's 100 starts that many asyncio tasks
# for every response (Scrapy 2.13+); a callback here yields one item or a list page's few
# dozen requests, and 10 ran 1.24x faster end to end (bench row 1f, bench/results/latest.md).
CONCURRENT_ITEMS = 10
# Scrapy re-reads a generator callback's source with ``ast`` on every response to warn about
# ``return value`` in generators: its cache is keyed by the bound method, which is a new
# object each time, so it never hits (about 6% of a crawl's CPU in a profile of the 10k
# bench site).  tests/test_spider_contract.py checks our callbacks instead, once.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's request dupefilter with its fingerprints packed (about 30 bytes a request instead
# of 87: crawl memory stays flat in site size, bench 5a).
DUPEFILTER_CLASS = "crawler.dupefilters.CompactDupeFilter"
DOWNLOAD_TIMEOUT = 30
# Responses larger than this are cut off (bytes): news pages are far smaller.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
# No way into a running crawl from outside it: Scrapy's telnet console and its remote
# control (2.19+: an HTTP server on localhost that runs any Python code it is sent, with
# its token written to a file in the user's profile) are off for unattended runs.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- MetInfo ----------------------------------------------------------------------------------
# IANA timezone of the times pages print.  MetInfo hard-codes Asia/Shanghai (guide §3); a
# site that patched it can be crawled with -a tz=... or -s METINFO_TIMEZONE=...
METINFO_TIMEZONE = "Asia/Shanghai"
# Seconds between progress lines (columns done/found, list pages, articles exported).
LOGSTATS_INTERVAL = 60.0
# Article requests in the scheduler at once; the rest wait as URLs (about a tenth of the
# memory of a queued request) and go as answers come back, so that a sitemap of 100,000
# articles does not queue 100,000 requests.  0: no bound (distributed runs: Redis holds it).
METINFO_ARTICLE_WINDOW = 1000

# --- Pipeline ---------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Never send a request for a hit counter, member, admin or search URL (guide §2.1, §5),
    # whatever produced it.
    "crawler.middlewares.ForbiddenUrlMiddleware": 50,
    # An article request queued before its folder turned out another module's is dropped.
    "crawler.middlewares.OtherModuleMiddleware": 52,
    # A redirect to another host (MetInfo's 外部链接 articles) is never followed: before
    # robots.txt (100), which would otherwise be fetched for that host.
    "crawler.middlewares.OffsiteRedirectMiddleware": 55,
    # A hard cap on requests per host and on URL length: the last guard against traps.
    "crawler.middlewares.SiteBudgetMiddleware": 60,
    # robots.txt by RFC 9309: 5xx/unreachable disallows (and is retried), Crawl-delay kept.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsPolicyMiddleware": 100,
    # 429/503 retries wait as long as Retry-After asks.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Between the downloader and the retries (550), so every attempt counts: a host whose
    # requests keep getting no connection is paused for the run.
    "crawler.middlewares.SiteGoneMiddleware": 560,
    # After decompression (590): firewall/challenge pages never reach a callback; a body
    # whose declared charset does not fit is decoded right or flagged.
    "crawler.middlewares.BlockedPageMiddleware": 580,
    # A Refresh response header is followed as Scrapy follows a meta refresh (580).
    "crawler.middlewares.RefreshHeaderMiddleware": 585,
    "crawler.middlewares.EncodingRepairMiddleware": 570,
    # No credentials follow a redirect to another scheme, host or port.
    # Before the cookies middleware (700), which then uses each origin's own cookie jar.
    "crawler.middlewares.CredentialGuardMiddleware": 690,
    # METINFO_WARC: record every response, raw (before decompression) and before redirects
    # are followed (crawler/warc.py).
    "crawler.warc.WarcCaptureMiddleware": 650,
    # `scrapy reextract`: answer every request from WARC files, last before the network.
    "crawler.warcreplay.WarcReplayMiddleware": 950,
}
# Scrapy's spider middlewares that add nothing to this crawl.  Each one wraps every
# callback's output in another async generator, and together they cost about a tenth of a
# crawl's CPU (bench/README.md, row 1b).  UrlLengthMiddleware: SiteBudgetMiddleware already
# refuses URLs longer than METINFO_MAX_URL_LENGTH (2048 < Scrapy's 2083).  DepthMiddleware:
# the crawl follows a site's columns and pagers, not link depth (DEPTH_LIMIT and
# DEPTH_PRIORITY have no effect here).  MetaCopyDetectionMiddleware: a warning for spider
# authors who copy response.meta into new requests; every request of the spider gets a
# fresh meta (MetinfoSpider._request).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
ITEM_PIPELINES = {
    # fetched_at from the recorded response (METINFO_WARC, `scrapy reextract`).
    "pipelines.fetchtime.FetchTimePipeline": 50,
    "pipelines.validate.ValidationPipeline": 100,
    "pipelines.state.StatePipeline": 150,
    "pipelines.dedupe.DedupePipeline": 200,
    # METINFO_MIRROR: images and attachments of exported articles.
    "pipelines.mirror.MirrorFilesPipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.RunSummary": 500,
    "crawler.runs.RunOutcome": 600,
}
# `scrapy crawl` of this project returns the run's exit code (crawler/runs.py ExitCode) and
# refuses to start while another run holds the same output or state lock.
COMMANDS_MODULE = "crawler.commands"
# robots.txt is read once, by Scrapy's robots middleware; this parser also hands its
# Sitemap: lines to the spider (guide §1.5).
ROBOTSTXT_PARSER = "crawler.robots.SitemapRecordingParser"

# --- Scheduled runs (issue 4) ---------------------------------------------------------------
# Folder of the state store (SQLite).  Unset: the run keeps no state and exports everything.
# With REDIS_URL: the name of the state store in Redis, shared by every worker that gives it.
METINFO_STATE = ""
# Force a full check (fetch every article and compare) for this run.
METINFO_FULL_CHECK = False
# A full check every N runs (0: never by count) ...
METINFO_FULL_CHECK_EVERY = 24
# ... or when the last one is older than this many days (0: never by age).
METINFO_FULL_CHECK_DAYS = 7.0
# Export unchanged articles too (a full re-export); revisions do not move for them.
METINFO_FULL_EXPORT = False
# Exit code 7 when more than this share of items lacks a required field (1 or more: never).
METINFO_MAX_MISSING_SHARE = 0.2
# Exit code 6 when more than this share of the article requests got no connection at all
# (refused, no such host): the site went away during the run.  Without a state
# store the previous output then stays in place (1 or more: only when none gave a page).
METINFO_MAX_FAILED_SHARE = 0.2
# Drift from the previous run of the same kind (exit code 8 past these): share of listed
# articles lost, rise in the share parsed by the generic family, rise in the missing share
# (each 1 or more: never).
METINFO_DRIFT_LISTED_DROP = 0.5
METINFO_DRIFT_GENERIC_RISE = 0.3
METINFO_DRIFT_MISSING_RISE = 0.1

# --- Output -----------------------------------------------------------------------------------
# JSON Lines with literal Chinese (ensure_ascii off), no BOM: -O articles.jsonl
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = None

# --- Framework --------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = "INFO"
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"  # our pipelines log one concise line per drop

# Local feed files complete atomically and never keep a partial line (crawler/feeds.py).
FEED_STORAGES = {
    "": "crawler.feeds.AtomicFileFeedStorage",
    "file": "crawler.feeds.AtomicFileFeedStorage",
}
# CSV cells of list and object fields hold JSON text, not Python reprs (crawler/feeds.py).
FEED_EXPORTERS = {"csv": "crawler.feeds.CsvItemExporter"}

# --- Archiving (issue 5) ----------------------------------------------------------------------
# WARC capture (crawler/warc.py): a folder that receives every response of the crawl as
# WARC/1.1 request + response records, payloads as the server sent them.  Unset: off.
METINFO_WARC = ""
# A WARC file is closed (its ".open" suffix dropped) and the next one started past this size.
METINFO_WARC_MAX_BYTES = 1_000_000_000
# File names: <prefix>-<UTC time>-<serial>-<pid>.warc.gz
METINFO_WARC_PREFIX = "metinfo"
# Request headers never written into a WARC, besides Authorization, Cookie and
# Proxy-Authorization (which never are), e.g. ["X-Api-Key"].
METINFO_WARC_REDACT_HEADERS: list[str] = []
# Mirrored files (pipelines/mirror.py): a local folder for the content images and attachments
# of every exported article, listed in the item's `files`.  Unset: off.
METINFO_MIRROR = ""
# Largest file mirrored (bytes); 0 falls back to DOWNLOAD_MAXSIZE.
METINFO_MIRROR_MAX_BYTES = 32 * 1024 * 1024
# MetInfo's default robots.txt disallows /upload/, where all media live: those files are
# skipped and listed in the run summary.  Set per site, only with the owner's permission, to
# fetch them anyway (pages still obey robots.txt).
METINFO_MIRROR_IGNORE_ROBOTS = False
# Offline re-extraction (crawler/warcreplay.py): WARC files that answer every request, set by
# `scrapy reextract FILE.warc.gz ...`.  Empty: the network is used as usual.
METINFO_REEXTRACT_FROM: list[str] = []

# --- Hostile and broken input (issue 7) ------------------------------------------------------
# After this many firewall/challenge answers in a row a host is paused for the run (exit 10).
METINFO_MAX_BLOCKED_IN_ROW = 5
# After this many attempts in a row to one host got no connection or timed out, over 15 s
# at least (retries count), the host is paused for the run (exit 6, the site went away);
# 0: never.
METINFO_MAX_UNREACHABLE_IN_ROW = 10
# Requests per host at most (0: no cap), and the longest URL requested (characters).
METINFO_MAX_REQUESTS_PER_SITE = 200_000
METINFO_MAX_URL_LENGTH = 2048
# Times an unreachable (5xx) robots.txt is fetched again (after 1, 2, 4 ... s).
METINFO_ROBOTS_RETRIES = 4
# Longest Retry-After wait honoured (seconds).
METINFO_MAX_RETRY_AFTER = 120.0
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5

# --- Many workers through Redis (issue 6) -----------------------------------------------------
# Distributed mode is on when REDIS_URL is set (-s REDIS_URL=redis://:password@host:6379/0;
# rediss:// for TLS, other client options in REDIS_PARAMS, e.g. {"ssl_ca_certs": "..."}).
# Every worker started with the same command shares the crawl (crawler/distributed.py).
# Without REDIS_URL this scheduler is Scrapy's own and the pipeline and extension stay off.
REDIS_URL = ""
SCHEDULER = "crawler.distributed.DistributedScheduler"
ITEM_PIPELINES["pipelines.shared.SharedExportPipeline"] = 210
EXTENSIONS["crawler.distributed.DistributedRun"] = 700
# Name of the run in Redis; unset: derived from the spider and its start URLs.  Give each
# scheduled run its own name (e.g. the date) to crawl again.
METINFO_REDIS_RUN = ""
# Seconds a worker's leases live without its heartbeat (every quarter of it); a worker
# killed with kill -9 has its requests handed to the others after this long.
METINFO_REDIS_LEASE_TIMEOUT = 60.0
# A worker ends after the shared queue was empty and no lease out for this long (at least
# the lease timeout + 2 s, so that a worker that died meanwhile is reaped first).
METINFO_REDIS_IDLE_CLOSE = 0.0
# How long a worker waits for an unreachable Redis before it stops (exit code 13).
METINFO_REDIS_MAX_OUTAGE = 300.0
