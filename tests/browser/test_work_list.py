"""In a real browser: a caseworker starts the day on the task list, narrows the work list to
overdue cases and gives one to a colleague; «Ny søknad» from the case list finds the household.
Screenshots of the start page for the caseworker, the approver and the leader."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from husly.cases import actions
from husly.cases.models import CaseRouting
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.browser.test_case_journey import _new_page
from tests.cases.helpers import ELIGIBLE
from tests.conftest import PASSWORD, _user
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case(sara, municipality, name: str, kinds=("rental_dwelling",)):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(
        municipality=municipality, applicant=PersonFactory(municipality=municipality), name=name
    )
    return actions.case_create(
        actor=sara,
        household=household,
        channel="phone",
        help_kinds=list(kinds),
        data=ELIGIBLE,
        submit=True,
    )


def test_a_caseworker_filters_the_work_list_and_gives_a_case_to_a_colleague(
    browser: Browser, live_server, sara, geir, lise, raelingen, housing_office, routing
) -> None:
    base = live_server.url
    hanne = _user("hanne", housing_office, "caseworker")
    month_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    with time_machine.travel(month_ago, tick=False):
        old = _case(sara, raelingen, "Haugen")
    new = _case(sara, raelingen, "Lien", kinds=["deposit_guarantee"])
    mine = _case(sara, raelingen, "Bakke")
    actions.case_assign(actor=sara, case=mine, caseworker=sara)

    page = _new_page(browser)
    log_in(page, base, "sara", PASSWORD)
    expect(page.locator("h2#tasks-heading")).to_have_text("Oppgavene dine")
    expect(page.locator("#task-mine")).to_contain_text("(1)")
    expect(page.locator(".husly-tasks")).to_contain_text(old.number)
    expect(page.locator(".husly-tasks")).to_contain_text("over fristen")
    check_accessibility(page)
    screenshot(page, "start-caseworker")

    page.click("a:has-text('Se arbeidslisten min')")
    page.select_option("select[name=deadline]", "overdue")
    page.click("form[role=search] button[type=submit]")
    new_section = page.locator("section[aria-labelledby=wl-new]")
    expect(new_section).to_contain_text(old.number)
    expect(new_section).not_to_contain_text(new.number)
    check_accessibility(page)
    page.select_option(f"#assign-new-{old.pk}", str(hanne.pk))
    page.click(f"#assign-new-{old.pk} ~ button")
    expect(page.locator(".ds-alert").first).to_contain_text(f"Sak {old.number} er gitt til")
    assert "deadline=overdue" in page.url  # back where the caseworker was
    assert CaseRouting.objects.get(case=old).assigned_to == hanne

    page.goto(f"{base}/saker/")
    page.click("a:has-text('Ny søknad')")
    page.fill("input[name=q]", "Lien")
    page.click("form[role=search] button[type=submit]")
    page.click("a:has-text('Registrer søknad for Lien')")
    expect(page.locator("h1")).to_have_text("Ny søknad")
    check_accessibility(page)

    for username, name in (("geir", "start-approver"), ("lise", "start-leader")):
        other = _new_page(browser)
        log_in(other, base, username, PASSWORD)
        check_accessibility(other)
        screenshot(other, name)
        if username == "lise":
            expect(other.locator("main")).not_to_contain_text(old.number)
        other.context.close()
