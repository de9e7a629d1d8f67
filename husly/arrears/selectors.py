"""Reads of arrears cases, rent meetings and agreements, scoped by role; the engine's facts.

Who sees arrears cases (issue 12; raelingen roles table, appendix 4 points 3 and 13, appendix
5): only those with a part in them. The property unit (``property``) and collections
(``collections``, which sends the reminders and debt-collection notices and negotiates
repayment plans) see every case of the municipality; the housing consultant (a caseworker of the
housing office, who sees every household) likewise; NAV and the tenant's follow-up unit
(``caseworker``, ``follow_up`` of another unit) see a case when they see its household (a part
in its case, consent, following the lease up: ``people.selectors.visible_households``), when the
lease names their unit as its follow-up unit, or when they are responsible for the case.
Everyone else gets 404. Leaders get the coded figures only (:func:`fact_counts`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import cast

from django.db.models import Q, QuerySet

from husly.arrears import engine
from husly.arrears.models import (
    AgendaReason,
    AgreementStatus,
    ArrearsCase,
    ArrearsFact,
    ArrearsStep,
    CaseOrigin,
    CaseStatus,
    MeetingItem,
    RentMeeting,
    RepaymentAgreement,
    StepStatus,
)
from husly.arrears.procedure import Procedure, Responsible, by_key, procedure_for
from husly.organisation.access import (
    get_or_404,
    memberships_of,
    municipality_ids,
    require_permission,
    scoped,
)
from husly.organisation.models import Municipality, Role, User

WHOLE_MUNICIPALITY = frozenset({Role.PROPERTY, Role.COLLECTIONS})
"""The property unit and collections: every arrears case of the municipality."""
PART_ROLES = frozenset({Role.CASEWORKER, Role.FOLLOW_UP})
"""The housing consultant or coordinator, NAV and the follow-up unit: the cases they have a
part in."""
ARREARS_ROLES = WHOLE_MUNICIPALITY | PART_ROLES
"""Property unit, collections, the housing consultant or coordinator, NAV."""
MEETING_ROLES = ARREARS_ROLES
"""The rent meeting: property consultant, collections, social housing consultant, housing
coordinator; NAV or the refugee service called in as needed (appendix 4 point 3)."""
AGREEMENT_ROLES = ARREARS_ROLES
"""Repayment plans: negotiated by collections with the tenant's contact person (appendix 5)."""
NAV_ROLES = frozenset({Role.CASEWORKER})
"""NAV's advisers (caseworker role in the NAV unit) record coverage and early warnings."""
FACT_ROLES = frozenset({Role.LEADER, Role.PROPERTY, Role.ADMINISTRATOR})

STEP_ROLES: dict[Responsible, frozenset[str]] = {
    Responsible.COLLECTIONS: frozenset({Role.COLLECTIONS, Role.PROPERTY}),
    Responsible.PROPERTY_UNIT: frozenset({Role.PROPERTY}),
    Responsible.ENFORCEMENT_OFFICER: frozenset({Role.PROPERTY}),
    Responsible.HOUSING_CONSULTANT: frozenset({Role.PROPERTY, Role.CASEWORKER, Role.FOLLOW_UP}),
    Responsible.NAV: frozenset({Role.CASEWORKER}),
}
"""Who may take a step, by who the procedure makes responsible for it."""


def require_arrears_role(
    actor: User | None, municipality_id: int, roles: frozenset[str] = ARREARS_ROLES
) -> None:
    require_permission(actor, municipality_id, roles, stacklevel=2)


def require_case_part(
    actor: User | None, case: ArrearsCase, roles: frozenset[str] = ARREARS_ROLES
) -> None:
    """The check of an action on one case: one of ``roles``, and for the roles that see only
    the cases they have a part in, a part in this one (need to know, as for reading it)."""
    granted = (
        actor is not None
        and bool(roles & PART_ROLES)
        and ArrearsCase.objects.filter(
            _need_to_know(actor),
            pk=case.pk,
            municipality_id__in=municipality_ids(actor, roles),
        ).exists()
    )
    require_permission(
        actor, case.municipality_id, roles & WHOLE_MUNICIPALITY, granted=granted, stacklevel=2
    )


def _need_to_know(user: User) -> Q:
    """``Q`` on ``ArrearsCase``: the cases the user has a part in (see the module text)."""
    from husly.people.selectors import visible_households

    whole = Q(municipality_id__in=municipality_ids(user, WHOLE_MUNICIPALITY))
    part_municipalities = municipality_ids(user, PART_ROLES)
    if not part_municipalities:
        return whole
    units = [unit for unit, _m, role in memberships_of(user) if role in PART_ROLES]
    part = (
        Q(household__in=visible_households(user).values("pk"))
        | Q(lease__follow_up_unit_id__in=units)
        | Q(responsible=user)
    )
    return whole | (Q(municipality_id__in=part_municipalities) & part)


def cases_for_user(user: User) -> QuerySet[ArrearsCase]:
    """The one access function for arrears cases: need to know, 404 for everyone else."""
    return ArrearsCase.objects.filter(_need_to_know(user)).select_related(
        "household", "lease", "lease__dwelling", "responsible", "municipality"
    )


def case_get_for_user(user: User, pk: object) -> ArrearsCase:
    return cast(ArrearsCase, get_or_404(cases_for_user(user), pk))


def step_get_for_user(user: User, pk: object) -> ArrearsStep:
    queryset = ArrearsStep.objects.filter(case__in=cases_for_user(user)).select_related("case")
    return cast(ArrearsStep, get_or_404(queryset, pk))


def meetings_for_user(user: User) -> QuerySet[RentMeeting]:
    return cast(
        QuerySet[RentMeeting],
        scoped(RentMeeting.objects.all(), user, MEETING_ROLES, "municipality_id"),
    )


def meeting_get_for_user(user: User, pk: object) -> RentMeeting:
    return cast(RentMeeting, get_or_404(meetings_for_user(user), pk))


def meeting_items_for_user(user: User, meeting: RentMeeting) -> QuerySet[MeetingItem]:
    """The meeting's cases the user has a part in (a person called in sees only theirs)."""
    return meeting.items.filter(case__in=cases_for_user(user).values("pk"))


def item_get_for_user(user: User, pk: object) -> MeetingItem:
    queryset = MeetingItem.objects.filter(
        meeting__in=meetings_for_user(user), case__in=cases_for_user(user).values("pk")
    )
    return cast(MeetingItem, get_or_404(queryset.select_related("meeting", "case"), pk))


def procedure_of(case: ArrearsCase) -> Procedure:
    return by_key(case.procedure_key)


def procedure_for_municipality(municipality: Municipality, day: dt.date) -> Procedure:
    procedure = procedure_for(municipality.number, day)
    if procedure is None:  # pragma: no cover - the shipped set is always in force
        raise LookupError("no arrears procedure in force")
    return procedure


def confirmed_steps(case: ArrearsCase) -> list[ArrearsStep]:
    return [s for s in case.steps.all() if s.status == StepStatus.CONFIRMED]


def active_agreement(case: ArrearsCase) -> RepaymentAgreement | None:
    return case.agreements.filter(status=AgreementStatus.ACTIVE).first()


def facts_of(case: ArrearsCase, as_of: dt.date) -> engine.CaseFacts:
    coverage = case.nav_coverages.order_by("-decided_on").first()
    return engine.CaseFacts(
        as_of=as_of,
        arrears=case.arrears,
        months_unpaid=case.months_unpaid,
        oldest_unpaid_due=case.oldest_unpaid_due,
        taken=tuple(
            engine.TakenStep(
                step_id=s.step_id,
                taken_on=s.taken_on,
                deadline=s.deadline,
                months_covered=s.months_covered,
            )
            for s in confirmed_steps(case)
        ),
        repayment_plan_active=active_agreement(case) is not None,
        returned_to_procedure_on=case.returned_to_procedure_on,
        nav_covers_from=coverage.decided_on if coverage else None,
    )


def assessment(case: ArrearsCase, as_of: dt.date) -> engine.Assessment | None:
    """Where a municipal-lease case stands and what is due next; ``None`` for an early-warning
    case (no municipal procedure: NAV follows the household up)."""
    if case.origin != CaseOrigin.MUNICIPAL_LEASE:
        return None
    return engine.assess(procedure_of(case), facts_of(case, as_of))


def pending_step(case: ArrearsCase) -> ArrearsStep | None:
    return case.steps.filter(status=StepStatus.PREPARED).first()


@dataclass(frozen=True)
class AgendaEntry:
    case: ArrearsCase
    reasons: list[str]


def agenda_for(municipality: Municipality, held_on: dt.date) -> list[AgendaEntry]:
    """What the rent meeting reviews (issue 12): arrears that are new or growing since the last
    meeting, cases past a deadline, repayment plans broken since the last meeting."""
    previous = (
        RentMeeting.objects.filter(municipality=municipality, held_on__lt=held_on)
        .order_by("-held_on")
        .first()
    )
    since = previous.held_on if previous else dt.date.min
    last_amounts = (
        {i.case_id: i.arrears for i in previous.items.all()} if previous is not None else {}
    )
    open_cases = (
        ArrearsCase.objects.filter(municipality=municipality, status=CaseStatus.OPEN)
        .select_related("lease", "household")
        .prefetch_related("steps", "agreements", "nav_coverages")
    )
    broken = set(
        RepaymentAgreement.objects.filter(
            case__municipality=municipality, status=AgreementStatus.BROKEN, ended_on__gt=since
        ).values_list("case_id", flat=True)
    )
    entries: list[AgendaEntry] = []
    for case in open_cases:
        reasons: list[str] = []
        if case.opened_on > since:
            reasons.append(AgendaReason.NEW)
        elif case.pk in last_amounts and case.arrears > last_amounts[case.pk]:
            reasons.append(AgendaReason.GROWING)
        found = assessment(case, held_on)
        if found is not None and found.next is not None and found.next.overdue(held_on):
            reasons.append(AgendaReason.PAST_DEADLINE)
        if case.pk in broken:
            reasons.append(AgendaReason.PLAN_BROKEN)
        if reasons:
            entries.append(AgendaEntry(case, [str(r) for r in reasons]))
    return entries


def my_arrears_cases(user: User) -> QuerySet[ArrearsCase]:
    from husly.portal.selectors import ADULT_RELATIONS

    return (
        ArrearsCase.objects.filter(
            household__members__person__national_id=user.resident.national_id,
            household__members__relation__in=ADULT_RELATIONS,
        )
        .distinct()
        .prefetch_related("steps", "agreements__instalments")
    )


def my_step(user: User, pk: object) -> ArrearsStep:
    queryset = ArrearsStep.objects.filter(
        case__in=my_arrears_cases(user), status=StepStatus.CONFIRMED
    ).exclude(document="")
    return cast(ArrearsStep, get_or_404(queryset, pk))


def fact_counts(
    user: User, municipality: Municipality, start: dt.date, end: dt.date
) -> dict[str, int]:
    """Coded counts for leaders: cases opened/closed, notices, petitions, evictions (with
    children counted apart). 404-like empty result outside the user's municipalities."""
    from husly.organisation.access import has_role

    if not has_role(user, municipality.pk, FACT_ROLES):
        return {}
    rows = ArrearsFact.objects.filter(municipality=municipality, on__gte=start, on__lte=end)
    counts: Counter[str] = Counter(rows.values_list("kind", flat=True))
    counts["eviction_with_children"] = rows.filter(kind="eviction", with_children=True).count()
    return dict(counts)
