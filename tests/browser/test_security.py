"""Security pages in a real browser: two-factor set-up, lockout, the audit log, OIDC login.

Every page passes axe-core, and the Content Security Policy blocks nothing the pages need
(Chromium reports any blocked script or style on the console, which fails the test).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from husly.audit.models import AccessEvent
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.factories import PersonFactory
from tests.security.oidc_provider import OIDCProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_violations(page: Page) -> Iterator[list[str]]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield found
    assert not found, found


def test_a_staff_member_sets_up_two_factor_authentication(
    page: Page, live_server, settings, sara, csp_violations
) -> None:
    settings.HUSLY_REQUIRE_2FA = True
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sikkerhet/tofaktor/ny/")
    expect(page.locator("img.husly-qr")).to_be_visible()
    check_accessibility(page)
    page.fill("#id_token", "000000")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".ds-error-summary, .ds-validation-message").first).to_be_visible()
    check_accessibility(page)
    device = TOTPDevice.objects.get(user=sara)
    device.throttle_reset()
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_be_visible()


def test_the_second_factor_page_on_a_later_login(
    page: Page, live_server, settings, sara, csp_violations
) -> None:
    settings.HUSLY_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=sara, name="Husly", confirmed=True)
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sikkerhet/tofaktor/")
    check_accessibility(page)


def test_repeated_failures_show_the_lockout_page(
    page: Page, live_server, settings, sara, csp_violations
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        page.goto(f"{live_server.url}/logg-inn/")
        page.fill("input[name=username]", "sara")
        page.fill("input[name=password]", "feil-passord")
        page.click("form.husly-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("For mange mislykkede innlogginger")
    check_accessibility(page)


def test_an_administrator_searches_the_audit_log(
    page: Page, live_server, arne, sara, raelingen, csp_violations
) -> None:
    person = PersonFactory(municipality=raelingen, given_name="Ingrid", family_name="Lie")
    AccessEvent.objects.create(
        actor=sara, municipality=raelingen, person_id=person.pk, what="person_detail", path="/"
    )
    log_in(page, live_server.url, "arne", PASSWORD)
    page.goto(f"{live_server.url}/organisasjon/enheter/")
    page.click("a[href='/logg/']")
    check_accessibility(page)
    page.fill("#id_person", f"P-{person.pk}")
    page.click("form.husly-filters button[type=submit]")
    expect(page.locator("table")).to_contain_text("Ingrid Lie")
    check_accessibility(page)
    page.select_option("#id_kind", "changes")
    page.fill("#id_person", "P-99999999")
    page.click("form.husly-filters button[type=submit]")
    expect(page.locator(".husly-filters")).to_contain_text("P-")
    check_accessibility(page)
    assert AccessEvent.objects.filter(actor=arne, what="audit_search").exists()


def test_a_staff_member_logs_in_through_the_organisations_provider(
    page: Page, live_server, settings, sara, csp_violations
) -> None:
    provider = OIDCProvider().start()
    try:
        settings.HUSLY_OIDC = {**settings.HUSLY_OIDC, "staff": provider.settings()}
        provider.claims = {"sub": "entra-1", "preferred_username": "sara"}
        page.goto(f"{live_server.url}/logg-inn/")
        check_accessibility(page)
        page.click("text=Testleverandør")
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator(".husly-user")).to_contain_text("Sara")
    finally:
        provider.stop()
