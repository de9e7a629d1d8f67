"""The administrator registers an API client, reads its token once, adds a webhook and revokes
the client, in a real browser; every page checked with axe, the API docs page too (ADR 0022)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from husly.api.models import ApiClient, WebhookSubscription
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _call(base: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        f"{base}/api/v1/dwellings", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            json.load(response)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_the_administrator_registers_a_client_adds_a_webhook_and_revokes_it(
    page: Page, live_server, arne
) -> None:
    base = live_server.url
    page.goto(f"{base}/api/dokumentasjon/")
    expect(page.locator("main")).to_contain_text("/api/v1/dwellings")
    check_accessibility(page)

    log_in(page, base, "arne", PASSWORD)
    page.goto(f"{base}/organisasjon/enheter/")
    page.get_by_role("link", name="API-klienter").click()
    expect(page.locator("h1")).to_have_text("API-klienter")
    check_accessibility(page)
    page.get_by_role("link", name="Registrer en klient").click()
    check_accessibility(page)
    page.get_by_role("button", name="Registrer").click()  # nothing filled in
    expect(page.locator(".ds-error-summary")).to_be_visible()
    check_accessibility(page)
    assert not ApiClient.objects.exists()
    page.get_by_label("Navn").fill("Arkivet")
    page.get_by_label("Boliger og bygg").check()
    page.get_by_role("button", name="Registrer").click()
    expect(page.locator("h1")).to_have_text("Klientens nøkkel")
    check_accessibility(page)
    token = page.locator("#secret").inner_text().strip()
    client = ApiClient.objects.get()
    assert token.startswith(client.token_prefix) and token != client.token_hash
    assert _call(base, token) == 200

    page.get_by_role("link", name="Gå til klienten").click()
    expect(page.locator("main")).to_contain_text(client.token_prefix)
    assert token not in page.content()  # never shown again
    check_accessibility(page)
    page.get_by_label("Adresse (URL)").fill("https://arkiv.example/hook")
    page.get_by_label("Vedtak fattet").check()
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.locator("h1")).to_have_text("Webhookens hemmelighet")
    check_accessibility(page)
    assert WebhookSubscription.objects.get().events == ["decision.issued"]

    page.get_by_role("link", name="Gå til klienten").click()
    page.get_by_role("button", name="Trekk tilbake nøkkelen").click()
    expect(page.locator("main")).to_contain_text("Trukket tilbake")
    check_accessibility(page)
    assert _call(base, token) == 401
