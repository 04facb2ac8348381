"""删减 markup that almost works, and deleted passages that leave no trace of their length.

Text that looks like a marker but is not one (〖删减〗, （删除）, [删<U+200B>减] …) would publish what it was
meant to delete, so it refuses the report. A deleted passage becomes its placeholder alone: the pages and
search data of a report are the same whether the passage took one line or seven, wherever it stood.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from factory import make_project, report_text
from hypothesis import given, settings
from hypothesis import strategies as st
from scanning import traces

from generator.build.redaction import near_misses, redact
from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

VALID_PAIR = "甲[删减]QZSVALID[/删减]乙。"
# Copies of real raw reports: the development corpus and the five seeds.
FIXTURES = Path(__file__).parent / "fixtures"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    return [str(problem) for problem in found.value.problems]


def _line(root: Path, words: str) -> int:
    """The line of content/a.md that holds ``words``."""
    lines = (root / "content/a.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if words in line)


@pytest.mark.parametrize(
    "written",
    [
        "〖删减〗",
        "（删减）",
        "(删减)",
        "｛删减｝",
        "{删减}",
        "「删减」",
        "『删减』",
        "《删减》",
        "<删减>",
        "〈删减〉",
        "＜删减＞",
        "〘删减〙",
        "⦅删减⦆",
        "«删减»",
        "[删\u200b减]",
        "[\u200b删减]",
        "[删减\u200d]",
        "[\ufeff删减]",
        "[删\u00ad减]",
        "[删\u2060减]",
        "[删\u200e减]",
        "[删\u3000减]",
        "[删 减]",
        "[删\u3164减]",
        "[刪减]",
        "[删減]",
        "[删除]",
        "[刪除]",
        "【刪除】",
        "[删节]",
        "〔刪節〕",
        "[\\删减]",
        "[＼删减]",
        "[删减/]",
        "〖/删减〗",
        "（／删减）",
        "〖删减：涉及隐私〗",
        "(删除: 个人信息)",
        "[删\u0301减]",
    ],
)
def test_near_miss_refuses_a_report_that_also_has_a_valid_pair(written: str, tmp_path: Path) -> None:
    body = f"## 一、总体情况\n\n{VALID_PAIR}\n\n申请人{written}QZSNEAR张三。\n"
    root = make_project(tmp_path, {"content/a.md": report_text(body=body, disclosure="删减后公开")})
    [problem] = problems_of(root)
    shown = written.replace("\u200b", "<U+200B>").replace("\u200d", "<U+200D>").replace("\ufeff", "<U+FEFF>")
    assert problem.startswith(f"content/a.md:{_line(root, 'QZSNEAR')}: found ")
    assert (
        "which looks like a 删减 marker but is not one, so what it marks would be published; a marker is "
        "[删减], [删减：reason] or [/删减]" in problem
    )
    assert "hint: retype it as a marker if it marks a deleted passage" in problem
    if "\u200b" in written or "\u200d" in written or "\ufeff" in written:
        assert f"found {shown}," in problem
    assert not (tmp_path / "site").exists()


def test_invisible_characters_are_named_in_the_message() -> None:
    [problem] = redact("[删\u200b减]机密[/删减]", "zh-Hans", "content/a.md", 7).problems[:1]
    assert problem.line == 7 and problem.message.startswith("found [删<U+200B>减], which looks like")


def test_near_miss_names_its_line_after_a_long_deleted_passage(tmp_path: Path) -> None:
    body = "第一段。\n\n[删减]\n" + "机密\n" * 6 + "[/删减]\n\n第二段（删减）。\n"
    root = make_project(tmp_path, {"content/a.md": report_text(body=body, disclosure="删减后公开")})
    [problem] = problems_of(root)
    assert problem.startswith(f"content/a.md:{_line(root, '第二段')}: found （删减）")


def test_near_miss_in_front_matter_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(title="某局报告〖删减〗QZSTITLE〖/删减〗")})
    [problem] = problems_of(root)
    assert problem.startswith("content/a.md:2: title: found 〖删减〗, which looks like a 删减 marker")
    assert problem.endswith("hint: write `title:` without it; 删减 markup works only in the report text")


# Real report text that mentions deleting, with and without brackets that are not around the word.
PROSE = [
    "对已删除的信息不再提供。",
    "删减了部分内容。",
    "公开属性分为“主动公开”“删减后公开”“依申请公开”。",
    "（已删除）",
    "（删除后重新发布）",
    "【删减版】",
    "《关于删除过期信息的通知》",
    "〔此处删减〕是原件已有的字样。",
    "〔此處刪減：涉及隱私〕",
    "删除）",
    "（删除",
    "删减：无",
    "(删除线部分)",
    "[删减后公开]",
    "“删除”按钮",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_about_deleting_is_not_a_near_miss(text: str) -> None:
    assert list(near_misses(text)) == []


def test_the_corpus_and_seeds_raise_nothing() -> None:
    """Real reports, as collected: nothing in them looks like a marker (a finding here needs a reason)."""
    folders = [FIXTURES / "corpus", FIXTURES / "seeds"]
    files = [path for folder in folders for path in sorted(folder.iterdir())]
    assert len(files) == 70 + 5, files
    found = [(path.name, hit) for path in files for hit in near_misses(path.read_text(encoding="utf-8"))]
    assert found == []


def test_valid_markers_keep_working(tmp_path: Path) -> None:
    body = (
        "甲[删减]QZSA[/删减]乙【删减：涉及隐私】QZSB【/删减】丙〔删减〕QZSC〔／删减〕"
        "丁［刪減：商業秘密］QZSD［/刪減］戊[ 删减 ]QZSE[/ 删减 ]。\n"
    )
    root = make_project(tmp_path, {"content/a.md": report_text(body=body, disclosure="删减后公开")})
    assert build_site(root).reports == 1
    assert traces(root / "site", "QZS") == []
    html = next((root / "site/reports/2020").glob("*.html")).read_text(encoding="utf-8")
    assert "〔此处删减：涉及隐私〕" in html and "〔此处删减：商業秘密〕" in html


def _passage(lines: int) -> str:
    """A deleted passage of ``lines`` lines, blank ones among them when there are enough."""
    words = [f"QZS第{n}行" if n % 3 != 2 else "" for n in range(lines)]
    return "[删减：涉及个人隐私]" + "\n".join(words) + "[/删减]"


# Places where a line break would show: each holds the passage once.
CONTEXTS = [
    "```\n第一行代码\n{cut}\n末行代码\n```",
    "```text\n{cut}\n```",
    "    缩进的代码\n    {cut}\n    缩进的代码完",
    "- [ ] 甲事项\n- [ ] {cut}\n- [x] 乙事项",
    "1. 第一项\n2. {cut}继续\n3. 第三项",
    "| 项目 | 数量 |\n|---|---|\n| 依申请公开 | {cut} |\n| 主动公开 | 12 |",
    "> 引文开头{cut}引文结尾\n> 引文第二行",
    "正文开头{cut}正文结尾。\n紧接的一行。",
    "## 标题{cut}",
    "{cut}\n\n独立段落。",
]


def _site(root: Path, lines: int) -> Path:
    body = "\n\n".join(context.format(cut=_passage(lines)) for context in CONTEXTS) + "\n"
    make_project(root, {"content/a.md": report_text(body=body, disclosure="删减后公开", slug="a")})
    build_site(root)
    return root / "site"


def _differences(left: Path, right: Path) -> list[str]:
    found = []
    pending = [filecmp.dircmp(left, right)]
    while pending:
        compared = pending.pop()
        found += compared.left_only + compared.right_only + compared.diff_files + compared.funny_files
        _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
        found += mismatch + errors
        pending += compared.subdirs.values()
    return found


def test_one_line_and_seven_lines_deleted_give_the_same_site(tmp_path: Path) -> None:
    one, seven = _site(tmp_path / "one", 1), _site(tmp_path / "seven", 7)
    assert _differences(one, seven) == []
    assert traces(seven, "QZS") == []
    html = (seven / "reports/2020/a.html").read_text(encoding="utf-8")
    assert "<code>第一行代码\n〔此处删减：涉及个人隐私〕\n末行代码\n</code>" in html
    assert '<td>依申请公开</td>\n<td><span class="redaction">〔此处删减：涉及个人隐私〕</span></td>' in html


def test_a_broken_link_after_a_deleted_passage_names_its_file_line(tmp_path: Path) -> None:
    body = (
        "第一段。\n\n```\n代码\n[删减]\n" + "机密\n" * 7 + "[/删减]\n```\n\n"
        "见[附件](gone.pdf)。\n\n前文[删减]机\n\n密[/删减]后文[另一附件](gone2.pdf)。\n"
    )
    root = make_project(tmp_path, {"content/a.md": report_text(body=body, disclosure="删减后公开")})
    assert [problem.split(": ")[0] for problem in problems_of(root)] == [
        f"content/a.md:{_line(root, 'gone.pdf')}",
        f"content/a.md:{_line(root, 'gone2.pdf')}",
    ]


SECRET = st.lists(
    st.sampled_from(["机密", "\n", "\n\n", "```\n", "| ", "> ", "- ", "[链接](x.html)", " "]), min_size=1, max_size=10
).map("".join)
KEPT = st.lists(
    st.sampled_from(["公开", "\n", "\n\n", "```\n", "| ", "> ", "- ", "1. ", "    ", "甲"]), max_size=10
).map("".join)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.tuples(KEPT, SECRET), min_size=1, max_size=4), tail=KEPT)
def test_lines_cut_out_are_counted_and_leave_nothing_behind(parts: list[tuple[str, str]], tail: str) -> None:
    # Each kept piece carries a token, K0K, K1K …, to find it by in the file and in the published text.
    body = "".join(f"{kept}K{n}K[删减]{secret}[/删减]" for n, (kept, secret) in enumerate(parts)) + tail
    redacted = redact(body, "zh-Hans", "content/a.md", 8)
    assert redacted.problems == () and redacted.count == len(parts)
    assert "机密" not in redacted.text
    # Only what was kept decides the text: every passage of one line instead gives the same.
    short = "".join(f"{kept}K{n}K[删减]机密[/删减]" for n, (kept, _) in enumerate(parts)) + tail
    assert redacted.text == redact(short, "zh-Hans", "content/a.md", 8).text
    assert redacted.text.count("\n") + redacted.lines_cut(len(redacted.text)) == body.count("\n")
    for n in range(len(parts)):
        token = f"K{n}K"
        published, written = redacted.text.index(token), body.index(token)
        assert redacted.line_of(published, 8) == 8 + body.count("\n", 0, written)
        # What follows the placeholder is on the line of the closing marker.
        after, closed = published + len(f"{token}〔此处删减〕"), body.index("[/删减]", written) + len("[/删减]")
        assert redacted.line_of(after, 8) == 8 + body.count("\n", 0, closed)


def test_brackets_of_the_reports_own_words_can_be_written_as_references(tmp_path: Path) -> None:
    """What the hint offers: the opening bracket as a character reference is text, not a marker."""
    body = "第五条&#xFF08;删除）。旧条文&#x5B;删除]。\n"
    root = make_project(tmp_path, {"content/a.md": report_text(body=body)})
    assert build_site(root).reports == 1
    html = next((root / "site/reports/2020").glob("*.html")).read_text(encoding="utf-8")
    assert "<p>第五条（删除）。旧条文[删除]。</p>" in html
