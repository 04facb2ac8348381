"""Live-preview benchmark: time from saving a report to the open tab showing it, and to the built site.

    python bench/serve.py --reports 1000 --edits 5 [--json results.json]

Writes a generated archive, starts a real `gongkai serve`, opens pages in headless Chromium (Debian's
/usr/bin/chromium) and edits one report K times for each kind of edit, each time writing the whole file
as an editor saves it:

- body: a paragraph added; the tab open on the report's page must reload by itself and show it;
- title: the title changed; the report's open page must show the new one;
- agency: the report moved to another agency of the archive and back, in turn; a tab open on the new
  agency's listing page must show the report.

For each edit it times, from the file write: the tab showing the edit; the pages shown first made
(the report's page, and for an agency edit the listings it left and joined), as serve's "Showed … in
x s" line tells it, and when that line came; and the build of the whole site landing, by the arrival of its
"Built the site" line, with the stages that line lists. The next edit waits for that build. Also the
first build until serving, and the peak RSS of serve's process tree over the whole session, sampled
every 50 ms. Medians with min–max are printed next to the budgets.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import Page, sync_playwright

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "tests")]
from browsing import CHROMIUM_ARGS  # noqa: E402
from corpus import write_corpus  # noqa: E402
from run import _STAGE, _PeakMemory, _rss, _tree  # noqa: E402

KINDS = ("body", "title", "agency")
BUDGETS = {"body": 0.5, "title": 1.0, "agency": 1.0}
RSS_BUDGET, RSS_BUDGET_REPORTS = 2e9, 10_000
# A bound for a stuck server or page, not a speed goal: the first build of 10,000 reports takes minutes.
TIMEOUT_S = 900
# Lets the tab finish the reload the landed build asks for before it is sent elsewhere.
SETTLE_S = 0.3
# Of a column of figures: wide enough for a median and min–max of a build at 10,000 reports.
WIDTH = 24
_BUILT = re.compile(r"Built the site .* in (\d+\.\d+) s: (.*)")
_SHOWED = re.compile(r"Showed .* in (\d+\.\d+) s")


class _Memory(_PeakMemory):
    """_PeakMemory sampling every 50 ms: each sample scans /proc, and serve shares the two cores with it."""

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))


class _Output(threading.Thread):
    """serve's output lines, each with the moment it arrived, so that a line can be waited for."""

    def __init__(self, server: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.lines: list[tuple[float, str]] = []
        self._condition = threading.Condition()

    def run(self) -> None:
        for line in self.server.stdout or ():
            with self._condition:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self._condition.notify_all()
        with self._condition:
            self.lines.append((time.perf_counter(), ""))  # the end, so that no wait outlasts serve
            self._condition.notify_all()

    def wait_for(self, pattern: re.Pattern[str], after: float) -> tuple[float, re.Match[str]]:
        """The first line matching ``pattern`` that arrived after ``after``, and when it did."""
        seen = 0
        with self._condition:
            while True:
                for arrived, line in self.lines[seen:]:
                    if line.startswith("error:"):
                        raise SystemExit(f"serve: {line}")
                    if arrived > after and (found := pattern.search(line)):
                        return arrived, found
                seen = len(self.lines)
                if self.server.poll() is not None and self.lines[-1][1] == "":
                    raise SystemExit("serve stopped:\n" + "\n".join(line for _, line in self.lines))
                if not self._condition.wait(timeout=TIMEOUT_S):
                    raise SystemExit(f"serve printed nothing matching {pattern.pattern} in {TIMEOUT_S} s")

    def between(self, pattern: re.Pattern[str], start: float, end: float) -> tuple[float, re.Match[str]] | None:
        """The first line matching ``pattern`` that arrived after ``start`` and by ``end``, and when it did."""
        with self._condition:
            lines = list(self.lines)
        for arrived, line in lines:
            if start < arrived <= end and (found := pattern.search(line)):
                return arrived, found
        return None


def _start(root: Path) -> tuple[subprocess.Popen[str], _Output, _Memory, str, float]:
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    memory = _Memory(server.pid)
    memory.start()
    output = _Output(server)
    output.start()
    arrived, found = output.wait_for(re.compile(r"Serving (http://\S+)"), started)
    return server, output, memory, found[1], arrived - started


def _stages(listed: str) -> dict[str, float]:
    return {name: float(value) for name, value in _STAGE.findall(listed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-serve-bench-") as folder:
        root = Path(folder)
        (root / "config.yaml").write_text("title: 基准档案\n", encoding="utf-8")
        write_corpus(root / "content", args.reports)
        server, output, memory, url, first = _start(root)
        try:
            edits = _session(root, url, output, args.edits)
        finally:
            server.terminate()
            server.wait()
            memory.done.set()
            memory.join()
    _, first_built = output.wait_for(_BUILT, 0.0)
    figures = {
        "reports": args.reports,
        "first_build_and_serve": first,
        "first_build_stages": _stages(first_built[2]),
        "peak_rss": memory.peak,
        "edits": edits,
    }
    print("\n".join(_table(figures)))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


def _session(root: Path, url: str, output: _Output, edits: int) -> dict[str, list[dict]]:
    report = sorted((root / "content").rglob("*.md"))[0]
    # Generated reports carry their file name as slug, under a folder named after the year.
    page = f"reports/{report.parent.name}/{report.stem}.html"
    assert (root / "site" / page).is_file(), page
    agencies = _agencies(root, _field(report, "agency"))
    results: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page()
        for n in range(edits):
            results["body"].append(_timed(tab, url + page, output, partial(_edit_body, report, n)))
            results["title"].append(_timed(tab, url + page, output, partial(_edit_title, report, n)))
            # Away to the other agency, then back, in turn.
            agency, listing = agencies[(n + 1) % 2]
            results["agency"].append(_timed(tab, url + listing, output, partial(_edit_agency, report, agency, page)))
        browser.close()
    return results


def _field(report: Path, name: str) -> str:
    found = re.search(rf"^{name}: (.*)$", report.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{report} has no {name}"
    return found[1]


def _agencies(root: Path, own: str) -> list[tuple[str, str]]:
    """The report's agency and another of the same region, each with its listing page's path."""
    catalogue = json.loads((root / "site/catalogue.json").read_text(encoding="utf-8"))["reports"]
    region = next(entry["region"] for entry in catalogue if entry["agency"] == own)
    # One of the same region, so that the moved report is still consistent with where it is from.
    neighbours = sorted({entry["agency"] for entry in catalogue if entry["region"] == region} - {own})
    other = neighbours[0] if neighbours else sorted({entry["agency"] for entry in catalogue} - {own})[0]
    listings = {}
    for listing in (root / "site/agencies").glob("*/index.html"):
        # The listing's <title> starts with its agency's name.
        if found := re.search(r"<title>([^<·]+?) ·", listing.read_text(encoding="utf-8")):
            listings[found[1]] = listing.relative_to(root / "site").as_posix()
    return [(own, listings[own]), (other, listings[other])]


def _edit_body(report: Path, n: int) -> str:
    """Adds a paragraph at the top of the body; returns the text the page must show."""
    marker = f"第{n}次修改的正文"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("\n---\n", f"\n---\n\n{marker}\n", 1), encoding="utf-8")
    return f"document.body?.innerText.includes({json.dumps(marker)})"


def _edit_title(report: Path, n: int) -> str:
    title = re.sub(r"（第\d+次改题）$", "", _field(report, "title")) + f"（第{n}次改题）"
    _replace_field(report, "title", title)
    return f"document.body?.querySelector('h1')?.innerText.includes({json.dumps(title)})"


def _edit_agency(report: Path, agency: str, page: str) -> str:
    _replace_field(report, "agency", agency)
    link, title = json.dumps("/" + page), json.dumps(_field(report, "title"))
    # Titles name an agency, so several listings may hold the same one: the report is known by its link.
    return (
        "[...(document.body?.querySelectorAll('a') ?? [])]"
        f".some(a => a.href.endsWith({link}) && a.innerText.includes({title}))"
    )


def _replace_field(report: Path, name: str, value: str) -> None:
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(rf"^{name}: .*$", f"{name}: {value}", text, count=1, flags=re.MULTILINE), "utf-8")


def _timed(tab: Page, url: str, output: _Output, edit: Callable[[], str]) -> dict:
    """Opens ``url``, makes ``edit`` (which returns what the page must then show) and times the tab
    reloading to show it and the build landing."""
    tab.goto(url)
    tab.evaluate("window.unchangedSinceOpened = true")
    started = time.perf_counter()
    shows = edit()
    tab.wait_for_function(f"() => !window.unchangedSinceOpened && ({shows})", timeout=TIMEOUT_S * 1000)
    shown = time.perf_counter() - started
    landed, built = output.wait_for(_BUILT, started)
    showed = output.between(_SHOWED, started, landed)
    _reloaded_to_latest(tab)
    time.sleep(SETTLE_S)
    return {
        "tab": shown,
        "built": landed - started,
        "build_stages": _stages(built[2]),
        "showed": float(showed[1][1]) if showed else None,
        "showed_at": showed[0] - started if showed else None,
    }


def _reloaded_to_latest(tab: Page) -> None:
    """Wait until the tab has reloaded itself to the build serve has now: opening another page while
    that reload comes would have it cut short."""
    with urllib.request.urlopen(urljoin(tab.url, "/__gongkai/state?since=-1"), timeout=TIMEOUT_S) as answer:
        latest = json.load(answer)["version"]
    tab.wait_for_function(
        "v => Number(document.querySelector('script[data-version]')?.dataset.version) >= v",
        arg=latest,
        timeout=TIMEOUT_S * 1000,
    )


def _spread(times: list[float]) -> str:
    if not times:
        return "—"
    if len(times) == 1:
        return f"{times[0]:.2f} s"
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def _verdict(value: float, budget: float) -> str:
    return "ok" if value <= budget else "OVER"


def _row(label: str, cells: list[str], first: int = 8) -> str:
    """``cells`` right-aligned in columns after ``label``; the budget, when there, in a narrower one."""
    widths = [14 if cell.startswith("≤") or cell == "budget" else WIDTH for cell in cells]
    return f"{label:<{first}}" + "".join(f"{cell:>{width}}" for cell, width in zip(cells, widths, strict=True))


def _table(figures: dict) -> list[str]:
    edits = figures["edits"]
    lines = [
        f"{figures['reports']:,} reports, {len(edits['body'])} edit(s) of each kind, "
        "times from the file write: median (min–max)",
        "",
        _row("first build, serving", [_spread([figures["first_build_and_serve"]])], 20),
        "",
        _row("edit", ["tab shows it", "budget", "build landed", "shown first, made in", "told at"]),
    ]
    for kind in KINDS:
        tab = [edit["tab"] for edit in edits[kind]]
        budget = f"≤ {BUDGETS[kind]:g} s {_verdict(statistics.median(tab), BUDGETS[kind])}"
        alone = [edit for edit in edits[kind] if edit["showed"] is not None]
        built = _spread([edit["built"] for edit in edits[kind]])
        made, told = (_spread([edit[key] for edit in alone]) for key in ("showed", "showed_at"))
        lines.append(_row(kind, [_spread(tab), budget, built, made, told]))
    lines += ["", _row("build stages", [*KINDS, "first build"], 16)]
    for stage in figures["first_build_stages"]:
        row = [_spread([edit["build_stages"].get(stage, 0.0) for edit in edits[kind]]) for kind in KINDS]
        lines.append(_row(f"  {stage}", [*row, _spread([figures["first_build_stages"][stage]])], 16))
    peak = figures["peak_rss"]
    lines += [
        "",
        f"peak RSS of serve and its children: {peak / 1e6:,.0f} MB "
        f"(budget ≤ {RSS_BUDGET / 1e9:g} GB at {RSS_BUDGET_REPORTS:,} reports: {_verdict(peak, RSS_BUDGET)})",
    ]
    return lines


if __name__ == "__main__":
    main()
