"""Reading project text files: strict UTF-8, one line-ending convention."""

from __future__ import annotations

import codecs
from pathlib import Path

from generator.core.problems import Problem


def read_utf8(path: Path, shown_as: str) -> tuple[str | None, Problem | None]:
    """The file's text with a leading BOM dropped and CRLF/CR turned into LF, or the problem."""
    data, problem = read_bytes(path, shown_as)
    return (None, problem) if data is None else decode_utf8(data, shown_as)


def read_bytes(path: Path, shown_as: str) -> tuple[bytes | None, Problem | None]:
    try:
        return path.read_bytes(), None
    except OSError as err:
        return None, Problem(
            file=shown_as, message=f"cannot be read: {err.strerror}", hint="check the file's permissions"
        )


def decode_utf8(data: bytes, shown_as: str) -> tuple[str | None, Problem | None]:
    """``data`` as text, read the way read_utf8 reads a file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Problem(
            file=shown_as,
            line=1,
            message="is saved as UTF-16",
            found="UTF-16",
            expected="UTF-8",
            hint="save the file as UTF-8",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return None, Problem(
            file=shown_as,
            line=line,
            message=f"is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
            found=f"byte 0x{data[err.start]:02x} at offset {err.start}",
            expected="valid UTF-8",
            hint="save the file as UTF-8; `gongkai import` converts GB18030 and Big5 files",
        )
    return unified_line_ends(text), None


def unified_line_ends(text: str) -> str:
    """``text`` without a leading byte-order mark, with CRLF and CR line ends turned into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
