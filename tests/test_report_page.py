"""The report page as readers and their tools see it: 索引号 and 发布日期 among the facts and in the
exports, Highwire ``citation_*`` tags as reference managers read them, short BibTeX keys, and the page's
layout (facts as wide as the text, 上一篇/下一篇 after the text, a way back to the 目录)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from factory import make_project, report_text
from playwright.sync_api import Browser, Page

from generator.build.exports import schema_file
from generator.pipeline import build_site

BASE = "https://archive.example.org/gongkai/"
INDEX_NUMBER = "000014349/2022-02188"
SOURCE_URL = "https://www.example.gov.cn/zwgk_2022/art_1_a.html?id=7&lm_id=xx_2"
PDF = "https://www.example.gov.cn/files/tongji_2021.PDF"
# Canaries: values of reports that must never be published.
WITHHELD_INDEX, DRAFT_INDEX = "QZX-INDEX-0001/2022", "QZD-INDEX-0002/2022"


def _long_body(sections: int = 6, paragraphs: int = 12) -> str:
    parts = []
    for n in range(sections):
        parts.append(f"## {'一二三四五六七八九十'[n]}、第{n + 1}部分\n")
        parts += [
            f"第{n + 1}部分第{p + 1}段：全年主动公开政府信息{p}条，办理依申请公开{n}件。\n" for p in range(paragraphs)
        ]
    parts.append(f"附件：[统计表]({PDF})\n")
    return "\n".join(parts)


LINCANG = {"agency": "临沧市民政局", "region": ["云南省", "临沧市"], "kind": "自查报告"}


def _files() -> dict[str, str]:
    twin = {"agency": "某县民政局", "region": ["某省", "某市", "某县"], "year": 2020, "kind": "自查报告"}
    return {
        "content/full.md": report_text(
            body=_long_body(),
            title="临沧市民政局2021年政务公开自查报告",
            year=2021,
            doc_number="临民字〔2022〕3号",
            index_number=INDEX_NUMBER,
            date="2021-12-28",
            published="2022-01-05",
            source_url=SOURCE_URL,
            slug="full",
            **LINCANG,
        ),
        "content/earlier.md": report_text(title="临沧市民政局2020年自查报告", year=2020, slug="earlier", **LINCANG),
        "content/later.md": report_text(
            title="临沧市民政局2022年自查报告",
            year=2022,
            published="2023-03-01",
            body="根据临民字〔2022〕3号要求，开展自查。\n",
            slug="later",
            **LINCANG,
        ),
        "content/twin-late.md": report_text(
            title="某县民政局自查报告（二）", date="2021-02-10", slug="twin-late", **twin
        ),
        "content/twin-early.md": report_text(
            title="某县民政局自查报告（一）", date="2021-01-10", slug="twin-early", **twin
        ),
        "content/withheld.md": report_text(
            title="不予公开的报告", disclosure="不予公开", index_number=WITHHELD_INDEX, published="2022-02-02"
        ),
        "content/draft.md": report_text(title="草稿报告", draft="true", index_number=DRAFT_INDEX, slug="draft"),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("report-page"), _files(), config=f"title: 测试档案\nbase_url: {BASE}\n")
    build_site(root)
    return root / "site"


def _page(site: Path, slug: str, year: int) -> str:
    return (site / f"reports/{year}/{slug}.html").read_text(encoding="utf-8")


class _Facts(HTMLParser):
    """The facts block as (label, value) pairs, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[list[str]] = []
        self._inside = False
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dl" and ("class", "report-facts") in attrs:
            self._inside = True
        elif self._inside and tag in ("dt", "dd"):
            self._cell = tag
            if tag == "dt":
                self.pairs.append(["", ""])

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "dl"
        if tag in ("dt", "dd"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self.pairs[-1][self._cell == "dd"] += data


def _facts(page: str) -> list[tuple[str, str]]:
    parser = _Facts()
    parser.feed(page)
    return [(label.strip(), value.strip()) for label, value in parser.pairs]


def test_the_facts_give_the_index_number_and_the_date_published_beside_the_date_signed(site: Path) -> None:
    facts = _facts(_page(site, "full", 2021))
    labels = [label for label, _ in facts]
    assert dict(facts)["索引号"] == INDEX_NUMBER
    assert dict(facts)["成文日期"] == "2021-12-28" and dict(facts)["发布日期"] == "2022-01-05"
    assert labels.index("发布日期") == labels.index("成文日期") + 1
    plain = dict(_facts(_page(site, "earlier", 2020)))
    assert "索引号" not in plain and "发布日期" not in plain


def test_the_catalogue_exports_the_index_number_and_the_date_published(site: Path) -> None:
    document = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_file().read_text(encoding="utf-8"))).validate(document)
    by_url = {record["url"].removeprefix(BASE): record for record in document["reports"]}
    full, earlier = by_url["reports/2021/full.html"], by_url["reports/2020/earlier.html"]
    assert (full["index_number"], full["date"], full["published"]) == (INDEX_NUMBER, "2021-12-28", "2022-01-05")
    assert (earlier["index_number"], earlier["published"]) == (None, None)
    rows = list(csv.DictReader(io.StringIO((site / "catalogue.csv").read_bytes().decode("utf-8-sig"))))
    row = next(row for row in rows if row["url"] == BASE + "reports/2021/full.html")
    assert (row["index_number"], row["published"]) == (INDEX_NUMBER, "2022-01-05")


def test_reports_that_are_not_published_leave_no_index_number_anywhere(site: Path) -> None:
    assert len(json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["reports"]) == 5
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in (WITHHELD_INDEX, DRAFT_INDEX, "2022-02-02"):
                assert canary.encode() not in data, (canary, path)


class _Meta(HTMLParser):
    """Every ``<meta name content>`` of a page, name → contents, as Zotero's Embedded Metadata translator
    collects them before it reads the ``citation_*`` ones."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[str]] = defaultdict(list)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name") and found.get("content") is not None:
            self.tags[str(found["name"]).lower()].append(str(found["content"]))


def _citation(page: str) -> dict[str, str]:
    parser = _Meta()
    parser.feed(page)
    assert all(len(values) == 1 for values in parser.tags.values()), parser.tags
    return {name: values[0] for name, values in parser.tags.items() if name.startswith("citation_")}


def test_reference_managers_find_title_author_date_and_publisher(site: Path) -> None:
    tags = _citation(_page(site, "full", 2021))
    assert tags == {
        "citation_title": "临沧市民政局2021年政务公开自查报告",
        "citation_author": "临沧市民政局",
        "citation_publication_date": "2021/12/28",
        "citation_publisher": "临沧市民政局",
        "citation_technical_report_institution": "临沧市民政局",
        "citation_technical_report_number": "临民字〔2022〕3号",
        "citation_language": "zh-Hans",
        "citation_fulltext_html_url": BASE + "reports/2021/full.html",
        "citation_abstract_html_url": BASE + "reports/2021/full.html",
        "citation_pdf_url": PDF,
    }


def test_a_report_without_a_number_or_a_date_signed_is_dated_as_published_or_by_its_year(site: Path) -> None:
    later = _citation(_page(site, "later", 2022))
    assert later["citation_title"] == "临沧市民政局2022年自查报告" and later["citation_author"] == "临沧市民政局"
    assert later["citation_publisher"] == "临沧市民政局" and later["citation_publication_date"] == "2023/03/01"
    assert "citation_technical_report_number" not in later and "citation_pdf_url" not in later
    assert _citation(_page(site, "earlier", 2020))["citation_publication_date"] == "2020"


def test_without_a_base_url_the_page_gives_no_address_of_its_own(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(slug="a")})
    build_site(root)
    tags = _citation((root / "site/reports/2020/a.html").read_text(encoding="utf-8"))
    assert tags["citation_title"] == "某市民政局2020年政府信息公开工作年度报告"
    assert not any(name.endswith("_url") for name in tags)


def _bibtex(page: str) -> tuple[str, dict[str, str]]:
    [entry] = re.findall(r'<pre class="cite-text" id="cite-bibtex"[^>]*>(.*?)</pre>', page, re.DOTALL)
    text = html.unescape(entry)
    key = re.match(r"@techreport\{([^,]*),\n", text)
    assert key, text
    return key[1], dict(re.findall(r"^  (\w+) = \{(.*)\},$", text, re.MULTILINE))


def _keys(site: Path) -> dict[str, str]:
    return {path.stem: _bibtex(path.read_text(encoding="utf-8"))[0] for path in site.glob("reports/*/*.html")}


def test_bibtex_keys_are_short_readable_and_unique(site: Path) -> None:
    keys = _keys(site)
    assert keys["full"] == "lcsmzj2021linminzi3"
    assert keys["earlier"] == "lcsmzj2020zicha"
    assert all(re.fullmatch(r"[a-z0-9]{1,30}", key) for key in keys.values()), keys
    assert len(set(keys.values())) == len(keys)
    # Two reports that would share a key: the one signed first keeps it.
    assert (keys["twin-early"], keys["twin-late"]) == ("mxmzj2020zicha", "mxmzj2020zichab")


def test_bibtex_keys_stay_when_another_report_is_added(tmp_path: Path) -> None:
    files = _files()
    root = make_project(tmp_path, files)
    build_site(root)
    before = _keys(root / "site")
    (root / "content/twin-third.md").write_text(
        files["content/twin-late.md"].replace("2021-02-10", "2021-03-10").replace("twin-late", "twin-third"),
        encoding="utf-8",
    )
    build_site(root)
    after = _keys(root / "site")
    assert after == {**before, "twin-third": "mxmzj2020zichac"}


def test_the_bibtex_url_is_the_address_as_written(site: Path) -> None:
    _, fields = _bibtex(_page(site, "full", 2021))
    assert fields["url"] == SOURCE_URL and "\\_" not in fields["url"]
    assert fields["number"] == "临民字〔2022〕3号" and fields["title"] == "{临沧市民政局2021年政务公开自查报告}"


# In the browser: where things are on the page.


def _box(tab: Page, selector: str) -> dict[str, float]:
    box = tab.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_the_facts_are_as_wide_as_the_text_and_centred_like_it(site: Path, page: tuple[Page, object]) -> None:
    tab, _ = page
    tab.goto((site / "reports/2021/full.html").as_uri())
    facts, text = _box(tab, "dl.report-facts"), _box(tab, ".report-body")
    assert facts["width"] <= text["width"] + 0.5
    assert abs((facts["x"] + facts["width"] / 2) - (text["x"] + text["width"] / 2)) < 1


def test_the_neighbours_come_after_the_text_and_before_the_citation_boxes(
    site: Path, page: tuple[Page, object]
) -> None:
    tab, _ = page
    tab.goto((site / "reports/2021/full.html").as_uri())
    order = tab.evaluate(
        """() => [...document.querySelectorAll('.report-body, .attachments, .neighbours, .citations, .cite')]
                 .map((element) => element.className)"""
    )
    assert order == ["report-body", "neighbours", "citations", "cite"]
    text, neighbours, citations = _box(tab, ".report-body"), _box(tab, ".neighbours"), _box(tab, ".citations")
    assert text["y"] + text["height"] <= neighbours["y"] < citations["y"]
    assert tab.locator(".neighbours a[rel=prev]").inner_text().split() == ["上一篇", "临沧市民政局2020年自查报告"]


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_long_report_leads_back_to_its_contents(site: Path, browser: Browser, script: bool) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 700}, java_script_enabled=script)
    try:
        tab = context.new_page()
        tab.goto((site / "reports/2021/full.html").as_uri())
        back = tab.get_by_role("link", name="回到目录")
        # Halfway through the text, the way back is on screen.
        tab.locator("#s4").scroll_into_view_if_needed()
        assert _on_screen(tab, back.bounding_box())
        assert not _on_screen(tab, tab.locator("#toc-title").bounding_box())
        back.click()
        tab.wait_for_function("() => location.hash === '#toc-title'")
        assert _on_screen(tab, tab.locator("#toc-title").bounding_box())
        assert tab.locator(".toc a").count() == 6
    finally:
        context.close()


def _on_screen(tab: Page, box: dict[str, float] | None) -> bool:
    height = tab.evaluate("() => window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height
