"""The catalogue page (reports/index.html) sorts by any column and filters as one types, from disk and
served under a sub-path; without script it is the complete table, newest first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from browsing import Watch, open_page
from playwright.sync_api import Browser, Page, expect

from generator.build import plan
from generator.pipeline import build_site

REPO = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
LINCANG = "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告"
ZHANGZHOU = "漳州市國資委2014年政府信息公開工作要點落實情況報告"
# The sample's agencies by pinyin (kun, lin, shen, yun, zhang), which code point order is not.
AGENCIES_BY_PINYIN = [
    "昆明市五华区人民政府办公室",
    "临沧市民政局",
    "沈阳市人民政府办公厅",
    "云南省人民政府研究室",
    "漳州市人民政府國有資產監督管理委員會",
]


@pytest.fixture
def catalogue_url(sample_base: str) -> str:
    return urljoin(sample_base, "reports/index.html")


def column(tab: Page, number: int) -> list[str]:
    """The texts of column ``number`` (1-based) in the rows a reader sees, top to bottom."""
    return [text.strip() for text in tab.locator(f"tbody tr:visible > :nth-child({number})").all_inner_texts()]


def sort_state(tab: Page) -> dict[str, str]:
    return tab.locator("thead th[aria-sort]").evaluate_all(
        "(cells) => Object.fromEntries(cells.map((c) => [c.innerText.replace(/[⇅▲▼]/g, '').trim(), c.ariaSort]))"
    )


def test_sorting_by_a_column_orders_the_rows(page: tuple[Page, Watch], catalogue_url: str) -> None:
    tab, watch = page
    open_page(tab, catalogue_url)
    assert column(tab, 1) == ["2017", "2016", "2016", "2015", "2014"]
    assert sort_state(tab) == {"年度": "descending"}

    agency = tab.get_by_role("columnheader", name="发布机构").get_by_role("button")
    agency.click()
    assert column(tab, 3) == AGENCIES_BY_PINYIN
    assert sort_state(tab) == {"发布机构": "ascending"}
    agency.click()
    assert column(tab, 3) == AGENCIES_BY_PINYIN[::-1]
    assert sort_state(tab) == {"发布机构": "descending"}

    # From the keyboard: the year's header is a button; the two 2016 reports keep the page's order.
    tab.get_by_role("columnheader", name="年度").get_by_role("button").focus()
    tab.keyboard.press("Enter")
    assert column(tab, 1) == ["2014", "2015", "2016", "2016", "2017"]
    assert sort_state(tab) == {"年度": "ascending"}

    # Dates as dates; reports without one come last, whichever the direction.
    tab.get_by_role("button", name="成文日期").click()
    assert column(tab, 6) == ["2016-03-31", "2016-12-28", "2017-12-26", "", ""]
    tab.get_by_role("button", name="成文日期").press(" ")
    assert column(tab, 6) == ["2017-12-26", "2016-12-28", "2016-03-31", "", ""]
    assert not watch.problems, "\n".join(watch.problems)


def test_filtering_folds_the_query_as_search_does(page: tuple[Page, Watch], catalogue_url: str) -> None:
    tab, watch = page
    open_page(tab, catalogue_url)
    status = tab.get_by_role("status")
    expect(status).to_have_text("显示 5 / 5 份")
    box = tab.get_by_role("searchbox", name="筛选表格")

    box.fill("臨滄")
    expect(status).to_have_text("显示 1 / 5 份")
    assert column(tab, 4) == [LINCANG]

    # Full-width digits, and a 文号 written with other brackets.
    box.fill("２０１４")
    expect(status).to_have_text("显示 1 / 5 份")
    assert column(tab, 4) == [ZHANGZHOU]
    box.fill("临民字[2018]2号")
    expect(status).to_have_text("显示 1 / 5 份")
    assert column(tab, 4) == [LINCANG]

    # Every word, in any column; and a Simplified query finds the Traditional title.
    box.fill("云南 2016")
    expect(status).to_have_text("显示 2 / 5 份")
    box.fill("国资委")
    expect(status).to_have_text("显示 1 / 5 份")
    assert column(tab, 4) == [ZHANGZHOU]
    box.fill("国资委 2015")
    expect(status).to_have_text("显示 0 / 5 份")
    assert column(tab, 4) == []

    # Sorting keeps the filter; emptying the box shows every row again.
    box.fill("2016")
    expect(status).to_have_text("显示 3 / 5 份")
    tab.get_by_role("button", name="发布机构").click()
    assert column(tab, 3) == ["昆明市五华区人民政府办公室", "沈阳市人民政府办公厅", "云南省人民政府研究室"]
    box.fill("")
    expect(status).to_have_text("显示 5 / 5 份")
    assert column(tab, 3) == AGENCIES_BY_PINYIN
    assert not watch.problems, "\n".join(watch.problems)


def test_without_script_the_table_is_complete(browser: Browser, sample_bases: tuple[str, str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(urljoin(sample_bases[0], "reports/index.html"))
        assert len(column(tab, 4)) == 5
        assert column(tab, 1) == ["2017", "2016", "2016", "2015", "2014"]
        assert tab.locator("thead button").count() == 0
        expect(tab.locator("#catalogue-tools")).to_be_hidden()
        expect(tab.locator("#script-switch")).to_be_hidden()
    finally:
        context.close()


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with two reports to a page: the catalogue in three pages."""
    out = tmp_path_factory.mktemp("paged") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan, "PAGE_SIZE", 2)
        build_site(REPO, out)
    return out


def test_a_page_of_a_long_catalogue_sorts_and_filters_its_own_rows(page: tuple[Page, Watch], paged_site: Path) -> None:
    tab, watch = page
    open_page(tab, (paged_site / "reports" / "page-2.html").as_uri())
    assert column(tab, 1) == ["2016", "2015"]
    status = tab.get_by_role("status")
    expect(status).to_have_text("显示 2 / 2 份")
    expect(tab.get_by_text("排序和筛选只作用于本页的 2 份报告。")).to_be_visible()

    tab.get_by_role("button", name="年度").click()
    assert column(tab, 1) == ["2015", "2016"]
    box = tab.get_by_role("searchbox", name="筛选表格")
    box.fill("瀋陽")
    expect(status).to_have_text("显示 1 / 2 份")
    # The whole archive is the search page's: the link takes the words along.
    link = tab.get_by_role("link", name="在全部报告中搜索")
    address = urlparse(link.get_attribute("href") or "")
    assert address.path.endswith("/search.html")
    assert parse_qs(address.query) == {"q": ["瀋陽"]}
    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_sorting_and_filtering_logic_in_node() -> None:
    done = subprocess.run(
        [NODE, "--test", "tests/js/catalogue.test.js"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
