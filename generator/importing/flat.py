"""Texts that lost their line breaks: a whole report scraped onto one line, or paragraphs marked only by
full-width indents inside a line. Breaks are put back where the text itself shows a new paragraph;
no character is changed or removed, so the text reads as written.

Patterns run on the view of the text (same length, brackets and digits folded), so every position found
is a position in the text as written.
"""

from __future__ import annotations

import itertools
import re

from generator.core.searchtext import view
from generator.importing.rawtext import leading_breadcrumb

# Only a line longer than this is taken for text that lost its breaks: real paragraphs are shorter.
LONG_LINE = 200
# A paragraph's indent inside a line: full-width spaces, or the NBSPs and spaces a scraper made of them.
_INDENT = re.compile(r"(?<=\S)[ \u3000\u00a0]{2,}(?=\S)")
# A heading marker that starts a sentence (一、 (一) 1. (1)), not 一是…, which runs on inside one.
_MARKER = re.compile(
    r"(?<=[。!?;])\s*(?=([一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d)|\(\d{1,2}\)))"
)
# The sections of the national templates (2008, 2019, 2021), which a flat text glues to their first sentence.
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、)(?:总体情况|概述|基本情况|主动公开政府信息的?情况|收到和处理政府信息公开申请的?情况"
    r"|依申请公开政府信息的?情况|(?:政府信息公开)?行政复议[、和及]?行政诉讼的?情况"
    r"|(?:政府信息公开工作)?存在的主要问题[和及]改进(?:措施|情况)|其他需要报告的事项)(?=\S)"
)
# A title glued to the first sentence: up to its 报告 before the sentence that opens the text.
_GLUED_TITLE = re.compile(
    r"[^。,;!?:\n]{6,80}?(报告|年报|总结)"
    r"(?=本报告|本年度报告|根据|按照|依据|依照|现将|为进一步|我局|我委|我厅|我办|我镇|我乡|我区|我县|我市|(19|20)\d\d年)"
)
# The signature block glued to the last sentence: the agency, then the date, then perhaps the document's
# marking (（此件公开发布）) and its attachments.
_SIGNATURE = re.compile(
    r"(?<=[。!?])\s*(?P<agency>[\u4e00-\u9fff()]{3,40}?)\s*(?P<date>(19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"\s*(?P<after>\(此件[^()]{2,12}\)|附件 *\d{0,2} *:|$)"
)
# What follows a signature on lines of its own: the marking, and the list of attachments.
_AFTER_SIGNATURE = re.compile(r"(?<=[。!?)日])\s*(?=\(此件[^()]{2,12}\)|附件 *\d{0,2} *:)")
# A report's own 文号 at the start, glued to its first sentence: 临民字〔2018〕2号根据《…》.
_LEADING_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}\((19|20)\d\d\)第?\d{1,5}号(?=[\u4e00-\u9fff《])")


def unflatten(text: str) -> tuple[str, int]:
    """``text`` with line breaks where its long lines show new paragraphs, and how many were put back."""
    lines = text.split("\n")
    long_lines = [index for index, line in enumerate(lines) if len(line) > LONG_LINE]
    if not long_lines:
        return text, 0
    breaks = 0
    for index in long_lines:
        # The first long line is where the text starts, whatever header lines a scraper put above it.
        cuts = _cuts(lines[index], first=index == long_lines[0])
        breaks += len(cuts)
        lines[index] = _cut(lines[index], cuts)
    return "\n".join(lines), breaks


def _cuts(line: str, first: bool) -> set[int]:
    """Where the line is broken: at indents, before markers that start a sentence, after the section
    titles of the templates, around a glued signature and what follows it, and, on the ``first`` line,
    after a breadcrumb, an own 文号 and a title glued to the first sentence."""
    seen = view(line)
    cuts = {m.start() for m in _INDENT.finditer(seen)} | {m.end() for m in _MARKER.finditer(seen)}
    cuts |= {m.end() for m in _AFTER_SIGNATURE.finditer(seen)}
    cuts |= {cut for m in _SIGNATURE.finditer(seen) for cut in (m.start("agency"), m.start("date"))}
    if first:
        crumb = leading_breadcrumb(seen)
        number = _LEADING_NUMBER.match(seen, crumb)
        opening = number.end() if number else crumb
        title = _GLUED_TITLE.match(seen, opening)
        cuts |= {crumb, opening, *([title.end()] if title else [])}
    for start in sorted(cuts | {0}):
        section = _SECTION.match(seen[start:].lstrip())
        if section:
            cuts.add(start + len(seen[start:]) - len(seen[start:].lstrip()) + section.end())
    return {cut for cut in cuts if 0 < cut < len(line)}


def _cut(line: str, cuts: set[int]) -> str:
    edges = [0, *sorted(cuts), len(line)]
    return "\n".join(line[a:b] for a, b in itertools.pairwise(edges))
