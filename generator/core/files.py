"""The files a build reads from a project folder, walked without leaving the project.

A symbolic link is followed only when its target lies inside the project: a link to ``/etc`` or to
another user's files must not end up published. Files above the size cap are refused before they are
read, so no single input can make the build slow or exhaust memory. A name that is not UTF-8 (a zip
made on Chinese Windows unpacks its names in GBK) is refused by name, with its bytes shown, before any
later step has to print, hash or write it.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.problems import Problem

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


@dataclass(frozen=True)
class Walk:
    """Files found under a folder, sorted, and the problems met on the way."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]
    # Each file's identity as the file system tells it without reading it: a change to its bytes
    # changes its times at least (see ``stamp``).
    stamps: Mapping[Path, tuple[int, ...]] = field(default_factory=dict)


def walk(folder: Path, project: Iterable[Path], shown: Callable[[Path], str], max_size: int | None = None) -> Walk:
    """Every file under ``folder`` whose name does not start with a dot.

    ``project`` lists the folders links may point into; ``max_size`` caps each file's size in bytes.
    """
    inside = tuple(p.resolve() for p in project)
    files: list[Path] = []
    stamps: dict[Path, tuple[int, ...]] = {}
    problems: list[Problem] = []
    pending, seen = [folder], {folder.resolve()}
    while pending:
        current = pending.pop()
        for entry in sorted(os.scandir(current), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue  # editor lock and backup files, version control, hidden folders
            path = Path(entry.path)
            if not _is_utf8(entry.name):
                problems.append(_name_problem(printable(shown(path)), entry.name, entry.is_dir()))
                continue
            problem = _link_problem(path, inside, shown) if entry.is_symlink() else None
            if problem:
                problems.append(problem)
            elif entry.is_dir():
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    pending.append(path)
            elif entry.is_file():
                status = entry.stat()
                if max_size is not None and status.st_size > max_size:
                    problems.append(_size_problem(shown(path), status.st_size, max_size))
                else:
                    files.append(path)
                    stamps[path] = stamp(status)
    return Walk(tuple(sorted(files)), tuple(problems), stamps)


# How long a file must have been left alone for its stamp alone to stand for its bytes: a file written
# again within the same tick of the file system's clock keeps its times, size and all.
SETTLE_SECONDS = 2.0


def settled(stamp: tuple[int, ...], now_ns: int) -> bool:
    """Whether the file of ``stamp`` was last changed SETTLE_SECONDS or more before ``now_ns``."""
    return max(stamp[-2:]) < now_ns - SETTLE_SECONDS * 1e9


def stamp(status: os.stat_result) -> tuple[int, ...]:
    """A file's identity and times: a write or a rename over it changes its change time, which no
    tool sets back, so two equal stamps mean the same bytes."""
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def printable(name: str) -> str:
    """``name`` as it can be printed and encoded: the bytes of a name that is not UTF-8 as \\xb1 escapes."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system name decodes to
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name_problem(shown_as: str, name: str, folder: bool) -> Problem:
    try:
        guess = f" (read as GBK it would be {name.encode('utf-8', 'surrogateescape').decode('gbk')})"
    except UnicodeError:
        guess = ""
    what = "folder" if folder else "file"
    skipped = ", so nothing in it is read" if folder else ""
    return Problem(
        file=shown_as,
        message=f"the {what} name {printable(name)} is not UTF-8{guess}; expected a {what} name in UTF-8{skipped}",
        found=printable(name),
        expected=f"a {what} name in UTF-8",
        hint="rename it in UTF-8; names unpacked from a zip made on Chinese "
        f"Windows are GBK, which `convmv -f gbk -t utf-8 --notest -r {posixpath.dirname(shown_as) or '.'}`"
        " converts",
    )


def _link_problem(path: Path, inside: tuple[Path, ...], shown: Callable[[Path], str]) -> Problem | None:
    target = path.resolve()
    if not target.exists():
        return Problem(
            file=shown(path),
            message=f"is a symbolic link to {printable(os.readlink(path))}, which does not exist",
            hint="remove the link, or point it at a file inside the project",
        )
    if not any(target.is_relative_to(folder) for folder in inside):
        return Problem(
            file=shown(path),
            message=f"is a symbolic link to {printable(str(target))}, outside the project; it is not followed",
            hint="copy the file into the project instead of linking to it",
        )
    return None


def _size_problem(shown_as: str, size: int, max_size: int) -> Problem:
    return Problem(
        file=shown_as,
        message=f"is {_readable(size)}; files larger than {_readable(max_size)} are not read",
        found=_readable(size),
        expected=f"at most {_readable(max_size)}",
        hint="split the file, or raise `max_file_size` in config.yaml",
    )


def _readable(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
