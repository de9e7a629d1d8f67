"""Issue #11 items 1–4 in a real browser: a caseworker drafts a rental-dwelling decision and a
deposit-guarantee decision on one application, each with its own form, an approver approves,
the caseworker issues them, and the household reads them as pages in Min side. Every kind of
decision letter (and the preliminary reply) is rendered from the HTML the PDF is made from and
saved as a screenshot in docs/screenshots/."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from husly.cases import actions
from husly.cases.letters import decision_letter_html, preliminary_reply_html
from husly.cases.models import Decision, HelpKind
from tests.allocation.helpers import make_household
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in, screenshot
from tests.cases.helpers import ELIGIBLE, judge_all, nav_staff
from tests.cases.test_decision_letters import CONTENT, REASONS
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)  # issuing renders a PDF; the test machine is shared
    return page


def _letter_screenshot(page: Page, html: str, name: str) -> None:
    page.set_content(html)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _letter_text(page: Page, base: str, decision: Decision) -> str:
    pdf = page.request.get(f"{base}/saker/vedtak/{decision.pk}/brev/").body()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_caseworker_decides_a_dwelling_and_a_guarantee_each_on_its_own_form(
    browser: Browser, live_server, sara, geir, household, routing, housing_office
) -> None:
    base = live_server.url
    case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=["rental_dwelling", "deposit_guarantee"],
        data=ELIGIBLE,
        submit=True,
    )
    worker = _new_page(browser)
    log_in(worker, base, "sara", PASSWORD)
    worker.goto(f"{base}/saker/{case.pk}/")
    worker.click(f"a[href$='/saker/{case.pk}/vedtak/ny/']")
    check_accessibility(worker)
    # The rental dwelling is decided on the guideline: no outcome before the assessment.
    worker.click("a[href$='?hjelp=rental_dwelling']")
    expect(worker.locator("#decision-missing")).to_be_visible()
    expect(worker.locator("select[name=kind]")).to_have_count(0)
    check_accessibility(worker)
    worker.goto(f"{base}/saker/{case.pk}/")
    worker.click("form[action$='/vurdering/'] button[type=submit]")
    for select in worker.locator("select[name^='judge:']").all():
        select.select_option("met")
        name = select.get_attribute("name").split(":", 1)[1]
        worker.fill(f"textarea[name='reason:{name}']", "Vurdert i kartleggingssamtalen.")
    worker.click("form[action$='/vurdering/'] button[type=submit]")
    expect(worker.locator("#vurdering")).to_contain_text("oppfyller")

    worker.goto(f"{base}/saker/{case.pk}/vedtak/ny/?hjelp=rental_dwelling")
    # One outcome, the one the assessment gives.
    expect(worker.locator("select[name=kind] option")).to_have_count(1)
    worker.fill("#id_facts", "Husstanden bor hos venner og har ingen egen bolig.")
    worker.fill("#id_reasoning", REASONS)
    worker.fill("#id_expected_wait_months", "4")
    worker.select_option("#id_follow_up_unit", str(housing_office.pk))
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator("h1")).to_contain_text("Tilsagn (satt på venteliste)")
    worker.click("form[action$='/submit/'] button")
    expect(worker.locator("form[action$='/submit/']")).to_have_count(0)
    rental = Decision.objects.get(help_kind="rental_dwelling")

    worker.goto(f"{base}/saker/{case.pk}/vedtak/ny/?hjelp=deposit_guarantee")
    expect(worker.locator("#id_expected_wait_months")).to_have_count(0)
    worker.select_option("#id_kind", "approval")
    worker.fill("#id_facts", "Husstanden har funnet en bolig, men har ikke penger til depositum.")
    worker.fill("#id_reasoning", REASONS)
    worker.click("form.husly-form button[type=submit]")
    # A guarantee needs its amount and landlord: the form says so and keeps what was typed.
    expect(worker.locator(".ds-error-summary")).to_contain_text("Skriv beløpet i hele kroner.")
    expect(worker.locator("#id_reasoning")).to_have_value(REASONS)
    check_accessibility(worker)
    worker.fill("#id_amount", "24000")
    worker.fill("#id_landlord", "Utleie AS")
    worker.fill("#id_place", "Storgata 5, Rælingen")
    worker.fill("#id_period_from", "2026-04-01")
    worker.fill("#id_period_to", "2029-03-31")
    worker.click("form.husly-form button[type=submit]")
    expect(worker.locator("h1")).to_contain_text("Depositumsgaranti innvilget")
    expect(worker.locator(".husly-facts")).to_contain_text("Statsforvalteren")
    check_accessibility(worker)
    worker.click("form[action$='/submit/'] button")
    expect(worker.locator("form[action$='/submit/']")).to_have_count(0)
    guarantee = Decision.objects.get(help_kind="deposit_guarantee")

    approver = _new_page(browser)
    log_in(approver, base, "geir", PASSWORD)
    for decision in (rental, guarantee):
        approver.goto(f"{base}/saker/arbeidsliste/")
        approver.click(f"a[href$='/saker/vedtak/{decision.pk}/']")
        approver.click("form[action$='/approve/'] button")
        expect(approver.locator("form[action$='/approve/']")).to_have_count(0)
    for decision in (rental, guarantee):
        worker.goto(f"{base}/saker/vedtak/{decision.pk}/")
        worker.click("form[action$='/issue/'] button")
        expect(worker.locator("form[action$='/issue/']")).to_have_count(0, timeout=30_000)
    screenshot(worker, "decision-guarantee")

    rental_text = _letter_text(worker, base, rental)
    assert "Du står nå på ventelisten" in rental_text and "Kommunens klagenemnd" in rental_text
    guarantee_text = _letter_text(worker, base, guarantee)
    assert "Du får en depositumsgaranti på 24 000 kroner." in guarantee_text
    assert "sender vi klagen til Statsforvalteren" in guarantee_text
    assert "venteliste" not in guarantee_text and "Kommunens klagenemnd" not in guarantee_text

    resident = _new_page(browser)
    applicant = household.members.get(relation="applicant").person
    resident.goto(f"{base}/minside/logg-inn/")
    resident.fill("#id_national_id", applicant.national_id)
    resident.click("form.husly-form button[type=submit]")
    resident.wait_for_url(f"{base}/minside/")
    resident.goto(f"{base}/minside/sak/{case.pk}/")
    resident.click(f"a[href$='/minside/vedtak/{guarantee.pk}/']")
    expect(resident.locator("h1")).to_have_text("Vedtak om depositumsgaranti")
    expect(resident.locator(".husly-letter")).to_contain_text("Gi garantien til utleieren.")
    check_accessibility(resident)
    screenshot(resident, "portal-decision")


def test_every_kind_of_decision_letter_is_shown(
    browser: Browser, sara, geir, household, routing, housing_office, raelingen
) -> None:
    """Screenshots of each kind's approval letter, a refusal and the preliminary reply."""
    page = _new_page(browser)
    nav_worker, nav_approver = nav_staff(routing)
    for kind in HelpKind:
        # A start loan is routed to NAV: NAV's caseworker and approver decide it.
        nav = kind == HelpKind.START_LOAN
        worker, approver = (nav_worker, nav_approver) if nav else (sara, geir)
        # A household waits for one dwelling at a time: the second dwelling kind gets its own.
        applicant = household
        if kind == HelpKind.DWELLING_WITH_SERVICES:
            applicant = make_household(raelingen, "Berg", children=1)
        case = actions.case_create(
            actor=sara,
            household=applicant,
            channel="meeting",
            help_kinds=[kind],
            data=ELIGIBLE,
            submit=True,
        )
        if kind in actions.GUIDELINE_KINDS:
            actions.assessment_run(actor=sara, case=case)
            actions.assessment_run(actor=sara, case=case, judgements=judge_all(case, sara))
        data = {
            "help_kind": kind,
            "kind": "approval",
            "facts": "Husstanden bor hos venner og har ingen egen bolig.",
            "reasoning": REASONS,
            **CONTENT[kind],
        }
        if kind in {
            HelpKind.RENTAL_DWELLING,
            HelpKind.DWELLING_WITH_SERVICES,
            HelpKind.HOUSING_FOLLOW_UP,
        }:
            data["follow_up_unit"] = housing_office
        decision = actions.decision_draft(actor=worker, case=case, data=data)
        actions.decision_submit(actor=worker, decision=decision)
        actions.decision_approve(actor=approver, decision=decision)
        actions.decision_issue(actor=worker, decision=decision)
        _letter_screenshot(page, decision_letter_html(decision), f"letter-{kind.value}")
        assert page.locator("h1").count() == 1
    refusal_case = actions.case_create(
        actor=sara,
        household=household,
        channel="meeting",
        help_kinds=[HelpKind.TEMPORARY_ACCOMMODATION],
        data=ELIGIBLE,
        submit=True,
    )
    refusal = actions.decision_draft(
        actor=sara,
        case=refusal_case,
        data={
            "help_kind": HelpKind.TEMPORARY_ACCOMMODATION,
            "kind": "refusal",
            "facts": "Husstanden har et sted å bo de neste ukene.",
            "reasoning": REASONS,
        },
    )
    _letter_screenshot(page, decision_letter_html(refusal), "letter-refusal-draft")
    expect(page.locator("body")).to_contain_text("UTKAST")
    reply = actions.preliminary_reply_send(
        actor=sara,
        case=refusal_case,
        reason="Vi venter på papirer fra utleieren din.",
        expected_by=dt.date.today() + dt.timedelta(days=30),  # noqa: DTZ011 - a date ahead
    )
    _letter_screenshot(page, preliminary_reply_html(reply), "letter-preliminary-reply")
    assert (SCREENSHOTS / "letter-deposit_guarantee.png").stat().st_size > 10_000
