"""``python -m bench [--quick] [--out DIR] [--[no-]competitors]``: every benchmark, one table.

Runs, in order: 1 throughput (server ceiling, ours, bare spider, trafilatura spider), 2 parse
cost, 3 field accuracy, 4 repeat-crawl requests, 5 memory, 6 scale-out through Redis.  Prints
the table and writes it as ``DIR/latest.md`` and ``DIR/latest.json`` (``quick.md`` and
``quick.json`` for ``--quick``, so a quick run never replaces the committed full table).
Competitors (trafilatura, newspaper4k, scrapy-deltafetch) run when installed, except in a
quick run, which keeps to our own code unless ``--competitors`` is given.
Exit status 0 when the table was written (goals missed included), 1 when a benchmark
crashed (its row says so), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import fields, memory, parsecost, repeat, scaleout, throughput
from bench.harness import FULL, QUICK, Sizes
from bench.report import NA, Report, Row, machine, markdown, write

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
# Metric numbers and names, for the rows of a benchmark that crashed.
METRICS = {
    1: "Articles/s end to end",
    2: "Parse cost per article",
    3: "Field accuracy",
    4: "Requests of a repeat crawl",
    5: "Memory",
    6: "Scale-out",
}


def _log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _guarded(report: Report, number: int, step: Callable[[], object]) -> tuple[object, bool]:
    """Run one benchmark; a crash becomes a row saying so, and the others still run."""
    _log(f"{number}. {METRICS[number]} ...")
    start = time.perf_counter()
    load_before = _load()
    try:
        value = step()
    except Exception as exc:
        traceback.print_exc()
        report.add(
            Row(
                id=f"{number}",
                metric=METRICS[number],
                unit="",
                ours=None,
                status=NA,
                note=f"benchmark crashed: {type(exc).__name__}: {exc}",
            )
        )
        return None, False
    seconds = time.perf_counter() - start
    # Another process on the machine slows some contenders more than others: say so.
    report.details.setdefault("load", {})[str(number)] = {
        "seconds": round(seconds, 1),
        "loadavg_1min_before": load_before,
        "loadavg_1min_after": _load(),
    }
    _log(f"{number}. done in {seconds:.0f} s")
    return value, True


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def run_all(sizes: Sizes, work: Path, *, competitors: bool) -> tuple[Report, bool]:
    """Every benchmark at ``sizes``; returns the report and whether none crashed."""
    report = Report(mode=sizes.name, machine=machine())
    start = time.perf_counter()
    ok = True
    tp, good = _guarded(
        report, 1, lambda: throughput.run(report, sizes, work, competitors=competitors)
    )
    ok &= good
    site = tp.site if tp else None  # type: ignore[union-attr]
    if site is None:
        from bench.sitegen import Site, SiteSpec

        site = Site(SiteSpec(seed=1, articles=sizes.throughput_articles))
        site.origin = "http://127.0.0.1:9"  # pages only; nothing is served
    origin = site.origin or "http://127.0.0.1:9"
    parsed, good = _guarded(
        report, 2, lambda: parsecost.run(report, sizes, site, origin, competitors=competitors)
    )
    ok &= good
    _, good = _guarded(
        report,
        3,
        lambda: fields.run(
            report,
            sizes,
            work,
            site=site,
            origin=origin,
            items=tp.items if tp else [],  # type: ignore[union-attr]
            parsed=parsed,  # type: ignore[arg-type]
            competitors=competitors,
        ),
    )
    ok &= good
    _, good = _guarded(report, 4, lambda: repeat.run(report, sizes, work, competitors=competitors))
    ok &= good
    _, good = _guarded(
        report,
        5,
        lambda: memory.run(
            report,
            sizes,
            work,
            smaller_rss=tp.ours_rss_mb if tp else None,  # type: ignore[union-attr]
            smaller_n=sizes.throughput_articles,
        ),
    )
    ok &= good
    _, good = _guarded(report, 6, lambda: scaleout.run(report, sizes, work))
    ok &= good
    report.seconds = time.perf_counter() - start
    return report, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.splitlines()[0].split(": ", 1)[-1]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI, < 2 min)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the table")
    parser.add_argument(
        "--competitors",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run trafilatura, newspaper4k and scrapy-deltafetch when installed "
        "(default: yes, except with --quick)",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    competitors = args.competitors if args.competitors is not None else not args.quick
    with tempfile.TemporaryDirectory(prefix="metinfo-bench-") as tmp:
        report, ok = run_all(sizes, Path(tmp), competitors=competitors)
    md, js = write(report, args.out, "quick" if args.quick else "latest")
    print(markdown(report))
    _log(f"wrote {md} and {js}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
