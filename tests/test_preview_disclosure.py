"""What a live preview leaves on disk. A report withheld, or a passage deleted, while `gongkai serve` runs
is gone from every file of the site and beside it, search index included, once the rebuild that
withholds it is in place, even if serve is stopped at once; and nothing a preview made brings it back later."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import CONFIG, generated_archive, make_project, report_text
from scanning import holds, traces

WAIT_SECONDS = 120


class Serve:
    """A real `gongkai serve` process and the lines it has printed."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout or ():
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def said(self, pattern: str, after: int = 0) -> int:
        """The number of lines printed up to the first line after the first ``after`` that matches."""

        def seen() -> int | None:
            return next((n + 1 for n, line in enumerate(self.lines) if n >= after and re.search(pattern, line)), None)

        with self.changed:
            assert self.changed.wait_for(lambda: seen() or self.process.poll() is not None, WAIT_SECONDS), (
                f"serve did not say {pattern!r}: {''.join(self.lines)}"
            )
            found = seen()
            assert found, f"serve stopped: {''.join(self.lines)}"
            return found

    def ready(self) -> int:
        """Wait until serve has built the site and is serving it; the number of lines printed so far."""
        self.said("Serving")
        self.said("Built the site")
        with self.changed:
            return len(self.lines)

    def kill(self) -> None:
        """Stop serve and everything it started at once, as a closed terminal or a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def serving() -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for serve in started:
        if serve.process.poll() is None:
            serve.kill()


def _everywhere(root: Path, marker: str) -> list[str]:
    """Every trace of ``marker`` in the site and in every file or folder a build keeps beside it, read
    again if a swap moves files while it is read."""
    for _ in range(20):
        try:
            found = traces(root / "site", marker)
            for place in sorted(root.glob(".site*")):
                if place.is_dir():
                    found += [f"{place.name}/{trace}" for trace in traces(place, marker)]
                elif how := holds(place.read_bytes(), marker):
                    found.append(f"{place.name} ({how})")
            return found
        except FileNotFoundError:
            continue
    raise AssertionError("the site kept changing while it was read")


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(root: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], check=True, timeout=300)


def _project(tmp_path: Path, secret: str) -> Path:
    return make_project(tmp_path, {**generated_archive(12), "content/secret.md": secret}, config=CONFIG)


@pytest.mark.parametrize("withhold", ["disclosure", "deleted passage"])
def test_a_preview_that_published_something_does_not_bring_it_back(
    tmp_path: Path, serving: list[Serve], withhold: str
) -> None:
    canary = "预览时公开过的段落"
    if withhold == "disclosure":
        kept_back = report_text(body=f"{canary}。\n", slug="secret", disclosure="不予公开")
        published = report_text(body=f"{canary}。\n", slug="secret")
    else:
        kept_back = report_text(body=f"前文。[删减]{canary}。[/删减]后文。\n", slug="secret", disclosure="删减后公开")
        published = report_text(body=f"前文。{canary}。后文。\n", slug="secret")
    root = _project(tmp_path, kept_back)
    serving.append(serve := Serve(root))
    said = serve.ready()
    assert _everywhere(root, canary) == []
    (root / "content/secret.md").write_text(published, encoding="utf-8")
    serve.said("Built the site", said)
    assert any("search index" in trace for trace in _everywhere(root, canary)), "the preview did not publish it"
    serve.kill()

    (root / "content/secret.md").write_text(kept_back, encoding="utf-8")
    for _ in range(2):
        _build(root)
        assert _everywhere(root, canary) == []


def test_a_report_withdrawn_during_a_preview_leaves_at_once(tmp_path: Path, serving: list[Serve]) -> None:
    canary, address = "将被撤回的报告正文", "qzwithdrawn.html"
    root = _project(tmp_path, report_text(body=f"{canary}。\n", slug="qzwithdrawn"))
    secret = root / "content/secret.md"
    serving.append(serve := Serve(root))
    said = serve.ready()
    assert any("search index" in trace for trace in _everywhere(root, canary))
    _set(secret, "disclosure: 主动公开", "disclosure: 不予公开")
    said = serve.said("Built the site", said)
    # From the swap on, nothing holds the report: its search files went with the site they were made for.
    assert _everywhere(root, canary) == [] and _everywhere(root, address) == []
    # Published again, then withdrawn and stopped at once.
    _set(secret, "disclosure: 不予公开", "disclosure: 主动公开")
    said = serve.said("Built the site", said)
    assert _everywhere(root, address)
    _set(secret, "disclosure: 主动公开", "disclosure: 不予公开")
    serve.said("Built the site", said)
    serve.kill()
    assert _everywhere(root, canary) == [] and _everywhere(root, address) == []
    _build(root)
    assert _everywhere(root, canary) == [] and _everywhere(root, address) == []
