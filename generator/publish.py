"""Write a complete site into a staging folder beside the output, then swap it in.

The previous site stays whole until the new one is complete: a failure while writing leaves it as it
was and removes the staging folder, and a crash leaves the staging folder for the next build to
remove. On Linux the two folders trade places in one step, so the output folder is always a whole
site. Elsewhere the swap is two renames; a crash between them is repaired by the next build, which
finds the previous site under its ``.old`` name.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath


def staging_dir(out: Path) -> Path:
    return out.with_name(f".{out.name}.staging")


def _previous_dir(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def recover(out: Path) -> None:
    """Undo what an interrupted build left behind."""
    previous = _previous_dir(out)
    if previous.exists() and not out.exists():
        previous.rename(out)
    for leftover in (previous, staging_dir(out)):
        if leftover.exists():
            shutil.rmtree(leftover)


def publish(pages: Iterable[tuple[str, bytes]], assets: Mapping[str, Path], out: Path,
            finish: Callable[[Path], object] = lambda staging: None) -> int:
    """Write ``pages`` and copy ``assets`` into a fresh site at ``out``; return the number of files.

    ``finish`` runs on the complete staging folder before the swap (the search index is built there).
    """
    recover(out)
    staging = staging_dir(out)
    try:
        staging.mkdir(parents=True)
        count = 0
        for path, data in pages:
            _target(staging, path).write_bytes(data)
            count += 1
        for path, source in assets.items():
            shutil.copyfile(source, _target(staging, path))
            count += 1
        finish(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, out)
    return count


def _target(staging: Path, path: str) -> Path:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"refusing to write outside the site: {path}")
    target = staging.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


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
