"""Trigram indexes for the person search (``icontains`` on given and family name).

Django's ``icontains`` on PostgreSQL is ``UPPER(col::text) LIKE UPPER('%term%')``, so the GIN
indexes are on ``UPPER(col::text)`` with ``gin_trgm_ops`` (pg_trgm): the search no longer reads
every person of the municipality. Nothing happens on SQLite (no pg_trgm; small databases).
"""

from django.db import migrations

INDEXES = {
    "people_person_given_name_trgm": "given_name",
    "people_person_family_name_trgm": "family_name",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "people_person" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0003_merge_stated_members_and_constraint_messages")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
