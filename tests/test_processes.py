"""Work spread over forked processes: every piece done once, failures raised, and the same site as one
process makes."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import generated_archive, make_project, report_text
from test_build import snapshot

from generator.build.content import PARALLEL_FROM
from generator.build.state import parse_cache_file
from generator.core.processes import Beside, Spread, processors
from generator.pipeline import build_site

pytestmark = pytest.mark.skipif(processors() == 1, reason="one processor: nothing is forked")


def test_every_piece_is_claimed_once_across_processes() -> None:
    parent = os.getpid()
    started = multiprocessing.get_context("fork").Barrier(2)

    def work(claims: Iterator[int]) -> Iterator[tuple[int, int]]:
        started.wait()
        for piece in claims:
            time.sleep(0.001)  # a piece takes a while, as real ones do: both processes get some
            yield os.getpid(), piece

    done = Spread(work, 500, 2).results()
    assert sorted(piece for _, piece in done) == list(range(500))
    assert {pid == parent for pid, _ in done} == {True, False}


def test_a_failure_in_a_child_is_raised_in_the_parent() -> None:
    parent = os.getpid()

    def work(claims: Iterator[int]) -> Iterator[int]:
        if os.getpid() != parent:
            raise FileNotFoundError(2, "No such file or directory", "site/a.html")
        yield from claims

    with pytest.raises(FileNotFoundError) as failed:
        Spread(work, 10, 2).results()
    assert failed.value.filename == "site/a.html"


def test_work_beside_returns_its_result_or_raises_its_exception(tmp_path: Path) -> None:
    assert Beside(lambda: os.getpid()).result() != os.getpid()
    with pytest.raises(FileNotFoundError):
        Beside(lambda: (tmp_path / "missing").read_bytes()).result()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("forked"), generated_archive(PARALLEL_FROM + 50))


# A build in a process of its own: a test process may hold threads of other libraries, and a build
# forks nothing while other threads run. With ``thread``, one is started first, to keep it in one process.
_BUILD = """
import sys, threading
from pathlib import Path
from generator.core.processes import processes_for
from generator.pipeline import build_site
if sys.argv[3] == "thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    assert processes_for({files}, {least}) == 1
else:
    assert processes_for({files}, {least}) > 1
build_site(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _build(project: Path, out: Path, how: str) -> subprocess.CompletedProcess[str]:
    script = _BUILD.format(files=PARALLEL_FROM + 50, least=PARALLEL_FROM)
    return subprocess.run(
        [sys.executable, "-c", script, str(project), str(out), how],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )


def test_pages_made_by_several_processes_are_the_bytes_one_process_makes(archive: Path, tmp_path: Path) -> None:
    forked = _build(archive, tmp_path / "forked", "fork")
    alone = _build(archive, tmp_path / "alone", "thread")
    assert forked.returncode == alone.returncode == 0, forked.stderr + alone.stderr
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "alone")


def test_a_template_error_found_by_several_processes_is_told_once(archive: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(archive, project)
    build_site(project)
    before = snapshot(project / "site")
    (project / "layouts").mkdir()
    (project / "layouts/report.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ report.no_such_field }}{% endblock %}", encoding="utf-8"
    )
    failed = _build(project, project / "site", "fork")
    [problem] = [line for line in failed.stderr.splitlines() if "template error" in line]
    assert "ProblemsFound" in failed.stderr and "layouts/report.html:1: template error: 'dict object'" in problem
    assert snapshot(project / "site") == before


def _cached_files(project: Path) -> int:
    with contextlib.closing(sqlite3.connect(parse_cache_file(project / "site"))) as cache:
        return cache.execute("SELECT count(*) FROM parsed").fetchone()[0]


def test_the_parse_cache_is_kept_by_a_child_even_when_the_build_is_refused(archive: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(archive, project)
    command = [sys.executable, "-m", "generator", "build", "--root", str(project), "--quiet"]
    assert subprocess.run(command, capture_output=True, cwd=Path(__file__).parent.parent).returncode == 0
    assert _cached_files(project) == PARALLEL_FROM + 50
    (project / "content/new.md").write_text(report_text(slug="new"), encoding="utf-8")
    (project / "content/broken.md").write_text(report_text(year="20xx", slug="broken"), encoding="utf-8")
    refused = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert refused.returncode != 0 and "content/broken.md" in refused.stderr
    assert _cached_files(project) == PARALLEL_FROM + 51
