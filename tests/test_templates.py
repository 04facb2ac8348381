"""Templates link to the site's own pages and files only through paths that generator/core/urls.py makes."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import jinja2

from generator.build.render import theme_dir
from generator.core import urls

TEMPLATES = sorted(path for path in theme_dir().iterdir() if path.is_file())
OWNED = (*urls.TEMPLATE_PATHS.values(), urls.SITEMAP, urls.ROBOTS, urls.REGION_COVERAGE, urls.NOT_FOUND)
# What a path of the site ends with, and the folders it may begin with.
SUFFIXES = tuple(sorted({PurePosixPath(path).suffix for path in OWNED}))
FOLDERS = tuple(sorted({path.split("/")[0] + "/" for path in OWNED if "/" in path} | {urls.SEARCH_DATA + "/"}))
# Tags whose string names another template, not a page.
TEMPLATE_TAGS = {"extends", "import", "include", "from"}
# A link written into the markup itself; one that a template fills in starts with {{.
LINK_ATTRIBUTE = re.compile(r"""\b(?:href|src|action)=["']([^"']*)["']""")
NOT_A_PAGE = ("{{", "#", "data:", "http://", "https://", "mailto:")


def _site_paths(template: Path) -> list[tuple[int, str]]:
    """(line, text) of each string or attribute in ``template`` that spells a path of the site."""
    found = []
    # The tag a string stands in: None just after {%, then its first name; "" outside tags.
    tag: str | None = ""
    for line, kind, value in jinja2.Environment().lex(template.read_text(encoding="utf-8")):
        if kind == "block_begin":
            tag = None
        elif kind in ("block_end", "variable_begin"):
            tag = ""
        elif kind == "name" and tag is None:
            tag = value
        elif kind == "string":
            text = value[1:-1]
            if tag not in TEMPLATE_TAGS and (text.endswith(SUFFIXES) or text.startswith(FOLDERS)):
                found.append((line, value))
        elif kind == "data":
            for match in LINK_ATTRIBUTE.finditer(value):
                if not match.group(1).startswith(NOT_A_PAGE):
                    found.append((line + value.count("\n", 0, match.start()), match.group(0)))
    return found


def test_no_template_spells_a_path_of_the_site() -> None:
    assert TEMPLATES
    spelled = {f"{template.name}:{line}": text for template in TEMPLATES for line, text in _site_paths(template)}
    assert spelled == {}, "use the Jinja global `paths` (generator/core/urls.py) instead"


def test_the_check_finds_a_spelled_path(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text(
        '{% extends "base.html" %}{% import "_macros.html" as m %}{% set x = "coverage.html" %}\n'
        "<a href=\"{{ 'search.html'|href }}\">{{ m.crumbs([{'path': 'regions/x'}]) }}</a>\n"
        '<link href="assets/style.css"><a href="#top"><a href="{{ paths.home|href }}">',
        encoding="utf-8",
    )
    assert _site_paths(template) == [
        (1, '"coverage.html"'),
        (2, "'search.html'"),
        (2, "'regions/x'"),
        (3, 'href="assets/style.css"'),
    ]


def test_every_path_templates_get_is_a_file_of_the_site(sample_site: Path) -> None:
    assert [name for name, path in urls.TEMPLATE_PATHS.items() if not (sample_site / path).is_file()] == []
