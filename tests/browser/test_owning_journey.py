"""Issue 14 (towards owning) in a real browser: a tenant on the screening list is assessed as
able to own (the start-loan calculation run), offered the municipal dwelling they live in at
the valuation less the discount, and the sale is recorded: the lease ends, the dwelling leaves
the stock, and the leader's figures count it. Every page is axe-checked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.housing.models import Dwelling
from husly.owning.models import MunicipalSale, OwnershipAssessment, OwningFact
from husly.tenancy.models import Lease
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.conftest import PASSWORD
from tests.owning.helpers import tenant_lease

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_tenant_able_to_own_is_offered_the_dwelling_and_the_sale_recorded(
    browser: Browser, live_server, raelingen, sara, lise
) -> None:
    base = live_server.url
    today = timezone.localdate()
    lease = tenant_lease(raelingen, sara, "Kjøpesen")

    page = _page(browser)
    log_in(page, base, "sara", PASSWORD)
    page.goto(f"{base}/eie/")
    check_accessibility(page)
    expect(page.locator("#screening")).to_contain_text("Kjøpesen")
    expect(page.locator("#screening")).to_contain_text("Ikke vurdert")
    page.click(f"a[href$='/eie/vurder/{lease.pk}/']")
    check_accessibility(page)
    page.fill("#id_income_sources", "Fast stilling som helsefagarbeider")
    page.check("#id_income_stable")
    page.fill("#id_net_income_monthly", "42000")
    page.fill("#id_savings", "100000")
    page.fill("#id_price_needed", "2000000")
    page.fill("#id_housing_running_costs_monthly", "3000")
    page.fill("#id_wishes_note", "Vil kjøpe leiligheten de bor i.")
    page.click("form.husly-form button[type=submit]")
    expect(page.locator("#screening-result")).to_contain_text("Kan eie nå")
    check_accessibility(page)
    assessment = OwnershipAssessment.objects.get()
    assert assessment.route == "own_now" and assessment.calculation["rule"] == "start_loan"

    page.click(f"a[href$='/eie/salg/ny/{lease.pk}/']")
    check_accessibility(page)
    page.fill("#id_valuation", "2100000")
    page.fill("#id_valued_by", "Eiendomsmegler Rælingen AS")
    page.fill("#id_valued_on", today.isoformat())
    page.fill("#id_start_loan", "1900000")
    page.click("form.husly-form button[type=submit]", timeout=60_000)  # renders the letter
    expect(page.locator("#sale-facts")).to_contain_text("2 050 000")
    check_accessibility(page)
    # the offer letter, linked from the sale page: price, pre-emption, loan, the answer date
    answer_by = (today + dt.timedelta(days=28)).strftime("%d.%m.%Y")
    expect(page.locator("#sale-facts")).to_contain_text(answer_by)
    href = page.locator("#sale-letter").get_attribute("href")
    letter = page.request.get(f"{base}{href}")
    assert letter.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(letter.body())).pages
    )
    assert "Tilbud om å kjøpe boligen du leier" in text
    assert "Prisen til deg er 2 050 000 kroner" in text
    assert "Vi avklarer forkjøpsretten før salget" in text
    assert "startlån 1 900 000 kroner" in text
    assert f"Svar oss innen {answer_by}" in text

    page.fill("#id_sold_on", today.isoformat())
    page.select_option("#id_pre_emption", "not_cooperative")
    page.fill("#id_grant", "100000")
    page.click("form[action$='/solgt/'] button[type=submit]")
    expect(page.locator("#sale-facts")).to_contain_text("Solgt")
    screenshot(page, "owning-sale-recorded")
    sale = MunicipalSale.objects.get()
    assert sale.status == "sold" and sale.offer_price == 2_050_000
    assert Lease.objects.get(pk=lease.pk).end_reason == "purchased"
    assert Dwelling.objects.get(pk=lease.dwelling_id).status == "sold"
    assert OwningFact.objects.get().how == "bought_municipal"

    leader = _page(browser)
    log_in(leader, base, "lise", PASSWORD)
    leader.goto(f"{base}/eie/tall/")
    check_accessibility(leader)
    expect(leader.locator("#figures")).to_contain_text(str(today.year))
