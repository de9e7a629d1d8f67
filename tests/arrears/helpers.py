from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from husly.organisation.models import Municipality, Unit, UnitKind, User
from husly.people.models import Household
from husly.tenancy.models import Lease, LeaseStatus, TermKind
from tests.allocation.helpers import make_dwelling


@dataclass(frozen=True)
class Arrears:
    amount: int
    months_unpaid: int
    oldest_unpaid_due: dt.date | None


class FakeLedger:
    """Stands in for ``husly.rent.selectors.arrears_as_of``: arrears per lease from a date on."""

    def __init__(self) -> None:
        self.points: list[tuple[dt.date, int, Arrears]] = []

    def set(
        self, on: dt.date, lease: Lease, amount: int, months: int, oldest: dt.date | None
    ) -> None:
        self.points.append((on, lease.pk, Arrears(amount, months, oldest)))

    def __call__(self, *, municipality: Any, as_of: dt.date) -> dict[int, Arrears]:
        result = {
            lease_id: value
            for on, lease_id, value in sorted(self.points, key=lambda p: p[0])
            if on <= as_of
        }
        return {k: v for k, v in result.items() if v.amount > 0}


def make_lease(municipality: Municipality, actor: User, household: Household) -> Lease:
    return Lease.objects.create(
        municipality=municipality,
        dwelling=make_dwelling(municipality, actor, start=dt.date(2025, 1, 1)),
        household=household,
        term_kind=TermKind.INDEFINITE,
        term_basis="Hovedregel tre år.",
        start_date=dt.date(2025, 1, 1),
        monthly_rent=9000,
        status=LeaseStatus.ACTIVE,
        created_by=actor,
    )


def make_units(municipality: Municipality) -> None:
    for kind, name in [
        (UnitKind.NAV, "NAV Rælingen"),
        (UnitKind.CHILD_WELFARE, "Barneverntjenesten"),
        (UnitKind.REFUGEE_SERVICE, "Flyktningtjenesten"),
    ]:
        Unit.objects.get_or_create(municipality=municipality, kind=kind, defaults={"name": name})
