"""What other apps do when a lease comes into force, in the same transaction.

Tenancy sits below the apps that follow a household to its home (temporary accommodation, ...),
so it cannot import them; they register a handler in their ``AppConfig.ready`` instead. A handler
must not have side effects outside the database (use ``transaction.on_commit`` for those).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from husly.organisation.models import User
    from husly.tenancy.models import Lease

LeaseActivated = Callable[["Lease", "User | None"], None]
lease_activated_handlers: list[LeaseActivated] = []


def on_lease_activated(handler: LeaseActivated) -> LeaseActivated:
    """Register ``handler(lease, actor)``, called when a lease comes into force (``actor`` is
    ``None`` for the daily job); usable as a decorator."""
    if handler not in lease_activated_handlers:
        lease_activated_handlers.append(handler)
    return handler


LeaseSigned = Callable[["Lease"], None]
lease_signed_handlers: list[LeaseSigned] = []


def on_lease_signed(handler: LeaseSigned) -> LeaseSigned:
    """Register ``handler(lease)``, called in ``lease_sign``'s transaction when the second
    party has signed (the lease is signed by both); usable as a decorator."""
    if handler not in lease_signed_handlers:
        lease_signed_handlers.append(handler)
    return handler


LeaseEnded = Callable[["Lease", "User | None"], None]
lease_ended_handlers: list[LeaseEnded] = []


def on_lease_ended(handler: LeaseEnded) -> LeaseEnded:
    """Register ``handler(lease, actor)``, called in ``lease_end``'s transaction whatever the
    reason the lease ended (``lease.end_reason``, ``lease.ended_on`` are set); usable as a
    decorator."""
    if handler not in lease_ended_handlers:
        lease_ended_handlers.append(handler)
    return handler
