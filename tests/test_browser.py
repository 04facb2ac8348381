"""The built sample archive in a real headless Chromium: from disk and from a web server under a sub-path."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browsing import TIMEOUT_MS, Watch, open_page, serve_under_subpath
from playwright.sync_api import Page

SITE_TITLE = "政府信息公开报告档案"
LINCANG_TITLE = "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告"
ZHANGZHOU_TITLE = "漳州市國資委2014年政府信息公開工作要點落實情況報告"


class _LinkFinder(HTMLParser):
    """The href of the <a> whose whole text is ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.hrefs: list[str] = []
        self._href: str | None = None
        self._chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._chunks = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._chunks.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            if "".join(self._chunks).strip() == self.text:
                self.hrefs.append(self._href)
            self._href = None


def report_path(site: Path, title: str) -> str:
    """Site-relative path of the report titled ``title``, found the way a reader would: in the catalogue."""
    finder = _LinkFinder(title)
    finder.feed((site / "reports" / "index.html").read_text(encoding="utf-8"))
    assert len(finder.hrefs) == 1, f"expected one catalogue link titled {title!r}, found {finder.hrefs}"
    path = (site / "reports" / finder.hrefs[0]).resolve().relative_to(site.resolve()).as_posix()
    assert (site / path).is_file()
    return path


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http_base(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site served by http.server under /archive/sub/; yields that sub-path's URL."""
    with serve_under_subpath(sample_site, tmp_path_factory.mktemp("www")) as url:
        yield url


@pytest.fixture(params=["file", "http"])
def base_url(request: pytest.FixtureRequest, sample_site: Path) -> str:
    if request.param == "file":
        return sample_site.as_uri() + "/"
    return request.getfixturevalue("http_base")


def computed(tab: Page, selector: str, prop: str) -> str:
    return tab.locator(selector).evaluate(f"(el) => getComputedStyle(el).getPropertyValue({prop!r})")


def facts(tab: Page) -> dict[str, str]:
    """The report's metadata block as label → shown text."""
    return tab.eval_on_selector(
        "dl.report-facts",
        """(dl) => Object.fromEntries([...dl.querySelectorAll('dt')].map(
            (dt) => [dt.innerText.trim(), dt.nextElementSibling.innerText.trim()]))""",
    )


# --- tests --------------------------------------------------------------------------------------


def test_home_and_report_pages_render_cleanly(page: tuple[Page, Watch], base_url: str, sample_site: Path) -> None:
    tab, watch = page

    open_page(tab, urljoin(base_url, "index.html"))
    assert tab.title() == f"首页 · {SITE_TITLE}"
    assert tab.locator("h1").inner_text() == SITE_TITLE
    assert tab.locator("html").get_attribute("lang") == "zh-CN"
    assert computed(tab, ".site-header", "border-top-width") == "4px"
    assert computed(tab, ".site-header", "border-top-style") == "solid"
    assert tab.locator(".holdings").inner_text().replace("\n", "").startswith("本档案收录 5 份报告")

    report_url = urljoin(base_url, report_path(sample_site, LINCANG_TITLE))
    open_page(tab, report_url)
    assert tab.url == report_url
    assert tab.locator("h1").inner_text() == LINCANG_TITLE
    shown = facts(tab)
    assert shown["标题"] == LINCANG_TITLE
    assert shown["文号"] == "临民字〔2018〕2号"
    assert shown["年度"] == "2017年"
    assert shown["地区"] == "云南省 › 临沧市"
    region = tab.locator("dl.report-facts dt:text-is('地区') + dd a")
    assert region.all_inner_texts() == ["云南省", "临沧市"]
    assert shown["发布机构"] == "临沧市民政局"
    assert computed(tab, ".site-header", "border-top-width") == "4px"
    # The stylesheet's rules really apply: the skip link is positioned off screen until focused.
    assert computed(tab, ".skip-link", "position") == "absolute"
    assert tab.locator(".skip-link").bounding_box()["y"] < 0

    assert not watch.problems, "\n".join(watch.problems)


def test_three_clicks_from_disk_to_a_traditional_report(page: tuple[Page, Watch], sample_site: Path) -> None:
    tab, watch = page
    open_page(tab, (sample_site / "index.html").as_uri())

    tab.get_by_role("navigation", name="网站导航").get_by_role("link", name="全部报告", exact=True).click()
    tab.wait_for_url("**/reports/index.html")
    assert tab.locator("h1").inner_text().startswith("全部报告")

    tab.get_by_role("link", name=ZHANGZHOU_TITLE, exact=True).click()
    tab.wait_for_url("**/reports/2014/*.html")
    tab.wait_for_load_state("networkidle")
    assert tab.url.startswith("file://")
    assert tab.locator("h1").inner_text() == ZHANGZHOU_TITLE
    assert tab.locator(".report-body").get_attribute("lang") == "zh-Hant"
    assert computed(tab, ".site-header", "border-top-width") == "4px"

    assert not watch.problems, "\n".join(watch.problems)


def test_first_tab_reaches_the_visible_skip_link(page: tuple[Page, Watch], sample_site: Path) -> None:
    tab, watch = page
    open_page(tab, (sample_site / report_path(sample_site, LINCANG_TITLE)).as_uri())

    tab.keyboard.press("Tab")
    focused = tab.locator(":focus")
    assert focused.count() == 1
    assert focused.evaluate("(el) => el.classList.contains('skip-link')")
    assert focused.inner_text() == "跳到正文"
    assert focused.get_attribute("href") == "#main"
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    assert focused.is_visible()

    tab.keyboard.press("Enter")
    tab.wait_for_function("location.hash === '#main'", timeout=TIMEOUT_MS)
    assert tab.evaluate("document.activeElement.id") == "main"

    assert not watch.problems, "\n".join(watch.problems)


def test_watch_catches_missing_files_and_script_errors(
    page: tuple[Page, Watch], http_base: str, tmp_path: Path
) -> None:
    """The clean-page assertions above can fail: a missing stylesheet and a throwing script are caught."""
    tab, watch = page
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><link rel="stylesheet" href="gone.css"></head>'
        "<body><h1>坏页面</h1><script>undefinedFunction()</script></body></html>",
        encoding="utf-8",
    )
    open_page(tab, broken.as_uri())
    assert any(p.startswith("request failed: file://") and "gone.css" in p for p in watch.problems), watch.problems
    assert any(p.startswith("page error:") and "undefinedFunction" in p for p in watch.problems), watch.problems

    watch.problems.clear()
    open_page(tab, urljoin(http_base, "index.html"))
    assert not watch.problems, "\n".join(watch.problems)
    tab.goto(urljoin(http_base, "assets/gone.css"))
    assert any(p.startswith("HTTP 404:") and p.endswith("/archive/sub/assets/gone.css") for p in watch.problems), (
        watch.problems
    )
