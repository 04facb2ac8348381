"""A failed build's problems as the preview shows them over the page: where, what, how to fix, and the
lines of the file around the one at fault, so that the mistake can be seen without opening the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.core.config import theme_dir
from generator.core.problems import Problem

# Lines shown before and after the one at fault.
AROUND = 2
# A line longer than this (a paragraph of a report is one line) is cut: the overlay shows where, not all.
LINE_CHARS = 240
_THEME = "theme:"


def problem_view(problem: Problem, root: Path) -> dict[str, Any]:
    """What the overlay shows of one problem, as JSON. Text stays text: the page escapes it."""
    where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return {
        "where": where,
        "message": message,
        "hint": problem.hint,
        "excerpt": excerpt(source_file(problem.file, root), problem.line) if problem.line else [],
    }


def source_file(shown: str, root: Path) -> Path:
    """The file a problem names the way shown_path writes it: from the project folder, from the
    built-in theme (theme:report.html), or absolute."""
    if shown.startswith(_THEME):
        return theme_dir() / shown.removeprefix(_THEME)
    path = Path(shown)
    return path if path.is_absolute() else root / path


def excerpt(path: Path, line: int, around: int = AROUND) -> list[dict[str, Any]]:
    """The lines from ``line - around`` to ``line + around`` that the file has, each with its number and
    whether it is the one at fault; none when the file cannot be read (it may be gone since)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    lines = text.splitlines()
    first, last = max(1, line - around), min(len(lines), line + around)
    return [
        {"number": number, "text": _cut(lines[number - 1]), "failing": number == line}
        for number in range(first, last + 1)
    ]


def _cut(text: str) -> str:
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"
