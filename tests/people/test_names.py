"""Issue 10 item 9: names hold no invisible characters that change how they are shown (bidi
controls, zero-width characters) and are stored in normal form C, on every path that writes a
name: staff forms, the actions, imports and Min side."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from husly.people import actions
from husly.people.models import Household, Person
from tests.factories import PersonFactory, synthetic_number
from tests.portal.test_portal import _application, _resident

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override
ZWSP = "\u200b"  # zero-width space
ZWJ = "\u200d"  # zero-width joiner
LRI = "\u2066"  # left-to-right isolate


@pytest.mark.parametrize(
    "name", [f"Kari{RLO}neshaH", f"Ka{ZWSP}ri", f"Kari{ZWJ}", f"{LRI}Kari", "Kari\u00ad", "Ka\nri"]
)
def test_a_person_name_with_invisible_characters_is_refused(raelingen, sara, name) -> None:
    with translation.override("nb"), pytest.raises(ValidationError) as error:
        actions.person_create(
            actor=sara,
            data={
                "municipality": raelingen,
                "given_name": name,
                "family_name": "Hansen",
                "date_of_birth": dt.date(1980, 1, 1),
            },
        )
    assert "usynlege" in str(error.value) or "usynlige" in str(error.value)
    assert not Person.objects.exists()


def test_names_are_stored_in_normal_form_c(raelingen, sara) -> None:
    decomposed = "Rene\u0301e  Bjo\u0308rk"  # e + accent, o + diaeresis, two spaces
    person = actions.person_create(
        actor=sara,
        data={
            "municipality": raelingen,
            "given_name": decomposed.split("  ", maxsplit=1)[0],
            "family_name": " " + decomposed.split("  ")[1] + " ",
            "date_of_birth": dt.date(1980, 1, 1),
        },
    )
    person.refresh_from_db()
    assert person.given_name == "Renée" == unicodedata.normalize("NFC", "Rene\u0301e")
    assert person.family_name == "Björk"
    household = actions.household_create(
        actor=sara, applicant=person, data={"municipality": raelingen, "name": "Bjo\u0308rk"}
    )
    assert Household.objects.get(pk=household.pk).name == "Björk"


def test_a_household_name_with_a_zero_width_space_is_refused(raelingen, sara) -> None:
    person = PersonFactory(municipality=raelingen)
    with pytest.raises(ValidationError):
        actions.household_create(
            actor=sara, applicant=person, data={"municipality": raelingen, "name": f"Berg{ZWSP}"}
        )
    assert not Household.objects.exists()


def test_the_staff_form_shows_the_refusal_in_norwegian(raelingen, sara) -> None:
    client = Client()
    client.force_login(sara)
    response = client.post(
        reverse("people:person_create"),
        {
            "municipality": raelingen.pk,
            "national_id": synthetic_number(dt.date(1979, 6, 30)),
            "given_name": f"Ingrid{RLO}",
            "family_name": "Haugen",
            "language_form": "nb",
            "residence_permit": "unknown",
        },
    )
    assert response.status_code == 200
    assert "usynlige tegn (U+202E)" in response.content.decode()
    assert not Person.objects.exists()


def test_an_import_row_with_a_bidi_override_is_refused(raelingen, sara) -> None:
    csv = (
        "fødselsnummer;fornavn;etternavn\n"
        f"{synthetic_number(dt.date(1970, 1, 5))};Kari{RLO};Hansen\n"
    ).encode()
    client = Client()
    client.force_login(sara)
    response = client.post(
        reverse("imports:upload", args=["persons"]),
        {"file": SimpleUploadedFile("p.csv", csv)},
    )
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "fornavn")]
    assert not Person.objects.exists()


def test_min_side_refuses_a_member_name_with_a_zero_width_space(raelingen, routing) -> None:
    from husly.people.models import StatedMember

    response = _resident().post(
        reverse("portal:apply"),
        _application(raelingen, **{"medlem-0-given_name": f"Em{ZWSP}il"}),
    )
    assert response.status_code == 200
    assert "usynlige tegn (U+200B)" in response.content.decode()
    assert not StatedMember.objects.exists()


def test_min_side_refuses_the_residents_own_name_with_a_bidi_override(raelingen, routing) -> None:
    response = _resident().post(
        reverse("portal:apply"), _application(raelingen, **{"om-family_name": f"Berg{RLO}"})
    )
    assert response.status_code == 200
    assert not Person.objects.exists()
