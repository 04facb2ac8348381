"""What a tab shows while `gongkai serve` has a failed build: the problems over the last good page, each
with the lines of its file around the one at fault, and a way to put them away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import Watch
from factory import make_project, report_text
from playwright.sync_api import Page
from test_serve import PAGE, RELOAD_MS, Served, _edit, _open, _reloaded

from generator.serve.problems import excerpt

# A line of a report that reads as markup: the overlay must show it as the text it is.
HOSTILE = '<img src=x onerror="window.ran=1">'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    text = report_text(body="## 一、总体情况\n\n第一版正文。\n", source=HOSTILE)
    process = Served(make_project(tmp_path, {"content/a.md": text}))
    try:
        yield process.serving()
    finally:
        process.stop()


def _break(served: Served, tab: Page) -> None:
    """Save a report whose year is unreadable YAML, and wait for the tab to show why."""
    _edit(served.root, "year: 2020", "year: [2020")
    tab.locator("#gongkai-problems").wait_for(timeout=RELOAD_MS)


def test_each_problem_shows_where_what_and_the_lines_around_it(served: Served, page: tuple[Page, Watch]) -> None:
    tab, watch = page
    _open(tab, served.url + PAGE)
    _break(served, tab)
    # The overlay names the place the terminal names, and shows that line of the file and two either side.
    line = int(re.match(r"content/a\.md:(\d+): ", served.said("content/a.md:"))[1])
    lines = (served.root / "content/a.md").read_text(encoding="utf-8").splitlines()
    dialog = tab.get_by_role("alertdialog", name="构建失败：1 个问题 · Build failed: 1 problem")
    assert dialog.is_visible()
    problem = dialog.locator("li")
    assert problem.locator(".where").inner_text() == f"content/a.md:{line}"
    assert "YAML syntax error" in problem.locator(".message").inner_text()
    width = len(str(line + 2))
    assert problem.locator("pre").inner_text().splitlines() == [
        f"{'›' if n == line else ' '} {n:>{width}} │ {lines[n - 1]}" for n in range(line - 2, line + 3)
    ]
    assert problem.locator("pre mark").inner_text() == f"› {line:>{width}} │ {lines[line - 1]}"
    assert any("year: [2020" in row for row in problem.locator("pre").inner_text().splitlines())
    # The source is shown as text: the line with markup in it made no element and ran nothing.
    assert HOSTILE in problem.locator("pre").inner_text()
    assert problem.locator("img").count() == 0 and tab.evaluate("window.ran") is None
    served.said("error: 1 problem; still serving the last good site.")
    assert not watch.problems, watch.problems


def test_the_overlay_closes_by_button_or_escape_and_comes_back_with_the_next_failure(
    served: Served, page: tuple[Page, Watch]
) -> None:
    tab, _ = page
    _open(tab, served.url + PAGE)
    _break(served, tab)
    close = tab.get_by_role("button", name="关闭 Close")
    # The first Tab from the page reaches the button; Enter on it closes the overlay.
    tab.locator("body").focus()
    tab.keyboard.press("Tab")
    assert close.evaluate("button => button.matches(':focus')")
    tab.keyboard.press("Enter")
    assert tab.locator("#gongkai-problems").count() == 0
    assert "第一版正文" in tab.locator("main").inner_text()
    # The next failed build opens it again.
    _edit(served.root, "year: [2020", "year: [2021")
    served.said("still serving", times=2)
    tab.locator("#gongkai-problems").wait_for(timeout=RELOAD_MS)
    tab.keyboard.press("Escape")
    assert tab.locator("#gongkai-problems").count() == 0
    _edit(served.root, "year: [2021", "year: 2020")
    _edit(served.root, "第一版正文", "修好后的正文")
    _reloaded(tab, "修好后的正文")
    assert tab.locator("#gongkai-problems").count() == 0


def test_an_excerpt_keeps_to_the_lines_the_file_has(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("一\n二\n三\n", encoding="utf-8")
    assert [(row["number"], row["failing"]) for row in excerpt(path, 1)] == [(1, True), (2, False), (3, False)]
    assert [row["number"] for row in excerpt(path, 3)] == [1, 2, 3]
    assert excerpt(tmp_path / "gone.md", 2) == []


def test_the_terminal_counts_problems_in_words(served: Served) -> None:
    _edit(served.root, "year: 2020", "year: [2020")
    assert served.said("still serving").startswith("error: 1 problem; still serving the last good site.")
    path = served.root / "content/a.md"
    text = path.read_text(encoding="utf-8").replace("year: [2020", "year: 2O20")
    path.write_text(text.replace("agency: 某市民政局", "agency: ''"), encoding="utf-8")
    assert served.said("still serving", times=2).startswith("error: 2 problems; still serving the last good site.")
    assert not any("(s)" in line for line in served.lines)
