"""Audit tables refuse UPDATE and DELETE in the database itself (PostgreSQL only).

The models already refuse edits through the application; these triggers also stop raw SQL,
a bulk ``QuerySet.update()``/``delete()`` and any code path that bypasses the models. TRUNCATE
is not blocked here (Django's test flush uses it); in production the application's database
role should not own the tables (see docs/privacy-and-security.md).
"""

from django.db import migrations

TABLES = ["audit_changeevent", "audit_accessevent"]

FORWARD = """
CREATE OR REPLACE FUNCTION husly_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'husly: % on % is not allowed, audit events are append-only',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION husly_audit_append_only();
"""
    for table in TABLES
)

BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES
) + "DROP FUNCTION IF EXISTS husly_audit_append_only();\n"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
