"""The Reports page's charts as plain geometry: the template draws each as an SVG with these numbers.

No script and no library: the server works out every rectangle, so the page prints as it shows and a
screen reader reads the table beside each chart instead (the SVG is marked as an image with a title).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from app.domain.reports.schemas import DayCount, HourCount

WIDTH = 720
HEIGHT = 180
CELL = 24
LABEL_WIDTH = 160
ROW = 22


class Bar(msgspec.Struct):
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


class Chart(msgspec.Struct):
    width: int
    height: int
    largest: int
    """The value a full bar stands for: the most, or 1 when every value is 0."""
    bars: list[Bar]

    @property
    def most(self) -> int:
        """The largest value drawn (0 for an empty period, where `largest` is only the scale's 1)."""
        return max((bar.value for bar in self.bars), default=0)


def _scale(values: Sequence[int]) -> int:
    return max(max(values, default=0), 1)


def day_columns(days: Sequence[DayCount]) -> Chart:
    """One column per day, as tall as its visits, left to right."""
    largest = _scale([day.visits for day in days])
    step = WIDTH / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        height = HEIGHT * day.visits / largest
        bars.append(Bar(index * step, HEIGHT - height, max(step - 1, 1), height, day.day.isoformat(), day.visits))
    return Chart(WIDTH, HEIGHT, largest, bars)


def heat_cells(hours: Sequence[HourCount]) -> Chart:
    """A 7 x 24 grid (weekday rows, hour columns); `height` of each bar is its shade, from 0 to 1."""
    largest = _scale([cell.arrivals for cell in hours])
    bars = [
        Bar(
            LABEL_WIDTH // 4 + cell.hour * CELL,
            (cell.weekday - 1) * CELL,
            CELL - 2,
            round(cell.arrivals / largest, 3),
            f"{cell.weekday}-{cell.hour}",
            cell.arrivals,
        )
        for cell in hours
    ]
    return Chart(LABEL_WIDTH // 4 + 24 * CELL, 7 * CELL + 16, largest, bars)


def row_bars(items: Sequence[tuple[str, int]]) -> Chart:
    """One horizontal bar per item, top to bottom, as long as its value."""
    largest = _scale([value for _label, value in items])
    room = WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(LABEL_WIDTH, index * ROW, room * value / largest, ROW - 6, label, value)
        for index, (label, value) in enumerate(items)
    ]
    return Chart(WIDTH, max(len(items), 1) * ROW, largest, bars)
