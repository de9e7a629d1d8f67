"""Registering and revoking API clients, their webhook subscriptions, and sending webhooks.

An administrator of the municipality registers a client; the token and a subscription's secret
are returned once and only their hash (token) or the secret itself (needed to sign) is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from husly.api import tokens
from husly.api.models import (
    ApiClient,
    EventKind,
    Scope,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from husly.audit.events import record_change
from husly.organisation.access import ORGANISATION_WRITE, access_via, require_permission
from husly.organisation.models import Municipality, Unit, User

MAX_ATTEMPTS = 8
"""After this many failed sends a delivery is given up (about 4 hours of back-off)."""
BACKOFF_BASE_SECONDS = 60
SEND_TIMEOUT_SECONDS = 10
MAX_RATE_LIMIT = 10_000


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(s)s") % {"s": ", ".join(unknown)}})
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return chosen


@transaction.atomic
def api_client_register(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    scopes: Iterable[str],
    rate_limit: int = 120,
    unit: Unit | None = None,
) -> tuple[ApiClient, str]:
    """Register a system of the municipality; returns the client and its token, shown once.
    ``unit`` answers for the client (its reads are logged under it); by default the unit
    through which the registering administrator administers the municipality."""
    require_permission(actor, municipality.pk, ORGANISATION_WRITE)
    if unit is None:
        _role, unit_id = access_via(actor, municipality.pk, ORGANISATION_WRITE)
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    elif unit.municipality_id != municipality.pk:
        raise ValidationError({"unit": _("Choose a unit of the municipality.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    chosen = _check_scopes(scopes)
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        raise ValidationError({"rate_limit": _("Between 1 and 10,000 requests a minute.")})
    token = tokens.new_token()
    service = User(
        username=f"api-{tokens.new_secret()[:12]}",
        first_name="API",
        last_name=name[:150],
        is_active=False,
    )
    service.set_unusable_password()
    service.save()
    client = ApiClient(
        municipality=municipality,
        name=name,
        unit=unit,
        user=service,
        scopes=chosen,
        token_prefix=token[: tokens.PREFIX_LENGTH],
        token_hash=tokens.token_hash(token),
        rate_limit=rate_limit,
        created_by=actor,
    )
    client.full_clean()
    client.save()
    record_change(
        actor=actor,
        action="api_client_register",
        instance=client,
        municipality=municipality,
        changes={
            "name": [None, name],
            "scopes": [None, chosen],
            "unit": [None, unit.name if unit is not None else None],
        },
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """The token stops working at once; its subscriptions receive nothing more."""
    require_permission(actor, client.municipality_id, ORGANISATION_WRITE)
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("The client is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    WebhookDelivery.objects.filter(
        subscription__client=locked, next_attempt_at__isnull=False
    ).update(next_attempt_at=None, failed_at=locked.revoked_at, last_error="client revoked")
    record_change(
        actor=actor,
        action="api_client_revoke",
        instance=locked,
        municipality=locked.municipality,
        changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
    )
    return locked


@transaction.atomic
def webhook_subscription_add(
    *, actor: User, client: ApiClient, url: str, events: Iterable[str]
) -> tuple[WebhookSubscription, str]:
    """Subscribe a client to events at ``url``; returns the subscription and its secret."""
    require_permission(actor, client.municipality_id, ORGANISATION_WRITE)
    if client.revoked_at is not None:
        raise ValidationError(_("The client is revoked."))
    chosen = sorted(set(events))
    if not chosen or any(e not in EventKind.values for e in chosen):
        raise ValidationError({"events": _("Choose at least one event.")})
    secret = tokens.new_secret()
    subscription = WebhookSubscription(client=client, url=url, secret=secret, events=chosen)
    subscription.full_clean()
    subscription.save()
    record_change(
        actor=actor,
        action="webhook_subscription_add",
        instance=subscription,
        municipality=client.municipality,
        changes={"url": [None, url], "events": [None, chosen]},
    )
    return subscription, secret


@transaction.atomic
def webhook_subscription_remove(
    *, actor: User, subscription: WebhookSubscription
) -> WebhookSubscription:
    client = subscription.client
    require_permission(actor, client.municipality_id, ORGANISATION_WRITE)
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.removed_at is not None:
        raise ValidationError(_("The subscription is already removed."))
    locked.removed_at = timezone.now()
    locked.save(update_fields=["removed_at"])
    locked.deliveries.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=None, failed_at=locked.removed_at, last_error="subscription removed"
    )
    record_change(
        actor=actor,
        action="webhook_subscription_remove",
        instance=locked,
        municipality=client.municipality,
        changes={"removed_at": [None, locked.removed_at.isoformat()]},
    )
    return locked


def webhook_event_record(
    *, municipality_id: int, kind: str, object_id: int, payload: dict[str, Any]
) -> WebhookEvent:
    """Write the event and one outbox row per live subscription, in the caller's transaction
    (the action that issued the decision, made the offer or signed the lease)."""
    event = WebhookEvent.objects.create(
        municipality_id=municipality_id, kind=kind, object_id=object_id, payload=payload
    )
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(
            client__municipality_id=municipality_id,
            client__revoked_at__isnull=True,
            removed_at__isnull=True,
        )
        if kind in s.events
    ]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, event=event, next_attempt_at=event.at)
        for s in subscriptions
    )
    return event


def webhook_body(event: WebhookEvent) -> bytes:
    return json.dumps(
        {
            "id": event.pk,
            "event": event.kind,
            "at": event.at.isoformat(),
            "municipality": event.municipality_id,
            "data": event.payload,
        },
        sort_keys=True,
    ).encode()


def _send(delivery: WebhookDelivery, now: dt.datetime) -> tuple[int | None, str]:
    subscription = delivery.subscription
    body = webhook_body(delivery.event)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(  # noqa: S310 - an https/http URL checked by URLField
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Husly-Webhooks/1",
            "Husly-Event": delivery.event.kind,
            "Husly-Delivery": str(delivery.pk),
            "Husly-Timestamp": timestamp,
            "Husly-Signature": tokens.signature(subscription.secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(error)[:300]


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8, ... minutes after the first, second, third ... failed attempt."""
    return dt.timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def webhooks_deliver_due(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send every delivery that is due, each claimed under a row lock (``skip locked``), so
    several workers or servers never send one twice at once. A 2xx marks it delivered;
    anything else schedules the next attempt with exponential back-off, until
    ``MAX_ATTEMPTS``. Returns counts of ``delivered``, ``retry`` and ``failed``."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for _i in range(limit):
        with transaction.atomic():
            delivery = (
                WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscription", "event")
                .filter(next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if delivery is None:
                break
            status, error = _send(delivery, now)
            delivery.attempts += 1
            delivery.last_attempt_at = now
            delivery.last_status = status
            if status is not None and 200 <= status < 300:  # noqa: PLR2004
                delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
                counts["delivered"] += 1
            elif delivery.attempts >= MAX_ATTEMPTS:
                delivery.failed_at, delivery.next_attempt_at = now, None
                delivery.last_error = error
                counts["failed"] += 1
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                delivery.last_error = error
                counts["retry"] += 1
            delivery.save()
    return counts
