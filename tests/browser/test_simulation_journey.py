"""In a real browser: a leader opens the policy simulation, shortens leases to three years,
runs it, and compares the scenario with today's policy (table, chart with its table behind it);
a household on the waiting list then sees its chance of an offer in plain words in Min side.
Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, Page, expect

from husly.policy.models import SimulationRun
from tests.allocation.helpers import approve, make_dwelling, make_household
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import synthetic_number
from tests.jobs.conftest import _empty_queue, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MY_NUMBER = synthetic_number(dt.date(1988, 4, 5))


def test_a_leader_shortens_leases_to_three_years_and_compares_with_todays_policy(
    browser: Browser,
    page: Page,
    live_server,
    raelingen,
    routing,
    housing_office,
    sara,
    geir,
    eirik,
    lise,
) -> None:
    _empty_queue()
    base = live_server.url
    mine = make_household(raelingen, "Berg", national_id=MY_NUMBER)
    decision = approve(sara, geir, mine)
    for other in ("Haugen", "Lie"):
        approve(sara, geir, make_household(raelingen, other))
    for rooms in (1, 2, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)

    log_in(page, base, "lise", PASSWORD)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Simulering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Simulering av politikk")
    check_accessibility(page)
    page.fill("#id_label", "Treårige kontrakter")
    page.fill("#id_lease_length_months", "36")
    page.select_option("#id_runs", "20")
    page.select_option("#id_horizon_months", "12")
    page.click("#simulation-form button[type=submit]")
    # On the job queue (ADR 0034): the state page, then the result once a worker has run it.
    status = page.locator("#simulation-status")
    expect(status).to_contain_text("I kø")
    run_worker()
    expect(status).to_contain_text("Simuleringen er kjørt og lagret", timeout=15_000)
    status.get_by_role("link", name="Vis resultatet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treårige kontrakter")
    expect(page.locator("#changed-levers")).to_contain_text(
        "Lengde på nye og fornyede leiekontrakter"
    )
    expect(page.locator("#changed-levers")).to_contain_text("→ 36")
    table = page.locator("#comparison")
    expect(table).to_contain_text("Dagens politikk")
    expect(table).to_contain_text("Scenario")
    expect(table).to_contain_text("Løftet om tilbud innen 6 måneder holdt")
    expect(page.locator("figure svg")).to_be_visible()
    expect(page.locator("#queue-table tbody tr")).to_have_count(12)
    expect(page.locator("main")).not_to_contain_text("Berg")  # aggregates only
    check_accessibility(page)
    screenshot(page, "simulation")
    run = SimulationRun.objects.get()
    assert run.levers["lease_length_months"] == 36 and run.runs == 20

    # the household's own page now carries the estimate
    resident = browser.new_context(locale="nb-NO").new_page()
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", MY_NUMBER)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    resident.goto(f"{base}/minside/sak/{decision.case_id}/")
    expect(resident.locator("#wait-estimate")).to_contain_text("husstander som din")
    expect(resident.locator("#wait-estimate li")).to_have_count(3)
    check_accessibility(resident)
    _empty_queue()
