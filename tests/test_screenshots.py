"""What a reader sees of the archive features, in headless Chromium, from disk and served under a sub-path:
a report page with its citations and reference helper, a coverage grid and the home page chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import Watch, both_ways, open_page
from factory import generated_archive, make_project, report_text
from playwright.sync_api import Page

from generator.pipeline import build_site

SHOTS = Path(__file__).parent.parent / ".screenshots"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = generated_archive(40)
    files["content/cited.md"] = report_text(
        title="被引用的工作要点", slug="cited", year=2017, doc_number="临政办〔2017〕106号"
    )
    files["content/citing.md"] = report_text(
        title="引用工作要点的落实情况报告",
        slug="citing",
        year=2018,
        body="根据临政办[2017]106号和国办发〔2016〕80号要求，开展自查。\n",
    )
    root = make_project(tmp_path_factory.mktemp("shots"), files)
    build_site(root)
    return root / "site"


def _shoot(tab: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _each_way(site: Path, www: Path, page: tuple[Page, Watch], check: Callable[[Page, str, str], None]) -> None:
    """``check`` the site from disk and served, with no console error, failed request or page error."""
    tab, watch = page
    with both_ways(site, www) as bases:
        for root, how in zip(bases, ("disk", "served"), strict=True):
            check(tab, root, how)
    assert not watch.problems, watch.problems


def test_report_page_links_citations_and_copies_a_reference(
    site: Path, tmp_path: Path, page: tuple[Page, Watch]
) -> None:
    _each_way(site, tmp_path / "www", page, _check_report)


def _check_report(tab: Page, root: str, how: str) -> None:
    open_page(tab, root + "reports/2018/citing.html")
    link = tab.locator(".report-body a.citation")
    assert link.inner_text() == "临政办[2017]106号"
    assert tab.locator(".citations .missing li").all_inner_texts() == ["国办发〔2016〕80号"]
    assert tab.locator("#cite-gbt").inner_text().startswith("某市民政局. 引用工作要点的落实情况报告[R/OL]. 某市")
    assert tab.locator("#cite-gbt [data-cited-on]").inner_text().startswith("[20")
    tab.locator("button[data-copy='cite-bibtex']").click()
    tab.locator(".copy-status", has_text="已复制").wait_for()
    _shoot(tab, f"report-{how}")
    link.click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "被引用的工作要点"
    assert tab.locator(".citations a", has_text="引用工作要点的落实情况报告").is_visible()


def test_coverage_grid_and_home_chart_render(site: Path, tmp_path: Path, page: tuple[Page, Watch]) -> None:
    _each_way(site, tmp_path / "www", page, _check_grid_and_chart)


def _check_grid_and_chart(tab: Page, root: str, how: str) -> None:
    open_page(tab, root + "regions/yunnansheng/coverage.html")
    grid = tab.locator("table.coverage")
    assert grid.locator("td.has a").count() > 0 and grid.locator("td.gap").count() > 0
    _shoot(tab, f"coverage-{how}")
    open_page(tab, root + "index.html")
    chart = tab.locator("figure.chart svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    bars = chart.locator("rect.bar")
    assert bars.count() > 10 and all(bars.nth(i).bounding_box()["height"] > 0 for i in range(3))
    assert tab.locator("figure.chart .legend li").count() >= 2
    tab.locator("figure.chart summary").click()
    assert tab.locator("figure.chart table tbody tr").count() > 5
    _shoot(tab, f"home-{how}")
