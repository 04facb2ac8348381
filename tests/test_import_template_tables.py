"""The national template's tables as scrapes of post-2019 reports leave them, one cell per line, imported
with `gongkai import` and read by the build: every labelled figure at its place, and a layout that is
broken or ambiguous left as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from factory import make_project

from generator.build.content import load_content
from generator.core.config import load_config
from generator.importing.importer import find_sources, import_files
from generator.pipeline import build_site

Figures = dict[tuple[str, str, str], int | float]
# A row as the text prints it: (table, row id, label as written, its cells; "" an empty cell).
Row = tuple[str, str, str, list[str]]

HEAD = "首页 > 政务公开 > 政府信息公开年报\n\n{title}\n\n发布时间：{published}  来源：凤庆县交通运输局\n\n"
OVERVIEW = (
    "一、总体情况\n\n{year}年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条，"
    "及时回应公众关切。\n\n二、主动公开政府信息情况\n\n"
)
TAIL = (
    "五、存在的主要问题及改进情况\n\n信息公开的及时性有待提高。\n\n六、其他需要报告的事项\n\n无。\n\n"
    "凤庆县交通运输局\n\n{signed}\n\n（此件公开发布）\n"
)
REQUEST_HEADER = [
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
]
APPLICANTS = (
    "natural_person",
    "legal.business",
    "legal.research",
    "legal.charity",
    "legal.legal_services",
    "legal.other",
    "total",
)
REQUEST_ROWS_2021 = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    (None, "三、本年度办理结果"),
    ("result.public", "（一）予以公开"),
    ("result.partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (None, "（三）不予公开"),
    ("result.refused.secret", "1.属于国家秘密"),
    ("result.refused.prohibited", "2.其他法律行政法规禁止公开"),
    ("result.refused.security", "3.危及“三安全一稳定”"),
    ("result.refused.third_party", "4.保护第三方合法权益"),
    ("result.refused.internal", "5.属于三类内部事务信息"),
    ("result.refused.process", "6.属于四类过程性信息"),
    ("result.refused.enforcement_file", "7.属于行政执法案卷"),
    ("result.refused.inquiry", "8.属于行政查询事项"),
    (None, "（四）无法提供"),
    ("result.unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("result.unavailable.not_existing", "2.没有现成信息需要另行制作"),
    ("result.unavailable.unclear", "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理"),
    ("result.not_handled.petition", "1.信访举报投诉类申请"),
    ("result.not_handled.repeated", "2.重复申请"),
    ("result.not_handled.publication", "3.要求提供公开出版物"),
    ("result.not_handled.excessive", "4.无正当理由大量反复申请"),
    ("result.not_handled.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理"),
    ("result.other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("result.other.overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("result.other.other", "3.其他"),
    ("total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
# The 2019 template: （六）其他处理 has no numbered rows, and the labels may be written in Traditional.
REQUEST_ROWS_2019 = [
    (row, label)
    for row, label in REQUEST_ROWS_2021
    if not row or (not row.startswith("result.other.") and row != "result.public")
]
REQUEST_ROWS_2019[REQUEST_ROWS_2019.index((None, "（六）其他处理"))] = ("result.other", "（六）其他处理")
REQUEST_ROWS_2019.insert(3, ("result.public", "（一）予以公開"))
APPEALS_TEMPLATE_LAYOUT = (
    "四、政府信息公开行政复议、行政诉讼情况\n\n行政复议\n\n行政诉讼\n\n未经复议直接起诉\n\n复议后起诉\n\n"
    + "结果维持\n\n结果纠正\n\n其他结果\n\n尚未审结\n\n总计\n\n" * 3
    + "0\n\n" * 15
)


def _figure(seed: int) -> str:
    return str(seed * 7 % 23)


def _value(cell: str) -> int | float:
    """A figure as the recogniser reads it (— marks a place left blank, and is no figure)."""
    return float(cell) if "." in cell else int(cell)


def _request_rows(labels: list[tuple[str | None, str]], start: int) -> list[Row]:
    rows = []
    for at, (row, label) in enumerate(labels):
        cells = [_figure(start + at * 7 + column) for column in range(len(APPLICANTS))] if row else []
        rows.append(("requests", row or "", label, cells))
    return rows


def _printed(rows: list[Row], blank_cell: str) -> str:
    """Rows one cell per line, each followed by a blank line; an empty cell is ``blank_cell``."""
    return "".join(f"{cell}\n\n" if cell else blank_cell for _, _, label, cells in rows for cell in [label, *cells])


def _lines(cells: list[str]) -> str:
    return "".join(f"{cell}\n\n" for cell in cells)


def _figures(rows: list[Row], columns: dict[str, tuple[str, ...]]) -> Figures:
    return {
        (table, row, column): _value(cell)
        for table, row, _, cells in rows
        if row
        for column, cell in zip(columns[table if table != "proactive" else row], cells, strict=True)
        if cell and cell != "—"
    }


PROACTIVE_2021: list[Row] = [
    ("proactive", "regulations", "规章", ["0", "", "2"]),
    ("proactive", "normative_documents", "行政规范性文件", ["3", "1", "12"]),
    ("proactive", "licensing", "行政许可", ["56"]),
    ("proactive", "penalty", "行政处罚", ["7"]),
    ("proactive", "enforcement", "行政强制", ["2"]),
    ("proactive", "fees", "行政事业性收费", ["12.5"]),
]
COLUMNS_2021 = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "enforcement": ("decisions",),
    "fees": ("fee_amount",),
    "requests": APPLICANTS,
}


def report_2021() -> tuple[str, Figures]:
    """A 2021 report as a portal's page copies: header cells one per line, a blank line for an empty cell."""
    rows = PROACTIVE_2021
    requests = _request_rows(REQUEST_ROWS_2021, 1)
    text = (
        HEAD.format(title="凤庆县交通运输局2021年政府信息公开工作年度报告", published="2022-01-20")
        + OVERVIEW.format(year=2021)
        + "第二十条第（一）项\n\n"
        + _lines(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        + _printed(rows[:2], "\n")
        + "第二十条第（五）项\n\n"
        + _lines(["信息内容", "本年处理决定数量"])
        + _printed(rows[2:3], "\n")
        + "第二十条第（六）项\n\n"
        + _lines(["信息内容", "本年处理决定数量"])
        + _printed(rows[3:5], "\n")
        + "第二十条第（八）项\n\n"
        + _lines(["信息内容", "本年收费金额（单位：万元）"])
        + _printed(rows[5:], "\n")
        + "三、收到和处理政府信息公开申请情况\n\n"
        + "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n\n"
        + _lines(REQUEST_HEADER)
        + _printed(requests, "\n")
        + APPEALS_TEMPLATE_LAYOUT
        + TAIL.format(signed="2022年1月20日")
    )
    return text, _figures([*rows, *requests], COLUMNS_2021)


PROACTIVE_2019: list[Row] = [
    ("proactive", "regulations", "规章", ["0", "0", "4"]),
    ("proactive", "normative_documents", "规范性文件", ["2", "2", "9"]),
    ("proactive", "licensing", "行政許可", ["11", "-1", "340"]),
    ("proactive", "other_services", "其他对外管理服务事项", ["3", "0", "25"]),
    ("proactive", "penalty", "行政处罚", ["6", "+2", "18"]),
    ("proactive", "enforcement", "行政强制", ["1", "0", "—"]),
    ("proactive", "fees", "行政事业性收费", ["2", "0"]),
    ("proactive", "procurement", "政府集中采购", ["5", "86.3"]),
]
COLUMNS_2019 = {
    "regulations": ("made", "published", "published_total"),
    "normative_documents": ("made", "published", "published_total"),
    "licensing": ("items_last_year", "items_change", "decisions"),
    "other_services": ("items_last_year", "items_change", "decisions"),
    "penalty": ("items_last_year", "items_change", "decisions"),
    "enforcement": ("items_last_year", "items_change", "decisions"),
    "fees": ("items_last_year", "items_change"),
    "procurement": ("procurement_items", "procurement_amount"),
    "requests": APPLICANTS,
}


def report_2019() -> tuple[str, Figures]:
    """A report on 2020 in the 2019 template: one header on one line, one section without a header, a
    label in Traditional characters, a ``|`` after each cell of one section."""
    rows = PROACTIVE_2019
    requests = _request_rows(REQUEST_ROWS_2019, 3)
    piped = "".join(f"{cell} |\n\n" for _, _, label, cells in rows[6:7] for cell in [label, *cells])
    text = (
        HEAD.format(title="凤庆县交通运输局2020年政府信息公开工作年度报告", published="2021-01-15")
        + OVERVIEW.format(year=2020)
        + "第二十条第（一）项\n\n"
        + _lines(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
        + _printed(rows[:2], "\n")
        + "第二十条第（五）项\n\n信息内容　上一年项目数量　本年增/减　处理决定数量\n\n"
        + _printed(rows[2:4], "\n")
        + "第二十条第（六）项\n\n"
        + _printed(rows[4:6], "\n")
        + "第二十条第（八）项\n\n信息内容 |\n\n上一年项目数量 |\n\n本年增/减 |\n\n"
        + piped
        + "第二十条第（九）项\n\n"
        + _lines(["信息内容", "采购项目数量", "采购总金额"])
        + _printed(rows[7:], "\n")
        + "三、收到和处理政府信息公开申请情况\n\n"
        + _lines(REQUEST_HEADER)
        + _printed(requests, "\n")
        + TAIL.format(signed="2021年1月15日")
    )
    return text, _figures([*rows, *requests], COLUMNS_2019)


def _import_and_build(root: Path, texts: dict[str, str]) -> tuple[dict[str, object], dict[str, str]]:
    """Each raw text imported into an archive that is then built: each report's statistics and body,
    by the raw file's name."""
    make_project(root, {})
    for name, text in texts.items():
        (root / "raw").mkdir(exist_ok=True)
        (root / "raw" / name).write_text(text, encoding="utf-8")
    sources, refused = find_sources([root / "raw"])
    items, problems = import_files(sources, root / "content", None, force=False, dry_run=False)
    assert (refused, problems) == ([], [])
    build_site(root)
    content = load_content(load_config(root))
    assert len(content.reports) == len(texts), "every report is published, none held as a draft"
    reports = {(root / "content" / report.id).resolve(): report for report in content.reports}
    statistics = {item.source.path.name: reports[item.target.resolve()].statistics for item in items}
    bodies = {item.source.path.name: item.target.read_text(encoding="utf-8") for item in items}
    return statistics, bodies


def _read(statistics: object) -> Figures:
    if statistics is None:
        return {}
    return {(cell.table, cell.row, cell.column): cell.value for cell in statistics.cells}  # type: ignore[attr-defined]


def _kept(raw: str, body: str) -> bool:
    """Whether every character of the raw text's lines (whitespace and the ``|`` around a cell aside) is
    in the content file, in order."""
    flat = re.sub(r"[\s|\\]", "", body)
    at = 0
    for line in raw.splitlines():
        part = re.sub(r"[\s|]", "", line)
        found = flat.find(part, at) if part else at
        if found < 0:
            return False
        at = found + len(part)
    return True


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "archive"


def test_every_labelled_figure_of_both_templates_is_read_at_its_place(archive: Path) -> None:
    text_2021, figures_2021 = report_2021()
    text_2019, figures_2019 = report_2019()
    statistics, bodies = _import_and_build(archive, {"a2021.txt": text_2021, "b2019.txt": text_2019})
    assert _read(statistics["a2021.txt"]) == figures_2021
    assert statistics["a2021.txt"].template == "2021"  # type: ignore[attr-defined]
    assert _read(statistics["b2019.txt"]) == figures_2019
    assert statistics["b2019.txt"].template == "2019"  # type: ignore[attr-defined]
    body = bodies["a2021.txt"]
    assert "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |" in body
    assert "| 规章 | 0 |   | 2 |" in body, "a blank line is an empty cell"
    assert "| 申请人情况 | 自然人 | 法人或其他组织 |   |   |   |   | 总计 |" in body
    assert "|   |   | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |   |" in body
    assert "\n\n第二十条第（一）项\n\n" in body, "a caption stays a line of text"
    assert "\n\n行政复议\n\n" in body, "the appeals table, with no row labels, stays as written"
    assert "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |" in bodies["b2019.txt"]
    assert "|   | 上一年项目数量 | 本年增/减 | 处理决定数量 |" in bodies["b2019.txt"], "the template's labels"
    assert "| 行政許可 | 11 | -1 | 340 |" in bodies["b2019.txt"]
    for name, text in (("a2021.txt", text_2021), ("b2019.txt", text_2019)):
        assert _kept(text[text.index("一、总体情况") : text.index("凤庆县交通运输局\n\n20")], bodies[name])


# Broken layouts of 第二十条第（一）项 (2021), each with what it does to the section's lines.
BROKEN = {
    "a figure missing": "规章\n\n0\n\n0\n\n行政规范性文件\n\n3\n\n1\n\n12\n\n",
    "an extra line": "规章\n\n0\n\n0\n\n2\n\n5\n\n行政规范性文件\n\n3\n\n1\n\n12\n\n",
    "text among figures": "规章\n\n0\n\n见附件\n\n2\n\n行政规范性文件\n\n3\n\n1\n\n12\n\n",
    "an empty cell more than the columns": "规章\n\n0\n\n\n\n0\n\n2\n\n行政规范性文件\n\n3\n\n1\n\n12\n\n",
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_layout_is_left_as_written(archive: Path, case: str) -> None:
    text, _ = report_2021()
    start = text.index("规章\n\n")
    end = text.index("第二十条第（五）项")
    broken = text[:start] + BROKEN[case] + text[end:]
    statistics, bodies = _import_and_build(archive, {"report.txt": broken})
    read = _read(statistics["report.txt"])
    assert not [place for place in read if place[1] in ("regulations", "normative_documents")]
    assert ("proactive", "licensing", "decisions") in read, "the other sections are still read"
    body = bodies["report.txt"]
    assert "| 规章 |" not in body and "| 行政规范性文件 |" not in body and "| 信息内容 | 本年制发件数" not in body
    assert "\n\n本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n规章\n\n0\n\n" in body
    assert _kept(broken[broken.index("一、总体情况") : broken.index("凤庆县交通运输局\n\n20")], body)


def test_a_label_without_a_version_to_give_its_columns_stays_as_written(archive: Path) -> None:
    """No header, no year anywhere, labels both templates write: three figures could be either's."""
    text = (
        "凤庆县交通运输局政府信息公开工作年度报告\n\n一、总体情况\n\n我局认真贯彻落实《条例》。\n\n"
        "二、主动公开政府信息情况\n\n规章\n\n0\n\n0\n\n4\n\n三、收到和处理政府信息公开申请情况\n\n"
        "一、本年新收政府信息公开申请数量\n\n1\n\n0\n\n0\n\n0\n\n0\n\n0\n\n1\n\n凤庆县交通运输局\n\n（此件公开发布）\n"
    )
    make_project(archive, {})
    (archive / "report.txt").write_text(text, encoding="utf-8")
    sources, _ = find_sources([archive / "report.txt"])
    import_files(sources, archive / "content", None, force=False, dry_run=False)
    body = next((archive / "content").rglob("*.md")).read_text(encoding="utf-8")
    assert "\n\n规章\n\n0\n\n0\n\n4\n\n" in body
    assert "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |" in body, "both templates agree here"
