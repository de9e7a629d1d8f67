"""The administrator's pages for API clients and webhooks, and the public API docs page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from husly.api import actions, selectors
from husly.api.forms import ApiClientForm, SubscriptionForm
from husly.api.models import Scope, WebhookDelivery, WebhookSubscription
from husly.api.v1 import api
from husly.core.pages import add_action_errors, paginate, user_of, writable_municipalities
from husly.organisation.access import ORGANISATION_WRITE, get_or_404


def client_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not writable_municipalities(user, ORGANISATION_WRITE).exists():
        raise PermissionDenied
    page = paginate(request, selectors.api_clients_for_admin(user))
    return render(request, "api/client_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    municipalities = writable_municipalities(user, ORGANISATION_WRITE)
    if not municipalities.exists():
        raise PermissionDenied
    form = ApiClientForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, token = actions.api_client_register(
                actor=user,
                municipality=data["municipality"],
                name=data["name"],
                scopes=data["scopes"],
                rate_limit=data["rate_limit"],
                unit=data.get("unit"),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            # The token is shown on this response only; it is never stored in the clear.
            response = render(request, "api/secret_once.html", {"client": client, "token": token})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/client_form.html", {"form": form})


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    client = selectors.api_client_for_admin(user, pk)
    subscriptions = client.subscriptions.filter(removed_at__isnull=True)
    deliveries = (
        WebhookDelivery.objects.filter(subscription__client=client)
        .select_related("event", "subscription")
        .order_by("-pk")[:20]
    )
    return render(
        request,
        "api/client_detail.html",
        {
            "client": client,
            "scope_labels": [Scope(s).label for s in client.scopes if s in Scope.values],
            "subscriptions": subscriptions,
            "deliveries": deliveries,
            "form": SubscriptionForm(),
        },
    )


@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    client = selectors.api_client_for_admin(user, pk)
    try:
        actions.api_client_revoke(actor=user, client=client)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The client was revoked; its token no longer works."))
    return redirect("api:client_detail", pk=client.pk)


@require_POST
def subscription_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    client = selectors.api_client_for_admin(user, pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            subscription, secret = actions.webhook_subscription_add(
                actor=user,
                client=client,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            response = render(
                request,
                "api/secret_once.html",
                {"client": client, "subscription": subscription, "secret": secret},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "api/client_detail.html",
        {
            "client": client,
            "scope_labels": [Scope(s).label for s in client.scopes if s in Scope.values],
            "subscriptions": client.subscriptions.filter(removed_at__isnull=True),
            "deliveries": [],
            "form": form,
        },
        status=400,
    )


@require_POST
def subscription_remove(request: HttpRequest, pk: int, subscription_pk: int) -> HttpResponse:
    user = user_of(request)
    client = selectors.api_client_for_admin(user, pk)
    subscription = get_or_404(WebhookSubscription.objects.filter(client=client), subscription_pk)
    try:
        actions.webhook_subscription_remove(actor=user, subscription=subscription)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The subscription was removed."))
    return redirect("api:client_detail", pk=client.pk)


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": "/api/v1" + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    """The API's reference, rendered on the server from the same OpenAPI document (no script,
    nothing from the network)."""
    schema = api.get_openapi_schema(path_prefix="")
    return render(
        request,
        "api/docs.html",
        {"operations": _operations(schema), "scopes": Scope.choices, "info": schema["info"]},
    )
