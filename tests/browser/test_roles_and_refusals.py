"""Each role's menu, and the refused and missing pages, in a real browser (issue 11 item 15).

The menu offers only what the role can open; a refused page is a Norwegian page in the site's
shell, with a main landmark and a way back, never a bare "403 Forbidden"; the same for a page
that does not exist. Every page passes axe-core.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD, _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = ["home", "housing:dwelling_list", "housing:building_list", "organisation:unit_list"]
CASES = ["cases:work_list", "cases:case_list", "calculators:allowance"]
PEOPLE = ["people:person_list", "people:household_list"]
NEEDS = "needs:overview"
ARREARS, RENT, STAYS, LANDLORDS, OWNING = (
    "arrears:case_list",
    "rent:arrears",
    "temporary:stay_list",
    "landlords:landlord_list",
    "owning:overview",
)
MENU = {
    "caseworker": [
        *BASE,
        *CASES,
        "allocation:waiting_list",
        ARREARS,
        RENT,
        STAYS,
        OWNING,
        LANDLORDS,
        NEEDS,
        *PEOPLE,
    ],
    "approver": [
        *BASE,
        *CASES,
        "allocation:waiting_list",
        RENT,
        STAYS,
        OWNING,
        LANDLORDS,
        NEEDS,
        *PEOPLE,
    ],
    "allocation_member": [
        *BASE,
        *CASES,
        "allocation:waiting_list",
        "tenancy:throughput",
        *PEOPLE,
    ],
    "property": [
        *BASE,
        "tenancy:lease_list",
        ARREARS,
        RENT,
        "followup:inspection_list",
        OWNING,
        LANDLORDS,
    ],
    # Collections (innfordring): the ledger and the arrears cases it collects, nothing else
    "collections": [*BASE, ARREARS, RENT],
    "follow_up": [
        *BASE,
        *CASES,
        "tenancy:lease_list",
        ARREARS,
        "followup:overview",
        NEEDS,
        *PEOPLE,
    ],
    "leader": [
        *BASE,
        "insight:dashboard",
        "tenancy:throughput",
        "policy:simulation",
        "temporary:flags",
        "settlement:progress",
        OWNING,
        NEEDS,
        "insight:fairness",
    ],
    "administrator": [*BASE, "tenancy:throughput", "policy:simulation", *PEOPLE],
    # NAV handles no municipal dwellings, but arrears, rent and § 27 stays
    # ... and its own part of the dashboard (temporary stays, arrears covered, start loans)
    "nav caseworker": [
        *BASE,
        *CASES,
        ARREARS,
        RENT,
        STAYS,
        OWNING,
        NEEDS,
        *PEOPLE,
        "insight:own_unit_dashboard",
    ],
}


@pytest.mark.parametrize("role", list(MENU))
def test_each_role_sees_its_menu_and_a_norwegian_refusal_with_a_way_back(
    page: Page, live_server, housing_office, routing, role: str
) -> None:
    if role == "nav caseworker":
        _user("nora", routing, "caseworker")
        username = "nora"
    else:
        _user("ulla", housing_office, role)
        username = "ulla"
    log_in(page, live_server.url, username, PASSWORD)
    menu = page.get_by_role("navigation", name="Hovedmeny")
    hrefs = menu.get_by_role("link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(reverse(name) for name in MENU[role])
    check_accessibility(page)

    # Every staff role is refused a new municipality (the operator's), coming from the list.
    came_from = f"{live_server.url}{reverse('organisation:municipality_list')}"
    page.goto(came_from)
    page.goto(f"{live_server.url}{reverse('organisation:municipality_create')}", referer=came_from)
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har ikke tilgang til dette")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Forbidden")
    check_accessibility(page)
    page.get_by_role("link", name="Tilbake").click()
    page.wait_for_url(came_from)
    page.go_back()
    page.get_by_role("link", name="Gå til startsiden").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_missing_page_is_norwegian_in_the_shell(page: Page, live_server, sara) -> None:
    log_in(page, live_server.url, "sara", PASSWORD)
    response = page.goto(f"{live_server.url}/finnes-ikke/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page).to_have_title("Fant ikke siden – Husly")
    check_accessibility(page)
    page.get_by_role("link", name="Gå til startsiden").click()
    page.wait_for_url(f"{live_server.url}/")
