"""Why a job failed: procrastinate keeps a job's state and events but not its error, so Husly
writes one row per failed attempt (the exception's type and message, never arguments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality


class JobFailure(models.Model):
    job_id = models.BigIntegerField(db_index=True)
    task_name = models.CharField(max_length=128)
    attempt = models.PositiveIntegerField()
    error = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.job_id}: {self.error[:60]}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("In the queue")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Not made")


class ExportFile(models.Model):
    """A large export one user asked for, made on the job queue and kept for them to download
    (ADR 0034). The file belongs to the user who asked: only they download it, and only while
    they still may see what it exports. Removed with its file after ``HUSLY_EXPORTS_KEEP_DAYS``
    by the periodic ``jobs_cleanup``. The kinds are registered by the apps
    (``husly.jobs.exports``)."""

    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    """What to export (ids, period), as JSON values; never personal data."""
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=10, default="nb")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    job_id = models.BigIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
