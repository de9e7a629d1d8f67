"""Database functions the ORM lacks, written for PostgreSQL (production) and SQLite (a
developer's default), so that date rules can run set-based in one query instead of per row in
Python."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, DateField, Func


class AddMonths(Func):
    """``expression`` (a date) plus ``months`` calendar months, counted as
    :func:`husly.rules.deadlines.add_months` counts them (domstolloven § 148): the same day
    number in the last month, or that month's last day when it is shorter (31 August + 6 months
    is 28 or 29 February). PostgreSQL's ``date + interval 'N months'`` counts the same way."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression: Any, months: int) -> None:
        if not isinstance(months, int):
            raise TypeError("months must be an int")
        self.months = months
        super().__init__(expression)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        months = self.months
        if connection.vendor == "postgresql":
            return f"(({sql}) + interval '{months} months')::date", list(params)
        # SQLite: the first of the target month plus the day number less one, but at most the
        # last day of that month.
        day = f"(CAST(strftime('%%d', {sql}) AS INTEGER) - 1)"
        same_day = f"date({sql}, 'start of month', '{months:+d} months', '+' || {day} || ' days')"
        last_day = f"date({sql}, 'start of month', '{months + 1:+d} months', '-1 day')"
        return f"min({same_day}, {last_day})", [*params, *params, *params]


class AddDays(Func):
    """``expression`` (a date) plus ``days`` calendar days, as a date."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression: Any, days: int) -> None:
        if not isinstance(days, int):
            raise TypeError("days must be an int")
        self.days = days
        super().__init__(expression)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"(({sql}) + {self.days})", list(params)
        return f"date({sql}, '{self.days:+d} days')", list(params)


def among_keys(keys: Iterable[int], connection: Any) -> tuple[str, list[Any]]:
    """``(sql, params)`` for raw SQL: ``column`` followed by ``sql`` is true when the column
    is one of the integer ``keys`` (hundreds of them: a caseworker's cases, a list's
    households), the keys as ONE parameter whatever their number. On PostgreSQL an array
    (``= ANY(%s::bigint[])``) given as its text (``'{1,2,3}'``): psycopg dumps a list of ints
    item by item in Python, itself about 2 ms for 900 keys, and Django's ``__in`` prepares,
    binds and writes one parameter per key. On SQLite the keys as a JSON array
    (``IN (SELECT value FROM json_each(%s))``), so no number of keys meets SQLite's limit on
    parameters. No keys: nothing matches."""
    keys = [int(key) for key in keys]
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", ["{" + ",".join(map(str, keys)) + "}"]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(keys)]


class InKeys(Func):
    """``expression IN keys`` for many integer keys (hundreds of a caseworker's cases), as a
    condition for ``filter()``: the keys as one parameter (:func:`among_keys`). No keys:
    nothing matches (like an empty ``__in``, the query is not sent)."""

    output_field = BooleanField()
    conditional = True
    arity = 1

    def __init__(self, expression: Any, keys: Iterable[int]) -> None:
        self.keys = sorted(map(int, keys))
        super().__init__(expression)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        if not self.keys:
            raise EmptyResultSet
        sql, params = compiler.compile(self.source_expressions[0])
        among, keys = among_keys(self.keys, connection)
        return f"{sql} {among}", [*params, *keys]
