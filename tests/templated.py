"""Reports whose text holds the national template's tables (the 2021 version), written with known
figures: for the tests of what the archive makes of them."""

from __future__ import annotations

import random

from factory import OFFICES, region_paths, report_text

from generator.statistics.templates import REQUESTS as REQUESTS_TABLE
from generator.statistics.templates import Item

Figures = dict[tuple[str, str, str], int | float]
APPLICANTS = ("natural_person", "legal.business", "legal.research", "legal.charity", "legal.legal_services")
APPLICANTS += ("legal.other",)
_OUTCOMES = ("upheld", "corrected", "other", "pending")
# A row's applicant columns as the template heads them, and then 总计.
REQUESTS_HEAD = (
    "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n" + "|---" * 8 + "|\n"
)
_APPEALS_HEAD = "| 项目 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n" + "|---" * 6 + "|\n"


def _leaf_rows() -> list[Item]:
    """The rows of 三、本年度办理结果 that hold figures in the 2021 template: （一）, （二), and the numbered
    rows of （三）–（六）."""
    rows = REQUESTS_TABLE.rows
    return [
        item
        for item in rows
        if item.id.startswith("result.")
        and "2021" in item.templates
        and not REQUESTS_TABLE.children(rows, item.id, "2021")
    ]


def line(label: str, cells: list[str]) -> str:
    return f"| {label} | " + " | ".join(cells) + " |\n"


class _Writer:
    """A 2021 report's three tables with figures that keep the template's sums, and what each figure is."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.figures: Figures = {}

    def body(self, broken: bool = False) -> str:
        """The report's text; ``broken`` adds one request to 四、结转下年度 in the 总计 column alone."""
        requests = self._requests(broken)
        return (
            "## 一、总体情况\n\n本机关认真贯彻《条例》。\n\n"
            f"## 二、主动公开政府信息情况\n\n{self._proactive()}\n"
            f"## 三、收到和处理政府信息公开申请情况\n\n{requests}\n"
            f"## 四、政府信息公开行政复议、行政诉讼情况\n\n{self._appeals()}\n"
            "## 五、存在的主要问题及改进情况\n\n无。\n"
        )

    def _row(self, table: str, row: str, label: str, columns: tuple[str, ...], values: list[int | float]) -> str:
        self.figures.update({(table, row, column): value for column, value in zip(columns, values, strict=True)})
        return line(label, [f"{value:,}" if isinstance(value, int) else f"{value:.2f}" for value in values])

    def _requests(self, broken: bool) -> str:
        columns = (*APPLICANTS, "total")
        by_row = {}
        for item in _leaf_rows():
            applicants = [
                self.rng.choice((0, 0, 1, 2, 3, 5, 8)) if at < 2 else self.rng.choice((0,) * 9 + (1,))
                for at in range(6)
            ]
            by_row[item.id] = [*applicants, sum(applicants)]
        total = [sum(values[at] for values in by_row.values()) for at in range(7)]
        forward = [self.rng.randint(0, 2), *[0] * 5]
        forward.append(sum(forward) + broken)
        over = [min(self.rng.randint(0, 3), t + f) for t, f in zip(total[:6], forward[:6], strict=True)]
        over.append(sum(over))
        new = [t + f - o for t, f, o in zip(total, forward, over, strict=True)]
        new[6] = sum(new[:6])
        text = REQUESTS_HEAD + self._row("requests", "new", "一、本年新收政府信息公开申请数量", columns, new)
        text += self._row("requests", "carried_over", "二、上年结转政府信息公开申请数量", columns, over)
        for item in _leaf_rows():
            text += self._row("requests", item.id, item.written("2021"), columns, by_row[item.id])
        text += self._row("requests", "total", "（七）总计", columns, total)
        return text + self._row("requests", "carried_forward", "四、结转下年度继续办理", columns, forward)

    def _appeals(self) -> str:
        text = _APPEALS_HEAD
        for row, label in (
            ("review", "行政复议"),
            ("litigation.direct", "未经复议直接起诉"),
            ("litigation.after_review", "复议后起诉"),
        ):
            outcomes = [self.rng.randint(0, 3) for _ in _OUTCOMES]
            text += self._row("appeals", row, label, (*_OUTCOMES, "total"), [*outcomes, sum(outcomes)])
        return text

    def _proactive(self) -> str:
        counts = ("issued", "repealed", "in_force")
        text = "第二十条第（一）项\n\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        for row, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
            text += self._row("proactive", row, label, counts, [self.rng.randint(0, 60) for _ in counts])
        text += "\n第二十条第（五）项\n\n| 信息内容 | 本年处理决定数量 |\n|---|---|\n"
        text += self._row("proactive", "licensing", "行政许可", ("decisions",), [self.rng.randint(0, 3000)])
        text += "\n第二十条第（八）项\n\n| 信息内容 | 本年收费金额（单位：万元） |\n|---|---|\n"
        return text + self._row(
            "proactive", "fees", "行政事业性收费", ("fee_amount",), [self.rng.randint(0, 99999) / 100]
        )


def template_archive(count: int, seed: int = 11) -> tuple[dict[str, str], dict[str, Figures], set[str]]:
    """``count`` published 2021–2024 reports as content files; every 7th has no template tables, every
    10th breaks 一+二 = 三（七）+四. Gives the files, each report's figures by slug, and the broken slugs."""
    rng = random.Random(seed)
    regions = region_paths()
    files, figures, broken = {}, {}, set()
    for i in range(count):
        region = rng.choice(regions)
        agency = region[-1] + rng.choice(OFFICES)
        year = rng.randint(2021, 2024)
        slug = f"s{i:04d}"
        writer = _Writer(rng)
        body = "## 一、总体情况\n\n本年度未收到申请。\n" if i % 7 == 3 else writer.body(broken=i % 10 == 5)
        if i % 7 != 3:
            figures[slug] = writer.figures
        if i % 10 == 5 and i % 7 != 3:
            broken.add(slug)
        title = f"{agency}{year}年政府信息公开工作年度报告"
        fields = {"title": title, "agency": agency, "region": region, "year": year, "slug": slug}
        files[f"content/{year}/{slug}.md"] = report_text(body=body, **fields, date=f"{year + 1}-01-{10 + i % 18}")
    return files, figures, broken
