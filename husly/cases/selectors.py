"""Reads of cases, scoped to the user's access.

Staff see a case when it is routed to a unit where they hold a casework role (one door in:
every routed unit sees the same case), or when they registered it themselves (drafts).
Reading a case logs a read of every household member (the case shows their data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from husly.cases.models import (
    Appeal,
    AppealStatus,
    Case,
    CaseRouting,
    CaseStatus,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
)
from husly.organisation.access import get_or_404
from husly.organisation.models import Membership, Role, User
from husly.people.models import HouseholdMember
from husly.people.selectors import log_reads
from husly.rules import deadlines

CASE_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.FOLLOW_UP})
CASE_WRITE = frozenset({Role.CASEWORKER, Role.APPROVER})
DECISION_APPROVE = frozenset({Role.APPROVER})


def unit_ids(user: User, roles: frozenset[str] = CASE_READ) -> list[int]:
    cached: dict[frozenset[str], list[int]] = getattr(user, "_husly_case_units", {})
    if roles not in cached:
        cached[roles] = list(
            Membership.objects.filter(user=user, role__in=roles).values_list("unit_id", flat=True)
        )
        user._husly_case_units = cached  # type: ignore[attr-defined]
    return cached[roles]


def cases_for_user(user: User) -> QuerySet[Case]:
    routed = CaseRouting.objects.filter(case=OuterRef("pk"), unit_id__in=unit_ids(user))
    return Case.objects.filter(
        Q(Exists(routed)) | Q(created_by=user, status=CaseStatus.DRAFT)
    ).select_related("household", "municipality", "assigned_to")


def case_get_for_user(user: User, pk: object) -> Case:
    """Fetch one case for a change; 404 when not accessible."""
    return cast(Case, get_or_404(cases_for_user(user), pk))


def case_read(*, user: User, pk: object, what: str, path: str) -> Case:
    """Fetch one case to show it, and log a read of every household member."""
    case = case_get_for_user(user, pk)
    members = HouseholdMember.objects.filter(household_id=case.household_id).select_related(
        "person"
    )
    log_reads(user=user, persons=[m.person for m in members], what=what, path=path)
    return case


def can_act_on(user: User, case: Case) -> bool:
    """May the user change the case (register notes, assess, draft decisions)?"""
    if case.status == CaseStatus.DRAFT and case.created_by_id == user.pk:
        return True
    return case.routings.filter(unit_id__in=unit_ids(user, CASE_WRITE)).exists()


def case_list(
    user: User, *, search: str = "", status: str = "", help_kind: str = ""
) -> QuerySet[Case]:
    queryset = cases_for_user(user).prefetch_related(
        Prefetch("routings", queryset=CaseRouting.objects.select_related("unit"))
    )
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search) | Q(household__name__icontains=search)
        )
    if status:
        queryset = queryset.filter(status=status)
    if help_kind:
        queryset = queryset.filter(routings__help_kind=help_kind).distinct()
    return queryset


def decision_get_for_user(user: User, pk: object) -> Decision:
    queryset = Decision.objects.filter(case__in=cases_for_user(user)).select_related(
        "case", "case__municipality", "drafted_by", "approved_by", "follow_up_unit"
    )
    return cast(Decision, get_or_404(queryset, pk))


def appeal_get_for_user(user: User, pk: object) -> Appeal:
    queryset = Appeal.objects.filter(decision__case__in=cases_for_user(user)).select_related(
        "decision", "decision__case", "decision__case__municipality"
    )
    return cast(Appeal, get_or_404(queryset, pk))


@dataclass(frozen=True)
class DeadlineItem:
    case: Case
    what: str
    due: dt.date
    business_days_left: int


@dataclass(frozen=True)
class WorkList:
    new_cases: list[Case]
    my_cases: list[Case]
    awaiting_my_approval: list[Decision]
    appeals: list[Appeal]
    deadlines: list[DeadlineItem]


PROCESSING_PRELIMINARY_REPLY_DAYS = 30
"""Forvaltningsloven § 11a: a preliminary reply when a case cannot be answered within a month."""


def work_list(user: User, *, today: dt.date) -> WorkList:
    """What waits for the user and the user's units, with deadlines on the Norwegian calendar."""
    visible = cases_for_user(user)
    new_cases = list(
        visible.filter(status=CaseStatus.SUBMITTED, assigned_to__isnull=True).order_by(
            "received_on", "pk"
        )[:50]
    )
    mine = list(
        visible.filter(
            assigned_to=user, status__in=[CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS]
        ).order_by("received_on", "pk")[:50]
    )
    approver_units = unit_ids(user, DECISION_APPROVE)
    awaiting = list(
        Decision.objects.filter(
            status=DecisionStatus.AWAITING_APPROVAL,
            case__routings__unit_id__in=approver_units,
        )
        .exclude(drafted_by=user)
        .select_related("case", "case__household")
        .distinct()[:50]
    )
    appeals = list(
        Appeal.objects.filter(
            decision__case__in=visible,
            status__in=[AppealStatus.REGISTERED, AppealStatus.UPHELD],
        ).select_related("decision", "decision__case")[:50]
    )
    items: list[DeadlineItem] = []
    for case in visible.filter(
        status__in=[CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS], received_on__isnull=False
    ):
        due = case.received_on + dt.timedelta(days=PROCESSING_PRELIMINARY_REPLY_DAYS)
        items.append(_item(case, "preliminary_reply", deadlines.roll_forward(due), today))
    approvals = Decision.objects.filter(
        case__in=visible,
        status=DecisionStatus.ISSUED,
        kind=DecisionKind.APPROVAL,
        replaced_by__isnull=True,
    ).select_related("case")
    for decision in approvals:
        if decision.issued_on is None:
            continue
        if decision.help_kind == HelpKind.START_LOAN:
            due = deadlines.start_loan_approval_valid_until(decision.issued_on)
            items.append(_item(decision.case, "start_loan_validity", due, today))
        elif decision.help_kind in {HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES}:
            due = deadlines.allocation_deadline(decision.issued_on)
            items.append(_item(decision.case, "allocation_promise", due, today))
    items.sort(key=lambda item: item.due)
    return WorkList(new_cases, mine, awaiting, appeals, items[:100])


def _item(case: Case, what: str, due: dt.date, today: dt.date) -> DeadlineItem:
    return DeadlineItem(
        case=case,
        what=what,
        due=due,
        business_days_left=deadlines.business_days_between(today, due),
    )
