"""`gongkai import` on a labelled set of raw reports, the five seeds, and files it must refuse."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generator.build.content import load_content
from generator.cli import main
from generator.core.config import load_config
from generator.core.strict_yaml import read_mapping
from generator.pipeline import build_site

CASES = REPO / "tests" / "cases" / "import"
LABELS = yaml.safe_load((CASES / "labels.yaml").read_text(encoding="utf-8"))
SEEDS = REPO / "tests" / "fixtures" / "seeds"


def run(*args: str | Path) -> int:
    return main(["import", *map(str, args)])


def written(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.md")) if folder.exists() else []


def front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    entries, problems = read_mapping(front, path.name)
    assert not problems
    return {key: entry.value for key, entry in entries.items()}, body


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def store(case: str, folder: Path) -> Path:
    """The case file written in the encoding the labels give it."""
    folder.mkdir(exist_ok=True)
    text = (CASES / case).read_bytes().decode("utf-8")
    target = folder / case
    target.write_bytes(text.encode(LABELS[case]["stored_as"]))
    return target


@pytest.mark.parametrize("case", sorted(LABELS))
def test_labelled_case_field_by_field(case: str, in_tmp: Path) -> None:
    label = LABELS[case]
    source = store(case, in_tmp / "raw")
    assert run(source, "--to", "content") == 0
    [path] = written(in_tmp / "content")
    fields, body = front_matter(path)
    for name, expected in label["fields"].items():
        assert fields.get(name) == expected, f"{case}: {name}"
    assert fields.get("attachments", []) == label["attachments"]
    assert fields["import"]["encoding"] == label["encoding"]
    assert fields["import"]["source"] == f"raw/{case}"
    for name, confidence in label.get("confidence", {}).items():
        assert fields["import"]["confidence"][name] == confidence
    assert [line for line in body.splitlines() if line.startswith("#")] == label["headings"]
    for noise in label["not_in_body"]:
        assert noise not in body, f"{case}: {noise!r} left in the text"
    assert "\ufffd" not in path.read_text(encoding="utf-8")


def test_seeds_come_out_as_the_hand_made_sample(in_tmp: Path) -> None:
    project = in_tmp / "project"
    project.mkdir()
    shutil.copy(REPO / "config.yaml", project)
    assert run(SEEDS, "--to", project / "content") == 0
    imported = load_content(load_config(project))
    sample = load_content(load_config(REPO))
    assert not imported.problems and not imported.withheld
    by_title = {report.title: report for report in sample.reports}
    assert sorted(by_title) == sorted(report.title for report in imported.reports)
    for report in imported.reports:
        expected = by_title[report.title]
        # Where a file keeps its report differs (id, the key of the file's bytes and name, which its
        # texts go by, and the line the text starts on); the report may not.
        kept, made = ((asdict(replace(r, id="", texts=None, body_line=0)), r.body, r.text) for r in (report, expected))
        assert kept == made, report.title


def test_build_after_importing_the_seeds_equals_the_sample_site(in_tmp: Path, sample_site: Path) -> None:
    project = in_tmp / "project"
    project.mkdir()
    shutil.copy(REPO / "config.yaml", project)
    assert run(SEEDS, "--to", project / "content") == 0
    site = build_site(project, None).out
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sample_site) for p in sample_site.rglob("*") if p.is_file())
    for name in files:
        assert (site / name).read_bytes() == (sample_site / name).read_bytes(), name
    # The import record (source paths, hashes, confidences) stays in the content files.
    record = front_matter(written(project / "content")[0])[0]["import"]["sha256"]
    assert not any(record.encode() in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_a_report_without_a_title_is_composed_and_flagged(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(SEEDS / "001_bf79b25df0a37390.txt", "--report", "look.csv") == 0
    fields, _ = front_matter(written(in_tmp / "content")[0])
    assert fields["import"]["confidence"]["title"] == "low"
    assert fields["import"]["confidence"]["agency"] == "low"
    assert fields["doc_number"] == "临民字〔2018〕2号"  # the 文号 standing alone on the first line
    rows = list(csv.DictReader((in_tmp / "look.csv").open(encoding="utf-8-sig")))
    assert {(row["field"], row["confidence"]) for row in rows} >= {("title", "low"), ("agency", "low")}
    assert "Needs a human look" in capsys.readouterr().out


def test_dry_run_prints_a_table_and_writes_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(SEEDS, "--dry-run") == 0
    out = capsys.readouterr().out
    assert not (in_tmp / "content").exists()
    assert sum(line.startswith("would write") for line in out.splitlines()) == 5
    assert "临沧市民政局" in out and "临民字〔2018〕2号" in out


def test_existing_files_are_kept_unless_forced(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = store("lost-bracket-own.txt", in_tmp / "raw")
    assert run(source) == 0
    [path] = written(in_tmp / "content")
    edited = path.read_text(encoding="utf-8").replace("昭通市人民政府办公室\n", "昭通市人民政府办公室（已校对）\n")
    path.write_text(edited, encoding="utf-8")
    capsys.readouterr()

    assert run(source) == 0
    assert "1 unchanged" in capsys.readouterr().out
    source.write_bytes(source.read_bytes() + "补充说明。\n".encode())
    assert run(source) == 0
    assert "--force overwrites it" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == edited

    assert run(source, "--force") == 0
    assert "补充说明。" in path.read_text(encoding="utf-8")
    assert written(in_tmp / "content") == [path]


def test_a_different_report_with_the_same_name_gets_its_own_slug(in_tmp: Path) -> None:
    first = store("lost-bracket-own.txt", in_tmp / "raw")
    second = in_tmp / "raw" / "another.txt"
    second.write_text(first.read_text(encoding="utf-8").replace("3120条", "3121条"), encoding="utf-8")
    assert run(first, second) == 0
    paths = written(in_tmp / "content")
    assert len(paths) == 2
    slugs = {front_matter(path)[0]["import"]["source"]: front_matter(path)[0].get("slug") for path in paths}
    assert slugs == {
        "raw/lost-bracket-own.txt": None,
        "raw/another.txt": "zhaotongshirenminzhengfubangongshi-zhaozhengban-2018-12-hao-2",
    }


def test_the_same_file_twice_is_imported_once(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = store("cited-only.txt", in_tmp / "raw")
    shutil.copy(source, in_tmp / "raw" / "copy.txt")
    assert run(in_tmp / "raw") == 0
    assert len(written(in_tmp / "content")) == 1
    assert "1 duplicate" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x80\x80 \xff\xff report", "is neither UTF-8 nor GB18030 nor Big5"),
        ("中文".encode("big5"), "encoding is uncertain (both read as text)"),
        ("政府信息公开".encode("gb18030"), "encoding is uncertain (both read as text)"),
        ("标题\n正文\ufffd损坏\n".encode(), "contains U+FFFD replacement characters"),
    ],
)
def test_undecidable_files_are_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    (in_tmp / "raw").mkdir()
    (in_tmp / "raw" / "bad.txt").write_bytes(data)
    good = store("cited-only.txt", in_tmp / "raw")
    assert run(in_tmp / "raw", "--report", "look.csv") == 1
    err = capsys.readouterr().err
    assert "error: 1 file refused" in err and "raw/bad.txt" in err and message in err
    assert "\ufffd" not in written(in_tmp / "content")[0].read_text(encoding="utf-8")
    assert [front_matter(path)[0]["import"]["source"] for path in written(in_tmp / "content")] == [f"raw/{good.name}"]
    refused = [
        row
        for row in csv.DictReader((in_tmp / "look.csv").open(encoding="utf-8-sig"))
        if row["confidence"] == "refused"
    ]
    assert [row["source"] for row in refused] == ["raw/bad.txt"]


def test_an_uncertain_file_imports_with_its_encoding_given(in_tmp: Path) -> None:
    (in_tmp / "short.txt").write_bytes("中文\n".encode("big5"))
    assert run("short.txt") == 1
    assert run("short.txt", "--encoding", "big5") == 0
    assert "中文" in written(in_tmp / "content")[0].read_text(encoding="utf-8")


def test_a_wrong_encoding_given_is_an_error_with_its_place(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = store("gb18030-annual.txt", in_tmp / "raw")
    assert run(source, "--encoding", "big5") == 1
    out = capsys.readouterr().err
    assert re.search(r"raw/gb18030-annual.txt:\d+: is not valid big5 \(byte 0x[0-9a-f]{2} at offset \d+\)", out)
    assert written(in_tmp / "content") == []


def test_a_missing_path_is_reported(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("nowhere") == 1
    assert "nowhere: no such file or folder" in capsys.readouterr().err


def test_an_oversized_file_is_refused_unread(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (in_tmp / "huge.txt").open("wb") as out:
        out.truncate(21 * 1024 * 1024)
    assert run("huge.txt") == 1
    assert "huge.txt: is larger than 20 MB" in capsys.readouterr().err


def test_a_deeply_nested_page_imports_without_crashing(in_tmp: Path) -> None:
    depth = 20_000
    page = "<title>某县人民政府办公室2016年政府信息公开工作年度报告</title>" + "<div><p>" * depth + "正文一句。"
    (in_tmp / "deep.html").write_text(page + "</p></div>" * depth, encoding="utf-8")
    assert run("deep.html") == 0
    fields, body = front_matter(written(in_tmp / "content")[0])
    assert fields["title"] == "某县人民政府办公室2016年政府信息公开工作年度报告"
    assert body.strip() == "正文一句。"


def test_reports_already_in_the_archive_under_other_names_are_recognised(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "content", in_tmp / "content")
    before = written(in_tmp / "content")
    assert run(SEEDS) == 0
    assert "5 unchanged" in capsys.readouterr().out
    assert written(in_tmp / "content") == before


def test_a_different_report_with_an_archived_page_name_gets_a_slug(in_tmp: Path) -> None:
    shutil.copytree(REPO / "content", in_tmp / "content")
    shutil.copy(REPO / "config.yaml", in_tmp)
    edited = in_tmp / "raw" / "edited.txt"
    edited.parent.mkdir()
    edited.write_text(
        (SEEDS / "002_5bed1a42feb09476.txt").read_text(encoding="utf-8") + "补充说明。\n", encoding="utf-8"
    )
    assert run(edited) == 0
    [new] = [path for path in written(in_tmp / "content") if path.parent != in_tmp / "content"]
    assert (
        front_matter(new)[0]["slug"] == "kunmingshiwuhuaqurenminzhengfubangongshi-"
        "zhengfuxinxigongkaigongzuoniandubaogao-2"
    )
    assert build_site(in_tmp, None).reports == 6  # both reports, each on its own page
