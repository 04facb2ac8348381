"""Everything a build reads, told by the file system alone, without reading a byte of it.

A build whose inputs carry the stamp of the build that made the site has nothing to do: the content
folder, the project's and the theme's layouts (each file's identity, size and times, see
``generator.core.files.stamp``), the settings of config.yaml, the build's options and the generator's
code and libraries. A file changed in the last seconds before the stamp is taken may change again
within the same tick of the file system's clock, size and all, and keep its stamp: such a file is also
recorded by a digest of its bytes, which the next build compares (as git does with its index).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.build.content import walk_content
from generator.build.render import walk_layouts
from generator.core.config import Config
from generator.core.files import Walk, settled


@dataclass(frozen=True)
class Stamp:
    digest: str
    # The files not settled when the stamp was taken (see ``settled``), with a digest of their bytes.
    recent: Mapping[str, str]
    # The content folder as the stamp found it, for the build to read without walking it again.
    content: Walk | None = None
    # The stamp of every input but the content folder: the settings, the options, the code and layouts.
    frame: str = ""


def inputs_stamp(config: Config, options: object, code: str) -> Stamp:
    """The stamp of every file a build of ``config`` with ``options`` reads, made by ``code``."""
    now = time.time_ns()
    settings = repr((code, options, config)).encode()
    digest, frame = (hashlib.blake2b(settings, digest_size=16) for _ in range(2))
    recent = {}
    walks = _walks(config)
    for folder, found in walks.items():
        stamps = [digest] if folder == config.content_dir else [digest, frame]
        if found is None:
            _update(stamps, f"{folder}\0missing\n".encode("utf-8", "surrogateescape"))
            continue
        _update(stamps, repr((str(folder), found.problems)).encode())
        for path in found.files:
            stamp = found.stamps[path]
            _update(stamps, f"{path}\0{stamp}\n".encode("utf-8", "surrogateescape"))
            if not settled(stamp, now):
                recent[str(path)] = _bytes_digest(path)
    return Stamp(digest.hexdigest(), recent, walks[config.content_dir], frame.hexdigest())


def _update(digests: list, data: bytes) -> None:
    for digest in digests:
        digest.update(data)


def unchanged(recent: Mapping[str, str]) -> bool:
    """Whether the files ``recent`` names still hold the bytes it has the digests of."""
    return all(_bytes_digest(Path(path)) == digest for path, digest in recent.items())


def _bytes_digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""


def _walks(config: Config) -> dict[Path, Walk | None]:
    """The folders a build reads, each walked as the build walks it (None for a missing content folder)."""
    content = walk_content(config) if config.content_dir.is_dir() else None
    return {config.content_dir: content, **walk_layouts(config)}
