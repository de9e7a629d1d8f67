"""In a real browser: a household withdraws its application in Min side after a confirmation,
the caseworker sees who withdrew it, and a caseworker closes and reopens a case. Every page
is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from husly.cases import actions
from husly.cases.models import Case, CaseStatus
from tests.browser.conftest import check_accessibility, log_in
from tests.browser.test_case_journey import _new_page, _resident_applies
from tests.cases.helpers import ELIGIBLE
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_household_withdraws_its_application_in_my_page(
    browser: Browser, live_server, sara, raelingen, routing
) -> None:
    base = live_server.url
    resident = _new_page(browser)
    case = _resident_applies(resident, base, raelingen.pk)
    resident.goto(f"{base}/minside/sak/{case.pk}/")
    resident.click("a[href$='/trekk-tilbake/']")
    expect(resident.locator("h1")).to_have_text("Trekk søknaden")
    check_accessibility(resident)
    resident.click("text=Nei, gå tilbake")
    expect(resident.locator("h1")).to_contain_text(case.number)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    resident.click("a[href$='/trekk-tilbake/']")
    resident.click("form.husly-form button[type=submit]")
    expect(resident.locator(".ds-alert")).to_contain_text("Søknaden din er trukket")
    expect(resident.locator(".husly-facts")).to_contain_text("Ida Berg trakk søknaden")
    expect(resident.locator("a[href$='/trekk-tilbake/']")).to_have_count(0)
    check_accessibility(resident)
    assert Case.objects.get(pk=case.pk).close_reason == "withdrawn"

    worker = _new_page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/{case.pk}/")
    expect(worker.locator(".husly-facts").first).to_contain_text("av Ida Berg på Min side")
    expect(worker.locator(".husly-facts").first).to_contain_text("Søkeren trakk søknaden")
    check_accessibility(worker)


def test_a_caseworker_closes_and_reopens_a_case(
    browser: Browser, live_server, sara, household, routing
) -> None:
    base = live_server.url
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    actions.case_assign(actor=sara, case=case, caseworker=sara)
    worker = _new_page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/arbeidsliste/")
    expect(worker.locator("section[aria-labelledby='wl-mine']")).to_contain_text(case.number)
    worker.goto(f"{base}/saker/{case.pk}/")
    worker.click("a[href$='/avslutt/']")
    check_accessibility(worker)
    # "Other reason" without a note: the error is shown on the form, nothing is closed.
    worker.check("input[name=reason][value=other]")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator(".ds-error-summary")).to_contain_text("Skriv hvorfor saken avsluttes")
    check_accessibility(worker)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    worker.check("input[name=reason][value=other]")
    worker.fill("#id_note", "Husstanden har fått bolig gjennom NAV.")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator(".husly-facts").first).to_contain_text("Annen grunn")
    expect(worker.locator("#h-notes ~ article").first).to_contain_text("Saken er avsluttet")
    check_accessibility(worker)
    worker.goto(f"{base}/saker/arbeidsliste/")
    expect(worker.locator("section[aria-labelledby='wl-mine']")).not_to_contain_text(case.number)

    worker.goto(f"{base}/saker/{case.pk}/")
    worker.click("a[href$='/gjenapne/']")
    check_accessibility(worker)
    worker.fill("#id_reason", "Husstanden har fått oppsigelse.")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator(".husly-facts").first).to_contain_text("Gjenåpnet")
    check_accessibility(worker)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
