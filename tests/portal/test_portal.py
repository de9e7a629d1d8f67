from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.cases.models import Appeal, Case, CaseStatus
from husly.people.models import Person
from tests.factories import synthetic_number

pytestmark = pytest.mark.django_db

MY_NUMBER = synthetic_number(dt.date(1990, 2, 3))


def _resident() -> Client:
    client = Client()
    client.post(reverse("portal:login"), {"national_id": MY_NUMBER})
    return client


def _application(raelingen, **extra):  # type: ignore[no-untyped-def]
    data = {
        "om-municipality": raelingen.pk,
        "om-given_name": "Ida",
        "om-family_name": "Berg",
        "om-language_form": "nn",
        "om-address": "Torvvegen 2",
        "om-postal_code": "2008",
        "om-postal_town": "Fjerdingby",
        "medlem-TOTAL_FORMS": "1",
        "medlem-INITIAL_FORMS": "0",
        "medlem-0-given_name": "Emil",
        "medlem-0-family_name": "Berg",
        "medlem-0-date_of_birth": "2019-05-01",
        "medlem-0-relation": "child",
        "soknad-help_kinds": ["rental_dwelling", "deposit_guarantee"],
        "soknad-housing_kind": "no_home",
        "submit": "1",
    }
    data.update(extra)
    return data


def test_a_resident_logs_in_with_an_identity_number_in_development() -> None:
    client = _resident()
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200
    header = page.content.decode().split("</header>", 1)[0]
    assert "Innlogget" in header and "innbygger-" not in header  # no technical user name


def test_a_wrong_identity_number_gets_a_norwegian_message() -> None:
    response = Client().post(reverse("portal:login"), {"national_id": "12345678901"})
    assert "Kontrollsifrene stemmer ikke" in response.content.decode()


def test_a_household_applies_once_and_every_unit_gets_the_case(raelingen, routing) -> None:
    client = _resident()
    response = client.post(reverse("portal:apply"), _application(raelingen))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.channel == "self_service"
    assert case.status == CaseStatus.SUBMITTED
    me = Person.objects.get(national_id=MY_NUMBER)
    assert (me.given_name, me.language_form) == ("Ida", "nn")
    # The child is recorded as stated, for a caseworker to check (tests/portal/test_members.py).
    assert list(case.household.members.values_list("relation", flat=True)) == ["applicant"]
    assert list(case.household.unchecked_members().values_list("relation", flat=True)) == ["child"]
    assert ChangeEvent.objects.filter(action="case_submit", actor__resident__isnull=False).exists()
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert case.number in page
    # Each part of the one application, with who handles it and how far it has come.
    assert "Kommunal utleiebolig uten tjenester: Tjenestekontoret (under behandling)" in page


def test_a_draft_is_saved_and_sent_later(raelingen, routing) -> None:
    client = _resident()
    data = _application(raelingen)
    del data["submit"]
    data["draft"] = "1"
    client.post(reverse("portal:apply"), data)
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT
    client.post(
        reverse("portal:case_edit", args=[case.pk]),
        {"help_kinds": ["rental_dwelling"], "housing_kind": "no_home", "submit": "1"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_member_without_number_or_birth_date_is_refused(raelingen, routing) -> None:
    response = _resident().post(
        reverse("portal:apply"), _application(raelingen, **{"medlem-0-date_of_birth": ""})
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_a_resident_sees_only_their_own_cases(raelingen, routing, household) -> None:
    from husly.cases import actions
    from tests.conftest import _user

    caseworker = _user("kari", routing, "caseworker")
    others = actions.case_create(
        actor=caseworker,
        household=household,
        channel="paper",
        help_kinds=["rental_dwelling"],
        data={"housing_kind": "no_home"},
        submit=True,
    )
    client = _resident()
    assert client.get(reverse("portal:case", args=[others.pk])).status_code == 404
    assert others.number not in client.get(reverse("portal:home")).content.decode()


def test_a_resident_cannot_use_the_staff_pages(raelingen) -> None:
    client = _resident()
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(reverse("home")).status_code == 302


def test_a_resident_appeals_an_issued_decision(
    raelingen, routing, sara, geir, housing_office
) -> None:
    from husly.cases import actions
    from tests.cases.helpers import ELIGIBLE, judge_all
    from tests.cases.test_decisions import APPROVAL

    client = _resident()
    client.post(reverse("portal:apply"), _application(raelingen))
    case = Case.objects.get()
    actions.case_update_application(actor=sara, case=case, help_kinds=None, data=ELIGIBLE)
    person = Person.objects.get(national_id=MY_NUMBER)
    person.residence_permit = "citizen"
    person.registered_municipality_number = "3224"
    person.registered_since = dt.date(2015, 1, 1)
    person.save()
    actions.assessment_run(actor=sara, case=case)
    actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
    decision = actions.decision_draft(
        actor=sara, case=case, data={**APPROVAL, "follow_up_unit": housing_office}
    )
    actions.decision_submit(actor=sara, decision=decision)
    actions.decision_approve(actor=geir, decision=decision)
    actions.decision_issue(actor=sara, decision=decision)
    page = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert reverse("portal:decision_letter", args=[decision.pk]) in page
    letter = client.get(reverse("portal:decision_letter", args=[decision.pk]))
    assert letter.content.startswith(b"%PDF")
    client.post(reverse("portal:appeal", args=[decision.pk]), {"grounds": "Eg treng bustad no."})
    appeal = Appeal.objects.get()
    assert appeal.in_time
    assert appeal.registered_by.resident.national_id == MY_NUMBER
