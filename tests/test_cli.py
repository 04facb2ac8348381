"""The command line as a user runs it: real processes, exit codes, what they print."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factory import make_project, report_text

from generator import __version__


def gongkai(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_version() -> None:
    result = gongkai("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"gongkai {__version__}")


def test_init_then_build(tmp_path: Path) -> None:
    created = gongkai("init", str(tmp_path / "archive"))
    assert created.returncode == 0, created.stderr
    assert "content/example-draft.md: a draft" in created.stdout
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == ["config.yaml", "content", "layouts"]
    example = (tmp_path / "archive/content/example-draft.md").read_text(encoding="utf-8")
    assert "draft: true" in example and "Removing the `draft: true` line publishes it" in example
    built = gongkai("build", cwd=tmp_path / "archive")
    assert built.returncode == 0, built.stderr
    # The example is withheld, and said to be: an archive published straight after init shows no invented report.
    assert built.stdout.startswith("Built 0 reports, 1 withheld, ")
    assert "  withheld example-draft.md: draft (`draft: true`)" in built.stdout
    site = tmp_path / "archive/site"
    assert (site / "index.html").is_file() and not (site / "reports/2024").exists()
    assert not any("示例市民政局" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))
    preview = gongkai("build", "--drafts", cwd=tmp_path / "archive")
    assert preview.returncode == 0, preview.stderr
    assert preview.stdout.startswith("Built 1 report, ") and "1 draft included" in preview.stdout
    assert "示例市民政局" in (tmp_path / "archive/site-drafts/index.html").read_text(encoding="utf-8")


def test_counts_are_said_in_the_singular_and_the_plural(tmp_path: Path) -> None:
    one = make_project(tmp_path / "one", {"content/a.md": report_text(year="2O17"), "content/b.md": report_text()})
    built = gongkai("build", "--root", str(one))
    assert built.stderr.splitlines()[0] == "error: 1 problem found; nothing was written."
    checked = gongkai("check", "--root", str(one))
    assert checked.stdout.splitlines()[0] == "1 problem found:"
    assert "(s)" not in built.stderr + checked.stdout


def test_init_refuses_an_existing_archive(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    result = gongkai("init", str(tmp_path))
    assert result.returncode == 2
    assert "already holds an archive" in result.stderr


def test_problems_go_to_stderr_with_exit_code_1(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(year="2O17"), "content/b.md": report_text(agency="")})
    result = gongkai("build", "--root", str(root))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[:2] == [
        "error: 2 problems found; nothing was written.",
        "content/a.md:7: year: found '2O17'; expected a four-digit year such as 2017",
    ]
    assert "content/b.md:3: agency: missing; expected the full name of the issuing body (发布机构)" in result.stderr


def test_withheld_reports_are_listed_and_quiet_prints_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "content/b.md": report_text(disclosure="依申请公开")})
    loud = gongkai("build", "--root", str(root), "--out", str(tmp_path / "out"))
    assert loud.returncode == 0
    assert "Built 1 report, 1 withheld" in loud.stdout
    assert "  withheld b.md: 公开属性 is 依申请公开" in loud.stdout
    quiet = gongkai("build", "--quiet", "--root", str(root))
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    verbose = gongkai("build", "--verbose", "--no-cache", "--root", str(root))
    assert "load " in verbose.stdout and "render+write " in verbose.stdout


def test_check_of_a_clean_archive_writes_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "content/b.md": report_text(disclosure="不予公开")})
    result = gongkai("check", "--root", str(root))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "No problems: 1 report, 1 withheld, 21 pages would be built.",
        "  withheld b.md: 公开属性 is 不予公开",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "content"]
    strict = gongkai("check", "--strict", "--root", str(root))
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[:2] == [
        "1 problem found:",
        "content/b.md:8: disclosure: withheld: 公开属性 is 不予公开",
    ]


def test_check_finds_what_only_rendering_finds(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(body="见[上年报告](../2019/missing.html)。\n"),
            "layouts/home.html": '{% extends "base.html" %}{% block main %}<img src="{{ "assets/logo.png"|href }}">'
            "{% endblock %}",
            "layouts/year.html": "{{ no_such_value }}",
        },
    )
    result = gongkai("check", "--root", str(root), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["reports"], report["withheld"]) == (False, 0, [])
    assert [(p["file"], p["line"], p["message"]) for p in report["problems"]] == [
        ("content/a.md", 11, "links to ../2019/missing.html, which is not a page or file of the site"),
        ("layouts/home.html", None, "a page from this template links to assets/logo.png, which the site does not have"),
        ("layouts/year.html", 1, "template error: 'no_such_value' is undefined"),
    ]
    assert all(p["hint"] for p in report["problems"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "content", "layouts"]


def test_check_reports_content_problems_as_json(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"content/a.md": report_text(year="2O17", disclosure="删减后公开", body="[删减]未闭合的段落\n")}
    )
    result = gongkai("check", "--root", str(root), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["problems"] == [
        {
            "file": "content/a.md",
            "line": 7,
            "field": "year",
            "found": "2O17",
            "expected": "a four-digit year such as 2017",
            "message": "found '2O17'; expected a four-digit year such as 2017",
            "hint": "the year the report covers, which may differ from the year it was signed",
        },
        {
            "file": "content/a.md",
            "line": 11,
            "field": None,
            "found": None,
            "expected": "[/删减] where the deleted passage ends",
            "message": "the passage opened with [删减] is never closed",
            "hint": "add [/删减] where the deleted passage ends",
        },
    ]
