"""What search knows of each published report, in the order of the search index.

Reports are numbered in the order of the region tree, then agency, then newest first, so that the
reports of one place are neighbours: a place-name query finds its hits in a few consecutive meta files.
Each report's searchable fields are kept as written; only the index normalises them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from operator import attrgetter
from typing import Any

from generator.build.catalogue import Catalogue, RegionKey, agency_key, region_key
from generator.build.content import Texts
from generator.core.chinese import slugify
from generator.core.plain import plain_bytes

# A report's searchable fields, in the order searchable_text joins them. Title, agency and 文号 come
# first: an occurrence before the end of the 文号 is in the report's head, which ranks it higher. The
# body comes last.
SEARCH_FIELDS = ("title", "agency", "doc_number", "region", "body")
HEAD_FIELDS = 3
# A report's row in the meta files, which the search page lists: the index names them as "columns".
META_COLUMNS = ("url", "title", "date", "doc_number", "lang")


@dataclass(frozen=True)
class SearchDocument:
    """One report as search sees it. ``region``, ``agency`` and ``kind`` index the SearchData's lists
    (kind -1 for none); ``newest`` is its rank among all reports, 0 for the newest."""

    url: str
    title: str
    date: str
    doc_number: str
    lang: str
    region: int
    agency: int
    year: int
    kind: int
    newest: int
    # The searchable fields before the body, in SEARCH_FIELDS's order.
    leading: tuple[str, ...]
    # The body's text, read only for the index batches and text files made anew; and the report's
    # file_key, which stands for all the fields: equal keys, equal fields.
    texts: Texts

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.leading, self.texts.text)

    @property
    def size(self) -> int:
        """The characters of all the fields, told without reading the body."""
        return sum(map(len, self.leading)) + self.texts.length

    @property
    def made_from(self) -> bytes:
        return bytes.fromhex(self.texts.key)


# Every field of a document but its fields, which made_from stands for: encoding and digesting all the
# reports' text would take most of the time an edit's rebuild gives search. The fields before the body
# are few and short, and are digested with these for the files that list reports (SearchData.listed).
_DESCRIBED = tuple(field.name for field in fields(SearchDocument) if field.name not in ("leading", "texts"))


@dataclass(frozen=True)
class Region:
    value: str
    name: str
    parent: int


@dataclass(frozen=True)
class SearchData:
    """The published reports in index order, and the names their facet numbers stand for."""

    documents: tuple[SearchDocument, ...]
    regions: tuple[Region, ...]
    agencies: tuple[str, ...]
    kinds: tuple[str, ...]

    @cached_property
    def listed(self) -> bytes:
        """A digest of all but the reports' bodies: what the files that list and filter reports are made of."""
        digest = hashlib.blake2b(digest_size=16)
        for region in self.regions:
            digest.update(f"{region}\0".encode())
        digest.update("\0".join((*self.agencies, "\1", *self.kinds, "\1")).encode())
        described = attrgetter(*_DESCRIBED, "leading")
        digest.update(plain_bytes([described(document) for document in self.documents]))
        return digest.digest()

    def digest(self) -> str:
        """Of everything the search files are made from: equal digests, equal files."""
        digest = hashlib.blake2b(self.listed, digest_size=16)
        digest.update("".join(document.texts.key for document in self.documents).encode())
        return digest.hexdigest()


def plan_search(catalogue: Catalogue, report_paths: Mapping[str, str]) -> SearchData:
    regions, region_index = _regions(catalogue)
    agencies = sorted(catalogue.agencies, key=lambda key: (slugify(catalogue.agencies[key].name), key))
    agency_index = {key: i for i, key in enumerate(agencies)}
    kinds = sorted({r.kind for r in catalogue.reports.values() if r.kind})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    documents = []
    for newest, report_id in enumerate(catalogue.newest_first):
        report = catalogue.reports[report_id]
        documents.append(
            SearchDocument(
                url=report_paths[report_id],
                title=report.title,
                date=report.date or "",
                doc_number=report.doc_number or "",
                lang=report.language,
                region=region_index[region_key(report)],
                agency=agency_index[agency_key(report)],
                year=report.year,
                kind=kind_index.get(report.kind, -1),
                newest=newest,
                leading=tuple(
                    row(
                        SEARCH_FIELDS[:-1],
                        title=report.title,
                        agency=report.agency,
                        doc_number=report.doc_number or "",
                        region=" ".join(report.region),
                    )
                ),
                texts=report.texts,
            )
        )
    documents.sort(key=lambda d: (d.region, d.agency, d.newest))
    return SearchData(tuple(documents), regions, tuple(catalogue.agencies[key].name for key in agencies), tuple(kinds))


def _regions(catalogue: Catalogue) -> tuple[tuple[Region, ...], dict[RegionKey, int]]:
    """The region tree, depth first, each region after its parent."""
    regions: list[Region] = []
    index: dict[RegionKey, int] = {}

    def add(key: RegionKey, parent: int) -> None:
        node = catalogue.regions[key]
        index[key] = len(regions)
        regions.append(Region("/".join(node.names), node.name, parent))
        for child in node.children:
            add(child, index[key])

    for province in catalogue.provinces:
        add(province, -1)
    return tuple(regions), index


def row(columns: tuple[str, ...], **cells: Any) -> list[Any]:
    """``cells`` laid out in ``columns``, each named once."""
    if cells.keys() != set(columns):
        raise ValueError(f"a row of {columns} given {tuple(cells)}")
    return [cells[name] for name in columns]


def meta_row(document: SearchDocument) -> list[Any]:
    return row(
        META_COLUMNS,
        url=document.url,
        title=document.title,
        date=document.date,
        doc_number=document.doc_number,
        lang=document.lang,
    )
