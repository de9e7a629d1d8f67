"""Journeys J1–J3 in a real browser: a household applies once in Min side, a caseworker
assesses it against the guideline, a second person approves, the letter is right, the
household reads the decision and appeals, and the appeal is reconsidered and forwarded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.cases.models import Appeal, Case, Decision
from husly.people.models import Person
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = synthetic_number(dt.date(1988, 8, 8))


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _resident_applies(page: Page, base: str, municipality_pk: int) -> Case:
    page.goto(f"{base}/minside/logg-inn/")
    check_accessibility(page)
    page.fill("#id_national_id", RESIDENT)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")
    check_accessibility(page)
    page.click("a[href$='/minside/sok/']")
    check_accessibility(page)
    page.select_option("#id_om-municipality", str(municipality_pk))
    page.fill("#id_om-given_name", "Ida")
    page.fill("#id_om-family_name", "Berg")
    page.fill("#id_om-address", "Torvvegen 2")
    page.check("input[name='soknad-help_kinds'][value='rental_dwelling']")
    page.select_option("#id_soknad-housing_kind", "no_home")
    page.select_option("#id_soknad-is_without_suitable_housing", "true")
    page.select_option("#id_soknad-has_alternative_housing_options", "false")
    page.select_option("#id_soknad-has_offer_of_brokered_private_dwelling", "false")
    page.fill("#id_soknad-lived_in_municipality_since", "2015-01-01")
    page.fill("#id_soknad-gross_annual_income", "260000")
    page.fill("#id_soknad-wealth", "0")
    page.fill("#id_soknad-debt", "0")
    page.fill("#id_soknad-municipal_arrears", "0")
    page.click("button[name=submit]")
    expect(page.locator(".ds-alert")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator(".ds-alert")).to_contain_text(case.number)
    check_accessibility(page)
    return case


def test_a_household_applies_a_caseworker_decides_and_the_household_appeals(
    browser: Browser, live_server, sara, geir, raelingen, routing, housing_office
) -> None:
    base = live_server.url
    resident = _new_page(browser)
    case = _resident_applies(resident, base, raelingen.pk)
    # The caseworker has checked the population register (residence and address).
    Person.objects.filter(national_id=RESIDENT).update(
        residence_permit="citizen",
        registered_municipality_number="3224",
        registered_since=dt.date(2015, 1, 1),
    )

    worker = _new_page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/arbeidsliste/")
    check_accessibility(worker)
    worker.click(f"a:has-text('{case.number}')")
    worker.click("form[action$='/ta-saken/'] button")
    worker.click("form[action$='/vurdering/'] button[type=submit]")
    check_accessibility(worker)
    for select in worker.locator("select[name^='judge:']").all():
        select.select_option("met")
        name = select.get_attribute("name").split(":", 1)[1]
        worker.fill(f"textarea[name='reason:{name}']", "Vurdert i kartleggingssamtalen.")
    worker.click("form[action$='/vurdering/'] button[type=submit]")
    expect(worker.locator("#vurdering")).to_contain_text("oppfyller")
    screenshot(worker, "case-assessment")
    worker.click("a[href$='/vedtak/ny/']")
    check_accessibility(worker)
    worker.select_option("#id_kind", "approval")
    worker.fill("#id_facts", "Husstanden er uten bolig og har ikke andre muligheter.")
    worker.fill(
        "#id_reasoning",
        "Husstanden har ingen bolig og klarer ikke å skaffe seg en selv. Vilkårene i "
        "retningslinjene er oppfylt.",
    )
    worker.fill("#id_expected_wait_months", "4")
    worker.select_option("#id_follow_up_unit", str(housing_office.pk))
    worker.click("form.husly-form button[type=submit]")
    worker.click("form[action$='/submit/'] button")
    expect(worker.locator("form[action$='/submit/']")).to_have_count(0)
    check_accessibility(worker)
    decision = Decision.objects.get()

    approver = _new_page(browser)
    log_in(approver, base, "geir", PASSWORD)
    approver.goto(f"{base}/saker/arbeidsliste/")
    approver.click(f"a[href$='/saker/vedtak/{decision.pk}/']")
    approver.click("form[action$='/approve/'] button")
    expect(approver.locator("form[action$='/approve/']")).to_have_count(0)
    assert Decision.objects.get().status == "approved"

    worker.reload()
    worker.click("form[action$='/issue/'] button")
    expect(worker.locator("form[action$='/issue/']")).to_have_count(0)
    expect(worker.locator("code")).to_have_text(Decision.objects.get().letter_sha256)
    check_accessibility(worker)
    screenshot(worker, "decision")
    letter = worker.request.get(f"{base}/saker/vedtak/{decision.pk}/brev/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.body())).pages).split()
    )
    assert "Du får tilsagn om kommunal utleiebolig" in text
    assert "Fristen er" in text and "Kommunens klagenemnd" in text

    resident.goto(f"{base}/minside/sak/{case.pk}/")
    expect(resident.locator(f"a[href$='/minside/vedtak/{decision.pk}/brev/']")).to_be_visible()
    check_accessibility(resident)
    resident.fill(f"#klage-{decision.pk}-grounds", "Jeg trenger bolig nærmere skolen.")
    resident.click(f"form[action$='/vedtak/{decision.pk}/klage/'] button")
    expect(resident.locator(".ds-alert")).to_be_visible()
    screenshot(resident, "portal-case")
    appeal = Appeal.objects.get()

    worker.goto(f"{base}/saker/klager/{appeal.pk}/")
    check_accessibility(worker)
    worker.check("input[name=change][value=false]")
    worker.fill("#id_reasoning", "Klagen gir ingen nye opplysninger.")
    worker.click("form[action$='/reconsider/'] button")
    worker.click("form[action$='/forward/'] button")
    expect(worker.locator(".husly-facts")).to_contain_text("Kommunens klagenemnd")
    check_accessibility(worker)
    appeal.refresh_from_db()
    assert appeal.status == "forwarded"
    assert case.documents.filter(content_type="application/pdf").exists()
