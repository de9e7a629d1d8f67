"""The work list a caseworker works in all day: filters, order, whole counts, giving a case to
a colleague, and «Ny søknad» from the case list. Every page that names households logs the
reads."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from husly.audit.models import AccessEvent
from husly.cases import actions, selectors
from husly.cases.models import Case, CaseRouting
from husly.cases.selectors import WorkFilter
from tests.cases.helpers import ELIGIBLE
from tests.conftest import _user
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(actor, household, kinds=("rental_dwelling",)) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=actor,
        household=household,
        channel="phone",
        help_kinds=list(kinds),
        data=ELIGIBLE,
        submit=True,
    )


def _household(municipality, name: str):  # type: ignore[no-untyped-def]
    return HouseholdFactory(
        municipality=municipality, applicant=PersonFactory(municipality=municipality), name=name
    )


@pytest.fixture
def three_cases(sara, raelingen, routing):  # type: ignore[no-untyped-def]
    """An old dwelling case (past its § 11a month), a newer start-loan case for NAV and a new
    guarantee case."""
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)):
        old = _case(sara, _household(raelingen, "Gammel"))
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)):
        loan = _case(sara, _household(raelingen, "Lån"), kinds=["start_loan"])
        guarantee = _case(sara, _household(raelingen, "Garanti"), kinds=["deposit_guarantee"])
    return old, loan, guarantee


TODAY = dt.date(2026, 12, 2)


def test_the_work_list_filters_by_kind_and_deadline_and_counts_what_it_filters(
    sara, three_cases
) -> None:
    old, _loan, guarantee = three_cases
    everything = selectors.work_list(sara, today=TODAY)
    assert [c.pk for c in everything.new_cases] == [old.pk, guarantee.pk]  # NAV's loan is not
    assert everything.counts["new"] == 2
    assert everything.counts["overdue"] == 1  # the old case's month ran out in October
    guarantees = selectors.work_list(
        sara, today=TODAY, filters=WorkFilter(help_kind="deposit_guarantee")
    )
    assert [c.pk for c in guarantees.new_cases] == [guarantee.pk]
    assert guarantees.counts["new"] == 1
    assert guarantees.counts["overdue"] == 0
    overdue = selectors.work_list(sara, today=TODAY, filters=WorkFilter(deadline="overdue"))
    assert [c.pk for c in overdue.new_cases] == [old.pk]
    assert [item.case.pk for item in overdue.deadlines] == [old.pk]


def test_the_work_list_orders_by_received_deadline_or_number(sara, three_cases) -> None:
    old, _loan, guarantee = three_cases
    by_number = selectors.work_list(sara, today=TODAY, filters=WorkFilter(sort="number"))
    expected = sorted([old, guarantee], key=lambda c: c.number)
    assert [c.pk for c in by_number.new_cases] == [c.pk for c in expected]
    by_deadline = selectors.work_list(sara, today=TODAY, filters=WorkFilter(sort="deadline"))
    assert by_deadline.new_cases[0].pk == old.pk


def test_the_work_list_page_filters_from_the_query_string_and_logs_the_reads(
    sara, three_cases
) -> None:
    old, _loan, guarantee = three_cases
    before = AccessEvent.objects.count()
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)):
        page = _client(sara).get(reverse("cases:work_list"), {"help_kind": "deposit_guarantee"})
    html = page.content.decode()
    assert page.status_code == 200
    assert guarantee.number in html
    assert f">{old.number}<" not in html
    applicant = guarantee.household.members.get(relation="applicant").person
    logged = AccessEvent.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert applicant.pk in {event.person_id for event in logged}
    assert all(event.what == "work_list" for event in logged)


def test_a_caseworker_gives_a_new_case_to_a_colleague_from_the_work_list(
    sara, housing_office, three_cases
) -> None:
    old, _loan, _guarantee = three_cases
    hanne = _user("hanne", housing_office, "caseworker")
    response = _client(sara).post(
        reverse("cases:case_assign", args=[old.pk]),
        {"caseworker": hanne.pk, "next": reverse("cases:work_list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:work_list")
    part = CaseRouting.objects.get(case=old)
    assert part.assigned_to == hanne
    assert [c.pk for c in selectors.work_list(hanne, today=TODAY).my_cases] == [old.pk]
    assert old.pk not in [c.pk for c in selectors.work_list(sara, today=TODAY).new_cases]


def test_a_case_is_not_given_to_someone_outside_the_units_that_hold_it(
    sara, routing, three_cases
) -> None:
    """NAV's caseworker is no colleague of the housing office for a dwelling case: refused in
    the action, with nothing written."""
    old, _loan, _guarantee = three_cases
    nora = _user("nora", routing, "caseworker")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="kollega i en enhet"):
        actions.case_assign(actor=sara, case=old, caseworker=nora)
    assert CaseRouting.objects.get(case=old).assigned_to is None
    # The form only offers colleagues, so the page refuses the stranger as an invalid choice.
    response = _client(sara).post(
        reverse("cases:case_assign", args=[old.pk]), {"caseworker": nora.pk}, follow=True
    )
    assert response.status_code == 200
    assert CaseRouting.objects.get(case=old).assigned_to is None


def test_an_allocation_member_cannot_assign_cases(sara, housing_office, three_cases) -> None:
    old, _loan, _guarantee = three_cases
    member = _user("tove", housing_office, "allocation_member")
    response = _client(member).post(
        reverse("cases:case_assign", args=[old.pk]), {"caseworker": sara.pk}
    )
    assert response.status_code in {403, 404}
    assert CaseRouting.objects.get(case=old).assigned_to is None


def test_the_case_list_offers_a_new_application_to_those_who_register_them(
    sara, lise, household, routing
) -> None:
    assert (
        reverse("cases:case_new") in _client(sara).get(reverse("cases:case_list")).content.decode()
    )
    assert (
        reverse("cases:case_new")
        not in _client(lise).get(reverse("cases:case_list")).content.decode()
    )
    assert _client(lise).get(reverse("cases:case_new")).status_code == 403


def test_new_application_finds_the_household_and_logs_who_was_shown(sara, household) -> None:
    applicant = household.members.get(relation="applicant").person
    before = AccessEvent.objects.filter(person_id=applicant.pk).count()
    page = _client(sara).get(reverse("cases:case_new"), {"q": "Nordmann"})
    html = page.content.decode()
    assert reverse("cases:case_create", args=[household.pk]) in html
    assert AccessEvent.objects.filter(person_id=applicant.pk).count() == before + 1


def test_the_start_page_is_a_task_list_with_counts_for_a_caseworker(
    sara, lise, three_cases
) -> None:
    old, _loan, guarantee = three_cases
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)):
        html = _client(sara).get(reverse("home")).content.decode()
        leader = _client(lise).get(reverse("home")).content.decode()
    assert "Oppgavene dine" in html
    assert old.number in html and guarantee.number in html
    assert "dager over fristen" in html  # the old case's § 11a month
    # The leader gets aggregates, never the households.
    assert old.number not in leader and "Gammel" not in leader


def test_the_deadlines_kept_between_clicks_follow_an_action_at_once(sara, three_cases) -> None:
    """The deadline counts are kept until the records change (husly.audit.freshness): a case
    closed (an action, with its change event) leaves them on the next click."""
    old, _loan, _guarantee = three_cases
    before = selectors.work_list(sara, today=TODAY)
    assert old.pk in [item.case.pk for item in before.deadlines]
    assert before.counts["overdue"] >= 1
    actions.case_close(actor=sara, case=old, reason="other", note="Flyttet til annen kommune.")
    after = selectors.work_list(sara, today=TODAY)
    assert old.pk not in [item.case.pk for item in after.deadlines]
    assert after.counts["overdue"] == before.counts["overdue"] - 1


def test_the_start_page_shows_the_work_lists_first_deadlines_computed_once_for_both(
    sara, three_cases
) -> None:
    """The start page's few deadlines are the first of the work list's, kept together: after
    the start page the work list computes nothing again (as many queries as on a second
    visit)."""
    start = selectors.work_list(sara, today=TODAY, limit=1, with_colleagues=False)
    with CaptureQueriesContext(connection) as after_start:
        work = selectors.work_list(sara, today=TODAY)
    with CaptureQueriesContext(connection) as second_visit:
        selectors.work_list(sara, today=TODAY)
    assert len(after_start) == len(second_visit)
    shown = [item.case.pk for item in work.deadlines]
    assert len(shown) == 2  # more than the start page shows
    assert [item.case.pk for item in start.deadlines] == shown[:1]


def _lists_by_definition(user, filters: WorkFilter) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    """The new and own cases as their definitions read, plainly (subqueries), in the list's
    order: what the work list's candidate keys must give."""
    units = selectors.unit_ids(user)
    if filters.unit_id is not None:
        units = [unit for unit in units if unit == filters.unit_id]
    received = selectors.cases_for_user(user, shared=False, drafts=False).filter(
        selectors._received(units, filters)
    )
    untaken = CaseRouting.objects.filter(unit_id__in=units, status="open", assigned_to=None)
    if filters.help_kind:
        untaken = untaken.filter(help_kind=filters.help_kind)
    own = Q(assigned_to=user, status__in=["submitted", "in_progress"]) | Q(
        pk__in=CaseRouting.objects.filter(assigned_to=user, status="open").values("case_id")
    )
    order = ("number", "pk") if filters.sort == "number" else ("received_on", "pk")
    new = received.filter(pk__in=untaken.values("case_id")).order_by(*order)
    return list(new.values_list("pk", flat=True)), list(
        received.filter(own).order_by(*order).values_list("pk", flat=True)
    )


def test_the_new_and_own_cases_are_those_their_definitions_give(  # type: ignore[no-untyped-def]
    sara, raelingen, housing_office, routing
) -> None:
    """The work list reads the candidates' keys first (untaken parts, the user's cases and
    parts) and then the cases by them: the same cases, order and counts as the definitions,
    with every filter."""
    hanne = _user("hanne", housing_office, "caseworker")
    day = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    made = []
    for n, kinds in enumerate(
        [["rental_dwelling"], ["rental_dwelling", "start_loan"], ["deposit_guarantee"]] * 3
    ):
        with time_machine.travel(day + dt.timedelta(days=(7 * n) % 11)):
            made.append(_case(sara, _household(raelingen, f"H{n}"), kinds))
    untaken, both, mine, mine_and_new, moved, closed, part_done, hannes, other = made
    # Mine by the case: assigned while an open part of the unit is still untaken (new too).
    Case.objects.filter(pk=mine_and_new.pk).update(assigned_to=sara, status="in_progress")
    # Mine by the part: the housing office's part of a two-part case is hers, the case not.
    CaseRouting.objects.filter(case=both, unit=housing_office).update(assigned_to=sara)
    actions.case_assign(actor=sara, case=mine, caseworker=sara)
    # Hers by the case, but no longer routed to her units: not on her list.
    Case.objects.filter(pk=moved.pk).update(assigned_to=sara, status="in_progress")
    CaseRouting.objects.filter(case=moved).update(unit=routing)
    # Closed, or her part done: not hers to work on.
    Case.objects.filter(pk=closed.pk).update(
        assigned_to=sara, status="closed", closed_at=day, close_reason="withdrawn"
    )
    CaseRouting.objects.filter(case=part_done).update(assigned_to=sara, status="done")
    actions.case_assign(actor=hanne, case=hannes, caseworker=hanne)
    del other, untaken
    seen = set()
    for filters in [
        WorkFilter(),
        WorkFilter(sort="number"),
        WorkFilter(help_kind="rental_dwelling"),
        WorkFilter(help_kind="start_loan"),
        WorkFilter(status="in_progress"),
        WorkFilter(unit_id=housing_office.pk),
        WorkFilter(unit_id=routing.pk),
        WorkFilter(sort="deadline"),
        WorkFilter(deadline="overdue", sort="number"),
    ]:
        new, own = _lists_by_definition(sara, filters)
        work = selectors.work_list(sara, today=TODAY, filters=filters, limit=4)
        assert (work.counts["new"], work.counts["mine"]) == (len(new), len(own)), filters
        if filters.sort == "deadline":  # another order: the same cases first
            assert {c.pk for c in work.new_cases} <= set(new), filters
            assert {c.pk for c in work.my_cases} <= set(own), filters
        else:
            assert [c.pk for c in work.new_cases] == new[:4], filters
            assert [c.pk for c in work.my_cases] == own[:4], filters
        seen |= set(own)
    # The list tells apart what it should: each kind of own case was there to be found.
    assert {mine.pk, both.pk, mine_and_new.pk} <= seen
    assert not {moved.pk, closed.pk, part_done.pk, hannes.pk} & seen
    everything = selectors.work_list(sara, today=TODAY)
    assert mine_and_new.pk in {c.pk for c in everything.new_cases}
    assert mine_and_new.pk in {c.pk for c in everything.my_cases}


def test_a_user_without_case_units_has_an_empty_work_list(eirik, sara, raelingen, routing) -> None:  # type: ignore[no-untyped-def]
    """No units: the candidates' query asks for no untaken parts (no empty ``IN ()``)."""
    household = HouseholdFactory(
        municipality=raelingen, applicant=PersonFactory(municipality=raelingen)
    )
    actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    assert selectors.unit_ids(eirik) == []
    for filters in (WorkFilter(), WorkFilter(help_kind="rental_dwelling", sort="number")):
        work = selectors.work_list(eirik, today=TODAY, filters=filters)
        assert (work.new_cases, work.my_cases, work.deadlines) == ([], [], [])
        assert work.counts["new"] == work.counts["mine"] == 0
    # Sara's units have it, new.
    assert len(selectors.work_list(sara, today=TODAY).new_cases) == 1
