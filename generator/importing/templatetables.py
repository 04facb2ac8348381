"""The national template's tables printed one cell per line, as scrapes of post-2019 reports leave
them: a row's label on a line, then each of its figures on a line of its own (a blank line for an empty
cell), the header's cells one per line (or on one line) above, and captions such as 第二十条第（一）项.

Rows are recovered only where the template gives their columns with certainty: a line that names a row
of a template section, followed by exactly as many figures as the section has columns in the template's
version. The version is the header's when the lines above the first row name the section's columns, in
the order the template prints them (a two-level header level by level: 自然人 法人或其他组织 总计, then
商业企业 … 其他); otherwise the report's, read from the labels of its lines or its year as the
recogniser does. A run of such rows becomes one table, all or nothing: a figure missing, an extra line or
text among the figures leaves the whole run as written. Cells are the lines' own text; a table without
a header in the text gets the template's labels as its header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.statistics.tables import column_named, is_corner, is_figure, rows_named, template_of
from generator.statistics.templates import Item, Section, Table

Rows = list[list[str]]
# What sets apart header cells printed on one line.
_HEADER_GAP = re.compile(r"[\s|]+")


@dataclass(frozen=True)
class _Text:
    """The body's lines as cells (a scrape's ``|`` around a cell left out) and the blank lines before each."""

    cells: Sequence[str]
    blanks: Sequence[int]


@dataclass(frozen=True)
class _Header:
    start: int
    # None where the report's version is not known and both versions give the section these columns.
    version: str | None
    columns: tuple[str, ...]
    rows: Rows


def template_tables(lines: Sequence[str], blanks: Sequence[int], year: int | None) -> dict[int, tuple[int, Rows]]:
    """The template's tables printed one cell per line, by the index of their first line: the lines they
    span and their rows, the first its header."""
    text = _Text([_cell(line) for line in lines], blanks or [0] * len(lines))
    version = template_of(_named_items(text.cells), year)
    found: dict[int, tuple[int, Rows]] = {}
    index = floor = 0
    while index < len(lines):
        read = [table for table in _tables_at(text, index, floor, version) if table is not None]
        if len(read) != 1:
            index = _after_unread(text, index)
            continue
        start, end, rows = read[0]
        found[start] = (end - start, rows)
        index = floor = end
    return found


def _cell(line: str) -> str:
    """A line as a cell: without the ``|`` a scrape writes around a cell of its own (``0 |``)."""
    return line.strip().strip("|").strip()


def _named_items(cells: Sequence[str]) -> list[Item]:
    """The template rows and columns that lines name on their own: what tells the template's version."""
    named = [pair for cell in cells for pair in rows_named(cell)]
    items = [item for _, item in named]
    tables = {table.id: table for table, _ in named}
    for table in tables.values():
        items += [item for cell in cells if (item := column_named(table, cell)) is not None]
    return items


def _tables_at(text: _Text, index: int, floor: int, version: str | None) -> list[tuple[int, int, Rows] | None]:
    """Each table read from a row label at ``index``, one per template section the label names."""
    return [_section_table(text, index, floor, table, section, version) for table, section in _sections(text, index)]


def _sections(text: _Text, index: int) -> list[tuple[Table, Section]]:
    """The template sections the line at ``index`` names a row of."""
    return [
        (table, section)
        for table, item in rows_named(text.cells[index])
        for section in table.sections
        if item.id in section.rows
    ]


def _section_table(
    text: _Text, index: int, floor: int, table: Table, section: Section, version: str | None
) -> tuple[int, int, Rows] | None:
    """The table whose first row is the label at ``index``: (its first line, the line after it, rows)."""
    header = _header(text, index, floor, table, section, version)
    if header is None:
        header = _template_header(table, section, version, index)
    if header is None:
        return None
    end = _stretch(text, index, table, section)
    # The blank lines that part one cell from the next; more are empty cells.
    first = header.start + 1 if header.start < index else index
    spacing = min(text.blanks[first:end])
    rows = _rows(text, index, end, table, section, header, spacing)
    return None if rows is None else (header.start, end, header.rows + rows)


def _header(text: _Text, index: int, floor: int, table: Table, section: Section, version: str | None) -> _Header | None:
    """The header printed right above ``index`` that names the section's columns in the template's
    order; the report's version first where both versions' columns would match."""
    versions = sorted(section.columns, key=lambda v: v != version)
    for candidate in versions:
        full = section.columns[candidate]
        for columns in (tuple(c for c in full if c not in section.optional), full):
            found = _header_above(text, index, floor, table, columns)
            if found is not None:
                start, corner, cells = found
                return _Header(start, candidate, columns, _header_rows(columns, corner, cells))
    return None


def _template_header(table: Table, section: Section, version: str | None, index: int) -> _Header | None:
    """The template's labels as the header, where the report's version gives the section's columns."""
    if version is not None and version not in section.columns:
        return None
    if version is None and len(set(section.columns.values())) > 1:
        return None  # the columns depend on a version nothing gives
    written = version or next(iter(section.columns))
    columns = tuple(c for c in section.columns[written] if c not in section.optional)
    labels = [table.column(column).written(written) for column in columns]
    return _Header(index, version, columns, [["", *labels]])


def _layout(table: Table, columns: tuple[str, ...]) -> list[Item]:
    """The header's cells in the order the template prints them: level by level, each heading once."""
    levels: list[list[Item]] = []
    for column in columns:
        parts = column.split(".")
        for depth in range(len(parts)):
            item = table.column(".".join(parts[: depth + 1]))
            if len(levels) <= depth:
                levels.append([])
            if item not in levels[depth]:
                levels[depth].append(item)
    return [item for level in levels for item in level]


def _header_above(
    text: _Text, index: int, floor: int, table: Table, columns: tuple[str, ...]
) -> tuple[int, str, dict[str, str]] | None:
    """The lines right above ``index`` (none before ``floor``) that name the header's cells in order,
    perhaps after the corner (信息内容): their first line, the corner and each heading's text by id."""
    layout = _layout(table, columns)
    cells: list[str] = []
    start = index
    while start > floor and len(cells) < len(layout):
        start -= 1
        cells = _header_cells(table, text.cells[start]) + cells
    corner = ""
    if len(cells) == len(layout) + 1 and is_corner(table, cells[0]):
        corner, cells = cells[0], cells[1:]
    elif start > floor and is_corner(table, text.cells[start - 1]):
        start -= 1
        corner = text.cells[start]
    if len(cells) != len(layout) or [column_named(table, cell) for cell in cells] != layout:
        return None
    return start, corner, {item.id: cell for item, cell in zip(layout, cells, strict=True)}


def _header_cells(table: Table, line: str) -> list[str]:
    """A header line's cells: the line, or, when it names nothing on its own, its parts set apart by
    spaces or ``|``."""
    if column_named(table, line) is not None or is_corner(table, line):
        return [line]
    return [part for part in _HEADER_GAP.split(line) if part]


def _header_rows(columns: tuple[str, ...], corner: str, texts: dict[str, str]) -> Rows:
    """The header as Markdown rows, one per level: a heading over several columns in the first of them,
    the others left empty, as the recogniser reads merged cells."""
    depth = max(column.count(".") for column in columns) + 1
    rows = [[corner if level == 0 else ""] for level in range(depth)]
    for position, column in enumerate(columns):
        parts = column.split(".")
        for level, row in enumerate(rows):
            heading = ".".join(parts[: level + 1]) if level < len(parts) else None
            previous = columns[position - 1].split(".") if position else []
            first = heading is not None and ".".join(previous[: level + 1]) != heading
            row.append(texts[heading] if first and heading else "")
    return rows


def _stretch(text: _Text, index: int, table: Table, section: Section) -> int:
    """The line after the run of figures and the section's row labels (and headings of rows, such as
    三、本年度办理结果) that starts at ``index``."""
    end = index + 1
    while end < len(text.cells) and (is_figure(text.cells[end]) or _row_item(text.cells[end], table, section)):
        end += 1
    return end


def _after_unread(text: _Text, index: int) -> int:
    """Where to look on from a label whose rows could not be read: after the run its figures start, since
    the rows below it are part of what could not be read (a header's 总计 starts none)."""
    if index + 1 >= len(text.cells) or not is_figure(text.cells[index + 1]):
        return index + 1
    return max((_run_end(text, index, table, section) for table, section in _sections(text, index)), default=index + 1)


def _run_end(text: _Text, index: int, table: Table, section: Section) -> int:
    """The line after the run from ``index``, a line of text among its figures included (见附件)."""
    end = _stretch(text, index, table, section)
    while end + 1 < len(text.cells) and is_figure(text.cells[end + 1]):
        end = _stretch(text, end + 1, table, section)
    return end


def _row_item(cell: str, table: Table, section: Section) -> Item | None:
    """The row of ``table`` that ``cell`` names, when it is one of the section's or heads some of them."""
    for named_table, item in rows_named(cell):
        if named_table is table and any(row == item.id or row.startswith(f"{item.id}.") for row in section.rows):
            return item
    return None


def _rows(
    text: _Text, index: int, end: int, table: Table, section: Section, header: _Header, spacing: int
) -> Rows | None:
    """The rows from ``index`` to ``end``, every line of them read, or None."""
    rows: Rows = []
    at, headings = index, 0
    while at < end:
        item = _row_item(text.cells[at], table, section)
        if item is None or (header.version and header.version not in item.templates):
            return None
        cells = _figures(text, at, end, table, section, spacing, len(header.columns))
        if cells is not None and item.id in section.rows:
            rows.append([text.cells[at], *cells])
            at, headings = at + 1 + sum(1 for cell in cells if cell), 0
        elif _heads_next(text, at, end, table, section, item, spacing):
            rows.append([text.cells[at], *[""] * len(header.columns)])
            at, headings = at + 1, headings + 1
        else:
            return None
    return rows if rows and not headings else None


def _figures(
    text: _Text, at: int, end: int, table: Table, section: Section, spacing: int, count: int
) -> list[str] | None:
    """The ``count`` cells after the label at ``at``: each figure line, and an empty cell for each blank
    line beyond ``spacing`` before it (or before the next row's label)."""
    cells: list[str] = []
    line = at + 1
    while line < end and is_figure(text.cells[line]):
        cells += [""] * (text.blanks[line] - spacing) + [text.cells[line]]
        line += 1
    if line < end:
        cells += [""] * (text.blanks[line] - spacing)
    return cells if len(cells) == count else None


def _heads_next(text: _Text, at: int, end: int, table: Table, section: Section, item: Item, spacing: int) -> bool:
    """Whether the row label at ``at`` heads the row below it (三、本年度办理结果 over （一）予以公开)."""
    below = _row_item(text.cells[at + 1], table, section) if at + 1 < end else None
    return (
        below is not None
        and below.parent is not None
        and below.id.startswith(f"{item.id}.")
        and (text.blanks[at + 1] == spacing)
    )
