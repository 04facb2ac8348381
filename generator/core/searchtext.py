"""What a search matches, defined once: the normalisation of text and queries, and the reference matcher.

A report matches when its normalised searchable text contains every query term. The character table
built here is shipped to the browser, so the served index, the offline scan and this module agree on
every result.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from generator.core.chinese import SCRIPT_CONFIGS, TO_SIMPLIFIED, changed_characters, know_changed

# Document-number brackets in every style become one pair, so 〔2016〕, [2016] and （2016） are one key.
_BRACKETS = {**dict.fromkeys("〔【〖[(", "("), **dict.fromkeys("〕】〗])", ")")}
QUOTES = frozenset('"“”＂')
# Fields of the searchable text are joined by a character that normalised text never contains,
# so no term can match across the end of one field and the start of the next.
FIELD_SEPARATOR = "\n"


# The fold table, kept for the process once made or handed over (see character_tables).
_FOLD: dict[str, str] = {}


def fold_table() -> Mapping[str, str]:
    """Every character that normalisation changes, with what it becomes ("" for whitespace)."""
    if not _FOLD:
        _FOLD.update(_made_fold_table())
    return _FOLD


def _made_fold_table() -> dict[str, str]:
    simplified = changed_characters(TO_SIMPLIFIED)
    table = {}
    for code in range(0x30000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = _fold_char(char, simplified)
        if folded != char:
            table[char] = folded
    return table


def character_tables() -> dict[str, Any]:
    """What normalisation and script detection are made of: OpenCC's changes of each Han character and
    the fold table. Making them goes through every code point, a fifth of a second; a process with the
    same generator code and libraries may take them over instead (know_character_tables)."""
    changed = {config: dict(changed_characters(config)) for config in SCRIPT_CONFIGS}
    return {"changed": changed, "fold": dict(fold_table())}


def know_character_tables(tables: Mapping[str, Any]) -> None:
    """Take the tables of character_tables, made by a process with the same code, rather than make them."""
    know_changed(tables["changed"])
    if not _FOLD:
        _FOLD.update(tables["fold"])


def _fold_char(char: str, simplified: Mapping[str, str]) -> str:
    if char.isspace() or unicodedata.category(char) == "Cf":
        return ""
    char = simplified.get(char, char)
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith("<wide>"):
        char = chr(int(decomposition.split()[1], 16))
    if char.casefold() != char and "LATIN" in unicodedata.name(char, ""):
        char = char.casefold()
    return _BRACKETS.get(char, char)


def view(text: str) -> str:
    """``text`` folded for matching, character for character (whitespace becomes a space)."""
    return text.translate(_view_table())


@lru_cache(maxsize=1)
def _view_table() -> dict[int, str]:
    """The fold table kept to one character for one: what folds to nothing becomes a space, and what
    folds to several characters stays as it is."""
    return {
        ord(char): folded if len(folded) == 1 else " " if folded == "" else char
        for char, folded in fold_table().items()
    }


def whitespace() -> str:
    """The characters that separate query terms."""
    return "".join(char for char, folded in fold_table().items() if folded == "" and char.isspace())


def normalise(text: str) -> str:
    table = fold_table()
    return "".join([table.get(char, char) for char in text])


def parse_query(query: str) -> tuple[str, ...]:
    """Normalised terms: split at whitespace outside quotes; a quoted stretch is one phrase."""
    terms, current, quoted = [], [], False
    for char in query:
        if char in QUOTES:
            quoted = not quoted
        elif char.isspace() and not quoted:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return tuple(dict.fromkeys(term for term in map(normalise, terms) if term))


def searchable_text(fields: Iterable[str]) -> str:
    """Title, agency, region names, 文号 and body, normalised and joined into one text to match against."""
    return FIELD_SEPARATOR.join(normalise(field) for field in fields)


def matches(text: str, terms: Sequence[str]) -> bool:
    """The reference: ``text`` (from searchable_text) contains every term."""
    return all(term in text for term in terms)
