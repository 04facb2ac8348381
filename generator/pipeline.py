"""build_site and check_site: the whole pipeline, top to bottom. Each stage takes plain data and
returns new data; ``check_site`` runs every stage that can find a problem and writes nothing."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.build.catalogue import Catalogue, agency_key, build_catalogue
from generator.build.content import PARALLEL_FROM, Content, Report, Withheld, load_content, read_report, stamped_as
from generator.build.exports import catalogue_files, catalogue_lines, export_files, export_paths
from generator.build.hanzi import hanzi_files, hanzi_paths
from generator.build.inputs import Stamp, inputs_stamp, unchanged
from generator.build.plan import PageJob, Plan, ReportPages, plan_site
from generator.build.publish import Spare, Staging, copy_assets, drop, exclusive, staged, write_pages
from generator.build.render import PageRecord, RenderedPage, Renderer, Reuse, generated
from generator.build.state import (
    BuildRecord,
    Finished,
    code_digest,
    keep_parsed,
    know_tables,
    parse_cache_file,
    read_finished,
    read_parsed,
    read_record,
    save_finished,
    save_record,
    sketch_file,
    swap_parsed,
)
from generator.core.config import Config, load_config, shown_path
from generator.core.files import Walk, settled
from generator.core.problems import Problem, ProblemsFound, raise_if_any
from generator.core.processes import Aside, Beside, Spread, may_fork, processes_for
from generator.core.urls import SEARCH_DATA
from generator.search.data import SearchData, plan_search
from generator.search.files import fixed_paths, search_pages
from generator.search.index import Part, build_postings
from generator.search.stored import load_parts, parts_file, save_parts
from generator.sketch import (
    Frame,
    Sketch,
    Unsketched,
    edited,
    read_sketch,
    save_sketch,
    shown_elsewhere,
    sketch_of,
)
from generator.statistics.warnings import template_warnings

T = TypeVar("T")


@dataclass(frozen=True)
class BuildResult:
    out: Path
    reports: int
    pages: int
    files: int
    withheld: tuple[Withheld, ...]
    seconds: float
    stages: tuple[tuple[str, float], ...]
    # What the next build of the project may take from this one.
    earlier: BuildRecord
    # Reports marked `draft: true` that were built (with ``drafts``).
    drafts: int = 0
    # Sums the reports' template tables break (problems instead, with ``strict``).
    warnings: tuple[Problem, ...] = ()
    # What previews of edits are made from (see ``edited_pages``), when asked for.
    previews: _Previews | None = None


@dataclass(frozen=True)
class _Previews:
    """What the page of an edited report is planned and rendered with: far less than the whole site,
    which a build of the next one would otherwise hold twice."""

    config: Config
    reports: ReportPages
    renderer: Renderer


class Superseded(Exception):
    """A build given up for a newer one: the files changed again while it ran."""


@dataclass(frozen=True)
class CheckResult:
    reports: int
    pages: int
    withheld: tuple[Withheld, ...]
    problems: tuple[Problem, ...]
    # 文号 cited by reports but not in the archive, with how many reports cite each, most cited first.
    wanted: tuple[tuple[str, int], ...] = ()
    # Sums the reports' template tables break (problems instead, with ``strict``).
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Site:
    """Everything known before the first byte is written."""

    config: Config
    content: Content
    catalogue: Catalogue
    plan: Plan
    search: SearchData
    renderer: Renderer
    # Static files by output path: the project's, then the theme's.
    assets: Mapping[str, Path]

    @functools.cached_property
    def files(self) -> frozenset[str]:
        """Every file of the site, by output path: what a link may lead to. Made once: pages are
        rendered a few at a time."""
        return frozenset(
            {job.path for job in self.plan.jobs}
            | set(self.assets)
            | set(fixed_paths())
            | set(export_paths())
            | set(hanzi_paths())
        )

    def pages(self, reuse: Reuse | None = None, jobs: Iterable[PageJob] | None = None) -> Iterator[RenderedPage]:
        """The pages made from templates: all of them, or those of ``jobs``."""
        return self.renderer.render(self.plan.jobs if jobs is None else jobs, self.files, reuse)


def build_site(
    root: Path,
    out: Path | None = None,
    strict: bool = False,
    earlier: BuildRecord | None = None,
    cache: bool = False,
    drafts: bool = False,
    superseded: Callable[[], bool] | None = None,
) -> BuildResult:
    """Build the archive at ``root`` into ``out`` (config's output_dir by default).

    Raises ProblemsFound, listing every problem, before the previous site is touched; a failure to
    write (a full disk, a read-only folder) is a problem too, and leaves the previous site as it was.
    With ``strict``, a withheld report is a problem too. ``earlier`` is the record of the last build
    (``BuildResult.earlier``): content files it parsed are not parsed again, and pages it made from the
    same data are reused while ``out`` is still the site it made. With ``cache``, a build that is not
    given ``earlier`` takes it from the files the last build left beside ``out``, and leaves its own
    there. The search files are made while the pages are rendered, unless the site's record shows they
    were made from the same search data. With ``drafts``, reports marked ``draft: true`` are built too,
    into ``drafts_folder`` unless ``out`` is given: a preview, never the site to publish. Given
    ``superseded``, the build asks it between stages and gives up (raising Superseded, the previous site
    untouched) once it says yes; the result then keeps what the site was made from, for ``edited_pages``.
    """
    clock = _Clock()
    config = dataclasses.replace(load_config(root), drafts=drafts)
    out = output_folder(out or (drafts_folder(config.output_dir) if drafts else config.output_dir))
    raise_if_any(_unsafe_output(out, config))
    with _writing(out, config.root), exclusive(out, _waiting(out)):
        return _build(config, out, strict, earlier, cache, clock, superseded)


def _build(
    config: Config,
    out: Path,
    strict: bool,
    given: BuildRecord | None,
    cache: bool,
    clock: _Clock,
    superseded: Callable[[], bool] | None,
) -> BuildResult:
    go_on = _Interruption(superseded)
    stamp = inputs_stamp(config, strict, code_digest()) if cache else None
    # Only a build that reads its record from the files beside the site may find it has nothing to do:
    # one handed a record (serve's) keeps what it makes in memory for the next.
    last = read_finished(out) if stamp and given is None and superseded is None else None
    if stamp and last and last.stamp == stamp.digest and unchanged(last.recent):
        return _told_again(last, out, clock)
    if cache:
        know_tables(out)
    if stamp and given is None and superseded is None:
        # The content files a text edit's build reads, by stamp: the whole build need not read them again.
        read: dict[str, Report] = {}
        # The index's parts are read meanwhile: reading and checking them lets go of the interpreter.
        loading = Aside(functools.partial(load_parts, parts_file(out)))
        earlier = read_record(out, given, cache, parsed=False)
        quick = _quick(config, out, stamp, earlier, last, clock, read, loading)
        if quick is not None:
            return quick
        parts = loading.result()
        earlier = dataclasses.replace(earlier, parsed=read_parsed(out), search_parts=parts).knowing(read)
    else:
        earlier = read_record(out, given, cache)
    walked = stamp.content if stamp else None
    content = clock.lap("load", load_content(config, earlier.parsed.get, earlier.stamped, walked))
    go_on()
    site = _prepare_and_keep(config, content, strict, clock, out if cache else None)
    go_on()
    with staged(out, earlier.spare) as staging:
        inode = staging.folder.stat().st_ino
        sketching = functools.partial(_keep_sketch, site, stamp, inode, out) if stamp else None
        written = _write(site, staging, earlier, go_on, parts_file(out) if cache else None, sketching)
        drop(staging, written.pages.keys() | site.assets.keys())
        clock.lap("render+write", None)
        search = written.search
        staging.kept = _kept(earlier, written.pages)
        record = BuildRecord(
            out,
            inode,
            written.pages,
            content.parsed or {},
            {SEARCH_DATA: search.digest},
            search.parts,
            spare=_spare(out, staging.kept),
            stamped=content.stamped,
        )
        result = BuildResult(
            out,
            len(content.reports),
            len(site.plan.jobs),
            len(written.pages) + len(site.assets),
            content.withheld,
            0.0,
            (),
            record,
            sum(report.draft for report in content.reports),
            () if strict else _warnings(config, content),
            _Previews(config, site.plan.reports, site.renderer) if superseded else None,
        )
        if stamp:
            save_record(record, out)
            _keep_finished(result, stamp, inode, out)
    clock.lap("swap", None)
    clock.laps.append(("index", search.seconds))
    return dataclasses.replace(result, seconds=clock.total(), stages=tuple(clock.laps))


def _kept(earlier: BuildRecord, pages: Mapping[str, PageRecord]) -> dict[str, str]:
    """The files of the site being replaced that the new one has unchanged, by path and digest."""
    return {
        path: page.digest
        for path, page in pages.items()
        if (before := earlier.pages.get(path)) is not None and before.digest == page.digest
    }


def _spare(out: Path, kept: Mapping[str, str]) -> Spare | None:
    """The record of the spare folder the site at ``out`` becomes once the new one is swapped in."""
    return Spare(out.stat().st_ino, kept) if kept and out.is_dir() and not out.is_symlink() else None


def _keep_finished(result: BuildResult, stamp: Stamp, inode: int, out: Path) -> None:
    """What the build tells, for the next one to tell again if it finds the same inputs."""
    told = Finished(
        stamp.digest,
        stamp.recent,
        inode,
        result.reports,
        result.pages,
        result.files,
        result.drafts,
        result.withheld,
        result.warnings,
    )
    save_finished(told, out)


def _told_again(told: Finished, out: Path, clock: _Clock) -> BuildResult:
    """The result of a build that found every input as the last build did, and so did nothing."""
    clock.lap("unchanged", None)
    stages = tuple(clock.laps)
    return BuildResult(
        out,
        told.reports,
        told.pages,
        told.files,
        told.withheld,
        clock.total(),
        stages,
        BuildRecord(),
        told.drafts,
        told.warnings,
    )


class _Interruption:
    """Raises Superseded, when called, once ``superseded`` says the build is no longer wanted."""

    def __init__(self, superseded: Callable[[], bool] | None) -> None:
        self.superseded = superseded

    def __call__(self) -> None:
        if self.superseded is not None and self.superseded():
            raise Superseded()


def _keep_sketch(site: _Site, stamp: Stamp, inode: int, out: Path, lines: Sequence[tuple[str, str]]) -> None:
    """What a build after an edit of reports' texts takes from this one (see generator.sketch), with the
    catalogue export's ``lines``. Written while the site is made, into the staging folder ``inode``: a
    build that does not swap it in leaves a sketch no later build trusts."""
    sketch = sketch_of(_frame(site.config, stamp, inode), site.plan.reports, lines, site.search)
    save_sketch(sketch_file(out), sketch)


def _frame(config: Config, stamp: Stamp, inode: int) -> Frame:
    content = str(config.content_dir)
    recent = {path: digest for path, digest in stamp.recent.items() if not Path(path).is_relative_to(content)}
    return Frame(stamp.frame, recent, inode)


# Edited reports a build makes from the last build's sketch at most: each brings its agency's pages.
_QUICK_EDITS = 16


def _quick(
    config: Config,
    out: Path,
    stamp: Stamp,
    earlier: BuildRecord,
    told: Finished | None,
    clock: _Clock,
    read: dict[str, Report],
    parts: Aside[dict[str, Part]],
) -> BuildResult | None:
    """The build after edits that change only reports' texts, made from the last build's sketch (see
    generator.sketch), what it ``told`` and the index's ``parts``; None when the edits are not all such,
    or there is no sketch to trust. The reports of the content files it parsed are left in ``read``, by
    stamp."""
    if earlier.site != out or stamp.content is None or stamp.content.problems or told is None:
        return None
    sketch = read_sketch(sketch_file(out), parse_cache_file(out), config)
    if sketch is None or (sketch.frame.stamp, sketch.frame.inode) != (stamp.frame, earlier.inode):
        return None
    try:
        edits = _text_edits(config, stamp.content, sketch, told, earlier.stamped, read)
        if edits is None or not unchanged(sketch.frame.recent):
            return None
        known = dataclasses.replace(earlier, search_parts=parts.result())
        clock.lap("load", None)
        return _make_quick(config, out, stamp, known, sketch, edits, told, clock)
    except (Unsketched, _Gone):
        return None


def _text_edits(
    config: Config, walk: Walk, sketch: Sketch, told: Finished, stamped: Mapping[str, str], read: dict[str, Report]
) -> dict[str, Report] | None:
    """The reports of the content files changed since the sketch's build, by id, if they are the same
    files, each edited only in what its agency's pages, the export and the index show; else None. Each
    report parsed is left in ``read`` by its file's stamp."""
    withheld = {item.id for item in told.withheld}
    # The walk names every file by a path under the content folder.
    folder = len(str(config.content_dir)) + 1
    files = {str(path)[folder:].replace(os.sep, "/"): path for path in walk.files if path.suffix == ".md"}
    if files.keys() != sketch.keys.keys() | withheld:
        return None
    edits = {}
    for report_id, path in files.items():
        name = stamped_as(config, path, walk.stamps[path])
        known = stamped.get(name)
        if known is not None and (report_id in withheld or known == sketch.keys[report_id]):
            continue
        report = None if report_id in withheld else read_report(config, path)
        if report is None or len(edits) == _QUICK_EDITS:
            return None
        read[name] = report
        before = sketch.pages.catalogue.reports[report_id]
        if report.file_key == before.file_key:
            continue
        if shown_elsewhere(report) != shown_elsewhere(before):
            return None
        edits[report_id] = report
    return edits


def _make_quick(
    config: Config,
    out: Path,
    stamp: Stamp,
    earlier: BuildRecord,
    sketch: Sketch,
    edits: Mapping[str, Report],
    told: Finished,
    clock: _Clock,
) -> BuildResult:
    """Make the pages of the edited reports' agencies, the catalogue export and the search files, and
    take every other file of the site over. The pages are made by a forked child while this process
    makes the search files: both are work for the interpreter, which two threads would take turns at."""
    before = sketch.keys
    catalogue = sketch.pages.catalogue
    renderer = Renderer(config)
    assets = renderer.assets()
    with staged(out, earlier.spare) as staging:
        frame = _frame(config, stamp, staging.folder.stat().st_ino)
        sketch = edited(sketch, edits, frame, config.base_url)
        agencies = dict.fromkeys(agency_key(report) for report in edits.values())
        jobs = [sketch.pages.job(i) for agency in agencies for i in catalogue.agencies[agency].reports]
        clock.lap("plan", None)
        files = frozenset({p for p in earlier.pages if not p.startswith(f"{SEARCH_DATA}/")} | set(fixed_paths()))
        reuse = _reuse(earlier, staging)

        def pages_and_export() -> dict[str, PageRecord]:
            made = write_pages(staging, renderer.render(jobs, files | set(assets), reuse))
            made |= write_pages(staging, generated(catalogue_files(sketch.lines, config.base_url, config.title), reuse))
            copy_assets(staging, assets)
            # A build that does not swap this staging folder in leaves a sketch no later build trusts.
            save_sketch(sketch_file(out), sketch)
            return made

        rendering = Beside(pages_and_export, may_fork())
        search = _search_files(sketch.search, earlier, staging, parts_file(out))
        made = rendering.result()
        pages = made | _taken_over(earlier, staging, made.keys()) | search.pages
        drop(staging, pages.keys() | assets.keys())
        clock.lap("render+write", None)
        staging.kept = _kept(earlier, pages)
        record = BuildRecord(
            out,
            frame.inode,
            pages,
            {},
            {SEARCH_DATA: search.digest},
            search.parts,
            spare=_spare(out, staging.kept),
            stamped=_stamped(config, stamp, earlier.stamped, edits, before),
        )
        result = BuildResult(
            out, told.reports, told.pages, told.files, told.withheld, 0.0, (), record, told.drafts, told.warnings
        )
        swap_parsed(out, {report.file_key: report for report in edits.values()}, [before[i] for i in edits])
        save_record(record, out)
        _keep_finished(result, stamp, frame.inode, out)
    clock.lap("swap", None)
    clock.laps.append(("index", search.seconds))
    return dataclasses.replace(result, seconds=clock.total(), stages=tuple(clock.laps))


def _reuse(earlier: BuildRecord, staging: Staging) -> Reuse:
    """What of the last build's site a build writing into ``staging`` takes over (BuildRecord.unchanged)."""
    return functools.partial(earlier.unchanged, held=staging.present)


def _keep_parts(stored: Path, parts: Mapping[str, Part], known: Mapping[str, Part]) -> None:
    if parts.keys() != known.keys():
        save_parts(stored, parts)


class _Gone(Exception):
    """A file of the site is not where the last build left it."""


def _taken_over(earlier: BuildRecord, staging: Staging, made: Iterable[str]) -> dict[str, PageRecord]:
    """The record of every other file of the last build's site, which is taken over as it is: left where
    the staging folder holds it already, else linked from the site."""
    records, linked = {}, []
    for path, page in earlier.pages.items():
        if path in made or path.startswith(f"{SEARCH_DATA}/"):
            continue
        records[path] = page
        if staging.present.get(path) != page.digest:
            file = earlier.unchanged(path, page.digest)
            if file is None:
                raise _Gone(path)
            linked.append(file)
    write_pages(staging, linked)
    return records


def _stamped(
    config: Config, stamp: Stamp, earlier: Mapping[str, str], edits: Mapping[str, Report], before: Mapping[str, str]
) -> dict[str, str]:
    """The file key of each settled content file by its stamp, after ``edits`` (see Content.stamped)."""
    gone = {before[report_id] for report_id in edits}
    stamped = {name: key for name, key in earlier.items() if key not in gone}
    walk, now = stamp.content, time.time_ns()
    assert walk is not None
    for report_id, report in edits.items():
        path = config.content_dir / report_id
        if settled(walk.stamps[path], now):
            stamped[stamped_as(config, path, walk.stamps[path])] = report.file_key
    return stamped


def edited_pages(result: BuildResult, files: Iterable[Path]) -> dict[str, bytes]:
    """The pages that show the edited content ``files`` as they now read, by output path: each report's
    page, and the listings of those it moved, planned and rendered among the site's other reports as
    they were (ReportPages.edited). Empty when any of the files cannot be shown that way (not a report
    of the site, a problem, a broken template): the build of the whole site then shows them."""
    previews = result.previews
    if previews is None:
        return {}
    reports = []
    for file in files:
        if file.suffix != ".md" or not file.is_relative_to(previews.config.content_dir):
            return {}
        report = read_report(previews.config, file)
        if report is None:
            return {}
        reports.append(report)
    pages = {}
    for job in previews.reports.edited(reports):
        page = previews.renderer.preview(job)
        if page is None:
            return {}
        pages[job.path] = page
    return pages


def _prepare_and_keep(config: Config, content: Content, strict: bool, clock: _Clock, out: Path | None) -> _Site:
    """``_prepare``, while what the build parsed is kept beside ``out`` (unless None) for any later
    build, even one that follows a fix of the problems this one finds: by a child process, when the
    build may fork, so that this one goes on."""
    if out is None or content.parsed is None:
        return _prepare(config, content, strict, clock)
    forking = processes_for(len(content.parsed), PARALLEL_FROM) > 1
    keeping = Beside(functools.partial(keep_parsed, out, content.parsed), forking)
    try:
        site = _prepare(config, content, strict, clock)
    finally:
        kept = keeping.outcome()
    if isinstance(kept, BaseException):
        raise kept
    return site


def _search_files(search: SearchData, earlier: BuildRecord, staging: Staging, stored: Path | None) -> _Search:
    """Write the search files into ``staging``: the last build's when it made them from the same data,
    else made, each file whose data did not change, and each batch of the index whose reports did not,
    taken from it, or from the parts ``stored`` (unless None) holds, which are then brought up to date."""
    started = time.perf_counter()
    digest = search.digest()
    kept = earlier.folder_unchanged(SEARCH_DATA, digest)
    if kept is not None:
        pages, parts = kept, earlier.search_parts
    else:
        known = earlier.search_parts or (load_parts(stored) if stored else {})
        built = build_postings(search.documents, known)
        # Kept while the files are made: writing them lets go of the interpreter.
        keeping = Aside(functools.partial(_keep_parts, stored, built.parts, known)) if stored else None
        made = search_pages(search, _reuse(earlier, staging), built)
        pages, parts = made.pages, made.parts
        if keeping:
            keeping.result()
    return _Search(write_pages(staging, pages), parts, digest, time.perf_counter() - started)


@dataclass(frozen=True)
class _Search:
    """The records of the search files written, the index parts the next build may take over, the
    digest of the search data they are made from, and the seconds they took."""

    pages: dict[str, PageRecord]
    parts: Mapping[str, object]
    digest: str
    seconds: float


@dataclass(frozen=True)
class _Written:
    # Each page and generated file's record by path: the pages in the plan's order, then the rest.
    pages: dict[str, PageRecord]
    search: _Search


def _write(
    site: _Site,
    staging: Staging,
    earlier: BuildRecord,
    go_on: _Interruption,
    stored: Path | None,
    sketching: Callable[[Sequence[tuple[str, str]]], None] | None = None,
) -> _Written:
    """Write the whole site into ``staging``; what the last build made from the same data is taken
    from its site. Pages, and the files made without a template, are made by as many processes as there
    are processors while this one makes the search files, which are mostly numpy and zlib and let go of
    the interpreter. The process that makes the exports hands the catalogue's lines to ``sketching``."""
    pieces = 1 + -(-len(site.plan.jobs) // _PIECE)
    processes = processes_for(len(site.plan.jobs), PARALLEL_FROM)
    reuse = _reuse(earlier, staging)
    rendering = Spread(lambda claims: _write_pieces(site, staging, reuse, claims, go_on, sketching), pieces, processes)
    with ThreadPoolExecutor(max_workers=1) as pool:
        searching = pool.submit(_search_files, site.search, earlier, staging, stored)
        copy_assets(staging, site.assets)
        if processes > 1:
            # The children render meanwhile; this process joins them once the search files are written,
            # so that what is left at the end is pages, which every process shares out to the last one.
            searching.result()
        shares = rendering.results()
        # A broken template is told once, however many pieces of the site found it.
        raise_if_any(list(dict.fromkeys(problem for share in shares for problem in share.problems)))
        search = searching.result()
    pages = {}
    for share in shares:
        pages |= share.pages
    in_order = [*(job.path for job in site.plan.jobs), *export_paths(), *hanzi_paths()]
    return _Written({path: pages[path] for path in in_order} | search.pages, search)


@dataclass(frozen=True)
class _Share:
    """The records of the pages of a piece of the site, or the problems found instead."""

    pages: dict[str, PageRecord]
    problems: tuple[Problem, ...]


# Pages a process claims at a time: small enough to even out, with the slow listing pages, the work
# of processes that also do other things.
_PIECE = 16


def _write_pieces(
    site: _Site,
    staging: Staging,
    reuse: Reuse,
    claims: Iterator[int],
    go_on: _Interruption,
    sketching: Callable[[Sequence[tuple[str, str]]], None] | None,
) -> Iterator[_Share]:
    """The pieces claimed: the first is the files made without a template, which a child takes while
    this process makes the search files; each other is _PIECE pages."""
    for piece in claims:
        go_on()
        try:
            if piece == 0:
                made = _generated(site, reuse, sketching)
            else:
                made = site.pages(reuse, site.plan.jobs[(piece - 1) * _PIECE : piece * _PIECE])
            yield _Share(write_pages(staging, made), ())
        except ProblemsFound as found:
            yield _Share({}, tuple(found.problems))


def _generated(
    site: _Site, reuse: Reuse, sketching: Callable[[Sequence[tuple[str, str]]], None] | None
) -> Iterator[RenderedPage]:
    """The exports and the data of the script switch; the catalogue's lines go to ``sketching`` too."""
    config, catalogue, report_paths = site.config, site.catalogue, site.plan.report_paths
    lines = catalogue_lines(catalogue, report_paths, config.base_url)
    if sketching:
        sketching(lines)
    exports = export_files(catalogue, report_paths, config.base_url, config.title, lines)
    hanzi = hanzi_files(site.renderer.env.globals["t"], config.title, config.description)
    return generated([*exports, *hanzi], reuse)


@contextlib.contextmanager
def _writing(out: Path, root: Path | None = None) -> Iterator[None]:
    """A file that cannot be read or written is a problem to report like any other, not a crash; it is
    named from the project folder ``root`` when it is inside it."""
    try:
        yield
    except OSError as err:
        raise ProblemsFound([_file_problem(err, out, root)]) from None
    except sqlite3.Error as err:
        failed = OSError(errno.ENOSPC if "full" in str(err) else errno.EIO, str(err), str(parse_cache_file(out)))
        raise ProblemsFound([_file_problem(failed, out, root)]) from None


def _file_problem(err: OSError, out: Path, root: Path | None) -> Problem:
    where = shown_path(Path(err.filename or out), root)
    kept = "; the previous site was left as it was"
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return Problem(
            file=where,
            message="could not be written: the disk is full",
            hint=f"free space on the disk that holds {out.parent} (a build needs room for a second copy "
            f"of the site while it writes) and build again{kept}",
        )
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Problem(
            file=where,
            message=f"could not be written: {err.strerror}",
            hint=f"make {out.parent} writable, or build into another folder with --out DIR{kept}",
        )
    return Problem(
        file=where,
        message=f"could not be read or written: {err.strerror or err}",
        hint=f"check the disk and the folder, then build again{kept}",
    )


def _waiting(out: Path) -> Callable[[str], None]:
    def say(holder: str) -> None:
        print(f"Waiting for {holder}, which is building {out}, to finish…", file=sys.stderr, flush=True)

    return say


def drafts_folder(output_dir: Path) -> Path:
    """Where a build with drafts goes by default: beside the site, so that it is never published by mistake."""
    return output_dir.with_name(f"{output_dir.name}-drafts")


def output_folder(out: Path) -> Path:
    """The folder a build writes: where a link named as the output points, so that the link stays."""
    out = out.absolute()
    return out.resolve() if out.is_symlink() else out


def check_site(root: Path, out: Path | None = None, strict: bool = False) -> CheckResult:
    """What a build of ``root`` would refuse, found by running it up to the point of writing."""
    withheld: tuple[Withheld, ...] = ()
    warnings: tuple[Problem, ...] = ()
    try:
        config = load_config(root)
        out = output_folder(out or config.output_dir)
        raise_if_any(_unsafe_output(out, config))
        content = load_content(config)
        withheld = content.withheld
        warnings = () if strict else _warnings(config, content)
        site = _prepare(config, content, strict, _Clock())
        pages = sum(1 for _ in site.pages())
    except ProblemsFound as found:
        return CheckResult(0, 0, withheld, tuple(found.problems), warnings=warnings)
    return CheckResult(len(site.content.reports), pages, withheld, (), site.catalogue.citations.wanted, warnings)


def _prepare(config: Config, content: Content, strict: bool, clock: _Clock) -> _Site:
    strictly = [*_withheld_problems(content, config), *_warnings(config, content)] if strict else []
    raise_if_any([*content.problems, *strictly])
    catalogue = clock.lap("catalogue", build_catalogue(content.reports))
    renderer = Renderer(config)
    assets = renderer.assets()
    sources = {path: config.shown(source) for path, source in assets.items()}
    plan = clock.lap("plan", plan_site(catalogue, config, sources))
    raise_if_any(list(plan.problems))
    search = clock.lap("search", plan_search(catalogue, plan.report_paths))
    return _Site(config, content, catalogue, plan, search, renderer, assets)


def _warnings(config: Config, content: Content) -> tuple[Problem, ...]:
    """The sums the published reports' template tables break: warnings, or with --strict problems."""
    return template_warnings(((r.id, r.statistics) for r in content.reports), config.content_file)


def _withheld_problems(content: Content, config: Config) -> list[Problem]:
    return [
        Problem(
            file=config.content_file(item.id),
            line=item.line,
            field="draft" if item.draft else "disclosure",
            message=f"withheld: {item.reason}",
            hint=(
                "check its fields, fix what `gongkai check` lists, then remove `draft: true`"
                if item.draft
                else "publish it as 主动公开 (or 删减后公开 with marked passages), or move it out of the content folder"
            )
            + "; without --strict it is left out and the build goes on",
        )
        for item in content.withheld
    ]


class _Clock:
    """Seconds spent in each stage, for --verbose."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, stage: str, result: T) -> T:
        now = time.perf_counter()
        self.laps.append((stage, now - self.last))
        self.last = now
        return result

    def total(self) -> float:
        return time.perf_counter() - self.started


def _unsafe_output(out: Path, config: Config) -> list[Problem]:
    """The output folder is replaced whole on every build, so it must hold nothing else."""
    out = out.resolve()
    hint = "choose a folder of its own, such as `site` inside the project"
    if out.exists() and not out.is_dir():
        return [
            Problem(
                file=config.shown(out),
                field="output_dir",
                message="is a file, not a folder; a build would replace it",
                found="a file",
                expected="a folder",
                hint=hint,
            )
        ]
    for folder, what, may_hold_output in (
        (config.root, "the project folder", True),
        (config.content_dir, "the content folder", False),
        (config.root / "layouts", "the layouts folder", False),
        (Path.home(), "your home folder", True),
    ):
        if folder.resolve().is_relative_to(out):
            return [
                Problem(
                    file=config.shown(out),
                    field="output_dir",
                    message=f"the output folder would replace {what}",
                    hint=hint,
                )
            ]
        if not may_hold_output and out.is_relative_to(folder.resolve()):
            return [
                Problem(
                    file=config.shown(out), field="output_dir", message=f"the output folder is inside {what}", hint=hint
                )
            ]
    return []
