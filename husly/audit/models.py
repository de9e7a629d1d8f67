"""Append-only audit events: what changed (ChangeEvent) and who looked (AccessEvent).

Every action writes a ChangeEvent in its own transaction (zulip's audit-log pattern, spec
engineering-anchors A2); every staff view of a person's data writes an AccessEvent
(personopplysningsloven / GDPR art. 5(2) accountability). Neither can be edited or deleted
through the application.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality, Unit


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            msg = f"{type(self).__name__} is append-only"
            raise AppendOnlyError(msg)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        msg = f"{type(self).__name__} is append-only"
        raise AppendOnlyError(msg)


class ChangeEvent(AppendOnlyModel):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(default=dict)
    person_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class AccessEvent(AppendOnlyModel):
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    person_id = models.BigIntegerField()
    what = models.CharField(_("what"), max_length=200)
    path = models.CharField(max_length=300)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    """The role of the membership that gave access (e.g. caseworker)."""
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    """The unit of that membership: for a case, the routed (or shared) unit the user is in."""
    emergency = models.BooleanField(_("emergency access"), default=False)
    """A break-the-glass read of a person the reader had no part in; ``reason`` says why."""

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["municipality", "-at"], name="audit_access_municipality_at"),
        ]
        """On PostgreSQL the table is partitioned by month (migration 0007, ADR 0023): every
        index exists per month, and a search with a period reads only its months."""

    def __str__(self) -> str:
        return f"{self.what} ({self.person_id})"
