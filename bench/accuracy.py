"""Accuracy report: crawl every recorded corpus and compare the items with its truth.

``python -m bench.accuracy [--shared DIR] [--json OUT]`` serves each corpus under
``<shared>/sites/`` on its recorded origin (one at a time), runs ``scrapy crawl metinfo``
against it, and prints a Markdown table: per corpus, the share of articles exactly right
per field, the mean and lowest body character F1, and the coverage (truth groups exported
once / all groups).  A corpus whose port is busy is reported as skipped, never as passed.
Exit status 0 when every corpus ran, 1 when any was skipped or failed to crawl.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from crawler.accuracy import FIELDS, article_count, compare, load_jsonl
from crawler.corpora import corpus_dirs, find_shared
from crawler.replay import Archive, PortBusyError, ReplayServer, base_origin
from crawler.sample import PROJECT_ROOT, crawl_command

# Fields the report shows as "exactly right" shares (issue 3), then body F1.
REPORT_FIELDS = (
    "title",
    "published_at",
    "author",
    "source",
    "column",
    "language",
    "images",
    "attachments",
)
CRAWL_TIMEOUT = 600


@dataclass
class CorpusResult:
    """One corpus's numbers; ``skipped`` says why it did not run."""

    name: str
    articles: int = 0
    groups: int = 0
    exact: dict[str, float] | None = None
    f1_mean: float = 0.0
    f1_min: float = 0.0
    extra: int = 0
    duplicated: int = 0
    families: dict[str, int] | None = None
    skipped: str | None = None


def run_corpus(corpus: Path, workdir: Path) -> CorpusResult:
    """Serve ``corpus`` at its base_url, crawl it and compare with its truth."""
    result = CorpusResult(corpus.name)
    host, port = base_origin(corpus)
    try:
        server = ReplayServer(Archive.load(corpus), host=host, port=port)
    except PortBusyError as exc:
        result.skipped = f"port {exc.port} busy"
        return result
    out = workdir / f"{corpus.name}.jsonl"
    with server:
        proc = subprocess.run(
            crawl_command(f"{server.origin}/", out),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT,
            check=False,
        )
    if proc.returncode != 0 or not out.exists():
        result.skipped = f"crawl failed (exit {proc.returncode})"
        return result
    truth = load_jsonl(corpus / "truth.jsonl")
    items = load_jsonl(out)
    report = compare(truth, items)
    groups = article_count(truth)
    matched = max(report.matched, 1)
    result.articles = report.matched
    result.groups = groups
    result.exact = {name: report.exact[name] / matched for name in FIELDS}
    result.f1_mean = sum(report.f1) / matched
    result.f1_min = min(report.f1, default=0.0)
    result.extra = len(report.extra)
    result.duplicated = len(report.duplicated)
    families: dict[str, int] = {}
    for item in items:
        families[item["template_family"]] = families.get(item["template_family"], 0) + 1
    result.families = families
    return result


def markdown(results: list[CorpusResult]) -> str:
    """The report as a Markdown table, one row per corpus."""
    head = ["corpus", "found", *REPORT_FIELDS, "body F1 (mean / min)", "extra", "families"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        if r.skipped or r.exact is None:
            lines.append(f"| {r.name} | skipped: {r.skipped} |" + " |" * (len(head) - 2))
            continue
        cells = [r.name, f"{r.articles}/{r.groups}"]
        cells += [f"{100 * r.exact[f]:.1f}%" for f in REPORT_FIELDS]
        cells += [
            f"{r.f1_mean:.4f} / {r.f1_min:.4f}",
            str(r.extra + r.duplicated),
            ", ".join(f"{k} {v}" for k, v in sorted((r.families or {}).items())),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared folder")
    parser.add_argument("--json", type=Path, default=None, help="also write results as JSON")
    args = parser.parse_args(argv)
    shared = args.shared or find_shared()
    if shared is None:
        print("no shared folder: set METINFO_SHARED or put it at ../shared", file=sys.stderr)
        return 1
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpus_dirs(shared):
            print(f"crawling {corpus.name} ...", file=sys.stderr, flush=True)
            results.append(run_corpus(corpus, Path(tmp)))
    print(markdown(results))
    if args.json:
        args.json.write_text(
            json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 1 if any(r.skipped for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
