"""The benchmark table: rows, the machine they ran on, and the Markdown and JSON renderings."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Row statuses: the goal met or missed, no goal to judge (an extra row), not measured (a run
# failed or found nothing to measure), or waiting for another issue.
PASS, FAIL, INFO, NA, PENDING = "pass", "fail", "info", "not measured", "pending"
NOT_INSTALLED = "not installed"
SKIPPED = "skipped (run with --competitors)"

# Packages whose versions describe a run: the framework, the parser, and the competitors.
VERSIONED = (
    "scrapy",
    "twisted",
    "lxml",
    "parsel",
    "trafilatura",
    "htmldate",
    "newspaper4k",
    "scrapy-deltafetch",
)


@dataclass
class Comparison:
    """One comparison value of a row: ``value`` in the row's unit, or None with ``status``
    saying why it is missing (``not installed``, ``skipped``, ``failed: ...``)."""

    name: str
    value: float | None = None
    status: str = ""


@dataclass
class Row:
    """One metric of the table.

    ``ours`` is in ``unit`` (None when not measured, with ``status`` pending or a ``note``);
    ``ratio`` is ours divided by the comparison named ``ratio_to`` (measured in the same run);
    ``status`` is pass / fail against ``goal``, info for an extra row, pending when the
    metric cannot be measured yet.
    """

    id: str
    metric: str
    unit: str
    ours: float | None
    comparisons: list[Comparison] = field(default_factory=list)
    ratio: float | None = None
    ratio_to: str = ""
    goal: str = ""
    status: str = INFO
    note: str = ""


@dataclass
class Report:
    """Every row of one run, with the machine, the mode and free-form details per metric."""

    mode: str
    machine: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row


def version(package: str) -> str | None:
    """The installed version of ``package``, or None."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """What the numbers ran on: cores, CPU model, memory, OS, Python and package versions."""
    cpu = ""
    mem_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
                break
    except OSError:
        pass  # not Linux: the rest still describes the run
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor() or "unknown",
        "memory_gb": round(mem_kb / 1024 / 1024, 1) if mem_kb else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "packages": {name: version(name) for name in VERSIONED},
    }


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("%",):
        return f"{value:.2f}%"
    if unit == "F1":
        return f"{value:.4f}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def _cell(value: float | None, unit: str, status: str = "") -> str:
    if value is None:
        return status or "—"
    shown = _num(value, unit)
    return shown if unit in ("%", "", "F1") else f"{shown} {unit}"


def _load_line(report: Report) -> list[str]:
    """The machine's 1-minute load average before and after each metric (2 = both cores
    busy, which the benchmark alone makes during a crawl; more means other work ran)."""
    load = report.details.get("load")
    if not load:
        return []
    parts = [
        f"{k}: {v['loadavg_1min_before']} → {v['loadavg_1min_after']}" for k, v in load.items()
    ]
    return ["Load average (1 min) before → after each metric: " + ", ".join(parts) + ".", ""]


def markdown(report: Report) -> str:
    """The table (one row per metric) and the machine line, as Markdown."""
    m = report.machine
    pkgs = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    lines = [
        f"# Benchmarks ({report.mode} run, {report.seconds / 60:.1f} min)",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']}; {pkgs}.",
        "",
        *_load_line(report),
        "| # | metric | ours | compared with | ratio | goal | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        comps = "; ".join(f"{c.name}: {_cell(c.value, r.unit, c.status)}" for c in r.comparisons)
        ratio = f"{r.ratio:.3g}× {r.ratio_to}" if r.ratio is not None else "—"
        ours = _cell(r.ours, r.unit, "not measured")
        if r.note:
            ours += f" ({r.note})"
        lines.append(
            f"| {r.id} | {r.metric} | {ours} | {comps or '—'} | {ratio} | {r.goal or '—'} "
            f"| {r.status} |"
        )
    for title, text in report.details.get("markdown", []):
        lines += ["", f"## {title}", "", text]
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    """The whole report as indented JSON (rows, machine, details)."""
    data = asdict(report)
    data["details"] = {k: v for k, v in report.details.items() if k != "markdown"}
    return json.dumps(data, ensure_ascii=False, indent=2)


def write(report: Report, out: Path, stem: str) -> tuple[Path, Path]:
    """Write ``out/stem.md`` and ``out/stem.json``; returns both paths."""
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / f"{stem}.md", out / f"{stem}.json"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(to_json(report) + "\n", encoding="utf-8")
    return md, js
