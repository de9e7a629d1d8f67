"""Reads of leases and renewals, scoped to the user's municipalities; throughput aggregates."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from husly.allocation.models import Offer, OfferStatus
from husly.allocation.selectors import require_allocation_role
from husly.audit.freshness import until_changed
from husly.cases.selectors import require_case_role
from husly.housing.models import DwellingStatus, DwellingStatusChange
from husly.organisation.access import get_or_404, municipality_ids, scoped
from husly.organisation.models import Municipality, Role, User
from husly.rules import deadlines
from husly.tenancy.models import (
    PENDING_LEASE,
    EndReason,
    Lease,
    LeaseStatus,
    RenewalApplication,
)

TENANCY_READ = frozenset(
    {Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.PROPERTY, Role.FOLLOW_UP}
)
TENANCY_WRITE = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.PROPERTY})
TERMS_WRITE = frozenset({Role.PROPERTY, Role.ADMINISTRATOR})
STATS_READ = frozenset({Role.LEADER, Role.ALLOCATION_MEMBER, Role.ADMINISTRATOR})
LEASE_ROLES = frozenset({Role.PROPERTY})
"""Besides allocation staff (``require_allocation_role``), property managers write, end and
renew leases, anywhere in the municipality."""


def can_change_lease(user: User, lease: Lease) -> bool:
    """Whether the lease actions (end, renew, apply for renewal) would let ``user`` through."""
    try:
        require_allocation_role(user, lease.municipality_id, also=LEASE_ROLES)
    except PermissionDenied:
        return False
    return True


def can_assess_renewal(user: User, renewal: RenewalApplication | None) -> bool:
    """Whether ``user`` may record the assessment of the alternatives (casework on the
    renewal's case)."""
    if renewal is None:
        return False
    try:
        require_case_role(user, renewal.case)
    except PermissionDenied:
        return False
    return True


def leases_for_user(user: User) -> QuerySet[Lease]:
    return cast(
        QuerySet[Lease], scoped(Lease.objects.all(), user, TENANCY_READ, "municipality_id")
    ).select_related("dwelling", "dwelling__building", "household", "follow_up_unit")


def active_lease_count(user: User) -> int:
    """The active leases the user may read (the lease list's count of its pages), kept until
    the records change for every reader with the same municipalities."""
    ids = municipality_ids(user, TENANCY_READ)
    return until_changed(
        f"tenancy:active-lease-count:{ids}",
        lambda: Lease.objects.filter(municipality_id__in=ids, status=LeaseStatus.ACTIVE).count(),
    )


WORK_LIST_ITEMS = 50
"""Items of each kind on the staff work list."""


def work_list_items(user: User) -> dict[str, list[Any]]:
    """The allocation and tenancy items on the staff work list: refusals to follow up, offers
    waiting for an answer or a lease, renewal reminders and renewal applications. They depend
    on the user only through the municipalities of the user's allocation and tenancy roles, so
    they are kept until the records change for every reader with the same (ADR 0036)."""
    from husly.allocation.selectors import allocation_municipality_ids

    scope = f"{allocation_municipality_ids(user)}:{municipality_ids(user, TENANCY_READ)}"
    return until_changed(f"tenancy:work-list-items:{scope}", lambda: _work_list_items(user))


def _work_list_items(user: User) -> dict[str, list[Any]]:
    from husly.allocation.models import OfferStatus as Status
    from husly.allocation.selectors import offers_for_user, on_hold

    # What the list shows (names, dates), not whole decisions, dwellings and buildings.
    reminded = (
        leases_for_user(user)
        .filter(status=LeaseStatus.ACTIVE, reminder__isnull=False, renewals__isnull=True)
        .select_related(None)
        .select_related("household", "reminder")
        .only("end_date", "household__name", "reminder__apply_by")
    )
    households = ("entry__household",)
    offers = offers_for_user(user).select_related(None).select_related(*households)
    accepted = accepted_offers_for_user(user).select_related(None).select_related(*households)
    entries = on_hold(user).select_related(None).select_related("household")
    return {
        "on_hold": list(entries.only("household__name")[:WORK_LIST_ITEMS]),
        "open_offers": list(
            offers.filter(status=Status.OPEN).only("answer_due", "entry__household__name")[
                :WORK_LIST_ITEMS
            ]
        ),
        "to_lease": list(accepted.only("entry__household__name")[:WORK_LIST_ITEMS]),
        "reminded": list(reminded[:WORK_LIST_ITEMS]),
    }


def work_list_item_households(items: dict[str, list[Any]]) -> list[int]:
    """Every household the work list's allocation and tenancy items name, for the access log."""
    return (
        [e.household_id for e in items["on_hold"]]
        + [o.entry.household_id for o in items["open_offers"] + items["to_lease"]]
        + [lease.household_id for lease in items["reminded"]]
    )


LEASE_ROW = (
    "pk",
    "household_id",
    "dwelling__building__address",
    "dwelling__number",
    "household__name",
    "start_date",
    "end_date",
    "monthly_rent",
)
"""What a list of leases shows of each: the dwelling, the household, the dates and the rent
(and the household's key, for the access log)."""


def lease_rows(leases: QuerySet[Lease], *fields: str) -> QuerySet[Lease, dict[str, Any]]:
    """``leases`` as plain rows (dicts) with only the fields a list shows (``LEASE_ROW``) and
    ``fields``: a list builds no models."""
    return leases.values(*LEASE_ROW, *fields)


def offer_rows(offers: QuerySet[Offer]) -> QuerySet[Offer, dict[str, Any]]:
    """``offers`` as plain rows with only what a list shows: the dwelling and the household
    offered it (and its key, for the access log)."""
    return offers.values(
        "pk",
        "dwelling__building__address",
        "dwelling__number",
        "entry__household_id",
        "entry__household__name",
    )


def households_followed_up(user: User, units: list[int]) -> Q:
    """``Q`` on ``Household`` (registered with ``husly.people.hooks``): the households with an
    active lease that one of ``units`` follows up."""
    leases = Lease.objects.filter(follow_up_unit_id__in=units, status=LeaseStatus.ACTIVE)
    return Q(pk__in=leases.values("household_id"))


def lease_get_for_user(user: User, pk: object) -> Lease:
    return cast(Lease, get_or_404(leases_for_user(user), pk))


def accepted_offers_for_user(user: User) -> QuerySet[Offer]:
    """Accepted offers waiting for their lease (the property unit writes it)."""
    return cast(
        QuerySet[Offer],
        scoped(
            Offer.objects.filter(status=OfferStatus.ACCEPTED),
            user,
            TENANCY_READ,
            "entry__municipality_id",
        ),
    ).select_related("entry", "entry__household", "dwelling", "dwelling__building")


def accepted_offer_get_for_user(user: User, pk: object) -> Offer:
    return cast(Offer, get_or_404(accepted_offers_for_user(user), pk))


def renewal_get_for_user(user: User, pk: object) -> RenewalApplication:
    queryset = RenewalApplication.objects.filter(lease__in=leases_for_user(user))
    return cast(RenewalApplication, get_or_404(queryset.select_related("lease", "case"), pk))


def my_leases(user: User) -> QuerySet[Lease]:
    from husly.portal.selectors import ADULT_RELATIONS

    return (
        Lease.objects.filter(
            household__members__person__national_id=user.resident.national_id,
            household__members__relation__in=ADULT_RELATIONS,
            status__in=[LeaseStatus.SENT, LeaseStatus.SIGNED, LeaseStatus.ACTIVE],
        )
        .distinct()
        .select_related("dwelling", "dwelling__building", "reminder")
    )


def my_lease(user: User, pk: object) -> Lease:
    return cast(Lease, get_or_404(my_leases(user), pk))


@dataclass(frozen=True)
class Month:
    month: dt.date
    moves_in: int
    moves_out: int
    median_days_to_offer: float | None
    vacancy_days: int


def _vacancy_days(municipality: Municipality, start: dt.date, end: dt.date) -> int:
    """Days dwellings stood vacant within [start, end), from the status history."""
    changes = (
        DwellingStatusChange.objects.filter(
            dwelling__building__municipality=municipality, valid_from__lt=end
        )
        .order_by("dwelling_id", "valid_from", "recorded_at", "pk")
        .values_list("dwelling_id", "status", "valid_from")
    )
    total = 0
    rows = list(changes)
    for index, (dwelling_id, status, since) in enumerate(rows):
        if status != DwellingStatus.VACANT:
            continue
        nxt = rows[index + 1] if index + 1 < len(rows) else None
        until = nxt[2] if nxt and nxt[0] == dwelling_id else end
        lo, hi = max(since, start), min(until, end)
        if hi > lo:
            total += (hi - lo).days
    return total


def throughput(municipality: Municipality, *, months: int, today: dt.date) -> list[Month]:
    """Per month, aggregates only: leases starting (moves in, renewals excluded), leases ending
    with a move (moves out), median days from approval to first offer, vacancy days."""
    first = deadlines.add_months(today.replace(day=1), -(months - 1))
    out = []
    for k in range(months):
        start = deadlines.add_months(first, k)
        end = deadlines.add_months(first, k + 1)
        leases = Lease.objects.filter(municipality=municipality).exclude(status__in=PENDING_LEASE)
        moves_in = leases.filter(
            start_date__gte=start, start_date__lt=end, renews__isnull=True
        ).count()
        moves_out = (
            leases.filter(ended_on__gte=start, ended_on__lt=end)
            .exclude(end_reason=EndReason.RENEWED)
            .count()
        )
        waits = [
            (made - placed).days
            for made, placed in Offer.objects.filter(
                entry__municipality=municipality,
                made_on__gte=start,
                made_on__lt=end,
            ).values_list("made_on", "entry__placed_on")
        ]
        out.append(
            Month(
                month=start,
                moves_in=moves_in,
                moves_out=moves_out,
                median_days_to_offer=statistics.median(waits) if waits else None,
                vacancy_days=_vacancy_days(municipality, start, min(end, today + dt.timedelta(1))),
            )
        )
    return out
