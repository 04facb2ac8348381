"""What a portal's page header says of the page itself: its 索引号 and the day it was put online
(发布日期/发布时间), read into ``index_number`` and ``published`` and shown on the built report page."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_project

from generator.cli import main
from generator.importing.extract import extract
from generator.importing.fields import HIGH, LOW, NONE
from generator.pipeline import build_site

BODY = "一、总体情况\n2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息120条。\n"
TABLE = (
    "| 索 引 号: | 000014349/2022-02188 | 信息分类: | |\n"
    "| 发文机构: | 云南省交通运输厅 | 成文日期: | 2022-01-20 |\n"
    "| 发文字号: | | 发布日期: | 2022-01-29 14:59:17 |\n"
    "| 标 题: | 云南省交通运输厅2021年政府信息公开工作年度报告 | ||\n"
    "云南省交通运输厅2021年政府信息公开工作年度报告\n" + BODY
)


def _read(text: str, name: str) -> tuple[object, str]:
    found = extract(text).fields[name]
    return found.value, found.confidence


def test_a_metadata_table_gives_the_index_number_and_the_date_published() -> None:
    assert _read(TABLE, "index_number") == ("000014349/2022-02188", HIGH)
    assert _read(TABLE, "published") == ("2022-01-29", HIGH)
    assert _read(TABLE, "date") == ("2022-01-20", HIGH)  # 成文日期 still outranks the page's date


@pytest.mark.parametrize("label", ["发布时间", "发布日期", "发(fa)布(bu)时(shi)间(jian)"])
def test_the_page_date_alone_is_the_date_published_and_only_a_guess_at_the_date_signed(label: str) -> None:
    text = f"标题: 某市交通运输局2021年政府信息公开工作年度报告\n{label}: 2022-01-25 09:30\n==== 正文 ====\n" + BODY
    assert _read(text, "published") == ("2022-01-25", HIGH)
    assert _read(text, "date") == ("2022-01-25", LOW)
    assert _read(text, "index_number") == (None, NONE)


def test_a_header_without_them_gives_neither() -> None:
    text = "标题: 某市交通运输局2021年政府信息公开工作年度报告\n成文日期: 2022-01-20\n" + BODY
    assert _read(text, "published") == (None, NONE) and _read(text, "index_number") == (None, NONE)


def test_imported_they_reach_the_report_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = make_project(tmp_path / "archive", {})
    (tmp_path / "raw.txt").write_text(TABLE, encoding="utf-8")
    assert main(["import", "raw.txt", "--to", str(root / "content")]) == 0
    [written] = (root / "content").rglob("*.md")
    front = written.read_text(encoding="utf-8").split("---\n")[1]
    assert "index_number: 000014349/2022-02188\n" in front and "published: 2022-01-29\n" in front
    build_site(root)
    [page] = (root / "site/reports/2021").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "<dt>索引号</dt><dd>000014349/2022-02188</dd>" in html
    assert '<dt>发布日期</dt><dd><time datetime="2022-01-29">2022-01-29</time></dd>' in html
