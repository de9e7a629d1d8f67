"""§ 5 needs overview in a real browser: a leader opens a survey round, a caseworker registers
a household that has not applied, a second registration of the same person is refused with the
unit that registered it, and the leader reads the overview; every page axe-checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from husly.needs.models import NeedsRegistration
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.factories import synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_round_is_opened_households_registered_once_and_the_overview_read(
    browser: Browser, live_server, raelingen, sara, lise
) -> None:
    base = live_server.url
    year = timezone.localdate().year
    leader = _page(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/behov/")
    check_accessibility(leader)
    leader.fill("#id_deadline", dt.date(year, 12, 31).isoformat())
    leader.click("#round-form button[type=submit]")
    expect(leader.locator("#needs-survey")).to_be_visible()
    check_accessibility(leader)

    worker = _page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/behov/")
    worker.get_by_role("link", name="Enhetens registreringer").click()
    check_accessibility(worker)
    number = synthetic_number(dt.date(1991, 2, 2))
    for _ in range(2):
        worker.fill("#id_national_id", number)
        worker.select_option("#id_household_type", "single_parent")
        worker.fill("#id_persons", "3")
        worker.fill("#id_children", "2")
        worker.select_option("#id_age_group", "25_66")
        worker.select_option("#id_situation", "with_others")
        worker.select_option("#id_dwelling_need", "ordinary")
        worker.click("#registration-form button[type=submit]")
    expect(worker.locator("body")).to_contain_text("allerede registrert")
    check_accessibility(worker)
    assert NeedsRegistration.objects.count() == 1

    leader.reload()
    expect(leader.locator("#needs-survey")).to_contain_text("<5")
    check_accessibility(leader)


def test_kostra_page_with_last_year_and_drill_down_for_readers_of_people(
    browser: Browser, live_server, raelingen, sara, lise
) -> None:
    base = live_server.url
    leader = _page(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/innsikt/kostra/")
    expect(leader.locator("#kostra-skjema13")).to_contain_text("Antall nyinnflyttede husstander")
    expect(leader.locator("#kostra-indicator")).to_contain_text("regnskap")
    assert leader.locator("#kostra-skjema13 a").count() == 0  # aggregates only
    check_accessibility(leader)
    worker = _page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/innsikt/kostra/")
    check_accessibility(worker)
