"""Issue 14 (private landlords) in a real browser: a landlord calls, the enquiry is queued and
answered; the landlord is registered (a wrong organisation number refused), offers a flat, the
flat is assessed and head-leased (a short lease warned about), the head-leased dwelling gets a
shortlist from the waiting list, and the household's sublease shows on the agreement. The offer,
acceptance and lease in between go through the allocation and tenancy code (their own browser
test covers those pages). Every page is axe-checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from husly.allocation import actions as allocation
from husly.housing.models import Ownership
from husly.landlords.models import Agreement, Landlord, OfferedDwelling
from husly.tenancy import actions as tenancy
from tests.allocation.helpers import approve, entry_of, lease_in_force, make_household
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_landlords_flat_becomes_a_head_lease_sublet_from_the_waiting_list(
    browser: Browser, live_server, sara, geir, eirik, raelingen, routing, housing_office
) -> None:
    base = live_server.url
    household = make_household(raelingen, "Strand", children=1)
    approve(sara, geir, household, housing_kind="no_home")

    staff = _page(browser)
    log_in(staff, base, "eirik", PASSWORD)
    # The enquiry comes in by phone and is answered.
    staff.goto(f"{base}/utleiere/henvendelser/")
    check_accessibility(staff)
    staff.fill("#id_from_name", "Fjerdingby Eiendom AS")
    staff.fill("#id_from_contact", "640 00 000")
    staff.select_option("#id_channel", "phone")
    staff.fill("#id_text", "Vi har en toroms leilighet vi vil leie ut til kommunen.")
    staff.click("form.husly-form button[type=submit]")
    expect(staff.locator("#open-enquiries")).to_contain_text("Fjerdingby Eiendom AS")
    check_accessibility(staff)
    staff.fill("#open-enquiries textarea", "Vi kommer på visning torsdag.")
    staff.click("#open-enquiries form[action$='/svar/'] button")
    expect(staff.locator("#answered-enquiries")).to_contain_text("Vi kommer på visning")

    # The landlord is registered; a wrong organisation number is refused.
    staff.goto(f"{base}/utleiere/")
    check_accessibility(staff)
    staff.click("a[href$='/utleiere/ny/']")
    check_accessibility(staff)
    staff.select_option("#id_kind", "company")
    staff.fill("#id_name", "Fjerdingby Eiendom AS")
    staff.fill("#id_org_number", "974760674")
    staff.click("form.husly-form button[type=submit]")
    expect(staff.locator(".ds-error-summary")).to_contain_text("Organisasjonsnummeret")
    check_accessibility(staff)
    staff.fill("#id_org_number", "974760673")
    staff.click("form.husly-form button[type=submit]")
    expect(staff.locator("h1")).to_have_text("Fjerdingby Eiendom AS")
    landlord = Landlord.objects.get()
    check_accessibility(staff)

    # The flat is offered and assessed after the viewing.
    staff.click("details:has(form[action$='/bolig/']) summary")
    staff.fill("#id_address", "Strandvegen 14")
    staff.fill("#id_postal_code", "2008")
    staff.fill("#id_postal_town", "Fjerdingby")
    staff.fill("#id_rooms", "2")
    staff.fill("#id_area_m2", "58,5")
    staff.fill("#id_monthly_rent", "9500")
    staff.click("form[action$='/bolig/'] button")
    expect(staff.locator("#offered-dwellings")).to_contain_text("Strandvegen 14")
    flat = OfferedDwelling.objects.get()
    staff.select_option(f"#assess-{flat.pk}-state", "approved")
    staff.fill(f"#assess-{flat.pk}-condition", "God stand. Nytt bad 2022.")
    staff.click(f"form[action$='/bolig/{flat.pk}/vurdering/'] button")
    expect(staff.locator("#offered-dwellings")).to_contain_text("Vurdert og egnet")
    check_accessibility(staff)
    screenshot(staff, "landlord-detail")

    # The head lease: two years is shorter than the three the municipality prefers.
    staff.click(f"a[href$='/utleiere/{landlord.pk}/avtale/head_lease/']")
    check_accessibility(staff)
    start = timezone.localdate()
    staff.select_option("#id_offered_dwelling", str(flat.pk))
    staff.fill("#id_start_date", start.isoformat())
    staff.fill("#id_end_date", (start + dt.timedelta(days=730)).isoformat())
    staff.fill("#id_rent_to_owner", "9500")
    staff.fill("#id_terms", "Eier varsles når leietaker skifter.")
    staff.click("form.husly-form button[type=submit]")
    expect(staff.locator("h1")).to_have_text("Innleie og framleie")
    expect(staff.locator("#short-warning")).to_contain_text("kortere enn tre år")
    expect(staff.locator("#subleases")).to_contain_text("Ingen framleiekontrakt")
    agreement = Agreement.objects.get()
    dwelling = OfferedDwelling.objects.get().dwelling
    assert dwelling is not None and dwelling.ownership == Ownership.HEAD_LEASE
    # The property manager does not work with the waiting list: no shortlist button.
    expect(staff.locator("#find-subtenant")).to_have_count(0)
    staff.click("details:has(form[action$='/nokkel/']) summary")
    staff.fill("#id_label", "Hoveddør, 2 nøkler")
    staff.fill("#id_kept_at", "Nøkkelskap, rom 12")
    staff.click("form[action$='/nokkel/'] button")
    expect(staff.locator("#keys")).to_contain_text("Hoveddør")
    check_accessibility(staff)

    # The housing office finds the household on the waiting list for the head-leased flat.
    office = _page(browser)
    log_in(office, base, "sara", PASSWORD)
    office.goto(f"{base}/utleiere/avtaler/{agreement.pk}/")
    check_accessibility(office)
    office.click("#find-subtenant button")
    expect(office.locator("#shortlist li").first).to_contain_text("Strand")
    check_accessibility(office)

    # Offer, acceptance and the sublease through the allocation and tenancy code.
    offer = allocation.offer_make(actor=sara, entry=entry_of(household), dwelling=dwelling)
    allocation.offer_accept(actor=sara, offer=offer)
    lease = tenancy.lease_create(
        actor=eirik, offer=offer, data=tenancy.default_terms(dwelling, start)
    )
    lease_in_force(eirik, lease)

    office.goto(f"{base}/utleiere/avtaler/{agreement.pk}/")
    expect(office.locator("#subleases")).to_contain_text("Strand")
    expect(office.locator("#subleases")).to_contain_text("Aktiv")
    expect(office.locator("#find-subtenant")).to_have_count(0)
    check_accessibility(office)
    screenshot(office, "head-lease")
    assert household.waiting_list_entries.get().status == "housed"


def test_households_are_referred_under_a_nomination_agreement_until_the_share_is_used(
    browser: Browser, live_server, sara, geir, raelingen, routing, housing_office
) -> None:
    """A developer's nomination agreement with a share of one flat: a household on the waiting
    list is referred to a flat and listed on the agreement; the form is gone when the share is
    used up, and a second referral is refused with the reason."""
    from husly.landlords import actions as landlords

    base = live_server.url
    today = timezone.localdate()
    first = make_household(raelingen, "Tilvist")
    second = make_household(raelingen, "Venter")
    approve(sara, geir, first, housing_kind="no_home")
    approve(sara, geir, second, housing_kind="no_home")
    developer = landlords.landlord_register(
        actor=sara,
        municipality=raelingen,
        data={"kind": "developer", "name": "Bygg AS", "org_number": "974760673"},
    )
    agreement = landlords.agreement_create(
        actor=sara,
        landlord=developer,
        kind="nomination",
        data={
            "project": "Sjøkanten",
            "flats_total": 40,
            "flats_nominated": 1,
            "start_date": today - dt.timedelta(days=30),
            "end_date": today + dt.timedelta(days=3650),
        },
    )
    page = _page(browser)
    log_in(page, base, "sara", PASSWORD)
    page.goto(f"{base}/utleiere/avtaler/{agreement.pk}/")
    expect(page.locator("#share-left")).to_contain_text("1 leilighet av andelen er igjen")
    check_accessibility(page)
    page.select_option("#ref_entry", str(entry_of(first).pk))
    page.fill("#ref_flat", "H0203")
    page.fill("#ref_referred_on", today.isoformat())
    page.click("form[action$='/tilvisning/'] button[type=submit]")
    expect(page.locator("#referrals")).to_contain_text("H0203")
    expect(page.locator("#referrals")).to_contain_text("Tilvist")
    expect(page.locator("#share-left")).to_contain_text("0 leiligheter av andelen er igjen")
    expect(page.locator("form[action$='/tilvisning/']")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "landlords-nomination-referrals")
    # a second referral past the share (a stale form, or two people at once) is refused
    response = page.request.post(
        f"{base}/utleiere/avtaler/{agreement.pk}/tilvisning/",
        form={
            "entry": str(entry_of(second).pk),
            "flat": "H0204",
            "referred_on": today.isoformat(),
            "csrfmiddlewaretoken": page.locator(
                "input[name=csrfmiddlewaretoken]"
            ).first.get_attribute("value")
            or "",
        },
        headers={"Referer": f"{base}/utleiere/avtaler/{agreement.pk}/"},
    )
    assert response.ok
    assert "Alle leilighetene i avtalens andel er tilvist (1)." in response.text()
    assert agreement.referrals.count() == 1
