"""Reports' template figures side by side: an agency's key figures year by year, a region's totals by
year, the agencies of each province ranked, and what changed from one year's report to the next.

Plain data in (a report's ``Statistics`` with its year and page), plain data out, for templates to show;
every figure shown names the report it comes from, so that a reader can check it there.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.statistics import templates
from generator.statistics.model import Statistics

REQUESTS, APPEALS, TOTAL = "requests", "appeals", "total"
# The key figures, in the order tables show them: (id, table, rows summed), each in the 总计 column.
_FIGURES = (
    ("new", REQUESTS, ("new",)),
    ("handled", REQUESTS, ("total",)),
    ("public", REQUESTS, ("result.public",)),
    ("partial", REQUESTS, ("result.partial",)),
    ("refused", REQUESTS, ("result.refused",)),
    ("review", APPEALS, ("review",)),
    ("litigation", APPEALS, ("litigation.direct", "litigation.after_review")),
)
FIGURES = tuple(name for name, *_ in _FIGURES)
# The results a chart stacks, each year's bar adding up to the requests handled.
_RESULTS = (
    "result.public",
    "result.partial",
    "result.refused",
    "result.unavailable",
    "result.not_handled",
    "result.other",
)
# A result's name in a chart's legend: its label without the numbering and the note after it
# (（二）部分公开（区分处理的，只计这一情形，不计其他情形） → 部分公开).
_RESULT_NAME = re.compile(r"^（[一二三四五六七]）|（[^）]*）$")
# A share of requests answered in full means little over a handful of them: below this many handled,
# an agency is not ranked by it.
MIN_HANDLED_FOR_SHARE = 10
RANKED = 20
CHANGES_SHOWN = 3


@dataclass(frozen=True)
class Figured:
    """A report with template figures: where its page is, whose it is, the year it covers."""

    path: str
    agency: str
    year: int
    statistics: Statistics


def column_figures(statistics: Statistics, table: str, column: str) -> dict[str, int | float]:
    """The figures of one column of a table, by row id."""
    return {cell.row: cell.value for cell in statistics.cells if cell.table == table and cell.column == column}


def row_figure(figures: Mapping[str, int | float], row: str) -> int | float | None:
    """The figure of ``row`` in one column (``column_figures``): as written, or else the sum of the
    numbered rows directly under it (a report may give 1.–8. of （三）不予公开 without their total)."""
    if row in figures:
        return figures[row]
    depth = row.count(".") + 1
    parts = [value for name, value in figures.items() if name.startswith(row + ".") and name.count(".") == depth]
    return sum(parts) if parts else None


def key_figures(statistics: Statistics) -> dict[str, int | float | None]:
    """New requests, requests handled and how, 复议 and 诉讼; the share answered in full, in per cent."""
    totals = {table: column_figures(statistics, table, TOTAL) for table in (REQUESTS, APPEALS)}
    figures: dict[str, int | float | None] = {}
    for name, table, rows in _FIGURES:
        values = [v for v in (row_figure(totals[table], row) for row in rows) if v is not None]
        figures[name] = sum(values) if values else None
    handled, public = figures["handled"], figures["public"]
    figures["public_share"] = round(100 * public / handled, 1) if handled and public is not None else None
    return figures


def refusal_reasons(statistics: Statistics) -> list[dict[str, Any]]:
    """The reasons of （三）不予公开 that the report counts, with their counts, largest first."""
    table = templates.TABLES[REQUESTS]
    totals = column_figures(statistics, REQUESTS, TOTAL)
    reasons = [
        {"name": item.written(statistics.template), "n": value}
        for item in table.children(table.rows, "result.refused", statistics.template)
        if (value := totals.get(item.id))
    ]
    return sorted(reasons, key=lambda reason: -reason["n"])


def latest_by_year(reports: Iterable[Figured]) -> dict[int, Figured]:
    """One report per year, oldest year first: the last by page when a year has several."""
    latest = {report.year: report for report in sorted(reports, key=lambda r: (r.year, r.path))}
    return dict(sorted(latest.items()))


def by_year(latest: Mapping[int, Figured]) -> list[dict[str, Any]]:
    """An agency's report of each year (``latest_by_year``) as a row: the year, the report's page, its key
    figures and reasons for refusal."""
    return [
        {
            "year": year,
            "path": report.path,
            **key_figures(report.statistics),
            "reasons": refusal_reasons(report.statistics),
        }
        for year, report in latest.items()
    ]


def result_series(latest: Mapping[int, Figured], years: Sequence[int]) -> list[dict[str, Any]]:
    """For a chart: how the requests of each year's report (``latest_by_year``) were handled, one series
    per kind of result."""
    table = templates.TABLES[REQUESTS]
    totals = {year: column_figures(report.statistics, REQUESTS, TOTAL) for year, report in latest.items()}
    series = []
    for row in _RESULTS:
        counts = [row_figure(totals[year], row) or 0 if year in totals else 0 for year in years]
        if any(counts):
            series.append({"name": _RESULT_NAME.sub("", table.row(row).label), "own": False, "counts": counts})
    return series


def totals_by_year(reports: Iterable[Figured]) -> list[dict[str, Any]]:
    """The key figures of many reports added up per year, with how many reports each year adds; the
    share answered in full is worked out from the sums."""
    sums: dict[int, dict[str, int | float]] = defaultdict(dict)
    counted: dict[int, int] = defaultdict(int)
    for report in reports:
        counted[report.year] += 1
        for name, value in key_figures(report.statistics).items():
            if value is not None and name != "public_share":
                sums[report.year][name] = sums[report.year].get(name, 0) + value
    rows = []
    for year in sorted(sums):
        row: dict[str, Any] = {"year": year, "reports": counted[year], **dict.fromkeys(FIGURES)}
        row.update(sums[year])
        handled, public = row["handled"], row["public"]
        row["public_share"] = round(100 * public / handled, 1) if handled and public is not None else None
        rows.append(row)
    return rows


def ranking(reports: Iterable[Figured], region_of: Mapping[str, str]) -> dict[str, Any] | None:
    """The latest year any report has figures for: per province (``region_of`` a report's path → its
    province), the agencies ranked by requests received, and by the share answered in full among those
    that handled MIN_HANDLED_FOR_SHARE or more; RANKED of each."""
    reports = list(reports)
    if not reports:
        return None
    year = max(report.year for report in reports)
    provinces: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in sorted((r for r in reports if r.year == year), key=lambda r: r.path):
        figures = key_figures(report.statistics)
        provinces[region_of[report.path]].append({"agency": report.agency, "path": report.path, **figures})
    return {
        "year": year,
        "provinces": [
            {
                "name": name,
                "by_requests": _top(rows, "new", lambda row: row["new"] is not None),
                "by_share": _top(rows, "public_share", lambda row: (row["handled"] or 0) >= MIN_HANDLED_FOR_SHARE),
            }
            for name, rows in sorted(provinces.items())
        ],
    }


def _top(rows: list[dict[str, Any]], key: str, counts: Any) -> list[dict[str, Any]]:
    ranked = sorted((row for row in rows if counts(row) and row[key] is not None), key=lambda row: -row[key])
    return ranked[:RANKED]


def changes(earlier: Statistics, later: Statistics) -> list[dict[str, Any]]:
    """The key figures that changed most from one year's report to the next, by how much they changed
    against the larger of the two: at most CHANGES_SHOWN, each {"name", "before", "after"}."""
    before, after = key_figures(earlier), key_figures(later)
    moved = [
        (-abs(after[name] - before[name]) / max(abs(after[name]), abs(before[name])), order, name)
        for order, name in enumerate((*FIGURES, "public_share"))
        if before[name] is not None and after[name] is not None and after[name] != before[name]
    ]
    return [{"name": name, "before": before[name], "after": after[name]} for *_, name in sorted(moved)][:CHANGES_SHOWN]


# A heading line of a Markdown body, and the whitespace a comparison of wording leaves out.
_HEADING = re.compile(r"^(#[^\n]*)$", re.MULTILINE)
_SPACE = re.compile(r"\s+")
# A section shorter than this is a line any two reports may share (无。, 本年度无此类情况。).
_MIN_REPEATED = 30


def wording(body: str) -> tuple[tuple[str, str], ...]:
    """Each section of a Markdown body long enough to count, by its heading as written: a digest of its
    text with whitespace removed. Made once when a report is read, so that comparing two reports' wording
    costs a lookup, not a second reading of both."""
    parts = _HEADING.split(body)  # text before the first heading, then heading and text in turn
    sections = {}
    for heading, text in zip(parts[1::2], parts[2::2], strict=True):
        kept = _SPACE.sub("", text)
        if len(kept) >= _MIN_REPEATED:
            sections[heading.lstrip("#").strip()] = hashlib.blake2b(kept.encode(), digest_size=8).hexdigest()
    return tuple(sections.items())


def repeated_sections(earlier: Sequence[tuple[str, str]], later: Sequence[tuple[str, str]]) -> list[str]:
    """The headings of the later report's sections worded as the earlier report's section under the same
    heading (``wording`` of each): text carried over from one year's report to the next."""
    before = dict(earlier)
    return [heading for heading, digest in later if before.get(heading) == digest]
