"""Which agencies published for which years: grids that make gaps in disclosure visible, and the counts
the year charts draw. Every grid spans the archive's first to last year, so a missing year shows as a gap."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from generator.build.catalogue import Agency, Catalogue, RegionKey

# Series a chart shows by name; the rest are drawn together as one.
CHART_SERIES = 6


def year_span(catalogue: Catalogue) -> list[int]:
    years = list(catalogue.years)
    return list(range(min(years), max(years) + 1)) if years else []


def agencies_within(catalogue: Catalogue) -> dict[RegionKey, list[Agency]]:
    """The agencies of each region and of the regions below it."""
    within: dict[RegionKey, list[Agency]] = defaultdict(list)
    for agency in catalogue.agencies.values():
        for depth in range(1, len(agency.region) + 1):
            within[agency.region[:depth]].append(agency)
    return within


def agency_grid(
    catalogue: Catalogue,
    agencies: Sequence[Agency],
    years: Sequence[int],
    report_path: Mapping[str, str],
    agency_path: Mapping[str, str],
    region_path: Mapping[RegionKey, str],
) -> list[dict[str, Any]]:
    """One row per agency, one cell per year: the reports it published."""
    rows = []
    for agency in sorted(agencies, key=lambda a: (region_path[a.region], agency_path[a.key])):
        by_year: dict[int, list[dict[str, str]]] = defaultdict(list)
        for report_id in reversed(agency.reports):
            report = catalogue.reports[report_id]
            by_year[report.year].append({"title": report.title, "path": report_path[report_id]})
        rows.append(
            {
                "name": agency.name,
                "path": agency_path[agency.key],
                "region": catalogue.regions[agency.region].name,
                "cells": [by_year.get(year, []) for year in years],
            }
        )
    return rows


def region_grid(
    catalogue: Catalogue, years: Sequence[int], coverage_path: Mapping[RegionKey, str]
) -> list[dict[str, Any]]:
    """One row per region, in tree order, one cell per year: how many reports it and its parts hold."""
    rows: list[dict[str, Any]] = []

    def add(key: RegionKey) -> None:
        node = catalogue.regions[key]
        rows.append(
            {
                "name": node.name,
                "path": coverage_path[key],
                "depth": len(key) - 1,
                "cells": _year_counts(catalogue, key, years),
            }
        )
        for child in node.children:
            add(child)

    for province in catalogue.provinces:
        add(province)
    return rows


def year_series(
    catalogue: Catalogue, parts: Sequence[RegionKey], years: Sequence[int], whole: RegionKey | None = None
) -> list[dict[str, Any]]:
    """Reports per year for each of ``parts`` (the biggest CHART_SERIES; the rest summed as others), and
    first, when ``whole`` is the region they divide, the reports filed at ``whole`` itself (本级), so that
    the bars add up to the region's total."""
    series = [
        {"name": catalogue.regions[key].name, "own": False, "counts": _year_counts(catalogue, key, years)}
        for key in parts
    ]
    series.sort(key=lambda s: -sum(s["counts"]))
    if len(series) > CHART_SERIES:
        rest = series[CHART_SERIES - 1 :]
        series = [*series[: CHART_SERIES - 1], {"name": None, "own": False, "counts": _summed(rest)}]
    own = catalogue.regions[whole].own if whole and whole not in parts else ()
    if own:
        counts = Counter(catalogue.reports[i].year for i in own)
        series.insert(0, {"name": None, "own": True, "counts": [counts.get(year, 0) for year in years]})
    return series


def _summed(series: Sequence[dict[str, Any]]) -> list[int]:
    return [sum(column) for column in zip(*(s["counts"] for s in series), strict=True)]


def _year_counts(catalogue: Catalogue, key: RegionKey, years: Sequence[int]) -> list[int]:
    """How many reports the region ``key`` and its parts hold for each of ``years``."""
    counts = catalogue.region_years[key]
    return [counts.get(year, 0) for year in years]
