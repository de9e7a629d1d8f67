"""In a real browser (issue #15): the start-loan team's other pages — the yearly funding with a
grant budget, an exception 4 a–d on an application, the list of candidates other units propose,
an adaptation grant from the desk to its decision draft, and a loss recorded on a loan. Every
page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from husly.cases.models import RoutingRule
from husly.loans import actions as loans
from husly.loans.models import GrantApplication
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.loans.helpers import loan_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def test_the_team_records_funding_exceptions_candidates_grants_and_a_loss(
    browser: Browser, live_server, routing, household, raelingen, sara
) -> None:
    RoutingRule.objects.filter(municipality=raelingen, help_kind="grant").update(unit=routing)
    world = loan_world(routing, household)
    nina, loan, application = world["loan_caseworker"], world["loan"], world["loan_application"]
    loans.candidate_propose(actor=sara, household=household, note="God økonomi ved fornyelse.")
    base = live_server.url
    page = _page(browser)
    log_in(page, base, nina.username, PASSWORD)

    page.goto(f"{base}/startlan/finansiering/?ar=2026")
    page.fill("#granted_by_husbanken", "20 000 000")
    page.fill("#budget_adaptation", "400 000")
    page.click("text=Lagre finansieringen")
    expect(page.locator("#funding-left")).not_to_contain_text("–")
    check_accessibility(page)

    page.goto(f"{base}/startlan/soknad/{application.pk}/")
    page.select_option("#exception", "1|4.d")
    page.fill("#exception-reason", "Frigjør en kommunal bolig.")
    page.click(f"form[action$='/unntak/soknad/{application.pk}/'] button")
    expect(page.locator("#exceptions-in-use")).to_contain_text("Frigjør en kommunal bolig.")
    check_accessibility(page)

    page.goto(f"{base}/startlan/kandidater/")
    expect(page.locator("#candidates")).to_contain_text("God økonomi ved fornyelse.")
    check_accessibility(page)

    page.goto(f"{base}/startlan/tilskudd/ny/{household.pk}/")
    page.select_option("#grant_kind", "adaptation")
    page.select_option("#housing_kind", "rented_private")
    page.fill("#purpose", "Heis i trappen")
    page.fill("#cost", "200 000")
    page.fill("#amount", "100 000")
    check_accessibility(page)
    page.click("text=Registrer søknaden")
    expect(page.locator("#grant-status")).to_be_visible()
    for name in (
        "has_reduced_function_or_is_older",
        "adaptation_is_appropriate",
        "cannot_finance_otherwise",
    ):
        page.select_option(f"#g-{name}", "yes")
    page.click("form[action$='/fakta/'] button")
    page.click("form[action$='/vurder/'] button")
    expect(page.locator("#grant-assessment")).to_be_visible()
    page.fill("#g-amount", "100 000")
    page.fill("#g-reasoning", "Behovet er dokumentert.")
    page.click("form[action$='/vedtak/'] button")
    check_accessibility(page)
    grant = GrantApplication.objects.get(purpose="Heis i trappen")
    assert grant.decision is not None and grant.decision.amount == 100_000
    page.goto(f"{base}/startlan/tilskudd/")
    expect(page.locator("#grant-budgets")).to_contain_text("300")
    check_accessibility(page)

    page.goto(f"{base}/startlan/lan/{loan.pk}/")
    page.fill("#loss-amount", "10 000")
    page.fill("#loss-on", "2026-12-03")
    page.fill("#loss-note", "Gjeldsordning.")
    page.click("form[action$='/avslutt/tap/'] button")
    expect(page.locator("#loan-ended")).to_contain_text("Gjeldsordning.")
    check_accessibility(page)
