"""Labelled reports for the statistics tests: the national template's tables written out as a report's
Markdown, with every figure known, and the ways real reports write them differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The columns of 三、收到和处理政府信息公开申请情况, in the template's order.
COLUMNS = ("natural_person", "legal.business", "legal.research", "legal.charity", "legal.legal_services")
COLUMNS += ("legal.other", "total")

# (row id, label cells) as the template writes them, in its order; 2021 only after the marker.
_REQUEST_ROWS: tuple[tuple[str, tuple[str, str, str]], ...] = (
    ("new", ("一、本年新收政府信息公开申请数量", "", "")),
    ("carried_over", ("二、上年结转政府信息公开申请数量", "", "")),
    ("result.public", ("三、本年度办理结果", "（一）予以公开", "")),
    ("result.partial", ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "")),
    ("result.refused.secret", ("", "（三）不予公开", "1.属于国家秘密")),
    ("result.refused.prohibited", ("", "", "2.其他法律行政法规禁止公开")),
    ("result.refused.security", ("", "", "3.危及“三安全一稳定”")),
    ("result.refused.third_party", ("", "", "4.保护第三方合法权益")),
    ("result.refused.internal", ("", "", "5.属于三类内部事务信息")),
    ("result.refused.process", ("", "", "6.属于四类过程性信息")),
    ("result.refused.enforcement_file", ("", "", "7.属于行政执法案卷")),
    ("result.refused.inquiry", ("", "", "8.属于行政查询事项")),
    ("result.unavailable.not_held", ("", "（四）无法提供", "1.本机关不掌握相关政府信息")),
    ("result.unavailable.not_existing", ("", "", "2.没有现成信息需要另行制作")),
    ("result.unavailable.unclear", ("", "", "3.补正后申请内容仍不明确")),
    ("result.not_handled.petition", ("", "（五）不予处理", "1.信访举报投诉类申请")),
    ("result.not_handled.repeated", ("", "", "2.重复申请")),
    ("result.not_handled.publication", ("", "", "3.要求提供公开出版物")),
    ("result.not_handled.excessive", ("", "", "4.无正当理由大量反复申请")),
    ("result.not_handled.confirmation", ("", "", "5.要求行政机关确认或重新出具已获取信息")),
)
_OTHER_2021 = (
    (
        "result.other.overdue_correction",
        ("", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ),
    ("result.other.overdue_fee", ("", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
    ("result.other.other", ("", "", "3.其他")),
)
_OTHER_2019 = (("result.other", ("", "（六）其他处理", "")),)
_CLOSING = (
    ("total", ("", "（七）总计", "")),
    ("carried_forward", ("四、结转下年度继续办理", "", "")),
)

_REQUESTS_HEADER = (
    (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "",
        "",
        "申请人情况",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    ("", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"),
    ("", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""),
)


def request_rows(template: str) -> tuple[tuple[str, tuple[str, str, str]], ...]:
    return (*_REQUEST_ROWS, *(_OTHER_2021 if template == "2021" else _OTHER_2019), *_CLOSING)


def consistent_figures(template: str, seed: int = 3) -> dict[str, list[int]]:
    """A figure for every row and column that keeps every rule: each leaf row a few requests per
    column, （七）总计 their sum, and 一 + 二 = 三（七）+ 四."""
    figures: dict[str, list[int]] = {}
    leaves = [
        row for row, _ in request_rows(template) if row not in ("new", "carried_over", "total", "carried_forward")
    ]
    for number, row in enumerate(leaves):
        # Every fourth row is empty, as many are in a real report.
        by_column = [
            (seed * 7 + number * 5 + at * 3) % 11 if at in (0, 1, 4) and number % 4 != 3 else 0 for at in range(6)
        ]
        figures[row] = [*by_column, sum(by_column)]
    figures["total"] = [sum(figures[row][at] for row in leaves) for at in range(7)]
    figures["carried_forward"] = [2, 1, 0, 0, 0, 0, 3]
    figures["carried_over"] = [4, 0, 0, 0, 1, 0, 5]
    figures["new"] = [
        t + f - o for t, f, o in zip(figures["total"], figures["carried_forward"], figures["carried_over"], strict=True)
    ]
    return figures


@dataclass
class Writing:
    """How a report writes its tables: each a change to a cell's text, or to the rows."""

    label: Callable[[str], str] = lambda text: text
    figure: Callable[[int], str] = str
    header: tuple[tuple[str, ...], ...] = _REQUESTS_HEADER
    # Rows left out (all their figures 0, as some reports leave them out).
    left_out: frozenset[str] = field(default_factory=frozenset)
    # Empty cells after each row's last figure.
    trailing: int = 0
    # Each row's label in one cell, as a table copied from a PDF often has it: its own label only.
    one_label: bool = False


def requests_table(template: str, figures: dict[str, list[int]], writing: Writing | None = None) -> str:
    writing = writing or Writing()
    lines = [_row(tuple(map(writing.label, writing.header[0])))]
    lines.append("|" + "---|" * len(writing.header[0]))
    lines += [_row(tuple(map(writing.label, row))) for row in writing.header[1:]]
    for row_id, labels in request_rows(template):
        if row_id in writing.left_out:
            continue
        labels = (next(text for text in reversed(labels) if text),) if writing.one_label else labels
        cells = (*map(writing.label, labels), *map(writing.figure, figures[row_id]), *([""] * writing.trailing))
        lines.append(_row(cells))
    return "\n".join(lines) + "\n"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def expected_requests(template: str, figures: dict[str, list[int]], left_out: frozenset[str] = frozenset()) -> dict:
    return {
        ("requests", row, column): value
        for row, _ in request_rows(template)
        if row not in left_out
        for column, value in zip(COLUMNS, figures[row], strict=True)
    }


_OUTCOMES = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"
APPEALS = f"""| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| | | | | | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |
| {_OUTCOMES} | {_OUTCOMES} | {_OUTCOMES} |
| {{figures}} |
"""


def appeals_table(figures: list[int]) -> str:
    return APPEALS.format(figures=" | ".join(map(str, figures)))


def expected_appeals(figures: list[int]) -> dict:
    rows = ("review", "litigation.direct", "litigation.after_review")
    places = [(row, column) for row in rows for column in ("upheld", "corrected", "other", "pending", "total")]
    return {("appeals", row, column): value for (row, column), value in zip(places, figures, strict=True)}


PROACTIVE_2021 = """| 第二十条第（一）项 | | | |
|---|---|---|---|
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 1 | 0 | 12 |
| 行政规范性文件 | 6 | 2 | 48 |
| 第二十条第（五）项 | | | |
| 信息内容 | 本年处理决定数量 | | |
| 行政许可 | 1,520 | | |
| 第二十条第（六）项 | | | |
| 信息内容 | 本年处理决定数量 | | |
| 行政处罚 | 86 | | |
| 行政强制 | 3 | | |
| 第二十条第（八）项 | | | |
| 信息内容 | 本年收费金额（单位：万元） | | |
| 行政事业性收费 | 12.35 | | |
"""

EXPECTED_PROACTIVE_2021 = {
    ("proactive", "regulations", "issued"): 1,
    ("proactive", "regulations", "repealed"): 0,
    ("proactive", "regulations", "in_force"): 12,
    ("proactive", "normative_documents", "issued"): 6,
    ("proactive", "normative_documents", "repealed"): 2,
    ("proactive", "normative_documents", "in_force"): 48,
    ("proactive", "licensing", "decisions"): 1520,
    ("proactive", "penalty", "decisions"): 86,
    ("proactive", "enforcement", "decisions"): 3,
    ("proactive", "fees", "fee_amount"): 12.35,
}

# The 2019 template: one table per 第二十条 item, as many reports write it.
PROACTIVE_2019 = """第二十条第（一）项

| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
|---|---|---|---|
| 规章 | 0 | 0 | 3 |
| 规范性文件 | 4 | 4 | 27 |

第二十条第（五）项

| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
|---|---|---|---|
| 行政许可 | 35 | -2 | 410 |
| 其他对外管理服务事项 | 8 | 0 | 95 |

第二十条第（六）项

| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
|---|---|---|---|
| 行政处罚 | 120 | +5 | 64 |
| 行政强制 | 10 | 0 | 2 |

第二十条第（八）项

| 信息内容 | 上一年项目数量 | 本年增/减 |
|---|---|---|
| 行政事业性收费 | 2 | 0 |

第二十条第（九）项

| 信息内容 | 采购项目数量 | 采购总金额 |
|---|---|---|
| 政府集中采购 | 14 | 356.8 |
"""

EXPECTED_PROACTIVE_2019 = {
    ("proactive", "regulations", "made"): 0,
    ("proactive", "regulations", "published"): 0,
    ("proactive", "regulations", "published_total"): 3,
    ("proactive", "normative_documents", "made"): 4,
    ("proactive", "normative_documents", "published"): 4,
    ("proactive", "normative_documents", "published_total"): 27,
    ("proactive", "licensing", "items_last_year"): 35,
    ("proactive", "licensing", "items_change"): -2,
    ("proactive", "licensing", "decisions"): 410,
    ("proactive", "other_services", "items_last_year"): 8,
    ("proactive", "other_services", "items_change"): 0,
    ("proactive", "other_services", "decisions"): 95,
    ("proactive", "penalty", "items_last_year"): 120,
    ("proactive", "penalty", "items_change"): 5,
    ("proactive", "penalty", "decisions"): 64,
    ("proactive", "enforcement", "items_last_year"): 10,
    ("proactive", "enforcement", "items_change"): 0,
    ("proactive", "enforcement", "decisions"): 2,
    ("proactive", "fees", "items_last_year"): 2,
    ("proactive", "fees", "items_change"): 0,
    ("proactive", "procurement", "procurement_items"): 14,
    ("proactive", "procurement", "procurement_amount"): 356.8,
}


def report_body(template: str, requests: str, appeals: str) -> str:
    proactive = PROACTIVE_2021 if template == "2021" else PROACTIVE_2019
    return (
        "## 一、总体情况\n\n本机关认真贯彻《条例》。\n\n"
        f"## 二、主动公开政府信息情况\n\n{proactive}\n"
        f"## 三、收到和处理政府信息公开申请情况\n\n{requests}\n"
        f"## 四、政府信息公开行政复议、行政诉讼情况\n\n{appeals}\n"
        "## 五、存在的主要问题及改进情况\n\n无。\n"
    )
