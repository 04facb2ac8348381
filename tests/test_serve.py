"""`gongkai serve` as an editor uses it: a real server process, real file operations, a real browser tab."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
import yaml
from browsing import Watch, search
from factory import generated_archive, make_project, report_text
from playwright.sync_api import Page, Route

from generator.build import plan
from generator.core.markdown import convert
from generator.pipeline import build_site, edited_pages
from generator.serve.server import BuildState
from generator.serve.watch import Rebuilder, is_project_file

PAGE = "reports/2020/moushiminzhengju.html"
# How long to wait for a reload that must come; how soon it comes is measured by bench/serve.py.
RELOAD_MS = 60_000


class Served:
    """A `gongkai serve` process on a free port, and what it has printed so far on stdout and on stderr."""

    def __init__(self, root: Path, *options: str) -> None:
        command = [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0", *options]
        self.root, self.url = root, ""
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._readers = [_reader(self.process.stdout, self.lines), _reader(self.process.stderr, self.errors)]

    def builds(self) -> int:
        return sum(line.startswith(("Built the site", "error:")) for line in self.lines)

    def said(self, text: str, times: int = 1, timeout: float = 60) -> str:
        """The ``times``-th line that holds ``text``, once serve has printed it."""
        deadline = time.monotonic() + timeout
        while len(said := [line for line in self.lines if text in line]) < times:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve never said {text!r} {times} time(s): " + "".join(self.lines + self.errors))
            time.sleep(0.05)
        return said[times - 1]

    def serving(self) -> Served:
        """Wait until the first build is done and the site is served; learn its URL."""
        found = re.search(r"Serving (http://\S+)", self.said("Serving "))
        assert found is not None
        self.url = found[1]
        return self

    def stop(self) -> str:
        """Stop serve; return all it wrote to stderr."""
        self.process.terminate()
        self.process.wait(timeout=60)
        for reader in self._readers:
            reader.join(timeout=60)
        return "".join(self.errors)


def _reader(stream: IO[str] | None, into: list[str]) -> threading.Thread:
    def read() -> None:
        for line in stream or ():
            into.append(line)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    process = Served(make_project(tmp_path, {"content/a.md": report_text(body="## 一、总体情况\n\n第一版正文。\n")}))
    try:
        yield process.serving()
    finally:
        process.stop()


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _edit(root: Path, old: str, new: str, atomic: bool = False, name: str = "content/a.md") -> None:
    path = root / name
    text = path.read_text(encoding="utf-8").replace(old, new)
    if atomic:
        temporary = path.with_name(".a.md.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    else:
        path.write_text(text, encoding="utf-8")


def _open(tab: Page, url: str) -> None:
    tab.goto(url)
    tab.evaluate("window.unchangedSinceOpened = true")


def _reloaded(tab: Page, text: str) -> None:
    # The reloaded page has no body yet while the script in its head loads: the wait goes on until it has.
    tab.wait_for_function(
        "([t]) => !window.unchangedSinceOpened && document.body !== null && document.body.innerText.includes(t)",
        arg=[text],
        timeout=RELOAD_MS,
    )


def test_an_edit_reloads_the_open_tab(served: Served, page: tuple[Page, Watch]) -> None:
    tab, watch = page
    _open(tab, served.url + PAGE)
    _edit(served.root, "第一版正文", "第二版正文")
    _reloaded(tab, "第二版正文")
    status, kind, html = _get(served.url + PAGE)
    assert (status, kind) == (200, "text/html; charset=utf-8") and "第二版正文" in html
    assert "__gongkai" not in (served.root / "site" / PAGE).read_text(encoding="utf-8")
    assert not watch.problems, watch.problems


def test_a_build_that_lands_before_the_page_asks_still_reloads_it(served: Served, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    held: list[Route] = []
    # The page's first question about builds is kept from the server until a build has landed.
    tab.route("**/__gongkai/state*", lambda route: route.continue_() if held else held.append(route))
    _open(tab, served.url + PAGE)
    while not held:
        tab.wait_for_timeout(50)
    _edit(served.root, "第一版正文", "第二版正文")
    served.said("Built the site", times=2)
    held[0].continue_()
    _reloaded(tab, "第二版正文")


def test_a_broken_file_keeps_the_last_good_site_and_shows_why(served: Served, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    _open(tab, served.url + PAGE)
    _edit(served.root, "year: 2020", "year: [2020")
    overlay = tab.locator("#gongkai-problems")
    overlay.wait_for(timeout=RELOAD_MS)
    assert "content/a.md:" in overlay.inner_text() and "YAML syntax error" in overlay.inner_text()
    status, _, html = _get(served.url + PAGE)
    assert status == 200 and "第一版正文" in html
    _edit(served.root, "year: [2020", "year: 2020")
    _edit(served.root, "第一版正文", "修好后的正文")
    _reloaded(tab, "修好后的正文")
    assert tab.locator("#gongkai-problems").count() == 0


def test_atomic_saves_and_bursts_end_in_the_last_text(served: Served, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    _open(tab, served.url + PAGE)
    builds = served.builds()
    _edit(served.root, "第一版正文", "原子保存的正文", atomic=True)
    _reloaded(tab, "原子保存的正文")
    # The edited page is shown first; the tab reloads once more when the whole build lands, and a page
    # opened while it does would be cut short by that reload.
    served.said("Built the site", times=builds + 1)
    landed = json.loads(_get(served.url + "__gongkai/state?since=-1")[2])["version"]
    tab.wait_for_function(
        "([v]) => Number(document.querySelector('script[data-version]')?.dataset.version) >= v",
        arg=[landed],
        timeout=RELOAD_MS,
    )
    _open(tab, served.url + PAGE)
    for n in range(20):
        _edit(served.root, f"第{n - 1}次" if n else "原子保存的正文", f"第{n}次")
    _reloaded(tab, "第19次")
    time.sleep(1)
    assert served.builds() - builds <= 4, served.lines


def test_editor_files_and_config_changes(served: Served, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    builds = served.builds()
    for name in (".a.md.swp", "a.md~", "4913", ".#a.md", "#a.md#"):
        (served.root / "content" / name).write_text("临时", encoding="utf-8")
    time.sleep(1)
    assert served.builds() == builds
    _open(tab, served.url + PAGE)
    (served.root / "config.yaml").write_text("title: 改过名的档案\n", encoding="utf-8")
    _reloaded(tab, "改过名的档案")


def test_search_finds_an_edit_as_soon_as_the_site_is_rebuilt(served: Served, page: tuple[Page, Watch]) -> None:
    tab, watch = page
    _edit(served.root, "第一版正文", "新写进去的正文")
    served.said("Built the site", times=2)
    tab.goto(served.url + "search.html")
    assert [hit["url"] for hit in search(tab, "新写进去")] == [PAGE]
    assert search(tab, "第一版正文") == []
    assert tab.evaluate("gongkai.engine") == "index" and not watch.problems, watch.problems


def test_the_watch_follows_new_folders_and_a_moved_content_folder(served: Served, page: tuple[Page, Watch]) -> None:
    tab, _ = page
    _open(tab, served.url + PAGE)
    layouts = served.root / "layouts"
    built = len([line for line in served.lines if line.startswith("Built the site")])
    layouts.mkdir()
    served.said("Built the site", times=built + 1)  # the rebuild that a new folder causes watches it
    (layouts / "i18n").mkdir()
    (layouts / "i18n/zh-CN.yaml").write_text("regions: 按地方找\n", encoding="utf-8")
    _reloaded(tab, "按地方找")
    _open(tab, served.url + PAGE)
    make_project(
        served.root,
        {"texts/b.md": report_text(body="搬家后的正文。\n")},
        config="title: 测试档案\ncontent_dir: texts\n",
    )
    _reloaded(tab, "搬家后的正文")
    _open(tab, served.url + PAGE)
    _edit(served.root, "搬家后的正文", "搬家后又改的正文", name="texts/b.md")
    _reloaded(tab, "搬家后又改的正文")


@pytest.mark.parametrize("options", [(), ("--poll",)], ids=["events", "polling"])
def test_edits_saved_during_the_first_build_are_built_next(tmp_path: Path, options: tuple[str, ...]) -> None:
    files = generated_archive(400)
    withdrawn, edited = sorted(files)[:2]
    root = make_project(tmp_path, files)
    served = Served(root, *options)
    try:
        # The staging folder appears once the first build has read every file and starts writing pages.
        staging = _appears(lambda: next(root.glob(".site.staging*"), None), served)
        _edit(root, "disclosure: 主动公开", "disclosure: 不予公开", name=withdrawn)
        _edit(root, "## 一、第1部分", "## 一、首次构建时改的部分", name=edited)
        assert staging.exists(), "the first build ended before the edits; the archive is too small to test with"
        served.serving().said("Built the site", times=2)
        status, _, html = _get(served.url + _page(files[edited]))
        assert status == 200 and "首次构建时改的部分" in html
        assert _get(served.url + _page(files[withdrawn]))[0] == 404
        assert served.builds() == 2, served.lines
    finally:
        served.stop()


def _appears(find: Callable[[], Path | None], served: Served, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while (found := find()) is None:
        assert served.process.poll() is None and time.monotonic() < deadline, "".join(served.lines + served.errors)
        time.sleep(0.002)
    return found


def _page(text: str) -> str:
    fields = yaml.safe_load(text.split("---\n")[1])
    return f"reports/{fields['year']}/{fields['slug']}.html"


def test_a_port_in_use_is_said_at_once_in_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2 and done.stdout == "", done
    assert done.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: ") and done.stderr.count("\n") == 1
    assert not (root / "site").exists()


def test_the_server_serves_only_the_site(served: Served) -> None:
    (served.root / "site" / "outside").symlink_to(served.root / "content")
    for path in (
        "../config.yaml",
        "%2e%2e/config.yaml",
        "..%2fconfig.yaml",
        "reports/2020/",
        "outside/a.md",
        "assets/",
        "%00",
        "nope.html",
    ):
        status, kind, html = _get(served.url + path)
        assert (status, kind) == (404, "text/html; charset=utf-8") and "index.html" in html, path
    assert _get(served.url + "reports/index.html")[:2] == (200, "text/html; charset=utf-8")
    assert _get(served.url + "assets/search.js")[1] == "text/javascript; charset=utf-8"
    assert _get(served.url + "search/index.js")[1] == "text/javascript; charset=utf-8"
    assert _get(served.url + "regions/")[0] == 200


def test_watched_paths(tmp_path: Path) -> None:
    watched = (tmp_path / "content", tmp_path / "layouts")
    assert is_project_file(tmp_path / "config.yaml", tmp_path, watched)
    assert is_project_file(tmp_path / "content/2020/a.md", tmp_path, watched)
    assert is_project_file(tmp_path / "layouts/report.html", tmp_path, watched)
    for noise in (
        "content/.a.md.swp",
        "content/a.md~",
        "content/4913",
        "content/.#a.md",
        "content/#a.md#",
        "content/a.md___jb_tmp___",
        "site/index.html",
        ".site.staging/x.html",
        "content/.git/x",
    ):
        assert not is_project_file(tmp_path / noise, tmp_path, watched), noise


def test_events_during_a_rebuild_cause_exactly_one_more_with_the_files_they_name() -> None:
    started: list[float] = []
    built: list[frozenset[Path]] = []
    release = threading.Event()

    def slow_rebuild(files: frozenset[Path]) -> None:
        started.append(time.monotonic())
        built.append(files)
        release.wait(60)

    rebuilder, stop = Rebuilder(slow_rebuild, quiet=0.05), threading.Event()
    worker = threading.Thread(target=rebuilder.run, args=(stop,))
    worker.start()
    try:
        for n in range(10):
            rebuilder.changed(Path(f"{n % 2}.md"))
        _until(lambda: len(started) == 1)
        assert not rebuilder.pending()
        for n in range(10):
            rebuilder.changed(Path(f"{n}.md"))
            time.sleep(0.01)
        release.set()
        _until(lambda: len(started) == 2)
        # Nothing is pending once the second rebuild has started, so no third one follows.
        assert not rebuilder.pending() and len(started) == 2
        assert built == [{Path("0.md"), Path("1.md")}, {Path(f"{n}.md") for n in range(10)}]
    finally:
        stop.set()
        release.set()
        worker.join()


def _until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_rebuild_converts_only_the_edited_report(tmp_path: Path) -> None:
    files = {f"content/{n}.md": report_text(body=f"第{n}份报告的正文。\n", slug=f"r{n}") for n in range(30)}
    root = make_project(tmp_path, files)
    build_site(root)
    converted = convert.cache_info().misses
    path = root / "content/7.md"
    path.write_text(path.read_text(encoding="utf-8").replace("第7份", "改过的第7份"), encoding="utf-8")
    build_site(root)
    # One parse gives the edited report's page and its search text.
    assert convert.cache_info().misses == converted + 1
    assert "改过的第7份" in (root / "site/reports/2020/r7.html").read_text(encoding="utf-8")


_FILED = {
    "content/a.md": report_text(slug="a", body="民政局2020年的正文。\n"),
    "content/b.md": report_text(slug="b", year=2021, title="某市民政局2021年报告", body="民政局2021年的正文。\n"),
    "content/c.md": report_text(slug="c", agency="某市教育局", title="某市教育局2020年报告", body="教育局的正文。\n"),
}


@pytest.mark.parametrize(
    ("name", "old", "new", "shown"),
    [
        ("b.md", "agency: 某市民政局", "agency: 某市教育局", ["agencies/moushijiaoyuju/index.html"]),
        ("b.md", "- 某市", "- 某县", ["regions/mousheng/mouxian/index.html"]),
        ("b.md", "year: 2021", "year: 2019", ["reports/2019/b.html", "years/2019/index.html"]),
        ("d.md", None, _FILED["content/b.md"].replace("slug: b", "slug: d"), ["reports/2021/d.html"]),
    ],
)
def test_a_report_filed_elsewhere_is_shown_first_on_its_page_and_listings_as_the_whole_build_makes_them(
    tmp_path: Path, name: str, old: str | None, new: str, shown: list[str]
) -> None:
    root = make_project(tmp_path / "project", _FILED)
    built = build_site(root, superseded=lambda: False)
    path = root / "content" / name
    path.write_text(new if old is None else path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    pages = edited_pages(built, [path])
    clean = build_site(root, tmp_path / "clean").out
    assert set(shown) <= pages.keys()
    # Listings both where the report was and where it is now, each as the build of the whole site makes it.
    assert "agencies/moushiminzhengju/index.html" in pages
    assert {path: (clean / path).read_bytes() for path in pages} == pages


@pytest.mark.parametrize("disclosure", ["不予公开", "依申请公开"])
def test_a_report_moved_and_withheld_by_one_edit_is_shown_first_nowhere(tmp_path: Path, disclosure: str) -> None:
    root = make_project(tmp_path / "project", _FILED)
    built = build_site(root, superseded=lambda: False)
    path = root / "content/b.md"
    moved = path.read_text(encoding="utf-8").replace("agency: 某市民政局", "agency: 某市教育局")
    path.write_text(moved.replace("disclosure: 主动公开", f"disclosure: {disclosure}"), encoding="utf-8")
    assert edited_pages(built, [path]) == {}
    # Nor beside a report that may be shown: the whole build shows both.
    other = root / "content/a.md"
    other.write_text(other.read_text(encoding="utf-8").replace("year: 2020", "year: 2019"), encoding="utf-8")
    assert edited_pages(built, [other, path]) == {}


def test_of_a_long_listing_a_moved_report_is_shown_on_the_first_page_and_the_one_that_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan, "PAGE_SIZE", 2)
    files = {
        f"content/{n}.md": report_text(
            slug=f"r{n}", year=2014 + n, title=f"某市教育局{2014 + n}年报告", agency="某市教育局"
        )
        for n in range(6)
    }
    root = make_project(tmp_path / "project", {**files, "content/b.md": _FILED["content/b.md"]})
    built = build_site(root, superseded=lambda: False)
    path = root / "content/b.md"
    # Moved to the agency of six reports and to 2016, it is the fourth of seven: on the second of four pages.
    moved = path.read_text(encoding="utf-8").replace("agency: 某市民政局", "agency: 某市教育局")
    path.write_text(moved.replace("year: 2021", "year: 2016"), encoding="utf-8")
    pages = edited_pages(built, [path])
    clean = build_site(root, tmp_path / "clean").out
    listing = sorted((clean / "agencies/moushijiaoyuju").glob("*.html"))
    holding = [page for page in listing if "reports/2016/b.html" in page.read_text(encoding="utf-8")]
    assert len(listing) == 4 and [page.name for page in holding] == ["page-2.html"]
    listed = [page for page in pages if page.startswith("agencies/moushijiaoyuju/")]
    assert listed == ["agencies/moushijiaoyuju/index.html", "agencies/moushijiaoyuju/page-2.html"]
    assert "reports/2016/b.html" in pages
    assert {path: (clean / path).read_bytes() for path in pages} == pages


def test_an_edited_page_is_shown_and_the_build_waits_until_the_open_tabs_reloaded() -> None:
    state = BuildState()
    state.record(())
    answers: list[int] = []
    tab = threading.Thread(target=lambda: answers.append(state.next_after(1, 60).version))
    tab.start()
    _until(lambda: state.next_after(-1, 0).version == 1 and state._waiting[1] == 1)
    shown = threading.Event()
    showing = threading.Thread(target=lambda: (state.show({"a.html": b"<p>new</p>"})(60), shown.set()))
    showing.start()
    _until(lambda: answers == [2])
    assert state.pages == {"a.html": b"<p>new</p>"} and not shown.is_set()
    # The tab has reloaded and waits for the build after the one it shows.
    reloaded = threading.Thread(target=lambda: state.next_after(2, 60))
    reloaded.start()
    assert shown.wait(60)
    state.record(())
    assert state.pages == {}
    for thread in (tab, showing, reloaded):
        thread.join()


def test_a_newer_edit_supersedes_the_build_under_way(tmp_path: Path) -> None:
    files = generated_archive(400)
    edited = sorted(files)[1]
    root = make_project(tmp_path / "project", files)
    served = Served(root).serving()
    try:
        theme = Path(__file__).parent.parent / "layouts/report.html"
        (root / "layouts").mkdir(exist_ok=True)
        # A new template: every report page is made again, which gives the second edit time to come.
        (root / "layouts/report.html").write_text(
            theme.read_text(encoding="utf-8").replace("</article>", "<p>新模板</p></article>"), encoding="utf-8"
        )
        _edit(root, "## 一、第1部分", "## 一、第一次改的部分", name=edited)
        _appears(lambda: next(root.glob(".site.staging*"), None), served)
        _edit(root, "第一次改的部分", "第二次改的部分", name=edited)
        served.said("Edited again: building anew")
        served.said("Built the site", times=2)
        html = _get(served.url + _page(files[edited]))[2]
        assert "第二次改的部分" in html and "新模板" in html
        build_site(root, tmp_path / "clean")
        assert _site_files(root / "site") == _site_files(tmp_path / "clean")
    finally:
        served.stop()


def _site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}
