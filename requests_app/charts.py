"""Requests received and answered per month as a server-rendered SVG bar chart: no JavaScript, works
offline, testable as text.

The project draws its charts one way (retention/charts.py too): the geometry is computed here, in
plain numbers a test can check, and a template draws it
(requests_app/templates/requests_app/requests_chart.html), so the markup reads as markup and every
label is escaped by the template engine, not by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .selectors import MonthBar

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 34, 40
RECEIVED_COLOUR, ANSWERED_COLOUR = "#417690", "#5b9e4d"


@dataclass(frozen=True)
class Tick:
    y: str
    text_y: str
    value: int


@dataclass(frozen=True)
class Bar:
    kind: str  # "received" or "answered"
    x: str
    y: str
    width: str
    height: str
    colour: str
    title: str
    value: int
    value_x: str
    value_y: str


@dataclass(frozen=True)
class MonthLabel:
    x: str
    month: str
    year: int | None  # under the first month and every January


@dataclass(frozen=True)
class LegendItem:
    x: int
    text_x: int
    colour: str
    text: str


@dataclass(frozen=True)
class MonthChart:
    title: str
    description: str
    ticks: list[Tick]
    bars: list[Bar]
    labels: list[MonthLabel]
    legend: list[LegendItem]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    month_y: int = HEIGHT - BOTTOM + 16
    year_y: int = HEIGHT - BOTTOM + 30
    tick_x: int = LEFT - 6


def _nice_max(value: int) -> int:
    """A round top for the y axis (1, 2, 5, 10, 20, 50, ...) at or above `value`."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _f(value: float) -> str:
    return f"{value:.1f}"


def requests_per_month_chart(months: list[MonthBar]) -> MonthChart:
    """Grouped bars of requests received and answered per month, with a legend and gridlines."""
    top = _nice_max(max([m.received for m in months] + [m.answered for m in months] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(months), 1)
    bar_w = group_w * 0.35

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    ticks = [
        Tick(y=_f(y(tick)), text_y=_f(y(tick) + 4), value=tick)
        for tick in sorted({0, top // 2, top} if top > 1 else {0, 1})
    ]
    bars, labels = [], []
    for index, month in enumerate(months):
        x0 = LEFT + index * group_w + group_w * 0.15
        label = date_format(month.month, "M Y")
        for offset, value, colour, kind, what in (
            (0, month.received, RECEIVED_COLOUR, "received", _("received")),
            (bar_w, month.answered, ANSWERED_COLOUR, "answered", _("answered")),
        ):
            bars.append(
                Bar(
                    kind=kind,
                    x=_f(x0 + offset),
                    y=_f(y(value)),
                    width=_f(bar_w),
                    height=_f(plot_h * value / top),
                    colour=colour,
                    title=f"{label}: {value} {what}",
                    value=value,
                    value_x=_f(x0 + offset + bar_w / 2),
                    value_y=_f(y(value) - 3),
                )
            )
        labels.append(
            MonthLabel(
                x=_f(LEFT + index * group_w + group_w / 2),
                month=date_format(month.month, "M"),
                year=month.month.year if index == 0 or month.month.month == 1 else None,
            )
        )
    return MonthChart(
        title=_("Data-subject requests received and answered per month, last %(n)d months")
        % {"n": len(months)},
        description="; ".join(
            f"{date_format(m.month, 'M Y')}: {m.received} {_('received')}, {m.answered} {_('answered')}"
            for m in months
        ),
        ticks=ticks,
        bars=bars,
        labels=labels,
        legend=[
            LegendItem(LEFT, LEFT + 16, RECEIVED_COLOUR, _("received")),
            LegendItem(LEFT + 110, LEFT + 126, ANSWERED_COLOUR, _("answered")),
        ],
    )


def requests_per_month_svg(months: list[MonthBar]) -> SafeString:
    """The chart drawn (requests_app/requests_chart.html)."""
    return render_to_string("requests_app/requests_chart.html", {"chart": requests_per_month_chart(months)})
