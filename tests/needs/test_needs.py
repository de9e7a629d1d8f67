"""The § 5 needs survey and overview: a leader opens a round, units register households that
have not applied, the same person registered by a second unit is counted once and the second
unit is told who registered the person; the identity number of someone outside the register
is never stored; the overview joins the records and the survey, each household once, with
small counts suppressed; XLSX and PDF exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from husly.audit.models import AccessEvent, ChangeEvent
from husly.jobs.actions import export_make_run
from husly.jobs.models import ExportFile
from husly.needs import actions
from husly.needs.models import NeedSituation, NeedsRegistration
from husly.needs.selectors import RECORD_ROWS, overview
from husly.organisation.models import Unit
from husly.temporary.models import Stay
from tests.conftest import _user
from tests.factories import synthetic_number
from tests.temporary.helpers import family, provider, stay

pytestmark = pytest.mark.django_db

DATA = {
    "household_type": "single",
    "persons": 1,
    "children": 0,
    "age_group": "25_66",
    "situation": "with_others",
    "dwelling_need": "ordinary",
}


@pytest.fixture
def needs_round(raelingen, lise):  # type: ignore[no-untyped-def]
    return actions.needs_round_open(
        actor=lise,
        municipality=raelingen,
        year=2026,
        title="Kartlegging 2026",
        deadline=dt.date(2026, 12, 31),
    )


@pytest.fixture
def nav(raelingen):  # type: ignore[no-untyped-def]
    unit = Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind="nav")
    return unit, _user("nora", unit, "caseworker")


def test_the_same_person_from_two_units_counts_once_and_the_second_unit_is_told(  # type: ignore[no-untyped-def]
    needs_round, housing_office, sara, nav
):
    number = synthetic_number(dt.date(1990, 4, 4))
    first = actions.needs_registration_create(
        actor=sara, needs_round=needs_round, unit=housing_office, national_id=number, data=DATA
    )
    assert first.person is None  # not in the register: nothing but a keyed hash is kept
    stored = NeedsRegistration.objects.filter(pk=first.pk).values().get()
    assert number not in str(stored) and len(first.identity_hash) == 64
    assert number not in str(
        ChangeEvent.objects.filter(action="needs_registration_create").values()
    )
    unit, nora = nav
    with pytest.raises(actions.AlreadyRegisteredError, match="Tjenestekontoret"):
        actions.needs_registration_create(
            actor=nora, needs_round=needs_round, unit=unit, national_id=number, data=DATA
        )
    assert needs_round.registrations.count() == 1
    # Anonymous descriptions (no number) are kept, and shown as not checked for duplicates.
    actions.needs_registration_create(actor=nora, needs_round=needs_round, unit=unit, data=DATA)
    assert needs_round.registrations.count() == 2


def test_a_registered_person_is_linked_and_reading_the_list_is_logged(  # type: ignore[no-untyped-def]
    needs_round, housing_office, sara
):
    household = family(needs_round.municipality, "Lie")
    person = household.members.get().person
    registration = actions.needs_registration_create(
        actor=sara,
        needs_round=needs_round,
        unit=housing_office,
        national_id=person.national_id,
        data=DATA,
    )
    assert registration.person == person
    client = Client()
    client.force_login(sara)
    response = client.get(f"/behov/runder/{needs_round.pk}/")
    assert response.status_code == 200 and person.full_name in response.content.decode()
    assert AccessEvent.objects.filter(actor=sara, person_id=person.pk).count() == 1


def test_bad_input_and_a_closed_round_write_nothing(needs_round, housing_office, sara, lise):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="11"):
        actions.needs_registration_create(
            actor=sara, needs_round=needs_round, unit=housing_office, national_id="123", data=DATA
        )
    with pytest.raises(ValidationError):
        actions.needs_registration_create(
            actor=sara,
            needs_round=needs_round,
            unit=housing_office,
            data={**DATA, "persons": 2, "children": 2},
        )
    actions.needs_round_close(actor=lise, needs_round=needs_round)
    with pytest.raises(ValidationError):
        actions.needs_registration_create(
            actor=sara, needs_round=needs_round, unit=housing_office, data=DATA
        )
    assert needs_round.registrations.count() == 0
    with pytest.raises(ValidationError):
        actions.needs_round_open(
            actor=lise,
            municipality=needs_round.municipality,
            year=2026,
            title="Igjen",
            deadline=dt.date(2026, 12, 1),
        )


def test_overview_joins_records_and_survey_each_household_once(  # type: ignore[no-untyped-def]
    needs_round, housing_office, sara, raelingen
):
    hostel = provider(raelingen, "Hospitset", "hostel", 500, actor=sara)
    today = timezone.localdate()
    in_stays = [family(raelingen, f"S{i}") for i in range(6)]
    for household in in_stays:
        stay(household, sara, housing_office, [(hostel, today - dt.timedelta(days=3), None)])
    assert Stay.objects.count() == 6
    # One of them is registered in the survey too: known from the records, counted once.
    known = in_stays[0].members.get().person
    actions.needs_registration_create(
        actor=sara,
        needs_round=needs_round,
        unit=housing_office,
        national_id=known.national_id,
        data=DATA,
    )
    for i in range(6):
        actions.needs_registration_create(
            actor=sara,
            needs_round=needs_round,
            unit=housing_office,
            national_id=synthetic_number(dt.date(1970, 1, 1) + dt.timedelta(days=i)),
            data={**DATA, "situation": "no_place" if i < 5 else "unsuitable"},
        )
    o = overview(raelingen, needs_round)
    rows = dict(
        zip([key for key, _label in RECORD_ROWS], [v for _l, v in o["records"]], strict=True)
    )
    assert rows["temporary"] == 6 and rows["homeless"] == 6
    assert o["in_records"] == 6
    survey = o["survey"]
    assert survey["registered"] == 7
    assert survey["already_in_records"] == "<5"  # one
    assert survey["homeless"] == 6  # with_others and five with no place to sleep
    assert survey["not_checked"] == 0
    assert o["total"] == 6 + 6  # the one already known is not counted again
    situations = dict(
        zip(NeedSituation.values, [v for _l, v in survey["by_situation"]], strict=True)
    )
    assert situations["no_place"] == 5
    assert situations["unsuitable"] == "<5"
    assert situations["other"] == 0


def _made(client: Client, url: str) -> bytes:
    """Ask for the export (it goes on the job queue, ADR 0034), make it as the job does, and
    download it from its state page's link."""
    asked = client.post(url)
    assert asked.status_code == 302
    made = ExportFile.objects.order_by("-pk").first()
    assert made is not None and asked["Location"] == f"/jobber/eksport/{made.pk}/"
    export_make_run(export_id=made.pk)
    response = client.get(f"/jobber/eksport/{made.pk}/fil/")
    assert response.status_code == 200
    return response.content


def test_exports_carry_the_overview(needs_round, housing_office, sara, lise, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    actions.needs_registration_create(
        actor=sara, needs_round=needs_round, unit=housing_office, data=DATA
    )
    client = Client()
    client.force_login(lise)
    assert client.get(f"/behov/runder/{needs_round.pk}/excel/").status_code == 405
    sheet = load_workbook(
        io.BytesIO(_made(client, f"/behov/runder/{needs_round.pk}/excel/"))
    ).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][:2] == ["Kartlegging 2026", "Rælingen"]
    assert any(row[0] and row[1] == "<5" for row in cells)
    assert _made(client, f"/behov/runder/{needs_round.pk}/pdf/").startswith(b"%PDF")
    # A leader sees no people: the round's page sends them to the overview.
    assert client.get(f"/behov/runder/{needs_round.pk}/").status_code == 302
