"""Figures kept until the records change: a cache keyed on the latest change event (ADR 0036).

Every state change in Husly is a named action that writes its change event in the same
transaction (``husly.audit.events.record_change``). So the newest change event says whether
anything has changed since a figure was computed: a figure computed from the records is kept
in the shared cache (the database cache: every application server sees the same entries) under
its own key and the newest event's id, and computed again after the next change.

After a change, a reader who finds the figure as of the change before gets that one at once,
and the figure is computed again after the reader's response has been sent (ADR 0038): the
first readers after a change see the figures of a moment ago rather than waiting for them, and
the server computes each figure once. Readers who arrive while it is computed get the earlier
figure too (at most ``COMPUTING`` seconds). Two readers are never shown an earlier figure:

- the one whose own session wrote a newer change (a caseworker who has just acted sees the
  lists and counts with their action in them): the figure is computed for them at once;
- one who finds no earlier figure: it is computed at once.

Outside a request (commands, jobs) a figure is computed at once unless another reader is
computing it.

Two transactions that commit out of the order of their event ids can leave a figure computed
before the earlier-numbered one committed: ``MAX_AGE`` bounds how long such a figure lives, so
a figure is never more than a minute behind a change.

Within one request the newest change is read once (the menu and the page ask for it both): the
request sees the records as of its first read, and a change event the request itself writes
clears that read, so a figure read after it is computed anew.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from husly.audit.models import ChangeEvent

T = TypeVar("T")

logger = logging.getLogger(__name__)

MAX_AGE = 60
"""Seconds a figure is kept at most, also when no change event follows."""
COMPUTING = 30
"""Seconds one reader may take to compute a figure before another reader computes it too."""
WRITTEN = "husly_written_change"
"""The session's key for the newest change event the session's own actions wrote."""


class _RequestMemo(threading.local):
    in_request = False
    change: int | None = None
    """The newest change event, as first read in this request."""
    session: Any = None
    """The request's session (read only when an earlier figure would be shown)."""
    wrote = 0
    """The newest change event this request wrote."""
    after_response: list[Callable[[], None]]

    def __init__(self) -> None:
        self.after_response = []


_memo = _RequestMemo()


@receiver(request_started, dispatch_uid="freshness_request_started")
def _request_started(**_: Any) -> None:
    _memo.in_request, _memo.change, _memo.session, _memo.wrote = True, None, None, 0
    _memo.after_response = []


@receiver(request_finished, dispatch_uid="freshness_request_finished")
def _request_finished(**_: Any) -> None:
    """The figures this request left to compute, now that its response has been sent."""
    pending, _memo.after_response = _memo.after_response, []
    _memo.in_request, _memo.change, _memo.session, _memo.wrote = False, None, None, 0
    for compute in pending:
        try:
            compute()
        except Exception:  # a figure not computed now is computed by a later reader
            logger.exception("A figure kept until the records change was not computed")


@receiver(post_save, sender=ChangeEvent, dispatch_uid="freshness_change_saved")
def _change_saved(instance: ChangeEvent, **_: Any) -> None:
    _memo.change = None
    if _memo.in_request:
        _memo.wrote = max(_memo.wrote, instance.pk)


class FreshnessMiddleware:
    """Remembers in the session the newest change event the user's own actions wrote, so the
    user is never shown a figure from before it (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _memo.session = getattr(request, "session", None)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if _memo.wrote and user is not None and user.is_authenticated:
            request.session[WRITTEN] = max(_memo.wrote, request.session.get(WRITTEN, 0))
        return response


def last_change() -> int:
    """The id of the newest change event (0 before the first): one index probe, once per
    request."""
    if _memo.change is not None:
        return _memo.change
    change = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if _memo.in_request:
        _memo.change = change
    return change


def _own_newest() -> int:
    """The newest change event the reader's session wrote (0: none, or no session)."""
    session = _memo.session
    return int(session.get(WRITTEN, 0)) if session is not None else 0


def until_changed(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` as of the records' latest change, from the cache when it was computed
    since (``key`` says what, for whom and for which day)."""
    base = f"freshness:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    change = last_change()
    found: T | None = cache.get(f"{base}:{change}")
    if found is not None:
        return found
    earlier: tuple[int, T] | None = cache.get(f"{base}:latest")
    first = cache.add(f"{base}:{change}:computing", 1, COMPUTING)
    if earlier is not None and _own_newest() <= earlier[0] < change:
        if not first:
            return earlier[1]  # another reader is computing this figure after the change
        if _memo.in_request:
            _memo.after_response.append(_later(compute, base, change))
            return earlier[1]
    return _store(compute(), base, change)


def _store(found: T, base: str, change: int) -> T:
    cache.set_many({f"{base}:{change}": found, f"{base}:latest": (change, found)}, MAX_AGE)
    return found


def _later(compute: Callable[[], T], base: str, change: int) -> Callable[[], None]:
    """``compute`` to run after the response, in the language of the request."""
    language = translation.get_language()

    def run() -> None:
        with translation.override(language):
            _store(compute(), base, change)

    return run
