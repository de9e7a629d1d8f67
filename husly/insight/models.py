"""A year's KOSTRA figures as Husly filed them (ADR 0021): prepared by the job on 1 January for
the year just ended, so the figures reported to SSB stay as they were, whatever is corrected in
the records afterwards. Counts only, no persons."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality


class KostraYear(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    report = models.JSONField()
    """The JSON of ``manage.py kostra --json`` for the year (figures beside last year's)."""
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="kostra_year_unique"),
        ]

    def __str__(self) -> str:
        return f"KOSTRA {self.year}"
