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


class SimulationRequestStatus(models.TextChoices):
    QUEUED = "queued", _("In the queue")
    DONE = "done", _("Done")
    FAILED = "failed", _("Not run")


class SimulationRequest(models.Model):
    """A simulation asked for on the simulation page and run on the job queue (ADR 0034): what
    was asked (levers, runs, months, the date and the seed chosen when asked, so a retry gives
    the same run), and then the stored run or why there is none."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("name"), max_length=150)
    changes = models.JSONField(_("levers changed"))
    runs = models.PositiveIntegerField(_("runs"))
    horizon_months = models.PositiveIntegerField(_("months ahead"))
    seed = models.BigIntegerField(_("seed"))
    as_of = models.DateField()
    """The day the simulation starts from (the day it was asked for)."""
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20,
        choices=SimulationRequestStatus.choices,
        default=SimulationRequestStatus.QUEUED,
    )
    job_id = models.BigIntegerField(null=True, blank=True)
    run = models.OneToOneField(
        SimulationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    error = models.TextField(blank=True)
    """Why the simulation was not run, in the user's words (Norwegian)."""
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.label
