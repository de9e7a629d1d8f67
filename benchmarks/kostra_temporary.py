"""Benchmark: the KOSTRA indicators on temporary accommodation over ten years of stays at Oslo
scale (about 1,500 stays a year).

Run:  ./dev bench kostra_temporary

Builds a throwaway SQLite database (migrated like the real one) with ten years of stays
(2016–2025), a fifth of them moved once between providers, some at a natthjem, households with
and without children, then computes one year's figures with
``husly.insight.selectors.kostra_temporary``: one set-based read and one vectorised pass. The
baseline, measured in the same run, is the same computation on a database holding one year of
stays only (a tenth). Prints ONE JSON line with the time and the number of queries of each;
the query count must not depend on the number of stays.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from typing import Any

STAYS_PER_YEAR = 1_500
YEARS = 10
FIRST_YEAR = 2016
MOVE_AFTER = 10
MOVED_SHARE = 0.2


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "husly.settings")
    os.environ["HUSLY_ENV"] = "development"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def _build(years: int, seed: int = 1) -> Any:
    """Ten years of stays (or fewer), written in bulk; returns the municipality."""
    from husly.cases.models import Case, Decision
    from husly.organisation.models import Municipality, Unit, User
    from husly.people.models import Household, HouseholdMember, Person
    from husly.temporary.models import Place, Provider, Segment, Stay

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    municipality, _ = Municipality.objects.get_or_create(number="0301", name="Oslo")
    for model in (Segment, Stay, Decision, Case, HouseholdMember, Person, Household):
        model.objects.all().delete()
    unit, _ = Unit.objects.get_or_create(municipality=municipality, name="NAV", kind="nav")
    user, _ = User.objects.get_or_create(username="bench")
    kinds = ["hostel"] * 6 + ["hotel"] * 3 + ["campsite", "municipal", "night_shelter"] * 1
    places = []
    for i, kind in enumerate(kinds):
        provider, _ = Provider.objects.get_or_create(
            municipality=municipality, name=f"Tilbyder {i}", defaults={"kind": kind}
        )
        place, _ = Place.objects.get_or_create(
            provider=provider,
            name="Rom",
            defaults={
                "capacity": 50,
                "price": rng.choice([350, 450, 600, 900]),
                "price_per": "household",
                "children_allowed": True,
            },
        )
        places.append(place)
    n_stays = STAYS_PER_YEAR * years
    n_households = n_stays * 3 // 5  # repeated stays
    households = Household.objects.bulk_create(
        Household(municipality=municipality, name=f"H{i}") for i in range(n_households)
    )
    persons = Person.objects.bulk_create(
        Person(
            municipality=municipality,
            given_name="Kari",
            family_name=f"H{i}",
            national_id="",
            date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=i % 15000),
        )
        for i in range(n_households)
    )
    children = Person.objects.bulk_create(
        Person(
            municipality=municipality,
            given_name="Barn",
            family_name=f"H{i}",
            national_id="",
            date_of_birth=dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000)),
        )
        for i in range(0, n_households, 3)
    )
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(household=h, person=p, relation="applicant")
            for h, p in zip(households, persons, strict=True)
        ]
        + [
            HouseholdMember(household=households[i * 3], person=c, relation="child")
            for i, c in enumerate(children)
        ]
    )
    cases = Case.objects.bulk_create(
        Case(
            municipality=municipality,
            household=h,
            number=f"B-{i}",
            channel="meeting",
            status="submitted",
            created_by=user,
        )
        for i, h in enumerate(households)
    )
    decision = Decision.objects.create(
        case=cases[0],
        help_kind="temporary_accommodation",
        kind="approval",
        status="issued",
        facts="F.",
        reasoning="G.",
        drafted_by=user,
    )
    first_year = FIRST_YEAR + YEARS - years
    stays = []
    for _ in range(n_stays):
        h = rng.randrange(n_households)
        start = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(365 * years))
        nights = int(rng.choice([1, 3, 7, 14, 30, 60, 92, 120, 200]))
        stays.append(
            Stay(
                municipality=municipality,
                household=households[h],
                case=cases[h],
                decision=decision,
                lasting_path="municipal_dwelling",
                responsible_unit=unit,
                persons=1,
                starts_on=start,
                planned_end=start + dt.timedelta(days=nights),
                ended_on=start + dt.timedelta(days=nights),
                end_reason="lease_signed",
                created_by=user,
            )
        )
    stays = Stay.objects.bulk_create(stays)
    segments = []
    for stay in stays:
        first, second = rng.sample(places, 2)
        nights = (stay.ended_on - stay.starts_on).days
        if nights > MOVE_AFTER and rng.random() < MOVED_SHARE:
            middle = stay.starts_on + dt.timedelta(days=nights // 2)
            segments += [
                Segment(
                    stay=stay,
                    place=first,
                    starts_on=stay.starts_on,
                    ends_on=middle,
                    price_per_night=first.price,
                ),
                Segment(
                    stay=stay,
                    place=second,
                    starts_on=middle,
                    ends_on=stay.ended_on,
                    price_per_night=second.price,
                ),
            ]
        else:
            segments.append(
                Segment(
                    stay=stay,
                    place=first,
                    starts_on=stay.starts_on,
                    ends_on=stay.ended_on,
                    price_per_night=first.price,
                )
            )
    Segment.objects.bulk_create(segments, batch_size=5000)
    return municipality, len(stays), len(segments)


def _measure(municipality: Any, year: int, repeat: int = 5) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from husly.insight.selectors import kostra_temporary

    today = dt.date(2026, 12, 2)
    with CaptureQueriesContext(connection) as captured:
        figures = kostra_temporary(municipality, year, today)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        kostra_temporary(municipality, year, today)
        times.append(time.perf_counter() - started)
    return {
        "median_s": round(statistics.median(times), 4),
        "queries": len(captured),
        "households": figures["households"],
    }


def main() -> None:
    _setup()
    municipality, stays, segments = _build(YEARS)
    full = _measure(municipality, 2025)
    started = time.perf_counter()
    from husly.insight.selectors import kostra_temporary

    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        kostra_temporary(municipality, year, dt.date(2026, 12, 2))
    all_years = time.perf_counter() - started
    municipality, base_stays, _ = _build(1)
    base = _measure(municipality, 2025)
    print(
        json.dumps(
            {
                "benchmark": "kostra_temporary",
                "stays": stays,
                "segments": segments,
                "one_year_of_ten": full,
                "all_ten_years_s": round(all_years, 3),
                "baseline_one_year_only": {**base, "stays": base_stays},
                "time_vs_baseline": round(full["median_s"] / base["median_s"], 2),
                "queries_equal": full["queries"] == base["queries"],
                "python": sys.version.split()[0],
                "machine": platform.machine(),
            }
        )
    )


if __name__ == "__main__":
    main()
