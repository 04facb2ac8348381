"""Published reports → the catalogue: region tree, agencies, years, reading orders and citations.

Relations are maps keyed by report id or by a folded name, never object references, so every later
stage can look things up without walking a graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar

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
    """The catalogue of ``reports``. Given ``earlier``, the catalogue of an earlier version of them, each
    part of it is taken over that the reports changed since are not filed differently in."""
    by_id = {report.id: report for report in reports}
    same = _Same(by_id, earlier)
    newest = same.keep("newest_first") or tuple(r.id for r in sorted(by_id.values(), key=_chronological, reverse=True))
    regions = same.keep("regions", _region) or _region_tree(by_id, newest)
    agencies = same.keep("agencies", _region, _agency) or _agencies(by_id, newest)
    years: dict[int, list[str]] = defaultdict(list)
    for report_id in newest:
        years[by_id[report_id].year].append(report_id)
    return Catalogue(
        reports=MappingProxyType(by_id),
        newest_first=newest,
        regions=MappingProxyType(regions),
        provinces=same.keep("provinces", _region) or _by_pinyin(key for key in regions if len(key) == 1),
        agencies=MappingProxyType(agencies),
        years=MappingProxyType({year: tuple(ids) for year, ids in sorted(years.items(), reverse=True)}),
        neighbours=same.keep("neighbours", _region, _agency) or MappingProxyType(_neighbours(by_id, agencies)),
        citations=same.keep("citations", _cited)
        or cross_reference({i: by_id[i].doc_number for i in newest}, {i: by_id[i].cited for i in newest}),
        by_agency_year_kind=same.keep("by_agency_year_kind", _region, _agency, _kind)
        or MappingProxyType(_by_agency_year_kind(by_id, agencies)),
        region_years=same.keep("region_years", _region) or MappingProxyType(_region_years(by_id, regions)),
    )


def _region(report: Report) -> tuple[str, ...]:
    return report.region


def _agency(report: Report) -> str:
    return report.agency


def _kind(report: Report) -> str | None:
    return report.kind


def _cited(report: Report) -> tuple:
    return (report.doc_number, report.cited)


class _Same:
    """Which parts of an earlier catalogue still hold: it is of the same reports, and those changed since
    (not the very objects it was made of) have kept their place among the newest first and the values
    a part is made from."""

    def __init__(self, by_id: Mapping[str, Report], earlier: Catalogue | None) -> None:
        self.earlier = earlier if earlier is not None and by_id.keys() == earlier.reports.keys() else None
        known = self.earlier.reports if self.earlier else {}
        self.changed = [(known[i], report) for i, report in by_id.items() if i in known and known[i] is not report]

    def keep(self, part: str, *made_of: Callable[[Report], object]) -> Any:
        """The earlier catalogue's ``part``, if every changed report has the same values of ``made_of``
        and of its place among the newest first; else None."""
        if self.earlier is None:
            return None
        values = (_chronological, *made_of)
        if all(value(before) == value(after) for before, after in self.changed for value in values):
            return getattr(self.earlier, part)
        return None


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
