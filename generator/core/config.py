"""config.yaml → a frozen Config; unknown or mistyped keys are problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.core.files import DEFAULT_MAX_FILE_SIZE
from generator.core.problems import Problem, raise_if_any, shown_value
from generator.core.strict_yaml import Entry, read_mapping, unknown_keys
from generator.core.textfile import read_utf8

CONFIG_FILE = "config.yaml"
# How messages name a file of the built-in theme: this, then its path in the theme (theme:report.html).
THEME = "theme:"
LANGUAGES = ("zh-CN", "zh-TW", "en")
_KEYS = frozenset(
    {
        "title",
        "description",
        "language",
        "content_dir",
        "output_dir",
        "base_url",
        "defaults",
        "max_file_size",
    }
)
_DEFAULT_KEYS = frozenset({"disclosure"})
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?", re.IGNORECASE)
# An address as a browser's address bar shows it: no spaces, quotes, angle brackets or control characters.
WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>\\`\x00-\x1f\x7f]+", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    description: str
    language: str
    content_dir: Path
    output_dir: Path
    base_url: str | None
    default_disclosure: str | None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # Whether reports marked `draft: true` are built too, for a preview (`build --drafts`); never read
    # from config.yaml, so that a site for publishing cannot be configured to hold drafts.
    drafts: bool = False

    def shown(self, path: Path) -> str:
        """How messages name a file: see shown_path."""
        return shown_path(path, self.root)

    def content_file(self, report_id: str) -> str:
        """How messages name the content file of a report (its id is its path in the content folder)."""
        return f"{self._content_shown}{report_id}"

    @cached_property
    def _content_shown(self) -> str:
        # A content folder that is the project folder itself holds files named from there: a.md.
        return "" if self.content_dir == self.root else f"{self.shown(self.content_dir)}/"


def shown_path(path: Path, root: Path | None = None) -> str:
    """How messages name a file, wherever they come from: a file inside the project folder ``root`` by
    its path from there, with forward slashes (``content/2017/a.md``, ``layouts/report.html``); a file of
    the built-in theme as ``theme:`` and its path in the theme (``theme:report.html``); any other file,
    and the project folder itself, by its absolute path. Where a folder on the way is a link, the file
    is placed by where it really is."""
    path = path.absolute()
    shown = _shown_within(path, root, theme_dir())
    if shown is None:
        shown = _shown_within(path.resolve(), root and root.resolve(), theme_dir().resolve())
    return str(path) if shown is None else shown


def _shown_within(path: Path, root: Path | None, theme: Path) -> str | None:
    # In a source checkout the theme is the project's own layouts/, named as the project's.
    if path.is_relative_to(theme) and not (root and path.is_relative_to(root / "layouts")):
        return THEME + path.relative_to(theme).as_posix()
    if root and path != root and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return None


def theme_dir() -> Path:
    """The built-in layouts: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).parents[1]
    packaged = package / "layouts"
    return packaged if packaged.is_dir() else package.parent / "layouts"


def load_config(root: Path) -> Config:
    """Read ``root/config.yaml``; raise ProblemsFound listing every problem in it."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise_if_any(
            [
                Problem(
                    file=str(path),
                    message="no config.yaml found",
                    hint="run `gongkai init DIR` to start an archive, or pass --root",
                )
            ]
        )
    text, problem = read_utf8(path, CONFIG_FILE)
    raise_if_any([problem] if problem else [])
    entries, problems = read_mapping(text or "", CONFIG_FILE)
    problems += unknown_keys(entries, _KEYS, CONFIG_FILE, "config")
    get = _Getter(entries, problems)
    defaults = get.mapping("defaults", _DEFAULT_KEYS)
    config = Config(
        root=root,
        title=get.text("title", "政府信息公开报告档案"),
        description=get.text("description", ""),
        language=get.choice("language", LANGUAGES, "zh-CN"),
        content_dir=root / get.text("content_dir", "content"),
        output_dir=root / get.text("output_dir", "site"),
        base_url=get.base_url(),
        default_disclosure=_optional_text(defaults.get("disclosure")),
        max_file_size=get.size("max_file_size", DEFAULT_MAX_FILE_SIZE),
    )
    raise_if_any(problems)
    return config


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class _Getter:
    """Typed access to config entries; a wrong type becomes a problem and the default is used."""

    def __init__(self, entries: dict[str, Entry], problems: list[Problem]) -> None:
        self.entries, self.problems = entries, problems

    def _report(self, key: str, found: object, expected: str, hint: str) -> None:
        self.problems.append(
            Problem(
                file=CONFIG_FILE,
                line=self.entries[key].line,
                field=key,
                message=f"found {found!r}; expected {expected}",
                found=shown_value(found),
                expected=expected,
                hint=hint,
            )
        )

    def text(self, key: str, default: str) -> str:
        entry = self.entries.get(key)
        if entry is None or entry.value is None:
            return default
        if not isinstance(entry.value, str) or not entry.value.strip():
            self._report(key, entry.value, "a line of text", f"write `{key}: some text`")
            return default
        return entry.value.strip()

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(key, default)
        if value not in allowed:
            self._report(key, value, "one of " + ", ".join(allowed), f"write `{key}: {default}`")
            return default
        return value

    def mapping(self, key: str, known: frozenset[str]) -> dict:
        entry = self.entries.get(key)
        if entry is None or entry.value is None:
            return {}
        if not isinstance(entry.value, dict):
            self._report(key, entry.value, "a mapping", f"write `{key}:` and indented `name: value` lines")
            return {}
        for name in sorted(set(entry.value) - known):
            self.problems.append(
                Problem(
                    file=CONFIG_FILE,
                    line=entry.line,
                    field=f"{key}.{name}",
                    message=f"unknown key `{name}`",
                    found=name,
                    expected="one of " + ", ".join(sorted(known)),
                    hint="known keys: " + ", ".join(sorted(known)),
                )
            )
        return entry.value

    def size(self, key: str, default: int) -> int:
        """A size such as ``5 MB``, ``800 KB`` or a number of bytes."""
        value = self.text(key, "")
        if not value:
            return default
        found = _SIZE.fullmatch(value)
        if not found or float(found[1]) <= 0:
            self._report(key, value, "a size such as 5 MB or 800 KB", f"write `{key}: 5 MB`")
            return default
        return int(float(found[1]) * _UNITS[(found[2] or "b").lower()])

    def base_url(self) -> str | None:
        value = self.text("base_url", "")
        if not value:
            return None
        if not WEB_ADDRESS.fullmatch(value):
            self._report(
                "base_url",
                value,
                "an http(s) URL without spaces or quotes",
                "write e.g. `base_url: https://archive.example.org/`",
            )
            return None
        return value if value.endswith("/") else value + "/"
