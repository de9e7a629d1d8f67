"""What the retention job has already done, so a rerun does nothing twice."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Anonymised(models.Model):
    """One record (a case with its application, notes and documents; a person; a household)
    that the retention job anonymised, and under which rule."""

    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    rule = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"
