"""Rebuilds that reuse an earlier build: the same bytes as a clean build, with only changed pages made again."""

from __future__ import annotations

import json
import marshal
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from factory import edit_text, generated_archive, make_project, report_text, site_files

from generator.build import content as content_module
from generator.build import inputs, state
from generator.build.state import code_digest
from generator.core import files as core_files
from generator.core.config import load_config
from generator.core.problems import ProblemsFound
from generator.core.searchtext import character_tables
from generator.pipeline import build_site
from generator.search import index as search_index
from generator.search.files import META_SIZE, read_script
from generator.search.index import read_chunk


def _changes(root: Path) -> None:
    """An edited text, a moved year, a new report, a deleted one, and a changed template."""
    content = sorted((root / "content").rglob("*.md"))
    edit_text(content[0], "\n## ", "\n新增的一段话。\n\n## ")
    edit_text(content[1], "year: 20", "year: 19")
    content[2].unlink()
    (root / "content/new.md").write_text(report_text(body="新收录的报告。\n", slug="xin-shou-lu"), encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir(exist_ok=True)
    theme = Path(__file__).parent.parent / "layouts/report.html"
    (layouts / "report.html").write_text(
        theme.read_text(encoding="utf-8").replace("</article>", "</article>\n"), encoding="utf-8"
    )


def test_a_rebuild_from_an_earlier_build_equals_a_clean_build(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", generated_archive(40))
    earlier = build_site(root)
    _changes(root)
    again = build_site(root, earlier=earlier.earlier)
    clean = build_site(root, tmp_path / "clean")
    assert site_files(root / "site") == site_files(tmp_path / "clean")
    assert again.pages == clean.pages and "新收录的报告" in (root / "site/reports/2020/xin-shou-lu.html").read_text(
        encoding="utf-8"
    )


def _inodes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_ino for path in site.rglob("*.html")}


def test_only_pages_made_from_changed_data_are_written_again(tmp_path: Path) -> None:
    files = {
        f"content/{n}.md": report_text(body=f"第{n}份报告的正文。\n", slug=f"r{n}", year=2000 + n) for n in range(6)
    }
    root = make_project(tmp_path, files)
    earlier = build_site(root)
    before = _inodes(root / "site")
    edit_text(root / "content/3.md", "第3份", "改过的第3份")
    build_site(root, earlier=earlier.earlier)
    after = _inodes(root / "site")
    # Listings show titles, not texts: the report's own page is the only one made again.
    assert after.keys() == before.keys() and len(after) > 20
    assert [path for path in after if after[path] != before[path]] == ["reports/2003/r3.html"]
    assert "改过的第3份" in (root / "site/reports/2003/r3.html").read_text(encoding="utf-8")
    edit_text(root / "content/3.md", "year: 2003", "year: 2007")
    build_site(root, earlier=earlier.earlier)
    changed = {path for path, inode in _inodes(root / "site").items() if before.get(path) != inode}
    assert {"reports/2007/r3.html", "years/2007/index.html", "years/index.html", "index.html"} <= changed
    assert "reports/2001/r1.html" not in changed


def test_unchanged_search_data_keeps_every_search_file(tmp_path: Path) -> None:
    root = make_project(tmp_path, generated_archive(12))
    first = build_site(root)
    before = _all_inodes(root / "site/search")
    build_site(root, earlier=first.earlier)
    assert _all_inodes(root / "site/search") == before and len(before) > 12


def _gongkai(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root), "--quiet", *args], check=True)


def _all_inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_the_command_line_reuses_the_last_build_and_equals_a_clean_one(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", generated_archive(40))
    _gongkai(root)
    before = _all_inodes(root / "site")
    old_chunks = _chunks(root / "site")
    report = sorted((root / "content").rglob("*.md"))[5]
    edit_text(report, "\n## ", "\n只改了这一份。\n\n## ")
    _gongkai(root)
    after = _all_inodes(root / "site")
    changed = {path for path in after if before.get(path) != after[path]}
    pages = {path for path in changed if path.endswith(".html")}
    page = pages.pop()
    assert not pages and "只改了这一份" in (root / "site" / page).read_text(encoding="utf-8")
    # Of the search files, the report's text and the index chunks that hold its bigrams, before or after.
    number = _report_number(root / "site", page)
    holding = {
        path for chunks in (old_chunks, _chunks(root / "site")) for path, keys in chunks.items() if number in keys
    }
    assert {path for path in changed if path.startswith("search/")} == {
        f"search/t/{page.removesuffix('.html')}.js",
        *holding,
    }
    _gongkai(root, "--no-cache", "--out", str(tmp_path / "clean"))
    assert site_files(root / "site") == site_files(tmp_path / "clean")


def _chunks(site: Path) -> dict[str, set[int]]:
    """The reports each index chunk of ``site`` holds a bigram of, by chunk file."""
    reports = {}
    for path in sorted(site.glob("search/p/*.js")):
        script = read_script(path.read_bytes())
        assert script
        reports[path.relative_to(site).as_posix()] = {r for posting in read_chunk(script[1]).values() for r in posting}
    return reports


def _report_number(site: Path, page: str) -> int:
    for path in site.glob("search/m/*.js"):
        script = read_script(path.read_bytes())
        assert script
        for row, values in enumerate(json.loads(script[1])):
            if values[0] == page:
                return int(path.stem) * META_SIZE + row
    raise AssertionError(f"{page} is not in the search data")


def test_a_site_replaced_since_the_last_build_is_not_trusted(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"content/a.md": report_text(body="原文。\n", slug="a")})
    _gongkai(root)
    copy = tmp_path / "copy"
    shutil.copytree(root / "site", copy)
    page = next(copy.glob("reports/*/a.html"))
    page.write_text("改坏了", encoding="utf-8")
    shutil.rmtree(root / "site")
    copy.rename(root / "site")
    _gongkai(root)
    assert "原文" in next((root / "site").glob("reports/*/a.html")).read_text(encoding="utf-8")


def _beside(site: Path) -> list[Path]:
    """The site and every file a build keeps next to it."""
    return [site, *site.parent.glob(f".{site.name}.*")]


def test_a_report_withdrawn_after_a_build_leaves_nothing_behind(tmp_path: Path) -> None:
    root = make_project(tmp_path, generated_archive(12))
    secret = root / "content/secret.md"
    secret.write_text(report_text(body="此段落只在撤回的报告里出现。\n", slug="secret"), encoding="utf-8")
    _gongkai(root)
    words = "此段落只在撤回的报告里出现".encode()
    assert any(words in data for data in site_files(root / "site").values())
    edit_text(secret, "disclosure: 主动公开", "disclosure: 不予公开")
    _gongkai(root)
    for place in _beside(root / "site"):
        files = site_files(place) if place.is_dir() else {place.name: place.read_bytes()}
        assert files and not [name for name, data in files.items() if words in data]


@pytest.mark.parametrize(
    "damage",
    [lambda data: b"not what a build wrote", lambda data: data[: len(data) // 2]],
    ids=["garbage", "cut short"],
)
def test_a_damaged_cache_is_set_aside(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    root = make_project(tmp_path / "project", generated_archive(12))
    _gongkai(root)
    for cache in _beside(root / "site")[1:]:
        cache.write_bytes(damage(cache.read_bytes()))
    edit_text(sorted((root / "content").rglob("*.md"))[3], "\n## ", "\n缓存坏了以后改的。\n\n## ")
    _gongkai(root)
    _gongkai(root, "--no-cache", "--out", str(tmp_path / "clean"))
    assert site_files(root / "site") == site_files(tmp_path / "clean")


def _stages(root: Path, strict: bool = False) -> list[str]:
    return [stage for stage, _ in build_site(root, cache=True, strict=strict).stages]


def test_a_build_that_finds_every_input_as_the_last_left_them_tells_the_same_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_files, "SETTLE_SECONDS", 0.0)
    files = {**generated_archive(12), "content/held.md": report_text(disclosure="不予公开", slug="held")}
    root = make_project(tmp_path / "project", files)
    first = build_site(root, cache=True)
    inodes = _all_inodes(root / "site")
    again = build_site(root, cache=True)
    assert [stage for stage, _ in again.stages] == ["unchanged"]
    told = ("reports", "pages", "files", "withheld", "drafts", "warnings")
    assert [getattr(again, name) for name in told] == [getattr(first, name) for name in told]
    assert again.withheld and _all_inodes(root / "site") == inodes
    theme = Path(__file__).parent.parent / "layouts/report.html"
    changes = [
        lambda: edit_text(sorted((root / "content").rglob("*.md"))[0], "\n## ", "\n又改了一处。\n\n## "),
        lambda: (root / "layouts").mkdir() or shutil.copyfile(theme, root / "layouts/report.html"),
        lambda: edit_text(root / "config.yaml", "title:", "description: 新的说明\ntitle:"),
    ]
    for change in changes:
        change()
        assert "load" in _stages(root)
        assert _stages(root) == ["unchanged"]
    # A strict build is refused for the withheld report, however many builds without --strict went before.
    with pytest.raises(ProblemsFound):
        _stages(root, strict=True)


def test_inputs_changed_moments_ago_are_compared_by_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written within the same tick of the file system's clock as the stamp may change again, size
    and all, and keep its stamp: such files are recorded by their bytes too, and compared by them."""
    monkeypatch.setattr(core_files, "SETTLE_SECONDS", 3600.0)
    root = make_project(tmp_path / "project", generated_archive(3))
    build_site(root, cache=True)
    assert _stages(root) == ["unchanged"]
    stamp = inputs.inputs_stamp(load_config(root), False, code_digest())
    report = sorted((root / "content").rglob("*.md"))[0]
    assert str(report) in stamp.recent and inputs.unchanged(stamp.recent)
    data = report.read_bytes()
    report.write_bytes(data.replace(b"year: 20", b"year: 19", 1))
    assert len(report.read_bytes()) == len(data) and not inputs.unchanged(stamp.recent)


def test_a_rebuild_reads_only_the_content_files_whose_stamp_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_files, "SETTLE_SECONDS", 0.0)
    root = make_project(tmp_path / "project", generated_archive(12))
    build_site(root, cache=True)
    read: list[str] = []
    reading = content_module.read_bytes
    monkeypatch.setattr(content_module, "read_bytes", lambda path, shown: read.append(shown) or reading(path, shown))
    edited = sorted((root / "content").rglob("*.md"))[4]
    edit_text(edited, "\n## ", "\n只读这一份。\n\n## ")
    build_site(root, cache=True)
    assert read == [f"content/{edited.relative_to(root / 'content').as_posix()}"]
    assert "只读这一份" in "".join(p.read_text(encoding="utf-8") for p in (root / "site/reports").rglob("*.html"))


def test_a_rebuild_reads_from_the_parse_cache_only_the_texts_of_what_it_makes_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Index blocks of four reports: an edit makes one batch of at most four again.
    monkeypatch.setattr(search_index, "BLOCK_REPORTS", 4)
    root = make_project(tmp_path / "project", generated_archive(24))
    build_site(root, cache=True)
    read: list[str] = []
    stored = state.stored_texts
    monkeypatch.setattr(state, "stored_texts", lambda path, key: read.append(key) or stored(path, key))
    edited = sorted((root / "content").rglob("*.md"))[4]
    edit_text(edited, "\n## ", "\n只读这一份。\n\n## ")
    build_site(root, cache=True)
    # The edited report's batch-mates, and the pages that show the wording it changed.
    assert 0 < len(set(read)) <= 6
    build_site(root, out=tmp_path / "clean")
    assert site_files(root / "site") == site_files(tmp_path / "clean")


def test_a_changed_default_disclosure_is_never_taken_from_a_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core_files, "SETTLE_SECONDS", 0.0)
    text = report_text(body="只在公开时可见的正文。\n").replace("disclosure: 主动公开\n", "")
    root = make_project(tmp_path / "project", {"content/a.md": text}, config="defaults:\n  disclosure: 主动公开\n")
    assert build_site(root, cache=True).reports == 1
    (root / "config.yaml").write_text("defaults:\n  disclosure: 不予公开\n", encoding="utf-8")
    result = build_site(root, cache=True)
    assert (result.reports, len(result.withheld)) == (0, 1)
    site = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert not [p for p in site if "只在公开时可见".encode() in p.read_bytes()]


def test_the_character_tables_are_kept_beside_the_site_and_a_damaged_file_is_made_again(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", generated_archive(6))
    _gongkai(root)
    tables = state.tables_file(root / "site")
    kept = marshal.loads(tables.read_bytes())
    assert kept["code"] == code_digest() and kept["tables"] == character_tables()
    tables.write_bytes(b"\x00damaged")
    edit_text(sorted((root / "content").rglob("*.md"))[0], "\n## ", "\n表格坏了以后的修改。\n\n## ")
    _gongkai(root)
    assert marshal.loads(tables.read_bytes())["tables"] == character_tables()
    _gongkai(root, "--no-cache", "--out", str(tmp_path / "clean"))
    assert site_files(root / "site") == site_files(tmp_path / "clean")
