"""Reports per year as a stacked bar chart: the geometry, worked out at build time, for a template to
draw as inline SVG (no script, no library). Plain numbers in, plain numbers out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

WIDTH, HEIGHT = 720, 260
# Room for the count labels on the left and the year labels below.
LEFT, BOTTOM, TOP, RIGHT = 48, 30, 12, 8


def year_chart(years: Sequence[int], series: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Bars of ``series`` (each {"name", "counts"} with one count per year) stacked per year."""
    totals = [sum(column) for column in zip(*(s["counts"] for s in series), strict=True)] if series else []
    if not totals or not any(totals):
        return None
    top = _nice_ceiling(max(totals))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / len(years)
    bars = []
    for column, year in enumerate(years):
        base = 0
        for index, one in enumerate(series):
            count = one["counts"][column]
            if count:
                bars.append(
                    {
                        "x": round(LEFT + column * step + step * 0.15, 1),
                        "width": round(step * 0.7, 1),
                        "y": round(TOP + plot_height * (1 - (base + count) / top), 1),
                        "height": round(plot_height * count / top, 1),
                        "series": index,
                        "name": one["name"],
                        "own": one["own"],
                        "year": year,
                        "count": count,
                    }
                )
            base += count
    ticks = [{"value": value, "y": round(TOP + plot_height * (1 - value / top), 1)} for value in _ticks(top)]
    labels = [
        {"year": year, "x": round(LEFT + (column + 0.5) * step, 1)}
        for column, year in enumerate(years)
        if len(years) <= 16 or column % math.ceil(len(years) / 16) == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM,
        "right": WIDTH - RIGHT,
        "bars": bars,
        "ticks": ticks,
        "labels": labels,
        "years": list(years),
        "series": list(series),
        "totals": totals,
    }


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ that is at least ``value``: a scale with round numbers."""
    power = 10 ** max(0, len(str(value)) - 1)
    return next(n * power for n in (1, 2, 5, 10) if n * power >= value)


def _ticks(top: int) -> list[int]:
    step = top // 5 if top >= 5 else 1
    return list(range(0, top + 1, step))
