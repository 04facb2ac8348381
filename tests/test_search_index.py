"""The search index read back: every bigram's positions, per report, equal those of the reference text."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from factory import search_document
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.searchtext import fold_table, normalise, searchable_text
from generator.search import index
from generator.search.data import SearchDocument
from generator.search.index import BASE, END, build_postings, chunk_bytes, chunks, head_lengths, read_chunk, varint

TEXTS = st.text(alphabet=st.sampled_from("临沧臨滄市 　\n\tAaＡ〔〕[]()（）ßﬀ𠀀的。1１"), max_size=30)


def _reference(documents: list[SearchDocument]) -> dict[int, dict[int, list[int]]]:
    """Each bigram's positions in each report's searchable text, the last character of a field with END."""
    found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, document in enumerate(documents):
        text = searchable_text(document.fields) + "\n"
        for at, (a, b) in enumerate(itertools.pairwise(text)):
            if a != "\n":
                found[ord(a) * BASE + (END if b == "\n" else ord(b))][number].append(at)
    return {key: dict(reports) for key, reports in found.items()}


def _read(documents: list[SearchDocument]) -> dict[int, dict[int, list[int]]]:
    postings = build_postings(documents).postings
    read = {}
    for chunk in chunks(postings):
        read.update(read_chunk(chunk_bytes(postings, chunk)))
    return read


@settings(deadline=None)
@given(st.lists(st.lists(TEXTS, min_size=5, max_size=5), min_size=1, max_size=6))
def test_postings_hold_every_bigram_of_the_normalised_text_and_nothing_else(reports: list[list[str]]) -> None:
    documents = [search_document(n, *fields) for n, fields in enumerate(reports)]
    assert _read(documents) == _reference(documents)


@settings(deadline=None)
@given(st.lists(TEXTS, min_size=3, max_size=3))
def test_head_length_is_where_the_document_number_ends(head: list[str]) -> None:
    (length,) = head_lengths([search_document(0, *head)])
    assert length == len("\n".join(map(normalise, head)))


def test_batches_join_into_the_same_postings_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [
        search_document(n, f"第{n}份报告", "临沧市民政局", "", "云南省", "正文" * n + "临沧。") for n in range(40)
    ]
    whole = build_postings(documents).postings
    monkeypatch.setattr(index, "BATCH_CHARACTERS", 50)
    batched = build_postings(documents).postings
    assert (batched.keys == whole.keys).all() and (batched.starts == whole.starts).all()
    assert batched.data == whole.data


def test_parts_made_apart_join_into_the_index_of_them_all() -> None:
    """Each province's reports are one run of numbers: their parts, made on machines of their own, join
    into the postings one build of the whole archive makes, byte for byte."""
    provinces = ["云南省", "福建省", "辽宁省"]
    documents = [
        search_document(n, f"{provinces[n // 10]}第{n}份报告", "民政局", "", provinces[n // 10], "正文" * n + "低保。")
        for n in range(30)
    ]
    parts = [index.build_part(documents, start, start + 10) for start in (0, 10, 20)]
    joined, whole = index.join(parts), build_postings(documents).postings
    assert (joined.keys == whole.keys).all() and (joined.starts == whole.starts).all()
    assert joined.data == whole.data


def test_an_edit_changes_only_the_chunks_that_hold_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "CHUNK_BYTES", 200)
    # Reports that share no characters, so that each one's bigrams sit in chunks of their own.
    alphabets = ["".join(chr(0x4E00 + 40 * n + i) for i in range(40)) for n in range(8)]
    documents = [search_document(n, f"报告{n}", "", "", "", alphabet * 3) for n, alphabet in enumerate(alphabets)]
    edited = [*documents[:3], search_document(3, "报告3", "", "", "", alphabets[3] * 3 + "改"), *documents[4:]]
    postings = (build_postings(reports).postings for reports in (documents, edited))
    before, after = ({_bytes(p, c) for c in chunks(p)} for p in postings)
    assert len(before - after) < len(before) / 4
    assert all(3 in {r for posting in read_chunk(data).values() for r in posting} for data in before - after)


def test_an_edit_makes_again_only_the_batch_of_its_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "BLOCK_REPORTS", 4)
    documents = [search_document(n, f"第{n}份报告", "民政局", "", "云南省", "正文" * n + "低保。") for n in range(12)]
    first = build_postings(documents)
    edited = [*documents[:5], search_document(5, "第5份报告", "民政局", "", "云南省", "改过的正文。"), *documents[6:]]
    again, fresh = build_postings(edited, first.parts), build_postings(edited)
    assert again.postings.data == fresh.postings.data and (again.postings.keys == fresh.postings.keys).all()
    taken = [digest for digest, part in again.parts.items() if first.parts.get(digest) is part]
    assert len(first.parts) == len(again.parts) == 3 and len(taken) == 2


def _bytes(postings: index.Postings, chunk: index.Chunk) -> bytes:
    return chunk_bytes(postings, chunk)


@pytest.mark.parametrize("value", [0, 1, 127, 128, 2**32 - 1, 2**32, 0x10FFFF * BASE + END])
def test_varints_hold_values_beyond_32_bits(value: int) -> None:
    data = varint(value)
    assert all(byte >= 0x80 for byte in data[:-1]) and data[-1] < 0x80
    assert sum((byte & 0x7F) << (7 * n) for n, byte in enumerate(data)) == value


def test_every_fold_is_one_array_lookup_or_an_expansion() -> None:
    text = "".join(fold_table()) + "普通的字"
    codes, lengths = index.normalised_codes([text])
    assert "".join(map(chr, codes[:-1])) == normalise(text) and lengths.tolist() == [len(normalise(text))]


def test_fields_keep_their_own_normalised_lengths_when_some_fold_to_nothing() -> None:
    fields = ["临沧市", "", " \u3000\t", "ＡＢＣ〔2020〕", "ß"]
    codes, lengths = index.normalised_codes(fields)
    assert lengths.tolist() == [len(normalise(field)) for field in fields] == [3, 0, 0, 9, 2]
    assert "".join(map(chr, codes)) == "".join(normalise(field) + "\n" for field in fields)
