"""What a resident may see: only cases of households where they are an adult member."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from husly.cases.models import Case, CaseStatus, Decision, DecisionStatus
from husly.organisation.access import get_or_404
from husly.organisation.models import User
from husly.people.models import Person, Relation

ADULT_RELATIONS = [Relation.APPLICANT, Relation.SPOUSE, Relation.COHABITANT, Relation.OTHER_ADULT]


def my_persons(user: User) -> QuerySet[Person]:
    return Person.objects.filter(national_id=user.resident.national_id)


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
