"""Every number a reader sees for a region adds up: its total, the bars of its chart, the chart's data
table, its divisions with the reports filed at the region itself (本级), and the reports it lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factory import generated_archive, make_project, region_paths

from generator.pipeline import build_site

_COUNT = re.compile(r'<span class="count">(\d+)')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("totals"), generated_archive(300))
    build_site(root)
    return root / "site"


def _region_pages(site: Path) -> list[Path]:
    return sorted(path for path in (site / "regions").rglob("index.html") if path.parent != site / "regions")


def _between(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def _total(html: str) -> int:
    return int(_COUNT.search(_between(html, "<h1>", "</h1>"))[1])


def _bars(html: str) -> int:
    return sum(int(n) for n in re.findall(r'<rect class="bar s\d+"[^>]*><title>[^<]*：(\d+)</title>', html))


def _table_total(html: str) -> int:
    rows = _between(_between(html, '<details class="chart-data">', "</details>"), "<tbody>", "</tbody>")
    return sum(int(row[-1]) for row in (re.findall(r"<td>(\d+)</td>", tr) for tr in rows.split("<tr>")) if row)


def _parts(html: str) -> int:
    if 'id="subregions"' not in html:
        return _total(html)
    return sum(int(n) for n in _COUNT.findall(_between(html, 'id="subregions"', "</section>")))


def _listed(site: Path, first: Path) -> int:
    html = first.read_text(encoding="utf-8")
    pages = [first, *(first.parent / link for link in re.findall(r'<a href="([^"]+)">第', html))]
    return sum(path.read_text(encoding="utf-8").count('<a class="report-title"') for path in pages)


def test_every_region_page_adds_up_to_its_total(site: Path) -> None:
    seen = {}
    for page in _region_pages(site):
        html = page.read_text(encoding="utf-8")
        total = _total(html)
        seen[page.parent.relative_to(site).as_posix()] = (
            total,
            _bars(html),
            _table_total(html),
            _parts(html),
            _listed(site, page),
        )
        assert seen[page.parent.relative_to(site).as_posix()] == (total,) * 5
    assert len(seen) == len(region_paths()), "every region has a page"


def test_a_provinces_own_reports_are_shown_as_its_own_level(site: Path) -> None:
    html = (site / "regions/yunnansheng/index.html").read_text(encoding="utf-8")
    own = re.search(
        r"<li>本级 <span class=\"count\">(\d+)</span></li>", _between(html, 'id="subregions"', "</section>")
    )
    assert own and int(own[1]) > 0
    assert '<th scope="col">本级</th>' in html, "the chart's data table has a column for them"


def test_the_home_pages_region_tree_adds_up(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    summary = _between(html, '<ul class="region-summary">', "</section>")
    for province in re.findall(
        r"<li><a href[^>]*>[^<]*</a> <span class=\"count\">\d+</span>\s*<ul>.*?</ul>", summary, re.S
    ):
        counts = [int(n) for n in _COUNT.findall(province)]
        assert counts[0] == sum(counts[1:]), province
