"""Where the importer finds each field in scraped text, on cases written the way real scrapes come: an
archiver's header block, a portal's metadata table, buttons glued before the title, a title only in the
text, a year only in the statistics period, an agency only in 本报告由…编制."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.importing.extract import Accounting, extract
from generator.importing.fields import HIGH, LOW, MEDIUM
from generator.importing.flat import unflatten
from generator.importing.importer import Imported, Source, front_matter, review_reasons

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
BODY = "一、总体情况\n2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息120条。\n"


def _field(text: str, name: str) -> tuple[object, str]:
    found = extract(text).fields[name]
    return found.value, found.confidence


def test_an_archivers_header_block_is_read_and_leaves_the_body() -> None:
    text = (
        "标题: 某市交通运输局2021年政府信息公开工作年度报告\n"
        "发布时间: 2022-01-25 09:30\n"
        "发布机构: 某市交通运输局\n"
        "栏目: 政府信息公开年报\n"
        "原文链接: http://jtj.example.gov.cn/art/2022/1/25/art_1.html\n"
        "==== 正文 ====\n" + BODY
    )
    extraction = extract(text)
    fields = extraction.fields
    assert fields["title"].value == "某市交通运输局2021年政府信息公开工作年度报告"
    assert fields["title"].confidence == HIGH
    assert (fields["date"].value, fields["date"].confidence) == ("2022-01-25", LOW)  # the page's date
    assert fields["source_url"].value == "http://jtj.example.gov.cn/art/2022/1/25/art_1.html"
    assert fields["agency"].value == "某市交通运输局"
    assert extraction.body.startswith("## 一、总体情况")
    assert len(extraction.accounting.removed) == 6


def test_a_portal_metadata_table_gives_the_date_signed_before_the_page_date() -> None:
    text = (
        "| 索 引 号: | 000014349/2022-02188 | 信息分类: | |\n"
        "| 发文机构: | 某省交通运输厅 | 成文日期: | 2022-01-20 |\n"
        "| 发文字号: | | 发布日期: | 2022-01-29 14:59:17 |\n"
        "| 标 题: | 某省交通运输厅2021年政府信息公开工作年度报告 | ||\n"
        "某省交通运输厅2021年政府信息公开工作年度报告\n" + BODY
    )
    extraction = extract(text)
    assert (extraction.fields["date"].value, extraction.fields["date"].confidence) == ("2022-01-20", HIGH)
    assert extraction.fields["doc_number"].value is None
    assert "某省交通运输厅2021年" not in extraction.body, "the line repeating the header's title leaves too"


def test_a_long_line_that_starts_like_a_header_is_text() -> None:
    line = "时间：2021年全年，我局围绕政务公开重点工作，" + "及时发布政策文件和解读材料，" * 8 + "回应社会关切。"
    extraction = extract(line + "\n" + BODY)
    assert line in extraction.body
    assert extraction.fields["date"].value is None


def test_portal_buttons_before_the_title_are_removed_and_words_of_a_sentence_are_not() -> None:
    text = "长者版 无障碍阅读\n登录    注册\n无障碍浏览东风路街道2024年政府信息公开工作年度报告\n" + BODY
    assert extract(text).fields["title"].value == "东风路街道2024年政府信息公开工作年度报告"
    assert extract("注册资本金管理制度进一步完善。\n" + BODY).body.startswith("注册资本金")


def test_a_title_only_in_the_text() -> None:
    text = "根据《条例》要求，现公布某县某镇人民政府2020年政府信息公开工作年度报告。\n" + BODY
    assert _field(text, "title") == ("某县某镇人民政府2020年政府信息公开工作年度报告", MEDIUM)


def test_years_from_the_text_when_the_title_has_none() -> None:
    period = "本报告所列数据的统计期限自2017年1月1日起至12月31日止。\n"
    lost = "本报告中所列数据的统计期限自201911日起至20191231日止。\n"
    named = "根据县政府《关于做好2021年政府信息公开工作年度报告有关事宜的通知》要求，现报告如下。\n"
    opening = "一、总体情况\n2023年，我镇坚持公开为常态。\n"
    assert _field(period + BODY, "year") == ("2017", MEDIUM)
    assert _field(lost + BODY, "year") == ("2019", MEDIUM)
    assert _field(named, "year") == ("2021", MEDIUM)
    assert _field(opening, "year") == ("2023", LOW)


def test_agencies_from_the_text() -> None:
    compiled = "本年度报告由某市人民政府外事办公室根据《中华人民共和国政府信息公开条例》编制。\n" + BODY
    town = "河包镇2020年政府信息公开工作年度报告\n" + BODY
    contact = "如对本报告有任何疑问，请与唐村镇人民政府联系（电话：0537-5470001）。\n" + BODY
    assert _field(compiled, "agency") == ("某市人民政府外事办公室", MEDIUM)
    assert _field(town, "agency")[0] == "河包镇"
    assert _field(contact, "agency") == ("唐村镇人民政府", LOW)


def test_the_government_of_a_place_a_title_starts_with() -> None:
    text = "福州市晋安区2016年政府信息公开工作年度报告\n" + BODY
    assert _field(text, "agency") == ("福州市晋安区", LOW), "no body is named: the place stands for it"
    assert extract(text).fields["region"].value == ("福建省", "福州市", "晋安区")
    written = "重庆市奉节县2010年政府信息公开工作年度报告\n奉节县人民政府网站是全县政府信息公开的主要平台。\n" + BODY
    assert _field(written, "agency") == ("奉节县人民政府", MEDIUM), "the government as the text names it"


def test_the_body_whose_disclosure_office_compiled_or_posted_the_report() -> None:
    compiled = "本报告由福州市晋安区人民政府信息公开办编制。\n" + BODY
    group = "如对本报告有任何疑问，请与闽侯县水利局政府信息公开工作领导小组联系。\n" + BODY
    town = "本报告由两城镇人民政府党政办公室编制。\n（地址：微山县两城镇人民政府驻地府前路1号）\n" + BODY
    zone = (
        "如对本报告有任何疑问，请与某经济技术开发区党政办公室联系。\n地址：某经济技术开发区管理委员会办公楼。\n" + BODY
    )
    office = "本报告由南平市人民政府信息公开工作领导小组办公室编制。\n" + BODY
    posted = (
        "科尔沁右翼中旗2023年政府信息公开工作年度报告\n来源:科右中旗政务公开领导小组办公室\n"
        "2023年，科右中旗人民政府认真落实政务公开工作。\n"
    )
    assert _field(compiled, "agency") == ("福州市晋安区人民政府", MEDIUM)
    assert _field(group, "agency") == ("闽侯县水利局", LOW)
    assert _field(town, "agency") == ("微山县两城镇人民政府", MEDIUM), "the county as the text writes it before"
    assert _field(zone, "agency") == ("某经济技术开发区管理委员会", LOW)
    assert _field(office, "agency") == ("南平市人民政府信息公开工作领导小组办公室", MEDIUM), "signs in its own name"
    assert _field(posted, "agency") == ("科右中旗人民政府", MEDIUM)


def test_a_name_in_the_title_that_the_byline_gives_in_full() -> None:
    text = "正蓝旗扎格斯台苏木2023年政府信息公开工作年度报告\n来源:正蓝旗扎格斯台苏木人民政府 发布日期:2024年01月16日\n"
    assert _field(text + BODY, "agency") == ("正蓝旗扎格斯台苏木人民政府", HIGH)


def test_an_agency_on_its_own_line_above_the_repeated_title() -> None:
    text = (
        "365体育官网\n\n2019年度政府信息公开年度报告\n发布时间:2020-01-19 10:56 来源:办公室 浏览量:次\n"
        "衡阳市民政局\n\n2019年度政府信息公开年度报告\n" + BODY
    )
    extraction = extract(text)
    assert extraction.fields["title"].value == "2019年度政府信息公开年度报告", "the advertising line is noise"
    assert extraction.fields["agency"].value == "衡阳市民政局"
    assert extraction.body.startswith("## 一、总体情况")


def test_agencies_a_text_names_only_by_how_it_speaks_of_itself() -> None:
    town = (
        "2020年，马冈镇结合工作实际，形成年度报告。我镇共主动公开政府信息203条，完善马冈镇人民政府信息公开指南。"
        "我镇建立健全马冈镇信息报送制度。\n"
    )
    office = "2010年，我辦及時公開。樂山市人民政府辦公室要求，增加法制辦副主任為副組長。在法制辦網站公開27條。\n"
    assert _field(town, "agency") == ("马冈镇人民政府", LOW)
    assert _field(office, "agency") == ("樂山市法制辦", LOW)


def test_titles_as_scrapes_break_them() -> None:
    pinyin = "鑲黃旗2024年度\n政府信息公開年報(bào)?\n? ?本年度報(bào)告根據《條例》要求制作。\n"
    quoted = "京政办发〔2016〕26号《北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知》\n"
    repeated = "《北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知》\n京政办发〔2016〕26号\n"
    opener = (
        "政府信息公开年度工作报告范文\n本年度报告是根据《中华人民共和国政府信息公开条例》\n"
        "（以下简称《条例》）要求编制。\n"
    )
    assert _field(pinyin, "title")[0] == "鑲黃旗2024年度政府信息公開年報(bào)"
    both = extract(quoted + repeated + BODY)
    assert both.fields["title"].value == "北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知"
    assert both.fields["doc_number"].value == "京政办发〔2016〕26号"
    assert both.body.startswith("## 一、总体情况")
    assert _field(opener + BODY, "title")[0] == "政府信息公开年度工作报告范文"


def test_an_import_the_importer_cannot_account_for_is_a_draft_that_lists_what_was_removed() -> None:
    extraction = extract("某市民政局2021年政府信息公开工作年度报告\n" + BODY)
    assert review_reasons(extraction) == ["region not found"]
    lossy = replace(extraction, accounting=Accounting(1000, 40, 100, ("line 1: 当前位置：首页 > 政务公开",)))
    assert lossy.accounting.flagged and lossy.accounting.kept_share < 0.95
    item = Imported(Source(Path("raw/a.txt"), "raw/a.txt"), Path("content/a.md"), "written", lossy, "0" * 64, "utf-8")
    written = front_matter(item)
    assert written.startswith("---\ndraft: true\n")
    assert "  kept: 0.896\n  removed:\n    - 'line 1: 当前位置：首页 > 政务公开'\n" in written


FLAT = (
    "某县民政局2021年政府信息公开工作年度报告本年度报告根据《中华人民共和国政府信息公开条例》编制，"
    "所列数据的统计期限自2021年1月1日起至2021年12月31日止。一、总体情况2021年，我局坚持以公开为常态、"
    "不公开为例外，全面推进政务公开工作。（一）主动公开情况。全年主动公开政府信息120条，其中政策文件15件。"
    "　　（二）依申请公开情况。全年收到政府信息公开申请3件，均已按时答复。二、存在的主要问题及改进情况"
    "一是公开内容还不够全面；二是解读形式较为单一。下一步，我局将进一步加强政务公开工作。某县民政局2022年1月20日"
)


def test_a_report_on_one_line_gets_its_title_sections_and_signature_back() -> None:
    extraction = extract(FLAT)
    fields = extraction.fields
    assert fields["title"].value == "某县民政局2021年政府信息公开工作年度报告"
    assert (fields["agency"].value, fields["year"].value, fields["date"].value) == ("某县民政局", "2021", "2022-01-20")
    blocks = extraction.body.split("\n\n")
    assert blocks[1:3] == ["## 一、总体情况", "2021年，我局坚持以公开为常态、不公开为例外，全面推进政务公开工作。"]
    assert "## 二、存在的主要问题及改进情况" in blocks
    assert "（二）依申请公开情况。全年收到政府信息公开申请3件，均已按时答复。" in blocks
    assert "一是公开内容还不够全面；二是解读形式较为单一。下一步，我局将进一步加强政务公开工作。" in blocks
    assert any("line breaks were put back" in warning for warning in extraction.warnings)


def test_putting_breaks_back_changes_no_character() -> None:
    texts = [FLAT, *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))]
    for text in texts:
        broken, _ = unflatten(text)
        assert broken.replace("\n", "") == text.replace("\n", "")


def test_texts_that_are_not_reports_are_said_to_be_so_and_written_as_drafts() -> None:
    notice = (
        "某市人民政府办公室关于印发2023年政务公开工作要点的通知\n"
        "各县（区）人民政府，市政府各部门：\n现印发给你们，请认真贯彻落实。\n"
    )
    addressed = "各县（区）人民政府，市政府各部门：\n为做好2023年政务公开工作，现将有关事项通知如下。\n"
    issuing = "各县（区）人民政府，市政府各部门：\n《2023年某市政务公开工作要点》已经市政府同意，现印发给你们。\n"
    template = "政府信息公开工作自查报告范文\n根据xx市人民政府办公室要求，我局对20xx年政府信息公开工作进行了自查。\n"
    news = (
        "贵州省发布2016年政府信息公开工作年度报告\n27日，贵州省人民政府正式向社会发布2016年政府信息公开工作年度报告。\n"
    )
    assert extract(notice).not_a_report == "a 通知"
    assert extract(addressed).not_a_report == "a notice or letter addressed to those who must act on it"
    assert extract(template).not_a_report.startswith("a template (范文)")
    assert _field(issuing, "title") == ("2023年某市政务公开工作要点", MEDIUM), "the document the notice issues"
    assert extract(issuing).not_a_report == "a 要点"
    assert extract(news).not_a_report == "news that a report was published"
    assert "looks like a 通知" in review_reasons(extract(notice))[-1]
    assert extract("某市民政局2021年政府信息公开工作年度报告\n" + BODY).not_a_report == ""


def test_rows_written_with_pipes_become_a_table_and_captions_stay_text() -> None:
    text = (
        "某镇人民政府2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 | ||||\n"
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 | |\n"
        "规章 | 0 | 0 | 0 | |\n规范性文件 | 2 | 2 | 15 | |\n注：数据截至2020年12月31日 | 单位：件\n"
    )
    blocks = extract(text).body.rstrip("\n").split("\n\n")
    assert blocks == [
        "## 二、主动公开政府信息情况",
        "第二十条第(一)项 | ||||",
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 2 | 2 | 15 |",
        "注：数据截至2020年12月31日 | 单位：件",
    ]


def test_column_headers_are_never_a_title() -> None:
    text = "统计指标单位统计数\n本年度报告根据《条例》编制。\n一、总体情况\n2019年，我局主动公开政府信息100条。\n"
    assert extract(text).fields["title"].value != "统计指标单位统计数"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("2024年南关区永吉街道办事处\n政府信息公开工作年度报告\n" + BODY, "南关区永吉街道办事处"),
        ("一、总体情况\n2023年，阿尔善宝力格镇人民政府认真贯彻落实《条例》。\n", "阿尔善宝力格镇人民政府"),
        ("本报告电子版可在深圳市交通运输局网站信息公开专栏查阅。\n" + BODY, "深圳市交通运输局"),
        (
            "如对本年报有疑问，请与广元市人民政府重点建设项目领导小组办公室综合科联系。\n" + BODY,
            "广元市人民政府重点建设项目领导小组办公室",
        ),
        ("國務(wù)院辦公廳2021年政府信息公開工作年度報(bào)告\n" + BODY, "國務院辦公廳"),
    ],
)
def test_where_else_the_agency_is_named(text: str, agency: str) -> None:
    assert extract(text).fields["agency"].value == agency


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "现将莲湖区西关街道办事处2024年度政府信息工作年度报告予以公开。\n" + BODY,
            "莲湖区西关街道办事处2024年度政府信息工作年度报告",
        ),
        (
            "政府信息公开\n福州市晋安区2016年政府信息公开工作年度报告\n" + BODY,
            "福州市晋安区2016年政府信息公开工作年度报告",
        ),
        ("第1页共2页区文体局政务工作落实情况自查报告\n" + BODY, "区文体局政务工作落实情况自查报告"),
    ],
)
def test_where_else_the_title_is(text: str, title: str) -> None:
    assert extract(text).fields["title"].value == title


def test_a_notices_signature_above_its_attachment_gives_the_date_signed() -> None:
    text = (
        "发布日期：2023-05-15\n各省、自治区、直辖市人民政府办公厅：\n现将修订后的年度报告格式印发给你们。\n"
        "国务院办公厅政府信息与政务公开办公室\n2021年9月26日\n附件\n中华人民共和国政府信息公开工作年度报告格式\n"
        "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、行政复议、行政诉讼情况\n"
        "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    )
    assert _field(text, "date") == ("2021-09-26", MEDIUM)


def test_header_labels_with_pinyin_after_their_characters() -> None:
    text = "文(wen)章(zhang)來源:中央政府網 發(fa)布時(shi)間(jian):2020-11-26\n" + BODY
    assert _field(text, "date") == ("2020-11-26", LOW)
    assert _field(text, "source")[0] == "中央政府網"


def test_a_flat_text_with_a_breadcrumb_its_own_number_a_marking_and_an_attachment() -> None:
    text = (
        "首页 -> 政务公开 -> 政府信息公开年报 临民字〔2018〕2号根据《临沧市人民政府办公室关于开展2017年政务公开工作"
        "要点落实情况自查的通知》要求，现将我局落实情况报告如下。一、落实情况全年主动公开政府信息120条，"
        "办理依申请公开3件。二、存在的问题公开内容还不够全面，解读形式较为单一。下一步，我局将进一步加强政务公开工作。"
        "临沧市民政局2017年12月26日（此件公开发布）附件：2017年政务公开工作要点分工方案落实情况表"
    )
    extraction = extract(text)
    fields = extraction.fields
    assert (fields["doc_number"].value, fields["date"].value) == ("临民字〔2018〕2号", "2017-12-26")
    assert fields["disclosure"].value == "主动公开"
    assert extraction.attachments == ("2017年政务公开工作要点分工方案落实情况表",)
    assert extraction.accounting.removed[0] == "line 1: 首页 -> 政务公开 -> 政府信息公开年报"


def test_regions_for_bodies_the_gazetteer_lacks() -> None:
    township = "安仁乡人民政府2010年政府信息公开年度报告\n来源:将乐县人民政府门户网站 时间:2011-02-28 10:51\n" + BODY
    park = "临沧市工业园区管理委员会2023年政府信息公开工作年度报告\n" + BODY
    assert _field(township, "region") == (("福建省", "三明市", "将乐县"), LOW)
    assert _field(park, "region")[0] == ("云南省", "临沧市")


def test_an_archived_one_line_page_as_scrapers_save_it() -> None:
    text = (
        "标题: 某县财政局2019年政府信息公开工作年度报告\n发布时间: 2020-01-20 16:02\n文号: \n"
        "发布机构: 某县人民政府门户网站\n栏目: 政府信息公开年报\n原文链接: http://www.example.gov.cn/art/1.html\n"
        "==== 正文 ====\n"
        "某县财政局2019年政府信息公开工作年度报告本报告根据《中华人民共和国政府信息公开条例》要求编制，"
        "所列数据的统计期限自2019年1月1日起至2019年12月31日止。　　一、总体情况　　2019年，我局坚持以公开为常态、"
        "不公开为例外，全年主动公开政府信息156条。　　二、收到和处理政府信息公开申请情况　　全年收到申请2件，"
        "均已按期答复。　　三、存在的主要问题及改进情况　　公开内容还不够全面，下一步将进一步加强。"
        "　　某县财政局　　2020年1月15日"
    )
    extraction = extract(text)
    fields = extraction.fields
    assert (fields["title"].value, fields["year"].value) == ("某县财政局2019年政府信息公开工作年度报告", "2019")
    assert (fields["date"].value, fields["date"].confidence) == ("2020-01-15", HIGH)  # signed, not put online
    assert fields["source_url"].value == "http://www.example.gov.cn/art/1.html"
    assert fields["agency"].value == "某县财政局"
    blocks = extraction.body.rstrip("\n").split("\n\n")
    assert blocks[0].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert "## 二、收到和处理政府信息公开申请情况" in blocks and blocks[-2:] == ["某县财政局", "2020年1月15日"]
    assert extraction.accounting.kept_share > 0.99


def test_a_title_only_in_the_sentence_that_says_who_wrote_it() -> None:
    text = "根据《条例》要求，某县民政局编写了《某县民政局2019年政府信息公开工作年度报告》。\n" + BODY
    assert _field(text, "title") == ("某县民政局2019年政府信息公开工作年度报告", MEDIUM)


def test_rows_set_apart_by_spaces_or_tabs_become_a_table_only_when_their_columns_are_certain() -> None:
    rows = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t3\n规范性文件　2　1　15\n"
    text = "某县民政局2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n" + rows + "三、其他\n"
    assert extract(text).body.rstrip("\n").split("\n\n")[1:3] == [
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 0 | 0 | 3 |\n| 规范性文件 | 2 | 1 | 15 |",
        "## 三、其他",
    ]
    two_rows = "某县民政局2021年政府信息公开工作年度报告\n规章  0  0  3\n规范性文件  2  1  15\n"
    words = "某县民政局2021年政府信息公开工作年度报告\n一是  加强  领导\n二是  完善  制度\n三是  强化  监督\n"
    assert "|" not in extract(two_rows).body, "two rows could be prose laid out with spaces"
    assert "|" not in extract(words).body, "rows without a number are not a statistics table"


def test_places_by_the_short_names_in_everyday_use() -> None:
    county = "阜蒙县交通运输局2021年度政府信息公开工作报告\n" + BODY
    banner = "科右中旗2023年政府信息公开工作年度报告\n" + BODY
    assert extract(county).fields["region"].value == ("辽宁省", "阜新市", "阜新蒙古族自治县")
    assert extract(banner).fields["region"].value == ("内蒙古自治区", "兴安盟", "科尔沁右翼中旗")


def test_years_from_a_report_named_with_its_body_and_from_the_plan_it_answers() -> None:
    named = "马冈镇结合工作实际，形成2020年度马冈镇政府信息公开年度报告。\n"
    plan = "我局根据市政府办公厅关于印发2023年政务公开工作主要任务分解表的通知要求，自查如下。\n"
    assert _field(named, "year") == ("2020", MEDIUM)
    assert _field(plan, "year") == ("2023", LOW)


def test_a_title_about_something_goes_on_to_its_kind() -> None:
    text = "國務院辦公廳政府信息與政務公開辦公室\n關于政府信息公開工作年度報告\n有關事項的通知\n"
    title = "國務院辦公廳政府信息與政務公開辦公室關于政府信息公開工作年度報告有關事項的通知"
    assert _field(text + BODY, "title")[0] == title
    whole = "某市民政局关于2019年政府信息公开工作的报告\n有关事项说明\n"
    assert _field(whole + BODY, "title")[0] == "某市民政局关于2019年政府信息公开工作的报告"
