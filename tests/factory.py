"""Tiny projects and generated archives for tests."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import yaml
from opencc import OpenCC

from generator.build.content import Texts
from generator.search.data import SEARCH_FIELDS, SearchDocument

_TRADITIONAL = OpenCC("s2t")
CONFIG = "title: 测试档案\nlanguage: zh-CN\n"

# Province > city > county, with some reports filed at each level.
PLACES = {
    "云南省": {"临沧市": ["临翔区", "凤庆县"], "昆明市": ["五华区", "盘龙区"]},
    "辽宁省": {"沈阳市": ["和平区"], "大连市": []},
    "福建省": {"漳州市": ["芗城区"]},
}
OFFICES = ["民政局", "人民政府办公室", "财政局", "教育局"]
OFFICE_ABBREVIATIONS = dict(zip(OFFICES, ["民", "政办", "财", "教"], strict=True))
KINDS = ["政府信息公开工作年度报告", "自查报告", "政务公开工作要点落实情况报告"]
PARAGRAPH = "{place}坚持以公开为常态、不公开为例外，推进{topic}信息公开，办理依申请公开{n}件。"
TOPICS = ["低保", "预算", "教育", "征地", "扶贫"]
# Citations of other documents, written in the bracket styles found on portals.
CITATION = "根据{number}要求，{place}{office}将{extra}纳入年度考核。"
CITED = [
    "国办公开办函〔2021〕30号",
    "云府办明电[2016]67号",
    "临政办（2017）106号",
    "辽政办发【2019】12号",
    "闽政办〔２０２０〕５号",
]
EXTRAS = ["GDP统计公报", "政务App", "ＡＰＰ运维", "Open Data目录", "网站"]


def front_matter(**fields: object) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"


def report_text(body: str = "## 一、总体情况\n\n正文。\n", **fields: object) -> str:
    defaults = {
        "title": "某市民政局2020年政府信息公开工作年度报告",
        "agency": "某市民政局",
        "region": ["某省", "某市"],
        "year": 2020,
        "disclosure": "主动公开",
    }
    return front_matter(**{**defaults, **fields}) + "\n" + body


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path in it, with its bytes."""
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def edit_text(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` of the file at ``path``, which must hold it, with ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_project(root: Path, files: dict[str, str | bytes], config: str = CONFIG) -> Path:
    """A project folder with config.yaml and the given files (paths relative to the root)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(config, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def region_paths(places: dict[str, dict[str, list[str]]] = PLACES) -> list[list[str]]:
    """Every province, city and county of ``places`` as a region path."""
    paths = []
    for province, cities in places.items():
        paths.append([province])
        for city, counties in cities.items():
            paths.append([province, city])
            paths.extend([province, city, county] for county in counties)
    return paths


def generated_archive(count: int, seed: int = 7) -> dict[str, str]:
    """``count`` reports as content files; agencies are unique per region, about 1 in 8 is Traditional."""
    rng = random.Random(seed)
    regions = region_paths()
    files = {}
    for i in range(count):
        region = rng.choice(regions)
        office = rng.choice(OFFICES)
        agency = region[-1] + office
        year = rng.randint(2012, 2023)
        kind = rng.choice(KINDS)
        body = "\n\n".join(
            f"## {'一二三'[k]}、第{k + 1}部分\n\n"
            + PARAGRAPH.format(place=region[-1], topic=rng.choice(TOPICS), n=rng.randint(1, 300))
            for k in range(3)
        )
        if i % 3:
            body += "\n\n" + CITATION.format(
                number=rng.choice(CITED), place=region[-1], office=office, extra=rng.choice(EXTRAS)
            )
        title = f"{agency}{year}年{kind}"
        fields: dict[str, object] = {
            "title": title,
            "agency": agency,
            "region": region,
            "year": year,
            "date": f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
            "disclosure": "主动公开",
            "kind": kind,
            "slug": f"r{i:05d}",
        }
        if i % 2:
            fields["doc_number"] = f"{region[-1][0]}{OFFICE_ABBREVIATIONS[office]}字〔{year + 1}〕{i}号"
        if i % 8 == 0:
            # Written in Traditional characters throughout, as a Hong Kong or Taiwan copy would be.
            fields["language"] = "zh-Hant"
            fields["title"] = _TRADITIONAL.convert(title)
            body = _TRADITIONAL.convert(body)
        files[f"content/{year}/{i:05d}.md"] = report_text(body=body, **fields)
    return files


def search_document(number: int, *fields: str) -> SearchDocument:
    """Report ``number`` as search sees it, with ``fields`` (in SEARCH_FIELDS's order, the missing ones
    empty) and a file key made from them."""
    padded = (*fields, *[""] * (len(SEARCH_FIELDS) - len(fields)))
    texts = Texts.held(hashlib.blake2b(repr(padded).encode(), digest_size=16).hexdigest(), "", padded[-1])
    return SearchDocument(f"r/{number}.html", padded[0], "", "", "zh-CN", 0, 0, 2020, -1, number, padded[:-1], texts)
