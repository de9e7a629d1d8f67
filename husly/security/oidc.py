"""OpenID Connect login for staff (e.g. Entra ID) and for residents (ID-porten).

Built on mozilla-django-oidc, with one provider per audience configured in
``settings.HUSLY_OIDC`` (``staff`` and ``resident``; see docs/admin-guide.md and
docs/decisions/0007-login-and-hardening.md):

- **Staff** are matched by one claim (``HUSLY_OIDC_STAFF_USERNAME_CLAIM``, default
  ``preferred_username``) to an *existing*, active Husly user's username or e-mail. No user is
  ever created: rights come from memberships an administrator gave.
- **Residents** log in with ID-porten, whose ``pid`` claim is the fødselsnummer or D-number.
  :func:`resident_from_claims` reads and validates it, and the user to log in is decided by the
  function named in ``HUSLY_RESIDENT_LOGIN_HANDLER`` (the self-service portal provides it). Without
  a handler the login is refused with a message.

Every ID token is checked for signature (RS256 from the provider's JWKS), expiry, nonce,
issuer and audience; the flow uses PKCE. The callback URL tells which provider a login is for,
so a code is only ever sent to the provider that issued it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from husly.people.identity import InvalidIdentityNumber, parse_identity_number
from husly.security.middleware import MFA_BY_PROVIDER

LOGGER = logging.getLogger(__name__)
STAFF = "staff"
RESIDENT = "resident"
PROVIDERS = (STAFF, RESIDENT)
REQUEST_ATTRIBUTE = "husly_oidc_provider"


def provider_config(provider: str) -> dict[str, Any] | None:
    """The provider's settings, or None when it is not configured."""
    config: dict[str, Any] | None = settings.HUSLY_OIDC.get(provider)
    return config


def is_enabled(provider: str) -> bool:
    return provider_config(provider) is not None


def _settings_for(provider: str, attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's setting names, answered from this provider's configuration."""
    config = provider_config(provider) or {}
    mapped: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": config.get("client_id"),
        "OIDC_RP_CLIENT_SECRET": config.get("client_secret"),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": config.get("authorization_endpoint"),
        "OIDC_OP_TOKEN_ENDPOINT": config.get("token_endpoint"),
        "OIDC_OP_USER_ENDPOINT": config.get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": config.get("jwks_endpoint"),
        "OIDC_RP_SIGN_ALGO": config.get("sign_algo", "RS256"),
        "OIDC_RP_SCOPES": config.get("scopes", "openid"),
        "OIDC_TIMEOUT": config.get("timeout", 10),
        "OIDC_AUTHENTICATION_CALLBACK_URL": f"oidc_{provider}_callback",
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": (
            {"acr_values": config["acr_values"]} if config.get("acr_values") else {}
        ),
    }
    if attr in mapped:
        return mapped[attr]
    return import_from_settings(attr, *default)


def resident_from_claims(claims: dict[str, Any]) -> str:
    """The resident's identity number from ID-porten's claims (``pid``), validated.

    Raises ``SuspiciousOperation`` when the claim is missing or not a valid fødselsnummer or
    D-number (synthetic test numbers only where ``HUSLY_ALLOW_SYNTHETIC_IDS`` is on).
    """
    raw = claims.get("pid")
    if not isinstance(raw, str) or not raw:
        msg = "The ID token has no pid claim."
        raise SuspiciousOperation(msg)
    try:
        number = parse_identity_number(raw, allow_synthetic=settings.HUSLY_ALLOW_SYNTHETIC_IDS)
    except InvalidIdentityNumber as exc:
        msg = "The pid claim is not a valid identity number."
        raise SuspiciousOperation(msg) from exc
    return number.number


class _ProviderBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    provider = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Settings are read per login (in authenticate), so an unconfigured provider costs
        # nothing and tests can configure one at run time.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def get_settings(self, attr: str, *args: Any) -> Any:
        return _settings_for(self.provider, attr, *args)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or getattr(request, REQUEST_ATTRIBUTE, None) != self.provider:
            return None
        if not is_enabled(self.provider):
            return None
        super().__init__()
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as exc:
            # A forged, replayed or misdirected token, or a provider that does not answer.
            LOGGER.warning("OIDC login (%s) refused: %s", self.provider, exc)
            self.refuse(_("The login could not be confirmed. Please try again."))
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry and nonce; we add issuer and audience."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        config = provider_config(self.provider) or {}
        if payload.get("iss") != config.get("issuer"):
            msg = "The ID token comes from another issuer."
            raise SuspiciousOperation(msg)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if config.get("client_id") not in audiences:
            msg = "The ID token was issued for another client."
            raise SuspiciousOperation(msg)
        return payload

    def refuse(self, message: str) -> None:
        request = getattr(self, "request", None)
        if request is not None:
            messages.error(request, message)


class StaffOIDCBackend(_ProviderBackend):
    """Staff login: the claim must name exactly one existing, active Husly user."""

    provider = STAFF

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get(settings.HUSLY_OIDC_STAFF_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        value = claims.get(settings.HUSLY_OIDC_STAFF_USERNAME_CLAIM)
        if not isinstance(value, str) or not value:
            return self.UserModel.objects.none()
        field = settings.HUSLY_OIDC_STAFF_MATCH_FIELD
        return self.UserModel.objects.filter(**{f"{field}__iexact": value, "is_active": True})

    def create_user(self, claims: dict[str, Any]) -> None:
        msg = "Staff users are never created from a login."
        raise SuspiciousOperation(msg)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.refuse(
                _(
                    "Your login was confirmed, but no Husly user matches it. "
                    "Ask an administrator to register you."
                )
            )
        elif settings.HUSLY_OIDC_STAFF_MFA_BY_PROVIDER:
            self.request.husly_mfa_by_provider = True
        return user


class ResidentOIDCBackend(_ProviderBackend):
    """Resident login through ID-porten: hands the identity number to the portal's handler."""

    provider = RESIDENT

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        national_id = resident_from_claims(claims)
        handler_path = settings.HUSLY_RESIDENT_LOGIN_HANDLER
        if not handler_path:
            self.refuse(_("Login for residents is not available in this service yet."))
            return None
        handler: Callable[..., Any] = import_string(handler_path)
        user = handler(request=self.request, national_id=national_id, claims=claims)
        if user is None:
            self.refuse(_("You could not be logged in. Contact the municipality."))
        else:
            # ID-porten's levels "substantial" and "high" are themselves two-factor.
            self.request.husly_mfa_by_provider = True
        return user


def _provider_or_404(provider: str) -> str:
    if provider not in PROVIDERS or not is_enabled(provider):
        raise Http404
    return provider


@method_decorator(login_not_required, name="dispatch")
class LoginStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """``/innlogging/<provider>/``: redirects the browser to the provider."""

    provider = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr: str, *args: Any) -> Any:
        return _settings_for(self.provider, attr, *args)

    def get(self, request: HttpRequest, provider: str) -> HttpResponse:
        self.provider = _provider_or_404(provider)
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        response: HttpResponse = super().get(request)
        return response


@method_decorator(login_not_required, name="dispatch")
class LoginCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """``/innlogging/<provider>/svar/``: the provider sends the browser back here."""

    provider = ""

    def get_settings(self, attr: str, *args: Any) -> Any:
        return _settings_for(self.provider, attr, *args)

    @property
    def success_url(self) -> str:
        next_url = self.request.session.get("oidc_login_next")
        if next_url:
            return str(next_url)
        if self.provider == RESIDENT:
            return resolve_url(settings.HUSLY_RESIDENT_LOGIN_REDIRECT_URL)
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_URL)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        if getattr(self.request, "husly_mfa_by_provider", False):
            self.request.session[MFA_BY_PROVIDER] = True
        return response

    def get(self, request: HttpRequest, provider: str) -> HttpResponse:
        self.provider = _provider_or_404(provider)
        setattr(request, REQUEST_ATTRIBUTE, self.provider)
        response: HttpResponse = super().get(request)
        return response
