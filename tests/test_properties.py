"""Random input: a build either succeeds with pages where nothing runs, or fails with problems that
name a file; it never raises anything else. Deleted passages never survive, whatever surrounds them."""

from __future__ import annotations

import pytest
import yaml
from factory import CONFIG, make_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scanning import assert_inert

from generator.build.content import load_content
from generator.build.redaction import redact
from generator.core.config import load_config
from generator.core.problems import ProblemsFound
from generator.core.strict_yaml import read_mapping
from generator.pipeline import build_site

# Pieces hostile or broken input is made of: Markdown and HTML syntax, script, YAML syntax, 删减
# markers, brackets, control characters, Traditional and Simplified text.
PIECES = [
    "报告",
    "公开",
    "临沧",
    "臨滄",
    "〔2018〕",
    "【",
    "】",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    '"',
    "'",
    "&",
    "/",
    "\\",
    ":",
    "*",
    "_",
    "`",
    "#",
    "|",
    "!",
    "-",
    "+",
    "=",
    "~",
    ".",
    "\n",
    "\n\n",
    " ",
    "    ",
    "\t",
    "\x00",
    "\x1b",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\r\n",
    "javascript:",
    "data:",
    "http://x.org/",
    "<script>",
    "</script>",
    "onerror=",
    "<!--",
    "-->",
    "[删减]",
    "[/删减]",
    "【删减：隐私】",
    "](",
    "![",
    "{{",
    "}}",
    "{%",
    "%}",
    "---",
    "- ",
    "1. ",
    "> ",
    "```",
    "&#x61;",
    "%2e%2e",
    "..",
    "con",
    "不予公开",
    "主动公开",
    "删减后公开",
    "&amp;",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# Unpaired 删减 markers always refuse the file; their own property below covers them.
BODY = st.lists(st.sampled_from([p for p in PIECES if "删减" not in p]), max_size=60).map("".join)
KEYS = [
    "title",
    "agency",
    "region",
    "year",
    "doc_number",
    "date",
    "disclosure",
    "kind",
    "source",
    "source_url",
    "slug",
    "language",
    "attachments",
    "import",
    "extra",
]
VALUE = st.recursive(
    st.one_of(TEXT, st.integers(-10, 3000), st.none(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)
VALID = {
    "title": "某市民政局2020年报告",
    "agency": "某市民政局",
    "region": ["某省", "某市"],
    "year": 2020,
    "disclosure": "主动公开",
}


@st.composite
def report_files(draw: st.DrawFn) -> str:
    """A content file: random fields over a plain text, raw front-matter text, or a random text."""
    fields = {**VALID, **draw(st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=3))}
    valid = yaml.safe_dump(VALID, allow_unicode=True)
    front, body = draw(
        st.one_of(
            st.tuples(st.just(yaml.safe_dump(fields, allow_unicode=True)), st.just("正文。")),
            st.tuples(TEXT.map(lambda text: valid + text), st.just("正文。")),
            st.tuples(st.just(valid), BODY),
        )
    )
    return f"---\n{front}\n---\n{body}\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(report_files(), min_size=1, max_size=2))
def test_random_content_builds_inert_pages_or_fails_with_named_problems(
    files: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = make_project(
        tmp_path_factory.mktemp("random"), {f"content/{n}.md": text for n, text in enumerate(files)}, config=CONFIG
    )
    try:
        build_site(root)
    except ProblemsFound as found:
        assert found.problems
        assert all(problem.file.startswith(("content/", "layouts")) and problem.message for problem in found.problems)
        assert not (root / "site").exists()
        event("refused")
        return
    event("built")
    assert_inert(root / "site")


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_any_yaml_text_gives_entries_or_problems(text: str) -> None:
    entries, problems = read_mapping(text, "content/a.md", first_line=2)
    assert all(p.file == "content/a.md" and p.message for p in problems)
    assert all(isinstance(key, str) for key in entries)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_are_read_or_refused(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = make_project(tmp_path_factory.mktemp("bytes"), {"content/a.md": b"---\ntitle: x\n---\n" + data})
    content = load_content(load_config(root))
    assert all(p.file == "content/a.md" and p.message for p in content.problems)


SECRET = st.lists(
    st.sampled_from(["机密", "SECRET", "\n", "\n\n", "## ", "[链接](http://x.org)", "<!-- -->", " "]),
    min_size=1,
    max_size=8,
).map(lambda parts: "机密" + "".join(parts))
OPEN = st.sampled_from(["[删减]", "【删减】", "〔删减：隐私〕", "［刪減：商業秘密］", "[ 删减 ]"])
CLOSE = st.sampled_from(["[/删减]", "【/删减】", "〔／删减〕", "［/刪減］"])


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(TEXT.filter(lambda t: "删减" not in t and "机密" not in t), OPEN, SECRET, CLOSE),
        min_size=1,
        max_size=4,
    ),
    tail=TEXT.filter(lambda t: "删减" not in t),
)
def test_marked_passages_never_survive(parts: list[tuple[str, str, str, str]], tail: str) -> None:
    body = "".join("".join(part) for part in parts) + tail
    redacted = redact(body, "zh-Hans", "content/a.md", 8)
    assert redacted.problems == ()
    assert redacted.count == len(parts)
    assert "机密" not in redacted.text and "SECRET" not in redacted.text
    # No line of a passage is left in the text; the lines cut are counted for messages instead.
    assert redacted.text.count("\n") + redacted.lines_cut(len(redacted.text)) == body.count("\n")


def test_placeholder_for_a_traditional_report() -> None:
    assert redact("甲[删减：涉及隱私]乙[/删减]丙", "zh-Hant", "a.md", 1).text == "甲〔此處刪減：涉及隱私〕丙"


def test_unrelated_brackets_are_left_alone() -> None:
    text = "〔此处删减〕是原件已有的字样；[删除]与（删减）不是标记。"
    assert redact(text, "zh-Hans", "a.md", 1).text == text
