"""Lookup keys and ASCII slugs for Chinese text. Body text is never changed here."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

_CJK_OR_ALNUM = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+)")
_SCRIPT_SAMPLE = 4000


@lru_cache(maxsize=2)
def _converter(config: str) -> OpenCC:
    return OpenCC(config)


# Keys are made from names (regions, agencies), the same few thousand many times over.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A lookup key: Traditional characters folded to Simplified, full-width forms to half-width."""
    return _converter("t2s").convert(unicodedata.normalize("NFKC", text))


def detect_script(text: str) -> str:
    """``zh-Hant`` when more characters are Traditional-only than Simplified-only, else ``zh-Hans``."""
    sample = text[:_SCRIPT_SAMPLE]
    traditional = sum(a != b for a, b in zip(sample, _converter("t2s").convert(sample), strict=False))
    simplified = sum(a != b for a, b in zip(sample, _converter("s2t").convert(sample), strict=False))
    return "zh-Hant" if traditional > simplified else "zh-Hans"


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
