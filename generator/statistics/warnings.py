"""The sums a report's template tables break, told as warnings: found beside the problems, never
stopping a build unless it is asked to be strict."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.core.problems import Problem
from generator.statistics.model import Broken, Statistics, shown

_EXPECTED = "equal sides, as the template's arithmetic (勾稽关系) requires"
_HINT = (
    "compare the table with the report as published: a figure misread or mistyped breaks the sum; "
    "if the published report itself does not add up, leave its figures as they are"
)


def template_warnings(
    reports: Iterable[tuple[str, Statistics | None]], content_file: Callable[[str], str]
) -> tuple[Problem, ...]:
    """One warning for each sum broken in the template tables of ``reports`` (each its id and figures),
    in the order problems are listed."""
    return tuple(
        sorted(
            warning(content_file(report_id), broken)
            for report_id, statistics in reports
            if statistics
            for broken in statistics.broken
        )
    )


def warning(file: str, broken: Broken) -> Problem:
    return Problem(
        file=file,
        line=broken.line,
        field=broken.rule,
        message=broken.text,
        found=f"{shown(broken.left)} and {shown(broken.right)}",
        expected=_EXPECTED,
        hint=_HINT,
    )
