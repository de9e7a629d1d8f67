"""The keys given as one parameter (``among_keys`` for raw SQL, ``InKeys`` for the ORM) pick
exactly the rows whose key is among them, on the database the tests run on (PostgreSQL, or
SQLite with ``DATABASE_URL=sqlite:…``), however many keys."""

from __future__ import annotations

import pytest
from django.db import connection

from husly.core.dbfunctions import InKeys, among_keys
from husly.organisation.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys() -> list[int]:
    Municipality.objects.bulk_create(
        Municipality(number=f"{9000 + n}", name=f"Kommune {n}") for n in range(6)
    )
    return list(Municipality.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize("pick", [[], [0], [1, 3, 5], [5, 0, 0]])
def test_the_rows_among_the_keys_and_no_others(keys: list[int], pick: list[int]) -> None:
    wanted = [keys[n] for n in pick]
    # Keys that match nothing, more than SQLite's old limit of 999 parameters.
    given = wanted + [-n for n in range(1, 1200)] if wanted else []
    among, params = among_keys(given, connection)
    assert len(params) == 1
    table = Municipality._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE id {among} ORDER BY id", params)  # noqa: S608
        found = [row[0] for row in cursor.fetchall()]
    assert found == sorted(set(wanted))
    picked = Municipality.objects.filter(InKeys("pk", given)).order_by("pk")
    assert list(picked.values_list("pk", flat=True)) == sorted(set(wanted))
