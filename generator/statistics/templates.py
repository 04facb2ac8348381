"""The national template's tables as data: their ids, labels and arithmetic.

Every 政府信息公开工作年度报告 since 2019 fills in the tables of 国办公开办函〔2019〕60号; 国办公开办函〔2021〕30号
revised them for the reports on 2021 onwards. Each table, row and column has a stable ASCII id; a row or
column inside another has its parent's id before a dot (``result.refused.secret`` is 1.属于国家秘密 under
（三）不予公开 under 三、本年度办理结果). ``label`` gives the text the template writes for an id.

Tables, rows and columns (``2019``/``2021``: only in that version):

``proactive`` 二、主动公开政府信息情况, by 第二十条 item:
    （一）项 rows ``regulations`` 规章, ``normative_documents`` (行政)规范性文件;
        2021 columns ``issued`` 本年制发件数, ``repealed`` 本年废止件数, ``in_force`` 现行有效件数;
        2019 columns ``made`` 本年新制作数量, ``published`` 本年新公开数量, ``published_total`` 对外公开总数量
    （五）项 rows ``licensing`` 行政许可, ``other_services`` 其他对外管理服务事项 (2019)
    （六）项 rows ``penalty`` 行政处罚, ``enforcement`` 行政强制
        2021 column ``decisions`` 本年处理决定数量;
        2019 columns ``items_last_year`` 上一年项目数量, ``items_change`` 本年增/减, ``decisions`` 处理决定数量
    （八）项 row ``fees`` 行政事业性收费
        2021 column ``fee_amount`` 本年收费金额（单位：万元）;
        2019 columns ``items_last_year``, ``items_change``
    （九）项 (2019) row ``procurement`` 政府集中采购,
        columns ``procurement_items`` 采购项目数量, ``procurement_amount`` 采购总金额

``requests`` 三、收到和处理政府信息公开申请情况:
    columns ``natural_person`` 自然人; ``legal`` 法人或其他组织 with ``legal.business`` 商业企业,
    ``legal.research`` 科研机构, ``legal.charity`` 社会公益组织, ``legal.legal_services`` 法律服务机构,
    ``legal.other`` 其他, and ``legal.total`` 小计 (not in the template, but written by some);
    ``total`` 总计
    rows ``new`` 一、本年新收…, ``carried_over`` 二、上年结转…, ``result`` 三、本年度办理结果 with
    ``result.public`` （一）予以公开, ``result.partial`` （二）部分公开,
    ``result.refused`` （三）不予公开 with ``.secret`` ``.prohibited`` ``.security`` ``.third_party``
    ``.internal`` ``.process`` ``.enforcement_file`` ``.inquiry`` (1.–8.),
    ``result.unavailable`` （四）无法提供 with ``.not_held`` ``.not_existing`` ``.unclear`` (1.–3.),
    ``result.not_handled`` （五）不予处理 with ``.petition`` ``.repeated`` ``.publication`` ``.excessive``
    ``.confirmation`` (1.–5.),
    ``result.other`` （六）其他处理 with (2021) ``.overdue_correction`` ``.overdue_fee`` ``.other`` (1.–3.),
    ``total`` （七）总计, ``carried_forward`` 四、结转下年度继续办理

``appeals`` 四、政府信息公开行政复议、行政诉讼情况:
    rows ``review`` 行政复议, ``litigation`` 行政诉讼 with ``litigation.direct`` 未经复议直接起诉 and
    ``litigation.after_review`` 复议后起诉;
    columns ``upheld`` 结果维持, ``corrected`` 结果纠正, ``other`` 其他结果, ``pending`` 尚未审结, ``total`` 总计

Rules (``RULES``), each checked in every column (or row) where both sides have a figure:
    ``requests.balance`` 一+二 = 三（七）+四, in each column;
    ``requests.results`` （七）总计 = （一）+…+（六）, in each column;
    ``requests.refused``, ``requests.unavailable``, ``requests.not_handled``, ``requests.other``: each of
    （三）–（六） = the sum of its numbered rows, in each column, when the numbered rows are given;
    ``requests.applicants`` 总计 = 自然人 + 法人或其他组织, in each row;
    ``requests.legal`` 法人或其他组织 (小计) = its five columns, in each row, when a 小计 is written;
    ``appeals.total`` 总计 = 维持 + 纠正 + 其他 + 尚未审结, for 行政复议 and both kinds of 行政诉讼.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

TEMPLATES = ("2019", "2021")
_BOTH = frozenset(TEMPLATES)


@dataclass(frozen=True)
class Item:
    """A row or column: its id, the label the template writes (``label_2019`` where the 2019 template
    writes another), other writings seen in reports, and the versions that have it."""

    id: str
    label: str
    # The name a rule's text uses for it, e.g. 三（七） for （七）总计.
    short: str
    variants: tuple[str, ...] = ()
    label_2019: str | None = None
    templates: frozenset[str] = _BOTH
    # An amount in 万元, which may have decimals, rather than a count.
    amount: bool = False

    def written(self, template: str) -> str:
        return self.label_2019 if template == "2019" and self.label_2019 else self.label

    @property
    def labels(self) -> tuple[str, ...]:
        """Every writing that names it."""
        return (self.label, *((self.label_2019,) if self.label_2019 else ()), *self.variants)

    @property
    def parent(self) -> str | None:
        return self.id.rpartition(".")[0] or None


@dataclass(frozen=True)
class Section:
    """Rows that share columns: one 第二十条 item of 二、主动公开政府信息情况, or a whole table."""

    label: str
    rows: tuple[str, ...]
    # The columns of its rows, by template version.
    columns: dict[str, tuple[str, ...]]
    # Columns some reports add that the template does not write (法人或其他组织 小计).
    optional: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    id: str
    label: str
    variants: tuple[str, ...]
    rows: tuple[Item, ...]
    columns: tuple[Item, ...]
    sections: tuple[Section, ...]
    # The template's figures of one row, in the order the template writes them: (row, column), the
    # row None where the row's own label names it. A row of exactly these many figures is read by
    # position when its header cannot be read (a table copied from a PDF garbles the header first).
    positional: tuple[tuple[str | None, str], ...] = ()
    # Whether the template writes rows in the header (行政复议, 行政诉讼 above the columns).
    header_rows: bool = False
    # A heading that stands for a figure: a column 法人或其他组织 with no columns below it is their 小计.
    figure_of: tuple[tuple[str, str], ...] = ()
    # What the template writes above the rows' labels, left of the columns' (信息内容).
    corner: tuple[str, ...] = ()

    def row(self, row_id: str) -> Item:
        return self._by_id["rows"][row_id]

    def column(self, column_id: str) -> Item:
        return self._by_id["columns"][column_id]

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Item]]:
        return {"rows": {item.id: item for item in self.rows}, "columns": {item.id: item for item in self.columns}}

    @cached_property
    def figures(self) -> dict[str, str]:
        """``figure_of`` as a mapping."""
        return dict(self.figure_of)

    def children(self, items: tuple[Item, ...], parent: str, template: str) -> tuple[Item, ...]:
        return tuple(item for item in items if item.parent == parent and template in item.templates)


def _item(item_id: str, label: str, short: str = "", **more: object) -> Item:
    return Item(item_id, label, short or label, **more)  # type: ignore[arg-type]


_ONLY_2019 = frozenset({"2019"})
_ONLY_2021 = frozenset({"2021"})

PROACTIVE = Table(
    "proactive",
    "二、主动公开政府信息情况",
    ("主动公开政府信息情况",),
    rows=(
        _item("regulations", "规章"),
        _item("normative_documents", "行政规范性文件", label_2019="规范性文件", variants=("其他规范性文件",)),
        _item("licensing", "行政许可"),
        _item("other_services", "其他对外管理服务事项", templates=_ONLY_2019),
        _item("penalty", "行政处罚"),
        _item("enforcement", "行政强制"),
        _item("fees", "行政事业性收费"),
        _item("procurement", "政府集中采购", templates=_ONLY_2019),
    ),
    columns=(
        _item("issued", "本年制发件数", templates=_ONLY_2021, variants=("本年新制发件数", "本年制发数量")),
        _item("repealed", "本年废止件数", templates=_ONLY_2021, variants=("本年废止数量",)),
        _item("in_force", "现行有效件数", templates=_ONLY_2021, variants=("现行有效数量",)),
        _item("made", "本年新制作数量", templates=_ONLY_2019, variants=("本年制作数量",)),
        _item("published", "本年新公开数量", templates=_ONLY_2019, variants=("本年公开数量",)),
        _item("published_total", "对外公开总数量", templates=_ONLY_2019),
        _item("items_last_year", "上一年项目数量", templates=_ONLY_2019, variants=("上年项目数量",)),
        _item("items_change", "本年增/减", templates=_ONLY_2019, variants=("本年增减", "本年增／减")),
        _item("decisions", "本年处理决定数量", label_2019="处理决定数量", variants=("本年度处理决定数量",)),
        _item(
            "fee_amount",
            "本年收费金额（单位：万元）",
            templates=_ONLY_2021,
            amount=True,
            variants=("本年收费金额(单位:万元)", "本年收费金额（万元）", "本年收费金额(万元)", "本年收费金额"),
        ),
        _item("procurement_items", "采购项目数量", templates=_ONLY_2019),
        _item(
            "procurement_amount",
            "采购总金额",
            templates=_ONLY_2019,
            amount=True,
            variants=("采购总金额（万元）", "采购总金额(万元)"),
        ),
    ),
    sections=(
        Section(
            "第二十条第（一）项",
            ("regulations", "normative_documents"),
            {"2021": ("issued", "repealed", "in_force"), "2019": ("made", "published", "published_total")},
        ),
        Section(
            "第二十条第（五）项",
            ("licensing", "other_services"),
            {"2021": ("decisions",), "2019": ("items_last_year", "items_change", "decisions")},
        ),
        Section(
            "第二十条第（六）项",
            ("penalty", "enforcement"),
            {"2021": ("decisions",), "2019": ("items_last_year", "items_change", "decisions")},
        ),
        Section(
            "第二十条第（八）项", ("fees",), {"2021": ("fee_amount",), "2019": ("items_last_year", "items_change")}
        ),
        Section("第二十条第（九）项", ("procurement",), {"2019": ("procurement_items", "procurement_amount")}),
    ),
    corner=("信息内容",),
)

_LEGAL = ("legal.business", "legal.research", "legal.charity", "legal.legal_services", "legal.other")

_REQUEST_ROWS = (
    _item("new", "一、本年新收政府信息公开申请数量", "一"),
    _item("carried_over", "二、上年结转政府信息公开申请数量", "二"),
    _item("result", "三、本年度办理结果", "三"),
    _item("result.public", "（一）予以公开", "三（一）"),
    _item(
        "result.partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三（二）",
        variants=("（二）部分公开",),
    ),
    _item("result.refused", "（三）不予公开", "三（三）"),
    _item("result.refused.secret", "1.属于国家秘密", "三（三）1"),
    _item("result.refused.prohibited", "2.其他法律行政法规禁止公开", "三（三）2"),
    _item(
        "result.refused.security",
        "3.危及“三安全一稳定”",
        "三（三）3",
        variants=('3.危及"三安全一稳定"', "3.危及三安全一稳定", "3.危及‘三安全一稳定’"),
    ),
    _item("result.refused.third_party", "4.保护第三方合法权益", "三（三）4"),
    _item("result.refused.internal", "5.属于三类内部事务信息", "三（三）5"),
    _item("result.refused.process", "6.属于四类过程性信息", "三（三）6"),
    _item("result.refused.enforcement_file", "7.属于行政执法案卷", "三（三）7"),
    _item("result.refused.inquiry", "8.属于行政查询事项", "三（三）8"),
    _item("result.unavailable", "（四）无法提供", "三（四）"),
    _item("result.unavailable.not_held", "1.本机关不掌握相关政府信息", "三（四）1"),
    _item(
        "result.unavailable.not_existing",
        "2.没有现成信息需要另行制作",
        "三（四）2",
        variants=("2.没有现成信息，需要另行制作",),
    ),
    _item("result.unavailable.unclear", "3.补正后申请内容仍不明确", "三（四）3"),
    _item("result.not_handled", "（五）不予处理", "三（五）"),
    _item("result.not_handled.petition", "1.信访举报投诉类申请", "三（五）1"),
    _item("result.not_handled.repeated", "2.重复申请", "三（五）2"),
    _item("result.not_handled.publication", "3.要求提供公开出版物", "三（五）3"),
    _item("result.not_handled.excessive", "4.无正当理由大量反复申请", "三（五）4"),
    _item(
        "result.not_handled.confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        "三（五）5",
        variants=("5.要求行政机关确认或者重新出具已获取信息",),
    ),
    _item("result.other", "（六）其他处理", "三（六）"),
    _item(
        "result.other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "三（六）1",
        templates=_ONLY_2021,
        variants=("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",),
    ),
    _item(
        "result.other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "三（六）2",
        templates=_ONLY_2021,
        variants=("2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",),
    ),
    _item("result.other.other", "3.其他", "三（六）3", templates=_ONLY_2021),
    _item("total", "（七）总计", "三（七）"),
    _item("carried_forward", "四、结转下年度继续办理", "四"),
)

_REQUEST_COLUMNS = (
    _item("natural_person", "自然人"),
    _item("legal", "法人或其他组织"),
    _item("legal.business", "商业企业"),
    _item("legal.research", "科研机构"),
    _item("legal.charity", "社会公益组织"),
    _item("legal.legal_services", "法律服务机构"),
    _item("legal.other", "其他"),
    _item("legal.total", "小计", "法人或其他组织", variants=("合计",)),
    _item("total", "总计"),
)

REQUESTS = Table(
    "requests",
    "三、收到和处理政府信息公开申请情况",
    ("收到和处理政府信息公开申请情况",),
    rows=_REQUEST_ROWS,
    columns=_REQUEST_COLUMNS,
    sections=(
        Section(
            "申请人情况",
            tuple(item.id for item in _REQUEST_ROWS if item.id != "result"),
            dict.fromkeys(TEMPLATES, tuple(item.id for item in _REQUEST_COLUMNS if item.id != "legal")),
            optional=("legal.total",),
        ),
    ),
    positional=tuple((None, column) for column in ("natural_person", *_LEGAL, "total")),
    figure_of=(("legal", "legal.total"),),
    corner=("申请人情况",),
)

_APPEAL_COLUMNS = (
    _item("upheld", "结果维持", "维持", variants=("维持",)),
    _item("corrected", "结果纠正", "纠正", variants=("纠正",)),
    _item("other", "其他结果", "其他"),
    _item("pending", "尚未审结", "尚未审结"),
    _item("total", "总计"),
)

APPEALS = Table(
    "appeals",
    "四、政府信息公开行政复议、行政诉讼情况",
    ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议行政诉讼情况"),
    rows=(
        _item("review", "行政复议"),
        _item("litigation", "行政诉讼"),
        _item("litigation.direct", "未经复议直接起诉", "行政诉讼（未经复议直接起诉）"),
        _item("litigation.after_review", "复议后起诉", "行政诉讼（复议后起诉）"),
    ),
    columns=_APPEAL_COLUMNS,
    sections=(
        Section(
            "行政复议、行政诉讼",
            ("review", "litigation.direct", "litigation.after_review"),
            dict.fromkeys(TEMPLATES, tuple(item.id for item in _APPEAL_COLUMNS)),
        ),
    ),
    positional=tuple(
        (row, item.id) for row in ("review", "litigation.direct", "litigation.after_review") for item in _APPEAL_COLUMNS
    ),
    header_rows=True,
)

TABLES = {table.id: table for table in (PROACTIVE, REQUESTS, APPEALS)}


@dataclass(frozen=True)
class Rule:
    """The sum of ``left`` equals the sum of ``right``. ``across`` is "rows" when the ids are rows and
    the rule holds in each column, "columns" when they are columns and it holds in each row. It is
    checked only where each side has a figure: a breakdown a report leaves out is not one that sums
    to nothing."""

    id: str
    table: str
    across: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    # How a warning names each side.
    left_text: str
    right_text: str
    # Versions whose template has every id.
    templates: frozenset[str] = _BOTH


def _breakdowns() -> Iterator[Rule]:
    """（三）–（六） of 三、本年度办理结果 each equal their numbered rows; （六） has numbered rows from 2021 on."""
    for parent in ("result.refused", "result.unavailable", "result.not_handled", "result.other"):
        short = REQUESTS.row(parent).short
        parts = tuple(item.id for item in REQUESTS.children(REQUESTS.rows, parent, "2021"))
        versions = frozenset(version for version in TEMPLATES if REQUESTS.children(REQUESTS.rows, parent, version))
        rule_id = f"requests.{parent.removeprefix('result.')}"
        yield Rule(rule_id, "requests", "rows", (parent,), parts, short, f"{short}1+…+{short}{len(parts)}", versions)


_RESULTS = ("result.public", "result.partial", "result.refused", "result.unavailable", "result.not_handled")

RULES: tuple[Rule, ...] = (
    Rule(
        "requests.balance",
        "requests",
        "rows",
        ("new", "carried_over"),
        ("total", "carried_forward"),
        "一+二",
        "三（七）+四",
    ),
    Rule(
        "requests.results",
        "requests",
        "rows",
        ("total",),
        (*_RESULTS, "result.other"),
        "三（七）",
        "三（一）+…+三（六）",
    ),
    *_breakdowns(),
    Rule(
        "requests.applicants",
        "requests",
        "columns",
        ("total",),
        ("natural_person", *_LEGAL),
        "总计",
        "自然人+法人或其他组织",
    ),
    Rule("requests.legal", "requests", "columns", ("legal.total",), _LEGAL, "法人或其他组织小计", "商业企业+…+其他"),
    Rule(
        "appeals.total",
        "appeals",
        "columns",
        ("total",),
        ("upheld", "corrected", "other", "pending"),
        "总计",
        "结果维持+结果纠正+其他结果+尚未审结",
    ),
)


def label(
    table_id: str, row_id: str | None = None, column_id: str | None = None, template: str = "2021", full: bool = False
) -> str:
    """The text the template writes: for a table alone its heading; for a row or a column its label;
    for both, the row's label with the column's in brackets, 予以公开（自然人）. With ``full``, a row or
    column inside another follows its parents' labels: 法人或其他组织·商业企业."""
    table = TABLES[table_id]
    if row_id is None and column_id is None:
        return table.label
    row = _path(table.rows, row_id, template, full) if row_id else None
    column = _path(table.columns, column_id, template, full) if column_id else None
    return f"{row}（{column}）" if row and column else row or column or ""


def _path(items: tuple[Item, ...], item_id: str, template: str, full: bool) -> str:
    by_id = {item.id: item for item in items}
    item = by_id[item_id]
    parent = item.parent
    if not full or parent not in by_id or item_id in ("legal.total",):
        return item.written(template)
    return f"{_path(items, parent, template, full)}·{item.written(template)}"
