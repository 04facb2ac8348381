"""字数 and script detection, checked against their definitions written as regular expressions."""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.chinese import convert_each, detect_script, word_count

# A reader counts each Han character, and each run of Latin letters or digits, as one.
_COUNTED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]|[A-Za-z0-9]+")

_TEXT = st.text(
    st.one_of(
        st.sampled_from("临沧市人民政府信息公開報告臺灣 ab1Z9-，。\n　"),
        st.characters(min_codepoint=0x20000, max_codepoint=0x20010),
        st.characters(codec="utf-8"),
    )
)


@given(_TEXT)
def test_word_count_is_han_characters_plus_latin_words(text: str) -> None:
    assert word_count(text) == len(_COUNTED.findall(text))


def test_word_count_of_a_sentence() -> None:
    assert word_count("2023年，共收到申请 12 件（PDF版）") == 8 + 3


@cache
def _converted(config: str) -> dict[str, str]:
    return convert_each(config)


def _script_by_definition(text: str) -> str:
    sample = text[:4000]
    traditional = sum(_converted("t2s").get(char, char) != char for char in sample)
    simplified = sum(_converted("s2t").get(char, char) != char for char in sample)
    return "zh-Hant" if traditional > simplified else "zh-Hans"


# The first example also builds the character tables, which takes a few seconds.
@settings(deadline=None)
@given(_TEXT)
def test_script_is_the_side_with_more_characters_of_its_own(text: str) -> None:
    assert detect_script(text) == _script_by_definition(text)


def test_scripts_of_real_sentences() -> None:
    assert detect_script("本機關依申請公開政府資訊，共受理申請二十件。") == "zh-Hant"
    assert detect_script("本机关依申请公开政府信息，共受理申请二十件。") == "zh-Hans"
    assert detect_script("") == "zh-Hans"
