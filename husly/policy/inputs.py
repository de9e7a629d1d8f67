"""Today's state and the rates, read from the database for the simulation (``husly.simulation``
takes plain data; this module is the only place that reads models for it).

A fixed number of queries whatever the size of the municipality; the counting is done in
Python over plain rows. What each rate rests on is returned with it (``basis``) so the page and
Min side can say it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import numpy as np
from django.db.models import Q

from husly.allocation.models import (
    ACCEPTED_OFFER,
    LIVE_ENTRY,
    Offer,
    OfferStatus,
    RefusalRule,
    WaitingListEntry,
)
from husly.housing.models import Dwelling, DwellingStatus
from husly.matching.priority import PriorityPolicy
from husly.organisation.models import Municipality
from husly.rules import deadlines
from husly.simulation import (
    GROUPS,
    ArrivalTemplates,
    Levers,
    SimulationInput,
    Stock,
    Waiting,
)
from husly.simulation.estimate import HistoryCounts, estimate_rates
from husly.temporary.models import Stay
from husly.tenancy.models import EndReason, Lease, LeaseStatus, RenewalApplication

HISTORY_MONTHS = 24
DAYS_PER_MONTH = 30.4375
FAMILIES = GROUPS.index("families_with_children")
DISABILITY = GROUPS.index("disability")
OTHER = GROUPS.index("other")


def _months(days: float) -> int:
    return round(days / DAYS_PER_MONTH)


REFUGEES = GROUPS.index("refugees")
YOUNG = GROUPS.index("young")


def group_of(
    children: int, needs_wheelchair: bool, *, refugee: bool = False, young: bool = False
) -> int:
    """The household's primary group, the first that applies in ``GROUPS`` order: children's
    situation assessed on the entry (families with children), a refugee (a member on protection
    grounds or settled through the settlement of refugees), young (the main applicant 18 to 25),
    wheelchair need or a reduced functional ability (disability), else other. The same
    definitions as fairness monitoring (``husly.insight.fairness``). Substance use is not
    recorded in Husly, so nobody is put in that group (ADR 0019, ADR 0031)."""
    if children > 0:
        return FAMILIES
    if refugee:
        return REFUGEES
    if young:
        return YOUNG
    if needs_wheelchair:
        return DISABILITY
    return OTHER


def _groups(rows: list[tuple[Any, ...]], on: dt.date) -> list[int]:
    """Each entry row's group, from what the records hold about its household (three queries,
    whatever the number of rows; ``husly.insight.fairness_selectors.household_facts``)."""
    from husly.insight.fairness import YOUNG_AGES
    from husly.insight.fairness_selectors import household_facts

    if not rows:
        return []
    facts = household_facts({int(r[1]) for r in rows})
    index = {int(h): k for k, h in enumerate(facts.household.tolist())}
    today = np.datetime64(on, "D")
    ages = (today - facts.applicant_born.astype("datetime64[D]")).astype("timedelta64[D]")
    years = np.where(np.isnat(facts.applicant_born), -1, ages.astype(np.int64) // 365.25).astype(
        np.int64
    )
    out = []
    for r in rows:
        k = index.get(int(r[1]))
        refugee = bool(facts.refugee[k]) if k is not None else False
        age = int(years[k]) if k is not None else -1
        disabled = bool(facts.disability[k] == 1) if k is not None else False
        out.append(
            group_of(
                r[6],
                bool(r[7]) or disabled,
                refugee=refugee,
                young=YOUNG_AGES[0] <= age <= YOUNG_AGES[1],
            )
        )
    return out


RESIDENCE_KINDS = frozenset({"residence_period"})
"""Criterion kinds that are the residence requirement (*botidskrav*: lived, or been registered,
in the municipality for a period; ``husly.rules.guidelines.kinds``). Lawful residence in
Norway and being registered in the municipality today are other requirements."""


def _residence_only(node: dict[str, Any]) -> bool:
    """The criterion is not met, and would be if the residence requirement were lifted."""
    if node.get("outcome") != "not_met":
        return False
    if node.get("kind") in RESIDENCE_KINDS:
        return True
    children = node.get("children") or []
    failed = [c for c in children if c.get("outcome") == "not_met"]
    if not failed:
        return False
    if node.get("kind") == "any_of":
        return any(_residence_only(c) for c in failed)
    return all(_residence_only(c) for c in failed)


def refused_for_residence(record: dict[str, Any]) -> bool:
    """A stored assessment (``Assessment.record``) whose only unmet requirements are the
    residence requirement: the household would have been approved without it."""
    failed = [c for c in record.get("criteria") or [] if c.get("outcome") == "not_met"]
    return bool(failed) and all(_residence_only(c) for c in failed)


def residence_refusals(
    municipality: Municipality, start: dt.date, today: dt.date
) -> list[tuple[int, int]]:
    """Refusals of a municipal dwelling issued from ``start`` to ``today`` (not replaced by
    then, e.g. after an appeal) whose assessment failed only on the residence requirement:
    (household, persons) each. Read from the decision's stored assessment; one query for the
    decisions, one for the sizes."""
    from husly.cases.models import (
        WAITING_LIST_HELP,
        Decision,
        DecisionKind,
        DecisionStatus,
    )
    from husly.people.models import HouseholdMember

    rows = (
        Decision.objects.filter(
            case__municipality=municipality,
            help_kind__in=WAITING_LIST_HELP,
            kind=DecisionKind.REFUSAL,
            status=DecisionStatus.ISSUED,
            issued_on__gte=start,
            issued_on__lte=today,
            assessment__isnull=False,
        )
        .exclude(replaced_by__issued_on__lte=today)
        .values_list("case__household_id", "assessment__record")
    )
    households = [int(h) for h, record in rows if refused_for_residence(record)]
    persons: dict[int, int] = defaultdict(int)
    for h in HouseholdMember.objects.filter(household_id__in=households).values_list(
        "household_id", flat=True
    ):
        persons[h] += 1
    return [(h, max(1, persons[h])) for h in households]


def _refused_rows(refused: list[tuple[int, int]], today: dt.date) -> list[tuple[Any, ...]]:
    """Entry-shaped rows for households refused for residence (no entry: sizes from the
    household, children from a member under 18, the other levels unassessed)."""
    from husly.insight.fairness_selectors import household_facts

    if not refused:
        return []
    facts = household_facts({h for h, _ in refused})
    index = {int(h): k for k, h in enumerate(facts.household.tolist())}
    adult = np.datetime64(today, "D") - np.timedelta64(round(18 * 365.25), "D")
    out = []
    for household, persons in refused:
        k = index.get(household)
        child = k is not None and bool(facts.youngest_born[k] > adult)
        out.append((None, household, persons, 0, 0, 0, int(child), False, today, 0))
    return out


def _entry_rows(queryset: Any) -> list[tuple[Any, ...]]:
    return list(
        queryset.values_list(
            "pk",
            "household_id",
            "persons",
            "urgency",
            "medical",
            "social",
            "children",
            "needs_wheelchair",
            "placed_on",
            "refusals",
        )
    )


def _held_offers(municipality: Municipality) -> Any:
    """Offers accepted by households still on the list (the entry closes when the lease
    begins)."""
    return Offer.objects.filter(
        entry__municipality=municipality,
        entry__status__in=LIVE_ENTRY,
        status__in=ACCEPTED_OFFER,
    )


def waiting_list(municipality: Municipality, today: dt.date) -> Waiting:
    """Today's waiting list as the simulation starts from it: the live entries, less those
    whose household has accepted an offer (as the back-test reads a past day,
    ``husly.policy.backtest.waiting_list_on``)."""
    rows = _entry_rows(
        WaitingListEntry.objects.filter(municipality=municipality, status__in=LIVE_ENTRY)
        .exclude(pk__in=_held_offers(municipality).values("entry_id"))
        .order_by("pk")
    )
    in_stay = set(
        Stay.objects.filter(municipality=municipality, ended_on__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    return Waiting(
        id=[r[0] for r in rows],
        size=[max(1, r[2]) for r in rows],
        group=_groups(rows, today),
        urgency=[r[3] for r in rows],
        medical=[r[4] for r in rows],
        social=[r[5] for r in rows],
        children=[r[6] for r in rows],
        needs_wheelchair=[r[7] for r in rows],
        waited_days=[max(0, (today - r[8]).days) for r in rows],
        in_temporary=[r[1] in in_stay for r in rows],
        refusals=[r[9] for r in rows],
    )


def stock(municipality: Municipality, today: dt.date, *, lease_months: int = 0) -> Stock:
    """Today's dwellings and the leases in force. A dwelling whose offer a household on the
    list has accepted is let from today (its household is not on the simulated list,
    :func:`waiting_list`): to the end date of the lease written for it, or, with none written
    yet, ``lease_months`` from today (0: no end)."""
    dwellings = list(
        Dwelling.objects.filter(building__municipality=municipality)
        .exclude(status=DwellingStatus.SOLD)
        .order_by("pk")
        .values_list("pk", "rooms", "wheelchair_accessible")
    )
    leases: dict[int, dt.date | None] = {}
    for dwelling, written, end in _held_offers(municipality).values_list(
        "dwelling_id", "lease__pk", "lease__end_date"
    ):
        leases[dwelling] = (
            end
            if written is not None
            else (deadlines.add_months(today, lease_months) if lease_months > 0 else None)
        )
    leases.update(
        Lease.objects.filter(municipality=municipality, status=LeaseStatus.ACTIVE).values_list(
            "dwelling_id", "end_date"
        )
    )
    occupied = [pk in leases for pk, _r, _a in dwellings]
    ends = []
    for pk, _rooms, _acc in dwellings:
        end = leases.get(pk)
        ends.append(-1 if end is None else max(0, _months((end - today).days)))
    return Stock(
        id=[d[0] for d in dwellings],
        rooms=[max(1, d[1]) for d in dwellings],
        wheelchair_accessible=[d[2] for d in dwellings],
        occupied=occupied,
        lease_end_month=ends,
        tenant_group=[OTHER if o else -1 for o in occupied],
        ready_month=[0] * len(dwellings),
    )


def history(  # noqa: PLR0912 - one pass over the leases, read top to bottom
    municipality: Municipality, today: dt.date, months: int = HISTORY_MONTHS
) -> tuple[HistoryCounts, ArrivalTemplates | None]:
    """Events of the last ``months`` months: applications by group (and the templates of new
    arrivals), offers and refusals, leases ending, moves, evictions, returns, vacancy."""
    start = today - dt.timedelta(days=round(months * DAYS_PER_MONTH))
    arrivals = _entry_rows(
        WaitingListEntry.objects.filter(
            municipality=municipality, placed_on__gte=start, placed_on__lte=today
        ).order_by("pk")
    )
    # Applicants refused only for the residence requirement arrive too when it is lifted:
    # counted with the applications and as refused (Rates.arrivals_per_month is "before the
    # residence requirement"), and they shape the templates of new arrivals.
    arrivals += _refused_rows(residence_refusals(municipality, start, today), today)
    arrival_groups = _groups(arrivals, today)
    applications = [0] * len(GROUPS)
    residence_refused = [0] * len(GROUPS)
    for g, row in zip(arrival_groups, arrivals, strict=True):
        applications[g] += 1
        residence_refused[g] += int(row[0] is None)
    offers = Offer.objects.filter(
        entry__municipality=municipality, made_on__gte=start, made_on__lte=today
    )
    n_offers = offers.count()
    n_refused = offers.filter(status=OfferStatus.REFUSED).count()

    # As the records stood on ``today``: a lease that ended after it was in force then (read on
    # a past day, a later move must not count as one that had happened).
    leases = [
        (*row[:5], None, "", row[7]) if row[5] is not None and row[5] > today else row
        for row in Lease.objects.filter(municipality=municipality, start_date__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .exclude(status__in=[LeaseStatus.DRAFT, LeaseStatus.SENT])
        .values_list(
            "pk",
            "dwelling_id",
            "household_id",
            "start_date",
            "end_date",
            "ended_on",
            "end_reason",
            "offer__made_on",
        )
    ]
    renewal_asked = set(
        RenewalApplication.objects.filter(
            lease__municipality=municipality, created_at__date__lte=today
        ).values_list("lease_id", flat=True)
    )
    later_entries: dict[int, list[dt.date]] = defaultdict(list)
    for r in arrivals:
        if r[0] is not None:
            later_entries[r[1]].append(r[8])

    exposure = moved = evicted = lease_ends = left = refused_renewal = 0
    back_nr = back_ev = 0
    for _pk, _dw, household, begins, end, ended, reason, _offered in leases:
        first = max(begins, start)
        last = min(ended or today, today)
        # A lease reaches its end only if it was still in force then: one that ended earlier
        # (a move, an eviction) is counted as that below, not as a lease end.
        if end is not None and start <= end <= today and (ended is None or ended >= end):
            lease_ends += 1
            last = min(last, end)
            if reason == EndReason.RENEWED:
                pass
            elif _pk in renewal_asked:
                refused_renewal += 1
                back_nr += _came_back(later_entries, household, ended or end)
            else:
                left += 1
        elif ended is not None and ended >= start:
            if reason == EndReason.EVICTION:
                evicted += 1
                back_ev += _came_back(later_entries, household, ended)
            elif reason != EndReason.RENEWED:
                moved += 1
        exposure += max(0, _months((last - first).days))

    vacancy_days = relets = 0
    # Turnaround: from the move-out to the next tenant's offer (the simulation offers and
    # houses in the same month, and waits are counted to the offer), or to the next lease's
    # start where the records hold no offer.
    by_dwelling: dict[int, list[tuple[dt.date, dt.date | None, dt.date]]] = defaultdict(list)
    for _pk, dwelling, _hh, begins, _end, ended, _reason, offered in leases:
        by_dwelling[dwelling].append((begins, ended, offered or begins))
    for spans in by_dwelling.values():
        spans.sort()
        for (_b0, e0, _o0), (b1, _e1, o1) in itertools.pairwise(spans):
            if e0 is not None and b1 >= e0 and start <= b1 <= today:
                vacancy_days += max(0, (o1 - e0).days)
                relets += 1

    counts = HistoryCounts(
        months=months,
        applications=applications,
        residence_refused=residence_refused,
        offers=n_offers,
        refusals=n_refused,
        exposure=exposure,
        moved_out=moved,
        evictions=evicted,
        lease_ends=lease_ends,
        left_at_end=left,
        not_renewed=refused_renewal,
        back_after_nonrenewal=back_nr,
        back_after_eviction=back_ev,
        vacancy_months=vacancy_days / DAYS_PER_MONTH,
        relets=relets,
    )
    templates = None
    if arrivals:
        templates = ArrivalTemplates(
            group=arrival_groups,
            size=[max(1, r[2]) for r in arrivals],
            urgency=[r[3] for r in arrivals],
            medical=[r[4] for r in arrivals],
            social=[r[5] for r in arrivals],
            children=[r[6] for r in arrivals],
            needs_wheelchair=[r[7] for r in arrivals],
        )
    return counts, templates


def _came_back(entries: dict[int, list[dt.date]], household: int, ended: dt.date) -> int:
    return int(
        any(ended <= placed <= ended + dt.timedelta(days=183) for placed in entries[household])
    )


def todays_levers(municipality: Municipality) -> Levers:
    """Today's policy: the allocation policy in force and the usual lease term."""
    from husly.allocation.actions import current_policy

    policy = current_policy(municipality)
    if policy is None:
        priority = PriorityPolicy(version="standard-1").to_mapping()
        allowed = 0
    else:
        priority = PriorityPolicy.from_mapping(policy.priority).to_mapping()
        allowed = 0 if policy.refusal_rule == RefusalRule.LAPSE else policy.refusals_allowed
    terms = [
        _months((end - begins).days)
        for begins, end in Lease.objects.filter(
            municipality=municipality, end_date__isnull=False
        ).values_list("start_date", "end_date")[:5000]
    ]
    length = int(np.median(terms)) if terms else 60
    return Levers(priority=priority, lease_length_months=max(1, length), refusals_allowed=allowed)


def simulation_input(
    municipality: Municipality,
    today: dt.date,
    *,
    runs: int,
    horizon_months: int,
    seed: int,
) -> tuple[SimulationInput, dict[str, Any]]:
    """The simulation's input for today's policy, and what it rests on."""
    waiting = waiting_list(municipality, today)
    counts, templates = history(municipality, today)
    rates, fell_back = estimate_rates(counts)
    if templates is None:
        # no arrivals in the window: new applicants look like today's list (or nobody arrives)
        templates = ArrivalTemplates(
            group=waiting.group,
            size=waiting.size,
            urgency=waiting.urgency,
            medical=waiting.medical,
            social=waiting.social,
            children=waiting.children,
            needs_wheelchair=waiting.needs_wheelchair,
        )
    levers = todays_levers(municipality)
    inp = SimulationInput(
        waiting=waiting,
        stock=stock(municipality, today, lease_months=levers.lease_length_months),
        templates=templates,
        rates=rates,
        levers=levers,
        horizon_months=horizon_months,
        runs=runs,
        seed=seed,
        promise_months=deadlines.allocation_promise_months(municipality.number, today),
    )
    basis = {
        "today": today.isoformat(),
        "history_months": counts.months,
        "counts": counts.to_dict(),
        "fell_back": list(fell_back),
        "waiting": len(waiting),
        "dwellings": len(inp.stock),
        "rates": rates.to_dict(),
    }
    return inp, basis
