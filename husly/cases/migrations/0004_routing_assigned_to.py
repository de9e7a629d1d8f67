import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def assign_parts_to_the_case_caseworker(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A case taken before units had their own parts: its caseworker holds the parts of the
    units they work in."""
    CaseRouting = apps.get_model("cases", "CaseRouting")
    Membership = apps.get_model("organisation", "Membership")
    for routing in CaseRouting.objects.filter(case__assigned_to__isnull=False).select_related(
        "case"
    ):
        user_id = routing.case.assigned_to_id
        if Membership.objects.filter(user_id=user_id, unit_id=routing.unit_id).exists():
            routing.assigned_to_id = user_id
            routing.save(update_fields=["assigned_to"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_closing"),
        ("organisation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="caserouting",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="caseworker in the unit",
            ),
        ),
        migrations.RunPython(assign_parts_to_the_case_caseworker, migrations.RunPython.noop),
    ]
