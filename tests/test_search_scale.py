"""Search at archive size: on 10,000 generated reports, every probe query's result set equals the Python
reference, served and from disk, in headless Chromium. At this size the index has hundreds of chunks
and each query reads only some of them, so a report numbered or chunked wrongly would show here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browsing import Watch, both_ways, open_page, search
from playwright.sync_api import Page
from reference import expected, search_data

from generator.pipeline import build_site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import write_corpus

REPORTS = 10_000
PROBES = (
    "临沧",
    '"政府信息公开" 低保',
    "沧",
    "臨滄",
    "凤庆县 低保",
    "国办公开办函〔2021〕30号",
    "云府办明电(2016)67号",
    "闽政办〔２０２０〕５号",
    "预算决算 扶贫",
    '"依申请 公开"',
    "保障性住房 沈阳",
    "2019",
    "〔2021〕",
    "核电站",
)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[str]]]:
    root = tmp_path_factory.mktemp("large")
    (root / "config.yaml").write_text("title: 大档案\n", encoding="utf-8")
    write_corpus(root / "content", REPORTS)
    result = build_site(root)
    assert result.reports == REPORTS
    return result.out, expected(search_data(root), PROBES)


def test_every_probe_equals_the_reference_served_and_from_disk(
    page: tuple[Page, Watch], large: tuple[Path, dict[str, set[str]]], tmp_path: Path
) -> None:
    tab, watch = page
    site, expected = large
    assert 0 < len(expected["临沧"]) < REPORTS / 5 and len(expected['"政府信息公开" 低保']) > REPORTS / 2
    with both_ways(site, tmp_path) as bases:
        for base in bases:
            open_page(tab, base + "search.html")
            wrong = {}
            for query, want in expected.items():
                urls = [hit["url"] for hit in search(tab, query)]
                if len(urls) != len(set(urls)) or set(urls) != want:
                    wrong[query] = (len(urls), len(want))
            assert not wrong, f"{base}: result sets differ (found, expected): {wrong}"
    assert not watch.problems, "\n".join(watch.problems)
