"""Pending imports: a validated file waiting for the user's confirmation, and, for a large
file, its run on the job queue (queued, then imported or not imported with the reason)."""

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
    QUEUED = "queued", _("In the queue")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Not imported")


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
    job_id = models.BigIntegerField(null=True, blank=True)
    """The queue job that applies a large file (ADR 0021); none for a small one applied at once."""
    applied_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    """Why a queued import was not applied, in the user's words (Norwegian)."""
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_importbatch"  # the table from before imports became an app
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
