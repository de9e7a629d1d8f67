"""The records behind fairness monitoring, read set-based: one query per outcome and three for
what is known about the households, whatever the number of rows; then one vectorised pass
(``husly.insight.fairness``). Aggregates only: leaders, no names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, OuterRef, Q, Subquery

from husly.allocation.models import EntryStatus, Offer, OfferStatus, WaitingListEntry
from husly.cases.models import WAITING_LIST_HELP, Application, Decision, DecisionKind
from husly.cases.models import DecisionStatus as Status
from husly.insight import fairness
from husly.organisation.models import Municipality, Role
from husly.people.models import HouseholdMember, Relation, ResidencePermit
from husly.settlement.models import SettlementCase
from husly.temporary.models import Stay
from husly.tenancy.models import Lease

FAIRNESS_READ = frozenset({Role.LEADER})
"""Fairness monitoring is for the municipality's leaders (aggregates, no names)."""

ANSWERED = (OfferStatus.ACCEPTED, OfferStatus.REFUSED, OfferStatus.LEASED)


@dataclass(frozen=True)
class Period:
    """A quarter, or the four quarters up to and including it; ``end`` is exclusive."""

    year: int
    quarter: int
    whole_year: bool = False

    @property
    def end(self) -> dt.date:
        month = self.quarter * 3 + 1
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)  # noqa: PLR2004

    @property
    def start(self) -> dt.date:
        if self.whole_year:
            return self.end.replace(year=self.end.year - 1)
        return dt.date(self.year, self.quarter * 3 - 2, 1)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.quarter}"

    @classmethod
    def last_complete(cls, today: dt.date) -> Period:
        quarter = (today.month - 1) // 3  # the one before the current
        return cls(today.year - 1, 4) if quarter == 0 else cls(today.year, quarter)

    @classmethod
    def parse(cls, text: str, today: dt.date, *, whole_year: bool = False) -> Period:
        """``2026-3`` for the third quarter of 2026; anything else (or a quarter not yet
        over) gives the last complete quarter."""
        fallback = cls.last_complete(today)
        try:
            year, quarter = (int(part) for part in text.split("-"))
        except ValueError:
            return cls(fallback.year, fallback.quarter, whole_year)
        period = cls(year, quarter, whole_year)
        if not 1 <= quarter <= 4 or year < 2000 or period.end > today:  # noqa: PLR2004
            return cls(fallback.year, fallback.quarter, whole_year)
        return period


def _days(values: list[Any]) -> np.ndarray[Any, Any]:
    return np.array(
        [v if v is not None else np.datetime64("NaT") for v in values], dtype="datetime64[D]"
    )


def outcome_events(municipality: Municipality, period: Period) -> dict[str, fairness.Events]:
    """The five outcomes of the period, one query each."""
    inside = {"gte": period.start, "lt": period.end}
    decisions = list(
        Decision.objects.filter(
            case__municipality=municipality,
            status=Status.ISSUED,
            help_kind__in=WAITING_LIST_HELP,
            kind__in=[DecisionKind.APPROVAL, DecisionKind.REFUSAL],
            issued_on__gte=inside["gte"],
            issued_on__lt=inside["lt"],
        ).values_list("case__household_id", "issued_on", "kind")
    )
    district_of_lease = Lease.objects.filter(
        decision_id=OuterRef("decision_id"), household_id=OuterRef("household_id")
    ).order_by("start_date")
    housed = list(
        WaitingListEntry.objects.filter(
            municipality=municipality,
            status=EntryStatus.HOUSED,
            closed_on__gte=inside["gte"],
            closed_on__lt=inside["lt"],
        )
        .annotate(
            offer_count=Count("offers"),
            district=Subquery(district_of_lease.values("dwelling__building__district")[:1]),
        )
        .values_list("household_id", "closed_on", "placed_on", "offer_count", "district")
    )
    offers = list(
        Offer.objects.filter(
            entry__municipality=municipality,
            status__in=ANSWERED,
            made_on__gte=inside["gte"],
            made_on__lt=inside["lt"],
        ).values_list("entry__household_id", "made_on", "status", "dwelling__building__district")
    )
    stays = list(
        Stay.objects.filter(
            municipality=municipality,
            ended_on__gte=inside["gte"],
            ended_on__lt=inside["lt"],
        ).values_list("household_id", "ended_on", "starts_on")
    )
    housed_on = _days([r[1] for r in housed])
    housed_district = np.array([r[4] or "" for r in housed], dtype=object)
    housed_ids = np.array([r[0] for r in housed], dtype=np.int64)
    ended = _days([r[1] for r in stays])
    return {
        "approval": fairness.Events(
            household=np.array([r[0] for r in decisions], dtype=np.int64),
            on=_days([r[1] for r in decisions]),
            value=np.array([r[2] == DecisionKind.APPROVAL for r in decisions], dtype=np.float64),
        ),
        "wait": fairness.Events(
            household=housed_ids,
            on=housed_on,
            value=(housed_on - _days([r[2] for r in housed])).astype(np.float64),
            district=housed_district,
        ),
        "offers": fairness.Events(
            household=housed_ids,
            on=housed_on,
            value=np.array([r[3] for r in housed], dtype=np.float64),
            district=housed_district,
        ),
        "refusals": fairness.Events(
            household=np.array([r[0] for r in offers], dtype=np.int64),
            on=_days([r[1] for r in offers]),
            value=np.array([r[2] == OfferStatus.REFUSED for r in offers], dtype=np.float64),
            district=np.array([r[3] or "" for r in offers], dtype=object),
        ),
        "temporary": fairness.Events(
            household=np.array([r[0] for r in stays], dtype=np.int64),
            on=ended,
            value=(ended - _days([r[2] for r in stays])).astype(np.float64),
        ),
    }


def household_facts(household_ids: set[int]) -> fairness.Households:
    """What the records hold about these households: three queries."""
    ids = sorted(household_ids)
    members = list(
        HouseholdMember.objects.filter(household_id__in=ids).values_list(
            "household_id", "relation", "person__date_of_birth", "person__residence_permit"
        )
    )
    applications = list(
        Application.objects.filter(case__household_id__in=ids)
        .filter(Q(has_reduced_functional_ability__isnull=False) | Q(needs_wheelchair_access=True))
        .values_list(
            "case__household_id", "has_reduced_functional_ability", "needs_wheelchair_access"
        )
    )
    settled = list(
        SettlementCase.objects.filter(household_id__in=ids).values_list("household_id", flat=True)
    )
    return fairness.households_from(
        member_household=np.array([m[0] for m in members], dtype=np.int64),
        member_born=_days([m[2] for m in members]),
        member_is_applicant=np.array([m[1] == Relation.APPLICANT for m in members], dtype=bool),
        member_protection=np.array(
            [m[3] == ResidencePermit.PROTECTION for m in members], dtype=bool
        ),
        settled=np.array(settled, dtype=np.int64),
        application_household=np.array([a[0] for a in applications], dtype=np.int64),
        application_disability=np.array(
            [1 if (a[1] or a[2]) else 0 for a in applications], dtype=np.int8
        ),
    )


def fairness_report(municipality: Municipality, period: Period) -> dict[str, Any]:
    """Every outcome for every group in the period, small counts suppressed."""
    events = outcome_events(municipality, period)
    ids: set[int] = set()
    for e in events.values():
        ids |= {int(h) for h in e.household}
    report = fairness.report(household_facts(ids), events)
    return {"period": period, **report}
