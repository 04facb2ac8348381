"""build_site and check_site: the whole pipeline, top to bottom. Each stage takes plain data and
returns new data; ``check_site`` runs every stage that can find a problem and writes nothing."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.buildcache import load_earlier, parsed_files, save_earlier
from generator.catalogue import Catalogue, build_catalogue
from generator.config import Config, load_config
from generator.content import Content, Parsed, Withheld, load_content
from generator.exports import export_files, export_paths
from generator.index import Index, Shard, build_index, index_paths, plan_shards
from generator.plan import Plan, plan_site
from generator.problems import Problem, ProblemsFound, raise_if_any
from generator.publish import index_dir, link_or_copy, publish, replace
from generator.render import Earlier, PageRecord, RenderedPage, Renderer, generated
from generator.search import SearchData, data_files, data_paths, plan_search

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
    earlier: Earlier
    # Set when the site kept the previous search index, which refresh_index brings up to date.
    stale_index: PendingIndex | None = None


@dataclass(frozen=True)
class PendingIndex:
    """The search data a site's index is yet to be built from, in shards."""

    search: SearchData
    shards: tuple[Shard, ...]


@dataclass(frozen=True)
class CheckResult:
    reports: int
    pages: int
    withheld: tuple[Withheld, ...]
    problems: tuple[Problem, ...]
    # 文号 cited by reports but not in the archive, with how many reports cite each, most cited first.
    wanted: tuple[tuple[str, int], ...] = ()


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

    def pages(self, earlier: Earlier | None = None) -> Iterator[RenderedPage]:
        files = ({job.path for job in self.plan.jobs} | set(self.assets) | set(data_paths(self.search))
                 | set(export_paths()))
        return self.renderer.render(self.plan.jobs, files, earlier)


def build_site(root: Path, out: Path | None = None, strict: bool = False, earlier: Earlier | None = None,
               defer_index: bool = False, cache: bool = False) -> BuildResult:
    """Build the archive at ``root`` into ``out`` (config's output_dir by default).

    Raises ProblemsFound, listing every problem, before the previous site is touched. With ``strict``,
    a withheld report is a problem too. Pages and search index shards that ``earlier`` (the result of
    the last build into ``out``) made from the same data are reused; with ``cache``, a build that is
    not given ``earlier`` takes it from the file the last build left beside ``out``. With
    ``defer_index`` a changed index is left as it was, to be brought up to date by refresh_index.
    """
    clock = _Clock()
    config = load_config(root)
    out = (out or config.output_dir).absolute()
    raise_if_any(_unsafe_output(out, config))
    if earlier is None and cache:
        earlier = load_earlier(out)
    earlier = earlier if earlier and earlier.site == out else None
    content = _load(config, out, cache, earlier.parsed if earlier else {})
    site = _prepare(config, clock.lap("load", content), strict, clock)
    shards = plan_shards(site.search, config.search_shard_size)
    previous = earlier.index if earlier else {}
    current = [(name, shard.digest) for name, shard in previous.items()] == [(s.name, s.digest) for s in shards]
    keep_index = earlier is not None and (current or defer_index)
    records: dict[str, PageRecord] = {}

    exports = export_files(site.catalogue, site.plan.report_paths, config.base_url, config.title)

    def pages() -> Iterator[tuple[str, bytes | Path]]:
        for page in itertools.chain(site.pages(earlier), generated(itertools.chain(data_files(site.search), exports),
                                                                   earlier)):
            records[page.path] = page.record
            yield page.path, page.data

    work = None if keep_index else (site.search, shards, earlier is not None)
    with _Indexing(out, work, previous) as indexing:

        def finish(staging: Path) -> None:
            clock.lap("render+write", None)
            made = indexing.into(staging)
            clock.lap("index", None)
            if cache:
                save_earlier(Earlier(out, records, made), staging)

        files = publish(pages(), site.assets, out, finish=finish)
    clock.lap("swap", files)
    stale = keep_index and not current
    return BuildResult(out, len(site.content.reports), len(site.plan.jobs), files, site.content.withheld,
                       clock.total(), tuple(clock.laps), Earlier(out, records, indexing.made, content.parsed or {}),
                       PendingIndex(site.search, shards) if stale else None)


class _Indexing:
    """The search index, built beside the site while the pages are rendered (Pagefind runs in other
    processes), then moved into the staging folder; or, when it has not changed, taken over as it is."""

    def __init__(self, out: Path, work: tuple[SearchData, tuple[Shard, ...], bool] | None, earlier: Index) -> None:
        self.out, self.work, self.beside = out, work, index_dir(out)
        self.stop = threading.Event()
        self.made = earlier

    def __enter__(self) -> _Indexing:
        shutil.rmtree(self.beside, ignore_errors=True)  # left by a build that was killed
        if self.work:
            search, shards, reuse = self.work
            self.pool = ThreadPoolExecutor(max_workers=1)
            self.future = self.pool.submit(build_index, self.beside, search, shards, self.made,
                                           self.out if reuse else None, self.stop.is_set)
        return self

    def into(self, staging: Path) -> Index:
        """Put the index into ``staging`` and return it."""
        if not self.work:
            _link_index(self.out, staging)
            return self.made
        self.made = self.future.result()
        _move_index(self.beside, staging)
        return self.made

    def __exit__(self, *failure: object) -> None:
        if self.work:
            self.stop.set()
            self.pool.shutdown()
            shutil.rmtree(self.beside, ignore_errors=True)


def refresh_index(result: BuildResult, cancelled: Callable[[], bool]) -> BuildResult:
    """Bring the search index of a site built with ``defer_index`` up to date.

    The index is built beside the site, taking over the shards that did not change, and then swapped
    in. Raises Cancelled, changing nothing, when ``cancelled`` turns true first.
    """
    pending = result.stale_index
    if pending is None:
        return result
    beside = index_dir(result.out)
    shutil.rmtree(beside, ignore_errors=True)
    try:
        made = build_index(beside, pending.search, pending.shards, result.earlier.index, result.out, cancelled)
        _move_index(beside, result.out)
    finally:
        shutil.rmtree(beside, ignore_errors=True)
    return dataclasses.replace(result, stale_index=None, earlier=dataclasses.replace(result.earlier, index=made))


def _move_index(source: Path, site: Path) -> None:
    """Put the index built in ``source`` in the place of the one in ``site``."""
    for path in index_paths():
        replace(source / path, site / path)


def _link_index(site: Path, staging: Path) -> None:
    """Take the search index of the current site, file by file, into the new one."""
    for path in index_paths():
        source, target = site / path, staging / path
        if source.is_dir():
            shutil.copytree(source, target, copy_function=link_or_copy)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)


def _load(config: Config, out: Path, cache: bool, known: Mapping[str, Parsed]) -> Content:
    """The content. A file that the last build in this process parsed (``known``) is not parsed again,
    nor, with ``cache``, one that any build of the site at ``out`` parsed."""
    if not cache:
        return load_content(config, known.get)
    with parsed_files(out, everything=not known) as store:
        content = load_content(config, lambda key: known.get(key) or store.get(key))
        if content.parsed is not None:
            store.keep(content.parsed)
    return content


def check_site(root: Path, out: Path | None = None, strict: bool = False) -> CheckResult:
    """What a build of ``root`` would refuse, found by running it up to the point of writing."""
    withheld: tuple[Withheld, ...] = ()
    try:
        config = load_config(root)
        out = (out or config.output_dir).absolute()
        raise_if_any(_unsafe_output(out, config))
        content = load_content(config)
        withheld = content.withheld
        site = _prepare(config, content, strict, _Clock())
        pages = sum(1 for _ in site.pages())
    except ProblemsFound as found:
        return CheckResult(0, 0, withheld, tuple(found.problems))
    return CheckResult(len(site.content.reports), pages, withheld, (), site.catalogue.citations.wanted)


def _prepare(config: Config, content: Content, strict: bool, clock: _Clock) -> _Site:
    raise_if_any([*content.problems, *(_withheld_problems(content, config) if strict else ())])
    catalogue = clock.lap("catalogue", build_catalogue(content.reports))
    renderer = Renderer(config)
    assets = renderer.assets()
    sources = {path: config.shown(source) for path, source in assets.items()}
    plan = clock.lap("plan", plan_site(catalogue, config, sources))
    raise_if_any(list(plan.problems))
    search = clock.lap("search", plan_search(catalogue, plan.report_paths))
    return _Site(config, content, catalogue, plan, search, renderer, assets)


def _withheld_problems(content: Content, config: Config) -> list[Problem]:
    return [Problem(config.content_file(item.id), item.line, "disclosure", f"withheld: {item.reason}",
                    "publish it as 主动公开 (or 删减后公开 with marked passages), or move it out of the "
                    "content folder; without --strict it is left out and the build goes on")
            for item in content.withheld]


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
    for folder, what, may_hold_output in ((config.root, "the project folder", True),
                                          (config.content_dir, "the content folder", False),
                                          (config.root / "layouts", "the layouts folder", False),
                                          (Path.home(), "your home folder", True)):
        if folder.resolve().is_relative_to(out):
            return [Problem(str(out), None, "output_dir", f"the output folder would replace {what}", hint)]
        if not may_hold_output and out.is_relative_to(folder.resolve()):
            return [Problem(str(out), None, "output_dir", f"the output folder is inside {what}", hint)]
    return []
