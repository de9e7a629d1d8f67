"""OpenID Connect login against a real provider over HTTP (tests/security/oidc_provider.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.test import Client
from django.urls import reverse

from husly.organisation.models import User
from husly.security.oidc import resident_from_claims
from tests.factories import synthetic_number
from tests.security.oidc_provider import OIDCProvider

RESIDENT_NUMBER = synthetic_number(dt.date(1990, 5, 17))
LOGINS: list[dict[str, Any]] = []


def remember_resident(*, request: Any, national_id: str, claims: dict[str, Any]) -> User:
    """A stand-in for the portal's handler: one user per identity number."""
    LOGINS.append({"national_id": national_id, "claims": claims})
    user, _created = User.objects.get_or_create(username=f"innbygger-{national_id}")
    return user


@pytest.fixture
def provider() -> Iterator[OIDCProvider]:
    server = OIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture
def staff_oidc(settings, provider: OIDCProvider) -> OIDCProvider:
    settings.HUSLY_OIDC = {**settings.HUSLY_OIDC, "staff": provider.settings()}
    return provider


@pytest.fixture
def resident_oidc(settings, provider: OIDCProvider) -> OIDCProvider:
    settings.HUSLY_OIDC = {
        **settings.HUSLY_OIDC,
        "resident": provider.settings(acr_values="idporten-loa-high"),
    }
    return provider


def _log_in(client: Client, start_url: str) -> Any:
    """Start at Husly, follow the redirect to the provider over real HTTP, come back."""
    start = client.get(start_url)
    assert start.status_code == 302, start
    authorize = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert authorize.status_code == 302, authorize.text
    callback = authorize.headers["Location"]
    assert callback.startswith("http://testserver/")
    return client.get(callback.removeprefix("http://testserver"))


def test_it_logs_a_staff_member_in_by_preferred_username(staff_oidc, sara) -> None:
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "SARA"}
    client = Client()
    response = _log_in(client, reverse("oidc_staff_login"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == sara
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(staff_oidc.requests)


def test_it_sends_pkce_nonce_and_state_to_the_provider(staff_oidc, sara) -> None:
    start = Client().get(reverse("oidc_staff_login"))
    location = start["Location"]
    for parameter in ("code_challenge=", "code_challenge_method=S256", "nonce=", "state="):
        assert parameter in location


def test_it_never_creates_a_staff_user_from_a_login(staff_oidc, sara) -> None:
    staff_oidc.claims = {"sub": "entra-999", "preferred_username": "ukjent@kommune.no"}
    client = Client(headers={"accept-language": "en"})
    users_before = User.objects.count()
    response = _log_in(client, reverse("oidc_staff_login"))
    assert response["Location"] == reverse("login")
    assert User.objects.count() == users_before
    page = client.get(reverse("login"), headers={"accept-language": "en"})
    assert "no Husly user matches it" in page.content.decode()
    assert not page.context["user"].is_authenticated


def test_it_refuses_an_inactive_staff_user(staff_oidc, sara) -> None:
    sara.is_active = False
    sara.save()
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "sara"}
    client = Client()
    _log_in(client, reverse("oidc_staff_login"))
    assert not client.get(reverse("login")).context["user"].is_authenticated


def test_it_refuses_an_id_token_issued_for_another_client(staff_oidc, sara) -> None:
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "sara"}
    staff_oidc.audience = "some-other-application"
    client = Client(headers={"accept-language": "en"})
    response = _log_in(client, reverse("oidc_staff_login"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "could not be confirmed" in client.get(reverse("login")).content.decode()


def test_it_refuses_an_id_token_from_another_issuer(staff_oidc, sara) -> None:
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "sara"}
    staff_oidc.issuer_override = "https://login.example.invalid/"
    client = Client(headers={"accept-language": "en"})
    response = _log_in(client, reverse("oidc_staff_login"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "could not be confirmed" in client.get(reverse("login")).content.decode()


def test_it_matches_staff_by_email_when_configured(settings, staff_oidc, sara) -> None:
    sara.email = "sara.test@ralingen.kommune.no"
    sara.save()
    settings.HUSLY_OIDC_STAFF_USERNAME_CLAIM = "email"
    settings.HUSLY_OIDC_STAFF_MATCH_FIELD = "email"
    staff_oidc.claims = {"sub": "x", "email": "Sara.Test@ralingen.kommune.no"}
    client = Client()
    _log_in(client, reverse("oidc_staff_login"))
    assert client.get("/").context["user"] == sara


def test_it_counts_the_providers_mfa_as_the_second_factor_only_when_configured(
    settings, staff_oidc, sara
) -> None:
    settings.HUSLY_REQUIRE_2FA = True
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "sara"}
    client = Client()
    _log_in(client, reverse("oidc_staff_login"))
    assert client.get("/")["Location"] == reverse("security:otp_setup")

    settings.HUSLY_OIDC_STAFF_MFA_BY_PROVIDER = True
    client = Client()
    _log_in(client, reverse("oidc_staff_login"))
    assert client.get("/").status_code == 200


def test_the_login_page_offers_the_staff_provider_only_when_configured(settings, provider) -> None:
    assert "Testleverandør" not in Client().get(reverse("login")).content.decode()
    assert Client().get(reverse("oidc_staff_login")).status_code == 404
    settings.HUSLY_OIDC = {**settings.HUSLY_OIDC, "staff": provider.settings()}
    assert "Testleverandør" in Client().get(reverse("login")).content.decode()


def test_a_resident_login_is_refused_with_a_message_without_a_handler(
    resident_oidc, settings, db
) -> None:
    settings.HUSLY_RESIDENT_LOGIN_HANDLER = None
    resident_oidc.claims = {"sub": "idp-1", "pid": RESIDENT_NUMBER}
    client = Client(headers={"accept-language": "en"})
    response = _log_in(client, reverse("oidc_resident_login"))
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login"), headers={"accept-language": "en"})
    assert not page.context["user"].is_authenticated
    assert "Login for residents is not available" in page.content.decode()


def test_a_resident_is_handed_to_the_handler_with_the_identity_number(
    resident_oidc, settings, db
) -> None:
    settings.HUSLY_RESIDENT_LOGIN_HANDLER = "tests.security.test_oidc.remember_resident"
    resident_oidc.claims = {"sub": "idp-1", "pid": RESIDENT_NUMBER, "acr": "idporten-loa-high"}
    LOGINS.clear()
    client = Client()
    start = client.get(reverse("oidc_resident_login"))
    assert "acr_values=idporten-loa-high" in start["Location"]
    response = _log_in(client, reverse("oidc_resident_login"))
    assert response.status_code == 302
    assert LOGINS[-1]["national_id"] == RESIDENT_NUMBER
    assert client.session["_auth_user_id"] == str(
        User.objects.get(username=f"innbygger-{RESIDENT_NUMBER}").pk
    )


def test_a_staff_code_is_never_sent_to_the_resident_provider(
    staff_oidc, resident_oidc, sara, settings
) -> None:
    settings.HUSLY_RESIDENT_LOGIN_HANDLER = "tests.security.test_oidc.remember_resident"
    staff_oidc.claims = {"sub": "entra-123", "preferred_username": "sara"}
    client = Client()
    _log_in(client, reverse("oidc_staff_login"))
    assert client.get("/").context["user"] == sara
    assert not User.objects.filter(username__startswith="innbygger-").exists()


def test_it_reads_and_validates_the_pid_claim(settings) -> None:
    assert resident_from_claims({"pid": RESIDENT_NUMBER}) == RESIDENT_NUMBER
    with pytest.raises(Exception, match="pid"):
        resident_from_claims({"sub": "x"})
    with pytest.raises(Exception, match="not a valid"):
        resident_from_claims({"pid": "12345678901"})
    settings.HUSLY_ALLOW_SYNTHETIC_IDS = False
    with pytest.raises(Exception, match="not a valid"):
        resident_from_claims({"pid": RESIDENT_NUMBER})
