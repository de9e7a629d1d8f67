"""Issue 5 in a real browser: an approval appears on the waiting list, a vacancy gets a
shortlist, the allocation meeting confirms the proposal, the household accepts in Min side, the
lease PDF is right, and the renewal reminder and decision work. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.allocation.models import Offer, WaitingListEntry
from husly.cases import actions as cases
from husly.tenancy.actions import standard_end_date
from husly.tenancy.models import Lease, RenewalApplication
from tests.allocation.helpers import approve, issue, make_dwelling, make_household
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD, _user
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = synthetic_number(dt.date(1987, 7, 7))


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_vacancy_is_matched_confirmed_accepted_leased_and_renewed(
    browser: Browser,
    live_server,
    sara,
    geir,
    lise,
    arne,
    eirik,
    raelingen,
    routing,
    housing_office,
) -> None:
    base = live_server.url
    tone = _user("tone", housing_office, "allocation_member")
    berg = make_household(raelingen, "Berg", children=1, national_id=RESIDENT)
    approve(sara, geir, berg, housing_office, housing_kind="no_home")
    approve(sara, geir, make_household(raelingen, "Dahl"), housing_kind="with_family_or_friends")
    dwelling = make_dwelling(raelingen, eirik, rooms=1, start=timezone.localdate())

    staff = _page(browser)
    log_in(staff, base, "tone", PASSWORD)
    staff.goto(f"{base}/tildeling/")
    expect(staff.locator("#waiting-list")).to_contain_text("Berg")
    expect(staff.locator("#waiting-list")).to_contain_text("Dahl")
    check_accessibility(staff)
    screenshot(staff, "waiting-list")
    staff.click(
        f"a[href$='/tildeling/venteliste/{WaitingListEntry.objects.get(household=berg).pk}/']"
    )
    expect(staff.locator("caption")).to_contain_text("Prioritet")
    check_accessibility(staff)

    staff.goto(f"{base}/tildeling/ledige/")
    check_accessibility(staff)
    staff.click(f"form[action$='/ledige/{dwelling.pk}/kortliste/'] button")
    expect(staff.locator("#shortlist li").first).to_contain_text("Berg")
    check_accessibility(staff)
    screenshot(staff, "shortlist")

    staff.goto(f"{base}/tildeling/moter/")
    check_accessibility(staff)
    staff.fill("#id_members", "Tone, Sara")
    staff.click("form.husly-form button[type=submit]")
    staff.click("#propose")
    expect(staff.locator("article")).to_contain_text("Berg")
    check_accessibility(staff)
    # Without JavaScript the vacancy's link opens its decision form as a page of its own.
    meeting_url = staff.url
    plain = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nb-NO", java_script_enabled=False
    )
    plain.add_cookies(staff.context.cookies())
    no_js = plain.new_page()
    no_js.goto(meeting_url)
    no_js.click("article a[href*='/tildeling/saker/']")
    expect(no_js.locator("h1")).to_contain_text(dwelling.number)
    expect(no_js.locator("select[name$='-entry'] option[selected]")).to_contain_text("Berg")
    item_url = no_js.url
    plain.close()
    staff.goto(item_url)  # the same page, axe-checked (axe needs JavaScript)
    check_accessibility(staff)
    staff.goto(meeting_url)
    # With it, the form is loaded into the meeting page and takes the focus.
    staff.click("article a[href*='/tildeling/saker/']")
    expect(staff.locator("article select[name$='-entry']")).to_be_focused()
    check_accessibility(staff)
    staff.click("button[name=decision][value=confirm]")
    expect(staff.locator(".item-decision")).to_contain_text("Berg")
    staff.fill("#id_minutes", "Boligen tilbys Berg, som foreslått.")
    staff.click("form.husly-form:has(#id_minutes) button[type=submit]")
    staff.click("form[action$='/lukk/'] button")
    expect(staff.locator("main")).to_contain_text("Boligen tilbys Berg")
    check_accessibility(staff)
    screenshot(staff, "allocation-meeting")
    offer = Offer.objects.get()
    assert offer.entry.household == berg and offer.status == "open"

    resident = _page(browser)
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", RESIDENT)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    check_accessibility(resident)
    resident.click(f"a[href$='/minside/tilbud/{offer.pk}/']")
    check_accessibility(resident)
    resident.click("form:has(input[value=accept]) button")
    expect(resident.locator("#offer-status")).to_have_text("Takket ja")
    check_accessibility(resident)

    property_page = _page(browser)
    log_in(property_page, base, "eirik", PASSWORD)
    property_page.goto(f"{base}/leieforhold/")
    check_accessibility(property_page)
    # The municipality's lease terms and house rules, once.
    property_page.click("a[href$='/leieforhold/vilkar/']")
    property_page.fill("#id_payment_account", "12345678901")  # wrong check digit
    property_page.fill("#id_house_rules", "Ro i huset mellom klokka 23 og 07.\nSøppel sorteres.")
    property_page.click("form.husly-form button[type=submit]")
    expect(property_page.locator(".ds-error-summary")).to_contain_text("Kontonummeret")
    check_accessibility(property_page)
    property_page.fill("#id_payment_account", "12345678903")
    property_page.click("form.husly-form button[type=submit]")
    expect(property_page.locator(".ds-alert").first).to_contain_text("lagret")
    property_page.goto(f"{base}/leieforhold/")
    property_page.click(f"a[href$='/leieforhold/ny/{offer.pk}/']")
    check_accessibility(property_page)
    start = timezone.localdate()
    end = standard_end_date(start)
    property_page.fill("#id_start_date", start.isoformat())
    property_page.fill("#id_end_date", end.isoformat())
    property_page.fill("#id_handover_on", start.isoformat())
    property_page.fill("#id_deposit_amount", str(7 * dwelling.monthly_rent))
    property_page.click("form.husly-form button[type=submit]")
    expect(property_page.locator(".ds-error-summary")).to_contain_text("seks måneders husleie")
    property_page.fill("#id_deposit_amount", str(3 * dwelling.monthly_rent))
    property_page.click("form.husly-form button[type=submit]")
    expect(property_page.locator("h1")).to_contain_text("Leiekontrakt")
    lease = Lease.objects.get()
    # drafted: nothing says signed, the dwelling is still reserved
    expect(property_page.locator("#lease-status")).to_have_text("Utkast")
    expect(property_page.locator("#lease-steps")).to_contain_text("Ikke signert av leietaker")
    check_accessibility(property_page)
    screenshot(property_page, "lease-draft")
    assert lease.status == "draft" and lease.dwelling.status == "reserved"
    property_page.click("form[action$='/send/'] button")
    expect(property_page.locator("#lease-status")).to_contain_text("Sendt til signering")
    check_accessibility(property_page)
    pdf = property_page.request.get(f"{base}/leieforhold/{lease.pk}/kontrakt/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert "Leiekontrakt for kommunal utleiebolig" in text
    assert start.strftime("%d.%m.%Y") in text and end.strftime("%d.%m.%Y") in text
    assert "Tilknyttet fagtjeneste Tjenestekontoret" in text
    assert "Garanti for depositum fra NAV" in text
    assert "Kontonummer 1234.56.78903" in text and "KID" in text
    assert "Vedlegg 1: Husordensregler" in text and "Søppel sorteres." in text
    assert "Underskrift:" in text and "signert" not in text.lower()
    # the tenant's signature, on paper and scanned; a date in the future is refused
    property_page.select_option("#id_party", "tenant")
    property_page.fill("#id_signed_on", (start + dt.timedelta(days=1)).isoformat())
    property_page.select_option("#id_how", "scanned")
    property_page.click("form[action$='/signatur/'] button")
    expect(property_page.locator(".ds-error-summary")).to_contain_text("fram i tid")
    expect(property_page.locator("#id_how")).to_have_value("scanned")  # kept after the error
    check_accessibility(property_page)
    property_page.fill("#id_signed_on", start.isoformat())
    property_page.click("form[action$='/signatur/'] button")
    expect(property_page.locator("#lease-status")).to_contain_text(
        "Signert av leietaker, venter på utleier"
    )
    expect(property_page.locator("#lease-steps")).to_contain_text("Ikke signert av utleier")
    # the landlord's signature
    expect(property_page.locator("#id_party")).to_have_value("landlord")
    property_page.fill("#id_signed_on", start.isoformat())
    property_page.select_option("#id_how", "paper")
    property_page.click("form[action$='/signatur/'] button")
    expect(property_page.locator("#lease-status")).to_contain_text("Signert av begge parter")
    check_accessibility(property_page)
    # in force from the start date (today): the dwelling is let
    property_page.click("form[action$='/aktiver/'] button")
    expect(property_page.locator("#lease-status")).to_have_text("Aktiv")
    expect(property_page.locator("#lease-steps")).to_contain_text(
        f"Gjelder fra {start.strftime('%d.%m.%Y')}"
    )
    check_accessibility(property_page)
    screenshot(property_page, "lease-active")
    lease.refresh_from_db()
    lease.dwelling.refresh_from_db()
    assert lease.status == "active" and lease.dwelling.status == "occupied"
    assert lease.tenant_signed_how == "scanned" and lease.landlord_signed_how == "paper"

    call_command("renewal_reminders", "--today", (end - dt.timedelta(days=150)).isoformat())
    resident.goto(f"{base}/minside/")
    expect(resident.locator("#renewal-notice")).to_be_visible()
    check_accessibility(resident)
    resident.click("#renewal-notice button")
    expect(resident.locator(".ds-alert").first).to_be_visible()
    renewal = RenewalApplication.objects.get()

    property_page.goto(f"{base}/leieforhold/")
    expect(property_page.locator("#lease-work")).to_contain_text(renewal.case.number)
    cases.journal_note_add(
        actor=sara,
        case=renewal.case,
        data={
            "kind": "guidance",
            "held_on": timezone.localdate(),
            "text": "Veiledningssamtale: privat leie og startlån er ikke realistisk nå.",
        },
    )
    worker = _page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/leieforhold/{lease.pk}/")
    worker.select_option("#id_alternative", "same_dwelling")
    worker.fill("#id_note", "Boligen passer husstanden fortsatt.")
    worker.click("form[action$='/alternativer/'] button")
    expect(worker.locator(".ds-alert").first).to_be_visible()
    issue(sara, geir, renewal.case, kind="renewal", follow_up=housing_office)
    worker.reload()
    check_accessibility(worker)
    worker.click(f"a[href$='/leieforhold/{lease.pk}/fornye/']")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator("main")).to_contain_text("Fornyer")
    new = Lease.objects.get(renews=lease)
    assert new.status == "draft" and new.start_date == end + dt.timedelta(days=1)

    leader = _page(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/leieforhold/statistikk/")
    expect(leader.locator("#throughput")).to_be_visible()
    check_accessibility(leader)
    admin = _page(browser)
    log_in(admin, base, "arne", PASSWORD)
    admin.goto(f"{base}/tildeling/regler/")
    check_accessibility(admin)
    del tone
