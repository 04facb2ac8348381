"""Strict decoding of raw report files: a file is read correctly or refused, never guessed into mojibake."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from generator.textfile import unified_line_ends

# Legacy encodings of Chinese text found on government portals, with the names people know them by.
CANDIDATES = {"gb18030": "GB18030", "big5": "Big5"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
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

    def __init__(self, message: str, hint: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def decode(data: bytes, encoding: str | None = None, how: str = "given") -> Decoded:
    """The text of ``data``, in ``encoding`` when one is known; raises :class:`Undecodable` rather than guess."""
    if encoding:
        return _checked(_strict(data, encoding), encoding, how)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, codec), codec, "byte-order mark")
    try:
        return _checked(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    return _detected(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise Undecodable(f"unknown encoding {encoding!r}", "use a name such as utf-8, gb18030 or big5") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise Undecodable(
            f"is not valid {encoding} (byte 0x{data[err.start]:02x} at offset {err.start})",
            "check the file's encoding; leave out --encoding to have it detected",
            line=data.count(b"\n", 0, err.start) + 1,
        ) from None


def _detected(data: bytes) -> Decoded:
    decodable = {}
    for encoding in CANDIDATES:
        try:
            decodable[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decodable:
        raise Undecodable("is neither UTF-8 nor " + " nor ".join(CANDIDATES.values()),
                          "find out the file's encoding and pass it with --encoding")
    plausible = [match.encoding for match in from_bytes(data, cp_isolation=list(decodable))
                 if match.chaos <= _MAX_CHAOS]
    chosen = [encoding for encoding in decodable if codecs.lookup(encoding).name in
              {codecs.lookup(name).name for name in plausible}]
    if len(chosen) == 1:
        return _checked(decodable[chosen[0]], chosen[0], "detected")
    readings = "; ".join(f"as {enc}: {_sample(text)}" for enc, text in decodable.items())
    doubt = "both read as text" if chosen else "neither reads as text"
    raise Undecodable(f"encoding is uncertain ({doubt}) — {readings}",
                      "look at the readings and pass the right one with --encoding, e.g. --encoding "
                      f"{next(iter(decodable))}")


def _sample(text: str) -> str:
    start = next((i for i, char in enumerate(text) if ord(char) > 0x2E7F), 0)
    return repr(text[start:start + _SAMPLE])


def _checked(text: str, encoding: str, how: str) -> Decoded:
    if "\ufffd" in text:
        line = text.count("\n", 0, text.index("\ufffd")) + 1
        raise Undecodable("contains U+FFFD replacement characters: the text was damaged before this file was saved",
                          "find an undamaged copy of the report", line=line)
    return Decoded(unified_line_ends(text), encoding, how)
