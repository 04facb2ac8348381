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


_THEME_SCRIPTS = ("assets/search-core.js", "assets/search.js", "assets/cite.js")


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

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = f"{self.name}: <{tag} {attrs}>"
        if tag == "script" and not (
            values.get("type") in ("application/json", "application/ld+json")
            or (values.get("src") or "").endswith(_THEME_SCRIPTS)
        ):
            self.problems.append(f"{where}: a script the theme does not ship")
        theme_chart = tag == "svg" and values.get("class") == "chart-svg"
        if (tag in _CONTENT_TAGS and not theme_chart) or (tag == "meta" and "http-equiv" in values):
            self.problems.append(f"{where}: an element that embeds, restyles or redirects")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"{where}: attribute {name}")
            if name in ("href", "src", "action") and value is not None and not _allowed(tag, values, value):
                self.problems.append(f"{where}: address {value!r}")


def _allowed(tag: str, values: dict[str, str | None], address: str) -> bool:
    if tag == "link" and values.get("rel") == "icon" and address == "data:,":
        return True  # the theme's empty icon, which keeps browsers from asking for /favicon.ico
    return bool(_SAFE_SCHEME.match(address)) or not _ANY_SCHEME.match(address)
