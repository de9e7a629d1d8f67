"""A request id for every request: set by the middleware, put on every log line by the filter.

An incoming ``X-Request-ID`` (from the reverse proxy or a calling system) is kept when it is
sane (1–64 letters, digits, ``-``, ``_``, ``.``, ``:``), so one id follows a request through
the proxy's log and Husly's; otherwise Husly makes one. The id goes back in the response's
``X-Request-ID`` header. A background job's log lines carry ``job-<id>`` (husly.jobs).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("husly_request_id", default=NO_REQUEST)


def current() -> str:
    """The id of the request (or job) being served, ``-`` outside one."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new one."""
    if incoming and SANE.fullmatch(incoming):
        return incoming
    return new_id()


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Log lines inside carry ``request_id`` (used by the middleware and by jobs)."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bound(accepted(request.headers.get(HEADER))) as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response[HEADER] = request_id
            return response


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` to every record (the formatters print it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx response ("Not Found: ...") after the middleware returned,
            # with the request attached: its id is on the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current()
        return True
