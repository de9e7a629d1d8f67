"""Reads of the waiting list, runs, meetings and offers, scoped to the user's municipalities.

One access function per object type; anything outside the user's access is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast, overload

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery

from husly.allocation.engine import household_record
from husly.allocation.models import (
    LIVE_ENTRY,
    AllocationMeeting,
    AllocationPolicy,
    EntryStatus,
    MatchingRun,
    MeetingItem,
    Offer,
    OfferStatus,
    WaitingListEntry,
)
from husly.cases.models import RoutingRule
from husly.housing.models import DwellingCategory
from husly.matching import Households, PriorityBreakdown, PriorityPolicy, Vocabulary, score_priority
from husly.matching.priority import COMPONENT_LABELS, COMPONENTS
from husly.organisation.access import (
    get_or_404,
    memberships_of,
    municipality_ids,
    require_permission,
)
from husly.organisation.models import Municipality, Role, User
from husly.people.models import ADULT_RELATIONS
from husly.rules import deadlines

ALLOCATION_READ = frozenset({Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER})
"""Roles that may work with the waiting list, narrowed by :func:`allocation_municipality_ids`."""
POLICY_WRITE = frozenset({Role.ADMINISTRATOR})
STATS_READ = frozenset({Role.LEADER, Role.ALLOCATION_MEMBER, Role.ADMINISTRATOR})


DWELLING_KINDS = ["rental_dwelling", "dwelling_with_services"]


def allocation_municipality_ids(user: User) -> list[int]:
    """Municipalities whose waiting list the user works with: allocation meeting members, and
    caseworkers or approvers in a unit that handles applications for municipal dwellings (by the
    routing rules). Caseworkers of other units (NAV, refugee service) see no waiting list."""
    cached: list[int] | None = getattr(user, "_husly_allocation_municipalities", None)
    if cached is not None:
        return cached
    members = set(municipality_ids(user, {Role.ALLOCATION_MEMBER}))
    # The user's units from the request's membership rows (no query of their own).
    casework = {Role.CASEWORKER, Role.APPROVER}
    units = [unit_id for unit_id, _m_id, role in memberships_of(user) if role in casework]
    handling = (
        RoutingRule.objects.filter(unit_id__in=units, help_kind__in=DWELLING_KINDS).values_list(
            "municipality_id", flat=True
        )
        if units  # (no casework unit: nothing to ask, nor a query to build)
        else ()
    )
    result = sorted(members | set(handling))
    user._husly_allocation_municipalities = result  # type: ignore[attr-defined]
    return result


def can_allocate(user: User, municipality_id: int) -> bool:
    return municipality_id in allocation_municipality_ids(user)


def households_waiting(user: User, units: list[int]) -> Q:
    """``Q`` on ``Household`` (registered with ``husly.people.hooks``): the households on the
    waiting lists the user works with (their meetings decide on them)."""
    entries = WaitingListEntry.objects.filter(
        municipality_id__in=allocation_municipality_ids(user), status__in=LIVE_ENTRY
    )
    return Q(pk__in=entries.values("household_id"))


def require_allocation_role(
    actor: User | None,
    municipality_id: int,
    *,
    also: frozenset[str] = frozenset(),
    household_id: int | None = None,
) -> None:
    """The check every allocation and tenancy action makes first (``PermissionDenied``
    otherwise): allocation meeting members of the municipality, and caseworkers or approvers of
    a unit that handles applications for municipal dwellings (as :func:`can_allocate`); roles
    in ``also`` anywhere in the municipality; the household itself when ``household_id`` is
    given (Min side)."""
    require_permission(
        actor,
        municipality_id,
        {Role.ALLOCATION_MEMBER} | also,
        unit_roles={Role.CASEWORKER, Role.APPROVER},
        unit_ids=RoutingRule.objects.filter(
            municipality_id=municipality_id, help_kind__in=DWELLING_KINDS
        ).values_list("unit_id", flat=True),
        household_id=household_id,
        stacklevel=2,
    )


def entries_for_user(user: User) -> QuerySet[WaitingListEntry]:
    return WaitingListEntry.objects.filter(
        municipality_id__in=allocation_municipality_ids(user)
    ).select_related("household", "decision", "decision__case", "municipality")


def entry_get_for_user(user: User, pk: object) -> WaitingListEntry:
    return cast(WaitingListEntry, get_or_404(entries_for_user(user), pk))


def runs_for_user(user: User) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.filter(municipality_id__in=allocation_municipality_ids(user))


def current_priority() -> Subquery:
    """The priority of the policy in force (``actions.current_policy``) in the municipality of
    the object a query reads (its ``municipality_id``), for an annotation: ``None`` when the
    municipality has no policy (the default's)."""
    policies = AllocationPolicy.objects.filter(municipality=OuterRef("municipality_id"))
    return Subquery(
        policies.order_by("-created_at", "-pk").values("priority")[:1], output_field=JSONField()
    )


def run_get_for_user(user: User, pk: object) -> MatchingRun:
    # The stored input (the snapshot: every household weighed) is read only for a replay.
    # The page shows the policy's version and who made the run, and the priority groups of the
    # policy in force (``current_priority``).
    queryset = (
        runs_for_user(user)
        .defer("snapshot")
        .select_related("policy", "created_by")
        .annotate(current_priority=current_priority())
    )
    return cast(MatchingRun, get_or_404(queryset, pk))


def meetings_for_user(user: User) -> QuerySet[AllocationMeeting]:
    return AllocationMeeting.objects.filter(municipality_id__in=allocation_municipality_ids(user))


def meeting_get_for_user(user: User, pk: object) -> AllocationMeeting:
    return cast(AllocationMeeting, get_or_404(meetings_for_user(user), pk))


def meeting_read_for_user(user: User, pk: object) -> AllocationMeeting:
    """As :func:`meeting_get_for_user`, with the meeting's proposal (``run``) without its stored
    input (the meeting page shows when the proposal was made and how good it is) and the
    priority of the policy in force (``current_priority``)."""
    queryset = (
        meetings_for_user(user)
        .select_related("run")
        .defer("run__snapshot")
        .annotate(current_priority=current_priority())
    )
    return cast(AllocationMeeting, get_or_404(queryset, pk))


def item_get_for_user(user: User, pk: object) -> MeetingItem:
    queryset = MeetingItem.objects.filter(
        meeting__municipality_id__in=allocation_municipality_ids(user)
    ).select_related("meeting", "dwelling", "dwelling__building", "proposed_entry")
    return cast(MeetingItem, get_or_404(queryset, pk))


def offers_for_user(user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(
        entry__municipality_id__in=allocation_municipality_ids(user)
    ).select_related("entry", "entry__household", "dwelling", "dwelling__building")


def offer_get_for_user(user: User, pk: object) -> Offer:
    return cast(Offer, get_or_404(offers_for_user(user), pk))


def my_offers(user: User) -> QuerySet[Offer]:
    """A resident's offers: households where they are an adult member."""
    return (
        Offer.objects.filter(
            entry__household__members__person__national_id=user.resident.national_id,
            entry__household__members__relation__in=list(ADULT_RELATIONS),
        )
        .distinct()
        .select_related("dwelling", "dwelling__building", "entry__municipality")
    )


def my_offer(user: User, pk: object) -> Offer:
    return cast(Offer, get_or_404(my_offers(user), pk))


@dataclass(frozen=True)
class Row:
    entry: WaitingListEntry
    priority: PriorityBreakdown
    waited_days: int
    promise: dt.date
    days_left: int


@dataclass(frozen=True)
class Line:
    """A row as the waiting list shows it: the priority's total, group and the points of each
    component that gives any (``(label, points)``, the breakdown's items without their
    explanations, which the list does not show)."""

    entry: WaitingListEntry
    total: float
    band: str
    items: tuple[tuple[str, float], ...]
    waited_days: int
    promise: dt.date
    days_left: int


class _Promises:
    """The six-month promise of each entry (Rælingen guideline 7.1), counted by its
    municipality's dated parameter in force on the day it was placed, with the municipality's
    number and each day's value looked up once per list, not once per row."""

    def __init__(self, numbers: dict[int, str] | None = None) -> None:
        self.numbers: dict[int, str] = dict(numbers or {})
        self.months: dict[tuple[str, dt.date], int] = {}

    def of(self, entry: WaitingListEntry) -> dt.date:
        if getattr(entry, "municipality_id", None) is None:  # a plain record (tests, exports)
            return deadlines.allocation_deadline(entry.placed_on)
        number = self.numbers.get(entry.municipality_id)
        if number is None:
            number = Municipality.objects.values_list("number", flat=True).get(
                pk=entry.municipality_id
            )
            self.numbers[entry.municipality_id] = number
        key = (number, entry.placed_on)
        if key not in self.months:
            self.months[key] = deadlines.allocation_promise_months(number, entry.placed_on)
        return deadlines.allocation_deadline(entry.placed_on, months=self.months[key])


def scored(
    entries: list[WaitingListEntry], policy_data: dict[str, Any], today: dt.date
) -> list[Row]:
    """Priority with its breakdown for each entry, highest first (policy in force)."""
    if not entries:
        return []
    vocab = Vocabulary(districts=("–",), categories=tuple(DwellingCategory.values))
    records = [household_record(e, today, set()) for e in entries]
    households = Households.from_records(records, vocab)
    scores = score_priority(PriorityPolicy.from_mapping(policy_data), households)
    rows = []
    promises = _Promises()
    for index, entry in enumerate(entries):
        promise = promises.of(entry)
        rows.append(
            Row(
                entry=entry,
                priority=scores.breakdown(index),
                waited_days=(today - entry.placed_on).days,
                promise=promise,
                days_left=(promise - today).days,
            )
        )
    rows.sort(key=lambda r: (-r.priority.total, r.entry.placed_on, r.entry.pk))
    return rows


class RankedList(Sequence[Row]):
    """The live entries in priority order, highest first (as ``scored``), scored together in
    one NumPy pass; a row's breakdown is built only when the row is read (the page shown)."""

    def __init__(
        self,
        entries: list[WaitingListEntry],
        policy_data: dict[str, Any],
        today: dt.date,
        numbers: dict[int, str] | None = None,
    ) -> None:
        """``numbers``: the municipalities' numbers by id where the caller has them (each one
        missing is read once)."""
        self.entries, self.today = entries, today
        self.promises = _Promises(numbers)
        if not entries:
            self.order: list[int] = []
            return
        vocab = Vocabulary(districts=("–",), categories=tuple(DwellingCategory.values))
        records = [household_record(e, today, set()) for e in entries]
        households = Households.from_records(records, vocab)
        self.scores = score_priority(PriorityPolicy.from_mapping(policy_data), households)
        totals = self.scores.total
        self.order = sorted(
            range(len(entries)),
            key=lambda i: (-float(totals[i]), entries[i].placed_on, entries[i].pk),
        )

    def __len__(self) -> int:
        return len(self.order)

    def row(self, index: int) -> Row:
        """The row of ``entries[index]`` (not of the ``index``-th in priority order)."""
        entry = self.entries[index]
        promise = self.promises.of(entry)
        return Row(
            entry=entry,
            priority=self.scores.breakdown(index),
            waited_days=(self.today - entry.placed_on).days,
            promise=promise,
            days_left=(promise - self.today).days,
        )

    def lines(self, indexes: Sequence[int] | None = None) -> list[Line]:
        """The :class:`Line` of ``entries[index]`` for each of ``indexes`` (by default every
        entry in priority order): the same figures as :meth:`row`, read from the scores'
        arrays once for all (a page need not build fifty itemised breakdowns)."""
        if indexes is None:
            indexes = self.order
        if not indexes:
            return []
        points, totals = self.scores.points.tolist(), self.scores.total.tolist()
        bands = [name for name, _minimum in self.scores.policy.bands]
        band_of = self.scores.band.tolist()
        labels = [COMPONENT_LABELS[name] for name in COMPONENTS]
        lines = []
        for index in indexes:
            entry = self.entries[index]
            promise = self.promises.of(entry)
            lines.append(
                Line(
                    entry=entry,
                    total=totals[index],
                    band=bands[band_of[index]],
                    items=tuple(
                        (label, value)
                        for label, value in zip(labels, points[index], strict=True)
                        if value
                    ),
                    waited_days=(self.today - entry.placed_on).days,
                    promise=promise,
                    days_left=(promise - self.today).days,
                )
            )
        return lines

    @overload
    def __getitem__(self, key: int) -> Row: ...
    @overload
    def __getitem__(self, key: slice) -> list[Row]: ...
    def __getitem__(self, key: int | slice) -> Row | list[Row]:
        if isinstance(key, slice):
            return [self.row(i) for i in self.order[key]]
        return self.row(self.order[key])


def live_entries(user: User) -> list[WaitingListEntry]:
    return list(entries_for_user(user).filter(status__in=LIVE_ENTRY))


SCORING_FIELDS = (
    "pk",
    "placed_on",
    "status",
    "persons",
    "categories",
    "medical",
    "social",
    "children",
    "urgency",
    "manual_points",
    "manual_reason",
    "allowed_districts",
    "preferred_district",
    "max_floor",
    "needs_wheelchair",
    "heavy_needs",
)


def live_entries_for_scoring(user: User) -> list[WaitingListEntry]:
    """The live entries with only what the priority needs (no household, no decision): the
    whole list is scored to order it, then one page is fetched in full (``page_rows``)."""
    rows = WaitingListEntry.objects.filter(
        municipality_id__in=allocation_municipality_ids(user), status__in=LIVE_ENTRY
    ).values(*SCORING_FIELDS)
    # Plain records, not model instances: building 2,000 models costs more than scoring them.
    return [cast(WaitingListEntry, SimpleNamespace(**row)) for row in rows]


def ranked_entry_ids(user: User, policy_data: dict[str, Any], today: dt.date) -> list[int]:
    """The ids of the live entries the user works with, highest priority first (the order of
    :class:`RankedList`): every live entry is scored to order the list, and only the ids are
    kept, so that a page can be cut from it without the whole list."""
    entries = live_entries_for_scoring(user)
    ranked = RankedList(entries, policy_data, today)
    return [int(entries[index].pk) for index in ranked.order]


PAGE_FIELDS = (*SCORING_FIELDS, "municipality_id", "household_id", "household__name")
"""What a row of the waiting list needs of its entry: the scoring fields, the municipality (the
promise), the household's key (the access log) and name."""


def page_rows(
    ids: Sequence[int],
    policy_data: dict[str, Any],
    today: dt.date,
    numbers: dict[int, str] | None = None,
) -> list[Row]:
    """The rows of one page of the waiting list, in the order of ``ids``: the entries read in
    one query as plain records with only what a row shows (``PAGE_FIELDS``; ``entry.household``
    has the name) and scored (a household's priority depends on its own record and the policy
    only, so scoring the page gives the breakdown scoring all gives). An entry gone since the
    ids were ranked is left out. ``numbers`` as for :class:`RankedList`."""
    ranked = _page_ranked(ids, policy_data, today, numbers)
    return [ranked.row(index) for index in range(len(ranked.entries))]


def page_lines(
    ids: Sequence[int],
    policy_data: dict[str, Any],
    today: dt.date,
    numbers: dict[int, str] | None = None,
) -> list[Line]:
    """As :func:`page_rows`, each row as the list shows it (:class:`Line`)."""
    ranked = _page_ranked(ids, policy_data, today, numbers)
    return ranked.lines(range(len(ranked.entries)))


def _page_ranked(
    ids: Sequence[int],
    policy_data: dict[str, Any],
    today: dt.date,
    numbers: dict[int, str] | None,
) -> RankedList:
    by_pk = {}
    for row in WaitingListEntry.objects.filter(pk__in=ids).values(*PAGE_FIELDS):
        household = SimpleNamespace(pk=row["household_id"], name=row.pop("household__name"))
        by_pk[row["pk"]] = cast(WaitingListEntry, SimpleNamespace(**row, household=household))
    entries = [by_pk[pk] for pk in ids if pk in by_pk]
    return RankedList(entries, policy_data, today, numbers)


def on_hold(user: User) -> QuerySet[WaitingListEntry]:
    return entries_for_user(user).filter(status=EntryStatus.ON_HOLD)


def open_offers(user: User) -> QuerySet[Offer]:
    return offers_for_user(user).filter(status__in=[OfferStatus.OPEN, OfferStatus.ACCEPTED])
