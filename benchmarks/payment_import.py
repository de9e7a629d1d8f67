"""Benchmark: 100,000 OCR giro payments read, matched on KID and booked.

Run:  ./dev bench payment_import   (``DATABASE_URL`` for PostgreSQL; otherwise a temporary SQLite)

Builds 13,000 leases with KIDs in a throwaway database, writes a Nets OCR giro file of
``--payments`` transactions (two records each; 2 % with a KID no lease has), then times the
three steps a user goes through: read and check the file (``read_payment_file``), match on KID
and look for payments booked before (``match``), and book it in one transaction
(``payment_batch_create`` + ``payment_batch_apply``). Memory: the process's maximum resident set
before the import (Python, Django, the leases and the file in memory) and after it; the growth is
what the import itself took at its peak. (tracemalloc is not used: it slows Python several
times over.) Prints ONE JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import sys
import time
from typing import Any

from benchmarks import _rent_db


def _max_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--leases", type=int, default=13_000)
    args = parser.parse_args(argv)
    vendor = _rent_db.setup()
    from husly.organisation.models import User
    from husly.rent import actions, ocr
    from husly.rent.models import Payment
    from husly.rent.payments import match, read_payment_file
    from husly.tenancy.models import Lease

    municipality = _rent_db.leases("9003", args.leases)
    user = User.objects.get(username="bench")
    kids = list(
        Lease.objects.filter(municipality=municipality).values_list("payment_kid", flat=True)
    )
    rng = random.Random(1)  # noqa: S311 - benchmark data
    day = dt.date(2026, 12, 3)
    rows = [
        (
            rng.randint(500_00, 12_000_00),
            kids[i % len(kids)] if rng.random() > 0.02 else "12345678903",  # noqa: PLR2004
            day,
            f"{i:09d}",
        )
        for i in range(args.payments)
    ]
    content = ocr.write(rows).encode("iso-8859-1")
    del rows

    rss_before = _max_rss_mib()
    t0 = time.perf_counter()
    result = read_payment_file("ocr.txt", content)
    t1 = time.perf_counter()
    result = match(municipality, result)
    t2 = time.perf_counter()
    assert result.ok, result.errors[:3]  # noqa: S101
    batch = actions.payment_batch_create(
        actor=user,
        municipality=municipality,
        filename="ocr.txt",
        content=content,
        result=result,
    )
    booked = actions.payment_batch_apply(actor=user, batch=batch)
    t3 = time.perf_counter()
    rss_after = _max_rss_mib()
    out = {
        "benchmark": "payment_import",
        "database": vendor,
        "python": platform.python_version(),
        "payments": args.payments,
        "ocr_lines": content.count(b"\n"),
        "file_mib": round(len(content) / 2**20, 1),
        "leases": args.leases,
        "matched": result.matched,
        "booked": booked,
        "in_database": Payment.objects.filter(municipality=municipality).count(),
        "read_seconds": round(t1 - t0, 2),
        "match_seconds": round(t2 - t1, 2),
        "book_seconds": round(t3 - t2, 2),
        "total_seconds": round(t3 - t0, 2),
        "payments_per_second": round(args.payments / (t3 - t0)),
        "max_rss_before_mib": rss_before,
        "max_rss_after_mib": rss_after,
        "import_peak_growth_mib": round(rss_after - rss_before, 1),
    }
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
