"""Stored policy simulations: every run with its inputs, levers, seed, code version and
results, so that it can be shown again and replayed identically (``simulation_replay``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality


class SimulationRun(models.Model):
    """One simulation: today's policy (``baseline_levers``) and a scenario (``levers``), both
    run from the same start (``input``, scenario levers inside) with the same seed."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="simulation_runs"
    )
    label = models.CharField(_("name"), max_length=150)
    levers = models.JSONField(_("levers (scenario)"))
    baseline_levers = models.JSONField(_("levers (today's policy)"))
    input = models.JSONField(_("input"))
    input_digest = models.CharField(max_length=64)
    rates_basis = models.JSONField(_("what the rates rest on"), default=dict)
    seed = models.BigIntegerField(_("seed"))
    runs = models.PositiveIntegerField(_("runs"))
    horizon_months = models.PositiveIntegerField(_("months ahead"))
    code_version = models.CharField(_("code version"), max_length=64)
    baseline_result = models.JSONField()
    result = models.JSONField()
    seconds = models.FloatField(default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.created_at:%Y-%m-%d %H:%M})"
