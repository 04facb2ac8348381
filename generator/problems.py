"""Problems found in a project, reported to people all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
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


class ProblemsFound(Exception):
    """Raised at a stage boundary when a stage collected problems; nothing has been written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsFound(problems)
