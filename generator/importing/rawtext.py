"""The vocabulary of raw portal text: noise lines, dates, 文号, labels and heading markers.

Patterns are written once, in Simplified characters and half-width punctuation, and run on a *view*
of each line: the same length as the line, with Traditional characters, full-width forms and every
bracket folded. Matches are sliced from the original line, so what is kept is what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import cn2an

_ZEROS = str.maketrans({"○": "〇", "零": "〇", "O": "〇"})


# Portal chrome that is never part of a report. A line of it is short: a longer line that starts like one
# is text that lost its line breaks, of which only the breadcrumb at the start is chrome.
MAX_NOISE_LINE = 80
_CRUMB_LABELS = "您当前的位置|您当前所在位置|您现在的位置|您的位置|当前位置|所在位置"
_BREADCRUMB = re.compile(rf"^(首页|{_CRUMB_LABELS}|位置)[:\s]*.*(->|>|»|›|→|/)")
_CRUMB_START = re.compile(rf"({_CRUMB_LABELS})\s*:?\s*|(?=首页\s*(->|>|»|›|→))")
# One step of a breadcrumb: a short name and the separator after it.
_CRUMB_STEP = re.compile(r"\s*[^\s>»›→/]{1,15}\s*(->|>|»|›|→)")
# The page's own name after the last separator, when a space ends it.
_CRUMB_LAST = re.compile(r"\s*[^\s>»›→/]{1,15}(\s+|$)")
_FONT_BAR = re.compile(r"^[\[(]?\s*字体\s*:.*$|^[\[(]?(打印|关闭|关闭窗口|打印本页|收藏|返回|返回顶部)[\])]?$")
_SHARE = re.compile(r"^分享到\s*:?.*$")
# Advertising that a hacked portal page carries on a short line of its own (365体育官网, 免费…app下载):
# gambling and video-site words that no report title or heading uses.
_SPAM_LINE = 30
_SPAM = re.compile(
    r"(app|APP)下载|体育(官网|平台|投注)|娱乐(场|城|官网|平台)|彩票|棋牌|博彩|菠菜|赌场|百家乐|葡京|真人视讯"
)
# An archiver's rule between its header and the text: ==== 正文 ====, ------, *** 全文 ***.
_RULE = re.compile(r"^[=\-*#~_]{3,}\s*(正文|全文|内容|原文)?\s*[=\-*#~_]*$")
_FOOTER_WORDS = frozenset(
    {
        "相关词条",
        "热门词条",
        "联系我们",
        "联络我们",
        "网站地图",
        "关于我们",
        "返回顶部",
        "打印本页",
        "关闭窗口",
        "打印",
        "关闭",
        "扫一扫",
        "分享到",
        "收藏",
        "上一篇",
        "下一篇",
        "[打印]",
        "[关闭]",
        "(打印)",
        "(关闭)",
        "字号",
        "大",
        "中",
        "小",
        "[大",
        "中]",
        "小]",
        "[大]",
        "[中]",
        "[小]",
    }
)
_ARCHIVER = re.compile(
    r"^(the wayback machine|saved from|archived from|archived on|captured on|snapshot|"
    r"归档时间|采集时间|抓取时间|保存时间|网页快照|原文地址|原文链接|原始地址|source url|url)"
    r"\b\s*[:=(]?",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s\"'<>()]+")


def is_noise(line_view: str) -> bool:
    """Breadcrumbs, font and print bars, share bars and footer link rows, as a line of their own."""
    stripped = line_view.strip()
    if len(stripped) > MAX_NOISE_LINE:
        return False
    if _BREADCRUMB.match(stripped) or _FONT_BAR.match(stripped) or _SHARE.match(stripped) or _RULE.match(stripped):
        return True
    if len(stripped) <= _SPAM_LINE and _SPAM.search(stripped) and not SENTENCE.search(stripped):
        return True
    words = re.split(r"[\s|·]+", stripped.strip("|· "))
    return all(word in _FOOTER_WORDS for word in words)


# Portal buttons and labels that scraping glues to the start of the first lines: 长者版 无障碍阅读东风路街道…,
# 登录 注册无障碍浏览…, a flip-book's ``Page 2 - ``, a document site's ``第1页共2页``, the ``正文`` tab on a
# line of its own above a PDF's text.
# Words that are also words of a sentence (登录, 注册) count only before a space, the end of the line or
# another button.
_BUTTONS = "长者版|关怀版|无障碍阅读|无障碍浏览|无障碍|手机版|简体版|繁体版"
_WORDS = "登录|注册|English"
_LEADING_FURNITURE = re.compile(
    rf"^(?:(?:{_BUTTONS}) *|(?:{_WORDS})(?: +|$|(?={_BUTTONS}|{_WORDS})))+|^page *\d{{1,4}} *[-–—] *|^正文$"
    r"|^第\d{1,4}页共\d{1,4}页 *",
    re.IGNORECASE,
)
# The marks a converter to Markdown put before a heading, on any line: the heading is found again from
# its own marker (二、, （一）).
_HEADING_MARKS = re.compile(r"^#{1,6} +(?=\S)")


def leading_furniture(line_view: str, at_top: bool) -> int:
    """How many characters at the start of a line are Markdown heading marks or, on one of the first
    lines (``at_top``), portal buttons and labels."""
    found = _HEADING_MARKS.match(line_view) or (_LEADING_FURNITURE.match(line_view) if at_top else None)
    return found.end() if found else 0


def leading_breadcrumb(line_view: str) -> int:
    """How many characters at the start of a long line are a breadcrumb (当前位置：首页 > 政务公开 > 年报):
    its label and at most a dozen short steps, each ending in a separator, then the page's own name when
    a space follows it; 0 when the line does not start with one."""
    start = _CRUMB_START.match(line_view)
    if not start:
        return 0
    end, steps = start.end(), 0
    while steps < 12 and (step := _CRUMB_STEP.match(line_view, end)):
        end, steps = step.end(), steps + 1
    if not steps:
        return 0
    last = _CRUMB_LAST.match(line_view, end)
    return last.end() if last else end


def archiver_url(line_view: str, line: str) -> str | None:
    """For an archiver or saved-page header line, the original address it names ("" when none)."""
    if not _ARCHIVER.match(line_view.strip()):
        return None
    found = URL.findall(line)
    return found[-1] if found else ""


# Dates. ``compact`` (20161228) is only trusted on a line of its own.
_DATE = re.compile(
    r"(?P<y>(19|20)\d\d)\s*(年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|[-./](?P<m2>\d{1,2})[-./](?P<d2>\d{1,2})(?!\d))"
)
_HAN_DATE = re.compile(
    r"(?P<y>[〇○零O一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)
_COMPACT_DATE = re.compile(r"(?P<y>(19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)")
_DATE_LABEL = r"((成文|发布|印发|发文|生成|公开)?(日期|时间)\s*:\s*)?"


def _to_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _han_date(found: re.Match[str]) -> date | None:
    try:
        year = cn2an.cn2an(found["y"].translate(_ZEROS), "direct")
        return _to_date(year, cn2an.cn2an(found["m"], "smart"), cn2an.cn2an(found["d"], "smart"))
    except ValueError:
        return None


_YEAR = re.compile(r"(19|20)\d\d|(?P<han>[〇○零O一二三四五六七八九]{4})(?=年)")


def year_in(text_view: str) -> str | None:
    """The first year written in the text, in Arabic or Chinese numerals (二〇一六年 → 2016)."""
    found = _YEAR.search(text_view)
    if not found:
        return None
    return str(cn2an.cn2an(found["han"].translate(_ZEROS), "direct")) if found["han"] else found.group()


def dates_in(line_view: str) -> list[tuple[date, int, int]]:
    """Every written date in the line with its span; Chinese numerals and both zeros (〇, ○) included."""
    found = []
    for match in _DATE.finditer(line_view):
        value = _to_date(match["y"], match["m"] or match["m2"], match["d"] or match["d2"])
        if value:
            found.append((value, match.start(), match.end()))
    for match in _HAN_DATE.finditer(line_view):
        value = _han_date(match)
        if value:
            found.append((value, match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def without_dates(text: str, text_view: str) -> str:
    """``text`` with every date in it cut out, stripped (``text_view`` is its view)."""
    for _, start, end in reversed(dates_in(text_view)):
        text = text[:start] + text[end:]
    return text.strip()


def date_line(line_view: str) -> date | None:
    """The date, when the line is only a date (with an optional label such as 成文日期:)."""
    text = re.sub(r"\s+", "", line_view)
    text = re.sub(f"^{_DATE_LABEL}", "", text)
    compact = _COMPACT_DATE.fullmatch(text)
    if compact:
        return _to_date(compact["y"], compact["m"], compact["d"])
    found = dates_in(text)
    return found[0][0] if len(found) == 1 and found[0][1] == 0 and found[0][2] == len(text) else None


# 文号: issuer, year in brackets, number, 号. In the view every bracket is "(" or ")".
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}\((19|20)\d\d\)第?\d{1,5}号")
_LOST_BRACKET = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{1,14})\((?P<year>(19|20)\d\d)(?P<number>\d{1,5})号")
_DOC_LABEL = re.compile(r"^(文号|发文字号|文件编号)\s*:\s*")


def doc_number_line(line: str, line_view: str) -> tuple[str, str | None] | None:
    """(文号, repaired form or None) when the line is a 文号 standing alone or in a ``文号:`` field."""
    label = _DOC_LABEL.match(line_view)
    start = label.end() if label else 0
    value, value_view = line[start:].strip(), line_view[start:].strip()
    if DOC_NUMBER.fullmatch(value_view):
        return value, None
    lost = _LOST_BRACKET.fullmatch(value_view)
    if lost:
        return value, repair_doc_number(value, lost)
    return None


def lost_brackets(line: str, line_view: str) -> list[tuple[str, str]]:
    """文号 cited in the text whose closing bracket was lost, each with its likely form."""
    return [
        (line[m.start() : m.end()], repair_doc_number(line[m.start() : m.end()], m))
        for m in _LOST_BRACKET.finditer(line_view)
    ]


def repair_doc_number(written: str, lost: re.Match[str]) -> str:
    """``云府办明电〔201667号`` → ``云府办明电〔2016〕67号``: the closing bracket matching the opening one."""
    opening = written[len(lost["issuer"])]
    closing = {"〔": "〕", "[": "]", "【": "】", "(": ")", "（": "）", "［": "］", "〖": "〗"}.get(opening, "〕")
    return f"{written[: len(lost['issuer']) + 1]}{lost['year']}{closing}{lost['number']}号"


# A page's metadata header: a scraper's ``标题: …`` lines or a portal's metadata table
# (``| 索 引 号: | 000014349/2022-02188 | 信息分类: | |``). Each label → the evidence it gives.
TITLE, AGENCY, SIGNED, PUBLISHED, PAGE_DATE, NUMBER, INDEX, SOURCE_NAME, ADDRESS = (
    "title",
    "agency",
    "signed",
    "published",
    "page date",
    "doc_number",
    "index_number",
    "source",
    "source_url",
)
_HEADER_LABELS = {
    **dict.fromkeys(("标题", "文章标题", "信息名称", "名称"), TITLE),
    **dict.fromkeys(("发布机构", "发文机构", "发文机关", "发布单位", "发文单位"), AGENCY),
    **dict.fromkeys(("成文日期", "成文时间", "发文日期"), SIGNED),
    # The day the page went online, as the portal labels it; a bare 日期 or 时间 may be either date.
    **dict.fromkeys(("发布日期", "发布时间", "公开日期"), PUBLISHED),
    **dict.fromkeys(("生成日期", "日期", "时间"), PAGE_DATE),
    **dict.fromkeys(("文号", "发文字号", "文件编号"), NUMBER),
    **dict.fromkeys(("来源", "信息来源", "文章来源"), SOURCE_NAME),
    **dict.fromkeys(("原文链接", "原文地址", "访问地址"), ADDRESS),
    "索引号": INDEX,
    **dict.fromkeys(
        (
            "主题分类",
            "信息分类",
            "分类",
            "栏目",
            "关键词",
            "主题词",
            "体裁",
            "生效日期",
            "废止日期",
            "语种",
            "信息格式",
            "浏览量",
            "访问量",
            "点击量",
            "浏览次数",
        ),
        None,
    ),
}
# Labels may have spaces between their characters (索 引 号), or the pinyin some mirrors put after each
# character (發(fa)布時(shi)間(jian)).
# The letters of pinyin, tone marks included.
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_READING = rf"(?:\([{PINYIN_LETTERS}]{{1,7}}\))?"
_HEADER_LABEL = re.compile(
    r"(?:^|(?<=[|/\s]))(?P<label>"
    + "|".join(f"{_READING} *".join(label) for label in sorted(_HEADER_LABELS, key=len, reverse=True))
    + rf"){_READING} *(?P<colon>:)?"
)
_MAX_HEADER_LINE = 200
_HEADER_SEPARATORS = "|/ "


def header_fields(line_view: str) -> list[tuple[str | None, int, int]] | None:
    """When the line is a row of a page's metadata header, each labelled value in it: (the evidence its
    label gives, start, end of the value); None when the line is anything else. A row starts with a
    label, and its labels end in a colon or stand in the cells of a table."""
    stripped = line_view.strip(_HEADER_SEPARATORS)
    if len(line_view) > _MAX_HEADER_LINE or not stripped:
        return None
    table = "|" in line_view
    labels = [m for m in _HEADER_LABEL.finditer(line_view) if m["colon"] or table]
    if not labels or line_view[: labels[0].start()].strip(_HEADER_SEPARATORS):
        return None
    found = []
    for label, after in zip(labels, [*labels[1:], None], strict=True):
        end = after.start() if after else len(line_view)
        start = label.end()
        while start < end and line_view[start] in _HEADER_SEPARATORS:
            start += 1
        while end > start and line_view[end - 1] in _HEADER_SEPARATORS:
            end -= 1
        found.append((_HEADER_LABELS[re.sub(rf" |{_READING}", "", label["label"])], start, end))
    return found


# Labels of header and footer lines.
# A source runs to the end of the line, or to the next label after a wide gap.
SOURCE = re.compile(r"(出处|来源|信息来源|文章来源|稿件来源)\s*:\s*(?P<value>.+?)(?=\s{2,}|\s*\S{2,6}:|\s*$)")
ATTACHMENT = re.compile(r"^附件\s*\d{0,2}\s*[:.、]?\s*")
_BYLINE_LABELS = re.compile(
    r"(发布机构|发文机关|发布单位|作者|浏览次数|点击数|索引号|主题分类|发布时间|发布日期|"
    r"成文日期|公开方式|公开属性|公开范围|时效|信息来源)\s*:"
)
SENTENCE = re.compile(r"[。;!?:,]")

# Names of government bodies end in one of these; towns, townships and sub-districts sign with their own
# name (河包镇, 东风路街道, 扎格斯台苏木).
_AGENCY_END = re.compile(
    r"(政府|办公厅|办公室|委员会|局|委|厅|办|室|院|中心|所|站|馆|会|部|署|处|队|组|社|镇|乡|街道|苏木)$"
)


def is_agency_like(text: str) -> bool:
    return bool(_AGENCY_END.search(text)) and 3 <= len(text) <= 40 and not SENTENCE.search(text)


def is_byline(line_view: str) -> bool:
    """A header line under a title: labels such as 来源:, 发布日期:, or an agency name with a date."""
    compact = line_view.strip()
    if _BYLINE_LABELS.search(compact) or SOURCE.search(compact) or _DOC_LABEL.match(compact):
        return True
    rest = without_dates(compact, compact)
    return rest != compact and (not rest or is_agency_like(rest))


# Heading markers, highest rank first: 一、 (一) 1. (1)
_MARKERS = (
    re.compile(r"^[一二三四五六七八九十]{1,3}、"),
    re.compile(r"^\([一二三四五六七八九十]{1,3}\)"),
    re.compile(r"^\d{1,2}(\.|、)(?!\d)"),
    re.compile(r"^\(\d{1,2}\)"),
)
_MAX_HEADING = 50
_MAX_UNMARKED_HEADING = 15


def heading_rank(line_view: str) -> int | None:
    """The marker's rank when the line is a heading: short, one phrase, at most a final 。."""
    if len(line_view) > _MAX_HEADING:
        return None
    for rank, marker in enumerate(_MARKERS):
        found = marker.match(line_view)
        if found:
            text = line_view[found.end() :].rstrip("。:")
            return rank if text and not SENTENCE.search(text.replace(",", "")) else None
    return None


def is_bare_heading(line_view: str) -> bool:
    """A short line with no punctuation at all, which may be a heading that lost its marker."""
    return (
        2 <= len(line_view) <= _MAX_UNMARKED_HEADING
        and not re.search(r"[^\w]", line_view)
        and not re.search(r"\d", line_view)
    )


# What a report says about its own publication (公开属性). Four forms: a field (公开属性：不予公开, and
# a metadata-table row read as 公开方式 主动公开), a marker (（此件公开发布）, a bracketed 〔不予公开〕, or the
# words alone on a line), a classification (密级：秘密, 秘密★1年) and an internal-use marking
# (内部资料 注意保存). Keys and values may have spaces inside; prose about 公开属性 is none of these.
OPEN_VALUE, WITHHELD_VALUE = "主动公开", "不予公开"
FIELD, MARKER, BARE, CLASSIFIED, INTERNAL = "field", "marker", "bare", "classified", "internal"
_VALUES = {  # a value written without spaces → the 公开属性 it means
    "主动公开": OPEN_VALUE,
    "公开发布": OPEN_VALUE,
    "依申请公开": "依申请公开",
    "免予公开": "免予公开",
    "删减后公开": "删减后公开",
    **dict.fromkeys(
        (
            "不予公开",
            "不公开",
            "不得公开",
            "不宜公开",
            "不对外公开",
            "暂不公开",
            "暂缓公开",
            "非公开",
            "请勿公开",
            "严禁公开",
            "禁止公开",
        ),
        WITHHELD_VALUE,
    ),
}


def _spaced(*words: str) -> str:
    """A pattern for any of ``words``, with spaces allowed between their characters (公 开 属 性)."""
    return "(?:" + "|".join(" *".join(word) for word in words) + ")"


# A key starts a line or follows a space or a separator, never another character of a sentence.
_KEY_START = r"(?<![\u4e00-\u9fff])"
_KEY_END = r" *\)? *(?P<colon>:)? *"
_DISCLOSURE_KEY = re.compile(
    _KEY_START
    + _spaced(
        *(prefix + "公开" + key for prefix in ("", "信息", "政府信息", "文件") for key in ("属性", "方式", "类型"))
    )
    + _KEY_END
)
_CLASSIFICATION_KEY = re.compile(_KEY_START + _spaced("密级", "秘密等级", "保密等级", "文件密级") + _KEY_END)
_NEXT_LABEL = re.compile(r" *[\u4e00-\u9fff]{2,8} *:| {2,}|[|;]")
# A known value ends the line, or is followed by something other than more words of a sentence.
_KNOWN_VALUE = re.compile(
    _spaced(*sorted(_VALUES, key=len, reverse=True)) + r"(?=$|[^\u4e00-\u9fff]|[\u4e00-\u9fff]{2,8} *:)"
)
_MAX_VALUE = 12
_NOT_CLASSIFIED = frozenset({"无", "非密", "非涉密", "不涉密", "公开", "-", "—", "/"})
_CLASSIFICATIONS = re.compile(r"(绝密|机密|秘密|内部)")
_CLASSIFICATION_MARK = re.compile(r"^\(? *(绝 *密|机 *密|秘 *密) *\)? *(★.*)?$")
# 此件 and 此文件 name the document they stand in; 本文件自发布之日起施行 is a sentence of a policy text.
_THIS_DOCUMENT = re.compile(r"(此件|此文件) *(?P<value>[^():;,.。\n]{2,16}?) *(?=[):;,.。]|$)")
_ABOUT_PUBLICATION = re.compile(r"公开|外传|密|内部")
_BRACKETED = re.compile(r"^\( *(?P<value>[^()]{2,16}?) *\)$")
_INTERNAL_MARK = re.compile(
    r"^[(★ ]*(仅供|仅限|只供|限)? *内 *部 *(资 *料|文 *件|使 *用|参 *阅|参 *考|刊 *物|发 *行|传 *阅)[)★ ]*"
    r"([,;、]? *(注意保存|注意保密|妥善保管|请勿外传|不得外传|严禁外传|请勿转发|不得转发|阅后收回|用后收回) *[)]*)* *$"
)
_INTERNAL_USE = re.compile(r"(仅供|仅限|只供|限于?) *内 *部 *(使 *用|参 *阅|参 *考|传 *阅|阅 *读|交 *流)")
_MAX_INTERNAL_USE_LINE = 30  # 本报告仅供内部使用。 is a marking; a paragraph about such documents is not


@dataclass(frozen=True)
class Statement:
    """One statement of 公开属性 in a line."""

    said: str  # the words as written
    value: str  # the 公开属性 they mean, or the value as written when it is no known one
    form: str  # FIELD, MARKER, BARE, CLASSIFIED or INTERNAL


def disclosure_statements(line: str, line_view: str) -> list[Statement]:
    """Every statement of 公开属性 in a line (``line_view`` is its view), in the order written."""
    found = [
        *_disclosure_fields(line, line_view),
        *_classification_fields(line, line_view),
        *_this_document(line, line_view),
        *_whole_line(line, line_view),
    ]
    if len(line_view.strip()) <= _MAX_INTERNAL_USE_LINE and not any(s.form == INTERNAL for s in found):
        found += [
            Statement(line[m.start() : m.end()], WITHHELD_VALUE, INTERNAL) for m in _INTERNAL_USE.finditer(line_view)
        ]
    return found


def _disclosure_fields(line: str, line_view: str) -> list[Statement]:
    found = []
    for key in _DISCLOSURE_KEY.finditer(line_view):
        start, end = _field_value(line_view, key.end())
        meaning = _meaning(line_view[start:end]) if end > start else None
        if meaning is None and key["colon"] and _is_value(line_view[start:end]):
            meaning = line[start:end]  # a value no one has a name for: kept as written, so the build withholds it
        if meaning:
            found.append(Statement(line[key.start() : end], meaning, FIELD))
    return found


def _classification_fields(line: str, line_view: str) -> list[Statement]:
    found = []
    for key in _CLASSIFICATION_KEY.finditer(line_view):
        start, end = _field_value(line_view, key.end())
        compact = re.sub(r"\s", "", line_view[start:end])
        if compact and compact not in _NOT_CLASSIFIED and (key["colon"] or _CLASSIFICATIONS.match(compact)):
            found.append(Statement(line[key.start() : end], WITHHELD_VALUE, CLASSIFIED))
    return found


def _field_value(line_view: str, at: int) -> tuple[int, int]:
    """Where the value after a key is: a known value, or everything up to the next ``label:`` or wide gap."""
    known = _KNOWN_VALUE.match(line_view, at)
    if known:
        return known.span()
    label = _NEXT_LABEL.search(line_view, at)
    end = label.start() if label else len(line_view)
    value = line_view[at:end].strip()
    start = line_view.index(value, at) if value else at
    return start, start + len(value)


def _is_value(value_view: str) -> bool:
    """A short value, not the start of a sentence (公开方式：主要通过政府网站发布。)."""
    return 0 < len(value_view) <= _MAX_VALUE and not re.search(r"[。;!?:,]", value_view)


def _meaning(value_view: str) -> str | None:
    compact = re.sub(r"\s", "", value_view)
    if compact in _VALUES:
        return _VALUES[compact]
    return WITHHELD_VALUE if _INTERNAL_MARK.match(value_view) else None


def _this_document(line: str, line_view: str) -> list[Statement]:
    """此件公开发布, （此件不予公开）: what a document says of itself, wherever it says it."""
    found = []
    for said in _THIS_DOCUMENT.finditer(line_view):
        value = said["value"]
        meaning = _meaning(value)
        if meaning is None and _ABOUT_PUBLICATION.search(value) and _is_value(value):
            meaning = line[said.start("value") : said.end("value")]
        if meaning:
            found.append(Statement(line[said.start() : said.end()], meaning, MARKER))
    return found


def _whole_line(line: str, line_view: str) -> list[Statement]:
    """A line that is only a marking: （不予公开）, 依申请公开, 秘密★1年, 内部资料 注意保存."""
    stripped = line_view.strip()
    if _THIS_DOCUMENT.search(stripped) or _DISCLOSURE_KEY.search(stripped) or _CLASSIFICATION_KEY.search(stripped):
        return []
    bracketed = _BRACKETED.match(stripped)
    meaning = _meaning(bracketed["value"] if bracketed else stripped)
    if meaning and not _INTERNAL_MARK.match(stripped):
        return [Statement(line.strip(), meaning, MARKER if bracketed else BARE)]
    if _CLASSIFICATION_MARK.match(stripped):
        return [Statement(line.strip(), WITHHELD_VALUE, CLASSIFIED)]
    if _INTERNAL_MARK.match(stripped):
        return [Statement(line.strip(), WITHHELD_VALUE, INTERNAL)]
    return []


def is_marking(line_view: str) -> bool:
    """A line that only states 公开属性, a classification or internal use, e.g. 秘密★1年 above a title."""
    return bool(_whole_line(line_view, line_view))
