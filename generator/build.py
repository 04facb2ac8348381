"""build_site and check_site: the whole pipeline, top to bottom. Each stage takes plain data and
returns new data; ``check_site`` runs every stage that can find a problem and writes nothing."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.catalogue import build_catalogue
from generator.config import Config, load_config
from generator.content import Content, Withheld, load_content
from generator.plan import Plan, plan_site
from generator.problems import Problem, ProblemsFound, raise_if_any
from generator.publish import publish
from generator.render import Renderer
from generator.search import SearchData, build_index, data_files, data_paths, plan_search

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


@dataclass(frozen=True)
class CheckResult:
    reports: int
    pages: int
    withheld: tuple[Withheld, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Site:
    """Everything known before the first byte is written."""

    config: Config
    content: Content
    plan: Plan
    search: SearchData
    renderer: Renderer
    # Static files by output path: the project's, then the theme's.
    assets: Mapping[str, Path]

    def pages(self) -> Iterator[tuple[str, bytes]]:
        files = {job.path for job in self.plan.jobs} | set(self.assets) | set(data_paths(self.search))
        return self.renderer.render(self.plan.jobs, files)


def build_site(root: Path, out: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the archive at ``root`` into ``out`` (config's output_dir by default).

    Raises ProblemsFound, listing every problem, before the previous site is touched. With ``strict``,
    a withheld report is a problem too.
    """
    clock = _Clock()
    config = load_config(root)
    out = (out or config.output_dir).absolute()
    site = _prepare(config, clock.lap("load", load_content(config)), out, strict, clock)

    def index(staging: Path) -> None:
        clock.lap("render+write", None)
        clock.lap("index", build_index(staging, site.search))

    pages = itertools.chain(site.pages(), data_files(site.search))
    files = publish(pages, site.assets, out, finish=index)
    clock.lap("swap", files)
    return BuildResult(out, len(site.content.reports), len(site.plan.jobs), files, site.content.withheld,
                       clock.total(), tuple(clock.laps))


def check_site(root: Path, out: Path | None = None, strict: bool = False) -> CheckResult:
    """What a build of ``root`` would refuse, found by running it up to the point of writing."""
    withheld: tuple[Withheld, ...] = ()
    try:
        config = load_config(root)
        content = load_content(config)
        withheld = content.withheld
        site = _prepare(config, content, (out or config.output_dir).absolute(), strict, _Clock())
        pages = sum(1 for _ in site.pages())
    except ProblemsFound as found:
        return CheckResult(0, 0, withheld, tuple(found.problems))
    return CheckResult(len(site.content.reports), pages, withheld, ())


def _prepare(config: Config, content: Content, out: Path, strict: bool, clock: _Clock) -> _Site:
    raise_if_any(_unsafe_output(out, config))
    raise_if_any([*content.problems, *(_withheld_problems(content, config) if strict else ())])
    catalogue = clock.lap("catalogue", build_catalogue(content.reports))
    renderer = Renderer(config)
    assets = renderer.assets()
    sources = {path: config.shown(source) for path, source in assets.items()}
    plan = clock.lap("plan", plan_site(catalogue, config, sources))
    raise_if_any(list(plan.problems))
    search = clock.lap("search", plan_search(catalogue, plan.report_paths))
    return _Site(config, content, plan, search, renderer, assets)


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
