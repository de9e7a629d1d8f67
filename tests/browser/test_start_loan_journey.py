"""In a real browser (issue #15): a start-loan application for a cooperative flat sent by the
household itself in Min side on a 375 px phone (a mistake first, then once), the credit check
with a note and a document requested, the oral explanation, the assessment with the ladder,
the team meeting escalating to a longer term, the unit head's approval (four eyes), the
letter's text (amount, validity, appeal), the purchase, disbursement with fees and the first
missed instalment opening a follow-up; and a second case whose negative margin ends in a
written advice against. The household then sees its loan in Min side. Every page is checked
with axe-core."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.cases.models import Decision
from husly.loans.models import AdviceAgainst, ArrearsFollowUp, LoanApplication, LoanApproval
from tests.browser.conftest import check_accessibility, log_in
from tests.cases.helpers import nav_staff
from tests.conftest import PASSWORD
from tests.loans.helpers import FACTS, apply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _pdf_text(field) -> str:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(field.open("rb").read()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _apply_in_min_side(browser: Browser, base: str, household) -> Page:  # type: ignore[no-untyped-def]
    """The household applies itself, on a phone: a cooperative flat with its common debt."""
    applicant = household.members.get(relation="applicant").person
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{base}/minside/logg-inn/")
    page.fill("#id_national_id", applicant.national_id)
    page.click("form.husly-form button[type=submit]")
    page.wait_for_url(f"{base}/minside/")
    page.click("a[href$='/minside/startlan/sok/']")
    page.select_option("#id_om-municipality", str(household.municipality_id))
    page.select_option("#id_lan-housing_kind", "rented_private")
    page.fill("#id_lan-lived_in_municipality_since", "2019-01-01")
    page.fill("#id_lan-net_income_monthly", "40 000")
    page.check("#id_lan-income_documented")
    page.fill("#id_lan-other_fixed_costs_monthly", "1 200")
    page.fill("#id_lan-debt_total", "40 000")
    page.fill("#id_lan-savings", "25 000")
    page.select_option("#id_lan-dwelling_kind", "freehold")  # the mistake: common debt too
    page.fill("#id_lan-dwelling_address", "Løvenskiolds gate 4 B, 2008 Fjerdingby")
    page.fill("#id_lan-dwelling_municipality_number", "3224")
    page.fill("#id_lan-price", "1 900 000")
    page.fill("#id_lan-common_debt", "600 000")
    page.fill("#id_lan-housing_costs_monthly", "6 500")
    page.fill("#id_lan-bank_co_financing", "0")
    page.fill("#id_lan-loan_amount", "2 500 000")
    page.check("#id_lan-consent_to_fetch")
    page.click("button[name=submit]")
    expect(page.locator(".ds-error-summary")).to_contain_text("borettslag")
    assert not LoanApplication.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check_accessibility(page)
    page.select_option("#id_lan-dwelling_kind", "cooperative")
    page.dblclick("button[name=submit]")  # an impatient double click sends once
    expect(page.locator(".ds-alert")).to_contain_text("Saksnummer")
    expect(page.locator("#my-total-price")).to_contain_text("2 500 000")
    check_accessibility(page)
    assert LoanApplication.objects.count() == 1
    return page


def _prepare(worker: Page, base: str, application_pk: int) -> None:
    worker.goto(f"{base}/startlan/soknad/{application_pk}/")
    expect(worker.locator("#total-price")).to_contain_text("2 500 000")
    worker.fill("#result", "Ingen betalingsanmerkninger.")
    worker.fill("#credit-note", "Sjekket hos Experian.")
    worker.click("form[action$='/kredittsjekk/'] button")
    expect(worker.locator("#credit-check")).to_contain_text("Ingen betalingsanmerkninger")
    expect(worker.locator("#credit-check")).to_contain_text("Sjekket hos Experian.")
    worker.fill("#how", "Møte på NAV")
    worker.click("form[action$='/forklaring/'] button")
    expect(worker.locator("#explained")).to_contain_text("Møte på NAV")
    worker.click("form[action$='/vurder/'] button")
    expect(worker.locator("#ladder")).to_be_visible()
    check_accessibility(worker)


def test_a_cooperative_flat_from_application_to_the_first_missed_instalment(
    browser: Browser, live_server, routing, household
) -> None:
    from husly.loans import actions as loans

    base = live_server.url
    nina, _nils = nav_staff(routing)
    resident = _apply_in_min_side(browser, base, household)
    application = LoanApplication.objects.get()
    assert application.case.channel == "self_service"
    assert application.dwelling_kind == "cooperative" and application.common_debt == 600_000
    loans.loan_facts_record(actor=nina, application=application, data=FACTS)

    worker = _page(browser)
    log_in(worker, base, "nina", PASSWORD)
    _prepare(worker, base, application.pk)
    expect(worker.locator("#credit-check")).to_contain_text("Nina")
    worker.fill("#doc-title", "Lønnsslipper for tre måneder")
    worker.fill("#doc-due", "2027-12-01")
    worker.click("form[action$='/dokument/'] button")
    expect(worker.locator("#documents")).to_contain_text("etterspurt")
    expect(worker.locator("#ladder tr.husly-highlight")).to_contain_text("Lengre nedbetalingstid")
    worker.select_option("#outcome", "approve")
    worker.select_option("#step", "longer_term")
    worker.fill("#text", "Referanselån og fast rente går ikke opp; 50 år gjør det.")
    worker.click("form[action$='/innstilling/'] button")

    worker.goto(f"{base}/startlan/")
    check_accessibility(worker)
    worker.fill("#held_on", "2026-12-15")
    worker.click("form[action$='/mote/'] button")
    expect(worker.locator("h1")).to_contain_text("Vedtaksteam")
    check_accessibility(worker)
    item = application.recommendations.get()
    worker.select_option(f"#o{item.pk}", "approve")
    worker.select_option(f"#s{item.pk}", "longer_term")
    worker.fill(f"#m{item.pk}", "Teamet går for 50 år; vilkårene i § 8-5 er dokumentert.")
    worker.fill(f"#r{item.pk}", "Husstanden har varig lav inntekt, og boligen passer lenge.")
    worker.click(f"form[action$='/innstilling/{item.pk}/'] button")
    expect(worker.locator(f"#it{item.pk}")).to_be_visible()
    item.refresh_from_db()
    decision = item.decision
    assert decision is not None and decision.status == "awaiting_approval"

    head = _page(browser)
    log_in(head, base, "nils", PASSWORD)
    head.goto(f"{base}/saker/vedtak/{decision.pk}/")
    head.click("form[action$='/approve/'] button")
    expect(head.locator("form[action$='/approve/']")).to_have_count(0)
    worker.goto(f"{base}/saker/vedtak/{decision.pk}/")
    worker.click("form[action$='/issue/'] button")
    expect(worker.locator("form[action$='/issue/']")).to_have_count(0, timeout=60_000)

    letter = _pdf_text(Decision.objects.get(pk=decision.pk).letter)
    approval = LoanApproval.objects.get(decision=decision)
    assert "Du får tilsagn om startlån på 2 500 000 kroner." in letter
    assert "Nedbetalingstiden er 50 år" in letter
    assert "Tilsagnet gjelder til" in letter and "Du kan klage" in letter
    assert approval.valid_until is not None

    worker.goto(f"{base}/startlan/soknad/{application.pk}/")
    worker.fill("#p-address", "Løvenskiolds gate 4 B")
    worker.fill("#p-price", "2 480 000")
    worker.fill("#p-date", "2026-12-03")
    worker.click("form[action$='/kjop/'] button")
    expect(worker.locator("#approval-status")).to_contain_text("Kjøp akseptert")
    worker.fill("#d-signed", "2026-12-04")
    worker.fill("#d-reg", "2026-12-05")
    worker.fill("#d-prio", "1")
    worker.click("form[action$='/dokumenter/'] button")
    worker.fill("#u-on", "2026-12-06")
    worker.click("form[action$='/utbetal/'] button")
    check_accessibility(worker)
    worker.click("text=Åpne lånet")
    expect(worker.locator("#paid-out")).to_contain_text("etableringsgebyr 1 500 kr")
    worker.fill("#due_on", "2027-01-20")
    worker.fill("#amount_paid", "0")
    worker.click("form[action$='/betaling/'] button")
    expect(worker.locator("[id^=follow-up-]")).to_have_count(1)
    check_accessibility(worker)
    assert ArrearsFollowUp.objects.filter(loan__approval=approval).exists()

    # The household sees its loan in Min side: the decision, the letter, balance, rate, term.
    resident.goto(f"{base}/minside/startlan/{application.pk}/")
    expect(resident.locator("#my-decisions")).to_contain_text("PDF")
    expect(resident.locator("#my-loan-terms")).to_contain_text("50 år")
    expect(resident.locator("#my-loan-terms")).to_contain_text("%")
    expect(resident.locator("#my-documents")).to_contain_text("Lønnsslipper")
    assert resident.evaluate("document.documentElement.scrollWidth") <= 375
    check_accessibility(resident)


def test_a_negative_margin_ends_in_written_advice_against(
    browser: Browser, live_server, routing, household
) -> None:
    from husly.loans import actions as loans

    base = live_server.url
    nina, _nils = nav_staff(routing)
    application = apply(nina, household, net_income_monthly=33_000)
    loans.loan_facts_record(actor=nina, application=application, data=FACTS)
    worker = _page(browser)
    log_in(worker, base, "nina", PASSWORD)
    _prepare(worker, base, application.pk)
    expect(worker.locator("#ladder tr.husly-highlight")).to_have_count(0)
    worker.select_option("#outcome", "advise_against")
    worker.fill("#text", "Ingen løsning gir positiv margin.")
    worker.click("form[action$='/innstilling/'] button")
    worker.goto(f"{base}/startlan/")
    worker.fill("#held_on", "2026-12-15")
    worker.click("form[action$='/mote/'] button")
    item = application.recommendations.get()
    worker.select_option(f"#o{item.pk}", "advise_against")
    worker.fill(f"#m{item.pk}", "Teamet fraråder lånet.")
    worker.fill(f"#r{item.pk}", "Husstanden mangler penger hver måned med alle løsningene.")
    worker.click(f"form[action$='/innstilling/{item.pk}/'] button")
    expect(worker.locator(f"section[aria-labelledby='it{item.pk}']")).to_contain_text(
        "Fraråd skriftlig"
    )
    text = _pdf_text(AdviceAgainst.objects.get(application=application).letter)
    assert "Vi fraråder deg å ta opp startlån" in text
    assert "Dette er ikke et avslag." in text
