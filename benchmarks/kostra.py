"""Benchmark: a year's KOSTRA figures (skjema 13, every indicator, temporary accommodation,
each beside last year's) at Oslo scale with ten years of history.

Run:  ./dev bench kostra

Builds a throwaway SQLite database (migrated like the real one) holding ten years (2016–2025)
of applications with decisions (refusals, swaps, renewals, appeals reversed), a stock of
12,000 dwellings with a status history (some sold), leases on them (renewals, swaps,
households moving out and back), refugees settled, and the temporary stays of the
kostra_temporary benchmark; then computes ``husly.insight.selectors.kostra_report`` for 2025.
The same is measured on a database a tenth the size holding one year: the number of queries
must be the same (set-based reads, then vectorised passes). Prints ONE JSON line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import platform
import random
import statistics
import sys
import time
from typing import Any

from benchmarks import kostra_temporary

DWELLINGS = 12_000
APPLICATIONS_PER_YEAR = 4_000
YEARS = 10
FIRST_YEAR = 2016
YEAR = 2025
TODAY = dt.date(2026, 12, 2)
WHEELCHAIR_SHARE = 0.4
SOLD_SHARE = 0.03
RENEWED_SHARE = 0.4


def _build(years: int, scale: float, seed: int = 7) -> tuple[Any, dict[str, int]]:
    from husly.cases.models import Case, CaseRouting, Decision
    from husly.housing.models import Building, Dwelling, DwellingStatusChange
    from husly.organisation.models import Unit, User
    from husly.people.models import Household
    from husly.settlement.models import SettlementCase, SettlementRequest
    from husly.tenancy.models import Lease

    Lease.objects.update(renews=None)
    for model in (SettlementCase, SettlementRequest, Lease, DwellingStatusChange, Dwelling):
        model.objects.all().delete()
    Building.objects.all().delete()
    CaseRouting.objects.all().delete()
    municipality, stays, _segments = kostra_temporary._build(years, seed)
    municipality.inhabitants = 717_710
    municipality.save()
    rng = random.Random(seed)  # noqa: S311 - test data
    user = User.objects.get(username="bench")
    unit = Unit.objects.get(municipality=municipality, name="NAV")
    households = list(Household.objects.values_list("pk", flat=True))
    cases = list(Case.objects.order_by("pk"))  # one per household, from kostra_temporary
    first_year = FIRST_YEAR + YEARS - years
    span = 365 * years

    # Applications: the temporary benchmark's cases get a received date and a routing; more
    # cases for households applying again.
    n_apps = int(APPLICATIONS_PER_YEAR * years * scale)
    extra = Case.objects.bulk_create(
        Case(
            municipality=municipality,
            household_id=rng.choice(households),
            number=f"S-{i}",
            channel="meeting",
            status="decided",
            created_by=user,
        )
        for i in range(max(0, n_apps - len(cases)))
    )
    applications = (cases + extra)[:n_apps]
    for case in applications:
        case.received_on = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(span))
    Case.objects.bulk_update(applications, ["received_on"], batch_size=5000)
    CaseRouting.objects.bulk_create(
        (CaseRouting(case=c, help_kind="rental_dwelling", unit=unit) for c in applications),
        batch_size=5000,
    )
    kinds = ["approval"] * 6 + ["refusal"] * 3 + ["swap", "swap_refusal", "renewal"]
    decisions = [
        Decision(
            case=case,
            help_kind="rental_dwelling",
            kind=rng.choice(kinds),
            status="issued",
            facts="F.",
            reasoning="G.",
            drafted_by=user,
            issued_on=case.received_on + dt.timedelta(days=rng.randrange(10, 90)),
        )
        for case in applications
    ]
    Decision.objects.bulk_create(decisions, batch_size=5000)
    rows = _stock(
        municipality,
        user=user,
        households=households,
        rng=rng,
        scale=scale,
        first_year=first_year,
        span=span,
    )
    rows["refugees_settled"] = _refugees(
        municipality, user=user, households=households, rng=rng, first_year=first_year, span=span
    )
    return municipality, {"applications": len(applications), **rows, "stays": stays}


def _stock(
    municipality: Any,
    *,
    user: Any,
    households: list[int],
    rng: random.Random,
    scale: float,
    first_year: int,
    span: int,
) -> dict[str, int]:
    from husly.housing.models import Building, Dwelling, DwellingStatusChange
    from husly.tenancy.models import Lease

    # The stock: buildings of 20 dwellings, a status history, some sold; leases in chains.
    n_dwellings = int(DWELLINGS * scale)
    buildings = Building.objects.bulk_create(
        Building(
            municipality=municipality,
            name=f"Gård {i}",
            address=f"Gata {i}",
            postal_code="0150",
            postal_town="Oslo",
        )
        for i in range(n_dwellings // 20 + 1)
    )
    dwellings = Dwelling.objects.bulk_create(
        (
            Dwelling(
                building=buildings[i // 20],
                number=f"H{i % 20:04d}",
                rooms=rng.randrange(0, 4),
                area_m2=40,
                wheelchair_accessible=rng.random() < WHEELCHAIR_SHARE,
                ownership=rng.choice(["owned"] * 8 + ["leased_in", "head_lease"]),
                monthly_rent=9000,
            )
            for i in range(n_dwellings)
        ),
        batch_size=5000,
    )
    changes = []
    for d in dwellings:
        changes.append(
            DwellingStatusChange(dwelling=d, status="vacant", valid_from=dt.date(2010, 1, 1))
        )
        if rng.random() < SOLD_SHARE:
            sold = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(span))
            changes.append(DwellingStatusChange(dwelling=d, status="sold", valid_from=sold))
    DwellingStatusChange.objects.bulk_create(changes, batch_size=5000)
    leases: list[Lease] = []
    for d in dwellings:
        start = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        previous = None
        while start < TODAY:
            end = start + dt.timedelta(days=rng.choice([365, 3 * 365, 5 * 365]))
            running = end >= TODAY
            renewing = previous is not None and rng.random() < RENEWED_SHARE
            lease = Lease(
                municipality=municipality,
                dwelling=d,
                household_id=previous.household_id if renewing else rng.choice(households),
                start_date=start,
                monthly_rent=9000,
                deposit_amount=0,
                status="active" if running else "ended",
                ended_on=None if running else end,
                end_reason="" if running else "moved_out",
                created_by=user,
            )
            leases.append(lease)
            previous = lease
            start = end + dt.timedelta(days=rng.randrange(1, 60))
    Lease.objects.bulk_create(leases, batch_size=5000)
    # Renewals point at the lease they renew (set after the ids exist).
    by_dwelling: dict[int, list[Lease]] = {}
    for lease in Lease.objects.order_by("dwelling_id", "start_date"):
        by_dwelling.setdefault(lease.dwelling_id, []).append(lease)
    renewed = []
    for chain in by_dwelling.values():
        for before, after in itertools.pairwise(chain):
            if before.household_id == after.household_id:
                after.renews_id = before.pk
                renewed.append(after)
    Lease.objects.bulk_update(renewed, ["renews"], batch_size=5000)
    return {"dwellings": len(dwellings), "leases": len(leases)}


def _refugees(
    municipality: Any,
    *,
    user: Any,
    households: list[int],
    rng: random.Random,
    first_year: int,
    span: int,
) -> int:
    from husly.settlement.models import SettlementCase, SettlementRequest

    # Refugees settled: a tenth of the households, arrivals over the years.
    settled = rng.sample(households, len(households) // 10)
    requests = SettlementRequest.objects.bulk_create(
        SettlementRequest(
            municipality=municipality,
            imdi_reference=f"I-{h}",
            received_on=dt.date(first_year, 1, 1),
            family_name="F",
            household_size=2,
            status="accepted",
            registered_by=user,
        )
        for h in settled
    )
    SettlementCase.objects.bulk_create(
        SettlementCase(
            request=r,
            municipality=municipality,
            household_id=h,
            expected_arrival=arrived,
            arrived_on=arrived,
            caseworker=user,
        )
        for r, h in zip(requests, settled, strict=True)
        for arrived in [dt.date(first_year - 3, 1, 1) + dt.timedelta(days=rng.randrange(span))]
    )
    return len(settled)


def _measure(municipality: Any, repeat: int = 3) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from husly.insight.selectors import kostra_report

    connection.queries_log.clear()  # the build filled the log; count from empty
    with CaptureQueriesContext(connection) as captured:
        report = kostra_report(municipality, YEAR, TODAY)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        kostra_report(municipality, YEAR, TODAY)
        times.append(time.perf_counter() - started)
    values = {r["key"]: r["value"] for r in report["figures"]}
    return {
        "median_s": round(statistics.median(times), 3),
        "queries": len(captured),
        "applicants": values["applicants"],
        "new_tenants": values["new_tenants"],
        "dwellings": values["dwellings"],
    }


def main() -> None:
    kostra_temporary._setup()
    municipality, full_rows = _build(YEARS, 1.0)
    full = _measure(municipality)
    municipality, small_rows = _build(1, 0.1)
    small = _measure(municipality)
    print(
        json.dumps(
            {
                "benchmark": "kostra",
                "year": YEAR,
                "oslo_scale_ten_years": {**full, "rows": full_rows},
                "tenth_one_year": {**small, "rows": small_rows},
                "queries_equal": full["queries"] == small["queries"],
                "python": sys.version.split()[0],
                "machine": platform.machine(),
            }
        )
    )


if __name__ == "__main__":
    main()
