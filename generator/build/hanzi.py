"""The data of the 简/繁 display switch (``layouts/assets/script-switch.js``).

The switch converts what a reader sees, in the reader's browser, on display only: every page is
written as the archive has it. It loads, only when a reader asks for it:

- ``hanzi/labels.js``: the site's labels (and its title and description) in both scripts, each label
  converted whole by OpenCC, so that its phrases come out right;
- ``hanzi/s2t.js`` and ``hanzi/t2s.js``: for the reports' text, what each character becomes in the
  other script on its own (OpenCC's single-character tables), one file per direction.

Nothing here is made from a report, so no report, published or not, reaches these files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache

from generator.core import urls
from generator.core.chinese import changed_characters, convert

# Han characters that only OpenCC's tables treat as variants: radicals and compatibility ideographs
# stand for a unified character with the same reading, so showing them converted would change the
# glyph a report chose, not its script.
_NOT_CONVERTED = ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
# OpenCC's configuration for each script a reader may ask for.
CONFIGS = {"hant": "s2t", "hans": "t2s"}


def hanzi_paths() -> tuple[str, ...]:
    return urls.HANZI_LABELS, urls.HANZI_S2T, urls.HANZI_T2S


def hanzi_files(labels: Mapping[str, str], title: str, description: str) -> list[tuple[str, bytes]]:
    """The switch's data files: the site's labels, title and description in both scripts; the tables."""
    shown = [title, description, *labels.values()]
    return [
        (urls.HANZI_LABELS, _receive("labels", label_pairs(shown))),
        (urls.HANZI_S2T, _receive("s2t", character_pairs("s2t"))),
        (urls.HANZI_T2S, _receive("t2s", character_pairs("t2s"))),
    ]


def label_pairs(texts: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each script, each text that differs in it, as written → as that script writes it."""
    written = sorted({text for text in texts if text})
    pairs: dict[str, dict[str, str]] = {}
    for script, config in CONFIGS.items():
        pairs[script] = {text: converted for text in written if (converted := convert(text, config)) != text}
    return pairs


@lru_cache(maxsize=2)
def character_pairs(config: str) -> str:
    """Each character OpenCC's ``config`` changes on its own, followed by what it becomes: ``发發后後…``.
    Pairs, rather than a JSON object, keep the file at about half the size."""
    return "".join(
        char + converted
        for char, converted in changed_characters(config).items()
        if len(converted) == 1 and not _kept(char) and not _kept(converted)
    )


def _kept(char: str) -> bool:
    return any(first <= ord(char) <= last for first, last in _NOT_CONVERTED)


def _receive(name: str, data: object) -> bytes:
    """A classic script handing ``data`` to the switch: it loads from disk (file://) as well as served."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"gongkaiHanzi.receive({json.dumps(name)},{payload});\n".encode()
