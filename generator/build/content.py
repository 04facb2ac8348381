"""content/*.md → reports: front-matter split, strict YAML, validation, the publication gate."""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from generator.build.citations import Mention, mentions
from generator.build.redaction import MARKER, SYNTAX, Redacted, near_miss_problem, near_misses, redact
from generator.core.chinese import detect_script, fold, word_count
from generator.core.config import WEB_ADDRESS, Config
from generator.core.files import Walk, settled, walk
from generator.core.markdown import MAX_MARKS, Converted, convert, mark_at, marks, remember
from generator.core.problems import Problem, shown_value
from generator.core.processes import Spread, processes_for
from generator.core.strict_yaml import Entry, Value, read_mapping, split_front_matter, unknown_keys
from generator.core.textfile import decode_utf8, read_bytes, read_utf8
from generator.core.urls import MAX_NAME, RESERVED_NAMES
from generator.statistics.compare import wording
from generator.statistics.model import Statistics
from generator.statistics.tables import recognise

# 公开属性 values that may be published. 删减后公开 is published only when the report marks what was
# deleted, because those passages are then cut out before anything else sees the text.
OPEN, REDACTED = "主动公开", "删减后公开"
KNOWN_DISCLOSURES = frozenset({OPEN, REDACTED, "依申请公开", "不予公开", "免予公开", "不公开"})

_DRAFT_VALUES = {"true": True, "false": False}

# Files to parse at once from which the build parses them in several processes: below it, starting the
# processes costs more than they save.
PARALLEL_FROM = 400

_FIELDS = frozenset(
    {
        "title",
        "agency",
        "region",
        "year",
        "doc_number",
        "index_number",
        "date",
        "published",
        "disclosure",
        "kind",
        "source",
        "source_url",
        "slug",
        "language",
        "attachments",
        "import",
        "draft",
    }
)
_YEAR = re.compile(r"(19|20)\d\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SCRIPTS = ("zh-Hans", "zh-Hant")
_REQUIRED = {
    "title": "the report's title",
    "agency": "the full name of the issuing body (发布机构)",
    "region": "the administrative region, province first, e.g. [云南省, 临沧市]",
    "year": "the year the report covers (年度), e.g. 2017",
}
_MAX_REGION_DEPTH = 4
# The longest value each field may hold, in characters (for a list, each of its items). A report's names
# are repeated on every listing, feed, export, breadcrumb and search file that shows it, so one long name
# multiplies through the whole site. Real values are far shorter: titles run to about 80–120 characters,
# agencies to 40, place names to 15 (阜新蒙古族自治县), 文号 to 20.
MAX_LENGTH = {
    "title": 300,
    "agency": 100,
    "region": 50,
    "doc_number": 60,
    "index_number": 60,
    "kind": 100,
    "source": 200,
    "source_url": 2000,
    "attachments": 300,
}
_QUOTED = 20
# How much of a report's text its page, feeds and listings quote as its summary.
SUMMARY_LENGTH = 200


class Texts:
    """A report's body and its text as a reader sees it, with the file_key of the file they were parsed
    from (equal keys, equal texts). They are held since the file was parsed, or read from where a build
    keeps parsed files (``read``) the first time either is asked for: a build after an edit renders few
    pages and indexes few texts. What every page needs of the text is held either way: its beginning
    (``head``) and its length."""

    __slots__ = ("_pair", "_read", "head", "key", "length")

    def __init__(
        self,
        key: str,
        head: str,
        length: int,
        pair: tuple[str, str] | None = None,
        read: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        self.key, self.head, self.length, self._pair, self._read = key, head, length, pair, read

    @classmethod
    def held(cls, key: str, body: str, text: str) -> Texts:
        return cls(key, text[:SUMMARY_LENGTH], len(text), (body, text))

    @property
    def body(self) -> str:
        return self._texts()[0]

    @property
    def text(self) -> str:
        return self._texts()[1]

    def _texts(self) -> tuple[str, str]:
        if self._pair is None:
            assert self._read is not None
            self._pair = self._read()
        return self._pair

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Texts) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Texts({self.key!r})"


@dataclass(frozen=True)
class Report:
    """One published report, validated; ``id`` is its file path relative to the content folder."""

    id: str
    title: str
    agency: str
    region: tuple[str, ...]
    year: int
    disclosure: str
    doc_number: str | None
    date: str | None
    kind: str | None
    source: str | None
    source_url: str | None
    slug: str | None
    language: str
    attachments: tuple[str, ...]
    # The body, and the body as a reader sees it; and the file_key of the file they were parsed from:
    # reports of equal keys are equal.
    texts: Texts
    # The text's length as 字数 is counted.
    words: int
    # 文号 the body cites, as written.
    cited: tuple[Mention, ...]
    # Passages cut out of the body under 删减 markup.
    redactions: int = 0
    # The file line the body starts on. The body has the file's lines but for the line breaks of deleted
    # passages, which are cut out with them; body_lines gives the file line of any place in the body.
    body_line: int = 1
    # The file line of `slug:`, when the file names the report's page.
    slug_line: int | None = None
    # Marked `draft: true`, and built for a preview (`build --drafts`).
    draft: bool = False
    # 索引号: the index string of the portal the report was published on, as written.
    index_number: str | None = None
    # 发布日期: the day the page was put online, which portals show beside the date signed.
    published: str | None = None
    # The figures of the national template's tables (国办公开办函〔2019〕60号 / 〔2021〕30号), when the
    # report holds any recognised with certainty; see generator.statistics.
    statistics: Statistics | None = None
    # Each section's heading and a digest of its wording, to find text carried over from another report.
    wording: tuple[tuple[str, str], ...] = ()

    @property
    def body(self) -> str:
        return self.texts.body

    @property
    def text(self) -> str:
        """The body as a reader sees it, one block per line: what search matches."""
        return self.texts.text

    @property
    def summary(self) -> str:
        """The beginning of the text, which a report's page, feeds and listings quote."""
        return self.texts.head

    @property
    def file_key(self) -> str:
        return self.texts.key


@dataclass(frozen=True)
class Withheld:
    """A report kept out of every output, and why."""

    id: str
    reason: str
    # The `disclosure:` (or `draft:`) line, when the file has one.
    line: int | None = None
    # For a draft: what must be fixed before it can be published, as the build would report it.
    to_fix: tuple[Problem, ...] = ()
    # Withheld as a draft (`draft: true`) rather than for its 公开属性.
    draft: bool = False


Parsed = Report | Withheld


@dataclass(frozen=True)
class Content:
    reports: tuple[Report, ...]
    withheld: tuple[Withheld, ...]
    problems: tuple[Problem, ...]
    # Every file that parsed without a problem, by file_key: what a later build may take over.
    parsed: Mapping[str, Parsed] | None = None
    # The file_key of each file settled when read (see generator.core.files.settled), by its stamp and
    # all else its file_key depends on: a later build that finds the same takes the file's parse without
    # reading the file.
    stamped: Mapping[str, str] = field(default_factory=dict)


def load_content(
    config: Config,
    earlier: Callable[[str], Parsed | None] = lambda _: None,
    stamped: Mapping[str, str] = MappingProxyType({}),
    walked: Walk | None = None,
) -> Content:
    """Read every ``*.md`` under the content folder (as ``walked`` found it, when given), in a stable
    order; a file whose file_key ``earlier`` knows is taken from there instead of being parsed again,
    and one that ``stamped`` (see ``Content.stamped``) gives the file_key of, without being read at all."""
    folder = config.content_dir
    if not folder.is_dir():
        problem = Problem(
            file=config.shown(folder),
            message="content folder not found",
            hint="create it, or set `content_dir` in config.yaml",
        )
        return Content((), (), (problem,))
    found = walked or walk_content(config)
    problems: list[Problem] = list(found.problems)
    known: dict[str, Parsed | None] = {}
    files = [path for path in found.files if path.suffix == ".md"]
    names = {path: stamped_as(config, path, found.stamps[path]) for path in files}
    reads = _read_all(config, files, earlier, lambda path: stamped.get(names[path]))
    now = time.time_ns()
    settled_keys = {
        names[path]: read.key
        for path, read in zip(files, reads, strict=True)
        if read.key and settled(found.stamps[path], now)
    }
    for read in reads:
        problems += read.problems
        if read.key is not None:
            known[read.key] = earlier(read.key) if read.known else read.outcome
            if isinstance(read.outcome, Report) and read.converted is not None:
                remember(read.outcome.body, read.converted)
    parsed = {key: outcome for key, outcome in known.items() if outcome}
    outcomes = parsed.values()
    return Content(
        tuple(o for o in outcomes if isinstance(o, Report)),
        tuple(o for o in outcomes if isinstance(o, Withheld)),
        tuple(problems),
        parsed,
        settled_keys,
    )


def walk_content(config: Config) -> Walk:
    """The files of the content folder, which must exist; links in it may point anywhere in the project."""
    return walk(config.content_dir, (config.root, config.content_dir), config.shown, config.max_file_size)


def stamped_as(config: Config, path: Path, stamp: tuple[int, ...]) -> str:
    """A content file as its stamp and everything else its file_key depends on name it."""
    report_id = path.relative_to(config.content_dir).as_posix()
    return f"{report_id}\0{config.default_disclosure}\0{config.drafts}\0{stamp}"


@dataclass(frozen=True)
class _Read:
    """A content file read: its file_key (None if it could not be read), what it parsed to, the
    problems found, and the Markdown conversion another process made of its text. A file whose
    file_key the last build knows is ``known``: its parse is looked up by the build's own process
    rather than sent back by another."""

    key: str | None
    outcome: Report | Withheld | None = None
    problems: tuple[Problem, ...] = ()
    converted: Converted | None = None
    known: bool = False


# Files a process claims at a time.
_FILES_AT_ONCE = 32


def _read_all(
    config: Config,
    files: list[Path],
    earlier: Callable[[str], Parsed | None],
    stamped: Callable[[Path], str | None],
) -> list[_Read]:
    """Each file read and, unless ``earlier`` knows it, parsed, in order; a file whose file_key
    ``stamped`` gives, and ``earlier`` knows, is not read. Many files are read by as many
    processes as there are processors (forked, see ``generator.core.processes``), since parsing
    Markdown is most of a cold build's reading."""
    parent = os.getpid()

    def read_pieces(claims: Iterator[int]) -> Iterator[tuple[int, list[_Read]]]:
        for piece in claims:
            first = piece * _FILES_AT_ONCE
            elsewhere = os.getpid() != parent
            yield (
                first,
                [
                    _read_file(config, path, earlier, elsewhere, stamped(path))
                    for path in files[first : first + _FILES_AT_ONCE]
                ],
            )

    pieces = -(-len(files) // _FILES_AT_ONCE)
    done = Spread(read_pieces, pieces, processes_for(len(files), PARALLEL_FROM)).results()
    return [read for _, reads in sorted(done, key=lambda piece: piece[0]) for read in reads]


def _read_file(
    config: Config,
    path: Path,
    earlier: Callable[[str], Parsed | None],
    elsewhere: bool,
    stamped: str | None = None,
) -> _Read:
    """One content file, unless its file_key is ``stamped`` and ``earlier`` knows it. ``elsewhere``, in a
    process other than the build's, the conversion made of its text is handed back with it, for
    rendering its page, and not kept."""
    if stamped is not None and earlier(stamped) is not None:
        return _Read(stamped, known=True)
    report_id = path.relative_to(config.content_dir).as_posix()
    shown_as = config.content_file(report_id)
    data, problem = read_bytes(path, shown_as)
    if data is None:
        return _Read(None, problems=(problem,) if problem else ())
    key = file_key(data, report_id, config.default_disclosure, config.drafts)
    if earlier(key) is not None:
        return _Read(key, known=True)
    outcome, problems = _parse_file(data, key, report_id, shown_as, config.default_disclosure, config.drafts)
    if not elsewhere:
        return _Read(key, outcome, problems)
    converted = convert(outcome.body) if isinstance(outcome, Report) else None
    # Kept here, conversions would only grow this process: they are the build's process's to keep.
    convert.cache_clear()
    return _Read(key, outcome, problems, converted)


def read_report(config: Config, path: Path) -> Report | None:
    """The published report the content file at ``path`` now holds, parsed afresh; None when it is not
    one (withheld, unreadable, or with any problem), which only a whole build may say."""
    read = _read_file(config, path, lambda _: None, elsewhere=False)
    return read.outcome if isinstance(read.outcome, Report) and not read.problems else None


def file_key(data: bytes, report_id: str, default_disclosure: str | None, drafts: bool = False) -> str:
    """Everything a content file's parse depends on, as a digest."""
    # A name that is not UTF-8 never gets here (the walk refuses it), but a digest must not be what fails.
    name = f"{report_id}\0{default_disclosure}\0{drafts}\0".encode("utf-8", "surrogateescape")
    digest = hashlib.blake2b(name, digest_size=20)
    digest.update(data)
    return digest.hexdigest()


def _parse_file(
    data: bytes, key: str, report_id: str, shown_as: str, default_disclosure: str | None, drafts: bool
) -> tuple[Report | Withheld | None, tuple[Problem, ...]]:
    text, problem = decode_utf8(data, shown_as)
    if problem:
        return None, (problem,)
    split = split_front_matter(text or "", shown_as)
    if isinstance(split, Problem):
        return None, (split,)
    front, body = split
    entries, problems = read_mapping(front, shown_as, first_line=2)
    if problems:
        return None, tuple(problems)
    entry = entries.get("disclosure")
    disclosure = entry.value if entry else default_disclosure
    reason = _withholding_reason(disclosure)
    if reason:
        return Withheld(report_id, reason, entry and entry.line), ()
    draft, problem = _draft(entries.get("draft"), shown_as)
    if problem:
        return None, (problem,)
    body_line = 1 + text.count("\n", 0, len(text) - len(body)) if text else 1
    report, problems = _validate(entries, body, report_id, key, shown_as, str(disclosure), body_line)
    if draft and (problems or not drafts):
        # A draft is the importer's review queue: it stops no build, and says what keeps it from publication.
        then = "it has problems to fix first" if drafts else "preview it with `gongkai build --drafts`"
        reason = f"draft (`draft: true`): remove the key to publish it; {then}"
        return Withheld(report_id, reason, entries["draft"].line, tuple(sorted(problems)), draft=True), ()
    if report and draft:
        report = replace(report, draft=True)
    if report and fold(report.disclosure) == REDACTED and not report.redactions:
        reason = f"公开属性 is {REDACTED}, but no deleted passage is marked {SYNTAX}"
        return Withheld(report_id, reason, entry and entry.line), ()
    return report, tuple(problems)


def body_lines(path: Path, language: str) -> Redacted | None:
    """The report text of the content file at ``path`` as a report in ``language`` publishes it, with the
    record of the lines cut out of it, which the published text alone cannot tell; None if unreadable."""
    text, _ = read_utf8(path, str(path))
    split = split_front_matter(text, str(path)) if text is not None else None
    return redact(split[1], language, str(path), 1) if isinstance(split, tuple) else None


def _draft(entry: Entry | None, shown_as: str) -> tuple[bool, Problem | None]:
    """Whether ``draft:`` marks the report a draft; a value other than true or false is a problem."""
    if entry is None:
        return False, None
    value = _DRAFT_VALUES.get(entry.value) if isinstance(entry.value, str) else None
    if value is None:
        problem = Problem(
            file=shown_as,
            line=entry.line,
            field="draft",
            message="must be true or false",
            found=shown_value(entry.value),
            expected="true or false",
            hint="write `draft: true` to keep the report out of the site until it is checked, or remove the key",
        )
        return False, problem
    return value, None


def _withholding_reason(value: object) -> str | None:
    if value is None:
        return "no 公开属性 (`disclosure`) and no `defaults.disclosure` in config.yaml"
    if not isinstance(value, str):
        return f"公开属性 {value!r} is not a single value"
    # Only the script is folded: 主動公開 is 主动公开, but "主动公开 " or 主动公開了 are not.
    if fold(value) in (OPEN, REDACTED):
        return None
    if fold(value) in KNOWN_DISCLOSURES:
        return f"公开属性 is {value}"
    return f"公开属性 {value!r} is not a known value (published: {OPEN}, and {REDACTED} with marked passages)"


def _validate(
    entries: dict[str, Entry], body: str, report_id: str, key: str, shown_as: str, disclosure: str, body_line: int
) -> tuple[Report | None, list[Problem]]:
    check = _Checker(entries, shown_as)
    check.problems += unknown_keys(entries, _FIELDS, shown_as, "front-matter")
    check.no_redaction_markup()
    check.markup_budget(body, body_line)
    language = check.language() or detect_script(body)
    redacted = redact(body, language, shown_as, body_line)
    check.problems += redacted.problems
    fields = {
        "title": check.text("title", required=True),
        "agency": check.text("agency", required=True),
        "region": check.region(),
        "year": check.year(),
        "doc_number": check.text("doc_number"),
        "index_number": check.text("index_number"),
        "date": check.date("date", "write the date signed (成文日期), e.g. `date: 2017-12-26`"),
        "published": check.date(
            "published", "write the date the page was put online (发布日期), e.g. `published: 2018-01-10`"
        ),
        "kind": check.text("kind"),
        "source": check.text("source"),
        "source_url": check.url("source_url"),
        "slug": check.slug(),
        "attachments": check.text_list("attachments"),
    }
    check.import_record()
    if check.problems:
        return None, check.problems
    # One parse gives the text search reads and the tables the statistics are read from.
    converted = convert(redacted.text)
    text = converted.plain
    return Report(
        id=report_id,
        disclosure=disclosure,
        language=language,
        texts=Texts.held(key, redacted.text, text),
        words=word_count(text),
        cited=mentions(redacted.text),
        redactions=redacted.count,
        body_line=body_line,
        slug_line=entries["slug"].line if fields["slug"] else None,
        statistics=recognise(converted.tables, _file_lines(redacted, body_line), fields["year"]),
        wording=wording(redacted.text),
        **fields,
    ), []


def _file_lines(redacted: Redacted, body_line: int) -> Callable[[int], int]:
    """The content-file line of each line of the published body (counted from 0)."""
    if not redacted.cuts:
        return lambda line: body_line + line
    starts = [0, *(at + 1 for at, char in enumerate(redacted.text) if char == "\n")]
    return lambda line: redacted.line_of(starts[line], body_line)


class _Checker:
    """Typed access to front-matter entries; each failure is recorded with the key's line."""

    def __init__(self, entries: dict[str, Entry], shown_as: str) -> None:
        self.entries, self.shown_as = entries, shown_as
        self.problems: list[Problem] = []

    def _fail(
        self, key: str, message: str, hint: str, *, found: str | None = None, expected: str | None = None
    ) -> None:
        line = self.entries[key].line if key in self.entries else 1
        self.problems.append(
            Problem(
                file=self.shown_as, line=line, field=key, message=message, found=found, expected=expected, hint=hint
            )
        )

    def _wrong(self, key: str, value: object, expected: str, hint: str) -> None:
        """``key`` holds ``value`` where ``expected`` belongs."""
        self._fail(key, f"found {value!r}; expected {expected}", hint, found=shown_value(value), expected=expected)

    def _value(self, key: str, required: bool) -> object:
        entry = self.entries.get(key)
        # `agency:` with nothing after it (as an import leaves a field it did not find) is missing too.
        empty = entry is None or entry.value is None or entry.value == ""
        if empty and required:
            self._fail(
                key,
                f"missing; expected {_REQUIRED[key]}",
                f"write it after `{key}:`" if entry else f"add `{key}: …` to the front matter",
                expected=_REQUIRED[key],
            )
            return None
        return None if entry is None else entry.value

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self._wrong(key, value, "text", f"write `{key}: ` followed by the text")
            return None
        return value.strip() if self._short(key, value.strip()) else None

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._value(key, required=False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self._wrong(key, value, "a list of text", f"write `{key}: [first, second]`")
            return ()
        items = tuple(v.strip() for v in value)
        return items if all([self._short(key, item, n) for n, item in enumerate(items, 1)]) else ()

    def _short(self, key: str, value: str, item: int | None = None) -> bool:
        """Whether ``value`` keeps within its field's length; if not, the problem is recorded."""
        limit = MAX_LENGTH.get(key)  # the others have a form that bounds them: a date, a slug, a language
        if limit is None or len(value) <= limit:
            return True
        which = f"item {item} of {key}" if item else key
        self._fail(
            key,
            f"found {value[:_QUOTED]!r}…, {len(value):,} characters long; {which} may be at most {limit:,}",
            f"shorten it to {limit:,} characters or fewer: each name is repeated on every "
            "listing, feed, export and search file that shows the report, so a long one multiplies through "
            "the site; the full wording belongs in the report text",
            found=f"{len(value):,} characters",
            expected=f"at most {limit:,} characters",
        )
        return False

    def no_redaction_markup(self) -> None:
        """Fields are published whole, so a 删减 marker in one would publish the passage it marks, and so
        would anything that looks like one."""
        for key, entry in self.entries.items():
            texts = _strings(entry.value) if key != "import" else []
            near = next((found for text in texts for _, found in near_misses(text)), None)
            marker = next((found for text in texts for found in MARKER.finditer(text)), None)
            if marker:
                self._fail(
                    key,
                    "found 删减 markup; it works only in the report text, not in front matter",
                    f"write `{key}:` without the deleted passage",
                    found=marker[0],
                    expected="text without 删减 markup",
                )
            elif near:
                self.problems.append(near_miss_problem(self.shown_as, entry.line, near, key))

    def markup_budget(self, body: str, body_line: int) -> None:
        found = marks(body)
        if found > MAX_MARKS:
            # The line of the first mark beyond the budget: where the first of the shorter reports can end.
            beyond = body_line + body.count("\n", 0, mark_at(body, MAX_MARKS + 1))
            self.problems.append(
                Problem(
                    file=self.shown_as,
                    line=beyond,
                    message=f"the report text holds {found:,} Markdown marks (line "
                    f"breaks and characters such as | * [ < #); a report may hold {MAX_MARKS:,}, and mark "
                    f"{MAX_MARKS + 1:,} is on this line",
                    found=f"{found:,} Markdown marks",
                    expected=f"at most {MAX_MARKS:,} Markdown marks",
                    hint="split it into several reports; this limit keeps every page to a few seconds of work",
                )
            )

    def import_record(self) -> None:
        """``import:`` is what `gongkai import` recorded about the file's origin; it is never published."""
        value = self._value("import", required=False)
        if value is not None and not isinstance(value, dict):
            self._wrong(
                "import",
                value,
                "the block of fields `gongkai import` wrote",
                "restore the block from the imported file, or delete the `import:` key and its lines",
            )

    def region(self) -> tuple[str, ...]:
        value = self._value("region", required=True)
        if value is None:
            return ()
        names = value if isinstance(value, list) else None
        if not names or len(names) > _MAX_REGION_DEPTH or not all(isinstance(n, str) and n.strip() for n in names):
            self._wrong(
                "region",
                value,
                f"a list of 1 to {_MAX_REGION_DEPTH} place names, province first",
                "write e.g. `region: [云南省, 临沧市]`",
            )
            return ()
        places = tuple(n.strip() for n in names)
        return places if all([self._short("region", place, n) for n, place in enumerate(places, 1)]) else ()

    def year(self) -> int:
        value = self._value("year", required=True)
        if value is None:
            return 0
        if not isinstance(value, str) or not _YEAR.fullmatch(value.strip()):
            self._wrong(
                "year",
                value,
                "a four-digit year such as 2017",
                "the year the report covers, which may differ from the year it was signed",
            )
            return 0
        return int(value)

    def date(self, key: str, hint: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            self._wrong(key, value, "a real date written YYYY-MM-DD", hint)
            return None
        return value

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not WEB_ADDRESS.fullmatch(value):
            self._wrong(
                key,
                value,
                "an http:// or https:// address without spaces or quotes",
                "copy the full address of the page the report was taken from",
            )
            return None
        return value

    def slug(self) -> str | None:
        value = self.text("slug")
        if value is None:
            return None
        if not _SLUG.fullmatch(value) or len(value) > MAX_NAME:
            self._wrong(
                "slug",
                value,
                f"up to {MAX_NAME} lowercase ASCII letters, digits and single hyphens",
                "write e.g. `slug: lincang-minzheng-2017`",
            )
            return None
        if value in RESERVED_NAMES:
            self._fail(
                "slug",
                f"found {value!r}, a name Windows reserves for devices",
                f"write e.g. `slug: {value}-report`",
                found=value,
                expected="a name Windows does not reserve for devices",
            )
            return None
        return value

    def language(self) -> str | None:
        value = self.text("language")
        if value is not None and value not in _SCRIPTS:
            self._wrong("language", value, "zh-Hans or zh-Hant", "or leave it out to detect the script from the text")
            return None
        return value


def _strings(value: Value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value or []
    return [text for item in items for text in _strings(item)]
