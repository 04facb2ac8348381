"""Write a complete site into a staging folder beside the output, then swap it in.

The previous site stays whole until the new one is complete: a failure while writing leaves it as it
was and removes the staging folder, and a crash leaves the staging folder for the next build to
remove. On Linux the two folders trade places in one step, so the output folder is always a whole
site. Elsewhere the swap is two renames; a crash between them is repaired by the next build, which
finds the previous site under its ``.old`` name.

One build at a time writes to an output folder: each holds a lock on a file beside it for as long as
it runs, and a second build waits for the first. Staging folders carry their build's process number,
so what one build leaves behind is never mistaken for another's work.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from generator.build.render import PageRecord, RenderedPage

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def staging_dir(out: Path) -> Path:
    """Where a build writes the new site, named after the build's process."""
    return out.with_name(f".{out.name}.staging.{os.getpid()}")


def _previous_dir(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def lock_file(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def exclusive(out: Path, waiting: Callable[[str], object] = lambda holder: None) -> Iterator[None]:
    """Hold the output folder ``out`` for one build, first undoing what an interrupted one left.

    When another process holds it, ``waiting`` is told who (as the holder wrote itself into the lock
    file) and this one waits its turn. The lock goes with the process, however it ends; a build that
    finishes removes the lock file.
    """
    path = lock_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    file = _locked(path, waiting)
    try:
        file.write(f"process {os.getpid()}\n")
        file.flush()
        recover(out)
        yield
    finally:
        path.unlink(missing_ok=True)  # still held: whoever waits on this file finds it gone and tries anew
        file.close()


def _locked(path: Path, waiting: Callable[[str], object]) -> IO[str]:
    """The lock file at ``path``, opened and locked: the one that is there once the lock is had, not one
    that its holder removed meanwhile."""
    told = False
    while True:
        file = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the build ends)
        if fcntl is None:
            return file
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                file.seek(0)
                waiting(file.read().strip() or "another process")
                told = True
            fcntl.flock(file, fcntl.LOCK_EX)
        if _same_file(file, path):
            file.seek(0)
            file.truncate()
            return file
        file.close()


def _same_file(file: IO[str], path: Path) -> bool:
    try:
        return os.fstat(file.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def recover(out: Path) -> None:
    """Undo what an interrupted build left behind: only ever called by the build holding ``out``."""
    previous = _previous_dir(out)
    if previous.exists() and not out.exists():
        previous.rename(out)
    name = glob.escape(out.name)
    for leftover in [previous, *out.parent.glob(f".{name}.staging.*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A fresh staging folder beside ``out`` to make the new site in, swapped in for the site at ``out``
    when the block ends; if it fails, the staging folder is removed and the site left as it was. The
    caller holds ``out`` (see ``exclusive``)."""
    staging = staging_dir(out)
    try:
        staging.mkdir(parents=True)
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)


def write_pages(staging: Path, pages: Iterable[RenderedPage]) -> dict[str, PageRecord]:
    """Write ``pages`` into ``staging``; each one's record by path. A page given as a path is a file of
    the current site with the right bytes already: it is linked into the new site rather than written again."""
    records, target = {}, _Targets(staging)
    for page in pages:
        if isinstance(page.data, Path):
            link_or_copy(page.data, target(page.path))
        else:
            with open(target(page.path), "wb") as file:
                file.write(page.data)
        records[page.path] = page.record
    return records


def copy_assets(staging: Path, assets: Mapping[str, Path]) -> None:
    """Copy the static files, by output path, into ``staging``."""
    target = _Targets(staging)
    for path, source in assets.items():
        shutil.copyfile(source, target(path))


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link where the file system allows one: the previous site is deleted after the swap, so
    the new site's file is the only name left."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class _Targets:
    """Where each output path goes inside the staging folder, its folders made once each."""

    def __init__(self, staging: Path) -> None:
        self.staging = str(staging)
        self.made: set[str] = set()

    def __call__(self, path: str) -> str:
        folder, _, _ = path.rpartition("/")
        if path.startswith("/") or ".." in path.split("/"):
            raise ValueError(f"refusing to write outside the site: {path}")
        if folder not in self.made:
            os.makedirs(os.path.join(self.staging, folder), exist_ok=True)
            self.made.add(folder)
        return os.path.join(self.staging, path)


def _swap(staging: Path, out: Path) -> None:
    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):
        shutil.rmtree(staging)  # it now holds the previous site
        return
    previous = _previous_dir(out)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2; False where the system offers no such call."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
