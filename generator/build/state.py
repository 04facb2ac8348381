"""What a build leaves beside the site for the next one.

``.site.cache.json``: each page's digest and links, so that an unchanged page is linked rather than
rendered again. (Search index shards carry their own records, inside the site.) It is trusted only for
the site it was written with (the folder's inode), and only by the same generator code and libraries:
anything else and the next build starts from nothing.

``.site.cache.sqlite``: every content file parsed without a problem, by file_key (a digest of its bytes),
so that only changed files are parsed again. Its entries hold for any site, but only for the same code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from functools import cache, cached_property
from importlib.metadata import version
from pathlib import Path

from generator.build.citations import Mention
from generator.build.content import Parsed, Report, Withheld
from generator.build.render import Earlier, PageRecord

# What else makes the bytes of a page or an index besides the generator's own code.
_LIBRARIES = ("jinja2", "markdown-it-py", "opencc", "pypinyin", "pagefind")


def cache_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.json")


def save_earlier(earlier: Earlier, staging: Path) -> None:
    """Record ``earlier``, whose pages are in ``staging``, for the build after the swap."""
    data = {
        "code": _code_digest(),
        "inode": staging.stat().st_ino,
        "pages": {path: [record.digest, record.links] for path, record in earlier.pages.items()},
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
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Earlier(out, pages)


def parse_cache_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.sqlite")


@contextlib.contextmanager
def parsed_files(out: Path, everything: bool = True) -> Iterator[ParsedFiles]:
    """The content files earlier builds of the site at ``out`` parsed, open for one build that will
    ask for ``everything`` (read in one go) or for a few files."""
    path = parse_cache_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        store = ParsedFiles(path, everything)
    except sqlite3.DatabaseError:  # not a database, or a damaged one: start again
        path.unlink(missing_ok=True)
        store = ParsedFiles(path, everything)
    try:
        yield store
    finally:
        store.connection.close()


class ParsedFiles:
    """Parsed content files by file_key in SQLite: a report's body and text as they are, the rest as a
    JSON list. A damaged file is the same as an empty one."""

    def __init__(self, path: Path, everything: bool) -> None:
        self.path, self.everything, self.connection = path, everything, sqlite3.connect(path, timeout=30)
        # A report withdrawn from publication leaves none of its text behind in the file's free pages.
        self.connection.execute("PRAGMA secure_delete = ON")
        # A cache need not survive the computer losing power; a damaged file is set aside and rebuilt.
        self.connection.execute("PRAGMA synchronous = OFF")
        with self.connection:
            self.connection.execute("CREATE TABLE IF NOT EXISTS meta (code TEXT)")
            if self.connection.execute("SELECT code FROM meta").fetchall() != [(_code_digest(),)]:
                self.connection.execute("DELETE FROM meta")
                self.connection.execute("INSERT INTO meta VALUES (?)", (_code_digest(),))
                self.connection.execute("DROP TABLE IF EXISTS parsed")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, fields TEXT, body TEXT, text TEXT)"
            )

    def get(self, key: str) -> Parsed | None:
        try:
            row = (
                self._rows.pop(key, None)
                if self.everything
                else self.connection.execute("SELECT fields, body, text FROM parsed WHERE key = ?", (key,)).fetchone()
            )
        except sqlite3.DatabaseError:
            return None
        return row and _decode(json.loads(row[0]), row[1], row[2])

    @cached_property
    def _rows(self) -> dict[str, list[str | None]]:
        """Every entry, read in one query: quicker than one query per file when all are wanted."""
        return {key: row for key, *row in self.connection.execute("SELECT key, fields, body, text FROM parsed")}

    def keep(self, parsed: Mapping[str, Parsed]) -> None:
        """Hold exactly ``parsed``: what this build parsed is added, what it no longer has is dropped."""
        try:
            self._keep(parsed)
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)

    def _keep(self, parsed: Mapping[str, Parsed]) -> None:
        with self.connection:
            self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS now (key TEXT PRIMARY KEY)")
            self.connection.execute("DELETE FROM now")
            self.connection.executemany("INSERT INTO now VALUES (?)", ((key,) for key in parsed))
            self.connection.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM now)")
            known = {key for (key,) in self.connection.execute("SELECT key FROM parsed")}
            self.connection.executemany(
                "INSERT INTO parsed VALUES (?, ?, ?, ?)",
                ((key, *_encode(value)) for key, value in parsed.items() if key not in known),
            )


# The fields kept as JSON; body and text have columns of their own, and mentions are written as lists.
_FIELDS = tuple(f.name for f in dataclasses.fields(Report) if f.name not in ("body", "text", "cited"))


def _encode(parsed: Parsed) -> tuple[str, str | None, str | None]:
    if isinstance(parsed, Withheld):
        return json.dumps(dataclasses.astuple(parsed), ensure_ascii=False), None, None
    fields = [getattr(parsed, name) for name in _FIELDS]
    cited = [(mention.written, mention.keys, mention.lead) for mention in parsed.cited]
    return json.dumps([fields, cited], ensure_ascii=False), parsed.body, parsed.text


def _decode(data: list, body: str | None, text: str | None) -> Parsed:
    if body is None or text is None:
        return Withheld(*data)
    fields, cited = data
    report = dict(zip(_FIELDS, fields, strict=True))
    mentions = tuple(Mention(written, tuple(keys), lead) for written, keys, lead in cited)
    return Report(
        **{**report, "region": tuple(report["region"]), "attachments": tuple(report["attachments"])},
        body=body,
        text=text,
        cited=mentions,
    )


@cache
def _code_digest() -> str:
    """The generator's own source and the libraries that shape its output: a change to any may change
    any output."""
    digest = hashlib.blake2b(" ".join(version(name) for name in _LIBRARIES).encode(), digest_size=16)
    for source in sorted(Path(__file__).parents[1].rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()
