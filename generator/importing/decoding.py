"""Strict decoding of raw report files: a file is read correctly or refused, never guessed into mojibake."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from generator.core.textfile import unified_line_ends

# Legacy encodings of Chinese text found on government portals, with the names people know them by.
CANDIDATES = {"gb18030": "GB18030", "big5": "Big5"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Codecs Python counts as text encodings that do not read text: they turn escape sequences (\\u4e2d) or
# ASCII transcriptions (punycode, idna, UTF-7) into other characters, so a page labelled with one would
# import as something it does not say. No portal writes reports in them.
_NOT_FOR_TEXT = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7", "undefined"})
_EXAMPLES = "a text encoding such as utf-8, gb18030 or big5"
FIND_THE_ENCODING = "find out the page's real encoding and pass it with --encoding, e.g. --encoding utf-8"
DECLARED = "declared in the page"
# charset-normalizer's "chaos" is the share of the text that looks like mojibake; real text scores 0.
_MAX_CHAOS = 0.1
_SAMPLE = 24


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    how: str  # "given", "declared in the page", "byte-order mark", "valid UTF-8" or "detected"


class Undecodable(Exception):
    """The file's bytes cannot be turned into text with certainty."""

    def __init__(
        self, message: str, hint: str, line: int | None = None, found: str | None = None, expected: str | None = None
    ) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.found, self.expected = message, hint, line, found, expected


def decode(data: bytes, encoding: str | None = None, how: str = "given") -> Decoded:
    """The text of ``data``, in ``encoding`` when one is known; raises :class:`Undecodable` rather than guess."""
    if encoding:
        return _checked(_strict(data, encoding, how), encoding, how)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec), codec, "byte-order mark")
    try:
        return _checked(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    return _detected(data)


def has_bom(data: bytes) -> bool:
    return data.startswith(tuple(bom for bom, _ in _BOMS))


def text_encoding(name: str, how: str = "given") -> str:
    """``name`` when it is a text encoding; raises :class:`Undecodable` saying what it is instead.

    Python's codecs include hex, base64, zlib and rot13, which turn bytes into bytes: decoding with them
    raises LookupError, and a page declaring one would stop a whole import.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        what = "an encoding Python does not know"
    else:
        if info.name in _NOT_FOR_TEXT:
            what = f"Python's {info.name} codec, which reads escape sequences or ASCII transcriptions, not text"
        elif not getattr(info, "_is_text_encoding", True):
            what = f"Python's {info.name} codec, which turns bytes into bytes, not into text"
        else:
            return name
    if how != DECLARED:
        raise Undecodable(
            f"--encoding {name} is {what}; expected {_EXAMPLES}",
            "pass the encoding the files are saved in, or leave out --encoding to have it detected",
            found=name,
            expected=_EXAMPLES,
        )
    raise Undecodable(
        f"the page declares charset={name}: {what}; expected {_EXAMPLES}",
        FIND_THE_ENCODING,
        found=name,
        expected=_EXAMPLES,
    )


def _strict(data: bytes, encoding: str, how: str = "given") -> str:
    text_encoding(encoding, how)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        declared = how == DECLARED
        raise Undecodable(
            f"{f'declares charset={encoding} but ' if declared else ''}is not valid {encoding} "
            f"(byte 0x{data[err.start]:02x} at offset {err.start})",
            FIND_THE_ENCODING if declared else "check the file's encoding; leave out --encoding to have it detected",
            line=data.count(b"\n", 0, err.start) + 1,
            found=f"byte 0x{data[err.start]:02x} at offset {err.start}",
            expected=f"valid {encoding}",
        ) from None


def _detected(data: bytes) -> Decoded:
    decodable = {}
    for encoding in CANDIDATES:
        try:
            decodable[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decodable:
        raise Undecodable(
            "is neither UTF-8 nor " + " nor ".join(CANDIDATES.values()),
            "find out the file's encoding and pass it with --encoding",
        )
    plausible = [
        match.encoding for match in from_bytes(data, cp_isolation=list(decodable)) if match.chaos <= _MAX_CHAOS
    ]
    chosen = [
        encoding
        for encoding in decodable
        if codecs.lookup(encoding).name in {codecs.lookup(name).name for name in plausible}
    ]
    if len(chosen) == 1:
        return _checked(decodable[chosen[0]], chosen[0], "detected")
    readings = "; ".join(f"as {enc}: {_sample(text)}" for enc, text in decodable.items())
    doubt = "both read as text" if chosen else "neither reads as text"
    raise Undecodable(
        f"encoding is uncertain ({doubt}) — {readings}",
        f"look at the readings and pass the right one with --encoding, e.g. --encoding {next(iter(decodable))}",
    )


def _sample(text: str) -> str:
    start = next((i for i, char in enumerate(text) if ord(char) > 0x2E7F), 0)
    return repr(text[start : start + _SAMPLE])


def _checked(text: str, encoding: str, how: str) -> Decoded:
    if "\ufffd" in text:
        line = text.count("\n", 0, text.index("\ufffd")) + 1
        raise Undecodable(
            "contains U+FFFD replacement characters: the text was damaged before this file was saved",
            "find an undamaged copy of the report",
            line=line,
        )
    return Decoded(unified_line_ends(text), encoding, how)
