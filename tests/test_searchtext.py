"""The search semantics every engine follows: normalisation, query terms and the reference matcher."""

from __future__ import annotations

import pytest
from opencc import OpenCC

from generator.core.searchtext import fold_table, matches, normalise, parse_query, searchable_text


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("漳州市國資委", "漳州市国资委"),
        ("臨滄市", "临沧市"),
        ("云府办明电〔2016〕67号", "云府办明电[2016]67号"),
        ("云府办明电〔2016〕67号", "云府办明电（2016）67号"),
        ("云府办明电【2016】67号", "云府办明电(2016)67号"),
        ("云府办明电［２０１６］６７号", "云府办明电[2016]67号"),
        ("政务ＡＰＰ", "政务app"),
        ("Open Data", "opendata"),
        ("信息\u3000公开\u00a0工作", "信息公开工作"),
        ("信息\u200b公开", "信息公开"),
    ],
)
def test_written_and_typed_forms_normalise_alike(written: str, typed: str) -> None:
    assert normalise(written) == normalise(typed)


def test_different_text_stays_different() -> None:
    assert normalise("临沧") != normalise("临翔")
    assert normalise("2016") != normalise("2017")
    # Brackets are unified, not dropped: 〔2016〕67号 is not 201667号.
    assert normalise("〔2016〕67号") != normalise("201667号")


def test_the_table_comes_from_opencc_character_by_character() -> None:
    table = fold_table()
    t2s = OpenCC("t2s")
    for char in "國資臨滄遼寧瀋陽鳳慶縣爲開":
        assert table[char] == t2s.convert(char)
    # Per character, not per phrase: OpenCC keeps 乾隆 as a name, but folding must treat the
    # characters of text and query the same wherever they stand.
    assert normalise("乾隆") == t2s.convert("乾") + "隆"
    assert len(table) > 5000


def test_query_terms_split_at_spaces_and_quotes_keep_phrases() -> None:
    assert parse_query("临沧  低保") == ("临沧", "低保")
    assert parse_query('"临沧 市" 低保') == ("临沧市", "低保")
    assert parse_query("“政府 信息” 公开") == ("政府信息", "公开")
    assert parse_query("臨滄 临沧\u3000ＡＰＰ") == ("临沧", "app")
    assert parse_query('  ""  ') == ()


def test_reference_needs_every_term_and_no_term_spans_two_fields() -> None:
    text = searchable_text(("临沧市民政局2017年自查报告", "临沧市民政局", "云南省 临沧市", "临民字〔2018〕2号", "正文"))
    assert matches(text, parse_query("临沧 自查"))
    assert matches(text, parse_query("云南省临沧市"))
    assert matches(text, parse_query("临民字[2018]2号"))
    assert not matches(text, parse_query("临沧 低保"))
    assert not matches(text, parse_query("报告临沧"))  # the end of the title and the start of the agency
