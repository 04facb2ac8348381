"""Search benchmark: index time, bundle size, and query costs served (Pagefind) and from disk (scan).

    python bench/search.py --reports 2000 --runs 3

Builds a generated archive of realistic reports, then opens search.html in headless Chromium (Debian's
/usr/bin/chromium) from a local web server and from file://, with a fresh browser profile per run.
Figures are medians with the min–max of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent / "tests")]
from browsing import CHROMIUM_ARGS, serve_under_subpath  # noqa: E402
from corpus import write_corpus  # noqa: E402

from generator.pipeline import build_site  # noqa: E402

FIRST, SECOND = "临沧", '"政府信息公开" 低保'


def _summary(values: list[float], unit: str, scale: float = 1.0) -> str:
    scaled = [v * scale for v in values]
    return f"{statistics.median(scaled):,.1f} {unit} ({min(scaled):,.1f}–{max(scaled):,.1f})"


def _folder(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _timed_search(tab: Page, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    count = tab.evaluate("(q) => gongkai.search(q, {}).then((r) => r.length)", query)
    return time.perf_counter() - started, count


def _session(browser_factory: Callable[[], Page], url: str) -> dict[str, float]:
    tab = browser_factory()
    fetched: list[int] = []
    tab.on("requestfinished", lambda request: fetched.append(request.sizes()["responseBodySize"]))
    started = time.perf_counter()
    tab.goto(url, wait_until="load")
    tab.wait_for_function("document.getElementById('search-status').textContent.includes('份')")
    opened, opened_bytes = time.perf_counter() - started, sum(fetched)
    first, first_count = _timed_search(tab, FIRST)
    first_bytes = sum(fetched) - opened_bytes
    second, second_count = _timed_search(tab, SECOND)
    second_bytes = sum(fetched) - opened_bytes - first_bytes
    tab.context.close()
    return {
        "open": opened,
        "open_bytes": opened_bytes,
        "first": first,
        "first_bytes": first_bytes,
        "second": second,
        "second_bytes": second_bytes,
        "first_count": first_count,
        "second_count": second_count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = Path(tmp, "archive")
        (root / "content").mkdir(parents=True)
        (root / "config.yaml").write_text("title: 基准档案\n", encoding="utf-8")
        write_corpus(root / "content", args.reports)
        content_bytes, _ = _folder(root / "content")
        index_times, build_times = [], []
        for _ in range(args.runs):
            result = build_site(root, root / "site")
            index_times.append(dict(result.stages)["index"])
            build_times.append(result.seconds)
        site = root / "site"
        bundle, bundle_files = _folder(site / "pagefind")
        data, data_files = _folder(site / "search")
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def fresh() -> Page:
            return browser.new_context().new_page()

        with serve_under_subpath(site, Path(tmp, "www")) as base:
            served = [_session(fresh, base + "search.html") for _ in range(args.runs)]
        offline = [_session(fresh, site.as_uri() + "/search.html") for _ in range(args.runs)]
        browser.close()

    assert {(r["first_count"], r["second_count"]) for r in served + offline} == {
        (served[0]["first_count"], served[0]["second_count"])
    }, "engines disagree"
    print(
        f"{args.reports} reports, {content_bytes / 1e6:.1f} MB of Markdown, {args.runs} runs; "
        f"{FIRST!r} → {served[0]['first_count']} reports, {SECOND!r} → {served[0]['second_count']}"
    )
    print(f"  full build            {_summary(build_times, 's')}")
    print(f"  Pagefind index        {_summary(index_times, 's')}")
    print(f"  Pagefind bundle       {bundle / 1e6:.1f} MB in {bundle_files} files")
    print(f"  search data (scripts) {data / 1e6:.1f} MB in {data_files} files")
    for name, runs in (("served (Pagefind)", served), ("file:// (scan)", offline)):
        print(f"  {name}")
        for key, label in (("open", "open search page"), ("first", "first query"), ("second", "second query")):
            print(
                f"    {label:17} {_summary([r[key] for r in runs], 'ms', 1000)}, "
                f"{_summary([r[key + '_bytes'] for r in runs], 'KB', 1e-3)} fetched"
            )


if __name__ == "__main__":
    main()
