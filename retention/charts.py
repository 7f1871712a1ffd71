"""Deletions per night per rule as inline SVG bar charts, drawn on the server (no JavaScript).

As every chart of the project (requests_app/charts.py too): the geometry is computed here, in plain
numbers a test can check, and a template draws it (admin/retention/deletions_chart.html), so the
markup reads as markup and the template engine escapes every label.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

WIDTH = 600
HEIGHT = 90
TOP = 6
BOTTOM = 16  # room for the date labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    night: datetime.date
    count: int


@dataclass(frozen=True)
class Chart:
    code: str
    bars: list[Bar]
    total: int
    peak: int
    first: datetime.date | None
    last: datetime.date | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM

    @property
    def label_y(self) -> int:
        return self.height - 3


def night_chart(code: str, series: list[tuple[datetime.date, int]]) -> Chart:
    """One bar per night, scaled to the busiest night; an empty night is a gap."""
    peak = max((count for _, count in series), default=0)
    slot = WIDTH / max(len(series), 1)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (night, count) in enumerate(series):
        height = (count / peak) * usable if peak else 0
        if count and height < 1:
            height = 1  # a night with deletions is always visible
        bars.append(
            Bar(
                x=round(index * slot + slot * 0.1, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.8, 1),
                height=round(height, 1),
                night=night,
                count=count,
            )
        )
    return Chart(
        code=code,
        bars=bars,
        total=sum(count for _, count in series),
        peak=peak,
        first=series[0][0] if series else None,
        last=series[-1][0] if series else None,
    )


def night_charts(per_rule: dict[str, list[tuple[datetime.date, int]]]) -> list[Chart]:
    return [night_chart(code, series) for code, series in per_rule.items()]
