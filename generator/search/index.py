"""The Pagefind index of a served site, built in shards.

Pagefind indexes one document per report whose words are the report's character bigrams, spelled
in ASCII letters so that no tokenizer, stemmer or segmenter can change them; the search page turns
each query term into the same bigrams. Reports are dealt into shards by a hash of their page's
address, so a report stays in its shard while others come and go. Each shard is a Pagefind bundle
of its own under ``pagefind/``: shards are indexed in parallel, a shard whose documents are unchanged
is taken over from the previous site, and the page merges them at query time (``mergeIndex``).

Each shard folder holds its own record (``shard.json``: the digest of the documents it was built
from, and the report page each result names), written before the folder moves into a site. A build
takes a shard over only on that record's word, so what is reused is what is on disk, whatever
happened to the site in between.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import operator
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase

from generator.build.publish import link_or_copy
from generator.core import urls
from generator.core.problems import Problem, ProblemsFound
from generator.core.searchtext import normalise
from generator.search.data import SearchData, script, search_urls

# Pagefind's language tag for the bigram index: its primary subtag is not zh, ja or th, so neither
# the indexer nor the browser segments or stems the words.
INDEX_LANGUAGE = "und"
# Letter codes: four letters for a character of the Basic Multilingual Plane (first letter a–d), "z"
# and five letters above it. No code is a prefix of another, so a one-character query can be a
# prefix search. END pairs with the last character of each field.
END = "zz"
IDS_FILE = f"{urls.SEARCH_DATA}/pagefind-ids.js"
SHARD_RECORD = "shard.json"


@dataclass(frozen=True)
class Shard:
    """Reports (positions in the search data) that share one Pagefind bundle, ``pagefind/<name>/``."""

    name: str
    reports: tuple[int, ...]
    digest: str


@dataclass(frozen=True)
class ShardIndex:
    """A built shard: the digest of its documents, and the report page each Pagefind result names."""

    digest: str
    ids: tuple[tuple[str, str], ...]


# Built shards by name: what a site's index holds, and what the next build may take over.
Index = Mapping[str, ShardIndex]


class Cancelled(Exception):
    """The index was no longer wanted: the site changed again while it was being built."""


def index_paths() -> tuple[str, str]:
    """What the index step adds to a site: the Pagefind bundles and the file naming their results."""
    return urls.PAGEFIND, IDS_FILE


def plan_shards(search: SearchData, shard_size: int) -> tuple[Shard, ...]:
    """Deal the reports into a power of two of shards holding at most about ``shard_size`` each.

    A power of two keeps every report in its shard until the archive doubles or halves in size.
    """
    addresses = search_urls(search)
    count = 1
    while count * shard_size < len(addresses):
        count *= 2
    members: dict[int, list[int]] = {}
    for position, address in enumerate(addresses):
        members.setdefault(_bucket(address, count), []).append(position)
    return tuple(
        Shard(str(number), tuple(reports), _shard_digest(search, addresses, reports))
        for number, reports in sorted(members.items())
    )


def _bucket(address: str, count: int) -> int:
    return int.from_bytes(hashlib.blake2b(address.encode(), digest_size=8).digest(), "big") % count


def _shard_digest(search: SearchData, addresses: list[str], reports: list[int]) -> str:
    digest = hashlib.blake2b(INDEX_LANGUAGE.encode(), digest_size=16)
    for position in reports:
        digest.update("\0".join((*search.fields[position], addresses[position], "\1")).encode())
    return digest.hexdigest()


def built_index(site: Path) -> Index:
    """The shards in the site at ``site``, as their records describe them."""
    index = {}
    for record in sorted((site / urls.PAGEFIND).glob(f"*/{SHARD_RECORD}")):
        try:
            data = json.loads(record.read_bytes())
            index[record.parent.name] = ShardIndex(data["digest"], tuple(map(tuple, data["ids"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a record this generator wrote: the shard is indexed again
    return index


def build_index(
    staging: Path,
    search: SearchData,
    shards: tuple[Shard, ...],
    site: Path | None,
    cancelled: Callable[[], bool] = lambda: False,
    reuse_only: bool = False,
) -> Index:
    """Index every shard into ``staging``: linked from ``site`` where its record says it was built
    from the same documents, else by Pagefind, as many at once as there are processors. With
    ``reuse_only`` a shard that cannot be linked is left out: the index covers fewer reports until
    it is built whole, and never holds a document that changed.

    Raises Cancelled, leaving no index, when ``cancelled`` turns true while Pagefind runs.
    """
    bundle = staging / urls.PAGEFIND
    bundle.mkdir(parents=True, exist_ok=True)
    earlier = built_index(site) if site else {}
    built: dict[str, ShardIndex] = {}
    fresh = []
    for shard in shards:
        previous = earlier.get(shard.name)
        if site and previous and previous.digest == shard.digest:
            shutil.copytree(site / urls.PAGEFIND / shard.name, bundle / shard.name, copy_function=link_or_copy)
            built[shard.name] = previous
        elif not reuse_only:
            fresh.append(shard)
    addresses = search_urls(search)

    def index_shard(shard: Shard) -> ShardIndex:
        return _index_shard(
            staging,
            bundle / shard.name,
            search.fields,
            shard,
            [addresses[position] for position in shard.reports],
            cancelled,
        )

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for shard, made in zip(fresh, pool.map(index_shard, fresh), strict=True):
            built[shard.name] = made
    index = {shard.name: built[shard.name] for shard in shards if shard.name in built}
    ids_file = staging / IDS_FILE
    ids_file.parent.mkdir(parents=True, exist_ok=True)
    ids_file.write_bytes(
        script(
            "pagefind", {"shards": list(index), "ids": {key: url for shard in index.values() for key, url in shard.ids}}
        )
    )
    return index


def _index_shard(
    staging: Path,
    bundle: Path,
    fields: tuple[tuple[str, ...], ...],
    shard: Shard,
    addresses: list[str],
    cancelled: Callable[[], bool],
) -> ShardIndex:
    """Run Pagefind on one shard; ``addresses`` are its reports' pages, in the shard's order. The
    documents, which hold the reports' words, are written inside ``staging``: whatever becomes of
    this build, they go with it."""
    with tempfile.TemporaryDirectory(prefix="documents-", dir=staging) as documents:
        # Named by shard and position, so that no two documents of the archive share an address.
        folder = Path(documents, shard.name)
        folder.mkdir()
        for number, position in enumerate(shard.reports):
            Path(folder, f"{number}.html").write_text(_document(fields[position]), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", documents, "--output-path", str(bundle), "--silent"]
        returncode, output = _run(command, cancelled)
    if returncode != 0:
        raise ProblemsFound(
            [
                Problem(
                    # The program that failed: the Python that runs Pagefind, which must have it installed.
                    file=command[0],
                    message=f"Pagefind failed: {output.strip()}",
                    hint="check that the pagefind package is installed: pip install 'pagefind[bin]'",
                )
            ]
        )
    made = ShardIndex(shard.digest, _page_ids(bundle, addresses))
    record = {"digest": made.digest, "ids": made.ids}
    (bundle / SHARD_RECORD).write_text(json.dumps(record, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return made


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


def _document(fields: tuple[str, ...]) -> str:
    # Only the words: results are quoted from search/body/, which is cheaper than Pagefind metadata.
    return (
        f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"><title>-</title></head>'
        f"<body data-pagefind-body><p>{index_words(fields)}</p></body></html>"
    )


def index_words(fields: tuple[str, ...]) -> str:
    """Each character's bigram with the next one, in letter codes; the last of a field pairs with END."""
    words = []
    for field in fields:
        codes = list(map(_CODES.__getitem__, normalise(field)))
        words.extend(map(operator.add, codes, [*codes[1:], END]))
    return " ".join(words)


class _Codes(dict[str, str]):
    """Letter codes by character, each worked out once."""

    def __missing__(self, char: str) -> str:
        number = ord(char)
        code = _letters(number, 4) if number < 0x10000 else "z" + _letters(number - 0x10000, 5)
        self[char] = code
        return code


_CODES = _Codes()


def _letters(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 26)
        digits.append(ascii_lowercase[digit])
    return "".join(reversed(digits))


def _page_ids(bundle: Path, addresses: list[str]) -> tuple[tuple[str, str], ...]:
    """Pagefind names results by a hash of their fragment; map each to the report's page. Pages, not
    positions in the catalogue, so that an index built for an earlier version of the site still
    names the right reports while a newer one is being built."""
    ids = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        ids[fragment.stem] = int(json.loads(data)["url"].rsplit("/", 1)[1].removesuffix(".html"))
    return tuple((key, addresses[number]) for key, number in sorted(ids.items(), key=lambda item: item[1]))
