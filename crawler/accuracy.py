"""Compare exported items with a corpus's ``truth.jsonl`` (the rules of issue 2's acceptance).

Used by the acceptance tests and by the accuracy report.  A truth record is what an editor
entered in the CMS; see a corpus's ``site.json`` ``truth_format`` for its fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.text import PLACEHOLDER_ALTS

FIELDS = (
    "title",
    "published_at",
    "author",
    "source",
    "column",
    "language",
    "body",
    "images",
    "attachments",
)
_WS = re.compile(r"[ \t\u00a0\u3000]+")


def load_jsonl(path: Path, origin: str | None = None) -> list[dict[str, Any]]:
    """Records of a JSON Lines file; ``{{ORIGIN}}`` replaced by ``origin`` when given."""
    text = path.read_text(encoding="utf-8")
    if origin is not None:
        text = text.replace("{{ORIGIN}}", origin)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def body_lines(text: str | None) -> list[str]:
    """Body text as comparable lines: whitespace runs (spaces, tabs, NBSP, U+3000) collapsed
    to one space, ends stripped, empty lines dropped."""
    lines = (_WS.sub(" ", line).strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def _alt(value: str | None) -> str | None:
    return None if not value or value in PLACEHOLDER_ALTS else value


def expected(record: dict[str, Any]) -> dict[str, Any]:
    """A truth record in the item's terms (issue 2's table)."""
    lang = record.get("lang")
    return {
        "title": record["title"],
        "published_at": record["published_iso"],
        "author": record.get("author") or None,
        "source": record.get("source"),
        "column": record.get("column_path"),
        "language": {"cn": "zh-CN", "en": "en"}.get(lang, lang),
        "body": body_lines(record.get("body_text")),
        "images": [(i["src"], _alt(i.get("alt"))) for i in record.get("images", [])],
        "attachments": [a["href"] for a in record.get("attachments", [])],
    }


def actual(item: dict[str, Any]) -> dict[str, Any]:
    """An exported item in the same terms as :func:`expected`."""
    return {
        "title": item.get("title"),
        "published_at": item.get("published_at"),
        "author": item.get("author"),
        "source": item.get("source"),
        "column": item.get("column"),
        "language": item.get("language"),
        "body": body_lines(item.get("body")),
        "images": [(i["url"], i.get("alt")) for i in item.get("images", [])],
        "attachments": [a["url"] for a in item.get("attachments", [])],
    }


def body_f1(truth_lines: list[str], got_lines: list[str]) -> float:
    """Character-level F1 of two bodies (matching blocks of their joined text)."""
    a, b = "\n".join(truth_lines), "\n".join(got_lines)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    matched = sum(
        block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    )
    precision, recall = matched / len(b), matched / len(a)
    return 0.0 if matched == 0 else 2 * precision * recall / (precision + recall)


@dataclass
class Report:
    """The outcome of comparing a run's items with the truth.

    ``missing``: truth keys of groups with no exported item; ``extra``: URLs of items that
    match no truth record; ``duplicated``: truth keys exported more than once;
    ``mismatches``: ``(key, field, expected, actual)``; ``exact``: per field, how many matched
    items were exactly right; ``f1``: body F1 per matched item.
    """

    matched: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    mismatches: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    exact: dict[str, int] = field(default_factory=dict)
    f1: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every truth article exported exactly once, nothing else, every field equal."""
        return not (self.missing or self.extra or self.duplicated or self.mismatches)


def compare(truth: list[dict[str, Any]], items: Iterable[dict[str, Any]]) -> Report:
    """Match items to truth records (by URL, any of ``urls``, or id) and compare fields.

    Records whose ``duplicate_keys`` name each other form one group, of which exactly one
    must be exported.
    """
    by_key = {str(r.get("key", r["id"])): r for r in truth}
    group_of: dict[str, str] = {}
    for key, record in by_key.items():
        members = sorted({key, *map(str, record.get("duplicate_keys", []))})
        group_of[key] = members[0]
    lookup: dict[str, str] = {}
    for key, record in by_key.items():
        for url in [record.get("url"), *record.get("urls", [])]:
            if url:
                lookup[url] = key
        lookup[f"id:{record['id']}"] = key
    report = Report(exact=dict.fromkeys(FIELDS, 0))
    seen_groups: dict[str, int] = {}
    for item in items:
        key = lookup.get(item.get("url", "")) or lookup.get(f"id:{item.get('article_id')}")
        if key is None:
            report.extra.append(item.get("url", ""))
            continue
        group = group_of[key]
        seen_groups[group] = seen_groups.get(group, 0) + 1
        if seen_groups[group] > 1:
            report.duplicated.append(key)
            continue
        report.matched += 1
        want, got = expected(by_key[key]), actual(item)
        for name in FIELDS:
            if want[name] == got[name]:
                report.exact[name] += 1
            else:
                report.mismatches.append((key, name, want[name], got[name]))
        report.f1.append(body_f1(want["body"], got["body"]))
    report.missing = sorted({group_of[k] for k in by_key} - set(seen_groups))
    return report


def article_count(truth: list[dict[str, Any]]) -> int:
    """Articles of a truth file: its records, a declared duplicate pair counting once."""
    return len(truth) - sum(1 for r in truth if r.get("duplicate_keys")) // 2


def summary_lines(report: Report, truth: list[dict[str, Any]], shown: int = 20) -> list[str]:
    """A plain-text account of ``report`` against ``truth``: articles found, missing, extra
    and duplicated, the share exactly right per field, the mean and lowest body F1, then up
    to ``shown`` mismatches (``key field: expected != actual``, values cut to 80
    characters), missing keys and extra URLs."""
    lines = [
        f"articles: {report.matched} of {article_count(truth)} exported once; missing"
        f" {len(report.missing)}, extra {len(report.extra)}, duplicated {len(report.duplicated)}"
    ]
    for name in FIELDS:
        share = report.exact.get(name, 0) / report.matched if report.matched else 0.0
        lines.append(f"  {name:12s} {share:7.2%} exactly right")
    if report.f1:
        mean = sum(report.f1) / len(report.f1)
        lines.append(f"  body F1      mean {mean:.4f}, lowest {min(report.f1):.4f}")
    for key, name, want, got in report.mismatches[:shown]:
        a, b = around_difference(str(want), str(got))
        lines.append(f"  {key} {name}: {a!r} != {b!r}")
    if len(report.mismatches) > shown:
        lines.append(f"  ... and {len(report.mismatches) - shown} more mismatches")
    lines.extend(f"  missing: {key}" for key in report.missing[:shown])
    lines.extend(f"  extra: {url}" for url in report.extra[:shown])
    return lines


# How much of two long values is shown around their first difference (characters).
SHOWN_BEFORE, SHOWN_AFTER = 20, 60


def around_difference(want: str, got: str) -> tuple[str, str]:
    """Both values cut to a window around where they first differ (… marks a cut), so
    that two long bodies differing late do not look alike."""
    if len(want) <= SHOWN_BEFORE + SHOWN_AFTER and len(got) <= SHOWN_BEFORE + SHOWN_AFTER:
        return want, got
    at = next((i for i, (x, y) in enumerate(zip(want, got, strict=False)) if x != y), None)
    at = min(len(want), len(got)) if at is None else at
    start = max(0, at - SHOWN_BEFORE)

    def cut(text: str) -> str:
        piece = text[start : at + SHOWN_AFTER]
        return ("…" if start else "") + piece + ("…" if at + SHOWN_AFTER < len(text) else "")

    return cut(want), cut(got)


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.accuracy OUTPUT CORPUS``: compare one run's JSON Lines output with
    a corpus's ``truth.jsonl`` (CORPUS is the corpus folder or the truth file; a truth
    written for any origin, ``{{ORIGIN}}``, takes the output's first URL's) and print
    :func:`summary_lines`.  Exit status 0 when every truth article was exported once with
    every field equal and nothing else was exported, 1 otherwise, 2 for a file that cannot
    be read."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m crawler.accuracy",
        description="Compare a run's JSON Lines output with a corpus's truth.jsonl.",
    )
    parser.add_argument("output", type=Path, help="the run's JSON Lines output")
    parser.add_argument("corpus", type=Path, help="a corpus folder, or its truth.jsonl")
    args = parser.parse_args(argv)
    truth_path = args.corpus / "truth.jsonl" if args.corpus.is_dir() else args.corpus
    try:
        items = load_jsonl(args.output)
        # A truth written for any origin ({{ORIGIN}}, the bundled sample's) takes the run's.
        first = urlsplit(items[0].get("url", "")) if items else None
        origin = f"{first.scheme}://{first.netloc}" if first and first.netloc else None
        truth = load_jsonl(truth_path, origin)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"cannot read: {exc}", file=sys.stderr)
        return 2
    report = compare(truth, items)
    try:
        print("\n".join(summary_lines(report, truth)))
    except BrokenPipeError:  # piped into head: the rest is not wanted
        sys.stdout = None  # type: ignore[assignment]  (no flush error at exit)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
