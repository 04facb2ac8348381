"""The page data of the reports' template figures: each agency's key figures by year with a chart, each
region's totals by year, the statistics page that ranks the agencies of each province, and what a report
changed since its agency's report of the year before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.catalogue import Agency, Catalogue, RegionNode, agency_key, region_key
from generator.build.charts import year_chart
from generator.statistics.compare import (
    MIN_HANDLED_FOR_SHARE,
    Figured,
    by_year,
    changes,
    latest_by_year,
    ranking,
    repeated_sections,
    result_series,
    totals_by_year,
)


def figured(catalogue: Catalogue, report_paths: Mapping[str, str]) -> dict[str, Figured]:
    """The reports whose template tables gave figures, by id."""
    return {
        report_id: Figured(report_paths[report_id], report.agency, report.year, report.statistics)
        for report_id, report in catalogue.reports.items()
        if report.statistics and report.statistics.cells
    }


def agency_figures(agency: Agency, figures: Mapping[str, Figured]) -> dict[str, Any] | None:
    """An agency's key figures by year, and how its requests were handled each year as a chart."""
    mine = [figures[i] for i in agency.reports if i in figures]
    if not mine:
        return None
    latest = latest_by_year(mine)
    return {"rows": by_year(latest), "chart": year_chart(list(latest), result_series(latest, list(latest)))}


def region_figures(node: RegionNode, figures: Mapping[str, Figured]) -> list[dict[str, Any]] | None:
    """The key figures of every report in a region and below it, added up by year."""
    return totals_by_year(figures[i] for i in node.reports if i in figures) or None


def statistics_page(catalogue: Catalogue, figures: Mapping[str, Figured]) -> dict[str, Any]:
    province_of = {
        figured.path: catalogue.regions[region_key(catalogue.reports[report_id], 1)].name
        for report_id, figured in figures.items()
    }
    return {"ranking": ranking(figures.values(), province_of), "min_handled": MIN_HANDLED_FOR_SHARE}


def previous_year(catalogue: Catalogue, report_id: str, report_paths: Mapping[str, str]) -> dict[str, Any] | None:
    """The same agency's report of the same kind for the year before, if the archive has it: its page,
    the key figures that changed most since, and the sections worded as it words them."""
    report = catalogue.reports[report_id]
    previous_id = catalogue.by_agency_year_kind.get((agency_key(report), report.year - 1, report.kind))
    if previous_id is None:
        return None
    previous = catalogue.reports[previous_id]
    both = previous.statistics and report.statistics
    return {
        "path": report_paths[previous.id],
        "title": previous.title,
        "changes": changes(previous.statistics, report.statistics) if both else [],
        "repeated": repeated_sections(previous.wording, report.wording),
    }
