"""Catalogue → every output page as data: path, template and the plain context it is rendered with.

This is where things are mapped to URLs; two pages on one path are problems before anything is written.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from types import MappingProxyType
from typing import Any

from generator import urls
from generator.catalogue import Agency, Catalogue, RegionKey, agency_key, region_key
from generator.config import Config
from generator.problems import Problem

PAGE_SIZE = 1000
NEWEST_ON_HOME = 10
TOP_AGENCIES_ON_HOME = 20


@dataclass(frozen=True)
class PageJob:
    path: str
    template: str
    context: Mapping[str, Any]
    # The content file a report page is made from, as messages name it, and the line its text starts on.
    source: str | None = None
    body_line: int = 1


@dataclass(frozen=True)
class Plan:
    jobs: tuple[PageJob, ...]
    problems: tuple[Problem, ...]
    report_paths: Mapping[str, str]


def plan_site(catalogue: Catalogue, config: Config, assets: Mapping[str, str] | None = None) -> Plan:
    """Every page of the site; ``assets`` (output path → source file) are checked for collisions too."""
    paths = _Paths(catalogue)
    cards = {report_id: paths.card(report_id) for report_id in catalogue.reports}
    jobs = [
        *_report_pages(catalogue, paths, cards, config),
        *_region_pages(catalogue, paths, cards),
        *_agency_pages(catalogue, paths, cards),
        *_year_pages(catalogue, paths, cards),
        *_listing(urls.CATALOGUE, "catalogue.html", [cards[i] for i in catalogue.newest_first], {}),
        PageJob(urls.HOME, "home.html", _home(catalogue, paths, cards)),
        PageJob(urls.SEARCH, "search.html", {}),
        PageJob(urls.NOT_FOUND, "404.html", {"base_url": config.base_url}),
        PageJob(urls.ROBOTS, "robots.txt", {"sitemap": config.base_url and config.base_url + urls.SITEMAP}),
    ]
    if config.base_url:
        pages = sorted(job.path for job in jobs if job.path.endswith(".html") and job.path != urls.NOT_FOUND)
        jobs.append(PageJob(urls.SITEMAP, "sitemap.xml", {"locations": [config.base_url + p for p in pages]}))
    problems = [*_page_collisions(jobs), *_asset_collisions(assets or {})]
    return Plan(tuple(jobs), tuple(problems), MappingProxyType(paths.report))


class _Paths:
    """Output paths of every report, region, agency and year, computed once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        agency_slugs = urls.name_slugs({key: agency.name for key, agency in catalogue.agencies.items()})
        self.agency = {key: urls.agency_path(slug) for key, slug in agency_slugs.items()}
        self.region: dict[RegionKey, str] = {}
        self._place_regions(catalogue.provinces, ())
        self.report = {
            report.id: urls.report_path(report.year, urls.report_stem(
                agency_slugs[agency_key(report)], report.doc_number, report.kind, report.slug))
            for report in catalogue.reports.values()
        }

    def _place_regions(self, keys: Sequence[RegionKey], parent_slugs: tuple[str, ...]) -> None:
        names = {key[-1]: self.catalogue.regions[key].name for key in keys}
        slugs = urls.name_slugs(names)
        for key in keys:
            own = (*parent_slugs, slugs[key[-1]])
            self.region[key] = urls.region_path(own)
            self._place_regions(self.catalogue.regions[key].children, own)

    def crumbs(self, key: RegionKey) -> list[dict[str, str]]:
        return [{"name": self.catalogue.regions[key[:d]].name, "path": self.region[key[:d]]}
                for d in range(1, len(key) + 1)]

    def card(self, report_id: str) -> dict[str, Any]:
        """What a listing shows of a report."""
        report = self.catalogue.reports[report_id]
        return {
            "title": report.title, "path": self.report[report_id], "lang": report.language,
            "agency": report.agency, "agency_path": self.agency[agency_key(report)],
            "region": " ".join(report.region), "year": report.year,
            "doc_number": report.doc_number, "date": report.date, "kind": report.kind,
        }


def _report_pages(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict],
                  config: Config) -> Iterable[PageJob]:
    citations = catalogue.citations
    for report_id, report in catalogue.reports.items():
        earlier, later = catalogue.neighbours[report_id]
        cites = citations.cites[report_id]
        yield PageJob(paths.report[report_id], "report.html", {
            "report": {**cards[report_id], "disclosure": report.disclosure, "redactions": report.redactions,
                       "source": report.source, "source_url": report.source_url,
                       "attachments": list(report.attachments)},
            "markdown": report.body,
            "markdown_links": [(written, paths.report[target]) for written, target in cites],
            "cites": [{**cards[target], "cited_as": written} for written, target in cites],
            "cited_by": [cards[i] for i in citations.cited_by.get(report_id, ())],
            "missing": list(citations.missing[report_id]),
            "crumbs": paths.crumbs(region_key(report)),
            "year_path": urls.year_path(report.year),
            "earlier": earlier and cards[earlier],
            "later": later and cards[later],
        }, source=config.content_file(report_id), body_line=report.body_line)


def _by_year(cards: Iterable[dict]) -> list[dict[str, Any]]:
    return [{"year": year, "reports": list(group)} for year, group in groupby(cards, key=lambda c: c["year"])]


def _listing(first: str, template: str, cards: Sequence[dict], context: Mapping[str, Any]) -> Iterable[PageJob]:
    """A listing of reports, newest first, on pages of at most PAGE_SIZE reports."""
    count = max(1, -(-len(cards) // PAGE_SIZE))
    page_paths = [urls.nth_page(first, n) for n in range(1, count + 1)]
    for number, path in enumerate(page_paths, start=1):
        chunk = cards[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        yield PageJob(path, template, {
            **context, "total": len(cards), "reports": list(chunk), "years": _by_year(chunk),
            "pager": {"number": number, "pages": page_paths} if count > 1 else None,
        })


def _region_pages(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> Iterable[PageJob]:
    for key, node in catalogue.regions.items():
        yield from _listing(paths.region[key], "region.html", [cards[i] for i in node.reports], {
            "name": node.name, "crumbs": paths.crumbs(key),
            "children": [_region_link(catalogue, paths, child) for child in node.children],
        })
    yield PageJob(urls.REGIONS, "regions.html",
                  {"regions": [_region_tree(catalogue, paths, key) for key in catalogue.provinces]})


def _region_link(catalogue: Catalogue, paths: _Paths, key: RegionKey) -> dict[str, Any]:
    return {"name": catalogue.regions[key].name, "path": paths.region[key],
            "count": len(catalogue.regions[key].reports)}


def _region_tree(catalogue: Catalogue, paths: _Paths, key: RegionKey) -> dict[str, Any]:
    return {**_region_link(catalogue, paths, key),
            "children": [_region_tree(catalogue, paths, child) for child in catalogue.regions[key].children]}


def _agency_pages(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> Iterable[PageJob]:
    by_province: dict[RegionKey, list[dict]] = defaultdict(list)
    for key, agency in sorted(catalogue.agencies.items(), key=lambda item: paths.agency[item[0]]):
        yield from _listing(paths.agency[key], "agency.html", [cards[i] for i in agency.reports], {
            "name": agency.name, "crumbs": paths.crumbs(agency.region),
        })
        by_province[agency.region[:1]].append(_agency_link(paths, key, agency))
    yield PageJob(urls.AGENCIES, "agencies.html", {"provinces": [
        {**_region_link(catalogue, paths, province), "agencies": by_province[province]}
        for province in catalogue.provinces if by_province[province]
    ]})


def _year_pages(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> Iterable[PageJob]:
    for year, ids in catalogue.years.items():
        ordered = sorted(ids, key=lambda i: (paths.region[region_key(catalogue.reports[i])],
                                             cards[i]["agency_path"], i))
        yield from _listing(urls.year_path(year), "year.html", [cards[i] for i in ordered], {"year": year})
    yield PageJob(urls.YEARS, "years.html", {"years": _year_links(catalogue)})


def _year_links(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [{"year": year, "path": urls.year_path(year), "count": len(ids)} for year, ids in catalogue.years.items()]


def _agency_link(paths: _Paths, key: str, agency: Agency) -> dict[str, Any]:
    return {"name": agency.name, "path": paths.agency[key], "count": len(agency.reports)}


def _home(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> dict[str, Any]:
    return {
        "counts": {"reports": len(catalogue.reports), "agencies": len(catalogue.agencies),
                   "regions": len(catalogue.regions), "years": len(catalogue.years)},
        "provinces": [{**_region_link(catalogue, paths, key),
                       "children": [_region_link(catalogue, paths, c) for c in catalogue.regions[key].children]}
                      for key in catalogue.provinces],
        "years": _year_links(catalogue),
        "agencies": [_agency_link(paths, key, agency) for key, agency in sorted(catalogue.agencies.items(),
                                               key=lambda item: (-len(item[1].reports), paths.agency[item[0]]))
                     ][:TOP_AGENCIES_ON_HOME],
        "newest": [cards[i] for i in catalogue.newest_first[:NEWEST_ON_HOME]],
    }


def _clashes(owners: Iterable[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Groups of (path, owner) whose paths differ only in case or Unicode form: one file on Windows and macOS."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, owner in owners:
        groups[unicodedata.normalize("NFC", path).casefold()].append((path, owner))
    return [group for group in groups.values() if len(group) > 1]


def _page_collisions(jobs: Iterable[PageJob]) -> list[Problem]:
    problems = []
    for group in _clashes((job.path, job.source or f"the generated page {job.path}") for job in jobs):
        sources = [owner for _, owner in group]
        problems.append(Problem(sources[0], None, "slug", f"{len(group)} pages map to {group[0][0]}: "
                                + ", ".join(sources), "give each report a distinct `slug:` in its front matter"))
    return problems


def _asset_collisions(assets: Mapping[str, str]) -> list[Problem]:
    problems = []
    for group in _clashes(assets.items()):
        sources = [owner for _, owner in group]
        problems.append(Problem(sources[0], None, None, f"{len(group)} files would be written to {group[0][0]}, "
                                "one file on Windows and macOS: " + ", ".join(sources), "rename all but one of them"))
    return problems
