"""Other apps tell the retention job which persons they still need.

An app that keeps persons for its own purpose (a tenancy, a waiting-list entry) registers a
function returning the ids of persons it still uses; the job never anonymises those::

    from husly.retention.hooks import persons_in_use

    @persons_in_use
    def tenants(candidate_ids: set[int]) -> set[int]:
        return set(Lease.objects.filter(...).values_list("person_id", flat=True))
"""

from __future__ import annotations

from collections.abc import Callable

PersonsInUse = Callable[[set[int]], set[int]]
persons_in_use_handlers: list[PersonsInUse] = []


def persons_in_use(handler: PersonsInUse) -> PersonsInUse:
    if handler not in persons_in_use_handlers:
        persons_in_use_handlers.append(handler)
    return handler
