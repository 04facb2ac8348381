"""Lookup keys and ASCII slugs for Chinese text. Body text is never changed here."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

_CJK_OR_ALNUM = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+)")
_SCRIPT_SAMPLE = 4000
# Characters a reader counts: Han characters one by one, and runs of Latin letters or digits as one each.
_COUNTED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]|[A-Za-z0-9]+")
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


@lru_cache(maxsize=2)
def _changed_by(config: str) -> dict[int, None]:
    """A translate() table deleting every character that ``config`` converts."""
    return {ord(char): None for char, converted in convert_each(config).items() if converted != char}


def detect_script(text: str) -> str:
    """``zh-Hant`` when more characters are Traditional-only than Simplified-only, else ``zh-Hans``."""
    sample = text[:_SCRIPT_SAMPLE]
    traditional = len(sample) - len(sample.translate(_changed_by("t2s")))
    simplified = len(sample) - len(sample.translate(_changed_by("s2t")))
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def word_count(text: str) -> int:
    """The length of a Chinese text as 字数 is counted: Han characters, plus Latin words and numbers."""
    return len(_COUNTED.findall(text))


def slugify(text: str) -> str:
    """ASCII slug: each run of Chinese characters becomes its pinyin, runs joined by hyphens.

    ``临民字〔2018〕2号`` → ``linminzi-2018-2-hao``. Returns "" when nothing is left.
    """
    parts = []
    for han, alnum in _CJK_OR_ALNUM.findall(unicodedata.normalize("NFKC", text)):
        if han:
            syllables = lazy_pinyin(han, style=Style.NORMAL, errors="ignore")
            parts.append(re.sub(r"[^a-z]", "", "".join(syllables).lower()))
        else:
            parts.append(alnum.lower())
    return "-".join(part for part in parts if part)


def to_script(text: str, language: str) -> str:
    """Simplified ``text`` written in the report's script (``zh-Hant`` converts, ``zh-Hans`` keeps)."""
    return _converter("s2t").convert(text) if language == "zh-Hant" else text
