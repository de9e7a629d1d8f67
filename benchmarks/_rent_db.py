"""A throwaway database with synthetic leases for the rent benchmarks.

Uses ``DATABASE_URL`` when it is set (a PostgreSQL cluster, as ``./dev test`` starts one);
otherwise a fresh SQLite file in a temporary folder, migrated first. Never the demo database.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any


def setup() -> str:
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="husly-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("HUSLY_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "husly.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return connection.vendor


def leases(number: str, count: int) -> Any:
    """A municipality with ``count`` dwellings, each with an active lease and a KID, written
    in bulk. Returns the municipality."""
    import datetime as dt

    from husly.housing.models import Building, Dwelling
    from husly.organisation.models import Membership, Municipality, Unit, User
    from husly.people.models import Household
    from husly.tenancy.models import Lease, kid_for

    municipality = Municipality.objects.create(number=number, name=f"Bench {number}")
    unit = Unit.objects.create(municipality=municipality, name="Eiendom", kind="property")
    user, _ = User.objects.get_or_create(username="bench")
    Membership.objects.create(user=user, unit=unit, role="property")
    buildings = Building.objects.bulk_create(
        [
            Building(
                municipality=municipality,
                name=f"Gate {i}",
                address=f"Gate {i}",
                postal_code="2005",
                postal_town="Rælingen",
            )
            for i in range(max(1, count // 20))
        ]
    )
    dwellings = Dwelling.objects.bulk_create(
        [
            Dwelling(
                building=buildings[i % len(buildings)],
                number=f"H{i:05d}",
                rooms=2,
                area_m2=50,
                monthly_rent=8000 + (i % 40) * 100,
                status="occupied",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    households = Household.objects.bulk_create(
        [Household(municipality=municipality, name=f"H{i}") for i in range(count)], batch_size=2000
    )
    start = dt.date(2024, 1, 1)
    created = Lease.objects.bulk_create(
        [
            Lease(
                municipality=municipality,
                dwelling=d,
                household=h,
                status="active",
                start_date=start + dt.timedelta(days=i % 700),
                monthly_rent=d.monthly_rent,
                created_by=user,
            )
            for i, (d, h) in enumerate(zip(dwellings, households, strict=True))
        ],
        batch_size=2000,
    )
    if not created or created[0].pk is None:  # SQLite before RETURNING: read them back
        created = list(Lease.objects.filter(municipality=municipality))
    for lease in created:
        lease.payment_kid = kid_for(lease.pk)
    Lease.objects.bulk_update(created, ["payment_kid"], batch_size=2000)
    return municipality


class Queries:
    """Counts the SQL statements run inside the block (without DEBUG)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> Queries:
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t
        self._cm.__exit__(*exc)
