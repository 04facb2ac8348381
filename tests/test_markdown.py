"""Markdown rendering: raw HTML stays text, headings give anchors and a table of contents."""

from __future__ import annotations

from generator.core.markdown import Heading, render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">').html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_are_not_links() -> None:
    assert "href" not in render_markdown("[点此](javascript:alert(1))").html


def test_headings_get_positional_anchors_and_toc() -> None:
    rendered = render_markdown("## 一、总体情况\n\n### （一）主动公开\n\n正文\n\n## 二、存在问题\n")
    assert rendered.toc == (
        Heading(2, "一、总体情况", "s1"),
        Heading(3, "（一）主动公开", "s2"),
        Heading(2, "二、存在问题", "s3"),
    )
    assert '<h3 id="s2">（一）主动公开</h3>' in rendered.html


def test_a_body_starting_at_h1_is_shifted_below_the_page_title() -> None:
    rendered = render_markdown("# 一、总体情况\n\n## （一）主动公开\n")
    assert '<h2 id="s1">一、总体情况</h2>' in rendered.html
    assert '<h3 id="s2">（一）主动公开</h3>' in rendered.html
    assert "<h1" not in rendered.html


def test_tables_render() -> None:
    html = render_markdown("| 项目 | 数量 |\n|---|---|\n| 依申请公开 | 12 |\n").html
    assert "<td>依申请公开</td>" in html


def test_crafted_input_renders_quickly() -> None:
    """Python-Markdown takes tens of seconds on these; markdown-it-py is linear."""
    for text in ("[" * 8000, "<![" * 8000, "> " * 5000 + "x", "- " * 3000 + "x"):
        assert render_markdown(text).html
