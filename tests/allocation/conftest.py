"""Fixtures for allocation and tenancy: tone (allocation meeting member), a vacant dwelling,
and households with issued approvals (through the real cases actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import _user

if TYPE_CHECKING:
    from husly.housing.models import Dwelling
    from husly.organisation.models import Municipality, Unit, User


@pytest.fixture
def tone(housing_office: Unit) -> User:
    return _user("tone", housing_office, "allocation_member")


@pytest.fixture
def vacancy(raelingen: Municipality, eirik: User) -> Dwelling:
    from tests.allocation.helpers import make_dwelling

    return make_dwelling(raelingen, eirik)
