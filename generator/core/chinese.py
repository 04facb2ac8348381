"""Lookup keys and ASCII slugs for Chinese text. Body text is never changed here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import numpy as np
from opencc import OpenCC

_CJK_OR_ALNUM = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+)")
_SCRIPT_SAMPLE = 4000
# What a reader counts as one character each, and what as words (runs of Latin letters or digits).
_COUNTED_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_WORD_CHARACTERS = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A))
# Traditional and Simplified characters live in these blocks.
HAN_BLOCKS = ((0x2E80, 0x2FDF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


@lru_cache(maxsize=2)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


# Keys are made from names (regions, agencies), the same few thousand many times over.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A lookup key: Traditional characters folded to Simplified, full-width forms to half-width."""
    return _converter("t2s").convert(unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def han_characters() -> tuple[str, ...]:
    return tuple(chr(code) for start, end in HAN_BLOCKS for code in range(start, end + 1))


def convert_each(config: str) -> dict[str, str]:
    """What OpenCC's ``config`` makes of each Han character on its own, never as part of a phrase."""
    han = han_characters()
    return dict(zip(han, _converter(config).convert("\n".join(han)).split("\n"), strict=True))


# OpenCC's configurations from one script to the other.
TO_SIMPLIFIED, TO_TRADITIONAL = "t2s", "s2t"
SCRIPT_CONFIGS = (TO_SIMPLIFIED, TO_TRADITIONAL)
# The characters each OpenCC configuration changes, kept for the process: made by going through every
# Han character, or handed over by ``know_changed`` from a process that made them with the same code.
_CHANGED: dict[str, Mapping[str, str]] = {}


def changed_characters(config: str) -> Mapping[str, str]:
    """The Han characters OpenCC's ``config`` changes on its own, with what each becomes: a few thousand
    of the hundred thousand that convert_each goes through."""
    if config not in _CHANGED:
        changed = {char: converted for char, converted in convert_each(config).items() if converted != char}
        _CHANGED[config] = MappingProxyType(changed)
    return _CHANGED[config]


def know_changed(tables: Mapping[str, Mapping[str, str]]) -> None:
    """Take changed_characters' tables, by configuration, from ``tables``, made by a process running the
    same generator code and libraries, rather than make them."""
    for config, changed in tables.items():
        _CHANGED.setdefault(config, MappingProxyType(dict(changed)))


def detect_script(text: str) -> str:
    """``zh-Hant`` when more characters are Traditional-only than Simplified-only, else ``zh-Hans``."""
    sample = _codes(text[:_SCRIPT_SAMPLE])
    traditional = np.count_nonzero(_flags_of(TO_SIMPLIFIED)[sample])
    simplified = np.count_nonzero(_flags_of(TO_TRADITIONAL)[sample])
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def word_count(text: str) -> int:
    """The length of a Chinese text as 字数 is counted: Han characters, plus Latin words and numbers."""
    codes = _codes(text)
    words = _flags(_WORD_CHARACTERS)[codes]
    word_starts = np.count_nonzero(words[1:] & ~words[:-1]) + np.count_nonzero(words[:1])
    return int(np.count_nonzero(_flags(_COUNTED_HAN)[codes]) + word_starts)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# Looking characters up in an array of flags is what makes counting an archive's texts take no time.
@lru_cache(maxsize=4)
def _flags(ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """One flag per code point: whether it lies in one of ``ranges`` (first and last, inclusive)."""
    flags = np.zeros(0x110000, dtype=np.bool_)
    for first, last in ranges:
        flags[first : last + 1] = True
    return flags


@lru_cache(maxsize=2)
def _flags_of(config: str) -> np.ndarray:
    """One flag per code point: whether OpenCC's ``config`` converts it."""
    flags = np.zeros(0x110000, dtype=np.bool_)
    flags[[ord(char) for char in changed_characters(config)]] = True
    return flags


def pinyin(text: str, initials: bool = False, errors: str = "default") -> list[str]:
    """``text`` in pinyin without tones, a syllable (or with ``initials`` its first letter) for each
    character; ``errors`` as pypinyin takes it, for what is not Chinese."""
    # Imported here: pypinyin's phrase tables take a third of a second to load, which a build that
    # finds nothing changed never needs.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.FIRST_LETTER if initials else Style.NORMAL, errors=errors)


# Kept between the builds of a preview session, whose archive changes a report at a time.
@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """ASCII slug: each run of Chinese characters becomes its pinyin, runs joined by hyphens.

    ``临民字〔2018〕2号`` → ``linminzi-2018-2-hao``. Returns "" when nothing is left.
    """
    parts = []
    for han, alnum in _CJK_OR_ALNUM.findall(unicodedata.normalize("NFKC", text)):
        if han:
            parts.append(re.sub(r"[^a-z]", "", "".join(pinyin(han, errors="ignore")).lower()))
        else:
            parts.append(alnum.lower())
    return "-".join(part for part in parts if part)


def convert(text: str, config: str) -> str:
    """``text`` as OpenCC's ``config`` (``s2t``, ``t2s``) writes it, phrase by phrase."""
    return _converter(config).convert(text)


def to_script(text: str, language: str) -> str:
    """Simplified ``text`` written in the report's script (``zh-Hant`` converts, ``zh-Hans`` keeps)."""
    return _converter("s2t").convert(text) if language == "zh-Hant" else text
