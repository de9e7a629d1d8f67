"""The menu is kept until the records change for every user with the same memberships: a
colleague in the same role shares it, a user with other roles gets their own, and a new
membership shows in the menu at once (its action writes a change event)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from husly.organisation.actions import membership_add
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def _menu(user: Any) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item["url"] for item in response.context["nav_items"]]


def test_colleagues_share_a_menu_and_other_roles_get_their_own(sara, lise, eirik, housing_office):
    caseworker = _menu(sara)
    assert reverse("cases:work_list") in caseworker
    assert _menu(_user("siri", housing_office, "caseworker")) == caseworker
    leader = _menu(lise)
    assert reverse("insight:dashboard") in leader
    assert reverse("cases:work_list") not in leader
    assert reverse("cases:work_list") not in _menu(eirik)


def test_a_new_membership_shows_in_the_menu_at_once(arne, lise, housing_office):
    assert reverse("cases:work_list") not in _menu(lise)
    membership_add(actor=arne, staff=lise, unit=housing_office, role="caseworker")
    assert reverse("cases:work_list") in _menu(lise)
