"""Work spread over forked processes: every piece done once, failures raised, and the same site as one
process makes."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import generated_archive, make_project
from test_build import snapshot

from generator.build.content import PARALLEL_FROM
from generator.core.problems import ProblemsFound
from generator.core.processes import Spread, processes_for, processors
from generator.pipeline import build_site

pytestmark = pytest.mark.skipif(processors() == 1, reason="one processor: nothing is forked")


def test_every_piece_is_claimed_once_across_processes() -> None:
    parent = os.getpid()
    done = Spread(lambda claims: (os.getpid(), list(claims)), 500, 2).results()
    assert done[0][0] == parent and done[1][0] != parent
    assert sorted(piece for _, pieces in done for piece in pieces) == list(range(500))


def test_a_failure_in_a_child_is_raised_in_the_parent() -> None:
    parent = os.getpid()

    def work(claims: Iterator[int]) -> int:
        if os.getpid() != parent:
            raise FileNotFoundError(2, "No such file or directory", "site/a.html")
        return sum(claims)

    with pytest.raises(FileNotFoundError) as failed:
        Spread(work, 10, 2).results()
    assert failed.value.filename == "site/a.html"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("forked"), generated_archive(PARALLEL_FROM + 50))


def test_pages_made_by_several_processes_are_the_bytes_one_process_makes(archive: Path, tmp_path: Path) -> None:
    assert processes_for(PARALLEL_FROM + 50, PARALLEL_FROM) > 1
    forked = build_site(archive, tmp_path / "forked")
    # While another thread runs, the build forks nothing.
    other = threading.Event()
    running = threading.Thread(target=other.wait)
    running.start()
    try:
        alone = build_site(archive, tmp_path / "alone")
    finally:
        other.set()
        running.join()
    assert forked.files == alone.files
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
    with pytest.raises(ProblemsFound) as found:
        build_site(project)
    [problem] = found.value.problems
    assert re.match(r"layouts/report.html:1: template error: 'dict object' has no attribute", str(problem))
    assert snapshot(project / "site") == before
