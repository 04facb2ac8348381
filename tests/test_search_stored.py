"""The search index's parts written to a file and read back: the same arrays and postings, taken over by
the next build as they are; and a file that is missing, cut short, damaged or of another layout or
code read as no parts at all."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from factory import search_document

from generator.build.catalogue import build_catalogue
from generator.build.content import load_content
from generator.build.plan import plan_site
from generator.core.config import load_config
from generator.search import index, stored
from generator.search.data import SearchDocument, plan_search
from generator.search.index import Part, build_postings
from generator.search.stored import load_parts, save_parts

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def documents() -> list[SearchDocument]:
    """The searchable documents of the repository's sample archive."""
    config = load_config(REPO)
    catalogue = build_catalogue(load_content(config).reports)
    return plan_search(catalogue, plan_site(catalogue, config).report_paths).documents


@pytest.fixture
def batched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches, so that the sample archive's index is made of several parts."""
    monkeypatch.setattr(index, "BATCH_CHARACTERS", 3_000)


def _arrays(part: Part) -> list[np.ndarray]:
    return [part.postings.keys, part.postings.starts, part.rest, part.ends, part.first, part.last]


def _assert_same(read: Mapping[str, Part], written: Mapping[str, Part]) -> None:
    assert list(read) == list(written)
    for digest, part in written.items():
        assert read[digest].postings.data == part.postings.data
        for got, want in zip(_arrays(read[digest]), _arrays(part), strict=True):
            assert got.dtype == want.dtype
            assert np.array_equal(got, want)


def _saved(path: Path, documents: Sequence[SearchDocument]) -> dict[str, Part]:
    parts = dict(build_postings(documents).parts)
    save_parts(path, parts)
    return parts


@pytest.mark.usefixtures("batched")
def test_parts_read_back_as_they_were_written(documents: list[SearchDocument], tmp_path: Path) -> None:
    parts = _saved(tmp_path / "parts", documents)
    assert len(parts) > 2
    _assert_same(load_parts(tmp_path / "parts"), parts)


@pytest.mark.usefixtures("batched")
def test_parts_read_back_make_the_index_a_fresh_build_makes(documents: list[SearchDocument], tmp_path: Path) -> None:
    _saved(tmp_path / "parts", documents)
    read = load_parts(tmp_path / "parts")
    fresh, again = build_postings(documents), build_postings(documents, read)
    assert again.postings.data == fresh.postings.data
    assert np.array_equal(again.postings.keys, fresh.postings.keys)
    assert np.array_equal(again.postings.starts, fresh.postings.starts)
    assert all(again.parts[digest] is part for digest, part in read.items())


@pytest.mark.usefixtures("batched")
def test_after_an_edit_the_other_parts_are_taken_from_the_file(documents: list[SearchDocument], tmp_path: Path) -> None:
    _saved(tmp_path / "parts", documents)
    last = documents[-1]
    edited = [*documents[:-1], search_document(len(documents) - 1, *last.leading, last.texts.text + "补充。")]
    read = load_parts(tmp_path / "parts")
    again = build_postings(edited, read)
    assert again.postings.data == build_postings(edited).postings.data
    taken = [digest for digest, part in again.parts.items() if read.get(digest) is part]
    assert len(taken) == len(again.parts) - 1


# Two short reports: a file small enough to cut and damage at every byte.
SHORT = [
    search_document(0, "临沧市民政局2017年报", "临沧市民政局", "", "云南省", "低保。"),
    search_document(1, "报告", "", "", "", ""),
]


def test_parts_without_keys_and_no_parts_read_back(tmp_path: Path) -> None:
    parts = _saved(tmp_path / "parts", [search_document(0, "", "", "", "", "")])
    assert len(parts) == 1 and not len(next(iter(parts.values())).postings.keys)
    _assert_same(load_parts(tmp_path / "parts"), parts)
    save_parts(tmp_path / "none", {})
    assert load_parts(tmp_path / "none") == {}


def test_the_file_is_smaller_than_the_arrays(documents: list[SearchDocument], tmp_path: Path) -> None:
    """Offsets and report numbers are stored in the fewest bytes that hold them."""
    parts = _saved(tmp_path / "parts", documents)
    held = sum(len(part.postings.data) + sum(array.nbytes for array in _arrays(part)) for part in parts.values())
    assert (tmp_path / "parts").stat().st_size < held


def test_saving_replaces_the_file_whole(documents: list[SearchDocument], tmp_path: Path) -> None:
    _saved(tmp_path / "parts", documents[:2])
    parts = _saved(tmp_path / "parts", documents)
    assert [path.name for path in tmp_path.iterdir()] == ["parts"]
    broken = next(iter(parts.values()))
    with pytest.raises(ValueError):
        save_parts(tmp_path / "parts", {"x": dataclasses.replace(broken, rest=broken.rest.reshape(1, -1))})
    assert [path.name for path in tmp_path.iterdir()] == ["parts"]
    _assert_same(load_parts(tmp_path / "parts"), parts)


def test_a_missing_file_or_a_folder_holds_no_parts(tmp_path: Path) -> None:
    assert load_parts(tmp_path / "missing") == {}
    assert load_parts(tmp_path) == {}


def test_a_file_cut_short_anywhere_holds_no_parts(tmp_path: Path) -> None:
    _saved(tmp_path / "parts", SHORT)
    whole = (tmp_path / "parts").read_bytes()
    for size in range(len(whole)):
        (tmp_path / "cut").write_bytes(whole[:size])
        assert load_parts(tmp_path / "cut") == {}, size


def test_a_file_with_any_byte_changed_holds_no_parts(tmp_path: Path) -> None:
    _saved(tmp_path / "parts", SHORT)
    whole = (tmp_path / "parts").read_bytes()
    for at in range(len(whole)):
        (tmp_path / "damaged").write_bytes(whole[:at] + bytes([whole[at] ^ 0x10]) + whole[at + 1 :])
        assert load_parts(tmp_path / "damaged") == {}, at
    (tmp_path / "longer").write_bytes(whole + b"\0")
    assert load_parts(tmp_path / "longer") == {}


def test_a_file_of_another_layout_or_code_holds_no_parts(
    documents: list[SearchDocument], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parts"
    with monkeypatch.context() as patched:
        patched.setattr(stored, "LAYOUT", stored.LAYOUT + 1)
        _saved(path, documents)
        assert load_parts(path)
    assert load_parts(path) == {}
    with monkeypatch.context() as patched:
        patched.setattr(stored, "_code", lambda: bytes(16))
        _saved(path, documents)
        assert load_parts(path)
    assert load_parts(path) == {}


def test_files_of_other_kinds_hold_no_parts(tmp_path: Path) -> None:
    arrays = tmp_path / "arrays.npz"
    np.savez(arrays, keys=np.arange(3))
    (tmp_path / "text").write_text("基准档案\n", encoding="utf-8")
    (tmp_path / "empty").write_bytes(b"")
    for name in ("arrays.npz", "text", "empty"):
        assert load_parts(tmp_path / name) == {}


def _forged(path: Path, header: object, body: bytes = b"") -> Path:
    """A file with the right prefix and checksum around ``header`` and ``body``: only what they say is wrong."""
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    made = stored._PREFIX.pack(stored._MAGIC, stored.LAYOUT, stored._code(), len(text)) + text + body
    path.write_bytes(made + hashlib.sha256(made).digest())
    return path


ARRAY = ["<i8", "|u1", 1]


@pytest.mark.parametrize(
    "header",
    [
        {"digest": "x"},
        ["x"],
        [{"digest": 1, "arrays": [ARRAY] * 6, "data": 0}],
        [{"digest": "x", "arrays": [ARRAY] * 5, "data": 0}],
        [{"digest": "x", "arrays": [["|O8", "|O8", 1]] * 6, "data": 0}],
        [{"digest": "x", "arrays": [["<i8", "<i8", -1]] * 6, "data": 0}],
        [{"digest": "x", "arrays": [["<i8", "<i8", 1 << 60]] * 6, "data": 0}],
        [{"digest": "x", "arrays": [ARRAY] * 6, "data": "0"}],
        [{"digest": "x", "arrays": [ARRAY] * 6, "data": 0}],
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe",
    ],
)
def test_a_header_that_does_not_describe_parts_holds_no_parts(header: object, tmp_path: Path) -> None:
    # Six bytes: enough for six one-byte arrays of one value, where keys and starts do not fit together.
    assert load_parts(_forged(tmp_path / "forged", header, bytes(6))) == {}
