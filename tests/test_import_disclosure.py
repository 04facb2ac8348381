"""What a raw report says about its own publication (公开属性) decides what the build does with it.

Each case is imported end to end, as `gongkai import` runs, and the archive is then built: a report that
says anything but 主动公开 is withheld, and the line that says so is kept.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factory import make_project

from generator.cli import main
from generator.core.strict_yaml import read_mapping
from generator.pipeline import BuildResult, build_site

TITLE = "临沧市民政局2017年政府信息公开工作年度报告"
REPORT = (
    f"{TITLE}\n{{head}}\n一、概述\n2017年，我局坚持以公开为常态、不公开为例外，严格审查公文公开属性，"
    "全年主动公开信息120条，依申请公开3件，不予公开1件。\n二、存在问题\n个别栏目更新不及时。\n"
    "临沧市民政局\n2018年1月10日\n{tail}\n"
)
TRADITIONAL_TITLE = "廣州市越秀區人民政府辦公室2016年政府信息公開工作年度報告"
TRADITIONAL = (
    f"{TRADITIONAL_TITLE}\n{{head}}\n一、概述\n本辦堅持以公開為常態、不公開為例外，全年主動公開政府信息"
    "三百條。\n二、存在的主要問題\n公開內容不夠全面。\n廣州市越秀區人民政府辦公室\n二○一七年三月二十日\n"
    "{tail}\n"
)
BYLINE = "发布机构：临沧市民政局  公开属性：不公开  发布日期：2018-01-10"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path / "archive", {})


def imported(project: Path, text: str, name: str = "report.txt") -> tuple[dict, str]:
    """Front matter and body of the content file `gongkai import` writes for ``text``."""
    raw = project.parent / "raw" / name
    raw.parent.mkdir(exist_ok=True)
    raw.write_text(text, encoding="utf-8")
    assert main(["import", str(raw), "--to", str(project / "content"), "--report", "look.csv"]) == 0
    [path] = sorted((project / "content").rglob("*.md"))
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    entries, problems = read_mapping(front, path.name)
    assert not problems
    return {key: entry.value for key, entry in entries.items()}, body


def built(project: Path) -> BuildResult:
    result = build_site(project)
    pages = [page for page in result.out.rglob("*") if page.is_file()]
    for title in (TITLE, TRADITIONAL_TITLE):
        assert result.reports or not any(title.encode() in page.read_bytes() for page in pages)
    return result


def looks(project: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((project.parent / "look.csv").open(encoding="utf-8-sig")))


@pytest.mark.parametrize(
    ("head", "tail", "value", "evidence"),
    [
        (BYLINE, "", "不予公开", BYLINE),
        ("公开属性：不予 公开", "", "不予公开", "公开属性：不予 公开"),
        ("公 开 属 性 : 依申请公开", "", "依申请公开", "公 开 属 性 : 依申请公开"),
        (
            "发布日期：2018-01-10 | 公开方式：依申请公开 | 浏览次数：12",
            "",
            "依申请公开",
            "发布日期：2018-01-10 | 公开方式：依申请公开 | 浏览次数：12",
        ),
        (
            "索引号 000014349/2018-00221 公开方式 依申请公开 发布日期 2018-01-10",
            "",
            "依申请公开",
            "索引号 000014349/2018-00221 公开方式 依申请公开 发布日期 2018-01-10",
        ),
        ("公开类型：免予公开", "", "免予公开", "公开类型：免予公开"),
        ("", "（此件不得公开）", "不予公开", "（此件不得公开）"),
        ("", "（此件不予公开）", "不予公开", "（此件不予公开）"),
        ("", "（不公开）", "不予公开", "（不公开）"),
        ("", "不予公开", "不予公开", "不予公开"),
        ("", "此件依申请公开。", "依申请公开", "此件依申请公开。"),
        ("密级：秘密", "", "不予公开", "密级：秘密"),
        ("密级：内部", "", "不予公开", "密级：内部"),
        ("", "机密★10年", "不予公开", "机密★10年"),
        ("内部资料 注意保存", "", "不予公开", "内部资料 注意保存"),
        ("", "【内部文件】", "不予公开", "【内部文件】"),
        ("", "本报告仅供内部使用。", "不予公开", "本报告仅供内部使用。"),
    ],
)
def test_every_statement_that_is_not_public_is_withheld(
    project: Path, head: str, tail: str, value: str, evidence: str
) -> None:
    fields, body = imported(project, REPORT.format(head=head, tail=tail))
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == (value, "high")
    assert fields["title"] == TITLE
    # The line that says it is kept: in the body, or, when it left the body as a byline, in the record.
    said = [line.split(": ", 1)[1] for line in fields["import"]["evidence"]["disclosure"]]
    assert evidence in said
    assert evidence in body or evidence in said
    result = built(project)
    assert result.reports == 0
    assert [item.reason for item in result.withheld] == [f"公开属性 is {value}"]


def test_a_classification_above_the_title_is_read_and_stays_in_the_text(project: Path) -> None:
    fields, body = imported(project, "秘密★1年\n" + REPORT.format(head="", tail=""))
    assert (fields["title"], fields["disclosure"]) == (TITLE, "不予公开")
    assert body.lstrip().startswith("秘密★1年")
    assert built(project).withheld


@pytest.mark.parametrize(
    ("head", "tail", "value"),
    [
        ("公開屬性：不予公開", "", "不予公開"),
        ("公 開 屬 性 ： 依申請公開", "", "依申請公開"),
        ("", "（此件不得公開）", "不予公開"),
        ("", "（此件免予公開）", "免予公開"),
        ("密級：機密", "", "不予公開"),
        ("內部資料", "", "不予公開"),
        ("", "僅供內部參閱", "不予公開"),
    ],
)
def test_traditional_statements_are_read_and_written_in_the_reports_script(
    project: Path, head: str, tail: str, value: str
) -> None:
    fields, _ = imported(project, TRADITIONAL.format(head=head, tail=tail))
    assert fields["language"] == "zh-Hant"
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == (value, "high")
    result = built(project)
    assert result.reports == 0 and len(result.withheld) == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (REPORT.format(head="", tail="（此件公开发布）\n公开属性：依申请公开"), "依申请公开"),
        (REPORT.format(head="公开属性：主动公开", tail="（此件不予公开）"), "不予公开"),
        (REPORT.format(head="公开方式：主动公开", tail="密级：秘密"), "不予公开"),
        (TRADITIONAL.format(head="公開屬性：主動公開", tail="（此件依申請公開）"), "依申請公開"),
    ],
)
def test_statements_that_disagree_give_the_most_restrictive_at_low_confidence(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, value: str
) -> None:
    fields, _ = imported(project, text)
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == (value, "low")
    assert len(fields["import"]["evidence"]["disclosure"]) == 2
    out = capsys.readouterr().out
    assert "Needs a human look" in out and "the text says different things about 公开属性" in out
    rows = {(row["field"], row["confidence"]) for row in looks(project)}
    assert {("disclosure", "low"), ("text", "warning")} <= rows
    assert built(project).reports == 0


def test_a_value_no_one_has_a_name_for_is_kept_as_written_and_withheld(project: Path) -> None:
    fields, _ = imported(project, REPORT.format(head="公开属性：部分公开", tail=""))
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == ("部分公开", "low")
    [withheld] = built(project).withheld
    assert "'部分公开' is not a known value" in withheld.reason


def test_without_a_statement_public_is_assumed_at_low_confidence_and_flagged(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fields, _ = imported(project, REPORT.format(head="发布日期：2018-01-10", tail=""))
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == ("主动公开", "low")
    assert "evidence" not in fields["import"]
    assert "assumed 主动公开" in fields["import"]["notes"]["disclosure"]
    assert "disclosure (low): 主动公开 — no 公开属性 in the text" in capsys.readouterr().out
    assert [row["field"] for row in looks(project)] == ["disclosure"]
    assert built(project).reports == 1  # today's assumption stands, for a person to confirm


def test_a_public_statement_is_read_with_high_confidence(project: Path) -> None:
    fields, body = imported(project, REPORT.format(head="", tail="（此件公开发布）"))
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == ("主动公开", "high")
    assert "（此件公开发布）" in body
    assert built(project).reports == 1


def test_a_metadata_table_outside_the_article_is_read(project: Path) -> None:
    page = (
        f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body>"
        "<div class='nav'><a>主动公开</a> <a>依申请公开</a></div>"
        "<table class='xxgk'><tr><td>索引号</td><td>0001</td><td>公开方式</td><td>依申请公开</td></tr></table>"
        f"<div class='content'><h1>{TITLE}</h1><p>一、概述</p><p>全年主动公开信息120条。</p>"
        "<p>临沧市民政局</p><p>2018年1月10日</p></div></body></html>"
    )
    fields, body = imported(project, page, "page.html")
    assert (fields["disclosure"], fields["import"]["confidence"]["disclosure"]) == ("依申请公开", "high")
    assert "索引号 0001 公开方式 依申请公开" in body
    assert built(project).withheld
