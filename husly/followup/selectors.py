"""Reads of the follow-up app: one access function per object type, scoped to the user's
municipalities and roles; anything else is 404. The overview and the vacancy figures are
set-based (a fixed number of queries whatever the number of tenants)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from husly.audit.freshness import until_changed
from husly.cases.models import CaseRouting, Decision, DecisionKind, DecisionStatus
from husly.cases.selectors import CASE_WRITE, unit_ids
from husly.followup.models import (
    DEFAULT_SETTINGS,
    Contact,
    FollowUpSettings,
    HousingPlan,
    Incident,
    Inspection,
    MoveOut,
    PlanStatus,
    RefusalFollowUp,
    VacancyCause,
    VacancySegment,
    WrittenWarning,
)
from husly.organisation.access import first_municipality, get_or_404, municipality_ids
from husly.organisation.models import Municipality, Role, User
from husly.rules import deadlines
from husly.tenancy.models import Lease, LeaseStatus

PLAN_ROLES = frozenset({Role.FOLLOW_UP})
"""The follow-up service and the housing team: bo-plans, contacts, the overview."""
WARNING_READ = frozenset({Role.FOLLOW_UP, Role.PROPERTY})
WARNING_WRITE = frozenset({Role.FOLLOW_UP})
"""The social housing consultant or housing coordinator leads the warning conversation; the
property unit gets the copy (appendix 4 point 12)."""
INSPECTION_ROLES = frozenset({Role.FOLLOW_UP, Role.PROPERTY})
"""Inspections are made jointly by THO and EIE (section 2.11)."""
MOVE_OUT_READ = frozenset({Role.FOLLOW_UP, Role.PROPERTY})
MOVE_OUT_WRITE = frozenset({Role.PROPERTY})
"""The property unit ends the tenancy, repairs and readies the dwelling (appendix 5)."""
REFUSAL_ROLES = frozenset({Role.FOLLOW_UP})
"""Besides the caseworkers and approvers of the refused case's units."""
SETTINGS_WRITE = frozenset({Role.ADMINISTRATOR})
ANY_FOLLOW_UP = PLAN_ROLES | WARNING_READ | INSPECTION_ROLES | MOVE_OUT_READ


def municipality_for(user: User, roles: frozenset[str]) -> Municipality:
    """The municipality a list page shows; without the role the page does not exist (404)."""
    return first_municipality(municipality_ids(user, roles))


def settings_for(municipality_id: int) -> FollowUpSettings:
    found = FollowUpSettings.objects.filter(municipality_id=municipality_id).first()
    return found or DEFAULT_SETTINGS


# --- bo-plans and the housing team's overview ---------------------------------------------------


def plans_for_user(user: User) -> QuerySet[HousingPlan]:
    return HousingPlan.objects.filter(
        municipality_id__in=municipality_ids(user, PLAN_ROLES)
    ).select_related("household", "lease", "lease__dwelling", "responsible_unit", "contact_person")


def plan_get_for_user(user: User, pk: object) -> HousingPlan:
    return cast(HousingPlan, get_or_404(plans_for_user(user), pk))


def active_leases(user: User, roles: frozenset[str]) -> QuerySet[Lease]:
    return Lease.objects.filter(
        status=LeaseStatus.ACTIVE, municipality_id__in=municipality_ids(user, roles)
    ).select_related("household", "dwelling", "dwelling__building", "follow_up_unit")


def lease_get_for_user(user: User, pk: object, roles: frozenset[str]) -> Lease:
    return cast(Lease, get_or_404(active_leases(user, roles), pk))


SHOW_FLAGGED = "flagg"
SHOW_ALL = "alle"
SHOW_WITHOUT_PLAN = "uten-plan"


def overview(user: User, *, today: dt.date, show: str = SHOW_ALL) -> QuerySet[Lease]:
    """Every tenant with an active lease, its responsible service unit (the plan's, else the
    lease's linked unit), the plan's status and the last contact; ``flag_no_unit`` and
    ``flag_no_contact`` mark those who stand out (appendix 4 point 9: nobody falls between
    chairs; 2.12: "no red lamp lights when it's been three weeks"). One query per page."""
    plan = HousingPlan.objects.filter(lease=OuterRef("pk"))
    last_contact = (
        Contact.objects.filter(plan__lease=OuterRef("pk"))
        .order_by("-contact_on")
        .values("contact_on")[:1]
    )
    leases = (
        active_leases(user, PLAN_ROLES)
        .annotate(
            plan_id=Subquery(plan.values("pk")[:1]),
            plan_status=Subquery(plan.values("status")[:1]),
            plan_unit=Subquery(plan.values("responsible_unit__name")[:1]),
            plan_interval=Subquery(plan.values("contact_interval_days")[:1]),
            plan_since=Subquery(plan.values("accepted_on")[:1]),
            last_contact=Subquery(last_contact, output_field=DateField()),
        )
        .order_by("household__name", "pk")
    )
    unit_missing = Q(plan_unit__isnull=True) & Q(follow_up_unit__isnull=True)
    leases = leases.annotate(flag_no_unit=_case(unit_missing))
    flagged_ids = _no_contact(leases, today)
    leases = leases.annotate(flag_no_contact=_case(Q(pk__in=flagged_ids)))
    if show == SHOW_FLAGGED:
        return leases.filter(unit_missing | Q(pk__in=flagged_ids))
    if show == SHOW_WITHOUT_PLAN:
        return leases.filter(plan_id__isnull=True)
    return leases


def _case(condition: Q):  # type: ignore[no-untyped-def]
    from django.db.models import BooleanField, Case, Value, When

    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _no_contact(leases: QuerySet[Lease], today: dt.date) -> list[int]:
    """Ids of the leases with an accepted plan whose last contact (or the acceptance, when
    none) lies further back than the plan's interval. One query (the intervals differ per
    plan, so the date arithmetic is done on the few columns fetched)."""
    rows = leases.filter(plan_status=PlanStatus.ACCEPTED).values_list(
        "pk", "last_contact", "plan_since", "plan_interval"
    )
    default = DEFAULT_SETTINGS.contact_interval_days
    return [
        pk
        for pk, last, since, interval in rows
        if (last or since) is None or (today - (last or since)).days > (interval or default)
    ]


@dataclass(frozen=True)
class OverviewCounts:
    tenants: int
    without_plan: int
    no_unit: int
    no_contact: int


def overview_counts(user: User, *, today: dt.date) -> OverviewCounts:
    leases = overview(user, today=today)
    totals = leases.aggregate(
        tenants=Count("pk"),
        without_plan=Count("pk", filter=Q(plan_id__isnull=True)),
        no_unit=Count("pk", filter=Q(flag_no_unit=True)),
        no_contact=Count("pk", filter=Q(flag_no_contact=True)),
    )
    return OverviewCounts(**totals)


# --- warnings -------------------------------------------------------------------------------


def warnings_for_user(user: User) -> QuerySet[WrittenWarning]:
    return WrittenWarning.objects.filter(
        municipality_id__in=municipality_ids(user, WARNING_READ)
    ).select_related("household", "lease__dwelling", "copied_to", "service_unit", "incident")


def warning_get_for_user(user: User, pk: object) -> WrittenWarning:
    return cast(WrittenWarning, get_or_404(warnings_for_user(user), pk))


def incidents_for_user(user: User) -> QuerySet[Incident]:
    return Incident.objects.filter(
        municipality_id__in=municipality_ids(user, WARNING_READ)
    ).select_related("household", "lease__dwelling")


def taken_over(user: User) -> QuerySet[Lease]:
    """Active leases the property unit has taken over after the warnings."""
    return active_leases(user, WARNING_READ).filter(warnings__takeover=True).distinct()


# --- inspections ----------------------------------------------------------------------------


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        municipality_id__in=municipality_ids(user, INSPECTION_ROLES)
    ).select_related("dwelling", "dwelling__building", "household")


def inspection_get_for_user(user: User, pk: object) -> Inspection:
    return cast(Inspection, get_or_404(inspections_for_user(user), pk))


def overdue_inspections(user: User, *, today: dt.date) -> QuerySet[Lease]:
    """Active leases whose dwelling was last inspected more than the interval ago (or never,
    once the lease has run that long): at least yearly (section 2.11). One query."""
    ids = municipality_ids(user, INSPECTION_ROLES)
    months = {
        s.municipality_id: s.inspection_interval_months
        for s in FollowUpSettings.objects.filter(municipality_id__in=ids)
    }
    last = (
        Inspection.objects.filter(dwelling=OuterRef("dwelling_id"), inspected_on__isnull=False)
        .order_by("-inspected_on")
        .values("inspected_on")[:1]
    )
    leases = active_leases(user, INSPECTION_ROLES).annotate(
        last_inspected=Subquery(last, output_field=DateField()),
        since=Coalesce(Subquery(last, output_field=DateField()), F("start_date")),
    )
    condition = Q()
    for municipality_id in ids:
        interval = months.get(municipality_id, DEFAULT_SETTINGS.inspection_interval_months)
        limit = deadlines.add_months(today, -interval)
        condition |= Q(municipality_id=municipality_id, since__lt=limit)
    return leases.filter(condition).order_by("since", "pk") if ids else leases.none()


# --- moving out and vacancy -----------------------------------------------------------------


def move_outs_for_user(user: User) -> QuerySet[MoveOut]:
    return MoveOut.objects.filter(
        municipality_id__in=municipality_ids(user, MOVE_OUT_READ)
    ).select_related("household", "lease", "lease__dwelling", "final_inspection")


def move_out_get_for_user(user: User, pk: object) -> MoveOut:
    return cast(MoveOut, get_or_404(move_outs_for_user(user), pk))


@dataclass(frozen=True)
class Vacancy:
    by_cause: dict[str, int]
    by_dwelling: dict[int, dict[str, int]]
    by_end_reason: dict[str, int] = field(default_factory=dict)
    """Days by why the lease before the vacancy ended (move-out, eviction, death, ...)."""

    @property
    def total(self) -> int:
        return sum(self.by_cause.values())


def vacancy_days(municipality_id: int, start: dt.date, end: dt.date) -> Vacancy:
    """Vacancy days within ``[start, end)`` by cause and per dwelling, from the stored
    segments; an open segment runs until the dwelling's next lease starts (or ``end``). One
    query, whatever the number of dwellings."""
    next_start = (
        Lease.objects.filter(
            dwelling=OuterRef("dwelling_id"),
            start_date__gte=OuterRef("starts_on"),
            status__in=[LeaseStatus.ACTIVE, LeaseStatus.ENDED, LeaseStatus.SIGNED],
        )
        .order_by("start_date")
        .values("start_date")[:1]
    )
    rows = (
        VacancySegment.objects.filter(municipality_id=municipality_id, starts_on__lt=end)
        .annotate(until=Coalesce("ends_on", Subquery(next_start, output_field=DateField())))
        .filter(Q(until__isnull=True) | Q(until__gt=start))
        .values_list("dwelling_id", "cause", "starts_on", "until", "end_reason")
    )
    by_end_reason: dict[str, int] = defaultdict(int)
    by_cause = dict.fromkeys(VacancyCause.values, 0)
    by_dwelling: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(VacancyCause.values, 0)
    )
    for dwelling_id, cause, since, until, end_reason in rows:
        lo, hi = max(since, start), min(until or end, end)
        days = (hi - lo).days
        if days > 0:
            by_cause[cause] += days
            by_dwelling[dwelling_id][cause] += days
            by_end_reason[end_reason or "moved_out"] += days
    return Vacancy(
        by_cause=by_cause, by_dwelling=dict(by_dwelling), by_end_reason=dict(by_end_reason)
    )


# --- refused households -----------------------------------------------------------------------


def refusals_for_user(user: User) -> QuerySet[Decision]:
    """Issued refusals the user may follow up: anywhere in a municipality where they hold the
    follow-up role, and those of the cases routed to their units (caseworkers, approvers)."""
    # The cases with a part routed to a unit where the user works on cases (as EXISTS: the
    # join through the memberships cost more than the rest of the work list together).
    own = CaseRouting.objects.filter(
        case_id=OuterRef("case_id"), unit_id__in=unit_ids(user, CASE_WRITE)
    )
    return (
        Decision.objects.filter(kind=DecisionKind.REFUSAL, status=DecisionStatus.ISSUED)
        .filter(Q(case__municipality_id__in=municipality_ids(user, REFUSAL_ROLES)) | Exists(own))
        .select_related("case", "case__household", "case__municipality")
        .annotate(
            has_follow_up=Exists(RefusalFollowUp.objects.filter(decision=OuterRef("pk"))),
        )
        .order_by("-issued_on", "-pk")
    )


def refusals_waiting(user: User, today: dt.date) -> QuerySet[Decision]:
    """The refused households nobody has followed up (the thesis, "de som havner utenfor"):
    no referral and follow-up date recorded, or the follow-up date has passed and nobody has
    recorded that it was done."""
    overdue = RefusalFollowUp.objects.filter(
        decision=OuterRef("pk"), followed_up_on__isnull=True, follow_up_on__lt=today
    )
    return (
        refusals_for_user(user)
        .annotate(follow_up_overdue=Exists(overdue))
        .filter(Q(has_follow_up=False) | Q(follow_up_overdue=True))
    )


def refusals_waiting_count(user: User, today: dt.date) -> int | None:
    """How many refused households wait (:func:`refusals_waiting`), or None for a user who
    follows up no refusals. The same for everyone with the same units and municipalities: kept
    until the records change (``husly.audit.freshness``; thousands of refusals in Oslo)."""
    write_units = sorted(set(unit_ids(user, CASE_WRITE)))
    municipalities = municipality_ids(user, REFUSAL_ROLES)
    if not write_units and not municipalities:
        return None  # nothing to follow up, and nothing to ask the database

    def compute() -> int | None:
        if not can_follow_up_refusals(user):
            return None
        return refusals_waiting(user, today).count()

    found: tuple[int | None] = until_changed(
        f"followup:refusals_waiting:{write_units}:{municipalities}:{today.isoformat()}",
        lambda: (compute(),),
    )
    return found[0]


def refusal_get_for_user(user: User, pk: object) -> Decision:
    return cast(Decision, get_or_404(refusals_for_user(user), pk))


def can_follow_up_refusals(user: User) -> bool:
    return bool(municipality_ids(user, REFUSAL_ROLES)) or refusals_for_user(user).exists()


# --- Min side -------------------------------------------------------------------------------


def _my_households(user: User) -> QuerySet[Lease]:
    from husly.portal.selectors import ADULT_RELATIONS

    return Lease.objects.filter(
        household__members__person__national_id=user.resident.national_id,
        household__members__relation__in=ADULT_RELATIONS,
    ).values("household_id")


def my_plans(user: User) -> QuerySet[HousingPlan]:
    return HousingPlan.objects.filter(household_id__in=_my_households(user)).select_related(
        "lease__dwelling", "responsible_unit", "contact_person"
    )


def my_plan(user: User, pk: object) -> HousingPlan:
    """The one access function for the household's own bo-plan in Min side (404 otherwise)."""
    return cast(HousingPlan, get_or_404(my_plans(user), pk))


def my_warnings(user: User) -> QuerySet[WrittenWarning]:
    return WrittenWarning.objects.filter(household_id__in=_my_households(user)).select_related(
        "lease__dwelling"
    )


def my_warning(user: User, pk: object) -> WrittenWarning:
    return cast(WrittenWarning, get_or_404(my_warnings(user), pk))


def my_inspections(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(household_id__in=_my_households(user)).select_related(
        "dwelling", "dwelling__building"
    )


def my_move_outs(user: User) -> QuerySet[MoveOut]:
    return MoveOut.objects.filter(household_id__in=_my_households(user)).select_related(
        "lease__dwelling"
    )


def leader_figures(municipality_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Bo-plans offered and accepted, warnings and takeovers in ``[start, end)`` (facts)."""
    plans = HousingPlan.objects.filter(municipality_id=municipality_id)
    warnings = WrittenWarning.objects.filter(
        municipality_id=municipality_id, issued_on__gte=start, issued_on__lt=end
    )
    return {
        "plans_offered": plans.filter(offered_on__gte=start, offered_on__lt=end).count(),
        "plans_accepted": plans.filter(accepted_on__gte=start, accepted_on__lt=end).count(),
        "warnings": warnings.count(),
        "takeovers": warnings.filter(takeover=True).count(),
    }
