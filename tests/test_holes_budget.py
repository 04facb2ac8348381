"""A size budget for what one report adds to the site.

A report's names (title, agency, places, 文号, kind) are repeated on every listing, feed, export,
breadcrumb and search file that shows it, so a long name multiplies through the site: one 5 MB report
with names thousands of characters long once made a 153 MB site. Each field has a length limit
(content.MAX_LENGTH), far above real values; within them, what a report adds to the site is bounded by
a small multiple of its file size plus a constant, measured here on a report at every limit.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from factory import generated_archive, make_project, report_text

from generator.build.content import MAX_LENGTH
from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

# Measured: a report at every limit with 300 KB of text adds 7.1 times its size (2.3 MB for 331 KB),
# most of it the search index of text in which every pair of characters is new; its names alone add
# about 0.25 MB. Without the limits, names a hundred times longer add 30 times the file's size.
FACTOR = 10
CONSTANT = 1024 * 1024
_CHARACTERS = [chr(code) for code in range(0x4E00, 0x9FA5)]


def _site_size(root: Path) -> int:
    return sum(path.stat().st_size for path in (root / "site").rglob("*") if path.is_file())


def _random_text(rng: random.Random, length: int) -> str:
    """Characters in no order: every pair is a new word for the search index, the most it can cost."""
    return "".join(rng.choice(_CHARACTERS) for _ in range(length))


def _body(rng: random.Random, size: int) -> str:
    parts, total = [], 0
    while total < size:
        n = len(parts) + 1
        part = (
            f"## 第{n}部分{_random_text(rng, 20)}\n\n{_random_text(rng, 300)}。\n\n"
            f"| 项目 | 数量 |\n|---|---|\n| {_random_text(rng, 10)} | {n} |\n\n"
        )
        parts.append(part)
        total += len(part.encode())
    return "".join(parts)


def _names(listed: int, shown: int, name: Callable[[int], str]) -> dict[str, object]:
    """Every field at its limit times ``listed`` for the names listings repeat, times ``shown`` for those
    only the report's own page and the exports show; the words come from ``name(length)``."""
    return {
        "title": name(MAX_LENGTH["title"] * listed),
        "agency": name(MAX_LENGTH["agency"] * listed),
        "region": [name(MAX_LENGTH["region"] * listed) for _ in range(4)],
        "doc_number": name(MAX_LENGTH["doc_number"] * listed),
        "index_number": name(MAX_LENGTH["index_number"] * shown),
        "kind": name(MAX_LENGTH["kind"] * listed),
        "source": name(MAX_LENGTH["source"] * shown),
        "source_url": "https://www.example.gov.cn/" + "a" * (MAX_LENGTH["source_url"] * shown - 27),
        "attachments": [name(MAX_LENGTH["attachments"] * shown) for _ in range(3)],
    }


def _growth(tmp_path: Path, report: str) -> tuple[int, int]:
    """(bytes the report adds to a small archive's site, its file size)."""
    ordinary = generated_archive(6)
    without = make_project(tmp_path / "without", ordinary)
    build_site(without)
    with_it = make_project(tmp_path / "with", {**ordinary, "content/2020/big.md": report})
    build_site(with_it)
    return _site_size(with_it) - _site_size(without), len(report.encode())


def test_a_report_at_every_limit_adds_a_bounded_multiple_of_its_size(tmp_path: Path) -> None:
    rng = random.Random(5)
    report = report_text(
        body=_body(rng, 300 * 1024),
        year=2020,
        slug="big",
        date="2021-01-05",
        **_names(1, 1, lambda length: _random_text(rng, length)),
    )
    growth, size = _growth(tmp_path, report)
    assert growth <= FACTOR * size + CONSTANT, f"{growth:,} bytes added by a {size:,}-byte report"


def test_names_beyond_the_limits_are_refused_before_they_multiply(tmp_path: Path) -> None:
    """Long names of real words, a hundred times each limit: refused, or else bounded all the same."""
    report = report_text(
        body="## 一、总体情况\n\n正文。\n",
        year=2020,
        slug="big",
        **_names(100, 2, lambda length: ("某自治州人民政府办公室" * length)[:length]),
    )
    try:
        growth, size = _growth(tmp_path, report)
    except ProblemsFound as found:
        assert sorted({problem.field for problem in found.problems}) == sorted(MAX_LENGTH)
        return
    assert growth <= FACTOR * size + CONSTANT, f"{growth:,} bytes added by a {size:,}-byte report"


@pytest.mark.parametrize("field", sorted(MAX_LENGTH))
def test_each_limit_is_exact_and_named(field: str, tmp_path: Path) -> None:
    limit = MAX_LENGTH[field]
    value = "https://www.example.gov.cn/" + "a" * (limit - 27) if field == "source_url" else "甲" * limit
    listed = {"region": ["某省", value], "attachments": ["附件1", value]}.get(field, value)
    root = make_project(tmp_path / "at", {"content/a.md": report_text(**{field: listed})})
    assert build_site(root).reports == 1
    longer = value + "乙" if field != "source_url" else value + "b"
    listed = {"region": ["某省", longer], "attachments": ["附件1", longer]}.get(field, longer)
    root = make_project(tmp_path / "over", {"content/a.md": report_text(**{field: listed})})
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    [problem] = found.value.problems
    line = next(
        n
        for n, text in enumerate((root / "content/a.md").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith(f"{field}:")
    )
    which = f"item 2 of {field}" if field in ("region", "attachments") else field
    assert (problem.file, problem.line, problem.field) == ("content/a.md", line, field)
    assert (problem.found, problem.expected) == (f"{limit + 1:,} characters", f"at most {limit:,} characters")
    assert problem.message == f"found {longer[:20]!r}…, {limit + 1:,} characters long; {which} may be at most {limit:,}"
    assert problem.hint.startswith(
        f"shorten it to {limit:,} characters or fewer: each name is repeated on every "
        "listing, feed, export and search file"
    )
