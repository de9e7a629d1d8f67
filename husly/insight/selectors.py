"""Figures for leaders, read from the records set-based: a fixed number of queries whatever
the number of rows, then one vectorised pass (``husly.insight.kostra``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from husly.insight import kostra
from husly.organisation.models import Municipality, Role
from husly.people.models import HouseholdMember
from husly.rules.deadlines import add_years
from husly.temporary.models import NOT_KOSTRA, Provider, Segment

INSIGHT_READ = frozenset({Role.LEADER, Role.APPROVER, Role.CASEWORKER})
"""Aggregates without names: the leader, and NAV's caseworkers and approvers."""

INDICATORS = {
    "households": "Husstander i midlertidige botilbud, i alt",
    "households_with_children": "Husstander med barn i midlertidige botilbud",
    "share_with_children_over_3_months": (
        "Andel husstander med barn i midlertidige botilbud i mer enn 3 mnd"
    ),
    "share_14_days_or_less": "Husstander i midlertidige botilbud i 14 eller færre dager (andel)",
    "households_night_shelter": "Husstander i natthjem",
}
"""SSB's names of the indicators (spec/law-and-parameters.md § 8.1)."""


def _arrays(municipality: Municipality, year: int) -> tuple[kostra.Segments, kostra.Children]:
    y0, y1 = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    overlapping = Segment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=y0),
        stay__municipality=municipality,
        starts_on__lt=y1,
    )
    rows = list(
        overlapping.values_list(
            "stay_id",
            "stay__household_id",
            "place__provider_id",
            "place__provider__kind",
            "starts_on",
            "ends_on",
            "price_per_night",
        )
    )
    cols = list(zip(*rows, strict=True)) if rows else [()] * 7
    segments = kostra.Segments(
        stay=np.array(cols[0], dtype=np.int64),
        household=np.array(cols[1], dtype=np.int64),
        provider=np.array(cols[2], dtype=np.int64),
        night_shelter=np.isin(np.array(cols[3], dtype=object), list(NOT_KOSTRA)).astype(bool),
        starts=np.array(cols[4], dtype="datetime64[D]"),
        ends=np.array(
            [d if d is not None else np.datetime64("NaT") for d in cols[5]], dtype="datetime64[D]"
        ),
        price_per_night=np.array(cols[6], dtype=np.int64),
    )
    members = list(
        HouseholdMember.objects.filter(
            household_id__in=overlapping.values("stay__household_id"),
            person__date_of_birth__gt=add_years(y0, -19),
            person__date_of_birth__lt=y1,
        ).values_list("household_id", "person__date_of_birth")
    )
    children = kostra.Children(
        household=np.array([m[0] for m in members], dtype=np.int64),
        born=np.array([m[1] for m in members], dtype="datetime64[D]"),
    )
    return segments, children


def kostra_temporary(
    municipality: Municipality, year: int, today: dt.date | None = None
) -> dict[str, Any]:
    """The KOSTRA indicators on temporary accommodation for one municipality and year, with
    cost per night and per stay by provider. Three queries, whatever the number of stays."""
    segments, children = _arrays(municipality, year)
    figures = kostra.temporary_accommodation(
        year, segments, children, today or timezone.localdate()
    )
    names = dict(Provider.objects.filter(municipality=municipality).values_list("pk", "name"))
    kinds = dict(Provider.objects.filter(municipality=municipality).values_list("pk", "kind"))
    for row in figures["providers"]:
        row["name"] = names.get(row["provider"], "")
        row["kind"] = kinds.get(row["provider"], "")
    figures["providers"].sort(key=lambda r: r["name"])
    return {
        "municipality": municipality.number,
        "municipality_name": municipality.name,
        **figures,
        "indicators": INDICATORS,
    }
