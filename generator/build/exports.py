"""The archive as data: ``catalogue.json`` (described by ``catalogue.schema.json``) and ``catalogue.csv``;
``data/statistics.json`` (described by ``data/statistics.schema.json``) and ``data/statistics.csv``.

The catalogue has one record per published report, with every front-matter field except the import
record, the page's address and the report's length; the statistics one per figure of a published
report's national-template tables. Withheld reports never reach the catalogue, so they never reach these.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.build.catalogue import Catalogue
from generator.core import urls
from generator.statistics import outputs

JSON, CSV, SCHEMA = urls.CATALOGUE_JSON, urls.CATALOGUE_CSV, urls.CATALOGUE_SCHEMA
STATISTICS_JSON, STATISTICS_CSV, STATISTICS_SCHEMA = urls.STATISTICS_JSON, urls.STATISTICS_CSV, urls.STATISTICS_SCHEMA
COLUMNS = (
    "url",
    "title",
    "agency",
    "region",
    "year",
    "doc_number",
    "index_number",
    "date",
    "published",
    "kind",
    "disclosure",
    "redactions",
    "language",
    "source",
    "source_url",
    "slug",
    "attachments",
    "word_count",
)
# List fields in one cell: the region path on one line, one attachment per line.
_JOINED_BY = {"region": " / ", "attachments": "\n"}
# A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def schema_file(path: str = SCHEMA) -> Path:
    """The repository's copy of the schema the site holds at ``path``."""
    return Path(__file__).with_name("schemas") / posixpath.basename(path)


def export_paths() -> tuple[str, ...]:
    return JSON, CSV, SCHEMA, STATISTICS_JSON, STATISTICS_CSV, STATISTICS_SCHEMA


def export_files(
    catalogue: Catalogue,
    report_paths: Mapping[str, str],
    base_url: str | None,
    title: str,
    lines: Sequence[tuple[str, str]] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every export file; the catalogue's from its ``lines`` (see catalogue_lines) when they are made already."""
    made = catalogue_lines(catalogue, report_paths, base_url) if lines is None else lines
    yield from catalogue_files(made, base_url, title)
    yield from _statistics_files(catalogue, report_paths, base_url, title)


def catalogue_lines(
    catalogue: Catalogue, report_paths: Mapping[str, str], base_url: str | None
) -> list[tuple[str, str]]:
    """Each report's line of the catalogue's JSON and row of its CSV, newest first."""
    return [report_lines(catalogue, i, report_paths[i], base_url) for i in catalogue.newest_first]


def report_lines(catalogue: Catalogue, report_id: str, path: str, base_url: str | None) -> tuple[str, str]:
    """The report's line of the catalogue's JSON and its row of the CSV."""
    made = _record(catalogue, report_id, path, base_url)
    return json.dumps(made, ensure_ascii=False), _csv_row([_cell(made[column], column) for column in COLUMNS])


def catalogue_files(lines: Sequence[tuple[str, str]], base_url: str | None, title: str) -> Iterator[tuple[str, bytes]]:
    """The catalogue of the reports of ``lines`` (see report_lines), as JSON and CSV, and its schema."""
    document = {"$schema": SCHEMA, "title": title, "base_url": base_url, "count": len(lines), "reports": []}
    yield JSON, _one_record_per_line(document, [line for line, _ in lines]).encode()
    yield CSV, _with_bom(_csv_row(COLUMNS) + "".join(row for _, row in lines))
    yield SCHEMA, schema_file().read_bytes()


def _statistics_files(
    catalogue: Catalogue, report_paths: Mapping[str, str], base_url: str | None, title: str
) -> Iterator[tuple[str, bytes]]:
    """Every figure of the published reports' template tables, report by report, newest first."""
    cells = []
    for report_id in catalogue.newest_first:
        report = catalogue.reports[report_id]
        if report.statistics is not None:
            page = report_paths[report_id]
            cells += outputs.cell_records(page, report.agency, report.region, report.year, report.statistics)
    # The schema sits beside the file in data/, so it is named from there.
    schema = posixpath.basename(STATISTICS_SCHEMA)
    document = {"$schema": schema, "title": title, "base_url": base_url, "count": len(cells), "cells": []}
    yield (
        STATISTICS_JSON,
        _one_record_per_line(document, [json.dumps(cell, ensure_ascii=False) for cell in cells]).encode(),
    )
    yield STATISTICS_CSV, _csv(outputs.COLUMNS, cells)
    yield STATISTICS_SCHEMA, schema_file(STATISTICS_SCHEMA).read_bytes()


def _record(catalogue: Catalogue, report_id: str, path: str, base_url: str | None) -> dict[str, Any]:
    report = catalogue.reports[report_id]
    return {
        "url": (base_url or "") + path,
        "title": report.title,
        "agency": report.agency,
        "region": list(report.region),
        "year": report.year,
        "doc_number": report.doc_number,
        "index_number": report.index_number,
        "date": report.date,
        "published": report.published,
        "kind": report.kind,
        "disclosure": report.disclosure,
        "redactions": report.redactions,
        "language": report.language,
        "source": report.source,
        "source_url": report.source_url,
        "slug": report.slug,
        "attachments": list(report.attachments),
        "word_count": report.words,
    }


def _one_record_per_line(document: dict[str, Any], lines: list[str]) -> str:
    """``document`` with the records ``lines`` (each one's JSON) as its last key's list, one line each:
    readable, and a change to a report is a change to its lines."""
    head = json.dumps(document, ensure_ascii=False, indent=1).removesuffix("[]\n}")
    joined = ",\n".join("  " + line for line in lines)
    return f"{head}[\n{joined}\n ]\n}}\n" if lines else f"{head}[]\n}}\n"


def _csv(columns: tuple[str, ...], records: list[dict[str, Any]]) -> bytes:
    rows = (_csv_row([_cell(record[column], column) for column in columns]) for record in records)
    return _with_bom(_csv_row(columns) + "".join(rows))


def _csv_row(values: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def _with_bom(text: str) -> bytes:
    # With a byte-order mark, spreadsheet programs open the file as UTF-8 rather than the system's code page.
    return ("\ufeff" + text).encode()


def _cell(value: object, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = _JOINED_BY[column].join(value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text
