"""The server's ceiling: fetch a list of URLs with a few keep-alive threads, nothing else.

``python -m bench.httpload URLS_FILE [--threads 4]`` prints one JSON object: requests,
errors, bytes, seconds.  Run as its own process, so its threads never share a GIL with the
server being measured.  Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def fetch_all(urls: list[str], threads: int) -> dict[str, float]:
    """GET every URL once, ``threads`` connections in parallel; counts and wall seconds."""
    lock = threading.Lock()
    queue = list(reversed(urls))
    totals = {"requests": 0, "errors": 0, "bytes": 0}

    def worker() -> None:
        conn: http.client.HTTPConnection | None = None
        done = errors = size = 0
        while True:
            with lock:
                if not queue:
                    break
                url = queue.pop()
            parts = urlsplit(url)
            if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
                errors += 1  # never leave the machine
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            for _ in range(2):  # one retry on a dropped keep-alive connection
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                    conn.request("GET", target)
                    response = conn.getresponse()
                    size += len(response.read())
                    done += 1
                    break
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn = None
            else:
                errors += 1
        if conn is not None:
            conn.close()
        with lock:
            totals["requests"] += done
            totals["errors"] += errors
            totals["bytes"] += size

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {**totals, "seconds": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", help="file of URLs, one a line")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    with open(args.urls, encoding="utf-8") as f:
        urls = [line.strip() for line in f if line.strip()]
    print(json.dumps(fetch_all(urls, args.threads)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
