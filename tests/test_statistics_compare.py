"""Reports' template figures compared: an agency's key figures year by year with a chart, a region's
totals, the agencies of each province ranked, what changed from one year's report to the next and the
sections it repeats; every figure linked to the report that gives it."""

from __future__ import annotations

import dataclasses
import re

import pytest
from factory import make_project, report_text

from generator.build.catalogue import build_catalogue
from generator.build.content import Report, load_content
from generator.build.plan import plan_site
from generator.build.render import Renderer
from generator.core.config import load_config
from generator.statistics.compare import changes, key_figures, repeated_sections, wording
from generator.statistics.model import Cell, Statistics


def _statistics(new: int, public: int, refused: dict[str, int], review: int = 0, direct: int = 0) -> Statistics:
    """A report's figures in the 总计 column: 一、新收, 三（一）予以公开, 1.–8. of （三）, 三（七）总计,
    四、行政复议 and 诉讼."""
    handled = public + sum(refused.values())
    cells = [
        Cell("requests", "new", "total", new, 20),
        Cell("requests", "result.public", "total", public, 23),
        *(Cell("requests", f"result.refused.{reason}", "total", n, 26) for reason, n in refused.items()),
        Cell("requests", "total", "total", handled, 50),
        Cell("appeals", "review", "total", review, 60),
        Cell("appeals", "litigation.direct", "total", direct, 61),
    ]
    return Statistics("2021", tuple(cells), ())


def test_key_figures_add_numbered_rows_and_work_out_the_share_in_full() -> None:
    figures = key_figures(_statistics(40, 30, {"secret": 2, "third_party": 8}, review=3, direct=1))
    assert figures == {
        "new": 40,
        "handled": 40,
        "public": 30,
        "partial": None,
        "refused": 10,
        "review": 3,
        "litigation": 1,
        "public_share": 75.0,
    }


def test_the_figures_that_changed_most_from_the_year_before() -> None:
    earlier = _statistics(100, 90, {"secret": 10}, review=1)
    later = _statistics(110, 40, {"secret": 70}, review=1)
    assert changes(earlier, later) == [
        {"name": "refused", "before": 10, "after": 70},
        {"name": "public_share", "before": 90.0, "after": 36.4},
        {"name": "public", "before": 90, "after": 40},
    ]


def test_sections_worded_as_the_year_before_are_found_whitespace_aside() -> None:
    text = "本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作，取得积极成效。"
    earlier = f"## 一、总体情况\n\n{text}\n\n## 二、其他\n\n无。\n"
    later = f"## 一、总体情况\n\n{text[:18]}\n{text[18:]}\n\n## 二、其他\n\n无。\n"
    assert repeated_sections(wording(earlier), wording(later)) == ["一、总体情况"], "无。 is no repetition"
    assert repeated_sections(wording(earlier), wording(later.replace("积极成效", "明显成效"))) == []


# 甲局 reports three years, 乙局 one; both in 临沧市 of 云南省; 丙局's report has no figures.
FIGURES = {
    "a2019.md": _statistics(20, 10, {"secret": 10}),
    "a2020.md": _statistics(30, 24, {"third_party": 6}),
    "a2021.md": _statistics(50, 45, {"third_party": 5}, review=2),
    "b2021.md": _statistics(80, 20, {"process": 60}, direct=3),
}


# 甲局's reports of 2020 and 2021 word their first section the same.
REPEATED = "## 一、总体情况\n\n本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作，取得积极成效。\n"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    files = {
        f"content/{name}": report_text(
            title=f"{agency}{year}年政府信息公开工作年度报告",
            agency=agency,
            region=["云南省", "临沧市"],
            year=year,
            slug=name.removesuffix(".md"),
            body=REPEATED if name in ("a2020.md", "a2021.md") else "## 一、总体情况\n\n正文。\n",
        )
        for name, agency, year in (
            ("a2019.md", "甲局", 2019),
            ("a2020.md", "甲局", 2020),
            ("a2021.md", "甲局", 2021),
            ("b2021.md", "乙局", 2021),
            ("c2021.md", "丙局", 2021),
        )
    }
    project = make_project(tmp_path_factory.mktemp("compare"), files)
    config = load_config(project)
    reports: list[Report] = [
        dataclasses.replace(report, statistics=FIGURES.get(report.id)) for report in load_content(config).reports
    ]
    plan = plan_site(build_catalogue(reports), config)
    known = {job.path for job in plan.jobs} | {
        "assets/style.css",
        "assets/script-switch.js",
        "assets/cite.js",
        "data/statistics.csv",
        "data/statistics.json",
    }
    wanted = [
        job for job in plan.jobs if job.template in ("agency.html", "region.html", "statistics.html", "report.html")
    ]
    return {page.path: bytes(page.data).decode() for page in Renderer(config).render(wanted, known)}


def _rows(html: str, caption: str) -> list[list[str]]:
    table = html[html.index(caption) :]
    table = table[: table.index("</table>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)
    ]


def _agency_page(pages: dict[str, str], name: str) -> str:
    return next(html for path, html in pages.items() if path.startswith("agencies/") and f"<h1>{name}" in html)


def test_an_agency_page_shows_its_figures_year_by_year_each_year_linked_to_its_report(pages: dict[str, str]) -> None:
    html = _agency_page(pages, "甲局")
    assert _rows(html, "各年度主要数据") == [
        ["2019", "20", "20", "10", "50.0%", "101.属于国家秘密 10", "0", "0"],
        ["2020", "30", "30", "24", "80.0%", "64.保护第三方合法权益 6", "0", "0"],
        ["2021", "50", "50", "45", "90.0%", "54.保护第三方合法权益 5", "2", "0"],
    ]
    assert '<a href="../../reports/2019/a2019.html">2019</a>' in html
    assert "各年度申请办理结果" in html and 'class="bar s0"' in html, "a chart of how requests were handled"
    assert 'id="agency-figures"' not in _agency_page(pages, "丙局"), "an agency without figures shows none"


def test_a_region_adds_up_the_figures_of_its_reports_by_year(pages: dict[str, str]) -> None:
    html = pages["regions/yunnansheng/lincangshi/index.html"]
    assert _rows(html, "本地区各机构报告数据合计") == [
        ["2019", "1", "20", "20", "10", "50.0%", "10", "0", "0"],
        ["2020", "1", "30", "30", "24", "80.0%", "6", "0", "0"],
        ["2021", "2", "130", "130", "65", "50.0%", "65", "2", "3"],
    ]


def test_the_statistics_page_ranks_the_agencies_of_each_province_in_their_latest_year(
    pages: dict[str, str],
) -> None:
    html = pages["statistics/index.html"]
    assert "2021年度" in html
    assert [row[:3] for row in _rows(html, "按新收申请数量排名")] == [["1", "乙局", "80"], ["2", "甲局", "50"]]
    assert [(row[1], row[5]) for row in _rows(html, "按予以公开占比排名")] == [("甲局", "90.0%"), ("乙局", "25.0%")]
    assert '<a href="../reports/2021/b2021.html">乙局</a>' in html


def test_a_report_names_its_agencys_report_of_the_year_before_and_what_changed(pages: dict[str, str]) -> None:
    html = pages["reports/2021/a2021.html"]
    said = re.sub(
        r"<[^>]+>",
        "",
        html[html.index('class="year-over-year"') : html.index("</section>", html.index('class="year-over-year"'))],
    )
    assert '<a href="../2020/a2020.html" lang="zh-Hans">甲局2020年政府信息公开工作年度报告</a>' in html
    assert "与上年报告相比变化最大的数据：行政复议 0 → 2，予以公开 24 → 45，新收申请 30 → 50" in said
    assert "与上年报告文字相同的部分：一、总体情况" in said
    assert 'class="year-over-year"' not in pages["reports/2019/a2019.html"], "the archive has no 2018 report"
    assert "与上年报告文字相同" not in pages["reports/2020/a2020.html"], "2019's text differs"
