"""Page jobs → bytes through Jinja2. Templates get plain data and never call back into the build.

Templates, labels (``i18n/``) and static files (``assets/``) are looked up in the project's
``layouts/`` first and then in the built-in theme, so a project overrides one file by adding it.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
from collections.abc import Callable, Collection, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
import markupsafe

from generator.build.citing import pdf_link, script_json
from generator.build.content import body_lines
from generator.build.links import elsewhere, relative_links
from generator.build.plan import PageJob
from generator.core import urls
from generator.core.config import Config, theme_dir
from generator.core.files import Walk, walk
from generator.core.markdown import render_markdown
from generator.core.plain import plain_bytes
from generator.core.problems import Problem, raise_if_any
from generator.core.strict_yaml import read_mapping
from generator.core.textfile import read_utf8
from generator.statistics.outputs import mark_number_cells

_BASE_LABELS = "zh-CN"


@dataclass(frozen=True)
class PageRecord:
    """What a later build needs to reuse a page: a digest of all it was made from, and its links."""

    digest: str
    # (link as written, file it names, whether the report's text wrote it)
    links: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class RenderedPage:
    path: str
    # The page's bytes, or a file of an earlier build that has exactly these bytes.
    data: bytes | Path
    record: PageRecord


# What rendering asks of an earlier build's record (path, digest → page): the page or file it made at
# that path from the same digest, given as the file that holds it, if that file is still there.
Reuse = Callable[[str, str], RenderedPage | None]


def layout_dirs(config: Config) -> list[Path]:
    own, theme = config.root / "layouts", theme_dir()
    return [d for d in (own, theme) if d.is_dir() and (d == theme or d.resolve() != theme.resolve())]


def walk_layouts(config: Config) -> dict[Path, Walk]:
    """The files of each layouts folder, the project's then the theme's; links in the project's may
    point anywhere in the project."""
    return {
        folder: walk(folder, (config.root if folder != theme_dir() else folder,), config.shown, config.max_file_size)
        for folder in layout_dirs(config)
    }


class Renderer:
    def __init__(self, config: Config) -> None:
        self.dirs = layout_dirs(config)
        self.root = config.root
        self.shown = config.shown
        walks = walk_layouts(config)
        self.files = {folder: found.files for folder, found in walks.items()}
        problems = [problem for found in walks.values() for problem in found.problems]
        self.env = _Environment(
            loader=_ContainedLoader(self.dirs, (config.root, theme_dir())),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Each build makes its own renderer: a template cannot change under it, and asking the
            # file system whether it did is a stat call for every page.
            auto_reload=False,
        )
        self.env.filters["href"] = _href
        self.env.filters["address"] = _address_filter(config.base_url)
        self.env.filters["xml_text"] = xml_text
        self.env.filters["script_json"] = lambda data: markupsafe.Markup(script_json(data))
        self.env.filters["pdf_link"] = pdf_link
        self.env.globals["site"] = {
            "title": config.title,
            "description": config.description,
            "language": config.language,
        }
        self.env.globals["t"] = self._labels(config.language, problems)
        self.env.globals["paths"] = urls.TEMPLATE_PATHS
        raise_if_any(problems)
        self.fingerprint = self._fingerprint(config)

    def _fingerprint(self, config: Config) -> bytes:
        """A digest of everything besides a page's own data that goes into its bytes."""
        digest = hashlib.blake2b(repr((config, self.env.globals["site"], self.env.globals["t"])).encode())
        for folder in self.dirs:
            for path in self.files[folder]:
                if not path.is_relative_to(folder / urls.ASSETS):
                    digest.update(f"{path}\0".encode() + path.read_bytes())
        return digest.digest()

    def _labels(self, language: str, problems: list[Problem]) -> dict[str, str]:
        """Built-in zh-CN labels, then the chosen language's, each file overridable by the project."""
        labels: dict[str, str] = {}
        for name in dict.fromkeys((_BASE_LABELS, language)):
            for folder in reversed(self.dirs):
                path = folder / "i18n" / f"{name}.yaml"
                if path in self.files[folder]:
                    text, problem = read_utf8(path, self.shown(path))
                    entries, found = read_mapping(text or "", self.shown(path))
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

    def render(
        self, jobs: Iterable[PageJob], files: Collection[str], reuse: Reuse | None = None
    ) -> Iterator[RenderedPage]:
        """Each page, taken from an earlier build (``reuse``) where nothing it is made from changed;
        template errors and links to anything outside ``files`` are collected and raised after the last page."""
        problems: set[Problem] = set()
        for job in jobs:
            digest = self._digest(job)
            page = reuse(job.path, digest) if reuse else None
            if page is None:
                try:
                    page = self._render_one(job, digest)
                except jinja2.TemplateError as err:
                    problems.add(_template_problem(err, self._template_file(job.template), self.dirs, self.shown))
                    continue
            problems.update(_link_problems(job, page.record.links, files, self.root, self._template_file))
            yield page
        raise_if_any(list(problems))

    def preview(self, job: PageJob) -> bytes | None:
        """One page's bytes with its links unchecked, or None if its template fails: a preview, which
        the build of the whole site checks after."""
        try:
            data = self._render_one(job, "").data
        except jinja2.TemplateError:
            return None
        return data if isinstance(data, bytes) else None

    def _template_file(self, name: str) -> str:
        """How messages name a template: the file it is read from, the project's before the theme's, or
        where in layouts/ it would be."""
        folder = next((folder for folder in self.dirs if (folder / name).is_file()), self.root / "layouts")
        return self.shown(folder / name)

    def _digest(self, job: PageJob) -> str:
        digest = hashlib.blake2b(self.fingerprint, digest_size=16)
        # A report's body by the key of its file, which stands for it: reading and digesting every body
        # would cost more than rendering the few pages an edit changes.
        body = job.texts and job.texts.key
        digest.update(plain_bytes((job.template, body, job.markdown_links, job.context)))
        return digest.hexdigest()

    def _render_one(self, job: PageJob, digest: str) -> RenderedPage:
        context: dict[str, Any] = {**job.context, "page_path": job.path}
        if job.markdown is not None:
            links = tuple((words, urls.relative(job.path, target)) for words, target in job.markdown_links)
            rendered = render_markdown(job.markdown, links)
            body_html = rendered.html
            if "statistics" in job.context:
                # The template's tables are columns of figures, which read best lined up on the right.
                body_html = mark_number_cells(body_html)
            context["body_html"], context["toc"] = body_html, rendered.toc
        page_set = _PAGE.set(job.path)
        try:
            page = self.env.get_template(job.template).render(context)
        finally:
            _PAGE.reset(page_set)
        body = context.get("body_html", "")
        in_body = set(relative_links(job.path, body))
        # The rest of the page's links are its template's; the body's are not read a second time.
        around_body = page.replace(body, "") if body else page
        links = sorted(
            {(*link, True) for link in in_body}
            | {(*link, False) for link in relative_links(job.path, around_body) if link not in in_body}
        )
        return RenderedPage(job.path, page.encode("utf-8"), PageRecord(digest, tuple(links)))


def generated(files: Iterable[tuple[str, bytes]], reuse: Reuse | None = None) -> Iterator[RenderedPage]:
    """Files made without a template (search data, exports), each taken from an earlier build
    (``reuse``) when it has the same bytes: linking a file costs less than writing it."""
    for path, data in files:
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        earlier = reuse(path, digest) if reuse else None
        yield earlier or RenderedPage(path, data, PageRecord(digest, ()))


class _Environment(jinja2.Environment):
    """Templates get their data as dicts: ``report.title`` is looked up as a key first. Jinja asks for
    an attribute first, and a dict's failed attribute lookup raises, which cost about an eighth of the
    time of rendering a page. No key of a page's data is named like a dict method."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


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


# The page being rendered, for the filters that write links relative to it. Held here rather than read
# from the template's context, so that macros work without the page's context: a template imports
# them once (``{% import "_macros.html" as m %}``) instead of making them again, bound to each page in
# reference cycles, for every page.
_PAGE: ContextVar[str] = ContextVar("page")


def _href(target: str) -> str:
    return urls.relative(_PAGE.get(), target)


def _address_filter(base_url: str | None) -> Any:
    """The address feeds give a file: its URL under base_url, else the link from the feed itself."""

    def address(target: str) -> str:
        return base_url + target if base_url else urls.relative(_PAGE.get(), target)

    return address


# Characters XML 1.0 does not allow at all (most C0 controls, surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document may not contain; what is left is escaped as usual."""
    return _NOT_XML.sub("", text)


# What may stand before the host name of an address written without a scheme.
_SLASHES = " \t/\\"
# What a link should lead to.
_LINK_EXPECTED = "a page or file of the site, or a full address beginning https:// or http://"


def _link_problems(
    job: PageJob,
    links: Iterable[tuple[str, str, bool]],
    files: Collection[str],
    root: Path,
    template_file: Callable[[str], str],
) -> Iterator[Problem]:
    """A broken link in a report's text is the report's problem; any other is its template's."""
    for link, target, in_body in links:
        if target in files:
            continue
        if in_body and elsewhere(link):
            yield Problem(
                file=job.source or job.path,
                line=_line_of(link, job, root),
                message=f"links to {link}, an address on another site written without https: or http:",
                found=link,
                expected=_LINK_EXPECTED,
                hint=f"write https:// in full, e.g. https://{link.lstrip(_SLASHES)}, or link to a page of "
                "the archive by its file name, e.g. ../2017/report.html",
            )
        elif in_body:
            yield Problem(
                file=job.source or job.path,
                line=_line_of(link, job, root),
                message=f"links to {link}, which is not a page or file of the site",
                found=link,
                expected=_LINK_EXPECTED,
                hint="link to another page of the archive by its file name, e.g. ../2017/report.html, "
                "or write a full https:// address",
            )
        elif elsewhere(link):
            yield Problem(
                file=template_file(job.template),
                message=f"a page from this template links to {link}, an address on "
                "another site written without https: or http:",
                found=link,
                expected=_LINK_EXPECTED,
                hint="write https:// in full in the template",
            )
        else:
            yield Problem(
                file=template_file(job.template),
                message=f"a page from this template links to {target}, which the site does not have",
                found=target,
                expected=_LINK_EXPECTED,
                hint="add the file to layouts/assets/, or correct the link in the template",
            )


def _line_of(link: str, job: PageJob, root: Path) -> int | None:
    """The file line where the report text writes ``link``, percent-encoded, backslash-escaped or as it is."""
    text = job.markdown or ""
    at = _written_at(text, link)
    if at is None:
        return None
    # Deleted passages were cut out with their line breaks; the file tells how many lines each took.
    published = body_lines(root / job.source, job.language) if job.source else None
    if published is None or published.text != text:  # changed since it was read: the best guess
        return job.body_line + text.count("\n", 0, at)
    return published.line_of(at, job.body_line)


def _written_at(text: str, link: str) -> int | None:
    """Where ``text`` writes ``link``: as it is, percent-decoded, or with backslashes before punctuation,
    which Markdown drops (``miss\\_ing.html`` links to ``miss_ing.html``)."""
    forms = tuple(dict.fromkeys((link, unquote(link))))
    at = next((i for i in map(text.find, forms) if i >= 0), None)
    if at is not None:
        return at
    escaped = (
        re.search("".join(rf"\\?{re.escape(c)}" if c in string.punctuation else re.escape(c) for c in form), text)
        for form in forms
    )
    return next((found.start() for found in escaped if found), None)


def _template_problem(
    err: jinja2.TemplateError, template: str, dirs: Collection[Path], shown: Callable[[Path], str]
) -> Problem:
    """The problem of a page whose ``template`` (as messages name it) failed: named by the template the
    error is in, and its line."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(
            file=shown(Path(err.filename)) if err.filename else template,
            line=err.lineno,
            message=f"template syntax error: {err.message}",
            hint="fix the Jinja2 syntax on this line",
        )
    # Jinja2 rewrites the traceback so that its frames in templates carry their file and line; the innermost
    # is where the error is.
    file, line = template, None
    folders = [Path(os.path.normpath(folder)) for folder in dirs]
    tb = err.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            named = Path(tb.tb_frame.f_code.co_filename)
            if any(named.is_relative_to(folder) for folder in folders):
                file, line = shown(named), tb.tb_lineno
        tb = tb.tb_next
    if isinstance(err, jinja2.TemplateNotFound):
        return Problem(
            file=file,
            line=line,
            message=f"template {err.name!r} not found",
            hint="add it to layouts/ or remove the reference to it",
        )
    return Problem(
        file=file,
        line=line,
        message=f"template error: {err}",
        hint="check the names this template uses against the documented page data",
    )
