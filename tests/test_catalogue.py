"""A catalogue made again from an earlier one, as serve does to show a moved report at once, is the
catalogue made from nothing: whatever it takes over, it takes over only what the edit left as it was."""

from __future__ import annotations

import dataclasses

import pytest
from factory import generated_archive, make_project

from generator.build.catalogue import build_catalogue
from generator.build.citations import mentions
from generator.build.content import load_content
from generator.core.config import load_config

EDITS = {
    "text": {"words": 1},
    "title": {"title": "改过的标题"},
    "agency": {"agency": "另一个局"},
    "agency spelled otherwise": {"agency": "某市教育局 "},
    "region": {"region": ("某省", "另一个市")},
    "year": {"year": 2001},
    "date": {"date": "2000-01-01"},
    "kind": {"kind": "自查报告"},
    "文号": {"doc_number": "某发〔2019〕1号"},
    "cited": {"cited": mentions("根据某发〔2019〕1号")},
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list:
    root = make_project(tmp_path_factory.mktemp("archive"), generated_archive(60))
    return list(load_content(load_config(root)).reports)


@pytest.mark.parametrize("edit", EDITS)
def test_a_catalogue_made_from_an_earlier_one_equals_one_made_anew(reports: list, edit: str) -> None:
    # One report gets the 文号 the edited ones cite: a citation made or unmade.
    reports = [*reports[:5], dataclasses.replace(reports[5], doc_number="某发〔2019〕1号"), *reports[6:]]
    earlier = build_catalogue(reports)
    for index in (0, 17, len(reports) - 1):
        edited = [*reports[:index], dataclasses.replace(reports[index], **EDITS[edit]), *reports[index + 1 :]]
        assert build_catalogue(edited, earlier) == build_catalogue(edited)


def test_a_new_report_makes_the_whole_catalogue_again(reports: list) -> None:
    earlier = build_catalogue(reports[1:])
    assert build_catalogue(reports, earlier) == build_catalogue(reports)
