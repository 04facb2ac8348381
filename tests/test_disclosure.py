"""What is not public never reaches the site: withheld reports and deleted passages leave no byte in any
file, in any form, and a report re-classified as not public disappears on the next build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from browsing import Watch, both_ways, open_page, search
from factory import make_project, report_text
from playwright.sync_api import Page
from scanning import traces

from generator.pipeline import build_site

# Each position a marker can hide in. Markers are unlikely letter runs: a leak shows as the run itself,
# or as the letter-coded bigrams of the search index, which no other text here produces.
FIELDS = ("TITLE", "AGENCY", "PROVINCE", "CITY", "DOCNO", "KIND", "SOURCE", "ATTACH")
BODY = ("HEADING", "BODY", "LINKTEXT", "HREF", "ALT", "SRC", "COMMENT", "HIDDEN", "CODE", "CELL", "ITEM", "INLINE")


def _body(m: str) -> str:
    return (
        f"## 标题{m}HEADING\n\n正文{m}BODY，含[链接{m}LINKTEXT](https://example.org/{m.lower()}href)与"
        f"![图{m}ALT](https://example.org/{m.lower()}src.png)。\n\n<!-- 注释{m}COMMENT -->\n\n"
        f"<span hidden>隐藏{m}HIDDEN</span> `代码{m}CODE`\n\n| 项目 | 数量 |\n|---|---|\n| 单元{m}CELL | 1 |\n\n"
        f"- 列表{m}ITEM\n\n段中{m}INLINE文字。\n"
    )


def _report(m: str, disclosure: str, body: str | None = None) -> str:
    return report_text(
        body=body or _body(m),
        title=f"报告{m}TITLE",
        agency=f"某局{m}AGENCY",
        region=[f"某省{m}PROVINCE", f"某市{m}CITY"],
        year=2019,
        doc_number=f"某〔2019〕{m}DOCNO号",
        kind=f"类别{m}KIND",
        source=f"来源{m}SOURCE",
        source_url=f"https://{m.lower()}url.example/",
        slug=f"{m.lower()}slug",
        attachments=[f"附件{m}ATTACH"],
        disclosure=disclosure,
    )


def _redacted_body() -> str:
    """A 删减后公开 report whose every deleted passage holds QZR markers, each kind of construct once."""
    passage = _body("QZR").replace("段中QZRINLINE文字。\n", "")
    return (
        f"## 一、公开部分\n\n公开的正文QZCKEPT。\n\n[删减：涉及个人隐私]\n{passage}[/删减]\n\n"
        "申请人【删减】QZRINLINE张三【/删减】提出申请，〔删减：商业秘密〕QZRREASONED〔/删减〕已答复。\n\n"
        "## 二、其他\n\n结尾QZCAFTER。\n"
    )


MARKERS_WITHHELD = [f"QZW{n}{part}" for n in range(5) for part in FIELDS + BODY]
# A draft, and a draft that is not public either: neither is published; a preview shows only the first.
MARKERS_DRAFT = [f"QZD{part}" for part in FIELDS + BODY]
MARKERS_SECRET_DRAFT = [f"QZS{part}" for part in FIELDS + BODY]
MARKERS_REDACTED = [f"QZR{part}" for part in BODY if part != "INLINE"] + ["QZRINLINE", "QZRREASONED"]
NOT_PUBLIC = ("依申请公开", "不予公开", "免予公开", "主动公开 ", "删减后公开")


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {f"content/secret-qzw{n}filename.md": _report(f"QZW{n}", value) for n, value in enumerate(NOT_PUBLIC)}
    files["content/control.md"] = _report("QZC", "主动公开")
    files["content/redacted.md"] = report_text(
        title="删减后公开的报告",
        agency="某区政府办公室",
        disclosure="删减后公开",
        body=_redacted_body(),
        slug="redacted",
    )
    files["content/draft-qzd.md"] = _draft(_report("QZD", "主动公开"))
    files["content/draft-qzs.md"] = _draft(_report("QZS", "不予公开"))
    root = make_project(tmp_path_factory.mktemp("canary") / "p", files)
    result = build_site(root)
    assert result.reports == 2 and len(result.withheld) == len(NOT_PUBLIC) + 2
    return root / "site"


def _draft(text: str) -> str:
    return text.replace("---\n", "---\ndraft: true\n", 1)


@pytest.fixture(scope="module")
def drafts_preview(canary_site: Path) -> Path:
    result = build_site(canary_site.parent, drafts=True)
    assert result.out == canary_site.parent / "site-drafts"
    assert result.reports == 3 and result.drafts == 1
    return result.out


@pytest.mark.parametrize("marker", MARKERS_WITHHELD + MARKERS_REDACTED + MARKERS_DRAFT + MARKERS_SECRET_DRAFT)
def test_no_trace_of_what_is_not_public(canary_site: Path, marker: str) -> None:
    assert traces(canary_site, marker) == []


@pytest.mark.parametrize("marker", MARKERS_WITHHELD + MARKERS_REDACTED + MARKERS_SECRET_DRAFT)
def test_a_preview_of_drafts_shows_nothing_that_is_not_public(drafts_preview: Path, marker: str) -> None:
    assert traces(drafts_preview, marker) == []


def test_a_preview_of_drafts_shows_the_draft_marked_as_one(drafts_preview: Path) -> None:
    assert traces(drafts_preview, "QZDBODY")
    html = (drafts_preview / "reports/2019/qzdslug.html").read_text(encoding="utf-8")
    assert '<p class="draft-banner" role="note"><strong>草稿</strong>' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "draft-banner" not in (drafts_preview / "reports/2019/qzcslug.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("part", FIELDS + BODY)
def test_the_scan_finds_every_position_when_it_is_published(canary_site: Path, part: str) -> None:
    """The same constructs in a published report are found, so the scan above can fail."""
    found = traces(canary_site, f"QZC{part}")
    assert found
    if part in ("TITLE", "BODY", "HEADING", "CELL"):
        assert any(place.endswith("(search index)") for place in found), found
        assert any(place.startswith("search/") for place in found), found


def test_the_scan_reads_file_names_and_the_coded_index(canary_site: Path) -> None:
    assert "reports/2019/qzcslug.html (file name)" in traces(canary_site, "qzcslug")
    assert any(place.endswith("(search index)") for place in traces(canary_site, "QZCDOCNO"))


def test_readers_see_where_passages_were_deleted(canary_site: Path) -> None:
    html = (canary_site / "reports/2020/redacted.html").read_text(encoding="utf-8")
    assert '<span class="redaction">〔此处删减：涉及个人隐私〕</span>' in html
    assert (
        '申请人<span class="redaction">〔此处删减〕</span>提出申请，'
        '<span class="redaction">〔此处删减：商业秘密〕</span>已答复'
    ) in html
    assert "<dd>删减后公开（3 处删减）</dd>" in html
    assert "QZCKEPT" in html and "QZCAFTER" in html


def test_reclassified_report_leaves_no_trace_after_rebuild(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": _report("QZP", "主动公开"), "content/b.md": report_text()})
    build_site(root)
    assert len(traces(root / "site", "QZPBODY")) > 2
    path = root / "content/a.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("disclosure: 主动公开", "disclosure: 不予公开"), encoding="utf-8"
    )
    build_site(root)
    for part in FIELDS + BODY:
        assert traces(root / "site", f"QZP{part}") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "content", "site"]


def test_search_finds_the_kept_text_and_nothing_deleted(
    page: tuple[Page, Watch], canary_site: Path, tmp_path: Path
) -> None:
    tab, watch = page
    with both_ways(canary_site, tmp_path) as bases:
        for base in bases:
            open_page(tab, urljoin(base, "reports/2020/redacted.html"))
            shown = tab.inner_text("main")
            assert "〔此处删减：涉及个人隐私〕" in shown and "QZR" not in shown
            open_page(tab, urljoin(base, "search.html"))
            assert [hit["title"] for hit in search(tab, "QZCKEPT")] == ["删减后公开的报告"]
            for marker in ("QZRBODY", "QZRINLINE", "QZW1TITLE", "QZW4BODY"):
                assert search(tab, marker) == [], marker
    assert not watch.problems, "\n".join(watch.problems)
