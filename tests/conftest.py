"""The fixed cast of role users every test can use (healthchecks' alice/bob/charlie pattern):

- sara: caseworker at the housing office in Rælingen
- geir: approver in Rælingen
- eirik: property manager in Rælingen
- lise: leader in Rælingen (aggregates only)
- arne: administrator in Rælingen
- olga: caseworker in another municipality (Lørenskog): must never see Rælingen's data
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from pytest_django import DjangoDbBlocker

if TYPE_CHECKING:
    from husly.organisation.models import Municipality, Unit, User
    from husly.people.models import Household

PASSWORD = "riktig-hest-batteri-stift"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """pytest-django's test database; at the end of the run, the connections to it that are
    left over (the live server's request threads and a queue worker's threads keep theirs open
    until collected) are ended before it is dropped: PostgreSQL's DROP DATABASE waited 5 s for
    them, at the end of every xdist worker."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _user(username: str, unit: Unit, role: str) -> User:
    from husly.organisation.models import Membership, User

    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.capitalize(), last_name="Test"
    )
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def raelingen(db: None) -> Municipality:
    from husly.organisation.models import Municipality

    return Municipality.objects.create(number="3224", name="Rælingen")


@pytest.fixture
def lorenskog(db: None) -> Municipality:
    from husly.organisation.models import Municipality

    return Municipality.objects.create(number="3222", name="Lørenskog")


@pytest.fixture
def housing_office(raelingen: Municipality) -> Unit:
    from husly.organisation.models import Unit, UnitKind

    return Unit.objects.create(
        municipality=raelingen, name="Tjenestekontoret", kind=UnitKind.HOUSING_OFFICE
    )


@pytest.fixture
def property_unit(raelingen: Municipality) -> Unit:
    from husly.organisation.models import Unit, UnitKind

    return Unit.objects.create(
        municipality=raelingen, name="Eiendomsenheten", kind=UnitKind.PROPERTY
    )


@pytest.fixture
def sara(housing_office: Unit) -> User:
    return _user("sara", housing_office, "caseworker")


@pytest.fixture
def geir(housing_office: Unit) -> User:
    return _user("geir", housing_office, "approver")


@pytest.fixture
def eirik(property_unit: Unit) -> User:
    return _user("eirik", property_unit, "property")


@pytest.fixture
def lise(housing_office: Unit) -> User:
    return _user("lise", housing_office, "leader")


@pytest.fixture
def arne(housing_office: Unit) -> User:
    return _user("arne", housing_office, "administrator")


@pytest.fixture
def olga(lorenskog: Municipality) -> User:
    from husly.organisation.models import Unit, UnitKind

    unit = Unit.objects.create(
        municipality=lorenskog, name="Boligkontoret", kind=UnitKind.HOUSING_OFFICE
    )
    return _user("olga", unit, "caseworker")


@pytest.fixture
def routing(raelingen: Municipality, housing_office: Unit) -> Unit:
    """Every kind of help goes to the housing office, except start loans (NAV)."""
    from husly.cases.models import HelpKind, RoutingRule
    from husly.organisation.models import Unit

    nav = Unit.objects.create(municipality=raelingen, name="NAV Rælingen", kind="nav")
    for kind in HelpKind:
        RoutingRule.objects.create(
            municipality=raelingen,
            help_kind=kind,
            unit=nav if kind == HelpKind.START_LOAN else housing_office,
        )
    return nav


@pytest.fixture
def household(raelingen: Municipality) -> Household:
    """An adult citizen registered in Rælingen for ten years, with one child."""
    from husly.people.models import HouseholdMember
    from tests.factories import HouseholdFactory, PersonFactory

    applicant = PersonFactory(
        municipality=raelingen,
        residence_permit="citizen",
        registered_municipality_number="3224",
        registered_since=dt.date(2015, 1, 1),
        address="Torvvegen 1",
        postal_code="2008",
        postal_town="Fjerdingby",
    )
    household = HouseholdFactory(municipality=raelingen, applicant=applicant, name="Nordmann")
    HouseholdMember.objects.create(
        household=household, relation="child", person=PersonFactory(municipality=raelingen)
    )
    return household
