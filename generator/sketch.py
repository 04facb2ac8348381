"""What a build leaves for an edit of reports' texts: ``.site.cache.sketch``, beside the site.

Most of a site shows of a report only what its front matter says and the beginning of its text: the
listings, feeds, coverage, charts and the pages of reports that cite it or that it cites. The rest of
its text, its 字数, the wording of its sections and the lines of its file show on its own page, on the
pages of its agency's reports (the report of the year after compares its wording), in the catalogue
export and in the index. An edit that changes nothing else of a report (``shown_elsewhere``) changes
nothing else of the site.

The sketch keeps what those pages, the export and the index are made from, besides the reports: the
catalogue without its reports, the paths, cards and citation keys of the reports, the export's records
and the search data without the texts. A build that finds only such edits plans the pages of the edited
reports' agencies from it, those reports read from the parse cache, and takes every other file over
from the site (``generator.pipeline``). It is trusted only for the site folder it was written with,
and the same inputs but the content folder: settings, options, layouts, generator code and libraries.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.build.catalogue import Agency, Catalogue, RegionNode
from generator.build.citations import Citations
from generator.build.content import Report, Texts
from generator.build.exports import report_lines
from generator.build.plan import ReportPages, restored_pages
from generator.build.state import code_digest, stored_report, stored_texts, write_whole
from generator.core.config import Config
from generator.search.data import Region, SearchData, SearchDocument

# What only a report's own page, its agency's report pages, the catalogue export and the index show.
_OWN_FIELDS = frozenset({"texts", "words", "body_line", "wording", "redactions"})


def shown_elsewhere(report: Report) -> bytes:
    """A digest of all the rest of the site shows of ``report``: its fields but _OWN_FIELDS, and its summary."""
    shown = [getattr(report, f.name) for f in dataclasses.fields(Report) if f.name not in _OWN_FIELDS]
    return hashlib.blake2b(repr((shown, report.summary)).encode(), digest_size=16).digest()


@dataclass(frozen=True)
class Frame:
    """What a sketch holds for: the stamp of every input but the content folder, the files among those
    not settled when it was taken (with a digest of their bytes), and the site folder's inode."""

    stamp: str
    recent: Mapping[str, str]
    inode: int


@dataclass(frozen=True)
class Sketch:
    """A build's sketch; its catalogue reads each report from the parse cache when first asked for."""

    frame: Frame
    # The file key of each published report, by id: the catalogue's reports are read by it.
    keys: Mapping[str, str]
    pages: ReportPages
    # Each report's line of the catalogue's JSON and row of its CSV, newest first.
    lines: tuple[tuple[str, str], ...]
    search: SearchData
    # All of it as plain data, as the file holds it.
    plain: Mapping[str, Any]


def sketch_of(frame: Frame, pages: ReportPages, lines: Sequence[tuple[str, str]], search: SearchData) -> Sketch:
    """The sketch of a build, from its ``frame``, the planner's ``pages`` of reports, the catalogue's
    ``lines`` and the ``search`` data."""
    catalogue, paths = pages.catalogue, pages.paths
    keys = {report_id: report.file_key for report_id, report in catalogue.reports.items()}
    plain = {
        "code": code_digest(),
        "frame": dataclasses.astuple(frame),
        "keys": keys,
        "catalogue": _catalogue(catalogue),
        "paths": (paths.agency, paths.region, paths.report),
        "cards": dict(pages.cards),
        "bibtex": dict(pages.keys),
        "lines": tuple(lines),
        "search": _search(search),
    }
    return Sketch(frame, keys, pages, plain["lines"], search, plain)


def edited(sketch: Sketch, reports: Mapping[str, Report], frame: Frame, base_url: str | None) -> Sketch:
    """The sketch of the build with ``frame`` that made ``reports``, edits of the sketch's that change
    only their texts. Its catalogue is the sketch's, taking ``reports`` from now on."""
    catalogue = sketch.pages.catalogue
    stored = catalogue.reports
    assert isinstance(stored, _StoredReports)
    stored.read.update(reports)
    report_paths = sketch.pages.paths.report
    position = {report_id: n for n, report_id in enumerate(catalogue.newest_first)}
    lines = list(sketch.lines)
    for report_id in reports:
        lines[position[report_id]] = report_lines(catalogue, report_id, report_paths[report_id], base_url)
    texts = {report_paths[report_id]: report.texts for report_id, report in reports.items()}
    documents = tuple(
        dataclasses.replace(document, texts=texts[document.url]) if document.url in texts else document
        for document in sketch.search.documents
    )
    search = dataclasses.replace(sketch.search, documents=documents)
    keys = {**sketch.keys, **{report_id: report.file_key for report_id, report in reports.items()}}
    plain = {
        **sketch.plain,
        "frame": dataclasses.astuple(frame),
        "keys": keys,
        "lines": tuple(lines),
        "search": (_documents(documents), *sketch.plain["search"][1:]),
    }
    return Sketch(frame, keys, sketch.pages, plain["lines"], search, plain)


def save_sketch(file: Path, sketch: Sketch) -> None:
    write_whole(file, marshal.dumps(sketch.plain))


def read_sketch(file: Path, stored: Path, config: Config) -> Sketch | None:
    """The sketch in ``file``, its reports read from the parse cache at ``stored`` when asked for; None
    if there is none, it is damaged, or other code wrote it."""
    try:
        plain = marshal.loads(file.read_bytes())
        if plain["code"] != code_digest():
            return None
        keys = plain["keys"]
        catalogue = _restored_catalogue(plain["catalogue"], _StoredReports(keys, stored))
        pages = restored_pages(catalogue, plain["paths"], plain["cards"], plain["bibtex"], config)
        search = _restored_search(plain["search"], stored)
        return Sketch(Frame(*plain["frame"]), keys, pages, plain["lines"], search, plain)
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None


class Unsketched(Exception):
    """The parse cache no longer holds a report of the sketch: the build it describes is not the last."""


class _StoredReports(Mapping[str, Report]):
    """A build's reports by id, each read from the parse cache at ``stored`` the first time it is asked
    for; ``edited`` replaces some."""

    def __init__(self, keys: Mapping[str, str], stored: Path) -> None:
        self.keys, self.stored = keys, stored
        self.read: dict[str, Report] = {}

    def __getitem__(self, report_id: str) -> Report:
        if report_id not in self.read:
            report = stored_report(self.stored, self.keys[report_id])
            if report is None:
                raise Unsketched(report_id)
            self.read[report_id] = report
        return self.read[report_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


def _catalogue(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue without its reports, as plain data."""
    citations = catalogue.citations
    return {
        "newest_first": catalogue.newest_first,
        "regions": [dataclasses.astuple(node) for node in catalogue.regions.values()],
        "provinces": catalogue.provinces,
        "agencies": [dataclasses.astuple(agency) for agency in catalogue.agencies.values()],
        "years": dict(catalogue.years),
        "neighbours": dict(catalogue.neighbours),
        "citations": (dict(citations.cites), dict(citations.cited_by), dict(citations.missing), citations.wanted),
        "by_agency_year_kind": dict(catalogue.by_agency_year_kind),
        "region_years": {key: dict(years) for key, years in catalogue.region_years.items()},
    }


def _restored_catalogue(data: Mapping[str, Any], reports: Mapping[str, Report]) -> Catalogue:
    regions = {node[0]: RegionNode(*node) for node in data["regions"]}
    agencies = {agency[0]: Agency(*agency) for agency in data["agencies"]}
    cites, cited_by, missing, wanted = data["citations"]
    return Catalogue(
        reports=reports,
        newest_first=data["newest_first"],
        regions=MappingProxyType(regions),
        provinces=data["provinces"],
        agencies=MappingProxyType(agencies),
        years=MappingProxyType(data["years"]),
        neighbours=MappingProxyType(data["neighbours"]),
        citations=Citations(cites, cited_by, missing, wanted),
        by_agency_year_kind=MappingProxyType(data["by_agency_year_kind"]),
        region_years=MappingProxyType({key: MappingProxyType(years) for key, years in data["region_years"].items()}),
    )


# A search document's fields but the last, its texts, which are kept by their key and length.
_DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(SearchDocument))[:-1]


def _search(search: SearchData) -> tuple:
    regions = [dataclasses.astuple(region) for region in search.regions]
    return _documents(search.documents), regions, search.agencies, search.kinds


def _documents(documents: Sequence[SearchDocument]) -> list[tuple]:
    return [
        (*(getattr(document, name) for name in _DOCUMENT_FIELDS), document.texts.key, document.texts.length)
        for document in documents
    ]


def _restored_search(data: tuple, stored: Path) -> SearchData:
    documents, regions, agencies, kinds = data
    return SearchData(
        tuple(
            SearchDocument(*fields, Texts(key, "", length, read=partial(stored_texts, stored, key)))
            for *fields, key, length in documents
        ),
        tuple(Region(*region) for region in regions),
        agencies,
        kinds,
    )
