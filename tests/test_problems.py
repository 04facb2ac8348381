"""Problems as people and programs read them: the order they are listed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.cli import main
from generator.problems import Problem, ProblemsFound

# Three links to pages the archive does not have; Markdown drops the backslash and reads the character
# reference, so the second and third link to names the text does not hold as written.
BROKEN_LINKS = ("## 一\n\n见[甲](missing-one.html)。\n\n见[乙](miss\\_ing-two.html)。\n\n"
                "见[丙](miss&#95;ing-three.html)。\n")


def test_problems_are_ordered_by_file_then_those_without_a_line_then_line() -> None:
    problems = [
        Problem("content/b.md", 3, None, "c"),
        Problem("content/a.md", 12, "year", "b"),
        Problem("content/a.md", None, None, "a"),
        Problem("content/a.md", 2, "title", "z"),
        Problem("content/a.md", 12, None, "d"),
        Problem("content/a.md", None, "slug", "a"),
        Problem("content/a.md", 12, "year", "b", "h"),
    ]
    order = [
        Problem("content/a.md", None, None, "a"),
        Problem("content/a.md", None, "slug", "a"),
        Problem("content/a.md", 2, "title", "z"),
        Problem("content/a.md", 12, None, "d"),
        Problem("content/a.md", 12, "year", "b"),
        Problem("content/a.md", 12, "year", "b", "h"),
        Problem("content/b.md", 3, None, "c"),
    ]
    assert sorted(problems) == sorted(reversed(problems)) == order
    assert sorted(problems, key=lambda p: p.sort_key) == order
    assert ProblemsFound(problems).problems == order


@pytest.mark.parametrize("verb", ["check", "build"])
def test_two_broken_links_are_both_listed(verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "archive", {"content/a.md": report_text(body=BROKEN_LINKS)})
    assert main([verb, "--root", str(root), "--out", str(tmp_path / "site")]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    listed = [line for line in (out if verb == "check" else err).splitlines() if line.startswith("content/")]
    assert listed == [
        "content/a.md: links to miss_ing-three.html, which is not a page or file of the site",
        "content/a.md: links to miss_ing-two.html, which is not a page or file of the site",
        "content/a.md:13: links to missing-one.html, which is not a page or file of the site",
    ]
    assert not (tmp_path / "site").exists()
