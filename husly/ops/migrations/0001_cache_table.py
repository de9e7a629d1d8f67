"""The shared cache's table (settings.CACHES, a database cache: ADR 0023), made by ``migrate``
so that no deployment forgets ``createcachetable``."""

from django.core.management import call_command
from django.db import migrations


def forward(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def backward(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS husly_cache")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(forward, backward, elidable=False)]
