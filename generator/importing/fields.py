"""A field read from a raw report: its value, how sure the reading is, and what it was read from."""

from __future__ import annotations

from dataclasses import dataclass

HIGH, MEDIUM, LOW, NONE = "high", "medium", "low", "none"
LEVELS = (NONE, LOW, MEDIUM, HIGH)
FIELDS = (
    "title",
    "agency",
    "region",
    "year",
    "doc_number",
    "index_number",
    "date",
    "published",
    "disclosure",
    "kind",
    "source",
    "source_url",
    "language",
)


@dataclass(frozen=True)
class Field:
    value: str | tuple[str, ...] | None
    confidence: str
    note: str = ""
