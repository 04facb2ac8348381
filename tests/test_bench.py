"""The build benchmark runs end to end on a small archive and reports every figure it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench/run.py"


def test_the_runner_times_cold_unchanged_and_edited_builds(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    shown = subprocess.run(
        [sys.executable, str(BENCH), "--reports", "200", "--runs", "1", "--no-hugo", "--json", str(figures)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = json.loads(figures.read_text())
    ours = results["gongkai"]
    for case in ("cold", "unchanged", "first edit", "edit"):
        (run,) = ours[case]
        assert run["seconds"] > 0 and run["rss"] > 10_000_000, case
    assert {"load", "catalogue", "plan", "render+write", "index"} <= ours["cold"][0]["stages"].keys()
    # The benchmark's edit adds a line at the end of a report's text: made from the last build's sketch,
    # without cataloguing the archive again.
    for case in ("first edit", "edit"):
        stages = ours[case][0]["stages"].keys()
        assert {"load", "plan", "render+write", "index"} <= stages and "catalogue" not in stages, case
    # A build that finds every input as the last one left them does nothing; an edit takes over the index
    # and the pages, which a cold build makes.
    assert ours["unchanged"][0]["stages"].keys() == {"unchanged"}
    assert ours["edit"][0]["stages"]["render+write"] < ours["cold"][0]["stages"]["render+write"]
    assert ours["sizes"]["bundle_files"] > 10 and ours["sizes"]["site_files"] > 400
    assert results["hugo"] is None
    for label in ("cold build", "no-change rebuild", "first edit", "one-report edit", "peak RSS", "search bundle"):
        assert label in shown, label
