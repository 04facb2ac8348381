"""文号 citations: found in any bracket style and script, linked in the text, listed both ways, missing ones named."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from factory import make_project, report_text

from generator.build.citations import MAX_CITED_BY_ONE, cross_reference, doc_key, mentions
from generator.pipeline import build_site

STYLES = ["〔{y}〕{n}号", "[{y}]{n}号", "【{y}】{n}号", "（{y}）{n}号", "({y}){n}号", "〔{y}〕第{n}号"]
ISSUERS = ["临政办", "临民字", "云府办明电", "沈政办发", "闽财"]
LEADS = ["根据", "按照", "落实", "和", "", "《关于加强公开工作的通知》（"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("根据国办公开办函〔2021〕30号要求", "国办公开办函(2021)30号"),
        ("按照云府办明电[2016]67号", "云府办明电(2016)67号"),
        ("落实闽政办〔２０２０〕５号精神", "闽政办(2020)5号"),
        ("見臨政辦（2017）106號。", "临政办(2017)106号"),
        ("《通知》（国办发【2016】第80号）", "国办发(2016)80号"),
    ],
)
def test_a_cited_number_is_found_whatever_its_brackets(text: str, found: str) -> None:
    [mention] = mentions(text)
    assert doc_key(mention.trimmed()) == found and mention.written in text


def test_numbers_written_one_after_another_are_told_apart() -> None:
    found = mentions("根据临政办[2017]106号和国办发〔2016〕80号要求")
    assert [mention.trimmed() for mention in found] == ["临政办[2017]106号", "国办发〔2016〕80号"]


def test_numbers_that_are_not_citations_are_not_found() -> None:
    assert mentions("第5号文件、2017年106号、临政办2017年106号、(2017)106号") == ()


class _Page(HTMLParser):
    """The citation links in a report's text, and the entries under each heading of its citations section."""

    def __init__(self) -> None:
        super().__init__()
        self.citation_links: list[str] = []
        self.lists: dict[str, list[str]] = {}
        self.in_section = False
        self.heading: str | None = None
        self.reading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "citation":
            self.citation_links.append(str(found["href"]))
        self.in_section = self.in_section or (tag == "section" and found.get("class") == "citations")
        if self.in_section and tag in ("h3", "li"):
            self.reading = tag
        if self.in_section and tag == "a" and self.heading:
            self.lists.setdefault(self.heading, []).append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        self.in_section = self.in_section and tag != "section"
        if tag in ("h3", "li"):
            self.reading = ""

    def handle_data(self, data: str) -> None:
        if self.reading == "h3":
            self.heading = data.strip()
        elif self.reading == "li" and self.heading == "引用但本档案未收录":
            self.lists.setdefault(self.heading, []).append(data.strip())


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _archive(count: int, seed: int = 11) -> tuple[dict[str, str], dict[int, set[int]], dict[int, set[str]]]:
    """Reports that cite each other in every bracket style, and cite numbers the archive lacks."""
    rng = random.Random(seed)
    numbers = {i: (rng.choice(ISSUERS), 2010 + i % 10, 100 + i) for i in range(count)}
    cites: dict[int, set[int]] = {}
    missing: dict[int, set[str]] = {}
    files = {}
    for i in range(count):
        cites[i] = set(rng.sample([j for j in range(count) if j != i], 3))
        missing[i] = {f"国办发〔{2000 + i}〕{j}号" for j in range(rng.randint(0, 2))}
        sentences = [f"{rng.choice(LEADS)}{_written(numbers[j], rng)}要求，开展工作。" for j in sorted(cites[i])]
        sentences += [f"根据{number}，继续推进。" for number in sorted(missing[i])]
        issuer, year, n = numbers[i]
        files[f"content/{i}.md"] = report_text(
            body="\n\n".join(sentences) + "\n",
            slug=f"r{i}",
            year=year,
            title=f"第{i}份报告",
            doc_number=f"{issuer}〔{year}〕{n}号",
        )
    return files, cites, missing


def _written(number: tuple[str, int, int], rng: random.Random) -> str:
    issuer, year, n = number
    text = issuer + rng.choice(STYLES).format(y=year, n=n)
    return text.translate(FULL_WIDTH) if rng.random() < 0.3 else text


def test_citations_across_a_generated_archive(tmp_path: Path) -> None:
    files, cites, missing = _archive(30)
    root = make_project(tmp_path, files)
    build_site(root)
    site = root / "site"
    pages = {i: site / f"reports/{2010 + i % 10}/r{i}.html" for i in cites}
    for i, path in pages.items():
        page = _page(path)
        linked = {(path.parent / href).resolve() for href in page.citation_links}
        assert linked == {pages[j].resolve() for j in cites[i]}, i
        listed = {(path.parent / href).resolve() for href in page.lists.get("引用", [])}
        assert listed == {pages[j].resolve() for j in cites[i]}, i
        citing = {(path.parent / href).resolve() for href in page.lists.get("被引用", [])}
        assert citing == {pages[j].resolve() for j in cites if i in cites[j]}, i
        assert set(page.lists.get("引用但本档案未收录", [])) == missing[i], i


def test_check_lists_the_most_cited_missing_numbers(tmp_path: Path) -> None:
    body = "根据国办发〔2016〕80号和临政办[2017]106号要求。\n"
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(body=body, slug="a"),
            "content/b.md": report_text(body="按照国办发【2016】80号。\n", slug="b"),
            "content/c.md": report_text(body="无引用。\n", slug="c", doc_number="临政办〔2017〕106号"),
        },
    )
    run = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root), "--missing", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout)["missing"] == [{"doc_number": "国办发〔2016〕80号", "cited_by": 2}]
    text = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(root), "--missing", "5"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "国办发〔2016〕80号  cited by 2 reports" in text


def test_one_report_is_listed_as_citing_on_a_bounded_number_of_pages() -> None:
    numbers = {f"r{n}": f"某政办〔2020〕{n}号" for n in range(1, 151)}
    listing = "、".join(numbers.values())
    citations = cross_reference({**numbers, "list": None}, {"list": mentions(f"附：{listing}。")})
    assert len(citations.cites["list"]) == 150
    pages_listing_it = [target for target, citing in citations.cited_by.items() if "list" in citing]
    assert pages_listing_it == [f"r{n}" for n in range(1, MAX_CITED_BY_ONE + 1)]
