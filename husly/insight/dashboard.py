"""The leaders' dashboard: needs, stock, flows, the six-month promise, waits, refusals,
evictions, start loans and settlement, read from the records set-based.

Every figure is one aggregate query (or one query whose rows are reduced in Python), so the
number of queries is fixed whatever the number of households (tests/insight/test_dashboard.py
counts them). The figures are raw counts here; ``husly.insight.dashboard_views`` suppresses
small counts for readers who may not see the people behind them. How each figure is defined:
docs/leaders-guide.md, section "Dashboard".

The figures are computed again after every change to the records (``husly.audit.freshness``),
so the heavier ones are plain SQL statements with parameters (building a grouped ORM query
costs more Python than the database spends on it), and the decisions of the period are grouped
once for the flows and the start-loan figures. The tests in tests/insight/test_dashboard.py
compute every figure by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from husly.allocation.models import LIVE_ENTRY, EntryStatus, OfferStatus, WaitingListEntry
from husly.arrears.models import ArrearsCase
from husly.arrears.models import CloseReason as ArrearsCloseReason
from husly.audit.freshness import until_changed
from husly.cases.models import Case, Decision, DecisionKind, DecisionStatus, HelpKind
from husly.followup.models import VacancySegment
from husly.housing.models import DwellingStatus
from husly.loans.models import Loan, LoanApproval
from husly.organisation.models import Municipality, Role
from husly.people.models import Relation
from husly.rent.selectors import arrears_as_of
from husly.rules import deadlines
from husly.settlement.selectors import progress as settlement_progress
from husly.temporary.models import Stay
from husly.temporary.selectors import homeless_on
from husly.tenancy.models import PENDING_LEASE, EndReason, Lease, LeaseStatus

DASHBOARD_READ = frozenset(
    {Role.LEADER, Role.CASEWORKER, Role.APPROVER, Role.ALLOCATION_MEMBER, Role.ADMINISTRATOR}
)
"""Who opens the dashboard. Only readers who see every household of the municipality get
exact counts and the lists behind them (``husly.people.selectors.people_scope``); the rest,
leaders first, see aggregates with small counts suppressed."""

PERIOD_MONTHS = 12
"""Flows, waits and outcomes are counted over the last twelve whole and current months."""

DWELLING_HELP = (HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES)
"""The kinds of help that put a household on the waiting list (and under the promise)."""

HOUSEHOLD_TYPES = {
    "single": _("Single person"),
    "adults": _("Adults without children"),
    "children": _("Families with children"),
}

MOVES_ON = (EndReason.MOVED_OUT, EndReason.PURCHASED)
"""Lease endings that free a dwelling and leave the municipal stock (not renewals, swaps,
evictions, deaths or institution stays, which are shown on their own)."""

LONG_ARREARS_MONTHS = 2
"""Arrears of two months' rent or more (the point where the procedures turn to eviction)."""

LONG_STAY_DAYS = 90
"""Temporary stays longer than three months (the KOSTRA limit for families with children)."""


def household_type(persons: int, children: int) -> str:
    """``children`` when the entry counts a child, ``single`` for one person, else ``adults``."""
    if children > 0:
        return "children"
    return "single" if persons <= 1 else "adults"


def _percentiles(values: list[int]) -> tuple[int, float | None, float | None]:
    """``(n, median, 90th percentile)`` of whole days; linear interpolation between ranks
    (NumPy's default, the same as PostgreSQL's ``percentile_cont``)."""
    if not values:
        return 0, None, None
    arr = np.array(values, dtype=np.float64)
    return len(values), float(np.median(arr)), float(np.percentile(arr, 90))


def period_start(today: dt.date, months: int = PERIOD_MONTHS) -> dt.date:
    """The first day of the first month of the period (the current month is the last)."""
    return deadlines.add_months(today.replace(day=1), -(months - 1))


def month_list(today: dt.date, months: int = PERIOD_MONTHS) -> list[dt.date]:
    first = period_start(today, months)
    return [deadlines.add_months(first, k) for k in range(months)]


# --------------------------------------------------------------------------------------------
# The six-month promise and waits (one query over the waiting-list entries)
# --------------------------------------------------------------------------------------------

KEPT, BROKEN, OVERDUE, PENDING, ENDED = "kept", "broken", "overdue", "pending", "ended"


class EntryFact(NamedTuple):
    """A waiting-list entry as the dashboard counts it (a named tuple: thousands are built
    per computation)."""

    pk: int
    household_id: int
    placed_on: dt.date
    deadline: dt.date
    status: str
    closed_on: dt.date | None
    first_offer: dt.date | None
    household_type: str
    urgency: int
    promise: str


def promise_state(
    *,
    deadline: dt.date,
    status: str,
    closed_on: dt.date | None,
    first_offer: dt.date | None,
    today: dt.date,
) -> str:
    """Rælingen guideline 7.1 (``husly.rules.deadlines.allocation_deadline``): an applicant with
    *tilsagn* shall be allocated (offered) a dwelling within six months.

    ``kept``: the first offer came on or before the deadline (or the household was housed by
    then). ``broken``: the first offer came after it, or the entry closed after it without an
    offer. ``overdue``: still on the list past the deadline with no offer (broken, still open).
    ``ended``: the entry closed before the deadline without an offer (lapsed, withdrawn): the
    promise no longer ran. ``pending``: the deadline has not come yet."""
    return _promise(deadline, status, closed_on, first_offer, today)


_LIVE = frozenset(str(s.value) for s in LIVE_ENTRY)
_HOUSED = str(EntryStatus.HOUSED.value)


def _promise(
    deadline: dt.date,
    status: str,
    closed_on: dt.date | None,
    first_offer: dt.date | None,
    today: dt.date,
) -> str:
    """:func:`promise_state` with positional arguments (called once per entry)."""
    if first_offer is not None:
        return KEPT if first_offer <= deadline else BROKEN
    if status in _LIVE:
        return OVERDUE if today > deadline else PENDING
    if closed_on is None or closed_on <= deadline:
        return KEPT if status == _HOUSED else ENDED
    return BROKEN


_ENTRY_FACTS_SQL = """
SELECT e.id, e.household_id, e.placed_on, e.status, e.closed_on, o.first_offer,
       e.persons, e.children, e.urgency
FROM allocation_waitinglistentry e
LEFT JOIN (
    SELECT entry_id, MIN(made_on) AS first_offer FROM allocation_offer GROUP BY entry_id
) o ON o.entry_id = e.id
WHERE e.municipality_id = %(m)s AND e.placed_on <= %(today)s
  AND (e.status = ANY(%(live)s) OR e.placed_on >= %(since)s OR o.first_offer >= %(first)s)
"""
"""The entries with their first offer: the offers grouped once by entry and joined (grouping
the joined rows by entry cost twice as much at Oslo scale)."""


def entry_facts(municipality: Municipality, today: dt.date) -> list[EntryFact]:
    """The waiting-list entries the dashboard counts, with first offer and promise state: those
    still on the list, and those whose promise deadline or first offer can fall in the period
    (placed within the longest promise before it). Older closed entries count in no figure and
    no list behind one. One query."""
    first = period_start(today)
    since = deadlines.add_months(
        first, -deadlines.longest_allocation_promise_months(municipality.number)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _ENTRY_FACTS_SQL,
            {
                "m": municipality.pk,
                "today": today,
                "live": sorted(_LIVE),
                "since": since,
                "first": first,
            },
        )
        rows = cursor.fetchall()
    facts = []
    append = facts.append
    make = EntryFact._make
    number = municipality.number
    deadline_of: dict[dt.date, dt.date] = {}  # a few thousand distinct approval days at most
    for pk, household_id, placed, status, closed, offer, persons, children, urgency in rows:
        deadline = deadline_of.get(placed)
        if deadline is None:
            # the promise in force on the day of the approval (a dated municipal parameter)
            months = deadlines.allocation_promise_months(number, placed)
            deadline = deadline_of[placed] = deadlines.allocation_deadline(placed, months=months)
        append(
            make(
                (
                    pk,
                    household_id,
                    placed,
                    deadline,
                    status,
                    closed,
                    offer,
                    household_type(persons, children),
                    urgency,
                    _promise(deadline, status, closed, offer, today),
                )
            )
        )
    return facts


def promise_figures(facts: list[EntryFact], today: dt.date) -> dict[str, Any]:
    """Kept and broken among the promises whose deadline fell in the period (by month of the
    deadline), and the households past the deadline with no offer today. One pass over the
    facts."""
    first = period_start(today)
    months = month_list(today)
    soon = today + dt.timedelta(days=30)
    kept_in = dict.fromkeys(months, 0)
    broken_in = dict.fromkeys(months, 0)
    overdue = due = 0
    for f in facts:
        promise = f.promise
        deadline = f.deadline
        if promise == OVERDUE:
            overdue += 1
        elif promise == PENDING and deadline <= soon:
            due += 1
        if first <= deadline <= today:
            if promise == KEPT:
                kept_in[deadline.replace(day=1)] += 1
            elif promise in (BROKEN, OVERDUE):
                broken_in[deadline.replace(day=1)] += 1
    kept = sum(kept_in.values())
    broken = sum(broken_in.values())
    return {
        "kept": kept,
        "broken": broken,
        "decided": kept + broken,
        "overdue_now": overdue,
        "due_within_30_days": due,
        "months": [{"month": m, "kept": kept_in[m], "broken": broken_in[m]} for m in months],
    }


def broken_promises(facts: list[EntryFact], today: dt.date) -> list[EntryFact]:
    """The entries behind "broken": deadline in the period, not kept (overdue ones included)."""
    first = period_start(today)
    return [f for f in facts if first <= f.deadline <= today and f.promise in (BROKEN, OVERDUE)]


def wait_figures(facts: list[EntryFact], today: dt.date) -> dict[str, Any]:
    """Days from approval (placed on the list) to the first offer, for first offers made in the
    period; and days waited so far by those still on the list. By household type and in all."""
    first = period_start(today)
    offered: dict[str, list[int]] = {key: [] for key in HOUSEHOLD_TYPES}
    waiting: dict[str, list[int]] = {key: [] for key in HOUSEHOLD_TYPES}
    for f in facts:
        if f.first_offer is not None and first <= f.first_offer <= today:
            offered[f.household_type].append((f.first_offer - f.placed_on).days)
        if f.status in LIVE_ENTRY:
            waiting[f.household_type].append((today - f.placed_on).days)
    rows = []
    for key, label in HOUSEHOLD_TYPES.items():
        rows.append({"key": key, "label": label, **_wait_row(offered[key], waiting[key])})
    rows.append(
        {
            "key": "all",
            "label": _("All households"),
            **_wait_row(
                [d for v in offered.values() for d in v], [d for v in waiting.values() for d in v]
            ),
        }
    )
    return {"rows": rows}


def _wait_row(offered: list[int], waiting: list[int]) -> dict[str, Any]:
    n, median, p90 = _percentiles(offered)
    wn, wmedian, wp90 = _percentiles(waiting)
    return {
        "offered": n,
        "median": median,
        "p90": p90,
        "waiting": wn,
        "waiting_median": wmedian,
        "waiting_p90": wp90,
    }


def waiting_list(facts: list[EntryFact]) -> dict[str, Any]:
    """Live entries by urgency (rows) and household type (columns)."""
    from husly.allocation.models import Urgency

    live = [f for f in facts if f.status in LIVE_ENTRY]
    cells = Counter((f.urgency, f.household_type) for f in live)
    rows = [
        {
            "urgency": value,
            "label": label,
            "cells": [cells[(value, key)] for key in HOUSEHOLD_TYPES],
            "total": sum(cells[(value, key)] for key in HOUSEHOLD_TYPES),
        }
        for value, label in sorted(Urgency.choices, key=lambda c: -c[0])
    ]
    by_type = Counter(f.household_type for f in live)
    return {
        "total": len(live),
        "rows": rows,
        "by_type": [by_type[key] for key in HOUSEHOLD_TYPES],
    }


# --------------------------------------------------------------------------------------------
# Needs, stock, flows, outcomes
# --------------------------------------------------------------------------------------------


_TEMPORARY_SQL = """
WITH open_stays AS (
    SELECT s.household_id, s.starts_on FROM temporary_stay s
    WHERE s.municipality_id = %(m)s AND s.starts_on <= %(today)s
      AND (s.ended_on IS NULL OR s.ended_on > %(today)s)
)
SELECT (SELECT COUNT(*) FROM open_stays),
       (SELECT COUNT(*) FROM open_stays WHERE starts_on <= %(long)s),
       (SELECT COUNT(*) FROM people_householdmember hm
        WHERE hm.relation = %(child)s
          AND hm.household_id IN (SELECT household_id FROM open_stays))
"""


def temporary_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Stays open today, those longer than three months, and the children in them. One
    query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _TEMPORARY_SQL,
            {
                "m": municipality.pk,
                "today": today,
                "long": today - dt.timedelta(days=LONG_STAY_DAYS),
                "child": str(Relation.CHILD),
            },
        )
        stays, long, children = cursor.fetchone()
    return {"stays": stays, "long": long, "children": children}


ARREARS_CACHE_SECONDS = 300

_ARREARS_KEY_SQL = """
SELECT c.n, c.last, p.n, p.last, p.placed
FROM (SELECT COUNT(*) AS n, MAX(id) AS last FROM rent_rentclaim WHERE municipality_id = %(m)s) c,
     (SELECT COUNT(*) AS n, MAX(id) AS last, MAX(placed_at) AS placed
      FROM rent_payment WHERE municipality_id = %(m)s) p
"""
"""The claims and the payments there are (the arrears figures' cache key), in one query."""


def arrears_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """What the municipality's tenants owe. Summing every claim and payment of a large
    municipality (70,000 claims in the Oslo-scale demo) costs far more than the rest of the
    dashboard, so the figures are kept in the shared cache, keyed by the day and by the claims
    and payments there are (a new claim, payment or placing of a payment gives new figures at
    once); anything else shows within ``ARREARS_CACHE_SECONDS``."""
    from django.core.cache import cache

    with connection.cursor() as cursor:
        cursor.execute(_ARREARS_KEY_SQL, {"m": municipality.pk})
        n, last, p_n, p_last, placed = cursor.fetchone()
    key = "insight:arrears:{}:{}:{}:{}:{}:{}:{}".format(
        municipality.pk,
        today.isoformat(),
        n,
        last,
        p_n,
        p_last,
        placed.isoformat() if placed else "",
    )
    found = cache.get(key)
    if found is None:
        found = _arrears_figures(municipality, today)
        cache.set(key, found, ARREARS_CACHE_SECONDS)
    return dict(found)


def _arrears_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    owing = arrears_as_of(municipality=municipality, as_of=today)
    return {
        "leases": len(owing),
        "amount": sum(a.amount for a in owing.values()),
        "two_months_or_more": sum(
            1 for a in owing.values() if a.months_unpaid >= LONG_ARREARS_MONTHS
        ),
        "lease_ids": sorted(owing),
    }


_STOCK_SQL = """
SELECT d.category, COUNT(*), COUNT(*) FILTER (WHERE d.wheelchair_accessible),
       COUNT(*) FILTER (WHERE d.status = %(vacant)s)
FROM housing_dwelling d JOIN housing_building b ON b.id = d.building_id
WHERE b.municipality_id = %(m)s AND NOT d.status = %(sold)s
GROUP BY 1
"""

_ENDING_SQL = """
SELECT COUNT(*) FILTER (WHERE l.end_date <= %(m3)s), COUNT(*) FILTER (WHERE l.end_date <= %(m6)s),
       COUNT(*)
FROM tenancy_lease l
WHERE l.municipality_id = %(m)s AND l.status = %(active)s
  AND l.end_date >= %(today)s AND l.end_date <= %(m12)s
  AND NOT EXISTS (SELECT 1 FROM tenancy_lease r WHERE r.renews_id = l.id)
"""


def stock_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Dwellings in the stock (not sold) by category, with the wheelchair-accessible share and
    the vacant ones; leases ending in the next 3, 6 and 12 months with no renewal written. Two
    queries."""
    from husly.housing.models import DwellingCategory

    params = {
        "m": municipality.pk,
        "sold": str(DwellingStatus.SOLD),
        "vacant": str(DwellingStatus.VACANT),
        "active": str(LeaseStatus.ACTIVE),
        "today": today,
        "m3": deadlines.add_months(today, 3),
        "m6": deadlines.add_months(today, 6),
        "m12": deadlines.add_months(today, 12),
    }
    with connection.cursor() as cursor:
        cursor.execute(_STOCK_SQL, params)
        rows = {
            category: {"n": n, "wheelchair": wheelchair, "vacant": vacant}
            for category, n, wheelchair, vacant in cursor.fetchall()
        }
        cursor.execute(_ENDING_SQL, params)
        m3, m6, m12 = cursor.fetchone()
    categories = [
        {
            "key": key,
            "label": label,
            "n": rows.get(key, {}).get("n", 0),
            "wheelchair": rows.get(key, {}).get("wheelchair", 0),
            "vacant": rows.get(key, {}).get("vacant", 0),
        }
        for key, label in DwellingCategory.choices
    ]
    total = sum(c["n"] for c in categories)
    wheelchair = sum(c["wheelchair"] for c in categories)
    ending = {"m3": m3, "m6": m6, "m12": m12}
    return {
        "categories": categories,
        "total": total,
        "wheelchair": wheelchair,
        "wheelchair_share": wheelchair / total if total else None,
        "vacant": sum(c["vacant"] for c in categories),
        "ending": ending,
    }


def vacancy_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Days dwellings stood empty in the period, by cause (follow-up's vacancy segments, clipped
    to the period; an open segment runs to today). One query."""
    from husly.followup.models import VacancyCause

    first = period_start(today)
    end = today + dt.timedelta(days=1)
    days: Counter[str] = Counter()
    dwellings: dict[str, set[int]] = {key: set() for key in VacancyCause.values}
    for cause, dwelling_id, starts, ends in VacancySegment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=first),
        municipality=municipality,
        starts_on__lt=end,
    ).values_list("cause", "dwelling_id", "starts_on", "ends_on"):
        span = (min(ends or end, end) - max(starts, first)).days
        if span > 0:
            days[cause] += span
            dwellings[cause].add(dwelling_id)
    rows = [
        {"key": key, "label": label, "days": days[key], "dwellings": len(dwellings[key])}
        for key, label in VacancyCause.choices
    ]
    return {"rows": rows, "days": sum(days.values())}


_FLOWS_SQL = {
    "applications": """
SELECT DATE_TRUNC('month', c.received_on)::date, COUNT(*)
FROM cases_case c JOIN cases_application a ON a.case_id = c.id
WHERE c.municipality_id = %(m)s AND c.received_on >= %(first)s AND c.received_on < %(end)s
GROUP BY 1""",
    "offers": """
SELECT DATE_TRUNC('month', o.made_on)::date, COUNT(*)
FROM allocation_offer o JOIN allocation_waitinglistentry e ON e.id = o.entry_id
WHERE e.municipality_id = %(m)s AND o.made_on >= %(first)s AND o.made_on < %(end)s
GROUP BY 1""",
    "leases": """
SELECT DATE_TRUNC('month', l.start_date)::date, COUNT(*)
FROM tenancy_lease l
WHERE l.municipality_id = %(m)s AND l.renews_id IS NULL AND NOT l.status = ANY(%(pending)s)
  AND l.start_date >= %(first)s AND l.start_date < %(end)s
GROUP BY 1""",
    "moves_on": """
SELECT DATE_TRUNC('month', l.ended_on)::date, COUNT(*)
FROM tenancy_lease l
WHERE l.municipality_id = %(m)s AND l.end_reason = ANY(%(moves_on)s)
  AND l.ended_on >= %(first)s AND l.ended_on < %(end)s
GROUP BY 1""",
}
"""Four monthly series of :func:`flow_figures` as plain statements (grouped queries built by
the ORM cost more Python than the database spends on them; one UNION ALL of them was planned
with parallel workers, more CPU in all); the decisions come from :func:`issued_decisions`."""

FLOW_SERIES = ("applications", "decisions", "offers", "leases", "moves_on")


class Issued(NamedTuple):
    """Decisions issued in the period, counted by month, kind of help and kind of decision."""

    month: dt.date
    help_kind: str
    kind: str
    n: int
    amount: int | None


_ISSUED_SQL = """
SELECT DATE_TRUNC('month', d.issued_on)::date, d.help_kind, d.kind, COUNT(*), SUM(d.amount)
FROM cases_decision d JOIN cases_case c ON c.id = d.case_id
WHERE c.municipality_id = %(m)s AND d.status = %(issued)s
  AND d.issued_on >= %(first)s AND d.issued_on <= %(today)s
GROUP BY 1, 2, 3
"""


def issued_decisions(municipality: Municipality, today: dt.date) -> list[Issued]:
    """The decisions issued in the period, grouped (what the flows and the start-loan figures
    count: one pass over the decisions instead of one per figure). One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ISSUED_SQL,
            {
                "m": municipality.pk,
                "issued": str(DecisionStatus.ISSUED),
                "first": period_start(today),
                "today": today,
            },
        )
        return [Issued._make(row) for row in cursor.fetchall()]


def flow_figures(
    municipality: Municipality, today: dt.date, issued: list[Issued] | None = None
) -> dict[str, Any]:
    """Per month of the period: applications received, approvals and refusals issued (for a
    dwelling), offers made, leases started (renewals and leases not yet in force excluded) and
    moves on. Four queries, and :func:`issued_decisions` unless given."""
    first = period_start(today)
    end = today + dt.timedelta(days=1)
    params = {
        "m": municipality.pk,
        "first": first,
        "end": end,
        "pending": [str(s) for s in PENDING_LEASE],
        "moves_on": [str(r) for r in MOVES_ON],
    }
    series: dict[str, dict[dt.date, int]] = {key: {} for key in FLOW_SERIES}
    with connection.cursor() as cursor:
        for key, sql in _FLOWS_SQL.items():
            cursor.execute(sql, params)
            series[key] = dict(cursor.fetchall())
    decisions = series["decisions"]
    for row in issued_decisions(municipality, today) if issued is None else issued:
        if row.help_kind in DWELLING_HELP and row.kind in (
            DecisionKind.APPROVAL,
            DecisionKind.REFUSAL,
        ):
            decisions[row.month] = decisions.get(row.month, 0) + row.n
    months: list[dict[str, Any]] = [
        {"month": m, **{key: values.get(m, 0) for key, values in series.items()}}
        for m in month_list(today)
    ]
    totals = {key: sum(row[key] for row in months) for key in series}
    return {"months": months, "totals": totals}


REFUSAL_OUTCOMES = {
    "approved_later": _("Approved later"),
    "followed_up": _("Followed up, outcome recorded"),
    "follow_up_planned": _("Follow-up planned, not done yet"),
    "nothing_recorded": _("Nothing recorded"),
}


_REFUSALS_SQL = """
SELECT CASE
    WHEN EXISTS (
        SELECT 1 FROM cases_decision a JOIN cases_case ac ON ac.id = a.case_id
        WHERE ac.household_id = c.household_id AND a.status = %(issued)s
          AND a.kind = %(approval)s AND a.help_kind = ANY(%(help)s)
          AND a.issued_on >= d.issued_on
    ) THEN 'approved_later'
    WHEN EXISTS (
        SELECT 1 FROM followup_refusalfollowup f
        WHERE f.decision_id = d.id AND f.followed_up_on IS NOT NULL
    ) THEN 'followed_up'
    WHEN EXISTS (SELECT 1 FROM followup_refusalfollowup f WHERE f.decision_id = d.id)
    THEN 'follow_up_planned'
    ELSE 'nothing_recorded' END,
    COUNT(*)
FROM cases_decision d JOIN cases_case c ON c.id = d.case_id
WHERE c.municipality_id = %(m)s AND d.status = %(issued)s AND d.kind = %(refusal)s
  AND d.help_kind = ANY(%(help)s) AND d.issued_on >= %(first)s AND d.issued_on <= %(today)s
GROUP BY 1
"""

_REFUSED_OFFERS_SQL = """
SELECT e.status, COUNT(*)
FROM allocation_offer o JOIN allocation_waitinglistentry e ON e.id = o.entry_id
WHERE e.municipality_id = %(m)s AND o.status = %(refused)s
  AND o.made_on >= %(first)s AND o.made_on <= %(today)s
GROUP BY 1
"""


def refusal_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Refused applications for a dwelling issued in the period and what became of the
    household (the first that applies: a later approval for a dwelling, a follow-up done, a
    follow-up planned, nothing), counted by the database; offers refused in the period by where
    the household's entry stands now. Two queries."""
    params = {
        "m": municipality.pk,
        "first": period_start(today),
        "today": today,
        "issued": str(DecisionStatus.ISSUED),
        "approval": str(DecisionKind.APPROVAL),
        "refusal": str(DecisionKind.REFUSAL),
        "help": [str(k) for k in DWELLING_HELP],
        "refused": str(OfferStatus.REFUSED),
    }
    with connection.cursor() as cursor:
        cursor.execute(_REFUSALS_SQL, params)
        outcomes: Counter[str] = Counter(dict(cursor.fetchall()))
        cursor.execute(_REFUSED_OFFERS_SQL, params)
        offers = dict(cursor.fetchall())
    return {
        "refusals": sum(outcomes.values()),
        "outcomes": [
            {"key": key, "label": label, "n": outcomes[key]}
            for key, label in REFUSAL_OUTCOMES.items()
        ],
        "refused_offers": sum(offers.values()),
        "offer_outcomes": [
            {"key": key, "label": label, "n": offers.get(key, 0)}
            for key, label in EntryStatus.choices
        ],
    }


def eviction_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Arrears and eviction cases opened in the period, and evictions carried out (cases closed
    as evicted), by origin (a municipal lease, or a petition from another landlord). One
    query."""
    first = period_start(today)
    from husly.arrears.models import CaseOrigin

    rows = {
        row["origin"]: row
        for row in ArrearsCase.objects.filter(municipality=municipality)
        .filter(Q(opened_on__gte=first) | Q(closed_on__gte=first))
        .values("origin")
        .annotate(
            opened=Count("pk", filter=Q(opened_on__gte=first, opened_on__lte=today)),
            evicted=Count(
                "pk",
                filter=Q(
                    close_reason=ArrearsCloseReason.EVICTED,
                    closed_on__gte=first,
                    closed_on__lte=today,
                ),
            ),
        )
    }
    origins = [
        {
            "key": key,
            "label": label,
            "opened": rows.get(key, {}).get("opened", 0),
            "evicted": rows.get(key, {}).get("evicted", 0),
        }
        for key, label in CaseOrigin.choices
    ]
    return {
        "origins": origins,
        "opened": sum(o["opened"] for o in origins),
        "evicted": sum(o["evicted"] for o in origins),
    }


_LIVING_THERE_SQL = """
SELECT COUNT(*) FILTER (WHERE f.kind = %(case_opened)s),
       COUNT(*) FILTER (WHERE f.kind = %(case_closed)s),
       COUNT(*) FILTER (WHERE f.kind = %(collection_notice)s),
       COUNT(*) FILTER (WHERE f.kind = %(eviction_notice)s),
       COUNT(*) FILTER (WHERE f.kind = %(petition)s),
       COUNT(*) FILTER (WHERE f.kind = %(external_petition)s),
       COUNT(*) FILTER (WHERE f.kind = %(eviction)s AND f.with_children),
       COUNT(*) FILTER (WHERE f.kind = %(eviction)s AND NOT f.with_children),
       (SELECT COUNT(*) FILTER (WHERE p.offered_on >= %(first)s AND p.offered_on <= %(today)s)
               FROM followup_housingplan p WHERE p.municipality_id = %(m)s),
       (SELECT COUNT(*) FILTER (WHERE p.accepted_on >= %(first)s AND p.accepted_on <= %(today)s)
               FROM followup_housingplan p WHERE p.municipality_id = %(m)s),
       (SELECT COUNT(*) FILTER (WHERE p.declined_on >= %(first)s AND p.declined_on <= %(today)s)
               FROM followup_housingplan p WHERE p.municipality_id = %(m)s)
FROM arrears_arrearsfact f
WHERE f.municipality_id = %(m)s AND f."on" >= %(first)s AND f."on" <= %(today)s
"""


def living_there_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """The stored facts of living there in the period (issue 12), counted, never recomputed:
    arrears cases opened and closed, debt-collection notices, § 4-18 notices, petitions,
    evictions carried out with and without children (``ArrearsFact``), and bo-plans offered,
    accepted and declined (the dates on ``HousingPlan``). One query."""
    from husly.arrears.models import FactKind

    kinds = (
        FactKind.CASE_OPENED,
        FactKind.CASE_CLOSED,
        FactKind.COLLECTION_NOTICE,
        FactKind.EVICTION_NOTICE,
        FactKind.PETITION,
        FactKind.EXTERNAL_PETITION,
    )
    params: dict[str, Any] = {str(kind): str(kind) for kind in kinds}
    params.update(
        m=municipality.pk, first=period_start(today), today=today, eviction=str(FactKind.EVICTION)
    )
    with connection.cursor() as cursor:
        cursor.execute(_LIVING_THERE_SQL, params)
        row = cursor.fetchone()
    keys = [str(kind) for kind in kinds] + [
        "eviction_with_children",
        "eviction_without_children",
        "plans_offered",
        "plans_accepted",
        "plans_declined",
    ]
    return dict(zip(keys, row, strict=True))


LIVING_THERE_ROWS = (
    ("case_opened", _("Arrears cases opened")),
    ("case_closed", _("Arrears cases closed")),
    ("collection_notice", _("Debt-collection notices sent")),
    ("eviction_notice", _("Notices of eviction petition sent (§ 4-18)")),
    ("petition", _("Eviction petitions sent")),
    ("external_petition", _("Petitions from other landlords registered")),
    ("eviction_with_children", _("Evictions carried out, children in the household")),
    ("eviction_without_children", _("Evictions carried out, no children")),
    ("plans_offered", _("Bo-plans offered")),
    ("plans_accepted", _("Bo-plans accepted")),
    ("plans_declined", _("Bo-plans declined")),
)
"""The rows of the living-there figures, in the order the dashboard shows them."""


def loan_figures(
    municipality: Municipality, today: dt.date, issued: list[Issued] | None = None
) -> dict[str, Any]:
    """Start loans approved (and the establishment grants in them) and refused in the period,
    loans paid out, and grants decided on their own. Two queries, and
    :func:`issued_decisions` unless given."""
    first = period_start(today)
    counts: Counter[str] = Counter()
    grant_amount = 0
    for row in issued_decisions(municipality, today) if issued is None else issued:
        if row.help_kind == HelpKind.START_LOAN and row.kind in (
            DecisionKind.APPROVAL,
            DecisionKind.REFUSAL,
        ):
            counts[f"loan_{row.kind}"] += row.n
        elif row.help_kind == HelpKind.GRANT and row.kind == DecisionKind.APPROVAL:
            counts["grants"] += row.n
            grant_amount += row.amount or 0
    terms = LoanApproval.objects.filter(
        decision__case__municipality=municipality,
        decision__status=DecisionStatus.ISSUED,
        decision__issued_on__gte=first,
        decision__issued_on__lte=today,
        decision__help_kind=HelpKind.START_LOAN,
        decision__kind=DecisionKind.APPROVAL,
    ).aggregate(
        amount=Sum("amount"),
        with_grant=Count("pk", filter=Q(grant_amount__gt=0)),
        grant_amount=Sum("grant_amount"),
    )
    paid = Loan.objects.filter(
        municipality=municipality, disbursed_on__gte=first, disbursed_on__lte=today
    ).aggregate(n=Count("pk"), amount=Sum(F("principal")))
    return {
        "approved": counts["loan_approval"],
        "approved_amount": terms["amount"] or 0,
        "refused": counts["loan_refusal"],
        "with_grant": terms["with_grant"],
        "loan_grant_amount": terms["grant_amount"] or 0,
        "disbursed": paid["n"],
        "disbursed_amount": paid["amount"] or 0,
        "grants": counts["grants"],
        "grant_amount": grant_amount,
    }


def settlement_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    progress = settlement_progress(municipality, today.year)
    return {
        "year": today.year,
        "decided": progress.decision.total if progress.decision else None,
        "settled": progress.settled_persons,
        "households": progress.settled_households,
        "expected": progress.expected_persons,
        "remaining": progress.remaining,
    }


def promise_months_today(municipality: Municipality, today: dt.date) -> int:
    """The promise in force today (``municipal.<number>.allocation.promise_months``): what the
    dashboard's texts name. Each entry's own deadline counts by the promise in force on the day
    of its approval (:func:`entry_facts`)."""
    return deadlines.allocation_promise_months(municipality.number, today)


def dashboard(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Every figure of the dashboard for one municipality on ``today``, kept until the records
    change (``husly.audit.freshness``): leaders open it often, the records change seldom."""
    return until_changed(
        f"insight:dashboard:{municipality.pk}:{today.isoformat()}",
        lambda: dashboard_figures(municipality, today),
    )


def dashboard_figures(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """Every figure of the dashboard for one municipality on ``today``. A fixed number of
    queries, whatever the number of households, dwellings or cases."""
    facts = entry_facts(municipality, today)
    issued = issued_decisions(municipality, today)
    homeless = homeless_on(municipality.pk, today)
    first = period_start(today)
    return {
        "today": today,
        "period_start": first,
        "promise_months": promise_months_today(municipality, today),
        "applications_open": Case.objects.filter(
            municipality=municipality,
            application__isnull=False,
            status__in=("submitted", "in_progress"),
        ).count(),
        "waiting": waiting_list(facts),
        "homeless": len(homeless),
        "temporary": temporary_figures(municipality, today),
        "arrears": arrears_figures(municipality, today),
        "stock": stock_figures(municipality, today),
        "vacancy": vacancy_figures(municipality, today),
        "flows": flow_figures(municipality, today, issued),
        "promise": promise_figures(facts, today),
        "waits": wait_figures(facts, today),
        "refusals": refusal_figures(municipality, today),
        "evictions": eviction_figures(municipality, today),
        "living_there": living_there_figures(municipality, today),
        "loans": loan_figures(municipality, today, issued),
        "settlement": settlement_figures(municipality, today),
    }


# --------------------------------------------------------------------------------------------
# The lists behind the figures (for readers who may see the people) and the leaders' breakdown
# --------------------------------------------------------------------------------------------

DRILLS = {
    "promise_broken": _("Six-month promises broken in the period"),
    "promise_overdue": _("On the list past the six months, no offer yet"),
    "waiting": _("Households on the waiting list"),
    "temporary": _("Households in temporary accommodation today"),
    "arrears": _("Tenants in arrears"),
    "evictions": _("Evictions carried out in the period"),
    "refusals": _("Refused applications for a dwelling in the period"),
}
"""The figures with a list behind them, by URL key."""

PROMISE_DRILLS = ("promise_broken", "promise_overdue")

OVERDUE_BUCKETS = (
    (30, _("Up to 30 days")),
    (90, _("31 to 90 days")),
    (180, _("91 to 180 days")),
    (None, _("More than 180 days")),
)


@dataclass(frozen=True)
class DrillRow:
    household_id: int
    household: str
    reference: str
    date: dt.date | None
    detail: str


def promise_subset(key: str, facts: list[EntryFact], today: dt.date) -> list[EntryFact]:
    if key == "promise_broken":
        return broken_promises(facts, today)
    return [f for f in facts if f.promise == OVERDUE]


def days_over(fact: EntryFact, today: dt.date) -> int:
    """Days past the deadline until the first offer (or the closing, or today)."""
    end = fact.first_offer or fact.closed_on or today
    return max((end - fact.deadline).days, 0)


def promise_breakdown(subset: list[EntryFact], today: dt.date) -> dict[str, Any]:
    """Aggregates of the broken promises for readers who may not see the households: by
    household type, urgency and how long past the deadline."""
    from husly.allocation.models import Urgency

    by_type = Counter(f.household_type for f in subset)
    by_urgency = Counter(f.urgency for f in subset)
    buckets: Counter[int] = Counter()
    for f in subset:
        over = days_over(f, today)
        for index, (limit, _label) in enumerate(OVERDUE_BUCKETS):
            if limit is None or over <= limit:
                buckets[index] += 1
                break
    return {
        "total": len(subset),
        "by_type": [{"label": label, "n": by_type[key]} for key, label in HOUSEHOLD_TYPES.items()],
        "by_urgency": [
            {"label": label, "n": by_urgency[value]}
            for value, label in sorted(Urgency.choices, key=lambda c: -c[0])
        ],
        "by_days_over": [
            {"label": label, "n": buckets[index]}
            for index, (_limit, label) in enumerate(OVERDUE_BUCKETS)
        ],
    }


def _entry_rows(subset: list[EntryFact], today: dt.date) -> list[DrillRow]:
    by_pk = {f.pk: f for f in subset}
    entries = WaitingListEntry.objects.filter(pk__in=list(by_pk)).select_related(
        "household", "decision__case"
    )
    rows = []
    for entry in entries:
        fact = by_pk[entry.pk]
        rows.append(
            DrillRow(
                household_id=entry.household_id,
                household=entry.household.name,
                reference=entry.decision.case.number,
                date=fact.deadline,
                detail=str(HOUSEHOLD_TYPES[fact.household_type]),
            )
        )
    return sorted(rows, key=lambda r: (r.date or today, r.household))


def drill_rows(municipality: Municipality, key: str, today: dt.date) -> list[DrillRow]:
    """The households behind one figure: a fixed number of queries."""
    first = period_start(today)
    if key in PROMISE_DRILLS:
        return _entry_rows(promise_subset(key, entry_facts(municipality, today), today), today)
    if key == "waiting":
        live = [f for f in entry_facts(municipality, today) if f.status in LIVE_ENTRY]
        return _entry_rows(live, today)
    if key == "temporary":
        stays = Stay.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            municipality=municipality,
            starts_on__lte=today,
        ).select_related("household")
        return [
            DrillRow(s.household_id, s.household.name, "", s.starts_on, "")
            for s in stays.order_by("starts_on", "pk")
        ]
    if key == "arrears":
        owing = arrears_as_of(municipality=municipality, as_of=today)
        leases = Lease.objects.filter(pk__in=list(owing)).select_related(
            "household", "dwelling__building"
        )
        return sorted(
            (
                DrillRow(
                    lease.household_id,
                    lease.household.name,
                    str(lease.dwelling),
                    owing[lease.pk].oldest_unpaid_due,
                    f"{owing[lease.pk].amount} kr",
                )
                for lease in leases
            ),
            key=lambda r: (r.date or today, r.household),
        )
    if key == "evictions":
        cases = ArrearsCase.objects.filter(
            municipality=municipality,
            close_reason=ArrearsCloseReason.EVICTED,
            closed_on__gte=first,
            closed_on__lte=today,
        ).select_related("household")
        return [
            DrillRow(c.household_id, c.household.name, "", c.closed_on, c.get_origin_display())
            for c in cases.order_by("closed_on", "pk")
        ]
    if key == "refusals":
        decisions = Decision.objects.filter(
            case__municipality=municipality,
            status=DecisionStatus.ISSUED,
            kind=DecisionKind.REFUSAL,
            help_kind__in=DWELLING_HELP,
            issued_on__gte=first,
            issued_on__lte=today,
        ).select_related("case__household")
        return [
            DrillRow(d.case.household_id, d.case.household.name, d.case.number, d.issued_on, "")
            for d in decisions.order_by("issued_on", "pk")
        ]
    raise KeyError(key)
