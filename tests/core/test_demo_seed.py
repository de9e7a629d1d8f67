"""The demo's generator is deterministic: the same seed gives the same people."""

from __future__ import annotations

import datetime as dt

import pytest

from husly.demo.builder import DemoGenerator
from husly.housing.models import Dwelling
from husly.people.models import Household, Person

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(
        Person.objects.order_by("national_id", "given_name").values_list(
            "national_id", "given_name", "family_name"
        )
    )


def test_the_same_seed_gives_the_same_data(django_db_blocker: object) -> None:
    DemoGenerator("small", seed=7, as_of=dt.date(2026, 11, 1), with_cases=False).run()
    first = _fingerprint()
    Household.objects.all().delete()  # members cascade
    Person.objects.all().delete()
    Dwelling.objects.all().delete()
    from husly.housing.models import Building

    Building.objects.all().delete()
    DemoGenerator("small", seed=7, as_of=dt.date(2026, 11, 1), with_cases=False).run()
    assert _fingerprint() == first
