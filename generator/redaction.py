"""删减 markup: passages deleted before release are cut out of a report's text as it is loaded.

A passage is marked ``[删减]…[/删减]``, or ``[删减：reason]…[/删减]`` to state why. The markers may use
any of the brackets [] 【】 〔〕 ［］, may be written 刪減, and may sit inside a line or span paragraphs.
The passage is replaced by a placeholder, 〔此处删减〕 or 〔此处删减：reason〕, before any other stage
sees the text, so nothing later can publish it. The line breaks of the passage stay, so paragraphs
keep their shape and every line after it keeps its number in messages. A marker that does not pair up
is an error, never a guess: a guessed end could publish the rest of a deleted passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.chinese import to_script
from generator.markdown import escape_line
from generator.problems import Problem

_OPEN, _CLOSE = "[\\[【〔［]", "[\\]】〕］]"
MARKER = re.compile(
    rf"{_OPEN}\s*(?P<end>[/／])?\s*(?:删减|刪減)\s*(?:[:：]\s*(?P<reason>[^\]】〕］\n]*?)\s*)?{_CLOSE}")
SYNTAX = "[删减]…[/删减]"


@dataclass(frozen=True)
class Redacted:
    text: str
    count: int
    problems: tuple[Problem, ...]


def redact(text: str, language: str, shown_as: str, first_line: int) -> Redacted:
    """``text`` with each marked passage replaced by its placeholder; lines count from ``first_line``."""
    pieces: list[str] = []
    problems: list[Problem] = []
    opened: re.Match[str] | None = None
    opened_line, count, kept_from = 0, 0, 0
    line, counted_to = first_line, 0
    for marker in MARKER.finditer(text):
        line += text.count("\n", counted_to, marker.start())
        counted_to = marker.start()
        if marker["end"] and opened is None:
            problems.append(Problem(shown_as, line, None, f"found {marker[0]} with no opening [删减] before it",
                                    f"mark the deleted passage as {SYNTAX}, or remove the stray marker"))
        elif marker["end"] and opened is not None:
            pieces.append(placeholder(opened["reason"], language) + "\n" * (line - opened_line))
            opened, count, kept_from = None, count + 1, marker.end()
        elif opened is not None:
            problems.append(Problem(shown_as, line, None, f"found {marker[0]} inside the passage opened on line "
                                    f"{opened_line}", "close each passage with [/删减] before opening the next"))
        else:
            pieces.append(text[kept_from:marker.start()])
            opened, opened_line = marker, line
    if opened is not None:
        problems.append(Problem(shown_as, opened_line, None, f"the passage opened with {opened[0]} is never closed",
                                "add [/删减] where the deleted passage ends"))
    pieces.append(text[kept_from:])
    return Redacted("".join(pieces), count, tuple(problems))


def placeholder(reason: str | None, language: str) -> str:
    """What readers see instead of a deleted passage, as Markdown that renders as exactly that text."""
    words = to_script("此处删减", language)
    return escape_line(f"〔{words}：{reason}〕" if reason else f"〔{words}〕")
