"""The Markdown body of an imported report: the text as written, a paragraph per line, headings where
the lines carry heading markers, tables where rows written with ``|`` or set apart by spaces have certain
columns, and the national template's tables printed one cell per line where the template gives their
columns. Every character Markdown would read as syntax is escaped, so each line renders exactly as
written."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from generator.core.markdown import escape_line
from generator.importing.rawtext import heading_rank, is_bare_heading
from generator.importing.templatetables import template_tables

# A cell of a Markdown table's separator row.
_SEPARATOR_CELL = re.compile(r":?-{3,}:?")
# What sets the cells of a row apart when a page's table became text: two spaces or more, a tab, or an
# ideographic space; rows of fewer cells, or fewer rows, could as well be prose laid out with spaces.
_CELL_GAP = re.compile(r"\s*[\t\u3000]\s*| {2,}")
_LEAST_SPACED_CELLS = 3
_LEAST_SPACED_ROWS = 3
_NUMBER = re.compile(r"[-+]?[\d０-９]+([.,．][\d０-９]+)*%?")


def markdown(lines: Sequence[tuple[str, str]], blanks: Sequence[int] = (), year: int | None = None) -> str:
    """The body of (text, view) lines: a paragraph per line; heading lines at levels by marker rank, the
    highest rank present at ``##``; rows as Markdown tables where their columns are certain. ``blanks``
    counts the blank lines before each line (an empty cell of a table printed one cell per line), and
    ``year`` is the report's, which tells the template's version where its tables do not."""
    tables = _tables(lines, blanks, year)
    inside = {at for start, (span, _) in tables.items() for at in range(start, start + span)}
    # A row label such as 一、本年新收… inside a table is no heading, and gives no heading its level.
    ranks = [None if index in inside else heading_rank(view) for index, (_, view) in enumerate(lines)]
    present = sorted({rank for rank in ranks if rank is not None})
    for index, (_, view) in enumerate(lines):
        if ranks[index] is None and index + 1 < len(lines) and is_bare_heading(view):
            below = ranks[index + 1]
            if below is not None and below - 1 in present:
                ranks[index] = below - 1
    blocks, index = [], 0
    while index < len(lines):
        if index in tables:
            span, rows = tables[index]
            blocks.append(_table(rows))
            index += span
            continue
        level = None if ranks[index] is None else 2 + present.index(ranks[index])
        text = escape_line(lines[index][0])
        blocks.append(f"{'#' * level} {text}" if level else text)
        index += 1
    return "\n\n".join(blocks) + "\n"


def _tables(
    lines: Sequence[tuple[str, str]], blanks: Sequence[int], year: int | None
) -> dict[int, tuple[int, list[list[str]]]]:
    """Tables whose columns are certain, by the index of their first line: the lines they span and their
    rows. The template's tables printed one cell per line first (templatetables). Rows written with
    ``|``: at least two with the same number of cells (a separator row such as ``|---|---|`` among them).
    Rows whose cells are set apart by runs of spaces or tabs: at least three with the same number of
    cells, three or more, and a number in every row below the header."""
    found = template_tables([text for text, _ in lines], blanks, year)
    taken = {at for start, (span, _) in found.items() for at in range(start, start + span)}
    for cells_of, least in ((_cells, 2), (_spaced_cells, _LEAST_SPACED_ROWS)):
        index = 0
        while index < len(lines):
            rows, end = _rows(lines, index, cells_of)
            free = taken.isdisjoint(range(index, end))
            if free and len(rows) >= least and (cells_of is _cells or all(map(_has_number, rows[1:]))):
                found[index] = (end - index, rows)
                taken.update(range(index, end))
                index = end
            else:
                index += 1
    return found


def _rows(
    lines: Sequence[tuple[str, str]], start: int, cells_of: Callable[[str], list[str] | None]
) -> tuple[list[list[str]], int]:
    """The rows from ``start`` on that have as many cells as the first, and the index after them."""
    rows: list[list[str]] = []
    end = start
    while end < len(lines):
        cells = cells_of(lines[end][0])
        if cells is None or (rows and cells != ["-"] and len(cells) != len(rows[0])):
            break
        if cells != ["-"]:
            rows.append(cells)
        end += 1
    return rows, end


def _cells(line: str) -> list[str] | None:
    """The cells of a table row written with ``|``, without the empty cells a scrape leaves at its end;
    ``["-"]`` for a separator row; None when the line is no row of two cells or more."""
    if "|" not in line:
        return None
    cells = [cell.strip() for cell in line.strip().removeprefix("|").removesuffix("|").split("|")]
    if cells and all(_SEPARATOR_CELL.fullmatch(cell) for cell in cells):
        return ["-"]
    while cells and not cells[-1]:
        cells.pop()
    return cells if len(cells) >= 2 else None


def _spaced_cells(line: str) -> list[str] | None:
    """The cells of a row set apart by two spaces or more, a tab or an ideographic space: three or more."""
    cells = _CELL_GAP.split(line.strip())
    return cells if len(cells) >= _LEAST_SPACED_CELLS and "|" not in line else None


def _has_number(row: list[str]) -> bool:
    return any(_NUMBER.fullmatch(cell) for cell in row)


def _table(rows: list[list[str]]) -> str:
    """A Markdown table, the first row its header; each cell renders exactly as written."""
    lines = ["| " + " | ".join(escape_line(cell) if cell else " " for cell in row) + " |" for row in rows]
    return "\n".join([lines[0], "|" + "---|" * len(rows[0]), *lines[1:]])
