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

Within one request the newest change is read once (the menu and the page ask for it both): the
request sees the records as of its first read, and a change event the request itself writes
clears that read, so a figure read after it is computed anew.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_save
from django.dispatch import receiver

from husly.audit.models import ChangeEvent

T = TypeVar("T")

MAX_AGE = 60
"""Seconds a figure is kept at most, also when no change event follows."""
COMPUTING = 30
"""Seconds one reader may take to compute a figure before another reader computes it too."""


class _RequestMemo(threading.local):
    in_request = False
    change: int | None = None


_memo = _RequestMemo()


@receiver(request_started, dispatch_uid="freshness_request_started")
def _request_started(**_: Any) -> None:
    _memo.in_request, _memo.change = True, None


@receiver(request_finished, dispatch_uid="freshness_request_finished")
def _request_finished(**_: Any) -> None:
    _memo.in_request, _memo.change = False, None


@receiver(post_save, sender=ChangeEvent, dispatch_uid="freshness_change_saved")
def _change_saved(**_: Any) -> None:
    _memo.change = None


def last_change() -> int:
    """The id of the newest change event (0 before the first): one index probe, once per
    request."""
    if _memo.change is not None:
        return _memo.change
    change = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if _memo.in_request:
        _memo.change = change
    return change


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
