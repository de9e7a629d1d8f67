"""What a resident may see: only cases of households where they are an adult member."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from husly.audit.export import Scope
from husly.audit.models import AccessEvent
from husly.cases.models import Case, CaseStatus, Decision, DecisionStatus
from husly.consent.models import Consent, LegalBasis
from husly.consent.selectors import sharing_for_case
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
