"""File names that are not UTF-8, as a zip made on Chinese Windows unpacks them (GBK bytes).

Each is refused by name, its bytes shown as \\xb1 escapes, with the way to rename it; the build stops
with problems and no traceback, and leaves the previous site as it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.cli import main

# 报告 in GBK.
REPORT_GBK = b"\xb1\xa8\xb8\xe6"


def _make(path: bytes, data: bytes = b"") -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project whose site has been built once."""
    root = make_project(tmp_path / "archive", {"content/a.md": report_text()})
    assert main(["build", "--root", str(root), "--quiet"]) == 0
    capsys.readouterr()
    return root


def _build_fails(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = _snapshot(root / "site")
    assert main(["build", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert _snapshot(root / "site") == before
    return err


def test_a_gbk_file_name_in_content_is_named_with_its_bytes(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make(os.fsencode(built / "content") + b"/" + REPORT_GBK + b".md", report_text(title="乱码文件名").encode())
    assert _build_fails(built, capsys) == (
        "error: 1 problem found; nothing was written.\n"
        "content/\\xb1\\xa8\\xb8\\xe6.md: the file name \\xb1\\xa8\\xb8\\xe6.md is not UTF-8 (read as GBK it would "
        "be 报告.md); expected a file name in UTF-8\n"
        "    hint: rename it in UTF-8; names unpacked from a zip made on Chinese Windows are GBK, which "
        "`convmv -f gbk -t utf-8 --notest -r content` converts\n"
    )


def test_a_gbk_folder_name_is_refused_unread(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = os.fsencode(built / "content") + b"/2017" + REPORT_GBK
    os.mkdir(folder)
    _make(folder + b"/a.md", report_text(title="文件夹里的报告").encode())
    err = _build_fails(built, capsys)
    assert (
        "content/2017\\xb1\\xa8\\xb8\\xe6: the folder name 2017\\xb1\\xa8\\xb8\\xe6 is not UTF-8 (read as GBK it "
        "would be 2017报告); expected a folder name in UTF-8, so nothing in it is read" in err
    )


def test_names_that_are_not_gbk_either_are_shown_as_bytes(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make(os.fsencode(built / "content") + b"/\xff\xfe.md", report_text().encode())
    err = _build_fails(built, capsys)
    assert "content/\\xff\\xfe.md: the file name \\xff\\xfe.md is not UTF-8; expected a file name in UTF-8" in err


def test_gbk_names_in_layouts_are_named(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layouts = os.fsencode(built / "layouts")
    os.makedirs(layouts + b"/assets")
    _make(layouts + b"/assets/" + REPORT_GBK + b".css", b"body {}")
    _make(layouts + b"/" + REPORT_GBK + b".html", b"{{ site.title }}")
    err = _build_fails(built, capsys)
    assert err.startswith("error: 2 problems found; nothing was written.\n")
    assert "layouts/assets/\\xb1\\xa8\\xb8\\xe6.css: the file name \\xb1\\xa8\\xb8\\xe6.css is not UTF-8" in err
    assert "layouts/\\xb1\\xa8\\xb8\\xe6.html: the file name \\xb1\\xa8\\xb8\\xe6.html is not UTF-8" in err


def test_check_reports_it_as_json(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make(os.fsencode(built / "content") + b"/" + REPORT_GBK + b".md", report_text().encode())
    assert main(["check", "--root", str(built), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["file"], p["line"]) for p in problems] == [("content/\\xb1\\xa8\\xb8\\xe6.md", None)]


def test_a_symbolic_link_to_a_gbk_name_is_named(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(b"/nowhere/" + REPORT_GBK, os.fsencode(built / "content/gone.md"))
    err = _build_fails(built, capsys)
    assert "content/gone.md: is a symbolic link to /nowhere/\\xb1\\xa8\\xb8\\xe6, which does not exist" in err
