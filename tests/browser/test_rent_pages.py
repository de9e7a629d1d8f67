"""The property unit's rent pages in a real browser, each checked with axe: an OCR giro file
uploaded, previewed and booked, the unmatched payment placed by its KID, the arrears list and
the lease's ledger (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from husly.rent import actions, ocr
from husly.rent.models import Payment
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD
from tests.rent.helpers import active_lease

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_property_manager_books_a_giro_file_and_reads_the_ledger(
    page: Page, live_server, raelingen, eirik, tmp_path
) -> None:
    lease = active_lease(raelingen, eirik, start=dt.date(2026, 10, 1))
    for month in (dt.date(2026, 10, 1), dt.date(2026, 11, 1)):
        actions.rent_roll_run(actor=eirik, municipality=raelingen, month=month)
    giro = tmp_path / "ocr.txt"
    giro.write_bytes(
        ocr.write(
            [
                (900000, lease.payment_kid, dt.date(2026, 10, 2), "1"),
                (400000, "12345678903", dt.date(2026, 11, 2), "2"),
            ]
        ).encode("iso-8859-1")
    )
    base = live_server.url
    log_in(page, base, "eirik", PASSWORD)

    page.goto(f"{base}/husleie/innbetalinger/")
    check_accessibility(page)
    page.set_input_files("input[type=file]", str(giro))
    page.get_by_role("button", name="Sjekk filen").click()
    expect(page.get_by_role("button", name="Bokfør innbetalingene")).to_be_visible()
    check_accessibility(page)
    assert not Payment.objects.exists()  # nothing is booked before the person confirms
    page.get_by_role("button", name="Bokfør innbetalingene").click()
    page.wait_for_load_state()
    assert Payment.objects.count() == 2

    page.goto(f"{base}/husleie/innbetalinger/uplassert/")
    expect(page.locator("main")).to_contain_text("12345678903")
    check_accessibility(page)
    page.locator("input[name=kid]").first.fill(lease.payment_kid)
    page.get_by_role("button", name="Plasser").first.click()
    page.wait_for_load_state()
    assert Payment.objects.filter(lease=lease).count() == 2

    page.goto(f"{base}/husleie/")
    check_accessibility(page)
    page.goto(f"{base}/husleie/leieforhold/{lease.pk}/")
    expect(page.locator("main")).to_contain_text(re.compile(r"5[\s\u00a0]?000"))  # 18,000 - 13,000
    check_accessibility(page)
