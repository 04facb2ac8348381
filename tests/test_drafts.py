"""Drafts: reports marked `draft: true` wait for review. They never stop a build and are never published;
`check` says what to fix in each; `build --drafts` previews them beside the site."""

from __future__ import annotations

import json
from pathlib import Path

from factory import make_project, report_text
from test_cli import gongkai

from generator.pipeline import build_site, check_site


def _draft(**fields: object) -> str:
    return report_text(body="## 一、总体情况\n\n草稿正文。\n", **fields).replace("---\n", "---\ndraft: true\n", 1)


def _project(tmp_path: Path) -> Path:
    incomplete = report_text(title="某县某局2021年政府信息公开工作年度报告", agency="某县某局").replace(
        "region:\n- 某省\n- 某市\n", ""
    )
    return make_project(
        tmp_path,
        {
            "content/published.md": report_text(),
            "content/ready.md": _draft(title="某市财政局2020年政府信息公开工作年度报告", agency="某市财政局"),
            "content/incomplete.md": incomplete.replace("---\n", "---\ndraft: true\n", 1),
        },
    )


def test_a_draft_stops_no_build_and_is_not_published(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = build_site(root)
    assert result.reports == 1 and result.drafts == 0
    assert sorted(item.id for item in result.withheld) == ["incomplete.md", "ready.md"]
    assert all(item.draft for item in result.withheld)
    assert "某市财政局" not in "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


def test_check_lists_each_draft_with_what_to_fix(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = gongkai("check", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "No problems: 1 report, 2 withheld, " + lines[0].split(", ", 2)[2]
    at = lines.index(
        "  withheld incomplete.md: draft (`draft: true`): remove the key to publish it; "
        "preview it with `gongkai build --drafts`"
    )
    assert lines[at + 1].startswith("    to fix: content/incomplete.md:") and "region: missing" in lines[at + 1]
    report = json.loads(gongkai("check", "--root", str(root), "--format", "json").stdout)
    drafts = {item["id"]: item for item in report["withheld"]}
    assert drafts["ready.md"]["draft"] and drafts["ready.md"]["to_fix"] == []
    assert [problem["field"] for problem in drafts["incomplete.md"]["to_fix"]] == ["region"]


def test_strict_makes_a_draft_a_problem(tmp_path: Path) -> None:
    result = check_site(_project(tmp_path), strict=True)
    assert sorted((p.file, p.field) for p in result.problems) == [
        ("content/incomplete.md", "draft"),
        ("content/ready.md", "draft"),
    ]


def test_build_with_drafts_previews_them_beside_the_site(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root)
    result = gongkai("build", "--drafts", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "→ " + str(root / "site-drafts") in result.stdout
    assert "  1 draft included: a preview, do not publish this folder" in result.stdout
    assert "withheld incomplete.md: draft (`draft: true`): remove the key to publish it; it has problems" in (
        result.stdout
    )
    pages = {p.name: p.read_text(encoding="utf-8") for p in (root / "site-drafts").rglob("*.html")}
    assert any("草稿正文" in page and "draft-banner" in page for page in pages.values())
    assert "草稿正文" not in "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


def test_removing_the_key_publishes_the_report(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build_site(root, cache=True)
    path = root / "content/ready.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = build_site(root, cache=True)
    assert result.reports == 2 and [item.id for item in result.withheld] == ["incomplete.md"]
    assert result.withheld[0].to_fix[0].field == "region"  # taken from the cache of the first build
    assert "草稿正文" in "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


def test_draft_must_be_true_or_false(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text().replace("---\n", "---\ndraft: maybe\n", 1)})
    result = check_site(root)
    assert [(p.file, p.line, p.field, p.found) for p in result.problems] == [("content/a.md", 2, "draft", "maybe")]
