"""The administrators' job page in a real browser, checked with axe: a failed job shows its
reason and is run again from the page."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import Browser, expect
from procrastinate.contrib.django.models import ProcrastinateJob

from husly.jobs.registry import ATTEMPTS
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.jobs import tasks_for_tests
from tests.jobs.conftest import _empty_queue, run_worker

DUE_NOW = "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s"

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_administrator_sees_a_failed_job_with_its_reason_and_runs_it_again(
    browser: Browser, live_server, arne
) -> None:
    _empty_queue()
    tasks_for_tests.SWITCH["fail"] = True
    job_id = tasks_for_tests.flaky.defer(note="arkivet")
    with connection.cursor() as cursor:
        for _attempt in range(ATTEMPTS):
            run_worker()
            cursor.execute(DUE_NOW, [job_id])
    assert ProcrastinateJob.objects.get(pk=job_id).status == "failed"

    page = browser.new_context(locale="nb-NO").new_page()
    log_in(page, live_server.url, "arne", PASSWORD)
    page.goto(f"{live_server.url}/organisasjon/enheter/")
    page.click("a[href='/jobber/']")
    expect(page.locator("h1")).to_have_text("Bakgrunnsjobber")
    expect(page.locator("tbody")).to_contain_text("the archive did not answer (arkivet)")
    expect(page.locator("tbody")).to_contain_text("Feilet")
    check_accessibility(page)
    page.click(f"text=Kjør jobb #{job_id} igjen")
    expect(page.locator("body")).to_contain_text("Jobben er satt i kø igjen.")
    check_accessibility(page)
    assert ProcrastinateJob.objects.get(pk=job_id).status == "todo"
    _empty_queue()
