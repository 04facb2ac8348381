"""Import benchmark: time to turn N raw portal reports into content files, and how many fields come out right.

    python bench/importing.py --reports 1000 --runs 3

Writes N raw text files (breadcrumbs, bylines, NBSP indentation, signatures, footers; UTF-8, GB18030 and
Big5) from the same generator as the build benchmarks, then runs the real `gongkai import` command on
them, with a fresh output folder per run. Times are medians with the min–max of the runs; accuracy
compares every imported field with the generator's truth.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "tests")]
from corpus import write_raw_corpus  # noqa: E402

from generator.build.content import load_content  # noqa: E402
from generator.core.chinese import fold  # noqa: E402
from generator.core.config import load_config  # noqa: E402

FIELDS = ("title", "agency", "region", "year", "doc_number", "date", "kind", "language")


def _run(raw: Path, project: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "import", str(raw), "--to", str(project / "content")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _accuracy(project: Path, truth: list[dict[str, object]]) -> Counter[str]:
    """How many reports have each field equal to the generator's value."""
    (project / "config.yaml").write_text("title: bench\n", encoding="utf-8")
    expected = {fold(str(fields["doc_number"])): fields for fields in truth}
    right: Counter[str] = Counter()
    for report in load_content(load_config(project)).reports:
        fields = expected[fold(str(report.doc_number))]
        found = {
            "title": report.title,
            "agency": report.agency,
            "region": list(report.region),
            "year": report.year,
            "doc_number": report.doc_number,
            "date": report.date,
            "kind": report.kind,
            "language": report.language,
        }
        wanted = {**fields, "language": fields.get("language", "zh-Hans")}
        right.update(name for name in FIELDS if _same(name, found[name], wanted.get(name)))
    return right


def _same(name: str, found: object, wanted: object) -> bool:
    """Equal, across scripts: the generator keeps agencies and kinds in Simplified."""
    if name == "region":
        return found == wanted
    found, wanted = fold(str(found)), fold(str(wanted))
    return wanted.endswith(found) if name == "kind" else found == wanted  # 政府信息公开自查报告 is a 自查报告


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        truth = write_raw_corpus(raw, args.reports)
        size = sum(p.stat().st_size for p in raw.iterdir())
        times = []
        for run in range(args.runs):
            project = Path(tmp) / f"run{run}"
            times.append(_run(raw, project))
        right = _accuracy(project, truth)
    median = statistics.median(times)
    print(f"{args.reports:,} raw reports, {size / 1e6:.1f} MB; {args.runs} runs of `gongkai import`")
    print(
        f"  import: {median:.2f} s median ({min(times):.2f}–{max(times):.2f}), "
        f"{median / args.reports * 1000:.1f} ms per report"
    )
    print(
        "  fields equal to the generator's: " + ", ".join(f"{name} {right[name] / args.reports:.1%}" for name in FIELDS)
    )


if __name__ == "__main__":
    main()
