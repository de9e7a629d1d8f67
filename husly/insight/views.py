"""Leaders' figures: every KOSTRA figure Husly computes from the records, beside last year's,
with how each was counted; the households behind a figure for readers of people (an access
event for each person shown); and the cost per night by provider as a chart drawn server-side
as SVG (no script, no network; the table carries the same numbers for a screen reader)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from husly.core.pages import user_of
from husly.insight.kostra_figures import BY_KEY
from husly.insight.selectors import (
    INSIGHT_READ,
    PEOPLE_BEHIND_FIGURES,
    filed_kostra_years,
    households_behind,
    kostra_report,
)
from husly.insight.suppression import suppressed
from husly.organisation.access import first_municipality, has_role, municipality_ids
from husly.people.selectors import log_household_reads

BAR_WIDTH = 400
FIRST_YEAR = 2000


def _year(request: HttpRequest, today: dt.date) -> int:
    try:
        year = int(request.GET.get("aar", today.year))
    except ValueError:
        year = today.year
    return min(max(year, FIRST_YEAR), today.year)


def _shown(value: Any, unit: str, people: bool) -> Any:
    """A count leaves the unit suppressed ("<5") for a reader who may not see the people."""
    if value is None or people or unit != "count":
        return value
    return suppressed(int(value))


def kostra(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipality = first_municipality(municipality_ids(user, INSIGHT_READ))
    today = timezone.localdate()
    year = _year(request, today)
    report = kostra_report(municipality, year, today)
    people = has_role(user, municipality.pk, PEOPLE_BEHIND_FIGURES)
    filed_years = filed_kostra_years(municipality)
    filed = next((f for f in filed_years if f.year == year), None)
    filed_values = (
        {row["key"]: row["value"] for row in filed.report.get("figures", [])} if filed else {}
    )
    groups: dict[str, list[dict[str, Any]]] = {"skjema13": [], "indicator": [], "temporary": []}
    for row in report["figures"]:
        figure = BY_KEY[row["key"]]
        groups[row["group"]].append(
            {
                **row,
                "shown": _shown(row["value"], row["unit"], people),
                "shown_previous": _shown(row["previous"], row["unit"], people),
                "shown_filed": _shown(filed_values.get(row["key"]), row["unit"], people),
                "changed_since_filed": filed is not None
                and filed_values.get(row["key"]) != row["value"],
                "drill": people and figure.drill and bool(row["value"]),
            }
        )
    temporary = report["temporary_accommodation"]
    providers = temporary["providers"]
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
            "report": report,
            "groups": groups,
            "filed": filed,
            "filed_years": filed_years,
            "people": people,
            "figures": temporary,
            "bars": bars,
            "chart_height": 20 + 34 * len(bars),
            "label_x": BAR_WIDTH + 10,
        },
    )


def kostra_households(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """The households behind one figure; 404 for anyone who may not see people."""
    user = user_of(request)
    municipality = first_municipality(municipality_ids(user, PEOPLE_BEHIND_FIGURES))
    today = timezone.localdate()
    year = min(max(year, FIRST_YEAR), today.year)
    households = households_behind(user, municipality, year, key, today)
    figure = BY_KEY[key]
    log_household_reads(
        user=user,
        household_ids=[h.pk for h in households],
        what=f"KOSTRA {year}: {figure.name}",
        path=request.get_full_path(),
    )
    return render(
        request,
        "insight/kostra_households.html",
        {"figure": figure, "year": year, "households": households},
    )
