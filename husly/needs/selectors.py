"""Who may do what in the needs overview, and the overview itself (boligsosial lov § 5).

- A leader opens and closes rounds and sees the overview and exports: aggregates only, small
  counts shown as "<5" (the figures leave the units that own the data).
- Caseworkers, approvers and follow-up workers register, for their own unit, households they
  know need a home and see their unit's registrations (people: each read is logged).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.allocation.models import LIVE_ENTRY, Urgency, WaitingListEntry
from husly.arrears.models import ArrearsCase
from husly.arrears.models import CaseStatus as ArrearsStatus
from husly.cases.models import WAITING_LIST_HELP, Application, Case, CaseStatus
from husly.insight.suppression import suppressed
from husly.needs.models import (
    HOMELESS_SITUATIONS,
    DwellingNeed,
    HouseholdType,
    NeedSituation,
    NeedsRegistration,
    NeedsRound,
)
from husly.organisation.access import get_or_404, memberships_of, municipality_ids
from husly.organisation.models import Municipality, Role, User
from husly.people.models import HouseholdMember
from husly.rules.deadlines import add_years
from husly.rules.guidelines.facts import HousingKind
from husly.temporary.models import Stay

NEEDS_LEAD = frozenset({Role.LEADER})
NEEDS_REGISTER = frozenset({Role.CASEWORKER, Role.APPROVER, Role.FOLLOW_UP})
NEEDS_READ = NEEDS_LEAD | NEEDS_REGISTER

OPEN_CASE = (CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS)
HOMELESS_URGENCY = (Urgency.HOMELESS, Urgency.TEMPORARY_ACCOMMODATION)
HOMELESS_HOUSING = (
    HousingKind.NO_HOME.value,
    HousingKind.TEMPORARY_ACCOMMODATION.value,
    HousingKind.WITH_FAMILY_OR_FRIENDS.value,
)
DISCHARGE_WINDOW = dt.timedelta(days=61)  # "within two months" (national definition)


def identity_hash(round_pk: int, national_id: str) -> str:
    """A keyed hash of a national identity number, per round: the same person registered by
    two units is found, and the number itself is never stored."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"needs:{round_pk}:{national_id}".encode(), hashlib.sha256).hexdigest()


def rounds_for(user: User) -> QuerySet[NeedsRound]:
    return NeedsRound.objects.filter(municipality_id__in=municipality_ids(user, NEEDS_READ))


def round_for(user: User, pk: object) -> NeedsRound:
    """The one access function for a round: any reader of needs in its municipality."""
    return cast(NeedsRound, get_or_404(rounds_for(user).select_related("municipality"), pk))


def registering_units(user: User, municipality_id: int) -> list[int]:
    """The units the user registers for in a municipality."""
    return sorted(
        {
            u
            for u, m, role in memberships_of(user)
            if m == municipality_id and role in NEEDS_REGISTER
        }
    )


def registrations_for(user: User, needs_round: NeedsRound) -> QuerySet[NeedsRegistration]:
    """The registrations of the user's own units in the round (people)."""
    return (
        needs_round.registrations.filter(
            unit_id__in=registering_units(user, needs_round.municipality_id)
        )
        .select_related("unit", "person")
        .order_by("-registered_at", "-pk")
    )


def registration_for(user: User, pk: object) -> NeedsRegistration:
    queryset = NeedsRegistration.objects.filter(
        round__municipality_id__in=municipality_ids(user, NEEDS_REGISTER)
    ).select_related("round", "unit", "person")
    registration = cast(NeedsRegistration, get_or_404(queryset, pk))
    if registration.unit_id not in registering_units(user, registration.round.municipality_id):
        raise Http404
    return registration


def _households_in_records(municipality: Municipality, on: dt.date) -> dict[str, set[int]]:
    """The households the records know need help on ``on``: a fixed number of queries."""
    open_cases = Case.objects.filter(
        municipality=municipality,
        status__in=OPEN_CASE,
        routings__help_kind__in=WAITING_LIST_HELP,
    )
    applying = set(open_cases.values_list("household_id", flat=True))
    year_ago = on - dt.timedelta(days=365)
    applied_last_year = set(
        Case.objects.filter(
            municipality=municipality,
            received_on__gt=year_ago,
            received_on__lte=on,
            routings__help_kind__in=WAITING_LIST_HELP,
        )
        .exclude(status=CaseStatus.DRAFT)
        .values_list("household_id", flat=True)
    )
    entries = list(
        WaitingListEntry.objects.filter(
            municipality=municipality, status__in=LIVE_ENTRY
        ).values_list("household_id", "urgency")
    )
    waiting = {h for h, _u in entries}
    stays = list(
        Stay.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
            municipality=municipality,
            starts_on__lte=on,
        ).values_list("household_id", flat=True)
    )
    arrears = set(
        ArrearsCase.objects.filter(
            municipality=municipality, status=ArrearsStatus.OPEN
        ).values_list("household_id", flat=True)
    )
    without_home = set(
        Application.objects.filter(case__in=open_cases)
        .filter(
            Q(housing_kind__in=HOMELESS_HOUSING)
            | Q(
                housing_kind=HousingKind.INSTITUTION.value,
                institution_discharge_date__lte=on + DISCHARGE_WINDOW,
                has_home_after_discharge=False,
            )
        )
        .values_list("case__household_id", flat=True)
    )
    homeless = set(stays) | without_home | {h for h, u in entries if u in HOMELESS_URGENCY}
    children = set(
        HouseholdMember.objects.filter(
            household_id__in=stays,
            person__date_of_birth__gt=add_years(on, -18),
        ).values_list("household_id", flat=True)
    )
    return {
        "applied_last_year": applied_last_year,
        "applying": applying,
        "waiting": waiting,
        "temporary": set(stays),
        "temporary_children": children,
        "homeless": homeless,
        "arrears": arrears,
        "urgency": {f"urgency_{u}": {h for h, uu in entries if uu == u} for u in Urgency.values},
    }


RECORD_ROWS = (
    ("applied_last_year", _("Households that applied for a municipal dwelling, last 12 months")),
    ("applying", _("Applications for a municipal dwelling not yet decided")),
    ("waiting", _("Households on the waiting list")),
    ("temporary", _("Households in temporary accommodation")),
    ("temporary_children", _("… of them with children under 18")),
    ("homeless", _("Homeless households known from the records (national definition)")),
    ("arrears", _("Tenants in arrears (open arrears cases)")),
)


def overview(municipality: Municipality, needs_round: NeedsRound | None) -> dict[str, Any]:
    """The § 5 overview: who needs help from the records (today) and from the round's
    survey, each household once; every count as it may leave the unit ("<5")."""
    today = timezone.localdate()
    records = _households_in_records(municipality, today)
    urgency = records.pop("urgency")
    in_records: set[int] = set().union(
        records["applying"], records["waiting"], records["temporary"], records["arrears"]
    )
    rows = [(label, suppressed(len(records[key]))) for key, label in RECORD_ROWS]
    by_urgency = [
        (Urgency(int(key.split("_")[1])).label, suppressed(len(ids)))
        for key, ids in urgency.items()
    ]
    survey: dict[str, Any] = {"registered": 0}
    total = len(in_records)
    if needs_round is not None:
        registrations = list(
            needs_round.registrations.values_list(
                "person_id",
                "identity_hash",
                "situation",
                "dwelling_need",
                "household_type",
                "unit__name",
                "children",
            )
        )
        person_ids = [r[0] for r in registrations if r[0] is not None]
        known = set(
            HouseholdMember.objects.filter(
                person_id__in=person_ids, household_id__in=in_records
            ).values_list("person_id", flat=True)
        )
        new = [r for r in registrations if r[0] is None or r[0] not in known]
        total += len(new)

        def counted(index: int, choices: Any) -> list[tuple[Any, Any]]:
            counts = Counter(r[index] for r in registrations)
            return [(label, suppressed(counts.get(value, 0))) for value, label in choices]

        survey = {
            "registered": suppressed(len(registrations)),
            "already_in_records": suppressed(len(registrations) - len(new)),
            "not_checked": suppressed(sum(1 for r in registrations if not r[1])),
            "homeless": suppressed(sum(1 for r in registrations if r[2] in HOMELESS_SITUATIONS)),
            "with_children": suppressed(sum(1 for r in registrations if r[6])),
            "by_situation": counted(2, NeedSituation.choices),
            "by_dwelling": counted(3, DwellingNeed.choices),
            "by_household": counted(4, HouseholdType.choices),
            "by_unit": sorted(
                (name, suppressed(n)) for name, n in Counter(r[5] for r in registrations).items()
            ),
        }
    return {
        "municipality": municipality,
        "round": needs_round,
        "on": today,
        "records": rows,
        "by_urgency": by_urgency,
        "in_records": suppressed(len(in_records)),
        "survey": survey,
        "total": suppressed(total),
    }
