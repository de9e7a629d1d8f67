"""Why a job failed: procrastinate keeps a job's state and events but not its error, so Husly
writes one row per failed attempt (the exception's type and message, never arguments)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


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
