"""Write a complete site into a staging folder beside the output, then swap it in.

The previous site stays whole until the new one is complete: a failure while writing leaves it as it
was and removes the staging folder, and a crash leaves the staging folder for the next build to
remove. On Linux the two folders trade places in one step, so the output folder is always a whole
site. Elsewhere the swap is two renames; a crash between them is repaired by the next build, which
finds the previous site under its ``.old`` name.

The site replaced by a swap is kept beside the output as the spare folder, holding only the files that
are the same in the new site (the rest are deleted at once, so nothing the new site dropped, such as a
report withdrawn from publication, stays in it). The next build makes its staging folder of the spare,
when its record shows what the spare holds: it writes the files that changed and deletes those gone,
rather than linking every file of the site anew and deleting the whole previous site after the swap.

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
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
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


def spare_dir(out: Path) -> Path:
    return out.with_name(f".{out.name}.spare")


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


@dataclass(frozen=True)
class Spare:
    """What the spare folder beside a site holds, as the build that kept it recorded: the folder's
    inode, and the digest of each file by path."""

    inode: int
    files: Mapping[str, str]


@dataclass
class Staging:
    """The folder a build writes the new site into, and the files it holds already (path → digest of
    what each was made from): those of the spare it was made of. ``kept`` is set by the build before it
    ends: the files, by path and digest, of the site it replaces that the new site has unchanged."""

    folder: Path
    present: Mapping[str, str]
    kept: Mapping[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def staged(out: Path, spare: Spare | None = None) -> Iterator[Staging]:
    """A staging folder beside ``out`` to make the new site in: the spare folder when ``spare`` is its
    record, else a fresh one. It is swapped in for the site at ``out`` when the block ends, and the site
    it replaces kept as the spare; if the block fails, the staging folder is removed and the site left as
    it was. The caller holds ``out`` (see ``exclusive``)."""
    staging = Staging(staging_dir(out), _take_spare(out, spare))
    try:
        # The spare, when taken, is there already; anything else of that name an earlier build left
        # was removed when the output folder was taken (see ``recover``).
        staging.folder.mkdir(parents=True, exist_ok=True)
        yield staging
    except BaseException:
        shutil.rmtree(staging.folder, ignore_errors=True)
        raise
    previous = _swap(staging.folder, out)
    if previous is not None:
        _keep_spare(previous, out, staging.kept)


def _take_spare(out: Path, spare: Spare | None) -> Mapping[str, str]:
    """Move the spare folder to the staging folder's name when ``spare`` is its record; what it holds."""
    folder = spare_dir(out)
    try:
        if spare is not None and spare.files and folder.stat().st_ino == spare.inode:
            folder.rename(staging_dir(out))
            # Whatever else an interrupted build left in it goes; whatever is missing is made.
            return {path: spare.files[path] for path in tidy(staging_dir(out), spare.files)}
    except FileNotFoundError:
        return {}
    shutil.rmtree(folder, ignore_errors=True)
    return {}


def _keep_spare(previous: Path, out: Path, kept: Mapping[str, str]) -> None:
    """Keep ``previous``, the site just replaced, as the spare: only the files ``kept`` names."""
    if not kept:
        shutil.rmtree(previous)
        return
    spare = spare_dir(out)
    shutil.rmtree(spare, ignore_errors=True)
    previous.rename(spare)
    tidy(spare, kept)


def tidy(folder: Path, wanted: Collection[str]) -> set[str]:
    """Delete every file under ``folder`` whose path is not ``wanted``, and the folders left empty; the
    paths of the wanted files found."""
    found = set()
    for current, _, files in os.walk(folder, topdown=False):
        relative = os.path.relpath(current, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in files:
            if prefix + name in wanted:
                found.add(prefix + name)
            else:
                os.unlink(os.path.join(current, name))
        if prefix and not os.listdir(current):
            os.rmdir(current)
    return found


def drop(staging: Staging, wanted: Collection[str]) -> None:
    """Delete the files the staging folder held already that the new site does not have, and the
    folders they leave empty."""
    top = str(staging.folder)
    for path in staging.present.keys() - set(wanted):
        file = os.path.join(top, path)
        os.unlink(file)
        folder = os.path.dirname(file)
        while folder != top and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def write_pages(staging: Staging, pages: Iterable[RenderedPage]) -> dict[str, PageRecord]:
    """Write ``pages`` into ``staging``; each one's record by path. A file the staging folder holds
    already from the same digest is left as it is. A page given as a path is a file of the current site
    with the right bytes already: it is linked into the new site rather than written again. A file is
    never written over, but deleted first: it may be a link to the same file in the live site."""
    records, target = {}, _Targets(staging.folder)
    for page in pages:
        records[page.path] = page.record
        if staging.present.get(page.path) == page.record.digest:
            continue
        file = target(page.path)
        if staging.present:
            _remove(file)
        if isinstance(page.data, Path):
            link_or_copy(page.data, file)
        else:
            with open(file, "wb") as output:
                output.write(page.data)
    return records


def copy_assets(staging: Staging, assets: Mapping[str, Path]) -> None:
    """Copy the static files, by output path, into ``staging``, each anew."""
    target = _Targets(staging.folder)
    for path, source in assets.items():
        file = target(path)
        if staging.present:
            _remove(file)
        shutil.copyfile(source, file)


def _remove(file: str) -> None:
    """Delete ``file`` if it is there: in a staging folder made of the spare, a file is replaced by a new
    one, never written over, as it may be a link to the same file of the live site."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(file)


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


def _swap(staging: Path, out: Path) -> Path | None:
    """Put the new site in place; where the site it replaced is now, if there was one."""
    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):
        return staging  # it now holds the previous site
    previous = _previous_dir(out)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    return previous if previous.is_dir() else None


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2; False where the system offers no such call."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
