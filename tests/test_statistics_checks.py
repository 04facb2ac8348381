"""The template's sums checked: what `gongkai check` and `gongkai build` tell a person about them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factory import make_project, report_text
from test_statistics_reports import appeals_table, consistent_figures, report_body, requests_table

from generator.pipeline import build_site

APPEALS = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
TABLE = "三、收到和处理政府信息公开申请情况"


def gongkai(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def project(tmp_path: Path, figures: dict[str, list[int]], appeals: list[int] = APPEALS, **fields: object) -> Path:
    body = report_body("2021", requests_table("2021", figures), appeals_table(appeals))
    return make_project(tmp_path / "p", {"content/r.md": report_text(body, year=2022, **fields)})


def line_of(root: Path, text: str) -> int:
    lines = (root / "content" / "r.md").read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_tables_that_add_up_give_no_warning(tmp_path: Path) -> None:
    checked = gongkai("check", cwd=project(tmp_path, consistent_figures("2021")))
    assert checked.returncode == 0, checked.stdout
    assert "warning" not in checked.stdout


def test_a_wrong_figure_is_told_with_its_file_line_rule_and_both_sides(tmp_path: Path) -> None:
    figures = consistent_figures("2021")
    new = figures["new"]
    figures["new"] = [new[0] + 2, *new[1:]]
    root = project(tmp_path, figures)
    checked = gongkai("check", cwd=root)
    assert checked.returncode == 0
    table_line = line_of(root, "（本列数据的勾稽关系为")
    total, carried = figures["total"], figures["carried_forward"]
    assert checked.stdout.splitlines()[1:] == [
        "2 warnings (they stop no build; --strict makes them problems):",
        f"  warning: content/r.md:{table_line}: requests.applicants: {TABLE}（一、本年新收政府信息公开申请数量）: "
        f"总计 = {new[6]}, 自然人+法人或其他组织 = {new[6] + 2}",
        "      hint: compare the table with the report as published: a figure misread or mistyped breaks the sum; "
        "if the published report itself does not add up, leave its figures as they are",
        f"  warning: content/r.md:{table_line}: requests.balance: {TABLE}（自然人）: "
        f"一+二 = {new[0] + 2 + figures['carried_over'][0]}, 三（七）+四 = {total[0] + carried[0]}",
        "      hint: compare the table with the report as published: a figure misread or mistyped breaks the sum; "
        "if the published report itself does not add up, leave its figures as they are",
    ]


def test_json_lists_warnings_apart_from_problems(tmp_path: Path) -> None:
    root = project(tmp_path, consistent_figures("2021"), appeals=[*APPEALS[:4], 5, *APPEALS[5:]])
    checked = json.loads(gongkai("check", "--format", "json", cwd=root).stdout)
    assert checked["ok"] is True and checked["problems"] == []
    (warning,) = checked["warnings"]
    assert warning["file"] == "content/r.md"
    assert warning["line"] == line_of(root, "| 行政复议 |")
    assert warning["field"] == "appeals.total"
    assert warning["message"] == (
        "四、政府信息公开行政复议、行政诉讼情况（行政复议）: 总计 = 5, 结果维持+结果纠正+其他结果+尚未审结 = 4"
    )
    assert warning["found"] == "5 and 4"


def test_strict_makes_warnings_problems(tmp_path: Path) -> None:
    root = project(tmp_path, consistent_figures("2021"), appeals=[*APPEALS[:4], 5, *APPEALS[5:]])
    checked = gongkai("check", "--strict", cwd=root)
    assert checked.returncode == 1
    assert "1 problem found:" in checked.stdout and "appeals.total" in checked.stdout
    assert "warning" not in checked.stdout
    built = gongkai("build", "--strict", cwd=root)
    assert built.returncode == 1 and "appeals.total" in built.stderr
    assert not (root / "site").exists()


def test_build_counts_warnings_and_lists_them_when_verbose(tmp_path: Path) -> None:
    root = project(tmp_path, consistent_figures("2021"), appeals=[*APPEALS[:4], 5, *APPEALS[5:]])
    built = gongkai("build", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "  1 warning, sums the template tables break; list them with -v, or with `gongkai check`" in built.stdout
    assert "appeals.total" not in built.stdout
    # Again, from the parse cache: the statistics are kept with the parse.
    again = gongkai("build", "-v", cwd=root)
    assert "  1 warning, sums the template tables break:" in again.stdout
    assert f"  warning: content/r.md:{line_of(root, '| 行政复议 |')}: appeals.total: " in again.stdout


def test_warnings_survive_the_parse_cache(tmp_path: Path) -> None:
    figures = consistent_figures("2021")
    figures["total"] = [figures["total"][0] + 1, *figures["total"][1:]]
    root = project(tmp_path, figures)
    first = build_site(root, cache=True)
    second = build_site(root, cache=True)
    assert [w.field for w in first.warnings] == ["requests.applicants", "requests.balance", "requests.results"]
    assert second.warnings == first.warnings


def test_a_withheld_report_gives_no_warning(tmp_path: Path) -> None:
    figures = consistent_figures("2021")
    figures["new"] = [figures["new"][0] + 2, *figures["new"][1:]]
    root = project(tmp_path, figures, disclosure="依申请公开")
    checked = gongkai("check", cwd=root)
    assert "warning" not in checked.stdout and "本年新收" not in checked.stdout
    built = build_site(root)
    assert built.warnings == () and built.reports == 0
