"""A strict reading of YAML mappings for front matter and config.

PyYAML's safe loader keeps the last of two duplicate keys (a second ``disclosure:`` could flip a
report to public), reads ``0012`` as 10 and ``no`` as False. Here every scalar stays the string that
was written, duplicate keys and explicit tags are problems, and each top-level key keeps its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches

import yaml

from generator.core.problems import Problem

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# Aliases let a few lines of YAML expand into billions of nodes; nothing we read is that large.
_MAX_NODES = 10_000
# libyaml's composer recurses in C: tens of thousands of nested brackets crash the interpreter.
_MAX_DEPTH = 32
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

Value = str | list["Value"] | dict[str, "Value"] | None


@dataclass(frozen=True)
class Entry:
    """A top-level value and the file line its key stands on."""

    value: Value
    line: int


class _Invalid(Exception):
    def __init__(
        self, line: int, message: str, hint: str, found: str | None = None, expected: str | None = None
    ) -> None:
        self.line, self.message, self.hint, self.found, self.expected = line, message, hint, found, expected


def read_mapping(text: str, path: str, first_line: int = 1) -> tuple[dict[str, Entry], list[Problem]]:
    """Parse ``text`` as one YAML mapping; lines in problems count from ``first_line``."""
    too_deep = _too_deep(text)
    if too_deep is not None:
        return {}, [
            Problem(
                file=path,
                line=first_line + too_deep,
                message=f"the YAML is nested more than {_MAX_DEPTH} levels deep",
                found=f"more than {_MAX_DEPTH} levels",
                expected=f"at most {_MAX_DEPTH} levels",
                hint="write values flat: a list of names, not lists inside lists",
            )
        ]
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + mark.line if mark else None
        message = f"YAML syntax error: {err.problem or err.context}"
        if err.problem and err.context and err.context_mark:
            message += f" ({err.context} on line {first_line + err.context_mark.line})"
        return {}, [
            Problem(
                file=path,
                line=line,
                message=message,
                hint="check brackets, quotes, colons and indentation from that line on",
            )
        ]
    except yaml.YAMLError as err:
        return {}, [
            Problem(file=path, line=first_line, message=f"YAML syntax error: {err}", hint="check the YAML syntax")
        ]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [
            Problem(
                file=path,
                line=first_line + root.start_mark.line,
                message="found a YAML value that is not a mapping",
                found="a list" if isinstance(root, yaml.SequenceNode) else "a single value",
                expected="a mapping: `key: value` pairs",
                hint="write one `key: value` pair per line",
            )
        ]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    budget = [_MAX_NODES]
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        try:
            key = _scalar_key(key_node, first_line)
            if key in entries:
                problems.append(
                    Problem(
                        file=path,
                        line=line,
                        field=key,
                        message=f"found a second `{key}:` line (the first is line {entries[key].line})",
                        found=f"a second `{key}:` line",
                        expected=f"one `{key}:` line",
                        hint="keep one of the two; YAML readers silently disagree on which one wins",
                    )
                )
                continue
            entries[key] = Entry(_to_python(value_node, budget, first_line), line)
        except _Invalid as err:
            problems.append(
                Problem(
                    file=path, line=err.line, message=err.message, found=err.found, expected=err.expected, hint=err.hint
                )
            )
    return entries, problems


def _too_deep(text: str) -> int | None:
    """The line where nesting first exceeds _MAX_DEPTH, found from parser events, which do not recurse."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            depth += isinstance(event, _OPENS) - isinstance(event, _CLOSES)
            if depth > _MAX_DEPTH:
                return event.start_mark.line
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its context
    return None


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _scalar_key(node: yaml.Node, first_line: int) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        raise _Invalid(
            first_line + node.start_mark.line,
            "found a key that is not plain text",
            "keys are plain words such as `title:`",
            expected="a key in plain text",
        )
    return node.value


def _to_python(node: yaml.Node, budget: list[int], first_line: int) -> Value:
    budget[0] -= 1
    line = first_line + node.start_mark.line
    if budget[0] < 0:
        raise _Invalid(line, "the YAML expands to too many values (aliases?)", "write values out without `*alias`")
    if node.tag not in _PLAIN_TAGS:
        written = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Invalid(
            line,
            f"found the YAML tag `{written}`; tags are not allowed",
            "remove the `!`/`!!` tag and write the value as plain text",
            found=written,
            expected="a value without a tag",
        )
    if isinstance(node, yaml.ScalarNode):
        return None if node.style is None and node.value in _NULLS else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, budget, first_line) for item in node.value]
    result: dict[str, Value] = {}
    for key_node, value_node in node.value:
        key = _scalar_key(key_node, first_line)
        if key in result:
            raise _Invalid(
                first_line + key_node.start_mark.line,
                f"duplicate key `{key}`",
                "keep one of the two lines",
                found=f"a second `{key}:` line",
                expected=f"one `{key}:` line",
            )
        result[key] = _to_python(value_node, budget, first_line)
    return result


def unknown_keys(entries: Mapping[str, Entry], known: frozenset[str], path: str, what: str) -> list[Problem]:
    """One problem per key outside ``known``, suggesting the closest known key."""
    problems = []
    for key, entry in entries.items():
        if key not in known:
            close = get_close_matches(key, sorted(known), n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known {what} keys: {', '.join(sorted(known))}"
            problems.append(
                Problem(
                    file=path,
                    line=entry.line,
                    field=key,
                    message=f"unknown {what} key `{key}`",
                    found=key,
                    expected=f"one of {', '.join(sorted(known))}",
                    hint=hint,
                )
            )
    return problems


def split_front_matter(text: str, shown_as: str) -> tuple[str, str] | Problem:
    """(front matter, body) of a content file's text, or the problem with its shape."""
    if not text.startswith("---\n"):
        return Problem(
            file=shown_as,
            line=1,
            message="no front matter found at the top of the file",
            hint="start the file with a `---` line, the report's fields, and another `---` line",
        )
    end = re.search(r"^---[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        return Problem(
            file=shown_as,
            line=1,
            message="the front matter is not closed",
            hint="add a `---` line after the last field, before the report text",
        )
    return text[4 : 4 + end.start()], text[4 + end.end() :].lstrip("\n")
