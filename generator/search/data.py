"""Search data: what the search page loads.

The page reads ``search/catalogue.js`` (reports, facets, the normalisation table, and the names of
the columns of its rows and of the text files' rows) and, for an offline scan, ``search/text-N.js``
(each report's searchable text). Rows are lists that both sides read by column name. All are classic
scripts, which browsers also load from file://. Served over http(s), it uses the Pagefind index
(generator/search/index.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.build.catalogue import Catalogue, RegionKey, agency_key, region_key
from generator.core import urls
from generator.core.chinese import slugify
from generator.core.searchtext import QUOTES, fold_table, whitespace

CHUNK_BYTES = 1_000_000
# A report's row in the catalogue: its page, title, agency and region (indexes into the catalogue's lists),
# year, date, kind (an index, -1 for none), 文号 and language. The catalogue names them as "columns".
COLUMNS = ("url", "title", "agency", "region", "year", "date", "kind", "doc_number", "lang")
# A report's row in the text files: what search matches, as written, never normalised; in the order
# searchable_text joins them. The catalogue names them as "text_columns".
TEXT_COLUMNS = ("title", "agency", "region", "doc_number", "body")


@dataclass(frozen=True)
class SearchData:
    """The published reports, newest first, as search sees them."""

    catalogue: Mapping[str, Any]
    # Per report: its row of TEXT_COLUMNS.
    fields: tuple[tuple[str, ...], ...]
    # The reports each text file holds, as (start, end) indexes.
    chunks: tuple[tuple[int, int], ...]


def plan_search(catalogue: Catalogue, report_paths: Mapping[str, str]) -> SearchData:
    fields = tuple(_fields(catalogue, report_id) for report_id in catalogue.newest_first)
    chunks = _chunk_ranges(fields)
    return SearchData(_catalogue_data(catalogue, report_paths, len(chunks)), fields, chunks)


def _fields(catalogue: Catalogue, report_id: str) -> tuple[str, ...]:
    report = catalogue.reports[report_id]
    return tuple(
        row(
            TEXT_COLUMNS,
            title=report.title,
            agency=report.agency,
            region=" ".join(report.region),
            doc_number=report.doc_number or "",
            body=report.text,
        )
    )


def row(columns: tuple[str, ...], **cells: Any) -> list[Any]:
    """``cells`` laid out in ``columns``, each named once."""
    if cells.keys() != set(columns):
        raise ValueError(f"a row of {columns} given {tuple(cells)}")
    return [cells[name] for name in columns]


def cell(columns: tuple[str, ...], values: Sequence[Any], name: str) -> Any:
    """The cell ``name`` of a row laid out in ``columns``."""
    return values[columns.index(name)]


def _chunk_ranges(fields: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int], ...]:
    """Consecutive runs of reports, each about CHUNK_BYTES of text: one text file each."""
    ranges, start, size = [], 0, 0
    for index, report in enumerate(fields):
        size += sum(len(field.encode()) for field in report)
        if size >= CHUNK_BYTES or index == len(fields) - 1:
            ranges.append((start, index + 1))
            start, size = index + 1, 0
    return tuple(ranges)


def _catalogue_data(catalogue: Catalogue, report_paths: Mapping[str, str], chunks: int) -> dict:
    regions: list[dict[str, Any]] = []
    region_index: dict[RegionKey, int] = {}

    def add(key: RegionKey, parent: int) -> None:
        node = catalogue.regions[key]
        region_index[key] = len(regions)
        regions.append({"v": "/".join(node.names), "n": node.name, "p": parent})
        for child in node.children:
            add(child, region_index[key])

    for province in catalogue.provinces:
        add(province, -1)
    agencies = sorted(catalogue.agencies, key=lambda key: (slugify(catalogue.agencies[key].name), key))
    agency_index = {key: i for i, key in enumerate(agencies)}
    kinds = sorted({r.kind for r in catalogue.reports.values() if r.kind})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    reports = []
    for report_id in catalogue.newest_first:
        report = catalogue.reports[report_id]
        reports.append(
            row(
                COLUMNS,
                url=report_paths[report_id],
                title=report.title,
                agency=agency_index[agency_key(report)],
                region=region_index[region_key(report)],
                year=report.year,
                date=report.date or "",
                kind=kind_index.get(report.kind, -1),
                doc_number=report.doc_number or "",
                lang=report.language,
            )
        )
    return {
        "table": fold_table(),
        "space": whitespace(),
        "quotes": "".join(sorted(QUOTES)),
        "regions": regions,
        "agencies": [catalogue.agencies[key].name for key in agencies],
        "kinds": kinds,
        "chunks": chunks,
        "text_columns": list(TEXT_COLUMNS),
        "columns": list(COLUMNS),
        "reports": reports,
    }


def data_paths(search: SearchData) -> list[str]:
    return [f"{urls.SEARCH_DATA}/catalogue.js", *_text_paths(search), *map(body_path, search_urls(search))]


def _text_paths(search: SearchData) -> list[str]:
    return [f"{urls.SEARCH_DATA}/text-{n}.js" for n in range(len(search.chunks))]


def body_path(report_url: str) -> str:
    """The file holding one report's text as search quotes it, for results found in the served index."""
    return f"{urls.SEARCH_DATA}/body/{report_url.removesuffix('.html')}.js"


def data_files(search: SearchData) -> Iterator[tuple[str, bytes]]:
    """The catalogue, the text files and each report's text, as classic scripts that hand their data
    to the search page."""
    yield f"{urls.SEARCH_DATA}/catalogue.js", script("catalogue", search.catalogue)
    for path, (start, end) in zip(_text_paths(search), search.chunks, strict=True):
        yield path, script(path.removeprefix(f"{urls.SEARCH_DATA}/").removesuffix(".js"), search.fields[start:end])
    for address, fields in zip(search_urls(search), search.fields, strict=True):
        yield body_path(address), script(f"body:{address}", cell(TEXT_COLUMNS, fields, "body"))


def script(name: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"gongkai.receive({json.dumps(name)},{payload});\n".encode()


def search_urls(search: SearchData) -> list[str]:
    """Each report's page, in the order of the search data."""
    return [cell(COLUMNS, report, "url") for report in search.catalogue["reports"]]
