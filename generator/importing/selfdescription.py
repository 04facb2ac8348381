"""What a report's text says of itself, wherever in it: the title it gives itself, the year it covers,
who compiled it and whom to ask, and whether it is a report at all.

Patterns run on the view of the body (digits half-width, brackets folded, Simplified characters);
what they find is sliced from the text as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.importing.rawtext import is_agency_like

# What is said within this many characters of the start of the text.
REACH = 1500

# A title the text gives itself: 现将《某局2017年政府信息公开工作年度报告》公布如下, 编写了《…报告》.
_SELF_REFERENCE = re.compile(
    r"(现将|现予|现|特|予以|本报告为|编写了|编制了|编印了|编写|编制)(公布|发布|印发)?《(?P<title>[^《》\n]{6,80}?报告)》"
)
# The same without brackets: 现公布某镇人民政府2020年政府信息公开工作年度报告。
_SELF_NAMING = re.compile(
    r"(现将|现予|现|特|予以)(公布|发布|印发)(?P<title>[^《》\n,。;:]{6,60}?(报告|年报))(如下)?[。:]"
    r"|现将(?P<named>[^《》\n,。;:]{6,60}?(报告|年报))(予以公开|予以公布|公布如下|公开如下)"
)
# A notice that issues a document whose title it quotes: 《2023年新余市政务公开工作要点》已经市政府同意，现印发给你们.
_ISSUING = re.compile(
    r"《(?P<title>[^《》\n]{4,60})》(已经|经)[^。\n]{0,20}(同意|通过)[^。\n]{0,10}现(印发|转发)给你们"
)
_NOTICE_TOPIC = re.compile(r"关于开展(?P<topic>(19|20)\d\d年.{4,40}?)(督查|检查|自查|考核)(工作)?的通知")
# Where a text states the year it covers, surest first. The statistics period, whole year, also with its
# separators lost (自201911日起至20191231日止) or the second year left out (自2017年1月1日起至12月31日止).
_PERIOD = re.compile(
    r"(?P<year>(19|20)\d\d)\s*年?\s*0?1\s*月?\s*0?1\s*日\s*起?\s*(至|到|-|—|~)\s*((?P=year)\s*年?\s*)?12\s*月?\s*31\s*日"
)
# The report named by its year: 现公布…2017年政府信息公开工作年度报告, 关于做好2020年度政府信息公开年度报告….
# The body's name may stand between year and topic: 形成2020年度马冈镇政府信息公开年度报告.
_NAMED = re.compile(
    r"(?P<year>(19|20)\d\d)\s*年度?\s*[\u4e00-\u9fff]{0,15}?(政府信息公开|政务公开|信息公开)(工作)?(年度)?(工作)?(报告|年报)"
)
# The year's plan of disclosure work that a 落实情况 report answers: 关于印发2023年政务公开工作主要任务分解表的通知.
_PLAN = re.compile(r"关于印发(?P<year>(19|20)\d\d)\s*年度?(政务公开|政府信息公开)工作(要点|主要任务)")
# A paragraph that opens with the year: 2019年，我厅… 2024年以来，…
_OPENING = re.compile(r"(?:^|\n)(?P<year>(19|20)\d\d)\s*年(度|以来)?\s*[,，]", re.MULTILINE)
# Who wrote it (本报告由某局根据…编制), whom to ask (请与某镇人民政府联系), the body a paragraph opens with
# (2023年，某镇人民政府认真贯彻…), and the site that carries the report (可在深圳市交通运输局网站查阅).
_COMPILED_BY = re.compile(r"由(?P<name>[\u4e00-\u9fff()]{3,40}?)(根据|依据|按照|结合|在|负责|汇总|编制|编写|制作)")
_CONTACT = re.compile(r"请(与|联系|致电) *:? *(?P<name>[\u4e00-\u9fff()]{3,40}?)(办公室)?(联系|,|。|\(|电话)")
_OPENING_SUBJECT = re.compile(
    r"(?:^|\n)(19|20)\d\d\s*年度?(以来)?\s*,\s*(?P<name>[\u4e00-\u9fff()]{3,30}?)"
    r"(认真|坚持|按照|深入|全面|围绕|紧紧|紧扣|继续|进一步|严格|积极|高度)"
)
_WEBSITE = re.compile(r"可在(?P<name>[\u4e00-\u9fff()]{3,30}?(局|委|办|厅))(门户)?网站")
# A section of a body (综合科), which a contact sentence may name after it.
_SECTION_UNIT = re.compile(r"[\u4e00-\u9fff]{1,6}(科|股)$")
# Texts that are not reports: another kind of document by the last word of its title, a template
# (范文 with xx where the names go), news about a report (贵州省发布2016年…年度报告), and a document
# addressed to those who must act on it (各县(区)人民政府，市政府各部门：), a notice or a letter.
_OTHER_KIND = re.compile(r"(通知|意见|办法|规定|决定|方案|要点|条例|公告|通告|批复|函)$")
_ADDRESSED = re.compile(r"^各[^。\n]{2,120}:\s*$", re.MULTILINE)
_TEMPLATE = re.compile(r"范文")
_PLACEHOLDER = re.compile(r"(19|20)xx|xx(省|市|县|区|局|镇|府|政)|××|XX(省|市|县|区|局)", re.IGNORECASE)
_NEWS = re.compile(r"^[^报]{2,20}(发布|公布|出炉)(了)?[^,。]{0,30}(报告|年报)$")


@dataclass(frozen=True)
class Said:
    """A value the text states, what states it, and whether that is the surer kind of statement."""

    value: str
    note: str
    surer: bool


def self_title(body_text: str, body_view: str) -> str | None:
    """The title the text gives itself: 现将《某局2017年政府信息公开工作年度报告》公布如下, 现公布…报告。, or
    the document a notice issues: 《…工作要点》已经市政府同意，现印发给你们."""
    found = _SELF_REFERENCE.search(body_view) or _SELF_NAMING.search(body_view) or _ISSUING.search(body_view)
    if not found:
        return None
    group = "title" if found["title"] else "named"
    return body_text[found.start(group) : found.end(group)]


def stated_year(body_view: str) -> Said | None:
    """The year the text says it covers: the statistics period or the report's name (surer), the year a
    paragraph opens with, or the year of the notice it answers."""
    head = body_view[:REACH]
    for pattern, note, surer in (
        (_PERIOD, "from the statistics period", True),
        (_NAMED, "from the report's name in its text", True),
        (_OPENING, "from the year a paragraph opens with", False),
    ):
        found = pattern.search(head)
        if found:
            return Said(found["year"], note, surer)
    topic = notice_topic(body_view)
    if topic:
        return Said(topic[:4], "from the notice the report answers", False)
    plan = _PLAN.search(head)
    return Said(plan["year"], "from the year's plan of disclosure work the report answers", False) if plan else None


def notice_topic(body_view: str) -> str | None:
    """What the notice a report answers asks about: 关于开展2016年政务公开工作要点落实情况自查的通知."""
    found = _NOTICE_TOPIC.search(body_view)
    return found["topic"] if found else None


def stated_agency(body_text: str, body_view: str) -> Said | None:
    """The first of: who the text says compiled it (surer), whom it says to ask (without the section
    named after the body), the body a paragraph opens with, the site that carries it."""
    head = body_view[:REACH]
    for pattern, note in (
        (_COMPILED_BY, "the text says who compiled it (由…编制)"),
        (_CONTACT, "the body the text says to ask (请与…联系)"),
        (_OPENING_SUBJECT, "the body a paragraph opens with (2023年，某镇…)"),
        (_WEBSITE, "the body whose site carries the report (可在…网站查阅)"),
    ):
        for found in pattern.finditer(head):
            start, end = found.span("name")
            if pattern is _CONTACT:
                end = _without_section(body_view, start, end)
                if not is_agency_like(body_view[start:end]) and body_view.startswith("办公室", end):
                    end += 3  # 请与某开发区党政办公室联系: the office is the name
            if is_agency_like(body_view[start:end]) and not body_view.startswith(("我", "本"), start):
                return Said(body_text[start:end], note, pattern is _COMPILED_BY)
    return None


def _without_section(text: str, start: int, end: int) -> int:
    """Where the name ``text[start:end]`` ends without the section named after the body (…办公室综合科)."""
    if not _SECTION_UNIT.search(text, start, end):
        return end
    for cut in range(end - 2, max(start, end - 7), -1):
        if is_agency_like(text[start:cut]):
            return cut
    return end


def what_else(title_view: str, body_view: str) -> str:
    """What the text is when it is not a report ("" when it is one), by its title (``title_view``, "" when
    unsure) and its opening: a document of another kind by its title's last word, a template by its
    placeholders, news that a report was published, or a notice addressed to those who must act on it."""
    if _TEMPLATE.search(title_view) or _PLACEHOLDER.search(body_view[:REACH]):
        return "a template (范文) with placeholders where names and years go"
    if _NEWS.search(title_view):
        return "news that a report was published"
    other = _OTHER_KIND.search(title_view.rstrip("》>」』\"' "))
    if other:
        return f"a {other[1]}"
    return "a notice or letter addressed to those who must act on it" if _ADDRESSED.search(body_view[:REACH]) else ""
