"""Reads of cases, scoped to the user's access.

Staff see a case when it is routed to a unit where they hold a casework role (one door in:
every routed unit sees the same case), or when they registered it themselves (drafts). A unit
the case is not routed to sees it only while the household's consent or a recorded legal basis
names that unit for a purpose of the user's role there (``husly.consent``), and only the data
categories it covers. Reading a case logs a read of every household member (the case shows
their data), with the role and unit that gave access.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models import Case as DbCase
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.audit.freshness import until_changed
from husly.cases.models import (
    Appeal,
    AppealStatus,
    Assessment,
    Case,
    CaseRouting,
    CaseStatus,
    CloseReason,
    DeadlineAlert,
    Decision,
    DecisionKind,
    DecisionStatus,
    Document,
    HelpKind,
    JournalNote,
    PreliminaryReply,
    RoutingStatus,
)
from husly.consent.models import ALL_CATEGORIES, ROLE_PURPOSES, Consent, LegalBasis
from husly.core.dbfunctions import AddDays, AddMonths, InKeys, among_keys
from husly.organisation.access import (
    ROLE_PREFERENCE,
    get_or_404,
    membership_rows,
    require_permission,
)
from husly.organisation.models import Membership, Role, Unit, User
from husly.people.models import HouseholdMember, StatedMember, StatedMemberStatus
from husly.people.selectors import log_reads
from husly.rules import deadlines

CASE_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.FOLLOW_UP})
CASE_WRITE = frozenset({Role.CASEWORKER, Role.APPROVER})
DECISION_APPROVE = frozenset({Role.APPROVER})


@dataclass(frozen=True)
class Grant:
    """Why a unit the case is not routed to may see it."""

    case_id: int
    unit_id: int
    role: str
    categories: frozenset[str]
    basis: str  # "consent" or "legal_basis"


def active_consents(today: dt.date | None = None) -> QuerySet[Consent]:
    today = today or timezone.localdate()
    return Consent.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        withdrawn_at__isnull=True,
        given_on__lte=today,
    )


def active_legal_bases(today: dt.date | None = None) -> QuerySet[LegalBasis]:
    today = today or timezone.localdate()
    return LegalBasis.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        ended_at__isnull=True,
        valid_from__lte=today,
    )


def grants_for_user(user: User, *, case_id: int | None = None) -> list[Grant]:
    """Every active consent or legal basis naming one of the user's units, for a purpose that
    the user's role in that unit serves. Two queries (memberships excepted)."""
    roles_by_unit: dict[int, set[str]] = {}
    for unit_id, role in _memberships(user, frozenset(ROLE_PURPOSES)):
        roles_by_unit.setdefault(unit_id, set()).add(role)
    if not roles_by_unit:
        return []
    grants: list[Grant] = []
    for basis, queryset in (
        ("consent", active_consents()),
        ("legal_basis", active_legal_bases()),
    ):
        rows = queryset.filter(units__in=list(roles_by_unit))
        if case_id is not None:
            rows = rows.filter(case_id=case_id)
        for case, unit_id, purposes, categories in rows.values_list(
            "case_id", "units", "purposes", "data_categories"
        ):
            grants.extend(
                Grant(case, unit_id, role, frozenset(categories), basis)
                for role in sorted(roles_by_unit.get(unit_id, ()))
                if ROLE_PURPOSES[role] & set(purposes)
            )
    return grants


def _memberships(user: User, roles: frozenset[str]) -> list[tuple[int, str]]:
    """``(unit_id, role)`` of the user's memberships in ``roles``: from the memberships read
    once per request (``membership_rows``); an inactive user's as stored."""
    if user.is_authenticated and user.is_active:
        return [(unit, role) for unit, _m, _kind, role in membership_rows(user) if role in roles]
    return list(Membership.objects.filter(user=user, role__in=roles).values_list("unit_id", "role"))


def unit_ids(user: User, roles: frozenset[str] = CASE_READ) -> list[int]:
    """The units where ``user`` holds one of ``roles``, from the memberships read once per
    request (``membership_rows``, kept on the user: no query here); an inactive user's own,
    as stored."""
    return list(dict.fromkeys(unit_id for unit_id, _r in _memberships(user, roles)))


def households_reached(user: User, units: list[int]) -> Q:
    """``Q`` on ``Household`` (registered with ``husly.people.hooks``): the households whose
    case has a part routed to one of ``units``, is shared with the user's unit by an active
    consent or legal basis, or has an issued decision naming one of ``units`` to follow the
    household up, and the households of the cases the user registered."""
    shared = {g.case_id for g in grants_for_user(user)}
    cases = Case.objects.filter(
        Q(pk__in=CaseRouting.objects.filter(unit_id__in=units).values("case_id"))
        | Q(
            pk__in=Decision.objects.filter(
                follow_up_unit_id__in=units, status=DecisionStatus.ISSUED
            ).values("case_id")
        )
        | (Q(pk__in=shared) & ~Q(status=CaseStatus.DRAFT))
        | Q(created_by=user)
    )
    return Q(pk__in=cases.values("household_id"))


def cases_for_user(
    user: User, *, category: str | None = None, shared: bool = True, drafts: bool = True
) -> QuerySet[Case]:
    """The one access function for cases. ``category`` (a ``husly.consent`` data category)
    limits shared cases to those whose consent or legal basis covers it; ``shared=False``
    leaves shared cases out (work lists show only the units' own cases); ``drafts=False``
    leaves out the drafts the user registered (the work list shows received cases only)."""
    return Case.objects.filter(
        visible_cases(user, category=category, shared=shared, drafts=drafts)
    ).select_related("household", "municipality", "assigned_to")


def visible_cases(
    user: User,
    *,
    category: str | None = None,
    shared: bool = True,
    via: str = "",
    drafts: bool = True,
) -> Q:
    """The condition behind :func:`cases_for_user`, on ``Case`` or, with ``via="case__"``, on a
    model with a ``case`` key (a decision, say): filtering that model by it lets PostgreSQL
    join the two tables by hash instead of testing each row's case through a subquery.
    ``drafts=False`` (no own drafts) leaves a plain EXISTS that PostgreSQL can join (an OR
    makes it hash every routing of the units first)."""
    ref = f"{via[:-2]}_id" if via else "pk"  # "case_id", "decision__case_id": no join for it
    routed = CaseRouting.objects.filter(case_id=OuterRef(ref), unit_id__in=unit_ids(user))
    visible = Q(Exists(routed))
    if drafts:
        visible |= Q(**{f"{via}created_by": user, f"{via}status": CaseStatus.DRAFT})
    if shared:
        ids = {
            g.case_id for g in grants_for_user(user) if category is None or category in g.categories
        }
        if ids:
            visible |= Q(**{f"{via}pk__in": ids}) & ~Q(**{f"{via}status": CaseStatus.DRAFT})
    return visible


def case_get_for_user(user: User, pk: object, *, category: str | None = None) -> Case:
    """Fetch one case for a change; 404 when not accessible."""
    return cast(Case, get_or_404(cases_for_user(user, category=category), pk))


def open_alerts_for_user(user: User) -> QuerySet[DeadlineAlert]:
    """The deadline alerts a caseworker sees on the start page: open (not resolved, not marked
    seen) on cases routed to one of the user's case-working units."""
    return DeadlineAlert.objects.filter(
        case__in=cases_for_user(user, shared=False).filter(
            Exists(
                CaseRouting.objects.filter(
                    case=OuterRef("pk"), unit_id__in=unit_ids(user, CASE_WRITE)
                )
            )
        ),
        resolved_on__isnull=True,
        dismissed_at__isnull=True,
    )


def deadline_alert_for_user(user: User, pk: object) -> DeadlineAlert:
    """The one access function for an alert: open, on a case the user works on; 404
    otherwise (another unit's case, another municipality, an alert resolved or seen)."""
    return cast(DeadlineAlert, get_or_404(open_alerts_for_user(user).select_related("case"), pk))


@dataclass(frozen=True)
class CaseAccess:
    """Why the user sees the case: the role and unit, and the data categories they may see
    (all of them for a routed unit)."""

    role: str
    unit_id: int | None
    routed: bool
    categories: frozenset[str]
    basis: str = "routing"

    def can_see(self, category: str) -> bool:
        return category in self.categories


def case_access(
    user: User,
    case: Case,
    *,
    routings: list[CaseRouting] | None = None,
    grants: list[Grant] | None = None,
) -> CaseAccess:
    """``routings``: the case's routings when already read; ``grants``: the user's grants for
    the case when already read."""
    if routings is None:
        routings = list(case.routings.all())
    routed_units = {routing.unit_id for routing in routings}
    own = [
        (ROLE_PREFERENCE.index(role), role, unit_id)
        for unit_id, role in _memberships(user, CASE_READ)
        if unit_id in routed_units
    ]
    if own:
        _rank, role, unit_id = min(own)
        return CaseAccess(role, unit_id, True, ALL_CATEGORIES)
    if grants is None:
        grants = grants_for_user(user, case_id=case.pk)
    if grants and case.status != CaseStatus.DRAFT:
        first = min(grants, key=lambda g: (ROLE_PREFERENCE.index(g.role), g.unit_id))
        categories = frozenset().union(*(g.categories for g in grants))
        return CaseAccess(first.role, first.unit_id, False, categories, first.basis)
    # The caseworker who registered a draft before it was routed.
    membership = (
        Membership.objects.filter(
            user=user, role__in=CASE_WRITE, unit__municipality_id=case.municipality_id
        )
        .order_by("pk")
        .first()
    )
    if membership is None:
        return CaseAccess("", None, True, ALL_CATEGORIES)
    return CaseAccess(membership.role, membership.unit_id, True, ALL_CATEGORIES)


@dataclass(frozen=True)
class CaseRead:
    """A case read to be shown, why the user sees it (``access``), and its routings (with their
    units and caseworkers) and household members (with their persons), read once for the
    access check and the log and for the page."""

    case: Case
    access: CaseAccess
    routings: list[CaseRouting]
    members: list[HouseholdMember]


def _case_read(
    *,
    user: User,
    pk: object,
    what: str,
    path: str,
    category: str | None,
    shape: Callable[[QuerySet[Case]], QuerySet[Case]] | None = None,
) -> CaseRead:
    """Fetch one case to show it (``shape`` adds what the caller reads with it), and log a read
    of every household member with the role and unit that gave access.

    The case is looked for first among those routed to the user's units and the user's own
    drafts, which needs no consents or legal bases; only a case not found there is looked for
    in the whole of :func:`cases_for_user` (shared cases, or a 404)."""
    shape = shape or (lambda queryset: queryset)
    try:
        case = shape(cases_for_user(user, shared=False)).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        case = cast(Case, get_or_404(shape(cases_for_user(user, category=category)), pk))
    routings = list(
        case.routings.select_related("unit", "assigned_to").only(
            "case_id",
            "help_kind",
            "unit_id",
            "status",
            "assigned_to_id",
            "unit__name",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
    )
    access = case_access(user, case, routings=routings)
    members = list(
        HouseholdMember.objects.filter(household_id=case.household_id).select_related("person")
    )
    log_reads(
        user=user,
        persons=[m.person for m in members],
        what=what,
        path=path,
        via=(access.role, access.unit_id),
    )
    return CaseRead(case, access, routings, members)


def case_read(*, user: User, pk: object, what: str, path: str, category: str | None = None) -> Case:
    """Fetch one case to show it, and log a read of every household member with the role and
    unit that gave access."""
    return _case_read(user=user, pk=pk, what=what, path=path, category=category).case


@functools.cache
def _case_page_parts() -> dict[str, Any]:
    """The case page's annotations on the case (see :func:`case_page_read`), built once.

    Plain SQL on the case's own row (``cases_case``, the query's base table): the ORM's
    ``Exists``/``Subquery`` are resolved and compiled again for every query (about 2 ms of the
    page's Python for these seven); the same conditions as text cost next to nothing. Tests:
    tests/cases/test_page_markup.py (a case with every part, and cases with none)."""
    case = Case._meta.db_table
    pending = (
        f"COALESCE((SELECT COUNT(*) FROM {StatedMember._meta.db_table} s "  # noqa: S608
        f"WHERE s.household_id = {case}.household_id AND s.status = %s), 0)"
    )
    return {
        "unchecked_members": RawSQL(  # noqa: S611 - names from the models, values as parameters
            pending, [StatedMemberStatus.PENDING.value], output_field=IntegerField()
        ),
        **{
            f"has_{part}": RawSQL(  # noqa: S611
                f"EXISTS (SELECT 1 FROM {model._meta.db_table} p "  # noqa: S608
                f"WHERE p.case_id = {case}.id)",
                [],
                output_field=BooleanField(),
            )
            for part, model in (
                ("assessment", Assessment),
                ("replies", PreliminaryReply),
                ("notes", JournalNote),
                ("documents", Document),
                ("consent", Consent),
                ("legal_basis", LegalBasis),
            )
        },
    }


def case_page_read(*, user: User, pk: object, what: str, path: str) -> CaseRead:
    """:func:`case_read` for the case page: the case comes with its application, who closed
    it, how many members stated in Min side are not checked yet (``unchecked_members``) and
    whether a consent or a legal basis was ever recorded on it (``has_consent``,
    ``has_legal_basis``) and whether it has an assessment, preliminary replies, notes and
    documents (``has_assessment``, ...: most cases have none, and the page then asks no more),
    in the same query."""

    def shape(queryset: QuerySet[Case]) -> QuerySet[Case]:
        return queryset.select_related("application", "closed_by").annotate(**_case_page_parts())

    return _case_read(user=user, pk=pk, what=what, path=path, category=None, shape=shape)


def is_routed(user: User, case: Case) -> bool:
    """Is the case routed to one of the user's units (or their own draft)?"""
    if case.status == CaseStatus.DRAFT and case.created_by_id == user.pk:
        return True
    return case.routings.filter(unit_id__in=unit_ids(user)).exists()


def can_act_on(user: User, case: Case, *, routings: list[CaseRouting] | None = None) -> bool:
    """May the user change the case (register notes, assess, draft decisions)? ``routings``:
    the case's routings when already read."""
    if case.status == CaseStatus.DRAFT and case.created_by_id == user.pk:
        return True
    if routings is not None:
        held = set(unit_ids(user, CASE_WRITE))
        return any(r.unit_id in held for r in routings)
    return case.routings.filter(unit_id__in=unit_ids(user, CASE_WRITE)).exists()


def can_approve(user: User, case: Case) -> bool:
    """May the user approve or return the case's decisions (an approver of a routed unit)?"""
    return case.routings.filter(unit_id__in=unit_ids(user, DECISION_APPROVE)).exists()


def require_case_role(
    actor: User | None, case: Case, *, roles: frozenset[str] = CASE_WRITE, resident: bool = False
) -> None:
    """The check every action on a case makes first: refuse (``PermissionDenied``) unless
    ``actor`` holds one of ``roles`` (caseworker, approver) in a unit the case is routed to,
    registered the draft, or (with ``resident``) is an adult of the household (Min side)."""
    require_permission(
        actor,
        case.municipality_id,
        unit_roles=roles,
        unit_ids=case.routings.values_list("unit_id", flat=True),
        household_id=case.household_id if resident else None,
        granted=actor is not None
        and case.status == CaseStatus.DRAFT
        and case.created_by_id == actor.pk,
        stacklevel=2,
    )


OPEN = "open"
"""The case list's filter value for every case that is not closed."""


@dataclass(frozen=True)
class CaseList:
    """The case list's cases (``values()`` rows, newest first) and how many there are."""

    cases: QuerySet[Any]
    count: int


@dataclass(frozen=True)
class CaseRow:
    """One row of the case list, as the template shows it."""

    pk: int
    number: str
    household: str
    help_kinds: str
    received_on: dt.date | None
    status: str
    close_reason: str
    caseworker: str


def case_list(user: User, *, search: str = "", status: str = "", help_kind: str = "") -> CaseList:
    """The cases of :func:`cases_for_user`, filtered, with their count.

    The cases routed to the user's units are one ``EXISTS`` that PostgreSQL joins (and walks
    in the list's order for a page); the few others the user sees (their own drafts, cases
    shared with their unit) are read first by their keys, so that no ``OR`` makes PostgreSQL
    test every case of the units. Without filters the count is the routed cases, counted
    from the routing index, plus those few."""
    units = unit_ids(user)
    routed = Exists(CaseRouting.objects.filter(case_id=OuterRef("pk"), unit_id__in=units))
    others = Q(created_by=user, status=CaseStatus.DRAFT)
    shared = {g.case_id for g in grants_for_user(user)}
    if shared:
        others |= Q(pk__in=shared) & ~Q(status=CaseStatus.DRAFT)
    extra = list(
        Case.objects.filter(others).exclude(routed).order_by().values_list("pk", flat=True)
    )
    queryset = Case.objects.filter(Q(routed) | Q(pk__in=extra) if extra else Q(routed))
    filtered = bool(search or status or help_kind)
    if search:
        queryset = queryset.filter(
            Q(number__icontains=search) | Q(household__name__icontains=search)
        )
    if status == OPEN:
        queryset = queryset.exclude(status=CaseStatus.CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if help_kind:
        queryset = queryset.filter(routings__help_kind=help_kind).distinct()
    if filtered:
        count = queryset.count()
    else:
        routed_count = (
            CaseRouting.objects.filter(unit_id__in=units).values("case_id").distinct().count()
        )
        count = routed_count + len(extra)
    # What the list shows: its kinds of help, not whole municipalities, units and users.
    rows = queryset.values(
        "pk",
        "number",
        "status",
        "close_reason",
        "received_on",
        "household_id",
        "household__name",
        "assigned_to__first_name",
        "assigned_to__last_name",
        "assigned_to__username",
    )
    return CaseList(rows, count)


def case_rows(cases: Iterable[dict[str, Any]]) -> list[CaseRow]:
    """The rows of a page of :func:`case_list`, with their kinds of help (one query)."""
    cases = list(cases)
    kinds: dict[int, list[str]] = {}
    labels = dict(HelpKind.choices)
    for case_id, kind in CaseRouting.objects.filter(
        case_id__in=[c["pk"] for c in cases]
    ).values_list("case_id", "help_kind"):
        kinds.setdefault(case_id, []).append(str(labels.get(kind, kind)))
    statuses = dict(CaseStatus.choices)
    reasons = dict(CloseReason.choices)
    rows = []
    for c in cases:
        username = c["assigned_to__username"]
        name = f"{c['assigned_to__first_name']} {c['assigned_to__last_name']}".strip()
        rows.append(
            CaseRow(
                pk=c["pk"],
                number=c["number"],
                household=c["household__name"],
                help_kinds=", ".join(kinds.get(c["pk"], ())),
                received_on=c["received_on"],
                status=str(statuses.get(c["status"], c["status"])),
                close_reason=str(reasons.get(c["close_reason"], c["close_reason"])).lower()
                if c["status"] == CaseStatus.CLOSED
                else "",
                caseworker=(name or username) if username is not None else "",
            )
        )
    return rows


def decision_get_for_user(user: User, pk: object) -> Decision:
    queryset = Decision.objects.filter(
        case__in=cases_for_user(user, category="decisions")
    ).select_related("case", "case__municipality", "drafted_by", "approved_by", "follow_up_unit")
    return cast(Decision, get_or_404(queryset, pk))


def document_get_for_user(user: User, pk: object) -> Document:
    queryset = Document.objects.filter(case__in=cases_for_user(user, category="documents"))
    return cast(Document, get_or_404(queryset, pk))


def appeal_get_for_user(user: User, pk: object) -> Appeal:
    queryset = Appeal.objects.filter(
        decision__case__in=cases_for_user(user, category="decisions")
    ).select_related("decision", "decision__case", "decision__case__municipality")
    return cast(Appeal, get_or_404(queryset, pk))


PRELIMINARY_REPLY_NEAR_DAYS = 5
"""Working days before the § 11a month ends from which the work list offers a preliminary
reply (a week ahead, and of course once it has passed)."""


@dataclass(frozen=True, slots=True)
class WorkCase:
    """A case as the work list and the start page show it, read as plain values (three models
    built per row cost more than reading the rows, issue 17)."""

    pk: int
    number: str
    status: str
    received_on: dt.date | None
    household_id: int
    household_name: str
    caseworker: str
    """Whom it is assigned to (``get_full_name()``, else the username), "" for nobody."""


def _work_cases(ids: list[int]) -> dict[int, WorkCase]:
    """The cases of ``ids`` by key (none asked: no query, as ``in_bulk``; the keys as one
    array, not a parameter each)."""
    if not ids:
        return {}
    rows = Case.objects.filter(InKeys("pk", ids)).values_list(
        "pk",
        "number",
        "status",
        "received_on",
        "household_id",
        "household__name",
        "assigned_to_id",
        "assigned_to__first_name",
        "assigned_to__last_name",
        "assigned_to__username",
    )
    return {
        pk: WorkCase(
            pk,
            number,
            status,
            received_on,
            household_id,
            household_name,
            ""
            if worker is None
            # What ``User.get_full_name() or username`` gives.
            else f"{first_name} {last_name}".strip() or username,
        )
        for (
            pk,
            number,
            status,
            received_on,
            household_id,
            household_name,
            worker,
            first_name,
            last_name,
            username,
        ) in rows
    }


def _work_case(case: Case) -> WorkCase:
    """A case read as a model (the deadline order's rows) as :class:`WorkCase`."""
    worker = case.assigned_to
    return WorkCase(
        case.pk,
        case.number,
        case.status,
        case.received_on,
        case.household_id,
        case.household.name,
        (worker.get_full_name() or worker.username) if worker else "",
    )


@dataclass(frozen=True)
class DeadlineItem:
    case: Case | WorkCase
    what: str
    due: dt.date
    business_days_left: int

    @property
    def reply_is_due(self) -> bool:
        """The § 11a month is about to end (or has): offer to send a preliminary reply."""
        return (
            self.what == "preliminary_reply"
            and self.business_days_left <= PRELIMINARY_REPLY_NEAR_DAYS
        )


@dataclass(frozen=True)
class WorkFilter:
    """What the user narrows the work list to: one of their units, a kind of help, a status,
    a deadline window; and how the cases are ordered."""

    unit_id: int | None = None
    help_kind: str = ""
    status: str = ""
    deadline: str = ""  # "" (all), "overdue", "week" (due within five working days)
    sort: str = "received"  # "received" (oldest first), "deadline" (soonest first), "number"


DUE_SOON_BUSINESS_DAYS = 5
WORK_LIST_ROWS = 25
"""Rows shown in each part of the work list (the counts are whole; the filters narrow)."""


@dataclass(frozen=True)
class WorkList:
    new_cases: list[WorkCase]
    my_cases: list[WorkCase]
    awaiting_my_approval: list[Decision]
    appeals: list[Appeal]
    deadlines: list[DeadlineItem]
    counts: dict[str, int]
    """Whole counts, not only what is listed: new, mine, approvals, appeals, overdue, due_soon."""
    colleagues: list[User]
    """Caseworkers of the user's units, to assign a case to."""


PROCESSING_PRELIMINARY_REPLY_DAYS = 30
"""Forvaltningsloven § 11a: a preliminary reply when a case cannot be answered within a month."""


def parts_held_by(user: User, case: Case) -> QuerySet[CaseRouting]:
    """The case's routings (its parts) held by units where ``user`` works on cases."""
    return case.routings.filter(unit_id__in=unit_ids(user, CASE_WRITE)).select_related("unit")


def _in_work(case: Case) -> bool:
    return case.status not in {CaseStatus.DRAFT, CaseStatus.CLOSED}


def can_take(user: User, case: Case, *, routings: list[CaseRouting] | None = None) -> bool:
    """Whether ``user`` can take a part of the received, open case: one held by their units
    that is not theirs yet. ``routings``: the case's routings when already read."""
    if routings is not None:
        held = set(unit_ids(user, CASE_WRITE))
        return _in_work(case) and any(
            r.unit_id in held and r.assigned_to_id != user.pk for r in routings
        )
    return _in_work(case) and parts_held_by(user, case).exclude(assigned_to=user).exists()


def can_refer(user: User, case: Case, *, routings: list[CaseRouting] | None = None) -> bool:
    """Whether ``user`` can send a part of the received, open case on: their units hold one."""
    if routings is not None:
        held = set(unit_ids(user, CASE_WRITE))
        return _in_work(case) and any(r.unit_id in held for r in routings)
    return _in_work(case) and parts_held_by(user, case).exists()


def work_list(
    user: User,
    *,
    today: dt.date,
    filters: WorkFilter | None = None,
    limit: int = WORK_LIST_ROWS,
    with_colleagues: bool = True,
) -> WorkList:
    """What waits for the user and the user's units, with deadlines on the Norwegian calendar.
    Only cases routed to the user's units: shared cases are read, not worked on. ``filters``
    narrows the cases and deadlines; the counts follow the filters too. ``with_colleagues``
    says whether to find whom a case can be given to (the start page gives none)."""
    filters = filters or WorkFilter()
    # Received cases are never drafts: without the own drafts the database can join.
    routed = cases_for_user(user, shared=False, drafts=False)
    # New for the user's units: a received case with a part for one of them still open, that
    # nobody in those units has taken. One door in: when the housing office has taken or decided
    # its part, NAV still finds the start-loan part of the same application here.
    units = unit_ids(user)
    if filters.unit_id is not None:
        units = [unit for unit in units if unit == filters.unit_id]
    received = routed.filter(_received(units, filters))
    due = _deadlines(
        received,
        units,
        filters,
        today,
        shown=limit,
        on_decisions=lambda: (
            visible_cases(user, shared=False, via="case__", drafts=False)
            & _received(units, filters, via="case__")
        ),
        cache_key=f"{unit_ids(user)}:{units}",
        read_cases=False,
    )
    # The candidates of both lists, read first by their keys (partial indexes on the open
    # parts and on the cases being worked on), in one query: the cases of the open parts
    # nobody in the units has taken (new), and the cases assigned to the user while they are
    # worked on or with an open part of theirs (mine). The cases are then found by these keys:
    # a few hundred, where a condition with a subquery made PostgreSQL walk every case and
    # hash every routing of the units.
    new_ids: set[int] = set()
    own_ids: set[int] = set()
    candidates = _candidates(user, units, filters.help_kind)
    for pk, assigned in candidates:
        (new_ids if assigned is None else own_ids).add(pk)
    with_deadline = Q()
    if filters.deadline:
        with_deadline = Q(pk__in=due.open_cases.values("pk")) | Q(
            pk__in=due.approvals.values("case_id")
        )
    if filters.sort == "deadline":
        new_rows, new_count = _by_deadline(
            _case_rows(received.filter(InKeys("pk", new_ids), with_deadline)), due, limit
        )
        mine_rows, mine_count = _by_deadline(
            _case_rows(received.filter(InKeys("pk", own_ids), with_deadline)), due, limit
        )
        new_cases = [_work_case(case) for case in new_rows]
        mine = [_work_case(case) for case in mine_rows]
        cases = _work_cases(due.case_ids)
    else:
        # The keys of both lists in their order, in one query (the whole counts); then the rows
        # shown, with the deadlines' cases, in another.
        order = ("number", "pk") if filters.sort == "number" else ("received_on", "pk")
        keys: list[int] = []
        if new_ids or own_ids:
            keys = list(
                received.filter(InKeys("pk", new_ids | own_ids), with_deadline)
                .order_by(*order)
                .values_list("pk", flat=True)
            )
        new_keys = [pk for pk in keys if pk in new_ids]
        mine_keys = [pk for pk in keys if pk in own_ids]
        new_count, mine_count = len(new_keys), len(mine_keys)
        cases = _work_cases([*new_keys[:limit], *mine_keys[:limit], *due.case_ids])
        new_cases = [cases[pk] for pk in new_keys[:limit] if pk in cases]
        mine = [cases[pk] for pk in mine_keys[:limit] if pk in cases]
    due.take(cases, today)
    approver_units = unit_ids(user, DECISION_APPROVE)
    awaiting: list[Decision] = []
    awaiting_count = 0
    if approver_units:
        awaiting_query = (
            Decision.objects.filter(
                Exists(
                    CaseRouting.objects.filter(
                        case_id=OuterRef("case_id"), unit_id__in=approver_units
                    )
                ),
                status=DecisionStatus.AWAITING_APPROVAL,
            )
            .exclude(drafted_by=user)
            .select_related("case", "case__household")
            # What the pages show of them (not their facts, reasoning and letters).
            .only("help_kind", "kind", "case__number", "case__household__name")
        )
        if filters.help_kind:
            awaiting_query = awaiting_query.filter(help_kind=filters.help_kind)
        awaiting, awaiting_count = _first_and_count(awaiting_query, limit)
    # The cases the user sees (``cases_for_user(user, shared=False)``), as a condition on the
    # appeals' cases (a ``__in`` subquery of that queryset cost a millisecond more to build).
    appeals_query = Appeal.objects.filter(
        visible_cases(user, shared=False, via="decision__case__"),
        status__in=[AppealStatus.REGISTERED, AppealStatus.UPHELD],
    ).select_related("decision", "decision__case", "decision__case__household")
    # What the page shows of them.
    appeals_query = appeals_query.only(
        "status", "decision__case__number", "decision__case__household__name"
    )
    if filters.help_kind:
        appeals_query = appeals_query.filter(decision__help_kind=filters.help_kind)
    appeals, appeals_count = _first_and_count(appeals_query, limit)
    counts = {
        "new": new_count,
        "mine": mine_count,
        "approvals": awaiting_count,
        "appeals": appeals_count,
        "overdue": due.overdue,
        "due_soon": due.due_soon,
    }
    return WorkList(
        new_cases,
        mine,
        awaiting,
        appeals,
        due.shown,
        counts,
        colleagues(user) if with_colleagues else [],
    )


# Table names from the models; every value a parameter.
_UNTAKEN_SQL = (
    f"SELECT case_id, assigned_to_id FROM {CaseRouting._meta.db_table}"  # noqa: S608
    " WHERE unit_id {units} AND status = %s AND assigned_to_id IS NULL{help_kind}"
)
_OWN_SQL = (
    f"SELECT case_id, assigned_to_id FROM {CaseRouting._meta.db_table}"  # noqa: S608
    " WHERE assigned_to_id = %s AND status = %s"
    f" UNION ALL SELECT id, assigned_to_id FROM {Case._meta.db_table}"
    " WHERE assigned_to_id = %s AND status IN (%s, %s)"
)


def _candidates(user: User, units: list[int], help_kind: str) -> list[tuple[int, int | None]]:
    """``(case key, assigned to)`` of the work list's candidates, in one query: the open parts
    of the ``units`` (of ``help_kind``, if given) nobody has taken, the open parts assigned to
    the user, and the cases assigned to the user while they are worked on. Written out: the
    ORM's union of the three querysets cost more to build (1.5 ms) than to run."""
    sql, params = _OWN_SQL, [user.pk, RoutingStatus.OPEN.value, user.pk]
    params += [CaseStatus.SUBMITTED.value, CaseStatus.IN_PROGRESS.value]
    if units:  # no units: no untaken parts (as an empty ``__in``)
        among, keys = among_keys(units, connection)
        untaken = _UNTAKEN_SQL.format(
            units=among, help_kind=" AND help_kind = %s" if help_kind else ""
        )
        sql = f"{untaken} UNION ALL {sql}"
        params = [*keys, RoutingStatus.OPEN.value, *([help_kind] if help_kind else []), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _case_rows(query: QuerySet[Case]) -> QuerySet[Case]:
    """The work list's case rows: what its tables show, not whole municipalities and users."""
    return (
        query.select_related(None)
        .select_related("household", "assigned_to")
        .only(
            "number",
            "status",
            "received_on",
            "household__name",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
    )


def _first_and_count(query: QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """The first ``limit`` rows of ``query`` and how many rows it has in all, in one query (a
    window count: the approvals and appeals are few; not for the case lists, where PostgreSQL
    would then plan to stop early along an index and compare every row with every other)."""
    rows = list(query.annotate(whole_count=Window(Count("pk")))[:limit])
    return rows, rows[0].whole_count if rows else 0


def _received(units: list[int], filters: WorkFilter, via: str = "") -> Q:
    """The received cases the filters leave (on ``Case``, or through ``via="case__"``)."""
    received = ~Q(**{f"{via}status__in": [CaseStatus.DRAFT, CaseStatus.CLOSED]})
    if filters.status:
        received &= Q(**{f"{via}status": filters.status})
    if not filters.help_kind and filters.unit_id is None:
        return received  # no parts to ask about (a queryset made for nothing costs)
    parts = CaseRouting.objects.filter(case_id=OuterRef("case_id" if via else "pk"))
    if filters.help_kind:
        parts = parts.filter(help_kind=filters.help_kind)
    if filters.help_kind:
        received &= Q(Exists(parts))
    if filters.unit_id is not None:
        received &= Q(Exists(parts.filter(unit_id__in=units)))
    return received


def work_list_households(work: WorkList) -> list[int]:
    """Every household the work list names, for the access log."""
    cases = [*work.new_cases, *work.my_cases, *(item.case for item in work.deadlines)]
    cases += [d.case for d in work.awaiting_my_approval] + [a.decision.case for a in work.appeals]
    return [case.household_id for case in cases]


def colleagues(user: User) -> list[User]:
    """Caseworkers of the units where ``user`` works on cases: whom a case can be given to."""
    return list(
        User.objects.filter(
            memberships__unit_id__in=unit_ids(user, CASE_WRITE),
            memberships__role=Role.CASEWORKER,
            is_active=True,
        )
        .distinct()
        .only("first_name", "last_name", "username")
        .order_by("first_name", "last_name", "username")
    )


class _Deadlines:
    """The work list's deadlines: the first ``shown`` of them in order, the whole counts, and
    the querysets the filters and the deadline order need. Computed and counted in the
    database (thousands of open cases and six-month promises in a large municipality); only the
    deadlines shown are built as items in Python."""

    def __init__(
        self,
        *,
        shown: list[DeadlineItem],
        overdue: int,
        due_soon: int,
        open_cases: Any,
        open_parts: Callable[[], Exists],
        open_filter: Q,
        approvals: Any,
    ) -> None:
        self.shown = shown
        self.firsts: list[tuple[int, str, dt.date]] = []
        """The deadlines shown, as ``(case key, what, due)``, before their cases are read."""
        self.overdue = overdue
        self.due_soon = due_soon
        self._open_cases = open_cases
        self._open_parts = open_parts
        self._open_filter = open_filter
        self._approvals = approvals

    @property
    def case_ids(self) -> list[int]:
        """The keys of the cases whose deadlines are shown."""
        return [pk for pk, _what, _due in self.firsts]

    def take(self, cases: dict[int, Case] | dict[int, WorkCase], today: dt.date) -> None:
        """Make the deadlines shown (:attr:`shown`) from their cases, read by the caller."""
        self.shown = [
            _item(cases[pk], what, due, today) for pk, what, due in self.firsts if pk in cases
        ]

    @functools.cached_property
    def open_cases(self) -> QuerySet[Case]:
        """The cases with a part open in the user's units, annotated with ``month_ends`` (the
        § 11a month, before a weekend or holiday moves it), ``promised`` (a preliminary reply
        since the month began) and ``answer_by`` (its promised date), narrowed by the
        filters (made when asked for, like :attr:`approvals`)."""
        return cast(QuerySet[Case], self._open_cases())

    @functools.cached_property
    def approvals(self) -> QuerySet[Decision]:
        """The approvals whose promise or validity is a deadline, annotated with ``due`` and
        narrowed by the filters (made when asked for: the page without a deadline filter or
        order needs them only when the kept deadlines have changed)."""
        return cast(QuerySet[Decision], self._approvals())

    def with_first_due(self, query: QuerySet[Case]) -> QuerySet[Case]:
        """``query`` (received cases) annotated with ``first_due``: the soonest of its
        deadlines before a weekend or holiday moves the § 11a month (never after the deadline,
        and in the same order up to those moves), null for a case without one; and with what
        gives its deadline (``open_first``, ``promised``, ``answer_by``, ``month_ends``,
        ``approval_first``): see :func:`_first_due`."""
        open_first = DbCase(
            When(
                Q(self._open_parts(), received_on__isnull=False) & self._open_filter,
                then=F("earliest"),
            ),
            default=None,
            output_field=DateField(),
        )
        approval_first = Subquery(
            self.approvals.filter(case_id=OuterRef("pk"))
            .order_by()
            .values("case_id")
            .annotate(first=Min("due"))
            .values("first")[:1],
            output_field=DateField(),
        )
        return (
            _with_open_deadline(query)
            .annotate(open_first=open_first, approval_first=approval_first)
            .annotate(first_due=Least("open_first", "approval_first"))
        )


def _first_due(case: Case) -> dt.date | None:
    """The soonest deadline of a case from :meth:`_Deadlines.with_first_due`: the § 11a month
    moved past weekends and holidays, or the promised answer, and its approvals' deadlines."""
    found: dt.date | None = None
    if case.open_first is not None:  # type: ignore[attr-defined]
        found = case.answer_by if case.promised else deadlines.roll_forward(case.month_ends)  # type: ignore[attr-defined]
    approval: dt.date | None = case.approval_first  # type: ignore[attr-defined]
    if approval is not None:
        found = approval if found is None else min(found, approval)
    return found


def _with_open_deadline(query: QuerySet[Case]) -> QuerySet[Case]:
    """Cases annotated with their § 11a month and promised answer. A reopened case is a new
    enquiry: the month runs from the reopening. When the household was told in a preliminary
    reply (the latest one, sent since) when to expect an answer, that is the deadline."""
    latest_reply = PreliminaryReply.objects.filter(case_id=OuterRef("pk")).order_by(
        "-sent_on", "-pk"
    )
    return (
        query.annotate(
            since=Greatest("received_on", Coalesce(TruncDate("reopened_at"), "received_on")),
            replied_on=Subquery(latest_reply.values("sent_on")[:1]),
            answer_by=Subquery(latest_reply.values("expected_by")[:1]),
        )
        .annotate(
            promised=DbCase(
                When(replied_on__gte=F("since"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            month_ends=AddDays("since", PROCESSING_PRELIMINARY_REPLY_DAYS),
        )
        .annotate(
            # The deadline, or the day before a weekend or holiday it is moved past: never
            # after the deadline, and the order of deadlines up to those moves.
            earliest=DbCase(
                When(promised=True, then=F("answer_by")),
                default=F("month_ends"),
                output_field=DateField(),
            )
        )
    )


DEADLINE_MONTHS = {
    HelpKind.START_LOAN: (deadlines.START_LOAN_APPROVAL_VALID_MONTHS, "start_loan_validity"),
    HelpKind.RENTAL_DWELLING: (deadlines.ALLOCATION_PROMISE_MONTHS, "allocation_promise"),
    HelpKind.DWELLING_WITH_SERVICES: (deadlines.ALLOCATION_PROMISE_MONTHS, "allocation_promise"),
}
"""The approvals that set a deadline, by kind of help: months from the day of issue
(``deadlines.start_loan_approval_valid_until`` and ``deadlines.allocation_deadline``, not moved
to a working day) and what the work list calls it."""


def _deadline_whens(units: list[int], today: dt.date) -> list[When]:
    """The due day of each approval that sets a deadline, in SQL: months from the day of issue
    by kind of help; the allocation promise by each municipality's dated parameter in force
    today (``deadlines.allocation_promise_months``; Rælingen's six months by default)."""
    whens = []
    promise = {HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES}
    numbers = dict(
        Unit.objects.filter(pk__in=units).values_list("municipality_id", "municipality__number")
    )
    for municipality_id, number in numbers.items():
        months = deadlines.allocation_promise_months(number, today)
        if months != deadlines.ALLOCATION_PROMISE_MONTHS:
            whens.append(
                When(
                    help_kind__in=list(promise),
                    case__municipality_id=municipality_id,
                    then=AddMonths("issued_on", months),
                )
            )
    whens += [
        When(help_kind=kind, then=AddMonths("issued_on", months))
        for kind, (months, _what) in DEADLINE_MONTHS.items()
    ]
    return whens


def last_business_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the working day before it."""
    while not deadlines.is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def _due_before(working_day: dt.date) -> Q:
    """The open cases whose deadline is before ``working_day`` (a working day): a promised
    answer by its date; the § 11a month, moved forward past weekends and holidays, when it ends
    on or before the working day before (then a working day lies between its end and
    ``working_day``)."""
    before = last_business_day(working_day - dt.timedelta(days=1))
    return Q(promised=True, answer_by__lt=working_day) | Q(promised=False, month_ends__lte=before)


def _deadlines(
    received: QuerySet[Case],
    units: list[int],
    filters: WorkFilter,
    today: dt.date,
    *,
    shown: int,
    on_decisions: Callable[[], Q] | None = None,
    cache_key: str | None = None,
    read_cases: bool = True,
) -> _Deadlines:
    """The deadlines of the ``received`` cases. ``on_decisions`` makes the same condition on
    the decisions' cases (``case__...``) when it can (made only when the approvals are read):
    then the approvals are joined to their cases by hash rather than each tested against
    ``received`` as a subquery. ``read_cases=False`` leaves reading the cases of the deadlines
    shown to the caller (:meth:`_Deadlines.take`), who reads them with its own."""
    # business_days_left < 0 (overdue): a working day has passed since the due day, that is the
    # due day is before the last working day up to today. business_days_left <= 5: due before the
    # sixth working day from today.
    overdue_before = last_business_day(today)
    soon_before = deadlines.add_business_days(today, DUE_SOON_BUSINESS_DAYS + 1)
    # The § 11a month runs for every part still open in the user's units, also when another
    # unit has already decided its own part of the same application.
    open_parts = Q(routings__unit_id__in=units, routings__status=RoutingStatus.OPEN)
    if filters.help_kind:
        open_parts &= Q(routings__help_kind=filters.help_kind)

    def make_open_parts() -> Exists:
        parts = CaseRouting.objects.filter(
            case_id=OuterRef("pk"), unit_id__in=units, status=RoutingStatus.OPEN
        )
        if filters.help_kind:
            parts = parts.filter(help_kind=filters.help_kind)
        return Exists(parts)

    def make_approvals() -> QuerySet[Decision]:
        approvals = Decision.objects.filter(
            # Not replaced: NOT EXISTS, not Django's LEFT JOIN ... IS NULL for the reverse
            # one-to-one, which PostgreSQL estimated at one row and joined in nested loops.
            ~Exists(Decision.objects.filter(replaces_id=OuterRef("pk"))),
            Q(case__in=received.values("pk")) if on_decisions is None else on_decisions(),
            status=DecisionStatus.ISSUED,
            kind=DecisionKind.APPROVAL,
            issued_on__isnull=False,
            help_kind__in=list(DEADLINE_MONTHS),
        ).annotate(
            due=DbCase(
                *_deadline_whens(units, today),
                output_field=DateField(),
            )
        )
        if filters.help_kind:
            approvals = approvals.filter(help_kind=filters.help_kind)
        if filters.deadline == "overdue":
            approvals = approvals.filter(due__lt=overdue_before)
        elif filters.deadline == "week":
            approvals = approvals.filter(due__lt=soon_before)
        return approvals

    open_filter = Q()
    if filters.deadline == "overdue":
        open_filter = _due_before(overdue_before)
    elif filters.deadline == "week":
        open_filter = _due_before(soon_before)

    def make_open_cases() -> QuerySet[Case]:
        return _with_open_deadline(
            Case.objects.filter(
                pk__in=received.filter(open_parts, received_on__isnull=False).values("pk")
            )
        ).filter(open_filter)

    result = _Deadlines(
        shown=[],
        overdue=0,
        due_soon=0,
        open_cases=make_open_cases,
        open_parts=make_open_parts,
        open_filter=open_filter,
        approvals=make_approvals,
    )

    # The first WORK_LIST_ROWS deadlines are kept whatever ``shown`` is: the start page's first
    # five are the work list's, so a change of the records has them computed once, not twice.
    kept = max(shown, WORK_LIST_ROWS)

    def compute() -> tuple[int, int, list[tuple[int, str, dt.date]]]:
        approvals, open_cases = result.approvals, result.open_cases
        counted = approvals.order_by().aggregate(
            overdue=Count("pk", filter=Q(due__lt=overdue_before)),
            due_soon=Count("pk", filter=Q(due__gte=overdue_before, due__lt=soon_before)),
        )
        overdue = _due_before(overdue_before)
        counted_open = open_cases.order_by().aggregate(
            overdue=Count("pk", filter=overdue),
            due_soon=Count("pk", filter=~overdue & _due_before(soon_before)),
        )
        items = _first_open_items(open_cases, today, kept)
        for decision in approvals.select_related("case", "case__household").order_by(
            "due", "case_id", "pk"
        )[:kept]:
            what = DEADLINE_MONTHS[HelpKind(decision.help_kind)][1]
            items.append(_item(decision.case, what, decision.due, today))  # type: ignore[attr-defined]
        items.sort(key=lambda item: (item.due, item.case.pk))
        return (
            counted["overdue"] + counted_open["overdue"],
            counted["due_soon"] + counted_open["due_soon"],
            [(item.case.pk, item.what, item.due) for item in items[:kept]],
        )

    if cache_key is None:
        overdue_n, due_soon_n, firsts = compute()
    else:
        # Thousands of open cases and promises counted per click: kept until the next change
        # of the records (husly.audit.freshness), for every user of the same units.
        overdue_n, due_soon_n, firsts = until_changed(
            f"cases:deadlines:{cache_key}:{filters}:{today.isoformat()}:{kept}", compute
        )
    result.firsts = firsts[:shown]
    if read_cases:
        result.take(Case.objects.select_related("household").in_bulk(result.case_ids), today)
    result.overdue = overdue_n
    result.due_soon = due_soon_n
    return result


def _first_open_items(open_cases: QuerySet[Case], today: dt.date, shown: int) -> list[DeadlineItem]:
    """The ``shown`` open cases with the soonest deadlines, as items. The database orders by
    ``earliest`` (the deadline before a move past a weekend or holiday); the first ``shown`` of
    that order are moved, and every case whose ``earliest`` is not after the latest of their
    deadlines is fetched: no case with a sooner deadline is left out."""
    firsts = list(open_cases.order_by("earliest", "pk").values_list("promised", "earliest")[:shown])
    if not firsts:
        return []
    bound = max(
        earliest if promised else deadlines.roll_forward(earliest) for promised, earliest in firsts
    )
    items = []
    for case in open_cases.filter(earliest__lte=bound).select_related("household"):
        if case.promised:  # type: ignore[attr-defined]
            items.append(_item(case, "answer_promised", case.answer_by, today))  # type: ignore[attr-defined]
        else:
            due = deadlines.roll_forward(case.month_ends)  # type: ignore[attr-defined]
            items.append(_item(case, "preliminary_reply", due, today))
    items.sort(key=lambda item: (item.due, item.case.pk))
    return items[:shown]


def _by_deadline(query: QuerySet[Case], due: _Deadlines, limit: int) -> tuple[list[Case], int]:
    """The first ``limit`` cases by their soonest deadline (then by key), cases without a
    deadline last, and how many there are. The database orders by the deadline before a move
    past a weekend or holiday; every case whose deadline before the move is not after the
    latest moved deadline of the first ``limit`` is fetched and ordered here: none is left out.
    Three queries, whatever the cases."""
    keyed = due.with_first_due(query)
    head = list(keyed.order_by(F("first_due").asc(nulls_last=True), "pk")[:limit])
    dated = [case.first_due for case in head if case.first_due is not None]  # type: ignore[attr-defined]
    bound = max((deadlines.roll_forward(day) for day in dated), default=dt.date.min)
    # When some of the first have no deadline, every case with one is among them.
    candidates = list(keyed.filter(first_due__lte=bound))
    candidates += [case for case in head if case.first_due is None]  # type: ignore[attr-defined]
    far = dt.date.max
    firsts = {case.pk: _first_due(case) or far for case in candidates}
    candidates.sort(key=lambda case: (firsts[case.pk], case.pk))
    return candidates[:limit], query.count()


def _item(case: Case | WorkCase, what: str, due: dt.date, today: dt.date) -> DeadlineItem:
    return DeadlineItem(
        case=case,
        what=what,
        due=due,
        business_days_left=deadlines.business_days_between(today, due),
    )


GUIDELINE_HELP = {
    "municipal_dwelling_without_services": HelpKind.RENTAL_DWELLING,
    "municipal_dwelling": HelpKind.RENTAL_DWELLING,
}
"""The kind of help a guideline set decides, by the set's ``application_kind``."""

GUIDELINE_KINDS = frozenset(GUIDELINE_HELP.values())
"""Kinds of help the municipality's allocation guideline decides (Rælingen: dwellings without
services). Other kinds are decided on their own rules, outside this guideline."""


def assessment_for_help(case: Case, help_kind: str) -> Assessment | None:
    """The latest assessment of the case against a guideline for this kind of help, or None:
    a deposit guarantee is never decided on the rental-dwelling guideline's assessment."""
    if help_kind not in GUIDELINE_KINDS:
        return None
    for assessment in case.assessments.all():
        definition = assessment.record.get("guideline_set", {}).get("definition") or {}
        applies_to = GUIDELINE_HELP.get(definition.get("application_kind", ""))
        if applies_to is None or applies_to == help_kind:
            return assessment
    return None


def _leaves_needing_judgement(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for item in items:
        children = item.get("children") or []
        if item["outcome"] != "needs_judgement":
            continue
        below = _leaves_needing_judgement(children)
        found.extend(below or [item])
    return found


@dataclass(frozen=True)
class DecisionReadiness:
    """Whether a decision on one kind of help can be drafted now: what is missing first, and
    the outcomes the caseworker may choose (none while something is missing; never a refusal by
    default)."""

    help_kind: str
    assessment: Assessment | None
    missing: list[str]
    outcomes: list[str]


def decision_readiness(case: Case, help_kind: str) -> DecisionReadiness:
    """A renewal is decided on the tenancy; a guideline kind on a complete assessment, whose
    result decides between approval and refusal; other kinds on the caseworker's own
    assessment, approval or refusal."""
    from husly.core.templatetags.husly import localised

    dwelling = help_kind in {HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES}
    if dwelling and hasattr(case, "renewal"):
        return DecisionReadiness(
            help_kind, None, [], [DecisionKind.RENEWAL, DecisionKind.RENEWAL_REFUSAL]
        )
    if help_kind not in GUIDELINE_KINDS:
        return DecisionReadiness(help_kind, None, [], [DecisionKind.APPROVAL, DecisionKind.REFUSAL])
    assessment = assessment_for_help(case, help_kind)
    if assessment is None:
        return DecisionReadiness(
            help_kind,
            None,
            [_("The case has not been assessed against the municipality's guideline.")],
            [],
        )
    if assessment.outcome == "needs_judgement":
        missing = [
            f"{c['point']} {localised(c['title'])}: {localised(c.get('explanation'))}"
            for c in _leaves_needing_judgement(assessment.record["criteria"])
        ]
        return DecisionReadiness(
            help_kind,
            assessment,
            missing or [_("The assessment is not complete.")],
            [],
        )
    # A swap is a tenant's application to move to another municipal dwelling.
    tenant = case.household.leases.filter(status="active").exists()  # type: ignore[attr-defined]
    if assessment.outcome.startswith("meets"):
        swap = [DecisionKind.SWAP] if tenant else []
        return DecisionReadiness(help_kind, assessment, [], [DecisionKind.APPROVAL, *swap])
    swap = [DecisionKind.SWAP_REFUSAL] if tenant else []
    return DecisionReadiness(help_kind, assessment, [], [DecisionKind.REFUSAL, *swap])


def preliminary_reply_get_for_user(user: User, pk: object) -> PreliminaryReply:
    queryset = PreliminaryReply.objects.filter(
        case__in=cases_for_user(user, category="decisions")
    ).select_related("case", "case__municipality")
    return cast(PreliminaryReply, get_or_404(queryset, pk))
