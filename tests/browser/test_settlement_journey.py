"""Issue 14 (settlement) in a real browser: the council's decision, an IMDi request for a
family accepted, a dwelling chosen before arrival with the criteria shown and a reason, the
lease written and signed through tenancy, the arrival, and the leader's figures. Every page is
axe-checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.settlement.models import BuildingSurroundings, SettlementCase, SettlementFact
from husly.tenancy.models import Lease
from tests.allocation.helpers import lease_terms, make_dwelling
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.settlement.helpers import refugee_caseworker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_family_is_accepted_a_dwelling_chosen_with_reasons_leased_and_arrives(
    browser: Browser, live_server, raelingen, eirik, lise
) -> None:
    base = live_server.url
    today = timezone.localdate()
    refugee_caseworker(raelingen)
    lease_terms(raelingen, eirik)
    small = make_dwelling(raelingen, eirik, rooms=1, rent=8000, address="Smalvegen 1")
    good = make_dwelling(raelingen, eirik, rooms=3, rent=10500, address="Skolevegen 2")
    BuildingSurroundings.objects.create(
        building=good.building, school_m=350, kindergarten_m=200, centre_m=900, homes_in_building=12
    )

    farid = _page(browser)
    log_in(farid, base, "farid", PASSWORD)
    farid.goto(f"{base}/bosetting/")
    check_accessibility(farid)
    farid.click("a[href$='/bosetting/vedtak/']")
    check_accessibility(farid)
    farid.fill("#id_persons", "18")
    farid.fill("#id_extra_persons", "5")
    farid.fill("#id_extra_description", "overføringsflyktninger")
    farid.fill("#id_council_reference", f"PS 14/{today.year}")
    farid.fill("#id_decided_on", dt.date(today.year, 2, 12).isoformat())
    farid.click("form.husly-form button[type=submit]")
    expect(farid.locator("#settlement-progress")).to_contain_text(f"PS 14/{today.year}")

    # IMDi's request for a family of four, as IMDi gives it
    farid.click("a[href$='/bosetting/anmodning/ny/']")
    check_accessibility(farid)
    farid.fill("#id_imdi_reference", "IMDi-2026-0412")
    farid.fill("#id_received_on", (today - dt.timedelta(days=30)).isoformat())
    farid.fill("#id_family_name", "Haddad")
    farid.fill("#id_household_size", "4")
    farid.fill("#id_ages", "38, 35")  # one age missing: refused with a clear message
    farid.fill("#id_preferences", "Nær skole og barnehage.")
    farid.check("#id_resettlement")
    farid.click("form.husly-form button[type=submit]")
    expect(farid.locator(".ds-error-summary")).to_contain_text("hver av de 4 personene")
    check_accessibility(farid)
    farid.fill("#id_ages", "38, 35, 9, 4")
    farid.click("form.husly-form button[type=submit]")
    expect(farid.locator("#request-facts")).to_contain_text("38, 35, 9, 4")
    check_accessibility(farid)

    # accepted: the household is registered and the case opened
    farid.fill("#id_given_name", "Omar")
    farid.fill("#id_date_of_birth", "1988-03-01")
    farid.fill("#id_expected_arrival", today.isoformat())
    # the answer letter is rendered in this request (WeasyPrint's first run loads the fonts)
    farid.click("form:has(input[value=accept]) button[type=submit]", timeout=60_000)
    expect(farid.locator("h1")).to_contain_text("Bosettingssak: Haddad")
    expect(farid.locator("#case-wishes")).to_contain_text("Nær skole og barnehage.")
    # the answer to IMDi, linked from the case page: a stored PDF in bokmål
    href = farid.locator("#case-answer-letter").get_attribute("href")
    letter = farid.request.get(f"{base}{href}")
    assert letter.headers["content-type"] == "application/pdf"
    text = _pdf_text(letter.body())
    assert "Svar på anmodning om bosetting" in text
    assert "Rælingen kommune sier ja til å bosette Haddad." in text
    assert f"PS 14/{today.year}" in text and "ikke et enkeltvedtak" in text
    # the proposals with the criteria: the fitting dwelling first, the small one flagged
    rows = farid.locator("#proposals tbody tr")
    expect(rows.nth(0)).to_contain_text("Skolevegen 2")
    expect(rows.nth(0)).to_contain_text("skole 350 m")
    expect(rows.nth(0)).to_contain_text("innenfor rammen")
    expect(rows.nth(0)).to_contain_text("0 av 12 boliger er kommunale")
    expect(rows.nth(1)).to_contain_text("For få rom for husstanden")
    check_accessibility(farid)
    screenshot(farid, "settlement-proposals")
    farid.check(f"#dw-{good.pk}")
    farid.click("form[action$='/velg/'] button[type=submit]")  # no reason: refused
    expect(farid.locator(".ds-error-summary, .ds-alert").first).to_be_visible()
    farid.check(f"#dw-{good.pk}")
    farid.fill("#id_reason", "Tre soverom, innenfor rammen, 350 m til skolen som familien ønsket.")
    farid.click("form[action$='/velg/'] button[type=submit]")
    expect(farid.locator("#choice-reason")).to_contain_text("350 m til skolen")
    expect(farid.locator("#chosen-criteria")).to_contain_text("skole 350 m")
    check_accessibility(farid)
    screenshot(farid, "settlement-case")
    case = SettlementCase.objects.get()
    good.refresh_from_db()
    assert case.dwelling == good and good.status == "reserved" and small.status == "vacant"

    # the lease, through tenancy: written by the refugee service, sent and signed by property
    farid.click(f"a[href$='/bosetting/sak/{case.pk}/leiekontrakt/']")
    check_accessibility(farid)
    farid.click("form.husly-form button[type=submit]")
    expect(farid.locator("#lease-status")).to_have_text("Utkast")
    lease = Lease.objects.get()
    prop = _page(browser)
    log_in(prop, base, "eirik", PASSWORD)
    prop.goto(f"{base}/leieforhold/{lease.pk}/")
    prop.click("form[action$='/send/'] button")
    for party, how in (("tenant", "paper"), ("landlord", "paper")):
        prop.select_option("#id_party", party)
        prop.fill("#id_signed_on", today.isoformat())
        prop.select_option("#id_how", how)
        prop.click("form[action$='/signatur/'] button")
    expect(prop.locator("#lease-status")).to_contain_text("Signert av begge parter")
    prop.click("form[action$='/aktiver/'] button")
    expect(prop.locator("#lease-status")).to_have_text("Aktiv")

    # arrival: introduction programme contact, rent deducted from the introduction benefit
    farid.goto(f"{base}/bosetting/sak/{case.pk}/")
    expect(farid.locator("#case-lease")).to_contain_text("aktiv")
    farid.fill("#id_arrived_on", today.isoformat())
    farid.fill("#id_introduction_contact", "Ingrid Intro, 64 83 54 00")
    farid.check("#id_rent_deducted_from_benefit")
    farid.fill("#id_monthly_deduction", "10500")
    farid.fill("#id_bo_plan_note", "Booppfølgingen lager boplan innen fire uker.")
    farid.click("form[action$='/ankomst/'] button[type=submit]")
    expect(farid.locator("#case-status")).to_have_text("Kommet")
    expect(farid.locator("#arrival")).to_contain_text("10 500 kr")
    check_accessibility(farid)
    fact = SettlementFact.objects.get()
    assert (fact.persons, fact.dwelling_source, fact.days_request_to_arrival) == (
        4,
        "municipal",
        30,
    )

    # the leader sees the progress against the decision, no names
    leader = _page(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/bosetting/framdrift/")
    expect(leader.locator("#settlement-progress")).to_contain_text("4 personer")
    expect(leader.locator("#settlement-years")).to_contain_text("23")
    expect(leader.locator("body")).not_to_contain_text("Haddad")
    check_accessibility(leader)
    screenshot(leader, "settlement-progress")
    assert leader.goto(f"{base}/bosetting/sak/{case.pk}/").status == 404


def test_a_self_found_dwelling_is_refused_with_a_letter_the_household_reads_in_min_side(
    browser: Browser, live_server, raelingen
) -> None:
    """Controlled self-settlement: the check refuses a rent above the cost frame; the letter
    (no appeal: not an enkeltvedtak) is linked from the case and shown in Min side."""
    from husly.people.models import Person
    from tests.factories import synthetic_number
    from tests.settlement.helpers import accepted_case

    base = live_server.url
    farid_user = refugee_caseworker(raelingen)
    case = accepted_case(farid_user, raelingen, household_size=1, ages="24", resettlement=False)
    person = Person.objects.get(pk=case.household.members.get(relation="applicant").person_id)
    person.national_id = synthetic_number(dt.date(1988, 3, 1))
    person.save()

    farid = _page(browser)
    log_in(farid, base, "farid", PASSWORD)
    farid.goto(f"{base}/bosetting/sak/{case.pk}/")
    form = farid.locator("form[action$='/selvbosetting/']")
    form.locator("#id_address").fill("Privatvegen 3")
    form.locator("#id_landlord").fill("Ola Utleier")
    form.locator("#id_monthly_rent").fill("12000")
    form.locator("#id_lease_months").fill("36")
    form.locator("#id_standard_ok").check()
    form.locator("#id_contract_ok").check()
    form.locator("#id_note").fill("Husleien er over kostnadsrammen.")
    form.locator("input[name=decision][value=refused]").check()
    form.locator("button[type=submit]").click(timeout=60_000)  # renders the letter
    expect(farid.locator("#self-status")).to_contain_text("Privatvegen 3")
    check_accessibility(farid)
    href = farid.locator("#self-letter").get_attribute("href")
    text = _pdf_text(farid.request.get(f"{base}{href}").body())
    assert "Boligen er ikke godkjent for avtalt selvbosetting" in text
    assert "Husleie 12 000 kroner per måned er over kostnadsrammen på 9500 kroner" in text
    assert "Husleien er over kostnadsrammen." in text
    assert "ikke et enkeltvedtak etter forvaltningsloven § 2" in text

    resident = _page(browser)
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", person.national_id)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    link = resident.locator("a[href*='/bosetting/minside/selvbosetting/']")
    expect(link).to_contain_text("Privatvegen 3")
    check_accessibility(resident)
    mine = _pdf_text(resident.request.get(f"{base}{link.get_attribute('href')}").body())
    assert "Boligen er ikke godkjent for avtalt selvbosetting" in mine
