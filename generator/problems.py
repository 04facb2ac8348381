"""Problems found in a project, reported to people all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found, how to fix it."""

    path: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    @property
    def sort_key(self) -> tuple:
        """The order problems are listed in: by file; in a file, those without a line first, then by line,
        field and message. Every field takes part, so the order never depends on the order found."""
        return (self.path, *_absent_first(self.line, 0), *_absent_first(self.field, ""), self.message,
                *_absent_first(self.hint, ""))

    def __lt__(self, other: Problem) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.sort_key < other.sort_key


def _absent_first(value: object, stand_in: object) -> tuple[bool, object]:
    """A value that sorts after any missing one, and never against None."""
    return (value is not None, stand_in if value is None else value)


class ProblemsFound(Exception):
    """Raised at a stage boundary when a stage collected problems; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsFound(problems)
