"""Looking through a built site byte by byte: for traces of what must not be published, and for
anything in its pages that a browser would run or load from elsewhere."""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from generator.search.index import index_words

GZIP_MAGIC = b"\x1f\x8b"
PAGEFIND_MAGIC = b"pagefind_dcd"
_SAFE_SCHEME = re.compile(r"(https?|mailto):", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_DATA_SCRIPT = re.compile(r'gongkai\.receive\("[\w-]+",(.*)\);\n', re.DOTALL)
# Elements that run script, embed other documents, restyle or re-address the page.
_CONTENT_TAGS = frozenset(
    {"iframe", "object", "embed", "svg", "math", "style", "frame", "frameset", "applet", "base", "template"}
)


_THEME_SCRIPTS = ("assets/search.js", "assets/cite.js")


def readable(path: Path) -> bytes:
    """A file's bytes as a reader of the site gets them: search index files decompressed."""
    data = path.read_bytes()
    return gzip.decompress(data) if data.startswith(GZIP_MAGIC) else data


def traces(site: Path, marker: str) -> list[str]:
    """Every place under ``site`` that holds ``marker``: in a file name, as written (any case), or as
    the letter-coded bigrams the search index stores."""
    found = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if marker.lower() in name.lower():
            found.append(f"{name} (file name)")
        if path.is_file() and (how := holds(readable(path), marker)):
            found.append(f"{name} ({how})")
    return found


def holds(data: bytes, marker: str) -> str | None:
    """How ``data`` holds ``marker``: as text (any case), or as the letter-coded bigrams of the search index."""
    if marker.lower().encode() in data.lower():
        return "text"
    coded = [word.encode() for word in index_words((marker,)).split()[:-1]]
    return "search index" if coded and all(word in data for word in coded) else None


def assert_inert(site: Path) -> None:
    """Nothing in any page runs script, loads from elsewhere, or links anywhere but the web and the site."""
    for page in site.rglob("*.html"):
        checker = _Checker(page.relative_to(site).as_posix())
        checker.feed(page.read_text(encoding="utf-8"))
        assert not checker.problems, "\n".join(checker.problems)
    for data in (site / "search").glob("*.js"):
        payload = _DATA_SCRIPT.fullmatch(data.read_text(encoding="utf-8"))
        assert payload, f"{data.name} is not a single data call"
        json.loads(payload[1])


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
