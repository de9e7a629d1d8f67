from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.allocation import actions
from husly.allocation.models import (
    LIVE_ENTRY,
    EntryStatus,
    ItemDecision,
    MatchingRun,
    Offer,
    OfferStatus,
    RefusalRule,
    Urgency,
    WaitingListEntry,
)
from husly.audit.models import ChangeEvent
from husly.cases import actions as case_actions
from husly.cases.models import DecisionKind, DecisionStatus
from husly.matching import replay
from tests.allocation.helpers import approve, entry_of, issue, make_dwelling, make_household
from tests.cases.helpers import judge_all

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_it_places_an_approval_on_the_waiting_list_with_the_needs_the_case_states(
    sara, geir, raelingen, routing, housing_office
) -> None:
    household = make_household(raelingen, "Berg", children=2)
    decision = approve(
        sara,
        geir,
        household,
        housing_office,
        housing_kind="no_home",
        wished_districts="Løvenstad, Fjerdingby",
        needs_wheelchair_access=True,
        has_health_problems=True,
    )
    entry = WaitingListEntry.objects.get(decision=decision)
    assert entry.status == EntryStatus.WAITING
    assert entry.placed_on == dt.date(2026, 3, 5)
    assert entry.persons == 3
    assert entry.categories == ["ordinary"]
    assert entry.urgency == Urgency.HOMELESS
    assert entry.children == 1 and entry.medical == 1
    assert entry.preferred_district == "Løvenstad"
    assert entry.needs_wheelchair
    assert ChangeEvent.objects.filter(action="waiting_list_place").count() == 1


def test_a_refusal_does_not_place_anyone_on_the_list(sara, geir, raelingen, routing) -> None:
    from husly.cases import actions as case_actions
    from tests.cases.helpers import ELIGIBLE

    household = make_household(raelingen, "Lie")
    case = case_actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data={**ELIGIBLE, "municipal_arrears": 30_000, "has_repayment_agreement": False},
        submit=True,
    )
    case_actions.assessment_run(actor=sara, case=case)
    issue(sara, geir, case, kind="refusal")
    assert not WaitingListEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_the_priority_broken_down_and_the_six_month_promise(
    sara, geir, raelingen, routing
) -> None:
    approve(sara, geir, make_household(raelingen, "Berg"), housing_kind="no_home")
    response = _client(sara).get(reverse("allocation:waiting_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Berg" in text
    assert "Hastegrad (bosituasjon): 30,0" in text  # homeless, default policy
    assert "05.09.2026" in text  # six months after the approval (7.1)
    entry = WaitingListEntry.objects.get()
    detail = _client(sara).get(reverse("allocation:entry_detail", args=[entry.pk])).content
    assert "Grunnpoeng (tilsagn)" in detail.decode()


def test_a_manual_adjustment_needs_a_reason(sara, geir, raelingen, routing) -> None:
    approve(sara, geir, make_household(raelingen, "Berg"))
    entry = WaitingListEntry.objects.get()
    with pytest.raises(ValidationError):
        actions.waiting_list_entry_adjust(actor=sara, entry=entry, points=10, reason=" ")
    actions.waiting_list_entry_adjust(
        actor=sara, entry=entry, points=10, reason="Akutt behov etter brann."
    )
    entry.refresh_from_db()
    assert entry.manual_points == 10
    with pytest.raises(IntegrityError):  # the database refuses it too
        WaitingListEntry.objects.filter(pk=entry.pk).update(manual_reason="")


def test_another_municipality_sees_nothing(sara, geir, olga, raelingen, routing) -> None:
    approve(sara, geir, make_household(raelingen, "Berg"))
    entry = WaitingListEntry.objects.get()
    client = _client(olga)
    assert client.get(reverse("allocation:entry_detail", args=[entry.pk])).status_code == 404
    assert "Berg" not in client.get(reverse("allocation:waiting_list")).content.decode()


def test_a_vacancy_gets_a_ranked_shortlist_with_reasons_for_those_who_do_not_fit(
    sara, geir, raelingen, routing, vacancy
) -> None:
    approve(sara, geir, make_household(raelingen, "Berg", children=1), housing_kind="no_home")
    approve(
        sara,
        geir,
        make_household(raelingen, "Dahl", children=1),
        housing_kind="temporary_accommodation",
    )
    approve(sara, geir, make_household(raelingen, "Stor", children=5), housing_kind="no_home")
    response = _client(sara).post(reverse("allocation:shortlist", args=[vacancy.pk]))
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    names = [c["household_id"] for c in run.result["candidates"]]
    by_id = {e.pk: e.household.name for e in WaitingListEntry.objects.all()}
    assert [by_id[i] for i in names] == ["Berg", "Dahl"]  # homeless with a child first
    assert [by_id[x["household_id"]] for x in run.result["excluded"]] == ["Stor"]
    assert run.result["excluded"][0]["reasons"][0]["code"] == "too_few_rooms"
    assert run.snapshot["input"]["seed"] == run.seed
    page = _client(sara).get(reverse("allocation:run_detail", args=[run.pk])).content.decode()
    assert "Stor" in page and "Berg" in page


def _meeting(tone, raelingen):  # type: ignore[no-untyped-def]
    return actions.allocation_meeting_create(
        actor=tone,
        municipality=raelingen,
        data={"title": "Tildelingsmøte", "held_on": dt.date(2026, 3, 5)},
    )


def test_a_meeting_proposal_is_stored_replays_and_offers_nothing_until_confirmed(
    sara, geir, tone, raelingen, routing, eirik
) -> None:
    households = [make_household(raelingen, n) for n in ("Berg", "Dahl", "Eng")]
    for h, kind in zip(households, ["no_home", "with_family_or_friends", "no_home"], strict=True):
        approve(sara, geir, h, housing_kind=kind)
    first = make_dwelling(raelingen, eirik, rooms=1)
    make_dwelling(raelingen, eirik, rooms=1)
    meeting = _meeting(tone, raelingen)
    run = actions.allocation_meeting_propose(actor=tone, meeting=meeting, seed=7)
    assert run.seed == 7
    assert (
        replay(run.snapshot).to_dict(include_input=False)["assignments"]
        == (run.result["assignments"])
    )
    items = list(meeting.items.all())
    assert len(items) == 2 and all(i.proposed_entry for i in items)
    proposed = {i.proposed_entry.household.name for i in items}
    assert proposed == {"Berg", "Eng"}  # the two homeless households
    assert not Offer.objects.exists()  # the engine only proposes
    item = meeting.items.get(dwelling=first)
    with pytest.raises(ValidationError):  # another household than proposed needs a reason
        actions.meeting_item_decide(
            actor=tone, item=item, confirm=True, reason="", entry=entry_of(households[1])
        )
    actions.meeting_item_decide(actor=tone, item=item, confirm=True, reason="")
    offer = Offer.objects.get()
    assert offer.status == OfferStatus.OPEN and offer.dwelling == first
    assert offer.answer_due == offer.made_on + dt.timedelta(days=7)
    assert offer.entry.status == EntryStatus.OFFERED
    other = meeting.items.exclude(pk=item.pk).get()
    actions.meeting_item_decide(
        actor=tone, item=other, confirm=False, reason="Boligen trenger oppussing først."
    )
    with pytest.raises(ValidationError):
        actions.allocation_meeting_close(actor=tone, meeting=meeting)  # no minutes yet
    actions.allocation_meeting_update(
        actor=tone, meeting=meeting, data={"minutes": "Ett tilbud gitt.", "members": "Tone"}
    )
    actions.allocation_meeting_close(actor=tone, meeting=meeting)
    assert other.__class__.objects.get(pk=other.pk).decision == ItemDecision.REJECTED


def test_a_person_cannot_offer_a_dwelling_that_breaks_a_hard_rule(
    sara, geir, raelingen, routing, vacancy
) -> None:
    approve(sara, geir, make_household(raelingen, "Stor", children=5))
    with pytest.raises(ValidationError, match="skal ha minst 4 rom"):
        actions.offer_make(actor=sara, entry=WaitingListEntry.objects.get(), dwelling=vacancy)


def test_refusing_under_the_lapse_rule_puts_the_entry_on_hold_until_a_lapse_decision(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    approval = approve(sara, geir, household)
    entry = entry_of(household)
    offer = actions.offer_make(actor=sara, entry=entry, dwelling=vacancy)
    with pytest.raises(ValidationError):
        actions.offer_refuse(actor=sara, offer=offer, reason="")
    actions.offer_refuse(actor=sara, offer=offer, reason="For langt fra skolen.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ON_HOLD and entry.refusals == 1
    work = _client(sara).get(reverse("cases:work_list")).content.decode()
    assert reverse("allocation:entry_detail", args=[entry.pk]) in work
    lapse = actions.waiting_list_lapse_draft(actor=sara, entry=entry)
    assert lapse.kind == DecisionKind.LAPSE and lapse.replaces == approval
    assert "For langt fra skolen" in lapse.facts
    case_actions.decision_submit(actor=sara, decision=lapse)
    case_actions.decision_approve(actor=geir, decision=lapse)
    case_actions.decision_issue(actor=sara, decision=lapse)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LAPSED
    assert lapse.status == DecisionStatus.ISSUED


@time_machine.travel(NOW, tick=False)
def test_an_approval_changed_after_an_appeal_keeps_the_households_place(
    sara, geir, raelingen, routing
) -> None:
    household = make_household(raelingen, "Berg")
    first = approve(sara, geir, household)
    entry = entry_of(household)
    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        changed = issue(sara, geir, first.case, kind=DecisionKind.APPROVAL, replaces=first)
    assert entry_of(household).pk == entry.pk  # the same entry, not a second one
    entry.refresh_from_db()
    assert entry.decision == changed and entry.status == EntryStatus.WAITING
    assert entry.placed_on == first.issued_on  # the waiting time counts from the first approval
    assert ChangeEvent.objects.filter(action="waiting_list_transfer").count() == 1


@time_machine.travel(NOW, tick=False)
def test_an_approval_replaced_by_a_refusal_ends_the_entry_and_withdraws_its_offer(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    first = approve(sara, geir, household)
    offer = actions.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
    # Corrected (fvl § 35): on a new assessment the criteria are not met after all.
    judged = judge_all(first.case, sara, outcome="not_met")
    case_actions.assessment_run(actor=sara, case=first.case, judgements=judged)
    issue(sara, geir, first.case, kind=DecisionKind.REFUSAL, replaces=first)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert not WaitingListEntry.objects.filter(household=household, status__in=LIVE_ENTRY)
    assert WaitingListEntry.objects.get(household=household).status == EntryStatus.WITHDRAWN


def test_refusing_under_the_count_rule_keeps_the_place_until_the_limit(
    sara, geir, arne, raelingen, routing, eirik
) -> None:
    from husly.allocation import engine

    actions.allocation_policy_set(
        actor=arne,
        municipality=raelingen,
        data={
            "version": "oslo-praksis",
            "priority": engine.DEFAULT_PRIORITY,
            "matching": engine.DEFAULT_MATCHING,
            "refusal_rule": RefusalRule.COUNT,
            "refusals_allowed": 1,
        },
    )
    household = make_household(raelingen, "Berg")
    approve(sara, geir, household)
    entry = entry_of(household)
    placed = entry.placed_on
    first = actions.offer_make(actor=sara, entry=entry, dwelling=make_dwelling(raelingen, eirik))
    actions.offer_refuse(actor=sara, offer=first, reason="Fuktskader i badet.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING and entry.placed_on == placed  # not to the bottom
    second = actions.offer_make(actor=sara, entry=entry, dwelling=make_dwelling(raelingen, eirik))
    actions.offer_refuse(actor=sara, offer=second, reason="Vil heller vente.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ON_HOLD


def test_a_dwelling_and_a_household_have_at_most_one_live_offer(
    sara, geir, raelingen, routing, vacancy
) -> None:
    one, two = make_household(raelingen, "Berg"), make_household(raelingen, "Dahl")
    approve(sara, geir, one)
    approve(sara, geir, two)
    actions.offer_make(actor=sara, entry=entry_of(one), dwelling=vacancy)
    with pytest.raises(ValidationError):
        actions.offer_make(actor=sara, entry=entry_of(two), dwelling=vacancy)
    with pytest.raises(IntegrityError):  # even bypassing the action
        Offer.objects.create(
            entry=entry_of(two),
            dwelling=vacancy,
            made_on=timezone.localdate(),
            answer_due=timezone.localdate(),
            made_by=sara,
            status="accepted",
        )


def test_a_policy_change_is_a_new_version_and_an_invalid_one_is_refused(
    arne, sara, raelingen
) -> None:
    client = _client(arne)
    url = reverse("allocation:policy")
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "version": "2026-1",
            "refusal_rule": "count",
            "refusals_allowed": 2,
            "answer_days": 10,
            "priority": "medical_weight: 12\nchildren_weight: 10\n",
            "matching": "{}\n",
        },
    )
    assert response.status_code == 302
    policy = actions.current_policy(raelingen)
    assert policy.version == "2026-1" and policy.priority["medical_weight"] == 12
    bad = client.post(
        url,
        {
            "version": "2026-2",
            "refusal_rule": "count",
            "refusals_allowed": 2,
            "answer_days": 10,
            "priority": "medical_weight: -1\n",
            "matching": "{}\n",
        },
    )
    assert bad.status_code == 200 and actions.current_policy(raelingen).version == "2026-1"
    assert _client(sara).post(url, {"version": "x"}).status_code == 403


def test_a_caseworker_of_a_unit_that_does_not_handle_dwellings_sees_no_waiting_list(
    sara, geir, raelingen, routing
) -> None:
    from tests.conftest import _user

    approve(sara, geir, make_household(raelingen, "Berg"))
    entry = WaitingListEntry.objects.get()
    nav = _client(_user("kari", routing, "caseworker"))  # NAV handles start loans only
    assert nav.get(reverse("allocation:waiting_list")).status_code == 403
    assert nav.get(reverse("allocation:entry_detail", args=[entry.pk])).status_code == 404
    assert _client(sara).get(reverse("allocation:entry_detail", args=[entry.pk])).status_code == 200
