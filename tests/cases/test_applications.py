from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, household, **extra):  # type: ignore[no-untyped-def]
    data = {
        "channel": "paper",
        "help_kinds": ["rental_dwelling", "start_loan"],
        "housing_kind": "no_home",
        "gross_annual_income": "250000",
    }
    data.update(extra)
    return client.post(reverse("cases:case_create", args=[household.pk]), data)


def test_one_application_is_routed_to_every_unit_that_must_act(sara, household, routing) -> None:
    response = _post(_client(sara), household, submit="1")
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == CaseStatus.SUBMITTED
    assert case.received_on is not None
    assert sorted(case.routings.values_list("unit__name", flat=True)) == [
        "NAV Rælingen",
        "Tjenestekontoret",
    ]


def test_a_routed_unit_sees_the_case_and_another_unit_does_not(
    sara, household, routing, eirik
) -> None:
    from husly.organisation.models import Membership, User

    _post(_client(sara), household, submit="1")
    case = Case.objects.get()
    nav_worker = User.objects.create_user("nina")
    Membership.objects.create(user=nav_worker, unit=routing, role="caseworker")
    assert _client(nav_worker).get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert _client(eirik).get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_a_draft_is_kept_and_completed_later(sara, household, routing) -> None:
    client = _client(sara)
    _post(client, household, draft="1")
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT
    assert case.received_on is None
    response = client.post(
        reverse("cases:application_edit", args=[case.pk]),
        {"help_kinds": ["rental_dwelling"], "housing_kind": "no_home", "submit": "1"},
    )
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == CaseStatus.SUBMITTED
    assert list(case.routings.values_list("help_kind", flat=True)) == ["rental_dwelling"]


def test_an_application_without_any_kind_of_help_is_refused(sara, household, routing) -> None:
    response = _post(_client(sara), household, help_kinds=[], submit="1")
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_a_kind_of_help_nobody_handles_is_refused_and_nothing_is_written(
    sara, household, housing_office
) -> None:
    response = _post(_client(sara), household, submit="1")
    assert "help_kinds" in response.context["form"].errors
    assert not Case.objects.exists()
    assert not ChangeEvent.objects.filter(action="case_create").exists()


def test_reading_a_case_logs_a_read_of_every_member(sara, household, routing) -> None:
    client = _client(sara)
    _post(client, household, submit="1")
    case = Case.objects.get()
    client.get(reverse("cases:case_detail", args=[case.pk]))
    assert AccessEvent.objects.filter(what="case_detail").count() == 2


def test_mapping_conversations_and_home_visits_are_recorded(sara, household, routing) -> None:
    client = _client(sara)
    _post(client, household, submit="1")
    case = Case.objects.get()
    client.post(
        reverse("cases:note_add", args=[case.pk]),
        {"kind": "home_visit", "held_on": "2026-11-02", "text": "Fuktskade i soverommet."},
    )
    note = case.notes.get()
    assert (note.kind, note.author) == ("home_visit", sara)


def test_an_attachment_must_be_what_it_claims(sara, household, routing) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(sara)
    _post(client, household, submit="1")
    case = Case.objects.get()
    fake = SimpleUploadedFile(
        "lønn.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    client.post(reverse("cases:document_add", args=[case.pk]), {"title": "Lønn", "file": fake})
    assert not case.documents.exists()
    real = SimpleUploadedFile("lønn.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    client.post(reverse("cases:document_add", args=[case.pk]), {"title": "Lønn", "file": real})
    document = case.documents.get()
    response = client.get(reverse("cases:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_application_sent_without_the_housing_situation_is_refused_and_nothing_written(
    sara, household, routing
) -> None:
    response = _post(_client(sara), household, housing_kind="", submit="1")
    assert response.status_code == 200
    assert "housing_kind" in response.context["form"].errors
    assert not Case.objects.exists()
    assert not ChangeEvent.objects.filter(action__startswith="case_").exists()


def test_the_same_application_can_be_saved_as_a_draft_without_it(sara, household, routing) -> None:
    _post(_client(sara), household, housing_kind="", draft="1")
    assert Case.objects.get().status == CaseStatus.DRAFT
