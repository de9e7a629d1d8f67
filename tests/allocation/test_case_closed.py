"""A closed case and the waiting list (ADR 0012): withdrawn or moved ends the entry the case's
approval created, with its open offer; an accepted offer refuses the closing; a completed
case keeps its household on the list; reopening restores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from husly.allocation import actions
from husly.allocation.models import EntryStatus, OfferStatus, WaitingListEntry
from husly.audit.models import ChangeEvent
from husly.cases import actions as case_actions
from husly.cases.models import Case, CaseStatus, JournalNote
from husly.housing.models import DwellingStatus
from tests.allocation.helpers import approve, entry_of, make_household

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 4, 15, 10, 0, tzinfo=dt.UTC)  # the appeal period is over


def _applicant(household):  # type: ignore[no-untyped-def]
    return household.members.get(relation="applicant").person


@pytest.mark.parametrize("reason", ["withdrawn", "moved"])
def test_withdrawn_or_moved_ends_the_entry_and_its_open_offer(
    sara, geir, raelingen, routing, vacancy, reason
) -> None:
    household = make_household(raelingen, "Berg")
    with time_machine.travel(NOW, tick=False):
        decision = approve(sara, geir, household)
        entry = entry_of(household)
        offer = actions.offer_make(actor=sara, entry=entry, dwelling=vacancy)
    with time_machine.travel(LATER, tick=False):
        extra = (
            {"withdrawn_by": _applicant(household), "withdrawn_how": "phone"}
            if reason == "withdrawn"
            else {}
        )
        case_actions.case_close(actor=sara, case=decision.case, reason=reason, **extra)
    entry.refresh_from_db()
    offer.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    assert entry.closed_on == dt.date(2026, 4, 15)
    assert offer.status == OfferStatus.WITHDRAWN
    assert offer.refusal_reason in {"Søknaden er trukket.", "Husstanden har flyttet fra kommunen."}
    close = ChangeEvent.objects.get(action="waiting_list_close")
    assert close.actor == sara
    assert close.changes["status"] == [EntryStatus.WAITING, EntryStatus.WITHDRAWN]
    assert not WaitingListEntry.objects.filter(household=household, status="waiting").exists()


@time_machine.travel(NOW, tick=False)
def test_an_accepted_offer_refuses_the_closing_and_nothing_is_written(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    decision = approve(sara, geir, household)
    entry = entry_of(household)
    offer = actions.offer_make(actor=sara, entry=entry, dwelling=vacancy)
    actions.offer_accept(actor=sara, offer=offer)
    events, notes = ChangeEvent.objects.count(), JournalNote.objects.count()
    with pytest.raises(ValidationError, match="reservert"):
        case_actions.case_close(actor=sara, case=decision.case, reason="moved")
    assert Case.objects.get(pk=decision.case_id).status == CaseStatus.DECIDED
    entry.refresh_from_db()
    offer.refresh_from_db()
    assert (entry.status, offer.status) == (EntryStatus.OFFERED, OfferStatus.ACCEPTED)
    assert (ChangeEvent.objects.count(), JournalNote.objects.count()) == (events, notes)


def test_an_accepted_offer_is_withdrawn_first_and_then_the_case_closes(
    sara, geir, raelingen, routing, vacancy
) -> None:
    household = make_household(raelingen, "Berg")
    with time_machine.travel(NOW, tick=False):
        decision = approve(sara, geir, household)
        offer = actions.offer_make(actor=sara, entry=entry_of(household), dwelling=vacancy)
        actions.offer_accept(actor=sara, offer=offer)
    with time_machine.travel(LATER, tick=False):
        with pytest.raises(ValidationError, match="Skriv hvorfor"):
            actions.offer_withdraw(actor=sara, offer=offer, reason=" ")
        actions.offer_withdraw(actor=sara, offer=offer, reason="Husstanden flytter til Oslo.")
        vacancy.refresh_from_db()
        assert vacancy.status == DwellingStatus.VACANT
        last = vacancy.status_changes.order_by("-valid_from", "-pk").first()
        assert last.valid_from == dt.date(2026, 4, 15)
        assert last.reason == "Tilbud som var tatt imot, er trukket: Husstanden flytter til Oslo."
        assert entry_of(household).status == EntryStatus.WAITING
        with pytest.raises(ValidationError):  # nothing left to withdraw
            actions.offer_withdraw(actor=sara, offer=offer, reason="Igjen.")
        case_actions.case_close(actor=sara, case=decision.case, reason="moved")
    assert WaitingListEntry.objects.get(household=household).status == EntryStatus.WITHDRAWN


def test_a_completed_case_keeps_the_household_on_the_list(sara, geir, raelingen, routing) -> None:
    household = make_household(raelingen, "Berg")
    with time_machine.travel(NOW, tick=False):
        decision = approve(sara, geir, household)
    with time_machine.travel(LATER, tick=False):
        case_actions.case_close(actor=sara, case=decision.case, reason="completed")
    assert entry_of(household).status == EntryStatus.WAITING


def test_only_the_entry_of_the_closed_case_ends(sara, geir, raelingen, routing) -> None:
    household = make_household(raelingen, "Berg")
    with time_machine.travel(NOW, tick=False):
        approve(sara, geir, household)
        other = case_actions.case_create(
            actor=sara,
            household=household,
            channel="phone",
            help_kinds=["deposit_guarantee"],
            data={"housing_kind": "no_home"},
            submit=True,
        )
        case_actions.case_close(
            actor=sara,
            case=other,
            reason="withdrawn",
            withdrawn_by=_applicant(household),
            withdrawn_how="phone",
        )
    assert entry_of(household).status == EntryStatus.WAITING


def test_reopening_does_not_put_the_household_back_on_the_list(
    sara, geir, raelingen, routing
) -> None:
    household = make_household(raelingen, "Berg")
    with time_machine.travel(NOW, tick=False):
        decision = approve(sara, geir, household)
        case_actions.case_close(actor=sara, case=decision.case, reason="moved")
        case_actions.case_reopen(actor=sara, case=decision.case, reason="Flyttet tilbake.")
    assert WaitingListEntry.objects.get(household=household).status == EntryStatus.WITHDRAWN
