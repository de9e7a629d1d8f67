"""In a real browser: the leader finds fairness monitoring in the menu, reads a quarter's
figures with their intervals (small groups hidden), switches to the last twelve months, and
finds the PDF. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.insight.fairness_records import Q2_2025, seed_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_the_fairness_report(page: Page, live_server, raelingen, sara, lise) -> None:  # type: ignore[no-untyped-def]
    seed_records(raelingen, sara)
    base = live_server.url
    log_in(page, base, "lise", PASSWORD)
    page.click("nav >> text=Likebehandling")
    expect(page.locator("h1")).to_contain_text("Likebehandling")
    check_accessibility(page)
    page.goto(f"{base}/innsikt/likebehandling/?kvartal={Q2_2025}")
    expect(page.locator("h1")).to_contain_text("2. kvartal 2025")
    approval = page.locator("#table-approval")
    expect(approval.locator("tr", has_text="Barnefamilier")).to_contain_text("49–94")
    expect(approval.locator("tr", has_text="Flyktninger")).to_contain_text("<5")
    expect(approval.locator("tr", has_text="Rusmiddelbruk")).to_contain_text("Registreres ikke")
    expect(page.locator("#table-wait tr", has_text="Barnefamilier")).to_contain_text("10–60")
    check_accessibility(page)
    page.select_option("#periode", "aar")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("12 månedene")
    check_accessibility(page)
    # The PDF is made on the job queue (ADR 0034): the form asks for the period shown.
    pdf = page.locator("#fairness-pdf")
    expect(pdf.get_by_role("button", name="Lag rapporten som PDF")).to_be_visible()
    assert pdf.locator("input[name=periode]").get_attribute("value") == "aar"
    assert "Nordmann" not in page.content()  # aggregates only
