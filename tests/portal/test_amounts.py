"""An absurd amount (an extra zero, øre typed as kroner) is refused on the application form
with a Norwegian message that names the limit, and nothing is written; a large but plausible
amount goes through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from husly.cases.forms import AMOUNT_LIMITS
from husly.cases.models import Case
from husly.people.models import Person
from tests.portal.test_portal import _application, _resident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", sorted(AMOUNT_LIMITS))
def test_an_absurd_amount_is_refused_in_min_side(raelingen, routing, field) -> None:
    response = _resident().post(
        reverse("portal:apply"),
        _application(raelingen, **{f"soknad-{field}": str(AMOUNT_LIMITS[field] + 1)}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Beløpet er for stort til å stemme" in html
    limit = f"{AMOUNT_LIMITS[field]:,}".replace(",", "\N{NO-BREAK SPACE}")
    assert f"høyst {limit} kr" in html
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_a_high_but_plausible_income_is_accepted(raelingen, routing) -> None:
    response = _resident().post(
        reverse("portal:apply"),
        _application(raelingen, **{"soknad-gross_annual_income": "1450000"}),
    )
    assert response.status_code == 302
    assert Case.objects.get().application.gross_annual_income == 1_450_000


def test_the_staff_form_refuses_it_too(sara, household, routing) -> None:
    from django.test import Client

    client = Client()
    client.force_login(sara)
    response = client.post(
        reverse("cases:case_create", args=[household.pk]),
        {
            "channel": "phone",
            "help_kinds": ["rental_dwelling"],
            "housing_kind": "no_home",
            "debt": "100000001",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert "Beløpet er for stort til å stemme" in response.content.decode()
    assert not Case.objects.exists()
