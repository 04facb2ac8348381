"""Edits saved while `gongkai serve` runs: each shows in the tabs open on every page it changes, and once
the build of the whole site has landed, the site on disk is byte for byte the one a clean build of the
same files makes. Serve keeps and reuses what earlier builds made; a clean build reuses nothing."""

from __future__ import annotations

import difflib
import json
import os
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browsing import Watch
from factory import make_project, report_text
from playwright.sync_api import Page
from test_serve import RELOAD_MS, Served

from generator.pipeline import build_site

REPO = Path(__file__).resolve().parent.parent
REGION = ["某省", "某市"]
CITED = "某民字〔2021〕3号"
# Each report's page, as its agency and 文号 (or its own slug) place it.
A_PAGE = "reports/2020/minzheng-2020.html"
B_PAGE = "reports/2021/moushiminzhengju.html"
C_PAGE = "reports/2021/moushicaizhengju.html"
D_PAGE = "reports/2022/moushijiaoyuju.html"
E_PAGE = "reports/2020/moushicaizhengju.html"
REPORT_PAGES = [A_PAGE, B_PAGE, C_PAGE, D_PAGE, E_PAGE]
MINZHENG, CAIZHENG, JIAOYU = (
    f"agencies/{slug}/index.html" for slug in ("moushiminzhengju", "moushicaizhengju", "moushijiaoyuju")
)


def _report(agency: str, year: int, body: str, **fields: object) -> str:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    return report_text(
        body=f"## 一、总体情况\n\n{body}\n", title=title, agency=agency, region=REGION, year=year, **fields
    )


# Five reports of three agencies. The 民政局's 2020 report has a slug of its own, so that its page stays
# where it is when its 文号 changes; the 财政局's 2021 report cites it by that 文号.
FILES = {
    "content/a.md": _report(
        "某市民政局", 2020, "民政局2020年正文。", date="2021-01-20", doc_number=CITED, slug="minzheng-2020"
    ),
    "content/b.md": _report("某市民政局", 2021, "民政局2021年第一版正文。", date="2022-01-20"),
    "content/c.md": _report("某市财政局", 2021, f"根据{CITED}要求，财政局推进公开。", date="2022-02-20"),
    "content/d.md": _report("某市教育局", 2022, "教育局2022年正文。", date="2023-02-20"),
    "content/e.md": _report("某市财政局", 2020, "财政局2020年正文。", date="2021-02-20"),
}


@dataclass
class Live:
    """A serve session on the project, tabs open on its pages, and what was true just before the last save:
    how many lines serve had printed, how many sites it had built, which build the tabs showed."""

    served: Served
    # A tab for a look at a page after an edit, not kept open across one.
    spare: Page
    watch: Watch
    clean: Path
    before: tuple[int, int, int] = (0, 0, 0)
    tabs: list[Page] = field(default_factory=list)

    def open(self, path: str) -> Page:
        """A new tab open on ``path``, kept open across the edits that follow. Each holds one of the six
        connections Chromium opens to a server while it waits for the next build: five tabs at most."""
        assert len(self.tabs) < 5
        tab = self.spare.context.new_page()
        self.watch.attach(tab)
        _goto(tab, self.served.url + path)
        self.tabs.append(tab)
        return tab

    def look(self, path: str) -> Page:
        _goto(self.spare, self.served.url + path)
        return self.spare

    def save(self, name: str, text: str | None) -> None:
        """Write ``text`` to the project's file ``name`` (None removes it) as editors do: a temporary file
        renamed over it, one event, so that one rebuild follows."""
        built = sum(line.startswith("Built the site") for line in self.served.lines)
        self.before = (len(self.served.lines), built, _version(self.served.url))
        path = self.served.root / name
        if text is None:
            path.unlink()
            return
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def edit(self, name: str, old: str, new: str) -> None:
        text = (self.served.root / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        self.save(name, text.replace(old, new))

    def landed(self) -> list[str]:
        """Wait until the build after the last save has landed and every open tab has reloaded itself to
        it; return what serve printed meanwhile."""
        lines, built, version = self.before
        self.served.said("Built the site", times=built + 1, timeout=RELOAD_MS / 1000)
        said = self.served.lines[lines:]
        # A page shown from memory before the build is a build number of its own.
        landed = version + 1 + any(line.startswith("Showed ") for line in said)
        for tab in self.tabs:
            tab.wait_for_function(
                "([v]) => Number(document.querySelector('script[data-version]')?.dataset.version) >= v",
                arg=[landed],
                timeout=RELOAD_MS,
            )
        return said

    def same_as_clean_build(self) -> None:
        """The site serve left is file for file, byte for byte, what a clean build of the same files makes."""
        out = self.clean / f"clean{len(list(self.clean.iterdir()))}"
        build_site(self.served.root, out)
        served, clean = _files(self.served.root / "site"), _files(out)
        assert served.keys() == clean.keys(), sorted(served.keys() ^ clean.keys())
        differing = sorted(name for name in clean if served[name] != clean[name])
        assert not differing, _diff(differing, served, clean)


def _goto(tab: Page, url: str) -> None:
    response = tab.goto(url)
    assert response is not None and response.status == 200, url


def _version(url: str) -> int:
    """The build the server shows now, as the script in a page first learns it."""
    with urllib.request.urlopen(url + "__gongkai/state?since=-1", timeout=60) as response:
        return int(json.load(response)["version"])


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _diff(differing: list[str], served: dict[str, bytes], clean: dict[str, bytes]) -> str:
    first = differing[0]
    lines = difflib.unified_diff(
        clean[first].decode(errors="replace").splitlines(),
        served[first].decode(errors="replace").splitlines(),
        "clean/" + first,
        "served/" + first,
        lineterm="",
    )
    return f"differ from a clean build: {differing}\n" + "\n".join(list(lines)[:40])


@pytest.fixture
def live(tmp_path: Path, page: tuple[Page, Watch]) -> Iterator[Live]:
    root = make_project(tmp_path / "project", FILES)
    # The layouts folder exists from the start, as in a project that has overridden something before:
    # a folder made during the session is a rebuild of its own.
    (root / "layouts" / "i18n").mkdir(parents=True)
    (tmp_path / "clean").mkdir()
    served = Served(root)
    tab, watch = page
    try:
        yield Live(served.serving(), tab, watch, tmp_path / "clean")
    finally:
        served.stop()


def _text(tab: Page, selector: str = "main") -> str:
    return tab.locator(selector).first.inner_text()


def _titles(tab: Page) -> list[str]:
    """The titles a listing page lists."""
    return tab.locator(".report-list .report-title").all_inner_texts()


def _showed(said: list[str]) -> list[str]:
    """The pages serve showed from memory before the whole build landed."""
    return [path for line in said if line.startswith("Showed ") for path in line[7:].split(" in ")[0].split(", ")]


def test_a_body_edit_reloads_its_page(live: Live) -> None:
    tab = live.open(B_PAGE)
    live.edit("content/b.md", "第一版正文", "第二版正文")
    said = live.landed()
    assert "民政局2021年第二版正文。" in _text(tab, "article")
    assert "第一版正文" not in _text(tab)
    assert _showed(said) == [B_PAGE], said
    assert not live.watch.problems, live.watch.problems
    live.same_as_clean_build()


def test_a_title_edit_shows_on_its_page_its_agency_and_the_home_page(live: Live) -> None:
    report, agency, home = live.open(D_PAGE), live.open(JIAOYU), live.open("")
    old, new = "某市教育局2022年政府信息公开工作年度报告", "某市教育局2022年政务公开工作报告（修订）"
    live.edit("content/d.md", f"title: {old}", f"title: {new}")
    said = live.landed()
    assert _text(report, "h1") == new
    assert _titles(agency) == [new]
    assert new in _titles(home) and old not in _text(home)
    assert _showed(said) == [D_PAGE], said
    live.same_as_clean_build()


def test_an_agency_edit_moves_the_report_to_the_other_agency(live: Live) -> None:
    title = "某市民政局2021年政府信息公开工作年度报告"
    report, old, new = live.open(B_PAGE), live.open(MINZHENG), live.open(JIAOYU)
    live.edit("content/b.md", "agency: 某市民政局", "agency: 某市教育局")
    said = live.landed()
    assert title in _titles(new) and _titles(old) == ["某市民政局2020年政府信息公开工作年度报告"]
    # The report is filed under the other agency now: its old address is gone, the tab open on it says so.
    assert "页面不存在" in _text(report)
    new.get_by_role("link", name=title).click()
    new.wait_for_url(live.served.url + "reports/2021/moushijiaoyuju.html")
    assert "民政局2021年第一版正文。" in _text(new, "article") and "某市教育局" in _text(new, ".report-facts")
    # Shown first: the report where it is now filed, and the listings it left and joined.
    assert _showed(said)[0] == "reports/2021/moushijiaoyuju.html", said
    assert {MINZHENG, JIAOYU} <= set(_showed(said)), said
    # The 404 page at a depth asks for its assets where they are not before it finds them: only the
    # scripts' own errors count here.
    assert not [problem for problem in live.watch.problems if problem.startswith("page error")], live.watch.problems
    live.same_as_clean_build()


def _cites(tab: Page) -> list[list[str]]:
    """The 文号 linked in a report's text, each with the address it links to."""
    return tab.eval_on_selector_all("a.citation", "links => links.map(a => [a.textContent, a.href])")


def test_a_changed_wen_hao_unlinks_its_citations_until_they_cite_it_anew(live: Live) -> None:
    cited, citing = live.open(A_PAGE), live.open(C_PAGE)
    assert _cites(citing) == [[CITED, live.served.url + A_PAGE]]
    new = "某民字〔2021〕5号"
    live.edit("content/a.md", f"doc_number: {CITED}", f"doc_number: {new}")
    live.landed()
    # The citing report still names the old 文号, which the archive no longer holds.
    assert _cites(citing) == [] and _text(citing, ".citation-list.missing") == CITED
    assert new in _text(cited, ".report-facts") and "被引用" not in _text(cited)
    live.same_as_clean_build()
    live.edit("content/c.md", f"根据{CITED}", f"根据{new}")
    said = live.landed()
    assert _cites(citing) == [[new, live.served.url + A_PAGE]]
    assert citing.locator(".citation-list.missing").count() == 0
    assert "某市财政局2021年政府信息公开工作年度报告" in _text(cited, "section.citations")
    assert _showed(said) == [C_PAGE], said
    live.same_as_clean_build()


MARKER = "本项目自定的报告模板"


def test_a_project_template_shows_on_every_report_page_and_goes_with_it(live: Live) -> None:
    tabs = [live.open(path) for path in REPORT_PAGES]
    theme = (REPO / "layouts" / "report.html").read_text(encoding="utf-8")
    assert theme.count('<article class="report">') == 1
    live.save(
        "layouts/report.html", theme.replace('<article class="report">', f'<article class="report"><p>{MARKER}</p>')
    )
    live.landed()
    assert all(MARKER in _text(tab, "article") for tab in tabs)
    assert MARKER not in _text(live.look(""))
    live.same_as_clean_build()
    live.save("layouts/report.html", None)
    live.landed()
    assert not any(MARKER in _text(tab) for tab in tabs)
    live.same_as_clean_build()


def test_a_project_label_shows_on_every_page(live: Live) -> None:
    theme = (REPO / "layouts" / "i18n" / "zh-CN.yaml").read_text(encoding="utf-8")
    assert "\nagencies: 按发布机构\n" in theme
    tabs = [live.open(path) for path in ("", B_PAGE, CAIZHENG, "years/index.html")]
    live.save("layouts/i18n/zh-CN.yaml", "agencies: 按单位浏览\n")
    live.landed()
    assert [tab.locator(".site-nav a").nth(1).inner_text() for tab in tabs] == ["按单位浏览"] * len(tabs)
    live.same_as_clean_build()


def test_a_new_site_title_shows_in_every_header(live: Live) -> None:
    tabs = [live.open(path) for path in ("", A_PAGE, D_PAGE, MINZHENG, "regions/index.html")]
    live.edit("config.yaml", "title: 测试档案", "title: 改名后的公开档案")
    live.landed()
    assert [_text(tab, ".site-title") for tab in tabs] == ["改名后的公开档案"] * len(tabs)
    assert all(tab.title().endswith(" · 改名后的公开档案") for tab in tabs)
    live.same_as_clean_build()
