"""What a build leaves beside the site for the next one: each page's digest and links, and the search
index shards, so that an unchanged page is linked rather than rendered and an unchanged shard is not
indexed again.

The file is trusted only for the site it was written with (the folder's inode), and only by the same
generator code and Pagefind version: anything else and the next build starts from nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib.metadata import version
from pathlib import Path

from generator.index import ShardIndex
from generator.render import Earlier, PageRecord


def cache_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.json")


def save_earlier(earlier: Earlier, staging: Path) -> None:
    """Record ``earlier``, whose pages are in ``staging``, for the build after the swap."""
    data = {
        "code": _code_digest(), "inode": staging.stat().st_ino,
        "pages": {path: [record.digest, record.links] for path, record in earlier.pages.items()},
        "index": {name: [shard.digest, shard.ids] for name, shard in earlier.index.items()},
    }
    target = cache_file(earlier.site)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, target)


def load_earlier(out: Path) -> Earlier | None:
    """The record of the build that made the site now at ``out``, if there is a usable one."""
    try:
        data = json.loads(cache_file(out).read_text(encoding="utf-8"))
        if data["code"] != _code_digest() or data["inode"] != out.stat().st_ino:
            return None
        pages = {path: PageRecord(digest, tuple(map(tuple, links))) for path, (digest, links) in data["pages"].items()}
        index = {name: ShardIndex(digest, tuple(map(tuple, ids))) for name, (digest, ids) in data["index"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Earlier(out, pages, index)


@cache
def _code_digest() -> str:
    """The generator's own source and the Pagefind it runs: a change to either may change any output."""
    digest = hashlib.blake2b(version("pagefind").encode(), digest_size=16)
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()
