"""Each unit's own part of the dashboard, per role: the unit's members see its figures
exactly; the municipality's other dashboard readers (leaders, the housing office) see the same
figures with small counts suppressed, because they leave the unit that owns them; nobody else
reaches them (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from husly.organisation.models import Unit, UnitKind
from tests.allocation.helpers import make_dwelling
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _stock_row(body: str) -> str:
    """The "In all" row of the dwellings-by-kind table."""
    start = body.index("Boliger etter type")
    row = body.index("I alt", start)
    return body[row : body.index("</tr>", row)]


@pytest.fixture
def stock(raelingen, eirik):  # type: ignore[no-untyped-def]
    for rooms in (1, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)


def test_the_property_unit_sees_its_stock_exactly_and_others_see_it_suppressed(
    raelingen, property_unit, eirik, lise, sara, stock
) -> None:  # type: ignore[no-untyped-def]
    mine = _client(eirik).get(reverse("insight:own_unit_dashboard"))
    assert mine.status_code == 200
    body = mine.content.decode()
    assert "Boligmasse og ledighet" in body and "<td>3</td>" in _stock_row(body)
    assert "Dette er enhetens egne tall, vist nøyaktig." in body
    url = reverse("insight:unit_dashboard", args=[property_unit.pk])
    assert _client(eirik).get(url).status_code == 200
    # The leader and the housing office's caseworker: the same part, suppressed.
    for reader in (lise, sara):
        body = _client(reader).get(url).content.decode()
        assert "&lt;5" in _stock_row(body), reader
        assert "<td>3</td>" not in _stock_row(body)


def test_nav_sees_temporary_stays_arrears_covered_and_its_start_loans(
    raelingen, routing, housing_office, lise
) -> None:  # type: ignore[no-untyped-def]
    nora = _user("nora", routing, "caseworker")  # NAV; start loans are routed to NAV
    body = _client(nora).get(reverse("insight:own_unit_dashboard")).content.decode()
    assert "Midlertidig botilbud og husleierestanse dekket" in body
    assert "Restanse dekket av NAV i perioden" in body
    assert "Startlån og tilskudd" in body
    assert "Bosetting av flyktninger" not in body and "Boligmasse og ledighet" not in body
    # the menu leads there
    assert reverse("insight:own_unit_dashboard") in body
    # the leader sees NAV's part as it leaves NAV
    page = _client(lise).get(reverse("insight:unit_dashboard", args=[routing.pk]))
    assert page.status_code == 200
    assert "tilhører en annen enhet" in page.content.decode()


def test_the_refugee_service_sees_settlement(raelingen) -> None:  # type: ignore[no-untyped-def]
    service = Unit.objects.create(
        municipality=raelingen, name="Flyktningtjenesten", kind=UnitKind.REFUGEE_SERVICE
    )
    rita = _user("rita", service, "caseworker")
    body = _client(rita).get(reverse("insight:own_unit_dashboard")).content.decode()
    assert "Bosetting av flyktninger" in body and "Bosatte husstander" in body


def test_who_is_refused_a_units_part(
    raelingen, property_unit, housing_office, olga, sara, eirik, routing
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("insight:unit_dashboard", args=[property_unit.pk])
    # another municipality, and a role of Rælingen without the dashboard (property manager
    # of another unit, a follow-up worker): 404
    follow = Unit.objects.create(
        municipality=raelingen, name="Oppfølgingstjenesten", kind=UnitKind.FOLLOW_UP
    )
    frank = _user("frank", follow, "follow_up")
    assert _client(olga).get(url).status_code == 404
    assert _client(frank).get(url).status_code == 404
    assert (
        _client(eirik).get(reverse("insight:unit_dashboard", args=[routing.pk])).status_code == 404
    )
    # a unit that owns no part has no page of its own, and no menu item
    assert _client(frank).get(reverse("insight:own_unit_dashboard")).status_code == 404
    assert _client(sara).get(reverse("insight:own_unit_dashboard")).status_code == 404
    home = _client(sara).get(reverse("home")).content.decode()
    assert reverse("insight:own_unit_dashboard") not in home
    # the leaders' dashboard lists the units' parts
    assert _client(sara).get(reverse("insight:dashboard")).status_code == 200


def test_the_dashboard_links_each_units_part(raelingen, property_unit, routing, lise) -> None:  # type: ignore[no-untyped-def]
    body = _client(lise).get(reverse("insight:dashboard")).content.decode()
    assert reverse("insight:unit_dashboard", args=[property_unit.pk]) in body
    assert reverse("insight:unit_dashboard", args=[routing.pk]) in body


def test_a_small_part_cannot_be_got_back_from_the_total() -> None:
    """Secondary suppression: one small part beside a shown total takes the next smallest
    part with it; two small parts, or none, hide nothing more."""
    from husly.insight.suppression import hidden_with_total

    assert hidden_with_total([3, 40, 12, 0]) == [True, False, True, False]
    assert hidden_with_total([3, 2, 40]) == [True, True, False]
    assert hidden_with_total([10, 40, 0]) == [False, False, False]
    assert hidden_with_total([4, 0]) == [True, False]  # nothing else to hide: total is <5 too


def test_the_property_part_hides_what_subtraction_would_give_away(
    raelingen, property_unit, eirik, lise
) -> None:  # type: ignore[no-untyped-def]
    for rooms in range(7):
        make_dwelling(raelingen, eirik, rooms=1 + rooms % 3)
    from husly.housing.models import Dwelling

    first = Dwelling.objects.order_by("pk").first()
    assert first is not None
    Dwelling.objects.filter(pk=first.pk).update(category="care")  # one of another kind
    url = reverse("insight:unit_dashboard", args=[property_unit.pk])
    body = _client(lise).get(url).content.decode()
    table = body[
        body.index("Boliger etter type") : body.index("</table>", body.index("Boliger etter type"))
    ]
    assert "<td>6</td>" not in table  # the ordinary ones would give the single one away
    assert "<td>7</td>" in _stock_row(body)  # the total is shown
