"""A deliberate, narrow path around the append-only triggers for the retention job only.

``DELETE`` on the audit tables is allowed inside a transaction that has set
``SET LOCAL husly.retention_purge = 'on'`` (``husly.retention.purge.audit_purge``); it ends with
the transaction. ``UPDATE`` stays refused always: an event is never changed, only removed when
its retention period is over (docs/decisions/0008-consent-and-retention.md). Anyone who can set
the variable can run SQL as the application anyway; the real protection remains that the
application's database role does not own the tables.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION husly_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('husly.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'husly: % on % is not allowed, audit events are append-only',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION husly_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'husly: % on % is not allowed, audit events are append-only',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_accessevent_role_unit")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
