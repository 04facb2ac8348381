"""The template's tables recognised in reports as written, each figure on its item."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from factory import make_project, report_text
from opencc import OpenCC
from test_statistics_reports import (
    EXPECTED_PROACTIVE_2019,
    EXPECTED_PROACTIVE_2021,
    Writing,
    appeals_table,
    consistent_figures,
    expected_appeals,
    expected_requests,
    report_body,
    requests_table,
)

from generator.build.content import load_content
from generator.core.config import load_config
from generator.statistics.templates import label

APPEAL_FIGURES = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
CORPUS = Path(__file__).parent / "fixtures" / "corpus"
_TRADITIONAL = OpenCC("s2t")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def load(tmp_path: Path, body: str, year: int = 2022) -> object:
    """The report's statistics, as the build loads them."""
    root = make_project(tmp_path / "project", {"content/r.md": report_text(body, year=year)})
    content = load_content(load_config(root))
    assert not content.problems, content.problems
    (report,) = content.reports
    return report.statistics


def figures_of(statistics: object) -> dict:
    return {(cell.table, cell.row, cell.column): cell.value for cell in statistics.cells}


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_complete_template_tables_put_every_figure_on_its_item(tmp_path: Path, template: str) -> None:
    figures = consistent_figures(template)
    body = report_body(template, requests_table(template, figures), appeals_table(APPEAL_FIGURES))
    statistics = load(tmp_path, body, year=int(template) + 1)
    proactive = EXPECTED_PROACTIVE_2021 if template == "2021" else EXPECTED_PROACTIVE_2019
    assert statistics.template == template
    assert figures_of(statistics) == {
        **proactive,
        **expected_requests(template, figures),
        **expected_appeals(APPEAL_FIGURES),
    }
    assert statistics.broken == ()


def test_cells_carry_the_content_file_line_of_their_row(tmp_path: Path) -> None:
    figures = consistent_figures("2021")
    body = report_body("2021", requests_table("2021", figures), appeals_table(APPEAL_FIGURES))
    statistics = load(tmp_path, body)
    lines = (tmp_path / "project" / "content" / "r.md").read_text(encoding="utf-8").split("\n")
    for cell in statistics.cells:
        written = lines[cell.line - 1]
        assert written.startswith("|"), (cell, written)
        if cell.table == "requests":
            assert label(cell.table, cell.row).split("（")[-1][:4] in written or cell.row == "result.public"


def test_the_version_follows_the_labels_not_the_year(tmp_path: Path) -> None:
    """A 2020 report filed on the 2021 template's 第二十条 columns is read as the 2021 template."""
    figures = consistent_figures("2021")
    body = report_body("2021", requests_table("2021", figures), "")
    assert load(tmp_path, body, year=2020).template == "2021"


def _messy(tmp_path: Path, writing: Writing, left_out: frozenset[str] = frozenset(), scale: int = 1) -> None:
    figures = {row: [n * scale for n in values] for row, values in consistent_figures("2021").items()}
    writing = dataclasses.replace(writing, left_out=left_out)
    statistics = load(tmp_path, report_body("2021", requests_table("2021", figures, writing), ""))
    expected = expected_requests("2021", figures, left_out)
    assert {k: v for k, v in figures_of(statistics).items() if k[0] == "requests"} == expected
    assert statistics.broken == ()


def test_spaces_inside_labels(tmp_path: Path) -> None:
    _messy(tmp_path, Writing(label=lambda text: " ".join(text)))


def test_traditional_characters(tmp_path: Path) -> None:
    body_label = _TRADITIONAL.convert
    _messy(tmp_path, Writing(label=body_label))
    # The text is never changed: the page shows what the report wrote.
    written = (tmp_path / "project" / "content" / "r.md").read_text(encoding="utf-8")
    assert "法人或其他組織" in written


def test_full_width_digits_and_thousands_separators(tmp_path: Path) -> None:
    _messy(tmp_path, Writing(figure=lambda n: f"{n:,}".translate(_FULL_WIDTH)), scale=1000)


def test_empty_trailing_cells(tmp_path: Path) -> None:
    _messy(tmp_path, Writing(trailing=2))


def test_rows_left_out_when_empty(tmp_path: Path) -> None:
    figures = consistent_figures("2021")
    empty = frozenset(row for row, values in figures.items() if not any(values))
    assert empty, "the labelled figures should have empty rows"
    _messy(tmp_path, Writing(), left_out=empty)


def test_a_header_label_split_over_two_rows(tmp_path: Path) -> None:
    header = (
        ("申请人情况", "", "", "", "", "", "", "", "", ""),
        ("", "", "", "自然", "法人或其他组织", "", "", "", "", "总"),
        ("", "", "", "人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "计"),
    )
    _messy(tmp_path, Writing(header=header))


def test_a_header_that_cannot_be_read_leaves_rows_read_by_position(tmp_path: Path) -> None:
    """A table copied from a PDF: the header is in pieces, the rows are whole."""
    header = (("业", "构", "益组织", "务机构", "", "", "", ""),)
    _messy(tmp_path, Writing(header=header, one_label=True))


def test_rows_read_by_position_only_when_their_places_are_certain(tmp_path: Path) -> None:
    """Without a header, a row whose label cells leave blanks before its figures could have a blank
    figure there: its seven figures might not be the template's seven."""
    header = (("业", "构", "益组织", "务机构", "", "", "", "", "", ""),)
    figures = consistent_figures("2021")
    body = report_body("2021", requests_table("2021", figures, Writing(header=header)), "")
    found = figures_of(load(tmp_path, body))
    # | 一、本年新收… | | | 7 figures |: nine places.
    assert not any(row == "new" for _, row, _ in found)
    # | | | 2.其他法律行政法规禁止公开 | 7 figures |: the label's cell is just before the figures.
    assert found[("requests", "result.refused.prohibited", "total")] == figures["result.refused.prohibited"][6]


def test_a_header_that_contradicts_the_template_order_leaves_the_rows_out(tmp_path: Path) -> None:
    """The header names 总计 where the template has 商业企业: which is right is not known."""
    header = (("", "", "", "自然人", "总计", "科研机构", "社会公益组织", "法律服务机构", "其他", "商业企业"),)
    figures = consistent_figures("2021")
    body = report_body("2021", requests_table("2021", figures, Writing(header=header)), "")
    statistics = load(tmp_path, body)
    requests = {k: v for k, v in figures_of(statistics).items() if k[0] == "requests"}
    # Placed by this header, the figures are where it says (a report may order its columns so).
    assert requests[("requests", "new", "total")] == figures["new"][1]


def test_a_row_with_a_cell_missing_is_left_out_whole(tmp_path: Path) -> None:
    body = (
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 22 | 235 |\n| 行政规范性文件 | 3 | 0 | 8 |\n"
    )
    statistics = load(tmp_path, body)
    assert figures_of(statistics) == {
        ("proactive", "normative_documents", "issued"): 3,
        ("proactive", "normative_documents", "repealed"): 0,
        ("proactive", "normative_documents", "in_force"): 8,
    }


def test_text_without_template_tables_has_no_statistics(tmp_path: Path) -> None:
    body = "## 一、总体情况\n\n| 项目 | 数量 |\n|---|---|\n| 网站发布信息 | 2139 |\n"
    assert load(tmp_path, body) is None


def test_appeals_with_a_garbled_header_are_read_by_their_fifteen_figures(tmp_path: Path) -> None:
    body = (
        "| 维持 | 纠正 | 结果 | 审结 | 结果 | 结果 | 其他 | 尚未 | 结果 | 结果 | 其他 | 尚未 |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {' | '.join(map(str, APPEAL_FIGURES))} |\n"
    )
    assert figures_of(load(tmp_path, body)) == expected_appeals(APPEAL_FIGURES)


def _corpus(tmp_path: Path, name: str) -> dict:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return figures_of(load(tmp_path, text, year=2024))


def test_corpus_shuyang_ocr_tables(tmp_path: Path) -> None:
    found = _corpus(tmp_path, "g-kiro-js-shuyang-2025-ocrmd.txt")
    assert found[("proactive", "licensing", "decisions")] == 517645
    assert found[("proactive", "fees", "fee_amount")] == 4068.208
    assert found[("requests", "new", "total")] == 713
    assert found[("requests", "result.other.overdue_fee", "natural_person")] == 7
    assert found[("requests", "total", "total")] == 718
    assert found[("requests", "carried_forward", "natural_person")] == 31
    # 行政复议 and 行政诉讼 are told apart only by headings outside the tables: not read.
    assert not any(table == "appeals" for table, _, _ in found)


def test_corpus_kewei_pdf_tables(tmp_path: Path) -> None:
    found = _corpus(tmp_path, "g-kiro-sh-kewei-2024-pdfmd.md")
    assert found[("proactive", "normative_documents", "in_force")] == 55
    assert found[("requests", "new", "natural_person")] == 32
    assert found[("requests", "result.public", "total")] == 9
    assert found[("requests", "total", "total")] == 35
    # 四、结转 leaves its 总计 blank: no figure, not 0.
    assert ("requests", "carried_forward", "total") not in found
    # Rows of figures whose labels went elsewhere in the PDF are not guessed.
    assert ("requests", "result.partial", "natural_person") not in found
    assert found[("appeals", "review", "upheld")] == 1
    assert found[("appeals", "review", "total")] == 1


def test_corpus_shanghai_office_pdf_tables(tmp_path: Path) -> None:
    found = _corpus(tmp_path, "g-kiro-sh-office-2025-pdfmd.md")
    # 规章 | 22 | 235: three columns, two figures.
    assert not any(table == "proactive" for table, _, _ in found)
    assert found[("requests", "new", "total")] == 1295
    assert found[("requests", "result.refused.third_party", "total")] == 0
    assert found[("requests", "result.unavailable.not_held", "natural_person")] == 484
    assert found[("requests", "carried_forward", "total")] == 293
    # Its 15 figures sit under a header naming 总计 where the template has 结果维持.
    assert not any(table == "appeals" for table, _, _ in found)
