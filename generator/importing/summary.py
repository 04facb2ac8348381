"""What `gongkai import` tells people: the dry-run table, the summary of what needs a look, the CSV."""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.core.problems import Problem
from generator.importing.fields import FIELDS, HIGH, LOW, MEDIUM, NONE
from generator.importing.importer import DUPLICATE, EXISTS, REQUIRED, UNCHANGED, Imported, review_reasons

_TABLE_COLUMNS = ("title", "agency", "region", "year", "doc_number", "date", "kind")
_COLUMN_WIDTH = 24
_TARGET_WIDTH = 72


@dataclass(frozen=True)
class Look:
    """One thing a person should check."""

    source: str
    target: str
    field: str
    value: str
    confidence: str
    note: str


def looks(items: Iterable[Imported], problems: Iterable[Problem]) -> list[Look]:
    """Refused and skipped files, unsure or missing fields, repairs and guesses."""
    rows = [
        Look(p.file, "", "file", "", "refused", f"{f'line {p.line}: ' if p.line else ''}{p.message} ({p.hint})")
        for p in problems
    ]
    for item in items:
        target = item.target.as_posix()
        if item.status == EXISTS:
            rows.append(
                Look(
                    item.source.shown_as,
                    target,
                    "file",
                    "",
                    "skipped",
                    "a different file is already there; --force overwrites it",
                )
            )
        if item.status in (EXISTS, UNCHANGED, DUPLICATE):
            continue
        for name in FIELDS:
            found = item.extraction.fields[name]
            if found.confidence == LOW or (found.confidence == NONE and name in REQUIRED):
                rows.append(Look(item.source.shown_as, target, name, _shown(found.value), found.confidence, found.note))
        rows += [
            Look(item.source.shown_as, target, "text", "", "warning", warning) for warning in item.extraction.warnings
        ]
        reasons = review_reasons(item.extraction)
        if reasons:
            note = f"written as a draft ({'; '.join(reasons)}): published once `draft: true` is removed"
            rows.append(Look(item.source.shown_as, target, "draft", "", "review", note))
    return rows


def _shown(value: str | tuple[str, ...] | None) -> str:
    return " › ".join(value) if isinstance(value, tuple) else value or ""


def write_csv(rows: list[Look], path: Path) -> None:
    # With a BOM, spreadsheet programs open the Chinese text as UTF-8.
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source", "target", "field", "value", "confidence", "note"])
        writer.writerows([r.source, r.target, r.field, r.value, r.confidence, r.note] for r in rows)


def summary(items: list[Imported], problems: list[Problem], rows: list[Look], dry_run: bool) -> list[str]:
    counts = Counter(item.status for item in items)
    done = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    lines = [
        f"{'Would import' if dry_run else 'Imported'} {_files(len(items) + len(problems))}: "
        f"{done or 'nothing'}{f', {len(problems)} refused' if problems else ''}."
    ]
    new = [item for item in items if item.status not in (EXISTS, UNCHANGED, DUPLICATE)]
    lines += _confidence_table(new)
    drafts = sum(1 for item in new if review_reasons(item.extraction))
    if drafts:
        lines.append(
            f"{_files(drafts)} {'would be' if dry_run else 'was' if drafts == 1 else 'were'} written as drafts "
            "(`draft: true`): not published until checked; `gongkai check` lists what to fix in each."
        )
    rows = [row for row in rows if row.confidence != "refused"]  # printed as errors instead
    if rows:
        lines.append(f"Needs a human look ({len(rows)}):")
        by_file: dict[tuple[str, str], list[Look]] = {}
        for row in rows:
            by_file.setdefault((row.source, row.target), []).append(row)
        for (source, target), found in by_file.items():
            lines.append(f"  {source}" + (f" → {target}" if target else ""))
            lines += [
                f"    {row.field} ({row.confidence}){': ' + row.value if row.value else ''} — {row.note}"
                for row in found
            ]
    return lines


def _confidence_table(items: list[Imported]) -> list[str]:
    """How many of the reports each field was found for, at each confidence: where to look first."""
    if len(items) < 2:
        return []
    lines = ["Fields found (high / medium / low / none):"]
    for name in _TABLE_COLUMNS:
        counts = Counter(item.extraction.fields[name].confidence for item in items)
        lines.append(f"  {name:<10} " + " / ".join(f"{counts[level]:>4}" for level in (HIGH, MEDIUM, LOW, NONE)))
    return lines


def table(items: list[Imported]) -> list[str]:
    """One row per file that would be written, for --dry-run."""
    header = ["status", "target", *_TABLE_COLUMNS]
    body = [
        [item.status, item.target.as_posix(), *(_shown(item.extraction.fields[name].value) for name in _TABLE_COLUMNS)]
        for item in items
    ]
    caps = [_COLUMN_WIDTH, _TARGET_WIDTH, *[_COLUMN_WIDTH] * len(_TABLE_COLUMNS)]
    widths = [min(cap, max(_width(row[i]) for row in [header, *body])) for i, cap in enumerate(caps)]
    return [
        "  ".join(_cell(value, width) for value, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(text: str, width: int) -> str:
    """``text`` cut with … and padded to ``width`` terminal columns (Chinese characters take two)."""
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _files(count: int) -> str:
    return "1 file" if count == 1 else f"{count} files"
