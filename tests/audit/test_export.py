"""The export of everything held about a person (GDPR art. 15), as PDF and JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from husly.audit import export
from husly.audit.models import AccessEvent
from husly.people import actions
from tests.factories import HouseholdFactory, PersonFactory


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def anna(sara, raelingen):  # type: ignore[no-untyped-def]
    person = PersonFactory(municipality=raelingen, given_name="Anna", family_name="Æsøy")
    actions.person_update(actor=sara, person=person, data={"phone": "41234567"})
    HouseholdFactory(municipality=raelingen, name="Æsøy", applicant=person)
    _client(sara).get(reverse("people:person_detail", args=[person.pk]))
    return person


def test_the_pdf_holds_the_persons_data_households_changes_and_reads(arne, sara, anna) -> None:
    response = _client(arne).get(reverse("audit:person_export_pdf", args=[anna.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Anna",
        "Æsøy",
        anna.national_id,
        "41234567",
        "person_update",
        "person_detail",
        "Sara Test",
        f"P-{anna.pk}",
    ):
        assert expected in text, expected


def test_the_json_holds_the_same_sections(arne, anna) -> None:
    response = _client(arne).get(reverse("audit:person_export_json", args=[anna.pk]))
    data = json.loads(response.content)
    sections = {s["key"]: s for s in data["sections"]}
    assert list(sections) == ["person", "households", "changes", "access"]
    assert sections["person"]["rows"][0]["national_id"] == anna.national_id
    assert sections["households"]["rows"][0]["household"] == "Æsøy"
    change = next(r for r in sections["changes"]["rows"] if r["action"] == "person_update")
    assert change["changes_data"]["phone"][1] == "41234567"
    assert {r["what"] for r in sections["access"]["rows"]} >= {"person_detail"}


def test_the_export_is_logged_as_a_read_and_lists_itself(arne, anna) -> None:
    response = _client(arne).get(reverse("audit:person_export_json", args=[anna.pk]))
    assert (
        AccessEvent.objects.filter(actor=arne, person_id=anna.pk, what="person_export_json").count()
        == 1
    )
    access = next(s for s in json.loads(response.content)["sections"] if s["key"] == "access")
    assert "person_export_json" in {r["what"] for r in access["rows"]}


def test_only_the_administrator_may_make_the_full_export(
    sara, geir, arne, lise, eirik, olga, anna
) -> None:
    """The export is a legal act on the person's request, made by the role that handles access
    requests; caseworkers and approvers read through the case access rules instead."""
    url = reverse("audit:person_export_json", args=[anna.pk])
    assert _client(arne).get(url).status_code == 200
    for user in (sara, geir, lise, eirik, olga):
        assert _client(user).get(url).status_code == 404, user
    pdf = reverse("audit:person_export_pdf", args=[anna.pk])
    assert _client(sara).get(pdf).status_code == 404
    assert _client(olga).get(pdf).status_code == 404


def test_the_export_is_logged_with_the_administrator_role_and_unit(
    arne, anna, housing_office
) -> None:
    _client(arne).get(reverse("audit:person_export_pdf", args=[anna.pk]))
    event = AccessEvent.objects.get(actor=arne, what="person_export_pdf")
    assert (event.person_id, event.role, event.unit_id) == (
        anna.pk,
        "administrator",
        housing_office.pk,
    )


def test_the_person_page_offers_the_export_to_the_administrator_only(sara, arne, anna) -> None:
    url = reverse("people:person_detail", args=[anna.pk])
    export = reverse("audit:person_export_pdf", args=[anna.pk])
    assert export in _client(arne).get(url).content.decode()
    assert export not in _client(sara).get(url).content.decode()


def test_a_later_record_type_registers_its_own_section(arne, anna) -> None:
    @export.register("test_notes", order=50)
    def notes(person, scope):  # type: ignore[no-untyped-def]
        return export.Section(
            key="test_notes",
            title="Notes",
            fields=[("text", "Text")],
            rows=[{"text": f"Note about {person.given_name}"}],
        )

    try:
        response = _client(arne).get(reverse("audit:person_export_json", args=[anna.pk]))
        keys = [s["key"] for s in json.loads(response.content)["sections"]]
        assert keys.index("test_notes") == keys.index("households") + 1
        pdf = _client(arne).get(reverse("audit:person_export_pdf", args=[anna.pk]))
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Note about Anna" in text
    finally:
        export._REGISTRY.pop("test_notes")
    with pytest.raises(ValueError, match="already registered"):
        export.register("person")(notes)
