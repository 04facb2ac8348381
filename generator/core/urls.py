"""The one place that turns reports, regions, agencies and years into output paths.

Paths are ASCII and derived from metadata, so they stay stable across builds. Every link between pages
is relative and names its file, so the archive works under any sub-path and straight from disk.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from generator.core.chinese import slugify

HOME = "index.html"
CATALOGUE = "reports/index.html"
REGIONS = "regions/index.html"
AGENCIES = "agencies/index.html"
YEARS = "years/index.html"
NOT_FOUND = "404.html"
SEARCH = "search.html"
SEARCH_DATA = "search"
COVERAGE = "coverage/index.html"
# The agencies of each province ranked by the figures of their latest template tables.
STATISTICS = "statistics/index.html"
# Each region's coverage grid, beside its listing.
REGION_COVERAGE = "coverage.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
# The archive's feed; each region's and agency's is a file of this name beside its listing.
FEED = "feed.xml"
CATALOGUE_JSON = "catalogue.json"
CATALOGUE_CSV = "catalogue.csv"
CATALOGUE_SCHEMA = "catalogue.schema.json"
# The figures of the reports' national-template tables, one row per figure, and the JSON's schema.
STATISTICS_JSON = "data/statistics.json"
STATISTICS_CSV = "data/statistics.csv"
STATISTICS_SCHEMA = "data/statistics.schema.json"
ASSETS = "assets"
STYLE = f"{ASSETS}/style.css"
CITE_SCRIPT = f"{ASSETS}/cite.js"
SEARCH_SCRIPT = f"{ASSETS}/search.js"
# The search engine without the page: normalising, decoding the index, matching, ranking, facets.
SEARCH_CORE = f"{ASSETS}/search-core.js"
# Sorting and filtering the catalogue's table.
CATALOGUE_SCRIPT = f"{ASSETS}/catalogue.js"
# The 简/繁 display switch, and the data it loads when a reader asks for it: the labels in both scripts
# and, for the reports' text, what each character becomes in the other script.
SCRIPT_SWITCH = f"{ASSETS}/script-switch.js"
HANZI_LABELS = "hanzi/labels.js"
HANZI_S2T = "hanzi/s2t.js"
HANZI_T2S = "hanzi/t2s.js"

# The pages and files any template may link to, as the Jinja global ``paths``: ``{{ paths.search|href }}``.
TEMPLATE_PATHS: Mapping[str, str] = MappingProxyType(
    {
        "home": HOME,
        "catalogue": CATALOGUE,
        "regions": REGIONS,
        "agencies": AGENCIES,
        "years": YEARS,
        "coverage": COVERAGE,
        "statistics": STATISTICS,
        "search": SEARCH,
        "feed": FEED,
        "catalogue_json": CATALOGUE_JSON,
        "catalogue_csv": CATALOGUE_CSV,
        "catalogue_schema": CATALOGUE_SCHEMA,
        "statistics_json": STATISTICS_JSON,
        "statistics_csv": STATISTICS_CSV,
        "style": STYLE,
        "cite_script": CITE_SCRIPT,
        "search_script": SEARCH_SCRIPT,
        "search_core": SEARCH_CORE,
        "catalogue_script": CATALOGUE_SCRIPT,
        "script_switch": SCRIPT_SWITCH,
    }
)

# File names Windows refuses whatever the extension, and a length that leaves room for folders,
# suffixes and the 255-byte limit of common file systems: a site copied to a USB stick must open.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))})
MAX_NAME = 120


def name_slugs(names: Mapping[str, str]) -> dict[str, str]:
    """A slug per key (from its display name); names that share a slug each get a short hash suffix."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, name in names.items():
        groups[slugify(name) or "x"].append(key)
    slugs = {}
    for slug, keys in groups.items():
        for key in keys:
            slugs[key] = portable(slug, key) if len(keys) == 1 else f"{portable(slug, key)}-{_digest(key)}"
    return slugs


def portable(name: str, key: str) -> str:
    """``name``, or a variant any file system accepts; ``key`` makes a shortened name unique."""
    if name in RESERVED_NAMES:
        return f"{name}-x"
    return name if len(name) <= MAX_NAME else f"{name[: MAX_NAME - 7]}-{_digest(key)}"


def _digest(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:6]


def report_stem(agency_slug: str, doc_number: str | None, kind: str | None, slug: str | None) -> str:
    if slug:
        return slug
    detail = slugify(doc_number or kind or "")
    stem = f"{agency_slug}-{detail}" if detail else agency_slug
    return portable(stem, f"{agency_slug}/{doc_number or kind}")


def report_path(year: int, stem: str) -> str:
    return f"reports/{year}/{stem}.html"


def region_path(slugs: Iterable[str]) -> str:
    return posixpath.join("regions", *slugs, "index.html")


def agency_path(slug: str) -> str:
    return f"agencies/{slug}/index.html"


def year_path(year: int) -> str:
    return f"years/{year}/index.html"


def nth_page(first: str, number: int) -> str:
    """Page ``number`` (1-based) of a listing whose first page is ``first``."""
    return first if number == 1 else posixpath.join(posixpath.dirname(first), f"page-{number}.html")


def relative(from_path: str, to_path: str) -> str:
    """The link from the page at ``from_path`` to the file at ``to_path``."""
    return _relative(posixpath.dirname(from_path), to_path)


# Pages in one folder link the same few hundred places: the navigation, listings, assets.
@lru_cache(maxsize=1 << 16)
def _relative(folder: str, to_path: str) -> str:
    here, there = folder.split("/") if folder else [], to_path.split("/")
    if not _plain_steps(here) or not _plain_steps(there):
        return posixpath.relpath(to_path, folder or ".")
    # What relpath gives for plain paths inside the site, without its two calls to abspath, which
    # were most of the time a page spends making its links.
    shared = 0
    while shared < min(len(here), len(there)) and here[shared] == there[shared]:
        shared += 1
    return "/".join([".."] * (len(here) - shared) + there[shared:]) or "."


def _plain_steps(steps: list[str]) -> bool:
    return not {"", ".", ".."} & set(steps)
