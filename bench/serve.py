"""Live-preview benchmark: time from saving a report to the open tab showing it.

    python bench/serve.py --reports 1000 --edits 5

Writes a generated archive, starts a real `gongkai serve`, opens one report in headless Chromium
(Debian's /usr/bin/chromium), then edits that report several times: the time from the file write to
the tab having reloaded by itself with the new text, the search index included, since it is made in
the same build. Medians and min–max are printed.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "tests")]
from browsing import CHROMIUM_ARGS  # noqa: E402
from corpus import write_corpus  # noqa: E402


def _start(root: Path, lines: list[str]) -> tuple[subprocess.Popen[str], str, float]:
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in server.stdout or ():
        if found := re.search(r"Serving (http://\S+)", line):
            threading.Thread(target=lambda: lines.extend(server.stdout or ()), daemon=True).start()
            return server, found[1], time.perf_counter() - started
    raise SystemExit("serve stopped before serving")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-serve-bench-") as folder:
        root = Path(folder)
        (root / "config.yaml").write_text("title: 基准档案\n", encoding="utf-8")
        write_corpus(root / "content", args.reports)
        report = sorted((root / "content").rglob("*.md"))[0]
        lines: list[str] = []
        server, url, first_build = _start(root, lines)
        try:
            # Generated reports carry their file name as slug, under a folder named after the year.
            page = root / "site/reports" / report.parent.name / f"{report.stem}.html"
            assert page.is_file(), page
            reloads = _edit_times(url + page.relative_to(root / "site").as_posix(), report, args.edits)
        finally:
            server.terminate()
            server.wait()
    print(
        f"{args.reports:,} reports: first build and serve {first_build:.1f} s; over {len(reloads)} edits, "
        f"save → reloaded tab {_spread(reloads)}"
    )


def _spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def _edit_times(url: str, report: Path, edits: int) -> list[float]:
    reloads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page()
        for n in range(edits):
            tab.goto(url)
            tab.evaluate("window.unchangedSinceOpened = true")
            text = report.read_text(encoding="utf-8")
            marker = f"第{n}次修改的正文"
            started = time.perf_counter()
            report.write_text(text.replace("\n---\n", f"\n---\n\n{marker}\n", 1), encoding="utf-8")
            tab.wait_for_function(
                "([t]) => !window.unchangedSinceOpened && document.body.innerText.includes(t)",
                arg=[marker],
                timeout=300_000,
            )
            reloads.append(time.perf_counter() - started)
        browser.close()
    return reloads


if __name__ == "__main__":
    main()
