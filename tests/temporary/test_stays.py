"""A § 27 placement from the out-of-hours form to the end of the stay: the decision and its
letter, extension, move, end; nights and cost from the stay; flags; refusals; access per role."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from husly.audit.models import AccessEvent, ChangeEvent
from husly.cases.letters import decision_letter_html
from husly.cases.models import Decision
from husly.rules.language import number_in
from husly.temporary import actions
from husly.temporary.models import Inspection, Stay
from tests.temporary.helpers import family, provider

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 22, 30, tzinfo=dt.UTC)


@pytest.fixture
def places(raelingen, sara, routing):  # type: ignore[no-untyped-def]
    return {
        "hostel": provider(raelingen, "Fjerdingby hospits", "hostel", 450, actor=sara),
        "hotel": provider(raelingen, "Strandhotellet", "hotel", 300, "person", actor=sara),
        "adults": provider(raelingen, "Voksenhuset", "hostel", 350, children=False, actor=sara),
        "lapsed": provider(raelingen, "Gamle hospits", "hostel", 400, actor=sara, agreement=False),
    }


@pytest.fixture
def kids(raelingen):  # type: ignore[no-untyped-def]
    return family(raelingen, "Haugen", adult=dt.date(1990, 4, 4), children=(dt.date(2018, 6, 1),))


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _place(client: Client, household, place, unit, nights: int = 7):  # type: ignore[no-untyped-def]
    applicant = household.members.get(relation="applicant").person
    return client.post(
        reverse("temporary:stay_place"),
        {
            "national_id": applicant.national_id,
            "place": place.pk,
            "nights": nights,
            "facts": "Kastet ut i kveld, ingen andre steder å bo.",
            "lasting_path": "municipal_dwelling",
            "responsible_unit": unit.pk,
            "discharge": "",
            "family_reason": "",
        },
    )


def test_out_of_hours_placement_to_lease(sara, lise, kids, places, housing_office):  # type: ignore[no-untyped-def]
    client = _client(sara)
    with time_machine.travel(START, tick=False):
        response = _place(client, kids, places["hostel"], housing_office)
        assert response.status_code == 302, response.context["form"].errors
        stay = Stay.objects.get(household=kids)
        assert stay.starts_on == dt.date(2026, 3, 2)
        assert stay.planned_end == dt.date(2026, 3, 9)
        decision = stay.decision
        assert decision.status == "issued"
        assert decision.help_kind == "temporary_accommodation"
        assert decision.letter_sha256
        html = decision_letter_html(decision)
        child = kids.members.get(relation="child").person
        assert child.full_name in html  # children named
        assert "Fjerdingby hospits" in html
        assert "450 kroner per natt" in html  # a household price: 450 for the family
        assert f"{number_in(3150, 'nb')} kroner" in html  # 7 nights
        assert "Tjenestekontoret har ansvar for å finne en fast bolig" in html
        assert "sosialtjenesteloven § 27" in html
        assert "Statsforvalteren" in html  # appeal rights
        assert ChangeEvent.objects.filter(action="stay_place").exists()
        page = client.get(reverse("temporary:stay_detail", args=[stay.pk]))
        assert page.status_code == 200
        assert AccessEvent.objects.filter(what="temporary_stay", actor=sara).count() == 2

    # Three months later (1 June is exactly three months; the 3rd is past it).
    with time_machine.travel(dt.datetime(2026, 6, 3, 12, tzinfo=dt.UTC), tick=False):
        stay = actions.stay_extend(
            actor=sara, stay=stay, planned_end=dt.date(2026, 7, 1), reason="Venter på bolig."
        )
        assert stay.decision.replaces_id == decision.pk
        client = _client(sara)  # logged in again: no session lasts three months
        page = client.get(reverse("temporary:stay_detail", args=[stay.pk])).content.decode()
        assert "Past three months" in page or "Over tre måneder" in page
        leader = _client(lise).get(reverse("temporary:flags")).content.decode()
        assert f"M-{stay.pk}" in leader
        assert "Haugen" not in leader  # no names for the leader
        stay = actions.stay_move(
            actor=sara,
            stay=stay,
            place=places["hotel"],
            on=dt.date(2026, 6, 3),
            reason="Hospitset stenger for oppussing.",
        )
    with time_machine.travel(dt.datetime(2026, 6, 20, 12, tzinfo=dt.UTC), tick=False):
        stay = actions.stay_end(
            actor=sara,
            stay=stay,
            on=dt.date(2026, 6, 20),
            reason="lease_signed",
            note="Kommunal bolig.",
        )
    segments = list(stay.segments.all())
    # 2 March to 3 June at 450 (93 nights); 3 to 20 June at 2 persons × 300 (17 nights).
    assert [s.nights() for s in segments] == [93, 17]
    assert [s.price_per_night for s in segments] == [450, 600]
    from husly.temporary.selectors import stay_cost

    assert stay_cost(stay) == (110, 93 * 450 + 17 * 600)
    assert [c.kind for c in stay.changes.all()] == ["placed", "extended", "moved", "ended"]
    assert Decision.objects.filter(case=stay.case, help_kind="temporary_accommodation").count() == 3


def test_a_place_without_children_is_refused_for_a_family(sara, kids, places, housing_office):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="tar ikke imot barn"):
        actions.stay_place(
            actor=sara,
            household=kids,
            place=places["adults"],
            starts_on=dt.date(2026, 3, 2),
            planned_end=dt.date(2026, 3, 5),
            lasting_path="private_rental",
            responsible_unit=housing_office,
            facts="Ingen bolig.",
        )
    assert not Stay.objects.exists()
    assert not Decision.objects.exists()


def test_a_lapsed_agreement_needs_a_reason_for_a_family(sara, kids, places, housing_office):  # type: ignore[no-untyped-def]
    kwargs = {
        "actor": sara,
        "household": kids,
        "place": places["lapsed"],
        "starts_on": dt.date(2026, 3, 2),
        "planned_end": dt.date(2026, 3, 5),
        "lasting_path": "private_rental",
        "responsible_unit": housing_office,
        "facts": "Ingen bolig.",
    }
    with pytest.raises(ValidationError, match="har gått ut"):
        actions.stay_place(**kwargs)
    stay = actions.stay_place(**kwargs, family_reason="Alle andre plasser er fulle i natt.")
    assert stay.segments.get().reason == "Alle andre plasser er fulle i natt."


def test_a_failed_inspection_makes_the_agreement_stand_out(sara, places):  # type: ignore[no-untyped-def]
    hostel = places["hostel"].provider
    from husly.temporary.selectors import agreement_state

    assert agreement_state(hostel, dt.date(2026, 3, 1)) == "valid"
    Inspection.objects.create(
        provider=hostel,
        inspected_on=dt.date(2026, 2, 1),
        passed=False,
        findings="Brannalarmen virket ikke.",
        recorded_by=sara,
    )
    assert agreement_state(hostel, dt.date(2026, 3, 1)) == "failed"
    assert agreement_state(places["lapsed"].provider, dt.date(2026, 3, 1)) == "none"


def test_unknown_number_is_a_clear_error(sara, places, housing_office):  # type: ignore[no-untyped-def]
    response = _client(sara).post(
        reverse("temporary:stay_place"),
        {
            "national_id": "12345",
            "place": places["hostel"].pk,
            "nights": 3,
            "facts": "x",
            "lasting_path": "other",
            "responsible_unit": housing_office.pk,
        },
    )
    assert response.status_code == 200
    assert "11" in response.content.decode()
    assert not Stay.objects.exists()


def test_access_per_role(sara, geir, eirik, lise, arne, olga, kids, places, housing_office):  # type: ignore[no-untyped-def]
    stay = actions.stay_place(
        actor=sara,
        household=kids,
        place=places["hostel"],
        starts_on=dt.date(2026, 3, 2),
        planned_end=dt.date(2026, 3, 5),
        lasting_path="private_rental",
        responsible_unit=housing_office,
        facts="Ingen bolig.",
    )
    detail = reverse("temporary:stay_detail", args=[stay.pk])
    for user, status in (
        (sara, 200),
        (geir, 200),
        (eirik, 404),
        (lise, 404),
        (arne, 404),
        (olga, 404),
    ):
        assert _client(user).get(detail).status_code == status, user
    for user, status in ((lise, 200), (sara, 200), (eirik, 404), (arne, 404)):
        assert _client(user).get(reverse("temporary:flags")).status_code == status, user
        assert _client(user).get(reverse("insight:kostra")).status_code == status, user
    # Another municipality's caseworker sees her own (empty) figures, never Rælingen's.
    page = _client(olga).get(reverse("temporary:flags")).content.decode()
    assert f"M-{stay.pk}" not in page
    assert f"M-{stay.pk}" in _client(lise).get(reverse("temporary:flags")).content.decode()
    for user in (eirik, lise, arne, olga):
        with pytest.raises(PermissionDenied):
            actions.stay_extend(actor=user, stay=stay, planned_end=dt.date(2026, 4, 1), reason="x")
