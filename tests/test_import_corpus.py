"""The importer on real raw reports (tests/fixtures/corpus, labelled in corpus-truth.csv): what it
reads of each field, scored the way the archive is judged, and the rule that no text is lost unseen."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from factory import make_project

from generator.importing.extract import MIN_KEPT_SHARE, Extraction, extract
from generator.importing.importer import Source, find_sources, import_files, read_source
from generator.importing.rawtext import MAX_NOISE_LINE
from generator.pipeline import build_site, check_site

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
ROWS = list(csv.DictReader((FIXTURES / "corpus-truth.csv").open(encoding="utf-8")))
# What the importer reads right today, per field: a change that reads less fails here. The aim is
# 90% for each field and 95% for the year.
FLOORS = {"title": 0.97, "agency": 0.96, "region": 0.95, "year": 1.0, "date": 1.0}
# A metadata header's row is longer than a line of page furniture, but bounded too.
MAX_HEADER_ROW = 200


def _extraction(name: str) -> Extraction:
    path = CORPUS / Path(name).name
    text, _, _ = read_source(Source(path, path.name), None)
    return extract(text)


def _compact(value: object) -> str:
    return re.sub(r"\s", "", value if isinstance(value, str) else "")


def _right(field: str, truth: str, found: object) -> bool:
    if field == "region":
        path = truth.split("/")
        return found is not None and (list(found) == path or path[-1] in found)
    if field == "date":
        return isinstance(found, str) and found[:10] == truth[:10]
    return _compact(found) == _compact(truth)


def _scores() -> dict[str, tuple[int, int]]:
    scores = {field: (0, 0) for field in FLOORS}
    for row in ROWS:
        fields = _extraction(row["file"]).fields
        for field in FLOORS:
            if row[field]:
                right, asked = scores[field]
                scores[field] = (right + _right(field, row[field], fields[field].value), asked + 1)
    return scores


def test_fields_read_from_real_reports() -> None:
    scores = _scores()
    print("\nfield    right / labelled")
    for field, (right, asked) in scores.items():
        print(f"{field:8} {right:5} / {asked:<5} {right / asked:6.1%}")
    assert {field: right / asked >= FLOORS[field] for field, (right, asked) in scores.items()} == dict.fromkeys(
        FLOORS, True
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda row: Path(row["file"]).name)
def test_no_text_is_lost_unseen(row: dict[str, str]) -> None:
    """Every character is in the body, a field, or a bounded line of page furniture that was removed."""
    accounting = _extraction(row["file"]).accounting
    assert accounting.kept_share >= MIN_KEPT_SHARE, accounting
    for removed in accounting.removed:
        if removed.startswith("line "):  # the last may say how many more lines there were
            assert len(removed.split(": ", 1)[1]) <= MAX_HEADER_ROW, removed


@pytest.mark.parametrize("row", ROWS, ids=lambda row: Path(row["file"]).name)
def test_no_own_number_is_taken_from_a_citation(row: dict[str, str]) -> None:
    found = _extraction(row["file"]).fields["doc_number"].value
    assert found is None or _compact(found) == _compact(row["doc_number"])


def test_a_breadcrumb_glued_to_the_text_takes_only_itself() -> None:
    body = "本年度报告根据《中华人民共和国政府信息公开条例》编制。" * 20
    extraction = extract(f"当前位置： 首页 > 政务公开 > 政府信息公开年报 > 正文 {body}")
    assert body in extraction.body.replace("\\", "")
    assert extraction.accounting.removed == ("line 1: 当前位置： 首页 > 政务公开 > 政府信息公开年报 > 正文",)
    assert len(extraction.accounting.removed[0]) <= MAX_NOISE_LINE + len("line 1: ")


def test_text_the_import_cannot_account_for_is_flagged() -> None:
    text = "发布时间：2021-01-29 " + "这是被当作页眉的正文，" * 30
    extraction = extract(text)
    assert extraction.accounting.kept_share >= MIN_KEPT_SHARE, "a long line is never taken as a header"
    assert "这是被当作页眉的正文" in extraction.body


def test_the_corpus_imports_and_builds_with_its_incomplete_reports_as_drafts(tmp_path: Path) -> None:
    root = make_project(tmp_path / "archive", {})
    sources, refused = find_sources([CORPUS])
    items, problems = import_files(sources, root / "content", None, force=False, dry_run=False)
    assert (refused, problems) == ([], [])
    result = build_site(root)
    drafts = [item for item in result.withheld if item.draft]
    assert result.reports + len(result.withheld) == len(items)
    assert drafts and result.reports
    checked = check_site(root)
    assert checked.problems == ()
    assert all(item.to_fix or item.reason for item in checked.withheld)
