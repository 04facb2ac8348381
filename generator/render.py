"""Page jobs → bytes through Jinja2. Templates get plain data and never call back into the build.

Templates, labels (``i18n/``) and static files (``assets/``) are looked up in the project's
``layouts/`` first and then in the built-in theme, so a project overrides one file by adding it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2

from generator import urls
from generator.config import Config
from generator.files import walk
from generator.links import broken_links
from generator.markdown import render_markdown
from generator.plan import PageJob
from generator.problems import Problem, raise_if_any
from generator.strict_yaml import read_mapping
from generator.textfile import read_utf8

_BASE_LABELS = "zh-CN"


def theme_dir() -> Path:
    """The built-in layouts: inside the installed package, or beside it in a source checkout."""
    packaged = Path(__file__).with_name("layouts")
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "layouts"


def layout_dirs(config: Config) -> list[Path]:
    own, theme = config.root / "layouts", theme_dir()
    return [d for d in (own, theme) if d.is_dir() and (d == theme or d.resolve() != theme.resolve())]


class Renderer:
    def __init__(self, config: Config) -> None:
        self.dirs = layout_dirs(config)
        walks = {folder: walk(folder, (config.root if folder != theme_dir() else folder,), config.shown,
                              config.max_file_size) for folder in self.dirs}
        self.files = {folder: found.files for folder, found in walks.items()}
        problems = [problem for found in walks.values() for problem in found.problems]
        self.env = jinja2.Environment(
            loader=_ContainedLoader(self.dirs, (config.root, theme_dir())),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["href"] = _href
        self.env.globals["site"] = {"title": config.title, "description": config.description,
                                    "language": config.language}
        self.env.globals["t"] = self._labels(config.language, problems)
        raise_if_any(problems)

    def _labels(self, language: str, problems: list[Problem]) -> dict[str, str]:
        """Built-in zh-CN labels, then the chosen language's, each file overridable by the project."""
        labels: dict[str, str] = {}
        for name in dict.fromkeys((_BASE_LABELS, language)):
            for folder in reversed(self.dirs):
                path = folder / "i18n" / f"{name}.yaml"
                if path in self.files[folder]:
                    text, problem = read_utf8(path, str(path))
                    entries, found = read_mapping(text or "", str(path))
                    problems += [problem] if problem else []
                    problems += found
                    labels.update({key: str(entry.value) for key, entry in entries.items()})
        return labels

    def assets(self) -> dict[str, Path]:
        """Static files by output path; a project's file shadows the theme's of the same name."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            for path in self.files[folder]:
                if path.is_relative_to(folder / urls.ASSETS):
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def render(self, jobs: Iterable[PageJob], files: Collection[str]) -> Iterator[tuple[str, bytes]]:
        """Yield each page's bytes; template errors and links to anything outside ``files`` are
        collected and raised after the last page."""
        problems: set[Problem] = set()
        for job in jobs:
            try:
                page, body = self._render_one(job)
            except jinja2.TemplateError as err:
                problems.add(_template_problem(err, job.template))
                continue
            problems.update(_link_problems(job, page, body, files))
            yield job.path, page.encode("utf-8")
        raise_if_any(sorted(problems))

    def _render_one(self, job: PageJob) -> tuple[str, str]:
        """The page, and the report text's HTML within it ("" for pages without one)."""
        context: dict[str, Any] = {**job.context, "page_path": job.path}
        if "markdown" in context:
            rendered = render_markdown(context.pop("markdown"))
            context["body_html"], context["toc"] = rendered.html, rendered.toc
        return self.env.get_template(job.template).render(context), context.get("body_html", "")


class _ContainedLoader(jinja2.FileSystemLoader):
    """Reads templates only from inside the project or the theme, wherever a link in layouts/ points."""

    def __init__(self, dirs: list[Path], allowed: tuple[Path, ...]) -> None:
        super().__init__(dirs)
        self.allowed = tuple(folder.resolve() for folder in allowed)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is None or not any(Path(filename).resolve().is_relative_to(f) for f in self.allowed):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


@jinja2.pass_context
def _href(context: Mapping[str, Any], target: str) -> str:
    return urls.relative(context["page_path"], target)


def _link_problems(job: PageJob, page: str, body: str, files: Collection[str]) -> Iterator[Problem]:
    """A broken link in a report's text is the report's problem; any other is its template's."""
    in_body = set(broken_links(job.path, body, files))
    for link, _ in sorted(in_body):
        yield Problem(job.source or job.path, _line_of(link, job), None,
                      f"links to {link}, which is not a page or file of the site",
                      "link to another page of the archive by its file name, e.g. ../2017/report.html, "
                      "or write a full https:// address")
    for _, target in sorted(set(broken_links(job.path, page, files)) - in_body):
        yield Problem(job.template, None, None, f"a page from this template links to {target}, which the site "
                      "does not have", "add the file to layouts/assets/, or correct the link in the template")


def _line_of(link: str, job: PageJob) -> int | None:
    """The file line where the report text writes ``link``, percent-encoded or not."""
    text = job.context["markdown"]
    at = next((i for i in (text.find(link), text.find(unquote(link))) if i >= 0), None)
    return None if at is None else job.body_line + text.count("\n", 0, at)


def _template_problem(err: jinja2.TemplateError, template: str) -> Problem:
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(err.filename or template, err.lineno, None, f"template syntax error: {err.message}",
                       "fix the Jinja2 syntax on this line")
    if isinstance(err, jinja2.TemplateNotFound):
        return Problem(template, None, None, f"template {err.name!r} not found",
                       "add it to layouts/ or remove the reference to it")
    return Problem(template, None, None, f"template error: {err}",
                   "check the names this template uses against the documented page data")
