"""What the archive makes of a report's template figures: a row per figure for the archive's data files
(``data/statistics.json``, ``.csv``), and the summary line, broken rules and figure cells of its page.

Everything here reads a report's ``Statistics`` and nothing else of it, so a report that is not
published (which has no ``Report`` at all) can give nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from generator.statistics import templates
from generator.statistics.compare import REQUESTS, TOTAL, column_figures, row_figure
from generator.statistics.model import Cell, Statistics, shown

# One row of the data files per figure, in this order.
COLUMNS = (
    "page",
    "agency",
    "region",
    "year",
    "template",
    "table",
    "row",
    "column",
    "table_label",
    "row_label",
    "column_label",
    "value",
)

# The summary line takes its figures from the 总计 column of 三、收到和处理政府信息公开申请情况 (REQUESTS, TOTAL).
# The rows of 收到申请: 一、本年新收 and 二、上年结转.
RECEIVED = ("new", "carried_over")
# The rows of the clauses after it. A heading row such as （三）不予公开 holds its own total only in some
# reports; the others give just its numbered rows, which then add up to it.
_CLAUSES = (("public", "result.public"), ("refused", "result.refused"), ("carried_forward", "carried_forward"))

# A table cell of the report's text that holds a number and nothing else, as Markdown renders it.
_NUMBER_CELL = re.compile(r"<td>(?=[-+]?\d[\d,.]*%?</td>)")


def cell_records(
    page: str, agency: str, region: Sequence[str], year: int, statistics: Statistics
) -> list[dict[str, Any]]:
    """A record per figure of a report's tables, in the order the report gives them; ``page`` is the
    report page's path from the site root."""
    report = {"page": page, "agency": agency, "region": list(region), "year": year, "template": statistics.template}
    return [{**report, **_where(cell, statistics.template), "value": cell.value} for cell in statistics.cells]


def _where(cell: Cell, template: str) -> dict[str, str]:
    return {
        "table": cell.table,
        "row": cell.row,
        "column": cell.column,
        **_labels(cell.table, cell.row, cell.column, template),
    }


# An archive repeats the same few hundred places of the template in every report.
@functools.cache
def _labels(table: str, row: str, column: str, template: str) -> dict[str, str]:
    return {
        "table_label": templates.label(table, template=template),
        # In full (三、本年度办理结果·（三）不予公开·1.属于国家秘密): a row read alone names what it counts.
        "row_label": templates.label(table, row, template=template, full=True),
        "column_label": templates.label(table, column_id=column, template=template, full=True),
    }


def page_data(statistics: Statistics) -> dict[str, Any]:
    """What a report page shows of its figures: the clauses of its summary line, each ``{"name", "n",
    "detail"}`` (the figures the received one adds up; none for the others), leaving out a clause the
    tables do not give; and the text of each rule its tables break."""
    totals = column_figures(statistics, REQUESTS, TOTAL)
    clauses = []
    received = [(row, totals[row]) for row in RECEIVED if row in totals]
    if received:
        detail = [{"name": row, "n": shown(value)} for row, value in received]
        clauses.append({"name": "received", "n": shown(sum(value for _, value in received)), "detail": detail})
    for name, row in _CLAUSES:
        value = row_figure(totals, row)
        if value is not None:
            clauses.append({"name": name, "n": shown(value), "detail": []})
    return {"clauses": clauses, "broken": [broken.text for broken in statistics.broken]}


def mark_number_cells(html: str) -> str:
    """The rendered text with each table cell that holds only a number marked ``class="number"``, so that
    figures line up on the right; the text itself is left as written."""
    return _NUMBER_CELL.sub('<td class="number">', html)
