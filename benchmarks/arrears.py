"""Benchmark: arrears as of a date for every lease, and the arrears scan, at two sizes.

Run:  ./dev bench arrears   (``DATABASE_URL`` for PostgreSQL; otherwise a temporary SQLite)

Builds two synthetic municipalities in a throwaway database (``--small`` and ``--large`` leases,
13,000 by default: Oslo scale), bills November and December 2026 with the rent roll, books a
payment of every claim for four leases in five, then measures for each size:

* ``arrears_as_of`` for all leases on 31 December (one set-based statement);
* the first ``arrears_scan`` (opens a case for every lease in arrears);
* a second scan after half of those tenants have paid up (updates every open case and closes
  the paid-up ones, with their change events and facts).

Prints ONE JSON line with leases per second and the number of SQL statements of each pass at
both sizes; ``queries_constant`` says the counts are equal (no per-lease or per-case queries).
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

    from husly.arrears.actions import arrears_scan
    from husly.arrears.models import ArrearsCase, CaseStatus
    from husly.rent.actions import rent_roll_run
    from husly.rent.models import Payment, RentClaim
    from husly.rent.selectors import arrears_as_of

    municipality = _rent_db.leases(number, count)
    for month in (dt.date(2026, 11, 1), dt.date(2026, 12, 1)):
        rent_roll_run(actor=None, municipality=municipality, month=month)
    claims = list(
        RentClaim.objects.filter(municipality=municipality).values_list("lease_id", "amount")
    )
    paying = {pk for i, pk in enumerate(sorted({c[0] for c in claims})) if i % 5}
    Payment.objects.bulk_create(
        [
            Payment(
                municipality=municipality,
                lease_id=lease_id,
                amount=Decimal(amount),
                paid_on=dt.date(2026, 12, 1),
                source="ocr",
            )
            for lease_id, amount in claims
            if lease_id in paying
        ],
        batch_size=2000,
    )
    as_of = dt.date(2026, 12, 31)
    with _rent_db.Queries() as ledger:
        found = arrears_as_of(municipality=municipality, as_of=as_of)
    with _rent_db.Queries() as first:
        opened = arrears_scan(actor=None, municipality=municipality, as_of=as_of)
    behind = sorted(found)
    Payment.objects.bulk_create(
        [
            Payment(
                municipality=municipality,
                lease_id=lease_id,
                amount=Decimal(found[lease_id].amount),
                paid_on=dt.date(2027, 1, 4),
                source="ocr",
            )
            for lease_id in behind[::2]
        ],
        batch_size=2000,
    )
    with _rent_db.Queries() as second:
        rescanned = arrears_scan(actor=None, municipality=municipality, as_of=dt.date(2027, 1, 5))
    return {
        "leases": count,
        "leases_in_arrears": len(found),
        "arrears_seconds": round(ledger.seconds, 3),
        "arrears_leases_per_second": round(count / ledger.seconds),
        "arrears_queries": ledger.count,
        "scan_seconds": round(first.seconds, 3),
        "scan_leases_per_second": round(count / first.seconds),
        "scan_queries": first.count,
        "cases_opened": opened["opened"],
        "rescan_seconds": round(second.seconds, 3),
        "rescan_leases_per_second": round(count / second.seconds),
        "rescan_queries": second.count,
        "cases_updated": rescanned["updated"],
        "cases_closed": rescanned["closed"],
        "cases_open_after": ArrearsCase.objects.filter(
            municipality=municipality, status=CaseStatus.OPEN
        ).count(),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1300)
    parser.add_argument("--large", type=int, default=13000)
    args = parser.parse_args(argv)
    vendor = _rent_db.setup()
    small = _one("9011", args.small)
    large = _one("9012", args.large)
    keys = ("arrears_queries", "scan_queries", "rescan_queries")
    result = {
        "benchmark": "arrears",
        "database": vendor,
        "python": platform.python_version(),
        "small": small,
        "large": large,
        "queries_constant": all(small[k] == large[k] for k in keys),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
