"""The national template's tables found in a report's Markdown tables, each figure put on its item.

The rows of a report's tables are read in order, as one stream: the template's tables may be one
Markdown table or many (one per 第二十条 item, or a table broken up wherever a PDF's page or cell broke).
A row without figures that names columns is a header; headers stacked over each other, merged cells
(written empty) and labels split over two header rows are read together, column by column. A row
with figures is put on its item by its label and its header, or, when the header cannot be read (a
table copied from a PDF garbles it first), by position, if it has exactly as many figures as the
template's row.

Nothing is guessed. Labels are matched through a key (script and width folded, spaces, punctuation and
numbering left out) and must name one item; a row is taken whole or not at all: a figure the header
and the position place differently, a cell of text among figures, or fewer cells than its header
leave the whole row out, and a table with a row left out has its sums checked only where every
figure was read. The report's text is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from generator.core.chinese import fold
from generator.core.markdown import TableRow
from generator.statistics.checks import broken_rules
from generator.statistics.model import Cell, Statistics
from generator.statistics.templates import TABLES, TEMPLATES, Item, Table

# Numbering before a label: 一、 （一） 1. 1、 (folded to half-width first).
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d+[.、])")
_NOT_KEY = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|件|个|项|次|条)?")
# What a cell holds where the template's item does not apply or was left blank.
_BLANK = frozenset({"", "-", "--", "—", "——", "–", "/", "无", "\\"})
# The first year whose report follows 国办公开办函〔2021〕30号.
_FIRST_2021_YEAR = 2021


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """What a label is matched by: 自 然 人, 自然人 and (Traditional) 自然人 have one key; numbering
    (一、, （三）, 2.) and punctuation are left out."""
    folded = _SPACES.sub("", fold(text))
    for _ in range(2):
        folded = _NUMBERING.sub("", folded)
    return _NOT_KEY.sub("", folded)


# Cells repeat (0, 1, -): each is read once.
@lru_cache(maxsize=4096)
def _number(text: str) -> int | float | None:
    """The figure a cell writes, in half-width or full-width digits, with thousands separators or a
    unit; None when it writes anything else."""
    found = _NUMBER.fullmatch(_SPACES.sub("", fold(text)).replace("*", ""))
    if found is None:
        return None
    sign, digits, decimals, unit = found.groups()
    whole = int(digits.replace(",", "")) * (-1 if sign == "-" else 1)
    if decimals or unit == "万元":
        return float(f"{sign}{digits.replace(',', '')}{decimals or ''}")
    return whole


@lru_cache(maxsize=1024)
def _blank(text: str) -> bool:
    return _SPACES.sub("", text).replace("*", "") in _BLANK


def is_figure(text: str) -> bool:
    """Whether a cell writes a figure, or the mark of a place left blank (-, —, /, 无)."""
    return bool(text.strip()) and (_blank(text) or _number(text) is not None)


def rows_named(text: str) -> tuple[tuple[Table, Item], ...]:
    """The row ``text`` names (matched by key) in each template table that has one."""
    found = key(text)
    return tuple(
        (table, _keys(table.id, "rows")[found]) for table in TABLES.values() if found in _keys(table.id, "rows")
    )


def column_named(table: Table, text: str) -> Item | None:
    """The column of ``table`` that ``text`` names, matched by key."""
    return _keys(table.id, "columns").get(key(text))


def is_corner(table: Table, text: str) -> bool:
    """Whether ``text`` is what the template writes above ``table``'s row labels (信息内容)."""
    return key(text) in {key(label) for label in table.corner}


def template_of(items: Iterable[Item], year: int | None) -> str | None:
    """The template version ``items`` belong to; where they do not tell (or disagree), the one in force
    for ``year``; None without a year."""
    versions = set(TEMPLATES)
    for item in items:
        versions &= item.templates
    if len(versions) == 1:
        return versions.pop()
    if year is None:
        return None
    return "2021" if year >= _FIRST_2021_YEAR else "2019"


@cache
def _keys(table_id: str, kind: str) -> dict[str, Item]:
    """The items of a table's rows or columns by the key of each of their labels."""
    table = TABLES[table_id]
    items = table.rows if kind == "rows" else table.columns
    return {key(label): item for item in items for label in item.labels}


def _chain(items: Iterable[Item]) -> Item | bool | None:
    """The deepest of items that lie on one line of descent (法人或其他组织 > 商业企业); None for no
    items, False when they name different things."""
    deepest: Item | None = None
    for item in items:
        if deepest is None or _descends(item.id, deepest.id):
            deepest = item
        elif not _descends(deepest.id, item.id):
            return False
    return deepest


def _descends(item: str, ancestor: str) -> bool:
    return item == ancestor or item.startswith(f"{ancestor}.")


@dataclass
class _Header:
    """Header rows stacked over each other: for each position, its texts from top to bottom, each
    marked whether it was written there or carried over from a merged cell to its left."""

    stacks: list[list[tuple[str, bool]]] = field(default_factory=list)
    # What each position names, by table: read once for all the rows under the header.
    _placed: dict[str, list[tuple[Item | bool | None, Item | bool | None]]] = field(default_factory=dict)

    def add(self, cells: tuple[str, ...]) -> None:
        self._placed.clear()
        while len(self.stacks) < len(cells):
            self.stacks.append([])
        carried = ""
        for position, stack in enumerate(self.stacks):
            text = cells[position] if position < len(cells) else ""
            stack.append((text, True) if text else (carried, False))
            carried = text or carried

    def place(self, table: Table, position: int) -> tuple[Item | bool | None, Item | bool | None]:
        """What the header puts at ``position`` in ``table``: (row, column), each None when it names
        none and False when it names two."""
        if table.id not in self._placed:
            self._placed[table.id] = [self._read(table, stack) for stack in self.stacks]
        placed = self._placed[table.id]
        return placed[position] if position < len(placed) else (None, None)

    def _read(self, table: Table, stack: list[tuple[str, bool]]) -> tuple[Item | bool | None, Item | bool | None]:
        """What one position's stack of header cells names. A merged cell carries over only into the rows
        above the last (the last row's empty cells are empty), and only where it agrees with what is
        written."""
        *upper, last = stack
        texts = [*upper, last if last[1] else ("", True)]
        written = [text for text, own in texts if own and text]
        carried = [text for text, own in texts if not own and text]
        found = {kind: _matches(table, written, kind) for kind in ("rows", "columns")}
        if not table.header_rows:
            found["rows"] = []
        place = []
        for kind in ("rows", "columns"):
            strong = _chain(found[kind])
            # A carried-over heading that disagrees with what is written there was not merged into it.
            weak = [item for item in _matches(table, carried, kind) if not strong or _chain([strong, item])]
            place.append(strong if strong is False else _chain([*found[kind], *weak]))
        if not table.header_rows:
            place[0] = None
        return place[0], place[1]

    def names(self, table: Table) -> bool:
        """Whether any header position names a column or row of ``table``."""
        return self.extent(table) > 0

    def extent(self, table: Table) -> int:
        """The positions up to the last one that names something of ``table``."""
        named = [at for at in range(len(self.stacks)) if self.place(table, at) != (None, None)]
        return named[-1] + 1 if named else 0


def _matches(table: Table, texts: list[str], kind: str) -> list[Item]:
    """The items ``texts`` name, each text on its own or, where one is not a label, run on with the
    next (a label split over two header rows: 自 / 然人)."""
    keys = _keys(table.id, kind)
    found, pending = [], ""
    for text in texts:
        item = keys.get(key(text))
        if item is not None:
            found.append(item)
            pending = ""
            continue
        pending += text
        if keys.get(key(pending)):
            found.append(keys[key(pending)])
            pending = ""
    return found


@dataclass(frozen=True)
class _Row:
    """A table row with figures, split into its label cells and the cells from the first after them."""

    line: int
    labels: tuple[str, ...]
    # (position in the row, figure or None for a blank) for every cell after the labels.
    values: tuple[tuple[int, int | float | None], ...]
    # A cell of text among the figures.
    mixed: bool


def _split(line: int, cells: tuple[str, ...]) -> _Row | None:
    """The row, or None when it has no figure."""
    numbers = [None if _blank(cell) else _number(cell) for cell in cells]
    if all(number is None for number in numbers):
        return None
    first = next(at for at, number in enumerate(numbers) if number is not None)
    # The labels end at the last text before the first figure; blanks after them are figures' places.
    labels_end = max((at + 1 for at in range(first) if not _blank(cells[at])), default=0)
    values = tuple((at, numbers[at]) for at in range(labels_end, len(cells)))
    mixed = any(numbers[at] is None and not _blank(cells[at]) for at in range(first, len(cells)))
    return _Row(line, cells[:labels_end], values, mixed)


@dataclass(frozen=True)
class _Mapped:
    table: str
    line: int
    # (row, column, figure) for every figure of the row.
    figures: tuple[tuple[str, str, int | float], ...]


@dataclass
class _Reading:
    """What is read of a report's tables so far."""

    mapped: list[_Mapped] = field(default_factory=list)
    # The template tables met, with the line their first Markdown table starts on.
    first_line: dict[str, int] = field(default_factory=dict)
    # Template tables with a row of figures that could not be put on its items.
    partial: set[str] = field(default_factory=set)
    current: str | None = None

    def table(self, rows: tuple[TableRow, ...]) -> None:
        header: _Header | None = None
        after_figures = True
        for line, cells in rows:
            row = _split(line, cells)
            if row is None:
                if _names_any_column(cells):
                    header = _Header() if after_figures or header is None else header
                    header.add(cells)
                    after_figures = False
                continue
            after_figures = True
            self.row(row, header, rows[0][0])

    def row(self, row: _Row, header: _Header | None, table_line: int) -> None:
        """Put a row of figures on its items; ``table_line`` is where its Markdown table starts."""
        tables = _tables_of(row, header)
        if not tables and self.current and not row.labels:
            # A row of figures alone belongs with the rows before it (its label is elsewhere, or lost).
            tables = [TABLES[self.current]]
        read = [(table, _figures(table, row, header)) for table in tables]
        placed = [(table, figures) for table, figures in read if figures is not None]
        if not tables:
            return
        table = placed[0][0] if len(placed) == 1 else tables[0]
        self.current = table.id
        self.first_line.setdefault(table.id, table_line)
        if len(placed) == 1:
            self.mapped.append(_Mapped(table.id, row.line, placed[0][1]))
        else:
            self.partial.add(table.id)


def _names_any_column(cells: tuple[str, ...]) -> bool:
    return any(key(cell) in _header_keys() for cell in cells if cell)


@cache
def _header_keys() -> frozenset[str]:
    """The keys of every label a header may hold: each table's columns, and its rows where the
    template writes them above the columns."""
    kinds = [(table.id, "columns") for table in TABLES.values()]
    kinds += [(table.id, "rows") for table in TABLES.values() if table.header_rows]
    return frozenset(label for table, kind in kinds for label in _keys(table, kind))


def _labelled(table: Table, row: _Row) -> Item | bool | None:
    keys = _keys(table.id, "rows")
    return _chain(keys[key(text)] for text in row.labels if key(text) in keys)


def _tables_of(row: _Row, header: _Header | None) -> list[Table]:
    """The template table the row's label names; without a label, those its header names."""
    named = [table for table in TABLES.values() if _labelled(table, row) is not None]
    if named or row.labels or header is None:
        return named
    return [table for table in TABLES.values() if header.names(table)]


def _figures(table: Table, row: _Row, header: _Header | None) -> tuple[tuple[str, str, int | float], ...] | None:
    if row.mixed:
        return None
    return _by_header(table, row, header) or _by_position(table, row, header)


def _valid(table: Table, row: str, column: str) -> bool:
    return _valid_in(table.id, row, column)


@cache
def _valid_in(table_id: str, row: str, column: str) -> bool:
    table = TABLES[table_id]
    return any(
        row in section.rows and column in cols for section in table.sections for cols in section.columns.values()
    )


def _figure(table: Table, item: Item) -> str:
    return table.figures.get(item.id, item.id)


def _by_header(table: Table, row: _Row, header: _Header | None) -> tuple[tuple[str, str, int | float], ...] | None:
    """The row's figures placed by its label and its header: each figure under a column the header
    names, the row named by the label or the header, and the row as long as the header."""
    labelled = _labelled(table, row)
    if header is None or labelled is False or len(row.labels) + len(row.values) < header.extent(table):
        return None
    figures = []
    for position, value in row.values:
        if value is None:
            continue
        row_item, column = header.place(table, position)
        item = _chain([labelled, row_item]) if labelled and row_item else labelled or row_item
        if not item or not column or not _valid(table, _figure(table, item), _figure(table, column)):
            return None
        figures.append((_figure(table, item), _figure(table, column), value))
    return tuple(figures)


def _by_position(table: Table, row: _Row, header: _Header | None) -> tuple[tuple[str, str, int | float], ...] | None:
    """The row's figures placed by the template's order, when it writes exactly as many places as the
    template (blanks after the last figure included) and no header says otherwise."""
    layout = table.positional
    written = len(row.values)
    last = max(at for at, (_, value) in enumerate(row.values) if value is not None) + 1
    if not layout or not last <= len(layout) <= written:
        return None
    labelled = _labelled(table, row)
    if labelled is False:
        return None
    figures = []
    for (position, value), (row_id, column_id) in zip(row.values, layout, strict=False):
        item = table.row(row_id) if row_id else labelled
        if not item or (row_id and labelled) or not _valid(table, item.id, column_id):
            return None
        if not _agrees(table, header, position, item, column_id):
            return None
        if value is not None:
            figures.append((item.id, column_id, value))
    return tuple(figures)


def _agrees(table: Table, header: _Header | None, position: int, row: Item, column: str) -> bool:
    """Whether what a header names at ``position`` (if anything) is the row and column the template's
    order puts there."""
    if header is None:
        return True
    named_row, named_column = header.place(table, position)
    if named_row is False or named_column is False:
        return False
    row_ok = named_row is None or _descends(row.id, named_row.id)
    return row_ok and (named_column is None or _figure(table, named_column) == column)


def recognise(
    tables: tuple[tuple[TableRow, ...], ...], file_line: Callable[[int], int], year: int
) -> Statistics | None:
    """The figures of the template's tables among ``tables`` (a report's, rows' lines counted in its
    text; ``file_line`` gives a line's in the content file), the version of the template, and the
    rules they break; None when no row could be put on a template item."""
    reading = _Reading()
    for rows in tables:
        reading.table(rows)
    mapped = _unique(reading)
    if not mapped:
        return None
    template = _version(mapped, year)
    kept = [row for row in mapped if all(_in_version(row.table, r, c, template) for r, c, _ in row.figures)]
    reading.partial |= {row.table for row in mapped if row not in kept}
    cells = tuple(
        Cell(row.table, row_id, column, value, file_line(row.line))
        for row in kept
        for row_id, column, value in row.figures
    )
    if not cells:
        return None
    lines = {table: file_line(line) for table, line in reading.first_line.items()}
    whole = {table: table not in reading.partial for table in lines}
    return Statistics(template, cells, broken_rules(cells, template, whole, lines))


def _unique(reading: _Reading) -> list[_Mapped]:
    """The rows read, but for rows that give a figure another row gives too: which of the two holds
    is not known, so neither is taken."""
    seen: dict[tuple[str, str, str], int] = {}
    for row in reading.mapped:
        for row_id, column, _ in row.figures:
            place = (row.table, row_id, column)
            seen[place] = seen.get(place, 0) + 1
    twice = {row for row in reading.mapped if any(seen[(row.table, r, c)] > 1 for r, c, _ in row.figures)}
    reading.partial |= {row.table for row in twice}
    return [row for row in reading.mapped if row not in twice]


def _version(mapped: list[_Mapped], year: int) -> str:
    """The template version the items read belong to; where they do not tell (or disagree), the one
    in force for the report's year."""
    items = (
        item
        for row in mapped
        for row_id, column, _ in row.figures
        for item in (TABLES[row.table].row(row_id), TABLES[row.table].column(column))
    )
    return template_of(items, year) or "2021"


@cache
def _in_version(table_id: str, row: str, column: str, template: str) -> bool:
    table = TABLES[table_id]
    items = (table.row(row), table.column(column))
    in_section = any(row in section.rows and column in section.columns.get(template, ()) for section in table.sections)
    return in_section and all(template in item.templates for item in items)
