"""Problems as people and programs read them: the order they are listed in, their fields, their lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.cli import main
from generator.core.config import shown_path, theme_dir
from generator.core.problems import Problem, ProblemsFound
from generator.pipeline import build_site

# Three links to pages the archive does not have; Markdown drops the backslash and reads the character
# reference, so the second and third link to names the text does not hold as written.
BROKEN_LINKS = (
    "## 一\n\n见[甲](missing-one.html)。\n\n见[乙](miss\\_ing-two.html)。\n\n见[丙](miss&#95;ing-three.html)。\n"
)


def test_problems_are_ordered_by_file_then_those_without_a_line_then_line() -> None:
    problems = [
        Problem(file="content/b.md", line=3, message="c"),
        Problem(file="content/a.md", line=12, field="year", message="b"),
        Problem(file="content/a.md", line=None, message="a"),
        Problem(file="content/a.md", line=2, field="title", message="z"),
        Problem(file="content/a.md", line=12, field=None, message="d"),
        Problem(file="content/a.md", line=None, field="slug", message="a"),
        Problem(file="content/a.md", line=12, field="year", message="b", hint="h"),
        Problem(file="content/a.md", line=12, field="year", message="b", found="x", expected="y"),
    ]
    order = [
        Problem(file="content/a.md", line=None, message="a"),
        Problem(file="content/a.md", line=None, field="slug", message="a"),
        Problem(file="content/a.md", line=2, field="title", message="z"),
        Problem(file="content/a.md", line=12, field=None, message="d"),
        Problem(file="content/a.md", line=12, field="year", message="b"),
        Problem(file="content/a.md", line=12, field="year", message="b", hint="h"),
        Problem(file="content/a.md", line=12, field="year", message="b", found="x", expected="y"),
        Problem(file="content/b.md", line=3, message="c"),
    ]
    assert sorted(problems) == sorted(reversed(problems)) == order
    assert sorted(problems, key=lambda p: p.sort_key) == order
    assert ProblemsFound(problems).problems == order


def test_problems_are_made_with_named_fields() -> None:
    with pytest.raises(TypeError):
        Problem("content/a.md", 1, None, "found it")  # type: ignore[misc]
    problem = Problem(
        file="content/a.md",
        line=7,
        field="year",
        message="found '2O17'; expected a year",
        found="2O17",
        expected="a year",
        hint="write the year",
    )
    assert str(problem) == "content/a.md:7: year: found '2O17'; expected a year\n    hint: write the year"
    assert str(Problem(file="config.yaml", message="no config.yaml found")) == "config.yaml: no config.yaml found"


@pytest.mark.parametrize("verb", ["check", "build"])
def test_two_broken_links_are_both_listed(verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "archive", {"content/a.md": report_text(body=BROKEN_LINKS)})
    assert main([verb, "--root", str(root), "--out", str(tmp_path / "site")]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    listed = [line for line in (out if verb == "check" else err).splitlines() if line.startswith("content/")]
    assert listed == [
        "content/a.md: links to miss_ing-three.html, which is not a page or file of the site",
        "content/a.md:13: links to missing-one.html, which is not a page or file of the site",
        "content/a.md:15: links to miss_ing-two.html, which is not a page or file of the site",
    ]
    assert not (tmp_path / "site").exists()


def test_check_as_json_gives_what_was_found_and_what_was_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(year="2O17")})
    assert main(["check", "--root", str(root), "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert problem == {
        "file": "content/a.md",
        "line": 7,
        "field": "year",
        "found": "2O17",
        "expected": "a four-digit year such as 2017",
        "message": "found '2O17'; expected a four-digit year such as 2017",
        "hint": "the year the report covers, which may differ from the year it was signed",
    }


def test_check_as_json_gives_null_for_what_a_problem_does_not_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(body=BROKEN_LINKS)})
    assert main(["check", "--root", str(root), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["line"], p["found"]) for p in problems] == [
        (None, "miss_ing-three.html"),
        (13, "missing-one.html"),
        (15, "miss_ing-two.html"),
    ]
    assert {p["expected"] for p in problems} == {
        "a page or file of the site, or a full address beginning https:// or http://"
    }
    assert all(list(p) == ["file", "line", "field", "found", "expected", "message", "hint"] for p in problems)


def test_a_slug_collision_names_the_slug_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(slug="same"), "content/b.md": report_text(slug="same")})
    assert main(["check", "--root", str(root)]) == 1
    assert (
        capsys.readouterr().out.splitlines()[1]
        == "content/a.md:9: slug: 2 pages map to reports/2020/same.html: content/a.md, content/b.md"
    )


def test_a_template_error_names_the_template_and_line_it_is_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(),
            "layouts/year.html": "{% include 'part.html' %}",
            "layouts/part.html": "part\n{{ no_such_value }}\n",
        },
    )
    assert main(["check", "--root", str(root)]) == 1
    assert (
        capsys.readouterr().out.splitlines()[1] == "layouts/part.html:2: template error: 'no_such_value' is undefined"
    )


def _named(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    """Where each problem `check` finds is, as `check --format json` gives it (the file, and its line when
    it has one); the text output begins each problem with the same."""
    assert main(["check", "--root", str(root), *args, "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    named = [p["file"] if p["line"] is None else f"{p['file']}:{p['line']}" for p in problems]
    assert main(["check", "--root", str(root), *args]) == 1
    printed = [line for line in capsys.readouterr().out.splitlines()[1:] if not line.startswith("    hint: ")]
    assert len(printed) == len(named)
    assert all(line.startswith(f"{where}: ") for line, where in zip(printed, named, strict=True))
    return named


def test_a_content_problem_names_the_file_from_the_project_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "archive", {"content/2017/a.md": report_text(year="2O17")})
    assert _named(root, capsys) == ["content/2017/a.md:7"]


def test_a_template_problem_names_the_file_it_is_in_from_the_project_folder_or_the_theme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        tmp_path / "archive",
        {
            "content/a.md": report_text(),
            "layouts/year.html": "{% include 'partials/part.html' %}",
            "layouts/partials/part.html": "part\n{{ no_such_value }}\n",
            "layouts/region.html": "ok\n{% if %}\n",
            "layouts/home.html": '<a href="{{ "assets/logo.png"|href }}">logo</a>',
            # The theme's report page, where there is no report: the error is in the theme's file.
            "layouts/agency.html": "{% extends 'report.html' %}",
        },
    )
    named = _named(root, capsys)
    assert named[:3] == ["layouts/home.html", "layouts/partials/part.html:2", "layouts/region.html:2"]
    assert len(named) == 4 and named[3].startswith("theme:report.html:")


def test_an_output_folder_outside_the_project_is_named_by_its_absolute_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "archive", {"content/a.md": report_text()})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("不是文件夹", encoding="utf-8")
    assert _named(root, capsys, "--out", str(elsewhere)) == [str(elsewhere.resolve())]
    # Inside the project, it is named from the project folder.
    assert _named(root, capsys, "--out", str(root / "content/site")) == ["content/site"]
    # A folder that cannot be written, as the build finds it.
    with pytest.raises(ProblemsFound) as found:
        build_site(root, elsewhere / "site")
    assert [problem.file for problem in found.value.problems] == [str(elsewhere)]


def test_files_are_shown_from_the_project_folder_the_theme_or_in_full(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    assert shown_path(root / "content/2017/a.md", root) == "content/2017/a.md"
    assert shown_path(root / "config.yaml", root) == "config.yaml"
    assert shown_path(root, root) == str(root)
    assert shown_path(tmp_path / "site", root) == str(tmp_path / "site")
    assert shown_path(theme_dir() / "i18n/en.yaml", root) == "theme:i18n/en.yaml"
    # In a source checkout the theme is the project's own layouts folder, and named as such.
    assert shown_path(theme_dir() / "report.html", theme_dir().parent) == "layouts/report.html"
    # A file reached through a link to the project folder is still the project's.
    root.mkdir()
    (tmp_path / "link").symlink_to(root, target_is_directory=True)
    assert shown_path(root / "site", tmp_path / "link") == "site"
