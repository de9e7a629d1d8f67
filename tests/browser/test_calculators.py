"""The calculators in a real browser: the result and its explanation read well and pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_calculates_housing_allowance_and_a_start_loan(
    page: Page, live_server, sara
) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/kalkulator/bostotte/")
    check_accessibility(page)
    page.fill("#id_municipality_number", "3224")
    page.fill("#id_housing_costs_monthly", "11000")
    page.fill("#id_income_monthly", "20000")
    page.fill("#id_ages", "34, 6")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("#resultat .ds-alert")).to_contain_text("kr")
    expect(page.locator("#resultat table")).to_contain_text("Egenandel")
    check_accessibility(page)
    page.evaluate("window.scrollTo(0, document.getElementById('resultat').offsetTop - 8)")
    screenshot(page, "calculator-allowance")
    page.goto(f"{live_server.url}/kalkulator/startlan/")
    page.fill("#id_municipality_number", "3224")
    page.fill("#id_net_income_monthly", "32000")
    page.fill("#id_loan_amount", "2000000")
    page.fill("#id_members", "34 k")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("#resultat")).to_be_visible()
    check_accessibility(page)
    page.fill("#id_municipality_number", "0000")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".ds-error-summary")).to_be_visible()
    check_accessibility(page)
