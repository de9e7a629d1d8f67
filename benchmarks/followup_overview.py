"""Benchmark: the housing team's overview (``husly.followup.selectors.overview``) stays
set-based as the number of tenants grows.

Run:  ./dev bench followup_overview

Builds a throwaway test database (the test settings: SQLite unless ``DATABASE_URL`` says
otherwise) with ``small`` and ``large`` numbers of active leases, each with an accepted bo-plan
and two contacts (a third of them overdue), then times what the overview page asks for: the
counts, the flagged tenants' first page of 25, and the vacancy days by cause for a year. Prints
ONE JSON line with the tenants, seconds and queries for each size and the ratios large/small.
The query counts must be equal (no per-tenant queries); the time grows with the rows the
database scans, not with round trips.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def _world(tenants: int, tag: str) -> Any:
    from husly.followup.models import Contact, HousingPlan, PlanStatus
    from husly.housing.models import Building, Dwelling
    from husly.organisation.models import Membership, Municipality, Unit, User
    from husly.people.models import Household
    from husly.tenancy.models import Lease, LeaseStatus

    today = dt.date(2026, 12, 1)
    municipality = Municipality.objects.create(number=f"9{len(tag):03d}", name=f"Bench {tag}")
    unit = Unit.objects.create(municipality=municipality, name="Booppfølging", kind="follow_up")
    user = User.objects.create_user(username=f"bench-{tag}")
    Membership.objects.create(user=user, unit=unit, role="follow_up")
    building = Building.objects.create(
        municipality=municipality, name="B", address="Bvegen 1", postal_code="2008"
    )
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(building=building, number=f"H{i:05d}", rooms=2, area_m2=50, monthly_rent=9000)
        for i in range(tenants)
    )
    households = Household.objects.bulk_create(
        Household(municipality=municipality, name=f"Husstand {i}") for i in range(tenants)
    )
    start = today - dt.timedelta(days=400)
    leases = Lease.objects.bulk_create(
        Lease(
            municipality=municipality,
            dwelling=d,
            household=h,
            start_date=start,
            monthly_rent=9000,
            status=LeaseStatus.ACTIVE,
            follow_up_unit=unit if i % 10 else None,
            created_by=user,
        )
        for i, (d, h) in enumerate(zip(dwellings, households, strict=True))
    )
    plans = HousingPlan.objects.bulk_create(
        HousingPlan(
            municipality=municipality,
            lease=lease,
            household_id=lease.household_id,
            status=PlanStatus.ACCEPTED,
            offered_on=start,
            accepted_on=start,
            created_by=user,
        )
        for lease in leases
    )
    Contact.objects.bulk_create(
        Contact(
            plan=plan,
            kind="home_visit",
            contact_on=today - dt.timedelta(days=(40 if i % 3 == 0 else 5) + k),
            note="Besøk.",
            recorded_by=user,
        )
        for i, plan in enumerate(plans)
        for k in range(2)
    )
    return user, municipality, today


def _measure(user: Any, municipality: Any, today: dt.date) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from husly.followup import selectors

    user._husly_roles = None  # type: ignore[attr-defined]
    selectors.overview_counts(user, today=today)  # warm: roles read once per request
    best = float("inf")
    queries = 0
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            counts = selectors.overview_counts(user, today=today)
            page = list(selectors.overview(user, today=today, show=selectors.SHOW_FLAGGED)[:25])
            selectors.vacancy_days(municipality.pk, today - dt.timedelta(days=365), today)
        best = min(best, time.perf_counter() - started)
        queries = len(ctx)
    assert len(page) == 25 and counts.no_contact > 0  # noqa: S101, PLR2004 - the page is real
    return {"seconds": round(best, 4), "queries": queries, "flagged": counts.no_contact}


def main() -> None:
    _setup()
    small_n, large_n = 1_000, 10_000
    small = _measure(*_world(small_n, "s"))
    large = _measure(*_world(large_n, "large"))
    print(
        json.dumps(
            {
                "benchmark": "followup_overview",
                "small_tenants": small_n,
                "large_tenants": large_n,
                "small": small,
                "large": large,
                "time_ratio": round(large["seconds"] / small["seconds"], 2),
                "queries_equal": small["queries"] == large["queries"],
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
