"""Publishing: the previous site stays whole whatever happens to a build, even a kill mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factory import generated_archive, make_project, report_text
from test_build import snapshot

from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

# Long enough for the staging folder to fill, short enough for CI.
REPORTS = 300


def _kill_when(root: Path, ready: str) -> subprocess.Popen[bytes]:
    """Start `gongkai build` and kill it, with everything it started, once a path matching ``ready`` exists."""
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not list(root.glob(ready)):
        assert build.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    return build


# Pages, then the search files (the reports' words), are written into the staging folder: nothing of a
# killed build is left anywhere else.
@pytest.mark.parametrize(
    "ready", [".site.staging.*/reports", ".site.staging.*/search/p/*.js"], ids=["mid-write", "mid-index"]
)
def test_a_build_killed_part_way_leaves_the_previous_site_whole(tmp_path: Path, ready: str) -> None:
    root = make_project(tmp_path, generated_archive(REPORTS))
    build_site(root)
    before = snapshot(root / "site")
    (root / "content/new.md").write_text(report_text(title="新增的报告"), encoding="utf-8")

    assert _kill_when(root, ready).returncode == -signal.SIGKILL
    assert list(root.glob(".site.staging.*")), "the kill came after the build had finished"
    assert snapshot(root / "site") == before

    build_site(root)
    # What the killed build parsed is kept for the next one, like any build's cache.
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".site.cache."))
    assert left == ["config.yaml", "content", "site"]
    assert "新增的报告" in (root / "site/reports/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("out", ["layouts/site", "layouts"])
def test_output_folder_may_not_be_in_or_replace_layouts(tmp_path: Path, out: str) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "layouts/report.html": "{{ report.title }}"})
    with pytest.raises(ProblemsFound, match=r"output_dir: the output folder (is inside|would replace) the layouts"):
        build_site(root, root / out)


def test_output_folder_may_not_replace_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "archive", {"content/a.md": report_text()})
    monkeypatch.setenv("HOME", str(tmp_path / "users" / "someone"))
    with pytest.raises(ProblemsFound, match="output_dir: the output folder would replace your home folder"):
        build_site(root, tmp_path / "users")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_site_made_of_the_spare_equals_a_clean_one_and_the_spare_keeps_nothing_the_site_dropped(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project", generated_archive(40))
    earlier = build_site(root).earlier
    content = sorted((root / "content").rglob("*.md"))
    secret = "只在公开期间可读的一句话"
    steps = [
        lambda: _edit(content[0], "\n## ", f"\n{secret}\n\n## "),
        lambda: _edit(content[0], "disclosure: 主动公开", "disclosure: 不予公开"),
        lambda: content[3].unlink(),
        lambda: (root / "content/new.md").write_text(report_text(title="新增的报告", slug="xin"), encoding="utf-8"),
    ]
    spare = root / ".site.spare"
    for number, step in enumerate(steps):
        step()
        spare_inode = spare.stat().st_ino if spare.is_dir() else None
        earlier = build_site(root, earlier=earlier).earlier
        if number:
            # The staging folder the build made the site in was the spare.
            assert (root / "site").stat().st_ino == spare_inode
        clean = tmp_path / f"clean-{number}"
        build_site(root, clean)
        live = snapshot(root / "site")
        assert live == snapshot(clean)
        kept = snapshot(spare)
        assert kept and all(live.get(path) == digest for path, digest in kept.items())
    for folder in (root / "site", spare):
        assert not [path for path in folder.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]


def test_a_build_killed_while_it_makes_the_spare_the_new_site_leaves_the_site_whole(tmp_path: Path) -> None:
    root = make_project(tmp_path, generated_archive(REPORTS))
    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], check=True)
    first = sorted((root / "content").rglob("*.md"))[0]
    _edit(first, "\n## ", "\n第二次构建。\n\n## ")
    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], check=True)
    assert (root / ".site.spare").is_dir()
    before = snapshot(root / "site")
    (root / "content/new.md").write_text(report_text(title="新增的报告"), encoding="utf-8")

    assert _kill_when(root, ".site.staging.*/reports/*/*.html").returncode == -signal.SIGKILL
    assert snapshot(root / "site") == before

    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], check=True)
    build_site(root, tmp_path / "clean")
    assert snapshot(root / "site") == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("damage", ["emptied", "stray file"])
def test_a_spare_changed_since_it_was_kept_gives_a_whole_site(tmp_path: Path, damage: str) -> None:
    root = make_project(tmp_path / "project", generated_archive(20))
    earlier = build_site(root).earlier
    first = sorted((root / "content").rglob("*.md"))[0]
    _edit(first, "\n## ", "\n第二次构建。\n\n## ")
    earlier = build_site(root, earlier=earlier).earlier
    spare = root / ".site.spare"
    if damage == "emptied":
        for file in [path for path in spare.rglob("*") if path.is_file()]:
            file.unlink()
    else:
        (spare / "reports/stray.html").write_text("不属于网站的文件", encoding="utf-8")
    _edit(first, "第二次构建。", "第三次构建。")
    build_site(root, earlier=earlier)
    build_site(root, tmp_path / "clean")
    assert snapshot(root / "site") == snapshot(tmp_path / "clean")
