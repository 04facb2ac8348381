"""The search files under ``search/``: what the search page loads, each only when a query needs it.

Every file is a classic script, ``gongkai.receive("<name>","<payload>");``, which browsers load from
file:// as well as from a server; the payload is base64 of zlib-compressed bytes, and ``<name>`` is
the file's path under ``search/`` without ``.js``:

- ``index``: JSON, loaded with the page: the normalisation table, the number of reports, the first
  key of every posting chunk (delta-coded) and the size of the meta files.
- ``facets``: JSON, loaded with the first query or filter: the names of regions, agencies and kinds,
  and per report (in index order) its region, agency, year, kind, head length and newest-first rank.
- ``p/<n>``: a posting chunk, varints (index.py): the key count, the keys (delta-coded), each posting's
  length, then the postings: per report holding the bigram, its number's delta, the number of
  occurrences and their positions (delta-coded) in the report's normalised searchable text.
- ``m/<n>``: JSON rows (META_COLUMNS) of reports n·META_SIZE to (n+1)·META_SIZE − 1, for listing hits.
- ``t/<page>``: a report's text as written, to quote around a match of a result on screen.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from generator.build.render import PageRecord, RenderedPage, Reuse
from generator.core import urls
from generator.core.searchtext import QUOTES, fold_table, whitespace
from generator.search.data import META_COLUMNS, SearchData, SearchDocument, meta_row
from generator.search.index import BASE, END, Built, Part, Postings, build_postings, chunk_bytes, chunks, head_lengths

FORMAT = 1
# Reports per meta file: a query's hits are neighbours, so larger files mean fewer requests for about
# the same bytes; smaller ones cost less for hits spread across the archive (the newest reports).
META_SIZE = 256
INDEX_FILE = f"{urls.SEARCH_DATA}/index.js"
FACETS_FILE = f"{urls.SEARCH_DATA}/facets.js"
_SCRIPT = re.compile(rb'gongkai\.receive\(("[^"\\]*"),"([A-Za-z0-9+/=]*)"\);\n')


def script(name: str, data: bytes) -> bytes:
    """``data`` as a classic script handing it to the search page under ``name``."""
    # The fastest level: half the time of the default for 3% more bytes.
    payload = base64.b64encode(zlib.compress(data, 1)).decode("ascii")
    return f"gongkai.receive({json.dumps(name)},{json.dumps(payload)});\n".encode()


def read_script(data: bytes) -> tuple[str, bytes] | None:
    """The name and the bytes a search file hands over; None if ``data`` is no search file."""
    found = _SCRIPT.fullmatch(data)
    if found is None:
        return None
    return json.loads(found[1]), zlib.decompress(base64.b64decode(found[2]))


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def text_path(report_url: str) -> str:
    return f"{urls.SEARCH_DATA}/t/{report_url.removesuffix('.html')}.js"


def fixed_paths() -> list[str]:
    """The search files every archive has, whatever its reports."""
    return [INDEX_FILE, FACETS_FILE]


@dataclass(frozen=True)
class SearchFiles:
    """The search files to write, and the index's parts, which the next build may take over."""

    pages: list[RenderedPage]
    parts: Mapping[str, Part]


def search_pages(search: SearchData, reuse: Reuse | None = None, built: Built | None = None) -> SearchFiles:
    """Every search file, to be written. Each is recorded by the digest of its data before wrapping, or
    of what the data is made of (a report's text by its made_from, the files that list reports by the
    search data but the bodies, the index file without the code's normalisation table), so one whose
    data did not change since the last build is taken from its site (``reuse``) without being made or
    compressed again. The index is the postings ``built`` of the search's documents (build_postings),
    else made here."""
    built = built or build_postings(search.documents)
    # The data of a file taken over is let go at once: all of it at once is some hundreds of megabytes.
    kept: dict[str, RenderedPage | None] = {}
    new: list[tuple[str, bytes, str]] = []
    for path, digest, data in _search_data(search, built.postings):
        kept[path] = reuse(path, digest) if reuse else None
        if kept[path] is None:
            new.append((path, data(), digest))
    with ThreadPoolExecutor() as pool:
        # zlib lets go of the interpreter while it compresses: files compress side by side. Only the
        # files to make go to the pool: handing it every file costs more than taking most of them over.
        made = dict(zip((path for path, _, _ in new), pool.map(_page, new), strict=True))
    return SearchFiles([page or made[path] for path, page in kept.items()], built.parts)


def _page(file: tuple[str, bytes, str]) -> RenderedPage:
    path, data, digest = file
    return RenderedPage(path, _wrapped(path, data), PageRecord(digest, ()))


def _search_data(search: SearchData, postings: Postings) -> Iterator[tuple[str, str, Callable[[], bytes]]]:
    """Every search file's path, the digest of its data before wrapping, and a way to make that data, one
    at a time. A report's text file goes by its document's made_from, which the search data's digest
    takes anyway: its data is made only when it is written."""
    pieces = chunks(postings)
    firsts = [int(postings.keys[piece.first]) for piece in pieces]
    # The normalisation table is the code's: a site's record is trusted only by the same code.
    index = _index(search, firsts)
    yield _digested(INDEX_FILE, _json(index), lambda: _json({**index, **_normalisation()}))
    yield _listing(search, FACETS_FILE, lambda: _json(_facets(search)))
    documents = search.documents
    for start in range(0, len(documents), META_SIZE):
        rows = functools.partial(_meta_rows, documents[start : start + META_SIZE])
        yield _listing(search, f"{urls.SEARCH_DATA}/m/{start // META_SIZE}.js", rows)
    for document in documents:
        yield text_path(document.url), document.made_from.hex(), functools.partial(_text, document)
    for number, piece in enumerate(pieces):
        yield _digested(f"{urls.SEARCH_DATA}/p/{number}.js", chunk_bytes(postings, piece))


def _digested(path: str, data: bytes, made: Callable[[], bytes] | None = None) -> tuple[str, str, Callable[[], bytes]]:
    """A file recorded by the digest of ``data``: what it holds, or what it is ``made`` of."""
    return path, hashlib.blake2b(data, digest_size=16).hexdigest(), made or (lambda: data)


def _listing(search: SearchData, path: str, made: Callable[[], bytes]) -> tuple[str, str, Callable[[], bytes]]:
    """A file that lists or filters reports, recorded by what it is made of: all the search data shows
    but the reports' bodies. Edits of bodies alone leave it as it was, without making it to compare."""
    return path, hashlib.blake2b(search.listed + path.encode(), digest_size=16).hexdigest(), made


def _meta_rows(documents: Sequence[SearchDocument]) -> bytes:
    return _json([meta_row(document) for document in documents])


def _text(document: SearchDocument) -> bytes:
    return document.texts.text.encode()


def _wrapped(path: str, data: bytes) -> bytes:
    return script(path.removeprefix(f"{urls.SEARCH_DATA}/").removesuffix(".js"), data)


def _index(search: SearchData, firsts: list[int]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "reports": len(search.documents),
        "quotes": "".join(sorted(QUOTES)),
        "end": END,
        "base": BASE,
        "chunks": [b - a for a, b in zip([0, *firsts], firsts, strict=False)],
        "meta_size": META_SIZE,
        "columns": list(META_COLUMNS),
    }


def _normalisation() -> dict[str, Any]:
    return {"table": fold_table(), "space": whitespace()}


def _facets(search: SearchData) -> dict[str, Any]:
    documents = search.documents
    return {
        "regions": [{"v": region.value, "n": region.name, "p": region.parent} for region in search.regions],
        "agencies": list(search.agencies),
        "kinds": list(search.kinds),
        "years": sorted({document.year for document in documents}, reverse=True),
        "region": [document.region for document in documents],
        "agency": [document.agency for document in documents],
        "year": [document.year for document in documents],
        "kind": [document.kind for document in documents],
        "head": head_lengths(documents),
        "newest": [document.newest for document in documents],
    }
