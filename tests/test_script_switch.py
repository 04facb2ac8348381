"""The 简/繁 switch in the site header: labels, and the reports' text when the reader asks, shown in the
other script by the reader's browser; the choice follows the reader from page to page, from disk and
served under a sub-path, without a flash; the pages themselves stay as written."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from browsing import Watch, open_page
from factory import make_project
from playwright.sync_api import Page, expect

from generator.build.hanzi import character_pairs
from generator.core.chinese import convert_each
from generator.pipeline import build_site

REPO = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
SITE_TITLE = "政府信息公开报告档案"
LINCANG = "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告"
ZHANGZHOU = "漳州市國資委2014年政府信息公開工作要點落實情況報告"
# Records, at every frame the page draws, whether it is visible and what its navigation says.
FRAMES = """
window.frames_seen = [];
(function tick() {
  const nav = document.querySelector(".site-nav");
  if (document.body && nav) {
    window.frames_seen.push([getComputedStyle(document.body).visibility, nav.innerText]);
  }
  if (window.frames_seen.length < 500) requestAnimationFrame(tick);
})();
"""


def each_character(text: str, config: str) -> str:
    """``text`` as OpenCC's ``config`` converts each of its characters alone."""
    table = convert_each(config)
    return "".join(table.get(char, char) for char in text)


def choose(tab: Page, script: str, text: bool | None = None) -> None:
    """Choose in the header, as a reader does: the script, and whether the text is converted too."""
    tab.get_by_role("combobox", name=re.compile("^簡?简?繁$")).select_option(label=script)
    if text is not None:
        tab.get_by_role("checkbox", name=re.compile("^正文也")).set_checked(text)


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_labels_switch_and_the_choice_follows_the_reader(page: tuple[Page, Watch], sample_base: str) -> None:
    tab, watch = page
    open_page(tab, urljoin(sample_base, "index.html"))
    expect(tab.locator("#script-switch")).to_be_visible()
    choose(tab, "繁體")

    nav = tab.get_by_role("navigation", name="網站導航")
    expect(nav.get_by_role("link")).to_have_text(
        ["按地區", "按發佈機構", "按年度", "全部報告", "公開情況一覽", "統計數據"]
    )
    expect(tab).to_have_title("首頁 · 政府信息公開報告檔案")
    expect(tab.get_by_role("searchbox", name="搜索報告全文")).to_have_attribute("placeholder", "地名、機構、文號或詞句")

    # The next page opens converted, with the switch showing the choice.
    nav.get_by_role("link", name="全部報告").click()
    tab.wait_for_url("**/reports/index.html")
    expect(tab.locator("h1")).to_have_text("全部報告 5 份報告")
    expect(tab.get_by_role("combobox", name="簡繁")).to_have_value("hant")
    expect(tab.get_by_role("status")).to_have_text("顯示 5 / 5 份")
    # Labels only: names and titles stay as written, and so does the page's language.
    assert tab.get_by_role("columnheader").all_inner_texts()[:3] == ["年度", "地區", "發佈機構"]
    assert "临沧市民政局" in tab.locator("tbody").inner_text()
    expect(tab.get_by_role("link", name=LINCANG, exact=True)).to_be_visible()
    assert tab.locator("html").get_attribute("lang") == "zh-CN"
    assert tab.locator("h1").get_attribute("lang") == "zh-Hant"

    # What the page's scripts write later is converted too.
    tab.get_by_role("searchbox", name="篩選表格").fill("临沧")
    expect(tab.get_by_role("status")).to_have_text("顯示 1 / 5 份")

    # And back: everything as written, remembered for the next page.
    choose(tab, "简体")
    expect(tab.locator("h1")).to_have_text("全部报告 5 份报告")
    assert tab.locator("h1").get_attribute("lang") is None
    expect(tab.get_by_role("status")).to_have_text("显示 1 / 5 份")
    open_page(tab, urljoin(sample_base, "years/index.html"))
    expect(tab.get_by_role("combobox", name="简繁")).to_have_value("hans")
    expect(tab).to_have_title(re.compile(f" · {SITE_TITLE}$"))
    assert not watch.problems, "\n".join(watch.problems)


def test_the_text_too_when_the_reader_asks(page: tuple[Page, Watch], sample_base: str, sample_site: Path) -> None:
    tab, watch = page
    before = digests(sample_site)
    open_page(tab, urljoin(sample_base, "reports/index.html"))
    choose(tab, "繁體", text=True)
    traditional = each_character(LINCANG, "s2t")
    assert traditional != LINCANG
    expect(tab.get_by_role("link", name=traditional, exact=True)).to_be_visible()
    expect(tab.locator("tbody")).to_contain_text("臨滄市民政局")
    assert tab.locator("html").get_attribute("lang") == "zh-Hant"

    tab.get_by_role("link", name=traditional, exact=True).click()
    tab.wait_for_url("**/reports/2017/*.html")
    heading = tab.get_by_role("heading", level=1)
    expect(heading).to_have_text(traditional)
    body = tab.locator(".report-body")
    expect(body).to_contain_text("臨滄")
    assert "临沧" not in body.inner_text()
    assert body.get_attribute("lang") == "zh-Hant"
    expect(tab.get_by_role("checkbox", name="正文也轉換")).to_be_checked()
    report_url = tab.url

    # A Traditional report, shown in Simplified characters.
    open_page(tab, urljoin(sample_base, "reports/index.html"))
    choose(tab, "简体", text=True)
    simplified = each_character(ZHANGZHOU, "t2s")
    assert simplified == "漳州市国资委2014年政府信息公开工作要点落实情况报告"
    tab.get_by_role("link", name=simplified, exact=True).click()
    tab.wait_for_url("**/reports/2014/*.html")
    expect(tab.get_by_role("heading", level=1)).to_have_text(simplified)
    assert tab.locator(".report-body").get_attribute("lang") == "zh-Hans"
    assert tab.locator("html").get_attribute("lang") == "zh-Hans"

    # The pages stay as the archive wrote them: on disk, and as the server sends them.
    assert digests(sample_site) == before
    if report_url.startswith("http"):
        sent = tab.request.get(report_url).text()
        assert LINCANG in sent and traditional not in sent
    assert not watch.problems, "\n".join(watch.problems)


def test_a_remembered_choice_is_shown_without_a_flash(page: tuple[Page, Watch], sample_base: str) -> None:
    tab, watch = page
    open_page(tab, urljoin(sample_base, "index.html"))
    choose(tab, "繁體")
    expect(tab.locator(".site-nav")).to_contain_text("按地區")

    tab.add_init_script(FRAMES)
    for path in ("regions/index.html", "reports/index.html"):
        open_page(tab, urljoin(sample_base, path))
        tab.wait_for_function("window.frames_seen.some(([visibility]) => visibility === 'visible')")
        frames = tab.evaluate("window.frames_seen")
        shown = [nav for visibility, nav in frames if visibility == "visible"]
        assert shown and all("按地區" in nav and "按地区" not in nav for nav in shown), frames
    assert not watch.problems, "\n".join(watch.problems)


def test_search_results_follow_the_choice(page: tuple[Page, Watch], sample_base: str) -> None:
    tab, watch = page
    open_page(tab, urljoin(sample_base, "search.html"))
    choose(tab, "繁體", text=True)
    tab.get_by_role("searchbox", name="搜索報告全文").first.fill("临沧")
    tab.get_by_role("searchbox", name="搜索報告全文").first.press("Enter")
    expect(tab.get_by_role("link", name=each_character(LINCANG, "s2t"), exact=True)).to_be_visible()
    assert not watch.problems, "\n".join(watch.problems)


def test_a_traditional_site_switches_to_simplified(page: tuple[Page, Watch], tmp_path: Path) -> None:
    tab, watch = page
    files = {f"content/{path.name}": path.read_text(encoding="utf-8") for path in (REPO / "content").glob("*.md")}
    root = make_project(tmp_path / "tw", files, config="title: 政府資訊公開報告檔案\nlanguage: zh-TW\n")
    build_site(root)
    open_page(tab, (root / "site" / "reports" / "index.html").as_uri())
    expect(tab.get_by_role("combobox", name="簡繁")).to_have_value("hant")
    choose(tab, "简体")
    expect(tab.locator("h1")).to_have_text("全部报告 5 份报告")
    expect(tab).to_have_title("全部报告 · 政府资讯公开报告档案")
    # Names stay as written; the Traditional one too.
    expect(tab.locator("tbody")).to_contain_text("漳州市人民政府國有資產監督管理委員會")
    assert not watch.problems, "\n".join(watch.problems)


def test_the_switch_data_is_small_and_made_of_labels_and_tables(sample_site: Path) -> None:
    labels = (sample_site / "hanzi" / "labels.js").read_text(encoding="utf-8")
    assert labels.startswith('gongkaiHanzi.receive("labels",')
    assert '"全部报告":"全部報告"' in labels and '"{n} 份报告":"{n} 份報告"' in labels
    for name, pair in (("s2t", "发發"), ("t2s", "發发")):
        text = (sample_site / "hanzi" / f"{name}.js").read_text(encoding="utf-8")
        assert text == f'gongkaiHanzi.receive("{name}","{character_pairs(name)}");\n'
        assert pair in character_pairs(name)
        assert len(text.encode()) < 30_000
    # Compatibility ideographs are variants of one character, not of a script: left as written.
    assert "\uf900" not in character_pairs("t2s")
    assert len(labels.encode()) < 10_000


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_switch_logic_in_node() -> None:
    done = subprocess.run(
        [NODE, "--test", "tests/js/script-switch.test.js"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
