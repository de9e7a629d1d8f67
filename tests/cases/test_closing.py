"""Closing and reopening a case: when it is allowed, what is stored and audited, and that a
refusal writes nothing. Views: only caseworkers and approvers of a routed unit close a case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from husly.audit.models import ChangeEvent
from husly.cases import actions, selectors
from husly.cases.models import (
    AppealStatus,
    Case,
    CaseStatus,
    DecisionStatus,
    JournalNote,
)
from tests.cases.helpers import ELIGIBLE, judge_all
from tests.cases.test_decisions import APPROVAL, _assessed, _issued
from tests.conftest import _user
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ISSUED_AT = dt.datetime(2024, 3, 7, 9, tzinfo=dt.UTC)  # appeal deadline 2 April 2024 (Easter)
APPEALED_AT = dt.datetime(2024, 3, 11, 9, tzinfo=dt.UTC)
AFTER_DEADLINE = dt.datetime(2024, 4, 3, 9, tzinfo=dt.UTC)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _case(sara, household) -> Case:  # type: ignore[no-untyped-def]
    return actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )


def _applicant(household):  # type: ignore[no-untyped-def]
    return household.members.get(relation="applicant").person


def _untouched(case: Case, events_before: int, notes_before: int) -> None:
    """Nothing of a refused closing was written."""
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED
    assert case.closed_at is None and case.close_reason == ""
    assert ChangeEvent.objects.count() == events_before
    assert JournalNote.objects.count() == notes_before


def _refused(case: Case, message: str, **call) -> None:  # type: ignore[no-untyped-def]
    events, notes = ChangeEvent.objects.count(), JournalNote.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.case_close(case=case, **call)
    assert message in " ".join(error.value.messages)
    _untouched(case, events, notes)


# --- the action ---------------------------------------------------------------------------------


def test_a_withdrawn_application_is_closed_with_who_and_how_and_audited(
    sara, household, routing
) -> None:
    case = _case(sara, household)
    applicant = _applicant(household)
    actions.case_close(
        actor=sara,
        case=case,
        reason="withdrawn",
        withdrawn_by=applicant,
        withdrawn_how="phone",
        note="Har fått bolig privat.",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_by == sara
    assert case.closed_at is not None
    assert (case.close_reason, case.withdrawn_by, case.withdrawn_how) == (
        "withdrawn",
        applicant,
        "phone",
    )
    event = ChangeEvent.objects.get(action="case_close")
    assert event.actor == sara
    assert event.object_id == str(case.pk)
    assert event.person_id == applicant.pk
    assert event.changes["status"] == ["submitted", "closed"]
    assert event.changes["close_reason"] == ["", "withdrawn"]
    assert event.changes["withdrawn_by_id"] == [None, applicant.pk]
    note = JournalNote.objects.get(case=case)
    assert note.author == sara
    # The journal note is part of the case record: in the municipality's written standard.
    assert "Saken er avsluttet" in note.text
    assert f"{applicant.full_name} trakk søknaden (per telefon)" in note.text
    assert "Har fått bolig privat." in note.text
    assert ChangeEvent.objects.filter(action="journal_note_add", object_id=str(note.pk)).exists()


def test_a_draft_or_a_closed_case_cannot_be_closed(sara, household, routing) -> None:
    draft = actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["advice"],
        data=ELIGIBLE,
        submit=False,
    )
    _refused(draft, "Slett det i stedet", actor=sara, reason="other", note="Feil.")
    case = _case(sara, household)
    actions.case_close(actor=sara, case=case, reason="other", note="Feilregistrert.")
    with pytest.raises(ValidationError, match="allerede avsluttet"):
        actions.case_close(actor=sara, case=case, reason="other", note="Igjen.")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        ({"reason": "unknown"}, "reason"),
        ({"reason": "other", "note": "  "}, "note"),
        ({"reason": "withdrawn", "withdrawn_how": "phone"}, "withdrawn_by"),
        ({"reason": "withdrawn", "withdrawn_how": "carrier pigeon"}, "withdrawn_how"),
        ({"reason": "duplicate"}, "duplicate_of"),
    ],
)
def test_each_reason_needs_what_it_needs(sara, household, routing, call, field) -> None:
    case = _case(sara, household)
    if "withdrawn_how" in call and field == "withdrawn_how":
        call = {**call, "withdrawn_by": _applicant(household)}
    events, notes = ChangeEvent.objects.count(), JournalNote.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.case_close(actor=sara, case=case, **call)
    assert field in error.value.error_dict
    _untouched(case, events, notes)


def test_only_an_adult_of_the_household_withdraws(sara, household, routing, raelingen) -> None:
    case = _case(sara, household)
    child = household.members.get(relation="child").person
    stranger = PersonFactory(municipality=raelingen)
    for person in (child, stranger):
        _refused(
            case,
            "voksne i husstanden",
            actor=sara,
            reason="withdrawn",
            withdrawn_by=person,
            withdrawn_how="meeting",
        )


def test_a_duplicate_names_another_case_of_the_municipality(sara, household, routing, olga) -> None:
    case, other = _case(sara, household), _case(sara, household)
    _refused(case, "en annen sak", actor=sara, reason="duplicate", duplicate_of=case)
    actions.case_close(actor=sara, case=case, reason="duplicate", duplicate_of=other)
    case.refresh_from_db()
    assert case.duplicate_of == other
    assert f"sak {other.number}" in JournalNote.objects.get(case=case).text
    # The other case cannot then be closed as a duplicate of this one.
    _refused(other, "Gjenåpne den først", actor=sara, reason="duplicate", duplicate_of=case)


def test_a_decision_not_issued_blocks_the_closing_until_it_is_discarded(
    sara, household, routing, housing_office
) -> None:
    case = _assessed(sara, household)
    draft = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=draft)
    _refused(
        case,
        "er ikke sendt ut",
        actor=sara,
        reason="withdrawn",
        withdrawn_by=_applicant(household),
        withdrawn_how="in_writing",
    )
    actions.decision_discard(actor=sara, decision=draft)
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DISCARDED
    assert ChangeEvent.objects.filter(action="decision_discard", object_id=str(draft.pk)).exists()
    with pytest.raises(ValidationError):
        actions.decision_submit(actor=sara, decision=draft)
    actions.case_close(
        actor=sara,
        case=case,
        reason="withdrawn",
        withdrawn_by=_applicant(household),
        withdrawn_how="in_writing",
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_an_issued_decision_cannot_be_discarded(sara, geir, household, routing, housing_office):  # type: ignore[no-untyped-def]
    decision = _issued(sara, geir, household, housing_office)
    with pytest.raises(ValidationError, match="sendt ut, kan ikke forkastes"):
        actions.decision_discard(actor=sara, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED


def test_discarding_a_replacement_frees_the_decision_it_was_to_replace(
    sara, geir, household, routing, housing_office
) -> None:
    issued = _issued(sara, geir, household, housing_office)
    data = {**APPROVAL, "follow_up_unit": housing_office}
    first = actions.decision_draft(actor=sara, case=issued.case, data=data, replaces=issued)
    actions.decision_discard(actor=sara, decision=first)
    second = actions.decision_draft(actor=sara, case=issued.case, data=data, replaces=issued)
    assert second.replaces == issued


def test_completed_needs_a_decision(sara, household, routing) -> None:
    case = _case(sara, household)
    _refused(case, "Ingenting er avgjort", actor=sara, reason="completed")


def test_completed_waits_for_the_appeal_period(
    sara, geir, household, routing, housing_office
) -> None:
    with time_machine.travel(ISSUED_AT, tick=False):
        decision = _issued(sara, geir, household, housing_office)
        _refused(decision.case, "02.04.2024", actor=sara, reason="completed")
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        actions.case_close(actor=sara, case=decision.case, reason="completed")
    assert Case.objects.get(pk=decision.case_id).close_reason == "completed"


def test_an_open_appeal_blocks_the_closing_and_a_decided_one_does_not(
    sara, geir, household, routing, housing_office
) -> None:
    with time_machine.travel(ISSUED_AT, tick=False):
        decision = _issued(sara, geir, household, housing_office)
    with time_machine.travel(APPEALED_AT, tick=False):
        appeal = actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 8), grounds="Uenig."
        )
        case = decision.case
        _refused(case, "klage i saken er under behandling", actor=sara, reason="completed")
        actions.appeal_reconsider(
            actor=sara, appeal=appeal, change=False, reasoning="Opprettholdt."
        )
        actions.appeal_forward(actor=sara, appeal=appeal)
        _refused(case, "klage i saken er under behandling", actor=sara, reason="completed")
        actions.appeal_body_outcome_record(
            actor=sara, appeal=appeal, outcome="upheld", decided_on=dt.date(2024, 3, 20)
        )
        # Still inside the appeal period, but the appeal is decided: the case is completed.
        actions.case_close(actor=sara, case=case, reason="completed")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_a_changed_appeal_is_open_until_the_new_decision_is_issued(
    sara, geir, household, routing, housing_office
) -> None:
    guarantee = {
        "help_kind": "deposit_guarantee",
        "amount": 24_000,
        "landlord": "Utleie AS",
        "place": "Storgata 5, Rælingen",
        "period_from": dt.date(2024, 3, 1),
        "period_to": dt.date(2027, 2, 28),
    }
    with time_machine.travel(ISSUED_AT, tick=False):
        decision = _issued(sara, geir, household, housing_office, **guarantee)
    with time_machine.travel(APPEALED_AT, tick=False):
        appeal = actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 8), grounds="Uenig."
        )
        actions.appeal_reconsider(actor=sara, appeal=appeal, change=True, reasoning="Ny vurdering.")
        case = decision.case
        _refused(case, "klage i saken er under behandling", actor=sara, reason="other", note="x")
        new = actions.decision_draft(
            actor=sara, case=case, replaces=decision, data={**APPROVAL, **guarantee}
        )
        actions.decision_submit(actor=sara, decision=new)
        actions.decision_approve(actor=geir, decision=new)
        actions.decision_issue(actor=sara, decision=new)
    with time_machine.travel(dt.datetime(2024, 5, 2, 9, tzinfo=dt.UTC), tick=False):
        actions.case_close(actor=sara, case=case, reason="completed")


def test_a_hook_that_refuses_leaves_nothing_written(sara, household, routing) -> None:
    from husly.cases import hooks

    def refuse(case, actor):  # type: ignore[no-untyped-def]
        raise ValidationError("Nei.")

    case = _case(sara, household)
    hooks.case_closed_handlers.append(refuse)
    try:
        _refused(case, "Nei.", actor=sara, reason="other", note="Test.")
    finally:
        hooks.case_closed_handlers.remove(refuse)


def test_reopening_needs_a_reason_and_puts_the_case_back_to_work(sara, household, routing) -> None:
    case = _case(sara, household)
    actions.case_assign(actor=sara, case=case, caseworker=sara)
    with pytest.raises(ValidationError, match="ikke avsluttet"):
        actions.case_reopen(actor=sara, case=case, reason="Nytt.")
    actions.case_close(actor=sara, case=case, reason="other", note="Ikke behov lenger.")
    assert case.pk not in [
        c.pk for c in selectors.work_list(sara, today=timezone.localdate()).my_cases
    ]
    with pytest.raises(ValidationError) as error:
        actions.case_reopen(actor=sara, case=case, reason="  ")
    assert "reason" in error.value.error_dict
    actions.case_reopen(actor=sara, case=case, reason="Ny leiekontrakt sagt opp.")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert (case.closed_at, case.closed_by, case.close_reason, case.close_note) == (
        None,
        None,
        "",
        "",
    )
    assert case.reopened_at is not None
    event = ChangeEvent.objects.get(action="case_reopen")
    assert event.changes["status"] == ["closed", "in_progress"]
    assert event.changes["reason"] == [None, "Ny leiekontrakt sagt opp."]
    assert "Saken er gjenåpnet: Ny leiekontrakt sagt opp." in case.notes.first().text
    assert case.pk in [c.pk for c in selectors.work_list(sara, today=timezone.localdate()).my_cases]


def test_an_unassigned_reopened_case_is_new_again_with_a_fresh_month(
    sara, household, routing
) -> None:
    with time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        case = _case(sara, household)
        actions.case_close(actor=sara, case=case, reason="other", note="Feil.")
    with time_machine.travel(dt.datetime(2024, 6, 3, 9, tzinfo=dt.UTC), tick=False):
        actions.case_reopen(actor=sara, case=case, reason="Nye opplysninger.")
        work = selectors.work_list(sara, today=timezone.localdate())
    assert [c.pk for c in work.new_cases] == [case.pk]
    (item,) = [i for i in work.deadlines if i.case.pk == case.pk]
    assert item.due == dt.date(2024, 7, 3)


def test_an_appeal_on_a_decision_in_a_closed_case_reopens_it(
    sara, geir, household, routing, housing_office
) -> None:
    with time_machine.travel(ISSUED_AT, tick=False):
        decision = _issued(sara, geir, household, housing_office)
        case = decision.case
        actions.case_close(actor=sara, case=case, reason="moved")
    with time_machine.travel(dt.datetime(2024, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        actions.appeal_register(
            actor=sara, decision=decision, received_on=dt.date(2024, 3, 12), grounds="Uenig."
        )
        work = selectors.work_list(sara, today=timezone.localdate())
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED  # no caseworker: back among the new cases
    assert case.pk in [c.pk for c in work.new_cases]
    assert (
        "klage mottatt 12.03.2024"
        in ChangeEvent.objects.get(action="case_reopen").changes["reason"][1].lower()
    )


def test_a_closed_case_is_not_assessed_or_decided(sara, household, routing, housing_office):  # type: ignore[no-untyped-def]
    case = _assessed(sara, household)
    actions.case_close(actor=sara, case=case, reason="other", note="Feil.")
    with pytest.raises(ValidationError, match="avsluttet"):
        actions.assessment_run(actor=sara, case=case)
    with pytest.raises(ValidationError):
        actions.decision_draft(
            actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
        )
    with pytest.raises(ValidationError, match="Gjenåpne saken først"):
        actions.case_update_application(actor=sara, case=case, help_kinds=None, data={})


def test_the_case_list_filters_closed_and_open(sara, household, routing) -> None:
    open_case, closed = _case(sara, household), _case(sara, household)
    actions.case_close(actor=sara, case=closed, reason="other", note="Feil.")
    for status, case in (("closed", closed), ("open", open_case)):
        listed = selectors.case_list(sara, status=status)
        assert [row["pk"] for row in listed.cases] == [case.pk] and listed.count == 1
    body = _client(sara).get(reverse("cases:case_list"), {"status": "closed"}).content.decode()
    assert closed.number in body and open_case.number not in body
    assert "Avsluttet (annen grunn)" in body


# --- the views ----------------------------------------------------------------------------------


def test_a_caseworker_closes_and_reopens_on_the_case_page(sara, household, routing) -> None:
    case = _case(sara, household)
    client = _client(sara)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:case_close", args=[case.pk]) in page
    form = client.get(reverse("cases:case_close", args=[case.pk])).content.decode()
    assert _applicant(household).full_name in form  # who withdrew: the adults to choose from
    response = client.post(
        reverse("cases:case_close", args=[case.pk]),
        {
            "reason": "withdrawn",
            "withdrawn_by": _applicant(household).pk,
            "withdrawn_how": "meeting",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.withdrawn_how) == (CaseStatus.CLOSED, "meeting")
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Søkeren trakk søknaden" in page
    assert f"trukket av {_applicant(household).full_name} (i et møte)" in page
    assert reverse("cases:case_reopen", args=[case.pk]) in page
    response = client.post(reverse("cases:case_reopen", args=[case.pk]), {"reason": "Ny søknad."})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_a_refused_closing_is_shown_on_the_form_in_norwegian(sara, household, routing) -> None:
    case = _case(sara, household)
    response = _client(sara).post(
        reverse("cases:case_close", args=[case.pk]), {"reason": "duplicate", "duplicate_of": "x"}
    )
    assert response.status_code == 200
    assert "Du har ingen sak med det nummeret" in response.content.decode()
    response = _client(sara).post(reverse("cases:case_close", args=[case.pk]), {"reason": "other"})
    assert "Skriv hvorfor saken avsluttes" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_only_a_writer_in_a_routed_unit_closes_the_case(
    sara, geir, lise, olga, household, routing, housing_office
) -> None:
    case = _case(sara, household)
    url = reverse("cases:case_close", args=[case.pk])
    data = {"reason": "other", "note": "Test."}
    nav = _user("kari", routing, "caseworker")  # NAV: the case is not routed there
    follow_up = _user("frida", housing_office, "follow_up")  # reads, does not change
    for user, status in ((nav, 404), (lise, 404), (olga, 404), (follow_up, 403)):
        assert _client(user).get(url).status_code == status, user
        assert _client(user).post(url, data).status_code == status, user
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert _client(geir).post(url, data).status_code == 302  # an approver may close it
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    reopen = reverse("cases:case_reopen", args=[case.pk])
    for user, status in ((nav, 404), (follow_up, 403)):
        assert _client(user).post(reopen, {"reason": "Nytt."}).status_code == status
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_the_draft_can_be_discarded_from_the_decision_page(
    sara, household, routing, housing_office
) -> None:
    case = _assessed(sara, household)
    draft = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    client = _client(sara)
    assert (
        "/discard/"
        in client.get(reverse("cases:decision_detail", args=[draft.pk])).content.decode()
    )
    client.post(reverse("cases:decision_step", args=[draft.pk, "discard"]))
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DISCARDED


def test_the_note_on_the_closing_is_shown_escaped(sara, household, routing) -> None:
    evil = "<script>alert(1)</script>"
    case = _case(sara, household)
    actions.case_close(actor=sara, case=case, reason="other", note=evil)
    page = _client(sara).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_art_15_export_says_when_and_why_the_case_was_closed(
    sara, arne, household, routing
) -> None:
    import json

    case = _case(sara, household)
    applicant = _applicant(household)
    actions.case_close(
        actor=sara, case=case, reason="withdrawn", withdrawn_by=applicant, withdrawn_how="phone"
    )
    response = _client(arne).get(reverse("audit:person_export_json", args=[applicant.pk]))
    (cases,) = [s for s in json.loads(response.content)["sections"] if s["key"] == "cases"]
    assert cases["rows"][0]["closed"] == (
        f"{timezone.localdate().isoformat()}: Søkeren trakk søknaden "
        f"({applicant.full_name}, Per telefon)"
    )


def test_each_units_part_is_done_when_its_decision_is_issued_or_the_case_closes(
    sara, geir, household, routing, housing_office
) -> None:
    """One door in: a case for a dwelling and a start loan goes to the housing office and NAV.
    The housing office's decision ends its part only; closing ends the rest; reopening opens
    every part again. Each move is audited."""
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling", "start_loan"],
        data=ELIGIBLE,
        submit=True,
    )
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    actions.decision_issue(actor=sara, decision=decision)

    def parts() -> dict[str, str]:
        return dict(case.routings.values_list("help_kind", "status"))

    assert parts() == {"rental_dwelling": "done", "start_loan": "open"}
    # The § 11a month still runs for NAV's open part, and no longer for the decided one.
    nav_caseworker = _user("nora", routing, "caseworker")
    today = timezone.localdate()
    for user, expected in ((nav_caseworker, [case.pk]), (sara, [])):
        work = selectors.work_list(user, today=today)
        assert [i.case.pk for i in work.deadlines if i.what == "preliminary_reply"] == expected
    with time_machine.travel(timezone.now() + dt.timedelta(days=60), tick=False):
        actions.case_close(actor=sara, case=case, reason="other", note="Husstanden flyttet.")
        assert parts() == {"rental_dwelling": "done", "start_loan": "done"}
        actions.case_reopen(actor=sara, case=case, reason="Ny søknad om startlån.")
    assert parts() == {"rental_dwelling": "open", "start_loan": "open"}
    moves = ChangeEvent.objects.filter(action="case_routing_status").order_by("pk")
    assert [sorted(e.changes) for e in moves] == [
        ["routing:rental_dwelling"],
        ["routing:start_loan"],
        ["routing:rental_dwelling", "routing:start_loan"],
    ]


def test_another_units_open_part_stays_new_for_it_after_the_first_unit_takes_the_case(
    sara, household, routing, housing_office
) -> None:
    """``routing`` is NAV: start loans go there, dwellings to the housing office (sara's)."""
    nav_caseworker = _user("nora", routing, "caseworker")
    colleague = _user("hanne", housing_office, "caseworker")
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling", "start_loan"],
        data=ELIGIBLE,
        submit=True,
    )
    today = timezone.localdate()

    def new_for(user) -> list[int]:  # type: ignore[no-untyped-def]
        return [c.pk for c in selectors.work_list(user, today=today).new_cases]

    assert new_for(nav_caseworker) == new_for(colleague) == [case.pk]
    actions.case_assign(actor=sara, case=case, caseworker=sara)
    assert new_for(colleague) == []  # taken in the housing office
    assert new_for(nav_caseworker) == [case.pk]  # NAV's start-loan part is still waiting
    assert selectors.can_take(nav_caseworker, case) and not selectors.can_take(sara, case)
    actions.case_assign(actor=nav_caseworker, case=case, caseworker=nav_caseworker)
    case.refresh_from_db()
    assert case.assigned_to == sara  # NAV took its part, not the housing office's
    parts = dict(case.routings.values_list("help_kind", "assigned_to__username"))
    assert parts == {"rental_dwelling": "sara", "start_loan": "nora"}
    assert new_for(nav_caseworker) == []
    mine = selectors.work_list(nav_caseworker, today=today).my_cases
    assert [c.pk for c in mine] == [case.pk]
    actions.case_close(actor=sara, case=case, reason="other", note="Husstanden flyttet.")
    assert selectors.work_list(nav_caseworker, today=today).my_cases == []


def test_a_unit_sends_its_part_on_and_the_other_unit_gets_it(
    sara, household, routing, housing_office
) -> None:
    """``routing`` is NAV. The housing office sends the dwelling part on to NAV: NAV finds it
    new on its work list, the housing office no longer sees the case (its only part), and the
    journal says who sent what where and why."""
    nav_caseworker = _user("nora", routing, "caseworker")
    case = _case(sara, household)
    actions.case_assign(actor=sara, case=case, caseworker=sara)
    part = case.routings.get()
    for call, message in (
        ({"unit": housing_office, "reason": "Feil enhet."}, "en annen enhet"),  # the same unit
        ({"unit": routing, "reason": " "}, "Skriv hvorfor"),
    ):
        with pytest.raises(ValidationError, match=message):
            actions.case_routing_refer(actor=sara, case=case, routing=part, **call)
    with pytest.raises(PermissionDenied):  # NAV does not hold the part
        actions.case_routing_refer(
            actor=nav_caseworker, case=case, routing=part, unit=routing, reason="Vår."
        )
    actions.case_routing_refer(
        actor=sara, case=case, routing=part, unit=routing, reason="Gjelder startlån."
    )
    part.refresh_from_db()
    assert (part.unit, part.assigned_to, part.status) == (routing, None, "open")
    today = timezone.localdate()
    assert [c.pk for c in selectors.work_list(nav_caseworker, today=today).new_cases] == [case.pk]
    assert not selectors.cases_for_user(sara).filter(pk=case.pk).exists()
    event = ChangeEvent.objects.get(action="case_routing_refer")
    assert event.changes["routing:rental_dwelling:unit_id"] == [housing_office.pk, routing.pk]
    note = JournalNote.objects.filter(case=case).order_by("-pk").first()
    assert note.text == (
        "«Kommunal utleiebolig uten tjenester» ble sendt videre fra Tjenestekontoret til "
        "NAV Rælingen: Gjelder startlån."
    )


def test_a_caseworker_sends_a_part_on_from_the_case_page(
    sara, household, routing, housing_office
) -> None:
    case = _case(sara, household)
    client = _client(sara)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:case_refer", args=[case.pk]) in page
    form = client.get(reverse("cases:case_refer", args=[case.pk]))
    assert form.status_code == 200
    part = case.routings.get()
    response = client.post(
        reverse("cases:case_refer", args=[case.pk]),
        {"routing": part.pk, "unit": routing.pk, "reason": "Gjelder startlån."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:work_list")  # no longer the office's case
    nav_caseworker = _user("nora", routing, "caseworker")
    assert (
        reverse("cases:case_refer", args=[case.pk])
        in _client(nav_caseworker)
        .get(reverse("cases:case_detail", args=[case.pk]))
        .content.decode()
    )
