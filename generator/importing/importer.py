"""Raw report files (.txt, .html) → content files: decoding, extraction, front matter, a summary for people.

Nothing is overwritten without ``force``; a file that cannot be decoded with certainty is refused.
Each written file carries an ``import:`` record: where it came from, its hash, how it was decoded,
how sure each field is, and what was repaired or guessed.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from generator.core.chinese import slugify
from generator.core.problems import Problem
from generator.core.strict_yaml import read_mapping, split_front_matter
from generator.core.textfile import read_utf8
from generator.core.urls import portable, report_stem
from generator.importing.decoding import DECLARED, FIND_THE_ENCODING, Undecodable, decode, has_bom
from generator.importing.extract import Extraction, extract
from generator.importing.fields import FIELDS, HIGH
from generator.importing.htmltext import TooManyElements, html_to_text
from generator.importing.records import SUFFIXES as TABLE_SUFFIXES
from generator.importing.records import BadTable, read_records

SUFFIXES = (".txt", ".html", ".htm")
# Real reports are tens of kilobytes; a file far larger is something else, and is refused. A scraper's
# table holds many reports, and is read whole.
MAX_SOURCE_BYTES = 20 * 1024 * 1024
MAX_TABLE_BYTES = 512 * 1024 * 1024
REQUIRED = ("title", "agency", "region", "year")
# Statuses of one file.
WRITTEN, WOULD_WRITE, EXISTS, UNCHANGED, DUPLICATE = "written", "would write", "exists", "unchanged", "duplicate"
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_DECLARATION = re.compile(r"<meta[^>]+charset\s*=", re.IGNORECASE)
_DECLARATION_CHARS = 8192


@dataclass(frozen=True)
class Source:
    path: Path
    shown_as: str


@dataclass(frozen=True)
class Imported:
    """One source file and what became of it."""

    source: Source
    target: Path
    status: str
    extraction: Extraction
    sha256: str
    encoding: str
    slug: str | None = None


def find_sources(paths: Iterable[Path]) -> tuple[list[Source], list[Problem]]:
    """The files named, and the .txt and .html files inside the folders named, in a stable order. A file
    named .csv, .json or .jsonl is read as a table of reports; one found in a folder may be anything,
    and is left alone."""
    sources, problems = [], []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            sources += [Source(p, _shown(p)) for p in found]
        elif path.is_file():
            sources.append(Source(path, _shown(path)))
        else:
            problems.append(Problem(file=_shown(path), message="no such file or folder", hint="check the path"))
    return sources, problems


def _shown(path: Path) -> str:
    """How problems and the import record name a source given on the command line: from the current
    folder when it is inside it, else as it was given."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(source: Source, encoding: str | None) -> tuple[str, str, str]:
    """(text, encoding description, sha256) of a source; raises :class:`Undecodable` or :class:`TooManyElements`."""
    data = source.path.read_bytes()
    is_html = source.path.suffix.lower() in (".html", ".htm")
    # A byte-order mark outranks what the page declares, as it does in browsers.
    declared = _declared_charset(data) if is_html and not encoding and not has_bom(data) else None
    decoded = decode(data, encoding or declared, DECLARED if declared else "given")
    # Read in the charset it declares, a page must still say so: EBCDIC or UTF-16 over ASCII bytes do not.
    if declared and not _DECLARATION.search(decoded.text, 0, _DECLARATION_CHARS):
        raise Undecodable(
            f"the page declares charset={declared}, but read as {declared} the declaration itself "
            "is not there: the page is not in that encoding",
            FIND_THE_ENCODING,
        )
    text = html_to_text(decoded.text) if is_html else decoded.text
    return text, f"{decoded.encoding} ({decoded.how})", hashlib.sha256(data).hexdigest()


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 2 KB, read the way browsers read it."""
    found = _DECLARED_CHARSET.search(data[:2048])
    if not found:
        return None
    declared = found.group(1).decode("ascii").lower()
    # Browsers decode pages labelled gb2312 or gbk as GBK, of which GB18030 is a superset, and ignore a
    # UTF-16 label in a page they could read it in, which must be ASCII-compatible: UTF-8.
    if declared in ("utf-16", "utf-16le", "utf-16be"):
        return "utf-8"
    return "gb18030" if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else declared


@dataclass
class _Batch:
    """What placing a report has to avoid: files imported in this run and reports already in the archive."""

    content_dir: Path
    force: bool
    dry_run: bool
    placed: dict[Path, Imported] = field(default_factory=dict)
    pages: dict[str, Path] = field(default_factory=dict)  # "<year>/<page name>" → content file


def import_files(
    sources: Iterable[Source],
    content_dir: Path,
    encoding: str | None,
    force: bool,
    dry_run: bool,
    columns: Mapping[str, str] | None = None,
) -> tuple[list[Imported], list[Problem]]:
    """Import every source (a raw report, or a scraper's table of them: see ``records``, whose columns
    ``columns`` names); returns what happened to each report and the files and rows refused."""
    batch = _Batch(content_dir, force, dry_run, pages=_archive_pages(content_dir))
    problems: list[Problem] = []
    for source in sources:
        raws, refused = _read(source, encoding, columns or {})
        problems += refused
        for raw in raws:
            item = _placed(raw.source, extract(raw.text, raw.given), raw.sha256, raw.how, batch)
            batch.placed[item.target] = item
            if item.status == WRITTEN:
                _write(item)
    return list(batch.placed.values()), problems


@dataclass(frozen=True)
class _Raw:
    """One report's raw text, where it came from, and what a table's columns say of it."""

    source: Source
    text: str
    sha256: str
    how: str
    given: Mapping[str, str] = field(default_factory=dict)


def _read(source: Source, encoding: str | None, columns: Mapping[str, str]) -> tuple[list[_Raw], list[Problem]]:
    """The reports in a source, and the problems that kept it, or some of its rows, from being read."""
    table = source.path.suffix.lower() in TABLE_SUFFIXES
    limit = MAX_TABLE_BYTES if table else MAX_SOURCE_BYTES
    try:
        size = source.path.stat().st_size
        if size > limit:
            return [], [
                Problem(
                    file=source.shown_as,
                    message=f"is larger than {limit >> 20} MB",
                    found=f"{size:,} bytes",
                    expected=f"at most {limit >> 20} MB",
                    hint="split it into smaller files",
                )
            ]
        if table:
            records, problems, how = read_records(source.path, source.shown_as, columns, encoding)
            raws = [_Raw(Source(source.path, r.shown_as), r.text, r.sha256, how, r.given) for r in records]
            return raws, problems
        text, how, sha256 = read_source(source, encoding)
        return [_Raw(source, text, sha256, how)], []
    except Undecodable as err:
        problem = Problem(
            file=source.shown_as,
            line=err.line,
            message=err.message,
            found=err.found,
            expected=err.expected,
            hint=err.hint,
        )
    except (TooManyElements, BadTable) as err:
        problem = Problem(file=source.shown_as, message=err.message, hint=err.hint)
    except OSError as err:
        problem = Problem(
            file=source.shown_as, message=f"cannot be read: {err.strerror}", hint="check the file's permissions"
        )
    return [], [problem]


def _placed(source: Source, extraction: Extraction, sha256: str, how: str, batch: _Batch) -> Imported:
    """Where the report goes: its own name, or the next free one when a different report has it."""
    stem = target_stem(extraction, source)
    folder = batch.content_dir.joinpath(*target_folders(extraction))
    year = extraction.fields["year"].value or "undated"
    for number in itertools.count(1):
        name = stem if number == 1 else portable(f"{stem}-{number}", f"{stem}-{number}")
        target = folder / f"{year}-{name}.md"
        found = _status_at(target, f"{year}/{name}", source, sha256, extraction.body, batch)
        if found is None:
            continue
        status, target = found
        if number > 1:
            extraction = _with_warning(
                extraction, f"another report would have the same file and page name; this one was given `slug: {name}`"
            )
        return Imported(source, target, status, extraction, sha256, how, name if number > 1 else None)
    raise AssertionError("unreachable")


def _status_at(
    target: Path, page: str, source: Source, sha256: str, body: str, batch: _Batch
) -> tuple[str, Path] | None:
    """What importing to ``target`` means, or None when a different report holds that name."""
    new = WOULD_WRITE if batch.dry_run else WRITTEN
    earlier = batch.placed.get(target)
    if earlier:
        return (DUPLICATE, target) if earlier.sha256 == sha256 else None
    if target.exists():
        recorded_source, recorded_sha256 = _recorded(target)
        if recorded_sha256 == sha256:
            return UNCHANGED, target
        if recorded_source == source.shown_as:
            return (new if batch.force else EXISTS), target
        return None
    holder = batch.pages.get(page)
    if holder is None:
        return new, target
    # A file of another name has this page: the same report when its text is the same.
    return (UNCHANGED, holder) if _read_content_file(holder)[1] == body else None


def _archive_pages(content_dir: Path) -> dict[str, Path]:
    """The page each content file gets, as "<year>/<name>", the way the build names report pages."""
    pages = {}
    for path in sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else ():
        fields, _ = _read_content_file(path)
        agency, year = fields.get("agency"), fields.get("year")
        if isinstance(agency, str) and isinstance(year, str):
            name = _page_name(slugify(agency), fields.get("doc_number"), fields.get("kind"), fields.get("slug"))
            pages[f"{year.strip()}/{name}"] = path
    return pages


def _page_name(agency_slug: str, doc_number: object, kind: object, slug: object) -> str:
    """The name the build gives a report page: agency, then 文号 or kind, unless a slug is set."""
    text = [value if isinstance(value, str) else None for value in (doc_number, kind, slug)]
    return report_stem(agency_slug, *text)


def _read_content_file(path: Path) -> tuple[dict[str, object], str]:
    """Front-matter values and body of a content file; empty when it cannot be read as one."""
    text, _ = read_utf8(path, path.as_posix())
    split = split_front_matter(text or "", path.as_posix())
    if isinstance(split, Problem):
        return {}, ""
    entries, _ = read_mapping(split[0], path.as_posix())
    return {key: entry.value for key, entry in entries.items()}, split[1]


def _recorded(path: Path) -> tuple[str | None, str | None]:
    """The source and sha256 in a content file's ``import:`` record, if it has one."""
    record = _read_content_file(path)[0].get("import")
    if not isinstance(record, dict):
        return None, None
    return record.get("source"), record.get("sha256")


def _with_warning(extraction: Extraction, warning: str) -> Extraction:
    return replace(extraction, warnings=(*extraction.warnings, warning))


def target_folders(extraction: Extraction) -> list[str]:
    region = extraction.fields["region"].value
    return [slugify(name) or "x" for name in region] if region else ["unsorted"]


def target_stem(extraction: Extraction, source: Source) -> str:
    """The report's page name, also its file name after the year: agency, then 文号 or kind."""
    fields = extraction.fields
    agency = slugify(str(fields["agency"].value or "")) or slugify(source.path.stem) or "report"
    return _page_name(agency, fields["doc_number"].value, fields["kind"].value, None)


def _write(item: Imported) -> None:
    item.target.parent.mkdir(parents=True, exist_ok=True)
    content = front_matter(item) + "\n" + item.extraction.body
    handle, temporary = tempfile.mkstemp(dir=item.target.parent, prefix=".import-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(content)
        os.replace(temporary, item.target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def review_reasons(extraction: Extraction) -> list[str]:
    """Why an import must be checked before it is published: a required field not found, or text the
    import could not account for. Such a file is written as a draft."""
    missing = [name for name in REQUIRED if extraction.fields[name].value is None]
    reasons = [f"{', '.join(missing)} not found"] if missing else []
    accounting = extraction.accounting
    if accounting.flagged:
        reasons.append(f"only {accounting.kept_share:.0%} of the text kept")
    if extraction.not_a_report:
        reasons.append(f"looks like {extraction.not_a_report}")
    return reasons


def front_matter(item: Imported) -> str:
    """The schema keys in the usual order, then the ``import:`` record; a file to review first is a draft."""
    fields = item.extraction.fields
    lines = ["---", *(["draft: true"] if review_reasons(item.extraction) else [])]
    for name in FIELDS:
        value = fields[name].value
        if value is None and name in REQUIRED:
            lines.append(f"{name}:   # not found: fill in")
        elif isinstance(value, tuple):
            lines.append(f"{name}: [{', '.join(_scalar(v) for v in value)}]")
        elif value is not None:
            lines.append(f"{name}: {value if name in ('year', 'date', 'published') else _scalar(value)}")
    if item.slug:
        lines.append(f"slug: {item.slug}")
    if item.extraction.attachments:
        lines.append("attachments:")
        lines += [f"  - {_scalar(name)}" for name in item.extraction.attachments]
    lines += _import_record(item)
    return "\n".join([*lines, "---", ""])


def _import_record(item: Imported) -> list[str]:
    fields = item.extraction.fields
    lines = [
        "import:",
        f"  source: {_scalar(item.source.shown_as)}",
        f"  sha256: {item.sha256}",
        f"  encoding: {_scalar(item.encoding)}",
        "  confidence:",
    ]
    lines += [f"    {name}: {fields[name].confidence}" for name in FIELDS]
    notes = [(name, fields[name].note) for name in FIELDS if fields[name].note and fields[name].confidence != HIGH]
    if notes:
        lines.append("  notes:")
        lines += [f"    {name}: {_scalar(note)}" for name, note in notes]
    if item.extraction.warnings:
        lines.append("  warnings:")
        lines += [f"    - {_scalar(warning)}" for warning in item.extraction.warnings]
    accounting = item.extraction.accounting
    if accounting.flagged:
        lines += [f"  kept: {accounting.kept_share:.3f}", "  removed:"]
        lines += [f"    - {_scalar(line)}" for line in accounting.removed]
    if item.extraction.evidence:
        # The lines that say 公开属性, whether or not they stay in the body: the reason for `disclosure:`.
        lines += ["  evidence:", "    disclosure:"]
        lines += [f"      - {_scalar(line)}" for line in item.extraction.evidence]
    return lines


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: plain when safe, quoted otherwise."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 20)
    return dumped.removesuffix("\n").removesuffix("\n...")
