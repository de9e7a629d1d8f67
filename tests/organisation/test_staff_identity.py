"""An administrator of one municipality must not rename or re-email a staff member who also
works in another municipality (issue 10, item 5): the action refuses, and the form says why in
Norwegian."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from husly.audit.models import ChangeEvent
from husly.organisation import actions
from husly.organisation.models import Membership, User

pytestmark = pytest.mark.django_db

RENAME = {"username": "olga", "first_name": "Ola", "last_name": "Overtatt", "email": "x@y.no"}


@pytest.fixture
def olga_in_both(olga, housing_office):  # type: ignore[no-untyped-def]
    """Olga works in Lørenskog and also holds a role in Rælingen."""
    Membership.objects.create(user=olga, unit=housing_office, role="caseworker")
    return olga


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_action_refuses_to_change_the_identity_of_a_user_of_another_municipality(
    arne, olga_in_both
) -> None:
    with pytest.raises(ValidationError, match="kommune du ikke administrerer"):
        actions.staff_update(actor=arne, staff=olga_in_both, data={"email": "ny@epost.no"})
    olga = User.objects.get(pk=olga_in_both.pk)
    assert (olga.first_name, olga.email) == ("Olga", "")
    assert not ChangeEvent.objects.filter(action="staff_update").exists()


def test_the_form_says_why_and_writes_nothing(arne, olga_in_both) -> None:
    url = reverse("organisation:staff_edit", args=[olga_in_both.pk])
    page = _client(arne).get(url).content.decode()
    assert "kommune du ikke administrerer" in page
    response = _client(arne).post(url, RENAME)
    assert response.status_code == 200
    assert "kommune du ikke administrerer" in response.content.decode()
    olga = User.objects.get(pk=olga_in_both.pk)
    assert (olga.first_name, olga.last_name, olga.email) == ("Olga", "Test", "")
    assert not ChangeEvent.objects.filter(action="staff_update").exists()


def test_an_administrator_of_every_municipality_may_change_it(
    arne, olga_in_both, lorenskog
) -> None:
    from husly.organisation.models import Unit

    Membership.objects.create(
        user=arne, unit=Unit.objects.get(municipality=lorenskog), role="administrator"
    )
    url = reverse("organisation:staff_edit", args=[olga_in_both.pk])
    response = _client(arne).post(url, RENAME)
    assert response.status_code == 302
    assert User.objects.get(pk=olga_in_both.pk).last_name == "Overtatt"


def test_staff_of_the_own_municipality_only_are_still_edited(arne, sara) -> None:
    url = reverse("organisation:staff_edit", args=[sara.pk])
    assert "kommune du ikke administrerer" not in _client(arne).get(url).content.decode()
    response = _client(arne).post(url, {**RENAME, "username": "sara"})
    assert response.status_code == 302
    assert User.objects.get(pk=sara.pk).email == "x@y.no"


def test_a_user_with_no_role_at_all_cannot_be_renamed(arne) -> None:
    loner = User.objects.create_user(username="loner", first_name="Lone", last_name="Ensom")
    with pytest.raises(ValidationError):
        actions.staff_update(actor=arne, staff=loner, data={"first_name": "Endret"})
