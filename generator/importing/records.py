"""Scrapers' tables: CSV, JSON (a list of objects) and JSON Lines, one report per row.

The columns say what they hold: named with ``--columns title=标题,date=时间,body=内容``, or recognised by
the names scrapers give them (标题, 内容, 原文链接 …). What a column gives is evidence at ``high``
confidence; the text of the body gives the rest, as for any raw report.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.core.problems import Problem
from generator.importing.decoding import decode
from generator.importing.fields import FIELDS
from generator.importing.htmltext import html_to_text

SUFFIXES = (".csv", ".json", ".jsonl")
# Fields a column may give, and the body: what the text decides (its 公开属性, kind and script) it alone says.
COLUMN_FIELDS = (*(name for name in FIELDS if name not in ("disclosure", "kind", "language")), "body")
# Column names scrapers use, for a field ``--columns`` does not name. A page's 发布时间 is not the date a
# report was signed: it is when the page was published, and no column is taken for the date signed unless
# it is named.
_KNOWN = {
    "title": ("标题", "文章标题", "title"),
    "body": ("内容", "正文", "全文", "content", "body", "text", "html"),
    "agency": ("发布机构", "发文机关", "发文机构", "agency"),
    "doc_number": ("文号", "发文字号", "doc_number"),
    "index_number": ("索引号", "index_number"),
    "published": ("发布日期", "发布时间", "公开日期", "published"),
    "source": ("来源", "source"),
    "source_url": ("原文链接", "原文地址", "访问地址", "链接", "url", "link", "source_url"),
    "region": ("地区", "region"),
    "year": ("年度", "year"),
}
_HTML = re.compile(r"<(p|div|br|span|table|td|tr|font|strong|a|img|h\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """One row: where it is (``data.csv#3``), its text, what its columns give, and a digest of the row."""

    shown_as: str
    text: str
    given: Mapping[str, str]
    sha256: str


class BadTable(Exception):
    """The table cannot be read, or lacks a column it needs."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def parse_columns(value: str) -> dict[str, str]:
    """``title=标题,date=时间`` → {"title": "标题", "date": "时间"}; raises BadTable on a field no one knows."""
    columns = {}
    for pair in filter(None, (part.strip() for part in value.split(","))):
        field, _, column = pair.partition("=")
        if field.strip() not in COLUMN_FIELDS or not column.strip():
            raise BadTable(
                f"--columns: {pair!r} is not field=column",
                f"name fields among {', '.join(COLUMN_FIELDS)}, e.g. --columns title=标题,body=内容",
            )
        columns[field.strip()] = column.strip()
    return columns


def read_records(
    path: Path, shown_as: str, columns: Mapping[str, str], encoding: str | None
) -> tuple[list[Record], list[Problem], str]:
    """Every row of the table at ``path`` with a text, the rows without one as problems, and how the file
    was decoded; raises BadTable, or Undecodable for bytes that are not text."""
    decoded = decode(path.read_bytes(), encoding)
    rows = _rows(decoded.text, path.suffix.lower())
    names = list(dict.fromkeys(name for row in rows for name in row))
    chosen = _chosen(columns, names)
    records, problems = [], []
    for number, row in enumerate(rows, start=1):
        record = _record(row, number, chosen, shown_as)
        if record.text.strip():
            records.append(record)
        else:
            problems.append(
                Problem(
                    file=record.shown_as,
                    field="body",
                    message=f"row {number} has no text in column {chosen['body']}",
                    hint="fill in the report's text, or leave the row out",
                )
            )
    return records, problems, f"{decoded.encoding} ({decoded.how})"


def _rows(text: str, suffix: str) -> list[dict[str, object]]:
    try:
        if suffix == ".csv":
            return list(csv.DictReader(io.StringIO(text)))
        if suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            rows = json.loads(text)
    except (csv.Error, json.JSONDecodeError) as err:
        raise BadTable(f"is not a readable {suffix[1:]} table: {err}", "export the table again") from err
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise BadTable(
            "is not a list of records",
            "a JSON file must hold a list of objects, a JSON Lines file one object per line",
        )
    return rows


def _chosen(columns: Mapping[str, str], names: list[str]) -> dict[str, str]:
    """The column each field is read from: as named, else recognised by its name."""
    missing = [column for column in columns.values() if column not in names]
    if missing:
        raise BadTable(
            f"has no column {', '.join(missing)}",
            f"its columns are {', '.join(names) or 'none'}; name them with --columns",
        )
    chosen = dict(columns)
    for field, known in _KNOWN.items():
        if field not in chosen:
            found = next((name for name in names if name.strip().lower() in known), None)
            if found:
                chosen[field] = found
    if "body" not in chosen:
        raise BadTable(
            "has no column for the report's text",
            f"its columns are {', '.join(names) or 'none'}; name the text's with --columns body=…",
        )
    return chosen


def _record(row: Mapping[str, object], number: int, chosen: Mapping[str, str], shown_as: str) -> Record:
    values = {field: _text(row.get(column)) for field, column in chosen.items()}
    body = values.pop("body")
    canonical = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
    return Record(
        f"{shown_as}#{number}",
        html_to_text(body) if _HTML.search(body) else body,
        {field: value for field, value in values.items() if value},
        hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value)
