"""Search data: what the search page loads, and the Pagefind index for served sites.

The page reads ``search/catalogue.js`` (reports, facets, the normalisation table) and, for an
offline scan, ``search/text-N.js`` (each report's searchable text). All are classic scripts, which
browsers also load from file://. For http(s), Pagefind indexes one document per report whose words
are the report's character bigrams, spelled in ASCII letters so that no tokenizer, stemmer or
segmenter can change them; the page turns each query term into the same bigrams.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import ascii_lowercase
from typing import Any

from generator import urls
from generator.catalogue import Catalogue, RegionKey, agency_key, region_key
from generator.chinese import slugify
from generator.markdown import plain_text
from generator.problems import Problem, ProblemsFound
from generator.searchtext import QUOTES, fold_table, normalise, whitespace

CHUNK_BYTES = 1_000_000
# Pagefind's language tag for the bigram index: its primary subtag is not zh, ja or th, so neither
# the indexer nor the browser segments or stems the words.
INDEX_LANGUAGE = "und"
# Letter codes: four letters for a character of the Basic Multilingual Plane (first letter a–d), "z"
# and five letters above it. No code is a prefix of another, so a one-character query can be a
# prefix search. END pairs with the last character of each field.
END = "zz"


@dataclass(frozen=True)
class SearchData:
    """The published reports, newest first, as search sees them."""

    catalogue: Mapping[str, Any]
    # Per report: title, agency, region names, 文号, body text — as written, never normalised.
    fields: tuple[tuple[str, str, str, str, str], ...]
    # The reports each text file holds, as (start, end) indexes.
    chunks: tuple[tuple[int, int], ...]


def plan_search(catalogue: Catalogue, report_paths: Mapping[str, str]) -> SearchData:
    fields = tuple(_fields(catalogue, report_id) for report_id in catalogue.newest_first)
    chunks = _chunk_ranges(fields)
    return SearchData(_catalogue_data(catalogue, report_paths, len(chunks)), fields, chunks)


def _fields(catalogue: Catalogue, report_id: str) -> tuple[str, str, str, str, str]:
    report = catalogue.reports[report_id]
    return (report.title, report.agency, " ".join(report.region), report.doc_number or "",
            plain_text(report.body))


def _chunk_ranges(fields: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, int], ...]:
    """Consecutive runs of reports, each about CHUNK_BYTES of text: one text file each."""
    ranges, start, size = [], 0, 0
    for index, report in enumerate(fields):
        size += sum(len(field.encode()) for field in report)
        if size >= CHUNK_BYTES or index == len(fields) - 1:
            ranges.append((start, index + 1))
            start, size = index + 1, 0
    return tuple(ranges)


def _catalogue_data(catalogue: Catalogue, report_paths: Mapping[str, str], chunks: int) -> dict:
    regions: list[dict[str, Any]] = []
    region_index: dict[RegionKey, int] = {}

    def add(key: RegionKey, parent: int) -> None:
        node = catalogue.regions[key]
        region_index[key] = len(regions)
        regions.append({"v": "/".join(node.names), "n": node.name, "p": parent})
        for child in node.children:
            add(child, region_index[key])

    for province in catalogue.provinces:
        add(province, -1)
    agencies = sorted(catalogue.agencies, key=lambda key: (slugify(catalogue.agencies[key].name), key))
    agency_index = {key: i for i, key in enumerate(agencies)}
    kinds = sorted({r.kind for r in catalogue.reports.values() if r.kind})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    reports = []
    for report_id in catalogue.newest_first:
        report = catalogue.reports[report_id]
        reports.append([report_paths[report_id], report.title, agency_index[agency_key(report)],
                        region_index[region_key(report)], report.year, report.date or "",
                        kind_index.get(report.kind, -1), report.doc_number or "",
                        report.language])
    return {
        "table": fold_table(), "space": whitespace(), "quotes": "".join(sorted(QUOTES)),
        "regions": regions, "agencies": [catalogue.agencies[key].name for key in agencies], "kinds": kinds,
        "chunks": chunks, "reports": reports,
    }


def data_paths(search: SearchData) -> list[str]:
    return [f"{urls.SEARCH_DATA}/catalogue.js", *(f"{urls.SEARCH_DATA}/text-{n}.js" for n in range(len(search.chunks)))]


def data_files(search: SearchData) -> Iterator[tuple[str, bytes]]:
    """The catalogue and the text files, as classic scripts that hand their data to the search page."""
    catalogue, *texts = data_paths(search)
    yield catalogue, _script("catalogue", search.catalogue)
    for path, (start, end) in zip(texts, search.chunks, strict=True):
        yield path, _script(path.removeprefix(f"{urls.SEARCH_DATA}/").removesuffix(".js"), search.fields[start:end])


def _script(name: str, data: object) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"gongkai.receive({json.dumps(name)},{payload});\n".encode()


def index_paths() -> tuple[str, str]:
    """What the index step adds to a site: the Pagefind bundle and the file naming its results."""
    return urls.PAGEFIND, f"{urls.SEARCH_DATA}/pagefind-ids.js"


def search_digest(search: SearchData) -> str:
    """A digest of what the index is built from: two sites with the same one have the same index."""
    digest = hashlib.blake2b(digest_size=16)
    for fields, url in zip(search.fields, _report_urls(search), strict=True):
        digest.update("\0".join((*fields, url, "\1")).encode())
    return digest.hexdigest()


def build_index(staging: Path, search: SearchData, cancelled: Callable[[], bool] = lambda: False) -> int:
    """Index every report with Pagefind into ``staging``; return the number of documents indexed.

    Raises Cancelled, leaving no index, when ``cancelled`` turns true while Pagefind runs.
    """
    bundle, ids_file = (staging / path for path in index_paths())
    # Pagefind refuses an empty site; an archive with no published report needs no index.
    ids = _run_pagefind(bundle, search, cancelled) if search.fields else {}
    ids_file.parent.mkdir(parents=True, exist_ok=True)
    ids_file.write_bytes(_script("pagefind", ids))
    return len(ids)


class Cancelled(Exception):
    """The index was no longer wanted: the site changed again while it was being built."""


def _run_pagefind(bundle: Path, search: SearchData, cancelled: Callable[[], bool]) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="gongkai-index-") as documents:
        for index, fields in enumerate(search.fields):
            Path(documents, f"{index}.html").write_text(_document(fields), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", documents, "--output-path", str(bundle), "--silent"]
        returncode, output = _run(command, cancelled)
    if returncode != 0:
        raise ProblemsFound([Problem(urls.PAGEFIND, None, None, f"Pagefind failed: {output.strip()}",
                                     "check that the pagefind package is installed: pip install 'pagefind[bin]'")])
    return _page_ids(bundle, _report_urls(search))


def _run(command: list[str], cancelled: Callable[[], bool]) -> tuple[int, str]:
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        while not cancelled():
            try:
                output, _ = process.communicate(timeout=0.2)
                return process.returncode, output
            except subprocess.TimeoutExpired:
                continue
        process.kill()
        raise Cancelled


def _report_urls(search: SearchData) -> list[str]:
    return [report[0] for report in search.catalogue["reports"]]


def _document(fields: tuple[str, ...]) -> str:
    # The body as written rides along as metadata, so served results can quote it.
    return (f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"><title>-</title></head>'
            f"<body data-pagefind-body><p>{index_words(fields)}</p>"
            f'<div data-pagefind-ignore data-pagefind-meta="body">{html.escape(fields[-1])}</div></body></html>')


def index_words(fields: tuple[str, ...]) -> str:
    """Each character's bigram with the next one, in letter codes; the last of a field pairs with END."""
    words = []
    for field in fields:
        codes = [_code(char) for char in normalise(field)]
        words.extend(a + b for a, b in zip(codes, [*codes[1:], END], strict=False))
    return " ".join(words)


@cache
def _code(char: str) -> str:
    number = ord(char)
    return _letters(number, 4) if number < 0x10000 else "z" + _letters(number - 0x10000, 5)


def _letters(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 26)
        digits.append(ascii_lowercase[digit])
    return "".join(reversed(digits))


def _page_ids(bundle: Path, report_urls: list[str]) -> dict[str, str]:
    """Pagefind names results by a hash of their fragment; map each to the report's page. Pages, not
    positions in the catalogue, so that an index built for an earlier version of the site still
    names the right reports while a newer one is being built."""
    ids = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        ids[fragment.stem] = int(json.loads(data)["url"].strip("/").removesuffix(".html"))
    return {key: report_urls[index] for key, index in sorted(ids.items(), key=lambda item: item[1])}
