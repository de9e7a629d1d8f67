"""Min side: the household withdraws a sent application (with a confirmation step) until a
decision is issued, and deletes a draft. Only the household's own adults can do either."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.cases import actions
from husly.cases.models import Application, Case, CaseStatus, JournalNote
from husly.people.models import Person
from husly.portal.auth import resident_user
from tests.factories import synthetic_number
from tests.portal.test_portal import MY_NUMBER, _application, _resident

pytestmark = pytest.mark.django_db


def _applied(raelingen, *, draft: bool = False) -> tuple[Client, Case]:  # type: ignore[no-untyped-def]
    client = _resident()
    data = _application(raelingen)
    if draft:
        del data["submit"]
    client.post(reverse("portal:apply"), data)
    return client, Case.objects.get()


def _staff(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_household_withdraws_after_confirming(raelingen, routing, sara) -> None:
    client, case = _applied(raelingen)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    url = reverse("portal:case_withdraw", args=[case.pk])
    assert url in page and "Trekk søknaden" in page
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ja, trekk søknaden" in confirm.content.decode()
    assert Case.objects.get().status == CaseStatus.SUBMITTED  # asking is not withdrawing

    response = client.post(url)
    assert response.status_code == 302
    case.refresh_from_db()
    me = Person.objects.get(national_id=MY_NUMBER)
    assert case.status == CaseStatus.CLOSED
    assert (case.close_reason, case.withdrawn_by, case.withdrawn_how) == (
        "withdrawn",
        me,
        "self_service",
    )
    assert case.closed_by.resident.national_id == MY_NUMBER
    event = ChangeEvent.objects.get(action="case_close")
    assert event.actor == case.closed_by
    assert "på Min side" in JournalNote.objects.get(case=case).text

    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert f"Ida Berg trakk søknaden {case.closed_at:%d.%m.%Y}" in page
    assert url not in page
    assert "trukket tilbake" in client.get(reverse("portal:home")).content.decode()
    # The caseworker sees who withdrew it and when.
    staff = _staff(sara).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "av Ida Berg på Min side" in staff
    assert "husstanden på Min side" in staff  # the journal note's author
    # Once withdrawn, the page is gone.
    assert client.get(url).status_code == 404


def test_another_resident_and_staff_cannot_withdraw(raelingen, routing, sara) -> None:
    _client, case = _applied(raelingen)
    url = reverse("portal:case_withdraw", args=[case.pk])
    stranger = Client()
    stranger.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    assert stranger.get(url).status_code == 404
    assert stranger.post(url).status_code == 404
    assert _staff(sara).post(url).status_code == 403
    assert Case.objects.get().status == CaseStatus.SUBMITTED
    assert not ChangeEvent.objects.filter(action="case_close").exists()


def test_an_issued_decision_ends_the_withdrawal_in_my_page(
    raelingen, routing, sara, geir, housing_office
) -> None:
    client, case = _applied(raelingen)
    decision = actions.decision_draft(
        actor=sara,
        case=case,
        data={
            "help_kind": "deposit_guarantee",
            "kind": "approval",
            "facts": "Husstanden trenger depositum.",
            "reasoning": "Vilkårene er oppfylt.",
            "amount": 24_000,
            "landlord": "Utleie AS",
            "place": "Storgata 5",
            "period_from": dt.date(2026, 4, 1),
            "period_to": dt.date(2029, 3, 31),
        },
    )
    url = reverse("portal:case_withdraw", args=[case.pk])
    # A decision under way: the household is asked to contact the municipality.
    response = client.post(url, follow=True)
    assert "Kommunen arbeider allerede med et vedtak" in response.content.decode()
    assert Case.objects.get().status != CaseStatus.CLOSED
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    actions.decision_issue(actor=sara, decision=decision)
    assert url not in client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Case.objects.get().status == CaseStatus.DECIDED


def test_a_draft_is_deleted_after_confirming_and_a_sent_one_is_not(raelingen, routing) -> None:
    client, draft = _applied(raelingen, draft=True)
    url = reverse("portal:case_delete", args=[draft.pk])
    assert url in client.get(reverse("portal:case", args=[draft.pk])).content.decode()
    assert "Ja, slett utkastet" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not Application.objects.filter(case_id=draft.pk).exists()
    event = ChangeEvent.objects.get(action="case_draft_delete")
    assert event.changes["number"] == [draft.number, None]
    assert event.actor.resident.national_id == MY_NUMBER

    _client, sent = _applied(raelingen)
    assert client.get(reverse("portal:case_delete", args=[sent.pk])).status_code == 404
    assert client.post(reverse("portal:case_delete", args=[sent.pk])).status_code == 404
    assert Case.objects.filter(pk=sent.pk).exists()


def test_another_resident_cannot_delete_a_draft(raelingen, routing) -> None:
    _client, draft = _applied(raelingen, draft=True)
    stranger = Client()
    stranger.force_login(
        resident_user(request=None, national_id=synthetic_number(dt.date(1970, 1, 1)))
    )
    assert stranger.post(reverse("portal:case_delete", args=[draft.pk])).status_code == 404
    assert Case.objects.filter(pk=draft.pk).exists()
