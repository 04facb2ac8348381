"""The search index's parts kept in a file between builds, so that a build in a new process takes over
every batch whose reports did not change, as a build in the same process does.

The file is a prefix (magic, layout, a digest of the code that makes parts, the header's length), a
JSON header naming each part's digest and the type and length of its arrays, then each part's arrays
and postings as raw bytes, and last a SHA-256 of all before it. Reading it runs nothing from it: the
header is JSON and the arrays are plain numbers. Integer arrays are stored in the narrowest unsigned
type that holds their values and widened again when read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from generator.build.state import code_digest
from generator.search.index import Part, Postings

_MAGIC = b"GKSPARTS"
# Raised whenever the layout of the file changes: a file of another layout reads as empty.
LAYOUT = 1
# Magic, layout, code digest, header length.
_PREFIX = struct.Struct("<8sI16sQ")
_CHECK = hashlib.sha256
_CHECK_SIZE = _CHECK().digest_size
_ARRAYS = ("keys", "starts", "rest", "ends", "first", "last")
# What a stored array may be: numbers, never objects; a type named so is all np.dtype is given to read.
_NUMBERS = re.compile(r"[<>|][biuf][1248]")
_NARROW = [np.dtype(f"<u{size}") for size in (1, 2, 4, 8)]


def parts_file(out: Path) -> Path:
    """Where the parts of the index of the site at ``out`` are kept: beside it, never in it."""
    return out.with_name(f".{out.name}.cache.search")


def _code() -> bytes:
    """The code that made the parts: parts made by other code may hold other bytes for the same reports."""
    return bytes.fromhex(code_digest())


def save_parts(path: Path, parts: Mapping[str, Part]) -> None:
    """Write ``parts`` to ``path`` whole or not at all: into a file beside it, then moved over it. It is
    not synced: a file cut short by a crash reads as empty, which costs one full build of the index."""
    pieces = {digest: _pieces(part) for digest, part in parts.items()}
    header = json.dumps([_entry(digest, arrays, data) for digest, (arrays, data) in pieces.items()]).encode()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            check = _CHECK()
            for buffer in _layout(header, pieces.values()):
                check.update(buffer)
                file.write(buffer)
            file.write(check.digest())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _pieces(part: Part) -> tuple[list[tuple[np.dtype, np.ndarray]], bytes]:
    """Each array of ``part`` with its own type and as it is stored; and its postings."""
    arrays = [part.postings.keys, part.postings.starts, part.rest, part.ends, part.first, part.last]
    for array in arrays:
        if array.ndim != 1 or not _NUMBERS.fullmatch(array.dtype.str):
            raise ValueError(f"a part holds an array that cannot be stored: {array.dtype} of {array.shape}")
    return [(array.dtype, _narrowed(array)) for array in arrays], part.postings.data


def _narrowed(array: np.ndarray) -> np.ndarray:
    """``array`` in the narrowest unsigned type that holds it, if it is of integers none below zero:
    offsets and report numbers need far fewer than 64 bits."""
    if array.dtype.kind not in "iu" or not len(array) or array.min() < 0:
        return _little(array)
    top = int(array.max())
    narrow = next(dtype for dtype in _NARROW if top <= np.iinfo(dtype).max)
    return array.astype(narrow) if narrow.itemsize < array.dtype.itemsize else _little(array)


def _little(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))


def _entry(digest: str, arrays: list[tuple[np.dtype, np.ndarray]], data: bytes) -> dict[str, object]:
    return {
        "digest": digest,
        "arrays": [[dtype.str, stored.dtype.str, len(stored)] for dtype, stored in arrays],
        "data": len(data),
    }


def _layout(
    header: bytes, pieces: Iterable[tuple[list[tuple[np.dtype, np.ndarray]], bytes]]
) -> Iterator[bytes | memoryview]:
    yield _PREFIX.pack(_MAGIC, LAYOUT, _code(), len(header))
    yield header
    for arrays, data in pieces:
        for _, stored in arrays:
            yield memoryview(stored).cast("B")
        yield data


def load_parts(path: Path) -> dict[str, Part]:
    """The parts stored at ``path``: none if there is no such file, or it is not one this code wrote
    whole and unchanged since."""
    try:
        with path.open("rb") as file:
            return _read(file, os.fstat(file.fileno()).st_size)
    except (OSError, ValueError, TypeError, KeyError, IndexError, struct.error, RecursionError):
        return {}


def _read(file: BinaryIO, size: int) -> dict[str, Part]:
    prefix = file.read(_PREFIX.size)
    magic, layout, code, length = _PREFIX.unpack(prefix)
    if (magic, layout, code) != (_MAGIC, LAYOUT, _code()) or length > size:
        return {}
    check = _CHECK(prefix)
    entries = [_Entry.parse(entry) for entry in json.loads(_exactly(file, length, check))]
    # Sizes are checked before anything is read by them, so a damaged header cannot ask for more.
    if _PREFIX.size + length + sum(entry.size for entry in entries) + _CHECK_SIZE != size:
        return {}
    parts = {entry.digest: _part(file, entry, check) for entry in entries}
    if file.read(_CHECK_SIZE) != check.digest() or not all(map(_sound, parts.values())):
        return {}
    return parts


@dataclass(frozen=True)
class _Entry:
    """A part as the header names it: its digest, each array's type, type as stored and length, and the
    length of its postings."""

    digest: str
    arrays: tuple[tuple[np.dtype, np.dtype, int], ...]
    data: int

    @staticmethod
    def parse(entry: dict[str, object]) -> _Entry:
        digest, arrays, data = entry["digest"], entry["arrays"], entry["data"]
        if not isinstance(digest, str) or not isinstance(arrays, list) or len(arrays) != len(_ARRAYS):
            raise ValueError("not a part")
        return _Entry(digest, tuple((_dtype(a), _dtype(b), _count(n)) for a, b, n in arrays), _count(data))

    @property
    def size(self) -> int:
        return sum(stored.itemsize * count for _, stored, count in self.arrays) + self.data


def _dtype(name: object) -> np.dtype:
    if not isinstance(name, str) or not _NUMBERS.fullmatch(name):
        raise ValueError("not a type of number")
    return np.dtype(name)


def _count(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError("not a count")
    return value


def _exactly(file: BinaryIO, size: int, check: hashlib._Hash) -> bytes:
    read = file.read(size)
    if len(read) != size:
        raise ValueError("the file is cut short")
    check.update(read)
    return read


def _part(file: BinaryIO, entry: _Entry, check: hashlib._Hash) -> Part:
    keys, starts, rest, ends, first, last = (
        np.frombuffer(_exactly(file, stored.itemsize * count, check), dtype=stored).astype(dtype)
        for dtype, stored, count in entry.arrays
    )
    return Part(Postings(keys, starts, _exactly(file, entry.data, check)), rest, ends, first, last)


def _sound(part: Part) -> bool:
    """Whether the arrays of ``part`` fit together as a build makes them."""
    count, starts = len(part.postings.keys), part.postings.starts
    fitting = len(starts) == count + 1 and int(starts[-1]) == len(part.postings.data)
    return fitting and all(len(array) == count for array in (part.rest, part.ends, part.first, part.last))
