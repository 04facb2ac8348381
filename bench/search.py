"""Search benchmark: what search costs a reader and the build, at any archive size.

    python bench/search.py --reports 10000 --runs 3

Builds a generated archive of realistic reports, then opens search.html in headless Chromium (Debian's
/usr/bin/chromium) from a local web server and from file://, with a fresh browser profile per run, and
measures: the bytes fetched to open the page; per query, the time and bytes to the whole exact result
set (``gongkai.search``) and to the first results on screen (the page opened with ``?q=``). It checks
every probe query's result set against the Python reference, both ways, and reports the index's build
time and peak memory and the search files' size against the Markdown. Figures are medians with the
min–max of the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, Page, Request, sync_playwright
from playwright.sync_api import Error as PlaywrightError

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "tests")]
from browsing import CHROMIUM_ARGS, serve_under_subpath  # noqa: E402
from corpus import write_corpus  # noqa: E402
from reference import expected as reference  # noqa: E402
from reference import search_data  # noqa: E402

from generator.pipeline import build_site  # noqa: E402
from generator.search.data import SearchData  # noqa: E402
from generator.search.files import search_pages  # noqa: E402

# A place name with about a tenth of the reports as hits, and terms every report holds many times.
TIMED = ("临沧", '"政府信息公开" 低保')
PROBES = (
    *TIMED,
    "沧",
    "的",
    "臨滄",
    "凤庆县 低保",
    "国办公开办函〔2021〕30号",
    "云府办明电(2016)67号",
    "闽政办〔2020〕5号",
    "预算决算 扶贫",
    '"依申请 公开"',
    "食品药品",
    "保障性住房 沈阳",
    "2019",
    "号",
    "核电站",
    "不予公开",
)


# The page's answer, not its transfer: handing 100,000 results to Python takes longer than finding them.
_COUNTED = "(q) => gongkai.search(q, {}).then((hits) => hits.length)"


def _summary(values: list[float], unit: str, scale: float = 1.0) -> str:
    scaled = [v * scale for v in values]
    return f"{statistics.median(scaled):,.1f} {unit} ({min(scaled):,.1f}–{max(scaled):,.1f})"


def _size(path: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in path.rglob(pattern) if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


class _Tab:
    """A fresh browser profile's tab, counting the bytes it loads."""

    def __init__(self, browser: Browser) -> None:
        self.page: Page = browser.new_context().new_page()
        self.fetched: list[int] = []
        self.page.on("requestfinished", self._count)

    def _count(self, request: Request) -> None:
        with contextlib.suppress(PlaywrightError):  # the tab closed first
            self.fetched.append(request.sizes()["responseBodySize"])

    def timed(self, action: Callable[[], object]) -> tuple[float, int, object]:
        before, started = sum(self.fetched), time.perf_counter()
        value = action()
        seconds = time.perf_counter() - started
        # Load events of file:// scripts can reach Python after the page's answer: let them arrive.
        self.page.wait_for_timeout(300)
        return seconds, sum(self.fetched) - before, value

    def close(self) -> None:
        self.page.context.close()


def _session(browser: Browser, base: str) -> dict[str, float]:
    """Open the page, then run the timed queries through the API, in one tab."""
    tab = _Tab(browser)
    figures: dict[str, float] = {}

    def opened() -> None:
        tab.page.goto(base + "search.html", wait_until="load")
        tab.page.wait_for_function("document.getElementById('search-status').textContent.trim() !== ''")

    figures["open"], figures["open_bytes"], _ = tab.timed(opened)
    for number, query in enumerate(TIMED):
        seconds, fetched, _ = tab.timed(lambda q=query: tab.page.evaluate(_COUNTED, q))
        figures[f"q{number}"], figures[f"q{number}_bytes"] = seconds, fetched
    tab.close()
    for number, query in enumerate(TIMED):
        figures[f"shown{number}"], figures[f"shown{number}_bytes"] = _first_shown(browser, base, query)
    return figures


def _first_shown(browser: Browser, base: str, query: str) -> tuple[float, int]:
    """A fresh tab opened on the query's address: until the first result is on screen."""
    tab = _Tab(browser)

    def first_results() -> None:
        tab.page.goto(f"{base}search.html?q={quote(query)}", wait_until="commit")
        tab.page.locator("#search-results > li h2 a").first.wait_for()

    seconds, fetched, _ = tab.timed(first_results)
    tab.close()
    return seconds, fetched


def _mismatches(browser: Browser, base: str, expected: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
    tab = _Tab(browser)
    tab.page.goto(base + "search.html", wait_until="load")
    wrong = {}
    for query, want in expected.items():
        found = tab.page.evaluate("(q) => gongkai.search(q, {}).then((r) => r.map((h) => h.url))", query)
        if len(found) != len(set(found)) or set(found) != want:
            wrong[query] = (len(found), len(want))
    tab.close()
    return wrong


def _index_cost(search: SearchData) -> tuple[float, int]:
    """Seconds and peak traced memory (numpy's arrays included) to make every search file."""
    tracemalloc.start()
    started = time.perf_counter()
    search_pages(search)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "archive")
        (root / "content").mkdir(parents=True)
        (root / "config.yaml").write_text("title: 基准档案\n", encoding="utf-8")
        write_corpus(root / "content", args.reports)
        markdown, _ = _size(root / "content")
        builds = [build_site(root, root / "site") for _ in range(args.runs)]
        search = search_data(root)
        index_seconds, index_peak = _index_cost(search)
        expected = reference(search, PROBES)
        site = root / "site"
        data, data_files = _size(site / "search")
        # Chromium starts after the builds: a build parses in several processes only while it is the
        # one thread running.
        with sync_playwright() as playwright, serve_under_subpath(site, Path(tmp, "www")) as served:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            bases = {"served": served, "file://": site.as_uri() + "/"}
            wrong = {name: _mismatches(browser, base, expected) for name, base in bases.items()}
            runs = {name: [_session(browser, base) for _ in range(args.runs)] for name, base in bases.items()}
            browser.close()

    hits = ", ".join(f"{q!r} → {len(expected[q])}" for q in TIMED)
    print(f"{args.reports} reports, {markdown / 1e6:.1f} MB of Markdown, {args.runs} runs; {hits}")
    print(f"  full build (cold)     {_summary([b.seconds for b in builds], 's')}")
    print(f"  index, beside render  {_summary([dict(b.stages)['index'] for b in builds], 's')}")
    print(f"  index alone           {index_seconds:.1f} s, peak {index_peak / 1e6:,.0f} MB traced")
    print(f"  search files          {data / 1e6:.1f} MB in {data_files} files = {data / markdown:.2f} × the Markdown")
    for name, sessions in runs.items():
        equal = "all equal the reference" if not wrong[name] else f"DIFFER (found, expected): {wrong[name]}"
        print(f"  {name}: {len(PROBES)} probe queries {equal}")
        rows = [("open", "open search page")]
        rows += [(f"q{n}", f"{q} (whole set)") for n, q in enumerate(TIMED)]
        rows += [(f"shown{n}", f"{q} (first shown)") for n, q in enumerate(TIMED)]
        for key, label in rows:
            print(
                f"    {label:30} {_summary([s[key] for s in sessions], 'ms', 1000)}, "
                f"{_summary([s[key + '_bytes'] for s in sessions], 'KB', 1e-3)} fetched"
            )
    if any(wrong.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
