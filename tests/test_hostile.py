"""Hostile and broken input. Each case in the corpus fails with a message naming the file and line,
is withheld with its reason, or builds into pages where nothing it holds can run; none crashes or hangs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from factory import make_project, report_text
from scanning import assert_inert

from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

CASES = Path(__file__).parent / "cases"
INERT = CASES / "inert"
WITHHELD = CASES / "withheld"
# Far above what any case needs (each builds in about a second); only a hang reaches it.
HANG_SECONDS = 120


def _gongkai(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, timeout=HANG_SECONDS, check=False
    )


@pytest.mark.parametrize("case", sorted(p.name for p in INERT.iterdir()))
def test_inert_case_builds_into_pages_that_show_it_as_text(case: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/input.md": (INERT / case / "input.md").read_bytes()})
    finished = _gongkai("build", "--root", str(root))
    assert finished.returncode == 0, finished.stderr
    [page] = (root / "site/reports").glob("*/*.html")
    html = page.read_text(encoding="utf-8")
    for shown in (INERT / case / "shows.txt").read_text(encoding="utf-8").splitlines():
        assert shown in html, shown
    assert_inert(root / "site")


@pytest.mark.parametrize("case", sorted(p.name for p in WITHHELD.iterdir()))
def test_withheld_case_is_left_out_with_its_reason(case: str, tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/input.md": (WITHHELD / case / "input.md").read_bytes()})
    reason = (WITHHELD / case / "reason.txt").read_text(encoding="utf-8").strip()
    result = build_site(root)
    assert (result.reports, [(w.id, w.reason) for w in result.withheld]) == (0, [("input.md", reason)])
    assert not list((root / "site/reports").glob("*/*.html"))
    with pytest.raises(ProblemsFound, match=rf"content/input.md(:[0-9]+)?: disclosure: withheld: {re.escape(reason)}"):
        build_site(root, strict=True)


def _outside_file(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere" / "private.md"
    outside.parent.mkdir()
    outside.write_text(report_text(title="私人文件"), encoding="utf-8")
    return outside


def test_symlink_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = _outside_file(tmp_path)
    root = make_project(tmp_path / "p", {"content/a.md": report_text()})
    (root / "content/leak.md").symlink_to(outside)
    (root / "content/folder").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    assert [str(p) for p in found.value.problems] == [
        f"content/{name}: is a symbolic link to {target}, outside the project; it is not followed\n"
        "    hint: copy the file into the project instead of linking to it"
        for name, target in (("folder", outside.parent), ("leak.md", outside))
    ]
    assert not (root / "site").exists()


def test_symlink_inside_the_project_is_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"drafts/a.md": report_text(title="草稿里的报告")})
    (root / "content/a.md").symlink_to(root / "drafts/a.md")
    assert build_site(root).reports == 1


def test_symlinked_template_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.html"
    outside.write_text("{{ site.title }}", encoding="utf-8")
    root = make_project(tmp_path / "p", {"content/a.md": report_text()})
    (root / "layouts").mkdir()
    (root / "layouts/report.html").symlink_to(outside)
    with pytest.raises(ProblemsFound, match=r"layouts/report\.html: is a symbolic link to .*, outside the project"):
        build_site(root)


def test_dangling_symlink_is_named(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()})
    (root / "content/gone.md").symlink_to(root / "content/deleted.md")
    with pytest.raises(ProblemsFound, match=r"content/gone\.md: is a symbolic link to .*deleted\.md, which does not"):
        build_site(root)


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "content/big.md": b"\xff" * (5 * 1024 * 1024 + 1)})
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    assert [str(p) for p in found.value.problems] == [
        "content/big.md: is 5.0 MB; files larger than 5.0 MB are not read\n"
        "    hint: split the file, or raise `max_file_size` in config.yaml"
    ]


def test_size_cap_is_configurable(tmp_path: Path) -> None:
    text = report_text(body="正文。" * 400)
    root = make_project(tmp_path, {"content/a.md": text}, config="max_file_size: 1 KB\n")
    with pytest.raises(ProblemsFound, match=re.escape("content/a.md: is 3.7 KB; files larger than 1.0 KB are not")):
        build_site(root)
    (root / "config.yaml").write_text("max_file_size: 2 MB\n", encoding="utf-8")
    assert build_site(root).reports == 1


def test_markup_dense_beyond_the_budget_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(body="- a\n" * 50_001)})
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    # Each line holds two marks, `-` and its line break: mark 100,001 opens line 50,001 of the text, which
    # starts on line 11 of the file.
    assert [str(p) for p in found.value.problems] == [
        "content/a.md:50011: the report text holds 100,002 Markdown marks (line breaks and characters such as "
        "| * [ < #); a report may hold 100,000, and mark 100,001 is on this line\n"
        "    hint: split it into several reports; this limit keeps every page to a few seconds of work"
    ]


def test_assets_differing_only_in_case_or_unicode_form_collide(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(),
            "layouts/assets/Logo.png": b"1",
            "layouts/assets/logo.png": b"2",
            "layouts/assets/caf\u00e9.css": b"1",
            "layouts/assets/cafe\u0301.css": b"2",
        },
    )
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    messages = [p.message for p in found.value.problems]
    assert messages == [
        "2 files would be written to assets/Logo.png, one file on Windows and macOS: "
        "layouts/assets/Logo.png, layouts/assets/logo.png",
        "2 files would be written to assets/cafe\u0301.css, one file on Windows and macOS: "
        "layouts/assets/cafe\u0301.css, layouts/assets/caf\u00e9.css",
    ]
