"""What one build leaves for the next, and when the next may trust it.

A build's record (``BuildRecord``) holds the content files it parsed, by file_key (a digest of a file's
bytes, its name and the default 公开属性), and every page and file it wrote into its site, each with a
digest of all it was made from and its links. The next build takes it from memory when it is handed
one (serve hands each build the last one's), else, with caching on, from two files beside the site:

``.site.cache.sqlite``: the parsed content files, written as soon as a build has parsed its content,
whether or not it goes on to publish a site: the entries hold for any site, so even a build refused for
a problem, or killed, spares the next one the parsing. A build reads every report from it but their
body and text, which it reads only for the pages it renders and the index batches it makes: the file
holds every report of the build that reads it from the time the build has loaded its content.

``.site.cache.record``: the page records, written while the new site is still in its staging folder, just
before it is swapped in.

Whichever way a record comes, nothing made by other generator code or other libraries is trusted;
parsed files are trusted for any site, page records only for the site folder they were written into.
Page records read from the cache file are trusted only while that folder is still the one the build
made (its inode: a site replaced or restored since is rebuilt in full); a record held in memory is the
word of the process that made the site. A folder of files made together from one input (the search
files) is taken over whole when the record shows it was made from the same input.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import marshal
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.build.citations import Mention
from generator.build.content import Parsed, Report, Texts, Withheld
from generator.build.publish import Spare
from generator.build.render import PageRecord, RenderedPage
from generator.core.problems import Problem
from generator.core.searchtext import character_tables, know_character_tables
from generator.statistics.model import Broken, Cell, Statistics

# What else makes the bytes of a page or an index besides the generator's own code (and Unicode's tables).
_LIBRARIES = ("jinja2", "markdown-it-py", "opencc", "pypinyin", "numpy")


@cache
def code_digest() -> str:
    """The generator's own source and the libraries that shape its output: a change to any may change
    any output."""
    libraries = " ".join([unicodedata.unidata_version, *(version(name) for name in _LIBRARIES)])
    digest = hashlib.blake2b(libraries.encode(), digest_size=16)
    for source in sorted(Path(__file__).parents[1].rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildRecord:
    """What one build leaves for the next: the content files it parsed, and the pages and files it wrote
    into ``site`` (the folder, whose inode was ``inode``) with a digest of what each was made from."""

    site: Path | None = None
    inode: int | None = None
    # Page and file records by output path.
    pages: Mapping[str, PageRecord] = field(default_factory=dict)
    # Content files that parsed without a problem, by file_key.
    parsed: Mapping[str, Parsed] = field(default_factory=dict)
    # Folders of files made together from one input, with the digest of that input.
    folders: Mapping[str, str] = field(default_factory=dict)
    # The search index's parts by the digest of their reports: opaque here, content-addressed there.
    search_parts: Mapping[str, Any] = field(default_factory=dict)
    # The generator code and libraries that made it.
    code: str = field(default_factory=code_digest)
    # What the spare folder beside ``site`` holds (see generator.build.publish).
    spare: Spare | None = None
    # The file_key of each settled content file by its stamp (see Content.stamped).
    stamped: Mapping[str, str] = field(default_factory=dict)

    def trusted_for(self, out: Path) -> BuildRecord:
        """What of this record a build into ``out`` may take: nothing if other code made it; its parsed
        files and search index parts for any site; its page records only if ``out`` is the folder it
        wrote them into."""
        if self.code != code_digest():
            return BuildRecord()
        if self.site == out:
            return self
        return BuildRecord(parsed=self.parsed, search_parts=self.search_parts, stamped=self.stamped)

    def knowing(self, read: Mapping[str, Report]) -> BuildRecord:
        """This record, knowing also the reports ``read`` by the stamps of their files."""
        if not read:
            return self
        parsed = {**self.parsed, **{report.file_key: report for report in read.values()}}
        stamped = {**self.stamped, **{name: report.file_key for name, report in read.items()}}
        return dataclasses.replace(self, parsed=parsed, stamped=stamped)

    def unchanged(self, path: str, digest: str, held: Mapping[str, str] = MappingProxyType({})) -> RenderedPage | None:
        """The page or file this build wrote at ``path``, if it was made from ``digest`` and its file is
        still there: a later build links that file rather than making it again. A file the later build's
        staging folder ``held`` from the same digest already is not looked for: it is not linked."""
        record = self.pages.get(path)
        if self.site is None or record is None or record.digest != digest:
            return None
        file = os.path.join(self.site, path)
        return RenderedPage(path, Path(file), record) if held.get(path) == digest or os.path.isfile(file) else None

    def folder_unchanged(self, folder: str, digest: str) -> list[RenderedPage] | None:
        """Every file this build wrote under ``folder``, if it made them from ``digest`` and all are
        still there; else None."""
        if self.folders.get(folder) != digest:
            return None
        kept = []
        for path, page in self.pages.items():
            if path.startswith(f"{folder}/"):
                file = self.unchanged(path, page.digest)
                if file is None:
                    return None
                kept.append(file)
        return kept


def read_record(out: Path, given: BuildRecord | None, cache: bool, parsed: bool = True) -> BuildRecord:
    """What a build into ``out`` may take from the last one: the record ``given`` (the last build in this
    process), else with ``cache`` the one the last build left beside ``out`` (without the parsed files
    unless ``parsed``: see ``read_parsed``), else nothing; in each case only what the record may be
    trusted for."""
    if given is None:
        given = _left_beside(out, read_parsed(out) if parsed else {}) if cache else BuildRecord()
    return given.trusted_for(out)


def read_parsed(out: Path) -> dict[str, Parsed]:
    """The parsed content files of the parse cache beside ``out``."""
    with _parsed_files(out) as store:
        return store.read()


def _left_beside(out: Path, parsed: Mapping[str, Parsed]) -> BuildRecord:
    """The record in the cache files beside ``out``, with the ``parsed`` files of the parse cache; a
    missing or damaged file is the same as an empty one. Each file holds only what the same code wrote
    (the parse cache sees to that itself), and the page records only while ``out`` is the folder they
    were written into."""
    try:
        data = marshal.loads(cache_file(out).read_bytes())
        if data["code"] != code_digest():
            return BuildRecord(parsed=parsed)
        stamped = dict(data["stamped"])
        if data["inode"] == out.stat().st_ino:
            pages = {path: PageRecord(digest, links) for path, (digest, links) in data["pages"].items()}
            spare = Spare(data["spare"]["inode"], data["spare"]["files"]) if data["spare"] else None
            folders = dict(data["folders"])
            return BuildRecord(out, int(data["inode"]), pages, parsed, folders, spare=spare, stamped=stamped)
        return BuildRecord(parsed=parsed, stamped=stamped)
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return BuildRecord(parsed=parsed)


def keep_parsed(out: Path, parsed: Mapping[str, Parsed]) -> None:
    """Make the parse cache beside ``out`` hold exactly ``parsed``: what is new is added, what a build no
    longer has is deleted."""
    with _parsed_files(out) as store:
        store.keep(parsed)


def swap_parsed(out: Path, added: Mapping[str, Parsed], dropped: Iterable[str]) -> None:
    """Add ``added`` to the parse cache beside ``out`` and delete the files ``dropped``: an edit's."""
    with _parsed_files(out) as store:
        store.swap(added, dropped)


def save_record(record: BuildRecord, out: Path) -> None:
    """Write the page records of ``record`` beside the site at ``out`` for the next build. Called while
    the new site is still the staging folder, whose inode the record holds and ``out`` has after the swap."""
    data = {
        "code": record.code,
        "inode": record.inode,
        "pages": {path: (page.digest, page.links) for path, page in record.pages.items()},
        "folders": dict(record.folders),
        "spare": record.spare and {"inode": record.spare.inode, "files": dict(record.spare.files)},
        "stamped": dict(record.stamped),
    }
    # marshal, not JSON: a quarter of the time each way for the 20,000 pages of a large archive, and the
    # links come back as the tuples they were.
    write_whole(cache_file(out), marshal.dumps(data))


@dataclass(frozen=True)
class Finished:
    """What a build told of the site it made, kept for a build that finds every input with the same
    stamp (``generator.build.inputs``) and the site still the folder this one made: it tells the same
    and does nothing."""

    stamp: str
    # Files changed just before the stamp was taken, by path, with a digest of their bytes then.
    recent: Mapping[str, str]
    inode: int
    reports: int
    pages: int
    files: int
    drafts: int
    withheld: tuple[Withheld, ...]
    warnings: tuple[Problem, ...]


def save_finished(finished: Finished, out: Path) -> None:
    """Written while the new site is still the staging folder, whose inode ``finished`` holds."""
    data = dataclasses.asdict(finished) | {
        "withheld": [_encode(item)[0] for item in finished.withheld],
        "warnings": [dataclasses.asdict(warning) for warning in finished.warnings],
    }
    write_whole(finished_file(out), json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all: into a file beside it, then moved over it."""
    partial = target.with_name(f"{target.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def read_finished(out: Path) -> Finished | None:
    """What the last build told, if ``out`` is still its site."""
    try:
        data = json.loads(finished_file(out).read_text(encoding="utf-8"))
        if data["inode"] != out.stat().st_ino:
            return None
        withheld = tuple(_withheld(json.loads(item)) for item in data["withheld"])
        warnings = tuple(Problem(**warning) for warning in data["warnings"])
        return Finished(**data | {"withheld": withheld, "warnings": warnings})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def know_tables(out: Path) -> None:
    """Hand this process the character tables kept beside ``out`` (see character_tables) when the same
    code made them; else make them, and keep them there for the next build. A file that cannot be
    written costs the next build the fifth of a second of making them again, and is no problem."""
    file = tables_file(out)
    with contextlib.suppress(OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        data = marshal.loads(file.read_bytes())
        if data["code"] == code_digest():
            know_character_tables(data["tables"])
            return
    with contextlib.suppress(OSError):
        write_whole(file, marshal.dumps({"code": code_digest(), "tables": character_tables()}))


def tables_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.tables")


def finished_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.done.json")


def sketch_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.sketch")


def cache_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.record")


def parse_cache_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.cache.sqlite")


@contextlib.contextmanager
def _parsed_files(out: Path) -> Iterator[_ParsedFiles]:
    """The parse cache beside ``out``, open; a file that is not a database, or a damaged one, is begun again."""
    path = parse_cache_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        store = _ParsedFiles(path)
    except sqlite3.DatabaseError:
        path.unlink(missing_ok=True)
        store = _ParsedFiles(path)
    try:
        yield store
    finally:
        store.connection.close()


class _ParsedFiles:
    """Parsed content files by file_key in SQLite: a report's body and text as they are, the rest (with
    the text's beginning and length) as a JSON list. A damaged file is the same as an empty one."""

    def __init__(self, path: Path) -> None:
        self.path, self.connection = path, sqlite3.connect(path, timeout=30)
        # A report withdrawn from publication leaves none of its text behind in the file's free pages.
        self.connection.execute("PRAGMA secure_delete = ON")
        # A cache need not survive the computer losing power; a damaged file is set aside and rebuilt.
        self.connection.execute("PRAGMA synchronous = OFF")
        with self.connection:
            self.connection.execute("CREATE TABLE IF NOT EXISTS meta (code TEXT)")
            if self.connection.execute("SELECT code FROM meta").fetchall() != [(code_digest(),)]:
                self.connection.execute("DELETE FROM meta")
                self.connection.execute("INSERT INTO meta VALUES (?)", (code_digest(),))
                self.connection.execute("DROP TABLE IF EXISTS parsed")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, fields TEXT, body TEXT, text TEXT)"
            )

    def read(self) -> dict[str, Parsed]:
        """Every entry, in one query (quicker than one query per file, as a build asks for nearly all),
        but the reports' body and text, which are read when first asked for (see Texts)."""
        try:
            rows = self.connection.execute("SELECT key, fields, body IS NULL FROM parsed")
            return {
                key: _withheld(json.loads(fields)) if withheld else _report(key, json.loads(fields), self.path)
                for key, fields, withheld in rows
            }
        except sqlite3.DatabaseError:
            return {}

    def keep(self, parsed: Mapping[str, Parsed]) -> None:
        """Hold exactly ``parsed``: what this build parsed is added, what it no longer has is dropped."""
        with self._changing():
            self._keep(parsed)

    def swap(self, added: Mapping[str, Parsed], dropped: Iterable[str]) -> None:
        """Hold ``added`` and no longer ``dropped``: the files of an edit, the rest as they were."""
        with self._changing(), self.connection:
            self.connection.executemany("DELETE FROM parsed WHERE key = ?", ((key,) for key in dropped))
            self.connection.executemany(
                "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)",
                ((key, *_encode(value)) for key, value in added.items()),
            )

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as err:
            # A full disk leaves the file as it was, the change rolled back: the reports the build took
            # from it read their texts there still. Any other error is a damaged file.
            if err.sqlite_errorcode != sqlite3.SQLITE_FULL:
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


# The fields kept as JSON; body and text have columns of their own, and mentions and statistics are
# written as lists.
_FIELDS = tuple(f.name for f in dataclasses.fields(Report) if f.name not in ("texts", "cited", "statistics"))


def _encode(parsed: Parsed) -> tuple[str, str | None, str | None]:
    if isinstance(parsed, Withheld):
        to_fix = [dataclasses.asdict(problem) for problem in parsed.to_fix]
        return json.dumps([parsed.id, parsed.reason, parsed.line, to_fix, parsed.draft], ensure_ascii=False), None, None
    fields = [getattr(parsed, name) for name in _FIELDS]
    cited = [(mention.written, mention.keys, mention.lead) for mention in parsed.cited]
    texts = parsed.texts
    data = [fields, cited, _statistics(parsed.statistics), texts.head, texts.length]
    return json.dumps(data, ensure_ascii=False), texts.body, texts.text


def _statistics(statistics: Statistics | None) -> list | None:
    if statistics is None:
        return None
    return [
        statistics.template,
        [dataclasses.astuple(c) for c in statistics.cells],
        [dataclasses.astuple(b) for b in statistics.broken],
    ]


def _read_statistics(data: list | None) -> Statistics | None:
    if data is None:
        return None
    template, cells, broken = data
    return Statistics(template, tuple(Cell(*cell) for cell in cells), tuple(Broken(*item) for item in broken))


def _withheld(data: list) -> Withheld:
    report_id, reason, line, to_fix, draft = data
    return Withheld(report_id, reason, line, tuple(Problem(**problem) for problem in to_fix), draft)


def _report(key: str, data: list, stored: Path) -> Report:
    """A report of the parse cache at ``stored``, its body and text left there until asked for."""
    fields, cited, statistics, head, length = data
    report = dict(zip(_FIELDS, fields, strict=True))
    mentions = tuple(Mention(written, tuple(keys), lead) for written, keys, lead in cited)
    return Report(
        **{
            **report,
            "region": tuple(report["region"]),
            "attachments": tuple(report["attachments"]),
            "wording": tuple(map(tuple, report["wording"])),
        },
        texts=Texts(key, head, length, read=partial(stored_texts, stored, key)),
        cited=mentions,
        statistics=_read_statistics(statistics),
    )


# Connections to parse caches that texts are read from, one for each process and file, shared by the
# process's threads one at a time.
_READERS: dict[tuple[int, Path], sqlite3.Connection] = {}
_READING = threading.Lock()


def stored_texts(stored: Path, key: str) -> tuple[str, str]:
    """The body and text of the file ``key`` from the parse cache at ``stored``, which holds every file
    of the build that asks for them: it was made to hold them before the build planned a page."""
    row = _stored_row(stored, "SELECT body, text FROM parsed WHERE key = ?", key)
    if row is None:
        raise sqlite3.DatabaseError(f"{stored} lost a report while the site was built from it")
    return row


def stored_report(stored: Path, key: str) -> Report | None:
    """The published report of the file ``key`` in the parse cache at ``stored``, if it holds one."""
    row = _stored_row(stored, "SELECT fields FROM parsed WHERE key = ? AND body IS NOT NULL", key)
    return None if row is None else _report(key, json.loads(row[0]), stored)


def _stored_row(stored: Path, query: str, key: str) -> tuple | None:
    """The row ``query`` finds for ``key``, by the process's connection, or by a new one if that finds
    none (the file may have been made anew)."""
    opened = (os.getpid(), stored)
    with _READING:
        for anew in (opened not in _READERS, True):
            if anew:
                _READERS[opened] = sqlite3.connect(
                    f"{stored.as_uri()}?mode=ro", uri=True, timeout=30, check_same_thread=False
                )
            row = _READERS[opened].execute(query, (key,)).fetchone()
            if row is not None:
                return row
    return None
