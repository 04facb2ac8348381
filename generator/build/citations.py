"""文号 cited in report texts: which reports of the archive cite which, and what they cite that it lacks.

A 文号 is found where the text has issuer characters, a year in any kind of bracket, a number and 号
(``国办公开办函〔2021〕30号``, ``云府办明电[2016]67号``, ``闽政办〔２０２０〕５号``). The issuer has no
marked start, so the run of Chinese characters before the bracket may begin with the sentence's own
words (``根据国办发…``): the longest tail of it that is a 文号 of the archive wins, and for numbers the
archive lacks, common lead words (根据, 按照 …) are trimmed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from generator.core.searchtext import view

# On the view (brackets are "(" and ")", digits half-width), ending at a 号: the year and number, then,
# read backwards from the bracket, the issuer. The issuer never holds a 号: one there ends an earlier
# 文号 (``106号和国办发〔2016〕80号``).
_YEAR_AND_NUMBER = re.compile(r"\((19|20)\d\d\)第?\d{1,5}号$")
_ISSUER_BACKWARDS = re.compile(r"(?:(?!号)[\u4e00-\u9fff]){1,14}")
_NUMBER_SIGN = re.compile("[号號]")
# The longest 文号 is 14 issuer characters, a bracketed year, 第 and five digits.
_REACH = 30
_LEAD_WORDS = (
    "根据",
    "按照",
    "依据",
    "依照",
    "遵照",
    "落实",
    "贯彻",
    "执行",
    "印发",
    "转发",
    "参照",
    "对照",
    "结合",
    "通过",
    "对于",
    "关于",
    "以及",
    "和",
    "及",
    "与",
    "据",
    "按",
    "见",
    "经",
    "是",
    "为",
    "的",
)
# The lead words by their first character, in the order above: the longer of 按照 and 按 is tried first.
_LEAD_WORDS_AT: dict[str, tuple[str, ...]] = {
    first: tuple(word for word in _LEAD_WORDS if word[0] == first) for first in dict.fromkeys(w[0] for w in _LEAD_WORDS)
}


# A report is listed as citing, on the page of each report it cites, for this many reports at most: its
# card would otherwise repeat on as many pages as its text names 文号 of the archive, which one long list
# of numbers could make most of the site. Its own page lists every one.
MAX_CITED_BY_ONE = 100


# Keys are asked for every tail of every mention on each rebuild; the strings are short and repeat.
@lru_cache(maxsize=65536)
def doc_key(number: str) -> str:
    """A 文号's lookup key: brackets, full-width digits and Traditional characters folded, spaces and 第 dropped."""
    return re.sub(r"\s|第(?=\d+号$)", "", view(number.strip()))


@dataclass(frozen=True)
class Mention:
    """A 文号 as the text writes it, with every way of reading where its issuer starts."""

    written: str
    # doc_key of the mention with ever fewer leading characters, longest first: each tail the issuer may be.
    keys: tuple[str, ...]
    # How many leading characters are a sentence's lead words (根据, 按照 …) rather than the issuer.
    lead: int

    def trimmed(self) -> str:
        """The mention without its lead words: how a number the archive lacks is listed."""
        return self.written[self.lead :]


def mentions(text: str) -> tuple[Mention, ...]:
    """Every 文号 written in ``text``, in order."""
    found = []
    # A 文号 ends in a digit and 号: ending the search there skips the 号 of ordinary words.
    for sign in _NUMBER_SIGN.finditer(text):
        if sign.start() and text[sign.start() - 1].isdecimal():
            mention = _mention(text[max(0, sign.end() - _REACH) : sign.end()])
            found += [mention] if mention else []
    return tuple(found)


def _mention(window: str) -> Mention | None:
    """The 文号 that ``window`` ends with, if it ends with one."""
    folded = view(window)
    number = _YEAR_AND_NUMBER.search(folded)
    issuer = _ISSUER_BACKWARDS.match(folded[: number.start()][::-1]) if number else None
    if not issuer:
        return None
    # The view is one character for one, and an issuer is Chinese characters only: the key of each
    # shorter reading of the issuer is a tail of the longest one's key.
    written, length = window[number.start() - issuer.end() :], issuer.end()
    key = doc_key(written)
    return Mention(written, tuple(key[start:] for start in range(length)), _lead(view(written), length))


def _lead(folded: str, issuer: int) -> int:
    """How many leading characters of the issuer are lead words; at least two issuer characters stay."""
    lead = 0
    while word := next(
        (w for w in _LEAD_WORDS_AT.get(folded[lead], ()) if folded.startswith(w, lead) and issuer - lead > len(w) + 1),
        None,
    ):
        lead += len(word)
    return lead


@dataclass(frozen=True)
class Citations:
    # Report id → (文号 as written, report cited): each report of the archive once, in order of first mention.
    cites: Mapping[str, tuple[tuple[str, str], ...]]
    # Report id → the reports citing it, in the order given to cross_reference; a report is here for the
    # first MAX_CITED_BY_ONE reports it cites.
    cited_by: Mapping[str, tuple[str, ...]]
    # Report id → 文号 it cites that no report of the archive has, each once, as written.
    missing: Mapping[str, tuple[str, ...]]
    # 文号 the archive lacks → how many reports cite it, most cited first.
    wanted: tuple[tuple[str, int], ...]


def cross_reference(numbers: Mapping[str, str | None], cited: Mapping[str, Iterable[Mention]]) -> Citations:
    """Citations among reports, from each report's own 文号 (``numbers``) and the mentions of 文号 in
    its text (``cited``), both by report id."""
    owner = {}
    for report_id, number in numbers.items():
        if number:
            owner.setdefault(doc_key(number), report_id)
    cites: dict[str, tuple[tuple[str, str], ...]] = {}
    missing: dict[str, tuple[str, ...]] = {}
    cited_by: dict[str, list[str]] = defaultdict(list)
    # A 文号 the archive lacks → its spellings, one for each report citing it: they count its citers too.
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for report_id, found_in_text in cited.items():
        found, lacking = _resolve(found_in_text, owner, report_id)
        cites[report_id], missing[report_id] = found, tuple(lacking.values())
        for _, target in found[:MAX_CITED_BY_ONE]:
            cited_by[target].append(report_id)
        for key, written in lacking.items():
            spellings[key][written] += 1
    return Citations(
        cites=MappingProxyType(cites),
        cited_by=MappingProxyType({target: tuple(ids) for target, ids in cited_by.items()}),
        missing=MappingProxyType(missing),
        wanted=tuple(
            sorted(
                ((_usual(written), sum(written.values())) for written in spellings.values()),
                key=lambda item: (-item[1], item[0]),
            )
        ),
    )


def _usual(spellings: Counter[str]) -> str:
    """The spelling most reports use; on a tie, the one with the standard brackets 〔〕."""
    return min(spellings, key=lambda written: (-spellings[written], "〔" not in written, written))


def _resolve(
    found: Iterable[Mention], owner: Mapping[str, str], report_id: str
) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    cited: dict[str, str] = {}
    lacking: dict[str, str] = {}
    for mention in found:
        # The longest reading of the issuer that is a 文号 of the archive (keys are longest first); a
        # loop, not a generator per mention, as every mention of every report passes here on each build.
        for start, key in enumerate(mention.keys):
            if key in owner:
                target = owner[key]
                if target != report_id and target not in cited:
                    cited[target] = mention.written[start:]
                break
        else:
            if mention.keys[mention.lead] not in lacking:
                lacking[mention.keys[mention.lead]] = mention.trimmed()
    return tuple((written, target) for target, written in cited.items()), lacking
