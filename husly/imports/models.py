"""Pending imports: a validated file waiting for the user's confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("Persons")
    DWELLINGS = "dwellings", _("Dwellings")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Imported")


class ImportBatch(models.Model):
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "core_importbatch"  # the table from before imports became an app
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
