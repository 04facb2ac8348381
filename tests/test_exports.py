"""The archive as data: catalogue exports, Atom feeds, sitemap dates, JSON-LD, Dublin Core, coverage grids."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from factory import generated_archive, make_project, report_text

from generator.build.exports import COLUMNS, schema_file
from generator.pipeline import build_site

BASE = "https://example.org/archive/"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive with two withheld reports and one with a formula-like title."""
    files = generated_archive(60)
    files["content/withheld-1.md"] = report_text(title="不予公开的报告", disclosure="不予公开", slug="hidden-one")
    files["content/withheld-2.md"] = report_text(title="依申请公开的报告", disclosure="依申请公开", slug="hidden-two")
    files["content/formula.md"] = report_text(title='=HYPERLINK("x")某报告', slug="formula", year=2019)
    root = make_project(tmp_path_factory.mktemp("exports"), files, config=f"title: 测试档案\nbase_url: {BASE}\n")
    build_site(root)
    return root


def _published(root: Path) -> dict[str, dict]:
    """Front matter of every published content file, by slug."""
    found = {}
    for path in (root / "content").rglob("*.md"):
        fields = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if fields["disclosure"] == "主动公开":
            found[fields["slug"]] = fields
    return found


def test_catalogue_json_validates_and_equals_the_published_set(archive: Path) -> None:
    document = json.loads((archive / "site/catalogue.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(schema_file().read_text(encoding="utf-8"))).validate(document)
    published = _published(archive)
    by_slug = {record["slug"]: record for record in document["reports"]}
    assert by_slug.keys() == published.keys() and document["count"] == len(published)
    for slug, fields in published.items():
        record = by_slug[slug]
        assert {key: record[key] for key in fields if key != "region"} == {
            k: v for k, v in fields.items() if k != "region"
        }
        assert record["region"] == fields["region"] and record["url"].startswith(BASE)
        assert (archive / "site" / record["url"].removeprefix(BASE)).is_file()
        assert record["word_count"] > 0
    # 一、总体情况 / 正文。: seven Han characters, punctuation and Markdown not counted.
    assert by_slug["formula"]["word_count"] == 7
    assert "不予公开的报告" not in (archive / "site/catalogue.json").read_text(encoding="utf-8")


def test_catalogue_csv_has_the_same_rows_and_is_safe_to_open(archive: Path) -> None:
    data = (archive / "site/catalogue.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    document = json.loads((archive / "site/catalogue.json").read_text(encoding="utf-8"))
    assert tuple(rows[0]) == COLUMNS and len(rows) == document["count"]
    assert [row["url"] for row in rows] == [record["url"] for record in document["reports"]]
    formula = next(row for row in rows if row["slug"] == "formula")
    assert formula["title"] == '\'=HYPERLINK("x")某报告'
    assert all(not row[column].startswith(("=", "+", "@")) for row in rows for column in COLUMNS)


def test_feeds_are_valid_atom_with_the_newest_reports(archive: Path) -> None:
    site = archive / "site"
    feeds = sorted(site.rglob("feed.xml"))
    assert (
        site / "feed.xml" in feeds
        and any("regions" in str(f) for f in feeds)
        and any("agencies" in str(f) for f in feeds)
    )
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["reports"]
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.entries
        for entry in parsed.entries:
            assert entry.link.startswith(BASE) and (site / entry.link.removeprefix(BASE)).is_file()
    whole = feedparser.parse((site / "feed.xml").read_bytes())
    assert [entry.link for entry in whole.entries] == [record["url"] for record in catalogue[:50]]
    assert "不予公开" not in (site / "feed.xml").read_text(encoding="utf-8")


def test_sitemap_lists_pages_with_the_date_of_their_newest_report(archive: Path) -> None:
    sitemap = (archive / "site/sitemap.xml").read_text(encoding="utf-8")
    dates = dict(re.findall(r"<loc>(.+?)</loc><lastmod>(.+?)</lastmod>", sitemap))
    catalogue = json.loads((archive / "site/catalogue.json").read_text(encoding="utf-8"))["reports"]
    for record in catalogue:
        assert dates.get(record["url"]) == record["date"]
    assert dates[BASE + "index.html"] == max(record["date"] for record in catalogue if record["date"])


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("name") or found.get("property")):
            self.meta[str(found.get("name") or found.get("property"))] = str(found["content"])
        self._in_json = tag == "script" and found.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)


def test_report_pages_describe_their_report(archive: Path) -> None:
    catalogue = json.loads((archive / "site/catalogue.json").read_text(encoding="utf-8"))["reports"]
    for record in catalogue:
        head = _Head()
        head.feed((archive / "site" / record["url"].removeprefix(BASE)).read_text(encoding="utf-8"))
        [data] = [json.loads(text) for text in head.json_ld]
        assert data["@type"] == "Report" and data["name"] == record["title"]
        assert data["publisher"]["name"] == record["agency"] and data["temporalCoverage"] == str(record["year"])
        assert data["spatialCoverage"]["name"] == "".join(record["region"])
        assert data.get("identifier") == record["doc_number"] and data["url"] == record["url"]
        assert head.meta["DC.title"] == record["title"] and head.meta["DC.publisher"] == record["agency"]
        assert head.meta.get("DC.identifier") == record["doc_number"]
        assert head.meta["og:title"] == record["title"] and head.meta["og:url"] == record["url"]


def test_json_ld_cannot_be_broken_out_of(tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script>报告"
    root = make_project(tmp_path, {"content/a.md": report_text(title=title, slug="a")})
    build_site(root)
    page = (root / "site/reports/2020/a.html").read_text(encoding="utf-8")
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert json.loads(text)["name"] == title and "</script><script>" not in page


class _Grid(HTMLParser):
    """A coverage table as {row name: [cell links per year]}, with the years of its header."""

    def __init__(self) -> None:
        super().__init__()
        self.years: list[int] = []
        self.rows: dict[str, list[list[str]]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None
        self._text = ""
        self._scope: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "th":
            self._text, self._scope = "", found.get("scope")
        if tag == "td" and self._row is not None:
            self._cell = []
            self.rows[self._row].append(self._cell)
        if tag == "a" and self._cell is not None:
            self._cell.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._text.strip().isdigit():
            self.years.append(int(self._text))
        elif tag == "th" and self._scope == "row":
            self._row = self._text.strip().split()[0]
            self.rows[self._row] = []
        if tag == "td":
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        self._text += data


def test_coverage_grids_equal_the_catalogue(archive: Path) -> None:
    site = archive / "site"
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))["reports"]
    years = list(range(min(r["year"] for r in catalogue), max(r["year"] for r in catalogue) + 1))
    page = site / "regions/yunnansheng/coverage.html"
    grid = _Grid()
    grid.feed(page.read_text(encoding="utf-8"))
    assert grid.years == years
    expected: dict[str, list[set[str]]] = {}
    for record in catalogue:
        if record["region"][0] == "云南省":
            cells = expected.setdefault(record["agency"], [set() for _ in years])
            cells[years.index(record["year"])].add(record["url"].removeprefix(BASE))
    found = {
        agency: [
            {(page.parent / href).resolve().relative_to(site.resolve()).as_posix() for href in cell} for cell in cells
        ]
        for agency, cells in grid.rows.items()
    }
    assert found == expected
    overall = _Grid()
    overall.feed((site / "coverage/index.html").read_text(encoding="utf-8"))
    assert overall.years == years and "云南省" in overall.rows and "临沧市" in overall.rows
