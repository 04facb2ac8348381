"""The figures of the national template's tables as the archive shows them: ``data/statistics.json`` and
``.csv`` (one row per figure, described by a schema), the summary line and broken sums of a report page,
figures right-aligned in its tables; nothing of a report that is not public."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import pytest
from factory import make_project, report_text

from generator.build.catalogue import build_catalogue
from generator.build.content import Report, load_content
from generator.build.exports import STATISTICS_CSV, STATISTICS_JSON, STATISTICS_SCHEMA, export_files, schema_file
from generator.build.plan import plan_site
from generator.build.render import Renderer
from generator.core.config import load_config
from generator.statistics.model import Broken, Cell, Statistics
from generator.statistics.outputs import COLUMNS, cell_records, mark_number_cells, page_data, shown

# 一+二 = 三（七）+四 in the 总计 column: 10 + 2 = 9 + 3.
REQUESTS = Statistics(
    "2021",
    (
        Cell("requests", "new", "natural_person", 7, 20),
        Cell("requests", "new", "total", 10, 20),
        Cell("requests", "carried_over", "total", 2, 21),
        Cell("requests", "result.public", "total", 5, 23),
        Cell("requests", "result.refused.secret", "legal.business", 1, 26),
        Cell("requests", "result.refused.secret", "total", 1, 26),
        Cell("requests", "result.refused.third_party", "total", 2, 29),
        Cell("requests", "total", "total", 9, 50),
        Cell("requests", "carried_forward", "total", 3, 51),
        Cell("proactive", "fees", "fee_amount", 12.5, 10),
    ),
    (),
)
BROKEN = Broken(
    "requests.balance", "三、收到和处理政府信息公开申请情况（自然人）: 一+二 = 120, 三（七）+四 = 118", 120, 118, 30
)


def test_each_figure_is_a_row_with_the_labels_its_template_writes() -> None:
    rows = cell_records("reports/2021/a.html", "某局", ("云南省", "临沧市"), 2021, REQUESTS)
    assert len(rows) == len(REQUESTS.cells) and all(tuple(row) == COLUMNS for row in rows)
    refused = rows[4]
    assert refused == {
        "page": "reports/2021/a.html",
        "agency": "某局",
        "region": ["云南省", "临沧市"],
        "year": 2021,
        "template": "2021",
        "table": "requests",
        "row": "result.refused.secret",
        "column": "legal.business",
        "table_label": "三、收到和处理政府信息公开申请情况",
        "row_label": "三、本年度办理结果·（三）不予公开·1.属于国家秘密",
        "column_label": "法人或其他组织·商业企业",
        "value": 1,
    }
    assert rows[-1]["value"] == 12.5 and rows[-1]["column_label"] == "本年收费金额（单位：万元）"


def test_a_2019_report_is_labelled_as_the_2019_template_writes() -> None:
    statistics = Statistics("2019", (Cell("proactive", "normative_documents", "made", 4, 3),), ())
    [row] = cell_records("reports/2019/a.html", "某局", ("某省",), 2019, statistics)
    assert (row["template"], row["row_label"], row["column_label"]) == ("2019", "规范性文件", "本年新制作数量")
    [row] = cell_records(
        "reports/2021/a.html", "某局", ("某省",), 2021, dataclasses.replace(statistics, template="2021")
    )
    assert row["row_label"] == "行政规范性文件"


def test_the_summary_takes_the_total_column_and_adds_up_numbered_rows() -> None:
    assert page_data(REQUESTS) == {
        "clauses": [
            {
                "name": "received",
                "n": "12",
                "detail": [{"name": "new", "n": "10"}, {"name": "carried_over", "n": "2"}],
            },
            {"name": "public", "n": "5", "detail": []},
            # 1.属于国家秘密 and 4.保护第三方合法权益: 不予公开 is written only as its numbered rows.
            {"name": "refused", "n": "3", "detail": []},
            {"name": "carried_forward", "n": "3", "detail": []},
        ],
        "broken": [],
    }


def test_the_summary_leaves_out_what_the_tables_do_not_give() -> None:
    cells = (
        Cell("requests", "new", "total", 4, 1),
        Cell("requests", "result.refused", "total", 6, 2),  # the heading row's own total wins over its rows
        Cell("requests", "result.refused.secret", "total", 1, 3),
        Cell("requests", "result.public", "natural_person", 9, 4),  # not the 总计 column
    )
    data = page_data(Statistics("2021", cells, (BROKEN,)))
    assert data["clauses"] == [
        {"name": "received", "n": "4", "detail": [{"name": "new", "n": "4"}]},
        {"name": "refused", "n": "6", "detail": []},
    ]
    assert data["broken"] == [BROKEN.text]
    assert page_data(Statistics("2021", (), ())) == {"clauses": [], "broken": []}


@pytest.mark.parametrize(
    ("value", "written"),
    [(12, "12"), (0, "0"), (12.5, "12.5"), (3.0, "3"), (0.1 + 0.2, "0.3"), (1234567.89, "1234567.89")],
)
def test_figures_are_shown_as_reports_write_them(value: float, written: str) -> None:
    assert shown(value) == written


def test_cells_that_hold_a_number_are_marked_and_nothing_else_changes() -> None:
    html = (
        "<table><thead><tr><th>项目</th><th>总计</th></tr></thead><tbody>"
        "<tr><td>1.属于国家秘密</td><td>12</td></tr><tr><td>自然人</td><td>1,234</td></tr>"
        '<tr><td>其他</td><td>３</td></tr><tr><td>2021</td><td>12.5%</td></tr><tr><td>—</td><td style="x">7</td></tr>'
        "</tbody></table>"
    )
    marked = mark_number_cells(html)
    assert marked.count('<td class="number">') == 5
    assert '<td>1.属于国家秘密</td><td class="number">12</td>' in marked and '<td style="x">7</td>' in marked
    assert marked.replace(' class="number"', "") == html


# Hand-made figures on real reports: the outputs without the recognition of tables.
TABLE = (
    "## 三、收到和处理政府信息公开申请情况\n\n| 项目 | 总计 |\n|---|---|\n| 一、本年新收 | 10 |\n| 二、上年结转 | 2 |\n"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        "content/a.md": report_text(
            body=TABLE, title="甲局2021年报告", agency="甲局", region=["云南省", "临沧市"], year=2021, slug="a"
        ),
        "content/b.md": report_text(title="乙局2021年报告", agency="乙局", year=2021, date="2022-01-20", slug="b"),
        "content/c.md": report_text(body=TABLE, title="丙局2020年报告", agency="丙局", year=2020, slug="c"),
    }
    return make_project(
        tmp_path_factory.mktemp("outputs"), files, config="title: 测试档案\nbase_url: https://x.org/a/\n"
    )


def _reports(project: Path) -> list[Report]:
    """The project's reports, a with the figures above, b with a broken sum too, c with none."""
    figures = {"a.md": REQUESTS, "b.md": Statistics("2021", REQUESTS.cells[:3], (BROKEN,))}
    content = load_content(load_config(project))
    return [dataclasses.replace(report, statistics=figures.get(report.id)) for report in content.reports]


def _exports(project: Path, reports: list[Report]) -> dict[str, bytes]:
    catalogue = build_catalogue(reports)
    config = load_config(project)
    plan = plan_site(catalogue, config)
    return dict(export_files(catalogue, plan.report_paths, config.base_url, config.title))


def test_the_data_files_hold_every_figure_and_validate(project: Path) -> None:
    files = _exports(project, _reports(project))
    document = json.loads(files[STATISTICS_JSON])
    schema = json.loads(schema_file(STATISTICS_SCHEMA).read_bytes())
    jsonschema.Draft202012Validator(schema).validate(document)
    assert files[STATISTICS_SCHEMA] == schema_file(STATISTICS_SCHEMA).read_bytes()
    # b is the newest (signed 2022-01-20), then a; c has no figures.
    pages = [cell["page"] for cell in document["cells"]]
    assert pages == ["reports/2021/b.html"] * 3 + ["reports/2021/a.html"] * len(REQUESTS.cells)
    assert document["count"] == len(pages) and document["base_url"] == "https://x.org/a/"
    assert document["$schema"] == "statistics.schema.json"
    data = files[STATISTICS_CSV]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(pages)
    assert rows[-1]["value"] == "12.5" and rows[3]["region"] == "云南省 / 临沧市"
    assert [float(row["value"]) for row in rows] == [cell["value"] for cell in document["cells"]]
    # One figure per line, so that a change to a report is a change to its lines.
    assert files[STATISTICS_JSON].decode().count("\n") == len(pages) + 8


def test_the_schema_refuses_what_is_not_a_figure(project: Path) -> None:
    document = json.loads(_exports(project, _reports(project))[STATISTICS_JSON])
    validator = jsonschema.Draft202012Validator(json.loads(schema_file(STATISTICS_SCHEMA).read_bytes()))
    for key, wrong in (("value", "12"), ("table", "other"), ("template", "2020"), ("row", "结果")):
        cell = {**document["cells"][0], key: wrong}
        assert not validator.is_valid({**document, "cells": [cell]}), key


def test_the_data_files_are_the_same_bytes_whatever_the_order_reports_are_read_in(project: Path) -> None:
    reports = _reports(project)
    assert _exports(project, reports) == _exports(project, reports[::-1])


def _pages(project: Path, reports: list[Report]) -> dict[str, str]:
    config = load_config(project)
    plan = plan_site(build_catalogue(reports), config)
    files = {job.path for job in plan.jobs} | {"assets/style.css", "assets/cite.js", "assets/script-switch.js"}
    jobs = [job for job in plan.jobs if job.template == "report.html"]
    return {page.path: bytes(page.data).decode() for page in Renderer(config).render(jobs, files)}


def test_a_report_page_shows_the_summary_line_and_the_sums_that_do_not_add_up(project: Path) -> None:
    pages = _pages(project, _reports(project))
    a, b = pages["reports/2021/a.html"], pages["reports/2021/b.html"]
    assert "<p>收到申请 12 件（新收 10，上年结转 2），予以公开 5 件，不予公开 3 件，结转下年度 3 件</p>" in a
    assert "statistics-broken" not in a
    assert "<p>收到申请 12 件（新收 10，上年结转 2）</p>" in b
    assert '<details class="statistics-broken">\n      <summary>表中数字不合勾稽关系：1 处</summary>' in b
    assert f"<li>{BROKEN.text}</li>" in b
    assert "statistics-summary" not in pages["reports/2020/c.html"]


def test_figures_in_the_tables_of_a_page_with_statistics_line_up(project: Path) -> None:
    pages = _pages(project, _reports(project))
    assert '<td>一、本年新收</td>\n<td class="number">10</td>' in pages["reports/2021/a.html"]
    # The same table in a report without figures is rendered as it always was.
    assert "<td>一、本年新收</td>\n<td>10</td>" in pages["reports/2020/c.html"]


def test_a_page_without_figures_is_made_from_the_same_data_as_before(project: Path) -> None:
    """Pages are reused by the digest of their data: a report without figures must add nothing to it."""
    reports = _reports(project)
    jobs = {job.path: job for job in plan_site(build_catalogue(reports), load_config(project)).jobs}
    assert "statistics" not in jobs["reports/2020/c.html"].context
    assert "statistics" in jobs["reports/2021/a.html"].context
    without = plan_site(
        build_catalogue([dataclasses.replace(r, statistics=None) for r in reports]), load_config(project)
    )
    assert {job.path: job for job in without.jobs}["reports/2020/c.html"] == jobs["reports/2020/c.html"]
