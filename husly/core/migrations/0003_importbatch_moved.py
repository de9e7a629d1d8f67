# ImportBatch moved to husly.imports; the table stays, only the state leaves core.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
