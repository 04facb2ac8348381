"""The archive on a phone (390 px) and on a wide screen (1280 px), in headless Chromium: no page scrolls
sideways, numbers and 文号 are never broken, chart labels stay readable, search keeps its results and
filters in view; every page template passes axe-core with no serious or critical violation.
Screenshots of every page at both widths are written to .screenshots/screens/ (not committed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import TIMEOUT_MS, Watch, open_page, serve_under_subpath
from factory import generated_archive, make_project, report_text
from playwright.sync_api import Browser, Page
from templated import template_archive

from generator.pipeline import build_site

SHOTS = Path(__file__).parent.parent / ".screenshots" / "screens"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "wide": 1280}
# The narrowest phone still in use: pages must not scroll sideways there either.
SCREENS = {"small-phone": 320, **WIDTHS}
LONG_NUMBER = "临沧市人民政府办公室临政办发〔2018〕1234号"
TABLE = (
    "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 | 处理决定数量 | 备注说明文字较长的一列 |\n"
    "|---|---|---|---|---|---|\n"
    + "".join(f"| 规范性文件第{i}类 | {i} | 0 | {i * 3} | {i * 100} | 按照有关规定进行清理 |\n" for i in range(8))
)
LONG_BODY = "\n\n".join(
    f"## {'一二三四五六'[k]}、第{k + 1}部分\n\n" + "临沧市坚持以公开为常态、不公开为例外，推进政务公开。" * 12
    for k in range(6)
)
# One page of each template, by a name for screenshots.
PAGES = {
    "home": "index.html",
    "report": "reports/2018/long.html",
    "region": "regions/yunnansheng/index.html",
    "regions": "regions/index.html",
    "region-coverage": "regions/yunnansheng/coverage.html",
    "coverage": "coverage/index.html",
    "catalogue": "reports/index.html",
    "agencies": "agencies/index.html",
    "agency": "AGENCY",
    "years": "years/index.html",
    "year": "years/2018/index.html",
    "search": "search.html?q=临沧&region=云南省",
    "not-found": "404.html",
    "statistics": "statistics/index.html",
    "report-figures": "reports/2024/s0000.html",
}
# What axe-core calls the violations a reader cannot work around.
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {**generated_archive(60), **template_archive(12)[0]}
    files["content/long.md"] = report_text(
        title="临沧市人民政府办公室关于2018年政府信息公开工作年度报告的说明及统计数据附表汇编",
        agency="临沧市人民政府办公室",
        region=["云南省", "临沧市"],
        year=2018,
        date="2019-01-20",
        doc_number=LONG_NUMBER,
        slug="long",
        body=LONG_BODY + "\n\n" + TABLE,
    )
    root = make_project(tmp_path_factory.mktemp("screens"), files)
    build_site(root)
    return root / "site"


@pytest.fixture(scope="module")
def base(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_under_subpath(site, tmp_path_factory.mktemp("www")) as served:
        yield served


@pytest.fixture(scope="module")
def agency_page(site: Path) -> str:
    """An agency with the figures of its template tables, which its page shows by year."""
    pages = sorted((site / "agencies").glob("*/index.html"))
    return next(p for p in pages if 'id="agency-figures"' in p.read_text(encoding="utf-8")).relative_to(site).as_posix()


def _tab(browser: Browser, width: int) -> tuple[Page, Watch]:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    watch = Watch()
    watch.attach(tab)
    return tab, watch


def _open(tab: Page, base: str, name: str, agency: str) -> None:
    path = PAGES[name].replace("AGENCY", agency)
    open_page(tab, base + path)
    if name == "search":
        tab.locator("#search-results li").first.wait_for()


@pytest.mark.parametrize("screen", SCREENS)
def test_no_page_scrolls_sideways_and_each_is_photographed(
    browser: Browser, base: str, agency_page: str, screen: str
) -> None:
    tab, watch = _tab(browser, SCREENS[screen])
    wide = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        _open(tab, base, name, agency_page)
        tab.screenshot(path=str(SHOTS / f"{screen}-{name}.png"), full_page=True)
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > SCREENS[screen]:
            wide[name] = width
    tab.context.close()
    assert wide == {}, "pages wider than the screen"
    assert not watch.problems, watch.problems


@pytest.mark.parametrize("screen", WIDTHS)
def test_every_page_template_passes_axe(browser: Browser, base: str, agency_page: str, screen: str) -> None:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests` (README's test command does)")
    tab, _ = _tab(browser, WIDTHS[screen])
    found = {}
    for name in PAGES:
        _open(tab, base, name, agency_page)
        tab.add_script_tag(path=str(AXE))
        violations, checked = tab.evaluate(
            "async () => { const r = await axe.run(document); return [r.violations, r.passes.length]; }"
        )
        assert checked > 10, f"axe-core checked {name}"
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
            if v["impact"] in BLOCKING
        ]
        if blocking:
            found[name] = blocking
    tab.context.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def _lines(tab: Page, selector: str, pattern: str = "") -> list[int]:
    """For each element (whose text matches ``pattern``), how many lines its text takes on screen."""
    return tab.eval_on_selector_all(
        selector,
        """(els, pattern) => els.filter(el => new RegExp(pattern).test(el.textContent)).map(el => {
             const range = document.createRange();
             range.selectNodeContents(el);
             return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
           })""",
        pattern,
    )


def test_numbers_and_doc_numbers_are_never_broken_on_a_phone(browser: Browser, base: str) -> None:
    tab, _ = _tab(browser, WIDTHS["phone"])
    open_page(tab, base + "regions/yunnansheng/lincangshi/index.html")
    meta = _lines(tab, ".report-meta > *")
    open_page(tab, base + "reports/index.html")
    numbers = _lines(tab, "td", r"^(\d{4}|\d{4}-\d\d-\d\d|.*〔\d{4}〕.*)$")
    tab.context.close()
    assert meta and set(meta) == {1}, "agency, year, 文号 and date each on one line"
    assert len(numbers) > 60 and set(numbers) == {1}, "years, 文号 and dates in the catalogue each on one line"


def test_chart_labels_stay_readable_on_a_phone(browser: Browser, base: str) -> None:
    tab, _ = _tab(browser, WIDTHS["phone"])
    open_page(tab, base + "regions/yunnansheng/index.html")
    sizes = tab.eval_on_selector_all(
        ".chart-svg text", "texts => texts.map(t => t.getBoundingClientRect().height / 1.2)"
    )
    tab.context.close()
    assert sizes and min(sizes) >= 10, f"labels {min(sizes):.1f} px high"


def test_search_on_a_phone_keeps_results_count_and_filters_in_view(browser: Browser, base: str) -> None:
    tab, _ = _tab(browser, WIDTHS["phone"])
    open_page(tab, base + PAGES["search"])
    first = tab.locator("#search-results li").first
    first.wait_for()
    toggle = tab.locator(".facets-toggle")
    assert tab.locator("#facets").is_hidden(), "the filters fold away"
    assert toggle.inner_text() == "筛选（1）"
    assert first.bounding_box()["y"] < 800, "the first result is on the first screen"
    assert tab.locator("#search-active").inner_text() == "地区：云南省"
    assert tab.input_value("#site-q") == "临沧", "the header's box keeps the query"
    tab.mouse.wheel(0, 2000)
    tab.wait_for_function("() => window.scrollY > 500")
    bar = tab.locator(".search-bar").bounding_box()
    assert bar["y"] == pytest.approx(0, abs=1), "count and filters stay at the top while results scroll"
    toggle.click()
    assert tab.locator("#facets").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    tab.context.close()


def test_matches_are_marked_in_titles_agencies_and_doc_numbers(browser: Browser, base: str) -> None:
    tab, _ = _tab(browser, WIDTHS["wide"])
    open_page(tab, base + "search.html?q=" + "临政办发〔2018〕1234号")
    hit = tab.locator("#search-results li").first
    hit.wait_for()
    assert hit.locator(".report-meta mark").all_inner_texts() == ["临政办发〔2018〕1234号"]
    open_page(tab, base + "search.html?q=臨滄")
    hit = tab.locator("#search-results li", has=tab.locator("a[href$='long.html']"))
    hit.wait_for()
    assert hit.locator("h2 mark").all_inner_texts() == ["临沧"]
    assert hit.locator(".report-meta mark").first.inner_text() == "临沧"
    tab.context.close()


def test_a_region_is_found_by_typing_its_name(browser: Browser, base: str) -> None:
    tab, _ = _tab(browser, WIDTHS["wide"])
    open_page(tab, base + "search.html?q=政务公开")
    tab.locator("#search-results li").first.wait_for()
    options = tab.eval_on_selector_all("#region-options option", "os => os.map(o => o.value)")
    assert "云南省 › 临沧市" in options
    tab.fill("input[name=region-find]", "云南省 › 临沧市")
    tab.wait_for_function("() => new URL(location.href).searchParams.get('region') === '云南省/临沧市'")
    tab.wait_for_function("() => document.querySelector('#search-active').textContent.includes('临沧市')")
    assert tab.locator("select[name=region]").input_value() == "云南省/临沧市"
    tab.context.close()
