"""Chart geometry for the dashboard's inline SVG (drawn by templates/admin/_charts.html).

Server-side and dependency-free: the page needs no chart library and no script, and a chart
reads the same in a screenshot, a screen reader (each has a text title) and a printout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 640
HEIGHT = 180
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 26


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    points: str  # SVG polyline points
    total: float


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    baseline: float


def _nice_ceiling(value: float) -> float:
    """1, 2, 5, 10, 20, 50 and so on: a round top for the axis."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def line_chart(
    days: Sequence[date], series: Sequence[tuple[str, str, Sequence[float]]]
) -> LineChart:
    """Daily values as lines sharing one axis; labels on the first, middle and last day."""
    top = _nice_ceiling(max((v for _, _, values in series for v in values), default=0.0))
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(days) - 1, 1)

    def x(i: int) -> float:
        return PAD_LEFT + i * step

    def y(value: float) -> float:
        return PAD_TOP + inner_h - (value / top) * inner_h

    drawn = [
        Series(
            name,
            css,
            " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)),
            float(sum(values)),
        )
        for name, css, values in series
    ]
    marks = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        series=drawn,
        x_ticks=[Tick(x(i), f"{days[i]:%b} {days[i].day}") for i in marks],
        y_ticks=[Tick(y(top * f), _short(top * f)) for f in (0, 0.5, 1)],
        baseline=y(0),
    )


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


@dataclass(frozen=True)
class HBar:
    label: str
    value: float
    text: str
    css: str
    width: float  # share of the longest bar, 0..100 (%)


def horizontal_bars(items: Sequence[tuple[str, float, str, str]]) -> list[HBar]:
    """(label, value, value as text, css class) → bars scaled to the largest value."""
    largest = max((value for _, value, _, _ in items), default=0.0)
    return [
        HBar(label, value, text, css, 100.0 * value / largest if largest else 0.0)
        for label, value, text, css in items
    ]


@dataclass(frozen=True)
class IntervalMarks:
    """The difference and its interval on a number line that always includes zero."""

    zero: float  # positions in % of the line's width
    low: float
    high: float
    point: float


def interval_marks(low: float, high: float, point: float) -> IntervalMarks:
    left, right = min(low, 0.0), max(high, 0.0)
    span = (right - left) or 1.0
    left, right = left - 0.1 * span, right + 0.1 * span

    def at(value: float) -> float:
        return 100.0 * (value - left) / (right - left)

    return IntervalMarks(zero=at(0.0), low=at(low), high=at(high), point=at(point))
