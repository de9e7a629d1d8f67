"""Audit events cannot be changed or removed, through the models or in the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from husly.audit.events import record_change
from husly.audit.models import AccessEvent, AppendOnlyError, ChangeEvent
from tests.factories import PersonFactory


@pytest.fixture
def events(sara, raelingen):  # type: ignore[no-untyped-def]
    person = PersonFactory(municipality=raelingen)
    change = record_change(
        actor=sara,
        action="person_update",
        instance=person,
        municipality=raelingen,
        changes={"phone": ["", "12345678"]},
        person_id=person.pk,
    )
    access = AccessEvent.objects.create(
        actor=sara, municipality=raelingen, person_id=person.pk, what="person_detail", path="/"
    )
    return change, access


def test_the_models_refuse_to_edit_or_delete_an_event(events) -> None:
    change, access = events
    change.action = "something_else"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        access.delete()


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@needs_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_changeevent", "audit_accessevent"])
def test_it_refuses_a_raw_update_in_the_database(events, table) -> None:
    column = "path" if table == "audit_accessevent" else "action"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {column} = 'forged'")  # noqa: S608


@needs_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_changeevent", "audit_accessevent"])
def test_it_refuses_a_raw_delete_in_the_database(events, table) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


@needs_postgres
@pytest.mark.postgres
def test_it_refuses_a_bulk_queryset_update_and_delete(events) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeEvent.objects.update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()
    assert ChangeEvent.objects.filter(action="person_update").count() == 1
    assert AccessEvent.objects.count() == 1
