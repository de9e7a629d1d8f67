"""The privacy pages in a real browser, each checked with axe: the caseworker records consent
on the case page, the shared unit reads the case, and the household sees who has looked and
withdraws the consent in Min side."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from husly.cases import actions
from husly.cases.models import Case
from husly.consent.models import Consent
from tests.browser.conftest import check_accessibility, log_in
from tests.cases.helpers import ELIGIBLE
from tests.conftest import PASSWORD, _user
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = synthetic_number(dt.date(1985, 5, 5))


def test_consent_is_recorded_used_seen_and_withdrawn(
    browser: Browser, live_server, sara, household, routing
) -> None:
    base = live_server.url
    applicant = household.members.get(relation="applicant").person
    applicant.national_id, applicant.date_of_birth = RESIDENT, dt.date(1985, 5, 5)
    applicant.save()
    case: Case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    _user("kari", routing, "caseworker")

    worker = browser.new_context(locale="nb-NO").new_page()
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/{case.pk}/")
    check_accessibility(worker)
    worker.click(f"a[href$='/deling/sak/{case.pk}/samtykke/ny/']")
    check_accessibility(worker)
    worker.select_option("#id_given_by", str(applicant.pk))
    worker.select_option("#id_given_how", "written")
    worker.check(f"input[name=units][value='{routing.pk}']")
    worker.check("input[name=purposes][value=economic_advice]")
    worker.check("input[name=data_categories][value=application]")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator("#deling")).to_contain_text("NAV Rælingen")
    check_accessibility(worker)

    nav = browser.new_context(locale="nb-NO").new_page()
    log_in(nav, base, "kari", PASSWORD)
    nav.goto(f"{base}/saker/{case.pk}/")
    expect(nav.locator(".ds-alert")).to_be_visible()
    check_accessibility(nav)

    resident = browser.new_context(locale="nb-NO").new_page()
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", RESIDENT)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    resident.click("a[href$='/minside/innsyn/']")
    expect(resident.locator("table")).to_contain_text("Kari Test")
    expect(resident.locator("table")).to_contain_text("NAV Rælingen")
    check_accessibility(resident)
    resident.goto(f"{base}/minside/deling/")
    check_accessibility(resident)
    resident.click("form[action$='/trekk-tilbake/'] button")
    expect(resident.locator(".ds-alert").first).to_be_visible()
    check_accessibility(resident)
    assert Consent.objects.get().withdrawn_at is not None
    resident.goto(f"{base}/minside/sak/{case.pk}/samtykke/")
    check_accessibility(resident)

    response = nav.goto(f"{base}/saker/{case.pk}/")
    assert response is not None
    assert response.status == 404


def test_break_the_glass_in_the_browser(
    browser: Browser, live_server, arne, household, routing
) -> None:
    """NAV has no part in the household: the page is "not found", with the emergency form;
    a typed reason opens it, and it stands out in the audit log and in Min side."""
    base = live_server.url
    applicant = household.members.get(relation="applicant").person
    applicant.national_id, applicant.date_of_birth = RESIDENT, dt.date(1985, 5, 5)
    applicant.save()
    _user("kari", routing, "caseworker")
    reason = "Brann i oppgangen, må finne kontaktopplysninger"

    nav = browser.new_context(locale="nb-NO").new_page()
    log_in(nav, base, "kari", PASSWORD)
    nav.goto(f"{base}/personer/husstander/{household.pk}/")
    expect(nav.locator("h1")).to_have_text("Fant ikke siden")
    check_accessibility(nav)
    nav.fill("#id_reason", "akutt")
    nav.click("form.husly-form button[type=submit]")
    expect(nav.locator(".ds-error-summary")).to_contain_text("minst 10 tegn")
    check_accessibility(nav)
    nav.fill("#id_reason", reason)
    nav.click("form.husly-form button[type=submit]")
    expect(nav.locator(".ds-alert")).to_contain_text(reason)
    expect(nav.locator("h1")).to_contain_text(household.name)
    check_accessibility(nav)

    admin = browser.new_context(locale="nb-NO").new_page()
    log_in(admin, base, "arne", PASSWORD)
    admin.goto(f"{base}/logg/?emergency=on")
    expect(admin.locator("table")).to_contain_text("Nødtilgang")
    expect(admin.locator("table")).to_contain_text(reason)
    check_accessibility(admin)

    resident = browser.new_context(locale="nb-NO").new_page()
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", RESIDENT)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    resident.goto(f"{base}/minside/innsyn/")
    expect(resident.locator("table")).to_contain_text("Nødtilgang")
    expect(resident.locator("table")).to_contain_text(reason)
    check_accessibility(resident)


def test_the_household_downloads_its_own_data_from_min_side(
    browser: Browser, live_server, sara, household, routing
) -> None:
    """Min side offers the resident's own export as PDF and JSON; each download is logged and
    shows up in "who has looked" as the resident's own."""
    import json
    from pathlib import Path

    from husly.audit.models import AccessEvent

    applicant = household.members.get(relation="applicant").person
    applicant.national_id, applicant.date_of_birth = RESIDENT, dt.date(1985, 5, 5)
    applicant.save()
    case: Case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    base = live_server.url
    context = browser.new_context(locale="nb-NO", accept_downloads=True)
    resident = context.new_page()
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", RESIDENT)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    expect(resident.get_by_text("Last ned opplysningene vi har om deg")).to_be_visible()
    check_accessibility(resident)

    with resident.expect_download() as pdf_download:
        resident.click(f"a[href$='/minside/mine-data/{applicant.pk}/innsyn.pdf']")
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    with resident.expect_download() as json_download:
        resident.click(f"a[href$='/minside/mine-data/{applicant.pk}/innsyn.json']")
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    sections = {s["key"]: s for s in data["sections"]}
    assert data["self_service"] is True
    assert sections["person"]["rows"][0]["national_id"] == RESIDENT
    assert sections["cases"]["rows"][0]["number"] == case.number
    assert set(
        AccessEvent.objects.filter(
            person_id=applicant.pk, what__startswith="portal_export"
        ).values_list("what", flat=True)
    ) == {"portal_export_pdf", "portal_export_json"}

    resident.goto(f"{base}/minside/innsyn/")
    expect(resident.locator("table")).to_contain_text(
        "Du lastet ned opplysningene dine fra Min side (PDF)"
    )
    check_accessibility(resident)
    context.close()
