"""Crawl the built archive like a reader would: every link works from disk, under any sub-path.

A real crawler over the real output (stdlib html.parser, no mocks), on the sample archive and on a
generated archive of 300 reports.
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from factory import generated_archive, make_project
from hypothesis import given
from hypothesis import strategies as st
from templated import template_archive

from generator.core import urls
from generator.pipeline import build_site

LINK_ATTRS = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset")}
SKIPPED_SCHEMES = ("http:", "https:", "mailto:", "data:")
MAX_CLICKS = 3
GENERATED_REPORTS = 300
# Reports with the template tables among them.
TEMPLATED = 40


@dataclass
class Page:
    """What the crawler learns from one HTML file."""

    path: Path
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) in document order
    ids: set[str] = field(default_factory=set)
    h1_count: int = 0
    html_lang: str | None = None
    mains: list[str | None] = field(default_factory=list)  # the id of every <main>
    skip_link_before_main: bool = False


class _PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.seen_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs}
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "html" and values.get("lang"):
            self.page.html_lang = values["lang"]
        elif tag == "h1":
            self.page.h1_count += 1
        elif tag == "main":
            self.page.mains.append(values.get("id"))
            self.seen_main = True
        if tag == "a" and values.get("href") == "#main" and not self.seen_main:
            self.page.skip_link_before_main = True
        for attr in LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                self.page.links.extend((tag, part.strip().split()[0]) for part in value.split(",") if part.strip())
            else:
                self.page.links.append((tag, value.strip()))


def parse_page(path: Path) -> Page:
    page = Page(path)
    parser = _PageParser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return page


def crawl(site: Path) -> dict[str, Page]:
    """Every .html file under ``site``, parsed, keyed by its site-relative POSIX path."""
    pages = {path.relative_to(site).as_posix(): parse_page(path) for path in sorted(site.rglob("*.html"))}
    assert pages, f"no HTML pages under {site}"
    return pages


def is_skipped(url: str) -> bool:
    return url.startswith("#") or url.lower().startswith(SKIPPED_SCHEMES)


def resolve(site: Path, from_page: str, url: str) -> tuple[str | None, str]:
    """(site-relative path of the target, or None if it leaves the site; fragment) for a relative link."""
    parts = urlsplit(url)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), unquote(parts.path)))
    target = (site / joined).resolve()
    if not target.is_relative_to(site.resolve()):
        return None, parts.fragment
    return target.relative_to(site.resolve()).as_posix(), unquote(parts.fragment)


def broken_links(site: Path, pages: dict[str, Page]) -> list[str]:
    """Every problem with every link on every page, one line each."""
    problems = []
    for name, page in pages.items():
        for tag, url in page.links:
            where = f"{name}: <{tag}> {url!r}"
            if url.startswith("#"):
                fragment = unquote(url[1:])
                if fragment and fragment not in page.ids:
                    problems.append(f"{where}: no element with id={fragment!r} on this page")
                continue
            if is_skipped(url):
                continue
            if url.startswith("/"):
                problems.append(f"{where}: starts with '/', so it breaks under a sub-path and from disk")
                continue
            if urlsplit(url).scheme:
                problems.append(f"{where}: unexpected URL scheme")
                continue
            path_part = urlsplit(url).path
            if path_part == "" or path_part.endswith("/"):
                problems.append(f"{where}: does not name a file (from disk a folder link shows a listing)")
                continue
            target, fragment = resolve(site, name, url)
            if target is None:
                problems.append(f"{where}: leads outside the site folder")
                continue
            target_path = site / target
            if target_path.is_dir():
                problems.append(f"{where}: target {target} is a folder, not a file")
                continue
            if not target_path.is_file():
                problems.append(f"{where}: target {target} does not exist")
                continue
            if fragment:
                if target not in pages:
                    problems.append(f"{where}: fragment #{fragment} on {target}, which is not an HTML page")
                elif fragment not in pages[target].ids:
                    problems.append(f"{where}: no element with id={fragment!r} in {target}")
    return problems


def click_depths(site: Path, pages: dict[str, Page], start: str = "index.html") -> dict[str, int]:
    """Breadth-first walk over page links: the fewest clicks from ``start`` to each reachable page."""
    depths = {start: 0}
    queue = deque([start])
    while queue:
        name = queue.popleft()
        for tag, url in pages[name].links:
            if tag != "a" or is_skipped(url) or url.startswith("/") or urlsplit(url).scheme:
                continue
            target, _ = resolve(site, name, url)
            if target is None or target not in pages or target in depths:
                continue
            depths[target] = depths[name] + 1
            queue.append(target)
    return depths


REPORT_PAGE = re.compile(r"reports/[0-9]{4}/[^/]+\.html")


def report_pages(pages: dict[str, Page]) -> list[str]:
    return sorted(name for name in pages if REPORT_PAGE.fullmatch(name))


def page_structure_problems(pages: dict[str, Page]) -> list[str]:
    problems = []
    for name, page in pages.items():
        if page.h1_count != 1:
            problems.append(f"{name}: {page.h1_count} <h1> elements, expected exactly 1")
        if not page.html_lang:
            problems.append(f"{name}: <html> has no lang attribute")
        if not page.skip_link_before_main:
            problems.append(f'{name}: no skip link <a href="#main"> before the main content')
        if page.mains != ["main"]:
            problems.append(f'{name}: expected one <main id="main">, found ids {page.mains}')
    return problems


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive of 300 reports (about 1 in 8 in Traditional characters) and TEMPLATED with the
    national template's tables, whose figures add charts, tables and a ranking page; built once."""
    base = tmp_path_factory.mktemp("big")
    root = make_project(base / "p", {**generated_archive(GENERATED_REPORTS), **template_archive(TEMPLATED)[0]})
    out = base / "site"
    build_site(root, out)
    return out


@pytest.fixture(scope="module")
def sample_pages(sample_site: Path) -> dict[str, Page]:
    return crawl(sample_site)


@pytest.fixture(scope="module")
def big_pages(big_site: Path) -> dict[str, Page]:
    return crawl(big_site)


# --- the crawler finds what it should ---------------------------------------------------------


def test_crawler_sees_the_sample_archive(sample_pages: dict[str, Page]) -> None:
    assert len(report_pages(sample_pages)) == 5
    home = sample_pages["index.html"]
    assert ("link", "assets/style.css") in home.links
    assert ("a", "reports/index.html") in home.links
    report = sample_pages["reports/2017/lincangshiminzhengju-linminzi-2018-2-hao.html"]
    assert ("a", "#s3") in report.links
    assert {"main", "s1", "s6", "toc-title"} <= report.ids


def test_crawler_sees_all_generated_reports(big_pages: dict[str, Page]) -> None:
    assert len(report_pages(big_pages)) == GENERATED_REPORTS + TEMPLATED


def test_the_figures_of_template_tables_are_on_agency_region_and_statistics_pages(big_pages: dict[str, Page]) -> None:
    with_figures = [path for path, page in big_pages.items() if "agency-figures" in page.ids]
    assert with_figures and all(path.startswith("agencies/") for path in with_figures)
    assert "region-figures" in big_pages["regions/yunnansheng/index.html"].ids
    assert "statistics/index.html" in big_pages and "rank-1" in big_pages["statistics/index.html"].ids


def test_crawler_reports_broken_links(tmp_path: Path) -> None:
    """The checker itself must fail on the mistakes it is meant to catch."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "ok.html").write_text('<p id="x">ok</p>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="/ok.html">abs</a><a href="sub/">dir</a><a href="sub">dir2</a><a href="gone.html">gone</a>'
        '<a href="ok.html#y">frag</a><a href="#nope">self</a><a href="../x.html">out</a>'
        '<a href="ok.html?q=1#x">fine</a><a href="#">top</a><a href="https://example.org/">ext</a>'
        '<img src="data:,"><a href="mailto:a@b.c">mail</a>',
        encoding="utf-8",
    )
    problems = broken_links(tmp_path, crawl(tmp_path))
    assert len(problems) == 7, "\n".join(problems)
    assert all(p.startswith("index.html: ") for p in problems)


# --- every link works --------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "generated-300"])
def test_every_link_is_relative_and_resolves(which: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue("sample_site" if which == "sample" else "big_site")
    pages = request.getfixturevalue("sample_pages" if which == "sample" else "big_pages")
    checked = sum(1 for page in pages.values() for _, url in page.links if not is_skipped(url))
    assert checked > len(pages), "the crawler found suspiciously few links"
    problems = broken_links(site, pages)
    assert not problems, f"{len(problems)} broken link(s) in {which} archive:\n" + "\n".join(problems)


# --- every report is a few clicks from the home page -------------------------------------------


@pytest.mark.parametrize("which", ["sample", "generated-300"])
def test_every_report_within_three_clicks_of_home(which: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue("sample_site" if which == "sample" else "big_site")
    pages = request.getfixturevalue("sample_pages" if which == "sample" else "big_pages")
    reports = report_pages(pages)
    assert reports
    depths = click_depths(site, pages)
    too_deep = {name: depths.get(name) for name in reports if depths.get(name, MAX_CLICKS + 1) > MAX_CLICKS}
    assert not too_deep, (
        f"{len(too_deep)} of {len(reports)} report pages are unreachable (None) or more than {MAX_CLICKS} clicks "
        f"from index.html:\n" + "\n".join(f"{name}: {depth}" for name, depth in sorted(too_deep.items()))
    )


# --- every page has the same accessible skeleton ------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "generated-300"])
def test_every_page_has_one_h1_lang_skip_link_and_main(which: str, request: pytest.FixtureRequest) -> None:
    pages = request.getfixturevalue("sample_pages" if which == "sample" else "big_pages")
    problems = page_structure_problems(pages)
    assert not problems, f"{len(problems)} page structure problem(s) in {which} archive:\n" + "\n".join(problems)


def test_sample_site_language_is_declared(sample_pages: dict[str, Page]) -> None:
    assert {page.html_lang for page in sample_pages.values()} == {"zh-CN"}


_STEP = st.sampled_from(["reports", "2022", "index.html", "a.html", "", ".", ".."])


@given(st.lists(_STEP, max_size=4), st.lists(_STEP, min_size=1, max_size=4).filter(lambda steps: "/".join(steps)))
def test_a_link_between_two_paths_is_what_relpath_gives(page_steps: list[str], target_steps: list[str]) -> None:
    page, target = "/".join([*page_steps, "page.html"]), "/".join(target_steps)
    assert urls.relative(page, target) == posixpath.relpath(target, posixpath.dirname(page) or ".")
