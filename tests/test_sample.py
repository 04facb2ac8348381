"""The sample archive: the five seed reports keep the metadata their sources give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FACT = re.compile(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", re.S)
TAG = re.compile(r"<[^>]+>")


def facts(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    return {label: TAG.sub("", value).strip() for label, value in FACT.findall(html)}


def report_page(site: Path, title: str) -> Path:
    [page] = [p for p in (site / "reports").rglob("*.html") if f">{title}</h1>" in p.read_text(encoding="utf-8")]
    return page


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告",
            {
                "发布机构": "临沧市民政局",
                "地区": "云南省 › 临沧市",
                "年度": "2017年",
                "文号": "临民字〔2018〕2号",
                "成文日期": "2017-12-26",
                "公开属性": "主动公开",
            },
        ),
        (
            "云南省人民政府研究室2016政务公开工作要点落实情况自查报告",
            {
                "发布机构": "云南省人民政府研究室",
                "地区": "云南省",
                "年度": "2016年",
                "成文日期": "2016-12-28",
                "来源": "云南省政府信息公开门户网站云南省政府研究室",
            },
        ),
        (
            "昆明市五华区人民政府办公室2016年政府信息公开年度报告",
            {"发布机构": "昆明市五华区人民政府办公室", "地区": "云南省 › 昆明市 › 五华区", "年度": "2016年"},
        ),
        (
            "市政府办公厅2015年度政府信息公开工作报告",
            {"发布机构": "沈阳市人民政府办公厅", "地区": "辽宁省 › 沈阳市", "年度": "2015年", "成文日期": "2016-03-31"},
        ),
        (
            "漳州市國資委2014年政府信息公開工作要點落實情況報告",
            {"发布机构": "漳州市人民政府國有資產監督管理委員會", "地区": "福建省 › 漳州市", "年度": "2014年"},
        ),
    ],
)
def test_seed_report_metadata(sample_site: Path, title: str, expected: dict[str, str]) -> None:
    shown = facts(report_page(sample_site, title))
    assert {label: shown.get(label) for label in expected} == expected
    assert ("文号" in shown) == ("文号" in expected)


def test_traditional_report_is_marked_zh_hant(sample_site: Path) -> None:
    html = report_page(sample_site, "漳州市國資委2014年政府信息公開工作要點落實情況報告").read_text(encoding="utf-8")
    assert '<h1 lang="zh-Hant">' in html
    assert '<div class="report-body" lang="zh-Hant">' in html
    assert '<html lang="zh-CN">' in html


def test_district_sits_under_its_city(sample_site: Path) -> None:
    city = (sample_site / "regions/yunnansheng/kunmingshi/index.html").read_text(encoding="utf-8")
    assert '<a href="wuhuaqu/index.html">五华区</a>' in city
    province = (sample_site / "regions/yunnansheng/index.html").read_text(encoding="utf-8")
    assert province.count('class="report-title"') == 3  # roll-up: 研究室, 临沧, 五华区


def test_portal_noise_is_not_in_the_sample(sample_site: Path) -> None:
    for page in (sample_site / "reports").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for noise in ("首页 -&gt;", "[字体:", "打印", "相關詞條", "聯絡我們", "出处:"):
            assert noise not in html, (page.name, noise)


def test_headings_become_a_table_of_contents(sample_site: Path) -> None:
    html = report_page(sample_site, "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告").read_text(
        encoding="utf-8"
    )
    assert '<li class="toc-2"><a href="#s1" lang="zh-Hans">落实情况</a></li>' in html
    assert '<h2 id="s1">落实情况</h2>' in html
