"""A large import in a real browser, checked with axe: confirmed, the page says it is queued, a
worker applies it and the same page turns to done by itself (htmx polling), with the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from husly.people.models import Person
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.factories import synthetic_number
from tests.jobs.conftest import _empty_queue, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@override_settings(HUSLY_IMPORT_SYNC_ROWS=1)
def test_a_queued_import_shows_its_state_and_turns_done_when_the_worker_has_run(
    page: Page, live_server, sara, raelingen, tmp_path
) -> None:
    _empty_queue()
    csv = tmp_path / "personer.csv"
    rows = "".join(
        f"{synthetic_number(dt.date(1990, 1, 1 + k))};Kari{k};Hansen\n" for k in range(3)
    )
    csv.write_text(f"fødselsnummer;fornavn;etternavn\n{rows}", encoding="utf-8")
    log_in(page, live_server.url, "sara", PASSWORD)
    page.goto(f"{live_server.url}/import/persons/")
    page.set_input_files("#id_file", str(csv))
    page.click("form.husly-form button[type=submit]")
    page.click("text=Importer nå")
    status = page.locator("#import-status")
    expect(status).to_contain_text("I kø")
    check_accessibility(page)
    assert not Person.objects.exists()
    run_worker()
    expect(status).to_contain_text("Fullført", timeout=15_000)
    expect(status).to_contain_text("3 rader ble importert")
    check_accessibility(page)
    assert Person.objects.count() == 3
    _empty_queue()
