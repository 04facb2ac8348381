from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM_ARGS, TIMEOUT_MS, Watch, both_ways
from playwright.sync_api import Browser, Page, sync_playwright

from generator.pipeline import build_site

REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts Chromium, through ``browser`` or a fixture built on it such as ``page``."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample archive, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_site(REPO, out)
    return out


@pytest.fixture(scope="session")
def sample_bases(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The sample archive's root address from disk (file://) and served under a sub-path."""
    with both_ways(sample_site, tmp_path_factory.mktemp("www")) as found:
        yield found


@pytest.fixture(params=["file", "http"])
def sample_base(request: pytest.FixtureRequest, sample_bases: tuple[str, str]) -> str:
    """The sample archive's root address, from disk and then served."""
    return sample_bases[0] if request.param == "file" else sample_bases[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is needed for browser tests: apt-get install -y chromium")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Watch]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    watch = Watch()
    watch.attach(tab)
    try:
        yield tab, watch
    finally:
        context.close()
