"""Search in headless Chromium, served by a web server and opened from disk: one index, both ways.

Every result set must equal the Python reference: the reports whose normalised searchable text
contains every query term.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

import pytest
from browsing import TIMEOUT_MS, Watch, both_ways, open_page, search, serve_under_subpath
from factory import CITED, PLACES, TOPICS, generated_archive, make_project, report_text
from playwright.sync_api import Page
from scanning import traces

from generator.build.catalogue import build_catalogue
from generator.build.content import Report, load_content
from generator.build.plan import plan_site
from generator.core.config import load_config
from generator.core.markdown import plain_text
from generator.core.searchtext import matches, parse_query, searchable_text
from generator.pipeline import build_site
from generator.search import files, index
from generator.search.data import META_COLUMNS, SEARCH_FIELDS, row
from generator.search.files import META_SIZE, read_script

REPORTS = 240
# Small index chunks, so that most queries read several and one-character terms span chunks.
CHUNK_BYTES = 2_000
SECRET = "绝密标记七号"
ZHANGZHOU = "漳州市國資委2014年政府信息公開工作要點落實情況報告"

QUERIES = [
    *[name for cities in PLACES.values() for name in cities],
    *[county for cities in PLACES.values() for counties in cities.values() for county in counties],
    *PLACES,
    *TOPICS,
    "临沧",
    "臨滄",
    "遼寧省",
    "瀋陽市",
    "鳳慶縣",
    "五華區",
    "預算",
    "財政局",
    "信息公開",
    "爲例外",
    "民政局",
    "人民政府办公室",
    "财政局",
    "教育局",
    "自查报告",
    "年度报告",
    "落实情况报告",
    *CITED,
    "云府办明电〔2016〕67号",
    "云府办明电（2016）67号",
    "临政办[2017]106号",
    "辽政办发〔2019〕12号",
    "闽政办(2020)5号",
    "国办公开办函【2021】30号",
    "201667号",
    "gdp",
    "GDP统计",
    "政务app",
    "ＡＰＰ",
    "open data",
    '"open data"',
    "opendata",
    "沧",
    "凤",
    "的",
    "〔",
    "号",
    "1",
    "299件",
    "临沧 低保",
    "昆明 预算 教育",
    '"依申请 公开" 凤庆县',
    "扶贫 臨滄市",
    '"临沧 市"',
    "核电站",
    "航天",
    "低保户口",
    "临沧县",
    "xyz",
    "報告臨沧",
    SECRET,
]


def _searchable(report: Report) -> str:
    return searchable_text(
        row(
            SEARCH_FIELDS,
            title=report.title,
            agency=report.agency,
            region=" ".join(report.region),
            doc_number=report.doc_number or "",
            body=plain_text(report.body),
        )
    )


class Archive:
    """A built generated archive and the reference answers for it."""

    def __init__(self, root: Path, site: Path) -> None:
        config = load_config(root)
        catalogue = build_catalogue(load_content(config).reports)
        paths = plan_site(catalogue, config).report_paths
        self.site = site
        self.catalogue = catalogue
        self.url = {report_id: paths[report_id] for report_id in catalogue.reports}
        self.text = {self.url[i]: _searchable(report) for i, report in catalogue.reports.items()}

    def expected(self, query: str, keep: object = lambda report: True) -> set[str]:
        terms = parse_query(query)
        return {
            self.url[i]
            for i, report in self.catalogue.reports.items()
            if keep(report) and matches(self.text[self.url[i]], terms)
        }


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    files = generated_archive(REPORTS)
    files["content/withheld.md"] = report_text(
        title=f"{SECRET}临沧低保报告", disclosure="不予公开", body=f"临沧 低保 {SECRET}\n"
    )
    root = make_project(tmp_path_factory.mktemp("search") / "p", files)
    site = root / "site"
    with pytest.MonkeyPatch.context() as settings:
        settings.setattr(index, "CHUNK_BYTES", CHUNK_BYTES)
        build_site(root, site)
    return Archive(root, site)


@pytest.fixture(scope="module")
def served(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_under_subpath(archive.site, tmp_path_factory.mktemp("www")) as url:
        yield url


@pytest.fixture(params=["file", "http"])
def mode(request: pytest.FixtureRequest, archive: Archive) -> tuple[str, str]:
    """(engine the page must use, URL of the site root): the same index both ways."""
    if request.param == "file":
        return "index", archive.site.as_uri() + "/"
    return "index", request.getfixturevalue("served")


def test_the_reference_itself_tells_queries_apart(archive: Archive) -> None:
    sizes = {query: len(archive.expected(query)) for query in QUERIES}
    assert len(QUERIES) >= 50
    assert sizes["核电站"] == sizes[SECRET] == sizes["201667号"] == 0
    assert 0 < sizes["临沧"] < REPORTS
    assert sizes["臨滄"] == sizes["临沧"]
    assert sizes["云府办明电〔2016〕67号"] == sizes["云府办明电[2016]67号"] > 0
    assert len(set(sizes.values())) > 20


def test_the_index_comes_in_chunks_and_no_file_holds_the_archive(archive: Archive) -> None:
    search = archive.site / "search"
    chunks = list(search.glob("p/*.js"))
    assert len(chunks) > 20
    meta = [json.loads(_payload(path)) for path in sorted(search.glob("m/*.js"))]
    assert sum(map(len, meta)) == REPORTS and all(len(rows) <= META_SIZE for rows in meta)
    texts = list(search.glob("t/**/*.js"))
    assert len(texts) == REPORTS
    largest = max(len(_payload(path)) for path in [*chunks, *texts])
    assert largest < sum(len(_payload(path)) for path in texts) / 10


def test_every_query_returns_exactly_the_reference_set(
    page: tuple[Page, Watch], mode: tuple[str, str], archive: Archive
) -> None:
    tab, watch = page
    engine, base = mode
    open_page(tab, urljoin(base, "search.html"))
    wrong = {}
    for query in QUERIES:
        found = search(tab, query)
        urls = [hit["url"] for hit in found]
        assert len(urls) == len(set(urls)), f"duplicates for {query!r}"
        if set(urls) != archive.expected(query):
            wrong[query] = (len(urls), len(archive.expected(query)))
    assert tab.evaluate("gongkai.engine") == engine
    assert not wrong, f"result sets differ (found, expected): {wrong}"
    assert not watch.problems, "\n".join(watch.problems)


def test_filters_narrow_the_reference_set(page: tuple[Page, Watch], mode: tuple[str, str], archive: Archive) -> None:
    tab, watch = page
    open_page(tab, urljoin(mode[1], "search.html"))
    cases = [
        ("低保", {"region": "云南省"}, lambda r: r.region[0] == "云南省"),
        ("", {"region": "云南省/临沧市"}, lambda r: r.region[:2] == ("云南省", "临沧市")),
        ("公开", {"year": "2014-2016"}, lambda r: 2014 <= r.year <= 2016),
        ("", {"year": 2020}, lambda r: r.year == 2020),
        (
            "预算",
            {"agency": "沈阳市财政局", "kind": "自查报告"},
            lambda r: r.agency == "沈阳市财政局" and r.kind == "自查报告",
        ),
        ("临沧", {"region": "辽宁省"}, lambda r: r.region[0] == "辽宁省"),
    ]
    for query, filters, keep in cases:
        expected = archive.expected(query, keep)
        assert {hit["url"] for hit in search(tab, query, filters)} == expected, (query, filters)
    assert len(archive.expected("", lambda r: r.region[0] == "云南省")) > len(
        archive.expected("", lambda r: r.region == ("云南省",))
    )
    assert not watch.problems, "\n".join(watch.problems)


def test_results_rank_title_matches_then_occurrences_then_newest(
    page: tuple[Page, Watch], served: str, archive: Archive
) -> None:
    tab, _ = page
    open_page(tab, urljoin(served, "search.html"))
    by_url = {archive.url[i]: r for i, r in archive.catalogue.reports.items()}
    newest = {archive.url[i]: n for n, i in enumerate(archive.catalogue.newest_first)}
    for query in ("凤庆县", "民政局", "低保 公开"):
        terms = parse_query(query)

        def rank(url: str, terms: tuple[str, ...] = terms) -> tuple[int, int, int]:
            r = by_url[url]
            head = searchable_text((r.title, r.agency, r.doc_number or ""))
            return (-sum(t in head for t in terms), -sum(archive.text[url].count(t) for t in terms), newest[url])

        urls = [hit["url"] for hit in search(tab, query)]
        # str.count skips overlaps; none of these terms can overlap itself.
        assert urls == sorted(urls, key=rank), query


def test_facet_counts_equal_the_catalogue(page: tuple[Page, Watch], mode: tuple[str, str], archive: Archive) -> None:
    """Opened without a query, the page lists nothing and loads only the index; turning to the filters
    shows each option with the number of reports it leaves: the provinces, then the regions under the
    one chosen; agencies are offered as the reader types."""
    tab, watch = page
    loaded: list[str] = []
    tab.on("request", lambda request: loaded.append(request.url.split("/search/")[-1]))
    open_page(tab, urljoin(mode[1], "search.html"))
    assert tab.locator("#search-status").inner_text() == "输入词语搜索全文，或选择筛选条件浏览报告。"
    assert tab.locator("#search-results > li").count() == 0
    assert [name for name in loaded if not name.startswith(("http", "file"))] == ["index.js"]

    region = tab.locator("select[name=region]")
    region.focus()
    tab.wait_for_function("document.querySelectorAll('select[name=region] option').length > 1", timeout=TIMEOUT_MS)

    def options(selector: str) -> dict[str, str]:
        return dict(
            tab.eval_on_selector_all(
                f"{selector} option", "(os) => os.filter((o) => o.value).map((o) => [o.value, o.label.trim()])"
            )
        )

    catalogue = archive.catalogue
    regions = {"/".join(node.names): (node.name, len(node.reports)) for node in catalogue.regions.values()}

    def region_options(*opened: str) -> dict[str, str]:
        return {
            value: f"{name} ({n})"
            for value, (name, n) in regions.items()
            if "/" not in value or value.rsplit("/", 1)[0] in opened
        }

    assert options("select[name=region]") == region_options()
    assert options("#agency-options") == {a.name: f"{a.name} ({len(a.reports)})" for a in catalogue.agencies.values()}
    assert options("select[name=from]") == {str(y): f"{y}年 ({len(ids)})" for y, ids in catalogue.years.items()}
    kinds = Counter(r.kind for r in catalogue.reports.values())
    assert options("select[name=kind]") == {k: f"{k} ({n})" for k, n in kinds.items()}
    assert tab.locator("#search-results > li").count() == 0

    # Choosing a region browses it and opens it: its children appear under it, indented.
    status = tab.locator("#search-status")
    region.select_option("云南省")
    status.filter(has_text=f"共 {regions['云南省'][1]} 份报告").wait_for()
    assert options("select[name=region]") == region_options("云南省")
    region.select_option("云南省/临沧市")
    status.filter(has_text=f"共 {regions['云南省/临沧市'][1]} 份报告").wait_for()
    assert options("select[name=region]") == region_options("云南省", "云南省/临沧市")
    assert region.input_value() == "云南省/临沧市"
    in_lincang = [r for r in catalogue.reports.values() if r.region[:2] == ("云南省", "临沧市")]
    agencies = Counter(r.agency for r in in_lincang)
    assert options("#agency-options") == {name: f"{name} ({n})" for name, n in agencies.items()}

    # An agency picked from the list narrows the results at once, and the address says so.
    agency, count = agencies.most_common(1)[0]
    tab.locator("input[name=agency]").fill(agency)
    status.filter(has_text=f"共 {count} 份报告").wait_for()
    tab.wait_for_function("location.search.includes('agency=')", timeout=TIMEOUT_MS)
    assert not watch.problems, "\n".join(watch.problems)


def test_deep_link_reproduces_the_search_and_the_page_keeps_the_url(
    page: tuple[Page, Watch], mode: tuple[str, str], archive: Archive
) -> None:
    tab, watch = page
    region = "云南省/临沧市"
    expected = archive.expected("臨滄 公开", lambda r: r.region[:2] == ("云南省", "临沧市") and 2013 <= r.year <= 2020)
    assert len(expected) > 20
    open_page(tab, urljoin(mode[1], f"search.html?q={quote('臨滄 公开')}&region={quote(region)}&year=2013-2020"))
    status = tab.locator("#search-status")
    status.filter(has_text=f"找到 {len(expected)} 份报告").wait_for()
    assert tab.locator("#q").input_value() == "臨滄 公开"
    assert tab.locator("select[name=region]").input_value() == region
    assert tab.locator("select[name=from]").input_value() == "2013"
    assert tab.locator("select[name=to]").input_value() == "2020"

    results = tab.locator("#search-results > li")
    assert results.count() == 20
    first_link = results.first.locator("h2 a")
    assert first_link.get_attribute("href").startswith(mode[1])

    # Snippets quote the original script and mark what matched; only results on screen have one yet.
    tab.locator("#search-results mark").first.wait_for()
    marked = set(tab.locator("#search-results mark").all_inner_texts())
    assert marked <= {"临沧", "臨滄", "公开", "公開"} and {"公开", "公開"} & marked
    quoted = "[...document.querySelectorAll('#search-results .snippet')].filter((p) => p.textContent).length"
    assert 0 < tab.evaluate(quoted) < 20

    tab.get_by_role("button", name="显示更多").click()
    tab.wait_for_function(
        "(n) => document.querySelectorAll('#search-results > li').length === n",
        arg=min(40, len(expected)),
        timeout=TIMEOUT_MS,
    )
    shown = {urljoin(mode[1], u) for u in expected}
    assert {a.get_attribute("href") for a in results.locator("h2 a").all()} <= shown
    results.last.scroll_into_view_if_needed()
    results.last.locator(".snippet mark").first.wait_for()

    tab.locator("select[name=sort]").select_option("date")
    tab.wait_for_function("location.search.includes('sort=date')", timeout=TIMEOUT_MS)
    assert "region=" in tab.evaluate("location.search")
    assert not watch.problems, "\n".join(watch.problems)


def test_header_search_box_leads_to_results(page: tuple[Page, Watch], mode: tuple[str, str]) -> None:
    tab, watch = page
    open_page(tab, urljoin(mode[1], "regions/index.html"))
    box = tab.get_by_role("search").get_by_role("searchbox")
    box.fill("凤庆县 低保")
    box.press("Enter")
    tab.wait_for_url("**/search.html?q=*")
    tab.locator("#search-status").filter(has_text="找到").wait_for()
    assert tab.locator("#q").input_value() == "凤庆县 低保"
    assert tab.locator("#search-results > li").count() > 0
    assert not watch.problems, "\n".join(watch.problems)


def test_sample_archive_finds_traditional_text_and_document_numbers(
    page: tuple[Page, Watch], sample_site: Path, tmp_path: Path
) -> None:
    tab, watch = page
    with both_ways(sample_site, tmp_path) as bases:
        for base in bases:
            open_page(tab, urljoin(base, "search.html"))
            titles = {hit["title"] for hit in search(tab, "信息公开")}
            assert ZHANGZHOU in titles
            assert {hit["title"] for hit in search(tab, "国资委")} == {ZHANGZHOU}
            for typed in ("临民字[2018]2号", "临民字（2018）2号", "臨民字〔2018〕2號"):
                assert [hit["title"] for hit in search(tab, typed)] == [
                    "临沧市民政局2017年政府信息与政务公开重点工作落实情况自查报告"
                ], typed
    assert not watch.problems, "\n".join(watch.problems)


def test_withheld_report_is_not_searchable_anywhere(archive: Archive) -> None:
    assert archive.expected(SECRET) == set() and traces(archive.site, SECRET) == []
    assert any(place.endswith("(search index)") for place in traces(archive.site, "临沧"))


def _payload(path: Path) -> bytes:
    """What a search file hands to the page."""
    script = read_script(path.read_bytes())
    assert script, path
    return script[1]


def _rewrite(path: Path, change: Callable[[Any], Any]) -> None:
    script = read_script(path.read_bytes())
    assert script, path
    path.write_bytes(files.script(script[0], json.dumps(change(json.loads(script[1])), ensure_ascii=False).encode()))


def test_search_data_names_the_columns_of_its_rows(sample_site: Path) -> None:
    index = json.loads(_payload(sample_site / "search/index.js"))
    assert index["columns"] == list(META_COLUMNS)
    rows = [row for path in sorted(sample_site.glob("search/m/*.js")) for row in json.loads(_payload(path))]
    assert {len(values) for values in rows} == {len(META_COLUMNS)} and len(rows) == index["reports"]
    assert ZHANGZHOU in [values[META_COLUMNS.index("title")] for values in rows]
    for values in rows:
        url = values[META_COLUMNS.index("url")]
        assert (sample_site / url).is_file()
        assert _payload(sample_site / "search/t" / url.replace(".html", ".js")).decode()


def test_the_page_reads_rows_by_the_names_of_their_columns(
    page: tuple[Page, Watch], sample_site: Path, tmp_path: Path
) -> None:
    """The same archive with every row's columns in reverse order, named so, searches and shows the same."""
    reversed_site = tmp_path / "reversed"
    shutil.copytree(sample_site, reversed_site)
    _rewrite(reversed_site / "search/index.js", lambda data: {**data, "columns": data["columns"][::-1]})
    for rows in (reversed_site / "search").glob("m/*.js"):
        _rewrite(rows, lambda rows: [row[::-1] for row in rows])
    tab, watch = page
    seen = []
    for site in (sample_site, reversed_site):
        open_page(tab, (site / "search.html").as_uri() + f"?q={quote('信息公开')}")
        tab.wait_for_function(
            "() => { const quotes = [...document.querySelectorAll('#search-results .snippet')];"
            " return quotes.length > 0 && quotes.every((quote) => quote.querySelector('mark')); }",
            timeout=TIMEOUT_MS,
        )
        filtered = [
            search(tab, "", filters)
            for filters in (
                {"region": "云南省"},
                {"agency": "临沧市民政局"},
                {"year": "2014-2016"},
                {"kind": "自查报告"},
            )
        ]
        shown = tab.locator("#search-results > li").all_inner_texts()
        seen.append((search(tab, "信息公开"), search(tab, "临民字[2018]2号"), filtered, shown))
    assert seen[0] == seen[1]
    found, numbered, filtered, shown = seen[0]
    assert found and numbered and all(filtered) and any(ZHANGZHOU in item for item in shown)
    assert not watch.problems, "\n".join(watch.problems)
