"""Published reports → the catalogue: region tree, agencies, years, reading orders and citations.

Relations are maps keyed by report id or by a folded name, never object references, so every later
stage can look things up without walking a graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar

from generator.build.citations import Citations, cross_reference
from generator.build.content import Report
from generator.core.chinese import fold, slugify

RegionKey = tuple[str, ...]
N = TypeVar("N", str, RegionKey)


@dataclass(frozen=True)
class RegionNode:
    """One administrative division; ``reports`` rolls up every report in it and below it, ``own`` holds
    those filed at the division itself (a province's departments: 本级)."""

    key: RegionKey
    names: tuple[str, ...]
    children: tuple[RegionKey, ...]
    reports: tuple[str, ...]
    own: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names[-1]


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    region: RegionKey
    reports: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    reports: Mapping[str, Report]
    newest_first: tuple[str, ...]
    regions: Mapping[RegionKey, RegionNode]
    provinces: tuple[RegionKey, ...]
    agencies: Mapping[str, Agency]
    years: Mapping[int, tuple[str, ...]]
    # (earlier, later) report of the same agency, by the year covered and the date signed.
    neighbours: Mapping[str, tuple[str | None, str | None]]
    citations: Citations
    # Each agency's newest report of each year and kind, by (agency key, year, kind): where a report page
    # finds its agency's report of the year before.
    by_agency_year_kind: Mapping[tuple[str, int, str | None], str]
    # How many reports each region and the divisions below it hold, by year.
    region_years: Mapping[RegionKey, Mapping[int, int]]


def region_key(report: Report, depth: int | None = None) -> RegionKey:
    return _folded_region(report.region)[:depth]


def agency_key(report: Report) -> str:
    return _folded(report.agency)


# Planning asks for the keys of every report many times over, and an archive has few distinct names.
@lru_cache(maxsize=65536)
def _folded(name: str) -> str:
    return fold(name)


@lru_cache(maxsize=65536)
def _folded_region(region: tuple[str, ...]) -> RegionKey:
    return tuple(_folded(name) for name in region)


def _chronological(report: Report) -> tuple:
    return (report.year, report.date or "", report.title, report.id)


def build_catalogue(reports: Iterable[Report], earlier: Catalogue | None = None) -> Catalogue:
    """The catalogue of ``reports``; its citations are taken from ``earlier``, the catalogue of an
    earlier version of them, when made from the same 文号 and mentions in the same order."""
    by_id = {report.id: report for report in reports}
    newest = tuple(r.id for r in sorted(by_id.values(), key=_chronological, reverse=True))
    regions = _region_tree(by_id, newest)
    agencies = _agencies(by_id, newest)
    years: dict[int, list[str]] = defaultdict(list)
    for report_id in newest:
        years[by_id[report_id].year].append(report_id)
    return Catalogue(
        reports=MappingProxyType(by_id),
        newest_first=newest,
        regions=MappingProxyType(regions),
        provinces=_by_pinyin(key for key in regions if len(key) == 1),
        agencies=MappingProxyType(agencies),
        years=MappingProxyType({year: tuple(ids) for year, ids in sorted(years.items(), reverse=True)}),
        neighbours=MappingProxyType(_neighbours(by_id, agencies)),
        citations=_citations(by_id, newest, earlier),
        by_agency_year_kind=MappingProxyType(_by_agency_year_kind(by_id, agencies)),
        region_years=MappingProxyType(_region_years(by_id, regions)),
    )


def _citations(by_id: Mapping[str, Report], newest: tuple[str, ...], earlier: Catalogue | None) -> Citations:
    def cited(reports: Mapping[str, Report], order: Iterable[str]) -> list[tuple[str, str | None, tuple]]:
        return [(i, reports[i].doc_number, reports[i].cited) for i in order]

    if earlier is not None and cited(by_id, newest) == cited(earlier.reports, earlier.newest_first):
        return earlier.citations
    return cross_reference({i: by_id[i].doc_number for i in newest}, {i: by_id[i].cited for i in newest})


def _most_common(values: Iterable[N]) -> N:
    """The value used most often; ties go to the smallest, for stable output."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value))


def _by_pinyin(keys: Iterable[RegionKey]) -> tuple[RegionKey, ...]:
    return tuple(sorted(keys, key=lambda key: (slugify(key[-1]), key)))


def _region_tree(by_id: Mapping[str, Report], newest: tuple[str, ...]) -> dict[RegionKey, RegionNode]:
    members: dict[RegionKey, list[str]] = defaultdict(list)
    own: dict[RegionKey, list[str]] = defaultdict(list)
    spellings: dict[RegionKey, list[str]] = defaultdict(list)
    for report_id in newest:
        report = by_id[report_id]
        full = region_key(report)
        for depth in range(1, len(full) + 1):
            members[full[:depth]].append(report_id)
            spellings[full[:depth]].append(report.region[depth - 1])
        own[full].append(report_id)
    children: dict[RegionKey, list[RegionKey]] = defaultdict(list)
    for key in members:
        if len(key) > 1:
            children[key[:-1]].append(key)
    # A region's name is shared by every division below it: each is worked out once.
    name = {key: _most_common(written) for key, written in spellings.items()}
    return {
        key: RegionNode(
            key=key,
            names=tuple(name[key[:depth]] for depth in range(1, len(key) + 1)),
            children=_by_pinyin(children[key]),
            reports=tuple(ids),
            own=tuple(own[key]),
        )
        for key, ids in members.items()
    }


def _agencies(by_id: Mapping[str, Report], newest: tuple[str, ...]) -> dict[str, Agency]:
    members: dict[str, list[str]] = defaultdict(list)
    for report_id in newest:
        members[agency_key(by_id[report_id])].append(report_id)
    agencies = {}
    for key, ids in members.items():
        reports = [by_id[i] for i in ids]
        agencies[key] = Agency(
            key=key,
            name=_most_common(r.agency for r in reports),
            region=_most_common(region_key(r) for r in reports),
            reports=tuple(ids),
        )
    return agencies


def _by_agency_year_kind(
    by_id: Mapping[str, Report], agencies: Mapping[str, Agency]
) -> dict[tuple[str, int, str | None], str]:
    newest: dict[tuple[str, int, str | None], str] = {}
    for key, agency in agencies.items():
        for report_id in agency.reports:  # newest first: the first of each year and kind is kept
            newest.setdefault((key, by_id[report_id].year, by_id[report_id].kind), report_id)
    return newest


def _region_years(
    by_id: Mapping[str, Report], regions: Mapping[RegionKey, RegionNode]
) -> dict[RegionKey, Counter[int]]:
    counts: dict[RegionKey, Counter[int]] = {}
    # Deepest first, so that a region adds up the counts of its divisions instead of counting again.
    for key in sorted(regions, key=len, reverse=True):
        counts[key] = Counter(by_id[i].year for i in regions[key].own)
        for child in regions[key].children:
            counts[key].update(counts[child])
    return counts


def _neighbours(
    by_id: Mapping[str, Report], agencies: Mapping[str, Agency]
) -> dict[str, tuple[str | None, str | None]]:
    result = {}
    for agency in agencies.values():
        ordered = list(reversed(agency.reports))
        for index, report_id in enumerate(ordered):
            earlier = ordered[index - 1] if index > 0 else None
            later = ordered[index + 1] if index + 1 < len(ordered) else None
            result[report_id] = (earlier, later)
    return result
