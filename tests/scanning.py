"""Looking through a built site byte by byte: for traces of what must not be published, and for
anything in its pages that a browser would run or load from elsewhere."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from generator.core.searchtext import normalise
from generator.search.files import read_script
from generator.search.index import BASE, read_chunk

_SAFE_SCHEME = re.compile(r"(https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Elements that run script, embed other documents, restyle or re-address the page.
_CONTENT_TAGS = frozenset(
    {"iframe", "object", "embed", "svg", "math", "style", "frame", "frameset", "applet", "base", "template"}
)


_THEME_SCRIPTS = tuple(
    f"assets/{name}" for name in ("search-core.js", "search.js", "cite.js", "catalogue.js", "script-switch.js")
)
# The not-found page carries its styles and the script that finds the archive's root inline, since a
# server shows it at any depth: written in the theme's template, never in a report.
_NOT_FOUND = "404.html"
_NOT_FOUND_TEMPLATE = (Path(__file__).parent.parent / "layouts" / "404.html").read_text(encoding="utf-8")


def readable(path: Path) -> bytes:
    """A file's bytes as a reader of the site gets them: search files decoded."""
    data = path.read_bytes()
    script = read_script(data)
    return script[1] if script else data


def traces(site: Path, marker: str) -> list[str]:
    """Every place under ``site`` that holds ``marker``: in a file name, as written (any case), or in
    the search index, where a search would find it."""
    found = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if marker.lower() in name.lower():
            found.append(f"{name} (file name)")
        if path.is_file() and (how := holds(readable(path), marker)):
            found.append(f"{name} ({how})")
    return found + [f"{name} (search index)" for name in indexed(site / "search", marker)]


def holds(data: bytes, marker: str) -> str | None:
    """Whether ``data`` holds ``marker`` as text (any case), decoded if it is a search file."""
    script = read_script(data)
    return "text" if marker.lower().encode() in (script[1] if script else data).lower() else None


def indexed(search: Path, marker: str) -> list[str]:
    """The index chunks under ``search`` whose bigrams spell ``marker`` at one place in one report: the
    proof a search for it would match."""
    term = [ord(char) for char in normalise(marker)]
    keys = {a * BASE + b for a, b in itertools.pairwise(term)}
    postings: dict[int, tuple[str, dict[int, list[int]]]] = {}
    for path in sorted(search.glob("p/*.js")):
        script = read_script(path.read_bytes())
        assert script, f"{path} is not a search file"
        for key, posting in read_chunk(script[1]).items():
            if key in keys:
                postings[key] = (path.relative_to(search.parent).as_posix(), posting)
    if not keys or keys - postings.keys():
        return []
    bigrams = [postings[a * BASE + b] for a, b in itertools.pairwise(term)]
    for report, starts in bigrams[0][1].items():
        places = [set(posting.get(report, ())) for _, posting in bigrams]
        if any(all(start + i in place for i, place in enumerate(places)) for start in starts):
            return sorted({name for name, _ in bigrams})
    return []


def assert_inert(site: Path) -> None:
    """Nothing in any page runs script, loads from elsewhere, or links anywhere but the web and the site."""
    for page in site.rglob("*.html"):
        checker = _Checker(page.relative_to(site).as_posix())
        checker.feed(page.read_text(encoding="utf-8"))
        assert not checker.problems, "\n".join(checker.problems)
    for data in (site / "search").rglob("*.js"):
        script = read_script(data.read_bytes())
        assert script, f"{data.name} is not a single data call"
        if data.parent.name == "m" or data.parent == site / "search":
            json.loads(script[1])


class _Checker(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.problems: list[str] = []
        # The tag and text of an inline style or script of the not-found page, while it is read.
        self.inline: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = f"{self.name}: <{tag} {attrs}>"
        theme_inline = self.name == _NOT_FOUND and tag in ("style", "script") and "src" not in values
        if theme_inline:
            self.inline = (where, [])  # its text is checked against the template when it ends
        if tag == "script" and not (
            theme_inline
            or values.get("type") in ("application/json", "application/ld+json")
            or (values.get("src") or "").endswith(_THEME_SCRIPTS)
        ):
            self.problems.append(f"{where}: a script the theme does not ship")
        theme_chart = tag == "svg" and values.get("class") == "chart-svg"
        if (tag in _CONTENT_TAGS and not (theme_chart or theme_inline)) or (tag == "meta" and "http-equiv" in values):
            self.problems.append(f"{where}: an element that embeds, restyles or redirects")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{where}: attribute {name}")
            if name in ("href", "src", "action") and value is not None and not _allowed(tag, values, value):
                self.problems.append(f"{where}: address {value!r}")

    def handle_data(self, data: str) -> None:
        if self.inline:
            self.inline[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.inline and tag in ("style", "script"):
            where, text = self.inline
            self.inline = None
            if "".join(text) not in _NOT_FOUND_TEMPLATE:
                self.problems.append(f"{where}: inline text that the theme's 404.html does not hold")


def _allowed(tag: str, values: dict[str, str | None], address: str) -> bool:
    if tag == "link" and values.get("rel") == "icon" and address == "data:,":
        return True  # the theme's empty icon, which keeps browsers from asking for /favicon.ico
    return bool(_SAFE_SCHEME.match(address)) or not _ANY_SCHEME.match(address)
