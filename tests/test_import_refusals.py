"""Pages the importer cannot read as they claim are refused one by one; the rest of the batch goes on.

A page may declare a charset that is no text encoding (Python's hex or zlib codecs, escape codecs), or
nest elements hundreds of thousands deep. Each is refused, or imported, with a message that names the
file, what was found and what to do, and never with a traceback.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.importing import htmltext
from generator.importing.decoding import Undecodable, text_encoding
from generator.importing.htmltext import _TreeBuilder, html_to_text

TITLE = "临沧市民政局2017年政府信息公开工作年度报告"


def page(charset: str, text: str = "全年主动公开信息120条。") -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>{TITLE}</title></head>'
        f'<body><div class="content"><h1>{TITLE}</h1><p>{text}</p><p>临沧市民政局</p></div></body></html>'
    )


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def written(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md")) if folder.exists() else []


@pytest.mark.parametrize(
    ("charset", "found"),
    [
        ("hex", "Python's hex codec, which turns bytes into bytes, not into text"),
        ("zlib", "Python's zlib codec"),
        ("base64", "Python's base64 codec"),
        ("rot13", "Python's rot-13 codec"),
        ("uu", "Python's uu codec"),
        ("bz2", "Python's bz2 codec"),
        ("quopri", "Python's quopri codec"),
        ("unicode_escape", "Python's unicode-escape codec, which reads escape sequences"),
        ("raw_unicode_escape", "Python's raw-unicode-escape codec"),
        ("punycode", "Python's punycode codec"),
        ("idna", "Python's idna codec"),
        ("utf-7", "Python's utf-7 codec"),
        ("no-such-charset", "an encoding Python does not know"),
    ],
)
def test_a_page_declaring_no_text_encoding_is_refused_and_the_batch_goes_on(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], charset: str, found: str
) -> None:
    raw = in_tmp / "raw"
    raw.mkdir()
    (raw / "a.html").write_text(page("utf-8"), encoding="utf-8")
    # The middle file: \u4e2d\u6587 would read as 中文 in unicode_escape, hex digits as bytes in hex.
    (raw / "b.html").write_bytes(page(charset, "\\u4e2d\\u6587 e4b8ade69687").encode())
    (raw / "c.txt").write_text(f"{TITLE}\n全年主动公开信息120条。\n", encoding="utf-8")
    assert main(["import", "raw", "--to", "content"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "Imported 3 files: 2 written, 1 refused." in out
    assert f"raw/b.html: the page declares charset={charset}: {found}" in err
    assert "expected a text encoding such as utf-8, gb18030 or big5" in err
    assert "hint: find out the page's real encoding and pass it with --encoding" in err
    sources = sorted(
        path.read_text(encoding="utf-8").split("source: ")[1].split("\n")[0] for path in written(in_tmp / "content")
    )
    assert sources == ["raw/a.html", "raw/c.txt"]


@pytest.mark.parametrize("charset", ["cp037", "utf-32"])
def test_a_page_that_does_not_read_as_the_charset_it_declares_is_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], charset: str
) -> None:
    (in_tmp / "page.html").write_bytes(page(charset).encode("utf-8"))
    assert main(["import", "page.html"]) == 1
    err = capsys.readouterr().err
    assert "page.html" in err and "Traceback" not in err
    assert re.search(
        f"declares charset={charset}(, but read as {charset} the declaration itself is not there"
        f"| but is not valid {charset})",
        err,
    )
    assert "hint: find out the page's real encoding and pass it with --encoding" in err
    assert written(in_tmp / "content") == []


def test_a_page_declaring_utf16_is_read_as_browsers_read_it(in_tmp: Path) -> None:
    (in_tmp / "page.html").write_bytes(page("utf-16").encode("utf-8"))
    assert main(["import", "page.html"]) == 0
    [path] = written(in_tmp / "content")
    assert "encoding: utf-8 (declared in the page)" in path.read_text(encoding="utf-8")


def test_a_byte_order_mark_outranks_the_declared_charset(in_tmp: Path) -> None:
    (in_tmp / "page.html").write_bytes(codecs.BOM_UTF8 + page("gb2312").encode("utf-8"))
    assert main(["import", "page.html"]) == 0
    [path] = written(in_tmp / "content")
    text = path.read_text(encoding="utf-8")
    assert "encoding: utf-8-sig (byte-order mark)" in text and f"title: {TITLE}" in text


@pytest.mark.parametrize("encoding", ["hex", "unicode_escape", "zlib", "no-such-encoding"])
def test_an_encoding_given_that_reads_no_text_is_refused_before_any_file(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    (in_tmp / "report.txt").write_text(f"{TITLE}\n正文。\n", encoding="utf-8")
    assert main(["import", "report.txt", "--encoding", encoding]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --encoding {encoding} is ")
    assert "expected a text encoding such as utf-8, gb18030 or big5" in err and "hint: " in err
    assert written(in_tmp / "content") == []


@pytest.mark.parametrize("name", ["utf-8", "UTF8", "gb18030", "GBK", "big5", "cp950", "utf-16", "latin-1"])
def test_text_encodings_are_accepted(name: str) -> None:
    assert text_encoding(name) == name
    assert codecs.lookup(name)


def test_escape_codecs_are_not_text_encodings() -> None:
    with pytest.raises(Undecodable, match="escape sequences"):
        text_encoding("unicode-escape", "declared in the page")


def test_a_page_nested_tens_of_thousands_deep_imports(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    depth = 50_000
    nested = '<div class="content">' * depth + "正文一句。" + "</div>" * depth
    (in_tmp / "deep.html").write_text(f"<title>{TITLE}</title>{nested}", encoding="utf-8")
    assert main(["import", "deep.html"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    [path] = written(in_tmp / "content")
    text = path.read_text(encoding="utf-8")
    assert f"title: {TITLE}" in text and text.endswith("\n正文一句。\n")


def test_a_page_of_more_elements_than_any_report_page_is_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htmltext, "MAX_ELEMENTS", 1_000)
    (in_tmp / "deep.html").write_text(f"<title>{TITLE}</title>" + "<b>" * 1_001 + "正文。", encoding="utf-8")
    (in_tmp / "fine.html").write_text(page("utf-8"), encoding="utf-8")
    assert main(["import", "deep.html", "fine.html"]) == 1
    err = capsys.readouterr().err
    assert "deep.html: has more than 1,000 HTML elements; a report page has a few thousand" in err
    assert "hint: save the report's text from the page as a .txt file" in err
    assert len(written(in_tmp / "content")) == 1


def test_text_sizes_of_every_element_match_its_text() -> None:
    """The one-pass sizes that choose the main container equal the length of each element's own text."""
    html = (
        '<div class="main"><div class="content">一、概述<p>正文  一句。</p><div class="share">分享到</div>'
        '<table><tr><td>项目</td><th>数量</th></tr></table><div class="text"><p>更长的正文'
        "<span>在这里</span></p><script>var x;</script></div></div><nav>导航</nav></div>"
        '<article><div class="zoom"><br>短</div></article>'
    )
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    sizes = htmltext._text_sizes(builder.root)
    for element in htmltext._elements(builder.root):
        assert sizes[id(element)] == len("".join(htmltext._lines(element))), element.tag
    assert "更长的正文在这里" in html_to_text(html) and "分享到" not in html_to_text(html)
