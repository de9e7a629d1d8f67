"""What a resident may see: only cases of households where they are an adult member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet

from husly.allocation import actions as allocation_actions
from husly.allocation.engine import DEFAULT_PRIORITY
from husly.allocation.models import ACCEPTED_OFFER, LIVE_ENTRY, Offer, WaitingListEntry
from husly.allocation.selectors import scored
from husly.audit.export import Scope
from husly.audit.models import AccessEvent
from husly.cases.models import Case, CaseStatus, Decision, DecisionStatus, PreliminaryReply
from husly.consent.models import Consent, LegalBasis
from husly.consent.selectors import sharing_for_case
from husly.matching.priority import PriorityItem
from husly.organisation.access import get_or_404
from husly.organisation.models import User
from husly.people.models import Person, Relation

ADULT_RELATIONS = [Relation.APPLICANT, Relation.SPOUSE, Relation.COHABITANT, Relation.OTHER_ADULT]


def my_persons(user: User) -> QuerySet[Person]:
    return Person.objects.filter(national_id=user.resident.national_id)


def my_person(user: User, pk: object) -> Person:
    """One of the resident's own person records (one per municipality that registered them)."""
    return cast(Person, get_or_404(my_persons(user).select_related("municipality"), pk))


def my_export_scope(user: User, person: Person) -> Scope:
    """The resident's own download of their data: the households where they are an adult (the
    cases Min side shows them), without the internal working records."""
    households = person.memberships.filter(relation__in=ADULT_RELATIONS).values_list(
        "household_id", flat=True
    )
    return Scope(user=user, household_ids=frozenset(households), self_service=True)


def my_cases(user: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(
            household__members__person__national_id=user.resident.national_id,
            household__members__relation__in=ADULT_RELATIONS,
        )
        .distinct()
        .select_related("municipality", "household")
    )


def my_case(user: User, pk: object) -> Case:
    return cast(Case, get_or_404(my_cases(user), pk))


def my_decision(user: User, pk: object) -> Decision:
    """Only issued decisions are the resident's to see; drafts are internal."""
    queryset = Decision.objects.filter(case__in=my_cases(user), status=DecisionStatus.ISSUED)
    return cast(Decision, get_or_404(queryset.select_related("case"), pk))


def my_preliminary_reply(user: User, pk: object) -> PreliminaryReply:
    """A preliminary reply sent in one of the resident's cases."""
    queryset = PreliminaryReply.objects.filter(case__in=my_cases(user)).select_related("case")
    return cast(PreliminaryReply, get_or_404(queryset, pk))


def is_editable(case: Case) -> bool:
    return case.status == CaseStatus.DRAFT


def can_withdraw(case: Case) -> bool:
    """A sent application can be withdrawn in Min side until a decision is issued."""
    return (
        case.status in {CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS}
        and not case.decisions.filter(status=DecisionStatus.ISSUED).exists()
    )


def my_access_events(user: User) -> QuerySet[AccessEvent]:
    """Staff reads of the resident's own person: who (name and unit), what, when. Reads of a
    case are logged for every member, so the resident sees the case's reads too, but never
    another member's own entries."""
    person_ids = list(my_persons(user).values_list("pk", flat=True))
    return (
        AccessEvent.objects.filter(person_id__in=person_ids)
        .select_related("actor", "unit")
        .order_by("-at", "-pk")
    )


def my_sharing(user: User) -> list[tuple[Case, list[Consent], list[LegalBasis]]]:
    """Per case: every consent and legal basis, active or not, with its units."""
    result = []
    for case in my_cases(user).exclude(status=CaseStatus.DRAFT):
        consents, bases = sharing_for_case(case)
        result.append((case, consents, bases))
    return result


def my_consent(user: User, pk: object) -> Consent:
    queryset = Consent.objects.filter(case__in=my_cases(user)).select_related("case__municipality")
    return cast(Consent, get_or_404(queryset, pk))


def me_in(user: User, case: Case) -> Person:
    """The resident's own person in the case's household."""
    return Person.objects.get(
        national_id=user.resident.national_id, memberships__household_id=case.household_id
    )


@dataclass(frozen=True)
class WaitingPlace:
    """Where the household stands on the waiting list, for its own eyes: its place by priority
    among the households waiting in the municipality, the reasons for its priority, and the
    date by which the municipality aims to have offered a dwelling (six months from approval,
    the municipality's service promise; husly.rules.deadlines.allocation_deadline)."""

    entry: WaitingListEntry
    position: int
    waiting: int
    band: str
    reasons: list[PriorityItem]
    promise: dt.date
    accepted_offer: bool = False
    """The household has accepted an offer (its lease not yet begun): it waits for no other."""


def my_waiting_place(case: Case, today: dt.date) -> WaitingPlace | None:
    """The household's live waiting-list entry from this case, ranked as the allocation
    meeting ranks it; None when the case put nobody on the list. Aggregates of other
    households only (their number), never who they are."""
    entry = (
        WaitingListEntry.objects.filter(decision__case=case, status__in=LIVE_ENTRY)
        .select_related("municipality")
        .first()
    )
    if entry is None:
        return None
    live = list(
        WaitingListEntry.objects.filter(
            municipality_id=entry.municipality_id, status__in=LIVE_ENTRY
        ).select_related("household")
    )
    policy = allocation_actions.current_policy(entry.municipality)
    rows = scored(live, policy.priority if policy else DEFAULT_PRIORITY, today)
    position = next(index for index, row in enumerate(rows, 1) if row.entry.pk == entry.pk)
    row = rows[position - 1]
    return WaitingPlace(
        entry=entry,
        position=position,
        waiting=len(rows),
        band=row.priority.band,
        reasons=[item for item in row.priority.items if item.points > 0],
        promise=row.promise,
        accepted_offer=Offer.objects.filter(entry=entry, status__in=ACCEPTED_OFFER).exists(),
    )
