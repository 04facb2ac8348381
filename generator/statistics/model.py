"""The figures of a report's national-template tables, and the template's arithmetic they break.

Every 政府信息公开工作年度报告 since 2019 follows the template of 国办公开办函〔2019〕60号 (revised by
国办公开办函〔2021〕30号). ``generator.statistics.templates`` names its tables, rows and columns with
stable ids; a report's figures are cells addressed by those ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """One figure of a template table, where the template puts it."""

    # Stable id of the table, e.g. "requests" for 三、收到和处理政府信息公开申请情况.
    table: str
    # Stable id of the row, e.g. "new", "carried_over", "result.public", "result.refused.secret", "total".
    row: str
    # Stable id of the column, e.g. "natural_person", "legal.business", "legal.total", "total".
    column: str
    # A count, or an amount (万元) that may have decimals.
    value: int | float
    # The line in the content file where the cell's row is written.
    line: int


@dataclass(frozen=True)
class Broken:
    """One rule of the template's arithmetic (勾稽关系) that a table's figures break."""

    # Stable id of the rule.
    rule: str
    # What a person reads: "三、收到和处理政府信息公开申请情况（自然人）: 一+二 = 120, 三（七）+四 = 118".
    text: str
    left: int | float
    right: int | float
    # The content-file line of the table.
    line: int


@dataclass(frozen=True)
class Statistics:
    """What a report's template tables say: the template version ("2019" or "2021"), every figure
    recognised with certainty, and the rules they break."""

    template: str
    cells: tuple[Cell, ...]
    broken: tuple[Broken, ...]


def shown(value: int | float) -> str:
    """A figure as the reports write it: a whole number without a decimal point, an amount with the
    decimals it has (and not the binary remainders of adding decimals up)."""
    return str(value) if isinstance(value, int) else f"{value:.12g}"
