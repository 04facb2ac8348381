"""The figures of the national template's tables as the archive shows them: ``data/statistics.json`` and
``.csv`` (one row per figure, described by a schema), the summary line and broken sums of a report page,
figures right-aligned in its tables; nothing of a report that is not public."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import jsonschema
import pytest
from factory import make_project, report_text
from scanning import traces
from templated import APPLICANTS, REQUESTS_HEAD, Figures, line, template_archive

from generator.build.catalogue import build_catalogue
from generator.build.content import Report, load_content
from generator.build.exports import STATISTICS_CSV, STATISTICS_JSON, STATISTICS_SCHEMA, export_files, schema_file
from generator.build.plan import plan_site
from generator.build.render import Renderer
from generator.core.config import load_config
from generator.pipeline import build_site
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


def _summary(html: str) -> str | None:
    """The words of a page's summary line, each figure kept with its words."""
    found = re.search(r'<section class="statistics-summary"[^>]*>\s*<p>(.*?)</p>', html)
    if found is None:
        return None
    assert re.fullmatch(r"(<span>[^<]*</span>[^<]*)+", found[1]), found[1]
    return re.sub(r"</?span>", "", found[1])


def test_a_report_page_shows_the_summary_line_and_the_sums_that_do_not_add_up(project: Path) -> None:
    pages = _pages(project, _reports(project))
    a, b = pages["reports/2021/a.html"], pages["reports/2021/b.html"]
    assert _summary(a) == "收到申请 12 件（新收 10，上年结转 2），予以公开 5 件，不予公开 3 件，结转下年度 3 件"
    assert "statistics-broken" not in a
    assert _summary(b) == "收到申请 12 件（新收 10，上年结转 2）"
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


# Figures no published report holds, in reports that are not published: a leak shows as the number itself.
_SECRET_FIGURES = {"withheld": 80417311, "asked": 80417322, "draft": 80417333, "secret-draft": 80417344}
_REDACTED_FIGURE, _KEPT_FIGURE = 80417355, 80417366


def _one_figure_table(figure: int) -> str:
    """三、收到和处理政府信息公开申请情况 with ``figure`` as 一、本年新收 from 自然人 and in all."""
    zeros = ["0"] * 5
    return (
        REQUESTS_HEAD
        + line("一、本年新收政府信息公开申请数量", [str(figure), *zeros, str(figure)])
        + line("（一）予以公开", [str(figure), *zeros, str(figure)])
    )


def _one_figure_figures(figure: int) -> Figures:
    """What ``_one_figure_table(figure)`` says."""
    rows, columns = ("new", "result.public"), (*APPLICANTS, "total")
    return {
        ("requests", row, column): figure if column in ("natural_person", "total") else 0
        for row in rows
        for column in columns
    }


def _not_public() -> dict[str, str]:
    """Reports with template figures that must never be published, by agencies that publish others."""
    files = {}
    for name, figure in _SECRET_FIGURES.items():
        disclosure = "依申请公开" if name == "asked" else "不予公开" if name != "draft" else "主动公开"
        text = report_text(
            body=_one_figure_table(figure), agency="临沧市民政局", region=["云南省", "临沧市"], year=2022, slug=name
        )
        text = text.replace("disclosure: 主动公开", f"disclosure: {disclosure}")
        files[f"content/{name}.md"] = text.replace("---\n", "---\ndraft: true\n", 1) if "draft" in name else text
    body = (
        f"## 三、收到和处理政府信息公开申请情况\n\n{_one_figure_table(_KEPT_FIGURE)}\n"
        f"[删减：涉及个人隐私]\n\n{_one_figure_table(_REDACTED_FIGURE)}\n[/删减]\n"
    )
    files["content/redacted.md"] = report_text(body=body, disclosure="删减后公开", year=2022, slug="redacted")
    return files


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Figures], set[str]]:
    files, figures, broken = template_archive(300)
    root = make_project(tmp_path_factory.mktemp("archive"), {**files, **_not_public()})
    result = build_site(root)
    assert result.reports == 301 and len(result.withheld) == 4
    return root / "site", figures, broken


def _cells(site: Path) -> list[dict]:
    return json.loads((site / STATISTICS_JSON).read_text(encoding="utf-8"))["cells"]


def _slug(page: str) -> str:
    return page.rsplit("/", 1)[1].removesuffix(".html")


def test_the_data_files_hold_the_figures_the_reports_write(archive: tuple[Path, dict[str, Figures], set[str]]) -> None:
    site, figures, _ = archive
    cells = _cells(site)
    found: dict[str, Figures] = {}
    for cell in cells:
        found.setdefault(_slug(cell["page"]), {})[(cell["table"], cell["row"], cell["column"])] = cell["value"]
    figures = {**figures, "redacted": _one_figure_figures(_KEPT_FIGURE)}
    assert found == figures
    validator = jsonschema.Draft202012Validator(json.loads(schema_file(STATISTICS_SCHEMA).read_bytes()))
    validator.validate(json.loads((site / STATISTICS_JSON).read_bytes()))
    assert (site / STATISTICS_SCHEMA).read_bytes() == schema_file(STATISTICS_SCHEMA).read_bytes()


def test_sums_by_agency_and_year_equal_the_sums_of_the_reports(
    archive: tuple[Path, dict[str, Figures], set[str]], tmp_path: Path
) -> None:
    site, figures, _ = archive
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["reports"]
    expected: dict[tuple, float] = defaultdict(float)
    for record in catalogue:
        for (table, row, column), value in figures.get(record["slug"], {}).items():
            expected[record["agency"], record["year"], table, row, column] += value
    rows = list(csv.DictReader(io.StringIO((site / STATISTICS_CSV).read_bytes().decode("utf-8-sig"))))
    summed: dict[tuple, float] = defaultdict(float)
    for row in rows:
        if _slug(row["page"]) != "redacted":
            summed[row["agency"], int(row["year"]), row["table"], row["row"], row["column"]] += float(row["value"])
    assert summed.keys() == expected.keys()
    assert summed == pytest.approx(expected)
    # The withheld reports' agency publishes too: its sums are those of its published reports alone.
    assert any(key[0] == "临沧市民政局" for key in expected)
    assert len(rows) == len(_cells(site)) and {tuple(row) for row in rows} == {COLUMNS}


def test_the_data_files_are_the_same_bytes_from_build_to_build(archive: tuple[Path, dict, set]) -> None:
    site = archive[0]
    again = build_site(site.parent, site.parent / "again").out
    for path in (STATISTICS_JSON, STATISTICS_CSV, STATISTICS_SCHEMA):
        assert (again / path).read_bytes() == (site / path).read_bytes(), path
    assert (site / STATISTICS_CSV).read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_home_page_links_the_data_files(archive: tuple[Path, dict, set]) -> None:
    home = (archive[0] / "index.html").read_text(encoding="utf-8")
    assert '<a href="data/statistics.json" type="application/json">下载统计数据（JSON）</a>' in home
    assert '<a href="data/statistics.csv" type="text/csv">CSV</a>' in home


def test_report_pages_sum_up_their_tables_and_note_broken_sums(
    archive: tuple[Path, dict[str, Figures], set[str]],
) -> None:
    site, figures, broken = archive
    for slug, figured in list(figures.items())[:40]:
        [page] = site.glob(f"reports/*/{slug}.html")
        html = page.read_text(encoding="utf-8")
        total = {
            row: value for (table, row, column), value in figured.items() if table == "requests" and column == "total"
        }
        refused = sum(value for row, value in total.items() if row.startswith("result.refused."))
        new, over = total["new"], total["carried_over"]
        received = f"收到申请 {new + over} 件（新收 {new}，上年结转 {over}）"
        rest = f"予以公开 {total['result.public']} 件，不予公开 {refused} 件，结转下年度 {total['carried_forward']} 件"
        assert _summary(html) == f"{received}，{rest}", slug
        assert ('<details class="statistics-broken">' in html) == (slug in broken), slug
        assert '<td class="number">' in html
    [page] = site.glob(f"reports/*/{sorted(broken)[0]}.html")
    html = page.read_text(encoding="utf-8")
    assert "<summary>表中数字不合勾稽关系：2 处</summary>" in html
    assert "<li>三、收到和处理政府信息公开申请情况（总计）: 一+二 = " in html
    without = next(site.glob("reports/*/s0003.html")).read_text(encoding="utf-8")
    assert "statistics-summary" not in without and 'class="number"' not in without


@pytest.mark.parametrize("figure", [*_SECRET_FIGURES.values(), _REDACTED_FIGURE])
def test_no_figure_of_what_is_not_public_reaches_any_file(archive: tuple[Path, dict, set], figure: int) -> None:
    assert traces(archive[0], str(figure)) == []


def test_the_scan_finds_a_published_figure_in_the_data_files_and_the_page(archive: tuple[Path, dict, set]) -> None:
    found = traces(archive[0], str(_KEPT_FIGURE))
    for place in (STATISTICS_JSON, STATISTICS_CSV, "reports/2022/redacted.html"):
        assert f"{place} (text)" in found, found
