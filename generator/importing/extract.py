"""One raw report → metadata fields, each with a confidence, and a Markdown body.

The body keeps the text as written. What is taken out is portal chrome (breadcrumbs, font and share
bars, footers), indentation, and the lines that became metadata: the title, byline, own 文号, 出处/来源
and 附件 lines. Heading lines (一、 (一) 1. (1)) become Markdown headings at consistent levels.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.core.chinese import detect_script, to_script
from generator.core.searchtext import view
from generator.importing.agencies import AgencyEvidence, NameText, without_pinyin
from generator.importing.agencies import agency as agency_of
from generator.importing.body import markdown
from generator.importing.fields import HIGH, LOW, MEDIUM, NONE, Field
from generator.importing.flat import LONG_LINE, unflatten
from generator.importing.gazetteer import Gazetteer, Place, gazetteer
from generator.importing.rawtext import (
    ADDRESS,
    AGENCY,
    ATTACHMENT,
    BARE,
    DOC_NUMBER,
    INDEX,
    NUMBER,
    OPEN_VALUE,
    PAGE_DATE,
    PINYIN_LETTERS,
    PUBLISHED,
    SENTENCE,
    SIGNED,
    SOURCE,
    SOURCE_NAME,
    TITLE,
    URL,
    Statement,
    archiver_url,
    date_line,
    dates_in,
    disclosure_statements,
    doc_number_line,
    header_fields,
    heading_rank,
    is_agency_like,
    is_byline,
    is_marking,
    is_noise,
    leading_breadcrumb,
    leading_furniture,
    lost_brackets,
    without_dates,
    year_in,
)
from generator.importing.selfdescription import Said, notice_topic, self_title, stated_agency, stated_year, what_else

# A title's last word, perhaps with the pinyin a mirror put after it: 年報(bào).
_TITLE_END = re.compile(
    rf"(报告|年报|总结|情况|通报|公告|通知|意见|要点|办法|决定|规定|方案)(\([{PINYIN_LETTERS}]{{1,7}}\))?$"
)
# How a report's first sentence opens: a line that starts so is never the rest of a title.
_OPENER = re.compile(r"(本年度报告|本报告|本年报|根据|按照|依据|依照|为进一步|现将)")
_MAX_TITLE = 80
_TITLE_PARTS = 3
_TAIL = 6
_MAX_ATTACHMENT_CONTINUATION = 30
_NUMBERED = re.compile(r"^\d{1,2}[.、]\s*(?=\S)")
_KINDS = (  # (pattern on the folded title, kind written in Simplified)
    (re.compile(r"自查"), "自查报告"),
    (re.compile(r"年度报告|年报|年度.*工作报告|工作年度报告"), "政府信息公开工作年度报告"),
    (re.compile(r"政务公开工作要点落实情况"), "政务公开工作要点落实情况报告"),
    (re.compile(r"政府信息公开工作要点落实情况"), "政府信息公开工作要点落实情况报告"),
    (re.compile(r"落实情况"), "落实情况报告"),
)
# Portal columns whose name a scrape glues before the title.
_COLUMN_LABELS = ("政府信息公开年报", "政府信息公开", "政务公开", "信息公开")
# A statistics table's column headers, which a scrape may leave on a line of their own (统计指标单位统计数):
# never a title.
_TABLE_HEADER = re.compile(
    r"(统计指标|指标名称|指标|计量单位|单位|统计数|数量|件数|项目|信息内容|序号|类别|合计|总计|备注|\s)+"
)
# 公开属性 values from least to most restrictive; a value no one has a name for ranks between them.
_RESTRICTION = (OPEN_VALUE, "删减后公开", "依申请公开", None, "免予公开", "不予公开")
# 不予公开 alone on a line may be a cell of a statistics table; only near the top or the end is it a marking.
_BARE_MARKING_LINES = 5
_MAX_EVIDENCE = 10
# Below this share of its characters (outside page furniture) kept in the body or a field, an import is
# queued for review: labels of bylines (发布日期：) and dates rewritten as 2021-01-29 cost a little, never this much.
MIN_KEPT_SHARE = 0.95
_MAX_REMOVED_SHOWN = 10
# A page's metadata header stands in its first lines, and holds short values; a longer one is prose
# that starts with a word such as 时间：.
_HEADER_LINES = 15
_MAX_HEADER_VALUE = 80
# The longest 索引号 a content file may hold (the build's limit): a longer value is not one.
_MAX_INDEX_NUMBER = 60
_MAX_BYLINE = 200
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# How far below the header a line that repeats its title may stand.
_TITLE_SEARCH = 5


@dataclass(frozen=True)
class Accounting:
    """Where the characters of the source went: what every importer is held to, since text it drops
    silently is text no reader of the archive will ever see. Whitespace is not counted."""

    # Characters of the source, and of them those removed as page furniture (breadcrumbs, share bars).
    source: int
    noise: int
    # Characters found neither in the body, nor in a field, nor in the furniture removed.
    lost: int
    # What was removed as furniture, by line: "line 3: 当前位置：首页 > …".
    removed: tuple[str, ...] = ()

    @property
    def kept_share(self) -> float:
        """The share of the characters outside furniture that are in the body or a field."""
        outside = self.source - self.noise
        return 1.0 if outside <= 0 else 1 - self.lost / outside

    @property
    def flagged(self) -> bool:
        return self.kept_share < MIN_KEPT_SHARE


@dataclass(frozen=True)
class Extraction:
    fields: Mapping[str, Field]
    attachments: tuple[str, ...]
    body: str
    warnings: tuple[str, ...]
    # The lines 公开属性 was read from, as written, since a byline that says it leaves the body.
    evidence: tuple[str, ...] = ()
    accounting: Accounting = Accounting(0, 0, 0)
    # What the text is when it is not a disclosure report (a notice, a template, news about a report).
    not_a_report: str = ""


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    view: str


@dataclass
class _Reading:
    """What the passes over the lines have found so far."""

    lines: list[_Line]
    taken: set[int] = field(default_factory=set)
    found: dict[str, Field] = field(default_factory=dict)
    byline_agency: str | None = None
    signature_agency: str | None = None
    # Who the text says compiled it, whom it says to ask, and the like (selfdescription.stated_agency).
    stated_agency: Said | None = None
    # What a scraper's table gives, by field: it outranks the text, whatever the passes find.
    given: dict[str, Field] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Page furniture removed, by line: (line number, text).
    removed: list[tuple[int, str]] = field(default_factory=list)

    def take(self, line: _Line) -> None:
        self.taken.add(line.number)

    def remove(self, line: _Line) -> None:
        """Take ``line`` out as page furniture, and account for it."""
        self.take(line)
        self.removed.append((line.number, line.text))

    def remaining(self) -> list[_Line]:
        return [line for line in self.lines if line.number not in self.taken]

    def offer(self, name: str, value: str | None, confidence: str, note: str = "") -> None:
        """Keep the first value found for a field."""
        if value and name not in self.found:
            self.found[name] = Field(value, confidence, note)


def extract(text: str, given: Mapping[str, str] | None = None) -> Extraction:
    """The fields and body of one raw report. ``given`` holds what a scraper's table says of it, by
    field (title, agency, region, year, doc_number, date, source, source_url): taken over the text's."""
    broken, breaks = unflatten(text)
    reading = _Reading(_lines(broken))
    reading.given = _given_fields(given or {}, reading.warnings)
    # Found before the passes run, so that they read the text knowing them: the line that repeats a table's
    # title leaves the body, and a region falls back on the table's source. The agency, region and year
    # are decided at the end (_decide).
    reading.found.update({name: f for name, f in reading.given.items() if name not in ("agency", "region", "year")})
    if breaks:
        reading.warnings.append(
            f"the text had lines of more than {LONG_LINE} characters: {breaks} line breaks were put back "
            "where it shows a new paragraph (indents, heading markers, a glued title or signature); line "
            "numbers here count the lines after that"
        )
    _remove_leading_furniture(reading)
    _read_head(reading)
    _read_sources_and_attachments(reading)
    _read_tail(reading)
    body_lines = reading.remaining()
    body_view = "\n".join(line.view for line in body_lines)
    body_text = "\n".join(line.text for line in body_lines)
    language = detect_script(body_text)
    if (title := self_title(body_text, body_view)) is not None:
        reading.offer("title", title, MEDIUM, "the title the text gives itself (现公布…)")
    reading.stated_agency = stated_agency(body_text, body_view)
    statements = _statements(reading.lines)
    fields = _decide(reading, body_view, language, gazetteer(), statements)
    _note_lost_brackets(reading, body_lines)
    body = markdown([(line.text, line.view) for line in body_lines], _blanks(reading, body_lines), _year_of(fields))
    title = fields["title"]
    sure_title = view(title.value) if isinstance(title.value, str) and title.confidence != LOW else ""
    not_a_report = what_else(sure_title, body_view)
    if not_a_report:
        reading.warnings.append(f"this looks like {not_a_report}, not a disclosure report: check before publishing")
    accounting = _accounting(text, reading, fields, body)
    if accounting.flagged:
        reading.warnings.append(
            f"only {accounting.kept_share:.0%} of the text outside page furniture was kept in the body or a "
            f"field ({accounting.lost} of {accounting.source - accounting.noise} characters are in neither): "
            "compare the body with the source"
        )
    return Extraction(
        MappingProxyType(fields),
        tuple(reading.attachments),
        body,
        tuple(reading.warnings),
        _evidence(statements),
        accounting,
        not_a_report,
    )


def _blanks(reading: _Reading, body_lines: list[_Line]) -> list[int]:
    """The blank lines of the source before each body line, since the line before it in the body: an
    empty cell of a table printed one cell per line."""
    written = {line.number for line in reading.lines}
    blanks, previous = [], 0
    for line in body_lines:
        blanks.append(sum(1 for number in range(previous + 1, line.number) if number not in written))
        previous = line.number
    return blanks


def _year_of(fields: Mapping[str, Field]) -> int | None:
    value = fields["year"].value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _remove_leading_furniture(reading: _Reading) -> None:
    """A long line that starts with a breadcrumb loses the breadcrumb and keeps the rest; one of the
    first lines loses the portal buttons at its start, and goes when it is nothing else."""
    for index, line in enumerate(reading.lines):
        cut = leading_breadcrumb(line.view) if not is_noise(line.view) else 0
        if not cut:
            cut = leading_furniture(line.view, at_top=index < _HEADER_LINES)
        if not cut and index < _HEADER_LINES:
            cut = _column_label(line.view)
        if cut >= len(line.text):
            reading.remove(line)
        elif cut:
            reading.removed.append((line.number, line.text[:cut].strip()))
            rest = line.text[cut:]
            reading.lines[index] = _Line(line.number, rest.strip(), view(rest.strip()))


def _column_label(line_view: str) -> int:
    """The portal column's name on a line of its own above the title, or glued before a title that starts
    with a place (政府信息公开福州市晋安区2016年…): its length, or 0."""
    for label in _COLUMN_LABELS:
        if line_view == label or (line_view.startswith(label) and gazetteer().leading(line_view[len(label) :])):
            return len(label)
    return 0


def _accounting(source: str, reading: _Reading, fields: Mapping[str, Field], body: str) -> Accounting:
    """Every character of ``source`` looked for in what the import keeps: body, fields, attachments."""
    values = [v for f in fields.values() for v in (f.value if isinstance(f.value, tuple) else (f.value,)) if v]
    noise = "".join(text for _, text in reading.removed)
    kept = Counter(_counted("".join([body, *values, *reading.attachments]))) + Counter(_counted(noise))
    lost = Counter(_counted(source)) - kept
    shown = [f"line {number}: {text}" for number, text in reading.removed[:_MAX_REMOVED_SHOWN]]
    if len(reading.removed) > _MAX_REMOVED_SHOWN:
        shown.append(f"and {len(reading.removed) - _MAX_REMOVED_SHOWN} more lines")
    return Accounting(len(_counted(source)), len(_counted(noise)), sum(lost.values()), tuple(shown))


def _counted(text: str) -> str:
    return re.sub(r"\s", "", text)


def _note_lost_brackets(reading: _Reading, lines: list[_Line]) -> None:
    cited = [
        (line.number, written, repaired) for line in lines for written, repaired in lost_brackets(line.text, line.view)
    ]
    if cited:
        numbers = ", ".join(str(n) for n in dict.fromkeys(number for number, _, _ in cited))
        pairs = ", ".join(f"{written} → {repaired}" for _, written, repaired in cited)
        reading.warnings.append(
            f"lines {numbers}: {len(cited)} cited 文号 lost a closing bracket ({pairs}); the text is kept as written"
        )


def _lines(text: str) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            lines.append(_Line(number, stripped, view(stripped)))
    return lines


def _read_headers(reading: _Reading) -> None:
    """The rows of a page's metadata header, read as evidence and taken out of the body: the date
    signed (成文日期) before the page's date, which is when it was put online; that date (发布日期) is
    also the report's own ``published``, and its 索引号 its ``index_number``."""
    values: dict[str, tuple[str, int]] = {}
    for line in reading.lines[:_HEADER_LINES]:
        found = header_fields(line.view)
        if found is None or any(end - start > _MAX_HEADER_VALUE for _, start, end in found):
            continue
        reading.remove(line)
        for evidence, start, end in found:
            if evidence and end > start:
                values.setdefault(evidence, (line.text[start:end], line.number))
    for evidence, name, confidence, what in (
        (TITLE, "title", HIGH, "标题 in the page's header"),
        (NUMBER, "doc_number", HIGH, "文号 in the page's header"),
        (INDEX, "index_number", HIGH, "索引号 in the page's header"),
        (SIGNED, "date", HIGH, "成文日期 in the page's header"),
        (PUBLISHED, "date", LOW, "the page's date in its header (when it was put online, not signed)"),
        (PAGE_DATE, "date", LOW, "the page's date in its header (when it was put online, not signed)"),
        (PUBLISHED, "published", HIGH, "the date the page was put online (发布日期), in its header"),
        (SOURCE_NAME, "source", HIGH, "来源 in the page's header"),
        (ADDRESS, "source_url", HIGH, "the address in the page's header"),
    ):
        if evidence in values:
            value, number = values[evidence]
            reading.offer(name, _header_value(name, value), confidence, f"line {number}: {what}")
    if AGENCY in values and is_agency_like(view(values[AGENCY][0])):
        reading.byline_agency = values[AGENCY][0]


def _header_value(name: str, value: str) -> str | None:
    """A header's value as the field holds it: a date as YYYY-MM-DD, a 文号 only when it is one."""
    if name in ("date", "published"):
        dates = dates_in(view(value))
        return dates[0][0].isoformat() if dates else None
    if name == "index_number":
        return value if len(value) <= _MAX_INDEX_NUMBER else None
    if name == "doc_number":
        found = doc_number_line(value, view(value))
        return found[1] or found[0] if found else None
    if name == "source_url":
        address = URL.search(value)
        return address.group() if address else None
    return value


def _read_head(reading: _Reading) -> None:
    """Archiver headers and noise anywhere; then, at the top, a 文号, the title and byline lines."""
    _read_headers(reading)
    for line in reading.lines:
        if line.number in reading.taken:
            continue
        url = archiver_url(line.view, line.text)
        if url is not None or is_noise(line.view):
            reading.remove(line)
            if url:
                reading.offer("source_url", url, HIGH, f"line {line.number}")
    head = reading.remaining()
    at = 0
    while at < min(len(head), _TITLE_SEARCH) and not _CHINESE.search(head[at].view):
        at += 1  # an 索引号 or a link above the title: left in the text
    at = _skip_doc_numbers(reading, head, at)
    while at < len(head) and is_marking(head[at].view):
        at = _skip_doc_numbers(reading, head, at + 1)  # 秘密★1年 above the title: left in the text
    at = _split_glued_number(reading, head, at)
    start = at
    at = _read_title(reading, head, at)
    while at < len(head) and _is_byline(head[at]):
        _read_byline(reading, head[at])
        at += 1
    _read_repeated_title(reading, head[start : at + _TITLE_SEARCH])


def _skip_doc_numbers(reading: _Reading, head: list[_Line], at: int) -> int:
    while at < len(head) and _read_doc_number(reading, head[at]):
        at += 1
    return at


def _read_doc_number(reading: _Reading, line: _Line) -> bool:
    found = doc_number_line(line.text, line.view)
    if not found:
        return False
    written, repaired = found
    reading.take(line)
    if repaired:
        reading.offer("doc_number", repaired, MEDIUM, f"line {line.number}: repaired from {written}")
        reading.warnings.append(f"line {line.number}: 文号 {written} repaired to {repaired} (closing bracket lost)")
    else:
        reading.offer("doc_number", written, HIGH, f"line {line.number}")
    return True


def _split_glued_number(reading: _Reading, head: list[_Line], at: int) -> int:
    """A 文号 glued before the title in its brackets (京政办发〔2016〕26号《…的通知》): the 文号 is read, and the
    title stays on the line."""
    if at >= len(head):
        return at
    line = head[at]
    number = DOC_NUMBER.match(line.view)
    if number and line.view.startswith("《", number.end()):
        reading.offer("doc_number", line.text[: number.end()], HIGH, f"line {line.number}: before the title")
        head[at] = _Line(line.number, line.text[number.end() :], line.view[number.end() :])
    return at


def _is_title_like(line: _Line) -> bool:
    return (
        len(line.text) <= _MAX_TITLE
        and bool(re.search(r"[\u4e00-\u9fff]", line.view))
        and not SENTENCE.search(line.view.rstrip("? "))
        and heading_rank(line.view) is None
        and date_line(line.view) is None
        and not is_byline(line.view)
        and doc_number_line(line.text, line.view) is None
        and not _TABLE_HEADER.fullmatch(line.view)
        and "|" not in line.view
    )


def _read_title(reading: _Reading, head: list[_Line], at: int) -> int:
    if "title" in reading.found or at >= len(head) or not _is_title_like(head[at]):
        return at
    parts = [head[at]]
    while (
        len(parts) < _TITLE_PARTS
        and at + len(parts) < len(head)
        and _continues_title("".join(part.view for part in parts), head[at + len(parts)])
    ):
        parts.append(head[at + len(parts)])
    title = _bare_title("".join(part.text for part in parts))
    for part in parts:
        reading.take(part)
    numbers = ", ".join(str(part.number) for part in parts)
    if len(parts) > 1:
        reading.warnings.append(f"title joined from lines {numbers}")
    reading.offer("title", title, HIGH if _TITLE_END.search(view(title)) else MEDIUM, f"line {numbers}")
    at += len(parts)
    while at < len(head) and _same(head[at].view, title):
        reading.remove(head[at])  # the title again, in the page's brackets: 《…的通知》
        at += 1
    return _skip_doc_numbers(reading, head, at)


def _continues_title(title_view: str, line: _Line) -> bool:
    """Whether ``line`` is the rest of a title broken over lines: the title does not end in its kind yet,
    or it is a 关于… title whose 的 and kind are still to come (…关于…年度报告 / 有关事项的通知)."""
    if not _is_title_like(line) or _OPENER.match(line.view):
        return False
    if not _TITLE_END.search(_bare_title(title_view)):
        return True
    about = title_view.find("关于")
    return about >= 0 and "的" not in title_view[about:] and "的" in line.view and bool(_TITLE_END.search(line.view))


def _bare_title(title: str) -> str:
    """A title without what its line may add: the question mark an encoding put for a space, and the
    brackets of a title quoted whole (《…的通知》)."""
    title = title.rstrip("?？ ")
    if title[:1] == "《" and title[-1:] == "》" and title.count("》") == 1:
        return title[1:-1]
    return title


def _read_repeated_title(reading: _Reading, window: list[_Line]) -> None:
    """The line that repeats the title (a page's header over the article's own), and the agency's name on
    a line of its own just above it (衡阳市国资委), which is its byline."""
    title = reading.found.get("title")
    lines = [line for line in window if line.number not in reading.taken]
    repeat = next((i for i, line in enumerate(lines) if title and _same(line.view, title.value)), None)
    if repeat is None:
        return
    reading.remove(lines[repeat])
    above = lines[repeat - 1] if repeat else None
    if above and is_agency_like(above.view) and reading.byline_agency is None:
        reading.take(above)
        reading.byline_agency = above.text


def _same(line_view: str, value: object) -> bool:
    return isinstance(value, str) and re.sub(r"\s", "", _bare_title(line_view)) == re.sub(r"\s", "", view(value))


def _is_byline(line: _Line) -> bool:
    """A line of labels under the title; a long line that starts like one is text that lost its breaks."""
    return len(line.text) <= _MAX_BYLINE and (is_byline(line.view) or doc_number_line(line.text, line.view) is not None)


def _read_byline(reading: _Reading, line: _Line) -> None:
    """Fields from a byline; the rest of it (labels, 浏览量) is page furniture."""
    reading.remove(line)
    if _read_doc_number(reading, line):
        return
    source = SOURCE.search(line.view)
    if source:
        reading.offer("source", line.text[source.start("value") : source.end("value")], HIGH, f"line {line.number}")
    dates = dates_in(line.view)
    if dates:
        reading.offer("date", dates[0][0].isoformat(), MEDIUM, f"line {line.number}: date under the title")
    before_source = line.text[: source.start()] if source else line.text
    rest = without_dates(before_source, view(before_source))
    if is_agency_like(rest) and reading.byline_agency is None:
        reading.byline_agency = rest


def _read_sources_and_attachments(reading: _Reading) -> None:
    lines = reading.remaining()
    for index, line in enumerate(lines):
        source = SOURCE.match(line.view)
        if source:
            reading.take(line)
            value = line.text[source.start("value") : source.end("value")]
            reading.offer("source", value, HIGH, f"line {line.number}")
        elif ATTACHMENT.match(line.view) and line.number not in reading.taken:
            _read_attachment(reading, lines, index)


def _read_attachment(reading: _Reading, lines: list[_Line], index: int) -> None:
    """附件: name, with numbered names on the lines after it and names broken over two lines."""
    line = lines[index]
    reading.take(line)
    name = line.text[ATTACHMENT.match(line.view).end() :].strip()
    numbered = _NUMBERED.match(view(name))
    name = name[numbered.end() :] if numbered else name
    if name:
        reading.attachments.append(name)
    for follower in lines[index + 1 :]:
        if follower.number != line.number + 1:
            break
        numbered = _NUMBERED.match(follower.view)
        if numbered:
            reading.attachments.append(follower.text[numbered.end() :])
        elif reading.attachments and _continues_attachment(reading.attachments[-1], follower):
            reading.attachments[-1] += follower.text
            reading.warnings.append(
                f"line {follower.number}: taken as the rest of the attachment name on line {line.number}"
            )
        else:
            break
        reading.take(follower)
        line = follower


def _continues_attachment(name: str, line: _Line) -> bool:
    return (
        len(line.view) <= _MAX_ATTACHMENT_CONTINUATION
        and not re.search(r"\.\w{2,4}$|。$", view(name))
        and re.search(r"[\u4e00-\u9fff]", line.view) is not None
        and not re.search(r"[()。;:,]", line.view)
        and not ATTACHMENT.match(line.view)
        and date_line(line.view) is None
        and heading_rank(line.view) is None
        and not is_agency_like(line.view)
    )


def _read_tail(reading: _Reading) -> None:
    """The signature block: the last agency name and the last date standing on their own lines; without
    one, the first agency line followed by a date line inside the text (a notice above its attachment)."""
    lines = reading.remaining()
    signed_in_tail = False
    for line in lines[-_TAIL:]:
        signed = date_line(line.view)
        if signed:
            reading.found["date"] = Field(signed.isoformat(), HIGH, f"line {line.number}: date signed")
            signed_in_tail = True
        elif is_agency_like(line.view):
            reading.signature_agency = line.text
    if signed_in_tail:
        return
    for agency, below in itertools.pairwise(lines[:-_TAIL]):
        signed = date_line(below.view)
        if signed and is_agency_like(agency.view):
            note = f"line {below.number}: date signed under {agency.text}, inside the text"
            if reading.found.get("date", Field(None, NONE)).confidence in (NONE, LOW):
                reading.found["date"] = Field(signed.isoformat(), MEDIUM, note)  # a page's date is only low
            reading.signature_agency = reading.signature_agency or agency.text
            return


def _decide(
    reading: _Reading, body_view: str, language: str, places: Gazetteer, statements: list[tuple[_Line, Statement]]
) -> dict[str, Field]:
    found = reading.found
    fields: dict[str, Field] = {}
    mentions = places.mentions(body_view)
    title = found.get("title")
    # A table's agency decides the region the text would, when the table gives none.
    source = found.get("source")
    evidence = AgencyEvidence(
        title,
        reading.signature_agency,
        reading.byline_agency,
        source.value if source and isinstance(source.value, str) else None,
        reading.stated_agency,
    )
    agency = reading.given.get("agency") or agency_of(evidence, NameText(body_view, mentions, language, places))
    year = _year(title, body_view)
    kind = _kind(title, body_view, language)
    if title is None:
        title = _composed_title(agency, year, kind, body_view)
        if title.value:
            reading.warnings.append("no title found; one was composed from the agency, the topic and the kind")
    fields["title"] = title
    fields["agency"] = agency
    fields["region"] = _region(agency, mentions, places, found.get("source"))
    fields["year"] = year
    for name in ("doc_number", "index_number", "date", "published", "source", "source_url"):
        fields[name] = found.get(name, Field(None, NONE))
    fields |= reading.given
    fields["agency"] = without_pinyin(fields["agency"])
    fields["disclosure"] = _disclosure(statements, language, reading.warnings)
    fields["kind"] = kind
    fields["language"] = Field(language, HIGH, "detected from the characters of the text")
    return fields


def _given_fields(given: Mapping[str, str], warnings: list[str]) -> dict[str, Field]:
    """A table's values as fields: a date signed or published read as YYYY-MM-DD, a year as four digits, a
    region split into its places. A value that is none of these is left to the text, with a warning."""
    fields = {}
    for name, value in given.items():
        read: str | tuple[str, ...] | None = value
        if name in ("date", "published"):
            dates = dates_in(view(value))
            read = dates[0][0].isoformat() if dates else None
        elif name == "year":
            read = year_in(view(value))
        elif name == "region":
            read = _region_path(value)
        if read:
            fields[name] = Field(read, HIGH, f"the table's {name} column")
        else:
            warnings.append(f"the table's {name} column holds {value!r}, which is not a {name}: read from the text")
    return fields


def _region_path(value: str) -> tuple[str, ...] | None:
    """A table's region: places split at / > , or spaces (云南省/临沧市), or one run of names the codes know
    (云南省临沧市凤庆县)."""
    parts = tuple(part for part in re.split(r"[\s/|>›,，、]+", value) if part)
    if len(parts) == 1 and gazetteer().is_place(view(parts[0])):
        places = gazetteer().leading(view(parts[0]))
        return gazetteer().path(places[0]) if len(places) == 1 else parts
    return parts or None


def _region(agency: Field, mentions: Counter[Place], places: Gazetteer, source: Field | None = None) -> Field:
    options = places.leading(view(agency.value)) if agency.value else ()
    if len(options) == 1:
        return Field(
            places.path(options[0]),
            HIGH if agency.confidence == HIGH else MEDIUM,
            f"{options[0].name} in the agency's name",
        )
    if options:
        scored = sorted((mentions[p] + _ancestor_mentions(p, mentions), p.code, p) for p in options)
        best, _, place = scored[-1]
        sure = best > scored[-2][0]
        return Field(
            places.path(place),
            MEDIUM if sure else LOW,
            f"{len(options)} places are called {place.name}; "
            + ("chose the one whose province or city the text names" if sure else "could not tell which"),
        )
    place = next((p for p, _ in mentions.most_common()), None)
    if place is not None:
        return Field(places.path(place), LOW, f"{place.name}, the place the text names most")
    # A township's report is often published on its county's portal (来源：将乐县人民政府门户网站).
    portal = places.leading(view(source.value)) if source and isinstance(source.value, str) else ()
    if len(portal) == 1:
        return Field(places.path(portal[0]), LOW, f"{portal[0].name}, whose portal the report came from")
    return Field(None, NONE, "no place named in the agency, the text or its source")


def _ancestor_mentions(place: Place, mentions: Counter[Place]) -> int:
    return sum(count for other, count in mentions.items() if place.within(other))


def _year(title: Field | None, body_view: str) -> Field:
    found = year_in(view(title.value)) if title and title.value else None
    if title and found:
        return Field(found, title.confidence, "from the title")
    stated = stated_year(body_view)
    if stated:
        return Field(stated.value, MEDIUM if stated.surer else LOW, stated.note)
    return Field(None, NONE, "no year in the title or the text")


def _kind(title: Field | None, body_view: str, language: str) -> Field:
    text = view(title.value) if title and title.value else ""
    for pattern, kind in _KINDS:
        if pattern.search(text):
            return Field(to_script(kind, language), HIGH, "from the title")
    if re.search(r"自检自查|开展了?自查|自查情况", body_view):
        return Field(to_script("自查报告", language), LOW, "the text says it reports a self-inspection")
    return Field(None, NONE, "the title names no known kind")


def _composed_title(agency: Field, year: Field, kind: Field, body_view: str) -> Field:
    """For a report published without a title: agency + what it reports on + kind."""
    topic = notice_topic(body_view)
    if not (agency.value and kind.value and (topic or year.value)):
        return Field(None, NONE, "no title line, and too little to compose one")
    subject = topic or f"{year.value}年"
    return Field(f"{agency.value}{subject}{kind.value}", LOW, "composed: no title line in the text")


def _statements(lines: list[_Line]) -> list[tuple[_Line, Statement]]:
    """Every statement of 公开属性 in the text, with its line."""
    found = []
    for index, line in enumerate(lines):
        near_an_end = index < _BARE_MARKING_LINES or index >= len(lines) - _BARE_MARKING_LINES
        found += [
            (line, said) for said in disclosure_statements(line.text, line.view) if said.form != BARE or near_an_end
        ]
    return found


def _disclosure(statements: list[tuple[_Line, Statement]], language: str, warnings: list[str]) -> Field:
    """What the text says of its publication; when statements disagree, the most restrictive, to be checked."""
    if not statements:
        return Field(
            to_script(OPEN_VALUE, language),
            LOW,
            "no 公开属性 in the text; assumed 主动公开 because the "
            "report was found on a government portal: check it, since the build publishes it",
        )
    values = list(dict.fromkeys(said.value for _, said in statements))
    chosen = max(values, key=lambda value: _RESTRICTION.index(value if value in _RESTRICTION else None))
    said = "; ".join(f"line {line.number} says {statement.said}" for line, statement in statements[:_MAX_EVIDENCE])
    shown = to_script(chosen, language) if chosen in _RESTRICTION else chosen
    if len(values) > 1:
        warnings.append(
            f"the text says different things about 公开属性 ({said}); took {shown}, the most "
            "restrictive: check which applies"
        )
        return Field(shown, LOW, f"statements disagree; {shown} is the most restrictive")
    if chosen not in _RESTRICTION:
        return Field(
            shown,
            LOW,
            f"{said}, which is not a known 公开属性; the build withholds it until `disclosure:` is set to one",
        )
    return Field(shown, HIGH, said)


def _evidence(statements: list[tuple[_Line, Statement]]) -> tuple[str, ...]:
    lines = list(dict.fromkeys((line.number, line.text) for line, _ in statements))
    shown = [f"line {number}: {text}" for number, text in lines[:_MAX_EVIDENCE]]
    return (*shown, f"and {len(lines) - _MAX_EVIDENCE} more lines") if len(lines) > _MAX_EVIDENCE else tuple(shown)
