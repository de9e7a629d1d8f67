"""Journey J12 in one go, in a real browser: a leader opens the dashboard, drills into the broken
six-month promises, looks at a unit's own part (as it leaves the unit: small counts
suppressed), runs a simulation that shortens leases to three years and reads the comparison
with today's policy. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from husly.policy.models import SimulationRun
from tests.allocation.helpers import make_dwelling
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.browser.test_leader_dashboard import _world
from tests.conftest import PASSWORD
from tests.jobs.conftest import _empty_queue, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_leader_goes_from_the_dashboard_to_a_simulation_of_three_year_leases(
    page: Page, live_server, raelingen, routing, housing_office, property_unit, sara, eirik, lise
) -> None:
    _empty_queue()
    _world(raelingen, sara)
    for rooms in (1, 2, 2, 3):
        make_dwelling(raelingen, eirik, rooms=rooms)
    base = live_server.url
    log_in(page, base, "lise", PASSWORD)
    menu = page.get_by_role("navigation", name="Hovedmeny")

    # 1. the dashboard, and the broken promises behind it
    menu.get_by_role("link", name="Styringstavle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Styringstavle")
    check_accessibility(page)
    promise = page.get_by_role("table", name="Løftet om tilbud innen 6 måneder")
    promise.get_by_role("link", name="Brutt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Løfter om tilbud innen 6 måneder brutt i perioden"
    )
    expect(page.locator("main")).to_contain_text("I alt: 6")
    expect(page.locator("body")).not_to_contain_text("Venter 0")  # no names for a leader
    check_accessibility(page)

    # 2. the property unit's own part, as it leaves the unit
    page.go_back()
    page.get_by_role("link", name="Eiendomsenheten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enhetens tall")
    expect(page.locator("main")).to_contain_text("Disse tallene tilhører en annen enhet")
    stock = page.get_by_role("table", name="Boliger etter type")
    expect(stock.get_by_role("row", name="I alt")).to_contain_text("5")
    check_accessibility(page)

    # 3. a simulation of three-year leases, compared with today's policy
    menu.get_by_role("link", name="Simulering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Simulering av politikk")
    page.fill("#id_label", "Treårige kontrakter")
    page.fill("#id_lease_length_months", "36")
    page.select_option("#id_runs", "20")
    page.select_option("#id_horizon_months", "12")
    page.click("#simulation-form button[type=submit]")
    # The simulation goes on the job queue: its page says so, and turns done by itself
    # (htmx) once a worker has run it.
    status = page.locator("#simulation-status")
    expect(status).to_contain_text("I kø")
    expect(page.get_by_role("heading", level=1)).to_have_text("Treårige kontrakter")
    check_accessibility(page)
    assert not SimulationRun.objects.exists()
    run_worker()
    expect(status).to_contain_text("Fullført", timeout=15_000)
    expect(status).to_contain_text("Simuleringen er kjørt og lagret")
    check_accessibility(page)
    status.get_by_role("link", name="Vis resultatet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treårige kontrakter")
    expect(page.locator("#changed-levers")).to_contain_text(
        "Lengde på nye og fornyede leiekontrakter"
    )
    expect(page.locator("#changed-levers")).to_contain_text("→ 36")
    table = page.locator("#comparison")
    expect(table).to_contain_text("Dagens politikk")
    expect(table).to_contain_text("Scenario")
    expect(table.get_by_role("row", name="Løftet om tilbud innen 6 måneder holdt")).to_be_visible()
    expect(page.locator("#queue-table tbody tr")).to_have_count(12)
    expect(page.locator("#groups")).to_contain_text("Flyktninger")
    expect(page.locator("main")).not_to_contain_text("Venter 0")
    check_accessibility(page)
    screenshot(page, "leaders-journey-simulation")
    run = SimulationRun.objects.get()
    assert run.levers["lease_length_months"] == 36 and run.baseline_levers != run.levers
    _empty_queue()
