"""Scrapers' tables: a CSV, JSON or JSON Lines file of reports, one per row, imported with `gongkai import`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_import import front_matter, run, written

ROWS = [
    {
        "标题": "凤庆县民政局2021年政府信息公开工作年度报告",
        "时间": "2022年1月20日",
        "内容": "<p>　　本年度报告根据《条例》编制。</p><p>一、总体情况</p><p>2021年，我局主动公开政府信息120条。</p>",
        "访问地址": "http://www.ynfq.gov.cn/a/1.html",
    },
    {
        "标题": "临翔区财政局2020年政府信息公开工作年度报告",
        "时间": "2021-01-15 09:30",
        "内容": "本年度报告根据《条例》编制。\n一、总体情况\n2020年，我局主动公开政府信息80条。",
        "访问地址": "http://www.lx.gov.cn/b/2.html",
    },
    {"标题": "没有正文的一行", "时间": "", "内容": "", "访问地址": ""},
]
COLUMNS = "title=标题,date=时间,body=内容,source_url=访问地址"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _by_title(folder: Path) -> dict[str, tuple[dict, str]]:
    found = [front_matter(path) for path in written(folder)]
    return {fields["title"]: (fields, body) for fields, body in found}


def test_each_row_of_a_csv_is_a_report_its_columns_given_with_high_confidence(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(_csv(in_tmp / "data.csv", ROWS), "--columns", COLUMNS) == 1  # the row without text
    reports = _by_title(in_tmp / "content")
    fields, body = reports["凤庆县民政局2021年政府信息公开工作年度报告"]
    assert (fields["date"], fields["source_url"]) == ("2022-01-20", "http://www.ynfq.gov.cn/a/1.html")
    assert (fields["agency"], fields["region"]) == ("凤庆县民政局", ["云南省", "临沧市", "凤庆县"])
    assert fields["import"]["source"] == "data.csv#1"
    assert fields["import"]["confidence"]["title"] == fields["import"]["confidence"]["date"] == "high"
    assert body.strip().split("\n\n") == [
        "本年度报告根据《条例》编制。",
        "## 一、总体情况",
        "2021年，我局主动公开政府信息120条。",
    ]
    assert reports["临翔区财政局2020年政府信息公开工作年度报告"][0]["date"] == "2021-01-15"
    out, err = capsys.readouterr()
    assert "data.csv#3: body: row 3 has no text in column 内容" in err
    assert "Fields found (high / medium / low / none):\n  title         2 /    0 /    0 /    0\n" in out


def test_importing_the_same_table_again_changes_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _csv(in_tmp / "data.csv", ROWS[:2])
    assert run(table, "--columns", COLUMNS) == 0
    capsys.readouterr()
    assert run(table, "--columns", COLUMNS) == 0
    assert capsys.readouterr().out.startswith("Imported 2 files: 2 unchanged.")


def test_json_and_json_lines_with_columns_named_as_scrapers_name_them(in_tmp: Path) -> None:
    (in_tmp / "a.json").write_text(json.dumps(ROWS[:1], ensure_ascii=False), encoding="utf-8")
    lines = "\n".join(json.dumps(row, ensure_ascii=False) for row in ROWS[1:2])
    (in_tmp / "b.jsonl").write_text(lines + "\n", encoding="utf-8")
    assert run("a.json", "b.jsonl") == 0
    reports = _by_title(in_tmp / "content")
    assert sorted(reports) == [
        "临翔区财政局2020年政府信息公开工作年度报告",
        "凤庆县民政局2021年政府信息公开工作年度报告",
    ]
    # 时间 is not taken for the date unless named: a page's time is not the date a report was signed.
    assert all("date" not in fields for fields, _ in reports.values())


def test_a_table_without_the_named_column_is_refused_with_its_columns(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(_csv(in_tmp / "data.csv", ROWS), "--columns", "body=正文") == 1
    err = capsys.readouterr().err
    assert (
        "data.csv: has no column 正文\n    hint: its columns are 标题, 时间, 内容, 访问地址; name them with --columns"
        in err
    )
    assert written(in_tmp / "content") == []


def test_a_field_no_one_knows_is_a_usage_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(_csv(in_tmp / "data.csv", ROWS), "--columns", "titel=标题") == 2
    assert "error: --columns: 'titel=标题' is not field=column" in capsys.readouterr().err


def test_a_table_inside_a_folder_is_left_alone(in_tmp: Path) -> None:
    (in_tmp / "raw").mkdir()
    _csv(in_tmp / "raw/index.csv", ROWS)
    (in_tmp / "raw/a.txt").write_text("某市民政局2021年政府信息公开工作年度报告\n正文。\n", encoding="utf-8")
    assert run("raw") == 0
    assert len(written(in_tmp / "content")) == 1


def test_a_region_column_is_read_as_a_path_whichever_way_it_is_written(in_tmp: Path) -> None:
    rows = [
        {**ROWS[1], "地区": region, "标题": f"临翔区财政局{year}年政府信息公开工作年度报告"}
        for region, year in (("云南省临沧市临翔区", 2018), ("云南省/临沧市/临翔区", 2019), ("临翔区", 2020))
    ]
    assert run(_csv(in_tmp / "data.csv", rows), "--columns", COLUMNS) == 0
    regions = [fields["region"] for fields, _ in _by_title(in_tmp / "content").values()]
    assert regions == [["云南省", "临沧市", "临翔区"]] * 3


def test_a_tables_index_number_and_publication_date_are_recognised_by_their_names(in_tmp: Path) -> None:
    rows = [{**ROWS[1], "索引号": "11530000/2021-00012", "发布时间": "2021-01-18 10:00"}]
    run(_csv(in_tmp / "data.csv", rows), "--columns", "title=标题,date=时间,body=内容")
    fields, _ = _by_title(in_tmp / "content")["临翔区财政局2020年政府信息公开工作年度报告"]
    assert (fields["index_number"], fields["published"], fields["date"]) == (
        "11530000/2021-00012",
        "2021-01-18",
        "2021-01-15",
    )
