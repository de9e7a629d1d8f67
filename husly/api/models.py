"""The open API's clients and the webhooks they subscribe to (ADR 0022).

A client is a system of one municipality (the archive, the digital mailbox, ...). It holds a
token whose SHA-256 hash alone is stored, and scopes that say what it may read. Each client has
a service user without a password or memberships, so its reads of personal data land in the
access log like a page's, with the client as the reader. Rate windows and webhook deliveries
live in the database, so several application servers share them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from husly.organisation.models import Municipality, Unit

API_CLIENT_ROLE = "api_client"
"""The role a client's reads carry in the access log (with the client's unit)."""


class Scope(models.TextChoices):
    DWELLINGS = "read:dwellings", _("Dwellings and buildings")
    WAITING_LIST = "read:waiting-list", _("Waiting list figures")
    CASES = "read:cases", _("Cases and decisions (personal data)")
    LEASES = "read:leases", _("Leases (personal data)")
    EVENTS = "read:events", _("Events (decisions issued, offers made, leases signed)")


class EventKind(models.TextChoices):
    DECISION_ISSUED = "decision.issued", _("Decision issued")
    OFFER_MADE = "offer.made", _("Offer made")
    LEASE_SIGNED = "lease.signed", _("Lease signed")


class ApiClient(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("unit"),
    )
    """The unit that answers for the client: its reads are logged under this unit and the role
    ``api_client`` (null only for a municipality without units)."""
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    """The reader in the access log: no password, no membership, inactive (it cannot log in)."""
    scopes = models.JSONField(_("scopes"), default=list)
    token_prefix = models.CharField(max_length=12, unique=True)
    """The token's first characters, shown to administrators to tell tokens apart."""
    token_hash = models.CharField(max_length=64, unique=True)
    rate_limit = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["municipality", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class RateWindow(models.Model):
    """Requests a client made in one minute, counted with one upsert per request."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "minute"], name="api_rate_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.minute:%H:%M}: {self.count}"


class WebhookSubscription(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("address (URL)"), max_length=500)
    secret = models.CharField(max_length=64)
    """The shared key for the HMAC signature; shown once, kept because each send needs it."""
    events = models.JSONField(_("events"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """Something other systems may want to know, written in the transaction that did it. The
    ``/events`` resource lists these; deliveries send them to subscribers."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    object_id = models.BigIntegerField()
    payload = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["municipality", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class WebhookDelivery(models.Model):
    """The outbox: one row per event and subscription, sent by ``webhooks_deliver_due``."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, default=timezone.now)
    """When to try next; ``None`` once delivered or given up."""
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
