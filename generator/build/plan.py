"""Catalogue → every output page as data: path, template and the plain context it is rendered with.

This is where things are mapped to URLs; two pages on one path are problems before anything is written.
"""

from __future__ import annotations

import copy
import dataclasses
import posixpath
import unicodedata
import uuid
from collections import ChainMap, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from types import MappingProxyType
from typing import Any

from generator.build.catalogue import Agency, Catalogue, RegionKey, agency_key, build_catalogue, region_key
from generator.build.charts import year_chart
from generator.build.citing import bibtex, bibtex_keys, gbt7714, highwire, json_ld, reference_address
from generator.build.content import Report, Texts
from generator.build.coverage import agencies_within, agency_grid, region_grid, year_series, year_span
from generator.build.figures import agency_figures, figured, previous_year, region_figures, statistics_page
from generator.core import urls
from generator.core.config import Config
from generator.core.problems import Problem
from generator.statistics.compare import Figured
from generator.statistics.outputs import page_data

PAGE_SIZE = 1000
NEWEST_ON_HOME = 10
TOP_AGENCIES_ON_HOME = 20
# Entries per feed, newest first, each with the report's summary.
FEED_SIZE = 50


@dataclass(frozen=True)
class PageJob:
    path: str
    template: str
    # What the template reads; rendering adds page_path, and body_html and toc on a report page.
    context: Mapping[str, Any]
    # A report page: the content file it is made from, as messages name it, and the line its text starts on;
    source: str | None = None
    body_line: int = 1
    # its body, as Markdown (known by the file_key of its content file), and the language it is written in;
    texts: Texts | None = None
    language: str = ""
    # each 文号 the text cites, as written, with the page it links to.
    markdown_links: tuple[tuple[str, str], ...] = ()
    # When the page last changed, as far as the archive knows: the newest date of the reports it shows.
    newest_date: str | None = None

    @property
    def markdown(self) -> str | None:
        return None if self.texts is None else self.texts.body


@dataclass(frozen=True)
class Plan:
    jobs: tuple[PageJob, ...]
    problems: tuple[Problem, ...]
    report_paths: Mapping[str, str]
    reports: ReportPages


def plan_site(catalogue: Catalogue, config: Config, assets: Mapping[str, str] | None = None) -> Plan:
    """Every page of the site; ``assets`` (output path → source file) are checked for collisions too."""
    paths = _Paths(catalogue)
    cards = {report_id: paths.card(report_id) for report_id in catalogue.reports}
    years = year_span(catalogue)
    figures = figured(catalogue, paths.report)
    reports = ReportPages(catalogue, paths, cards, bibtex_keys(catalogue.reports.values(), paths.report), config)
    jobs = [
        *_coverage_pages(catalogue, paths, years),
        *reports.jobs(),
        *_feeds(catalogue, paths, config),
        *_region_pages(catalogue, paths, cards, years, figures),
        *_agency_pages(catalogue, paths, cards, figures),
        *_year_pages(catalogue, paths, cards),
        *_listing(urls.CATALOGUE, "catalogue.html", [cards[i] for i in catalogue.newest_first], {}),
        PageJob(
            urls.HOME,
            "home.html",
            {
                **_home(catalogue, paths, cards),
                "feed": urls.FEED,
                "chart": year_chart(years, year_series(catalogue, catalogue.provinces, years)),
            },
            newest_date=_newest_date(cards[i] for i in catalogue.newest_first[:NEWEST_ON_HOME]),
        ),
        PageJob(urls.SEARCH, "search.html", {}),
        PageJob(urls.STATISTICS, "statistics.html", statistics_page(catalogue, figures)),
        PageJob(urls.NOT_FOUND, "404.html", {"base_url": config.base_url}),
        PageJob(urls.ROBOTS, "robots.txt", {"sitemap": config.base_url and config.base_url + urls.SITEMAP}),
    ]
    if config.base_url:
        pages = sorted(
            (job for job in jobs if job.path.endswith(".html") and job.path != urls.NOT_FOUND), key=lambda job: job.path
        )
        jobs.append(
            PageJob(
                urls.SITEMAP,
                "sitemap.xml",
                {"pages": [{"location": config.base_url + job.path, "lastmod": job.newest_date} for job in pages]},
            )
        )
    slug_lines = {config.content_file(report_id): report.slug_line for report_id, report in catalogue.reports.items()}
    problems = [*_page_collisions(jobs, slug_lines), *_asset_collisions(assets or {})]
    return Plan(tuple(jobs), tuple(problems), MappingProxyType(paths.report), reports)


class _Paths:
    """Output paths of every report, region, agency and year, computed once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        agency_slugs = urls.name_slugs({key: agency.name for key, agency in catalogue.agencies.items()})
        self.agency = {key: urls.agency_path(slug) for key, slug in agency_slugs.items()}
        self.region: dict[RegionKey, str] = {}
        self._place_regions(catalogue.provinces, ())
        self.report = {
            report.id: urls.report_path(
                report.year,
                urls.report_stem(agency_slugs[agency_key(report)], report.doc_number, report.kind, report.slug),
            )
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
        return [
            {"name": self.catalogue.regions[key[:d]].name, "path": self.region[key[:d]]} for d in range(1, len(key) + 1)
        ]

    def card(self, report_id: str) -> dict[str, Any]:
        """What a listing shows of a report."""
        report = self.catalogue.reports[report_id]
        return {
            "title": report.title,
            "path": self.report[report_id],
            "lang": report.language,
            "agency": report.agency,
            "agency_path": self.agency[agency_key(report)],
            "region": " ".join(report.region),
            "year": report.year,
            "doc_number": report.doc_number,
            "date": report.date,
            "kind": report.kind,
        }


@dataclass(frozen=True)
class ReportPages:
    """What report pages are planned from, kept so that the page of an edited report can be planned
    again on its own: a preview in the time one page takes, before the whole site is planned anew."""

    catalogue: Catalogue
    paths: _Paths
    cards: Mapping[str, dict]
    keys: Mapping[str, str]
    config: Config

    def jobs(self) -> Iterable[PageJob]:
        return (self.job(report_id) for report_id in self.catalogue.reports)

    def edited(self, reports: Sequence[Report]) -> tuple[PageJob, ...]:
        """The pages that show ``reports``, edited or new versions of the catalogue's, planned among the
        other reports as they were: each report's page, and when an edit changes where a report is filed
        (and so its path, its crumbs or its listings), the listings of its agency, regions and year, both
        where it was and where it is: their pages that list it, and their first. What else the edit
        changes follows with the whole site's plan."""
        if all((before := self.catalogue.reports.get(r.id)) and _filed(before) == _filed(r) for r in reports):
            return tuple(self._refiled(report).job(report.id) for report in reports)
        return self._moved(reports)

    def _refiled(self, report: Report) -> ReportPages:
        """These pages with ``report`` for the catalogue's report of its id, filed where that one is."""
        catalogue = dataclasses.replace(
            self.catalogue, reports=MappingProxyType({**self.catalogue.reports, report.id: report})
        )
        paths = copy.copy(self.paths)
        paths.catalogue = catalogue
        cards = ChainMap({report.id: paths.card(report.id)}, dict(self.cards))
        return dataclasses.replace(self, catalogue=catalogue, paths=paths, cards=cards)

    def _moved(self, reports: Sequence[Report]) -> tuple[PageJob, ...]:
        """The pages of ``reports`` and of the listings they left and joined, planned from the catalogue
        made again with them."""
        catalogue = build_catalogue({**self.catalogue.reports, **{r.id: r for r in reports}}.values(), self.catalogue)
        paths = _Paths(catalogue)
        cards = _Cards(paths)
        pages = ReportPages(catalogue, paths, cards, bibtex_keys(catalogue.reports.values(), paths.report), self.config)
        span, figures = year_span(catalogue), figured(catalogue, paths.report)
        places = [*reports, *(before for r in reports if (before := self.catalogue.reports.get(r.id)))]
        regions = dict.fromkeys(key[:depth] for key in map(region_key, places) for depth in range(1, len(key) + 1))
        agencies, years = dict.fromkeys(map(agency_key, places)), dict.fromkeys(r.year for r in places)
        # A place the edit emptied has no listing any more.
        listings = [
            *(_region_listing(catalogue, paths, cards, span, figures, k) for k in regions if k in catalogue.regions),
            *(_agency_listing(catalogue, paths, cards, figures, k) for k in agencies if k in catalogue.agencies),
            *(_year_listing(catalogue, paths, cards, year) for year in years if year in catalogue.years),
        ]
        shown = {paths.report[report.id] for report in reports}
        return (
            *(pages.job(report.id) for report in reports),
            *(job for listing in listings for job in _showing(listing, shown)),
        )

    def job(self, report_id: str) -> PageJob:
        catalogue, paths, cards, config = self.catalogue, self.paths, self.cards, self.config
        report = catalogue.reports[report_id]
        earlier, later = catalogue.neighbours[report_id]
        cites = catalogue.citations.cites[report_id]
        path = paths.report[report_id]
        address = _address(config, path)
        return PageJob(
            path,
            "report.html",
            {
                "report": {
                    **cards[report_id],
                    "disclosure": report.disclosure,
                    "redactions": report.redactions,
                    "draft": report.draft,
                    "index_number": report.index_number,
                    "published": report.published,
                    "words": report.words,
                    "source": report.source,
                    "source_url": report.source_url,
                    "attachments": list(report.attachments),
                },
                "cites": [{**cards[target], "cited_as": written} for written, target in cites],
                "cited_by": [cards[i] for i in catalogue.citations.cited_by.get(report_id, ())],
                "missing": list(catalogue.citations.missing[report_id]),
                "address": address,
                "summary": report.summary,
                "json_ld": json_ld(report, address),
                "citation_meta": highwire(report, address),
                "reference": {
                    "gbt7714": gbt7714(report),
                    "url": reference_address(report, address),
                    "bibtex": bibtex(report, self.keys[report_id], address),
                },
                "crumbs": paths.crumbs(region_key(report)),
                "year_path": urls.year_path(report.year),
                "earlier": earlier and cards[earlier],
                "later": later and cards[later],
                **_statistics(report),
                **_previous_year(catalogue, report_id, paths.report),
            },
            source=config.content_file(report_id),
            body_line=report.body_line,
            texts=report.texts,
            language=report.language,
            markdown_links=tuple((written, paths.report[target]) for written, target in cites),
            newest_date=report.date or None,
        )


def restored_pages(
    catalogue: Catalogue,
    paths: tuple[Mapping[str, str], Mapping[RegionKey, str], Mapping[str, str]],
    cards: Mapping[str, dict],
    keys: Mapping[str, str],
    config: Config,
) -> ReportPages:
    """The report pages of a build, planned from what it kept: its catalogue, the paths it gave agencies,
    regions and reports, the reports' cards and their citation keys."""
    restored = _Paths.__new__(_Paths)
    restored.catalogue = catalogue
    restored.agency, restored.region, restored.report = (dict(each) for each in paths)
    return ReportPages(catalogue, restored, cards, keys, config)


class _Cards(dict):
    """Reports' cards, each made when first asked for: the pages of a preview show few of them."""

    def __init__(self, paths: _Paths) -> None:
        super().__init__()
        self.paths = paths

    def __missing__(self, report_id: str) -> dict[str, Any]:
        card = self[report_id] = self.paths.card(report_id)
        return card


def _showing(listing: Iterable[PageJob], report_paths: set[str]) -> Iterator[PageJob]:
    """The first page of a listing, and those that list a report of ``report_paths``."""
    for number, job in enumerate(listing):
        if number == 0 or any(card["path"] in report_paths for card in job.context["reports"]):
            yield job


def _filed(report: Report) -> tuple:
    """What a report's path and place in the archive are made from."""
    return (report.year, agency_key(report), region_key(report), report.doc_number, report.kind, report.slug)


def _statistics(report: Report) -> dict[str, Any]:
    """What the page shows of the report's template figures. A report without them has no such key, so
    that its page, and the digest it is reused by, stay as they were."""
    return {} if report.statistics is None else {"statistics": page_data(report.statistics)}


def _previous_year(catalogue: Catalogue, report_id: str, report_paths: Mapping[str, str]) -> dict[str, Any]:
    """The agency's report of the year before, what changed since and what is worded the same; none for a
    report without one, so that its page stays as it was."""
    previous = previous_year(catalogue, report_id, report_paths)
    return {"previous_year": previous} if previous else {}


def _by_year(cards: Iterable[dict]) -> list[dict[str, Any]]:
    return [{"year": year, "reports": list(group)} for year, group in groupby(cards, key=lambda c: c["year"])]


def _listing(first: str, template: str, cards: Sequence[dict], context: Mapping[str, Any]) -> Iterable[PageJob]:
    """A listing of reports, newest first, on pages of at most PAGE_SIZE reports."""
    count = max(1, -(-len(cards) // PAGE_SIZE))
    page_paths = [urls.nth_page(first, n) for n in range(1, count + 1)]
    for number, path in enumerate(page_paths, start=1):
        chunk = cards[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        yield PageJob(
            path,
            template,
            {
                **context,
                "total": len(cards),
                "reports": list(chunk),
                "years": _by_year(chunk),
                "pager": {"number": number, "pages": page_paths} if count > 1 else None,
            },
            newest_date=_newest_date(chunk),
        )


def _region_pages(
    catalogue: Catalogue,
    paths: _Paths,
    cards: Mapping[str, dict],
    years: Sequence[int],
    figures: Mapping[str, Figured],
) -> Iterable[PageJob]:
    for key in catalogue.regions:
        yield from _region_listing(catalogue, paths, cards, years, figures, key)
    yield PageJob(
        urls.REGIONS, "regions.html", {"regions": [_region_tree(catalogue, paths, key) for key in catalogue.provinces]}
    )


def _region_listing(
    catalogue: Catalogue,
    paths: _Paths,
    cards: Mapping[str, dict],
    years: Sequence[int],
    figures: Mapping[str, Figured],
    key: RegionKey,
) -> Iterable[PageJob]:
    node = catalogue.regions[key]
    return _listing(
        paths.region[key],
        "region.html",
        [cards[i] for i in node.reports],
        {
            "name": node.name,
            "crumbs": paths.crumbs(key),
            "children": _region_parts(catalogue, paths, key),
            "feed": _beside(paths.region[key], urls.FEED),
            "coverage": _beside(paths.region[key], urls.REGION_COVERAGE),
            "figures": region_figures(node, figures),
            "chart": year_chart(years, year_series(catalogue, node.children or (key,), years, whole=key)),
        },
    )


def _region_link(catalogue: Catalogue, paths: _Paths, key: RegionKey) -> dict[str, Any]:
    return {
        "name": catalogue.regions[key].name,
        "path": paths.region[key],
        "count": len(catalogue.regions[key].reports),
    }


def _region_parts(catalogue: Catalogue, paths: _Paths, key: RegionKey) -> list[dict[str, Any]]:
    """The divisions of a region and, when it has divisions, its own reports (本级) beside them: together
    they hold every report the region's total counts."""
    children = catalogue.regions[key].children
    return _with_own(catalogue, key, [_region_link(catalogue, paths, child) for child in children])


def _region_tree(catalogue: Catalogue, paths: _Paths, key: RegionKey) -> dict[str, Any]:
    children = [_region_tree(catalogue, paths, child) for child in catalogue.regions[key].children]
    return {**_region_link(catalogue, paths, key), "children": _with_own(catalogue, key, children)}


def _with_own(catalogue: Catalogue, key: RegionKey, parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    own = catalogue.regions[key].own
    if parts and own:
        return [*parts, {"name": None, "own": True, "path": None, "count": len(own), "children": []}]
    return parts


def _agency_pages(
    catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict], figures: Mapping[str, Figured]
) -> Iterable[PageJob]:
    by_province: dict[RegionKey, list[dict]] = defaultdict(list)
    for key, agency in sorted(catalogue.agencies.items(), key=lambda item: paths.agency[item[0]]):
        yield from _agency_listing(catalogue, paths, cards, figures, key)
        by_province[agency.region[:1]].append(_agency_link(paths, key, agency))
    yield PageJob(
        urls.AGENCIES,
        "agencies.html",
        {
            "provinces": [
                {**_region_link(catalogue, paths, province), "agencies": by_province[province]}
                for province in catalogue.provinces
                if by_province[province]
            ]
        },
    )


def _agency_listing(
    catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict], figures: Mapping[str, Figured], key: str
) -> Iterable[PageJob]:
    agency = catalogue.agencies[key]
    return _listing(
        paths.agency[key],
        "agency.html",
        [cards[i] for i in agency.reports],
        {
            "name": agency.name,
            "crumbs": paths.crumbs(agency.region),
            "feed": _beside(paths.agency[key], urls.FEED),
            "figures": agency_figures(agency, figures),
        },
    )


def _year_pages(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> Iterable[PageJob]:
    for year in catalogue.years:
        yield from _year_listing(catalogue, paths, cards, year)
    yield PageJob(urls.YEARS, "years.html", {"years": _year_links(catalogue)})


def _year_listing(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict], year: int) -> Iterable[PageJob]:
    """The listing of a year: by region, then agency."""
    ids = catalogue.years[year]
    ordered = sorted(ids, key=lambda i: (paths.region[region_key(catalogue.reports[i])], cards[i]["agency_path"], i))
    return _listing(urls.year_path(year), "year.html", [cards[i] for i in ordered], {"year": year})


def _year_links(catalogue: Catalogue) -> list[dict[str, Any]]:
    return [{"year": year, "path": urls.year_path(year), "count": len(ids)} for year, ids in catalogue.years.items()]


def _agency_link(paths: _Paths, key: str, agency: Agency) -> dict[str, Any]:
    return {"name": agency.name, "path": paths.agency[key], "count": len(agency.reports)}


def _home(catalogue: Catalogue, paths: _Paths, cards: Mapping[str, dict]) -> dict[str, Any]:
    return {
        "counts": {
            "reports": len(catalogue.reports),
            "agencies": len(catalogue.agencies),
            "regions": len(catalogue.regions),
            "years": len(catalogue.years),
        },
        "provinces": [
            {
                **_region_link(catalogue, paths, key),
                "children": _region_parts(catalogue, paths, key),
            }
            for key in catalogue.provinces
        ],
        "years": _year_links(catalogue),
        "agencies": [
            _agency_link(paths, key, agency)
            for key, agency in sorted(
                catalogue.agencies.items(), key=lambda item: (-len(item[1].reports), paths.agency[item[0]])
            )
        ][:TOP_AGENCIES_ON_HOME],
        "newest": [cards[i] for i in catalogue.newest_first[:NEWEST_ON_HOME]],
    }


def _newest_date(cards: Iterable[Mapping[str, Any]]) -> str | None:
    """The newest date of the reports a page shows: when it last changed, as far as the archive knows."""
    return max((card["date"] for card in cards if card["date"]), default=None)


def _coverage_pages(catalogue: Catalogue, paths: _Paths, years: Sequence[int]) -> Iterable[PageJob]:
    region_coverage = {key: _beside(path, urls.REGION_COVERAGE) for key, path in paths.region.items()}
    yield PageJob(
        urls.COVERAGE, "coverage.html", {"years": list(years), "rows": region_grid(catalogue, years, region_coverage)}
    )
    within = agencies_within(catalogue)
    for key, node in catalogue.regions.items():
        yield PageJob(
            region_coverage[key],
            "region_coverage.html",
            {
                "name": node.name,
                "crumbs": paths.crumbs(key),
                "years": list(years),
                "rows": agency_grid(catalogue, within[key], years, paths.report, paths.agency, paths.region),
            },
        )


def _beside(listing: str, name: str) -> str:
    """The file ``name`` in the folder of a listing page: a region's coverage grid, a listing's feed."""
    return posixpath.join(posixpath.dirname(listing), name)


def _feeds(catalogue: Catalogue, paths: _Paths, config: Config) -> Iterable[PageJob]:
    yield _feed(urls.FEED, config.title, urls.HOME, catalogue.newest_first, catalogue, paths, config)
    for key, node in catalogue.regions.items():
        title = f"{' '.join(node.names)} · {config.title}"
        yield _feed(
            _beside(paths.region[key], urls.FEED), title, paths.region[key], node.reports, catalogue, paths, config
        )
    for key, agency in catalogue.agencies.items():
        yield _feed(
            _beside(paths.agency[key], urls.FEED),
            f"{agency.name} · {config.title}",
            paths.agency[key],
            agency.reports,
            catalogue,
            paths,
            config,
        )


def _feed(
    path: str, title: str, listing: str, newest: Sequence[str], catalogue: Catalogue, paths: _Paths, config: Config
) -> PageJob:
    entries = [_entry(catalogue.reports[i], paths.report[i], config) for i in newest[:FEED_SIZE]]
    return PageJob(
        path,
        "feed.xml",
        {
            "title": title,
            "id": _feed_id(config, path),
            "listing": listing,
            # An archive with nothing published yet has a feed with no entries, dated at the epoch.
            "updated": max((entry["updated"] for entry in entries), default="1970-01-01T00:00:00Z"),
            "entries": entries,
        },
    )


def _entry(report: Report, path: str, config: Config) -> dict[str, Any]:
    # Atom requires a time; a report without a date is placed at the end of the year it covers.
    day = report.date or f"{report.year}-12-31"
    return {
        "title": report.title,
        "path": path,
        "id": _feed_id(config, path),
        "agency": report.agency,
        "kind": report.kind,
        "updated": f"{day}T00:00:00+08:00",
        "lang": report.language,
        "summary": report.summary,
    }


def _address(config: Config, path: str) -> str | None:
    """A page's full address, when the site's base_url is known."""
    return config.base_url + path if config.base_url else None


def _feed_id(config: Config, path: str) -> str:
    """An Atom id that stays the same between builds: the page's address, or a name made from its path."""
    return _address(config, path) or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'gongkai:{config.title}:{path}')}"


def _clashes(owners: Iterable[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Groups of (path, owner) whose paths differ only in case or Unicode form: one file on Windows and macOS."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, owner in owners:
        groups[unicodedata.normalize("NFC", path).casefold()].append((path, owner))
    return [group for group in groups.values() if len(group) > 1]


def _page_collisions(jobs: Iterable[PageJob], slug_lines: Mapping[str, int | None]) -> list[Problem]:
    """Pages on one path, each group reported on its first file, on its `slug:` line if it has one."""
    problems = []
    for group in _clashes((job.path, job.source or f"the generated page {job.path}") for job in jobs):
        sources = [owner for _, owner in group]
        problems.append(
            Problem(
                file=sources[0],
                line=slug_lines.get(sources[0]),
                field="slug",
                message=f"{len(group)} pages map to {group[0][0]}: " + ", ".join(sources),
                hint="give each report a distinct `slug:` in its front matter",
            )
        )
    return problems


def _asset_collisions(assets: Mapping[str, str]) -> list[Problem]:
    problems = []
    for group in _clashes(assets.items()):
        sources = [owner for _, owner in group]
        problems.append(
            Problem(
                file=sources[0],
                message=f"{len(group)} files would be written to {group[0][0]}, "
                "one file on Windows and macOS: " + ", ".join(sources),
                hint="rename all but one of them",
            )
        )
    return problems
