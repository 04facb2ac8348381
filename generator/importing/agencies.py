"""Who issued a report: the agency read from its title, signature, byline, page header and what its text
says of itself, written out in full as the text makes certain."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.core.chinese import to_script
from generator.core.searchtext import view
from generator.importing.fields import HIGH, LEVELS, LOW, MEDIUM, NONE, Field
from generator.importing.gazetteer import Gazetteer, Place, gazetteer
from generator.importing.rawtext import PINYIN_LETTERS, is_agency_like
from generator.importing.selfdescription import Said

# Abbreviated names of government bodies, as they end a name, and the full form.
_ABBREVIATIONS = {
    "国资委": "人民政府国有资产监督管理委员会",
    "发改委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "卫计委": "卫生和计划生育委员会",
    "卫健委": "卫生健康委员会",
    "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅",
    "住建局": "住房和城乡建设局",
    "住建厅": "住房和城乡建设厅",
    "工信局": "工业和信息化局",
    "工信厅": "工业和信息化厅",
    "政府办": "人民政府办公室",
}
_LEVEL_WORDS = {"省": 0, "市": 1, "县": 2, "区": 2}
_SELF = re.compile(r"我(局|委|厅|办|室|院|中心|站|所|馆)")
_TOWN_SELF = re.compile(r"我(镇|乡|街道|苏木)")
# Characters that make the word before 镇 something other than a town's name (我镇, 各镇, 乡镇, 城镇).
_NOT_TOWN = re.compile(r"[我各全本该乡城村集每个]")
_TOWN_GOVERNING = ("人民政府", "办事处", "政府")
# The office of a body that runs its disclosure work, which signs or compiles a report for the body
# (…人民政府信息公开办, …局政府信息公开工作领导小组, …镇人民政府党政办公室).
_DISCLOSURE_OFFICE = re.compile(r"(信息公开|政务公开)(工作)?(领导小组)?(办公室|办)?$|党政(综合)?办(公室)?$")
# What the governing body of a place or a development zone is called after its name.
_GOVERNING = ("人民政府", "管理委员会", "管委会")
# How far before a name the text may write the place it belongs to, and how a place's name ends.
_PLACE_RUN = 12
_PLACE_ENDS = frozenset("省市县区旗盟州")
_NOT_DEPARTMENTS = frozenset({"人民", "政府", "地区", "全市", "各级", "贯彻", "落实", "市委", "市政"})
# A title that starts with its year: 2024年南关区永吉街道办事处政府信息公开工作年度报告.
_YEAR_FIRST = re.compile(r"(19|20)\d\d\s*年度?\s*(?P<name>\D{2,40}?)\s*(政府信息公开|政务公开|信息公开)")
# Pinyin that mirrors put after characters: 國務(wù)院, 辦(ban)公(gong)廳.
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[(（][{PINYIN_LETTERS}]{{1,7}}[)）]")


@dataclass(frozen=True)
class AgencyEvidence:
    """What the passes over a report's lines found that may name its agency."""

    title: Field | None
    signature: str | None
    byline: str | None
    source: str | None
    stated: Said | None


@dataclass(frozen=True)
class NameText:
    """What names in a report are read against: its body, the places it names, its script."""

    view: str
    mentions: Counter[Place]
    language: str
    places: Gazetteer


def agency(evidence: AgencyEvidence, text: NameText) -> Field:
    """Who issued the report, from the evidence the passes over its lines found."""
    title, source_name, stated = evidence.title, evidence.source, evidence.stated
    named = _agency_in_title(title.value) if title and isinstance(title.value, str) else None
    signature = evidence.signature or evidence.byline
    if named and not text.places.is_place(view(named)):
        return _agency_from_title(named, title, signature or source_name, text)
    office = _body_of_office(source_name, text, posted=True) if source_name else None
    for name, confidence, what in (
        (evidence.signature, MEDIUM, "from the signature"),
        (stated and stated.surer and stated.value, MEDIUM, stated and stated.note),
        (evidence.byline, MEDIUM, "from the byline or the page's header"),
        (office, MEDIUM, "the body whose disclosure office the page gives as its source"),
    ):
        if name:
            full, note = _expanded(name, text)
            return Field(full, confidence, note or what)
    if named:
        governed = _governed_place(named, text)
        if governed:
            return Field(governed, MEDIUM, "the government of the place the title names, as the text writes it")
        return Field(named, LOW, "the place the title names: the text names no body for it")
    if stated:
        full, note = _expanded(stated.value, text)
        return Field(full, LOW, "; ".join(filter(None, (stated.note, note))))
    inferred = _inferred_agency(text)
    if inferred:
        return Field(inferred, LOW, "inferred from how the text names itself (我局, 我镇 …) and the names it uses most")
    return Field(None, NONE, "no title, byline or signature names the agency")


def _agency_from_title(named: str, title: Field, signature: str | None, text: NameText) -> Field:
    """The body a title starts with; the byline's or source's name when it is the same name in full
    (正蓝旗扎格斯台苏木 → 正蓝旗扎格斯台苏木人民政府)."""
    longer = signature and len(signature) > len(named) and view(signature).startswith(view(named))
    if longer and is_agency_like(view(signature)):
        return Field(signature, HIGH, "the title's name, in full in the byline or the page's source")
    full, note = _expanded(named, text)
    if signature and view(signature) == view(full):
        return Field(full, HIGH, "from the title and the signature")
    confidence = LEVELS[min(LEVELS.index(title.confidence), LEVELS.index(MEDIUM if note else HIGH))]
    return Field(full, confidence, note or "from the title")


def _agency_in_title(title: str) -> str | None:
    """The issuing body a title starts with: before the year, or before 关于."""
    title_view = view(title)
    found = re.search(r"(19|20)\d\d|[〇○零一二三四五六七八九]{4}年|关于", title_view)
    if not found:
        return None
    candidate = title[: found.start()].strip()
    if not candidate and (year_first := _YEAR_FIRST.match(title_view)):
        candidate = title[year_first.start("name") : year_first.end("name")].strip()
    return candidate if is_agency_like(view(candidate)) or gazetteer().is_place(view(candidate)) else None


def _expanded(name: str, text: NameText) -> tuple[str, str]:
    """The full name: the body whose disclosure office signed, the place an abbreviated name leaves out,
    abbreviations spelled out (so that one body has one name across the archive), 人民政府 for 政府."""
    notes = []
    body = _body_of_office(name, text)
    if body:
        notes.append(f"the body of {name}, its disclosure office")
        name = body
    name_view = view(name)
    if not text.places.leading(name_view):
        place = _place_written_before(name_view, text)
        if place:
            name, name_view = to_script(place, text.language) + name, place + name_view
            notes.append(f"{place} as the text writes it before the name")
        elif name_view[:1] in _LEVEL_WORDS and (found := _most_mentioned(text.mentions, _LEVEL_WORDS[name_view[0]])):
            name, name_view = found.name + name[1:], found.name + name_view[1:]
            notes.append(f"{found.name} from the places the text names")
    for short, full in _ABBREVIATIONS.items():
        if name_view.endswith(short):
            name, name_view = name[: -len(short)] + to_script(full, text.language), name_view[: -len(short)] + full
            notes.append(f"{short} spelled out")
            break
    at = name_view.find("政府")
    if at > 0 and not name_view[:at].endswith("人民") and text.places.leading(name_view[:at]):
        name = name[:at] + to_script("人民", text.language) + name[at:]
        notes.append("政府 written as 人民政府")
    return name, "; ".join(notes)


def _body_of_office(name: str, text: NameText, posted: bool = False) -> str | None:
    """The body whose office for disclosure work ``name`` is (福州市晋安区人民政府信息公开办 → 福州市晋安区人民
    政府; 呼和浩特经济技术开发区党政办公室 → …管理委员会, as the text names it), or None. A leading group's
    office (…领导小组办公室) is a body in its own right, which compiles and signs in its own name; a page
    that it only ``posted`` is the body's."""
    name_view = view(name)
    office = _DISCLOSURE_OFFICE.search(name_view)
    if not office or office.start() == 0 or (office.group().endswith("领导小组办公室") and not posted):
        return None
    cut = office.start()
    if name_view.endswith("政府", 0, cut) and not name_view.endswith("人民政府", 0, cut):
        cut -= 2 if is_agency_like(name_view[: cut - 2]) else 0  # 水利局政府信息公开…: 政府 is the office's
    if is_agency_like(name_view[:cut]):
        return name[:cut]
    governing = next((g for g in _GOVERNING if name_view[:cut] + g in text.view), None)
    return name[:cut] + to_script(governing, text.language) if governing else None


def _place_written_before(name_view: str, text: NameText) -> str | None:
    """The place that the text writes before a name that starts with none (微山县 in 微山县两城镇人民政府)."""
    best = ""
    for found in re.finditer(re.escape(name_view), text.view):
        before = text.view[max(0, found.start() - _PLACE_RUN) : found.start()]
        for length in range(len(before), len(best), -1):
            if before[-1] in _PLACE_ENDS and text.places.is_place(before[-length:]):
                best = before[-length:]
                break
    return best or None


def _governed_place(place: str, text: NameText) -> str | None:
    """The government of ``place`` as the text names it, by the place's whole name or its last part
    (重庆市奉节县 → 奉节县人民政府)."""
    place_view = view(place)
    for start in range(len(place_view) - 1):
        part = place_view[start:]
        if start and not text.places.is_place(part):
            continue
        governing = next((g for g in _GOVERNING if part + g in text.view), None)
        if governing:
            return place[start:] + to_script(governing, text.language)
    return None


def _most_mentioned(mentions: Counter[Place], level: int) -> Place | None:
    ranked = [(count, place) for place, count in mentions.most_common() if place.level == level]
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _inferred_agency(text: NameText) -> str | None:
    """A guess a person must confirm, from how the text names itself: 我镇 and the town it names most
    (马冈镇人民政府); 我局 and the department of the place it names most (临沧市 + 民政 + 局, from 临沧民政…),
    or else the department it names most before 局 (乐山市 + 法制 + 办)."""
    town = _inferred_town(text)
    if town:
        return town
    selves = Counter(_SELF.findall(text.view))
    place = next((p for p, _ in text.mentions.most_common() if p.level > 0), None)
    if not selves or place is None:
        return None
    self_word = selves.most_common(1)[0][0]
    stem = re.sub(r"(市|县|区|自治州|地区|盟)$", "", place.name)
    words = _most_common(
        word
        for word in re.findall(f"{stem}(?:{place.name[len(stem) :]})?([\u4e00-\u9fff]{{2}})", text.view)
        if word not in _NOT_DEPARTMENTS and word[0] not in "市县区州"
    ) or _most_common(
        word for word in re.findall(f"([\u4e00-\u9fff]{{2}}){self_word}", text.view) if word not in _NOT_DEPARTMENTS
    )
    return to_script(place.name + words + self_word, text.language) if words else None


def _inferred_town(text: NameText) -> str | None:
    kinds = Counter(_TOWN_SELF.findall(text.view))
    if not kinds:
        return None
    kind = kinds.most_common(1)[0][0]
    words = re.findall(f"([\u4e00-\u9fff]{{2}}){kind}", text.view)
    name = _most_common(word for word in words if not _NOT_TOWN.search(word))
    if not name:
        return None
    town = name + kind
    governing = next((g for g in _TOWN_GOVERNING if town + g in text.view), _TOWN_GOVERNING[kind == "街道"])
    return _expanded(to_script(town + governing, text.language), text)[0]


def _most_common(words: Iterable[str]) -> str | None:
    """The word that occurs most, at least twice, and more often than any other."""
    ranked = Counter(words).most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def without_pinyin(agency: Field) -> Field:
    """A name without the pinyin some mirrors put after each character (國務(wù)院辦公廳): a name is
    looked up and shown in lists, where the readings would only be in the way."""
    if not isinstance(agency.value, str) or not _PINYIN.search(agency.value):
        return agency
    note = "; ".join(filter(None, (agency.note, "pinyin after its characters left out")))
    return Field(_PINYIN.sub("", agency.value), agency.confidence, note)
