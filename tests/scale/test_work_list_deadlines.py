"""The work list's deadlines, computed and counted in the database, are those the rules give
when each case is computed one by one in Python (``husly.rules.deadlines``), on many cases and
on days next to weekends and holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from husly.cases import selectors
from husly.cases.models import (
    Case,
    CaseRouting,
    CaseStatus,
    Decision,
    DecisionKind,
    DecisionStatus,
    HelpKind,
    PreliminaryReply,
)
from husly.cases.selectors import WorkFilter
from husly.demo import history
from husly.demo.builder import DemoGenerator
from husly.organisation.models import Unit, User
from husly.people.models import Household
from husly.rules import deadlines

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


def _expected(user: User, today: dt.date) -> list[tuple[dt.date, int, str, int]]:
    """Every deadline of the user's work list, one case at a time (the rules, in Python)."""
    units = selectors.unit_ids(user)
    received = selectors.cases_for_user(user, shared=False).exclude(
        status__in=[CaseStatus.DRAFT, CaseStatus.CLOSED]
    )
    found = []
    open_cases = received.filter(
        routings__unit_id__in=units, routings__status="open", received_on__isnull=False
    ).distinct()
    for case in open_cases:
        since = case.received_on
        if case.reopened_at is not None:
            since = max(since, timezone.localtime(case.reopened_at).date())
        reply = case.preliminary_replies.order_by("-sent_on", "-pk").first()
        if reply is not None and reply.sent_on >= since:
            what, due = "answer_promised", reply.expected_by
        else:
            what = "preliminary_reply"
            due = deadlines.roll_forward(since + dt.timedelta(days=30))
        found.append((due, case.pk, what, deadlines.business_days_between(today, due)))
    for decision in Decision.objects.filter(
        case__in=received, status=DecisionStatus.ISSUED, kind=DecisionKind.APPROVAL
    ):
        if decision.issued_on is None or hasattr(decision, "replaced_by"):
            continue
        if decision.help_kind == HelpKind.START_LOAN:
            what, due = (
                "start_loan_validity",
                deadlines.start_loan_approval_valid_until(decision.issued_on),
            )
        elif decision.help_kind in {HelpKind.RENTAL_DWELLING, HelpKind.DWELLING_WITH_SERVICES}:
            what, due = "allocation_promise", deadlines.allocation_deadline(decision.issued_on)
        else:
            continue
        found.append((due, decision.case_id, what, deadlines.business_days_between(today, due)))
    return sorted(found)


def test_the_work_list_deadlines_are_the_rules_one_by_one() -> None:
    demo = DemoGenerator("small", seed=3, as_of=AS_OF, with_cases=False).run()
    cast = history.Cast(
        caseworker=User.objects.get(username="saksbehandler"),
        approver=User.objects.get(username="godkjenner"),
        nav=User.objects.get(username="nav"),
        follow_up_unit=Unit.objects.get(municipality=demo, kind="follow_up"),
    )
    households = list(Household.objects.filter(municipality=demo).order_by("pk"))
    history.seed_volume_history(demo, households[:150], cast, seed=4, as_of=AS_OF, years=2)
    history.seed_case_history(demo, households[150:175], cast, seed=4, as_of=AS_OF)
    # Approvals issued on the last days of long months (31 August + 6 months is 28 February),
    # and a preliminary reply that promises an answer.
    approvals = list(
        Decision.objects.filter(case__municipality=demo, kind=DecisionKind.APPROVAL).order_by("pk")[
            :4
        ]
    )
    for decision, day in zip(
        approvals,
        [dt.date(2026, 8, 31), dt.date(2026, 5, 31), dt.date(2026, 3, 31), dt.date(2024, 8, 31)],
        strict=False,
    ):
        Decision.objects.filter(pk=decision.pk).update(issued_on=day)
    open_case = Case.objects.filter(municipality=demo, status=CaseStatus.IN_PROGRESS).first()
    if open_case is not None:
        PreliminaryReply.objects.create(
            case=open_case,
            sent_on=AS_OF,
            expected_by=dt.date(2026, 12, 24),
            reason="Saken trenger mer tid.",
            sent_by=cast.caseworker,
        )
    sara = cast.caseworker
    # Every other open part is sara's, the rest nobody's: both lists longer than shown.
    open_parts = CaseRouting.objects.filter(case__municipality=demo, status="open").order_by("pk")
    CaseRouting.objects.filter(pk__in=list(open_parts.values_list("pk", flat=True))[::2]).update(
        assigned_to=sara
    )
    CaseRouting.objects.filter(pk__in=list(open_parts.values_list("pk", flat=True))[1::2]).update(
        assigned_to=None
    )
    # A Monday, a Saturday, Maundy Thursday, the day before Christmas Eve, a Sunday.
    for today in [
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 7),
        dt.date(2027, 3, 25),
        dt.date(2026, 12, 23),
        dt.date(2026, 5, 17),
    ]:
        expected = _expected(sara, today)
        assert len(expected) > 20
        work = selectors.work_list(sara, today=today, limit=1000)
        shown = [(i.due, i.case.pk, i.what, i.business_days_left) for i in work.deadlines]
        assert shown == expected[:2000], today
        assert work.counts["overdue"] == sum(1 for e in expected if e[3] < 0), today
        assert work.counts["due_soon"] == sum(1 for e in expected if 0 <= e[3] <= 5), today
        first = selectors.work_list(sara, today=today, limit=5)
        assert [(i.due, i.case.pk) for i in first.deadlines] == [e[:2] for e in expected[:5]]
        week = selectors.work_list(sara, today=today, filters=WorkFilter(deadline="week"))
        assert [(i.due, i.case.pk) for i in week.deadlines] == [
            e[:2] for e in expected if e[3] <= 5
        ][: selectors.WORK_LIST_ROWS]
        _assert_ordered_by_deadline(sara, today, expected)


def _assert_ordered_by_deadline(
    user: User, today: dt.date, expected: list[tuple[dt.date, int, str, int]]
) -> None:
    """The new and own cases in deadline order (ordered in the database, the moves past
    weekends and holidays in Python) are the first of all of them ordered one by one by their
    soonest deadline, cases without a deadline last."""
    soonest: dict[int, dt.date] = {}
    for due, case_id, _what, _left in expected:  # sorted: the first is the soonest
        soonest.setdefault(case_id, due)
    every = selectors.work_list(user, today=today, filters=WorkFilter(sort="number"), limit=5000)
    first = selectors.work_list(user, today=today, filters=WorkFilter(sort="deadline"), limit=5)
    longest = 0
    for part, count in (("new_cases", "new"), ("my_cases", "mine")):
        cases = getattr(every, part)
        assert len(cases) == every.counts[count] == first.counts[count]
        longest = max(longest, len(cases))
        ordered = sorted(cases, key=lambda case: (soonest.get(case.pk, dt.date.max), case.pk))
        assert [c.pk for c in getattr(first, part)] == [c.pk for c in ordered[:5]], (part, today)
    assert longest > 5  # more cases than shown: the order decides which
