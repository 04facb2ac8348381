"""A report page saved from a portal → plain text lines: title, byline, then the main text.

Navigation, headers, footers, share bars and scripts are dropped by element and by class or id. The
main text is the largest article-like container; the text pipeline then treats the result like any
raw text file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.core.searchtext import view
from generator.importing.rawtext import BARE, disclosure_statements

_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
        "svg",
        "object",
        "head",
    }
)
_CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|toolbar|banner|copyright|"
    r"related|position|location|print|font|bdshare|tool",
    re.IGNORECASE,
)
_MAIN = re.compile(r"article|content|zoom|trs_editor|main|detail|text|ucap", re.IGNORECASE)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "table",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "center",
        "hr",
    }
)
# Elements whose content is never shown as text, even when the page puts them in odd places.
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "head", "svg", "object", "iframe"})
_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|]|--|——|-\s)\s*")
_MAX_LOOKBACK = 256
_MAX_CANDIDATES = 64  # article-like containers compared by the length of their text
# Report pages have a few thousand elements. The work is linear, but each element costs memory; a page of
# more is something else (or built to exhaust the importer) and is refused.
MAX_ELEMENTS = 300_000
_META_LINES = (("pubdate", "发布日期:"), ("contentsource", "来源:"), ("url", "原文地址:"))


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    def is_chrome(self) -> bool:
        marks = f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}"
        return self.tag in _SKIPPED_TAGS or bool(_CHROME.search(marks)) or "hidden" in self.attrs

    def is_main(self) -> bool:
        marks = f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}"
        return self.tag in ("article", "main") or bool(_MAIN.search(marks))


class TooManyElements(Exception):
    """The page holds more elements than any report page; it is refused unread."""

    def __init__(self, found: int) -> None:
        super().__init__(f"has more than {found:,} HTML elements; a report page has a few thousand")
        self.message = str(self)
        self.hint = "save the report's text from the page as a .txt file and import that"


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self.stack = [self.root]
        self.metas: dict[str, str] = {}
        self.title = ""
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooManyElements(MAX_ELEMENTS)
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("name"):
            self.metas[values["name"].lower()] = values.get("content", "")
        element = _Element(tag, values)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        # A stray end tag closes the nearest open element of its name; looking only so far back keeps
        # a page of thousands of unclosed elements from taking quadratic time.
        for depth in range(len(self.stack) - 1, max(0, len(self.stack) - _MAX_LOOKBACK), -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag == "title":
            self.title += data
        self.stack[-1].children.append(data)


def html_to_text(html: str) -> str:
    """The page's title, byline and main text as lines; raises :class:`TooManyElements`."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    main = _main_container(builder.root)
    title = builder.metas.get("articletitle") or _first_heading(main) or _page_title(builder.title)
    lines = [title.strip()] if title else []
    lines += [f"{label}{builder.metas[name].strip()}" for name, label in _META_LINES if builder.metas.get(name)]
    body = [line.strip() for line in _lines(main) if line.strip()]
    if title and title.strip() in body:
        body.remove(title.strip())  # the heading the title was taken from
    return "\n".join(lines + body + _disclosure_elsewhere(builder.root, body)) + "\n"


def _disclosure_elsewhere(root: _Element, body: list[str]) -> list[str]:
    """Lines outside the main text that state 公开属性, such as a metadata table above the article.

    They are added after the text, so no statement on the page is lost with the chrome around it; a
    menu entry such as 依申请公开 standing alone is not a statement about this page.
    """
    kept = set(body)
    found = []
    for line in _lines(root, lambda element: element.tag in _NOT_TEXT):
        line = line.strip()
        if line and line not in kept and any(said.form != BARE for said in disclosure_statements(line, view(line))):
            found.append(line)
            kept.add(line)
    return found


def _page_title(title: str) -> str:
    """A page <title> without the site name portals append after ``_``, ``|`` or ``-``."""
    return _TITLE_SEPARATORS.split(title.strip())[0] if title.strip() else ""


def _first_heading(element: _Element) -> str:
    return next(("".join(_lines(e)).strip() for e in _elements(element) if e.tag == "h1"), "")


def _main_container(root: _Element) -> _Element:
    candidates = list(itertools.islice((e for e in _elements(root) if e.is_main()), _MAX_CANDIDATES))
    if not candidates:
        return root
    sizes = _text_sizes(root)
    return max(candidates, key=lambda e: sizes[id(e)])


def _text_sizes(root: _Element) -> dict[int, int]:
    """For every element, by id, the length of the text _lines gives it without line breaks.

    One pass from the leaves up: candidates nest (<div class="content"> inside <div class="main">), and
    walking each one's subtree again would take time the square of the nesting depth.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        if not done:
            stack.append((element, True))
            stack += [
                (child, False) for child in element.children if isinstance(child, _Element) and not child.is_chrome()
            ]
            continue
        sizes[id(element)] = sum(
            len(_collapsed(child))
            if isinstance(child, str)
            else 0
            if child.is_chrome()
            else sizes[id(child)] + (child.tag in _CELLS)
            for child in element.children
        )
    return sizes


def _collapsed(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text)


def _elements(element: _Element) -> Iterator[_Element]:
    """The elements inside ``element`` in document order, without chrome and what chrome contains.

    Walked with a stack rather than recursion, so no nesting depth can exhaust Python's stack.
    """
    stack = [child for child in reversed(element.children) if isinstance(child, _Element)]
    while stack:
        current = stack.pop()
        if not current.is_chrome():
            yield current
            stack += [child for child in reversed(current.children) if isinstance(child, _Element)]


def _lines(element: _Element, skipped: Callable[[_Element], bool] = _Element.is_chrome) -> list[str]:
    """Text of ``element`` with a line break at every block boundary; cells of a row joined by spaces."""
    parts: list[str] = []
    stack: list[_Element | str | _Output] = list(reversed(element.children))
    while stack:
        item = stack.pop()
        if isinstance(item, _Output):
            parts.append(item.text)
        elif isinstance(item, str):
            parts.append(_collapsed(item))
        elif not skipped(item):
            after = ("\n" if item.tag in _BLOCKS else "") + (" " if item.tag in _CELLS else "")
            stack += [_Output(after), *reversed(item.children), _Output("\n" if item.tag in _BLOCKS else "")]
    return "".join(parts).split("\n")


@dataclass(frozen=True)
class _Output:
    """Text the walk emits between elements (line breaks, cell gaps), as opposed to text from the page."""

    text: str
