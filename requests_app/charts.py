"""A server-rendered SVG bar chart: no JavaScript, works offline, testable as text."""

from __future__ import annotations

import math

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import MonthBar

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 34, 40
RECEIVED_COLOUR, ANSWERED_COLOUR = "#417690", "#5b9e4d"


def _nice_max(value: int) -> int:
    """A round top for the y axis (1, 2, 5, 10, 20, 50, ...) at or above `value`."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def requests_per_month_svg(months: list[MonthBar]) -> SafeString:
    """Grouped bars of requests received and answered per month, with a legend and gridlines."""
    top = _nice_max(max([m.received for m in months] + [m.answered for m in months] + [0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(months), 1)
    bar_w = group_w * 0.35

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    parts: list[str] = []
    for tick in sorted({0, top // 2, top} if top > 1 else {0, 1}):
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#666">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y(tick):.1f}",
                f"{y(tick):.1f}",
                LEFT - 6,
                f"{y(tick) + 4:.1f}",
                tick,
            )
        )
    for index, month in enumerate(months):
        x0 = LEFT + index * group_w + group_w * 0.15
        label = date_format(month.month, "M Y")
        for offset, value, colour, what in (
            (0, month.received, RECEIVED_COLOUR, _("received")),
            (bar_w, month.answered, ANSWERED_COLOUR, _("answered")),
        ):
            height = plot_h * value / top
            parts.append(
                format_html(
                    '<rect class="bar bar-{}" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    "received" if offset == 0 else "answered",
                    f"{x0 + offset:.1f}",
                    f"{y(value):.1f}",
                    f"{bar_w:.1f}",
                    f"{height:.1f}",
                    colour,
                    label,
                    value,
                    what,
                )
            )
            if value:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#333">{}</text>',
                        f"{x0 + offset + bar_w / 2:.1f}",
                        f"{y(value) - 3:.1f}",
                        value,
                    )
                )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>',
                f"{LEFT + index * group_w + group_w / 2:.1f}",
                HEIGHT - BOTTOM + 16,
                date_format(month.month, "M"),
            )
        )
        if index == 0 or month.month.month == 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#666">{}</text>',
                    f"{LEFT + index * group_w + group_w / 2:.1f}",
                    HEIGHT - BOTTOM + 30,
                    month.month.year,
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="8" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="18" font-size="12" fill="#333">{}</text>',
        (
            (LEFT, RECEIVED_COLOUR, LEFT + 16, _("received")),
            (LEFT + 110, ANSWERED_COLOUR, LEFT + 126, _("answered")),
        ),
    )
    title = _("Data-subject requests received and answered per month, last %(n)d months") % {"n": len(months)}
    description = "; ".join(
        f"{date_format(m.month, 'M Y')}: {m.received} {_('received')}, {m.answered} {_('answered')}"
        for m in months
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="requests-chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" style="max-width:{}px" '
        'aria-labelledby="rq-chart-title rq-chart-desc">'
        '<title id="rq-chart-title">{}</title><desc id="rq-chart-desc">{}</desc>{}{}'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#999"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        title,
        description,
        legend,
        mark_safe("".join(parts)),  # noqa: S308 - every part was built with format_html
        LEFT,
        WIDTH - RIGHT,
        TOP + plot_h,
        TOP + plot_h,
    )
