"""A deterministic archive of realistic disclosure reports, for benchmarks.

Each report is about 8 KB of Markdown: numbered sections, paragraphs built from the phrases real
reports use, statistics, 文号 citations in several bracket styles, a table; one in eight is written
in Traditional characters. Needs tests/ on sys.path (bench/search.py puts it there).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import yaml
from factory import region_paths
from opencc import OpenCC

PROVINCES = {
    "云南省": {
        "临沧市": ["临翔区", "凤庆县", "云县", "永德县"],
        "昆明市": ["五华区", "盘龙区", "官渡区"],
        "大理白族自治州": ["大理市", "宾川县"],
    },
    "辽宁省": {"沈阳市": ["和平区", "沈河区", "皇姑区"], "大连市": ["中山区", "西岗区"]},
    "福建省": {"漳州市": ["芗城区", "龙文区"], "福州市": ["鼓楼区", "台江区"]},
    "四川省": {"成都市": ["锦江区", "青羊区"], "绵阳市": ["涪城区"]},
}
OFFICES = {
    "民政局": "民",
    "人民政府办公室": "政办",
    "财政局": "财",
    "教育局": "教",
    "自然资源局": "自然资",
    "卫生健康委员会": "卫健",
    "生态环境局": "环",
}
KINDS = ["政府信息公开工作年度报告", "政务公开工作要点落实情况报告", "政府信息公开自查报告"]
TOPICS = [
    "低保",
    "预算决算",
    "征地拆迁",
    "扶贫",
    "教育收费",
    "医疗卫生",
    "环境保护",
    "安全生产",
    "食品药品",
    "保障性住房",
]
CITED = [
    "国办公开办函〔2021〕30号",
    "云府办明电[2016]67号",
    "临政办（2017）106号",
    "辽政办发【2019】12号",
    "国办发〔2016〕80号",
    "闽政办〔２０２０〕５号",
]
SENTENCES = [
    "{place}坚持以公开为常态、不公开为例外，全面推进{topic}信息公开。",
    "全年主动公开政府信息{n}条，其中通过政府网站公开{m}条，政务微博、微信公开{k}条。",
    "收到政府信息公开申请{n}件，其中当面申请{m}件，网上申请{k}件，均已按期答复。",
    "根据《中华人民共和国政府信息公开条例》和{cited}要求，{place}{office}认真组织开展自查。",
    "围绕{topic}等重点领域，及时公开政策文件、执行情况和监督检查结果，回应社会关切。",
    "建立健全保密审查机制，坚持“先审查、后公开”和“一事一审”原则，全年未发生失泄密事件。",
    "因政府信息公开被申请行政复议{k}件、提起行政诉讼{m}件，未出现被纠错的情况。",
    "加强政府网站集约化建设，优化栏目设置，提升{topic}专栏的检索和互动功能。",
    "存在的主要问题是：公开内容不够全面，{topic}信息更新不够及时，解读形式较为单一。",
    "下一步，{place}{office}将进一步完善制度，加大培训力度，提升政务公开标准化规范化水平。",
]
HEADINGS = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]
_TRADITIONAL = OpenCC("s2t")
_TAIWAN = OpenCC("s2tw")


def _body(rng: random.Random, place: str, office: str) -> str:
    sections = []
    for number, heading in enumerate(HEADINGS):
        sentences = [
            rng.choice(SENTENCES).format(
                place=place,
                office=office,
                topic=rng.choice(TOPICS),
                cited=rng.choice(CITED),
                n=rng.randint(10, 5000),
                m=rng.randint(1, 900),
                k=rng.randint(0, 60),
            )
            for _ in range(rng.randint(10, 14))
        ]
        paragraphs = ["".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        sections.append(f"## {'一二三四五六'[number]}、{heading}\n\n" + "\n\n".join(paragraphs))
    table = "| 指标 | 数量 |\n| --- | --- |\n" + "\n".join(
        f"| {rng.choice(TOPICS)}信息 | {rng.randint(0, 999)} |" for _ in range(6)
    )
    return "\n\n".join([*sections[:2], table, *sections[2:]]) + "\n"


def reports(count: int, seed: int = 2026) -> Iterator[tuple[dict[str, object], str]]:
    """``count`` reports as (front-matter fields, Markdown body), the same for the same seed."""
    rng = random.Random(seed)
    places = region_paths(PROVINCES)
    for i in range(count):
        region = rng.choice(places)
        office, abbreviation = rng.choice(list(OFFICES.items()))
        agency, year, kind = region[-1] + office, rng.randint(2010, 2025), rng.choice(KINDS)
        fields = {
            "title": f"{agency}{year}年{kind}",
            "agency": agency,
            "region": region,
            "year": year,
            "doc_number": f"{region[-1][0]}{abbreviation}〔{year + 1}〕{i}号",
            "date": f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
            "disclosure": "主动公开",
            "kind": kind,
            "slug": f"r{i:06d}",
        }
        body = _body(rng, region[-1], office)
        if i % 8 == 0:
            fields["title"] = _TRADITIONAL.convert(str(fields["title"]))
            fields["language"] = "zh-Hant"
            body = _TRADITIONAL.convert(body)
        yield fields, body


def write_corpus(folder: Path, count: int, seed: int = 2026) -> None:
    """``count`` reports as Markdown files under ``folder`` (a project's content folder)."""
    for i, (fields, body) in enumerate(reports(count, seed)):
        target = folder / str(fields["year"]) / f"r{i:06d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        target.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")


def write_raw_corpus(folder: Path, count: int, seed: int = 2026) -> list[dict[str, object]]:
    """The same reports as raw portal text files, as archivists collect them; returns their true fields.

    Each has a breadcrumb, a byline, NBSP indentation, a signature and a footer; Traditional reports are
    saved in Big5, one in three of the others in GB18030, the rest in UTF-8.
    """
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    for i, (fields, body) in enumerate(reports(count, seed)):
        signed = str(fields["date"])
        lines = [
            "首页 > 政务公开 > 政府信息公开年报",
            str(fields["title"]),
            f"发布日期：{signed}　来源：{fields['agency']}",
            "【字体：大 中 小】【打印】【关闭】",
            str(fields["doc_number"]),
        ]
        for block in body.split("\n\n"):
            if block.startswith("|"):
                lines += [row.strip("|").replace(" | ", "　") for row in block.splitlines() if "---" not in row]
            else:
                lines.append("\u00a0\u00a0" + block.removeprefix("## "))
        lines += [
            f"\u3000\u3000\u3000\u3000{fields['agency']}",
            f"\u3000\u3000\u3000\u3000{signed}",
            "相关词条 热门词条 联系我们",
        ]
        text = "\n".join(lines) + "\n"
        if fields.get("language") == "zh-Hant":
            text = _TAIWAN.convert(text).replace("\u00a0", "\u3000")  # Big5 has no NBSP
        encoding = "big5" if fields.get("language") == "zh-Hant" else "gb18030" if i % 3 == 0 else "utf-8"
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:  # a character Big5 lacks: saved as UTF-8, as such pages are
            data = text.encode("utf-8")
        (folder / f"raw{i:06d}.txt").write_bytes(data)
        truth.append(fields)
    return truth


def write_hugo_corpus(folder: Path, count: int, seed: int = 2026) -> None:
    """The same reports for Hugo (bench/hugo): regions, agency and year as its taxonomies' terms."""
    for i, (fields, body) in enumerate(reports(count, seed)):
        front = {
            "title": fields["title"],
            "date": fields["date"],
            "slug": fields["slug"],
            "doc_number": fields["doc_number"],
            "regions": fields["region"],
            "agencies": [fields["agency"]],
            "years": [str(fields["year"])],
        }
        target = folder / "reports" / str(fields["year"]) / f"r{i:06d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n\n{body}", encoding="utf-8"
        )
