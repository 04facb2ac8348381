"""The output folder under pressure: two builds at once, a link to a web root, a file in its place, a full
disk and a read-only one. Each ends in one whole site or in a message, never a traceback or half a site."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import CONFIG, generated_archive, make_project, report_text
from test_build import snapshot

from generator.build.publish import exclusive

TRIALS = 20


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "-q", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "-q", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_two_builds_at_once_leave_one_whole_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", generated_archive(12))
    assert _build(root, "--out", str(tmp_path / "whole")).returncode == 0
    whole = snapshot(tmp_path / "whole")
    for trial in range(TRIALS):
        # Without the cache every build writes every page and search file again.
        builds = [_start(root, "--no-cache"), _start(root, "--no-cache")]
        outcomes = [(build.wait(timeout=300), build.stderr.read()) for build in builds if build.stderr]
        assert [code for code, _ in outcomes] == [0, 0], f"trial {trial}: {outcomes}"
        assert not any("Traceback" in err for _, err in outcomes), outcomes
        assert snapshot(root / "site") == whole, f"trial {trial}: the site is not one whole build"
        leftovers = sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))
        assert leftovers == [], f"trial {trial}: {leftovers}"


def test_a_build_waits_for_the_one_holding_the_folder_and_says_so(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(body="等候的那次构建。\n", slug="a")})
    with exclusive(root / "site"):
        build = _start(root)
        assert build.stderr is not None
        said = build.stderr.readline()
        assert said.startswith(f"Waiting for process {os.getpid()}, which is building ")
        assert build.poll() is None and not (root / "site").exists()
    assert build.wait(timeout=120) == 0
    assert "等候的那次构建" in (root / "site/reports/2020/a.html").read_text(encoding="utf-8")


def test_a_link_to_a_web_root_stays_a_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"content/a.md": report_text(body="第一版。\n", slug="a")})
    web = tmp_path / "www" / "archive"
    web.parent.mkdir()
    (root / "site").symlink_to(web, target_is_directory=True)
    for version in ("第一版", "第二版"):
        (root / "content/a.md").write_text(report_text(body=f"{version}。\n", slug="a"), encoding="utf-8")
        result = _build(root)
        assert result.returncode == 0 and not result.stderr, result.stderr
        assert (root / "site").is_symlink() and (root / "site").resolve() == web
        assert version in (web / "reports/2020/a.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in root.iterdir()) == ["config.yaml", "content", "site"]


@pytest.mark.parametrize("where", ["config", "--out"])
def test_an_output_path_that_is_a_file_is_refused_before_anything_is_touched(tmp_path: Path, where: str) -> None:
    config = f"{CONFIG}output_dir: config.yaml\n" if where == "config" else CONFIG
    root = make_project(tmp_path, {"content/a.md": report_text(), "notes.txt": "不是文件夹"}, config=config)
    before = snapshot(root)
    result = _build(root, *(("--out", str(root / "notes.txt")) if where == "--out" else ()))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "output_dir: is a file, not a folder" in result.stderr
    assert snapshot(root) == before and sorted(p.name for p in root.iterdir()) == [
        "config.yaml",
        "content",
        "notes.txt",
    ]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of 4 MB of its own, mounted for the test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mounting a small file system needs root: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_is_a_problem_and_the_previous_site_stays(tmp_path: Path, small_disk: Path) -> None:
    root = make_project(tmp_path / "project", {"content/a.md": report_text(slug="a")})
    out = small_disk / "site"
    assert _build(root, "--out", str(out)).returncode == 0
    before = snapshot(out)
    # About 3 MB of text that does not compress, which the page and the search files each hold once:
    # more than the disk has left.
    characters = [chr(0x4E00 + (n * 7919) % 20000) for n in range(1_000_000)]
    body = "\n\n".join("".join(characters[n : n + 800]) for n in range(0, len(characters), 800))
    (root / "content/big.md").write_text(report_text(body=body, slug="big"), encoding="utf-8")
    result = _build(root, "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "the disk is full" in result.stderr and "the previous site was left as it was" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in small_disk.iterdir() if not p.name.startswith(".site.cache")) == ["site"]


def test_a_read_only_disk_is_a_problem_and_the_previous_site_stays(tmp_path: Path, small_disk: Path) -> None:
    root = make_project(tmp_path / "project", {"content/a.md": report_text(slug="a")})
    out = small_disk / "site"
    assert _build(root, "--out", str(out)).returncode == 0
    before = snapshot(out)
    (root / "content/b.md").write_text(report_text(slug="b", title="新的一份"), encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = _build(root, "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "Read-only file system" in result.stderr and "writable" in result.stderr
    assert snapshot(out) == before
