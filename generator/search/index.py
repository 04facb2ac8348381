"""The search index: a positional inverted index over the character bigrams of every report's
normalised searchable text, in chunks of consecutive keys.

A report matches a term when the term is a substring of its normalised text; the bigrams of the
term, found one after another at the same positions, prove it without the text. The last character
of every field pairs with END, so each character starts exactly one bigram and a one-character term
is the range of keys that start with it. Postings are delta-coded varints (see files.py for the
bytes). It is built with numpy, a batch of reports at a time, so memory stays bounded whatever the
size of the archive.

Chunk boundaries depend only on nearby keys: a key whose hash is an ANCHOR always starts a chunk,
and between anchors chunks are cut by size. An edit to one report changes only the chunks that hold
its bigrams, so the other files are taken over from the last build unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np

from generator.core.processes import processors
from generator.core.searchtext import fold_table
from generator.search.data import HEAD_FIELDS, SEARCH_FIELDS, SearchDocument

# Bigram (a, b) has key a * BASE + b; END stands for the end of a field.
END = 0x110000
BASE = END + 1
# Separates fields (and reports) in a batch; normalised text never holds it.
_SEPARATOR = ord("\n")
_DELETED = np.uint32(0xFFFFFFFF)
# Characters per batch: bounds the arrays the index is built from (about 100 bytes per character).
BATCH_CHARACTERS = 2_000_000
# Reports per block: see _batches.
BLOCK_REPORTS = 128
# Uncompressed bytes of postings per chunk, and one key in ANCHOR_EVERY starts a chunk whatever the sizes.
CHUNK_BYTES = 48_000
ANCHOR_EVERY = 64


@dataclass(frozen=True)
class Postings:
    """Every key, sorted, with its posting's bytes; and the keys' places in ``data``."""

    keys: np.ndarray
    starts: np.ndarray
    data: bytes


@dataclass(frozen=True)
class Chunk:
    """Keys ``keys`` (indexes into Postings.keys) of one chunk file."""

    first: int
    stop: int


@cache
def _fold_lookup() -> tuple[np.ndarray, dict[str, str]]:
    """Normalisation as an array (code point → code point, or _DELETED), and the characters that fold
    into more than one, which are expanded before the array applies."""
    lookup = np.arange(END, dtype=np.uint32)
    longer = {}
    table = fold_table()
    for char, folded in table.items():
        if len(folded) == 1:
            lookup[ord(char)] = ord(folded)
        elif not folded:
            lookup[ord(char)] = _DELETED
        else:
            longer[char] = folded
    if any(table.get(c, c) != c for folded in longer.values() for c in folded):
        raise ValueError("a character folds into characters that fold again")
    return lookup, longer


def normalised_codes(fields: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The normalised code points of ``fields``, each field followed by a separator, and each field's
    normalised length."""
    lookup, longer = _fold_lookup()
    if longer:
        expand = str.maketrans(longer)
        fields = [field.translate(expand) if any(c in field for c in longer) else field for field in fields]
    # Fields are joined with a placeholder after each; where the placeholders stand is known from the
    # fields' lengths, so what they are does not matter.
    codes = np.frombuffer("\n".join([*fields, ""]).encode("utf-32-le"), dtype=np.uint32)
    ends = np.cumsum([len(field) + 1 for field in fields], dtype=np.int64) - 1
    folded = lookup[codes]
    folded[ends] = _SEPARATOR
    kept = folded != _DELETED
    return folded[kept], np.diff(np.cumsum(kept)[ends], prepend=0) - 1


def head_lengths(documents: Sequence[SearchDocument]) -> list[int]:
    """Per report, where its head (title, agency, 文号) ends in its normalised text."""
    fields = [field for document in documents for field in document.leading[:HEAD_FIELDS]]
    _, lengths = normalised_codes(fields)
    return (lengths.reshape(-1, HEAD_FIELDS).sum(axis=1) + HEAD_FIELDS - 1).tolist()


def build_postings(documents: Sequence[SearchDocument], earlier: Mapping[str, Part] | None = None) -> Built:
    """The postings of every bigram of ``documents`` (numbered by their order), made in batches; a batch
    ``earlier`` holds (by the digest of its reports) is taken from there."""
    batches = list(_batches(documents))
    digests = [_batch_digest(documents, start, stop) for start, stop in batches]
    known = earlier or {}

    def part(number: int) -> Part:
        return known.get(digests[number]) or build_part(documents, *batches[number])

    with ThreadPoolExecutor(processors()) as pool:
        # numpy lets go of the interpreter while it sorts and encodes: batches are made side by side.
        parts = list(pool.map(part, range(len(batches))))
    if not parts:
        return Built(Postings(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), b""), {})
    return Built(parts[0].postings if len(parts) == 1 else join(parts), dict(zip(digests, parts, strict=True)))


@dataclass(frozen=True)
class Built:
    """The postings, and the parts they were joined from by the digest of their reports: what the next
    build may take over."""

    postings: Postings
    parts: Mapping[str, Part]


def _batches(documents: Sequence[SearchDocument]) -> Iterator[tuple[int, int]]:
    """Runs of reports of at most BATCH_CHARACTERS, never across a multiple of BLOCK_REPORTS: an edit
    changes only the batches of its own block."""
    start, size = 0, 0
    for number, document in enumerate(documents):
        size += document.size
        stop = number + 1
        if size >= BATCH_CHARACTERS or stop % BLOCK_REPORTS == 0 or stop == len(documents):
            yield start, stop
            start, size = stop, 0


def _batch_digest(documents: Sequence[SearchDocument], start: int, stop: int) -> str:
    """Of all a batch's part is made from: its reports' numbers and searchable fields (their made_from)."""
    digest = hashlib.blake2b(f"{start}\0{stop}\0".encode(), digest_size=16)
    for document in documents[start:stop]:
        digest.update(document.made_from)
    return digest.hexdigest()


@dataclass(frozen=True)
class Part:
    """The postings of a run of consecutive reports (a batch of a build, or the reports of one province
    made on a machine of their own); and, to join runs into one posting per key: where each posting goes
    on after its first value (the first report's number), where it ends, and its first and last report."""

    postings: Postings
    rest: np.ndarray
    ends: np.ndarray
    first: np.ndarray
    last: np.ndarray


def build_part(documents: Sequence[SearchDocument], start: int, stop: int) -> Part:
    """The postings of ``documents[start:stop]``, numbered as in ``documents``."""
    fields = [field for document in documents[start:stop] for field in document.fields]
    codes, lengths = normalised_codes(fields)
    width = len(SEARCH_FIELDS)
    report_lengths = (lengths + 1).reshape(-1, width).sum(axis=1)
    report_starts = np.concatenate(([0], np.cumsum(report_lengths)[:-1]))
    left, right = codes[:-1], codes[1:]
    at = np.flatnonzero(left != _SEPARATOR)
    left, right = left[at], np.where(right[at] == _SEPARATOR, np.uint32(END), right[at])
    order, keys = _sorted_keys(left, right)
    at = at[order]
    report = np.repeat(np.arange(len(report_lengths)), report_lengths)[at]
    return _encode(keys, report + start, at - report_starts[report])


def _sorted_keys(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of the bigrams by key, in text order within a key, and their keys in that order.
    Characters are numbered densely so that key and place fit one 64-bit integer, which sorts faster
    than a stable argsort; the keys are read back from the sorted integers, not gathered again."""
    present = np.zeros(END + 1, dtype=bool)
    present[left] = present[right] = True
    number = np.cumsum(present, dtype=np.int64) - 1
    width = int(number[-1]) + 1
    if width > 1 << 16 or len(left) >= 1 << 32:
        order = np.lexsort((right, left))
        return order, left[order].astype(np.uint64) * BASE + right[order]
    dense = (number[left] * width + number[right]).astype(np.uint64)
    pairs = (dense << np.uint64(32)) | np.arange(len(left), dtype=np.uint64)
    pairs.sort()
    chars = np.flatnonzero(present).astype(np.uint64)
    dense = (pairs >> np.uint64(32)).astype(np.int64)
    keys = chars[dense // width] * np.uint64(BASE) + chars[dense % width]
    return (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64), keys


def _encode(keys: np.ndarray, reports: np.ndarray, positions: np.ndarray) -> Part:
    """Varint records (report delta, count, positions) per key, from occurrences sorted by key,
    report and position."""
    count = len(keys)
    if not count:
        nothing = np.zeros(0, dtype=np.int64)
        return Part(Postings(keys, np.zeros(1, dtype=np.int64), b""), nothing, nothing, nothing, nothing)
    new_key = np.ones(count, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_report = new_key.copy()
    new_report[1:] |= reports[1:] != reports[:-1]
    groups = np.flatnonzero(new_report)
    opens_key = new_key[groups]
    group_reports = reports[groups]
    previous = np.concatenate(([0], group_reports[:-1]))
    previous[opens_key] = 0
    headers = groups + 2 * np.arange(len(groups))
    # Report numbers and positions in a report are far below 2**32.
    values = np.empty(count + 2 * len(groups), dtype=np.uint32)
    values[headers] = group_reports - previous
    values[headers + 1] = np.diff(np.append(groups, count))
    body = np.ones(len(values), dtype=bool)
    body[headers] = body[headers + 1] = False
    values[body] = np.where(new_report, positions, positions - np.concatenate(([0], positions[:-1])))
    data, offsets = _varints(values)
    key_headers = headers[opens_key]
    ends = np.append(offsets[key_headers[1:]], len(data))
    key_at = np.flatnonzero(new_key)
    return Part(
        Postings(keys[key_at], np.append(offsets[key_headers], len(data)), data),
        # Each posting without its first value, the first report's number, for joining batches.
        offsets[key_headers + 1],
        ends,
        group_reports[opens_key],
        reports[np.append(key_at[1:], count) - 1],
    )


def _varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128 of every value, concatenated, and where each starts. Each value's groups of seven bits
    are laid out in a row of a matrix; the groups it needs, read row by row, are its bytes."""
    widths = np.ones(len(values), dtype=np.int8)
    limit = int(values.max()) if len(values) else 0
    wide = 1
    while limit >> (7 * wide):
        widths += values >= values.dtype.type(1 << (7 * wide))
        wide += 1
    groups = np.empty((len(values), wide), dtype=np.uint8)
    for group in range(wide):
        more = (widths > group + 1).astype(np.uint8) << 7
        groups[:, group] = ((values >> values.dtype.type(7 * group)) & values.dtype.type(0x7F)).astype(np.uint8) | more
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(widths, out=offsets[1:])
    return groups[np.arange(wide) < widths[:, None]].tobytes(), offsets


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def join(parts: Sequence[Part]) -> Postings:
    """Parts of consecutive runs of reports, in order, joined key by key into the postings of them all:
    each part of a posting follows the previous part's, its first report number made relative to that
    part's last report with the key."""
    keys = np.concatenate([part.postings.keys for part in parts])
    batch = np.concatenate([np.full(len(part.postings.keys), n) for n, part in enumerate(parts)])
    local = np.concatenate([np.arange(len(part.postings.keys)) for part in parts])
    order = np.lexsort((batch, keys))
    keys = keys[order]
    same_key = np.zeros(len(order), dtype=bool)
    same_key[1:] = keys[1:] == keys[:-1]
    first = np.concatenate([part.first for part in parts])[order]
    last = np.concatenate([part.last for part in parts])[order]
    joins, join_at = _varints((first - np.where(same_key, np.concatenate(([0], last[:-1])), 0)).astype(np.uint64))
    pieces, starts, size = [], [0], 0
    closes = [*(~same_key[1:]).tolist(), True]
    for row, (number, index) in enumerate(zip(batch[order].tolist(), local[order].tolist(), strict=True)):
        part = parts[number]
        pieces.append(joins[join_at[row] : join_at[row + 1]])
        pieces.append(part.postings.data[part.rest[index] : part.ends[index]])
        size += len(pieces[-2]) + len(pieces[-1])
        if closes[row]:
            starts.append(size)
    return Postings(keys[~same_key], np.array(starts, dtype=np.int64), b"".join(pieces))


def chunks(postings: Postings) -> list[Chunk]:
    """Runs of consecutive keys: a new one at every anchor key, and where the run would pass CHUNK_BYTES."""
    sizes = np.diff(postings.starts).tolist()
    anchors = (_mix(postings.keys) % ANCHOR_EVERY == 0).tolist()
    out, first, size = [], 0, 0
    for index, (bytes_, anchor) in enumerate(zip(sizes, anchors, strict=True)):
        if index > first and (anchor or size + bytes_ > CHUNK_BYTES):
            out.append(Chunk(first, index))
            first, size = index, 0
        size += bytes_
    if len(sizes):
        out.append(Chunk(first, len(sizes)))
    return out


def _mix(keys: np.ndarray) -> np.ndarray:
    """A hash of each key (splitmix64), so that anchors fall evenly whatever the characters."""
    with np.errstate(over="ignore"):
        z = keys.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def chunk_bytes(postings: Postings, chunk: Chunk) -> bytes:
    """A chunk file's bytes: its key count, keys (delta-coded), posting lengths, then the postings."""
    keys = postings.keys[chunk.first : chunk.stop].tolist()
    starts = postings.starts[chunk.first : chunk.stop + 1].tolist()
    header = [len(keys), keys[0], *(b - a for a, b in itertools.pairwise(keys))]
    header += [b - a for a, b in itertools.pairwise(starts)]
    return b"".join(map(varint, header)) + postings.data[starts[0] : starts[-1]]


def read_chunk(data: bytes) -> dict[int, dict[int, list[int]]]:
    """A chunk file's bytes read back: for each key, the positions of the bigram in each report."""
    values = _read_varints(data)
    count = next(values)
    keys = list(itertools.accumulate(next(values) for _ in range(count)))
    lengths = [next(values) for _ in range(count)]
    start = len(data) - sum(lengths)
    out = {}
    for key, length in zip(keys, lengths, strict=True):
        out[key] = _read_posting(data[start : start + length])
        start += length
    return out


def _read_posting(data: bytes) -> dict[int, list[int]]:
    values, reports, report = _read_varints(data), {}, 0
    for delta in values:
        report += delta
        reports[report] = list(itertools.accumulate(next(values) for _ in range(next(values))))
    return reports


def _read_varints(data: bytes) -> Iterator[int]:
    value, shift = 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            yield value
            value, shift = 0, 0
