"""Figures kept until the records change: a cache keyed on the latest change event (ADR 0036).

Every state change in Husly is a named action that writes its change event in the same
transaction (``husly.audit.events.record_change``). So the newest change event says whether
anything has changed since a figure was computed: a figure computed from the records is kept
in the shared cache (the database cache: every application server sees the same entries) under
its own key and the newest event's id, and computed again after the next change.

One reader computes a figure after a change; readers who arrive while it does get the figure
as of the change before (at most ``COMPUTING`` seconds old), rather than all computing the same
figure at once on a busy server. A reader who finds no earlier figure computes it too.

Two transactions that commit out of the order of their event ids can leave a figure computed
before the earlier-numbered one committed: ``MAX_AGE`` bounds how long such a figure lives, so
a figure is never more than a minute behind a change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from husly.audit.models import ChangeEvent

T = TypeVar("T")

MAX_AGE = 60
"""Seconds a figure is kept at most, also when no change event follows."""
COMPUTING = 30
"""Seconds one reader may take to compute a figure before another reader computes it too."""


def last_change() -> int:
    """The id of the newest change event (0 before the first): one index probe."""
    return ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def until_changed(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` as of the records' latest change, from the cache when it was computed
    since (``key`` says what, for whom and for which day)."""
    base = f"freshness:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    change = last_change()
    full = f"{base}:{change}"
    found: T | None = cache.get(full)
    if found is not None:
        return found
    if not cache.add(f"{full}:computing", 1, COMPUTING):
        # Another reader is computing this figure after the change: the one before will do.
        earlier: tuple[int, T] | None = cache.get(f"{base}:latest")
        if earlier is not None and earlier[0] < change:
            return earlier[1]
    found = compute()
    cache.set_many({full: found, f"{base}:latest": (change, found)}, MAX_AGE)
    return found
