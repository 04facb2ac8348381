"""Rebuilds after edits that change only reports' texts, made from the last build's sketch: the same
bytes as a clean build; and every other edit, or a sketch that cannot be trusted, left to the whole build."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from factory import edit_text, make_project, report_text, site_files

from generator.build.state import parse_cache_file
from generator.pipeline import build_site

# Longer than the summary that listings and feeds quote, so that an edit at its end shows on fewer pages.
PARAGRAPH = "本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，依法保障公众知情权。" * 6


def _body(year: int) -> str:
    return (
        f"## 一、总体情况\n\n{year}年，{PARAGRAPH}\n\n"
        f"## 二、主动公开政府信息情况\n\n{PARAGRAPH}\n\n"
        "## 三、存在的主要问题及改进情况\n\n依据国办公开办函〔2021〕30号，逐项整改。\n"
    )


def _project(tmp_path: Path) -> Path:
    """An agency's reports of three years, whose pages compare each with the year before, and another's."""
    files = {
        f"content/{year}.md": report_text(
            body=_body(year), year=year, title=f"某市民政局{year}年政府信息公开工作年度报告", slug=f"minzheng-{year}"
        )
        for year in (2018, 2019, 2020)
    }
    files["content/caizheng.md"] = report_text(
        body=_body(2020), agency="某市财政局", title="某市财政局2020年政府信息公开工作年度报告", slug="caizheng"
    )
    return make_project(tmp_path / "project", files)


def _rebuilt(root: Path) -> list[str]:
    """The stages of a rebuild that takes what it may from the last build."""
    return [stage for stage, _ in build_site(root, cache=True).stages]


def _assert_clean(root: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build_site(root, out=clean)
    assert site_files(root / "site") == site_files(clean)


# A text edit: a sentence at the end of a section the next year's report words the same.
SENTENCE = ("依法保障公众知情权。\n\n## 三", "依法保障公众知情权。本年度新增一句。\n\n## 三")


def test_an_edit_of_a_report_text_is_made_from_the_sketch_and_equals_a_clean_build(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    edit_text(root / "content/2019.md", *SENTENCE)
    assert "catalogue" not in _rebuilt(root)
    page = (root / "site/reports/2019/minzheng-2019.html").read_text(encoding="utf-8")
    assert "本年度新增一句" in page
    _assert_clean(root, tmp_path)


def test_text_edits_one_after_another_and_back_equal_a_clean_build(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    before = (root / "content/2020.md").read_text(encoding="utf-8")
    for path in ("content/2020.md", "content/caizheng.md"):
        edit_text(root / path, *SENTENCE)
        assert "catalogue" not in _rebuilt(root)
        _assert_clean(root, tmp_path)
    (root / "content/2020.md").write_text(before, encoding="utf-8")
    assert "catalogue" not in _rebuilt(root)
    _assert_clean(root, tmp_path)


EDITS: dict[str, Callable[[Path], None]] = {
    "title": lambda root: edit_text(root / "content/2019.md", "2019年政府信息", "2019年度政府信息"),
    "summary": lambda root: edit_text(root / "content/2019.md", "2019年，", "2019年全年，"),
    "cited 文号": lambda root: edit_text(
        root / "content/2019.md", "国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号"
    ),
    "withheld": lambda root: edit_text(root / "content/2019.md", "主动公开", "不予公开"),
    "new report": lambda root: (root / "content/new.md").write_text(
        report_text(body=_body(2021), year=2021, slug="xin"), encoding="utf-8"
    ),
    "template": lambda root: (
        (root / "layouts").mkdir()
        or (root / "layouts/report.html").write_text(
            (Path(__file__).parent.parent / "layouts/report.html").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        )
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_any_other_edit_is_made_by_the_whole_build(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    edit(root)
    edit_text(root / "content/2020.md", *SENTENCE)
    assert "catalogue" in _rebuilt(root)
    _assert_clean(root, tmp_path)


def test_a_file_gone_from_the_site_is_made_again(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    edit_text(root / "content/2018.md", *SENTENCE)
    build_site(root, cache=True)
    # Not in the spare folder either: it changed in the last build.
    (root / "site/reports/2018/minzheng-2018.html").unlink()
    edit_text(root / "content/2020.md", *SENTENCE)
    _rebuilt(root)
    _assert_clean(root, tmp_path)


def test_a_sketch_whose_reports_the_parse_cache_lost_is_not_used(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    with sqlite3.connect(parse_cache_file(root / "site")) as cache:
        cache.execute("DELETE FROM parsed")
    edit_text(root / "content/2019.md", *SENTENCE)
    assert "catalogue" in _rebuilt(root)
    _assert_clean(root, tmp_path)
