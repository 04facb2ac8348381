"""The build as a whole: publishing, failures, rebuilds, overrides and the pages each node gets."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from factory import generated_archive, make_project, report_text

from generator.core.chinese import fold
from generator.core.problems import ProblemsFound
from generator.pipeline import build_site

REPORT_LINK = re.compile(r'<a class="report-title" href="([^"]+)"')


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_path_collision_names_both_files(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "content/b.md": report_text()})
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    [problem] = found.value.problems
    assert str(problem) == (
        "content/a.md: slug: 2 pages map to reports/2020/moushiminzhengju.html: content/a.md, content/b.md\n"
        "    hint: give each report a distinct `slug:` in its front matter"
    )


def test_slug_resolves_a_collision(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "content/b.md": report_text(slug="second")})
    build_site(root)
    assert (tmp_path / "site/reports/2020/moushiminzhengju.html").is_file()
    assert (tmp_path / "site/reports/2020/second.html").is_file()


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()})
    build_site(root)
    before = snapshot(tmp_path / "site")
    (root / "content/b.md").write_text(report_text(year="20xx", slug="b"), encoding="utf-8")
    with pytest.raises(ProblemsFound):
        build_site(root)
    assert snapshot(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "content", "site"]


def test_template_error_mid_render_leaves_previous_site_untouched(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()})
    build_site(root)
    before = snapshot(tmp_path / "site")
    (root / "layouts").mkdir()
    (root / "layouts/report.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ report.no_such_field }}{% endblock %}"
    )
    with pytest.raises(
        ProblemsFound, match=re.escape("layouts/report.html:1: template error: 'dict object' has no attribute")
    ):
        build_site(root)
    assert snapshot(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "content", "layouts", "site"]


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(), "layouts/year.html": "ok\n{% if %}\n"})
    with pytest.raises(ProblemsFound) as found:
        build_site(root)
    assert str(found.value.problems[0]).startswith("layouts/year.html:2: template syntax error:")


def test_deleted_report_disappears(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"content/a.md": report_text(title="甲报告"), "content/b.md": report_text(title="乙报告独有标题", slug="b")},
    )
    build_site(root)
    assert (tmp_path / "site/reports/2020/b.html").is_file()
    (root / "content/b.md").unlink()
    build_site(root)
    assert not (tmp_path / "site/reports/2020/b.html").exists()
    for path in (tmp_path / "site").rglob("*.html"):
        assert "乙报告独有标题" not in path.read_text(encoding="utf-8"), path


def test_rebuilds_are_byte_identical(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", generated_archive(120))
    build_site(root, tmp_path / "one")
    build_site(root, tmp_path / "two")
    build_site(root, tmp_path / "one")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_project_overrides_one_template_label_and_asset(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/a.md": report_text(),
            "layouts/year.html": (
                "{% extends 'base.html' %}{% block main %}<h1>自定义年度页 {{ year }}</h1>{% endblock %}"
            ),
            "layouts/i18n/zh-CN.yaml": "home: 档案首页\n",
            "layouts/assets/style.css": "body { color: red }\n",
        },
    )
    build_site(root)
    site = tmp_path / "site"
    assert "<h1>自定义年度页 2020</h1>" in (site / "years/2020/index.html").read_text(encoding="utf-8")
    report_page = (site / "reports/2020/moushiminzhengju.html").read_text(encoding="utf-8")
    assert "档案首页" in report_page and "<h1" in report_page
    assert (site / "assets/style.css").read_text() == "body { color: red }\n"


def test_withheld_report_reaches_no_output(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "content/public.md": report_text(),
            "content/secret-zzqx.md": report_text(
                title="机密标题ZZQX",
                agency="保密局ZZQX",
                disclosure="不予公开",
                region=["秘省ZZQX"],
                year=2001,
                body="正文ZZQX\n",
            ),
        },
    )
    result = build_site(root)
    assert [(w.id, w.reason) for w in result.withheld] == [("secret-zzqx.md", "公开属性 is 不予公开")]
    for path in (tmp_path / "site").rglob("*"):
        assert "zzqx" not in path.name.lower()
        if path.is_file():
            assert b"ZZQX" not in path.read_bytes(), path
    assert "2001" not in (tmp_path / "site/years/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "published"),
    [
        ("主动公开", True),
        ("主動公開", True),
        ("依申请公开", False),
        ("删减后公开", False),
        ("主动公开 ", False),
        ("公开", False),
        (None, False),
    ],
)
def test_only_allow_listed_disclosure_is_published(tmp_path: Path, value: str | None, published: bool) -> None:
    fields = {"disclosure": value} if value is not None else {}
    text = report_text(**fields)
    if value is None:
        text = text.replace("disclosure: 主动公开\n", "")
    root = make_project(tmp_path, {"content/a.md": text})
    result = build_site(root)
    assert result.reports == (1 if published else 0)
    assert (tmp_path / "site/reports/2020/moushiminzhengju.html").exists() == published


def test_default_disclosure_from_config(tmp_path: Path) -> None:
    text = report_text().replace("disclosure: 主动公开\n", "")
    root = make_project(tmp_path, {"content/a.md": text}, config="defaults:\n  disclosure: 主动公开\n")
    assert build_site(root).reports == 1


@pytest.mark.parametrize("out", [".", "content", "..", "content/site"])
def test_output_folder_may_not_replace_the_project(tmp_path: Path, out: str) -> None:
    root = make_project(tmp_path / "p", {"content/a.md": report_text()})
    with pytest.raises(ProblemsFound, match="output_dir: the output folder"):
        build_site(root, root / out)
    assert (root / "content/a.md").is_file()


def _report_links(page: Path, site: Path) -> set[str]:
    html = page.read_text(encoding="utf-8")
    base = posixpath.dirname(page.relative_to(site).as_posix())
    return {posixpath.normpath(posixpath.join(base, href)) for href in REPORT_LINK.findall(html)}


def test_each_node_page_lists_exactly_its_reports(tmp_path: Path) -> None:
    files = generated_archive(300)
    root = make_project(tmp_path / "p", files)
    site = tmp_path / "site"
    build_site(root, site)
    by_year, by_agency, by_region = defaultdict(set), defaultdict(set), defaultdict(set)
    for text in files.values():
        meta = yaml.safe_load(text.split("---\n")[1])
        path = f"reports/{meta['year']}/{meta['slug']}.html"
        by_year[meta["year"]].add(path)
        by_agency[fold(meta["agency"])].add(path)
        for depth in range(1, len(meta["region"]) + 1):
            by_region[tuple(meta["region"][:depth])].add(path)

    for year, expected in by_year.items():
        assert _report_links(site / f"years/{year}/index.html", site) == expected
    agency_pages = sorted((site / "agencies").glob("*/index.html"))
    assert len(agency_pages) == len(by_agency)
    found_agencies = {
        re.search(r"<h1>(.+?) <span", p.read_text(encoding="utf-8")).group(1): _report_links(p, site)
        for p in agency_pages
    }
    assert {fold(name): links for name, links in found_agencies.items()} == dict(by_agency)
    region_pages = sorted((site / "regions").rglob("index.html"))
    assert len(region_pages) == len(by_region) + 1  # and the regions index
    for region, expected in by_region.items():
        pages = [p for p in region_pages if f"<h1>{region[-1]} <span" in p.read_text(encoding="utf-8")]
        matching = [p for p in pages if _report_links(p, site) == expected]
        assert len(matching) == 1, (region, [str(p) for p in pages])
    catalogue = (site / "reports/index.html").read_text(encoding="utf-8")
    assert catalogue.count("<tr><td>") == 300


def test_hidden_files_are_not_reports(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"content/a.md": report_text(), "content/.#a.md": "lock", "content/.drafts/b.md": "not front matter"}
    )
    assert build_site(root).reports == 1


def test_base_url_gives_sitemap_robots_and_404_base(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()}, config="base_url: https://example.org/archive\n")
    build_site(root)
    site = tmp_path / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.+?)</loc>", sitemap)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert locations == [f"https://example.org/archive/{p}" for p in pages]
    assert "Sitemap: https://example.org/archive/sitemap.xml" in (site / "robots.txt").read_text()
    assert '<base href="https://example.org/archive/">' in (site / "404.html").read_text(encoding="utf-8")


def test_without_base_url_there_is_no_sitemap(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()})
    build_site(root)
    assert not (tmp_path / "site/sitemap.xml").exists()
    assert (tmp_path / "site/robots.txt").read_text() == "User-agent: *\nAllow: /\n"


@pytest.mark.parametrize(("language", "label"), [("zh-CN", "按发布机构"), ("zh-TW", "按發布機構"), ("en", "By agency")])
def test_interface_language(tmp_path: Path, language: str, label: str) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text()}, config=f"language: {language}\n")
    build_site(root)
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in home
    assert f'<a href="agencies/index.html">{label}</a>' in home
