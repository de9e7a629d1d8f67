"""Benchmark: the monthly rent roll and arrears for every lease, each one set-based pass.

Run:  ./dev bench rent_roll   (``DATABASE_URL`` for PostgreSQL; otherwise a temporary SQLite)

Builds two synthetic municipalities in a throwaway database, one with ``--small`` leases and one
at Oslo scale (``--large``, 13,000 dwellings, each with an active lease), then for each:
``rent_roll_run`` for one month (claims for every lease), payments for most leases, and
``arrears_as_of`` for all of them. Prints ONE JSON line with leases per second and the number of
SQL statements of each pass at both sizes: the counts must be equal (no per-lease queries).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from typing import Any

from benchmarks import _rent_db


def _one(number: str, count: int) -> dict[str, Any]:
    from decimal import Decimal

    from husly.rent.actions import rent_roll_run
    from husly.rent.models import Payment
    from husly.rent.selectors import arrears_as_of
    from husly.tenancy.models import Lease

    municipality = _rent_db.leases(number, count)
    month = dt.date(2026, 12, 1)
    with _rent_db.Queries() as roll:
        created = rent_roll_run(actor=None, municipality=municipality, month=month)
    with _rent_db.Queries() as again:
        repeated = rent_roll_run(actor=None, municipality=municipality, month=month)
    ids = list(Lease.objects.filter(municipality=municipality).values_list("pk", "monthly_rent"))
    Payment.objects.bulk_create(
        [
            Payment(
                municipality=municipality,
                lease_id=pk,
                amount=Decimal(rent),
                paid_on=month,
                source="ocr",
            )
            for pk, rent in ids[: int(len(ids) * 0.8)]
        ],
        batch_size=2000,
    )
    with _rent_db.Queries() as arrears:
        found = arrears_as_of(municipality=municipality, as_of=dt.date(2026, 12, 31))
    return {
        "leases": count,
        "claims_created": created,
        "claims_created_again": repeated,
        "roll_again_seconds": round(again.seconds, 3),
        "roll_seconds": round(roll.seconds, 3),
        "roll_leases_per_second": round(count / roll.seconds),
        "roll_queries": roll.count,
        "arrears_seconds": round(arrears.seconds, 3),
        "arrears_leases_per_second": round(count / arrears.seconds),
        "arrears_queries": arrears.count,
        "leases_in_arrears": len(found),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1300)
    parser.add_argument("--large", type=int, default=13000)
    args = parser.parse_args(argv)
    vendor = _rent_db.setup()
    small = _one("9001", args.small)
    large = _one("9002", args.large)
    result = {
        "benchmark": "rent_roll",
        "database": vendor,
        "python": platform.python_version(),
        "small": small,
        "large": large,
        "queries_constant": small["roll_queries"] == large["roll_queries"]
        and small["arrears_queries"] == large["arrears_queries"],
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
