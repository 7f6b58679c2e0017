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
