"""Other apps tell the people app which households a unit has a part in (need to know).

Persons and households sit below cases, allocation and tenancy, so the people app cannot ask
them. Instead each app registers, in its ``AppConfig.ready``, a function that returns a
``Q`` on ``Household`` for the households reached through the user's units (``unit_ids``:
the units where the user holds a role that reads persons)::

    from husly.people.hooks import reaches_households

    @reaches_households
    def followed_up(user, unit_ids):
        return Q(pk__in=Lease.objects.filter(follow_up_unit_id__in=unit_ids).values("household_id"))

Every function must answer with subqueries (no query of its own if it can), so that the
access function stays one query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Q

    from husly.organisation.models import User

HouseholdReach = Callable[["User", list[int]], "Q"]
household_reach_handlers: list[HouseholdReach] = []


def reaches_households(handler: HouseholdReach) -> HouseholdReach:
    """Register ``handler(user, unit_ids) -> Q``; usable as a decorator."""
    if handler not in household_reach_handlers:
        household_reach_handlers.append(handler)
    return handler
