"""Issue 12 in a real browser: Rælingen's eviction-prevention procedure for one tenant, from the
first missed rent to the petition to the enforcement officer, with the rent meeting in between
and a repayment plan that is broken; and a tenant whose plan is kept and whose case closes. The
letters' text is read before each is confirmed, and the petition's PDF is checked. Every page is
axe-checked. The rent ledger is a stand-in (``FakeLedger``); the daily scan runs as the job."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.arrears import actions
from husly.arrears.models import ArrearsCase
from tests.arrears.helpers import FakeLedger, make_lease, make_units
from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _due(page: Page) -> dt.date:
    text = page.locator("#case-next").inner_text()
    day, month, year = re.search(r"(\d\d)\.(\d\d)\.(\d{4})", text).groups()  # type: ignore[union-attr]
    return dt.date(int(year), int(month), int(day))


def _take(page: Page, expect_title: str, *, letter: list[str] = (), **fields: str) -> dt.date:  # type: ignore[assignment]
    """Prepare the step that is due (dated on its due date), read the draft letter, confirm."""
    expect(page.locator("#case-next")).to_contain_text(expect_title)
    on = _due(page)
    page.fill("#id_taken_on", on.isoformat())
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.click("form[action$='/forbered/'] button")
    expect(page.locator("#pending-step")).to_be_visible()
    check_accessibility(page)
    for words in letter:
        expect(page.locator("#pending-letter")).to_contain_text(words)
    page.click("form[action$='/bekreft/'] button")
    expect(page.locator("#case-steps")).to_contain_text(on.strftime("%d.%m.%Y"))
    return on


def _scan(municipality, ledger: FakeLedger, on: dt.date) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return actions.arrears_scan(actor=None, municipality=municipality, as_of=on, source=ledger)


def test_first_missed_rent_to_petition_with_meeting_and_broken_plan(
    browser: Browser, live_server, raelingen, eirik, sara, household, routing
) -> None:
    base = live_server.url
    make_units(raelingen)
    lease = make_lease(raelingen, eirik, household)
    ledger = FakeLedger()
    first_due = timezone.localdate() - dt.timedelta(days=230)
    ledger.set(first_due, lease, 9000, 1, first_due)
    assert _scan(raelingen, ledger, first_due + dt.timedelta(days=5))["opened"] == 1
    case = ArrearsCase.objects.get(lease=lease)

    page = _page(browser)
    log_in(page, base, "eirik", PASSWORD)
    page.goto(f"{base}/restanser/")
    expect(page.locator("#arrears-cases")).to_contain_text("Nordmann")
    check_accessibility(page)
    page.click(f"a[href$='/restanser/{case.pk}/']")
    check_accessibility(page)
    _take(page, "Første purring", letter=["Påminnelse om ubetalt husleie", "Du skylder 9 000 kr"])
    _take(page, "Andre purring")
    notice_on = _take(
        page, "Inkassovarsel", letter=["Inkassovarsel", "inkassokostnader", "inkassoloven § 9"]
    )
    # Two months' collection notices are needed before anything more: the case waits.
    expect(page.locator("#case-trace")).to_contain_text("inkassovarsel må være sendt for 2")

    # The rent meeting: the housing consultant prepares the agenda and records the minutes.
    meeting_on = notice_on + dt.timedelta(days=2)
    consultant = _page(browser)
    log_in(consultant, base, "sara", PASSWORD)
    consultant.goto(f"{base}/restanser/husleiemote/")
    check_accessibility(consultant)
    consultant.fill("#id_held_on", meeting_on.isoformat())
    consultant.fill("#id_participants", "Eiendom, innfordring, boligkonsulent")
    consultant.click("form.husly-form button[type=submit]")
    expect(consultant.locator(".agenda-reasons")).to_contain_text("Ny restanse")
    check_accessibility(consultant)
    item = case.meeting_items.get()
    consultant.select_option(f"#id_i{item.pk}-responsible", str(sara.pk))
    consultant.fill(f"#id_i{item.pk}-agreed", "Sara ringer leietaker om nedbetalingsplan.")
    consultant.click(f"section[aria-labelledby='i-{item.pk}'] button")
    consultant.click("form:has(input[value=close]) button")
    expect(consultant.locator("body")).to_contain_text("Referatet er avsluttet")

    # The repayment plan, recorded on the case.
    agreed = meeting_on + dt.timedelta(days=1)
    first, second = agreed + dt.timedelta(days=15), agreed + dt.timedelta(days=45)
    consultant.goto(f"{base}/restanser/{case.pk}/")
    consultant.fill("#id_agreed_on", agreed.isoformat())
    consultant.fill("#id_instalments", f"{first:%d.%m.%Y} 5000\n{second:%d.%m.%Y} 4000")
    consultant.click("form[action$='/avtale/'] button")
    expect(consultant.locator("#case-stage")).to_contain_text("Nedbetalingsplanen følges")
    check_accessibility(consultant)

    # The first instalment is not paid, and another month's rent is unpaid: the daily scan
    # finds the plan broken and the case returns to the procedure.
    ledger.set(first_due + dt.timedelta(days=31), lease, 18000, 2, first_due)
    assert _scan(raelingen, ledger, first + dt.timedelta(days=7))["broken"] == 1
    page.goto(f"{base}/restanser/{case.pk}/")
    expect(page.locator("#case-agreements")).to_contain_text("Brutt")
    expect(page.locator("#case-agreements")).to_contain_text("Avdrag 1")
    _take(page, "Inkassovarsel", letter=["Du skylder 18 000 kr"])
    _take(page, "Møte om tiltak før begjæring", note="Verge vurdert, ikke aktuelt.")
    _take(
        page,
        "Varsel om begjæring om fravikelse",
        letter=[
            "tvangsfullbyrdelsesloven § 4-18",
            "Betal eller avtal en nedbetalingsplan med oss innen",
            "§ 13-2 tredje ledd bokstav a",
            "Kopi til: NAV Rælingen, Konsulent for boligsosialt arbeid",
            "Barneverntjenesten",
        ],
    )
    _take(
        page,
        "Begjæring om fravikelse til namsmannen",
        letter=["Namsmannen", "Rælingen kommune begjærer fravikelse", "Kopi til: NAV Rælingen"],
    )
    expect(page.locator("#case-next")).to_contain_text("Namsmannen fastsetter dato")
    expect(page.locator("#case-next")).to_contain_text("en person avgjør")
    check_accessibility(page)

    # The petition's PDF, as stored when it was confirmed.
    href = page.locator("#case-steps a").last.get_attribute("href")
    pdf = page.request.get(f"{base}{href}").body()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Begjæring om fravikelse" in text and "Namsmannen" in text
    assert "tvangsfullbyrdelsesloven" in text


def test_repayment_plan_kept_and_the_case_closes(
    browser: Browser, live_server, raelingen, eirik, sara, household, routing
) -> None:
    base = live_server.url
    make_units(raelingen)
    lease = make_lease(raelingen, eirik, household)
    ledger = FakeLedger()
    first_due = timezone.localdate() - dt.timedelta(days=120)
    ledger.set(first_due, lease, 9000, 1, first_due)
    _scan(raelingen, ledger, first_due + dt.timedelta(days=5))
    case = ArrearsCase.objects.get(lease=lease)

    page = _page(browser)
    log_in(page, base, "eirik", PASSWORD)
    page.goto(f"{base}/restanser/{case.pk}/")
    reminded = _take(
        page, "Første purring", letter=["Påminnelse om ubetalt husleie", "nedbetalingsplan"]
    )
    page.goto(f"{base}/restanser/husleiemote/")
    page.fill("#id_held_on", (reminded + dt.timedelta(days=1)).isoformat())
    page.click("form.husly-form button[type=submit]")
    item = case.meeting_items.get()
    page.select_option(f"#id_i{item.pk}-responsible", str(sara.pk))
    page.fill(f"#id_i{item.pk}-agreed", "Nedbetalingsplan avtales.")
    page.click(f"section[aria-labelledby='i-{item.pk}'] button")
    agreed = reminded + dt.timedelta(days=2)
    first, second = agreed + dt.timedelta(days=10), agreed + dt.timedelta(days=40)
    page.goto(f"{base}/restanser/{case.pk}/")
    page.fill("#id_agreed_on", agreed.isoformat())
    page.fill("#id_instalments", f"{first:%d.%m.%Y} 4500\n{second:%d.%m.%Y} 4500")
    page.click("form[action$='/avtale/'] button")
    expect(page.locator("#case-stage")).to_contain_text("Nedbetalingsplanen følges")

    ledger.set(first, lease, 4500, 1, first_due)
    assert _scan(raelingen, ledger, first + dt.timedelta(days=7))["broken"] == 0
    ledger.set(second, lease, 0, 0, None)
    assert _scan(raelingen, ledger, second + dt.timedelta(days=7))["completed"] == 1
    page.goto(f"{base}/restanser/{case.pk}/")
    expect(page.locator("#case-status")).to_contain_text("Avsluttet")
    expect(page.locator("#case-status")).to_contain_text("Nedbetalingsavtalen er fullført")
    expect(page.locator("#case-agreements")).to_contain_text("Fullført")
    check_accessibility(page)
    page.goto(f"{base}/restanser/")
    expect(page.locator("#arrears-cases")).to_contain_text("Ingen åpne restansesaker")
