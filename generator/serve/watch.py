"""Watching a project while it is edited: editor noise is ignored, a burst of events is one rebuild.

Editors save in several steps (write a temporary file and rename it over the original; move the
original to a backup first; create and delete a probe file named ``4913``). Waiting until the project
has been quiet for a moment lets those steps finish, so a file briefly missing is never built as
deleted. Events that arrive during a rebuild cause exactly one more.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.core.config import CONFIG_FILE

QUIET_SECONDS = 0.15
# Swap, backup and lock files of vim, emacs, JetBrains and others, and vim's write probe.
_EDITOR_NOISE = re.compile(r"^\.|^#.*#$|~$|\.(swp|swx|swo|swn|tmp|bak|part)$|___jb_\w+___$|^4913$")
_IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})


def is_project_file(path: Path, root: Path, watched: tuple[Path, ...]) -> bool:
    """Whether an edit to ``path`` can change the site: config.yaml, or a file under a watched folder."""
    if path == root / CONFIG_FILE:
        return True
    inside = next((folder for folder in watched if path.is_relative_to(folder)), None)
    return inside is not None and not any(_EDITOR_NOISE.search(part) for part in path.relative_to(inside).parts)


class Rebuilder:
    """Calls ``rebuild`` with the files changed once events have stopped for QUIET_SECONDS; never two
    rebuilds at once."""

    def __init__(self, rebuild: Callable[[frozenset[Path]], None], quiet: float = QUIET_SECONDS) -> None:
        self.rebuild, self.quiet = rebuild, quiet
        self._condition = threading.Condition()
        self._pending = False
        self._paths: set[Path] = set()
        self._last = 0.0

    def pending(self) -> bool:
        """Whether an edit has come in since the current rebuild started."""
        with self._condition:
            return self._pending

    def changed(self, *paths: Path) -> None:
        with self._condition:
            self._pending, self._last = True, time.monotonic()
            self._paths.update(paths)
            self._condition.notify()

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            with self._condition:
                if not self._condition.wait_for(lambda: self._pending or stop.is_set(), timeout=0.5):
                    continue
                while (left := self._last + self.quiet - time.monotonic()) > 0:
                    self._condition.wait(left)
                self._pending = False
                paths, self._paths = frozenset(self._paths), set()
            if not stop.is_set():
                self.rebuild(paths)


class _Events(FileSystemEventHandler):
    def __init__(self, root: Path, watched: tuple[Path, ...], rebuilder: Rebuilder) -> None:
        self.root, self.watched, self.rebuilder = root, watched, rebuilder

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A folder is "modified" when a file in it comes or goes; that file's own event says whether it matters.
        if event.event_type in _IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        paths = [Path(str(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        changed = [path for path in paths if is_project_file(path, self.root, self.watched)]
        if changed:
            self.rebuilder.changed(*changed)


class Watcher:
    """Watches config.yaml and a set of folders, which may change between builds."""

    def __init__(self, root: Path, poll: bool) -> None:
        """``poll`` looks for changes by scanning, for network and container mounts."""
        self.root = root
        self.observer: BaseObserver = PollingObserver(timeout=0.5) if poll else Observer()
        self.handler: _Events | None = None
        self.watches: dict[Path, ObservedWatch] = {}

    def start(self, rebuilder: Rebuilder, folders: tuple[Path, ...]) -> None:
        self.handler = _Events(self.root, folders, rebuilder)
        self.observer.schedule(self.handler, str(self.root), recursive=False)
        self.follow(folders)
        self.observer.start()

    def follow(self, folders: tuple[Path, ...]) -> None:
        """Watch these folders from now on: config.yaml may name another content folder, and a
        folder may have been created or removed since the last call."""
        if self.handler is None:
            return
        self.handler.watched = folders
        for folder in [f for f in self.watches if f not in folders or not f.is_dir()]:
            self.observer.unschedule(self.watches.pop(folder))
        for folder in folders:
            if folder not in self.watches and folder.is_dir():
                self.watches[folder] = self.observer.schedule(self.handler, str(folder), recursive=True)

    def stop(self) -> None:
        self.observer.stop()
