"""The pages of work on the queue, in a real browser, checked with axe (ADR 0034): the § 5 needs
overview is asked for as a PDF, its page says it is queued and turns ready by itself when a
worker has made it, with the download; a caseworker marks a deadline alert seen on the start
page and it is gone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from husly.cases import actions as cases
from husly.cases.models import DeadlineAlert
from husly.jobs.models import ExportFile
from husly.needs import actions as needs_actions
from tests.allocation.helpers import make_household
from tests.browser.conftest import check_accessibility, log_in
from tests.cases.helpers import ELIGIBLE
from tests.conftest import PASSWORD
from tests.jobs.conftest import _empty_queue, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_export_on_the_queue_turns_ready_and_offers_its_download(  # type: ignore[no-untyped-def]
    page: Page, live_server, sara, lise, raelingen, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _empty_queue()
    needs_actions.needs_round_open(
        actor=lise,
        municipality=raelingen,
        year=2026,
        title="Behovsrunden 2026",
        deadline=dt.date(2026, 12, 31),
    )
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/behov/")
    page.get_by_role("button", name="Lag en PDF").click()
    status = page.locator("#export-status")
    expect(status).to_contain_text("I kø")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Behovsoversikt (PDF)")
    check_accessibility(page)
    run_worker()
    expect(status).to_contain_text("Fullført", timeout=15_000)
    link = status.get_by_role("link", name="Last ned behovsoversikt-2026.pdf")
    expect(link).to_be_visible()
    check_accessibility(page)
    made = ExportFile.objects.get()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "behovsoversikt-2026.pdf"
    assert made.status == "done"
    _empty_queue()


def test_a_caseworker_marks_a_deadline_alert_seen_on_the_start_page(  # type: ignore[no-untyped-def]
    page: Page, live_server, sara, raelingen, routing
) -> None:
    case = cases.case_create(
        actor=sara,
        household=make_household(raelingen, "Frist"),
        channel="meeting",
        help_kinds=["rental_dwelling"],
        data=ELIGIBLE,
        submit=True,
    )
    DeadlineAlert.objects.create(
        case=case,
        what="preliminary_reply",
        due=dt.date(2026, 12, 20),
        raised_on=dt.date(2026, 12, 14),
    )
    log_in(page, live_server.url, "sara", PASSWORD)
    alerts = page.locator(".husly-deadline-alerts")
    expect(alerts).to_contain_text(case.number)
    check_accessibility(page)
    alerts.get_by_role("button", name=f"Merk som sett (sak {case.number})").click()
    expect(page.locator(".ds-alert").first).to_contain_text(
        f"Varselet i sak {case.number} er merket som sett."
    )
    expect(page.locator(".husly-deadline-alerts")).to_have_count(0)
    check_accessibility(page)
