"""The open API's rows of test_action_permissions' TABLE: only the municipality's
administrator registers and revokes clients and their webhooks. Each call makes the client it
acts on itself (the attempt is rolled back)."""

from __future__ import annotations

from typing import Any

from husly.api import actions as api
from husly.api.models import ApiClient, WebhookSubscription
from husly.organisation.models import User

AD = "administrator"


def _client(w: Any) -> ApiClient:
    service = User.objects.create(username=f"api-test-{ApiClient.objects.count()}", is_active=False)
    creator = User.objects.filter(memberships__unit__municipality=w.municipality).first()
    return ApiClient.objects.create(
        municipality=w.municipality,
        name="Arkiv",
        user=service,
        scopes=["read:dwellings"],
        token_prefix=f"husly_t{service.pk}",
        token_hash=f"{service.pk:064d}",
        created_by=creator,
    )


def _subscription(w: Any) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        client=_client(w), url="https://arkiv.example/hook", secret="s", events=["offer.made"]
    )


ROWS: dict[str, tuple[set[str], Any]] = {
    "husly.api.actions.api_client_register": (
        {AD},
        lambda w, a: api.api_client_register(
            actor=a, municipality=w.municipality, name="Arkiv", scopes=["read:cases"]
        ),
    ),
    "husly.api.actions.api_client_revoke": (
        {AD},
        lambda w, a: api.api_client_revoke(actor=a, client=_client(w)),
    ),
    "husly.api.actions.webhook_subscription_add": (
        {AD},
        lambda w, a: api.webhook_subscription_add(
            actor=a, client=_client(w), url="https://arkiv.example/hook", events=["offer.made"]
        ),
    ),
    "husly.api.actions.webhook_subscription_remove": (
        {AD},
        lambda w, a: api.webhook_subscription_remove(actor=a, subscription=_subscription(w)),
    ),
}
