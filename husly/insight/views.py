"""Leaders' figures: the KOSTRA indicators on temporary accommodation, as a table and a chart
drawn server-side as SVG (no script, no network; the table behind it carries the same
numbers for a screen reader)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from husly.core.pages import user_of
from husly.insight.selectors import INDICATORS, INSIGHT_READ, kostra_temporary
from husly.organisation.access import municipalities_for_user

BAR_WIDTH = 400


def kostra(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = municipalities_for_user(user, INSIGHT_READ).first()
    if municipality is None:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("aar", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year)
    figures = kostra_temporary(municipality, year, today)
    providers = figures["providers"]
    top = max((p["cost_per_night"] or 0 for p in providers), default=0)
    bars = [
        {
            **p,
            "y": 10 + i * 34,
            "width": round(BAR_WIDTH * (p["cost_per_night"] or 0) / top) if top else 0,
        }
        for i, p in enumerate(providers)
    ]
    return render(
        request,
        "insight/kostra.html",
        {
            "municipality": municipality,
            "year": year,
            "years": list(range(today.year, today.year - 10, -1)),
            "figures": figures,
            "indicators": [(name, figures[key]) for key, name in INDICATORS.items()],
            "bars": bars,
            "chart_height": 20 + 34 * len(bars),
            "label_x": BAR_WIDTH + 10,
            "generated": dt.datetime.now(tz=dt.UTC),
        },
    )
