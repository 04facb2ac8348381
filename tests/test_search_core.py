"""The JavaScript search engine (layouts/assets/search-core.js) in Node, against the Python reference.

A small archive is built by the real build; the reference answers (result sets, ranking, facet counts)
come from generator.core.searchtext. Node runs every test in tests/js/: the unit tests on hand-made data
and tests/js/fixture.test.js, which reads this site's search files from disk through the engine's loader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from factory import CITED, CONFIG, PLACES, TOPICS, generated_archive, make_project, report_text

from generator.build.catalogue import Catalogue, build_catalogue
from generator.build.content import Report, load_content
from generator.build.plan import plan_site
from generator.core.config import load_config
from generator.core.searchtext import matches, parse_query, searchable_text
from generator.pipeline import build_site

NODE = shutil.which("node")
REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: the search engine's tests run in Node")

REPORTS = 120
SECRET = "绝密标记七号"
# Reports with what generated ones lack: astral characters, letters that fold to two, a term that
# overlaps itself, Traditional text, and a phrase at the very end of a field.
EXTRA = {
    "content/extra/astral.md": report_text(
        title="临沧市民政局𠀀𠀁专项报告",
        agency="临沧市民政局",
        region=["云南省", "临沧市"],
        year=2019,
        kind="自查报告",
        body="啊啊啊啊，𠀀𠀁𠀀，Straße ＡＰＰ，臨滄低保。\n\n政府信息公开政府信息公开。\n",
    ),
    "content/extra/ends.md": report_text(
        title="漳州市教育局专项报告临",
        agency="漳州市教育局",
        region=["福建省", "漳州市"],
        year=2016,
        doc_number="漳教〔2016〕9号",
        body="沧海桑田。strasse 在此。\n",
    ),
    "content/withheld.md": report_text(
        title=f"{SECRET}临沧低保报告", disclosure="不予公开", body=f"临沧 低保 {SECRET}\n"
    ),
}

QUERIES = [
    *PLACES,
    *[city for cities in PLACES.values() for city in cities],
    *[county for cities in PLACES.values() for counties in cities.values() for county in counties],
    *TOPICS,
    *CITED,
    "临沧",
    "臨滄",
    "信息公開",
    "人民政府办公室",
    "自查报告",
    "云府办明电（2016）67号",
    "201667号",
    "gdp",
    "ＡＰＰ",
    '"open data"',
    "open data",
    "沧",
    "的",
    "〔",
    "号",
    "1",
    "𠀀",
    "𠀁𠀀",
    "𠀀𠀁𠀀",
    "啊啊",
    "啊啊啊",
    "strasse",
    "STRASSE",
    "ss",
    "临沧 低保",
    "昆明 预算 教育",
    '"依申请 公开" 凤庆县',
    '"政府信息公开" 低保',
    "报告临",
    "临沧海",
    "核电站",
    "xyz",
    SECRET,
]
FILTERED = [
    ("", {"region": "云南省"}),
    ("", {"region": "云南省/临沧市"}),
    ("", {"year": "2014-2016"}),
    ("", {"year": 2020}),
    ("", {"year": "-2014"}),
    ("", {"kind": "自查报告"}),
    ("", {"agency": "沈阳市财政局"}),
    ("低保", {"region": "云南省"}),
    ("公开", {"year": "2014-2016", "kind": "自查报告"}),
    ("预算", {"agency": "沈阳市财政局", "kind": "自查报告"}),
    ("临沧", {"region": "辽宁省"}),
    ("公开", {"region": "云南省/临沧市", "year": "2015-", "agency": "临沧市民政局"}),
    ("临沧", {"region": "不存在"}),
]


class Reference:
    """What every search on the built archive must answer, by generator.core.searchtext."""

    def __init__(self, catalogue: Catalogue, urls: dict[str, str]) -> None:
        self.catalogue = catalogue
        self.urls = urls
        self.newest = {report_id: rank for rank, report_id in enumerate(catalogue.newest_first)}
        self.text = {i: _searchable(r) for i, r in catalogue.reports.items()}
        self.head = {i: searchable_text((r.title, r.agency, r.doc_number or "")) for i, r in catalogue.reports.items()}

    def case(self, query: str, filters: dict[str, object], sort: str = "") -> dict[str, object]:
        terms = parse_query(query)
        pool = [i for i in self.catalogue.reports if not terms or matches(self.text[i], terms)]
        hits = [i for i in pool if self._passes(i, filters)]
        if terms and sort != "date":
            hits.sort(key=lambda i: self._rank(i, terms))
        else:
            hits.sort(key=self.newest.__getitem__)
        return {
            "query": query,
            "filters": filters,
            "sort": sort,
            "urls": [self.urls[i] for i in hits],
            "facets": self._facets(pool, filters),
        }

    def _rank(self, report_id: str, terms: tuple[str, ...]) -> tuple[int, int, int]:
        in_head = sum(term in self.head[report_id] for term in terms)
        occurrences = sum(_count_overlapping(self.text[report_id], term) for term in terms)
        return (-in_head, -occurrences, self.newest[report_id])

    def _tests(self, filters: dict[str, object]) -> dict[str, Callable[[Report], bool]]:
        tests: dict[str, Callable[[Report], bool]] = {}
        if filters.get("region"):
            wanted = tuple(str(filters["region"]).split("/"))
            tests["region"] = lambda r: r.region[: len(wanted)] == wanted
        if filters.get("agency"):
            tests["agency"] = lambda r: r.agency == filters["agency"]
        if filters.get("year"):
            text = str(filters["year"])
            start, end = text.split("-") if "-" in text else (text, text)
            low = int(start) if start != "" else -(10**9)
            high = int(end) if end != "" else 10**9
            tests["year"] = lambda r: low <= r.year <= high
        if filters.get("kind"):
            tests["kind"] = lambda r: r.kind == filters["kind"]
        return tests

    def _passes(self, report_id: str, filters: dict[str, object], but: str = "") -> bool:
        report = self.catalogue.reports[report_id]
        return all(test(report) for name, test in self._tests(filters).items() if name != but)

    def _facets(self, pool: list[str], filters: dict[str, object]) -> dict[str, dict[str, int]]:
        """Per facet, the options with a count above 0, counted with every filter but the facet's own."""
        facets: dict[str, Counter[str]] = {name: Counter() for name in ("region", "agency", "year", "kind")}
        for report_id in pool:
            r = self.catalogue.reports[report_id]
            if self._passes(report_id, filters, "region"):
                facets["region"].update("/".join(r.region[:n]) for n in range(1, len(r.region) + 1))
            if self._passes(report_id, filters, "agency"):
                facets["agency"][r.agency] += 1
            if self._passes(report_id, filters, "year"):
                facets["year"][str(r.year)] += 1
            if r.kind and self._passes(report_id, filters, "kind"):
                facets["kind"][r.kind] += 1
        return {name: dict(counts) for name, counts in facets.items()}


def _searchable(report: Report) -> str:
    fields = (report.title, report.agency, report.doc_number or "", " ".join(report.region), report.text)
    return searchable_text(fields)


def _count_overlapping(text: str, term: str) -> int:
    count, at = 0, text.find(term)
    while at != -1:
        count, at = count + 1, text.find(term, at + 1)
    return count


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the built site, the reference file)."""
    root = make_project(tmp_path_factory.mktemp("core") / "p", {**generated_archive(REPORTS), **EXTRA}, CONFIG)
    site = root / "site"
    build_site(root, site)
    config = load_config(root)
    catalogue = build_catalogue(load_content(config).reports)
    urls = dict(plan_site(catalogue, config).report_paths)
    reference = Reference(catalogue, urls)
    cases = [reference.case(query, {}) for query in QUERIES]
    cases += [reference.case(query, filters) for query, filters in FILTERED]
    cases += [reference.case(query, {}, "date") for query in ("低保", "临沧 公开", "𠀀")]
    path = root / "reference.json"
    path.write_text(json.dumps({"reports": len(catalogue.reports), "cases": cases}, ensure_ascii=False), "utf-8")
    return site, path


def test_the_reference_tells_queries_apart(built: tuple[Path, Path]) -> None:
    cases = json.loads(built[1].read_text("utf-8"))["cases"]
    sizes = {case["query"]: len(case["urls"]) for case in cases if not case["filters"] and not case["sort"]}
    assert sizes[SECRET] == sizes["核电站"] == sizes["201667号"] == 0
    assert sizes["𠀁𠀀"] == sizes["啊啊啊"] == 1 and sizes["strasse"] == 2
    assert 0 < sizes["临沧"] < REPORTS and sizes["臨滄"] == sizes["临沧"]
    assert len(set(sizes.values())) > 15


def test_node_engine_answers_as_the_reference(built: tuple[Path, Path]) -> None:
    site, reference = built
    env = {**os.environ, "GONGKAI_SEARCH_SITE": str(site), "GONGKAI_SEARCH_REFERENCE": str(reference)}
    assert NODE is not None
    result = subprocess.run(
        [NODE, "--test", "tests/js/"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = dict(re.findall(r"^# (tests|pass|fail|skipped|cancelled) (\d+)$", result.stdout, re.MULTILINE))
    assert summary.get("fail") == "0" and summary.get("cancelled") == "0", output
    # With the site named, nothing is skipped: the fixture tests ran.
    assert summary.get("skipped") == "0" and int(summary.get("pass", 0)) > 0, output
