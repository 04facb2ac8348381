"""The pieces of raw-text reading: dates, 文号, noise lines, headings, the gazetteer, Markdown escaping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.core.markdown import escape_line, plain_text
from generator.core.searchtext import view
from generator.importing.extract import extract
from generator.importing.gazetteer import gazetteer
from generator.importing.rawtext import (
    date_line,
    disclosure_statements,
    doc_number_line,
    heading_rank,
    is_noise,
    year_in,
)

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2016年12月28日", date(2016, 12, 28)),
        ("2016-12-28", date(2016, 12, 28)),
        ("20161228", date(2016, 12, 28)),
        ("２０１６年１２月２８日", date(2016, 12, 28)),
        ("二〇一六年十二月二十八日", date(2016, 12, 28)),
        ("二○一六年十二月二十八日", date(2016, 12, 28)),
        ("二〇一七年一月五日", date(2017, 1, 5)),
        ("成文日期：2017年3月1日", date(2017, 3, 1)),
        ("2016 年 3 月 31 日", date(2016, 3, 31)),
        ("2016年1月1日至2016年12月31日", None),  # a statistics period
        ("截至2016年12月31日，共公开信息120条。", None),  # a date inside the text
        ("20161399", None),
        ("2016年2月30日", None),
    ],
)
def test_date_lines(line: str, expected: date | None) -> None:
    assert date_line(view(line)) == expected


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("昆明市五华区人民政府办公室2016年政府信息公开年度报告", "2016"),
        ("云南省人民政府研究室2016政务公开工作要点落实情况自查报告", "2016"),
        ("某县人民政府办公室二〇一五年政府信息公开工作年度报告", "2015"),
        ("某县人民政府办公室二○一五年度政府信息公开工作报告", "2015"),
        ("某县人民政府办公室政府信息公开工作年度报告", None),
    ],
)
def test_year_in_titles(title: str, year: str | None) -> None:
    assert year_in(view(title)) == year


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("临民字〔2018〕2号", ("临民字〔2018〕2号", None)),
        ("文号：楚政办函〔2019〕15号", ("楚政办函〔2019〕15号", None)),
        ("云府办明电〔201667号", ("云府办明电〔201667号", "云府办明电〔2016〕67号")),
        ("沈政办发[201512号", ("沈政办发[201512号", "沈政办发[2015]12号")),
        ("昭政办（20181号", ("昭政办（20181号", "昭政办（2018）1号")),
        ("按照临政办〔2017〕106号精神", None),  # cited in a sentence, not standing alone
        ("2017年工作要点", None),
    ],
)
def test_doc_number_lines(line: str, expected: tuple[str, str | None] | None) -> None:
    assert doc_number_line(line, view(line)) == expected


@pytest.mark.parametrize(
    ("line", "noise"),
    [
        ("首页 -> 政务公开 -> 政府信息公开年报 -> 2015年", True),
        ("当前位置：首页 > 信息公开", True),
        ("[字体: ] 打印", True),
        ("【字体：大 中 小】【打印】【关闭】", True),
        ("分享到：微信 微博", True),
        ("相關詞條", True),
        ("網站地圖 | 聯絡我們", True),
        ("打印", True),
        ("首页工作要点是深化公开。", False),
        ("联系我们的群众，做好服务。", False),
    ],
)
def test_noise_lines(line: str, noise: bool) -> None:
    assert is_noise(view(line)) is noise


@pytest.mark.parametrize(
    ("line", "rank"),
    [
        ("一、主要工作", 0),
        ("（一）推进决策公开", 1),
        ("(二)围绕经济发展推进公开方面", 1),
        ("1.预决算信息。", 2),
        ("（1）部门预算", 3),
        ("四、2015年推進政府信息公開工作的總體要求、目標任務", 0),
        ("（一）推进行政权力清单公开。一是加强组织领导。", None),  # a paragraph that opens with a marker
        ("1.完善政务公开制度。建立主动公开制度。", None),
        ("一是加强领导", None),
        ("2016年，我局认真落实。", None),
    ],
)
def test_heading_ranks(line: str, rank: int | None) -> None:
    assert heading_rank(view(line)) == rank


def test_every_seed_line_survives_markdown_unchanged() -> None:
    """The body keeps the text: every line of each seed that stays in the body renders as written."""
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5, SEEDS
    for seed in seeds:
        raw = {line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()}
        rendered = plain_text(extract(seed.read_text(encoding="utf-8")).body).splitlines()
        assert rendered and all(line in raw for line in rendered), seed.name


@pytest.mark.parametrize(
    "line",
    [
        "1. 第一",
        "# 标题",
        "> 引用",
        "- 项",
        "+ 项",
        "---",
        "***",
        "a*b*c_d_",
        "[链接](http://example.org)",
        "[a][b]",
        "[a]: http://example.org",
        "![图](x.png)",
        "<b>粗</b>",
        "<http://example.org>",
        "&nbsp;与&amp;",
        "反斜杠\\",
        "`代码`",
        "结尾#",
        "12) 项",
        "辽政办发[2015]39号",
        "| 表 | 格 |",
    ],
)
def test_escaped_lines_render_as_themselves(line: str) -> None:
    assert plain_text(escape_line(line)) == line


@pytest.mark.parametrize(
    ("agency", "path"),
    [
        ("昆明市五华区人民政府办公室", ("云南省", "昆明市", "五华区")),
        ("云南省人民政府研究室", ("云南省",)),
        ("北京市朝阳区人民政府", ("北京市", "朝阳区")),  # a municipality has no city level
        ("长春市朝阳区人民政府", ("吉林省", "长春市", "朝阳区")),
        ("呈贡县人民政府", ("云南省", "昆明市", "呈贡县")),  # a county that became a district in 2011
        ("昆明五华区", ("云南省", "昆明市", "五华区")),
    ],
)
def test_gazetteer_paths(agency: str, path: tuple[str, ...]) -> None:
    places = gazetteer()
    [place] = places.leading(agency)
    assert places.path(place) == path


def test_an_ambiguous_place_name_gives_every_candidate() -> None:
    assert len(gazetteer().leading("朝阳区人民政府")) == 2


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("发布机构：临沧市民政局  公开属性：不公开  发布日期：2018-01-10", [("公开属性：不公开", "不予公开")]),
        ("公开属性：不予 公开 发布日期：2018-01-10", [("公开属性：不予 公开", "不予公开")]),
        ("公 开 属 性 ： 依申请公开", [("公 开 属 性 ： 依申请公开", "依申请公开")]),
        ("公开属性:主动公开", [("公开属性:主动公开", "主动公开")]),
        ("公开属性：主动公开发布日期：2018-01-10", [("公开属性：主动公开", "主动公开")]),
        ("索引号 0001 公开方式 依申请公开 发布日期 2018", [("公开方式 依申请公开", "依申请公开")]),
        ("【公开类型】免予公开", [("公开类型】免予公开", "免予公开")]),
        ("信息公开属性：删减后公开", [("信息公开属性：删减后公开", "删减后公开")]),
        ("公开属性：部分公开", [("公开属性：部分公开", "部分公开")]),
        ("公開屬性：不予公開", [("公開屬性：不予公開", "不予公开")]),
        ("公开属性：内部资料", [("公开属性：内部资料", "不予公开")]),
        ("（此件公开发布）", [("此件公开发布", "主动公开")]),
        ("（此件不得公开）", [("此件不得公开", "不予公开")]),
        ("此件不予 公开。", [("此件不予 公开", "不予公开")]),
        ("（此件不予公開）", [("此件不予公開", "不予公开")]),
        ("〔依申请公开〕", [("〔依申请公开〕", "依申请公开")]),
        ("不予公开", [("不予公开", "不予公开")]),
        ("密级：秘密", [("密级：秘密", "不予公开")]),
        ("密級：機密★10年  发布日期：2018-01-10", [("密級：機密★10年", "不予公开")]),
        ("密级 绝密", [("密级 绝密", "不予公开")]),
        ("秘密★1年", [("秘密★1年", "不予公开")]),
        ("內部資料 注意保存", [("內部資料 注意保存", "不予公开")]),
        ("【内部文件，请勿外传】", [("【内部文件，请勿外传】", "不予公开")]),
        ("本报告仅供内部参阅。", [("仅供内部参阅", "不予公开")]),
    ],
)
def test_disclosure_statements(line: str, said: list[tuple[str, str]]) -> None:
    assert [(found.said, found.value) for found in disclosure_statements(line, view(line))] == said


@pytest.mark.parametrize(
    "line",
    [
        "2017年，我局坚持以公开为常态、不公开为例外。",
        "一是严格审查公开属性。拟制公文时，明确公开属性，即“主动公开”、“依申请公开”或“不予公开”。",
        "全年完成市政府及市政府办公厅公文公开属性审查 166 件、",
        "2.嚴格落實信息公開屬性源頭認定機制情況。",
        "（三）不予公开",
        "三、依申请公开情况",
        "| 三、本年度办理结果 | （三）不予公开 | 5.属于三类内部事务信息 | 8 |",
        "建立健全内部工作制度与工作机制，促进机关内部管理的制度化。",
        "公开方式：主要通过政府门户网站、政务微博发布。",
        "公开方式多样，",
        "密级：无",
        "密级：非密",
        "此件事情已办结。",
        "依法确定涉密级别，做好保密审查。",
        "本文件自发布之日起施行。",
        "对属于国家秘密、仅供内部使用的政府信息，依法不予公开，全年共审查各类公文三百余件，未发现问题。",
    ],
)
def test_what_is_no_disclosure_statement(line: str) -> None:
    assert disclosure_statements(line, view(line)) == []
