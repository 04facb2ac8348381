"""Markdown → HTML and a table of contents. Pure: the same text always gives the same result.

CommonMark with tables; raw HTML is shown as text, never passed through, and links and images may
only use http, https, mailto or relative addresses. Anything else stays visible as the text written.
An address that starts with // names another host without a scheme; it is rendered as written, so
that the link check (links.py) reports it on its line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

TOC_LEVELS = range(2, 5)
# Parsing costs up to about 15 µs per character that can start Markdown syntax, however the text is
# arranged; a budget of them keeps every report to a few seconds. Reports hold about one per 80 bytes.
MAX_MARKS = 100_000
# How many texts the conversion caches below hold: a large archive, with room for edits. They are keyed
# by the text itself and a conversion is pure, so they can never answer with anything stale: one parse
# serves both a report's page and its search text, and serve converts a text again only when it changes.
# They hold no reports; what a build takes over from the last one is its record (build/state.py).
CACHED_TEXTS = 50_000
_MARK = re.compile(r"[\n|*_`\[\]!<>#\-+&\\~=:.()]")

_INLINE_SYNTAX = re.compile(r"([\\`*_]|<(?=[A-Za-z/!?])|&(?=#?\w+;))")
# Brackets make a link only as [text](url), [text][label] or a [label]: definition.
_LINK_SYNTAX = re.compile(r"\]\s*[(\[:]")
# Line starts that open a block: heading, quote, list item, thematic break.
_BLOCK_START = re.compile(r"^(#|>|[-+=](?=\s|$)|-{3,}|\d{1,9}(?=[.)](\s|$)))")
# The scheme of an absolute address (RFC 3986): what sets `https://…` or `javascript:…` apart from a relative one.
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What stands where a passage was deleted before release: 〔此处删减〕, 〔此处删减：reason〕.
_PLACEHOLDER = re.compile(r"〔此[处處][删刪][减減](?:：[^〕]*)?〕")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.validateLink = _allowed_link
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", _table_close)
    return parser


# A table wider than the text scrolls inside its own box, which a keyboard can reach to scroll it.
_SCROLL_BOX = '<div class="table-scroll" tabindex="0">\n'


def _table_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return _SCROLL_BOX + self.renderToken(tokens, idx, options, env)


def _table_close(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _allowed_link(url: str) -> bool:
    """markdown-it's own check lets data: images and ftp: through; a report needs neither."""
    scheme = SCHEME.match(url)
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


# A table row as a reader sees it: its line in the text (from 0) and the text of each cell.
TableRow = tuple[int, tuple[str, ...]]
# A cell divider in a table row's source: a | that no backslash escapes.
_DIVIDER = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Converted:
    rendered: Rendered
    plain: str
    # The text's tables, each its rows in order: read from the same parse, for the figures of the
    # national template's tables (generator.statistics).
    tables: tuple[tuple[TableRow, ...], ...] = ()


# Conversions made by other processes (a build parses many files in several), until convert takes them.
_made_elsewhere: dict[str, Converted] = {}


# Keyed by the text itself (see CACHED_TEXTS).
@lru_cache(maxsize=CACHED_TEXTS)
def convert(text: str) -> Converted:
    """One parse gives both what a page shows and what search reads."""
    made = _made_elsewhere.pop(text, None)
    if made is not None:
        return made
    tokens = _parser().parse(text)
    plain = _plain(tokens)
    tables = _tables(tokens, text)
    return Converted(_render(tokens, ()), plain, tables)


def remember(text: str, converted: Converted) -> None:
    """Take the conversion of ``text`` that another process made as this one's own: rendering the page
    then parses nothing again."""
    _made_elsewhere[text] = converted
    convert(text)


def render_markdown(text: str, links: tuple[tuple[str, str], ...] = ()) -> Rendered:
    """``links`` are (words, address) pairs: the words, wherever the text has them outside a link,
    become a link to the address (文号 of other reports in the archive)."""
    return _render_linked(text, links) if links else convert(text).rendered


@lru_cache(maxsize=CACHED_TEXTS)
def _render_linked(text: str, links: tuple[tuple[str, str], ...]) -> Rendered:
    return _render(_parser().parse(text), links)


def _render(tokens: list[Token], links: tuple[tuple[str, str], ...]) -> Rendered:
    _demote_headings(tokens)
    toc = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            # Positional anchors: Chinese headings give no useful ASCII slug, and ids stay stable.
            anchor = f"s{len(toc) + 1}"
            token.attrSet("id", anchor)
            inline = tokens[index + 1]
            words = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
            toc.append(Heading(int(token.tag[1]), words, anchor))
    _wrap(tokens, _PLACEHOLDER, lambda _: '<span class="redaction">', "</span>", in_links=True)
    if links:
        addresses = dict(links)
        words = re.compile("|".join(re.escape(w) for w in sorted(addresses, key=len, reverse=True)))
        _wrap(
            tokens,
            words,
            lambda found: f'<a class="citation" href="{html.escape(addresses[found])}">',
            "</a>",
            in_links=False,
        )
    parser = _parser()
    html_text = parser.renderer.render(tokens, parser.options, {})
    return Rendered(html_text, tuple(h for h in toc if h.level in TOC_LEVELS))


def marks(text: str) -> int:
    """How many characters of ``text`` could start Markdown syntax: what parsing it costs."""
    return len(_MARK.findall(text))


def mark_at(text: str, number: int) -> int:
    """Where in ``text`` the ``number``-th (from 1) of its marks stands; the end of ``text`` if it has fewer."""
    found = next(islice(_MARK.finditer(text), number - 1, None), None)
    return found.start() if found else len(text)


def escape_line(line: str) -> str:
    """Markdown for one line of plain text that renders as exactly that text (a paragraph or heading)."""
    escaped = _INLINE_SYNTAX.sub(r"\\\1", line)
    if _LINK_SYNTAX.search(escaped):
        escaped = re.sub(r"([\[\]])", r"\\\1", escaped)
    start = _BLOCK_START.match(escaped)
    if start:
        at = start.end() if start.group().isdigit() else 0
        escaped = f"{escaped[:at]}\\{escaped[at:]}"
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


def plain_text(text: str) -> str:
    """The text a reader sees on the page, one block per line: what search matches and quotes."""
    return convert(text).plain


def _plain(tokens: list[Token]) -> str:
    lines = []
    for token in tokens:
        if token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
        elif token.type == "inline":
            lines.append("".join(_inline_text(child) for child in token.children or ()))
    return "\n".join(line for line in lines if line)


def _tables(tokens: list[Token], text: str) -> tuple[tuple[TableRow, ...], ...]:
    tables: list[tuple[TableRow, ...]] = []
    rows: list[TableRow] = []
    cells: list[str] = []
    line, in_cell = 0, False
    for token in tokens:
        if token.type == "tr_open":
            line, cells = token.map[0] if token.map else line, []
        elif token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        elif token.type == "inline" and in_cell:
            cells.append("".join(_inline_text(child) for child in token.children or ()).strip())
        elif token.type == "tr_close":
            rows.append((line, tuple(cells)))
        elif token.type == "table_close":
            tables.append(tuple(rows))
            rows = []
    if not tables:
        return ()
    lines = text.split("\n")
    return tuple(tuple((at, _as_written(lines[at], cells)) for at, cells in table) for table in tables)


def _as_written(source: str, shown: tuple[str, ...]) -> tuple[str, ...]:
    """A row's cells as its line writes them. A reader is shown as many cells as the table's header
    has: a shorter row is filled out with empty cells, and a longer one cut short, though the report
    holds the cells beyond (a table copied from a PDF often has a shorter header than its rows).
    Where a cell stands in the template's order depends on both. Only a row whose line starts with a
    divider is read again (inside a quote or a list the line's start is not the row's); for another,
    the empty cells it ends in are left out, as they may be filling."""
    source = source.strip()
    if not source.startswith("|"):
        cells = list(shown)
        while cells and not cells[-1]:
            cells.pop()
        return tuple(cells)
    written = _DIVIDER.split(source[1:].removesuffix("|") if source.endswith("|") and len(source) > 1 else source[1:])
    if len(written) <= len(shown):
        return shown[: len(written)]
    return shown + tuple(cell.strip() for cell in written[len(shown) :])


def _inline_text(token: Token) -> str:
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    # An image shows its description where it cannot load; the description is what search can find.
    return token.content if token.type in ("text", "code_inline", "image") else ""


def _wrap(
    tokens: list[Token], pattern: re.Pattern[str], opening: Callable[[str], str], closing: str, in_links: bool
) -> None:
    """Wrap each match of ``pattern`` in running text in markup: deletion placeholders in a span, so
    readers can tell them from the report's words; cited 文号 in a link (not inside another link)."""
    for token in tokens:
        if token.type == "inline" and token.children:
            children, depth = [], 0
            for child in token.children:
                depth += (child.type == "link_open") - (child.type == "link_close")
                wrap = child.type == "text" and (in_links or depth == 0) and pattern.search(child.content)
                children += _split(child.content, pattern, opening, closing) if wrap else [child]
            token.children = children


def _split(text: str, pattern: re.Pattern[str], opening: Callable[[str], str], closing: str) -> list[Token]:
    pieces, at = [], 0
    for found in pattern.finditer(text):
        pieces += [
            Token("text", "", 0, content=text[at : found.start()]),
            Token("html_inline", "", 0, content=opening(found[0])),
            Token("text", "", 0, content=found[0]),
            Token("html_inline", "", 0, content=closing),
        ]
        at = found.end()
    return [*pieces, Token("text", "", 0, content=text[at:])]


def _demote_headings(tokens: list[Token]) -> None:
    """The page title is the only <h1>: a body that starts its sections at `#` is shifted down one level."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if levels and min(levels) == 1:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
