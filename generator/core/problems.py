"""Problems found in a project, reported to people all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with the input: where it is, what was found, what was expected, how to fix it.

    ``message`` is the sentence a person reads; ``found`` and ``expected``, when the message states
    them, are the same facts on their own, for programs reading ``gongkai check --format json``.
    """

    # The file, as shown_path (generator.core.config) names it: relative to the project folder when it is
    # inside it (content/a.md), theme:report.html for the built-in theme's, else absolute.
    file: str
    line: int | None = None
    field: str | None = None
    message: str
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    @property
    def sort_key(self) -> tuple:
        """The order problems are listed in: by file; in a file, those without a line first, then by line,
        field and message. Every field takes part, so the order never depends on the order found."""
        return (
            self.file,
            *_absent_first(self.line, 0),
            *_absent_first(self.field, ""),
            self.message,
            *_absent_first(self.found, ""),
            *_absent_first(self.expected, ""),
            *_absent_first(self.hint, ""),
        )

    def __lt__(self, other: Problem) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.sort_key < other.sort_key


def _absent_first(value: object, stand_in: object) -> tuple[bool, object]:
    """A value that sorts after any missing one, and never against None."""
    return (value is not None, stand_in if value is None else value)


def shown_value(value: object) -> str:
    """A value read from a file, for ``Problem.found``: text as it is, anything else as Python writes it."""
    return value if isinstance(value, str) else repr(value)


class ProblemsFound(Exception):
    """Raised at a stage boundary when a stage collected problems; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsFound(problems)
