"""删减 markup: passages deleted before release are cut out of a report's text as it is loaded.

A passage is marked ``[删减]…[/删减]``, or ``[删减：reason]…[/删减]`` to state why. The markers may use
any of the brackets [] 【】 〔〕 ［］, may be written 刪減, and may sit inside a line or span paragraphs.
The passage is replaced by a placeholder, 〔此处删减〕 or 〔此处删减：reason〕, before any other stage
sees the text, so nothing later can publish it. The placeholder stands alone, without the passage's line
breaks: a passage of one line and one of seven leave the same text, even inside a code block, where every
line break would show. Messages still name file lines, through the record of where lines were cut.

A marker that does not pair up is an error, never a guess: a guessed end could publish the rest of a
deleted passage. So is text that looks like a marker but is not one, such as 〖删减〗, （删除）, [刪减] or
[删<U+200B>减] (a zero-width space inside): whoever wrote it meant a passage to be deleted, and it would
be published.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.chinese import to_script
from generator.core.markdown import escape_line
from generator.core.problems import Problem

_OPEN, _CLOSE = "[\\[【〔［]", "[\\]】〕］]"
MARKER = re.compile(rf"{_OPEN}\s*(?P<end>[/／])?\s*(?:删减|刪減)\s*(?:[:：]\s*(?P<reason>[^\]】〕］\n]*?)\s*)?{_CLOSE}")
SYNTAX = "[删减]…[/删减]"


@dataclass(frozen=True)
class Redacted:
    text: str
    count: int
    problems: tuple[Problem, ...]
    # (offset in ``text`` just after a placeholder, lines cut out up to there), in order.
    cuts: tuple[tuple[int, int], ...] = ()

    def lines_cut(self, offset: int) -> int:
        """How many lines of the original text were cut out before ``offset`` of ``text``."""
        at = bisect_right(self.cuts, (offset, float("inf")))
        return self.cuts[at - 1][1] if at else 0

    def line_of(self, offset: int, first_line: int) -> int:
        """The original line of what ``text`` holds at ``offset``, lines counting from ``first_line``."""
        return first_line + self.text.count("\n", 0, offset) + self.lines_cut(offset)


def redact(text: str, language: str, shown_as: str, first_line: int) -> Redacted:
    """``text`` with each marked passage replaced by its placeholder; lines count from ``first_line``."""
    pieces: list[str] = []
    problems: list[Problem] = [
        near_miss_problem(shown_as, first_line + text.count("\n", 0, at), found) for at, found in near_misses(text)
    ]
    cuts: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    opened_line, kept_from, length, cut = 0, 0, 0, 0
    line, counted_to = first_line, 0
    for marker in MARKER.finditer(text):
        line += text.count("\n", counted_to, marker.start())
        counted_to = marker.start()
        if marker["end"] and opened is None:
            problems.append(
                Problem(
                    file=shown_as,
                    line=line,
                    message=f"found {marker[0]} with no opening [删减] before it",
                    found=marker[0],
                    expected="an opening [删减] before it",
                    hint=f"mark the deleted passage as {SYNTAX}, or remove the stray marker",
                )
            )
        elif marker["end"] and opened is not None:
            pieces.append(placeholder(opened["reason"], language))
            length += len(pieces[-1])
            cut += text.count("\n", opened.start(), marker.end())
            cuts.append((length, cut))
            opened, kept_from = None, marker.end()
        elif opened is not None:
            problems.append(
                Problem(
                    file=shown_as,
                    line=line,
                    message=f"found {marker[0]} inside the passage opened on line {opened_line}",
                    found=marker[0],
                    expected=f"[/删减] closing the passage opened on line {opened_line}",
                    hint="close each passage with [/删减] before opening the next",
                )
            )
        else:
            pieces.append(text[kept_from : marker.start()])
            length += len(pieces[-1])
            opened, opened_line = marker, line
    if opened is not None:
        problems.append(
            Problem(
                file=shown_as,
                line=opened_line,
                message=f"the passage opened with {opened[0]} is never closed",
                expected="[/删减] where the deleted passage ends",
                hint="add [/删减] where the deleted passage ends",
            )
        )
    pieces.append(text[kept_from:])
    return Redacted("".join(pieces), len(cuts), tuple(problems), tuple(cuts))


def placeholder(reason: str | None, language: str) -> str:
    """What readers see instead of a deleted passage, as Markdown that renders as exactly that text."""
    words = to_script("此处删减", language)
    return escape_line(f"〔{words}：{reason}〕" if reason else f"〔{words}〕")


# Near misses: a bracket of any kind, the word 删减, 删除 or 删节 in either script or a mix of both, and a
# closing bracket, with nothing between them but invisible characters, spaces, slashes or a ：reason.
# Without both brackets it is prose (对已删除的信息, 删减了部分内容, “删减后公开”), so it is left alone.
_FIRST, _SECOND = "删刪", "减減除节節"
_FIRST_CHAR = re.compile(f"[{_FIRST}]")
_SLASHES = "/／\\＼⁄∕⧸"
_REASON = ":："
# Brackets Unicode does not class as opening (Ps) or closing (Pe) punctuation.
_MORE_OPENERS, _MORE_CLOSERS = "<＜﹤‹«", ">＞﹥›»"
# Characters that show as nothing or as a space: format characters (zero-width space and joiners, BOM,
# soft hyphen, direction marks), combining marks, controls, spaces, and the Hangul fillers and blank
# braille pattern, which are letters that print as a blank.
_INVISIBLE_KINDS = frozenset({"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"})
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
_MAX_GAP = 8
_MAX_REASON = 100


def near_misses(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each stretch of ``text`` that looks like a 删减 marker but is not one."""
    valid = [span for found in MARKER.finditer(text) for span in found.span()]
    for first in _FIRST_CHAR.finditer(text):
        if bisect_right(valid, first.start()) % 2:
            continue  # part of a real marker
        span = _marker_like(text, first.start())
        if span:
            yield span[0], text[span[0] : span[1]]


def _marker_like(text: str, at: int) -> tuple[int, int] | None:
    """The span of the bracketed marker-like text whose word starts at ``at``, if there is one."""
    start = _skip(text, at - 1, -1)
    if start < 0 or not _opens(text[start]):
        return None
    end = _skip(text, at + 1, 1, slashes=False)
    if end >= len(text) or text[end] not in _SECOND:
        return None
    end = _skip(text, end + 1, 1)
    if end < len(text) and text[end] in _REASON:
        end = next(
            (i for i in range(end + 1, min(end + 1 + _MAX_REASON, len(text))) if text[i] == "\n" or _closes(text[i])),
            len(text),
        )
    return (start, end + 1) if end < len(text) and _closes(text[end]) else None


def _skip(text: str, at: int, step: int, slashes: bool = True) -> int:
    """The first position from ``at`` in the direction of ``step`` that is not a gap a marker could hide."""
    for _ in range(_MAX_GAP):
        if not 0 <= at < len(text) or not (_invisible(text[at]) or (slashes and text[at] in _SLASHES)):
            break
        at += step
    return at


def _invisible(char: str) -> bool:
    return char != "\n" and (unicodedata.category(char) in _INVISIBLE_KINDS or char in _BLANK_LETTERS)


def _opens(char: str) -> bool:
    return unicodedata.category(char) == "Ps" or char in _MORE_OPENERS


def _closes(char: str) -> bool:
    return unicodedata.category(char) == "Pe" or char in _MORE_CLOSERS


_VALID = (
    "[删减], [删减：reason] or [/删减] in the brackets [] 【】 〔〕 ［］ (刪減 in Traditional), "
    "with nothing else inside"
)
_OWN_WORDS = (
    "retype it as a marker if it marks a deleted passage; if the brackets are the report's own words, "
    "write the opening one as a character reference (e.g. &#xFF08; for （) so it cannot be taken for one"
)


def near_miss_problem(shown_as: str, line: int | None, found: str, field: str | None = None) -> Problem:
    """``found`` looks like a 删减 marker; in a front-matter ``field`` it is refused whatever it is."""
    hint = _OWN_WORDS if field is None else f"write `{field}:` without it; 删减 markup works only in the report text"
    return Problem(
        file=shown_as,
        line=line,
        field=field,
        message=f"found {visible(found)}, which looks like a 删减 "
        f"marker but is not one, so what it marks would be published; a marker is {_VALID}",
        found=visible(found),
        expected=_VALID,
        hint=hint,
    )


def visible(text: str) -> str:
    """``text`` with the characters that show as nothing written as <U+200B> and the like."""
    return "".join(f"<U+{ord(c):04X}>" if c != " " and _invisible(c) else c for c in text)
