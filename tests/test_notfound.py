"""The 404 page as a reader meets it: a static host under a sub-path answers any missing address, however
deep, with the site's 404.html. It must look like the archive and lead back into it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from http import HTTPStatus
from pathlib import Path

import pytest
from browsing import TIMEOUT_MS, QuietHandler, static_host
from factory import make_project, report_text
from playwright.sync_api import Browser, Page
from test_serve import Served

from generator.pipeline import build_site

SUB = "archive/sub/"
MISSING = ("missing.html", "a/b/c/missing", "reports/2020/gone.html", "reports/2020/nope/")
# The archive's accent, the top border of every page's header (style.css).
ACCENT = "rgb(159, 28, 32)"


class _NotFoundHandler(QuietHandler):
    """As GitHub Pages, Netlify or nginx's error_page: a missing file gets the site's 404.html, status 404."""

    not_found: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _host(www: Path) -> AbstractContextManager[str]:
    """A static host for ``www``, answering missing files with www/archive/sub/404.html; yields its address."""
    return static_host(www, type("Handler", (_NotFoundHandler,), {"not_found": www / SUB / "404.html"}))


def _build(tmp_path: Path, www: Path, config: str = "title: 测试档案\n") -> None:
    root = make_project(tmp_path / "project", {"content/a.md": report_text()}, config=config)
    build_site(root, www / SUB)


@pytest.fixture
def www(tmp_path: Path) -> Path:
    return tmp_path / "www"


def _tab(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(locale="zh-CN", java_script_enabled=javascript)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _looks_like_the_archive(tab: Page) -> None:
    """What shows the stylesheet applied: the header's accent border, the page's measure, the nav in a row."""
    header = tab.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).borderTopColor") == ACCENT
    assert header.evaluate("e => getComputedStyle(e).borderTopWidth") == "4px"
    assert tab.locator("main").evaluate("e => getComputedStyle(e).maxWidth") == "1152px"
    assert tab.locator(".site-nav ul").evaluate("e => getComputedStyle(e).display") == "flex"
    assert tab.get_by_role("heading", level=1).inner_text() == "页面不存在"


def _open_missing(tab: Page, url: str, idle: bool = True) -> None:
    """Open a missing address; wait until nothing more is loading (``idle``), which a preview tab's
    wait for the next build never is."""
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.status == 404, url
    if idle:
        tab.wait_for_load_state("networkidle")


@pytest.mark.parametrize("missing", MISSING)
def test_at_any_depth_the_page_is_styled_and_leads_home(
    browser: Browser, tmp_path: Path, www: Path, missing: str
) -> None:
    _build(tmp_path, www)
    with _host(www) as host:
        tab = _tab(browser)
        _open_missing(tab, host + SUB + missing)
        _looks_like_the_archive(tab)
        # The page's own stylesheet is the one in use, found at the archive's root.
        assert tab.locator("link[rel=stylesheet]").evaluate("link => link.href") == host + SUB + "assets/style.css"
        search = tab.get_by_role("link", name="在档案中搜索")
        assert search.evaluate("a => a.href") == host + SUB + "search.html"
        tab.get_by_role("link", name="返回首页").click()
        tab.wait_for_url(host + SUB + "index.html")
        assert tab.locator(".site-title").inner_text() == "测试档案" and "页面不存在" not in tab.title()
        _open_missing(tab, host + SUB + missing)
        tab.get_by_role("link", name="在档案中搜索").click()
        tab.wait_for_url(host + SUB + "search.html")
        tab.close()


def test_without_script_the_page_still_looks_like_the_archive(browser: Browser, tmp_path: Path, www: Path) -> None:
    _build(tmp_path, www)
    with _host(www) as host:
        tab = _tab(browser, javascript=False)
        _open_missing(tab, host + SUB + "a/b/c/missing")
        _looks_like_the_archive(tab)
        assert tab.get_by_role("link", name="返回首页").is_visible()
        tab.close()


def test_with_base_url_links_are_absolute_and_need_no_script(browser: Browser, tmp_path: Path, www: Path) -> None:
    with _host(www) as host:
        _build(tmp_path, www, config=f"title: 测试档案\nbase_url: {host}{SUB}\n")
        assert (
            "<script"
            not in (www / SUB / "404.html").read_text(encoding="utf-8").split("</footer>")[0].split("<main")[1]
        )
        tab = _tab(browser, javascript=False)
        _open_missing(tab, host + SUB + "a/b/c/missing")
        _looks_like_the_archive(tab)
        tab.get_by_role("link", name="返回首页").click()
        tab.wait_for_url(host + SUB + "index.html")
        tab.close()


def test_the_preview_shows_it_styled_at_any_depth(browser: Browser, tmp_path: Path) -> None:
    served = Served(make_project(tmp_path, {"content/a.md": report_text()})).serving()
    try:
        tab = _tab(browser)
        _open_missing(tab, served.url + "reports/2020/nope/missing.html", idle=False)
        home = tab.get_by_role("link", name="返回首页")
        home.wait_for()
        tab.wait_for_function(
            "([url]) => document.querySelector('main a').href === url", arg=[served.url + "index.html"]
        )
        stylesheet = "([url]) => document.querySelector('link[rel=stylesheet]').href === url"
        tab.wait_for_function(stylesheet, arg=[served.url + "assets/style.css"])
        _looks_like_the_archive(tab)
        home.click()
        tab.wait_for_url(served.url + "index.html")
        tab.close()
    finally:
        served.stop()
