"""The page data of the reports' template figures: each agency's key figures by year with a chart, each
region's totals by year, and the statistics page that ranks the agencies of each province."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.catalogue import Agency, Catalogue, RegionNode, region_key
from generator.build.charts import year_chart
from generator.statistics.compare import MIN_HANDLED_FOR_SHARE, Figured, by_year, ranking, result_series, totals_by_year


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
    rows = by_year(mine)
    years = [row["year"] for row in rows]
    return {"rows": rows, "chart": year_chart(years, result_series(mine, years))}


def region_figures(node: RegionNode, figures: Mapping[str, Figured]) -> list[dict[str, Any]] | None:
    """The key figures of every report in a region and below it, added up by year."""
    return totals_by_year(figures[i] for i in node.reports if i in figures) or None


def statistics_page(catalogue: Catalogue, figures: Mapping[str, Figured]) -> dict[str, Any]:
    province_of = {
        figured.path: catalogue.regions[region_key(catalogue.reports[report_id], 1)].name
        for report_id, figured in figures.items()
    }
    return {"ranking": ranking(figures.values(), province_of), "min_handled": MIN_HANDLED_FOR_SHARE}
