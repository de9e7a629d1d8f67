"""The fixed cast of role users every test can use (healthchecks' alice/bob/charlie pattern):

- sara: caseworker at the housing office in Rælingen
- geir: approver in Rælingen
- eirik: property manager in Rælingen
- lise: leader in Rælingen (aggregates only)
- arne: administrator in Rælingen
- olga: caseworker in another municipality (Lørenskog): must never see Rælingen's data
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from husly.organisation.models import Municipality, Unit, User

PASSWORD = "riktig-hest-batteri-stift"


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
