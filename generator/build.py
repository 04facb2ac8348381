"""build_site: the whole pipeline, top to bottom. Each stage takes plain data and returns new data."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from generator.catalogue import build_catalogue
from generator.config import load_config
from generator.content import Withheld, load_content
from generator.plan import plan_site
from generator.problems import Problem, raise_if_any
from generator.publish import publish
from generator.render import Renderer
from generator.search import build_index, data_files, plan_search

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


def build_site(root: Path, out: Path | None = None) -> BuildResult:
    """Build the archive at ``root`` into ``out`` (config's output_dir by default).

    Raises ProblemsFound, listing every problem, before the previous site is touched.
    """
    clock = _Clock()
    config = load_config(root)
    out = (out or config.output_dir).absolute()
    raise_if_any(_unsafe_output(out, config.root, config.content_dir))
    content = clock.lap("load", load_content(config))
    raise_if_any(list(content.problems))
    catalogue = clock.lap("catalogue", build_catalogue(content.reports))
    plan = clock.lap("plan", plan_site(catalogue, config))
    raise_if_any(list(plan.problems))
    search = clock.lap("search", plan_search(catalogue, plan.report_paths))
    renderer = Renderer(config)

    def index(staging: Path) -> None:
        clock.lap("render+write", None)
        clock.lap("index", build_index(staging, search))

    pages = itertools.chain(renderer.render(plan.jobs), data_files(search))
    files = publish(pages, renderer.assets(), out, finish=index)
    clock.lap("swap", files)
    return BuildResult(out, len(content.reports), len(plan.jobs), files, content.withheld,
                       clock.total(), tuple(clock.laps))


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


def _unsafe_output(out: Path, root: Path, content: Path) -> list[Problem]:
    """The output folder is replaced whole on every build, so it must hold nothing else."""
    out = out.resolve()
    hint = "choose a folder of its own, such as `site` inside the project"
    for folder, what in ((root, "the project folder"), (content, "the content folder"),
                         (Path.home(), "your home folder")):
        if folder.resolve().is_relative_to(out):
            return [Problem(str(out), None, "output_dir", f"the output folder would replace {what}", hint)]
    if out.is_relative_to(content.resolve()):
        return [Problem(str(out), None, "output_dir", "the output folder is inside the content folder", hint)]
    return []
