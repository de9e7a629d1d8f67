"""Assessment without dead ends in a real browser (issue 11, items 5–7): a caseworker records a
fact that had no field before (is the repayment agreement realistic?) with its source, sets
aside one criterion with its own reason, and every form that comes back with an error keeps what
was typed, shows the error at the field and moves focus to the summary at the top. The same for
the household's application in Min side."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from husly.cases import actions
from husly.cases.models import Case
from tests.browser.conftest import check_accessibility, log_in
from tests.cases.helpers import ELIGIBLE
from tests.conftest import PASSWORD
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _focus_is_on_the_error_summary(page: Page) -> None:
    # Waits for the answer page: a click returns once the navigation has started, when the
    # new document may have no body yet (document.activeElement is then null).
    page.wait_for_load_state("load")
    focused = page.evaluate("document.activeElement?.classList.contains('ds-error-summary')")
    assert focused, page.evaluate("document.activeElement?.outerHTML.slice(0, 200)")


def _field(page: Page, name: str) -> object:
    return page.locator(f"[name='{name}']")


def test_a_caseworker_records_a_new_fact_with_its_source_and_sets_aside_one_criterion(
    browser: Browser, live_server, sara, household, routing
) -> None:
    case: Case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    base = live_server.url
    page = _page(browser)
    log_in(page, base, "sara", PASSWORD)
    page.goto(f"{base}/saker/{case.pk}/")
    page.click("form[action$='/vurdering/'] button[type=submit]")
    expect(page.locator("#vurdering")).to_contain_text("Må vurderes")

    # Item 5: the realism of a repayment agreement now has a field, and every fact a source.
    page.click("a[href$='/vurdering/fakta/']")
    check_accessibility(page)
    page.fill("[name='municipal_arrears']", "12000")
    page.select_option("[name='has_repayment_agreement']", "true")
    page.select_option("[name='source:has_repayment_agreement']", "document")
    page.select_option("[name='repayment_agreement_is_realistic']", "false")
    page.click("form.husly-form button[type=submit]")
    _focus_is_on_the_error_summary(page)
    expect(page.locator(".ds-error-summary")).to_contain_text("Si hvor opplysningen kommer fra")
    expect(_field(page, "municipal_arrears")).to_have_value("12000")  # nothing typed is lost
    expect(_field(page, "repayment_agreement_is_realistic")).to_have_value("false")
    expect(page.locator("[id='id_source:repayment_agreement_is_realistic_error']")).to_be_visible()
    check_accessibility(page)
    page.select_option("[name='source:municipal_arrears']", "register")
    page.select_option("[name='source:repayment_agreement_is_realistic']", "caseworker")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator(".ds-alert")).to_contain_text("Opplysningene er lagret")

    page.click("form[action$='/vurdering/'] button[type=submit]")
    table = page.locator("#vurdering table")
    expect(table).to_contain_text(
        "Nedbetalingsavtalen er realistisk: Nei (Saksbehandlers egen vurdering eller hjemmebesøk)"
    )
    expect(table).to_contain_text(
        re.compile(r"Restanse til kommunen: 12\s?000 \(Offentlig register\)")
    )

    # Item 7: one missing reason; everything else typed stays, and the error is at the field.
    page.select_option("[name='judge:5.6']", "met")
    page.fill("[name='reason:5.6']", "Lav inntekt og ingen formue.")
    page.select_option("[name='judge:5.4.behov_for_hjelp']", "met")
    page.select_option("[name='waive:5.7']", "5.7.hovedregel")
    page.fill("[name='waivereason:5.7']", "Restansen er fra 2012 og avtalen følges nå.")
    page.click("form[action$='/vurdering/'] button[type=submit]")
    _focus_is_on_the_error_summary(page)
    expect(page.locator("[id='id_reason:5.4.behov_for_hjelp_error']")).to_be_visible()
    expect(_field(page, "reason:5.6")).to_have_value("Lav inntekt og ingen formue.")
    expect(_field(page, "judge:5.4.behov_for_hjelp")).to_have_value("met")
    expect(_field(page, "waive:5.7")).to_have_value("5.7.hovedregel")
    expect(_field(page, "waivereason:5.7")).to_have_value(
        "Restansen er fra 2012 og avtalen følges nå."
    )
    check_accessibility(page)
    page.click(".ds-error-summary a")  # the summary links to the field
    page.keyboard.type("Trenger hjelp til å finne bolig.")
    page.click("form[action$='/vurdering/'] button[type=submit]")

    section = page.locator("#vurdering")
    expect(section).to_contain_text("med unntak for: 5.7")
    expect(section).to_contain_text("Restansen er fra 2012 og avtalen følges nå.")
    today = dt.date.today().strftime("%d.%m.%Y")  # noqa: DTZ011 - the page's own date
    expect(section).to_contain_text(f"Lagret {today}: Oppfylt.")  # saved judgements show
    check_accessibility(page)
    assert case.assessments.first().outcome == "meets_with_exception"


def test_min_side_application_keeps_what_was_typed_and_focuses_the_summary(
    browser: Browser, live_server, raelingen, routing
) -> None:
    base = live_server.url
    page = _page(browser)
    page.goto(f"{base}/minside/logg-inn/")
    page.fill("#id_national_id", synthetic_number(dt.date(1990, 4, 4)))
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")
    page.click("a[href$='/minside/sok/']")
    page.select_option("#id_om-municipality", str(raelingen.pk))
    page.fill("#id_om-given_name", "Ida")
    page.fill("#id_om-address", "Torvvegen 2")
    page.check("input[name='soknad-help_kinds'][value='rental_dwelling']")
    page.select_option("#id_soknad-housing_kind", "no_home")
    page.fill("#id_soknad-gross_annual_income", "260000")
    page.fill("#id_soknad-lived_in_municipality_since", "2099-01-01")
    page.click("button[name=submit]")

    _focus_is_on_the_error_summary(page)
    summary = page.locator(".ds-error-summary")
    expect(summary).to_have_count(1)  # one summary for the whole page
    expect(summary.locator("a")).to_have_count(2)  # family name and the future date
    expect(page.locator("#id_om-family_name_error")).to_be_visible()
    expect(page.locator("#id_soknad-lived_in_municipality_since_error")).to_be_visible()
    expect(page.locator("#id_om-given_name")).to_have_value("Ida")
    expect(page.locator("#id_soknad-gross_annual_income")).to_have_value("260000")
    check_accessibility(page)

    page.fill("#id_om-family_name", "Berg")
    page.fill("#id_soknad-lived_in_municipality_since", "2015-01-01")
    page.click("button[name=submit]")
    expect(page.locator(".ds-alert")).to_contain_text("Saksnummer")
    assert Case.objects.count() == 1
