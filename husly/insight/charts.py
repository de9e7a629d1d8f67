"""Chart geometry for server-side SVG (docs/decisions/0018-leaders-dashboard.md).

The templates draw the rectangles and labels computed here: no script, no style attribute, no
network, so the charts work under the strict CSP and print as they look. Every chart has a
table behind it with the same figures (the chart is ``aria-hidden`` decoration for the table's
sake only where the table follows directly; the SVG itself carries a role and a name).
Colours are at least 3:1 against white (WCAG 1.4.11) and every series is named in a legend and
in the table, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PALETTE = ("#1e5fa8", "#b3401b", "#2e7d32", "#6a3d9a", "#4d4d4d")
"""Blue, rust, green, purple, grey: each at least 4.5:1 against white."""

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 230
MONTHS_NB = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # what is written beside the bar (suppressed counts as "<5")
    draw: bool = True  # a suppressed count draws no bar: its length would tell the count


def month_label(month: dt.date) -> str:
    """ "jan 26": short enough for twelve columns."""
    return f"{MONTHS_NB[month.month - 1]} {month.strftime('%y')}"


def horizontal(bars: list[Bar]) -> dict[str, Any]:
    """One bar per row, label left, value right of the bar."""
    top = max((b.value for b in bars if b.draw), default=0)
    room = WIDTH - LABEL_WIDTH - 70
    rows = []
    for index, bar in enumerate(bars):
        y = 10 + index * (BAR_HEIGHT + BAR_GAP)
        width = round(room * bar.value / top) if top and bar.draw else 0
        rows.append(
            {
                "label": bar.label,
                "text": bar.text,
                "y": y,
                "text_y": y + 16,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "rows": rows,
        "height": 20 + len(bars) * (BAR_HEIGHT + BAR_GAP),
        "bar_x": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "width": WIDTH,
        "fill": PALETTE[0],
    }


def columns(
    months: list[dt.date], series: list[tuple[str, list[int], list[bool]]]
) -> dict[str, Any]:
    """Grouped columns: one group per month, one column per series. ``series`` is
    ``(name, values, drawn)``; a value that is not drawn (suppressed) gets no column."""
    chart_height = 200
    left, bottom = 40, 30
    group = (WIDTH - left - 10) / max(len(months), 1)
    column = max((group - 6) / max(len(series), 1), 2)
    top = max(
        (v for _n, values, drawn in series for v, d in zip(values, drawn, strict=True) if d),
        default=0,
    )
    scale = chart_height / top if top else 0
    rects = []
    for s_index, (_name, values, drawn) in enumerate(series):
        for m_index, (value, draw) in enumerate(zip(values, drawn, strict=True)):
            if not draw or not value:
                continue
            height = value * scale
            rects.append(
                {
                    "x": round(left + m_index * group + 3 + s_index * column, 1),
                    "y": round(10 + chart_height - height, 1),
                    "w": round(column - 1, 1),
                    "h": round(height, 1),
                    "fill": PALETTE[s_index % len(PALETTE)],
                }
            )
    labels = [
        {
            "x": round(left + i * group + group / 2, 1),
            "text": month_label(m),
        }
        for i, m in enumerate(months)
    ]
    ticks = []
    if top:
        for fraction in (0, 0.5, 1):
            value = round(top * fraction)
            ticks.append({"y": round(10 + chart_height - value * scale, 1), "text": value})
    legend = [
        {"x": left + i * 120, "fill": PALETTE[i % len(PALETTE)], "name": name}
        for i, (name, _values, _drawn) in enumerate(series)
    ]
    return {
        "rects": rects,
        "labels": labels,
        "ticks": ticks,
        "legend": legend,
        "axis_x": left - 4,
        "baseline": 10 + chart_height,
        "label_y": 10 + chart_height + 18,
        "legend_y": 10 + chart_height + bottom + 10,
        "height": 10 + chart_height + bottom + 30,
        "width": WIDTH,
    }
