"""In a real browser on a phone-sized screen: NAV places a family out of hours (§ 27), the stay
is extended past three months (the flag shows for the caseworker and for the leader, who sees
no names), the family is moved to another provider, and the stay ends when the household signs
a lease; the nights and the cost on the page follow from the stay. Every page is checked with
axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from husly.rules.language import number_in
from husly.temporary.models import Segment, Stay
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.temporary.helpers import provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


def _phone(browser: Browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a decision letter is rendered as PDF on each step
    return page


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing wider than the phone's screen: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_out_of_hours_placement_to_a_lease_on_a_phone(
    browser: Browser, live_server, sara, lise, household, routing, raelingen, housing_office
) -> None:
    base = live_server.url
    hostel = provider(raelingen, "Fjerdingby hospits", "hostel", 450, actor=sara)
    hotel = provider(raelingen, "Strandhotellet", "hotel", 300, "person", actor=sara)
    applicant = household.members.get(relation="applicant").person
    child = household.members.get(relation="child").person
    child.date_of_birth = dt.date(2018, 5, 1)  # a child of eight
    child.save(update_fields=["date_of_birth"])

    nav = _phone(browser)
    log_in(nav, base, "sara", PASSWORD)
    nav.goto(f"{base}/midlertidig/plasser/")
    check_accessibility(nav)
    _fits(nav)
    nav.fill("#id_national_id", applicant.national_id)
    nav.select_option("#id_place", str(hostel.pk))
    nav.fill("#id_nights", "14")
    nav.fill("#id_facts", "Familien ble kastet ut i kveld og har ingen andre steder å sove.")
    nav.click("#place-form button[type=submit]")
    expect(nav.locator(".ds-alert").first).to_contain_text("vedtaket er fattet")
    expect(nav.locator("h1")).to_contain_text("Nordmann")
    expect(nav.locator("#stay-flags")).to_contain_text("Barn")
    expect(nav.locator("#changes")).to_contain_text("Plassert")
    check_accessibility(nav)
    _fits(nav)
    stay = Stay.objects.get(household=household)
    assert stay.decision.status == "issued" and stay.decision.letter_sha256

    # Time passes: the family has been there 95 nights (the dates are moved back, as if it
    # had been placed then; the decision in force still ends before today).
    today = timezone.localdate()
    start = today - dt.timedelta(days=95)
    Stay.objects.filter(pk=stay.pk).update(starts_on=start, planned_end=today)
    Segment.objects.filter(stay=stay).update(starts_on=start)

    nav.goto(f"{base}/midlertidig/opphold/{stay.pk}/")
    nav.fill("#extend-planned_end", (today + dt.timedelta(days=30)).isoformat())
    nav.fill("#extend-reason", "Venter på kommunal bolig; tilbud ventes denne måneden.")
    nav.click("section[aria-labelledby=h-extend] button[type=submit]")
    expect(nav.locator(".ds-alert").first).to_contain_text("forlenget")
    expect(nav.locator("#stay-flags")).to_contain_text("Over tre måneder")
    check_accessibility(nav)

    leader = _phone(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/midlertidig/flagg/")
    expect(leader.locator("#flagged")).to_contain_text(f"M-{stay.pk}")
    expect(leader.locator("#flagged")).to_contain_text("Over tre måneder")
    expect(leader.locator("#flagged")).to_contain_text("95")
    expect(leader.locator("main")).not_to_contain_text("Nordmann")
    check_accessibility(leader)
    assert leader.goto(f"{base}/midlertidig/opphold/{stay.pk}/").status == 404

    # Moved to the hotel ten days ago (2 persons at 300 per person per night).
    moved = today - dt.timedelta(days=10)
    nav.goto(f"{base}/midlertidig/opphold/{stay.pk}/")
    nav.select_option("#move-place", str(hotel.pk))
    nav.fill("#move-on", moved.isoformat())
    nav.fill("#move-reason", "Hospitset stenger for oppussing.")
    nav.click("section[aria-labelledby=h-move] button[type=submit]")
    expect(nav.locator(".ds-alert").first).to_contain_text("flyttet")
    expect(nav.locator("#segments")).to_contain_text("Strandhotellet")
    check_accessibility(nav)

    # The household signs a lease: the stay ends this morning.
    nav.fill("#end-on", today.isoformat())
    nav.select_option("#end-reason", "lease_signed")
    nav.fill("#end-note", "Leiekontrakt på kommunal bolig fra i dag.")
    nav.click("section[aria-labelledby=h-end] button[type=submit]")
    expect(nav.locator(".ds-alert").first).to_contain_text("avsluttet")
    expect(nav.locator("#stay-facts")).to_contain_text("Skrev under en leiekontrakt")
    expect(nav.locator("#stay-nights")).to_have_text("95")
    cost = 85 * 450 + 10 * 2 * 300
    expect(nav.locator("#stay-cost")).to_contain_text(number_in(cost, "nb").replace("\u00a0", " "))
    check_accessibility(nav)
    _fits(nav)
    stay.refresh_from_db()
    assert stay.ended_on == today and stay.end_reason == "lease_signed"
    assert [s.nights() for s in stay.segments.all()] == [85, 10]
