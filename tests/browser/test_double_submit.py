"""Issue 10 items 6 and 7 in a real browser: a double click on "send" creates one case (staff
registration and Min side), and a member the household states in Min side waits for the
caseworker, who checks it against the register and adds it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from husly.cases.models import Case
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.factories import HouseholdFactory, PersonFactory, synthetic_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = synthetic_number(dt.date(1991, 9, 9))


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _two_sends_at_once(page: Page) -> list[str]:
    """Send the form on the page twice at the same moment, as a double click does when the
    browser lets both through, and return where each send ended up (after redirects).
    (Chromium drops the second of two quick submits of one form, so a double click alone may
    reach the server once: this makes sure the server sees both.)"""
    urls: list[str] = page.evaluate(
        """async () => {
            const form = document.querySelector('form.husly-form');
            const button = form.querySelector('button[name=submit]');
            const send = () => fetch(form.action || location.href,
                {method: 'POST', body: new FormData(form, button), credentials: 'same-origin'});
            const answers = await Promise.all([send(), send()]);
            return answers.map(a => a.url);
        }"""
    )
    return urls


def test_a_double_click_registers_one_case_for_staff(
    browser: Browser, live_server, sara, household, routing
) -> None:
    page = _new_page(browser)
    log_in(page, live_server.url, "sara", PASSWORD)
    path = f"/saker/ny/{household.pk}/"
    page.goto(f"{live_server.url}{path}")
    check_accessibility(page)
    page.select_option("#id_channel", "paper")
    page.check("input[name='help_kinds'][value='rental_dwelling']")
    page.select_option("#id_housing_kind", "no_home")
    page.dblclick("button[name=submit]")
    page.wait_for_url("**/saker/*/")
    first = Case.objects.get()
    expect(page.locator("h1")).to_contain_text(first.number)
    # The same form again, sent twice at the same moment: one more case, and both sends
    # end on it.
    page.goto(f"{live_server.url}{path}")
    page.select_option("#id_channel", "paper")
    page.check("input[name='help_kinds'][value='rental_dwelling']")
    page.select_option("#id_housing_kind", "no_home")
    urls = _two_sends_at_once(page)
    second = Case.objects.exclude(pk=first.pk).get()
    assert urls == [f"{live_server.url}/saker/{second.pk}/"] * 2


def test_a_double_click_in_min_side_sends_one_application_and_the_member_waits_for_a_check(
    browser: Browser, live_server, sara, raelingen, routing
) -> None:
    other = PersonFactory(municipality=raelingen, given_name="Vera", family_name="Vik")
    HouseholdFactory(municipality=raelingen, applicant=other, name="Vik")
    base = live_server.url
    resident = _new_page(browser)
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", RESIDENT)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    resident.goto(f"{base}/minside/sok/")
    resident.select_option("#id_om-municipality", str(raelingen.pk))
    resident.fill("#id_om-given_name", "Ida")
    resident.fill("#id_om-family_name", "Berg")
    resident.fill("#id_medlem-0-given_name", "Emil")
    resident.fill("#id_medlem-0-family_name", "Berg")
    resident.fill("#id_medlem-0-national_id", other.national_id)  # someone else's number
    resident.select_option("#id_medlem-0-relation", "child")
    resident.check("input[name='soknad-help_kinds'][value='rental_dwelling']")
    resident.select_option("#id_soknad-housing_kind", "no_home")
    urls = _two_sends_at_once(resident)
    case = Case.objects.get()
    assert urls == [f"{base}/minside/sak/{case.pk}/"] * 2
    resident.goto(f"{base}/minside/sok/")
    resident.select_option("#id_om-municipality", str(raelingen.pk))
    resident.check("input[name='soknad-help_kinds'][value='rental_dwelling']")
    resident.select_option("#id_soknad-housing_kind", "no_home")
    resident.dblclick("button[name=submit]")
    resident.wait_for_url("**/minside/sak/*/")
    expect(resident.locator(".ds-alert")).to_be_visible()
    assert Case.objects.count() == 2  # the double click sent one more application, once
    assert not case.household.members.filter(person=other).exists()
    from husly.people.models import StatedMember

    assert StatedMember.objects.get().status == "pending"

    worker = _new_page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/{case.pk}/")
    worker.click("a[href$='#oppgitte']")
    expect(worker.locator("#oppgitte")).to_be_visible()
    check_accessibility(worker)
    worker.click("form[action*='/oppgitte/'][action$='/bekreft/'] button")
    expect(worker.locator(".ds-alert")).to_be_visible()
    expect(worker.locator("table").first).to_contain_text("Vera Vik")
    check_accessibility(worker)
    assert case.household.members.filter(person=other).exists()
