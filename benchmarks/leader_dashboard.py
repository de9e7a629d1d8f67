"""Benchmark: the leaders' dashboard (``husly.insight.dashboard.dashboard``) stays set-based as
the history grows.

Run:  ./dev bench leader_dashboard

Builds a throwaway test database (the test settings: SQLite unless ``DATABASE_URL`` says
otherwise) with ``small`` and ``large`` histories: households approved over ten years, each on
the waiting list, most offered a dwelling (some late, some refused), a lease for those who
accepted, a tenth of the leases ended. Then computes every figure of the dashboard. Prints ONE
JSON line with the entries, seconds and queries for each size and the ratios large/small. The
query counts must be equal (no per-household queries).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import time
from typing import Any

SMALL, LARGE = 1_000, 10_000
TODAY = dt.date(2026, 12, 1)
REFUSED_SHARE = 0.2
ENDED_SHARE = 0.1


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def _world(households: int, tag: str) -> Any:
    from husly.allocation.models import Offer, WaitingListEntry
    from husly.cases.models import Application, Case, Decision
    from husly.housing.models import Building, Dwelling
    from husly.organisation.models import Municipality, User
    from husly.people.models import Household
    from husly.tenancy.models import Lease

    rng = random.Random(households)  # noqa: S311 - test data, not secrets
    municipality = Municipality.objects.create(
        number="8001" if tag == "small" else "8002", name=f"Bench {tag}"
    )
    user = User.objects.create_user(username=f"bench-{tag}")
    building = Building.objects.create(
        municipality=municipality, name="B", address="Bvegen 1", postal_code="2008"
    )
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(building=building, number=f"H{i:05d}", rooms=2, area_m2=50, monthly_rent=9000)
        for i in range(households)
    )
    homes = Household.objects.bulk_create(
        Household(municipality=municipality, name=f"Husstand {i}") for i in range(households)
    )
    approved = [TODAY - dt.timedelta(days=rng.randrange(3650)) for _ in homes]
    cases = Case.objects.bulk_create(
        Case(
            municipality=municipality,
            household=h,
            number=f"{tag}-{i}",
            channel="meeting",
            status="decided",
            received_on=approved[i] - dt.timedelta(days=30),
            created_by=user,
        )
        for i, h in enumerate(homes)
    )
    Application.objects.bulk_create(Application(case=c) for c in cases)
    decisions = Decision.objects.bulk_create(
        Decision(
            case=c,
            help_kind="rental_dwelling",
            kind="approval",
            status="issued",
            facts="F",
            reasoning="R",
            drafted_by=user,
            issued_on=approved[i],
        )
        for i, c in enumerate(cases)
    )
    entries = WaitingListEntry.objects.bulk_create(
        WaitingListEntry(
            municipality=municipality,
            household=homes[i],
            decision=d,
            placed_on=approved[i],
            persons=rng.choice([1, 1, 2, 3, 4]),
            children=rng.choice([0, 0, 1, 2]),
            urgency=rng.randrange(6),
            categories=["ordinary"],
            status="waiting",
        )
        for i, d in enumerate(decisions)
    )
    offers, leases, housed = [], [], []
    for i, entry in enumerate(entries):
        wait = rng.randrange(20, 400)
        made = approved[i] + dt.timedelta(days=wait)
        if made > TODAY:
            continue
        refused = rng.random() < REFUSED_SHARE
        dwelling = dwellings[i]
        offers.append(
            Offer(
                entry=entry,
                dwelling=dwelling,
                made_on=made,
                answer_due=made,
                status="refused" if refused else "leased",
                made_by=user,
            )
        )
        if not refused:
            housed.append(entry.pk)
            start = made + dt.timedelta(days=20)
            ended = start + dt.timedelta(days=900) if rng.random() < ENDED_SHARE else None
            leases.append(
                Lease(
                    municipality=municipality,
                    dwelling=dwelling,
                    household=entry.household,
                    start_date=start,
                    end_date=start + dt.timedelta(days=1095),
                    monthly_rent=9000,
                    status="ended" if ended and ended <= TODAY else "active",
                    ended_on=ended if ended and ended <= TODAY else None,
                    end_reason="moved_out" if ended and ended <= TODAY else "",
                    created_by=user,
                )
            )
    Offer.objects.bulk_create(offers)
    Lease.objects.bulk_create(leases)
    WaitingListEntry.objects.filter(pk__in=housed).update(status="housed")
    return municipality


def _measure(municipality: Any) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The computation, not the copy kept until the records change (dashboard()).
    from husly.insight.dashboard import dashboard_figures as dashboard

    dashboard(municipality, TODAY)  # warm
    runs = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            dashboard(municipality, TODAY)
            runs.append(time.perf_counter() - start)
    return min(runs), len(queries)


def main() -> None:
    _setup()
    from django.db import connection

    small = _world(SMALL, "small")
    large = _world(LARGE, "large")
    small_s, small_q = _measure(small)
    large_s, large_q = _measure(large)
    print(
        json.dumps(
            {
                "benchmark": "leader_dashboard",
                "database": connection.vendor,
                "python": platform.python_version(),
                "small": {"entries": SMALL, "seconds": round(small_s, 4), "queries": small_q},
                "large": {"entries": LARGE, "seconds": round(large_s, 4), "queries": large_q},
                "time_ratio": round(large_s / small_s, 2) if small_s else None,
                "queries_equal": small_q == large_q,
            }
        )
    )


if __name__ == "__main__":
    main()
