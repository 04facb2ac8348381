"""The template's arithmetic (勾稽关系) checked on the figures read from a report."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.statistics.model import Broken, Cell, shown
from generator.statistics.templates import RULES, TABLES, Rule, label


def broken_rules(
    cells: tuple[Cell, ...], template: str, whole: Mapping[str, bool], lines: Mapping[str, int]
) -> tuple[Broken, ...]:
    """Every rule of ``template`` the figures break, in each column (or row) it holds in. A figure the
    report leaves blank, or a row it leaves out, counts as 0 in a table read whole; in a table with a
    row that could not be read, the sum is checked only where every figure was read. A side with no
    figure at all is not checked: a breakdown left out is not one that sums to nothing."""
    figures: dict[str, dict[tuple[str, str], int | float]] = {}
    for cell in cells:
        figures.setdefault(cell.table, {})[(cell.row, cell.column)] = cell.value
    tables = {table: _with_subtotals(given, whole.get(table, False)) for table, given in figures.items()}
    found = []
    for rule in RULES:
        if template in rule.templates and rule.table in tables:
            found += _broken(rule, tables[rule.table], template, whole.get(rule.table, False), lines[rule.table])
    return tuple(found)


def _with_subtotals(table: dict[tuple[str, str], int | float], whole: bool) -> dict[tuple[str, str], int | float]:
    """The figures, with the subtotal of a row the template writes only as the heading of its numbered
    rows (（三）不予公开 over 1.–8.) where the report gives the numbered rows and not the subtotal."""
    parts: dict[tuple[str, str], list[int | float]] = {}
    for (row, column), value in table.items():
        parent = row.rpartition(".")[0]
        if parent.count(".") == 1:  # result.refused, not result
            parts.setdefault((parent, column), []).append(value)
    sums = {place: _sum(values, whole=True) for place, values in parts.items() if place not in table}
    return {**table, **{place: value for place, value in sums.items() if value is not None and whole}}


def _broken(
    rule: Rule, table: Mapping[tuple[str, str], int | float], template: str, whole: bool, line: int
) -> Iterator[Broken]:
    by_rows = rule.across == "rows"
    # The columns (or rows) the rule holds in: each the table has a figure in, in the template's order.
    items = TABLES[rule.table].columns if by_rows else TABLES[rule.table].rows
    written = {place[1] if by_rows else place[0] for place in table}
    for item in (item for item in items if item.id in written):
        left = _sum([table.get(_place(by_rows, part, item.id)) for part in rule.left], whole)
        right = _sum([table.get(_place(by_rows, part, item.id)) for part in rule.right], whole)
        if left is not None and right is not None and left != right:
            where = label(rule.table, column_id=item.id, template=template, full=True) if by_rows else None
            where = where or label(rule.table, row_id=item.id, template=template, full=True)
            text = (
                f"{label(rule.table)}（{where}）: {rule.left_text} = {shown(left)}, {rule.right_text} = {shown(right)}"
            )
            yield Broken(rule.id, text, left, right, line)


def _place(by_rows: bool, part: str, along: str) -> tuple[str, str]:
    """(row, column) of a rule's ``part`` in the column (or row) ``along``."""
    return (part, along) if by_rows else (along, part)


def _sum(figures: list[int | float | None], whole: bool) -> int | float | None:
    """The sum of a side, or None when it cannot be known: no figure at all, or one missing where
    the table was not read whole."""
    given = [figure for figure in figures if figure is not None]
    if not given or (len(given) < len(figures) and not whole):
        return None
    total = sum(given)
    # Amounts in 万元 are written to a few decimals; a sum must not differ by a float's last bit.
    return round(total, 6) if isinstance(total, float) else total
