"""Front matter: every invalid case names the file, line, field, what was found and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

CASES = Path(__file__).parent / "cases" / "invalid"


def problems_of(root: Path) -> str:
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    return "\n".join(str(problem) for problem in found.value.problems)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_invalid_case_reports_exact_message(case: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/input.md": (CASES / case / "input.md").read_bytes()})
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert problems_of(root) == expected
    assert not (tmp_path / "site").exists()


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(year="two thousand"),
            "content/b.md": report_text(title=""),
            "content/c.md": report_text(),
        },
    )
    message = problems_of(root)
    assert "content/a.md:7: year: found 'two thousand'" in message
    assert "content/b.md:2: title: missing; expected the report's title" in message


def test_strings_stay_as_written(tmp_path: Path) -> None:
    """YAML 1.1 would read these as a number, a boolean and a date object."""
    root = make_project(
        tmp_path, {"content/a.md": report_text(doc_number="0012", kind="no", title="2017-01-01", date="2017-12-26")}
    )
    build_site(root)
    page = next((tmp_path / "site" / "reports" / "2020").glob("*.html")).read_text(encoding="utf-8")
    assert "<dd>0012</dd>" in page
    assert "<dd>no</dd>" in page
    assert '<h1 lang="zh-Hans">2017-01-01</h1>' in page


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = report_text(doc_number="某民〔2021〕3号").replace("\n", "\r\n")
    root = make_project(tmp_path, {"content/a.md": b"\xef\xbb\xbf" + text.encode("utf-8")})
    build_site(root)
    page = next((tmp_path / "site" / "reports" / "2020").glob("*.html")).read_text(encoding="utf-8")
    assert "<dd>某民〔2021〕3号</dd>" in page


def test_unknown_config_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()}, config="titel: 档案\nlanguage: zh-HK\n")
    assert problems_of(root) == (
        "config.yaml:1: titel: unknown config key `titel`\n    hint: did you mean `title`?\n"
        "config.yaml:2: language: found 'zh-HK'; expected one of zh-CN, zh-TW, en\n"
        "    hint: write `language: zh-CN`"
    )


def test_missing_config_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ProblemsFound, match=r"no config\.yaml found"):
        build_site(tmp_path)
